//! The shared scenario suite against SQLite: a temporary file (WAL, as in production) and
//! an in-memory database.

use leadrank_store_sqlite::SqliteStore;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conformance_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(&dir.path().join("leadrank.db")).await.expect("open");
    leadrank_store::conformance::run_all(&store).await;
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conformance_in_memory() {
    let store = SqliteStore::open_in_memory().await.expect("open");
    leadrank_store::conformance::run_all(&store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reopen_keeps_data() {
    use leadrank_store::Store;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("leadrank.db");
    {
        let store = SqliteStore::open(&path).await.expect("open");
        store.migrate().await.expect("migrate");
        store.setting_or_insert("k", "v1").await.expect("set");
        store.close().await;
    }
    let store = SqliteStore::open(&path).await.expect("reopen");
    store.migrate().await.expect("migrate again");
    assert_eq!(store.setting("k").await.expect("get").as_deref(), Some("v1"));
    let mode: String = sqlx_journal_mode(&store).await;
    assert_eq!(mode, "wal");
    store.close().await;
}

async fn sqlx_journal_mode(store: &SqliteStore) -> String {
    store.journal_mode().await.expect("journal mode")
}
