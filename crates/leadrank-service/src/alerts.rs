//! Alert rules: Slack, Teams and email alerts for lead events, per team, rep or everyone.
//!
//! A rule is stored as a webhook subscription whose id starts with
//! [`leadrank_webhooks::ALERT_ID_PREFIX`]: its `url` is the incoming-webhook URL (or
//! `mailto:` and the address), its `events` the events it wants and its `secret` column the
//! rule itself as JSON (alerts are not signed, so the column is otherwise unused). Its
//! deliveries therefore share the webhooks' queue, retry schedule, attempt records and
//! listing. Rendering and matching are in the pure `leadrank-alerts` crate.

use jiff::Timestamp;
use leadrank_alerts::event::ReasonLine;
use leadrank_alerts::{AlertEvent, AlertRule, AlertRuleInput, Channel, EventKind, Rendered, RuleError};
use leadrank_store::{Delivery, Subscription};
use leadrank_webhooks::ALERT_ID_PREFIX;

pub use crate::alert_settings::AlertsConfig;
use crate::alert_settings::MAX_DIGEST_ALERTS;
use crate::live::RaisedEvent;
use crate::service::{Service, ServiceError};

/// The event type of a digest delivery.
pub const DIGEST_EVENT: &str = "alert.digest";

/// Rules a service holds at most.
pub const MAX_RULES: usize = 500;

/// A stored alert rule.
#[derive(Debug, Clone)]
pub struct StoredAlertRule {
    pub id: String,
    pub rule: AlertRule,
    pub created_at: Timestamp,
}

/// Why a rule could not be created.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AlertRuleError {
    #[error(transparent)]
    Invalid(#[from] RuleError),
    #[error("/destination: {0}: alert targets must be public (serve --allow-private-webhooks allows private ones)")]
    PrivateTarget(String),
    #[error("at most {MAX_RULES} alert rules; delete some first")]
    TooMany,
}

/// Whether a subscription is an alert rule.
pub fn is_alert(sub: &Subscription) -> bool {
    sub.id.starts_with(ALERT_ID_PREFIX)
}

fn stored(sub: &Subscription) -> Option<StoredAlertRule> {
    let rule = crate::alert_settings::alert_rule_of(sub)?;
    Some(StoredAlertRule { id: sub.id.clone(), rule, created_at: sub.created_at })
}

/// The delivery of `alerts` (one, or a digest of several) for a rule.
fn rendered(
    sub: &Subscription,
    rule: &AlertRule,
    alerts: &[AlertEvent],
    event_type: &str,
    lead_id: Option<&str>,
    public_url: Option<&str>,
    now: Timestamp,
) -> Delivery {
    let body = match leadrank_alerts::render(rule.channel, &rule.name, alerts, public_url) {
        Rendered::Json(s) => s,
        Rendered::Email(m) => {
            let mail = leadrank_webhooks::mail::MailBody { subject: m.subject, text: m.text, html: m.html };
            serde_json::to_string(&mail).expect("strings always serialize")
        }
    };
    leadrank_webhooks::pending_delivery(leadrank_webhooks::new_delivery_id(), &sub.id, event_type, lead_id, body, now)
}

impl Service {
    /// Creates an alert rule (audited, without its destination).
    pub async fn create_alert_rule(
        &self,
        input: AlertRuleInput,
        allow_private: bool,
        actor: &str,
    ) -> Result<Result<StoredAlertRule, AlertRuleError>, ServiceError> {
        let rule = match input.validate() {
            Ok(r) => r,
            Err(e) => return Ok(Err(e.into())),
        };
        if rule.channel != Channel::Email
            && !allow_private
            && let Err(why) = leadrank_webhooks::guard::check_url_host(&rule.destination)
        {
            return Ok(Err(AlertRuleError::PrivateTarget(why)));
        }
        if self.alert_rules().await?.len() >= MAX_RULES {
            return Ok(Err(AlertRuleError::TooMany));
        }
        let url = match rule.channel {
            Channel::Email => format!("mailto:{}", rule.destination),
            Channel::Slack | Channel::Teams => rule.destination.clone(),
        };
        let sub = Subscription {
            id: format!("{ALERT_ID_PREFIX}{}", hex::encode(rand::random::<[u8; 8]>())),
            url,
            secret: serde_json::to_string(&rule).map_err(|e| ServiceError::Internal(e.to_string()))?,
            events: rule.events.clone(),
            created_at: self.clock.now(),
        };
        self.store.add_subscription(&sub).await?;
        self.reload_subscriptions().await?;
        self.audit(actor, "alert.create", &format!("{} ({})", sub.id, rule.channel.as_str())).await?;
        Ok(Ok(StoredAlertRule { id: sub.id, rule, created_at: sub.created_at }))
    }

    /// Every alert rule, oldest first.
    pub async fn alert_rules(&self) -> Result<Vec<StoredAlertRule>, ServiceError> {
        Ok(self.store.subscriptions().await?.iter().filter_map(stored).collect())
    }

    /// Deletes an alert rule (audited); its queued deliveries stop.
    pub async fn delete_alert_rule(&self, id: &str, actor: &str) -> Result<(), ServiceError> {
        if !self.alert_rules().await?.iter().any(|r| r.id == id) {
            return Err(ServiceError::NotFound(format!("alert rule '{id}'")));
        }
        self.store.delete_subscription(id).await?;
        self.reload_subscriptions().await?;
        self.audit(actor, "alert.delete", id).await
    }

    /// The latest deliveries of an alert rule with their last attempt.
    pub async fn alert_deliveries(&self, id: &str, limit: u32) -> Result<Vec<Delivery>, ServiceError> {
        if !self.alert_rules().await?.iter().any(|r| r.id == id) {
            return Err(ServiceError::NotFound(format!("alert rule '{id}'")));
        }
        Ok(self.store.deliveries(id, limit).await?)
    }

    /// Sets the alert settings (before [`crate::background::spawn`], which reads the SMTP
    /// server).
    pub fn set_alerts_config(&self, config: AlertsConfig) {
        *self.alerts_config.write().unwrap_or_else(|e| e.into_inner()) = config;
    }

    /// The alert settings.
    pub fn alerts_config(&self) -> AlertsConfig {
        self.alerts_config.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The alert deliveries the raised events make, one per matching rule and event.
    pub(crate) fn alert_deliveries_for(&self, subs: &[Subscription], events: &[RaisedEvent], now: Timestamp) -> Vec<Delivery> {
        let rules: Vec<(&Subscription, AlertRule)> = subs
            .iter()
            .filter(|s| is_alert(s) && events.iter().any(|(kind, ..)| s.events.iter().any(|e| e == kind)))
            .filter_map(|s| stored(s).map(|r| (s, r.rule)))
            .collect();
        if rules.is_empty() {
            return Vec::new();
        }
        let public_url = self.alerts_config.read().unwrap_or_else(|e| e.into_inner()).public_url.clone();
        let mut out = Vec::new();
        let mut digested = false;
        for (kind, lead_id, payload) in events {
            let Some(kind) = EventKind::parse(kind) else { continue };
            if !rules.iter().any(|(s, _)| s.events.iter().any(|e| e == kind.as_str())) {
                continue;
            }
            let event = self.alert_event(kind, lead_id, payload, now);
            for (sub, rule) in &rules {
                if !rule.matches(&event) {
                    continue;
                }
                match rule.digest {
                    None => out.push(rendered(
                        sub,
                        rule,
                        std::slice::from_ref(&event),
                        kind.as_str(),
                        Some(lead_id),
                        public_url.as_deref(),
                        now,
                    )),
                    Some(digest) => {
                        let end = digest.period_end(now.as_second());
                        let mut pending = self.digests_lock();
                        pending.unwritten.insert(sub.id.clone());
                        let pending = &mut *pending;
                        let buffer = pending.rules.entry(sub.id.clone()).or_default();
                        if buffer.period_end_s != end && !buffer.alerts.is_empty() {
                            // An earlier period the timer has not sent yet: it goes first.
                            let alerts = std::mem::take(&mut buffer.alerts);
                            out.push(rendered(sub, rule, &alerts, DIGEST_EVENT, None, public_url.as_deref(), now));
                            pending.sent_since_written = true;
                        }
                        buffer.period_end_s = end;
                        if buffer.alerts.len() < MAX_DIGEST_ALERTS {
                            buffer.alerts.push(event.clone());
                        }
                        digested = true;
                    }
                }
            }
        }
        if digested {
            // The SLA timer's round writes the digest to the store.
            self.ops_wakeup.notify_one();
        }
        out
    }

    /// Queues the digests whose period ended by `now`: one message per rule and period with
    /// every alert collected; a period without alerts sends nothing. Returns how many.
    pub fn flush_digests(&self, now: Timestamp) -> usize {
        let now_s = now.as_second();
        let due: Vec<(String, Vec<AlertEvent>)> = {
            let mut pending = self.digests_lock();
            let ids: Vec<String> = pending.rules.iter().filter(|(_, b)| b.period_end_s <= now_s).map(|(id, _)| id.clone()).collect();
            pending.unwritten.extend(ids.iter().cloned());
            pending.sent_since_written |= !ids.is_empty();
            ids.into_iter().filter_map(|id| pending.rules.remove(&id).map(|b| (id, b.alerts))).filter(|(_, a)| !a.is_empty()).collect()
        };
        if due.is_empty() {
            return 0;
        }
        let public_url = self.alerts_config.read().unwrap_or_else(|e| e.into_inner()).public_url.clone();
        let deliveries: Vec<Delivery> = {
            let subs = self.subscriptions.read().unwrap_or_else(|e| e.into_inner());
            due.iter()
                .filter_map(|(id, alerts)| {
                    // A rule deleted meanwhile sends nothing.
                    let sub = subs.iter().find(|s| &s.id == id)?;
                    let rule = crate::alert_settings::alert_rule_of(sub)?;
                    Some(rendered(sub, &rule, alerts, DIGEST_EVENT, None, public_url.as_deref(), now))
                })
                .collect()
        };
        let n = deliveries.len();
        self.queue_deliveries(deliveries);
        n
    }

    /// When the next digest period with alerts ends.
    pub fn next_digest_due(&self) -> Option<Timestamp> {
        let pending = self.digests_lock();
        pending.rules.values().filter(|b| !b.alerts.is_empty()).map(|b| b.period_end_s).min().and_then(|s| Timestamp::from_second(s).ok())
    }

    /// Drops an erased lead's alerts waiting in digests.
    pub(crate) fn forget_digest_alerts(&self, lead_id: &str) {
        let mut pending = self.digests_lock();
        let pending = &mut *pending;
        for (id, b) in &mut pending.rules {
            let before = b.alerts.len();
            b.alerts.retain(|a| a.lead_id != lead_id);
            if b.alerts.len() != before {
                pending.unwritten.insert(id.clone());
            }
        }
    }

    /// What an alert says about a lead: its person and company, current score and top
    /// reasons, assignment, and the milestone for `sla.breached` and `sla.warning`.
    fn alert_event(&self, kind: EventKind, lead_id: &str, payload: &serde_json::Value, now: Timestamp) -> AlertEvent {
        let text = |key: &str| payload.get(key).and_then(|v| v.as_str()).map(str::to_owned);
        let mut ev = AlertEvent { kind: Some(kind), lead_id: lead_id.to_owned(), at: now.to_string(), ..AlertEvent::default() };
        let live = self.live_read();
        if let Some(lead) = live.book.lead(lead_id) {
            let name = [lead.first_name.as_deref(), lead.last_name.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
            ev.person = (!name.trim().is_empty()).then_some(name);
            ev.title = lead.title.as_deref().map(str::to_owned);
            ev.company = lead.company.as_deref().map(str::to_owned);
        }
        if let Some(cur) = live.current.get(lead_id) {
            let s = &cur.score;
            ev.total = Some(s.total);
            ev.grade = Some(s.grade.to_string());
            ev.cell = (!s.cell.is_empty()).then(|| s.cell.clone());
            ev.reasons =
                s.reasons.iter().map(|r| ReasonLine { points: r.points, rule: r.rule.to_string(), detail: r.detail.clone() }).collect();
        }
        match kind {
            EventKind::Assigned | EventKind::SlaBreached | EventKind::SlaWarning => {
                ev.team = text("team");
                ev.rep = text("rep");
            }
            EventKind::Quality => {
                let ops = self.ops_lock(&live);
                if let Some(a) = ops.leads.get(lead_id).and_then(|st| st.assignment.as_ref()).filter(|a| !a.released) {
                    ev.team = a.team.clone();
                    ev.rep = a.rep.clone();
                }
            }
        }
        if matches!(kind, EventKind::SlaBreached | EventKind::SlaWarning) {
            ev.milestone = text("milestone");
            ev.due = text("due");
        }
        if kind == EventKind::SlaWarning {
            ev.warn_minutes = payload.get("warn_minutes").and_then(|v| v.as_u64()).and_then(|m| u32::try_from(m).ok());
        }
        ev
    }
}
