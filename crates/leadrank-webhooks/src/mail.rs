//! Email alerts over SMTP (lettre, on tokio, TLS by rustls).
//!
//! The server is given as a URL: `smtp://host:port` (plain, for a relay on a trusted
//! network), `smtp://host:587?tls=required` (STARTTLS) or `smtps://host:465` (TLS), with
//! optional `user:password@`. A delivery's body is a [`MailBody`] as JSON; the recipient is
//! the subscription's `mailto:` target.

use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};

/// Where and as whom email alerts are sent. Its `Debug` hides the URL (it may hold a
/// password).
#[derive(Clone)]
pub struct MailConfig {
    /// `smtp://`, `smtp://...?tls=required` or `smtps://` URL of the server.
    pub url: String,
    /// The From address, e.g. `leadrank <alerts@example.com>`.
    pub from: String,
}

impl std::fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailConfig").field("url", &"<hidden>").field("from", &self.from).finish()
    }
}

/// One email, as an alert delivery's body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailBody {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Sends emails through one SMTP server.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// Checks the configuration (URL and From address) without connecting.
    pub fn new(config: &MailConfig, timeout: Duration) -> Result<Mailer, String> {
        let from: Mailbox = config.from.parse().map_err(|e| format!("the From address '{}' is not valid: {e}", config.from))?;
        // The URL may carry a password: never put it in an error.
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&config.url)
            .map_err(|e| format!("the SMTP URL is not valid (expected smtp://host:port or smtps://host:port): {e}"))?
            .timeout(Some(timeout))
            .build();
        Ok(Mailer { transport, from })
    }

    /// Sends one delivery body to `to`; the error is short and names no address.
    pub async fn send(&self, to: &str, body: &str) -> Result<(), String> {
        let mail: MailBody = serde_json::from_str(body).map_err(|e| format!("not an email body: {e}"))?;
        let to: Mailbox = to.parse().map_err(|_| "the recipient is not a valid address".to_owned())?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject)
            .multipart(MultiPart::alternative_plain_html(mail.text, mail.html))
            .map_err(|e| format!("cannot build the email: {e}"))?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) => {
                let mut text = format!("SMTP: {e}");
                text.truncate(text.floor_char_boundary(200));
                Err(text)
            }
        }
    }
}
