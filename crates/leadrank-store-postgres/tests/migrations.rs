//! Schema upgrades on PostgreSQL, each in a fresh schema: a database made before migrations
//! were recorded is adopted as version 1 and brought to the latest version with its rows intact and
//! sealed; an older one gets the pending migrations in one transaction (all or nothing); a
//! newer one is refused naming both versions; a score body that does not decode is an error
//! naming the table and the lead. Run whenever a server answers (see
//! `leadrank_store_postgres::test_server`).

use leadrank_store::migrations::{DatabaseVersion, MIGRATIONS_TABLE};
use leadrank_store::{Migration, Store, StoreError};
use leadrank_store_postgres::{MIGRATIONS, PostgresStore, VaultMode, test_server};
use sqlx::PgConnection;

const FORMAT_ONE_BODY: &str = r#"{"lead_id":"L1","total":72,"quality":true,"grade":"B","cell":"A2","dimensions":{"fit":40,"intent":32},"reasons":[{"rule":"title_vp","dimension":"fit","points":40,"detail":"title VP Sales"},{"rule":"demo_request","dimension":"intent","points":32,"detail":"demo_request on 2026-03-02"}]}"#;

/// This binary's schema version.
const LATEST: i64 = MIGRATIONS.len() as i64;

/// A migration of a later release (the one after this binary's last).
const THIRD: Migration = Migration {
    version: LATEST + 1,
    description: "lead notes",
    sql: "CREATE TABLE lead_notes (lead_id TEXT PRIMARY KEY, note TEXT NOT NULL);\nINSERT INTO lead_notes (lead_id, note) SELECT lead_id, 'migrated' FROM leads;",
};

const BROKEN_THIRD: Migration = Migration {
    version: LATEST + 1,
    description: "half broken",
    sql: "CREATE TABLE lead_notes (lead_id TEXT PRIMARY KEY);\nINSERT INTO no_such_table VALUES (1);",
};

/// Runs `f` with an admin connection whose `search_path` is a fresh schema, and a store in
/// that schema; drops the schema afterwards, even when `f` panics.
async fn in_schema<F, Fut>(tag: &str, f: F)
where
    F: FnOnce(PostgresStore, PgConnection) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(mut admin) = test_server::connect("the migration tests").await else { return };
    let schema = test_server::schema_name(tag);
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA \"{schema}\""))).execute(&mut admin).await.unwrap();
    let vault = tempfile::tempdir().unwrap();
    let store =
        PostgresStore::connect_with(test_server::options_in(&schema), 2, &vault.path().join("keys.vault"), VaultMode::CreateIfMissing)
            .await
            .unwrap();
    let raw = <PgConnection as sqlx::Connection>::connect_with(&test_server::options_in(&schema)).await.unwrap();
    let result = tokio::spawn({
        let store = store.clone();
        async move { f(store, raw).await }
    })
    .await;
    store.close().await;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA \"{schema}\" CASCADE"))).execute(&mut admin).await.unwrap();
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
}

async fn tables(raw: &mut PgConnection) -> Vec<String> {
    sqlx::query_scalar("SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1")
        .fetch_all(raw)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unrecorded_database_is_adopted_as_version_one() {
    in_schema("mig_adopt", |store, mut raw| async move {
        sqlx::raw_sql(MIGRATIONS[0].sql).execute(&mut raw).await.unwrap();
        sqlx::query("INSERT INTO settings (key, value) VALUES ('schema_version', '2'), ('marker_key', 'abc')")
            .execute(&mut raw)
            .await
            .unwrap();
        let lead = leadrank_core::records::Lead { lead_id: "L1".into(), email: Some("ada@example.com".into()), ..Default::default() };
        sqlx::query("INSERT INTO leads (lead_id, data, updated_at) VALUES ('L1', $1, 1)")
            .bind(serde_json::to_string(&lead).unwrap())
            .execute(&mut raw)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO scores (lead_id, as_of, model_id, total, quality, grade, cell, body, cause) \
             VALUES ('L1', 1700000000000000, 1, 72, TRUE, 'B', 'A2', $1, 'event e1')",
        )
        .bind(FORMAT_ONE_BODY)
        .execute(&mut raw)
        .await
        .unwrap();
        let before = store.schema_status().await.unwrap();
        assert_eq!(before.database, DatabaseVersion::Unrecorded { stamp: Some("2".into()) });
        // Read as it is before the upgrade.
        assert_eq!(store.lead("L1").await.unwrap().unwrap().email.as_deref(), Some("ada@example.com"));
        let report = store.migrate_and_report().await.unwrap();
        let up = &report.upgrade;
        assert!(up.adopted && up.from == 1 && up.to == LATEST, "{up:?}");
        assert_eq!(report.sealed_legacy_rows, vec![("leads", 1), ("scores", 1)]);
        let after = store.schema_status().await.unwrap();
        assert!(after.up_to_date() && after.database == DatabaseVersion::Recorded(LATEST), "{after:?}");
        let raw_rows: Vec<String> =
            sqlx::query_scalar("SELECT data FROM leads UNION ALL SELECT body FROM scores").fetch_all(&mut raw).await.unwrap();
        assert!(raw_rows.iter().all(|v| v.starts_with("enc1:") && !v.contains("ada@")), "{raw_rows:?}");
        assert_eq!(store.lead("L1").await.unwrap().unwrap().email.as_deref(), Some("ada@example.com"));
        let scores = store.current_scores().await.unwrap();
        assert_eq!((scores[0].body.total, scores[0].body.reasons.len()), (72, 2));
        assert_eq!(store.setting("schema_version").await.unwrap(), None);
        assert_eq!(store.setting("marker_key").await.unwrap().as_deref(), Some("abc"));
        assert!(tables(&mut raw).await.contains(&MIGRATIONS_TABLE.to_string()));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn older_database_gets_the_pending_migrations_and_newer_is_refused() {
    in_schema("mig_up", |store, mut raw| async move {
        let first = store.migrate().await.unwrap();
        assert_eq!((first.from, first.to, first.applied.len()), (0, LATEST, MIGRATIONS.len()));
        let with = |m: Migration| MIGRATIONS.iter().copied().chain([m]).collect::<Vec<_>>();
        store
            .upsert_leads(&[leadrank_core::records::Lead { lead_id: "L9".into(), ..Default::default() }], jiff::Timestamp::UNIX_EPOCH)
            .await
            .unwrap();

        let err = store.upgrade_with(&with(BROKEN_THIRD)).await.unwrap_err().to_string();
        assert!(err.contains(&format!("migration {} (half broken)", LATEST + 1)), "{err}");
        assert_eq!(store.schema_status().await.unwrap().database, DatabaseVersion::Recorded(LATEST));
        assert!(!tables(&mut raw).await.contains(&"lead_notes".to_string()), "the failed upgrade left nothing behind");

        let up = store.upgrade_with(&with(THIRD)).await.unwrap();
        assert_eq!((up.from, up.to, up.applied.clone()), (LATEST, LATEST + 1, vec![THIRD]));
        let note: String = sqlx::query_scalar("SELECT note FROM lead_notes WHERE lead_id = 'L9'").fetch_one(&mut raw).await.unwrap();
        assert_eq!(note, "migrated");

        let err = store.migrate().await.unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, StoreError::Schema { .. }), "{text}");
        assert!(
            text.contains(&format!("database schema version {}", LATEST + 1)) && text.contains(&format!("(schema version {LATEST})")),
            "{text}"
        );
        let status = store.schema_status().await.unwrap();
        assert_eq!((status.database.number(), status.binary), (LATEST + 1, LATEST));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undecodable_score_body_is_corrupt_naming_table_and_lead() {
    in_schema("mig_corrupt", |store, mut raw| async move {
        store.migrate().await.unwrap();
        sqlx::query(
            "INSERT INTO scores (lead_id, as_of, model_id, total, quality, grade, cell, body, cause) \
             VALUES ('L7', 1, 1, 5, FALSE, 'D', '', '{\"format\":3,\"lead_id\":\"L7\"}', 'event e1')",
        )
        .execute(&mut raw)
        .await
        .unwrap();
        let err = store.current_scores().await.unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { table: "scores", .. }), "{err}");
        assert!(err.to_string().contains("lead \"L7\"") && err.to_string().contains("unknown format 3"), "{err}");
    })
    .await;
}

#[test]
fn embedded_migrations_are_numbered_from_one() {
    leadrank_store::migrations::check_numbering(MIGRATIONS).unwrap();
}
