//! `leadrank sync hubspot` and `leadrank sync salesforce`: one two-way sync run against the
//! CRM (see docs/crm-sync.md).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use leadrank_crm::config::SyncConfig;
use leadrank_service::Service;
use leadrank_service::clock::SystemClock;
use leadrank_service::metrics::Metrics;
use leadrank_sync::hubspot::{Plan, SyncOptions, SyncReport};
use leadrank_sync::schedule::{hubspot_client, salesforce_client};
use leadrank_sync::{salesforce, sync};

use crate::cmd_serve::{DbArg, open_store, runtime};

#[derive(Subcommand)]
pub enum SyncCommand {
    /// Read changed HubSpot contacts and companies into leadrank and write scores back.
    Hubspot(SyncArgs),
    /// Read changed Salesforce leads, contacts and accounts into leadrank and write scores back.
    Salesforce(SalesforceArgs),
}

#[derive(Args)]
pub struct SalesforceArgs {
    #[command(flatten)]
    sync: SyncArgs,
    /// With --install-fields: also write the custom field definitions to this file.
    #[arg(long, value_name = "FILE")]
    fields_file: Option<PathBuf>,
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
    /// HubSpot: create the property group and leadrank's properties where missing.
    /// Salesforce: describe leadrank's custom fields for an admin and say which are missing.
    #[arg(long)]
    install_fields: bool,
}

fn finish(report: SyncReport) -> ExitCode {
    print!("{}", report.render());
    if report.stopped.is_some() || !report.failed.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

pub fn sync_command(cmd: SyncCommand) -> anyhow::Result<ExitCode> {
    let args = match cmd {
        SyncCommand::Hubspot(a) => a,
        SyncCommand::Salesforce(a) => return salesforce_command(a),
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
        Ok(finish(result?))
    })
}

fn salesforce_command(a: SalesforceArgs) -> anyhow::Result<ExitCode> {
    let args = a.sync;
    if a.fields_file.is_some() && !args.install_fields {
        bail!("--fields-file goes with --install-fields");
    }
    let text = std::fs::read_to_string(&args.config).with_context(|| format!("reading {}", args.config.display()))?;
    let cfg = SyncConfig::parse(&text, &args.config.display().to_string()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let dir = args.config.parent().map(PathBuf::from).unwrap_or_default();
    let plan = salesforce::Plan::new(&cfg, &dir)?;
    let client = salesforce_client(&plan, &dir)?;
    runtime()?.block_on(async {
        let store = open_store(&args.db).await?;
        let service = Service::start(store, Arc::new(SystemClock), Arc::new(Metrics::new())).await?;
        let opts = SyncOptions { dry_run: args.dry_run, install_fields: args.install_fields, actor: "cli:sync".into() };
        let result = salesforce::sync(&service, &plan, &client, &opts).await;
        service.shutdown().await;
        let report = result?;
        if let Some(path) = &a.fields_file {
            std::fs::write(path, &report.field_specs).with_context(|| format!("writing {}", path.display()))?;
        }
        Ok(finish(report))
    })
}
