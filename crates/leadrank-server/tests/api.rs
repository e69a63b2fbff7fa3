//! The HTTP API in process, over real TCP: keys and scopes, problem+json errors, batch
//! results, idempotent events, ranked lists with cursors, scores equal to the batch engine,
//! signed webhooks to a local receiver, and erasure.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::HeaderMap;
use jiff::Timestamp;

use serde_json::{Value, json};

mod common;
use common::Server;

const FIRST: [&str; 11] = ["Ana", "Bo", "Chen", "Darío", "Eva", "Femi", "Gita", "Hugo", "Inès", "Jon", "Kai"];
const LAST: [&str; 13] = [
    "Núñez",
    "Okafor",
    "Schmidt",
    "Tanaka",
    "Kowalski",
    "Haddad",
    "Silva",
    "Ødegaard",
    "Müller",
    "Rossi",
    "Nakamura",
    "O'Brien",
    "Ivanova",
];

fn leads_body(n: usize) -> Value {
    let leads: Vec<Value> = (0..n)
        .map(|i| {
            json!({"lead_id": format!("L{i}"), "email": format!("p{i}@acme{}.com", i % 7), "first_name": FIRST[i % FIRST.len()], "last_name": LAST[i % LAST.len()],
                   "title": if i % 3 == 0 { "VP Sales" } else { "Analyst" }, "industry": "software", "employees": 300 + i, "country": "DE", "source": "webinar",
                   "budget_owner": i % 3 == 0, "timeline_days": 30})
        })
        .collect();
    json!({ "leads": leads })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_scopes_and_problems() {
    let srv = Server::start().await;
    let (s, h, v) = srv.call("GET", "/v1/leads", None, None).await;
    assert_eq!(s, 401);
    assert_eq!(h["content-type"], "application/problem+json");
    assert!(v["request_id"].is_string());
    let (s, _, _) = srv.call("GET", "/v1/leads", Some("lr_kbogus_123"), None).await;
    assert_eq!(s, 401);
    let reader = srv.key(&["read"]).await;
    let (s, _, v) = srv.call("POST", "/v1/leads", Some(&reader), Some(leads_body(1))).await;
    assert_eq!(s, 403, "{v}");
    let ingest = srv.key(&["ingest"]).await;
    let (s, _, v) = srv.call("POST", "/v1/leads", Some(&ingest), Some(json!({"leads": [], "extra": 1}))).await;
    assert_eq!((s, v["pointer"].as_str()), (400, Some("/extra")), "{v}");
    assert!(v["detail"].as_str().unwrap().contains("extra"), "{v}");
    let (s, _, v) = srv.call("POST", "/v1/leads", Some(&ingest), Some(json!({"leads": [{"lead_id": "X", "employes": 5}]}))).await;
    assert_eq!(s, 200);
    assert_eq!(v["results"][0]["status"], "rejected");
    assert_eq!(v["results"][0]["pointer"], "/leads/0/employes");
    let (s, _, v) = srv.call("POST", "/v1/leads", Some(&ingest), Some(leads_body(501))).await;
    assert_eq!((s, v["pointer"].as_str()), (400, Some("/leads")), "{v}");
    let huge = json!({"events": [{"event_id": "e", "lead_id": "L0", "type": "x", "occurred_at": "2026-01-01T00:00:00Z", "properties": {"a": "x".repeat(600 * 1024)}}]});
    let (s, _, v) = srv.call("POST", "/v1/events", Some(&ingest), Some(huge)).await;
    assert_eq!(s, 413, "{v}");
    let (s, _, v) = srv.call("GET", "/v1/leads?limit=many", Some(&reader), None).await;
    assert_eq!((s, v["pointer"].as_str()), (400, Some("/query/limit")), "{v}");
    let (s, _, v) = srv.call("GET", "/v1/webhooks/wh_nope/deliveries", Some(&srv.admin), None).await;
    assert_eq!(s, 404, "{v}");
    let (s, _, v) = srv.call("GET", "/v1/leads?stage=mql", Some(&reader), None).await;
    assert_eq!(s, 200, "{v}");
    let (s, _, v) = srv.call("GET", "/v1/leads?stage=hot", Some(&reader), None).await;
    assert_eq!((s, v["pointer"].as_str()), (400, Some("/query/stage")), "{v}");
    assert!(v["detail"].as_str().unwrap().contains("mql"), "the error lists valid stages: {v}");
    // Revoked keys stop working.
    let id = reader.split('_').nth(1).unwrap().to_string();
    let (s, _, _) = srv.call("DELETE", &format!("/v1/keys/{id}"), Some(&srv.admin), None).await;
    assert_eq!(s, 204);
    let (s, _, _) = srv.call("GET", "/v1/leads", Some(&reader), None).await;
    assert_eq!(s, 401);
    let (s, _, _) = srv.call("GET", "/metrics", None, None).await;
    assert_eq!(s, 200);
    srv.stop.cancel();
}

#[derive(Default)]
struct Received {
    ids: Vec<String>,
    events: Vec<String>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ingest_rank_score_webhooks_and_erase() {
    let srv = Server::start().await;
    // A webhook receiver that verifies signatures.
    let received = Arc::new(Mutex::new(Received::default()));
    let secret: Arc<Mutex<String>> = Arc::default();
    let (r2, s2) = (received.clone(), secret.clone());
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let (r, s) = (r2.clone(), s2.clone());
            async move {
                let sig = headers["leadrank-signature"].to_str().unwrap().to_string();
                let secret = s.lock().unwrap().clone();
                leadrank_webhooks::verify(&secret, &sig, &body, Timestamp::now().as_second(), 300).expect("valid signature");
                let mut r = r.lock().unwrap();
                r.ids.push(headers["leadrank-delivery-id"].to_str().unwrap().to_string());
                r.events.push(headers["leadrank-event"].to_str().unwrap().to_string());
                "ok"
            }
        }),
    );
    let hook = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook_url = format!("http://{}/hook", hook.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(hook, app).await.unwrap() });
    let (s, _, v) = srv
        .call("POST", "/v1/webhooks", Some(&srv.admin), Some(json!({"url": hook_url, "events": ["lead.quality", "lead.score_changed"]})))
        .await;
    assert_eq!(s, 201, "{v}");
    *secret.lock().unwrap() = v["secret"].as_str().unwrap().to_string();

    let (s, _, v) = srv.call("POST", "/v1/leads", Some(&srv.admin), Some(leads_body(120))).await;
    assert_eq!((s, v["summary"]["created"].as_u64()), (200, Some(120)), "{v}");
    let now = Timestamp::now();
    let events: Vec<Value> = (0..120)
        .flat_map(|i| {
            let at = (now - jiff::SignedDuration::from_hours(i as i64 % 48 + 1)).to_string();
            let mut v = vec![json!({"event_id": format!("pv{i}"), "lead_id": format!("L{i}"), "type": "page_view", "occurred_at": at, "url": "https://acme.com/pricing"})];
            if i % 4 == 0 {
                v.push(json!({"event_id": format!("dr{i}"), "lead_id": format!("L{i}"), "type": "demo_request", "occurred_at": at}));
            }
            v
        })
        .collect();
    let (s, _, v) = srv.call("POST", "/v1/events", Some(&srv.admin), Some(json!({"events": events}))).await;
    assert_eq!((s, v["summary"]["accepted"].as_u64()), (200, Some(150)), "{v}");
    let (_, _, v) = srv.call("POST", "/v1/events", Some(&srv.admin), Some(json!({"events": events}))).await;
    assert_eq!(v["summary"]["duplicate"].as_u64(), Some(150), "a resent batch counts once: {v}");

    // Ranked, filtered, paginated.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let q = cursor.as_ref().map_or(String::new(), |c| format!("&cursor={c}"));
        let (s, _, v) = srv.call("GET", &format!("/v1/leads?limit=25{q}"), Some(&srv.admin), None).await;
        assert_eq!(s, 200, "{v}");
        for item in v["items"].as_array().unwrap() {
            seen.push((item["total"].as_i64().unwrap(), item["lead_id"].as_str().unwrap().to_string()));
        }
        match v["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 120);
    assert!(seen.windows(2).all(|w| w[0].0 >= w[1].0), "ranked by score");
    let (_, _, q) = srv.call("GET", "/v1/leads?quality=true&limit=500", Some(&srv.admin), None).await;
    assert!(q["items"].as_array().unwrap().iter().all(|i| i["quality"] == true));

    // The score with its explanation equals the batch engine at the same time.
    let (s, _, v) = srv.call("GET", "/v1/leads/L0/score", Some(&srv.admin), None).await;
    assert_eq!(s, 200, "{v}");
    let as_of: Timestamp = v["as_of"].as_str().unwrap().parse().unwrap();
    let model = leadrank_core::model::builtin::default_model();
    let mut b = leadrank_core::engine::DatasetBuilder::new(&model);
    for l in srv.store.all_leads().await.unwrap() {
        b.add_lead(l).unwrap();
    }
    for e in srv.store.all_events().await.unwrap() {
        b.add_event(&e).unwrap();
    }
    let batch = b.build().score_all(&model, as_of, &|_| {});
    let want = batch.iter().find(|s| s.lead_id == "L0").unwrap();
    assert_eq!(serde_json::to_value(want).unwrap(), v["score"]);
    assert!(v["explanation"].as_str().unwrap().contains("demo_request"), "{}", v["explanation"]);
    let (_, _, h) = srv.call("GET", "/v1/leads/L0/history", Some(&srv.admin), None).await;
    assert!(h["items"].as_array().unwrap().len() >= 2, "{h}");

    // Webhooks arrive, signed (checked by the receiver).
    for _ in 0..100 {
        if received.lock().unwrap().events.iter().any(|e| e == "lead.quality") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    {
        let r = received.lock().unwrap();
        assert!(r.events.iter().any(|e| e == "lead.quality"), "{:?}", r.events);
        let mut ids = r.ids.clone();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), r.ids.len(), "delivery ids are unique");
    }

    // Export then erase a person; re-ingestion is suppressed.
    let (s, _, v) = srv.call("POST", "/v1/privacy/export", Some(&srv.admin), Some(json!({"lead_id": "L0"}))).await;
    assert_eq!(s, 200);
    assert_eq!(v["people"][0]["events"].as_array().unwrap().len(), 2);
    let (s, _, v) = srv.call("POST", "/v1/privacy/erase", Some(&srv.admin), Some(json!({"lead_id": "L0"}))).await;
    assert_eq!((s, v["erased"]["events"].as_u64()), (200, Some(2)), "{v}");
    let (s, _, _) = srv.call("GET", "/v1/leads/L0/score", Some(&srv.admin), None).await;
    assert_eq!(s, 404);
    let (_, _, v) =
        srv.call("POST", "/v1/leads", Some(&srv.admin), Some(json!({"leads": [{"lead_id": "L0", "email": "new@x.org"}]}))).await;
    assert_eq!(v["results"][0]["status"], "suppressed");
    let (_, _, v) = srv.call("GET", "/v1/audit", Some(&srv.admin), None).await;
    let actions: Vec<&str> = v["items"].as_array().unwrap().iter().map(|a| a["action"].as_str().unwrap()).collect();
    assert!(actions.contains(&"erase") && actions.contains(&"export"), "{actions:?}");

    // Models: a bad upload names the line; a good one activates in the background.
    let (s, _, v) = srv.call_text("/v1/models", "name = \"x\"\nversion = 1\n").await;
    assert_eq!(s, 422, "{v}");
    assert!(v["errors"][0]["line"].as_u64().is_some(), "{v}");
    let src = leadrank_core::model::builtin::DEFAULT.source.replace("quality_threshold = 80", "quality_threshold = 40");
    let (s, _, v) = srv.call_text("/v1/models", &src).await;
    assert_eq!(s, 201, "{v}");
    let id = v["id"].as_i64().unwrap();
    let (s, _, _) = srv.call("POST", &format!("/v1/models/{id}/activate"), Some(&srv.admin), None).await;
    assert_eq!(s, 202);
    for _ in 0..100 {
        let (_, _, a) = srv.call("GET", "/v1/models/activation", Some(&srv.admin), None).await;
        if a["state"] == "done" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (_, _, v) = srv.call("GET", "/v1/models", Some(&srv.admin), None).await;
    assert_eq!(v["items"].as_array().unwrap().iter().find(|m| m["active"] == true).unwrap()["id"], id);
    let (_, _, d) = srv.call("GET", &format!("/v1/models/diff?from=1&to={id}"), Some(&srv.admin), None).await;
    assert!(d["unified_diff"].as_str().unwrap().contains("quality_threshold = 40"), "{d}");
    srv.stop.cancel();
}

impl Server {
    async fn call_text(&self, path: &str, text: &str) -> (u16, HeaderMap, Value) {
        let resp = self
            .client
            .post(format!("{}{path}", self.base))
            .header("authorization", format!("Bearer {}", self.admin))
            .header("content-type", "application/toml")
            .body(text.to_string())
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        (status, headers, serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap_or(Value::Null))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhooks_to_private_networks_are_refused_by_default() {
    let srv = Server::start_with(false).await;
    for url in
        ["http://127.0.0.1:9/hook", "http://169.254.169.254/latest/meta-data", "http://localhost/x", "http://[::1]/x", "http://10.0.0.5/x"]
    {
        let (s, _, v) = srv.call("POST", "/v1/webhooks", Some(&srv.admin), Some(json!({"url": url, "events": ["lead.quality"]}))).await;
        assert_eq!((s, v["pointer"].as_str()), (400, Some("/url")), "{url}: {v}");
        assert!(v["detail"].as_str().unwrap().contains("must be public"), "{v}");
    }
    let (s, _, v) = srv
        .call(
            "POST",
            "/v1/webhooks",
            Some(&srv.admin),
            Some(json!({"url": "https://hooks.example.com/leadrank", "events": ["lead.quality"]})),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    srv.stop.cancel();
}

/// A NUL byte (which PostgreSQL cannot store in text) or a negative count rejects only its
/// record, before anything reaches the store, so every back end gives the same answer.
#[tokio::test]
async fn nul_bytes_and_negative_counts_reject_only_their_record() {
    let srv = Server::start().await;
    let leads = json!({"leads": [
        {"lead_id": "N1", "email": "ada@example.com", "first_name": "Ada\u{0}"},
        {"lead_id": "N\u{0}2", "email": "bob@example.com"},
        {"lead_id": "N3", "email": "cy@example.com", "employees": -3, "annual_revenue": -1},
        {"lead_id": "N4", "email": "dee@example.com", "employees": 40},
    ]});
    let (s, _, v) = srv.call("POST", "/v1/leads", Some(&srv.admin), Some(leads)).await;
    assert_eq!(s, 200, "{v}");
    let results = v["results"].as_array().expect("one result per record");
    let outcomes: Vec<&str> = results.iter().map(|r| r["status"].as_str().unwrap_or("")).collect();
    assert_eq!(outcomes, ["rejected", "rejected", "rejected", "created"], "{v}");
    assert!(results[0].to_string().contains("first_name"), "{v}");
    assert!(results[2]["reason"].as_str().is_some_and(|r| r.contains("must be zero or more")), "{v}");
    let (s, _, v) = srv.call("GET", "/v1/leads/N4", Some(&srv.admin), None).await;
    assert_eq!(s, 200, "{v}");
    let (s, _, _) = srv.call("GET", "/v1/leads/N1", Some(&srv.admin), None).await;
    assert_eq!(s, 404);
}
