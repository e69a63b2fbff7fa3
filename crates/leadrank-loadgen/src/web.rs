//! `leadrank-loadgen web`: the latency of the web app's screens, measured by the client
//! (request sent to last body byte read) and by the server (the `ms=` of its per-request log
//! line, found by the request id each request carries), next to baseline URLs loaded by the
//! same client in the same run (an empty axum handler; the service's `/healthz`).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use leadrank_loadgen::{Percentiles, queue_lead_ids, server_ms_by_request, set_cookie_value};
use serde_json::{Value, json};

/// The session cookie of the web app.
const COOKIE: &str = "lr_session";

pub struct WebOptions {
    pub base: String,
    /// (username, password) of each user to sign in as.
    pub users: Vec<(String, String)>,
    pub requests: usize,
    pub warmup: usize,
    pub concurrency: usize,
    /// URLs loaded without a session, as baselines.
    pub baselines: Vec<String>,
    /// The service's log (its stderr), for the server-side times.
    pub server_log: Option<PathBuf>,
    /// Prefix of the request ids of this run.
    pub tag: String,
}

/// One thing measured: a URL (or, for the lead page, one URL per lead id in turn) as a user.
struct Scenario {
    name: String,
    urls: Vec<String>,
    cookie: Option<String>,
    /// Served by the service (so its requests have lines in its log).
    service: bool,
}

/// What one scenario gave.
struct Outcome {
    /// (request id, latency) of each answered 200.
    ok: Vec<(String, Duration)>,
    /// Requests answered otherwise or not at all, with the first few reasons.
    errors: usize,
    error_samples: Vec<String>,
    bytes: u64,
    wall: Duration,
}

fn form_encode(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-_.*".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// Signs in with the login form and returns the session cookie's value.
async fn sign_in(http: &reqwest::Client, base: &str, user: &str, password: &str) -> anyhow::Result<String> {
    let body = format!("username={}&password={}", form_encode(user), form_encode(password));
    let resp = http
        .post(format!("{base}/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .with_context(|| format!("POST {base}/login as {user}"))?;
    let status = resp.status();
    let cookie = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| set_cookie_value(v, COOKIE).map(str::to_string));
    match cookie {
        Some(c) if status.is_redirection() => Ok(c),
        _ => bail!("signing in as {user}: {status} without a session cookie (wrong password, or throttled?)"),
    }
}

async fn get_text(http: &reqwest::Client, url: &str, cookie: &str) -> anyhow::Result<String> {
    let resp = http.get(url).header("cookie", format!("{COOKIE}={cookie}")).send().await.with_context(|| format!("GET {url}"))?;
    let status = resp.status();
    if status != reqwest::StatusCode::OK {
        bail!("GET {url}: {status}");
    }
    Ok(resp.text().await?)
}

/// Sends `n` requests (request ids `{prefix}-{i}`), `concurrency` at a time, going round
/// the scenario's URLs.
async fn load(http: &reqwest::Client, sc: &Scenario, prefix: &str, n: usize, concurrency: usize) -> Outcome {
    let next = Arc::new(AtomicUsize::new(0));
    let urls = Arc::new(sc.urls.clone());
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency.max(1) {
        let (http, next, urls, cookie, prefix) = (http.clone(), next.clone(), urls.clone(), sc.cookie.clone(), prefix.to_string());
        workers.push(tokio::spawn(async move {
            let mut out = Outcome { ok: Vec::new(), errors: 0, error_samples: Vec::new(), bytes: 0, wall: Duration::ZERO };
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let id = format!("{prefix}-{i}");
                let mut req = http.get(&urls[i % urls.len()]).header("x-request-id", &id);
                if let Some(c) = &cookie {
                    req = req.header("cookie", format!("{COOKIE}={c}"));
                }
                let t0 = Instant::now();
                let answer = match req.send().await {
                    Ok(r) => {
                        let status = r.status();
                        match r.bytes().await {
                            Ok(b) if status == reqwest::StatusCode::OK => Ok(b.len()),
                            Ok(_) => Err(format!("status {status}")),
                            Err(e) => Err(format!("reading the body: {e}")),
                        }
                    }
                    Err(e) => Err(e.to_string()),
                };
                let took = t0.elapsed();
                match answer {
                    Ok(len) => {
                        out.bytes += len as u64;
                        out.ok.push((id, took));
                    }
                    Err(e) => {
                        out.errors += 1;
                        if out.error_samples.len() < 3 {
                            out.error_samples.push(e);
                        }
                    }
                }
            }
            out
        }));
    }
    let mut all = Outcome { ok: Vec::new(), errors: 0, error_samples: Vec::new(), bytes: 0, wall: Duration::ZERO };
    for w in workers {
        match w.await {
            Ok(o) => {
                all.ok.extend(o.ok);
                all.errors += o.errors;
                all.bytes += o.bytes;
                all.error_samples.extend(o.error_samples.into_iter().take(3usize.saturating_sub(all.error_samples.len())));
            }
            Err(e) => {
                all.errors += 1;
                all.error_samples.push(format!("worker failed: {e}"));
            }
        }
    }
    all.wall = started.elapsed();
    all
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

pub async fn web(o: &WebOptions) -> anyhow::Result<()> {
    let base = o.base.trim_end_matches('/');
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(o.concurrency.max(1))
        .tcp_nodelay(true)
        .timeout(Duration::from_secs(60))
        .build()?;
    let mut scenarios: Vec<Scenario> = o
        .baselines
        .iter()
        .map(|url| Scenario { name: format!("baseline GET {url}"), urls: vec![url.clone()], cookie: None, service: url.starts_with(base) })
        .collect();
    for (user, password) in &o.users {
        let cookie = sign_in(&http, base, user, password).await?;
        let queue = get_text(&http, &format!("{base}/queue"), &cookie).await?;
        let ids = queue_lead_ids(&queue);
        println!("{user}: signed in; {} lead ids on the queue page", ids.len());
        for path in ["/queue", "/queue/rows", "/team"] {
            scenarios.push(Scenario {
                name: format!("{user} GET {path}"),
                urls: vec![format!("{base}{path}")],
                cookie: Some(cookie.clone()),
                service: true,
            });
        }
        if ids.is_empty() {
            println!("!! {user}: the queue shows no lead, so the lead page is not measured for this user");
        } else {
            scenarios.push(Scenario {
                name: format!("{user} GET /leads/{{id}} ({} ids in turn)", ids.len()),
                urls: ids.iter().map(|id| format!("{base}/leads/{id}")).collect(),
                cookie: Some(cookie.clone()),
                service: true,
            });
        }
    }
    let mut outcomes = Vec::new();
    for (s, sc) in scenarios.iter().enumerate() {
        if o.warmup > 0 {
            let w = load(&http, sc, &format!("{}-w{s}", o.tag), o.warmup, o.concurrency).await;
            if w.errors > 0 {
                bail!("{}: {} of {} warm-up requests failed: {}", sc.name, w.errors, o.warmup, w.error_samples.join("; "));
            }
        }
        let loadavg = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
        let out = load(&http, sc, &format!("{}-{s}", o.tag), o.requests, o.concurrency).await;
        let lat: Vec<Duration> = out.ok.iter().map(|x| x.1).collect();
        println!(
            "{}: {} ok, {} errors in {:.2} s ({:.0}/s); client {} (load average before {})",
            sc.name,
            out.ok.len(),
            out.errors,
            out.wall.as_secs_f64(),
            out.ok.len() as f64 / out.wall.as_secs_f64(),
            Percentiles::of(&lat),
            loadavg.split_ascii_whitespace().take(3).collect::<Vec<_>>().join(" ")
        );
        if out.errors > 0 {
            println!("!! {}: errors, e.g. {}", sc.name, out.error_samples.join("; "));
        }
        outcomes.push(out);
    }
    // The server writes its log line as the response leaves the handler; give it a moment.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let server = match &o.server_log {
        Some(p) => Some(server_ms_by_request(&std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?)),
        None => None,
    };
    let baseline_client =
        outcomes.first().filter(|_| !o.baselines.is_empty()).map(|b| Percentiles::of(&b.ok.iter().map(|x| x.1).collect::<Vec<_>>()));
    println!();
    println!(
        "{:<52} {:>6} {:>4} | {:>27} | {:>27} | {:>7} | {:>11}",
        "scenario", "n", "err", "client p50 / p95 / p99 ms", "server p50 / p95 / p99 ms", "KB", "x empty p50"
    );
    let mut results = Vec::new();
    let mut errors = 0;
    for (sc, out) in scenarios.iter().zip(&outcomes) {
        errors += out.errors;
        let client = Percentiles::of(&out.ok.iter().map(|x| x.1).collect::<Vec<_>>());
        let (server_p, missing) = match &server {
            Some(m) if sc.service => {
                let found: Vec<Duration> =
                    out.ok.iter().filter_map(|(id, _)| m.get(id)).map(|v| Duration::from_secs_f64(v / 1e3)).collect();
                let missing = out.ok.len() - found.len();
                (Some(Percentiles::of(&found)), missing)
            }
            _ => (None, 0),
        };
        let kb = if out.ok.is_empty() { 0.0 } else { out.bytes as f64 / out.ok.len() as f64 / 1024.0 };
        let ratio = baseline_client.filter(|b| !b.p50.is_zero()).map(|b| client.p50.as_secs_f64() / b.p50.as_secs_f64());
        let three = |p: &Percentiles| format!("{:.2} / {:.2} / {:.2}", ms(p.p50), ms(p.p95), ms(p.p99));
        println!(
            "{:<52} {:>6} {:>4} | {:>27} | {:>27} | {:>7.1} | {:>11}",
            sc.name,
            out.ok.len(),
            out.errors,
            three(&client),
            server_p.as_ref().filter(|p| p.count > 0).map_or_else(|| "-".to_string(), three),
            kb,
            ratio.map_or_else(|| "-".to_string(), |r| format!("{r:.1}x"))
        );
        if missing > 0 {
            println!("!! {}: {missing} answered requests have no line in the server log", sc.name);
        }
        results.push(json!({
            "scenario": sc.name,
            "requests": out.ok.len(),
            "errors": out.errors,
            "error_samples": out.error_samples,
            "kb_per_response": (kb * 10.0).round() / 10.0,
            "wall_s": out.wall.as_secs_f64(),
            "client": client.to_json(),
            "server": server_p.filter(|p| p.count > 0).map_or(Value::Null, |p| p.to_json()),
            "server_missing": missing,
            "client_p50_over_first_baseline": ratio,
        }));
    }
    println!(
        "RESULT {}",
        json!({"concurrency": o.concurrency, "requests": o.requests, "warmup": o.warmup, "scenarios": results, "errors": errors})
    );
    if errors > 0 {
        bail!("{errors} request(s) failed");
    }
    Ok(())
}
