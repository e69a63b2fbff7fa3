//! The calibration run: labels, split, fits, the points proposal and its cross-validation.

use leadrank_core::CompiledModel;
use leadrank_core::engine::Dataset;
use leadrank_metrics::classify::{brier, confusion_at, decile_table, reliability, roc_auc, sigmoid};
use leadrank_metrics::gbm::{GbmError, GbmOptions, fit_gbm};
use leadrank_metrics::logistic::{FitError, FitOptions, LogisticFit, fit, holdout_split, kfold, take_rows};
use leadrank_metrics::proposal::{self, Proposal, Refinement, RuleWeight, propose, totals};
use leadrank_metrics::report::{Opportunity, StageChange};
use leadrank_metrics::stats::mean;

use crate::cutoffs::{CutOffRule, CutOffs, cutoffs};
use crate::features::features;
use crate::labels::{acceptance_labels, won_labels};
use crate::report::{
    CalibrationReport, CurrentFigures, GbmFigures, HeldOut, LogisticFigures, ProposalCv, ProposedFigures, SampleLead, Split, Target,
    ThresholdCheck,
};

/// What [`calibrate`] works on.
#[derive(Clone, Copy)]
pub struct CalibrationInput<'a> {
    pub model: &'a CompiledModel,
    /// The leads and their events, loaded for `model`.
    pub dataset: &'a Dataset,
    /// Opportunities: the labels of [`Target::Won`] (required there) and, for either target,
    /// what cuts each lead's history.
    pub opportunities: Option<&'a [Opportunity]>,
    /// The stage history: the labels of [`Target::Accepted`] (required there).
    pub stages: Option<&'a [StageChange]>,
    /// The latest time any lead is seen at; events after it are ignored.
    pub as_of: jiff::Timestamp,
}

/// Where each lead's score and features are taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CutOffChoice {
    /// Just before the lead's first opportunity (or its account's), or `horizon_days` after
    /// its `created_at` when that comes first, and never after the as-of time.
    PerLead { horizon_days: Option<u32> },
    /// Every lead at the as-of time: events after sales contact leak into the features.
    Single,
}

/// How [`calibrate`] runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CalibrationOptions {
    pub target: Target,
    pub split: Split,
    pub cut_off: CutOffChoice,
    /// Also fit gradient-boosted trees as a challenger on the same rows.
    pub gbm: bool,
    /// Seed of the split, the folds and the challenger's validation share.
    pub seed: u64,
}

/// A step of the run, reported as it ends (or starts) so a caller can time it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// The cross-validated choice of penalty starts.
    LogisticStarted,
    /// The logistic fit is done, after cross-validating `penalties` penalties.
    LogisticFitted { penalties: usize },
    /// The challenger is fitted: `candidates` settings tried, `trees` in the final fit.
    GbmFitted { candidates: usize, trees: usize },
    /// The cross-validation of the points proposal starts.
    ProposalStarted,
    /// The proposal's cross-validation and its final fit are done.
    ProposalFitted,
}

/// Why calibration could not be done.
#[derive(Debug, thiserror::Error)]
pub enum CalibrationError {
    #[error("calibrating against won deals needs the opportunities")]
    NoOutcomes,
    #[error("calibrating against sales acceptance needs the stage history")]
    NoStages,
    #[error("no lead was accepted or rejected by sales")]
    NoReviewedLeads,
    #[error("all {leads} leads have only open deals: no outcome is known yet")]
    AllCensored { leads: usize },
    #[error("cut-off {seconds} s is not a valid time")]
    InvalidCutOff { seconds: i64 },
    #[error(transparent)]
    Fit(#[from] FitError),
    #[error("fitting the points model")]
    PointsFit(#[source] FitError),
    #[error(transparent)]
    Gbm(#[from] GbmError),
}

/// The dimension of a rule proposed for a signal the model lacks: a negative signal is a
/// penalty (the uncapped dimension); a segment describes the company (fit); an event type or
/// a source describes how the lead behaves or came in (intent). Falls back to the model's
/// first dimension when it has no dimension of that id.
fn new_rule_dimension(model: &CompiledModel, name: &str, coef: f64) -> usize {
    let find = |id: &str| model.dimensions.iter().position(|d| &*d.id == id);
    if coef < 0.0 {
        return find("penalty").or_else(|| model.dimensions.iter().position(|d| d.cap.is_none())).unwrap_or(0);
    }
    if name.starts_with("segment:") { find("fit").unwrap_or(0) } else { find("intent").unwrap_or(0) }
}

/// The condition and label of a rule for a calibration feature, when one can be written.
fn new_rule_condition(name: &str) -> Option<(String, String, String)> {
    let lit = proposal::toml_string;
    if let Some(t) = name.strip_prefix("event:") {
        Some((
            proposal::rule_id("calibrated_event", t),
            format!("{{ event = {}, within_days = 90 }}", lit(t)),
            format!("{t} in the last 90 days (calibrated)"),
        ))
    } else if let Some(src) = name.strip_prefix("source:") {
        Some((
            proposal::rule_id("calibrated_source", src),
            format!("{{ field = \"source\", equals = {} }}", lit(src)),
            format!("Source: {src} (calibrated)"),
        ))
    } else {
        name.strip_prefix("segment:").map(|seg| {
            (
                proposal::rule_id("calibrated_segment", seg),
                format!("{{ fact = \"segment\", equals = {} }}", lit(seg)),
                format!("Segment: {seg} (calibrated)"),
            )
        })
    }
}

/// The points model fitted on exactly the proposal's features (`q` columns of `xr`, rules
/// first) over `rows`: an L2 logistic fit, then [`proposal::propose_fitted`] with the
/// model's caps. Returns the proposal, what the refinement did, and the fit.
#[allow(clippy::too_many_arguments)]
fn fit_points(
    xr: &[f64],
    q: usize,
    rows: &[usize],
    y: &[bool],
    meta: &[(String, usize, i32)],
    caps: &[Option<i32>],
    fired: &[Vec<usize>],
    threshold: i32,
    l2: f64,
    pinned: &[bool],
) -> Result<(Proposal, Refinement, LogisticFit), CalibrationError> {
    let yr: Vec<bool> = rows.iter().map(|&i| y[i]).collect();
    let m = fit(&take_rows(xr, q, rows), q, &yr, &FitOptions { l2, ..FitOptions::default() }).map_err(CalibrationError::PointsFit)?;
    let weights: Vec<RuleWeight> =
        meta.iter().zip(&m.coef).map(|((id, d, c), &coef)| RuleWeight { id: id.clone(), dimension: *d, current: *c, coef }).collect();
    let fr: Vec<Vec<usize>> = rows.iter().map(|&i| fired[i].clone()).collect();
    let (mut p, r) = proposal::propose_fitted(&weights, caps, &fr, &yr, threshold, SHARE_TOLERANCE, 3);
    // Rules with too little support keep their current points (the data cannot judge them).
    if pinned.iter().any(|&k| k) {
        for (rule, _) in p.rules.iter_mut().zip(pinned).filter(|(_, k)| **k) {
            rule.proposed = (rule.current != 0).then_some(rule.current);
            rule.change = "kept (thin)";
        }
        let pts: Vec<i32> = p.rules.iter().map(|r| r.proposed.unwrap_or(0)).collect();
        let dims: Vec<usize> = meta.iter().map(|m| m.1).collect();
        let t = totals(&pts, &dims, caps, &fr);
        p.share_proposed = t.iter().filter(|&&v| v >= threshold).count() as f64 / t.len().max(1) as f64;
    }
    Ok((p, r, m))
}

/// How far the proposal's share of quality leads may move from today's (absolute).
const SHARE_TOLERANCE: f64 = 0.005;
/// The cross-validated AUC gain the proposal needs before it is recommended.
const MIN_GAIN: f64 = 0.001;
/// A new rule is proposed only for a signal that fires on at least this many training leads
/// and this many positive ones among them; a rule of the model with less support keeps
/// points resting on thin evidence, which a warning names.
const MIN_RULE_LEADS: usize = 30;
const MIN_RULE_POSITIVES: usize = 10;

/// Calibrates `input.model` against the outcomes: see the crate documentation. Pure and
/// deterministic for a given input and seed; `on_phase` hears each step as it passes.
pub fn calibrate(
    input: &CalibrationInput<'_>,
    opts: &CalibrationOptions,
    on_phase: &mut dyn FnMut(Phase),
) -> Result<CalibrationReport, CalibrationError> {
    let CalibrationInput { model, dataset, opportunities, stages, as_of } = *input;
    let opps = match (opts.target, opportunities) {
        (Target::Won, None) => return Err(CalibrationError::NoOutcomes),
        (_, o) => o.unwrap_or(&[]),
    };
    let cut = match opts.cut_off {
        CutOffChoice::Single => CutOffs::single(dataset.leads.len(), as_of.as_second()),
        CutOffChoice::PerLead { horizon_days } => cutoffs(&dataset.leads, opps, as_of.as_second(), horizon_days),
    };
    // Every cut-off as a time (the sample shows them); an opportunity at the edge of the
    // representable range cannot be cut before.
    let cut_times = cut
        .at
        .iter()
        .map(|&t| jiff::Timestamp::from_second(t).map_err(|_| CalibrationError::InvalidCutOff { seconds: t }))
        .collect::<Result<Vec<_>, _>>()?;
    let scores = match opts.cut_off {
        CutOffChoice::Single => dataset.score_all(model, as_of, &|_| {}),
        CutOffChoice::PerLead { .. } => dataset.score_each_at(model, &cut_times, as_of, &|_| {}),
    };
    let mut f = features(model, dataset, &scores, &cut.at);
    let p = f.names.len();
    let mut created: Vec<Option<i64>> = dataset.leads.iter().map(|l| l.created_at.map(|t| t.as_second())).collect();
    // row_lead[r]: the lead (dataset index) of calibration row r. Labels: won deals, where a
    // lead whose deals are still open is censored (left out: its outcome is not known yet);
    // or sales acceptance, where leads sales never reviewed are left out.
    let labelled: Vec<(bool, usize)> = match opts.target {
        Target::Won => won_labels(&dataset.leads, opps).iter().enumerate().filter_map(|(i, l)| l.map(|l| (l, i))).collect(),
        Target::Accepted => {
            let stages = stages.ok_or(CalibrationError::NoStages)?;
            let labelled = acceptance_labels(&dataset.leads, stages);
            if labelled.is_empty() {
                return Err(CalibrationError::NoReviewedLeads);
            }
            labelled
        }
    };
    let censored_open = if opts.target == Target::Won { dataset.leads.len() - labelled.len() } else { 0 };
    if labelled.is_empty() {
        return Err(CalibrationError::AllCensored { leads: dataset.leads.len() });
    }
    // Keep only the labelled leads, in lead order.
    let keep: Vec<usize> = labelled.iter().map(|&(_, i)| i).collect();
    if keep.len() < dataset.leads.len() {
        f.x = take_rows(&f.x, p, &keep);
        created = keep.iter().map(|&i| created[i]).collect();
    }
    let scores: Vec<leadrank_core::Score> =
        if keep.len() < dataset.leads.len() { keep.iter().map(|&i| scores[i].clone()).collect() } else { scores };
    let y: Vec<bool> = labelled.iter().map(|&(l, _)| l).collect();
    let row_lead = keep;
    let positive = opts.target.as_str();
    let n = y.len();
    let won = y.iter().filter(|&&v| v).count();
    // Split.
    let (train, test) = if let Split::Random { holdout } = opts.split {
        holdout_split(n, holdout, opts.seed)
    } else {
        let mut idx: Vec<usize> = (0..n).collect();
        idx.sort_by_key(|&i| (created[i].unwrap_or(i64::MIN), i));
        let cut = ((n as f64) * 0.7).round() as usize;
        let (mut tr, mut te) = (idx[..cut].to_vec(), idx[cut..].to_vec());
        tr.sort_unstable();
        te.sort_unstable();
        (tr, te)
    };
    let sub = |idx: &[usize]| -> (Vec<f64>, Vec<bool>) { (take_rows(&f.x, p, idx), idx.iter().map(|&i| y[i]).collect()) };
    let (x_tr, y_tr) = sub(&train);
    let (x_te, y_te) = sub(&test);
    let total: Vec<f64> = scores.iter().map(|s| f64::from(s.total)).collect();
    let t_te: Vec<f64> = test.iter().map(|&i| total[i]).collect();
    let t_tr: Vec<f64> = train.iter().map(|&i| total[i]).collect();
    // The current model, calibrated to probabilities by a one-variable fit on the training rows.
    let platt = fit(&t_tr, 1, &y_tr, &FitOptions { l2: 1e-6, ..FitOptions::default() })?;
    let cur_probs: Vec<f64> = t_te.iter().map(|&t| sigmoid(platt.intercept + platt.coef[0] * t)).collect();
    // Cross-validated penalty, then the fit on all training rows.
    let grid = [0.1, 1.0, 10.0, 100.0];
    on_phase(Phase::LogisticStarted);
    let folds = kfold(train.len(), 5, opts.seed ^ 0x5eed);
    let mut cv = Vec::new();
    let (mut best, mut l2) = (f64::NEG_INFINITY, 1.0);
    for &lambda in &grid {
        let mut aucs = Vec::new();
        for k in 0..5 {
            let (va, tr): (Vec<usize>, Vec<usize>) = (0..train.len()).partition(|&i| folds[i] == k);
            let yt: Vec<bool> = tr.iter().map(|&i| y_tr[i]).collect();
            let Ok(m) = fit(&take_rows(&x_tr, p, &tr), p, &yt, &FitOptions { l2: lambda, ..FitOptions::default() }) else { continue };
            let yv: Vec<bool> = va.iter().map(|&i| y_tr[i]).collect();
            if let Some(a) = roc_auc(&m.logits(&take_rows(&x_tr, p, &va)), &yv) {
                aucs.push(a);
            }
        }
        let mean = leadrank_metrics::stats::mean(&aucs);
        if let Some(m) = mean.filter(|&m| m > best + 1e-9) {
            best = m;
            l2 = lambda;
        }
        cv.push((lambda, mean));
    }
    let fitted = fit(&x_tr, p, &y_tr, &FitOptions { l2, ..FitOptions::default() })?;
    let new_logits = fitted.logits(&x_te);
    let new_probs: Vec<f64> = new_logits.iter().map(|&z| sigmoid(z)).collect();
    on_phase(Phase::LogisticFitted { penalties: grid.len() });
    // The challenger: gradient-boosted trees on the same matrix, training rows and held-out rows.
    let gbm = if opts.gbm {
        let g = fit_gbm(&x_tr, p, &y_tr, &GbmOptions { seed: opts.seed ^ 0x6b6d, ..GbmOptions::default() })?;
        let z = g.logits(&x_te);
        on_phase(Phase::GbmFitted { candidates: g.candidates.len(), trees: g.rounds });
        let probs: Vec<f64> = z.iter().map(|&v| sigmoid(v)).collect();
        let importance: Vec<(String, f64)> = g.importance().into_iter().take(10).map(|(k, v)| (f.names[k].clone(), v)).collect();
        Some(GbmFigures {
            depth: g.depth,
            learning_rate: g.learning_rate,
            rounds: g.rounds,
            held_out: held_out(&z, &y_te),
            candidates: g.candidates,
            brier: brier(&probs, &y_te),
            reliability: reliability(&probs, &y_te, 10),
            importance,
        })
    } else {
        None
    };
    // Warnings, and the features that may leak (never proposed as rules).
    let mut warnings = Vec::new();
    if won < 100 {
        warnings
            .push(format!("only {won} {positive} leads: under 100 outcomes, points are noisy; collect more history before trusting them"));
    }
    if won * 20 < n {
        warnings.push(format!(
            "class imbalance: {:.1}% of leads {positive}; AUC and lift are the figures to read, accuracy is meaningless",
            100.0 * won as f64 / n.max(1) as f64
        ));
    }
    if cut.opportunities_without_created_at > 0 {
        warnings.push(format!(
            "{} opportunities have no created_at and cannot cut their leads' history: events after them may leak",
            cut.opportunities_without_created_at
        ));
    }
    if cut.rule == CutOffRule::Single {
        warnings.push("--single-as-of: every lead is scored at --as-of, so events after an opportunity was created (sales contact) feed the features of the leads that won; figures are optimistic".into());
    }
    let mut leaky = vec![false; p];
    for (k, name) in f.names.iter().enumerate() {
        let col: Vec<f64> = (0..n).map(|i| f.x[i * p + k]).collect();
        let present = col.iter().filter(|&&v| v != 0.0).count();
        if present == 0 {
            continue;
        }
        let auc = roc_auc(&col, &y).unwrap_or(0.5);
        let hit = (0..n).filter(|&i| col[i] != 0.0 && y[i]).count();
        if auc >= 0.9 || (present * 50 >= n && hit * 50 >= present * 49) {
            leaky[k] = true;
            warnings.push(format!("possible leakage: {name} alone separates {positive} leads almost perfectly (AUC {auc:.3}); is it filled after sales contact?"));
        }
    }
    {
        // Drift between the earlier and the later half of the leads by creation time.
        let mut idx: Vec<usize> = (0..n).collect();
        idx.sort_by_key(|&i| (created[i].unwrap_or(i64::MIN), i));
        let (a, b) = idx.split_at(n / 2);
        let rate = |s: &[usize]| s.iter().filter(|&&i| y[i]).count() as f64 / s.len().max(1) as f64;
        let q = |s: &[usize]| s.iter().filter(|&&i| scores[i].quality).count() as f64 / s.len().max(1) as f64;
        let (ra, rb, qa, qb) = (rate(a), rate(b), q(a), q(b));
        if (ra - rb).abs() > 0.5 * ra.max(rb) || (qa - qb).abs() > 0.5 * qa.max(qb) {
            warnings.push(format!(
                "drift between periods: {positive} rate {:.2}% then {:.2}%, quality share {:.2}% then {:.2}% (recent leads have had less time to close; prefer --split-by-time)",
                ra * 100.0,
                rb * 100.0,
                qa * 100.0,
                qb * 100.0
            ));
        }
    }
    // Proposal. First the scale of the rules alone (from the full fit), which says which of
    // the other signals are strong: worth 5 points or more at that scale.
    let caps: Vec<Option<i32>> = model.dimensions.iter().map(|d| d.cap).collect();
    let thr_points = model.quality_threshold;
    let rule_fired: Vec<Vec<usize>> = (0..n).map(|i| (0..f.rules).filter(|&k| f.x[i * p + k] != 0.0).collect()).collect();
    let rough = {
        let weights: Vec<RuleWeight> = model
            .rules
            .iter()
            .enumerate()
            .map(|(k, r)| RuleWeight { id: r.id.to_string(), dimension: r.dimension, current: r.points, coef: fitted.coef[k] })
            .collect();
        let fr: Vec<Vec<usize>> = train.iter().map(|&i| rule_fired[i].clone()).collect();
        propose(&weights, &caps, &fr, thr_points)
    };
    let strong_new: Vec<(String, f64)> = f.names[f.rules..]
        .iter()
        .zip(&fitted.coef[f.rules..])
        .filter(|(_, c)| c.abs() * rough.scale >= 5.0)
        .map(|(nm, c)| (nm.clone(), *c))
        .collect();
    // Candidate new rules: strong signals that can be written as a rule, are not a possible
    // leak, are not a rep's action (sales_touch), and do not duplicate a rule's signal.
    let fx = &f.x;
    let column = |k: usize| (0..n).map(move |i| fx[i * p + k] != 0.0);
    let mut not_proposed: Vec<(String, String)> = Vec::new();
    let mut candidates: Vec<(usize, String, String, String)> = Vec::new();
    // Support of a feature on the training rows: leads where it fires, and positives among them.
    let support = |k: usize| {
        let fired: Vec<usize> = train.iter().copied().filter(|&i| fx[i * p + k] != 0.0).collect();
        (fired.len(), fired.iter().filter(|&&i| y[i]).count())
    };
    for (name, _) in &strong_new {
        let Some(k) = f.names.iter().position(|x| x == name) else { continue };
        let (leads_k, pos_k) = support(k);
        let why = if leaky[k] {
            Some("possible leak".to_string())
        } else if name == "event:sales_touch" {
            Some("a rep's action, not the lead's signal".to_string())
        } else if (0..f.rules).any(|r| column(r).eq(column(k))) {
            Some("the same leads as an existing rule".to_string())
        } else if leads_k < MIN_RULE_LEADS || pos_k < MIN_RULE_POSITIVES {
            Some(format!(
                "too thin: fires on {leads_k} training leads ({pos_k} {positive}); a new rule needs at least {MIN_RULE_LEADS} leads and {MIN_RULE_POSITIVES} {positive}"
            ))
        } else {
            None
        };
        match (why, new_rule_condition(name)) {
            (Some(w), _) => not_proposed.push((name.clone(), w)),
            (None, Some((id, _, _))) if model.rules.iter().any(|r| *r.id == *id) => {
                not_proposed.push((name.clone(), format!("rule {id} exists")))
            }
            (None, Some((id, when, label))) => candidates.push((k, id, when, label)),
            (None, None) => not_proposed.push((name.clone(), "no rule condition for it".into())),
        }
    }
    // The proposal's own features: the rules' signals, then the candidates.
    let cols: Vec<usize> = (0..f.rules).chain(candidates.iter().map(|c| c.0)).collect();
    let q = cols.len();
    let xr: Vec<f64> = (0..n).flat_map(|i| cols.iter().map(move |&k| fx[i * p + k])).collect();
    let mut meta: Vec<(String, usize, i32)> = model.rules.iter().map(|r| (r.id.to_string(), r.dimension, r.points)).collect();
    for (k, id, _, _) in &candidates {
        meta.push((id.clone(), new_rule_dimension(model, &f.names[*k], fitted.coef[*k]), 0));
    }
    let fired: Vec<Vec<usize>> = (0..n).map(|i| (0..q).filter(|&c| xr[i * q + c] != 0.0).collect()).collect();
    let dims: Vec<usize> = meta.iter().map(|m| m.1).collect();
    let current_int: Vec<i32> = scores.iter().map(|s| s.total).collect();
    // Rules of the model that fire on too few training leads (or positives) to judge them:
    // their points are kept as they are.
    let pinned: Vec<bool> = (0..q)
        .map(|c| {
            if c >= f.rules {
                return false;
            }
            let (l, k) = support(c);
            l < MIN_RULE_LEADS || k < MIN_RULE_POSITIVES
        })
        .collect();
    let thin: Vec<String> = (0..f.rules)
        .filter(|&k| pinned[k])
        .map(|k| {
            let (l, pos) = support(k);
            format!("{} ({l} leads, {pos} {positive})", model.rules[k].id)
        })
        .collect();
    if !thin.is_empty() {
        warnings.push(format!(
            "thin evidence: {} rules fire on fewer than {MIN_RULE_LEADS} training leads or {MIN_RULE_POSITIVES} {positive}, so their current points are kept: {}",
            thin.len(),
            thin.join(", ")
        ));
    }
    // Cross-validation on the training rows: the whole proposal procedure on 4 folds, both
    // point sets ranked on the fifth.
    on_phase(Phase::ProposalStarted);
    let pfolds = kfold(train.len(), 5, opts.seed ^ 0xca1b);
    let (mut cv_cur, mut cv_prop) = (Vec::new(), Vec::new());
    for k in 0..5 {
        let (va, tr): (Vec<usize>, Vec<usize>) = (0..train.len()).partition(|&i| pfolds[i] == k);
        let (tr, va): (Vec<usize>, Vec<usize>) = (tr.iter().map(|&i| train[i]).collect(), va.iter().map(|&i| train[i]).collect());
        let Ok((pk, _, _)) = fit_points(&xr, q, &tr, &y, &meta, &caps, &fired, thr_points, l2, &pinned) else { continue };
        let pts: Vec<i32> = pk.rules.iter().map(|r| r.proposed.unwrap_or(0)).collect();
        let yv: Vec<bool> = va.iter().map(|&i| y[i]).collect();
        let fv: Vec<Vec<usize>> = va.iter().map(|&i| fired[i].clone()).collect();
        let cur_v: Vec<i32> = va.iter().map(|&i| current_int[i]).collect();
        if let (Some(a), Some(b)) = (proposal::auc_int(&cur_v, &yv), proposal::auc_int(&totals(&pts, &dims, &caps, &fv), &yv)) {
            cv_cur.push(a);
            cv_prop.push(b);
        }
    }
    let (cv_cur_mean, cv_prop_mean) = (mean(&cv_cur), mean(&cv_prop));
    let (proposal, refinement, points_fit) = fit_points(&xr, q, &train, &y, &meta, &caps, &fired, thr_points, l2, &pinned)?;
    on_phase(Phase::ProposalFitted);
    let new_points: Vec<i32> = proposal.rules.iter().map(|r| r.proposed.unwrap_or(0)).collect();
    let fired_te: Vec<Vec<usize>> = test.iter().map(|&i| fired[i].clone()).collect();
    let prop_te_int = totals(&new_points, &dims, &caps, &fired_te);
    let prop_te: Vec<f64> = prop_te_int.iter().map(|&v| f64::from(v)).collect();
    let recommend = matches!((cv_cur_mean, cv_prop_mean), (Some(a), Some(b)) if b >= a + MIN_GAIN);
    let verdict = match (cv_cur_mean, cv_prop_mean) {
        (Some(a), Some(b)) if recommend => {
            format!("use the proposed points: cross-validated AUC {b:.4} against {a:.4} for the current points (+{:.4})", b - a)
        }
        (Some(a), Some(b)) => format!(
            "keep the current points: the proposal does not rank better in cross-validation (AUC {b:.4} against {a:.4} for the current points; a gain of at least {MIN_GAIN} is required)"
        ),
        _ => "keep the current points: cross-validation could not be done (too few outcomes in the folds)".to_string(),
    };
    // Can any lead reach the quality threshold with the proposed points?
    let highest_possible = highest_total(&new_points, &dims, &caps);
    let threshold_check = if highest_possible < thr_points {
        let train_totals = totals(&new_points, &dims, &caps, &train.iter().map(|&i| fired[i].clone()).collect::<Vec<_>>());
        let suggested = threshold_keeping_share(&train_totals, proposal.share_current);
        warnings.push(match suggested {
            Some((t, share)) => format!(
                "no lead can reach the quality threshold {thr_points} with the proposed points (highest possible total {highest_possible}); a threshold of {t} would keep the share of quality leads ({:.2}% of training leads today, {:.2}% at {t})",
                proposal.share_current * 100.0,
                share * 100.0
            ),
            None => format!(
                "no lead can reach the quality threshold {thr_points} with the proposed points (highest possible total {highest_possible}); no lead reaches it today either, so the threshold flags no lead under both sets of points"
            ),
        });
        Some(ThresholdCheck { highest_possible, suggested_threshold: suggested.map(|s| s.0) })
    } else {
        None
    };
    let (auc_cur_te, auc_prop_te) = (roc_auc(&t_te, &y_te), roc_auc(&prop_te, &y_te));
    if recommend && matches!((auc_cur_te, auc_prop_te), (Some(a), Some(b)) if b < a) {
        warnings.push(format!(
            "the held-out rows disagree with cross-validation: there the proposal ranks below the current points (AUC {:.4} against {:.4}); check before adopting it",
            auc_prop_te.unwrap_or(0.0),
            auc_cur_te.unwrap_or(0.0)
        ));
    }
    let new_rules: Vec<proposal::NewRule> = candidates
        .iter()
        .enumerate()
        .filter_map(|(j, (k, id, when, label))| {
            let r = &proposal.rules[f.rules + j];
            r.proposed.map(|pts| proposal::NewRule {
                id: id.clone(),
                dimension: model.dimensions[meta[f.rules + j].1].id.to_string(),
                points: pts,
                label: label.clone(),
                when: when.clone(),
                comment: format!(
                    "proposed by calibration ({}): signal {} has log-odds {:+.3} in the full fit, {:+.3} in the points fit",
                    model.id(),
                    f.names[*k],
                    fitted.coef[*k],
                    points_fit.coef[f.rules + j]
                ),
            })
        })
        .collect();
    // A few leads with their totals, to check a written model against `leadrank score`.
    let sample: Vec<SampleLead> = (0..n.min(20))
        .map(|r| {
            let i = row_lead[r];
            let prop = totals(&new_points, &dims, &caps, std::slice::from_ref(&fired[r]))[0];
            SampleLead {
                lead_id: dataset.leads[i].lead_id.clone(),
                as_of: cut_times[i],
                current: current_int[r],
                proposed: prop,
                written: if recommend { prop } else { current_int[r] },
            }
        })
        .collect();
    let thr = f64::from(model.quality_threshold);
    Ok(CalibrationReport {
        leads: n,
        positives: won,
        target: opts.target,
        train_rows: train.len(),
        test_rows: test.len(),
        split: opts.split,
        current: CurrentFigures {
            auc_all: roc_auc(&total, &y),
            held_out: held_out(&t_te, &y_te),
            threshold: confusion_at(&t_te, &y_te, thr),
            brier: brier(&cur_probs, &y_te),
            reliability: reliability(&cur_probs, &y_te, 10),
        },
        logistic: LogisticFigures {
            l2,
            cv_auc: cv,
            iterations: fitted.iterations,
            held_out: held_out(&new_logits, &y_te),
            brier: brier(&new_probs, &y_te),
            reliability: reliability(&new_probs, &y_te, 10),
            coefficients: f.names.iter().zip(&fitted.coef).map(|(a, b)| (a.clone(), *b)).collect(),
        },
        proposed: ProposedFigures {
            held_out: held_out(&prop_te, &y_te),
            threshold: confusion_at(&prop_te, &y_te, thr),
            proposal,
            refinement,
            features: cols.iter().map(|&k| f.names[k].clone()).collect(),
            points_fit_coefficients: points_fit.coef,
            cv: ProposalCv {
                folds: cv_cur.len(),
                current: cv_cur,
                proposed: cv_prop,
                current_mean: cv_cur_mean,
                proposed_mean: cv_prop_mean,
                min_gain: MIN_GAIN,
            },
            recommend,
            verdict,
            new_signals: strong_new,
            new_rules,
            not_proposed,
            sample,
        },
        cut_off: cut,
        censored_open,
        threshold_check,
        warnings,
        gbm,
        written: None,
    })
}

/// The highest total any lead can reach with `points`: per dimension the sum of its positive
/// points, cut at the cap.
fn highest_total(points: &[i32], dims: &[usize], caps: &[Option<i32>]) -> i32 {
    let mut per = vec![0i32; caps.len()];
    for (&p, &d) in points.iter().zip(dims) {
        per[d] += p.max(0);
    }
    per.iter().zip(caps).map(|(&p, c)| c.map_or(p, |c| p.min(c))).sum()
}

/// The threshold on `totals` whose share of leads at or above it is closest to `share`, with
/// that share; `None` when `share` is 0 (no threshold to keep).
fn threshold_keeping_share(totals: &[i32], share: f64) -> Option<(i32, f64)> {
    if share <= 0.0 || totals.is_empty() {
        return None;
    }
    let mut sorted = totals.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let n = totals.len() as f64;
    sorted
        .iter()
        .map(|&t| (t, totals.iter().filter(|&&v| v >= t).count() as f64 / n))
        .min_by(|a, b| (a.1 - share).abs().total_cmp(&(b.1 - share).abs()).then(b.0.cmp(&a.0)))
}

/// The AUC and deciles of `scores` against the held-out labels.
fn held_out(scores: &[f64], labels: &[bool]) -> HeldOut {
    HeldOut { auc: roc_auc(scores, labels), deciles: decile_table(scores, labels, &[]) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two capped dimensions and a penalty: fit (cap 15) has rules of 10 and 8, intent (no
    /// cap) a rule of 4, penalty -30. Highest total = min(10 + 8, 15) + 4 = 19; the penalty
    /// never raises it.
    #[test]
    fn highest_total_respects_caps_and_ignores_penalties() {
        assert_eq!(highest_total(&[10, 8, 4, -30], &[0, 0, 1, 2], &[Some(15), None, None]), 19);
    }

    /// Totals 0, 5, 5, 10, 20 and a share of 40% to keep: at 10 two of five leads (40%)
    /// qualify; at 5 four (80%). Nothing to keep when the share is 0.
    #[test]
    fn threshold_keeping_the_share() {
        assert_eq!(threshold_keeping_share(&[0, 5, 5, 10, 20], 0.4), Some((10, 0.4)));
        assert_eq!(threshold_keeping_share(&[0, 5, 5, 10, 20], 0.8), Some((5, 0.8)));
        assert_eq!(threshold_keeping_share(&[0, 5], 0.0), None);
    }
}
