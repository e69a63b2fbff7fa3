//! `leadrank-loadgen`: load and latency measurements of the leadrank service.
//!
//! * `ingest`: leads then events from `leadrank generate` files, in batches, with C
//!   concurrent connections; events/s, request latency, accepted/duplicate/rejected;
//! * `latency`: one demo_request at a time; POST latency and ack-to-readable latency;
//! * `empty-server` / `empty-load`: an axum server with an empty handler and a GET loop,
//!   the ceiling of HTTP round trips on this machine;
//! * `sla`: the operating layer: teams, reps and a routing file with a short first-touch
//!   SLA, then L quality leads (each routed with an SLA clock on arrival); routing
//!   decisions/s end to end, and the detection lag of the L breaches (`bench/ops.sh`).
//!
//! * `flood`: N clients at once, each sending its next request as soon as the last one is
//!   answered (after Retry-After on a 429): latency of the requests admitted, share of 429s;
//! * `web`: the web app's screens (queue, its live fragment, team, lead page) as signed-in
//!   users, with client-side and server-side (from the service's log) latency, next to
//!   baseline URLs in the same run (`bench/web.sh`);
//! * `slowloris`: N connections that send their headers a line at a time, while
//!   `GET /healthz` is timed on a new connection every half second.
//!
//! Every command prints a human summary and, last, one line `RESULT {json}` for scripts.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use leadrank_loadgen::{Percentiles, PromHistogram, bodies, prom_value, read_records};
use serde_json::{Value, json};

mod web;

#[derive(Parser)]
#[command(name = "leadrank-loadgen", about = "Load generator for the leadrank service")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Upsert DIR/accounts.csv (if present) and DIR/leads.csv, then send DIR/events.csv.
    Ingest {
        #[arg(long)]
        base: String,
        #[arg(long)]
        key: String,
        /// Directory written by `leadrank generate`.
        #[arg(long)]
        leads: PathBuf,
        #[arg(long, default_value_t = 4)]
        concurrency: usize,
        #[arg(long, default_value_t = 500)]
        batch: usize,
    },
    /// POST one demo_request at a time and read the score back right after the 200.
    Latency {
        #[arg(long)]
        base: String,
        #[arg(long)]
        key: String,
        #[arg(long, default_value_t = 1000)]
        samples: usize,
    },
    /// Serve GET /empty -> 200 "" (the ceiling baseline).
    EmptyServer {
        #[arg(long, default_value = "127.0.0.1:8090")]
        addr: SocketAddr,
    },
    /// GET a URL in a loop with C connections for S seconds.
    EmptyLoad {
        #[arg(long)]
        url: String,
        #[arg(long, default_value_t = 32)]
        concurrency: usize,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Optional API key (to load authenticated routes).
        #[arg(long)]
        key: Option<String>,
    },
    /// Operating layer: set up teams, reps and a routing file with a short first-touch SLA,
    /// upsert L quality leads (each routed with an SLA clock), then wait for the L breaches
    /// and read their detection lag from /metrics. Needs an admin key.
    Sla {
        #[arg(long)]
        base: String,
        #[arg(long)]
        key: String,
        /// Leads to upsert.
        #[arg(long, default_value_t = 100_000)]
        leads: usize,
        #[arg(long, default_value_t = 4)]
        concurrency: usize,
        #[arg(long, default_value_t = 500)]
        batch: usize,
        /// The first-touch SLA in minutes (no re-route on breach).
        #[arg(long, default_value_t = 2)]
        within_minutes: u32,
        /// Reps per team (10 teams: abm and region x segment).
        #[arg(long, default_value_t = 5)]
        reps_per_team: usize,
        /// Capacity (most open leads) of each rep.
        #[arg(long, default_value_t = 1_000_000)]
        capacity: u32,
        /// Seconds to wait for the breaches after the last deadline.
        #[arg(long, default_value_t = 300)]
        timeout: u64,
        /// Leads whose operating log is read to get exact (due, detected_at) pairs.
        #[arg(long, default_value_t = 200)]
        sample: usize,
        /// Lead id prefix.
        #[arg(long, default_value = "ops")]
        prefix: String,
        /// Upsert non-quality leads (title "Student", total 60): nothing is routed and no
        /// clock starts; only the ingest is measured (the cost of the operating layer).
        #[arg(long)]
        non_quality: bool,
    },
    /// N clients at once for S seconds: POST /v1/leads batches (ingest scope), or also
    /// GET /v1/leads reads; latency of admitted requests (not 429) and the share of 429s.
    Flood {
        #[arg(long)]
        base: String,
        #[arg(long)]
        key: String,
        #[arg(long, default_value_t = 1500)]
        clients: usize,
        #[arg(long, default_value_t = 20)]
        seconds: u64,
        /// Leads per POST.
        #[arg(long, default_value_t = 100)]
        batch: usize,
        /// Percent of requests that are writes (the rest GET /v1/leads?limit=20).
        #[arg(long, default_value_t = 100)]
        write_percent: u32,
        /// Send the next request at once after a 429 instead of waiting for Retry-After.
        #[arg(long)]
        no_backoff: bool,
    },
    /// The web app's screens as signed-in users: GET /queue, /queue/rows, /team and the lead
    /// page of each lead on the user's queue in turn; client-side latency and, with
    /// --server-log, the server's own time from its per-request log lines.
    Web {
        #[arg(long)]
        base: String,
        /// A user to sign in as, USERNAME:PASSWORD (repeat for several).
        #[arg(long = "user", required = true, value_parser = parse_user)]
        users: Vec<(String, String)>,
        /// Measured requests per screen and user (and per baseline).
        #[arg(long, default_value_t = 2000)]
        requests: usize,
        /// Requests per screen sent first and not measured.
        #[arg(long, default_value_t = 50)]
        warmup: usize,
        #[arg(long, default_value_t = 4)]
        concurrency: usize,
        /// A URL loaded without a session by the same client as a baseline, before the
        /// screens (repeat for several; the first is the one ratios are given against).
        #[arg(long = "baseline")]
        baselines: Vec<String>,
        /// The service's log file (its stderr, at the default `info` level).
        #[arg(long)]
        server_log: Option<PathBuf>,
        /// Prefix of this run's request ids (letters, digits, '-').
        #[arg(long, default_value = "wb")]
        tag: String,
    },
    /// N connections that send a request line, then one header line every 300 ms (coming
    /// back a second after the server closes them), for S seconds; meanwhile GET /healthz on
    /// a new connection every 500 ms, timed (5 s at most).
    Slowloris {
        /// host:port of the server.
        #[arg(long)]
        addr: String,
        #[arg(long, default_value_t = 1100)]
        connections: usize,
        #[arg(long, default_value_t = 20)]
        seconds: u64,
    },
}

/// Per-route body limits of the server (`/v1/events` 512 KB, `/v1/leads` 2 MB, accounts 1 MB).
const EVENTS_MAX: usize = 512 * 1024;
const LEADS_MAX: usize = 2048 * 1024;
const ACCOUNTS_MAX: usize = 1024 * 1024;

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    rt.block_on(async move {
        match cli.cmd {
            Cmd::Ingest { base, key, leads, concurrency, batch } => ingest(&base, &key, &leads, concurrency, batch).await,
            Cmd::Latency { base, key, samples } => latency(&base, &key, samples).await,
            Cmd::EmptyServer { addr } => empty_server(addr).await,
            Cmd::EmptyLoad { url, concurrency, seconds, key } => empty_load(&url, concurrency, seconds, key).await,
            Cmd::Flood { base, key, clients, seconds, batch, write_percent, no_backoff } => {
                flood(&base, &key, clients, Duration::from_secs(seconds), batch, write_percent, !no_backoff).await
            }
            Cmd::Web { base, users, requests, warmup, concurrency, baselines, server_log, tag } => {
                web::web(&web::WebOptions { base, users, requests, warmup, concurrency, baselines, server_log, tag }).await
            }
            Cmd::Slowloris { addr, connections, seconds } => slowloris(&addr, connections, Duration::from_secs(seconds)).await,
            Cmd::Sla {
                base,
                key,
                leads,
                concurrency,
                batch,
                within_minutes,
                reps_per_team,
                capacity,
                timeout,
                sample,
                prefix,
                non_quality,
            } => {
                let opts = SlaOptions {
                    leads,
                    concurrency,
                    batch,
                    within_minutes,
                    reps_per_team,
                    capacity,
                    timeout: Duration::from_secs(timeout),
                    sample,
                    prefix,
                    quality: !non_quality,
                };
                sla(&base, &key, &opts).await
            }
        }
    })
}

fn parse_user(s: &str) -> Result<(String, String), String> {
    match s.split_once(':') {
        Some((u, p)) if !u.is_empty() && !p.is_empty() => Ok((u.to_string(), p.to_string())),
        _ => Err(format!("'{s}': expected USERNAME:PASSWORD")),
    }
}

fn client(concurrency: usize) -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder().pool_max_idle_per_host(concurrency.max(1)).tcp_nodelay(true).timeout(Duration::from_secs(60)).build()?)
}

/// What one phase of batch posts gave.
#[derive(Default)]
struct Phase {
    requests: usize,
    latencies: Vec<Duration>,
    summary: BTreeMap<String, u64>,
    /// Requests retried after 429/503.
    retries: usize,
    /// Requests that failed for good (status, first bytes of the body).
    failures: Vec<String>,
    wall: Duration,
}

/// Posts every body to `url` with `concurrency` workers; sums the response summaries.
async fn post_all(http: &reqwest::Client, url: &str, key: &str, bodies: Vec<(usize, Vec<u8>)>, concurrency: usize) -> Phase {
    let bodies = Arc::new(bodies);
    let next = Arc::new(AtomicUsize::new(0));
    let shared = Arc::new(Mutex::new(Phase::default()));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency.max(1) {
        let (http, url, key, bodies, next, shared) =
            (http.clone(), url.to_string(), format!("Bearer {key}"), bodies.clone(), next.clone(), shared.clone());
        workers.push(tokio::spawn(async move {
            let mut local = Phase::default();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((_, body)) = bodies.get(i) else {
                    break;
                };
                let mut attempt = 0;
                loop {
                    attempt += 1;
                    let t0 = Instant::now();
                    let res = http
                        .post(&url)
                        .header("authorization", &key)
                        .header("content-type", "application/json")
                        .body(body.clone())
                        .send()
                        .await;
                    let outcome = match res {
                        Ok(resp) => {
                            let status = resp.status();
                            let bytes = resp.bytes().await.unwrap_or_default();
                            Ok((status, bytes))
                        }
                        Err(e) => Err(e.to_string()),
                    };
                    let elapsed = t0.elapsed();
                    match outcome {
                        Ok((status, bytes)) if status.is_success() => {
                            local.latencies.push(elapsed);
                            local.requests += 1;
                            if let Ok(v) = serde_json::from_slice::<Value>(&bytes)
                                && let Some(s) = v["summary"].as_object()
                            {
                                for (k, n) in s {
                                    *local.summary.entry(k.clone()).or_default() += n.as_u64().unwrap_or(0);
                                }
                            }
                            break;
                        }
                        Ok((status, _)) if (status.as_u16() == 429 || status.as_u16() == 503) && attempt < 20 => {
                            local.retries += 1;
                            tokio::time::sleep(Duration::from_millis(50)).await;
                        }
                        Ok((status, bytes)) => {
                            local.failures.push(format!("{status}: {}", String::from_utf8_lossy(&bytes[..bytes.len().min(300)])));
                            break;
                        }
                        Err(e) if attempt < 3 => {
                            local.retries += 1;
                            eprintln!("request error (retrying): {e}");
                            tokio::time::sleep(Duration::from_millis(100)).await;
                        }
                        Err(e) => {
                            local.failures.push(e);
                            break;
                        }
                    }
                }
            }
            let mut s = shared.lock().unwrap_or_else(|e| e.into_inner());
            s.requests += local.requests;
            s.latencies.extend(local.latencies);
            s.retries += local.retries;
            s.failures.extend(local.failures);
            for (k, n) in local.summary {
                *s.summary.entry(k).or_default() += n;
            }
        }));
    }
    for w in workers {
        let _ = w.await;
    }
    let mut phase = std::mem::take(&mut *shared.lock().unwrap_or_else(|e| e.into_inner()));
    phase.wall = started.elapsed();
    phase
}

fn phase_json(name: &str, records: usize, p: &Phase) -> Value {
    let lat = Percentiles::of(&p.latencies);
    let accepted = p.summary.get("accepted").copied().unwrap_or(0)
        + p.summary.get("created").copied().unwrap_or(0)
        + p.summary.get("updated").copied().unwrap_or(0);
    let secs = p.wall.as_secs_f64();
    println!(
        "{name}: {records} records in {} requests, {:.3} s, {:.0} accepted/s; summary {:?}; retries {}; failed requests {}",
        p.requests,
        secs,
        accepted as f64 / secs,
        p.summary,
        p.retries,
        p.failures.len()
    );
    println!("{name}: request latency {lat}");
    for f in p.failures.iter().take(5) {
        println!("{name}: failure: {f}");
    }
    json!({
        "records": records, "requests": p.requests, "seconds": secs, "accepted_per_s": accepted as f64 / secs,
        "summary": p.summary, "retries": p.retries, "failed_requests": p.failures.len(), "latency": lat.to_json(),
    })
}

async fn ingest(base: &str, key: &str, dir: &std::path::Path, concurrency: usize, batch: usize) -> anyhow::Result<()> {
    let base = base.trim_end_matches('/');
    let http = client(concurrency)?;
    let accounts = if dir.join("accounts.csv").exists() { read_records(&dir.join("accounts.csv"))? } else { Vec::new() };
    let leads = read_records(&dir.join("leads.csv"))?;
    let events = read_records(&dir.join("events.csv"))?;
    println!("loaded {} accounts, {} leads, {} events from {}", accounts.len(), leads.len(), events.len(), dir.display());
    let mut result = json!({"concurrency": concurrency, "batch": batch});
    if !accounts.is_empty() {
        let b = bodies("accounts", &accounts, batch, ACCOUNTS_MAX);
        let p = post_all(&http, &format!("{base}/v1/accounts"), key, b, concurrency).await;
        result["accounts"] = phase_json("accounts", accounts.len(), &p);
    }
    let b = bodies("leads", &leads, batch, LEADS_MAX);
    let p = post_all(&http, &format!("{base}/v1/leads"), key, b, concurrency).await;
    result["leads"] = phase_json("leads", leads.len(), &p);
    let b = bodies("events", &events, batch, EVENTS_MAX);
    let split = b.len() - events.len().div_ceil(batch.max(1));
    if split > 0 {
        println!("events: {split} batch(es) were split to stay under {EVENTS_MAX} bytes");
    }
    let bytes: usize = b.iter().map(|x| x.1.len()).sum();
    println!("events: {} requests, {:.0} bytes per request on average", b.len(), bytes as f64 / b.len().max(1) as f64);
    let p = post_all(&http, &format!("{base}/v1/events"), key, b, concurrency).await;
    result["events"] = phase_json("events", events.len(), &p);
    println!("RESULT {result}");
    if !p.failures.is_empty() {
        bail!("{} event request(s) failed", p.failures.len());
    }
    Ok(())
}

/// Lead ids of the service, best first (paged through GET /v1/leads).
async fn lead_ids(http: &reqwest::Client, base: &str, key: &str, want: usize) -> anyhow::Result<Vec<String>> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut url = format!("{base}/v1/leads?limit=500");
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let v: Value = get_json(http, &url, key).await?;
        for item in v["items"].as_array().into_iter().flatten() {
            if let Some(id) = item["lead_id"].as_str() {
                ids.push(id.to_string());
            }
        }
        cursor = v["next_cursor"].as_str().map(str::to_string);
        if cursor.is_none() || ids.len() >= want {
            return Ok(ids);
        }
    }
}

async fn get_json(http: &reqwest::Client, url: &str, key: &str) -> anyhow::Result<Value> {
    let resp = http.get(url).header("authorization", format!("Bearer {key}")).send().await.with_context(|| format!("GET {url}"))?;
    let status = resp.status();
    let bytes = resp.bytes().await?;
    if !status.is_success() {
        bail!("GET {url}: {status}: {}", String::from_utf8_lossy(&bytes));
    }
    Ok(serde_json::from_slice(&bytes)?)
}

fn has_rule(score: &Value, rule: &str) -> bool {
    score["score"]["reasons"].as_array().into_iter().flatten().any(|r| r["rule"] == rule)
}

async fn latency(base: &str, key: &str, samples: usize) -> anyhow::Result<()> {
    let base = base.trim_end_matches('/');
    let http = client(2)?;
    // Leads whose score has no demo_request yet: after the event, the rule must be there.
    // Each lead is checked just before its event is posted, so the first event goes out at
    // once (a writer asked for millions of samples starts writing without reading every
    // score first).
    let ids = lead_ids(&http, base, key, usize::MAX).await?;
    let run = jiff::Timestamp::now().as_millisecond();
    let auth = format!("Bearer {key}");
    let (mut post_lat, mut readable_lat) = (Vec::new(), Vec::new());
    let (mut not_first, mut never) = (0usize, 0usize);
    let mut sent = 0usize;
    for lead in ids.iter().rev() {
        if sent == samples {
            break;
        }
        let v = get_json(&http, &format!("{base}/v1/leads/{lead}/score"), key).await?;
        if has_rule(&v, "demo_request") {
            continue;
        }
        let before = v["score"]["total"].as_i64().unwrap_or(i64::MIN);
        let body = json!({"events": [{
            "event_id": format!("lat-{run}-{sent}"), "lead_id": lead, "type": "demo_request",
            "occurred_at": jiff::Timestamp::now().to_string(), "url": "https://www.leadrank-demo.com/demo",
        }]});
        sent += 1;
        let t0 = Instant::now();
        let resp = http.post(format!("{base}/v1/events")).header("authorization", &auth).json_body(&body).send().await?;
        let status = resp.status();
        let bytes = resp.bytes().await?;
        let t1 = Instant::now();
        if !status.is_success() {
            bail!("POST /v1/events: {status}: {}", String::from_utf8_lossy(&bytes));
        }
        let ack: Value = serde_json::from_slice(&bytes)?;
        if ack["summary"]["accepted"] != 1 {
            bail!("event not accepted: {ack}");
        }
        post_lat.push(t1 - t0);
        let mut first = true;
        loop {
            let v = get_json(&http, &format!("{base}/v1/leads/{lead}/score"), key).await?;
            let reflected = has_rule(&v, "demo_request") || v["score"]["total"].as_i64().unwrap_or(i64::MIN) != before;
            if reflected {
                readable_lat.push(t1.elapsed());
                break;
            }
            if first {
                not_first += 1;
                first = false;
            }
            if t1.elapsed() > Duration::from_secs(5) {
                never += 1;
                break;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }
    if sent < samples {
        println!("only {sent} of {} leads had no demo_request yet: {sent} samples", ids.len());
    }
    let (p, r) = (Percentiles::of(&post_lat), Percentiles::of(&readable_lat));
    println!("POST /v1/events (1 event) until 200: {p}");
    println!("ack -> readable (200 received until GET score reflects it): {r}");
    println!("not reflected on the first read: {not_first}; never reflected within 5 s: {never}");
    let result = json!({"samples": sent, "post": p.to_json(), "ack_to_readable": r.to_json(), "not_reflected_first_read": not_first, "never_reflected": never});
    println!("RESULT {result}");
    Ok(())
}

/// `RequestBuilder::json` needs reqwest's `json` feature; this sets the body by hand.
trait JsonBody {
    fn json_body(self, v: &Value) -> Self;
}

impl JsonBody for reqwest::RequestBuilder {
    fn json_body(self, v: &Value) -> Self {
        self.header("content-type", "application/json").body(serde_json::to_vec(v).unwrap_or_default())
    }
}

async fn empty_server(addr: SocketAddr) -> anyhow::Result<()> {
    let app = axum::Router::new().route("/empty", axum::routing::get(|| async { "" }));
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("binding {addr}"))?;
    println!("empty server on http://{}/empty", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}

async fn empty_load(url: &str, concurrency: usize, seconds: u64, key: Option<String>) -> anyhow::Result<()> {
    let http = client(concurrency)?;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency.max(1) {
        let (http, url, key) = (http.clone(), url.to_string(), key.clone());
        workers.push(tokio::spawn(async move {
            let (mut ok, mut errors, mut lat) = (0u64, 0u64, Vec::new());
            while Instant::now() < deadline {
                let t0 = Instant::now();
                let mut req = http.get(&url);
                if let Some(k) = &key {
                    req = req.header("authorization", format!("Bearer {k}"));
                }
                let good = match req.send().await {
                    Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                    Err(_) => false,
                };
                if good {
                    ok += 1;
                    lat.push(t0.elapsed());
                } else {
                    errors += 1;
                }
            }
            (ok, errors, lat)
        }));
    }
    let (mut ok, mut errors, mut lat) = (0, 0, Vec::new());
    for w in workers {
        let (o, e, l) = w.await?;
        ok += o;
        errors += e;
        lat.extend(l);
    }
    let secs = started.elapsed().as_secs_f64();
    let p = Percentiles::of(&lat);
    println!(
        "{url}: {ok} requests in {secs:.2} s = {:.0} requests/s with {concurrency} connections; {errors} errors; {p}",
        ok as f64 / secs
    );
    println!("RESULT {}", json!({"rps": ok as f64 / secs, "errors": errors, "latency": p.to_json(), "concurrency": concurrency}));
    Ok(())
}

/// One answer of the flood: status (0 = transport error), latency, write or not.
type Answer = (u16, Duration, bool);

async fn flood(
    base: &str,
    key: &str,
    clients: usize,
    run: Duration,
    batch: usize,
    write_percent: u32,
    backoff: bool,
) -> anyhow::Result<()> {
    let http =
        reqwest::Client::builder().pool_max_idle_per_host(clients.max(1)).tcp_nodelay(true).timeout(Duration::from_secs(120)).build()?;
    let deadline = Instant::now() + run;
    let mut workers = Vec::new();
    for c in 0..clients.max(1) {
        let (http, base, auth) = (http.clone(), base.to_string(), format!("Bearer {key}"));
        workers.push(tokio::spawn(async move {
            // Four bodies per client, made before the clock starts (the client's own work is
            // not the server's latency): distinct companies, one write rescoring only its leads.
            let bodies: Vec<axum::body::Bytes> = (0..4)
                .map(|k| {
                    let leads: Vec<Value> = (0..batch)
                        .map(|i| {
                            let j = k * batch + i;
                            json!({"lead_id": format!("F{c}-{j}"), "email": format!("f@c{c}-{j}.example"),
                                   "first_name": FIRST_NAMES[j % FIRST_NAMES.len()], "last_name": LAST_NAMES[(j / 7) % LAST_NAMES.len()],
                                   "title": "VP Sales", "industry": "software", "employees": 100 + j, "country": "DE", "source": "webinar"})
                        })
                        .collect();
                    axum::body::Bytes::from(serde_json::to_vec(&json!({ "leads": leads })).unwrap_or_default())
                })
                .collect();
            let mut answers: Vec<Answer> = Vec::new();
            let mut n = 0usize;
            // Spread the first requests over 100 ms, as clients arriving.
            tokio::time::sleep(Duration::from_micros((c as u64 * 100_000) / clients.max(1) as u64)).await;
            while Instant::now() < deadline {
                n += 1;
                let write = (c * 7919 + n * 104_729) % 100 < write_percent as usize;
                let req = if write {
                    http.post(format!("{base}/v1/leads")).header("content-type", "application/json").body(bodies[n % bodies.len()].clone())
                } else {
                    http.get(format!("{base}/v1/leads?limit=20"))
                };
                let t0 = Instant::now();
                let (status, retry_after) = match req.header("authorization", &auth).send().await {
                    Ok(r) => {
                        let status = r.status().as_u16();
                        let retry = r.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
                        let ok = r.bytes().await.is_ok();
                        (if ok { status } else { 0 }, retry)
                    }
                    Err(_) => (0, None),
                };
                answers.push((status, t0.elapsed(), write));
                if status == 429 && backoff {
                    tokio::time::sleep(Duration::from_secs(retry_after.unwrap_or(1))).await;
                } else if status == 0 {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
            answers
        }));
    }
    let mut answers: Vec<Answer> = Vec::new();
    for w in workers {
        answers.extend(w.await?);
    }
    let mut by_status: BTreeMap<u16, u64> = BTreeMap::new();
    for a in &answers {
        *by_status.entry(a.0).or_default() += 1;
    }
    let admitted: Vec<Duration> = answers.iter().filter(|a| a.0 != 429 && a.0 != 0).map(|a| a.1).collect();
    let admitted_writes: Vec<Duration> = answers.iter().filter(|a| a.0 != 429 && a.0 != 0 && a.2).map(|a| a.1).collect();
    let shed: Vec<Duration> = answers.iter().filter(|a| a.0 == 429).map(|a| a.1).collect();
    let total = answers.len().max(1);
    let share_429 = shed.len() as f64 / total as f64;
    let (pa, pw, ps) = (Percentiles::of(&admitted), Percentiles::of(&admitted_writes), Percentiles::of(&shed));
    println!(
        "{clients} clients for {} s ({write_percent}% writes of {batch} leads): {} requests; statuses {by_status:?}",
        run.as_secs(),
        answers.len()
    );
    println!("admitted (not 429): {pa}");
    println!("admitted writes:    {pw}");
    println!("429: {:.1}% of requests; {ps}", share_429 * 100.0);
    let statuses: serde_json::Map<String, Value> = by_status.iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
    println!(
        "RESULT {}",
        json!({"clients": clients, "requests": answers.len(), "statuses": statuses, "share_429": share_429,
               "admitted": pa.to_json(), "admitted_writes": pw.to_json(), "shed": ps.to_json()})
    );
    Ok(())
}

/// One slow client (see `Cmd::Slowloris`); counts the connections the server closed.
async fn slow_client(addr: String, until: Instant, closed: Arc<AtomicUsize>, open: Arc<AtomicUsize>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    while Instant::now() < until {
        let Ok(Ok(mut stream)) = tokio::time::timeout(Duration::from_secs(3), tokio::net::TcpStream::connect(&addr)).await else {
            tokio::time::sleep(Duration::from_millis(200)).await;
            continue;
        };
        open.fetch_add(1, Ordering::Relaxed);
        let mut line: &[u8] = b"GET /healthz HTTP/1.1\r\n";
        let mut buf = [0u8; 256];
        while Instant::now() < until {
            if stream.write_all(line).await.is_err() {
                closed.fetch_add(1, Ordering::Relaxed);
                break;
            }
            line = b"X-Slow: 1\r\n";
            tokio::select! {
                read = stream.read(&mut buf) => {
                    if matches!(read, Ok(0) | Err(_)) {
                        closed.fetch_add(1, Ordering::Relaxed);
                        break;
                    }
                }
                () = tokio::time::sleep(Duration::from_millis(300)) => {}
            }
        }
        open.fetch_sub(1, Ordering::Relaxed);
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// GET /healthz on a new connection: the time to the whole answer, or why there was none.
async fn healthz_once(addr: &str) -> Result<Duration, String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let started = Instant::now();
    let attempt = async {
        let mut s = tokio::net::TcpStream::connect(addr).await.map_err(|e| format!("connect: {e}"))?;
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await.map_err(|e| format!("write: {e}"))?;
        let mut out = Vec::new();
        s.read_to_end(&mut out).await.map_err(|e| format!("read: {e}"))?;
        if out.starts_with(b"HTTP/1.1 200") {
            Ok(())
        } else {
            Err(format!("answer: {:?}", String::from_utf8_lossy(&out[..out.len().min(80)])))
        }
    };
    match tokio::time::timeout(Duration::from_secs(5), attempt).await {
        Ok(Ok(())) => Ok(started.elapsed()),
        Ok(Err(e)) => Err(e),
        Err(_) => Err("no answer within 5 s".into()),
    }
}

async fn slowloris(addr: &str, connections: usize, run: Duration) -> anyhow::Result<()> {
    let before = healthz_once(addr).await.map_err(|e| anyhow::anyhow!("/healthz before the attack: {e}"))?;
    let until = Instant::now() + run;
    let (closed, open) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let attackers: Vec<_> =
        (0..connections).map(|_| tokio::spawn(slow_client(addr.to_string(), until, closed.clone(), open.clone()))).collect();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (mut answered, mut failures) = (Vec::new(), BTreeMap::<String, u64>::new());
    while Instant::now() + Duration::from_secs(1) < until {
        let t0 = Instant::now();
        match healthz_once(addr).await {
            Ok(t) => answered.push(t),
            Err(e) => *failures.entry(e).or_default() += 1,
        }
        tokio::time::sleep(Duration::from_millis(500).saturating_sub(t0.elapsed())).await;
    }
    let held = open.load(Ordering::Relaxed);
    for a in attackers {
        let _ = a.await;
    }
    let p = Percentiles::of(&answered);
    let probes = answered.len() + failures.values().sum::<u64>() as usize;
    println!("{connections} slow connections for {} s; /healthz before: {before:?}", run.as_secs());
    println!("/healthz during: {} of {probes} answered; {p}; failures {failures:?}", answered.len());
    println!("connections closed by the server: {}; open (client side) near the end: {held}", closed.load(Ordering::Relaxed));
    println!(
        "RESULT {}",
        json!({"connections": connections, "probes": probes, "answered": answered.len(), "healthz": p.to_json(),
               "failures": failures, "closed_by_server": closed.load(Ordering::Relaxed)})
    );
    Ok(())
}

struct SlaOptions {
    leads: usize,
    concurrency: usize,
    batch: usize,
    within_minutes: u32,
    reps_per_team: usize,
    capacity: u32,
    timeout: Duration,
    sample: usize,
    prefix: String,
    quality: bool,
}

/// Real first and last names (the model's spam rule penalises gibberish names).
const FIRST_NAMES: [&str; 50] = [
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Daniel",
    "Lisa",
    "Matthew",
    "Nancy",
    "Anthony",
    "Sandra",
    "Mark",
    "Ashley",
    "Steven",
    "Emily",
    "Paul",
    "Donna",
    "Andrew",
    "Michelle",
    "Joshua",
    "Carol",
    "Kevin",
    "Amanda",
    "Brian",
    "Melissa",
    "George",
    "Deborah",
    "Timothy",
    "Laura",
    "Ronald",
    "Rebecca",
    "Jason",
    "Sharon",
    "Edward",
    "Cynthia",
];
const LAST_NAMES: [&str; 50] = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Wilson",
    "Anderson",
    "Taylor",
    "Thomas",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Thompson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Hill",
    "Green",
    "Adams",
    "Baker",
    "Nelson",
    "Carter",
    "Mitchell",
    "Roberts",
    "Turner",
    "Phillips",
    "Campbell",
    "Parker",
    "Evans",
    "Edwards",
    "Collins",
    "Stewart",
    "Morris",
    "Murphy",
    "Cook",
    "Rogers",
];
/// Countries in rotation, a third each in AMER, EMEA and APAC. All are in the default
/// model's `icp_countries` (JP, for one, is not: its leads would total 75, not quality).
const COUNTRIES: [&str; 6] = ["US", "GB", "AU", "CA", "DE", "AU"];

/// Lead `i` of the operating benchmark: total 85 with the default model (fit 50, VP 10,
/// budget owner 10, corporate e-mail 5, consent 5, unique 5), or 60 as a "Student". Each lead
/// has its own company domain, so no two leads share an account or a duplicate key.
fn ops_lead(prefix: &str, i: usize, quality: bool) -> Value {
    let first = FIRST_NAMES[i % FIRST_NAMES.len()];
    let last = LAST_NAMES[(i / FIRST_NAMES.len()) % LAST_NAMES.len()];
    let company = LAST_NAMES[(i / 7) % LAST_NAMES.len()];
    let domain = format!("{}-analytics-{i}.com", company.to_lowercase());
    json!({
        "lead_id": format!("{prefix}-{i:07}"),
        "email": format!("{}.{}@{domain}", first.to_lowercase(), last.to_lowercase()),
        "first_name": first,
        "last_name": last,
        "title": if quality { "VP of Sales" } else { "Student" },
        "company": format!("{company} Analytics {i}"),
        "industry": "Software",
        "employees": 500,
        "country": COUNTRIES[i % COUNTRIES.len()],
        "tech_stack": ["Salesforce"],
        "use_case": "lead scoring",
        "budget_owner": true,
        "consent": true,
    })
}

/// The routing file `source` with its SLA policies replaced by one first-touch milestone of
/// `minutes` minutes without re-routing, for the stages mql, pql and recycled.
fn bench_routing(source: &str, minutes: u32) -> String {
    let cut = source.find("\n[[sla]]").map_or(source.len(), |i| i + 1);
    format!(
        "{}[[sla]]\nid = \"bench_first_touch\"\nlabel = \"Benchmark: first touch within {minutes} minutes\"\nstages = [\"mql\", \"pql\", \"recycled\"]\ngrades = []\nmilestones = [\n  {{ id = \"first_touch\", touches = 1, within_minutes = {minutes}, reroute = false }},\n]\n",
        &source[..cut]
    )
}

async fn send_ok(req: reqwest::RequestBuilder, what: &str) -> anyhow::Result<Value> {
    let resp = req.send().await.with_context(|| what.to_string())?;
    let status = resp.status();
    let bytes = resp.bytes().await?;
    if !status.is_success() {
        bail!("{what}: {status}: {}", String::from_utf8_lossy(&bytes));
    }
    Ok(serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

async fn metrics_text(http: &reqwest::Client, base: &str) -> anyhow::Result<String> {
    let resp = http.get(format!("{base}/metrics")).send().await.context("GET /metrics")?;
    if !resp.status().is_success() {
        bail!("GET /metrics: {}", resp.status());
    }
    Ok(resp.text().await?)
}

const ROUTED: &str = "leadrank_routing_decisions_total";
const BREACHES: &str = "leadrank_sla_breaches_total";
const LAG: &str = "leadrank_sla_detection_lag_seconds";

fn counter(text: &str, name: &str) -> anyhow::Result<u64> {
    prom_value(text, name).map(|v| v as u64).with_context(|| format!("/metrics has no {name}"))
}

/// Times one GET (e.g. a route that waits for the background writer).
async fn timed_get(http: &reqwest::Client, url: &str, key: &str) -> anyhow::Result<(Value, Duration)> {
    let t0 = Instant::now();
    let v = get_json(http, url, key).await?;
    Ok((v, t0.elapsed()))
}

fn stage_count(funnel: &Value, stage: &str) -> u64 {
    funnel["stage_counts"].as_array().into_iter().flatten().find(|c| c["stage"] == stage).and_then(|c| c["count"].as_u64()).unwrap_or(0)
}

fn secs_fmt(x: Option<f64>) -> String {
    match x {
        Some(v) if v.is_infinite() => "+Inf".to_string(),
        Some(v) => format!("{:.1} ms", v * 1e3),
        None => "-".to_string(),
    }
}

async fn sla(base: &str, key: &str, o: &SlaOptions) -> anyhow::Result<()> {
    let base = base.trim_end_matches('/');
    let http = client(o.concurrency.max(4))?;
    let auth = format!("Bearer {key}");
    let admin = |req: reqwest::RequestBuilder| req.header("authorization", &auth);

    // 1. Teams open around the clock (so deadlines are not moved to business hours), reps.
    let mut teams = vec!["abm".to_string()];
    for region in ["amer", "emea", "apac"] {
        for segment in ["smb", "mid-market", "enterprise"] {
            teams.push(format!("{region}-{segment}"));
        }
    }
    let t_setup = Instant::now();
    for team in &teams {
        let body = json!({
            "name": team, "timezone": "UTC",
            "calendar": {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "start": "00:00", "end": "23:59:59"},
        });
        send_ok(admin(http.put(format!("{base}/v1/teams/{team}"))).json_body(&body), &format!("PUT /v1/teams/{team}")).await?;
        for r in 0..o.reps_per_team {
            let id = format!("{team}-rep{r}");
            let body = json!({"name": id, "team": team, "capacity": o.capacity});
            send_ok(admin(http.put(format!("{base}/v1/reps/{id}"))).json_body(&body), &format!("PUT /v1/reps/{id}")).await?;
        }
    }
    // 2. The active routing file with one first-touch SLA and no re-routing.
    let source = admin(http.get(format!("{base}/v1/routing"))).send().await?.error_for_status()?.text().await?;
    let routing = bench_routing(&source, o.within_minutes);
    send_ok(admin(http.put(format!("{base}/v1/routing"))).header("content-type", "application/toml").body(routing), "PUT /v1/routing")
        .await?;
    println!(
        "setup: {} teams (7 days, 00:00-23:59:59 UTC), {} reps (capacity {}), routing file with first_touch = 1 touch within {} min, reroute = false ({:.2} s)",
        teams.len(),
        teams.len() * o.reps_per_team,
        o.capacity,
        o.within_minutes,
        t_setup.elapsed().as_secs_f64()
    );

    // 3. L leads, quality on arrival: each is scored, staged (mql), routed, and its clock starts.
    let records: Vec<Value> = (0..o.leads).map(|i| ops_lead(&o.prefix, i, o.quality)).collect();
    let b = bodies("leads", &records, o.batch, LEADS_MAX);
    drop(records);
    let m0 = metrics_text(&http, base).await?;
    let (routed0, breaches0) = (counter(&m0, ROUTED)?, counter(&m0, BREACHES)?);
    let lag0 = PromHistogram::parse(&m0, LAG).unwrap_or_default();
    let wall_start = jiff::Timestamp::now();
    let p = post_all(&http, &format!("{base}/v1/leads"), key, b, o.concurrency).await;
    // Every deadline is at most (the last 200 + M minutes): the server's `now` of a batch is
    // before its 200.
    let last_ack = jiff::Timestamp::now();
    let leads_json = phase_json("leads", o.leads, &p);
    let m1 = metrics_text(&http, base).await?;
    let routed = counter(&m1, ROUTED)? - routed0;
    let secs = p.wall.as_secs_f64();
    let last_id = format!("{}-{:07}", o.prefix, o.leads.saturating_sub(1));
    let (_, drain) = timed_get(&http, &format!("{base}/v1/leads/{last_id}/lifecycle"), key).await?;
    println!(
        "ingest: {} leads in {secs:.2} s = {:.0} leads/s; {routed} routing decisions = {:.0} decisions/s end to end (stored, scored, staged, routed, clock started; 2xx received)",
        o.leads,
        o.leads as f64 / secs,
        routed as f64 / secs
    );
    println!(
        "ingest: background writer drained {:.2} s after the last 200 (GET lifecycle waits for it); {:.0} leads/s until everything is committed",
        drain.as_secs_f64(),
        o.leads as f64 / (secs + drain.as_secs_f64())
    );
    let mut result = json!({
        "leads": o.leads, "quality": o.quality, "concurrency": o.concurrency, "batch": o.batch,
        "teams": teams.len(), "reps": teams.len() * o.reps_per_team, "within_minutes": o.within_minutes,
        "ingest": leads_json,
        "ingest_seconds": secs, "leads_per_s": o.leads as f64 / secs,
        "routing_decisions": routed, "routing_decisions_per_s": routed as f64 / secs,
        "writer_drain_seconds": drain.as_secs_f64(),
    });

    // Verification: stages and assignments.
    let mql = get_json(&http, &format!("{base}/v1/leads?stage=mql&limit=1"), key).await?;
    let first_mql = mql["items"][0].clone();
    let (funnel, funnel_t) = timed_get(&http, &format!("{base}/v1/reports/funnel"), key).await?;
    let report = get_json(&http, &format!("{base}/v1/reports/routing"), key).await?;
    let open: u64 = report["open"].as_array().into_iter().flatten().filter_map(|r| r["open"].as_u64()).sum();
    let busy: Vec<String> = report["open"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["open"].as_u64().unwrap_or(0) > 0)
        .map(|r| format!("{}={}", r["rep"].as_str().unwrap_or("?"), r["open"]))
        .collect();
    let n_mql = stage_count(&funnel, "mql");
    let stages: Vec<String> = funnel["stage_counts"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["count"].as_u64().unwrap_or(0) > 0)
        .map(|c| format!("{} {}", c["count"], c["stage"].as_str().unwrap_or("?")))
        .collect();
    println!(
        "check: first mql lead {}; funnel ({:.2} s): {}; open leads held by reps: {open} ({} reps busy: {}); queues {}",
        first_mql,
        funnel_t.as_secs_f64(),
        stages.join(", "),
        busy.len(),
        busy.join(" "),
        report["queues"]
    );
    result["check"] = json!({"mql": n_mql, "stages": stages, "open_with_reps": open, "queues": report["queues"], "reps_busy": busy.len()});
    if !o.quality {
        println!("RESULT {result}");
        return Ok(());
    }
    if n_mql != o.leads as u64 || open != o.leads as u64 {
        println!("!! expected {} leads in mql held by reps; got {n_mql} in mql and {open} held", o.leads);
    }

    // 4. Wait for every deadline to pass and every breach to be counted.
    let minutes = jiff::SignedDuration::from_mins(i64::from(o.within_minutes));
    let last_deadline = last_ack + minutes;
    let first_deadline = wall_start + minutes;
    println!("waiting: deadlines between {first_deadline} and {last_deadline} (client clock); polling /metrics every 100 ms");
    let give_up = last_deadline + jiff::SignedDuration::try_from(o.timeout)?;
    let want = o.leads as u64;
    let mut seen: u64;
    let mut all_at = None;
    let mut first_at = None;
    loop {
        let m = metrics_text(&http, base).await?;
        seen = counter(&m, BREACHES)? - breaches0;
        let now = jiff::Timestamp::now();
        if seen > 0 && first_at.is_none() {
            first_at = Some(now);
        }
        if seen >= want {
            all_at = Some(now);
            break;
        }
        if now > give_up {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let m2 = metrics_text(&http, base).await?;
    let lag = PromHistogram::parse(&m2, LAG).unwrap_or_default().minus(&lag0);
    let since_last = all_at.map(|t| t.duration_since(last_deadline).as_secs_f64());
    match all_at {
        Some(_) => println!(
            "breaches: {seen} of {want} counted; the last was seen by polling {:.3} s after the last deadline bound (poll period 100 ms)",
            since_last.unwrap_or(0.0)
        ),
        None => println!("!! breaches: only {seen} of {want} counted {} s after the last deadline", o.timeout.as_secs()),
    }
    let bound = |q: f64| lag.quantile_bound(q);
    println!(
        "detection lag (sla_detection_lag_seconds, server side, deadline -> detection): n={} mean {}; bucket upper bounds: p50 <= {}, p99 <= {}, max <= {}",
        lag.count,
        secs_fmt(lag.mean()),
        secs_fmt(bound(0.5)),
        secs_fmt(bound(0.99)),
        secs_fmt(lag.max_bound())
    );
    let nonzero: Vec<String> = {
        let mut prev = 0;
        lag.buckets
            .iter()
            .filter_map(|(le, n)| {
                let d = n - prev.min(*n);
                prev = *n;
                (d > 0).then(|| format!("le {}: {d}", secs_fmt(Some(*le))))
            })
            .collect()
    };
    println!("detection lag buckets: {}", nonzero.join(", "));

    // Exact (due, detected_at) of a sample of leads, from their operating log.
    let (_, drain2) = timed_get(&http, &format!("{base}/v1/leads/{last_id}/lifecycle"), key).await?;
    let step = (o.leads / o.sample.max(1)).max(1);
    let mut exact = Vec::new();
    for i in (0..o.leads).step_by(step).take(o.sample) {
        let id = format!("{}-{i:07}", o.prefix);
        let v = get_json(&http, &format!("{base}/v1/leads/{id}/lifecycle"), key).await?;
        for e in v["log"].as_array().into_iter().flatten() {
            if e["kind"] != "breach" {
                continue;
            }
            let (Some(due), Some(det)) = (
                e["entry"]["due"].as_str().and_then(|s| s.parse::<jiff::Timestamp>().ok()),
                e["entry"]["detected_at"].as_str().and_then(|s| s.parse::<jiff::Timestamp>().ok()),
            ) else {
                continue;
            };
            exact.push(Duration::try_from(det.duration_since(due)).unwrap_or(Duration::ZERO));
        }
    }
    let exact_p = Percentiles::of(&exact);
    println!("detection lag, exact, {} sampled leads' breach log entries (detected_at - due): {exact_p}", exact.len());
    let sla_report = get_json(&http, &format!("{base}/v1/reports/sla"), key).await?;
    println!(
        "GET /v1/reports/sla: running_clocks {}, breaches total {} (by milestone {}); breach log committed {:.2} s after the count was reached",
        sla_report["running_clocks"],
        sla_report["breaches"]["total"],
        sla_report["breaches"]["by_milestone"],
        drain2.as_secs_f64()
    );
    result["breaches"] = json!({
        "counted": seen, "expected": want, "all_counted": all_at.is_some(),
        "last_seen_after_last_deadline_s": since_last,
        "first_deadline": first_deadline.to_string(), "last_deadline": last_deadline.to_string(),
        "first_seen": first_at.map(|t| t.to_string()),
        "writer_drain_seconds": drain2.as_secs_f64(),
    });
    result["detection_lag"] = json!({
        "count": lag.count, "mean_s": lag.mean(), "sum_s": lag.sum,
        "p50_le_s": bound(0.5), "p99_le_s": bound(0.99), "max_le_s": lag.max_bound(),
        "buckets": lag.buckets.iter().map(|(le, n)| json!([if le.is_infinite() { json!("+Inf") } else { json!(le) }, n])).collect::<Vec<_>>(),
        "exact_sample": exact_p.to_json(),
    });
    result["sla_report"] = json!({"running_clocks": sla_report["running_clocks"], "breaches_total": sla_report["breaches"]["total"]});
    println!("RESULT {result}");
    if all_at.is_none() {
        bail!("only {seen} of {want} breaches counted");
    }
    Ok(())
}
