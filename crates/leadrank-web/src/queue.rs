//! My queue: the open leads a user works (a rep: assigned to them; a manager: their teams';
//! RevOps and admins: every assigned one), highest score first, with the SLA clock.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use leadrank_lifecycle::Stage;
use maud::{Markup, html};
use serde::Deserialize;

use crate::Web;
use crate::auth::Signed;
use crate::page;
use leadrank_service::access::Reach;

/// Most rows shown at once (the page says how many more there are).
pub const MAX_ROWS: usize = 200;

/// The stages a queue holds: waiting for sales or being worked.
pub const QUEUE_STAGES: [Stage; 4] = [Stage::Mql, Stage::Pql, Stage::Sal, Stage::Recycled];

/// Filters of the queue (all optional; empty means any).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct Filters {
    #[serde(default)]
    pub stage: String,
    #[serde(default)]
    pub cell: String,
    #[serde(default)]
    pub source: String,
    /// "1": only leads with a breached SLA milestone.
    #[serde(default)]
    pub breached: String,
    /// "1": show snoozed leads too.
    #[serde(default)]
    pub snoozed: String,
}

impl Filters {
    fn query(&self) -> String {
        let enc = |s: &str| {
            s.bytes()
                .map(|b| if b.is_ascii_alphanumeric() || b"-_.".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
                .collect::<String>()
        };
        format!(
            "stage={}&cell={}&source={}&breached={}&snoozed={}",
            enc(&self.stage),
            enc(&self.cell),
            enc(&self.source),
            enc(&self.breached),
            enc(&self.snoozed)
        )
    }
}

/// The open leads of one reach, best first, and the change counter they were read at.
pub type Candidates = (u64, std::sync::Arc<Vec<String>>);

/// One row of the queue.
#[derive(Debug, Clone)]
pub struct Row {
    pub lead_id: String,
    pub name: String,
    pub company: String,
    pub title: String,
    pub cell: String,
    pub total: i32,
    pub quality: bool,
    /// Change since the user last opened the queue, when known.
    pub delta: Option<i32>,
    /// The largest positive reasons, as rule labels.
    pub reasons: Vec<String>,
    pub stage: Stage,
    pub rep: Option<String>,
    pub source: String,
    /// The next SLA deadline, if a clock runs.
    pub due: Option<Timestamp>,
    pub breached: usize,
    pub last_activity: Option<Timestamp>,
    pub may_act: bool,
    /// Hidden from the queue until then (shown only with the snoozed filter).
    pub snoozed: Option<Timestamp>,
}

/// The queue's rows for `reach` with `filters`, highest total first: at most [`MAX_ROWS`],
/// and how many matched in all.
pub fn rows_for(web: &Web, reach: &Reach, filters: &Filters, now: Timestamp) -> (Vec<Row>, usize) {
    let want_stage: Option<Stage> = filters.stage.parse().ok();
    // The change counter is read before the state: a change made meanwhile bumps it after,
    // so a list kept under this version is never newer than its version says.
    let version = *web.service.changed.borrow();
    let key = format!("{reach:?}");
    let kept = web.candidates.lock().unwrap_or_else(|e| e.into_inner()).get(&key).filter(|(v, _)| *v == version).map(|(_, c)| c.clone());
    let (rows, matched, fresh) = web.service.read_state(|live, ops| {
        // The open leads in reach, best first: kept per reach until the next change of
        // scores or lead states (only then can the set or its order change).
        // A rep's or a manager's candidates come from the index of assigned leads (no walk
        // over every lead); everyone else's from the ranking.
        let fresh = kept.is_none().then(|| {
            let open = |id: &String| {
                ops.leads.get(id).is_some_and(|st| {
                    let assignment = st.assignment.as_ref().filter(|a| !a.released);
                    QUEUE_STAGES.contains(&st.lifecycle.stage)
                        && match reach {
                            Reach::Rep { rep, .. } => assignment.and_then(|a| a.rep.as_deref()) == Some(rep.as_str()),
                            _ => assignment.is_some() && reach.may_view(assignment),
                        }
                })
            };
            let indexed: Option<Vec<&String>> = match reach {
                Reach::Rep { rep, .. } => Some(ops.assigned().of_rep(rep).collect()),
                Reach::Teams(teams) => {
                    let mut ids: Vec<&String> = teams.iter().flat_map(|t| ops.assigned().of_team(t)).collect();
                    ids.sort_unstable();
                    ids.dedup();
                    Some(ids)
                }
                _ => None,
            };
            let ids: Vec<String> = match indexed {
                Some(ids) => {
                    // Best first, as the ranking orders them: total down, then lead id.
                    let mut ranked: Vec<(std::cmp::Reverse<i32>, &String)> = ids
                        .into_iter()
                        .filter(|id| open(id))
                        .filter_map(|id| live.current.get(id).map(|c| (std::cmp::Reverse(c.score.total), id)))
                        .collect();
                    ranked.sort_unstable();
                    ranked.into_iter().map(|(_, id)| id.clone()).collect()
                }
                None => live.ranking.iter().map(|(_, id)| id).filter(|id| open(id)).cloned().collect(),
            };
            std::sync::Arc::new(ids)
        });
        let candidates = kept.as_ref().or(fresh.as_ref()).map_or(&[][..], |c| c.as_slice());
        let model = live.book.model();
        let labels: HashMap<&str, &str> = model.rules.iter().map(|r| (&*r.id, &*r.label)).collect();
        let mut rows = Vec::new();
        let mut matched = 0;
        for id in candidates {
            let Some(st) = ops.leads.get(id) else { continue };
            let stage = st.lifecycle.stage;
            if !QUEUE_STAGES.contains(&stage) || want_stage.is_some_and(|w| w != stage) {
                continue;
            }
            let assignment = st.assignment.as_ref().filter(|a| !a.released);
            let snoozed = st.snoozed_until.filter(|u| *u > now);
            if snoozed.is_some() && filters.snoozed != "1" {
                continue;
            }
            let (Some(cur), Some(lead)) = (live.current.get(id), live.book.lead(id)) else { continue };
            if !filters.cell.is_empty() && cur.score.cell != filters.cell {
                continue;
            }
            if !filters.source.is_empty() && lead.source.as_deref() != Some(filters.source.as_str()) {
                continue;
            }
            // The SLA clock is read for the rows shown, and for every candidate only when
            // filtering on breaches (it is the costliest check of a row).
            let want_breached = filters.breached == "1";
            let mut status = None;
            if want_breached {
                status = st.sla.as_ref().map(|run| run.clock.evaluate(&st.touches, now));
                if status.as_ref().is_none_or(|s| s.breached.is_empty()) {
                    continue;
                }
            }
            matched += 1;
            if rows.len() == MAX_ROWS {
                continue;
            }
            if !want_breached {
                status = st.sla.as_ref().map(|run| run.clock.evaluate(&st.touches, now));
            }
            let breached = status.as_ref().map_or(0, |s| s.breached.len());
            let mut reasons: Vec<_> = cur.score.reasons.iter().filter(|r| r.points > 0).collect();
            reasons.sort_by_key(|r| -r.points);
            rows.push(Row {
                lead_id: id.clone(),
                name: page::person_name(lead.first_name.as_deref(), lead.last_name.as_deref()),
                company: lead.company.as_deref().unwrap_or("—").to_string(),
                title: lead.title.as_deref().unwrap_or("").to_string(),
                cell: cur.score.cell.clone(),
                total: cur.score.total,
                quality: cur.score.quality,
                delta: None,
                reasons: reasons
                    .iter()
                    .take(3)
                    .map(|r| labels.get(&*r.rule).map_or_else(|| r.rule.to_string(), |l| l.to_string()))
                    .collect(),
                stage,
                rep: assignment.and_then(|a| a.rep.clone()),
                source: lead.source.as_deref().unwrap_or("").to_string(),
                due: status.and_then(|s| s.next_due),
                breached,
                last_activity: live.book.engagement(id, now, 3650).and_then(|(last, _)| last),
                may_act: reach.may_act(assignment),
                snoozed,
            });
        }
        (rows, matched, fresh)
    });
    if let Some(list) = fresh {
        let mut kept = web.candidates.lock().unwrap_or_else(|e| e.into_inner());
        // One list per reach (users with the same reach share it); bounded by the users.
        if kept.len() > 10_000 {
            kept.clear();
        }
        kept.insert(key, (version, list));
    }
    (rows, matched)
}

/// Fills in each row's change since the user's last look (kept by the service across
/// restarts); with `remember`, this look becomes the last one. A look that cannot be read
/// shows no changes and says so in the log rather than failing the queue.
async fn with_deltas(web: &Web, username: &str, rows: &mut [Row], remember: bool) {
    let before = web.service.queue_looks(username).await.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "could not read a user's last look at their queue; showing no changes");
        Default::default()
    });
    for r in rows.iter_mut() {
        r.delta = before.get(&r.lead_id).map(|b| r.total - b).filter(|d| *d != 0);
    }
    if remember {
        web.service.remember_queue_look(username, rows.iter().map(|r| (r.lead_id.clone(), r.total)));
    }
}

/// Snooze for a while, or wake a snoozed lead.
pub fn snooze_form(lead_id: &str, csrf: &str, snoozed: Option<Timestamp>) -> Markup {
    html! {
        form.inline method="post" action={ "/leads/" (lead_id) "/snooze" } {
            input type="hidden" name="csrf" value=(csrf);
            @if let Some(until) = snoozed {
                span.muted { "snoozed until " (until.strftime("%Y-%m-%d %H:%M UTC")) } " "
                input type="hidden" name="hours" value="0";
                button type="submit" { "Wake" }
            } @else {
                label.sr-only for={ "snooze-" (lead_id) } { "Snooze for" }
                select id={ "snooze-" (lead_id) } name="hours" {
                    option value="1" { "1 hour" } option value="4" { "4 hours" } option value="24" { "1 day" } option value="72" { "3 days" }
                }
                button type="submit" data-key="s" { "Snooze" }
            }
        }
    }
}

fn reject_reasons(web: &Web) -> Vec<String> {
    web.service.read_state(|_, ops| ops.policy.rejection_reasons.clone())
}

/// The table body (also the live-refresh fragment).
pub fn tbody(rows: &[Row], matched: usize, now: Timestamp, csrf: &str, reasons: &[String]) -> Markup {
    html! {
        tbody #queue-rows {
            @if rows.is_empty() {
                tr { td colspan="8" .empty { "No open leads match. New leads routed to you appear here by themselves." } }
            }
            @for (i, r) in rows.iter().enumerate() {
                tr data-lead=(r.lead_id) data-row=(i) .breached[r.breached > 0] {
                    td.score data-label="Score" {
                        span.total { (r.total) }
                        @if let Some(d) = r.delta {
                            span.delta.up[d > 0].down[d < 0] title="Change since you last opened your queue" {
                                @if d > 0 { "+" } (d)
                            }
                        }
                        @if !r.cell.is_empty() { span.cell { (r.cell) } }
                    }
                    td data-label="Lead" {
                        a.lead href={ "/leads/" (r.lead_id) } { (r.name) }
                        div.muted { (r.title) }
                    }
                    td data-label="Company" { (r.company) }
                    td data-label="Why" {
                        @for reason in &r.reasons { span.chip { (reason) } }
                    }
                    td data-label="Stage" { span.stage { (r.stage.as_str()) } }
                    td data-label="SLA" {
                        @if r.breached > 0 {
                            span.sla.late { (r.breached) " breached" }
                        }
                        @if let Some(due) = r.due {
                            @let (words, class) = page::countdown(now, due);
                            span.sla.(class) data-due=(due.to_string()) { (words) }
                        } @else if r.breached == 0 {
                            span.muted { "—" }
                        }
                    }
                    td data-label="Last activity" {
                        @match r.last_activity {
                            Some(t) => { (page::ago(now, t)) }
                            None => { span.muted { "none" } }
                        }
                    }
                    td.actions data-label="Actions" {
                        @if r.may_act {
                            (snooze_form(&r.lead_id, csrf, r.snoozed))
                        }
                        @if r.may_act && matches!(r.stage, Stage::Mql | Stage::Pql | Stage::Recycled) {
                            form method="post" action={ "/leads/" (r.lead_id) "/accept" } {
                                input type="hidden" name="csrf" value=(csrf);
                                input type="hidden" name="back" value="/queue";
                                button type="submit" data-key="a" { "Accept" }
                            }
                            details.reject {
                                summary data-key="r" { "Reject…" }
                                form method="post" action={ "/leads/" (r.lead_id) "/reject" } {
                                    input type="hidden" name="csrf" value=(csrf);
                                    input type="hidden" name="back" value="/queue";
                                    label { "Reason"
                                        select name="reason" required {
                                            @for code in reasons { option value=(code) { (code) } }
                                        }
                                    }
                                    label { "Note" input name="note" maxlength="2000"; }
                                    button type="submit" { "Reject" }
                                }
                            }
                        } @else if r.may_act {
                            a href={ "/leads/" (r.lead_id) } { "Qualify" }
                        }
                    }
                }
            }
            @if matched > rows.len() {
                tr { td colspan="8" .muted { "Showing the top " (rows.len()) " of " (matched) " leads; narrow the filters to see others." } }
            }
        }
    }
}

/// `GET /queue`.
pub async fn page(State(web): State<Web>, signed: Signed, Query(filters): Query<Filters>) -> Response {
    let now = web.service.now();
    let reach = web.service.read_state(|_, ops| Reach::of(&signed.who.user, ops));
    let (mut rows, matched) = rows_for(&web, &reach, &filters, now);
    with_deltas(&web, signed.username(), &mut rows, true).await;
    let reasons = reject_reasons(&web);
    let stages: Vec<&str> = QUEUE_STAGES.iter().map(|s| s.as_str()).collect();
    let body = html! {
        h1 { "My queue" }
        p.muted { (matched) " open leads, highest score first. Keys: j/k move, Enter opens, a accepts, r rejects, s snoozes." }
        form.filters method="get" action="/queue" {
            label { "Stage "
                select name="stage" {
                    option value="" { "any" }
                    @for s in &stages { option value=(s) selected[filters.stage == *s] { (s) } }
                }
            }
            label { "Cell " input name="cell" value=(filters.cell) size="4" maxlength="8"; }
            label { "Source " input name="source" value=(filters.source) size="12" maxlength="100"; }
            label { input type="checkbox" name="breached" value="1" checked[filters.breached == "1"]; " SLA breached" }
            label { input type="checkbox" name="snoozed" value="1" checked[filters.snoozed == "1"]; " show snoozed" }
            button type="submit" { "Filter" }
        }
        div.table-wrap {
            table.queue data-live={ "/queue/rows?" (filters.query()) } {
                caption.sr-only { "Open leads" }
                thead { tr { th { "Score" } th { "Lead" } th { "Company" } th { "Why" } th { "Stage" } th { "SLA" } th { "Last activity" } th { "Actions" } } }
                (tbody(&rows, matched, now, &signed.who.csrf, &reasons))
            }
        }
    };
    page::shell(&signed, "My queue", "/queue", body)
}

/// `GET /queue/rows`: the table body alone, for the live refresh.
pub async fn rows(State(web): State<Web>, signed: Signed, Query(filters): Query<Filters>) -> Response {
    let now = web.service.now();
    let reach = web.service.read_state(|_, ops| Reach::of(&signed.who.user, ops));
    let (mut rows, matched) = rows_for(&web, &reach, &filters, now);
    with_deltas(&web, signed.username(), &mut rows, false).await;
    let reasons = reject_reasons(&web);
    tbody(&rows, matched, now, &signed.who.csrf, &reasons).into_response()
}
