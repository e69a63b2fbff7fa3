//! Ingest throughput: 40 batches of 500 events, one durable commit per batch.
//!
//! `cargo test -p leadrank-store-sqlite --release --test throughput -- --ignored --nocapture`

use std::time::Instant;

use leadrank_core::records::Event;
use leadrank_store::Store;
use leadrank_store_sqlite::SqliteStore;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement; run by hand"]
async fn events_per_second() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(&dir.path().join("leadrank.db")).await.expect("open");
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
    println!("sqlite: 20000 events in 40 batches of 500: {:.3} s, {:.0} events/s", secs, 20000.0 / secs);
    store.close().await;
}
