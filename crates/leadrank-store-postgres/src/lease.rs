//! Partition leases of cluster mode (`leadrank serve --cluster`), kept in the
//! `cluster_leases` table of the database every node shares.
//!
//! A node owns a partition while its lease has not expired; expiry is read off PostgreSQL's
//! clock (`clock_timestamp()`), so the nodes' own clocks never decide. Taking a lease over
//! raises its fencing token by one. An owner calls [`PostgresStore::fence_writes`] with its
//! token before its first write; from then on every write transaction of the store begins by
//! reading the lease row `FOR SHARE` and is refused ([`StoreError::Fenced`]) when the token is
//! not its own. The share lock makes a takeover wait for the writes in flight, and every
//! write after the takeover sees the new token: a paused or cut-off former owner cannot
//! write once another node holds the partition. A write transaction whose client stops
//! answering is ended by PostgreSQL after [`IDLE_IN_WRITE`], so it cannot hold a takeover up.

use std::time::Duration;

use jiff::Timestamp;
use leadrank_store::{StoreError, StoreResult};
use sqlx::postgres::PgConnection;
use sqlx::{Postgres, Row, Transaction};

use crate::{PostgresStore, db};

/// Longest a fenced write transaction may sit idle before PostgreSQL ends it.
pub const IDLE_IN_WRITE: Duration = Duration::from_secs(5);

/// The lease an owner writes under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fence {
    pub partition: i32,
    pub token: i64,
}

/// A partition's lease as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub partition: i32,
    /// The node id of the owner.
    pub owner: String,
    /// Raised by one at every change of owner.
    pub token: i64,
    pub expires_at: Timestamp,
    pub acquired_at: Timestamp,
    /// Whether the lease had expired when it was read (by the database's clock).
    pub expired: bool,
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

fn timestamp(row: &sqlx::postgres::PgRow, col: &str) -> StoreResult<Timestamp> {
    let micros: i64 = row.try_get(col).map_err(db)?;
    Timestamp::from_microsecond(micros).map_err(|e| StoreError::Corrupt { table: "cluster_leases", detail: format!("{col}: {e}") })
}

impl PostgresStore {
    /// Takes `partition` for `owner` when it is free (never held, or expired by the database's
    /// clock) for `ttl`; the new fencing token, or `None` while another node holds it. A lease
    /// held by writes in flight is waited for at most 2 s (then `None`, try again).
    pub async fn try_acquire(&self, partition: i32, owner: &str, ttl: Duration) -> StoreResult<Option<i64>> {
        let mut tx: Transaction<'_, Postgres> = self.pool.begin().await.map_err(db)?;
        sqlx::query("SET LOCAL lock_timeout = '2s'").execute(&mut *tx).await.map_err(db)?;
        let got = sqlx::query_scalar::<_, i64>(
            "INSERT INTO cluster_leases (partition, owner, token, expires_at, acquired_at) \
             VALUES ($1, $2, 1, clock_timestamp() + $3 * interval '1 millisecond', clock_timestamp()) \
             ON CONFLICT (partition) DO UPDATE SET owner = excluded.owner, token = cluster_leases.token + 1, \
             expires_at = excluded.expires_at, acquired_at = excluded.acquired_at \
             WHERE cluster_leases.expires_at < clock_timestamp() RETURNING token",
        )
        .bind(partition)
        .bind(owner)
        .bind(millis(ttl))
        .fetch_optional(&mut *tx)
        .await;
        match got {
            Ok(token) => {
                tx.commit().await.map_err(db)?;
                Ok(token)
            }
            // 55P03: lock_not_available (writes of the former owner still hold the row).
            Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("55P03") => Ok(None),
            Err(e) => Err(db(e)),
        }
    }

    /// Extends the lease held with `token` by `ttl` from now; false when it was lost.
    pub async fn renew(&self, partition: i32, token: i64, ttl: Duration) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE cluster_leases SET expires_at = clock_timestamp() + $3 * interval '1 millisecond' \
             WHERE partition = $1 AND token = $2",
        )
        .bind(partition)
        .bind(token)
        .bind(millis(ttl))
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(done.rows_affected() == 1)
    }

    /// Lets the lease go at once (a clean stop), so that another node need not wait for it
    /// to expire. Nothing happens when it is no longer held with `token`.
    pub async fn release(&self, partition: i32, token: i64) -> StoreResult<()> {
        sqlx::query("UPDATE cluster_leases SET expires_at = clock_timestamp() WHERE partition = $1 AND token = $2")
            .bind(partition)
            .bind(token)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    /// The stored leases, by partition.
    pub async fn leases(&self) -> StoreResult<Vec<Lease>> {
        let rows = sqlx::query(
            "SELECT partition, owner, token, \
             (extract(epoch FROM expires_at) * 1000000)::BIGINT AS expires_at, \
             (extract(epoch FROM acquired_at) * 1000000)::BIGINT AS acquired_at, \
             expires_at < clock_timestamp() AS expired FROM cluster_leases ORDER BY partition",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok(Lease {
                    partition: r.try_get("partition").map_err(db)?,
                    owner: r.try_get("owner").map_err(db)?,
                    token: r.try_get("token").map_err(db)?,
                    expires_at: timestamp(r, "expires_at")?,
                    acquired_at: timestamp(r, "acquired_at")?,
                    expired: r.try_get("expired").map_err(db)?,
                })
            })
            .collect()
    }

    /// From now on every write checks, in its own transaction, that the lease of
    /// `fence.partition` still carries `fence.token`. Set once; a second call is refused.
    pub fn fence_writes(&self, fence: Fence) -> StoreResult<()> {
        self.fence.set(fence).map_err(|_| StoreError::Database("the store's writes are already fenced".into()))
    }

    /// The fence set with [`Self::fence_writes`].
    pub fn fence(&self) -> Option<Fence> {
        self.fence.get().copied()
    }

    /// Begins a write transaction; with a fence, checks it first (see the module's doc).
    pub(crate) async fn write_tx(&self) -> StoreResult<Transaction<'static, Postgres>> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        if let Some(fence) = self.fence.get() {
            check_fence(&mut tx, *fence).await?;
        }
        Ok(tx)
    }
}

/// Locks the lease row for share and compares its token with `fence`'s.
async fn check_fence(tx: &mut PgConnection, fence: Fence) -> StoreResult<()> {
    let token: Option<i64> = sqlx::query_scalar(
        "SELECT token FROM cluster_leases, set_config('idle_in_transaction_session_timeout', $2, true) \
         WHERE partition = $1 FOR SHARE OF cluster_leases",
    )
    .bind(fence.partition)
    .bind(millis(IDLE_IN_WRITE).to_string())
    .fetch_optional(&mut *tx)
    .await
    .map_err(db)?;
    if token == Some(fence.token) { Ok(()) } else { Err(StoreError::Fenced { partition: fence.partition, token: fence.token }) }
}
