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
