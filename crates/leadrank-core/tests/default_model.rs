//! The default model, rule by rule (SPEC section 2), on hand-built leads with known answers.

use jiff::Timestamp;
use leadrank_core::engine::{Dataset, DatasetBuilder};
use leadrank_core::model::builtin::default_model;
use leadrank_core::records::{Event, lead_from_pairs};
use leadrank_core::{CompiledModel, Lead, Score, explain};

const T: &str = "2026-06-30T12:00:00Z";

fn t() -> Timestamp {
    T.parse().unwrap()
}

fn lead(pairs: &[(&str, &str)]) -> Lead {
    lead_from_pairs(pairs.iter().copied()).unwrap()
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

fn dataset(model: &CompiledModel, leads: Vec<Lead>, events: &[Event]) -> Dataset {
    let mut b = DatasetBuilder::new(model);
    for l in leads {
        b.add_lead(l).unwrap();
    }
    for e in events {
        b.add_event(e).unwrap();
    }
    b.build()
}

fn score_all(leads: Vec<Lead>, events: &[Event]) -> Vec<Score> {
    let model = default_model();
    let d = dataset(&model, leads, events);
    d.score_all(&model, t(), &|_| {})
}

fn fired(score: &Score) -> Vec<&str> {
    score.reasons.iter().map(|r| &*r.rule).collect()
}

/// A well-fitting VP with strong intent: every positive rule that can fire does.
fn ideal() -> Lead {
    lead(&[
        ("lead_id", "L1"),
        ("email", "ada.lovelace@acme-analytics.com"),
        ("first_name", "Ada"),
        ("last_name", "Lovelace"),
        ("title", "VP of Sales"),
        ("company", "Acme Analytics"),
        ("industry", "software"),
        ("employees", "450"),
        ("country", "United States"),
        ("phone", "+1 415 555 2671"),
        ("phone_verified", "yes"),
        ("consent", "true"),
        ("tech_stack", "Salesforce;Excel"),
        ("use_case", "We need Lead Scoring and routing for SDRs"),
        ("budget_owner", "1"),
        ("timeline_days", "60"),
        ("contract_end", "2027-01-31"),
    ])
}

#[test]
fn ideal_lead_scores_every_dimension_and_caps_apply() {
    let events = vec![
        ev("e1", "L1", "page_view", "2026-06-28T10:00:00Z", Some("https://www.x.com/pricing?utm=a")),
        ev("e2", "L1", "page_view", "2026-06-28T10:02:00Z", Some("/demo")),
        ev("e3", "L1", "demo_request", "2026-06-28T10:03:00Z", None),
        ev("e4", "L1", "trial_started", "2026-06-01T09:00:00Z", None),
        ev("e5", "L1", "intent_surge", "2026-06-20T00:00:00Z", None),
        ev("e6", "L1", "webinar_attended", "2026-06-10T15:00:00Z", None),
        ev("e7", "L1", "content_download", "2026-06-12T15:00:00Z", None),
    ];
    let s = &score_all(vec![ideal()], &events)[0];
    let f = fired(s);
    for rule in [
        "icp_industry",
        "employee_band",
        "tech_stack",
        "target_geo",
        "use_case",
        "pricing_page",
        "demo_request",
        "trial_activation",
        "intent_surge",
        "high_intent_burst",
        "director_plus",
        "budget_owner",
        "timeline_90d",
        "contract_end",
        "event_follow_up",
        "corporate_email",
        "phone_verified",
        "consent",
        "unique_record",
    ] {
        assert!(f.contains(&rule), "{rule} did not fire: {f:?}");
    }
    // One person engaged: no buying committee.
    assert!(!f.contains(&"buying_committee"));
    // Intent 10+25+30+10+10 = 85 capped at 40; integrity 20 capped at 15; timing 25 capped at 20.
    assert_eq!(s.dimensions.get("fit"), 50);
    assert_eq!(s.dimensions.get("intent"), 40);
    assert_eq!(s.dimensions.get("access"), 20);
    assert_eq!(s.dimensions.get("timing"), 20);
    assert_eq!(s.dimensions.get("integrity"), 15);
    assert_eq!(s.dimensions.get("penalty"), 0);
    assert_eq!(s.total, 145);
    assert_eq!((s.quality, &*s.grade, s.cell.as_str()), (true, "A", "A1"));
    let caps: Vec<_> = s.reasons.iter().filter(|r| &*r.rule == "cap").map(|r| (&*r.dimension, r.points)).collect();
    assert_eq!(caps, vec![("intent", -45), ("timing", -5), ("integrity", -5)]);
    assert_eq!(s.reasons.iter().map(|r| r.points).sum::<i32>(), s.total);
}

#[test]
fn windows_are_measured_back_from_t_and_future_events_are_ignored() {
    let l = lead(&[("lead_id", "L1")]);
    let events = vec![
        // 31 days before T: outside the 30-day pricing window.
        ev("a", "L1", "page_view", "2026-05-30T11:59:59Z", Some("/pricing")),
        // After T: ignored.
        ev("b", "L1", "demo_request", "2026-06-30T12:00:01Z", None),
        // Exactly 90 days before T: inside (windows are inclusive).
        ev("c", "L1", "trial_started", "2026-04-01T12:00:00Z", None),
    ];
    let s = &score_all(vec![l], &events)[0];
    assert_eq!(fired(s), vec!["trial_activation", "unique_record"]);
}

#[test]
fn path_rules_are_segment_aware_and_distinct() {
    let l = lead(&[("lead_id", "L1")]);
    let events = vec![
        ev("a", "L1", "page_view", "2026-06-29T10:00:00Z", Some("/pricingx")),
        ev("b", "L1", "page_view", "2026-06-29T10:01:00Z", Some("/demo/")),
        ev("c", "L1", "page_view", "2026-06-29T10:02:00Z", Some("/demo?x=1")),
    ];
    let s = &score_all(vec![l.clone()], &events)[0];
    assert!(!fired(s).contains(&"pricing_page"));
    assert!(!fired(s).contains(&"high_intent_burst"), "the same page twice is one distinct page");
    let mut more = events.clone();
    more.push(ev("d", "L1", "page_view", "2026-06-29T10:03:00Z", Some("https://x.io/compare/rivalcrm")));
    let s = &score_all(vec![l], &more)[0];
    let burst = s.reasons.iter().find(|r| &*r.rule == "high_intent_burst").expect("burst fires");
    assert_eq!(burst.detail, "2 distinct pages in the last 7 days: /compare/rivalcrm, /demo");
}

#[test]
fn penalties_fire_on_their_signals() {
    let leads = vec![
        lead(&[("lead_id", "gmail"), ("email", "Jane.Doe+x@GMAIL.com"), ("title", "PhD Student")]),
        lead(&[("lead_id", "rival"), ("email", "spy@eu.rivalcrm.com")]),
        lead(&[("lead_id", "rival2"), ("domain", "https://www.ScoreLeads.io/")]),
        lead(&[("lead_id", "bot"), ("email", "x@mailinator.com"), ("honeypot", "http://spam")]),
        lead(&[("lead_id", "burst"), ("first_name", "Maria"), ("last_name", "Garcia")]),
        lead(&[("lead_id", "jobs")]),
    ];
    let mut events = vec![
        ev("b1", "gmail", "email_bounce", "2025-01-01T00:00:00Z", None),
        ev("j1", "jobs", "page_view", "2026-06-01T00:00:00Z", Some("/jobs/123")),
    ];
    for i in 0..5 {
        events.push(ev(&format!("f{i}"), "burst", "form_submit", &format!("2026-06-01T10:00:{:02}Z", i * 12), None));
    }
    let scores = score_all(leads, &events);
    let by = |id: &str| scores.iter().find(|s| s.lead_id == id).unwrap();
    assert!(fired(by("gmail")).contains(&"personal_email"));
    assert!(fired(by("gmail")).contains(&"student"));
    assert!(fired(by("gmail")).contains(&"bounced_email"), "bounces count at any age");
    assert!(fired(by("rival")).contains(&"competitor"));
    assert!(fired(by("rival2")).contains(&"competitor"));
    let bot = by("bot");
    assert!(fired(bot).contains(&"spam"));
    assert_eq!(bot.reasons.iter().find(|r| &*r.rule == "spam").unwrap().detail, "honeypot present (http://spam)");
    assert!(fired(by("burst")).contains(&"spam"), "5 form_submit within 48 s");
    assert!(fired(by("jobs")).contains(&"careers_page"));
    assert_eq!(by("gmail").dimensions.get("penalty"), -45);
}

#[test]
fn four_form_submits_or_a_slow_fifth_are_not_a_burst() {
    let l = lead(&[("lead_id", "L1")]);
    let mut events = Vec::new();
    for i in 0..5 {
        events.push(ev(&format!("f{i}"), "L1", "form_submit", &format!("2026-06-01T10:00:{:02}Z", i * 15), None));
    }
    // 0, 15, 30, 45, 60 s: five within exactly 60 s fires.
    assert!(fired(&score_all(vec![l.clone()], &events)[0]).contains(&"spam"));
    events[4].occurred_at = "2026-06-01T10:01:01Z".parse().unwrap();
    assert!(!fired(&score_all(vec![l], &events)[0]).contains(&"spam"));
}

#[test]
fn duplicates_and_buying_committees_use_the_population() {
    let leads = vec![
        lead(&[("lead_id", "a"), ("email", "j.doe@gmail.com"), ("first_name", "J")]),
        lead(&[("lead_id", "b"), ("email", "JDOE+news@googlemail.com")]),
        lead(&[("lead_id", "c"), ("email", "ann@acme.io"), ("first_name", "Ann"), ("last_name", "Lee")]),
        lead(&[("lead_id", "d"), ("email", "ann.lee@acme.io"), ("first_name", " ann "), ("last_name", "LEE")]),
        lead(&[("lead_id", "e"), ("email", "bob@acme.io")]),
        lead(&[("lead_id", "f"), ("email", "cy@acme.io"), ("account_id", "ACC-1")]),
    ];
    let events = vec![
        ev("1", "c", "page_view", "2026-06-25T00:00:00Z", Some("/blog")),
        ev("2", "e", "email_click", "2026-06-10T00:00:00Z", None),
        // Not engagement: opens and sales touches do not count.
        ev("3", "d", "email_open", "2026-06-25T00:00:00Z", None),
        ev("4", "f", "page_view", "2026-06-25T00:00:00Z", Some("/blog")),
    ];
    let scores = score_all(leads, &events);
    let by = |id: &str| scores.iter().find(|s| s.lead_id == id).unwrap();
    for id in ["a", "b", "c", "d"] {
        assert!(!fired(by(id)).contains(&"unique_record"), "{id} has a duplicate");
    }
    assert!(fired(by("e")).contains(&"unique_record"));
    // acme.io: c and e engaged in 30 days; f has an account_id and is in another account.
    for id in ["c", "d", "e"] {
        assert!(fired(by(id)).contains(&"buying_committee"), "{id}");
    }
    assert!(!fired(by("f")).contains(&"buying_committee"));
    let detail = &by("d").reasons.iter().find(|r| &*r.rule == "buying_committee").unwrap().detail;
    assert_eq!(detail, "2 people of account acme.io engaged in the last 30 days");
}

#[test]
fn use_case_matches_whole_words_only() {
    let leads = vec![
        lead(&[("lead_id", "a"), ("use_case", "Our data pipelines are slow")]),
        lead(&[("lead_id", "b"), ("use_case", "forecasting; Pipeline!")]),
    ];
    let scores = score_all(leads, &[]);
    assert!(!fired(&scores[0]).contains(&"use_case"));
    assert_eq!(scores[1].reasons.iter().find(|r| &*r.rule == "use_case").unwrap().detail, "use_case mentions \"pipeline\"");
}

#[test]
fn assistant_to_the_director_is_not_a_director() {
    let leads = vec![
        lead(&[("lead_id", "a"), ("title", "Assistant to the Director")]),
        lead(&[("lead_id", "b"), ("title", "Director of Marketing")]),
    ];
    let scores = score_all(leads, &[]);
    assert!(!fired(&scores[0]).contains(&"director_plus"));
    assert!(fired(&scores[1]).contains(&"director_plus"));
}

#[test]
fn contract_end_is_within_the_next_365_days_by_date() {
    let leads = vec![
        lead(&[("lead_id", "today"), ("contract_end", "2026-06-30")]),
        lead(&[("lead_id", "past"), ("contract_end", "2026-06-29")]),
        lead(&[("lead_id", "edge"), ("contract_end", "2027-06-30")]),
        lead(&[("lead_id", "far"), ("contract_end", "2027-07-01")]),
    ];
    let scores = score_all(leads, &[]);
    let has = |i: usize| fired(&scores[i]).contains(&"contract_end");
    assert_eq!((has(0), has(1), has(2), has(3)), (true, false, true, false));
}

#[test]
fn event_follow_up_needs_a_later_engagement_within_7_days() {
    let l = lead(&[("lead_id", "L1")]);
    let base = vec![ev("w", "L1", "webinar_attended", "2026-06-10T15:00:00Z", None)];
    let mut late = base.clone();
    late.push(ev("p", "L1", "page_view", "2026-06-17T15:00:01Z", Some("/blog")));
    let mut open = base.clone();
    open.push(ev("o", "L1", "email_open", "2026-06-11T15:00:00Z", None));
    let mut ok = base.clone();
    ok.push(ev("r", "L1", "email_reply", "2026-06-17T15:00:00Z", None));
    let has = |events: &[Event]| fired(&score_all(vec![l.clone()], events)[0]).contains(&"event_follow_up");
    assert!(!has(&base));
    assert!(!has(&late), "more than 7 days later");
    assert!(!has(&open), "an email open is not engagement");
    assert!(has(&ok));
}

#[test]
fn grades_and_cells_follow_the_bands() {
    let model = default_model();
    let l = lead(&[("lead_id", "L1"), ("industry", "Healthcare"), ("employees", "2000"), ("country", "de"), ("email", "x@clinic.de")]);
    let d = dataset(&model, vec![l], &[ev("d", "L1", "demo_request", "2026-06-01T00:00:00Z", None)]);
    let s = &d.score_all(&model, t(), &|_| {})[0];
    // fit 30 (industry, band, geo) -> B; intent 25 -> 2; integrity 10 (corporate, unique).
    assert_eq!((s.total, &*s.grade, s.cell.as_str(), s.quality), (65, "B", "B2", false));
    let gap = explain::gap(&model, s);
    assert_eq!(gap.needed, 15);
    assert_eq!(gap.suggestions[0].rule.as_ref(), "trial_activation");
    assert_eq!(gap.suggestions[0].gain, 15, "intent has 15 points of room under its cap");
    assert_eq!(gap.path, 1);
}

#[test]
fn consent_rule_reads_the_latest_marketing_record() {
    use leadrank_core::records::{ConsentRecord, consent_from_pairs};
    let rec = |lead: &str, purpose: &str, status: &str, at: &str| -> ConsentRecord {
        consent_from_pairs([("lead_id", lead), ("purpose", purpose), ("status", status), ("source", "form"), ("at", at)]).unwrap()
    };
    let model = default_model();
    let leads = vec![
        lead(&[("lead_id", "withdrawn"), ("consent", "yes")]),
        lead(&[("lead_id", "regranted"), ("consent", "no")]),
        lead(&[("lead_id", "analytics_only"), ("consent", "yes")]),
        lead(&[("lead_id", "no_records"), ("consent", "yes")]),
        lead(&[("lead_id", "tie"), ("consent", "no")]),
    ];
    let records = vec![
        // Out of time order on purpose: the latest time wins, not the last row.
        rec("withdrawn", "marketing", "withdrawn", "2026-05-01T00:00:00Z"),
        rec("withdrawn", "marketing", "granted", "2026-01-01T00:00:00Z"),
        rec("regranted", "marketing", "withdrawn", "2026-01-01"),
        rec("regranted", "Marketing", "granted", "2026-04-01"),
        rec("analytics_only", "analytics", "withdrawn", "2026-05-01"),
        rec("analytics_only", "sales_contact", "denied", "2026-05-02"),
        // Same time: the later row wins.
        rec("tie", "marketing", "denied", "2026-03-01"),
        rec("tie", "marketing", "granted", "2026-03-01"),
    ];
    let mut b = DatasetBuilder::new(&model);
    for l in leads {
        b.add_lead(l).unwrap();
    }
    for r in records {
        b.add_consent(r).unwrap();
    }
    let err = b.add_consent(rec("NOPE", "marketing", "granted", "2026-03-01")).unwrap_err();
    assert_eq!(err.to_string(), "lead_id 'NOPE' is not in the leads input");
    let d = b.build();
    assert_eq!(d.consents.len(), 8, "every record is kept, whatever its purpose");
    let scores = d.score_all(&model, t(), &|_| {});
    let fires = |i: usize| fired(&scores[i]).contains(&"consent");
    assert!(!fires(0), "granted then withdrawn");
    let at = |i: usize| d.consent_at(i, t()).map(|(granted, at)| (granted, at.to_string()));
    assert_eq!(at(0), Some((false, "2026-05-01T00:00:00Z".into())));
    assert!(fires(1), "withdrawn then granted");
    assert_eq!(at(1), Some((true, "2026-04-01T00:00:00Z".into())));
    assert!(fires(2), "records for other purposes change nothing");
    assert_eq!((at(2), d.leads[2].consent), (None, Some(true)));
    assert!(fires(3), "no records: the leads input's flag is used");
    assert!(fires(4), "a tie in time goes to the later row");
    // Scored before the withdrawal, the lead still had consent: records after T are unknown.
    let before: Timestamp = "2026-04-15T00:00:00Z".parse().unwrap();
    let early = d.score_all(&model, before, &|_| {});
    assert!(fired(&early[0]).contains(&"consent"), "granted in January, withdrawn in May");
    assert!(fired(&early[1]).contains(&"consent"), "regranted in April");
    let earliest: Timestamp = "2025-12-01T00:00:00Z".parse().unwrap();
    assert!(!fired(&d.score_all(&model, earliest, &|_| {})[1]).contains(&"consent"), "no record yet: the leads input's 'no'");
}
