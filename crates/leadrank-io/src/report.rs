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
    #[error("{}:1: the header has no '{column}' column (found: {found})", .path.display())]
    MissingColumn { path: PathBuf, column: &'static str, found: String },
    #[error("{}:1: cannot read the header: {message}", .path.display())]
    Header { path: PathBuf, message: String },
    #[error("{}: cannot tell the format from the extension; use .csv or .jsonl, or pass --input-format", .0.display())]
    UnknownFormat(PathBuf),
}

/// A rejected row: where it is and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub file: String,
    /// 1-based line where the row starts.
    pub line: u64,
    /// 1-based column of the offending field in a CSV file.
    pub column: Option<usize>,
    pub field: Option<String>,
    pub message: String,
}

impl RowError {
    /// An error about a whole row (no column).
    pub(crate) fn row(file: &str, line: u64, message: String) -> Self {
        RowError { file: file.to_string(), line, column: None, field: None, message }
    }

    /// An error about the CSV field at 0-based `index`, named from the header `names`.
    pub(crate) fn at_column(file: &str, line: u64, names: &[String], index: usize, message: String) -> Self {
        RowError { file: file.to_string(), line, column: Some(index + 1), field: names.get(index).cloned(), message }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)?;
        if let Some(c) = self.column {
            write!(f, ":{c}")?;
        }
        write!(f, ": ")?;
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        write!(f, "{}", self.message)
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
}
