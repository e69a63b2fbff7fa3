//! The operating layer end to end through the HTTP API over real TCP: teams and reps,
//! routing on quality, sales acceptance with a checklist gate, rejection with reasons,
//! manual moves, stage and rep filters, reports, account scores, the routing file, scopes,
//! located errors, and signed `lead.stage_changed` / `lead.assigned` webhooks.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::HeaderMap;
use jiff::Timestamp;
use serde_json::{Value, json};

mod common;
use common::Server;

/// 65 points as sent; a demo request makes it a quality lead.
fn lead(id: &str, first: &str, last: &str) -> Value {
    json!({"lead_id": id, "email": format!("{}@northwind.com", first.to_lowercase()), "first_name": first, "last_name": last,
           "title": "VP of Sales", "company": "Northwind", "industry": "Software", "employees": 500, "country": "US",
           "budget_owner": true, "consent": true, "account_id": "A1", "custom": {"department": if id == "L2" { "Finance" } else { "Sales" }}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stages_routing_checklists_reports_and_webhooks_over_http() {
    let srv = Server::start().await;
    let admin = srv.admin.clone();
    let sales = srv.key(&["sales", "read"]).await;
    let reader = srv.key(&["read"]).await;

    // A signed-webhook receiver for stage changes and assignments.
    let received: Arc<Mutex<Vec<(String, Value)>>> = Arc::default();
    let secret: Arc<Mutex<String>> = Arc::default();
    let (r2, s2) = (received.clone(), secret.clone());
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let (r, s) = (r2.clone(), s2.clone());
            async move {
                let sig = headers["leadrank-signature"].to_str().unwrap().to_string();
                leadrank_webhooks::verify(&s.lock().unwrap(), &sig, &body, Timestamp::now().as_second(), 300).expect("valid signature");
                let v: Value = serde_json::from_slice(&body).unwrap();
                r.lock().unwrap().push((headers["leadrank-event"].to_str().unwrap().to_string(), v));
                "ok"
            }
        }),
    );
    let hook = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook_url = format!("http://{}/hook", hook.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(hook, app).await.unwrap() });
    let (s, _, v) = srv
        .call("POST", "/v1/webhooks", Some(&admin), Some(json!({"url": hook_url, "events": ["lead.stage_changed", "lead.assigned"]})))
        .await;
    assert_eq!(s, 201, "{v}");
    *secret.lock().unwrap() = v["secret"].as_str().unwrap().to_string();

    // Teams and reps (admin only; errors name the field).
    let (s, _, v) = srv.call("PUT", "/v1/teams/amer-mid-market", Some(&admin), Some(json!({"timezone": "America/Gotham"}))).await;
    assert_eq!(s, 422, "{v}");
    assert!(v["detail"].as_str().unwrap().contains("timezone"), "{v}");
    let (s, _, v) = srv.call("PUT", "/v1/teams/amer-mid-market", Some(&admin), Some(json!({"timezone": "America/New_York"}))).await;
    assert_eq!(s, 200, "{v}");
    let (s, _, _) = srv.call("PUT", "/v1/reps/r1", Some(&sales), Some(json!({"team": "amer-mid-market", "capacity": 10}))).await;
    assert_eq!(s, 403, "reps are managed with the admin scope");
    let (s, _, v) = srv.call("PUT", "/v1/reps/r9", Some(&admin), Some(json!({"team": "nowhere", "capacity": 10}))).await;
    assert_eq!(s, 422, "{v}");
    for r in ["r1", "r2"] {
        let (s, _, v) = srv
            .call("PUT", &format!("/v1/reps/{r}"), Some(&admin), Some(json!({"name": r, "team": "amer-mid-market", "capacity": 10})))
            .await;
        assert_eq!(s, 200, "{v}");
    }
    let (_, _, v) = srv.call("GET", "/v1/reps", Some(&reader), None).await;
    assert_eq!(v["items"].as_array().unwrap().len(), 2, "{v}");

    // Two people of an ABM account; a demo request makes each a quality lead.
    let (s, _, _) = srv
        .call("POST", "/v1/accounts", Some(&admin), Some(json!({"accounts": [{"account_id": "A1", "name": "Northwind", "tier": "abm"}]})))
        .await;
    assert_eq!(s, 200);
    let (s, _, v) = srv
        .call("POST", "/v1/leads", Some(&admin), Some(json!({"leads": [lead("L1", "Ada", "Lovelace"), lead("L2", "Alan", "Turing")]})))
        .await;
    assert_eq!(s, 200, "{v}");
    let at = (Timestamp::now() - jiff::SignedDuration::from_hours(1)).to_string();
    let events = json!({"events": [
        {"event_id": "d1", "lead_id": "L1", "type": "demo_request", "occurred_at": at},
        {"event_id": "d2", "lead_id": "L2", "type": "demo_request", "occurred_at": at},
    ]});
    let (s, _, v) = srv.call("POST", "/v1/events", Some(&admin), Some(events)).await;
    assert_eq!(s, 200, "{v}");

    // Stage, routing (no abm team exists, so territory decides) and the SLA clock.
    let (s, _, v) = srv.call("GET", "/v1/leads/L1/lifecycle", Some(&reader), None).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["stage"], "mql", "{v}");
    assert_eq!(v["assignment"]["rule"], "territory", "{v}");
    assert_eq!(v["assignment"]["rep"], "r1", "{v}");
    assert_eq!(v["sla"]["milestones"].as_array().unwrap().len(), 3, "{v}");
    assert_eq!(v["checklists"][0]["framework"], "bant", "{v}");
    assert!(v["checklists"][0]["items"][0]["prompt"].is_string(), "missing items carry the discovery question: {v}");
    assert!(v["log"].as_array().unwrap().iter().any(|e| e["kind"] == "assignment"), "{v}");
    let (_, _, v) = srv.call("GET", "/v1/leads/L2/lifecycle", Some(&reader), None).await;
    assert_eq!(v["assignment"]["rep"], "r2", "round-robin: {v}");

    // Acceptance needs the sales scope; BANT's last item moves the lead to sql.
    let (s, _, _) = srv.call("POST", "/v1/leads/L1/accept", Some(&reader), Some(json!({}))).await;
    assert_eq!(s, 403);
    let (s, _, v) = srv.call("POST", "/v1/leads/L1/accept", Some(&sales), Some(json!({"by": "r1", "note": "good fit"}))).await;
    assert_eq!((s, v["stage"].as_str()), (200, Some("sal")), "{v}");
    let (s, _, v) =
        srv.call("POST", "/v1/leads/L1/stage", Some(&sales), Some(json!({"to": "sql", "by": "r1", "reason": "feels ready"}))).await;
    assert_eq!(s, 409, "the model requires a complete BANT checklist: {v}");
    assert!(v["detail"].as_str().unwrap().contains("budget"), "{v}");
    let (s, _, v) = srv.call("PUT", "/v1/leads/L1/checklist/bant/mood", Some(&sales), Some(json!({"status": "confirmed"}))).await;
    assert_eq!(s, 400, "{v}");
    for item in ["budget", "authority", "need"] {
        let (s, _, v) = srv
            .call("PUT", &format!("/v1/leads/L1/checklist/bant/{item}"), Some(&sales), Some(json!({"status": "confirmed", "by": "r1"})))
            .await;
        assert_eq!((s, v["stage"].as_str()), (200, Some("sal")), "{v}");
    }
    let (s, _, v) = srv
        .call(
            "PUT",
            "/v1/leads/L1/checklist/bant/timeline",
            Some(&sales),
            Some(json!({"status": "confirmed", "note": "Q3 rollout", "by": "r1"})),
        )
        .await;
    assert_eq!((s, v["stage"].as_str(), v["transition"]["to"].as_str()), (200, Some("sql"), Some("sql")), "{v}");
    assert_eq!(v["checklists"][0]["complete"], true, "{v}");
    for to in ["opportunity", "won"] {
        let (s, _, v) = srv.call("POST", "/v1/leads/L1/stage", Some(&sales), Some(json!({"to": to, "by": "r1", "reason": "CRM"}))).await;
        assert_eq!((s, v["stage"].as_str()), (200, Some(to)), "{v}");
    }
    let (s, _, _) = srv.call("POST", "/v1/leads/L1/route", Some(&sales), Some(json!({}))).await;
    assert_eq!(s, 409, "a won lead is not routed");

    // Rejection: the reason must be the model's; a soft reason sends the lead to nurture.
    let (s, _, v) = srv.call("POST", "/v1/leads/L2/reject", Some(&sales), Some(json!({"reason": "too_pricey"}))).await;
    assert_eq!((s, v["pointer"].as_str()), (400, Some("/reason")), "{v}");
    let (s, _, v) = srv
        .call("POST", "/v1/leads/L2/reject", Some(&sales), Some(json!({"reason": "no_budget_path", "note": "next FY", "by": "r2"})))
        .await;
    assert_eq!((s, v["stage"].as_str()), (200, Some("nurture")), "{v}");
    let (s, _, _) = srv.call("POST", "/v1/leads/L2/reject", Some(&sales), Some(json!({"reason": "spam"}))).await;
    assert_eq!(s, 409);
    let (_, _, v) = srv.call("GET", "/v1/leads?stage=nurture", Some(&reader), None).await;
    assert_eq!(v["items"][0]["lead_id"], "L2", "{v}");
    let (_, _, v) = srv.call("GET", "/v1/leads?rep=r1", Some(&reader), None).await;
    assert_eq!(v["items"].as_array().unwrap().len(), 1, "{v}");

    // Reports.
    let (_, _, v) = srv.call("GET", "/v1/reports/funnel", Some(&reader), None).await;
    assert!(v.to_string().contains("no_budget_path"), "{v}");
    assert_eq!(v["conversion"]["sql_to_won"]["to"], 1, "{v}");
    let csv = srv.client.get(format!("{}/v1/reports/stages", srv.base)).bearer_auth(&reader).send().await.unwrap().text().await.unwrap();
    assert!(csv.starts_with("lead_id,stage,at,by,reason\n"), "{csv}");
    assert!(csv.lines().any(|l| l.starts_with("L2,nurture,") && l.ends_with(",r2,no_budget_path")), "{csv}");
    assert!(csv.lines().any(|l| l.starts_with("L1,won,")), "{csv}");
    let (_, _, v) = srv.call("GET", "/v1/reports/routing", Some(&reader), None).await;
    assert_eq!(v["fairness"]["reps"].as_array().unwrap().len(), 2, "{v}");
    let (_, _, v) = srv.call("GET", "/v1/reports/sla", Some(&reader), None).await;
    assert!(v["speed_to_lead"]["leads"].as_u64().unwrap() >= 2, "{v}");

    // Accounts: ranked, ABM visible, buying committee with finance engaged.
    let (_, _, v) = srv.call("GET", "/v1/accounts?tier=abm", Some(&reader), None).await;
    let a = &v["items"][0];
    assert_eq!((a["account_id"].as_str(), a["abm"].as_bool()), (Some("A1"), Some(true)), "{v}");
    assert!(a["coverage"].to_string().contains("finance"), "{v}");
    let (_, _, v) = srv.call("GET", "/v1/accounts/A1", Some(&reader), None).await;
    assert!(v["explanation"].as_str().unwrap().contains("Buying committee"), "{v}");

    // A privacy export includes how the lead was worked (stages, checklist notes, the log);
    // erasure removes it.
    let (_, _, v) = srv.call("POST", "/v1/privacy/export", Some(&admin), Some(json!({"lead_id": "L1"}))).await;
    assert!(v["people"][0]["operating"].to_string().contains("Q3 rollout"), "{v}");
    assert!(v["people"][0]["operating_log"].as_array().unwrap().len() >= 6, "{v}");

    // The routing file: located errors, then a valid upload.
    let (s, v) = srv.send_text("PUT", "/v1/routing", &admin, "[routing]\nname = \"x\"\nversion = \"1\"\nfallback_queue = \"q\"\n\n[[rules]]\nid = \"a\"\nwhen = { region = [\"MARS\"] }\nto = { queue = \"q\" }\n").await;
    assert_eq!(s, 422, "{v}");
    assert_eq!(v["errors"][0]["line"], 8, "{v}");
    let builtin = leadrank_routing::BUILTIN_ROUTING;
    let (s, v) = srv.send_text("PUT", "/v1/routing", &admin, builtin).await;
    assert_eq!(s, 200, "{v}");

    // Signed webhooks for stage changes and assignments arrived.
    for _ in 0..100 {
        let n = received.lock().unwrap().iter().filter(|(e, _)| e == "lead.stage_changed").count();
        if n >= 6 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let got = received.lock().unwrap().clone();
    let stage_changes: Vec<(String, String)> = got
        .iter()
        .filter(|(e, _)| e == "lead.stage_changed")
        .filter(|(_, v)| v["data"]["lead_id"] == "L1")
        .map(|(_, v)| (v["data"]["from"].as_str().unwrap_or("").to_string(), v["data"]["to"].as_str().unwrap_or("").to_string()))
        .collect();
    for want in [("inquiry", "mql"), ("mql", "sal"), ("sal", "sql"), ("sql", "opportunity"), ("opportunity", "won")] {
        assert!(stage_changes.contains(&(want.0.to_string(), want.1.to_string())), "{want:?} in {stage_changes:?} of {got:?}");
    }
    assert!(got.iter().any(|(e, v)| e == "lead.assigned" && v["data"]["rep"] == "r2"), "{got:?}");

    let (s, _, v) = srv.call("POST", "/v1/privacy/erase", Some(&admin), Some(json!({"lead_id": "L1"}))).await;
    assert_eq!(s, 200, "{v}");
    assert!(v["erased"]["ops"].as_u64().unwrap() >= 7, "state and log rows erased: {v}");
    assert!(srv.store.ops_log("L1").await.unwrap().is_empty());
    assert!(srv.store.all_ops().await.unwrap().iter().all(|o| o.lead_id != "L1"));
    let (s, _, _) = srv.call("GET", "/v1/leads/L1/lifecycle", Some(&reader), None).await;
    assert_eq!(s, 404);
    srv.stop.cancel();
}

/// API keys bound to users act as them: a rep for themself on their own leads, a manager for
/// their teams' reps; a key bound to no user names only reps of the directory in `by`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_keys_act_only_for_whom_their_user_may() {
    use leadrank_service::users::{NewUser, Role};
    let srv = Server::start().await;
    let admin = srv.admin.clone();
    for (team, tz) in [("amer-mid-market", "America/New_York"), ("emea-enterprise", "Europe/London")] {
        let (s, _, v) = srv.call("PUT", &format!("/v1/teams/{team}"), Some(&admin), Some(json!({"timezone": tz}))).await;
        assert_eq!(s, 200, "{v}");
    }
    for (rep, team) in [("r1", "amer-mid-market"), ("r2", "amer-mid-market"), ("r3", "emea-enterprise")] {
        let (s, _, v) = srv.call("PUT", &format!("/v1/reps/{rep}"), Some(&admin), Some(json!({"team": team, "capacity": 10}))).await;
        assert_eq!(s, 200, "{v}");
    }
    let (s, _, v) = srv
        .call("POST", "/v1/leads", Some(&admin), Some(json!({"leads": [lead("L1", "Ada", "Lovelace"), lead("L2", "Alan", "Turing")]})))
        .await;
    assert_eq!(s, 200, "{v}");
    let at = (Timestamp::now() - jiff::SignedDuration::from_hours(1)).to_string();
    let events = json!({"events": [
        {"event_id": "d1", "lead_id": "L1", "type": "demo_request", "occurred_at": at},
        {"event_id": "d2", "lead_id": "L2", "type": "demo_request", "occurred_at": at},
    ]});
    assert_eq!(srv.call("POST", "/v1/events", Some(&admin), Some(events)).await.0, 200);
    let mut owner = std::collections::HashMap::new();
    for id in ["L1", "L2"] {
        let (_, _, v) = srv.call("GET", &format!("/v1/leads/{id}/lifecycle"), Some(&admin), None).await;
        owner.insert(v["assignment"]["rep"].as_str().expect("routed to a rep").to_string(), id);
    }
    let (r1_lead, r2_lead) = (owner["r1"], owner["r2"]);

    let now = Timestamp::now();
    let users = [
        ("maria", Role::Rep, Some("r1"), vec![]),
        ("lee", Role::Rep, Some("r3"), vec![]),
        ("sam", Role::Manager, None, vec!["amer-mid-market".to_string()]),
    ];
    let mut keys = std::collections::HashMap::new();
    for (name, role, rep, teams) in users {
        let new = NewUser { username: name.into(), name: name.into(), role, rep: rep.map(str::to_string), teams };
        leadrank_service::users::create(srv.store.as_ref(), new, "a long enough password", now).await.unwrap();
        let key = srv.key(&["sales", "read"]).await;
        let (id, _) = leadrank_service::keys::split(&key).unwrap();
        leadrank_service::access::bind_key(srv.store.as_ref(), id, name, now).await.unwrap();
        keys.insert(name, key);
    }

    // A key bound to no user: `by` must be a rep of the directory.
    let sales = srv.key(&["sales"]).await;
    let (s, _, v) = srv.call("POST", &format!("/v1/leads/{r1_lead}/accept"), Some(&sales), Some(json!({"by": "anyone"}))).await;
    assert_eq!((s, v["pointer"].as_str()), (403, Some("/by")), "{v}");
    // A rep's key: not for another rep, not on another rep's lead, then as themself.
    let maria = &keys["maria"];
    let (s, _, v) = srv.call("POST", &format!("/v1/leads/{r1_lead}/accept"), Some(maria), Some(json!({"by": "r2"}))).await;
    assert_eq!(s, 403, "{v}");
    assert!(v["detail"].as_str().unwrap().contains("may not act for 'r2'"), "{v}");
    let (s, _, v) = srv.call("POST", &format!("/v1/leads/{r2_lead}/accept"), Some(maria), Some(json!({}))).await;
    assert_eq!(s, 403, "{v}");
    let (s, _, v) = srv.call("POST", &format!("/v1/leads/{r1_lead}/accept"), Some(&keys["lee"]), Some(json!({"by": "r3"}))).await;
    assert_eq!(s, 403, "another team's rep: {v}");
    let (s, _, v) = srv.call("POST", &format!("/v1/leads/{r1_lead}/accept"), Some(maria), Some(json!({}))).await;
    assert_eq!((s, v["transition"]["actor"].as_str()), (200, Some("user:r1")), "{v}");
    // A manager acts for the reps of their teams, not for others.
    let sam = &keys["sam"];
    let reject = |by: &str| json!({"reason": "no_budget_path", "note": "next FY", "by": by});
    let (s, _, v) = srv.call("POST", &format!("/v1/leads/{r2_lead}/reject"), Some(sam), Some(reject("r3"))).await;
    assert_eq!(s, 403, "{v}");
    let (s, _, v) = srv.call("POST", &format!("/v1/leads/{r2_lead}/reject"), Some(sam), Some(reject("r2"))).await;
    assert_eq!((s, v["transition"]["actor"].as_str()), (200, Some("user:r2")), "{v}");
    srv.stop.cancel();
}
