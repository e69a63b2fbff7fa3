//! `report`, `calibrate`, `learn` and `backtest`: lead quality against revenue.
//!
//! Thin glue: files are read by `leadrank-io`, scores come from `leadrank-core`, and every
//! figure is computed by the pure `leadrank-metrics` crate.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use leadrank_core::engine::Dataset;
use leadrank_core::{CompiledModel, Lead, Score};
use leadrank_io::read::{Delimiter, LoadReport, RowError};
use leadrank_io::read_outcomes::{read_maven_crm, read_outcomes, read_stages, read_table_with_columns};
use leadrank_metrics::classify::{self, brier, confusion_at, decile_table, reliability, roc_auc, sigmoid};
use leadrank_metrics::html;
use leadrank_metrics::logistic::{FitOptions, fit, holdout_split, kfold, take_rows};
use leadrank_metrics::proposal::{self, RuleWeight, edit_model, propose, totals};
use leadrank_metrics::report::{self, LeadObs, OppStatus, Opportunity, Report, StageChange};
use leadrank_metrics::table::{LearnOptions, learn as learn_table};

use crate::commands::{exit_code, format_of, load, load_model, parse_as_of, report_rejects};
use crate::{InputFormatArg, Inputs};
use leadrank_metrics::fmt::{money, num, pct};

const DAY: i64 = 86_400;

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
    /// Input format for all files, instead of telling it from the extension.
    #[arg(long, value_enum)]
    input_format: Option<InputFormatArg>,
    /// CSV field separator: ',', ';', '|' or tab (default: found from each file's header line).
    #[arg(long, value_name = "SEP")]
    delimiter: Option<Delimiter>,
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
            input_format: self.input_format,
            delimiter: self.delimiter,
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
    /// Breakdown: source, segment, decile, campaign, month, quarter, industry, country or any custom field.
    #[arg(long)]
    by: Option<String>,
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
    /// CSV field separator: ',', ';', '|' or tab (default: found from each file's header line).
    #[arg(long, value_name = "SEP")]
    delimiter: Option<Delimiter>,
    /// The 0/1 (true/false, yes/no, won/lost) outcome column.
    #[arg(long)]
    target: String,
    /// Columns to leave out (comma-separated), e.g. those filled after sales contact.
    #[arg(long, value_delimiter = ',')]
    exclude: Vec<String>,
    /// Hold out the latest rows by this column (a time or a number) instead of a random share.
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
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
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
    let l = read_outcomes(path, format_of(path, h.input_format, h.delimiter)?)?;
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

/// Lead observations for the report from leads and (optionally) their scores and events.
fn observations(leads: &[Lead], scores: Option<&[Score]>, dataset: Option<&Dataset>, by: Option<&str>, as_of: i64) -> Vec<LeadObs> {
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
                email_bounced: bounced,
            }
        })
        .collect()
}

pub fn report(args: ReportArgs) -> Result<ExitCode> {
    let by = args.by.as_deref();
    let mut rejected = Vec::new();
    let mut load_rejects = 0;
    let (rep, chart, title) = if let Some(dir) = &args.maven_crm {
        let m = read_maven_crm(dir)?;
        rejected.extend(m.rejected);
        let obs = observations(&m.leads, None, None, by, i64::MAX);
        let rep = report::compute(&obs, &m.opportunities, None, by);
        let chart = chart_groups(&rep, args.format, by, || {
            let obs = observations(&m.leads, None, None, Some("source"), i64::MAX);
            report::compute(&obs, &m.opportunities, None, Some("source")).groups
        });
        (rep, chart, format!("Maven CRM pipeline in {} (one lead per opportunity; not scored)", dir.display()))
    } else {
        let as_of = parse_as_of(args.history.as_of.as_deref())?;
        let model = load_model(args.model.as_deref())?;
        let inputs = args.history.inputs(args.model.clone())?;
        let (dataset, load_report) = load(&inputs, &model)?;
        load_rejects = load_report.rejected.len();
        let scores = dataset.score_all(&model, as_of, &|_| {});
        let opps = outcomes(&args.history, &mut rejected)?;
        let stages = match &args.stages {
            Some(p) => {
                let l = read_stages(p, format_of(p, args.history.input_format, args.history.delimiter)?)?;
                rejected.extend(l.rejected);
                Some(l.rows)
            }
            None => None,
        };
        let obs = observations(&dataset.leads, Some(&scores), Some(&dataset), by, as_of.as_second());
        let rep = report::compute(&obs, &opps, stages.as_deref(), by);
        let chart = chart_groups(&rep, args.format, by, || {
            let obs = observations(&dataset.leads, Some(&scores), Some(&dataset), Some("source"), as_of.as_second());
            report::compute(&obs, &opps, stages.as_deref(), Some("source")).groups
        });
        (rep, chart, format!("{} leads scored with {} as of {as_of}", dataset.leads.len(), model.id()))
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
    let _ = writeln!(s, "Lead quality report: {title}\n");
    let _ = writeln!(s, "Funnel and revenue");
    let rows: Vec<(&str, String)> = vec![
        ("leads", m.leads.to_string()),
        ("quality leads (QLR)", format!("{} ({})", m.quality_leads.map_or("n/a".into(), |q| q.to_string()), pct(m.qlr))),
        ("lead-to-opportunity (L2O)", format!("{} ({})", m.leads_with_opportunity, pct(m.l2o))),
        ("lead-to-deal", format!("{} ({})", m.leads_won, pct(m.lead_to_deal))),
        ("opportunities (open / won / lost)", format!("{} ({} / {} / {})", m.opportunities, m.open, m.won, m.lost)),
        ("win rate (closed deals)", pct(m.win_rate)),
        ("pipeline / won amount", format!("{} / {}", money(m.pipeline), money(m.won_amount))),
        ("pipeline per lead / revenue per lead", format!("{} / {}", num(m.ppl, 2), num(m.rpl, 2))),
        ("average won amount", num(m.avg_won_amount, 2)),
        ("sales cycle median / mean (days)", format!("{} / {}", num(m.cycle_median_days, 1), num(m.cycle_mean_days, 1))),
        ("pipeline velocity (per day)", num(m.velocity_per_day, 2)),
    ];
    for (k, v) in rows {
        let _ = writeln!(s, "  {k:<40}{v}");
    }
    if r.unattributed_opportunities > 0 {
        let _ = writeln!(
            s,
            "  ({} opportunities name no known lead or account: counted in opportunity figures only)",
            r.unattributed_opportunities
        );
    }
    let st = &r.stages;
    let _ = writeln!(
        s,
        "\nStage conversion ({})",
        if st.basis == "derived" { "derived: MQL = quality lead, SQL = has an opportunity" } else { "from the stage history" }
    );
    let _ =
        writeln!(s, "  inquiry -> MQL {}   MQL -> SQL {}   SQL -> won {}", pct(st.inquiry_to_mql), pct(st.mql_to_sql), pct(st.sql_to_won));
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
    if let Some(sp) = &r.speed_to_lead {
        let _ = writeln!(
            s,
            "\nSpeed to lead: {} of {} quality leads touched; median {} minutes; {} within 5 minutes",
            sp.touched,
            sp.quality_leads,
            num(sp.median_minutes, 1),
            pct(sp.within_5_minutes)
        );
    }
    let dq = &r.data_quality;
    let _ = writeln!(
        s,
        "Data: {} leads with an email; bounce rate {}, invalid addresses {}",
        dq.leads_with_email,
        pct(dq.bounce_rate),
        pct(dq.invalid_email_rate)
    );
    if let Some(sq) = &r.score_quality {
        let _ =
            writeln!(s, "\nScore quality: ROC AUC against won {}, against opportunity {}", num(sq.auc_won, 3), num(sq.auc_opportunity, 3));
        let _ = writeln!(s, "  {:<8}{:>8}{:>8}{:>10}{:>8}{:>14}{:>10}", "decile", "leads", "won", "rate", "lift", "won revenue", "capture");
        for d in &sq.deciles {
            let _ = writeln!(
                s,
                "  {:<8}{:>8}{:>8}{:>10}{:>8}{:>14}{:>10}",
                d.decile,
                d.leads,
                d.positives,
                pct(d.rate),
                num(d.lift, 2),
                money(d.value),
                pct(d.cumulative_capture)
            );
        }
    }
    if let Some(by) = &r.by {
        let _ = writeln!(s, "\nBy {by}");
        let _ = writeln!(s, "  {:<24}{:>8}{:>9}{:>9}{:>9}{:>9}{:>14}{:>10}", by, "leads", "QLR", "L2O", "to deal", "win", "revenue", "RPL");
        for g in &r.groups {
            let gm = &g.metrics;
            let _ = writeln!(
                s,
                "  {:<24}{:>8}{:>9}{:>9}{:>9}{:>9}{:>14}{:>10}",
                g.group.chars().take(23).collect::<String>(),
                gm.leads,
                pct(gm.qlr),
                pct(gm.l2o),
                pct(gm.lead_to_deal),
                pct(gm.win_rate),
                money(gm.won_amount),
                num(gm.rpl, 0)
            );
        }
    }
    let _ = writeln!(s, "\nAgainst the seeds' benchmarks");
    for b in &r.benchmarks {
        let v = match b.value {
            Some(v) => format!("{:.2}%", v * 100.0),
            None => "n/a".into(),
        };
        let _ = writeln!(s, "  {:<24}{:>10}  {:<7} benchmark {}", b.metric, v, b.status, b.benchmark);
    }
    if r.symptoms.is_empty() {
        let _ = writeln!(s, "\nNo symptom of poor lead quality (seed 001) found.");
    } else {
        let _ = writeln!(s, "\nSymptoms of poor lead quality (seed 001)");
        for sy in &r.symptoms {
            let _ = writeln!(s, "  * {}: {}\n    likely causes: {}", sy.symptom, sy.evidence, sy.likely_causes);
        }
    }
    s
}

/// Per lead: won (a won opportunity names it, or only its account).
/// Sales-acceptance labels from a stage history: `(label, lead index)` for every lead that
/// sales reviewed. Accepted = reached sal or later (an opportunity lost was accepted first);
/// rejected = disqualified or rejected, or sent to nurture with a reason code, and never
/// accepted.
fn acceptance_labels(leads: &[Lead], stages: &[StageChange]) -> Vec<(bool, usize)> {
    const ACCEPTED: &[&str] = &["sal", "sql", "opportunity", "won", "lost"];
    let index: HashMap<&str, usize> = leads.iter().enumerate().map(|(i, l)| (l.lead_id.as_str(), i)).collect();
    let mut state: Vec<Option<bool>> = vec![None; leads.len()];
    for c in stages {
        let Some(&i) = index.get(c.lead_id.as_str()) else { continue };
        let stage = c.stage.to_ascii_lowercase();
        if ACCEPTED.contains(&stage.as_str()) {
            state[i] = Some(true);
        } else if state[i] != Some(true)
            && (stage == "disqualified"
                || stage == "rejected"
                || (stage == "nurture" && c.reason.as_deref().is_some_and(|r| !r.is_empty())))
        {
            state[i] = Some(false);
        }
    }
    state.iter().enumerate().filter_map(|(i, s)| s.map(|l| (l, i))).collect()
}

fn won_labels(leads: &[Lead], opps: &[Opportunity]) -> Vec<bool> {
    let index: HashMap<&str, usize> = leads.iter().enumerate().map(|(i, l)| (l.lead_id.as_str(), i)).collect();
    let mut by_account: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, l) in leads.iter().enumerate() {
        if let Some(a) = &l.account_id {
            by_account.entry(a).or_default().push(i);
        }
    }
    let mut won = vec![false; leads.len()];
    for o in opps.iter().filter(|o| o.status == OppStatus::Won) {
        match o.lead_id.as_deref().and_then(|l| index.get(l)) {
            Some(&i) => won[i] = true,
            None => {
                for &i in o.account_id.as_deref().and_then(|a| by_account.get(a)).map_or(&[][..], |v| v.as_slice()) {
                    won[i] = true;
                }
            }
        }
    }
    won
}

/// Features of calibration: one 0/1 per rule, per frequent source (>= 1% of leads), per
/// segment and per frequent event type seen in the 90 days before the lead's own cut-off
/// (`cut[i]`, the time its score was taken at).
struct Features {
    names: Vec<String>,
    x: Vec<f64>,
    rules: usize,
}

fn features(model: &CompiledModel, dataset: &Dataset, scores: &[Score], cut: &[i64]) -> Features {
    let n = scores.len();
    let mut names: Vec<String> = model.rules.iter().map(|r| format!("rule:{}", r.id)).collect();
    let rules = names.len();
    let mut sources: BTreeMap<String, usize> = BTreeMap::new();
    for l in &dataset.leads {
        if let Some(s) = &l.source {
            *sources.entry(s.to_ascii_lowercase()).or_default() += 1;
        }
    }
    let sources: Vec<String> = sources.into_iter().filter(|&(_, c)| c * 100 >= n).map(|(s, _)| s).collect();
    names.extend(sources.iter().map(|s| format!("source:{s}")));
    let segments = ["smb", "mid_market", "enterprise"];
    names.extend(segments.iter().map(|s| format!("segment:{s}")));
    let mut types: BTreeMap<String, usize> = BTreeMap::new();
    let per_lead_types: Vec<Vec<String>> = (0..n)
        .map(|i| {
            let as_of = cut.get(i).copied().unwrap_or(i64::MAX);
            let mut t: Vec<String> = dataset
                .events_of(i)
                .iter()
                .filter(|e| e.at <= as_of && e.at >= as_of.saturating_sub(90 * DAY))
                .map(|e| dataset.event_type(e).to_string())
                .collect();
            t.sort();
            t.dedup();
            for k in &t {
                *types.entry(k.clone()).or_default() += 1;
            }
            t
        })
        .collect();
    let types: Vec<String> = types.into_iter().filter(|&(_, c)| c * 100 >= n).map(|(t, _)| t).collect();
    names.extend(types.iter().map(|t| format!("event:{t}")));
    let p = names.len();
    let mut x = vec![0.0; n * p];
    for (i, s) in scores.iter().enumerate() {
        let row = &mut x[i * p..(i + 1) * p];
        for r in &s.reasons {
            if let Some(k) = model.rules.iter().position(|m| m.id == r.rule) {
                row[k] = 1.0;
            }
        }
        let lead = &dataset.leads[i];
        if let Some(src) = &lead.source
            && let Some(k) = sources.iter().position(|s| s.eq_ignore_ascii_case(src))
        {
            row[rules + k] = 1.0;
        }
        if let Some(e) = lead.employees {
            let seg = leadrank_core::engine::facts::segment(e);
            if let Some(k) = segments.iter().position(|s| *s == seg) {
                row[rules + sources.len() + k] = 1.0;
            }
        }
        for t in &per_lead_types[i] {
            if let Some(k) = types.iter().position(|s| s == t) {
                row[rules + sources.len() + segments.len() + k] = 1.0;
            }
        }
    }
    Features { names, x, rules }
}

/// Where each lead's calibration score is taken (see [`cutoffs`]).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
struct CutOffs {
    /// Per lead (dataset order), the time its score and features are taken at.
    #[serde(skip)]
    at: Vec<i64>,
    /// "per-lead" or "single".
    rule: String,
    /// Leads cut before an opportunity that names them.
    cut_by_lead_opportunity: usize,
    /// Leads cut before an opportunity that names only their account.
    cut_by_account_opportunity: usize,
    /// Leads cut by `--horizon-days` (and not earlier by an opportunity).
    cut_by_horizon: usize,
    /// Opportunities without `created_at`, which cannot cut.
    opportunities_without_created_at: usize,
    horizon_days: Option<u32>,
}

/// Point-in-time cut-offs: lead `i` is seen as of min(`as_of`, the `created_at` of its first
/// opportunity - 1 s, `created_at + horizon_days` when given). An opportunity belongs to the
/// lead it names; one that names only an account belongs to every lead with that
/// `account_id` (as the won labels do). Any status counts: an opportunity means sales was in
/// touch, and what happened after must not feed the features.
fn cutoffs(leads: &[Lead], opps: &[Opportunity], as_of: i64, horizon_days: Option<u32>) -> CutOffs {
    let index: HashMap<&str, usize> = leads.iter().enumerate().map(|(i, l)| (l.lead_id.as_str(), i)).collect();
    let mut by_account: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, l) in leads.iter().enumerate() {
        if let Some(a) = &l.account_id {
            by_account.entry(a).or_default().push(i);
        }
    }
    // (first opportunity time, named by the lead itself?)
    let mut first: Vec<Option<(i64, bool)>> = vec![None; leads.len()];
    let mut no_time = 0;
    let put = |i: usize, t: i64, own: bool, first: &mut Vec<Option<(i64, bool)>>| {
        if first[i].is_none_or(|(f, _)| t < f) {
            first[i] = Some((t, own));
        }
    };
    for o in opps {
        let Some(t) = o.created_at else {
            no_time += 1;
            continue;
        };
        match o.lead_id.as_deref().and_then(|l| index.get(l)) {
            Some(&i) => put(i, t, true, &mut first),
            None => {
                for &i in o.account_id.as_deref().and_then(|a| by_account.get(a)).map_or(&[][..], |v| v.as_slice()) {
                    put(i, t, false, &mut first);
                }
            }
        }
    }
    let mut c = CutOffs {
        at: Vec::with_capacity(leads.len()),
        rule: "per-lead".into(),
        cut_by_lead_opportunity: 0,
        cut_by_account_opportunity: 0,
        cut_by_horizon: 0,
        opportunities_without_created_at: no_time,
        horizon_days,
    };
    for (i, lead) in leads.iter().enumerate() {
        let opp = first[i].map(|(t, own)| (t.saturating_sub(1), own)).filter(|&(t, _)| t < as_of);
        let horizon = horizon_days
            .and_then(|d| lead.created_at.map(|c| c.as_second().saturating_add(i64::from(d) * DAY)))
            .filter(|&t| t < as_of && opp.is_none_or(|(o, _)| t < o));
        let at = match (opp, horizon) {
            (_, Some(h)) => {
                c.cut_by_horizon += 1;
                h
            }
            (Some((o, own)), None) => {
                if own {
                    c.cut_by_lead_opportunity += 1;
                } else {
                    c.cut_by_account_opportunity += 1;
                }
                o
            }
            (None, None) => as_of,
        };
        c.at.push(at);
    }
    c
}

/// The dimension of a rule proposed for a signal the model lacks: a negative signal is a
/// penalty (the uncapped dimension); a segment describes the company (fit); an event type or
/// a source describes how the lead behaves or came in (intent). Falls back to the model's
/// first dimension when it has no dimension of that id.
fn new_rule_dimension(model: &CompiledModel, name: &str, coef: f64) -> usize {
    let find = |id: &str| model.dimensions.iter().position(|d| &*d.id == id);
    if coef < 0.0 {
        return find("penalty").or_else(|| model.dimensions.iter().position(|d| d.cap.is_none())).unwrap_or(0);
    }
    if name.starts_with("segment:") { find("fit").unwrap_or(0) } else { find("intent").unwrap_or(0) }
}

/// The condition and label of a rule for a calibration feature, when one can be written.
fn new_rule_condition(name: &str) -> Option<(String, String, String)> {
    let lit = proposal::toml_string;
    if let Some(t) = name.strip_prefix("event:") {
        Some((
            proposal::rule_id("calibrated_event", t),
            format!("{{ event = {}, within_days = 90 }}", lit(t)),
            format!("{t} in the last 90 days (calibrated)"),
        ))
    } else if let Some(src) = name.strip_prefix("source:") {
        Some((
            proposal::rule_id("calibrated_source", src),
            format!("{{ field = \"source\", equals = {} }}", lit(src)),
            format!("Source: {src} (calibrated)"),
        ))
    } else {
        name.strip_prefix("segment:").map(|seg| {
            (
                proposal::rule_id("calibrated_segment", seg),
                format!("{{ fact = \"segment\", equals = {} }}", lit(seg)),
                format!("Segment: {seg} (calibrated)"),
            )
        })
    }
}

/// The points model fitted on exactly the proposal's features (`q` columns of `xr`, rules
/// first) over `rows`: an L2 logistic fit, then [`proposal::propose_fitted`] with the
/// model's caps. Returns the proposal, what the refinement did, and the fit.
#[allow(clippy::too_many_arguments)]
fn fit_points(
    xr: &[f64],
    q: usize,
    rows: &[usize],
    y: &[bool],
    meta: &[(String, usize, i32)],
    caps: &[Option<i32>],
    fired: &[Vec<usize>],
    threshold: i32,
    l2: f64,
) -> Result<(proposal::Proposal, proposal::Refinement, leadrank_metrics::logistic::LogisticFit)> {
    let yr: Vec<bool> = rows.iter().map(|&i| y[i]).collect();
    let m = fit(&take_rows(xr, q, rows), q, &yr, &FitOptions { l2, ..FitOptions::default() }).context("fitting the points model")?;
    let weights: Vec<RuleWeight> =
        meta.iter().zip(&m.coef).map(|((id, d, c), &coef)| RuleWeight { id: id.clone(), dimension: *d, current: *c, coef }).collect();
    let fr: Vec<Vec<usize>> = rows.iter().map(|&i| fired[i].clone()).collect();
    let (p, r) = proposal::propose_fitted(&weights, caps, &fr, &yr, threshold, SHARE_TOLERANCE, 3);
    Ok((p, r, m))
}

/// How far the proposal's share of quality leads may move from today's (absolute).
const SHARE_TOLERANCE: f64 = 0.005;
/// The cross-validated AUC gain the proposal needs before it is recommended.
const MIN_GAIN: f64 = 0.001;

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
    let cut = if args.single_as_of {
        CutOffs {
            at: vec![as_of.as_second(); dataset.leads.len()],
            rule: "single".into(),
            cut_by_lead_opportunity: 0,
            cut_by_account_opportunity: 0,
            cut_by_horizon: 0,
            opportunities_without_created_at: 0,
            horizon_days: None,
        }
    } else {
        cutoffs(&dataset.leads, opps.as_deref().unwrap_or(&[]), as_of.as_second(), args.horizon_days)
    };
    let scores = if args.single_as_of {
        dataset.score_all(&model, as_of, &|_| {})
    } else {
        let times = cut
            .at
            .iter()
            .map(|&t| jiff::Timestamp::from_second(t).with_context(|| format!("cut-off {t} s is not a valid time")))
            .collect::<Result<Vec<_>>>()?;
        dataset.score_each_at(&model, &times, as_of, &|_| {})
    };
    let mut f = features(&model, &dataset, &scores, &cut.at);
    let p = f.names.len();
    let mut created: Vec<Option<i64>> = dataset.leads.iter().map(|l| l.created_at.map(|t| t.as_second())).collect();
    // row_lead[r]: the lead (dataset index) of calibration row r.
    let (y, scores, positive, row_lead) = match args.target {
        Target::Won => {
            print_rejects(&rejected);
            (won_labels(&dataset.leads, opps.as_deref().unwrap_or(&[])), scores, "won", (0..dataset.leads.len()).collect::<Vec<_>>())
        }
        Target::Accepted => {
            let Some(path) = &args.stages else { bail!("--target accepted needs --stages FILE (lead_id, stage, at, by, reason)") };
            let l = read_stages(path, format_of(path, args.history.input_format, args.history.delimiter)?)?;
            rejected.extend(l.rejected);
            print_rejects(&rejected);
            let labelled = acceptance_labels(&dataset.leads, &l.rows);
            if labelled.is_empty() {
                bail!("{}: no lead of --leads was accepted or rejected by sales", path.display());
            }
            // Keep only the leads sales reviewed, in lead order.
            let keep: Vec<usize> = labelled.iter().map(|&(_, i)| i).collect();
            f.x = take_rows(&f.x, p, &keep);
            created = keep.iter().map(|&i| created[i]).collect();
            let kept_scores = keep.iter().map(|&i| scores[i].clone()).collect();
            (labelled.iter().map(|&(l, _)| l).collect(), kept_scores, "accepted", keep)
        }
    };
    let n = y.len();
    let won = y.iter().filter(|&&v| v).count();
    // Split.
    let (train, test) = if args.split_by_time {
        let mut idx: Vec<usize> = (0..n).collect();
        idx.sort_by_key(|&i| (created[i].unwrap_or(i64::MIN), i));
        let cut = ((n as f64) * 0.7).round() as usize;
        let (mut tr, mut te) = (idx[..cut].to_vec(), idx[cut..].to_vec());
        tr.sort_unstable();
        te.sort_unstable();
        (tr, te)
    } else {
        holdout_split(n, args.holdout, args.seed)
    };
    let sub = |idx: &[usize]| -> (Vec<f64>, Vec<bool>) { (take_rows(&f.x, p, idx), idx.iter().map(|&i| y[i]).collect()) };
    let (x_tr, y_tr) = sub(&train);
    let (x_te, y_te) = sub(&test);
    let total: Vec<f64> = scores.iter().map(|s| f64::from(s.total)).collect();
    let t_te: Vec<f64> = test.iter().map(|&i| total[i]).collect();
    let t_tr: Vec<f64> = train.iter().map(|&i| total[i]).collect();
    // The current model, calibrated to probabilities by a one-variable fit on the training rows.
    let platt = fit(&t_tr, 1, &y_tr, &FitOptions { l2: 1e-6, ..FitOptions::default() })?;
    let cur_probs: Vec<f64> = t_te.iter().map(|&t| sigmoid(platt.intercept + platt.coef[0] * t)).collect();
    // Cross-validated penalty, then the fit on all training rows.
    let grid = [0.1, 1.0, 10.0, 100.0];
    let logistic_started = std::time::Instant::now();
    let folds = kfold(train.len(), 5, args.seed ^ 0x5eed);
    let mut cv = Vec::new();
    let (mut best, mut l2) = (f64::NEG_INFINITY, 1.0);
    for &lambda in &grid {
        let mut aucs = Vec::new();
        for k in 0..5 {
            let (va, tr): (Vec<usize>, Vec<usize>) = (0..train.len()).partition(|&i| folds[i] == k);
            let yt: Vec<bool> = tr.iter().map(|&i| y_tr[i]).collect();
            let Ok(m) = fit(&take_rows(&x_tr, p, &tr), p, &yt, &FitOptions { l2: lambda, ..FitOptions::default() }) else { continue };
            let yv: Vec<bool> = va.iter().map(|&i| y_tr[i]).collect();
            if let Some(a) = roc_auc(&m.logits(&take_rows(&x_tr, p, &va)), &yv) {
                aucs.push(a);
            }
        }
        let mean = leadrank_metrics::stats::mean(&aucs);
        if let Some(m) = mean.filter(|&m| m > best + 1e-9) {
            best = m;
            l2 = lambda;
        }
        cv.push((lambda, mean));
    }
    let fitted = fit(&x_tr, p, &y_tr, &FitOptions { l2, ..FitOptions::default() })?;
    let new_logits = fitted.logits(&x_te);
    let new_probs: Vec<f64> = new_logits.iter().map(|&z| sigmoid(z)).collect();
    let logistic_secs = logistic_started.elapsed().as_secs_f64();
    // The challenger: gradient-boosted trees on the same matrix, training rows and held-out rows.
    let gbm = if args.method == Method::Gbm {
        use leadrank_metrics::gbm::{GbmOptions, fit_gbm};
        let started = std::time::Instant::now();
        let g = fit_gbm(&x_tr, p, &y_tr, &GbmOptions { seed: args.seed ^ 0x6b6d, ..GbmOptions::default() })?;
        let z = g.logits(&x_te);
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "fit time: logistic (5-fold CV over {} penalties + fit) {logistic_secs:.2} s, gbm ({} candidates + refit, {} trees) {secs:.2} s",
            grid.len(),
            g.candidates.len(),
            g.rounds
        );
        let probs: Vec<f64> = z.iter().map(|&v| sigmoid(v)).collect();
        let importance: Vec<(String, f64)> = g.importance().into_iter().take(10).map(|(k, v)| (f.names[k].clone(), v)).collect();
        Some(serde_json::json!({
            "depth": g.depth, "learning_rate": g.learning_rate, "rounds": g.rounds,
            "candidates": g.candidates,
            "held_out": serde_json::json!({ "auc": roc_auc(&z, &y_te), "deciles": decile_table(&z, &y_te, &[]) }),
            "brier": brier(&probs, &y_te),
            "reliability": reliability(&probs, &y_te, 10),
            "importance": importance,
        }))
    } else {
        None
    };
    // Warnings, and the features that may leak (never proposed as rules).
    let mut warnings = Vec::new();
    if won < 100 {
        warnings
            .push(format!("only {won} {positive} leads: under 100 outcomes, points are noisy; collect more history before trusting them"));
    }
    if won * 20 < n {
        warnings.push(format!(
            "class imbalance: {:.1}% of leads {positive}; AUC and lift are the figures to read, accuracy is meaningless",
            100.0 * won as f64 / n.max(1) as f64
        ));
    }
    if cut.opportunities_without_created_at > 0 {
        warnings.push(format!(
            "{} opportunities have no created_at and cannot cut their leads' history: events after them may leak",
            cut.opportunities_without_created_at
        ));
    }
    if cut.rule == "single" {
        warnings.push("--single-as-of: every lead is scored at --as-of, so events after an opportunity was created (sales contact) feed the features of the leads that won; figures are optimistic".into());
    }
    let mut leaky = vec![false; p];
    for (k, name) in f.names.iter().enumerate() {
        let col: Vec<f64> = (0..n).map(|i| f.x[i * p + k]).collect();
        let present = col.iter().filter(|&&v| v != 0.0).count();
        if present == 0 {
            continue;
        }
        let auc = roc_auc(&col, &y).unwrap_or(0.5);
        let hit = (0..n).filter(|&i| col[i] != 0.0 && y[i]).count();
        if auc >= 0.9 || (present * 50 >= n && hit * 50 >= present * 49) {
            leaky[k] = true;
            warnings.push(format!("possible leakage: {name} alone separates {positive} leads almost perfectly (AUC {auc:.3}); is it filled after sales contact?"));
        }
    }
    {
        // Drift between the earlier and the later half of the leads by creation time.
        let mut idx: Vec<usize> = (0..n).collect();
        idx.sort_by_key(|&i| (created[i].unwrap_or(i64::MIN), i));
        let (a, b) = idx.split_at(n / 2);
        let rate = |s: &[usize]| s.iter().filter(|&&i| y[i]).count() as f64 / s.len().max(1) as f64;
        let q = |s: &[usize]| s.iter().filter(|&&i| scores[i].quality).count() as f64 / s.len().max(1) as f64;
        let (ra, rb, qa, qb) = (rate(a), rate(b), q(a), q(b));
        if (ra - rb).abs() > 0.5 * ra.max(rb) || (qa - qb).abs() > 0.5 * qa.max(qb) {
            warnings.push(format!(
                "drift between periods: {positive} rate {:.2}% then {:.2}%, quality share {:.2}% then {:.2}% (recent leads have had less time to close; prefer --split-by-time)",
                ra * 100.0,
                rb * 100.0,
                qa * 100.0,
                qb * 100.0
            ));
        }
    }
    // Proposal. First the scale of the rules alone (from the full fit), which says which of
    // the other signals are strong: worth 5 points or more at that scale.
    let caps: Vec<Option<i32>> = model.dimensions.iter().map(|d| d.cap).collect();
    let thr_points = model.quality_threshold;
    let rule_fired: Vec<Vec<usize>> = (0..n).map(|i| (0..f.rules).filter(|&k| f.x[i * p + k] != 0.0).collect()).collect();
    let rough = {
        let weights: Vec<RuleWeight> = model
            .rules
            .iter()
            .enumerate()
            .map(|(k, r)| RuleWeight { id: r.id.to_string(), dimension: r.dimension, current: r.points, coef: fitted.coef[k] })
            .collect();
        let fr: Vec<Vec<usize>> = train.iter().map(|&i| rule_fired[i].clone()).collect();
        propose(&weights, &caps, &fr, thr_points)
    };
    let strong_new: Vec<(String, f64)> = f.names[f.rules..]
        .iter()
        .zip(&fitted.coef[f.rules..])
        .filter(|(_, c)| c.abs() * rough.scale >= 5.0)
        .map(|(nm, c)| (nm.clone(), *c))
        .collect();
    // Candidate new rules: strong signals that can be written as a rule, are not a possible
    // leak, are not a rep's action (sales_touch), and do not duplicate a rule's signal.
    let fx = &f.x;
    let column = |k: usize| (0..n).map(move |i| fx[i * p + k] != 0.0);
    let mut not_proposed: Vec<(String, String)> = Vec::new();
    let mut candidates: Vec<(usize, String, String, String)> = Vec::new();
    for (name, _) in &strong_new {
        let Some(k) = f.names.iter().position(|x| x == name) else { continue };
        let why = if leaky[k] {
            Some("possible leak")
        } else if name == "event:sales_touch" {
            Some("a rep's action, not the lead's signal")
        } else if (0..f.rules).any(|r| column(r).eq(column(k))) {
            Some("the same leads as an existing rule")
        } else {
            None
        };
        match (why, new_rule_condition(name)) {
            (Some(w), _) => not_proposed.push((name.clone(), w.into())),
            (None, Some((id, _, _))) if model.rules.iter().any(|r| *r.id == *id) => {
                not_proposed.push((name.clone(), format!("rule {id} exists")))
            }
            (None, Some((id, when, label))) => candidates.push((k, id, when, label)),
            (None, None) => not_proposed.push((name.clone(), "no rule condition for it".into())),
        }
    }
    // The proposal's own features: the rules' signals, then the candidates.
    let cols: Vec<usize> = (0..f.rules).chain(candidates.iter().map(|c| c.0)).collect();
    let q = cols.len();
    let xr: Vec<f64> = (0..n).flat_map(|i| cols.iter().map(move |&k| fx[i * p + k])).collect();
    let mut meta: Vec<(String, usize, i32)> = model.rules.iter().map(|r| (r.id.to_string(), r.dimension, r.points)).collect();
    for (k, id, _, _) in &candidates {
        meta.push((id.clone(), new_rule_dimension(&model, &f.names[*k], fitted.coef[*k]), 0));
    }
    let fired: Vec<Vec<usize>> = (0..n).map(|i| (0..q).filter(|&c| xr[i * q + c] != 0.0).collect()).collect();
    let dims: Vec<usize> = meta.iter().map(|m| m.1).collect();
    let current_int: Vec<i32> = scores.iter().map(|s| s.total).collect();
    // Cross-validation on the training rows: the whole proposal procedure on 4 folds, both
    // point sets ranked on the fifth.
    let cv_started = std::time::Instant::now();
    let pfolds = kfold(train.len(), 5, args.seed ^ 0xca1b);
    let (mut cv_cur, mut cv_prop) = (Vec::new(), Vec::new());
    for k in 0..5 {
        let (va, tr): (Vec<usize>, Vec<usize>) = (0..train.len()).partition(|&i| pfolds[i] == k);
        let (tr, va): (Vec<usize>, Vec<usize>) = (tr.iter().map(|&i| train[i]).collect(), va.iter().map(|&i| train[i]).collect());
        let Ok((pk, _, _)) = fit_points(&xr, q, &tr, &y, &meta, &caps, &fired, thr_points, l2) else { continue };
        let pts: Vec<i32> = pk.rules.iter().map(|r| r.proposed.unwrap_or(0)).collect();
        let yv: Vec<bool> = va.iter().map(|&i| y[i]).collect();
        let fv: Vec<Vec<usize>> = va.iter().map(|&i| fired[i].clone()).collect();
        let cur_v: Vec<i32> = va.iter().map(|&i| current_int[i]).collect();
        if let (Some(a), Some(b)) = (proposal::auc_int(&cur_v, &yv), proposal::auc_int(&totals(&pts, &dims, &caps, &fv), &yv)) {
            cv_cur.push(a);
            cv_prop.push(b);
        }
    }
    let (cv_cur_mean, cv_prop_mean) = (leadrank_metrics::stats::mean(&cv_cur), leadrank_metrics::stats::mean(&cv_prop));
    let (proposal, refinement, points_fit) = fit_points(&xr, q, &train, &y, &meta, &caps, &fired, thr_points, l2)?;
    // On stderr: a time would make the JSON differ between identical runs.
    eprintln!("proposal: 5-fold cross-validation and the final points fit took {:.2} s", cv_started.elapsed().as_secs_f64());
    let new_points: Vec<i32> = proposal.rules.iter().map(|r| r.proposed.unwrap_or(0)).collect();
    let fired_te: Vec<Vec<usize>> = test.iter().map(|&i| fired[i].clone()).collect();
    let prop_te_int = totals(&new_points, &dims, &caps, &fired_te);
    let prop_te: Vec<f64> = prop_te_int.iter().map(|&v| f64::from(v)).collect();
    let recommend = matches!((cv_cur_mean, cv_prop_mean), (Some(a), Some(b)) if b >= a + MIN_GAIN);
    let verdict = match (cv_cur_mean, cv_prop_mean) {
        (Some(a), Some(b)) if recommend => {
            format!("use the proposed points: cross-validated AUC {b:.4} against {a:.4} for the current points (+{:.4})", b - a)
        }
        (Some(a), Some(b)) => format!(
            "keep the current points: the proposal does not rank better in cross-validation (AUC {b:.4} against {a:.4} for the current points; a gain of at least {MIN_GAIN} is required)"
        ),
        _ => "keep the current points: cross-validation could not be done (too few outcomes in the folds)".to_string(),
    };
    let (auc_cur_te, auc_prop_te) = (roc_auc(&t_te, &y_te), roc_auc(&prop_te, &y_te));
    if recommend && matches!((auc_cur_te, auc_prop_te), (Some(a), Some(b)) if b < a) {
        warnings.push(format!(
            "the held-out rows disagree with cross-validation: there the proposal ranks below the current points (AUC {:.4} against {:.4}); check before adopting it",
            auc_prop_te.unwrap_or(0.0),
            auc_cur_te.unwrap_or(0.0)
        ));
    }
    let new_rules: Vec<proposal::NewRule> = candidates
        .iter()
        .enumerate()
        .filter_map(|(j, (k, id, when, label))| {
            let r = &proposal.rules[f.rules + j];
            r.proposed.map(|pts| proposal::NewRule {
                id: id.clone(),
                dimension: model.dimensions[meta[f.rules + j].1].id.to_string(),
                points: pts,
                label: label.clone(),
                when: when.clone(),
                comment: format!(
                    "proposed by calibration ({}): signal {} has log-odds {:+.3} in the full fit, {:+.3} in the points fit",
                    model.id(),
                    f.names[*k],
                    fitted.coef[*k],
                    points_fit.coef[f.rules + j]
                ),
            })
        })
        .collect();
    // A few leads with their totals, to check a written model against `leadrank score`.
    let sample: Vec<serde_json::Value> = (0..n.min(20))
        .map(|r| {
            let i = row_lead[r];
            let prop = totals(&new_points, &dims, &caps, std::slice::from_ref(&fired[r]))[0];
            serde_json::json!({
                "lead_id": dataset.leads[i].lead_id,
                "as_of": jiff::Timestamp::from_second(cut.at[i]).map(|t| t.to_string()).unwrap_or_default(),
                "current": current_int[r],
                "proposed": prop,
                "written": if recommend { prop } else { current_int[r] },
            })
        })
        .collect();
    let eval = |scores: &[f64]| -> serde_json::Value {
        serde_json::json!({
            "auc": roc_auc(scores, &y_te),
            "deciles": decile_table(scores, &y_te, &[]),
        })
    };
    let thr = f64::from(model.quality_threshold);
    let mut result = serde_json::json!({
        "leads": n, "won": won, "target": positive, "train": train.len(), "test": test.len(),
        "split": if args.split_by_time { "by time (latest 30% held out)" } else { "random" },
        "cut_off": cut,
        "current": {
            "auc_all": roc_auc(&total, &y),
            "held_out": eval(&t_te),
            "threshold": confusion_at(&t_te, &y_te, thr),
            "brier": brier(&cur_probs, &y_te),
            "reliability": reliability(&cur_probs, &y_te, 10),
        },
        "logistic": {
            "l2": l2, "cv_auc": cv, "iterations": fitted.iterations,
            "held_out": eval(&new_logits),
            "brier": brier(&new_probs, &y_te),
            "reliability": reliability(&new_probs, &y_te, 10),
            "coefficients": f.names.iter().zip(&fitted.coef).map(|(a, b)| (a.clone(), *b)).collect::<Vec<_>>(),
        },
        "proposed": {
            "held_out": eval(&prop_te),
            "threshold": confusion_at(&prop_te, &y_te, thr),
            "proposal": proposal,
            "refinement": refinement,
            "features": cols.iter().map(|&k| f.names[k].clone()).collect::<Vec<_>>(),
            "points_fit_coefficients": points_fit.coef,
            "cv": { "folds": cv_cur.len(), "current": cv_cur, "proposed": cv_prop, "current_mean": cv_cur_mean, "proposed_mean": cv_prop_mean, "min_gain": MIN_GAIN },
            "recommend": recommend,
            "verdict": verdict,
            "new_signals": strong_new,
            "new_rules": new_rules,
            "not_proposed": not_proposed,
            "sample": sample,
        },
        "warnings": warnings,
    });
    if let Some(g) = gbm {
        result["gbm"] = g;
    }
    if let Some(path) = &args.write_model {
        let source = match &args.model {
            Some(p) => std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?,
            None => model.source.clone(),
        };
        let text = if recommend {
            let points: Vec<(String, Option<i32>)> = proposal.rules[..f.rules].iter().map(|r| (r.id.clone(), r.proposed)).collect();
            let version = format!("{}-calibrated", model.version);
            let mut text = edit_model(&source, &points, Some(&version))?;
            if !new_rules.is_empty() {
                if !text.ends_with('\n') {
                    text.push('\n');
                }
                text.push_str(&proposal::rules_toml(&new_rules));
            }
            text
        } else {
            eprintln!("warning: {verdict}; --write-model writes the current points unchanged");
            source
        };
        CompiledModel::from_toml(&text, &path.display().to_string())
            .map_err(|e| anyhow::anyhow!("the proposed model does not compile: {e}"))?;
        std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("wrote the {} model to {}", if recommend { "proposed" } else { "current" }, path.display());
        result["written"] = serde_json::json!(if recommend { "proposed" } else { "current" });
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&result)?)?;
    } else {
        write!(out, "{}", render_calibration(&result))?;
    }
    let mut all = load_report;
    all.rejected.extend(rejected);
    Ok(exit_code(&all))
}

fn render_calibration(r: &serde_json::Value) -> String {
    let mut s = String::new();
    let g = |v: &serde_json::Value| v.as_f64();
    let target = r["target"].as_str().unwrap_or("won");
    let _ = writeln!(
        s,
        "Calibration on {} leads ({} {target}); {} training, {} held out ({})",
        r["leads"],
        r["won"],
        r["train"],
        r["test"],
        r["split"].as_str().unwrap_or("")
    );
    let c = &r["cut_off"];
    if c["rule"] == "single" {
        let _ = writeln!(s, "Cut-off: every lead scored at --as-of (--single-as-of; events after sales contact can leak)\n");
    } else {
        let horizon = c["horizon_days"].as_u64().map_or(String::new(), |d| format!(", its created_at + {d} days"));
        let _ = writeln!(
            s,
            "Cut-off: each lead scored as of min(--as-of, its first opportunity's created_at - 1 s{horizon}); {} leads cut at an opportunity ({} naming the lead, {} naming only its account), {} by the horizon\n",
            c["cut_by_lead_opportunity"].as_u64().unwrap_or(0) + c["cut_by_account_opportunity"].as_u64().unwrap_or(0),
            c["cut_by_lead_opportunity"],
            c["cut_by_account_opportunity"],
            c["cut_by_horizon"]
        );
    }
    // With --method gbm, a fourth column: the gradient-boosted challenger on the same rows.
    let gb = &r["gbm"];
    let has_gbm = gb.is_object();
    let _ = write!(s, "{:<34}{:>12}{:>12}{:>12}", "held-out figure", "current", "logistic", "proposed");
    let _ = writeln!(s, "{}", if has_gbm { format!("{:>12}", "gbm") } else { String::new() });
    let row = |s: &mut String, name: &str, a: Option<f64>, b: Option<f64>, c: Option<f64>, e: Option<f64>, d: usize| {
        let _ = write!(s, "{:<34}{:>12}{:>12}{:>12}", name, num(a, d), num(b, d), num(c, d));
        let _ = writeln!(s, "{}", if has_gbm { format!("{:>12}", num(e, d)) } else { String::new() });
    };
    row(
        &mut s,
        &format!("ROC AUC against {target}"),
        g(&r["current"]["held_out"]["auc"]),
        g(&r["logistic"]["held_out"]["auc"]),
        g(&r["proposed"]["held_out"]["auc"]),
        g(&gb["held_out"]["auc"]),
        3,
    );
    for k in 0..3 {
        row(
            &mut s,
            &format!("lift in decile {}", k + 1),
            g(&r["current"]["held_out"]["deciles"][k]["lift"]),
            g(&r["logistic"]["held_out"]["deciles"][k]["lift"]),
            g(&r["proposed"]["held_out"]["deciles"][k]["lift"]),
            g(&gb["held_out"]["deciles"][k]["lift"]),
            2,
        );
    }
    row(&mut s, "Brier score", g(&r["current"]["brier"]), g(&r["logistic"]["brier"]), None, g(&gb["brier"]), 4);
    row(
        &mut s,
        "threshold precision",
        g(&r["current"]["threshold"]["precision"]),
        None,
        g(&r["proposed"]["threshold"]["precision"]),
        None,
        3,
    );
    row(&mut s, "threshold recall", g(&r["current"]["threshold"]["recall"]), None, g(&r["proposed"]["threshold"]["recall"]), None, 3);
    row(
        &mut s,
        "share of leads that qualify",
        g(&r["current"]["threshold"]["flagged_share"]),
        None,
        g(&r["proposed"]["threshold"]["flagged_share"]),
        None,
        3,
    );
    let _ = writeln!(s, "\nCross-validated penalty (5 folds): l2 = {} ({})", r["logistic"]["l2"], r["logistic"]["cv_auc"]);
    let _ = writeln!(s, "\nReliability of the current score (held out, calibrated on training rows)");
    for b in r["current"]["reliability"].as_array().into_iter().flatten() {
        if b["count"].as_u64().unwrap_or(0) > 0 {
            let _ = writeln!(
                s,
                "  predicted {:>5.1}-{:<5.1}% n={:<6} mean {:>6.2}%  observed {:>6.2}%",
                g(&b["lo"]).unwrap_or(0.0) * 100.0,
                g(&b["hi"]).unwrap_or(0.0) * 100.0,
                b["count"],
                g(&b["mean_predicted"]).unwrap_or(0.0) * 100.0,
                g(&b["observed"]).unwrap_or(0.0) * 100.0
            );
        }
    }
    if has_gbm {
        let _ = writeln!(
            s,
            "\nGradient-boosted trees (challenger; the proposal below stays from the logistic fit): depth {}, learning rate {}, {} trees, chosen by early stopping on a validation share of the training rows",
            gb["depth"], gb["learning_rate"], gb["rounds"]
        );
        for c in gb["candidates"].as_array().into_iter().flatten() {
            let _ = writeln!(
                s,
                "  candidate depth {} learning rate {}: {} trees, validation log loss {}, AUC {}",
                c["depth"],
                c["learning_rate"],
                c["rounds"],
                num(g(&c["valid_logloss"]), 4),
                num(g(&c["valid_auc"]), 3)
            );
        }
        let gain = match (g(&gb["held_out"]["auc"]), g(&r["logistic"]["held_out"]["auc"])) {
            (Some(a), Some(b)) => format!("{:+.3}", a - b),
            _ => "-".into(),
        };
        let _ = writeln!(s, "  held-out AUC gain over the logistic fit: {gain} (what a non-linear model could add)");
        let _ = writeln!(s, "\nReliability, held out: logistic vs gbm (mean predicted / observed)");
        let (lr, gr) = (
            r["logistic"]["reliability"].as_array().cloned().unwrap_or_default(),
            gb["reliability"].as_array().cloned().unwrap_or_default(),
        );
        for (a, b) in lr.iter().zip(&gr) {
            let cell = |b: &serde_json::Value| {
                if b["count"].as_u64().unwrap_or(0) == 0 {
                    format!("{:>26}", "-")
                } else {
                    format!(
                        "n={:<6} {:>6.2}% / {:>6.2}%",
                        b["count"].as_u64().unwrap_or(0),
                        g(&b["mean_predicted"]).unwrap_or(0.0) * 100.0,
                        g(&b["observed"]).unwrap_or(0.0) * 100.0
                    )
                }
            };
            let _ = writeln!(
                s,
                "  predicted {:>5.1}-{:<5.1}%  {}   {}",
                g(&a["lo"]).unwrap_or(0.0) * 100.0,
                g(&a["hi"]).unwrap_or(0.0) * 100.0,
                cell(a),
                cell(b)
            );
        }
        let _ = writeln!(s, "\nFeature importance of the trees (top 10, share of total split gain)");
        for v in gb["importance"].as_array().into_iter().flatten() {
            let _ = writeln!(s, "  {:<34}{:>7.1}%", v[0].as_str().unwrap_or(""), g(&v[1]).unwrap_or(0.0) * 100.0);
        }
    }
    let pr = &r["proposed"]["proposal"];
    let pp = &r["proposed"];
    let rf = &pp["refinement"];
    let _ = writeln!(
        s,
        "\nProposed points (fitted on the proposal's own {} features with the dimension caps; start: {}; {:.2}% of leads qualify today, {:.2}% with the proposal)",
        pp["features"].as_array().map_or(0, |v| v.len()),
        rf["start"].as_str().unwrap_or(""),
        g(&pr["share_current"]).unwrap_or(0.0) * 100.0,
        g(&pr["share_proposed"]).unwrap_or(0.0) * 100.0
    );
    let _ = writeln!(
        s,
        "  training AUC of the capped totals: current {}, coefficients x {:.2} points {}, after the integer refinement {} ({} moves)",
        num(g(&rf["auc_current"]), 4),
        g(&pr["scale"]).unwrap_or(0.0),
        num(g(&rf["auc_best_scale"]), 4),
        num(g(&rf["auc_refined"]), 4),
        rf["moves"]
    );
    let _ = writeln!(s, "  {:<34}{:>9}{:>10}{:>10}  change", "rule", "current", "proposed", "log-odds");
    for rule in pr["rules"].as_array().into_iter().flatten() {
        let _ = writeln!(
            s,
            "  {:<34}{:>9}{:>10}{:>10.3}  {}",
            rule["id"].as_str().unwrap_or(""),
            if rule["change"] == "new" || (rule["current"] == 0 && rule["change"] == "drop") {
                "-".to_string()
            } else {
                rule["current"].to_string()
            },
            rule["proposed"].as_i64().map_or("-".into(), |v| v.to_string()),
            g(&rule["coef"]).unwrap_or(0.0),
            if rule["current"] == 0 && rule["change"] == "drop" { "not added" } else { rule["change"].as_str().unwrap_or("") }
        );
    }
    let new = pp["new_rules"].as_array().cloned().unwrap_or_default();
    if !new.is_empty() {
        let _ = writeln!(s, "\nNew rules for strong signals the model lacks (written by --write-model when the proposal is recommended):");
        for v in new {
            let _ = writeln!(
                s,
                "  {:<34} {:<10}{:>5} points  when = {}",
                v["id"].as_str().unwrap_or(""),
                v["dimension"].as_str().unwrap_or(""),
                v["points"],
                v["when"].as_str().unwrap_or("")
            );
        }
    }
    for v in pp["not_proposed"].as_array().into_iter().flatten() {
        let _ = writeln!(s, "  (strong signal {} not proposed as a rule: {})", v[0].as_str().unwrap_or(""), v[1].as_str().unwrap_or(""));
    }
    let cv = &pp["cv"];
    let _ = writeln!(
        s,
        "\nCross-validated on the training rows ({} folds; the whole proposal refitted on 4, ranked on the 5th): AUC current {}, proposed {}",
        cv["folds"],
        num(g(&cv["current_mean"]), 4),
        num(g(&cv["proposed_mean"]), 4)
    );
    let _ = writeln!(s, "Recommendation: {}", pp["verdict"].as_str().unwrap_or(""));
    let warnings = r["warnings"].as_array().cloned().unwrap_or_default();
    if !warnings.is_empty() {
        let _ = writeln!(s, "\nWarnings");
        for w in warnings {
            let _ = writeln!(s, "  ! {}", w.as_str().unwrap_or(""));
        }
    }
    s
}

pub fn learn(args: LearnArgs) -> Result<ExitCode> {
    let format = format_of(&args.data, None, args.delimiter)?;
    let (table, rejected) = read_table_with_columns(&args.data, format)?;
    print_rejects(&rejected);
    let mut opts = LearnOptions {
        target: args.target.clone(),
        exclude: args.exclude.clone(),
        holdout: args.holdout,
        seed: args.seed,
        ..LearnOptions::default()
    };
    if let Some(unknown) = args.exclude.iter().find(|e| !table.columns.contains(e)) {
        bail!("--exclude names '{unknown}', which is not a column of {}", args.data.display());
    }
    opts.missing.extend(args.missing.iter().map(|m| m.trim().to_string()));
    if let Some(tc) = &args.time_column {
        let Some(c) = table.columns.iter().position(|x| x == tc) else { bail!("no column '{tc}' in {}", args.data.display()) };
        let key = |v: &str| -> Option<f64> {
            v.parse::<f64>().ok().or_else(|| leadrank_core::records::parse_time(v).ok().flatten().map(|t| t.as_second() as f64))
        };
        let mut idx: Vec<(f64, usize)> = table.rows.iter().enumerate().map(|(i, r)| (key(&r[c]).unwrap_or(f64::NEG_INFINITY), i)).collect();
        idx.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let cut = ((idx.len() as f64) * (1.0 - args.holdout)).round() as usize;
        let mut flags = vec![false; table.rows.len()];
        for &(_, i) in &idx[cut..] {
            flags[i] = true;
        }
        opts.test_rows = Some(flags);
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
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&learned)?)?;
    } else {
        let mut s = String::new();
        let h = &learned.holdout;
        let _ = writeln!(
            s,
            "Learned a points model for '{}' from {} training rows; {} held out ({} positive); {} rows without a target skipped",
            learned.target, learned.train_rows, h.rows, h.positives, learned.skipped_rows
        );
        let _ = writeln!(
            s,
            "Held-out ROC AUC: points model {}, logistic regression {}; Brier {} (l2 = {}, chosen by 5-fold cross-validation: {:?})\n",
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
                    format!("  LEAKS? {}", c.purest_value.clone().unwrap_or_else(|| "nearly perfect alone".into()))
                } else {
                    String::new()
                }
            );
        }
        let _ = writeln!(s, "\nPoints (20 points double the odds; the most common value of each column scores 0)");
        for r in &learned.rules {
            let _ = writeln!(s, "  {:>+5}  {} {}   ({} rows)", r.points, r.column, r.condition, r.rows);
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
    let leads = &runs[0].1.leads;
    let won = won_labels(leads, &opps);
    let index: HashMap<&str, usize> = leads.iter().enumerate().map(|(i, l)| (l.lead_id.as_str(), i)).collect();
    let mut revenue = vec![0.0; leads.len()];
    let mut has_opp = vec![false; leads.len()];
    for o in &opps {
        if let Some(&i) = o.lead_id.as_deref().and_then(|l| index.get(l)) {
            has_opp[i] = true;
            if o.status == OppStatus::Won {
                revenue[i] += o.amount.unwrap_or(0.0);
            }
        }
    }
    let total_rev: f64 = revenue.iter().sum();
    let mut out = std::io::stdout().lock();
    writeln!(out, "Backtest of {} leads as of {as_of}: {} won\n", leads.len(), won.iter().filter(|&&w| w).count())?;
    writeln!(
        out,
        "{:<40}{:>14}{:>12}{:>10}{:>10}{:>14}{:>10}",
        "model", "quality leads", "precision", "recall", "AUC", "top-10% rev", "share"
    )?;
    for (model, _, scores) in &runs {
        let t: Vec<f64> = scores.iter().map(|s| f64::from(s.total)).collect();
        let c = confusion_at(&t, &won, f64::from(model.quality_threshold));
        let d = decile_table(&t, &won, &revenue);
        writeln!(
            out,
            "{:<40}{:>14}{:>12}{:>10}{:>10}{:>14}{:>10}",
            model.id(),
            c.true_pos + c.false_pos,
            num(c.precision, 3),
            num(c.recall, 3),
            num(roc_auc(&t, &won), 3),
            money(d[0].value),
            pct((total_rev > 0.0).then(|| d[0].value / total_rev))
        )?;
        writeln!(
            out,
            "{:<40}top decile: {} leads, opportunity rate {}, won rate {}",
            "",
            d[0].leads,
            pct(top_rate(&t, &has_opp)),
            pct(d[0].rate)
        )?;
    }
    let (a, b) = (&runs[0].2, &runs[1].2);
    let mut up = Vec::new();
    let mut down = Vec::new();
    for i in 0..leads.len() {
        match (a[i].quality, b[i].quality) {
            (false, true) => up.push(i),
            (true, false) => down.push(i),
            _ => {}
        }
    }
    let won_in = |v: &[usize]| v.iter().filter(|&&i| won[i]).count();
    writeln!(
        out,
        "\n{} leads become quality under B ({} of them won); {} stop being quality ({} won)",
        up.len(),
        won_in(&up),
        down.len(),
        won_in(&down)
    )?;
    for (label, list) in [("now quality", &up), ("no longer quality", &down)] {
        for &i in list.iter().take(args.show) {
            writeln!(
                out,
                "  {:<18} {:<12} {:>5} -> {:<5} {}",
                label,
                leads[i].lead_id,
                a[i].total,
                b[i].total,
                if won[i] { "won" } else { "" }
            )?;
        }
    }
    report_rejects(&report, None)?;
    report.rejected.extend(rejected);
    Ok(exit_code(&report))
}

/// The positive rate of `labels` in the top decile of `scores`.
fn top_rate(scores: &[f64], labels: &[bool]) -> Option<f64> {
    decile_table(scores, labels, &[]).first().and_then(|d| d.rate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lead(id: &str, account: Option<&str>, created: i64) -> Lead {
        Lead {
            lead_id: id.into(),
            account_id: account.map(Into::into),
            created_at: jiff::Timestamp::from_second(created).ok(),
            ..Lead::default()
        }
    }

    fn opp(id: &str, lead: Option<&str>, account: Option<&str>, created: Option<i64>) -> Opportunity {
        Opportunity {
            id: id.into(),
            lead_id: lead.map(Into::into),
            account_id: account.map(Into::into),
            created_at: created,
            closed_at: None,
            status: OppStatus::Won,
            amount: None,
            loss_reason: None,
        }
    }

    #[test]
    fn cut_offs_stop_before_the_first_opportunity_of_the_lead_or_its_account() {
        let as_of = 1_000_000;
        let leads =
            vec![lead("a", Some("X"), 0), lead("b", Some("X"), 0), lead("c", None, 0), lead("d", None, 0), lead("e", None, 900_000)];
        let opps = vec![
            opp("o1", Some("a"), Some("X"), Some(500_000)),
            opp("o2", Some("a"), None, Some(400_000)),
            opp("o3", None, Some("X"), Some(600_000)),
            opp("o4", Some("c"), None, Some(2_000_000)),
            opp("o5", Some("d"), None, None),
        ];
        let c = cutoffs(&leads, &opps, as_of, None);
        // a: its own first opportunity; b: the account's; c: after --as-of; d: no time; e: none.
        assert_eq!(c.at, vec![399_999, 599_999, as_of, as_of, as_of]);
        assert_eq!((c.cut_by_lead_opportunity, c.cut_by_account_opportunity, c.cut_by_horizon), (1, 1, 0));
        assert_eq!(c.opportunities_without_created_at, 1);
        // A 5-day horizon (432,000 s after created_at) cuts b, c and d; a's opportunity comes
        // earlier; e's horizon falls after --as-of.
        let c = cutoffs(&leads, &opps, as_of, Some(5));
        assert_eq!(c.at, vec![399_999, 432_000, 432_000, 432_000, as_of]);
        assert_eq!((c.cut_by_lead_opportunity, c.cut_by_account_opportunity, c.cut_by_horizon), (1, 0, 3));
    }
}
