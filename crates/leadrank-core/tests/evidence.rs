//! Scores without evidence text (the CSV output's path) equal scores with it, except for the
//! text, for every built-in model on random leads and events.

use jiff::Timestamp;
use leadrank_core::engine::{DatasetBuilder, Evidence};
use leadrank_core::model::builtin::{ALL, compile_builtin};
use leadrank_core::records::{Event, lead_from_pairs};
use leadrank_core::{CompiledModel, Score};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{RngAlgorithm, TestRng, TestRunner};

const AS_OF: i64 = 1_782_820_800; // 2026-06-30T12:00:00Z
const DAY: i64 = 86_400;

/// Field name and the values a lead may have for it ("" leaves the field out). The values
/// make every kind of condition of the built-in models both hold and fail.
const FIELDS: &[(&str, &[&str])] = &[
    ("email", &["ann@acme.io", "bob@gmail.com", "x@mailinator.com", "n/a", "eve@rivalcrm.com", ""]),
    ("first_name", &["Ann", "Xqzxw", "Bob", ""]),
    ("last_name", &["Lovelace", "Asdfgh", ""]),
    ("title", &["VP Sales", "Student", "Head of Data", "Director, Engineering", "intern", ""]),
    ("company", &["Acme", ""]),
    ("domain", &["acme.io", "https://www.scoreleads.io/x", "eu.rivalcrm.com", ""]),
    ("account_id", &["A1", "A2", ""]),
    ("industry", &["Software", " financial services ", "Retail", "Healthcare", ""]),
    ("employees", &["50", "200", "300", "5000", ""]),
    ("country", &["US", "Germany", "fr", "nowhere", ""]),
    ("phone", &["+1 415 555 0134", "555", "+44 20 7946 0958", ""]),
    ("phone_verified", &["yes", "no", ""]),
    ("consent", &["yes", "no", ""]),
    ("tech_stack", &["Salesforce;HubSpot", "Excel", ""]),
    ("use_case", &["lead scoring for our pipeline", "pipelines", "Routing!", ""]),
    ("budget_owner", &["yes", "no", ""]),
    ("timeline_days", &["30", "120", "0", ""]),
    ("contract_end", &["2026-09-01T00:00:00Z", "2028-01-01T00:00:00Z", "2026-01-01T00:00:00Z", ""]),
    ("honeypot", &["", "", "x"]),
    ("total_spent", &["1500", "300", "20", ""]),
    ("orders_count", &["1", "7", ""]),
    ("scope", &["data migration project", "an audit", "something", ""]),
    ("scope_documented", &["true", "false", ""]),
    ("budget_source", &["approved budget", "to be requested", "grant awarded", ""]),
    ("prior_vendor", &["Acme consulting", ""]),
    ("decision_maker_involved", &["true", "false", ""]),
    ("rfp_issued", &["true", ""]),
];

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
    "teammate_invited",
    "feature_used",
    "order_placed",
    "add_to_cart",
    "checkout_started",
    "quiz_completed",
    "refund_issued",
    "meeting_booked",
    "sales_touch",
];
const PATHS: &[&str] =
    &["/pricing", "/demo", "/compare/x", "/careers", "/jobs/1", "/products/a", "/products/b", "/products/c", "/security/"];
const FEATURES: &[&str] = &["reports", "alerts", "Exports", "api"];

/// A lead as (field, value index) choices.
fn lead_strategy() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(0usize..8, FIELDS.len())
}

/// (lead, type, path or feature, day offset, second) of an event; days cluster near T so
/// that windows, bursts and follow-ups happen.
fn event_strategy(leads: usize) -> impl Strategy<Value = RawEvent> {
    let day = prop_oneof![3 => -3i64..=1, 1 => -400i64..=2];
    (0..leads, 0..TYPES.len(), 0..PATHS.len(), day, 0i64..200)
}

fn build_leads(choices: &[Vec<usize>]) -> Vec<leadrank_core::Lead> {
    choices
        .iter()
        .enumerate()
        .map(|(i, picks)| {
            let id = format!("L{i}");
            let mut pairs: Vec<(&str, &str)> = vec![("lead_id", &id)];
            for ((name, values), &pick) in FIELDS.iter().zip(picks) {
                let value = values[pick % values.len()];
                if !value.is_empty() {
                    pairs.push((name, value));
                }
            }
            lead_from_pairs(pairs).expect("the test's fields are valid")
        })
        .collect()
}

fn build_events(raw: &[RawEvent]) -> Vec<Event> {
    raw.iter()
        .enumerate()
        .map(|(n, &(lead, ty, path, day, second))| {
            let kind = TYPES[ty];
            let properties = (kind == "feature_used")
                .then(|| serde_json::json!({ "feature": FEATURES[path % FEATURES.len()] }).as_object().cloned())
                .flatten();
            Event {
                event_id: format!("e{n}"),
                lead_id: format!("L{lead}"),
                event_type: kind.to_string(),
                occurred_at: Timestamp::from_second(AS_OF + day * DAY + second).expect("valid time"),
                url: (kind == "page_view").then(|| PATHS[path].to_string()),
                properties,
            }
        })
        .collect()
}

fn scores(model: &CompiledModel, leads: &[leadrank_core::Lead], events: &[Event], evidence: Evidence) -> Vec<Score> {
    let mut b = DatasetBuilder::new(model);
    for l in leads {
        b.add_lead(l.clone()).expect("unique lead ids");
    }
    for e in events {
        b.add_event(e).expect("known leads");
    }
    let mut out = Vec::new();
    let as_of = Timestamp::from_second(AS_OF).expect("valid time");
    b.build().score_encoded(model, as_of, evidence, 3, &|s| s, &mut |s| out.extend(s));
    out
}

/// One random event: (lead, type, path or feature, day offset, second).
type RawEvent = (usize, usize, usize, i64, i64);

/// Leads and events of one random case.
fn case_strategy() -> impl Strategy<Value = (Vec<Vec<usize>>, Vec<RawEvent>)> {
    (1usize..6).prop_flat_map(|n| (prop::collection::vec(lead_strategy(), n), prop::collection::vec(event_strategy(n), 0..50)))
}

/// A runner with a fixed seed, so that every run checks the same cases.
fn runner(cases: u32) -> TestRunner {
    TestRunner::new_with_rng(ProptestConfig::with_cases(cases), TestRng::deterministic_rng(RngAlgorithm::ChaCha))
}

#[test]
fn scores_without_evidence_equal_scores_with_it_but_the_text() {
    let models: Vec<(&str, CompiledModel)> = ALL.iter().map(|m| (m.name, compile_builtin(*m).expect("built-in models compile"))).collect();
    let result = runner(192).run(&case_strategy(), |(lead_choices, raw_events)| {
        let leads = build_leads(&lead_choices);
        let events = build_events(&raw_events);
        for (name, model) in &models {
            let full = scores(model, &leads, &events, Evidence::Full);
            let brief = scores(model, &leads, &events, Evidence::Omitted);
            prop_assert_eq!(full.len(), brief.len());
            for (f, b) in full.iter().zip(&brief) {
                prop_assert!(f.reasons.iter().all(|r| !r.detail.is_empty()), "{}: full evidence has text", name);
                prop_assert!(b.reasons.iter().all(|r| r.detail.is_empty()), "{}: no text without evidence", name);
                let mut without_text = f.clone();
                for r in &mut without_text.reasons {
                    r.detail.clear();
                }
                prop_assert_eq!(&without_text, b, "model {}", name);
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// The random cases above do fire rules of every kind (so the comparison is not vacuous).
#[test]
fn the_generated_cases_fire_most_rules() {
    let model = compile_builtin(ALL[0]).expect("the default model compiles");
    let mut fired = std::collections::BTreeSet::new();
    let mut runner = runner(64);
    for _ in 0..64 {
        let (choices, raw) = case_strategy().new_tree(&mut runner).expect("strategy").current();
        for s in scores(&model, &build_leads(&choices), &build_events(&raw), Evidence::Omitted) {
            fired.extend(s.reasons.iter().map(|r| r.rule.to_string()));
        }
    }
    let all: Vec<&str> = model.rules.iter().map(|r| &*r.id).collect();
    let missed: Vec<&&str> = all.iter().filter(|r| !fired.contains(**r)).collect();
    assert!(missed.len() <= 4, "rules never fired: {missed:?}");
}
