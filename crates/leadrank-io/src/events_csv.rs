//! The fast path for the largest input: events in CSV, parsed in parallel.
//!
//! The file is read in blocks; each block is cut at record boundaries (newlines outside
//! quotes: in RFC 4180 CSV the quote count before a byte tells whether it is quoted) into one
//! piece per thread. Each thread parses and projects its piece with its own [`Projector`];
//! the pieces are then merged in file order, so deduplication ("the first event with an id
//! counts"), error order and line numbers are exactly those of a sequential read.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use leadrank_core::CompiledModel;
use leadrank_core::engine::{DatasetBuilder, EventAdded, EventSink, LoadError, ProjectedEvent, Projector, event_id_hash, remap_event};
use leadrank_core::records::{ValueError, non_empty, parse_properties, parse_time};
use rayon::prelude::*;

use crate::read::{LoadReport, MAX_ROW_BYTES, ReadError, RowError};

/// Bytes read per block.
const BLOCK: usize = 16 << 20;

struct Columns {
    names: Vec<String>,
    event_id: usize,
    lead_id: usize,
    kind: usize,
    occurred_at: usize,
    url: Option<usize>,
    properties: Option<usize>,
}

struct PieceOut {
    events: Vec<(u128, ProjectedEvent)>,
    errors: Vec<RowError>,
    rows: u64,
}

/// Pieces per thread in a block of events: finer pieces let the threads share the parsing
/// of a block evenly (each piece has its own [`Projector`]).
const PIECES_PER_THREAD: usize = 4;

/// Reads an events CSV into `builder` in parallel. See the module docs.
///
/// Block k is parsed on the thread pool while this thread deduplicates and adds the events
/// of block k - 1 (in file order), so the merge overlaps the parsing.
pub fn load_events_csv(
    path: &Path,
    builder: &mut DatasetBuilder,
    model: &CompiledModel,
    report: &mut LoadReport,
    progress: &mut dyn FnMut(u64),
) -> Result<(), ReadError> {
    let file_name = path.display().to_string();
    let threads = rayon::current_num_threads().max(1);
    let pieces_per_block = threads * PIECES_PER_THREAD;
    let mut projectors: Vec<Projector> = (0..pieces_per_block).map(|_| Projector::new(model)).collect();
    let mut remaps: Vec<Vec<u32>> = vec![Vec::new(); pieces_per_block];
    let parse_properties_fully = model.uses_properties();
    // The parsed block waiting to be merged, and where its row errors go in `rejected`.
    let mut pending: Option<Vec<PieceOut>> = None;
    let mut mark = 0usize;
    let result = read_blocks(
        path,
        pieces_per_block,
        report,
        |line| header(path, line),
        |cols, bytes, pieces, starts, report| {
            // The ids the pending block uses are all interned by now: remap tables are brought up to
            // date before its projectors take the next block.
            for (projector, remap) in projectors.iter().zip(remaps.iter_mut()) {
                builder.projector_mut().sync_ids(projector, remap);
            }
            let (lookup, mut sink) = builder.split_events();
            let lead_of = |id: &str| lookup.get(id);
            let mut parsed: Option<Vec<PieceOut>> = None;
            let previous = pending.take();
            rayon::in_place_scope(|scope| {
                let projectors = &mut projectors;
                let parsed = &mut parsed;
                let file_name = &file_name;
                let lead_of = &lead_of;
                scope.spawn(move |_| {
                    *parsed = Some(
                        pieces
                            .par_iter()
                            .zip(projectors.par_iter_mut())
                            .zip(starts.par_iter())
                            .map(|((range, projector), &first_line)| {
                                parse_piece(&bytes[range.clone()], first_line, cols, file_name, projector, lead_of, parse_properties_fully)
                            })
                            .collect(),
                    );
                });
                if let Some(outs) = previous {
                    merge_block(outs, &mut sink, &remaps, report, mark, progress);
                }
            });
            pending = parsed;
            mark = report.rejected.len();
        },
    );
    if let Some(outs) = pending.take() {
        for (projector, remap) in projectors.iter().zip(remaps.iter_mut()) {
            builder.projector_mut().sync_ids(projector, remap);
        }
        let (_, mut sink) = builder.split_events();
        merge_block(outs, &mut sink, &remaps, report, mark, progress);
    }
    result
}

/// Adds the events of one parsed block in file order; its row errors go in at `mark` (the
/// length `rejected` had when the block was read), ahead of anything reported since.
fn merge_block(
    outs: Vec<PieceOut>,
    sink: &mut EventSink<'_>,
    remaps: &[Vec<u32>],
    report: &mut LoadReport,
    mark: usize,
    progress: &mut dyn FnMut(u64),
) {
    let mut errors = Vec::new();
    for (i, out) in outs.into_iter().enumerate() {
        for (hash, mut event) in out.events {
            remap_event(&mut event, &remaps[i]);
            match sink.add_projected(hash, event) {
                EventAdded::Accepted => report.events += 1,
                EventAdded::Duplicate => report.duplicate_events += 1,
            }
        }
        errors.extend(out.errors);
        progress(out.rows);
    }
    let at = mark.min(report.rejected.len());
    report.rejected.splice(at..at, errors);
}

/// Reads a CSV file block by block. `parse_header` reads the header line; then `on_block`
/// gets, for each block of whole records, its bytes, up to `threads` pieces of whole records
/// and the line number each piece starts at. A record that never ends (an unclosed quote)
/// is reported once and ends the read.
pub(crate) fn read_blocks<H>(
    path: &Path,
    threads: usize,
    report: &mut LoadReport,
    parse_header: impl FnOnce(&[u8]) -> Result<H, ReadError>,
    mut on_block: impl FnMut(&H, &[u8], &[std::ops::Range<usize>], &[u64], &mut LoadReport),
) -> Result<(), ReadError> {
    let io_err = |source| ReadError::Io { path: path.to_path_buf(), source };
    let mut file = File::open(path).map_err(|source| ReadError::Open { path: path.to_path_buf(), source })?;
    let mut parse_header = Some(parse_header);
    let mut buf: Vec<u8> = Vec::with_capacity(BLOCK * 2);
    let mut header: Option<H> = None;
    let mut next_line: u64 = 1;
    let mut eof = false;
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
        // The header comes first.
        if header.is_none() {
            let Some(end) = record_end(&buf, 0) else {
                if eof {
                    return Err(ReadError::Header { path: path.to_path_buf(), message: "the file has no complete header line".into() });
                }
                continue;
            };
            if let Some(parse) = parse_header.take() {
                header = Some(parse(&buf[..end])?);
            }
            next_line += count_lines(&buf[..end]);
            buf.drain(..end);
        }
        let Some(h) = header.as_ref() else { continue };
        // Everything up to the last record boundary is parsed now; the rest waits for more.
        let complete = if eof { buf.len() } else { last_record_end(&buf).unwrap_or(0) };
        if complete == 0 {
            if buf.len() > MAX_ROW_BYTES * 2 {
                report.rejected.push(RowError {
                    file: path.display().to_string(),
                    line: next_line,
                    column: None,
                    field: None,
                    message: format!("row is larger than {MAX_ROW_BYTES} bytes (or has an unclosed quote)"),
                });
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

fn header(path: &Path, line: &[u8]) -> Result<Columns, ReadError> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(line);
    let mut record = csv::ByteRecord::new();
    let bad = |message: String| ReadError::Header { path: path.to_path_buf(), message };
    reader.read_byte_record(&mut record).map_err(|e| bad(e.to_string()))?;
    let mut names = Vec::new();
    for h in record.iter() {
        let n = std::str::from_utf8(h).map_err(|_| bad("not UTF-8".into()))?;
        names.push(n.trim().trim_start_matches('\u{feff}').to_string());
    }
    let find = |c: &'static str| -> Result<usize, ReadError> {
        names.iter().position(|n| n == c).ok_or_else(|| ReadError::MissingColumn {
            path: path.to_path_buf(),
            column: c,
            found: names.join(","),
        })
    };
    Ok(Columns {
        event_id: find("event_id")?,
        lead_id: find("lead_id")?,
        kind: find("type")?,
        occurred_at: find("occurred_at")?,
        url: names.iter().position(|n| n == "url"),
        properties: names.iter().position(|n| n == "properties"),
        names,
    })
}

fn parse_piece(
    bytes: &[u8],
    first_line: u64,
    cols: &Columns,
    file: &str,
    projector: &mut Projector,
    lead_of: &(dyn Fn(&str) -> Option<u32> + Sync),
    parse_properties_fully: bool,
) -> PieceOut {
    let mut out = PieceOut { events: Vec::with_capacity(bytes.len() / 64), errors: Vec::new(), rows: 0 };
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let width = cols.names.len();
    loop {
        let line_in_piece = reader.position().line();
        let line = first_line + line_in_piece - 1;
        let err = |column: Option<usize>, message: String| RowError {
            file: file.to_string(),
            line,
            column: column.map(|c| c + 1),
            field: column.map(|c| cols.names[c].clone()),
            message,
        };
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                out.errors.push(err(None, e.to_string()));
                continue;
            }
        }
        out.rows += 1;
        if record.len() != width {
            // A blank line is not a row.
            if record.len() == 1 && record.get(0).is_some_and(|f| f.iter().all(u8::is_ascii_whitespace)) {
                out.rows -= 1;
                continue;
            }
            out.errors.push(err(None, format!("has {} fields but the header has {width}", record.len())));
            continue;
        }
        if record.as_slice().len() > MAX_ROW_BYTES {
            out.errors.push(err(None, format!("row is larger than {MAX_ROW_BYTES} bytes")));
            continue;
        }
        let field = |i: usize| -> Result<&str, RowError> {
            std::str::from_utf8(record.get(i).unwrap_or_default()).map_err(|_| err(Some(i), "is not valid UTF-8".into()))
        };
        let required =
            |i: usize| -> Result<&str, RowError> { non_empty(field(i)?).ok_or_else(|| err(Some(i), ValueError::Missing.to_string())) };
        let parsed = (|| -> Result<(u128, ProjectedEvent), RowError> {
            // Checked in column order, like the row reader.
            let mut order = [cols.event_id, cols.lead_id, cols.kind, cols.occurred_at];
            order.sort_unstable();
            for i in order {
                required(i)?;
            }
            let event_id = required(cols.event_id)?;
            let lead_id = required(cols.lead_id)?;
            let kind = required(cols.kind)?;
            let at = match parse_time(field(cols.occurred_at)?) {
                Ok(Some(t)) => t,
                Ok(None) => return Err(err(Some(cols.occurred_at), ValueError::Missing.to_string())),
                Err(e) => return Err(err(Some(cols.occurred_at), e.to_string())),
            };
            let url = match cols.url {
                Some(i) => non_empty(field(i)?),
                None => None,
            };
            let properties = match cols.properties {
                Some(i) => {
                    let raw = field(i)?;
                    if parse_properties_fully && non_empty(raw).is_some() && projector.needs_properties(kind) {
                        parse_properties(raw).map_err(|e| err(Some(i), e.to_string()))?
                    } else {
                        if let Some(t) = non_empty(raw) {
                            check_json_object(t).map_err(|e| err(Some(i), e.to_string()))?;
                        }
                        None
                    }
                }
                None => None,
            };
            let lead = lead_of(lead_id).ok_or_else(|| err(Some(cols.lead_id), LoadError::UnknownLead(lead_id.to_string()).to_string()))?;
            let projected = projector.project(lead, kind, at, url, properties.as_ref());
            Ok((event_id_hash(event_id), projected))
        })();
        match parsed {
            Ok(e) => out.events.push(e),
            Err(e) => out.errors.push(e),
        }
    }
    out
}

/// Checks that `text` is a JSON object without building it.
fn check_json_object(text: &str) -> Result<(), ValueError> {
    if !text.starts_with('{') {
        return parse_properties(text).map(|_| ());
    }
    serde_json::from_str::<serde::de::IgnoredAny>(text).map(|_| ()).map_err(|e| ValueError::NotJsonObject(e.to_string()))
}

pub(crate) fn count_lines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

/// End (exclusive) of the first record starting at `from`: just past a newline outside quotes.
fn record_end(bytes: &[u8], from: usize) -> Option<usize> {
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
