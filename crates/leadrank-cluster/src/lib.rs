//! Cluster mode of `leadrank serve`: several nodes share one PostgreSQL database and one NATS
//! server with JetStream, and serve as one.
//!
//! * **Ownership.** The work is one partition today ([`PARTITION`]); the node holding its
//!   lease ([`leadrank_store_postgres::lease`]) is the owner: it loads the service's state
//!   from PostgreSQL, runs the background tasks (SLA clocks, window timers, webhook and alert
//!   deliveries, scheduled syncs) and answers every request. Its store is fenced with the
//!   lease's token, so once another node takes over, none of its writes can commit.
//! * **Any node takes any request.** The other nodes are standbys: they forward each request
//!   to the owner ([`forward`]). Record writes (`POST /v1/events`, `/v1/leads`,
//!   `/v1/accounts`, `/v1/outcomes`, idempotent by their ids) go through a JetStream stream,
//!   durable and replayed to the next owner; every other request goes by NATS request-reply.
//!   The client's answer is the owner's, given after the owner committed and rescored.
//! * **Failover.** An owner renews its lease every `ttl / 5`; one that cannot for `ttl * 0.8`
//!   or finds it taken stops at once (exit code 75). A standby takes an expired lease, loads
//!   the state from PostgreSQL, and continues from the stream's unacknowledged writes.
//!
//! The owner node also serves its own clients directly, as a standalone server does.

mod forward;
pub mod frame;
mod owner;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use leadrank_server::ServeOptions;
use leadrank_store::Store;
use leadrank_store_postgres::PostgresStore;
use leadrank_store_postgres::lease::Fence;
use serde::Serialize;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

/// The one partition of this version: every lead, account and population fact is in it.
pub const PARTITION: i32 = 0;

/// The exit code of an owner that lost its lease (a supervisor restarts it as a standby).
pub const EXIT_LOST_LEASE: i32 = 75;

/// How a node joins its cluster.
#[derive(Debug, Clone)]
pub struct ClusterOptions {
    /// The NATS server (with JetStream), e.g. `nats://127.0.0.1:4222`.
    pub nats_url: String,
    /// The cluster's name: its NATS subjects and stream are named after it, so that several
    /// clusters can share one NATS server. Letters, digits, `-` and `_`.
    pub name: String,
    /// This node's id, unique in the cluster (shown in `/cluster` and the lease).
    pub node_id: String,
    /// How long a lease lasts without renewal: the takeover time after an owner dies is
    /// about this plus the time to load the state.
    pub lease_ttl: Duration,
}

impl ClusterOptions {
    /// Checks the name and id (they become NATS subjects and a stream name).
    pub fn check(&self) -> anyhow::Result<()> {
        let ok = |s: &str| !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !ok(&self.name) {
            bail!("--cluster-name {:?}: use 1 to 64 letters, digits, '-' or '_'", self.name);
        }
        if !ok(&self.node_id) {
            bail!("--node-id {:?}: use 1 to 64 letters, digits, '-' or '_'", self.node_id);
        }
        if self.lease_ttl < Duration::from_secs(1) {
            bail!("--lease-ttl must be at least 1 second");
        }
        Ok(())
    }

    fn subject(&self, what: &str) -> String {
        format!("leadrank.{}.{what}", self.name)
    }

    /// Record writes of the partition, in the stream.
    pub fn writes_subject(&self) -> String {
        self.subject(&format!("writes.{PARTITION}"))
    }

    /// Every other forwarded request (request-reply, not stored).
    pub fn requests_subject(&self) -> String {
        self.subject(&format!("requests.{PARTITION}"))
    }

    /// The JetStream stream of record writes.
    pub fn stream_name(&self) -> String {
        format!("LEADRANK_{}_WRITES", self.name.replace('-', "_").to_uppercase())
    }
}

/// What a node is now.
#[derive(Clone)]
enum Role {
    Standby,
    Owner { app: Router, token: i64 },
}

/// State every request handler of the node shares.
pub(crate) struct Node {
    options: ClusterOptions,
    store: Arc<PostgresStore>,
    nats: async_nats::Client,
    jetstream: async_nats::jetstream::Context,
    role: Mutex<Role>,
    /// The longest a forwarded request may wait for the owner's answer.
    timeout: Duration,
    /// Largest body forwarded (below NATS's max_payload, leaving room for the head).
    max_forward: usize,
}

impl Node {
    fn role(&self) -> Role {
        self.role.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// What `GET /cluster` answers on every node (without a key: no personal data in it).
#[derive(Debug, Serialize)]
struct ClusterStatus {
    cluster: String,
    node: String,
    role: &'static str,
    partition: i32,
    owner: Option<String>,
    token: Option<i64>,
    lease_expires_at: Option<String>,
    lease_expired: Option<bool>,
    /// Why the lease fields are empty when it could not be read (the database did not answer).
    #[serde(skip_serializing_if = "Option::is_none")]
    lease_error: Option<String>,
}

/// Runs one node on `listener` until `shutdown` is cancelled: standby at first, owner once it
/// holds the lease. `on_listening` is called once the node answers requests.
pub async fn run(
    listener: TcpListener,
    store: Arc<PostgresStore>,
    serve: ServeOptions,
    cluster: ClusterOptions,
    shutdown: CancellationToken,
    on_listening: impl FnOnce(SocketAddr) + Send,
) -> anyhow::Result<()> {
    cluster.check()?;
    let addr = listener.local_addr()?;
    let nats = async_nats::ConnectOptions::new()
        .name(format!("leadrank {}", cluster.node_id))
        .connect(&cluster.nats_url)
        .await
        .with_context(|| format!("--cluster {}: cannot connect to NATS", cluster.nats_url))?;
    let jetstream = async_nats::jetstream::new(nats.clone());
    owner::ensure_stream(&jetstream, &cluster).await?;
    let max_payload = nats.server_info().max_payload;
    let node = Arc::new(Node {
        max_forward: max_payload.saturating_sub(64 * 1024).max(64 * 1024),
        options: cluster.clone(),
        store: store.clone(),
        nats,
        jetstream,
        role: Mutex::new(Role::Standby),
        timeout: serve.limits.timeout,
    });
    let app = Router::new().fallback(handle).with_state(node.clone());
    let server = tokio::spawn({
        let limits = serve.limits.clone();
        let shutdown = shutdown.clone();
        async move { leadrank_server::http::conn::serve(listener, app, &limits, shutdown).await }
    });
    tracing::info!(node = %cluster.node_id, cluster = %cluster.name, %addr, "cluster node listening (standby until it holds the lease)");
    on_listening(addr);

    // Standby: try for the lease until it is ours or the node stops.
    let tick = cluster.lease_ttl / 5;
    let token = loop {
        if shutdown.is_cancelled() {
            let _ = server.await;
            return Ok(());
        }
        match store.try_acquire(PARTITION, &cluster.node_id, cluster.lease_ttl).await {
            Ok(Some(token)) => break token,
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "cannot read the partition lease; trying again"),
        }
        tokio::select! {
            _ = shutdown.cancelled() => {}
            _ = tokio::time::sleep(tick) => {}
        }
    };
    let took = Instant::now();
    // Keep the lease while the state loads; losing it stops the process.
    let renewer = tokio::spawn(keep_lease(store.clone(), token, cluster.lease_ttl, shutdown.clone()));
    store.fence_writes(Fence { partition: PARTITION, token })?;
    let started = leadrank_server::start(store.clone() as Arc<dyn Store>, &serve, addr, &shutdown).await?;
    *node.role.lock().unwrap_or_else(|e| e.into_inner()) = Role::Owner { app: started.app.clone(), token };
    tracing::info!(
        node = %cluster.node_id,
        token,
        leads = started.ready.leads,
        load_ms = took.elapsed().as_millis() as u64,
        "this node owns the partition now"
    );
    let tasks = owner::spawn(node.clone(), started.app.clone(), shutdown.clone()).await?;
    let _ = server.await;
    shutdown.cancel();
    for task in tasks {
        let _ = task.await;
    }
    started.stop().await;
    renewer.abort();
    // A clean stop hands the partition on at once.
    if let Err(e) = store.release(PARTITION, token).await {
        tracing::warn!(error = %e, "could not release the partition lease; it expires on its own");
    }
    tracing::info!("cluster node stopped");
    Ok(())
}

/// Renews the lease every `ttl / 5`; exits the process when it was taken or could not be
/// renewed for `ttl * 0.8` (then another node may hold it soon: nothing may be sent).
async fn keep_lease(store: Arc<PostgresStore>, token: i64, ttl: Duration, shutdown: CancellationToken) {
    let mut renewed = Instant::now();
    let deadline = ttl.mul_f64(0.8);
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(ttl / 5) => {}
        }
        // A process paused past its lease (SIGSTOP, a long GC-like stall) wakes here first.
        if renewed.elapsed() > deadline {
            lost(token, "the lease was not renewed in time");
        }
        match tokio::time::timeout(deadline.saturating_sub(renewed.elapsed()), store.renew(PARTITION, token, ttl)).await {
            Ok(Ok(true)) => renewed = Instant::now(),
            Ok(Ok(false)) => lost(token, "another node took the partition"),
            Ok(Err(e)) => tracing::warn!(error = %e, "cannot renew the partition lease; trying again"),
            Err(_) => tracing::warn!("renewing the partition lease timed out; trying again"),
        }
    }
}

fn lost(token: i64, why: &str) -> ! {
    tracing::error!(token, "lost the partition lease: {why}; stopping at once (its writes are fenced)");
    eprintln!("leadrank: lost the partition lease (token {token}): {why}; stopping");
    std::process::exit(EXIT_LOST_LEASE)
}

/// Every request: `/cluster` on this node, the rest to the owner's router (here or forwarded).
async fn handle(State(node): State<Arc<Node>>, req: Request) -> Response {
    if req.uri().path() == "/cluster" {
        return status(&node).await;
    }
    match node.role() {
        Role::Owner { app, .. } => match app.oneshot(req).await {
            Ok(resp) => resp,
            Err(never) => match never {},
        },
        Role::Standby if req.uri().path() == "/healthz" => (StatusCode::OK, "ok (standby)").into_response(),
        Role::Standby => forward::forward(&node, req).await,
    }
}

async fn status(node: &Node) -> Response {
    let (role, _) = match node.role() {
        Role::Owner { token, .. } => ("owner", Some(token)),
        Role::Standby => ("standby", None),
    };
    let (lease, lease_error) = match node.store.leases().await {
        Ok(leases) => (leases.into_iter().find(|l| l.partition == PARTITION), None),
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the partition lease");
            (None, Some(format!("cannot read the partition lease: {e}")))
        }
    };
    axum::Json(ClusterStatus {
        cluster: node.options.name.clone(),
        node: node.options.node_id.clone(),
        role,
        partition: PARTITION,
        owner: lease.as_ref().map(|l| l.owner.clone()),
        token: lease.as_ref().map(|l| l.token),
        lease_expires_at: lease.as_ref().map(|l| l.expires_at.to_string()),
        lease_expired: lease.as_ref().map(|l| l.expired),
        lease_error,
    })
    .into_response()
}
