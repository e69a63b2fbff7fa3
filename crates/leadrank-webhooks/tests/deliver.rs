//! End-to-end delivery against a local receiver, with an in-memory store. Time is driven by
//! the `now` given to `run_once`, never by sleeping through the backoff.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use jiff::{SignedDuration, Timestamp};
use leadrank_core::records::{Account, ConsentRecord, Event, Lead};
use leadrank_store::{
    ApiKey, Attempt, AuditEntry, Delivery, DeliveryState, DirectoryEntry, Erased, LeadOps, OpsLogEntry, Store, StoreError, StoreResult,
    StoredModel, StoredScore, Subscription,
};
use leadrank_webhooks::{Dispatcher, DispatcherConfig, RETRY_HORIZON, SUBSCRIPTION_GONE, StatsSnapshot, new_delivery, verify};
use tokio_util::sync::CancellationToken;

// ---------------------------------------------------------------------------------------
// The fake store: subscriptions and deliveries only.

#[derive(Default)]
struct FakeStore {
    subs: Mutex<Vec<Subscription>>,
    deliveries: Mutex<Vec<Delivery>>,
}

impl FakeStore {
    fn delivery(&self, id: &str) -> Delivery {
        self.deliveries.lock().unwrap().iter().find(|d| d.id == id).cloned().expect("delivery exists")
    }

    /// Drops the subscription but not its deliveries: a delivery already fetched when the
    /// subscription was deleted.
    fn forget_subscription(&self, id: &str) {
        self.subs.lock().unwrap().retain(|s| s.id != id);
    }
}

fn unused<T>() -> StoreResult<T> {
    Err(StoreError::Database("unused in test".into()))
}

#[async_trait]
impl Store for FakeStore {
    async fn migrate(&self) -> StoreResult<leadrank_store::Upgrade> {
        unused()
    }
    async fn schema_status(&self) -> StoreResult<leadrank_store::SchemaStatus> {
        unused()
    }
    async fn ping(&self) -> StoreResult<()> {
        Ok(())
    }
    async fn setting(&self, _key: &str) -> StoreResult<Option<String>> {
        unused()
    }
    async fn setting_or_insert(&self, _key: &str, _value: &str) -> StoreResult<String> {
        unused()
    }
    async fn upsert_leads(&self, _leads: &[Lead], _at: Timestamp) -> StoreResult<()> {
        unused()
    }
    async fn upsert_accounts(&self, _accounts: &[Account], _at: Timestamp) -> StoreResult<()> {
        unused()
    }
    async fn insert_events(&self, _events: &[Event]) -> StoreResult<Vec<bool>> {
        unused()
    }
    async fn insert_consents(&self, _records: &[ConsentRecord]) -> StoreResult<()> {
        unused()
    }
    async fn upsert_deals(&self, _deals: &[leadrank_store::DealRow]) -> StoreResult<()> {
        unused()
    }
    async fn all_deals(&self) -> StoreResult<Vec<leadrank_store::DealRow>> {
        unused()
    }
    async fn delete_deals(&self, _deal_ids: &[String]) -> StoreResult<u64> {
        unused()
    }
    async fn lead(&self, _lead_id: &str) -> StoreResult<Option<Lead>> {
        unused()
    }
    async fn all_leads(&self) -> StoreResult<Vec<Lead>> {
        unused()
    }
    async fn all_accounts(&self) -> StoreResult<Vec<Account>> {
        unused()
    }
    async fn all_events(&self) -> StoreResult<Vec<Event>> {
        unused()
    }
    async fn all_consents(&self) -> StoreResult<Vec<ConsentRecord>> {
        unused()
    }
    async fn lead_events(&self, _lead_id: &str) -> StoreResult<Vec<Event>> {
        unused()
    }
    async fn lead_consents(&self, _lead_id: &str) -> StoreResult<Vec<ConsentRecord>> {
        unused()
    }
    async fn save_scores(&self, _scores: &[StoredScore]) -> StoreResult<()> {
        unused()
    }
    async fn current_scores(&self) -> StoreResult<Vec<StoredScore>> {
        unused()
    }
    async fn score_history(&self, _lead_id: &str) -> StoreResult<Vec<StoredScore>> {
        unused()
    }
    async fn add_model(&self, _name: &str, _version: &str, _source: &str, _at: Timestamp) -> StoreResult<i64> {
        unused()
    }
    async fn models(&self) -> StoreResult<Vec<StoredModel>> {
        unused()
    }
    async fn model(&self, _id: i64) -> StoreResult<Option<StoredModel>> {
        unused()
    }
    async fn activate_model(&self, _id: i64) -> StoreResult<()> {
        unused()
    }
    async fn add_key(&self, _key: &ApiKey) -> StoreResult<()> {
        unused()
    }
    async fn key(&self, _id: &str) -> StoreResult<Option<ApiKey>> {
        unused()
    }
    async fn keys(&self) -> StoreResult<Vec<ApiKey>> {
        unused()
    }
    async fn revoke_key(&self, _id: &str, _at: Timestamp) -> StoreResult<()> {
        unused()
    }

    async fn add_subscription(&self, sub: &Subscription) -> StoreResult<()> {
        self.subs.lock().unwrap().push(sub.clone());
        Ok(())
    }
    async fn subscriptions(&self) -> StoreResult<Vec<Subscription>> {
        Ok(self.subs.lock().unwrap().clone())
    }
    async fn delete_subscription(&self, id: &str) -> StoreResult<()> {
        let mut subs = self.subs.lock().unwrap();
        let before = subs.len();
        subs.retain(|s| s.id != id);
        if subs.len() == before {
            return Err(StoreError::NotFound(format!("subscription {id}")));
        }
        self.deliveries.lock().unwrap().retain(|d| !(d.subscription_id == id && d.state == DeliveryState::Pending));
        Ok(())
    }
    async fn enqueue_deliveries(&self, deliveries: &[Delivery]) -> StoreResult<()> {
        self.deliveries.lock().unwrap().extend_from_slice(deliveries);
        Ok(())
    }
    async fn due_deliveries(&self, now: Timestamp, limit: u32) -> StoreResult<Vec<Delivery>> {
        let mut due: Vec<Delivery> = self
            .deliveries
            .lock()
            .unwrap()
            .iter()
            .filter(|d| d.state == DeliveryState::Pending && d.next_attempt_at <= now)
            .cloned()
            .collect();
        due.sort_by_key(|d| d.next_attempt_at);
        due.truncate(limit as usize);
        Ok(due)
    }
    async fn record_attempt(&self, delivery_id: &str, attempt: &Attempt) -> StoreResult<()> {
        let mut deliveries = self.deliveries.lock().unwrap();
        let d =
            deliveries.iter_mut().find(|d| d.id == delivery_id).ok_or_else(|| StoreError::NotFound(format!("delivery {delivery_id}")))?;
        d.attempts += 1;
        d.last_attempt_at = Some(attempt.at);
        d.last_status = attempt.status;
        d.last_error = attempt.error.clone();
        d.state = attempt.state;
        d.next_attempt_at = attempt.next_attempt_at;
        Ok(())
    }
    async fn deliveries(&self, subscription_id: &str, limit: u32) -> StoreResult<Vec<Delivery>> {
        let mut ds: Vec<Delivery> =
            self.deliveries.lock().unwrap().iter().filter(|d| d.subscription_id == subscription_id).cloned().collect();
        ds.reverse();
        ds.truncate(limit as usize);
        Ok(ds)
    }

    async fn erase_lead(&self, _lead_id: &str, _markers: &[String]) -> StoreResult<Erased> {
        unused()
    }
    async fn suppressions(&self) -> StoreResult<Vec<String>> {
        unused()
    }
    async fn audit(&self, _entry: &AuditEntry) -> StoreResult<()> {
        unused()
    }
    async fn audit_log(&self, _limit: u32) -> StoreResult<Vec<AuditEntry>> {
        unused()
    }
    async fn save_ops(&self, _ops: &[LeadOps], _log: &[OpsLogEntry]) -> StoreResult<()> {
        unused()
    }
    async fn all_ops(&self) -> StoreResult<Vec<LeadOps>> {
        unused()
    }
    async fn ops_log(&self, _lead_id: &str) -> StoreResult<Vec<OpsLogEntry>> {
        unused()
    }
    async fn all_ops_log(&self, _kind: Option<&str>) -> StoreResult<Vec<OpsLogEntry>> {
        unused()
    }
    async fn put_directory(&self, _entry: &DirectoryEntry) -> StoreResult<()> {
        unused()
    }
    async fn delete_directory(&self, _kind: &str, _id: &str) -> StoreResult<()> {
        unused()
    }
    async fn directory(&self, _kind: &str) -> StoreResult<Vec<DirectoryEntry>> {
        unused()
    }
    async fn directory_entry(&self, _kind: &str, _id: &str) -> StoreResult<Option<DirectoryEntry>> {
        unused()
    }
}

// ---------------------------------------------------------------------------------------
// The receiver: verifies signatures against its clock and records what it got.

const SECRET: &str = "whsec_0123456789abcdef";

#[derive(Debug, Clone)]
struct Received {
    hook: String,
    delivery_id: String,
    event: String,
    content_type: String,
    signature: String,
    body: Bytes,
    verified: bool,
}

#[derive(Default)]
struct Receiver {
    /// The receiver's clock in Unix seconds; 0 for the real clock.
    clock: AtomicI64,
    /// Per hook, the statuses to answer next (then 200). Hook "down" always answers 500,
    /// hook "slow" answers after 3 s.
    plans: Mutex<HashMap<String, VecDeque<u16>>>,
    got: Mutex<Vec<Received>>,
}

impl Receiver {
    fn set_clock(&self, now: Timestamp) {
        self.clock.store(now.as_second(), Ordering::SeqCst);
    }

    fn plan(&self, hook: &str, statuses: &[u16]) {
        self.plans.lock().unwrap().insert(hook.to_owned(), statuses.iter().copied().collect());
    }

    fn got(&self, hook: &str) -> Vec<Received> {
        self.got.lock().unwrap().iter().filter(|r| r.hook == hook).cloned().collect()
    }
}

async fn hook(State(rx): State<Arc<Receiver>>, Path(name): Path<String>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let header = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let signature = header("leadrank-signature");
    let now = match rx.clock.load(Ordering::SeqCst) {
        0 => Timestamp::now().as_second(),
        t => t,
    };
    let verified = verify(SECRET, &signature, &body, now, 5).is_ok();
    rx.got.lock().unwrap().push(Received {
        hook: name.clone(),
        delivery_id: header("leadrank-delivery-id"),
        event: header("leadrank-event"),
        content_type: header("content-type"),
        signature,
        body,
        verified,
    });
    if !verified {
        return StatusCode::UNAUTHORIZED;
    }
    match name.as_str() {
        "down" => return StatusCode::INTERNAL_SERVER_ERROR,
        "slow" => tokio::time::sleep(Duration::from_secs(3)).await,
        _ => {}
    }
    let next = rx.plans.lock().unwrap().get_mut(&name).and_then(VecDeque::pop_front);
    StatusCode::from_u16(next.unwrap_or(200)).unwrap()
}

/// Starts the receiver on 127.0.0.1:0; returns its base URL.
async fn start_receiver(rx: Arc<Receiver>) -> String {
    let app = Router::new().route("/hooks/{name}", post(hook)).with_state(rx);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/hooks")
}

// ---------------------------------------------------------------------------------------

struct Harness {
    store: Arc<FakeStore>,
    rx: Arc<Receiver>,
    base: String,
    dispatcher: Dispatcher<FakeStore>,
}

impl Harness {
    async fn new() -> Harness {
        Self::with_config(DispatcherConfig::default()).await
    }

    /// The receiver runs on loopback, so private targets are allowed (see
    /// `private_targets_are_refused_by_default`).
    async fn with_config(mut config: DispatcherConfig) -> Harness {
        config.allow_private_targets = true;
        let store = Arc::new(FakeStore::default());
        let rx = Arc::new(Receiver::default());
        let base = start_receiver(Arc::clone(&rx)).await;
        let dispatcher = Dispatcher::with_config(Arc::clone(&store), config).unwrap();
        Harness { store, rx, base, dispatcher }
    }

    async fn subscribe(&self, id: &str, url: String) -> Subscription {
        let sub = Subscription { id: id.to_owned(), url, secret: SECRET.to_owned(), events: vec!["lead.quality".into()], created_at: t0() };
        self.store.add_subscription(&sub).await.unwrap();
        sub
    }

    async fn enqueue(&self, sub: &Subscription, now: Timestamp) -> Delivery {
        let d = new_delivery(sub, "lead.quality", Some("L1"), serde_json::json!({"lead_id": "L1", "total": 72}), now);
        self.store.enqueue_deliveries(std::slice::from_ref(&d)).await.unwrap();
        d
    }

    /// `run_once` at `now`, with the receiver's clock set to `now`.
    async fn run_at(&self, now: Timestamp) -> usize {
        self.rx.set_clock(now);
        self.dispatcher.run_once(now).await.unwrap()
    }
}

fn t0() -> Timestamp {
    "2025-06-01T12:00:00Z".parse().unwrap()
}

fn secs(n: i64) -> SignedDuration {
    SignedDuration::from_secs(n)
}

#[tokio::test]
async fn delivers_signed() {
    let h = Harness::new().await;
    let sub = h.subscribe("sub_ok", format!("{}/ok", h.base)).await;
    let d = h.enqueue(&sub, t0()).await;

    assert_eq!(h.run_at(t0()).await, 1);

    let got = h.rx.got("ok");
    assert_eq!(got.len(), 1);
    let r = &got[0];
    assert!(r.verified, "receiver rejected the signature {}", r.signature);
    assert_eq!(r.delivery_id, d.id);
    assert_eq!(r.event, "lead.quality");
    assert_eq!(r.content_type, "application/json");
    assert_eq!(r.body, d.body.as_bytes());
    assert!(r.signature.starts_with(&format!("t={},v1=", t0().as_second())));
    assert_eq!(verify(SECRET, &r.signature, &r.body, t0().as_second(), 300), Ok(()));
    assert!(verify("whsec_wrong", &r.signature, &r.body, t0().as_second(), 300).is_err());
    let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(body["id"], d.id.as_str());
    assert_eq!(body["type"], "lead.quality");
    assert_eq!(body["data"]["total"], 72);

    let stored = h.store.delivery(&d.id);
    assert_eq!(stored.state, DeliveryState::Delivered);
    assert_eq!(stored.attempts, 1);
    assert_eq!(stored.last_status, Some(200));
    assert_eq!(stored.last_error, None);
    assert_eq!(stored.last_attempt_at, Some(t0()));

    // Nothing is due any more.
    assert_eq!(h.run_at(t0() + SignedDuration::from_hours(1)).await, 0);
    assert_eq!(h.rx.got("ok").len(), 1);
    let stats = h.dispatcher.stats().snapshot();
    assert_eq!(stats, StatsSnapshot { attempts: 1, delivered: 1, ..StatsSnapshot::default() });
}

#[tokio::test]
async fn retries_after_two_500s() {
    let h = Harness::new().await;
    h.rx.plan("flaky", &[500, 500]);
    let sub = h.subscribe("sub_flaky", format!("{}/flaky", h.base)).await;
    let d = h.enqueue(&sub, t0()).await;

    assert_eq!(h.run_at(t0()).await, 1);
    let s = h.store.delivery(&d.id);
    assert_eq!((s.state, s.attempts, s.last_status), (DeliveryState::Pending, 1, Some(500)));
    assert_eq!(s.last_error.as_deref(), Some("HTTP 500"));
    assert_eq!(s.next_attempt_at, t0() + secs(10));

    // Not due yet.
    assert_eq!(h.run_at(t0() + secs(5)).await, 0);

    assert_eq!(h.run_at(t0() + secs(10)).await, 1);
    let s = h.store.delivery(&d.id);
    assert_eq!((s.state, s.attempts, s.last_status), (DeliveryState::Pending, 2, Some(500)));
    assert_eq!(s.next_attempt_at, t0() + secs(40));

    assert_eq!(h.run_at(t0() + secs(40)).await, 1);
    let s = h.store.delivery(&d.id);
    assert_eq!((s.state, s.attempts, s.last_status), (DeliveryState::Delivered, 3, Some(200)));
    assert_eq!(s.last_error, None);

    let got = h.rx.got("flaky");
    assert_eq!(got.len(), 3);
    assert!(got.iter().all(|r| r.verified && r.delivery_id == d.id));
    // Each attempt is signed with its own time.
    let stamps: Vec<_> = got.iter().map(|r| r.signature.split(',').next().unwrap().to_owned()).collect();
    let t = t0().as_second();
    assert_eq!(stamps, [format!("t={t}"), format!("t={}", t + 10), format!("t={}", t + 40)]);

    let stats = h.dispatcher.stats().snapshot();
    assert_eq!(stats, StatsSnapshot { attempts: 3, delivered: 1, failed_attempts: 2, ..StatsSnapshot::default() });
}

#[tokio::test]
async fn fails_past_the_horizon() {
    let h = Harness::new().await;
    let sub = h.subscribe("sub_down", format!("{}/down", h.base)).await;

    // A first attempt made after the horizon (the service was down) is final.
    let late = h.enqueue(&sub, t0()).await;
    assert_eq!(h.run_at(t0() + RETRY_HORIZON + secs(1)).await, 1);
    let s = h.store.delivery(&late.id);
    assert_eq!((s.state, s.attempts, s.last_status), (DeliveryState::Failed, 1, Some(500)));
    assert_eq!(s.last_error.as_deref(), Some("HTTP 500"));
    assert_eq!(h.dispatcher.stats().snapshot().gave_up, 1);

    // A punctual dispatcher retries along the whole schedule, then gives up.
    let start = t0() + SignedDuration::from_hours(48);
    let d = h.enqueue(&sub, start).await;
    let mut now = start;
    let mut runs = 0;
    loop {
        assert_eq!(h.run_at(now).await, 1);
        runs += 1;
        let s = h.store.delivery(&d.id);
        if s.state != DeliveryState::Pending {
            break;
        }
        assert!(s.next_attempt_at > now);
        // Just before it is due, nothing happens.
        assert_eq!(h.run_at(s.next_attempt_at - secs(1)).await, 0);
        now = s.next_attempt_at;
        assert!(runs < 100);
    }
    let s = h.store.delivery(&d.id);
    assert_eq!(s.state, DeliveryState::Failed);
    assert_eq!(s.attempts, 19);
    let span = s.last_attempt_at.unwrap().duration_since(start);
    assert!(span >= SignedDuration::from_hours(24) && span <= SignedDuration::from_hours(26), "{span:?}");
    assert_eq!(h.rx.got("down").len(), 20);
    assert!(h.rx.got("down").iter().all(|r| r.verified));
    let stats = h.dispatcher.stats().snapshot();
    assert_eq!(stats, StatsSnapshot { attempts: 20, failed_attempts: 20, gave_up: 2, ..StatsSnapshot::default() });
}

#[tokio::test]
async fn deleted_subscription_fails() {
    let h = Harness::new().await;
    let sub = h.subscribe("sub_gone", format!("{}/gone", h.base)).await;
    let d = h.enqueue(&sub, t0()).await;
    h.store.forget_subscription(&sub.id);

    assert_eq!(h.run_at(t0()).await, 1);
    let s = h.store.delivery(&d.id);
    assert_eq!(s.state, DeliveryState::Failed);
    assert_eq!(s.last_status, None);
    assert_eq!(s.last_error.as_deref(), Some(SUBSCRIPTION_GONE));
    assert!(h.rx.got("gone").is_empty());
    let stats = h.dispatcher.stats().snapshot();
    assert_eq!(stats, StatsSnapshot { gave_up: 1, ..StatsSnapshot::default() });

    // Deleting through the store drops pending deliveries altogether.
    let sub2 = h.subscribe("sub_gone2", format!("{}/gone", h.base)).await;
    h.enqueue(&sub2, t0()).await;
    h.store.delete_subscription(&sub2.id).await.unwrap();
    assert_eq!(h.run_at(t0()).await, 0);
}

#[tokio::test]
async fn network_errors_are_retried() {
    let h = Harness::new().await;
    // A port nobody listens on.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let sub = h.subscribe("sub_closed", format!("http://{closed}/hook?token=sekrit")).await;
    let d = h.enqueue(&sub, t0()).await;

    assert_eq!(h.run_at(t0()).await, 1);
    let s = h.store.delivery(&d.id);
    assert_eq!((s.state, s.attempts, s.last_status), (DeliveryState::Pending, 1, None));
    let err = s.last_error.unwrap();
    assert!(err.starts_with("connect error"), "{err}");
    assert!(!err.contains("sekrit"), "{err}");
    assert!(err.len() <= 200);
    assert_eq!(s.next_attempt_at, t0() + secs(10));
}

#[tokio::test]
async fn slow_receivers_time_out() {
    let config = DispatcherConfig { request_timeout: Duration::from_millis(300), ..DispatcherConfig::default() };
    let h = Harness::with_config(config).await;
    let sub = h.subscribe("sub_slow", format!("{}/slow", h.base)).await;
    let d = h.enqueue(&sub, t0()).await;

    let started = std::time::Instant::now();
    assert_eq!(h.run_at(t0()).await, 1);
    assert!(started.elapsed() < Duration::from_secs(2));
    let s = h.store.delivery(&d.id);
    assert_eq!((s.state, s.last_status), (DeliveryState::Pending, None));
    assert!(s.last_error.as_deref().unwrap().starts_with("timeout"), "{:?}", s.last_error);
}

#[tokio::test]
async fn batches_are_bounded_and_concurrent() {
    let config = DispatcherConfig { batch_limit: 30, concurrency: 8, ..DispatcherConfig::default() };
    let h = Harness::with_config(config).await;
    let sub = h.subscribe("sub_many", format!("{}/many", h.base)).await;
    let mut ids = Vec::new();
    for _ in 0..45 {
        ids.push(h.enqueue(&sub, t0()).await.id);
    }
    assert_eq!(h.run_at(t0()).await, 30);
    assert_eq!(h.run_at(t0()).await, 15);
    assert_eq!(h.run_at(t0()).await, 0);
    let mut got: Vec<_> = h.rx.got("many").into_iter().map(|r| r.delivery_id).collect();
    got.sort();
    ids.sort();
    assert_eq!(got, ids);
    assert!(ids.iter().all(|id| h.store.delivery(id).state == DeliveryState::Delivered));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_loop_wakes_and_shuts_down() {
    let store = Arc::new(FakeStore::default());
    let rx = Arc::new(Receiver::default()); // real clock
    let base = start_receiver(Arc::clone(&rx)).await;
    // An idle interval far longer than the test: only the wake-up can make it deliver.
    let config = DispatcherConfig { idle_interval: Duration::from_secs(3600), ..DispatcherConfig::default() };
    let as_dyn: Arc<dyn Store> = store.clone();
    let dispatcher = Dispatcher::with_config(as_dyn, DispatcherConfig { allow_private_targets: true, ..config }).unwrap();
    let wakeup = dispatcher.wakeup();
    let stats = dispatcher.stats();
    let shutdown = CancellationToken::new();
    let task = tokio::spawn(dispatcher.run(shutdown.clone()));

    // Let the loop go idle first.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let sub = Subscription {
        id: "sub_live".into(),
        url: format!("{base}/live"),
        secret: SECRET.into(),
        events: vec!["lead.quality".into()],
        created_at: Timestamp::now(),
    };
    store.add_subscription(&sub).await.unwrap();
    let d = new_delivery(&sub, "lead.quality", None, serde_json::json!({}), Timestamp::now());
    store.enqueue_deliveries(std::slice::from_ref(&d)).await.unwrap();
    wakeup.wake();

    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while store.delivery(&d.id).state != DeliveryState::Delivered {
        assert!(std::time::Instant::now() < deadline, "not delivered after a wake-up");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(stats.snapshot().delivered, 1);
    assert!(rx.got("live")[0].verified);

    shutdown.cancel();
    tokio::time::timeout(Duration::from_secs(2), task).await.expect("run stops promptly").unwrap();
}

#[tokio::test]
async fn private_targets_are_refused_by_default() {
    let mut h = Harness::new().await;
    h.dispatcher = Dispatcher::with_config(Arc::clone(&h.store), DispatcherConfig::default()).unwrap();
    let sub = h.subscribe("sub_private", format!("{}/ok", h.base)).await;
    let d = h.enqueue(&sub, t0()).await;
    assert_eq!(h.run_at(t0()).await, 1);
    let s = h.store.delivery(&d.id);
    assert_eq!((s.state, s.attempts), (DeliveryState::Pending, 1));
    let err = s.last_error.unwrap();
    assert!(err.contains("refused target") && err.contains("not a public address"), "{err}");
    assert!(h.rx.got("ok").is_empty(), "nothing reached the loopback receiver");
}
