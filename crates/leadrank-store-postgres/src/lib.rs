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
//! Every payload that holds a person's data (the columns of [`sealing::SEALED_COLUMNS`]:
//! leads, events, consent records, scores and their history, deliveries about a lead, the
//! operating state and log) is sealed with that lead's own key, kept outside PostgreSQL in
//! the [`KeyVault`]. Erasing a lead deletes its rows, then destroys its key: the copies
//! PostgreSQL keeps after a delete (dead rows, write-ahead log, base backups, replicas) can
//! no longer be read. Rows written before sealing (plain JSON) are still read, and re-sealed
//! by the upgrade to schema version 2.
//!
//! The schema is upgraded by the numbered migrations of `migrations/` ([`MIGRATIONS`]), all
//! pending ones in one transaction under an advisory lock, in the schema that
//! `search_path` names.

pub mod lease;
pub mod sealing;
pub mod test_server;
pub mod vault;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
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
use sealing::{LeadKey, SEALED_COLUMNS, SealedColumn, is_sealed, is_sealed_column};
pub use sqlx::postgres::PgConnectOptions;
use sqlx::postgres::{PgConnection, PgPool, PgPoolOptions, PgRow};
use sqlx::{Postgres, QueryBuilder, Row};
pub use vault::{KeyVault, VaultMode};

/// Rows per multi-row `INSERT` (far below PostgreSQL's 65,535 parameters).
const CHUNK: usize = 500;

/// Serialises concurrent upgrades (`pg_advisory_xact_lock` key).
const MIGRATE_LOCK: i64 = 0x6c65_6164_7261_6e6b;

/// This back end's migrations, embedded from `migrations/` (see
/// [`leadrank_store::migrations`]).
pub const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, description: "initial schema", sql: include_str!("../migrations/0001_initial_schema.sql") },
    Migration {
        version: 2,
        description: "personal data sealed with per-lead keys",
        sql: include_str!("../migrations/0002_sealed_personal_data.sql"),
    },
    Migration { version: 3, description: "deals", sql: include_str!("../migrations/0003_deals.sql") },
    Migration { version: 4, description: "partition leases of cluster mode", sql: include_str!("../migrations/0004_cluster_leases.sql") },
];

/// The setting that names the key vault a database's data is sealed with.
pub const VAULT_SETTING: &str = "key_vault_id";

/// An unused key (no row of its lead anywhere) older than this is removed on start: the
/// key of a first write that never committed.
const ORPHAN_AGE: jiff::SignedDuration = jiff::SignedDuration::from_hours(24);

/// The leadrank store in a PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
    vault: Arc<KeyVault>,
    /// Cluster mode: the partition lease every write checks (set once, by the owner).
    fence: Arc<std::sync::OnceLock<lease::Fence>>,
}

/// What [`PostgresStore::migrate_and_report`] did besides the schema upgrade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartReport {
    /// The schema upgrade.
    pub upgrade: Upgrade,
    /// Rows written before sealing (plain JSON) sealed by this upgrade, per table.
    pub sealed_legacy_rows: Vec<(&'static str, u64)>,
    /// Keys of erasures interrupted between deleting the rows and destroying the key,
    /// destroyed now.
    pub finished_erasures: u64,
    /// Unused keys (no row of the lead anywhere, untouched for a day) destroyed now.
    pub removed_unused_keys: u64,
}

impl StartReport {
    /// Rows sealed in all.
    pub fn sealed_total(&self) -> u64 {
        self.sealed_legacy_rows.iter().map(|(_, n)| n).sum()
    }
}

fn db(e: sqlx::Error) -> StoreError {
    // sqlx messages name the failing statement or constraint, never the bound values.
    StoreError::Database(e.to_string())
}

impl PostgresStore {
    /// Connects to `url` (`postgres://user@host:5432/db`) with the key vault at
    /// `key_vault` (made when missing). Call [`Store::migrate`] before use.
    pub async fn connect(url: &str, key_vault: &Path) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url).map_err(db)?;
        Self::connect_with(options, 8, key_vault, VaultMode::CreateIfMissing).await
    }

    /// Connects with explicit options (e.g. `.options([("search_path", "tenant_a")])` to
    /// keep the tables in one schema), at most `max_connections` connections, and the key
    /// vault at `key_vault`.
    ///
    /// Refused when the database records another vault, when it records one and the file
    /// is missing (nothing is made then), or when the vault already belongs to a database
    /// and this one records none.
    pub async fn connect_with(
        options: PgConnectOptions,
        max_connections: u32,
        key_vault: &Path,
        mode: VaultMode,
    ) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options.application_name("leadrank"))
            .await
            .map_err(db)?;
        let recorded = recorded_vault(&pool).await?;
        if let Some(id) = &recorded
            && !key_vault.exists()
        {
            return Err(StoreError::Database(format!(
                "key vault {}: no such file, but this database's personal data is sealed with the keys of key vault {id}; \
                 point --key-vault at that file (restore it from its backup): without it the personal data cannot be read",
                key_vault.display()
            )));
        }
        let vault = KeyVault::open(key_vault, mode).await?;
        match (&recorded, vault.id()) {
            (Some(want), Some(have)) if want != have => {
                return Err(StoreError::Database(format!(
                    "key vault {}: this is key vault {have}, but this database's personal data is sealed with the keys of \
                     key vault {want}; point --key-vault at that file",
                    key_vault.display()
                )));
            }
            (None, _) if vault.is_bound() => {
                return Err(StoreError::Database(format!(
                    "key vault {}: it already holds the keys of another database; give each database its own key vault",
                    key_vault.display()
                )));
            }
            _ => {}
        }
        Ok(PostgresStore { pool, vault: Arc::new(vault), fence: Arc::default() })
    }

    /// The key vault.
    pub fn vault(&self) -> &KeyVault {
        &self.vault
    }

    /// Closes the pool, waiting for connections to be returned, and the key vault.
    pub async fn close(&self) {
        self.pool.close().await;
        self.vault.close().await;
    }

    /// Upgrades the schema ([`MIGRATIONS`]; rows written before sealing are sealed in the
    /// same transaction), records this key vault as the database's own, and finishes what a
    /// crash interrupted: the keys of erasures whose rows are gone, and unused keys.
    pub async fn migrate_and_report(&self) -> StoreResult<StartReport> {
        let (upgrade, sealed_legacy_rows) = self.upgrade_sealing(MIGRATIONS).await?;
        self.bind_vault().await?;
        let (finished_erasures, removed_unused_keys) = self.sweep_keys().await?;
        Ok(StartReport { upgrade, sealed_legacy_rows, finished_erasures, removed_unused_keys })
    }

    /// Records the vault's id in the settings (first time) and checks it.
    async fn bind_vault(&self) -> StoreResult<()> {
        let Some(id) = self.vault.id() else {
            return Err(StoreError::Database(format!("key vault {}: does not exist", self.vault.path().display())));
        };
        let recorded = self.setting_or_insert(VAULT_SETTING, id).await?;
        if recorded != id {
            return Err(StoreError::Database(format!(
                "key vault {}: this is key vault {id}, but this database's personal data is sealed with the keys of key vault {recorded}",
                self.vault.path().display()
            )));
        }
        self.vault.mark_bound().await
    }

    /// Destroys the keys of interrupted erasures (marked, and no row of the lead left) and
    /// unused keys older than [`ORPHAN_AGE`]; unmarks a marked key whose rows remain (that
    /// erasure did not commit). Returns (finished erasures, unused keys removed).
    async fn sweep_keys(&self) -> StoreResult<(u64, u64)> {
        let entries = self.vault.entries().await?;
        if entries.is_empty() {
            return Ok((0, 0));
        }
        let leads: HashSet<String> =
            sqlx::query_scalar("SELECT lead_id FROM leads").fetch_all(&self.pool).await.map_err(db)?.into_iter().collect();
        let candidates: Vec<&vault::KeyEntry> = entries.iter().filter(|e| e.erasing || !leads.contains(&e.lead_id)).collect();
        if candidates.is_empty() {
            return Ok((0, 0));
        }
        let ids: Vec<String> = candidates.iter().map(|e| e.lead_id.clone()).collect();
        let mut referenced: HashSet<String> = HashSet::new();
        for c in SEALED_COLUMNS {
            let found: Vec<String> =
                sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT DISTINCT lead_id FROM {} WHERE lead_id = ANY($1)", c.table)))
                    .bind(&ids)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
            referenced.extend(found);
        }
        let cutoff = Timestamp::now() - ORPHAN_AGE;
        let (mut finished, mut unused) = (Vec::new(), Vec::new());
        for e in candidates {
            if referenced.contains(&e.lead_id) {
                if e.erasing {
                    self.vault.mark_erasing(&e.lead_id, false).await?;
                }
            } else if e.erasing {
                finished.push(e.lead_id.as_str());
            } else if e.touched_at < cutoff {
                unused.push(e.lead_id.as_str());
            }
        }
        let finished_count = if finished.is_empty() { 0 } else { self.vault.destroy(&finished).await? };
        let unused_count = if unused.is_empty() { 0 } else { self.vault.destroy(&unused).await? };
        Ok((finished_count, unused_count))
    }

    /// Seals rows written before sealing, inside the upgrade's transaction: per table, how
    /// many.
    async fn seal_legacy_rows(&self, tx: &mut PgConnection) -> StoreResult<Vec<(&'static str, u64)>> {
        let mut counts = Vec::new();
        for c in SEALED_COLUMNS {
            let mut total = 0u64;
            let mut after: Option<Key> = None;
            loop {
                let batch = legacy_batch(tx, c, after.as_ref()).await?;
                let Some(last) = batch.last() else { break };
                after = Some(last.key.clone());
                let batch: Vec<LegacyRow> = batch.into_iter().filter(|r| r.lead_id.as_deref().is_some_and(|l| !l.is_empty())).collect();
                if batch.is_empty() {
                    continue;
                }
                self.vault.ensure(batch.iter().filter_map(|r| r.lead_id.as_deref())).await?;
                let sealed: Vec<String> = {
                    let keys = self.vault.read();
                    batch
                        .iter()
                        .map(|r| seal_with(&keys, r.lead_id.as_deref().unwrap_or_default(), c.table, c.column, &r.plain))
                        .collect::<StoreResult<_>>()?
                };
                let (cast, keys_text, keys_int): (&str, Vec<String>, Vec<i64>) = if c.numeric_key {
                    (
                        "bigint",
                        Vec::new(),
                        batch
                            .iter()
                            .map(|r| match r.key {
                                Key::Int(k) => k,
                                Key::Text(_) => 0,
                            })
                            .collect(),
                    )
                } else {
                    (
                        "text",
                        batch
                            .iter()
                            .map(|r| match &r.key {
                                Key::Text(k) => k.clone(),
                                Key::Int(_) => String::new(),
                            })
                            .collect(),
                        Vec::new(),
                    )
                };
                let sql = format!(
                    "UPDATE {t} AS t SET {col} = v.sealed FROM (SELECT unnest($1::{cast}[]) AS k, unnest($2::text[]) AS sealed) AS v \
                     WHERE t.{key} = v.k",
                    t = c.table,
                    col = c.column,
                    key = c.key_column
                );
                let q = sqlx::query(sqlx::AssertSqlSafe(sql));
                let q = if c.numeric_key { q.bind(keys_int) } else { q.bind(keys_text) };
                let done = q.bind(sealed).execute(&mut *tx).await.map_err(db)?;
                total += done.rows_affected();
            }
            if total > 0 {
                counts.push((c.table, total));
            }
        }
        Ok(counts)
    }

    /// Deletes a lead's rows everywhere and stores the suppression markers, in one
    /// transaction.
    async fn delete_lead_rows(&self, lead_id: &str, markers: &[String]) -> StoreResult<Erased> {
        let mut tx = self.write_tx().await?;
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
            deals: count("DELETE FROM deals WHERE lead_id = $1").await?,
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

    /// Opens every row with `f`, the sealed columns opened with the leads' keys. A key
    /// missing from memory is looked up in the vault file once before the rows are refused.
    async fn open_rows<T: Send>(&self, rows: &[PgRow], f: impl Fn(Open<'_>) -> StoreResult<T> + Sync) -> StoreResult<Vec<T>> {
        let missing = Mutex::new(Vec::new());
        // Every row is tried (not only up to the first failure), so that the keys of all the
        // leads another process wrote since this vault was opened are looked up at once.
        let first: Vec<StoreResult<T>> = {
            let keys = self.vault.read();
            open_each(rows, &f, &keys, Some(&missing))
        };
        let mut missing = missing.into_inner().unwrap_or_else(|e| e.into_inner());
        if missing.is_empty() {
            return first.into_iter().collect();
        }
        missing.sort();
        missing.dedup();
        self.vault.reload(&missing).await?;
        let keys = self.vault.read();
        open_each(rows, &f, &keys, None).into_iter().collect()
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
        Ok(self.upgrade_sealing(migrations).await?.0)
    }

    /// [`Self::upgrade_with`], sealing the rows written before sealing in the same
    /// transaction when it applies migration 2: the upgrade and how many rows it sealed.
    async fn upgrade_sealing(&self, migrations: &[Migration]) -> StoreResult<(Upgrade, Vec<(&'static str, u64)>)> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(MIGRATE_LOCK).execute(&mut *tx).await.map_err(db)?;
        let status = migrations::status(found(&mut tx).await?, migrations);
        status.check()?;
        let from = status.database.number();
        let adopted = status.unrecorded();
        if status.pending.is_empty() {
            return Ok((Upgrade { from, to: from, applied: Vec::new(), adopted }, Vec::new()));
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
        let sealed = if status.pending.contains(&MIGRATIONS[1]) { self.seal_legacy_rows(&mut tx).await? } else { Vec::new() };
        tx.commit().await.map_err(db)?;
        Ok((Upgrade { from, to: status.binary, applied: status.pending, adopted }, sealed))
    }
}

/// The key vault id the database's settings record, if any.
async fn recorded_vault(pool: &PgPool) -> StoreResult<Option<String>> {
    let mut conn = pool.acquire().await.map_err(db)?;
    if !table_exists(&mut conn, "settings").await? {
        return Ok(None);
    }
    sqlx::query_scalar("SELECT value FROM settings WHERE key = $1").bind(VAULT_SETTING).fetch_optional(&mut *conn).await.map_err(db)
}

/// A row's primary key, for re-sealing.
#[derive(Debug, Clone)]
enum Key {
    Int(i64),
    Text(String),
}

/// A row written before sealing.
struct LegacyRow {
    key: Key,
    lead_id: Option<String>,
    plain: String,
}

/// Rows after `after` (by primary key) whose column is not sealed, at most 1,000.
async fn legacy_batch(tx: &mut PgConnection, c: &SealedColumn, after: Option<&Key>) -> StoreResult<Vec<LegacyRow>> {
    let mut qb = QueryBuilder::<Postgres>::new(format!(
        "SELECT {key} AS k, lead_id, {col} AS v FROM {t} WHERE {col} NOT LIKE 'enc1:%'",
        key = c.key_column,
        col = c.column,
        t = c.table
    ));
    match after {
        Some(Key::Int(k)) => {
            qb.push(format!(" AND {} > ", c.key_column)).push_bind(*k);
        }
        Some(Key::Text(k)) => {
            qb.push(format!(" AND {} COLLATE \"C\" > ", c.key_column)).push_bind(k.clone()).push(" COLLATE \"C\"");
        }
        None => {}
    }
    qb.push(format!(" ORDER BY {} {} LIMIT 1000", c.key_column, if c.numeric_key { "" } else { "COLLATE \"C\"" }));
    let rows = qb.build().fetch_all(&mut *tx).await.map_err(db)?;
    rows.iter()
        .map(|r| {
            let key = if c.numeric_key { Key::Int(get(r, c.table, "k")?) } else { Key::Text(get(r, c.table, "k")?) };
            Ok(LegacyRow { key, lead_id: get(r, c.table, "lead_id")?, plain: get(r, c.table, "v")? })
        })
        .collect()
}

/// A record stored as JSON in the `data` column of `table`.
fn json_row<T: serde::de::DeserializeOwned>(row: Open<'_>, table: &'static str) -> StoreResult<T> {
    from_json(table, &rows::Row::text(&row, table, "data")?)
}

/// Seals `plain` of `lead_id`'s row with its key (made beforehand by `KeyVault::ensure`).
fn seal_with(keys: &HashMap<String, LeadKey>, lead_id: &str, table: &'static str, column: &str, plain: &str) -> StoreResult<String> {
    let key =
        keys.get(lead_id).ok_or_else(|| StoreError::Database(format!("no key was made for lead {lead_id:?} before writing {table}")))?;
    Ok(sealing::seal(key, lead_id, table, column, plain))
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

/// A result row whose sealed columns ([`is_sealed_column`]) read opened with the key of
/// the row's `lead_id` (which the query must select); plain JSON written before sealing
/// reads as it is.
#[derive(Clone, Copy)]
struct Open<'r> {
    row: &'r PgRow,
    keys: &'r HashMap<String, LeadKey>,
    /// Where lead ids without a key in memory are noted (for one look-up in the file).
    missing: Option<&'r Mutex<Vec<String>>>,
}

/// Rows from which on the rows of one read are opened on all cores: a start reads about a
/// million sealed event rows, and opening them (decrypting and decoding) was most of its
/// read time on one core.
const PARALLEL_OPEN_ROWS: usize = 8192;

/// Opens each row with `f`, in order; on all cores for large reads.
fn open_each<T: Send>(
    rows: &[PgRow],
    f: &(impl Fn(Open<'_>) -> StoreResult<T> + Sync),
    keys: &HashMap<String, LeadKey>,
    missing: Option<&Mutex<Vec<String>>>,
) -> Vec<StoreResult<T>> {
    let one = |row| f(Open { row, keys, missing });
    if rows.len() < PARALLEL_OPEN_ROWS {
        rows.iter().map(one).collect()
    } else {
        use rayon::prelude::*;
        rows.par_iter().map(one).collect()
    }
}

impl Open<'_> {
    fn open(&self, table: &'static str, col: &str, stored: String) -> StoreResult<String> {
        if !is_sealed_column(table, col) || !is_sealed(&stored) {
            return Ok(stored);
        }
        let corrupt = |detail: String| StoreError::Corrupt { table, detail };
        let lead_id: Option<String> = get(self.row, table, "lead_id")?;
        let Some(lead_id) = lead_id else { return Err(corrupt(format!("column {col}: sealed, but the row has no lead id"))) };
        let Some(key) = self.keys.get(&lead_id) else {
            if let Some(missing) = self.missing {
                missing.lock().unwrap_or_else(|e| e.into_inner()).push(lead_id.clone());
            }
            return Err(corrupt(format!(
                "column {col} of lead {lead_id:?}: its key is not in the key vault (a vault other than the one this data \
                 was sealed with, or a lead whose key was destroyed)"
            )));
        };
        sealing::open(key, &lead_id, table, col, &stored).map_err(|e| corrupt(format!("column {col} of lead {lead_id:?}: {e}")))
    }
}

impl rows::Row for Open<'_> {
    fn text(&self, table: &'static str, col: &str) -> StoreResult<String> {
        self.open(table, col, get(self.row, table, col)?)
    }
    fn opt_text(&self, table: &'static str, col: &str) -> StoreResult<Option<String>> {
        let v: Option<String> = get(self.row, table, col)?;
        v.map(|v| self.open(table, col, v)).transpose()
    }
    fn int(&self, table: &'static str, col: &str) -> StoreResult<i64> {
        get(self.row, table, col)
    }
    fn opt_int(&self, table: &'static str, col: &str) -> StoreResult<Option<i64>> {
        get(self.row, table, col)
    }
    fn int32(&self, table: &'static str, col: &str) -> StoreResult<i32> {
        get(self.row, table, col)
    }
    fn boolean(&self, table: &'static str, col: &str) -> StoreResult<bool> {
        get(self.row, table, col)
    }
}

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
        Ok(self.migrate_and_report().await?.upgrade)
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
        let mut tx = self.write_tx().await?;
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
        self.vault.ensure(leads.iter().map(|l| l.lead_id.as_str())).await?;
        let rows: Vec<(&str, String)> = {
            let keys = self.vault.read();
            leads
                .iter()
                .map(|l| Ok((l.lead_id.as_str(), seal_with(&keys, &l.lead_id, "leads", "data", &to_json(l))?)))
                .collect::<StoreResult<_>>()?
        };
        let mut tx = self.write_tx().await?;
        for chunk in rows.chunks(CHUNK) {
            let mut qb = QueryBuilder::<Postgres>::new("INSERT INTO leads (lead_id, data, updated_at) ");
            qb.push_values(chunk, |mut b, (id, data)| {
                b.push_bind(id.to_string()).push_bind(data.clone()).push_bind(micros(at));
            });
            qb.push(" ON CONFLICT(lead_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at");
            qb.build().execute(&mut *tx).await.map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
        self.vault.confirm(leads.iter().map(|l| l.lead_id.as_str()));
        Ok(())
    }

    async fn upsert_accounts(&self, accounts: &[Account], at: Timestamp) -> StoreResult<()> {
        if accounts.is_empty() {
            return Ok(());
        }
        let accounts = last_per_key(accounts, |a| a.account_id.as_str());
        let mut tx = self.write_tx().await?;
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

    async fn upsert_deals(&self, deals: &[DealRow]) -> StoreResult<()> {
        if deals.is_empty() {
            return Ok(());
        }
        let deals = last_per_key(deals, |d| d.deal_id.as_str());
        let mut tx = self.write_tx().await?;
        for chunk in deals.chunks(CHUNK) {
            let mut qb = QueryBuilder::<Postgres>::new(format!("INSERT INTO deals ({DEAL_COLS}) "));
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
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(Cols).map(deal_row).collect()
    }

    async fn delete_deals(&self, deal_ids: &[String]) -> StoreResult<u64> {
        if deal_ids.is_empty() {
            return Ok(0);
        }
        let mut tx = self.write_tx().await?;
        let deleted = sqlx::query("DELETE FROM deals WHERE deal_id = ANY($1)")
            .bind(deal_ids.to_vec())
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
        tx.commit().await.map_err(db)?;
        Ok(deleted)
    }

    async fn insert_events(&self, events: &[Event]) -> StoreResult<Vec<bool>> {
        let mut stored = vec![false; events.len()];
        if events.is_empty() {
            return Ok(stored);
        }
        self.vault.ensure(events.iter().map(|e| e.lead_id.as_str())).await?;
        let sealed: Vec<String> = {
            let keys = self.vault.read();
            events.iter().map(|e| seal_with(&keys, &e.lead_id, "events", "data", &to_json(e))).collect::<StoreResult<_>>()?
        };
        let mut tx = self.write_tx().await?;
        for (c, (chunk, data)) in events.chunks(CHUNK).zip(sealed.chunks(CHUNK)).enumerate() {
            let base = c * CHUNK;
            let mut qb = QueryBuilder::<Postgres>::new("INSERT INTO events (event_id, lead_id, occurred_at, data) ");
            qb.push_values(chunk.iter().zip(data), |mut b, (e, data)| {
                b.push_bind(e.event_id.clone()).push_bind(e.lead_id.clone()).push_bind(micros(e.occurred_at)).push_bind(data.clone());
            });
            qb.push(" ON CONFLICT(event_id) DO NOTHING RETURNING event_id");
            let ids: Vec<String> = qb.build_query_scalar().fetch_all(&mut *tx).await.map_err(db)?;
            mark_stored(&mut stored[base..base + chunk.len()], chunk, ids);
        }
        tx.commit().await.map_err(db)?;
        self.vault.confirm(events.iter().map(|e| e.lead_id.as_str()));
        Ok(stored)
    }

    async fn insert_consents(&self, records: &[ConsentRecord]) -> StoreResult<()> {
        if records.is_empty() {
            return Ok(());
        }
        self.vault.ensure(records.iter().map(|r| r.lead_id.as_str())).await?;
        let rows: Vec<(&str, String)> = {
            let keys = self.vault.read();
            records
                .iter()
                .map(|r| Ok((r.lead_id.as_str(), seal_with(&keys, &r.lead_id, "consents", "data", &to_json(r))?)))
                .collect::<StoreResult<_>>()?
        };
        let mut tx = self.write_tx().await?;
        for chunk in rows.chunks(CHUNK) {
            let mut qb = QueryBuilder::<Postgres>::new("INSERT INTO consents (lead_id, data) ");
            qb.push_values(chunk, |mut b, (id, data)| {
                b.push_bind(id.to_string()).push_bind(data.clone());
            });
            qb.build().execute(&mut *tx).await.map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
        self.vault.confirm(records.iter().map(|r| r.lead_id.as_str()));
        Ok(())
    }

    async fn lead(&self, lead_id: &str) -> StoreResult<Option<Lead>> {
        let rows =
            sqlx::query("SELECT lead_id, data FROM leads WHERE lead_id = $1").bind(lead_id).fetch_all(&self.pool).await.map_err(db)?;
        Ok(self.open_rows(&rows, |r| json_row(r, "leads")).await?.pop())
    }

    async fn all_leads(&self) -> StoreResult<Vec<Lead>> {
        let rows = sqlx::query("SELECT lead_id, data FROM leads ORDER BY lead_id").fetch_all(&self.pool).await.map_err(db)?;
        self.open_rows(&rows, |r| json_row(r, "leads")).await
    }

    async fn all_accounts(&self) -> StoreResult<Vec<Account>> {
        let rows = sqlx::query("SELECT data FROM accounts ORDER BY account_id").fetch_all(&self.pool).await.map_err(db)?;
        json_rows(rows.iter().map(Cols), "accounts")
    }

    async fn all_events(&self) -> StoreResult<Vec<Event>> {
        let rows = sqlx::query("SELECT lead_id, data FROM events ORDER BY seq").fetch_all(&self.pool).await.map_err(db)?;
        self.open_rows(&rows, |r| json_row(r, "events")).await
    }

    async fn all_consents(&self) -> StoreResult<Vec<ConsentRecord>> {
        let rows = sqlx::query("SELECT lead_id, data FROM consents ORDER BY seq").fetch_all(&self.pool).await.map_err(db)?;
        self.open_rows(&rows, |r| json_row(r, "consents")).await
    }

    async fn lead_events(&self, lead_id: &str) -> StoreResult<Vec<Event>> {
        let rows = sqlx::query("SELECT lead_id, data FROM events WHERE lead_id = $1 ORDER BY seq")
            .bind(lead_id)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        self.open_rows(&rows, |r| json_row(r, "events")).await
    }

    async fn lead_consents(&self, lead_id: &str) -> StoreResult<Vec<ConsentRecord>> {
        let rows = sqlx::query("SELECT lead_id, data FROM consents WHERE lead_id = $1 ORDER BY seq")
            .bind(lead_id)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        self.open_rows(&rows, |r| json_row(r, "consents")).await
    }

    async fn save_scores(&self, scores: &[StoredScore]) -> StoreResult<()> {
        if scores.is_empty() {
            return Ok(());
        }
        self.vault.ensure(scores.iter().map(|s| s.lead_id.as_str())).await?;
        let latest_scores = last_per_key(scores, |s| s.lead_id.as_str());
        // Each table's copy sealed on its own (its own nonce and associated data).
        let (latest, all): (Vec<(&StoredScore, String)>, Vec<(&StoredScore, String)>) = {
            let keys = self.vault.read();
            let seal_in = |table: &'static str, s: &StoredScore| seal_with(&keys, &s.lead_id, table, "body", &s.body.encode());
            (
                latest_scores.iter().map(|s| Ok((*s, seal_in("scores", s)?))).collect::<StoreResult<_>>()?,
                scores.iter().map(|s| Ok((s, seal_in("score_history", s)?))).collect::<StoreResult<_>>()?,
            )
        };
        let mut tx = self.write_tx().await?;
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
        tx.commit().await.map_err(db)?;
        self.vault.confirm(scores.iter().map(|s| s.lead_id.as_str()));
        Ok(())
    }

    async fn current_scores(&self) -> StoreResult<Vec<StoredScore>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {SCORE_COLS} FROM scores ORDER BY lead_id")))
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        self.open_rows(&rows, |r| score_row(r, "scores")).await
    }

    async fn score_history(&self, lead_id: &str) -> StoreResult<Vec<StoredScore>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {SCORE_COLS} FROM score_history WHERE lead_id = $1 ORDER BY seq")))
            .bind(lead_id)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        self.open_rows(&rows, |r| score_row(r, "score_history")).await
    }

    async fn add_model(&self, name: &str, version: &str, source: &str, at: Timestamp) -> StoreResult<i64> {
        let mut tx = self.write_tx().await?;
        let id = sqlx::query_scalar(
            "INSERT INTO models (name, version, source, created_at, active) \
             VALUES ($1, $2, $3, $4, FALSE) RETURNING id",
        )
        .bind(name)
        .bind(version)
        .bind(source)
        .bind(micros(at))
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(id)
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
        let mut tx = self.write_tx().await?;
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT id FROM models WHERE id = $1").bind(id).fetch_optional(&mut *tx).await.map_err(db)?;
        if exists.is_none() {
            return Err(StoreError::NotFound(format!("model {id}")));
        }
        sqlx::query("UPDATE models SET active = (id = $1) WHERE active <> (id = $1)").bind(id).execute(&mut *tx).await.map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn add_key(&self, key: &ApiKey) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
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
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
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
        let mut tx = self.write_tx().await?;
        let done = sqlx::query("UPDATE api_keys SET revoked_at = $2 WHERE id = $1")
            .bind(id)
            .bind(micros(at))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("key {id}")));
        }
        tx.commit().await.map_err(db)?;
        Ok(())
    }

    async fn add_subscription(&self, sub: &Subscription) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "INSERT INTO subscriptions (id, url, secret, events, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&sub.id)
        .bind(&sub.url)
        .bind(&sub.secret)
        .bind(to_json(&sub.events))
        .bind(micros(sub.created_at))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
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
        let mut tx = self.write_tx().await?;
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
        let lead_ids = || deliveries.iter().filter_map(|d| d.lead_id.as_deref());
        self.vault.ensure(lead_ids()).await?;
        let bodies: Vec<String> = {
            let keys = self.vault.read();
            deliveries
                .iter()
                .map(|d| match d.lead_id.as_deref() {
                    Some(lead_id) => seal_with(&keys, lead_id, "deliveries", "body", &d.body),
                    None => Ok(d.body.clone()),
                })
                .collect::<StoreResult<_>>()?
        };
        let mut tx = self.write_tx().await?;
        for (chunk, bodies) in deliveries.chunks(CHUNK).zip(bodies.chunks(CHUNK)) {
            let mut qb = QueryBuilder::<Postgres>::new(format!("INSERT INTO deliveries ({DELIVERY_COLS}) "));
            qb.push_values(chunk.iter().zip(bodies), |mut b, (d, body)| {
                b.push_bind(d.id.clone())
                    .push_bind(d.subscription_id.clone())
                    .push_bind(d.event_type.clone())
                    .push_bind(d.lead_id.clone())
                    .push_bind(body.clone())
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
        tx.commit().await.map_err(db)?;
        self.vault.confirm(lead_ids());
        Ok(())
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
        self.open_rows(&rows, |r| delivery_row(r)).await
    }

    async fn record_attempt(&self, delivery_id: &str, attempt: &Attempt) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
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
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("delivery {delivery_id}")));
        }
        tx.commit().await.map_err(db)?;
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
        self.open_rows(&rows, |r| delivery_row(r)).await
    }

    async fn erase_lead(&self, lead_id: &str, markers: &[String]) -> StoreResult<Erased> {
        // Marked first: a crash after the rows are deleted leaves a marked key, destroyed on
        // the next start.
        let person = !lead_id.is_empty();
        if person {
            self.vault.mark_erasing(lead_id, true).await?;
        }
        match self.delete_lead_rows(lead_id, markers).await {
            Err(e) => {
                if person {
                    // The rows are intact: the key stays theirs (the next start unmarks it too).
                    let _ = self.vault.mark_erasing(lead_id, false).await;
                }
                Err(e)
            }
            Ok(erased) => {
                if person {
                    self.vault.destroy(&[lead_id]).await.map_err(|e| {
                        StoreError::Database(format!(
                            "the lead's rows are erased, but its key could not be destroyed yet (the next start destroys it): {e}"
                        ))
                    })?;
                }
                Ok(erased)
            }
        }
    }

    async fn suppressions(&self) -> StoreResult<Vec<String>> {
        sqlx::query_scalar("SELECT marker FROM suppressions ORDER BY marker").fetch_all(&self.pool).await.map_err(db)
    }

    async fn save_ops(&self, ops: &[LeadOps], log: &[OpsLogEntry]) -> StoreResult<()> {
        if ops.is_empty() && log.is_empty() {
            return Ok(());
        }
        let ops = last_per_key(ops, |o| o.lead_id.as_str());
        let lead_ids = || ops.iter().map(|o| o.lead_id.as_str()).chain(log.iter().map(|e| e.lead_id.as_str()));
        self.vault.ensure(lead_ids()).await?;
        let (op_bodies, log_bodies): (Vec<String>, Vec<String>) = {
            let keys = self.vault.read();
            (
                ops.iter().map(|o| seal_with(&keys, &o.lead_id, "lead_ops", "body", &o.body)).collect::<StoreResult<_>>()?,
                log.iter().map(|e| seal_with(&keys, &e.lead_id, "ops_log", "body", &e.body)).collect::<StoreResult<_>>()?,
            )
        };
        let mut tx = self.write_tx().await?;
        for (chunk, bodies) in ops.chunks(CHUNK).zip(op_bodies.chunks(CHUNK)) {
            let mut qb = QueryBuilder::<Postgres>::new("INSERT INTO lead_ops (lead_id, body, updated_at) ");
            qb.push_values(chunk.iter().zip(bodies), |mut b, (o, body)| {
                b.push_bind(o.lead_id.clone()).push_bind(body.clone()).push_bind(micros(o.updated_at));
            });
            qb.push(" ON CONFLICT(lead_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at");
            qb.build().execute(&mut *tx).await.map_err(db)?;
        }
        // `id` is assigned here (BIGSERIAL: increasing), in batch order.
        for (chunk, bodies) in log.chunks(CHUNK).zip(log_bodies.chunks(CHUNK)) {
            let mut qb = QueryBuilder::<Postgres>::new("INSERT INTO ops_log (lead_id, kind, at, body) ");
            qb.push_values(chunk.iter().zip(bodies), |mut b, (e, body)| {
                b.push_bind(e.lead_id.clone()).push_bind(e.kind.clone()).push_bind(micros(e.at)).push_bind(body.clone());
            });
            qb.build().execute(&mut *tx).await.map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
        self.vault.confirm(lead_ids());
        Ok(())
    }

    async fn all_ops(&self) -> StoreResult<Vec<LeadOps>> {
        let rows =
            sqlx::query("SELECT lead_id, body, updated_at FROM lead_ops ORDER BY lead_id").fetch_all(&self.pool).await.map_err(db)?;
        self.open_rows(&rows, |r| ops_row(r)).await
    }

    async fn ops_log(&self, lead_id: &str) -> StoreResult<Vec<OpsLogEntry>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {OPS_LOG_COLS} FROM ops_log WHERE lead_id = $1 ORDER BY id")))
            .bind(lead_id)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        self.open_rows(&rows, |r| ops_log_row(r)).await
    }

    async fn all_ops_log(&self, kind: Option<&str>) -> StoreResult<Vec<OpsLogEntry>> {
        let mut qb = QueryBuilder::<Postgres>::new(format!("SELECT {OPS_LOG_COLS} FROM ops_log"));
        if let Some(kind) = kind {
            qb.push(" WHERE kind = ").push_bind(kind.to_string());
        }
        qb.push(" ORDER BY id");
        let rows = qb.build().fetch_all(&self.pool).await.map_err(db)?;
        self.open_rows(&rows, |r| ops_log_row(r)).await
    }

    async fn put_directory(&self, entry: &DirectoryEntry) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "INSERT INTO directory (kind, id, body, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT(kind, id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
        )
        .bind(&entry.kind)
        .bind(&entry.id)
        .bind(&entry.body)
        .bind(micros(entry.updated_at))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(())
    }

    async fn delete_directory(&self, kind: &str, id: &str) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        let done =
            sqlx::query("DELETE FROM directory WHERE kind = $1 AND id = $2").bind(kind).bind(id).execute(&mut *tx).await.map_err(db)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("{kind} {id}")));
        }
        tx.commit().await.map_err(db)?;
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

    async fn directory_entry(&self, kind: &str, id: &str) -> StoreResult<Option<DirectoryEntry>> {
        let row = sqlx::query("SELECT kind, id, body, updated_at FROM directory WHERE kind = $1 AND id = $2")
            .bind(kind)
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.as_ref().map(Cols).map(directory_row).transpose()
    }

    async fn audit(&self, entry: &AuditEntry) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        sqlx::query("INSERT INTO audit (at, actor, action, detail) VALUES ($1, $2, $3, $4)")
            .bind(micros(entry.at))
            .bind(&entry.actor)
            .bind(&entry.action)
            .bind(&entry.detail)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)?;
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
