//! `report`, `calibrate`, `learn` and `backtest`: lead quality against revenue.
//!
//! Thin glue: files are read by `leadrank-io`, scores come from `leadrank-core`, and every
//! figure is computed by the pure `leadrank-metrics` and `leadrank-quality` crates
//! (calibration: a typed report this module only renders).

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use leadrank_core::engine::Dataset;
use leadrank_core::{CompiledModel, Lead, Score};
use leadrank_io::read::Kind;
use leadrank_io::read::{Delimiter, LoadReport, RowError};
use leadrank_io::read_outcomes::{Table, read_maven_crm, read_outcomes_mapped, read_stages_mapped, read_table_with_columns};
use leadrank_metrics::classify;
use leadrank_metrics::html;
use leadrank_metrics::report::{self, LeadObs, Opportunity, Report};
use leadrank_metrics::table::{LearnOptions, Method as LearnedBy, ModelFileOptions, learn as learn_table, model_toml};
use leadrank_quality::backtest::{ModelScores, render_backtest};
use leadrank_quality::{
    self as calibration, CalibrationError, CalibrationInput, CalibrationOptions, CutOffChoice, Phase, Split, WrittenPoints,
};

use crate::commands::{exit_code, format_of, load, load_model, parse_as_of, report_rejects};
use crate::{InputArgs, InputFormatArg, Inputs};
use leadrank_metrics::fmt::{amount, amount_dp, count, num, pct};

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ReportFormat {
    Table,
    Json,
    /// One self-contained HTML page (inline CSS and SVG charts).
    Html,
}

/// Inputs with optional leads (so an adapter can stand in for them).
#[derive(Args, Clone)]
pub struct HistoryInputs {
    /// Leads file (.csv or .jsonl).
    #[arg(long)]
    leads: Option<PathBuf>,
    /// Events file (.csv or .jsonl).
    #[arg(long)]
    events: Option<PathBuf>,
    /// Accounts file (.csv or .jsonl).
    #[arg(long)]
    accounts: Option<PathBuf>,
    /// Consent records file (.csv or .jsonl); the latest `marketing` record sets a lead's consent.
    #[arg(long)]
    consents: Option<PathBuf>,
    /// Outcomes (opportunities) file: opportunity_id, lead_id/account_id, created_at, closed_at, status, amount, loss_reason.
    #[arg(long)]
    outcomes: Option<PathBuf>,
    /// Scoring time T, RFC 3339 or YYYY-MM-DD (default: now). Events after T are ignored.
    #[arg(long)]
    as_of: Option<String>,
    #[command(flatten)]
    read: InputArgs,
}

impl HistoryInputs {
    fn inputs(&self, model: Option<PathBuf>) -> Result<Inputs> {
        let Some(leads) = self.leads.clone() else { bail!("--leads is required") };
        Ok(Inputs {
            leads,
            events: self.events.clone(),
            accounts: self.accounts.clone(),
            consents: self.consents.clone(),
            model,
            as_of: self.as_of.clone(),
            read: self.read.clone(),
            rejects: None,
        })
    }
}

#[derive(Args)]
pub struct ReportArgs {
    #[command(flatten)]
    history: HistoryInputs,
    /// Stage history file: lead_id, stage, at, by, reason.
    #[arg(long)]
    stages: Option<PathBuf>,
    /// Model file (TOML); the built-in default model when absent.
    #[arg(long)]
    model: Option<PathBuf>,
    /// Read the Maven Analytics CRM pipeline from this directory instead of leads/outcomes.
    #[arg(long, conflicts_with_all = ["leads", "outcomes"])]
    maven_crm: Option<PathBuf>,
    /// Breakdown: source, segment, decile, campaign, month, quarter, industry, country or a
    /// custom column of the leads; a grouping without any value in the data is an error that
    /// lists the valid ones.
    #[arg(long)]
    by: Option<String>,
    /// The currency of the outcomes' amounts, shown with every amount (e.g. EUR); the Maven
    /// adapter's amounts are USD.
    #[arg(long, value_name = "CODE")]
    currency: Option<String>,
    /// table, json, or html (one self-contained page with charts; its volume and quality chart
    /// compares the `--by` groups, or sources without `--by`).
    #[arg(long, value_enum, default_value = "table")]
    format: ReportFormat,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Method {
    Logistic,
    Gbm,
}

/// What calibration learns to predict.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Target {
    /// A won opportunity (from --outcomes).
    Won,
    /// Sales accepted the lead (reached sal or later in --stages) rather than rejected it
    /// (disqualified, or sent back to nurture with a reason code); leads sales never reviewed
    /// are left out. Many more labels than won deals: useful on small data.
    Accepted,
}

#[derive(Args)]
pub struct CalibrateArgs {
    #[command(flatten)]
    history: HistoryInputs,
    /// Model file (TOML); the built-in default model when absent.
    #[arg(long)]
    model: Option<PathBuf>,
    /// Share of leads held out at random.
    #[arg(long, default_value_t = 0.3)]
    holdout: f64,
    /// Hold out the latest 30% of leads by created_at instead of a random share.
    #[arg(long)]
    split_by_time: bool,
    /// logistic: the regularised logistic fit alone. gbm: also gradient-boosted trees as a
    /// challenger on the same held-out rows (the points proposal still comes from the logistic fit).
    #[arg(long, value_enum, default_value = "logistic")]
    method: Method,
    /// The label: won deals, or sales acceptance from the stage history (`--stages`, e.g.
    /// `GET /v1/reports/stages` of `leadrank serve`).
    #[arg(long, value_enum, default_value = "won")]
    target: Target,
    /// Stage history file (lead_id, stage, at, by, reason), for `--target accepted`.
    #[arg(long)]
    stages: Option<PathBuf>,
    /// Write the proposed model file here (the current points, with a warning, when the
    /// proposal does not beat them in cross-validation).
    #[arg(long)]
    write_model: Option<PathBuf>,
    /// Score every lead at --as-of (the old behaviour) instead of at its own cut-off: events
    /// after an opportunity was created then leak into the features.
    #[arg(long)]
    single_as_of: bool,
    /// Also cut each lead off this many days after its created_at (a fixed scoring horizon).
    #[arg(long, conflicts_with = "single_as_of")]
    horizon_days: Option<u32>,
    /// Seed of the split and the folds.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct LearnArgs {
    /// Labelled table (.csv or .jsonl).
    #[arg(long)]
    data: PathBuf,
    /// Input format, instead of telling it from the extension.
    #[arg(long, value_enum)]
    input_format: Option<InputFormatArg>,
    /// CSV field separator: ',', ';', '|' or tab (default: found from each file's header line).
    #[arg(long, value_name = "SEP")]
    delimiter: Option<Delimiter>,
    /// The 0/1 (true/false, yes/no, won/lost) outcome column.
    #[arg(long)]
    target: String,
    /// Columns to leave out (comma-separated), e.g. those filled after sales contact.
    #[arg(long, value_delimiter = ',')]
    exclude: Vec<String>,
    /// Keep columns flagged as probable leaks (left out by default).
    #[arg(long)]
    allow_leaky: bool,
    /// Columns to read as categories even when their values are numbers, e.g. codes
    /// (comma-separated).
    #[arg(long, value_delimiter = ',')]
    categorical: Vec<String>,
    /// A value (category or band) held by fewer training rows gets no rule (default: 1% of
    /// the training rows, at least 10 and at most 30).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    min_rule_rows: Option<u32>,
    /// Points that double the odds (default: the smallest of 20, 50, 100, 200 and 500 whose
    /// rounding keeps the training rows' ranking).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    points_per_doubling: Option<u32>,
    /// How the points are learned: `ebm` (explainable boosting: one boosted shape function per
    /// column, merged into at most --max-bands bands) or `logistic` (L2 logistic regression on
    /// categories and five quantile bands per number).
    #[arg(long, value_enum, default_value_t = LearnMethod::Ebm)]
    method: LearnMethod,
    /// With --method ebm: most bands per column (besides "missing").
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
    max_bands: u16,
    /// Hold out the latest rows by this column (a time or a number) instead of a random
    /// share; every non-empty cell must be a time (RFC 3339 or YYYY-MM-DD) or a number.
    #[arg(long)]
    time_column: Option<String>,
    /// Share of rows held out.
    #[arg(long, default_value_t = 0.3)]
    holdout: f64,
    /// Extra cell values read as missing (comma-separated); "", NA, N/A, null, NaN, None and Select always are.
    #[arg(long, value_delimiter = ',')]
    missing: Vec<String>,
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Write each row's split (row number, train/test/skipped) to this CSV file.
    #[arg(long)]
    write_split: Option<PathBuf>,
    /// Write the points as a model file (the table's columns declared as custom fields) that
    /// `model check`, `score`, `serve` and `backtest` accept; the leads scored need a lead_id
    /// column.
    #[arg(long)]
    write_model: Option<PathBuf>,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum LearnMethod {
    Ebm,
    Logistic,
}

#[derive(Args)]
pub struct BacktestArgs {
    #[command(flatten)]
    history: HistoryInputs,
    /// The current model file ("default" for the built-in one).
    #[arg(long)]
    model_a: String,
    /// The candidate model file ("default" for the built-in one).
    #[arg(long)]
    model_b: String,
    /// How many leads that change side to list.
    #[arg(long, default_value_t = 20)]
    show: usize,
}

fn model_arg(raw: &str) -> Option<PathBuf> {
    (raw != "default").then(|| PathBuf::from(raw))
}

fn print_rejects(rejected: &[RowError]) {
    for line in rejected.iter().take(50).flat_map(|r| r.lines()) {
        eprintln!("rejected {line}");
    }
    if rejected.len() > 50 {
        eprintln!("... and {} more rejected rows", rejected.len() - 50);
    }
}

/// Reads the outcomes file, reporting rejected rows.
fn outcomes(h: &HistoryInputs, rejected: &mut Vec<RowError>) -> Result<Vec<Opportunity>> {
    let Some(path) = &h.outcomes else { bail!("--outcomes is required") };
    let read = h.read.resolve()?;
    let l = read_outcomes_mapped(path, read.format_of(path)?, read.mapping(Kind::Outcomes))?;
    crate::input_args::print_notes(&l.notes);
    rejected.extend(l.rejected);
    Ok(l.rows)
}

fn month(ts: i64) -> String {
    jiff::Timestamp::from_second(ts).map(|t| t.strftime("%Y-%m").to_string()).unwrap_or_default()
}

fn quarter(ts: i64) -> String {
    jiff::Timestamp::from_second(ts)
        .map(|t| {
            let z = t.to_zoned(jiff::tz::TimeZone::UTC);
            format!("{}-Q{}", z.year(), (z.month() - 1) / 3 + 1)
        })
        .unwrap_or_default()
}

/// The group of a lead for `--by`.
fn group_of(lead: &Lead, by: &str, decile: Option<u8>) -> Option<String> {
    match by {
        "source" => lead.source.as_deref().map(str::to_string),
        "campaign" => lead.campaign.as_deref().map(str::to_string),
        "industry" => lead.industry.as_deref().map(str::to_string),
        "country" => lead.country.as_deref().map(str::to_string),
        "segment" => lead.employees.map(|e| leadrank_core::engine::facts::segment(e).to_string()),
        "decile" => decile.map(|d| format!("D{d:02}")),
        "month" => lead.created_at.map(|t| month(t.as_second())),
        "quarter" => lead.created_at.map(|t| quarter(t.as_second())),
        other => lead.custom_field(other).map(str::to_string),
    }
}

/// The built-in groupings of `--by`.
const BUILT_IN_GROUPINGS: &[&str] = &["source", "segment", "decile", "campaign", "month", "quarter", "industry", "country"];

/// Checks that `--by` names a grouping with values in these leads: a built-in one (`decile`
/// only when the leads are scored) or a custom column; the error lists the valid ones.
fn check_grouping(leads: &[Lead], by: &str, scored: bool) -> Result<()> {
    let has_values = |g: &str| if g == "decile" { scored } else { leads.iter().any(|l| group_of(l, g, None).is_some()) };
    let built_in: Vec<&str> = BUILT_IN_GROUPINGS.iter().copied().filter(|g| has_values(g)).collect();
    let mut custom: Vec<&str> = leads.iter().flat_map(|l| l.custom.iter().map(|(k, _)| k.as_str())).collect();
    custom.sort_unstable();
    custom.dedup();
    custom.retain(|c| !BUILT_IN_GROUPINGS.contains(c));
    if built_in.contains(&by) || custom.contains(&by) {
        return Ok(());
    }
    let why = match by {
        "decile" => "the leads are not scored, so they have no score decile".to_string(),
        b if BUILT_IN_GROUPINGS.contains(&b) => format!("no lead has a value for '{b}'"),
        b => format!("'{b}' is neither a built-in grouping nor a column of the leads"),
    };
    let custom = if custom.is_empty() { "none".to_string() } else { custom.join(", ") };
    bail!("--by {by}: {why}; valid groupings for these leads: {}; custom columns: {custom}", built_in.join(", "))
}

/// Lead observations for the report from leads and (optionally) their scores and events.
fn observations(
    leads: &[Lead],
    scores: Option<&[Score]>,
    dataset: Option<&Dataset>,
    events_read: bool,
    by: Option<&str>,
    as_of: i64,
) -> Vec<LeadObs> {
    let deciles = scores.map(|s| classify::deciles(&s.iter().map(|s| f64::from(s.total)).collect::<Vec<_>>()));
    leads
        .iter()
        .enumerate()
        .map(|(i, lead)| {
            let created = lead.created_at.map(|t| t.as_second());
            let (mut first_touch, mut bounced) = (None, false);
            if let Some(d) = dataset {
                for e in d.events_of(i).iter().filter(|e| e.at <= as_of) {
                    match d.event_type(e) {
                        "email_bounce" => bounced = true,
                        "sales_touch" if first_touch.is_none() => {
                            if let Some(c) = created.filter(|&c| e.at >= c) {
                                first_touch = Some(e.at - c);
                            }
                        }
                        _ => {}
                    }
                }
            }
            let kind = leadrank_core::engine::LeadFacts::new(lead).email_kind();
            LeadObs {
                lead_id: lead.lead_id.clone(),
                account_id: lead.account_id.as_deref().map(str::to_string),
                group: by.and_then(|b| group_of(lead, b, deciles.as_ref().map(|d| d[i]))),
                created_at: created,
                score: scores.map(|s| f64::from(s[i].total)),
                quality: scores.map(|s| s[i].quality),
                first_touch_secs: first_touch,
                has_email: lead.email.is_some(),
                email_invalid: lead.email.is_some() && kind.map(|k| k.as_str()) == Some("invalid"),
                email_bounced: events_read.then_some(bounced),
            }
        })
        .collect()
}

pub fn report(args: ReportArgs) -> Result<ExitCode> {
    let by = args.by.as_deref();
    let mut rejected = Vec::new();
    let mut load_rejects = 0;
    let (mut rep, chart, title) = if let Some(dir) = &args.maven_crm {
        let m = read_maven_crm(dir)?;
        if let Some(b) = by {
            check_grouping(&m.leads, b, false)?;
        }
        rejected.extend(m.rejected);
        let obs = observations(&m.leads, None, None, false, by, i64::MAX);
        let rep = report::compute(&obs, &m.opportunities, None, by);
        let chart = chart_groups(&rep, args.format, by, || {
            let obs = observations(&m.leads, None, None, false, Some("source"), i64::MAX);
            report::compute(&obs, &m.opportunities, None, Some("source")).groups
        });
        (rep, chart, format!("Maven CRM pipeline in {} (one lead per opportunity; not scored)", dir.display()))
    } else {
        let as_of = parse_as_of(args.history.as_of.as_deref())?;
        // Shown to the second: the report reads nothing finer.
        let as_of_shown = jiff::Timestamp::from_second(as_of.as_second()).unwrap_or(as_of);
        let model = load_model(args.model.as_deref())?;
        let inputs = args.history.inputs(args.model.clone())?;
        let (dataset, load_report) = load(&inputs, &model)?;
        if let Some(b) = by {
            check_grouping(&dataset.leads, b, true)?;
        }
        load_rejects = load_report.rejected.len();
        let scores = dataset.score_all(&model, as_of, &|_| {});
        let opps = outcomes(&args.history, &mut rejected)?;
        let stages = match &args.stages {
            Some(p) => {
                let l = args.history.read.resolve().and_then(|r| Ok(read_stages_mapped(p, r.format_of(p)?, r.mapping(Kind::Stages))?))?;
                rejected.extend(l.rejected);
                Some(l.rows)
            }
            None => None,
        };
        let events_read = args.history.events.is_some();
        let obs = observations(&dataset.leads, Some(&scores), Some(&dataset), events_read, by, as_of.as_second());
        let rep = report::compute(&obs, &opps, stages.as_deref(), by);
        let chart = chart_groups(&rep, args.format, by, || {
            let obs = observations(&dataset.leads, Some(&scores), Some(&dataset), events_read, Some("source"), as_of.as_second());
            report::compute(&obs, &opps, stages.as_deref(), Some("source")).groups
        });
        (rep, chart, format!("{} leads scored with {} as of {as_of_shown}", dataset.leads.len(), model.id()))
    };
    rep.currency = match (&args.currency, &args.maven_crm) {
        (Some(c), _) => Some(c.trim().to_ascii_uppercase()),
        (None, Some(_)) => Some("USD".into()),
        (None, None) => None,
    };
    print_rejects(&rejected);
    let mut out = std::io::stdout().lock();
    match args.format {
        ReportFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&rep)?)?,
        ReportFormat::Table => write!(out, "{}", render_report(&rep, &title))?,
        ReportFormat::Html => {
            let (name, rows) = chart.unwrap_or_else(|| ("source".into(), Vec::new()));
            write!(out, "{}", html::render(&rep, &title, Some((&name, &rows))))?
        }
    }
    Ok(if rejected.is_empty() && load_rejects == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// The groups the html page's volume and quality chart compares: the `--by` breakdown, or
/// else the sources (computed by `by_source` only when html is asked for).
fn chart_groups(
    rep: &Report,
    format: ReportFormat,
    by: Option<&str>,
    by_source: impl FnOnce() -> Vec<report::GroupRow>,
) -> Option<(String, Vec<report::GroupRow>)> {
    if format != ReportFormat::Html {
        return None;
    }
    Some(match by {
        Some(b) => (b.to_string(), rep.groups.clone()),
        None => ("source".to_string(), by_source()),
    })
}

/// The report as text for a terminal.
pub fn render_report(r: &Report, title: &str) -> String {
    let mut s = String::new();
    let m = &r.overall;
    let cur = r.currency.as_deref();
    let _ = writeln!(s, "Lead quality report: {title}\n");
    let _ = writeln!(s, "Funnel and revenue");
    let velocity = match &m.velocity {
        Some(v) => format!(
            "{} = {} open deals x win rate {} x average won {} / {} days average cycle",
            amount(Some(v.per_day), cur),
            count(v.open_opportunities),
            pct(Some(v.win_rate)),
            amount(Some(v.avg_won_amount), cur),
            num(Some(v.cycle_days), 1)
        ),
        None => "n/a (needs closed deals with amounts and dates)".into(),
    };
    let rows: Vec<(&str, String)> = vec![
        ("leads", count(m.leads)),
        ("quality leads (QLR)", format!("{} ({})", m.quality_leads.map_or("n/a".into(), count), pct(m.qlr))),
        ("lead-to-opportunity (L2O)", format!("{} ({})", count(m.leads_with_opportunity), pct(m.l2o))),
        ("lead-to-deal (leads with a won deal)", format!("{} ({})", count(m.leads_won), pct(m.lead_to_deal))),
        ("deals (open / won / lost)", format!("{} ({} / {} / {})", count(m.opportunities), count(m.open), count(m.won), count(m.lost))),
        ("win rate of closed deals", pct(m.win_rate)),
        ("pipeline / won amount", format!("{} / {}", amount(m.pipeline, cur), amount(m.won_amount, cur))),
        ("pipeline per lead / revenue per lead", format!("{} / {}", amount_dp(m.ppl, cur, 2), amount_dp(m.rpl, cur, 2))),
        ("average won amount", amount(m.avg_won_amount, cur)),
        ("sales cycle median / mean (days)", format!("{} / {}", num(m.cycle_median_days, 1), num(m.cycle_mean_days, 1))),
        ("pipeline velocity (per day)", velocity),
    ];
    for (k, v) in rows {
        let _ = writeln!(s, "  {k:<40}{v}");
    }
    if r.unattributed_opportunities > 0 {
        let _ =
            writeln!(s, "  ({} deals name no known lead or account: counted in deal figures only)", count(r.unattributed_opportunities));
    }
    if r.account_attributed_opportunities > 0 {
        let _ = writeln!(
            s,
            "  ({} deals name only an account: each attributed once, to the account's earliest-created lead)",
            count(r.account_attributed_opportunities)
        );
    }
    if cur.is_none() && m.pipeline.is_some() {
        let _ = writeln!(s, "  (amounts in the outcomes' currency; --currency names it)");
    }
    let st = &r.stages;
    let _ = writeln!(
        s,
        "\nStage conversion ({})",
        if st.basis == "derived" { "derived: MQL = quality lead, SQL = has an opportunity" } else { "from the stage history" }
    );
    let _ = writeln!(
        s,
        "  inquiry -> MQL {}   MQL -> SQL {}   SQL -> won {} (of {} SQLs; {} with only open deals count as not won)",
        pct(st.inquiry_to_mql),
        pct(st.mql_to_sql),
        pct(st.sql_to_won),
        count(st.sql),
        count(st.sql_open)
    );
    if st.basis == "stages" {
        let _ = writeln!(s, "  rejected {} ({} of MQLs)", st.rejected, pct(st.rejection_rate));
        for (k, v) in &st.rejections_by_reason {
            let _ = writeln!(s, "    {k:<30}{v}");
        }
    }
    if !r.lost_by_reason.is_empty() {
        let _ = writeln!(
            s,
            "  lost deals by reason: {}",
            r.lost_by_reason.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ")
        );
    }
    match &r.speed_to_lead {
        Some(sp) => {
            let _ = writeln!(
                s,
                "\nSpeed to lead: {} of {} quality leads touched; median {} minutes; {} within 5 minutes",
                count(sp.touched),
                count(sp.quality_leads),
                num(sp.median_minutes, 1),
                pct(sp.within_5_minutes)
            );
        }
        None => {
            let _ = writeln!(s, "\nSpeed to lead: n/a (needs scored leads and sales_touch events)");
        }
    }
    let dq = &r.data_quality;
    let _ = writeln!(
        s,
        "Data: {} leads with an email; bounce rate {}, invalid addresses {}",
        count(dq.leads_with_email),
        dq.bounce_rate.map_or("n/a (no event data)".into(), |b| pct(Some(b))),
        pct(dq.invalid_email_rate)
    );
    if let Some(sq) = &r.score_quality {
        let _ =
            writeln!(s, "\nScore quality: ROC AUC against won {}, against opportunity {}", num(sq.auc_won, 3), num(sq.auc_opportunity, 3));
        let _ = writeln!(s, "  {:<8}{:>8}{:>8}{:>10}{:>8}{:>18}{:>10}", "decile", "leads", "won", "rate", "lift", "won revenue", "capture");
        for d in &sq.deciles {
            let _ = writeln!(
                s,
                "  {:<8}{:>8}{:>8}{:>10}{:>8}{:>18}{:>10}",
                d.decile,
                count(d.leads),
                count(d.positives),
                pct(d.rate),
                num(d.lift, 2),
                amount(Some(d.value), cur),
                pct(d.cumulative_capture)
            );
        }
    }
    if let Some(by) = &r.by {
        let _ = writeln!(s, "\nBy {by} (* too few leads or closed deals to judge the rate)");
        let _ = writeln!(
            s,
            "  {:<24}{:>8}{:>9}{:>9}{:>9}{:>8}{:>8}{:>9}{:>18}{:>12}",
            by, "leads", "QLR", "L2O", "to deal", "deals", "closed", "win", "revenue", "RPL"
        );
        for g in &r.groups {
            let gm = &g.metrics;
            let mark = |v: String, small: bool| if small { format!("{v}*") } else { v };
            let _ = writeln!(
                s,
                "  {:<24}{:>8}{:>9}{:>9}{:>9}{:>8}{:>8}{:>9}{:>18}{:>12}",
                g.group.chars().take(23).collect::<String>(),
                count(gm.leads),
                pct(gm.qlr),
                mark(pct(gm.l2o), g.too_few_leads()),
                mark(pct(gm.lead_to_deal), g.too_few_leads()),
                count(gm.opportunities),
                count(gm.won + gm.lost),
                mark(pct(gm.win_rate), g.too_few_closed()),
                amount(gm.won_amount, cur),
                amount_dp(gm.rpl, cur, 0)
            );
        }
    }
    let _ = writeln!(s, "\nAgainst published benchmarks (each compared only with a benchmark of the same definition)");
    for b in &r.benchmarks {
        let _ =
            writeln!(s, "  {:<24}{:>10}  {:<7} benchmark {}; computed as {}", b.metric, pct(b.value), b.status, b.benchmark, b.definition);
    }
    let _ = writeln!(s, "  (the win rate of closed deals has no published benchmark of its definition)");
    if r.symptoms.is_empty() {
        let _ = writeln!(s, "\nNo symptom of poor lead quality found.");
    } else {
        let _ = writeln!(s, "\nSymptoms of poor lead quality");
        for sy in &r.symptoms {
            let _ = writeln!(s, "  * {}: {}\n    likely causes: {}", sy.symptom, sy.evidence, sy.likely_causes);
        }
    }
    s
}

pub fn calibrate(args: CalibrateArgs) -> Result<ExitCode> {
    let as_of = parse_as_of(args.history.as_of.as_deref())?;
    let model = load_model(args.model.as_deref())?;
    let inputs = args.history.inputs(args.model.clone())?;
    let (dataset, load_report) = load(&inputs, &model)?;
    let mut rejected = Vec::new();
    // Outcomes: the label for --target won, and the cut-offs for both targets when given.
    let opps = match (args.target, &args.history.outcomes) {
        (Target::Won, _) | (Target::Accepted, Some(_)) => Some(outcomes(&args.history, &mut rejected)?),
        (Target::Accepted, None) => None,
    };
    let stages = match args.target {
        Target::Won => None,
        Target::Accepted => {
            let Some(path) = &args.stages else { bail!("--target accepted needs --stages FILE (lead_id, stage, at, by, reason)") };
            let l = args.history.read.resolve().and_then(|r| Ok(read_stages_mapped(path, r.format_of(path)?, r.mapping(Kind::Stages))?))?;
            rejected.extend(l.rejected);
            Some((path, l.rows))
        }
    };
    print_rejects(&rejected);
    let input = CalibrationInput {
        model: &model,
        dataset: &dataset,
        opportunities: opps.as_deref(),
        stages: stages.as_ref().map(|(_, rows)| rows.as_slice()),
        as_of,
    };
    let options = CalibrationOptions {
        target: match args.target {
            Target::Won => calibration::Target::Won,
            Target::Accepted => calibration::Target::Accepted,
        },
        split: if args.split_by_time { Split::ByTime } else { Split::Random { holdout: args.holdout } },
        cut_off: if args.single_as_of { CutOffChoice::Single } else { CutOffChoice::PerLead { horizon_days: args.horizon_days } },
        gbm: args.method == Method::Gbm,
        seed: args.seed,
    };
    // Step times go to stderr: on stdout they would make identical runs differ.
    let (mut started, mut logistic_secs, mut cv_penalties) = (Instant::now(), 0.0, 0);
    let mut on_phase = |phase: Phase| match phase {
        Phase::LogisticStarted | Phase::ProposalStarted => started = Instant::now(),
        Phase::LogisticFitted { penalties } => {
            (logistic_secs, cv_penalties) = (started.elapsed().as_secs_f64(), penalties);
            started = Instant::now();
        }
        Phase::GbmFitted { candidates, trees } => eprintln!(
            "fit time: logistic (5-fold CV over {cv_penalties} penalties + fit) {logistic_secs:.2} s, gbm ({candidates} candidates + refit, {trees} trees) {:.2} s",
            started.elapsed().as_secs_f64()
        ),
        Phase::ProposalFitted => {
            eprintln!("proposal: 5-fold cross-validation and the final points fit took {:.2} s", started.elapsed().as_secs_f64())
        }
    };
    let mut report = match calibration::calibrate(&input, &options, &mut on_phase) {
        Err(CalibrationError::NoReviewedLeads) => {
            let path = stages.as_ref().map_or_else(String::new, |(p, _)| p.display().to_string());
            bail!("{path}: no lead of --leads was accepted or rejected by sales")
        }
        other => other?,
    };
    if let Some(path) = &args.write_model {
        let source = match &args.model {
            Some(p) => std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?,
            None => model.source.clone(),
        };
        let points = report.points_to_write();
        if points == WrittenPoints::Current {
            eprintln!("warning: {}; --write-model writes the current points unchanged", report.proposed.verdict);
        }
        let text = report.model_text(&model, &source)?;
        CompiledModel::from_toml(&text, &path.display().to_string())
            .map_err(|e| anyhow::anyhow!("the proposed model does not compile: {e}"))?;
        std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!(
            "wrote the {} model to {}",
            match points {
                WrittenPoints::Proposed => "proposed",
                WrittenPoints::Current => "current",
            },
            path.display()
        );
        report.written = Some(points);
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", report.to_json_pretty()?)?;
    } else {
        write!(out, "{}", calibration::render_table(&report))?;
    }
    let mut all = load_report;
    all.rejected.extend(rejected);
    Ok(exit_code(&all))
}

/// The rows held out by `--time-column`: the latest `holdout` share by that column's value
/// (a number, or a time read as Unix seconds). Every non-empty cell must parse.
fn time_split(table: &Table, column: &str, target: &str, holdout: f64, file: &std::path::Path) -> Result<Vec<bool>> {
    if column == target {
        bail!("--time-column {column} is the target column: the split must come from another column (a time or a row number)");
    }
    let Some(c) = table.columns.iter().position(|x| x == column) else {
        bail!("--time-column: no column '{column}' in {}", file.display())
    };
    let key = |v: &str| -> Option<f64> {
        v.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .or_else(|| leadrank_core::records::parse_time(v).ok().flatten().map(|t| t.as_second() as f64))
    };
    let mut idx = Vec::with_capacity(table.rows.len());
    let mut bad = Vec::new();
    let mut empty = 0;
    for (i, r) in table.rows.iter().enumerate() {
        let cell = r[c].trim();
        if cell.is_empty() {
            empty += 1;
            idx.push((f64::NEG_INFINITY, i));
            continue;
        }
        match key(cell) {
            Some(k) => idx.push((k, i)),
            None => bad.push((i, cell)),
        }
    }
    if !bad.is_empty() {
        let shown: Vec<String> =
            bad.iter().take(3).map(|(i, v)| format!("data row {} '{}'", i + 1, v.chars().take(40).collect::<String>())).collect();
        bail!(
            "--time-column {column}: {} of {} cells are neither a time (RFC 3339 or YYYY-MM-DD) nor a number, e.g. {}",
            bad.len(),
            table.rows.len(),
            shown.join(", ")
        );
    }
    if empty == table.rows.len() {
        bail!("--time-column {column}: every cell is empty");
    }
    if empty > 0 {
        eprintln!("note: --time-column {column}: {empty} rows without a value count as the earliest (training)");
    }
    idx.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let cut = ((idx.len() as f64) * (1.0 - holdout)).round() as usize;
    let mut flags = vec![false; table.rows.len()];
    for &(_, i) in &idx[cut.min(idx.len())..] {
        flags[i] = true;
    }
    Ok(flags)
}

pub fn learn(args: LearnArgs) -> Result<ExitCode> {
    let format = format_of(&args.data, args.input_format, args.delimiter)?;
    let (table, rejected) = read_table_with_columns(&args.data, format)?;
    print_rejects(&rejected);
    // Say what was read, so a wrong separator shows at once.
    eprintln!("read {} rows and {} columns from {}", table.rows.len(), table.columns.len(), args.data.display());
    if table.rows.is_empty() {
        bail!("{} has no data rows (an empty file, or a header only)", args.data.display());
    }
    if !table.columns.contains(&args.target) {
        let hint =
            if table.columns.len() == 1 { " (one column only: is the separator one of , ; | or tab? --delimiter sets it)" } else { "" };
        let mut names: Vec<String> =
            table.columns.iter().take(8).map(|c| format!("'{}'", c.chars().take(60).collect::<String>())).collect();
        if table.columns.len() > 8 {
            names.push(format!("... and {} more", table.columns.len() - 8));
        }
        bail!("--target {}: {} has no such column{hint}; its columns: {}", args.target, args.data.display(), names.join(", "));
    }
    for (flag, names) in [("--exclude", &args.exclude), ("--categorical", &args.categorical)] {
        if let Some(unknown) = names.iter().find(|e| !table.columns.contains(e)) {
            bail!("{flag} names '{unknown}', which is not a column of {}", args.data.display());
        }
    }
    let mut opts = LearnOptions {
        target: args.target.clone(),
        exclude: args.exclude.clone(),
        holdout: args.holdout,
        seed: args.seed,
        allow_leaky: args.allow_leaky,
        categorical: args.categorical.clone(),
        min_rule_rows: args.min_rule_rows.map(|n| n as usize),
        points_per_doubling: args.points_per_doubling,
        method: match args.method {
            LearnMethod::Ebm => LearnedBy::Ebm,
            LearnMethod::Logistic => LearnedBy::Logistic,
        },
        max_bands: usize::from(args.max_bands),
        ..LearnOptions::default()
    };
    opts.missing.extend(args.missing.iter().map(|m| m.trim().to_string()));
    if let Some(tc) = &args.time_column {
        opts.test_rows = Some(time_split(&table, tc, &args.target, args.holdout, &args.data)?);
    }
    let learned = learn_table(&table.columns, &table.rows, &opts)?;
    if let Some(path) = &args.write_split {
        let mut w = String::from("row,split\n");
        for (i, s) in learned.split.iter().enumerate() {
            let _ = writeln!(
                w,
                "{},{}",
                i,
                match s {
                    Some(true) => "test",
                    Some(false) => "train",
                    None => "skipped",
                }
            );
        }
        std::fs::write(path, w).with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(path) = &args.write_model {
        let stem = args.data.file_stem().and_then(|s| s.to_str()).unwrap_or("table");
        let name: String = format!("learned-{stem}-{}", args.target)
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c.to_ascii_lowercase() } else { '-' })
            .collect();
        let builtin: Vec<&str> = learned
            .model_columns
            .iter()
            .map(|c| c.name.as_str())
            .filter(|n| n.starts_with("account.") || leadrank_core::records::LEAD_FIELDS.iter().any(|(f, _)| f == n))
            .collect();
        if !builtin.is_empty() {
            bail!(
                "--write-model: the columns {} are named like built-in lead fields, which `score` reads with their own types; rename them in the table or --exclude them",
                builtin.join(", ")
            );
        }
        let text = model_toml(&learned, &ModelFileOptions { name: &name, source: &args.data.display().to_string() });
        CompiledModel::from_toml(&text, &path.display().to_string())
            .map_err(|e| anyhow::anyhow!("the learned model does not compile: {e}"))?;
        std::fs::write(path, &text).with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("wrote the learned model ({} rules) to {}", text.matches("\n[[rules]]\n").count(), path.display());
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&learned)?)?;
    } else {
        let mut s = String::new();
        let h = &learned.holdout;
        let _ = writeln!(
            s,
            "Learned a points model for '{}' from {} training rows; {} held out ({} positive); {} rows without a target skipped",
            learned.target,
            count(learned.train_rows),
            count(h.rows),
            count(h.positives),
            count(learned.skipped_rows)
        );
        let how = match learned.method {
            LearnedBy::Ebm => format!(
                "explainable boosting, at most {} bands per column, each on at least {} training rows; boosted shapes before banding {}{}",
                args.max_bands,
                learned.min_rule_rows,
                num(h.auc_shapes, 4),
                learned
                    .refit_loglik
                    .map(|(a, b)| format!("; band values refitted jointly (training log-likelihood {a:.1} -> {b:.1})"))
                    .unwrap_or_default()
            ),
            LearnedBy::Logistic => "logistic regression on categories and quantile bands".to_string(),
        };
        let _ = writeln!(s, "Points learned by {how}");
        let _ = writeln!(
            s,
            "Held-out ROC AUC: points model {}, logistic regression {}; Brier {} (logistic l2 = {}, chosen by 5-fold cross-validation: {:?})\n",
            num(h.auc_points, 4),
            num(h.auc_logistic, 4),
            num(h.brier, 4),
            learned.l2,
            learned.cv
        );
        let _ = writeln!(s, "Columns");
        for c in &learned.columns {
            let _ = writeln!(
                s,
                "  {:<46}{:<12} alone AUC {:>6}{}",
                c.name,
                c.kind,
                num(c.alone_auc, 3),
                if c.leak {
                    format!(
                        "  LEAKS? {}{}",
                        c.purest_value.clone().unwrap_or_else(|| "nearly perfect alone".into()),
                        if c.kind == "leak" { "; left out (--allow-leaky keeps it)" } else { "" }
                    )
                } else {
                    String::new()
                }
            );
        }
        let _ = writeln!(
            s,
            "\n{} rules ({} points double the odds; the most common value of each column scores 0; {} values held by fewer than {} training rows get no rule)",
            learned.rules.len(),
            learned.points_per_doubling,
            learned.thin_values,
            learned.min_rule_rows
        );
        for r in &learned.rules {
            let _ = writeln!(s, "  {:>+5}  {} {}   ({} rows)", r.points, r.column, r.condition, count(r.rows));
        }
        let _ = writeln!(s, "\nProbability = 1 / (1 + exp(-({:.4} + {:.5} x points)))", learned.platt_a, learned.platt_b);
        write!(out, "{s}")?;
    }
    Ok(if rejected.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

pub fn backtest(args: BacktestArgs) -> Result<ExitCode> {
    let as_of = parse_as_of(args.history.as_of.as_deref())?;
    let mut rejected = Vec::new();
    let opps = outcomes(&args.history, &mut rejected)?;
    print_rejects(&rejected);
    let mut runs = Vec::new();
    let mut report = LoadReport::default();
    for raw in [&args.model_a, &args.model_b] {
        let path = model_arg(raw);
        let model = load_model(path.as_deref())?;
        let inputs = args.history.inputs(path)?;
        let (dataset, r) = load(&inputs, &model)?;
        let scores = dataset.score_all(&model, as_of, &|_| {});
        report.rejected.extend(r.rejected);
        runs.push((model, dataset, scores));
    }
    let ids: Vec<String> = runs.iter().map(|(model, _, _)| model.id()).collect();
    let scored = |k: usize| ModelScores { id: &ids[k], quality_threshold: runs[k].0.quality_threshold, scores: &runs[k].2 };
    let result = leadrank_quality::backtest::backtest(&runs[0].1.leads, &opps, as_of, scored(0), scored(1));
    write!(std::io::stdout().lock(), "{}", render_backtest(&result, args.show))?;
    report_rejects(&report, None)?;
    report.rejected.extend(rejected);
    Ok(exit_code(&report))
}
