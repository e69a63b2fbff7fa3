//! Dedupe end to end on the labelled set, and properties of the matcher.

use leadrank_hygiene::dedupe::record_of;
use leadrank_hygiene::labelled::{self, pair_metrics};
use leadrank_hygiene::merge::merge_plan;
use leadrank_hygiene::{DedupeConfig, Matcher, Record};
use proptest::prelude::*;

#[test]
fn labelled_set_reaches_the_quality_bar() {
    let set = labelled::generate(1500, 5);
    let cfg = DedupeConfig::from_toml(labelled::ADDRESS_CONFIG, "address").unwrap();
    let records: Vec<_> = set.leads.iter().map(|l| record_of(l, &cfg)).collect();
    let r = Matcher::new(&cfg).run(&records);
    let m = pair_metrics(&set.truth, &r.clusters);
    assert!(m.f1 >= 0.93, "{m:?}");
    // Far below quadratic.
    assert!(r.stats.candidate_pairs < records.len() * 20, "{:?}", r.stats);
    // Nothing lost: every record is either kept or mapped to a kept survivor.
    let plan = merge_plan(&set.leads, &r.clusters);
    let merged = plan.map.iter().filter(|e| e.old_id != e.survivor_id).count();
    assert_eq!(plan.leads.len() + merged, set.leads.len());
    let kept: std::collections::HashSet<&str> = plan.leads.iter().map(|l| l.lead_id.as_str()).collect();
    assert!(plan.map.iter().all(|e| kept.contains(e.survivor_id.as_str())));
}

fn arb_record() -> impl Strategy<Value = Record> {
    proptest::collection::vec(proptest::option::of("[a-zA-Zéøß@. +0-9]{0,12}"), 7).prop_map(|values| Record { values })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]
    /// Shuffling the records changes nothing but the indexes: the same pairs and clusters of
    /// lead ids, the same counts per blocking pass, with hand-set and learned weights.
    #[test]
    fn dedupe_does_not_depend_on_record_order(seed in 0u64..1000, shuffle in 0u64..u64::MAX, em in any::<bool>()) {
        let set = labelled::generate(60, seed);
        let mut cfg = DedupeConfig::from_toml(labelled::ADDRESS_CONFIG, "address").unwrap();
        if em {
            cfg.weights = leadrank_hygiene::Weights::Em;
        }
        let mut order: Vec<usize> = (0..set.leads.len()).collect();
        let mut rng = labelled::Rng::new(shuffle);
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i + 1));
        }
        let shuffled: Vec<_> = order.iter().map(|&i| set.leads[i].clone()).collect();
        let m = Matcher::new(&cfg);
        let (r1, r2) = (m.run_leads(&set.leads, &mut |_| {}), m.run_leads(&shuffled, &mut |_| {}));
        let ids = |leads: &[leadrank_core::Lead], r: &leadrank_hygiene::DedupeResult| {
            let mut pairs: Vec<(String, String, i64)> = r
                .pairs
                .iter()
                .map(|p| {
                    let (a, b) = (leads[p.a as usize].lead_id.clone(), leads[p.b as usize].lead_id.clone());
                    let (a, b) = if a < b { (a, b) } else { (b, a) };
                    (a, b, (p.score * 100.0).round() as i64)
                })
                .collect();
            pairs.sort();
            let mut clusters: Vec<Vec<String>> = r
                .clusters
                .iter()
                .map(|c| {
                    let mut c: Vec<String> = c.iter().map(|&i| leads[i as usize].lead_id.clone()).collect();
                    c.sort();
                    c
                })
                .collect();
            clusters.sort();
            (pairs, clusters)
        };
        prop_assert_eq!(ids(&set.leads, &r1), ids(&shuffled, &r2));
        prop_assert_eq!(&r1.stats.passes, &r2.stats.passes);
        // And the same input twice gives the same result.
        prop_assert_eq!(&r1, &m.run_leads(&set.leads, &mut |_| {}));
    }
}

proptest! {
    #[test]
    fn scores_are_symmetric_and_input_order_does_not_matter(a in arb_record(), b in arb_record(), c in arb_record()) {
        let cfg = DedupeConfig::default_config();
        let m = Matcher::new(&cfg);
        let (s1, _) = m.score(&a, &b);
        let (s2, _) = m.score(&b, &a);
        prop_assert!((s1 - s2).abs() < 1e-9);
        let (self_score, _) = m.score(&a, &a);
        prop_assert!(self_score >= s1 - 1e-9 || a.values.iter().all(Option::is_none));
        let r1 = m.run(&[a.clone(), b.clone(), c.clone()]);
        let r2 = m.run(&[c, b, a]);
        prop_assert_eq!(r1.stats.matched_pairs, r2.stats.matched_pairs);
    }
}

#[test]
fn learned_weights_reach_the_quality_bar_deterministically_and_are_reported() {
    let set = labelled::generate(1500, 5);
    let mut cfg = DedupeConfig::from_toml(labelled::ADDRESS_CONFIG, "address").unwrap();
    cfg.weights = leadrank_hygiene::Weights::Em;
    // Fewer random pairs than the default keep the unoptimised test quick.
    cfg.em.random_pairs = 200_000;
    let records: Vec<_> = set.leads.iter().map(|l| record_of(l, &cfg)).collect();
    let r = Matcher::new(&cfg).run(&records);
    let m = pair_metrics(&set.truth, &r.clusters);
    assert!(m.f1 >= 0.95, "{m:?}");
    let model = r.model.as_ref().expect("learned weights are reported");
    assert!(model.converged && model.lambda > 0.0 && model.lambda < 1.0, "{model:?}");
    assert_eq!(model.fields.len(), cfg.fields.len());
    assert!(model.random_pairs > 0 && model.compared_pairs == r.stats.candidate_pairs as u64);
    // Every match reaches the configured probability, and its score is its match weight.
    for p in &r.pairs {
        let prob = p.probability.expect("learned pairs have a probability");
        assert!(prob >= cfg.em.match_probability, "{p:?}");
        let evidence = r.evidence(&Matcher::new(&cfg), p);
        let sum: f64 = evidence.iter().map(|e| e.points).sum::<f64>() + model.prior_weight();
        assert!((sum - p.score).abs() < 0.01 * (evidence.len() + 1) as f64, "{p:?} {evidence:?}");
    }
    // Same data and seed, same weights and result.
    let again = Matcher::new(&cfg).run(&records);
    assert_eq!(r, again);
    // Another seed for the random pairs changes u a little, not the verdicts much.
    cfg.em.seed = 2;
    let other = Matcher::new(&cfg).run(&records);
    let m2 = pair_metrics(&set.truth, &other.clusters);
    assert!((m2.f1 - m.f1).abs() < 0.02, "{m:?} {m2:?}");
}

#[test]
fn learned_weights_config_is_checked() {
    // Top-level keys come before the tables, the [em] table after them.
    let text = format!("weights = \"em\"\n{}\n[em]\nmatch_probability = 0.8\nu_from = \"random\"\n", labelled::ADDRESS_CONFIG);
    let cfg = DedupeConfig::from_toml(&text, "c.toml").unwrap();
    assert_eq!(cfg.weights, leadrank_hygiene::Weights::Em);
    assert_eq!(cfg.em.match_probability, 0.8);
    assert_eq!(cfg.em.u_from, leadrank_hygiene::em::USource::Random);
    let bad = text.replace("match_probability = 0.8", "match_probability = 1.0");
    let e = DedupeConfig::from_toml(&bad, "c.toml").unwrap_err().to_string();
    assert!(e.contains("c.toml: em.match_probability must be strictly between 0 and 1, not 1"), "{e}");
    let bad = text.replace("u_from = \"random\"", "u_from = \"labels\"");
    let e = DedupeConfig::from_toml(&bad, "c.toml").unwrap_err().to_string();
    assert!(e.contains("c.toml") && e.contains("unknown variant"), "{e}");
    // Hand-set weights stay the default.
    assert_eq!(DedupeConfig::from_toml(labelled::ADDRESS_CONFIG, "a").unwrap().weights, leadrank_hygiene::Weights::Hand);
}
