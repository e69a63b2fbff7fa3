//! Reading a CSV file in blocks of whole records, cut into pieces that threads parse in
//! parallel (the leads and events fast paths).
//!
//! A record ends at a newline outside quotes: in RFC 4180 CSV the quote count before a byte
//! tells whether it is quoted, so records can be found without parsing the fields.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::csv_input::{CsvHeader, Delimiter, check_encoding, record_end};
use crate::report::{LoadReport, MAX_ROW_BYTES, ReadError, RowError};

/// Bytes read per block.
const BLOCK: usize = 16 << 20;

/// Reads a CSV file block by block. The header line is parsed into a [`CsvHeader`] that
/// `prepare` turns into what the blocks need (column indexes); then `on_block` gets, for
/// each block of whole records, its bytes, up to `threads` pieces of whole records and the
/// line number each piece starts at. A record that never ends (an unclosed quote) is
/// reported once and ends the read.
pub(crate) fn read_blocks<H>(
    path: &Path,
    threads: usize,
    report: &mut LoadReport,
    delimiter: Delimiter,
    prepare: impl FnOnce(CsvHeader) -> Result<H, ReadError>,
    mut on_block: impl FnMut(&H, &[u8], &[std::ops::Range<usize>], &[u64], &mut LoadReport),
) -> Result<(), ReadError> {
    let io_err = |source| ReadError::Io { path: path.to_path_buf(), source };
    let mut file = File::open(path).map_err(|source| ReadError::Open { path: path.to_path_buf(), source })?;
    let mut prepare = Some(prepare);
    let mut buf: Vec<u8> = Vec::with_capacity(BLOCK * 2);
    let mut header: Option<H> = None;
    let mut next_line: u64 = 1;
    let mut eof = false;
    // The length of the byte order mark, once the start of the file is checked.
    let mut bom: Option<usize> = None;
    while !eof {
        let start = buf.len();
        buf.resize(start + BLOCK, 0);
        let mut filled = start;
        while filled < buf.len() {
            let n = file.read(&mut buf[filled..]).map_err(io_err)?;
            if n == 0 {
                eof = true;
                break;
            }
            filled += n;
        }
        buf.truncate(filled);
        if buf.is_empty() {
            break;
        }
        if bom.is_none() {
            let n = check_encoding(path, &buf)?;
            buf.drain(..n);
            bom = Some(n);
        }
        // The header comes first.
        if header.is_none() {
            let Some(end) = record_end(&buf, 0) else {
                if eof {
                    return Err(ReadError::Header { path: path.to_path_buf(), message: "the file has no complete header line".into() });
                }
                continue;
            };
            if let Some(prepare) = prepare.take() {
                header = Some(prepare(CsvHeader::parse_line(path, &buf[..end], bom.unwrap_or(0), delimiter)?)?);
            }
            next_line += count_lines(&buf[..end]);
            buf.drain(..end);
        }
        let Some(h) = header.as_ref() else { continue };
        // Everything up to the last record boundary is parsed now; the rest waits for more.
        let complete = if eof { buf.len() } else { last_record_end(&buf).unwrap_or(0) };
        if complete == 0 {
            if buf.len() > MAX_ROW_BYTES * 2 {
                report.rejected.push(RowError::row(
                    &path.display().to_string(),
                    next_line,
                    format!("row is larger than {MAX_ROW_BYTES} bytes (or has an unclosed quote)"),
                ));
                return Ok(());
            }
            continue;
        }
        let pieces = split_pieces(&buf[..complete], threads);
        let mut starts = Vec::with_capacity(pieces.len());
        let mut line = next_line;
        for p in &pieces {
            starts.push(line);
            line += count_lines(&buf[p.clone()]);
        }
        next_line = line;
        on_block(h, &buf[..complete], &pieces, &starts, report);
        buf.drain(..complete);
    }
    Ok(())
}

/// The number of line ends in `bytes`.
pub(crate) fn count_lines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

/// End (exclusive) of the last complete record in `bytes`, which starts at a record boundary.
fn last_record_end(bytes: &[u8]) -> Option<usize> {
    let mut quoted = false;
    let mut last = None;
    for i in memchr::memchr2_iter(b'"', b'\n', bytes) {
        match bytes[i] {
            b'"' => quoted = !quoted,
            _ if !quoted => last = Some(i + 1),
            _ => {}
        }
    }
    last
}

/// Cuts `bytes` (whole records) into up to `n` ranges of whole records of similar size.
fn split_pieces(bytes: &[u8], n: usize) -> Vec<std::ops::Range<usize>> {
    let mut pieces = Vec::with_capacity(n);
    let mut quoted = false;
    let mut start = 0;
    let target = bytes.len().div_ceil(n.max(1)).max(1);
    for i in memchr::memchr2_iter(b'"', b'\n', bytes) {
        match bytes[i] {
            b'"' => quoted = !quoted,
            _ if !quoted && i + 1 - start >= target && pieces.len() + 1 < n => {
                pieces.push(start..i + 1);
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < bytes.len() || pieces.is_empty() {
        pieces.push(start..bytes.len());
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_cut_only_outside_quotes() {
        let text = b"a,\"x\ny\"\nb,2\nc,\"3\n\"\nd,4\n";
        let pieces = split_pieces(text, 3);
        let joined: Vec<u8> = pieces.iter().flat_map(|r| text[r.clone()].to_vec()).collect();
        assert_eq!(joined, text.to_vec());
        for r in &pieces {
            let piece = &text[r.clone()];
            assert_eq!(piece.iter().filter(|b| **b == b'"').count() % 2, 0, "{:?}", String::from_utf8_lossy(piece));
            assert!(piece.ends_with(b"\n"));
        }
        assert_eq!(last_record_end(b"a,1\nb,\"2\n"), Some(4));
        assert_eq!(record_end(b"h,\"a\nb\"\nx", 0), Some(8));
    }
}
