//! The leadrank service: real-time scoring over HTTP.
//!
//! * [`service`]: the state and operations (ingest, rescoring, windows, models, erasure),
//!   independent of HTTP;
//! * [`ops`], [`ops_admin`]: lifecycle stages, sales acceptance, checklists, routing and SLA
//!   clocks, the sales directory and the operating reports; [`accounts`]: account scores;
//! * [`http`]: the API under `/v1` (JSON, problem+json errors, API keys with scopes);
//! * [`writer`]: the background writer of score history and webhook deliveries;
//! * [`keys`], [`privacy`], [`metrics`], [`clock`]: API keys, erasure markers, Prometheus
//!   metrics and the replaceable clock;
//! * [`demo`]: generated demo data for `leadrank serve --demo`.
//!
//! Storage is a [`leadrank_store::Store`] (SQLite or PostgreSQL), webhook delivery is
//! [`leadrank_webhooks`].

pub mod accounts;
pub mod clock;
pub mod demo;
pub mod http;
pub mod keys;
pub mod metrics;
pub mod ops;
pub mod ops_admin;
pub mod privacy;
pub mod service;
mod writer;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use leadrank_store::Store;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

pub use http::{AppState, Limits, router};
pub use service::Service;

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
}

/// What a started server tells its caller (printed by the CLI, never logged).
#[derive(Debug, Clone)]
pub struct Ready {
    pub addr: SocketAddr,
    pub leads: usize,
    /// A key created for the demo (admin scope), shown once.
    pub demo_key: Option<String>,
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
    let metrics = Arc::new(metrics::Metrics::new());
    let service = Service::start(store.clone(), Arc::new(clock::SystemClock), metrics).await?;
    let mut demo_key = None;
    if let Some(n) = options.demo_leads {
        demo::load(&service, n, 42).await?;
        let (key, secret) = keys::create(store.as_ref(), "demo", &[leadrank_store::Scope::Admin], service.clock.now()).await?;
        service.audit("cli", "key.create", &format!("{} (admin, serve --demo)", key.id)).await?;
        demo_key = Some(secret);
    }
    let ready = Ready { addr: listener.local_addr()?, leads: service.live_read().book.lead_count(), demo_key };
    let mut webhook_stats = None;
    let mut tasks = Vec::new();
    if options.webhooks {
        let config = leadrank_webhooks::DispatcherConfig {
            allow_private_targets: options.allow_private_webhooks,
            ..leadrank_webhooks::DispatcherConfig::default()
        };
        let dispatcher = leadrank_webhooks::Dispatcher::with_config(store.clone(), config).map_err(|e| anyhow::anyhow!("{e}"))?;
        webhook_stats = Some(dispatcher.stats());
        let wakeup = dispatcher.wakeup();
        let notify = service.webhook_wakeup.clone();
        let stop = shutdown.clone();
        tasks.push(tokio::spawn(async move {
            loop {
                tokio::select! {
                    () = stop.cancelled() => break,
                    () = notify.notified() => wakeup.wake(),
                }
            }
        }));
        tasks.push(tokio::spawn(dispatcher.run(shutdown.clone())));
    }
    tasks.push(tokio::spawn(sweep_windows(service.clone(), shutdown.clone())));
    tasks.push(tokio::spawn(watch_slas(service.clone(), shutdown.clone())));
    let state = AppState { service: service.clone(), webhook_stats, allow_private_webhooks: options.allow_private_webhooks };
    let app = router(state, &options.limits);
    tracing::info!(addr = %ready.addr, leads = ready.leads, "leadrank serving");
    on_ready(&ready);
    http::conn::serve(listener, app, &options.limits, shutdown.clone()).await;
    shutdown.cancel();
    service.shutdown().await;
    for t in tasks {
        let _ = tokio::time::timeout(Duration::from_secs(5), t).await;
    }
    tracing::info!("leadrank stopped");
    Ok(())
}

/// Rescores leads as their time windows move: wakes at the next timer (at most every
/// second, at least every 5 seconds).
async fn sweep_windows(service: Arc<Service>, shutdown: CancellationToken) {
    loop {
        let now = service.clock.now();
        service.sweep(now);
        let wait = service
            .next_timer()
            .map_or(Duration::from_secs(5), |t| Duration::from_secs_f64((t.as_second() - now.as_second()).clamp(1, 5) as f64));
        tokio::select! {
            () = shutdown.cancelled() => break,
            () = tokio::time::sleep(wait) => {}
        }
    }
}

/// Detects SLA breaches on time: sleeps until the next deadline (or until a clock changes)
/// and checks the clocks due.
async fn watch_slas(service: Arc<Service>, shutdown: CancellationToken) {
    loop {
        let now = service.clock.now();
        service.sla_sweep(now);
        let wait = service.next_sla_due().map_or(Duration::from_secs(60), |t| {
            let ms = t.as_millisecond() - service.clock.now().as_millisecond();
            Duration::from_millis(ms.clamp(0, 60_000) as u64)
        });
        tokio::select! {
            () = shutdown.cancelled() => break,
            () = service.ops_wakeup.notified() => {}
            () = tokio::time::sleep(wait) => {}
        }
    }
}
