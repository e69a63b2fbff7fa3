//! Events per second through the Segment intake beside the native batch endpoint: the same
//! events (page views of known leads, 500 per request, one client, sequential requests) to
//! `POST /v1/events` and `POST /segment/v1/batch`, plus anonymous history stitched at identify.
//! Ignored by default; run with
//! `cargo test -p leadrank-server --test segment_bench -- --ignored --nocapture` (BENCHMARKS.md).

mod common;

use std::time::Instant;

use base64::Engine as _;
use common::Server;
use jiff::{Timestamp, ToSpan};
use serde_json::{Value, json};

const LEADS: usize = 200;
const EVENTS: usize = 5_000;
const BATCH: usize = 500;

async fn post(srv: &Server, path: &str, auth: &str, body: &Value) {
    let r = srv
        .client
        .post(format!("{}{path}", srv.base))
        .header("authorization", auth)
        .header("content-type", "application/json")
        .body(serde_json::to_vec(body).unwrap())
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let v: Value = serde_json::from_slice(&r.bytes().await.unwrap()).unwrap_or(Value::Null);
    assert_eq!(status, 200, "{path}: {v}");
    let text = v.to_string();
    assert!(!text.contains("\"rejected\",") && v["rejected"].as_u64().unwrap_or(0) == 0, "{path}: rejections: {text:.400}");
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run explicitly"]
async fn segment_intake_vs_native_events() {
    let srv = Server::start().await;
    let key = srv.key(&["ingest"]).await;
    let bearer = format!("Bearer {key}");
    let basic = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{key}:")));
    let leads: Vec<Value> = (0..LEADS).map(|i| json!({"lead_id": format!("L{i}"), "email": format!("p{i}@acme-corp.com")})).collect();
    post(&srv, "/v1/leads", &bearer, &json!({"leads": leads})).await;
    let t0 = Timestamp::now() - 2.hours();
    let at = |i: usize| (t0 + ((i % 3600) as i64).seconds()).to_string();
    let (mut native, mut segment, mut stitched) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..3 {
        let started = Instant::now();
        for chunk in (0..EVENTS).collect::<Vec<_>>().chunks(BATCH) {
            let events: Vec<Value> = chunk
                .iter()
                .map(|&i| {
                    json!({"event_id": format!("n{round}-{i}"), "lead_id": format!("L{}", i % LEADS), "type": "page_view",
                                 "occurred_at": at(i), "url": "https://example.com/pricing"})
                })
                .collect();
            post(&srv, "/v1/events", &bearer, &json!({"events": events})).await;
        }
        native.push(EVENTS as f64 / started.elapsed().as_secs_f64());

        let started = Instant::now();
        for chunk in (0..EVENTS).collect::<Vec<_>>().chunks(BATCH) {
            let batch: Vec<Value> = chunk
                .iter()
                .map(|&i| {
                    json!({"type": "page", "messageId": format!("s{round}-{i}"), "userId": format!("L{}", i % LEADS),
                                 "timestamp": at(i), "properties": {"url": "https://example.com/pricing"}})
                })
                .collect();
            post(&srv, "/segment/v1/batch", &basic, &json!({"batch": batch})).await;
        }
        segment.push(EVENTS as f64 / started.elapsed().as_secs_f64());

        // Anonymous visitors: their events are held, then moved when each identifies.
        let started = Instant::now();
        for chunk in (0..EVENTS).collect::<Vec<_>>().chunks(BATCH) {
            let batch: Vec<Value> = chunk
                .iter()
                .map(|&i| {
                    json!({"type": "page", "messageId": format!("a{round}-{i}"), "anonymousId": format!("v{round}-{}", i % LEADS),
                                 "timestamp": at(i), "properties": {"url": "https://example.com/pricing"}})
                })
                .collect();
            post(&srv, "/segment/v1/batch", &basic, &json!({"batch": batch})).await;
        }
        let identifies: Vec<Value> = (0..LEADS)
            .map(|i| {
                json!({"type": "identify", "messageId": format!("id{round}-{i}"), "userId": format!("A{round}-{i}"),
                            "anonymousId": format!("v{round}-{i}")})
            })
            .collect();
        post(&srv, "/segment/v1/batch", &basic, &json!({"batch": identifies})).await;
        stitched.push(EVENTS as f64 / started.elapsed().as_secs_f64());
    }
    let events = srv.store.all_events().await.unwrap();
    assert!(!events.iter().any(|e| e.lead_id.starts_with("segment-anonymous:")), "every held event was moved");
    println!(
        "RESULT events={EVENTS} per_request={BATCH} leads={LEADS} rounds=3 native_events_per_s={:.0} segment_events_per_s={:.0} segment_anonymous_then_identify_events_per_s={:.0}",
        median(native),
        median(segment),
        median(stitched)
    );
}
