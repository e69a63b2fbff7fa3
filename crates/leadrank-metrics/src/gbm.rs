//! Gradient-boosted trees (the `forust-ml` crate) as a challenger to the logistic fit.
//!
//! [`fit_gbm`] takes the same row-major matrix and labels as [`crate::logistic::fit`]. It
//! holds out a share of the *training* rows (seeded), fits one booster per candidate (tree
//! depth x learning rate) with early stopping on that share's log loss, keeps the candidate
//! with the lowest validation log loss, and refits it on all training rows with the number of
//! rounds early stopping chose. Nothing random remains (no row or column subsampling), so a fit
//! is reproducible; the validation split is seeded.

use forust_ml::gradientbooster::ImportanceMethod;
use forust_ml::metric::Metric;
use forust_ml::{GradientBooster, Matrix};
use serde::Serialize;

use crate::classify::{roc_auc, sigmoid};
use crate::logistic::{BadMatrix, check_matrix, holdout_split, take_rows};

/// Options of [`fit_gbm`].
#[derive(Debug, Clone, PartialEq)]
pub struct GbmOptions {
    /// Most boosting rounds (trees) per candidate.
    pub max_rounds: usize,
    /// Stop a candidate after this many rounds without a better validation log loss.
    pub early_stopping_rounds: usize,
    /// Tree depths to try.
    pub depths: Vec<usize>,
    /// Learning rates (shrinkage) to try.
    pub learning_rates: Vec<f64>,
    /// Share of the training rows held out for early stopping and the choice of candidate.
    pub valid_share: f64,
    /// L2 penalty on leaf weights.
    pub l2: f64,
    /// Least hessian sum in a leaf.
    pub min_leaf_weight: f64,
    /// Seed of the validation split.
    pub seed: u64,
}

impl Default for GbmOptions {
    fn default() -> Self {
        GbmOptions {
            max_rounds: 400,
            early_stopping_rounds: 20,
            depths: vec![3, 5],
            learning_rates: vec![0.1],
            valid_share: 0.2,
            l2: 1.0,
            min_leaf_weight: 1.0,
            seed: 42,
        }
    }
}

impl From<BadMatrix> for GbmError {
    fn from(b: BadMatrix) -> Self {
        match b {
            BadMatrix::Empty => GbmError::Empty,
            BadMatrix::Shape { values, rows, cols } => GbmError::Shape { values, rows, cols },
            BadMatrix::NotFinite { row, col } => GbmError::NotFinite { row, col },
            BadMatrix::SingleClass(c) => GbmError::SingleClass(c),
        }
    }
}

/// Why a fit could not be done.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GbmError {
    #[error("no rows to fit")]
    Empty,
    #[error("the matrix has {values} values, which is not {rows} rows of {cols} columns")]
    Shape { values: usize, rows: usize, cols: usize },
    #[error("row {row}, column {col} is not a finite number")]
    NotFinite { row: usize, col: usize },
    #[error("all outcomes are {0}: a model needs both classes")]
    SingleClass(bool),
    #[error("no candidate settings (depths and learning rates must be non-empty)")]
    NoCandidates,
    #[error("gradient boosting failed: {0}")]
    Booster(String),
}

/// One candidate setting and how it did on the validation share of the training rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GbmCandidate {
    pub depth: usize,
    pub learning_rate: f64,
    /// Rounds early stopping chose.
    pub rounds: usize,
    pub valid_logloss: f64,
    pub valid_auc: Option<f64>,
}

/// A fitted booster.
pub struct GbmFit {
    booster: GradientBooster,
    cols: usize,
    /// The chosen setting, refitted on all training rows.
    pub depth: usize,
    pub learning_rate: f64,
    pub rounds: usize,
    /// Every candidate tried, in order.
    pub candidates: Vec<GbmCandidate>,
}

impl std::fmt::Debug for GbmFit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GbmFit")
            .field("cols", &self.cols)
            .field("depth", &self.depth)
            .field("learning_rate", &self.learning_rate)
            .field("rounds", &self.rounds)
            .field("candidates", &self.candidates)
            .finish()
    }
}

impl GbmFit {
    /// Log-odds for each row of a row-major matrix with the fitted column count.
    pub fn logits(&self, x: &[f64]) -> Vec<f64> {
        let rows = x.len().checked_div(self.cols).unwrap_or(0);
        if rows == 0 {
            return Vec::new();
        }
        let cm = col_major(x, rows, self.cols);
        self.booster.predict(&Matrix::new(&cm, rows, self.cols), true)
    }

    /// Probabilities for each row.
    pub fn predict(&self, x: &[f64]) -> Vec<f64> {
        self.logits(x).into_iter().map(sigmoid).collect()
    }

    /// Each used column's share of the total split gain over all trees, largest first (ties by
    /// column index). Columns never split on are left out.
    pub fn importance(&self) -> Vec<(usize, f64)> {
        let mut v: Vec<(usize, f64)> = self
            .booster
            .calculate_feature_importance(ImportanceMethod::TotalGain, true)
            .into_iter()
            .map(|(k, g)| (k, f64::from(g)))
            .collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }
}

fn col_major(x: &[f64], rows: usize, cols: usize) -> Vec<f64> {
    let mut out = vec![0.0; rows * cols];
    for (i, row) in x.chunks_exact(cols).enumerate() {
        for (j, &v) in row.iter().enumerate() {
            out[j * rows + i] = v;
        }
    }
    out
}

fn booster(depth: usize, learning_rate: f64, rounds: usize, opts: &GbmOptions) -> GradientBooster {
    GradientBooster::default()
        .set_iterations(rounds)
        .set_max_depth(depth)
        .set_learning_rate(learning_rate as f32)
        .set_l2(opts.l2 as f32)
        .set_min_leaf_weight(opts.min_leaf_weight as f32)
        .set_subsample(1.0)
        .set_colsample_bytree(1.0)
        .set_seed(opts.seed)
        .set_parallel(true)
}

fn logloss(logits: &[f64], y: &[f64]) -> f64 {
    let n = logits.len().max(1) as f64;
    logits
        .iter()
        .zip(y)
        .map(|(&z, &t)| {
            // log(1 + e^z) - t z, computed stably.
            let softplus = if z > 0.0 { z + (-z).exp().ln_1p() } else { z.exp().ln_1p() };
            softplus - t * z
        })
        .sum::<f64>()
        / n
}

/// Fits gradient-boosted trees on `x` (row-major, `cols` columns) and `y`; see the module
/// documentation for the procedure.
pub fn fit_gbm(x: &[f64], cols: usize, y: &[bool], opts: &GbmOptions) -> Result<GbmFit, GbmError> {
    let n = y.len();
    if cols == 0 {
        return Err(GbmError::Empty);
    }
    check_matrix(x, cols, y)?;
    if opts.depths.is_empty() || opts.learning_rates.is_empty() {
        return Err(GbmError::NoCandidates);
    }
    let yf: Vec<f64> = y.iter().map(|&v| if v { 1.0 } else { 0.0 }).collect();
    let err = |e: forust_ml::errors::ForustError| GbmError::Booster(e.to_string());

    // Validation share of the training rows; with too few rows of either class in it, the
    // candidates are compared on nothing useful, so fall back to the first candidate and a
    // fixed number of rounds.
    let (fit_idx, val_idx) = holdout_split(n, opts.valid_share, opts.seed);
    let val_pos = val_idx.iter().filter(|&&i| y[i]).count();
    let fit_pos = fit_idx.iter().filter(|&&i| y[i]).count();
    let mut candidates = Vec::new();
    let (depth, learning_rate, rounds) = if val_pos == 0 || val_pos == val_idx.len() || fit_pos == 0 || fit_pos == fit_idx.len() {
        let lr = opts.learning_rates[0];
        (opts.depths[0], lr, ((10.0 / lr).round() as usize).clamp(1, opts.max_rounds))
    } else {
        let x_fit = col_major(&take_rows(x, cols, &fit_idx), fit_idx.len(), cols);
        let y_fit: Vec<f64> = fit_idx.iter().map(|&i| yf[i]).collect();
        let x_val = col_major(&take_rows(x, cols, &val_idx), val_idx.len(), cols);
        let y_val: Vec<f64> = val_idx.iter().map(|&i| yf[i]).collect();
        let yb_val: Vec<bool> = val_idx.iter().map(|&i| y[i]).collect();
        let w_val = vec![1.0; val_idx.len()];
        let m_fit = Matrix::new(&x_fit, fit_idx.len(), cols);
        let mut best: Option<(f64, usize, f64, usize)> = None;
        for &depth in &opts.depths {
            for &lr in &opts.learning_rates {
                let mut b = booster(depth, lr, opts.max_rounds, opts)
                    .set_evaluation_metric(Some(Metric::LogLoss))
                    .set_early_stopping_rounds(Some(opts.early_stopping_rounds));
                let eval = vec![(Matrix::new(&x_val, val_idx.len(), cols), y_val.as_slice(), w_val.as_slice())];
                b.fit_unweighted(&m_fit, &y_fit, Some(eval)).map_err(err)?;
                let rounds = b.best_iteration.map_or(b.trees.len(), |i| i + 1);
                let z = b.predict(&Matrix::new(&x_val, val_idx.len(), cols), true);
                let ll = logloss(&z, &y_val);
                candidates.push(GbmCandidate { depth, learning_rate: lr, rounds, valid_logloss: ll, valid_auc: roc_auc(&z, &yb_val) });
                if best.is_none_or(|(b, ..)| ll < b - 1e-12) {
                    best = Some((ll, depth, lr, rounds));
                }
            }
        }
        let (_, d, lr, r) = best.expect("at least one candidate");
        (d, lr, r)
    };
    // Refit the chosen setting on all training rows.
    let x_all = col_major(x, n, cols);
    let mut b = booster(depth, learning_rate, rounds, opts);
    b.fit_unweighted(&Matrix::new(&x_all, n, cols), &yf, None).map_err(err)?;
    Ok(GbmFit { booster: b, cols, depth, learning_rate, rounds, candidates })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logistic::{FitOptions, fit};
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Two 0/1 signals whose exclusive or decides the outcome (with 5% label noise), plus a
    /// noise column: no linear model can rank it, trees can.
    fn xor_data(n: usize, seed: u64) -> (Vec<f64>, Vec<bool>) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (mut x, mut y) = (Vec::with_capacity(n * 3), Vec::with_capacity(n));
        for _ in 0..n {
            let a = rng.random_bool(0.5);
            let b = rng.random_bool(0.5);
            let noise: f64 = rng.random();
            let flip = rng.random_bool(0.05);
            x.extend([f64::from(u8::from(a)), f64::from(u8::from(b)), noise]);
            y.push((a ^ b) ^ flip);
        }
        (x, y)
    }

    #[test]
    fn learns_an_interaction_logistic_regression_cannot() {
        let (x, y) = xor_data(4000, 1);
        let (xt, yt) = xor_data(2000, 2);
        let g = fit_gbm(&x, 3, &y, &GbmOptions::default()).unwrap();
        let auc_gbm = roc_auc(&g.logits(&xt), &yt).unwrap();
        let lr = fit(&x, 3, &y, &FitOptions::default()).unwrap();
        let auc_lr = roc_auc(&lr.logits(&xt), &yt).unwrap();
        eprintln!("xor: held-out AUC gbm {auc_gbm:.4}, logistic {auc_lr:.4}");
        assert!(auc_gbm > 0.9, "gbm held-out AUC {auc_gbm}");
        assert!((auc_lr - 0.5).abs() < 0.06, "logistic held-out AUC {auc_lr}");
        // The two signals carry the gain; the noise column little or none.
        let imp = g.importance();
        let top: Vec<usize> = imp.iter().take(2).map(|&(k, _)| k).collect();
        assert!(top.contains(&0) && top.contains(&1), "{imp:?}");
        assert!(!g.candidates.is_empty());
        let p = g.predict(&xt);
        assert!(p.iter().all(|v| (0.0..=1.0).contains(v)));
    }

    #[test]
    fn deterministic() {
        let (x, y) = xor_data(1500, 3);
        let a = fit_gbm(&x, 3, &y, &GbmOptions::default()).unwrap();
        let b = fit_gbm(&x, 3, &y, &GbmOptions::default()).unwrap();
        assert_eq!(a.logits(&x), b.logits(&x));
        assert_eq!(a.rounds, b.rounds);
        assert_eq!(a.importance(), b.importance());
    }

    #[test]
    fn rejects_bad_input() {
        let o = GbmOptions::default();
        assert_eq!(fit_gbm(&[], 1, &[], &o).unwrap_err(), GbmError::Empty);
        assert_eq!(fit_gbm(&[1.0, 2.0], 1, &[true, true], &o).unwrap_err(), GbmError::SingleClass(true));
        assert!(matches!(fit_gbm(&[f64::NAN, 1.0], 1, &[true, false], &o), Err(GbmError::NotFinite { .. })));
        assert!(matches!(fit_gbm(&[1.0], 1, &[true, false], &o), Err(GbmError::Shape { .. })));
    }

    #[test]
    fn tiny_data_falls_back_to_fixed_rounds() {
        // 6 rows: the validation share holds at most one class.
        let x = [0.0, 1.0, 0.0, 1.0, 0.0, 1.0];
        let y = [false, true, false, true, false, true];
        let g = fit_gbm(&x, 1, &y, &GbmOptions { valid_share: 0.2, min_leaf_weight: 0.01, ..GbmOptions::default() }).unwrap();
        let z = g.logits(&[0.0, 1.0]);
        assert!(z[1] > z[0], "{z:?}");
    }
}
