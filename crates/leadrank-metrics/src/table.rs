//! Learning a readable points model from any labelled table (`leadrank learn`).
//!
//! Each usable column becomes a set of 0/1 features: a categorical column one per frequent
//! category (plus "other" and "missing"), a numeric column one per band between training
//! quantiles (plus "missing"). An L2-regularised logistic regression, its penalty chosen by
//! k-fold cross-validation on the training rows, is turned into integer points: per column,
//! the most common value scores 0 and every other value `round(S x (its coefficient minus the
//! common value's))`, with `S` = [`POINTS_PER_LOGIT`] (20 points double the odds). A
//! one-variable logistic fit of the outcome on the total points (Platt scaling, on the
//! training rows) turns points into a calibrated probability.
//!
//! Identifier columns (a distinct value on nearly every row) and constant columns are skipped.
//! Every column, excluded ones included, is also screened alone on the held-out rows: a column
//! that is nearly perfect by itself is flagged as a probable leak (filled after the outcome).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::classify::{DecileRow, ReliabilityBin, brier, decile_table, reliability, roc_auc, sigmoid};
use crate::logistic::{self, FitError, FitOptions, fit, holdout_split, kfold, take_rows};

/// Points per unit of log-odds: 20 points double the odds.
pub const POINTS_PER_LOGIT: f64 = 20.0 / std::f64::consts::LN_2;

/// Options of [`learn`].
#[derive(Debug, Clone)]
pub struct LearnOptions {
    pub target: String,
    pub exclude: Vec<String>,
    /// Cell values read as missing (compared case-insensitively after trimming).
    pub missing: Vec<String>,
    /// Share of rows held out when `test_rows` is not given.
    pub holdout: f64,
    /// Rows to hold out (true = test), e.g. the latest rows by a time column.
    pub test_rows: Option<Vec<bool>>,
    pub seed: u64,
    /// Folds of the cross-validation that picks the penalty (0 or 1: no search).
    pub folds: usize,
    /// Candidate L2 penalties (1 / C).
    pub l2_grid: Vec<f64>,
    /// Numeric bands per column.
    pub bands: usize,
    /// Categories with fewer training rows go to "other".
    pub min_count: usize,
    /// A column alone with a held-out AUC at or above this is flagged as a probable leak.
    pub leak_auc: f64,
}

impl Default for LearnOptions {
    fn default() -> Self {
        LearnOptions {
            target: String::new(),
            exclude: Vec::new(),
            missing: ["", "na", "n/a", "null", "nan", "none", "select"].iter().map(|s| s.to_string()).collect(),
            holdout: 0.3,
            test_rows: None,
            seed: 42,
            folds: 5,
            l2_grid: vec![0.1, 1.0, 10.0],
            bands: 5,
            min_count: 20,
            leak_auc: 0.85,
        }
    }
}

/// Why a model could not be learned.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LearnError {
    #[error("the table has no column '{0}'")]
    NoTarget(String),
    #[error("row {row}: target value '{value}' is not 1/0, true/false, yes/no or won/lost")]
    TargetValue { row: usize, value: String },
    #[error("no usable feature column (all excluded, identifiers or constant)")]
    NoFeatures,
    #[error("too few rows: {0}")]
    TooFew(String),
    #[error(transparent)]
    Fit(#[from] FitError),
}

/// Reads a target cell: 1/0, true/false, yes/no, won/lost, converted/not (any case).
pub fn parse_target(raw: &str) -> Option<bool> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "1" | "1.0" | "true" | "yes" | "y" | "won" | "converted" => Some(true),
        "0" | "0.0" | "false" | "no" | "n" | "lost" | "not converted" => Some(false),
        _ => None,
    }
}

/// How a column is used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnInfo {
    pub name: String,
    /// "categorical", "numeric", "identifier", "constant", "excluded" or "target".
    pub kind: &'static str,
    /// Held-out ROC AUC of the column alone (its per-value training conversion rate).
    pub alone_auc: Option<f64>,
    /// A value held by at least 2% of rows with at least 98% of one outcome.
    pub purest_value: Option<String>,
    pub leak: bool,
}

/// One rule of the points model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointsRule {
    pub column: String,
    /// "= value", "in [lo, hi)", "is missing" or "other".
    pub condition: String,
    pub points: i32,
    /// Training rows that match.
    pub rows: usize,
    pub coef: f64,
}

/// Held-out figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub rows: usize,
    pub positives: usize,
    pub auc_logistic: Option<f64>,
    pub auc_points: Option<f64>,
    pub brier: Option<f64>,
    pub reliability: Vec<ReliabilityBin>,
    pub deciles: Vec<DecileRow>,
}

/// A learned points model and how good it is.
#[derive(Debug, Clone, Serialize)]
pub struct Learned {
    pub target: String,
    pub columns: Vec<ColumnInfo>,
    pub rules: Vec<PointsRule>,
    /// Probability = sigmoid(platt_a + platt_b x points).
    pub platt_a: f64,
    pub platt_b: f64,
    pub l2: f64,
    /// Mean cross-validated AUC per candidate penalty.
    pub cv: Vec<(f64, Option<f64>)>,
    pub train_rows: usize,
    pub skipped_rows: usize,
    pub holdout: Evaluation,
    /// Per input row: Some(true) held out, Some(false) training, None skipped (no target).
    #[serde(skip)]
    pub split: Vec<Option<bool>>,
}

enum Encoder {
    Categorical { levels: Vec<String>, other: bool, missing: bool },
    Numeric { edges: Vec<f64>, missing: bool },
}

struct Column {
    index: usize,
    name: String,
    enc: Encoder,
    /// Offset of its first feature.
    offset: usize,
}

impl Encoder {
    fn width(&self) -> usize {
        match self {
            Encoder::Categorical { levels, other, missing } => levels.len() + usize::from(*other) + usize::from(*missing),
            Encoder::Numeric { edges, missing } => edges.len() + 1 + usize::from(*missing),
        }
    }

    /// The feature (0-based within the column) a cell falls in, if any.
    fn slot(&self, cell: Option<&str>) -> Option<usize> {
        match self {
            Encoder::Categorical { levels, other, missing } => match cell {
                None => missing.then_some(levels.len() + usize::from(*other)),
                Some(v) => levels.iter().position(|l| l == v).or_else(|| other.then_some(levels.len())),
            },
            Encoder::Numeric { edges, missing } => match cell.and_then(|v| v.parse::<f64>().ok()).filter(|v| v.is_finite()) {
                None => missing.then_some(edges.len() + 1),
                Some(v) => Some(edges.iter().take_while(|&&e| v >= e).count()),
            },
        }
    }

    fn label(&self, slot: usize) -> String {
        match self {
            Encoder::Categorical { levels, other, .. } => {
                if slot < levels.len() {
                    format!("= {}", levels[slot])
                } else if *other && slot == levels.len() {
                    "other".into()
                } else {
                    "is missing".into()
                }
            }
            Encoder::Numeric { edges, .. } => {
                if slot > edges.len() {
                    "is missing".into()
                } else if edges.is_empty() {
                    "any value".into()
                } else if slot == 0 {
                    format!("< {}", fmt_num(edges[0]))
                } else if slot == edges.len() {
                    format!(">= {}", fmt_num(edges[slot - 1]))
                } else {
                    format!("in [{}, {})", fmt_num(edges[slot - 1]), fmt_num(edges[slot]))
                }
            }
        }
    }
}

fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 { format!("{}", v as i64) } else { format!("{v:.4}").trim_end_matches('0').to_string() }
}

/// Builds the encoder of one column from its training cells; `None` for unusable columns.
fn encoder(cells: &[Option<&str>], opts: &LearnOptions) -> Result<Encoder, &'static str> {
    let present: Vec<&str> = cells.iter().flatten().copied().collect();
    if present.is_empty() {
        return Err("constant");
    }
    let has_missing = present.len() < cells.len();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for v in &present {
        *counts.entry(v).or_default() += 1;
    }
    let numeric: Vec<f64> = present.iter().filter_map(|v| v.parse::<f64>().ok()).filter(|v| v.is_finite()).collect();
    let is_numeric = numeric.len() * 100 >= present.len() * 95;
    if counts.len() * 10 >= present.len() * 9 && present.len() > 20 && (!is_numeric || numeric.iter().all(|v| v.fract() == 0.0)) {
        return Err("identifier");
    }
    if counts.len() == 1 && !has_missing {
        return Err("constant");
    }
    if is_numeric && counts.len() > opts.bands {
        let mut s = numeric;
        s.sort_by(f64::total_cmp);
        let mut edges: Vec<f64> = (1..opts.bands).map(|k| s[(k * s.len() / opts.bands).min(s.len() - 1)]).collect();
        edges.dedup();
        edges.retain(|&e| e > s[0]);
        return Ok(Encoder::Numeric { edges, missing: has_missing });
    }
    let mut levels: Vec<(&str, usize)> = counts.into_iter().filter(|&(_, c)| c >= opts.min_count).collect();
    levels.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let kept: usize = levels.iter().map(|l| l.1).sum();
    Ok(Encoder::Categorical {
        levels: levels.into_iter().map(|(l, _)| l.to_string()).collect(),
        other: kept < present.len(),
        missing: has_missing,
    })
}

/// Learns a points model from `rows` (cells by `columns`).
pub fn learn(columns: &[String], rows: &[Vec<String>], opts: &LearnOptions) -> Result<Learned, LearnError> {
    let target = columns.iter().position(|c| c == &opts.target).ok_or_else(|| LearnError::NoTarget(opts.target.clone()))?;
    let is_missing = |v: &str| opts.missing.iter().any(|m| m.eq_ignore_ascii_case(v.trim()));
    // Rows with a target.
    let mut keep = Vec::new();
    let mut y = Vec::new();
    let mut skipped = 0;
    for (i, r) in rows.iter().enumerate() {
        let cell = r.get(target).map_or("", String::as_str);
        if is_missing(cell) {
            skipped += 1;
            continue;
        }
        match parse_target(cell) {
            Some(v) => {
                keep.push(i);
                y.push(v);
            }
            None => return Err(LearnError::TargetValue { row: i + 1, value: cell.to_string() }),
        }
    }
    if keep.len() < 20 {
        return Err(LearnError::TooFew(format!("{} rows with a target", keep.len())));
    }
    let (train, test): (Vec<usize>, Vec<usize>) = match &opts.test_rows {
        Some(flags) => {
            let (te, tr): (Vec<usize>, Vec<usize>) = (0..keep.len()).partition(|&k| flags.get(keep[k]).copied().unwrap_or(false));
            (tr, te)
        }
        None => holdout_split(keep.len(), opts.holdout, opts.seed),
    };
    if train.len() < 10 || test.is_empty() {
        return Err(LearnError::TooFew(format!("{} training and {} held-out rows", train.len(), test.len())));
    }
    let cell = |k: usize, c: usize| -> Option<&str> {
        let v = rows[keep[k]].get(c).map_or("", String::as_str).trim();
        (!is_missing(v)).then_some(v)
    };
    // Encoders, from the training rows only.
    let mut infos = Vec::new();
    let mut cols: Vec<Column> = Vec::new();
    let mut width = 0;
    for (c, name) in columns.iter().enumerate() {
        if c == target {
            infos.push(ColumnInfo { name: name.clone(), kind: "target", alone_auc: None, purest_value: None, leak: false });
            continue;
        }
        let train_cells: Vec<Option<&str>> = train.iter().map(|&k| cell(k, c)).collect();
        let enc = encoder(&train_cells, opts);
        let excluded = opts.exclude.iter().any(|e| e == name);
        let (kind, alone, purest) = match &enc {
            Err(kind) => (*kind, None, None),
            Ok(e) => {
                let (auc, purest) = screen(e, &train, &test, &y, |k| cell(k, c));
                (
                    if excluded {
                        "excluded"
                    } else if matches!(e, Encoder::Numeric { .. }) {
                        "numeric"
                    } else {
                        "categorical"
                    },
                    auc,
                    purest,
                )
            }
        };
        let leak = alone.is_some_and(|a| a >= opts.leak_auc) || purest.is_some();
        infos.push(ColumnInfo { name: name.clone(), kind, alone_auc: alone, purest_value: purest, leak });
        if let (Ok(e), false) = (enc, excluded) {
            let w = e.width();
            cols.push(Column { index: c, name: name.clone(), enc: e, offset: width });
            width += w;
        }
    }
    if cols.is_empty() {
        return Err(LearnError::NoFeatures);
    }
    let design = |ks: &[usize]| -> Vec<f64> {
        let mut x = vec![0.0; ks.len() * width];
        for (r, &k) in ks.iter().enumerate() {
            for col in &cols {
                if let Some(s) = col.enc.slot(cell(k, col.index)) {
                    x[r * width + col.offset + s] = 1.0;
                }
            }
        }
        x
    };
    let x_train = design(&train);
    let y_train: Vec<bool> = train.iter().map(|&k| y[k]).collect();
    // Cross-validated penalty.
    let mut cv = Vec::new();
    let mut l2 = opts.l2_grid.first().copied().unwrap_or(1.0);
    if opts.folds >= 2 && opts.l2_grid.len() > 1 {
        let folds = kfold(train.len(), opts.folds, opts.seed ^ 0x5eed);
        let mut best = f64::NEG_INFINITY;
        for &lambda in &opts.l2_grid {
            let mut aucs = Vec::new();
            for f in 0..opts.folds {
                let (va, tr): (Vec<usize>, Vec<usize>) = (0..train.len()).partition(|&i| folds[i] == f);
                let xt = take_rows(&x_train, width, &tr);
                let yt: Vec<bool> = tr.iter().map(|&i| y_train[i]).collect();
                let Ok(m) = fit(&xt, width, &yt, &FitOptions { l2: lambda, ..FitOptions::default() }) else { continue };
                let xv = take_rows(&x_train, width, &va);
                let yv: Vec<bool> = va.iter().map(|&i| y_train[i]).collect();
                if let Some(a) = roc_auc(&m.logits(&xv), &yv) {
                    aucs.push(a);
                }
            }
            let mean = crate::stats::mean(&aucs);
            if let Some(m) = mean.filter(|&m| m > best + 1e-9) {
                best = m;
                l2 = lambda;
            }
            cv.push((lambda, mean));
        }
    }
    let model = fit(&x_train, width, &y_train, &FitOptions { l2, ..FitOptions::default() })?;
    // Points: per column, the most common training value scores 0.
    let mut rules = Vec::new();
    let mut slot_points = vec![0i32; width];
    for col in &cols {
        let w = col.enc.width();
        let mut counts = vec![0usize; w];
        for r in 0..train.len() {
            for s in 0..w {
                if x_train[r * width + col.offset + s] != 0.0 {
                    counts[s] += 1;
                }
            }
        }
        let reference = (0..w).max_by(|&a, &b| counts[a].cmp(&counts[b]).then(b.cmp(&a))).unwrap_or(0);
        let base = model.coef[col.offset + reference];
        for s in 0..w {
            let coef = model.coef[col.offset + s] - base;
            let points = (coef * POINTS_PER_LOGIT).round() as i32;
            slot_points[col.offset + s] = points;
            if points != 0 && counts[s] > 0 {
                rules.push(PointsRule { column: col.name.clone(), condition: col.enc.label(s), points, rows: counts[s], coef });
            }
        }
    }
    rules.sort_by(|a, b| b.points.abs().cmp(&a.points.abs()).then(a.column.cmp(&b.column)).then(a.condition.cmp(&b.condition)));
    let points_of = |x: &[f64]| -> Vec<f64> {
        x.chunks_exact(width).map(|r| r.iter().zip(&slot_points).map(|(v, &p)| v * f64::from(p)).sum()).collect()
    };
    let train_points = points_of(&x_train);
    let platt = fit(&train_points, 1, &y_train, &FitOptions { l2: 1e-6, ..FitOptions::default() })?;
    let x_test = design(&test);
    let y_test: Vec<bool> = test.iter().map(|&k| y[k]).collect();
    let test_points = points_of(&x_test);
    let probs: Vec<f64> = test_points.iter().map(|&p| sigmoid(platt.intercept + platt.coef[0] * p)).collect();
    let mut split = vec![None; rows.len()];
    for &k in &train {
        split[keep[k]] = Some(false);
    }
    for &k in &test {
        split[keep[k]] = Some(true);
    }
    Ok(Learned {
        target: opts.target.clone(),
        columns: infos,
        rules,
        platt_a: platt.intercept,
        platt_b: platt.coef[0],
        l2,
        cv,
        train_rows: train.len(),
        skipped_rows: skipped,
        holdout: Evaluation {
            rows: test.len(),
            positives: y_test.iter().filter(|&&v| v).count(),
            auc_logistic: roc_auc(&model.logits(&x_test), &y_test),
            auc_points: roc_auc(&test_points, &y_test),
            brier: brier(&probs, &y_test),
            reliability: reliability(&probs, &y_test, 10),
            deciles: decile_table(&test_points, &y_test, &[]),
        },
        split,
    })
}

/// One column alone: held-out AUC of its per-value training conversion rate (smoothed), and
/// a value that is nearly pure (>= 2% of training rows, >= 98% one outcome).
fn screen<'a>(
    enc: &Encoder,
    train: &[usize],
    test: &[usize],
    y: &[bool],
    cell: impl Fn(usize) -> Option<&'a str>,
) -> (Option<f64>, Option<String>) {
    let w = enc.width();
    let (mut n, mut pos) = (vec![0usize; w + 1], vec![0usize; w + 1]);
    for &k in train {
        let s = enc.slot(cell(k)).unwrap_or(w);
        n[s] += 1;
        pos[s] += usize::from(y[k]);
    }
    let prior = pos.iter().sum::<usize>() as f64 / train.len().max(1) as f64;
    let rate: Vec<f64> = (0..=w).map(|s| (pos[s] as f64 + prior * 2.0) / (n[s] as f64 + 2.0)).collect();
    let scores: Vec<f64> = test.iter().map(|&k| rate[enc.slot(cell(k)).unwrap_or(w)]).collect();
    let labels: Vec<bool> = test.iter().map(|&k| y[k]).collect();
    let purest = (0..w)
        .filter(|&s| n[s] * 50 >= train.len() && n[s] >= 20)
        .filter(|&s| pos[s] * 50 >= n[s] * 49 || pos[s] * 50 <= n[s])
        .max_by_key(|&s| n[s])
        .map(|s| format!("{} ({} of {} rows positive)", enc.label(s), pos[s], n[s]));
    (roc_auc(&scores, &labels), purest)
}

/// The held-out logits of a plain logistic regression on the same one-hot design, for
/// comparisons; exposed for tests and benchmarks.
pub fn logistic_fit(x: &[f64], cols: usize, y: &[bool], l2: f64) -> Result<logistic::LogisticFit, FitError> {
    fit(x, cols, y, &FitOptions { l2, ..FitOptions::default() })
}

/// Counts of each distinct value, for summaries.
pub fn value_counts<'a>(values: impl IntoIterator<Item = &'a str>) -> HashMap<&'a str, usize> {
    let mut m = HashMap::new();
    for v in values {
        *m.entry(v).or_insert(0) += 1;
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> (Vec<String>, Vec<Vec<String>>) {
        let cols = vec!["id".to_string(), "source".into(), "visits".into(), "tag".into(), "won".into()];
        let mut rows = Vec::new();
        for i in 0..600 {
            let source = ["referral", "ads", "organic"][i % 3];
            let visits = (i * 7) % 13;
            // Truth: referral and many visits convert; "tag" copies the outcome (a leak).
            let score = if source == "referral" { 2 } else { 0 } + if visits > 8 { 2 } else { 0 } + (i * 31 % 5) as i32 - 2;
            let won = score >= 2;
            rows.push(vec![
                format!("r{i}"),
                source.into(),
                visits.to_string(),
                if won { "hot".into() } else { "cold".into() },
                if won { "1".into() } else { "0".into() },
            ]);
        }
        (cols, rows)
    }

    #[test]
    fn learns_readable_points_and_flags_leaks() {
        let (cols, rows) = table();
        let opts = LearnOptions { target: "won".into(), exclude: vec!["tag".into()], folds: 3, ..LearnOptions::default() };
        let l = learn(&cols, &rows, &opts).unwrap();
        let kind = |n: &str| l.columns.iter().find(|c| c.name == n).unwrap().kind;
        assert_eq!(kind("id"), "identifier");
        assert_eq!(kind("tag"), "excluded");
        assert_eq!(kind("visits"), "numeric");
        assert!(l.columns.iter().find(|c| c.name == "tag").unwrap().leak);
        assert!(!l.columns.iter().find(|c| c.name == "source").unwrap().leak);
        let pts = |c: &str| l.rules.iter().find(|r| r.condition == c).map_or(0, |r| r.points);
        assert!(pts("= referral") - pts("= ads") > 20, "{:?}", l.rules);
        assert!(l.holdout.auc_points.unwrap() > 0.65, "{:?}", l.holdout);
        assert!((l.holdout.auc_points.unwrap() - l.holdout.auc_logistic.unwrap()).abs() < 0.02);
        assert_eq!(l.split.iter().filter(|s| **s == Some(true)).count(), 180);
    }

    #[test]
    fn bad_targets_are_errors() {
        let (cols, mut rows) = table();
        rows[3][4] = "maybe".into();
        let opts = LearnOptions { target: "won".into(), ..LearnOptions::default() };
        assert_eq!(learn(&cols, &rows, &opts).unwrap_err(), LearnError::TargetValue { row: 4, value: "maybe".into() });
        let opts = LearnOptions { target: "nope".into(), ..LearnOptions::default() };
        assert!(matches!(learn(&cols, &rows, &opts), Err(LearnError::NoTarget(_))));
        assert_eq!(parse_target(" Yes "), Some(true));
        assert_eq!(parse_target("lost"), Some(false));
    }
}
