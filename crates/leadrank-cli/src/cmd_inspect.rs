//! `leadrank mapping ...` (built-in mappings, checks, references) and `leadrank inspect`.
//! Thin glue: mappings in `leadrank-mapping`, the inspection in `leadrank-io::inspect`.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use leadrank_io::inspect::{Inspection, inspect as inspect_file};
use leadrank_io::read::Kind;
use leadrank_mapping::presets;

use crate::InputArgs;
use crate::input_args::load_mapping;

#[derive(Subcommand)]
pub enum MappingCommand {
    /// List the built-in mappings (HubSpot and Salesforce exports).
    List,
    /// Print a built-in mapping file, to use as it is or to copy and edit.
    Show {
        /// A name from `leadrank mapping list`, e.g. hubspot-contacts.
        name: String,
    },
    /// Check a mapping file (or a built-in mapping); errors name the line and key.
    Check {
        /// Mapping file (TOML) or built-in mapping name.
        file: String,
    },
    /// Print the reference of every input field (Markdown, as docs/input-fields.md).
    Fields,
    /// Print the tables of mapping file keys (Markdown, as in docs/mapping.md).
    Keys,
}

/// An input kind on the command line.
#[derive(Clone, Copy, ValueEnum)]
pub enum KindArg {
    Leads,
    Accounts,
    Events,
    Outcomes,
    Consents,
    Stages,
}

impl KindArg {
    fn kind(self) -> Kind {
        match self {
            KindArg::Leads => Kind::Leads,
            KindArg::Accounts => Kind::Accounts,
            KindArg::Events => Kind::Events,
            KindArg::Outcomes => Kind::Outcomes,
            KindArg::Consents => Kind::Consents,
            KindArg::Stages => Kind::Stages,
        }
    }
}

#[derive(Args)]
pub struct InspectArgs {
    /// The file to look at (.csv or .jsonl).
    file: PathBuf,
    /// Check the file as this input (default: every input the mappings map, or what the
    /// column names suggest).
    #[arg(long, value_enum)]
    kind: Option<KindArg>,
    #[command(flatten)]
    read: InputArgs,
    /// How many rejection reasons to show.
    #[arg(long, default_value_t = 10)]
    reasons: usize,
}

pub fn mapping(cmd: MappingCommand) -> Result<ExitCode> {
    match cmd {
        MappingCommand::List => {
            for p in presets::ALL {
                println!("{:<26}{}", p.name, p.description());
            }
        }
        MappingCommand::Show { name } => {
            let Some(p) = presets::find(&name) else { bail!("no built-in mapping '{name}'; built-in mappings: {}", presets::names()) };
            print!("{}", p.source);
        }
        MappingCommand::Check { file } => {
            let m = load_mapping(&file)?;
            let kinds: Vec<String> =
                m.mappings.iter().map(|k| format!("{} ({} fields, {} custom)", k.kind.as_str(), k.fields.len(), k.custom.len())).collect();
            println!("{file}: ok: maps {}", kinds.join(", "));
        }
        MappingCommand::Fields => print!("{}", leadrank_mapping::input_fields_markdown()),
        MappingCommand::Keys => print!("{}", leadrank_mapping::mapping_keys_markdown()),
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `leadrank inspect`: exit 0, or 1 when rows would be rejected.
pub fn inspect(args: InspectArgs) -> Result<ExitCode> {
    let read = args.read.resolve()?;
    let format = read.format_of(&args.file)?;
    let kinds: Vec<Kind> = match args.kind {
        Some(k) => vec![k.kind()],
        None => Kind::ALL.into_iter().filter(|k| read.mapping(*k).is_some()).collect(),
    };
    let mappings: Vec<_> = kinds.iter().filter_map(|k| read.mapping(*k)).collect();
    if read.has_mappings() && mappings.is_empty() {
        bail!("the mappings given map none of the inputs asked for (--kind)");
    }
    let result = inspect_file(&args.file, format, args.kind.map(KindArg::kind), &mappings)?;
    print!("{}", render(&result, args.reasons));
    let rejected = result.unreadable.len() as u64 + result.checks.iter().map(|c| c.rejected).sum::<u64>();
    let unreadable = result.checks.iter().any(|c| c.problem.is_some());
    Ok(if rejected == 0 && !unreadable { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// The inspection as text for a terminal.
fn render(r: &Inspection, max_reasons: usize) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}: {} rows, {} columns\n", r.file, r.rows, r.columns.len());
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::UTF8_BORDERS_ONLY);
    crate::term::fit(&mut table);
    table.set_header(vec!["column", "filled", "distinct", "type", "samples", "read as"]);
    for c in &r.columns {
        let filled = if r.rows == 0 { "-".to_string() } else { format!("{:.0}%", c.filled as f64 * 100.0 / r.rows as f64) };
        let distinct = if c.capped { format!("{}+", c.distinct) } else { c.distinct.to_string() };
        let feeds = if c.feeds.is_empty() { "(not read)".to_string() } else { c.feeds.join(", ") };
        table.add_row(vec![c.name.clone(), filled, distinct, c.guess.to_string(), c.samples.join(" | "), feeds]);
    }
    let _ = writeln!(s, "{table}");
    for u in r.unreadable.iter().take(max_reasons) {
        let _ = writeln!(s, "unreadable row: {u}");
    }
    for check in &r.checks {
        let via = match &check.mapping {
            Some(m) => format!("through the mapping at {m}"),
            None => "by its own column names".to_string(),
        };
        if let Some(problem) = &check.problem {
            let _ = writeln!(s, "\nAs {} ({via}): cannot be read: {problem}", check.kind.as_str());
            continue;
        }
        let _ = writeln!(s, "\nAs {} ({via}): {} rows accepted, {} rejected", check.kind.as_str(), check.accepted, check.rejected);
        if !check.fields.is_empty() {
            for (target, source, found) in &check.fields {
                let mark = if *found { "" } else { "   (column not in the file: left empty)" };
                let _ = writeln!(s, "  {target:<18} <- {source}{mark}");
            }
        }
        for note in &check.notes {
            let _ = writeln!(s, "  note: {note}");
        }
        if let Some(c) = &check.caveat {
            let _ = writeln!(s, "  note: {c}");
        }
        if !check.reasons.is_empty() {
            let _ = writeln!(s, "  Rejected, by reason (rows, first example):");
            for reason in check.reasons.iter().take(max_reasons) {
                let _ = writeln!(
                    s,
                    "  {:>7}  {}\n           e.g. {}",
                    reason.rows,
                    reason.reason,
                    reason.first.lines().next().unwrap_or_default()
                );
            }
            if check.reasons.len() > max_reasons {
                let _ = writeln!(s, "  ... and {} more reasons (--reasons N shows more)", check.reasons.len() - max_reasons);
            }
        }
    }
    if !r.presets.is_empty() {
        let _ = writeln!(s, "\nBuilt-in mappings that fit these columns:");
        for p in &r.presets {
            let _ = writeln!(s, "  {:<26} {} of the {} columns it names (--mapping {})", p.name, p.found, p.named, p.name);
        }
    } else if r.checks.iter().all(|c| c.mapping.is_none()) {
        let _ = writeln!(
            s,
            "\nNo built-in mapping fits these columns. Write a mapping file (docs/mapping.md) and pass it with --mapping FILE."
        );
    }
    s
}
