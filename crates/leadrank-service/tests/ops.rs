//! The operating layer through the service, on a manual clock: stage rules, sales
//! acceptance and rejection, checklists, routing rules and SLA breaches in business hours,
//! and a restart keeping all of it (SQLite always, PostgreSQL when reachable).

use std::sync::Arc;

use jiff::Timestamp;
use leadrank_core::records::{Account, Event, Lead};
use leadrank_lifecycle::{ItemStatus, Stage};
use leadrank_routing::{Rep, Team};
use leadrank_service::clock::ManualClock;
use leadrank_service::metrics::Metrics;
use leadrank_service::service::Service;
use leadrank_store::Store;
use leadrank_store_sqlite::SqliteStore;

use leadrank_testkit::Backend;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// 65 points without events (fit 30, access 20, integrity 15); a demo request (+25) makes
/// it a quality lead (threshold 80).
fn lead(id: &str, country: &str, employees: i64) -> Lead {
    Lead {
        lead_id: id.into(),
        email: Some(format!("{}@acme-{}.io", id.to_lowercase(), id.to_lowercase()).into()),
        first_name: Some("Grace".into()),
        last_name: Some("Hopper".into()),
        title: Some("VP of Sales".into()),
        company: Some(format!("Acme {id}").into()),
        industry: Some("Software".into()),
        employees: Some(employees),
        country: Some(country.into()),
        budget_owner: Some(true),
        consent: Some(true),
        ..Lead::default()
    }
}

fn event(id: &str, lead: &str, kind: &str, at: &str) -> Event {
    Event { event_id: id.into(), lead_id: lead.into(), event_type: kind.into(), occurred_at: ts(at), url: None, properties: None }
}

fn team(id: &str, tz: &str) -> Team {
    serde_json::from_value(serde_json::json!({"id": id, "name": id, "timezone": tz})).unwrap()
}

fn rep(id: &str, team: &str, capacity: u32) -> Rep {
    serde_json::from_value(serde_json::json!({"id": id, "name": id, "team": team, "capacity": capacity})).unwrap()
}

async fn start_at(store: Arc<dyn Store>, at: &str) -> (Arc<Service>, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(ts(at)));
    let svc = Service::start(store, clock.clone(), Arc::new(Metrics::new())).await.unwrap();
    (svc, clock)
}

async fn sqlite() -> (tempfile::TempDir, Arc<dyn Store>) {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&dir.path().join("ops.db")).await.unwrap());
    (dir, store)
}

fn stage(svc: &Service, id: &str) -> Stage {
    svc.read_state(|_, ops| ops.leads.get(id).map(|s| s.lifecycle.stage)).unwrap()
}

fn rep_of(svc: &Service, id: &str) -> Option<String> {
    svc.read_state(|_, ops| ops.leads.get(id).and_then(|s| s.assignment.as_ref()).filter(|a| !a.released).and_then(|a| a.rep.clone()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quality_lead_is_routed_and_a_missed_first_touch_breaches_on_time_and_reroutes() {
    let (_dir, store) = sqlite().await;
    // Tuesday 10:00 in New York (EDT, UTC-4).
    let (svc, clock) = start_at(store.clone(), "2026-06-02T14:00:00Z").await;
    svc.put_team(team("amer-mid-market", "America/New_York")).await.unwrap();
    svc.put_rep(rep("r1", "amer-mid-market", 5)).await.unwrap();
    svc.put_rep(rep("r2", "amer-mid-market", 5)).await.unwrap();

    svc.upsert_leads(vec![lead("L1", "US", 500)]).await.unwrap();
    assert_eq!(stage(&svc, "L1"), Stage::Inquiry);
    assert_eq!(rep_of(&svc, "L1"), None, "an inquiry is not routed");

    let out = svc.ingest_events(vec![event("e1", "L1", "demo_request", "2026-06-02T13:59:00Z")]).await.unwrap();
    assert_eq!(out[0].0, leadrank_service::service::Outcome::Accepted);
    assert_eq!(stage(&svc, "L1"), Stage::Mql);
    assert_eq!(rep_of(&svc, "L1").as_deref(), Some("r1"), "round-robin starts with the lowest id on a tie");
    {
        let a = svc.read_state(|_, ops| ops.leads["L1"].assignment.clone()).unwrap();
        assert_eq!(a.team.as_deref(), Some("amer-mid-market"));
        assert_eq!(a.rule, "territory", "{a:?}");
    }
    assert_eq!(svc.next_sla_due(), Some(ts("2026-06-02T14:05:00Z")), "first touch within 5 business minutes");

    // Not yet due: nothing happens.
    assert_eq!(svc.sla_sweep(ts("2026-06-02T14:04:59Z")).0, 0);
    // Due and untouched: one breach, re-routed to the other rep with a fresh clock.
    clock.set(ts("2026-06-02T14:05:01Z"));
    let (found, lag) = svc.sla_sweep(ts("2026-06-02T14:05:01Z"));
    assert_eq!(found, 1);
    assert!((lag - 1.0).abs() < 1e-9, "{lag}");
    assert_eq!(rep_of(&svc, "L1").as_deref(), Some("r2"));
    assert_eq!(svc.sla_report().breaches.by_rep.get("r1"), Some(&1));
    assert_eq!(svc.next_sla_due(), Some(ts("2026-06-02T14:10:01Z")));

    // r2 calls within the new five minutes: the first touch is met.
    clock.set(ts("2026-06-02T14:07:00Z"));
    svc.ingest_events(vec![event("t1", "L1", "sales_touch", "2026-06-02T14:06:00Z")]).await.unwrap();
    assert_eq!(svc.sla_sweep(ts("2026-06-02T14:11:00Z")).0, 0);
    // Two touches within the first hour: only one came, so that milestone breaches (no re-route).
    assert_eq!(svc.next_sla_due(), Some(ts("2026-06-02T15:05:01Z")));
    assert_eq!(svc.sla_sweep(ts("2026-06-02T15:05:02Z")).0, 1);
    assert_eq!(rep_of(&svc, "L1").as_deref(), Some("r2"));
    let report = svc.sla_report();
    assert_eq!(report.breaches.total, 2);
    assert_eq!(report.breaches.by_team.get("amer-mid-market"), Some(&2));
    assert_eq!(report.speed_to_lead.touched, 1);

    // Everything is in the operating log.
    svc.flush().await;
    let kinds: Vec<String> = store.ops_log("L1").await.unwrap().into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds.iter().filter(|k| *k == "breach").count(), 2, "{kinds:?}");
    assert_eq!(kinds.iter().filter(|k| *k == "assignment").count(), 2, "{kinds:?}");
    assert!(kinds.iter().filter(|k| *k == "transition").count() >= 2, "{kinds:?}");
    // The index of assigned leads followed the re-routing: the lead is under its new rep only.
    let now_rep = rep_of(&svc, "L1").unwrap();
    svc.read_state(|_, ops| {
        assert!(ops.assigned_index_is_exact());
        assert_eq!(ops.assigned().of_rep(&now_rep).collect::<Vec<_>>(), ["L1"]);
        assert!(ops.reps.keys().filter(|r| **r != now_rep).all(|r| ops.assigned().of_rep(r).next().is_none()));
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sla_deadlines_follow_each_teams_business_hours_and_time_zone() {
    let (_dir, store) = sqlite().await;
    // Friday 17:00 in New York = 23:00 in Berlin (both closed).
    let (svc, _clock) = start_at(store, "2026-06-05T21:00:00Z").await;
    svc.put_team(team("amer-mid-market", "America/New_York")).await.unwrap();
    svc.put_team(team("emea-mid-market", "Europe/Berlin")).await.unwrap();
    svc.put_rep(rep("ny", "amer-mid-market", 5)).await.unwrap();
    svc.put_rep(rep("be", "emea-mid-market", 5)).await.unwrap();
    svc.upsert_leads(vec![lead("US1", "US", 500), lead("DE1", "DE", 500)]).await.unwrap();
    svc.ingest_events(vec![
        event("e1", "US1", "demo_request", "2026-06-05T20:00:00Z"),
        event("e2", "DE1", "demo_request", "2026-06-05T20:00:00Z"),
    ])
    .await
    .unwrap();
    assert_eq!(rep_of(&svc, "US1").as_deref(), Some("ny"));
    assert_eq!(rep_of(&svc, "DE1").as_deref(), Some("be"));
    let due = |id: &str| svc.read_state(|_, ops| ops.leads[id].sla.as_ref().unwrap().clock.milestones[0].due);
    // Monday 09:05 local: 13:05 UTC in New York (EDT), 07:05 UTC in Berlin (CEST).
    assert_eq!(due("US1"), ts("2026-06-08T13:05:00Z"));
    assert_eq!(due("DE1"), ts("2026-06-08T07:05:00Z"));
    assert_eq!(svc.next_sla_due(), Some(ts("2026-06-08T07:05:00Z")));
    // Nothing breaches over the weekend.
    assert_eq!(svc.sla_sweep(ts("2026-06-07T12:00:00Z")).0, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn routing_rules_first_match_wins() {
    let (_dir, store) = sqlite().await;
    let (svc, _clock) = start_at(store, "2026-06-02T14:00:00Z").await;
    for (t, tz) in [("abm", "America/New_York"), ("emea-enterprise", "Europe/London"), ("amer-smb", "America/Chicago")] {
        svc.put_team(team(t, tz)).await.unwrap();
    }
    svc.put_rep(rep("owner1", "emea-enterprise", 50)).await.unwrap();
    svc.put_rep(rep("abm1", "abm", 50)).await.unwrap();
    svc.put_rep(rep("ent1", "emea-enterprise", 1)).await.unwrap();
    svc.put_rep(rep("ent2", "emea-enterprise", 1)).await.unwrap();
    let mut away = rep("smb1", "amer-smb", 5);
    away.away = true;
    svc.put_rep(away).await.unwrap();
    svc.upsert_accounts(vec![
        Account { account_id: "A1".into(), name: Some("Owned".into()), owner: Some("owner1".into()), ..Account::default() },
        Account { account_id: "A2".into(), name: Some("Target".into()), tier: Some("abm".into()), ..Account::default() },
    ])
    .await
    .unwrap();
    let mut owned = lead("OWN", "US", 500);
    owned.account_id = Some("A1".into());
    let mut target = lead("ABM", "US", 500);
    target.account_id = Some("A2".into());
    let leads = vec![
        owned,
        target,
        lead("ENT1", "GB", 5000),
        lead("ENT2", "GB", 5000),
        lead("ENT3", "GB", 5000),
        lead("SMB", "US", 50),
        lead("NOWHERE", "ZZ", 500),
    ];
    let ids: Vec<String> = leads.iter().map(|l| l.lead_id.clone()).collect();
    svc.upsert_leads(leads).await.unwrap();
    let events: Vec<Event> = ids.iter().map(|id| event(&format!("d-{id}"), id, "demo_request", "2026-06-02T13:00:00Z")).collect();
    svc.ingest_events(events).await.unwrap();

    let a = |id: &str| svc.read_state(|_, ops| ops.leads[id].assignment.clone()).unwrap();
    assert_eq!((a("OWN").rule.as_str(), a("OWN").rep.as_deref()), ("account_owner", Some("owner1")));
    assert_eq!((a("ABM").rule.as_str(), a("ABM").rep.as_deref()), ("abm", Some("abm1")));
    // Enterprise GB: capacity 1 each, so the third goes to the owner1 rep of the same team.
    let mut ent: Vec<String> = ["ENT1", "ENT2", "ENT3"].iter().filter_map(|id| a(id).rep).collect();
    ent.sort();
    assert_eq!(ent, vec!["ent1", "ent2", "owner1"]);
    // The only SMB rep is away and the unknown country has no territory: the fallback queue.
    assert_eq!(a("SMB").queue.as_deref(), Some("unassigned"), "{:?}", a("SMB"));
    assert_eq!(a("NOWHERE").queue.as_deref(), Some("unassigned"));
    let report = svc.routing_report();
    assert_eq!(report.queues.get("unassigned"), Some(&2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acceptance_checklist_rejection_recycling_pql_and_falling_below_the_bar() {
    let (_dir, store) = sqlite().await;
    let (svc, clock) = start_at(store.clone(), "2026-06-02T14:00:00Z").await;
    svc.upsert_leads(vec![
        lead("WIN", "US", 500),
        lead("REJ", "US", 500),
        lead("SPAM", "US", 500),
        lead("PQL", "US", 50),
        lead("FADE", "US", 500),
    ])
    .await
    .unwrap();
    svc.ingest_events(vec![
        event("w1", "WIN", "demo_request", "2026-06-02T13:00:00Z"),
        event("r1", "REJ", "demo_request", "2026-06-02T13:00:00Z"),
        event("s1", "SPAM", "demo_request", "2026-06-02T13:00:00Z"),
        event("p1", "PQL", "teammate_invited", "2026-06-02T13:00:00Z"),
        event("f1", "FADE", "demo_request", "2026-03-10T13:00:00Z"),
    ])
    .await
    .unwrap();
    for id in ["WIN", "REJ", "SPAM", "FADE"] {
        assert_eq!(stage(&svc, id), Stage::Mql, "{id}");
    }
    assert_eq!(stage(&svc, "PQL"), Stage::Pql, "a teammate invitation makes a product-qualified lead");

    // Accept, fill BANT: the last confirmed item moves the lead to sql by itself.
    let t = svc.lifecycle_action("WIN", |p, st, _, now| p.accept(st, "r1", None, now).map(Some)).await.unwrap();
    assert_eq!(t.map(|t| t.to), Some(Stage::Sal));
    for item in ["budget", "authority", "need"] {
        let t = svc
            .lifecycle_action("WIN", |p, st, _, now| p.set_item(st, "bant", item, ItemStatus::Confirmed, None, "r1", now))
            .await
            .unwrap();
        assert!(t.is_none());
    }
    assert_eq!(stage(&svc, "WIN"), Stage::Sal, "a partial checklist is allowed and does not move the lead");
    let t = svc
        .lifecycle_action("WIN", |p, st, _, now| p.set_item(st, "bant", "timeline", ItemStatus::Confirmed, Some("Q3"), "r1", now))
        .await
        .unwrap();
    assert_eq!(t.map(|t| t.to), Some(Stage::Sql));
    // A soft rejection sends REJ to nurture; an unknown code is refused; spam disqualifies.
    let bad = svc.lifecycle_action("REJ", |p, st, total, now| p.reject(st, "r1", "no_such_code", None, total, now).map(Some)).await;
    assert!(bad.is_err_and(|e| e.to_string().contains("no_such_code")));
    svc.lifecycle_action("REJ", |p, st, total, now| p.reject(st, "r1", "no_active_project", Some("next year"), total, now).map(Some))
        .await
        .unwrap();
    assert_eq!(stage(&svc, "REJ"), Stage::Nurture);
    svc.lifecycle_action("SPAM", |p, st, total, now| p.reject(st, "r1", "spam", None, total, now).map(Some)).await.unwrap();
    assert_eq!(stage(&svc, "SPAM"), Stage::Disqualified);

    // FADE's demo request leaves its 90-day window on 2026-06-08: back to nurture.
    let later = ts("2026-06-09T14:00:00Z");
    clock.set(later);
    svc.sweep(later).await;
    assert_eq!(stage(&svc, "FADE"), Stage::Nurture);
    assert_eq!(stage(&svc, "WIN"), Stage::Sql, "accepted leads do not move with the score");

    // 35 days after its rejection REJ's score rises above what it was: recycled and routed.
    let much_later = ts("2026-07-07T14:00:00Z");
    clock.set(much_later);
    svc.ingest_events(vec![
        event("r2", "REJ", "demo_request", "2026-07-07T13:00:00Z"),
        event("r3", "REJ", "page_view", "2026-07-07T13:10:00Z"),
    ])
    .await
    .unwrap();
    let mut pricing = event("r4", "REJ", "page_view", "2026-07-07T13:20:00Z");
    pricing.url = Some("https://acme.io/pricing".into());
    svc.ingest_events(vec![pricing]).await.unwrap();
    assert_eq!(stage(&svc, "REJ"), Stage::Recycled);
    let funnel = svc.funnel_report().await.unwrap();
    let json = serde_json::to_value(&funnel).unwrap();
    assert!(json.to_string().contains("no_active_project"), "{json}");
    assert!(json.to_string().contains("spam"), "{json}");
    svc.read_state(|_, ops| assert!(ops.assigned_index_is_exact(), "after acceptance, rejection and recycling"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_keeps_stages_assignments_and_running_clocks() {
    for backend in Backend::all("ops_restart").await {
        restart_keeps_operating_state(&backend).await;
        backend.drop_schema().await;
    }
}

async fn restart_keeps_operating_state(backend: &Backend) {
    let store = backend.open().await;
    let (svc, _clock) = start_at(store.clone(), "2026-06-02T14:00:00Z").await;
    svc.put_team(team("amer-mid-market", "America/New_York")).await.unwrap();
    svc.put_rep(rep("r1", "amer-mid-market", 5)).await.unwrap();
    svc.upsert_leads(vec![lead("L1", "US", 500)]).await.unwrap();
    svc.ingest_events(vec![event("e1", "L1", "demo_request", "2026-06-02T13:59:00Z")]).await.unwrap();
    let due = svc.next_sla_due();
    assert!(due.is_some());
    svc.shutdown().await;
    drop(svc);

    let store = backend.open().await;
    let (again, _clock) = start_at(store, "2026-06-02T14:01:00Z").await;
    assert_eq!(stage(&again, "L1"), Stage::Mql);
    assert_eq!(rep_of(&again, "L1").as_deref(), Some("r1"));
    assert_eq!(again.next_sla_due(), due);
    assert_eq!(again.routing_report().open.iter().find(|r| r.rep == "r1").map(|r| r.open), Some(1));
    again.read_state(|_, ops| {
        assert!(ops.assigned_index_is_exact(), "rebuilt on start");
        assert_eq!(ops.assigned().of_team("amer-mid-market").collect::<Vec<_>>(), ["L1"]);
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_team_checklist_replaces_the_models_as_the_sql_gate() {
    let (_dir, store) = sqlite().await;
    let (svc, _clock) = start_at(store, "2026-06-02T14:00:00Z").await;
    let mut t = team("emea-mid-market", "Europe/Berlin");
    t.checklist = Some("meddicc".into());
    svc.put_team(t).await.unwrap();
    let mut bad = team("x", "UTC");
    bad.checklist = Some("spin".into());
    assert!(svc.put_team(bad).await.unwrap_err().to_string().contains("checklist"));
    svc.put_rep(rep("r1", "emea-mid-market", 5)).await.unwrap();
    svc.upsert_leads(vec![lead("DE1", "DE", 500)]).await.unwrap();
    svc.ingest_events(vec![event("e1", "DE1", "demo_request", "2026-06-02T13:00:00Z")]).await.unwrap();
    svc.lifecycle_action("DE1", |p, st, _, now| p.accept(st, "r1", None, now).map(Some)).await.unwrap();
    for item in ["budget", "authority", "need", "timeline"] {
        svc.lifecycle_action("DE1", |p, st, _, now| p.set_item(st, "bant", item, ItemStatus::Confirmed, None, "r1", now)).await.unwrap();
    }
    assert_eq!(stage(&svc, "DE1"), Stage::Sal, "the team qualifies with MEDDICC, not BANT");
    let items = ["metrics", "economic_buyer", "decision_criteria", "decision_process", "identify_pain", "champion", "competition"];
    for item in items {
        svc.lifecycle_action("DE1", |p, st, _, now| p.set_item(st, "meddicc", item, ItemStatus::Confirmed, None, "r1", now)).await.unwrap();
    }
    assert_eq!(stage(&svc, "DE1"), Stage::Sql);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sla_warnings_come_before_the_deadline_once_per_milestone() {
    let (dir, store) = sqlite().await;
    let (svc, clock) = start_at(store.clone(), "2026-06-02T14:00:00Z").await;
    svc.put_team(team("amer-mid-market", "America/New_York")).await.unwrap();
    svc.put_rep(rep("r1", "amer-mid-market", 5)).await.unwrap();
    let rule = |name: &str, warn: Option<i64>| leadrank_alerts::AlertRuleInput {
        name: name.into(),
        channel: "slack".into(),
        destination: "https://hooks.slack.com/services/T0/B0/X".into(),
        events: vec!["sla.warning".into()],
        team: None,
        rep: None,
        warn_minutes: warn,
        digest: None,
    };
    let two = svc.create_alert_rule(rule("two", None), true, "test").await.unwrap().unwrap();
    let ten = svc.create_alert_rule(rule("ten", Some(10)), true, "test").await.unwrap().unwrap();
    svc.upsert_leads(vec![lead("L1", "US", 500)]).await.unwrap();
    svc.ingest_events(vec![event("e1", "L1", "demo_request", "2026-06-02T13:59:00Z")]).await.unwrap();
    // First touch due 14:05: the 10-minute warning is late already (sent at the next
    // sweep), the 2-minute one is due at 14:03: the SLA timer wakes then.
    assert_eq!(svc.next_sla_due(), Some(ts("2026-06-02T14:00:00Z")));
    svc.sla_sweep(ts("2026-06-02T14:00:00Z"));
    assert_eq!(svc.next_sla_due(), Some(ts("2026-06-02T14:03:00Z")));
    let sent = async |id: &str| {
        svc.flush().await;
        svc.alert_deliveries(id, 100).await.unwrap().into_iter().filter(|d| d.event_type == "sla.warning").count()
    };
    assert_eq!((sent(&two.id).await, sent(&ten.id).await), (0, 1));
    assert_eq!(svc.sla_sweep(ts("2026-06-02T14:02:59Z")).0, 0);
    assert_eq!(sent(&two.id).await, 0);
    clock.set(ts("2026-06-02T14:03:00Z"));
    svc.sla_sweep(ts("2026-06-02T14:03:00Z"));
    assert_eq!((sent(&two.id).await, sent(&ten.id).await), (1, 1), "each rule warned once, at its own lead time");
    let body = svc.alert_deliveries(&two.id, 1).await.unwrap().remove(0).body;
    assert!(body.contains("SLA due soon") && body.contains("first"), "{body}");
    // The next timer is the deadline itself; sweeping again warns no more.
    assert_eq!(svc.next_sla_due(), Some(ts("2026-06-02T14:05:00Z")));
    svc.sla_sweep(ts("2026-06-02T14:04:00Z"));
    assert_eq!(sent(&two.id).await, 1);

    // A restart remembers what was warned.
    svc.shutdown().await;
    drop(svc);
    let (again, _clock) = start_at(store.clone(), "2026-06-02T14:04:00Z").await;
    again.sla_sweep(ts("2026-06-02T14:04:30Z"));
    again.flush().await;
    let warned = again.alert_deliveries(&two.id, 100).await.unwrap().into_iter().filter(|d| d.event_type == "sla.warning").count();
    assert_eq!(warned, 1);
    drop(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_digest_rule_sends_one_message_per_period_and_nothing_for_an_empty_one() {
    let (_dir, store) = sqlite().await;
    let (svc, clock) = start_at(store.clone(), "2026-06-02T14:10:00Z").await;
    let rule = |name: &str, digest: Option<&str>| leadrank_alerts::AlertRuleInput {
        name: name.into(),
        channel: "slack".into(),
        destination: "https://hooks.slack.com/services/T0/B0/X".into(),
        events: vec!["lead.quality".into()],
        team: None,
        rep: None,
        warn_minutes: None,
        digest: digest.map(str::to_string),
    };
    let hourly = svc.create_alert_rule(rule("hourly", Some("hourly")), true, "test").await.unwrap().unwrap();
    let instant = svc.create_alert_rule(rule("instant", None), true, "test").await.unwrap().unwrap();
    svc.upsert_leads(vec![lead("L1", "US", 500), lead("L2", "US", 500)]).await.unwrap();
    svc.ingest_events(vec![event("e1", "L1", "demo_request", "2026-06-02T14:09:00Z")]).await.unwrap();
    clock.set(ts("2026-06-02T14:40:00Z"));
    svc.ingest_events(vec![event("e2", "L2", "demo_request", "2026-06-02T14:39:00Z")]).await.unwrap();
    let sent = async |id: &str| {
        svc.flush().await;
        svc.alert_deliveries(id, 100).await.unwrap()
    };
    assert_eq!(sent(&instant.id).await.len(), 2, "a rule without digest sends each alert");
    assert!(sent(&hourly.id).await.is_empty(), "the digest waits for the end of the hour");
    assert_eq!(svc.next_digest_due(), Some(ts("2026-06-02T15:00:00Z")));
    assert_eq!(svc.flush_digests(ts("2026-06-02T14:59:59Z")), 0);
    assert_eq!(svc.flush_digests(ts("2026-06-02T15:00:00Z")), 1);
    let digest = sent(&hourly.id).await;
    assert_eq!(digest.len(), 1, "one message for the period");
    assert_eq!(digest[0].event_type, "alert.digest");
    assert_eq!(digest[0].lead_id, None);
    assert!(digest[0].body.contains("L1") && digest[0].body.contains("L2"), "both alerts: {}", digest[0].body);
    // The next hour holds no alert: nothing is sent.
    assert_eq!(svc.next_digest_due(), None);
    assert_eq!(svc.flush_digests(ts("2026-06-02T16:00:00Z")), 0);
    assert_eq!(sent(&hourly.id).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_digest_waiting_for_its_period_survives_a_restart_and_erasure() {
    for backend in Backend::all("digests").await {
        digest_survives_restart_and_erasure(&backend).await;
        backend.drop_schema().await;
    }
}

async fn digest_survives_restart_and_erasure(backend: &Backend) {
    let store = backend.open().await;
    let (svc, clock) = start_at(store.clone(), "2026-06-02T14:10:00Z").await;
    let hourly = svc
        .create_alert_rule(
            leadrank_alerts::AlertRuleInput {
                name: "hourly".into(),
                channel: "slack".into(),
                destination: "https://hooks.slack.com/services/T0/B0/X".into(),
                events: vec!["lead.quality".into()],
                team: None,
                rep: None,
                warn_minutes: None,
                digest: Some("hourly".into()),
            },
            true,
            "test",
        )
        .await
        .unwrap()
        .unwrap();
    svc.upsert_leads(vec![lead("L1", "US", 500), lead("L2", "US", 500)]).await.unwrap();
    svc.ingest_events(vec![event("e1", "L1", "demo_request", "2026-06-02T14:09:00Z")]).await.unwrap();
    clock.set(ts("2026-06-02T14:20:00Z"));
    svc.ingest_events(vec![event("e2", "L2", "demo_request", "2026-06-02T14:19:00Z")]).await.unwrap();
    // What the SLA timer's round does after the alerts arrive; then the process dies
    // without a shutdown.
    svc.write_pending_digests().await.unwrap();
    let stored = store.directory(leadrank_service::digest_store::DIGEST_KIND).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert!(stored[0].body.contains("L1") && stored[0].body.contains("L2"), "{}", stored[0].body);
    for personal in ["Grace", "Hopper", "VP of Sales", "Acme"] {
        assert!(!stored[0].body.contains(personal), "no personal data is stored: {personal} in {}", stored[0].body);
    }
    drop(svc);

    let store = backend.open().await;
    let (again, _clock) = start_at(store.clone(), "2026-06-02T14:30:00Z").await;
    assert_eq!(again.next_digest_due(), Some(ts("2026-06-02T15:00:00Z")), "the period's alerts were read back");
    // Erasing a person takes their alert out of the stored digest before the erasure returns.
    again.erase(Some("L2"), None, "test").await.unwrap();
    let stored = store.directory(leadrank_service::digest_store::DIGEST_KIND).await.unwrap();
    assert!(stored[0].body.contains("L1") && !stored[0].body.contains("L2"), "{}", stored[0].body);
    again.shutdown().await;
    drop(again);

    let store = backend.open().await;
    let (third, _clock) = start_at(store.clone(), "2026-06-02T15:00:30Z").await;
    assert_eq!(third.flush_digests(ts("2026-06-02T15:00:30Z")), 1, "a period that ended while the server was down is sent");
    third.flush().await;
    let sent = third.alert_deliveries(&hourly.id, 100).await.unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].event_type, "alert.digest");
    assert!(sent[0].body.contains("L1") && !sent[0].body.contains("L2"), "{}", sent[0].body);
    assert!(sent[0].body.contains("Grace Hopper"), "the person is filled in from the lead record: {}", sent[0].body);
    // Once the delivery is recorded, the stored copy goes.
    third.write_pending_digests().await.unwrap();
    assert!(store.directory(leadrank_service::digest_store::DIGEST_KIND).await.unwrap().is_empty());
    third.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_users_last_look_at_their_queue_survives_a_restart_and_erasure() {
    for backend in Backend::all("queue_looks").await {
        last_look_survives_restart_and_erasure(&backend).await;
        backend.drop_schema().await;
    }
}

async fn last_look_survives_restart_and_erasure(backend: &Backend) {
    let store = backend.open().await;
    let (svc, _clock) = start_at(store.clone(), "2026-06-02T14:00:00Z").await;
    svc.upsert_leads(vec![lead("L1", "US", 500), lead("L2", "US", 500)]).await.unwrap();
    assert!(svc.queue_looks("ann").await.unwrap().is_empty(), "never looked");
    svc.remember_queue_look("ann", [("L1".to_string(), 65), ("L2".to_string(), 40)]);
    svc.remember_queue_look("bob", [("L1".to_string(), 50)]);
    assert_eq!(svc.queue_looks("ann").await.unwrap()["L1"], 65, "in memory at once");
    // A later look replaces the earlier one, before either is written.
    svc.remember_queue_look("ann", [("L1".to_string(), 70), ("L2".to_string(), 40)]);
    svc.shutdown().await;
    drop(svc);

    let store = backend.open().await;
    let (again, _clock) = start_at(store, "2026-06-02T15:00:00Z").await;
    let ann = again.queue_looks("ann").await.unwrap();
    assert_eq!((ann.len(), ann["L1"], ann["L2"]), (2, 70, 40), "the last look, read back after the restart");
    assert_eq!(again.queue_looks("bob").await.unwrap()["L1"], 50);

    // Erasing a person removes their lead from every user's look, in memory and on disk.
    again.erase(Some("L1"), None, "test").await.unwrap();
    assert!(!again.queue_looks("ann").await.unwrap().contains_key("L1"));
    again.shutdown().await;
    drop(again);
    let store = backend.open().await;
    let (third, _clock) = start_at(store, "2026-06-02T16:00:00Z").await;
    let ann = third.queue_looks("ann").await.unwrap();
    assert_eq!(ann.keys().collect::<Vec<_>>(), ["L2"]);
    assert!(third.queue_looks("bob").await.unwrap().is_empty(), "bob's only lead was erased");
}
