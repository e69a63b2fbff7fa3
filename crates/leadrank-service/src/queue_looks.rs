//! What each web user saw when they last opened their queue: each lead's total then, so the
//! queue can show "change since I last looked".
//!
//! Kept in memory and in the store as a sales-directory record (kind [`LOOKS_KIND`], id =
//! the username, body = lead id -> total), so a restart keeps it. A look is written in the
//! background, at most once per [`WRITE_DELAY`] per user (a queue opened many times in a row
//! costs one write), so opening the queue never waits for the disk; a crash can lose the
//! looks of the last [`WRITE_DELAY`] (a shutdown writes them). Erasing a person removes their lead from every user's
//! record, in memory and on disk.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use leadrank_store::DirectoryEntry;

use crate::{Service, ServiceError};

/// The directory kind of the stored looks.
pub const LOOKS_KIND: &str = "queue.looked";

/// The most leads remembered per user (the queue shows fewer).
pub const MAX_LOOKED: usize = 1_000;

/// How long a look waits before it is written (later looks of the same user in that time
/// replace it).
pub const WRITE_DELAY: Duration = Duration::from_secs(2);

/// Each lead's total at a user's last look.
pub type Looks = HashMap<String, i32>;

/// The looks in memory and the users whose look waits to be written.
#[derive(Default)]
pub(crate) struct QueueLooks {
    by_user: HashMap<String, Looks>,
    pending: HashSet<String>,
}

impl Service {
    /// The totals `username` saw at their last look (empty if they never looked). Read from
    /// the store once per user per process.
    pub async fn queue_looks(&self, username: &str) -> Result<Looks, ServiceError> {
        if let Some(looks) = self.looks_lock().by_user.get(username) {
            return Ok(looks.clone());
        }
        let stored = match self.store.directory_entry(LOOKS_KIND, username).await? {
            Some(entry) => decode(&entry)?,
            None => Looks::new(),
        };
        let mut all = self.looks_lock();
        // A look remembered while the store was read is newer than the stored one.
        Ok(all.by_user.entry(username.to_string()).or_insert(stored).clone())
    }

    /// Makes `looks` (lead id, total; at most [`MAX_LOOKED`] kept) the user's last look and
    /// writes it in the background unless nothing changed.
    pub fn remember_queue_look(self: &Arc<Self>, username: &str, looks: impl IntoIterator<Item = (String, i32)>) {
        let looks: Looks = looks.into_iter().take(MAX_LOOKED).collect();
        let schedule = {
            let mut all = self.looks_lock();
            if all.by_user.get(username) == Some(&looks) {
                return;
            }
            all.by_user.insert(username.to_string(), looks);
            all.pending.insert(username.to_string())
        };
        if !schedule {
            return; // a write is already waiting and will take this look
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        let service = Arc::clone(self);
        let username = username.to_string();
        runtime.spawn(async move {
            tokio::time::sleep(WRITE_DELAY).await;
            if let Err(e) = service.write_look(&username).await {
                tracing::warn!(error = %e, "could not store a user's last look at their queue");
            }
        });
    }

    /// Writes the user's current look now (the background write calls this).
    pub async fn write_look(&self, username: &str) -> Result<(), ServiceError> {
        let body = {
            let mut all = self.looks_lock();
            all.pending.remove(username);
            let Some(looks) = all.by_user.get(username) else { return Ok(()) };
            encode(looks)?
        };
        let entry = DirectoryEntry { kind: LOOKS_KIND.into(), id: username.into(), body, updated_at: self.clock.now() };
        Ok(self.store.put_directory(&entry).await?)
    }

    /// Writes every look still waiting (on shutdown).
    pub(crate) async fn write_pending_looks(&self) {
        let pending: Vec<String> = self.looks_lock().pending.iter().cloned().collect();
        for username in pending {
            if let Err(e) = self.write_look(&username).await {
                tracing::warn!(error = %e, "could not store a user's last look at their queue");
            }
        }
    }

    /// Removes an erased lead from every user's looks, in memory and in the store.
    pub(crate) async fn forget_looks_of(&self, lead_id: &str) -> Result<(), ServiceError> {
        for looks in self.looks_lock().by_user.values_mut() {
            looks.remove(lead_id);
        }
        for entry in self.store.directory(LOOKS_KIND).await? {
            let mut looks = decode(&entry)?;
            if looks.remove(lead_id).is_some() {
                let body = encode(&looks)?;
                self.store.put_directory(&DirectoryEntry { body, updated_at: self.clock.now(), ..entry }).await?;
            }
        }
        Ok(())
    }

    fn looks_lock(&self) -> std::sync::MutexGuard<'_, QueueLooks> {
        self.queue_looks.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn encode(looks: &Looks) -> Result<String, ServiceError> {
    // Sorted, so the stored body is the same for the same look.
    let sorted: BTreeMap<&String, &i32> = looks.iter().collect();
    serde_json::to_string(&sorted).map_err(|e| ServiceError::Internal(format!("encoding a queue look: {e}")))
}

fn decode(entry: &DirectoryEntry) -> Result<Looks, ServiceError> {
    serde_json::from_str(&entry.body).map_err(|e| {
        ServiceError::Store(leadrank_store::StoreError::Corrupt {
            table: "directory",
            detail: format!("{LOOKS_KIND} record of user '{}': {e}", entry.id),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_is_sorted_and_round_trips() {
        let looks: Looks = [("L2".to_string(), -3), ("L1".to_string(), 40)].into_iter().collect();
        let body = encode(&looks).unwrap();
        assert_eq!(body, r#"{"L1":40,"L2":-3}"#);
        let entry = DirectoryEntry { kind: LOOKS_KIND.into(), id: "ann".into(), body, updated_at: jiff::Timestamp::UNIX_EPOCH };
        assert_eq!(decode(&entry).unwrap(), looks);
    }

    #[test]
    fn a_damaged_record_names_its_user() {
        let entry =
            DirectoryEntry { kind: LOOKS_KIND.into(), id: "ann".into(), body: "[1]".into(), updated_at: jiff::Timestamp::UNIX_EPOCH };
        let err = decode(&entry).unwrap_err().to_string();
        assert!(err.contains("queue.looked record of user 'ann'"), "{err}");
    }
}
