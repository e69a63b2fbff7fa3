//! The lead-quality report as one self-contained HTML page: inline CSS and inline SVG only,
//! no scripts, fonts or external resources. Pure: takes a [`Report`] and returns a `String`.
//!
//! The page shows the headline figures with badges from the report's benchmark comparison,
//! the symptoms of poor lead quality, and three charts: the funnel, conversion by score
//! decile against the overall rate, and volume against quality per group (e.g. per source).

use std::fmt::Write as _;

use crate::fmt::{amount, amount_dp, count, num, pct};
use crate::report::{BenchmarkCheck, GroupRow, MIN_CLOSED_DEALS, MIN_GROUP_LEADS, Report};

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Metrics where a value above the benchmark range is bad rather than good.
const HIGHER_IS_WORSE: &[&str] = &["rejection_rate", "bounce_rate"];

/// The badge class and text of a benchmark check.
fn badge(b: &BenchmarkCheck) -> (&'static str, String) {
    let class = match b.status {
        "within" => "ok",
        "below" => "bad",
        "above" if HIGHER_IS_WORSE.contains(&b.metric) => "bad",
        "above" => "good",
        _ => "na",
    };
    let text =
        if b.value.is_none() { format!("no value; benchmark {}", b.benchmark) } else { format!("{} benchmark {}", b.status, b.benchmark) };
    (class, text)
}

fn badge_html(b: Option<&BenchmarkCheck>) -> String {
    match b {
        Some(b) => {
            let (class, text) = badge(b);
            format!("<span class=\"badge {class}\">{}</span>", escape(&text))
        }
        None => "<span class=\"badge na\">no published benchmark</span>".into(),
    }
}

const CSS: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:24px;color:#1f2933;background:#f7f8fa}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 10px}
.sub{color:#52606d;margin:0 0 16px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));gap:12px}
.card{background:#fff;border:1px solid #d9dee4;border-radius:8px;padding:12px}
.card .k{font-size:12px;color:#52606d;text-transform:uppercase;letter-spacing:.03em}
.card .v{font-size:24px;font-weight:600;margin:4px 0}
.card .d{font-size:12px;color:#52606d;margin-bottom:6px}
.badge{display:inline-block;font-size:11px;padding:2px 7px;border-radius:10px;color:#fff}
.badge.ok{background:#2f9e44}.badge.good{background:#1c7ed6}.badge.bad{background:#e03131}.badge.na{background:#868e96}
.badge.warn{background:#f08c00}
table{border-collapse:collapse;background:#fff;border:1px solid #d9dee4}
td,th{padding:5px 10px;border-bottom:1px solid #eef0f3;text-align:left;font-size:13px}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.sym{background:#fff5f5;border-left:4px solid #e03131;padding:8px 12px;margin:8px 0}
.sym b{display:block}.sym .c{color:#52606d;font-size:13px}
.none{background:#ebfbee;border-left:4px solid #2f9e44;padding:8px 12px}
.chart{background:#fff;border:1px solid #d9dee4;border-radius:8px;padding:8px;margin-bottom:12px}
svg text{font-family:system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;font-size:12px;fill:#1f2933}
.note{color:#52606d;font-size:13px}
";

/// Renders the report as a self-contained HTML page. `breakdown` is the group the volume and
/// quality chart compares (its name and rows), e.g. `("source", rows)`.
pub fn render(r: &Report, title: &str, breakdown: Option<(&str, &[GroupRow])>) -> String {
    let m = &r.overall;
    let bench = |name: &str| r.benchmarks.iter().find(|b| b.metric == name);
    let mut s = String::new();
    s.push_str("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(s, "<title>Lead quality report: {}</title>", escape(title));
    let _ = writeln!(s, "<style>{CSS}</style>\n</head>\n<body>");
    let _ = writeln!(s, "<h1>Lead quality report</h1>\n<p class=\"sub\">{}</p>", escape(title));

    // Headline figures.
    let auc = r.score_quality.as_ref().and_then(|q| q.auc_won);
    let auc_badge = match auc {
        Some(a) if a < 0.65 => "<span class=\"badge bad\">under 0.65: the score barely predicts revenue</span>".to_string(),
        Some(_) => "<span class=\"badge ok\">0.65 or more</span>".to_string(),
        None => String::new(),
    };
    let cur = r.currency.as_deref();
    let velocity_detail = match &m.velocity {
        Some(v) => format!(
            "per day: {} open deals x win rate {} x average won {} / {} days average cycle",
            count(v.open_opportunities),
            pct(Some(v.win_rate)),
            amount(Some(v.avg_won_amount), cur),
            num(Some(v.cycle_days), 1)
        ),
        None => "per day: needs closed deals with amounts and dates".into(),
    };
    let mut cards: Vec<(&str, String, String, String)> = vec![
        (
            "Quality lead rate (QLR)",
            pct(m.qlr),
            format!("{} of {} leads", m.quality_leads.map_or("n/a".into(), count), count(m.leads)),
            badge_html(bench("quality_lead_rate")),
        ),
        (
            "Lead to opportunity (L2O)",
            pct(m.l2o),
            format!("{} leads with an opportunity", count(m.leads_with_opportunity)),
            badge_html(None),
        ),
        (
            "Lead to deal",
            pct(m.lead_to_deal),
            format!("{} leads with a won deal ({} won deals)", count(m.leads_won), count(m.won)),
            badge_html(bench("lead_to_deal")),
        ),
        (
            "Win rate of closed deals",
            pct(m.win_rate),
            format!("{} won / {} lost; {} open not counted", count(m.won), count(m.lost), count(m.open)),
            "<span class=\"badge na\">no published benchmark for closed deals</span>".into(),
        ),
        ("Pipeline per lead", amount_dp(m.ppl, cur, 2), format!("pipeline {}", amount(m.pipeline, cur)), String::new()),
        ("Revenue per lead", amount_dp(m.rpl, cur, 2), format!("won {}", amount(m.won_amount, cur)), String::new()),
        (
            "Sales cycle median / mean",
            format!("{} / {}", num(m.cycle_median_days, 1), num(m.cycle_mean_days, 1)),
            "days, closed deals".into(),
            String::new(),
        ),
        ("Pipeline velocity", amount(m.velocity_per_day, cur), velocity_detail, String::new()),
    ];
    if r.score_quality.is_some() {
        cards.push(("ROC AUC against won", num(auc, 3), "score vs won deals".into(), auc_badge));
    }
    s.push_str("<h2>Headline figures</h2>\n<div class=\"cards\">\n");
    for (k, v, d, b) in &cards {
        let _ = writeln!(
            s,
            "<div class=\"card\"><div class=\"k\">{}</div><div class=\"v\">{}</div><div class=\"d\">{}</div>{}</div>",
            escape(k),
            escape(v),
            escape(d),
            b
        );
    }
    s.push_str("</div>\n");
    if r.unattributed_opportunities > 0 {
        let _ = writeln!(
            s,
            "<p class=\"note\">{} opportunities name no known lead or account: counted in opportunity figures only.</p>",
            count(r.unattributed_opportunities)
        );
    }
    if r.account_attributed_opportunities > 0 {
        let _ = writeln!(
            s,
            "<p class=\"note\">{} opportunities name only an account: each is attributed once, to the account's earliest-created lead.</p>",
            count(r.account_attributed_opportunities)
        );
    }
    if r.currency.is_none() && m.pipeline.is_some() {
        s.push_str("<p class=\"note\">Amounts are in the outcomes' currency (not given).</p>\n");
    }

    // Benchmarks and symptoms.
    s.push_str(
        "<h2>Against published benchmarks</h2>\n<table>\n<tr><th>metric</th><th>definition</th><th>value</th><th>status</th><th>benchmark</th></tr>\n",
    );
    for b in &r.benchmarks {
        let (class, _) = badge(b);
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td><span class=\"badge {class}\">{}</span></td><td>{}</td></tr>",
            escape(b.metric),
            escape(b.definition),
            pct(b.value),
            escape(b.status),
            escape(b.benchmark)
        );
    }
    s.push_str("</table>\n<h2>Symptoms of poor lead quality</h2>\n");
    if r.symptoms.is_empty() {
        s.push_str("<div class=\"none\">No symptom of poor lead quality found.</div>\n");
    }
    for sy in &r.symptoms {
        let _ = writeln!(
            s,
            "<div class=\"sym\"><span class=\"badge bad\">symptom</span> <b>{}</b><div>{}</div><div class=\"c\">Likely causes: {}</div></div>",
            escape(&sy.symptom),
            escape(&sy.evidence),
            escape(sy.likely_causes)
        );
    }

    s.push_str("<h2>Funnel</h2>\n<div class=\"chart\">\n");
    s.push_str(&funnel_svg(r));
    s.push_str("</div>\n<h2>Conversion to won by score decile</h2>\n<div class=\"chart\">\n");
    s.push_str(&decile_svg(r));
    let name = breakdown.map_or("source", |b| b.0);
    let _ = write!(s, "</div>\n<h2>Volume and quality by {}</h2>\n<div class=\"chart\">\n", escape(name));
    s.push_str(&groups_svg(name, breakdown.map_or(&[][..], |b| b.1), cur));
    s.push_str("</div>\n");
    let st = &r.stages;
    let _ = writeln!(
        s,
        "<p class=\"note\">Stage conversion ({}): inquiry to MQL {}, MQL to SQL {}, SQL to won {} (of {} SQLs; {} still open count as not won). Data: {} leads with an email, bounce rate {}, invalid addresses {}.</p>",
        if st.basis == "derived" { "derived: MQL = quality lead, SQL = has an opportunity" } else { "from the stage history" },
        pct(st.inquiry_to_mql),
        pct(st.mql_to_sql),
        pct(st.sql_to_won),
        count(st.sql),
        count(st.sql_open),
        count(r.data_quality.leads_with_email),
        pct(r.data_quality.bounce_rate),
        pct(r.data_quality.invalid_email_rate)
    );
    s.push_str("</body>\n</html>\n");
    s
}

/// A chart that has nothing to draw.
fn empty_svg(label: &str, text: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{}\" width=\"900\" height=\"60\" viewBox=\"0 0 900 60\"><text x=\"10\" y=\"34\">{}</text></svg>\n",
        escape(label),
        escape(text)
    )
}

fn funnel_svg(r: &Report) -> String {
    let m = &r.overall;
    let steps: [(&str, Option<usize>, &str); 4] = [
        ("leads", Some(m.leads), "#4c6ef5"),
        ("quality leads", m.quality_leads, "#7950f2"),
        ("leads with an opportunity", Some(m.leads_with_opportunity), "#1c7ed6"),
        ("leads with a won deal", Some(m.leads_won), "#2f9e44"),
    ];
    let (w, label_w, row_h) = (900.0, 200.0, 44.0);
    let bar_w = w - label_w - 190.0;
    let h = row_h * steps.len() as f64 + 10.0;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"funnel\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">\n"
    );
    let total = m.leads.max(1) as f64;
    for (i, (label, n, colour)) in steps.iter().enumerate() {
        let y = 5.0 + i as f64 * row_h;
        let _ = writeln!(s, "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>", label_w - 10.0, y + 24.0, escape(label));
        match n {
            Some(c) => {
                let bw = (*c as f64 / total * bar_w).max(1.0);
                let x = label_w + (bar_w - bw) / 2.0;
                let _ = writeln!(
                    s,
                    "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bw:.1}\" height=\"{:.1}\" rx=\"3\" fill=\"{colour}\"/>",
                    row_h - 8.0
                );
                let share = if m.leads > 0 { format!(" ({:.2}% of leads)", *c as f64 / total * 100.0) } else { String::new() };
                let _ = writeln!(s, "<text x=\"{:.1}\" y=\"{:.1}\">{}{share}</text>", label_w + bar_w + 8.0, y + 24.0, count(*c));
            }
            None => {
                let _ =
                    writeln!(s, "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"#868e96\">n/a (leads not scored)</text>", label_w + 8.0, y + 24.0);
            }
        }
    }
    s.push_str("</svg>\n");
    s
}

/// The top of a rate axis: the highest rate plus a tenth, rounded up to a step of 5 points
/// (1 point under 10%), never above 100%.
fn rate_axis_top(highest: f64) -> f64 {
    let step = if highest < 0.1 { 0.01 } else { 0.05 };
    (((highest * 1.1) / step).ceil() * step).clamp(step, 1.0)
}

fn decile_svg(r: &Report) -> String {
    let Some(sq) = r.score_quality.as_ref().filter(|q| !q.deciles.is_empty()) else {
        return empty_svg("decile lift", "Leads not scored: no score deciles to compare.");
    };
    let d = &sq.deciles;
    let leads: usize = d.iter().map(|x| x.leads).sum();
    let pos: usize = d.iter().map(|x| x.positives).sum();
    let overall = if leads > 0 { pos as f64 / leads as f64 } else { 0.0 };
    let max = rate_axis_top(d.iter().filter_map(|x| x.rate).fold(overall, f64::max));
    let (w, h, left, bottom, top) = (900.0, 340.0, 60.0, 56.0, 20.0);
    let plot_h = h - bottom - top;
    let plot_w = w - left - 150.0;
    let slot = plot_w / d.len() as f64;
    let y_of = |v: f64| top + plot_h * (1.0 - v / max);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"decile lift\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">\n"
    );
    for k in 0..=4 {
        let v = max * k as f64 / 4.0;
        let y = y_of(v);
        let _ = writeln!(s, "<line x1=\"{left}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#eef0f3\"/>", left + plot_w);
        let _ = writeln!(s, "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{:.1}%</text>", left - 6.0, y + 4.0, v * 100.0);
    }
    for (i, row) in d.iter().enumerate() {
        let rate = row.rate.unwrap_or(0.0);
        let x = left + i as f64 * slot + slot * 0.15;
        let bw = slot * 0.7;
        let y = y_of(rate);
        let small = row.leads < MIN_GROUP_LEADS;
        let colour = if small {
            "#dee2e6"
        } else if rate >= overall {
            "#1c7ed6"
        } else {
            "#a5d8ff"
        };
        let _ = writeln!(
            s,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bw:.1}\" height=\"{:.1}\" fill=\"{colour}\"><title>decile {}: {} of {} won ({}), lift {}</title></rect>",
            top + plot_h - y,
            row.decile,
            count(row.positives),
            count(row.leads),
            pct(row.rate),
            num(row.lift, 2)
        );
        let _ = writeln!(s, "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{:.1}%</text>", x + bw / 2.0, y - 4.0, rate * 100.0);
        let _ =
            writeln!(s, "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">D{}</text>", x + bw / 2.0, top + plot_h + 16.0, row.decile);
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#52606d\">{}/{}</text>",
            x + bw / 2.0,
            top + plot_h + 32.0,
            count(row.positives),
            count(row.leads)
        );
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#52606d\">{}{}</text>",
            x + bw / 2.0,
            top + plot_h + 48.0,
            if small { "too few, " } else { "" },
            row.lift.map_or("n/a".into(), |l| format!("{l:.2}x"))
        );
    }
    let y = y_of(overall);
    let _ = writeln!(
        s,
        "<line x1=\"{left}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#e03131\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>",
        left + plot_w
    );
    let _ =
        writeln!(s, "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"#e03131\">overall {:.2}%</text>", left + plot_w + 6.0, y + 4.0, overall * 100.0);
    let _ =
        writeln!(s, "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#52606d\">won/leads</text>", left - 6.0, top + plot_h + 32.0);
    let _ = writeln!(s, "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#52606d\">lift</text>", left - 6.0, top + plot_h + 48.0);
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"#52606d\">D1 = best-scored; {} leads</text>",
        left + plot_w + 6.0,
        top + plot_h + 16.0,
        count(leads)
    );
    s.push_str("</svg>\n");
    s
}

/// The most groups the volume and quality chart draws.
const MAX_GROUPS: usize = 20;

/// Deciles ("D01", ...) keep their order; other groups go largest first.
fn chart_order(rows: &[GroupRow]) -> Vec<&GroupRow> {
    let mut rows: Vec<&GroupRow> = rows.iter().collect();
    let deciles = rows.iter().all(|g| g.group == "(none)" || (g.group.starts_with('D') && g.group[1..].parse::<u8>().is_ok()));
    if !deciles {
        rows.sort_by(|a, b| b.metrics.leads.cmp(&a.metrics.leads).then(a.group.cmp(&b.group)));
    }
    rows
}

fn groups_svg(name: &str, rows: &[GroupRow], currency: Option<&str>) -> String {
    if rows.is_empty() {
        return empty_svg("volume and quality", &format!("No breakdown by {name}."));
    }
    let mut rows = chart_order(rows);
    let hidden = rows.len().saturating_sub(MAX_GROUPS);
    rows.truncate(MAX_GROUPS);
    let max_leads = rows.iter().map(|g| g.metrics.leads).max().unwrap_or(1).max(1) as f64;
    // Rates of groups too small to judge neither get a bar nor set the scale.
    let max_l2o = rows.iter().filter(|g| !g.too_few_leads()).filter_map(|g| g.metrics.l2o).fold(0.0, f64::max).max(1e-9);
    let max_win = rows.iter().filter(|g| !g.too_few_closed()).filter_map(|g| g.metrics.win_rate).fold(0.0, f64::max).max(1e-9);
    let (w, label_w, col_w, row_h, head) = (980.0, 170.0, 260.0, 26.0, 30.0);
    let h = head + row_h * rows.len() as f64 + 44.0;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"volume and quality by {}\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">\n",
        escape(name)
    );
    let cols = [("leads (volume)", "#868e96"), ("lead to opportunity (L2O)", "#1c7ed6"), ("win rate of closed deals", "#2f9e44")];
    for (c, (title, _)) in cols.iter().enumerate() {
        let _ = writeln!(s, "<text x=\"{:.1}\" y=\"18\" font-weight=\"600\">{}</text>", label_w + c as f64 * col_w, title);
    }
    for (i, g) in rows.iter().enumerate() {
        let y = head + i as f64 * row_h;
        let label: String = g.group.chars().take(24).collect();
        let gm = &g.metrics;
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\"><title>{}: won {}</title>{}</text>",
            label_w - 10.0,
            y + 16.0,
            escape(&g.group),
            escape(&amount(gm.won_amount, currency)),
            escape(&label)
        );
        let l2o = if g.too_few_leads() {
            (None, format!("too few to judge ({} leads)", count(gm.leads)))
        } else {
            (gm.l2o.map(|v| v / max_l2o), format!("{} of {}", pct(gm.l2o), count(gm.leads)))
        };
        let closed = gm.won + gm.lost;
        let win = if g.too_few_closed() {
            (None, format!("too few to judge ({} closed)", count(closed)))
        } else {
            (gm.win_rate.map(|v| v / max_win), format!("{} of {} closed", pct(gm.win_rate), count(closed)))
        };
        let vals = [(Some(gm.leads as f64 / max_leads), count(gm.leads)), l2o, win];
        for (c, (frac, text)) in vals.iter().enumerate() {
            let x = label_w + c as f64 * col_w;
            let bw = (frac.unwrap_or(0.0) * (col_w - 120.0)).max(0.0);
            if frac.is_some() {
                let _ = writeln!(
                    s,
                    "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bw:.1}\" height=\"{:.1}\" rx=\"2\" fill=\"{}\"/>",
                    y + 3.0,
                    row_h - 8.0,
                    cols[c].1
                );
            }
            let fill = if frac.is_some() { "" } else { " fill=\"#868e96\"" };
            let _ = writeln!(s, "<text x=\"{:.1}\" y=\"{:.1}\"{fill}>{}</text>", x + bw + 5.0, y + 16.0, escape(text));
        }
    }
    let _ = writeln!(
        s,
        "<text x=\"10\" y=\"{:.1}\" fill=\"#52606d\">Groups under {MIN_GROUP_LEADS} leads (L2O) or {MIN_CLOSED_DEALS} closed deals (win rate) are too few to judge: no bar.</text>",
        h - 26.0
    );
    if hidden > 0 {
        let _ = writeln!(s, "<text x=\"10\" y=\"{:.1}\" fill=\"#52606d\">... and {hidden} smaller groups</text>", h - 8.0);
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{LeadObs, OppStatus, Opportunity, compute};

    fn fixture(source_b: &str) -> Report {
        let leads: Vec<LeadObs> = (0..20)
            .map(|i| LeadObs {
                lead_id: format!("l{i}"),
                group: Some(if i % 2 == 0 { "referral".into() } else { source_b.into() }),
                score: Some(f64::from(i)),
                quality: Some(i >= 10),
                has_email: true,
                ..LeadObs::default()
            })
            .collect();
        let opps = vec![
            Opportunity {
                id: "o1".into(),
                lead_id: Some("l19".into()),
                account_id: None,
                created_at: Some(0),
                closed_at: Some(10 * 86_400),
                status: OppStatus::Won,
                amount: Some(1234.0),
                loss_reason: None,
            },
            Opportunity {
                id: "o2".into(),
                lead_id: Some("l18".into()),
                account_id: None,
                created_at: Some(0),
                closed_at: Some(20 * 86_400),
                status: OppStatus::Lost,
                amount: Some(500.0),
                loss_reason: Some("price".into()),
            },
        ];
        compute(&leads, &opps, None, Some("source"))
    }

    #[test]
    fn well_formed_with_three_charts_and_numbers() {
        let r = fixture("organic");
        let html = render(&r, "test & title", Some(("source", &r.groups)));
        assert!(html.starts_with("<!doctype html>"));
        assert!(html.trim_end().ends_with("</html>"));
        assert_eq!(html.matches("<svg").count(), 3);
        assert_eq!(html.matches("</svg>").count(), 3);
        assert_eq!(html.matches("<table").count(), html.matches("</table>").count());
        assert_eq!(html.matches("<div").count(), html.matches("</div>").count());
        assert!(!html.contains("<script"));
        assert!(
            !html.contains("http://") || html.matches("http://").count() == html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
        );
        assert!(html.contains("test &amp; title"));
        // Win rate 1 of 2, QLR 10 of 20, revenue per lead 1234 / 20, median cycle 15 days.
        assert!(html.contains("50.00%"));
        assert!(html.contains("61.70"));
        assert!(html.contains("15.0 / 15.0"));
        assert!(html.contains("1,734"));
        assert!(html.contains("referral"));
        // Benchmark badges and the decile chart's overall line.
        assert!(html.contains("badge"));
        assert!(html.contains("overall 5.00%"));
    }

    #[test]
    fn escapes_text_from_data() {
        let r = fixture("<script>alert(1)</script>");
        let html = render(&r, "<b>", Some(("source", &r.groups)));
        assert!(!html.contains("<script"), "unescaped script");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("&lt;b&gt;"));
        assert_eq!(escape("a\"b'c&"), "a&quot;b&#39;c&amp;");
    }

    #[test]
    fn unscored_report_still_draws_three_charts() {
        let leads = vec![LeadObs { lead_id: "a".into(), ..LeadObs::default() }];
        let r = compute(&leads, &[], None, None);
        let html = render(&r, "x", None);
        assert_eq!(html.matches("<svg").count(), 3);
        assert!(html.contains("not scored"));
    }
    /// The rate axis never runs past 100%: a top decile at 95.3% gives 95.3 x 1.1 = 104.8,
    /// rounded up to 105, cut at 100. Small rates get 1-point steps: 3.2% -> 3.52 -> 4%.
    #[test]
    fn rate_axis_stops_at_100_percent() {
        assert_eq!(rate_axis_top(0.953), 1.0);
        assert!((rate_axis_top(0.032) - 0.04).abs() < 1e-12);
        assert!((rate_axis_top(0.40) - 0.45).abs() < 1e-12);
    }

    /// A source with one lead and one won deal is not drawn as the biggest win-rate bar: it
    /// is marked too few to judge, with its counts; the others show "x of n closed".
    #[test]
    fn small_groups_are_marked_not_drawn() {
        let mut leads: Vec<LeadObs> = (0..60)
            .map(|i| LeadObs { lead_id: format!("l{i}"), group: Some("organic".into()), has_email: true, ..LeadObs::default() })
            .collect();
        leads.push(LeadObs { lead_id: "tiny".into(), group: Some("fair".into()), ..LeadObs::default() });
        let deal = |id: &str, lead: &str, status| Opportunity {
            id: id.into(),
            lead_id: Some(lead.into()),
            account_id: None,
            created_at: Some(0),
            closed_at: Some(86_400),
            status,
            amount: Some(1000.0),
            loss_reason: None,
        };
        let mut opps: Vec<Opportunity> =
            (0..20).map(|i| deal(&format!("o{i}"), &format!("l{i}"), if i < 5 { OppStatus::Won } else { OppStatus::Lost })).collect();
        opps.push(deal("t", "tiny", OppStatus::Won));
        let mut r = compute(&leads, &opps, None, Some("source"));
        r.currency = Some("EUR".into());
        let svg = groups_svg("source", &r.groups, r.currency.as_deref());
        assert!(svg.contains("too few to judge (1 closed)"), "{svg}");
        assert!(svg.contains("too few to judge (1 leads)"), "{svg}");
        // organic: 5 won of 20 closed.
        assert!(svg.contains("25.00% of 20 closed"), "{svg}");
        assert!(svg.contains("won EUR 5,000"), "{svg}");
        // The tiny group has no bar in the win-rate column: organic's bar is the widest.
        let html = render(&r, "t", Some(("source", &r.groups)));
        assert!(html.contains("EUR 6,000"), "won amount with its currency");
    }

    /// Deciles keep their order in the chart; other groups go largest first.
    #[test]
    fn deciles_keep_their_order() {
        let row = |g: &str, leads: usize| GroupRow { group: g.into(), metrics: crate::report::Metrics { leads, ..Default::default() } };
        let rows = vec![row("D01", 5), row("D02", 50), row("D10", 9)];
        assert_eq!(chart_order(&rows).iter().map(|g| g.group.as_str()).collect::<Vec<_>>(), ["D01", "D02", "D10"]);
        let rows = vec![row("a", 5), row("b", 50)];
        assert_eq!(chart_order(&rows).iter().map(|g| g.group.as_str()).collect::<Vec<_>>(), ["b", "a"]);
    }
}
