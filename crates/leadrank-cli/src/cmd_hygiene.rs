//! The data-integrity subcommands: `dedupe` (and, as they land, `hygiene` and
//! `match-accounts`). Thin glue: files through `leadrank-io`, logic in `leadrank-hygiene`.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use leadrank_hygiene::dedupe::records_of;
use leadrank_hygiene::merge::merge_plan;
use leadrank_hygiene::{DedupeConfig, Matcher};
use leadrank_io::hygiene as files;
use leadrank_io::read::{InputFormat, LoadReport};
use leadrank_io::write::write_leads_csv;

/// How many rejected rows stderr shows before summarising.
const SHOWN_REJECTS: usize = 50;

/// `leadrank dedupe`: fuzzy duplicates, clusters, merged leads, merge map, moved events.
#[derive(Args)]
pub struct DedupeArgs {
    /// Leads file (.csv or .jsonl).
    #[arg(long)]
    leads: PathBuf,
    /// Events file (.csv or .jsonl); its events are written to OUT/events.* moved to survivors.
    #[arg(long)]
    events: Option<PathBuf>,
    /// Dedupe configuration (TOML): fields, comparators, weights, blocking keys.
    /// Default: the built-in one (`leadrank dedupe --show-config` prints it).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Output directory (created if missing).
    #[arg(long, required_unless_present = "show_config")]
    out: Option<PathBuf>,
    /// Print the built-in configuration and exit.
    #[arg(long)]
    show_config: bool,
    /// Also write every rejected row to this file (stderr shows the first 50).
    #[arg(long)]
    rejects: Option<PathBuf>,
}

fn format_of(path: &Path) -> Result<InputFormat> {
    Ok(InputFormat::from_path(path)?)
}

fn report_rejects(report: &LoadReport, file: Option<&Path>) -> Result<()> {
    let mut stderr = std::io::stderr().lock();
    for r in report.rejected.iter().take(SHOWN_REJECTS) {
        writeln!(stderr, "rejected {r}")?;
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

fn load_config(path: Option<&Path>) -> Result<DedupeConfig> {
    match path {
        None => Ok(DedupeConfig::default_config()),
        Some(p) => {
            let text = std::fs::read_to_string(p).with_context(|| format!("cannot read config file {}", p.display()))?;
            Ok(DedupeConfig::from_toml(&text, &p.display().to_string())?)
        }
    }
}

fn write_file(path: &Path, f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    let mut w = files::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    f(&mut w).and_then(|()| w.flush()).with_context(|| format!("cannot write {}", path.display()))
}

pub fn dedupe(args: DedupeArgs) -> Result<ExitCode> {
    if args.show_config {
        print!("{}", leadrank_hygiene::config::DEFAULT_CONFIG);
        return Ok(ExitCode::SUCCESS);
    }
    let Some(out) = args.out.as_deref() else { anyhow::bail!("--out DIR is required") };
    let config = load_config(args.config.as_deref())?;
    let (leads, report) = files::read_leads(&args.leads, format_of(&args.leads)?)?;
    report_rejects(&report, args.rejects.as_deref())?;
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let started = std::time::Instant::now();
    let records = records_of(&leads, &config);
    let result = Matcher::new(&config).run(&records);
    let plan = merge_plan(&leads, &result.clusters);
    let matching = started.elapsed();

    let id = |i: u32| leads[i as usize].lead_id.as_str();
    write_file(&out.join("pairs.csv"), |w| {
        files::write_csv_table(
            w,
            &["lead_id_a", "lead_id_b", "score", "evidence"],
            result.pairs.iter().map(|p| {
                let ev: Vec<String> =
                    p.evidence.iter().map(|e| format!("{}={:.2}({:+.2})", e.field, e.similarity, e.points)).collect();
                [id(p.a).to_string(), id(p.b).to_string(), format!("{:.2}", p.score), ev.join("; ")]
            }),
        )
    })?;
    write_file(&out.join("merge_map.csv"), |w| {
        files::write_csv_table(
            w,
            &["old_id", "survivor_id", "cluster", "role"],
            plan.map.iter().map(|e| {
                let role = if e.old_id == e.survivor_id { "survivor" } else { "merged" };
                [e.old_id.clone(), e.survivor_id.clone(), e.cluster.to_string(), role.to_string()]
            }),
        )
    })?;
    let mut custom: Vec<String> = Vec::new();
    for l in &leads {
        for (k, _) in &l.custom {
            if !custom.contains(k) {
                custom.push(k.clone());
            }
        }
    }
    write_file(&out.join("leads.csv"), |w| write_leads_csv(w, &plan.leads, &custom))?;
    let mut moved = None;
    if let Some(events) = &args.events {
        let format = format_of(events)?;
        let name = if format == InputFormat::Csv { "events.csv" } else { "events.jsonl" };
        let map: HashMap<String, String> = plan.map.iter().map(|e| (e.old_id.clone(), e.survivor_id.clone())).collect();
        let path = out.join(name);
        let mut w = files::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
        let r = files::remap_events(events, format, &mut w, &map)?;
        w.flush()?;
        moved = Some(r);
    }
    let merged = plan.map.iter().filter(|e| e.old_id != e.survivor_id).count();
    eprintln!(
        "{} leads: {} candidate pairs, {} duplicate pairs, {} clusters; {} records merged into {} survivors, {} leads written to {} ({:.2} s matching){}{}",
        leads.len(),
        result.stats.candidate_pairs,
        result.stats.matched_pairs,
        result.stats.clusters,
        merged,
        result.stats.clusters,
        plan.leads.len(),
        out.display(),
        matching.as_secs_f64(),
        moved.map_or(String::new(), |r| format!("; {} events copied, {} moved to survivors", r.rows, r.moved)),
        if report.rejected.is_empty() { String::new() } else { format!("; {} rows rejected", report.rejected.len()) },
    );
    Ok(if report.rejected.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
