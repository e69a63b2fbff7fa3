//! Quality (RevOps, managers, admins): conversion and lift by score decile, quality against
//! volume by source, and weekly trends, live and filtered by period, source and campaign.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiff::Timestamp;
use leadrank_service::lead_quality::{Group, QualityFilter, QualityView, SMALL_SAMPLE, quality_view};
use leadrank_service::users::Role;
use maud::{Markup, html};
use serde::Deserialize;

use crate::Web;
use crate::auth::Signed;
use crate::page;

#[derive(Debug, Default, Deserialize)]
pub struct QualityQuery {
    /// Created on or after this date (YYYY-MM-DD).
    #[serde(default)]
    from: String,
    /// Created before this date.
    #[serde(default)]
    until: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    campaign: String,
}

fn date(s: &str, field: &str) -> Result<Option<Timestamp>, String> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    s.trim()
        .parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .map(|z| Some(z.timestamp()))
        .ok_or_else(|| format!("{field}: '{s}' is not a date (YYYY-MM-DD)"))
}

fn pct(r: Option<f64>) -> String {
    r.map_or_else(|| "n/a".into(), |r| format!("{:.1}%", r * 100.0))
}

/// `GET /quality`.
pub async fn page(State(web): State<Web>, signed: Signed, Query(q): Query<QualityQuery>) -> Response {
    if signed.role() == Role::Rep {
        return page::error(StatusCode::FORBIDDEN, "Not for reps", "Lead quality is for managers, RevOps and admins.");
    }
    let (from, until) = match (date(&q.from, "from"), date(&q.until, "until")) {
        (Ok(f), Ok(u)) => (f, u),
        (Err(e), _) | (_, Err(e)) => return page::error(StatusCode::BAD_REQUEST, "Not a date", &e),
    };
    let filter = QualityFilter {
        from,
        until,
        source: Some(q.source.clone()).filter(|s| !s.is_empty()),
        campaign: Some(q.campaign.clone()).filter(|s| !s.is_empty()),
    };
    let (facts, amounts_known) = web.service.lead_facts();
    let v = quality_view(&facts, &filter, amounts_known);
    let body = html! {
        h1 { "Lead quality" }
        form.filters method="get" action="/quality" {
            label { "Created from " input type="date" name="from" value=(q.from); }
            label { "until " input type="date" name="until" value=(q.until); }
            label { "Source "
                select name="source" { option value="" { "any" } @for s in &v.source_values { option value=(s) selected[*s == q.source] { (s) } } }
            }
            label { "Campaign "
                select name="campaign" { option value="" { "any" } @for c in &v.campaign_values { option value=(c) selected[*c == q.campaign] { (c) } } }
            }
            button type="submit" { "Apply" }
        }
        p {
            strong { (v.all.leads) } " leads · " (v.all.quality) " quality (" (pct(v.all.quality_rate())) ") · "
            (v.all.sql_plus) " sql or beyond (" (pct(v.all.sql_rate())) ") · " (v.all.won) " won (" (pct(v.all.won_rate())) ")"
            " · won revenue " (revenue(&v, &v.all)) " from " (v.all.deals_won) " won deal(s)"
        }
        p.muted.small {
            "Outcomes are the leads' current stages: sql or beyond means sql, opportunity, won or lost. Groups under "
            (SMALL_SAMPLE) " leads are marked: their rates move a lot with a single lead. Revenue is the amount of the won deals "
            "the service holds (POST /v1/outcomes), each counted once for one lead: the lead it names, else its account's "
            "earliest-created lead; "
            @if v.amounts_known { "amounts are shown as sent, without conversion between currencies." }
            @else { "no deal with an amount is stored yet, so revenue is n/a." }
        }
        section aria-labelledby="dec-h" {
            h2 #dec-h { "By score decile" }
            (table(&v, &v.deciles, "Decile", true))
        }
        section aria-labelledby="src-h" {
            h2 #src-h { "Quality against volume, by source" }
            (table(&v, &v.sources, "Source", false))
        }
        section aria-labelledby="wk-h" {
            h2 #wk-h { "By week of creation" }
            (table(&v, &v.weeks, "Week", false))
            @if v.undated > 0 { p.muted.small { (v.undated) " leads have no creation time and are in no week." } }
        }
    };
    page::shell(&signed, "Lead quality", "/quality", body)
}

fn table(v: &QualityView, groups: &[Group], first: &str, scores: bool) -> Markup {
    html! {
        @if groups.is_empty() { p.muted { "No leads match." } } @else {
            div.table-wrap { table {
                thead { tr {
                    th { (first) } th.num { "Leads" } @if scores { th.num { "Scores" } }
                    th.num { "Quality" } th.num { "Sql or beyond" } th.num { "Won" } th.num { "Lift" }
                    th.num { "Won revenue" } th.num { "Share of revenue" }
                } }
                tbody {
                    @for g in groups {
                        tr {
                            td data-label=(first) { (g.label) }
                            td.num data-label="Leads" { (g.leads) @if g.small() { " " span.chip.warn { "small sample" } } }
                            @if scores { td.num data-label="Scores" { (g.min_score) "–" (g.max_score) } }
                            td.num data-label="Quality" { (g.quality) " (" (pct(g.quality_rate())) ")" }
                            td.num data-label="Sql or beyond" { (g.sql_plus) " (" (pct(g.sql_rate())) ")" }
                            td.num data-label="Won" { (g.won) " (" (pct(g.won_rate())) ")" }
                            td.num data-label="Lift" { (v.lift(g).map_or_else(|| "n/a".to_string(), |l| format!("{l:.2}×"))) }
                            td.num data-label="Won revenue" { (revenue(v, g)) }
                            td.num data-label="Share of revenue" { (pct(v.revenue_share(g))) }
                        }
                    }
                }
            } }
        }
    }
}

/// A group's won revenue with thousands separators, "n/a" when no deal has an amount.
fn revenue(v: &QualityView, g: &Group) -> String {
    leadrank_metrics::fmt::amount(v.amounts_known.then_some(g.won_amount), None)
}
