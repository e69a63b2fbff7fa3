//! Alerts waiting in digests, kept in the store so that a restart before a period's end
//! still sends them.
//!
//! Each digest rule's current period is a sales-directory record (kind [`DIGEST_KIND`], id =
//! the rule id, body = the period's end and its alerts). The stored alerts carry no personal
//! data: the person's name, title and company and the reasons' evidence text are left out
//! (on PostgreSQL, personal data lives only in the sealed lead records) and are filled in
//! again from the live book when the records are read back on start. A record is rewritten
//! by the SLA timer right after the alerts it holds change (so a crash loses at most the
//! alerts of that moment), on erasure and on shutdown. A sent digest's record is deleted
//! only after its delivery is committed: a crash in between sends that digest twice rather
//! than never.

use leadrank_alerts::AlertEvent;
use leadrank_store::{DirectoryEntry, StoreError};
use serde::{Deserialize, Serialize};

use crate::alert_settings::DigestBuffer;
use crate::service::{Service, ServiceError};

/// The directory kind of the stored digests.
pub const DIGEST_KIND: &str = "alerts.digest";

/// One digest rule's current period as stored.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct StoredDigest {
    period_end_s: i64,
    alerts: Vec<AlertEvent>,
}

impl Service {
    /// Writes the digests whose alerts changed since they were last written: a period with
    /// alerts is put, a sent or emptied one deleted. When a digest was sent since the last
    /// write, its delivery is committed first (the wait is only then: the SLA timer calls
    /// this after each round and must not wait for the writer's backlog for every new alert).
    /// A rule whose write fails stays due for the next call.
    pub async fn write_pending_digests(&self) -> Result<(), ServiceError> {
        let (ids, sent): (Vec<String>, bool) = {
            let mut pending = self.digests_lock();
            let ids: Vec<String> = std::mem::take(&mut pending.unwritten).into_iter().collect();
            (ids, std::mem::take(&mut pending.sent_since_written))
        };
        if ids.is_empty() {
            return Ok(());
        }
        if sent {
            self.flush().await;
        }
        for (i, id) in ids.iter().enumerate() {
            if let Err(e) = self.write_digest(id).await {
                self.digests_lock().unwritten.extend(ids[i..].iter().cloned());
                return Err(e);
            }
        }
        Ok(())
    }

    async fn write_digest(&self, rule_id: &str) -> Result<(), ServiceError> {
        let body = {
            let pending = self.digests_lock();
            match pending.rules.get(rule_id).filter(|b| !b.alerts.is_empty()) {
                Some(buffer) => Some(encode(buffer)?),
                None => None,
            }
        };
        match body {
            Some(body) => {
                let entry = DirectoryEntry { kind: DIGEST_KIND.into(), id: rule_id.into(), body, updated_at: self.clock.now() };
                Ok(self.store.put_directory(&entry).await?)
            }
            None => match self.store.delete_directory(DIGEST_KIND, rule_id).await {
                Ok(()) | Err(StoreError::NotFound(_)) => Ok(()),
                Err(e) => Err(e.into()),
            },
        }
    }

    /// Reads the stored digests back into memory (on start, after the live book is built),
    /// filling in each alert's person, title, company and reasons' evidence from the book.
    /// Alerts of leads the book no longer holds are dropped.
    pub(crate) async fn load_pending_digests(&self) -> Result<(), ServiceError> {
        let entries = self.store.directory(DIGEST_KIND).await?;
        if entries.is_empty() {
            return Ok(());
        }
        let live = self.live_read();
        let mut pending = self.digests_lock();
        for entry in entries {
            let stored: StoredDigest = serde_json::from_str(&entry.body).map_err(|e| {
                ServiceError::Store(StoreError::Corrupt {
                    table: "directory",
                    detail: format!("{DIGEST_KIND} record of rule '{}': {e}", entry.id),
                })
            })?;
            let read = stored.alerts.len();
            let mut alerts = Vec::with_capacity(read);
            for mut alert in stored.alerts {
                let Some(lead) = live.book.lead(&alert.lead_id) else { continue };
                let name = [lead.first_name.as_deref(), lead.last_name.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
                alert.person = (!name.trim().is_empty()).then_some(name);
                alert.title = lead.title.as_deref().map(str::to_owned);
                alert.company = lead.company.as_deref().map(str::to_owned);
                if let Some(current) = live.current.get(&alert.lead_id) {
                    for line in &mut alert.reasons {
                        if let Some(r) = current.score.reasons.iter().find(|r| *r.rule == *line.rule) {
                            line.detail = r.detail.clone();
                        }
                    }
                }
                alerts.push(alert);
            }
            if alerts.len() != read {
                // Rewrite the record without the dropped alerts.
                pending.unwritten.insert(entry.id.clone());
            }
            pending.rules.insert(entry.id, DigestBuffer { period_end_s: stored.period_end_s, alerts });
        }
        Ok(())
    }

    pub(crate) fn digests_lock(&self) -> std::sync::MutexGuard<'_, crate::alert_settings::PendingDigests> {
        self.digests.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The stored form of a period: the alerts without personal data.
fn encode(buffer: &DigestBuffer) -> Result<String, ServiceError> {
    let alerts = buffer
        .alerts
        .iter()
        .map(|a| {
            let mut a = a.clone();
            a.person = None;
            a.title = None;
            a.company = None;
            for line in &mut a.reasons {
                line.detail.clear();
            }
            a
        })
        .collect();
    serde_json::to_string(&StoredDigest { period_end_s: buffer.period_end_s, alerts })
        .map_err(|e| ServiceError::Internal(format!("encoding a digest: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use leadrank_alerts::event::ReasonLine;

    #[test]
    fn the_stored_form_holds_no_personal_data() {
        let alert = AlertEvent {
            lead_id: "L1".into(),
            person: Some("Grace Hopper".into()),
            title: Some("VP Engineering".into()),
            company: Some("Acme".into()),
            total: Some(72),
            reasons: vec![ReasonLine { points: 25, rule: "director_plus".into(), detail: "title 'VP Engineering'".into() }],
            at: "2026-06-02T14:00:00Z".into(),
            ..AlertEvent::default()
        };
        let body = encode(&DigestBuffer { period_end_s: 1_780_000_000, alerts: vec![alert] }).unwrap();
        for personal in ["Grace", "Hopper", "VP Engineering", "Acme"] {
            assert!(!body.contains(personal), "{personal} in {body}");
        }
        let back: StoredDigest = serde_json::from_str(&body).unwrap();
        assert_eq!(
            (back.period_end_s, back.alerts[0].total, back.alerts[0].reasons[0].rule.as_str()),
            (1_780_000_000, Some(72), "director_plus")
        );
    }
}
