//! `leadrank accounts` (account scores and buying committees from files) and `leadrank
//! routing` (show and check routing files).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use leadrank_accounts::{AccountInfo, AccountPolicy, AccountScore, Person, explain_account, rank_accounts, score_account};
use leadrank_core::engine::dataset::is_engagement;
use leadrank_routing::{BUILTIN_ROUTING, RoutingModel};

use crate::Inputs;
use crate::commands::{exit_code, load, load_model, parse_as_of};

/// The custom lead field read as a person's department.
const DEPARTMENT_FIELD: &str = "department";

#[derive(Clone, Copy, ValueEnum)]
pub enum AccountsFormat {
    Table,
    Json,
}

#[derive(Args)]
pub struct AccountsArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// Only accounts of this tier (e.g. abm).
    #[arg(long)]
    tier: Option<String>,
    /// Show the best N accounts (table) or all (json).
    #[arg(long, default_value_t = 20)]
    top: usize,
    /// Print one account's ledger and buying committee.
    #[arg(long)]
    explain: Option<String>,
    #[arg(long, value_enum, default_value_t = AccountsFormat::Table)]
    format: AccountsFormat,
}

/// Scores every account of the inputs: people roll up by `account_id`.
pub fn accounts(args: AccountsArgs) -> Result<ExitCode> {
    let as_of = parse_as_of(args.inputs.as_of.as_deref())?;
    let model = load_model(args.inputs.model.as_deref())?;
    let (dataset, report) = load(&args.inputs, &model)?;
    if dataset.accounts.is_empty() {
        bail!("no accounts: pass --accounts with account_id, name, tier, owner, ...");
    }
    let policy = AccountPolicy::default();
    let window = policy.engaged_within_days.max(0) * 86_400;
    let population = dataset.population(&model, as_of);
    let mut people: std::collections::BTreeMap<&str, Vec<Person>> = Default::default();
    for (idx, lead) in dataset.leads.iter().enumerate() {
        let Some(account) = lead.account_id.as_deref().filter(|a| dataset.accounts.contains_key(*a)) else { continue };
        let score = dataset.score_index(&model, idx, as_of, &population[idx]);
        let t = as_of.as_second();
        let mut last = None;
        let mut count = 0u32;
        for e in dataset.events_of(idx).iter().filter(|e| e.at <= t && is_engagement(dataset.event_type(e))) {
            last = Some(last.map_or(e.at, |l: i64| l.max(e.at)));
            if e.at >= t - window {
                count += 1;
            }
        }
        people.entry(account).or_default().push(Person {
            lead_id: lead.lead_id.clone(),
            title: lead.title.as_deref().map(str::to_string),
            department: lead.custom.iter().find(|(k, _)| k == DEPARTMENT_FIELD).map(|(_, v)| v.clone()),
            fit: score.dimensions.get("fit"),
            intent: score.dimensions.get("intent"),
            total: score.total,
            quality: score.quality,
            last_engaged: last.and_then(|s| jiff::Timestamp::from_second(s).ok()),
            engaged_events: count,
        });
    }
    let info = AccountInfo::from;
    let mut out = std::io::stdout().lock();
    if let Some(id) = &args.explain {
        let a = dataset.accounts.get(id).with_context(|| format!("account '{id}' is not in the accounts file"))?;
        let s = score_account(&info(a), people.get(id.as_str()).map_or(&[][..], Vec::as_slice), as_of, &policy);
        write!(out, "{}", explain_account(&s))?;
        return Ok(exit_code(&report));
    }
    let mut scores: Vec<AccountScore> = dataset
        .accounts
        .values()
        .filter(|a| args.tier.as_deref().is_none_or(|t| a.tier.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(t))))
        .map(|a| score_account(&info(a), people.get(a.account_id.as_str()).map_or(&[][..], Vec::as_slice), as_of, &policy))
        .collect();
    scores = rank_accounts(scores);
    match args.format {
        AccountsFormat::Json => {
            for s in &scores {
                writeln!(out, "{}", serde_json::to_string(s)?)?;
            }
        }
        AccountsFormat::Table => {
            writeln!(
                out,
                "{:<14} {:<26} {:>5} {:>4} {:>6} {:>4} {:>4}  {:>7}  missing",
                "account", "name", "total", "fit", "engage", "rec", "cov", "people"
            )?;
            for s in scores.iter().take(args.top) {
                let name: String = s.name.as_deref().unwrap_or("").chars().take(24).collect();
                let abm = if s.abm { " [ABM]" } else { "" };
                writeln!(
                    out,
                    "{:<14} {:<26} {:>5} {:>4} {:>6} {:>4} {:>4}  {:>3}/{:<3}  {}{abm}",
                    s.account_id,
                    name,
                    s.total,
                    s.fit,
                    s.engagement,
                    s.recency,
                    s.coverage_points,
                    s.engaged_people,
                    s.people,
                    s.missing.first().map_or("-", String::as_str),
                )?;
            }
            writeln!(out, "{} accounts as of {as_of}; `--explain ACCOUNT_ID` prints one ledger", scores.len())?;
        }
    }
    Ok(exit_code(&report))
}

#[derive(Subcommand)]
pub enum RoutingCommand {
    /// Print the built-in routing file (copy it to start your own).
    Show,
    /// Validate a routing file; errors name the line, column and key.
    Check { file: PathBuf },
}

/// `leadrank routing show|check`.
pub fn routing(cmd: RoutingCommand) -> Result<ExitCode> {
    match cmd {
        RoutingCommand::Show => print!("{BUILTIN_ROUTING}"),
        RoutingCommand::Check { file } => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let r = RoutingModel::from_toml(&text, &file.display().to_string()).map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "{}: ok: routing {}@{} with {} rules and {} SLA policies; fallback queue '{}'",
                file.display(),
                r.name,
                r.version,
                r.rules.len(),
                r.slas.len(),
                r.fallback_queue
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
