//! The shipped templates score sample leads as their authors intend.

use jiff::Timestamp;
use leadrank_core::engine::DatasetBuilder;
use leadrank_core::model::builtin::{compile_builtin, find};
use leadrank_core::records::{Event, lead_from_pairs};
use leadrank_core::{CompiledModel, Score};

fn t() -> Timestamp {
    "2026-06-30T12:00:00Z".parse().unwrap()
}

fn ev(id: &str, lead: &str, kind: &str, at: &str, url: Option<&str>) -> Event {
    Event {
        event_id: id.into(),
        lead_id: lead.into(),
        event_type: kind.into(),
        occurred_at: at.parse().unwrap(),
        url: url.map(str::to_string),
        properties: None,
    }
}

fn score(model: &CompiledModel, leads: &[&[(&str, &str)]], events: &[Event]) -> Vec<Score> {
    let mut b = DatasetBuilder::new(model);
    for l in leads {
        b.add_lead(lead_from_pairs(l.iter().copied()).unwrap()).unwrap();
    }
    for e in events {
        b.add_event(e).unwrap();
    }
    b.build().score_all(model, t(), &|_| {})
}

fn rules(s: &Score) -> Vec<&str> {
    s.reasons.iter().map(|r| &*r.rule).collect()
}

#[test]
fn ecommerce_rewards_recent_frequent_big_spenders() {
    let model = compile_builtin(find("ecommerce").unwrap()).unwrap();
    let leads: [&[(&str, &str)]; 3] = [
        &[("lead_id", "vip"), ("email", "mia@gmail.com"), ("consent", "yes"), ("total_spent", "1480.50")],
        &[("lead_id", "lapsed"), ("email", "old@yahoo.com"), ("total_spent", "300")],
        &[("lead_id", "browser"), ("email", "new@outlook.com")],
    ];
    let mut events = Vec::new();
    for (i, day) in ["2026-06-25", "2026-05-10", "2026-03-01", "2026-01-15", "2025-11-20", "2025-09-01"].iter().enumerate() {
        events.push(ev(&format!("v{i}"), "vip", "order_placed", &format!("{day}T10:00:00Z"), None));
    }
    events.push(ev("l1", "lapsed", "order_placed", "2025-12-01T10:00:00Z", None));
    events.push(ev("b1", "browser", "page_view", "2026-06-29T10:00:00Z", Some("/products/mug")));
    events.push(ev("b2", "browser", "page_view", "2026-06-29T10:01:00Z", Some("/products/tee")));
    events.push(ev("b3", "browser", "page_view", "2026-06-29T10:02:00Z", Some("/products/cap")));
    events.push(ev("b4", "browser", "add_to_cart", "2026-06-29T10:03:00Z", None));
    let s = score(&model, &leads, &events);
    assert_eq!(
        rules(&s[0]),
        vec!["ordered_30d", "ordered_90d", "repeat_buyer", "loyal_buyer", "spend_250", "spend_1000", "valid_email", "consent", "cap"]
    );
    assert_eq!((s[0].total, s[0].quality, s[0].cell.as_str()), (85, true, "A1"));
    assert_eq!(rules(&s[1]), vec!["spend_250", "valid_email"]);
    assert!(!s[1].quality);
    assert_eq!(rules(&s[2]), vec!["product_views", "cart", "valid_email"]);
    assert_eq!(s[2].total, 20);
}

#[test]
fn professional_services_wants_scope_budget_and_a_decision_maker() {
    let model = compile_builtin(find("professional-services").unwrap()).unwrap();
    let leads: [&[(&str, &str)]; 2] = [
        &[
            ("lead_id", "ready"),
            ("email", "cfo@clinic.org"),
            ("title", "Chief Financial Officer"),
            ("industry", "Healthcare"),
            ("employees", "800"),
            ("scope", "ERP migration and data audit"),
            ("rfp_issued", "yes"),
            ("budget_source", "Approved budget for FY27"),
            ("timeline_days", "90"),
            ("prior_vendor", "Big Four firm, 2023, slow"),
        ],
        &[
            ("lead_id", "exploring"),
            ("email", "jo@gmail.com"),
            ("title", "Analyst"),
            ("scope", "not sure yet, exploring options"),
            ("budget_source", "to be requested"),
        ],
    ];
    let events = [ev("m1", "ready", "meeting_booked", "2026-06-20T09:00:00Z", None)];
    let s = score(&model, &leads, &events);
    assert_eq!(
        rules(&s[0]),
        vec![
            "target_industry",
            "company_size",
            "prior_vendor",
            "scope_described",
            "scope_documented",
            "timeline_defined",
            "budget_source",
            "discovery_call",
            "decision_maker",
            "cap"
        ]
    );
    assert!(s[0].quality, "{:?}", s[0]);
    assert_eq!(s[0].total, 30 + 25 + 35 + 10);
    assert_eq!(rules(&s[1]), vec!["personal_email"]);
    assert_eq!(s[1].total, -10);
}
