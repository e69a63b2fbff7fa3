//! The "CRM sync" card of Settings, for admins and RevOps: each scheduled source
//! (`serve --sync-config`) with its state, last and next run, and Run now / Pause / Resume.

use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use leadrank_crm::schedule::format_interval;
use leadrank_service::Service;
use leadrank_service::sync_schedule::SyncState;
use leadrank_service::users::Role;
use maud::{Markup, html};
use serde::Deserialize;

use crate::Web;
use crate::auth::Signed;
use crate::page;

/// Whether this user may see and command the scheduled sync.
pub fn allowed(signed: &Signed) -> bool {
    matches!(signed.role(), Role::Admin | Role::Revops)
}

/// "due now", "in 12 min", "in 3 h".
fn when(now: Timestamp, t: Timestamp) -> String {
    match t.duration_since(now).as_secs() {
        i64::MIN..=0 => "due now".into(),
        1..=59 => "in under a minute".into(),
        s @ 60..=3599 => format!("in {} min", s / 60),
        s @ 3600..=86_399 => format!("in {} h", s / 3600),
        s => format!("in {} d", s / 86_400),
    }
}

/// The card.
pub fn card(service: &Service, csrf: &str) -> Markup {
    let sources = service.sync_sources();
    let now = service.now();
    html! {
        section aria-labelledby="sync-h" {
            h2 #sync-h { "CRM sync" }
            @if sources.is_empty() {
                p.muted { "No scheduled sync: start the server with " code { "--sync-config sync.toml" } " (see docs/crm-sync.md)." }
            } @else {
                div.table-wrap { table.compact {
                    thead { tr { th { "Source" } th { "Every" } th { "State" } th { "Last run" } th { "Result" } th { "Next run" } th { "Actions" } } }
                    tbody { @for s in &sources { tr {
                        td data-label="Source" { (s.name) }
                        td data-label="Every" { (format_interval(std::time::Duration::from_secs(s.interval_s))) }
                        td data-label="State" {
                            @match s.state {
                                SyncState::Failed => { span.chip.warn { "failed" } },
                                SyncState::Paused => { span.chip { "paused" } },
                                SyncState::Running => { span.chip.good { "running" } },
                                SyncState::Idle => { span.chip { "idle" } },
                            }
                        }
                        td data-label="Last run" { @if let Some(t) = s.last_ended { (page::ago(now, t)) } @else { span.muted { "never" } } }
                        td data-label="Result" {
                            @if let Some(r) = &s.last_result {
                                (r.read) " read, " (r.created + r.updated) " stored, " (r.records_written) " written back, " (r.calls) " calls"
                                @if r.rejected > 0 { ", " (r.rejected) " rejected" }
                                @if r.write_failures > 0 { ", " (r.write_failures) " not written" }
                            }
                            @if let Some(e) = &s.last_error { " " span.warn { (e) } }
                        }
                        td data-label="Next run" { @if let Some(t) = s.next_run { (when(now, t)) } @else { span.muted { "paused" } } }
                        td.actions data-label="Actions" {
                            form method="post" action="/settings/sync" {
                                input type="hidden" name="csrf" value=(csrf);
                                input type="hidden" name="source" value=(s.name);
                                button type="submit" name="action" value="run" disabled[s.state == SyncState::Running] { "Run now" }
                                @if s.paused {
                                    button type="submit" name="action" value="resume" { "Resume" }
                                } @else {
                                    button type="submit" name="action" value="pause" { "Pause" }
                                }
                            }
                        }
                    } } }
                } }
                p.muted.small { "Runs read what the CRM changed since the last one and write scores back; counts only, no record ids. A failed source keeps its schedule and retries sooner at first." }
            }
        }
    }
}

#[derive(Deserialize)]
pub struct SyncForm {
    #[serde(default)]
    csrf: String,
    source: String,
    action: String,
}

/// `POST /settings/sync`: run now, pause or resume a source.
pub async fn action(State(web): State<Web>, signed: Signed, Form(f): Form<SyncForm>) -> Response {
    if !allowed(&signed) {
        return page::error(StatusCode::FORBIDDEN, "Admins and RevOps only", "The CRM sync is commanded by admins and RevOps.");
    }
    if let Err(r) = signed.check_csrf(&f.csrf) {
        return r;
    }
    let actor = format!("user:{}", signed.username());
    let result = match f.action.as_str() {
        "run" => web.service.sync_run_now(&f.source, &actor).await,
        "pause" => web.service.sync_set_paused(&f.source, true, &actor).await,
        "resume" => web.service.sync_set_paused(&f.source, false, &actor).await,
        _ => return page::error(StatusCode::BAD_REQUEST, "Not understood", "The action is one of run, pause, resume."),
    };
    match result {
        Ok(_) => Redirect::to("/settings").into_response(),
        Err(e) => page::failed(e, "commanding the CRM sync"),
    }
}
