//! The PostgreSQL back end of the leadrank [`Store`].
//!
//! A pool of connections; every write is one transaction, committed durably (PostgreSQL's
//! default `synchronous_commit = on`) before the method returns. Queries are built at run
//! time; sqlx prepares and caches them per connection.
//!
//! Timestamps are stored as microseconds since the Unix epoch (`BIGINT`); leads, accounts,
//! events and consent records are stored as the JSON text of the record (exactly as
//! serialised, full precision).
//!
//! The schema is upgraded by the numbered migrations of `migrations/` ([`MIGRATIONS`]), all
//! pending ones in one transaction under an advisory lock, in the schema that
//! `search_path` names.

pub mod test_server;

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use jiff::Timestamp;
use leadrank_core::records::{Account, ConsentRecord, Event, Lead};
use leadrank_store::migrations::{self, Found};
use leadrank_store::rows::{
    self, DELIVERY_COLS, MIGRATION_COLS, OPS_LOG_COLS, SCORE_COLS, audit_row, delivery_row, directory_row, from_json, json_rows, key_row,
    micros, migration_row, model_row, ops_log_row, ops_row, scopes_text, score_row, subscription_row, to_json,
};
use leadrank_store::{
    ApiKey, Attempt, AuditEntry, Delivery, DirectoryEntry, Erased, LeadOps, Migration, OpsLogEntry, SchemaStatus, Store, StoreError,
    StoreResult, StoredModel, StoredScore, Subscription, Upgrade,
};
pub use sqlx::postgres::PgConnectOptions;
use sqlx::postgres::{PgConnection, PgPool, PgPoolOptions, PgRow};
use sqlx::{Postgres, QueryBuilder, Row};

/// Rows per multi-row `INSERT` (far below PostgreSQL's 65,535 parameters).
const CHUNK: usize = 500;

/// Serialises concurrent upgrades (`pg_advisory_xact_lock` key).
const MIGRATE_LOCK: i64 = 0x6c65_6164_7261_6e6b;

/// This back end's migrations, embedded from `migrations/` (see
/// [`leadrank_store::migrations`]).
pub const MIGRATIONS: &[Migration] =
    &[Migration { version: 1, description: "initial schema", sql: include_str!("../migrations/0001_initial_schema.sql") }];

/// The leadrank store in a PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

fn db(e: sqlx::Error) -> StoreError {
    // sqlx messages name the failing statement or constraint, never the bound values.
    StoreError::Database(e.to_string())
}

impl PostgresStore {
    /// Connects to `url` (`postgres://user@host:5432/db`). Call [`Store::migrate`] before
    /// use.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url).map_err(db)?;
        Self::connect_with(options, 8).await
    }

    /// Connects with explicit options (e.g. `.options([("search_path", "tenant_a")])` to
    /// keep the tables in one schema) and at most `max_connections` connections.
    pub async fn connect_with(options: PgConnectOptions, max_connections: u32) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options.application_name("leadrank"))
            .await
            .map_err(db)?;
        Ok(PostgresStore { pool })
    }

    /// Closes the pool, waiting for connections to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Where the database stands against `migrations` ([`Store::schema_status`] uses
    /// [`MIGRATIONS`]; other lists test upgrade paths).
    pub async fn status_with(&self, migrations: &[Migration]) -> StoreResult<SchemaStatus> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let found = found(&mut tx).await?;
        tx.commit().await.map_err(db)?;
        Ok(migrations::status(found, migrations))
    }

    /// Upgrades to the last of `migrations` in one transaction ([`Store::migrate`] uses
    /// [`MIGRATIONS`]; other lists test upgrade paths).
    pub async fn upgrade_with(&self, migrations: &[Migration]) -> StoreResult<Upgrade> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(MIGRATE_LOCK).execute(&mut *tx).await.map_err(db)?;
        let status = migrations::status(found(&mut tx).await?, migrations);
        status.check()?;
        let from = status.database.number();
        let adopted = status.unrecorded();
        if status.pending.is_empty() {
            return Ok(Upgrade { from, to: from, applied: Vec::new(), adopted });
        }
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, \
             checksum TEXT NOT NULL, applied_at BIGINT NOT NULL)",
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
            sqlx::query("INSERT INTO schema_migrations (version, description, checksum, applied_at) VALUES ($1, $2, $3, $4)")
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
            sqlx::query("DELETE FROM settings WHERE key = $1")
                .bind(migrations::LEGACY_VERSION_SETTING)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
        Ok(Upgrade { from, to: status.binary, applied: status.pending, adopted })
    }
}

/// Whether `table` exists in the first schema of `search_path`.
async fn table_exists(conn: &mut PgConnection, table: &str) -> StoreResult<bool> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1)")
        .bind(table)
        .fetch_one(conn)
        .await
        .map_err(db)
}

/// What the database holds, read inside `conn`'s transaction.
async fn found(conn: &mut PgConnection) -> StoreResult<Found> {
    if table_exists(conn, migrations::MIGRATIONS_TABLE).await? {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {MIGRATION_COLS} FROM schema_migrations ORDER BY version")))
            .fetch_all(&mut *conn)
            .await
            .map_err(db)?;
        return Ok(Found::Recorded(rows.iter().map(Cols).map(migration_row).collect::<StoreResult<_>>()?));
    }
    if !table_exists(conn, "settings").await? {
        let any: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() \
             AND table_name IN ('leads', 'events', 'scores', 'models', 'api_keys'))",
        )
        .fetch_one(&mut *conn)
        .await
        .map_err(db)?;
        return Ok(if any { Found::Unrecorded { stamp: None } } else { Found::Empty });
    }
    let stamp = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
        .bind(migrations::LEGACY_VERSION_SETTING)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?;
    Ok(Found::Unrecorded { stamp })
}

// ---- conversions -------------------------------------------------------------------------

/// A PostgreSQL result row, read by the shared mappers of [`leadrank_store::rows`].
///
/// Columns are decoded exactly as this back end stores them: timestamps, ids and counters
/// as `BIGINT`, a score's total as `INTEGER`, booleans as `BOOLEAN`.
#[derive(Clone, Copy)]
struct Cols<'r>(&'r PgRow);

fn get<'r, T>(row: &'r PgRow, table: &'static str, col: &str) -> StoreResult<T>
where
    T: sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>,
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

/// The last record per key, in the order of those last occurrences: PostgreSQL refuses an
/// `INSERT ... ON CONFLICT DO UPDATE` that touches one row twice, and within one batch the
/// later record is the newer.
fn last_per_key<T>(items: &[T], key: impl Fn(&T) -> &str) -> Vec<&T> {
    let mut last: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, item) in items.iter().enumerate() {
        last.insert(key(item), i);
    }
    items.iter().enumerate().filter(|(i, item)| last.get(key(item)) == Some(i)).map(|(_, item)| item).collect()
}

#[async_trait]
impl Store for PostgresStore {
    async fn migrate(&self) -> StoreResult<Upgrade> {
        self.upgrade_with(MIGRATIONS).await
    }

    async fn schema_status(&self) -> StoreResult<SchemaStatus> {
        self.status_with(MIGRATIONS).await
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map_err(db)?;
        Ok(())
    }

    async fn setting(&self, key: &str) -> StoreResult<Option<String>> {
        sqlx::query_scalar("SELECT value FROM settings WHERE key = $1").bind(key).fetch_optional(&self.pool).await.map_err(db)
    }

    async fn setting_or_insert(&self, key: &str, value: &str) -> StoreResult<String> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT(key) DO NOTHING")
            .bind(key)
            .bind(value)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        let v: String = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1").bind(key).fetch_one(&mut *tx).await.map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(v)
    }

    async fn upsert_leads(&self, leads: &[Lead], at: Timestamp) -> StoreResult<()> {
        if leads.is_empty() {
            return Ok(());
        }
        let leads = last_per_key(leads, |l| l.lead_id.as_str());
        let mut tx = self.pool.begin().await.map_err(db)?;
        for chunk in leads.chunks(CHUNK) {
            let mut qb = QueryBuilder::<Postgres>::new("INSERT INTO leads (lead_id, data, updated_at) ");
            qb.push_values(chunk, |mut b, l| {
                b.push_bind(l.lead_id.clone()).push_bind(to_json(l)).push_bind(micros(at));
            });
            qb.push(" ON CONFLICT(lead_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at");
            qb.build().execute(&mut *tx).await.map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    async fn upsert_accounts(&self, accounts: &[Account], at: Timestamp) -> StoreResult<()> {
        if accounts.is_empty() {
            return Ok(());
        }
        let accounts = last_per_key(accounts, |a| a.account_id.as_str());
        let mut tx = self.pool.begin().await.map_err(db)?;
        for chunk in accounts.chunks(CHUNK) {
            let mut qb = QueryBuilder::<Postgres>::new("INSERT INTO accounts (account_id, data, updated_at) ");
            qb.push_values(chunk, |mut b, a| {
                b.push_bind(a.account_id.clone()).push_bind(to_json(a)).push_bind(micros(at));
            });
            qb.push(" ON CONFLICT(account_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at");
            qb.build().execute(&mut *tx).await.map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    async fn insert_events(&self, events: &[Event]) -> StoreResult<Vec<bool>> {
        let mut stored = vec![false; events.len()];
        if events.is_empty() {
            return Ok(stored);
        }
        let mut tx = self.pool.begin().await.map_err(db)?;
        for (c, chunk) in events.chunks(CHUNK).enumerate() {
            let base = c * CHUNK;
            let mut qb = QueryBuilder::<Postgres>::new("INSERT INTO events (event_id, lead_id, occurred_at, data) ");
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
        if records.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool.begin().await.map_err(db)?;
        for chunk in records.chunks(CHUNK) {
            let mut qb = QueryBuilder::<Postgres>::new("INSERT INTO consents (lead_id, data) ");
            qb.push_values(chunk, |mut b, r| {
                b.push_bind(r.lead_id.clone()).push_bind(to_json(r));
            });
            qb.build().execute(&mut *tx).await.map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    async fn lead(&self, lead_id: &str) -> StoreResult<Option<Lead>> {
        let data: Option<String> =
            sqlx::query_scalar("SELECT data FROM leads WHERE lead_id = $1").bind(lead_id).fetch_optional(&self.pool).await.map_err(db)?;
        data.map(|d| from_json("leads", &d)).transpose()
    }

    async fn all_leads(&self) -> StoreResult<Vec<Lead>> {
        let rows = sqlx::query("SELECT data FROM leads ORDER BY lead_id").fetch_all(&self.pool).await.map_err(db)?;
        json_rows(rows.iter().map(Cols), "leads")
    }

    async fn all_accounts(&self) -> StoreResult<Vec<Account>> {
        let rows = sqlx::query("SELECT data FROM accounts ORDER BY account_id").fetch_all(&self.pool).await.map_err(db)?;
        json_rows(rows.iter().map(Cols), "accounts")
    }

    async fn all_events(&self) -> StoreResult<Vec<Event>> {
        let rows = sqlx::query("SELECT data FROM events ORDER BY seq").fetch_all(&self.pool).await.map_err(db)?;
        json_rows(rows.iter().map(Cols), "events")
    }

    async fn all_consents(&self) -> StoreResult<Vec<ConsentRecord>> {
        let rows = sqlx::query("SELECT data FROM consents ORDER BY seq").fetch_all(&self.pool).await.map_err(db)?;
        json_rows(rows.iter().map(Cols), "consents")
    }

    async fn lead_events(&self, lead_id: &str) -> StoreResult<Vec<Event>> {
        let rows =
            sqlx::query("SELECT data FROM events WHERE lead_id = $1 ORDER BY seq").bind(lead_id).fetch_all(&self.pool).await.map_err(db)?;
        json_rows(rows.iter().map(Cols), "events")
    }

    async fn lead_consents(&self, lead_id: &str) -> StoreResult<Vec<ConsentRecord>> {
        let rows = sqlx::query("SELECT data FROM consents WHERE lead_id = $1 ORDER BY seq")
            .bind(lead_id)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        json_rows(rows.iter().map(Cols), "consents")
    }

    async fn save_scores(&self, scores: &[StoredScore]) -> StoreResult<()> {
        if scores.is_empty() {
            return Ok(());
        }
        let encoded: Vec<(&StoredScore, String)> = scores.iter().map(|s| (s, s.body.encode())).collect();
        let latest = last_per_key(&encoded, |(s, _)| s.lead_id.as_str());
        let all: Vec<&(&StoredScore, String)> = encoded.iter().collect();
        let mut tx = self.pool.begin().await.map_err(db)?;
        for (table, rows) in [("scores", &latest), ("score_history", &all)] {
            for chunk in rows.chunks(CHUNK) {
                let mut qb = QueryBuilder::<Postgres>::new(format!("INSERT INTO {table} ({SCORE_COLS}) "));
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
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(|r| score_row(Cols(r), "scores")).collect()
    }

    async fn score_history(&self, lead_id: &str) -> StoreResult<Vec<StoredScore>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {SCORE_COLS} FROM score_history WHERE lead_id = $1 ORDER BY seq")))
            .bind(lead_id)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(|r| score_row(Cols(r), "score_history")).collect()
    }

    async fn add_model(&self, name: &str, version: &str, source: &str, at: Timestamp) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO models (name, version, source, created_at, active) \
             VALUES ($1, $2, $3, $4, FALSE) RETURNING id",
        )
        .bind(name)
        .bind(version)
        .bind(source)
        .bind(micros(at))
        .fetch_one(&self.pool)
        .await
        .map_err(db)
    }

    async fn models(&self) -> StoreResult<Vec<StoredModel>> {
        let rows = sqlx::query("SELECT id, name, version, source, created_at, active FROM models ORDER BY id")
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(Cols).map(model_row).collect()
    }

    async fn model(&self, id: i64) -> StoreResult<Option<StoredModel>> {
        let row = sqlx::query("SELECT id, name, version, source, created_at, active FROM models WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.as_ref().map(Cols).map(model_row).transpose()
    }

    async fn activate_model(&self, id: i64) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT id FROM models WHERE id = $1").bind(id).fetch_optional(&mut *tx).await.map_err(db)?;
        if exists.is_none() {
            return Err(StoreError::NotFound(format!("model {id}")));
        }
        sqlx::query("UPDATE models SET active = (id = $1) WHERE active <> (id = $1)").bind(id).execute(&mut *tx).await.map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn add_key(&self, key: &ApiKey) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO api_keys (id, secret_hash, name, scopes, created_at, revoked_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&key.id)
        .bind(&key.secret_hash)
        .bind(&key.name)
        .bind(scopes_text(&key.scopes))
        .bind(micros(key.created_at))
        .bind(key.revoked_at.map(micros))
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn key(&self, id: &str) -> StoreResult<Option<ApiKey>> {
        let row = sqlx::query("SELECT id, secret_hash, name, scopes, created_at, revoked_at FROM api_keys WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.as_ref().map(Cols).map(key_row).transpose()
    }

    async fn keys(&self) -> StoreResult<Vec<ApiKey>> {
        let rows = sqlx::query(
            "SELECT id, secret_hash, name, scopes, created_at, revoked_at FROM api_keys \
             ORDER BY created_at, id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter().map(Cols).map(key_row).collect()
    }

    async fn revoke_key(&self, id: &str, at: Timestamp) -> StoreResult<()> {
        let done = sqlx::query("UPDATE api_keys SET revoked_at = $2 WHERE id = $1")
            .bind(id)
            .bind(micros(at))
            .execute(&self.pool)
            .await
            .map_err(db)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("key {id}")));
        }
        Ok(())
    }

    async fn add_subscription(&self, sub: &Subscription) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO subscriptions (id, url, secret, events, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&sub.id)
        .bind(&sub.url)
        .bind(&sub.secret)
        .bind(to_json(&sub.events))
        .bind(micros(sub.created_at))
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn subscriptions(&self) -> StoreResult<Vec<Subscription>> {
        let rows = sqlx::query("SELECT id, url, secret, events, created_at FROM subscriptions ORDER BY created_at, id")
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(Cols).map(subscription_row).collect()
    }

    async fn delete_subscription(&self, id: &str) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let done = sqlx::query("DELETE FROM subscriptions WHERE id = $1").bind(id).execute(&mut *tx).await.map_err(db)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("subscription {id}")));
        }
        sqlx::query("DELETE FROM deliveries WHERE subscription_id = $1 AND state = 'pending'")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn enqueue_deliveries(&self, deliveries: &[Delivery]) -> StoreResult<()> {
        if deliveries.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool.begin().await.map_err(db)?;
        for chunk in deliveries.chunks(CHUNK) {
            let mut qb = QueryBuilder::<Postgres>::new(format!("INSERT INTO deliveries ({DELIVERY_COLS}) "));
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
             WHERE state = 'pending' AND next_attempt_at <= $1 \
             ORDER BY next_attempt_at, seq LIMIT $2"
        )))
        .bind(micros(now))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter().map(Cols).map(delivery_row).collect()
    }

    async fn record_attempt(&self, delivery_id: &str, attempt: &Attempt) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE deliveries SET attempts = attempts + 1, last_attempt_at = $2, \
             last_status = $3, last_error = $4, state = $5, next_attempt_at = $6 WHERE id = $1",
        )
        .bind(delivery_id)
        .bind(micros(attempt.at))
        .bind(attempt.status.map(i64::from))
        .bind(attempt.error.clone())
        .bind(attempt.state.as_str())
        .bind(micros(attempt.next_attempt_at))
        .execute(&self.pool)
        .await
        .map_err(db)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("delivery {delivery_id}")));
        }
        Ok(())
    }

    async fn deliveries(&self, subscription_id: &str, limit: u32) -> StoreResult<Vec<Delivery>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {DELIVERY_COLS} FROM deliveries WHERE subscription_id = $1 \
             ORDER BY created_at DESC, seq DESC LIMIT $2"
        )))
        .bind(subscription_id)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter().map(Cols).map(delivery_row).collect()
    }

    async fn erase_lead(&self, lead_id: &str, markers: &[String]) -> StoreResult<Erased> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let mut count = async |sql: &'static str| -> StoreResult<u64> {
            Ok(sqlx::query(sql).bind(lead_id).execute(&mut *tx).await.map_err(db)?.rows_affected())
        };
        let erased = Erased {
            leads: count("DELETE FROM leads WHERE lead_id = $1").await?,
            events: count("DELETE FROM events WHERE lead_id = $1").await?,
            consents: count("DELETE FROM consents WHERE lead_id = $1").await?,
            scores: count("DELETE FROM scores WHERE lead_id = $1").await?,
            history: count("DELETE FROM score_history WHERE lead_id = $1").await?,
            deliveries: count("DELETE FROM deliveries WHERE lead_id = $1").await?,
            ops: count("DELETE FROM lead_ops WHERE lead_id = $1").await? + count("DELETE FROM ops_log WHERE lead_id = $1").await?,
        };
        for chunk in markers.chunks(CHUNK) {
            let mut qb = QueryBuilder::<Postgres>::new("INSERT INTO suppressions (marker) ");
            qb.push_values(chunk, |mut b, m| {
                b.push_bind(m.clone());
            });
            qb.push(" ON CONFLICT(marker) DO NOTHING");
            qb.build().execute(&mut *tx).await.map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
        Ok(erased)
    }

    async fn suppressions(&self) -> StoreResult<Vec<String>> {
        sqlx::query_scalar("SELECT marker FROM suppressions ORDER BY marker").fetch_all(&self.pool).await.map_err(db)
    }

    async fn save_ops(&self, ops: &[LeadOps], log: &[OpsLogEntry]) -> StoreResult<()> {
        if ops.is_empty() && log.is_empty() {
            return Ok(());
        }
        let ops = last_per_key(ops, |o| o.lead_id.as_str());
        let mut tx = self.pool.begin().await.map_err(db)?;
        for chunk in ops.chunks(CHUNK) {
            let mut qb = QueryBuilder::<Postgres>::new("INSERT INTO lead_ops (lead_id, body, updated_at) ");
            qb.push_values(chunk, |mut b, o| {
                b.push_bind(o.lead_id.clone()).push_bind(o.body.clone()).push_bind(micros(o.updated_at));
            });
            qb.push(" ON CONFLICT(lead_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at");
            qb.build().execute(&mut *tx).await.map_err(db)?;
        }
        // `id` is assigned here (BIGSERIAL: increasing), in batch order.
        for chunk in log.chunks(CHUNK) {
            let mut qb = QueryBuilder::<Postgres>::new("INSERT INTO ops_log (lead_id, kind, at, body) ");
            qb.push_values(chunk, |mut b, e| {
                b.push_bind(e.lead_id.clone()).push_bind(e.kind.clone()).push_bind(micros(e.at)).push_bind(e.body.clone());
            });
            qb.build().execute(&mut *tx).await.map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    async fn all_ops(&self) -> StoreResult<Vec<LeadOps>> {
        let rows =
            sqlx::query("SELECT lead_id, body, updated_at FROM lead_ops ORDER BY lead_id").fetch_all(&self.pool).await.map_err(db)?;
        rows.iter().map(Cols).map(ops_row).collect()
    }

    async fn ops_log(&self, lead_id: &str) -> StoreResult<Vec<OpsLogEntry>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {OPS_LOG_COLS} FROM ops_log WHERE lead_id = $1 ORDER BY id")))
            .bind(lead_id)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(Cols).map(ops_log_row).collect()
    }

    async fn all_ops_log(&self, kind: Option<&str>) -> StoreResult<Vec<OpsLogEntry>> {
        let mut qb = QueryBuilder::<Postgres>::new(format!("SELECT {OPS_LOG_COLS} FROM ops_log"));
        if let Some(kind) = kind {
            qb.push(" WHERE kind = ").push_bind(kind.to_string());
        }
        qb.push(" ORDER BY id");
        let rows = qb.build().fetch_all(&self.pool).await.map_err(db)?;
        rows.iter().map(Cols).map(ops_log_row).collect()
    }

    async fn put_directory(&self, entry: &DirectoryEntry) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO directory (kind, id, body, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT(kind, id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
        )
        .bind(&entry.kind)
        .bind(&entry.id)
        .bind(&entry.body)
        .bind(micros(entry.updated_at))
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn delete_directory(&self, kind: &str, id: &str) -> StoreResult<()> {
        let done =
            sqlx::query("DELETE FROM directory WHERE kind = $1 AND id = $2").bind(kind).bind(id).execute(&self.pool).await.map_err(db)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("{kind} {id}")));
        }
        Ok(())
    }

    async fn directory(&self, kind: &str) -> StoreResult<Vec<DirectoryEntry>> {
        // Byte order whatever the database's collation, as on SQLite.
        let rows = sqlx::query(
            "SELECT kind, id, body, updated_at FROM directory WHERE kind = $1 \
             ORDER BY id COLLATE \"C\"",
        )
        .bind(kind)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter().map(Cols).map(directory_row).collect()
    }

    async fn audit(&self, entry: &AuditEntry) -> StoreResult<()> {
        sqlx::query("INSERT INTO audit (at, actor, action, detail) VALUES ($1, $2, $3, $4)")
            .bind(micros(entry.at))
            .bind(&entry.actor)
            .bind(&entry.action)
            .bind(&entry.detail)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn audit_log(&self, limit: u32) -> StoreResult<Vec<AuditEntry>> {
        let rows = sqlx::query("SELECT at, actor, action, detail FROM audit ORDER BY seq DESC LIMIT $1")
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
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
