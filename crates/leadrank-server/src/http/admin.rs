//! Admin routes: model versions, webhooks, privacy (export, erase), the audit log and keys.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use leadrank_core::CompiledModel;
use leadrank_store::Subscription;
use serde::Deserialize;
use serde_json::{Value, json};

use super::body::{PathParam, QueryParams, Strict, TomlText};
use super::problem::Problem;
use super::{AppState, Caller, json, need};

fn created(value: Value) -> Response {
    (StatusCode::CREATED, axum::Json(value)).into_response()
}

/// `POST /v1/models`: the body is a model file (TOML, sent as `application/toml`, `text/plain`,
/// `application/octet-stream` or without a content type; see [`TomlText`]); it is checked and
/// stored as a new, inactive version. Errors list line, column and key, as `leadrank model
/// check` does.
pub async fn upload_model(
    State(state): State<AppState>,
    caller: Caller<need::Admin>,
    TomlText(text): TomlText,
) -> Result<Response, Problem> {
    let text = text.as_str();
    let model = CompiledModel::from_toml(text, "upload").map_err(|e| {
        let errors: Vec<Value> =
            e.issues.iter().map(|i| json!({"line": i.line, "column": i.column, "key": i.key, "message": i.message})).collect();
        let mut p = Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_model", e.to_string());
        p.extra = Some(json!({ "errors": errors }));
        p
    })?;
    let svc = &state.service;
    let id = svc.store.add_model(&model.name, &model.version, text, svc.clock.now()).await?;
    svc.audit(&caller.actor(), "model.upload", &format!("model {id} ({} {})", model.name, model.version)).await?;
    Ok(created(json!({"id": id, "name": model.name, "version": model.version, "rules": model.rules.len(), "active": false})))
}

/// A model id from the path, or a problem naming it.
fn model_id(id: Result<PathParam<i64>, Problem>) -> Result<i64, Problem> {
    id.map(|PathParam(id)| id)
        .map_err(|_| Problem::field("invalid_parameter", "/path/id", "a model id is a whole number (see GET /v1/models)"))
}

/// `GET /v1/models`: every version.
pub async fn list_models(State(state): State<AppState>, _: Caller<need::Read>) -> Result<Response, Problem> {
    let items: Vec<Value> = state
        .service
        .store
        .models()
        .await?
        .into_iter()
        .map(|m| json!({"id": m.id, "name": m.name, "version": m.version, "created_at": m.created_at.to_string(), "active": m.active}))
        .collect();
    Ok(json(json!({ "items": items })))
}

/// `GET /v1/models/{id}`: one version with its source.
pub async fn get_model(
    State(state): State<AppState>,
    _: Caller<need::Read>,
    id: Result<PathParam<i64>, Problem>,
) -> Result<Response, Problem> {
    let id = model_id(id)?;
    let m = state.service.store.model(id).await?.ok_or_else(|| Problem::not_found(format!("model {id}")))?;
    Ok(json(
        json!({"id": m.id, "name": m.name, "version": m.version, "created_at": m.created_at.to_string(), "active": m.active, "source": m.source}),
    ))
}

/// `POST /v1/models/{id}/activate`: recomputes every score with the version in the
/// background (202); progress at `GET /v1/models/activation`.
pub async fn activate_model(
    State(state): State<AppState>,
    caller: Caller<need::Admin>,
    id: Result<PathParam<i64>, Problem>,
) -> Result<Response, Problem> {
    let id = model_id(id)?;
    if state.service.store.model(id).await?.is_none() {
        return Err(Problem::not_found(format!("model {id}")));
    }
    if state.service.activation().state == "running" {
        return Err(Problem::new(StatusCode::CONFLICT, "activation_running", "another model activation is running"));
    }
    state.service.activation_queued(id);
    let svc = state.service.clone();
    let actor = caller.actor();
    tokio::spawn(async move {
        if let Err(e) = svc.activate(id, &actor).await {
            tracing::error!(model = id, error = %e, "model activation failed");
        }
    });
    Ok((StatusCode::ACCEPTED, axum::Json(json!({"model_id": id, "state": "queued", "progress": "/v1/models/activation"}))).into_response())
}

/// `GET /v1/models/activation`: progress of the latest activation.
pub async fn activation(State(state): State<AppState>, _: Caller<need::Read>) -> Result<Response, Problem> {
    Ok(json(serde_json::to_value(state.service.activation()).map_err(|e| Problem::internal(&e))?))
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
    let store = &state.service.store;
    let a = store.model(q.from).await?.ok_or_else(|| Problem::not_found(format!("model {}", q.from)))?;
    let b = store.model(q.to).await?.ok_or_else(|| Problem::not_found(format!("model {}", q.to)))?;
    let compile = |m: &leadrank_store::StoredModel| {
        CompiledModel::from_toml(&m.source, &format!("model {}", m.id)).map_err(|e| Problem::internal(&e))
    };
    let (ma, mb) = (compile(&a)?, compile(&b)?);
    let mut rules = Vec::new();
    for r in &ma.rules {
        match mb.rules.iter().find(|x| x.id == r.id) {
            None => rules.push(json!({"rule": &*r.id, "change": "removed", "points_from": r.points})),
            Some(x) if x.points != r.points || x.dimension != r.dimension || x.label != r.label => rules.push(json!({
                "rule": &*r.id, "change": "changed", "points_from": r.points, "points_to": x.points,
                "dimension_from": &*ma.dimensions[r.dimension].id, "dimension_to": &*mb.dimensions[x.dimension].id,
            })),
            Some(_) => {}
        }
    }
    for x in &mb.rules {
        if !ma.rules.iter().any(|r| r.id == x.id) {
            rules.push(json!({"rule": &*x.id, "change": "added", "points_to": x.points}));
        }
    }
    let text = similar::TextDiff::from_lines(&a.source, &b.source)
        .unified_diff()
        .header(&format!("model {}", a.id), &format!("model {}", b.id))
        .to_string();
    Ok(json(json!({
        "from": {"id": a.id, "name": a.name, "version": a.version},
        "to": {"id": b.id, "name": b.name, "version": b.version},
        "quality_threshold": {"from": ma.quality_threshold, "to": mb.quality_threshold},
        "rules": rules,
        "unified_diff": text,
    })))
}

/// Webhook event types a subscription may ask for.
pub const WEBHOOK_EVENTS: &[&str] = &["lead.quality", "lead.score_changed", "lead.stage_changed", "lead.assigned", "sla.breached"];

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
    if !(body.url.starts_with("http://") || body.url.starts_with("https://")) || body.url.len() > 2048 {
        return Err(Problem::field("invalid_url", "/url", "expected an http:// or https:// URL of at most 2048 characters"));
    }
    if !state.allow_private_webhooks {
        leadrank_webhooks::guard::check_url_host(&body.url).map_err(|why| {
            Problem::field(
                "invalid_url",
                "/url",
                format!("{why}: webhook targets must be public (serve --allow-private-webhooks allows private ones)"),
            )
        })?;
    }
    if body.events.is_empty() {
        return Err(Problem::field("invalid_events", "/events", format!("name at least one of {}", WEBHOOK_EVENTS.join(", "))));
    }
    for (i, e) in body.events.iter().enumerate() {
        if !WEBHOOK_EVENTS.contains(&e.as_str()) {
            return Err(Problem::field(
                "invalid_events",
                format!("/events/{i}"),
                format!("unknown event '{e}'; use {}", WEBHOOK_EVENTS.join(", ")),
            ));
        }
    }
    let svc = &state.service;
    let sub = Subscription {
        id: format!("wh_{}", hex::encode(rand::random::<[u8; 8]>())),
        url: body.url,
        secret: format!("whsec_{}", hex::encode(rand::random::<[u8; 24]>())),
        events: body.events,
        created_at: svc.clock.now(),
    };
    svc.store.add_subscription(&sub).await?;
    svc.reload_subscriptions().await?;
    svc.audit(&caller.actor(), "webhook.create", &sub.id).await?;
    Ok(created(json!({"id": sub.id, "url": sub.url, "events": sub.events, "secret": sub.secret, "created_at": sub.created_at.to_string()})))
}

/// `GET /v1/webhooks`: subscriptions (without secrets).
pub async fn list_webhooks(State(state): State<AppState>, _: Caller<need::Admin>) -> Result<Response, Problem> {
    let items: Vec<Value> = state
        .service
        .store
        .subscriptions()
        .await?
        .into_iter()
        .map(|s| json!({"id": s.id, "url": s.url, "events": s.events, "created_at": s.created_at.to_string()}))
        .collect();
    Ok(json(json!({ "items": items })))
}

/// `DELETE /v1/webhooks/{id}`.
pub async fn delete_webhook(
    State(state): State<AppState>,
    caller: Caller<need::Admin>,
    PathParam(id): PathParam<String>,
) -> Result<Response, Problem> {
    state.service.store.delete_subscription(&id).await?;
    state.service.reload_subscriptions().await?;
    state.service.audit(&caller.actor(), "webhook.delete", &id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /v1/webhooks/{id}/deliveries`: the latest deliveries with their last attempt.
pub async fn webhook_deliveries(
    State(state): State<AppState>,
    _: Caller<need::Admin>,
    PathParam(id): PathParam<String>,
) -> Result<Response, Problem> {
    if !state.service.store.subscriptions().await?.iter().any(|s| s.id == id) {
        return Err(Problem::not_found(format!("webhook '{id}'")));
    }
    let items: Vec<Value> = state
        .service
        .store
        .deliveries(&id, 100)
        .await?
        .into_iter()
        .map(|d| {
            json!({
                "id": d.id, "event": d.event_type, "state": d.state, "attempts": d.attempts,
                "created_at": d.created_at.to_string(), "next_attempt_at": d.next_attempt_at.to_string(),
                "last_attempt_at": d.last_attempt_at.map(|t| t.to_string()), "last_status": d.last_status, "last_error": d.last_error,
            })
        })
        .collect();
    Ok(json(json!({ "items": items })))
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

/// `POST /v1/privacy/export`: everything held about a person (by lead id or email).
pub async fn export(
    State(state): State<AppState>,
    caller: Caller<need::Admin>,
    Strict(body): Strict<PersonBody>,
) -> Result<Response, Problem> {
    body.check()?;
    let svc = &state.service;
    svc.flush().await;
    let ids = svc.find_person(body.lead_id.as_deref(), body.email.as_deref());
    let mut people = Vec::new();
    for id in &ids {
        let lead = svc.store.lead(id).await?;
        let events = svc.store.lead_events(id).await?;
        let consents = svc.store.lead_consents(id).await?;
        let history = svc.store.score_history(id).await?;
        let score = svc.score_now(id).map(|(s, _)| s);
        // How the lead was worked: stage, checklist notes, assignment, SLA clock, and the log.
        let (operating, operating_log) = match svc.lead_ops(id).await {
            Ok((st, log)) => (Some(st), log),
            Err(crate::service::ServiceError::NotFound(_)) => (None, Vec::new()),
            Err(e) => return Err(e.into()),
        };
        people.push(json!({"lead": lead, "events": events, "consents": consents, "score": score, "score_history": history,
                           "operating": operating, "operating_log": operating_log}));
    }
    svc.audit(&caller.actor(), "export", &format!("{} lead(s)", ids.len())).await?;
    Ok(json(json!({ "exported_at": svc.clock.now().to_string(), "people": people })))
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
    let items = state.service.store.audit_log(q.limit.unwrap_or(100).min(1000)).await?;
    Ok(json(json!({ "items": items })))
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
    let scopes = crate::keys::parse_scopes(&body.scopes.join(",")).map_err(|e| Problem::field("invalid_scopes", "/scopes", e))?;
    if body.name.trim().is_empty() || body.name.len() > 200 {
        return Err(Problem::field("invalid_name", "/name", "a name of 1 to 200 characters"));
    }
    let svc = &state.service;
    let (key, secret) = crate::keys::create(svc.store.as_ref(), body.name.trim(), &scopes, svc.clock.now()).await?;
    svc.audit(&caller.actor(), "key.create", &format!("{} ({})", key.id, scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(",")))
        .await?;
    Ok(created(json!({"id": key.id, "name": key.name, "scopes": key.scopes, "key": secret})))
}

/// `GET /v1/keys`: keys without secrets.
pub async fn list_keys(State(state): State<AppState>, _: Caller<need::Admin>) -> Result<Response, Problem> {
    let items: Vec<Value> = state
        .service
        .store
        .keys()
        .await?
        .into_iter()
        .map(|k| json!({"id": k.id, "name": k.name, "scopes": k.scopes, "created_at": k.created_at.to_string(), "revoked_at": k.revoked_at.map(|t| t.to_string())}))
        .collect();
    Ok(json(json!({ "items": items })))
}

/// `DELETE /v1/keys/{id}`: revokes a key.
pub async fn revoke_key(
    State(state): State<AppState>,
    caller: Caller<need::Admin>,
    PathParam(id): PathParam<String>,
) -> Result<Response, Problem> {
    let svc = &state.service;
    svc.store.revoke_key(&id, svc.clock.now()).await?;
    svc.audit(&caller.actor(), "key.revoke", &id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
