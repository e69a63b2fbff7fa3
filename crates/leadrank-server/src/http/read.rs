//! Reads: leads ranked by score, one lead, its score with the full explanation, its score
//! history, accounts; and the unauthenticated operations routes.

use std::cmp::Reverse;
use std::ops::Bound;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use serde::Deserialize;
use serde_json::{Value, json};

use super::body::{PathParam, QueryParams};
use super::problem::Problem;
use super::views::HistoryView;
use super::{AppState, Caller, json, need};

/// Query of `GET /v1/leads`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    quality: Option<bool>,
    grade: Option<String>,
    cell: Option<String>,
    /// The owner of the lead's account.
    owner: Option<String>,
    source: Option<String>,
    /// The lifecycle stage (mql, sal, ...).
    stage: Option<String>,
    /// The rep the lead is assigned to.
    rep: Option<String>,
    updated_since: Option<String>,
    limit: Option<usize>,
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
            items.push(json!({
                "lead_id": id, "total": total, "quality": s.quality, "grade": &*s.grade, "cell": s.cell,
                "source": lead.source.as_deref(), "owner": owner,
                "stage": lead_stage.map(|x| x.as_str()), "rep": lead_rep,
                "updated_at": cur.updated_at.to_string(), "as_of": cur.as_of.to_string(),
            }));
            last = Some((*total, id.clone()));
        }
        (items, last, more)
    });
    let next = if more { last.map(|(t, id)| cursor_encode(t, &id)) } else { None };
    Ok(json(json!({ "items": items, "next_cursor": next })))
}

/// `GET /v1/leads/{lead_id}`: the lead record and its current score summary.
pub async fn lead(
    State(state): State<AppState>,
    _: Caller<need::Read>,
    PathParam(lead_id): PathParam<String>,
) -> Result<Response, Problem> {
    let live = state.service.live_read();
    let lead = live.book.lead(&lead_id).ok_or_else(|| Problem::not_found(format!("lead '{lead_id}'")))?;
    let cur = live.current.get(&lead_id);
    Ok(json(json!({
        "lead": lead,
        "score": cur.map(|c| json!({"total": c.score.total, "quality": c.score.quality, "grade": &*c.score.grade, "cell": c.score.cell, "as_of": c.as_of.to_string()})),
    })))
}

/// `GET /v1/leads/{lead_id}/score`: the score now, with every reason, the ledger and the gap
/// to the quality threshold; equal to `leadrank score --as-of <as_of>` on the same data.
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
    Ok(json(json!({
        "as_of": at,
        "model": {"id": model_id, "name": model.name, "version": model.version},
        "score": score,
        "gap": gap,
        "explanation": ledger,
    })))
}

/// `GET /v1/leads/{lead_id}/history`: each change of the score, when and why.
pub async fn history(
    State(state): State<AppState>,
    _: Caller<need::Read>,
    PathParam(lead_id): PathParam<String>,
) -> Result<Response, Problem> {
    if state.service.live_read().book.lead(&lead_id).is_none() {
        return Err(Problem::not_found(format!("lead '{lead_id}'")));
    }
    let items: Vec<HistoryView> = state.service.score_history(&lead_id).await?.into_iter().map(HistoryView::from).collect();
    Ok(json(json!({ "lead_id": lead_id, "items": items })))
}

/// `GET /v1/accounts/{account_id}`: the account and its people with their scores.
pub async fn account(
    State(state): State<AppState>,
    _: Caller<need::Read>,
    PathParam(account_id): PathParam<String>,
) -> Result<Response, Problem> {
    let live = state.service.live_read();
    let account = live.book.account(&account_id).ok_or_else(|| Problem::not_found(format!("account '{account_id}'")))?;
    let mut people: Vec<Value> = live
        .book
        .leads()
        .filter(|l| l.account_id.as_deref() == Some(account_id.as_str()))
        .map(|l| {
            let s = live.current.get(&l.lead_id);
            json!({"lead_id": l.lead_id, "total": s.map(|c| c.score.total), "quality": s.map(|c| c.score.quality)})
        })
        .collect();
    people.sort_by_key(|p| (Reverse(p["total"].as_i64().unwrap_or(i64::MIN)), p["lead_id"].as_str().unwrap_or("").to_string()));
    let account = account.clone();
    drop(live);
    let score = leadrank_service::accounts::score_one(&state.service, &account_id);
    let explanation = score.as_ref().map(leadrank_accounts::explain_account);
    Ok(json(json!({ "account": account, "people": people, "score": score, "explanation": explanation })))
}

/// `GET /readyz`: ready when the database answers.
pub async fn ready(State(state): State<AppState>) -> Response {
    match state.service.ready().await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(e) => Problem::new(StatusCode::SERVICE_UNAVAILABLE, "not_ready", format!("database: {e}")).into_response(),
    }
}

/// `GET /metrics`: Prometheus text format.
pub async fn metrics(State(state): State<AppState>) -> Response {
    if let Some(stats) = &state.webhook_stats {
        let s = stats.snapshot();
        state.service.metrics.webhook_totals(s.delivered, s.failed_attempts);
    }
    ([(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], state.service.metrics.render()).into_response()
}

/// The OpenAPI document.
pub const OPENAPI: &str = include_str!("../../openapi.json");

/// `GET /openapi.json`.
pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}
