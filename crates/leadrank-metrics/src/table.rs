//! Learning a readable points model from any labelled table (`leadrank learn`).
//!
//! Each usable column becomes a set of 0/1 features: a categorical column one per frequent
//! category (compared ignoring case, plus "other" and "missing"), a numeric column one per
//! spike value (a value held by at least a fifth of the training rows, e.g. 0 on most rows)
//! and one per band between training quantiles of the other values (plus "missing"). An
//! L2-regularised logistic regression, its penalty chosen by k-fold cross-validation on the
//! training rows, is turned into integer points: per column, the most common value scores 0
//! and every other value `round(S x (its coefficient minus the common value's))`, where `S`
//! points double the odds: [`LearnOptions::points_per_doubling`], or by default the smallest
//! of [`POINTS_SCALES`] (20, 50, 100, ...) whose rounding keeps the training ranking. A value
//! held by fewer than [`LearnOptions::min_rule_rows`] training rows gets no rule. A one-variable logistic fit of
//! the outcome on the total points (Platt scaling, on the training rows) turns points into a
//! calibrated probability.
//!
//! Identifier columns (a distinct value on nearly every row) and constant columns are skipped.
//! Every column is screened alone on the held-out rows: a column that is nearly perfect by
//! itself (held-out AUC [`LearnOptions::leak_auc`] for categories, the higher
//! [`LearnOptions::leak_auc_numeric`] for numbers), or has a frequent recorded value (a
//! category, a number's spike, "missing"; not a number's quantile band, which is pure at the
//! ends of any strong predictor) whose minority outcome all but vanishes against the base
//! rate, is flagged as a probable leak (filled after the outcome) and left out unless
//! [`LearnOptions::allow_leaky`] is set.
//!
//! [`model_toml`] writes the learned points as a model file whose totals are exactly the
//! learned points of every row.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::classify::{DecileRow, ReliabilityBin, brier, decile_table, reliability, roc_auc, sigmoid};
use crate::ebm::{self, EbmError, EbmOptions, Feature, fit_ebm};
use crate::logistic::{self, FitError, FitOptions, fit, holdout_split, kfold, take_rows};
use crate::proposal::toml_string;

/// The rows a rule needs when not set: 1% of the training rows, at least 10 and at most 30
/// (30 from 3,000 training rows on).
pub fn auto_min_rule_rows(train_rows: usize) -> usize {
    (train_rows / 100).clamp(10, 30)
}

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
    /// A categorical column alone with a held-out AUC at or above this is flagged as a
    /// probable leak.
    pub leak_auc: f64,
    /// The same for a numeric column: higher, since a strong measured predictor (a tumour's
    /// size, a company's revenue) ranks well by itself without being filled after the outcome.
    pub leak_auc_numeric: f64,
    /// Keep columns flagged as probable leaks (by default they are left out).
    pub allow_leaky: bool,
    /// Columns read as categories even when their values are numbers (e.g. codes).
    pub categorical: Vec<String>,
    /// A category or band held by fewer training rows gets no rule (it scores 0); `None`:
    /// [`auto_min_rule_rows`] of the training rows.
    pub min_rule_rows: Option<usize>,
    /// Points that double the odds; `None`: the smallest of [`POINTS_SCALES`] that keeps the
    /// ranking (see [`SCALE_AUC_LOSS`]).
    pub points_per_doubling: Option<u32>,
    /// Explainable boosting: refit the band values jointly after banding, with this penalty
    /// on their distance from the banded values (`None`: no refit).
    pub refit_l2: Option<f64>,
    /// Most Newton steps of that refit.
    pub refit_steps: usize,
    /// How the points are learned.
    pub method: Method,
    /// Explainable boosting: most bands per column (besides "missing").
    pub max_bands: usize,
    /// Explainable boosting: most bins of a numeric column before banding (training quantiles;
    /// fewer when the column has fewer distinct values).
    pub max_bins: usize,
    /// Explainable boosting settings.
    pub ebm: EbmOptions,
}

/// How `learn` turns the table into points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Explainable boosting: one shape function per column, learned by cyclic gradient
    /// boosting on fine bins, merged into at most `max_bands` bands per column.
    Ebm,
    /// L2 logistic regression on one-hot categories and quantile bands.
    Logistic,
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
            leak_auc_numeric: 0.98,
            allow_leaky: false,
            categorical: Vec::new(),
            min_rule_rows: None,
            points_per_doubling: None,
            refit_l2: Some(10.0),
            refit_steps: 10,
            method: Method::Ebm,
            max_bands: 8,
            max_bins: 256,
            ebm: EbmOptions::default(),
        }
    }
}

/// Why a model could not be learned.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LearnError {
    #[error("the table has no column '{target}'; read {} column(s): {}", .columns.len(), preview(.columns))]
    NoTarget { target: String, columns: Vec<String> },
    #[error("the table has a header but no rows")]
    NoRows,
    #[error("row {row}: target value '{value}' is not 1/0, true/false, yes/no or won/lost")]
    TargetValue { row: usize, value: String },
    #[error("no usable feature column (all excluded, identifiers or constant)")]
    NoFeatures,
    #[error("too few rows: {0}")]
    TooFew(String),
    #[error(transparent)]
    Fit(#[from] FitError),
    #[error("explainable boosting: {0}")]
    Ebm(#[from] EbmError),
}

/// The first column names, quoted, for an error message.
fn preview(columns: &[String]) -> String {
    let mut s: Vec<String> = columns.iter().take(5).map(|c| format!("'{}'", c.chars().take(80).collect::<String>())).collect();
    if columns.len() > 5 {
        s.push(format!("... and {} more", columns.len() - 5));
    }
    s.join(", ")
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
    /// "categorical", "numeric", "identifier", "constant", "excluded" (by the user), "leak"
    /// (a probable leak, left out) or "target".
    pub kind: &'static str,
    /// Held-out ROC AUC of the column alone (its per-value training conversion rate).
    pub alone_auc: Option<f64>,
    /// A value held by at least 2% of training rows whose minority outcome all but vanishes
    /// (under a twentieth of its base rate, where at least 10 were expected).
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
    /// The boosted shape functions before they are merged into bands and rounded to points
    /// (explainable boosting only).
    pub auc_shapes: Option<f64>,
    pub auc_points: Option<f64>,
    pub brier: Option<f64>,
    pub reliability: Vec<ReliabilityBin>,
    pub deciles: Vec<DecileRow>,
}

/// A learned points model and how good it is.
#[derive(Debug, Clone, Serialize)]
pub struct Learned {
    pub target: String,
    pub method: Method,
    /// Explainable boosting: the round each bag stopped at.
    pub ebm_rounds: Vec<usize>,
    pub columns: Vec<ColumnInfo>,
    /// The rules of the points model, largest points first.
    pub rules: Vec<PointsRule>,
    /// Values whose fitted points were not 0 but that are held by fewer than
    /// `min_rule_rows` training rows: they got no rule (they score 0).
    pub thin_values: usize,
    pub min_rule_rows: usize,
    /// Points that double the odds (chosen from the data unless set).
    pub points_per_doubling: u32,
    /// Explainable boosting: the training log-likelihood of the banded model before and
    /// after its band values were refitted jointly.
    pub refit_loglik: Option<(f64, f64)>,
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
    /// The columns the points model reads, with their encoding and points per value.
    #[serde(skip)]
    pub model_columns: Vec<ModelColumn>,
    /// Cell values read as missing (as in the options).
    #[serde(skip)]
    pub missing_values: Vec<String>,
}

/// How a column's cells map to its values (slots).
#[derive(Debug, Clone, PartialEq)]
pub enum Encoding {
    /// Frequent categories (lower case), then "other" and "missing" when present.
    Categorical { levels: Vec<String>, other: bool, missing: bool },
    /// Bands cut at `edges` (`edges.len() + 1` of them, each `[lo, hi)`), then one slot per
    /// spike value (taken out of the bands), then "missing".
    Numeric { edges: Vec<f64>, spikes: Vec<f64>, missing: bool },
}

/// A column of the points model: its encoding and the points of each of its slots.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelColumn {
    pub name: String,
    pub encoding: Encoding,
    /// Points per slot (0 for the most common value and for thin values).
    pub points: Vec<i32>,
}

struct Column {
    index: usize,
    name: String,
    enc: Encoding,
    /// Offset of its first feature.
    offset: usize,
}

/// A numeric cell's value (finite numbers only).
fn number(cell: &str) -> Option<f64> {
    cell.parse::<f64>().ok().filter(|v| v.is_finite())
}

impl Encoding {
    pub fn width(&self) -> usize {
        match self {
            Encoding::Categorical { levels, other, missing } => levels.len() + usize::from(*other) + usize::from(*missing),
            Encoding::Numeric { edges, spikes, missing } => edges.len() + 1 + spikes.len() + usize::from(*missing),
        }
    }

    /// The slot (0-based within the column) a cell falls in, if any. Categorical cells are
    /// compared in lower case.
    pub fn slot(&self, cell: Option<&str>) -> Option<usize> {
        match self {
            Encoding::Categorical { levels, other, missing } => match cell {
                None => missing.then_some(levels.len() + usize::from(*other)),
                Some(v) => {
                    let v = v.to_lowercase();
                    levels.iter().position(|l| *l == v).or_else(|| other.then_some(levels.len()))
                }
            },
            Encoding::Numeric { edges, spikes, missing } => match cell.and_then(number) {
                None => missing.then_some(edges.len() + 1 + spikes.len()),
                Some(v) => match spikes.iter().position(|&s| s == v) {
                    Some(k) => Some(edges.len() + 1 + k),
                    None => Some(edges.iter().take_while(|&&e| v >= e).count()),
                },
            },
        }
    }

    pub fn label(&self, slot: usize) -> String {
        match self {
            Encoding::Categorical { levels, other, .. } => {
                if slot < levels.len() {
                    format!("= {}", levels[slot])
                } else if *other && slot == levels.len() {
                    "other".into()
                } else {
                    "is missing".into()
                }
            }
            Encoding::Numeric { edges, spikes, .. } => {
                let bands = edges.len() + 1;
                let but = |lo: Option<f64>, hi: Option<f64>| -> String {
                    let inside: Vec<String> =
                        spikes.iter().filter(|&&s| lo.is_none_or(|l| s >= l) && hi.is_none_or(|h| s < h)).map(|&s| fmt_num(s)).collect();
                    if inside.is_empty() { String::new() } else { format!(" except {}", inside.join(", ")) }
                };
                if slot >= bands + spikes.len() {
                    "is missing".into()
                } else if slot >= bands {
                    format!("= {}", fmt_num(spikes[slot - bands]))
                } else if edges.is_empty() {
                    format!("any value{}", but(None, None))
                } else if slot == 0 {
                    format!("< {}{}", fmt_num(edges[0]), but(None, Some(edges[0])))
                } else if slot == edges.len() {
                    format!(">= {}{}", fmt_num(edges[slot - 1]), but(Some(edges[slot - 1]), None))
                } else {
                    format!("in [{}, {}){}", fmt_num(edges[slot - 1]), fmt_num(edges[slot]), but(Some(edges[slot - 1]), Some(edges[slot])))
                }
            }
        }
    }
}

fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 { format!("{}", v as i64) } else { format!("{v:.4}").trim_end_matches('0').to_string() }
}

/// A value held by at least this share of a numeric column's training rows is a spike: it
/// gets its own slot instead of collapsing the quantile bands around it.
const SPIKE_SHARE: f64 = 0.2;

/// Builds the encoding of one column from its training cells, or why the column is unusable
/// ("constant" or "identifier"). `categorical`: read as categories even when numeric.
fn encoder(cells: &[Option<&str>], opts: &LearnOptions, categorical: bool) -> Result<Encoding, &'static str> {
    let present: Vec<&str> = cells.iter().flatten().copied().collect();
    if present.is_empty() {
        return Err("constant");
    }
    let has_missing = present.len() < cells.len();
    let numeric: Vec<f64> = present.iter().filter_map(|v| number(v)).collect();
    let is_numeric = !categorical && numeric.len() * 100 >= present.len() * 95;
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for v in &present {
        *counts.entry(if is_numeric { (*v).to_string() } else { v.to_lowercase() }).or_default() += 1;
    }
    if counts.len() * 10 >= present.len() * 9 && present.len() > 20 && (!is_numeric || numeric.iter().all(|v| v.fract() == 0.0)) {
        return Err("identifier");
    }
    if counts.len() == 1 && !has_missing {
        return Err("constant");
    }
    if is_numeric && counts.len() > opts.bands {
        let mut by_value: BTreeMap<u64, (f64, usize)> = BTreeMap::new();
        for &v in &numeric {
            by_value.entry((v + 0.0).to_bits()).or_insert((v, 0)).1 += 1;
        }
        let mut spikes: Vec<f64> =
            by_value.values().filter(|&&(_, c)| c as f64 >= SPIKE_SHARE * numeric.len() as f64).map(|&(v, _)| v).collect();
        spikes.sort_by(f64::total_cmp);
        let mut rest: Vec<f64> = numeric.iter().copied().filter(|v| !spikes.contains(v)).collect();
        rest.sort_by(f64::total_cmp);
        let mut edges: Vec<f64> = if rest.is_empty() {
            Vec::new()
        } else {
            (1..opts.bands).map(|k| rest[(k * rest.len() / opts.bands).min(rest.len() - 1)]).collect()
        };
        edges.dedup();
        if let Some(&lo) = rest.first() {
            edges.retain(|&e| e > lo);
        }
        return Ok(Encoding::Numeric { edges, spikes, missing: has_missing });
    }
    let mut levels: Vec<(String, usize)> = counts.into_iter().filter(|&(_, c)| c >= opts.min_count).collect();
    levels.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let kept: usize = levels.iter().map(|l| l.1).sum();
    Ok(Encoding::Categorical { levels: levels.into_iter().map(|(l, _)| l).collect(), other: kept < present.len(), missing: has_missing })
}

/// Learns a points model from `rows` (cells by `columns`).
pub fn learn(columns: &[String], rows: &[Vec<String>], opts: &LearnOptions) -> Result<Learned, LearnError> {
    let target = columns
        .iter()
        .position(|c| c == &opts.target)
        .ok_or_else(|| LearnError::NoTarget { target: opts.target.clone(), columns: columns.to_vec() })?;
    if rows.is_empty() {
        return Err(LearnError::NoRows);
    }
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
    let base_rate = train.iter().filter(|&&k| y[k]).count() as f64 / train.len() as f64;
    let min_rule_rows = opts.min_rule_rows.unwrap_or_else(|| auto_min_rule_rows(train.len()));
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
        let enc = encoder(&train_cells, opts, opts.categorical.iter().any(|e| e == name));
        let excluded = opts.exclude.iter().any(|e| e == name);
        let (alone, purest) = match &enc {
            Err(_) => (None, None),
            Ok(e) => screen(e, &train, &test, &y, base_rate, |k| cell(k, c)),
        };
        let leak_auc = if matches!(enc, Ok(Encoding::Numeric { .. })) { opts.leak_auc_numeric } else { opts.leak_auc };
        let leak = alone.is_some_and(|a| a >= leak_auc) || purest.is_some();
        let kind = match &enc {
            Err(kind) => *kind,
            Ok(_) if excluded => "excluded",
            Ok(_) if leak && !opts.allow_leaky => "leak",
            Ok(Encoding::Numeric { .. }) => "numeric",
            Ok(Encoding::Categorical { .. }) => "categorical",
        };
        infos.push(ColumnInfo { name: name.clone(), kind, alone_auc: alone, purest_value: purest, leak });
        if let (Ok(e), "numeric" | "categorical") = (enc, kind) {
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
    let x_test = design(&test);
    let y_test: Vec<bool> = test.iter().map(|&k| y[k]).collect();
    let (drafts, auc_shapes, ebm_rounds, refit_loglik) = match opts.method {
        Method::Logistic => (logistic_drafts(&cols, &x_train, width, train.len(), &model, min_rule_rows), None, Vec::new(), None),
        Method::Ebm => {
            let e = ebm_drafts(&cols, &train, &test, &y_train, &y_test, &cell, opts, min_rule_rows)?;
            (e.drafts, e.auc_shapes, e.rounds, e.refit_loglik)
        }
    };
    let points_per_doubling = match opts.points_per_doubling {
        Some(s) => s,
        None => choose_scale(&drafts, &train_slots(&drafts, &train, &cell), &y_train),
    };
    let (mut rules, thin_values, model_columns, model_index) = finish(drafts, points_per_doubling);
    rules.sort_by(|a, b| b.points.abs().cmp(&a.points.abs()).then(a.column.cmp(&b.column)).then(a.condition.cmp(&b.condition)));
    // A row's points: the sum over the model's columns of the points of the slot its cell falls in.
    let points_of = |ks: &[usize]| -> Vec<f64> {
        ks.iter()
            .map(|&k| {
                model_columns
                    .iter()
                    .zip(&model_index)
                    .map(|(mc, &c)| mc.encoding.slot(cell(k, c)).map_or(0.0, |s| f64::from(mc.points[s])))
                    .sum()
            })
            .collect()
    };
    let train_points = points_of(&train);
    let platt = fit(&train_points, 1, &y_train, &FitOptions { l2: 1e-6, ..FitOptions::default() })?;
    let test_points = points_of(&test);
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
        method: opts.method,
        ebm_rounds,
        columns: infos,
        rules,
        thin_values,
        min_rule_rows,
        points_per_doubling,
        refit_loglik,
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
            auc_shapes,
            auc_points: roc_auc(&test_points, &y_test),
            brier: brier(&probs, &y_test),
            reliability: reliability(&probs, &y_test, 10),
            deciles: decile_table(&test_points, &y_test, &[]),
        },
        split,
        model_columns,
        missing_values: opts.missing.clone(),
    })
}

/// A value of a column that may get a rule, before its coefficient is turned into points.
struct DraftValue {
    /// The model slots it covers.
    slots: Vec<usize>,
    condition: String,
    /// Log-odds against the column's reference value (0 when thin).
    coef: f64,
    /// Log-odds as fitted, also for a thin value (to tell whether it would have had points).
    fitted: f64,
    rows: usize,
    /// Held by fewer than the rows a rule needs: no rule, scores 0.
    thin: bool,
}

/// A column of the points model before rounding: its encoding (as the model file reads it)
/// and its values.
struct Draft {
    name: String,
    index: usize,
    encoding: Encoding,
    values: Vec<DraftValue>,
}

/// Points per doubling of the odds that `learn` chooses from, smallest first.
pub const POINTS_SCALES: [u32; 5] = [20, 50, 100, 200, 500];

/// The automatic scale is the smallest of [`POINTS_SCALES`] whose rounded points rank the
/// training rows within this much ROC AUC of the unrounded values.
pub const SCALE_AUC_LOSS: f64 = 0.0005;

/// Points per unit of log-odds when `per_doubling` points double the odds.
pub fn points_per_logit(per_doubling: u32) -> f64 {
    f64::from(per_doubling) / std::f64::consts::LN_2
}

/// The integer points of a value (log-odds `coef`) at `per_doubling` points per doubling.
fn to_points(coef: f64, per_doubling: u32) -> i32 {
    (coef * points_per_logit(per_doubling)).round().clamp(-1e6, 1e6) as i32
}

/// The model slot of each draft column for each training row.
fn train_slots<'a>(drafts: &[Draft], train: &[usize], cell: &impl Fn(usize, usize) -> Option<&'a str>) -> Vec<Vec<Option<usize>>> {
    drafts.iter().map(|d| train.iter().map(|&k| d.encoding.slot(cell(k, d.index))).collect()).collect()
}

/// The per-slot coefficients of a draft column (0 where no value with a rule covers a slot).
fn slot_coefs(d: &Draft) -> Vec<f64> {
    let mut c = vec![0.0; d.encoding.width()];
    for v in d.values.iter().filter(|v| !v.thin) {
        for &s in &v.slots {
            c[s] = v.coef;
        }
    }
    c
}

/// The smallest scale of [`POINTS_SCALES`] at which the rounded points lose at most
/// [`SCALE_AUC_LOSS`] of training ROC AUC against the exact coefficients (the largest scale
/// when none does).
fn choose_scale(drafts: &[Draft], slots: &[Vec<Option<usize>>], y: &[bool]) -> u32 {
    let coefs: Vec<Vec<f64>> = drafts.iter().map(slot_coefs).collect();
    let total = |f: &dyn Fn(f64) -> f64| -> Vec<f64> {
        (0..y.len()).map(|i| coefs.iter().zip(slots).map(|(c, s)| s[i].map_or(0.0, |s| f(c[s]))).sum()).collect()
    };
    let Some(exact) = roc_auc(&total(&|c| c), y) else { return POINTS_SCALES[0] };
    for &scale in &POINTS_SCALES {
        let rounded = roc_auc(&total(&|c| f64::from(to_points(c, scale))), y).unwrap_or(0.0);
        if rounded >= exact - SCALE_AUC_LOSS {
            return scale;
        }
    }
    POINTS_SCALES[POINTS_SCALES.len() - 1]
}

/// The points model at `per_doubling` points per doubling of the odds: (rules, thin values
/// that would have had points, model columns, their table column indices).
fn finish(drafts: Vec<Draft>, per_doubling: u32) -> (Vec<PointsRule>, usize, Vec<ModelColumn>, Vec<usize>) {
    let (mut rules, mut thin, mut columns, mut index) = (Vec::new(), 0, Vec::new(), Vec::new());
    for d in drafts {
        let mut points = vec![0i32; d.encoding.width()];
        for v in &d.values {
            if v.rows == 0 {
                continue;
            }
            if v.thin {
                thin += usize::from(to_points(v.fitted, per_doubling) != 0);
                continue;
            }
            let p = to_points(v.coef, per_doubling);
            if p == 0 {
                continue;
            }
            for &s in &v.slots {
                points[s] = p;
            }
            rules.push(PointsRule { column: d.name.clone(), condition: v.condition.clone(), points: p, rows: v.rows, coef: v.coef });
        }
        if points.iter().any(|&p| p != 0) {
            columns.push(ModelColumn { name: d.name, encoding: d.encoding, points });
            index.push(d.index);
        }
    }
    (rules, thin, columns, index)
}

/// The logistic fit as drafts: per column, the most common training value is the reference;
/// every other value's coefficient is its own minus the reference's; a value held by fewer
/// than `min_rule_rows` training rows is thin (no rule rests on so few rows).
fn logistic_drafts(
    cols: &[Column],
    x_train: &[f64],
    width: usize,
    train_rows: usize,
    model: &logistic::LogisticFit,
    min_rule_rows: usize,
) -> Vec<Draft> {
    let mut drafts = Vec::new();
    for col in cols {
        let w = col.enc.width();
        let mut counts = vec![0usize; w];
        for r in 0..train_rows {
            for (s, n) in counts.iter_mut().enumerate() {
                if x_train[r * width + col.offset + s] != 0.0 {
                    *n += 1;
                }
            }
        }
        let reference = (0..w).max_by(|&a, &b| counts[a].cmp(&counts[b]).then(b.cmp(&a))).unwrap_or(0);
        let base = model.coef[col.offset + reference];
        let values = (0..w)
            .filter(|&s| s != reference && counts[s] > 0)
            .map(|s| {
                let fitted = model.coef[col.offset + s] - base;
                let thin = counts[s] < min_rule_rows;
                DraftValue {
                    slots: vec![s],
                    condition: col.enc.label(s),
                    coef: if thin { 0.0 } else { fitted },
                    fitted,
                    rows: counts[s],
                    thin,
                }
            })
            .collect();
        drafts.push(Draft { name: col.name.clone(), index: col.index, encoding: col.enc.clone(), values });
    }
    drafts
}

/// The fine bins of a numeric column for explainable boosting: cut at up to `max_bins - 1`
/// training quantiles (distinct values, above the least), plus "missing" when cells are.
fn fine_numeric(cells: &[Option<&str>], max_bins: usize) -> Encoding {
    let mut v: Vec<f64> = cells.iter().flatten().filter_map(|c| number(c)).collect();
    v.sort_by(f64::total_cmp);
    let has_missing = cells.iter().any(|c| c.and_then(number).is_none());
    let mut edges: Vec<f64> =
        if v.is_empty() { Vec::new() } else { (1..max_bins.max(1)).map(|k| v[(k * v.len() / max_bins).min(v.len() - 1)]).collect() };
    edges.dedup();
    if let Some(&lo) = v.first() {
        edges.retain(|&e| e > lo);
    }
    Encoding::Numeric { edges, spikes: Vec::new(), missing: has_missing }
}

/// What [`ebm_drafts`] learned.
struct EbmDrafts {
    drafts: Vec<Draft>,
    auc_shapes: Option<f64>,
    rounds: Vec<usize>,
    /// Training log-likelihood of the bands before and after the joint refit.
    refit_loglik: Option<(f64, f64)>,
}

/// Explainable boosting as drafts: the shape function of each column (numbers on fine
/// quantile bins, categories on their levels, "missing" its own bin) merged into at most
/// `max_bands` bands of adjacent bins (categories: adjacent by value), each on at least
/// `min_rule_rows` training rows; "missing" stays its own band, thin (no rule) when on fewer
/// rows. The band with the most training rows is the reference. With
/// [`LearnOptions::refit_l2`], the band values are then refitted jointly ([`ebm::refit`]),
/// thin bands sharing the reference's value, so that what banding lost is recovered.
#[allow(clippy::too_many_arguments)]
fn ebm_drafts<'a>(
    cols: &[Column],
    train: &[usize],
    test: &[usize],
    y_train: &[bool],
    y_test: &[bool],
    cell: &impl Fn(usize, usize) -> Option<&'a str>,
    opts: &LearnOptions,
    min_rule_rows: usize,
) -> Result<EbmDrafts, LearnError> {
    // Fine encodings and bin codes; a held-out cell that falls in no bin (e.g. missing where
    // no training cell was) gets an extra bin that contributes nothing.
    let encs: Vec<Encoding> = cols
        .iter()
        .map(|col| match &col.enc {
            Encoding::Numeric { .. } => {
                let cells: Vec<Option<&str>> = train.iter().map(|&k| cell(k, col.index)).collect();
                fine_numeric(&cells, opts.max_bins)
            }
            e @ Encoding::Categorical { .. } => e.clone(),
        })
        .collect();
    let codes = |ks: &[usize]| -> Vec<Feature> {
        cols.iter()
            .zip(&encs)
            .map(|(col, e)| {
                let w = e.width();
                Feature {
                    bins: w + 1,
                    nominal: matches!(e, Encoding::Categorical { .. }),
                    codes: ks.iter().map(|&k| e.slot(cell(k, col.index)).unwrap_or(w) as u16).collect(),
                }
            })
            .collect()
    };
    let f_train = codes(train);
    let fit = fit_ebm(&f_train, y_train, &EbmOptions { seed: opts.seed, ..opts.ebm.clone() })?;
    let f_test = codes(test);
    let mut shapes_test = fit.logits(&f_test);
    for (z, k) in shapes_test.iter_mut().zip(0..) {
        // The extra bin's value is whatever boosting left there (no training rows): take it out.
        for (f, s) in f_test.iter().zip(&fit.shapes) {
            if usize::from(f.codes[k]) == f.bins - 1 {
                *z -= s[f.bins - 1];
            }
        }
    }
    let auc_shapes = roc_auc(&shapes_test, y_test);
    // Per column: its bands (fine slots, value, rows), reference band, model encoding, the
    // model slot of each fine slot, and the band code of each training row.
    struct Banded {
        bands: Vec<(Vec<usize>, f64, usize)>,
        reference: usize,
        encoding: Encoding,
        slot_of: Vec<usize>,
        band_codes: Vec<u16>,
    }
    let mut banded = Vec::new();
    for (enc, (feat, shape)) in encs.iter().zip(f_train.iter().zip(&fit.shapes)) {
        let w = enc.width();
        let mut rows = vec![0usize; w];
        for &c in &feat.codes {
            if let Some(r) = rows.get_mut(usize::from(c)) {
                *r += 1;
            }
        }
        let missing_slot = match enc {
            Encoding::Categorical { missing: true, .. } | Encoding::Numeric { missing: true, .. } => Some(w - 1),
            _ => None,
        };
        let mut order: Vec<usize> = (0..w).filter(|&s| Some(s) != missing_slot).collect();
        if matches!(enc, Encoding::Categorical { .. }) {
            order.sort_by(|&a, &b| shape[a].total_cmp(&shape[b]).then(a.cmp(&b)));
        }
        // Bands: (slots, value, rows).
        let mut bands: Vec<(Vec<usize>, f64, usize)> = ebm::bands(shape, &rows, &order, opts.max_bands, min_rule_rows)
            .into_iter()
            .map(|(r, v)| {
                let slots: Vec<usize> = order[r].to_vec();
                let n = slots.iter().map(|&s| rows[s]).sum();
                (slots, v, n)
            })
            .collect();
        if let Some(m) = missing_slot {
            bands.push((vec![m], shape[m], rows[m]));
        }
        let reference = (0..bands.len()).max_by(|&a, &b| bands[a].2.cmp(&bands[b].2).then(b.cmp(&a))).unwrap_or(0);
        // The column's encoding for the model: numbers cut only between bands.
        let (encoding, slot_of): (Encoding, Vec<usize>) = match enc {
            Encoding::Numeric { edges, missing, .. } => {
                let mut merged = Vec::new();
                let mut slot_of = vec![0; w];
                let mut b = 0;
                for (k, (slots, ..)) in bands.iter().enumerate() {
                    if Some(slots[0]) == missing_slot {
                        continue;
                    }
                    if k > 0 {
                        merged.push(edges[slots[0] - 1]);
                    }
                    for &s in slots {
                        slot_of[s] = b;
                    }
                    b += 1;
                }
                if let Some(m) = missing_slot {
                    slot_of[m] = b;
                }
                (Encoding::Numeric { edges: merged, spikes: Vec::new(), missing: *missing }, slot_of)
            }
            e @ Encoding::Categorical { .. } => (e.clone(), (0..w).collect()),
        };
        // Band of each fine slot; thin bands (and the extra bin) count as the reference.
        let mut band_of = vec![reference; w + 1];
        for (b, (slots, _, n)) in bands.iter().enumerate() {
            if *n >= min_rule_rows {
                for &s in slots {
                    band_of[s] = b;
                }
            }
        }
        let band_codes = feat.codes.iter().map(|&c| band_of[usize::from(c)] as u16).collect();
        banded.push(Banded { bands, reference, encoding, slot_of, band_codes });
    }
    // Band values, thin ones at the reference's; optionally refitted jointly.
    let mut values: Vec<Vec<f64>> = banded
        .iter()
        .map(|b| b.bands.iter().map(|(_, v, n)| if *n >= min_rule_rows { *v } else { b.bands[b.reference].1 }).collect())
        .collect();
    let mut refit_loglik = None;
    if let Some(l2) = opts.refit_l2 {
        let features: Vec<Feature> =
            banded.iter().map(|b| Feature { bins: b.bands.len(), nominal: false, codes: b.band_codes.clone() }).collect();
        let r = ebm::refit(&features, y_train, fit.intercept, &values, l2, opts.refit_steps)?;
        refit_loglik = Some((r.loglik_before, r.loglik_after));
        values = r.values;
    }
    let mut drafts = Vec::new();
    for ((col, b), vals) in cols.iter().zip(banded).zip(values) {
        let base = vals[b.reference];
        let mut out = Vec::new();
        for (k, (slots, v, n)) in b.bands.iter().enumerate() {
            if k == b.reference {
                continue;
            }
            let thin = *n < min_rule_rows;
            let condition = match &b.encoding {
                Encoding::Numeric { .. } => b.encoding.label(b.slot_of[slots[0]]),
                Encoding::Categorical { .. } if slots.len() == 1 => b.encoding.label(slots[0]),
                Encoding::Categorical { levels, .. } => {
                    let mut names: Vec<String> =
                        slots.iter().map(|&s| if s < levels.len() { levels[s].clone() } else { "(other)".to_string() }).collect();
                    names.sort();
                    format!("in {{{}}}", names.join(", "))
                }
            };
            let mut model_slots: Vec<usize> = slots.iter().map(|&s| b.slot_of[s]).collect();
            model_slots.dedup();
            out.push(DraftValue {
                slots: model_slots,
                condition,
                coef: if thin { 0.0 } else { vals[k] - base },
                fitted: v - b.bands[b.reference].1,
                rows: *n,
                thin,
            });
        }
        drafts.push(Draft { name: col.name.clone(), index: col.index, encoding: b.encoding, values: out });
    }
    Ok(EbmDrafts { drafts, auc_shapes, rounds: fit.rounds, refit_loglik })
}

/// One column alone: held-out AUC of its per-value training conversion rate (smoothed), and
/// a recorded value (a category, "other", a number's spike or "missing"; not a number's
/// quantile band) that is nearly pure against the base rate: held by >= 2% and >= 20 training rows,
/// where its minority outcome falls under a twentieth of that outcome's base rate although at
/// least 10 were expected. (At a 1.5% positive rate, a value with 213 positives of 15,910
/// rows is ordinary, not pure.)
fn screen<'a>(
    enc: &Encoding,
    train: &[usize],
    test: &[usize],
    y: &[bool],
    base_rate: f64,
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
    // A number's quantile bands are not tested: the extreme bands of a strong predictor are
    // nearly pure by nature. Its spikes and "missing" are values someone recorded, and are.
    let recorded = |s: usize| match enc {
        Encoding::Numeric { edges, .. } => s > edges.len(),
        Encoding::Categorical { .. } => true,
    };
    let purest = (0..w)
        .filter(|&s| recorded(s) && n[s] * 50 >= train.len() && n[s] >= 20)
        .filter(|&s| nearly_pure(n[s], pos[s], base_rate))
        .max_by_key(|&s| n[s])
        .map(|s| format!("{} ({} of {} rows positive; {:.1}% overall)", enc.label(s), pos[s], n[s], base_rate * 100.0));
    (roc_auc(&scores, &labels), purest)
}

/// Whether `positives` of `rows` departs from `base_rate` so far that one outcome all but
/// vanishes: fewer than a twentieth of the positives (or negatives) the base rate predicts,
/// where at least 10 were expected.
fn nearly_pure(rows: usize, positives: usize, base_rate: f64) -> bool {
    let rows_f = rows as f64;
    let (exp_pos, exp_neg) = (rows_f * base_rate, rows_f * (1.0 - base_rate));
    let negatives = (rows - positives) as f64;
    (exp_pos >= 10.0 && (positives as f64) * 20.0 < exp_pos) || (exp_neg >= 10.0 && negatives * 20.0 < exp_neg)
}

/// What [`model_toml`] needs beyond the learned model.
pub struct ModelFileOptions<'a> {
    /// `[model].name`.
    pub name: &'a str,
    /// Where the model was learned from, for the file's comment.
    pub source: &'a str,
}

/// A number as a TOML value that reads back to the same `f64` (shortest round-trip form).
fn toml_number(v: f64) -> String {
    format!("{v}")
}

/// The condition (an inline TOML table) under which a row falls in `slot` of `enc`, with the
/// semantics of the model language: text compared ignoring case, a number field absent when
/// its cell is empty or not a number, `missing` the cell values read as missing.
fn slot_condition(field: &str, enc: &Encoding, slot: usize, missing: &[String]) -> String {
    let f = toml_string(field);
    let list = |values: &mut dyn Iterator<Item = &String>| values.map(|v| toml_string(v)).collect::<Vec<_>>().join(", ");
    let tokens: Vec<&String> = missing.iter().filter(|m| !m.trim().is_empty()).collect();
    let all = |parts: Vec<String>| if parts.len() == 1 { parts[0].clone() } else { format!("{{ all = [{}] }}", parts.join(", ")) };
    match enc {
        Encoding::Categorical { levels, other, .. } => {
            if slot < levels.len() {
                format!("{{ field = {f}, equals = {} }}", toml_string(&levels[slot]))
            } else if *other && slot == levels.len() {
                let known = list(&mut levels.iter().chain(tokens.iter().copied()));
                format!("{{ all = [{{ field = {f}, present = true }}, {{ not = {{ field = {f}, in = [{known}] }} }}] }}")
            } else if tokens.is_empty() {
                format!("{{ not = {{ field = {f}, present = true }} }}")
            } else {
                format!(
                    "{{ any = [{{ not = {{ field = {f}, present = true }} }}, {{ field = {f}, in = [{}] }}] }}",
                    list(&mut tokens.iter().copied())
                )
            }
        }
        Encoding::Numeric { edges, spikes, .. } => {
            let bands = edges.len() + 1;
            if slot >= bands + spikes.len() {
                return format!("{{ not = {{ field = {f}, present = true }} }}");
            }
            if slot >= bands {
                return format!("{{ field = {f}, equals = {} }}", toml_number(spikes[slot - bands]));
            }
            let lo = (slot > 0).then(|| edges[slot - 1]);
            let hi = edges.get(slot).copied();
            let mut parts = Vec::new();
            match lo {
                Some(lo) => parts.push(format!("{{ field = {f}, min = {} }}", toml_number(lo))),
                None => parts.push(format!("{{ field = {f}, present = true }}")),
            }
            if let Some(hi) = hi {
                parts.push(format!("{{ not = {{ field = {f}, min = {} }} }}", toml_number(hi)));
            }
            for &s in spikes.iter().filter(|&&s| lo.is_none_or(|l| s >= l) && hi.is_none_or(|h| s < h)) {
                parts.push(format!("{{ not = {{ field = {f}, equals = {} }} }}", toml_number(s)));
            }
            all(parts)
        }
    }
}

/// The rules of a model column: its slots with points, one rule each, except that the
/// categories (levels) sharing the same points form one rule.
fn rule_groups(c: &ModelColumn) -> Vec<(Vec<usize>, i32)> {
    let levels = match &c.encoding {
        Encoding::Categorical { levels, .. } => levels.len(),
        Encoding::Numeric { .. } => 0,
    };
    let mut out: Vec<(Vec<usize>, i32)> = Vec::new();
    for (slot, &points) in c.points.iter().enumerate().filter(|(_, p)| **p != 0) {
        match out.iter_mut().find(|(slots, p)| slot < levels && slots[0] < levels && *p == points) {
            Some((slots, _)) => slots.push(slot),
            None => out.push((vec![slot], points)),
        }
    }
    out
}

/// The condition of a group of slots from [`rule_groups`]: several categories as one `in`.
fn group_condition(field: &str, enc: &Encoding, slots: &[usize], missing: &[String]) -> String {
    match (enc, slots) {
        (Encoding::Categorical { levels, .. }, [_, _, ..]) => format!(
            "{{ field = {}, in = [{}] }}",
            toml_string(field),
            slots.iter().map(|&s| toml_string(&levels[s])).collect::<Vec<_>>().join(", ")
        ),
        _ => slot_condition(field, enc, slots[0], missing),
    }
}

/// The learned points as a model file (every column it reads is declared as a custom field,
/// so no column may be named like a built-in lead field): one uncapped dimension `learned`, one rule per value
/// with points (its condition reads the column as the points model does, so a row's total is
/// its learned points), the columns declared in `[custom_fields]` (text for categories,
/// number for numbers), the quality threshold at the total whose calibrated probability
/// reaches 50%, and grades A (the threshold), B (25%) and C.
pub fn model_toml(l: &Learned, opts: &ModelFileOptions<'_>) -> String {
    let mut out = String::new();
    let total_at = |p: f64| -> Option<i32> {
        (l.platt_b > 0.0).then(|| (((p / (1.0 - p)).ln() - l.platt_a) / l.platt_b).ceil()).map(|t| t.clamp(-1e6, 1e6) as i32)
    };
    let threshold = total_at(0.5).unwrap_or(1);
    let b_min = total_at(0.25).filter(|&b| b < threshold);
    out.push_str(&format!(
        "# Learned by `leadrank learn` from {} (target {}): {} rules on {} columns, {} training rows.\n\
         # Probability of the target = 1 / (1 + exp(-({:.6} + {:.6} x total))); {} points double the odds.\n\
         # Held-out ROC AUC of the totals: {}.\n\n",
        opts.source.replace('\n', " "),
        toml_string(&l.target),
        l.model_columns.iter().map(|c| rule_groups(c).len()).sum::<usize>(),
        l.model_columns.len(),
        l.train_rows,
        l.platt_a,
        l.platt_b,
        l.points_per_doubling,
        l.holdout.auc_points.map_or("n/a".into(), |a| format!("{a:.4}"))
    ));
    out.push_str(&format!(
        "[model]\nname = {}\nversion = \"1\"\ndescription = {}\n\n",
        toml_string(opts.name),
        toml_string(&format!("Points learned for {} by leadrank learn", l.target))
    ));
    let grades = match b_min {
        Some(b) => format!("[{{ grade = \"A\", min = {threshold} }}, {{ grade = \"B\", min = {b} }}, {{ grade = \"C\" }}]"),
        None => format!("[{{ grade = \"A\", min = {threshold} }}, {{ grade = \"C\" }}]"),
    };
    out.push_str(&format!(
        "# A quality lead: a calibrated probability of at least 50%. B: at least 25%.\n[scoring]\nquality_threshold = {threshold}\ngrades = {grades}\n\n"
    ));
    if !l.model_columns.is_empty() {
        out.push_str("# The table's columns the rules read.\n[custom_fields]\n");
        for c in &l.model_columns {
            let ty = match c.encoding {
                Encoding::Categorical { .. } => "text",
                Encoding::Numeric { .. } => "number",
            };
            out.push_str(&format!("{} = \"{ty}\"\n", toml_string(&c.name)));
        }
        out.push('\n');
    }
    out.push_str("[[dimensions]]\nid = \"learned\"\nlabel = \"Learned points\"\n");
    let mut ids = std::collections::HashSet::new();
    for c in &l.model_columns {
        for (slots, points) in rule_groups(c) {
            let label = match (&c.encoding, slots.as_slice()) {
                (Encoding::Categorical { levels, .. }, [_, _, ..]) => {
                    format!("{} in {{{}}}", c.name, slots.iter().map(|&s| levels[s].as_str()).collect::<Vec<_>>().join(", "))
                }
                _ => format!("{} {}", c.name, c.encoding.label(slots[0])),
            };
            let mut id: String =
                crate::proposal::rule_id("learned", &label).split('_').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("_");
            id.truncate(60);
            let stem = id.clone();
            let mut k = 2;
            while !ids.insert(id.clone()) {
                id = format!("{stem}_{k}");
                k += 1;
            }
            out.push_str(&format!(
                "\n[[rules]]\nid = {}\ndimension = \"learned\"\npoints = {points}\nlabel = {}\nwhen = {}\n",
                toml_string(&id),
                toml_string(&label),
                group_condition(&c.name, &c.encoding, &slots, &l.missing_values)
            ));
        }
    }
    out
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
        let opts = LearnOptions {
            target: "won".into(),
            exclude: vec!["tag".into()],
            folds: 3,
            method: Method::Logistic,
            ..LearnOptions::default()
        };
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
        assert!(matches!(learn(&cols, &rows, &opts), Err(LearnError::NoTarget { .. })));
        let opts = LearnOptions { target: "won".into(), ..LearnOptions::default() };
        assert_eq!(learn(&cols, &[], &opts).unwrap_err(), LearnError::NoRows);
        assert_eq!(parse_target(" Yes "), Some(true));
        assert_eq!(parse_target("lost"), Some(false));
    }
    /// The leak test compares with the base rate. At a 1.5% positive rate a value of 15,910
    /// rows with 213 positives is ordinary (238.7 expected); one of 1,000 rows with none is
    /// pure (15 expected, under a twentieth of that is < 0.75). A value of 100 rows with none
    /// proves nothing (1.5 expected, under 10). At 38.5%, 10 negatives in 1,000 rows are pure
    /// (615 expected, a twentieth is 30.75).
    #[test]
    fn purity_is_judged_against_the_base_rate() {
        assert!(!nearly_pure(15_910, 213, 0.015));
        assert!(nearly_pure(1_000, 0, 0.015));
        assert!(!nearly_pure(100, 0, 0.015));
        assert!(nearly_pure(1_000, 990, 0.385));
        assert!(!nearly_pure(1_000, 500, 0.385));
    }

    #[test]
    fn probable_leaks_are_left_out_unless_allowed() {
        let (cols, rows) = table();
        let opts = LearnOptions { target: "won".into(), folds: 3, ..LearnOptions::default() };
        let l = learn(&cols, &rows, &opts).unwrap();
        let tag = l.columns.iter().find(|c| c.name == "tag").unwrap();
        assert_eq!((tag.kind, tag.leak), ("leak", true));
        assert!(l.rules.iter().all(|r| r.column != "tag"), "{:?}", l.rules);
        let opts = LearnOptions { allow_leaky: true, ..opts };
        let l = learn(&cols, &rows, &opts).unwrap();
        assert_eq!(l.columns.iter().find(|c| c.name == "tag").unwrap().kind, "categorical");
        assert!(l.rules.iter().any(|r| r.column == "tag"));
    }

    /// 100 training cells: 86 zeros and 1..=14. The spike 0 gets its own slot; the five
    /// quantile bands are cut on the 14 other values: edges at sorted[k * 14 / 5] for k = 1..4
    /// = rest[2], rest[5], rest[8], rest[11] = 3, 6, 9, 12.
    #[test]
    fn a_spike_gets_its_own_slot() {
        let cells: Vec<String> = (0..100).map(|i| if i < 86 { "0".to_string() } else { (i - 85).to_string() }).collect();
        let cells: Vec<Option<&str>> = cells.iter().map(|c| Some(c.as_str())).collect();
        let enc = encoder(&cells, &LearnOptions::default(), false).unwrap();
        assert_eq!(enc, Encoding::Numeric { edges: vec![3.0, 6.0, 9.0, 12.0], spikes: vec![0.0], missing: false });
        assert_eq!(enc.slot(Some("0")), Some(5));
        assert_eq!(enc.slot(Some("1")), Some(0));
        assert_eq!(enc.slot(Some("12")), Some(4));
        assert_eq!(enc.label(5), "= 0");
        assert_eq!(enc.label(0), "< 3 except 0");
        // Declared categorical: the codes are categories (those with >= 20 rows: only "0").
        let enc = encoder(&cells, &LearnOptions::default(), true).unwrap();
        assert_eq!(enc, Encoding::Categorical { levels: vec!["0".into()], other: true, missing: false });
    }

    /// Categories are compared ignoring case: "Google" and "google" are one value.
    #[test]
    fn categories_ignore_case() {
        let cells = ["Google", "google", "GOOGLE", "Bing"].repeat(10);
        let cells: Vec<Option<&str>> = cells.iter().map(|c| Some(*c)).collect();
        let enc = encoder(&cells, &LearnOptions::default(), false).unwrap();
        assert_eq!(enc, Encoding::Categorical { levels: vec!["google".into()], other: true, missing: false });
        assert_eq!(enc.slot(Some("GoOgle")), Some(0));
    }

    /// A category held by 25 training rows (>= 20, so it is a level) but under the 30 a rule
    /// needs scores 0 and is counted as thin; with `min_rule_rows` 20 it gets its rule, and
    /// so it does by default (900 training rows: the floor is 1% of them, at least 10).
    #[test]
    fn no_rule_rests_on_few_rows() {
        let cols = vec!["kind".to_string(), "won".into()];
        let mut rows = Vec::new();
        for i in 0..1000 {
            // "rare" on every 40th row (25 rows), always won; "a"/"b" alternate, b wins on 1 in 4.
            let kind = if i % 40 == 0 {
                "rare"
            } else if i % 2 == 0 {
                "a"
            } else {
                "b"
            };
            let won = kind == "rare" || (kind == "b" && i % 8 == 1);
            rows.push(vec![kind.to_string(), if won { "1".into() } else { "0".into() }]);
        }
        let test_rows: Vec<bool> = (0..1000).map(|i| i % 10 == 9).collect();
        // "rare" is always won, so the column is a probable leak: kept here on purpose.
        let opts = LearnOptions {
            target: "won".into(),
            test_rows: Some(test_rows),
            folds: 0,
            allow_leaky: true,
            method: Method::Logistic,
            min_rule_rows: Some(30),
            ..LearnOptions::default()
        };
        let l = learn(&cols, &rows, &opts).unwrap();
        assert!(l.rules.iter().all(|r| r.condition != "= rare"), "{:?}", l.rules);
        assert!(l.thin_values >= 1);
        let l = learn(&cols, &rows, &LearnOptions { min_rule_rows: Some(20), ..opts.clone() }).unwrap();
        assert!(l.rules.iter().any(|r| r.condition == "= rare"), "{:?}", l.rules);
        let l = learn(&cols, &rows, &LearnOptions { min_rule_rows: None, ..opts }).unwrap();
        assert_eq!(l.min_rule_rows, 10);
        assert!(l.rules.iter().any(|r| r.condition == "= rare"), "{:?}", l.rules);
    }

    /// Three categories at 0 (the reference), 0.012 and 0.03 log-odds, converting 2, 5 and 8
    /// of 10 rows. At 20 points per doubling (28.9 points per log-odds) the 0.012 rounds to
    /// 0 points and ties with the reference, which costs training AUC; at 50 (72.1 per
    /// log-odds) they are 1 and 2 points and the ranking is kept, so 50 is chosen. Effects of
    /// 1 and 2 log-odds keep their ranking at 20 points.
    #[test]
    fn the_points_scale_keeps_tiny_effects() {
        let enc = Encoding::Categorical { levels: vec!["a".into(), "b".into(), "c".into()], other: false, missing: false };
        let draft = |b: f64, c: f64| Draft {
            name: "kind".into(),
            index: 0,
            encoding: enc.clone(),
            values: [(1, b), (2, c)]
                .iter()
                .map(|&(s, coef)| DraftValue { slots: vec![s], condition: enc.label(s), coef, fitted: coef, rows: 10, thin: false })
                .collect(),
        };
        let slots = vec![(0..30).map(|i| Some(i / 10)).collect::<Vec<_>>()];
        let y: Vec<bool> = (0..30).map(|i| i % 10 < [2, 5, 8][i / 10]).collect();
        assert_eq!(choose_scale(&[draft(0.012, 0.03)], &slots, &y), 50);
        assert_eq!(choose_scale(&[draft(1.0, 2.0)], &slots, &y), 20);
        let (rules, thin, cols, _) = finish(vec![draft(0.012, 0.03)], 50);
        assert_eq!((thin, cols[0].points.clone()), (0, vec![0, 1, 2]));
        assert_eq!(rules.iter().map(|r| r.points).collect::<Vec<_>>(), vec![1, 2]);
        // At 20 points the 0.012 gets no rule.
        let (rules, ..) = finish(vec![draft(0.012, 0.03)], 20);
        assert_eq!(rules.iter().map(|r| (r.condition.as_str(), r.points)).collect::<Vec<_>>(), vec![("= c", 1)]);
        assert_eq!(to_points(0.05, 100), 7);
    }

    /// A strong measured number (the outcome is `size > 50`, noisy only between 40 and 60)
    /// ranks well alone and its extreme bands are pure, but it is not a leak; an amount that
    /// is 0 on every lost row (a value recorded after the outcome) is, by its pure spike.
    #[test]
    fn a_strong_number_is_not_a_leak_but_a_pure_spike_is() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let cols = vec!["size".to_string(), "paid".into(), "won".into()];
        let mut rows = Vec::new();
        for _ in 0..1000 {
            let size: f64 = rng.random_range(0.0..100.0);
            let won = if (40.0..60.0).contains(&size) { rng.random_bool(0.5) } else { size > 50.0 };
            let paid = if won { rng.random_range(100..5000) } else { 0 };
            rows.push(vec![format!("{size:.2}"), paid.to_string(), if won { "1".into() } else { "0".into() }]);
        }
        let opts = LearnOptions { target: "won".into(), folds: 0, ..LearnOptions::default() };
        let l = learn(&cols, &rows, &opts).unwrap();
        let col = |n: &str| l.columns.iter().find(|c| c.name == n).unwrap().clone();
        let size = col("size");
        assert!(size.alone_auc.unwrap() > 0.9 && !size.leak && size.kind == "numeric", "{size:?}");
        let paid = col("paid");
        assert!(paid.leak && paid.kind == "leak", "{paid:?}");
        assert!(paid.purest_value.as_deref().unwrap().starts_with("= 0 "), "{paid:?}");
        // With the categorical threshold applied to numbers, the strong number is flagged.
        let strict = learn(&cols, &rows, &LearnOptions { leak_auc_numeric: 0.85, allow_leaky: true, ..opts }).unwrap();
        assert!(strict.columns.iter().find(|c| c.name == "size").unwrap().leak);
    }

    /// The conditions of the written model, by hand: a level, "other" and "missing" of a
    /// category; a band with a spike inside, the spike, and "missing" of a number.
    #[test]
    fn slot_conditions_read_cells_as_the_learner_does() {
        let missing = vec!["".to_string(), "select".to_string()];
        let cat = Encoding::Categorical { levels: vec!["api".into()], other: true, missing: true };
        assert_eq!(slot_condition("Lead Origin", &cat, 0, &missing), r#"{ field = "Lead Origin", equals = "api" }"#);
        assert_eq!(
            slot_condition("Lead Origin", &cat, 1, &missing),
            r#"{ all = [{ field = "Lead Origin", present = true }, { not = { field = "Lead Origin", in = ["api", "select"] } }] }"#
        );
        assert_eq!(
            slot_condition("Lead Origin", &cat, 2, &missing),
            r#"{ any = [{ not = { field = "Lead Origin", present = true } }, { field = "Lead Origin", in = ["select"] }] }"#
        );
        let num = Encoding::Numeric { edges: vec![2.5, 6.0], spikes: vec![0.0], missing: true };
        assert_eq!(
            slot_condition("visits", &num, 0, &missing),
            r#"{ all = [{ field = "visits", present = true }, { not = { field = "visits", min = 2.5 } }, { not = { field = "visits", equals = 0 } }] }"#
        );
        assert_eq!(
            slot_condition("visits", &num, 1, &missing),
            r#"{ all = [{ field = "visits", min = 2.5 }, { not = { field = "visits", min = 6 } }] }"#
        );
        assert_eq!(slot_condition("visits", &num, 2, &missing), r#"{ field = "visits", min = 6 }"#);
        assert_eq!(slot_condition("visits", &num, 3, &missing), r#"{ field = "visits", equals = 0 }"#);
        assert_eq!(slot_condition("visits", &num, 4, &missing), r#"{ not = { field = "visits", present = true } }"#);
    }
}

#[cfg(test)]
mod ebm_tests {
    use super::*;

    /// A table whose outcome depends on a number through a U shape (high at both ends) and on
    /// a category, with missing numbers converting at their own rate: what a line cannot fit.
    fn u_table(n: usize) -> (Vec<String>, Vec<Vec<String>>) {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
        let cols = vec!["age".to_string(), "plan".into(), "won".into()];
        let mut rows = Vec::new();
        for _ in 0..n {
            let missing = rng.random_bool(0.1);
            let age: f64 = rng.random_range(0.0..100.0);
            let plan = ["free", "pro", "team", "trial"][rng.random_range(0..4)];
            let u = (age - 50.0) / 50.0;
            let z = if missing { 1.0 } else { 3.0 * u * u - 1.5 } + if plan == "pro" { 1.0 } else { 0.0 };
            let won = rng.random::<f64>() < sigmoid(z);
            rows.push(vec![
                if missing { String::new() } else { format!("{age:.1}") },
                plan.to_string(),
                if won { "1".into() } else { "0".into() },
            ]);
        }
        (cols, rows)
    }

    #[test]
    fn ebm_points_follow_a_u_shape_in_few_bands() {
        let (cols, rows) = u_table(6000);
        let opts = LearnOptions { target: "won".into(), folds: 0, ..LearnOptions::default() };
        let l = learn(&cols, &rows, &opts).unwrap();
        assert_eq!(l.method, Method::Ebm);
        let h = &l.holdout;
        let (pts, shapes, logit) = (h.auc_points.unwrap(), h.auc_shapes.unwrap(), h.auc_logistic.unwrap());
        // The banded integer points lose almost nothing against the shapes, and beat the
        // five-band logistic fit, which cannot follow the U within its bands.
        assert!(shapes - pts < 0.005, "points {pts}, shapes {shapes}");
        assert!(pts > logit, "points {pts}, logistic {logit}");
        let age = l.model_columns.iter().find(|c| c.name == "age").unwrap();
        let Encoding::Numeric { edges, missing, .. } = &age.encoding else { panic!("{:?}", age.encoding) };
        assert!(*missing);
        assert!(edges.len() < 8 && edges.len() >= 3, "{edges:?}");
        // U shape: the lowest and highest bands score well above the band holding 50.
        let p = |v: &str| age.points[age.encoding.slot(Some(v)).unwrap()];
        assert!(p("2") - p("50") > 40 && p("98") - p("50") > 40, "{:?} {edges:?}", age.points);
        // Missing numbers are their own band, scoring above the middle.
        assert!(p("not a number") > p("50"), "{:?}", age.points);
        // "pro" scores about 1 log-odds (29 points) above the other plans.
        let plan = l.model_columns.iter().find(|c| c.name == "plan").unwrap();
        let q = |v: &str| plan.points[plan.encoding.slot(Some(v)).unwrap()];
        assert!((q("pro") - q("free") - 29).abs() < 10, "{:?}", plan.points);
        // Every rule rests on enough rows.
        assert!(l.rules.iter().all(|r| r.rows >= l.min_rule_rows), "{:?}", l.rules);
        // The joint refit of the band values raised the training log-likelihood.
        let (before, after) = l.refit_loglik.unwrap();
        assert!(after > before, "{before} -> {after}");
        // Without it, the bands keep their averaged shape values.
        let plain = learn(&cols, &rows, &LearnOptions { refit_l2: None, ..opts }).unwrap();
        assert_eq!(plain.refit_loglik, None);
    }

    /// The written model reads every row into exactly its learned points: the sum of the
    /// rules whose conditions hold equals the points `learn` scored, checked here by reading
    /// the bands of the model columns against the file's rules.
    #[test]
    fn ebm_model_file_groups_categories_and_keeps_bands() {
        let (cols, rows) = u_table(3000);
        let l = learn(&cols, &rows, &LearnOptions { target: "won".into(), folds: 0, max_bands: 3, ..LearnOptions::default() }).unwrap();
        let age = l.model_columns.iter().find(|c| c.name == "age").unwrap();
        let Encoding::Numeric { edges, .. } = &age.encoding else { panic!() };
        assert!(edges.len() <= 2, "{edges:?}");
        let text = model_toml(&l, &ModelFileOptions { name: "t", source: "test" });
        let rules = text.matches("[[rules]]").count();
        let groups: usize = l.model_columns.iter().map(|c| rule_groups(c).len()).sum();
        assert_eq!(rules, groups);
        // Three plans share one band's points (all but "pro"): one `in` rule, or none when
        // they are the reference band.
        let plan = l.model_columns.iter().find(|c| c.name == "plan").unwrap();
        let g = rule_groups(plan);
        assert!(g.iter().all(|(slots, _)| slots.len() == 1 || slots.len() == 3), "{g:?}");
        if let Some((slots, _)) = g.iter().find(|(s, _)| s.len() > 1) {
            assert!(text.contains(", in = ["), "{text}");
            assert_eq!(slots.len(), 3);
        }
    }

    /// Known answer: the odds jump at x = 35.9 (x evenly spread over 0-99.9). The default fine
    /// bins (up to 256 training quantiles, about 0.4 apart here) put a band edge within half a
    /// unit of the jump, and the points across it differ by about the true 2.5 log-odds (72
    /// points at 20 per doubling). 32 bins (3.1 apart) could only cut at least a unit away.
    #[test]
    fn fine_bins_place_a_band_edge_at_a_sharp_step() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let cols = vec!["x".to_string(), "won".into()];
        let rows: Vec<Vec<String>> = (0..6000)
            .map(|i| {
                let x = f64::from((i * 7) % 1000) / 10.0;
                let z = if x < 35.9 { -1.0 } else { 1.5 };
                let won = rng.random::<f64>() < sigmoid(z);
                vec![format!("{x:.1}"), if won { "1".into() } else { "0".into() }]
            })
            .collect();
        let opts = LearnOptions { target: "won".into(), folds: 0, points_per_doubling: Some(20), ..LearnOptions::default() };
        let nearest = |l: &Learned| -> f64 {
            let c = l.model_columns.iter().find(|c| c.name == "x").unwrap();
            let Encoding::Numeric { edges, .. } = &c.encoding else { panic!("{:?}", c.encoding) };
            edges.iter().map(|e| (e - 35.9).abs()).fold(f64::INFINITY, f64::min)
        };
        let fine = learn(&cols, &rows, &opts).unwrap();
        assert!(nearest(&fine) < 0.5, "{:?}", fine.model_columns);
        let x = fine.model_columns.iter().find(|c| c.name == "x").unwrap();
        let p = |v: &str| x.points[x.encoding.slot(Some(v)).unwrap()];
        assert!((p("37") - p("35") - 72).abs() < 15, "{:?}", x.points);
        let coarse = learn(&cols, &rows, &LearnOptions { max_bins: 32, ..opts }).unwrap();
        assert!(nearest(&coarse) > 1.0, "{:?}", coarse.model_columns);
    }

    #[test]
    fn ebm_is_deterministic() {
        let (cols, rows) = u_table(1500);
        let opts = LearnOptions { target: "won".into(), folds: 0, ..LearnOptions::default() };
        let a = learn(&cols, &rows, &opts).unwrap();
        let b = learn(&cols, &rows, &opts).unwrap();
        assert_eq!(a.rules, b.rules);
        assert_eq!(a.holdout, b.holdout);
    }
}
