//! `leadrank serve` end to end: the real binary over real HTTP. Keys made with
//! `leadrank keys create`, batch upserts, idempotent events, a score equal to
//! `leadrank score` on the same data, signed webhooks to a local receiver, erasure by email
//! with suppression of re-ingestion, scopes, graceful shutdown on SIGTERM, and no personal
//! data in the log.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

fn leadrank(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_leadrank")).args(args).output().expect("runs leadrank")
}

/// `leadrank keys create`: the key printed on stdout.
fn create_key(db: &str, name: &str, scopes: &str) -> String {
    let out = leadrank(&["keys", "create", "--db", db, "--name", name, "--scopes", scopes]);
    assert!(out.status.success(), "keys create: {}", String::from_utf8_lossy(&out.stderr));
    let key = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(key.starts_with("lr_"), "{key}");
    key
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// Reads one HTTP/1.1 message head and body (Content-Length or chunked) from `r`.
fn read_message(r: &mut BufReader<TcpStream>) -> (String, Vec<(String, String)>, Vec<u8>) {
    let mut first = String::new();
    r.read_line(&mut first).unwrap();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (k, v) = line.split_once(':').expect("header line");
        headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
    }
    let get = |n: &str| headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    let mut body = Vec::new();
    if let Some(len) = get("content-length") {
        body.resize(len.parse().unwrap(), 0);
        r.read_exact(&mut body).unwrap();
    } else if get("transfer-encoding").is_some_and(|t| t.eq_ignore_ascii_case("chunked")) {
        loop {
            let mut size = String::new();
            r.read_line(&mut size).unwrap();
            let n = usize::from_str_radix(size.trim().split(';').next().unwrap(), 16).unwrap();
            let mut chunk = vec![0; n + 2];
            r.read_exact(&mut chunk).unwrap();
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    } else if first.starts_with("HTTP/") {
        r.read_to_end(&mut body).unwrap();
    }
    (first.trim_end().to_string(), headers, body)
}

/// One HTTP/1.1 request on a fresh connection.
fn http(addr: &str, method: &str, path: &str, key: Option<&str>, body: Option<&Value>) -> Response {
    let mut s = TcpStream::connect(addr).expect("connects");
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let payload = body.map(|b| serde_json::to_vec(b).unwrap()).unwrap_or_default();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n", payload.len());
    if body.is_some() {
        head.push_str("Content-Type: application/json\r\n");
    }
    if let Some(k) = key {
        head.push_str(&format!("Authorization: Bearer {k}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(&payload).unwrap();
    let (status_line, headers, body) = read_message(&mut BufReader::new(s));
    let status = status_line.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or_else(|| panic!("status line {status_line:?}"));
    Response { status, headers, body }
}

/// A webhook receiver: keeps each request's headers and body, answers 200.
#[derive(Default)]
struct Received(Vec<Message>);

/// Headers (lower-case names) and body of one request.
type Message = (Vec<(String, String)>, Vec<u8>);

fn receiver() -> (String, Arc<Mutex<Received>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let got: Arc<Mutex<Received>> = Arc::default();
    let g = got.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(conn) = conn else { continue };
            let g = g.clone();
            std::thread::spawn(move || {
                conn.set_read_timeout(Some(Duration::from_secs(10))).ok();
                let mut w = conn.try_clone().unwrap();
                let mut r = BufReader::new(conn);
                // Several requests may come on one kept-alive connection.
                loop {
                    let mut peek = [0u8; 1];
                    if r.get_ref().peek(&mut peek).map_or(true, |n| n == 0) && r.buffer().is_empty() {
                        return;
                    }
                    let (_, headers, body) = read_message(&mut r);
                    g.lock().unwrap().0.push((headers, body));
                    if w.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok").is_err() {
                        return;
                    }
                }
            });
        }
    });
    (url, got)
}

/// The server process; killed if the test fails before its shutdown.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn csv_cell(v: &str) -> String {
    if v.contains([',', '"', '\n', '\r']) { format!("\"{}\"", v.replace('"', "\"\"")) } else { v.to_string() }
}

/// A JSON value as a CSV cell (lists joined by ';', objects as JSON).
fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => csv_cell(s),
        Value::Array(a) => csv_cell(&a.iter().map(|i| i.as_str().unwrap()).collect::<Vec<_>>().join(";")),
        Value::Object(_) => csv_cell(&v.to_string()),
        other => other.to_string(),
    }
}

fn write_csv(path: &Path, columns: &[&str], rows: &[Value]) {
    let mut out = columns.join(",") + "\n";
    for r in rows {
        out += &columns.iter().map(|c| cell(&r[*c])).collect::<Vec<_>>().join(",");
        out += "\n";
    }
    std::fs::write(path, out).unwrap();
}

const LEAD_COLUMNS: [&str; 15] = [
    "lead_id",
    "email",
    "first_name",
    "last_name",
    "title",
    "company",
    "domain",
    "industry",
    "employees",
    "country",
    "source",
    "budget_owner",
    "timeline_days",
    "tech_stack",
    "created_at",
];
const EVENT_COLUMNS: [&str; 6] = ["event_id", "lead_id", "type", "occurred_at", "url", "properties"];

/// (lead_id, email, first name, last name, title, company, domain, employees, country)
type Person = (&'static str, &'static str, &'static str, &'static str, &'static str, &'static str, &'static str, i64, &'static str);

const PEOPLE: [Person; 6] = [
    ("E1", "josé@münchen.de", "José", "Müller-Lüdenscheidt", "VP Sales", "Münchner Rück", "münchen.de", 1200, "DE"),
    ("E2", "zoë.ødegaard@bergen.no", "Zoë", "Ødegaard", "Head of Marketing", "Fjord AS", "bergen.no", 450, "NO"),
    ("E3", "siobhan@dublin.ie", "Siobhán", "Ó Briain", "Analyst", "Liffey Ltd", "dublin.ie", 80, "IE"),
    ("E4", "françois@paris.fr", "François", "Lefèvre", "CTO", "Société Générale d'Essai", "paris.fr", 3000, "FR"),
    ("E5", "kenji@tokyo.jp", "Kenji", "Watanabe", "Student", "Gakko", "tokyo.jp", 5, "JP"),
    ("E6", "ana.núñez@madrid.es", "Ana", "Núñez", "Director of Sales", "Ñandú SL", "madrid.es", 600, "ES"),
];

#[test]
fn serve_end_to_end() {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.db").display().to_string();
    let admin = create_key(&db, "admin", "admin");
    let reader = create_key(&db, "reader", "read");
    let ingester = create_key(&db, "ingester", "ingest");

    let (out_path, err_path) = (dir.path().join("serve.out"), dir.path().join("serve.err"));
    let child = Command::new(env!("CARGO_BIN_EXE_leadrank"))
        .args(["serve", "--db", &db, "--addr", "127.0.0.1:0", "--allow-private-webhooks"])
        .env("RUST_LOG", "debug")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("starts leadrank serve");
    let mut server = Server(child);
    // The address from "leadrank listening on http://<addr> with N leads".
    let addr = loop {
        let text = std::fs::read_to_string(&out_path).unwrap_or_default();
        if let Some(rest) = text.split("listening on http://").nth(1) {
            break rest.split_whitespace().next().unwrap().to_string();
        }
        assert!(server.0.try_wait().unwrap().is_none(), "serve exited: {}", std::fs::read_to_string(&err_path).unwrap());
        assert!(started.elapsed() < Duration::from_secs(15), "serve did not start");
        std::thread::sleep(Duration::from_millis(50));
    };
    loop {
        if TcpStream::connect(&addr).is_ok() && http(&addr, "GET", "/readyz", None, None).status == 200 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(15), "not ready");
        std::thread::sleep(Duration::from_millis(50));
    }

    // A webhook receiver, subscribed before any data arrives.
    let (hook_url, received) = receiver();
    let r = http(
        &addr,
        "POST",
        "/v1/webhooks",
        Some(&admin),
        Some(&json!({"url": hook_url, "events": ["lead.quality", "lead.score_changed"]})),
    );
    assert_eq!(r.status, 201, "{}", r.json());
    let secret = r.json()["secret"].as_str().unwrap().to_string();

    // Explicit times, relative to a whole hour before now so that recent-activity rules fire.
    let base = jiff::Timestamp::from_second(jiff::Timestamp::now().as_second() / 3600 * 3600 - 3600).unwrap();
    let at = |hours_ago: i64| (base - jiff::SignedDuration::from_hours(hours_ago)).to_string();
    let leads: Vec<Value> = PEOPLE
        .iter()
        .enumerate()
        .map(|(i, &(id, email, first, last, title, company, domain, employees, country))| {
            json!({
                "lead_id": id, "email": email, "first_name": first, "last_name": last, "title": title, "company": company,
                "domain": domain, "industry": if i % 2 == 0 { "software" } else { "manufacturing" }, "employees": employees,
                "country": country, "source": if i < 3 { "webinar" } else { "paid_search" }, "budget_owner": i % 3 == 0,
                "timeline_days": 30 + 30 * i as i64, "tech_stack": ["Salesforce", "Segment"], "created_at": at(24 * 20 + i as i64),
            })
        })
        .collect();
    let mut events = Vec::new();
    for (i, &(id, ..)) in PEOPLE.iter().enumerate() {
        for k in 0..=i % 3 {
            events
                .push(json!({"event_id": format!("pv-{id}-{k}"), "lead_id": id, "type": "page_view", "occurred_at": at(3 + 5 * k as i64),
                               "url": "https://leadrank.example/pricing", "properties": {"referrer": "newsletter", "seconds": 40 + k}}));
        }
        if i % 2 == 0 {
            events.push(json!({"event_id": format!("dr-{id}"), "lead_id": id, "type": "demo_request", "occurred_at": at(2), "url": null, "properties": null}));
        }
    }
    let leads_csv = dir.path().join("leads.csv");
    let events_csv = dir.path().join("events.csv");
    write_csv(&leads_csv, &LEAD_COLUMNS, &leads);
    write_csv(&events_csv, &EVENT_COLUMNS, &events);

    let r = http(&addr, "POST", "/v1/leads", Some(&ingester), Some(&json!({"leads": leads})));
    assert_eq!(r.status, 200, "{}", r.json());
    assert_eq!(r.json()["summary"], json!({"created": PEOPLE.len()}), "{}", r.json());
    let r = http(&addr, "POST", "/v1/events", Some(&ingester), Some(&json!({"events": events})));
    assert_eq!(r.status, 200, "{}", r.json());
    assert_eq!(r.json()["summary"], json!({"accepted": events.len()}), "{}", r.json());
    assert!(r.json()["results"].as_array().unwrap().iter().all(|x| x["status"] == "accepted"));
    // The same batch again: every event is a duplicate.
    let r = http(&addr, "POST", "/v1/events", Some(&ingester), Some(&json!({"events": events})));
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["summary"], json!({"duplicate": events.len()}), "{v}");
    for (i, res) in v["results"].as_array().unwrap().iter().enumerate() {
        assert_eq!((res["index"].as_u64(), res["status"].as_str()), (Some(i as u64), Some("duplicate")), "{res}");
        assert_eq!(res["event_id"], events[i]["event_id"]);
    }

    // The live score equals the batch engine at the same time, for every lead.
    for &(id, ..) in &PEOPLE {
        let r = http(&addr, "GET", &format!("/v1/leads/{id}/score"), Some(&reader), None);
        assert_eq!(r.status, 200, "{}", r.json());
        let live = r.json();
        let as_of = live["as_of"].as_str().unwrap().to_string();
        let out = leadrank(&[
            "score",
            "--leads",
            leads_csv.to_str().unwrap(),
            "--events",
            events_csv.to_str().unwrap(),
            "--as-of",
            &as_of,
            "--format",
            "jsonl",
        ]);
        assert!(out.status.success(), "leadrank score: {}", String::from_utf8_lossy(&out.stderr));
        let batch: Value = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .find(|s| s["lead_id"] == id)
            .unwrap_or_else(|| panic!("{id} in the batch output"));
        let rules =
            |s: &Value| s["reasons"].as_array().unwrap().iter().map(|r| r["rule"].as_str().unwrap().to_string()).collect::<Vec<_>>();
        let s = &live["score"];
        assert_eq!(
            (&s["total"], &s["grade"], &s["quality"]),
            (&batch["total"], &batch["grade"], &batch["quality"]),
            "{id}: live {s} batch {batch}"
        );
        assert_eq!(rules(s), rules(&batch), "{id}: fired rules");
        assert!(!rules(s).is_empty(), "{id}: some rules fire");
    }

    // Webhooks: signed with the subscription secret, each delivery with its own id.
    let deadline = Instant::now() + Duration::from_secs(10);
    while received.lock().unwrap().0.len() < 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    {
        let got = received.lock().unwrap();
        assert!(got.0.len() >= 2, "webhook deliveries: {}", got.0.len());
        let now = jiff::Timestamp::now().as_second();
        let mut ids = Vec::new();
        for (headers, body) in &got.0 {
            let h = |n: &str| headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str()).unwrap_or_else(|| panic!("header {n}"));
            leadrank_webhooks::verify(&secret, h("leadrank-signature"), body, now, 300).expect("valid signature");
            assert!(leadrank_webhooks::verify("whsec_wrong", h("leadrank-signature"), body, now, 300).is_err());
            ids.push(h("leadrank-delivery-id").to_string());
        }
        let unique: BTreeSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "delivery ids are unique: {ids:?}");
    }

    // Scopes: read-only cannot ingest, ingest-only cannot erase, no key is a 401.
    let problem = |r: &Response, status: u16| {
        assert_eq!(r.status, status, "{}", r.json());
        assert_eq!(r.header("content-type"), Some("application/problem+json"));
        assert_eq!(r.json()["status"], status);
        assert!(r.json()["request_id"].is_string());
    };
    problem(&http(&addr, "POST", "/v1/events", Some(&reader), Some(&json!({"events": [events[0]]}))), 403);
    problem(&http(&addr, "POST", "/v1/privacy/erase", Some(&ingester), Some(&json!({"email": "kenji@tokyo.jp"}))), 403);
    problem(&http(&addr, "GET", "/v1/leads", None, None), 401);
    problem(&http(&addr, "GET", "/v1/leads", Some("lr_knope_00"), None), 401);
    assert_eq!(http(&addr, "GET", "/v1/leads/E5/score", Some(&reader), None).status, 200, "kenji was not erased");

    // Erase José by email: the score is gone, and his address is not stored again.
    let r = http(&addr, "POST", "/v1/privacy/erase", Some(&admin), Some(&json!({"email": "josé@münchen.de"})));
    assert_eq!(r.status, 200, "{}", r.json());
    assert_eq!(r.json()["leads"], 1, "{}", r.json());
    assert!(r.json()["erased"]["events"].as_u64().unwrap() >= 1, "{}", r.json());
    problem(&http(&addr, "GET", "/v1/leads/E1/score", Some(&reader), None), 404);
    let again = json!({"leads": [{"lead_id": "E1-new", "email": "josé@münchen.de", "first_name": "José"}, {"lead_id": "E1", "first_name": "José"}]});
    let r = http(&addr, "POST", "/v1/leads", Some(&ingester), Some(&again));
    assert_eq!(r.status, 200, "{}", r.json());
    assert_eq!(r.json()["results"][0]["status"], "suppressed", "{}", r.json());
    assert_eq!(r.json()["results"][1]["status"], "suppressed", "{}", r.json());
    problem(&http(&addr, "GET", "/v1/leads/E1-new", Some(&reader), None), 404);

    // Graceful shutdown on SIGTERM.
    let pid = server.0.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(s) = server.0.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "serve did not stop within 10 s of SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0), "exit status {status:?}");

    // No personal data in the log (debug level).
    let log = std::fs::read_to_string(&err_path).unwrap();
    assert!(log.contains("request"), "the log has request lines: {log}");
    for &(_, email, first, last, _, company, ..) in &PEOPLE {
        for needle in [email, first, last, company] {
            assert!(!log.contains(needle), "the log contains '{needle}':\n{log}");
        }
    }
    assert!(started.elapsed() < Duration::from_secs(30), "took {:?}", started.elapsed());
}
