//! How well a score separates positives (won) from negatives: ROC AUC, conversion and lift by
//! decile, precision and recall at a threshold, Brier score and reliability tables.
//!
//! Every function is invariant under permutations of its input (ties are resolved by value,
//! never by position) and ignores nothing silently: inputs of different lengths are an error
//! of the caller and panic in debug builds only through `zip` truncation being avoided by the
//! `assert_eq!`s below.

use serde::Serialize;

/// Area under the ROC curve of `scores` against `labels` (true = positive), with ties counted
/// as one half (the Mann-Whitney statistic). `None` when there is no positive or no negative.
pub fn roc_auc(scores: &[f64], labels: &[bool]) -> Option<f64> {
    assert_eq!(scores.len(), labels.len(), "roc_auc: scores and labels differ in length");
    let pos = labels.iter().filter(|&&l| l).count();
    let neg = labels.len() - pos;
    if pos == 0 || neg == 0 {
        return None;
    }
    let mut idx: Vec<usize> = (0..scores.len()).collect();
    idx.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    // Sum of the (mid)ranks of the positives.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && scores[idx[j + 1]].total_cmp(&scores[idx[i]]).is_eq() {
            j += 1;
        }
        let mid = (i + j) as f64 / 2.0 + 1.0;
        let p = idx[i..=j].iter().filter(|&&k| labels[k]).count();
        rank_sum += mid * p as f64;
        i = j + 1;
    }
    let (p, n) = (pos as f64, neg as f64);
    Some((rank_sum - p * (p + 1.0) / 2.0) / (p * n))
}

/// The decile (1 = best) of each item when ranked by score, highest first. Tied scores always
/// share a decile: a tie group goes where its middle position falls. Deciles may therefore be
/// uneven, or empty when many scores tie.
pub fn deciles(scores: &[f64]) -> Vec<u8> {
    quantile_groups(scores, 10)
}

/// Like [`deciles`] with `groups` groups (1 = best).
pub fn quantile_groups(scores: &[f64], groups: usize) -> Vec<u8> {
    let n = scores.len();
    let mut out = vec![0u8; n];
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && scores[idx[j + 1]].total_cmp(&scores[idx[i]]).is_eq() {
            j += 1;
        }
        let mid = (i + j) as f64 / 2.0;
        let g = ((mid * groups as f64 / n as f64).floor() as usize).min(groups - 1) + 1;
        for &k in &idx[i..=j] {
            out[k] = g as u8;
        }
        i = j + 1;
    }
    out
}

/// Conversion, lift and value captured in one score decile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecileRow {
    /// 1 = the best-scored tenth.
    pub decile: u8,
    pub leads: usize,
    pub positives: usize,
    pub min_score: Option<f64>,
    pub max_score: Option<f64>,
    /// positives / leads.
    pub rate: Option<f64>,
    /// rate / overall rate.
    pub lift: Option<f64>,
    /// Sum of the items' values (e.g. won revenue).
    pub value: f64,
    /// Share of all positives in this decile and the better ones.
    pub cumulative_capture: Option<f64>,
    /// Share of all value in this decile and the better ones.
    pub cumulative_value_share: Option<f64>,
}

/// Conversion and lift by score decile. `values` (e.g. revenue per item) may be empty.
pub fn decile_table(scores: &[f64], labels: &[bool], values: &[f64]) -> Vec<DecileRow> {
    assert_eq!(scores.len(), labels.len(), "decile_table: scores and labels differ in length");
    assert!(values.is_empty() || values.len() == scores.len(), "decile_table: values length");
    let d = deciles(scores);
    let total_pos = labels.iter().filter(|&&l| l).count();
    let total_value: f64 = values.iter().sum();
    let overall = (!scores.is_empty()).then(|| total_pos as f64 / scores.len() as f64);
    let (mut cum_pos, mut cum_val) = (0usize, 0.0);
    (1..=10u8)
        .map(|g| {
            let members: Vec<usize> = (0..scores.len()).filter(|&i| d[i] == g).collect();
            let positives = members.iter().filter(|&&i| labels[i]).count();
            let value: f64 = if values.is_empty() { 0.0 } else { members.iter().map(|&i| values[i]).sum() };
            cum_pos += positives;
            cum_val += value;
            let rate = (!members.is_empty()).then(|| positives as f64 / members.len() as f64);
            DecileRow {
                decile: g,
                leads: members.len(),
                positives,
                min_score: members.iter().map(|&i| scores[i]).min_by(f64::total_cmp),
                max_score: members.iter().map(|&i| scores[i]).max_by(f64::total_cmp),
                rate,
                lift: match (rate, overall) {
                    (Some(r), Some(o)) if o > 0.0 => Some(r / o),
                    _ => None,
                },
                value,
                cumulative_capture: (total_pos > 0).then(|| cum_pos as f64 / total_pos as f64),
                cumulative_value_share: (total_value > 0.0).then(|| cum_val / total_value),
            }
        })
        .collect()
}

/// The confusion matrix of "score >= threshold" against the labels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Confusion {
    pub threshold: f64,
    pub true_pos: usize,
    pub false_pos: usize,
    pub false_neg: usize,
    pub true_neg: usize,
    /// true_pos / flagged.
    pub precision: Option<f64>,
    /// true_pos / positives.
    pub recall: Option<f64>,
    /// Share of items flagged.
    pub flagged_share: Option<f64>,
}

/// Precision and recall of flagging items whose score is at least `threshold`.
pub fn confusion_at(scores: &[f64], labels: &[bool], threshold: f64) -> Confusion {
    assert_eq!(scores.len(), labels.len(), "confusion_at: scores and labels differ in length");
    let (mut tp, mut fp, mut fneg, mut tn) = (0, 0, 0, 0);
    for (&s, &l) in scores.iter().zip(labels) {
        match (s >= threshold, l) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fneg += 1,
            (false, false) => tn += 1,
        }
    }
    Confusion {
        threshold,
        true_pos: tp,
        false_pos: fp,
        false_neg: fneg,
        true_neg: tn,
        precision: (tp + fp > 0).then(|| tp as f64 / (tp + fp) as f64),
        recall: (tp + fneg > 0).then(|| tp as f64 / (tp + fneg) as f64),
        flagged_share: (!scores.is_empty()).then(|| (tp + fp) as f64 / scores.len() as f64),
    }
}

/// Mean squared error of probabilities against 0/1 outcomes; `None` when empty.
pub fn brier(probs: &[f64], labels: &[bool]) -> Option<f64> {
    assert_eq!(probs.len(), labels.len(), "brier: probs and labels differ in length");
    (!probs.is_empty())
        .then(|| probs.iter().zip(labels).map(|(&p, &l)| (p - f64::from(u8::from(l))).powi(2)).sum::<f64>() / probs.len() as f64)
}

/// Mean log loss (natural log), probabilities clipped to [1e-15, 1 - 1e-15].
pub fn log_loss(probs: &[f64], labels: &[bool]) -> Option<f64> {
    assert_eq!(probs.len(), labels.len(), "log_loss: probs and labels differ in length");
    (!probs.is_empty()).then(|| {
        probs
            .iter()
            .zip(labels)
            .map(|(&p, &l)| {
                let p = p.clamp(1e-15, 1.0 - 1e-15);
                if l { -p.ln() } else { -(1.0 - p).ln() }
            })
            .sum::<f64>()
            / probs.len() as f64
    })
}

/// One bin of a reliability table: predicted against observed frequency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReliabilityBin {
    pub lo: f64,
    pub hi: f64,
    pub count: usize,
    pub mean_predicted: Option<f64>,
    pub observed: Option<f64>,
}

/// Reliability table with `bins` equal-width bins on [0, 1] (the last bin includes 1).
pub fn reliability(probs: &[f64], labels: &[bool], bins: usize) -> Vec<ReliabilityBin> {
    assert_eq!(probs.len(), labels.len(), "reliability: probs and labels differ in length");
    let bins = bins.max(1);
    let mut sum_p = vec![0.0; bins];
    let mut pos = vec![0usize; bins];
    let mut cnt = vec![0usize; bins];
    for (&p, &l) in probs.iter().zip(labels) {
        let b = ((p.clamp(0.0, 1.0) * bins as f64) as usize).min(bins - 1);
        sum_p[b] += p;
        cnt[b] += 1;
        pos[b] += usize::from(l);
    }
    (0..bins)
        .map(|b| ReliabilityBin {
            lo: b as f64 / bins as f64,
            hi: (b + 1) as f64 / bins as f64,
            count: cnt[b],
            mean_predicted: (cnt[b] > 0).then(|| sum_p[b] / cnt[b] as f64),
            observed: (cnt[b] > 0).then(|| pos[b] as f64 / cnt[b] as f64),
        })
        .collect()
}

/// The logistic function.
pub fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_known_answers() {
        // Positives 0.9, 0.4; negatives 0.6, 0.1: pairs (0.9>0.6, 0.9>0.1, 0.4<0.6, 0.4>0.1) = 3/4.
        assert_eq!(roc_auc(&[0.9, 0.6, 0.4, 0.1], &[true, false, true, false]), Some(0.75));
        // A tie between a positive and a negative counts one half.
        assert_eq!(roc_auc(&[1.0, 1.0], &[true, false]), Some(0.5));
        assert_eq!(roc_auc(&[3.0, 2.0, 1.0], &[true, true, false]), Some(1.0));
        assert_eq!(roc_auc(&[3.0, 2.0, 1.0], &[false, false, true]), Some(1.0 - 1.0));
        assert_eq!(roc_auc(&[1.0, 2.0], &[true, true]), None);
    }

    #[test]
    fn deciles_known_answers() {
        let scores: Vec<f64> = (0..20).map(f64::from).collect();
        let d = deciles(&scores);
        assert_eq!(d[19], 1);
        assert_eq!(d[18], 1);
        assert_eq!(d[17], 2);
        assert_eq!(d[0], 10);
        // All tied: one group, in the decile of the middle position.
        assert!(deciles(&[5.0; 10]).iter().all(|&g| g == 5));
    }

    #[test]
    fn decile_table_known_answers() {
        // 10 items, one per decile; positives at scores 9 and 8; overall rate 0.2.
        let scores: Vec<f64> = (0..10).map(f64::from).collect();
        let labels: Vec<bool> = (0..10).map(|i| i >= 8).collect();
        let values: Vec<f64> = (0..10).map(|i| if i >= 8 { 100.0 } else { 0.0 }).collect();
        let t = decile_table(&scores, &labels, &values);
        assert_eq!(t[0].leads, 1);
        assert_eq!(t[0].rate, Some(1.0));
        assert_eq!(t[0].lift, Some(5.0));
        assert_eq!(t[0].cumulative_capture, Some(0.5));
        assert_eq!(t[1].cumulative_capture, Some(1.0));
        assert_eq!(t[1].cumulative_value_share, Some(1.0));
        assert_eq!(t[9].lift, Some(0.0));
    }

    #[test]
    fn confusion_known_answers() {
        let c = confusion_at(&[90.0, 85.0, 70.0, 60.0], &[true, false, true, false], 80.0);
        assert_eq!((c.true_pos, c.false_pos, c.false_neg, c.true_neg), (1, 1, 1, 1));
        assert_eq!(c.precision, Some(0.5));
        assert_eq!(c.recall, Some(0.5));
        assert_eq!(c.flagged_share, Some(0.5));
    }

    #[test]
    fn calibration_known_answers() {
        // (0.8-1)^2 + (0.2-0)^2 = 0.08, / 2 = 0.04
        assert!((brier(&[0.8, 0.2], &[true, false]).unwrap() - 0.04).abs() < 1e-12);
        let ll = log_loss(&[0.5, 0.5], &[true, false]).unwrap();
        assert!((ll - std::f64::consts::LN_2).abs() < 1e-12);
        let r = reliability(&[0.05, 0.15, 0.95, 1.0], &[false, false, true, true], 10);
        assert_eq!(r[0].count, 1);
        assert_eq!(r[9].count, 2);
        assert_eq!(r[9].observed, Some(1.0));
        assert_eq!(r[5].observed, None);
        assert!((sigmoid(0.0) - 0.5).abs() < 1e-15);
        assert!(sigmoid(-800.0) >= 0.0 && sigmoid(800.0) <= 1.0);
    }
}
