//! `serve --demo`'s history: the last weeks played in time order, with demo reps answering
//! their leads, so the reports read like a working team's (on a manual clock, SQLite).

use std::collections::BTreeSet;
use std::sync::Arc;

use jiff::Timestamp;
use leadrank_lifecycle::Stage;
use leadrank_service::clock::{Clock, ManualClock, ReplayClock};
use leadrank_service::demo;
use leadrank_service::metrics::Metrics;
use leadrank_service::service::Service;
use leadrank_store::Store;
use leadrank_store_sqlite::SqliteStore;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_month_reads_like_a_working_team() {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&dir.path().join("demo.db")).await.unwrap());
    // A Tuesday afternoon in New York.
    let now: Timestamp = "2026-03-03T19:00:00Z".parse().unwrap();
    let clock = Arc::new(ReplayClock::over(Arc::new(ManualClock::new(now))));
    let svc = Service::start(store.clone(), clock.clone(), Arc::new(Metrics::new())).await.unwrap();
    assert_eq!(demo::load(&svc, &clock, 600, 7).await.unwrap(), 600);
    assert_eq!(clock.now(), now, "the replay ends at the base clock's now");

    let sla = svc.sla_report();
    let speed = &sla.speed_to_lead;
    assert!(speed.leads >= 20, "quality leads with an SLA: {speed:?}");
    assert!(speed.touched * 10 >= speed.leads * 8, "most leads get a first touch: {speed:?}");
    let first_touch_breaches = sla.breaches.by_milestone.get("first_touch").copied().unwrap_or(0);
    assert!(first_touch_breaches > 0, "a real team misses some first touches: {:?}", sla.breaches);
    assert!(first_touch_breaches < speed.leads, "but not most of them: {:?} of {} leads", sla.breaches, speed.leads);

    // Stage changes are spread over the month, not stamped at one moment.
    let history = svc.stage_history_csv().await.unwrap();
    let month_start = now - jiff::SignedDuration::from_hours(24 * demo::REPLAY_DAYS);
    let days: BTreeSet<&str> = history
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').find(|f| f.len() >= 20 && f.as_bytes().get(4) == Some(&b'-') && f.contains('T')))
        .filter(|at| at.parse::<Timestamp>().is_ok_and(|t| t > month_start))
        .map(|at| &at[..10])
        .collect();
    assert!(days.len() >= 15, "stage changes on {} days of the month: {days:?}", days.len());

    let funnel = svc.funnel_report().await.unwrap();
    let count = |stage: Stage| funnel.stage_counts.iter().find(|c| c.stage == stage).map_or(0, |c| c.count);
    assert!(count(Stage::Sal) > 0, "leads accepted by the demo reps: {funnel:?}");
    assert!(!funnel.rejections.is_empty(), "leads rejected with a reason");
    assert!(count(Stage::Mql) + count(Stage::Pql) > 0, "the last days' leads still wait for sales");
    // A month of routing, re-routing after breaches, acceptances and rejections leaves the
    // index of assigned leads exact.
    svc.read_state(|_, ops| assert!(ops.assigned_index_is_exact()));

    // The funnel kept with every transition equals the one built from the stored log, also
    // after a lead with decisions is erased.
    assert_eq!(funnel, funnel_from_the_log(&svc, &store).await);
    let decided = svc.read_state(|_, ops| {
        ops.leads.iter().find(|(_, st)| st.lifecycle.rejected.is_some() || st.lifecycle.stage == Stage::Sal).map(|(id, _)| id.clone())
    });
    let decided = decided.expect("a decided lead");
    svc.erase(Some(&decided), None, "test").await.unwrap();
    let after = svc.funnel_report().await.unwrap();
    assert_eq!(after, funnel_from_the_log(&svc, &store).await);
    assert_eq!(after.leads, funnel.leads - 1);
}

async fn funnel_from_the_log(svc: &Service, store: &Arc<dyn Store>) -> leadrank_lifecycle::FunnelReport {
    svc.flush().await;
    let log = store.all_ops_log(Some("transition")).await.unwrap();
    let transitions: Vec<(String, leadrank_lifecycle::Transition)> =
        log.into_iter().map(|e| (e.lead_id, serde_json::from_str(&e.body).unwrap())).collect();
    svc.read_state(|_, ops| {
        leadrank_lifecycle::FunnelReport::build(
            ops.leads.values().map(|s| &s.lifecycle),
            transitions.iter().map(|(id, t)| (id.as_str(), t)),
        )
    })
}
