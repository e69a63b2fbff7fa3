//! What every CSV reader shares: the header (column names, required columns) and the check
//! of one record against it (blank line, field count, size, UTF-8).
//!
//! The streaming reader ([`crate::read`]), the parallel leads and events readers and the
//! event rewriter all go through these functions, so a file gets the same answer whichever
//! reader opens it.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use crate::report::{MAX_ROW_BYTES, ReadError};

/// The field separator of a CSV file: one of the four in common use, or found from the
/// header line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Delimiter {
    /// The one of `,` `;` tab `|` the header line has most of (outside quotes); `,` when it
    /// has none.
    #[default]
    Auto,
    Comma,
    Semicolon,
    Tab,
    Pipe,
}

impl Delimiter {
    /// The separators [`Delimiter::Auto`] chooses from, preferred in this order on a tie.
    const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];

    /// The separator byte, `None` for [`Delimiter::Auto`].
    pub fn byte(self) -> Option<u8> {
        match self {
            Delimiter::Auto => None,
            Delimiter::Comma => Some(b','),
            Delimiter::Semicolon => Some(b';'),
            Delimiter::Tab => Some(b'\t'),
            Delimiter::Pipe => Some(b'|'),
        }
    }

    /// The separator for a file whose header line is `line`.
    pub(crate) fn resolve(self, line: &[u8]) -> u8 {
        self.byte().unwrap_or_else(|| {
            let mut counts = [0usize; 4];
            let mut quoted = false;
            for &b in line {
                if b == b'"' {
                    quoted = !quoted;
                } else if !quoted && let Some(i) = Self::CANDIDATES.iter().position(|&c| c == b) {
                    counts[i] += 1;
                }
            }
            // The first of the most frequent (max_by_key would take the last).
            let best = (0..4).fold(0, |best, i| if counts[i] > counts[best] { i } else { best });
            Self::CANDIDATES[best]
        })
    }
}

impl std::str::FromStr for Delimiter {
    type Err = String;

    /// `,` `;` `|` or `tab` (also `\t`, a tab character, and the names comma, semicolon,
    /// pipe), or `auto`.
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "," | "comma" => Ok(Delimiter::Comma),
            ";" | "semicolon" => Ok(Delimiter::Semicolon),
            "\t" | "\\t" | "tab" => Ok(Delimiter::Tab),
            "|" | "pipe" => Ok(Delimiter::Pipe),
            "auto" => Ok(Delimiter::Auto),
            other => Err(format!("'{other}' is not a delimiter: use ',', ';', '|', tab or auto")),
        }
    }
}

/// The length of the UTF-8 byte order mark `start` begins with (0 when none), or an error
/// naming the file when the byte order mark is that of another encoding.
pub(crate) fn check_encoding(path: &Path, start: &[u8]) -> Result<usize, ReadError> {
    let other = match start {
        [0xEF, 0xBB, 0xBF, ..] => return Ok(3),
        [0xFF, 0xFE, 0, 0, ..] => "UTF-32 (little-endian)",
        [0, 0, 0xFE, 0xFF, ..] => "UTF-32 (big-endian)",
        [0xFF, 0xFE, ..] => "UTF-16 (little-endian)",
        [0xFE, 0xFF, ..] => "UTF-16 (big-endian)",
        _ => return Ok(0),
    };
    Err(header_error(path, format!("the file is {other} (it starts with that byte order mark); save it as UTF-8 and read it again")))
}

/// The longest header line read (and the buffer a file is read through).
const HEADER_CAPACITY: usize = 1 << 20;

/// The header row of a CSV file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CsvHeader {
    /// Column names, trimmed, in file order.
    pub names: Vec<String>,
    /// The field separator.
    pub delimiter: u8,
}

impl CsvHeader {
    /// Parses the header line (its bytes after any byte order mark, up to and including the
    /// line end; `offset` is where it starts in the file). The line must be UTF-8; the
    /// separator is `delimiter`, or found from the line.
    pub(crate) fn parse_line(path: &Path, line: &[u8], offset: usize, delimiter: Delimiter) -> Result<Self, ReadError> {
        if let Err(e) = std::str::from_utf8(line) {
            let at = e.valid_up_to();
            return Err(header_error(
                path,
                format!(
                    "not UTF-8 at byte offset {} (byte 0x{:02X}; Latin-1 or Windows-1252?); save the file as UTF-8",
                    offset + at,
                    line[at]
                ),
            ));
        }
        if let Some(at) = memchr::memchr(0, line) {
            return Err(header_error(
                path,
                format!("byte offset {}: a NUL byte; is the file UTF-16 without a byte order mark? Save it as UTF-8", offset + at),
            ));
        }
        let delimiter = delimiter.resolve(line);
        let mut reader = csv::ReaderBuilder::new().has_headers(false).delimiter(delimiter).from_reader(line);
        let mut record = csv::ByteRecord::new();
        reader.read_byte_record(&mut record).map_err(|e| header_error(path, e.to_string()))?;
        let mut names = Vec::with_capacity(record.len());
        for h in record.iter() {
            let name = std::str::from_utf8(h).map_err(|_| header_error(path, "not UTF-8".into()))?;
            names.push(name.trim().trim_start_matches('\u{feff}').to_string());
        }
        Ok(CsvHeader { names, delimiter })
    }

    /// Opens a CSV file for reading row by row: checks its encoding, reads the header and
    /// returns a reader positioned at the first row.
    pub(crate) fn open(path: &Path, delimiter: Delimiter) -> Result<(Self, csv::Reader<BufReader<File>>), ReadError> {
        let file = File::open(path).map_err(|source| ReadError::Open { path: path.to_path_buf(), source })?;
        Self::from_input(path, BufReader::with_capacity(HEADER_CAPACITY, file), delimiter)
    }

    /// [`CsvHeader::open`] on any buffered input (a file, or bytes in memory); `path` names
    /// it in errors.
    pub(crate) fn from_input<R: BufRead>(path: &Path, mut input: R, delimiter: Delimiter) -> Result<(Self, csv::Reader<R>), ReadError> {
        let start = input.fill_buf().map_err(|source| ReadError::Io { path: path.to_path_buf(), source })?;
        let bom = check_encoding(path, start)?;
        let rest = &start[bom..];
        let line_end = match record_end(rest, 0) {
            Some(end) => end,
            None if start.len() < HEADER_CAPACITY => rest.len(),
            None => return Err(header_error(path, "the header line is longer than 1 MiB (or has an unclosed quote)".into())),
        };
        let header = if rest.is_empty() {
            CsvHeader { names: Vec::new(), delimiter: delimiter.byte().unwrap_or(b',') }
        } else {
            Self::parse_line(path, &rest[..line_end], bom, delimiter)?
        };
        input.consume(bom);
        let mut reader = header.rows_reader(input);
        let mut skipped = csv::ByteRecord::new();
        reader.read_byte_record(&mut skipped).map_err(|e| header_error(path, e.to_string()))?;
        Ok((header, reader))
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
    ///
    /// Records end at `\n` only: with CRLF line ends the reader would end a record at the
    /// `\r` and count its `\n` towards the next record's line. The `\r` is left on the last
    /// field, which [`field_text`] and [`fields`] take off.
    pub(crate) fn rows_reader<R: std::io::Read>(&self, input: R) -> csv::Reader<R> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(self.delimiter)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(input)
    }
}

fn header_error(path: &Path, message: String) -> ReadError {
    ReadError::Header { path: path.to_path_buf(), message }
}

/// End (exclusive) of the first record starting at `from`: just past a newline outside quotes.
pub(crate) fn record_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut quoted = false;
    for i in memchr::memchr2_iter(b'"', b'\n', &bytes[from..]) {
        match bytes[from + i] {
            b'"' => quoted = !quoted,
            _ if !quoted => return Some(from + i + 1),
            _ => {}
        }
    }
    None
}

/// Reads the next record: `Ok(Some(line))` with the 1-based line of `reader`'s input it
/// starts on, `Ok(None)` at the end, or the error with its line. (The reader's own position
/// before a read is a line short after a CRLF line end; the record's position is not.)
pub(crate) fn next_record<R: std::io::Read>(
    reader: &mut csv::Reader<R>,
    record: &mut csv::ByteRecord,
) -> Result<Option<u64>, (u64, csv::Error)> {
    let before = reader.position().line();
    match reader.read_byte_record(record) {
        Ok(false) => Ok(None),
        Ok(true) => Ok(Some(record.position().map_or(before, |p| p.line()))),
        Err(e) => {
            let line = e.position().map_or(before, |p| p.line());
            Err((line, e))
        }
    }
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

/// Field `i` of a record as bytes, without the `\r` of a CRLF line end on the last field.
pub(crate) fn field(record: &csv::ByteRecord, i: usize) -> &[u8] {
    let bytes = record.get(i).unwrap_or_default();
    if i + 1 == record.len() { bytes.strip_suffix(b"\r").unwrap_or(bytes) } else { bytes }
}

/// The fields of a record as bytes (see [`field`]).
pub(crate) fn fields(record: &csv::ByteRecord) -> impl Iterator<Item = &[u8]> {
    (0..record.len()).map(|i| field(record, i))
}

/// A record's fields as text. A valid record is checked for UTF-8 once as a whole (one pass
/// instead of one per field read); a record that is not valid keeps its bytes, so that each
/// field is checked on its own and the bad one can be named.
pub(crate) enum TextFields {
    Checked(csv::StringRecord),
    Unchecked(csv::ByteRecord),
}

impl TextFields {
    /// Checks `record` (taking it; [`Self::into_byte_record`] gives it back).
    pub(crate) fn new(record: csv::ByteRecord) -> Self {
        match csv::StringRecord::from_byte_record(record) {
            Ok(text) => TextFields::Checked(text),
            Err(e) => TextFields::Unchecked(e.into_byte_record()),
        }
    }

    /// Field `i` as text, as [`field_text`] gives it.
    pub(crate) fn get(&self, i: usize) -> Result<&str, usize> {
        match self {
            TextFields::Checked(text) => {
                let value = text.get(i).unwrap_or_default();
                Ok(if i + 1 == text.len() { value.strip_suffix('\r').unwrap_or(value) } else { value })
            }
            TextFields::Unchecked(bytes) => field_text(bytes, i),
        }
    }

    /// The record as bytes.
    pub(crate) fn bytes(&self) -> &csv::ByteRecord {
        match self {
            TextFields::Checked(text) => text.as_byte_record(),
            TextFields::Unchecked(bytes) => bytes,
        }
    }

    /// The record back, to read the next one into.
    pub(crate) fn into_byte_record(self) -> csv::ByteRecord {
        match self {
            TextFields::Checked(text) => text.into_byte_record(),
            TextFields::Unchecked(bytes) => bytes,
        }
    }
}

/// Field `i` of a checked record as text; `Err(i)` when it is not UTF-8.
pub(crate) fn field_text(record: &csv::ByteRecord, i: usize) -> Result<&str, usize> {
    std::str::from_utf8(field(record, i)).map_err(|_| i)
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
        let h = CsvHeader::parse_line(p, "\u{feff}lead_id , email,\"a,b\"\r\n".as_bytes(), 0, Delimiter::Auto).unwrap();
        assert_eq!(h.names, vec!["lead_id", "email", "a,b"]);
        assert_eq!(h.column(p, "email").unwrap(), 1);
        let err = h.require(p, &["lead_id", "type"]).unwrap_err();
        assert!(err.to_string().starts_with("x.csv:1: the header has no 'type' column (found: lead_id,email,a,b); "), "{err}");
        let err = CsvHeader::parse_line(p, b"a,\xff\n", 3, Delimiter::Auto).unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.csv:1: cannot read the header: not UTF-8 at byte offset 5 (byte 0xFF; Latin-1 or Windows-1252?); save the file as UTF-8"
        );
        let err = CsvHeader::parse_line(p, b"l\0e\0a\0d\0\n\0", 2, Delimiter::Auto).unwrap_err();
        assert!(err.to_string().contains("byte offset 3: a NUL byte; is the file UTF-16 without a byte order mark?"), "{err}");
    }

    #[test]
    fn the_delimiter_is_found_from_the_header_line() {
        let found = |line: &str| Delimiter::Auto.resolve(line.as_bytes());
        assert_eq!(found("lead_id,email,company\n"), b',');
        assert_eq!(found("lead_id;email;\"Firma, GmbH\"\n"), b';', "separators inside quotes do not count");
        assert_eq!(found("lead_id\temail\tcompany\n"), b'\t');
        assert_eq!(found("lead_id|email|company\n"), b'|');
        assert_eq!(found("lead_id\n"), b',', "a single column reads as comma-separated");
        assert_eq!(found("a;b,c\n"), b',', "a tie goes to the comma");
        assert_eq!(Delimiter::Semicolon.resolve(b"a,b,c"), b';', "a given delimiter wins");
        for (text, d) in [
            (",", Delimiter::Comma),
            (";", Delimiter::Semicolon),
            ("tab", Delimiter::Tab),
            ("\t", Delimiter::Tab),
            ("\\t", Delimiter::Tab),
            ("|", Delimiter::Pipe),
            ("auto", Delimiter::Auto),
        ] {
            assert_eq!(text.parse::<Delimiter>(), Ok(d), "{text}");
        }
        assert_eq!(":".parse::<Delimiter>(), Err("':' is not a delimiter: use ',', ';', '|', tab or auto".to_string()));
    }

    #[test]
    fn byte_order_marks_are_checked() {
        let p = Path::new("x.csv");
        assert_eq!(check_encoding(p, b"\xEF\xBB\xBFlead_id").unwrap(), 3);
        assert_eq!(check_encoding(p, b"lead_id").unwrap(), 0);
        assert_eq!(check_encoding(p, b"").unwrap(), 0);
        let err = check_encoding(p, b"\xFF\xFEl\0").unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.csv:1: cannot read the header: the file is UTF-16 (little-endian) (it starts with that byte order mark); save it as UTF-8 and read it again"
        );
        assert!(check_encoding(p, b"\xFE\xFF\0l").unwrap_err().to_string().contains("UTF-16 (big-endian)"));
        assert!(check_encoding(p, b"\xFF\xFE\0\0").unwrap_err().to_string().contains("UTF-32 (little-endian)"));
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
        // Checked as a whole or field by field, the same answers.
        let fields = TextFields::new(r.clone());
        assert!(matches!(fields, TextFields::Unchecked(_)));
        assert_eq!((fields.get(0), fields.get(1)), (Ok("ok"), Err(1)));
        assert_eq!(fields.into_byte_record(), r);
        let crlf = record(&["a", "b\r"]);
        let fields = TextFields::new(crlf.clone());
        assert!(matches!(fields, TextFields::Checked(_)));
        assert_eq!((fields.get(0), fields.get(1), fields.get(2)), (field_text(&crlf, 0), field_text(&crlf, 1), Ok("")));
        assert_eq!(fields.bytes(), &crlf);
    }
}
