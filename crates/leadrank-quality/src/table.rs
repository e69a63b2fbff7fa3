//! The calibration report as text for a terminal.

use std::fmt::Write as _;

use leadrank_metrics::classify::{DecileRow, ReliabilityBin};
use leadrank_metrics::fmt::num;

use crate::cutoffs::CutOffRule;
use crate::report::{CalibrationReport, HeldOut};

/// A number as JSON writes it (`10.0`, `0.1`, `null`): the table quotes the penalty and the
/// learning rate in that form.
fn json<T: serde::Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// The lift of decile `k` (0 = the best-scored tenth).
fn lift(deciles: &[DecileRow], k: usize) -> Option<f64> {
    deciles.get(k).and_then(|d| d.lift)
}

/// The calibration report as text: held-out figures side by side, the reliability of the
/// current score, the challenger (when fitted), the proposed points with their
/// cross-validation and recommendation, and the warnings.
pub fn render_table(r: &CalibrationReport) -> String {
    let mut s = String::new();
    let target = r.target.as_str();
    let _ = writeln!(
        s,
        "Calibration on {} leads ({} {target}); {} training, {} held out ({})",
        r.leads,
        r.positives,
        r.train_rows,
        r.test_rows,
        r.split.label()
    );
    if r.censored_open > 0 {
        let _ = writeln!(s, "Left out: {} leads whose deals are all still open (their outcome is not known yet)", r.censored_open);
    }
    let c = &r.cut_off;
    if c.rule == CutOffRule::Single {
        let _ = writeln!(s, "Cut-off: every lead scored at --as-of (--single-as-of; events after sales contact can leak)\n");
    } else {
        let horizon = c.horizon_days.map_or(String::new(), |d| format!(", its created_at + {d} days"));
        let _ = writeln!(
            s,
            "Cut-off: each lead scored as of min(--as-of, its first opportunity's created_at - 1 s{horizon}); {} leads cut at an opportunity ({} naming the lead, {} naming only its account), {} by the horizon\n",
            c.cut_by_lead_opportunity + c.cut_by_account_opportunity,
            c.cut_by_lead_opportunity,
            c.cut_by_account_opportunity,
            c.cut_by_horizon
        );
    }
    // With a challenger, a fourth column: the gradient-boosted trees on the same rows.
    let gb = r.gbm.as_ref();
    let gb_held_out: Option<&HeldOut> = gb.map(|g| &g.held_out);
    let _ = write!(s, "{:<34}{:>12}{:>12}{:>12}", "held-out figure", "current", "logistic", "proposed");
    let _ = writeln!(s, "{}", if gb.is_some() { format!("{:>12}", "gbm") } else { String::new() });
    let row = |s: &mut String, name: &str, a: Option<f64>, b: Option<f64>, c: Option<f64>, e: Option<f64>, d: usize| {
        let _ = write!(s, "{:<34}{:>12}{:>12}{:>12}", name, num(a, d), num(b, d), num(c, d));
        let _ = writeln!(s, "{}", if gb.is_some() { format!("{:>12}", num(e, d)) } else { String::new() });
    };
    let (cur, log, prop) = (&r.current, &r.logistic, &r.proposed);
    row(
        &mut s,
        &format!("ROC AUC against {target}"),
        cur.held_out.auc,
        log.held_out.auc,
        prop.held_out.auc,
        gb_held_out.and_then(|h| h.auc),
        3,
    );
    for k in 0..3 {
        row(
            &mut s,
            &format!("lift in decile {}", k + 1),
            lift(&cur.held_out.deciles, k),
            lift(&log.held_out.deciles, k),
            lift(&prop.held_out.deciles, k),
            gb_held_out.and_then(|h| lift(&h.deciles, k)),
            2,
        );
    }
    row(&mut s, "Brier score", cur.brier, log.brier, None, gb.and_then(|g| g.brier), 4);
    row(&mut s, "threshold precision", cur.threshold.precision, None, prop.threshold.precision, None, 3);
    row(&mut s, "threshold recall", cur.threshold.recall, None, prop.threshold.recall, None, 3);
    row(&mut s, "share of leads that qualify", cur.threshold.flagged_share, None, prop.threshold.flagged_share, None, 3);
    let _ = writeln!(s, "\nCross-validated penalty (5 folds): l2 = {} ({})", json(&log.l2), json(&log.cv_auc));
    let _ = writeln!(s, "\nReliability of the current score (held out, calibrated on training rows)");
    for b in cur.reliability.iter().filter(|b| b.count > 0) {
        let _ = writeln!(
            s,
            "  predicted {:>5.1}-{:<5.1}% n={} mean {:>6.2}%  observed {:>6.2}%",
            b.lo * 100.0,
            b.hi * 100.0,
            b.count,
            b.mean_predicted.unwrap_or(0.0) * 100.0,
            b.observed.unwrap_or(0.0) * 100.0
        );
    }
    if let Some(g) = gb {
        let _ = writeln!(
            s,
            "\nGradient-boosted trees (challenger; the proposal below stays from the logistic fit): depth {}, learning rate {}, {} trees, chosen by early stopping on a validation share of the training rows",
            g.depth,
            json(&g.learning_rate),
            g.rounds
        );
        for c in &g.candidates {
            let _ = writeln!(
                s,
                "  candidate depth {} learning rate {}: {} trees, validation log loss {}, AUC {}",
                c.depth,
                json(&c.learning_rate),
                c.rounds,
                num(Some(c.valid_logloss).filter(|v| v.is_finite()), 4),
                num(c.valid_auc, 3)
            );
        }
        let gain = match (g.held_out.auc, log.held_out.auc) {
            (Some(a), Some(b)) => format!("{:+.3}", a - b),
            _ => "-".into(),
        };
        let _ = writeln!(s, "  held-out AUC gain over the logistic fit: {gain} (what a non-linear model could add)");
        let _ = writeln!(s, "\nReliability, held out: logistic vs gbm (mean predicted / observed)");
        let cell = |b: &ReliabilityBin| {
            if b.count == 0 {
                format!("{:>26}", "-")
            } else {
                format!("n={:<6} {:>6.2}% / {:>6.2}%", b.count, b.mean_predicted.unwrap_or(0.0) * 100.0, b.observed.unwrap_or(0.0) * 100.0)
            }
        };
        for (a, b) in log.reliability.iter().zip(&g.reliability) {
            let _ = writeln!(s, "  predicted {:>5.1}-{:<5.1}%  {}   {}", a.lo * 100.0, a.hi * 100.0, cell(a), cell(b));
        }
        let _ = writeln!(s, "\nFeature importance of the trees (top 10, share of total split gain)");
        for (name, share) in &g.importance {
            let _ = writeln!(s, "  {:<34}{:>7.1}%", name, share * 100.0);
        }
    }
    let (pr, rf) = (&prop.proposal, &prop.refinement);
    let _ = writeln!(
        s,
        "\nProposed points (fitted on the proposal's own {} features with the dimension caps; start: {}; {:.2}% of leads qualify today, {:.2}% with the proposal)",
        prop.features.len(),
        rf.start,
        pr.share_current * 100.0,
        pr.share_proposed * 100.0
    );
    let _ = writeln!(
        s,
        "  training AUC of the capped totals: current {}, coefficients x {:.2} points {}, after the integer refinement {} ({} moves)",
        num(rf.auc_current, 4),
        pr.scale,
        num(rf.auc_best_scale, 4),
        num(rf.auc_refined, 4),
        rf.moves
    );
    let _ = writeln!(s, "  {:<34}{:>9}{:>10}{:>10}  change", "rule", "current", "proposed", "log-odds");
    for rule in &pr.rules {
        // A candidate new rule (current 0) that rounds to 0 points is simply not added.
        let not_added = rule.current == 0 && rule.change == "drop";
        let _ = writeln!(
            s,
            "  {:<34}{:>9}{:>10}{:>10.3}  {}",
            rule.id,
            if rule.change == "new" || not_added { "-".to_string() } else { rule.current.to_string() },
            rule.proposed.map_or("-".into(), |v| v.to_string()),
            rule.coef,
            if not_added { "not added" } else { rule.change }
        );
    }
    if !prop.new_rules.is_empty() {
        let _ = writeln!(s, "\nNew rules for strong signals the model lacks (written by --write-model when the proposal is recommended):");
        for v in &prop.new_rules {
            let _ = writeln!(s, "  {:<34} {:<10}{} points  when = {}", v.id, v.dimension, v.points, v.when);
        }
    }
    for (name, why) in &prop.not_proposed {
        let _ = writeln!(s, "  (strong signal {name} not proposed as a rule: {why})");
    }
    let cv = &prop.cv;
    let _ = writeln!(
        s,
        "\nCross-validated on the training rows ({} folds; the whole proposal refitted on 4, ranked on the 5th): AUC current {}, proposed {}",
        cv.folds,
        num(cv.current_mean, 4),
        num(cv.proposed_mean, 4)
    );
    let _ = writeln!(s, "Recommendation: {}", prop.verdict);
    if !r.warnings.is_empty() {
        let _ = writeln!(s, "\nWarnings");
        for w in &r.warnings {
            let _ = writeln!(s, "  ! {w}");
        }
    }
    s
}
