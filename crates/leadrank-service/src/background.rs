//! The service's background work: rescoring as time windows move, detecting SLA breaches on
//! time (and warning before them), sending alert digests, and delivering webhooks. Started
//! once per process by [`spawn`].

use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::service::Service;

/// What to run besides the window sweeper and the SLA watcher.
#[derive(Debug, Clone, Copy)]
pub struct BackgroundOptions {
    /// Deliver webhooks.
    pub webhooks: bool,
    /// Allow webhook URLs on loopback and private networks.
    pub allow_private_webhooks: bool,
}

/// The running background tasks.
pub struct Background {
    pub tasks: Vec<JoinHandle<()>>,
    /// Dispatcher statistics, when webhooks are delivered.
    pub webhook_stats: Option<Arc<leadrank_webhooks::Stats>>,
}

impl Background {
    /// Waits (at most 5 s each) for the tasks to end after `shutdown` was cancelled.
    pub async fn join(self) {
        for t in self.tasks {
            let _ = tokio::time::timeout(Duration::from_secs(5), t).await;
        }
    }
}

/// Starts the window sweeper, the SLA watcher and (if asked) the webhook dispatcher; they stop
/// when `shutdown` is cancelled.
pub fn spawn(service: &Arc<Service>, options: BackgroundOptions, shutdown: &CancellationToken) -> anyhow::Result<Background> {
    let mut tasks = Vec::new();
    let mut webhook_stats = None;
    if options.webhooks {
        let config = leadrank_webhooks::DispatcherConfig {
            allow_private_targets: options.allow_private_webhooks,
            mail: service.alerts_config().mail,
            ..leadrank_webhooks::DispatcherConfig::default()
        };
        let dispatcher = leadrank_webhooks::Dispatcher::with_config(service.store.clone(), config).map_err(|e| anyhow::anyhow!("{e}"))?;
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
    Ok(Background { tasks, webhook_stats })
}

/// Rescores leads as their time windows move: wakes at the next timer (at most every
/// second, at least every 5 seconds).
async fn sweep_windows(service: Arc<Service>, shutdown: CancellationToken) {
    loop {
        let now = service.clock.now();
        service.sweep(now).await;
        let wait = service
            .next_timer()
            .map_or(Duration::from_secs(5), |t| Duration::from_secs_f64((t.as_second() - now.as_second()).clamp(1, 5) as f64));
        tokio::select! {
            () = shutdown.cancelled() => break,
            () = tokio::time::sleep(wait) => {}
        }
    }
}

/// Detects SLA breaches and sends `sla.warning`s on time, and sends alert digests at their
/// period's end: sleeps until the next of these (or until a clock changes) and does what is
/// due.
async fn watch_slas(service: Arc<Service>, shutdown: CancellationToken) {
    loop {
        let now = service.clock.now();
        service.sla_sweep(now);
        service.flush_digests(now);
        if let Err(e) = service.write_pending_digests().await {
            tracing::warn!(error = %e, "could not store the alerts waiting in digests; retried at the next round");
        }
        let next = match (service.next_sla_due(), service.next_digest_due()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let wait = next.map_or(Duration::from_secs(60), |t| {
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
