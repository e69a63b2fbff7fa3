//! The scheduled sync inside `leadrank serve --sync-config`: one task per source runs the
//! source's connector on its interval through the server's own [`Service`] (no second
//! database connection), one run at a time, and keeps its status.
//!
//! * When a source is due is decided by [`leadrank_crm::schedule`] (pure, on times passed in).
//! * A source's last run (times, failures in a row, counts, error) is stored in directory
//!   records of kind [`RUNS_KIND`], its pause in `crm.schedule.paused` (by the service), so a
//!   restart keeps the schedule and the pause.
//! * Connectors plug in through [`Connector`]: a variant and two match arms.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use jiff::Timestamp;
use leadrank_crm::config::{HubSpotConfig, SyncConfig};
use leadrank_crm::schedule::{LastRun, next_run};
use leadrank_service::sync_schedule::{SyncRunSummary, SyncScheduler, SyncSourceStatus, SyncState};
use leadrank_service::{Service, ServiceError};
use serde::{Deserialize, Serialize};
use tokio::sync::Notify;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::Token;
use crate::client::{ClientCredentials, ClientOptions, CrmClient, HubSpotClient, SyncError};
use crate::hubspot::{self, Plan, SyncOptions, SyncReport};
use crate::salesforce;

/// The directory kind of the stored last runs (one record per source).
pub const RUNS_KIND: &str = "crm.schedule.runs";
/// The longest an error message is kept, in characters.
const ERROR_CHARS: usize = 500;
/// The longest a source's task sleeps before it looks at the clock again.
const MAX_SLEEP: Duration = Duration::from_secs(60);

/// A CRM connector the scheduler can run.
pub enum Connector {
    HubSpot { plan: Box<Plan>, client: HubSpotClient },
    Salesforce { plan: Box<salesforce::Plan>, client: CrmClient },
}

impl Connector {
    /// The connector's name, which is also the source's name (`hubspot`).
    pub fn name(&self) -> &'static str {
        match self {
            Connector::HubSpot { .. } => "hubspot",
            Connector::Salesforce { .. } => "salesforce",
        }
    }

    /// One run: its counts, or why it failed.
    async fn run(&self, service: &Service) -> Result<SyncRunSummary, SyncError> {
        // HubSpot: missing properties are created at each run (one read of the property
        // list when they all exist), so a scheduled source works without a manual install
        // first. Salesforce: the fields are checked (two describe calls); while one is
        // missing the run reads but writes nothing back, and its summary says why.
        let options = SyncOptions { dry_run: false, install_fields: true, actor: format!("sync:{}", self.name()) };
        match self {
            Connector::HubSpot { plan, client } => {
                let before = client.stats().calls.total();
                let report = hubspot::sync(service, plan, client, &options).await?;
                Ok(summary(&report, report.stats.calls.total().saturating_sub(before)))
            }
            Connector::Salesforce { plan, client } => {
                let before = client.stats().calls.total();
                let mut report = salesforce::sync(service, plan, client, &options).await?;
                if !report.missing_fields.is_empty() && report.stopped.is_none() {
                    report.stopped = Some(format!(
                        "nothing written back: Salesforce lacks {} (see `leadrank sync salesforce --install-fields`)",
                        report.missing_fields.join(", ")
                    ));
                }
                Ok(summary(&report, report.stats.calls.total().saturating_sub(before)))
            }
        }
    }
}

/// A run's counts (no ids, no values).
fn summary(r: &SyncReport, calls: u64) -> SyncRunSummary {
    let sum = |f: fn(&hubspot::ReadReport) -> u64| -> u64 { r.reads.iter().map(f).sum() };
    SyncRunSummary {
        read: sum(|x| x.read),
        created: sum(|x| x.created),
        updated: sum(|x| x.updated),
        unchanged: sum(|x| x.unchanged),
        rejected: sum(|x| x.rejected.len() as u64),
        records_written: r.records_written,
        fields_written: r.fields_written,
        write_failures: r.failed.len() as u64,
        calls,
        stopped: r.stopped.clone(),
    }
}

/// The HubSpot token named by the sync file: `token_file` (relative to the file) or the
/// environment variable `token_env`.
pub fn hubspot_token(h: &HubSpotConfig, config_dir: &Path) -> anyhow::Result<Token> {
    read_token("hubspot.token_file", h.token_file.as_ref(), &h.token_env, "the HubSpot private app's access token", config_dir)
}

/// A secret from a file (`file`, relative to the sync file) or the environment variable
/// `env`; `file_key` names the sync file's key for the file (`hubspot.token_file`) and
/// `what` the secret, in errors. The secret itself is never in a message.
pub fn read_token(file_key: &str, file: Option<&String>, env: &str, what: &str, config_dir: &Path) -> anyhow::Result<Token> {
    if let Some(file) = file {
        let p = config_dir.join(file);
        let text = std::fs::read_to_string(&p).with_context(|| format!("{file_key}: reading {}", p.display()))?;
        return Token::new(text).with_context(|| format!("{file_key}: {} is empty", p.display()));
    }
    match std::env::var(env) {
        Ok(v) => Token::new(v).with_context(|| format!("the environment variable {env} is empty")),
        Err(_) => anyhow::bail!("no secret: set the environment variable {env} to {what}, or name a file with {file_key}"),
    }
}

/// A client for the sync file's HubSpot settings.
pub fn hubspot_client(h: &HubSpotConfig, config_dir: &Path) -> anyhow::Result<HubSpotClient> {
    let token = hubspot_token(h, config_dir)?;
    let mut options = ClientOptions::hubspot(h.tier);
    options.share = h.share;
    options.utc_offset_minutes = h.utc_offset_minutes;
    options.timeout = Duration::from_secs(h.timeout_s);
    options.max_retries = h.max_retries;
    HubSpotClient::new(&h.base_url, token, options)
}

/// A client for the sync file's Salesforce settings: an access token, OAuth client
/// credentials (the secret read now; tokens asked for by the client), or the JWT bearer flow
/// (the private key read now).
pub fn salesforce_client(plan: &salesforce::Plan, config_dir: &Path) -> anyhow::Result<CrmClient> {
    let s = &plan.salesforce;
    if let Some(j) = &s.jwt_bearer {
        let path = config_dir.join(&j.private_key_file);
        let pem = std::fs::read_to_string(&path).with_context(|| format!("salesforce.private_key_file: reading {}", path.display()))?;
        let key =
            crate::jwt::JwtKey::from_pem(&pem).map_err(|e| anyhow::anyhow!("salesforce.private_key_file: {}: {e}", path.display()))?;
        let jwt =
            crate::jwt::JwtBearer { login_url: j.login_url.clone(), client_id: j.client_id.clone(), username: j.username.clone(), key };
        return CrmClient::with_jwt_bearer(&s.instance_url, jwt, plan.client_options());
    }
    if let Some(cc) = &s.client_credentials {
        let client_secret = read_token(
            "salesforce.client_secret_file",
            cc.secret_file.as_ref(),
            &cc.secret_env,
            "the connected app's consumer secret",
            config_dir,
        )?;
        let credentials = ClientCredentials {
            token_url: format!("{}/services/oauth2/token", s.instance_url),
            client_id: cc.client_id.clone(),
            client_secret,
        };
        return CrmClient::with_client_credentials(&s.instance_url, credentials, plan.client_options());
    }
    let token = read_token(
        "salesforce.token_file",
        s.token_file.as_ref(),
        &s.token_env,
        "an access token of the org (instance_url's)",
        config_dir,
    )?;
    CrmClient::new(&s.instance_url, token, plan.client_options())
}

/// One scheduled source.
pub struct Source {
    /// The sync file it was read from (for people).
    pub file: String,
    pub interval: Duration,
    pub connector: Connector,
    /// HubSpot webhooks (`webhooks = true`): the intake the server mounts.
    pub webhooks: Option<Arc<crate::webhooks::Intake>>,
}

/// The webhook intake of a HubSpot plan with `webhooks = true` (the app's client secret read
/// now from `client_secret_file` or `client_secret_env`); none otherwise.
pub fn hubspot_intake(plan: &Plan, config_dir: &Path) -> anyhow::Result<Option<Arc<crate::webhooks::Intake>>> {
    let Some(w) = &plan.hubspot.webhooks else { return Ok(None) };
    let secret = read_token(
        "hubspot.client_secret_file",
        w.secret_file.as_ref(),
        &w.secret_env,
        "the HubSpot app's client secret (it signs the webhook requests)",
        config_dir,
    )?;
    let mut intake = crate::webhooks::Intake::new(secret, &w.url, plan.webhook_filter());
    intake.debounce = w.delay;
    Ok(Some(Arc::new(intake)))
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Source").field("name", &self.connector.name()).field("file", &self.file).field("interval", &self.interval).finish()
    }
}

/// The sources of one sync file (every connector it configures, each with an interval).
pub fn sources_from_file(path: &Path) -> anyhow::Result<Vec<Source>> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {name}"))?;
    let cfg = SyncConfig::parse(&text, &name).map_err(|e| anyhow::anyhow!("{e}"))?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut out = Vec::new();
    for (connector, interval) in cfg.scheduled().map_err(|e| anyhow::anyhow!("{e}"))? {
        let mut webhooks = None;
        let connector = match connector {
            "hubspot" => {
                let plan = Plan::new(&cfg, &dir)?;
                let client = hubspot_client(&plan.hubspot, &dir).with_context(|| name.clone())?;
                webhooks = hubspot_intake(&plan, &dir).with_context(|| name.clone())?;
                Connector::HubSpot { plan: Box::new(plan), client }
            }
            "salesforce" => {
                let plan = salesforce::Plan::new(&cfg, &dir)?;
                let client = salesforce_client(&plan, &dir).with_context(|| name.clone())?;
                Connector::Salesforce { plan: Box::new(plan), client }
            }
            other => anyhow::bail!("{name}: the {other} connector cannot be scheduled"),
        };
        out.push(Source { file: name.clone(), interval, connector, webhooks });
    }
    Ok(out)
}

/// Checks that no connector is configured twice (the connectors' state, cursors included,
/// is kept per connector, so two sources of one connector would share it).
pub fn check_unique(sources: &[Arc<Source>]) -> anyhow::Result<()> {
    for (i, s) in sources.iter().enumerate() {
        if let Some(first) = sources[..i].iter().find(|o| o.connector.name() == s.connector.name()) {
            anyhow::bail!(
                "{}: [{}] is already scheduled from {}; one database syncs with one {} account",
                s.file,
                s.connector.name(),
                first.file,
                s.connector.name()
            );
        }
    }
    Ok(())
}

/// A source's last run as stored.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct RunRecord {
    started_ms: i64,
    ended_ms: i64,
    failures: u32,
    #[serde(default)]
    summary: Option<SyncRunSummary>,
    #[serde(default)]
    error: Option<String>,
}

struct Status {
    running: bool,
    last: Option<RunRecord>,
    runs: u64,
}

struct Slot {
    source: Arc<Source>,
    status: Mutex<Status>,
    paused: AtomicBool,
    requested: AtomicBool,
    /// A run asked for by a webhook arrival, at this time (epoch ms).
    soon_ms: Mutex<Option<i64>>,
    wake: Notify,
    /// When the scheduler started (a source never run is due then).
    started_ms: i64,
}

impl Slot {
    fn status(&self) -> std::sync::MutexGuard<'_, Status> {
        self.status.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn last_run(&self) -> Option<LastRun> {
        self.status().last.as_ref().map(|r| LastRun { started_ms: r.started_ms, ended_ms: r.ended_ms, failures: r.failures })
    }

    /// When the next run is due: on the interval, or sooner when a webhook asked for one
    /// (not while the last run failed: its back-off holds).
    fn due_ms(&self) -> i64 {
        let last = self.last_run();
        let due = next_run(self.source.interval, last, self.started_ms);
        let soon = *self.soon_ms.lock().unwrap_or_else(|e| e.into_inner());
        match soon {
            Some(s) if last.is_none_or(|l| l.failures == 0) => due.min(s),
            _ => due,
        }
    }

    fn view(&self) -> SyncSourceStatus {
        let paused = self.paused.load(Ordering::SeqCst);
        let due = self.due_ms();
        let st = self.status();
        let failures = st.last.as_ref().map_or(0, |r| r.failures);
        let state = if st.running {
            SyncState::Running
        } else if paused {
            SyncState::Paused
        } else if failures > 0 {
            SyncState::Failed
        } else {
            SyncState::Idle
        };
        let at = |ms: i64| Timestamp::from_millisecond(ms).ok();
        SyncSourceStatus {
            name: self.source.connector.name().into(),
            file: self.source.file.clone(),
            interval_s: self.source.interval.as_secs(),
            state,
            paused,
            last_started: st.last.as_ref().and_then(|r| at(r.started_ms)),
            last_ended: st.last.as_ref().and_then(|r| at(r.ended_ms)),
            last_result: st.last.as_ref().and_then(|r| r.summary.clone()),
            last_error: st.last.as_ref().and_then(|r| r.error.clone()),
            failures,
            runs: st.runs,
            next_run: if paused { None } else { at(due) },
        }
    }
}

/// The scheduler of one server: its sources' tasks share it.
pub struct Scheduler {
    slots: Vec<Arc<Slot>>,
}

/// The started scheduler and its tasks (they end when the shutdown token is cancelled).
pub struct Started {
    pub scheduler: Arc<Scheduler>,
    pub tasks: Vec<JoinHandle<()>>,
}

impl Scheduler {
    /// Loads each source's stored last run and pause, registers the scheduler with the
    /// service and starts one task per source.
    pub async fn start(service: &Arc<Service>, sources: Vec<Arc<Source>>, shutdown: &CancellationToken) -> anyhow::Result<Started> {
        check_unique(&sources)?;
        let stored = service.crm_state(RUNS_KIND).await?;
        let paused = service.paused_sync_sources().await?;
        let now_ms = service.clock.now().as_millisecond();
        let mut slots = Vec::new();
        for source in sources {
            let name = source.connector.name();
            let last = match stored.iter().find(|e| e.id == name) {
                Some(e) => Some(
                    serde_json::from_str::<RunRecord>(&e.body)
                        .map_err(|err| anyhow::anyhow!("stored sync schedule {RUNS_KIND}/{name} does not decode: {err}"))?,
                ),
                None => None,
            };
            slots.push(Arc::new(Slot {
                paused: AtomicBool::new(paused.iter().any(|p| p == name)),
                source,
                status: Mutex::new(Status { running: false, last, runs: 0 }),
                requested: AtomicBool::new(false),
                soon_ms: Mutex::new(None),
                wake: Notify::new(),
                started_ms: now_ms,
            }));
        }
        let scheduler = Arc::new(Scheduler { slots });
        for slot in &scheduler.slots {
            if let Some(intake) = &slot.source.webhooks {
                intake.attach(&scheduler);
            }
        }
        service.set_sync_scheduler(scheduler.clone());
        let tasks = scheduler.slots.iter().map(|slot| tokio::spawn(drive(service.clone(), slot.clone(), shutdown.clone()))).collect();
        Ok(Started { scheduler, tasks })
    }

    /// Asks for a run of `source` within `delay` of `now_ms` (a webhook arrived): arrivals
    /// before that run starts share it, and one during a run asks for the next.
    pub fn soon(&self, source: &str, delay: Duration, now_ms: i64) {
        let Ok(slot) = self.slot(source) else { return };
        let at = now_ms.saturating_add(i64::try_from(delay.as_millis()).unwrap_or(i64::MAX));
        {
            let mut soon = slot.soon_ms.lock().unwrap_or_else(|e| e.into_inner());
            *soon = Some(soon.map_or(at, |s| s.min(at)));
        }
        slot.wake.notify_one();
    }

    /// Makes every source look at the clock again (after a test moves a manual clock).
    pub fn wake(&self) {
        for s in &self.slots {
            s.wake.notify_one();
        }
    }

    fn slot(&self, source: &str) -> Result<&Arc<Slot>, ServiceError> {
        self.slots
            .iter()
            .find(|s| s.source.connector.name() == source)
            .ok_or_else(|| ServiceError::NotFound(format!("sync source '{source}'")))
    }
}

impl SyncScheduler for Scheduler {
    fn sources(&self) -> Vec<SyncSourceStatus> {
        self.slots.iter().map(|s| s.view()).collect()
    }

    fn run_now(&self, source: &str) -> Result<(), ServiceError> {
        let slot = self.slot(source)?;
        if slot.status().running {
            return Err(ServiceError::Conflict(format!("sync source '{source}' is running; ask again when it is done")));
        }
        slot.requested.store(true, Ordering::SeqCst);
        slot.wake.notify_one();
        Ok(())
    }

    fn set_paused(&self, source: &str, paused: bool) -> Result<(), ServiceError> {
        let slot = self.slot(source)?;
        slot.paused.store(paused, Ordering::SeqCst);
        slot.wake.notify_one();
        Ok(())
    }
}

/// A source's task: waits until it is due (or asked), runs, records, repeats.
async fn drive(service: Arc<Service>, slot: Arc<Slot>, shutdown: CancellationToken) {
    loop {
        let now_ms = service.clock.now().as_millisecond();
        let paused = slot.paused.load(Ordering::SeqCst);
        let due_ms = slot.due_ms();
        if slot.requested.swap(false, Ordering::SeqCst) || (!paused && due_ms <= now_ms) {
            tokio::select! {
                () = shutdown.cancelled() => break,
                () = run_once(&service, &slot) => {}
            }
            continue;
        }
        let wait = if paused { MAX_SLEEP } else { Duration::from_millis((due_ms - now_ms) as u64).min(MAX_SLEEP) };
        tokio::select! {
            () = shutdown.cancelled() => break,
            () = slot.wake.notified() => {}
            () = tokio::time::sleep(wait) => {}
        }
    }
}

fn cut(mut s: String) -> String {
    if let Some((i, _)) = s.char_indices().nth(ERROR_CHARS) {
        s.truncate(i);
        s.push_str("...");
    }
    s
}

async fn run_once(service: &Service, slot: &Slot) {
    let name = slot.source.connector.name();
    let started_ms = service.clock.now().as_millisecond();
    // Arrivals from now on ask for the run after this one.
    *slot.soon_ms.lock().unwrap_or_else(|e| e.into_inner()) = None;
    let failures_before = {
        let mut st = slot.status();
        st.running = true;
        st.last.as_ref().map_or(0, |r| r.failures)
    };
    tracing::info!(source = name, "scheduled sync started");
    let result = slot.source.connector.run(service).await;
    let ended_ms = service.clock.now().as_millisecond().max(started_ms);
    let record = match result {
        Ok(summary) => {
            let failed = summary.stopped.is_some();
            let error = summary.stopped.clone().map(cut);
            RunRecord { started_ms, ended_ms, failures: if failed { failures_before + 1 } else { 0 }, summary: Some(summary), error }
        }
        Err(e) => RunRecord { started_ms, ended_ms, failures: failures_before + 1, summary: None, error: Some(cut(e.to_string())) },
    };
    match &record.error {
        None => tracing::info!(source = name, "scheduled sync done"),
        // The CRM's error text may quote record values: it is kept for GET /v1/sync, not logged.
        Some(_) => tracing::warn!(source = name, failures = record.failures, "scheduled sync failed; its error is in GET /v1/sync"),
    }
    let body = serde_json::to_string(&record).unwrap_or_default();
    {
        let mut st = slot.status();
        st.running = false;
        st.runs += 1;
        st.last = Some(record);
    }
    if let Err(e) = service.put_crm_state(RUNS_KIND, name, body).await {
        tracing::warn!(source = name, error = %e, "the sync schedule could not be stored; it is kept in memory");
    }
}
