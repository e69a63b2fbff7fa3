//! Invariants of scoring, checked on random inputs.

use jiff::Timestamp;
use leadrank_core::engine::DatasetBuilder;
use leadrank_core::model::builtin::default_model;
use leadrank_core::records::{Event, lead_from_pairs};
use leadrank_core::{Lead, Score};
use proptest::prelude::*;

const TYPES: &[&str] = &[
    "page_view",
    "form_submit",
    "demo_request",
    "trial_started",
    "intent_surge",
    "email_open",
    "email_click",
    "email_bounce",
    "webinar_attended",
    "event_attended",
    "sales_touch",
    "custom_thing",
];
const PATHS: &[&str] = &["/pricing", "/demo", "/compare/x", "/careers", "/blog/a", "/security/", "/jobs/1"];
const AS_OF: i64 = 1_782_820_800; // 2026-06-30T12:00:00Z

fn leads() -> Vec<Lead> {
    let rows: [&[(&str, &str)]; 4] = [
        &[("lead_id", "a"), ("email", "ann@acme.io"), ("title", "VP Sales"), ("industry", "Software")],
        &[("lead_id", "b"), ("email", "bob@acme.io"), ("employees", "300"), ("country", "US")],
        &[("lead_id", "c"), ("email", "c@gmail.com"), ("first_name", "Asdf"), ("last_name", "Qwer")],
        &[("lead_id", "d"), ("account_id", "X"), ("budget_owner", "yes"), ("timeline_days", "30")],
    ];
    rows.iter().map(|r| lead_from_pairs(r.iter().copied()).unwrap()).collect()
}

fn event_strategy() -> impl Strategy<Value = Event> {
    (0usize..4, 0..TYPES.len(), 0..PATHS.len(), -120i64 * 86_400..86_400 * 2, 0u32..1000).prop_map(|(lead, ty, path, offset, id)| Event {
        event_id: format!("e{id}"),
        lead_id: ["a", "b", "c", "d"][lead].to_string(),
        event_type: TYPES[ty].to_string(),
        occurred_at: Timestamp::from_second(AS_OF + offset).unwrap(),
        url: (TYPES[ty] == "page_view").then(|| PATHS[path].to_string()),
        properties: None,
    })
}

/// Unique ids: the first event with an id wins, so for order independence ids must not clash.
fn unique(mut events: Vec<Event>) -> Vec<Event> {
    let mut seen = std::collections::HashSet::new();
    events.retain(|e| seen.insert(e.event_id.clone()));
    events
}

fn score(events: &[Event]) -> Vec<Score> {
    let model = default_model();
    let mut b = DatasetBuilder::new(&model);
    for l in leads() {
        b.add_lead(l).unwrap();
    }
    for e in events {
        b.add_event(e).unwrap();
    }
    b.build().score_all(&model, Timestamp::from_second(AS_OF).unwrap(), &|_| {})
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn event_order_does_not_change_a_score(events in prop::collection::vec(event_strategy(), 0..60), seed in any::<u64>()) {
        let events = unique(events);
        let mut shuffled = events.clone();
        // A deterministic Fisher-Yates shuffle driven by the seed.
        let mut s = seed | 1;
        for i in (1..shuffled.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            shuffled.swap(i, (s % (i as u64 + 1)) as usize);
        }
        prop_assert_eq!(score(&events), score(&shuffled));
    }

    #[test]
    fn a_repeated_event_counts_once(events in prop::collection::vec(event_strategy(), 1..40), picks in prop::collection::vec(any::<prop::sample::Index>(), 1..10)) {
        let events = unique(events);
        let mut repeated = events.clone();
        for p in picks {
            repeated.push(events[p.index(events.len())].clone());
        }
        prop_assert_eq!(score(&events), score(&repeated));
    }

    #[test]
    fn total_is_the_sum_of_reasons_and_grades_follow(events in prop::collection::vec(event_strategy(), 0..60)) {
        for s in score(&unique(events)) {
            prop_assert_eq!(s.reasons.iter().map(|r| r.points).sum::<i32>(), s.total);
            prop_assert_eq!(s.quality, s.total >= 80);
            let grade = if s.total >= 80 { "A" } else if s.total >= 60 { "B" } else if s.total >= 40 { "C" } else { "D" };
            prop_assert_eq!(&*s.grade, grade);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    /// Any text as a model file: a model or an error with a location, never a panic.
    #[test]
    fn model_parser_never_panics(text in "[\\[\\]a-z_=\"{},.0-9 \\n@/-]{0,400}") {
        if let Err(e) = leadrank_core::CompiledModel::from_toml(&text, "m.toml") {
            prop_assert!(e.to_string().starts_with("m.toml:"));
        }
    }

    /// Mutating the default model's text anywhere never panics either.
    #[test]
    fn mutated_default_model_never_panics(pos in 0usize..6000, byte in prop::sample::select(b"x0\"[]{}=,\n".to_vec())) {
        let mut text = leadrank_core::model::builtin::DEFAULT.source.as_bytes().to_vec();
        let pos = pos % text.len();
        text[pos] = byte;
        if let Ok(text) = String::from_utf8(text) {
            let _ = leadrank_core::CompiledModel::from_toml(&text, "m.toml");
        }
    }
}

/// The live book (one lead at a time, records arriving in any order, leads edited and
/// erased) gives the batch engine's scores at every time, and its next-change time never
/// skips a change.
mod live_book {
    use super::*;
    use leadrank_core::engine::LiveBook;
    use std::sync::Arc;

    fn batch_at(leads: &[Lead], events: &[Event], at: i64) -> Vec<Score> {
        let model = default_model();
        let mut b = DatasetBuilder::new(&model);
        for l in leads {
            b.add_lead(l.clone()).unwrap();
        }
        for e in events.iter().filter(|e| leads.iter().any(|l| l.lead_id == e.lead_id)) {
            b.add_event(e).unwrap();
        }
        b.build().score_all(&model, Timestamp::from_second(at).unwrap(), &|_| {})
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn live_equals_batch(events in proptest::collection::vec(event_strategy(), 0..40), erase_b in any::<bool>(), probe in 0i64..86_400 * 40) {
            let model = Arc::new(default_model());
            let mut book = LiveBook::new(model);
            let mut all = leads();
            // Leads arrive in reverse, one is edited after its events, one may be erased.
            for l in all.iter().rev() {
                book.upsert_lead(l.clone());
            }
            for e in &events {
                book.add_event(e).unwrap();
            }
            all[1].email = Some("ann@acme.io".into());
            book.upsert_lead(all[1].clone());
            if erase_b {
                book.remove_lead("b");
                all.remove(1);
            }
            let events = unique(events);
            for at in [AS_OF, AS_OF + probe] {
                for want in batch_at(&all, &events, at) {
                    let got = book.score(&want.lead_id, Timestamp::from_second(at).unwrap()).unwrap();
                    prop_assert_eq!(got, want);
                }
            }
            // No change happens strictly between now and the next change time.
            for l in &all {
                let now = Timestamp::from_second(AS_OF).unwrap();
                if let Some(next) = book.next_change_after(&l.lead_id, now) {
                    let before = next.as_second() - 1;
                    if before > AS_OF {
                        let a = book.score(&l.lead_id, now).unwrap();
                        let b = book.score(&l.lead_id, Timestamp::from_second(before).unwrap()).unwrap();
                        prop_assert_eq!(a.total, b.total, "changed before the announced time {}", next);
                    }
                }
            }
        }
    }
}
