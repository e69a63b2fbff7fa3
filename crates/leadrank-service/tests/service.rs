//! The service without HTTP, on a manual clock, against both back ends (SQLite, and the
//! PostgreSQL of `LEADRANK_TEST_POSTGRES`, default `postgres://postgres@127.0.0.1:5432/test`,
//! in a fresh schema; unreachable fails under `CI`, else is skipped with a notice): live
//! scores equal batch scores, windows expire on time, history records why, a restart keeps
//! everything, erasure erases.

use std::sync::Arc;

use jiff::Timestamp;
use leadrank_core::engine::DatasetBuilder;
use leadrank_core::model::builtin::default_model;
use leadrank_core::records::{Event, Lead};
use leadrank_service::clock::ManualClock;
use leadrank_service::metrics::Metrics;
use leadrank_service::service::{Outcome, Service};
use leadrank_store::Store;

use leadrank_testkit::Backend;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn lead(id: &str, email: &str) -> Lead {
    Lead {
        lead_id: id.into(),
        email: Some(email.into()),
        first_name: Some("Grace".into()),
        last_name: Some("Hopper".into()),
        title: Some("Head of Operations".into()),
        company: Some("Acme".into()),
        industry: Some("software".into()),
        employees: Some(400),
        country: Some("DE".into()),
        ..Lead::default()
    }
}

fn event(id: &str, lead: &str, kind: &str, at: &str, url: Option<&str>) -> Event {
    Event {
        event_id: id.into(),
        lead_id: lead.into(),
        event_type: kind.into(),
        occurred_at: ts(at),
        url: url.map(Into::into),
        properties: None,
    }
}

async fn start(backend: &Backend, clock: Arc<ManualClock>) -> (Arc<Service>, Arc<dyn Store>) {
    let store = backend.open().await;
    let service = Service::start(store.clone(), clock, Arc::new(Metrics::new())).await.unwrap();
    (service, store)
}

fn batch_score(leads: &[Lead], events: &[Event], at: Timestamp, id: &str) -> leadrank_core::Score {
    let model = default_model();
    let mut b = DatasetBuilder::new(&model);
    leads.iter().for_each(|l| b.add_lead(l.clone()).unwrap());
    events.iter().for_each(|e| {
        b.add_event(e).unwrap();
    });
    let d = b.build();
    d.score_all(&model, at, &|_| {}).into_iter().find(|s| s.lead_id == id).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scores_follow_events_and_windows_and_equal_the_batch() {
    for backend in Backend::all("windows").await {
        scores_follow_events_and_windows(&backend).await;
        backend.drop_schema().await;
    }
}

async fn scores_follow_events_and_windows(backend: &Backend) {
    let clock = Arc::new(ManualClock::new(ts("2026-06-01T09:00:00Z")));
    let (svc, store) = start(backend, clock.clone()).await;
    let leads = vec![lead("L1", "grace@acme.io"), lead("L2", "alan@acme.io")];
    assert_eq!(svc.upsert_leads(leads.clone()).await.unwrap(), vec![Outcome::Created, Outcome::Created]);
    let events = vec![
        event("e1", "L1", "demo_request", "2026-06-01T08:00:00Z", None),
        event("e2", "L1", "page_view", "2026-06-01T08:10:00Z", Some("https://acme.io/pricing")),
        event("e3", "L2", "webinar", "2026-05-30T08:00:00Z", None),
    ];
    let out = svc.ingest_events(events.clone()).await.unwrap();
    assert!(out.iter().all(|o| o.0 == Outcome::Accepted), "{out:?}");
    // A resent batch counts once.
    let again = svc.ingest_events(events.clone()).await.unwrap();
    assert!(again.iter().all(|o| o.0 == Outcome::Duplicate), "{again:?}");
    let unknown = svc.ingest_events(vec![event("e9", "nobody", "page_view", "2026-06-01T08:00:00Z", None)]).await.unwrap();
    assert_eq!(unknown[0].0, Outcome::Rejected);

    let (now_score, at) = svc.score_now("L1").unwrap();
    assert_eq!(now_score, batch_score(&leads, &events, at, "L1"));
    assert!(now_score.reasons.iter().any(|r| &*r.rule == "demo_request"), "{now_score:?}");

    // 40 days later the demo request has left its window: the sweep rescores on time.
    let later = ts("2026-07-11T09:00:00Z");
    clock.set(later);
    let (swept, _) = svc.sweep(later).await;
    assert!(swept >= 1);
    let live = svc.live_read().current.get("L1").unwrap().score.clone();
    assert_eq!(live, batch_score(&leads, &events, later, "L1"));
    assert!(live.total < now_score.total, "the window expired: {} -> {}", now_score.total, live.total);
    svc.flush().await;
    let history = store.score_history("L1").await.unwrap();
    let causes: Vec<&str> = history.iter().map(|h| h.cause.as_str()).collect();
    assert!(causes.contains(&"lead updated"), "{causes:?}");
    assert!(causes.iter().any(|c| c.starts_with("event ")), "{causes:?}");
    assert!(causes.contains(&"window"), "{causes:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_recomputes_from_stored_records() {
    for backend in Backend::all("restart").await {
        restart_recomputes(&backend).await;
        backend.drop_schema().await;
    }
}

async fn restart_recomputes(backend: &Backend) {
    let clock = Arc::new(ManualClock::new(ts("2026-06-01T09:00:00Z")));
    {
        let store = backend.open().await;
        let svc = Service::start(store, clock.clone(), Arc::new(Metrics::new())).await.unwrap();
        svc.upsert_leads(vec![lead("L1", "grace@acme.io")]).await.unwrap();
        svc.ingest_events(vec![event("e1", "L1", "demo_request", "2026-06-01T08:00:00Z", None)]).await.unwrap();
        svc.shutdown().await;
    }
    let store = backend.open().await;
    let svc = Service::start(store, clock, Arc::new(Metrics::new())).await.unwrap();
    let (score, _) = svc.score_now("L1").unwrap();
    assert!(score.reasons.iter().any(|r| &*r.rule == "demo_request"));
    let again = svc.ingest_events(vec![event("e1", "L1", "demo_request", "2026-06-01T08:00:00Z", None)]).await.unwrap();
    assert_eq!(again[0].0, Outcome::Duplicate, "event ids are idempotency keys across restarts");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn erasure_removes_everything_and_suppresses_reingestion() {
    for backend in Backend::all("erase").await {
        erasure(&backend).await;
        backend.drop_schema().await;
    }
}

async fn erasure(backend: &Backend) {
    let clock = Arc::new(ManualClock::new(ts("2026-06-01T09:00:00Z")));
    let (svc, store) = start(backend, clock).await;
    svc.upsert_leads(vec![lead("L1", "Grace.Hopper@acme.io"), lead("L2", "alan@acme.io")]).await.unwrap();
    svc.ingest_events(vec![event("e1", "L1", "demo_request", "2026-06-01T08:00:00Z", None)]).await.unwrap();
    let (n, erased) = svc.erase(None, Some("grace.hopper@ACME.io"), "test").await.unwrap();
    assert_eq!(n, 1);
    assert_eq!((erased.leads, erased.events), (1, 1));
    assert!(store.lead("L1").await.unwrap().is_none());
    assert!(store.lead_events("L1").await.unwrap().is_empty());
    assert!(store.score_history("L1").await.unwrap().is_empty());
    assert!(svc.score_now("L1").is_none());
    // Re-ingesting the person (same email, new id) stores nothing.
    let out = svc.upsert_leads(vec![lead("L9", "grace.hopper@acme.io")]).await.unwrap();
    assert_eq!(out, vec![Outcome::Suppressed]);
    assert!(store.lead("L9").await.unwrap().is_none());
    let audit = store.audit_log(10).await.unwrap();
    assert_eq!(audit[0].action, "erase");
    assert!(!audit[0].detail.contains("grace"), "no personal data in the audit log");
    assert!(svc.score_now("L2").is_some(), "others are untouched");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleted_deals_stay_deleted_after_a_restart() {
    for backend in Backend::all("deals_delete").await {
        deleted_deals(&backend).await;
        backend.drop_schema().await;
    }
}

async fn deleted_deals(backend: &Backend) {
    use leadrank_metrics::report::{OppStatus, Opportunity};
    let clock = Arc::new(ManualClock::new(ts("2026-06-01T09:00:00Z")));
    let deal = |id: &str, status: OppStatus| Opportunity {
        id: id.into(),
        lead_id: Some("L1".into()),
        account_id: None,
        created_at: None,
        closed_at: None,
        status,
        amount: Some(100.0),
        loss_reason: None,
    };
    {
        let (svc, _) = start(backend, clock.clone()).await;
        svc.upsert_leads(vec![lead("L1", "grace@acme.io")]).await.unwrap();
        svc.upsert_deals(vec![deal("D1", OppStatus::Won), deal("D2", OppStatus::Open), deal("D3", OppStatus::Lost)]).await.unwrap();
        let removed = svc.delete_deals(vec!["D2".into(), "D9".into(), "D2".into(), "D3".into()]).await.unwrap();
        assert_eq!(removed, ["D2", "D3"], "ids not held are passed over");
        assert!(svc.deal("D2").is_none() && svc.deal("D1").is_some());
        assert_eq!(svc.delete_deals(vec!["D2".into()]).await.unwrap(), Vec::<String>::new(), "deleting again changes nothing");
        svc.shutdown().await;
    }
    let (svc, _) = start(backend, clock).await;
    let ids: Vec<String> = svc.deals().into_iter().map(|d| d.id).collect();
    assert_eq!(ids, ["D1"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_bulk_batches_and_single_events_all_apply() {
    for backend in Backend::all("bulk_and_single").await {
        bulk_and_single(&backend).await;
        backend.drop_schema().await;
    }
}

/// Four bulk batches (one bulk applier at a time) and single events at once: every record is
/// applied exactly once and every live score equals the batch computation.
async fn bulk_and_single(backend: &Backend) {
    let at = ts("2026-06-01T09:00:00Z");
    let clock = Arc::new(ManualClock::new(at));
    let (svc, _store) = start(backend, clock.clone()).await;
    let leads: Vec<Lead> = (0..40).map(|i| lead(&format!("L{i}"), &format!("p{i}@acme.io"))).collect();
    svc.upsert_leads(leads.clone()).await.unwrap();
    let kinds = ["page_view", "demo_request", "webinar_attended", "email_click"];
    let batches: Vec<Vec<Event>> = (0..4)
        .map(|b| {
            (0..60)
                .map(|i| {
                    let lead_id = format!("L{}", (b * 7 + i) % 40);
                    event(&format!("b{b}-{i}"), &lead_id, kinds[i % kinds.len()], "2026-06-01T08:00:00Z", None)
                })
                .collect()
        })
        .collect();
    let singles: Vec<Event> = (0..12)
        .map(|i| event(&format!("s{i}"), &format!("L{}", i * 3), "page_view", "2026-06-01T08:30:00Z", Some("https://acme.io/pricing")))
        .collect();
    let mut tasks = Vec::new();
    for batch in batches.clone() {
        let svc = svc.clone();
        tasks.push(tokio::spawn(async move { svc.ingest_events(batch).await.unwrap() }));
    }
    for single in singles.clone() {
        let svc = svc.clone();
        tasks.push(tokio::spawn(async move { svc.ingest_events(vec![single]).await.unwrap() }));
    }
    for task in tasks {
        let out = task.await.unwrap();
        assert!(out.iter().all(|o| o.0 == Outcome::Accepted), "{out:?}");
    }
    let all: Vec<Event> = batches.into_iter().flatten().chain(singles).collect();
    let live = svc.live_read();
    for l in &leads {
        let current = &live.current.get(l.lead_id.as_str()).unwrap().score;
        assert_eq!(current, &batch_score(&leads, &all, at, &l.lead_id), "lead {}", l.lead_id);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_restart_opens_and_scores_on_all_cores_like_the_batch() {
    for backend in Backend::all("large_restart").await {
        large_restart(&backend).await;
        backend.drop_schema().await;
    }
}

/// Enough leads and events that a start opens its rows (PostgreSQL) and rescores on all
/// cores: every score equals the batch computation, lead by lead.
async fn large_restart(backend: &Backend) {
    let at = ts("2026-06-01T09:00:00Z");
    let clock = Arc::new(ManualClock::new(at));
    let (svc, _store) = start(backend, clock.clone()).await;
    // One lead per company, so that an event rescores its own lead only.
    let leads: Vec<Lead> = (0..4100)
        .map(|i| Lead { company: Some(format!("Company {i}").into()), ..lead(&format!("L{i:05}"), &format!("p{i}@co{i}.io")) })
        .collect();
    let kinds = ["page_view", "demo_request", "webinar_attended", "email_click"];
    let events: Vec<Event> = (0..8200)
        .map(|i| {
            let day = 1 + i % 28;
            event(
                &format!("e{i}"),
                &format!("L{:05}", (i * 7) % 4100),
                kinds[i % kinds.len()],
                &format!("2026-05-{day:02}T08:00:00Z"),
                None,
            )
        })
        .collect();
    for chunk in leads.chunks(1000) {
        svc.upsert_leads(chunk.to_vec()).await.unwrap();
    }
    for chunk in events.chunks(1000) {
        svc.ingest_events(chunk.to_vec()).await.unwrap();
    }
    svc.shutdown().await;
    drop(svc);

    let (again, _store) = start(backend, clock).await;
    let model = default_model();
    let mut b = DatasetBuilder::new(&model);
    leads.iter().for_each(|l| b.add_lead(l.clone()).unwrap());
    events.iter().for_each(|e| {
        b.add_event(e).unwrap();
    });
    let batch = b.build().score_all(&model, at, &|_| {});
    let live = again.live_read();
    assert_eq!(live.current.len(), 4100);
    for s in &batch {
        assert_eq!(&live.current.get(s.lead_id.as_str()).unwrap().score, s, "lead {}", s.lead_id);
    }
}
