//! The status of the scheduled CRM sync sources and the trait of their scheduler, which
//! `leadrank-sync` implements (see [`crate::sync_schedule`]).

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::error::ServiceError;

/// What a scheduled source is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SyncState {
    /// A run is in progress.
    Running,
    /// Waiting for its next run; the last one (if any) succeeded.
    Idle,
    /// Paused: no scheduled runs until resumed (run now still runs once).
    Paused,
    /// The last run failed; the next is still scheduled (with backoff).
    Failed,
}

impl SyncState {
    pub fn as_str(self) -> &'static str {
        match self {
            SyncState::Running => "running",
            SyncState::Idle => "idle",
            SyncState::Paused => "paused",
            SyncState::Failed => "failed",
        }
    }
}

/// What one run did, in counts only (no record ids, no personal data).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncRunSummary {
    /// Records read from the CRM, over every object.
    pub read: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Records the mapping or the checks refused.
    pub rejected: u64,
    /// CRM records and fields written back.
    pub records_written: u64,
    pub fields_written: u64,
    /// Records whose write failed (retried by the next run).
    pub write_failures: u64,
    /// API calls spent.
    pub calls: u64,
    /// Why the run stopped early (daily cap, retries exhausted), if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
}

/// One scheduled source and its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncSourceStatus {
    /// The source's name: its connector (`hubspot`).
    pub name: String,
    /// The sync file it comes from.
    pub file: String,
    /// Seconds between runs.
    pub interval_s: u64,
    pub state: SyncState,
    pub paused: bool,
    pub last_started: Option<Timestamp>,
    pub last_ended: Option<Timestamp>,
    /// The last completed run's counts (also kept when it stopped early).
    pub last_result: Option<SyncRunSummary>,
    /// The last run's error, when it failed.
    pub last_error: Option<String>,
    /// Failed runs in a row.
    pub failures: u32,
    /// Runs since the server started.
    pub runs: u64,
    /// When the next scheduled run is due (none while paused).
    pub next_run: Option<Timestamp>,
}

/// The scheduler the front ends command (implemented in `leadrank-sync`).
pub trait SyncScheduler: Send + Sync + 'static {
    /// Every source, in the order configured.
    fn sources(&self) -> Vec<SyncSourceStatus>;
    /// Asks for a run of `source` now; an error when it is unknown or already running.
    fn run_now(&self, source: &str) -> Result<(), ServiceError>;
    /// Pauses (`true`) or resumes a source.
    fn set_paused(&self, source: &str, paused: bool) -> Result<(), ServiceError>;
}
