//! The 0/1 feature matrix calibration fits on.

use std::collections::BTreeMap;

use leadrank_core::engine::Dataset;
use leadrank_core::{CompiledModel, Score};

use crate::cutoffs::DAY;

/// Features of calibration: one 0/1 per rule, per frequent source (>= 1% of leads), per
/// segment and per frequent event type seen in the 90 days before the lead's own cut-off
/// (`cut[i]`, the time its score was taken at).
pub(crate) struct Features {
    /// Column names: `rule:ID`, then `source:NAME`, `segment:NAME` and `event:TYPE`.
    pub names: Vec<String>,
    /// Row-major, one row per lead, `names.len()` columns.
    pub x: Vec<f64>,
    /// How many leading columns are the model's rules.
    pub rules: usize,
}

pub(crate) fn features(model: &CompiledModel, dataset: &Dataset, scores: &[Score], cut: &[i64]) -> Features {
    let n = scores.len();
    let mut names: Vec<String> = model.rules.iter().map(|r| format!("rule:{}", r.id)).collect();
    let rules = names.len();
    let mut sources: BTreeMap<String, usize> = BTreeMap::new();
    for l in &dataset.leads {
        if let Some(s) = &l.source {
            *sources.entry(s.to_ascii_lowercase()).or_default() += 1;
        }
    }
    let sources: Vec<String> = sources.into_iter().filter(|&(_, c)| c * 100 >= n).map(|(s, _)| s).collect();
    names.extend(sources.iter().map(|s| format!("source:{s}")));
    let segments = ["smb", "mid_market", "enterprise"];
    names.extend(segments.iter().map(|s| format!("segment:{s}")));
    let mut types: BTreeMap<String, usize> = BTreeMap::new();
    let per_lead_types: Vec<Vec<String>> = (0..n)
        .map(|i| {
            let as_of = cut.get(i).copied().unwrap_or(i64::MAX);
            let mut t: Vec<String> = dataset
                .events_of(i)
                .iter()
                .filter(|e| e.at <= as_of && e.at >= as_of.saturating_sub(90 * DAY))
                .map(|e| dataset.event_type(e).to_string())
                .collect();
            t.sort();
            t.dedup();
            for k in &t {
                *types.entry(k.clone()).or_default() += 1;
            }
            t
        })
        .collect();
    let types: Vec<String> = types.into_iter().filter(|&(_, c)| c * 100 >= n).map(|(t, _)| t).collect();
    names.extend(types.iter().map(|t| format!("event:{t}")));
    let p = names.len();
    let mut x = vec![0.0; n * p];
    for (i, s) in scores.iter().enumerate() {
        let row = &mut x[i * p..(i + 1) * p];
        for r in &s.reasons {
            if let Some(k) = model.rules.iter().position(|m| m.id == r.rule) {
                row[k] = 1.0;
            }
        }
        let lead = &dataset.leads[i];
        if let Some(src) = &lead.source
            && let Some(k) = sources.iter().position(|s| s.eq_ignore_ascii_case(src))
        {
            row[rules + k] = 1.0;
        }
        if let Some(e) = lead.employees {
            let seg = leadrank_core::engine::facts::segment(e);
            if let Some(k) = segments.iter().position(|s| *s == seg) {
                row[rules + sources.len() + k] = 1.0;
            }
        }
        for t in &per_lead_types[i] {
            if let Some(k) = types.iter().position(|s| s == t) {
                row[rules + sources.len() + segments.len() + k] = 1.0;
            }
        }
    }
    Features { names, x, rules }
}
