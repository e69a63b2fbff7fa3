//! L2-regularised logistic regression, fitted by Newton's method.
//!
//! The objective is scikit-learn's: `sum_i logloss(y_i, b + x_i.w) + l2 / 2 * |w|^2`, where
//! `l2 = 1 / C` and the intercept `b` is not penalised. Each iteration takes the exact
//! gradient over all rows and the Hessian over all rows, or, above
//! [`FitOptions::hessian_rows`] rows, over an evenly strided subsample scaled up to the full
//! count (a "subsampled Newton" step: the step stays a descent direction and the iteration
//! converges linearly at a fast rate, while an iteration costs about one pass over the data).
//! A backtracking line search guarantees descent.
//!
//! Work is split into fixed chunks of rows processed in parallel and summed in chunk order,
//! so a fit is bit-for-bit identical with any number of threads.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;

use crate::classify::sigmoid;

/// Rows per parallel work item.
const CHUNK: usize = 8192;

/// Options of [`fit`].
#[derive(Debug, Clone, PartialEq)]
pub struct FitOptions {
    /// L2 penalty on the coefficients (1 / C in scikit-learn's terms). Must be > 0.
    pub l2: f64,
    /// Most Newton iterations.
    pub max_iter: usize,
    /// Stop when the largest gradient component, divided by the row count, is below this.
    pub tol: f64,
    /// Above this many rows the Hessian is taken on an evenly strided subsample.
    pub hessian_rows: usize,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions { l2: 1.0, max_iter: 50, tol: 1e-8, hessian_rows: 150_000 }
    }
}

/// Why a fit could not be done.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FitError {
    #[error("no rows to fit")]
    Empty,
    #[error("the matrix has {values} values, which is not {rows} rows of {cols} columns")]
    Shape { values: usize, rows: usize, cols: usize },
    #[error("row {row}, column {col} is not a finite number")]
    NotFinite { row: usize, col: usize },
    #[error("all outcomes are {0}: a model needs both classes")]
    SingleClass(bool),
    #[error("the l2 penalty must be positive and finite")]
    BadPenalty,
    #[error("the Newton system is singular")]
    Singular,
}

/// A fitted logistic regression.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogisticFit {
    pub intercept: f64,
    pub coef: Vec<f64>,
    pub iterations: usize,
    pub converged: bool,
    /// Final objective value (penalised log loss summed over rows).
    pub objective: f64,
}

impl LogisticFit {
    /// The log-odds of one row.
    pub fn logit(&self, row: &[f64]) -> f64 {
        self.intercept + row.iter().zip(&self.coef).map(|(a, b)| a * b).sum::<f64>()
    }

    /// The log-odds of every row of a row-major matrix with `coef.len()` columns.
    pub fn logits(&self, x: &[f64]) -> Vec<f64> {
        let cols = self.coef.len().max(1);
        if self.coef.is_empty() {
            return Vec::new();
        }
        x.par_chunks(cols * CHUNK).flat_map_iter(|c| c.chunks_exact(cols).map(|r| self.logit(r)).collect::<Vec<_>>()).collect()
    }

    /// The probability of every row.
    pub fn predict(&self, x: &[f64]) -> Vec<f64> {
        self.logits(x).into_iter().map(sigmoid).collect()
    }
}

/// `log(1 + e^z) - y z`, computed without overflow.
pub(crate) fn row_loss(z: f64, y: bool) -> f64 {
    let softplus = if z > 0.0 { z + (-z).exp().ln_1p() } else { z.exp().ln_1p() };
    softplus - if y { z } else { 0.0 }
}

/// What is wrong with a training matrix, shared by the logistic and the boosted fits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum BadMatrix {
    Empty,
    Shape { values: usize, rows: usize, cols: usize },
    NotFinite { row: usize, col: usize },
    SingleClass(bool),
}

/// Checks a row-major matrix `x` with `cols` columns against labels `y`: rows present, the
/// right number of values, all finite, both classes present.
pub(crate) fn check_matrix(x: &[f64], cols: usize, y: &[bool]) -> Result<(), BadMatrix> {
    let n = y.len();
    if n == 0 {
        return Err(BadMatrix::Empty);
    }
    if x.len() != n * cols {
        return Err(BadMatrix::Shape { values: x.len(), rows: n, cols });
    }
    if let Some(i) = x.iter().position(|v| !v.is_finite()) {
        return Err(BadMatrix::NotFinite { row: i / cols.max(1), col: i % cols.max(1) });
    }
    let pos = y.iter().filter(|&&v| v).count();
    if pos == 0 || pos == n {
        return Err(BadMatrix::SingleClass(pos == n));
    }
    Ok(())
}

impl From<BadMatrix> for FitError {
    fn from(b: BadMatrix) -> Self {
        match b {
            BadMatrix::Empty => FitError::Empty,
            BadMatrix::Shape { values, rows, cols } => FitError::Shape { values, rows, cols },
            BadMatrix::NotFinite { row, col } => FitError::NotFinite { row, col },
            BadMatrix::SingleClass(c) => FitError::SingleClass(c),
        }
    }
}

/// Fits `y ~ x` where `x` is row-major with `cols` columns.
pub fn fit(x: &[f64], cols: usize, y: &[bool], opts: &FitOptions) -> Result<LogisticFit, FitError> {
    let n = y.len();
    check_matrix(x, cols, y)?;
    if !(opts.l2 > 0.0 && opts.l2.is_finite()) {
        return Err(FitError::BadPenalty);
    }
    let pos = y.iter().filter(|&&v| v).count();
    let d = cols + 1;
    let mut theta = vec![0.0; d];
    theta[0] = (pos as f64 / (n - pos) as f64).ln();
    let stride = n.div_ceil(opts.hessian_rows.max(1)).max(1);
    let (mut loss, mut grad) = gradient(x, cols, y, &theta, opts.l2);
    let mut iterations = 0;
    let mut converged = false;
    while iterations < opts.max_iter {
        if grad.iter().fold(0.0f64, |m, g| m.max(g.abs())) / n as f64 <= opts.tol {
            converged = true;
            break;
        }
        iterations += 1;
        let mut h = hessian(x, cols, &theta, stride, n);
        for j in 1..d {
            h[j * d + j] += opts.l2;
        }
        h[0] += 1e-10 * n as f64;
        let step = solve_spd(&mut h, d, &grad).ok_or(FitError::Singular)?;
        let slope: f64 = grad.iter().zip(&step).map(|(g, s)| g * s).sum();
        let mut t = 1.0;
        let (new_theta, new_loss, new_grad) = loop {
            let cand: Vec<f64> = theta.iter().zip(&step).map(|(a, s)| a - t * s).collect();
            let (l, g) = gradient(x, cols, y, &cand, opts.l2);
            if l <= loss - 1e-4 * t * slope || t < 1e-6 {
                break (cand, l, g);
            }
            t *= 0.5;
        };
        let improvement = loss - new_loss;
        theta = new_theta;
        grad = new_grad;
        let done = improvement.abs() <= 1e-13 * loss.abs().max(1.0);
        loss = new_loss;
        if done {
            converged = true;
            break;
        }
    }
    Ok(LogisticFit { intercept: theta[0], coef: theta[1..].to_vec(), iterations, converged, objective: loss })
}

/// Penalised loss and its gradient (intercept first).
fn gradient(x: &[f64], cols: usize, y: &[bool], theta: &[f64], l2: f64) -> (f64, Vec<f64>) {
    let d = cols + 1;
    let parts: Vec<(f64, Vec<f64>)> = x
        .par_chunks(cols.max(1) * CHUNK)
        .zip(y.par_chunks(CHUNK))
        .map(|(xc, yc)| {
            let mut g = vec![0.0; d];
            let mut loss = 0.0;
            for (k, &yi) in yc.iter().enumerate() {
                let row = &xc[k * cols..(k + 1) * cols];
                let z = theta[0] + row.iter().zip(&theta[1..]).map(|(a, b)| a * b).sum::<f64>();
                loss += row_loss(z, yi);
                let r = sigmoid(z) - f64::from(u8::from(yi));
                g[0] += r;
                for (gj, &xj) in g[1..].iter_mut().zip(row) {
                    *gj += r * xj;
                }
            }
            (loss, g)
        })
        .collect();
    let mut loss = 0.0;
    let mut g = vec![0.0; d];
    for (l, pg) in parts {
        loss += l;
        for (a, b) in g.iter_mut().zip(pg) {
            *a += b;
        }
    }
    for j in 1..d {
        loss += 0.5 * l2 * theta[j] * theta[j];
        g[j] += l2 * theta[j];
    }
    (loss, g)
}

/// The Hessian of the unpenalised loss (full matrix, row-major, intercept first), on every
/// `stride`-th row, scaled to `n` rows.
fn hessian(x: &[f64], cols: usize, theta: &[f64], stride: usize, n: usize) -> Vec<f64> {
    let d = cols + 1;
    let rows: Vec<usize> = (0..n).step_by(stride).collect();
    let parts: Vec<Vec<f64>> = rows
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut h = vec![0.0; d * d];
            let mut xt = vec![0.0; d];
            for &i in chunk {
                let row = &x[i * cols..(i + 1) * cols];
                xt[0] = 1.0;
                xt[1..].copy_from_slice(row);
                let z: f64 = xt.iter().zip(theta).map(|(a, b)| a * b).sum();
                let p = sigmoid(z);
                let w = p * (1.0 - p);
                for j in 0..d {
                    let a = w * xt[j];
                    if a == 0.0 {
                        continue;
                    }
                    let hr = &mut h[j * d + j..(j + 1) * d];
                    for (hk, &xk) in hr.iter_mut().zip(&xt[j..]) {
                        *hk += a * xk;
                    }
                }
            }
            h
        })
        .collect();
    let mut h = vec![0.0; d * d];
    for part in parts {
        for (a, b) in h.iter_mut().zip(part) {
            *a += b;
        }
    }
    let scale = n as f64 / rows.len() as f64;
    for j in 0..d {
        for k in j..d {
            let v = h[j * d + k] * scale;
            h[j * d + k] = v;
            h[k * d + j] = v;
        }
    }
    h
}

/// Solves `a x = b` for a symmetric positive-definite `a` (overwritten) by Cholesky.
pub(crate) fn solve_spd(a: &mut [f64], d: usize, b: &[f64]) -> Option<Vec<f64>> {
    for j in 0..d {
        let mut s = a[j * d + j];
        for k in 0..j {
            s -= a[j * d + k] * a[j * d + k];
        }
        if s <= 0.0 || !s.is_finite() {
            return None;
        }
        let l = s.sqrt();
        a[j * d + j] = l;
        for i in j + 1..d {
            let mut s = a[i * d + j];
            for k in 0..j {
                s -= a[i * d + k] * a[j * d + k];
            }
            a[i * d + j] = s / l;
        }
    }
    let mut y = b.to_vec();
    for i in 0..d {
        for k in 0..i {
            y[i] -= a[i * d + k] * y[k];
        }
        y[i] /= a[i * d + i];
    }
    for i in (0..d).rev() {
        for k in i + 1..d {
            y[i] -= a[k * d + i] * y[k];
        }
        y[i] /= a[i * d + i];
    }
    Some(y)
}

/// A random split of `n` rows: (train, test) row indices, each sorted; `test_share` of the
/// rows (rounded) are held out. Deterministic for a seed (ChaCha8).
pub fn holdout_split(n: usize, test_share: f64, seed: u64) -> (Vec<usize>, Vec<usize>) {
    let mut idx: Vec<usize> = (0..n).collect();
    idx.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
    let k = ((n as f64) * test_share.clamp(0.0, 1.0)).round() as usize;
    let mut test = idx[..k].to_vec();
    let mut train = idx[k..].to_vec();
    test.sort_unstable();
    train.sort_unstable();
    (train, test)
}

/// A fold number in `0..k` for each of `n` rows, balanced and random for a seed.
pub fn kfold(n: usize, k: usize, seed: u64) -> Vec<usize> {
    let k = k.max(1);
    let mut idx: Vec<usize> = (0..n).collect();
    idx.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
    let mut folds = vec![0; n];
    for (pos, &i) in idx.iter().enumerate() {
        folds[i] = pos % k;
    }
    folds
}

/// The rows `idx` of a row-major matrix with `cols` columns.
pub fn take_rows(x: &[f64], cols: usize, idx: &[usize]) -> Vec<f64> {
    let mut out = Vec::with_capacity(idx.len() * cols);
    for &i in idx {
        out.extend_from_slice(&x[i * cols..(i + 1) * cols]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_binary_feature_matches_the_closed_form() {
        // Without a real penalty the MLE reproduces the two group rates exactly:
        // x=0: 1 of 4 positive (logit ln(1/3)); x=1: 3 of 4 (logit ln 3).
        let x = [0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0];
        let y = [true, false, false, false, true, true, true, false];
        let f = fit(&x, 1, &y, &FitOptions { l2: 1e-9, ..FitOptions::default() }).unwrap();
        assert!(f.converged);
        assert!((f.intercept - (1.0f64 / 3.0).ln()).abs() < 1e-6, "{f:?}");
        assert!((f.coef[0] - 9.0f64.ln()).abs() < 1e-6, "{f:?}");
    }

    #[test]
    fn penalty_shrinks_and_gradient_is_zero_at_the_optimum() {
        let x = [0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0];
        let y = [true, false, false, false, true, true, true, false];
        let f = fit(&x, 1, &y, &FitOptions { l2: 2.0, ..FitOptions::default() }).unwrap();
        assert!(f.coef[0] > 0.0 && f.coef[0] < 9.0f64.ln());
        let (_, g) = gradient(&x, 1, &y, &[f.intercept, f.coef[0]], 2.0);
        assert!(g.iter().all(|v| v.abs() < 1e-8), "{g:?}");
    }

    #[test]
    fn subsampled_hessian_reaches_the_same_optimum() {
        let n = 4000;
        let mut x = Vec::new();
        let mut y = Vec::new();
        for i in 0..n {
            let a = ((i * 7919) % 1000) as f64 / 500.0 - 1.0;
            let b = ((i * 104_729) % 997) as f64 / 997.0;
            x.extend([a, b]);
            y.push(sigmoid(1.5 * a - 2.0 * b + 0.3) > ((i * 31) % 101) as f64 / 101.0);
        }
        let full = fit(&x, 2, &y, &FitOptions::default()).unwrap();
        let sub = fit(&x, 2, &y, &FitOptions { hessian_rows: 500, ..FitOptions::default() }).unwrap();
        assert!(full.converged && sub.converged);
        for (a, b) in full.coef.iter().zip(&sub.coef) {
            assert!((a - b).abs() < 1e-5, "{full:?} {sub:?}");
        }
    }

    #[test]
    fn errors() {
        assert_eq!(fit(&[], 1, &[], &FitOptions::default()), Err(FitError::Empty));
        assert_eq!(fit(&[1.0], 1, &[true], &FitOptions::default()), Err(FitError::SingleClass(true)));
        assert!(matches!(fit(&[f64::NAN, 1.0], 1, &[true, false], &FitOptions::default()), Err(FitError::NotFinite { .. })));
    }

    #[test]
    fn splits_are_deterministic_and_complete() {
        let (tr, te) = holdout_split(10, 0.3, 7);
        assert_eq!(te.len(), 3);
        assert_eq!(tr.len(), 7);
        assert_eq!(holdout_split(10, 0.3, 7), (tr, te));
        let f = kfold(10, 5, 1);
        for k in 0..5 {
            assert_eq!(f.iter().filter(|&&v| v == k).count(), 2);
        }
    }
}
