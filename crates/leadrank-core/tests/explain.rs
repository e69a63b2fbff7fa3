//! Snapshot tests of the ledger a rep reads (`leadrank explain`).

use jiff::Timestamp;
use leadrank_core::engine::DatasetBuilder;
use leadrank_core::explain::ledger;
use leadrank_core::model::builtin::default_model;
use leadrank_core::records::{Event, lead_from_pairs};

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

fn ledgers() -> Vec<String> {
    let model = default_model();
    let mut b = DatasetBuilder::new(&model);
    let rows: [&[(&str, &str)]; 3] = [
        &[
            ("lead_id", "L-ada"),
            ("email", "ada@acme-analytics.com"),
            ("first_name", "Ada"),
            ("last_name", "Lovelace"),
            ("title", "VP of Sales"),
            ("industry", "Software"),
            ("employees", "450"),
            ("country", "USA"),
            ("consent", "yes"),
            ("use_case", "lead scoring for our SDR team"),
            ("timeline_days", "45"),
        ],
        &[
            ("lead_id", "L-near"),
            ("email", "sam@northwind.io"),
            ("title", "Marketing Manager"),
            ("industry", "Financial Services"),
            ("employees", "1200"),
            ("country", "GB"),
            ("tech_stack", "HubSpot"),
        ],
        &[
            ("lead_id", "L-bot"),
            ("email", "zz@mailinator.com"),
            ("first_name", "Asdf"),
            ("last_name", "Qwerty"),
            ("title", "Student"),
            ("honeypot", "x"),
        ],
    ];
    for r in rows {
        b.add_lead(lead_from_pairs(r.iter().copied()).unwrap()).unwrap();
    }
    for e in [
        ev("1", "L-ada", "page_view", "2026-06-29T09:00:00Z", Some("https://leadrank.io/pricing")),
        ev("2", "L-ada", "page_view", "2026-06-29T09:03:00Z", Some("/security")),
        ev("3", "L-ada", "demo_request", "2026-06-29T09:05:00Z", None),
        ev("4", "L-ada", "trial_started", "2026-06-15T10:00:00Z", None),
        ev("5", "L-near", "page_view", "2026-06-20T10:00:00Z", Some("/pricing/enterprise")),
        ev("6", "L-near", "webinar_attended", "2026-06-10T16:00:00Z", None),
        ev("7", "L-near", "email_click", "2026-06-12T08:00:00Z", None),
        ev("8", "L-bot", "page_view", "2026-06-29T09:00:00Z", Some("/careers")),
    ] {
        b.add_event(&e).unwrap();
    }
    let d = b.build();
    let t: Timestamp = "2026-06-30T12:00:00Z".parse().unwrap();
    d.score_all(&model, t, &|_| {}).iter().map(|s| ledger(&model, s, &t.to_string())).collect()
}

#[test]
fn ledgers_read_like_a_rep_expects() {
    let all = ledgers();
    insta::assert_snapshot!("quality_lead", all[0]);
    insta::assert_snapshot!("near_miss", all[1]);
    insta::assert_snapshot!("spam_bot", all[2]);
}
