//! The operating routes: lifecycle stages, sales acceptance and rejection, checklists,
//! routing (teams, reps, the routing file, re-routing), account scores and the operating
//! reports.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use leadrank_lifecycle::{ItemStatus, LifecycleError, Stage, Transition};
use leadrank_routing::{Rep, RoutingModel, Team};
use serde::Deserialize;
use serde_json::{Value, json};

use super::body::{JsonBytes, PathParam, QueryParams, Strict, TomlText};
use super::problem::Problem;
use super::{AppState, Caller, json, need};
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

/// Who acted: the rep named in the body, else the API key.
fn actor<N: need::Need>(caller: &Caller<N>, by: &Option<String>) -> Result<String, Problem> {
    match by {
        Some(b) if b.trim().is_empty() || b.len() > 200 => {
            Err(Problem::field("invalid_field", "/by", "by names a rep: 1 to 200 characters"))
        }
        Some(b) => Ok(b.trim().to_string()),
        None => Ok(caller.actor()),
    }
}

/// The lead's operating view: stage, checklist completeness, assignment, SLA status.
fn view(svc: &Service, lead_id: &str, st: &LeadOpsState) -> Value {
    let checklists = svc.read_state(|_, ops| {
        let model_checklist = ops.policy_for(lead_id).checklist;
        let mut checklists = vec![json!(st.lifecycle.checklist.completeness(model_checklist))];
        for fw in leadrank_lifecycle::FRAMEWORKS {
            if fw.id != model_checklist.id && st.lifecycle.checklist.entries.contains_key(fw.id) {
                checklists.push(json!(st.lifecycle.checklist.completeness(fw)));
            }
        }
        checklists
    });
    let sla = st.sla.as_ref().map(|run| {
        let status = run.clock.evaluate(&st.touches, svc.now());
        json!({"policy": run.policy, "team": run.team, "rep": run.rep, "milestones": run.clock.milestones, "status": status})
    });
    json!({
        "lead_id": lead_id,
        "stage": st.lifecycle.stage.as_str(),
        "since": st.lifecycle.since.to_string(),
        "lifecycle": st.lifecycle,
        "checklists": checklists,
        "assignment": st.assignment,
        "sla": sla,
        "touches": st.touches.len(),
        "breaches": st.breaches,
    })
}

fn transition_json(t: &Transition) -> Value {
    json!({"from": t.from.map(|s| s.as_str()), "to": t.to.as_str(), "at": t.at.to_string(), "actor": t.actor, "reason": t.reason, "rejection": t.rejection, "note": t.note})
}

/// `GET /v1/leads/{lead_id}/lifecycle`: stage, checklists with prompts for missing items,
/// assignment, SLA clock and the whole operating log.
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
    let mut v = view(svc, &lead_id, &st);
    v["log"] = Value::Array(log);
    Ok(json(v))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcceptBody {
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
    let mut v = view(svc, lead_id, &st);
    v["transition"] = result.as_ref().map_or(Value::Null, transition_json);
    Ok(json(v))
}

/// `POST /v1/leads/{lead_id}/accept`: sales accepts the lead (mql, pql or recycled -> sal).
pub async fn accept(
    State(state): State<AppState>,
    caller: Caller<need::Sales>,
    PathParam(lead_id): PathParam<String>,
    Strict(body): Strict<AcceptBody>,
) -> Result<Response, Problem> {
    check_note(&body.note)?;
    let by = actor(&caller, &body.by)?;
    act(&state.service, &lead_id, |p, st, _, now| p.accept(st, &by, body.note.as_deref(), now).map(Some)).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RejectBody {
    by: Option<String>,
    /// A reason code of the model (`lifecycle.rejection_reasons`).
    reason: String,
    note: Option<String>,
}

/// `POST /v1/leads/{lead_id}/reject`: sales rejects the lead with a reason code.
pub async fn reject(
    State(state): State<AppState>,
    caller: Caller<need::Sales>,
    PathParam(lead_id): PathParam<String>,
    Strict(body): Strict<RejectBody>,
) -> Result<Response, Problem> {
    check_note(&body.note)?;
    let by = actor(&caller, &body.by)?;
    act(&state.service, &lead_id, |p, st, total, now| p.reject(st, &by, &body.reason, body.note.as_deref(), total, now).map(Some)).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageBody {
    to: String,
    by: Option<String>,
    reason: String,
    note: Option<String>,
}

/// `POST /v1/leads/{lead_id}/stage`: a manual move, where the lifecycle rules allow it.
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
    let by = actor(&caller, &body.by)?;
    act(&state.service, &lead_id, |p, st, _, now| p.move_to(st, to, &by, &body.reason, body.note.as_deref(), now).map(Some)).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemBody {
    /// confirmed, unknown or negative.
    status: ItemStatus,
    note: Option<String>,
    by: Option<String>,
}

/// `PUT /v1/leads/{lead_id}/checklist/{framework}/{item}`: sets one checklist item; a lead in
/// sal whose model checklist becomes complete enters sql.
pub async fn set_item(
    State(state): State<AppState>,
    caller: Caller<need::Sales>,
    PathParam((lead_id, framework, item)): PathParam<(String, String, String)>,
    Strict(body): Strict<ItemBody>,
) -> Result<Response, Problem> {
    check_note(&body.note)?;
    let by = actor(&caller, &body.by)?;
    act(&state.service, &lead_id, |p, st, _, now| p.set_item(st, &framework, &item, body.status, body.note.as_deref(), &by, now)).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteBody {
    by: Option<String>,
    /// Skip the rep the lead is assigned to now.
    #[serde(default)]
    exclude_current: bool,
}

/// `POST /v1/leads/{lead_id}/route`: routes the lead again (e.g. after a rep left).
pub async fn reroute(
    State(state): State<AppState>,
    caller: Caller<need::Sales>,
    PathParam(lead_id): PathParam<String>,
    Strict(body): Strict<RouteBody>,
) -> Result<Response, Problem> {
    let by = actor(&caller, &body.by)?;
    let assignment = state.service.reroute(&lead_id, body.exclude_current, &by).await.map_err(|e| match e {
        leadrank_service::ServiceError::Conflict(m) => Problem::new(StatusCode::CONFLICT, "invalid_transition", m),
        e => Problem::from(e),
    })?;
    Ok(json(json!({"lead_id": lead_id, "assignment": assignment})))
}

/// `GET /v1/teams`.
pub async fn list_teams(State(state): State<AppState>, _: Caller<need::Read>) -> Result<Response, Problem> {
    Ok(json(state.service.read_state(|_, ops| json!({"items": ops.teams.values().collect::<Vec<_>>()}))))
}

/// Parses a directory record whose `id` may be left out of the body (the path names it).
fn with_path_id<T: serde::de::DeserializeOwned>(body: &[u8], id: &str) -> Result<T, Problem> {
    let mut v: Value = super::body::parse(body)?;
    let Some(obj) = v.as_object_mut() else {
        return Err(Problem::field("invalid_body", "", "expected a JSON object"));
    };
    obj.entry("id").or_insert_with(|| json!(id));
    let bytes = serde_json::to_vec(&v).map_err(|e| Problem::internal(&e))?;
    super::body::parse(&bytes)
}

/// `PUT /v1/teams/{id}`: creates or replaces a team (calendar and time zone).
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
    Ok(json(json!(team)))
}

/// `DELETE /v1/teams/{id}`.
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
pub async fn list_reps(State(state): State<AppState>, _: Caller<need::Read>) -> Result<Response, Problem> {
    let items: Vec<Value> = state.service.read_state(|_, ops| {
        ops.reps
            .values()
            .map(|r| {
                let c = ops.load.reps.get(&r.id);
                let mut v = json!(r);
                v["open"] = json!(c.map_or(0, |c| c.open));
                v["assigned"] = json!(c.map_or(0, |c| c.assigned));
                v
            })
            .collect()
    });
    Ok(json(json!({ "items": items })))
}

/// `PUT /v1/reps/{id}`: creates or replaces a rep (team, capacity, weight, away).
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
    Ok(json(json!(rep)))
}

/// `DELETE /v1/reps/{id}`.
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
pub async fn get_routing(State(state): State<AppState>, _: Caller<need::Read>) -> Result<Response, Problem> {
    let source = state.service.read_state(|_, ops| ops.routing_source.clone());
    Ok(axum::response::IntoResponse::into_response(([(axum::http::header::CONTENT_TYPE, "application/toml; charset=utf-8")], source)))
}

/// `PUT /v1/routing`: replaces the routing file; errors name line, column and key.
pub async fn put_routing(
    State(state): State<AppState>,
    caller: Caller<need::Admin>,
    TomlText(text): TomlText,
) -> Result<Response, Problem> {
    let text = text.as_str();
    let routing = RoutingModel::from_toml(text, "upload").map_err(|e| {
        let mut p = Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_routing", e.to_string());
        let errors: Vec<Value> =
            e.issues.iter().map(|i| json!({"line": i.line, "column": i.column, "key": i.key, "message": i.message})).collect();
        p.extra = Some(json!({ "errors": errors }));
        p
    })?;
    let rules = routing.rules.len();
    state.service.put_routing(routing, text.to_string()).await?;
    state.service.audit(&caller.actor(), "routing.put", &format!("{rules} rules")).await?;
    Ok(json(json!({"rules": rules})))
}

/// Query of `GET /v1/accounts`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountsQuery {
    tier: Option<String>,
    limit: Option<usize>,
}

/// `GET /v1/accounts`: accounts ranked by account score, with buying-committee coverage.
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
    Ok(json(json!({ "items": scores })))
}

/// `GET /v1/reports/funnel`: stage counts, conversions, rejections by reason.
pub async fn funnel(State(state): State<AppState>, _: Caller<need::Read>) -> Result<Response, Problem> {
    state.service.flush().await;
    Ok(json(json!(state.service.funnel_report().await?)))
}

/// `GET /v1/reports/routing`: fairness (leads and quality leads per rep against weight).
pub async fn routing_report(State(state): State<AppState>, _: Caller<need::Read>) -> Result<Response, Problem> {
    Ok(json(json!(state.service.routing_report())))
}

/// `GET /v1/reports/sla`: breaches per rep, team and milestone; speed to lead.
pub async fn sla_report(State(state): State<AppState>, _: Caller<need::Read>) -> Result<Response, Problem> {
    Ok(json(json!(state.service.sla_report())))
}

/// `GET /v1/reports/stages`: every stage transition as CSV (`lead_id,stage,at,by,reason`),
/// the stage history `leadrank report --stages` reads.
pub async fn stages_csv(State(state): State<AppState>, _: Caller<need::Read>) -> Result<Response, Problem> {
    let body = state.service.stage_history_csv().await?;
    Ok(axum::response::IntoResponse::into_response(([(axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8")], body)))
}
