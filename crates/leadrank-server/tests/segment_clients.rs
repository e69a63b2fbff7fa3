//! Segment's official libraries pointed at the Segment intake: `segment-analytics-python`
//! (PyPI, module `segment.analytics`) and `@segment/analytics-node` (npm), pinned in
//! `tests/segment-clients` (requirements.txt, package-lock.json; `.ci/run` installs them). Each
//! sends an anonymous visitor's history, then identifies the visitor and joins an account; a
//! reference person sends the same events with the userId from the start. The two must score
//! the same. Skipped with a notice when the libraries are not installed (an error under CI).

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::Server;
use jiff::Timestamp;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/segment-clients")
}

/// Whether `what` can run; prints why not (and fails under CI).
fn available(what: &str, missing: Option<String>) -> bool {
    match missing {
        None => true,
        Some(why) => {
            assert!(std::env::var_os("CI").is_none(), "the {what} client test needs its library under CI: {why}");
            eprintln!("NOTICE: the {what} Segment client test is skipped: {why}");
            false
        }
    }
}

async fn check_scenario(srv: &Server, tag: &str) {
    let score = |id: String| async move {
        let (s, _, v) = srv.call("GET", &format!("/v1/leads/{id}/score"), Some(&srv.admin), None).await;
        assert_eq!(s, 200, "{id}: {v}");
        v["score"].clone()
    };
    let reference = score(format!("{tag}-ref")).await;
    let stitched = score(format!("{tag}-user")).await;
    // Totals and rules with their points (the details name each person's own domain).
    let points = |s: &serde_json::Value| -> (serde_json::Value, Vec<(String, i64)>) {
        let rules = s["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["rule"].as_str().unwrap().to_string(), r["points"].as_i64().unwrap()))
            .collect();
        (s["total"].clone(), rules)
    };
    assert_eq!(points(&stitched), points(&reference), "{tag}: stitched {stitched}\nreference {reference}");
    assert!(stitched.to_string().contains("demo_request"), "{tag}: the anonymous demo request counts: {stitched}");
    let events = srv.store.all_events().await.unwrap();
    let of = |id: &str| events.iter().filter(|e| e.lead_id == id).count();
    assert_eq!(of(&format!("{tag}-user")), 4, "{tag}: the anonymous history moved to the person");
    assert_eq!(of(&format!("{tag}-ref")), 4);
    assert!(!events.iter().any(|e| e.lead_id.starts_with("segment-anonymous:")), "{tag}: held copies remain");
    let lead = srv.store.lead(&format!("{tag}-user")).await.unwrap().expect("the person is a lead");
    assert_eq!(lead.account_id.as_deref(), Some(format!("{tag}-acct").as_str()), "{tag}: group links the account");
    assert_eq!(lead.employees, Some(1200));
    assert_eq!(lead.domain.as_deref(), Some(format!("{tag}-user.example.org").as_str()));
}

#[tokio::test]
async fn analytics_python_sends_to_the_intake() {
    let python = dir().join(".venv/bin/python");
    let missing = (!python.exists())
        .then(|| format!("create it: python3 -m venv {0}/.venv && {0}/.venv/bin/pip install -r {0}/requirements.txt", dir().display()));
    if !available("Python", missing) {
        return;
    }
    let srv = Server::start().await;
    let key = srv.key(&["ingest"]).await;
    let base = Timestamp::now().as_second().to_string();
    let host = format!("{}/segment", srv.base);
    let out = tokio::task::spawn_blocking(move || {
        Command::new(python).arg(dir().join("send.py")).args([host.as_str(), key.as_str(), "py", base.as_str()]).output().unwrap()
    })
    .await
    .unwrap();
    assert!(out.status.success(), "send.py failed: {}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    check_scenario(&srv, "py").await;
}

#[tokio::test]
async fn analytics_node_sends_to_the_intake() {
    let missing = if !dir().join("node_modules/@segment/analytics-node").exists() {
        Some(format!("run `npm ci` in {}", dir().display()))
    } else if Command::new("node").arg("--version").output().is_err() {
        Some("Node.js is not installed".to_string())
    } else {
        None
    };
    if !available("Node.js", missing) {
        return;
    }
    let srv = Server::start().await;
    let key = srv.key(&["ingest"]).await;
    let base = Timestamp::now().as_second().to_string();
    let host = srv.base.clone();
    let out = tokio::task::spawn_blocking(move || {
        Command::new("node").arg(dir().join("send.mjs")).args([host.as_str(), key.as_str(), "js", base.as_str()]).output().unwrap()
    })
    .await
    .unwrap();
    assert!(out.status.success(), "send.mjs failed: {}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    check_scenario(&srv, "js").await;
}
