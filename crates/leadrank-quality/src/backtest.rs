//! Two models on the same leads and outcomes: who qualifies, how well each ranks the won
//! deals, and which leads change side.

use std::collections::HashMap;
use std::fmt::Write as _;

use leadrank_core::{Lead, Score};
use leadrank_metrics::classify::{confusion_at, decile_table, roc_auc};
use leadrank_metrics::fmt::{money, num, pct};
use leadrank_metrics::report::{OppStatus, Opportunity};
use serde::Serialize;

use crate::labels::won_labels;

/// One model's scores of the leads (same order as the leads).
#[derive(Debug, Clone, Copy)]
pub struct ModelScores<'a> {
    /// The model's `name@version`.
    pub id: &'a str,
    pub quality_threshold: i32,
    pub scores: &'a [Score],
}

/// How one model does.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelFigures {
    pub id: String,
    /// Leads at or above the quality threshold.
    pub quality_leads: usize,
    /// Of the quality leads, the share won; of the won leads, the share that are quality leads.
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    /// ROC AUC of the totals against won.
    pub auc: Option<f64>,
    /// The best-scored tenth: its leads, won revenue and that revenue's share of all won
    /// revenue, and its opportunity and won rates.
    pub top_decile_leads: usize,
    pub top_decile_revenue: f64,
    pub top_decile_revenue_share: Option<f64>,
    pub top_decile_opportunity_rate: Option<f64>,
    pub top_decile_won_rate: Option<f64>,
}

/// A lead that is a quality lead under one model and not under the other.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SideChange {
    pub lead_id: String,
    pub total_a: i32,
    pub total_b: i32,
    pub won: bool,
}

/// Model A (the current one) against model B (the candidate).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BacktestReport {
    pub leads: usize,
    pub won: usize,
    pub as_of: jiff::Timestamp,
    pub a: ModelFigures,
    pub b: ModelFigures,
    /// Quality under B only, then quality under A only; in lead order.
    pub now_quality: Vec<SideChange>,
    pub no_longer_quality: Vec<SideChange>,
}

/// Compares `a` and `b` on `leads` scored at `as_of`, with won labels and won revenue from
/// `opportunities` (an opportunity naming only an account labels every lead of that account
/// won, and its revenue counts for none of them).
///
/// # Panics
/// When either model's scores are not one per lead.
pub fn backtest(
    leads: &[Lead],
    opportunities: &[Opportunity],
    as_of: jiff::Timestamp,
    a: ModelScores<'_>,
    b: ModelScores<'_>,
) -> BacktestReport {
    assert!(a.scores.len() == leads.len() && b.scores.len() == leads.len(), "backtest: one score per lead");
    // Replayed history: a lead counts as won or not (open deals as not won, as at the time).
    let won: Vec<bool> = won_labels(leads, opportunities).iter().map(|l| *l == Some(true)).collect();
    let index: HashMap<&str, usize> = leads.iter().enumerate().map(|(i, l)| (l.lead_id.as_str(), i)).collect();
    let mut revenue = vec![0.0; leads.len()];
    let mut has_opp = vec![false; leads.len()];
    for o in opportunities {
        if let Some(&i) = o.lead_id.as_deref().and_then(|l| index.get(l)) {
            has_opp[i] = true;
            if o.status == OppStatus::Won {
                revenue[i] += o.amount.unwrap_or(0.0);
            }
        }
    }
    let total_revenue: f64 = revenue.iter().sum();
    let figures = |m: ModelScores<'_>| {
        let t: Vec<f64> = m.scores.iter().map(|s| f64::from(s.total)).collect();
        let c = confusion_at(&t, &won, f64::from(m.quality_threshold));
        let d = decile_table(&t, &won, &revenue);
        let top_opportunity = decile_table(&t, &has_opp, &[]).first().and_then(|d| d.rate);
        ModelFigures {
            id: m.id.to_string(),
            quality_leads: c.true_pos + c.false_pos,
            precision: c.precision,
            recall: c.recall,
            auc: roc_auc(&t, &won),
            top_decile_leads: d[0].leads,
            top_decile_revenue: d[0].value,
            top_decile_revenue_share: (total_revenue > 0.0).then(|| d[0].value / total_revenue),
            top_decile_opportunity_rate: top_opportunity,
            top_decile_won_rate: d[0].rate,
        }
    };
    let change =
        |i: usize| SideChange { lead_id: leads[i].lead_id.clone(), total_a: a.scores[i].total, total_b: b.scores[i].total, won: won[i] };
    let (mut now_quality, mut no_longer_quality) = (Vec::new(), Vec::new());
    for i in 0..leads.len() {
        match (a.scores[i].quality, b.scores[i].quality) {
            (false, true) => now_quality.push(change(i)),
            (true, false) => no_longer_quality.push(change(i)),
            _ => {}
        }
    }
    BacktestReport {
        leads: leads.len(),
        won: won.iter().filter(|&&w| w).count(),
        as_of,
        a: figures(a),
        b: figures(b),
        now_quality,
        no_longer_quality,
    }
}

/// The backtest as text, listing at most `show` leads of each side change.
pub fn render_backtest(r: &BacktestReport, show: usize) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "Backtest of {} leads as of {}: {} won\n", r.leads, r.as_of, r.won);
    let _ = writeln!(
        s,
        "{:<40}{:>14}{:>12}{:>10}{:>10}{:>14}{:>10}",
        "model", "quality leads", "precision", "recall", "AUC", "top-10% rev", "share"
    );
    for m in [&r.a, &r.b] {
        let _ = writeln!(
            s,
            "{:<40}{:>14}{:>12}{:>10}{:>10}{:>14}{:>10}",
            m.id,
            m.quality_leads,
            num(m.precision, 3),
            num(m.recall, 3),
            num(m.auc, 3),
            money(m.top_decile_revenue),
            pct(m.top_decile_revenue_share)
        );
        let _ = writeln!(
            s,
            "{:<40}top decile: {} leads, opportunity rate {}, won rate {}",
            "",
            m.top_decile_leads,
            pct(m.top_decile_opportunity_rate),
            pct(m.top_decile_won_rate)
        );
    }
    let won_in = |v: &[SideChange]| v.iter().filter(|c| c.won).count();
    let _ = writeln!(
        s,
        "\n{} leads become quality under B ({} of them won); {} stop being quality ({} won)",
        r.now_quality.len(),
        won_in(&r.now_quality),
        r.no_longer_quality.len(),
        won_in(&r.no_longer_quality)
    );
    for (label, list) in [("now quality", &r.now_quality), ("no longer quality", &r.no_longer_quality)] {
        for c in list.iter().take(show) {
            let _ =
                writeln!(s, "  {:<18} {:<12} {:>5} -> {:<5} {}", label, c.lead_id, c.total_a, c.total_b, if c.won { "won" } else { "" });
        }
    }
    s
}
