//! Deals (opportunities) through the API: each record checked on its own with every bad
//! field named, upserts by id, a listing, suppression of an erased person's deal, and
//! erasure removing the deals that name a lead (the deals table survives a restart).

use serde_json::{Value, json};

mod common;
use common::Server;

fn statuses(v: &Value) -> Vec<String> {
    v["results"].as_array().expect("one result per record").iter().map(|r| r["status"].as_str().unwrap_or("").to_string()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deals_are_checked_stored_listed_and_erased_with_their_lead() {
    let srv = Server::start().await;
    let leads = json!({"leads": [
        {"lead_id": "D1", "email": "ada@acme.example", "account_id": "ACME"},
        {"lead_id": "D2", "email": "bo@acme.example", "account_id": "ACME"},
    ]});
    let (s, _, v) = srv.call("POST", "/v1/leads", Some(&srv.admin), Some(leads)).await;
    assert_eq!(s, 200, "{v}");

    let deals = json!({"outcomes": [
        {"opportunity_id": "O1", "lead_id": "D1", "status": "Closed Won", "amount": 12000, "created_at": "2026-02-01", "closed_at": "2026-03-01"},
        {"opportunity_id": "O2", "account_id": "ACME", "status": "open", "amount": "5000"},
        {"opportunity_id": "O3", "lead_id": "D2", "status": "maybe", "amount": -4},
        {"opportunity_id": "O4", "lead_id": "D2", "status": "lost", "created_at": "2026-03-02", "closed_at": "2026-03-01"},
        {"opportunity_id": "O5", "lead_id": "D2", "status": "won", "stage_name": "x"},
    ]});
    let ingest = srv.key(&["ingest"]).await;
    let (s, _, v) = srv.call("POST", "/v1/outcomes", Some(&ingest), Some(deals)).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(statuses(&v), ["created", "created", "rejected", "rejected", "rejected"], "{v}");
    let r = &v["results"];
    assert_eq!(r[0]["opportunity_id"], "O1");
    // Every bad field of a record is named; the pointer is the first (members in name order).
    assert_eq!(r[2]["pointer"], "/outcomes/2/amount", "{v}");
    let why = r[2]["reason"].as_str().unwrap_or("");
    assert!(why.contains("status: 'maybe' is not open, won or lost") && why.contains("amount: '-4' must be zero or more"), "{why}");
    assert_eq!(r[3]["pointer"], "/outcomes/3/closed_at", "{v}");
    assert_eq!(r[4]["pointer"], "/outcomes/4/stage_name", "{v}");

    // Upsert by id: O2 is now won.
    let (s, _, v) = srv
        .call(
            "POST",
            "/v1/outcomes",
            Some(&ingest),
            Some(json!({"outcomes": [{"opportunity_id": "O2", "account_id": "ACME", "status": "won", "amount": 5000}]})),
        )
        .await;
    assert_eq!((s, statuses(&v)), (200, vec!["updated".to_string()]), "{v}");
    // A read key lists them; an ingest-only key cannot.
    let reader = srv.key(&["read"]).await;
    let (s, _, list) = srv.call("GET", "/v1/outcomes", Some(&reader), None).await;
    assert_eq!(s, 200, "{list}");
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.iter().map(|i| i["opportunity_id"].as_str().unwrap()).collect::<Vec<_>>(), ["O1", "O2"]);
    assert_eq!((items[0]["status"].as_str(), items[0]["amount"].as_f64()), (Some("won"), Some(12000.0)));
    assert_eq!(items[0]["created_at"], "2026-02-01T00:00:00Z");
    assert_eq!(items[1]["status"], "won");
    let (s, _, _) = srv.call("GET", "/v1/outcomes", Some(&ingest), None).await;
    assert_eq!(s, 403);
    let (s, _, _) = srv
        .call(
            "POST",
            "/v1/outcomes",
            Some(&reader),
            Some(json!({"outcomes": [{"opportunity_id": "O9", "lead_id": "D1", "status": "won"}]})),
        )
        .await;
    assert_eq!(s, 403);
    let (s, _, v) = srv.call("POST", "/v1/outcomes", Some(&ingest), Some(json!({"outcomes": []}))).await;
    assert_eq!(s, 400, "{v}");

    // Erasing D1 removes the deal that names it; the account-only deal stays. A deal naming
    // the erased lead afterwards is not stored.
    let (s, _, v) = srv.call("POST", "/v1/privacy/erase", Some(&srv.admin), Some(json!({"lead_id": "D1"}))).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["erased"]["deals"], 1, "{v}");
    let (_, _, list) = srv.call("GET", "/v1/outcomes", Some(&reader), None).await;
    assert_eq!(list["items"].as_array().unwrap().iter().map(|i| i["opportunity_id"].as_str().unwrap()).collect::<Vec<_>>(), ["O2"]);
    let (_, _, v) = srv
        .call(
            "POST",
            "/v1/outcomes",
            Some(&ingest),
            Some(json!({"outcomes": [{"opportunity_id": "O1", "lead_id": "D1", "status": "won"}]})),
        )
        .await;
    assert_eq!(statuses(&v), ["suppressed"], "{v}");
}
