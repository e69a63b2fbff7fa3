//! The `leadrank` binary end to end: exit codes, outputs and error messages.

use std::path::Path;
use std::process::{Command, Output};

fn leadrank(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leadrank")).args(args).output().expect("runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn write(dir: &Path, name: &str, body: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, body).unwrap();
    p.display().to_string()
}

const LEADS: &str = "lead_id,email,first_name,last_name,title,industry,employees,country,budget_owner\n\
L1,ada@acme.io,Ada,Lovelace,VP Sales,Software,450,US,yes\n\
L2,bob@gmail.com,Bob,Stone,Student,Retail,12,FR,no\n\
L3,cy@acme.io,Cy,Young,Engineer,Software,many,US,no\n";

const EVENTS: &str = "event_id,lead_id,type,occurred_at,url,properties\n\
e1,L1,demo_request,2026-06-20T10:00:00Z,,\n\
e2,L1,page_view,2026-06-21T10:00:00Z,https://x.io/pricing,\n\
e2,L1,page_view,2026-06-21T10:00:00Z,https://x.io/pricing,\n\
e3,L1,trial_started,2026-06-22T10:00:00Z,,\n";

#[test]
fn score_reports_bad_rows_scores_the_rest_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let leads = write(dir.path(), "leads.csv", LEADS);
    let events = write(dir.path(), "events.csv", EVENTS);
    let out = leadrank(&["score", "--leads", &leads, "--events", &events, "--as-of", "2026-06-30T12:00:00Z", "--format", "jsonl"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains(&format!("rejected {leads}:4:7: employees: 'many' is not an integer")), "{stderr}");
    assert!(stderr.contains("scored 2 leads (1 quality) with 3 events (1 duplicates ignored), 1 rows rejected"), "{stderr}");
    let lines: Vec<serde_json::Value> = text(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["lead_id"], "L1");
    assert_eq!(lines[0]["quality"], true);
    assert_eq!(lines[0]["dimensions"]["intent"], 40);
    assert!(
        lines[0]["reasons"].as_array().unwrap().iter().any(|r| r["rule"] == "demo_request" && r["detail"] == "demo_request on 2026-06-20")
    );
    assert_eq!(lines[1]["dimensions"]["penalty"], -25);
}

#[test]
fn csv_and_table_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let leads = write(dir.path(), "leads.csv", LEADS);
    let out_file = dir.path().join("scores.csv");
    let out = leadrank(&["score", "--leads", &leads, "--as-of", "2026-06-30", "--format", "csv", "--out", out_file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let csv = std::fs::read_to_string(&out_file).unwrap();
    assert!(csv.starts_with("lead_id,total,quality,grade,cell,fit,intent,access,timing,integrity,penalty,reasons\n"), "{csv}");
    let out = leadrank(&["score", "--leads", &leads, "--as-of", "2026-06-30", "--format", "table", "--top", "1"]);
    let table = text(&out.stdout);
    assert!(table.contains("L1") && !table.contains("L2"), "{table}");
    assert!(table.contains("2 leads, 0 quality (0.0%); model leadrank-default@1.1.0; top 1 shown"), "{table}");

    // The table fits the terminal width COLUMNS gives: the dimension columns go first (and
    // the footer says so), then the reasons wrap.
    let wide = leadrank(&["score", "--leads", &leads, "--as-of", "2026-06-30", "--format", "table", "--top", "0"]);
    let wide = text(&wide.stdout);
    assert!(wide.contains("integrity") && wide.contains("L2"), "--top 0 shows every lead, with every column: {wide}");
    for columns in ["80", "60"] {
        let out = Command::new(env!("CARGO_BIN_EXE_leadrank"))
            .args(["score", "--leads", &leads, "--as-of", "2026-06-30", "--format", "table"])
            .env("COLUMNS", columns)
            .output()
            .unwrap();
        let table = text(&out.stdout);
        let width: usize = columns.parse().unwrap();
        for line in table.lines().filter(|l| l.starts_with(['┌', '│', '╞', '└'])) {
            assert!(line.chars().count() <= width, "a line wider than {width}: {line:?}\n{table}");
        }
        assert!(!table.contains("integrity") && table.contains("L1") && table.contains("L2"), "{table}");
        assert!(table.contains(&format!("Dimension columns hidden to fit {columns} columns")), "{table}");
    }
}

#[test]
fn explain_prints_the_ledger_and_the_gap() {
    let dir = tempfile::tempdir().unwrap();
    let leads = write(dir.path(), "leads.csv", LEADS);
    let out = leadrank(&["explain", "L1", "--leads", &leads, "--as-of", "2026-06-30T12:00:00Z"]);
    let ledger = text(&out.stdout);
    assert!(ledger.starts_with("Lead L1  (model leadrank-default@1.1.0, as of 2026-06-30T12:00:00Z)"), "{ledger}");
    assert!(ledger.contains("more points needed to reach quality"), "{ledger}");
    assert!(ledger.contains("The fastest way there:"), "{ledger}");
    let out = leadrank(&["explain", "NOPE", "--leads", &leads]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("lead 'NOPE' is not in"));
    // A lead whose row was rejected is said to be rejected, with why, not absent.
    let out = leadrank(&["explain", "L3", "--leads", &leads, "--as-of", "2026-06-30T12:00:00Z"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains(&format!("lead 'L3' was rejected when {leads} was read")), "{err}");
    assert!(err.contains(&format!("{leads}:4:7: employees: 'many' is not an integer")), "{err}");
    assert!(!err.contains("is not in"), "{err}");
}

#[test]
fn model_commands() {
    let out = leadrank(&["model", "show"]);
    assert!(text(&out.stdout).contains("id = \"demo_request\""));
    let out = leadrank(&["model", "schema"]);
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(schema["properties"]["rules"].is_object(), "{schema}");
    assert!(schema["$defs"]["condition"]["properties"]["within_days"]["description"].is_string(), "{schema}");
    let out = leadrank(&["model", "reference"]);
    assert_eq!(text(&out.stdout), leadrank_core::model::reference_markdown());
    let dir = tempfile::tempdir().unwrap();
    let default = text(&leadrank(&["model", "show"]).stdout);
    let good = write(dir.path(), "good.toml", &default);
    let out = leadrank(&["model", "check", &good]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("ok: model leadrank-default@1.1.0 with 26 rules in 6 dimensions"));
    let bad = write(dir.path(), "bad.toml", &default.replace("in = \"icp_industries\"", "in = \"icp_industry\""));
    let out = leadrank(&["model", "check", &bad]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains(&format!("{bad}:")) && err.contains("unknown list 'icp_industry'"), "{err}");
    let out = leadrank(&["score", "--leads", &good, "--model", &bad]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn generated_data_scores_cleanly_and_deterministically() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("gen");
    let out = leadrank(&["generate", "--leads", "400", "--out", d.to_str().unwrap(), "--seed", "3"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let args = |p: &str| -> Vec<String> {
        [
            "score",
            "--leads",
            &format!("{p}/leads.csv"),
            "--events",
            &format!("{p}/events.csv"),
            "--accounts",
            &format!("{p}/accounts.csv"),
            "--as-of",
            "2026-06-30T12:00:00Z",
            "--format",
            "jsonl",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let a = Command::new(env!("CARGO_BIN_EXE_leadrank")).args(args(d.to_str().unwrap())).output().unwrap();
    assert_eq!(a.status.code(), Some(0), "{}", text(&a.stderr));
    assert_eq!(text(&a.stdout).lines().count(), 400);
    let b = Command::new(env!("CARGO_BIN_EXE_leadrank")).args(args(d.to_str().unwrap())).output().unwrap();
    assert_eq!(a.stdout, b.stdout, "scores are deterministic");
}

#[test]
fn usage_errors_exit_2() {
    let out = leadrank(&["score"]);
    assert_eq!(out.status.code(), Some(2));
    let out = leadrank(&["score", "--leads", "x.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot tell the format"), "{}", text(&out.stderr));
    let out = leadrank(&["score", "--leads", "x.csv", "--as-of", "yesterday"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn cluster_mode_refuses_what_cannot_work_before_starting() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("one.db");
    let db = db.to_str().unwrap();
    let cases: [(&[&str], &str); 4] = [
        (&["--db", db, "--cluster", "nats://127.0.0.1:4222"], "--cluster needs a postgres:// --db"),
        (&["--db", "postgres://x@127.0.0.1/x", "--cluster", "nats://127.0.0.1:4222", "--demo"], "--demo runs a single server"),
        (&["--db", "postgres://x@127.0.0.1/x", "--cluster", "nats://127.0.0.1:4222", "--cluster-name", "a.b"], "--cluster-name \"a.b\""),
        (&["--db", "postgres://x@127.0.0.1/x", "--cluster", "nats://127.0.0.1:4222", "--node-id", "n 1"], "--node-id \"n 1\""),
    ];
    for (args, want) in cases {
        let out = Command::new(env!("CARGO_BIN_EXE_leadrank")).arg("serve").args(args).env_remove("LEADRANK_CLUSTER").output().unwrap();
        assert!(!out.status.success(), "{args:?} must fail");
        assert!(text(&out.stderr).contains(want), "{args:?}: {}", text(&out.stderr));
    }
    assert!(!Path::new(db).exists(), "nothing is created before the check");
}

#[test]
fn dedupe_writes_pairs_merged_leads_map_and_moves_events() {
    let dir = tempfile::tempdir().unwrap();
    let leads = write(
        dir.path(),
        "leads.csv",
        "lead_id,email,first_name,last_name,company,phone,country,created_at,street\n\
         L1,robert.smith@acme.com,Robert,Smith,Acme Inc.,+1 415 555 0132,US,2026-01-01,1 Main St\n\
         L2,bob.smith@gmail.com,Bob,Smtih,\"ACME, Inc\",(415) 555-0132,United States,2026-03-01,1 Main Street\n\
         L3,jane@acme.com,Jane,Smith,Acme,,US,2026-02-01,\n\
         L4,x@y.com,Zoë,Ødegaard,Nordisk A/S,,DK,not-a-date,\n",
    );
    let events = write(
        dir.path(),
        "events.csv",
        "event_id,lead_id,type,occurred_at\ne1,L2,page_view,2026-03-02T00:00:00Z\ne2,L3,page_view,2026-03-02T00:00:00Z\n",
    );
    let out_dir = dir.path().join("out");
    let out = leadrank(&["dedupe", "--leads", &leads, "--events", &events, "--out", out_dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "a bad row exits 1: {}", text(&out.stderr));
    assert!(text(&out.stderr).contains(&format!("rejected {leads}:5:8: created_at:")), "{}", text(&out.stderr));
    let pairs = std::fs::read_to_string(out_dir.join("pairs.csv")).unwrap();
    assert!(pairs.contains("L1,L2,"), "{pairs}");
    assert!(!pairs.contains("L3"), "{pairs}");
    let map = std::fs::read_to_string(out_dir.join("merge_map.csv")).unwrap();
    assert!(map.contains("L2,L1,1,merged") && map.contains("L1,L1,1,survivor"), "{map}");
    let merged = std::fs::read_to_string(out_dir.join("leads.csv")).unwrap();
    assert_eq!(merged.lines().count(), 3, "{merged}");
    assert!(merged.contains("robert.smith@acme.com") && merged.contains("1 Main Street"), "{merged}");
    let ev = std::fs::read_to_string(out_dir.join("events.csv")).unwrap();
    assert!(ev.contains("e1,L1,page_view,2026-03-02T00:00:00Z,L2") && ev.contains("e2,L3,page_view,2026-03-02T00:00:00Z,\n"), "{ev}");
}

#[test]
fn consents_file_sets_marketing_consent_from_the_latest_record() {
    let dir = tempfile::tempdir().unwrap();
    let leads = write(dir.path(), "leads.csv", LEADS);
    let consents = write(
        dir.path(),
        "consents.csv",
        "lead_id,purpose,status,source,at\n\
         L1,marketing,granted,form,2026-01-10\n\
         L2,marketing,granted,form,2026-01-10\n\
         L2,marketing,withdrawn,email_link,2026-05-01T08:00:00Z\n\
         L1,analytics,withdrawn,crm,2026-06-01\n\
         L2,marketing,maybe,crm,2026-06-01\n\
         L3,marketing,granted,form,2026-01-10\n",
    );
    let consent_fired = |args: &[&str]| -> Vec<bool> {
        let out = leadrank(args);
        text(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .map(|s| s["reasons"].as_array().unwrap().iter().any(|r| r["rule"] == "consent"))
            .collect()
    };
    let base = ["score", "--leads", &leads, "--as-of", "2026-06-30T12:00:00Z", "--format", "jsonl"];
    assert_eq!(consent_fired(&base), vec![false, false], "no consent column and no records");
    let with: Vec<&str> = base.iter().copied().chain(["--consents", &consents]).collect();
    assert_eq!(consent_fired(&with), vec![true, false], "L1 granted; L2 granted then withdrawn");
    let out = leadrank(&with);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!("rejected {consents}:6:3: status: 'maybe' is not a consent status (granted, withdrawn, denied)")),
        "{stderr}"
    );
    // L3 was rejected from the leads, so its consent record names an unknown lead.
    assert!(stderr.contains(&format!("rejected {consents}:7:1: lead_id: lead_id 'L3' is not in the leads input")), "{stderr}");
    let out = leadrank(&["explain", "L1", "--leads", &leads, "--consents", &consents, "--as-of", "2026-06-30T12:00:00Z"]);
    assert!(text(&out.stdout).contains("Marketing consent"), "{}", text(&out.stdout));
}

#[test]
fn accounts_roll_people_up_with_committee_coverage_and_explain_one() {
    let dir = tempfile::tempdir().unwrap();
    let leads = write(
        dir.path(),
        "leads.csv",
        "lead_id,email,first_name,last_name,title,industry,employees,country,account_id,department\n\
         P1,ada@acme.io,Ada,Lovelace,VP Sales,Software,450,US,A1,\n\
         P2,cfo@acme.io,Cy,Young,Chief Financial Officer,Software,450,US,A1,\n\
         P3,eve@acme.io,Eve,Moss,Analyst,Software,450,US,A1,Information Security\n\
         P4,max@beta.io,Max,Bell,Engineer,Retail,20,FR,A2,\n",
    );
    let accounts = write(dir.path(), "accounts.csv", "account_id,name,tier,owner\nA1,Acme,abm,rep-01\nA2,Beta,,\n");
    let events = write(
        dir.path(),
        "events.csv",
        "event_id,lead_id,type,occurred_at\ne1,P1,demo_request,2026-06-28T10:00:00Z\ne2,P2,page_view,2026-06-29T10:00:00Z\ne3,P4,page_view,2026-01-01T10:00:00Z\n",
    );
    let base = ["accounts", "--leads", &leads, "--events", &events, "--accounts", &accounts, "--as-of", "2026-06-30T12:00:00Z"];
    let out = leadrank(&base);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    let a1 = table.find("A1").unwrap();
    let a2 = table.find("A2").unwrap();
    assert!(a1 < a2, "ranked by account score: {table}");
    assert!(table.contains("[ABM]"), "{table}");
    let mut args = base.to_vec();
    args.extend(["--explain", "A1"]);
    let ledger = text(&leadrank(&args).stdout);
    assert!(ledger.contains("finance engaged (P2)"), "{ledger}");
    assert!(ledger.contains("no one from security engaged (P3 known)"), "{ledger}");
    let mut args = base.to_vec();
    args.extend(["--format", "json", "--tier", "abm"]);
    let json = text(&leadrank(&args).stdout);
    assert_eq!(json.lines().count(), 1, "{json}");
    let v: serde_json::Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
    let total = v["total"].as_i64().unwrap();
    let sum: i64 = v["reasons"].as_array().unwrap().iter().map(|r| r["points"].as_i64().unwrap()).sum();
    assert_eq!(total, sum, "{v}");
}

#[test]
fn routing_files_are_shown_and_checked_with_located_errors() {
    let dir = tempfile::tempdir().unwrap();
    let shown = leadrank(&["routing", "show"]);
    let good = write(dir.path(), "routing.toml", &text(&shown.stdout));
    let out = leadrank(&["routing", "check", &good]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("ok: routing default@1 with 3 rules and 1 SLA policies"), "{}", text(&out.stdout));
    let bad = write(
        dir.path(),
        "bad.toml",
        "[routing]\nname = \"x\"\nversion = \"1\"\nfallback_queue = \"q\"\n\n[[rules]]\nid = \"a\"\nwhen = { segment = [\"huge\"] }\nto = { queue = \"q\" }\n",
    );
    let out = leadrank(&["routing", "check", &bad]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains(":8:") && err.contains("huge"), "{err}");
}

#[test]
fn calibrate_learns_from_sales_acceptance_in_a_stage_history() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = leadrank(&["generate", "--leads", "1500", "--out", data.to_str().unwrap(), "--seed", "3"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // Sales accepts senior people and rejects the others ("no_role_fit"): every third lead reviewed.
    let leads = std::fs::read_to_string(data.join("leads.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(leads.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    let (id_col, title_col) = (headers.iter().position(|h| h == "lead_id").unwrap(), headers.iter().position(|h| h == "title").unwrap());
    let mut stages = String::from("lead_id,stage,at,by,reason\n");
    let mut reviewed = 0;
    for (i, row) in rdr.records().enumerate() {
        let row = row.unwrap();
        if i % 3 != 0 {
            continue;
        }
        reviewed += 1;
        let senior = ["VP", "Director", "Head", "Chief"].iter().any(|k| row[title_col].contains(k));
        let id = &row[id_col];
        stages.push_str(&format!("{id},mql,2026-06-01,rule:mql_on_quality,\n"));
        stages.push_str(&if senior { format!("{id},sal,2026-06-02,r1,\n") } else { format!("{id},nurture,2026-06-02,r1,no_role_fit\n") });
    }
    let stages_path = write(dir.path(), "stages.csv", &stages);
    let base = |extra: &[&str]| {
        let mut a = vec!["calibrate", "--leads", "LEADS", "--events", "EVENTS", "--as-of", "2026-06-30T12:00:00Z"];
        a.extend_from_slice(extra);
        a.iter()
            .map(|s| {
                s.replace("LEADS", data.join("leads.csv").to_str().unwrap()).replace("EVENTS", data.join("events.csv").to_str().unwrap())
            })
            .collect::<Vec<_>>()
    };
    let args = base(&["--target", "accepted"]);
    let out = leadrank(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(out.status.code(), Some(2), "--stages is required");
    assert!(text(&out.stderr).contains("--target accepted needs --stages"), "{}", text(&out.stderr));
    let args = base(&["--target", "accepted", "--stages", &stages_path, "--json"]);
    let out = leadrank(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["target"], "accepted");
    assert_eq!(v["leads"], reviewed, "only the leads sales reviewed are labelled");
    let coef: Vec<(String, f64)> = serde_json::from_value(v["logistic"]["coefficients"].clone()).unwrap();
    let rules: Vec<&(String, f64)> = coef.iter().filter(|(n, _)| n.starts_with("rule:")).collect();
    let director = rules.iter().find(|(n, _)| n == "rule:director_plus").unwrap().1;
    assert!(rules.iter().filter(|(n, _)| n != "rule:director_plus").all(|(_, c)| *c < director), "seniority drives acceptance: {rules:?}");
}

#[test]
fn calibrate_with_gbm_reports_a_challenger_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let out = leadrank(&["generate", "--leads", "3000", "--out", d, "--seed", "5"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let f = |n: &str| format!("{d}/{n}");
    let (leads, events, accounts, outcomes) = (f("leads.csv"), f("events.csv"), f("accounts.csv"), f("outcomes.csv"));
    let common = [
        "calibrate",
        "--leads",
        &leads,
        "--events",
        &events,
        "--accounts",
        &accounts,
        "--outcomes",
        &outcomes,
        "--as-of",
        "2026-06-30T12:00:00Z",
        "--method",
        "gbm",
    ];
    let mut args = common.to_vec();
    args.push("--json");
    let out = leadrank(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let c: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let gbm = c["gbm"]["held_out"]["auc"].as_f64().expect("a gbm AUC");
    let logistic = c["logistic"]["held_out"]["auc"].as_f64().unwrap();
    assert!(gbm > 0.6 && gbm < 1.0, "{gbm}");
    assert!(gbm > logistic - 0.05, "gbm {gbm} vs logistic {logistic}");
    assert!(c["gbm"]["brier"].as_f64().is_some());
    assert_eq!(c["gbm"]["reliability"].as_array().unwrap().len(), 10);
    assert_eq!(c["gbm"]["held_out"]["deciles"].as_array().unwrap().len(), 10);
    // Importance names the logistic path's features; the proposal still comes from the logistic fit.
    let names: Vec<String> =
        serde_json::from_value::<Vec<(String, f64)>>(c["logistic"]["coefficients"].clone()).unwrap().into_iter().map(|(n, _)| n).collect();
    let imp: Vec<(String, f64)> = serde_json::from_value(c["gbm"]["importance"].clone()).unwrap();
    assert!(!imp.is_empty() && imp.len() <= 10, "{imp:?}");
    assert!(imp.iter().all(|(n, _)| names.contains(n)), "{imp:?}");
    assert!(imp.windows(2).all(|w| w[0].1 >= w[1].1), "{imp:?}");
    assert!(c["proposed"]["proposal"]["rules"].as_array().is_some_and(|r| !r.is_empty()));
    // Deterministic: the same run gives the same JSON.
    let again = leadrank(&args);
    assert_eq!(text(&again.stdout), text(&out.stdout));
    // The table shows the gbm column and the importance; without --method gbm there is no gbm.
    let out = leadrank(&common);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(table.lines().next().is_some_and(|_| table.contains("proposed         gbm")), "{table}");
    assert!(table.contains("Feature importance of the trees"), "{table}");
    let mut plain: Vec<&str> = common[..common.len() - 2].to_vec();
    plain.push("--json");
    let out = leadrank(&plain);
    let c: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(c.get("gbm").is_none());
}
