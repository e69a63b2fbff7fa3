//! Upgrading a database made by the service before migrations were recorded.
//!
//! The fixture (`tests/fixtures/upgrade_v1/`, made by `make.sh` there with the binary of
//! the commit named in it) is a SQLite file and a PostgreSQL dump, filled through the HTTP
//! API of that binary: accounts, leads, events, consent records, teams and reps, a model
//! upload and activation, keys, and lifecycle actions (accept, checklist, reject, stage
//! moves), plus the API's answers recorded before it stopped. Each test opens a copy with
//! this binary (`db status`, `db migrate --dry-run`, then `serve`, which upgrades it) and
//! requires the very same answers: every record, score, stage and key intact.
//!
//! On PostgreSQL the upgrade also encrypts every row of personal data with its lead's key
//! (schema version 2), in a key vault made by `serve` (`--key-vault`); the raw tables hold
//! no plain JSON afterwards.
//!
//! Both binaries run under libfaketime with the wall clock frozen at [`NOW`], so that
//! scores, SLA clocks and timestamps do not move between the recording and the check. When
//! libfaketime is missing the tests are skipped with a notice (a failure under `CI`);
//! PostgreSQL runs whenever a server answers (`leadrank_store_postgres::test_server`).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The frozen wall clock of both runs.
const NOW: &str = "2026-11-30 15:00:00";
/// The same instant in RFC 3339.
const NOW_RFC3339: &str = "2026-11-30T15:00:00Z";
const LIBFAKETIME: &str = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";
/// The schema the PostgreSQL fixture was made in (renamed on load).
const FIXTURE_SCHEMA: &str = "leadrank_upgrade_fixture_v1";

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/upgrade_v1")
}

/// libfaketime's path, or `None` (skip, with a notice; a failure under `CI`).
fn faketime() -> Option<&'static str> {
    if Path::new(LIBFAKETIME).exists() {
        return Some(LIBFAKETIME);
    }
    if std::env::var_os("CI").is_some() {
        panic!("{LIBFAKETIME} is missing and CI is set: install Debian's faketime package");
    }
    eprintln!("NOTICE: skipping the upgrade test: {LIBFAKETIME} is missing (apt-get install faketime)");
    None
}

/// `bin args...` with the wall clock frozen at [`NOW`] (monotonic time runs, for timers).
fn frozen(bin: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(bin);
    c.args(args).env("LD_PRELOAD", LIBFAKETIME).env("FAKETIME", NOW).env("FAKETIME_DONT_FAKE_MONOTONIC", "1").env("TZ", "UTC");
    c
}

// ---- HTTP -------------------------------------------------------------------------------

/// One request on a fresh connection: (status, body as JSON, or as a string when not JSON).
fn http(addr: &str, method: &str, path: &str, key: &str, body: Option<&[u8]>, content_type: &str) -> (u16, Value) {
    let mut s = TcpStream::connect(addr).expect("connects");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let payload = body.unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\nContent-Type: {content_type}\r\nAuthorization: Bearer {key}\r\n\r\n",
        payload.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(payload).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a response head");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut body = raw[split + 4..].to_vec();
    if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        body = dechunk(&body);
    }
    let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or_else(|| panic!("status line in {head:?}"));
    let value = serde_json::from_slice(&body).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into_owned()));
    (status, value)
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = b.windows(2).position(|w| w == b"\r\n").expect("chunk size line");
        let size = usize::from_str_radix(std::str::from_utf8(&b[..line_end]).unwrap().split(';').next().unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&b[line_end + 2..line_end + 2 + size]);
        b = &b[line_end + 2 + size + 2..];
    }
}

fn call(addr: &str, method: &str, path: &str, key: &str, body: Option<Value>) -> Value {
    let bytes = body.map(|b| serde_json::to_vec(&b).unwrap());
    let (status, v) = http(addr, method, path, key, bytes.as_deref(), "application/json");
    assert!((200..300).contains(&status), "{method} {path}: {status} {v}");
    v
}

/// A running `leadrank serve`; killed if the test fails before it is stopped.
struct Server {
    child: Child,
    addr: String,
}

/// `first`, then the database options `db` (`--db ...`, and `--key-vault ...` for PostgreSQL).
fn with_db<'a>(first: &[&'a str], db: &[&'a str]) -> Vec<&'a str> {
    [first, db].concat()
}

impl Server {
    fn start(bin: &Path, db: &[&str]) -> Server {
        let mut child = frozen(bin, &with_db(&["serve", "--addr", "127.0.0.1:0"], db))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starts leadrank serve");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next().and_then(Result::ok).unwrap_or_else(|| {
            let mut err = String::new();
            child.stderr.take().unwrap().read_to_string(&mut err).ok();
            panic!("serve did not start: {err}")
        });
        let addr = first.split("http://").nth(1).and_then(|r| r.split_whitespace().next()).expect("the address").to_string();
        std::thread::spawn(move || lines.for_each(drop));
        Server { child, addr }
    }

    /// SIGTERM, then waits for a clean exit (everything queued is committed).
    fn stop(mut self) -> String {
        let status = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap();
        assert!(status.success());
        let started = Instant::now();
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                let mut err = String::new();
                self.child.stderr.take().unwrap().read_to_string(&mut err).ok();
                assert!(s.success(), "serve exited with {s}: {err}");
                return err;
            }
            assert!(started.elapsed() < Duration::from_secs(30), "serve did not stop");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---- the data ---------------------------------------------------------------------------

/// (lead_id, first, last, title, employees, country, account)
const PEOPLE: [(&str, &str, &str, &str, i64, &str, &str); 24] = [
    ("L01", "Ada", "Lovelace", "VP Sales", 1200, "US", "A1"),
    ("L02", "Alan", "Turing", "Head of Marketing", 1200, "US", "A1"),
    ("L03", "Grace", "Hopper", "CTO", 450, "US", "A2"),
    ("L04", "Edsger", "Dijkstra", "Software Engineer", 450, "US", "A2"),
    ("L05", "Barbara", "Liskov", "Director of Operations", 800, "US", "A2"),
    ("L06", "Donald", "Knuth", "Student", 5, "US", ""),
    ("L07", "José", "Müller-Lüdenscheidt", "Geschäftsführer", 3000, "DE", "A3"),
    ("L08", "Zoë", "Ødegaard", "Head of Sales", 3000, "DE", "A3"),
    ("L09", "Margaret", "Hamilton", "VP Engineering", 2500, "US", ""),
    ("L10", "Ken", "Thompson", "Founder", 12, "US", ""),
    ("L11", "Frances", "Allen", "Chief Revenue Officer", 900, "US", ""),
    ("L12", "John", "Backus", "Analyst", 150, "US", ""),
    ("L13", "Radia", "Perlman", "VP Marketing", 620, "US", ""),
    ("L14", "Leslie", "Lamport", "Director of IT", 7000, "US", ""),
    ("L15", "Shafi", "Goldwasser", "Head of Security", 350, "US", ""),
    ("L16", "Tim", "Berners-Lee", "Marketing Manager", 220, "US", ""),
    ("L17", "Adele", "Goldberg", "COO", 1800, "US", ""),
    ("L18", "Niklaus", "Wirth", "Intern", 40, "US", ""),
    ("L19", "Hedy", "Lamarr", "VP Product", 510, "US", ""),
    ("L20", "Dennis", "Ritchie", "Sales Director", 260, "US", ""),
    ("L21", "Sophie", "Wilson", "Head of Finance", 1400, "US", ""),
    ("L22", "Yukihiro", "Matsumoto", "Engineer", 90, "US", ""),
    ("L23", "Anita", "Borg", "President", 330, "US", ""),
    ("L24", "Jean", "Sammet", "Director of Sales", 700, "US", ""),
];

fn at(hours_before_now: i64) -> String {
    let now: jiff::Timestamp = NOW_RFC3339.parse().unwrap();
    (now - jiff::SignedDuration::from_hours(hours_before_now)).to_string()
}

fn leads() -> Value {
    let items: Vec<Value> = PEOPLE
        .iter()
        .map(|(id, first, last, title, employees, country, account)| {
            let domain = if account.is_empty() { "gmail.com".to_string() } else { format!("{}.example", account.to_lowercase()) };
            let mut l = json!({
                "lead_id": id, "email": format!("{}.{}@{domain}", first.to_lowercase(), last.to_lowercase().replace(' ', "")),
                "first_name": first, "last_name": last, "title": title, "company": format!("{last} Corp"),
                "employees": employees, "country": country, "source": "webinar", "industry": "Software",
                "created_at": at(24 * 20),
            });
            if !account.is_empty() {
                l["account_id"] = json!(account);
                l["domain"] = json!(domain);
            }
            l
        })
        .collect();
    json!({ "leads": items })
}

fn events() -> Value {
    let mut items = Vec::new();
    for (i, (id, ..)) in PEOPLE.iter().enumerate() {
        for k in 0..(i % 4) {
            items.push(json!({"event_id": format!("pv-{id}-{k}"), "lead_id": id, "type": "page_view", "occurred_at": at(2 + 5 * k as i64), "url": format!("https://vendor.example/pricing?p={k}")}));
        }
        if i % 3 == 0 {
            items.push(json!({"event_id": format!("demo-{id}"), "lead_id": id, "type": "demo_request", "occurred_at": at(1)}));
        }
        if i % 5 == 1 {
            items.push(json!({"event_id": format!("web-{id}"), "lead_id": id, "type": "webinar_attended", "occurred_at": at(48), "properties": {"webinar": "Q4 launch"}}));
        }
    }
    json!({ "events": items })
}

/// Writes everything through the API of the server at `addr`; `admin` is an admin key.
/// Returns the keys made on the way (name, secret), for reading the answers.
fn fill(bin: &Path, db: &[&str], dir: &Path) -> BTreeMap<String, String> {
    let mut keys = BTreeMap::new();
    for (name, scopes) in [("fixture-admin", "admin"), ("fixture-sales", "sales,read")] {
        let out = frozen(bin, &with_db(&["keys", "create", "--name", name, "--scopes", scopes], db)).output().unwrap();
        assert!(out.status.success(), "keys create: {}", String::from_utf8_lossy(&out.stderr));
        keys.insert(name.to_string(), String::from_utf8(out.stdout).unwrap().trim().to_string());
    }
    let server = Server::start(bin, db);
    let a = server.addr.clone();
    let admin = keys["fixture-admin"].clone();
    let sales = keys["fixture-sales"].clone();
    // A key made through the API, and one revoked.
    let made = call(&a, "POST", "/v1/keys", &admin, Some(json!({"name": "fixture-reader", "scopes": ["read"]})));
    keys.insert("fixture-reader".into(), made["key"].as_str().unwrap().to_string());
    let gone = call(&a, "POST", "/v1/keys", &admin, Some(json!({"name": "fixture-revoked", "scopes": ["ingest"]})));
    call(&a, "DELETE", &format!("/v1/keys/{}", gone["id"].as_str().unwrap()), &admin, None);

    call(&a, "PUT", "/v1/teams/amer-mid-market", &admin, Some(json!({"name": "AMER Mid-Market", "timezone": "America/New_York"})));
    call(&a, "PUT", "/v1/teams/emea-enterprise", &admin, Some(json!({"name": "EMEA Enterprise", "timezone": "Europe/Berlin"})));
    for (rep, team) in [("r1", "amer-mid-market"), ("r2", "amer-mid-market"), ("r3", "emea-enterprise")] {
        call(&a, "PUT", &format!("/v1/reps/{rep}"), &admin, Some(json!({"name": rep, "team": team, "capacity": 20})));
    }
    call(
        &a,
        "POST",
        "/v1/accounts",
        &admin,
        Some(json!({"accounts": [
            {"account_id": "A1", "name": "Northwind", "tier": "abm", "domain": "a1.example"},
            {"account_id": "A2", "name": "Contoso", "domain": "a2.example"},
            {"account_id": "A3", "name": "Fabrikam GmbH", "domain": "a3.example"},
        ]})),
    );
    call(&a, "POST", "/v1/leads", &admin, Some(leads()));
    call(&a, "POST", "/v1/events", &admin, Some(events()));
    call(
        &a,
        "POST",
        "/v1/consents",
        &admin,
        Some(json!({"consents": [
            {"lead_id": "L03", "purpose": "marketing", "status": "granted", "source": "form", "at": at(30)},
            {"lead_id": "L07", "purpose": "marketing", "status": "withdrawn", "source": "email_link", "at": at(3)},
            {"lead_id": "L12", "purpose": "sales_contact", "status": "granted", "source": "crm", "at": at(100)},
        ]})),
    );

    // A new model version (one rule worth 5 more points), then activated.
    let source = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/default.toml")).unwrap();
    let source = source.replacen("version = \"1.1.0\"", "version = \"1.2.0-fixture\"", 1);
    let (status, model) = http(&a, "POST", "/v1/models", &admin, Some(bump_first_points(&source).as_bytes()), "application/toml");
    assert!((200..300).contains(&status), "model upload: {status} {model}");
    let id = model["id"].as_i64().expect("model id");
    call(&a, "POST", &format!("/v1/models/{id}/activate"), &admin, Some(json!({})));
    let started = Instant::now();
    while call(&a, "GET", "/v1/models/activation", &admin, None)["state"] != "done" {
        assert!(started.elapsed() < Duration::from_secs(60), "activation did not finish");
        std::thread::sleep(Duration::from_millis(100));
    }

    // Lifecycle: accept, fill a checklist to sql, move on, reject one, disqualify one.
    let lifecycle = call(&a, "GET", "/v1/leads?stage=mql&limit=50", &sales, None);
    let mql: Vec<String> = lifecycle["items"].as_array().unwrap().iter().map(|l| l["lead_id"].as_str().unwrap().to_string()).collect();
    assert!(mql.len() >= 3, "the fixture needs three mql leads: {lifecycle}");
    call(&a, "POST", &format!("/v1/leads/{}/accept", mql[0]), &sales, Some(json!({"by": "r1", "note": "good fit"})));
    for item in ["budget", "authority", "need", "timeline"] {
        call(
            &a,
            "PUT",
            &format!("/v1/leads/{}/checklist/bant/{item}", mql[0]),
            &sales,
            Some(json!({"status": "confirmed", "note": format!("{item} ok"), "by": "r1"})),
        );
    }
    call(&a, "POST", &format!("/v1/leads/{}/stage", mql[0]), &sales, Some(json!({"to": "opportunity", "by": "r1", "reason": "CRM"})));
    call(&a, "POST", &format!("/v1/leads/{}/accept", mql[1]), &sales, Some(json!({"by": "r2"})));
    call(
        &a,
        "PUT",
        &format!("/v1/leads/{}/checklist/bant/budget", mql[1]),
        &sales,
        Some(json!({"status": "negative", "note": "no budget", "by": "r2"})),
    );
    call(
        &a,
        "POST",
        &format!("/v1/leads/{}/reject", mql[2]),
        &sales,
        Some(json!({"reason": "no_active_project", "note": "revisit in Q3", "by": "r1"})),
    );
    let stop_log = server.stop();
    assert!(!stop_log.contains("Lovelace"), "no personal data in the log");
    std::fs::write(dir.join("keys.json"), serde_json::to_string_pretty(&keys).unwrap() + "\n").unwrap();
    keys
}

/// The model source with the first `points = N` raised by 5.
fn bump_first_points(source: &str) -> String {
    let at = source.find("points = ").expect("a rule with points");
    let start = at + "points = ".len();
    let end = start + source[start..].find(|c: char| !(c.is_ascii_digit() || c == '-')).unwrap();
    let n: i64 = source[start..end].parse().unwrap();
    format!("{}{}{}", &source[..start], n + 5, &source[end..])
}

/// Everything the API answers about the data, by request; reads only.
fn answers(addr: &str, keys: &BTreeMap<String, String>) -> BTreeMap<String, Value> {
    let admin = &keys["fixture-admin"];
    let reader = &keys["fixture-reader"];
    let mut out = BTreeMap::new();
    let mut get = |path: String, key: &str| {
        let (status, v) = http(addr, "GET", &path, key, None, "application/json");
        out.insert(path, json!({"status": status, "body": v}));
    };
    get("/v1/leads?limit=100".into(), reader);
    for stage in ["mql", "sal", "sql", "opportunity", "nurture", "inquiry"] {
        get(format!("/v1/leads?stage={stage}&limit=100"), reader);
    }
    for (id, ..) in PEOPLE {
        get(format!("/v1/leads/{id}"), reader);
        get(format!("/v1/leads/{id}/score"), reader);
        get(format!("/v1/leads/{id}/history"), reader);
        get(format!("/v1/leads/{id}/lifecycle"), admin);
    }
    for path in [
        "/v1/accounts",
        "/v1/accounts/A1",
        "/v1/accounts/A2",
        "/v1/accounts/A3",
        "/v1/models",
        "/v1/models/1",
        "/v1/models/2",
        "/v1/models/diff?from=1&to=2",
        "/v1/teams",
        "/v1/reps",
        "/v1/routing",
        "/v1/keys",
        "/v1/audit?limit=500",
        "/v1/reports/funnel",
        "/v1/reports/routing",
        "/v1/reports/sla",
        "/v1/reports/stages",
    ] {
        get(path.into(), admin);
    }
    out
}

/// Makes the fixture with the old binary (`LEADRANK_OLD_BIN`); see `make.sh`.
#[test]
#[ignore = "makes the fixture; run by tests/fixtures/upgrade_v1/make.sh"]
fn make_fixture() {
    let old = PathBuf::from(std::env::var("LEADRANK_OLD_BIN").expect("LEADRANK_OLD_BIN: the binary of the old commit"));
    assert!(faketime().is_some(), "libfaketime is needed");
    let dir = fixture_dir();
    std::fs::create_dir_all(&dir).unwrap();
    // SQLite.
    let work = tempfile::tempdir().unwrap();
    let db = work.path().join("leadrank.db");
    let keys = fill(&old, &["--db", db.to_str().unwrap()], &dir);
    let server = Server::start(&old, &["--db", db.to_str().unwrap()]);
    let recorded = answers(&server.addr, &keys);
    server.stop();
    assert!(!work.path().join("leadrank.db-wal").exists() || std::fs::metadata(work.path().join("leadrank.db-wal")).unwrap().len() == 0);
    std::fs::copy(&db, dir.join("sqlite.db")).unwrap();
    std::fs::write(dir.join("sqlite.answers.json"), serde_json::to_string_pretty(&recorded).unwrap() + "\n").unwrap();
    // PostgreSQL: the schema is made by make.sh, dumped by it afterwards.
    let url = std::env::var("LEADRANK_FIXTURE_POSTGRES").expect("LEADRANK_FIXTURE_POSTGRES: a URL whose search_path is the fixture schema");
    let pg_dir = work.path().join("pg");
    std::fs::create_dir_all(&pg_dir).unwrap();
    let keys = fill(&old, &["--db", &url], &pg_dir);
    std::fs::copy(pg_dir.join("keys.json"), dir.join("postgres.keys.json")).unwrap();
    let server = Server::start(&old, &["--db", &url]);
    let recorded = answers(&server.addr, &keys);
    server.stop();
    std::fs::write(dir.join("postgres.answers.json"), serde_json::to_string_pretty(&recorded).unwrap() + "\n").unwrap();
}

fn new_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_leadrank"))
}

fn load_json<T: serde::de::DeserializeOwned>(name: &str) -> T {
    let text = std::fs::read_to_string(fixture_dir().join(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

/// `leadrank db status`: (exit code, stdout).
fn db_status(db: &[&str]) -> (i32, String) {
    let out = frozen(&new_bin(), &with_db(&["db", "status"], db)).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr))
}

/// Status, dry run, then `serve` (the upgrade to schema version `schema`) and the recorded
/// answers, request by request. Returns what `serve` wrote on stderr.
fn check_upgrade(
    db: &[&str],
    schema: i64,
    keys: &BTreeMap<String, String>,
    recorded: &BTreeMap<String, Value>,
    unchanged: impl Fn() -> Vec<u8>,
) -> String {
    let (code, text) = db_status(db);
    assert_eq!(code, 1, "pending migrations: {text}");
    assert!(text.contains("database schema:  1 (made before migrations were recorded; setting schema_version = 2)"), "{text}");
    assert!(text.contains(&format!("leadrank schema:  {schema}")) && text.contains("1  initial schema"), "{text}");

    let before = unchanged();
    let out = frozen(&new_bin(), &with_db(&["db", "migrate", "--dry-run"], db)).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && text.contains("would record") && text.contains("nothing changed"), "{text}");
    assert_eq!(unchanged(), before, "a dry run changes nothing");

    let server = Server::start(&new_bin(), db);
    let now = answers(&server.addr, keys);
    let log = server.stop();
    assert!(log.contains("adopted as schema version 1"), "serve reports the upgrade: {log}");
    assert_eq!(now.len(), recorded.len());
    for (path, old) in recorded {
        assert_eq!(Some(old), now.get(path), "the answer to GET {path} changed with the upgrade");
    }
    let (code, text) = db_status(db);
    assert_eq!(code, 0, "up to date after serve: {text}");
    assert!(text.contains("pending:          none"), "{text}");
    let out = frozen(&new_bin(), &with_db(&["db", "migrate"], db)).output().unwrap();
    assert!(out.status.success() && String::from_utf8_lossy(&out.stdout).contains("up to date"), "{out:?}");
    log
}

#[test]
fn sqlite_database_of_the_previous_release_upgrades_intact() {
    if faketime().is_none() {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let db = work.path().join("leadrank.db");
    std::fs::copy(fixture_dir().join("sqlite.db"), &db).unwrap();
    let keys: BTreeMap<String, String> = load_json("keys.json");
    let recorded: BTreeMap<String, Value> = load_json("sqlite.answers.json");
    let path = db.clone();
    let latest = leadrank_store_sqlite::MIGRATIONS.len() as i64;
    check_upgrade(&["--db", db.to_str().unwrap()], latest, &keys, &recorded, move || std::fs::read(&path).unwrap());

    // A later leadrank's next migration applied: this one refuses the database, naming both
    // versions, in `db status`, `db migrate` and `serve`.
    let later =
        leadrank_store::Migration { version: latest + 1, description: "from a later release", sql: "CREATE TABLE later (x INTEGER);" };
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let store = leadrank_store_sqlite::SqliteStore::open_existing(&db).await.unwrap();
        let with_later: Vec<_> = leadrank_store_sqlite::MIGRATIONS.iter().copied().chain([later]).collect();
        store.upgrade_with(&with_later).await.unwrap();
        store.close().await;
    });
    let (code, text) = db_status(&["--db", db.to_str().unwrap()]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains(&format!("database schema:  {}", latest + 1))
            && text.contains(&format!("leadrank schema:  {latest}"))
            && text.contains("refused:"),
        "{text}"
    );
    for args in [&["db", "migrate", "--db"][..], &["serve", "--addr", "127.0.0.1:0", "--db"][..]] {
        let mut args = args.to_vec();
        args.push(db.to_str().unwrap());
        let out = frozen(&new_bin(), &args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        let refusal = format!("database schema version {} cannot be used by this leadrank (schema version {latest})", latest + 1);
        assert!(err.contains(&refusal), "{args:?}: {err}");
    }
}

#[test]
fn postgres_database_of_the_previous_release_upgrades_intact() {
    if faketime().is_none() {
        return;
    }
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let Some(mut admin) = rt.block_on(leadrank_store_postgres::test_server::connect("the upgrade test")) else { return };
    let schema = leadrank_store_postgres::test_server::schema_name("upgrade");
    let dump = std::fs::read_to_string(fixture_dir().join("postgres.sql")).unwrap().replace(FIXTURE_SCHEMA, &schema);
    rt.block_on(sqlx::raw_sql(sqlx::AssertSqlSafe(dump)).execute(&mut admin)).expect("loads the dump");
    let url = format!("{}?options[search_path]={schema}", leadrank_store_postgres::test_server::url());
    let keys: BTreeMap<String, String> = load_json("postgres.keys.json");
    let recorded: BTreeMap<String, Value> = load_json("postgres.answers.json");
    let work = tempfile::tempdir().unwrap();
    let vault = work.path().join("keys.vault");
    let vault_arg = vault.to_str().unwrap().to_string();
    let outcome = std::panic::catch_unwind(|| {
        // Without a key vault, every command that opens the database says why it needs one.
        for args in [&["db", "status"][..], &["db", "migrate"][..], &["serve", "--addr", "127.0.0.1:0"][..], &["keys", "list"][..]] {
            let out = frozen(&new_bin(), &with_db(args, &["--db", &url])).env_remove("LEADRANK_KEY_VAULT").output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(!out.status.success() && err.contains("--key-vault PATH (or LEADRANK_KEY_VAULT) is required"), "{args:?}: {err}");
        }
        let probe_url = url.clone();
        let probe_vault = vault.clone();
        let db = ["--db", url.as_str(), "--key-vault", vault_arg.as_str()];
        let log = check_upgrade(&db, leadrank_store_postgres::MIGRATIONS.len() as i64, &keys, &recorded, move || {
            // What a dry run could change: the tables, the settings and the key vault.
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async {
                let options: leadrank_store_postgres::PgConnectOptions = probe_url.parse().unwrap();
                let mut c = <sqlx::PgConnection as sqlx::Connection>::connect_with(&options).await.unwrap();
                let t: Vec<String> = sqlx::query_scalar(
                    "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1",
                )
                .fetch_all(&mut c)
                .await
                .unwrap();
                let s: Vec<String> =
                    sqlx::query_scalar("SELECT key || '=' || value FROM settings ORDER BY key").fetch_all(&mut c).await.unwrap();
                format!("{t:?}{s:?}{}", probe_vault.exists()).into_bytes()
            })
        });
        eprintln!("serve on the upgraded database said:\n{log}");
        // The upgrade encrypted every row of personal data, in a private key vault.
        assert!(log.contains("encrypted ") && log.contains("row(s) stored before encryption"), "{log}");
        assert!(!log.contains("Lovelace"), "no personal data in the log");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&vault).unwrap().permissions().mode() & 0o777, 0o600);
        }
        rt.block_on(async {
            let options: leadrank_store_postgres::PgConnectOptions = url.parse().unwrap();
            let mut c = <sqlx::PgConnection as sqlx::Connection>::connect_with(&options).await.unwrap();
            for col in leadrank_store_postgres::sealing::SEALED_COLUMNS {
                let plain: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    "SELECT count(*) FROM {} WHERE {} NOT LIKE 'enc1:%' AND lead_id IS NOT NULL",
                    col.table, col.column
                )))
                .fetch_one(&mut c)
                .await
                .unwrap();
                assert_eq!(plain, 0, "{}.{} still holds plain rows", col.table, col.column);
            }
            let leads: i64 = sqlx::query_scalar("SELECT count(*) FROM leads").fetch_one(&mut c).await.unwrap();
            assert_eq!(leads, 24);
        });
        let (_, text) = db_status(&db);
        assert!(text.contains("key vault:") && text.contains("(24 lead key(s))"), "{text}");
    });
    rt.block_on(sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA \"{schema}\" CASCADE"))).execute(&mut admin)).unwrap();
    if let Err(e) = outcome {
        std::panic::resume_unwind(e);
    }
}
