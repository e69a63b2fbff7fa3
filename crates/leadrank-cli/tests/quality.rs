//! `report`, `calibrate`, `learn` and `backtest` end to end, on generated data and on the two
//! real data sets in `../shared/data` (skipped with a note when that folder is absent).

use std::path::PathBuf;
use std::process::{Command, Output};

fn leadrank(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leadrank")).args(args).output().expect("runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn shared(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data").join(rel);
    if p.exists() {
        Some(p)
    } else if std::env::var_os("CI").is_some() {
        // CI always has shared/ beside the clone: a missing data set there is a failure.
        panic!("{} is absent", p.display());
    } else {
        eprintln!("skipped: {} is absent", p.display());
        None
    }
}

#[test]
fn maven_crm_reproduces_its_known_figures() {
    let Some(dir) = shared("maven_crm") else { return };
    let out = leadrank(&["report", "--maven-crm", dir.to_str().unwrap(), "--by", "regional_office", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let win = r["overall"]["win_rate"].as_f64().unwrap();
    assert!((win - 0.6315).abs() < 0.00005, "win rate {win}");
    assert_eq!(r["overall"]["cycle_median_days"].as_f64(), Some(45.0));
    assert_eq!(r["overall"]["won"].as_u64(), Some(4238));
    assert_eq!(r["overall"]["won_amount"].as_f64(), Some(10_005_534.0));
    assert_eq!(r["groups"].as_array().unwrap().len(), 3);
    let table = leadrank(&["report", "--maven-crm", dir.to_str().unwrap()]);
    assert!(text(&table.stdout).contains("63.15%"), "{}", text(&table.stdout));
}

#[test]
fn x_education_learns_and_names_the_leaks() {
    let Some(file) = shared("x_education/Leads.csv") else { return };
    let out = leadrank(&[
        "learn", "--data", file.to_str().unwrap(), "--target", "Converted", "--json",
        "--exclude", "Tags,Lead Quality,Lead Profile,Last Notable Activity,Asymmetrique Activity Index,Asymmetrique Profile Index,Asymmetrique Activity Score,Asymmetrique Profile Score",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let auc_points = r["holdout"]["auc_points"].as_f64().unwrap();
    let auc_logistic = r["holdout"]["auc_logistic"].as_f64().unwrap();
    // scikit-learn on the same features and split: see bench/learn_compare.py and BENCHMARKS.md.
    assert!(auc_points > 0.85, "{auc_points}");
    assert!((auc_points - auc_logistic).abs() < 0.01, "{auc_points} {auc_logistic}");
    let leaks: Vec<&str> = r["columns"].as_array().unwrap().iter().filter(|c| c["leak"] == true).map(|c| c["name"].as_str().unwrap()).collect();
    assert!(leaks.contains(&"Tags"), "{leaks:?}");
    let kind = |n: &str| r["columns"].as_array().unwrap().iter().find(|c| c["name"] == n).unwrap()["kind"].as_str().unwrap().to_string();
    assert_eq!(kind("Prospect ID"), "identifier");
    assert_eq!(kind("Tags"), "excluded");
}

#[test]
fn generated_history_reports_calibrates_and_backtests() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let out = leadrank(&["generate", "--leads", "2000", "--out", d, "--seed", "5"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let f = |n: &str| format!("{d}/{n}");
    let common = ["--leads", &f("leads.csv"), "--events", &f("events.csv"), "--accounts", &f("accounts.csv"), "--outcomes", &f("outcomes.csv"), "--as-of", "2026-06-30T12:00:00Z"];
    let mut args = vec!["report", "--by", "source", "--format", "json"];
    args.extend(common);
    let out = leadrank(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let auc = r["score_quality"]["auc_won"].as_f64().unwrap();
    assert!(auc > 0.6 && auc < 1.0, "{auc}");
    assert_eq!(r["overall"]["leads"].as_u64(), Some(2000));

    let model = f("calibrated.toml");
    let mut args = vec!["calibrate", "--json", "--write-model", &model];
    args.extend(common);
    let out = leadrank(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let c: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cur = c["current"]["held_out"]["auc"].as_f64().unwrap();
    let fitted = c["logistic"]["held_out"]["auc"].as_f64().unwrap();
    assert!(fitted > cur - 0.02, "the generator weights signals differently: {fitted} vs {cur}");
    let signals: Vec<&str> = c["proposed"]["new_signals"].as_array().unwrap().iter().map(|v| v[0].as_str().unwrap()).collect();
    assert!(signals.iter().any(|s| s.starts_with("event:")), "{signals:?}");
    let check = leadrank(&["model", "check", &model]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    assert!(std::fs::read_to_string(&model).unwrap().contains("# leadrank default model"));

    let mut args = vec!["backtest", "--model-a", "default", "--model-b", &model];
    args.extend(common);
    let out = leadrank(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("become quality under B"), "{}", text(&out.stdout));
}

/// `report --format html` writes one self-contained page with three inline SVG charts, on
/// generated history and on the Maven pipeline.
#[test]
fn report_html_is_one_page_with_three_charts() {
    let check = |html: &str| {
        assert!(html.starts_with("<!doctype html>"), "{}", &html[..html.len().min(200)]);
        assert_eq!(html.matches("<svg").count(), 3, "three charts");
        assert!(!html.contains("<script"), "no scripts");
        assert!(!html.contains("<link") && !html.contains("src=\""), "no external resources");
        assert!(html.trim_end().ends_with("</html>"));
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let out = leadrank(&["generate", "--leads", "1500", "--out", d, "--seed", "5"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let f = |n: &str| format!("{d}/{n}");
    let out = leadrank(&[
        "report", "--format", "html", "--leads", &f("leads.csv"), "--events", &f("events.csv"), "--accounts", &f("accounts.csv"),
        "--outcomes", &f("outcomes.csv"), "--as-of", "2026-06-30T12:00:00Z",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let html = text(&out.stdout);
    check(&html);
    assert!(html.contains("1500 leads scored"), "title");
    assert!(html.contains("ROC AUC against won") && html.contains("overall "), "decile chart");
    assert!(html.contains("Volume and quality by source") && html.contains("organic"), "source chart");

    let Some(dir) = shared("maven_crm") else { return };
    let out = leadrank(&["report", "--maven-crm", dir.to_str().unwrap(), "--by", "regional_office", "--format", "html"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let html = text(&out.stdout);
    check(&html);
    assert!(html.contains("63.15%"), "Maven win rate");
    assert!(html.contains("Central") && html.contains("45.0 / "), "regions and median cycle");
}
