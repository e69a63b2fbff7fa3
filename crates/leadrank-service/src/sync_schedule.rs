//! Scheduled CRM sync (`leadrank serve --sync-config`), as the front ends see it: each
//! source's status and the commands run now, pause and resume, audited with the actor.
//!
//! The scheduler itself (the timers and the connectors) lives in `leadrank-sync`, which
//! registers itself here with [`Service::set_sync_scheduler`]; the HTTP API and the web app
//! reach it only through these methods. A source's pause is stored (directory records of kind
//! [`PAUSED_KIND`]), so it holds across restarts.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::service::{Service, ServiceError};
pub use crate::sync_status::{SyncRunSummary, SyncScheduler, SyncSourceStatus, SyncState};

/// The directory kind of the stored pauses (one record per paused source).
pub const PAUSED_KIND: &str = "crm.schedule.paused";

#[derive(Serialize, Deserialize)]
struct PausedRecord {
    by: String,
}

impl Service {
    /// Registers the scheduler of this process (the last one registered answers).
    pub fn set_sync_scheduler(&self, scheduler: Arc<dyn SyncScheduler>) {
        *self.sync_scheduler.write().unwrap_or_else(|e| e.into_inner()) = Some(scheduler);
    }

    fn sync_scheduler(&self) -> Option<Arc<dyn SyncScheduler>> {
        self.sync_scheduler.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The scheduled sources and their status (none when the server runs no sync).
    pub fn sync_sources(&self) -> Vec<SyncSourceStatus> {
        self.sync_scheduler().map(|s| s.sources()).unwrap_or_default()
    }

    /// One source's status.
    pub fn sync_source(&self, source: &str) -> Result<SyncSourceStatus, ServiceError> {
        self.sync_sources().into_iter().find(|s| s.name == source).ok_or_else(|| ServiceError::NotFound(format!("sync source '{source}'")))
    }

    /// The sources stored as paused.
    pub async fn paused_sync_sources(&self) -> Result<Vec<String>, ServiceError> {
        Ok(self.store.directory(PAUSED_KIND).await?.into_iter().map(|e| e.id).collect())
    }

    /// Runs `source` now (audited `sync.run`).
    pub async fn sync_run_now(&self, source: &str, actor: &str) -> Result<SyncSourceStatus, ServiceError> {
        let scheduler = self.sync_scheduler().ok_or_else(|| ServiceError::NotFound(format!("sync source '{source}'")))?;
        self.sync_source(source)?;
        scheduler.run_now(source)?;
        self.audit(actor, "sync.run", source).await?;
        self.sync_source(source)
    }

    /// Pauses (`true`) or resumes a source (stored, audited `sync.pause` / `sync.resume`).
    pub async fn sync_set_paused(&self, source: &str, paused: bool, actor: &str) -> Result<SyncSourceStatus, ServiceError> {
        let scheduler = self.sync_scheduler().ok_or_else(|| ServiceError::NotFound(format!("sync source '{source}'")))?;
        self.sync_source(source)?;
        if paused {
            let body = serde_json::to_string(&PausedRecord { by: actor.into() }).map_err(|e| ServiceError::Internal(e.to_string()))?;
            self.put_crm_state(PAUSED_KIND, source, body).await?;
        } else {
            self.delete_crm_state(PAUSED_KIND, source).await?;
        }
        scheduler.set_paused(source, paused)?;
        self.audit(actor, if paused { "sync.pause" } else { "sync.resume" }, source).await?;
        self.sync_source(source)
    }
}
