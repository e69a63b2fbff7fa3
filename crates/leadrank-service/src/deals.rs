//! Deals (opportunities): the outcomes lead quality is measured against. They are kept in the
//! store and in memory. A deal belongs to one lead the way `leadrank report` attributes it:
//! the lead it names, else its account's earliest-created lead (see
//! [`leadrank_metrics::report::owners`]). Deals do not change scores.

use leadrank_metrics::report::Opportunity;
use leadrank_store::DealRow;

use crate::order::OrderKey;
use crate::{Outcome, Service, ServiceError};

impl Service {
    /// Inserts or replaces deals by id (already validated); one outcome per deal, in order.
    /// A deal naming an erased person's lead id is not stored (`Suppressed`).
    pub async fn upsert_deals(&self, deals: Vec<Opportunity>) -> Result<Vec<Outcome>, ServiceError> {
        let _turn = self.order.keyed(deals.iter().map(|d| OrderKey::Deal(d.id.as_str().into()))).await;
        let now = self.clock.now();
        let mut outcomes = Vec::with_capacity(deals.len());
        let mut rows = Vec::new();
        let mut kept = Vec::new();
        {
            let known = self.deals.read().unwrap_or_else(|e| e.into_inner());
            let mut seen = std::collections::HashSet::new();
            for d in deals {
                if d.lead_id.as_deref().is_some_and(|l| self.lead_id_suppressed(l)) {
                    outcomes.push(Outcome::Suppressed);
                    continue;
                }
                let new = !known.contains_key(&d.id) && seen.insert(d.id.clone());
                outcomes.push(if new { Outcome::Created } else { Outcome::Updated });
                let body = serde_json::to_string(&d).map_err(|e| ServiceError::Internal(e.to_string()))?;
                rows.push(DealRow {
                    deal_id: d.id.clone(),
                    lead_id: d.lead_id.clone(),
                    account_id: d.account_id.clone(),
                    body,
                    updated_at: now,
                });
                kept.push(d);
            }
        }
        self.store.upsert_deals(&rows).await?;
        let mut known = self.deals.write().unwrap_or_else(|e| e.into_inner());
        for d in kept {
            known.insert(d.id.clone(), d);
        }
        drop(known);
        if !rows.is_empty() {
            self.changed.send_modify(|n| *n += 1);
        }
        Ok(outcomes)
    }

    /// Removes deals by id (deleted in the CRM they came from) from the store and from
    /// memory; ids leadrank does not hold are passed over. Returns the ids removed.
    pub async fn delete_deals(&self, ids: Vec<String>) -> Result<Vec<String>, ServiceError> {
        let _turn = self.order.keyed(ids.iter().map(|id| OrderKey::Deal(id.as_str().into()))).await;
        let held: Vec<String> = {
            let known = self.deals.read().unwrap_or_else(|e| e.into_inner());
            let mut held: Vec<String> = ids.into_iter().filter(|id| known.contains_key(id)).collect();
            held.sort();
            held.dedup();
            held
        };
        if held.is_empty() {
            return Ok(held);
        }
        self.store.delete_deals(&held).await?;
        let mut known = self.deals.write().unwrap_or_else(|e| e.into_inner());
        for id in &held {
            known.remove(id);
        }
        drop(known);
        self.changed.send_modify(|n| *n += 1);
        Ok(held)
    }

    /// The deal stored under `id`, if any.
    pub fn deal(&self, id: &str) -> Option<Opportunity> {
        self.deals.read().unwrap_or_else(|e| e.into_inner()).get(id).cloned()
    }

    /// Every deal, by id.
    pub fn deals(&self) -> Vec<Opportunity> {
        self.deals.read().unwrap_or_else(|e| e.into_inner()).values().cloned().collect()
    }
}
