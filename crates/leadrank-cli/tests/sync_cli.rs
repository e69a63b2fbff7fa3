//! `leadrank sync hubspot` and `leadrank sync salesforce` end to end against the fake CRMs:
//! install the fields, a dry run that changes nothing, a real run, and located errors in the
//! sync file.

use std::process::Command;

use leadrank_crm_fakes::{HubSpotFake, SalesforceFake};

fn leadrank(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_leadrank"));
    c.args(args).env_remove("HUBSPOT_TOKEN").env_remove("SALESFORCE_TOKEN");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("runs")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_hubspot_dry_run_then_for_real() {
    let fake = HubSpotFake::start("pat-test").await;
    let ids: Vec<String> = (0..30)
        .map(|i| fake.create("contacts", &[("email", &format!("p{i}@acme.io")), ("jobtitle", if i % 2 == 0 { "CTO" } else { "Student" })]))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("sync.toml");
    std::fs::write(&cfg, format!("[hubspot]\nbase_url = \"{}\"\ntier = \"starter\"\n", fake.url)).unwrap();
    let db = dir.path().join("l.db");
    let (cfg, db) = (cfg.to_str().unwrap().to_string(), db.to_str().unwrap().to_string());
    let args = ["sync", "hubspot", "--config", &cfg, "--db", &db, "--install-fields"];
    // No token: a clear error naming the variable.
    let cfg2 = cfg.clone();
    let db2 = db.clone();
    let out = tokio::task::spawn_blocking(move || leadrank(&["sync", "hubspot", "--config", &cfg2, "--db", &db2], &[])).await.unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("HUBSPOT_TOKEN"));
    // Dry run: prints the fields it would write; HubSpot is unchanged.
    let mut dry: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    dry.push("--dry-run".into());
    let out = tokio::task::spawn_blocking(move || {
        let a: Vec<&str> = dry.iter().map(String::as_str).collect();
        leadrank(&a, &[("HUBSPOT_TOKEN", "pat-test")])
    })
    .await
    .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(0), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("properties would be created: leadrank_score"), "{text}");
    assert!(text.contains("a real run would spend"), "{text}");
    assert!(!text.contains("pat-test"));
    assert!(fake.writes().is_empty());
    assert!(!fake.properties("contacts").iter().any(|p| p.name == "leadrank_score"));
    // For real.
    let real: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let out = tokio::task::spawn_blocking(move || {
        let a: Vec<&str> = real.iter().map(String::as_str).collect();
        leadrank(&a, &[("HUBSPOT_TOKEN", "pat-test")])
    })
    .await
    .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(0), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("write-back: 30 record(s)"), "{text}");
    for id in &ids {
        assert_ne!(fake.get("contacts", id).unwrap().get("leadrank_score").map(String::as_str).unwrap_or(""), "");
    }
}

#[test]
fn a_bad_sync_file_names_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("sync.toml");
    std::fs::write(&cfg, "[hubspot]\ntier = \"gold\"\n\n[writeback]\nfields = [\"score\", \"colour\"]\n").unwrap();
    let out = leadrank(&["sync", "hubspot", "--config", cfg.to_str().unwrap(), "--db", dir.path().join("x.db").to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("sync.toml:2: hubspot.tier: 'gold' is not a tier"), "{err}");
    assert!(err.contains("sync.toml:5: writeback.fields: 'colour' is not a field"), "{err}");
    let out = leadrank(&["sync", "salesforce", "--config", cfg.to_str().unwrap(), "--db", dir.path().join("x.db").to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(2));
    std::fs::write(&cfg, "[salesforce]\ninstance_url = \"https://acme.my.salesforce.com\"\nbatch_size = 10\n").unwrap();
    let out = leadrank(&["sync", "salesforce", "--config", cfg.to_str().unwrap(), "--db", dir.path().join("x.db").to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("sync.toml:3: salesforce.batch_size: must be a whole number from 200 to 2000"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_salesforce_install_fields_dry_run_then_for_real() {
    let fake = SalesforceFake::start("sf-test-token").await;
    let ids: Vec<String> = (0..25)
        .map(|i| {
            let title = if i % 2 == 0 { "CTO" } else { "Student" };
            fake.create("Lead", &[("Email", serde_json::json!(format!("p{i}@acme.io"))), ("Title", serde_json::json!(title))])
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("sync.toml");
    std::fs::write(&cfg, format!("[salesforce]\ninstance_url = \"{}\"\n", fake.url)).unwrap();
    let db = dir.path().join("l.db");
    let spec_file = dir.path().join("fields.txt");
    let (cfg, db, spec) = (cfg.to_str().unwrap().to_string(), db.to_str().unwrap().to_string(), spec_file.to_str().unwrap().to_string());
    let run = |extra: Vec<&'static str>, token: Option<&'static str>| {
        let mut a: Vec<String> = ["sync", "salesforce", "--config", &cfg, "--db", &db].iter().map(|s| s.to_string()).collect();
        a.extend(extra.iter().map(|s| s.replace("SPEC", &spec)));
        tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = a.iter().map(String::as_str).collect();
            let env: Vec<(&str, &str)> = token.map(|t| ("SALESFORCE_TOKEN", t)).into_iter().collect();
            leadrank(&args, &env)
        })
    };
    // No token: a clear error naming the variable.
    let out = run(vec![], None).await.unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SALESFORCE_TOKEN"));
    // The fields are missing: described (and written to a file), nothing written back.
    let out = run(vec!["--install-fields", "--fields-file", "SPEC", "--dry-run"], Some("sf-test-token")).await.unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(0), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("fields missing in Salesforce"), "{text}");
    assert!(text.contains("Lead.Leadrank_Score__c"), "{text}");
    assert!(!text.contains("sf-test-token"));
    let described = std::fs::read_to_string(&spec_file).unwrap();
    assert!(described.contains("Leadrank_Score__c\n  type: Number"), "{described}");
    assert!(fake.writes().is_empty());
    // An admin creates them; the run writes every score.
    for line in described.lines().filter(|l| l.ends_with("__c")) {
        let kind = if line.contains("Score") {
            "double"
        } else if line.contains("Quality") {
            "boolean"
        } else if line.contains("Reasons") {
            "textarea"
        } else {
            "string"
        };
        let length = if kind == "textarea" { 32_768 } else { 255 };
        for object in ["Lead", "Contact"] {
            fake.add_field(object, line, kind, length);
        }
    }
    let out = run(vec!["--install-fields"], Some("sf-test-token")).await.unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(0), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("write-back: 25 record(s)"), "{text}");
    for id in &ids {
        assert!(fake.get(id).unwrap().contains_key("Leadrank_Score__c"));
    }
}
