//! Integer points per rule from a fitted model, keeping the threshold's meaning, and the edit
//! of a model file's TOML text (comments and layout survive).
//!
//! Points are `round(s x coefficient)` for one scale `s` shared by all rules. The scale is
//! chosen so that, with the model's dimension caps and unchanged threshold, the same share of
//! leads qualifies as today; the threshold therefore keeps its meaning. A rule whose points
//! round to 0 should go (a rule of 0 points is not a valid rule).
//!
//! [`propose_fitted`] goes further when outcomes are at hand: among the scales that keep the
//! share (within a tolerance), it takes the one whose capped totals rank the outcomes best,
//! then refines the integer points one rule at a time (coordinate ascent on the ROC AUC of the
//! capped totals, the share kept within the same tolerance). Caps and rounding are then part of
//! what is optimised, not ignored. Rules with `current == 0` are candidate new rules.

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
    /// "gained", "lost", "unchanged", "drop", "new" (a candidate new rule that keeps
    /// points; a candidate that rounds to 0 is "drop"), or "kept (thin)" (too little support
    /// to judge: the current points stay).
    pub change: &'static str,
}

impl ProposedRule {
    /// The proposal of `points` for `rule` (0 points: the rule should go).
    fn of(rule: &RuleWeight, points: i32) -> Self {
        ProposedRule {
            id: rule.id.clone(),
            current: rule.current,
            proposed: (points != 0).then_some(points),
            coef: rule.coef,
            change: if points == 0 {
                "drop"
            } else if rule.current == 0 {
                "new"
            } else if points > rule.current {
                "gained"
            } else if points < rule.current {
                "lost"
            } else {
                "unchanged"
            },
        }
    }
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
    let rules = rules.iter().zip(points).map(|(r, p)| ProposedRule::of(r, p)).collect();
    Proposal { rules, scale, share_current: target, share_proposed }
}

/// The ROC AUC of integer scores (ties count one half), by counting: O(n + range).
/// `None` without both classes.
pub fn auc_int(scores: &[i32], labels: &[bool]) -> Option<f64> {
    let (lo, hi) = scores.iter().fold((i32::MAX, i32::MIN), |(a, b), &s| (a.min(s), b.max(s)));
    if scores.is_empty() || scores.len() != labels.len() {
        return None;
    }
    let width = (i64::from(hi) - i64::from(lo) + 1) as usize;
    let (mut pos, mut neg) = (vec![0u64; width], vec![0u64; width]);
    for (&s, &l) in scores.iter().zip(labels) {
        let k = (s - lo) as usize;
        if l {
            pos[k] += 1;
        } else {
            neg[k] += 1;
        }
    }
    let (p, n): (u64, u64) = (pos.iter().sum(), neg.iter().sum());
    if p == 0 || n == 0 {
        return None;
    }
    let (mut below, mut wins) = (0u64, 0.0f64);
    for k in 0..width {
        wins += pos[k] as f64 * (below as f64 + neg[k] as f64 / 2.0);
        below += neg[k];
    }
    Some(wins / (p as f64 * n as f64))
}

/// What [`propose_fitted`] did beyond [`propose`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Refinement {
    /// Largest allowed distance between the proposal's share of qualifying leads and today's.
    pub share_tolerance: f64,
    /// Training AUC of the capped totals: the current points, the share-keeping scale of the
    /// coefficients alone, the best-ranking share-keeping scale, and the refined points.
    pub auc_current: Option<f64>,
    pub auc_scaled: Option<f64>,
    pub auc_best_scale: Option<f64>,
    pub auc_refined: Option<f64>,
    /// Which start the refined points came from: "coefficients" (the best scale) or
    /// "current" (today's points, candidate new rules at 0).
    pub start: &'static str,
    /// Point changes accepted by the coordinate ascent from that start.
    pub moves: usize,
}

/// Capped totals of leads, updated one rule at a time.
struct Scorer<'a> {
    dims: &'a [usize],
    caps: &'a [Option<i32>],
    /// Leads where each rule fires.
    by_rule: Vec<Vec<u32>>,
    /// Per lead, per dimension, the uncapped points (row-major, `caps.len()` per lead).
    sums: Vec<i32>,
    totals: Vec<i32>,
}

impl<'a> Scorer<'a> {
    fn new(points: &[i32], dims: &'a [usize], caps: &'a [Option<i32>], fired: &[Vec<usize>]) -> Self {
        let mut by_rule = vec![Vec::new(); dims.len()];
        for (l, rules) in fired.iter().enumerate() {
            for &r in rules {
                by_rule[r].push(l as u32);
            }
        }
        let d = caps.len();
        let mut sums = vec![0i32; fired.len() * d];
        for (l, rules) in fired.iter().enumerate() {
            for &r in rules {
                sums[l * d + dims[r]] += points[r];
            }
        }
        let mut s = Scorer { dims, caps, by_rule, sums, totals: Vec::new() };
        s.totals = (0..fired.len()).map(|l| s.total(l)).collect();
        s
    }

    fn total(&self, l: usize) -> i32 {
        let d = self.caps.len();
        self.sums[l * d..(l + 1) * d].iter().zip(self.caps).map(|(&p, c)| c.map_or(p, |c| p.min(c))).sum()
    }

    /// The totals if rule `r` had `step` more points.
    fn try_step(&self, r: usize, step: i32, out: &mut Vec<i32>) {
        out.clear();
        out.extend_from_slice(&self.totals);
        let (d, dim, cap) = (self.caps.len(), self.dims[r], self.caps[self.dims[r]]);
        let capped = |p: i32| cap.map_or(p, |c| p.min(c));
        for &l in &self.by_rule[r] {
            let l = l as usize;
            let old = self.sums[l * d + dim];
            out[l] += capped(old + step) - capped(old);
        }
    }

    /// Gives rule `r` `step` more points.
    fn step(&mut self, r: usize, step: i32) {
        let d = self.caps.len();
        let dim = self.dims[r];
        for i in 0..self.by_rule[r].len() {
            let l = self.by_rule[r][i] as usize;
            self.sums[l * d + dim] += step;
            self.totals[l] = self.total(l);
        }
    }
}

/// Like [`propose`], on the rows whose outcomes are `labels`, with caps and rounding taken
/// into account. Two starts: the coefficients times the best-ranking scale among those whose
/// share of qualifying leads is within `tolerance` of today's (or, if none is, the closest);
/// and today's points (rules with `current == 0`, candidate new rules, at 0). From each, the
/// integer points are refined rule by rule (steps of 1, 2, 5 and 10 points either way, at
/// most `passes` passes) while the training AUC of the capped totals rises and the share
/// stays within the tolerance; the start that ends with the higher training AUC wins. Signs
/// are kept: a rule of positive points may fall to 0 (it should go) but not below, a penalty
/// may not turn positive, and a candidate new rule is negative in an uncapped (penalty)
/// dimension and positive in a capped one.
/// `fired` and `labels` are the same rows.
pub fn propose_fitted(
    rules: &[RuleWeight],
    caps: &[Option<i32>],
    fired: &[Vec<usize>],
    labels: &[bool],
    threshold: i32,
    tolerance: f64,
    passes: usize,
) -> (Proposal, Refinement) {
    let dims: Vec<usize> = rules.iter().map(|r| r.dimension).collect();
    let current: Vec<i32> = rules.iter().map(|r| r.current).collect();
    let target = share(&totals(&current, &dims, caps, fired), threshold);
    let base = propose(rules, caps, fired, threshold);
    let points_of = |p: &Proposal| -> Vec<i32> { p.rules.iter().map(|r| r.proposed.unwrap_or(0)).collect() };
    let eval = |pts: &[i32]| -> (f64, Option<f64>) {
        let t = totals(pts, &dims, caps, fired);
        (share(&t, threshold), auc_int(&t, labels))
    };
    let tol = tolerance.max((base.share_proposed - target).abs());
    let ok = |sh: f64| (sh - target).abs() <= tol + 1e-12;
    let mut scaled = points_of(&base);
    let (_, auc_scaled) = eval(&scaled);
    let auc_current = eval(&current).1;
    // The scale: the best-ranking one among those that keep the share.
    let strongest = rules.iter().map(|r| r.coef.abs()).fold(0.0f64, f64::max).max(1e-9);
    let mut scale = base.scale;
    let mut best_scaled = auc_scaled.unwrap_or(0.0);
    for k in 2..=400 {
        let s = f64::from(k) * 0.5 / strongest;
        let pts: Vec<i32> = rules.iter().map(|r| (r.coef * s).round() as i32).collect();
        let (sh, auc) = eval(&pts);
        if let Some(a) = auc.filter(|&a| ok(sh) && a > best_scaled + 1e-9) {
            best_scaled = a;
            scale = s;
            scaled = pts;
        }
    }
    let auc_best_scale = eval(&scaled).1;
    // Signs are kept: a rule of positive points may fall to 0 (drop) but not below, a
    // penalty may not turn positive; a candidate new rule is negative in an uncapped
    // (penalty) dimension and positive in a capped one.
    let sign: Vec<i32> = rules
        .iter()
        .map(|r| match (r.current, caps.get(r.dimension).copied().flatten()) {
            (0, None) => -1,
            (0, Some(_)) => 1,
            (c, _) => c.signum(),
        })
        .collect();
    let allowed = |r: usize, p: i32| sign[r] == 0 || p == 0 || p.signum() == sign[r];
    let scaled: Vec<i32> = scaled.iter().enumerate().map(|(r, &p)| if allowed(r, p) { p } else { 0 }).collect();
    // Coordinate ascent on the integer points from a start.
    let ascend = |mut points: Vec<i32>| -> (Vec<i32>, f64, usize) {
        let mut sc = Scorer::new(&points, &dims, caps, fired);
        let mut best = auc_int(&sc.totals, labels).unwrap_or(0.0);
        let mut buf = Vec::with_capacity(fired.len());
        let mut moves = 0;
        for _ in 0..passes {
            let mut improved = false;
            // `r` indexes the rules, the points and the scorer alike.
            #[allow(clippy::needless_range_loop)]
            for r in 0..rules.len() {
                let mut pick: Option<(i32, f64)> = None;
                for step in [-10, -5, -2, -1, 1, 2, 5, 10] {
                    if !allowed(r, points[r] + step) {
                        continue;
                    }
                    sc.try_step(r, step, &mut buf);
                    let auc = auc_int(&buf, labels);
                    if let Some(a) = auc.filter(|&a| a > best + 1e-7 && pick.is_none_or(|(_, b)| a > b) && ok(share(&buf, threshold))) {
                        pick = Some((step, a));
                    }
                }
                if let Some((step, a)) = pick {
                    sc.step(r, step);
                    points[r] += step;
                    best = a;
                    moves += 1;
                    improved = true;
                }
            }
            if !improved {
                break;
            }
        }
        (points, best, moves)
    };
    let from_coef = ascend(scaled);
    let from_current = ascend(current.clone());
    let (start, (points, _, moves)) = if from_current.1 > from_coef.1 { ("current", from_current) } else { ("coefficients", from_coef) };
    let (share_proposed, auc_refined) = eval(&points);
    let proposal = Proposal {
        rules: rules.iter().zip(&points).map(|(r, &p)| ProposedRule::of(r, p)).collect(),
        scale,
        share_current: target,
        share_proposed,
    };
    let refinement = Refinement { share_tolerance: tol, auc_current, auc_scaled, auc_best_scale, auc_refined, start, moves };
    (proposal, refinement)
}

/// A new rule for a model file, proposed by calibration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewRule {
    pub id: String,
    pub dimension: String,
    pub points: i32,
    pub label: String,
    /// The condition as an inline TOML table, e.g. `{ field = "source", equals = "referral" }`.
    pub when: String,
    /// A comment line written above the rule (without the leading `#`).
    pub comment: String,
}

/// A TOML basic string literal (quoted and escaped) for `s`.
pub fn toml_string(s: &str) -> String {
    toml_edit::Value::from(s).to_string().trim().to_string()
}

/// The `[[rules]]` TOML text of new rules, each with its comment, to append to a model file.
pub fn rules_toml(rules: &[NewRule]) -> String {
    let q = toml_string;
    let mut out = String::new();
    for r in rules {
        out.push_str(&format!(
            "\n# {}\n[[rules]]\nid = {}\ndimension = {}\npoints = {}\nlabel = {}\nwhen = {}\n",
            r.comment.replace('\n', " "),
            q(&r.id),
            q(&r.dimension),
            r.points,
            q(&r.label),
            r.when
        ));
    }
    out
}

/// A rule id from a signal name: lower case ASCII letters, digits and `_` only.
pub fn rule_id(prefix: &str, name: &str) -> String {
    let body: String = name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    format!("{prefix}_{body}")
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
    if let Some(v) = version
        && let Some(model) = doc.get_mut("model").and_then(|m| m.as_table_mut())
    {
        model["version"] = toml_edit::value(v);
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

    #[test]
    fn auc_int_counts_ties_as_half() {
        assert_eq!(auc_int(&[1, 2, 3, 4], &[false, false, true, true]), Some(1.0));
        assert_eq!(auc_int(&[5, 5], &[true, false]), Some(0.5));
        assert_eq!(auc_int(&[1, 2], &[true, true]), None);
        let s = [3, -1, 7, 7, 2, 0, 9, 3];
        let l = [true, false, true, false, false, true, true, false];
        let f: Vec<f64> = s.iter().map(|&v| f64::from(v)).collect();
        let want = crate::classify::roc_auc(&f, &l).unwrap();
        assert!((auc_int(&s, &l).unwrap() - want).abs() < 1e-12);
    }

    #[test]
    fn scorer_steps_agree_with_totals() {
        let dims = [0, 0, 1];
        let caps = [Some(15), None];
        let fired = vec![vec![0, 1, 2], vec![0], vec![], vec![1, 2]];
        let mut pts = vec![10, 10, -5];
        let mut sc = Scorer::new(&pts, &dims, &caps, &fired);
        assert_eq!(sc.totals, totals(&pts, &dims, &caps, &fired));
        let mut buf = Vec::new();
        for (r, step) in [(0, -5), (1, 10), (2, 3), (0, 20)] {
            sc.try_step(r, step, &mut buf);
            pts[r] += step;
            assert_eq!(buf, totals(&pts, &dims, &caps, &fired));
            sc.step(r, step);
            assert_eq!(sc.totals, buf);
        }
    }

    #[test]
    fn fitted_proposal_accounts_for_caps() {
        // Dimension 0 is capped at 10 and rules a and b (dimension 0) both saturate it, so a
        // lead with both is worth no more than a lead with one. Among those leads only c
        // (uncapped dimension 1, a candidate new rule) separates the outcomes. The chosen
        // scale and the refinement must never rank worse than the share-keeping scale, must
        // keep the share, and leads with c must rank above those without it.
        let rules = vec![
            RuleWeight { id: "a".into(), dimension: 0, current: 10, coef: 2.0 },
            RuleWeight { id: "b".into(), dimension: 0, current: 10, coef: 2.0 },
            RuleWeight { id: "c".into(), dimension: 1, current: 0, coef: 0.2 },
            RuleWeight { id: "d".into(), dimension: 2, current: 0, coef: 0.5 },
        ];
        let mut fired = Vec::new();
        let mut labels = Vec::new();
        for i in 0..400 {
            let mut f = vec![];
            if i % 2 == 0 {
                f.push(0);
            }
            if i % 3 == 0 {
                f.push(1);
            }
            let c = i % 5 == 0;
            if c {
                f.push(2);
            }
            labels.push((f.contains(&0) || f.contains(&1)) && (c || i % 7 == 0));
            fired.push(f);
        }
        // d is a candidate in the uncapped dimension 2 that never fires: it may not turn positive.
        let caps = [Some(10), Some(100), None];
        let (p, r) = propose_fitted(&rules, &caps, &fired, &labels, 10, 0.01, 3);
        assert!(p.rules[3].proposed.is_none_or(|v| v < 0), "{p:?}");
        assert!(r.auc_best_scale >= r.auc_scaled, "{r:?}");
        assert!(r.auc_refined >= r.auc_best_scale && r.auc_refined >= r.auc_current, "{r:?}");
        assert!((p.share_proposed - p.share_current).abs() <= r.share_tolerance + 1e-12, "{p:?} {r:?}");
        let pts: Vec<i32> = p.rules.iter().map(|x| x.proposed.unwrap_or(0)).collect();
        let t = totals(&pts, &[0, 0, 1, 2], &caps, &fired);
        // A lead with a, b and c outranks one with a and b only.
        let with_c = (0..400).find(|i| i % 30 == 0).unwrap();
        let without_c = (0..400).find(|i| i % 6 == 0 && i % 5 != 0).unwrap();
        assert!(t[with_c] > t[without_c], "{pts:?}");
        assert_eq!(p.rules[2].change, "new");
        let full = auc_int(&t, &labels).unwrap();
        let cur = auc_int(&totals(&[10, 10, 0, 0], &[0, 0, 1, 2], &caps, &fired), &labels).unwrap();
        assert!(full > cur, "{full} vs {cur}");
    }

    #[test]
    fn new_rules_are_valid_toml_with_their_comment() {
        let r = NewRule {
            id: rule_id("calibrated_source", "Paid Social"),
            dimension: "intent".into(),
            points: 7,
            label: "Source: paid social (calibrated)".into(),
            when: "{ field = \"source\", equals = \"paid social\" }".into(),
            comment: "proposed by calibration: log-odds 0.412".into(),
        };
        let text = format!("[model]\nname = \"m\"\n\n[[rules]]\nid = \"x\"\n{}", rules_toml(&[r]));
        let doc: toml_edit::DocumentMut = text.parse().unwrap();
        let rules = doc["rules"].as_array_of_tables().unwrap();
        assert_eq!(rules.len(), 2);
        assert_eq!(rules.get(1).unwrap()["id"].as_str(), Some("calibrated_source_paid_social"));
        assert!(text.contains("# proposed by calibration: log-odds 0.412\n[[rules]]"), "{text}");
    }
}
