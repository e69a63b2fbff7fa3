//! Hardening of the HTTP layer: one status per error kind (internal failures are 500 problems
//! with the request id), content types, problem+json for every rejected path, query or body,
//! scopes checked before the body, and a bound on the writes admitted at once.

use std::time::{Duration, Instant};

use leadrank_server::Limits;
use serde_json::{Value, json};

mod common;
use common::Server;

fn leads(n: usize, prefix: &str) -> Value {
    let leads: Vec<Value> = (0..n)
        .map(|i| {
            json!({"lead_id": format!("{prefix}{i}"), "email": format!("p{i}@acme{}.com", i % 7), "first_name": "Ana", "last_name": "Núñez",
                   "title": "VP Sales", "industry": "software", "employees": 300 + i, "country": "DE", "source": "webinar",
                   "budget_owner": true, "timeline_days": 30})
        })
        .collect();
    json!({ "leads": leads })
}

fn assert_problem(status: u16, headers: &axum::http::HeaderMap, body: &Value, want: u16) {
    assert_eq!(status, want, "{body}");
    assert_eq!(headers["content-type"], "application/problem+json", "{body}");
    assert_eq!(body["status"], want, "{body}");
    assert!(body["request_id"].as_str().is_some_and(|id| id.len() > 1), "{body}");
}

/// Rewrites every operating-log time to one no timestamp can hold: the store reads it back
/// as a corrupt value.
async fn corrupt_ops_log(srv: &Server) {
    use sqlx::Connection;
    let url = format!("sqlite://{}", srv.db_path().display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let done = sqlx::query("UPDATE ops_log SET at = 9223372036854775807").execute(&mut conn).await.unwrap();
    assert!(done.rows_affected() > 0, "the leads have an operating log");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn internal_failures_answer_500_problems_with_the_request_id() {
    let srv = Server::start().await;
    let (s, _, v) = srv.call("POST", "/v1/leads", Some(&srv.admin), Some(leads(3, "L"))).await;
    assert_eq!(s, 200, "{v}");
    let (s, _, v) = srv.call("GET", "/v1/leads/L0/lifecycle", Some(&srv.admin), None).await;
    assert_eq!(s, 200, "{v}");
    corrupt_ops_log(&srv).await;
    // A corrupt stored value is the service's fault: 500, not 404 (the lead exists) nor 4xx.
    let resp = srv
        .client
        .get(format!("{}/v1/leads/L0/lifecycle", srv.base))
        .header("authorization", format!("Bearer {}", srv.admin))
        .header("x-request-id", "probe-500")
        .send()
        .await
        .unwrap();
    let (status, headers) = (resp.status().as_u16(), resp.headers().clone());
    let body: Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
    assert_problem(status, &headers, &body, 500);
    assert_eq!(body["request_id"], "probe-500");
    assert_eq!(headers["x-request-id"], "probe-500");
    assert_eq!(body["type"], "about:blank#internal");
    assert!(!body["detail"].as_str().unwrap().contains("ops_log"), "the detail stays in the log: {body}");
    // An export must not silently leave out what it could not read.
    let (s, h, v) = srv.call("POST", "/v1/privacy/export", Some(&srv.admin), Some(json!({"lead_id": "L0"}))).await;
    assert_problem(s, &h, &v, 500);
    // A lead without an operating state is still a 404.
    let (s, h, v) = srv.call("GET", "/v1/leads/nobody/lifecycle", Some(&srv.admin), None).await;
    assert_problem(s, &h, &v, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_must_declare_their_content_type() {
    let srv = Server::start().await;
    let body = leads(1, "C").to_string();
    for content_type in [Some("text/plain"), None, Some("application/x-www-form-urlencoded"), Some("application/toml")] {
        let (s, h, v) = srv.send_typed("POST", "/v1/leads", &srv.admin, content_type, &body).await;
        assert_problem(s, &h, &v, 415);
        assert_eq!(v["pointer"], "/headers/content-type", "{v}");
        assert!(v["detail"].as_str().unwrap().contains("application/json"), "{v}");
    }
    let (s, _, v) = srv.send_typed("POST", "/v1/leads", &srv.admin, Some("application/json; charset=utf-8"), &body).await;
    assert_eq!(s, 200, "{v}");
    let (s, _, v) = srv.send_typed("POST", "/v1/leads", &srv.admin, Some("application/vnd.leadrank+json"), &body).await;
    assert_eq!(s, 200, "{v}");
    // Routes that edit the JSON before parsing it check the same.
    let (s, h, v) = srv.send_typed("PUT", "/v1/teams/t1", &srv.admin, Some("text/plain"), r#"{"name": "T"}"#).await;
    assert_problem(s, &h, &v, 415);
    let (s, h, v) = srv.send_typed("POST", "/v1/privacy/erase", &srv.admin, None, r#"{"lead_id": "C0"}"#).await;
    assert_problem(s, &h, &v, 415);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn toml_uploads_accept_the_usual_content_types() {
    let srv = Server::start().await;
    let (s, _, v) = srv.call("GET", "/v1/models/1", Some(&srv.admin), None).await;
    assert_eq!(s, 200, "{v}");
    let source = v["source"].as_str().unwrap().to_string();
    // What curl --data-binary sends, what editors and HTTP tools send, and nothing at all.
    for content_type in [
        Some("application/toml"),
        Some("text/plain; charset=utf-8"),
        Some("application/octet-stream"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let (s, _, v) = srv.send_typed("POST", "/v1/models", &srv.admin, content_type, &source).await;
        assert_eq!(s, 201, "{content_type:?}: {v}");
    }
    for content_type in ["application/json", "multipart/form-data; boundary=x"] {
        let (s, h, v) = srv.send_typed("POST", "/v1/models", &srv.admin, Some(content_type), &source).await;
        assert_problem(s, &h, &v, 415);
        assert!(v["detail"].as_str().unwrap().contains("application/toml"), "{v}");
    }
    let routing = srv.client.get(format!("{}/v1/routing", srv.base)).bearer_auth(&srv.admin).send().await.unwrap().text().await.unwrap();
    let (s, _, v) = srv.send_typed("PUT", "/v1/routing", &srv.admin, Some("application/x-www-form-urlencoded"), &routing).await;
    assert_eq!(s, 200, "{v}");
    let (s, h, v) = srv.send_typed("PUT", "/v1/routing", &srv.admin, Some("application/json"), &routing).await;
    assert_problem(s, &h, &v, 415);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_paths_queries_and_bodies_answer_problems() {
    let srv = Server::start().await;
    let (s, h, v) = srv.call("GET", "/v1/leads/%FF%FE/score", Some(&srv.admin), None).await;
    assert_problem(s, &h, &v, 400);
    assert_eq!(v["pointer"], "/path/lead_id", "{v}");
    let (s, h, v) = srv.call("GET", "/v1/accounts/%C3%28", Some(&srv.admin), None).await;
    assert_problem(s, &h, &v, 400);
    let (s, h, v) = srv.call("PUT", "/v1/leads/%FF/checklist/bant/budget", Some(&srv.admin), Some(json!({"status": "confirmed"}))).await;
    assert_problem(s, &h, &v, 400);
    let (s, h, v) = srv.call("GET", "/v1/models/seven", Some(&srv.admin), None).await;
    assert_problem(s, &h, &v, 400);
    assert_eq!(v["pointer"], "/path/id", "{v}");
    let (s, h, v) = srv.call("GET", "/v1/leads?limit=%FF", Some(&srv.admin), None).await;
    assert_problem(s, &h, &v, 400);
    let (s, h, v) = srv.call("GET", "/v1/models/diff?from=1", Some(&srv.admin), None).await;
    assert_problem(s, &h, &v, 400);
    let (s, h, v) = srv.send_typed("POST", "/v1/events", &srv.admin, Some("application/json"), "{\"events\": [").await;
    assert_problem(s, &h, &v, 400);
    // Routes outside /v1 too.
    let (s, h, v) = srv.call("POST", "/healthz", None, None).await;
    assert_problem(s, &h, &v, 405);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scopes_are_checked_before_the_body() {
    let srv = Server::start().await;
    let reader = srv.key(&["read"]).await;
    let ingest = srv.key(&["ingest"]).await;
    let (s, h, v) = srv.call("POST", "/v1/leads", Some(&reader), Some(json!({"bogus": 1}))).await;
    assert_problem(s, &h, &v, 403);
    let (s, h, v) = srv.send_typed("POST", "/v1/leads", &reader, Some("text/plain"), "not json").await;
    assert_problem(s, &h, &v, 403);
    let (s, h, v) = srv.send_typed("POST", "/v1/models", &ingest, Some("application/toml"), "not = [a model").await;
    assert_problem(s, &h, &v, 403);
    let (s, h, v) = srv.call("POST", "/v1/leads/L1/accept", Some(&reader), Some(json!({"by": 7}))).await;
    assert_problem(s, &h, &v, 403);
    let (s, h, v) = srv.call("PUT", "/v1/reps/r1", Some(&ingest), Some(json!([]))).await;
    assert_problem(s, &h, &v, 403);
    let (s, h, v) = srv.call("GET", "/v1/models/seven", Some(&ingest), None).await;
    assert_problem(s, &h, &v, 403);
    // Without a key: 401 before anything else.
    let (s, h, v) = srv.call("POST", "/v1/leads", None, Some(json!({"bogus": 1}))).await;
    assert_problem(s, &h, &v, 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_beyond_the_write_limit_get_429_at_once() {
    let limits = Limits { write_concurrency: 2, ..Limits::default() };
    let srv = Server::start_limited(true, limits).await;
    let body = leads(500, "W").to_string();
    let mut tasks = Vec::new();
    for _ in 0..40 {
        let (client, url, key, body) = (srv.client.clone(), format!("{}/v1/leads", srv.base), srv.admin.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            let started = Instant::now();
            let resp = client.post(url).bearer_auth(key).header("content-type", "application/json").body(body).send().await.unwrap();
            let retry_after = resp.headers().get("retry-after").map(|v| v.to_str().unwrap().to_string());
            (resp.status().as_u16(), retry_after, started.elapsed())
        }));
    }
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.unwrap());
    }
    let ok = results.iter().filter(|r| r.0 == 200).count();
    let shed: Vec<_> = results.iter().filter(|r| r.0 == 429).collect();
    assert_eq!(ok + shed.len(), 40, "{results:?}");
    assert!(ok >= 2, "{results:?}");
    assert!(!shed.is_empty(), "more writes at once than the limit: some get 429 ({results:?})");
    assert!(shed.iter().all(|r| r.1.as_deref() == Some("1")), "{results:?}");
    // Reads are not writes: they pass while the writes are limited.
    let (s, _, v) = srv.call("GET", "/v1/leads?limit=1", Some(&srv.admin), None).await;
    assert_eq!(s, 200, "{v}");
    let slowest_shed = shed.iter().map(|r| r.2).max().unwrap();
    assert!(slowest_shed < Duration::from_secs(5), "429s answer at once: {slowest_shed:?}");
}
