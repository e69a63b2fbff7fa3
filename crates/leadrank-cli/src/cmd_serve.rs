//! `leadrank serve` and `leadrank keys`: the service and its API keys.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use leadrank_server::{Limits, ServeOptions};
use leadrank_service::keys;
use leadrank_store::Store;
use tokio_util::sync::CancellationToken;

/// Database options shared by `serve`, `keys` and `db`.
#[derive(Args, Clone)]
pub struct DbArg {
    /// SQLite file, or a postgres:// URL.
    #[arg(long, default_value = "./leadrank.db")]
    pub(crate) db: String,
    /// Key vault of a PostgreSQL database (required with a postgres:// URL): a file outside
    /// PostgreSQL holding one key per lead, with which that lead's personal data is
    /// encrypted; an erasure destroys the key. Made on first use with mode 0600. Back it up
    /// on a short rotation: losing it loses the personal data. See docs/privacy.md.
    #[arg(long, env = "LEADRANK_KEY_VAULT", value_name = "PATH")]
    pub(crate) key_vault: Option<std::path::PathBuf>,
}

#[derive(Args)]
pub struct ServeArgs {
    #[command(flatten)]
    db: DbArg,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Load generated demo data into an empty database and print an admin key and one user
    /// of the web app per role.
    #[arg(long)]
    demo: bool,
    /// Number of demo leads.
    #[arg(long, default_value_t = 2000)]
    demo_leads: usize,
    /// Requests handled at once before new ones get 429 (with Retry-After).
    #[arg(long, default_value_t = Limits::default().concurrency, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    max_concurrency: usize,
    /// Writes (POST, PUT, DELETE) handled or waiting at once before new ones get 429. Writes
    /// take turns on one lock: fewer are admitted when writes are slow, so that those
    /// admitted finish within half of --request-timeout.
    #[arg(long, default_value_t = Limits::default().write_concurrency, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    max_write_concurrency: usize,
    /// Longest a request may take, in seconds (then 503).
    #[arg(long, default_value_t = Limits::default().timeout.as_secs(), value_parser = clap::value_parser!(u64).range(1..))]
    request_timeout: u64,
    /// Open connections at most; a new connection beyond displaces the one idle longest.
    /// Keep it below the process's open-file limit (ulimit -n).
    #[arg(long, default_value_t = Limits::default().max_connections, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    max_connections: usize,
    /// Longest a client may take to send a request's headers, in seconds (then the
    /// connection is closed).
    #[arg(long, default_value_t = Limits::default().header_read_timeout.as_secs(), value_parser = clap::value_parser!(u64).range(1..))]
    header_read_timeout: u64,
    /// Longest a kept-alive connection may wait for its next request, in seconds.
    #[arg(long, default_value_t = Limits::default().idle_timeout.as_secs(), value_parser = clap::value_parser!(u64).range(1..))]
    idle_timeout: u64,
    /// Allow webhook URLs on loopback and private networks (a receiver on this machine or
    /// your LAN). Off by default: subscribers cannot point the service at internal hosts.
    #[arg(long)]
    allow_private_webhooks: bool,
    /// Mapping file (or built-in mapping) whose [segment] section maps the Segment intake's
    /// calls (/segment/v1) to leads, events and accounts; default: the built-in `segment`.
    #[arg(long, value_name = "FILE")]
    segment_mapping: Option<String>,
    /// A sync file whose CRM sources run on their `interval` inside the server (see
    /// docs/crm-sync.md); repeat for several files, one per CRM.
    #[arg(long, value_name = "FILE")]
    sync_config: Vec<std::path::PathBuf>,
    #[command(flatten)]
    sso: SsoArgs,
    #[command(flatten)]
    alerts: AlertArgs,
    #[command(flatten)]
    cluster: ClusterArgs,
}

/// Cluster mode: several nodes serve as one (see docs/cluster.md).
#[derive(Args)]
pub struct ClusterArgs {
    /// Run as a node of a cluster whose nodes meet on this NATS server (with JetStream), e.g.
    /// nats://127.0.0.1:4222 (with credentials: nats://user:password@host:4222, best from
    /// the environment). Every node needs the same postgres:// --db and --key-vault.
    #[arg(long, env = "LEADRANK_CLUSTER", value_name = "NATS_URL", hide_env_values = true)]
    cluster: Option<String>,
    /// The cluster's name (its NATS subjects and stream), so that clusters can share a NATS
    /// server: letters, digits, '-' and '_'.
    #[arg(long, default_value = "leadrank", value_name = "NAME")]
    cluster_name: String,
    /// This node's id in the cluster; default: the host name and process id.
    #[arg(long, value_name = "ID")]
    node_id: Option<String>,
    /// Seconds a node's lease on the partition lasts without renewal: after an owner dies,
    /// another node takes over within about this plus the time to load the state.
    #[arg(long, default_value_t = 5, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=300))]
    lease_ttl: u64,
}

impl ClusterArgs {
    fn options(&self) -> Option<leadrank_cluster::ClusterOptions> {
        let nats_url = self.cluster.clone()?;
        let node_id = self.node_id.clone().unwrap_or_else(|| {
            let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
            let host: String = host.trim().chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').take(40).collect();
            format!("{}-{}", if host.is_empty() { "node" } else { &host }, std::process::id())
        });
        Some(leadrank_cluster::ClusterOptions {
            nats_url,
            name: self.cluster_name.clone(),
            node_id,
            lease_ttl: Duration::from_secs(self.lease_ttl),
        })
    }
}

/// Alerts to Slack, Teams and email (rules are created with `POST /v1/alerts`).
#[derive(Args)]
pub struct AlertArgs {
    /// This server's public base URL, for the lead-page links in alerts
    /// (`{URL}/leads/{id}`); without it alerts name the lead id only.
    #[arg(long, env = "LEADRANK_PUBLIC_URL", value_name = "URL")]
    public_url: Option<String>,
    /// The SMTP server for email alerts: smtp://host:port (plain), smtp://host:587?tls=required
    /// (STARTTLS) or smtps://host:465, with optional user:password@ (prefer the environment
    /// variable then, so the password is in no process list).
    #[arg(long, env = "LEADRANK_SMTP_URL", value_name = "URL", hide_env_values = true)]
    smtp_url: Option<String>,
    /// The From address of email alerts.
    #[arg(long, env = "LEADRANK_SMTP_FROM", value_name = "ADDRESS", default_value = "leadrank <leadrank@localhost>")]
    smtp_from: String,
}

impl AlertArgs {
    fn config(&self) -> anyhow::Result<leadrank_service::alerts::AlertsConfig> {
        let public_url = match &self.public_url {
            None => None,
            Some(u) => {
                let rest = u.strip_prefix("https://").or_else(|| u.strip_prefix("http://"));
                if rest.is_none_or(|r| r.is_empty() || r.starts_with('/')) || u.chars().any(|c| c.is_whitespace() || c.is_control()) {
                    bail!("--public-url {u}: expected an http:// or https:// URL");
                }
                Some(u.trim_end_matches('/').to_string())
            }
        };
        let mail = self.smtp_url.as_ref().map(|url| leadrank_webhooks::mail::MailConfig { url: url.clone(), from: self.smtp_from.clone() });
        if let Some(m) = &mail {
            // Say a bad URL or From address now, not at the first alert.
            leadrank_webhooks::mail::Mailer::new(m, Duration::from_secs(10))
                .map_err(|e| anyhow::anyhow!("--smtp-url / --smtp-from: {e}"))?;
        }
        Ok(leadrank_service::alerts::AlertsConfig { public_url, mail })
    }
}

/// Single sign-on for the web app with OpenID Connect (authorization code with PKCE).
#[derive(Args)]
pub struct SsoArgs {
    /// The identity provider's issuer URL; turns single sign-on on (with the three below).
    #[arg(long, env = "LEADRANK_OIDC_ISSUER", value_name = "URL")]
    oidc_issuer: Option<String>,
    /// This server's client id at the provider.
    #[arg(long, env = "LEADRANK_OIDC_CLIENT_ID", value_name = "ID")]
    oidc_client_id: Option<String>,
    /// A file holding the client secret (first line), so that it is in no process list.
    #[arg(long, env = "LEADRANK_OIDC_CLIENT_SECRET_FILE", value_name = "PATH")]
    oidc_client_secret_file: Option<std::path::PathBuf>,
    /// The callback registered with the provider: this server's public URL followed by
    /// /login/sso/callback.
    #[arg(long, env = "LEADRANK_OIDC_REDIRECT_URL", value_name = "URL")]
    oidc_redirect_url: Option<String>,
    /// The ID token claim naming the user's role: rep, manager, revops or admin.
    #[arg(long, default_value = "leadrank_role", value_name = "CLAIM")]
    oidc_role_claim: String,
    /// The ID token claim naming the username.
    #[arg(long, default_value = "preferred_username", value_name = "CLAIM")]
    oidc_username_claim: String,
}

impl SsoArgs {
    fn config(&self) -> anyhow::Result<Option<leadrank_web::sso::SsoConfig>> {
        let Some(issuer) = &self.oidc_issuer else {
            if self.oidc_client_id.is_some() || self.oidc_client_secret_file.is_some() || self.oidc_redirect_url.is_some() {
                bail!("--oidc-client-id, --oidc-client-secret-file and --oidc-redirect-url need --oidc-issuer");
            }
            return Ok(None);
        };
        let need = |v: &Option<String>, flag: &str| v.clone().ok_or_else(|| anyhow::anyhow!("--oidc-issuer needs {flag} too"));
        let client_id = need(&self.oidc_client_id, "--oidc-client-id")?;
        let redirect_url = need(&self.oidc_redirect_url, "--oidc-redirect-url")?;
        let path =
            self.oidc_client_secret_file.as_ref().ok_or_else(|| anyhow::anyhow!("--oidc-issuer needs --oidc-client-secret-file too"))?;
        let text = std::fs::read_to_string(path).with_context(|| format!("--oidc-client-secret-file {}", path.display()))?;
        let client_secret = text.lines().next().unwrap_or("").trim().to_string();
        if client_secret.is_empty() {
            bail!("--oidc-client-secret-file {}: the first line is empty", path.display());
        }
        Ok(Some(leadrank_web::sso::SsoConfig {
            issuer: issuer.clone(),
            client_id,
            client_secret,
            redirect_url,
            role_claim: self.oidc_role_claim.clone(),
            username_claim: self.oidc_username_claim.clone(),
        }))
    }
}

#[derive(Subcommand)]
pub enum KeysCommand {
    /// Create an API key; it is shown once and stored hashed.
    Create {
        #[command(flatten)]
        db: DbArg,
        /// A name to recognise the key by.
        #[arg(long)]
        name: String,
        /// Comma-separated scopes: ingest (send records), read (scores and reports), sales
        /// (lifecycle actions: accept, reject, stage moves, checklists, re-routing), admin
        /// (everything, including keys, models and erasure).
        #[arg(long)]
        scopes: String,
        /// Bind the key to a user of the web app: in lifecycle actions it acts as that user,
        /// on the leads the user may act on (a rep: their own; a manager: their teams'), and
        /// a `by` it sends must be someone that user may act for. A key bound to no user
        /// may name only reps of the directory in `by`.
        #[arg(long, value_name = "USERNAME")]
        user: Option<String>,
    },
    /// List keys (never their secrets).
    List {
        #[command(flatten)]
        db: DbArg,
    },
    /// Revoke a key by id.
    Revoke {
        #[command(flatten)]
        db: DbArg,
        id: String,
    },
}

/// Opens the store named by `--db` and migrates it (a newer database is refused),
/// reporting on stderr what the upgrade did.
pub(crate) async fn open_store(db: &DbArg) -> anyhow::Result<Arc<dyn Store>> {
    let opened = crate::cmd_db::open(db, crate::cmd_db::Create::IfMissing).await?;
    let (up, lines) = opened.migrate().await?;
    if !up.applied.is_empty() {
        eprintln!("{}", crate::cmd_db::upgrade_summary(&up));
    }
    for line in lines {
        eprintln!("{line}");
    }
    Ok(opened.store())
}

pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the async runtime")
}

/// Runs the server until Ctrl-C or SIGTERM.
pub fn serve(args: &ServeArgs) -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    // Sync files are checked before anything starts: a bad one is said at once.
    let mut sync = Vec::new();
    for file in &args.sync_config {
        sync.extend(leadrank_sync::schedule::sources_from_file(file)?.into_iter().map(Arc::new));
    }
    leadrank_sync::schedule::check_unique(&sync)?;
    let cluster = args.cluster.options();
    if let Some(c) = &cluster {
        c.check()?;
        if !crate::cmd_db::is_postgres(&args.db.db) {
            bail!("--cluster needs a postgres:// --db that every node shares (SQLite is one machine's file)");
        }
        if args.demo {
            bail!("--demo runs a single server; leave out --cluster");
        }
    }
    runtime()?.block_on(async {
        let shutdown = CancellationToken::new();
        let stop = shutdown.clone();
        tokio::spawn(async move {
            wait_for_signal().await;
            stop.cancel();
        });
        let options = ServeOptions {
            addr: args.addr,
            limits: Limits {
                concurrency: args.max_concurrency,
                write_concurrency: args.max_write_concurrency,
                timeout: Duration::from_secs(args.request_timeout),
                max_connections: args.max_connections,
                header_read_timeout: Duration::from_secs(args.header_read_timeout),
                idle_timeout: Duration::from_secs(args.idle_timeout),
            },
            webhooks: true,
            demo_leads: args.demo.then_some(args.demo_leads),
            allow_private_webhooks: args.allow_private_webhooks,
            sso: args.sso.config()?,
            alerts: args.alerts.config()?,
            segment_mapping: match &args.segment_mapping {
                Some(name) => Some(crate::input_args::load_mapping(name)?.segment.ok_or_else(|| {
                    anyhow::anyhow!("{name} has no [segment] section (see docs/segment.md); the Segment intake needs one")
                })?),
                None => None,
            },
            sync,
        };
        if let Some(cluster) = cluster {
            let opened = crate::cmd_db::open(&args.db, crate::cmd_db::Create::IfMissing).await?;
            let (up, lines) = opened.migrate().await?;
            if !up.applied.is_empty() {
                eprintln!("{}", crate::cmd_db::upgrade_summary(&up));
            }
            for line in lines {
                eprintln!("{line}");
            }
            let crate::cmd_db::Opened::Postgres(store) = opened else { bail!("--cluster needs a postgres:// --db") };
            let listener =
                tokio::net::TcpListener::bind(args.addr).await.map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", args.addr))?;
            let (node, name) = (cluster.node_id.clone(), cluster.name.clone());
            return leadrank_cluster::run(listener, store, options, cluster, shutdown, |addr| {
                println!("leadrank node {node} of cluster {name} listening on http://{addr} (GET /cluster tells its role)");
            })
            .await;
        }
        let store = open_store(&args.db).await?;
        leadrank_server::serve(store, options, shutdown, |ready| {
            println!("leadrank listening on http://{} with {} leads", ready.addr, ready.leads);
            if let Some(key) = &ready.demo_key {
                println!("demo admin key (shown once): {key}");
                println!("try: curl -H 'Authorization: Bearer {key}' 'http://{}/v1/leads?quality=true&limit=10'", ready.addr);
                println!(
                    "     curl -H 'Authorization: Bearer {key}' 'http://{}/v1/leads?stage=mql&limit=10'   # routed, with reps",
                    ready.addr
                );
                println!("     curl -H 'Authorization: Bearer {key}' 'http://{}/v1/reports/funnel'", ready.addr);
            }
            if !ready.demo_users.is_empty() {
                println!("web app: open http://{}/ and sign in as one of (passwords shown once):", ready.addr);
                for u in &ready.demo_users {
                    println!("  {:<8} {:<8} {}  ({})", u.role.as_str(), u.username, u.password, u.scope);
                }
            }
        })
        .await
    })
}

async fn wait_for_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => {
                let _ = ctrl_c.await;
                return;
            }
        };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

/// `leadrank keys ...`.
pub fn keys_command(cmd: &KeysCommand) -> anyhow::Result<()> {
    runtime()?.block_on(async {
        match cmd {
            KeysCommand::Create { db, name, scopes, user } => {
                let scopes = keys::parse_scopes(scopes).map_err(|e| anyhow::anyhow!("--scopes: {e}"))?;
                if name.trim().is_empty() {
                    bail!("--name: give the key a name");
                }
                let store = open_store(db).await?;
                let now = jiff::Timestamp::now();
                let (key, secret) = keys::create(store.as_ref(), name.trim(), &scopes, now).await?;
                let list: Vec<&str> = key.scopes.iter().map(|s| s.as_str()).collect();
                store
                    .audit(&leadrank_store::AuditEntry {
                        at: now,
                        actor: "cli".into(),
                        action: "key.create".into(),
                        detail: format!("{} ({})", key.id, list.join(",")),
                    })
                    .await?;
                if let Some(username) = user
                    && let Err(e) = leadrank_service::access::bind_key(store.as_ref(), &key.id, username, now).await
                {
                    // The key must not exist without the binding asked for.
                    store.revoke_key(&key.id, now).await?;
                    bail!("--user: {e}; the key was revoked");
                }
                if let Some(username) = user {
                    let detail = format!("{} -> user {username}", key.id);
                    store.audit(&leadrank_store::AuditEntry { at: now, actor: "cli".into(), action: "key.bind".into(), detail }).await?;
                }
                println!("{secret}");
                eprintln!("key {} ({}) created; it is shown once, store it now", key.id, list.join(","));
            }
            KeysCommand::List { db } => {
                let store = open_store(db).await?;
                for k in store.keys().await? {
                    let scopes: Vec<&str> = k.scopes.iter().map(|s| s.as_str()).collect();
                    let revoked = k.revoked_at.map_or(String::new(), |t| format!(" revoked {t}"));
                    println!("{}\t{}\t{}\t{}{revoked}", k.id, k.name, scopes.join(","), k.created_at);
                }
            }
            KeysCommand::Revoke { db, id } => {
                let store = open_store(db).await?;
                let now = jiff::Timestamp::now();
                store.revoke_key(id, now).await.with_context(|| format!("revoking key {id}"))?;
                store
                    .audit(&leadrank_store::AuditEntry { at: now, actor: "cli".into(), action: "key.revoke".into(), detail: id.clone() })
                    .await?;
                eprintln!("key {id} revoked");
            }
        }
        Ok(())
    })
}
