//! Reads: leads ranked by score, one lead, its score with the full explanation, its score
//! history, accounts; and the unauthenticated operations routes.

use std::cmp::Reverse;
use std::ops::Bound;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use serde::Deserialize;
use utoipa::IntoParams;

use super::body::{PathParam, QueryParams};
use super::problem::Problem;
use super::problem::responses::*;
use super::views::{
    AccountPerson, AccountView, HistoryList, HistoryView, LeadList, LeadListItem, LeadView, ScoreBody, ScoreSummary, ScoreView,
    ScoringModel,
};
use super::{AppState, Caller, need, view};

/// Query of `GET /v1/leads`; every filter is optional and they combine.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only quality leads (true) or only the others (false).
    quality: Option<bool>,
    /// The grade, e.g. A.
    grade: Option<String>,
    /// The fit-by-intent cell, e.g. A1.
    cell: Option<String>,
    /// The owner of the lead's account.
    owner: Option<String>,
    /// The lead's source.
    source: Option<String>,
    /// The lifecycle stage (inquiry, mql, pql, sal, sql, opportunity, won, lost, nurture,
    /// recycled, disqualified).
    stage: Option<String>,
    /// The rep the lead is assigned to.
    rep: Option<String>,
    /// Scores changed at or after this time (RFC 3339, or a date).
    updated_since: Option<String>,
    /// Leads per page, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<usize>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
}

fn cursor_encode(total: i32, lead_id: &str) -> String {
    hex::encode(format!("{total}\t{lead_id}"))
}

fn cursor_decode(c: &str) -> Option<(i32, String)> {
    let text = String::from_utf8(hex::decode(c).ok()?).ok()?;
    let (t, id) = text.split_once('\t')?;
    Some((t.parse().ok()?, id.to_string()))
}

/// `GET /v1/leads`: leads ranked by score (highest first), filtered, cursor-paginated.
#[utoipa::path(
    get,
    path = "/v1/leads",
    tag = "read",
    operation_id = "listLeads",
    params(ListQuery),
    responses(
        (status = 200, description = "A page of leads, highest score first.", body = LeadList),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["read"]))
)]
pub async fn list_leads(
    State(state): State<AppState>,
    _: Caller<need::Read>,
    QueryParams(q): QueryParams<ListQuery>,
) -> Result<Response, Problem> {
    let limit = q.limit.unwrap_or(50);
    if limit == 0 || limit > 500 {
        return Err(Problem::field("invalid_parameter", "/query/limit", "limit must be 1 to 500"));
    }
    let since: Option<Timestamp> = match &q.updated_since {
        Some(s) => Some(
            leadrank_core::records::parse_time(s)
                .ok()
                .flatten()
                .ok_or_else(|| Problem::field("invalid_parameter", "/query/updated_since", "expected an RFC 3339 time or a date"))?,
        ),
        None => None,
    };
    let after = match &q.cursor {
        Some(c) => {
            Some(cursor_decode(c).ok_or_else(|| Problem::field("invalid_parameter", "/query/cursor", "not a cursor this API gave"))?)
        }
        None => None,
    };
    let stage = match q.stage.as_deref() {
        Some(s) => {
            Some(s.parse::<leadrank_lifecycle::Stage>().map_err(|e| Problem::field("invalid_parameter", "/query/stage", e.to_string()))?)
        }
        None => None,
    };
    let (items, last, more) = state.service.read_state(|live, ops| {
        let start = match &after {
            Some((total, id)) => Bound::Excluded((Reverse(*total), id.clone())),
            None => Bound::Unbounded,
        };
        let mut items = Vec::with_capacity(limit);
        let mut last: Option<(i32, String)> = None;
        let mut more = false;
        for (Reverse(total), id) in live.ranking.range((start, Bound::Unbounded)) {
            let (Some(cur), Some(lead)) = (live.current.get(id), live.book.lead(id)) else { continue };
            let owner = lead.account_id.as_deref().and_then(|a| live.book.account(a)).and_then(|a| a.owner.as_deref());
            let s = &cur.score;
            let st = ops.leads.get(id);
            let lead_stage = st.map(|x| x.lifecycle.stage);
            // The rep who worked the lead last, also after it left the sales stages.
            let lead_rep = st.and_then(|x| x.assignment.as_ref()).and_then(|a| a.rep.as_deref());
            let keep = stage.is_none_or(|want| lead_stage == Some(want))
                && q.rep.as_deref().is_none_or(|r| lead_rep == Some(r))
                && q.quality.is_none_or(|want| s.quality == want)
                && q.grade.as_deref().is_none_or(|g| &*s.grade == g)
                && q.cell.as_deref().is_none_or(|c| s.cell == c)
                && q.owner.as_deref().is_none_or(|o| owner == Some(o))
                && q.source.as_deref().is_none_or(|src| lead.source.as_deref() == Some(src))
                && since.is_none_or(|t| cur.updated_at >= t);
            if !keep {
                continue;
            }
            if items.len() == limit {
                more = true;
                break;
            }
            items.push(LeadListItem {
                lead_id: id.clone(),
                total: *total,
                quality: s.quality,
                grade: s.grade.to_string(),
                cell: s.cell.clone(),
                source: lead.source.as_deref().map(str::to_string),
                owner: owner.map(str::to_string),
                stage: lead_stage.map(|x| x.as_str().to_string()),
                rep: lead_rep.map(str::to_string),
                updated_at: cur.updated_at.to_string(),
                as_of: cur.as_of.to_string(),
            });
            last = Some((*total, id.clone()));
        }
        (items, last, more)
    });
    let next = if more { last.map(|(t, id)| cursor_encode(t, &id)) } else { None };
    Ok(view(LeadList { items, next_cursor: next }))
}

/// `GET /v1/leads/{lead_id}`: the lead record and its current score summary.
#[utoipa::path(
    get,
    path = "/v1/leads/{lead_id}",
    tag = "read",
    operation_id = "getLead",
    params(("lead_id" = String, Path, description = "The lead's id.")),
    responses(
        (status = 200, description = "The lead and its current score.", body = LeadView),
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
pub async fn lead(
    State(state): State<AppState>,
    _: Caller<need::Read>,
    PathParam(lead_id): PathParam<String>,
) -> Result<Response, Problem> {
    let live = state.service.live_read();
    let lead = live.book.lead(&lead_id).ok_or_else(|| Problem::not_found(format!("lead '{lead_id}'")))?;
    let score = live.current.get(&lead_id).map(|c| ScoreSummary {
        total: c.score.total,
        quality: c.score.quality,
        grade: c.score.grade.to_string(),
        cell: c.score.cell.clone(),
        as_of: c.as_of.to_string(),
    });
    Ok(view(LeadView { lead: lead.clone(), score }))
}

/// `GET /v1/leads/{lead_id}/score`: the score now, with every reason, the ledger and the gap
/// to the quality threshold; equal to `leadrank score --as-of <as_of>` on the same data.
#[utoipa::path(
    get,
    path = "/v1/leads/{lead_id}/score",
    tag = "read",
    operation_id = "getScore",
    params(("lead_id" = String, Path, description = "The lead's id.")),
    responses(
        (status = 200, description = "The score now, with every reason, the ledger and the gap.", body = ScoreView),
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
pub async fn score(
    State(state): State<AppState>,
    _: Caller<need::Read>,
    PathParam(lead_id): PathParam<String>,
) -> Result<Response, Problem> {
    let (score, as_of) = state.service.score_now(&lead_id).ok_or_else(|| Problem::not_found(format!("lead '{lead_id}'")))?;
    let (model_id, model) = state.service.model();
    let at = as_of.to_string();
    let ledger = leadrank_core::explain::ledger(&model, &score, &at);
    let gap = leadrank_core::explain::gap(&model, &score);
    Ok(view(ScoreView {
        as_of: at,
        model: ScoringModel { id: model_id, name: model.name.to_string(), version: model.version.to_string() },
        score: ScoreBody::from(score),
        gap,
        explanation: ledger,
    }))
}

/// `GET /v1/leads/{lead_id}/history`: each change of the score, when and why.
#[utoipa::path(
    get,
    path = "/v1/leads/{lead_id}/history",
    tag = "read",
    operation_id = "getHistory",
    params(("lead_id" = String, Path, description = "The lead's id.")),
    responses(
        (status = 200, description = "Each change of the score, oldest first.", body = HistoryList),
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
pub async fn history(
    State(state): State<AppState>,
    _: Caller<need::Read>,
    PathParam(lead_id): PathParam<String>,
) -> Result<Response, Problem> {
    if state.service.live_read().book.lead(&lead_id).is_none() {
        return Err(Problem::not_found(format!("lead '{lead_id}'")));
    }
    let items: Vec<HistoryView> = state.service.score_history(&lead_id).await?.into_iter().map(HistoryView::from).collect();
    Ok(view(HistoryList { lead_id, items }))
}

/// `GET /v1/accounts/{account_id}`: the account and its people with their scores.
#[utoipa::path(
    get,
    path = "/v1/accounts/{account_id}",
    tag = "read",
    operation_id = "getAccount",
    params(("account_id" = String, Path, description = "The account's id.")),
    responses(
        (status = 200, description = "The account, its people and its score.", body = AccountView),
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
pub async fn account(
    State(state): State<AppState>,
    _: Caller<need::Read>,
    PathParam(account_id): PathParam<String>,
) -> Result<Response, Problem> {
    let live = state.service.live_read();
    let account = live.book.account(&account_id).ok_or_else(|| Problem::not_found(format!("account '{account_id}'")))?;
    let mut people: Vec<AccountPerson> = live
        .book
        .leads()
        .filter(|l| l.account_id.as_deref() == Some(account_id.as_str()))
        .map(|l| {
            let s = live.current.get(&l.lead_id);
            AccountPerson { lead_id: l.lead_id.clone(), total: s.map(|c| c.score.total), quality: s.map(|c| c.score.quality) }
        })
        .collect();
    people.sort_by(|a, b| (Reverse(a.total.unwrap_or(i32::MIN)), &a.lead_id).cmp(&(Reverse(b.total.unwrap_or(i32::MIN)), &b.lead_id)));
    let account = account.clone();
    drop(live);
    let score = leadrank_service::accounts::score_one(&state.service, &account_id);
    let explanation = score.as_ref().map(leadrank_accounts::explain_account);
    Ok(view(AccountView { account, people, score, explanation }))
}

/// `GET /healthz`: the process is up.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "operations",
    operation_id = "healthz",
    responses(
        (status = 200, description = "The process is up (answers also when every request slot is taken).", body = String, content_type = "text/plain")
    )
)]
pub async fn healthz() -> &'static str {
    "ok"
}

/// `GET /readyz`: ready when the database answers.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "operations",
    operation_id = "readyz",
    responses(
        (status = 200, description = "The database answers.", body = String, content_type = "text/plain"),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    )
)]
pub async fn ready(State(state): State<AppState>) -> Response {
    match state.service.ready().await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(e) => Problem::new(StatusCode::SERVICE_UNAVAILABLE, "not_ready", format!("database: {e}")).into_response(),
    }
}

/// `GET /metrics`: Prometheus text format.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "operations",
    operation_id = "metrics",
    responses(
        (status = 200, description = "Prometheus metrics (OpenMetrics text).", body = String, content_type = "application/openmetrics-text")
    )
)]
pub async fn metrics(State(state): State<AppState>) -> Response {
    if let Some(stats) = &state.webhook_stats {
        let s = stats.snapshot();
        state.service.metrics.webhook_totals(s.delivered, s.failed_attempts);
    }
    ([(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], state.service.metrics.render()).into_response()
}

/// `GET /openapi.json`.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "operations",
    operation_id = "openapi",
    responses(
        (status = 200, description = "This document.", body = Object, content_type = "application/json"),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    )
)]
pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], super::doc::json()).into_response()
}
