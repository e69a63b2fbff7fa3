//! The shared scenario suite against PostgreSQL, in a fresh schema dropped at the end.
//!
//! The server is `LEADRANK_TEST_POSTGRES` (default `postgres://postgres@127.0.0.1:5432/test`).
//! When it cannot be reached the test fails if `CI` is set and is skipped (with a notice)
//! otherwise.

use std::str::FromStr;

use leadrank_store_postgres::PostgresStore;
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};

const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

fn url() -> String {
    std::env::var("LEADRANK_TEST_POSTGRES").unwrap_or_else(|_| DEFAULT_URL.to_string())
}

/// An admin connection, or `None` (skip) when the server is unreachable outside CI.
async fn admin() -> Option<PgConnection> {
    let url = url();
    match PgConnection::connect(&url).await {
        Ok(conn) => Some(conn),
        Err(e) if std::env::var_os("CI").is_some() => {
            panic!("PostgreSQL at {url} is unreachable and CI is set: {e}")
        }
        Err(e) => {
            eprintln!("NOTICE: skipping PostgreSQL conformance; {url} is unreachable: {e}");
            None
        }
    }
}

fn schema_name(tag: &str) -> String {
    let nanos = jiff::Timestamp::now().as_nanosecond();
    format!("leadrank_test_{tag}_{}_{}", std::process::id(), nanos.rem_euclid(1_000_000_000_000))
}

async fn in_fresh_schema<F, Fut>(tag: &str, f: F)
where
    F: FnOnce(PostgresStore) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(mut admin) = admin().await else {
        return;
    };
    let schema = schema_name(tag);
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA \"{schema}\""))).execute(&mut admin).await.expect("create schema");
    let options = PgConnectOptions::from_str(&url()).expect("url").options([("search_path", schema.as_str())]);
    let store = PostgresStore::connect_with(options, 4).await.expect("connect");
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
    let Some(_admin) = admin().await else { return };
    let store = PostgresStore::connect(&url()).await.expect("connect");
    use leadrank_store::Store;
    store.ping().await.expect("ping");
    store.close().await;
}
