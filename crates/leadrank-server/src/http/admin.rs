//! Admin routes: model versions, webhooks, privacy (export, erase), the audit log and keys.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use leadrank_service::admin::SubscriptionError;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::body::{PathParam, QueryParams, Strict, TomlText};
use super::problem::Problem;
use super::problem::responses::*;
use super::views::{
    ActivationQueued, ActivationView, AuditView, DeliveryView, ErasedView, ExportView, Items, KeyView, ModelDiffView, ModelUploaded,
    ModelView, PersonView, WebhookView,
};
use super::{AppState, Caller, need, view};

fn created(value: impl Serialize) -> Response {
    (StatusCode::CREATED, axum::Json(value)).into_response()
}

/// `POST /v1/models`: the body is a model file (TOML); it is checked and stored as a new,
/// inactive version. Errors list line, column and key, as `leadrank model check` does.
#[utoipa::path(
    post,
    path = "/v1/models",
    tag = "models",
    operation_id = "uploadModel",
    request_body(
        description = "A model file (TOML, UTF-8). Also taken as text/toml, application/x-toml, text/x-toml, application/octet-stream, application/x-www-form-urlencoded or without a content type.",
        content(
            (String = "application/toml", example = json!(leadrank_core::model::builtin::DEFAULT.source)),
            (String = "text/plain", example = json!(leadrank_core::model::builtin::DEFAULT.source)),
        )
    ),
    responses(
        (status = 201, description = "Stored as a new, inactive version.", body = ModelUploaded),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 422, response = UnprocessableEntity),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["admin"]))
)]
pub async fn upload_model(
    State(state): State<AppState>,
    caller: Caller<need::Admin>,
    TomlText(text): TomlText,
) -> Result<Response, Problem> {
    let text = text.as_str();
    let m = state.service.upload_model(text, &caller.actor()).await?;
    Ok(created(ModelUploaded { id: m.id, name: m.name, version: m.version, rules: m.rules, active: false }))
}

/// A model id from the path, or a problem naming it.
fn model_id(id: Result<PathParam<i64>, Problem>) -> Result<i64, Problem> {
    id.map(|PathParam(id)| id)
        .map_err(|_| Problem::field("invalid_parameter", "/path/id", "a model id is a whole number (see GET /v1/models)"))
}

/// `GET /v1/models`: every version.
#[utoipa::path(
    get,
    path = "/v1/models",
    tag = "models",
    operation_id = "listModels",
    responses(
        (status = 200, description = "Every version, oldest first.", body = Items<ModelView>),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["read"]))
)]
pub async fn list_models(State(state): State<AppState>, _: Caller<need::Read>) -> Result<Response, Problem> {
    Ok(view(Items::of(state.service.models().await?, ModelView::summary)))
}

/// `GET /v1/models/{id}`: one version with its source.
#[utoipa::path(
    get,
    path = "/v1/models/{id}",
    tag = "models",
    operation_id = "getModel",
    params(("id" = i64, Path, description = "The model version's id (see GET /v1/models).")),
    responses(
        (status = 200, description = "The version with its source.", body = ModelView),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["read"]))
)]
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
#[utoipa::path(
    post,
    path = "/v1/models/{id}/activate",
    tag = "models",
    operation_id = "activateModel",
    params(("id" = i64, Path, description = "The model version's id (see GET /v1/models).")),
    responses(
        (status = 202, description = "The activation is queued.", body = ActivationQueued),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["admin"]))
)]
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
    let queued = ActivationQueued { model_id: id, state: "queued".into(), progress: "/v1/models/activation".into() };
    Ok((StatusCode::ACCEPTED, axum::Json(queued)).into_response())
}

/// `GET /v1/models/activation`: progress of the latest activation.
#[utoipa::path(
    get,
    path = "/v1/models/activation",
    tag = "models",
    operation_id = "getActivation",
    responses(
        (status = 200, description = "Progress of the latest activation.", body = ActivationView),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["read"]))
)]
pub async fn activation(State(state): State<AppState>, _: Caller<need::Read>) -> Result<Response, Problem> {
    Ok(view(ActivationView::from(state.service.activation())))
}

/// Query of `GET /v1/models/diff`.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    /// The id of the older version.
    from: i64,
    /// The id of the newer version.
    to: i64,
}

/// `GET /v1/models/diff?from=A&to=B`: rule by rule (added, removed, points or condition
/// changed), thresholds, and a unified diff of the files.
#[utoipa::path(
    get,
    path = "/v1/models/diff",
    tag = "models",
    operation_id = "diffModels",
    params(DiffQuery),
    responses(
        (status = 200, description = "The two versions compared.", body = ModelDiffView),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["read"]))
)]
pub async fn diff_models(
    State(state): State<AppState>,
    _: Caller<need::Read>,
    QueryParams(q): QueryParams<DiffQuery>,
) -> Result<Response, Problem> {
    Ok(view(ModelDiffView::from(state.service.diff_models(q.from, q.to).await?)))
}

/// A webhook subscription.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookBody {
    /// An http:// or https:// URL of at most 2048 characters; public unless the server allows
    /// private targets.
    url: String,
    /// The events to send, at least one of lead.quality, lead.score_changed,
    /// lead.stage_changed, lead.assigned, sla.breached.
    #[schema(example = json!(["lead.quality"]))]
    events: Vec<String>,
}

/// `POST /v1/webhooks`: subscribes a URL; the signing secret is shown once.
#[utoipa::path(
    post,
    path = "/v1/webhooks",
    tag = "webhooks",
    operation_id = "addWebhook",
    request_body(content = WebhookBody, content_type = "application/json"),
    responses(
        (status = 201, description = "Subscribed; the signing secret is shown only here.", body = WebhookView),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["admin"]))
)]
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
#[utoipa::path(
    get,
    path = "/v1/webhooks",
    tag = "webhooks",
    operation_id = "listWebhooks",
    responses(
        (status = 200, description = "Subscriptions, without secrets.", body = Items<WebhookView>),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["admin"]))
)]
pub async fn list_webhooks(State(state): State<AppState>, _: Caller<need::Admin>) -> Result<Response, Problem> {
    Ok(view(Items::of(state.service.subscriptions().await?, WebhookView::listed)))
}

/// `DELETE /v1/webhooks/{id}`.
#[utoipa::path(
    delete,
    path = "/v1/webhooks/{id}",
    tag = "webhooks",
    operation_id = "deleteWebhook",
    params(("id" = String, Path, description = "The id.")),
    responses(
        (status = 204, description = "Unsubscribed."),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["admin"]))
)]
pub async fn delete_webhook(
    State(state): State<AppState>,
    caller: Caller<need::Admin>,
    PathParam(id): PathParam<String>,
) -> Result<Response, Problem> {
    state.service.unsubscribe(&id, &caller.actor()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /v1/webhooks/{id}/deliveries`: the latest deliveries with their last attempt.
#[utoipa::path(
    get,
    path = "/v1/webhooks/{id}/deliveries",
    tag = "webhooks",
    operation_id = "listDeliveries",
    params(("id" = String, Path, description = "The id.")),
    responses(
        (status = 200, description = "The latest 100 deliveries, newest first.", body = Items<DeliveryView>),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["admin"]))
)]
pub async fn webhook_deliveries(
    State(state): State<AppState>,
    _: Caller<need::Admin>,
    PathParam(id): PathParam<String>,
) -> Result<Response, Problem> {
    Ok(view(Items::of(state.service.deliveries(&id, 100).await?, DeliveryView::from)))
}

/// A person, by lead id or email (or both); the email matches case-insensitively.
#[derive(Deserialize, ToSchema)]
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

/// `POST /v1/privacy/export`: everything held about a person (by lead id or email).
#[utoipa::path(
    post,
    path = "/v1/privacy/export",
    tag = "privacy",
    operation_id = "exportPerson",
    request_body(content = PersonBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Everything held about the person (no people when nothing matches).", body = ExportView),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["admin"]))
)]
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
#[utoipa::path(
    post,
    path = "/v1/privacy/erase",
    tag = "privacy",
    operation_id = "erasePerson",
    request_body(content = PersonBody, content_type = "application/json"),
    responses(
        (status = 200, description = "What was erased.", body = ErasedView),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["admin"]))
)]
pub async fn erase(
    State(state): State<AppState>,
    caller: Caller<need::Admin>,
    Strict(body): Strict<PersonBody>,
) -> Result<Response, Problem> {
    body.check()?;
    let (leads, erased) = state.service.erase(body.lead_id.as_deref(), body.email.as_deref(), &caller.actor()).await?;
    Ok(view(ErasedView::new(leads, erased)))
}

/// Query of `GET /v1/audit`.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LimitQuery {
    /// Entries at most (default 100, at most 1000).
    limit: Option<u32>,
}

/// `GET /v1/audit`: erasures, exports, key and model changes, newest first.
#[utoipa::path(
    get,
    path = "/v1/audit",
    tag = "admin",
    operation_id = "auditLog",
    params(LimitQuery),
    responses(
        (status = 200, description = "Audit entries, newest first.", body = Items<AuditView>),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["admin"]))
)]
pub async fn audit_log(
    State(state): State<AppState>,
    _: Caller<need::Admin>,
    QueryParams(q): QueryParams<LimitQuery>,
) -> Result<Response, Problem> {
    Ok(view(Items::of(state.service.audit_log(q.limit.unwrap_or(100).min(1000)).await?, AuditView::from)))
}

/// A new API key.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyBody {
    /// 1 to 200 characters.
    name: String,
    /// Scopes: ingest, read, sales, admin.
    #[schema(example = json!(["read"]))]
    scopes: Vec<String>,
}

/// `POST /v1/keys`: creates a key; the key is shown once.
#[utoipa::path(
    post,
    path = "/v1/keys",
    tag = "admin",
    operation_id = "createKey",
    request_body(content = KeyBody, content_type = "application/json"),
    responses(
        (status = 201, description = "The key; `key` is shown only here.", body = KeyView),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["admin"]))
)]
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
#[utoipa::path(
    get,
    path = "/v1/keys",
    tag = "admin",
    operation_id = "listKeys",
    responses(
        (status = 200, description = "Keys, without secrets.", body = Items<KeyView>),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["admin"]))
)]
pub async fn list_keys(State(state): State<AppState>, _: Caller<need::Admin>) -> Result<Response, Problem> {
    Ok(view(Items::of(state.service.keys().await?, KeyView::listed)))
}

/// `DELETE /v1/keys/{id}`: revokes a key.
#[utoipa::path(
    delete,
    path = "/v1/keys/{id}",
    tag = "admin",
    operation_id = "revokeKey",
    params(("id" = String, Path, description = "The id.")),
    responses(
        (status = 204, description = "Revoked."),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["admin"]))
)]
pub async fn revoke_key(
    State(state): State<AppState>,
    caller: Caller<need::Admin>,
    PathParam(id): PathParam<String>,
) -> Result<Response, Problem> {
    state.service.revoke_key(&id, &caller.actor()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
