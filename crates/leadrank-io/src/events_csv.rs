//! The fast path for the largest input: events in CSV, parsed in parallel.
//!
//! The file is read in blocks; each block is cut at record boundaries (newlines outside
//! quotes: in RFC 4180 CSV the quote count before a byte tells whether it is quoted) into one
//! piece per thread. Each thread parses and projects its piece with its own [`Projector`];
//! the pieces are then merged in file order, so deduplication ("the first event with an id
//! counts"), error order and line numbers are exactly those of a sequential read.

use std::path::Path;

use leadrank_core::CompiledModel;
use leadrank_core::engine::{DatasetBuilder, EventAdded, EventSink, LoadError, ProjectedEvent, Projector, event_id_hash, remap_event};
use leadrank_core::records::{ValueError, checked_text, event_from_pairs_all_errors, non_empty, parse_properties, parse_time};
use rayon::prelude::*;

use crate::csv_blocks::read_blocks;
use crate::csv_input::{CsvHeader, Delimiter, NOT_UTF8, RecordKind, TextFields, check_record, next_record};
use crate::report::{LoadReport, ReadError, RowError};
use crate::row::csv_row;

/// The columns of an events CSV that the reader uses.
struct Columns {
    header: CsvHeader,
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
    delimiter: Delimiter,
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
        delimiter,
        |header| Columns::new(path, header),
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

impl Columns {
    fn new(path: &Path, header: CsvHeader) -> Result<Self, ReadError> {
        Ok(Columns {
            event_id: header.column(path, "event_id")?,
            lead_id: header.column(path, "lead_id")?,
            kind: header.column(path, "type")?,
            occurred_at: header.column(path, "occurred_at")?,
            url: header.position("url"),
            properties: header.position("properties"),
            header,
        })
    }
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
    let mut reader = cols.header.rows_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let names = &cols.header.names;
    // The last lead looked up: exports list a lead's events together, so most rows name the
    // lead of the row before and need no hash lookup.
    let mut last_lead: Option<(String, u32)> = None;
    loop {
        let line = match next_record(&mut reader, &mut record) {
            Ok(None) => break,
            Ok(Some(line)) => first_line + line - 1,
            Err((line, e)) => {
                out.errors.push(RowError::row(file, first_line + line - 1, e.to_string()));
                continue;
            }
        };
        let err = |column: Option<usize>, message: String| match column {
            Some(i) => RowError::at_column(file, line, names, i, message),
            None => RowError::row(file, line, message),
        };
        match check_record(&record, names.len()) {
            Ok(RecordKind::Blank) => continue,
            Ok(RecordKind::Row) => out.rows += 1,
            Err(message) => {
                out.rows += 1;
                out.errors.push(err(None, message));
                continue;
            }
        }
        let fields = TextFields::new(std::mem::take(&mut record));
        let field = |i: usize| -> Result<&str, RowError> { fields.get(i).map_err(|i| err(Some(i), NOT_UTF8.into())) };
        // A NUL byte in a text value is an error, as in the row reader (checked per field
        // only when the row has one).
        let has_nul = memchr::memchr(0, fields.bytes().as_slice()).is_some();
        let text = |i: usize| -> Result<Option<&str>, RowError> {
            let raw = field(i)?;
            if has_nul { checked_text(raw).map_err(|e| err(Some(i), e.to_string())) } else { Ok(non_empty(raw)) }
        };
        let required = |i: usize| -> Result<&str, RowError> { text(i)?.ok_or_else(|| err(Some(i), ValueError::Missing.to_string())) };
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
                Some(i) => text(i)?,
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
            let lead = match &last_lead {
                Some((id, idx)) if id.as_str() == lead_id => *idx,
                _ => {
                    let idx =
                        lead_of(lead_id).ok_or_else(|| err(Some(cols.lead_id), LoadError::UnknownLead(lead_id.to_string()).to_string()))?;
                    match &mut last_lead {
                        Some((id, last)) => {
                            id.clear();
                            id.push_str(lead_id);
                            *last = idx;
                        }
                        None => last_lead = Some((lead_id.to_string(), idx)),
                    }
                    idx
                }
            };
            let projected = projector.project(lead, kind, at, url, properties.as_ref());
            Ok((event_id_hash(event_id), projected))
        })();
        match parsed {
            Ok(e) => out.events.push(e),
            // The fast checks stop at the first problem; the row reader names every bad field.
            Err(first) => out.errors.push(every_bad_field(&fields, names, line, file).unwrap_or(first)),
        }
        record = fields.into_byte_record();
    }
    out
}

/// A rejected event row as the row reader reports it (every bad field), or `None` when its
/// fields are all readable (the problem is then the row's lead, which the fast path named).
fn every_bad_field(record: &TextFields, names: &[String], line: u64, file: &str) -> Option<RowError> {
    match csv_row(record, names, line, file) {
        Ok(Some(row)) => event_from_pairs_all_errors(row.pairs()).err().map(|e| row.field_errors(file, e.0)),
        Ok(None) => None,
        Err(e) => Some(e),
    }
}

/// Checks that `text` is a JSON object without building it (built when it may hold a NUL,
/// which [`parse_properties`] rejects).
fn check_json_object(text: &str) -> Result<(), ValueError> {
    if !text.starts_with('{') || text.contains("\\u0000") {
        return parse_properties(text).map(|_| ());
    }
    serde_json::from_str::<serde::de::IgnoredAny>(text).map(|_| ()).map_err(|e| ValueError::NotJsonObject(e.to_string()))
}
