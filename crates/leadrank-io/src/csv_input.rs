//! What every CSV reader shares: the header (column names, required columns) and the check
//! of one record against it (blank line, field count, size, UTF-8).
//!
//! The streaming reader ([`crate::read`]), the parallel leads and events readers and the
//! event rewriter all go through these functions, so a file gets the same answer whichever
//! reader opens it.

use std::path::Path;

use crate::report::{MAX_ROW_BYTES, ReadError};

/// The header row of a CSV file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CsvHeader {
    /// Column names, trimmed, in file order.
    pub names: Vec<String>,
}

impl CsvHeader {
    /// Parses the header line (its bytes, up to and including the line end).
    pub(crate) fn parse_line(path: &Path, line: &[u8]) -> Result<Self, ReadError> {
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(line);
        let mut record = csv::ByteRecord::new();
        reader.read_byte_record(&mut record).map_err(|e| header_error(path, e.to_string()))?;
        Self::from_record(path, &record)
    }

    /// The header from the first record of a file (empty for an empty file).
    pub(crate) fn from_record(path: &Path, record: &csv::ByteRecord) -> Result<Self, ReadError> {
        let mut names = Vec::with_capacity(record.len());
        for h in record.iter() {
            let name = std::str::from_utf8(h).map_err(|_| header_error(path, "not UTF-8".into()))?;
            names.push(name.trim().trim_start_matches('\u{feff}').to_string());
        }
        Ok(CsvHeader { names })
    }

    /// Checks that every column in `required` is present.
    pub(crate) fn require(&self, path: &Path, required: &[&'static str]) -> Result<(), ReadError> {
        required.iter().try_for_each(|c| self.column(path, c).map(|_| ()))
    }

    /// The 0-based index of a required column.
    pub(crate) fn column(&self, path: &Path, column: &'static str) -> Result<usize, ReadError> {
        self.position(column).ok_or_else(|| ReadError::MissingColumn { path: path.to_path_buf(), column, found: self.names.join(",") })
    }

    /// The 0-based index of a column, if the file has it.
    pub(crate) fn position(&self, column: &str) -> Option<usize> {
        self.names.iter().position(|n| n == column)
    }

    /// A reader for the records after the header (no header row of its own; rows of any
    /// length are returned so that [`check_record`] can report them).
    pub(crate) fn rows_reader<R: std::io::Read>(&self, input: R) -> csv::Reader<R> {
        rows_builder().from_reader(input)
    }
}

/// The reader settings for data rows.
fn rows_builder() -> csv::ReaderBuilder {
    let mut b = csv::ReaderBuilder::new();
    b.has_headers(false).flexible(true);
    b
}

fn header_error(path: &Path, message: String) -> ReadError {
    ReadError::Header { path: path.to_path_buf(), message }
}

/// What a record is, once checked against a header `width` fields wide.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum RecordKind {
    /// A blank line: not a row.
    Blank,
    /// A row with one field per column.
    Row,
}

/// Checks a record's shape: a blank line, a row of `width` fields, or an error message for
/// a wrong field count or an over-long row (about the whole row, so no column).
pub(crate) fn check_record(record: &csv::ByteRecord, width: usize) -> Result<RecordKind, String> {
    if record.len() != width {
        if record.len() == 1 && record.get(0).is_some_and(|f| f.iter().all(u8::is_ascii_whitespace)) {
            return Ok(RecordKind::Blank);
        }
        return Err(format!("has {} fields but the header has {width}", record.len()));
    }
    if record.as_slice().len() > MAX_ROW_BYTES {
        return Err(format!("row is larger than {MAX_ROW_BYTES} bytes"));
    }
    Ok(RecordKind::Row)
}

/// The message for a field whose bytes are not UTF-8.
pub(crate) const NOT_UTF8: &str = "is not valid UTF-8";

/// Field `i` of a checked record as text; `Err(i)` when it is not UTF-8.
pub(crate) fn field_text(record: &csv::ByteRecord, i: usize) -> Result<&str, usize> {
    std::str::from_utf8(record.get(i).unwrap_or_default()).map_err(|_| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(fields: &[&str]) -> csv::ByteRecord {
        csv::ByteRecord::from(fields.to_vec())
    }

    #[test]
    fn header_names_are_trimmed_and_required_columns_checked() {
        let p = Path::new("x.csv");
        let h = CsvHeader::parse_line(p, "\u{feff}lead_id , email,\"a,b\"\r\n".as_bytes()).unwrap();
        assert_eq!(h.names, vec!["lead_id", "email", "a,b"]);
        assert_eq!(h.column(p, "email").unwrap(), 1);
        let err = h.require(p, &["lead_id", "type"]).unwrap_err();
        assert_eq!(err.to_string(), "x.csv:1: the header has no 'type' column (found: lead_id,email,a,b)");
        let err = CsvHeader::parse_line(p, b"a,\xff\n").unwrap_err();
        assert_eq!(err.to_string(), "x.csv:1: cannot read the header: not UTF-8");
    }

    #[test]
    fn records_are_checked_against_the_header_width() {
        assert_eq!(check_record(&record(&["a", "b"]), 2), Ok(RecordKind::Row));
        assert_eq!(check_record(&record(&[" "]), 2), Ok(RecordKind::Blank));
        assert_eq!(check_record(&record(&["a"]), 2), Err("has 1 fields but the header has 2".to_string()));
        let big = "x".repeat(MAX_ROW_BYTES + 1);
        assert_eq!(check_record(&record(&[&big, ""]), 2), Err(format!("row is larger than {MAX_ROW_BYTES} bytes")));
        let r = csv::ByteRecord::from(vec![&b"ok"[..], &b"\xc3"[..]]);
        assert_eq!(field_text(&r, 0), Ok("ok"));
        assert_eq!(field_text(&r, 1), Err(1));
    }
}
