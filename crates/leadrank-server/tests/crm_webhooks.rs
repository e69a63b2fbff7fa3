//! `POST /v1/crm/hubspot/webhooks` end to end: a server whose HubSpot source has
//! `webhooks = true` takes the fake HubSpot's signed notifications, refuses bad signatures
//! (401) and malformed bodies (400 with the pointer), and a change in HubSpot reaches the
//! lead's score and written values through a run the webhook asked for, with no search.

mod common;

use common::Server;
use leadrank_crm_fakes::HubSpotFake;
use leadrank_crm_fakes::hubspot::{WebhookSettings, sign_v3};
use serde_json::Value;

const TOKEN: &str = "pat-na1-test-token";
const SECRET: &str = "the-apps-client-secret";
const PUBLIC: &str = "https://leadrank.example.com/v1/crm/hubspot/webhooks";

async fn post(server: &Server, body: &str, headers: &[(&str, String)]) -> (u16, Value) {
    let mut req = server.client.post(format!("{}/v1/crm/hubspot/webhooks", server.base)).header("content-type", "application/json");
    for (k, v) in headers {
        req = req.header(*k, v);
    }
    let resp = req.body(body.to_string()).send().await.unwrap();
    let s = resp.status().as_u16();
    let ct = resp.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    let v: Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap_or(Value::Null);
    if s >= 400 {
        assert!(ct.starts_with("application/problem+json"), "{ct}");
    }
    (s, v)
}

fn signed(body: &str, at_ms: i64, secret: &str) -> Vec<(&'static str, String)> {
    let ts = at_ms.to_string();
    vec![("X-HubSpot-Signature-v3", sign_v3(secret, "POST", PUBLIC, body.as_bytes(), &ts)), ("X-HubSpot-Request-Timestamp", ts)]
}

#[tokio::test]
async fn hubspot_webhooks_reach_the_score_within_seconds() {
    let fake = HubSpotFake::start(TOKEN).await;
    let student = fake.create("contacts", &[("email", "p1@acme.io"), ("jobtitle", "Student"), ("industry", "COMPUTER_SOFTWARE")]);
    fake.create("contacts", &[("email", "p2@acme.io"), ("jobtitle", "CTO")]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sync.toml");
    std::fs::write(
        &file,
        format!(
            "[hubspot]\nbase_url = \"{}\"\ntoken_file = \"token\"\ninterval = \"1d\"\nwebhooks = true\nwebhook_url = \"{PUBLIC}\"\nclient_secret_file = \"secret\"\n",
            fake.url
        ),
    )
    .unwrap();
    std::fs::write(dir.path().join("token"), TOKEN).unwrap();
    std::fs::write(dir.path().join("secret"), SECRET).unwrap();
    let sources = leadrank_sync::schedule::sources_from_file(&file).unwrap().into_iter().map(std::sync::Arc::new).collect();
    let server = Server::start_synced(true, Default::default(), Default::default(), sources).await;
    // The first run (the reconcile search) starts with the server.
    let s = server.sync_status_until(&server.admin, |s| s["runs"] == 1 && s["state"] == "idle").await;
    assert_eq!(s["last_result"]["created"], 2, "{s}");
    let score_before = fake.get("contacts", &student).unwrap()["leadrank_score"].clone();

    // HubSpot posts to the server behind the public URL it signs.
    let mut settings = WebhookSettings::all(&format!("{}/v1/crm/hubspot/webhooks", server.base), SECRET);
    settings.signed_url = PUBLIC.into();
    fake.set_webhooks(Some(settings));
    fake.clear_calls();
    fake.edit("contacts", &student, &[("jobtitle", "VP Engineering")]);
    let now = jiff::Timestamp::now().as_millisecond();
    assert_eq!(fake.deliver_webhooks(now).await, vec![200]);
    assert_eq!(fake.pending_webhooks(), 0);
    let s = server.sync_status_until(&server.admin, |s| s["runs"] == 2 && s["state"] == "idle").await;
    assert_eq!(s["last_result"]["read"], 1, "{s}");
    assert_eq!(s["last_result"]["records_written"], 1, "{s}");
    let calls = fake.calls();
    assert!(calls.iter().all(|c| !c.path.ends_with("/search")), "no search: {calls:?}");
    assert_eq!(calls.iter().filter(|c| c.path.ends_with("/batch/read")).count(), 1, "{calls:?}");
    let p = fake.get("contacts", &student).unwrap();
    assert_ne!(p["leadrank_score"], score_before);
    let (st, _, lead) = server.call("GET", &format!("/v1/leads/{student}"), Some(&server.admin), None).await;
    assert_eq!(st, 200, "{lead}");
    assert_eq!(lead["score"]["total"].to_string(), p["leadrank_score"], "{lead}");

    // Its write-back comes back as notifications: stored, and the run they ask for reads
    // nothing.
    fake.clear_calls();
    assert!(fake.deliver_webhooks(jiff::Timestamp::now().as_millisecond()).await.iter().all(|s| *s == 200));
    server.sync_status_until(&server.admin, |s| s["runs"] == 3 && s["state"] == "idle").await;
    assert!(fake.calls().is_empty(), "{:?}", fake.calls());

    // Refused: another secret, a stale signature, a tampered body; a malformed body is a 400
    // naming the member.
    let body = format!(
        r#"[{{"eventId":1,"subscriptionType":"contact.propertyChange","objectId":{student},"propertyName":"jobtitle","propertyValue":"CTO","occurredAt":1}}]"#
    );
    let now = jiff::Timestamp::now().as_millisecond();
    let (st, v) = post(&server, &body, &signed(&body, now, "not-the-secret")).await;
    assert_eq!((st, v["pointer"].as_str()), (401, Some("/headers/x-hubspot-signature-v3")), "{v}");
    let (st, v) = post(&server, &body, &signed(&body, now - 6 * 60 * 1000, SECRET)).await;
    assert_eq!(st, 401, "{v}");
    assert!(v["detail"].as_str().unwrap().contains("5 minutes"), "{v}");
    let (st, _) = post(&server, &body.replace("CTO", "CEO"), &signed(&body, now, SECRET)).await;
    assert_eq!(st, 401);
    let (st, _) = post(&server, &body, &[]).await;
    assert_eq!(st, 401);
    let bad = r#"[{"subscriptionType":"contact.creation"}]"#;
    let (st, v) = post(&server, bad, &signed(bad, now, SECRET)).await;
    assert_eq!((st, v["pointer"].as_str()), (400, Some("/0/objectId")), "{v}");
    let (st, v) = post(&server, &body, &signed(&body, now, SECRET)).await;
    assert_eq!((st, v["received"].as_u64(), v["stored"].as_u64()), (200, Some(1), Some(1)), "{v}");
    server.stop.cancel();
}

#[tokio::test]
async fn without_webhooks_the_route_answers_404() {
    let server = Server::start().await;
    let body = "[]";
    let (st, v) = post(&server, body, &signed(body, jiff::Timestamp::now().as_millisecond(), SECRET)).await;
    assert_eq!(st, 404, "{v}");
}
