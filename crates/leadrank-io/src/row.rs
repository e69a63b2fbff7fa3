//! One row of any input as (name, value) pairs, and the errors that name its fields.

use leadrank_core::records::FieldError;
use leadrank_mapping::{Applied, Bound};

use crate::csv_input::{NOT_UTF8, RecordKind, TextFields, check_record};
use crate::report::{FieldProblem, RowError};

/// One row as (name, value) pairs, with its line and a way to find a column by name.
pub(crate) struct Row<'a> {
    pub(crate) names: &'a [String],
    pub(crate) values: Vec<&'a str>,
    pub(crate) line: u64,
    pub(crate) csv: bool,
    /// Set when a mapping made this row from a row of the file: errors then name the
    /// source columns.
    pub(crate) mapped: Option<Mapped<'a>>,
}

/// How a mapped row came about: the bound mapping and the problems found while mapping.
pub(crate) struct Mapped<'a> {
    pub(crate) bound: &'a Bound<'a>,
    /// (leadrank field, message) for each value the mapping could not read.
    pub(crate) problems: Vec<(String, String)>,
}

impl<'a> Row<'a> {
    /// A row of leadrank fields made by `bound` from a row of the file (`csv`: whether the
    /// file is CSV, so that errors give the source column's number).
    pub(crate) fn from_mapping(bound: &'a Bound<'a>, applied: &'a Applied, line: u64, csv: bool) -> Self {
        let names = bound.names();
        let problems = applied.problems.iter().map(|(i, m)| (names[*i].clone(), m.clone())).collect();
        Row { names, values: applied.values.iter().map(String::as_str).collect(), line, csv, mapped: Some(Mapped { bound, problems }) }
    }
}

impl Row<'_> {
    pub(crate) fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.names.iter().map(String::as_str).zip(self.values.iter().copied())
    }

    /// Whether the mapping (if any) read every value of the row.
    pub(crate) fn mapped_cleanly(&self) -> bool {
        self.mapped.as_ref().is_none_or(|m| m.problems.is_empty())
    }

    /// The 1-based CSV column of a field (none in JSON Lines).
    fn column_of(&self, field: &str) -> Option<usize> {
        if !self.csv {
            return None;
        }
        match &self.mapped {
            Some(m) => m.bound.output_of(field).and_then(|i| m.bound.origin(i).1).map(|i| i + 1),
            None => self.names.iter().position(|n| n == field).map(|i| i + 1),
        }
    }

    /// How a field is named in errors: itself, or for a mapped row its source column(s) with
    /// the leadrank field it became (`Number of Employees (employees)`).
    fn label_of(&self, field: &str) -> String {
        let Some(m) = &self.mapped else { return field.to_string() };
        match m.bound.output_of(field).map(|i| m.bound.origin(i).0) {
            Some(source) if source == field => source,
            Some(source) => format!("{source} ({field})"),
            None => field.to_string(),
        }
    }

    pub(crate) fn error(&self, file: &str, field: Option<&str>, message: String) -> RowError {
        let column = field.and_then(|f| self.column_of(f));
        RowError {
            file: file.to_string(),
            line: self.line,
            column,
            field: field.map(|f| self.label_of(f)),
            message: message.into(),
            more: Box::default(),
            lead_id: self.lead_id(),
        }
    }

    /// The row's `lead_id` value, trimmed, when it has a non-empty one.
    fn lead_id(&self) -> Option<Box<str>> {
        self.pairs().find(|(name, _)| *name == "lead_id").map(|(_, v)| v.trim()).filter(|v| !v.is_empty()).map(Box::from)
    }

    /// The row rejected for every field in `errors`, in the order of the row's fields
    /// (fields the row lacks last).
    pub(crate) fn field_errors(&self, file: &str, errors: Vec<FieldError>) -> RowError {
        self.problems(file, errors.into_iter().map(|e| (e.field, e.error.to_string())).collect())
    }

    /// The row rejected for every (field, message) in `problems` and every value the mapping
    /// could not read, in the order of the file's columns (fields the row lacks last). A field
    /// the mapping could not read is reported once, for that.
    pub(crate) fn problems(&self, file: &str, problems: Vec<(String, String)>) -> RowError {
        let mut all: Vec<(String, String)> = self.mapped.as_ref().map(|m| m.problems.clone()).unwrap_or_default();
        for (field, message) in problems {
            if !all.iter().any(|(f, _)| *f == field) || self.mapped.is_none() {
                all.push((field, message));
            }
        }
        let mut keyed: Vec<(usize, FieldProblem)> = all
            .into_iter()
            .map(|(field, message)| {
                let position = match &self.mapped {
                    Some(m) => m.bound.output_of(&field).and_then(|i| m.bound.origin(i).1),
                    None => self.names.iter().position(|n| *n == field),
                }
                .unwrap_or(usize::MAX);
                (position, FieldProblem { column: self.column_of(&field), field: Some(self.label_of(&field)), message })
            })
            .collect();
        keyed.sort_by_key(|(position, _)| *position);
        let problems = keyed.into_iter().map(|(_, p)| p).collect();
        let mut error =
            RowError::fields(file, self.line, problems).unwrap_or_else(|| RowError::row(file, self.line, "is not a valid record".into()));
        error.lead_id = self.lead_id();
        error
    }
}

/// Checks one CSV record against the header and reads its fields as text: `Ok(None)` for a
/// blank line, an error naming the line (and column) for a wrong field count, an over-long
/// row or a field that is not UTF-8.
pub(crate) fn csv_row<'a>(record: &'a TextFields, names: &'a [String], line: u64, file: &str) -> Result<Option<Row<'a>>, RowError> {
    match check_record(record.bytes(), names.len()) {
        Ok(RecordKind::Blank) => return Ok(None),
        Ok(RecordKind::Row) => {}
        Err(message) => return Err(RowError::row(file, line, message)),
    }
    let mut values = Vec::with_capacity(names.len());
    let mut not_utf8 = Vec::new();
    for i in 0..record.bytes().len() {
        match record.get(i) {
            Ok(v) => values.push(v),
            Err(i) => not_utf8.push(FieldProblem { column: Some(i + 1), field: names.get(i).cloned(), message: NOT_UTF8.into() }),
        }
    }
    match RowError::fields(file, line, not_utf8) {
        Some(e) => Err(e),
        None => Ok(Some(Row { names, values, line, csv: true, mapped: None })),
    }
}
