//! The lead page and the lifecycle actions a rep or manager takes on it.

use std::sync::Arc;

use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use leadrank_core::engine::Score;
use leadrank_core::explain::{Gap, actionable_gap};
use leadrank_core::model::CompiledModel;
use leadrank_core::records::{Event, Lead};
use leadrank_lifecycle::checklist::{Completeness, ItemStatus};
use leadrank_lifecycle::{Stage, Transition};
use leadrank_service::ServiceError;
use leadrank_service::ops::LeadOpsState;
use leadrank_store::{OpsLogEntry, StoredScore};
use maud::{Markup, html};
use serde::Deserialize;

use crate::Web;
use crate::auth::Signed;
use crate::page;
use leadrank_service::access::{Reach, actor};

/// Longest note accepted with an action.
pub const MAX_NOTE: usize = 2000;

/// What the lead page shows, read under one lock.
struct Snapshot {
    lead: Lead,
    score: Option<(Score, Timestamp)>,
    model: Arc<CompiledModel>,
    gap: Option<Gap>,
    ops: Option<LeadOpsState>,
    checklist: Option<Completeness>,
    may_act: bool,
    reasons: Vec<String>,
    account: Option<String>,
}

/// Why a lead cannot be shown or acted on, as a page.
fn refusal(e: Refusal, lead_id: &str) -> Response {
    match e {
        Refusal::Missing => {
            page::error(StatusCode::NOT_FOUND, "No such lead", &format!("There is no lead '{lead_id}' (it may have been erased)."))
        }
        Refusal::Forbidden => page::error(
            StatusCode::FORBIDDEN,
            "Not your lead",
            "This lead belongs to another team. Ask its team's manager, or RevOps, if you need it.",
        ),
    }
}

enum Refusal {
    Missing,
    Forbidden,
}

fn snapshot(web: &Web, signed: &Signed, lead_id: &str, now: Timestamp) -> Result<Snapshot, Refusal> {
    web.service.read_state(|live, ops| {
        let lead = live.book.lead(lead_id).ok_or(Refusal::Missing)?.clone();
        let st = ops.leads.get(lead_id);
        let reach = Reach::of(&signed.who.user, ops);
        let assignment = st.and_then(|s| s.assignment.as_ref());
        if !reach.may_view(assignment) {
            return Err(Refusal::Forbidden);
        }
        let model = live.book.model().clone();
        let score = live.current.get(lead_id).map(|c| (c.score.clone(), c.as_of));
        let settled = live.book.settled_rules(lead_id, now).unwrap_or_default();
        let gap = score.as_ref().map(|(s, _)| actionable_gap(&model, s, &settled));
        let checklist = st.map(|s| s.lifecycle.checklist.completeness(ops.policy_for(lead_id).checklist));
        let account = lead.account_id.as_deref().and_then(|a| live.book.account(a)).and_then(|a| a.name.as_deref().map(str::to_string));
        Ok(Snapshot {
            may_act: reach.may_act(assignment),
            ops: st.cloned(),
            checklist,
            reasons: ops.policy.rejection_reasons.clone(),
            lead,
            score,
            model,
            gap,
            account,
        })
    })
}

/// `GET /leads/{lead_id}`.
pub async fn page(State(web): State<Web>, signed: Signed, Path(lead_id): Path<String>) -> Response {
    let now = web.service.now();
    let snap = match snapshot(&web, &signed, &lead_id, now) {
        Ok(s) => s,
        Err(e) => return refusal(e, &lead_id),
    };
    let (history, log, events) =
        match tokio::try_join!(web.service.score_history(&lead_id), web.service.lead_log(&lead_id), web.service.lead_events(&lead_id, 50),)
        {
            Ok(x) => x,
            Err(e) => {
                tracing::error!(error = %e, "reading a lead's history");
                return page::error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong",
                    "The lead's history could not be read; try again.",
                );
            }
        };
    let committee = snap.lead.account_id.as_deref().and_then(|a| leadrank_service::accounts::score_one(&web.service, a));
    let name = page::person_name(snap.lead.first_name.as_deref(), snap.lead.last_name.as_deref());
    let csrf = &signed.who.csrf;
    let body = html! {
        (header(&snap, &name, now))
        @if snap.may_act { (actions(&snap, &lead_id, csrf, now)) }
        div.grid {
            section.wide aria-labelledby="ledger-h" {
                h2 #ledger-h { "Why this score" }
                @match &snap.score {
                    Some((score, as_of)) => { (ledger(&snap.model, score, *as_of)) }
                    None => { p.muted { "Not scored yet." } }
                }
            }
            section aria-labelledby="gap-h" {
                h2 #gap-h { "What would qualify this lead" }
                @if let Some(gap) = &snap.gap { (gap_view(gap)) }
            }
            section aria-labelledby="check-h" {
                h2 #check-h { "Qualification checklist" }
                @if let Some(c) = &snap.checklist { (checklist_view(c, &lead_id, csrf, snap.may_act)) }
            }
            @if let Some(acc) = &committee {
                section aria-labelledby="acc-h" {
                    h2 #acc-h { "Buying committee" }
                    (committee_view(acc, &lead_id))
                }
            }
            section aria-labelledby="hist-h" {
                h2 #hist-h { "Score over time" }
                (history_view(&history, now))
            }
            section aria-labelledby="log-h" {
                h2 #log-h { "Lifecycle" }
                (log_view(&log, now))
            }
            section aria-labelledby="ev-h" {
                h2 #ev-h { "Activity" }
                (events_view(&events, now))
            }
        }
    };
    page::shell(&signed, &name, "", body)
}

fn header(snap: &Snapshot, name: &str, now: Timestamp) -> Markup {
    let l = &snap.lead;
    let st = snap.ops.as_ref();
    html! {
        div.lead-head {
            div {
                h1 { (name) }
                p.muted {
                    (l.title.as_deref().unwrap_or("")) @if l.title.is_some() && l.company.is_some() { " at " } (l.company.as_deref().unwrap_or(""))
                }
                dl.facts {
                    @if let Some(e) = &l.email { dt { "Email" } dd { (e) } }
                    @if let Some(c) = &l.country { dt { "Country" } dd { (c) } }
                    @if let Some(i) = &l.industry { dt { "Industry" } dd { (i) } }
                    @if let Some(n) = l.employees { dt { "Employees" } dd { (n) } }
                    @if let Some(a) = &snap.account { dt { "Account" } dd { (a) } }
                    @if let Some(s) = &l.source { dt { "Source" } dd { (s) } }
                    @if let Some(a) = st.and_then(|s| s.assignment.as_ref()) {
                        dt { "Owner" } dd { (a.rep.as_deref().or(a.queue.as_deref()).unwrap_or("unassigned")) @if let Some(t) = &a.team { " (" (t) ")" } }
                    }
                    @if let Some(s) = st {
                        dt { "Stage" } dd { span.stage { (s.lifecycle.stage.as_str()) } " since " (page::ago(now, s.lifecycle.since)) }
                    }
                }
            }
            @if let Some((score, _)) = &snap.score {
                div.bigscore aria-label="Score" {
                    span.total { (score.total) }
                    span.muted { "grade " (score.grade) @if !score.cell.is_empty() { " · " (score.cell) } }
                    @if score.quality { span.chip.good { "quality lead" } }
                }
            }
        }
    }
}

fn actions(snap: &Snapshot, lead_id: &str, csrf: &str, now: Timestamp) -> Markup {
    let stage = snap.ops.as_ref().map(|s| s.lifecycle.stage);
    let snoozed = snap.ops.as_ref().and_then(|s| s.snoozed_until).filter(|u| *u > now);
    html! {
        div.actions.bar {
            (crate::queue::snooze_form(lead_id, csrf, snoozed))
            @if matches!(stage, Some(Stage::Mql | Stage::Pql | Stage::Recycled)) {
                form method="post" action={ "/leads/" (lead_id) "/accept" } {
                    input type="hidden" name="csrf" value=(csrf);
                    button type="submit" data-key="a" { "Accept" }
                }
            }
            @if matches!(stage, Some(Stage::Mql | Stage::Pql | Stage::Recycled | Stage::Sal)) {
                form.inline method="post" action={ "/leads/" (lead_id) "/reject" } {
                    input type="hidden" name="csrf" value=(csrf);
                    label { "Reason "
                        select name="reason" required {
                            @for code in &snap.reasons { option value=(code) { (code) } }
                        }
                    }
                    label { "Note " input name="note" maxlength="2000"; }
                    button type="submit" { "Reject" }
                }
            }
        }
    }
}

/// The score as a waterfall: each rule's points from the running total before it to the one
/// after, per dimension, caps included.
fn ledger(model: &CompiledModel, score: &Score, as_of: Timestamp) -> Markup {
    let label = |id: &str| model.rules.iter().find(|r| &*r.id == id).map_or_else(|| id.to_string(), |r| r.label.clone());
    // Running totals, for the scale.
    let mut running = 0;
    let mut lo = 0;
    let mut hi = 0;
    let mut rows = Vec::new();
    for dim in &model.dimensions {
        for r in score.reasons.iter().filter(|r| r.dimension == dim.id) {
            let start = running;
            running += r.points;
            lo = lo.min(running);
            hi = hi.max(running);
            rows.push((dim, r, start, running));
        }
    }
    let span = (hi - lo).max(1) as f64;
    let x = |v: i32| ((v - lo) as f64 / span * 200.0).round() as i32;
    html! {
        p.muted { "Model " (model.id()) ", as of " (as_of.strftime("%Y-%m-%d %H:%M UTC")) }
        table.ledger {
            thead { tr { th { "Dimension" } th { "Rule" } th.num { "Points" } th { "Evidence" } th aria-hidden="true" {} } }
            tbody {
                @for (dim, r, start, end) in &rows {
                    tr {
                        td data-label="Dimension" { (dim.label) }
                        td data-label="Rule" { @if &*r.rule == "cap" { "cap" } @else { (label(&r.rule)) } }
                        td.num.pos[r.points > 0].neg[r.points < 0] data-label="Points" { @if r.points > 0 { "+" } (r.points) }
                        td.evidence data-label="Evidence" { (r.detail) }
                        td aria-hidden="true" {
                            svg.bar width="120" height="12" viewBox="0 0 200 12" {
                                rect x=(x(*start.min(end))) y="2" width=((x(*start.max(end)) - x(*start.min(end))).max(1)) height="8"
                                    class=(if r.points >= 0 { "up" } else { "down" }) {}
                            }
                        }
                    }
                }
            }
            tfoot {
                @for dim in &model.dimensions {
                    tr.dim { td { (dim.label) } td {} td.num { (score.dimensions.get(&dim.id)) @if let Some(c) = dim.cap { " / " (c) } } td {} td {} }
                }
                tr.total { td { "Total" } td {} td.num { (score.total) } td { "quality threshold " (model.quality_threshold) } td {} }
            }
        }
    }
}

/// The account's buying committee: each role with who engaged, who is only known, and what
/// is missing.
fn committee_view(acc: &leadrank_accounts::AccountScore, lead_id: &str) -> Markup {
    html! {
        p { (acc.name.as_deref().unwrap_or(&acc.account_id)) ": " (acc.people) " people, " (acc.engaged_people)
            " engaged in the last " (acc.engaged_within_days) " days, account score " (acc.total) }
        table.compact {
            thead { tr { th { "Role" } th { "Engaged" } th { "Known, not engaged" } } }
            tbody {
                @for c in &acc.coverage {
                    tr {
                        td { (c.role.label()) @if c.required { " *" } }
                        td { @if c.engaged.is_empty() { span.muted { "—" } } @for id in &c.engaged { (person_link(id, lead_id)) " " } }
                        td { @for id in &c.known { (person_link(id, lead_id)) " " } }
                    }
                }
            }
        }
        @if !acc.missing.is_empty() {
            ul { @for m in &acc.missing { li.warn { (m) } } }
        }
        p.muted.small { "* required for the committee to count as covered." }
    }
}

fn person_link(id: &str, this: &str) -> Markup {
    html! { @if id == this { strong { (id) " (this lead)" } } @else { a href={ "/leads/" (id) } { (id) } } }
}

fn gap_view(gap: &Gap) -> Markup {
    html! {
        @if gap.needed == 0 {
            p { "This is a quality lead." }
        } @else {
            p { (gap.needed) " more points reach the quality threshold." }
        }
        @if gap.suggestions.is_empty() {
            p.muted { "Nothing a person can still change would add points: what is left depends on facts already known." }
        } @else {
            ul.gap {
                @for (i, s) in gap.suggestions.iter().enumerate().take(8) {
                    li.path[i < gap.path] {
                        span.chip { "+" (s.gain) } " " strong { (s.label) } " — " span.muted { (s.condition) }
                    }
                }
            }
            p.muted.small { "Only signals a person can still change are shown; rules decided by what the record already says are left out." }
        }
    }
}

fn checklist_view(c: &Completeness, lead_id: &str, csrf: &str, may_act: bool) -> Markup {
    html! {
        p { (c.framework.to_uppercase()) ": " (c.confirmed) " of " (c.total) " confirmed" @if c.complete { " — complete" } }
        ul.checklist {
            @for item in &c.items {
                li.(status_class(item.status)) {
                    strong { (item.label) } " "
                    span.chip { (status_word(item.status)) }
                    @if let Some(n) = &item.note { " " span.muted { "“" (n) "”" } }
                    @if let Some(q) = &item.prompt { div.prompt { "Ask: " (q) } }
                    @if may_act {
                        form.inline method="post" action={ "/leads/" (lead_id) "/checklist" } {
                            input type="hidden" name="csrf" value=(csrf);
                            input type="hidden" name="framework" value=(c.framework);
                            input type="hidden" name="item" value=(item.id);
                            label.sr-only for={ "note-" (item.id) } { "Note for " (item.label) }
                            input id={ "note-" (item.id) } name="note" maxlength="2000" placeholder="note";
                            button type="submit" name="status" value="confirmed" { "Confirmed" }
                            button type="submit" name="status" value="negative" { "No" }
                        }
                    }
                }
            }
        }
    }
}

fn status_word(s: ItemStatus) -> &'static str {
    match s {
        ItemStatus::Confirmed => "confirmed",
        ItemStatus::Unknown => "unknown",
        ItemStatus::Negative => "no",
    }
}

fn status_class(s: ItemStatus) -> &'static str {
    match s {
        ItemStatus::Confirmed => "ok",
        ItemStatus::Unknown => "open",
        ItemStatus::Negative => "neg",
    }
}

fn history_view(history: &[StoredScore], now: Timestamp) -> Markup {
    if history.is_empty() {
        return html! { p.muted { "No score changes recorded yet." } };
    }
    let lo = history.iter().map(|h| h.total).min().unwrap_or(0).min(0);
    let hi = history.iter().map(|h| h.total).max().unwrap_or(0).max(lo + 1);
    let n = history.len().max(2) - 1;
    let pts: Vec<String> =
        history.iter().enumerate().map(|(i, h)| format!("{},{}", i * 400 / n, 90 - (h.total - lo) * 80 / (hi - lo))).collect();
    html! {
        svg.spark width="100%" height="100" viewBox="0 0 400 100" preserveAspectRatio="none" role="img" aria-label={ "Score from " (history[0].total) " to " (history[history.len() - 1].total) } {
            polyline points=(pts.join(" ")) {}
        }
        table.compact {
            thead { tr { th { "When" } th.num { "Score" } th { "Why" } } }
            tbody {
                @for h in history.iter().rev().take(10) {
                    tr { td { (page::ago(now, h.as_of)) } td.num { (h.total) } td { (h.cause) } }
                }
            }
        }
    }
}

fn log_view(log: &[OpsLogEntry], now: Timestamp) -> Markup {
    html! {
        @if log.is_empty() { p.muted { "Nothing yet." } }
        ol.log {
            @for e in log.iter().rev().take(30) {
                li {
                    span.muted { (page::ago(now, e.at)) } " "
                    @if e.kind == "transition" {
                        @if let Ok(t) = serde_json::from_str::<Transition>(&e.body) {
                            strong { @if let Some(f) = t.from { (f.as_str()) " → " } (t.to.as_str()) }
                            " by " (t.actor) " — " (t.reason)
                            @if let Some(code) = &t.rejection { " " span.chip { (code) } }
                            @if let Some(n) = &t.note { " " span.muted { "“" (n) "”" } }
                        }
                    } @else {
                        strong { (e.kind) } " " span.muted { (summary(&e.body)) }
                    }
                }
            }
        }
    }
}

/// A short reading of a log entry's JSON: its `detail` or `reason` text when it has one.
fn summary(body: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    ["detail", "reason", "milestone", "item"]
        .iter()
        .find_map(|k| v.get(*k).and_then(|x| x.as_str()).map(str::to_string))
        .unwrap_or_default()
}

fn events_view(events: &[Event], now: Timestamp) -> Markup {
    html! {
        @if events.is_empty() { p.muted { "No activity recorded." } }
        ol.log {
            @for e in events {
                li {
                    span.muted { (page::ago(now, e.occurred_at)) } " "
                    strong { (e.event_type) }
                    @if let Some(u) = &e.url { " " span.url { (u) } }
                }
            }
        }
    }
}

#[derive(Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    note: String,
    /// Where to go after: "/queue" or the lead page.
    #[serde(default)]
    back: String,
}

#[derive(Deserialize)]
pub struct SnoozeForm {
    #[serde(default)]
    csrf: String,
    /// Hours from now; 0 wakes the lead.
    hours: String,
}

/// `POST /leads/{lead_id}/snooze`: hides the lead from the queue for 1 to 168 hours, or
/// wakes it (0); back to the queue.
pub async fn snooze(State(web): State<Web>, signed: Signed, Path(lead_id): Path<String>, Form(f): Form<SnoozeForm>) -> Response {
    let (by, _) = match prepare(&web, &signed, &lead_id, &f.csrf, "") {
        Ok(x) => x,
        Err(r) => return r,
    };
    let until = match f.hours.trim().parse::<i64>() {
        Ok(0) => None,
        Ok(h @ 1..=168) => Some(web.service.now() + jiff::SignedDuration::from_hours(h)),
        _ => return page::error(StatusCode::UNPROCESSABLE_ENTITY, "Not accepted", &format!("hours '{}': 0 to wake, or 1 to 168", f.hours)),
    };
    match web.service.snooze(&lead_id, until, &by).await {
        Ok(()) => Redirect::to("/queue").into_response(),
        Err(ServiceError::NotFound(_)) => refusal(Refusal::Missing, &lead_id),
        Err(e) => {
            tracing::error!(error = %e, "snoozing");
            page::error(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong", "The lead was not snoozed; try again.")
        }
    }
}

#[derive(Deserialize)]
pub struct ChecklistForm {
    #[serde(default)]
    csrf: String,
    framework: String,
    item: String,
    status: String,
    #[serde(default)]
    note: String,
}

/// Checks that the signed-in user may act on the lead; returns who acts.
fn may_act(web: &Web, signed: &Signed, lead_id: &str) -> Result<String, Response> {
    let allowed = web.service.read_state(|live, ops| {
        if live.book.lead(lead_id).is_none() {
            return Err(Refusal::Missing);
        }
        let reach = Reach::of(&signed.who.user, ops);
        let a = ops.leads.get(lead_id).and_then(|s| s.assignment.as_ref());
        if reach.may_act(a) { Ok(()) } else { Err(Refusal::Forbidden) }
    });
    allowed.map(|()| actor(&signed.who.user)).map_err(|e| refusal(e, lead_id))
}

/// The checks every action form passes: its form token, the user's right to act on the
/// lead, and the note's length. Returns who acts and the note.
fn prepare<'n>(web: &Web, signed: &Signed, lead_id: &str, csrf: &str, note_text: &'n str) -> Result<(String, Option<&'n str>), Response> {
    signed.check_csrf(csrf)?;
    let by = may_act(web, signed, lead_id)?;
    Ok((by, note(note_text)?))
}

fn note(n: &str) -> Result<Option<&str>, Response> {
    if n.chars().count() > MAX_NOTE {
        return Err(page::error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Note too long",
            &format!("A note holds at most {MAX_NOTE} characters."),
        ));
    }
    Ok(Some(n.trim()).filter(|s| !s.is_empty()))
}

fn after(result: Result<Option<Transition>, ServiceError>, lead_id: &str, back: &str) -> Response {
    match result {
        Ok(_) => {
            let to = if back == "/queue" { "/queue".to_string() } else { format!("/leads/{lead_id}") };
            Redirect::to(&to).into_response()
        }
        Err(ServiceError::Lifecycle(e)) => page::error(StatusCode::CONFLICT, "That move is not allowed", &e.to_string()),
        Err(ServiceError::NotFound(_)) => refusal(Refusal::Missing, lead_id),
        Err(e) => {
            tracing::error!(error = %e, "a lifecycle action");
            page::error(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong", "The action was not recorded; try again.")
        }
    }
}

/// `POST /leads/{lead_id}/accept`.
pub async fn accept(State(web): State<Web>, signed: Signed, Path(lead_id): Path<String>, Form(f): Form<ActionForm>) -> Response {
    let (by, n) = match prepare(&web, &signed, &lead_id, &f.csrf, &f.note) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let result = web.service.lifecycle_action(&lead_id, |p, st, _, now| p.accept(st, &by, n, now).map(Some)).await;
    after(result, &lead_id, &f.back)
}

/// `POST /leads/{lead_id}/reject`.
pub async fn reject(State(web): State<Web>, signed: Signed, Path(lead_id): Path<String>, Form(f): Form<ActionForm>) -> Response {
    let (by, n) = match prepare(&web, &signed, &lead_id, &f.csrf, &f.note) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let reason = f.reason.trim().to_string();
    let result = web.service.lifecycle_action(&lead_id, |p, st, total, now| p.reject(st, &by, &reason, n, total, now).map(Some)).await;
    after(result, &lead_id, &f.back)
}

/// `POST /leads/{lead_id}/checklist`: one item confirmed or known to be missing.
pub async fn checklist(State(web): State<Web>, signed: Signed, Path(lead_id): Path<String>, Form(f): Form<ChecklistForm>) -> Response {
    let (by, n) = match prepare(&web, &signed, &lead_id, &f.csrf, &f.note) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let status = match f.status.as_str() {
        "confirmed" => ItemStatus::Confirmed,
        "negative" => ItemStatus::Negative,
        "unknown" => ItemStatus::Unknown,
        other => {
            return page::error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Unknown status",
                &format!("'{other}' is not confirmed, negative or unknown."),
            );
        }
    };
    let result = web.service.lifecycle_action(&lead_id, |p, st, _, now| p.set_item(st, &f.framework, &f.item, status, n, &by, now)).await;
    after(result, &lead_id, "")
}
