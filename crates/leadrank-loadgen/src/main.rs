//! `leadrank-loadgen`: load and latency measurements of the leadrank service.
//!
//! * `ingest`: leads then events from `leadrank generate` files, in batches, with C
//!   concurrent connections; events/s, request latency, accepted/duplicate/rejected;
//! * `latency`: one demo_request at a time; POST latency and ack-to-readable latency;
//! * `empty-server` / `empty-load`: an axum server with an empty handler and a GET loop,
//!   the ceiling of HTTP round trips on this machine.
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
use leadrank_loadgen::{Percentiles, bodies, read_records};
use serde_json::{Value, json};

#[derive(Parser)]
#[command(
    name = "leadrank-loadgen",
    about = "Load generator for the leadrank service"
)]
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
}

/// Per-route body limits of the server (`/v1/events` 512 KB, `/v1/leads` 2 MB, accounts 1 MB).
const EVENTS_MAX: usize = 512 * 1024;
const LEADS_MAX: usize = 2048 * 1024;
const ACCOUNTS_MAX: usize = 1024 * 1024;

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        match cli.cmd {
            Cmd::Ingest {
                base,
                key,
                leads,
                concurrency,
                batch,
            } => ingest(&base, &key, &leads, concurrency, batch).await,
            Cmd::Latency { base, key, samples } => latency(&base, &key, samples).await,
            Cmd::EmptyServer { addr } => empty_server(addr).await,
            Cmd::EmptyLoad {
                url,
                concurrency,
                seconds,
                key,
            } => empty_load(&url, concurrency, seconds, key).await,
        }
    })
}

fn client(concurrency: usize) -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency.max(1))
        .tcp_nodelay(true)
        .timeout(Duration::from_secs(60))
        .build()?)
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
async fn post_all(
    http: &reqwest::Client,
    url: &str,
    key: &str,
    bodies: Vec<(usize, Vec<u8>)>,
    concurrency: usize,
) -> Phase {
    let bodies = Arc::new(bodies);
    let next = Arc::new(AtomicUsize::new(0));
    let shared = Arc::new(Mutex::new(Phase::default()));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency.max(1) {
        let (http, url, key, bodies, next, shared) = (
            http.clone(),
            url.to_string(),
            format!("Bearer {key}"),
            bodies.clone(),
            next.clone(),
            shared.clone(),
        );
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
                                    *local.summary.entry(k.clone()).or_default() +=
                                        n.as_u64().unwrap_or(0);
                                }
                            }
                            break;
                        }
                        Ok((status, _))
                            if (status.as_u16() == 429 || status.as_u16() == 503)
                                && attempt < 20 =>
                        {
                            local.retries += 1;
                            tokio::time::sleep(Duration::from_millis(50)).await;
                        }
                        Ok((status, bytes)) => {
                            local.failures.push(format!(
                                "{status}: {}",
                                String::from_utf8_lossy(&bytes[..bytes.len().min(300)])
                            ));
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

async fn ingest(
    base: &str,
    key: &str,
    dir: &std::path::Path,
    concurrency: usize,
    batch: usize,
) -> anyhow::Result<()> {
    let base = base.trim_end_matches('/');
    let http = client(concurrency)?;
    let accounts = if dir.join("accounts.csv").exists() {
        read_records(&dir.join("accounts.csv"))?
    } else {
        Vec::new()
    };
    let leads = read_records(&dir.join("leads.csv"))?;
    let events = read_records(&dir.join("events.csv"))?;
    println!(
        "loaded {} accounts, {} leads, {} events from {}",
        accounts.len(),
        leads.len(),
        events.len(),
        dir.display()
    );
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
    println!(
        "events: {} requests, {:.0} bytes per request on average",
        b.len(),
        bytes as f64 / b.len().max(1) as f64
    );
    let p = post_all(&http, &format!("{base}/v1/events"), key, b, concurrency).await;
    result["events"] = phase_json("events", events.len(), &p);
    println!("RESULT {result}");
    if !p.failures.is_empty() {
        bail!("{} event request(s) failed", p.failures.len());
    }
    Ok(())
}

/// Lead ids of the service, best first (paged through GET /v1/leads).
async fn lead_ids(
    http: &reqwest::Client,
    base: &str,
    key: &str,
    want: usize,
) -> anyhow::Result<Vec<String>> {
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
    let resp = http
        .get(url)
        .header("authorization", format!("Bearer {key}"))
        .send()
        .await
        .with_context(|| format!("GET {url}"))?;
    let status = resp.status();
    let bytes = resp.bytes().await?;
    if !status.is_success() {
        bail!("GET {url}: {status}: {}", String::from_utf8_lossy(&bytes));
    }
    Ok(serde_json::from_slice(&bytes)?)
}

fn has_rule(score: &Value, rule: &str) -> bool {
    score["score"]["reasons"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|r| r["rule"] == rule)
}

async fn latency(base: &str, key: &str, samples: usize) -> anyhow::Result<()> {
    let base = base.trim_end_matches('/');
    let http = client(2)?;
    // Leads whose score has no demo_request yet: after the event, the rule must be there.
    let ids = lead_ids(&http, base, key, usize::MAX).await?;
    let mut fresh: Vec<(String, i64)> = Vec::new();
    for id in ids.iter().rev() {
        let v = get_json(&http, &format!("{base}/v1/leads/{id}/score"), key).await?;
        if !has_rule(&v, "demo_request") {
            fresh.push((id.clone(), v["score"]["total"].as_i64().unwrap_or(i64::MIN)));
            if fresh.len() == samples {
                break;
            }
        }
    }
    if fresh.len() < samples {
        println!(
            "only {} of {} leads have no demo_request yet: {} samples",
            fresh.len(),
            ids.len(),
            fresh.len()
        );
    }
    let run = jiff::Timestamp::now().as_millisecond();
    let auth = format!("Bearer {key}");
    let (mut post_lat, mut readable_lat) = (Vec::new(), Vec::new());
    let (mut not_first, mut never) = (0usize, 0usize);
    for (i, (lead, before)) in fresh.iter().enumerate() {
        let body = json!({"events": [{
            "event_id": format!("lat-{run}-{i}"), "lead_id": lead, "type": "demo_request",
            "occurred_at": jiff::Timestamp::now().to_string(), "url": "https://www.leadrank-demo.com/demo",
        }]});
        let t0 = Instant::now();
        let resp = http
            .post(format!("{base}/v1/events"))
            .header("authorization", &auth)
            .json_body(&body)
            .send()
            .await?;
        let status = resp.status();
        let bytes = resp.bytes().await?;
        let t1 = Instant::now();
        if !status.is_success() {
            bail!(
                "POST /v1/events: {status}: {}",
                String::from_utf8_lossy(&bytes)
            );
        }
        let ack: Value = serde_json::from_slice(&bytes)?;
        if ack["summary"]["accepted"] != 1 {
            bail!("event not accepted: {ack}");
        }
        post_lat.push(t1 - t0);
        let mut first = true;
        loop {
            let v = get_json(&http, &format!("{base}/v1/leads/{lead}/score"), key).await?;
            let reflected = has_rule(&v, "demo_request")
                || v["score"]["total"].as_i64().unwrap_or(i64::MIN) != *before;
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
    let (p, r) = (Percentiles::of(&post_lat), Percentiles::of(&readable_lat));
    println!("POST /v1/events (1 event) until 200: {p}");
    println!("ack -> readable (200 received until GET score reflects it): {r}");
    println!("not reflected on the first read: {not_first}; never reflected within 5 s: {never}");
    let result = json!({"samples": fresh.len(), "post": p.to_json(), "ack_to_readable": r.to_json(), "not_reflected_first_read": not_first, "never_reflected": never});
    println!("RESULT {result}");
    Ok(())
}

/// `RequestBuilder::json` needs reqwest's `json` feature; this sets the body by hand.
trait JsonBody {
    fn json_body(self, v: &Value) -> Self;
}

impl JsonBody for reqwest::RequestBuilder {
    fn json_body(self, v: &Value) -> Self {
        self.header("content-type", "application/json")
            .body(serde_json::to_vec(v).unwrap_or_default())
    }
}

async fn empty_server(addr: SocketAddr) -> anyhow::Result<()> {
    let app = axum::Router::new().route("/empty", axum::routing::get(|| async { "" }));
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding {addr}"))?;
    println!("empty server on http://{}/empty", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}

async fn empty_load(
    url: &str,
    concurrency: usize,
    seconds: u64,
    key: Option<String>,
) -> anyhow::Result<()> {
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
    println!(
        "RESULT {}",
        json!({"rps": ok as f64 / secs, "errors": errors, "latency": p.to_json(), "concurrency": concurrency})
    );
    Ok(())
}
