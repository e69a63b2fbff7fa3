//! Ingest throughput: 40 batches of 500 events, one durable commit per batch; then 5,000
//! leads in 10 batches, and the start-up loads (`all_leads`, `all_events`).
//!
//! `cargo test -p leadrank-store-postgres --release --test throughput -- --ignored --nocapture`

use std::time::Instant;

use leadrank_core::records::Event;
use leadrank_store::Store;
use leadrank_store_postgres::PostgresStore;
use sqlx::Connection;

const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement; run by hand"]
async fn events_per_second() {
    let url = std::env::var("LEADRANK_TEST_POSTGRES").unwrap_or_else(|_| DEFAULT_URL.into());
    let schema = format!("leadrank_bench_{}", std::process::id());
    let mut admin = sqlx::PgConnection::connect(&url).await.expect("connect");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA \"{schema}\""))).execute(&mut admin).await.expect("create schema");
    let options: sqlx::postgres::PgConnectOptions = url.parse().expect("url");
    let vault = tempfile::tempdir().unwrap();
    let store = PostgresStore::connect_with(
        options.options([("search_path", schema.as_str())]),
        4,
        &vault.path().join("keys.vault"),
        leadrank_store_postgres::VaultMode::CreateIfMissing,
    )
    .await
    .expect("connect");
    store.migrate().await.expect("migrate");
    let base: jiff::Timestamp = "2025-03-01T00:00:00Z".parse().unwrap();
    let batches: Vec<Vec<Event>> = (0..40)
        .map(|b| {
            (0..500)
                .map(|i| {
                    let n = b * 500 + i;
                    let props = serde_json::json!({"path": format!("/docs/page/{}", n % 97), "duration_s": n % 300});
                    Event {
                        event_id: format!("evt-{n:08}-7c9e6679-7425-40de"),
                        lead_id: format!("lead-{:06}", n % 5000),
                        event_type: "page_view".into(),
                        occurred_at: base + jiff::SignedDuration::from_secs(n),
                        url: Some(format!("https://example.com/docs/page/{}", n % 97)),
                        properties: props.as_object().cloned(),
                    }
                })
                .collect()
        })
        .collect();
    let start = Instant::now();
    for batch in &batches {
        let flags = store.insert_events(batch).await.expect("insert");
        assert!(flags.iter().all(|f| *f));
    }
    let secs = start.elapsed().as_secs_f64();
    println!("postgres: 20000 events in 40 batches of 500: {:.3} s, {:.0} events/s", secs, 20000.0 / secs);
    let leads: Vec<leadrank_core::records::Lead> = (0..5000)
        .map(|i| leadrank_core::records::Lead {
            lead_id: format!("lead-{i:06}"),
            email: Some(format!("person{i}@example.com").into()),
            first_name: Some("Ada".into()),
            last_name: Some(format!("Lovelace{i}").into()),
            title: Some("VP Sales".into()),
            company: Some("Example Corp".into()),
            ..Default::default()
        })
        .collect();
    let start = Instant::now();
    for batch in leads.chunks(500) {
        store.upsert_leads(batch, base).await.expect("upsert");
    }
    let lead_secs = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let loaded_leads = store.all_leads().await.expect("all_leads").len();
    let load_leads = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let loaded_events = store.all_events().await.expect("all_events").len();
    let load_events = start.elapsed().as_secs_f64();
    assert_eq!((loaded_leads, loaded_events), (5000, 20000));
    println!(
        "postgres: 5000 leads in 10 batches: {lead_secs:.3} s; all_leads (5000): {load_leads:.3} s; all_events (20000): {load_events:.3} s"
    );
    store.close().await;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA \"{schema}\" CASCADE"))).execute(&mut admin).await.expect("drop schema");
}
