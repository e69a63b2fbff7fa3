//! Alerts end to end: rules through the API, Slack and Teams payloads at a local receiver
//! checked against the vendors' documented shapes, a retry after a 500, and email through a
//! real SMTP server (aiosmtpd).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use jiff::Timestamp;
use leadrank_service::alerts::AlertsConfig;
use serde_json::{Value, json};

mod common;
use common::Server;

const PUBLIC: &str = "https://leadrank.example.com";

/// Leads that the default model rates as quality once they asked for a demo.
fn hot_leads(n: usize) -> (Value, Value) {
    let leads: Vec<Value> = (0..n)
        .map(|i| {
            json!({"lead_id": format!("H{i}"), "email": format!("ada{i}@analytical{i}.com"), "first_name": "Ada", "last_name": format!("Lovelace{i}"),
                   "title": "VP Sales", "company": format!("Analytical <Engines> {i}"), "employees": 500, "country": "DE",
                   "source": "webinar", "budget_owner": true, "timeline_days": 30, "industry": "Software", "tech_stack": ["Salesforce"],
                   "use_case": "lead scoring for our pipeline", "consent": true, "phone_verified": true})
        })
        .collect();
    let at = (Timestamp::now() - jiff::SignedDuration::from_hours(1)).to_string();
    let events: Vec<Value> = (0..n)
        .flat_map(|i| {
            [
                json!({"event_id": format!("dr{i}"), "lead_id": format!("H{i}"), "type": "demo_request", "occurred_at": at}),
                json!({"event_id": format!("pv{i}"), "lead_id": format!("H{i}"), "type": "page_view", "occurred_at": at, "url": "https://acme.com/pricing"}),
                json!({"event_id": format!("tr{i}"), "lead_id": format!("H{i}"), "type": "trial_started", "occurred_at": at}),
            ]
        })
        .collect();
    (json!({"leads": leads}), json!({"events": events}))
}

#[derive(Default)]
struct Inbox {
    slack: Vec<Value>,
    teams: Vec<Value>,
    slack_calls: usize,
    signed: usize,
}

async fn wait_until(what: &str, secs: u64, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < Duration::from_secs(secs), "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn quality_ids(srv: &Server) -> Vec<String> {
    let (s, _, v) = srv.call("GET", "/v1/leads?quality=true&limit=500", Some(&srv.admin), None).await;
    assert_eq!(s, 200, "{v}");
    v["items"].as_array().unwrap().iter().map(|i| i["lead_id"].as_str().unwrap().to_string()).collect()
}

/// Block Kit as Slack documents it for incoming webhooks: a `text` fallback and `blocks`,
/// each block typed; section text is `mrkdwn` of at most 3000 characters; context blocks hold
/// at most 10 text elements.
fn assert_block_kit(v: &Value) {
    assert!(v["text"].as_str().is_some_and(|t| !t.is_empty()), "text fallback: {v}");
    let blocks = v["blocks"].as_array().expect("blocks array");
    assert!(!blocks.is_empty() && blocks.len() <= 50, "{v}");
    for b in blocks {
        match b["type"].as_str().unwrap() {
            "section" => {
                assert_eq!(b["text"]["type"], "mrkdwn", "{b}");
                assert!(b["text"]["text"].as_str().unwrap().chars().count() <= 3000);
            }
            "context" => {
                let els = b["elements"].as_array().unwrap();
                assert!(!els.is_empty() && els.len() <= 10, "{b}");
                assert!(els.iter().all(|e| e["type"] == "mrkdwn" && e["text"].is_string()), "{b}");
            }
            "divider" => {}
            other => panic!("unexpected block type {other}"),
        }
    }
}

/// The Teams incoming-webhook envelope for an Adaptive Card: `type: message` and one
/// attachment with the adaptive-card content type whose content is an `AdaptiveCard`.
fn assert_teams_card(v: &Value) {
    assert_eq!(v["type"], "message", "{v}");
    let atts = v["attachments"].as_array().unwrap();
    assert_eq!(atts.len(), 1);
    assert_eq!(atts[0]["contentType"], "application/vnd.microsoft.card.adaptive");
    let card = &atts[0]["content"];
    assert_eq!(card["type"], "AdaptiveCard");
    assert_eq!(card["$schema"], "http://adaptivecards.io/schemas/adaptive-card.json");
    assert!(card["version"].as_str().is_some());
    let body = card["body"].as_array().unwrap();
    assert!(body.iter().all(|e| ["TextBlock", "FactSet", "Container"].contains(&e["type"].as_str().unwrap())), "{card}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slack_and_teams_alerts_with_a_retry() {
    let srv = Server::start_alerts(AlertsConfig { public_url: Some(PUBLIC.into()), mail: None }).await;
    let inbox = Arc::new(Mutex::new(Inbox::default()));
    let (i1, i2) = (inbox.clone(), inbox.clone());
    let app = axum::Router::new()
        .route(
            "/slack",
            axum::routing::post(move |headers: HeaderMap, body: Bytes| {
                let inbox = i1.clone();
                async move {
                    let mut inbox = inbox.lock().unwrap();
                    inbox.slack_calls += 1;
                    inbox.signed += usize::from(headers.contains_key("leadrank-signature"));
                    // The very first call fails: the delivery must be retried.
                    if inbox.slack_calls == 1 {
                        return (StatusCode::INTERNAL_SERVER_ERROR, "boom");
                    }
                    inbox.slack.push(serde_json::from_slice(&body).unwrap());
                    (StatusCode::OK, "ok")
                }
            }),
        )
        .route(
            "/teams",
            axum::routing::post(move |body: Bytes| {
                let inbox = i2.clone();
                async move {
                    inbox.lock().unwrap().teams.push(serde_json::from_slice(&body).unwrap());
                    StatusCode::ACCEPTED
                }
            }),
        );
    let hook = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", hook.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(hook, app).await.unwrap() });

    // Bad rules are refused, naming the field.
    for (body, pointer) in [
        (json!({"name": "x", "channel": "slack", "destination": "not a url", "events": ["lead.quality"]}), "/destination"),
        (json!({"name": "x", "channel": "pager", "destination": "https://h/x", "events": ["lead.quality"]}), "/channel"),
        (json!({"name": "x", "channel": "slack", "destination": "https://h/x", "events": ["lead.quality", "lead.nope"]}), "/events/1"),
        (json!({"name": "x", "channel": "email", "destination": "nobody", "events": ["lead.quality"]}), "/destination"),
        (
            json!({"name": "x", "channel": "slack", "destination": "https://h/x", "events": ["lead.quality"], "team": "a", "rep": "b"}),
            "/rep",
        ),
        (json!({"name": "", "channel": "slack", "destination": "https://h/x", "events": ["lead.quality"]}), "/name"),
        (json!({"name": "x", "channel": "slack", "destination": "https://h/x", "events": ["lead.quality"], "colour": 1}), "/colour"),
        (
            json!({"name": "x", "channel": "slack", "destination": "https://h/x", "events": ["sla.warning"], "warn_minutes": 0}),
            "/warn_minutes",
        ),
        (
            json!({"name": "x", "channel": "slack", "destination": "https://h/x", "events": ["lead.quality"], "warn_minutes": 5}),
            "/warn_minutes",
        ),
        (json!({"name": "x", "channel": "slack", "destination": "https://h/x", "events": ["lead.quality"], "digest": "weekly"}), "/digest"),
    ] {
        let (s, _, v) = srv.call("POST", "/v1/alerts", Some(&srv.admin), Some(body)).await;
        assert_eq!((s, v["pointer"].as_str()), (400, Some(pointer)), "{v}");
    }
    let reader = srv.key(&["read"]).await;
    let (s, _, _) = srv.call("GET", "/v1/alerts", Some(&reader), None).await;
    assert_eq!(s, 403, "alert rules need the admin scope");

    let (s, _, slack) = srv
        .call(
            "POST",
            "/v1/alerts",
            Some(&srv.admin),
            Some(
                json!({"name": "Quality to Slack", "channel": "slack", "destination": format!("{base}/slack"), "events": ["lead.quality"]}),
            ),
        )
        .await;
    assert_eq!(s, 201, "{slack}");
    let (s, _, teams) = srv
        .call(
            "POST",
            "/v1/alerts",
            Some(&srv.admin),
            Some(
                json!({"name": "Quality to Teams", "channel": "teams", "destination": format!("{base}/teams"), "events": ["lead.quality"]}),
            ),
        )
        .await;
    assert_eq!(s, 201, "{teams}");
    let (s, _, other_team) = srv
        .call(
            "POST",
            "/v1/alerts",
            Some(&srv.admin),
            Some(json!({"name": "Nobody's", "channel": "teams", "destination": format!("{base}/teams"), "events": ["lead.quality"], "team": "no-such-team"})),
        )
        .await;
    assert_eq!(s, 201, "{other_team}");
    assert_eq!(other_team["team"], "no-such-team");
    // Listed with the destination masked; not among the webhooks.
    let (_, _, list) = srv.call("GET", "/v1/alerts", Some(&srv.admin), None).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 3, "{list}");
    assert!(list["items"][0]["destination"].as_str().unwrap().ends_with('…'), "{list}");
    let (_, _, hooks) = srv.call("GET", "/v1/webhooks", Some(&srv.admin), None).await;
    assert_eq!(hooks["items"].as_array().unwrap().len(), 0, "{hooks}");

    let (leads, events) = hot_leads(12);
    let (s, _, v) = srv.call("POST", "/v1/leads", Some(&srv.admin), Some(leads)).await;
    assert_eq!(s, 200, "{v}");
    let (s, _, v) = srv.call("POST", "/v1/events", Some(&srv.admin), Some(events)).await;
    assert_eq!(s, 200, "{v}");
    let quality = quality_ids(&srv).await;
    assert!(!quality.is_empty(), "the fixture must make quality leads");

    // One message per quality lead on each channel; the first Slack call failed (500), so
    // one delivery is retried after the first backoff (10 s).
    let n = quality.len();
    wait_until("the Teams messages", 20, || inbox.lock().unwrap().teams.len() >= n).await;
    wait_until("the Slack messages, one after a retry", 30, || inbox.lock().unwrap().slack.len() >= n).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    {
        let inbox = inbox.lock().unwrap();
        assert_eq!((inbox.slack.len(), inbox.teams.len(), inbox.slack_calls), (n, n, n + 1), "exactly one alert per quality lead and rule");
        assert_eq!(inbox.signed, 0, "alerts are not signed like webhooks");
        for v in &inbox.slack {
            assert_block_kit(v);
            let text = v["blocks"][0]["text"]["text"].as_str().unwrap();
            assert!(text.starts_with("*New quality lead*: <https://leadrank.example.com/leads/H"), "{text}");
            assert!(text.contains("Analytical &lt;Engines&gt;"), "company escaped for mrkdwn: {text}");
            assert!(text.contains("Score "), "{text}");
            assert_eq!(v["blocks"][1]["type"], "context", "top reasons: {v}");
        }
        let mut linked: Vec<String> = inbox
            .slack
            .iter()
            .map(|v| {
                let t = v["blocks"][0]["text"]["text"].as_str().unwrap();
                t.split("/leads/").nth(1).unwrap().split('|').next().unwrap().to_string()
            })
            .collect();
        linked.sort();
        let mut expected = quality.clone();
        expected.sort();
        assert_eq!(linked, expected, "one alert per quality lead");
        for v in &inbox.teams {
            assert_teams_card(v);
            let card = &v["attachments"][0]["content"];
            assert_eq!(card["actions"][0]["type"], "Action.OpenUrl");
            assert!(card["actions"][0]["url"].as_str().unwrap().starts_with("https://leadrank.example.com/leads/H"));
        }
    }

    // Deliveries are visible like webhook deliveries, with the retry recorded.
    let id = slack["id"].as_str().unwrap();
    let (s, _, d) = srv.call("GET", &format!("/v1/alerts/{id}/deliveries"), Some(&srv.admin), None).await;
    assert_eq!(s, 200, "{d}");
    let items = d["items"].as_array().unwrap();
    assert_eq!(items.len(), n);
    assert!(items.iter().all(|i| i["state"] == "delivered" && i["event"] == "lead.quality"), "{d}");
    assert_eq!(items.iter().filter(|i| i["attempts"] == 2).count(), 1, "one delivery took two attempts: {d}");
    let other = other_team["id"].as_str().unwrap();
    let (_, _, d) = srv.call("GET", &format!("/v1/alerts/{other}/deliveries"), Some(&srv.admin), None).await;
    assert_eq!(d["items"].as_array().unwrap().len(), 0, "a team rule ignores leads not assigned to the team: {d}");

    // An alert rule is not a webhook: the webhook routes neither list, show nor delete it.
    let (s, _, _) = srv.call("DELETE", &format!("/v1/webhooks/{id}"), Some(&srv.admin), None).await;
    assert_eq!(s, 404);
    let (s, _, _) = srv.call("GET", &format!("/v1/webhooks/{id}/deliveries"), Some(&srv.admin), None).await;
    assert_eq!(s, 404);

    // Deleting is audited; a deleted rule is gone.
    let (s, _, _) = srv.call("DELETE", &format!("/v1/alerts/{id}"), Some(&srv.admin), None).await;
    assert_eq!(s, 204);
    let (s, _, _) = srv.call("DELETE", &format!("/v1/alerts/{id}"), Some(&srv.admin), None).await;
    assert_eq!(s, 404);
    let (s, _, _) = srv.call("GET", &format!("/v1/alerts/{id}/deliveries"), Some(&srv.admin), None).await;
    assert_eq!(s, 404);
    let (_, _, audit) = srv.call("GET", "/v1/audit", Some(&srv.admin), None).await;
    let actions: Vec<&str> = audit["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert!(actions.contains(&"alert.create") && actions.contains(&"alert.delete"), "{actions:?}");
    assert!(!audit.to_string().contains("/slack"), "the audit log names no destination");
    srv.stop.cancel();
}

/// A free local port (bound, then released for the SMTP server).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_alerts_through_a_real_smtp_server() {
    let have = std::process::Command::new("python3").args(["-c", "import aiosmtpd"]).status().is_ok_and(|s| s.success());
    if !have {
        assert!(std::env::var_os("CI").is_none(), "CI must install aiosmtpd (pip install aiosmtpd==1.4.6, see .ci/run)");
        eprintln!("SKIPPED email_alerts_through_a_real_smtp_server: python3 module aiosmtpd missing (pip install aiosmtpd==1.4.6)");
        return;
    }
    let port = free_port();
    let out = tempfile::NamedTempFile::new().unwrap();
    let mut smtp = std::process::Command::new("python3")
        .args(["-u", "-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
        .stdout(out.reopen().unwrap())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed() < Duration::from_secs(15), "aiosmtpd did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let mail =
        leadrank_webhooks::mail::MailConfig { url: format!("smtp://127.0.0.1:{port}"), from: "leadrank <alerts@example.com>".into() };
    let srv = Server::start_alerts(AlertsConfig { public_url: Some(PUBLIC.into()), mail: Some(mail) }).await;
    let (s, _, rule) = srv
        .call(
            "POST",
            "/v1/alerts",
            Some(&srv.admin),
            Some(json!({"name": "Quality by mail", "channel": "email", "destination": "sdr-team@example.com", "events": ["lead.quality"]})),
        )
        .await;
    assert_eq!(s, 201, "{rule}");
    assert_eq!(rule["destination"], "sdr-team@example.com");
    let (leads, events) = hot_leads(1);
    srv.call("POST", "/v1/leads", Some(&srv.admin), Some(leads)).await;
    srv.call("POST", "/v1/events", Some(&srv.admin), Some(events)).await;
    assert_eq!(quality_ids(&srv).await, ["H0"]);
    let path = out.path().to_path_buf();
    let read = || std::fs::read_to_string(&path).unwrap_or_default();
    wait_until("the email at the SMTP server", 20, || {
        read().contains("---------- MESSAGE FOLLOWS ----------") && read().contains("</html>")
    })
    .await;
    let _ = smtp.kill();
    let _ = smtp.wait();
    // Python's email package decodes what the server received (headers, MIME parts,
    // transfer encodings): an independent reading of the message.
    let decode = r#"
import email, sys
raw = open(sys.argv[1]).read().split("---------- MESSAGE FOLLOWS ----------\n", 1)[1]
raw = raw.split("------------ END MESSAGE ------------", 1)[0]
m = email.message_from_string(raw)
print("SUBJECT:", " ".join(str(m["Subject"]).split()))
print("FROM:", m["From"])
print("TO:", m["To"])
print("TYPE:", m.get_content_type())
for part in m.walk():
    if part.get_content_maintype() == "text":
        print("PART:", part.get_content_type())
        print(part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8"))
"#;
    let decoded = std::process::Command::new("python3").args(["-c", decode, out.path().to_str().unwrap()]).output().unwrap();
    assert!(decoded.status.success(), "{}", String::from_utf8_lossy(&decoded.stderr));
    let text = String::from_utf8(decoded.stdout).unwrap();
    assert!(text.contains("SUBJECT: [leadrank] New quality lead: Ada Lovelace0, VP Sales at Analytical <Engines> 0"), "{text}");
    assert!(text.contains("TO: sdr-team@example.com") && text.contains("FROM: leadrank <alerts@example.com>"), "{text}");
    assert!(
        text.contains("TYPE: multipart/alternative") && text.contains("PART: text/plain") && text.contains("PART: text/html"),
        "{text}"
    );
    assert!(text.contains("Open the lead: https://leadrank.example.com/leads/H0"), "{text}");
    assert!(text.contains("<a href=\"https://leadrank.example.com/leads/H0\">"), "{text}");
    assert!(text.contains("Analytical &lt;Engines&gt; 0"), "HTML escaped: {text}");
    assert!(text.contains("Top reasons:"), "{text}");
    let id = rule["id"].as_str().unwrap();
    let (_, _, d) = srv.call("GET", &format!("/v1/alerts/{id}/deliveries"), Some(&srv.admin), None).await;
    assert_eq!(d["items"][0]["state"], "delivered", "{d}");
    srv.stop.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_without_an_smtp_server_fails_visibly() {
    let srv = Server::start_alerts(AlertsConfig::default()).await;
    let (s, _, rule) = srv
        .call(
            "POST",
            "/v1/alerts",
            Some(&srv.admin),
            Some(json!({"name": "mail", "channel": "email", "destination": "sdr@example.com", "events": ["lead.quality"]})),
        )
        .await;
    assert_eq!(s, 201, "{rule}");
    let (leads, events) = hot_leads(1);
    srv.call("POST", "/v1/leads", Some(&srv.admin), Some(leads)).await;
    srv.call("POST", "/v1/events", Some(&srv.admin), Some(events)).await;
    let id = rule["id"].as_str().unwrap().to_string();
    let mut last = Value::Null;
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        let (_, _, d) = srv.call("GET", &format!("/v1/alerts/{id}/deliveries"), Some(&srv.admin), None).await;
        last = d["items"][0].clone();
        if last["attempts"].as_u64() == Some(1) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(last["state"], "pending", "retried later: {last}");
    assert!(last["last_error"].as_str().unwrap().contains("no SMTP server configured"), "{last}");
    srv.stop.cancel();
}

/// The latency figure in BENCHMARKS.md: from sending the event that makes a lead a quality
/// lead to the Slack message arriving at a local receiver, one lead at a time.
///
/// `LEADRANK_ALERT_BENCH_LEADS=200 cargo test -p leadrank-server --test alerts -- --ignored alert_latency --nocapture`
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark; run it by name"]
async fn alert_latency() {
    let n: usize = std::env::var("LEADRANK_ALERT_BENCH_LEADS").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let srv = Server::start_alerts(AlertsConfig { public_url: Some(PUBLIC.into()), mail: None }).await;
    let arrived: Arc<Mutex<std::collections::HashMap<String, Instant>>> = Arc::default();
    let a2 = arrived.clone();
    let app = axum::Router::new().route(
        "/slack",
        axum::routing::post(move |body: Bytes| {
            let arrived = a2.clone();
            async move {
                let now = Instant::now();
                let v: Value = serde_json::from_slice(&body).unwrap();
                let t = v["blocks"][0]["text"]["text"].as_str().unwrap();
                let id = t.split("/leads/").nth(1).unwrap().split('|').next().unwrap().to_string();
                arrived.lock().unwrap().insert(id, now);
                "ok"
            }
        }),
    );
    let hook = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/slack", hook.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(hook, app).await.unwrap() });
    let (s, _, v) = srv
        .call(
            "POST",
            "/v1/alerts",
            Some(&srv.admin),
            Some(json!({"name": "bench", "channel": "slack", "destination": url, "events": ["lead.quality"]})),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    let (leads, events) = hot_leads(n);
    let (s, _, _) = srv.call("POST", "/v1/leads", Some(&srv.admin), Some(leads)).await;
    assert_eq!(s, 200);
    let events = events["events"].as_array().unwrap().clone();
    let mut sent = Vec::with_capacity(n);
    for (i, pair) in events.chunks(3).enumerate() {
        let start = Instant::now();
        let (s, _, v) = srv.call("POST", "/v1/events", Some(&srv.admin), Some(json!({"events": pair}))).await;
        assert_eq!(s, 200, "{v}");
        sent.push((format!("H{i}"), start));
        // One lead every 20 ms: a steady stream, not a burst.
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let quality: std::collections::HashSet<String> = quality_ids(&srv).await.into_iter().collect();
    wait_until("every alert", 60, || arrived.lock().unwrap().len() >= quality.len()).await;
    let arrived = arrived.lock().unwrap();
    let mut ms: Vec<f64> = sent
        .iter()
        .filter(|(id, _)| quality.contains(id))
        .map(|(id, start)| arrived[id].duration_since(*start).as_secs_f64() * 1000.0)
        .collect();
    ms.sort_by(f64::total_cmp);
    let q = |p: f64| ms[((ms.len() as f64 * p).ceil() as usize).clamp(1, ms.len()) - 1];
    println!(
        "alert latency lead.quality -> Slack receiver over {} quality leads: p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        ms.len(),
        q(0.50),
        q(0.90),
        q(0.99),
        ms[ms.len() - 1]
    );
    assert!(ms.len() >= n * 9 / 10, "most bench leads must be quality leads");
    srv.stop.cancel();
}
