//! The shared scenario suite against PostgreSQL, in a fresh schema dropped at the end, with
//! every personal payload sealed with keys of a fresh key vault.
//!
//! The server is `LEADRANK_TEST_POSTGRES` (default `postgres://postgres@127.0.0.1:5432/test`);
//! the tests run whenever it answers and are skipped with a notice when nothing listens
//! there (a failure under `CI`), see [`leadrank_store_postgres::test_server`].

use leadrank_store_postgres::{PostgresStore, VaultMode, test_server};

async fn in_fresh_schema<F, Fut>(tag: &str, f: F)
where
    F: FnOnce(PostgresStore) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(mut admin) = test_server::connect("the conformance suite").await else {
        return;
    };
    let schema = test_server::schema_name(tag);
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA \"{schema}\""))).execute(&mut admin).await.expect("create schema");
    let vault = tempfile::tempdir().unwrap();
    let store =
        PostgresStore::connect_with(test_server::options_in(&schema), 4, &vault.path().join("keys.vault"), VaultMode::CreateIfMissing)
            .await
            .expect("connect");
    // Drop the schema even when the suite panics.
    let outcome = tokio::spawn({
        let store = store.clone();
        async move { f(store).await }
    });
    let result = outcome.await;
    store.close().await;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA \"{schema}\" CASCADE"))).execute(&mut admin).await.expect("drop schema");
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conformance() {
    in_fresh_schema("conf", |store| async move {
        leadrank_store::conformance::run_all(&store).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_by_url() {
    let Some(_admin) = test_server::connect("connect_by_url").await else { return };
    let vault = tempfile::tempdir().unwrap();
    let store = PostgresStore::connect(&test_server::url(), &vault.path().join("keys.vault")).await.expect("connect");
    use leadrank_store::Store;
    store.ping().await.expect("ping");
    store.close().await;
}
