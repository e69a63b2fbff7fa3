//! The team screen: load, capacity and SLA breaches per rep, the funnel with rejection
//! reasons against the 15% benchmark, and re-assigning a lead.

use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leadrank_lifecycle::report::Conversion;
use leadrank_service::ServiceError;
use maud::{Markup, html};
use serde::Deserialize;

use crate::Web;
use crate::auth::Signed;
use crate::page;
use crate::queue::{self, Filters};
use leadrank_service::access::{Reach, actor};

/// A funnel report with when it was built (monotonic, for its age) and the service time.
pub type BuiltFunnel = (std::time::Instant, jiff::Timestamp, std::sync::Arc<leadrank_lifecycle::FunnelReport>);

/// How long a built funnel is shown before it is built again.
pub const FUNNEL_FRESH: std::time::Duration = std::time::Duration::from_secs(5);

/// The funnel, built at most every [`FUNNEL_FRESH`] (from the running totals, but it counts
/// every lead's stage), with the time it was built.
async fn funnel(web: &Web) -> Result<(std::sync::Arc<leadrank_lifecycle::FunnelReport>, jiff::Timestamp), leadrank_service::ServiceError> {
    if let Some((built, at, report)) = web.funnel.lock().unwrap_or_else(|e| e.into_inner()).as_ref()
        && built.elapsed() < FUNNEL_FRESH
    {
        return Ok((report.clone(), *at));
    }
    let at = web.service.now();
    let report = std::sync::Arc::new(web.service.funnel_report().await?);
    *web.funnel.lock().unwrap_or_else(|e| e.into_inner()) = Some((std::time::Instant::now(), at, report.clone()));
    Ok((report, at))
}

/// One rep's line.
struct RepLine {
    id: String,
    name: String,
    team: String,
    open: u32,
    capacity: u32,
    away: bool,
    breaches: u64,
    /// From becoming a quality lead to the first sales touch, over the rep's leads.
    speed: leadrank_routing::SpeedToLead,
}

fn pct(c: &Conversion) -> String {
    c.rate.map_or_else(|| "n/a".into(), |r| format!("{:.0}%", r * 100.0))
}

/// `GET /team`.
pub async fn page(State(web): State<Web>, signed: Signed) -> Response {
    let now = web.service.now();
    let (reach, reps) = web.service.read_state(|_, ops| {
        let reach = Reach::of(&signed.who.user, ops);
        let in_reach = |team: &str| match &reach {
            Reach::All => true,
            Reach::Teams(t) => t.iter().any(|x| x == team),
            Reach::Rep { team: mine, .. } => mine.as_deref() == Some(team),
        };
        let reps: Vec<RepLine> = ops
            .reps
            .values()
            .filter(|r| in_reach(&r.team))
            .map(|r| RepLine {
                id: r.id.clone(),
                name: r.name.clone(),
                team: r.team.clone(),
                open: ops.load.reps.get(&r.id).map_or(0, |c| c.open),
                capacity: r.capacity,
                away: r.is_away(now),
                breaches: ops.breaches.by_rep.get(&r.id).copied().unwrap_or(0),
                speed: leadrank_routing::speed_to_lead(
                    ops.leads
                        .values()
                        .filter(|s| s.assignment.as_ref().is_some_and(|a| a.rep.as_deref() == Some(r.id.as_str())))
                        .filter_map(|s| s.lifecycle.quality_at.map(|q| (q, s.touches.iter().find(|t| **t >= q).copied()))),
                ),
            })
            .collect();
        (reach, reps)
    });
    let (funnel, funnel_at) = match funnel(&web).await {
        Ok(f) => f,
        Err(e) => {
            tracing::error!(error = %e, "funnel report");
            return page::error(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong", "The funnel could not be read; try again.");
        }
    };
    let (rows, matched) = queue::rows_for(&web, &reach, &Filters::default(), now);
    let may_reassign = matches!(reach, Reach::Teams(_));
    let total_open: u32 = reps.iter().map(|r| r.open).sum();
    let mean = if reps.is_empty() { 0.0 } else { f64::from(total_open) / reps.len() as f64 };
    let scope = match &reach {
        Reach::Teams(t) => format!("Teams: {}", t.join(", ")),
        Reach::Rep { team, .. } => format!("Team: {}", team.as_deref().unwrap_or("none")),
        Reach::All => "Every team".into(),
    };
    let body = html! {
        h1 { "Team" }
        p.muted { (scope) }
        section aria-labelledby="reps-h" {
            h2 #reps-h { "Reps: load, capacity and speed" }
            div.table-wrap {
                table {
                    thead { tr { th { "Rep" } th { "Team" } th.num { "Open" } th.num { "Capacity" } th { "Load" } th.num { "Speed to lead (median)" } th.num { "Touched in 5 min" } th.num { "SLA breaches" } th { "State" } } }
                    tbody {
                        @if reps.is_empty() { tr { td colspan="9" .empty { "No reps in reach." } } }
                        @for r in &reps {
                            tr {
                                td data-label="Rep" { (r.id) @if !r.name.is_empty() { " · " (r.name) } }
                                td data-label="Team" { (r.team) }
                                td.num data-label="Open" { (r.open) }
                                td.num data-label="Capacity" { (r.capacity) }
                                td data-label="Load" { (load_bar(r.open, r.capacity)) }
                                td.num data-label="Speed to lead (median)" {
                                    @match r.speed.median_seconds {
                                        Some(s) => { (minutes(s)) " (" (r.speed.touched) " of " (r.speed.leads) ")" }
                                        None => { span.muted { "n/a (" (r.speed.leads) " quality leads, none touched)" } }
                                    }
                                }
                                td.num data-label="Touched in 5 min" { (r.speed.within_5_minutes_share.map_or_else(|| "n/a".to_string(), |x| format!("{:.0}%", x * 100.0))) }
                                td.num data-label="SLA breaches" { (r.breaches) }
                                td data-label="State" {
                                    @if r.away { span.chip { "away" } }
                                    @else if r.open >= r.capacity { span.chip.warn { "at capacity" } }
                                    @else { span.muted { "available" } }
                                }
                            }
                        }
                    }
                }
            }
            p.muted.small { "Fairness: " (total_open) " open leads over " (reps.len()) " reps, " (format!("{mean:.1}")) " each on average." }
        }
        section aria-labelledby="funnel-h" {
            h2 #funnel-h { "Funnel (all teams)" }
            p.muted.small { "As of " (page::ago(now, funnel_at)) "; rebuilt at most every " (FUNNEL_FRESH.as_secs()) " seconds." }
            table.compact {
                thead { tr { th { "Step" } th.num { "From" } th.num { "To" } th.num { "Rate" } } }
                tbody {
                    tr { td { "inquiry → mql" } td.num { (funnel.conversion.inquiry_to_mql.from) } td.num { (funnel.conversion.inquiry_to_mql.to) } td.num { (pct(&funnel.conversion.inquiry_to_mql)) } }
                    tr { td { "mql → sal" } td.num { (funnel.conversion.mql_to_sal.from) } td.num { (funnel.conversion.mql_to_sal.to) } td.num { (pct(&funnel.conversion.mql_to_sal)) } }
                    tr { td { "mql → sql (benchmark 20–40%)" } td.num { (funnel.conversion.mql_to_sql.from) } td.num { (funnel.conversion.mql_to_sql.to) } td.num { (pct(&funnel.conversion.mql_to_sql)) } }
                    tr { td { "sql → won (benchmark 15–30%)" } td.num { (funnel.conversion.sql_to_won.from) } td.num { (funnel.conversion.sql_to_won.to) } td.num { (pct(&funnel.conversion.sql_to_won)) } }
                }
            }
            @let rr = &funnel.rejection_rate;
            p {
                "Rejection rate of handed-over leads: "
                @match rr.rate {
                    Some(r) => {
                        strong { (format!("{:.0}%", r * 100.0)) } " (" (rr.rejected) " of " (rr.accepted + rr.rejected) " decisions) — "
                        @if rr.within_benchmark == Some(true) { "within" } @else { span.warn { "above" } } " the 15% benchmark"
                    }
                    None => { "n/a: no lead has been accepted or rejected yet" }
                }
            }
            @if !funnel.rejections.is_empty() {
                ul {
                    @for r in &funnel.rejections { li { span.chip { (r.code) } " " (r.count) " (" (format!("{:.0}%", r.share * 100.0)) ")" } }
                }
            }
        }
        section aria-labelledby="open-h" {
            h2 #open-h { "Open leads" }
            p.muted { (matched) " open leads in reach" @if matched > rows.len() { "; the top " (rows.len()) " are shown" } "." }
            div.table-wrap {
                table {
                    thead { tr { th.num { "Score" } th { "Lead" } th { "Stage" } th { "Rep" } th { "SLA" } th { "Re-assign" } } }
                    tbody {
                        @for r in rows.iter().take(50) {
                            tr .breached[r.breached > 0] {
                                td.num data-label="Score" { (r.total) }
                                td data-label="Lead" { a href={ "/leads/" (r.lead_id) } { (r.name) } div.muted { (r.company) } }
                                td data-label="Stage" { (r.stage.as_str()) }
                                td data-label="Rep" { (r.rep.as_deref().unwrap_or("—")) }
                                td data-label="SLA" {
                                    @if r.breached > 0 { span.sla.late { (r.breached) " breached" } " " }
                                    @if let Some(due) = r.due { @let (w, c) = page::countdown(now, due); span.sla.(c) { (w) } }
                                }
                                td data-label="Re-assign" {
                                    @if may_reassign { (reassign_form(&r.lead_id, &signed.who.csrf)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    page::shell(&signed, "Team", "/team", body)
}

fn minutes(s: i64) -> String {
    if s < 3600 { format!("{} min", s / 60) } else { format!("{:.1} h", s as f64 / 3600.0) }
}

fn load_bar(open: u32, capacity: u32) -> Markup {
    let w = if capacity == 0 { 100 } else { (open.min(capacity) * 100 / capacity.max(1)) as i32 };
    html! {
        svg.bar width="100" height="12" viewBox="0 0 100 12" role="img" aria-label={ (open) " of " (capacity) } {
            rect x="0" y="2" width="100" height="8" class="track" {}
            rect x="0" y="2" width=(w.max(1)) height="8" class=(if open >= capacity { "down" } else { "up" }) {}
        }
    }
}

fn reassign_form(lead_id: &str, csrf: &str) -> Markup {
    html! {
        form method="post" action={ "/leads/" (lead_id) "/reassign" } {
            input type="hidden" name="csrf" value=(csrf);
            button type="submit" title="Route the lead again, to another rep of its team's rules" { "Re-assign" }
        }
    }
}

#[derive(Deserialize)]
pub struct ReassignForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /leads/{lead_id}/reassign`: a manager routes a lead again, away from its rep.
pub async fn reassign(State(web): State<Web>, signed: Signed, Path(lead_id): Path<String>, Form(f): Form<ReassignForm>) -> Response {
    if let Err(r) = signed.check_csrf(&f.csrf) {
        return r;
    }
    let allowed = web.service.read_state(|_, ops| {
        let reach = Reach::of(&signed.who.user, ops);
        matches!(reach, Reach::Teams(_)) && reach.may_act(ops.leads.get(&lead_id).and_then(|s| s.assignment.as_ref()))
    });
    if !allowed {
        return page::error(StatusCode::FORBIDDEN, "Not your team's lead", "Only a manager of the lead's team can re-assign it.");
    }
    match web.service.reroute(&lead_id, true, &actor(&signed.who.user)).await {
        Ok(_) => Redirect::to("/team").into_response(),
        Err(ServiceError::Conflict(m)) => page::error(StatusCode::CONFLICT, "Cannot re-assign", &m),
        Err(ServiceError::NotFound(_)) => page::error(StatusCode::NOT_FOUND, "No such lead", "The lead is gone (it may have been erased)."),
        Err(e) => {
            tracing::error!(error = %e, "re-assigning");
            page::error(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong", "The lead was not re-assigned; try again.")
        }
    }
}
