//! What the CRM connectors (`leadrank-sync`) read and keep through the service: each lead's
//! values to write back (score, grade, cell, quality, reasons, stage, rep), the records as
//! the service holds them (to skip unchanged ones), whether a person was erased, and the
//! connectors' own state (cursors, what was last written to each CRM record, the day's
//! call count) as directory records of kinds starting with `crm.`.

use leadrank_core::records::{Account, Lead};
use leadrank_store::{DirectoryEntry, StoreError};

use crate::service::{Service, ServiceError};

/// A lead's values as a CRM connector writes them back (the pure crate's snapshot).
pub use leadrank_crm::Snapshot as CrmLead;

fn check_kind(kind: &str) -> Result<(), ServiceError> {
    if kind.starts_with("crm.") { Ok(()) } else { Err(ServiceError::Invalid(format!("'{kind}' is not a CRM state kind (crm.*)"))) }
}

impl Service {
    /// The values to write back for a lead, if the service holds it.
    pub fn crm_lead(&self, lead_id: &str) -> Option<CrmLead> {
        self.read_state(|live, ops| {
            let current = live.current.get(lead_id)?;
            let s = &current.score;
            let st = ops.leads.get(lead_id);
            Some(CrmLead {
                total: s.total,
                quality: s.quality,
                grade: s.grade.to_string(),
                cell: s.cell.clone(),
                reasons: s.reasons.iter().map(|r| (r.rule.to_string(), r.points)).collect(),
                stage: st.map(|st| st.lifecycle.stage.as_str().to_string()),
                rep: st.and_then(|st| st.assignment.as_ref()).filter(|a| !a.released).and_then(|a| a.rep.clone()),
            })
        })
    }

    /// The lead as the service holds it.
    pub fn lead_record(&self, lead_id: &str) -> Option<Lead> {
        self.live_read().book.lead(lead_id).cloned()
    }

    /// The account as the service holds it.
    pub fn account_record(&self, account_id: &str) -> Option<Account> {
        self.live_read().book.account(account_id).cloned()
    }

    /// The lead of each of these e-mail addresses (compared trimmed and without regard to
    /// case), keyed by the address as asked; the first lead by id when several share one.
    /// Addresses no lead has are absent. One pass over the leads, however many are asked.
    pub fn crm_leads_by_email<'a>(&self, emails: impl IntoIterator<Item = &'a str>) -> std::collections::HashMap<String, String> {
        let wanted: std::collections::HashMap<String, Vec<&'a str>> =
            emails.into_iter().fold(std::collections::HashMap::new(), |mut m, e| {
                m.entry(e.trim().to_lowercase()).or_default().push(e);
                m
            });
        let mut found: std::collections::HashMap<String, String> = std::collections::HashMap::new();
        if wanted.is_empty() {
            return found;
        }
        let live = self.live_read();
        for lead in live.book.leads() {
            let Some(email) = lead.email.as_deref() else { continue };
            let Some(asked) = wanted.get(&email.trim().to_lowercase()) else { continue };
            for a in asked {
                let slot = found.entry((*a).to_string()).or_insert_with(|| lead.lead_id.clone());
                if lead.lead_id < *slot {
                    *slot = lead.lead_id.clone();
                }
            }
        }
        found
    }

    /// Whether this lead id was erased (its marker is kept).
    pub fn lead_erased(&self, lead_id: &str) -> bool {
        self.lead_id_suppressed(lead_id)
    }

    /// A connector's state records of one kind (`crm.*`).
    pub async fn crm_state(&self, kind: &str) -> Result<Vec<DirectoryEntry>, ServiceError> {
        check_kind(kind)?;
        Ok(self.store.directory(kind).await?)
    }

    /// Stores one state record of a connector (committed before this returns).
    pub async fn put_crm_state(&self, kind: &str, id: &str, body: String) -> Result<(), ServiceError> {
        check_kind(kind)?;
        let entry = DirectoryEntry { kind: kind.into(), id: id.into(), body, updated_at: self.clock.now() };
        Ok(self.store.put_directory(&entry).await?)
    }

    /// Deletes a state record of a connector (none is fine).
    pub async fn delete_crm_state(&self, kind: &str, id: &str) -> Result<(), ServiceError> {
        check_kind(kind)?;
        match self.store.delete_directory(kind, id).await {
            Ok(()) | Err(StoreError::NotFound(_)) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}
