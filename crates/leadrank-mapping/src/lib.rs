//! Mapping files: how the columns of a source (a CRM export) become leadrank's input fields.
//!
//! A mapping file (TOML) has one table per input kind it maps (`[leads]`, `[accounts]`,
//! `[events]`, `[outcomes]`, `[consents]`, `[stages]`). Each says, for every leadrank field,
//! where its value comes from: a column (rename), several columns joined (combine), a value
//! map (picklists), a format (dates with an explicit day/month order, thousands separators,
//! ranges, yes/no words, web domains, lists), a default; and which columns are custom fields.
//! See `docs/mapping.md`.
//!
//! The crate is pure: [`MappingFile::parse`] reads the text, [`Mapping::bind`] checks a
//! mapping against a file's columns, [`Bound::apply`] turns one row's cells into the text
//! values leadrank's readers then check as they check any file, so a rejected row still names
//! every bad field. Built-in mappings for HubSpot and Salesforce exports are in [`presets`].

mod docs;
mod fields;
mod file;
mod format;
pub mod presets;
pub mod segment;

pub use docs::{input_fields_markdown, mapping_keys_markdown};
pub use fields::{FieldDef, Kind, ValueType};
pub use file::{FIELD_KEYS, KIND_KEYS, META_KEYS, SEGMENT_KEYS};
pub use format::{Format, NumberStyle, RangePick};

/// A problem in a mapping file, or between a mapping and the file it reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {}{message}", if key.is_empty() { String::new() } else { format!("{key}: ") })]
pub struct MappingError {
    /// The mapping file (or the preset's name).
    pub file: String,
    /// 1-based line in the mapping file.
    pub line: usize,
    /// The key, as a dotted path (`leads.fields.employees.format`); empty for the file.
    pub key: String,
    pub message: String,
}

/// Every problem found in a mapping file (at least one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingErrors(pub Vec<MappingError>);

impl std::fmt::Display for MappingErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for MappingErrors {}

/// What a value missing from `values` becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unmatched {
    /// Itself.
    Keep,
    /// Empty (absent).
    Empty,
    /// The field's `default`.
    Default,
    /// An error: the row is rejected.
    Error,
}

/// Where one field's value comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldSpec {
    /// The leadrank field (or custom field) it fills.
    pub target: String,
    /// Its key in the mapping file (`leads.fields.email`).
    pub key: String,
    /// Its line in the mapping file.
    pub line: usize,
    /// Source columns; several are joined with `join`; none means the default alone.
    pub from: Vec<String>,
    pub join: String,
    /// Source value -> leadrank value (matched ignoring case).
    pub values: Vec<(String, String)>,
    pub unmatched: Unmatched,
    pub default: Option<String>,
    pub format: Format,
    /// The columns may be missing from the file (the field is then empty).
    pub optional: bool,
}

impl FieldSpec {
    /// The value of this field from its source cells (already trimmed; empty is absent).
    pub fn value(&self, cells: &[&str]) -> Result<String, String> {
        let joined = cells.iter().copied().filter(|c| !c.is_empty()).collect::<Vec<_>>().join(&self.join);
        let mut value = joined.trim().to_string();
        if !value.is_empty() && !self.values.is_empty() {
            match self.values.iter().find(|(from, _)| from.eq_ignore_ascii_case(&value)) {
                Some((_, to)) => value = to.clone(),
                None => match self.unmatched {
                    Unmatched::Keep => {}
                    Unmatched::Empty => value.clear(),
                    Unmatched::Default => value = self.default.clone().unwrap_or_default(),
                    Unmatched::Error => {
                        let known: Vec<&str> = self.values.iter().map(|(k, _)| k.as_str()).take(12).collect();
                        return Err(format!("'{value}' is not one of the mapped values ({})", known.join(", ")));
                    }
                },
            }
        }
        if value.trim().is_empty() {
            value = self.default.clone().unwrap_or_default();
        }
        let value = value.trim();
        if value.is_empty() {
            return Ok(String::new());
        }
        self.format.apply(value)
    }

    /// How the source is named in messages: the column, `A + B` for joined columns,
    /// `(default)` without one.
    pub fn source_label(&self) -> String {
        if self.from.is_empty() { "(default)".into() } else { self.from.join(" + ") }
    }
}

/// The mapping of one input kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapping {
    pub kind: Kind,
    /// The mapping file (or preset) it comes from.
    pub source: String,
    /// The line of its table in that file.
    pub line: usize,
    /// Built-in fields, in file order.
    pub fields: Vec<FieldSpec>,
    /// Custom fields (leads), in file order.
    pub custom: Vec<FieldSpec>,
    /// Cell values read as empty (any case).
    pub null_values: Vec<String>,
    /// Keep columns the mapping does not name as custom fields.
    pub keep_unmapped: bool,
}

/// A whole mapping file.
#[derive(Debug, Clone, PartialEq)]
pub struct MappingFile {
    /// The file's path or the preset's name.
    pub source: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub mappings: Vec<Mapping>,
    /// The `[segment]` section: how Segment calls become leads, events and accounts.
    pub segment: Option<segment::SegmentMapping>,
    /// The file's text (what `leadrank mapping show` prints).
    pub text: String,
}

impl MappingFile {
    /// Parses a mapping file; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Self, MappingErrors> {
        file::parse(text, file)
    }

    /// The mapping of `kind`, if the file has one.
    pub fn get(&self, kind: Kind) -> Option<&Mapping> {
        self.mappings.iter().find(|m| m.kind == kind)
    }
}

/// The mappings in force for one command: at most one per input kind, from any number of
/// mapping files.
#[derive(Debug, Clone, Default)]
pub struct MappingSet {
    files: Vec<MappingFile>,
}

impl MappingSet {
    /// Adds a file; an error when it maps a kind an earlier file maps too.
    pub fn add(&mut self, file: MappingFile) -> Result<(), String> {
        for m in &file.mappings {
            if let Some(other) = self.get(m.kind) {
                return Err(format!("{} and {} both map {}: give one mapping per input", other.source, file.source, m.kind.as_str()));
            }
        }
        self.files.push(file);
        Ok(())
    }

    /// The mapping of `kind`, if any file has one.
    pub fn get(&self, kind: Kind) -> Option<&Mapping> {
        self.files.iter().find_map(|f| f.get(kind))
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn files(&self) -> &[MappingFile] {
        &self.files
    }
}

/// Whether a mapping's columns must all be in the file (CSV: the header is known), or may be
/// absent from a row (JSON Lines: each line has its own keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Required,
    Optional,
}

/// One output field of a bound mapping.
#[derive(Debug, Clone)]
enum Output<'m> {
    /// A field of the mapping, with the index of each of its source columns (`None`: absent).
    Mapped(&'m FieldSpec, Vec<Option<usize>>),
    /// An unmapped column kept as a custom field.
    Kept(usize),
}

/// A mapping checked against a file's columns, ready to map its rows.
#[derive(Debug, Clone)]
pub struct Bound<'m> {
    mapping: &'m Mapping,
    outputs: Vec<Output<'m>>,
    names: Vec<String>,
    columns: Vec<String>,
    unmapped: Vec<usize>,
    /// Cell values read as empty (any case).
    nulls: Vec<String>,
}

/// One row after mapping: a text value per output name, and the problems found (by output
/// index) while mapping it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    pub values: Vec<String>,
    pub problems: Vec<(usize, String)>,
}

impl Mapping {
    /// Checks the mapping against the columns of `data_file` and prepares it for its rows.
    /// With [`Presence::Required`], a column the mapping names that the file lacks is an
    /// error naming the mapping file, line and key.
    pub fn bind<'m>(&'m self, columns: &[String], data_file: &str, presence: Presence) -> Result<Bound<'m>, MappingErrors> {
        let position = |name: &str| {
            columns.iter().position(|c| c == name).or_else(|| columns.iter().position(|c| c.trim().eq_ignore_ascii_case(name.trim())))
        };
        let mut errors = Vec::new();
        let mut outputs = Vec::new();
        let mut names = Vec::new();
        let mut used = vec![false; columns.len()];
        for spec in self.fields.iter().chain(&self.custom) {
            let mut indexes = Vec::with_capacity(spec.from.len());
            for column in &spec.from {
                let i = position(column);
                match i {
                    Some(i) => used[i] = true,
                    None if presence == Presence::Required && !spec.optional => {
                        let hint = file::suggest(column, columns.iter().map(String::as_str));
                        let shown: Vec<&str> = columns.iter().map(String::as_str).take(40).collect();
                        let more =
                            if columns.len() > shown.len() { format!(", ... {} more", columns.len() - shown.len()) } else { String::new() };
                        errors.push(MappingError {
                            file: self.source.clone(),
                            line: spec.line,
                            key: format!("{}.from", spec.key),
                            message: format!("column '{column}' is not in {data_file}{hint} (its columns: {}{more})", shown.join(", ")),
                        });
                    }
                    None => {}
                }
                indexes.push(i);
            }
            outputs.push(Output::Mapped(spec, indexes));
            names.push(spec.target.clone());
        }
        let unmapped: Vec<usize> = (0..columns.len()).filter(|&i| !used[i] && !columns[i].is_empty()).collect();
        if self.keep_unmapped {
            for &i in &unmapped {
                if names.iter().any(|n| *n == columns[i]) || self.kind.field(&columns[i]).is_some() {
                    continue;
                }
                outputs.push(Output::Kept(i));
                names.push(columns[i].clone());
            }
        }
        if !errors.is_empty() {
            return Err(MappingErrors(errors));
        }
        Ok(Bound { mapping: self, outputs, names, columns: columns.to_vec(), unmapped, nulls: self.null_values.clone() })
    }
}

impl Bound<'_> {
    /// The names of the mapped row's values: leadrank fields, then custom fields.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The mapping bound.
    pub fn mapping(&self) -> &Mapping {
        self.mapping
    }

    /// The source columns the mapping does not read (0-based), in file order.
    pub fn unmapped(&self) -> impl Iterator<Item = &str> {
        self.unmapped.iter().map(|&i| self.columns[i].as_str())
    }

    /// Where output `index` comes from: a label for messages (the source column, `A + B`,
    /// `(default)`) and the 0-based source column of its first column, when there is one.
    pub fn origin(&self, index: usize) -> (String, Option<usize>) {
        match self.outputs.get(index) {
            Some(Output::Mapped(spec, columns)) => (spec.source_label(), columns.iter().flatten().next().copied()),
            Some(Output::Kept(i)) => (self.columns[*i].clone(), Some(*i)),
            None => (String::new(), None),
        }
    }

    /// The output field a leadrank field name is at.
    pub fn output_of(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// Maps one row: `cells` are the file's values in column order.
    pub fn apply(&self, cells: &[&str]) -> Applied {
        let cell = |i: Option<usize>| -> &str {
            let v = i.and_then(|i| cells.get(i)).map_or("", |v| v.trim());
            if self.nulls.iter().any(|n| n.eq_ignore_ascii_case(v)) { "" } else { v }
        };
        let mut out = Applied { values: Vec::with_capacity(self.outputs.len()), problems: Vec::new() };
        for (index, output) in self.outputs.iter().enumerate() {
            let value = match output {
                Output::Mapped(spec, columns) => {
                    let sources: Vec<&str> = columns.iter().map(|&i| cell(i)).collect();
                    spec.value(&sources).unwrap_or_else(|message| {
                        out.problems.push((index, message));
                        String::new()
                    })
                }
                Output::Kept(i) => cell(Some(*i)).to_string(),
            };
            out.values.push(value);
        }
        out
    }
}

#[cfg(test)]
mod tests;
