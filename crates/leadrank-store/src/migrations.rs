//! Numbered schema migrations, written once for every back end.
//!
//! Each back end embeds its own `migrations/NNNN_name.sql` files as a list of [`Migration`]s
//! (version 1 is the schema the service had before migrations were recorded) and keeps the
//! applied ones in a `schema_migrations` table (version, description, checksum of the SQL,
//! time applied). A back end reads what the database holds into a [`Found`]; [`status`] turns
//! that into what an operator sees ([`SchemaStatus`]: the database's version, the binary's,
//! what is pending) and [`SchemaStatus::check`] refuses a database this binary must not touch:
//! one from a newer binary, one whose applied migrations differ from the embedded ones, or
//! one whose unrecorded `schema_version` setting is not one this code ever wrote.
//!
//! Why not sqlx's migrator: the whole upgrade (adopting an unrecorded database, then every
//! pending migration) must be one transaction, a newer database must be refused with both
//! versions named, and `leadrank db status` / `db migrate --dry-run` need the plan without
//! running it; sqlx's migrator runs one transaction per migration and reports a newer
//! database only as a missing version.

use jiff::Timestamp;
use sha2::{Digest, Sha256};

use crate::{StoreError, StoreResult};

/// The table that records applied migrations.
pub const MIGRATIONS_TABLE: &str = "schema_migrations";

/// The setting that databases made before migrations were recorded carry ("1" or "2").
pub const LEGACY_VERSION_SETTING: &str = "schema_version";

/// `schema_version` values written by the code before migrations were recorded: "1" (the
/// first service schema) and "2" (with the operating state, log and directory tables).
/// Migration 1 creates every table with `IF NOT EXISTS`, so running it completes either.
const LEGACY_STAMPS: &[&str] = &["1", "2"];

/// One numbered schema change: SQL statements run in the upgrade's transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migration {
    /// 1, 2, 3, ... without gaps.
    pub version: i64,
    /// A few words, e.g. "initial schema".
    pub description: &'static str,
    /// The statements, separated by semicolons.
    pub sql: &'static str,
}

impl Migration {
    /// Hex SHA-256 of the SQL text: an applied migration must still read the same.
    pub fn checksum(&self) -> String {
        Sha256::digest(self.sql.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// The version a list of migrations brings a database to (its last version).
pub fn latest(migrations: &[Migration]) -> i64 {
    migrations.iter().map(|m| m.version).max().unwrap_or(0)
}

/// Checks that a list is numbered 1, 2, 3, ... (a build error otherwise, caught by tests).
pub fn check_numbering(migrations: &[Migration]) -> Result<(), String> {
    for (i, m) in migrations.iter().enumerate() {
        let expected = i as i64 + 1;
        if m.version != expected {
            return Err(format!("migration at position {} has version {}, expected {expected}", i + 1, m.version));
        }
    }
    Ok(())
}

/// A row of `schema_migrations`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedMigration {
    pub version: i64,
    pub description: String,
    pub checksum: String,
    pub applied_at: Timestamp,
}

/// What a back end found in the database, before any change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// None of the service's tables: a new database.
    Empty,
    /// The service's tables without a `schema_migrations` table: made before migrations were
    /// recorded; `stamp` is its `schema_version` setting.
    Unrecorded { stamp: Option<String> },
    /// The rows of `schema_migrations`, by version.
    Recorded(Vec<AppliedMigration>),
}

/// The database's schema version as an operator sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseVersion {
    /// A new database (version 0).
    Empty,
    /// Made before migrations were recorded; version 1 once adopted.
    Unrecorded { stamp: Option<String> },
    /// The highest recorded version.
    Recorded(i64),
}

impl DatabaseVersion {
    /// The number: 0 for an empty database, 1 for one made before migrations were recorded.
    pub fn number(&self) -> i64 {
        match self {
            DatabaseVersion::Empty => 0,
            DatabaseVersion::Unrecorded { .. } => 1,
            DatabaseVersion::Recorded(v) => *v,
        }
    }
}

impl std::fmt::Display for DatabaseVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DatabaseVersion::Empty => f.write_str("0 (empty database)"),
            DatabaseVersion::Unrecorded { stamp: Some(s) } => {
                write!(f, "1 (made before migrations were recorded; setting {LEGACY_VERSION_SETTING} = {s})")
            }
            DatabaseVersion::Unrecorded { stamp: None } => {
                write!(f, "unknown (tables without a {MIGRATIONS_TABLE} table or a {LEGACY_VERSION_SETTING} setting)")
            }
            DatabaseVersion::Recorded(v) => write!(f, "{v}"),
        }
    }
}

/// Where a database stands against this binary's migrations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaStatus {
    pub database: DatabaseVersion,
    /// The version this binary brings a database to.
    pub binary: i64,
    /// The recorded migrations (empty for an empty or unrecorded database).
    pub applied: Vec<AppliedMigration>,
    /// Migrations an upgrade would run, in order. For an unrecorded database migration 1 is
    /// among them: its statements only create what is missing, then it is recorded.
    pub pending: Vec<Migration>,
    /// Why this binary refuses the database, if it does.
    pub refusal: Option<String>,
}

impl SchemaStatus {
    /// `Ok` when the database can be used or upgraded; [`StoreError::Schema`] naming both
    /// versions otherwise.
    pub fn check(&self) -> StoreResult<()> {
        match &self.refusal {
            None => Ok(()),
            Some(reason) => Err(StoreError::Schema { database: self.database.to_string(), binary: self.binary, reason: reason.clone() }),
        }
    }

    /// Whether the database is made before migrations were recorded (an upgrade records it).
    pub fn unrecorded(&self) -> bool {
        matches!(self.database, DatabaseVersion::Unrecorded { .. })
    }

    /// Whether an upgrade has nothing to do.
    pub fn up_to_date(&self) -> bool {
        self.refusal.is_none() && self.pending.is_empty()
    }
}

/// What an upgrade did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upgrade {
    /// The version before (0 for a new database, 1 for an unrecorded one).
    pub from: i64,
    /// The version after.
    pub to: i64,
    /// The migrations run, in order.
    pub applied: Vec<Migration>,
    /// Whether a database made before migrations were recorded was adopted.
    pub adopted: bool,
}

/// Where a database stands against `migrations` (numbered 1, 2, 3, ...).
pub fn status(found: Found, migrations: &[Migration]) -> SchemaStatus {
    let binary = latest(migrations);
    match found {
        Found::Empty => {
            SchemaStatus { database: DatabaseVersion::Empty, binary, applied: Vec::new(), pending: migrations.to_vec(), refusal: None }
        }
        Found::Unrecorded { stamp } => {
            let refusal = match stamp.as_deref() {
                Some(s) if LEGACY_STAMPS.contains(&s) => None,
                Some(s) => Some(format!("its {LEGACY_VERSION_SETTING} setting {s:?} was never written by leadrank")),
                None => Some(format!("it has tables but neither a {MIGRATIONS_TABLE} table nor a {LEGACY_VERSION_SETTING} setting")),
            };
            SchemaStatus {
                database: DatabaseVersion::Unrecorded { stamp },
                binary,
                applied: Vec::new(),
                pending: migrations.to_vec(),
                refusal,
            }
        }
        Found::Recorded(applied) => {
            let database = applied.iter().map(|a| a.version).max().unwrap_or(0);
            let mut refusal = None;
            if database > binary {
                refusal = Some(
                    "it was upgraded by a newer leadrank; run that version or newer, or restore a backup taken before the upgrade"
                        .to_string(),
                );
            } else {
                for a in &applied {
                    match migrations.iter().find(|m| m.version == a.version) {
                        None => {
                            refusal =
                                Some(format!("it records migration {} ({}), which this leadrank does not have", a.version, a.description));
                            break;
                        }
                        Some(m) if m.checksum() != a.checksum => {
                            refusal = Some(format!(
                                "its migration {} ({}) differs from this leadrank's (checksum {} recorded, {} here)",
                                a.version,
                                a.description,
                                short(&a.checksum),
                                short(&m.checksum())
                            ));
                            break;
                        }
                        Some(_) => {}
                    }
                }
                if refusal.is_none() {
                    let missing: Vec<i64> = migrations
                        .iter()
                        .filter(|m| m.version < database && !applied.iter().any(|a| a.version == m.version))
                        .map(|m| m.version)
                        .collect();
                    if !missing.is_empty() {
                        refusal = Some(format!("migrations {missing:?} are not recorded although later ones are"));
                    }
                }
            }
            let pending =
                if refusal.is_some() { Vec::new() } else { migrations.iter().filter(|m| m.version > database).copied().collect() };
            SchemaStatus { database: DatabaseVersion::Recorded(database), binary, applied, pending, refusal }
        }
    }
}

fn short(checksum: &str) -> &str {
    checksum.get(..12).unwrap_or(checksum)
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: &[Migration] = &[
        Migration { version: 1, description: "initial schema", sql: "CREATE TABLE a (x INTEGER)" },
        Migration { version: 2, description: "b", sql: "CREATE TABLE b (y INTEGER)" },
    ];

    fn applied(m: &Migration) -> AppliedMigration {
        AppliedMigration {
            version: m.version,
            description: m.description.into(),
            checksum: m.checksum(),
            applied_at: Timestamp::from_second(1_700_000_000).unwrap(),
        }
    }

    #[test]
    fn empty_database_runs_everything() {
        let s = status(Found::Empty, M);
        assert_eq!((s.database.number(), s.binary, s.pending.len()), (0, 2, 2));
        s.check().unwrap();
    }

    #[test]
    fn unrecorded_database_is_version_one_and_adopted() {
        for stamp in ["1", "2"] {
            let s = status(Found::Unrecorded { stamp: Some(stamp.into()) }, M);
            assert_eq!(s.database.number(), 1);
            assert!(s.unrecorded());
            assert_eq!(s.pending.iter().map(|m| m.version).collect::<Vec<_>>(), vec![1, 2]);
            s.check().unwrap();
        }
        let odd = status(Found::Unrecorded { stamp: Some("7".into()) }, M);
        let err = odd.check().unwrap_err().to_string();
        assert!(err.contains("\"7\"") && err.contains("schema version 2"), "{err}");
    }

    #[test]
    fn older_database_gets_the_rest() {
        let s = status(Found::Recorded(vec![applied(&M[0])]), M);
        assert_eq!(s.database, DatabaseVersion::Recorded(1));
        assert_eq!(s.pending, vec![M[1]]);
        assert!(!s.up_to_date());
        let s = status(Found::Recorded(vec![applied(&M[0]), applied(&M[1])]), M);
        assert!(s.up_to_date());
    }

    #[test]
    fn newer_database_is_refused_naming_both_versions() {
        let s = status(Found::Recorded(vec![applied(&M[0]), applied(&M[1])]), &M[..1]);
        let err = s.check().unwrap_err().to_string();
        assert!(err.contains("database schema version 2") && err.contains("schema version 1"), "{err}");
        assert!(s.pending.is_empty());
    }

    #[test]
    fn altered_or_unknown_migration_is_refused() {
        let mut changed = applied(&M[0]);
        changed.checksum = "00".repeat(32);
        let err = status(Found::Recorded(vec![changed]), M).check().unwrap_err().to_string();
        assert!(err.contains("differs"), "{err}");
        let gap = status(Found::Recorded(vec![applied(&M[1])]), M).check().unwrap_err().to_string();
        assert!(gap.contains("not recorded"), "{gap}");
    }

    #[test]
    fn numbering_is_checked() {
        check_numbering(M).unwrap();
        assert!(check_numbering(&M[1..]).is_err());
    }
}
