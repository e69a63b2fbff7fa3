//! Property tests: AUC of a perfect score is 1, and permuting leads changes nothing.

use leadrank_metrics::classify::{decile_table, roc_auc};
use leadrank_metrics::report::{LeadObs, OppStatus, Opportunity, compute};
use proptest::prelude::*;

fn permute<T: Clone>(v: &[T], seed: u64) -> Vec<T> {
    let mut idx: Vec<usize> = (0..v.len()).collect();
    // A deterministic Fisher-Yates driven by a simple LCG (enough for a permutation).
    let mut s = seed | 1;
    for i in (1..idx.len()).rev() {
        s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let j = (s >> 33) as usize % (i + 1);
        idx.swap(i, j);
    }
    idx.into_iter().map(|i| v[i].clone()).collect()
}

proptest! {
    #[test]
    fn perfect_score_has_auc_one(labels in prop::collection::vec(any::<bool>(), 2..200)) {
        prop_assume!(labels.iter().any(|&l| l) && labels.iter().any(|&l| !l));
        let scores: Vec<f64> = labels.iter().enumerate().map(|(i, &l)| if l { 1000.0 + i as f64 } else { i as f64 }).collect();
        prop_assert_eq!(roc_auc(&scores, &labels), Some(1.0));
        let reversed: Vec<f64> = scores.iter().map(|s| -s).collect();
        prop_assert_eq!(roc_auc(&reversed, &labels), Some(0.0));
    }

    #[test]
    fn auc_and_deciles_ignore_order(rows in prop::collection::vec((0i32..20, any::<bool>(), 0u32..1000), 1..200), seed in any::<u64>()) {
        let p = permute(&rows, seed);
        let split = |r: &[(i32, bool, u32)]| -> (Vec<f64>, Vec<bool>, Vec<f64>) {
            (r.iter().map(|x| f64::from(x.0)).collect(), r.iter().map(|x| x.1).collect(), r.iter().map(|x| f64::from(x.2)).collect())
        };
        let (s1, l1, v1) = split(&rows);
        let (s2, l2, v2) = split(&p);
        prop_assert_eq!(roc_auc(&s1, &l1), roc_auc(&s2, &l2));
        let (a, b) = (decile_table(&s1, &l1, &v1), decile_table(&s2, &l2, &v2));
        for (x, y) in a.iter().zip(&b) {
            prop_assert_eq!(x.leads, y.leads);
            prop_assert_eq!(x.positives, y.positives);
            prop_assert!((x.value - y.value).abs() < 1e-6);
        }
    }

    #[test]
    fn report_ignores_lead_and_opportunity_order(
        leads in prop::collection::vec((0u8..4, 0i32..100, 0u8..3), 1..60),
        seed in any::<u64>(),
    ) {
        let obs: Vec<LeadObs> = leads.iter().enumerate().map(|(i, &(g, s, _))| LeadObs {
            lead_id: format!("L{i}"),
            account_id: Some(format!("A{}", i % 5)),
            group: Some(format!("g{g}")),
            score: Some(f64::from(s)),
            quality: Some(s >= 80),
            has_email: true,
            ..LeadObs::default()
        }).collect();
        let opps: Vec<Opportunity> = leads.iter().enumerate().filter(|(_, l)| l.2 > 0).map(|(i, &(_, s, st))| Opportunity {
            id: format!("O{i}"),
            lead_id: (i % 4 != 0).then(|| format!("L{i}")),
            account_id: Some(format!("A{}", i % 5)),
            created_at: Some(0),
            closed_at: Some(86_400 * i64::from(s + 1)),
            status: if st == 1 { OppStatus::Won } else { OppStatus::Lost },
            amount: Some(f64::from(s) * 10.0),
            loss_reason: None,
        }).collect();
        let a = compute(&obs, &opps, None, Some("g"));
        let b = compute(&permute(&obs, seed), &permute(&opps, seed ^ 7), None, Some("g"));
        let ja = serde_json::to_value(&a).unwrap();
        let jb = serde_json::to_value(&b).unwrap();
        // Amount sums may differ in the last bits with the order of addition.
        prop_assert!(close(&ja, &jb), "{ja}\n{jb}");
    }
}

fn close(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value::*;
    match (a, b) {
        (Number(x), Number(y)) => {
            let (x, y) = (x.as_f64().unwrap_or(f64::NAN), y.as_f64().unwrap_or(f64::NAN));
            (x - y).abs() <= 1e-9 * x.abs().max(1.0)
        }
        (Array(x), Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| close(p, q)),
        (Object(x), Object(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| close(v, w))),
        _ => a == b,
    }
}
