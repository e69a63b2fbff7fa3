//! The Segment intake at /segment/v1 with hand-written Segment payloads: write keys, identity
//! stitching (anonymous history counts once the visitor identifies, exactly as if the events
//! had carried the userId), group links, idempotency and located errors.

mod common;

use base64::Engine as _;
use common::Server;
use jiff::{Timestamp, ToSpan};
use serde_json::{Value, json};

/// Posts `body` to a Segment route with the write key as the basic auth user name.
async fn segment(srv: &Server, route: &str, key: &str, body: &Value) -> (u16, Value) {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{key}:"));
    let resp = srv
        .client
        .post(format!("{}/segment/v1/{route}", srv.base))
        .header("authorization", format!("Basic {basic}"))
        .header("content-type", "application/json")
        .body(serde_json::to_vec(body).unwrap())
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap_or(Value::Null))
}

fn ago(hours: i64) -> String {
    (Timestamp::now() - hours.hours()).to_string()
}

/// The same browsing history: pricing pages, a demo request, an ignored-by-nobody feature use.
fn history(tag: &str, who: (&str, &str)) -> Vec<Value> {
    let (member, id) = who;
    vec![
        json!({"type": "page", "messageId": format!("{tag}-p1"), member: id, "name": "Pricing", "timestamp": ago(30),
               "properties": {"url": "https://example.com/pricing", "path": "/pricing"}, "context": {"library": {"name": "hand"}}}),
        json!({"type": "page", "messageId": format!("{tag}-p2"), member: id, "timestamp": ago(29),
               "context": {"page": {"url": "https://example.com/pricing/enterprise"}}}),
        json!({"type": "track", "messageId": format!("{tag}-t1"), member: id, "event": "Demo Requested", "timestamp": ago(28),
               "properties": {"plan": "enterprise"}}),
        json!({"type": "track", "messageId": format!("{tag}-t2"), member: id, "event": "Feature Used", "timestamp": ago(27),
               "properties": {"feature": "export"}}),
    ]
}

fn identify(message_id: &str, user: &str, anonymous: Option<&str>) -> Value {
    let mut m = json!({"type": "identify", "messageId": message_id, "userId": user, "timestamp": ago(26), "traits": {
        "email": format!("{user}@{user}-corp.com"), "firstName": user, "lastName": "Byron", "title": "VP Engineering",
        "company": {"name": format!("{user} Corp"), "employee_count": 1200, "industry": "Software"}, "website": format!("https://www.{user}-corp.com"),
        "address": {"country": "US"}
    }});
    if let Some(a) = anonymous {
        m["anonymousId"] = json!(a);
    }
    m
}

async fn score(srv: &Server, id: &str) -> Value {
    let (s, _, v) = srv.call("GET", &format!("/v1/leads/{id}/score"), Some(&srv.admin), None).await;
    assert_eq!(s, 200, "{v}");
    v["score"].clone()
}

/// A score's total and its rules with their points (the details name the person's own domain).
fn points(score: &Value) -> (Value, Vec<(String, i64)>) {
    let rules = score["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["rule"].as_str().unwrap().to_string(), r["points"].as_i64().unwrap()))
        .collect();
    (score["total"].clone(), rules)
}

fn outcomes(v: &Value) -> Vec<String> {
    v["results"].as_array().unwrap().iter().map(|r| r["outcome"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn anonymous_history_counts_once_the_visitor_identifies() {
    let srv = Server::start().await;
    let key = srv.key(&["ingest"]).await;

    // The reference: the person is known from the start and every event carries the userId.
    let (s, v) = segment(&srv, "batch", &key, &json!({"batch": [identify("k-id", "known", None)]})).await;
    assert_eq!((s, outcomes(&v)), (200, vec!["created".to_string()]), "{v}");
    let (s, v) = segment(&srv, "batch", &key, &json!({"batch": history("k", ("userId", "known"))})).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(outcomes(&v), ["accepted"; 4], "{v}");

    // The visitor browses anonymously: the events are held (no lead yet).
    let (s, v) = segment(&srv, "batch", &key, &json!({"batch": history("a", ("anonymousId", "visitor-1"))})).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(outcomes(&v), ["held"; 4], "{v}");
    assert_eq!(v["held"], 4);
    let (s, _, _) = srv.call("GET", "/v1/leads/visitor-1", Some(&srv.admin), None).await;
    assert_eq!(s, 404, "a held visitor is no lead");

    // Later, the visitor identifies: the history moves to the person and scores as if it had
    // carried the userId from the start.
    let (s, v) = segment(&srv, "identify", &key, &identify("a-id", "visitor", Some("visitor-1"))).await;
    assert_eq!((s, outcomes(&v)), (200, vec!["created".to_string()]), "{v}");
    let stitched = score(&srv, "visitor").await;
    let reference = score(&srv, "known").await;
    assert_eq!(points(&stitched), points(&reference), "stitched {stitched}\nreference {reference}");
    // And the history counts: without it the person scores less.
    let (s, _) = segment(&srv, "batch", &key, &json!({"batch": [identify("n-id", "nohistory", None)]})).await;
    assert_eq!(s, 200);
    let bare = score(&srv, "nohistory").await;
    assert!(bare["total"].as_i64().unwrap() < stitched["total"].as_i64().unwrap(), "{bare} vs {stitched}");

    // A client retrying the anonymous batch changes nothing: the messageIds are known.
    let (s, v) = segment(&srv, "batch", &key, &json!({"batch": history("a", ("anonymousId", "visitor-1"))})).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(outcomes(&v), ["duplicate"; 4], "{v}");
    // New anonymous events of the identified visitor go straight to the person.
    let (s, v) = segment(
        &srv,
        "track",
        &key,
        &json!({"messageId": "a-later", "anonymousId": "visitor-1", "event": "Trial Started", "timestamp": ago(1)}),
    )
    .await;
    assert_eq!((s, outcomes(&v)), (200, vec!["accepted".to_string()]), "{v}");
    let later = srv.store.lead_events("visitor").await.unwrap();
    assert!(later.iter().any(|e| e.event_id == "segment:a-later" && e.event_type == "trial_started"), "{later:?}");

    // The held copies are gone; the events are the person's, with the userId's event ids.
    let stored = srv.store.all_events().await.unwrap();
    assert!(!stored.iter().any(|e| e.lead_id.starts_with("segment-anonymous:")), "held copies remain");
    let mine: Vec<_> = stored.iter().filter(|e| e.lead_id == "visitor").map(|e| e.event_id.clone()).collect();
    assert!(mine.contains(&"segment:a-t1".to_string()), "{mine:?}");

    // The first link of a visitor holds.
    let (s, v) = segment(&srv, "identify", &key, &identify("a-id2", "someone-else", Some("visitor-1"))).await;
    assert_eq!(s, 200);
    assert_eq!(v["results"][0]["outcome"], "rejected", "{v}");
    assert_eq!(v["results"][0]["pointer"], "/anonymousId", "{v}");

    // Erasing the person erases the links of their anonymous visits, both ways.
    let (s, _, body) = srv.call("POST", "/v1/privacy/erase", Some(&srv.admin), Some(json!({"lead_id": "visitor"}))).await;
    assert_eq!(s, 200, "{body}");
    let stored = srv.store.all_events().await.unwrap();
    assert!(
        !stored.iter().any(|e| e.lead_id.starts_with("segment-alias") && format!("{:?}", e.properties).contains("visitor")),
        "a link of the erased person remains: {:?}",
        stored.iter().filter(|e| e.lead_id.starts_with("segment-alias")).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn a_link_in_the_same_batch_and_a_group_call() {
    let srv = Server::start().await;
    let key = srv.key(&["ingest"]).await;
    let mut batch = history("b", ("anonymousId", "visitor-2"));
    batch.push(identify("b-id", "bea", Some("visitor-2")));
    batch.push(json!({"type": "group", "messageId": "b-g", "userId": "bea", "groupId": "acct-9",
                      "traits": {"name": "Acme Corp", "website": "https://acme-corp.com/", "industry": "Software", "employees": 1200, "plan": "enterprise"}}));
    let (s, v) = segment(&srv, "batch", &key, &json!({"batch": batch, "writeKey": "ignored-when-auth-is-sent"})).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(outcomes(&v), ["accepted", "accepted", "accepted", "accepted", "created", "created"], "{v}");
    let (s, _, lead) = srv.call("GET", "/v1/leads/bea", Some(&srv.admin), None).await;
    assert_eq!(s, 200, "{lead}");
    assert!(lead.to_string().contains("acct-9"), "the group call links the lead to the account: {lead}");
    let (s, _, account) = srv.call("GET", "/v1/accounts/acct-9", Some(&srv.admin), None).await;
    assert_eq!(s, 200, "{account}");
    assert!(account.to_string().contains("acme-corp.com"), "{account}");
    // A second identify merges traits: what it does not say stays.
    let (s, v) = segment(&srv, "identify", &key, &json!({"messageId": "b-id2", "userId": "bea", "traits": {"title": "CTO"}})).await;
    assert_eq!((s, outcomes(&v)), (200, vec!["updated".to_string()]), "{v}");
    let lead = srv.store.lead("bea").await.unwrap().unwrap();
    assert_eq!(lead.title.as_deref(), Some("CTO"));
    assert_eq!(lead.email.as_deref(), Some("bea@bea-corp.com"));
    assert_eq!(lead.account_id.as_deref(), Some("acct-9"));
    assert_eq!(lead.employees, Some(1200));
    assert_eq!(lead.domain.as_deref(), Some("bea-corp.com"));
}

#[tokio::test]
async fn write_keys_and_limits() {
    let srv = Server::start().await;
    let ingest = srv.key(&["ingest"]).await;
    let read = srv.key(&["read"]).await;
    let one = json!({"batch": [{"type": "identify", "messageId": "m1", "userId": "u1"}]});
    let post = |auth: Option<String>, body: Vec<u8>| {
        let mut req = srv.client.post(format!("{}/segment/v1/batch", srv.base)).header("content-type", "application/json").body(body);
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        async move {
            let r = req.send().await.unwrap();
            let s = r.status().as_u16();
            let ct = r.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
            (s, ct, serde_json::from_slice::<Value>(&r.bytes().await.unwrap()).unwrap_or(Value::Null))
        }
    };
    let body = serde_json::to_vec(&one).unwrap();
    let (s, ct, v) = post(None, body.clone()).await;
    assert_eq!((s, ct.as_str()), (401, "application/problem+json"), "{v}");
    assert_eq!(v["pointer"], "/headers/authorization");
    let basic = |k: &str| format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{k}:")));
    let (s, _, v) = post(Some(basic("lr_nope_nope")), body.clone()).await;
    assert_eq!(s, 401, "{v}");
    let (s, _, v) = post(Some(basic(&read)), body.clone()).await;
    assert_eq!(s, 403, "{v}");
    assert!(v["detail"].as_str().unwrap().contains("ingest"), "{v}");
    let (s, _, v) = post(Some(basic(&ingest)), body.clone()).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["success"], true);
    // The write key in the body (Segment's HTTP API takes it there too), and as a bearer token.
    let mut with_key = one.clone();
    with_key["writeKey"] = json!(ingest);
    with_key["batch"][0]["messageId"] = json!("m2");
    let (s, _, v) = post(None, serde_json::to_vec(&with_key).unwrap()).await;
    assert_eq!(s, 200, "{v}");
    let (s, _, v) = post(Some(format!("Bearer {ingest}")), body.clone()).await;
    assert_eq!(s, 200, "{v}");

    // A message over 32 KB is rejected alone; a request over 500 KB is refused.
    let big = "x".repeat(33 * 1024);
    let batch = json!({"batch": [
        {"type": "track", "messageId": "big", "userId": "u1", "event": "Big", "properties": {"blob": big}},
        {"type": "track", "messageId": "small", "userId": "u1", "event": "Small"}
    ]});
    let (s, _, v) = post(Some(basic(&ingest)), serde_json::to_vec(&batch).unwrap()).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["results"][0]["outcome"], "rejected");
    assert_eq!(v["results"][0]["pointer"], "/batch/0");
    assert!(v["results"][0]["reason"].as_str().unwrap().contains("32 KB"), "{v}");
    assert_eq!(v["results"][1]["outcome"], "accepted");
    let huge: Vec<Value> = (0..20)
        .map(|i| json!({"type": "track", "messageId": format!("h{i}"), "userId": "u1", "event": "Big", "properties": {"blob": "y".repeat(30 * 1024)}}))
        .collect();
    let (s, ct, v) = post(Some(basic(&ingest)), serde_json::to_vec(&json!({"batch": huge})).unwrap()).await;
    assert_eq!((s, ct.as_str()), (413, "application/problem+json"), "{v}");
    // A single call is limited to one message's size.
    let resp = srv
        .client
        .post(format!("{}/segment/v1/track", srv.base))
        .header("authorization", basic(&ingest))
        .header("content-type", "application/json")
        .body(serde_json::to_vec(&json!({"messageId": "big2", "userId": "u1", "event": "Big", "properties": {"blob": big}})).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 413);
}

#[tokio::test]
async fn bad_messages_are_rejected_one_by_one_with_their_pointer() {
    let srv = Server::start().await;
    let key = srv.key(&["ingest"]).await;
    let batch = json!({"batch": [
        {"type": "track", "userId": "u1", "event": "Demo Requested"},
        {"type": "identify", "messageId": "i1", "userId": "u1", "traits": {"company": {"employee_count": "lots"}}},
        {"type": "track", "messageId": "t1", "userId": "u1", "event": "Demo Requested", "timestamp": "yesterday"},
        {"type": "screen", "messageId": "s1", "userId": "u1"},
        {"type": "track", "messageId": "t2", "event": "Demo Requested"},
        {"type": "group", "messageId": "g1", "userId": "u1"},
        {"type": "track", "messageId": "t3", "userId": "u1"},
        {"type": "identify", "messageId": "i2", "userId": "u1", "traits": {"email": {"work": "a@b.c"}}},
        {"type": "identify", "messageId": "i3", "userId": "u1", "traits": {"createdAt": "last week", "firstName": "Ok"}},
        "not an object",
        {"type": "track", "messageId": "t4", "userId": "u1", "event": "Demo Requested", "properties": []},
        {"type": "group", "messageId": "g2", "anonymousId": "nobody", "groupId": "a1"},
        {"type": "track", "messageId": "ok", "userId": "u1", "event": "Demo Requested"}
    ]});
    let (s, v) = segment(&srv, "batch", &key, &batch).await;
    assert_eq!(s, 200, "{v}");
    let got: Vec<(String, String)> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["outcome"].as_str().unwrap().to_string(), r["pointer"].as_str().unwrap_or("").to_string()))
        .collect();
    let want = [
        ("rejected", "/batch/0/messageId"),
        ("rejected", "/batch/1/traits/company/employee_count"),
        ("rejected", "/batch/2/timestamp"),
        ("rejected", "/batch/3/type"),
        ("rejected", "/batch/4/userId"),
        ("rejected", "/batch/5/groupId"),
        ("rejected", "/batch/6/event"),
        ("rejected", "/batch/7/traits/email"),
        ("rejected", "/batch/8/traits/createdAt"),
        ("rejected", "/batch/9"),
        ("rejected", "/batch/10/properties"),
        ("rejected", "/batch/11/userId"),
        ("accepted", ""),
    ];
    let want: Vec<(String, String)> = want.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
    assert_eq!(got, want, "{v:#}");
    assert_eq!(v["rejected"], 12);
    assert_eq!(v["accepted"], 1);
    // No personal value is echoed in a reason.
    assert!(!v.to_string().contains("a@b.c"), "{v}");

    // Whole-request problems are problem+json with a pointer.
    let (s, v) = segment(&srv, "batch", &key, &json!({"messages": []})).await;
    assert_eq!((s, v["pointer"].as_str()), (400, Some("/batch")), "{v}");
    let (s, v) = segment(&srv, "batch", &key, &json!({"batch": []})).await;
    assert_eq!((s, v["pointer"].as_str()), (400, Some("/batch")), "{v}");
    // A bad single call is a 400 naming the member.
    let (s, v) = segment(&srv, "track", &key, &json!({"messageId": "x", "userId": "u1"})).await;
    assert_eq!((s, v["pointer"].as_str()), (400, Some("/event")), "{v}");
    let (s, v) = segment(&srv, "page", &key, &json!({"type": "track", "messageId": "x", "userId": "u1"})).await;
    assert_eq!((s, v["pointer"].as_str()), (400, Some("/type")), "{v}");
}
