//! The bot-risk facts (`bot_user_agent`, `form_burst`, `ip_burst`, `country_phone_mismatch`,
//! `bot_risk`) as model rules: they fire with evidence, ignore events after T, give the same
//! scores in a batch and in the live book, and do not depend on event order.

use std::sync::Arc;

use jiff::Timestamp;
use leadrank_core::engine::{DatasetBuilder, LiveBook};
use leadrank_core::model::CompiledModel;
use leadrank_core::records::{Event, lead_from_pairs};
use leadrank_core::{Lead, Score};
use proptest::prelude::*;

const AS_OF: i64 = 1_782_820_800; // 2026-06-30T12:00:00Z

const MODEL: &str = r#"
[model]
name = "risk"
version = "1"
[scoring]
quality_threshold = 10
grades = [{ grade = "A", min = 10 }, { grade = "B" }]
[[dimensions]]
id = "fit"
[[dimensions]]
id = "penalty"
[[rules]]
id = "base"
dimension = "fit"
points = 10
when = { field = "lead_id", present = true }
[[rules]]
id = "bot_agent"
dimension = "penalty"
points = -50
when = { fact = "bot_user_agent", equals = true }
[[rules]]
id = "form_burst"
dimension = "penalty"
points = -40
when = { fact = "form_burst", equals = true }
[[rules]]
id = "ip_burst"
dimension = "penalty"
points = -30
when = { fact = "ip_burst", equals = true }
[[rules]]
id = "phone_mismatch"
dimension = "penalty"
points = -15
when = { fact = "country_phone_mismatch", equals = true }
[[rules]]
id = "high_risk"
dimension = "penalty"
points = -5
when = { fact = "bot_risk", min = 50 }
"#;

fn model() -> CompiledModel {
    CompiledModel::from_toml(MODEL, "risk.toml").expect("the risk model compiles")
}

fn leads() -> Vec<Lead> {
    let rows: [&[(&str, &str)]; 5] = [
        &[("lead_id", "bot"), ("email", "ann@acme.io")],
        &[("lead_id", "burst"), ("email", "bob@acme.io")],
        &[("lead_id", "ip1"), ("email", "c@beta.io"), ("country", "US"), ("phone", "+44 20 7946 0958")],
        &[("lead_id", "ip2"), ("email", "d@gamma.io")],
        &[("lead_id", "ip3"), ("email", "e@delta.io"), ("country", "GB"), ("phone", "+44 20 7946 0958")],
    ];
    rows.iter().map(|r| lead_from_pairs(r.iter().copied()).expect("valid lead")).collect()
}

fn event(id: &str, lead: &str, kind: &str, offset: i64, props: serde_json::Value) -> Event {
    Event {
        event_id: id.into(),
        lead_id: lead.into(),
        event_type: kind.into(),
        occurred_at: Timestamp::from_second(AS_OF + offset).expect("valid time"),
        url: None,
        properties: props.as_object().cloned(),
    }
}

fn events() -> Vec<Event> {
    let none = serde_json::json!({});
    let mut v = vec![
        event("ua1", "bot", "page_view", -3600, serde_json::json!({ "user_agent": "python-requests/2.31" })),
        event("ua2", "burst", "page_view", -3600, serde_json::json!({ "user_agent": "Mozilla/5.0 (Macintosh) Safari/605" })),
        // A bot visit after T does not count.
        event("ua3", "burst", "page_view", 3600, serde_json::json!({ "user_agent": "Googlebot/2.1" })),
        event("s1", "ip1", "form_submit", -7200, serde_json::json!({ "ip": "203.0.113.7" })),
        event("s2", "ip2", "demo_request", -7000, serde_json::json!({ "ip": "203.0.113.7" })),
        event("s3", "ip3", "trial_started", -6800, serde_json::json!({ "ip": " 203.0.113.7 " })),
        // The same IP on a page view is not a sign-up.
        event("pv", "bot", "page_view", -6900, serde_json::json!({ "ip": "203.0.113.7" })),
    ];
    for k in 0..5 {
        v.push(event(&format!("f{k}"), "burst", "form_submit", -600 + k * 10, none.clone()));
    }
    v
}

fn batch(model: &CompiledModel, leads: &[Lead], events: &[Event], at: i64) -> Vec<Score> {
    let mut b = DatasetBuilder::new(model);
    for l in leads {
        b.add_lead(l.clone()).expect("lead accepted");
    }
    for e in events {
        b.add_event(e).expect("event accepted");
    }
    b.build().score_all(model, Timestamp::from_second(at).expect("valid time"), &|_| {})
}

fn fired(s: &Score) -> Vec<&str> {
    s.reasons.iter().map(|r| &*r.rule).collect()
}

#[test]
fn each_risk_fact_fires_with_evidence() {
    let m = model();
    let scores = batch(&m, &leads(), &events(), AS_OF);
    let by_id = |id: &str| scores.iter().find(|s| s.lead_id == id).expect("scored");
    assert_eq!(fired(by_id("bot")), vec!["base", "bot_agent", "high_risk"]);
    assert_eq!(fired(by_id("burst")), vec!["base", "form_burst"], "Googlebot after T is ignored; 40 < 50");
    assert_eq!(fired(by_id("ip1")), vec!["base", "ip_burst", "phone_mismatch"]);
    assert_eq!(fired(by_id("ip2")), vec!["base", "ip_burst"]);
    assert_eq!(fired(by_id("ip3")), vec!["base", "ip_burst"], "a GB number in GB is no mismatch");
    let detail = |id: &str, rule: &str| by_id(id).reasons.iter().find(|r| &*r.rule == rule).expect("fired").detail.clone();
    assert_eq!(detail("bot", "bot_agent"), "an event on 2026-06-30T11:00:00Z came from a bot user agent");
    assert_eq!(detail("bot", "high_risk"), "bot risk 50 (at least 50): bot_user_agent");
    assert_eq!(detail("burst", "form_burst"), "5 form_submit within 40 s from 2026-06-30T11:50:00Z");
    assert_eq!(detail("ip1", "ip_burst"), "sign-ups of 3+ leads from one of its IPs within 10 minutes");
    assert_eq!(detail("ip1", "phone_mismatch"), "phone prefix: +44 20 7946 0958 is GB, not US");
    // An hour later the Googlebot visit counts: 40 + 50 = 90.
    let later = batch(&m, &leads(), &events(), AS_OF + 7200);
    let burst = later.iter().find(|s| s.lead_id == "burst").expect("scored");
    assert_eq!(fired(burst), vec!["base", "bot_agent", "form_burst", "high_risk"]);
    // Before the third sign-up there is no IP burst.
    let early = batch(&m, &leads(), &events(), AS_OF - 6900);
    assert!(early.iter().all(|s| !fired(s).contains(&"ip_burst")));
}

#[test]
fn point_in_time_scores_see_only_the_bursts_complete_by_each_leads_time() {
    let m = model();
    let mut b = DatasetBuilder::new(&m);
    for l in leads() {
        b.add_lead(l).expect("lead accepted");
    }
    for e in events() {
        b.add_event(&e).expect("event accepted");
    }
    let d = b.build();
    // ip3's sign-up completes the burst at T - 6800: ip1 is scored before it, the rest after.
    let ts = |s: i64| Timestamp::from_second(AS_OF + s).expect("valid time");
    let times = [ts(0), ts(0), ts(-6900), ts(0), ts(-6800)];
    let each = d.score_each_at(&m, &times, ts(0), &|_| {});
    for (i, t) in times.iter().enumerate() {
        assert_eq!(each[i], d.score_all(&m, *t, &|_| {})[i], "lead {i}");
    }
    assert!(!fired(&each[2]).contains(&"ip_burst"));
    assert!(fired(&each[4]).contains(&"ip_burst"));
}

#[test]
fn the_default_model_reads_no_risk_fact() {
    // Risk facts add hidden event filters only when a model uses them.
    let d = leadrank_core::model::builtin::default_model();
    assert!(!d.source.contains("bot_risk"));
    let m = model();
    assert!(m.uses_properties(), "user_agent and ip must be read");
}

#[test]
fn an_unknown_risk_fact_is_an_error_naming_the_valid_ones() {
    let bad = MODEL.replace("\"ip_burst\", equals", "\"ip_bursts\", equals");
    let err = CompiledModel::from_toml(&bad, "risk.toml").expect_err("unknown fact").to_string();
    assert!(err.contains("unknown fact 'ip_bursts'"), "{err}");
    assert!(err.contains("ip_burst"), "{err}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The live book gives the batch's scores, whatever the arrival order and with a lead
    /// erased, at several times.
    #[test]
    fn live_equals_batch_in_any_order(seed in any::<u64>(), erase in 0usize..6, probe in -8000i64..8000) {
        let m = Arc::new(model());
        let mut evs = events();
        // A deterministic shuffle from the seed.
        let mut s = seed | 1;
        for i in (1..evs.len()).rev() {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            evs.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let mut all = leads();
        let mut book = LiveBook::new(m.clone());
        for l in &all {
            book.upsert_lead(l.clone());
        }
        for e in &evs {
            book.add_event(e).expect("known lead");
        }
        if erase < all.len() {
            let gone = all.remove(erase).lead_id;
            book.remove_lead(&gone);
            evs.retain(|e| e.lead_id != gone);
        }
        for at in [AS_OF, AS_OF + probe] {
            let want = batch(&m, &all, &evs, at);
            let in_order = batch(&m, &all, &events().into_iter().filter(|e| all.iter().any(|l| l.lead_id == e.lead_id)).collect::<Vec<_>>(), at);
            prop_assert_eq!(&want, &in_order, "event order changed a batch score");
            for w in want {
                let got = book.score(&w.lead_id, Timestamp::from_second(at).expect("valid")).expect("known");
                prop_assert_eq!(got, w);
            }
        }
    }
}
