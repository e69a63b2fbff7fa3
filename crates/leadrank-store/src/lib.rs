//! What the leadrank service keeps, and the [`Store`] trait each database implements
//! (`leadrank-store-sqlite`, `leadrank-store-postgres`).
//!
//! The database is the durable record: leads, accounts, events (the event id is the
//! idempotency key, forever), consent records, model versions, current scores and their
//! history, API keys (hashed), webhook subscriptions and deliveries, erasure markers, the
//! audit log, and the operating layer: each lead's operating state (stage, checklist,
//! assignment, SLA clock) and log, and the sales directory (teams, reps, routing file). The service keeps a [`leadrank_core::engine::LiveBook`] in memory, rebuilt from
//! here on start, and writes through this trait before it acknowledges anything.
//!
//! Every back end passes the same scenario suite ([`conformance`], feature `conformance`)
//! and maps its rows to records with the same code ([`rows`]). Its schema is upgraded by
//! numbered migrations with the same rules everywhere ([`migrations`]); a lead's score is
//! stored in the store's own versioned form ([`StoredScoreBody`]).

use async_trait::async_trait;
use jiff::Timestamp;
use leadrank_core::records::{Account, ConsentRecord, Event, Lead};
use serde::{Deserialize, Serialize};

#[cfg(feature = "conformance")]
pub mod conformance;
pub mod migrations;
pub mod rows;
mod score_body;

pub use migrations::{Migration, SchemaStatus, Upgrade};
pub use score_body::{SCORE_BODY_FORMAT, StoredReason, StoredScoreBody};

/// Records at or below which a write is "small" (a single event, a form fill): small writes
/// go ahead of bulk batches at the SQLite writer connection and never wait for the service's
/// one bulk applier.
pub const SMALL_WRITE_RECORDS: usize = 16;

/// A storage failure. Messages never carry personal data.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be reached or refused a statement.
    #[error("database error: {0}")]
    Database(String),
    /// A stored value could not be read back (a bug or a hand-edited database).
    #[error("corrupt stored value in {table}: {detail}")]
    Corrupt { table: &'static str, detail: String },
    /// The thing asked for does not exist.
    #[error("{0} not found")]
    NotFound(String),
    /// The database's schema is one this build must not use (newer, altered or unknown).
    #[error("database schema version {database} cannot be used by this leadrank (schema version {binary}): {reason}")]
    Schema { database: String, binary: i64, reason: String },
    /// Cluster mode: this node no longer owns the partition it wrote for (another node took
    /// it over), so the write was refused and rolled back.
    #[error("write refused: this node no longer owns partition {partition} (its fencing token {token} was superseded)")]
    Fenced { partition: i32, token: i64 },
}

/// Shorthand for store results.
pub type StoreResult<T> = Result<T, StoreError>;

/// A model file kept as a version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredModel {
    /// Assigned by the store, increasing.
    pub id: i64,
    /// The model's own name and version (from the file).
    pub name: String,
    pub version: String,
    /// The TOML text.
    pub source: String,
    pub created_at: Timestamp,
    pub active: bool,
}

/// A lead's current score, or one entry of its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredScore {
    pub lead_id: String,
    /// The scoring time.
    pub as_of: Timestamp,
    pub model_id: i64,
    pub total: i32,
    pub quality: bool,
    pub grade: String,
    pub cell: String,
    /// The whole score (dimensions and reasons), in the store's own versioned form; in a
    /// record's serde form it is the stored JSON text.
    #[serde(with = "score_body::as_text")]
    pub body: StoredScoreBody,
    /// Why it was (re)computed: "event e1", "lead updated", "window", "model 3", ...
    pub cause: String,
}

/// Access an API key grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Write leads, accounts, events and consent records.
    Ingest,
    /// Read leads, scores and models.
    Read,
    /// Models, webhooks, keys, privacy and audit; teams, reps and the routing file.
    Admin,
    /// Work leads: accept, reject, move stages, fill checklists, re-route.
    Sales,
}

impl Scope {
    /// The scope's name as used on the command line and in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Ingest => "ingest",
            Scope::Read => "read",
            Scope::Admin => "admin",
            Scope::Sales => "sales",
        }
    }

    /// Parses "ingest", "read", "admin" or "sales".
    pub fn parse(s: &str) -> Option<Scope> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ingest" => Some(Scope::Ingest),
            "read" => Some(Scope::Read),
            "admin" => Some(Scope::Admin),
            "sales" => Some(Scope::Sales),
            _ => None,
        }
    }
}

/// An API key as stored: its public id and the hash of its secret, never the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKey {
    /// Public part of the key, e.g. "k_3f9a2c1d".
    pub id: String,
    /// Hex SHA-256 of the secret part.
    pub secret_hash: String,
    pub name: String,
    pub scopes: Vec<Scope>,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

/// A webhook subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub id: String,
    pub url: String,
    /// The HMAC-SHA256 signing secret.
    pub secret: String,
    /// Event types delivered: "lead.quality", "lead.score_changed", "lead.stage_changed".
    pub events: Vec<String>,
    pub created_at: Timestamp,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryState {
    Pending,
    Delivered,
    /// Gave up after the retry horizon.
    Failed,
}

impl DeliveryState {
    /// The state's stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Failed => "failed",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(DeliveryState::Pending),
            "delivered" => Some(DeliveryState::Delivered),
            "failed" => Some(DeliveryState::Failed),
            _ => None,
        }
    }
}

/// One webhook message to one subscriber, with its attempts so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// Unique; receivers deduplicate on it.
    pub id: String,
    pub subscription_id: String,
    pub event_type: String,
    /// The lead it is about, so that erasure can drop it.
    pub lead_id: Option<String>,
    /// The JSON body sent.
    pub body: String,
    pub created_at: Timestamp,
    pub next_attempt_at: Timestamp,
    pub attempts: u32,
    pub state: DeliveryState,
    pub last_attempt_at: Option<Timestamp>,
    /// HTTP status of the last attempt, if it got one.
    pub last_status: Option<u16>,
    pub last_error: Option<String>,
}

/// The result of one delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub at: Timestamp,
    pub status: Option<u16>,
    pub error: Option<String>,
    /// The new state; `Pending` with `next_attempt_at` to retry.
    pub state: DeliveryState,
    pub next_attempt_at: Timestamp,
}

/// One line of the audit log (no personal data: ids of keys, models, counts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: Timestamp,
    /// The API key id or "cli".
    pub actor: String,
    /// "erase", "export", "key.create", "model.upload", "model.activate", ...
    pub action: String,
    pub detail: String,
}

/// What an erasure removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Erased {
    pub leads: u64,
    pub events: u64,
    pub consents: u64,
    pub scores: u64,
    pub history: u64,
    pub deliveries: u64,
    /// Operating state and operating-log entries (stages, checklist, assignments, breaches).
    #[serde(default)]
    pub ops: u64,
    /// Deals (opportunities) that named the lead.
    #[serde(default)]
    pub deals: u64,
}

/// A deal (an opportunity, the outcome lead quality is measured against) as JSON owned by
/// the service; the store keeps the body opaque and indexes the lead it names for erasure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealRow {
    pub deal_id: String,
    pub lead_id: Option<String>,
    pub account_id: Option<String>,
    pub body: String,
    pub updated_at: Timestamp,
}

/// The operating state of one lead (lifecycle stage, checklist, assignment, SLA clock) as
/// JSON owned by the service; the store keeps it opaque.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadOps {
    pub lead_id: String,
    pub body: String,
    pub updated_at: Timestamp,
}

/// One entry of a lead's operating history: a stage transition, an assignment, an SLA
/// breach, a checklist change. Append-only (erasure deletes a lead's entries).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpsLogEntry {
    /// Assigned by the store on insert, increasing; ignored on input.
    pub id: i64,
    pub lead_id: String,
    /// "transition", "assignment", "breach", "checklist", ...
    pub kind: String,
    pub at: Timestamp,
    /// The entry as JSON owned by the service.
    pub body: String,
}

/// A record of the sales directory: a rep, a team, or the active routing file, as JSON (or
/// TOML for the routing file) owned by the service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryEntry {
    /// "rep", "team" or "routing".
    pub kind: String,
    pub id: String,
    pub body: String,
    pub updated_at: Timestamp,
}

/// The durable record of the service. Every write is committed (durably, per the back
/// end's settings) before the method returns.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Upgrades the schema to this build's version in one transaction (idempotent): a new
    /// database gets every migration, one made before migrations were recorded is adopted
    /// as version 1, an older one gets the pending migrations. A database this build must
    /// not use (newer, altered) is refused with [`StoreError::Schema`] and left unchanged.
    async fn migrate(&self) -> StoreResult<Upgrade>;
    /// Where the database stands against this build's migrations (reads only).
    async fn schema_status(&self) -> StoreResult<SchemaStatus>;
    /// Whether the database answers (for /readyz).
    async fn ping(&self) -> StoreResult<()>;

    /// A setting (e.g. the key of the erasure markers).
    async fn setting(&self, key: &str) -> StoreResult<Option<String>>;
    /// Sets a setting only if it is not set; returns the value that holds afterwards.
    async fn setting_or_insert(&self, key: &str, value: &str) -> StoreResult<String>;

    /// Inserts or replaces leads in one transaction, stamping `at` as their update time.
    async fn upsert_leads(&self, leads: &[Lead], at: Timestamp) -> StoreResult<()>;
    /// Inserts or replaces accounts in one transaction.
    async fn upsert_accounts(&self, accounts: &[Account], at: Timestamp) -> StoreResult<()>;
    /// Inserts events in one transaction; per event, `true` when stored, `false` when its id
    /// was stored before (a duplicate, left unchanged).
    async fn insert_events(&self, events: &[Event]) -> StoreResult<Vec<bool>>;
    /// Appends consent records in one transaction.
    async fn insert_consents(&self, records: &[ConsentRecord]) -> StoreResult<()>;
    /// Inserts or replaces deals (by `deal_id`) in one transaction.
    async fn upsert_deals(&self, deals: &[DealRow]) -> StoreResult<()>;
    /// Every deal, by id.
    async fn all_deals(&self) -> StoreResult<Vec<DealRow>>;
    /// Deletes the deals with these ids in one transaction (ids not stored are passed over);
    /// returns how many were deleted.
    async fn delete_deals(&self, deal_ids: &[String]) -> StoreResult<u64>;

    /// One lead.
    async fn lead(&self, lead_id: &str) -> StoreResult<Option<Lead>>;
    /// Every lead.
    async fn all_leads(&self) -> StoreResult<Vec<Lead>>;
    /// Every account.
    async fn all_accounts(&self) -> StoreResult<Vec<Account>>;
    /// Every event, in insertion order.
    async fn all_events(&self) -> StoreResult<Vec<Event>>;
    /// Every consent record, in insertion order.
    async fn all_consents(&self) -> StoreResult<Vec<ConsentRecord>>;
    /// The events of one lead, in insertion order.
    async fn lead_events(&self, lead_id: &str) -> StoreResult<Vec<Event>>;
    /// The consent records of one lead, in insertion order.
    async fn lead_consents(&self, lead_id: &str) -> StoreResult<Vec<ConsentRecord>>;

    /// Replaces current scores and appends each to the history, in one transaction.
    async fn save_scores(&self, scores: &[StoredScore]) -> StoreResult<()>;
    /// Every current score.
    async fn current_scores(&self) -> StoreResult<Vec<StoredScore>>;
    /// A lead's score history, oldest first.
    async fn score_history(&self, lead_id: &str) -> StoreResult<Vec<StoredScore>>;

    /// Stores a model version (inactive) and returns its id.
    async fn add_model(&self, name: &str, version: &str, source: &str, at: Timestamp) -> StoreResult<i64>;
    /// Every model version, oldest first.
    async fn models(&self) -> StoreResult<Vec<StoredModel>>;
    /// One model version.
    async fn model(&self, id: i64) -> StoreResult<Option<StoredModel>>;
    /// Makes one version the active one (and no other); `NotFound` if it does not exist.
    async fn activate_model(&self, id: i64) -> StoreResult<()>;

    /// Stores a new API key.
    async fn add_key(&self, key: &ApiKey) -> StoreResult<()>;
    /// A key by its public id.
    async fn key(&self, id: &str) -> StoreResult<Option<ApiKey>>;
    /// Every key.
    async fn keys(&self) -> StoreResult<Vec<ApiKey>>;
    /// Marks a key revoked; `NotFound` if it does not exist.
    async fn revoke_key(&self, id: &str, at: Timestamp) -> StoreResult<()>;

    /// Stores a webhook subscription.
    async fn add_subscription(&self, sub: &Subscription) -> StoreResult<()>;
    /// Every subscription.
    async fn subscriptions(&self) -> StoreResult<Vec<Subscription>>;
    /// Deletes a subscription and its pending deliveries; `NotFound` if it does not exist.
    async fn delete_subscription(&self, id: &str) -> StoreResult<()>;
    /// Queues deliveries in one transaction.
    async fn enqueue_deliveries(&self, deliveries: &[Delivery]) -> StoreResult<()>;
    /// Pending deliveries due at `now`, earliest first.
    async fn due_deliveries(&self, now: Timestamp, limit: u32) -> StoreResult<Vec<Delivery>>;
    /// Records an attempt.
    async fn record_attempt(&self, delivery_id: &str, attempt: &Attempt) -> StoreResult<()>;
    /// A subscription's latest deliveries, newest first.
    async fn deliveries(&self, subscription_id: &str, limit: u32) -> StoreResult<Vec<Delivery>>;

    /// Erases a lead everywhere (lead, events, consent records, scores, history, queued
    /// deliveries, operating state and log, the deals that name it) and stores the
    /// suppression markers, in one transaction.
    async fn erase_lead(&self, lead_id: &str, markers: &[String]) -> StoreResult<Erased>;
    /// Every suppression marker.
    async fn suppressions(&self) -> StoreResult<Vec<String>>;

    /// Upserts lead operating states and appends operating-log entries, in one transaction.
    async fn save_ops(&self, ops: &[LeadOps], log: &[OpsLogEntry]) -> StoreResult<()>;
    /// Every lead operating state.
    async fn all_ops(&self) -> StoreResult<Vec<LeadOps>>;
    /// One lead's operating log, oldest first (by id).
    async fn ops_log(&self, lead_id: &str) -> StoreResult<Vec<OpsLogEntry>>;
    /// The whole operating log, or the entries of one kind, oldest first (by id).
    async fn all_ops_log(&self, kind: Option<&str>) -> StoreResult<Vec<OpsLogEntry>>;
    /// Inserts or replaces a directory record (kind, id).
    async fn put_directory(&self, entry: &DirectoryEntry) -> StoreResult<()>;
    /// Deletes a directory record; `NotFound` if it does not exist.
    async fn delete_directory(&self, kind: &str, id: &str) -> StoreResult<()>;
    /// The directory records of one kind, by id.
    async fn directory(&self, kind: &str) -> StoreResult<Vec<DirectoryEntry>>;
    /// One directory record by kind and id, if present.
    async fn directory_entry(&self, kind: &str, id: &str) -> StoreResult<Option<DirectoryEntry>>;

    /// Appends to the audit log.
    async fn audit(&self, entry: &AuditEntry) -> StoreResult<()>;
    /// The latest audit entries, newest first.
    async fn audit_log(&self, limit: u32) -> StoreResult<Vec<AuditEntry>>;
}
