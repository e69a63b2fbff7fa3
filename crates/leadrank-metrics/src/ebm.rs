//! Explainable boosting: an additive model of one shape function per feature, learned by
//! cyclic gradient boosting on binned features (the method of InterpretML's EBM, without
//! pairwise interactions).
//!
//! Every feature is a column of bin numbers (`0..bins`). Each bag holds out a seeded share of
//! the rows for early stopping; then, round after round, each feature in turn gets one small
//! tree over its bins (at most [`EbmOptions::max_leaves`] leaves, every leaf on at least
//! [`EbmOptions::min_leaf_rows`] rows, Newton leaf values times a small learning rate) fitted
//! to the gradient of the log loss of the current model. Ordered features split on contiguous
//! bin ranges; nominal features sort their bins by the mean gradient first. A bag stops when
//! the held-out log loss has not improved for [`EbmOptions::early_stopping_rounds`] rounds
//! and keeps its best round. The model is the mean of the bags (bags run in parallel; each is
//! seeded and the mean is taken in bag order, so a fit is identical with any number of
//! threads). Each shape function is centred (mean 0 over the rows) into the intercept.
//!
//! Because the model is a sum of one value per (feature, bin), it is exactly a points table:
//! [`bands`] merges a shape function's bins into a few bands for a readable model.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;

use crate::classify::sigmoid;

/// Options of [`fit_ebm`].
#[derive(Debug, Clone, PartialEq)]
pub struct EbmOptions {
    /// Shrinkage of every tree.
    pub learning_rate: f64,
    /// Most boosting rounds (one tree per feature each).
    pub max_rounds: usize,
    /// Stop a bag after this many rounds without a better held-out log loss.
    pub early_stopping_rounds: usize,
    /// An improvement smaller than this (relative) does not count.
    pub early_stopping_tolerance: f64,
    /// Leaves per tree (2 or more).
    pub max_leaves: usize,
    /// Least rows in a leaf.
    pub min_leaf_rows: usize,
    /// Bags (each with its own early-stopping split), averaged.
    pub bags: usize,
    /// Share of the rows each bag holds out for early stopping.
    pub valid_share: f64,
    pub seed: u64,
}

impl Default for EbmOptions {
    fn default() -> Self {
        EbmOptions {
            learning_rate: 0.02,
            max_rounds: 5000,
            early_stopping_rounds: 50,
            early_stopping_tolerance: 1e-5,
            max_leaves: 3,
            min_leaf_rows: 4,
            bags: 8,
            valid_share: 0.15,
            seed: 42,
        }
    }
}

/// Why a fit could not be done.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EbmError {
    #[error("no rows to fit")]
    Empty,
    #[error("no features to fit")]
    NoFeatures,
    #[error("feature {feature} has {values} bin numbers for {rows} rows")]
    Shape { feature: usize, values: usize, rows: usize },
    #[error("feature {feature}, row {row}: bin {bin} is not below its {bins} bins")]
    Bin { feature: usize, row: usize, bin: usize, bins: usize },
    #[error("all outcomes are {0}: a model needs both classes")]
    SingleClass(bool),
    #[error("bad option: {0}")]
    Options(&'static str),
}

/// One feature: the bin of each row, how many bins there are, and whether the bins have an
/// order (a number's bands) or not (categories).
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    pub bins: usize,
    pub nominal: bool,
    /// Bin per row.
    pub codes: Vec<u16>,
}

/// A fitted additive model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EbmFit {
    pub intercept: f64,
    /// Per feature, the log-odds contribution of each bin (mean 0 over the training rows).
    pub shapes: Vec<Vec<f64>>,
    /// Per bag, the round early stopping kept.
    pub rounds: Vec<usize>,
}

impl EbmFit {
    /// The log-odds of row `i` of `features`.
    pub fn logit(&self, features: &[Feature], i: usize) -> f64 {
        self.intercept + features.iter().zip(&self.shapes).map(|(f, s)| s[usize::from(f.codes[i])]).sum::<f64>()
    }

    /// The log-odds of every row of `features`.
    pub fn logits(&self, features: &[Feature]) -> Vec<f64> {
        let n = features.first().map_or(0, |f| f.codes.len());
        (0..n).map(|i| self.logit(features, i)).collect()
    }
}

fn check(features: &[Feature], y: &[bool], opts: &EbmOptions) -> Result<(), EbmError> {
    let n = y.len();
    if n == 0 {
        return Err(EbmError::Empty);
    }
    if features.is_empty() {
        return Err(EbmError::NoFeatures);
    }
    for (k, f) in features.iter().enumerate() {
        if f.codes.len() != n {
            return Err(EbmError::Shape { feature: k, values: f.codes.len(), rows: n });
        }
        if let Some((row, &b)) = f.codes.iter().enumerate().find(|(_, b)| usize::from(**b) >= f.bins) {
            return Err(EbmError::Bin { feature: k, row, bin: usize::from(b), bins: f.bins });
        }
    }
    let pos = y.iter().filter(|&&v| v).count();
    if pos == 0 || pos == n {
        return Err(EbmError::SingleClass(pos == n));
    }
    if !(opts.learning_rate > 0.0 && opts.learning_rate.is_finite()) {
        return Err(EbmError::Options("the learning rate must be positive"));
    }
    if opts.max_leaves < 2 {
        return Err(EbmError::Options("trees need at least 2 leaves"));
    }
    if opts.bags == 0 {
        return Err(EbmError::Options("at least one bag"));
    }
    if !(0.0..1.0).contains(&opts.valid_share) {
        return Err(EbmError::Options("the held-out share must be in [0, 1)"));
    }
    Ok(())
}

/// Fits the additive model; see the module documentation.
pub fn fit_ebm(features: &[Feature], y: &[bool], opts: &EbmOptions) -> Result<EbmFit, EbmError> {
    check(features, y, opts)?;
    let n = y.len();
    let bags: Vec<(f64, Vec<Vec<f64>>, usize)> =
        (0..opts.bags).into_par_iter().map(|b| fit_bag(features, y, opts, opts.seed.wrapping_add(b as u64 * 0x9e37_79b9))).collect();
    let k = bags.len() as f64;
    let mut intercept = 0.0;
    let mut shapes: Vec<Vec<f64>> = features.iter().map(|f| vec![0.0; f.bins]).collect();
    let mut rounds = Vec::new();
    for (b0, s, r) in bags {
        intercept += b0 / k;
        for (acc, s) in shapes.iter_mut().zip(s) {
            for (a, v) in acc.iter_mut().zip(s) {
                *a += v / k;
            }
        }
        rounds.push(r);
    }
    // Centre each shape on the training rows.
    for (f, s) in features.iter().zip(shapes.iter_mut()) {
        let mean = f.codes.iter().map(|&c| s[usize::from(c)]).sum::<f64>() / n as f64;
        for v in s.iter_mut() {
            *v -= mean;
        }
        intercept += mean;
    }
    Ok(EbmFit { intercept, shapes, rounds })
}

fn logloss(scores: &[f64], y: &[bool]) -> f64 {
    scores
        .iter()
        .zip(y)
        .map(|(&z, &t)| {
            let softplus = if z > 0.0 { z + (-z).exp().ln_1p() } else { z.exp().ln_1p() };
            softplus - if t { z } else { 0.0 }
        })
        .sum::<f64>()
        / scores.len().max(1) as f64
}

/// One bag: (intercept, shapes, rounds kept).
fn fit_bag(features: &[Feature], y: &[bool], opts: &EbmOptions, seed: u64) -> (f64, Vec<Vec<f64>>, usize) {
    let n = y.len();
    let mut idx: Vec<usize> = (0..n).collect();
    idx.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
    let k = ((n as f64) * opts.valid_share).round() as usize;
    let (mut val, mut fit) = (idx[..k].to_vec(), idx[k..].to_vec());
    // Early stopping needs both classes among the held-out rows; otherwise the bag learns on
    // every row for a fixed number of rounds.
    let val_pos = val.iter().filter(|&&i| y[i]).count();
    let fixed = val_pos == 0 || val_pos == val.len() || fit.iter().all(|&i| y[i]) || fit.iter().all(|&i| !y[i]);
    if fixed {
        fit = (0..n).collect();
        val.clear();
    }
    val.sort_unstable();
    fit.sort_unstable();
    let fy: Vec<bool> = fit.iter().map(|&i| y[i]).collect();
    let vy: Vec<bool> = val.iter().map(|&i| y[i]).collect();
    let fcodes: Vec<Vec<u16>> = features.iter().map(|f| fit.iter().map(|&i| f.codes[i]).collect()).collect();
    let vcodes: Vec<Vec<u16>> = features.iter().map(|f| val.iter().map(|&i| f.codes[i]).collect()).collect();
    let pos = fy.iter().filter(|&&v| v).count() as f64;
    let intercept = (pos / (fy.len() as f64 - pos)).ln();
    let mut fs = vec![intercept; fit.len()];
    let mut vs = vec![intercept; val.len()];
    let mut shapes: Vec<Vec<f64>> = features.iter().map(|f| vec![0.0; f.bins]).collect();
    let mut best = (logloss(&vs, &vy), shapes.clone(), 0usize);
    let fixed_rounds = ((2.0 / opts.learning_rate).round() as usize).clamp(1, opts.max_rounds);
    // Rows per bin never change within a bag.
    let counts: Vec<Vec<usize>> = features
        .iter()
        .zip(&fcodes)
        .map(|(f, codes)| {
            let mut c = vec![0usize; f.bins];
            for &b in codes {
                c[usize::from(b)] += 1;
            }
            c
        })
        .collect();
    let targets: Vec<f64> = fy.iter().map(|&t| f64::from(u8::from(t))).collect();
    let (mut g, mut h) = (Vec::new(), Vec::new());
    // The last tree's change to the training rows' scores is applied in the same pass over the
    // rows that sums the next feature's gradient (one pass per tree instead of two; the same
    // arithmetic in the same order, so the same fit).
    let mut pending: Option<(usize, Vec<f64>)> = None;
    for round in 1..=opts.max_rounds {
        for (j, f) in features.iter().enumerate() {
            g.clear();
            g.resize(f.bins, 0.0);
            h.clear();
            h.resize(f.bins, 0.0);
            match pending.take() {
                Some((pj, delta)) => {
                    for (((&code, &prev), z), &t) in fcodes[j].iter().zip(&fcodes[pj]).zip(fs.iter_mut()).zip(&targets) {
                        *z += delta[usize::from(prev)];
                        let p = sigmoid(*z);
                        let b = usize::from(code);
                        g[b] += p - t;
                        h[b] += p * (1.0 - p);
                    }
                }
                None => {
                    for ((&code, &z), &t) in fcodes[j].iter().zip(&fs).zip(&targets) {
                        let p = sigmoid(z);
                        let b = usize::from(code);
                        g[b] += p - t;
                        h[b] += p * (1.0 - p);
                    }
                }
            }
            let delta = tree_update(&g, &h, &counts[j], f.nominal, opts);
            if delta.iter().all(|&d| d == 0.0) {
                continue;
            }
            for (s, d) in shapes[j].iter_mut().zip(&delta) {
                *s += d;
            }
            for (&code, z) in vcodes[j].iter().zip(vs.iter_mut()) {
                *z += delta[usize::from(code)];
            }
            pending = Some((j, delta));
        }
        if fixed {
            if round >= fixed_rounds {
                return (intercept, shapes, round);
            }
            continue;
        }
        let loss = logloss(&vs, &vy);
        if loss < best.0 * (1.0 - opts.early_stopping_tolerance) {
            best = (loss, shapes.clone(), round);
        } else if round - best.2 >= opts.early_stopping_rounds {
            break;
        }
    }
    (intercept, best.1, best.2)
}

/// One tree's change to each bin: contiguous groups of bins (in bin order, or for a nominal
/// feature in order of mean gradient), at most `max_leaves` of them, each on at least
/// `min_leaf_rows` rows, valued `-learning_rate x G / H`. No change when no split is allowed.
fn tree_update(g: &[f64], h: &[f64], c: &[usize], nominal: bool, opts: &EbmOptions) -> Vec<f64> {
    let nb = g.len();
    let mut order: Vec<usize> = (0..nb).filter(|&b| c[b] > 0).collect();
    if nominal {
        order.sort_by(|&a, &b| (g[a] / h[a].max(1e-12)).total_cmp(&(g[b] / h[b].max(1e-12))).then(a.cmp(&b)));
    }
    // Segments of `order` as (start, end) half-open; split greedily by the best gain.
    let mut segs = vec![(0usize, order.len())];
    let stats = |s: usize, e: usize| -> (f64, f64, usize) {
        order[s..e].iter().fold((0.0, 0.0, 0), |(gs, hs, cs), &b| (gs + g[b], hs + h[b], cs + c[b]))
    };
    let score = |gs: f64, hs: f64| if hs > 1e-12 { gs * gs / hs } else { 0.0 };
    while segs.len() < opts.max_leaves {
        let mut best: Option<(f64, usize, usize)> = None;
        for (si, &(s, e)) in segs.iter().enumerate() {
            let (gt, ht, ct) = stats(s, e);
            let (mut gl, mut hl, mut cl) = (0.0, 0.0, 0usize);
            for (m, &b) in order.iter().enumerate().take(e.saturating_sub(1)).skip(s) {
                gl += g[b];
                hl += h[b];
                cl += c[b];
                if cl < opts.min_leaf_rows || ct - cl < opts.min_leaf_rows {
                    continue;
                }
                let gain = score(gl, hl) + score(gt - gl, ht - hl) - score(gt, ht);
                if gain > 1e-12 && best.is_none_or(|(bg, ..)| gain > bg) {
                    best = Some((gain, si, m + 1));
                }
            }
        }
        let Some((_, si, cut)) = best else { break };
        let (s, e) = segs[si];
        segs[si] = (s, cut);
        segs.insert(si + 1, (cut, e));
    }
    let mut delta = vec![0.0; nb];
    if segs.len() < 2 {
        return delta;
    }
    for &(s, e) in &segs {
        let (gs, hs, _) = stats(s, e);
        let v = if hs > 1e-12 { -opts.learning_rate * gs / hs } else { 0.0 };
        for &b in &order[s..e] {
            delta[b] = v;
        }
    }
    delta
}

/// The additive model after [`refit`]: its intercept and per-feature bin values, and the
/// training log-likelihood (sum over rows) before and after.
#[derive(Debug, Clone, PartialEq)]
pub struct Refit {
    pub intercept: f64,
    pub values: Vec<Vec<f64>>,
    pub loglik_before: f64,
    pub loglik_after: f64,
    /// Newton steps taken.
    pub steps: usize,
}

/// Refits the values of an additive model on binned features jointly (e.g. after bins were
/// merged into bands, whose values are averages of the finer shape): Newton steps on the log
/// loss plus `l2 / 2 x` the squared distance of every bin value from its starting value (the
/// intercept is free), each step halved until the penalised loss decreases, at most
/// `max_steps` of them. The penalised loss never rises and the penalty starts at 0, so the
/// training log-likelihood never falls. `values[j]` holds one value per bin of `features[j]`.
pub fn refit(features: &[Feature], y: &[bool], intercept: f64, values: &[Vec<f64>], l2: f64, max_steps: usize) -> Result<Refit, EbmError> {
    let n = y.len();
    if n == 0 {
        return Err(EbmError::Empty);
    }
    for (k, (f, v)) in features.iter().zip(values).enumerate() {
        if f.codes.len() != n {
            return Err(EbmError::Shape { feature: k, values: f.codes.len(), rows: n });
        }
        if let Some((row, &b)) = f.codes.iter().enumerate().find(|(_, b)| usize::from(**b) >= v.len()) {
            return Err(EbmError::Bin { feature: k, row, bin: usize::from(b), bins: v.len() });
        }
    }
    if features.len() != values.len() {
        return Err(EbmError::Options("one list of values per feature"));
    }
    if !(l2 > 0.0 && l2.is_finite()) {
        return Err(EbmError::Options("the refit penalty must be positive"));
    }
    // Parameters: the intercept, then each feature's bins.
    let offsets: Vec<usize> = values
        .iter()
        .scan(1usize, |o, v| {
            let at = *o;
            *o += v.len();
            Some(at)
        })
        .collect();
    let d = 1 + values.iter().map(Vec::len).sum::<usize>();
    let mut start = vec![intercept];
    for v in values {
        start.extend_from_slice(v);
    }
    let active = |i: usize, buf: &mut Vec<usize>| {
        buf.clear();
        buf.push(0);
        buf.extend(features.iter().zip(&offsets).map(|(f, &o)| o + usize::from(f.codes[i])));
    };
    let mut buf = Vec::with_capacity(features.len() + 1);
    // Penalised loss, its gradient, and (when asked) the Hessian.
    let mut evaluate = |theta: &[f64], hessian: Option<&mut Vec<f64>>| -> (f64, f64, Vec<f64>) {
        let mut nll = 0.0;
        let mut g = vec![0.0; d];
        let mut h = hessian;
        if let Some(h) = h.as_deref_mut() {
            h.clear();
            h.resize(d * d, 0.0);
        }
        for (i, &t) in y.iter().enumerate() {
            active(i, &mut buf);
            let z: f64 = buf.iter().map(|&a| theta[a]).sum();
            nll += crate::logistic::row_loss(z, t);
            let p = sigmoid(z);
            let r = p - f64::from(u8::from(t));
            for &a in &buf {
                g[a] += r;
            }
            if let Some(h) = h.as_deref_mut() {
                let w = p * (1.0 - p);
                for &a in &buf {
                    for &b in &buf {
                        h[a * d + b] += w;
                    }
                }
            }
        }
        let mut penalty = 0.0;
        for j in 1..d {
            let dev = theta[j] - start[j];
            penalty += 0.5 * l2 * dev * dev;
            g[j] += l2 * dev;
        }
        (nll + penalty, nll, g)
    };
    let mut theta = start.clone();
    let mut h = Vec::new();
    let (mut obj, nll0, mut grad) = evaluate(&theta, Some(&mut h));
    let mut nll = nll0;
    let mut steps = 0;
    while steps < max_steps {
        if grad.iter().fold(0.0f64, |m, g| m.max(g.abs())) <= 1e-9 * n as f64 {
            break;
        }
        for j in 1..d {
            h[j * d + j] += l2;
        }
        h[0] += 1e-10 * n as f64;
        let Some(step) = crate::logistic::solve_spd(&mut h, d, &grad) else { break };
        let slope: f64 = grad.iter().zip(&step).map(|(g, s)| g * s).sum();
        let mut t = 1.0;
        let mut accepted = None;
        while t > 1e-6 {
            let cand: Vec<f64> = theta.iter().zip(&step).map(|(a, s)| a - t * s).collect();
            let (o, _, _) = evaluate(&cand, None);
            if o <= obj - 1e-4 * t * slope && o < obj {
                accepted = Some(cand);
                break;
            }
            t *= 0.5;
        }
        let Some(cand) = accepted else { break };
        steps += 1;
        theta = cand;
        let (o, l, g) = evaluate(&theta, Some(&mut h));
        let done = obj - o <= 1e-12 * obj.abs().max(1.0);
        (obj, nll, grad) = (o, l, g);
        if done {
            break;
        }
    }
    let values = offsets.iter().zip(values).map(|(&o, v)| theta[o..o + v.len()].to_vec()).collect();
    Ok(Refit { intercept: theta[0], values, loglik_before: -nll0, loglik_after: -nll, steps })
}

/// Merges the bins of one shape function into at most `max_bands` bands of adjacent bins
/// (`order`: the bins in the order bands may join them, e.g. a number's bands low to high,
/// or categories sorted by value), every band on at least `min_rows` rows (`rows` per bin;
/// bins with no rows join a neighbour), minimising the row-weighted squared difference between
/// each bin's value and its band's mean. Returns the bands as ranges of positions in `order`
/// and each band's row-weighted mean value. When the rows cannot fill two bands, one band.
pub fn bands(values: &[f64], rows: &[usize], order: &[usize], max_bands: usize, min_rows: usize) -> Vec<(std::ops::Range<usize>, f64)> {
    let m = order.len();
    if m == 0 {
        return Vec::new();
    }
    let max_bands = max_bands.max(1);
    // Prefix sums over `order` of w, w v, w v^2.
    let (mut pw, mut pv, mut pq) = (vec![0.0; m + 1], vec![0.0; m + 1], vec![0.0; m + 1]);
    let mut pc = vec![0usize; m + 1];
    for (k, &b) in order.iter().enumerate() {
        let w = rows[b] as f64;
        pw[k + 1] = pw[k] + w;
        pv[k + 1] = pv[k] + w * values[b];
        pq[k + 1] = pq[k] + w * values[b] * values[b];
        pc[k + 1] = pc[k] + rows[b];
    }
    let cost = |s: usize, e: usize| -> f64 {
        let w = pw[e] - pw[s];
        if w <= 0.0 {
            return 0.0;
        }
        let v = pv[e] - pv[s];
        ((pq[e] - pq[s]) - v * v / w).max(0.0)
    };
    let mean = |s: usize, e: usize| -> f64 {
        let w = pw[e] - pw[s];
        if w > 0.0 { (pv[e] - pv[s]) / w } else { 0.0 }
    };
    // dp[k][e]: least cost of splitting order[..e] into k+1 bands, each on >= min_rows rows.
    let inf = f64::INFINITY;
    let mut dp = vec![vec![inf; m + 1]; max_bands];
    let mut from = vec![vec![0usize; m + 1]; max_bands];
    for e in 1..=m {
        if pc[e] >= min_rows {
            dp[0][e] = cost(0, e);
        }
    }
    for k in 1..max_bands {
        for e in 1..=m {
            for s in 1..e {
                if dp[k - 1][s] < inf && pc[e] - pc[s] >= min_rows {
                    let c = dp[k - 1][s] + cost(s, e);
                    if c < dp[k][e] - 1e-15 {
                        dp[k][e] = c;
                        from[k][e] = s;
                    }
                }
            }
        }
    }
    // The fewest bands within a hair of the best cost.
    let best = (0..max_bands).map(|k| dp[k][m]).fold(inf, f64::min);
    if !best.is_finite() {
        return vec![(0..m, mean(0, m))];
    }
    let k = (0..max_bands).find(|&k| dp[k][m] <= best + 1e-12 * (1.0 + best.abs())).unwrap_or(0);
    let mut cuts = vec![m];
    let (mut kk, mut e) = (k, m);
    while kk > 0 {
        let s = from[kk][e];
        cuts.push(s);
        e = s;
        kk -= 1;
    }
    cuts.push(0);
    cuts.reverse();
    cuts.windows(2).map(|w| (w[0]..w[1], mean(w[0], w[1]))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::roc_auc;
    use rand::Rng;

    /// A U-shaped effect of x (20 bins: high at both ends), a step in a category, and a noise
    /// feature; outcome drawn from the true log-odds.
    fn data(n: usize, seed: u64) -> (Vec<Feature>, Vec<bool>, Vec<f64>) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (mut a, mut b, mut c, mut y, mut truth) = (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for _ in 0..n {
            let x: u16 = rng.random_range(0..20);
            let cat: u16 = rng.random_range(0..4);
            let noise: u16 = rng.random_range(0..10);
            let u = (f64::from(x) - 9.5) / 9.5;
            let z = -0.5 + 2.5 * u * u - 1.0 + if cat == 2 { 1.5 } else { 0.0 };
            a.push(x);
            b.push(cat);
            c.push(noise);
            truth.push(z);
            y.push(rng.random::<f64>() < sigmoid(z));
        }
        let f = vec![
            Feature { bins: 20, nominal: false, codes: a },
            Feature { bins: 4, nominal: true, codes: b },
            Feature { bins: 10, nominal: false, codes: c },
        ];
        (f, y, truth)
    }

    #[test]
    fn recovers_a_nonlinear_shape() {
        let (f, y, _) = data(8000, 1);
        let fit = fit_ebm(&f, &y, &EbmOptions { bags: 4, ..EbmOptions::default() }).unwrap();
        let s = &fit.shapes[0];
        // U shape: the ends well above the middle, by about the true 2.5 log-odds.
        let ends = (s[0] + s[19]) / 2.0;
        let middle = (s[9] + s[10]) / 2.0;
        assert!((ends - middle - 2.4).abs() < 0.5, "{s:?}");
        // The category step: bin 2 about 1.5 above the others.
        let c = &fit.shapes[1];
        let others = (c[0] + c[1] + c[3]) / 3.0;
        assert!((c[2] - others - 1.5).abs() < 0.3, "{c:?}");
        // The noise feature stays flat.
        let nz = &fit.shapes[2];
        let spread = nz.iter().copied().fold(f64::NEG_INFINITY, f64::max) - nz.iter().copied().fold(f64::INFINITY, f64::min);
        assert!(spread < 0.4, "{nz:?}");
        // Held out, the additive model ranks as well as the truth, far better than a line in x.
        let (ft, yt, truth) = data(4000, 2);
        let auc = roc_auc(&fit.logits(&ft), &yt).unwrap();
        let best = roc_auc(&truth, &yt).unwrap();
        assert!(best - auc < 0.01, "ebm {auc}, truth {best}");
        assert!(fit.rounds.iter().all(|&r| r > 10 && r < 5000), "{:?}", fit.rounds);
    }

    #[test]
    fn deterministic_and_centred() {
        let (f, y, _) = data(1500, 3);
        let o = EbmOptions { bags: 3, ..EbmOptions::default() };
        let a = fit_ebm(&f, &y, &o).unwrap();
        let b = fit_ebm(&f, &y, &o).unwrap();
        assert_eq!(a, b);
        for (feat, s) in f.iter().zip(&a.shapes) {
            let mean = feat.codes.iter().map(|&c| s[usize::from(c)]).sum::<f64>() / feat.codes.len() as f64;
            assert!(mean.abs() < 1e-9);
        }
        let c = fit_ebm(&f, &y, &EbmOptions { seed: 7, ..o }).unwrap();
        assert_ne!(a.shapes, c.shapes);
    }

    /// One bag on every row for a fixed number of rounds, written the plain way (two passes
    /// over the rows per tree: sum the gradient, then move the scores): `fit_bag`, which moves
    /// the scores in the pass that sums the next feature's gradient, gives exactly the same
    /// shapes.
    #[test]
    fn one_pass_per_tree_fits_as_two_passes_do() {
        let (f, y, _) = data(700, 5);
        let opts = EbmOptions { valid_share: 0.0, learning_rate: 0.05, ..EbmOptions::default() };
        let (b0, shapes, rounds) = fit_bag(&f, &y, &opts, 1);
        let pos = y.iter().filter(|&&t| t).count() as f64;
        let intercept = (pos / (y.len() as f64 - pos)).ln();
        let mut z = vec![intercept; y.len()];
        let mut reference: Vec<Vec<f64>> = f.iter().map(|f| vec![0.0; f.bins]).collect();
        for _ in 0..rounds {
            for (j, feat) in f.iter().enumerate() {
                let (mut g, mut h, mut c) = (vec![0.0; feat.bins], vec![0.0; feat.bins], vec![0usize; feat.bins]);
                for ((&code, &zi), &t) in feat.codes.iter().zip(&z).zip(&y) {
                    let p = sigmoid(zi);
                    g[usize::from(code)] += p - f64::from(u8::from(t));
                    h[usize::from(code)] += p * (1.0 - p);
                    c[usize::from(code)] += 1;
                }
                let delta = tree_update(&g, &h, &c, feat.nominal, &opts);
                for (s, d) in reference[j].iter_mut().zip(&delta) {
                    *s += d;
                }
                for (&code, zi) in feat.codes.iter().zip(z.iter_mut()) {
                    *zi += delta[usize::from(code)];
                }
            }
        }
        assert_eq!(rounds, 40);
        assert_eq!(b0, intercept);
        assert_eq!(shapes, reference);
    }

    #[test]
    fn rejects_bad_input() {
        let o = EbmOptions::default();
        let f = vec![Feature { bins: 2, nominal: false, codes: vec![0, 1] }];
        assert_eq!(fit_ebm(&f, &[], &o), Err(EbmError::Empty));
        assert_eq!(fit_ebm(&f, &[true, true], &o), Err(EbmError::SingleClass(true)));
        assert_eq!(fit_ebm(&[], &[true, false], &o), Err(EbmError::NoFeatures));
        let bad = vec![Feature { bins: 1, nominal: false, codes: vec![0, 1] }];
        assert_eq!(fit_ebm(&bad, &[true, false], &o), Err(EbmError::Bin { feature: 0, row: 1, bin: 1, bins: 1 }));
        assert!(matches!(fit_ebm(&f, &[true, false], &EbmOptions { max_leaves: 1, ..o }), Err(EbmError::Options(_))));
    }

    /// Known answer: one feature of two bins, 100 rows each with 20 and 60 positives. From a
    /// start of 0 everywhere and with a negligible penalty, the refit reaches the
    /// maximum-likelihood logits ln(20/80) and ln(60/40), and the log-likelihood rises to
    /// its maximum, 100 (0.2 ln 0.2 + 0.8 ln 0.8 + 0.6 ln 0.6 + 0.4 ln 0.4).
    #[test]
    fn refit_reaches_the_maximum_likelihood_of_the_bins() {
        let codes: Vec<u16> = (0..200).map(|i| u16::from(i >= 100)).collect();
        let y: Vec<bool> = (0..200).map(|i| if i < 100 { i < 20 } else { i < 160 }).collect();
        let f = vec![Feature { bins: 2, nominal: false, codes }];
        let r = refit(&f, &y, 0.0, &[vec![0.0, 0.0]], 1e-9, 50).unwrap();
        assert!((r.intercept + r.values[0][0] - (0.25f64).ln()).abs() < 1e-6, "{r:?}");
        assert!((r.intercept + r.values[0][1] - (1.5f64).ln()).abs() < 1e-6, "{r:?}");
        let best = 100.0 * (0.2 * 0.2f64.ln() + 0.8 * 0.8f64.ln() + 0.6 * 0.6f64.ln() + 0.4 * 0.4f64.ln());
        assert!((r.loglik_after - best).abs() < 1e-6, "{r:?}");
        assert!((r.loglik_before - 200.0 * 0.5f64.ln()).abs() < 1e-9);
        assert!(r.steps >= 2);
        // A large penalty keeps the values near their start; the intercept is free.
        let stiff = refit(&f, &y, 0.0, &[vec![0.0, 0.0]], 1e6, 50).unwrap();
        assert!(stiff.values[0].iter().all(|v| v.abs() < 1e-3), "{stiff:?}");
        assert!((stiff.intercept - (0.8f64 / 1.2).ln()).abs() < 1e-3, "{stiff:?}");
        assert!(matches!(refit(&f, &y, 0.0, &[vec![0.0]], 1.0, 5), Err(EbmError::Bin { .. })));
        assert!(matches!(refit(&f, &y, 0.0, &[vec![0.0, 0.0]], 0.0, 5), Err(EbmError::Options(_))));
    }

    /// The boosted shapes of the test data, merged into bands, lose likelihood; the refit of
    /// the band values gets some back, and is deterministic.
    #[test]
    fn refit_recovers_what_banding_lost() {
        let (f, y, _) = data(3000, 4);
        let fit = fit_ebm(&f, &y, &EbmOptions { bags: 2, ..EbmOptions::default() }).unwrap();
        let mut banded = Vec::new();
        let mut values = Vec::new();
        for (feat, shape) in f.iter().zip(&fit.shapes) {
            let mut rows = vec![0usize; feat.bins];
            for &c in &feat.codes {
                rows[usize::from(c)] += 1;
            }
            let order: Vec<usize> = (0..feat.bins).collect();
            let b = bands(shape, &rows, &order, 2, 30);
            let mut band_of = vec![0u16; feat.bins];
            for (k, (r, _)) in b.iter().enumerate() {
                for &s in &order[r.clone()] {
                    band_of[s] = k as u16;
                }
            }
            banded.push(Feature { bins: b.len(), nominal: false, codes: feat.codes.iter().map(|&c| band_of[usize::from(c)]).collect() });
            values.push(b.iter().map(|(_, v)| *v).collect::<Vec<f64>>());
        }
        let r = refit(&banded, &y, fit.intercept, &values, 10.0, 10).unwrap();
        assert!(r.loglik_after > r.loglik_before + 0.5, "{} -> {}", r.loglik_before, r.loglik_after);
        assert_eq!(r, refit(&banded, &y, fit.intercept, &values, 10.0, 10).unwrap());
    }

    /// A step shape over 12 bins (three plateaus) merges into exactly its three plateaus; with
    /// a floor of rows per band above a plateau's rows, the small plateau joins a neighbour.
    #[test]
    fn bands_find_plateaus() {
        let values = [0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, -2.0, -2.0, -2.0, -2.0];
        let rows = [10; 12];
        let order: Vec<usize> = (0..12).collect();
        let b = bands(&values, &rows, &order, 8, 10);
        assert_eq!(b, vec![(0..4, 0.0), (4..8, 1.0), (8..12, -2.0)]);
        let b = bands(&values, &rows, &order, 2, 10);
        assert_eq!(b.len(), 2);
        assert_eq!(b[1], (8..12, -2.0));
        let b = bands(&values, &rows, &order, 8, 50);
        assert_eq!(b.len(), 2);
        assert!(b.iter().all(|(r, _)| r.len() * 10 >= 50), "{b:?}");
        // Too few rows for even one full band: one band.
        assert_eq!(bands(&values, &rows, &order, 8, 1000).len(), 1);
    }

    mod props {
        use super::super::{Feature, bands, refit};
        use proptest::prelude::*;

        proptest! {
            /// Whatever the starting values and the penalty, the refit never lowers the
            /// training log-likelihood.
            #[test]
            fn refit_never_lowers_the_loglik(
                rows in proptest::collection::vec((0u16..4, 0u16..3, proptest::bool::ANY), 5..80),
                start in proptest::collection::vec(-4.0f64..4.0, 8),
                l2 in 0.01f64..100.0,
            ) {
                let y: Vec<bool> = rows.iter().map(|r| r.2).collect();
                let f = vec![
                    Feature { bins: 4, nominal: false, codes: rows.iter().map(|r| r.0).collect() },
                    Feature { bins: 3, nominal: true, codes: rows.iter().map(|r| r.1).collect() },
                ];
                let r = refit(&f, &y, start[7], &[start[..4].to_vec(), start[4..7].to_vec()], l2, 10).unwrap();
                prop_assert!(r.loglik_after >= r.loglik_before - 1e-9, "{} -> {}", r.loglik_before, r.loglik_after);
                prop_assert!(r.values.iter().flatten().all(|v| v.is_finite()) && r.intercept.is_finite());
            }
        }

        proptest! {
            /// Bands cover every position once, in order, never more than asked, each on
            /// enough rows (when the total allows), and their means lie within the values.
            #[test]
            fn bands_partition(values in proptest::collection::vec(-3.0f64..3.0, 1..40), seed in 0usize..1000, max in 1usize..9, min_rows in 0usize..60) {
                let m = values.len();
                let rows: Vec<usize> = (0..m).map(|i| (i * 7 + seed) % 13).collect();
                let order: Vec<usize> = (0..m).collect();
                let b = bands(&values, &rows, &order, max, min_rows);
                prop_assert!(!b.is_empty() && b.len() <= max);
                prop_assert_eq!(b[0].0.start, 0);
                prop_assert_eq!(b[b.len() - 1].0.end, m);
                for w in b.windows(2) {
                    prop_assert_eq!(w[0].0.end, w[1].0.start);
                }
                let total: usize = rows.iter().sum();
                if b.len() > 1 {
                    for (r, _) in &b {
                        prop_assert!(rows[r.clone()].iter().sum::<usize>() >= min_rows);
                    }
                }
                if total >= min_rows && total > 0 {
                    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
                    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    for (r, v) in b.iter().filter(|(r, _)| rows[r.clone()].iter().sum::<usize>() > 0) {
                        prop_assert!(*v >= lo - 1e-9 && *v <= hi + 1e-9, "{:?} {}", r, v);
                    }
                }
            }
        }
    }
}
