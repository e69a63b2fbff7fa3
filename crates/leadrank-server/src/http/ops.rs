//! The operating routes: lifecycle stages, sales acceptance and rejection, checklists,
//! routing (teams, reps, the routing file, re-routing), account scores and the operating
//! reports.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use leadrank_lifecycle::{ItemStatus, LifecycleError, Stage, Transition};
use leadrank_routing::{Rep, RoutingModel, Team};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::body::{JsonBytes, PathParam, QueryParams, Strict, TomlText};
use super::problem::Problem;
use super::problem::responses::*;
use super::views::{
    LeadOpsView, RepList, RepListItem, RepSchema, Rerouted, RoutingUploaded, SlaView, TeamList, TeamSchema, TransitionView,
};
use super::{AppState, Caller, need, view};
use leadrank_service::ops::LeadOpsState;
use leadrank_service::service::Service;

/// Longest note a rep may attach.
const MAX_NOTE: usize = 2000;

fn check_note(note: &Option<String>) -> Result<(), Problem> {
    if note.as_ref().is_some_and(|n| n.chars().count() > MAX_NOTE) {
        return Err(Problem::field("invalid_field", "/note", format!("a note holds at most {MAX_NOTE} characters")));
    }
    Ok(())
}

/// Who acted (see `Service::api_actor`): the key's user, or the rep named in `by` when the
/// key may act for them, else the API key.
async fn actor<N: need::Need>(svc: &Service, caller: &Caller<N>, by: &Option<String>, lead_id: &str) -> Result<String, Problem> {
    if let Some(b) = by
        && (b.trim().is_empty() || b.len() > 200)
    {
        return Err(Problem::field("invalid_field", "/by", "by names a rep: 1 to 200 characters"));
    }
    Ok(svc.api_actor(&caller.0.id, &caller.actor(), by.as_deref(), lead_id).await?)
}

/// The lead's operating view: stage, checklist completeness, assignment, SLA status.
fn ops_view(svc: &Service, lead_id: &str, st: LeadOpsState) -> LeadOpsView {
    let checklists = svc.read_state(|_, ops| {
        let model_checklist = ops.policy_for(lead_id).checklist;
        let mut checklists = vec![st.lifecycle.checklist.completeness(model_checklist)];
        for fw in leadrank_lifecycle::FRAMEWORKS {
            if fw.id != model_checklist.id && st.lifecycle.checklist.entries.contains_key(fw.id) {
                checklists.push(st.lifecycle.checklist.completeness(fw));
            }
        }
        checklists
    });
    let sla = st.sla.as_ref().map(|run| SlaView {
        policy: run.policy.clone(),
        team: run.team.clone(),
        rep: run.rep.clone(),
        milestones: run.clock.milestones.clone(),
        status: run.clock.evaluate(&st.touches, svc.now()),
    });
    LeadOpsView {
        lead_id: lead_id.to_string(),
        stage: st.lifecycle.stage.as_str().to_string(),
        since: st.lifecycle.since.to_string(),
        checklists,
        sla,
        touches: st.touches.len(),
        breaches: st.breaches,
        assignment: st.assignment,
        lifecycle: st.lifecycle,
        transition: None,
        log: None,
    }
}

/// `GET /v1/leads/{lead_id}/lifecycle`: stage, checklists with prompts for missing items,
/// assignment, SLA clock and the whole operating log.
#[utoipa::path(
    get,
    path = "/v1/leads/{lead_id}/lifecycle",
    tag = "lifecycle",
    operation_id = "getLifecycle",
    params(("lead_id" = String, Path, description = "The lead's id.")),
    responses(
        (status = 200, description = "The operating view with the whole operating log.", body = LeadOpsView),
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
pub async fn lifecycle(
    State(state): State<AppState>,
    _: Caller<need::Read>,
    PathParam(lead_id): PathParam<String>,
) -> Result<Response, Problem> {
    let svc = &state.service;
    svc.flush().await;
    let (st, log) = svc.lead_ops(&lead_id).await.map_err(|e| match e {
        leadrank_service::ServiceError::NotFound(_) => Problem::not_found(format!("lead '{lead_id}'")),
        e => e.into(),
    })?;
    let mut v = ops_view(svc, &lead_id, st);
    v.log = Some(log);
    Ok(view(v))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptBody {
    /// Who acted: a rep of the sales directory. A key bound to a user (`keys create --user`)
    /// acts as that user and may name only whom the user may act for (403 otherwise).
    by: Option<String>,
    note: Option<String>,
}

/// Runs a lifecycle action on one lead and answers with its new state.
async fn act(
    svc: &Service,
    lead_id: &str,
    f: impl FnOnce(
        &leadrank_lifecycle::Policy,
        &mut leadrank_lifecycle::LeadLifecycle,
        i32,
        jiff::Timestamp,
    ) -> Result<Option<Transition>, LifecycleError>,
) -> Result<Response, Problem> {
    let result = svc.lifecycle_action(lead_id, f).await?;
    let st = svc.read_state(|_, ops| ops.leads.get(lead_id).cloned()).ok_or_else(|| Problem::not_found(format!("lead '{lead_id}'")))?;
    let mut v = ops_view(svc, lead_id, st);
    v.transition = Some(result.as_ref().map(TransitionView::from));
    Ok(view(v))
}

/// `POST /v1/leads/{lead_id}/accept`: sales accepts the lead (mql, pql or recycled -> sal).
#[utoipa::path(
    post,
    path = "/v1/leads/{lead_id}/accept",
    tag = "lifecycle",
    operation_id = "acceptLead",
    params(("lead_id" = String, Path, description = "The lead's id.")),
    request_body(content = AcceptBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The lead's new operating view with the transition.", body = LeadOpsView),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["sales"]))
)]
pub async fn accept(
    State(state): State<AppState>,
    caller: Caller<need::Sales>,
    PathParam(lead_id): PathParam<String>,
    Strict(body): Strict<AcceptBody>,
) -> Result<Response, Problem> {
    check_note(&body.note)?;
    let by = actor(&state.service, &caller, &body.by, &lead_id).await?;
    act(&state.service, &lead_id, |p, st, _, now| p.accept(st, &by, body.note.as_deref(), now).map(Some)).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectBody {
    /// Who acted: a rep of the sales directory. A key bound to a user (`keys create --user`)
    /// acts as that user and may name only whom the user may act for (403 otherwise).
    by: Option<String>,
    /// A reason code of the model (`lifecycle.rejection_reasons`).
    reason: String,
    note: Option<String>,
}

/// `POST /v1/leads/{lead_id}/reject`: sales rejects the lead with a reason code.
#[utoipa::path(
    post,
    path = "/v1/leads/{lead_id}/reject",
    tag = "lifecycle",
    operation_id = "rejectLead",
    params(("lead_id" = String, Path, description = "The lead's id.")),
    request_body(content = RejectBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The lead's new operating view with the transition.", body = LeadOpsView),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["sales"]))
)]
pub async fn reject(
    State(state): State<AppState>,
    caller: Caller<need::Sales>,
    PathParam(lead_id): PathParam<String>,
    Strict(body): Strict<RejectBody>,
) -> Result<Response, Problem> {
    check_note(&body.note)?;
    let by = actor(&state.service, &caller, &body.by, &lead_id).await?;
    act(&state.service, &lead_id, |p, st, total, now| p.reject(st, &by, &body.reason, body.note.as_deref(), total, now).map(Some)).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StageBody {
    to: String,
    /// Who acted: a rep of the sales directory. A key bound to a user (`keys create --user`)
    /// acts as that user and may name only whom the user may act for (403 otherwise).
    by: Option<String>,
    reason: String,
    note: Option<String>,
}

/// `POST /v1/leads/{lead_id}/stage`: a manual move, where the lifecycle rules allow it.
#[utoipa::path(
    post,
    path = "/v1/leads/{lead_id}/stage",
    tag = "lifecycle",
    operation_id = "moveStage",
    params(("lead_id" = String, Path, description = "The lead's id.")),
    request_body(content = StageBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The lead's new operating view with the transition.", body = LeadOpsView),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["sales"]))
)]
pub async fn move_stage(
    State(state): State<AppState>,
    caller: Caller<need::Sales>,
    PathParam(lead_id): PathParam<String>,
    Strict(body): Strict<StageBody>,
) -> Result<Response, Problem> {
    check_note(&body.note)?;
    let to: Stage =
        body.to.parse().map_err(|e: leadrank_lifecycle::ParseStageError| Problem::field("invalid_field", "/to", e.to_string()))?;
    if body.reason.trim().is_empty() || body.reason.len() > MAX_NOTE {
        return Err(Problem::field("invalid_field", "/reason", "a manual move needs a reason (1 to 2000 characters)"));
    }
    let by = actor(&state.service, &caller, &body.by, &lead_id).await?;
    act(&state.service, &lead_id, |p, st, _, now| p.move_to(st, to, &by, &body.reason, body.note.as_deref(), now).map(Some)).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemBody {
    /// confirmed, unknown or negative.
    #[schema(value_type = String, pattern = "^(confirmed|unknown|negative)$")]
    status: ItemStatus,
    note: Option<String>,
    /// Who acted: a rep of the sales directory. A key bound to a user (`keys create --user`)
    /// acts as that user and may name only whom the user may act for (403 otherwise).
    by: Option<String>,
}

/// `PUT /v1/leads/{lead_id}/checklist/{framework}/{item}`: sets one checklist item; a lead in
/// sal whose model checklist becomes complete enters sql.
#[utoipa::path(
    put,
    path = "/v1/leads/{lead_id}/checklist/{framework}/{item}",
    tag = "lifecycle",
    operation_id = "setChecklistItem",
    params(("lead_id" = String, Path, description = "The lead's id."), ("framework" = String, Path, description = "bant, champ or meddicc."), ("item" = String, Path, description = "The checklist item's id in the framework.")),
    request_body(content = ItemBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The lead's new operating view; `transition` is set when the lead entered sql.", body = LeadOpsView),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["sales"]))
)]
pub async fn set_item(
    State(state): State<AppState>,
    caller: Caller<need::Sales>,
    PathParam((lead_id, framework, item)): PathParam<(String, String, String)>,
    Strict(body): Strict<ItemBody>,
) -> Result<Response, Problem> {
    check_note(&body.note)?;
    let by = actor(&state.service, &caller, &body.by, &lead_id).await?;
    act(&state.service, &lead_id, |p, st, _, now| p.set_item(st, &framework, &item, body.status, body.note.as_deref(), &by, now)).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteBody {
    /// Who acted: a rep of the sales directory. A key bound to a user (`keys create --user`)
    /// acts as that user and may name only whom the user may act for (403 otherwise).
    by: Option<String>,
    /// Skip the rep the lead is assigned to now.
    #[serde(default)]
    exclude_current: bool,
}

/// `POST /v1/leads/{lead_id}/route`: routes the lead again (e.g. after a rep left).
#[utoipa::path(
    post,
    path = "/v1/leads/{lead_id}/route",
    tag = "routing",
    operation_id = "rerouteLead",
    params(("lead_id" = String, Path, description = "The lead's id.")),
    request_body(content = RouteBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The new assignment.", body = Rerouted),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["sales"]))
)]
pub async fn reroute(
    State(state): State<AppState>,
    caller: Caller<need::Sales>,
    PathParam(lead_id): PathParam<String>,
    Strict(body): Strict<RouteBody>,
) -> Result<Response, Problem> {
    let by = actor(&state.service, &caller, &body.by, &lead_id).await?;
    let assignment = state.service.reroute(&lead_id, body.exclude_current, &by).await.map_err(|e| match e {
        leadrank_service::ServiceError::Conflict(m) => Problem::new(StatusCode::CONFLICT, "invalid_transition", m),
        e => Problem::from(e),
    })?;
    Ok(view(Rerouted { lead_id, assignment }))
}

/// `GET /v1/teams`.
#[utoipa::path(
    get,
    path = "/v1/teams",
    tag = "routing",
    operation_id = "listTeams",
    responses(
        (status = 200, description = "Every team.", body = TeamList),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["read"]))
)]
pub async fn list_teams(State(state): State<AppState>, _: Caller<need::Read>) -> Result<Response, Problem> {
    Ok(view(state.service.read_state(|_, ops| TeamList { items: ops.teams.values().cloned().collect() })))
}

/// Parses a directory record whose `id` may be left out of the body (the path names it).
fn with_path_id<T: serde::de::DeserializeOwned>(body: &[u8], id: &str) -> Result<T, Problem> {
    let mut v: Value = super::body::parse(body)?;
    let Some(obj) = v.as_object_mut() else {
        return Err(Problem::field("invalid_body", "", "expected a JSON object"));
    };
    obj.entry("id").or_insert_with(|| Value::String(id.to_string()));
    let bytes = serde_json::to_vec(&v).map_err(|e| Problem::internal(&e))?;
    super::body::parse(&bytes)
}

/// `PUT /v1/teams/{id}`: creates or replaces a team (calendar and time zone).
#[utoipa::path(
    put,
    path = "/v1/teams/{id}",
    tag = "routing",
    operation_id = "putTeam",
    params(("id" = String, Path, description = "The id.")),
    request_body(content = TeamSchema, content_type = "application/json"),
    responses(
        (status = 200, description = "The team as stored.", body = TeamSchema),
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
pub async fn put_team(
    State(state): State<AppState>,
    caller: Caller<need::Admin>,
    PathParam(id): PathParam<String>,
    JsonBytes(body): JsonBytes,
) -> Result<Response, Problem> {
    let team: Team = with_path_id(&body, &id)?;
    if team.id != id {
        return Err(Problem::field("invalid_field", "/id", format!("the body's id '{}' differs from the path's '{id}'", team.id)));
    }
    state.service.put_team(team.clone()).await.map_err(|e| match e {
        leadrank_service::ServiceError::Invalid(m) => Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_team", m),
        e => e.into(),
    })?;
    state.service.audit(&caller.actor(), "team.put", &id).await?;
    Ok(view(team))
}

/// `DELETE /v1/teams/{id}`.
#[utoipa::path(
    delete,
    path = "/v1/teams/{id}",
    tag = "routing",
    operation_id = "deleteTeam",
    params(("id" = String, Path, description = "The id.")),
    responses(
        (status = 204, description = "Deleted."),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 422, response = UnprocessableEntity),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["admin"]))
)]
pub async fn delete_team(
    State(state): State<AppState>,
    caller: Caller<need::Admin>,
    PathParam(id): PathParam<String>,
) -> Result<Response, Problem> {
    state.service.delete_team(&id).await?;
    state.service.audit(&caller.actor(), "team.delete", &id).await?;
    Ok(axum::response::IntoResponse::into_response(StatusCode::NO_CONTENT))
}

/// `GET /v1/reps`: reps with their open load.
#[utoipa::path(
    get,
    path = "/v1/reps",
    tag = "routing",
    operation_id = "listReps",
    responses(
        (status = 200, description = "Every rep with the open load.", body = RepList),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["read"]))
)]
pub async fn list_reps(State(state): State<AppState>, _: Caller<need::Read>) -> Result<Response, Problem> {
    let items: Vec<RepListItem> = state.service.read_state(|_, ops| {
        ops.reps
            .values()
            .map(|r| {
                let c = ops.load.reps.get(&r.id);
                RepListItem::new(r.clone(), c.map_or(0, |c| c.open), c.map_or(0, |c| c.assigned))
            })
            .collect()
    });
    Ok(view(RepList { items }))
}

/// `PUT /v1/reps/{id}`: creates or replaces a rep (team, capacity, weight, away).
#[utoipa::path(
    put,
    path = "/v1/reps/{id}",
    tag = "routing",
    operation_id = "putRep",
    params(("id" = String, Path, description = "The id.")),
    request_body(content = RepSchema, content_type = "application/json"),
    responses(
        (status = 200, description = "The rep as stored.", body = RepSchema),
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
pub async fn put_rep(
    State(state): State<AppState>,
    caller: Caller<need::Admin>,
    PathParam(id): PathParam<String>,
    JsonBytes(body): JsonBytes,
) -> Result<Response, Problem> {
    let rep: Rep = with_path_id(&body, &id)?;
    if rep.id != id {
        return Err(Problem::field("invalid_field", "/id", format!("the body's id '{}' differs from the path's '{id}'", rep.id)));
    }
    state.service.put_rep(rep.clone()).await.map_err(|e| match e {
        leadrank_service::ServiceError::Invalid(m) => Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_rep", m),
        e => e.into(),
    })?;
    state.service.audit(&caller.actor(), "rep.put", &id).await?;
    Ok(view(rep))
}

/// `DELETE /v1/reps/{id}`.
#[utoipa::path(
    delete,
    path = "/v1/reps/{id}",
    tag = "routing",
    operation_id = "deleteRep",
    params(("id" = String, Path, description = "The id.")),
    responses(
        (status = 204, description = "Deleted."),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 422, response = UnprocessableEntity),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["admin"]))
)]
pub async fn delete_rep(
    State(state): State<AppState>,
    caller: Caller<need::Admin>,
    PathParam(id): PathParam<String>,
) -> Result<Response, Problem> {
    state.service.delete_rep(&id).await?;
    state.service.audit(&caller.actor(), "rep.delete", &id).await?;
    Ok(axum::response::IntoResponse::into_response(StatusCode::NO_CONTENT))
}

/// `GET /v1/routing`: the active routing file (TOML).
#[utoipa::path(
    get,
    path = "/v1/routing",
    tag = "routing",
    operation_id = "getRouting",
    responses(
        (status = 200, description = "The routing file (TOML).", body = String, content_type = "application/toml"),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["read"]))
)]
pub async fn get_routing(State(state): State<AppState>, _: Caller<need::Read>) -> Result<Response, Problem> {
    let source = state.service.read_state(|_, ops| ops.routing_source.clone());
    Ok(axum::response::IntoResponse::into_response(([(axum::http::header::CONTENT_TYPE, "application/toml; charset=utf-8")], source)))
}

/// `PUT /v1/routing`: replaces the routing file; errors name line, column and key.
#[utoipa::path(
    put,
    path = "/v1/routing",
    tag = "routing",
    operation_id = "putRouting",
    request_body(
        description = "A routing file (TOML, UTF-8). Also taken as text/toml, application/x-toml, text/x-toml, application/octet-stream, application/x-www-form-urlencoded or without a content type.",
        content(
            (String = "application/toml", example = json!(leadrank_routing::BUILTIN_ROUTING)),
            (String = "text/plain", example = json!(leadrank_routing::BUILTIN_ROUTING)),
        )
    ),
    responses(
        (status = 200, description = "The routing file was checked and replaced.", body = RoutingUploaded),
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
pub async fn put_routing(
    State(state): State<AppState>,
    caller: Caller<need::Admin>,
    TomlText(text): TomlText,
) -> Result<Response, Problem> {
    let text = text.as_str();
    let routing = RoutingModel::from_toml(text, "upload").map_err(|e| {
        let mut p = Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_routing", e.to_string());
        p.errors = Some(e.issues.iter().map(|i| super::problem::FileIssue::new(i.line, i.column, &i.key, &i.message)).collect());
        p
    })?;
    let rules = routing.rules.len();
    state.service.put_routing(routing, text.to_string()).await?;
    state.service.audit(&caller.actor(), "routing.put", &format!("{rules} rules")).await?;
    Ok(view(RoutingUploaded { rules }))
}

/// Query of `GET /v1/accounts`.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AccountsQuery {
    /// Only accounts of this tier (any case).
    tier: Option<String>,
    /// Accounts at most, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<usize>,
}

/// `GET /v1/accounts`: account scores, highest first.
#[derive(Serialize, ToSchema)]
pub struct AccountList {
    /// Account scores: fit, engagement with diminishing returns per person, recency,
    /// buying-committee coverage, reasons (their sum is the total), what is missing.
    #[schema(value_type = Vec<Object>)]
    items: Vec<leadrank_accounts::AccountScore>,
}

/// Stage counts, leads that ever entered each stage, conversions (inquiry->mql, mql->sal,
/// mql->sql, sql->won), rejections by reason and the rejection rate.
#[derive(Serialize, ToSchema)]
#[serde(transparent)]
#[schema(value_type = Object)]
pub struct FunnelReportView(leadrank_lifecycle::FunnelReport);

/// Fairness (leads and quality leads per rep against weight), open load per rep, leads
/// waiting in queues.
#[derive(Serialize, ToSchema)]
#[serde(transparent)]
#[schema(value_type = Object)]
pub struct RoutingReportView(leadrank_service::ops_admin::RoutingReport);

/// Breaches per rep, team and milestone; speed to lead (median, p90, share within 5
/// minutes); running SLA clocks.
#[derive(Serialize, ToSchema)]
#[serde(transparent)]
#[schema(value_type = Object)]
pub struct SlaReportView(leadrank_service::ops_admin::SlaReport);

/// `GET /v1/accounts`: accounts ranked by account score, with buying-committee coverage.
#[utoipa::path(
    get,
    path = "/v1/accounts",
    tag = "read",
    operation_id = "listAccounts",
    params(AccountsQuery),
    responses(
        (status = 200, description = "Accounts, highest account score first.", body = AccountList),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["read"]))
)]
pub async fn list_accounts(
    State(state): State<AppState>,
    _: Caller<need::Read>,
    QueryParams(q): QueryParams<AccountsQuery>,
) -> Result<Response, Problem> {
    let limit = q.limit.unwrap_or(50);
    if limit == 0 || limit > 500 {
        return Err(Problem::field("invalid_parameter", "/query/limit", "limit must be 1 to 500"));
    }
    let mut scores = leadrank_service::accounts::score_all(&state.service);
    if let Some(tier) = &q.tier {
        scores.retain(|s| s.tier.as_deref().is_some_and(|t| t.eq_ignore_ascii_case(tier)));
    }
    scores.truncate(limit);
    Ok(view(AccountList { items: scores }))
}

/// `GET /v1/reports/funnel`: stage counts, conversions, rejections by reason.
#[utoipa::path(
    get,
    path = "/v1/reports/funnel",
    tag = "reports",
    operation_id = "funnelReport",
    responses(
        (status = 200, description = "The funnel report.", body = FunnelReportView),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["read"]))
)]
pub async fn funnel(State(state): State<AppState>, _: Caller<need::Read>) -> Result<Response, Problem> {
    state.service.flush().await;
    Ok(view(FunnelReportView(state.service.funnel_report().await?)))
}

/// `GET /v1/reports/routing`: fairness (leads and quality leads per rep against weight).
#[utoipa::path(
    get,
    path = "/v1/reports/routing",
    tag = "reports",
    operation_id = "routingReport",
    responses(
        (status = 200, description = "The fairness report.", body = RoutingReportView),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["read"]))
)]
pub async fn routing_report(State(state): State<AppState>, _: Caller<need::Read>) -> Result<Response, Problem> {
    Ok(view(RoutingReportView(state.service.routing_report())))
}

/// `GET /v1/reports/sla`: breaches per rep, team and milestone; speed to lead.
#[utoipa::path(
    get,
    path = "/v1/reports/sla",
    tag = "reports",
    operation_id = "slaReport",
    responses(
        (status = 200, description = "The SLA report.", body = SlaReportView),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["read"]))
)]
pub async fn sla_report(State(state): State<AppState>, _: Caller<need::Read>) -> Result<Response, Problem> {
    Ok(view(SlaReportView(state.service.sla_report())))
}

/// `GET /v1/reports/stages`: every stage transition as CSV (`lead_id,stage,at,by,reason`),
/// the stage history `leadrank report --stages` reads.
#[utoipa::path(
    get,
    path = "/v1/reports/stages",
    tag = "reports",
    operation_id = "stageHistory",
    responses(
        (status = 200, description = "Every stage transition: `lead_id,stage,at,by,reason`.", body = String, content_type = "text/csv"),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["read"]))
)]
pub async fn stages_csv(State(state): State<AppState>, _: Caller<need::Read>) -> Result<Response, Problem> {
    let body = state.service.stage_history_csv().await?;
    Ok(axum::response::IntoResponse::into_response(([(axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8")], body)))
}
