//! The HTTP API (JSON under `/v1`, documented at `/openapi.json`).

mod admin;
mod alerts;
pub mod body;
pub mod conn;
pub mod crm_webhooks;
pub mod doc;
mod import;
mod ingest;
mod ops;
pub mod problem;
mod read;
pub mod records;
pub mod segment;
mod sync;
pub mod views;

use std::marker::PhantomData;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::error_handling::HandleErrorLayer;
use axum::extract::{DefaultBodyLimit, FromRequestParts, MatchedPath, Request, State};
use axum::handler::Handler;
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter};
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
    /// Single sign-on of the web app.
    pub sso: Option<Arc<leadrank_web::sso::Sso>>,
    /// The Segment intake (`/segment/v1`): its mapping and identity rules.
    pub segment: Option<Arc<segment::SegmentSetup>>,
    /// The HubSpot webhook intake of the scheduled HubSpot sync (`webhooks = true`).
    pub hubspot_webhooks: Option<Arc<leadrank_sync::webhooks::Intake>>,
}

/// Largest batch of records per request.
pub const MAX_BATCH: usize = 500;
const KB: usize = 1024;

/// Body limits per route, in bytes (413 beyond).
#[derive(Debug, Clone, Copy)]
pub struct BodyLimits {
    pub leads: usize,
    pub accounts: usize,
    /// Events and consent records.
    pub events: usize,
    /// Model and routing files.
    pub files: usize,
    pub team: usize,
    pub rep: usize,
    /// Every other route under /v1.
    pub default: usize,
}

impl BodyLimits {
    pub const ROUTES: BodyLimits = BodyLimits {
        leads: 2048 * KB,
        accounts: 1024 * KB,
        events: 512 * KB,
        files: 256 * KB,
        team: 64 * KB,
        rep: 16 * KB,
        default: 64 * KB,
    };
}

/// A router being built from annotated handlers: each handler is mounted at the path and
/// with the methods of its `#[utoipa::path]` (its `__path_*` type), and the mounted routes
/// are recorded so that a test can compare them with the OpenAPI document.
struct Mount {
    router: Router<AppState>,
    routes: Vec<(Method, String)>,
}

impl Mount {
    fn new() -> Self {
        Mount { router: Router::new(), routes: Vec::new() }
    }

    /// Mounts `handler` as the operation `P`.
    fn op<P: utoipa::Path, T: 'static>(self, handler: impl Handler<T, AppState>) -> Self {
        self.op_with::<P, T>(handler, |m| m)
    }

    /// Mounts `handler` as the operation `P`, with layers of its own (e.g. a body limit).
    fn op_with<P: utoipa::Path, T: 'static>(
        mut self,
        handler: impl Handler<T, AppState>,
        layers: impl FnOnce(MethodRouter<AppState>) -> MethodRouter<AppState>,
    ) -> Self {
        let path = P::path();
        let mut methods = MethodRouter::new();
        for m in P::methods() {
            let method = http_method(&m);
            let filter = MethodFilter::try_from(method.clone()).expect("every OpenAPI method is one axum routes");
            methods = methods.on(filter, handler.clone());
            self.routes.push((method, path.clone()));
        }
        self.router = self.router.route(&path, layers(methods));
        self
    }

    /// Adds the routes of `other` (with the layers it has).
    fn merge(mut self, other: Mount) -> Self {
        self.router = self.router.merge(other.router);
        self.routes.extend(other.routes);
        self
    }

    /// A layer over every route mounted so far.
    fn layer<L>(mut self, layer: L) -> Self
    where
        L: tower::Layer<axum::routing::Route> + Clone + Send + Sync + 'static,
        L::Service: tower::Service<Request> + Clone + Send + Sync + 'static,
        <L::Service as tower::Service<Request>>::Response: IntoResponse + 'static,
        <L::Service as tower::Service<Request>>::Error: Into<std::convert::Infallible> + 'static,
        <L::Service as tower::Service<Request>>::Future: Send + 'static,
    {
        self.router = self.router.layer(layer);
        self
    }
}

fn http_method(m: &utoipa::openapi::HttpMethod) -> Method {
    use utoipa::openapi::HttpMethod as H;
    match m {
        H::Get => Method::GET,
        H::Post => Method::POST,
        H::Put => Method::PUT,
        H::Delete => Method::DELETE,
        H::Options => Method::OPTIONS,
        H::Head => Method::HEAD,
        H::Patch => Method::PATCH,
        H::Trace => Method::TRACE,
    }
}

/// The routes: the API under /v1 (authenticated, write-gated), the open routes behind the
/// overload limits (/readyz, /openapi.json; the web app at / is merged beside them), and those that answer also when every request
/// slot is taken (/healthz, /metrics).
fn mounts(limits: &Limits) -> (Mount, Mount, Mount) {
    let l = BodyLimits::ROUTES;
    let limit = |bytes: usize| move |m: MethodRouter<AppState>| m.layer(DefaultBodyLimit::max(bytes));
    let v1 = Mount::new()
        .op_with::<ingest::__path_leads, _>(ingest::leads, limit(l.leads))
        .op::<read::__path_list_leads, _>(read::list_leads)
        .op::<read::__path_lead, _>(read::lead)
        .op::<read::__path_score, _>(read::score)
        .op::<read::__path_history, _>(read::history)
        .op::<ops::__path_lifecycle, _>(ops::lifecycle)
        .op::<ops::__path_accept, _>(ops::accept)
        .op::<ops::__path_reject, _>(ops::reject)
        .op::<ops::__path_move_stage, _>(ops::move_stage)
        .op::<ops::__path_reroute, _>(ops::reroute)
        .op::<ops::__path_set_item, _>(ops::set_item)
        .op::<ops::__path_list_teams, _>(ops::list_teams)
        .op_with::<ops::__path_put_team, _>(ops::put_team, limit(l.team))
        .op_with::<ops::__path_delete_team, _>(ops::delete_team, limit(l.team))
        .op::<ops::__path_list_reps, _>(ops::list_reps)
        .op_with::<ops::__path_put_rep, _>(ops::put_rep, limit(l.rep))
        .op_with::<ops::__path_delete_rep, _>(ops::delete_rep, limit(l.rep))
        .op_with::<ops::__path_get_routing, _>(ops::get_routing, limit(l.files))
        .op_with::<ops::__path_put_routing, _>(ops::put_routing, limit(l.files))
        .op::<ops::__path_funnel, _>(ops::funnel)
        .op::<ops::__path_routing_report, _>(ops::routing_report)
        .op::<ops::__path_sla_report, _>(ops::sla_report)
        .op::<ops::__path_stages_csv, _>(ops::stages_csv)
        .op_with::<ingest::__path_accounts, _>(ingest::accounts, limit(l.accounts))
        .op::<ops::__path_list_accounts, _>(ops::list_accounts)
        .op::<read::__path_account, _>(read::account)
        .op_with::<ingest::__path_events, _>(ingest::events, limit(l.events))
        .op_with::<ingest::__path_consents, _>(ingest::consents, limit(l.events))
        .op_with::<ingest::__path_outcomes, _>(ingest::outcomes, limit(l.accounts))
        .op::<ingest::__path_list_outcomes, _>(ingest::list_outcomes)
        .op_with::<admin::__path_upload_model, _>(admin::upload_model, limit(l.files))
        .op::<admin::__path_list_models, _>(admin::list_models)
        .op::<admin::__path_activation, _>(admin::activation)
        .op::<admin::__path_diff_models, _>(admin::diff_models)
        .op::<admin::__path_get_model, _>(admin::get_model)
        .op::<admin::__path_activate_model, _>(admin::activate_model)
        .op::<admin::__path_add_webhook, _>(admin::add_webhook)
        .op::<admin::__path_list_webhooks, _>(admin::list_webhooks)
        .op::<admin::__path_delete_webhook, _>(admin::delete_webhook)
        .op::<admin::__path_webhook_deliveries, _>(admin::webhook_deliveries)
        .op::<alerts::__path_add_alert_rule, _>(alerts::add_alert_rule)
        .op::<alerts::__path_list_alert_rules, _>(alerts::list_alert_rules)
        .op::<alerts::__path_delete_alert_rule, _>(alerts::delete_alert_rule)
        .op::<alerts::__path_alert_deliveries, _>(alerts::alert_deliveries)
        .op::<sync::__path_list_sync_sources, _>(sync::list_sync_sources)
        .op::<sync::__path_run_sync_source, _>(sync::run_sync_source)
        .op::<sync::__path_pause_sync_source, _>(sync::pause_sync_source)
        .op::<sync::__path_resume_sync_source, _>(sync::resume_sync_source)
        .op_with::<crm_webhooks::__path_hubspot_webhooks, _>(crm_webhooks::hubspot_webhooks, limit(crm_webhooks::MAX_BODY_BYTES))
        .op::<admin::__path_export, _>(admin::export)
        .op::<admin::__path_erase, _>(admin::erase)
        .op::<admin::__path_audit_log, _>(admin::audit_log)
        .op::<admin::__path_create_key, _>(admin::create_key)
        .op::<admin::__path_list_keys, _>(admin::list_keys)
        .op::<admin::__path_revoke_key, _>(admin::revoke_key)
        .op_with::<import::__path_import_csv, _>(import::import_csv, limit(import::MAX_IMPORT_BYTES))
        .op_with::<segment::__path_batch, _>(segment::batch, limit(segment::MAX_BATCH_BYTES))
        .op_with::<segment::__path_identify, _>(segment::identify, limit(segment::MAX_MESSAGE_BYTES))
        .op_with::<segment::__path_track, _>(segment::track, limit(segment::MAX_MESSAGE_BYTES))
        .op_with::<segment::__path_page, _>(segment::page, limit(segment::MAX_MESSAGE_BYTES))
        .op_with::<segment::__path_group, _>(segment::group, limit(segment::MAX_MESSAGE_BYTES))
        .layer(DefaultBodyLimit::max(l.default))
        .layer(middleware::from_fn_with_state(Arc::new(WriteGate::new(limits)), limit_writes));
    let open = Mount::new().op::<read::__path_ready, _>(read::ready).op::<read::__path_openapi, _>(read::openapi);
    let unlimited = Mount::new().op::<read::__path_healthz, _>(read::healthz).op::<read::__path_metrics, _>(read::metrics);
    (v1, open, unlimited)
}

/// Every (method, path) the router mounts, in mounting order.
pub fn mounted_routes() -> Vec<(Method, String)> {
    let (v1, open, unlimited) = mounts(&Limits::default());
    v1.merge(open).merge(unlimited).routes
}

/// The router with every route, limit and middleware.
pub fn router(state: AppState, limits: &Limits) -> Router {
    let (v1, open, unlimited) = mounts(limits);
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
    v1.router
        .merge(open.router)
        .merge(leadrank_web::router_with(
            state.service.clone(),
            state.sso.clone(),
            if state.allow_private_webhooks { leadrank_web::Targets::AllowPrivate } else { leadrank_web::Targets::PublicOnly },
        ))
        .fallback(|| async { Problem::not_found("route") })
        .method_not_allowed_fallback(|| async {
            Problem::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "this route does not take that method (see /openapi.json)")
        })
        .layer(overload)
        .merge(unlimited.router)
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
    let content_type = resp.headers().get(header::CONTENT_TYPE).map(|v| v.as_bytes());
    // Problem documents, and the web app's own error pages, go out as they are.
    let as_is = content_type.is_some_and(|v| v.starts_with(b"application/problem+json") || v.starts_with(b"text/html"));
    if !(status.is_client_error() || status.is_server_error()) || as_is {
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

/// An API key a cluster node took with a request it forwards through the write log: the
/// key's id and the SHA-256 of its secret (never the secret). Only the cluster adapter sets
/// it, as an extension of a request it replays; a request from the network cannot carry it.
#[derive(Debug, Clone)]
pub struct ForwardedKey {
    pub id: String,
    pub secret_hash: String,
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
        let checked = if let Some(forwarded) = parts.extensions.get::<ForwardedKey>() {
            state.service.authenticate_hashed(&forwarded.id, &forwarded.secret_hash).await
        } else {
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
            state.service.authenticate(presented).await
        };
        let key = match checked {
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
