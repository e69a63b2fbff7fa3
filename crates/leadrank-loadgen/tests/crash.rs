//! Crash test of `leadrank serve` on SQLite: event batches are sent one after the other
//! while the server is killed with SIGKILL at seeded random moments (50-400 ms after it is
//! ready), at least `KILLS` times. After each kill the server is restarted and the batch
//! that was in flight is sent again (an at-least-once client retries what was not
//! acknowledged). At the end:
//!
//! * every acknowledged event is stored exactly once: `POST /v1/privacy/export` returns, per
//!   lead, as many events as distinct acknowledged event ids of that lead;
//! * every lead's `GET /v1/leads/{id}/score` equals `leadrank score --as-of <its as_of>` on
//!   leads.csv + accounts.csv + the acknowledged events (total and fired rule ids);
//! * the server stops cleanly on SIGTERM.
//!
//! The `leadrank` binary: `$LEADRANK_BIN` if set; otherwise the test runs
//! `cargo build -p leadrank-cli` (a no-op when it is up to date) and uses
//! `$CARGO_TARGET_DIR/debug/leadrank` (default `<workspace>/target/debug/leadrank`).

mod common;

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use common::{Http, free_port, leadrank_bin, run};
use leadrank_loadgen::read_records;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};

const LEADS: usize = 300;
const BATCH: usize = 100;
const KILLS: usize = 20;
const SEED: u64 = 0x1ead_4a2c;

/// The server under test, restarted after each kill.
struct Server {
    bin: PathBuf,
    db: PathBuf,
    addr: String,
    log: PathBuf,
    child: Arc<Mutex<Child>>,
    killer: Option<JoinHandle<()>>,
    starts: usize,
}

impl Server {
    fn spawn(bin: &Path, db: &Path, addr: &str, log: &Path) -> Child {
        let err = File::options().create(true).append(true).open(log).expect("log file");
        Command::new(bin)
            .args(["serve", "--db", db.to_str().expect("UTF-8 path"), "--addr", addr])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(err)
            .spawn()
            .expect("starting leadrank serve")
    }

    fn start(bin: &Path, db: &Path, addr: &str, log: &Path, http: &Http) -> Server {
        let child = Self::spawn(bin, db, addr, log);
        let s = Server {
            bin: bin.into(),
            db: db.into(),
            addr: addr.into(),
            log: log.into(),
            child: Arc::new(Mutex::new(child)),
            killer: None,
            starts: 1,
        };
        s.wait_ready(http);
        s
    }

    fn wait_ready(&self, http: &Http) {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.lock().unwrap().try_wait().expect("try_wait") {
                panic!("server exited during start-up: {status}; log: {}", std::fs::read_to_string(&self.log).unwrap_or_default());
            }
            if http.get(&format!("http://{}/healthz", self.addr), None).is_ok_and(|(s, _)| s == 200) {
                return;
            }
            assert!(started.elapsed() < Duration::from_secs(60), "server not ready after 60 s");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGKILLs the server `delay` from now (in a thread).
    fn arm_killer(&mut self, delay: Duration) {
        let child = self.child.clone();
        self.killer = Some(std::thread::spawn(move || {
            std::thread::sleep(delay);
            let _ = child.lock().unwrap().kill(); // SIGKILL on Unix
        }));
    }

    /// Waits for the armed kill (if any) and for the process to be gone; restarts it.
    fn after_kill_restart(&mut self, http: &Http) -> bool {
        let killed = self.killer.take().map(|k| k.join().expect("killer thread")).is_some();
        if !killed {
            // An error without a kill: kill now, to keep one rule (a failed batch is resent
            // to a restarted server).
            let _ = self.child.lock().unwrap().kill();
        }
        let _ = self.child.lock().unwrap().wait();
        *self.child.lock().unwrap() = Self::spawn(&self.bin, &self.db, &self.addr, &self.log);
        self.starts += 1;
        self.wait_ready(http);
        killed
    }

    fn terminate(self) -> std::process::ExitStatus {
        let pid = self.child.lock().unwrap().id();
        let ok = Command::new("kill").args(["-TERM", &pid.to_string()]).status().expect("kill -TERM");
        assert!(ok.success());
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.lock().unwrap().try_wait().expect("try_wait") {
                return status;
            }
            assert!(started.elapsed() < Duration::from_secs(20), "server did not stop within 20 s of SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

#[test]
fn acknowledged_events_survive_sigkill_exactly_once() {
    let started = Instant::now();
    let bin = leadrank_bin();
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("data");
    let db = tmp.path().join("leadrank.db");
    let log = tmp.path().join("server.log");
    let gen_as_of = jiff::Timestamp::from_second(jiff::Timestamp::now().as_second()).unwrap().to_string();
    run(&bin, &["generate", "--leads", &LEADS.to_string(), "--out", data.to_str().unwrap(), "--as-of", &gen_as_of]);
    let key = run(&bin, &["keys", "create", "--db", db.to_str().unwrap(), "--name", "crash-test", "--scopes", "admin"]).trim().to_string();
    let addr = format!("127.0.0.1:{}", free_port());
    let base = format!("http://{addr}");
    let mut http = Http::new(&key);
    let mut server = Server::start(&bin, &db, &addr, &log, &http);

    let accounts = read_records(&data.join("accounts.csv")).unwrap();
    let leads = read_records(&data.join("leads.csv")).unwrap();
    let events = read_records(&data.join("events.csv")).unwrap();
    for (route, name, records) in [("accounts", "accounts", &accounts), ("leads", "leads", &leads)] {
        for chunk in records.chunks(500) {
            let (status, body) = http.post(&format!("{base}/v1/{route}"), &json!({ name: chunk })).expect("upsert");
            assert_eq!(status, 200, "{body}");
        }
    }

    // Batches: the generated events, then clones with new ids until enough kills happened.
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let mut queue: std::collections::VecDeque<Vec<Value>> = events.chunks(BATCH).map(<[Value]>::to_vec).collect();
    let mut extra = 0usize;
    let mut acked: Vec<Value> = Vec::new();
    let mut acked_ids: HashSet<String> = HashSet::new();
    let (mut kills, mut resends, mut batches_acked) = (0usize, 0usize, 0usize);
    let mut outcome_counts: BTreeMap<String, u64> = BTreeMap::new();
    server.arm_killer(Duration::from_millis(rng.random_range(50..=400)));
    loop {
        let batch = match queue.pop_front() {
            Some(b) => b,
            None if kills < KILLS => common::cloned_batch(&events, &mut rng, &mut extra, "crash", BATCH),
            None => break,
        };
        loop {
            match http.post(&format!("{base}/v1/events"), &json!({ "events": batch })) {
                Ok((200, body)) => {
                    let results = body["results"].as_array().expect("results");
                    assert_eq!(results.len(), batch.len());
                    for (r, e) in results.iter().zip(&batch) {
                        let status = r["status"].as_str().unwrap();
                        assert!(status == "accepted" || status == "duplicate", "event {} was {status}: {r}", e["event_id"]);
                        *outcome_counts.entry(status.to_string()).or_default() += 1;
                        let id = e["event_id"].as_str().unwrap().to_string();
                        if acked_ids.insert(id) {
                            acked.push(e.clone());
                        }
                    }
                    batches_acked += 1;
                    break;
                }
                Ok((status, body)) => panic!("POST /v1/events answered {status}: {body}"),
                Err(_) => {
                    // Not acknowledged: the server was killed. Restart and send it again.
                    if server.after_kill_restart(&http) {
                        kills += 1;
                    }
                    http.reset();
                    resends += 1;
                    if kills < KILLS {
                        server.arm_killer(Duration::from_millis(rng.random_range(50..=400)));
                    }
                }
            }
        }
    }
    assert!(kills >= KILLS, "only {kills} kills");
    if let Some(k) = server.killer.take() {
        // A kill armed but not needed any more cannot happen (no killer is armed after the
        // last one), but never leave one behind.
        k.join().unwrap();
    }

    // One more restart without a kill: what is read now comes from the database.
    let starts = server.starts + 1;
    let status = server.terminate();
    assert!(status.success(), "server exit after SIGTERM: {status}");
    let server = Server::start(&bin, &db, &addr, &log, &http);
    http.reset();

    let checked = common::check_against_batch_scorer(&bin, &data, tmp.path(), &base, &http, &leads, &acked);
    let (stored_mismatches, score_mismatches, own_runs, served) =
        (checked.stored_mismatches, checked.score_mismatches, checked.own_runs, checked.compared);
    let status = server.terminate();

    eprintln!(
        "crash test: {kills} SIGKILLs, {starts} server starts, {batches_acked} batches acknowledged, {resends} resends, \
         {} distinct events acknowledged ({outcome_counts:?}), {} leads compared ({own_runs} needed their own scorer run), \
         {} storage mismatches, {} score mismatches, {:.1} s",
        acked.len(),
        served,
        stored_mismatches.len(),
        score_mismatches.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(stored_mismatches.is_empty(), "events not stored exactly once:\n{}", stored_mismatches.join("\n"));
    assert!(score_mismatches.is_empty(), "scores differ from leadrank score:\n{}", score_mismatches.join("\n"));
    assert!(status.success(), "server exit after SIGTERM: {status}");
}
