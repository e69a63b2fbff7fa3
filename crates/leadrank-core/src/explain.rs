//! Explanations: a score as a ledger a sales rep can read, and what is missing to reach
//! the quality threshold.

use std::fmt::Write as _;
use std::sync::Arc;

use serde::Serialize;

use crate::engine::Score;
use crate::engine::eval::describe;
use crate::model::CompiledModel;

/// A rule that did not fire and would add points if it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub rule: Arc<str>,
    pub label: String,
    pub dimension: Arc<str>,
    /// Points it would add now, after the dimension's cap.
    pub gain: i32,
    /// What the rule asks for.
    pub condition: String,
}

/// How far a lead is from the quality threshold and the cheapest way there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    /// Points still needed (0 for a quality lead).
    pub needed: i32,
    /// Missing signals, largest gain first; `path` is the shortest prefix that closes the gap.
    pub suggestions: Vec<Suggestion>,
    /// How many of the first suggestions close the gap (0 if they cannot).
    pub path: usize,
}

/// The missing signals of a score: rules that did not fire, with the points they would add.
pub fn gap(model: &CompiledModel, score: &Score) -> Gap {
    actionable_gap(model, score, &[])
}

/// [`gap`] without the rules in `settled`: those whose condition the lead's known record
/// already decides (see `LiveBook::settled_rules`), which no next step of a person changes
/// (a rule on the industry of a company whose industry is known).
pub fn actionable_gap(model: &CompiledModel, score: &Score, settled: &[Arc<str>]) -> Gap {
    let needed = (model.quality_threshold - score.total).max(0);
    let mut headroom: Vec<Option<i32>> =
        model.dimensions.iter().map(|d| d.cap.map(|cap| (cap - score.dimensions.get(&d.id)).max(0))).collect();
    let mut candidates: Vec<(usize, &crate::model::Rule)> = model
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| r.points > 0 && !score.reasons.iter().any(|x| x.rule == r.id) && !settled.contains(&r.id))
        .collect();
    // Largest raw points first, then model order; gains are then taken greedily under caps.
    candidates.sort_by_key(|(i, r)| (-r.points, *i));
    let mut suggestions = Vec::new();
    for (_, rule) in candidates {
        let room = headroom[rule.dimension];
        let gain = room.map_or(rule.points, |h| rule.points.min(h));
        if gain <= 0 {
            continue;
        }
        if let Some(h) = headroom[rule.dimension].as_mut() {
            *h -= gain;
        }
        suggestions.push(Suggestion {
            rule: rule.id.clone(),
            label: rule.label.clone(),
            dimension: model.dimensions[rule.dimension].id.clone(),
            gain,
            condition: describe_rule(rule),
        });
    }
    suggestions.sort_by_key(|s| -s.gain);
    let mut path = 0;
    if needed > 0 {
        let mut acc = 0;
        for (i, s) in suggestions.iter().enumerate() {
            acc += s.gain;
            if acc >= needed {
                path = i + 1;
                break;
            }
        }
    }
    Gap { needed, suggestions, path }
}

fn describe_rule(rule: &crate::model::Rule) -> String {
    match &rule.description {
        Some(d) => d.clone(),
        None => describe(&rule.when),
    }
}

/// Renders a score as a ledger: dimensions with their rules and evidence, caps, the total,
/// the grade and cell, and the distance to the quality threshold with the missing signals.
pub fn ledger(model: &CompiledModel, score: &Score, as_of: &str) -> String {
    let mut out = String::new();
    let w = model.rules.iter().map(|r| r.label.chars().count()).max().unwrap_or(10) + 2;
    let _ = writeln!(out, "Lead {}  (model {}, as of {as_of})", score.lead_id, model.id());
    let _ = writeln!(out);
    for dim in &model.dimensions {
        let points = score.dimensions.get(&dim.id);
        let reasons: Vec<_> = score.reasons.iter().filter(|r| r.dimension == dim.id).collect();
        let cap = dim.cap.map_or(String::new(), |c| format!(" / {c}"));
        let _ = writeln!(out, "{:<width$}{points:>4}{cap}", dim.label, width = w + 8);
        if reasons.is_empty() {
            let _ = writeln!(out, "        none");
        }
        for r in reasons {
            let label = model.rules.iter().find(|x| x.id == r.rule).map_or("Cap", |x| x.label.as_str());
            let _ = writeln!(out, "  {:>+4}  {label:<w$}{}", r.points, r.detail);
        }
    }
    let _ = writeln!(out, "{}", "-".repeat(w + 20));
    let verdict = if score.quality { "quality lead" } else { "not a quality lead" };
    let cell = if score.cell.is_empty() { String::new() } else { format!("   cell {}", score.cell) };
    let _ = writeln!(out, "Total {}   grade {}{cell}   {verdict} (threshold {})", score.total, score.grade, model.quality_threshold);
    let g = gap(model, score);
    if score.quality {
        let _ = writeln!(out, "{} points above the threshold.", score.total - model.quality_threshold);
    } else {
        let _ = writeln!(out);
        let _ = writeln!(out, "{} more points needed to reach quality.", g.needed);
        if g.path == 0 {
            let _ = writeln!(out, "No combination of missing signals reaches the threshold.");
        } else {
            let _ = writeln!(out, "The fastest way there:");
            for s in &g.suggestions[..g.path] {
                let _ = writeln!(out, "  {:>+4}  {:<w$}{}", s.gain, s.label, s.condition);
            }
        }
        let held_back: Vec<_> = score.reasons.iter().filter(|r| r.points < 0 && &*r.rule != "cap").collect();
        if !held_back.is_empty() {
            let _ = writeln!(out, "Held back by:");
            for r in held_back {
                let label = model.rules.iter().find(|x| x.id == r.rule).map_or("", |x| x.label.as_str());
                let _ = writeln!(out, "  {:>+4}  {label:<w$}{}", r.points, r.detail);
            }
        }
    }
    out
}
