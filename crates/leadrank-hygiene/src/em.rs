//! Weights learned from the data without labels: the Fellegi-Sunter model fitted by
//! expectation maximisation.
//!
//! Each compared field of a pair falls in one comparison level ([`Level`]): absent (either
//! value missing: no evidence), different, fuzzy, close or exact. For a level `l` of field
//! `f`, `m[f][l]` is the probability of that level among true matches and `u[f][l]` among
//! non-matches; a pair's match weight is `log2(λ / (1 - λ)) + Σ log2(m / u)` over its
//! present fields, and its match probability `2^w / (1 + 2^w)`, where `λ` is the share of
//! matches among the compared pairs.
//!
//! `u` comes either from random pairs of records (almost all non-matches, as Splink does)
//! or from the EM itself on the compared pairs (as recordlinkage's ECM does); `m` and `λ`
//! always come from EM on the compared (blocked) pairs. The EM works on a histogram of the
//! distinct comparison patterns, so its cost does not grow with the number of pairs, and it
//! is deterministic: the histogram is sorted and the iteration has no randomness.

use serde::Serialize;

/// A field's comparison levels, in pattern order (3 bits per field).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Either value is missing: the field says nothing.
    Absent = 0,
    /// Similarity below the field's `min_similarity`.
    Different = 1,
    /// Similarity from `min_similarity` to the midpoint between it and 1.
    Fuzzy = 2,
    /// Similarity from that midpoint up to (not including) 1.
    Close = 3,
    /// The same normalised value (similarity 1).
    Exact = 4,
}

/// The number of levels, [`Level::Absent`] included.
pub const LEVELS: usize = 5;
/// Bits per field in a pattern.
const BITS: u32 = 3;
/// The most fields a pattern holds (3 bits each in a `u64`).
pub const MAX_FIELDS: usize = 21;
/// The levels' names, by index.
pub const LEVEL_NAMES: [&str; LEVELS] = ["absent", "different", "fuzzy", "close", "exact"];

impl Level {
    /// The level of a similarity for a field whose values differ below `min_similarity`.
    pub fn of(similarity: f64, min_similarity: f64) -> Level {
        if similarity >= 0.9999 {
            Level::Exact
        } else if similarity >= (1.0 + min_similarity) / 2.0 {
            Level::Close
        } else if similarity >= min_similarity {
            Level::Fuzzy
        } else {
            Level::Different
        }
    }

    /// The level's name.
    pub fn name(self) -> &'static str {
        LEVEL_NAMES[self as usize]
    }
}

/// The comparison levels of all fields of one pair, 3 bits per field (field 0 lowest).
pub type Pattern = u64;

/// Sets field `field`'s level in a pattern (the field's bits must be zero).
pub fn with_level(pattern: Pattern, field: usize, level: Level) -> Pattern {
    pattern | ((level as u64) << (BITS * field as u32))
}

/// Field `field`'s level index in a pattern.
pub fn level_at(pattern: Pattern, field: usize) -> usize {
    ((pattern >> (BITS * field as u32)) & 0b111) as usize
}

/// Counts of distinct patterns, sorted by pattern (the input of the EM).
pub type Histogram = Vec<(Pattern, u64)>;

/// A sorted histogram of patterns.
pub fn histogram(patterns: impl IntoIterator<Item = Pattern>) -> Histogram {
    let mut counts: rustc_hash::FxHashMap<Pattern, u64> = rustc_hash::FxHashMap::default();
    for p in patterns {
        *counts.entry(p).or_default() += 1;
    }
    sorted(counts)
}

/// Adds two histograms (for parallel counting).
pub fn merge_histograms(a: Histogram, b: Histogram) -> Histogram {
    let mut counts: rustc_hash::FxHashMap<Pattern, u64> = a.into_iter().collect();
    for (p, c) in b {
        *counts.entry(p).or_default() += c;
    }
    sorted(counts)
}

fn sorted(counts: rustc_hash::FxHashMap<Pattern, u64>) -> Histogram {
    let mut v: Histogram = counts.into_iter().collect();
    v.sort_unstable();
    v
}

/// The histogram of patterns with, per distinct pattern, the sum of the pairs' starting
/// match probabilities (given in millionths, summed exactly, returned as a probability
/// sum): the EM's first E step. Deterministic whatever the order of the pairs.
pub fn start_histogram(patterns: &[Pattern], start: &[u32]) -> (Histogram, Vec<f64>) {
    let mut counts: rustc_hash::FxHashMap<Pattern, (u64, u64)> = rustc_hash::FxHashMap::default();
    for (&p, &s) in patterns.iter().zip(start) {
        let e = counts.entry(p).or_default();
        e.0 += 1;
        e.1 += u64::from(s);
    }
    start_histogram_of(counts)
}

/// [`start_histogram`] from counts already made: per pattern, the number of pairs and the
/// sum of their start probabilities in millionths.
pub fn start_histogram_of(counts: rustc_hash::FxHashMap<Pattern, (u64, u64)>) -> (Histogram, Vec<f64>) {
    let mut v: Vec<(Pattern, (u64, u64))> = counts.into_iter().collect();
    v.sort_unstable();
    (v.iter().map(|&(p, (c, _))| (p, c)).collect(), v.iter().map(|&(_, (_, s))| s as f64 / 1e6).collect())
}

/// Where `u` comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum USource {
    /// From random pairs of records (fixed during the EM).
    Random,
    /// Estimated by the EM on the compared pairs, starting from the random-pair estimate.
    #[default]
    Em,
}

/// Settings of the fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FitSettings {
    pub max_iterations: usize,
    /// Stop when no parameter moves more than this in an iteration.
    pub tolerance: f64,
    pub u_source: USource,
    /// Pseudo-count added to every present level's count (keeps empty levels finite).
    pub pseudo_count: f64,
}

impl Default for FitSettings {
    fn default() -> Self {
        FitSettings { max_iterations: 100, tolerance: 1e-6, u_source: USource::Random, pseudo_count: 1.0 }
    }
}

/// The m and u probabilities of one field's present levels (index = [`Level`] as usize;
/// index 0, absent, is unused and 0).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldWeights {
    pub m: [f64; LEVELS],
    pub u: [f64; LEVELS],
    /// Compared pairs with each level (blocked pairs), for the report.
    pub pairs: [u64; LEVELS],
}

impl FieldWeights {
    /// `log2(m / u)` of a level; 0 for absent.
    pub fn weight(&self, level: usize) -> f64 {
        if level == 0 || level >= LEVELS { 0.0 } else { (self.m[level] / self.u[level]).log2() }
    }
}

/// A fitted Fellegi-Sunter model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Model {
    /// The share of matches among the compared pairs.
    pub lambda: f64,
    pub fields: Vec<FieldWeights>,
    pub iterations: usize,
    /// Whether the EM stopped by the tolerance (false: it hit `max_iterations`).
    pub converged: bool,
    pub u_source: USource,
    /// Compared pairs the EM ran on, and random pairs u was first estimated from.
    pub compared_pairs: u64,
    pub random_pairs: u64,
    /// Per field and level `log2(m / u)`, computed once.
    #[serde(skip)]
    table: Vec<[f64; LEVELS]>,
}

impl Model {
    fn new(lambda: f64, fields: Vec<FieldWeights>) -> Model {
        let table = fields.iter().map(|f| std::array::from_fn(|l| f.weight(l))).collect();
        Model { lambda, fields, iterations: 0, converged: false, u_source: USource::Random, compared_pairs: 0, random_pairs: 0, table }
    }

    /// `log2(λ / (1 - λ))`: the match weight of a pair about which nothing is known.
    pub fn prior_weight(&self) -> f64 {
        (self.lambda / (1.0 - self.lambda)).log2()
    }

    /// `log2(m / u)` of field `field` at level index `level`.
    pub fn level_weight(&self, field: usize, level: usize) -> f64 {
        self.table.get(field).map_or(0.0, |t| t[level.min(LEVELS - 1)])
    }

    /// The match weight of a pattern: the prior weight plus every field's `log2(m / u)`.
    pub fn match_weight(&self, pattern: Pattern) -> f64 {
        self.prior_weight() + (0..self.fields.len()).map(|f| self.level_weight(f, level_at(pattern, f))).sum::<f64>()
    }

    /// The match probability of a pattern.
    pub fn probability(&self, pattern: Pattern) -> f64 {
        probability_of_weight(self.match_weight(pattern))
    }
}

/// `2^w / (1 + 2^w)`, stable for large |w|.
pub fn probability_of_weight(w: f64) -> f64 {
    if w >= 0.0 { 1.0 / (1.0 + (-w).exp2()) } else { w.exp2() / (1.0 + w.exp2()) }
}

/// The match weight at which the probability is `p` (0 < p < 1).
pub fn weight_of_probability(p: f64) -> f64 {
    (p / (1.0 - p)).log2()
}

/// Per-level probabilities from random pairs (all taken as non-matches), smoothed by
/// `pseudo_count` per present level.
pub fn u_from_random(random: &[(Pattern, u64)], fields: usize, pseudo_count: f64) -> Vec<[f64; LEVELS]> {
    let mut counts = vec![[0.0; LEVELS]; fields];
    for &(p, c) in random {
        for (f, row) in counts.iter_mut().enumerate() {
            row[level_at(p, f)] += c as f64;
        }
    }
    counts.iter().map(|row| normalise(row, pseudo_count)).collect()
}

/// Present levels' counts to probabilities (absent left 0), with a pseudo-count each.
fn normalise(row: &[f64; LEVELS], pseudo_count: f64) -> [f64; LEVELS] {
    let total: f64 = row[1..].iter().sum::<f64>() + pseudo_count * (LEVELS - 1) as f64;
    let mut out = [0.0; LEVELS];
    for l in 1..LEVELS {
        out[l] = if total > 0.0 { (row[l] + pseudo_count) / total } else { 1.0 / (LEVELS - 1) as f64 };
    }
    out
}

/// The starting m: most matches agree exactly, few differ.
const M_START: [f64; LEVELS] = [0.0, 0.05, 0.1, 0.15, 0.7];

/// Fits the model by EM on the histogram of the compared pairs, `u` starting from (and with
/// [`USource::Random`] fixed at) `u_start`. `start`, when given, is per histogram entry the
/// sum of its pairs' starting match probabilities (for instance from hand-set weights): the
/// first M step starts from them. Without it, m starts at a generic guess and λ at 0.1.
pub fn fit(compared: &[(Pattern, u64)], u_start: Vec<[f64; LEVELS]>, start: Option<&[f64]>, settings: &FitSettings) -> Model {
    let fields = u_start.len();
    let mut m: Vec<[f64; LEVELS]> = vec![M_START; fields];
    let mut u = u_start;
    let mut lambda: f64 = 0.1;
    let total: u64 = compared.iter().map(|&(_, c)| c).sum();
    if let Some(start) = start.filter(|s| s.len() == compared.len() && total > 0) {
        let mut mc = vec![[0.0f64; LEVELS]; fields];
        let mut uc = vec![[0.0f64; LEVELS]; fields];
        let mut matches = 0.0;
        for (&(p, c), &pm) in compared.iter().zip(start) {
            let pm = pm.clamp(0.0, c as f64);
            matches += pm;
            for f in 0..fields {
                let l = level_at(p, f);
                mc[f][l] += pm;
                uc[f][l] += c as f64 - pm;
            }
        }
        lambda = (matches / total as f64).clamp(1e-6, 1.0 - 1e-6);
        for f in 0..fields {
            m[f] = normalise(&mc[f], settings.pseudo_count * 0.01);
            if settings.u_source == USource::Em {
                u[f] = normalise(&uc[f], settings.pseudo_count * 0.01);
            }
        }
    }
    let mut iterations = 0;
    let mut converged = false;
    while iterations < settings.max_iterations && total > 0 {
        iterations += 1;
        // E step: the match probability of each pattern; M step: expected counts.
        let mut mc = vec![[0.0f64; LEVELS]; fields];
        let mut uc = vec![[0.0f64; LEVELS]; fields];
        let mut matches = 0.0;
        for &(p, c) in compared {
            let mut w = (lambda / (1.0 - lambda)).log2();
            for f in 0..fields {
                let l = level_at(p, f);
                if l != 0 {
                    w += (m[f][l] / u[f][l]).log2();
                }
            }
            let pm = probability_of_weight(w) * c as f64;
            let pu = c as f64 - pm;
            matches += pm;
            for f in 0..fields {
                let l = level_at(p, f);
                mc[f][l] += pm;
                uc[f][l] += pu;
            }
        }
        let new_lambda = (matches / total as f64).clamp(1e-9, 1.0 - 1e-9);
        let mut change = (new_lambda - lambda).abs();
        lambda = new_lambda;
        for f in 0..fields {
            let nm = normalise(&mc[f], settings.pseudo_count * 0.01);
            change = (1..LEVELS).map(|l| (nm[l] - m[f][l]).abs()).fold(change, f64::max);
            m[f] = nm;
            if settings.u_source == USource::Em {
                let nu = normalise(&uc[f], settings.pseudo_count * 0.01);
                change = (1..LEVELS).map(|l| (nu[l] - u[f][l]).abs()).fold(change, f64::max);
                u[f] = nu;
            }
        }
        if change < settings.tolerance {
            converged = true;
            break;
        }
    }
    let mut pairs = vec![[0u64; LEVELS]; fields];
    for &(p, c) in compared {
        for (f, row) in pairs.iter_mut().enumerate() {
            row[level_at(p, f)] += c;
        }
    }
    let weights = (0..fields).map(|f| FieldWeights { m: m[f], u: u[f], pairs: pairs[f] }).collect();
    let mut model = Model::new(lambda, weights);
    model.iterations = iterations;
    model.converged = converged;
    model.u_source = settings.u_source;
    model.compared_pairs = total;
    model
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labelled::Rng;
    use proptest::prelude::*;

    /// Draws a level from a distribution over the present levels.
    fn draw(rng: &mut Rng, dist: &[f64; LEVELS]) -> Level {
        let x = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let mut acc = 0.0;
        for (l, level) in [Level::Different, Level::Fuzzy, Level::Close, Level::Exact].into_iter().enumerate() {
            acc += dist[l + 1];
            if x < acc {
                return level;
            }
        }
        Level::Exact
    }

    fn sample(rng: &mut Rng, n: usize, lambda: f64, m: &[[f64; LEVELS]], u: &[[f64; LEVELS]]) -> Vec<Pattern> {
        (0..n)
            .map(|_| {
                let is_match = rng.chance(lambda);
                (0..m.len()).fold(0, |p, f| with_level(p, f, draw(rng, if is_match { &m[f] } else { &u[f] })))
            })
            .collect()
    }

    const TRUE_M: [[f64; LEVELS]; 3] = [[0.0, 0.05, 0.05, 0.1, 0.8], [0.0, 0.1, 0.1, 0.1, 0.7], [0.0, 0.02, 0.03, 0.05, 0.9]];
    const TRUE_U: [[f64; LEVELS]; 3] = [[0.0, 0.8, 0.1, 0.05, 0.05], [0.0, 0.6, 0.2, 0.1, 0.1], [0.0, 0.9, 0.05, 0.03, 0.02]];

    #[test]
    fn levels_split_the_similarity_range() {
        assert_eq!(Level::of(1.0, 0.8), Level::Exact);
        assert_eq!(Level::of(0.95, 0.8), Level::Close);
        assert_eq!(Level::of(0.9, 0.8), Level::Close);
        assert_eq!(Level::of(0.85, 0.8), Level::Fuzzy);
        assert_eq!(Level::of(0.5, 0.8), Level::Different);
        let p = with_level(with_level(0, 0, Level::Exact), 2, Level::Fuzzy);
        assert_eq!((level_at(p, 0), level_at(p, 1), level_at(p, 2)), (4, 0, 2));
    }

    #[test]
    fn em_recovers_the_parameters_of_generated_pairs() {
        let mut rng = Rng::new(42);
        let compared = histogram(sample(&mut rng, 200_000, 0.2, &TRUE_M, &TRUE_U));
        let random = histogram(sample(&mut rng, 200_000, 0.0, &TRUE_M, &TRUE_U));
        for source in [USource::Random, USource::Em] {
            let settings = FitSettings { u_source: source, ..FitSettings::default() };
            let model = fit(&compared, u_from_random(&random, 3, 1.0), None, &settings);
            assert!(model.converged, "{model:?}");
            assert!((model.lambda - 0.2).abs() < 0.01, "{source:?} lambda {}", model.lambda);
            for f in 0..3 {
                for l in 1..LEVELS {
                    assert!((model.fields[f].m[l] - TRUE_M[f][l]).abs() < 0.02, "{source:?} m[{f}][{l}] {model:?}");
                    assert!((model.fields[f].u[l] - TRUE_U[f][l]).abs() < 0.02, "{source:?} u[{f}][{l}] {model:?}");
                }
            }
            // An all-exact pair is a match, an all-different one is not.
            let all = |l: Level| (0..3).fold(0, |p, f| with_level(p, f, l));
            assert!(model.probability(all(Level::Exact)) > 0.99);
            assert!(model.probability(all(Level::Different)) < 0.01);
            // Absent fields say nothing.
            assert!((model.match_weight(0) - model.prior_weight()).abs() < 1e-12);
        }
    }

    #[test]
    fn the_fit_is_deterministic() {
        let mut rng = Rng::new(7);
        let compared = histogram(sample(&mut rng, 20_000, 0.3, &TRUE_M, &TRUE_U));
        let random = histogram(sample(&mut rng, 20_000, 0.0, &TRUE_M, &TRUE_U));
        let a = fit(&compared, u_from_random(&random, 3, 1.0), None, &FitSettings::default());
        let b = fit(&compared, u_from_random(&random, 3, 1.0), None, &FitSettings::default());
        assert_eq!(a, b);
        let halves = merge_histograms(histogram(sample(&mut Rng::new(1), 10, 0.5, &TRUE_M, &TRUE_U)), histogram([0, 0, 5]));
        assert_eq!(halves.iter().map(|h| h.1).sum::<u64>(), 13);
        assert!(halves.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn a_start_from_other_weights_converges_to_the_same_fit() {
        let mut rng = Rng::new(9);
        let patterns = sample(&mut rng, 100_000, 0.25, &TRUE_M, &TRUE_U);
        let random = histogram(sample(&mut rng, 50_000, 0.0, &TRUE_M, &TRUE_U));
        // A rough start: pairs with two or more exact fields are likely matches.
        let start: Vec<u32> =
            patterns.iter().map(|&p| if (0..3).filter(|&f| level_at(p, f) == 4).count() >= 2 { 900_000 } else { 50_000 }).collect();
        let (compared, starts) = start_histogram(&patterns, &start);
        assert_eq!(compared, histogram(patterns.iter().copied()));
        let expected: f64 = start.iter().map(|&s| f64::from(s) / 1e6).sum();
        assert!((starts.iter().sum::<f64>() - expected).abs() < 1e-6);
        let settings = FitSettings { u_source: USource::Em, ..FitSettings::default() };
        let model = fit(&compared, u_from_random(&random, 3, 1.0), Some(&starts), &settings);
        assert!((model.lambda - 0.25).abs() < 0.01, "{}", model.lambda);
        assert!((model.fields[2].m[4] - 0.9).abs() < 0.02, "{model:?}");
    }

    #[test]
    fn probabilities_and_weights_convert() {
        for p in [0.001, 0.5, 0.9, 0.999] {
            assert!((probability_of_weight(weight_of_probability(p)) - p).abs() < 1e-12);
        }
        assert_eq!(probability_of_weight(2000.0), 1.0);
        assert_eq!(probability_of_weight(-2000.0), 0.0);
    }

    proptest! {
        #[test]
        fn any_histogram_gives_finite_weights_and_probabilities(
            counts in proptest::collection::vec((0u64..(1 << 9), 1u64..1000), 1..60),
            random in proptest::collection::vec((0u64..(1 << 9), 1u64..1000), 0..60),
            start in 0.0f64..1.0,
            em_u in any::<bool>(),
        ) {
            // Patterns of 3 fields; level codes 5-7 are out of range and read as exact.
            let fix = |v: Vec<(u64, u64)>| histogram(v.into_iter().flat_map(|(p, c)| {
                let p = (0..3).fold(0, |q, f| q | ((level_at(p, f).min(4) as u64) << (3 * f)));
                std::iter::repeat_n(p, c as usize)
            }));
            let settings = FitSettings { u_source: if em_u { USource::Em } else { USource::Random }, max_iterations: 30, ..FitSettings::default() };
            let compared = fix(counts.clone());
            let starts: Vec<f64> = compared.iter().map(|&(_, c)| c as f64 * start).collect();
            let model = fit(&compared, u_from_random(&fix(random), 3, 1.0), Some(&starts), &settings);
            prop_assert!(model.lambda > 0.0 && model.lambda < 1.0);
            for f in &model.fields {
                let (sm, su): (f64, f64) = (f.m[1..].iter().sum(), f.u[1..].iter().sum());
                prop_assert!((sm - 1.0).abs() < 1e-9 && (su - 1.0).abs() < 1e-9, "{:?}", f);
                prop_assert!(f.m[1..].iter().chain(&f.u[1..]).all(|&x| x > 0.0));
            }
            for &(p, _) in &fix(counts) {
                let w = model.match_weight(p);
                prop_assert!(w.is_finite());
                let pr = model.probability(p);
                prop_assert!((0.0..=1.0).contains(&pr));
            }
        }
    }
}
