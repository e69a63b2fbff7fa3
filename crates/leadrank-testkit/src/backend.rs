//! Test databases: SQLite in a temporary directory, and the PostgreSQL of
//! `LEADRANK_TEST_POSTGRES` (default `postgres://postgres@127.0.0.1:5432/test`) in a fresh
//! schema (with a key vault in a temporary directory) whenever a server answers there; when
//! none does, PostgreSQL fails under `CI` and is skipped with a notice otherwise
//! (`leadrank_store_postgres::test_server`).

use std::sync::Arc;

use jiff::Timestamp;
use leadrank_store::Store;
use leadrank_store_sqlite::SqliteStore;

/// A database for one test that can be opened again (a restart).
pub enum Backend {
    Sqlite(tempfile::TempDir),
    /// A schema of the test server, and the directory of its key vault.
    Postgres {
        schema: String,
        vault: tempfile::TempDir,
    },
}

const PG_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

fn pg_url() -> String {
    std::env::var("LEADRANK_TEST_POSTGRES").unwrap_or_else(|_| PG_URL.to_string())
}

impl Backend {
    /// SQLite always; PostgreSQL in a fresh schema when the server is reachable.
    pub async fn all(tag: &str) -> Vec<Backend> {
        let mut out = vec![Backend::Sqlite(tempfile::tempdir().unwrap())];
        match leadrank_store_postgres::test_server::connect("the service tests").await {
            Some(mut conn) => {
                let schema = format!(
                    "leadrank_test_svc_{tag}_{}_{}",
                    std::process::id(),
                    Timestamp::now().as_nanosecond().rem_euclid(1_000_000_000)
                );
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA \"{schema}\""))).execute(&mut conn).await.unwrap();
                out.push(Backend::Postgres { schema, vault: tempfile::tempdir().unwrap() });
            }
            None => eprintln!("NOTICE: testing SQLite only"),
        }
        out
    }

    pub async fn open(&self) -> Arc<dyn Store> {
        match self {
            Backend::Sqlite(dir) => Arc::new(SqliteStore::open(&dir.path().join("t.db")).await.unwrap()),
            Backend::Postgres { schema, vault } => {
                let options: sqlx::postgres::PgConnectOptions = pg_url().parse().unwrap();
                let options = options.options([("search_path", schema.as_str())]);
                let vault = vault.path().join("keys.vault");
                let store = leadrank_store_postgres::PostgresStore::connect_with(
                    options,
                    4,
                    &vault,
                    leadrank_store_postgres::VaultMode::CreateIfMissing,
                )
                .await
                .unwrap();
                Arc::new(store)
            }
        }
    }

    pub async fn drop_schema(&self) {
        use sqlx::Connection;
        if let Backend::Postgres { schema, .. } = self {
            let mut conn = sqlx::PgConnection::connect(&pg_url()).await.unwrap();
            sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA \"{schema}\" CASCADE"))).execute(&mut conn).await.unwrap();
        }
    }
}
