//! What the API answers: one view type per resource, built from the service's types, so that
//! a change of storage never changes the API by accident (and the API never shows a secret
//! hash or a storage-only field).

use leadrank_core::Score;
use leadrank_core::records::{ConsentRecord, Event, Lead};
use leadrank_service::admin::{ModelDiff, PersonRecord, RuleChange};
use leadrank_service::ops::LeadOpsState;
use leadrank_store::{ApiKey, AuditEntry, Delivery, DeliveryState, Scope, StoredModel, StoredScore, Subscription};
use serde::Serialize;

/// A list answer: `{"items": [...]}`.
#[derive(Debug, Serialize)]
pub struct Items<T> {
    pub items: Vec<T>,
}

impl<T> Items<T> {
    pub fn of<S>(source: impl IntoIterator<Item = S>, view: impl FnMut(S) -> T) -> Self {
        Items { items: source.into_iter().map(view).collect() }
    }
}

/// A model version in lists.
#[derive(Debug, Serialize)]
pub struct ModelView {
    pub id: i64,
    pub name: String,
    pub version: String,
    pub created_at: String,
    pub active: bool,
    /// The TOML text (only when one version is asked for).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl ModelView {
    pub fn summary(m: StoredModel) -> Self {
        ModelView { id: m.id, name: m.name, version: m.version, created_at: m.created_at.to_string(), active: m.active, source: None }
    }

    pub fn with_source(m: StoredModel) -> Self {
        let source = Some(m.source.clone());
        ModelView { source, ..ModelView::summary(m) }
    }
}

/// A model version named in a diff.
#[derive(Debug, Serialize)]
pub struct ModelRef {
    pub id: i64,
    pub name: String,
    pub version: String,
}

/// The quality threshold before and after.
#[derive(Debug, Serialize)]
pub struct FromTo {
    pub from: i32,
    pub to: i32,
}

/// `GET /v1/models/diff`.
#[derive(Debug, Serialize)]
pub struct ModelDiffView {
    pub from: ModelRef,
    pub to: ModelRef,
    pub quality_threshold: FromTo,
    pub rules: Vec<RuleChange>,
    pub unified_diff: String,
}

impl From<ModelDiff> for ModelDiffView {
    fn from(d: ModelDiff) -> Self {
        ModelDiffView {
            from: ModelRef { id: d.from.id, name: d.from.name, version: d.from.version },
            to: ModelRef { id: d.to.id, name: d.to.name, version: d.to.version },
            quality_threshold: FromTo { from: d.threshold_from, to: d.threshold_to },
            rules: d.rules,
            unified_diff: d.unified_diff,
        }
    }
}

/// A webhook subscription; the signing secret only in the answer that created it.
#[derive(Debug, Serialize)]
pub struct WebhookView {
    pub id: String,
    pub url: String,
    pub events: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    pub created_at: String,
}

impl WebhookView {
    pub fn listed(s: Subscription) -> Self {
        WebhookView { id: s.id, url: s.url, events: s.events, secret: None, created_at: s.created_at.to_string() }
    }

    pub fn created(s: Subscription) -> Self {
        let secret = Some(s.secret.clone());
        WebhookView { secret, ..WebhookView::listed(s) }
    }
}

/// One delivery of a webhook with its last attempt.
#[derive(Debug, Serialize)]
pub struct DeliveryView {
    pub id: String,
    pub event: String,
    pub state: DeliveryState,
    pub attempts: u32,
    pub created_at: String,
    pub next_attempt_at: String,
    pub last_attempt_at: Option<String>,
    pub last_status: Option<u16>,
    pub last_error: Option<String>,
}

impl From<Delivery> for DeliveryView {
    fn from(d: Delivery) -> Self {
        DeliveryView {
            id: d.id,
            event: d.event_type,
            state: d.state,
            attempts: d.attempts,
            created_at: d.created_at.to_string(),
            next_attempt_at: d.next_attempt_at.to_string(),
            last_attempt_at: d.last_attempt_at.map(|t| t.to_string()),
            last_status: d.last_status,
            last_error: d.last_error,
        }
    }
}

/// An API key without its secret; the key itself only in the answer that created it.
#[derive(Debug, Serialize)]
pub struct KeyView {
    pub id: String,
    pub name: String,
    pub scopes: Vec<Scope>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

impl KeyView {
    pub fn listed(k: ApiKey) -> Self {
        KeyView {
            id: k.id,
            name: k.name,
            scopes: k.scopes,
            created_at: Some(k.created_at.to_string()),
            revoked_at: Some(k.revoked_at.map(|t| t.to_string())),
            key: None,
        }
    }

    pub fn created(k: ApiKey, secret: String) -> Self {
        KeyView { id: k.id, name: k.name, scopes: k.scopes, created_at: None, revoked_at: None, key: Some(secret) }
    }
}

/// An entry of the audit log.
#[derive(Debug, Serialize)]
pub struct AuditView {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub detail: String,
}

impl From<AuditEntry> for AuditView {
    fn from(e: AuditEntry) -> Self {
        AuditView { at: e.at.to_string(), actor: e.actor, action: e.action, detail: e.detail }
    }
}

/// One entry of a lead's score history.
#[derive(Debug, Serialize)]
pub struct HistoryView {
    pub at: String,
    pub total: i32,
    pub quality: bool,
    pub grade: String,
    pub cell: String,
    pub cause: String,
    pub model_id: i64,
}

impl From<StoredScore> for HistoryView {
    fn from(h: StoredScore) -> Self {
        HistoryView {
            at: h.as_of.to_string(),
            total: h.total,
            quality: h.quality,
            grade: h.grade,
            cell: h.cell,
            cause: h.cause,
            model_id: h.model_id,
        }
    }
}

/// A score history entry as held, ledger included, in a privacy export.
#[derive(Debug, Serialize)]
pub struct StoredHistoryView {
    pub lead_id: String,
    #[serde(flatten)]
    pub entry: HistoryView,
    /// The score with its reasons, as stored.
    pub score: Score,
}

impl From<StoredScore> for StoredHistoryView {
    fn from(mut h: StoredScore) -> Self {
        let lead_id = std::mem::take(&mut h.lead_id);
        let score = Score::from(h.body.clone());
        StoredHistoryView { lead_id, entry: HistoryView::from(h), score }
    }
}

/// Everything held about one lead, in a privacy export.
#[derive(Debug, Serialize)]
pub struct PersonView {
    pub lead: Option<Lead>,
    pub events: Vec<Event>,
    pub consents: Vec<ConsentRecord>,
    pub score: Option<Score>,
    pub score_history: Vec<StoredHistoryView>,
    pub operating: Option<LeadOpsState>,
    pub operating_log: Vec<serde_json::Value>,
}

impl From<PersonRecord> for PersonView {
    fn from(p: PersonRecord) -> Self {
        PersonView {
            lead: p.lead,
            events: p.events,
            consents: p.consents,
            score: p.score,
            score_history: p.score_history.into_iter().map(StoredHistoryView::from).collect(),
            operating: p.operating,
            operating_log: p.operating_log,
        }
    }
}
