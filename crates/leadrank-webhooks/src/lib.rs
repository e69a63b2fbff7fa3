//! Webhook delivery for the leadrank service.
//!
//! - [`sign`] / [`verify`]: HMAC-SHA256 over `"{timestamp}.{body}"`, sent as
//!   `Leadrank-Signature: t={timestamp},v1={hex}`, with `Leadrank-Delivery-Id` (the key to
//!   deduplicate on), `Leadrank-Event` and `Content-Type: application/json`.
//! - [`next_retry`]: fixed backoff (10 s, 30 s, 2 min, 10 min, 30 min, 1 h, then every 2 h)
//!   for at least 24 h after a delivery was created, then `Failed`.
//! - [`new_delivery`] / [`fan_out`]: the deliveries the service enqueues.
//! - [`Dispatcher`]: sends due deliveries from a [`leadrank_store::Store`] and records each
//!   attempt; [`Dispatcher::run`] is the background loop, woken by a [`Wakeup`].
//!
//! - Alert deliveries (subscriptions whose id starts with [`ALERT_ID_PREFIX`]) go through the
//!   same queue, retries and records, but are sent as the vendors expect: an unsigned JSON POST
//!   (Slack, Teams incoming webhooks) or, for a `mailto:` target, an email through [`mail`].
//!
//! Delivery is at least once: receivers deduplicate on the delivery id. Logs carry delivery
//! ids, status codes and attempt counts only, never URLs, bodies or secrets.

mod delivery;
mod dispatch;
pub mod guard;
pub mod mail;
mod retry;
mod sign;

pub use delivery::{fan_out, new_delivery, new_delivery_id, pending_delivery};
pub use dispatch::{ALERT_ID_PREFIX, DispatchError, Dispatcher, DispatcherConfig, SUBSCRIPTION_GONE, Stats, StatsSnapshot, Wakeup};
pub use retry::{LATER_DELAY_SECS, RETRY_DELAYS_SECS, RETRY_HORIZON, next_retry, retry_delay};
pub use sign::{DEFAULT_TOLERANCE_SECS, DELIVERY_ID_HEADER, EVENT_HEADER, SIGNATURE_HEADER, VerifyError, sign, signature_header, verify};
