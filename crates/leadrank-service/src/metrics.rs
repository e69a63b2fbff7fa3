//! Prometheus metrics: requests and latencies per route, events ingested, rescoring lag,
//! webhook outcomes and store errors. Labels never carry personal data (routes are the
//! matched templates such as `/v1/leads/{lead_id}`, not the requested paths).

use std::sync::Mutex;
use std::sync::atomic::AtomicU64;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ResultLabels {
    result: &'static str,
}

/// The service's metrics registry.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    events: Family<ResultLabels, Counter>,
    lag: Gauge<f64, AtomicU64>,
    sla_lag: Histogram,
    routing: Counter,
    sla_breaches: Counter,
    webhooks: Family<ResultLabels, Counter>,
    store_errors: Counter,
    /// Last seen webhook totals, to turn the dispatcher's running totals into increments.
    webhook_seen: Mutex<(u64, u64)>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// A registry with every metric registered.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("leadrank");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register("http_requests", "HTTP requests by method, route and status", requests.clone());
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| Histogram::new(exponential_buckets(0.0002, 2.0, 16)));
        registry.register("http_request_duration_seconds", "HTTP request latency by route", latency.clone());
        let events = Family::<ResultLabels, Counter>::default();
        registry.register("events_ingested", "Events received by result (accepted, duplicate, rejected)", events.clone());
        let lag = Gauge::<f64, AtomicU64>::default();
        registry.register("rescoring_lag_seconds", "How late the latest window-expiry rescoring ran", lag.clone());
        let sla_lag = Histogram::new(exponential_buckets(0.0005, 2.0, 16));
        registry.register("sla_detection_lag_seconds", "How long after its deadline each SLA breach was detected", sla_lag.clone());
        let routing = Counter::default();
        registry.register("routing_decisions", "Leads routed (each assignment)", routing.clone());
        let sla_breaches = Counter::default();
        registry.register("sla_breaches", "SLA milestones breached", sla_breaches.clone());
        let webhooks = Family::<ResultLabels, Counter>::default();
        registry.register("webhook_deliveries", "Webhook delivery attempts by result (delivered, failed)", webhooks.clone());
        let store_errors = Counter::default();
        registry.register("store_errors", "Database errors of the background writer", store_errors.clone());
        Metrics {
            registry,
            requests,
            latency,
            events,
            lag,
            sla_lag,
            routing,
            sla_breaches,
            webhooks,
            store_errors,
            webhook_seen: Mutex::new((0, 0)),
        }
    }

    /// Records one HTTP request.
    pub fn request(&self, method: &str, route: &str, status: u16, seconds: f64) {
        self.requests.get_or_create(&RequestLabels { method: method.into(), route: route.into(), status }).inc();
        self.latency.get_or_create(&RouteLabels { route: route.into() }).observe(seconds);
    }

    /// Records the outcome of an events batch.
    pub fn events(&self, accepted: u64, duplicate: u64, rejected: u64) {
        self.events.get_or_create(&ResultLabels { result: "accepted" }).inc_by(accepted);
        self.events.get_or_create(&ResultLabels { result: "duplicate" }).inc_by(duplicate);
        self.events.get_or_create(&ResultLabels { result: "rejected" }).inc_by(rejected);
    }

    /// Records the rescoring lag of the latest sweep.
    pub fn rescoring_lag(&self, seconds: f64) {
        self.lag.set(seconds);
    }

    /// Records the SLA breaches of one check, each with how late it was detected.
    pub fn sla_breaches(&self, lags_seconds: &[f64]) {
        self.sla_breaches.inc_by(lags_seconds.len() as u64);
        for lag in lags_seconds {
            self.sla_lag.observe(*lag);
        }
    }

    /// Counts routing decisions.
    pub fn routed(&self, n: u64) {
        self.routing.inc_by(n);
    }

    /// Records a background database error.
    pub fn store_error(&self) {
        self.store_errors.inc();
    }

    /// Brings the webhook counters up to the dispatcher's running totals.
    pub fn webhook_totals(&self, delivered: u64, failed_attempts: u64) {
        let mut seen = self.webhook_seen.lock().unwrap_or_else(|e| e.into_inner());
        self.webhooks.get_or_create(&ResultLabels { result: "delivered" }).inc_by(delivered.saturating_sub(seen.0));
        self.webhooks.get_or_create(&ResultLabels { result: "failed" }).inc_by(failed_attempts.saturating_sub(seen.1));
        *seen = (delivered.max(seen.0), failed_attempts.max(seen.1));
    }

    /// The metrics in the Prometheus text format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}
