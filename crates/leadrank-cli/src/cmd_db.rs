//! `leadrank db status` and `leadrank db migrate`: the database's schema version against
//! this binary's, and the upgrade between them (also run by `serve` on start).

use std::path::Path;
use std::process::ExitCode;
use std::str::FromStr;
use std::sync::Arc;

use anyhow::Context;
use clap::Subcommand;
use leadrank_store::{SchemaStatus, Store, Upgrade};

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

fn is_postgres(db: &str) -> bool {
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

/// Opens the store named by `--db` without changing its schema.
pub(crate) async fn open(db: &str, create: Create) -> anyhow::Result<Arc<dyn Store>> {
    Ok(if is_postgres(db) {
        Arc::new(leadrank_store_postgres::PostgresStore::connect(db).await.context("connecting to PostgreSQL")?)
    } else {
        let path = Path::new(db);
        let store = match create {
            Create::IfMissing => leadrank_store_sqlite::SqliteStore::open(path).await,
            Create::Never => leadrank_store_sqlite::SqliteStore::open_existing(path).await,
        };
        Arc::new(store.with_context(|| format!("opening SQLite database {db}"))?)
    })
}

/// One line per migration: "  1  initial schema".
fn migration_lines(status: &SchemaStatus) -> Vec<String> {
    status.pending.iter().map(|m| format!("  {:>4}  {}", m.version, m.description)).collect()
}

fn print_status(db: &str, status: &SchemaStatus) {
    println!("database:         {}", describe(db));
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
                let store = open(&db.db, Create::Never).await?;
                let status = store.schema_status().await.context("reading the schema version")?;
                print_status(&db.db, &status);
                Ok(if status.refusal.is_some() {
                    ExitCode::from(2)
                } else if status.pending.is_empty() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                })
            }
            DbCommand::Migrate { db, dry_run: true } => {
                let store = open(&db.db, Create::Never).await?;
                let status = store.schema_status().await.context("reading the schema version")?;
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
                let store = open(&db.db, Create::IfMissing).await?;
                let up = store.migrate().await.context("migrating the database")?;
                println!("{}", upgrade_summary(&up));
                Ok(ExitCode::SUCCESS)
            }
        }
    })
}
