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
