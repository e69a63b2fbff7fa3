//! Rows per second of a 10,000-row HubSpot-shaped contacts export through
//! `POST /v1/imports/leads?mapping=hubspot-contacts` (one request), beside the same leads as
//! JSON to `POST /v1/leads` (500 per request, sequential), each on a fresh in-process server
//! on SQLite; and the same file imported a second time (every row unchanged). Ignored by
//! default; run with
//! `cargo test -p leadrank-server --test import_bench -- --ignored --nocapture` (BENCHMARKS.md).

mod common;

use std::time::{Duration, Instant};

use common::Server;
use leadrank_io::read::{Delimiter, Kind};
use leadrank_io::upload::{Records, read_csv};
use serde_json::{Map, Value, json};

const ROWS: usize = 10_000;
const BATCH: usize = 500;
const ROUNDS: usize = 3;

const HEADER: &str = "Record ID,First Name,Last Name,Email,Phone Number,Company Name,Job Title,Lifecycle Stage,Lead Status,Create Date,\
Contact owner,Country/Region,Industry,Number of Employees,Annual Revenue,Original Source,Website URL,Primary Associated Company ID,\
Last Activity Date,Marketing contact status";

/// A HubSpot contacts export of `ROWS` rows, deterministic.
fn export() -> String {
    const FIRST: [&str; 6] = ["Dana", "Priya", "Tom", "Ana", "Lee", "Inès"];
    const TITLES: [&str; 5] = ["VP of Revenue Operations", "Head of Marketing", "Data Analyst", "Chief Financial Officer", "Student"];
    const INDUSTRIES: [&str; 4] = ["Computer Software", "Hospital & Health Care", "Financial Services", "Retail"];
    const SIZES: [&str; 4] = ["1-5", "25-50", "100-500", "1000+"];
    const SOURCES: [&str; 4] = ["Organic Search", "Paid Search", "Referrals", "Direct Traffic"];
    let mut out = format!("{HEADER}\n");
    for i in 0..ROWS {
        let company = format!("Company {}", i % 900);
        out.push_str(&format!(
            "{},{},Person{i},p{i}@company{}.example,+1 415 555 {:04},{company},{},Lead,New,2026-05-{:02} 09:{:02},Jo Park,United States,{},{},\"${},000,000\",{},company{}.example,{},2026-06-20 14:03,Marketing contact\n",
            100_000 + i,
            FIRST[i % FIRST.len()],
            i % 900,
            i % 10_000,
            TITLES[i % TITLES.len()],
            1 + i % 28,
            i % 60,
            INDUSTRIES[i % INDUSTRIES.len()],
            SIZES[i % SIZES.len()],
            1 + i % 90,
            SOURCES[i % SOURCES.len()],
            i % 900,
            9000 + i % 900,
        ));
    }
    out
}

/// The same leads as the API's JSON records (read through the same mapping).
fn json_leads(csv: &str) -> Vec<Value> {
    let preset = leadrank_mapping::presets::find("hubspot-contacts").unwrap().parse().unwrap();
    let model = leadrank_core::model::builtin::default_model();
    let (records, report) = read_csv(csv.as_bytes(), "export.csv", Delimiter::Auto, Kind::Leads, preset.get(Kind::Leads), &model).unwrap();
    assert!(report.rejected.is_empty(), "{:?}", report.rejected.first());
    let Records::Leads(leads) = records else { unreachable!() };
    leads
        .into_iter()
        .map(|l| {
            let Value::Object(fields) = serde_json::to_value(&l.record).unwrap() else { unreachable!() };
            let mut out: Map<String, Value> =
                fields.into_iter().filter(|(k, v)| !v.is_null() && k != "custom" && k != "tech_stack").collect();
            let custom: Map<String, Value> = l.record.custom.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
            out.insert("custom".into(), Value::Object(custom));
            Value::Object(out)
        })
        .collect()
}

async fn post(srv: &Server, path: &str, key: &str, content_type: &str, body: Vec<u8>) -> Value {
    let r = srv
        .client
        .post(format!("{}{path}", srv.base))
        .header("authorization", format!("Bearer {key}"))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let v: Value = serde_json::from_slice(&r.bytes().await.unwrap()).unwrap_or(Value::Null);
    assert_eq!(status, 200, "{path}: {v:.400}");
    v
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

async fn server() -> Server {
    let limits = leadrank_server::Limits { timeout: Duration::from_secs(600), ..Default::default() };
    Server::start_limited(true, limits).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run explicitly"]
async fn csv_import_vs_json_batches() {
    let csv = export();
    let leads = json_leads(&csv);
    assert_eq!(leads.len(), ROWS);
    let (mut import, mut again, mut native) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let srv = server().await;
        let key = srv.key(&["ingest"]).await;
        let started = Instant::now();
        let v = post(&srv, "/v1/imports/leads?mapping=hubspot-contacts", &key, "text/csv", csv.clone().into_bytes()).await;
        import.push(ROWS as f64 / started.elapsed().as_secs_f64());
        assert_eq!(v["created"].as_u64(), Some(ROWS as u64), "{v:.400}");
        let started = Instant::now();
        let v = post(&srv, "/v1/imports/leads?mapping=hubspot-contacts", &key, "text/csv", csv.clone().into_bytes()).await;
        again.push(ROWS as f64 / started.elapsed().as_secs_f64());
        assert_eq!(v["unchanged"].as_u64(), Some(ROWS as u64), "{v:.400}");
        srv.stop.cancel();

        let srv = server().await;
        let key = srv.key(&["ingest"]).await;
        let started = Instant::now();
        for chunk in leads.chunks(BATCH) {
            let v = post(&srv, "/v1/leads", &key, "application/json", serde_json::to_vec(&json!({ "leads": chunk })).unwrap()).await;
            assert!(!v.to_string().contains("\"rejected\""), "{v:.400}");
        }
        native.push(ROWS as f64 / started.elapsed().as_secs_f64());
        srv.stop.cancel();
    }
    println!("rows: {ROWS}, rounds: {ROUNDS}");
    println!("POST /v1/imports/leads (CSV, hubspot-contacts), new leads: {:.0} rows/s {import:.0?}", median(import.clone()));
    println!("POST /v1/imports/leads, the same file again (unchanged): {:.0} rows/s {again:.0?}", median(again.clone()));
    println!("POST /v1/leads (JSON, {BATCH} per request), new leads: {:.0} rows/s {native:.0?}", median(native.clone()));
}
