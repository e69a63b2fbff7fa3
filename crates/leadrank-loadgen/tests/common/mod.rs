//! What the crash tests share: the `leadrank` binary, a blocking HTTP client, and the batch
//! scorer's answer to compare served scores with.
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::{Value, json};

/// The `leadrank` binary: `$LEADRANK_BIN` if set; otherwise `cargo build -p leadrank-cli`
/// (a no-op when it is up to date) and `$CARGO_TARGET_DIR/debug/leadrank`.
pub fn leadrank_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("LEADRANK_BIN") {
        return PathBuf::from(p);
    }
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "-q", "-p", "leadrank-cli"])
        .current_dir(&workspace)
        .status()
        .expect("running cargo build -p leadrank-cli");
    assert!(status.success(), "cargo build -p leadrank-cli failed");
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| workspace.join("target"), PathBuf::from);
    let bin = target.join("debug").join("leadrank");
    assert!(bin.exists(), "{} not found", bin.display());
    bin
}

pub fn run(bin: &Path, args: &[&str]) -> String {
    let out = Command::new(bin).args(args).output().expect("running leadrank");
    assert!(out.status.success(), "leadrank {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

/// Writes events as the CSV `leadrank score --events` reads.
pub fn write_events_csv(path: &Path, events: &[Value]) {
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(["event_id", "lead_id", "type", "occurred_at", "url", "properties"]).unwrap();
    for e in events {
        let cell = |k: &str| match &e[k] {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        w.write_record([cell("event_id"), cell("lead_id"), cell("type"), cell("occurred_at"), cell("url"), cell("properties")]).unwrap();
    }
    w.flush().unwrap();
}

/// A blocking wrapper over an async reqwest client (a fresh connection pool per client).
pub struct Http {
    pub rt: tokio::runtime::Runtime,
    client: reqwest::Client,
    pub key: String,
}

impl Http {
    pub fn new(key: &str) -> Http {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        Http { rt, client: Self::client(), key: key.into() }
    }

    fn client() -> reqwest::Client {
        reqwest::Client::builder().timeout(Duration::from_secs(30)).pool_max_idle_per_host(1).build().expect("client")
    }

    pub fn reset(&mut self) {
        self.client = Self::client();
    }

    pub fn get(&self, url: &str, key: Option<&str>) -> Result<(u16, Vec<u8>), String> {
        self.rt.block_on(async {
            let mut req = self.client.get(url);
            if let Some(k) = key {
                req = req.header("authorization", format!("Bearer {k}"));
            }
            let resp = req.send().await.map_err(|e| e.to_string())?;
            let status = resp.status().as_u16();
            Ok((status, resp.bytes().await.map_err(|e| e.to_string())?.to_vec()))
        })
    }

    pub fn post(&self, url: &str, body: &Value) -> Result<(u16, Value), String> {
        self.rt.block_on(async {
            let resp = self
                .client
                .post(url)
                .header("authorization", format!("Bearer {}", self.key))
                .header("content-type", "application/json")
                .body(serde_json::to_vec(body).unwrap())
                .send()
                .await
                .map_err(|e| e.to_string())?;
            let status = resp.status().as_u16();
            let bytes = resp.bytes().await.map_err(|e| e.to_string())?;
            Ok((status, serde_json::from_slice(&bytes).unwrap_or(Value::Null)))
        })
    }

    pub fn get_json(&self, url: &str) -> Value {
        let (status, body) = self.get(url, Some(&self.key)).unwrap_or_else(|e| panic!("GET {url}: {e}"));
        assert_eq!(status, 200, "GET {url}: {}", String::from_utf8_lossy(&body));
        serde_json::from_slice(&body).expect("JSON")
    }
}

pub fn rule_ids(score: &Value) -> Vec<String> {
    let mut ids: Vec<String> =
        score["reasons"].as_array().expect("reasons").iter().map(|r| r["rule"].as_str().expect("rule").to_string()).collect();
    ids.sort();
    ids
}

/// `leadrank score` of every lead at `as_of`: lead id -> (total, sorted rule ids).
pub fn cli_scores(bin: &Path, dir: &Path, events: &Path, as_of: &str) -> HashMap<String, (i64, Vec<String>)> {
    let out = run(
        bin,
        &[
            "score",
            "--leads",
            dir.join("leads.csv").to_str().unwrap(),
            "--accounts",
            dir.join("accounts.csv").to_str().unwrap(),
            "--events",
            events.to_str().unwrap(),
            "--as-of",
            as_of,
            "--format",
            "jsonl",
        ],
    );
    out.lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("jsonl");
            (v["lead_id"].as_str().unwrap().to_string(), (v["total"].as_i64().unwrap(), rule_ids(&v)))
        })
        .collect()
}

/// What [`check_against_batch_scorer`] found.
pub struct Checked {
    /// Leads whose stored events differ from the acknowledged ones.
    pub stored_mismatches: Vec<String>,
    /// Leads whose served score differs from `leadrank score`'s.
    pub score_mismatches: Vec<String>,
    /// Leads compared.
    pub compared: usize,
    /// Leads that needed a scorer run at their own as_of.
    pub own_runs: usize,
}

/// Checks, through the server at `base`, that (a) every acknowledged event is stored exactly
/// once (`POST /v1/privacy/export` returns, per lead, as many events as distinct acknowledged
/// ids of that lead) and (b) every lead's served score equals `leadrank score --as-of <its
/// as_of>` on the data in `data` plus the acknowledged events (total and fired rule ids).
pub fn check_against_batch_scorer(
    bin: &Path,
    data: &Path,
    tmp: &Path,
    base: &str,
    http: &Http,
    leads: &[Value],
    acked: &[Value],
) -> Checked {
    // (a) Stored exactly once.
    let mut per_lead: HashMap<String, usize> = HashMap::new();
    for e in acked {
        *per_lead.entry(e["lead_id"].as_str().unwrap().to_string()).or_default() += 1;
    }
    let mut stored_mismatches = Vec::new();
    for lead in leads {
        let id = lead["lead_id"].as_str().unwrap();
        let (status, body) = http.post(&format!("{base}/v1/privacy/export"), &json!({ "lead_id": id })).expect("export");
        assert_eq!(status, 200, "{body}");
        let stored = body["people"][0]["events"].as_array().map_or(0, Vec::len);
        let want = per_lead.get(id).copied().unwrap_or(0);
        if stored != want {
            stored_mismatches.push(format!("{id}: stored {stored}, acknowledged {want}"));
        }
    }

    // (b) Scores equal the batch scorer on the acknowledged events.
    let mut served: Vec<(String, String, i64, Vec<String>)> = Vec::new();
    for lead in leads {
        let id = lead["lead_id"].as_str().unwrap();
        let v = http.get_json(&format!("{base}/v1/leads/{id}/score"));
        served.push((
            id.to_string(),
            v["as_of"].as_str().unwrap().to_string(),
            v["score"]["total"].as_i64().unwrap(),
            rule_ids(&v["score"]),
        ));
    }
    let events_csv = tmp.join("acked.csv");
    write_events_csv(&events_csv, acked);
    // The scorer runs at the first and the last as_of read; a lead whose batch score is the
    // same at both is compared with that; any other lead with a run at its own as_of.
    let first = cli_scores(bin, data, &events_csv, &served.first().unwrap().1);
    let last = cli_scores(bin, data, &events_csv, &served.last().unwrap().1);
    let mut score_mismatches = Vec::new();
    let mut own_runs = 0;
    for (id, as_of, total, rules) in &served {
        let expected = if first.get(id) == last.get(id) {
            first.get(id).cloned()
        } else {
            own_runs += 1;
            cli_scores(bin, data, &events_csv, as_of).get(id).cloned()
        };
        if expected.as_ref() != Some(&(*total, rules.clone())) {
            score_mismatches.push(format!("{id} at {as_of}: server {total} {rules:?}, leadrank score {expected:?}"));
        }
    }
    Checked { stored_mismatches, score_mismatches, compared: served.len(), own_runs }
}

/// `size` copies of events picked at random from `events`, each with a new id
/// `{prefix}-{n}` (`n` counts on across calls).
pub fn cloned_batch(events: &[Value], rng: &mut impl rand::Rng, n: &mut usize, prefix: &str, size: usize) -> Vec<Value> {
    (0..size)
        .map(|_| {
            *n += 1;
            let mut e = events[rng.random_range(0..events.len())].clone();
            e["event_id"] = json!(format!("{prefix}-{n}"));
            e
        })
        .collect()
}
