//! The data-integrity subcommands: `dedupe`, `hygiene` and `match-accounts`.
//! Thin glue: files through `leadrank-io`, logic in `leadrank-hygiene`.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use leadrank_hygiene::merge::survivors;
use leadrank_hygiene::{DedupeConfig, Matcher};
use leadrank_io::hygiene as files;
use leadrank_io::read::{Kind, LoadReport};
use leadrank_io::write::write_leads_csv_columns;

/// How many rejected rows stderr shows before summarising.
const SHOWN_REJECTS: usize = 50;

/// `leadrank dedupe`: fuzzy duplicates, clusters, merged leads, merge map, moved events.
#[derive(Args)]
pub struct DedupeArgs {
    /// Leads file (.csv or .jsonl).
    #[arg(long, required_unless_present = "show_config")]
    leads: Option<PathBuf>,
    /// Events file (.csv or .jsonl); its events are written to OUT/events.* moved to survivors.
    #[arg(long)]
    events: Option<PathBuf>,
    /// Dedupe configuration: a TOML file (fields, comparators, weights, blocking keys) or a
    /// preset name: `default` (the lead fields) or `address` (the lead fields plus the
    /// custom columns street, city and postcode). Default: `default`.
    #[arg(long, value_name = "FILE|NAME")]
    config: Option<String>,
    /// Where the weights come from, overriding the configuration's `weights`: `hand` (the
    /// fields' agree/disagree points and `threshold`) or `em` (learned from the data without
    /// labels: Fellegi-Sunter m and u per comparison level by expectation maximisation; the
    /// learned weights go to OUT/weights.csv and stderr).
    #[arg(long, value_name = "hand|em")]
    weights: Option<WeightsArg>,
    /// Output directory (created if missing).
    #[arg(long, required_unless_present = "show_config")]
    out: Option<PathBuf>,
    /// Print a preset configuration (default: `default`) and exit.
    #[arg(long, value_name = "NAME", num_args = 0..=1, default_missing_value = "default")]
    show_config: Option<String>,
    #[command(flatten)]
    read: crate::InputArgs,
    /// Also write every rejected row to this file (stderr shows the first 50).
    #[arg(long)]
    rejects: Option<PathBuf>,
}

/// `--weights`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum WeightsArg {
    Hand,
    Em,
}

/// The learned weights as a table: field, level, pairs, m, u, weight.
fn write_weights(w: &mut dyn Write, config: &DedupeConfig, model: &leadrank_hygiene::em::Model) -> std::io::Result<()> {
    use leadrank_hygiene::em::{LEVEL_NAMES, LEVELS};
    let rows = config.fields.iter().zip(&model.fields).flat_map(|(f, fw)| {
        (1..LEVELS).map(move |l| {
            [
                f.field.clone(),
                LEVEL_NAMES[l].to_string(),
                fw.pairs[l].to_string(),
                format!("{:.6}", fw.m[l]),
                format!("{:.6}", fw.u[l]),
                format!("{:+.3}", fw.weight(l)),
            ]
        })
    });
    files::write_csv_table(w, &["field", "level", "compared_pairs", "m", "u", "weight_log2"], rows)
}

fn report_rejects(report: &LoadReport, file: Option<&Path>) -> Result<()> {
    let mut stderr = std::io::stderr().lock();
    // The first rows, each with every bad field on its own line.
    for line in report.rejected.iter().take(SHOWN_REJECTS).flat_map(|r| r.lines()) {
        writeln!(stderr, "rejected {line}")?;
    }
    if report.rejected.len() > SHOWN_REJECTS {
        writeln!(stderr, "... and {} more rejected rows", report.rejected.len() - SHOWN_REJECTS)?;
    }
    if let Some(path) = file {
        let mut w = files::create(path).with_context(|| format!("cannot create {}", path.display()))?;
        for r in &report.rejected {
            writeln!(w, "{r}")?;
        }
        w.flush()?;
    }
    Ok(())
}

fn preset_names() -> String {
    leadrank_hygiene::config::PRESETS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
}

fn load_config(arg: Option<&str>) -> Result<DedupeConfig> {
    use leadrank_hygiene::config::preset;
    let arg = arg.unwrap_or("default");
    let path = Path::new(arg);
    match preset(arg) {
        Some(text) if !path.is_file() => Ok(DedupeConfig::from_toml(text, &format!("preset '{arg}'"))?),
        _ => {
            if !path.exists() && !arg.contains(['/', '.']) {
                anyhow::bail!("--config {arg}: no such file and no such preset (presets: {})", preset_names());
            }
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read config file {}", path.display()))?;
            Ok(DedupeConfig::from_toml(&text, &path.display().to_string())?)
        }
    }
}

/// The columns the leads have: the built-in fields with a value in at least one lead, then
/// the custom columns in their first-seen order.
fn lead_columns(leads: &[leadrank_core::Lead]) -> Vec<String> {
    let mut columns: Vec<String> = leadrank_core::records::LEAD_FIELDS
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| *n == "lead_id" || leads.iter().any(|l| leadrank_io::write::lead_field_is_set(l, n)))
        .map(str::to_string)
        .collect();
    for l in leads {
        for (k, _) in &l.custom {
            if !columns.contains(k) {
                columns.push(k.clone());
            }
        }
    }
    columns
}

fn write_file(path: &Path, f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    let mut w = files::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    f(&mut w).and_then(|()| w.flush()).with_context(|| format!("cannot write {}", path.display()))
}

/// Pairs per unit of parallel formatting in [`write_pairs`].
const PAIRS_PER_CHUNK: usize = 8192;

/// Writes `pairs.csv`: lead ids, score, match probability and evidence of every matched
/// pair. The rows are formatted in parallel (a bounded batch at a time, so the file is never
/// held in memory) and written in order: the same bytes as formatting them one by one.
fn write_pairs(
    w: &mut dyn Write,
    leads: &[leadrank_core::Lead],
    config: &DedupeConfig,
    matcher: &Matcher,
    result: &leadrank_hygiene::DedupeResult,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    use std::fmt::Write as _;
    let id = |i: u32| leads.get(i as usize).map_or("", |l| l.lead_id.as_str());
    let format_chunk = |pairs: &[leadrank_hygiene::MatchPair]| -> std::io::Result<Vec<u8>> {
        let mut rows = csv::Writer::from_writer(Vec::with_capacity(pairs.len() * 160));
        let (mut score, mut probability, mut evidence) = (String::new(), String::new(), String::new());
        for p in pairs {
            score.clear();
            probability.clear();
            evidence.clear();
            // Cannot fail: writing to a String.
            let _ = write!(score, "{:.2}", p.score);
            if let Some(x) = p.probability {
                let _ = write!(probability, "{x:.6}");
            }
            for (k, e) in result.evidence(matcher, p).iter().enumerate() {
                if k > 0 {
                    evidence.push_str("; ");
                }
                let _ = write!(evidence, "{}={:.2}({:+.2})", e.label(config), e.similarity, e.points);
            }
            rows.write_record([id(p.a), id(p.b), score.as_str(), probability.as_str(), evidence.as_str()])?;
        }
        rows.into_inner().map_err(|e| e.into_error())
    };
    let mut header = csv::Writer::from_writer(Vec::new());
    header.write_record(["lead_id_a", "lead_id_b", "score", "match_probability", "evidence"])?;
    w.write_all(&header.into_inner().map_err(|e| e.into_error())?)?;
    let batch = PAIRS_PER_CHUNK * rayon::current_num_threads().max(1) * 2;
    for pairs in result.pairs.chunks(batch) {
        let chunks: Vec<std::io::Result<Vec<u8>>> = pairs.par_chunks(PAIRS_PER_CHUNK).map(format_chunk).collect();
        for chunk in chunks {
            w.write_all(&chunk?)?;
        }
    }
    Ok(())
}

pub fn dedupe(args: DedupeArgs) -> Result<ExitCode> {
    if let Some(name) = &args.show_config {
        let Some(text) = leadrank_hygiene::config::preset(name) else {
            anyhow::bail!("--show-config {name}: no such preset (presets: {})", preset_names());
        };
        print!("{text}");
        return Ok(ExitCode::SUCCESS);
    }
    let (Some(out), Some(leads_path)) = (args.out.as_deref(), args.leads.as_deref()) else {
        anyhow::bail!("--leads FILE and --out DIR are required")
    };
    let mut config = load_config(args.config.as_deref())?;
    if let Some(w) = args.weights {
        config.weights = match w {
            WeightsArg::Hand => leadrank_hygiene::Weights::Hand,
            WeightsArg::Em => leadrank_hygiene::Weights::Em,
        };
        config.check_weights()?;
    }
    // Phase timings and memory on stderr when LEADRANK_TIMINGS is set.
    let mut clock = std::time::Instant::now();
    let read = args.read.resolve()?;
    if args.events.is_some() && read.mapping(Kind::Events).is_some() {
        anyhow::bail!(
            "dedupe writes the events file back with its own columns, so it reads events without a mapping; map the events first"
        );
    }
    let (leads, mut report) = files::read_leads_mapped(leads_path, read.format_of(leads_path)?, read.mapping(Kind::Leads))?;
    let lead_rows_rejected = report.rejected.len();
    if let Some(events) = &args.events {
        // Checked like lead rows: a malformed row or one whose lead is not an accepted lead
        // (rejected above, or never in the leads file) is reported with file, line and field.
        let index: HashMap<String, u32> = leads.iter().enumerate().map(|(i, l)| (l.lead_id.clone(), i as u32)).collect();
        files::read_event_traces(events, read.format_of(events)?, &index, &mut report)?;
    }
    crate::input_args::print_report_notes(&report);
    report_rejects(&report, args.rejects.as_deref())?;
    if leads.is_empty() && lead_rows_rejected == 0 {
        anyhow::bail!("{}: no lead rows (the file is empty or has only a header)", leads_path.display());
    }
    let columns = lead_columns(&leads);
    let fit = config.fit_columns(&columns)?;
    if !fit.absent_fields.is_empty() {
        eprintln!(
            "warning: {}: the data has no column {} (compared as absent); blocking keys that find no pairs: {}",
            config.source,
            fit.absent_fields.join(", "),
            if fit.dead_blocking_keys.is_empty() { "none".to_string() } else { fit.dead_blocking_keys.join(", ") },
        );
    }
    if fit.live_blocking_keys == 0 {
        anyhow::bail!(
            "{}: no blocking key can be built from the columns of {} ({}), so no pair can be compared; use a configuration for these columns (`--config address`, or a file: `leadrank dedupe --show-config` prints one to start from)",
            config.source,
            leads_path.display(),
            columns.join(", ")
        );
    }
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    crate::commands::timing("read", &mut clock);
    let started = std::time::Instant::now();
    let matcher = Matcher::new(&config);
    let mut result = matcher.run_leads(&leads, &mut |phase| crate::commands::timing(phase, &mut clock));
    let mut matching = started.elapsed();
    // The pairs first, while the records kept for their evidence are there; then they are
    // let go, so survivorship does not stack its memory on top of them.
    write_file(&out.join("pairs.csv"), |w| write_pairs(w, &leads, &config, &matcher, &result))?;
    crate::commands::timing("write pairs", &mut clock);
    result.release_records();
    result.pairs = Vec::new();
    let merge_started = std::time::Instant::now();
    let plan = survivors(&leads, &result.clusters);
    crate::commands::timing("merge", &mut clock);
    matching += merge_started.elapsed();

    write_file(&out.join("merge_map.csv"), |w| {
        files::write_csv_table(
            w,
            &["old_id", "survivor_id", "cluster", "role"],
            plan.map().map(|e| {
                let role = if e.old_id == e.survivor_id { "survivor" } else { "merged" };
                [e.old_id, e.survivor_id, e.cluster.to_string(), role.to_string()]
            }),
        )
    })?;
    write_file(&out.join("leads.csv"), |w| write_leads_csv_columns(w, plan.leads(), &columns))?;
    let mut moved = None;
    if let Some(events) = &args.events {
        let format = read.format_of(events)?;
        let name = if format.is_csv() { "events.csv" } else { "events.jsonl" };
        // Every accepted lead (an event of any other lead is left out), moved to its survivor.
        let map: HashMap<String, String> =
            leads.iter().map(|l| (l.lead_id.clone(), l.lead_id.clone())).chain(plan.map().map(|e| (e.old_id, e.survivor_id))).collect();
        let path = out.join(name);
        let mut w = files::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
        let r = files::remap_events(events, format, &mut w, &map)?;
        w.flush()?;
        moved = Some(r);
    }
    if let Some(model) = &result.model {
        write_file(&out.join("weights.csv"), |w| write_weights(w, &config, model))?;
    }
    crate::commands::timing("write", &mut clock);
    for note in &result.notes {
        eprintln!("note: {note}");
    }
    if let Some(model) = &result.model {
        use leadrank_hygiene::em::{LEVEL_NAMES, LEVELS};
        eprintln!(
            "learned weights (log2 m/u; u from {}; {} compared pairs, {} random pairs; share of matches among compared pairs {:.4}; {} EM iterations{}); a match has probability >= {} (weight >= {:.2}); also in {}:",
            match model.u_source {
                leadrank_hygiene::em::USource::Random => "random pairs",
                leadrank_hygiene::em::USource::Em => "EM",
            },
            model.compared_pairs,
            model.random_pairs,
            model.lambda,
            model.iterations,
            if model.converged { ", converged" } else { ", NOT converged" },
            config.em.match_probability,
            leadrank_hygiene::em::weight_of_probability(config.em.match_probability),
            out.join("weights.csv").display(),
        );
        for (f, fw) in config.fields.iter().zip(&model.fields) {
            let levels: Vec<String> = (1..LEVELS).map(|l| format!("{} {:+.2}", LEVEL_NAMES[l], fw.weight(l))).collect();
            eprintln!("  {}: {}", f.field, levels.join(", "));
        }
    }
    for (p, key) in result.stats.passes.iter().zip(&config.blocking) {
        if let Some(window) = key.window {
            eprintln!(
                "blocking {} (sorted neighbourhood, window {window}): {} pairs ({} not found by an earlier key)",
                p.key, p.pairs, p.new_pairs
            );
            continue;
        }
        eprintln!(
            "blocking {}: {} blocks, {} pairs ({} not found by an earlier key){}",
            p.key,
            p.blocks,
            p.pairs,
            p.new_pairs,
            if p.skipped_blocks == 0 {
                String::new()
            } else {
                format!(
                    "; {} blocks over max_block = {} skipped ({} records, {} pairs not compared by this key, the largest block {})",
                    p.skipped_blocks, config.max_block, p.skipped_records, p.skipped_pairs, p.largest_skipped
                )
            }
        );
    }
    let merged = plan.map().filter(|e| e.old_id != e.survivor_id).count();
    eprintln!(
        "{} leads: {} candidate pairs, {} duplicate pairs, {} clusters; {} records merged into {} survivors, {} leads written to {} ({:.2} s matching){}{}",
        leads.len(),
        result.stats.candidate_pairs,
        result.stats.matched_pairs,
        result.stats.clusters,
        merged,
        result.stats.clusters,
        plan.len(),
        out.display(),
        matching.as_secs_f64(),
        moved.map_or(String::new(), |r| format!(
            "; {} events copied, {} moved to survivors, {} left out (their lead was rejected or is not in the leads file)",
            r.rows, r.moved, r.without_lead
        )),
        if report.rejected.is_empty() {
            String::new()
        } else {
            format!(
                "; {} rows rejected ({} lead rows, {} event rows)",
                report.rejected.len(),
                lead_rows_rejected,
                report.rejected.len() - lead_rows_rejected
            )
        },
    );
    Ok(if report.rejected.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Output format of the hygiene and match-accounts reports.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// A human table.
    Table,
    /// JSON for machines.
    Json,
    /// CSV: one row per field and check (hygiene) or per lead (match-accounts).
    Csv,
}

fn pick_format(format: Option<ReportFormat>, to_file: bool, otherwise: ReportFormat) -> ReportFormat {
    use std::io::IsTerminal;
    match format {
        Some(f) => f,
        None if !to_file && std::io::stdout().is_terminal() => ReportFormat::Table,
        None => otherwise,
    }
}

/// `leadrank hygiene`: the data-quality report.
#[derive(Args)]
pub struct HygieneArgs {
    /// Leads file (.csv or .jsonl).
    #[arg(long)]
    leads: PathBuf,
    /// Events file (.csv or .jsonl): bounces, form bursts, `user_agent` and `ip` properties.
    #[arg(long)]
    events: Option<PathBuf>,
    /// Accounts file (.csv or .jsonl): leads naming an unknown account are counted.
    #[arg(long)]
    accounts: Option<PathBuf>,
    /// Consent records file (.csv or .jsonl): the latest `marketing` record sets a lead's
    /// consent before coverage is counted.
    #[arg(long)]
    consents: Option<PathBuf>,
    /// Output format (default: table on a terminal, json otherwise).
    #[arg(long, value_enum)]
    format: Option<ReportFormat>,
    /// Report time T, RFC 3339 or YYYY-MM-DD (default: now): later dates are "in the future",
    /// later events are ignored, and the Integrity cost is scored at T.
    #[arg(long)]
    as_of: Option<String>,
    /// Scoring model (TOML) whose integrity dimension and data penalties the Integrity cost
    /// is computed from (default: the built-in model, as `leadrank score`).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Count duplicate clusters with the fuzzy matcher of `dedupe` (built-in configuration)
    /// instead of the exact duplicate keys (same valid email, or same name in one account).
    #[arg(long)]
    fuzzy: bool,
    #[command(flatten)]
    read: crate::InputArgs,
    /// Also write every rejected row to this file (stderr shows the first 50).
    #[arg(long)]
    rejects: Option<PathBuf>,
}

/// Runs `leadrank hygiene`: exit 0, or 1 when rows were rejected.
pub fn hygiene(args: HygieneArgs) -> Result<ExitCode> {
    use leadrank_hygiene::report::{self as hreport, Check, Input, RejectedRow};
    use leadrank_hygiene::risk::{EventView, signals_of};

    let started = std::time::Instant::now();
    let as_of = crate::commands::parse_as_of(args.as_of.as_deref())?;
    let as_of_s = as_of.as_second();
    let model = crate::commands::load_model(args.model.as_deref())?;
    let integrity_rules = hreport::IntegrityRules::of(&model)?;
    let inputs = crate::Inputs {
        leads: args.leads.clone(),
        events: args.events.clone(),
        accounts: args.accounts.clone(),
        consents: args.consents.clone(),
        model: args.model.clone(),
        as_of: args.as_of.clone(),
        read: args.read.clone(),
        rejects: args.rejects.clone(),
    };
    let read = args.read.resolve()?;
    let (dataset, load) = crate::commands::load(&inputs, &model)?;
    let leads = &dataset.leads;
    let leads_file = args.leads.display().to_string();
    let rejected: Vec<RejectedRow> = load
        .rejected
        .iter()
        .filter(|r| r.file == leads_file)
        .map(|r| RejectedRow {
            field: r.field.clone(),
            location: match r.column {
                Some(c) => format!("{}:{}:{c}", r.file, r.line),
                None => format!("{}:{}", r.file, r.line),
            },
            message: r.message.to_string(),
        })
        .collect();

    let (signals, bounced) = match &args.events {
        None => (None, None),
        Some(path) => {
            let index: HashMap<String, u32> = leads.iter().enumerate().map(|(i, l)| (l.lead_id.clone(), i as u32)).collect();
            // Rejected event rows were reported by the first read.
            let mut again = LoadReport::default();
            let traces = files::read_event_traces_mapped(path, read.format_of(path)?, read.mapping(Kind::Events), &index, &mut again)?;
            let (s, b): (Vec<_>, Vec<_>) = traces
                .iter()
                .map(|t| {
                    signals_of(
                        t.iter().map(|e| EventView {
                            event_type: &e.event_type,
                            at: e.at,
                            user_agent: e.user_agent.as_deref(),
                            ip: e.ip.as_deref(),
                        }),
                        as_of_s,
                    )
                })
                .unzip();
            (Some(s), Some(b))
        }
    };
    let clusters = if args.fuzzy {
        let config = DedupeConfig::default_config();
        Matcher::new(&config).run_leads(leads, &mut |_| {}).clusters
    } else {
        hreport::duplicate_clusters(leads)
    };
    // Scoring is only needed for the Integrity cost: skipped when the model has no
    // integrity dimension.
    let scores = if integrity_rules.is_some() { dataset.score_all(&model, as_of, &|_| {}) } else { Vec::new() };
    let mut report = hreport::report(&Input {
        leads,
        rejected: &rejected,
        signals: signals.as_deref(),
        bounced: bounced.as_deref(),
        clusters: &clusters,
        scores: integrity_rules.as_ref().map(|r| (scores.as_slice(), r)),
        as_of: as_of_s,
    });
    if args.accounts.is_some() {
        let total = report.leads + report.rejected_rows;
        let mut unknown = Check {
            field: "account_id".into(),
            check: "not in the accounts file".into(),
            kind: "invalid",
            count: 0,
            share: 0.0,
            examples: Vec::new(),
        };
        for l in leads.iter().filter(|l| l.account_id.as_deref().is_some_and(|a| !dataset.accounts.contains_key(a))) {
            unknown.count += 1;
            if unknown.examples.len() < hreport::EXAMPLES {
                unknown.examples.push(l.lead_id.clone());
            }
        }
        unknown.share = if total == 0 { 0.0 } else { unknown.count as f64 / total as f64 };
        report.checks.push(unknown);
    }

    let format = pick_format(args.format, false, ReportFormat::Json);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = match format {
        ReportFormat::Json => {
            #[derive(serde::Serialize)]
            struct Json<'a> {
                as_of: String,
                model: String,
                events: bool,
                /// `spec_keys` or `fuzzy`.
                duplicates_by: &'static str,
                #[serde(flatten)]
                report: &'a leadrank_hygiene::report::HygieneReport,
            }
            let doc = Json {
                as_of: as_of.to_string(),
                model: model.id().to_string(),
                events: args.events.is_some(),
                duplicates_by: if args.fuzzy { "fuzzy" } else { "spec_keys" },
                report: &report,
            };
            serde_json::to_writer_pretty(&mut out, &doc).map_err(std::io::Error::from).and_then(|()| writeln!(out))
        }
        ReportFormat::Csv => write_hygiene_csv(&mut out, &report, args.fuzzy),
        ReportFormat::Table => {
            write!(out, "{}", hygiene_table(&report, &as_of.to_string(), &model.id(), args.events.is_some(), args.fuzzy))
        }
    };
    match written.and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.context("cannot write the report")?,
    }
    eprintln!(
        "hygiene: {} leads, {} rows rejected, {} events, {} duplicate clusters, {} high-risk leads, as of {} ({:.2} s)",
        report.leads,
        load.rejected.len(),
        load.events,
        report.duplicates.clusters,
        report.risk.high,
        as_of,
        started.elapsed().as_secs_f64()
    );
    Ok(if load.rejected.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn pct(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// The CSV form: one row per field and check, then decay, consent, duplicates, risk and
/// integrity rows in the same columns.
fn write_hygiene_csv(out: &mut dyn Write, r: &leadrank_hygiene::report::HygieneReport, fuzzy: bool) -> std::io::Result<()> {
    let n = r.leads;
    let share = |c: u64| if n == 0 { 0.0 } else { c as f64 / n as f64 };
    let row = |section: &str, field: &str, check: &str, kind: &str, count: u64, share: f64, examples: &[String]| {
        [
            section.to_string(),
            field.to_string(),
            check.to_string(),
            kind.to_string(),
            count.to_string(),
            format!("{share:.4}"),
            examples.join(";"),
        ]
    };
    let mut rows: Vec<[String; 7]> = Vec::new();
    for c in &r.checks {
        rows.push(row("field", &c.field, &c.check, c.kind, c.count, c.share, &c.examples));
    }
    let d = &r.decay;
    rows.push(row("decay", "email", "bounced (email_bounce event)", "decayed", d.bounced_email, share(d.bounced_email), &[]));
    rows.push(row("decay", "phone", "not valid for the country", "decayed", d.invalid_phone, share(d.invalid_phone), &[]));
    rows.push(row("decay", "record", "bounced email or invalid phone", "decayed", d.decayed, d.share, &d.examples));
    let c = &r.consent;
    rows.push(row("consent", "consent", "granted", "coverage", c.granted, c.coverage, &[]));
    rows.push(row("consent", "consent", "denied", "coverage", c.denied, share(c.denied), &[]));
    rows.push(row("consent", "consent", "unknown", "missing", c.unknown, share(c.unknown), &[]));
    rows.push(row(
        "consent",
        "consent_at",
        "granted without consent_at",
        "suspicious",
        c.granted_without_time,
        share(c.granted_without_time),
        &[],
    ));
    let u = &r.duplicates;
    let ex: Vec<String> = u.examples.iter().map(|c| c.join("+")).collect();
    let label = if fuzzy { "clusters (fuzzy matcher)" } else { "clusters (exact duplicate keys)" };
    rows.push(row("duplicates", "record", label, "duplicate", u.clusters, share(u.clusters), &ex));
    rows.push(row("duplicates", "record", "records in clusters", "duplicate", u.records_in_clusters, u.share, &[]));
    rows.push(row("duplicates", "record", "redundant records", "duplicate", u.redundant_records, share(u.redundant_records), &[]));
    rows.push(row("risk", "lead", "high risk (>= 50)", "risk", r.risk.high, share(r.risk.high), &[]));
    rows.push(row("risk", "lead", "medium risk (25-49)", "risk", r.risk.medium, share(r.risk.medium), &[]));
    for (reason, count, examples) in &r.risk.reasons {
        rows.push(row("risk", "lead", reason, "risk", *count, share(*count), examples));
    }
    if let Some(i) = &r.integrity {
        let lost_share = if i.possible == 0 { 0.0 } else { i.lost as f64 / i.possible as f64 };
        let per_lead = match i.cap {
            Some(cap) => format!("cap {cap} per lead"),
            None => "uncapped: sum of its rules per lead".to_string(),
        };
        let check = format!("lost of possible ({per_lead})");
        rows.push(row("integrity", "points", &check, "points", i.lost.max(0) as u64, lost_share, &[]));
        for (rule, missed) in &i.rules_missed {
            rows.push(row("integrity", rule, "rule not earned", "missed", *missed, share(*missed), &[]));
        }
        for (rule, leads, points) in &i.penalties {
            rows.push(row("integrity", rule, &format!("penalty ({points} points in total)"), "penalty", *leads, share(*leads), &[]));
        }
    }
    files::write_csv_table(out, &["section", "field", "check", "kind", "count", "share", "examples"], rows)
}

/// The human table.
fn hygiene_table(r: &leadrank_hygiene::report::HygieneReport, as_of: &str, model_id: &str, events: bool, fuzzy: bool) -> String {
    use comfy_table::{Cell, CellAlignment, Table, presets::UTF8_BORDERS_ONLY};
    let n = r.leads;
    let share = |c: u64| if n == 0 { 0.0 } else { c as f64 / n as f64 };
    let right = |v: String| Cell::new(v).set_alignment(CellAlignment::Right);
    let mut s = format!("Data quality of {} leads ({} rows rejected), as of {as_of}\n\n", r.leads, r.rejected_rows);
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY);
    crate::term::fit(&mut t);
    t.set_header(vec!["field", "check", "kind", "count", "share", "examples"]);
    for c in r.checks.iter().filter(|c| c.count > 0) {
        t.add_row(vec![
            Cell::new(&c.field),
            Cell::new(&c.check),
            Cell::new(c.kind),
            right(c.count.to_string()),
            right(pct(c.share)),
            Cell::new(c.examples.join(", ")),
        ]);
    }
    s.push_str(&format!("{t}\n(checks with no findings are left out; --format csv lists them all)\n\n"));

    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY);
    crate::term::fit(&mut t);
    t.set_header(vec!["", "count", "share", "examples"]);
    let d = &r.decay;
    let bounced = if events { d.bounced_email.to_string() } else { "n/a (no --events)".into() };
    t.add_row(vec![Cell::new("decayed: bounced email"), right(bounced), right(pct(share(d.bounced_email))), Cell::new("")]);
    t.add_row(vec![
        Cell::new("decayed: invalid phone"),
        right(d.invalid_phone.to_string()),
        right(pct(share(d.invalid_phone))),
        Cell::new(""),
    ]);
    t.add_row(vec![Cell::new("decayed: either"), right(d.decayed.to_string()), right(pct(d.share)), Cell::new(d.examples.join(", "))]);
    let c = &r.consent;
    t.add_row(vec![Cell::new("consent granted"), right(c.granted.to_string()), right(pct(c.coverage)), Cell::new("")]);
    t.add_row(vec![Cell::new("consent denied"), right(c.denied.to_string()), right(pct(share(c.denied))), Cell::new("")]);
    t.add_row(vec![Cell::new("consent unknown"), right(c.unknown.to_string()), right(pct(share(c.unknown))), Cell::new("")]);
    t.add_row(vec![
        Cell::new("granted without consent_at"),
        right(c.granted_without_time.to_string()),
        right(pct(share(c.granted_without_time))),
        Cell::new(""),
    ]);
    let u = &r.duplicates;
    let ex: Vec<String> = u.examples.iter().take(3).map(|c| c.join("+")).collect();
    let label = if fuzzy { "duplicate clusters (fuzzy)" } else { "duplicate clusters (exact keys)" };
    t.add_row(vec![Cell::new(label), right(u.clusters.to_string()), right(String::new()), Cell::new(ex.join(", "))]);
    t.add_row(vec![Cell::new("records in clusters"), right(u.records_in_clusters.to_string()), right(pct(u.share)), Cell::new("")]);
    t.add_row(vec![
        Cell::new("redundant records"),
        right(u.redundant_records.to_string()),
        right(pct(share(u.redundant_records))),
        Cell::new(""),
    ]);
    t.add_row(vec![Cell::new("bot/spam risk high (>= 50)"), right(r.risk.high.to_string()), right(pct(share(r.risk.high))), Cell::new("")]);
    t.add_row(vec![
        Cell::new("bot/spam risk medium (25-49)"),
        right(r.risk.medium.to_string()),
        right(pct(share(r.risk.medium))),
        Cell::new(""),
    ]);
    for (reason, count, examples) in r.risk.reasons.iter().filter(|x| x.1 > 0) {
        t.add_row(vec![
            Cell::new(format!("  risk: {reason}")),
            right(count.to_string()),
            right(pct(share(*count))),
            Cell::new(examples.join(", ")),
        ]);
    }
    s.push_str(&format!("{t}\n"));
    if let Some(i) = &r.integrity {
        let mut t = Table::new();
        t.load_preset(UTF8_BORDERS_ONLY);
        crate::term::fit(&mut t);
        let cap = i.cap.map_or("uncapped".to_string(), |c| format!("cap {c}"));
        t.set_header(vec![format!("{} ({}, {cap}), model {model_id}", i.label, i.dimension), "leads".into(), "points".into()]);
        t.add_row(vec![Cell::new("earned of possible"), right(String::new()), right(format!("{} / {}", i.earned, i.possible))]);
        t.add_row(vec![Cell::new("lost to data quality"), right(String::new()), right(i.lost.to_string())]);
        for (rule, missed) in &i.rules_missed {
            t.add_row(vec![Cell::new(format!("missed {rule}")), right(missed.to_string()), right(String::new())]);
        }
        for (rule, leads, points) in &i.penalties {
            t.add_row(vec![Cell::new(format!("penalty {rule}")), right(leads.to_string()), right(points.to_string())]);
        }
        s.push_str(&format!("\n{t}\n"));
    } else {
        s.push_str(&format!("\nIntegrity cost: model {model_id} has no dimension with id 'integrity'.\n"));
    }
    s
}

/// `leadrank match-accounts`: link leads without an account_id to accounts.
#[derive(Args)]
pub struct MatchAccountsArgs {
    /// Leads file (.csv or .jsonl); leads that already have an account_id are left out.
    #[arg(long)]
    leads: PathBuf,
    /// Accounts file (.csv or .jsonl).
    #[arg(long)]
    accounts: PathBuf,
    /// Write here instead of stdout.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Output format (default: table on a terminal, csv otherwise).
    #[arg(long, value_enum)]
    format: Option<ReportFormat>,
    #[command(flatten)]
    read: crate::InputArgs,
    /// Also write every rejected row to this file (stderr shows the first 50).
    #[arg(long)]
    rejects: Option<PathBuf>,
}

/// Runs `leadrank match-accounts`: exit 0, or 1 when rows were rejected.
pub fn match_accounts(args: MatchAccountsArgs) -> Result<ExitCode> {
    use leadrank_hygiene::account_match::{Method, match_leads};
    let started = std::time::Instant::now();
    let read = args.read.resolve()?;
    let (leads, mut load) = files::read_leads_mapped(&args.leads, read.format_of(&args.leads)?, read.mapping(Kind::Leads))?;
    let accounts = files::read_accounts_mapped(&args.accounts, read.format_of(&args.accounts)?, read.mapping(Kind::Accounts), &mut load)?;
    crate::input_args::print_report_notes(&load);
    report_rejects(&load, args.rejects.as_deref())?;
    let matches = match_leads(&leads, &accounts);
    let format = pick_format(args.format, args.out.is_some(), ReportFormat::Csv);
    let mut out: Box<dyn Write> = match &args.out {
        Some(p) => Box::new(files::create(p).with_context(|| format!("cannot create {}", p.display()))?),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let header = ["lead_id", "account_id", "method", "score", "candidates"];
    let rows = matches.iter().map(|m| {
        [
            m.lead_id.clone(),
            m.account_id.clone().unwrap_or_default(),
            m.method.as_str().to_string(),
            format!("{:.3}", m.score),
            m.candidates.join(";"),
        ]
    });
    let written = match format {
        ReportFormat::Csv => files::write_csv_table(&mut out, &header, rows),
        ReportFormat::Json => serde_json::to_writer_pretty(&mut out, &matches).map_err(std::io::Error::from).and_then(|()| writeln!(out)),
        ReportFormat::Table => {
            use comfy_table::{Table, presets::UTF8_BORDERS_ONLY};
            let mut t = Table::new();
            t.load_preset(UTF8_BORDERS_ONLY);
            crate::term::fit(&mut t);
            t.set_header(header.to_vec());
            for r in rows {
                t.add_row(r.to_vec());
            }
            writeln!(out, "{t}")
        }
    };
    match written.and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.context("cannot write the matches")?,
    }
    let count = |m: Method| matches.iter().filter(|x| x.method == m).count();
    eprintln!(
        "{} leads without an account_id ({} already had one), {} accounts: {} by email domain, {} by website, {} by company name, {} ambiguous, {} unmatched{} ({:.2} s)",
        matches.len(),
        leads.len() - matches.len(),
        accounts.len(),
        count(Method::EmailDomain),
        count(Method::Website),
        count(Method::CompanyName),
        count(Method::Ambiguous),
        count(Method::None),
        if load.rejected.is_empty() { String::new() } else { format!("; {} rows rejected", load.rejected.len()) },
        started.elapsed().as_secs_f64()
    );
    Ok(if load.rejected.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
