//! Walks of whole lead lives through the public API.

use std::sync::Arc;

use jiff::Timestamp;
use leadrank_core::model::LifecycleSpec;
use leadrank_lifecycle::{FunnelReport, ItemStatus, LeadLifecycle, Policy, ScoreView, Stage, Transition};

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn view(quality: bool, total: i32, signals: &[Arc<str>]) -> ScoreView<'_> {
    ScoreView { quality, total, signals }
}

#[test]
fn inquiry_to_won_with_bant() {
    let p = Policy::from_spec(&LifecycleSpec::default());
    let none: Vec<Arc<str>> = vec![];
    let (mut st, created) = LeadLifecycle::new(at("2025-03-01T09:00:00Z"));
    let mut log: Vec<Transition> = vec![created];

    assert_eq!(p.on_score(&mut st, view(false, 35, &none), at("2025-03-02T09:00:00Z")), None);
    log.push(p.on_score(&mut st, view(true, 72, &none), at("2025-03-03T09:00:00Z")).unwrap());
    log.push(p.accept(&mut st, "ann", Some("demo booked"), at("2025-03-03T09:04:00Z")).unwrap());
    assert_eq!(st.stage, Stage::Sal);

    let steps = [
        ("need", ItemStatus::Confirmed, "renewal of their scoring tool; board asked for it"),
        ("budget", ItemStatus::Unknown, "asking finance"),
        ("authority", ItemStatus::Confirmed, "VP Sales signs"),
        ("timeline", ItemStatus::Confirmed, "live by July"),
    ];
    for (item, status, note) in steps {
        assert_eq!(p.set_item(&mut st, "bant", item, status, Some(note), "ann", at("2025-03-05T10:00:00Z")).unwrap(), None);
    }
    let c = st.checklist.completeness(p.checklist);
    assert_eq!((c.confirmed, c.unknown, c.percent, c.complete), (3, 1, 75, false));
    assert_eq!(c.items[0].prompt.as_deref(), Some("What's the budget source for this initiative?"));
    // The gate holds a manual move too.
    assert!(p.move_to(&mut st, Stage::Sql, "ann", "looks good", None, at("2025-03-05T11:00:00Z")).is_err());

    let sql = p
        .set_item(&mut st, "bant", "budget", ItemStatus::Confirmed, Some("ops budget"), "ann", at("2025-03-06T10:00:00Z"))
        .unwrap()
        .unwrap();
    assert_eq!(sql.actor, "rule:checklist_complete");
    log.push(sql);
    log.push(p.move_to(&mut st, Stage::Opportunity, "ann", "opportunity created in CRM", None, at("2025-03-07T10:00:00Z")).unwrap());
    log.push(p.move_to(&mut st, Stage::Won, "ann", "contract signed", None, at("2025-04-01T10:00:00Z")).unwrap());

    let stages: Vec<Stage> = log.iter().map(|t| t.to).collect();
    assert_eq!(stages, [Stage::Inquiry, Stage::Mql, Stage::Sal, Stage::Sql, Stage::Opportunity, Stage::Won]);
    for w in log.windows(2) {
        assert_eq!(w[1].from, Some(w[0].to), "the chain of transitions is unbroken");
    }
    assert_eq!(st.history_len as usize, log.len());
    assert_eq!((st.quality_at, st.accepted_at), (Some(at("2025-03-03T09:00:00Z")), Some(at("2025-03-03T09:04:00Z"))));
    assert!(!st.stage.is_open());
    // Nothing moves a won lead automatically.
    assert_eq!(p.on_score(&mut st, view(false, 0, &none), at("2025-05-01T00:00:00Z")), None);

    let r = FunnelReport::build([&st].into_iter(), log.iter().map(|t| ("L1", t)));
    assert_eq!(r.count(Stage::Won), 1);
    assert_eq!(r.conversion.mql_to_sql.rate, Some(1.0));
    assert_eq!(r.conversion.sql_to_won.rate, Some(1.0));
    assert_eq!(r.rejection_rate.rate, Some(0.0));
}

#[test]
fn rejected_nurtured_and_recycled() {
    let spec = LifecycleSpec { pql_signal: Some("pql".into()), recycle_after_days: 30, ..LifecycleSpec::default() };
    let p = Policy::from_spec(&spec);
    let pql: Vec<Arc<str>> = vec![Arc::from("pql")];
    let none: Vec<Arc<str>> = vec![];
    let (mut st, created) = LeadLifecycle::new(at("2025-01-01T00:00:00Z"));
    let mut log = vec![created];

    log.push(p.on_score(&mut st, view(true, 65, &pql), at("2025-01-02T00:00:00Z")).unwrap());
    assert_eq!(st.stage, Stage::Pql);
    let rej = p.reject(&mut st, "bob", "no_active_project", Some("revisit in spring"), 65, at("2025-01-03T00:00:00Z")).unwrap();
    assert_eq!((rej.to, rej.rejection.as_deref()), (Stage::Nurture, Some("no_active_project")));
    log.push(rej);

    // Still quality and higher, but inside the cool-down: stays in nurture.
    assert_eq!(p.on_score(&mut st, view(true, 80, &pql), at("2025-01-20T00:00:00Z")), None);
    // After the cool-down, but the score is not higher than at the rejection.
    assert_eq!(p.on_score(&mut st, view(true, 65, &none), at("2025-02-10T00:00:00Z")), None);
    let rec = p.on_score(&mut st, view(true, 81, &none), at("2025-02-10T00:00:00Z")).unwrap();
    assert_eq!((rec.from, rec.to, rec.actor.as_str()), (Some(Stage::Nurture), Stage::Recycled, "rule:recycle"));
    log.push(rec);
    log.push(p.accept(&mut st, "bob", None, at("2025-02-10T01:00:00Z")).unwrap());
    assert_eq!(st.stage, Stage::Sal);
    assert_eq!(st.rejected.as_ref().unwrap().total, 65);

    let r = FunnelReport::build([&st].into_iter(), log.iter().map(|t| ("L2", t)));
    assert_eq!((r.entered(Stage::Nurture), r.entered(Stage::Recycled), r.entered(Stage::Sal)), (1, 1, 1));
    assert_eq!(r.rejections.len(), 1);
    assert_eq!(r.rejection_rate.rate, Some(0.5));
    assert_eq!(r.conversion.mql_to_sal.rate, Some(1.0));
}
