//! Files of the data-integrity commands: leads read on their own, plain CSV tables (pairs,
//! clusters, merge maps, reports) and events rewritten to their surviving leads.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use std::collections::HashSet;
use std::sync::Arc;

use leadrank_core::engine::{DatasetBuilder, event_id_hash};
use leadrank_core::model::builtin;
use leadrank_core::records::event_from_pairs_all_errors;
use leadrank_core::{Account, Lead};

use crate::csv_input::{CsvHeader, field, fields};
use crate::read::{self, InputFormat, Kind, LoadReport, Mapping, ReadError};

/// Reads a leads file on its own (no model needed). Rejected rows are in the report with
/// file, line, column and reason, as for `score`.
pub fn read_leads(path: &Path, format: InputFormat) -> Result<(Vec<Lead>, LoadReport), ReadError> {
    read_leads_mapped(path, format, None)
}

/// Reads a leads file on its own through `mapping` when there is one (a `[leads]` mapping).
pub fn read_leads_mapped(path: &Path, format: InputFormat, mapping: Option<&Mapping>) -> Result<(Vec<Lead>, LoadReport), ReadError> {
    let model = builtin::default_model();
    let mut builder = DatasetBuilder::new(&model);
    let mut report = LoadReport::default();
    read::load_leads_mapped(path, format, mapping, &mut builder, &model, &mut report)?;
    Ok((builder.build().leads, report))
}

/// Reads an accounts file on its own, sorted by account id.
pub fn read_accounts(path: &Path, format: InputFormat, report: &mut LoadReport) -> Result<Vec<Account>, ReadError> {
    read_accounts_mapped(path, format, None, report)
}

/// Reads an accounts file on its own through `mapping` when there is one (an `[accounts]`
/// mapping), sorted by account id.
pub fn read_accounts_mapped(
    path: &Path,
    format: InputFormat,
    mapping: Option<&Mapping>,
    report: &mut LoadReport,
) -> Result<Vec<Account>, ReadError> {
    let model = builtin::default_model();
    let mut builder = DatasetBuilder::new(&model);
    read::load_accounts_mapped(path, format, mapping, &mut builder, report)?;
    let mut accounts: Vec<Account> = builder.build().accounts.into_values().collect();
    accounts.sort_by(|a, b| a.account_id.cmp(&b.account_id));
    Ok(accounts)
}

/// One event as the hygiene report keeps it: what the engine's projection drops.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventTrace {
    /// The event type (interned: one allocation per distinct type).
    pub event_type: Arc<str>,
    /// Unix seconds.
    pub at: i64,
    /// The `user_agent` property, when present.
    pub user_agent: Option<String>,
    /// The `ip` property, when present.
    pub ip: Option<String>,
}

/// Reads an events file keeping, per lead (indexes from `lead_index`), each event's type,
/// time and `user_agent` / `ip` properties. As for `score`, the first event with an id counts
/// and later ones with the same id are skipped; rows that cannot be read or name an unknown
/// lead are added to `report.rejected`.
pub fn read_event_traces(
    path: &Path,
    format: InputFormat,
    lead_index: &HashMap<String, u32>,
    report: &mut LoadReport,
) -> Result<Vec<Vec<EventTrace>>, ReadError> {
    read_event_traces_mapped(path, format, None, lead_index, report)
}

/// [`read_event_traces`] through `mapping` when there is one (an `[events]` mapping).
pub fn read_event_traces_mapped(
    path: &Path,
    format: InputFormat,
    mapping: Option<&Mapping>,
    lead_index: &HashMap<String, u32>,
    report: &mut LoadReport,
) -> Result<Vec<Vec<EventTrace>>, ReadError> {
    read::check_kind(mapping, Kind::Events)?;
    let file = path.display().to_string();
    let mut out: Vec<Vec<EventTrace>> = vec![Vec::new(); lead_index.len()];
    let mut types: HashMap<String, Arc<str>> = HashMap::new();
    let mut seen: HashSet<u128> = HashSet::new();
    let required: &[&'static str] = if format.is_csv() { &["event_id", "lead_id", "type", "occurred_at"] } else { &[] };
    read::for_each_mapped_row(path, format, mapping, required, report, |row, report| {
        let event = match event_from_pairs_all_errors(row.pairs()) {
            Ok(e) if row.mapped_cleanly() => e,
            Ok(_) => return report.rejected.push(row.field_errors(&file, Vec::new())),
            Err(e) => return report.rejected.push(row.field_errors(&file, e.0)),
        };
        let Some(&lead) = lead_index.get(&event.lead_id) else {
            return report.rejected.push(row.error(&file, Some("lead_id"), format!("unknown lead '{}'", event.lead_id)));
        };
        if !seen.insert(event_id_hash(&event.event_id)) {
            report.duplicate_events += 1;
            return;
        }
        report.events += 1;
        let prop = |name: &str| {
            event.properties.as_ref().and_then(|p| p.get(name)).and_then(|v| match v {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Null => None,
                other => Some(other.to_string()),
            })
        };
        let event_type = match types.get(&event.event_type) {
            Some(t) => t.clone(),
            None => {
                let t: Arc<str> = Arc::from(event.event_type.as_str());
                types.insert(event.event_type.clone(), t.clone());
                t
            }
        };
        let trace = EventTrace { event_type, at: event.occurred_at.as_second(), user_agent: prop("user_agent"), ip: prop("ip") };
        if let Some(v) = out.get_mut(lead as usize) {
            v.push(trace);
        }
    })?;
    Ok(out)
}

/// Writes a CSV table: a header and rows of text.
pub fn write_csv_table<I, R>(out: &mut dyn Write, header: &[&str], rows: I) -> io::Result<()>
where
    I: IntoIterator<Item = R>,
    R: IntoIterator,
    R::Item: AsRef<[u8]>,
{
    let mut w = csv::Writer::from_writer(out);
    w.write_record(header)?;
    for r in rows {
        w.write_record(r)?;
    }
    w.flush()
}

/// Creates a file for writing, buffered.
pub fn create(path: &Path) -> io::Result<BufWriter<File>> {
    File::create(path).map(|f| BufWriter::with_capacity(1 << 20, f))
}

/// What [`remap_events`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RemapReport {
    /// Rows written (every input row).
    pub rows: u64,
    /// Rows whose lead now is a survivor other than the original.
    pub moved: u64,
    /// Rows copied unchanged because they could not be read (they are still written).
    pub unreadable: u64,
    /// Rows left out because their lead is not in `map` (a rejected or unknown lead).
    pub without_lead: u64,
}

/// Copies an events file to `out`, moving each event of a merged lead to its survivor
/// (`map`: old lead id -> survivor id, every accepted lead). Rows whose lead is not in `map`
/// are left out and counted (their lead was rejected or never existed); every other row is
/// kept; a `merged_from` column (CSV) or key (JSON Lines) records the original lead id of
/// moved events.
pub fn remap_events(
    path: &Path,
    format: InputFormat,
    out: &mut dyn Write,
    map: &HashMap<String, String>,
) -> Result<RemapReport, ReadError> {
    let open = || {
        File::open(path)
            .map(|f| BufReader::with_capacity(1 << 20, f))
            .map_err(|source| ReadError::Open { path: path.to_path_buf(), source })
    };
    let io_err = |source: io::Error| ReadError::Io { path: path.to_path_buf(), source };
    let mut report = RemapReport::default();
    match format {
        InputFormat::Csv(delimiter) => {
            let (header, mut reader) = CsvHeader::open(path, delimiter)?;
            let lead_col = header.column(path, "lead_id")?;
            // Written with the input's delimiter. Flexible: a short row is copied as it is,
            // never dropped.
            let mut w = csv::WriterBuilder::new().flexible(true).delimiter(header.delimiter).from_writer(out);
            w.write_record(header.names.iter().map(String::as_str).chain(["merged_from"])).map_err(|e| io_err(e.into()))?;
            let mut record = csv::ByteRecord::new();
            loop {
                match reader.read_byte_record(&mut record) {
                    Ok(false) => break,
                    Ok(true) => {}
                    Err(e) => {
                        if let csv::ErrorKind::Io(_) = e.kind() {
                            return Err(io_err(e.into()));
                        }
                        report.unreadable += 1;
                        continue;
                    }
                }
                let old = std::str::from_utf8(field(&record, lead_col)).ok().map(str::trim).filter(|_| lead_col < record.len());
                if old.is_some_and(|o| !map.contains_key(o)) {
                    report.without_lead += 1;
                    continue;
                }
                report.rows += 1;
                let target = old.and_then(|o| map.get(o).filter(|s| s.as_str() != o));
                let mut row = csv::ByteRecord::new();
                for (i, v) in fields(&record).enumerate() {
                    match (i == lead_col, target) {
                        (true, Some(t)) => row.push_field(t.as_bytes()),
                        _ => row.push_field(v),
                    }
                }
                match (target, old) {
                    (Some(_), Some(o)) => {
                        report.moved += 1;
                        row.push_field(o.as_bytes());
                    }
                    _ => row.push_field(b""),
                }
                w.write_byte_record(&row).map_err(|e| io_err(e.into()))?;
            }
            w.flush().map_err(io_err)?;
        }
        InputFormat::JsonLines => {
            let reader = open()?;
            for line in reader.split(b'\n') {
                let line = line.map_err(io_err)?;
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                let parsed = serde_json::from_slice::<serde_json::Value>(&line).ok();
                match parsed {
                    Some(serde_json::Value::Object(mut m)) => {
                        let old = m.get("lead_id").and_then(|v| v.as_str()).map(|s| s.trim().to_string());
                        if old.as_deref().is_some_and(|o| !map.contains_key(o)) {
                            report.without_lead += 1;
                            continue;
                        }
                        report.rows += 1;
                        if let Some(t) = old.as_deref().and_then(|o| map.get(o).filter(|s| s.as_str() != o)) {
                            report.moved += 1;
                            m.insert("lead_id".into(), t.clone().into());
                            m.insert("merged_from".into(), old.unwrap_or_default().into());
                        }
                        serde_json::to_writer(&mut *out, &m).map_err(|e| io_err(e.into()))?;
                    }
                    _ => {
                        report.rows += 1;
                        report.unreadable += 1;
                        out.write_all(&line).map_err(io_err)?;
                    }
                }
                out.write_all(b"\n").map_err(io_err)?;
            }
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_traces_keep_user_agent_and_ip() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("events.csv");
        std::fs::write(
            &p,
            "event_id,lead_id,type,occurred_at,properties\n\
             e1,L1,form_submit,2026-01-01T00:00:00Z,\"{\"\"user_agent\"\":\"\"curl/8.0\"\",\"\"ip\"\":\"\"1.2.3.4\"\"}\"\n\
             e1,L1,form_submit,2026-01-02T00:00:00Z,\n\
             e2,L9,page_view,2026-01-01T00:00:00Z,\n\
             e3,L2,email_bounce,2026-01-03T00:00:00Z,\n\
             e4,L2,page_view,never,\n",
        )
        .unwrap();
        let index: HashMap<String, u32> = [("L1".to_string(), 0), ("L2".to_string(), 1)].into();
        let mut report = LoadReport::default();
        let t = read_event_traces(&p, InputFormat::CSV, &index, &mut report).unwrap();
        assert_eq!(t[0].len(), 1);
        assert_eq!(
            (&*t[0][0].event_type, t[0][0].user_agent.as_deref(), t[0][0].ip.as_deref()),
            ("form_submit", Some("curl/8.0"), Some("1.2.3.4"))
        );
        assert_eq!(&*t[1][0].event_type, "email_bounce");
        assert_eq!((report.events, report.duplicate_events, report.rejected.len()), (2, 1, 2));
        assert_eq!(report.rejected[0].field.as_deref(), Some("lead_id"));
        assert_eq!(report.rejected[1].field.as_deref(), Some("occurred_at"));
    }

    #[test]
    fn events_move_to_survivors_and_nothing_is_lost() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("events.csv");
        std::fs::write(&p, "event_id,lead_id,type,occurred_at\ne1,L2,page_view,2026-01-01\ne2,L1,page_view,2026-01-02\n\"bad\n").unwrap();
        let map: HashMap<String, String> = [("L2".to_string(), "L1".to_string()), ("L1".into(), "L1".into())].into();
        let mut out = Vec::new();
        let r = remap_events(&p, InputFormat::CSV, &mut out, &map).unwrap();
        assert_eq!(r.moved, 1);
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.starts_with("event_id,lead_id,type,occurred_at,merged_from\ne1,L1,page_view,2026-01-01,L2\ne2,L1,page_view,2026-01-02,\n"),
            "{text}"
        );
        let j = dir.path().join("events.jsonl");
        std::fs::write(&j, "{\"event_id\":\"e1\",\"lead_id\":\"L2\"}\nnot json\n").unwrap();
        let mut out = Vec::new();
        let r = remap_events(&j, InputFormat::JsonLines, &mut out, &map).unwrap();
        assert_eq!((r.rows, r.moved, r.unreadable), (2, 1, 1));
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("\"lead_id\":\"L1\"") && text.contains("\"merged_from\":\"L2\"") && text.contains("not json"), "{text}");
    }

    #[test]
    fn events_of_leads_not_in_the_map_are_left_out_and_counted() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("events.csv");
        std::fs::write(&p, "event_id,lead_id,type,occurred_at\ne1,L1,page_view,2026-01-01\ne2,L6,page_view,2026-01-02\n").unwrap();
        let map: HashMap<String, String> = [("L1".to_string(), "L1".to_string())].into();
        let mut out = Vec::new();
        let r = remap_events(&p, InputFormat::CSV, &mut out, &map).unwrap();
        assert_eq!((r.rows, r.without_lead), (1, 1));
        assert!(!String::from_utf8(out).unwrap().contains("L6"));
        let j = dir.path().join("events.jsonl");
        std::fs::write(&j, "{\"event_id\":\"e2\",\"lead_id\":\"L6\"}\n").unwrap();
        let mut out = Vec::new();
        let r = remap_events(&j, InputFormat::JsonLines, &mut out, &map).unwrap();
        assert_eq!((r.rows, r.without_lead, out.len()), (0, 1, 0));
    }
}
