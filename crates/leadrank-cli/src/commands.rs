//! The subcommands: thin glue between the file adapters and the core.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use jiff::Timestamp;
use leadrank_core::engine::{Dataset, DatasetBuilder, Evidence};
use leadrank_core::model::builtin;
use leadrank_core::{CompiledModel, explain as ledger, records};
use leadrank_io::read::{self, Kind, LoadReport};
use leadrank_io::write::{OutputFormat, ScoreWriter, write_scores};

use crate::{DemoArgs, ExplainArgs, FormatArg, GenerateArgs, InputArgs, Inputs, ModelCommand, ScoreArgs};

/// How many rejected rows stderr shows before summarising.
const SHOWN_REJECTS: usize = 50;

pub(crate) fn parse_as_of(raw: Option<&str>) -> Result<Timestamp> {
    match raw {
        None => Ok(Timestamp::now()),
        Some(s) => match records::parse_time(s) {
            Ok(Some(t)) => Ok(t),
            _ => bail!("--as-of '{s}' is not an RFC 3339 time (2026-06-30T12:00:00Z) or a date (2026-06-30)"),
        },
    }
}

/// Loads the model named by `--model`, or the built-in default.
pub(crate) fn load_model(path: Option<&Path>) -> Result<CompiledModel> {
    match path {
        None => Ok(builtin::default_model()),
        Some(p) => {
            let text = std::fs::read_to_string(p).with_context(|| format!("cannot read model file {}", p.display()))?;
            CompiledModel::from_toml(&text, &p.display().to_string()).map_err(|e| anyhow::anyhow!("{e}"))
        }
    }
}

pub(crate) use crate::input_args::format_of;

fn spinner(message: &str, len: Option<u64>) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = match len {
        Some(n) => ProgressBar::new(n).with_style(
            ProgressStyle::with_template("{msg:>10} [{bar:30}] {human_pos}/{human_len} ({per_sec}, {eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        ),
        None => ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{msg:>10} {spinner} {human_pos} rows ({per_sec})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        ),
    };
    bar.set_message(message.to_string());
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// Reads all inputs into a dataset, reporting rejected rows on stderr.
/// Prints how long a phase took when `LEADRANK_TIMINGS` is set (for benchmarks).
pub(crate) fn timing(phase: &str, since: &mut std::time::Instant) {
    if std::env::var_os("LEADRANK_TIMINGS").is_some() {
        // Resident and peak memory from /proc (Linux); blank elsewhere.
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let field = |name: &str| status.lines().find(|l| l.starts_with(name)).map_or(String::new(), |l| l[name.len()..].trim().to_string());
        eprintln!(
            "timing: {phase:<12} {:>8.3} s   cpu so far {:>8.3} s   rss {:>12}   peak {:>12}",
            since.elapsed().as_secs_f64(),
            process_cpu_seconds(),
            field("VmRSS:"),
            field("VmHWM:")
        );
    }
    *since = std::time::Instant::now();
}

/// User plus system CPU seconds of this process so far, from `/proc/self/stat` (Linux; 0
/// elsewhere). Only for the `LEADRANK_TIMINGS` lines.
fn process_cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let ticks: u64 = rest.split_whitespace().skip(11).take(2).filter_map(|t| t.parse::<u64>().ok()).sum();
    // Linux reports these in USER_HZ, which is 100 on every Linux platform Rust targets.
    ticks as f64 / 100.0
}

/// Hands memory freed while loading (the event-id set: hundreds of megabytes for ten million
/// events) back to the operating system now, instead of when the allocator gets round to it,
/// so that scoring does not stack its own memory on top of it.
fn release_freed_memory() {
    // SAFETY: `mi_collect` has no preconditions; it only walks the calling thread's mimalloc
    // heap (the global allocator of this binary, see main.rs) and returns free pages.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

pub(crate) fn load(inputs: &Inputs, model: &CompiledModel) -> Result<(Dataset, LoadReport)> {
    let mut clock = std::time::Instant::now();
    let read = inputs.read.resolve()?;
    let mut builder = DatasetBuilder::new(model);
    let mut report = LoadReport::default();
    read::load_leads_mapped(&inputs.leads, read.format_of(&inputs.leads)?, read.mapping(Kind::Leads), &mut builder, model, &mut report)?;
    timing("leads", &mut clock);
    if let Some(accounts) = &inputs.accounts {
        read::load_accounts_mapped(accounts, read.format_of(accounts)?, read.mapping(Kind::Accounts), &mut builder, &mut report)?;
    }
    if let Some(consents) = &inputs.consents {
        read::load_consents_mapped(consents, read.format_of(consents)?, read.mapping(Kind::Consents), &mut builder, &mut report)?;
    }
    if let Some(events) = &inputs.events {
        let bar = spinner("events", None);
        if let Some(len) = read::file_len(events) {
            // About 70 bytes a CSV event row; only a hint for the allocator.
            builder.reserve_events((len / 70) as usize);
        }
        read::load_events_mapped(
            events,
            read.format_of(events)?,
            read.mapping(Kind::Events),
            &mut builder,
            model,
            &mut report,
            &mut |n| bar.inc(n),
        )?;
        bar.finish_and_clear();
    }
    timing("events", &mut clock);
    crate::input_args::print_report_notes(&report);
    report_rejects(&report, inputs.rejects.as_deref())?;
    let dataset = builder.build();
    release_freed_memory();
    timing("build", &mut clock);
    Ok((dataset, report))
}

pub(crate) fn report_rejects(report: &LoadReport, file: Option<&Path>) -> Result<()> {
    let mut stderr = std::io::stderr().lock();
    // The first rows, each with every bad field on its own line.
    for line in report.rejected.iter().take(SHOWN_REJECTS).flat_map(|r| r.lines()) {
        writeln!(stderr, "rejected {line}")?;
    }
    if report.rejected.len() > SHOWN_REJECTS {
        writeln!(
            stderr,
            "... and {} more rejected rows{}",
            report.rejected.len() - SHOWN_REJECTS,
            if file.is_some() { " (all in the --rejects file)" } else { " (use --rejects FILE to keep them all)" }
        )?;
    }
    if let Some(path) = file {
        let mut w = BufWriter::new(File::create(path).with_context(|| format!("cannot create {}", path.display()))?);
        for r in &report.rejected {
            writeln!(w, "{r}")?;
        }
        w.flush()?;
    }
    Ok(())
}

pub(crate) fn exit_code(report: &LoadReport) -> ExitCode {
    if report.rejected.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) }
}

pub fn score(args: ScoreArgs) -> Result<ExitCode> {
    let as_of = parse_as_of(args.inputs.as_of.as_deref())?;
    let model = load_model(args.inputs.model.as_deref())?;
    let (dataset, report) = load(&args.inputs, &model)?;
    let mut clock = std::time::Instant::now();
    let bar = spinner("scoring", Some(dataset.leads.len() as u64));
    let format = match args.format {
        Some(FormatArg::Jsonl) => OutputFormat::JsonLines,
        Some(FormatArg::Csv) => OutputFormat::Csv,
        Some(FormatArg::Table) => OutputFormat::Table,
        None if args.out.is_none() && std::io::stdout().is_terminal() => OutputFormat::Table,
        None => OutputFormat::JsonLines,
    };
    let mut out: Box<dyn Write> = match &args.out {
        Some(path) => {
            Box::new(BufWriter::with_capacity(1 << 20, File::create(path).with_context(|| format!("cannot create {}", path.display()))?))
        }
        None => Box::new(BufWriter::with_capacity(1 << 20, std::io::stdout().lock())),
    };
    // A table on a terminal shows one page unless --top says how many; a file or a pipe
    // gets every lead.
    let to_terminal = args.out.is_none() && std::io::stdout().is_terminal();
    let top = match args.top {
        Some(0) => None,
        Some(n) => Some(n),
        None if format == OutputFormat::Table && to_terminal => Some(crate::term::TERMINAL_PAGE),
        None => None,
    };
    let width = if args.out.is_none() { crate::term::stdout_width() } else { None };
    let mut writer = ScoreWriter::new(&model, format, top).with_width(width);
    let (mut scored, mut quality) = (0usize, 0usize);
    let mut result = Ok(());
    if format == OutputFormat::Table {
        dataset.score_batches(&model, as_of, 4096, &mut |batch| {
            scored += batch.len();
            quality += batch.iter().filter(|s| s.quality).count();
            bar.inc(batch.len() as u64);
            if result.is_ok() {
                result = writer.write_batch(&mut out, batch);
            }
        });
    } else {
        // Rows are encoded on the scoring threads and written here while the next leads are
        // scored.
        let encoder = writer.row_encoder();
        // CSV rows name the fired rules without their evidence, so none is built for them.
        let evidence = if format == OutputFormat::Csv { Evidence::Omitted } else { Evidence::Full };
        dataset.score_encoded(&model, as_of, evidence, 1024, &|scores| encoder.encode(&scores), &mut |rows| {
            let rows = match rows {
                Ok(rows) => rows,
                Err(e) => {
                    if result.is_ok() {
                        result = Err(e);
                    }
                    return;
                }
            };
            scored += rows.leads;
            quality += rows.quality;
            bar.inc(rows.leads as u64);
            if result.is_ok() {
                result = writer.write_encoded(&mut out, &rows);
            }
        });
    }
    bar.finish_and_clear();
    match result.and_then(|()| writer.finish(&mut out)).and_then(|()| out.flush()) {
        // A closed pipe (`| head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.with_context(|| "cannot write the scores")?,
    }
    timing("score+write", &mut clock);
    eprintln!(
        "scored {} leads ({} quality) with {} events ({} duplicates ignored), {} rows rejected; model {}, as of {}",
        scored,
        quality,
        report.events,
        report.duplicate_events,
        report.rejected.len(),
        model.id(),
        as_of
    );
    Ok(exit_code(&report))
}

pub fn explain(args: ExplainArgs) -> Result<ExitCode> {
    let as_of = parse_as_of(args.inputs.as_of.as_deref())?;
    let model = load_model(args.inputs.model.as_deref())?;
    let (dataset, report) = load(&args.inputs, &model)?;
    let Some(idx) = dataset.find_lead(&args.lead_id) else {
        let leads_file = args.inputs.leads.display().to_string();
        let rejected = report.rejected.iter().find(|e| e.file == leads_file && e.lead_id.as_deref() == Some(args.lead_id.trim()));
        if let Some(e) = rejected {
            let why: Vec<String> = e.lines().collect();
            bail!("lead '{}' was rejected when {} was read, so it has no score:\n  {}", args.lead_id, leads_file, why.join("\n  "));
        }
        bail!("lead '{}' is not in {}", args.lead_id, leads_file);
    };
    let population = dataset.population(&model, as_of);
    let score = dataset.score_index(&model, idx, as_of, &population[idx]);
    let mut out = std::io::stdout().lock();
    if args.json {
        let gap = ledger::gap(&model, &score);
        let value = serde_json::json!({ "score": score, "gap": gap, "model": model.id(), "as_of": as_of.to_string() });
        writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
    } else {
        write!(out, "{}", ledger::ledger(&model, &score, &as_of.to_string()))?;
    }
    Ok(exit_code(&report))
}

pub fn model(cmd: ModelCommand) -> Result<ExitCode> {
    match cmd {
        ModelCommand::Show { name } => {
            let name = name.as_deref().unwrap_or("default");
            let Some(m) = builtin::find(name) else {
                let names: Vec<&str> = builtin::ALL.iter().map(|m| m.name).collect();
                bail!("no built-in model '{name}'; built-in models: {}", names.join(", "));
            };
            print!("{}", m.source);
        }
        ModelCommand::List => {
            for m in builtin::ALL {
                println!("{:<24}{}", m.name, m.summary);
            }
        }
        ModelCommand::Check { file } => {
            let model = load_model(Some(&file))?;
            println!(
                "{}: ok: model {} with {} rules in {} dimensions, quality at {} points",
                file.display(),
                model.id(),
                model.rules.len(),
                model.dimensions.len(),
                model.quality_threshold
            );
        }
        ModelCommand::Schema => {
            println!("{}", serde_json::to_string_pretty(&leadrank_core::model::json_schema())?);
        }
        ModelCommand::Reference => {
            print!("{}", leadrank_core::model::reference_markdown());
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn generate(args: GenerateArgs) -> Result<ExitCode> {
    let as_of = match args.as_of.as_deref() {
        None => leadrank_synth::default_as_of(),
        Some(s) => parse_as_of(Some(s))?,
    };
    let bar = spinner("leads", Some(args.leads as u64));
    let profile = leadrank_synth::Profile::from_name(&args.profile)
        .ok_or_else(|| anyhow::anyhow!("unknown profile '{}' (known: default, crm-export)", args.profile))?;
    let opts = leadrank_synth::GenerateOptions { leads: args.leads, seed: args.seed, as_of, profile };
    let summary = leadrank_synth::generate(&opts, &args.out, &mut |n| bar.set_position(n))?;
    bar.finish_and_clear();
    eprintln!(
        "wrote {} leads, {} events, {} accounts, {} outcomes to {} (seed {}, as of {}{})",
        summary.leads,
        summary.events,
        summary.accounts,
        summary.outcomes,
        args.out.display(),
        args.seed,
        as_of,
        if profile == leadrank_synth::Profile::Default { String::new() } else { format!(", profile {}", profile.name()) }
    );
    Ok(ExitCode::SUCCESS)
}

pub fn demo(args: DemoArgs) -> Result<ExitCode> {
    let as_of = leadrank_synth::default_as_of();
    let leads = args.dir.join("leads.csv");
    if !leads.exists() {
        generate(GenerateArgs {
            leads: args.leads,
            out: args.dir.clone(),
            seed: 42,
            as_of: Some(as_of.to_string()),
            profile: "default".into(),
        })?;
    }
    let inputs = Inputs {
        leads,
        events: Some(args.dir.join("events.csv")),
        accounts: Some(args.dir.join("accounts.csv")),
        consents: None,
        model: None,
        as_of: Some(as_of.to_string()),
        read: InputArgs::default(),
        rejects: None,
    };
    let model = builtin::default_model();
    let (dataset, report) = load(&inputs, &model)?;
    let scores = dataset.score_all(&model, as_of, &|_| {});
    let mut out = std::io::stdout().lock();
    writeln!(out, "The {} best of {} demo leads, scored as of {as_of} with the built-in model:\n", args.top, scores.len())?;
    write_scores(&mut out, &scores, &model, OutputFormat::Table, Some(args.top))?;
    if let Some(best) = scores.iter().max_by(|a, b| a.total.cmp(&b.total).then_with(|| b.lead_id.cmp(&a.lead_id))) {
        writeln!(out, "\nWhy the best lead ranks first:\n")?;
        write!(out, "{}", ledger::ledger(&model, best, &as_of.to_string()))?;
    }
    if let Some(near) = scores.iter().filter(|s| !s.quality).max_by(|a, b| a.total.cmp(&b.total).then_with(|| b.lead_id.cmp(&a.lead_id))) {
        writeln!(out, "\nThe closest lead below the bar, and what would get it there:\n")?;
        write!(out, "{}", ledger::ledger(&model, near, &as_of.to_string()))?;
    }
    writeln!(
        out,
        "\nNext: leadrank explain LEAD_ID --leads {0}/leads.csv --events {0}/events.csv --accounts {0}/accounts.csv --as-of {as_of}",
        args.dir.display()
    )?;
    Ok(exit_code(&report))
}
