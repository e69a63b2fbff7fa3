//! The PostgreSQL server test suites use: `LEADRANK_TEST_POSTGRES`, by default
//! `postgres://postgres@127.0.0.1:5432/test`.
//!
//! The suites run whenever a server answers at that address, with or without `CI`. When
//! nothing listens there they are skipped with a notice on stderr, except under `CI`, where
//! that is a failure. A server that answers but refuses the connection is a failure too (a
//! wrong URL must not pass as a skip).

use std::net::{TcpStream, ToSocketAddrs};
use std::str::FromStr;
use std::time::Duration;

use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};

/// The URL when `LEADRANK_TEST_POSTGRES` is not set.
pub const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// The test server's URL.
pub fn url() -> String {
    std::env::var("LEADRANK_TEST_POSTGRES").unwrap_or_else(|_| DEFAULT_URL.to_string())
}

/// Whether something accepts TCP connections at the URL's host and port.
fn answers(options: &PgConnectOptions) -> bool {
    let addr = format!("{}:{}", options.get_host(), options.get_port());
    let Ok(addrs) = addr.to_socket_addrs() else { return false };
    addrs.into_iter().any(|a| TcpStream::connect_timeout(&a, Duration::from_secs(2)).is_ok())
}

/// A connection to the test server, or `None` (after a notice naming `suite`) when no
/// server answers and `CI` is not set. Panics when one answers but cannot be used, or when
/// none answers under `CI`.
pub async fn connect(suite: &str) -> Option<PgConnection> {
    let url = url();
    let options =
        PgConnectOptions::from_str(&url).unwrap_or_else(|e| panic!("LEADRANK_TEST_POSTGRES {url:?} is not a PostgreSQL URL: {e}"));
    if options.get_socket().is_none() && !answers(&options) {
        if std::env::var_os("CI").is_some() {
            panic!("{suite}: no PostgreSQL server answers at {}:{} and CI is set", options.get_host(), options.get_port());
        }
        eprintln!("NOTICE: skipping {suite} on PostgreSQL: no server answers at {}:{}", options.get_host(), options.get_port());
        return None;
    }
    match PgConnection::connect(&url).await {
        Ok(conn) => Some(conn),
        Err(e) => panic!("{suite}: a PostgreSQL server answers for {url} but the connection failed: {e}"),
    }
}

/// A schema name no other test run uses: `leadrank_test_{tag}_{pid}_{nanos}`.
pub fn schema_name(tag: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() % 1_000_000_000_000);
    format!("leadrank_test_{tag}_{}_{nanos}", std::process::id())
}

/// Options for the test server with `search_path` set to `schema`.
pub fn options_in(schema: &str) -> PgConnectOptions {
    PgConnectOptions::from_str(&url()).expect("checked by connect").options([("search_path", schema)])
}
