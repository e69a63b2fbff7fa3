//! The service's state and operations, independent of HTTP: ingestion, rescoring, window
//! expiry, model activation and erasure.
//!
//! Write path: validate -> take the ingest lock -> commit to the [`Store`] -> apply to the
//! in-memory [`LiveBook`] -> rescore the affected leads -> hand score changes and webhook
//! deliveries to the [`writer`](crate::writer) task. A request is answered after the commit
//! and the in-memory rescoring, so its effect on scores is readable when the client gets 2xx.
//! Persisted scores are a cache of derived data: after a crash the start-up rescoring
//! recomputes every score from the stored records and records what changed.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use jiff::Timestamp;
use leadrank_core::model::builtin;
use leadrank_core::records::{Account, ConsentRecord, Event, Lead};
use leadrank_core::{CompiledModel, Score};
use leadrank_metrics::report::Opportunity;
use leadrank_store::{AuditEntry, Delivery, Erased, Store, StoreError, StoredScore, Subscription};
use rustc_hash::FxHashMap;

use crate::clock::Clock;
pub use crate::error::ServiceError;
use crate::live::{Current, Live, RaisedEvent, ScoreChanges};
use crate::metrics::Metrics;
use crate::ops::{Ops, OpsOut};
use crate::order::{OrderKey, Turn, WriteOrder};
use crate::privacy::MarkerKey;
use crate::writer::{WriteBatch, Writer};

/// Everything one operation changed: scores with the webhook events they raise, and the
/// operating state and log entries (stages, assignments, SLA breaches).
#[derive(Default)]
pub(crate) struct Changes {
    pub scores: Vec<StoredScore>,
    pub events: Vec<RaisedEvent>,
    pub ops: OpsOut,
}

impl From<ScoreChanges> for Changes {
    fn from(c: ScoreChanges) -> Self {
        Changes { scores: c.scores, events: c.events, ops: OpsOut::default() }
    }
}

impl Changes {
    fn extend(&mut self, other: Changes) {
        self.scores.extend(other.scores);
        self.events.extend(other.events);
        self.ops.ops.extend(other.ops.ops);
        self.ops.log.extend(other.ops.log);
        self.ops.events.extend(other.ops.events);
    }
}

/// Records applied to the live book per hold of its write lock: a bulk batch lets other
/// writers (a single event) in between its slices instead of holding the book for its whole
/// rescoring.
const APPLY_SLICE: usize = 64;

/// Bulk batches (more than [`leadrank_store::SMALL_WRITE_RECORDS`] records) applied to the
/// live book at once. With one, a bulk batch waits for the one before it to be applied, so at
/// most one request thread rescores a batch and at most one batch slice queues for the book's
/// write lock: a single event finds a free thread and waits for one slice at most, instead of
/// for every batch in flight on a 2-core machine.
const BULK_APPLIERS: usize = 1;

/// Progress of a model activation (all scores recomputed in the background).
#[derive(Debug, Default, serde::Serialize)]
pub struct Activation {
    pub model_id: Option<i64>,
    pub state: &'static str,
    pub done: u64,
    pub total: u64,
    pub error: Option<String>,
}

/// Outcome of one record of a batch.
/// Reserved ids of the Segment intake's stored rows (none of them is a lead): events held
/// for an anonymous visitor, a visitor's link to a person, and a person's links back.
pub(crate) const SEGMENT_HELD_PREFIX: &str = "segment-anonymous:";
pub(crate) const SEGMENT_ALIAS_PREFIX: &str = "segment-alias:";
pub(crate) const SEGMENT_ALIASES_OF_PREFIX: &str = "segment-aliases-of:";

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Created,
    Updated,
    Accepted,
    Duplicate,
    /// The person was erased: nothing was stored.
    Suppressed,
    Rejected,
}

/// The service: the store, the in-memory book and the background writers.
pub struct Service {
    /// Only this crate touches the store; front ends call the service.
    pub(crate) store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub metrics: Arc<Metrics>,
    /// The order of writers: per lead, account and event id, or exclusive (store commit and
    /// book update happen in that order).
    pub(crate) order: WriteOrder,
    live: RwLock<Live>,
    writer: Writer,
    pub(crate) subscriptions: RwLock<Vec<Subscription>>,
    markers: RwLock<HashSet<String>>,
    marker_key: MarkerKey,
    activation: std::sync::Mutex<Activation>,
    activation_done: AtomicU64,
    /// Poked when deliveries are queued.
    pub webhook_wakeup: Arc<tokio::sync::Notify>,
    /// Lifecycle, routing and SLA state (lock after `live`).
    ops: std::sync::Mutex<Ops>,
    /// Poked when SLA clocks may have changed (the SLA timer re-arms).
    pub ops_wakeup: Arc<tokio::sync::Notify>,
    /// Failed sign-ins per username and client address.
    pub(crate) login_throttle: crate::users::Throttle,
    /// Counts the changes of scores and operating state (screens subscribe to redraw).
    pub changed: tokio::sync::watch::Sender<u64>,
    /// Alert settings: link base and SMTP server (`serve --public-url`, `--smtp-url`).
    pub(crate) alerts_config: RwLock<crate::alert_settings::AlertsConfig>,
    /// Every deal (opportunity) by id, as stored.
    pub(crate) deals: RwLock<BTreeMap<String, Opportunity>>,
    /// The scheduled CRM sync of `serve --sync-config`, when one runs.
    pub(crate) sync_scheduler: RwLock<Option<Arc<dyn crate::sync_status::SyncScheduler>>>,
    /// Alerts of digest rules waiting for their period's end.
    pub(crate) digests: std::sync::Mutex<crate::alert_settings::PendingDigests>,
    /// Each web user's last look at their queue (`queue_looks`).
    pub(crate) queue_looks: std::sync::Mutex<crate::queue_looks::QueueLooks>,
    /// Permits to apply a bulk batch to the live book ([`BULK_APPLIERS`]).
    bulk_appliers: tokio::sync::Semaphore,
}

impl Service {
    /// Opens the service on a migrated store: loads the active model (storing the built-in
    /// default as version 1 on a fresh database), every record, and rescores everything at
    /// the clock's now, recording what changed since the last run.
    pub async fn start(store: Arc<dyn Store>, clock: Arc<dyn Clock>, metrics: Arc<Metrics>) -> Result<Arc<Self>, ServiceError> {
        store.migrate().await?;
        let mut models = store.models().await?;
        if models.is_empty() {
            let m = builtin::default_model();
            let id = store.add_model(&m.name, &m.version, &m.source, clock.now()).await?;
            store.activate_model(id).await?;
            models = store.models().await?;
        }
        let active =
            models.iter().rev().find(|m| m.active).or(models.last()).ok_or_else(|| ServiceError::Internal("no model stored".into()))?;
        let compiled = CompiledModel::from_toml(&active.source, &format!("model {}", active.id))
            .map_err(|e| StoreError::Corrupt { table: "models", detail: format!("the active model no longer compiles: {e}") })?;
        let key = store.setting_or_insert("marker_key", &MarkerKey::generate_hex()).await?;
        let marker_key =
            MarkerKey::from_hex(&key).map_err(|e| StoreError::Corrupt { table: "settings", detail: format!("marker key: {e}") })?;
        let webhook_wakeup = Arc::new(tokio::sync::Notify::new());
        let ops = crate::ops::load(store.as_ref(), &compiled).await?;
        let writer = Writer::spawn(store.clone(), webhook_wakeup.clone(), metrics.clone());
        let deals = store
            .all_deals()
            .await?
            .into_iter()
            .map(|row| {
                serde_json::from_str::<Opportunity>(&row.body)
                    .map(|d| (row.deal_id.clone(), d))
                    .map_err(|e| StoreError::Corrupt { table: "deals", detail: format!("deal {}: {e}", row.deal_id) })
            })
            .collect::<Result<BTreeMap<_, _>, _>>()?;
        let service = Arc::new(Service {
            subscriptions: RwLock::new(store.subscriptions().await?),
            markers: RwLock::new(store.suppressions().await?.into_iter().collect()),
            live: RwLock::new(Live::new(Arc::new(compiled), active.id)),
            store,
            clock,
            metrics,
            order: WriteOrder::default(),
            writer,
            marker_key,
            activation: std::sync::Mutex::new(Activation { state: "idle", ..Activation::default() }),
            activation_done: AtomicU64::new(0),
            webhook_wakeup,
            ops: std::sync::Mutex::new(ops),
            ops_wakeup: Arc::new(tokio::sync::Notify::new()),
            login_throttle: crate::users::Throttle::default(),
            changed: tokio::sync::watch::Sender::new(0),
            alerts_config: RwLock::default(),
            deals: RwLock::new(deals),
            sync_scheduler: RwLock::default(),
            digests: std::sync::Mutex::default(),
            queue_looks: std::sync::Mutex::default(),
            bulk_appliers: tokio::sync::Semaphore::new(BULK_APPLIERS),
        });
        service.sync_subscribed();
        let guard = service.order.exclusive().await;
        let model = service.live_read().book.model().clone();
        let live = service.build_live(active.id, model, "start").await?;
        *service.live_write(&guard) = live;
        drop(guard);
        service.load_pending_digests().await?;
        Ok(service.clone())
    }

    /// Loads every record into a new [`Live`] for `model`, scores everything at now and
    /// queues the scores that differ from the stored ones.
    async fn build_live(&self, model_id: i64, model: Arc<CompiledModel>, cause: &str) -> Result<Live, ServiceError> {
        let store = &self.store;
        let started = std::time::Instant::now();
        // Read at once: on PostgreSQL each read has its own connection, and the decoding of
        // one overlaps the others' waits.
        let (leads, accounts, events, consents, stored) =
            tokio::try_join!(store.all_leads(), store.all_accounts(), store.all_events(), store.all_consents(), store.current_scores(),)?;
        let read_ms = started.elapsed().as_millis() as u64;
        self.activation_done.store(0, Ordering::Relaxed);
        if let Ok(mut a) = self.activation.lock() {
            a.total = (leads.len() + events.len()) as u64;
        }
        let mut live = Live::new(model, model_id);
        for lead in leads {
            live.book.upsert_lead(lead);
            self.activation_done.fetch_add(1, Ordering::Relaxed);
        }
        for account in accounts {
            live.book.upsert_account(account);
        }
        for event in &events {
            // Events were checked on the way in; one of an erased lead cannot be here.
            let _ = live.book.add_event(event);
            self.activation_done.fetch_add(1, Ordering::Relaxed);
        }
        for record in &consents {
            let _ = live.book.add_consent(record);
        }
        let book_ms = started.elapsed().as_millis() as u64 - read_ms;
        let now = self.clock.now();
        // Decoded by the store: a body that does not decode failed `current_scores` above.
        let previous: FxHashMap<String, Score> = stored.into_iter().map(|s| (s.lead_id, Score::from(s.body))).collect();
        let ids: Vec<String> = live.book.leads().map(|l| l.lead_id.clone()).collect();
        // Seed `current` with the stored scores so that only real changes are recorded.
        for id in &ids {
            if let Some(p) = previous.get(id) {
                live.current.insert(id.clone(), Current { score: p.clone(), as_of: now, updated_at: now, next_change: None });
                live.ranking.insert((Reverse(p.total), id.clone()));
            }
        }
        let mut changes = Changes::from(live.rescore(&ids, now, &|_| cause.to_string()));
        {
            let mut ops = self.ops_lock(&live);
            ops.policy = leadrank_lifecycle::Policy::from_spec(&live.book.model().lifecycle);
        }
        self.observe(&live, &ids, now, &mut changes);
        self.submit(changes);
        let total_ms = started.elapsed().as_millis() as u64;
        tracing::info!(
            leads = ids.len(),
            events = events.len(),
            read_ms,
            book_ms,
            score_ms = total_ms - read_ms - book_ms,
            total_ms,
            "live book built ({cause})"
        );
        Ok(live)
    }

    /// The operating state (lifecycle, routing, SLAs). It is locked after the live book: the
    /// guard borrows the `Live` of a held live guard, so it cannot outlive it.
    pub(crate) fn ops_lock<'a>(&'a self, _live: &'a Live) -> std::sync::MutexGuard<'a, Ops> {
        self.ops.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` on the operating state alone (the live book is held for reading meanwhile, to
    /// keep the lock order).
    pub(crate) fn ops_state<R>(&self, f: impl FnOnce(&mut Ops) -> R) -> R {
        let live = self.live_read();
        f(&mut self.ops_lock(&live))
    }

    /// Reads the live book and the operating state together, in the lock order; for views
    /// that need both (lists, a lead's operating view). Keep `f` short: writers wait.
    pub fn read_state<R>(&self, f: impl FnOnce(&Live, &Ops) -> R) -> R {
        let live = self.live_read();
        let ops = self.ops_lock(&live);
        f(&live, &ops)
    }

    /// Applies the lifecycle rules to rescored leads and collects what they produce.
    fn observe(&self, live: &Live, ids: &[String], now: Timestamp, changes: &mut Changes) {
        let mut ops = self.ops_lock(live);
        let before = ops.routed;
        ops.observe(live, ids, now, &mut changes.ops);
        ops.finish(&mut changes.ops, now);
        self.metrics.routed(ops.routed - before);
    }

    /// Runs an operation on the operating state with the live book at hand, hands what it
    /// produced to the writer and waits for the commit (so a 2xx means it is stored).
    pub(crate) async fn with_ops<R>(&self, lead_id: &str, f: impl FnOnce(&Live, &mut Ops, Timestamp, &mut OpsOut) -> R) -> R {
        let _turn = self.order.keyed([OrderKey::Lead(lead_id.into())]).await;
        let now = self.clock.now();
        let mut changes = Changes::default();
        let result = {
            let live = self.live_read();
            let mut ops = self.ops_lock(&live);
            let r = f(&live, &mut ops, now, &mut changes.ops);
            ops.finish(&mut changes.ops, now);
            r
        };
        self.submit(changes);
        self.flush().await;
        result
    }

    /// Checks the SLA clocks due by `now`; returns the breaches found and the worst
    /// detection lag (now - deadline) in seconds.
    pub fn sla_sweep(&self, now: Timestamp) -> (usize, f64) {
        let mut changes = Changes::default();
        let lags = {
            let live = self.live_read();
            let mut ops = self.ops_lock(&live);
            if ops.next_due().is_none_or(|t| t > now) {
                return (0, 0.0);
            }
            let r = ops.sweep(&live, now, &mut changes.ops);
            ops.finish(&mut changes.ops, now);
            r
        };
        self.metrics.sla_breaches(&lags);
        self.submit(changes);
        (lags.len(), lags.iter().copied().fold(0.0, f64::max))
    }

    /// The next SLA deadline, if any clock runs.
    pub fn next_sla_due(&self) -> Option<Timestamp> {
        let live = self.live_read();
        self.ops_lock(&live).next_due()
    }

    /// The in-memory state, for reading.
    pub fn live_read(&self) -> RwLockReadGuard<'_, Live> {
        self.live.read().unwrap_or_else(|e| e.into_inner())
    }

    /// The in-memory state, for writing: only in a writer's turn (see [`crate::order`]).
    pub(crate) fn live_write<'a>(&'a self, _turn: &'a Turn<'_>) -> RwLockWriteGuard<'a, Live> {
        self.live.write().unwrap_or_else(|e| e.into_inner())
    }

    /// For a batch of more than [`leadrank_store::SMALL_WRITE_RECORDS`] records, waits for a
    /// bulk applier's permit (held while the batch is applied to the live book); small writes
    /// go straight on. Called after the batch's turn in the write order and its store commit,
    /// so the per-key order is kept and the store's writer stays busy meanwhile.
    async fn bulk_applier(&self, records: usize) -> Option<tokio::sync::SemaphorePermit<'_>> {
        if records <= leadrank_store::SMALL_WRITE_RECORDS {
            return None;
        }
        // The semaphore is never closed, so acquiring only fails if it were.
        self.bulk_appliers.acquire().await.ok()
    }

    /// Hands score changes and their webhook deliveries to the writer.
    fn submit(&self, changes: Changes) {
        if changes.scores.is_empty() && changes.ops.is_empty() {
            return;
        }
        self.changed.send_modify(|n| *n = n.wrapping_add(1));
        let now = self.clock.now();
        let subs = self.subscriptions.read().unwrap_or_else(|e| e.into_inner());
        let mut deliveries: Vec<Delivery> = Vec::new();
        let OpsOut { ops, log, events: ops_events, .. } = changes.ops;
        let events: Vec<_> = changes.events.into_iter().chain(ops_events).collect();
        for (kind, lead_id, payload) in &events {
            for sub in subs.iter().filter(|s| !s.id.starts_with(leadrank_webhooks::ALERT_ID_PREFIX) && s.events.iter().any(|e| e == kind)) {
                deliveries.push(leadrank_webhooks::new_delivery(sub, kind, Some(lead_id), payload.clone(), now));
            }
        }
        deliveries.extend(self.alert_deliveries_for(&subs, &events, now));
        if !log.is_empty() || !ops.is_empty() {
            self.ops_wakeup.notify_one();
        }
        self.writer.send(WriteBatch { scores: changes.scores, deliveries, ops, log });
    }

    /// Hands deliveries made outside a change (digests) to the writer.
    pub(crate) fn queue_deliveries(&self, deliveries: Vec<Delivery>) {
        if !deliveries.is_empty() {
            self.writer.send(WriteBatch { scores: Vec::new(), deliveries, ops: Vec::new(), log: Vec::new() });
        }
    }

    /// Waits until everything handed to the writer is committed.
    pub async fn flush(&self) {
        self.writer.flush().await;
    }

    /// Whether the person behind this lead id or email was erased.
    pub fn suppressed(&self, lead: &Lead) -> bool {
        let markers = self.markers.read().unwrap_or_else(|e| e.into_inner());
        self.marker_key.markers(&lead.lead_id, lead.email.as_deref()).iter().any(|m| markers.contains(m))
    }

    pub(crate) fn lead_id_suppressed(&self, lead_id: &str) -> bool {
        let markers = self.markers.read().unwrap_or_else(|e| e.into_inner());
        markers.contains(&self.marker_key.lead_marker(lead_id))
    }

    /// Upserts leads (already validated); one outcome per lead, in order.
    pub async fn upsert_leads(&self, leads: Vec<Lead>) -> Result<Vec<Outcome>, ServiceError> {
        let turn = self.order.keyed(leads.iter().map(|l| OrderKey::Lead(l.lead_id.as_str().into()))).await;
        let now = self.clock.now();
        let mut outcomes = Vec::with_capacity(leads.len());
        let mut keep = Vec::with_capacity(leads.len());
        {
            let live = self.live_read();
            let mut seen: HashSet<&str> = HashSet::new();
            for lead in &leads {
                if self.suppressed(lead) {
                    outcomes.push(Outcome::Suppressed);
                } else if live.book.lead(&lead.lead_id).is_some() || !seen.insert(&lead.lead_id) {
                    outcomes.push(Outcome::Updated);
                    keep.push(lead.clone());
                } else {
                    outcomes.push(Outcome::Created);
                    keep.push(lead.clone());
                }
            }
        }
        if keep.is_empty() {
            return Ok(outcomes);
        }
        self.store.upsert_leads(&keep, now).await?;
        let _applier = self.bulk_applier(keep.len()).await;
        let mut keep = keep.into_iter().peekable();
        while keep.peek().is_some() {
            let changes = {
                let mut live = self.live_write(&turn);
                let mut affected: Vec<String> = Vec::new();
                for lead in keep.by_ref().take(APPLY_SLICE) {
                    let id = lead.lead_id.clone();
                    let (_, a) = live.book.upsert_lead(lead);
                    live.touch(&id, now);
                    affected.extend(a);
                }
                affected.sort_unstable();
                affected.dedup();
                let mut changes = Changes::from(live.rescore(&affected, now, &|_| "lead updated".to_string()));
                self.observe(&live, &affected, now, &mut changes);
                changes
            };
            self.submit(changes);
            // Let other requests run between slices: a bulk request must not hold a worker
            // thread for all of its records while a single event waits for one.
            tokio::task::yield_now().await;
        }
        Ok(outcomes)
    }

    /// Upserts accounts (already validated).
    pub async fn upsert_accounts(&self, accounts: Vec<Account>) -> Result<Vec<Outcome>, ServiceError> {
        let turn = self.order.keyed(accounts.iter().map(|a| OrderKey::Account(a.account_id.as_str().into()))).await;
        let now = self.clock.now();
        let outcomes: Vec<Outcome> = {
            let live = self.live_read();
            let mut seen = HashSet::new();
            accounts
                .iter()
                .map(|a| {
                    if live.book.account(&a.account_id).is_some() || !seen.insert(a.account_id.clone()) {
                        Outcome::Updated
                    } else {
                        Outcome::Created
                    }
                })
                .collect()
        };
        if accounts.is_empty() {
            return Ok(outcomes);
        }
        self.store.upsert_accounts(&accounts, now).await?;
        let _applier = self.bulk_applier(accounts.len()).await;
        let mut accounts = accounts.into_iter().peekable();
        while accounts.peek().is_some() {
            let changes = {
                let mut live = self.live_write(&turn);
                let mut affected = Vec::new();
                for a in accounts.by_ref().take(APPLY_SLICE) {
                    affected.extend(live.book.upsert_account(a));
                }
                affected.sort_unstable();
                affected.dedup();
                let mut changes = Changes::from(live.rescore(&affected, now, &|_| "account updated".to_string()));
                self.observe(&live, &affected, now, &mut changes);
                changes
            };
            self.submit(changes);
            // Let other requests run between slices: a bulk request must not hold a worker
            // thread for all of its records while a single event waits for one.
            tokio::task::yield_now().await;
        }
        Ok(outcomes)
    }

    /// Ingests events (already validated). Events of unknown or erased leads are rejected
    /// with a reason; an event id seen before (ever) is a duplicate and counts once.
    pub async fn ingest_events(&self, events: Vec<Event>) -> Result<Vec<(Outcome, Option<String>)>, ServiceError> {
        let keys = events.iter().flat_map(|e| [OrderKey::Lead(e.lead_id.as_str().into()), OrderKey::Event(e.event_id.as_str().into())]);
        let turn = self.order.keyed(keys).await;
        let now = self.clock.now();
        let mut out: Vec<(Outcome, Option<String>)> = Vec::with_capacity(events.len());
        let mut keep: Vec<Event> = Vec::with_capacity(events.len());
        let mut slots: Vec<usize> = Vec::with_capacity(events.len());
        {
            let live = self.live_read();
            for event in events {
                if live.book.lead(&event.lead_id).is_none() {
                    if self.lead_id_suppressed(&event.lead_id) {
                        out.push((Outcome::Suppressed, None));
                    } else {
                        out.push((Outcome::Rejected, Some("lead_id: no such lead (send the lead first)".into())));
                    }
                    continue;
                }
                slots.push(out.len());
                out.push((Outcome::Accepted, None));
                keep.push(event);
            }
        }
        if keep.is_empty() {
            return Ok(out);
        }
        let stored = self.store.insert_events(&keep).await?;
        let _applier = self.bulk_applier(keep.len()).await;
        let mut rows = keep.iter().zip(&stored).zip(&slots).peekable();
        while rows.peek().is_some() {
            let changes = {
                let mut live = self.live_write(&turn);
                let mut affected: Vec<String> = Vec::new();
                let mut cause: FxHashMap<String, String> = FxHashMap::default();
                let mut touches: Vec<(String, Timestamp)> = Vec::new();
                for ((event, fresh), slot) in rows.by_ref().take(APPLY_SLICE) {
                    if !fresh {
                        out[*slot].0 = Outcome::Duplicate;
                        continue;
                    }
                    match live.book.add_event(event) {
                        Ok((leadrank_core::engine::EventAdded::Accepted, a)) => {
                            if event.event_type == "sales_touch" {
                                touches.push((event.lead_id.clone(), event.occurred_at));
                            }
                            cause.insert(event.lead_id.clone(), format!("event {}", event.event_id));
                            for id in &a {
                                cause.entry(id.clone()).or_insert_with(|| format!("account engagement (event {})", event.event_id));
                            }
                            affected.extend(a);
                        }
                        Ok((leadrank_core::engine::EventAdded::Duplicate, _)) => out[*slot].0 = Outcome::Duplicate,
                        Err(e) => out[*slot] = (Outcome::Rejected, Some(e.to_string())),
                    }
                }
                affected.sort_unstable();
                affected.dedup();
                let mut changes =
                    Changes::from(live.rescore(&affected, now, &|id| cause.get(id).cloned().unwrap_or_else(|| "event".into())));
                self.observe(&live, &affected, now, &mut changes);
                if !touches.is_empty() {
                    let mut ops = self.ops_lock(&live);
                    for (lead_id, at) in &touches {
                        ops.touch(lead_id, *at, &mut changes.ops);
                    }
                    ops.finish(&mut changes.ops, now);
                }
                changes
            };
            self.submit(changes);
            // Let other requests run between slices: a bulk request must not hold a worker
            // thread for all of its records while a single event waits for one.
            tokio::task::yield_now().await;
        }
        let accepted = out.iter().filter(|o| o.0 == Outcome::Accepted).count() as u64;
        let duplicates = out.iter().filter(|o| o.0 == Outcome::Duplicate).count() as u64;
        self.metrics.events(accepted, duplicates, (out.len() as u64).saturating_sub(accepted + duplicates));
        Ok(out)
    }

    /// Appends consent records (already validated).
    pub async fn add_consents(&self, records: Vec<ConsentRecord>) -> Result<Vec<(Outcome, Option<String>)>, ServiceError> {
        let turn = self.order.keyed(records.iter().map(|r| OrderKey::Lead(r.lead_id.as_str().into()))).await;
        let now = self.clock.now();
        let mut out = Vec::with_capacity(records.len());
        let mut keep = Vec::new();
        {
            let live = self.live_read();
            for r in records {
                if live.book.lead(&r.lead_id).is_none() {
                    out.push((Outcome::Rejected, Some("lead_id: no such lead".to_string())));
                } else {
                    out.push((Outcome::Accepted, None));
                    keep.push(r);
                }
            }
        }
        if keep.is_empty() {
            return Ok(out);
        }
        self.store.insert_consents(&keep).await?;
        let _applier = self.bulk_applier(keep.len()).await;
        let changes = {
            let mut live = self.live_write(&turn);
            let mut affected = Vec::new();
            for r in &keep {
                affected.extend(live.book.add_consent(r).unwrap_or_default());
            }
            affected.sort_unstable();
            affected.dedup();
            let mut changes = Changes::from(live.rescore(&affected, now, &|_| "consent record".into()));
            self.observe(&live, &affected, now, &mut changes);
            changes
        };
        self.submit(changes);
        Ok(out)
    }

    /// A lead's score computed now, exactly as `leadrank score --as-of now` would give it.
    pub fn score_now(&self, lead_id: &str) -> Option<(Score, Timestamp)> {
        let now = self.clock.now();
        let live = self.live_read();
        live.book.score(lead_id, now).map(|s| (s, now))
    }

    /// Rescores the leads whose windows have moved by `now`; returns how many were
    /// rescored and how late the earliest was (the rescoring lag).
    pub async fn sweep(&self, now: Timestamp) -> (usize, f64) {
        let turn = self.order.background().await;
        let t = now.as_second();
        let changes;
        let (count, lag) = {
            let mut live = self.live_write(&turn);
            let due: Vec<String> = live.timers.iter().take_while(|(at, _)| *at <= t).map(|(_, id)| id.clone()).collect();
            let lag = live.timers.first().filter(|(at, _)| *at <= t).map_or(0.0, |(at, _)| (t - at) as f64);
            let mut c = Changes::from(live.rescore(&due, now, &|_| "window".into()));
            self.observe(&live, &due, now, &mut c);
            changes = c;
            (due.len(), lag)
        };
        self.metrics.rescoring_lag(lag);
        self.submit(changes);
        (count, lag)
    }

    /// When the next window moves, if ever.
    pub fn next_timer(&self) -> Option<Timestamp> {
        let live = self.live_read();
        live.timers.first().and_then(|(t, _)| Timestamp::from_second(*t).ok())
    }

    /// The active model and its id.
    pub fn model(&self) -> (i64, Arc<CompiledModel>) {
        let live = self.live_read();
        (live.model_id, live.book.model().clone())
    }

    /// Activation progress.
    pub fn activation(&self) -> Activation {
        let a = self.activation.lock().unwrap_or_else(|e| e.into_inner());
        Activation {
            model_id: a.model_id,
            state: a.state,
            done: self.activation_done.load(Ordering::Relaxed).min(a.total),
            total: a.total,
            error: a.error.clone(),
        }
    }

    /// Activates a stored model: recomputes every score with it (ingestion waits), then
    /// switches. Runs to completion; call it from a background task.
    pub async fn activate(self: &Arc<Self>, model_id: i64, actor: &str) -> Result<(), ServiceError> {
        let stored = self.store.model(model_id).await?.ok_or_else(|| ServiceError::NotFound(format!("model {model_id}")))?;
        let compiled = CompiledModel::from_toml(&stored.source, &format!("model {model_id}"))
            .map_err(|e| StoreError::Corrupt { table: "models", detail: format!("model {model_id} no longer compiles: {e}") })?;
        {
            let mut a = self.activation.lock().unwrap_or_else(|e| e.into_inner());
            *a = Activation { model_id: Some(model_id), state: "running", ..Activation::default() };
        }
        let turn = self.order.exclusive().await;
        let result = self.build_live(model_id, Arc::new(compiled), &format!("model {model_id} activated")).await;
        let result = match result {
            Ok(live) => match self.store.activate_model(model_id).await {
                Ok(()) => {
                    *self.live_write(&turn) = live;
                    Ok(())
                }
                Err(e) => Err(ServiceError::from(e)),
            },
            Err(e) => Err(e),
        };
        drop(turn);
        // Audited before the state says "done", so whoever sees "done" finds the audit entry.
        let result = match result {
            Ok(()) => self.audit(actor, "model.activate", &format!("model {model_id} ({} {})", stored.name, stored.version)).await,
            Err(e) => Err(e),
        };
        let mut a = self.activation.lock().unwrap_or_else(|e| e.into_inner());
        match &result {
            Ok(()) => a.state = "done",
            Err(e) => {
                a.state = "failed";
                a.error = Some(e.to_string());
            }
        }
        result
    }

    /// Marks activation as started (so that a poll right after the request sees it).
    pub fn activation_queued(&self, model_id: i64) {
        let mut a = self.activation.lock().unwrap_or_else(|e| e.into_inner());
        *a = Activation { model_id: Some(model_id), state: "queued", ..Activation::default() };
    }

    /// Lead ids of the leads with this email (normalised as for duplicates) or this id.
    pub fn find_person(&self, lead_id: Option<&str>, email: Option<&str>) -> Vec<String> {
        let live = self.live_read();
        let mut out: Vec<String> = Vec::new();
        if let Some(id) = lead_id
            && live.book.lead(id).is_some()
        {
            out.push(id.to_string());
        }
        if let Some(email) = email {
            let want = leadrank_facts::email::normalize_for_dedupe(email);
            for lead in live.book.leads() {
                let have = lead.email.as_deref().and_then(leadrank_facts::email::normalize_for_dedupe);
                if want.is_some() && have == want && !out.contains(&lead.lead_id) {
                    out.push(lead.lead_id.clone());
                }
            }
        }
        out.sort();
        out
    }

    /// Erases people everywhere, keeping only keyed-hash markers so that re-ingesting them
    /// stores nothing. Returns what was removed.
    pub async fn erase(&self, lead_id: Option<&str>, email: Option<&str>, actor: &str) -> Result<(usize, Erased), ServiceError> {
        let turn = self.order.exclusive().await;
        // Scores queued for these leads must not land after the erasure.
        self.flush().await;
        let ids = self.find_person(lead_id, email);
        let mut total = Erased::default();
        let now = self.clock.now();
        let mut changes = Changes::default();
        for id in &ids {
            let lead_email = self.live_read().book.lead(id).and_then(|l| l.email.as_deref().map(str::to_string));
            let mut markers = self.marker_key.markers(id, lead_email.as_deref());
            if let Some(e) = email {
                markers.extend(self.marker_key.markers(id, Some(e)));
            }
            markers.sort();
            markers.dedup();
            let erased = self.store.erase_lead(id, &markers).await?;
            // The Segment intake's links from the person's anonymous visits.
            self.erase_segment_links(id).await?;
            // The lead's total in each user's last look at their queue.
            self.forget_looks_of(id).await?;
            total.leads += erased.leads;
            total.events += erased.events;
            total.consents += erased.consents;
            total.scores += erased.scores;
            total.history += erased.history;
            total.deliveries += erased.deliveries;
            self.markers.write().unwrap_or_else(|e| e.into_inner()).extend(markers);
            total.ops += erased.ops;
            total.deals += erased.deals;
            self.deals.write().unwrap_or_else(|e| e.into_inner()).retain(|_, d| d.lead_id.as_deref() != Some(id.as_str()));
            self.forget_digest_alerts(id);
            let mut live = self.live_write(&turn);
            live.forget(id);
            self.ops_lock(&live).forget(id);
            let affected = live.book.remove_lead(id).unwrap_or_default();
            let mut c = Changes::from(live.rescore(&affected, now, &|_| "a related lead was erased".into()));
            self.observe(&live, &affected, now, &mut c);
            changes.extend(c);
        }
        if lead_id.is_none() && email.is_some() && ids.is_empty() {
            // Nobody held now: still suppress the address for the future.
            let markers: Vec<String> = email.and_then(|e| self.marker_key.email_marker(e)).into_iter().collect();
            self.store.erase_lead("", &markers).await?;
            self.markers.write().unwrap_or_else(|e| e.into_inner()).extend(markers);
        }
        self.submit(changes);
        // The erased leads' alerts leave the stored digests too.
        self.write_pending_digests().await?;
        self.audit(
            actor,
            "erase",
            &format!(
                "{} lead(s): {} event(s), {} consent record(s), {} score(s), {} history entries, {} queued deliveries, {} operating records, {} deal(s)",
                ids.len(),
                total.events,
                total.consents,
                total.scores,
                total.history,
                total.deliveries,
                total.ops,
                total.deals
            ),
        )
        .await?;
        Ok((ids.len(), total))
    }

    /// Erases what the Segment intake holds about `lead_id`'s anonymous visits: the links both
    /// ways and any events still held under those visitors. Returns how many were unlinked.
    async fn erase_segment_links(&self, lead_id: &str) -> Result<usize, ServiceError> {
        let of = format!("{SEGMENT_ALIASES_OF_PREFIX}{lead_id}");
        let rows = self.store.lead_events(&of).await?;
        let mut unlinked = 0;
        for row in &rows {
            if let Some(anon) = row.properties.as_ref().and_then(|p| p.get("anonymous_id")).and_then(serde_json::Value::as_str) {
                self.store.erase_lead(&format!("{SEGMENT_ALIAS_PREFIX}{anon}"), &[]).await?;
                self.store.erase_lead(&format!("{SEGMENT_HELD_PREFIX}{anon}"), &[]).await?;
                unlinked += 1;
            }
        }
        if !rows.is_empty() {
            self.store.erase_lead(&of, &[]).await?;
        }
        Ok(unlinked)
    }

    /// Appends to the audit log.
    pub async fn audit(&self, actor: &str, action: &str, detail: &str) -> Result<(), ServiceError> {
        let entry = AuditEntry { at: self.clock.now(), actor: actor.into(), action: action.into(), detail: detail.into() };
        Ok(self.store.audit(&entry).await?)
    }

    /// Reloads the webhook subscriptions after a change.
    pub async fn reload_subscriptions(&self) -> Result<(), ServiceError> {
        let subs = self.store.subscriptions().await?;
        *self.subscriptions.write().unwrap_or_else(|e| e.into_inner()) = subs;
        self.sync_subscribed();
        Ok(())
    }

    /// Tells the operating layer which webhook events have subscribers.
    fn sync_subscribed(&self) {
        let (kinds, offsets) = {
            let subs = self.subscriptions.read().unwrap_or_else(|e| e.into_inner());
            let kinds: std::collections::BTreeSet<String> = subs.iter().flat_map(|s| s.events.iter().cloned()).collect();
            // The lead times of the alert rules on sla.warning.
            let offsets: Vec<i64> = subs
                .iter()
                .filter_map(crate::alert_settings::alert_rule_of)
                .filter(|r| r.events.iter().any(|e| e == "sla.warning"))
                .map(|r| i64::from(r.warn_minutes))
                .collect();
            (kinds, offsets)
        };
        let now = self.clock.now();
        let live = self.live_read();
        let mut ops = self.ops_lock(&live);
        ops.subscribed = kinds;
        ops.set_warn_offsets(offsets, now);
        drop(ops);
        drop(live);
        // The SLA timer re-arms: a new warning may be due sooner.
        self.ops_wakeup.notify_one();
    }

    /// Stops the background writer after committing everything queued.
    pub async fn shutdown(&self) {
        self.writer.flush().await;
        self.write_pending_looks().await;
        if let Err(e) = self.write_pending_digests().await {
            tracing::warn!(error = %e, "could not store the alerts waiting in digests");
        }
    }
}
