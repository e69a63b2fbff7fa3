//! One row of any input as (name, value) pairs, and the errors that name its fields.

use leadrank_core::records::FieldError;

use crate::csv_input::{NOT_UTF8, RecordKind, check_record, field_text};
use crate::report::{FieldProblem, RowError};

/// One row as (name, value) pairs, with its line and a way to find a column by name.
pub(crate) struct Row<'a> {
    pub(crate) names: &'a [String],
    pub(crate) values: Vec<&'a str>,
    pub(crate) line: u64,
    pub(crate) csv: bool,
}

impl Row<'_> {
    pub(crate) fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.names.iter().map(String::as_str).zip(self.values.iter().copied())
    }

    /// The 1-based CSV column of a field (none in JSON Lines).
    fn column_of(&self, field: &str) -> Option<usize> {
        if self.csv { self.names.iter().position(|n| n == field).map(|i| i + 1) } else { None }
    }

    pub(crate) fn error(&self, file: &str, field: Option<&str>, message: String) -> RowError {
        let column = field.and_then(|f| self.column_of(f));
        RowError { file: file.to_string(), line: self.line, column, field: field.map(str::to_string), message, more: Vec::new() }
    }

    /// The row rejected for every field in `errors`, in the order of the row's fields
    /// (fields the row lacks last).
    pub(crate) fn field_errors(&self, file: &str, errors: Vec<FieldError>) -> RowError {
        self.problems(file, errors.into_iter().map(|e| (e.field, e.error.to_string())).collect())
    }

    /// The row rejected for every (field, message) in `problems`, in the order of the row's
    /// fields (fields the row lacks last).
    pub(crate) fn problems(&self, file: &str, problems: Vec<(String, String)>) -> RowError {
        let mut keyed: Vec<(usize, FieldProblem)> = problems
            .into_iter()
            .map(|(field, message)| {
                let position = self.names.iter().position(|n| *n == field).unwrap_or(usize::MAX);
                (position, FieldProblem { column: self.column_of(&field), field: Some(field), message })
            })
            .collect();
        keyed.sort_by_key(|(position, _)| *position);
        let problems = keyed.into_iter().map(|(_, p)| p).collect();
        RowError::fields(file, self.line, problems).unwrap_or_else(|| RowError::row(file, self.line, "is not a valid record".into()))
    }
}

/// Checks one CSV record against the header and reads its fields as text: `Ok(None)` for a
/// blank line, an error naming the line (and column) for a wrong field count, an over-long
/// row or a field that is not UTF-8.
pub(crate) fn csv_row<'a>(record: &'a csv::ByteRecord, names: &'a [String], line: u64, file: &str) -> Result<Option<Row<'a>>, RowError> {
    match check_record(record, names.len()) {
        Ok(RecordKind::Blank) => return Ok(None),
        Ok(RecordKind::Row) => {}
        Err(message) => return Err(RowError::row(file, line, message)),
    }
    let mut values = Vec::with_capacity(names.len());
    let mut not_utf8 = Vec::new();
    for i in 0..record.len() {
        match field_text(record, i) {
            Ok(v) => values.push(v),
            Err(i) => not_utf8.push(FieldProblem { column: Some(i + 1), field: names.get(i).cloned(), message: NOT_UTF8.into() }),
        }
    }
    match RowError::fields(file, line, not_utf8) {
        Some(e) => Err(e),
        None => Ok(Some(Row { names, values, line, csv: true })),
    }
}
