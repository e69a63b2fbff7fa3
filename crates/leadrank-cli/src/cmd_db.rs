//! `leadrank db status` and `leadrank db migrate`: the database's schema version against
//! this binary's, and the upgrade between them (also run by `serve` on start).

use std::path::Path;
use std::process::ExitCode;
use std::str::FromStr;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::Subcommand;
use leadrank_store::{SchemaStatus, Store, Upgrade};
use leadrank_store_postgres::{PostgresStore, StartReport, VaultMode};
use leadrank_store_sqlite::SqliteStore;

use crate::cmd_serve::DbArg;

#[derive(Subcommand)]
pub enum DbCommand {
    /// Show the database's schema version, this leadrank's, and the pending migrations.
    ///
    /// Also lists the recorded migrations. Exit status 0 when up to date, 1 when migrations
    /// are pending, 2 when this leadrank refuses the database (a newer or altered schema) or
    /// cannot read it. Creates nothing.
    Status {
        #[command(flatten)]
        db: DbArg,
    },
    /// Upgrade the database to this leadrank's schema version (`serve` does it on start).
    ///
    /// All pending migrations run in one transaction. A database made before migrations
    /// were recorded is taken as version 1; one from a newer leadrank is refused, naming
    /// both versions, and left unchanged.
    Migrate {
        #[command(flatten)]
        db: DbArg,
        /// Show what would be applied and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// Whether opening a SQLite file may create it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Create {
    IfMissing,
    Never,
}

pub(crate) fn is_postgres(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// The database as shown to an operator: the SQLite path, or PostgreSQL's host, port and
/// database name (never the user or password of the URL).
fn describe(db: &str) -> String {
    if !is_postgres(db) {
        return format!("{db} (SQLite)");
    }
    match leadrank_store_postgres::PgConnectOptions::from_str(db) {
        Ok(o) => format!("PostgreSQL at {}:{}/{}", o.get_host(), o.get_port(), o.get_database().unwrap_or("(default database)")),
        Err(_) => "PostgreSQL".to_string(),
    }
}

/// An opened database.
pub(crate) enum Opened {
    Sqlite(Arc<SqliteStore>),
    Postgres(Arc<PostgresStore>),
}

impl Opened {
    /// The store, for the service.
    pub(crate) fn store(&self) -> Arc<dyn Store> {
        match self {
            Opened::Sqlite(s) => s.clone(),
            Opened::Postgres(s) => s.clone(),
        }
    }

    /// Upgrades the schema (a newer database is refused): the upgrade, and lines saying
    /// what else changed (rows encrypted, keys destroyed; none when nothing did).
    pub(crate) async fn migrate(&self) -> anyhow::Result<(Upgrade, Vec<String>)> {
        Ok(match self {
            Opened::Sqlite(s) => (s.migrate().await.context("migrating the database")?, Vec::new()),
            Opened::Postgres(s) => {
                let report = s.migrate_and_report().await.context("migrating the database")?;
                let lines = start_report_lines(&report);
                (report.upgrade, lines)
            }
        })
    }
}

/// What the PostgreSQL start did to personal data and keys, in words (no personal data).
fn start_report_lines(report: &StartReport) -> Vec<String> {
    let mut lines = Vec::new();
    if report.sealed_total() > 0 {
        let per_table: Vec<String> = report.sealed_legacy_rows.iter().map(|(t, n)| format!("{t} {n}")).collect();
        lines.push(format!(
            "encrypted {} row(s) stored before encryption with their leads' keys ({}); their old plain text remains in \
             PostgreSQL's dead rows, write-ahead log and backups until VACUUM FULL and backup rotation (see docs/privacy.md)",
            report.sealed_total(),
            per_table.join(", ")
        ));
    }
    if report.finished_erasures > 0 {
        lines.push(format!(
            "key vault: destroyed the key(s) of {} erasure(s) interrupted after their rows were deleted",
            report.finished_erasures
        ));
    }
    if report.removed_unused_keys > 0 {
        lines.push(format!("key vault: removed {} unused key(s) of writes that never committed", report.removed_unused_keys));
    }
    lines
}

/// Why a PostgreSQL database needs `--key-vault`.
const VAULT_NEEDED: &str = "--key-vault PATH (or LEADRANK_KEY_VAULT) is required with a PostgreSQL database: leadrank \
     encrypts each lead's personal data with a key of its own, kept in that file outside PostgreSQL, so that an erasure \
     destroys the key and the copies PostgreSQL keeps (dead rows, write-ahead log, backups, replicas) can no longer be \
     read; the file is made on first use (see docs/privacy.md)";

/// Opens the store named by `--db` without changing its schema (PostgreSQL with its key
/// vault, made when `create` allows).
pub(crate) async fn open(db: &DbArg, create: Create) -> anyhow::Result<Opened> {
    let name = &db.db;
    if is_postgres(name) {
        let Some(vault) = &db.key_vault else { bail!("{VAULT_NEEDED}") };
        let options = leadrank_store_postgres::PgConnectOptions::from_str(name).context("reading the PostgreSQL URL")?;
        let mode = match create {
            Create::IfMissing => VaultMode::CreateIfMissing,
            Create::Never => VaultMode::Existing,
        };
        let store = PostgresStore::connect_with(options, 8, vault, mode).await.context("connecting to PostgreSQL")?;
        return Ok(Opened::Postgres(Arc::new(store)));
    }
    if let Some(vault) = &db.key_vault {
        eprintln!(
            "note: the key vault {} is not used: a SQLite database needs none (an erasure overwrites the deleted rows \
             in place and truncates the write-ahead log; see docs/privacy.md)",
            vault.display()
        );
    }
    let path = Path::new(name);
    let store = match create {
        Create::IfMissing => SqliteStore::open(path).await,
        Create::Never => SqliteStore::open_existing(path).await,
    };
    Ok(Opened::Sqlite(Arc::new(store.with_context(|| format!("opening SQLite database {name}"))?)))
}

/// One line per migration: "  1  initial schema".
fn migration_lines(status: &SchemaStatus) -> Vec<String> {
    status.pending.iter().map(|m| format!("  {:>4}  {}", m.version, m.description)).collect()
}

fn print_status(db: &str, opened: &Opened, status: &SchemaStatus) {
    println!("database:         {}", describe(db));
    if let Opened::Postgres(pg) = opened {
        let vault = pg.vault();
        if vault.exists() {
            println!("key vault:        {} ({} lead key(s))", vault.path().display(), vault.len());
        } else {
            println!("key vault:        {} (not made yet: `db migrate` or `serve` makes it)", vault.path().display());
        }
    }
    println!("database schema:  {}", status.database);
    println!("leadrank schema:  {}", status.binary);
    if status.applied.is_empty() {
        println!("recorded:         none");
    } else {
        println!("recorded:");
        for a in &status.applied {
            println!("  {:>4}  {}  (applied {})", a.version, a.description, a.applied_at);
        }
    }
    if let Some(reason) = &status.refusal {
        println!("refused:          {reason}");
    } else if status.pending.is_empty() {
        println!("pending:          none (up to date)");
    } else {
        println!("pending:");
        for line in migration_lines(status) {
            println!("{line}");
        }
        if status.unrecorded() {
            println!("  (the tables of version 1 exist: it creates only what is missing, then records version 1)");
        }
    }
}

/// Describes a finished upgrade in one line.
pub(crate) fn upgrade_summary(up: &Upgrade) -> String {
    let names: Vec<String> = up.applied.iter().map(|m| format!("{} {}", m.version, m.description)).collect();
    if names.is_empty() {
        format!("database schema version {}: up to date", up.to)
    } else if up.adopted && up.to == 1 {
        "database made before migrations were recorded: adopted as schema version 1".to_string()
    } else if up.adopted {
        format!(
            "database made before migrations were recorded: adopted as schema version 1 and upgraded to {} ({})",
            up.to,
            names.join(", ")
        )
    } else {
        format!("database upgraded from schema version {} to {} ({})", up.from, up.to, names.join(", "))
    }
}

/// `leadrank db ...`.
pub fn db_command(cmd: &DbCommand) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the async runtime")?;
    runtime.block_on(async {
        match cmd {
            DbCommand::Status { db } => {
                let opened = open(db, Create::Never).await?;
                let status = opened.store().schema_status().await.context("reading the schema version")?;
                print_status(&db.db, &opened, &status);
                Ok(if status.refusal.is_some() {
                    ExitCode::from(2)
                } else if status.pending.is_empty() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                })
            }
            DbCommand::Migrate { db, dry_run: true } => {
                let status = open(db, Create::Never).await?.store().schema_status().await.context("reading the schema version")?;
                status.check()?;
                if status.pending.is_empty() {
                    println!("database schema version {}: up to date, nothing to apply", status.binary);
                } else {
                    if status.unrecorded() {
                        println!(
                            "would record {} (made before migrations were recorded) as schema version 1 and bring it to {}, in one transaction:",
                            describe(&db.db),
                            status.binary
                        );
                    } else {
                        println!(
                            "would upgrade {} from schema version {} to {}, in one transaction:",
                            describe(&db.db),
                            status.database.number(),
                            status.binary
                        );
                    }
                    for line in migration_lines(&status) {
                        println!("{line}");
                    }
                    println!("(dry run: nothing changed)");
                }
                Ok(ExitCode::SUCCESS)
            }
            DbCommand::Migrate { db, dry_run: false } => {
                let (up, lines) = open(db, Create::IfMissing).await?.migrate().await?;
                println!("{}", upgrade_summary(&up));
                for line in lines {
                    println!("{line}");
                }
                Ok(ExitCode::SUCCESS)
            }
        }
    })
}
