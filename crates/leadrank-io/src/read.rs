//! Readers for leads, accounts and events in CSV (with a header row) or JSON Lines.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use leadrank_core::CompiledModel;
use leadrank_core::engine::{DatasetBuilder, EventAdded};
use leadrank_core::records::{self, FieldError, FieldType};

use crate::csv_blocks::read_blocks;
pub use crate::csv_input::Delimiter;
use crate::csv_input::{CsvHeader, TextFields, next_record};
pub use crate::report::{FieldProblem, LoadReport, MAX_ROW_BYTES, ReadError, RowError};
use crate::row::{Row, csv_row};
use leadrank_mapping::{Bound, Presence};
pub use leadrank_mapping::{Kind, Mapping};

/// How an input file is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// CSV with a header row, UTF-8 with or without a byte order mark.
    Csv(Delimiter),
    JsonLines,
}

impl InputFormat {
    /// CSV with the delimiter found from the header line.
    pub const CSV: InputFormat = InputFormat::Csv(Delimiter::Auto);

    /// Whether this is CSV (with any delimiter).
    pub fn is_csv(self) -> bool {
        matches!(self, InputFormat::Csv(_))
    }

    /// The same format with CSV files separated by `delimiter` (JSON Lines is unchanged).
    pub fn with_delimiter(self, delimiter: Delimiter) -> Self {
        match self {
            InputFormat::Csv(_) => InputFormat::Csv(delimiter),
            InputFormat::JsonLines => InputFormat::JsonLines,
        }
    }

    /// The format named by a file's extension: .csv or .tsv, or .jsonl/.ndjson/.json for JSON Lines.
    pub fn from_path(path: &Path) -> Result<Self, ReadError> {
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("csv" | "tsv") => Ok(InputFormat::CSV),
            Some("jsonl" | "ndjson" | "json") => Ok(InputFormat::JsonLines),
            _ => Err(ReadError::UnknownFormat(path.to_path_buf())),
        }
    }
}

fn open(path: &Path) -> Result<BufReader<File>, ReadError> {
    File::open(path).map(|f| BufReader::with_capacity(1 << 20, f)).map_err(|source| ReadError::Open { path: path.to_path_buf(), source })
}

/// Calls `each` for every row of a file; rows that cannot be split into fields are reported.
pub(crate) fn for_each_row(
    path: &Path,
    format: InputFormat,
    required: &[&'static str],
    report: &mut LoadReport,
    each: impl FnMut(&Row<'_>, &mut LoadReport),
) -> Result<(), ReadError> {
    for_each_mapped_row(path, format, None, required, report, each)
}

/// Checks that `mapping` maps inputs of `kind`.
pub(crate) fn check_kind(mapping: Option<&Mapping>, kind: Kind) -> Result<(), ReadError> {
    match mapping {
        Some(m) if m.kind != kind => Err(ReadError::Mapping(format!(
            "{}:{}: [{}] maps {}, not {}",
            m.source,
            m.line,
            m.kind.as_str(),
            m.kind.as_str(),
            kind.as_str()
        ))),
        _ => Ok(()),
    }
}

/// Binds `mapping` to a CSV header: a column it needs that the file lacks is an error; the
/// columns it does not read are noted in the report.
pub(crate) fn bind_header<'m>(
    mapping: &'m Mapping,
    path: &Path,
    names: &[String],
    report: &mut LoadReport,
) -> Result<Bound<'m>, ReadError> {
    let file = path.display().to_string();
    let bound = mapping.bind(names, &file, Presence::Required).map_err(|e| ReadError::Mapping(e.to_string()))?;
    let unmapped: Vec<&str> = bound.unmapped().collect();
    if !unmapped.is_empty() && !mapping.keep_unmapped {
        let shown: Vec<&str> = unmapped.iter().copied().take(12).collect();
        let more = if unmapped.len() > shown.len() { format!(", ... {} more", unmapped.len() - shown.len()) } else { String::new() };
        report.notes.push(format!(
            "{file}: {} column{} not read by the mapping ({}:{}): {}{more}",
            unmapped.len(),
            if unmapped.len() == 1 { " is" } else { "s are" },
            mapping.source,
            mapping.line,
            shown.join(", ")
        ));
    }
    let missing: Vec<String> = mapping
        .fields
        .iter()
        .chain(&mapping.custom)
        .filter(|f| f.optional && f.from.iter().any(|c| !names.iter().any(|n| n.trim().eq_ignore_ascii_case(c.trim()))))
        .map(|f| f.source_label())
        .collect();
    if !missing.is_empty() {
        report.notes.push(format!(
            "{file}: optional column{} not in the file (left empty): {}",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", ")
        ));
    }
    Ok(bound)
}

/// Calls `each` for every row of a file, made by `mapping` when there is one (the row then
/// holds leadrank's fields, and its errors name the file's columns).
pub(crate) fn for_each_mapped_row(
    path: &Path,
    format: InputFormat,
    mapping: Option<&Mapping>,
    required: &[&'static str],
    report: &mut LoadReport,
    each: impl FnMut(&Row<'_>, &mut LoadReport),
) -> Result<(), ReadError> {
    match format {
        InputFormat::Csv(delimiter) => {
            let (header, reader) = CsvHeader::open(path, delimiter)?;
            for_each_csv_row(path, &header, reader, mapping, required, report, each)?;
        }
        InputFormat::JsonLines => for_each_json_row(path, mapping, report, each)?,
    }
    Ok(())
}

/// [`for_each_mapped_row`] for the rows of a CSV input after its header.
pub(crate) fn for_each_csv_row<R: Read>(
    path: &Path,
    header: &CsvHeader,
    mut reader: csv::Reader<R>,
    mapping: Option<&Mapping>,
    required: &[&'static str],
    report: &mut LoadReport,
    mut each: impl FnMut(&Row<'_>, &mut LoadReport),
) -> Result<(), ReadError> {
    let file = path.display().to_string();
    let bound = match mapping {
        Some(m) => Some(bind_header(m, path, &header.names, report)?),
        None => {
            header.require(path, required)?;
            None
        }
    };
    let names = &header.names;
    let mut record = csv::ByteRecord::new();
    loop {
        let line = match next_record(&mut reader, &mut record) {
            Ok(None) => break,
            Ok(Some(line)) => line,
            Err((line, e)) => {
                if let csv::ErrorKind::Io(source) = e.kind() {
                    return Err(ReadError::Io { path: path.to_path_buf(), source: std::io::Error::new(source.kind(), source.to_string()) });
                }
                report.rejected.push(RowError::row(&file, line, e.to_string()));
                continue;
            }
        };
        let fields = TextFields::new(std::mem::take(&mut record));
        match csv_row(&fields, names, line, &file) {
            Ok(Some(row)) => match &bound {
                Some(bound) => {
                    let applied = bound.apply(&row.values);
                    each(&Row::from_mapping(bound, &applied, line, true), report);
                }
                None => each(&row, report),
            },
            Ok(None) => {}
            Err(e) => report.rejected.push(e),
        }
        record = fields.into_byte_record();
    }
    Ok(())
}

/// [`for_each_mapped_row`] for a JSON Lines file.
fn for_each_json_row(
    path: &Path,
    mapping: Option<&Mapping>,
    report: &mut LoadReport,
    mut each: impl FnMut(&Row<'_>, &mut LoadReport),
) -> Result<(), ReadError> {
    let file = path.display().to_string();
    let mut reader = open(path)?;
    let mut buf = Vec::new();
    let mut line = 0u64;
    loop {
        buf.clear();
        let n = (&mut reader)
            .take(MAX_ROW_BYTES as u64 + 1)
            .read_until(b'\n', &mut buf)
            .map_err(|source| ReadError::Io { path: path.to_path_buf(), source })?;
        if n == 0 {
            break;
        }
        line += 1;
        if buf.len() > MAX_ROW_BYTES && !buf.ends_with(b"\n") {
            report.rejected.push(RowError::row(&file, line, format!("line is longer than {MAX_ROW_BYTES} bytes")));
            // Skip the rest of the over-long line.
            let mut rest = Vec::new();
            reader.read_until(b'\n', &mut rest).map_err(|source| ReadError::Io { path: path.to_path_buf(), source })?;
            continue;
        }
        let text = match std::str::from_utf8(&buf) {
            Ok(t) => t.trim(),
            Err(_) => {
                report.rejected.push(RowError::row(&file, line, "is not valid UTF-8".into()));
                continue;
            }
        };
        if text.is_empty() {
            continue;
        }
        let object = match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Object(m)) => m,
            Ok(_) => {
                report.rejected.push(RowError::row(&file, line, "is not a JSON object".into()));
                continue;
            }
            Err(e) => {
                report.rejected.push(RowError::row(&file, line, format!("is not valid JSON: {e}")));
                continue;
            }
        };
        let mut names = Vec::with_capacity(object.len());
        let mut owned = Vec::with_capacity(object.len());
        for (k, v) in object {
            names.push(k);
            owned.push(json_to_text(v));
        }
        let values: Vec<&str> = owned.iter().map(String::as_str).collect();
        match mapping {
            // Each line has its own keys: a key the mapping names may be absent.
            Some(m) => match m.bind(&names, &file, Presence::Optional) {
                Ok(bound) => {
                    let applied = bound.apply(&values);
                    each(&Row::from_mapping(&bound, &applied, line, false), report);
                }
                Err(e) => report.rejected.push(RowError::row(&file, line, e.to_string())),
            },
            None => each(&Row { names: &names, values, line, csv: false, mapped: None }, report),
        }
    }
    Ok(())
}

/// A JSON value as the text a CSV cell would hold: lists joined with ";", objects as JSON.
fn json_to_text(v: serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s,
        serde_json::Value::Array(items) => items
            .into_iter()
            .map(|i| match i {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(";"),
        other => other.to_string(),
    }
}

/// Reads a lead from a row: every bad field, including custom fields the model declares
/// with a type their value does not fit.
pub(crate) fn parse_lead(row: &Row<'_>, model: &CompiledModel) -> Result<records::Lead, Vec<FieldError>> {
    let lead = records::lead_from_pairs_all_errors(row.pairs()).map_err(|e| e.0);
    let mut custom_errors = Vec::new();
    for (name, value) in row.pairs() {
        let Some(ty) = model.custom_field_type(name) else { continue };
        if records::LEAD_FIELDS.iter().any(|(builtin, _)| *builtin == name) {
            continue;
        }
        let result = match ty {
            FieldType::Integer => records::parse_integer(value).map(|_| ()),
            FieldType::Number => records::parse_number(value).map(|_| ()),
            FieldType::Bool => records::parse_bool(value).map(|_| ()),
            FieldType::Time => records::parse_time(value).map(|_| ()),
            FieldType::Text | FieldType::List => Ok(()),
        };
        if let Err(error) = result {
            custom_errors.push(FieldError { field: name.to_string(), error });
        }
    }
    match lead {
        Ok(lead) if custom_errors.is_empty() && row.mapped_cleanly() => Ok(lead),
        Ok(_) => Err(custom_errors),
        Err(mut errors) => {
            errors.extend(custom_errors);
            Err(errors)
        }
    }
}

/// Reads leads into `builder`. Returns an error only when the file cannot be read at all.
pub fn load_leads(
    path: &Path,
    format: InputFormat,
    builder: &mut DatasetBuilder,
    model: &CompiledModel,
    report: &mut LoadReport,
) -> Result<(), ReadError> {
    load_leads_mapped(path, format, None, builder, model, report)
}

/// Reads leads into `builder`, through `mapping` when there is one (a `[leads]` mapping).
pub fn load_leads_mapped(
    path: &Path,
    format: InputFormat,
    mapping: Option<&Mapping>,
    builder: &mut DatasetBuilder,
    model: &CompiledModel,
    report: &mut LoadReport,
) -> Result<(), ReadError> {
    check_kind(mapping, Kind::Leads)?;
    if let InputFormat::Csv(delimiter) = format {
        return load_leads_csv(path, delimiter, mapping, builder, model, report);
    }
    let file = path.display().to_string();
    for_each_mapped_row(path, format, mapping, &[], report, |row, report| {
        let lead = match parse_lead(row, model) {
            Ok(l) => l,
            Err(e) => return report.rejected.push(row.field_errors(&file, e)),
        };
        match builder.add_lead(lead) {
            Ok(()) => report.leads += 1,
            Err(e) => report.rejected.push(row.error(&file, Some("lead_id"), e.to_string())),
        }
    })
}

/// The CSV leads reader: blocks of rows parsed into leads on all cores, then added in file
/// order (so "the first lead with an id wins" and line numbers are exactly those of a
/// sequential read).
fn load_leads_csv(
    path: &Path,
    delimiter: Delimiter,
    mapping: Option<&Mapping>,
    builder: &mut DatasetBuilder,
    model: &CompiledModel,
    report: &mut LoadReport,
) -> Result<(), ReadError> {
    use rayon::prelude::*;
    let file = path.display().to_string();
    let threads = rayon::current_num_threads().max(1);
    let file_len = file_len(path).unwrap_or(0);
    let mut sized = false;
    let mut notes = LoadReport::default();
    let prepare = |header: CsvHeader| match mapping {
        Some(m) => {
            let bound = bind_header(m, path, &header.names, &mut notes)?;
            Ok((header, Some(bound)))
        }
        None => header.require(path, &["lead_id"]).map(|()| (header, None::<Bound<'_>>)),
    };
    // Block k is parsed on the thread pool while this thread adds the leads of block k - 1
    // (in file order), so adding overlaps parsing.
    type Parsed = Vec<Vec<(u64, Result<records::Lead, RowError>)>>;
    let mut pending: Option<Parsed> = None;
    let mut bound_of_header: Option<(CsvHeader, Option<Bound<'_>>)> = None;
    // Where the pending block's row errors go in `rejected`: the length it had when the block
    // was read, ahead of anything reported since.
    let mut mark = 0usize;
    let add = |parsed: Parsed,
               mark: usize,
               builder: &mut DatasetBuilder,
               report: &mut LoadReport,
               header: &CsvHeader,
               bound: Option<&Bound<'_>>| {
        let mut errors = Vec::new();
        for (line, result) in parsed.into_iter().flatten() {
            match result {
                Ok(lead) => match builder.add_lead(lead) {
                    Ok(()) => report.leads += 1,
                    Err(e) => {
                        let empty = leadrank_mapping::Applied::default();
                        let row = match bound {
                            Some(b) => Row::from_mapping(b, &empty, line, true),
                            None => Row { names: &header.names, values: Vec::new(), line, csv: true, mapped: None },
                        };
                        errors.push(row.error(&file, Some("lead_id"), e.to_string()));
                    }
                },
                Err(e) => errors.push(e),
            }
        }
        let at = mark.min(report.rejected.len());
        report.rejected.splice(at..at, errors);
    };
    let result = read_blocks(path, threads, report, delimiter, prepare, |(header, bound), bytes, pieces, starts, report| {
        let mut parsed: Option<Parsed> = None;
        let previous = pending.take();
        rayon::in_place_scope(|scope| {
            let parsed = &mut parsed;
            let file = &file;
            scope.spawn(move |_| {
                *parsed = Some(
                    pieces
                        .par_iter()
                        .zip(starts.par_iter())
                        .map(|(range, &first_line)| {
                            parse_lead_piece(&bytes[range.clone()], first_line, header, bound.as_ref(), file, model)
                        })
                        .collect(),
                );
            });
            if let Some(previous) = previous {
                add(previous, mark, builder, report, header, bound.as_ref());
            }
        });
        mark = report.rejected.len();
        let parsed = parsed.unwrap_or_default();
        if !sized && !bytes.is_empty() {
            // Size the lead vector once from the first block's rows per byte (a hint only:
            // pages reserved but never written are not resident).
            sized = true;
            let rows: usize = parsed.iter().map(Vec::len).sum();
            let estimate = (rows as u128 * u128::from(file_len) / bytes.len() as u128) as usize;
            if estimate > rows {
                builder.reserve_leads(estimate + estimate / 20 + 1024);
            }
        }
        pending = Some(parsed);
        if bound_of_header.is_none() {
            bound_of_header = Some((header.clone(), bound.clone()));
        }
    });
    if let (Some(parsed), Some((header, bound))) = (pending.take(), bound_of_header.as_ref()) {
        add(parsed, mark, builder, report, header, bound.as_ref());
    }
    report.notes.append(&mut notes.notes);
    result
}

/// Parses one piece of a leads CSV (whole records) into leads or row errors, with lines.
fn parse_lead_piece(
    bytes: &[u8],
    first_line: u64,
    header: &CsvHeader,
    bound: Option<&Bound<'_>>,
    file: &str,
    model: &CompiledModel,
) -> Vec<(u64, Result<records::Lead, RowError>)> {
    let mut out = Vec::with_capacity(bytes.len() / 200);
    let mut reader = header.rows_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let names = &header.names;
    loop {
        let line = match next_record(&mut reader, &mut record) {
            Ok(None) => break,
            Ok(Some(line)) => first_line + line - 1,
            Err((line, e)) => {
                let line = first_line + line - 1;
                out.push((line, Err(RowError::row(file, line, e.to_string()))));
                continue;
            }
        };
        let fields = TextFields::new(std::mem::take(&mut record));
        let row = match csv_row(&fields, names, line, file) {
            Ok(Some(row)) => row,
            Ok(None) => continue,
            Err(e) => {
                out.push((line, Err(e)));
                continue;
            }
        };
        let result = match bound {
            Some(bound) => {
                let applied = bound.apply(&row.values);
                let mapped = Row::from_mapping(bound, &applied, line, true);
                parse_lead(&mapped, model).map_err(|e| mapped.field_errors(file, e))
            }
            None => parse_lead(&row, model).map_err(|e| row.field_errors(file, e)),
        };
        out.push((line, result));
        drop(row);
        record = fields.into_byte_record();
    }
    out
}

/// Reads accounts into `builder`.
pub fn load_accounts(path: &Path, format: InputFormat, builder: &mut DatasetBuilder, report: &mut LoadReport) -> Result<(), ReadError> {
    load_accounts_mapped(path, format, None, builder, report)
}

/// Reads accounts into `builder`, through `mapping` when there is one (an `[accounts]` mapping).
pub fn load_accounts_mapped(
    path: &Path,
    format: InputFormat,
    mapping: Option<&Mapping>,
    builder: &mut DatasetBuilder,
    report: &mut LoadReport,
) -> Result<(), ReadError> {
    check_kind(mapping, Kind::Accounts)?;
    let file = path.display().to_string();
    for_each_mapped_row(path, format, mapping, if format.is_csv() { &["account_id"] } else { &[] }, report, |row, report| {
        let account = match records::account_from_pairs_all_errors(row.pairs()) {
            Ok(a) if row.mapped_cleanly() => a,
            Ok(_) => return report.rejected.push(row.field_errors(&file, Vec::new())),
            Err(e) => return report.rejected.push(row.field_errors(&file, e.0)),
        };
        match builder.add_account(account) {
            Ok(()) => report.accounts += 1,
            Err(e) => report.rejected.push(row.error(&file, Some("account_id"), e.to_string())),
        }
    })
}

/// Reads consent records (lead_id, purpose, status, source, at) into `builder`, after the
/// leads since each record names its lead.
pub fn load_consents(path: &Path, format: InputFormat, builder: &mut DatasetBuilder, report: &mut LoadReport) -> Result<(), ReadError> {
    load_consents_mapped(path, format, None, builder, report)
}

/// Reads consent records, through `mapping` when there is one (a `[consents]` mapping).
pub fn load_consents_mapped(
    path: &Path,
    format: InputFormat,
    mapping: Option<&Mapping>,
    builder: &mut DatasetBuilder,
    report: &mut LoadReport,
) -> Result<(), ReadError> {
    check_kind(mapping, Kind::Consents)?;
    let file = path.display().to_string();
    let required: &[&'static str] = if format.is_csv() { &["lead_id", "purpose", "status", "at"] } else { &[] };
    for_each_mapped_row(path, format, mapping, required, report, |row, report| {
        let record = match records::consent_from_pairs_all_errors(row.pairs()) {
            Ok(c) if row.mapped_cleanly() => c,
            Ok(_) => return report.rejected.push(row.field_errors(&file, Vec::new())),
            Err(e) => return report.rejected.push(row.field_errors(&file, e.0)),
        };
        match builder.add_consent(record) {
            Ok(()) => report.consents += 1,
            Err(e) => report.rejected.push(row.error(&file, Some("lead_id"), e.to_string())),
        }
    })
}

/// Reads events into `builder` (after the leads, since events name their lead).
/// `progress` is called with the number of rows read since the last call.
pub fn load_events(
    path: &Path,
    format: InputFormat,
    builder: &mut DatasetBuilder,
    model: &CompiledModel,
    report: &mut LoadReport,
    progress: &mut dyn FnMut(u64),
) -> Result<(), ReadError> {
    load_events_mapped(path, format, None, builder, model, report, progress)
}

/// Reads events, through `mapping` when there is one (an `[events]` mapping). Without a
/// mapping a CSV file is parsed on all cores; with one, row by row.
pub fn load_events_mapped(
    path: &Path,
    format: InputFormat,
    mapping: Option<&Mapping>,
    builder: &mut DatasetBuilder,
    model: &CompiledModel,
    report: &mut LoadReport,
    progress: &mut dyn FnMut(u64),
) -> Result<(), ReadError> {
    check_kind(mapping, Kind::Events)?;
    if let (InputFormat::Csv(delimiter), None) = (format, mapping) {
        return crate::events_csv::load_events_csv(path, delimiter, builder, model, report, progress);
    }
    let file = path.display().to_string();
    let required: &[&'static str] = if format.is_csv() { &["event_id", "lead_id", "type", "occurred_at"] } else { &[] };
    let mut since = 0u64;
    for_each_mapped_row(path, format, mapping, required, report, |row, report| {
        since += 1;
        if since == 65_536 {
            progress(since);
            since = 0;
        }
        let event = match records::event_from_pairs_all_errors(row.pairs()) {
            Ok(e) if row.mapped_cleanly() => e,
            Ok(_) => return report.rejected.push(row.field_errors(&file, Vec::new())),
            Err(e) => return report.rejected.push(row.field_errors(&file, e.0)),
        };
        match builder.add_event(&event) {
            Ok(EventAdded::Accepted) => report.events += 1,
            Ok(EventAdded::Duplicate) => report.duplicate_events += 1,
            Err(e) => report.rejected.push(row.error(&file, Some("lead_id"), e.to_string())),
        }
    })?;
    progress(since);
    Ok(())
}

/// The size of a file in bytes, for progress bars.
pub fn file_len(path: &Path) -> Option<u64> {
    std::fs::metadata(path).ok().map(|m| m.len())
}
