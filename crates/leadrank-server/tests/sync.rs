//! The scheduled CRM sync through the API: a server started with a sync file runs it at
//! once, lists it with its status, and runs, pauses and resumes it on request (admin keys
//! only, audited).

mod common;

use common::Server;
use leadrank_crm_fakes::HubSpotFake;

const TOKEN: &str = "pat-na1-test-token";

#[tokio::test]
async fn a_scheduled_source_through_the_api() {
    let fake = HubSpotFake::start(TOKEN).await;
    fake.create("contacts", &[("email", "p1@acme.io"), ("jobtitle", "CTO")]);
    fake.create("contacts", &[("email", "p2@acme.io"), ("jobtitle", "Student")]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sync.toml");
    std::fs::write(&file, format!("[hubspot]\nbase_url = \"{}\"\ntoken_file = \"token\"\ninterval = \"15m\"\n", fake.url)).unwrap();
    std::fs::write(dir.path().join("token"), TOKEN).unwrap();
    let sources = leadrank_sync::schedule::sources_from_file(&file).unwrap().into_iter().map(std::sync::Arc::new).collect();
    let server = Server::start_synced(true, Default::default(), Default::default(), sources).await;
    let admin = server.admin.clone();

    // The first run starts with the server.
    let s = server.sync_status_until(&admin, |s| s["runs"] == 1 && s["state"] == "idle").await;
    assert_eq!(s["name"], "hubspot");
    assert_eq!(s["interval_s"], 900);
    assert_eq!(s["last_result"]["read"], 2, "{s}");
    assert_eq!(s["last_result"]["created"], 2, "{s}");
    assert!(s["next_run_at"].is_string() && s["last_started_at"].is_string(), "{s}");
    let text = s.to_string();
    assert!(!text.contains("acme.io"), "no personal data in the status: {text}");

    // Pause, run now while paused, resume.
    let (st, _, v) = server.call("POST", "/v1/sync/hubspot/pause", Some(&admin), None).await;
    assert_eq!((st, v["state"].as_str()), (200, Some("paused")), "{v}");
    assert!(v.get("next_run_at").is_none(), "{v}");
    fake.create("contacts", &[("email", "p3@acme.io"), ("jobtitle", "CTO")]);
    let (st, _, v) = server.call("POST", "/v1/sync/hubspot/run", Some(&admin), None).await;
    assert_eq!(st, 202, "{v}");
    let s = server.sync_status_until(&admin, |s| s["runs"] == 2 && s["state"] == "paused").await;
    assert_eq!(s["last_result"]["created"], 1, "{s}");
    let (st, _, v) = server.call("POST", "/v1/sync/hubspot/resume", Some(&admin), None).await;
    assert_eq!(st, 200, "{v}");
    assert_ne!(v["state"], "paused");

    // Unknown sources and keys without the admin scope are refused.
    let (st, _, _) = server.call("POST", "/v1/sync/salesforce/run", Some(&admin), None).await;
    assert_eq!(st, 404);
    let reader = server.key(&["read"]).await;
    let (st, _, _) = server.call("GET", "/v1/sync", Some(&reader), None).await;
    assert_eq!(st, 403);
    let (st, _, _) = server.call("POST", "/v1/sync/hubspot/run", Some(&reader), None).await;
    assert_eq!(st, 403);

    // Audited with the key.
    let (_, _, audit) = server.call("GET", "/v1/audit?limit=50", Some(&admin), None).await;
    let actions: Vec<String> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["action"].as_str().is_some_and(|x| x.starts_with("sync.")))
        .map(|a| format!("{} {}", a["action"].as_str().unwrap(), a["actor"].as_str().unwrap().split(':').next().unwrap()))
        .collect();
    for want in ["sync.pause key", "sync.run key", "sync.resume key"] {
        assert!(actions.iter().any(|a| a == want), "{want}: {actions:?}");
    }
    server.stop.cancel();
}
