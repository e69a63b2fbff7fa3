//! The alert settings a front end gives the service (`serve --public-url`, `--smtp-url`):
//! plain data, so that the service core holds them without depending on the alerts module.

/// How alerts are sent.
#[derive(Debug, Clone, Default)]
pub struct AlertsConfig {
    /// The base of lead-page links, e.g. `https://leadrank.example.com` (no trailing slash);
    /// without it alerts name the lead id and carry no link.
    pub public_url: Option<String>,
    /// The SMTP server for email alerts; without it email deliveries fail with an error
    /// saying so (and are retried).
    pub mail: Option<leadrank_webhooks::mail::MailConfig>,
}

/// The alert rule a webhook subscription holds, when it is one (its id has the
/// [`leadrank_webhooks::ALERT_ID_PREFIX`] and its `secret` column the rule as JSON).
pub fn alert_rule_of(sub: &leadrank_store::Subscription) -> Option<leadrank_alerts::AlertRule> {
    if !sub.id.starts_with(leadrank_webhooks::ALERT_ID_PREFIX) {
        return None;
    }
    serde_json::from_str(&sub.secret).ok()
}

/// Alerts one digest rule keeps in one period, at most (later ones in that period are not
/// kept, so memory stays bounded).
pub const MAX_DIGEST_ALERTS: usize = 1000;

/// The alerts of digest rules waiting for the end of their period, in memory and in the
/// store (`digest_store`).
#[derive(Debug, Default)]
pub struct PendingDigests {
    /// Per rule id: its period's end (epoch seconds) and the alerts kept.
    pub(crate) rules: std::collections::BTreeMap<String, DigestBuffer>,
    /// Rules whose stored copy is out of date.
    pub(crate) unwritten: std::collections::BTreeSet<String>,
    /// A digest was handed to the writer since the stored copies were last written: they
    /// are written after its delivery is committed.
    pub(crate) sent_since_written: bool,
}

/// One digest rule's current period.
#[derive(Debug, Default)]
pub(crate) struct DigestBuffer {
    pub(crate) period_end_s: i64,
    pub(crate) alerts: Vec<leadrank_alerts::AlertEvent>,
}
