//! Admin routes: model versions, webhooks, privacy (export, erase), the audit log and keys.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use leadrank_service::admin::SubscriptionError;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::body::{PathParam, QueryParams, Strict, TomlText};
use super::problem::Problem;
use super::views::{AuditView, DeliveryView, Items, KeyView, ModelDiffView, ModelView, PersonView, WebhookView};
use super::{AppState, Caller, json, need, view};

fn created(value: impl Serialize) -> Response {
    (StatusCode::CREATED, axum::Json(value)).into_response()
}

/// `POST /v1/models`: the body is a model file (TOML); it is checked and stored as a new,
/// inactive version. Errors list line, column and key, as `leadrank model check` does.
pub async fn upload_model(
    State(state): State<AppState>,
    caller: Caller<need::Admin>,
    TomlText(text): TomlText,
) -> Result<Response, Problem> {
    let text = text.as_str();
    let m = state.service.upload_model(text, &caller.actor()).await?;
    Ok(created(json!({"id": m.id, "name": m.name, "version": m.version, "rules": m.rules, "active": false})))
}

/// A model id from the path, or a problem naming it.
fn model_id(id: Result<PathParam<i64>, Problem>) -> Result<i64, Problem> {
    id.map(|PathParam(id)| id)
        .map_err(|_| Problem::field("invalid_parameter", "/path/id", "a model id is a whole number (see GET /v1/models)"))
}

/// `GET /v1/models`: every version.
pub async fn list_models(State(state): State<AppState>, _: Caller<need::Read>) -> Result<Response, Problem> {
    Ok(view(Items::of(state.service.models().await?, ModelView::summary)))
}

/// `GET /v1/models/{id}`: one version with its source.
pub async fn get_model(
    State(state): State<AppState>,
    _: Caller<need::Read>,
    id: Result<PathParam<i64>, Problem>,
) -> Result<Response, Problem> {
    let id = model_id(id)?;
    Ok(view(ModelView::with_source(state.service.stored_model(id).await?)))
}

/// `POST /v1/models/{id}/activate`: recomputes every score with the version in the
/// background (202); progress at `GET /v1/models/activation`.
pub async fn activate_model(
    State(state): State<AppState>,
    caller: Caller<need::Admin>,
    id: Result<PathParam<i64>, Problem>,
) -> Result<Response, Problem> {
    let id = model_id(id)?;
    state.service.request_activation(id, &caller.actor()).await.map_err(|e| match e {
        leadrank_service::ServiceError::Conflict(m) => Problem::new(StatusCode::CONFLICT, "activation_running", m),
        e => Problem::from(e),
    })?;
    Ok((StatusCode::ACCEPTED, axum::Json(json!({"model_id": id, "state": "queued", "progress": "/v1/models/activation"}))).into_response())
}

/// `GET /v1/models/activation`: progress of the latest activation.
pub async fn activation(State(state): State<AppState>, _: Caller<need::Read>) -> Result<Response, Problem> {
    Ok(view(state.service.activation()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiffQuery {
    from: i64,
    to: i64,
}

/// `GET /v1/models/diff?from=A&to=B`: rule by rule (added, removed, points or condition
/// changed), thresholds, and a unified diff of the files.
pub async fn diff_models(
    State(state): State<AppState>,
    _: Caller<need::Read>,
    QueryParams(q): QueryParams<DiffQuery>,
) -> Result<Response, Problem> {
    Ok(view(ModelDiffView::from(state.service.diff_models(q.from, q.to).await?)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookBody {
    url: String,
    events: Vec<String>,
}

/// `POST /v1/webhooks`: subscribes a URL; the signing secret is shown once.
pub async fn add_webhook(
    State(state): State<AppState>,
    caller: Caller<need::Admin>,
    Strict(body): Strict<WebhookBody>,
) -> Result<Response, Problem> {
    let sub = state.service.subscribe(body.url, body.events, state.allow_private_webhooks, &caller.actor()).await?.map_err(|e| {
        let pointer = match &e {
            SubscriptionError::BadUrl | SubscriptionError::PrivateTarget(_) => "/url".to_string(),
            SubscriptionError::NoEvents => "/events".to_string(),
            SubscriptionError::UnknownEvent { index, .. } => format!("/events/{index}"),
        };
        let code = if pointer == "/url" { "invalid_url" } else { "invalid_events" };
        Problem::field(code, pointer, e.to_string())
    })?;
    Ok(created(WebhookView::created(sub)))
}

/// `GET /v1/webhooks`: subscriptions (without secrets).
pub async fn list_webhooks(State(state): State<AppState>, _: Caller<need::Admin>) -> Result<Response, Problem> {
    Ok(view(Items::of(state.service.subscriptions().await?, WebhookView::listed)))
}

/// `DELETE /v1/webhooks/{id}`.
pub async fn delete_webhook(
    State(state): State<AppState>,
    caller: Caller<need::Admin>,
    PathParam(id): PathParam<String>,
) -> Result<Response, Problem> {
    state.service.unsubscribe(&id, &caller.actor()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /v1/webhooks/{id}/deliveries`: the latest deliveries with their last attempt.
pub async fn webhook_deliveries(
    State(state): State<AppState>,
    _: Caller<need::Admin>,
    PathParam(id): PathParam<String>,
) -> Result<Response, Problem> {
    Ok(view(Items::of(state.service.deliveries(&id, 100).await?, DeliveryView::from)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonBody {
    lead_id: Option<String>,
    email: Option<String>,
}

impl PersonBody {
    fn check(&self) -> Result<(), Problem> {
        if self.lead_id.is_none() && self.email.is_none() {
            return Err(Problem::field("missing_field", "/lead_id", "give lead_id or email"));
        }
        Ok(())
    }
}

/// The answer of a privacy export.
#[derive(Serialize)]
struct ExportView {
    exported_at: String,
    people: Vec<PersonView>,
}

/// `POST /v1/privacy/export`: everything held about a person (by lead id or email).
pub async fn export(
    State(state): State<AppState>,
    caller: Caller<need::Admin>,
    Strict(body): Strict<PersonBody>,
) -> Result<Response, Problem> {
    body.check()?;
    let svc = &state.service;
    let people = svc.export_person(body.lead_id.as_deref(), body.email.as_deref(), &caller.actor()).await?;
    Ok(view(ExportView { exported_at: svc.now().to_string(), people: people.into_iter().map(PersonView::from).collect() }))
}

/// `POST /v1/privacy/erase`: erases a person everywhere; only keyed-hash markers remain,
/// so that re-ingesting them stores nothing.
pub async fn erase(
    State(state): State<AppState>,
    caller: Caller<need::Admin>,
    Strict(body): Strict<PersonBody>,
) -> Result<Response, Problem> {
    body.check()?;
    let (leads, erased) = state.service.erase(body.lead_id.as_deref(), body.email.as_deref(), &caller.actor()).await?;
    Ok(json(json!({ "leads": leads, "erased": erased })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitQuery {
    limit: Option<u32>,
}

/// `GET /v1/audit`: erasures, exports, key and model changes, newest first.
pub async fn audit_log(
    State(state): State<AppState>,
    _: Caller<need::Admin>,
    QueryParams(q): QueryParams<LimitQuery>,
) -> Result<Response, Problem> {
    Ok(view(Items::of(state.service.audit_log(q.limit.unwrap_or(100).min(1000)).await?, AuditView::from)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyBody {
    name: String,
    scopes: Vec<String>,
}

/// `POST /v1/keys`: creates a key; the key is shown once.
pub async fn create_key(
    State(state): State<AppState>,
    caller: Caller<need::Admin>,
    Strict(body): Strict<KeyBody>,
) -> Result<Response, Problem> {
    let scopes =
        leadrank_service::keys::parse_scopes(&body.scopes.join(",")).map_err(|e| Problem::field("invalid_scopes", "/scopes", e))?;
    if body.name.trim().is_empty() || body.name.len() > 200 {
        return Err(Problem::field("invalid_name", "/name", "a name of 1 to 200 characters"));
    }
    let (key, secret) = state.service.create_key(body.name.trim(), &scopes, &caller.actor()).await?;
    Ok(created(KeyView::created(key, secret)))
}

/// `GET /v1/keys`: keys without secrets.
pub async fn list_keys(State(state): State<AppState>, _: Caller<need::Admin>) -> Result<Response, Problem> {
    Ok(view(Items::of(state.service.keys().await?, KeyView::listed)))
}

/// `DELETE /v1/keys/{id}`: revokes a key.
pub async fn revoke_key(
    State(state): State<AppState>,
    caller: Caller<need::Admin>,
    PathParam(id): PathParam<String>,
) -> Result<Response, Problem> {
    state.service.revoke_key(&id, &caller.actor()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
