//! Administration through the service: model versions (upload, list, diff), webhook
//! subscriptions, API keys, the privacy export and the audit log. Front ends (the HTTP API,
//! the CLI, the web app) call these; none of them touches the store.

use jiff::Timestamp;
use leadrank_core::CompiledModel;
use leadrank_core::Score;
use leadrank_core::records::{ConsentRecord, Event, Lead};
use leadrank_store::{ApiKey, AuditEntry, Delivery, Scope, StoreError, StoredModel, StoredScore, Subscription};
use serde::Serialize;

use crate::ops::LeadOpsState;
use crate::service::{Service, ServiceError};

/// Webhook event types a subscription may ask for.
pub const WEBHOOK_EVENTS: &[&str] = &["lead.quality", "lead.score_changed", "lead.stage_changed", "lead.assigned", "sla.breached"];

/// A stored model version with what compiling it told.
#[derive(Debug, Clone)]
pub struct UploadedModel {
    pub id: i64,
    pub name: String,
    pub version: String,
    pub rules: usize,
}

/// How one rule differs between two model versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum RuleChange {
    Added { rule: String, points_to: i32 },
    Removed { rule: String, points_from: i32 },
    Changed { rule: String, points_from: i32, points_to: i32, dimension_from: String, dimension_to: String },
}

/// Two model versions compared rule by rule and line by line.
#[derive(Debug, Clone)]
pub struct ModelDiff {
    pub from: StoredModel,
    pub to: StoredModel,
    pub threshold_from: i32,
    pub threshold_to: i32,
    pub rules: Vec<RuleChange>,
    /// A unified diff of the two files.
    pub unified_diff: String,
}

/// Everything held about one lead, for a privacy export.
#[derive(Debug, Clone)]
pub struct PersonRecord {
    pub lead: Option<Lead>,
    pub events: Vec<Event>,
    pub consents: Vec<ConsentRecord>,
    pub score: Option<Score>,
    pub score_history: Vec<StoredScore>,
    /// How the lead was worked: stage, checklist notes, assignment, SLA clock.
    pub operating: Option<LeadOpsState>,
    pub operating_log: Vec<serde_json::Value>,
}

/// Why a webhook subscription was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubscriptionError {
    #[error("expected an http:// or https:// URL of at most 2048 characters")]
    BadUrl,
    #[error("{0}: webhook targets must be public (serve --allow-private-webhooks allows private ones)")]
    PrivateTarget(String),
    #[error("name at least one of {}", WEBHOOK_EVENTS.join(", "))]
    NoEvents,
    /// The event at this index of the list is unknown.
    #[error("unknown event '{name}'; use {}", WEBHOOK_EVENTS.join(", "))]
    UnknownEvent { index: usize, name: String },
}

impl Service {
    /// Checks a model file and stores it as a new, inactive version.
    pub async fn upload_model(&self, source: &str, actor: &str) -> Result<UploadedModel, ServiceError> {
        let model = CompiledModel::from_toml(source, "upload").map_err(ServiceError::InvalidModel)?;
        let id = self.store.add_model(&model.name, &model.version, source, self.clock.now()).await?;
        self.audit(actor, "model.upload", &format!("model {id} ({} {})", model.name, model.version)).await?;
        Ok(UploadedModel { id, name: model.name.to_string(), version: model.version.to_string(), rules: model.rules.len() })
    }

    /// Every stored model version, oldest first.
    pub async fn models(&self) -> Result<Vec<StoredModel>, ServiceError> {
        Ok(self.store.models().await?)
    }

    /// One stored model version.
    pub async fn stored_model(&self, id: i64) -> Result<StoredModel, ServiceError> {
        self.store.model(id).await?.ok_or_else(|| ServiceError::NotFound(format!("model {id}")))
    }

    /// Compares two stored versions.
    pub async fn diff_models(&self, from: i64, to: i64) -> Result<ModelDiff, ServiceError> {
        let (a, b) = (self.stored_model(from).await?, self.stored_model(to).await?);
        // Stored versions were checked on upload: failing now means the stored text changed.
        let compile = |m: &StoredModel| {
            CompiledModel::from_toml(&m.source, &format!("model {}", m.id))
                .map_err(|e| ServiceError::Store(StoreError::Corrupt { table: "models", detail: format!("model {}: {e}", m.id) }))
        };
        let (ma, mb) = (compile(&a)?, compile(&b)?);
        let mut rules = Vec::new();
        for r in &ma.rules {
            match mb.rules.iter().find(|x| x.id == r.id) {
                None => rules.push(RuleChange::Removed { rule: r.id.to_string(), points_from: r.points }),
                Some(x) if x.points != r.points || x.dimension != r.dimension || x.label != r.label => rules.push(RuleChange::Changed {
                    rule: r.id.to_string(),
                    points_from: r.points,
                    points_to: x.points,
                    dimension_from: ma.dimensions[r.dimension].id.to_string(),
                    dimension_to: mb.dimensions[x.dimension].id.to_string(),
                }),
                Some(_) => {}
            }
        }
        for x in &mb.rules {
            if !ma.rules.iter().any(|r| r.id == x.id) {
                rules.push(RuleChange::Added { rule: x.id.to_string(), points_to: x.points });
            }
        }
        let unified_diff = similar::TextDiff::from_lines(&a.source, &b.source)
            .unified_diff()
            .header(&format!("model {}", a.id), &format!("model {}", b.id))
            .to_string();
        Ok(ModelDiff { threshold_from: ma.quality_threshold, threshold_to: mb.quality_threshold, from: a, to: b, rules, unified_diff })
    }

    /// Starts activating a stored version in the background (progress in
    /// [`Service::activation`]); refuses while another activation runs.
    pub async fn request_activation(self: &std::sync::Arc<Self>, id: i64, actor: &str) -> Result<(), ServiceError> {
        self.stored_model(id).await?;
        if self.activation().state == "running" {
            return Err(ServiceError::Conflict("another model activation is running".into()));
        }
        self.activation_queued(id);
        let svc = self.clone();
        let actor = actor.to_string();
        tokio::spawn(async move {
            if let Err(e) = svc.activate(id, &actor).await {
                tracing::error!(model = id, error = %e, "model activation failed");
            }
        });
        Ok(())
    }

    /// Subscribes a URL to webhook events; the signing secret is in the result (shown once).
    pub async fn subscribe(
        &self,
        url: String,
        events: Vec<String>,
        allow_private: bool,
        actor: &str,
    ) -> Result<Result<Subscription, SubscriptionError>, ServiceError> {
        if !(url.starts_with("http://") || url.starts_with("https://")) || url.len() > 2048 {
            return Ok(Err(SubscriptionError::BadUrl));
        }
        if !allow_private && let Err(why) = leadrank_webhooks::guard::check_url_host(&url) {
            return Ok(Err(SubscriptionError::PrivateTarget(why)));
        }
        if events.is_empty() {
            return Ok(Err(SubscriptionError::NoEvents));
        }
        if let Some((index, name)) = events.iter().enumerate().find(|(_, e)| !WEBHOOK_EVENTS.contains(&e.as_str())) {
            return Ok(Err(SubscriptionError::UnknownEvent { index, name: name.clone() }));
        }
        let sub = Subscription {
            id: format!("wh_{}", hex::encode(rand::random::<[u8; 8]>())),
            url,
            secret: format!("whsec_{}", hex::encode(rand::random::<[u8; 24]>())),
            events,
            created_at: self.clock.now(),
        };
        self.store.add_subscription(&sub).await?;
        self.reload_subscriptions().await?;
        self.audit(actor, "webhook.create", &sub.id).await?;
        Ok(Ok(sub))
    }

    /// Every webhook subscription.
    pub async fn subscriptions(&self) -> Result<Vec<Subscription>, ServiceError> {
        Ok(self.store.subscriptions().await?.into_iter().filter(|s| !s.id.starts_with(leadrank_webhooks::ALERT_ID_PREFIX)).collect())
    }

    /// Removes a webhook subscription (its queued deliveries stop). Alert rules share the
    /// table but are not webhooks: their ids are "not found" here (`delete_alert_rule` removes them).
    pub async fn unsubscribe(&self, id: &str, actor: &str) -> Result<(), ServiceError> {
        if id.starts_with(leadrank_webhooks::ALERT_ID_PREFIX) {
            return Err(ServiceError::NotFound(format!("webhook '{id}'")));
        }
        self.store.delete_subscription(id).await?;
        self.reload_subscriptions().await?;
        self.audit(actor, "webhook.delete", id).await
    }

    /// The latest deliveries of a subscription with their last attempt.
    pub async fn deliveries(&self, subscription_id: &str, limit: u32) -> Result<Vec<Delivery>, ServiceError> {
        if !self.subscriptions().await?.iter().any(|s| s.id == subscription_id) {
            return Err(ServiceError::NotFound(format!("webhook '{subscription_id}'")));
        }
        Ok(self.store.deliveries(subscription_id, limit).await?)
    }

    /// Everything held about the person with this lead id or email (audited).
    pub async fn export_person(&self, lead_id: Option<&str>, email: Option<&str>, actor: &str) -> Result<Vec<PersonRecord>, ServiceError> {
        self.flush().await;
        let ids = self.find_person(lead_id, email);
        let mut people = Vec::with_capacity(ids.len());
        for id in &ids {
            let (operating, operating_log) = match self.lead_ops(id).await {
                Ok((st, log)) => (Some(st), log),
                Err(ServiceError::NotFound(_)) => (None, Vec::new()),
                Err(e) => return Err(e),
            };
            people.push(PersonRecord {
                lead: self.store.lead(id).await?,
                events: self.store.lead_events(id).await?,
                consents: self.store.lead_consents(id).await?,
                score: self.score_now(id).map(|(s, _)| s),
                score_history: self.store.score_history(id).await?,
                operating,
                operating_log,
            });
        }
        self.audit(actor, "export", &format!("{} lead(s)", ids.len())).await?;
        Ok(people)
    }

    /// The audit log, newest first.
    pub async fn audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>, ServiceError> {
        Ok(self.store.audit_log(limit).await?)
    }

    /// Creates an API key (audited); returns the record and the full key, shown once.
    pub async fn create_key(&self, name: &str, scopes: &[Scope], actor: &str) -> Result<(ApiKey, String), ServiceError> {
        let (key, secret) = crate::keys::create(self.store.as_ref(), name, scopes, self.clock.now()).await?;
        let list = key.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(",");
        self.audit(actor, "key.create", &format!("{} ({list})", key.id)).await?;
        Ok((key, secret))
    }

    /// Every API key (hashes only).
    pub async fn keys(&self) -> Result<Vec<ApiKey>, ServiceError> {
        Ok(self.store.keys().await?)
    }

    /// Revokes an API key (audited).
    pub async fn revoke_key(&self, id: &str, actor: &str) -> Result<(), ServiceError> {
        self.store.revoke_key(id, self.clock.now()).await.map_err(|e| match e {
            StoreError::NotFound(_) => ServiceError::NotFound(format!("key {id}")),
            e => e.into(),
        })?;
        self.audit(actor, "key.revoke", id).await
    }

    /// The key behind a presented `lr_...` secret, if it is known, matches and is not revoked.
    pub async fn authenticate(&self, presented: &str) -> Result<Option<ApiKey>, ServiceError> {
        Ok(crate::keys::verify(self.store.as_ref(), presented).await?)
    }

    /// The key with `id` if `secret_hash` is the SHA-256 of its secret and it is not revoked
    /// (a request a cluster node checked and forwarded without the secret).
    pub async fn authenticate_hashed(&self, id: &str, secret_hash: &str) -> Result<Option<ApiKey>, ServiceError> {
        Ok(crate::keys::verify_hash(self.store.as_ref(), id, secret_hash).await?)
    }

    /// Whether the database answers.
    pub async fn ready(&self) -> Result<(), ServiceError> {
        Ok(self.store.ping().await?)
    }

    /// The time now, as the service's clock tells it.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }
}

impl Service {
    /// Each change of a lead's score, oldest first (everything queued is committed first).
    pub async fn score_history(&self, lead_id: &str) -> Result<Vec<StoredScore>, ServiceError> {
        self.flush().await;
        Ok(self.store.score_history(lead_id).await?)
    }
}
