//! `leadrank inspect`: what an input file holds before it is scored. Each column's filled
//! share, guessed type and sample values; what a mapping reads from it; and the rows the
//! reader would reject, grouped by reason with the first example of each.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use leadrank_core::engine::DatasetBuilder;
use leadrank_core::model::builtin;
use leadrank_core::records;
use leadrank_mapping::{Presence, presets};

use crate::read::{self, InputFormat, Kind, LoadReport, Mapping, ReadError, RowError, for_each_mapped_row, for_each_row};
use crate::read_outcomes::{read_outcomes_mapped, read_stages_mapped};

/// How many distinct values a column profile keeps count of.
const DISTINCT_CAP: usize = 1000;
/// Sample values shown per column.
const SAMPLES: usize = 3;

/// What a column's values look like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Guess {
    /// No value at all.
    Empty,
    Bool,
    Integer,
    /// A number with a thousands separator, a currency sign or a decimal part.
    Number,
    /// Ranges like `201-500` or `1000+`.
    Range,
    /// Dates or times; the day/month order when slashes leave it open (`None`: could be either).
    Date {
        form: String,
        day_first: Option<bool>,
    },
    Email,
    Url,
    Text,
}

impl std::fmt::Display for Guess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Guess::Empty => f.write_str("empty"),
            Guess::Bool => f.write_str("yes/no"),
            Guess::Integer => f.write_str("integer"),
            Guess::Number => f.write_str("number"),
            Guess::Range => f.write_str("range"),
            Guess::Date { form, day_first: None } if form.contains('/') => {
                write!(f, "date {form} (day/month order unclear: set a pattern)")
            }
            Guess::Date { form, day_first: Some(true) } if form.contains('/') => write!(f, "date {form} (day first)"),
            Guess::Date { form, day_first: Some(false) } if form.contains('/') => write!(f, "date {form} (month first)"),
            Guess::Date { form, .. } => write!(f, "date {form}"),
            Guess::Email => f.write_str("email"),
            Guess::Url => f.write_str("web address"),
            Guess::Text => f.write_str("text"),
        }
    }
}

/// One column of the file.
#[derive(Debug, Clone)]
pub struct ColumnProfile {
    pub name: String,
    /// Rows with a value.
    pub filled: u64,
    /// Distinct values, up to [`DISTINCT_CAP`] (then `capped`).
    pub distinct: usize,
    pub capped: bool,
    pub samples: Vec<String>,
    pub guess: Guess,
    /// The leadrank fields it feeds (through the mapping, or by its name).
    pub feeds: Vec<String>,
}

/// A reason rows are rejected, how many, and the first one.
#[derive(Debug, Clone)]
pub struct RejectReason {
    pub reason: String,
    pub rows: u64,
    pub first: String,
}

/// What the reader would do with the file as one input kind.
#[derive(Debug, Clone)]
pub struct KindCheck {
    pub kind: Kind,
    /// Where the mapping of this kind comes from (`None`: the file's own columns).
    pub mapping: Option<String>,
    /// (leadrank field, source, whether the file has the source column).
    pub fields: Vec<(String, String, bool)>,
    pub accepted: u64,
    pub rejected: u64,
    /// Reasons, most frequent first.
    pub reasons: Vec<RejectReason>,
    pub notes: Vec<String>,
    /// What the check leaves out (events: whether their leads exist).
    pub caveat: Option<String>,
    /// Why the file cannot be read as this kind at all (a missing column), if so.
    pub problem: Option<String>,
}

/// A built-in mapping and how many of the columns it names the file has.
#[derive(Debug, Clone)]
pub struct PresetFit {
    pub name: String,
    pub found: usize,
    pub named: usize,
}

/// Everything `leadrank inspect` shows about a file.
#[derive(Debug, Clone)]
pub struct Inspection {
    pub file: String,
    pub rows: u64,
    pub columns: Vec<ColumnProfile>,
    pub checks: Vec<KindCheck>,
    /// Without a mapping: the built-in mappings that fit the columns best.
    pub presets: Vec<PresetFit>,
    /// Rows that could not be split into fields at all.
    pub unreadable: Vec<RowError>,
}

/// Per-column accumulator.
#[derive(Default)]
struct Acc {
    filled: u64,
    distinct: HashSet<String>,
    capped: bool,
    samples: Vec<String>,
    bools: u64,
    integers: u64,
    numbers: u64,
    ranges: u64,
    emails: u64,
    urls: u64,
    dates: HashMap<&'static str, u64>,
    day_first: bool,
    month_first: bool,
}

/// Date forms recognised when guessing, as strftime patterns with a readable name.
const DATE_FORMS: &[(&str, &str)] = &[
    ("%Y-%m-%d %H:%M:%S", "YYYY-MM-DD HH:MM:SS"),
    ("%Y-%m-%d %H:%M", "YYYY-MM-DD HH:MM"),
    ("%m/%d/%Y %I:%M %p", "NN/NN/YYYY HH:MM AM"),
    ("%m/%d/%Y %H:%M", "NN/NN/YYYY HH:MM"),
    ("%m/%d/%Y", "NN/NN/YYYY"),
    ("%d.%m.%Y %H:%M", "DD.MM.YYYY HH:MM"),
    ("%d.%m.%Y", "DD.MM.YYYY"),
];

impl Acc {
    fn add(&mut self, raw: &str) {
        let v = raw.trim();
        if v.is_empty() {
            return;
        }
        self.filled += 1;
        if !self.distinct.contains(v) {
            if self.samples.len() < SAMPLES {
                self.samples.push(v.chars().take(40).collect());
            }
            if self.distinct.len() < DISTINCT_CAP {
                self.distinct.insert(v.to_string());
            } else {
                self.capped = true;
            }
        }
        if records::parse_bool(v).is_ok() && !v.chars().all(|c| c.is_ascii_digit()) || v == "0" || v == "1" {
            self.bools += 1;
        }
        if v.parse::<i64>().is_ok() {
            self.integers += 1;
        }
        if leadrank_mapping::Format::Number(Default::default()).apply(v).is_ok() {
            self.numbers += 1;
        }
        let range = leadrank_mapping::Format::Range { style: Default::default(), pick: Default::default(), whole: false };
        if (v.contains('-') || v.ends_with('+')) && range.apply(v).is_ok() {
            self.ranges += 1;
        }
        if v.contains('@') && !v.contains(' ') {
            self.emails += 1;
        }
        if (v.starts_with("http://") || v.starts_with("https://") || v.starts_with("www.")) && !v.contains(' ') {
            self.urls += 1;
        }
        if let Ok(Some(_)) = records::parse_time(v) {
            *self.dates.entry(if v.len() == 10 { "YYYY-MM-DD" } else { "RFC 3339" }).or_default() += 1;
        } else if let Some((_, name)) = DATE_FORMS.iter().find(|(p, _)| jiff::fmt::strtime::parse(p, v).is_ok_and(|t| t.to_date().is_ok()))
        {
            *self.dates.entry(name).or_default() += 1;
            if name.starts_with("NN/NN") {
                let mut parts = v.split('/');
                let a: u32 = parts.next().and_then(|p| p.trim().parse().ok()).unwrap_or(0);
                let b: u32 = parts.next().and_then(|p| p.trim().parse().ok()).unwrap_or(0);
                self.day_first |= a > 12;
                self.month_first |= b > 12;
            }
        } else if let Some((_, name)) = DATE_FORMS
            .iter()
            .filter(|(_, n)| n.starts_with("NN/NN"))
            .find(|(p, _)| jiff::fmt::strtime::parse(p.replacen("%m/%d", "%d/%m", 1), v).is_ok_and(|t| t.to_date().is_ok()))
        {
            // Only readable day first.
            *self.dates.entry(name).or_default() += 1;
            self.day_first = true;
        }
    }

    fn guess(&self) -> Guess {
        if self.filled == 0 {
            return Guess::Empty;
        }
        // The most specific type that nearly every value fits.
        let most = |n: u64| n * 100 >= self.filled * 98;
        if let Some((form, n)) = self.dates.iter().max_by_key(|(_, n)| **n)
            && most(*n)
        {
            let day_first = match (self.day_first, self.month_first) {
                (true, false) => Some(true),
                (false, true) => Some(false),
                _ => None,
            };
            let form = if form.starts_with("NN/NN") && day_first == Some(true) {
                form.replace("NN/NN", "DD/MM")
            } else if form.starts_with("NN/NN") && day_first == Some(false) {
                form.replace("NN/NN", "MM/DD")
            } else {
                form.to_string()
            };
            return Guess::Date { form, day_first };
        }
        if most(self.bools) && self.distinct.len() <= 2 {
            Guess::Bool
        } else if most(self.integers) {
            Guess::Integer
        } else if most(self.numbers) {
            Guess::Number
        } else if most(self.ranges + self.integers) && self.ranges > 0 {
            Guess::Range
        } else if most(self.emails) {
            Guess::Email
        } else if most(self.urls) {
            Guess::Url
        } else {
            Guess::Text
        }
    }
}

/// The input kind a file's own column names suggest.
fn kind_of_columns(columns: &[String]) -> Kind {
    let has = |c: &str| columns.iter().any(|n| n == c);
    if has("event_id") {
        Kind::Events
    } else if has("opportunity_id") {
        Kind::Outcomes
    } else if has("purpose") && has("lead_id") {
        Kind::Consents
    } else if has("stage") && has("lead_id") {
        Kind::Stages
    } else if has("account_id") && !has("lead_id") {
        Kind::Accounts
    } else {
        Kind::Leads
    }
}

/// Inspects `path`. With mappings, the file is checked as each kind they map (a mapping file
/// may map the same export as leads and as outcomes); without, as `kind`, or the kind its
/// column names suggest.
pub fn inspect(path: &Path, format: InputFormat, kind: Option<Kind>, mappings: &[&Mapping]) -> Result<Inspection, ReadError> {
    let file = path.display().to_string();
    let mut columns: Vec<String> = Vec::new();
    let mut accs: Vec<Acc> = Vec::new();
    let mut rows = 0u64;
    let mut report = LoadReport::default();
    for_each_row(path, format, &[], &mut report, |row, _| {
        rows += 1;
        for (name, value) in row.pairs() {
            let i = match columns.iter().position(|c| c == name) {
                Some(i) => i,
                None => {
                    columns.push(name.to_string());
                    accs.push(Acc::default());
                    columns.len() - 1
                }
            };
            accs[i].add(value);
        }
    })?;
    if format.is_csv() && columns.is_empty() {
        // A file with a header and no rows: take the names from the header.
        let (header, _) = crate::csv_input::CsvHeader::open(
            path,
            match format {
                InputFormat::Csv(d) => d,
                InputFormat::JsonLines => Default::default(),
            },
        )?;
        columns = header.names;
        accs = columns.iter().map(|_| Acc::default()).collect();
    }
    let mut checks = Vec::new();
    let selected: Vec<(Kind, Option<&Mapping>)> = if mappings.is_empty() {
        vec![(kind.unwrap_or_else(|| kind_of_columns(&columns)), None)]
    } else {
        mappings.iter().filter(|m| kind.is_none_or(|k| k == m.kind)).map(|m| (m.kind, Some(*m))).collect()
    };
    if selected.is_empty()
        && let Some(k) = kind
    {
        return Err(ReadError::Mapping(format!("no mapping given maps {}", k.as_str())));
    }
    let mut feeds: Vec<Vec<String>> = vec![Vec::new(); columns.len()];
    for (kind, mapping) in selected {
        let mut fields = Vec::new();
        match mapping {
            Some(m) => {
                for spec in m.fields.iter().chain(&m.custom) {
                    let found = spec.from.iter().all(|c| columns.iter().any(|n| n.trim().eq_ignore_ascii_case(c.trim())));
                    fields.push((spec.target.clone(), spec.source_label(), found));
                    for c in &spec.from {
                        if let Some(i) = columns.iter().position(|n| n.trim().eq_ignore_ascii_case(c.trim())) {
                            feeds[i].push(format!("{}.{}", kind.as_str(), spec.target));
                        }
                    }
                }
            }
            None => {
                for (i, c) in columns.iter().enumerate() {
                    if kind.field(c).is_some() {
                        feeds[i].push(format!("{}.{c}", kind.as_str()));
                    } else if kind.keeps_custom_fields() {
                        feeds[i].push(format!("{}.{c} (custom)", kind.as_str()));
                    }
                }
            }
        }
        let check = match check_kind(path, format, kind, mapping, fields.clone()) {
            Ok(check) => check,
            // A file that cannot be read as this kind is what inspect is for: say why.
            Err(e @ (ReadError::MissingColumn { .. } | ReadError::Mapping(_))) => KindCheck {
                kind,
                mapping: mapping.map(|m| format!("{}:{}", m.source, m.line)),
                fields,
                accepted: 0,
                rejected: 0,
                reasons: Vec::new(),
                notes: Vec::new(),
                caveat: None,
                problem: Some(e.to_string()),
            },
            Err(e) => return Err(e),
        };
        checks.push(check);
    }
    let presets = if mappings.is_empty() { preset_fits(&columns, &file) } else { Vec::new() };
    let columns = columns
        .into_iter()
        .zip(accs)
        .zip(feeds)
        .map(|((name, acc), feeds)| ColumnProfile {
            name,
            filled: acc.filled,
            distinct: acc.distinct.len(),
            capped: acc.capped,
            guess: acc.guess(),
            samples: acc.samples,
            feeds,
        })
        .collect();
    Ok(Inspection { file, rows, columns, checks, presets, unreadable: report.rejected })
}

/// The built-in mappings whose columns the file has, best first (at least the id column).
fn preset_fits(columns: &[String], file: &str) -> Vec<PresetFit> {
    let mut fits = Vec::new();
    for preset in presets::ALL {
        let Ok(parsed) = preset.parse() else { continue };
        for m in &parsed.mappings {
            let named: Vec<&String> = m.fields.iter().chain(&m.custom).flat_map(|f| &f.from).collect();
            let found = named.iter().filter(|c| columns.iter().any(|n| n.trim().eq_ignore_ascii_case(c.trim()))).count();
            if m.bind(columns, file, Presence::Required).is_ok() && found > 1 {
                fits.push(PresetFit { name: preset.name.to_string(), found, named: named.len() });
            }
        }
    }
    fits.sort_by(|a, b| b.found.cmp(&a.found).then_with(|| a.name.cmp(&b.name)));
    fits
}

/// Runs the reader of `kind` over the file and groups its rejections.
fn check_kind(
    path: &Path,
    format: InputFormat,
    kind: Kind,
    mapping: Option<&Mapping>,
    fields: Vec<(String, String, bool)>,
) -> Result<KindCheck, ReadError> {
    let mut report = LoadReport::default();
    let mut caveat = None;
    let accepted = match kind {
        Kind::Leads => {
            let model = builtin::default_model();
            let mut builder = DatasetBuilder::new(&model);
            read::load_leads_mapped(path, format, mapping, &mut builder, &model, &mut report)?;
            report.leads
        }
        Kind::Accounts => {
            let model = builtin::default_model();
            let mut builder = DatasetBuilder::new(&model);
            read::load_accounts_mapped(path, format, mapping, &mut builder, &mut report)?;
            report.accounts
        }
        Kind::Outcomes => {
            let l = read_outcomes_mapped(path, format, mapping)?;
            report.rejected = l.rejected;
            report.notes = l.notes;
            l.rows.len() as u64
        }
        Kind::Stages => {
            let l = read_stages_mapped(path, format, mapping)?;
            report.rejected = l.rejected;
            report.notes = l.notes;
            l.rows.len() as u64
        }
        Kind::Events | Kind::Consents => {
            caveat =
                Some(format!("{} name their leads; whether those leads exist is checked when the leads are read with them", kind.as_str()));
            let file = path.display().to_string();
            let mut accepted = 0u64;
            let required: &[&'static str] = &[];
            for_each_mapped_row(path, format, mapping, required, &mut report, |row, report| {
                let errors = match kind {
                    Kind::Events => records::event_from_pairs_all_errors(row.pairs()).err(),
                    _ => records::consent_from_pairs_all_errors(row.pairs()).err(),
                };
                match errors {
                    None if row.mapped_cleanly() => accepted += 1,
                    None => report.rejected.push(row.field_errors(&file, Vec::new())),
                    Some(e) => report.rejected.push(row.field_errors(&file, e.0)),
                }
            })?;
            accepted
        }
    };
    let mut reasons: Vec<RejectReason> = Vec::new();
    for r in &report.rejected {
        let problems =
            std::iter::once((r.field.as_deref(), &*r.message)).chain(r.more.iter().map(|p| (p.field.as_deref(), p.message.as_str())));
        for ((field, message), example) in problems.zip(r.lines()) {
            let reason = match field {
                Some(f) => format!("{f}: {}", without_quoted(message)),
                None => without_quoted(message),
            };
            match reasons.iter_mut().find(|x| x.reason == reason) {
                Some(x) => x.rows += 1,
                None => reasons.push(RejectReason { reason, rows: 1, first: example }),
            }
        }
    }
    reasons.sort_by_key(|r| std::cmp::Reverse(r.rows));
    Ok(KindCheck {
        kind,
        mapping: mapping.map(|m| format!("{}:{}", m.source, m.line)),
        fields,
        accepted,
        rejected: report.rejected.len() as u64,
        reasons,
        notes: report.notes,
        caveat,
        problem: None,
    })
}

/// A message with its quoted values replaced by `'...'`, so rows rejected for the same
/// reason group together.
fn without_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quoted = false;
    for c in message.chars() {
        if c == '\'' {
            if !quoted {
                out.push_str("'...'");
            }
            quoted = !quoted;
        } else if !quoted {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guess(values: &[&str]) -> Guess {
        let mut acc = Acc::default();
        values.iter().for_each(|v| acc.add(v));
        acc.guess()
    }

    #[test]
    fn guesses_types_and_date_order() {
        assert_eq!(guess(&["1", "20", ""]), Guess::Integer);
        assert_eq!(guess(&["Yes", "No"]), Guess::Bool);
        assert_eq!(guess(&["1,200", "$3.50"]), Guess::Number);
        assert_eq!(guess(&["201-500", "1000+", "5"]), Guess::Range);
        assert_eq!(guess(&["2024-01-05 10:22", "2024-02-01 08:00"]).to_string(), "date YYYY-MM-DD HH:MM");
        assert_eq!(guess(&["01/05/2024", "12/31/2024"]).to_string(), "date MM/DD/YYYY (month first)");
        assert_eq!(guess(&["31/01/2024", "05/01/2024"]).to_string(), "date DD/MM/YYYY (day first)");
        assert_eq!(guess(&["01/05/2024", "02/03/2024"]).to_string(), "date NN/NN/YYYY (day/month order unclear: set a pattern)");
        assert_eq!(guess(&["a@b.com"]), Guess::Email);
        assert_eq!(guess(&["Organic Search", "Direct"]), Guess::Text);
        assert_eq!(guess(&["", " "]), Guess::Empty);
        assert_eq!(without_quoted("'x' is not a number"), "'...' is not a number");
    }
}
