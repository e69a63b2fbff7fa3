//! Properties of any sequence of lifecycle operations.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use leadrank_core::model::LifecycleSpec;
use leadrank_lifecycle::{FRAMEWORKS, ItemStatus, LeadLifecycle, Policy, ScoreView, Stage};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Score { quality: bool, total: i32, pql: bool },
    Accept,
    Reject { code: usize, note: bool, total: i32 },
    Move { to: usize, reason: bool },
    Item { fw: usize, item: usize, status: u8 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (any::<bool>(), -20..120i32, any::<bool>()).prop_map(|(quality, total, pql)| Op::Score { quality, total, pql }),
        1 => Just(Op::Accept),
        1 => (0..14usize, any::<bool>(), -20..120i32).prop_map(|(code, note, total)| Op::Reject { code, note, total }),
        2 => (0..11usize, any::<bool>()).prop_map(|(to, reason)| Op::Move { to, reason }),
        3 => (0..3usize, 0..8usize, 0..3u8).prop_map(|(fw, item, status)| Op::Item { fw, item, status }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn stage_follows_the_last_transition(
        ops in proptest::collection::vec((op(), 0..20i64), 1..60),
        gate in any::<bool>(),
        days in 0..40u32,
        checklist in 0..3usize,
    ) {
        let spec = LifecycleSpec {
            pql_signal: Some("pql".into()),
            sql_requires_checklist: gate,
            recycle_after_days: days,
            checklist: FRAMEWORKS[checklist].id.into(),
            ..LifecycleSpec::default()
        };
        let p = Policy::from_spec(&spec);
        let mut now = Timestamp::from_second(1_700_000_000).unwrap();
        let (mut st, first) = LeadLifecycle::new(now);
        let mut last = first;
        let mut count = 1u32;
        let codes: Vec<String> = spec.rejection_reasons.iter().cloned().chain(["bogus".to_string()]).collect();
        for (op, advance) in ops {
            now = now.checked_add(SignedDuration::from_hours(advance * 12)).unwrap();
            let before = st.stage;
            let (got, automatic) = match op {
                Op::Score { quality, total, pql } => {
                    let sig: Vec<Arc<str>> = if pql { vec![Arc::from("pql")] } else { vec![] };
                    let v = ScoreView { quality, total, signals: &sig };
                    let got = p.on_score(&mut st, v, now);
                    // Idempotent: the same view again moves nothing.
                    prop_assert_eq!(p.on_score(&mut st, ScoreView { quality, total, signals: &sig }, now), None);
                    (got, true)
                }
                Op::Accept => (p.accept(&mut st, "ann", None, now).ok(), false),
                Op::Reject { code, note, total } => {
                    let note = note.then_some("because");
                    (p.reject(&mut st, "ann", &codes[code % codes.len()], note, total, now).ok(), false)
                }
                Op::Move { to, reason } => {
                    let reason = if reason { "why" } else { "" };
                    (p.move_to(&mut st, Stage::ALL[to], "ann", reason, None, now).ok(), false)
                }
                Op::Item { fw, item, status } => {
                    let f = FRAMEWORKS[fw];
                    let id = f.items.get(item).map_or("nope", |i| i.id);
                    let status = [ItemStatus::Confirmed, ItemStatus::Unknown, ItemStatus::Negative][status as usize];
                    match p.set_item(&mut st, f.id, id, status, None, "ann", now) {
                        Ok(t) => (t, true),
                        Err(_) => (None, true),
                    }
                }
            };
            match got {
                Some(t) => {
                    count += 1;
                    prop_assert_eq!(t.from, Some(before));
                    prop_assert_ne!(t.to, before);
                    prop_assert_eq!(t.at, now);
                    if automatic {
                        prop_assert!(t.actor.starts_with("rule:"), "{:?}", t);
                        prop_assert!(before.is_open(), "automatic move out of terminal {:?}", before);
                    } else {
                        prop_assert!(t.actor.starts_with("user:"));
                    }
                    last = t;
                }
                None => prop_assert_eq!(st.stage, before, "no transition, no move"),
            }
            prop_assert_eq!(st.stage, last.to);
            prop_assert_eq!(st.since, last.at);
            prop_assert_eq!(st.history_len, count);
            if matches!(st.stage, Stage::Mql | Stage::Pql) {
                prop_assert!(st.quality_at.is_some());
            }
        }
        let json = serde_json::to_string(&st).unwrap();
        prop_assert_eq!(serde_json::from_str::<LeadLifecycle>(&json).unwrap(), st);
    }
}
