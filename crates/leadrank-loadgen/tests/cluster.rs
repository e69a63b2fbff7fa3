//! Failover test of `leadrank serve --cluster`: three nodes on one PostgreSQL database and one
//! NATS server (JetStream), on loopback. Event batches go to a random node while a seeded
//! random node is killed with SIGKILL, at least `KILLS` times, and restarted at once. A batch
//! without a 200 (connection refused or reset, or a 503 during a takeover) is resent to
//! another node, as an at-least-once client does. At the end, through one node:
//!
//! * every acknowledged event is stored exactly once (0 lost, 0 counted twice);
//! * every lead's served score equals `leadrank score --as-of <its as_of>` on the same data;
//! * at every moment at most one node said it owned the partition with a given token, and
//!   the tokens only grew;
//! * every node stops cleanly on SIGTERM.
//!
//! Needs PostgreSQL (`LEADRANK_TEST_POSTGRES`, see the store's `test_server`) and NATS with
//! JetStream (`LEADRANK_TEST_NATS`, default `nats://127.0.0.1:4222`); skipped with a notice
//! when either does not answer, a failure under `CI`.

mod common;

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::net::{TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::{Http, free_port, leadrank_bin, run};
use leadrank_loadgen::read_records;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};

const NODES: usize = 3;
const LEADS: usize = 200;
const BATCH: usize = 50;
const KILLS: usize = 20;
const SEED: u64 = 0xc1a5_7e42;
const LEASE_TTL: &str = "2";
const JSON: &str = "application/json";

fn nats_url() -> String {
    std::env::var("LEADRANK_TEST_NATS").unwrap_or_else(|_| "nats://127.0.0.1:4222".into())
}

fn nats_answers(url: &str) -> bool {
    let hostport = url.trim_start_matches("nats://");
    hostport.to_socket_addrs().is_ok_and(|mut a| a.any(|a| TcpStream::connect_timeout(&a, Duration::from_secs(2)).is_ok()))
}

/// One node: its process, restarted after each kill.
struct Node {
    id: String,
    addr: String,
    child: Child,
    starts: usize,
}

struct Cluster {
    bin: PathBuf,
    db: String,
    vault: PathBuf,
    name: String,
    log: PathBuf,
    nodes: Vec<Node>,
}

impl Cluster {
    fn addrs(&self) -> Vec<String> {
        self.nodes.iter().map(|n| n.addr.clone()).collect()
    }

    /// Waits until node `i` answers `/cluster` (its signal handlers are set by then).
    fn wait_answers(&self, http: &Http, i: usize) {
        let started = Instant::now();
        while self.status(http, i).is_none() {
            assert!(started.elapsed() < Duration::from_secs(60), "node {} does not answer; log:\n{}", self.nodes[i].id, self.log_tail());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops node `i` with SIGTERM once it answers (it must exit cleanly within 30 s) and
    /// starts it again.
    fn restart_cleanly(&mut self, http: &Http, i: usize) {
        self.wait_answers(http, i);
        let node = &mut self.nodes[i];
        assert!(Command::new("kill").args(["-TERM", &node.child.id().to_string()]).status().unwrap().success());
        let started = Instant::now();
        let status = loop {
            if let Some(s) = node.child.try_wait().unwrap() {
                break s;
            }
            assert!(started.elapsed() < Duration::from_secs(30), "node {} did not stop within 30 s of SIGTERM", node.id);
            std::thread::sleep(Duration::from_millis(20));
        };
        assert!(status.success(), "node {} exit after SIGTERM: {status}", node.id);
        let (id, addr) = (node.id.clone(), node.addr.clone());
        self.nodes[i].child = self.spawn(&id, &addr);
        self.nodes[i].starts += 1;
    }

    fn spawn(&self, id: &str, addr: &str) -> Child {
        let err = File::options().create(true).append(true).open(&self.log).expect("log file");
        Command::new(&self.bin)
            .args(["serve", "--db", &self.db, "--key-vault", self.vault.to_str().unwrap(), "--addr", addr])
            .args(["--cluster", &nats_url(), "--cluster-name", &self.name, "--node-id", id, "--lease-ttl", LEASE_TTL])
            .env("RUST_LOG", "warn,leadrank_cluster=info")
            .stdout(Stdio::null())
            .stderr(err)
            .spawn()
            .expect("starting leadrank serve --cluster")
    }

    fn status(&self, http: &Http, i: usize) -> Option<Value> {
        let (status, body) = http.get(&format!("http://{}/cluster", self.nodes[i].addr), None).ok()?;
        (status == 200).then(|| serde_json::from_slice(&body).ok()).flatten()
    }

    /// Waits until some node says it owns the partition; its index.
    fn wait_owner(&self, http: &Http, within: Duration) -> usize {
        let started = Instant::now();
        loop {
            for i in 0..self.nodes.len() {
                if self.status(http, i).is_some_and(|s| s["role"] == "owner") {
                    return i;
                }
            }
            assert!(started.elapsed() < within, "no owner after {within:?}; log:\n{}", self.log_tail());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        text.lines().rev().take(40).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join("\n")
    }

    fn kill_and_restart(&mut self, i: usize) {
        let node = &mut self.nodes[i];
        let _ = node.child.kill(); // SIGKILL
        let _ = node.child.wait();
        let (id, addr) = (node.id.clone(), node.addr.clone());
        self.nodes[i].child = self.spawn(&id, &addr);
        self.nodes[i].starts += 1;
    }

    /// Restarts any node that stopped on its own (an owner that lost its lease exits 75).
    fn restart_exited(&mut self) -> usize {
        let mut restarted = 0;
        for i in 0..self.nodes.len() {
            if let Ok(Some(status)) = self.nodes[i].child.try_wait() {
                assert_eq!(status.code(), Some(75), "node {} exited with {status}; log:\n{}", self.nodes[i].id, self.log_tail());
                let (id, addr) = (self.nodes[i].id.clone(), self.nodes[i].addr.clone());
                self.nodes[i].child = self.spawn(&id, &addr);
                self.nodes[i].starts += 1;
                restarted += 1;
            }
        }
        restarted
    }

    fn terminate_all(mut self, http: &Http) -> Vec<std::process::ExitStatus> {
        for i in 0..self.nodes.len() {
            self.wait_answers(http, i);
        }
        let mut out = Vec::new();
        for node in &mut self.nodes {
            let ok = Command::new("kill").args(["-TERM", &node.child.id().to_string()]).status().expect("kill -TERM");
            assert!(ok.success());
            let started = Instant::now();
            loop {
                if let Some(status) = node.child.try_wait().expect("try_wait") {
                    out.push(status);
                    break;
                }
                assert!(started.elapsed() < Duration::from_secs(30), "node {} did not stop within 30 s of SIGTERM", node.id);
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        out
    }
}

/// POSTs to a random node of `addrs` until one answers 200: the answer. Every failed try is
/// counted in `failures` by kind (`503`, `429`, `connection`).
fn post_anywhere(
    http: &mut Http,
    addrs: &[String],
    rng: &mut ChaCha8Rng,
    path: &str,
    body: &Value,
    failures: &mut BTreeMap<String, usize>,
) -> Value {
    let started = Instant::now();
    loop {
        let i = rng.random_range(0..addrs.len());
        let kind = match http.post(&format!("http://{}{path}", addrs[i]), body) {
            Ok((200, answer)) => return answer,
            Ok((status, answer)) => {
                assert!(status == 503 || status == 429, "POST {path} answered {status}: {answer}");
                status.to_string()
            }
            Err(_) => {
                http.reset();
                "connection".to_string()
            }
        };
        *failures.entry(kind).or_default() += 1;
        assert!(started.elapsed() < Duration::from_secs(60), "POST {path}: no node answered 200 within 60 s");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Sends batches of clones of `events` (new ids from `prefix`) until `stop`: the events acknowledged.
fn send_until(
    addrs: Vec<String>,
    key: String,
    events: Vec<Value>,
    prefix: &'static str,
    stop: Arc<AtomicBool>,
) -> (Vec<Value>, BTreeMap<String, usize>) {
    let mut http = Http::new(&key);
    let mut rng = ChaCha8Rng::seed_from_u64(SEED ^ 2);
    let (mut acked, mut failures, mut n) = (Vec::new(), BTreeMap::new(), 0usize);
    while !stop.load(Ordering::Relaxed) {
        let batch = common::cloned_batch(&events, &mut rng, &mut n, prefix, BATCH);
        post_anywhere(&mut http, &addrs, &mut rng, "/v1/events", &json!({ "events": batch }), &mut failures);
        acked.extend(batch);
    }
    (acked, failures)
}

/// PUT `body` (a team, a rep, a routing file) with the admin key to one node; it must answer 200.
fn put(http: &Http, addr: &str, path: &str, body: &str, content_type: &str) {
    let (status, answer) = http.rt.block_on(async {
        let resp = reqwest::Client::new()
            .put(format!("http://{addr}{path}"))
            .header("authorization", format!("Bearer {}", http.key))
            .header("content-type", content_type)
            .body(body.to_string())
            .send()
            .await
            .expect("PUT");
        (resp.status().as_u16(), resp.text().await.unwrap_or_default())
    });
    assert_eq!(status, 200, "PUT {path}: {answer}");
}

fn in_schema(url: &str, schema: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}options=-c%20search_path%3D{schema}")
}

/// A fresh schema, generated data, an admin key and `nodes` nodes with an owner elected.
struct Fixture {
    rt: tokio::runtime::Runtime,
    admin: sqlx::PgConnection,
    schema: String,
    tmp: tempfile::TempDir,
    bin: PathBuf,
    data: PathBuf,
    http: Http,
    cluster: Cluster,
}

impl Fixture {
    /// `None` (after a notice) when PostgreSQL or NATS does not answer and `CI` is not set.
    fn start(tag: &str, nodes: usize, leads: usize) -> Option<Fixture> {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let mut admin = rt.block_on(leadrank_store_postgres::test_server::connect("the cluster tests"))?;
        if !nats_answers(&nats_url()) {
            assert!(std::env::var_os("CI").is_none(), "no NATS server answers at {} and CI is set", nats_url());
            eprintln!("NOTICE: skipping the cluster tests: no NATS server answers at {}", nats_url());
            return None;
        }
        let bin = leadrank_bin();
        let tmp = tempfile::tempdir().expect("temp dir");
        let schema = leadrank_store_postgres::test_server::schema_name(tag);
        rt.block_on(sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA \"{schema}\""))).execute(&mut admin)).expect("create schema");
        let db = in_schema(&leadrank_store_postgres::test_server::url(), &schema);
        let vault = tmp.path().join("keys.vault");
        let data = tmp.path().join("data");
        let gen_as_of = jiff::Timestamp::from_second(jiff::Timestamp::now().as_second()).unwrap().to_string();
        run(&bin, &["generate", "--leads", &leads.to_string(), "--out", data.to_str().unwrap(), "--as-of", &gen_as_of]);
        let key = run(
            &bin,
            &["keys", "create", "--db", &db, "--key-vault", vault.to_str().unwrap(), "--name", "cluster-test", "--scopes", "admin"],
        )
        .trim()
        .to_string();
        let http = Http::new(&key);
        let mut cluster = Cluster {
            bin: bin.clone(),
            db,
            vault,
            name: format!("{tag}{}", std::process::id()),
            log: tmp.path().join("nodes.log"),
            nodes: Vec::new(),
        };
        for n in 0..nodes {
            let (id, addr) = (format!("n{n}"), format!("127.0.0.1:{}", free_port()));
            let child = cluster.spawn(&id, &addr);
            cluster.nodes.push(Node { id, addr, child, starts: 1 });
        }
        cluster.wait_owner(&http, Duration::from_secs(60));
        Some(Fixture { rt, admin, schema, tmp, bin, data, http, cluster })
    }

    fn drop_schema(&mut self) {
        let sql = format!("DROP SCHEMA \"{}\" CASCADE", self.schema);
        self.rt.block_on(sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut self.admin)).expect("drop schema");
    }
}

#[test]
fn three_nodes_lose_nothing_and_count_nothing_twice_through_sigkills() {
    let started = Instant::now();
    let Some(Fixture { rt, mut admin, schema, tmp, bin, data, mut http, mut cluster }) = Fixture::start("cluster", NODES, LEADS) else {
        return;
    };

    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let mut failures: BTreeMap<String, usize> = BTreeMap::new();
    let accounts = read_records(&data.join("accounts.csv")).unwrap();
    let leads = read_records(&data.join("leads.csv")).unwrap();
    let events = read_records(&data.join("events.csv")).unwrap();
    // Teams for every territory of the built-in routing file, two reps each: quality leads
    // are routed as they arrive (business hours closed on the weekend or at night are fine:
    // only SLA deadlines wait for them).
    for region in ["amer", "emea", "apac"] {
        for segment in ["smb", "mid-market", "enterprise"] {
            let team = format!("{region}-{segment}");
            put(&http, &cluster.addrs()[0], &format!("/v1/teams/{team}"), &json!({"timezone": "UTC"}).to_string(), JSON);
            for r in 1..=2 {
                let rep = json!({"team": team, "capacity": 1000}).to_string();
                put(&http, &cluster.addrs()[0], &format!("/v1/reps/{team}-r{r}"), &rep, JSON);
            }
        }
    }
    for (route, name, records) in [("accounts", "accounts", &accounts), ("leads", "leads", &leads)] {
        for chunk in records.chunks(500) {
            post_anywhere(&mut http, &cluster.addrs(), &mut rng, &format!("/v1/{route}"), &json!({ name: chunk }), &mut failures);
        }
    }

    // Batches: the generated events, then clones with new ids until enough kills happened.
    let mut queue: std::collections::VecDeque<Vec<Value>> = events.chunks(BATCH).map(<[Value]>::to_vec).collect();
    let (mut extra, mut kills, mut owner_kills, mut lease_exits, mut batches) = (0usize, 0, 0, 0, 0);
    let mut acked: Vec<Value> = Vec::new();
    let mut acked_ids: HashSet<String> = HashSet::new();
    let mut outcome_counts: BTreeMap<String, u64> = BTreeMap::new();
    let mut takeovers: Vec<Duration> = Vec::new();
    let mut owners_seen: BTreeMap<i64, String> = BTreeMap::new();
    let mut next_kill = Instant::now() + Duration::from_millis(rng.random_range(300..=1500));
    let mut pending_takeover: Option<Instant> = None;
    loop {
        let batch = match queue.pop_front() {
            Some(b) => b,
            None if kills < KILLS => common::cloned_batch(&events, &mut rng, &mut extra, "cluster", BATCH),
            None => break,
        };
        let body = post_anywhere(&mut http, &cluster.addrs(), &mut rng, "/v1/events", &json!({ "events": batch }), &mut failures);
        batches += 1;
        if let Some(killed_at) = pending_takeover.take() {
            takeovers.push(killed_at.elapsed());
        }
        let results = body["results"].as_array().expect("results");
        assert_eq!(results.len(), batch.len());
        for (r, e) in results.iter().zip(&batch) {
            let status = r["status"].as_str().unwrap();
            assert!(status == "accepted" || status == "duplicate", "event {} was {status}: {r}", e["event_id"]);
            *outcome_counts.entry(status.to_string()).or_default() += 1;
            if acked_ids.insert(e["event_id"].as_str().unwrap().to_string()) {
                acked.push(e.clone());
            }
        }
        // Who owns it now, by each node's own word: one owner per token, tokens only grow.
        for i in 0..cluster.nodes.len() {
            if let Some(s) = cluster.status(&http, i)
                && s["role"] == "owner"
            {
                let token = s["token"].as_i64().expect("token");
                let node = s["node"].as_str().unwrap().to_string();
                let prev = owners_seen.insert(token, node.clone());
                assert!(prev.as_ref().is_none_or(|p| *p == node), "token {token} claimed by {prev:?} and {node}");
            }
        }
        lease_exits += cluster.restart_exited();
        if Instant::now() >= next_kill && kills < KILLS {
            let victim = rng.random_range(0..cluster.nodes.len());
            let was_owner = cluster.status(&http, victim).is_some_and(|s| s["role"] == "owner");
            cluster.kill_and_restart(victim);
            kills += 1;
            if was_owner {
                owner_kills += 1;
                pending_takeover = Some(Instant::now());
            }
            next_kill = Instant::now() + Duration::from_millis(rng.random_range(300..=1500));
        }
    }
    assert!(kills >= KILLS, "only {kills} kills");
    let tokens: Vec<i64> = owners_seen.keys().copied().collect();

    // A rolling restart of every node (SIGTERM, start again) while a client keeps sending.
    let stop = Arc::new(AtomicBool::new(false));
    let writer = std::thread::spawn({
        let (addrs, key, events, stop) = (cluster.addrs(), http.key.clone(), events.clone(), stop.clone());
        move || send_until(addrs, key, events, "rolling", stop)
    });
    let rolling = Instant::now();
    for i in 0..cluster.nodes.len() {
        cluster.restart_cleanly(&http, i);
        cluster.wait_answers(&http, i);
        cluster.wait_owner(&http, Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(500));
    }
    let rolling_took = rolling.elapsed();
    stop.store(true, Ordering::Relaxed);
    let (rolled, rolling_failures) = writer.join().expect("writer thread");
    for e in rolled {
        assert!(acked_ids.insert(e["event_id"].as_str().unwrap().to_string()));
        acked.push(e);
    }

    // The check goes through the node that owns the partition at the end, and a standby.
    let owner = cluster.wait_owner(&http, Duration::from_secs(60));
    let base = format!("http://{}", cluster.nodes[owner].addr);
    let checked = common::check_against_batch_scorer(&bin, &data, tmp.path(), &base, &http, &leads, &acked);
    // Every routed lead was assigned once: a write replayed after a takeover must not route
    // a lead again.
    let (mut routed, mut assigned_twice) = (0, Vec::new());
    for lead in &leads {
        let id = lead["lead_id"].as_str().unwrap();
        let v = http.get_json(&format!("{base}/v1/leads/{id}/lifecycle"));
        let assignments = v["log"].as_array().map_or(0, |log| log.iter().filter(|e| e["kind"] == "assignment").count());
        routed += usize::from(assignments > 0);
        if assignments > 1 {
            assigned_twice.push(format!("{id}: {assignments} assignments"));
        }
    }
    let standby = (owner + 1) % NODES;
    let standby_score =
        http.get_json(&format!("http://{}/v1/leads/{}/score", cluster.nodes[standby].addr, leads[0]["lead_id"].as_str().unwrap()));
    let owner_score = http.get_json(&format!("{base}/v1/leads/{}/score", leads[0]["lead_id"].as_str().unwrap()));
    assert_eq!(standby_score["score"], owner_score["score"], "a standby answers with the owner's score");
    let starts: usize = cluster.nodes.iter().map(|n| n.starts).sum();
    let statuses = cluster.terminate_all(&http);
    rt.block_on(sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA \"{schema}\" CASCADE"))).execute(&mut admin)).expect("drop schema");

    takeovers.sort();
    let pct = |p: f64| takeovers.get(((takeovers.len() as f64 - 1.0) * p).round() as usize).map_or(f64::NAN, Duration::as_secs_f64);
    eprintln!(
        "cluster failover test: {kills} SIGKILLs ({owner_kills} of the owner), {lease_exits} exits after a lost lease, \
         {starts} node starts, owner tokens seen {tokens:?}, {batches} batches acknowledged, failed tries resent {failures:?}, \
         rolling restart of {NODES} nodes in {:.1} s with failed tries {rolling_failures:?}, \
         {} distinct events acknowledged ({outcome_counts:?}), {} leads compared ({} needed their own scorer run), \
         {} storage mismatches, {} score mismatches, {routed} leads routed ({} assigned more than once); kill of the owner -> next acknowledged batch: p50 {:.2} s, max {:.2} s; {:.1} s",
        rolling_took.as_secs_f64(),
        acked.len(),
        checked.compared,
        checked.own_runs,
        checked.stored_mismatches.len(),
        checked.score_mismatches.len(),
        assigned_twice.len(),
        pct(0.5),
        pct(1.0),
        started.elapsed().as_secs_f64()
    );
    assert!(checked.stored_mismatches.is_empty(), "events not stored exactly once:\n{}", checked.stored_mismatches.join("\n"));
    assert!(checked.score_mismatches.is_empty(), "scores differ from leadrank score:\n{}", checked.score_mismatches.join("\n"));
    assert!(tokens.windows(2).all(|w| w[0] < w[1]));
    assert!(routed > 0, "no lead was routed: the test would not see a double assignment");
    assert!(assigned_twice.is_empty(), "leads assigned more than once:\n{}", assigned_twice.join("\n"));
    for s in statuses {
        assert!(s.success(), "node exit after SIGTERM: {s}");
    }
}

/// Fencing: the owner is paused (SIGSTOP) past its lease while a batch is on its way to it;
/// the other node takes over; on SIGCONT the former owner stops (exit 75) and nothing of the
/// batch it held was stored, nor acknowledged.
#[test]
fn a_paused_owner_writes_nothing_after_the_takeover() {
    let Some(mut f) = Fixture::start("fence", 2, 30) else { return };
    let mut rng = ChaCha8Rng::seed_from_u64(SEED ^ 1);
    let accounts = read_records(&f.data.join("accounts.csv")).unwrap();
    let leads = read_records(&f.data.join("leads.csv")).unwrap();
    let (addrs, mut failures) = (f.cluster.addrs(), BTreeMap::new());
    post_anywhere(&mut f.http, &addrs, &mut rng, "/v1/accounts", &json!({ "accounts": accounts }), &mut failures);
    post_anywhere(&mut f.http, &addrs, &mut rng, "/v1/leads", &json!({ "leads": leads }), &mut failures);
    let owner = f.cluster.wait_owner(&f.http, Duration::from_secs(30));
    let other = 1 - owner;
    let token_before = f.cluster.status(&f.http, other).expect("status")["token"].as_i64().unwrap();
    let lead_id = leads[0]["lead_id"].as_str().unwrap().to_string();
    let batch: Vec<Value> = (0..5)
        .map(|i| json!({ "event_id": format!("paused-{i}"), "lead_id": lead_id, "type": "demo_request", "occurred_at": "2026-12-01T10:00:00Z" }))
        .collect();

    let pid = f.cluster.nodes[owner].child.id().to_string();
    assert!(Command::new("kill").args(["-STOP", &pid]).status().unwrap().success());
    // A batch sent to the paused owner: the kernel takes the connection, nobody answers yet.
    let (addr, key) = (f.cluster.nodes[owner].addr.clone(), f.http.key.clone());
    let body = json!({ "events": batch });
    let sent = std::thread::spawn(move || Http::new(&key).post(&format!("http://{addr}/v1/events"), &body));
    let takeover = Instant::now();
    loop {
        if f.cluster.status(&f.http, other).is_some_and(|s| s["role"] == "owner") {
            break;
        }
        assert!(takeover.elapsed() < Duration::from_secs(30), "no takeover; log:\n{}", f.cluster.log_tail());
        std::thread::sleep(Duration::from_millis(50));
    }
    let status = f.cluster.status(&f.http, other).unwrap();
    assert_eq!(status["token"].as_i64(), Some(token_before + 1), "the takeover raised the token: {status}");
    assert!(Command::new("kill").args(["-CONT", &pid]).status().unwrap().success());

    // The former owner stops by itself, and the batch it held was not acknowledged.
    let woke = Instant::now();
    let exit = loop {
        if let Some(s) = f.cluster.nodes[owner].child.try_wait().unwrap() {
            break s;
        }
        assert!(woke.elapsed() < Duration::from_secs(10), "the former owner still runs 10 s after SIGCONT");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(exit.code(), Some(75), "exit of the former owner; log:\n{}", f.cluster.log_tail());
    match sent.join().unwrap() {
        Ok((200, answer)) => panic!("the paused owner acknowledged a batch after losing its lease: {answer}"),
        Ok((status, _)) => assert_eq!(status, 503, "a fenced write is a retriable 503"),
        Err(_) => {} // The connection closed with the process.
    }
    let base = format!("http://{}", f.cluster.nodes[other].addr);
    let (code, export) = f.http.post(&format!("{base}/v1/privacy/export"), &json!({ "lead_id": lead_id })).expect("export");
    assert_eq!(code, 200, "{export}");
    let stored: Vec<&str> =
        export["people"][0]["events"].as_array().map_or(Vec::new(), |e| e.iter().filter_map(|e| e["event_id"].as_str()).collect());
    assert!(stored.iter().all(|id| !id.starts_with("paused-")), "the former owner wrote after the takeover: {stored:?}");
    eprintln!(
        "fencing test: takeover after SIGSTOP in {:.2} s; the former owner exited with 75 after SIGCONT",
        takeover.elapsed().as_secs_f64()
    );
    let statuses = std::mem::take(&mut f.cluster.nodes);
    for mut n in statuses {
        let _ = n.child.kill();
        let _ = n.child.wait();
    }
    f.drop_schema();
}

/// A routing file for the SLA test: every lead to team `t1`, a 1-minute first touch that
/// re-routes when breached.
const ONE_MINUTE_SLA: &str = r#"[routing]
name = "sla-test"
version = "1"
fallback_queue = "unassigned"

[segments]
smb_below = 200
enterprise_above = 2000

[[rules]]
id = "all"
to = { team = "t1" }

[[sla]]
id = "quality_lead"
stages = ["mql", "pql", "recycled"]
grades = []
milestones = [{ id = "first_touch", touches = 1, within_minutes = 1, reroute = true }]
"#;

/// An SLA clock survives the death of its owner: the owner is killed right after a lead is
/// routed (one minute before its first-touch deadline); the next owner still records the
/// breach and re-routes the lead to the other rep, within the takeover time of the deadline.
#[test]
fn a_first_touch_clock_breaches_and_reroutes_after_its_owner_dies() {
    let Some(mut f) = Fixture::start("sla", 2, 10) else { return };
    let addrs = f.cluster.addrs();
    put(&f.http, &addrs[0], "/v1/routing", ONE_MINUTE_SLA, "text/plain");
    let team = json!({"timezone": "UTC", "calendar": {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "start": "00:00", "end": "23:59:59"}});
    put(&f.http, &addrs[0], "/v1/teams/t1", &team.to_string(), JSON);
    for rep in ["r1", "r2"] {
        put(&f.http, &addrs[0], &format!("/v1/reps/{rep}"), &json!({"team": "t1", "capacity": 10}).to_string(), JSON);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(SEED ^ 3);
    let mut failures = BTreeMap::new();
    let lead = json!({"lead_id": "S1", "email": "ada@northwind.com", "first_name": "Ada", "last_name": "Lovelace", "title": "VP of Sales",
                      "company": "Northwind", "industry": "Software", "employees": 500, "country": "US", "budget_owner": true, "consent": true});
    post_anywhere(&mut f.http, &addrs, &mut rng, "/v1/leads", &json!({ "leads": [lead] }), &mut failures);
    let now = jiff::Timestamp::from_second(jiff::Timestamp::now().as_second()).unwrap().to_string();
    let demo = json!({"events": [{"event_id": "sla-d1", "lead_id": "S1", "type": "demo_request", "occurred_at": now}]});
    post_anywhere(&mut f.http, &addrs, &mut rng, "/v1/events", &demo, &mut failures);
    let lifecycle = |f: &Fixture| -> Option<Value> {
        addrs.iter().find_map(|a| {
            let (s, body) = f.http.get(&format!("http://{a}/v1/leads/S1/lifecycle"), Some(&f.http.key)).ok()?;
            (s == 200).then(|| serde_json::from_slice::<Value>(&body).ok()).flatten()
        })
    };
    let first = lifecycle(&f).expect("lifecycle");
    let rep = first["assignment"]["rep"].as_str().unwrap_or_else(|| panic!("the lead was routed: {first}")).to_string();
    let due = first["sla"]["milestones"][0]["due"].as_str().unwrap_or_else(|| panic!("an SLA clock runs: {first}")).to_string();
    let due: jiff::Timestamp = due.parse().unwrap();

    // The owner dies one minute before the deadline and comes back as a standby.
    let owner = f.cluster.wait_owner(&f.http, Duration::from_secs(10));
    f.cluster.kill_and_restart(owner);
    let bound = Duration::from_secs(20);
    let rerouted = loop {
        if let Some(v) = lifecycle(&f)
            && v["assignment"]["rep"].as_str().is_some_and(|r| r != rep)
        {
            break v;
        }
        let late = jiff::Timestamp::now().duration_since(due);
        assert!(
            late < jiff::SignedDuration::try_from(bound).unwrap(),
            "not re-routed {late:?} after the deadline; log:\n{}",
            f.cluster.log_tail()
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    let late = jiff::Timestamp::now().duration_since(due);
    let breach = rerouted["log"].as_array().expect("log").iter().any(|e| e["kind"] == "breach");
    assert!(breach, "the breach is recorded: {rerouted}");
    eprintln!(
        "SLA test: owner killed ~60 s before the deadline; breach recorded and re-routed from {rep} to {} {:.1} s after it",
        rerouted["assignment"]["rep"],
        late.as_secs_f64()
    );
    for mut n in std::mem::take(&mut f.cluster.nodes) {
        let _ = n.child.kill();
        let _ = n.child.wait();
    }
    f.drop_schema();
}
