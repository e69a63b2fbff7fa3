//! The SQLite back end of the leadrank [`Store`].
//!
//! One file, WAL journal, `synchronous = FULL` (every commit is durable when it returns),
//! foreign keys on and a busy timeout. Writes go through a pool of exactly one connection,
//! so they are serialised in the process and never fail with `SQLITE_BUSY` (writes of a few
//! rows queue in an express lane ahead of bulk writes: [`lane`]); reads use a
//! separate pool of a few connections (WAL lets them run beside the writer). Queries are
//! built at run time; prepared statements are cached per connection by sqlx.
//!
//! Timestamps are stored as microseconds since the Unix epoch (`INTEGER`); leads, accounts,
//! events and consent records are stored as the JSON of the record (full precision).
//!
//! The schema is upgraded by the numbered migrations of `migrations/` ([`MIGRATIONS`]), all
//! pending ones in one `BEGIN IMMEDIATE` transaction.
//!
//! Erasure leaves nothing on disk: every connection runs with `secure_delete` (deleted
//! content is overwritten with zeros in the database pages), and after an erasure commits
//! the write-ahead log is checkpointed into the database and truncated to zero bytes, so the
//! older page images that held the person are gone from the `-wal` file too.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use jiff::Timestamp;
use leadrank_core::records::{Account, ConsentRecord, Event, Lead};
use leadrank_store::migrations::{self, Found};
use leadrank_store::rows::{
    self, DEAL_COLS, DELIVERY_COLS, MIGRATION_COLS, OPS_LOG_COLS, SCORE_COLS, audit_row, deal_row, delivery_row, directory_row, from_json,
    json_rows, key_row, micros, migration_row, model_row, ops_log_row, ops_row, scopes_text, score_row, subscription_row, to_json,
};
use leadrank_store::{
    ApiKey, Attempt, AuditEntry, DealRow, Delivery, DirectoryEntry, Erased, LeadOps, Migration, OpsLogEntry, SchemaStatus, Store,
    StoreError, StoreResult, StoredModel, StoredScore, Subscription, Upgrade,
};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{QueryBuilder, Row, Sqlite};

mod lane;
use lane::{Lane, WriteLanes};

/// Rows per multi-row `INSERT` (4-14 parameters a row stays far below SQLite's limit).
const CHUNK: usize = 250;

/// This back end's migrations, embedded from `migrations/` (see
/// [`leadrank_store::migrations`]).
pub const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, description: "initial schema", sql: include_str!("../migrations/0001_initial_schema.sql") },
    Migration { version: 2, description: "deals", sql: include_str!("../migrations/0002_deals.sql") },
];

/// The leadrank store in one SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    /// Exactly one connection: every write goes through it.
    writer: SqlitePool,
    /// Reads; the same pool as `writer` for an in-memory database.
    reader: SqlitePool,
    /// Who takes `writer` next: small writes before bulk ones (see [`lane`]).
    lanes: Arc<WriteLanes>,
}

fn db(e: sqlx::Error) -> StoreError {
    // sqlx messages name the failing statement or constraint, never the bound values.
    StoreError::Database(e.to_string())
}

fn options() -> SqliteConnectOptions {
    SqliteConnectOptions::new()
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(30))
        .synchronous(SqliteSynchronous::Full)
        .statement_cache_capacity(200)
        .pragma("secure_delete", "ON")
}

impl SqliteStore {
    /// Opens (creating it if missing) the database file at `path`. Call [`Store::migrate`]
    /// before use.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        Self::open_file(path, true).await
    }

    /// Opens the database file at `path`; an error if there is none (nothing is created).
    pub async fn open_existing(path: &Path) -> Result<Self, StoreError> {
        if !path.is_file() {
            return Err(StoreError::NotFound(format!("SQLite database {}", path.display())));
        }
        Self::open_file(path, false).await
    }

    async fn open_file(path: &Path, create: bool) -> Result<Self, StoreError> {
        let opts = options().filename(path).create_if_missing(create).journal_mode(SqliteJournalMode::Wal);
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .acquire_timeout(Duration::from_secs(60))
            .connect_with(opts.clone())
            .await
            .map_err(db)?;
        let readers = std::thread::available_parallelism().map(|n| n.get() as u32).unwrap_or(2).clamp(2, 8);
        let reader = SqlitePoolOptions::new()
            .max_connections(readers)
            .acquire_timeout(Duration::from_secs(60))
            .connect_with(opts.create_if_missing(false))
            .await
            .map_err(db)?;
        Ok(SqliteStore { writer, reader, lanes: Arc::default() })
    }

    /// A private in-memory database (one connection, gone when the store is dropped).
    pub async fn open_in_memory() -> Result<Self, StoreError> {
        let opts = options().in_memory(true);
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(opts)
            .await
            .map_err(db)?;
        Ok(SqliteStore { reader: writer.clone(), writer, lanes: Arc::default() })
    }

    /// The journal mode in effect ("wal" for a file, "memory" in memory).
    pub async fn journal_mode(&self) -> Result<String, StoreError> {
        sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&self.writer).await.map_err(db)
    }

    /// Closes both pools, waiting for connections to be returned.
    pub async fn close(&self) {
        self.reader.close().await;
        self.writer.close().await;
    }

    /// Where the database stands against `migrations` ([`Store::schema_status`] uses
    /// [`MIGRATIONS`]; other lists test upgrade paths).
    pub async fn status_with(&self, migrations: &[Migration]) -> StoreResult<SchemaStatus> {
        let mut tx = self.reader.begin().await.map_err(db)?;
        let found = found(&mut tx).await?;
        tx.commit().await.map_err(db)?;
        Ok(migrations::status(found, migrations))
    }

    /// Upgrades to the last of `migrations` in one transaction ([`Store::migrate`] uses
    /// [`MIGRATIONS`]; other lists test upgrade paths).
    pub async fn upgrade_with(&self, migrations: &[Migration]) -> StoreResult<Upgrade> {
        let _turn = self.lanes.enter(Lane::Bulk).await;
        // IMMEDIATE: take the write lock before reading the version, so that two processes
        // upgrading at once run one after the other.
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await.map_err(db)?;
        let status = migrations::status(found(&mut tx).await?, migrations);
        status.check()?;
        let from = status.database.number();
        let adopted = status.unrecorded();
        if status.pending.is_empty() {
            return Ok(Upgrade { from, to: from, applied: Vec::new(), adopted });
        }
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, \
             checksum TEXT NOT NULL, applied_at INTEGER NOT NULL)",
        )
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        let now = micros(Timestamp::now());
        for m in &status.pending {
            sqlx::raw_sql(m.sql)
                .execute(&mut *tx)
                .await
                .map_err(|e| StoreError::Database(format!("migration {} ({}): {e}", m.version, m.description)))?;
            sqlx::query("INSERT INTO schema_migrations (version, description, checksum, applied_at) VALUES (?1, ?2, ?3, ?4)")
                .bind(m.version)
                .bind(m.description)
                .bind(m.checksum())
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        if adopted {
            // The setting is replaced by the recorded migrations.
            sqlx::query("DELETE FROM settings WHERE key = ?1")
                .bind(migrations::LEGACY_VERSION_SETTING)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
        Ok(Upgrade { from, to: status.binary, applied: status.pending, adopted })
    }
}

/// What the database holds, read inside `conn`'s transaction.
async fn found(conn: &mut SqliteConnection) -> StoreResult<Found> {
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'").fetch_all(&mut *conn).await.map_err(db)?;
    let has = |t: &str| tables.iter().any(|n| n == t);
    if has(migrations::MIGRATIONS_TABLE) {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {MIGRATION_COLS} FROM schema_migrations ORDER BY version")))
            .fetch_all(&mut *conn)
            .await
            .map_err(db)?;
        return Ok(Found::Recorded(rows.iter().map(Cols).map(migration_row).collect::<StoreResult<_>>()?));
    }
    if !has("settings") {
        return Ok(if tables.iter().any(|t| !t.starts_with("sqlite_")) { Found::Unrecorded { stamp: None } } else { Found::Empty });
    }
    let stamp = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?1")
        .bind(migrations::LEGACY_VERSION_SETTING)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?;
    Ok(Found::Unrecorded { stamp })
}

impl SqliteStore {
    /// Copies the write-ahead log into the database and truncates it to zero bytes, so that
    /// page images written before an erasure (which still hold the erased person) leave the
    /// disk. Waits for readers through the busy timeout; an error if they held on past it.
    async fn clear_wal(&self) -> StoreResult<()> {
        let (busy, _log, _done): (i64, i64, i64) =
            sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(&self.writer).await.map_err(db)?;
        if busy != 0 {
            return Err(StoreError::Database(
                "the erasure is committed, but readers held the write-ahead log past the busy timeout, so it still holds \
                 older page images; it is cleared at the next erasure or when the service stops"
                    .into(),
            ));
        }
        Ok(())
    }
}

// ---- conversions -------------------------------------------------------------------------

/// A SQLite result row, read by the shared mappers of [`leadrank_store::rows`].
///
/// Columns are decoded exactly as this back end stores them: timestamps, ids and counters
/// as `INTEGER` (`i64`), a score's total as `i32`, booleans as `INTEGER` 0/1.
#[derive(Clone, Copy)]
struct Cols<'r>(&'r SqliteRow);

fn get<'r, T>(row: &'r SqliteRow, table: &'static str, col: &str) -> StoreResult<T>
where
    T: sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite>,
{
    row.try_get(col).map_err(|e| StoreError::Corrupt { table, detail: format!("column {col}: {e}") })
}

impl rows::Row for Cols<'_> {
    fn text(&self, table: &'static str, col: &str) -> StoreResult<String> {
        get(self.0, table, col)
    }
    fn opt_text(&self, table: &'static str, col: &str) -> StoreResult<Option<String>> {
        get(self.0, table, col)
    }
    fn int(&self, table: &'static str, col: &str) -> StoreResult<i64> {
        get(self.0, table, col)
    }
    fn opt_int(&self, table: &'static str, col: &str) -> StoreResult<Option<i64>> {
        get(self.0, table, col)
    }
    fn int32(&self, table: &'static str, col: &str) -> StoreResult<i32> {
        get(self.0, table, col)
    }
    fn boolean(&self, table: &'static str, col: &str) -> StoreResult<bool> {
        get(self.0, table, col)
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn migrate(&self) -> StoreResult<Upgrade> {
        self.upgrade_with(MIGRATIONS).await
    }

    async fn schema_status(&self) -> StoreResult<SchemaStatus> {
        self.status_with(MIGRATIONS).await
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.reader).await.map_err(db)?;
        Ok(())
    }

    async fn setting(&self, key: &str) -> StoreResult<Option<String>> {
        sqlx::query_scalar("SELECT value FROM settings WHERE key = ?1").bind(key).fetch_optional(&self.reader).await.map_err(db)
    }

    async fn setting_or_insert(&self, key: &str, value: &str) -> StoreResult<String> {
        let _turn = self.lanes.enter(Lane::Express).await;
        let mut tx = self.writer.begin().await.map_err(db)?;
        sqlx::query("INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO NOTHING")
            .bind(key)
            .bind(value)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        let v: String = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?1").bind(key).fetch_one(&mut *tx).await.map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(v)
    }

    async fn upsert_leads(&self, leads: &[Lead], at: Timestamp) -> StoreResult<()> {
        let _turn = self.lanes.enter(Lane::for_rows(leads.len())).await;
        if leads.is_empty() {
            return Ok(());
        }
        let mut tx = self.writer.begin().await.map_err(db)?;
        for chunk in leads.chunks(CHUNK) {
            let mut qb = QueryBuilder::<Sqlite>::new("INSERT INTO leads (lead_id, data, updated_at) ");
            qb.push_values(chunk, |mut b, l| {
                b.push_bind(l.lead_id.clone()).push_bind(to_json(l)).push_bind(micros(at));
            });
            qb.push(" ON CONFLICT(lead_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at");
            qb.build().execute(&mut *tx).await.map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    async fn upsert_accounts(&self, accounts: &[Account], at: Timestamp) -> StoreResult<()> {
        let _turn = self.lanes.enter(Lane::for_rows(accounts.len())).await;
        if accounts.is_empty() {
            return Ok(());
        }
        let mut tx = self.writer.begin().await.map_err(db)?;
        for chunk in accounts.chunks(CHUNK) {
            let mut qb = QueryBuilder::<Sqlite>::new("INSERT INTO accounts (account_id, data, updated_at) ");
            qb.push_values(chunk, |mut b, a| {
                b.push_bind(a.account_id.clone()).push_bind(to_json(a)).push_bind(micros(at));
            });
            qb.push(" ON CONFLICT(account_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at");
            qb.build().execute(&mut *tx).await.map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    async fn insert_events(&self, events: &[Event]) -> StoreResult<Vec<bool>> {
        let _turn = self.lanes.enter(Lane::for_rows(events.len())).await;
        let mut stored = vec![false; events.len()];
        if events.is_empty() {
            return Ok(stored);
        }
        let mut tx = self.writer.begin().await.map_err(db)?;
        for (c, chunk) in events.chunks(CHUNK).enumerate() {
            let base = c * CHUNK;
            let mut qb = QueryBuilder::<Sqlite>::new("INSERT INTO events (event_id, lead_id, occurred_at, data) ");
            qb.push_values(chunk, |mut b, e| {
                b.push_bind(e.event_id.clone()).push_bind(e.lead_id.clone()).push_bind(micros(e.occurred_at)).push_bind(to_json(e));
            });
            qb.push(" ON CONFLICT(event_id) DO NOTHING RETURNING event_id");
            let ids: Vec<String> = qb.build_query_scalar().fetch_all(&mut *tx).await.map_err(db)?;
            mark_stored(&mut stored[base..base + chunk.len()], chunk, ids);
        }
        tx.commit().await.map_err(db)?;
        Ok(stored)
    }

    async fn insert_consents(&self, records: &[ConsentRecord]) -> StoreResult<()> {
        let _turn = self.lanes.enter(Lane::for_rows(records.len())).await;
        if records.is_empty() {
            return Ok(());
        }
        let mut tx = self.writer.begin().await.map_err(db)?;
        for chunk in records.chunks(CHUNK) {
            let mut qb = QueryBuilder::<Sqlite>::new("INSERT INTO consents (lead_id, data) ");
            qb.push_values(chunk, |mut b, r| {
                b.push_bind(r.lead_id.clone()).push_bind(to_json(r));
            });
            qb.build().execute(&mut *tx).await.map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    async fn upsert_deals(&self, deals: &[DealRow]) -> StoreResult<()> {
        let _turn = self.lanes.enter(Lane::for_rows(deals.len())).await;
        if deals.is_empty() {
            return Ok(());
        }
        let mut tx = self.writer.begin().await.map_err(db)?;
        for chunk in deals.chunks(CHUNK) {
            let mut qb = QueryBuilder::<Sqlite>::new(format!("INSERT INTO deals ({DEAL_COLS}) "));
            qb.push_values(chunk, |mut b, d| {
                b.push_bind(d.deal_id.clone())
                    .push_bind(d.lead_id.clone())
                    .push_bind(d.account_id.clone())
                    .push_bind(d.body.clone())
                    .push_bind(micros(d.updated_at));
            });
            qb.push(
                " ON CONFLICT(deal_id) DO UPDATE SET lead_id = excluded.lead_id, account_id = excluded.account_id, \
                 body = excluded.body, updated_at = excluded.updated_at",
            );
            qb.build().execute(&mut *tx).await.map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    async fn all_deals(&self) -> StoreResult<Vec<DealRow>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {DEAL_COLS} FROM deals ORDER BY deal_id")))
            .fetch_all(&self.reader)
            .await
            .map_err(db)?;
        rows.iter().map(Cols).map(deal_row).collect()
    }

    async fn delete_deals(&self, deal_ids: &[String]) -> StoreResult<u64> {
        let _turn = self.lanes.enter(Lane::for_rows(deal_ids.len())).await;
        if deal_ids.is_empty() {
            return Ok(0);
        }
        let mut tx = self.writer.begin().await.map_err(db)?;
        let mut deleted = 0;
        for chunk in deal_ids.chunks(CHUNK) {
            let mut qb = QueryBuilder::<Sqlite>::new("DELETE FROM deals WHERE deal_id IN (");
            let mut list = qb.separated(", ");
            for id in chunk {
                list.push_bind(id.clone());
            }
            qb.push(")");
            deleted += qb.build().execute(&mut *tx).await.map_err(db)?.rows_affected();
        }
        tx.commit().await.map_err(db)?;
        Ok(deleted)
    }

    async fn lead(&self, lead_id: &str) -> StoreResult<Option<Lead>> {
        let data: Option<String> =
            sqlx::query_scalar("SELECT data FROM leads WHERE lead_id = ?1").bind(lead_id).fetch_optional(&self.reader).await.map_err(db)?;
        data.map(|d| from_json("leads", &d)).transpose()
    }

    async fn all_leads(&self) -> StoreResult<Vec<Lead>> {
        let rows = sqlx::query("SELECT data FROM leads ORDER BY lead_id").fetch_all(&self.reader).await.map_err(db)?;
        json_rows(rows.iter().map(Cols), "leads")
    }

    async fn all_accounts(&self) -> StoreResult<Vec<Account>> {
        let rows = sqlx::query("SELECT data FROM accounts ORDER BY account_id").fetch_all(&self.reader).await.map_err(db)?;
        json_rows(rows.iter().map(Cols), "accounts")
    }

    async fn all_events(&self) -> StoreResult<Vec<Event>> {
        let rows = sqlx::query("SELECT data FROM events ORDER BY seq").fetch_all(&self.reader).await.map_err(db)?;
        json_rows(rows.iter().map(Cols), "events")
    }

    async fn all_consents(&self) -> StoreResult<Vec<ConsentRecord>> {
        let rows = sqlx::query("SELECT data FROM consents ORDER BY seq").fetch_all(&self.reader).await.map_err(db)?;
        json_rows(rows.iter().map(Cols), "consents")
    }

    async fn lead_events(&self, lead_id: &str) -> StoreResult<Vec<Event>> {
        let rows = sqlx::query("SELECT data FROM events WHERE lead_id = ?1 ORDER BY seq")
            .bind(lead_id)
            .fetch_all(&self.reader)
            .await
            .map_err(db)?;
        json_rows(rows.iter().map(Cols), "events")
    }

    async fn lead_consents(&self, lead_id: &str) -> StoreResult<Vec<ConsentRecord>> {
        let rows = sqlx::query("SELECT data FROM consents WHERE lead_id = ?1 ORDER BY seq")
            .bind(lead_id)
            .fetch_all(&self.reader)
            .await
            .map_err(db)?;
        json_rows(rows.iter().map(Cols), "consents")
    }

    async fn save_scores(&self, scores: &[StoredScore]) -> StoreResult<()> {
        let _turn = self.lanes.enter(Lane::for_rows(scores.len())).await;
        if scores.is_empty() {
            return Ok(());
        }
        let rows: Vec<(&StoredScore, String)> = scores.iter().map(|s| (s, s.body.encode())).collect();
        let mut tx = self.writer.begin().await.map_err(db)?;
        for table in ["scores", "score_history"] {
            for chunk in rows.chunks(CHUNK) {
                let mut qb = QueryBuilder::<Sqlite>::new(format!("INSERT INTO {table} ({SCORE_COLS}) "));
                qb.push_values(chunk, |mut b, (s, body)| {
                    b.push_bind(s.lead_id.clone())
                        .push_bind(micros(s.as_of))
                        .push_bind(s.model_id)
                        .push_bind(s.total)
                        .push_bind(s.quality)
                        .push_bind(s.grade.clone())
                        .push_bind(s.cell.clone())
                        .push_bind(body.clone())
                        .push_bind(s.cause.clone());
                });
                if table == "scores" {
                    qb.push(
                        " ON CONFLICT(lead_id) DO UPDATE SET as_of = excluded.as_of, \
                         model_id = excluded.model_id, total = excluded.total, \
                         quality = excluded.quality, grade = excluded.grade, cell = excluded.cell, \
                         body = excluded.body, cause = excluded.cause",
                    );
                }
                qb.build().execute(&mut *tx).await.map_err(db)?;
            }
        }
        tx.commit().await.map_err(db)
    }

    async fn current_scores(&self) -> StoreResult<Vec<StoredScore>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {SCORE_COLS} FROM scores ORDER BY lead_id")))
            .fetch_all(&self.reader)
            .await
            .map_err(db)?;
        rows.iter().map(|r| score_row(Cols(r), "scores")).collect()
    }

    async fn score_history(&self, lead_id: &str) -> StoreResult<Vec<StoredScore>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {SCORE_COLS} FROM score_history WHERE lead_id = ?1 ORDER BY seq")))
            .bind(lead_id)
            .fetch_all(&self.reader)
            .await
            .map_err(db)?;
        rows.iter().map(|r| score_row(Cols(r), "score_history")).collect()
    }

    async fn add_model(&self, name: &str, version: &str, source: &str, at: Timestamp) -> StoreResult<i64> {
        let _turn = self.lanes.enter(Lane::Express).await;
        sqlx::query_scalar(
            "INSERT INTO models (name, version, source, created_at, active) \
             VALUES (?1, ?2, ?3, ?4, 0) RETURNING id",
        )
        .bind(name)
        .bind(version)
        .bind(source)
        .bind(micros(at))
        .fetch_one(&self.writer)
        .await
        .map_err(db)
    }

    async fn models(&self) -> StoreResult<Vec<StoredModel>> {
        let rows = sqlx::query("SELECT id, name, version, source, created_at, active FROM models ORDER BY id")
            .fetch_all(&self.reader)
            .await
            .map_err(db)?;
        rows.iter().map(Cols).map(model_row).collect()
    }

    async fn model(&self, id: i64) -> StoreResult<Option<StoredModel>> {
        let row = sqlx::query("SELECT id, name, version, source, created_at, active FROM models WHERE id = ?1")
            .bind(id)
            .fetch_optional(&self.reader)
            .await
            .map_err(db)?;
        row.as_ref().map(Cols).map(model_row).transpose()
    }

    async fn activate_model(&self, id: i64) -> StoreResult<()> {
        let _turn = self.lanes.enter(Lane::Express).await;
        let mut tx = self.writer.begin().await.map_err(db)?;
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT id FROM models WHERE id = ?1").bind(id).fetch_optional(&mut *tx).await.map_err(db)?;
        if exists.is_none() {
            return Err(StoreError::NotFound(format!("model {id}")));
        }
        sqlx::query("UPDATE models SET active = (id = ?1) WHERE active <> (id = ?1)").bind(id).execute(&mut *tx).await.map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn add_key(&self, key: &ApiKey) -> StoreResult<()> {
        let _turn = self.lanes.enter(Lane::Express).await;
        sqlx::query(
            "INSERT INTO api_keys (id, secret_hash, name, scopes, created_at, revoked_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .bind(&key.id)
        .bind(&key.secret_hash)
        .bind(&key.name)
        .bind(scopes_text(&key.scopes))
        .bind(micros(key.created_at))
        .bind(key.revoked_at.map(micros))
        .execute(&self.writer)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn key(&self, id: &str) -> StoreResult<Option<ApiKey>> {
        let row = sqlx::query("SELECT id, secret_hash, name, scopes, created_at, revoked_at FROM api_keys WHERE id = ?1")
            .bind(id)
            .fetch_optional(&self.reader)
            .await
            .map_err(db)?;
        row.as_ref().map(Cols).map(key_row).transpose()
    }

    async fn keys(&self) -> StoreResult<Vec<ApiKey>> {
        let rows = sqlx::query(
            "SELECT id, secret_hash, name, scopes, created_at, revoked_at FROM api_keys \
             ORDER BY created_at, id",
        )
        .fetch_all(&self.reader)
        .await
        .map_err(db)?;
        rows.iter().map(Cols).map(key_row).collect()
    }

    async fn revoke_key(&self, id: &str, at: Timestamp) -> StoreResult<()> {
        let _turn = self.lanes.enter(Lane::Express).await;
        let done = sqlx::query("UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1")
            .bind(id)
            .bind(micros(at))
            .execute(&self.writer)
            .await
            .map_err(db)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("key {id}")));
        }
        Ok(())
    }

    async fn add_subscription(&self, sub: &Subscription) -> StoreResult<()> {
        let _turn = self.lanes.enter(Lane::Express).await;
        sqlx::query(
            "INSERT INTO subscriptions (id, url, secret, events, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .bind(&sub.id)
        .bind(&sub.url)
        .bind(&sub.secret)
        .bind(to_json(&sub.events))
        .bind(micros(sub.created_at))
        .execute(&self.writer)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn subscriptions(&self) -> StoreResult<Vec<Subscription>> {
        let rows = sqlx::query("SELECT id, url, secret, events, created_at FROM subscriptions ORDER BY created_at, id")
            .fetch_all(&self.reader)
            .await
            .map_err(db)?;
        rows.iter().map(Cols).map(subscription_row).collect()
    }

    async fn delete_subscription(&self, id: &str) -> StoreResult<()> {
        let _turn = self.lanes.enter(Lane::Express).await;
        let mut tx = self.writer.begin().await.map_err(db)?;
        let done = sqlx::query("DELETE FROM subscriptions WHERE id = ?1").bind(id).execute(&mut *tx).await.map_err(db)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("subscription {id}")));
        }
        sqlx::query("DELETE FROM deliveries WHERE subscription_id = ?1 AND state = 'pending'")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn enqueue_deliveries(&self, deliveries: &[Delivery]) -> StoreResult<()> {
        let _turn = self.lanes.enter(Lane::for_rows(deliveries.len())).await;
        if deliveries.is_empty() {
            return Ok(());
        }
        let mut tx = self.writer.begin().await.map_err(db)?;
        for chunk in deliveries.chunks(CHUNK) {
            let mut qb = QueryBuilder::<Sqlite>::new(format!("INSERT INTO deliveries ({DELIVERY_COLS}) "));
            qb.push_values(chunk, |mut b, d| {
                b.push_bind(d.id.clone())
                    .push_bind(d.subscription_id.clone())
                    .push_bind(d.event_type.clone())
                    .push_bind(d.lead_id.clone())
                    .push_bind(d.body.clone())
                    .push_bind(micros(d.created_at))
                    .push_bind(micros(d.next_attempt_at))
                    .push_bind(i64::from(d.attempts))
                    .push_bind(d.state.as_str())
                    .push_bind(d.last_attempt_at.map(micros))
                    .push_bind(d.last_status.map(i64::from))
                    .push_bind(d.last_error.clone());
            });
            qb.build().execute(&mut *tx).await.map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    async fn due_deliveries(&self, now: Timestamp, limit: u32) -> StoreResult<Vec<Delivery>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {DELIVERY_COLS} FROM deliveries \
             WHERE state = 'pending' AND next_attempt_at <= ?1 \
             ORDER BY next_attempt_at, seq LIMIT ?2"
        )))
        .bind(micros(now))
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await
        .map_err(db)?;
        rows.iter().map(Cols).map(delivery_row).collect()
    }

    async fn record_attempt(&self, delivery_id: &str, attempt: &Attempt) -> StoreResult<()> {
        let _turn = self.lanes.enter(Lane::Express).await;
        let done = sqlx::query(
            "UPDATE deliveries SET attempts = attempts + 1, last_attempt_at = ?2, \
             last_status = ?3, last_error = ?4, state = ?5, next_attempt_at = ?6 WHERE id = ?1",
        )
        .bind(delivery_id)
        .bind(micros(attempt.at))
        .bind(attempt.status.map(i64::from))
        .bind(attempt.error.clone())
        .bind(attempt.state.as_str())
        .bind(micros(attempt.next_attempt_at))
        .execute(&self.writer)
        .await
        .map_err(db)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("delivery {delivery_id}")));
        }
        Ok(())
    }

    async fn deliveries(&self, subscription_id: &str, limit: u32) -> StoreResult<Vec<Delivery>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {DELIVERY_COLS} FROM deliveries WHERE subscription_id = ?1 \
             ORDER BY created_at DESC, seq DESC LIMIT ?2"
        )))
        .bind(subscription_id)
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await
        .map_err(db)?;
        rows.iter().map(Cols).map(delivery_row).collect()
    }

    async fn erase_lead(&self, lead_id: &str, markers: &[String]) -> StoreResult<Erased> {
        let _turn = self.lanes.enter(Lane::Bulk).await;
        let mut tx = self.writer.begin().await.map_err(db)?;
        let mut count = async |sql: &'static str| -> StoreResult<u64> {
            Ok(sqlx::query(sql).bind(lead_id).execute(&mut *tx).await.map_err(db)?.rows_affected())
        };
        let erased = Erased {
            leads: count("DELETE FROM leads WHERE lead_id = ?1").await?,
            events: count("DELETE FROM events WHERE lead_id = ?1").await?,
            consents: count("DELETE FROM consents WHERE lead_id = ?1").await?,
            scores: count("DELETE FROM scores WHERE lead_id = ?1").await?,
            history: count("DELETE FROM score_history WHERE lead_id = ?1").await?,
            deliveries: count("DELETE FROM deliveries WHERE lead_id = ?1").await?,
            ops: count("DELETE FROM lead_ops WHERE lead_id = ?1").await? + count("DELETE FROM ops_log WHERE lead_id = ?1").await?,
            deals: count("DELETE FROM deals WHERE lead_id = ?1").await?,
        };
        for chunk in markers.chunks(CHUNK) {
            let mut qb = QueryBuilder::<Sqlite>::new("INSERT INTO suppressions (marker) ");
            qb.push_values(chunk, |mut b, m| {
                b.push_bind(m.clone());
            });
            qb.push(" ON CONFLICT(marker) DO NOTHING");
            qb.build().execute(&mut *tx).await.map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
        self.clear_wal().await?;
        Ok(erased)
    }

    async fn suppressions(&self) -> StoreResult<Vec<String>> {
        sqlx::query_scalar("SELECT marker FROM suppressions ORDER BY marker").fetch_all(&self.reader).await.map_err(db)
    }

    async fn save_ops(&self, ops: &[LeadOps], log: &[OpsLogEntry]) -> StoreResult<()> {
        let _turn = self.lanes.enter(Lane::for_rows(ops.len() + log.len())).await;
        if ops.is_empty() && log.is_empty() {
            return Ok(());
        }
        let mut tx = self.writer.begin().await.map_err(db)?;
        for chunk in ops.chunks(CHUNK) {
            let mut qb = QueryBuilder::<Sqlite>::new("INSERT INTO lead_ops (lead_id, body, updated_at) ");
            qb.push_values(chunk, |mut b, o| {
                b.push_bind(o.lead_id.clone()).push_bind(o.body.clone()).push_bind(micros(o.updated_at));
            });
            qb.push(" ON CONFLICT(lead_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at");
            qb.build().execute(&mut *tx).await.map_err(db)?;
        }
        // `id` is assigned here (AUTOINCREMENT: increasing, never reused), in batch order.
        for chunk in log.chunks(CHUNK) {
            let mut qb = QueryBuilder::<Sqlite>::new("INSERT INTO ops_log (lead_id, kind, at, body) ");
            qb.push_values(chunk, |mut b, e| {
                b.push_bind(e.lead_id.clone()).push_bind(e.kind.clone()).push_bind(micros(e.at)).push_bind(e.body.clone());
            });
            qb.build().execute(&mut *tx).await.map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    async fn all_ops(&self) -> StoreResult<Vec<LeadOps>> {
        let rows =
            sqlx::query("SELECT lead_id, body, updated_at FROM lead_ops ORDER BY lead_id").fetch_all(&self.reader).await.map_err(db)?;
        rows.iter().map(Cols).map(ops_row).collect()
    }

    async fn ops_log(&self, lead_id: &str) -> StoreResult<Vec<OpsLogEntry>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {OPS_LOG_COLS} FROM ops_log WHERE lead_id = ?1 ORDER BY id")))
            .bind(lead_id)
            .fetch_all(&self.reader)
            .await
            .map_err(db)?;
        rows.iter().map(Cols).map(ops_log_row).collect()
    }

    async fn all_ops_log(&self, kind: Option<&str>) -> StoreResult<Vec<OpsLogEntry>> {
        let mut qb = QueryBuilder::<Sqlite>::new(format!("SELECT {OPS_LOG_COLS} FROM ops_log"));
        if let Some(kind) = kind {
            qb.push(" WHERE kind = ").push_bind(kind.to_string());
        }
        qb.push(" ORDER BY id");
        let rows = qb.build().fetch_all(&self.reader).await.map_err(db)?;
        rows.iter().map(Cols).map(ops_log_row).collect()
    }

    async fn put_directory(&self, entry: &DirectoryEntry) -> StoreResult<()> {
        let _turn = self.lanes.enter(Lane::Express).await;
        sqlx::query(
            "INSERT INTO directory (kind, id, body, updated_at) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT(kind, id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
        )
        .bind(&entry.kind)
        .bind(&entry.id)
        .bind(&entry.body)
        .bind(micros(entry.updated_at))
        .execute(&self.writer)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn delete_directory(&self, kind: &str, id: &str) -> StoreResult<()> {
        let _turn = self.lanes.enter(Lane::Express).await;
        let done =
            sqlx::query("DELETE FROM directory WHERE kind = ?1 AND id = ?2").bind(kind).bind(id).execute(&self.writer).await.map_err(db)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("{kind} {id}")));
        }
        Ok(())
    }

    async fn directory(&self, kind: &str) -> StoreResult<Vec<DirectoryEntry>> {
        let rows = sqlx::query("SELECT kind, id, body, updated_at FROM directory WHERE kind = ?1 ORDER BY id")
            .bind(kind)
            .fetch_all(&self.reader)
            .await
            .map_err(db)?;
        rows.iter().map(Cols).map(directory_row).collect()
    }

    async fn directory_entry(&self, kind: &str, id: &str) -> StoreResult<Option<DirectoryEntry>> {
        let row = sqlx::query("SELECT kind, id, body, updated_at FROM directory WHERE kind = ?1 AND id = ?2")
            .bind(kind)
            .bind(id)
            .fetch_optional(&self.reader)
            .await
            .map_err(db)?;
        row.as_ref().map(Cols).map(directory_row).transpose()
    }

    async fn audit(&self, entry: &AuditEntry) -> StoreResult<()> {
        let _turn = self.lanes.enter(Lane::Express).await;
        sqlx::query("INSERT INTO audit (at, actor, action, detail) VALUES (?1, ?2, ?3, ?4)")
            .bind(micros(entry.at))
            .bind(&entry.actor)
            .bind(&entry.action)
            .bind(&entry.detail)
            .execute(&self.writer)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn audit_log(&self, limit: u32) -> StoreResult<Vec<AuditEntry>> {
        let rows = sqlx::query("SELECT at, actor, action, detail FROM audit ORDER BY seq DESC LIMIT ?1")
            .bind(i64::from(limit))
            .fetch_all(&self.reader)
            .await
            .map_err(db)?;
        rows.iter().map(Cols).map(audit_row).collect()
    }
}

/// Marks as stored the events whose id came back from `RETURNING`: the first occurrence of
/// each returned id in the chunk (later repeats inside the chunk were conflicts).
fn mark_stored(stored: &mut [bool], chunk: &[Event], ids: Vec<String>) {
    if ids.is_empty() {
        return;
    }
    let mut returned: std::collections::HashSet<String> = ids.into_iter().collect();
    for (flag, e) in stored.iter_mut().zip(chunk) {
        if returned.remove(&e.event_id) {
            *flag = true;
        }
    }
}
