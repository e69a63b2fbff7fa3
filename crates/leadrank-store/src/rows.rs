//! Rows to records and back, written once for every back end.
//!
//! A back end reads a result row through the small [`Row`] trait (a few lines per
//! database, decoding each column the way that database stores it); the mappers here turn
//! such a row into a record. The helpers convert the values both ways: timestamps are
//! stored as microseconds since the Unix epoch, records as their JSON text, scopes as a
//! comma-separated list. The column lists name the columns the mappers read, in the order
//! the back ends write them.
//!
//! Nothing here knows a database: the SQL statements stay in the back ends.

use jiff::Timestamp;

use crate::migrations::AppliedMigration;
use crate::{
    ApiKey, AuditEntry, DealRow, Delivery, DeliveryState, DirectoryEntry, LeadOps, OpsLogEntry, Scope, StoreError, StoreResult,
    StoredModel, StoredScore, StoredScoreBody, Subscription,
};

/// One result row, read column by column by name.
///
/// Each method reports a missing column or a value that does not decode as
/// [`StoreError::Corrupt`] naming `table` and the column (`"column {col}: {error}"`).
pub trait Row {
    /// A `TEXT` column.
    fn text(&self, table: &'static str, col: &str) -> StoreResult<String>;
    /// A nullable `TEXT` column.
    fn opt_text(&self, table: &'static str, col: &str) -> StoreResult<Option<String>>;
    /// A 64-bit integer column (ids, timestamps, counters).
    fn int(&self, table: &'static str, col: &str) -> StoreResult<i64>;
    /// A nullable 64-bit integer column.
    fn opt_int(&self, table: &'static str, col: &str) -> StoreResult<Option<i64>>;
    /// A 32-bit integer column (a score's total).
    fn int32(&self, table: &'static str, col: &str) -> StoreResult<i32>;
    /// A boolean column (however the database stores it).
    fn boolean(&self, table: &'static str, col: &str) -> StoreResult<bool>;
}

impl<R: Row + ?Sized> Row for &R {
    fn text(&self, table: &'static str, col: &str) -> StoreResult<String> {
        (**self).text(table, col)
    }
    fn opt_text(&self, table: &'static str, col: &str) -> StoreResult<Option<String>> {
        (**self).opt_text(table, col)
    }
    fn int(&self, table: &'static str, col: &str) -> StoreResult<i64> {
        (**self).int(table, col)
    }
    fn opt_int(&self, table: &'static str, col: &str) -> StoreResult<Option<i64>> {
        (**self).opt_int(table, col)
    }
    fn int32(&self, table: &'static str, col: &str) -> StoreResult<i32> {
        (**self).int32(table, col)
    }
    fn boolean(&self, table: &'static str, col: &str) -> StoreResult<bool> {
        (**self).boolean(table, col)
    }
}

// ---- values ------------------------------------------------------------------------------

/// A timestamp as stored: microseconds since the Unix epoch.
pub fn micros(t: Timestamp) -> i64 {
    t.as_microsecond()
}

/// A stored timestamp (microseconds since the Unix epoch) read back from `table`.
pub fn ts(table: &'static str, v: i64) -> StoreResult<Timestamp> {
    Timestamp::from_microsecond(v).map_err(|e| StoreError::Corrupt { table, detail: format!("timestamp out of range: {e}") })
}

/// A nullable stored timestamp read back from `table`.
pub fn opt_ts(table: &'static str, v: Option<i64>) -> StoreResult<Option<Timestamp>> {
    v.map(|v| ts(table, v)).transpose()
}

/// The JSON text a record is stored as.
pub fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("records serialise to JSON")
}

/// A record read back from its stored JSON text in `table`.
pub fn from_json<T: serde::de::DeserializeOwned>(table: &'static str, s: &str) -> StoreResult<T> {
    serde_json::from_str(s)
        .map_err(|e| StoreError::Corrupt { table, detail: format!("bad JSON at line {} column {}", e.line(), e.column()) })
}

/// API key scopes as stored: their names, comma-separated.
pub fn scopes_text(scopes: &[Scope]) -> String {
    scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(",")
}

// ---- rows --------------------------------------------------------------------------------

/// The records stored as JSON in the `data` column of `table` (leads, accounts, events,
/// consent records), one per row.
pub fn json_rows<R: Row, T: serde::de::DeserializeOwned>(rows: impl IntoIterator<Item = R>, table: &'static str) -> StoreResult<Vec<T>> {
    rows.into_iter().map(|r| from_json(table, &r.text(table, "data")?)).collect()
}

/// The columns of `scores` and `score_history` that [`score_row`] reads.
pub const SCORE_COLS: &str = "lead_id, as_of, model_id, total, quality, grade, cell, body, cause";

/// A score from a row of `table` (`scores` or `score_history`) with [`SCORE_COLS`]; a body
/// that does not decode is [`StoreError::Corrupt`] naming the table and the lead.
pub fn score_row<R: Row>(row: R, table: &'static str) -> StoreResult<StoredScore> {
    let lead_id = row.text(table, "lead_id")?;
    let body = StoredScoreBody::decode(table, &lead_id, &row.text(table, "body")?)?;
    Ok(StoredScore {
        lead_id,
        as_of: ts(table, row.int(table, "as_of")?)?,
        model_id: row.int(table, "model_id")?,
        total: row.int32(table, "total")?,
        quality: row.boolean(table, "quality")?,
        grade: row.text(table, "grade")?,
        cell: row.text(table, "cell")?,
        body,
        cause: row.text(table, "cause")?,
    })
}

/// A model version from a row of `models` (`id, name, version, source, created_at,
/// active`).
pub fn model_row<R: Row>(row: R) -> StoreResult<StoredModel> {
    const T: &str = "models";
    Ok(StoredModel {
        id: row.int(T, "id")?,
        name: row.text(T, "name")?,
        version: row.text(T, "version")?,
        source: row.text(T, "source")?,
        created_at: ts(T, row.int(T, "created_at")?)?,
        active: row.boolean(T, "active")?,
    })
}

/// An API key from a row of `api_keys` (`id, secret_hash, name, scopes, created_at,
/// revoked_at`); the scopes as written by [`scopes_text`].
pub fn key_row<R: Row>(row: R) -> StoreResult<ApiKey> {
    const T: &str = "api_keys";
    let scopes = row.text(T, "scopes")?;
    let scopes = scopes
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| Scope::parse(s).ok_or_else(|| StoreError::Corrupt { table: T, detail: format!("unknown scope {s:?}") }))
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(ApiKey {
        id: row.text(T, "id")?,
        secret_hash: row.text(T, "secret_hash")?,
        name: row.text(T, "name")?,
        scopes,
        created_at: ts(T, row.int(T, "created_at")?)?,
        revoked_at: opt_ts(T, row.opt_int(T, "revoked_at")?)?,
    })
}

/// A webhook subscription from a row of `subscriptions` (`id, url, secret, events,
/// created_at`); the event types as a JSON array.
pub fn subscription_row<R: Row>(row: R) -> StoreResult<Subscription> {
    const T: &str = "subscriptions";
    let events = row.text(T, "events")?;
    Ok(Subscription {
        id: row.text(T, "id")?,
        url: row.text(T, "url")?,
        secret: row.text(T, "secret")?,
        events: from_json(T, &events)?,
        created_at: ts(T, row.int(T, "created_at")?)?,
    })
}

/// The columns of `deliveries` that [`delivery_row`] reads.
pub const DELIVERY_COLS: &str = "id, subscription_id, event_type, lead_id, body, created_at, next_attempt_at, attempts, state, last_attempt_at, last_status, last_error";

/// A webhook delivery from a row of `deliveries` with [`DELIVERY_COLS`].
pub fn delivery_row<R: Row>(row: R) -> StoreResult<Delivery> {
    const T: &str = "deliveries";
    let state = row.text(T, "state")?;
    let attempts = row.int(T, "attempts")?;
    let last_status = row.opt_int(T, "last_status")?;
    let corrupt = |detail: String| StoreError::Corrupt { table: T, detail };
    Ok(Delivery {
        id: row.text(T, "id")?,
        subscription_id: row.text(T, "subscription_id")?,
        event_type: row.text(T, "event_type")?,
        lead_id: row.opt_text(T, "lead_id")?,
        body: row.text(T, "body")?,
        created_at: ts(T, row.int(T, "created_at")?)?,
        next_attempt_at: ts(T, row.int(T, "next_attempt_at")?)?,
        attempts: u32::try_from(attempts).map_err(|_| corrupt(format!("attempts {attempts}")))?,
        state: DeliveryState::parse(&state).ok_or_else(|| corrupt(format!("unknown state {state:?}")))?,
        last_attempt_at: opt_ts(T, row.opt_int(T, "last_attempt_at")?)?,
        last_status: last_status.map(|s| u16::try_from(s).map_err(|_| corrupt(format!("status {s}")))).transpose()?,
        last_error: row.opt_text(T, "last_error")?,
    })
}

/// An audit entry from a row of `audit` (`at, actor, action, detail`).
pub fn audit_row<R: Row>(row: R) -> StoreResult<AuditEntry> {
    const T: &str = "audit";
    Ok(AuditEntry {
        at: ts(T, row.int(T, "at")?)?,
        actor: row.text(T, "actor")?,
        action: row.text(T, "action")?,
        detail: row.text(T, "detail")?,
    })
}

/// A lead's operating state from a row of `lead_ops` (`lead_id, body, updated_at`).
pub fn ops_row<R: Row>(row: R) -> StoreResult<LeadOps> {
    const T: &str = "lead_ops";
    Ok(LeadOps { lead_id: row.text(T, "lead_id")?, body: row.text(T, "body")?, updated_at: ts(T, row.int(T, "updated_at")?)? })
}

/// The columns of `deals` that [`deal_row`] reads.
pub const DEAL_COLS: &str = "deal_id, lead_id, account_id, body, updated_at";

/// A deal from a row of `deals` with [`DEAL_COLS`].
pub fn deal_row<R: Row>(row: R) -> StoreResult<DealRow> {
    const T: &str = "deals";
    Ok(DealRow {
        deal_id: row.text(T, "deal_id")?,
        lead_id: row.opt_text(T, "lead_id")?,
        account_id: row.opt_text(T, "account_id")?,
        body: row.text(T, "body")?,
        updated_at: ts(T, row.int(T, "updated_at")?)?,
    })
}

/// The columns of `ops_log` that [`ops_log_row`] reads.
pub const OPS_LOG_COLS: &str = "id, lead_id, kind, at, body";

/// An operating-log entry from a row of `ops_log` with [`OPS_LOG_COLS`].
pub fn ops_log_row<R: Row>(row: R) -> StoreResult<OpsLogEntry> {
    const T: &str = "ops_log";
    Ok(OpsLogEntry {
        id: row.int(T, "id")?,
        lead_id: row.text(T, "lead_id")?,
        kind: row.text(T, "kind")?,
        at: ts(T, row.int(T, "at")?)?,
        body: row.text(T, "body")?,
    })
}

/// A sales-directory entry from a row of `directory` (`kind, id, body, updated_at`).
pub fn directory_row<R: Row>(row: R) -> StoreResult<DirectoryEntry> {
    const T: &str = "directory";
    Ok(DirectoryEntry {
        kind: row.text(T, "kind")?,
        id: row.text(T, "id")?,
        body: row.text(T, "body")?,
        updated_at: ts(T, row.int(T, "updated_at")?)?,
    })
}

/// The columns of `schema_migrations` that [`migration_row`] reads.
pub const MIGRATION_COLS: &str = "version, description, checksum, applied_at";

/// An applied migration from a row of `schema_migrations` with [`MIGRATION_COLS`].
pub fn migration_row<R: Row>(row: R) -> StoreResult<AppliedMigration> {
    const T: &str = "schema_migrations";
    Ok(AppliedMigration {
        version: row.int(T, "version")?,
        description: row.text(T, "description")?,
        checksum: row.text(T, "checksum")?,
        applied_at: ts(T, row.int(T, "applied_at")?)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row of text columns; a missing column reads as a decoding error.
    struct Fake(Vec<(&'static str, &'static str)>);

    impl Fake {
        fn get(&self, table: &'static str, col: &str) -> StoreResult<Option<&'static str>> {
            match self.0.iter().find(|(c, _)| *c == col) {
                Some((_, "NULL")) => Ok(None),
                Some((_, v)) => Ok(Some(v)),
                None => Err(StoreError::Corrupt { table, detail: format!("column {col}: no such column") }),
            }
        }
        fn num(&self, table: &'static str, col: &str) -> StoreResult<Option<i64>> {
            self.get(table, col)?
                .map(|v| v.parse().map_err(|e| StoreError::Corrupt { table, detail: format!("column {col}: {e}") }))
                .transpose()
        }
    }

    impl Row for Fake {
        fn text(&self, table: &'static str, col: &str) -> StoreResult<String> {
            Ok(self.get(table, col)?.unwrap_or_default().to_string())
        }
        fn opt_text(&self, table: &'static str, col: &str) -> StoreResult<Option<String>> {
            Ok(self.get(table, col)?.map(str::to_string))
        }
        fn int(&self, table: &'static str, col: &str) -> StoreResult<i64> {
            Ok(self.num(table, col)?.unwrap_or_default())
        }
        fn opt_int(&self, table: &'static str, col: &str) -> StoreResult<Option<i64>> {
            self.num(table, col)
        }
        fn int32(&self, table: &'static str, col: &str) -> StoreResult<i32> {
            Ok(self.int(table, col)? as i32)
        }
        fn boolean(&self, table: &'static str, col: &str) -> StoreResult<bool> {
            Ok(self.int(table, col)? != 0)
        }
    }

    const KEY: &[(&str, &str)] =
        &[("id", "k1"), ("secret_hash", "h"), ("name", "ops"), ("scopes", ""), ("created_at", "1700000000000000"), ("revoked_at", "NULL")];

    #[test]
    fn scopes_round_trip_and_unknown_scope_is_corrupt() {
        let mut row = Fake(KEY.to_vec());
        let key = key_row(&row).unwrap();
        assert!(key.scopes.is_empty());
        assert_eq!(key.revoked_at, None);
        assert_eq!(micros(key.created_at), 1_700_000_000_000_000);
        row.0[3] = ("scopes", "nope");
        let err = key_row(row).unwrap_err().to_string();
        assert_eq!(err, "corrupt stored value in api_keys: unknown scope \"nope\"");
    }

    #[test]
    fn missing_column_names_table_and_column() {
        let err = ops_row(Fake(vec![("lead_id", "l1")])).unwrap_err().to_string();
        assert_eq!(err, "corrupt stored value in lead_ops: column body: no such column");
    }
}
