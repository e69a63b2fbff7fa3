//! `leadrank sync hubspot`: one two-way sync run against HubSpot (see docs/crm-sync.md).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use leadrank_crm::config::SyncConfig;
use leadrank_service::Service;
use leadrank_service::clock::SystemClock;
use leadrank_service::metrics::Metrics;
use leadrank_sync::hubspot::{Plan, SyncOptions};
use leadrank_sync::schedule::hubspot_client;
use leadrank_sync::sync;

use crate::cmd_serve::{DbArg, open_store, runtime};

#[derive(Subcommand)]
pub enum SyncCommand {
    /// Read changed HubSpot contacts and companies into leadrank and write scores back.
    Hubspot(SyncArgs),
    /// Salesforce (not available in this version).
    Salesforce(SyncArgs),
}

#[derive(Args)]
pub struct SyncArgs {
    /// The sync file (TOML): connection, objects, mappings, write-back rules.
    #[arg(long, value_name = "FILE")]
    config: PathBuf,
    #[command(flatten)]
    db: DbArg,
    /// Read and plan, print every record and field that would change and the API calls it
    /// would spend; change nothing in leadrank or the CRM.
    #[arg(long)]
    dry_run: bool,
    /// Create the property group and leadrank's properties in the CRM where missing.
    #[arg(long)]
    install_fields: bool,
}

pub fn sync_command(cmd: SyncCommand) -> anyhow::Result<ExitCode> {
    let args = match cmd {
        SyncCommand::Hubspot(a) => a,
        SyncCommand::Salesforce(_) => bail!("the Salesforce connector is not available in this version; `leadrank sync hubspot` is"),
    };
    let text = std::fs::read_to_string(&args.config).with_context(|| format!("reading {}", args.config.display()))?;
    let cfg = SyncConfig::parse(&text, &args.config.display().to_string()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let dir = args.config.parent().map(PathBuf::from).unwrap_or_default();
    let plan = Plan::new(&cfg, &dir)?;
    let client = hubspot_client(&plan.hubspot, &dir)?;
    runtime()?.block_on(async {
        let store = open_store(&args.db).await?;
        let service = Service::start(store, Arc::new(SystemClock), Arc::new(Metrics::new())).await?;
        let opts = SyncOptions { dry_run: args.dry_run, install_fields: args.install_fields, actor: "cli:sync".into() };
        let result = sync(&service, &plan, &client, &opts).await;
        service.shutdown().await;
        let report = result?;
        print!("{}", report.render());
        Ok(if report.stopped.is_some() || !report.failed.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
    })
}
