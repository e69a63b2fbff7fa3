//! Schema upgrades on SQLite: a database made before migrations were recorded is adopted as
//! version 1 with its rows intact; an older database gets the pending migrations in one
//! transaction (all or nothing); a newer one is refused, naming both versions, and left
//! unchanged; a score body that does not decode is an error naming the table and the lead.

use std::path::Path;

use leadrank_store::migrations::{DatabaseVersion, MIGRATIONS_TABLE};
use leadrank_store::{Migration, Store, StoreError};
use leadrank_store_sqlite::{MIGRATIONS, SqliteStore};
use sqlx::{Connection, SqliteConnection};

/// A score body as the service wrote it before the format was recorded.
const FORMAT_ONE_BODY: &str = r#"{"lead_id":"L1","total":72,"quality":true,"grade":"B","cell":"A2","dimensions":{"fit":40,"intent":32},"reasons":[{"rule":"title_vp","dimension":"fit","points":40,"detail":"title VP Sales"},{"rule":"demo_request","dimension":"intent","points":32,"detail":"demo_request on 2026-03-02"}]}"#;

/// This binary's schema version.
const LATEST: i64 = MIGRATIONS.len() as i64;

/// A migration of a later release (the one after this binary's last).
const SECOND: Migration = Migration {
    version: LATEST + 1,
    description: "lead notes",
    sql: "CREATE TABLE lead_notes (lead_id TEXT PRIMARY KEY, note TEXT NOT NULL);\nINSERT INTO lead_notes (lead_id, note) SELECT lead_id, 'migrated' FROM leads;",
};

const BROKEN_SECOND: Migration = Migration {
    version: LATEST + 1,
    description: "half broken",
    sql: "CREATE TABLE lead_notes (lead_id TEXT PRIMARY KEY);\nINSERT INTO no_such_table VALUES (1);",
};

async fn raw(path: &Path) -> SqliteConnection {
    SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.expect("raw connection")
}

async fn tables(path: &Path) -> Vec<String> {
    let mut c = raw(path).await;
    sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .fetch_all(&mut c)
        .await
        .unwrap()
}

/// A database as the code before recorded migrations left it: the tables of migration 1
/// (minus the operating tables for stamp "1"), the `schema_version` setting, and rows.
async fn unrecorded_database(path: &Path, stamp: &str) {
    let mut c = SqliteConnection::connect(&format!("sqlite://{}?mode=rwc", path.display())).await.unwrap();
    let mut sql = MIGRATIONS[0].sql.to_string();
    if stamp == "1" {
        sql = sql
            .lines()
            .filter(|l| !l.contains("lead_ops") && !l.contains("ops_log") && !l.contains("directory"))
            .collect::<Vec<_>>()
            .join("\n");
    }
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut c).await.unwrap();
    sqlx::query("INSERT INTO settings (key, value) VALUES ('schema_version', ?1), ('marker_key', 'abc')")
        .bind(stamp)
        .execute(&mut c)
        .await
        .unwrap();
    let lead = leadrank_core::records::Lead { lead_id: "L1".into(), email: Some("ada@example.com".into()), ..Default::default() };
    sqlx::query("INSERT INTO leads (lead_id, data, updated_at) VALUES ('L1', ?1, 1)")
        .bind(serde_json::to_string(&lead).unwrap())
        .execute(&mut c)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO scores (lead_id, as_of, model_id, total, quality, grade, cell, body, cause) \
         VALUES ('L1', 1700000000000000, 1, 72, 1, 'B', 'A2', ?1, 'event e1')",
    )
    .bind(FORMAT_ONE_BODY)
    .execute(&mut c)
    .await
    .unwrap();
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unrecorded_database_is_adopted_as_version_one() {
    for stamp in ["2", "1"] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        unrecorded_database(&path, stamp).await;
        let store = SqliteStore::open_existing(&path).await.unwrap();
        let before = store.schema_status().await.unwrap();
        assert_eq!(before.database, DatabaseVersion::Unrecorded { stamp: Some(stamp.into()) });
        assert_eq!((before.database.number(), before.binary), (1, LATEST));
        assert_eq!(before.pending.iter().map(|m| m.version).collect::<Vec<_>>(), (1..=LATEST).collect::<Vec<_>>());

        let up = store.migrate().await.unwrap();
        assert!(up.adopted && up.from == 1 && up.to == LATEST, "{up:?}");
        let after = store.schema_status().await.unwrap();
        assert!(after.up_to_date(), "{after:?}");
        assert_eq!(after.database, DatabaseVersion::Recorded(LATEST));
        assert_eq!(after.applied[0].checksum, MIGRATIONS[0].checksum());
        // Rows intact, the old score body decodes, the superseded setting is gone.
        assert_eq!(store.lead("L1").await.unwrap().unwrap().email.as_deref(), Some("ada@example.com"));
        let scores = store.current_scores().await.unwrap();
        assert_eq!(scores.len(), 1);
        assert_eq!((scores[0].body.total, scores[0].body.dimensions.len(), scores[0].body.reasons.len()), (72, 2, 2));
        assert_eq!(store.setting("marker_key").await.unwrap().as_deref(), Some("abc"));
        assert_eq!(store.setting("schema_version").await.unwrap(), None);
        store.close().await;
        let t = tables(&path).await;
        for table in ["lead_ops", "ops_log", "directory", "deals", MIGRATIONS_TABLE] {
            assert!(t.iter().any(|n| n == table), "stamp {stamp}: {table} missing from {t:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_stamp_and_foreign_tables_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("odd.db");
    unrecorded_database(&path, "7").await;
    let store = SqliteStore::open_existing(&path).await.unwrap();
    let err = store.migrate().await.unwrap_err().to_string();
    assert!(err.contains("\"7\"") && err.contains(&format!("(schema version {LATEST})")), "{err}");
    store.close().await;

    let path = dir.path().join("foreign.db");
    let mut c = SqliteConnection::connect(&format!("sqlite://{}?mode=rwc", path.display())).await.unwrap();
    sqlx::query("CREATE TABLE invoices (id INTEGER)").execute(&mut c).await.unwrap();
    c.close().await.unwrap();
    let store = SqliteStore::open_existing(&path).await.unwrap();
    let err = store.migrate().await.unwrap_err();
    assert!(matches!(err, StoreError::Schema { .. }), "{err}");
    store.close().await;
    assert_eq!(tables(&path).await, vec!["invoices".to_string()], "a refused database is left unchanged");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn older_database_gets_the_pending_migrations_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let store = SqliteStore::open(&path).await.unwrap();
    let first = store.migrate().await.unwrap();
    assert_eq!((first.from, first.to, first.applied.len(), first.adopted), (0, LATEST, MIGRATIONS.len(), false));
    store
        .upsert_leads(&[leadrank_core::records::Lead { lead_id: "L9".into(), ..Default::default() }], jiff::Timestamp::UNIX_EPOCH)
        .await
        .unwrap();

    // A failing statement in the next migration leaves the database at this version, without
    // the table its first statement created.
    let with = |m: Migration| MIGRATIONS.iter().copied().chain([m]).collect::<Vec<_>>();
    let two_broken = with(BROKEN_SECOND);
    let err = store.upgrade_with(&two_broken).await.unwrap_err().to_string();
    assert!(err.contains(&format!("migration {} (half broken)", LATEST + 1)), "{err}");
    assert_eq!(store.schema_status().await.unwrap().database, DatabaseVersion::Recorded(LATEST));
    assert!(!tables(&path).await.contains(&"lead_notes".to_string()));

    let two = with(SECOND);
    let status = store.status_with(&two).await.unwrap();
    assert_eq!((status.database.number(), status.binary, status.pending.len()), (LATEST, LATEST + 1, 1));
    let up = store.upgrade_with(&two).await.unwrap();
    assert_eq!((up.from, up.to), (LATEST, LATEST + 1));
    assert_eq!(up.applied, vec![SECOND]);
    assert!(store.status_with(&two).await.unwrap().up_to_date());
    let mut c = raw(&path).await;
    let note: String = sqlx::query_scalar("SELECT note FROM lead_notes WHERE lead_id = 'L9'").fetch_one(&mut c).await.unwrap();
    assert_eq!(note, "migrated");

    // This binary refuses the newer database and changes nothing.
    let err = store.migrate().await.unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, StoreError::Schema { .. }), "{text}");
    assert!(
        text.contains(&format!("database schema version {}", LATEST + 1))
            && text.contains(&format!("(schema version {LATEST})"))
            && text.contains("newer"),
        "{text}"
    );
    let status = store.schema_status().await.unwrap();
    assert_eq!((status.database.number(), status.binary), (LATEST + 1, LATEST));
    assert!(status.refusal.is_some() && status.pending.is_empty());
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undecodable_score_body_is_corrupt_naming_table_and_lead() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let store = SqliteStore::open(&path).await.unwrap();
    store.migrate().await.unwrap();
    let mut c = raw(&path).await;
    sqlx::query(
        "INSERT INTO score_history (lead_id, as_of, model_id, total, quality, grade, cell, body, cause) \
         VALUES ('L7', 1, 1, 5, 0, 'D', '', '{\"lead_id\":\"L7\",\"total\":5,\"score_v9\":true}', 'event e1')",
    )
    .execute(&mut c)
    .await
    .unwrap();
    let err = store.score_history("L7").await.unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { table: "score_history", .. }), "{err}");
    assert!(err.to_string().contains("lead \"L7\""), "{err}");
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_of_a_missing_file_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("absent.db");
    let err = SqliteStore::open_existing(&path).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound(_)), "{err}");
    assert!(!path.exists());
}

#[test]
fn embedded_migrations_are_numbered_from_one() {
    leadrank_store::migrations::check_numbering(MIGRATIONS).unwrap();
}
