//! The input flags every reading command shares (`--input-format`, `--delimiter`,
//! `--mapping`), declared once and resolved once into [`InputOptions`].

use std::path::Path;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use leadrank_io::read::{Delimiter, InputFormat, Kind, LoadReport, Mapping};
use leadrank_mapping::{MappingFile, MappingSet, presets};

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum InputFormatArg {
    Csv,
    Jsonl,
}

/// How input files are read: what the user typed.
#[derive(Args, Clone, Default, Debug)]
pub struct InputArgs {
    /// Input format for all files, instead of telling it from the extension.
    #[arg(long, value_enum)]
    pub input_format: Option<InputFormatArg>,
    /// CSV field separator: ',', ';', '|' or tab (default: found from each file's header line).
    #[arg(long, value_name = "SEP")]
    pub delimiter: Option<Delimiter>,
    /// How the input files' columns become leadrank's fields: a mapping file (TOML, see
    /// docs/mapping.md) or a built-in mapping (`leadrank mapping list`: hubspot-contacts,
    /// salesforce-leads, ...). Repeat for several inputs, e.g. `--mapping hubspot-contacts
    /// --mapping hubspot-deals`; each input uses the mapping of its kind.
    #[arg(long = "mapping", value_name = "FILE|NAME")]
    pub mapping: Vec<String>,
}

/// How input files are read: resolved (mapping files read and checked).
#[derive(Debug, Default)]
pub struct InputOptions {
    format: Option<InputFormatArg>,
    delimiter: Option<Delimiter>,
    mappings: MappingSet,
}

impl InputArgs {
    /// Reads and checks the mapping files; an error names the file, line and key.
    pub fn resolve(&self) -> Result<InputOptions> {
        let mut mappings = MappingSet::default();
        for name in &self.mapping {
            mappings.add(load_mapping(name)?).map_err(anyhow::Error::msg)?;
        }
        Ok(InputOptions { format: self.input_format, delimiter: self.delimiter, mappings })
    }
}

/// A mapping file, or a built-in mapping by name.
pub fn load_mapping(name: &str) -> Result<MappingFile> {
    let path = Path::new(name);
    if path.is_file() {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read mapping file {name}"))?;
        return MappingFile::parse(&text, name).map_err(|e| anyhow::anyhow!("{e}"));
    }
    match presets::find(name) {
        Some(preset) => preset.parse().map_err(|e| anyhow::anyhow!("{e}")),
        None if name.ends_with(".toml") || name.contains('/') => bail!("cannot read mapping file {name}: no such file"),
        None => bail!("'{name}' is neither a mapping file nor a built-in mapping; built-in mappings: {}", presets::names()),
    }
}

impl InputOptions {
    /// The format of an input file: forced, or from its extension; CSV with the delimiter
    /// given (else the one its header line uses).
    pub fn format_of(&self, path: &Path) -> Result<InputFormat> {
        format_of(path, self.format, self.delimiter)
    }

    /// The mapping for inputs of `kind`, if one was given.
    pub fn mapping(&self, kind: Kind) -> Option<&Mapping> {
        self.mappings.get(kind)
    }

    /// Whether any mapping was given.
    pub fn has_mappings(&self) -> bool {
        !self.mappings.is_empty()
    }
}

/// The format of an input file: forced, or from its extension; CSV with `delimiter` when
/// given (else the one its header line uses).
pub fn format_of(path: &Path, forced: Option<InputFormatArg>, delimiter: Option<Delimiter>) -> Result<InputFormat> {
    let format = match forced {
        Some(InputFormatArg::Csv) => InputFormat::CSV,
        Some(InputFormatArg::Jsonl) => InputFormat::JsonLines,
        None => InputFormat::from_path(path)?,
    };
    Ok(format.with_delimiter(delimiter.unwrap_or_default()))
}

/// Prints the notes of a read (columns a mapping does not read) on stderr.
pub fn print_notes(notes: &[String]) {
    for note in notes {
        eprintln!("note: {note}");
    }
}

/// Prints the notes of a load report.
pub fn print_report_notes(report: &LoadReport) {
    print_notes(&report.notes);
}
