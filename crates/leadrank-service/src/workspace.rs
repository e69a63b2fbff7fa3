//! The model workspace: a stored model version previewed on the service's own records
//! before it goes live, the sign-offs of its owners, and publishing.
//!
//! The definition of a quality lead is an agreement between marketing and sales, so
//! publishing from a front end needs one sign-off from each side ([`Side`]): sales (a rep or
//! a manager) and marketing (RevOps). Each sign-off names the preview its author saw. They
//! are records of the sales directory (kind `signoff`), so a version's history shows who
//! agreed to it, when and why.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::Timestamp;
use leadrank_core::engine::LiveBook;
use leadrank_core::model::CompiledModel;
use leadrank_lifecycle::Stage;
use leadrank_store::{DirectoryEntry, StoreError};
use serde::{Deserialize, Serialize};

use crate::users::{Role, User};
use crate::{Service, ServiceError};

/// The two parties to the definition of a quality lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Sales,
    Marketing,
}

impl Side {
    /// The side a user signs for: reps and managers for sales, RevOps for marketing;
    /// admins sign for neither.
    pub fn of(role: Role) -> Option<Side> {
        match role {
            Role::Rep | Role::Manager => Some(Side::Sales),
            Role::Revops => Some(Side::Marketing),
            Role::Admin => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Side::Sales => "sales",
            Side::Marketing => "marketing",
        }
    }
}

/// Sides whose sign-off publishing needs.
pub const REQUIRED_SIDES: [Side; 2] = [Side::Sales, Side::Marketing];

/// One owner's agreement to a model version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignOff {
    pub model_id: i64,
    pub username: String,
    pub name: String,
    pub side: Side,
    pub comment: String,
    pub at: Timestamp,
    /// The preview the author saw, in a line.
    pub preview: String,
}

/// A lead whose quality changes with the draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    pub lead_id: String,
    pub active: i32,
    pub draft: i32,
}

/// How much of an outcome the top tenth of leads by score holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Capture {
    /// What counts as the outcome, in words.
    pub outcome: &'static str,
    /// Leads with the outcome.
    pub positives: usize,
    /// Of them, in the top tenth by the active model's scores, and by the draft's.
    pub active_top: usize,
    pub draft_top: usize,
}

/// How much of the won revenue (stored deals' amounts, attributed to leads) the top tenth of
/// leads by score holds.
#[derive(Debug, Clone, PartialEq)]
pub struct RevenueCapture {
    pub total: f64,
    pub active_top: f64,
    pub draft_top: f64,
}

/// A draft model scored on every stored lead at one time, against the active model's
/// current scores.
#[derive(Debug, Clone)]
pub struct Preview {
    pub model_id: i64,
    pub as_of: Timestamp,
    pub leads: usize,
    pub threshold_active: i32,
    pub threshold_draft: i32,
    pub quality_active: usize,
    pub quality_draft: usize,
    /// Score distributions: (lower bound of a 10-point bucket, leads by active, by draft).
    pub histogram: Vec<(i32, usize, usize)>,
    /// Leads that become quality leads, largest draft score first.
    pub became: Vec<Moved>,
    /// Leads that stop being quality leads, largest active score first.
    pub stopped: Vec<Moved>,
    /// Outcome capture in the top decile, one per outcome with at least one lead.
    pub captures: Vec<Capture>,
    /// Won revenue in the top decile; `None` when no stored won deal has an amount.
    pub revenue: Option<RevenueCapture>,
}

impl Preview {
    /// The preview in a line (kept with each sign-off).
    pub fn summary(&self) -> String {
        format!(
            "{} leads as of {}: quality {} -> {} ({} become, {} stop)",
            self.leads,
            self.as_of.strftime("%Y-%m-%d %H:%M UTC"),
            self.quality_active,
            self.quality_draft,
            self.became.len(),
            self.stopped.len()
        )
    }
}

const SIGNOFF: &str = "signoff";

fn signoff_id(model_id: i64, username: &str) -> String {
    format!("{model_id:012}/{username}")
}

impl Service {
    /// Scores a stored version on every stored record at now, beside the active model's
    /// current scores (the records are read from the store; the live book is untouched).
    pub async fn preview_model(&self, model_id: i64) -> Result<Preview, ServiceError> {
        let stored = self.stored_model(model_id).await?;
        let draft = CompiledModel::from_toml(&stored.source, &format!("model {model_id}")).map_err(ServiceError::InvalidModel)?;
        let (leads, accounts, events, consents) = (
            self.store.all_leads().await?,
            self.store.all_accounts().await?,
            self.store.all_events().await?,
            self.store.all_consents().await?,
        );
        let now = self.now();
        let (active, threshold_active, outcomes): (HashMap<String, i32>, i32, HashMap<String, Stage>) = self.read_state(|live, ops| {
            (
                live.current.iter().map(|(id, c)| (id.clone(), c.score.total)).collect(),
                live.book.model().quality_threshold,
                ops.leads.iter().map(|(id, s)| (id.clone(), s.lifecycle.stage)).collect(),
            )
        });
        let (facts, _) = self.lead_facts();
        let won_amounts: HashMap<String, f64> =
            facts.into_iter().filter(|f| f.won_amount > 0.0).map(|f| (f.lead_id, f.won_amount)).collect();
        let threshold_draft = draft.quality_threshold;
        let scored = tokio::task::spawn_blocking(move || {
            let mut book = LiveBook::new(Arc::new(draft));
            let ids: Vec<String> = leads.iter().map(|l| l.lead_id.clone()).collect();
            for lead in leads {
                book.upsert_lead(lead);
            }
            for a in accounts {
                book.upsert_account(a);
            }
            for e in &events {
                let _ = book.add_event(e);
            }
            for c in &consents {
                let _ = book.add_consent(c);
            }
            ids.into_iter().filter_map(|id| book.score(&id, now).map(|s| (id, s.total))).collect::<Vec<_>>()
        })
        .await
        .map_err(|e| ServiceError::Internal(format!("preview: {e}")))?;
        Ok(compare(model_id, now, &scored, &active, (threshold_active, threshold_draft), &outcomes, &won_amounts))
    }

    /// Records `user`'s sign-off of a version with a comment and the preview they saw.
    pub async fn sign_off(&self, model_id: i64, user: &User, comment: &str, preview: &str) -> Result<SignOff, ServiceError> {
        self.stored_model(model_id).await?;
        let side = Side::of(user.role)
            .ok_or_else(|| ServiceError::Invalid(format!("a {} user signs for neither sales nor marketing", user.role.as_str())))?;
        let comment = comment.trim();
        if comment.is_empty() || comment.chars().count() > 2000 {
            return Err(ServiceError::Invalid(
                "a sign-off has a comment of 1 to 2000 characters: what you checked and why you agree".into(),
            ));
        }
        let s = SignOff {
            model_id,
            username: user.username.clone(),
            name: user.name.clone(),
            side,
            comment: comment.to_string(),
            at: self.now(),
            preview: preview.to_string(),
        };
        let body = serde_json::to_string(&s).map_err(|e| ServiceError::Internal(e.to_string()))?;
        self.store
            .put_directory(&DirectoryEntry { kind: SIGNOFF.into(), id: signoff_id(model_id, &user.username), body, updated_at: s.at })
            .await?;
        self.audit(&format!("user:{}", user.username), "model.signoff", &format!("model {model_id} ({})", side.as_str())).await?;
        Ok(s)
    }

    /// Every sign-off, by version then user.
    pub async fn sign_offs(&self) -> Result<Vec<SignOff>, ServiceError> {
        self.store
            .directory(SIGNOFF)
            .await?
            .into_iter()
            .map(|e| {
                serde_json::from_str(&e.body).map_err(|err| {
                    ServiceError::Store(StoreError::Corrupt { table: "directory", detail: format!("sign-off {}: {err}", e.id) })
                })
            })
            .collect()
    }

    /// The sides that have not signed a version off yet.
    pub async fn missing_sign_offs(&self, model_id: i64) -> Result<Vec<Side>, ServiceError> {
        let signed: Vec<Side> = self.sign_offs().await?.into_iter().filter(|s| s.model_id == model_id).map(|s| s.side).collect();
        Ok(REQUIRED_SIDES.into_iter().filter(|s| !signed.contains(s)).collect())
    }

    /// Publishes a signed-off version: starts its activation (progress in
    /// [`Service::activation`]). Refused while a side has not signed it off.
    pub async fn publish(self: &Arc<Self>, model_id: i64, user: &User) -> Result<(), ServiceError> {
        let missing = self.missing_sign_offs(model_id).await?;
        if !missing.is_empty() {
            let sides: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
            return Err(ServiceError::Conflict(format!("model {model_id} still needs the sign-off of {}", sides.join(" and "))));
        }
        self.request_activation(model_id, &format!("user:{}", user.username)).await
    }
}

/// Whether a lead's stage counts as an outcome.
type IsOutcome = fn(Stage) -> bool;

/// The preview's figures from the draft's and the active model's totals.
fn compare(
    model_id: i64,
    as_of: Timestamp,
    draft: &[(String, i32)],
    active: &HashMap<String, i32>,
    (threshold_active, threshold_draft): (i32, i32),
    outcomes: &HashMap<String, Stage>,
    won_amounts: &HashMap<String, f64>,
) -> Preview {
    let pairs: Vec<(&str, i32, i32)> = draft.iter().map(|(id, d)| (id.as_str(), active.get(id).copied().unwrap_or(0), *d)).collect();
    let bucket = |v: i32| v.div_euclid(10) * 10;
    let mut hist: std::collections::BTreeMap<i32, (usize, usize)> = std::collections::BTreeMap::new();
    for &(_, a, d) in &pairs {
        hist.entry(bucket(a)).or_default().0 += 1;
        hist.entry(bucket(d)).or_default().1 += 1;
    }
    let mut became: Vec<Moved> = pairs
        .iter()
        .filter(|(_, a, d)| *a < threshold_active && *d >= threshold_draft)
        .map(|(id, a, d)| Moved { lead_id: id.to_string(), active: *a, draft: *d })
        .collect();
    became.sort_by(|x, y| y.draft.cmp(&x.draft).then_with(|| x.lead_id.cmp(&y.lead_id)));
    let mut stopped: Vec<Moved> = pairs
        .iter()
        .filter(|(_, a, d)| *a >= threshold_active && *d < threshold_draft)
        .map(|(id, a, d)| Moved { lead_id: id.to_string(), active: *a, draft: *d })
        .collect();
    stopped.sort_by(|x, y| y.active.cmp(&x.active).then_with(|| x.lead_id.cmp(&y.lead_id)));
    // The top tenth by each model (ties broken by lead id, the same way for both).
    let top = |by: fn(&(&str, i32, i32)) -> i32| -> std::collections::HashSet<&str> {
        let mut v: Vec<&(&str, i32, i32)> = pairs.iter().collect();
        v.sort_by(|x, y| by(y).cmp(&by(x)).then_with(|| x.0.cmp(y.0)));
        v.iter().take(pairs.len().div_ceil(10)).map(|p| p.0).collect()
    };
    let (top_active, top_draft) = (top(|p| p.1), top(|p| p.2));
    let outcome_sets: [(&'static str, IsOutcome); 2] = [
        ("won deals (leads now in stage won)", |s| s == Stage::Won),
        ("sales-qualified or beyond (sql, opportunity, won, lost)", |s| {
            matches!(s, Stage::Sql | Stage::Opportunity | Stage::Won | Stage::Lost)
        }),
    ];
    let captures = outcome_sets
        .iter()
        .filter_map(|(name, is)| {
            let pos: Vec<&str> = pairs.iter().map(|p| p.0).filter(|id| outcomes.get(*id).is_some_and(|s| is(*s))).collect();
            (!pos.is_empty()).then(|| Capture {
                outcome: name,
                positives: pos.len(),
                active_top: pos.iter().filter(|id| top_active.contains(*id)).count(),
                draft_top: pos.iter().filter(|id| top_draft.contains(*id)).count(),
            })
        })
        .collect();
    let total: f64 = pairs.iter().filter_map(|p| won_amounts.get(p.0)).sum();
    let revenue = (total > 0.0).then(|| {
        let in_top = |top: &std::collections::HashSet<&str>| top.iter().filter_map(|id| won_amounts.get(*id)).sum::<f64>();
        RevenueCapture { total, active_top: in_top(&top_active), draft_top: in_top(&top_draft) }
    });
    Preview {
        model_id,
        as_of,
        leads: pairs.len(),
        threshold_active,
        threshold_draft,
        quality_active: pairs.iter().filter(|p| p.1 >= threshold_active).count(),
        quality_draft: pairs.iter().filter(|p| p.2 >= threshold_draft).count(),
        histogram: hist.into_iter().map(|(b, (a, d))| (b, a, d)).collect(),
        became,
        stopped,
        captures,
        revenue,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preview_counts_moves_buckets_and_top_decile_capture() {
        let at: Timestamp = "2026-03-03T15:00:00Z".parse().unwrap();
        // 20 leads: L00..L19 with active totals 0, 5, ..., 95; the draft adds 30 to L00..L04.
        let draft: Vec<(String, i32)> = (0..20).map(|i| (format!("L{i:02}"), i * 5 + if i < 5 { 30 } else { 0 })).collect();
        let active: HashMap<String, i32> = (0..20).map(|i| (format!("L{i:02}"), i * 5)).collect();
        let outcomes: HashMap<String, Stage> = [("L19".to_string(), Stage::Won), ("L04".to_string(), Stage::Sql)].into_iter().collect();
        let won: HashMap<String, f64> = [("L19".to_string(), 900.0), ("L00".to_string(), 100.0)].into_iter().collect();
        let p = compare(7, at, &draft, &active, (80, 30), &outcomes, &won);
        assert_eq!((p.leads, p.quality_active, p.quality_draft), (20, 4, 19));
        // Under the active threshold (80) but at or above the draft's (30): L00..L15 but L05.
        assert_eq!(p.became.len(), 15, "{:?}", p.became);
        assert_eq!(p.became[0], Moved { lead_id: "L15".into(), active: 75, draft: 75 });
        assert!(p.stopped.is_empty());
        assert_eq!(p.histogram.iter().map(|h| h.1).sum::<usize>(), 20);
        assert_eq!(p.histogram.iter().map(|h| h.2).sum::<usize>(), 20);
        assert_eq!(p.histogram.iter().find(|h| h.0 == 30).map(|h| (h.1, h.2)), Some((2, 4)));
        // Top tenth: 2 leads (L19, L18) both times; the won lead is in it, the sql lead not.
        assert_eq!(p.captures.len(), 2);
        assert_eq!((p.captures[0].positives, p.captures[0].active_top, p.captures[0].draft_top), (1, 1, 1));
        assert_eq!((p.captures[1].positives, p.captures[1].active_top, p.captures[1].draft_top), (2, 1, 1));
        assert!(p.summary().contains("quality 4 -> 19 (15 become, 0 stop)"));
        // Revenue: L19's 900 of 1,000 is in both top tenths; L00 (total 0, draft 30) in neither.
        assert_eq!(p.revenue, Some(RevenueCapture { total: 1000.0, active_top: 900.0, draft_top: 900.0 }));
        // No outcomes: no capture is claimed, no revenue either.
        let none = compare(7, at, &draft, &active, (80, 30), &HashMap::new(), &HashMap::new());
        assert!(none.captures.is_empty() && none.revenue.is_none());
        assert_eq!(Side::of(Role::Admin), None);
    }
}
