//! What a load accepted and rejected, and the errors that stop it: the types every reader
//! shares (the readers depend on this module, never on each other).

use std::fmt;
use std::path::PathBuf;

/// The most bytes one JSON line or CSV row may have; longer rows are rejected.
pub const MAX_ROW_BYTES: usize = 1 << 20;

/// A file that cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot open {}: {source}", .path.display())]
    Open { path: PathBuf, source: std::io::Error },
    #[error("cannot read {}: {source}", .path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error(
        "{}:1: the header has no '{column}' column (found: {found}); a file with other column names is read through a mapping: \
         --mapping FILE|NAME (`leadrank inspect FILE` suggests one)",
        .path.display()
    )]
    MissingColumn { path: PathBuf, column: &'static str, found: String },
    #[error("{}:1: cannot read the header: {message}", .path.display())]
    Header { path: PathBuf, message: String },
    #[error("{}: cannot tell the format from the extension; use .csv or .jsonl, or pass --input-format", .0.display())]
    UnknownFormat(PathBuf),
    /// The mapping does not fit the file (a column it names is missing), or is of another
    /// input kind; the message names the mapping file, line and key.
    #[error("{0}")]
    Mapping(String),
}

/// A rejected row: where it is and why. A row with several bad fields is rejected once,
/// naming the first in `column`, `field` and `message` and the others in `more`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub file: String,
    /// 1-based line where the row starts.
    pub line: u64,
    /// 1-based column of the offending field in a CSV file.
    pub column: Option<usize>,
    pub field: Option<String>,
    pub message: Box<str>,
    /// The row's other bad fields, in column order.
    pub more: Box<[FieldProblem]>,
    /// The row's `lead_id`, when it has a readable one (so a lead asked for by id can be
    /// told apart as rejected rather than absent).
    pub lead_id: Option<Box<str>>,
}

/// One more bad field of a rejected row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// 1-based column in a CSV file.
    pub column: Option<usize>,
    pub field: Option<String>,
    pub message: String,
}

impl RowError {
    /// An error about a whole row (no column).
    pub(crate) fn row(file: &str, line: u64, message: String) -> Self {
        RowError { file: file.to_string(), line, column: None, field: None, message: message.into(), more: Box::default(), lead_id: None }
    }

    /// An error about the CSV field at 0-based `index`, named from the header `names`.
    pub(crate) fn at_column(file: &str, line: u64, names: &[String], index: usize, message: String) -> Self {
        RowError {
            file: file.to_string(),
            line,
            column: Some(index + 1),
            field: names.get(index).cloned(),
            message: message.into(),
            more: Box::default(),
            lead_id: None,
        }
    }

    /// A row rejected for the bad fields in `problems` (the first one leads; `None` when
    /// there is none).
    pub(crate) fn fields(file: &str, line: u64, problems: Vec<FieldProblem>) -> Option<Self> {
        let mut problems = problems.into_iter();
        let first = problems.next()?;
        Some(RowError {
            file: file.to_string(),
            line,
            column: first.column,
            field: first.field,
            message: first.message.into(),
            more: problems.collect(),
            lead_id: None,
        })
    }

    /// Every bad field of the row as `file:line[:column]: [field: ]reason`, one per line.
    pub fn lines(&self) -> impl Iterator<Item = String> + '_ {
        let first = (self.column, self.field.as_deref(), &*self.message);
        std::iter::once(first).chain(self.more.iter().map(|p| (p.column, p.field.as_deref(), p.message.as_str()))).map(
            |(column, field, message)| {
                let mut s = format!("{}:{}", self.file, self.line);
                if let Some(c) = column {
                    s.push_str(&format!(":{c}"));
                }
                s.push_str(": ");
                if let Some(field) = field {
                    s.push_str(field);
                    s.push_str(": ");
                }
                s.push_str(message);
                s
            },
        )
    }
}

/// Each bad field on its own line (see [`RowError::lines`]).
impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, line) in self.lines().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            f.write_str(&line)?;
        }
        Ok(())
    }
}

/// What a load accepted and rejected.
#[derive(Debug, Default)]
pub struct LoadReport {
    pub leads: u64,
    pub accounts: u64,
    pub events: u64,
    /// Events whose id was seen before (they count once).
    pub duplicate_events: u64,
    /// Consent records accepted (all purposes).
    pub consents: u64,
    pub rejected: Vec<RowError>,
    /// What the user should know about the read that is not a rejected row (columns a
    /// mapping does not read).
    pub notes: Vec<String>,
}
