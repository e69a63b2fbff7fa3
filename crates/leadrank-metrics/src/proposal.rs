//! Integer points per rule from a fitted model, keeping the threshold's meaning, and the edit
//! of a model file's TOML text (comments and layout survive).
//!
//! Points are `round(s x coefficient)` for one scale `s` shared by all rules. The scale is
//! chosen so that, with the model's dimension caps and unchanged threshold, the same share of
//! leads qualifies as today; the threshold therefore keeps its meaning. A rule whose points
//! round to 0 should go (a rule of 0 points is not a valid rule).

use serde::Serialize;

/// One rule of the current model with its fitted coefficient.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleWeight {
    pub id: String,
    /// Index of the rule's dimension.
    pub dimension: usize,
    pub current: i32,
    /// Fitted log-odds coefficient of the rule's signal.
    pub coef: f64,
}

/// The proposal for one rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProposedRule {
    pub id: String,
    pub current: i32,
    /// None: the rule should go.
    pub proposed: Option<i32>,
    pub coef: f64,
    /// "gained", "lost", "unchanged" or "drop".
    pub change: &'static str,
}

/// A proposed set of points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proposal {
    pub rules: Vec<ProposedRule>,
    /// Points per unit of log-odds.
    pub scale: f64,
    pub share_current: f64,
    pub share_proposed: f64,
}

/// Totals of every lead under `points` (per rule), with `caps` per dimension (None = no cap).
/// `fired[l]` lists the rules that fired for lead `l`.
pub fn totals(points: &[i32], dims: &[usize], caps: &[Option<i32>], fired: &[Vec<usize>]) -> Vec<i32> {
    fired
        .iter()
        .map(|rules| {
            let mut per = vec![0i32; caps.len()];
            for &r in rules {
                per[dims[r]] += points[r];
            }
            per.iter().zip(caps).map(|(&p, c)| c.map_or(p, |c| p.min(c))).sum()
        })
        .collect()
}

fn share(totals: &[i32], threshold: i32) -> f64 {
    if totals.is_empty() {
        return 0.0;
    }
    totals.iter().filter(|&&t| t >= threshold).count() as f64 / totals.len() as f64
}

/// Proposes points keeping the share of leads at or above `threshold` as it is today.
pub fn propose(rules: &[RuleWeight], caps: &[Option<i32>], fired: &[Vec<usize>], threshold: i32) -> Proposal {
    let dims: Vec<usize> = rules.iter().map(|r| r.dimension).collect();
    let current: Vec<i32> = rules.iter().map(|r| r.current).collect();
    let target = share(&totals(&current, &dims, caps, fired), threshold);
    let at = |s: f64| -> Vec<i32> { rules.iter().map(|r| (r.coef * s).round() as i32).collect() };
    // Scales from "the strongest rule is worth 1 point" to "... 200 points".
    let strongest = rules.iter().map(|r| r.coef.abs()).fold(0.0f64, f64::max).max(1e-9);
    let mut best = (f64::INFINITY, 1.0 / strongest, 0.0);
    for k in 2..=400 {
        let s = f64::from(k) * 0.5 / strongest;
        let sh = share(&totals(&at(s), &dims, caps, fired), threshold);
        let err = (sh - target).abs();
        if err < best.0 - 1e-12 {
            best = (err, s, sh);
        }
    }
    let (_, scale, share_proposed) = best;
    let points = at(scale);
    let rules = rules
        .iter()
        .zip(points)
        .map(|(r, p)| ProposedRule {
            id: r.id.clone(),
            current: r.current,
            proposed: (p != 0).then_some(p),
            coef: r.coef,
            change: if p == 0 {
                "drop"
            } else if p > r.current {
                "gained"
            } else if p < r.current {
                "lost"
            } else {
                "unchanged"
            },
        })
        .collect();
    Proposal { rules, scale, share_current: target, share_proposed }
}

/// Why a model file could not be edited.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("the model file is not valid TOML: {0}")]
    Toml(#[from] toml_edit::TomlError),
    #[error("the model file has no [[rules]] array")]
    NoRules,
}

/// Rewrites the points of the model file `source`: `points` maps rule ids to new points, or
/// to `None` to remove the rule. `version` replaces `[model].version` when given. Everything
/// else, comments included, is kept.
pub fn edit_model(source: &str, points: &[(String, Option<i32>)], version: Option<&str>) -> Result<String, EditError> {
    let mut doc: toml_edit::DocumentMut = source.parse()?;
    if let Some(v) = version {
        if let Some(model) = doc.get_mut("model").and_then(|m| m.as_table_mut()) {
            model["version"] = toml_edit::value(v);
        }
    }
    let rules = doc.get_mut("rules").and_then(|r| r.as_array_of_tables_mut()).ok_or(EditError::NoRules)?;
    let mut remove = Vec::new();
    for (i, table) in rules.iter_mut().enumerate() {
        let Some(id) = table.get("id").and_then(|v| v.as_str()).map(str::to_string) else { continue };
        if let Some((_, p)) = points.iter().find(|(r, _)| *r == id) {
            match p {
                Some(p) => {
                    let decor = table.get("points").and_then(|v| v.as_value()).map(|v| v.decor().clone());
                    let mut value = toml_edit::Value::from(i64::from(*p));
                    if let Some(d) = decor {
                        *value.decor_mut() = d;
                    }
                    table["points"] = toml_edit::Item::Value(value);
                }
                None => remove.push(i),
            }
        }
    }
    for i in remove.into_iter().rev() {
        rules.remove(i);
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_apply_caps() {
        // Two rules in dimension 0 capped at 15, one uncapped penalty.
        let t = totals(&[10, 10, -5], &[0, 0, 1], &[Some(15), None], &[vec![0, 1, 2], vec![0], vec![]]);
        assert_eq!(t, vec![10, 10, 0]);
    }

    #[test]
    fn proposal_keeps_the_share_and_flags_changes() {
        let rules = vec![
            RuleWeight { id: "a".into(), dimension: 0, current: 50, coef: 0.1 },
            RuleWeight { id: "b".into(), dimension: 0, current: 10, coef: 2.0 },
            RuleWeight { id: "c".into(), dimension: 0, current: 10, coef: 0.001 },
        ];
        // Today leads with rule a qualify (threshold 50): 2 of 4.
        let fired = vec![vec![0], vec![0, 2], vec![1], vec![2]];
        let p = propose(&rules, &[None], &fired, 50);
        assert_eq!(p.share_current, 0.5);
        assert_eq!(p.share_proposed, 0.25);
        let change: Vec<&str> = p.rules.iter().map(|r| r.change).collect();
        assert_eq!(change[1], "gained");
        assert_eq!(change[2], "drop");
    }

    #[test]
    fn edit_keeps_comments_and_removes_rules() {
        let src = "# header comment\n[model]\nname = \"m\"\nversion = \"1.0.0\"\n\n[[rules]]\nid = \"a\" # keep me\npoints = 10 # ten\n\n[[rules]]\nid = \"b\"\npoints = 5\n";
        let out = edit_model(src, &[("a".into(), Some(25)), ("b".into(), None)], Some("1.1.0")).unwrap();
        assert!(out.contains("# header comment"));
        assert!(out.contains("# keep me"));
        assert!(out.contains("points = 25 # ten"), "{out}");
        assert!(!out.contains("id = \"b\""));
        assert!(out.contains("version = \"1.1.0\""));
    }
}
