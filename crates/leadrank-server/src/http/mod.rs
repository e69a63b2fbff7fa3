//! The HTTP API (JSON under `/v1`, documented at `/openapi.json`).

mod admin;
pub mod body;
pub mod conn;
mod ingest;
mod ops;
pub mod problem;
mod read;
pub mod records;
pub mod views;

use std::marker::PhantomData;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::error_handling::HandleErrorLayer;
use axum::extract::{DefaultBodyLimit, FromRequestParts, MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{BoxError, Router};
use leadrank_store::ApiKey;
use tower::ServiceBuilder;

use leadrank_service::Service;
use problem::{Problem, REQUEST_ID};

/// Limits that protect the service. Every value is a flag of `leadrank serve`.
///
/// Writes (every method but GET and HEAD) queue on one lock in the service, so they have a
/// bound of their own ([`WriteGate`]): at most `write_concurrency`, and no more than finish
/// within half of `timeout` at the recent time per write; the rest get 429 with
/// `Retry-After` at once instead of waiting.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Requests handled at once before new ones get 429.
    pub concurrency: usize,
    /// Writes handled or waiting at once (within `concurrency`) before new ones get 429; fewer
    /// when writes are slow (see [`WriteGate`]).
    pub write_concurrency: usize,
    /// Longest a request may take (then 503).
    pub timeout: Duration,
    /// Open connections at most; a new connection beyond displaces the one idle longest.
    pub max_connections: usize,
    /// Longest a client may take to send a request's headers, from connecting (or from the
    /// first byte of a following request on a kept-alive connection).
    pub header_read_timeout: Duration,
    /// Longest a kept-alive connection may wait for its next request.
    pub idle_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            concurrency: 512,
            write_concurrency: 32,
            timeout: Duration::from_secs(30),
            max_connections: 4096,
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
        }
    }
}

/// Shared state of the handlers.
#[derive(Clone)]
pub struct AppState {
    pub service: Arc<Service>,
    /// Dispatcher statistics for /metrics and the webhooks list.
    pub webhook_stats: Option<Arc<leadrank_webhooks::Stats>>,
    /// Webhook URLs may point at loopback and private networks.
    pub allow_private_webhooks: bool,
}

/// Largest batch of records per request.
pub const MAX_BATCH: usize = 500;
const KB: usize = 1024;

/// The router with every route, limit and middleware.
pub fn router(state: AppState, limits: &Limits) -> Router {
    let v1 = Router::new()
        .route("/leads", post(ingest::leads).layer(DefaultBodyLimit::max(2048 * KB)).get(read::list_leads))
        .route("/leads/{lead_id}", get(read::lead))
        .route("/leads/{lead_id}/score", get(read::score))
        .route("/leads/{lead_id}/history", get(read::history))
        .route("/leads/{lead_id}/lifecycle", get(ops::lifecycle))
        .route("/leads/{lead_id}/accept", post(ops::accept))
        .route("/leads/{lead_id}/reject", post(ops::reject))
        .route("/leads/{lead_id}/stage", post(ops::move_stage))
        .route("/leads/{lead_id}/route", post(ops::reroute))
        .route("/leads/{lead_id}/checklist/{framework}/{item}", put(ops::set_item))
        .route("/teams", get(ops::list_teams))
        .route("/teams/{id}", put(ops::put_team).delete(ops::delete_team).layer(DefaultBodyLimit::max(64 * KB)))
        .route("/reps", get(ops::list_reps))
        .route("/reps/{id}", put(ops::put_rep).delete(ops::delete_rep).layer(DefaultBodyLimit::max(16 * KB)))
        .route("/routing", get(ops::get_routing).put(ops::put_routing).layer(DefaultBodyLimit::max(256 * KB)))
        .route("/reports/funnel", get(ops::funnel))
        .route("/reports/routing", get(ops::routing_report))
        .route("/reports/sla", get(ops::sla_report))
        .route("/reports/stages", get(ops::stages_csv))
        .route("/accounts", post(ingest::accounts).layer(DefaultBodyLimit::max(1024 * KB)).get(ops::list_accounts))
        .route("/accounts/{account_id}", get(read::account))
        .route("/events", post(ingest::events).layer(DefaultBodyLimit::max(512 * KB)))
        .route("/consents", post(ingest::consents).layer(DefaultBodyLimit::max(512 * KB)))
        .route("/models", post(admin::upload_model).layer(DefaultBodyLimit::max(256 * KB)).get(admin::list_models))
        .route("/models/activation", get(admin::activation))
        .route("/models/diff", get(admin::diff_models))
        .route("/models/{id}", get(admin::get_model))
        .route("/models/{id}/activate", post(admin::activate_model))
        .route("/webhooks", post(admin::add_webhook).get(admin::list_webhooks))
        .route("/webhooks/{id}", delete(admin::delete_webhook))
        .route("/webhooks/{id}/deliveries", get(admin::webhook_deliveries))
        .route("/privacy/export", post(admin::export))
        .route("/privacy/erase", post(admin::erase))
        .route("/audit", get(admin::audit_log))
        .route("/keys", post(admin::create_key).get(admin::list_keys))
        .route("/keys/{id}", delete(admin::revoke_key))
        .layer(DefaultBodyLimit::max(64 * KB))
        .layer(middleware::from_fn_with_state(Arc::new(WriteGate::new(limits)), limit_writes));
    let overload = ServiceBuilder::new()
        .layer(HandleErrorLayer::new(|e: BoxError| async move {
            if e.is::<tower::timeout::error::Elapsed>() {
                Problem::new(StatusCode::SERVICE_UNAVAILABLE, "timeout", "the request took too long")
            } else if e.is::<tower::load_shed::error::Overloaded>() {
                Problem::overloaded("too many requests at once; retry later")
            } else {
                Problem::internal(&e)
            }
        }))
        .load_shed()
        .concurrency_limit(limits.concurrency)
        .timeout(limits.timeout);
    // Liveness and metrics answer also when every request slot is taken.
    let unlimited = Router::new().route("/healthz", get(|| async { "ok" })).route("/metrics", get(read::metrics));
    Router::new()
        .nest("/v1", v1)
        .route("/readyz", get(read::ready))
        .route("/openapi.json", get(read::openapi))
        .fallback(|| async { Problem::not_found("route") })
        .method_not_allowed_fallback(|| async {
            Problem::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "this route does not take that method (see /openapi.json)")
        })
        .layer(overload)
        .merge(unlimited)
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state)
}

/// Admission of writes. Writes take turns on the service's ingest lock, so a write admitted
/// behind `n - 1` others waits about `n - 1` write times: a write is admitted while fewer
/// than `write_concurrency` are handled or waiting and the expected time of the queue with it,
/// `n` times the recent time per write, stays within half the request timeout; else 429 at
/// once. The time per write is learnt from the writes answered (the time one took over the
/// writes in flight when it was admitted, a moving average).
pub struct WriteGate {
    max: usize,
    budget_us: u64,
    in_flight: AtomicUsize,
    /// Moving average of the time per write, in microseconds.
    per_write_us: AtomicU64,
}

impl WriteGate {
    pub fn new(limits: &Limits) -> Self {
        WriteGate {
            max: limits.write_concurrency.max(1),
            budget_us: (limits.timeout.as_micros() / 2).min(u128::from(u64::MAX)) as u64,
            in_flight: AtomicUsize::new(0),
            per_write_us: AtomicU64::new(0),
        }
    }

    /// Takes a place in the queue; `None` when the write must be refused.
    fn admit(&self) -> Option<usize> {
        let n = self.in_flight.fetch_add(1, Ordering::AcqRel) + 1;
        let expected = (n as u64).saturating_mul(self.per_write_us.load(Ordering::Relaxed));
        // The first write in the queue is always admitted.
        if n > 1 && (n > self.max || expected > self.budget_us) {
            self.in_flight.fetch_sub(1, Ordering::AcqRel);
            return None;
        }
        Some(n)
    }

    /// Leaves the queue: `took` for a write admitted as the `n`-th.
    fn done(&self, n: usize, took: Duration) {
        self.in_flight.fetch_sub(1, Ordering::AcqRel);
        let sample = (took.as_micros() / n as u128).min(u128::from(u64::MAX)) as u64;
        let old = self.per_write_us.load(Ordering::Relaxed);
        let new = if old == 0 { sample } else { (old * 4 + sample) / 5 };
        self.per_write_us.store(new, Ordering::Relaxed);
    }
}

/// Reads and drops a body: at most `limit` bytes, for at most `within`.
async fn drain(mut body: axum::body::Body, limit: usize, within: Duration) {
    use http_body::Body as _;
    let read = async {
        let mut seen = 0;
        while let Some(Ok(frame)) = std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await {
            seen += frame.data_ref().map_or(0, |d| d.len());
            if seen > limit {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(within, read).await;
}

/// Admits a write through the [`WriteGate`] or answers 429 at once (reads pass).
async fn limit_writes(State(gate): State<Arc<WriteGate>>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    let Some(n) = gate.admit() else {
        // Read what the client is sending (briefly, within the largest body limit) so that it
        // gets the 429 rather than a connection reset.
        drain(req.into_body(), 2048 * KB + 64 * KB, Duration::from_secs(2)).await;
        return Problem::overloaded("too many writes at once; retry later").into_response();
    };
    // Leaves the queue also when the request is dropped (timeout, closed connection).
    struct Leave<'a>(&'a WriteGate, usize, Instant);
    impl Drop for Leave<'_> {
        fn drop(&mut self) {
            self.0.done(self.1, self.2.elapsed());
        }
    }
    let _leave = Leave(&gate, n, Instant::now());
    next.run(req).await
}

/// Gives each request an id (kept from `x-request-id` when sane), records metrics and a
/// log line without personal data (route template, status, latency).
async fn observe(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        .map_or_else(|| hex::encode(rand::random::<[u8; 8]>()), str::to_string);
    let route = req.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".to_string(), |m| m.as_str().to_string());
    let method = req.method().to_string();
    let started = Instant::now();
    let mut resp = REQUEST_ID.scope(id.clone(), async { as_problem(next.run(req).await).await }).await;
    let seconds = started.elapsed().as_secs_f64();
    let status = resp.status().as_u16();
    state.service.metrics.request(&method, &route, status, seconds);
    tracing::info!(request_id = %id, %method, %route, status, ms = seconds * 1000.0, "request");
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert("x-request-id", v);
    }
    resp
}

/// Every error answer as problem+json: an error response that is not one (a rejection of an
/// extractor or a layer that no handler mapped) becomes one, its text as the detail.
async fn as_problem(resp: Response) -> Response {
    let status = resp.status();
    let is_problem = resp.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if !(status.is_client_error() || status.is_server_error()) || is_problem {
        return resp;
    }
    let text = match axum::body::to_bytes(resp.into_body(), 16 * KB).await {
        Ok(bytes) => String::from_utf8_lossy(&bytes).trim().to_string(),
        Err(_) => String::new(),
    };
    let detail = if text.is_empty() { status.canonical_reason().unwrap_or("error").to_string() } else { text };
    if status.is_server_error() {
        return Problem { status, ..Problem::internal(&detail) }.into_response();
    }
    let code = match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "body_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        _ => "bad_request",
    };
    Problem::new(status, code, detail).into_response()
}

/// Scopes a route needs, as types: a handler takes `Caller<need::Admin>` and the key's scope
/// is checked with the key, before the body is read or validated.
pub mod need {
    use leadrank_store::Scope;

    /// A scope marker.
    pub trait Need: Send + Sync + 'static {
        const SCOPE: Scope;
    }

    /// The `read` scope.
    pub struct Read;
    /// The `ingest` scope.
    pub struct Ingest;
    /// The `sales` scope.
    pub struct Sales;
    /// The `admin` scope.
    pub struct Admin;

    impl Need for Read {
        const SCOPE: Scope = Scope::Read;
    }
    impl Need for Ingest {
        const SCOPE: Scope = Scope::Ingest;
    }
    impl Need for Sales {
        const SCOPE: Scope = Scope::Sales;
    }
    impl Need for Admin {
        const SCOPE: Scope = Scope::Admin;
    }
}

/// The API key of the request, checked and holding the scope `N` (else 401 or 403, before
/// any other part of the request is looked at).
pub struct Caller<N: need::Need>(pub ApiKey, PhantomData<N>);

impl<N: need::Need> Caller<N> {
    /// The key id, for the audit log.
    pub fn actor(&self) -> String {
        format!("key:{}", self.0.id)
    }
}

impl<N: need::Need> FromRequestParts<AppState> for Caller<N> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let unauthorized = |detail: &str| {
            let mut p = Problem::new(StatusCode::UNAUTHORIZED, "unauthorized", detail);
            p.pointer = Some("/headers/authorization".into());
            p
        };
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            return Err(unauthorized("an API key is required: Authorization: Bearer lr_..."));
        };
        // The scheme name is case-insensitive (RFC 9110).
        let presented = value
            .to_str()
            .ok()
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map_or("", |(_, key)| key.trim());
        let key = match state.service.authenticate(presented).await {
            Ok(Some(key)) => key,
            Ok(None) => return Err(unauthorized("the API key is unknown, malformed or revoked")),
            Err(e) => return Err(e.into()),
        };
        if !leadrank_service::keys::grants(&key, N::SCOPE) {
            return Err(Problem::new(StatusCode::FORBIDDEN, "forbidden", format!("this API key lacks the '{}' scope", N::SCOPE.as_str())));
        }
        Ok(Caller(key, PhantomData))
    }
}

/// A 200 answer with a view.
pub(crate) fn view(value: impl serde::Serialize) -> Response {
    (StatusCode::OK, axum::Json(value)).into_response()
}

/// A 200 JSON response.
pub(crate) fn json(value: serde_json::Value) -> Response {
    (StatusCode::OK, axum::Json(value)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_write_gate_admits_what_finishes_within_half_the_timeout() {
        let limits = Limits { write_concurrency: 8, timeout: Duration::from_secs(10), ..Limits::default() };
        let gate = WriteGate::new(&limits);
        // Nothing learnt yet: the count bounds the queue.
        let places: Vec<_> = (0..9).map(|_| gate.admit()).collect();
        assert_eq!(places.iter().filter(|p| p.is_some()).count(), 8);
        for n in places.into_iter().flatten().rev() {
            gate.done(n, Duration::from_secs(n as u64));
        }
        // One second per write: five fit in five seconds, a sixth does not.
        assert_eq!(gate.per_write_us.load(Ordering::Relaxed), 1_000_000);
        let admitted: Vec<_> = (0..6).map(|_| gate.admit()).collect();
        assert_eq!(admitted, [Some(1), Some(2), Some(3), Some(4), Some(5), None]);
        for n in admitted.into_iter().flatten() {
            gate.done(n, Duration::from_millis(10 * n as u64));
        }
        // Faster writes let more in again, up to the count.
        assert!(gate.per_write_us.load(Ordering::Relaxed) < 1_000_000);
        let slow = WriteGate::new(&Limits { timeout: Duration::from_millis(1), ..limits });
        let first = slow.admit().unwrap();
        slow.done(first, Duration::from_secs(1));
        assert_eq!(slow.admit(), Some(1), "the first write in the queue is always admitted");
        assert_eq!(slow.admit(), None);
    }
}
