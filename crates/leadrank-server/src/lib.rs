//! The HTTP adapter of the leadrank service: the API under `/v1` (JSON, problem+json errors,
//! API keys with scopes, limits), `/healthz`, `/readyz`, `/metrics` and `/openapi.json`.
//!
//! Handlers parse and check requests, call [`leadrank_service::Service`] and render its
//! answers as views; they never touch the store. [`serve`] starts the service, its
//! background tasks ([`leadrank_service::background`]) and the listener.

pub mod http;

use std::net::SocketAddr;
use std::sync::Arc;

use leadrank_service::background::{self, BackgroundOptions};
use leadrank_service::{Service, clock, demo, metrics};
use leadrank_store::Store;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

pub use http::{AppState, ForwardedKey, Limits, router};

/// How to run the server.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub addr: SocketAddr,
    pub limits: Limits,
    /// Deliver webhooks (off in some tests).
    pub webhooks: bool,
    /// Load this many generated demo leads into an empty database and create a demo key.
    pub demo_leads: Option<usize>,
    /// Allow webhook URLs on loopback and private networks (off: such URLs are refused when
    /// subscribing and at every delivery, names included).
    pub allow_private_webhooks: bool,
    /// Single sign-on for the web app (OpenID Connect), when set up.
    pub sso: Option<leadrank_web::sso::SsoConfig>,
    /// Alerts: the base of lead-page links and the SMTP server for email alerts.
    pub alerts: leadrank_service::alerts::AlertsConfig,
    /// The `[segment]` mapping of the Segment intake at /segment/v1 (`None`: the built-in
    /// `segment` preset).
    pub segment_mapping: Option<leadrank_mapping::segment::SegmentMapping>,
    /// CRM sources synced on their intervals (`--sync-config`); none: no scheduled sync.
    pub sync: Vec<Arc<leadrank_sync::schedule::Source>>,
}

/// What a started server tells its caller (printed by the CLI, never logged).
#[derive(Debug, Clone)]
pub struct Ready {
    pub addr: SocketAddr,
    pub leads: usize,
    /// A key created for the demo (admin scope), shown once.
    pub demo_key: Option<String>,
    /// Users of the web app created for the demo (one per role), passwords shown once.
    pub demo_users: Vec<demo::DemoUser>,
}

/// Starts the service on `store` and serves until `shutdown` is cancelled; then stops
/// accepting, finishes the requests in flight and commits everything queued.
pub async fn serve(
    store: Arc<dyn Store>,
    options: ServeOptions,
    shutdown: CancellationToken,
    on_ready: impl FnOnce(&Ready) + Send,
) -> anyhow::Result<()> {
    let listener = TcpListener::bind(options.addr).await.map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", options.addr))?;
    serve_on(listener, store, options, shutdown, on_ready).await
}

/// [`serve`] on a bound listener.
pub async fn serve_on(
    listener: TcpListener,
    store: Arc<dyn Store>,
    options: ServeOptions,
    shutdown: CancellationToken,
    on_ready: impl FnOnce(&Ready) + Send,
) -> anyhow::Result<()> {
    let started = start(store, &options, listener.local_addr()?, &shutdown).await?;
    tracing::info!(addr = %started.ready.addr, leads = started.ready.leads, "leadrank serving");
    on_ready(&started.ready);
    http::conn::serve(listener, started.app.clone(), &options.limits, shutdown.clone()).await;
    shutdown.cancel();
    started.stop().await;
    tracing::info!("leadrank stopped");
    Ok(())
}

/// A started service: the router that answers for it and the tasks that run beside it.
pub struct Started {
    /// Every route of the API and the web app, with its limits.
    pub app: axum::Router,
    pub ready: Ready,
    pub service: Arc<Service>,
    background: background::Background,
    sync: Option<leadrank_sync::schedule::Started>,
}

impl Started {
    /// Waits for the background tasks (after `shutdown` was cancelled) and commits
    /// everything queued.
    pub async fn stop(self) {
        self.service.shutdown().await;
        self.background.join().await;
        for task in self.sync.into_iter().flat_map(|s| s.tasks) {
            let _ = tokio::time::timeout(std::time::Duration::from_secs(5), task).await;
        }
    }
}

/// Starts the service on `store` (loading its state), its background tasks and scheduled
/// syncs, and builds the router; nothing listens yet. The tasks end when `shutdown` is
/// cancelled; then call [`Started::stop`].
pub async fn start(
    store: Arc<dyn Store>,
    options: &ServeOptions,
    addr: SocketAddr,
    shutdown: &CancellationToken,
) -> anyhow::Result<Started> {
    // The identity provider must answer before the server does: a broken setup is said at once.
    let sso = match options.sso.clone() {
        Some(config) => Some(Arc::new(leadrank_web::sso::Sso::discover(config).await?)),
        None => None,
    };
    let metrics = Arc::new(metrics::Metrics::new());
    // The demo plays its last weeks in time order on this clock; it reads the system clock
    // otherwise.
    let clock = Arc::new(clock::ReplayClock::over(Arc::new(clock::SystemClock)));
    let service = Service::start(store, clock.clone(), metrics).await?;
    let mut demo_key = None;
    let mut demo_users = Vec::new();
    if let Some(n) = options.demo_leads {
        demo::load(&service, &clock, n, 42).await?;
        let (_, secret) = service.create_key("demo", &[leadrank_store::Scope::Admin], "cli (serve --demo)").await?;
        demo_key = Some(secret);
        demo_users = demo::create_users(&service).await?;
    }
    let ready = Ready { addr, leads: service.live_read().book.lead_count(), demo_key, demo_users };
    service.set_alerts_config(options.alerts.clone());
    let background = background::spawn(
        &service,
        BackgroundOptions { webhooks: options.webhooks, allow_private_webhooks: options.allow_private_webhooks },
        shutdown,
    )?;
    let sync = if options.sync.is_empty() {
        None
    } else {
        Some(leadrank_sync::schedule::Scheduler::start(&service, options.sync.clone(), shutdown).await?)
    };
    let segment_mapping = options.segment_mapping.clone().unwrap_or_else(leadrank_mapping::segment::SegmentMapping::builtin);
    let segment = http::segment::SegmentSetup::new(segment_mapping, service.clone()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let state = AppState {
        segment: Some(Arc::new(segment)),
        hubspot_webhooks: options.sync.iter().find_map(|s| s.webhooks.clone()),
        service: service.clone(),
        webhook_stats: background.webhook_stats.clone(),
        allow_private_webhooks: options.allow_private_webhooks,
        sso,
    };
    let app = router(state, &options.limits);
    Ok(Started { app, ready, service, background, sync })
}
