//! `leadrank`: score leads from files, explain a score, manage model files, generate demo data.
//!
//! Exit status: 0 when everything was read, 1 when some rows were rejected (they are listed on
//! stderr and the good rows are still processed), 2 for usage, model or file errors.

mod cmd_db;
mod cmd_hygiene;
mod cmd_inspect;
mod cmd_ops;
mod cmd_quality;
mod cmd_serve;
mod cmd_sync;
mod cmd_users;
mod commands;
mod input_args;
mod term;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
pub(crate) use input_args::{InputArgs, InputFormatArg};

/// mimalloc: smaller per-allocation overhead than the system allocator for the millions of
/// short strings a large leads file holds, and faster from many threads.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "leadrank", version, about = "Decide which B2B leads deserve a salesperson now, and explain why.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Score every lead and write one score per lead.
    Score(ScoreArgs),
    /// Print one lead's score as a ledger: rules, evidence, caps and what is missing.
    Explain(ExplainArgs),
    /// Show, check or describe model files.
    #[command(subcommand)]
    Model(ModelCommand),
    /// Mapping files: how a CRM export's columns become leadrank's fields (built-in ones for
    /// HubSpot and Salesforce exports).
    #[command(subcommand)]
    Mapping(cmd_inspect::MappingCommand),
    /// Look at an input file before scoring: columns, guessed types, sample values, what a
    /// mapping reads and which rows would be rejected, and why.
    Inspect(cmd_inspect::InspectArgs),
    /// Write realistic, deterministic synthetic leads, events, accounts and outcomes.
    Generate(GenerateArgs),
    /// Generate demo data (if missing), score it and explain the best lead.
    Demo(DemoArgs),
    /// Measure lead quality against revenue and compare with published benchmarks.
    Report(cmd_quality::ReportArgs),
    /// Check the model against won and lost deals and propose calibrated points.
    Calibrate(cmd_quality::CalibrateArgs),
    /// Learn a readable points model from any labelled table.
    Learn(cmd_quality::LearnArgs),
    /// Replay history under two models and compare them.
    Backtest(cmd_quality::BacktestArgs),
    /// Find fuzzy duplicate people, cluster them and write merged leads and a merge map.
    Dedupe(cmd_hygiene::DedupeArgs),
    /// Data-quality report: missing, invalid and suspicious values, decay, consent,
    /// duplicates, bot risk and what it costs in the Integrity dimension.
    Hygiene(cmd_hygiene::HygieneArgs),
    /// Link leads without an account_id to accounts by email domain, website or company name.
    MatchAccounts(cmd_hygiene::MatchAccountsArgs),
    /// Account scores and buying-committee coverage: people roll up by account_id.
    Accounts(cmd_ops::AccountsArgs),
    /// Show or check routing files (who gets a lead, SLAs).
    #[command(subcommand)]
    Routing(cmd_ops::RoutingCommand),
    /// Run the HTTP service: real-time scores, webhooks, API keys (SQLite or PostgreSQL).
    Serve(cmd_serve::ServeArgs),
    /// Create, list and revoke API keys of the service.
    #[command(subcommand)]
    Keys(cmd_serve::KeysCommand),
    /// The people who sign in to the web app: create, list, disable, enable, reset passwords.
    #[command(subcommand)]
    Users(cmd_users::UsersCommand),
    /// The service's database: schema version and pending migrations, and the upgrade.
    #[command(subcommand)]
    Db(cmd_db::DbCommand),
    /// Two-way sync with a CRM: read changed records in, write scores back.
    #[command(subcommand)]
    Sync(cmd_sync::SyncCommand),
}

#[derive(Args)]
struct DemoArgs {
    /// Number of leads to generate.
    #[arg(long, default_value_t = 2000)]
    leads: usize,
    /// Directory for the demo files.
    #[arg(long, default_value = "demo")]
    dir: PathBuf,
    /// How many of the best leads to show.
    #[arg(long, default_value_t = 15)]
    top: usize,
}

/// The inputs shared by `score` and `explain`.
#[derive(Args, Clone)]
struct Inputs {
    /// Leads file (.csv or .jsonl).
    #[arg(long)]
    leads: PathBuf,
    /// Events file (.csv or .jsonl).
    #[arg(long)]
    events: Option<PathBuf>,
    /// Accounts file (.csv or .jsonl).
    #[arg(long)]
    accounts: Option<PathBuf>,
    /// Consent records file (.csv or .jsonl): lead_id, purpose, status, source, at. The latest
    /// `marketing` record of a lead replaces its `consent` and `consent_at`.
    #[arg(long)]
    consents: Option<PathBuf>,
    /// Model file (TOML); the built-in default model when absent.
    #[arg(long)]
    model: Option<PathBuf>,
    /// Scoring time T, RFC 3339 or YYYY-MM-DD (default: now). Events after T are ignored.
    #[arg(long)]
    as_of: Option<String>,
    #[command(flatten)]
    read: InputArgs,
    /// Also write every rejected row to this file (stderr shows the first 50).
    #[arg(long)]
    rejects: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Jsonl,
    Csv,
    Table,
}

#[derive(Args)]
struct ScoreArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// Output format (default: table on a terminal, jsonl otherwise).
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    /// Write here instead of stdout.
    #[arg(long)]
    out: Option<PathBuf>,
    /// With --format table, show only the N best leads (0: all). On a terminal the table
    /// shows the 50 best unless --top is given; a file or a pipe gets every lead.
    #[arg(long)]
    top: Option<usize>,
}

#[derive(Args)]
struct ExplainArgs {
    /// The lead to explain.
    lead_id: String,
    #[command(flatten)]
    inputs: Inputs,
    /// Print the score as JSON (with the missing signals) instead of the ledger.
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum ModelCommand {
    /// Print a built-in model file (default: the default model).
    Show {
        /// default, ecommerce or professional-services.
        name: Option<String>,
    },
    /// List the built-in models.
    List,
    /// Validate a model file; errors name the line, column and key.
    Check { file: PathBuf },
    /// Print the JSON Schema of model files, for editors.
    Schema,
    /// Print the reference of the model language (Markdown): every section, condition,
    /// operator, event option and fact.
    Reference,
}

#[derive(Args)]
struct GenerateArgs {
    /// Number of leads.
    #[arg(long)]
    leads: usize,
    /// Output directory (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// Random seed; the same seed gives the same files.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// The "now" of the generated history (default 2026-06-30T12:00:00Z).
    #[arg(long)]
    as_of: Option<String>,
    /// The shape of the data. `default`: the demo's story, tidy CRM fields. `crm-export`: the
    /// same story written the way an uncleaned CRM export holds it: per 300,000 leads about
    /// 13 distinct phone numbers, 21 titles and 25 first names, 155,000 company names and
    /// 105,000 domains; countries written many ways (`us`, `USA`, `United States`, `UK`);
    /// industries in mixed case; free-text use cases; an account id on every lead; page URLs
    /// with query strings and trailing slashes; about 6 events per lead instead of 10.
    #[arg(long, default_value = "default", value_parser = ["default", "crm-export"])]
    profile: String,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Score(a) => commands::score(a),
        Command::Explain(a) => commands::explain(a),
        Command::Model(m) => commands::model(m),
        Command::Mapping(m) => cmd_inspect::mapping(m),
        Command::Inspect(a) => cmd_inspect::inspect(a),
        Command::Generate(a) => commands::generate(a),
        Command::Demo(a) => commands::demo(a),
        Command::Report(a) => cmd_quality::report(a),
        Command::Calibrate(a) => cmd_quality::calibrate(a),
        Command::Learn(a) => cmd_quality::learn(a),
        Command::Backtest(a) => cmd_quality::backtest(a),
        Command::Dedupe(a) => cmd_hygiene::dedupe(a),
        Command::Hygiene(a) => cmd_hygiene::hygiene(a),
        Command::MatchAccounts(a) => cmd_hygiene::match_accounts(a),
        Command::Accounts(a) => cmd_ops::accounts(a),
        Command::Routing(r) => cmd_ops::routing(r),
        Command::Serve(a) => cmd_serve::serve(&a).map(|()| ExitCode::SUCCESS),
        Command::Keys(k) => cmd_serve::keys_command(&k).map(|()| ExitCode::SUCCESS),
        Command::Users(u) => cmd_users::users_command(&u).map(|()| ExitCode::SUCCESS),
        Command::Db(d) => cmd_db::db_command(&d),
        Command::Sync(s) => cmd_sync::sync_command(s),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", error_text(&e));
            ExitCode::from(2)
        }
    }
}

/// An error and its causes joined with ": ", leaving out a cause its message already says
/// (many messages quote their cause, which would otherwise print twice).
fn error_text(e: &anyhow::Error) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    text
}
