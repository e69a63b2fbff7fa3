//! The key vault: one random 256-bit key per lead id, kept outside PostgreSQL in a SQLite
//! file, so that destroying a lead's key makes every copy of its sealed data that
//! PostgreSQL keeps (dead rows, write-ahead log, base backups, replicas) unreadable.
//!
//! The file is made with mode 0600 and refused when other users may read it. Every
//! connection runs with `secure_delete` (deleted keys are overwritten with zeros in the
//! pages), WAL journal and `synchronous = FULL`; after keys are destroyed the write-ahead
//! log is checkpointed and truncated to zero bytes, so no older page image holds them.
//!
//! All keys are loaded into memory on open, so reading every row stays a hash lookup per
//! row. A key is made (and committed to the file) before the first row that uses it is
//! written to PostgreSQL.
//!
//! A vault belongs to one database: its id is recorded in the database's settings
//! (`key_vault_id`) on the first migration, and a vault already bound is refused for a
//! database that records none.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, RwLock, RwLockReadGuard};
use std::time::Duration;

use jiff::Timestamp;
use leadrank_store::{StoreError, StoreResult};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{QueryBuilder, Row, Sqlite};

use crate::sealing::{LeadKey, new_key};

/// What the vault file says it is (`vault_meta.format`).
const FORMAT: &str = "leadrank key vault 1";

/// Keys per multi-row statement.
const CHUNK: usize = 400;

/// Whether opening may create the vault file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VaultMode {
    /// Create the file (mode 0600) when it does not exist.
    CreateIfMissing,
    /// Never create it: a missing file opens as an absent vault that holds no key and
    /// cannot make one (enough for `db status` and dry runs on a database not yet bound).
    Existing,
}

/// One stored key's bookkeeping (never the key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyEntry {
    pub lead_id: String,
    /// An erasure was started and had not destroyed the key yet.
    pub erasing: bool,
    /// When the key was made or last handed out for a write.
    pub touched_at: Timestamp,
}

/// The key vault of one PostgreSQL database.
pub struct KeyVault {
    path: PathBuf,
    /// `None` when the file does not exist ([`VaultMode::Existing`]).
    pool: Option<SqlitePool>,
    id: Option<String>,
    bound: AtomicBool,
    keys: RwLock<HashMap<String, LeadKey>>,
    /// Keys this process made or handed out that no committed write has used yet: the
    /// next write using one stores it again (so a key swept meanwhile comes back).
    unconfirmed: Mutex<HashSet<String>>,
}

impl std::fmt::Debug for KeyVault {
    // Never the keys.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyVault").field("path", &self.path).field("id", &self.id).field("keys", &self.len()).finish()
    }
}

fn vault_err(path: &Path, what: impl std::fmt::Display) -> StoreError {
    StoreError::Database(format!("key vault {}: {what}", path.display()))
}

impl KeyVault {
    /// Opens the vault at `path`, creating it (mode 0600) when `mode` allows.
    pub async fn open(path: &Path, mode: VaultMode) -> StoreResult<KeyVault> {
        let exists = path.exists();
        if !exists {
            if mode == VaultMode::Existing {
                return Ok(KeyVault::absent(path));
            }
            create_private_file(path)?;
        } else {
            check_private(path)?;
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(false)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(30))
            .pragma("secure_delete", "ON");
        // One connection: writes are serialised in the process and no reader of ours holds
        // the log when it is truncated.
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .acquire_timeout(Duration::from_secs(60))
            .connect_with(options)
            .await
            .map_err(|e| vault_err(path, e))?;
        let err = |e: sqlx::Error| vault_err(path, e);
        let tables: Vec<String> =
            sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'").fetch_all(&pool).await.map_err(err)?;
        if tables.is_empty() {
            if mode == VaultMode::Existing {
                return Err(vault_err(path, "the file is empty, not a key vault (it is made by `leadrank db migrate` or `serve`)"));
            }
            let mut tx = pool.begin().await.map_err(err)?;
            sqlx::raw_sql(
                "CREATE TABLE vault_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                 CREATE TABLE lead_keys (lead_id TEXT PRIMARY KEY, key BLOB NOT NULL, touched_at INTEGER NOT NULL,
                                         erasing INTEGER NOT NULL DEFAULT 0);",
            )
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            let id = hex(&new_key()[..16]);
            for (k, v) in [("format", FORMAT), ("vault_id", id.as_str()), ("bound", "0")] {
                sqlx::query("INSERT INTO vault_meta (key, value) VALUES (?1, ?2)").bind(k).bind(v).execute(&mut *tx).await.map_err(err)?;
            }
            tx.commit().await.map_err(err)?;
        }
        let meta: HashMap<String, String> = sqlx::query_as::<_, (String, String)>("SELECT key, value FROM vault_meta")
            .fetch_all(&pool)
            .await
            .map_err(|_| vault_err(path, "the file is a SQLite database but not a leadrank key vault"))?
            .into_iter()
            .collect();
        if meta.get("format").map(String::as_str) != Some(FORMAT) {
            return Err(vault_err(path, format!("not a leadrank key vault this build can read (format {:?})", meta.get("format"))));
        }
        let id = meta.get("vault_id").cloned().ok_or_else(|| vault_err(path, "no vault id"))?;
        let bound = meta.get("bound").map(String::as_str) == Some("1");
        let rows = sqlx::query("SELECT lead_id, key FROM lead_keys").fetch_all(&pool).await.map_err(err)?;
        let mut keys = HashMap::with_capacity(rows.len());
        for row in rows {
            let lead_id: String = row.try_get("lead_id").map_err(err)?;
            let key = key_from(path, &lead_id, row.try_get::<Vec<u8>, _>("key").map_err(err)?)?;
            keys.insert(lead_id, key);
        }
        Ok(KeyVault {
            path: path.to_path_buf(),
            pool: Some(pool),
            id: Some(id),
            bound: AtomicBool::new(bound),
            keys: RwLock::new(keys),
            unconfirmed: Mutex::new(HashSet::new()),
        })
    }

    fn absent(path: &Path) -> KeyVault {
        KeyVault {
            path: path.to_path_buf(),
            pool: None,
            id: None,
            bound: AtomicBool::new(false),
            keys: RwLock::new(HashMap::new()),
            unconfirmed: Mutex::new(HashSet::new()),
        }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the file exists (an absent vault was opened with [`VaultMode::Existing`]).
    pub fn exists(&self) -> bool {
        self.pool.is_some()
    }

    /// The vault's random id (`None` for an absent vault).
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// Whether a database recorded this vault as its own.
    pub fn is_bound(&self) -> bool {
        self.bound.load(Ordering::Relaxed)
    }

    /// How many keys the vault holds.
    pub fn len(&self) -> usize {
        self.read().len()
    }

    /// Whether the vault holds no key.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The keys in memory, for sealing or opening a batch of rows.
    pub(crate) fn read(&self) -> RwLockReadGuard<'_, HashMap<String, LeadKey>> {
        self.keys.read().unwrap_or_else(|e| e.into_inner())
    }

    fn pool(&self) -> StoreResult<&SqlitePool> {
        self.pool
            .as_ref()
            .ok_or_else(|| vault_err(&self.path, "does not exist yet (`leadrank db migrate` or `serve` with this --key-vault makes it)"))
    }

    fn err(&self) -> impl Fn(sqlx::Error) -> StoreError + '_ {
        |e| vault_err(&self.path, e)
    }

    /// Makes sure every lead id of `ids` has a key committed to the file, making the
    /// missing ones. Keys already confirmed by a committed write cost nothing.
    pub(crate) async fn ensure<'a>(&self, ids: impl IntoIterator<Item = &'a str>) -> StoreResult<()> {
        let needed: Vec<&str> = {
            let keys = self.read();
            let unconfirmed = self.unconfirmed.lock().unwrap_or_else(|e| e.into_inner());
            let mut seen = HashSet::new();
            ids.into_iter().filter(|id| (!keys.contains_key(*id) || unconfirmed.contains(*id)) && seen.insert(*id)).collect()
        };
        if needed.is_empty() {
            return Ok(());
        }
        let pool = self.pool()?;
        let now = Timestamp::now().as_microsecond();
        let mut got: Vec<(String, LeadKey)> = Vec::with_capacity(needed.len());
        let mut tx = pool.begin().await.map_err(self.err())?;
        for chunk in needed.chunks(CHUNK) {
            let fresh: Vec<LeadKey> = {
                let keys = self.read();
                chunk.iter().map(|id| keys.get(*id).cloned().unwrap_or_else(new_key)).collect()
            };
            let mut qb = QueryBuilder::<Sqlite>::new("INSERT INTO lead_keys (lead_id, key, touched_at) ");
            qb.push_values(chunk.iter().zip(&fresh), |mut b, (id, key)| {
                b.push_bind(id.to_string()).push_bind(key.to_vec()).push_bind(now);
            });
            // A key already stored wins: it may have sealed rows.
            qb.push(" ON CONFLICT(lead_id) DO UPDATE SET touched_at = excluded.touched_at RETURNING lead_id, key");
            for row in qb.build().fetch_all(&mut *tx).await.map_err(self.err())? {
                let lead_id: String = row.try_get("lead_id").map_err(self.err())?;
                let key = key_from(&self.path, &lead_id, row.try_get::<Vec<u8>, _>("key").map_err(self.err())?)?;
                got.push((lead_id, key));
            }
        }
        tx.commit().await.map_err(self.err())?;
        let mut keys = self.keys.write().unwrap_or_else(|e| e.into_inner());
        let mut unconfirmed = self.unconfirmed.lock().unwrap_or_else(|e| e.into_inner());
        for (id, key) in got {
            unconfirmed.insert(id.clone());
            keys.insert(id, key);
        }
        Ok(())
    }

    /// Records that writes using these leads' keys were committed.
    pub(crate) fn confirm<'a>(&self, ids: impl IntoIterator<Item = &'a str>) {
        let mut unconfirmed = self.unconfirmed.lock().unwrap_or_else(|e| e.into_inner());
        if unconfirmed.is_empty() {
            return;
        }
        for id in ids {
            unconfirmed.remove(id);
        }
    }

    /// Loads keys of `ids` that another process stored after this vault was opened.
    pub(crate) async fn reload(&self, ids: &[String]) -> StoreResult<()> {
        let Some(pool) = &self.pool else { return Ok(()) };
        let mut found = Vec::new();
        for chunk in ids.chunks(CHUNK) {
            let mut qb = QueryBuilder::<Sqlite>::new("SELECT lead_id, key FROM lead_keys WHERE lead_id IN (");
            let mut list = qb.separated(", ");
            for id in chunk {
                list.push_bind(id.clone());
            }
            qb.push(")");
            for row in qb.build().fetch_all(pool).await.map_err(self.err())? {
                let lead_id: String = row.try_get("lead_id").map_err(self.err())?;
                let key = key_from(&self.path, &lead_id, row.try_get::<Vec<u8>, _>("key").map_err(self.err())?)?;
                found.push((lead_id, key));
            }
        }
        self.keys.write().unwrap_or_else(|e| e.into_inner()).extend(found);
        Ok(())
    }

    /// Marks (or unmarks) a lead's key as being erased: a crash before [`Self::destroy`]
    /// leaves a marked key that the next start removes once the lead's rows are gone.
    pub(crate) async fn mark_erasing(&self, lead_id: &str, erasing: bool) -> StoreResult<()> {
        let Some(pool) = &self.pool else { return Ok(()) };
        sqlx::query("UPDATE lead_keys SET erasing = ?2 WHERE lead_id = ?1")
            .bind(lead_id)
            .bind(i64::from(erasing))
            .execute(pool)
            .await
            .map_err(self.err())?;
        Ok(())
    }

    /// Destroys the keys of `ids`: deleted (overwritten with zeros in the pages), then the
    /// write-ahead log is checkpointed into the file and truncated to zero bytes. Returns
    /// how many keys were stored.
    pub async fn destroy(&self, ids: &[&str]) -> StoreResult<u64> {
        {
            let mut keys = self.keys.write().unwrap_or_else(|e| e.into_inner());
            let mut unconfirmed = self.unconfirmed.lock().unwrap_or_else(|e| e.into_inner());
            for id in ids {
                keys.remove(*id);
                unconfirmed.remove(*id);
            }
        }
        let Some(pool) = &self.pool else { return Ok(0) };
        let mut removed = 0;
        let mut tx = pool.begin().await.map_err(self.err())?;
        for chunk in ids.chunks(CHUNK) {
            let mut qb = QueryBuilder::<Sqlite>::new("DELETE FROM lead_keys WHERE lead_id IN (");
            let mut list = qb.separated(", ");
            for id in chunk {
                list.push_bind(id.to_string());
            }
            qb.push(")");
            removed += qb.build().execute(&mut *tx).await.map_err(self.err())?.rows_affected();
        }
        tx.commit().await.map_err(self.err())?;
        self.clear_log().await?;
        Ok(removed)
    }

    /// Checkpoints the write-ahead log into the file and truncates it to zero bytes.
    async fn clear_log(&self) -> StoreResult<()> {
        let pool = self.pool()?;
        let (busy, _log, _done): (i64, i64, i64) =
            sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(pool).await.map_err(self.err())?;
        if busy != 0 {
            return Err(vault_err(
                &self.path,
                "the key is deleted, but another process held the vault's write-ahead log past the busy timeout, so an \
                 older page image may still hold it; it is cleared at the next erasure or start",
            ));
        }
        Ok(())
    }

    /// Every key's bookkeeping (never the keys).
    pub async fn entries(&self) -> StoreResult<Vec<KeyEntry>> {
        let Some(pool) = &self.pool else { return Ok(Vec::new()) };
        let rows: Vec<(String, i64, i64)> = sqlx::query_as("SELECT lead_id, erasing, touched_at FROM lead_keys ORDER BY lead_id")
            .fetch_all(pool)
            .await
            .map_err(self.err())?;
        rows.into_iter()
            .map(|(lead_id, erasing, touched)| {
                let touched_at = Timestamp::from_microsecond(touched).map_err(|e| vault_err(&self.path, e))?;
                Ok(KeyEntry { lead_id, erasing: erasing != 0, touched_at })
            })
            .collect()
    }

    /// Records in the file that a database took this vault as its own.
    pub(crate) async fn mark_bound(&self) -> StoreResult<()> {
        if self.is_bound() {
            return Ok(());
        }
        let pool = self.pool()?;
        sqlx::query("UPDATE vault_meta SET value = '1' WHERE key = 'bound'").execute(pool).await.map_err(self.err())?;
        self.bound.store(true, Ordering::Relaxed);
        Ok(())
    }

    /// Checkpoints and truncates the log, then closes the file.
    pub async fn close(&self) {
        if let Some(pool) = &self.pool {
            let _ = self.clear_log().await;
            pool.close().await;
        }
    }
}

fn key_from(path: &Path, lead_id: &str, bytes: Vec<u8>) -> StoreResult<LeadKey> {
    let bytes = zeroize::Zeroizing::new(bytes);
    let key: [u8; 32] = bytes.as_slice().try_into().map_err(|_| vault_err(path, format!("the key of lead {lead_id:?} is not 32 bytes")))?;
    Ok(zeroize::Zeroizing::new(key))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Creates `path` empty with mode 0600 (never replacing a file).
fn create_private_file(path: &Path) -> StoreResult<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(drop).map_err(|e| match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() && !dir.is_dir() => {
            vault_err(path, format!("cannot be made: the directory {} does not exist", dir.display()))
        }
        _ => vault_err(path, format!("cannot be made: {e}")),
    })
}

/// Refuses a vault file that other users may read or write.
fn check_private(path: &Path) -> StoreResult<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(path).map_err(|e| vault_err(path, e))?;
        if !meta.is_file() {
            return Err(vault_err(path, "is not a file"));
        }
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(vault_err(
                path,
                format!(
                    "other users may access it (mode {mode:04o}); it holds the keys to every lead's data: chmod 600 {}",
                    path.display()
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn made_private_and_keys_survive_a_reopen_until_destroyed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.vault");
        let vault = KeyVault::open(&path, VaultMode::CreateIfMissing).await.unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        vault.ensure(["L1", "L2", "L1"]).await.unwrap();
        let k1 = vault.read()["L1"].clone();
        assert_eq!(vault.len(), 2);
        // Handing the same key out again keeps it.
        vault.ensure(["L1"]).await.unwrap();
        assert_eq!(vault.read()["L1"], k1);
        vault.close().await;

        let vault = KeyVault::open(&path, VaultMode::Existing).await.unwrap();
        assert_eq!(vault.read()["L1"], k1);
        assert!(!vault.is_bound());
        vault.mark_bound().await.unwrap();
        assert_eq!(vault.destroy(&["L1"]).await.unwrap(), 1);
        assert!(!vault.read().contains_key("L1"));
        let id = vault.id().unwrap().to_string();
        vault.close().await;
        let vault = KeyVault::open(&path, VaultMode::Existing).await.unwrap();
        assert_eq!((vault.len(), vault.is_bound(), vault.id()), (1, true, Some(id.as_str())));
        assert_eq!(vault.entries().await.unwrap().iter().map(|e| e.lead_id.as_str()).collect::<Vec<_>>(), ["L2"]);
        vault.close().await;
    }

    #[tokio::test]
    async fn absent_vault_is_made_only_when_allowed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.vault");
        let vault = KeyVault::open(&path, VaultMode::Existing).await.unwrap();
        assert!(!vault.exists() && !path.exists());
        let err = vault.ensure(["L1"]).await.unwrap_err().to_string();
        assert!(err.contains("does not exist yet"), "{err}");
        let err = KeyVault::open(&dir.path().join("no/such/dir/keys.vault"), VaultMode::CreateIfMissing).await.unwrap_err().to_string();
        assert!(err.contains("the directory") && err.contains("does not exist"), "{err}");
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn a_vault_others_may_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.vault");
        KeyVault::open(&path, VaultMode::CreateIfMissing).await.unwrap().close().await;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = KeyVault::open(&path, VaultMode::CreateIfMissing).await.unwrap_err().to_string();
        assert!(err.contains("mode 0644") && err.contains("chmod 600"), "{err}");
    }

    #[tokio::test]
    async fn another_sqlite_file_is_not_a_vault() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.db");
        create_private_file(&path).unwrap();
        let pool = SqlitePool::connect(&format!("sqlite://{}", path.display())).await.unwrap();
        sqlx::query("CREATE TABLE leads (x INTEGER)").execute(&pool).await.unwrap();
        pool.close().await;
        let err = KeyVault::open(&path, VaultMode::CreateIfMissing).await.unwrap_err().to_string();
        assert!(err.contains("not a leadrank key vault"), "{err}");
    }
}
