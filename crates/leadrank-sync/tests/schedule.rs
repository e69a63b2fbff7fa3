//! The scheduled sync (`serve --sync-config`) against the fake HubSpot, on a manual clock:
//! a source runs when due, its status moves, a pause stops runs (and is kept across a
//! restart), run now runs, and a failing source shows `failed` with its error and keeps its
//! schedule.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use leadrank_crm::config::SyncConfig;
use leadrank_crm_fakes::HubSpotFake;
use leadrank_service::Service;
use leadrank_service::clock::{Clock, ManualClock};
use leadrank_service::metrics::Metrics;
use leadrank_service::sync_schedule::{SyncSourceStatus, SyncState};
use leadrank_store_sqlite::SqliteStore;
use leadrank_sync::Token;
use leadrank_sync::client::{ClientOptions, HubSpotClient};
use leadrank_sync::hubspot::Plan;
use leadrank_sync::schedule::{Connector, Scheduler, Source, Started};
use tokio_util::sync::CancellationToken;

const TOKEN: &str = "pat-na1-test-token";
const START: &str = "2026-06-30T12:00:00Z";

async fn service_in(dir: &Path, clock: Arc<ManualClock>) -> Arc<Service> {
    let store = Arc::new(SqliteStore::open(&dir.join("t.db")).await.unwrap());
    Service::start(store, clock, Arc::new(Metrics::new())).await.unwrap()
}

fn source(fake: &HubSpotFake, token: &str) -> Arc<Source> {
    let cfg = SyncConfig::parse("[hubspot]\ntier = \"starter\"\ninterval = \"15m\"\nmax_retries = 0\n", "sync.toml").unwrap();
    let plan = Plan::new(&cfg, Path::new(".")).unwrap();
    let mut o = ClientOptions::hubspot(plan.hubspot.tier);
    o.max_retries = 0;
    o.backoff = Duration::from_millis(10);
    let client = HubSpotClient::new(&fake.url, Token::new(token).unwrap(), o).unwrap();
    Arc::new(Source {
        file: "sync.toml".into(),
        interval: Duration::from_secs(900),
        connector: Connector::HubSpot { plan: Box::new(plan), client },
        webhooks: None,
    })
}

fn status(service: &Service) -> SyncSourceStatus {
    service.sync_source("hubspot").unwrap()
}

/// Waits (real time, at most 10 s) until the source has run `runs` times and is not running.
async fn until_runs(service: &Service, runs: u64) -> SyncSourceStatus {
    for _ in 0..500 {
        let s = status(service);
        if s.runs >= runs && s.state != SyncState::Running {
            return s;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the source did not reach {runs} run(s): {:?}", status(service));
}

fn advance(clock: &ManualClock, started: &Started, minutes: i64) {
    clock.set(clock.now() + SignedDuration::from_mins(minutes));
    started.scheduler.wake();
}

#[tokio::test]
async fn runs_on_schedule_pauses_and_runs_now() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(START.parse().unwrap()));
    let service = service_in(dir.path(), clock.clone()).await;
    let fake = HubSpotFake::start(TOKEN).await;
    for i in 0..3 {
        fake.create("contacts", &[("email", &format!("p{i}@acme.io")), ("jobtitle", "CTO")]);
    }
    let stop = CancellationToken::new();
    let started = Scheduler::start(&service, vec![source(&fake, TOKEN)], &stop).await.unwrap();

    // Never run: due at once.
    let s = until_runs(&service, 1).await;
    assert_eq!(s.state, SyncState::Idle, "{:?}", s.last_error);
    let r = s.last_result.clone().unwrap();
    assert_eq!((r.read, r.created), (3, 3), "{r:?}");
    assert!(r.calls > 0);
    let t0: Timestamp = START.parse().unwrap();
    assert_eq!(s.last_started, Some(t0));
    assert_eq!(s.next_run, Some(t0 + SignedDuration::from_mins(15)));

    // Not due yet: nothing runs.
    advance(&clock, &started, 10);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(status(&service).runs, 1);
    // Due: one run, the schedule keeps its start.
    advance(&clock, &started, 5);
    let s = until_runs(&service, 2).await;
    assert_eq!(s.next_run, Some(t0 + SignedDuration::from_mins(30)));
    assert_eq!(s.last_result.unwrap().created, 0, "nothing new in HubSpot");

    // Paused: no scheduled run, no next run shown.
    let s = service.sync_set_paused("hubspot", true, "user:ops").await.unwrap();
    assert_eq!((s.state, s.next_run), (SyncState::Paused, None));
    advance(&clock, &started, 60);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(status(&service).runs, 2);

    // Run now runs once while paused, and the source stays paused.
    fake.create("contacts", &[("email", "new@acme.io"), ("jobtitle", "CTO")]);
    service.sync_run_now("hubspot", "user:ops").await.unwrap();
    let s = until_runs(&service, 3).await;
    assert_eq!(s.state, SyncState::Paused);
    assert_eq!(s.last_result.unwrap().created, 1);

    // The pause is stored: a restarted scheduler stays paused and keeps the last run.
    stop.cancel();
    for t in started.tasks {
        t.await.unwrap();
    }
    let stop = CancellationToken::new();
    let started = Scheduler::start(&service, vec![source(&fake, TOKEN)], &stop).await.unwrap();
    let s = status(&service);
    assert_eq!((s.state, s.runs), (SyncState::Paused, 0));
    assert_eq!(s.last_result.unwrap().created, 1);
    advance(&clock, &started, 60);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(status(&service).runs, 0);

    // Resumed: the missed run happens now, once.
    service.sync_set_paused("hubspot", false, "user:ops").await.unwrap();
    let s = until_runs(&service, 1).await;
    assert_eq!(s.state, SyncState::Idle);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(status(&service).runs, 1);

    // Every command is audited with its actor.
    let audit = service.audit_log(50).await.unwrap();
    let actions: Vec<(&str, &str)> =
        audit.iter().filter(|a| a.action.starts_with("sync.")).map(|a| (a.actor.as_str(), a.action.as_str())).collect();
    assert_eq!(actions.len(), 3, "{actions:?}");
    assert!(actions.iter().all(|(actor, _)| *actor == "user:ops"));
    for action in ["sync.pause", "sync.run", "sync.resume"] {
        assert!(actions.iter().any(|(_, a)| *a == action), "{action}: {actions:?}");
    }
    // Unknown sources are refused.
    assert!(service.sync_run_now("salesforce", "user:ops").await.is_err());
    stop.cancel();
}

#[tokio::test]
async fn a_failing_source_shows_failed_and_keeps_its_schedule() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(START.parse().unwrap()));
    let service = service_in(dir.path(), clock.clone()).await;
    let fake = HubSpotFake::start(TOKEN).await;
    let stop = CancellationToken::new();
    // A token HubSpot refuses: every run fails.
    let started = Scheduler::start(&service, vec![source(&fake, "pat-wrong")], &stop).await.unwrap();
    let s = until_runs(&service, 1).await;
    assert_eq!((s.state, s.failures), (SyncState::Failed, 1));
    let error = s.last_error.clone().unwrap();
    assert!(error.contains("401"), "{error}");
    assert!(!error.contains("pat-wrong"), "the token is never shown: {error}");
    // Retried a minute later, then two minutes after that failure: backoff, schedule kept.
    let t0: Timestamp = START.parse().unwrap();
    assert_eq!(s.next_run, Some(t0 + SignedDuration::from_mins(1)));
    advance(&clock, &started, 1);
    let s = until_runs(&service, 2).await;
    assert_eq!((s.state, s.failures), (SyncState::Failed, 2));
    assert_eq!(s.next_run, Some(t0 + SignedDuration::from_mins(3)));
    stop.cancel();
}

#[tokio::test]
async fn salesforce_is_scheduled_from_a_sync_file_beside_hubspot() {
    use leadrank_crm_fakes::SalesforceFake;
    use serde_json::json;

    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(START.parse().unwrap()));
    let service = service_in(dir.path(), clock.clone()).await;
    let hubspot = HubSpotFake::start(TOKEN).await;
    hubspot.create("contacts", &[("email", "h@acme.io"), ("jobtitle", "CTO")]);
    let sf = SalesforceFake::start("sf-token").await;
    for i in 0..4 {
        sf.create("Lead", &[("Email", json!(format!("l{i}@acme.io"))), ("LastName", json!("Lee")), ("Company", json!("Acme"))]);
    }
    // Tokens from files beside the sync file; Salesforce's leadrank fields are not created,
    // so its runs read but say that nothing is written back.
    std::fs::write(dir.path().join("hubspot.token"), TOKEN).unwrap();
    std::fs::write(dir.path().join("sf.token"), "sf-token").unwrap();
    let file = dir.path().join("sync.toml");
    std::fs::write(
        &file,
        format!(
            "[hubspot]\nbase_url = \"{}\"\ntoken_file = \"hubspot.token\"\ninterval = \"15m\"\n\n\
             [salesforce]\ninstance_url = \"{}\"\ntoken_file = \"sf.token\"\ninterval = \"1h\"\n",
            hubspot.url, sf.url
        ),
    )
    .unwrap();
    let sources: Vec<Arc<Source>> = leadrank_sync::schedule::sources_from_file(&file).unwrap().into_iter().map(Arc::new).collect();
    let names: Vec<(&str, u64)> = sources.iter().map(|s| (s.connector.name(), s.interval.as_secs())).collect();
    assert_eq!(names, [("hubspot", 900), ("salesforce", 3600)]);
    let stop = CancellationToken::new();
    let _started = Scheduler::start(&service, sources, &stop).await.unwrap();
    for _ in 0..500 {
        if service.sync_source("salesforce").is_ok_and(|s| s.runs >= 1 && s.state != SyncState::Running) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The leads were read; the missing fields make the run count as failed (shown, with
    // what to do), since nothing reaches Salesforce until an admin creates them.
    let s = service.sync_source("salesforce").unwrap();
    assert_eq!(s.state, SyncState::Failed);
    assert!(s.last_error.as_deref().is_some_and(|m| m.contains("Lead.Leadrank_Score__c") && m.contains("--install-fields")), "{s:?}");
    let r = s.last_result.unwrap();
    assert_eq!((r.read, r.created), (4, 4), "{r:?}");
    assert!(s.next_run.is_some());
    assert_eq!(until_runs(&service, 1).await.last_result.unwrap().created, 1, "HubSpot ran too");
    stop.cancel();

    // Without an interval, the file names the table and line.
    std::fs::write(&file, format!("[salesforce]\ninstance_url = \"{}\"\ntoken_file = \"sf.token\"\n", sf.url)).unwrap();
    let err = leadrank_sync::schedule::sources_from_file(&file).unwrap_err().to_string();
    assert!(err.contains(":1: salesforce.interval: missing"), "{err}");
}
