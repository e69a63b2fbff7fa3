//! The dispatcher: sends due deliveries and records each attempt.

use std::collections::HashMap;
use std::error::Error as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use jiff::Timestamp;
use leadrank_store::{Attempt, Delivery, DeliveryState, Store, StoreError, Subscription};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::retry::next_retry;
use crate::sign::{DELIVERY_ID_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signature_header};

/// Subscriptions with this id prefix are alert rules: their deliveries are sent unsigned (an
/// incoming-webhook POST) or, when the target is `mailto:`, by email.
pub const ALERT_ID_PREFIX: &str = "alr_";

/// The error text recorded for a delivery whose subscription no longer exists.
pub const SUBSCRIPTION_GONE: &str = "subscription deleted";
/// Recorded errors are cut to this many bytes.
const MAX_ERROR_LEN: usize = 200;

/// How the dispatcher works.
#[derive(Debug, Clone)]
pub struct DispatcherConfig {
    /// Deliveries fetched per [`Dispatcher::run_once`].
    pub batch_limit: u32,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// The whole-request timeout.
    pub request_timeout: Duration,
    /// The connect timeout.
    pub connect_timeout: Duration,
    /// How long [`Dispatcher::run`] sleeps when nothing wakes it.
    pub idle_interval: Duration,
    /// The `User-Agent` sent.
    pub user_agent: String,
    /// Allow targets on loopback and private networks (tests, or a receiver on the same
    /// private network). Off by default: see [`crate::guard`].
    pub allow_private_targets: bool,
    /// The SMTP server for email alerts; without it email deliveries fail (and are retried)
    /// with an error saying so.
    pub mail: Option<crate::mail::MailConfig>,
}

impl Default for DispatcherConfig {
    fn default() -> Self {
        DispatcherConfig {
            batch_limit: 100,
            concurrency: 16,
            request_timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(5),
            idle_interval: Duration::from_secs(1),
            user_agent: concat!("leadrank-webhooks/", env!("CARGO_PKG_VERSION")).to_owned(),
            allow_private_targets: false,
            mail: None,
        }
    }
}

/// A dispatcher failure (per-delivery failures are recorded on the delivery instead).
#[derive(Debug, thiserror::Error)]
pub enum DispatchError {
    /// Reading due deliveries or subscriptions failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
}

/// Counters for metrics; all only ever increase.
#[derive(Debug, Default)]
pub struct Stats {
    /// HTTP attempts made (deliveries whose subscription is gone are not counted).
    pub attempts: AtomicU64,
    /// Attempts answered with a 2xx.
    pub delivered: AtomicU64,
    /// Attempts that failed (non-2xx status, network error or timeout).
    pub failed_attempts: AtomicU64,
    /// Deliveries given up (past the retry horizon, or their subscription gone).
    pub gave_up: AtomicU64,
    /// Store calls that failed.
    pub store_errors: AtomicU64,
}

/// A copy of [`Stats`] at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatsSnapshot {
    pub attempts: u64,
    pub delivered: u64,
    pub failed_attempts: u64,
    pub gave_up: u64,
    pub store_errors: u64,
}

impl Stats {
    /// The counters now.
    pub fn snapshot(&self) -> StatsSnapshot {
        StatsSnapshot {
            attempts: self.attempts.load(Ordering::Relaxed),
            delivered: self.delivered.load(Ordering::Relaxed),
            failed_attempts: self.failed_attempts.load(Ordering::Relaxed),
            gave_up: self.gave_up.load(Ordering::Relaxed),
            store_errors: self.store_errors.load(Ordering::Relaxed),
        }
    }

    fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// Wakes a running dispatcher (e.g. after enqueueing deliveries). A wake-up sent while the
/// dispatcher is busy is kept, so none is lost.
#[derive(Debug, Clone, Default)]
pub struct Wakeup(Arc<Notify>);

impl Wakeup {
    /// Makes the dispatcher look for due deliveries now.
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

/// Sends due deliveries of a [`Store`]: signs them, POSTs them, and records each attempt.
/// Works with a concrete store or `dyn Store`.
pub struct Dispatcher<S: Store + ?Sized> {
    store: Arc<S>,
    client: reqwest::Client,
    config: DispatcherConfig,
    wakeup: Wakeup,
    stats: Arc<Stats>,
    mailer: Option<crate::mail::Mailer>,
}

/// The outcome of one HTTP attempt.
struct Outcome {
    status: Option<u16>,
    error: Option<String>,
}

impl<S: Store + ?Sized> Dispatcher<S> {
    /// A dispatcher with the default configuration.
    pub fn new(store: Arc<S>) -> Result<Self, DispatchError> {
        Self::with_config(store, DispatcherConfig::default())
    }

    /// A dispatcher with its own configuration. Redirects are not followed (a 3xx is a
    /// failed attempt).
    pub fn with_config(store: Arc<S>, config: DispatcherConfig) -> Result<Self, DispatchError> {
        let mut builder = reqwest::Client::builder();
        if !config.allow_private_targets {
            builder = builder.dns_resolver(Arc::new(crate::guard::PublicOnlyResolver));
        }
        let client = builder
            .timeout(config.request_timeout)
            .connect_timeout(config.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(config.user_agent.clone())
            .build()
            .map_err(|e| DispatchError::Client(error_text(&e)))?;
        let mailer = match &config.mail {
            Some(m) => Some(crate::mail::Mailer::new(m, config.request_timeout).map_err(DispatchError::Client)?),
            None => None,
        };
        Ok(Dispatcher { store, client, config, wakeup: Wakeup::default(), stats: Arc::default(), mailer })
    }

    /// The handle that wakes [`Dispatcher::run`].
    pub fn wakeup(&self) -> Wakeup {
        self.wakeup.clone()
    }

    /// The counters.
    pub fn stats(&self) -> Arc<Stats> {
        Arc::clone(&self.stats)
    }

    /// The configuration.
    pub fn config(&self) -> &DispatcherConfig {
        &self.config
    }

    /// Sends the deliveries due at `now` (at most `batch_limit`, `concurrency` at a time),
    /// recording each attempt; returns how many were handled.
    ///
    /// `now` is the attempt time, the signature's timestamp and the base of the next retry.
    /// A failure to record one attempt is logged and counted (the delivery stays due and is
    /// sent again later; receivers deduplicate on the delivery id); only failing to read the
    /// due deliveries or the subscriptions is an error.
    pub async fn run_once(&self, now: Timestamp) -> Result<usize, DispatchError> {
        let due = self.store.due_deliveries(now, self.config.batch_limit).await.inspect_err(|_| {
            Stats::bump(&self.stats.store_errors);
        })?;
        if due.is_empty() {
            return Ok(0);
        }
        let subs: HashMap<String, Subscription> = self
            .store
            .subscriptions()
            .await
            .inspect_err(|_| Stats::bump(&self.stats.store_errors))?
            .into_iter()
            .map(|s| (s.id.clone(), s))
            .collect();
        let handled = due.len();
        futures_util::stream::iter(due)
            .map(|delivery| {
                let sub = subs.get(&delivery.subscription_id);
                self.handle(delivery, sub, now)
            })
            .buffer_unordered(self.config.concurrency.max(1))
            .for_each(|()| async {})
            .await;
        Ok(handled)
    }

    /// Runs until `shutdown` is cancelled: [`Dispatcher::run_once`] with the current time,
    /// then (unless the batch was full) waits for a [`Wakeup`] or `idle_interval`.
    ///
    /// Shutdown is prompt: a batch in flight is abandoned, and its deliveries whose attempt
    /// was not yet recorded stay pending and are sent again by the next run.
    pub async fn run(self, shutdown: CancellationToken) {
        tracing::info!("webhook dispatcher started");
        while !shutdown.is_cancelled() {
            let result = tokio::select! {
                biased;
                () = shutdown.cancelled() => break,
                result = self.run_once(Timestamp::now()) => result,
            };
            let full = match result {
                Ok(n) => n >= self.config.batch_limit as usize,
                Err(e) => {
                    tracing::warn!(error = %e, "webhook dispatcher could not read due deliveries");
                    false
                }
            };
            if full {
                continue;
            }
            tokio::select! {
                biased;
                () = shutdown.cancelled() => break,
                () = self.wakeup.0.notified() => {}
                () = tokio::time::sleep(self.config.idle_interval) => {}
            }
        }
        tracing::info!("webhook dispatcher stopped");
    }

    /// Sends one delivery (if its subscription exists) and records the attempt.
    async fn handle(&self, delivery: Delivery, sub: Option<&Subscription>, now: Timestamp) {
        let attempt = match sub {
            None => {
                Stats::bump(&self.stats.gave_up);
                tracing::info!(delivery_id = %delivery.id, "webhook delivery failed: subscription deleted");
                Attempt {
                    at: now,
                    status: None,
                    error: Some(SUBSCRIPTION_GONE.to_owned()),
                    state: DeliveryState::Failed,
                    next_attempt_at: now,
                }
            }
            Some(sub) => {
                let outcome = self.send(&delivery, sub, now).await;
                Stats::bump(&self.stats.attempts);
                let ok = outcome.error.is_none();
                let attempts = delivery.attempts.saturating_add(1);
                let (state, next_attempt_at) = if ok {
                    Stats::bump(&self.stats.delivered);
                    (DeliveryState::Delivered, now)
                } else {
                    Stats::bump(&self.stats.failed_attempts);
                    match next_retry(attempts, delivery.created_at, now) {
                        Some(next) => (DeliveryState::Pending, next),
                        None => {
                            Stats::bump(&self.stats.gave_up);
                            (DeliveryState::Failed, now)
                        }
                    }
                };
                match (state, outcome.status) {
                    (DeliveryState::Delivered, status) => {
                        tracing::debug!(delivery_id = %delivery.id, status, attempts, "webhook delivered");
                    }
                    (DeliveryState::Pending, status) => tracing::info!(
                        delivery_id = %delivery.id,
                        status,
                        attempts,
                        next_attempt_at = %next_attempt_at,
                        "webhook attempt failed, will retry"
                    ),
                    (DeliveryState::Failed, status) => tracing::warn!(
                        delivery_id = %delivery.id,
                        status,
                        attempts,
                        "webhook delivery failed, retry horizon passed"
                    ),
                }
                Attempt { at: now, status: outcome.status, error: outcome.error, state, next_attempt_at }
            }
        };
        if let Err(e) = self.store.record_attempt(&delivery.id, &attempt).await {
            Stats::bump(&self.stats.store_errors);
            tracing::warn!(delivery_id = %delivery.id, error = %e, "could not record a webhook attempt");
        }
    }

    /// POSTs one delivery; never reads the response body.
    async fn send(&self, delivery: &Delivery, sub: &Subscription, now: Timestamp) -> Outcome {
        let alert = sub.id.starts_with(ALERT_ID_PREFIX);
        if alert && let Some(to) = sub.url.strip_prefix("mailto:") {
            let error = match &self.mailer {
                None => Some("no SMTP server configured (serve --smtp-url)".to_owned()),
                Some(mailer) => mailer.send(to, &delivery.body).await.err(),
            };
            return Outcome { status: None, error };
        }
        if !self.config.allow_private_targets {
            // Names are checked by the resolver; an address in the URL is checked here.
            if let Err(why) = crate::guard::check_url_host(&sub.url) {
                return Outcome { status: None, error: Some(format!("refused target: {why}")) };
            }
        }
        let body = delivery.body.as_bytes();
        let mut request = self.client.post(&sub.url).header(reqwest::header::CONTENT_TYPE, "application/json");
        if !alert {
            // Slack and Teams take the message as it is; only webhooks are signed.
            let signature = signature_header(&sub.secret, now.as_second(), body);
            request = request
                .header(SIGNATURE_HEADER, signature)
                .header(DELIVERY_ID_HEADER, &delivery.id)
                .header(EVENT_HEADER, &delivery.event_type);
        }
        let result = request.body(delivery.body.clone()).send().await;
        match result {
            Ok(response) => {
                let status = response.status();
                let error = (!status.is_success()).then(|| format!("HTTP {}", status.as_u16()));
                Outcome { status: Some(status.as_u16()), error }
            }
            Err(e) => Outcome { status: e.status().map(|s| s.as_u16()), error: Some(error_text(&e)) },
        }
    }
}

/// A short description of a client error: its kind and innermost cause, never the URL (it
/// may carry a token) nor any body.
fn error_text(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timeout"
    } else if e.is_connect() {
        "connect error"
    } else if e.is_builder() {
        "invalid request"
    } else if e.is_request() {
        "request error"
    } else if e.is_body() {
        "body error"
    } else {
        "error"
    };
    let mut cause: Option<&dyn std::error::Error> = e.source();
    let mut innermost = None;
    while let Some(c) = cause {
        innermost = Some(c);
        cause = c.source();
    }
    let mut text = match innermost {
        Some(c) => format!("{kind}: {c}"),
        None => kind.to_owned(),
    };
    if text.len() > MAX_ERROR_LEN {
        let mut cut = MAX_ERROR_LEN;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    text
}
