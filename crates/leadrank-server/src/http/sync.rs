//! Scheduled CRM sync routes (`serve --sync-config`): each source's status, run now, pause
//! and resume.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use leadrank_service::sync_schedule::{SyncRunSummary, SyncSourceStatus};
use serde::Serialize;
use utoipa::ToSchema;

use super::body::PathParam;
use super::problem::Problem;
use super::problem::responses::*;
use super::views::Items;
use super::{AppState, Caller, need, view};

/// A run's counts (no record ids, no personal data).
#[derive(Debug, Serialize, ToSchema)]
pub struct SyncRunView {
    /// Records read from the CRM, over every object.
    pub read: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Records the mapping or the field checks refused.
    pub rejected: u64,
    /// CRM records and fields written back.
    pub records_written: u64,
    pub fields_written: u64,
    /// Records whose write failed (retried by the next run).
    pub write_failures: u64,
    /// API calls spent.
    pub calls: u64,
    /// Why the run stopped early (daily cap, retries exhausted), if it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
}

impl From<SyncRunSummary> for SyncRunView {
    fn from(s: SyncRunSummary) -> Self {
        SyncRunView {
            read: s.read,
            created: s.created,
            updated: s.updated,
            unchanged: s.unchanged,
            rejected: s.rejected,
            records_written: s.records_written,
            fields_written: s.fields_written,
            write_failures: s.write_failures,
            calls: s.calls,
            stopped: s.stopped,
        }
    }
}

/// A scheduled sync source and its status.
#[derive(Debug, Serialize, ToSchema)]
pub struct SyncSourceView {
    /// The source: its connector.
    #[schema(example = "hubspot")]
    pub name: String,
    /// The sync file it comes from.
    pub file: String,
    /// Seconds between runs.
    #[schema(example = 900)]
    pub interval_s: u64,
    /// `running`, `idle`, `paused` or `failed`.
    #[schema(example = "idle")]
    pub state: String,
    pub paused: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_started_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_ended_at: Option<String>,
    /// The last run's counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_result: Option<SyncRunView>,
    /// The last run's error, when it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// Failed runs in a row.
    pub failures: u32,
    /// Runs since the server started.
    pub runs: u64,
    /// When the next scheduled run is due (absent while paused).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_run_at: Option<String>,
}

impl From<SyncSourceStatus> for SyncSourceView {
    fn from(s: SyncSourceStatus) -> Self {
        SyncSourceView {
            name: s.name,
            file: s.file,
            interval_s: s.interval_s,
            state: s.state.as_str().into(),
            paused: s.paused,
            last_started_at: s.last_started.map(|t| t.to_string()),
            last_ended_at: s.last_ended.map(|t| t.to_string()),
            last_result: s.last_result.map(SyncRunView::from),
            last_error: s.last_error,
            failures: s.failures,
            runs: s.runs,
            next_run_at: s.next_run.map(|t| t.to_string()),
        }
    }
}

/// `GET /v1/sync`: the scheduled sources and their status.
#[utoipa::path(
    get,
    path = "/v1/sync",
    tag = "sync",
    operation_id = "listSyncSources",
    responses(
        (status = 200, description = "The sources in the order configured (none when the server runs no scheduled sync).", body = Items<SyncSourceView>),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["admin"]))
)]
pub async fn list_sync_sources(State(state): State<AppState>, _: Caller<need::Admin>) -> Result<Response, Problem> {
    Ok(view(Items::of(state.service.sync_sources(), SyncSourceView::from)))
}

/// `POST /v1/sync/{source}/run`: runs the source now (also when paused; audited).
#[utoipa::path(
    post,
    path = "/v1/sync/{source}/run",
    tag = "sync",
    operation_id = "runSyncSource",
    params(("source" = String, Path, description = "The source (`hubspot`).")),
    responses(
        (status = 202, description = "The run is starting; poll `GET /v1/sync` for its result.", body = SyncSourceView),
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
pub async fn run_sync_source(
    State(state): State<AppState>,
    caller: Caller<need::Admin>,
    PathParam(source): PathParam<String>,
) -> Result<Response, Problem> {
    let status = state.service.sync_run_now(&source, &caller.actor()).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(SyncSourceView::from(status))).into_response())
}

async fn set_paused(state: &AppState, source: &str, paused: bool, actor: &str) -> Result<Response, Problem> {
    Ok(view(SyncSourceView::from(state.service.sync_set_paused(source, paused, actor).await?)))
}

/// `POST /v1/sync/{source}/pause`: no scheduled runs until resumed (stored; audited).
#[utoipa::path(
    post,
    path = "/v1/sync/{source}/pause",
    tag = "sync",
    operation_id = "pauseSyncSource",
    params(("source" = String, Path, description = "The source (`hubspot`).")),
    responses(
        (status = 200, description = "Paused; a run in progress finishes.", body = SyncSourceView),
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
pub async fn pause_sync_source(
    State(state): State<AppState>,
    caller: Caller<need::Admin>,
    PathParam(source): PathParam<String>,
) -> Result<Response, Problem> {
    set_paused(&state, &source, true, &caller.actor()).await
}

/// `POST /v1/sync/{source}/resume`: back on the schedule (a run missed while paused runs now).
#[utoipa::path(
    post,
    path = "/v1/sync/{source}/resume",
    tag = "sync",
    operation_id = "resumeSyncSource",
    params(("source" = String, Path, description = "The source (`hubspot`).")),
    responses(
        (status = 200, description = "Resumed.", body = SyncSourceView),
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
pub async fn resume_sync_source(
    State(state): State<AppState>,
    caller: Caller<need::Admin>,
    PathParam(source): PathParam<String>,
) -> Result<Response, Problem> {
    set_paused(&state, &source, false, &caller.actor()).await
}
