//! `leadrank calibrate` and `backtest` output, pinned on one generated history (seed 11, 1200
//! leads, explicit as-of): the JSON (byte for byte: scripts read its keys), the tables, and the
//! model file `--write-model` writes. The snapshots were recorded before calibration and the
//! backtest moved out of the CLI into `leadrank-quality`; a change to any of them is a change
//! users see.

use std::path::Path;
use std::process::{Command, Output};

const AS_OF: &str = "2026-06-30T12:00:00Z";

fn leadrank(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leadrank")).args(args).output().expect("runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Generates the history into `dir` and writes a stage history in which sales reviewed every
/// third lead: senior titles accepted (sal), the others sent back to nurture with a reason.
fn history(dir: &Path) {
    let out = leadrank(&["generate", "--leads", "1200", "--out", dir.to_str().unwrap(), "--seed", "11", "--as-of", AS_OF]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let leads = std::fs::read_to_string(dir.join("leads.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(leads.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (id_col, title_col) = (col("lead_id"), col("title"));
    let mut stages = String::from("lead_id,stage,at,by,reason\n");
    for (i, row) in rdr.records().enumerate() {
        let row = row.unwrap();
        if i % 3 != 0 {
            continue;
        }
        let senior = ["VP", "Director", "Head", "Chief"].iter().any(|k| row[title_col].contains(k));
        let id = &row[id_col];
        stages.push_str(&format!("{id},mql,2026-06-01,rule:mql_on_quality,\n"));
        stages.push_str(&if senior { format!("{id},sal,2026-06-02,r1,\n") } else { format!("{id},nurture,2026-06-02,r1,no_role_fit\n") });
    }
    std::fs::write(dir.join("stages.csv"), stages).unwrap();
}

/// Runs `calibrate` with `extra` options on the history, as JSON (writing the model when
/// `write_model`) and as a table, and checks all three against the snapshots named `name`.
fn check(name: &str, extra: &[&str], write_model: bool) {
    let dir = tempfile::tempdir().unwrap();
    history(dir.path());
    let f = |n: &str| dir.path().join(n).display().to_string();
    let (leads, events, accounts, outcomes, model) = (f("leads.csv"), f("events.csv"), f("accounts.csv"), f("outcomes.csv"), f("out.toml"));
    let mut args =
        vec!["calibrate", "--leads", &leads, "--events", &events, "--accounts", &accounts, "--outcomes", &outcomes, "--as-of", AS_OF];
    let stages = f("stages.csv");
    if extra.contains(&"accepted") {
        args.extend(["--stages", &stages]);
    }
    args.extend_from_slice(extra);

    let mut json_args = args.clone();
    json_args.push("--json");
    if write_model {
        json_args.extend(["--write-model", &model]);
    }
    let out = leadrank(&json_args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json = text(&out.stdout);
    serde_json::from_str::<serde_json::Value>(&json).expect("calibrate --json prints JSON");
    insta::assert_snapshot!(format!("{name}_json"), json);
    if write_model {
        let written = std::fs::read_to_string(&model).unwrap();
        insta::assert_snapshot!(format!("{name}_model"), written);
        assert!(text(&out.stderr).contains("model to"), "{}", text(&out.stderr));
    }

    let out = leadrank(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    insta::assert_snapshot!(format!("{name}_table"), text(&out.stdout));
}

/// Won deals, per-lead cut-offs; the proposal is not recommended, so the current points are written.
#[test]
fn won_with_per_lead_cut_offs() {
    check("won", &[], true);
}

/// Another split that recommends the proposal: the written model carries new rules.
#[test]
fn won_with_a_recommended_proposal() {
    check("won_holdout_025_seed_7", &["--holdout", "0.25", "--seed", "7"], true);
}

#[test]
fn single_as_of() {
    check("single_as_of", &["--single-as-of"], false);
}

#[test]
fn gbm_split_by_time_with_a_horizon() {
    check("gbm_by_time_horizon_60", &["--method", "gbm", "--split-by-time", "--horizon-days", "60"], false);
}

#[test]
fn sales_acceptance() {
    check("accepted", &["--target", "accepted"], true);
}

/// The default model against the one calibration writes on the split that recommends it.
#[test]
fn backtest_of_the_calibrated_model() {
    let dir = tempfile::tempdir().unwrap();
    history(dir.path());
    let f = |n: &str| dir.path().join(n).display().to_string();
    let (leads, events, accounts, outcomes, model) = (f("leads.csv"), f("events.csv"), f("accounts.csv"), f("outcomes.csv"), f("out.toml"));
    let data = ["--leads", &leads, "--events", &events, "--accounts", &accounts, "--outcomes", &outcomes, "--as-of", AS_OF];
    let mut args = vec!["calibrate", "--json", "--holdout", "0.25", "--seed", "7", "--write-model", &model];
    args.extend(data);
    let out = leadrank(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut args = vec!["backtest", "--model-a", "default", "--model-b", &model, "--show", "5"];
    args.extend(data);
    let out = leadrank(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    insta::assert_snapshot!("backtest_table", text(&out.stdout));
}
