//! A CSV file held in memory (an upload to the service), read and mapped exactly as
//! [`crate::read`] reads a file on disk: the same encoding check, delimiter detection,
//! mapping and record checks, so a rejected row names every bad field. The records come back
//! with the line each starts on, for the service to apply.

use std::collections::HashMap;
use std::path::Path;

use leadrank_core::CompiledModel;
use leadrank_core::records::{self, Account, Event, Lead};

use crate::csv_input::{CsvHeader, Delimiter};
use crate::read::{Kind, Mapping, check_kind, for_each_csv_row, parse_lead};
use crate::report::{LoadReport, ReadError};
use crate::row::Row;

/// A record and the 1-based line of the file where its row starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Lined<T> {
    pub line: u64,
    pub record: T,
}

/// The records of one input kind read from a file.
#[derive(Debug, Clone, PartialEq)]
pub enum Records {
    Leads(Vec<Lined<Lead>>),
    Accounts(Vec<Lined<Account>>),
    Events(Vec<Lined<Event>>),
}

impl Records {
    /// How many records were read.
    pub fn len(&self) -> usize {
        match self {
            Records::Leads(r) => r.len(),
            Records::Accounts(r) => r.len(),
            Records::Events(r) => r.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The input kinds an upload may hold.
pub const UPLOAD_KINDS: [Kind; 3] = [Kind::Leads, Kind::Accounts, Kind::Events];

/// Reads the CSV text `bytes` (named `name` in errors) as records of `kind`, through
/// `mapping` when there is one (it must map `kind`), else by leadrank's own column names.
/// `model` gives the types of the leads' custom fields.
///
/// Rows that cannot be read are in the report's `rejected`, every bad field named, and the
/// other rows are kept; a second row with the id of an earlier one is rejected (the first
/// wins, as when a file is scored). An error only when the file cannot be read at all: another
/// encoding than UTF-8, an unreadable header, a column the mapping needs that the file lacks.
pub fn read_csv(
    bytes: &[u8],
    name: &str,
    delimiter: Delimiter,
    kind: Kind,
    mapping: Option<&Mapping>,
    model: &CompiledModel,
) -> Result<(Records, LoadReport), ReadError> {
    if !UPLOAD_KINDS.contains(&kind) {
        return Err(ReadError::Mapping(format!("{} cannot be uploaded (leads, accounts or events can)", kind.as_str())));
    }
    check_kind(mapping, kind)?;
    let path = Path::new(name);
    let (header, reader) = CsvHeader::from_input(path, bytes, delimiter)?;
    let mut report = LoadReport::default();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    // A second row with the id of an earlier row is rejected, naming the first.
    let mut first = |row: &Row<'_>, id: &str, field: &str, report: &mut LoadReport| -> bool {
        match first_line.get(id) {
            Some(line) => {
                report.rejected.push(row.error(name, Some(field), format!("'{id}' is also on line {line}; the first row wins")));
                false
            }
            None => {
                first_line.insert(id.to_string(), row.line);
                true
            }
        }
    };
    let records = match kind {
        Kind::Leads => {
            let mut out = Vec::new();
            for_each_csv_row(path, &header, reader, mapping, &["lead_id"], &mut report, |row, report| match parse_lead(row, model) {
                Ok(lead) => {
                    if first(row, &lead.lead_id, "lead_id", report) {
                        out.push(Lined { line: row.line, record: lead });
                    }
                }
                Err(e) => report.rejected.push(row.field_errors(name, e)),
            })?;
            Records::Leads(out)
        }
        Kind::Accounts => {
            let mut out = Vec::new();
            for_each_csv_row(path, &header, reader, mapping, &["account_id"], &mut report, |row, report| {
                match records::account_from_pairs_all_errors(row.pairs()) {
                    Ok(_) if !row.mapped_cleanly() => report.rejected.push(row.field_errors(name, Vec::new())),
                    Ok(account) => {
                        if first(row, &account.account_id, "account_id", report) {
                            out.push(Lined { line: row.line, record: account });
                        }
                    }
                    Err(e) => report.rejected.push(row.field_errors(name, e.0)),
                }
            })?;
            Records::Accounts(out)
        }
        _ => {
            let mut out = Vec::new();
            let required = &["event_id", "lead_id", "type", "occurred_at"];
            for_each_csv_row(path, &header, reader, mapping, required, &mut report, |row, report| {
                match records::event_from_pairs_all_errors(row.pairs()) {
                    Ok(_) if !row.mapped_cleanly() => report.rejected.push(row.field_errors(name, Vec::new())),
                    // A repeated event id is not an error: it counts once, as for any write.
                    Ok(event) => out.push(Lined { line: row.line, record: event }),
                    Err(e) => report.rejected.push(row.field_errors(name, e.0)),
                }
            })?;
            Records::Events(out)
        }
    };
    report.leads = if kind == Kind::Leads { records.len() as u64 } else { 0 };
    report.accounts = if kind == Kind::Accounts { records.len() as u64 } else { 0 };
    report.events = if kind == Kind::Events { records.len() as u64 } else { 0 };
    Ok((records, report))
}

#[cfg(test)]
mod tests {
    use super::*;
    use leadrank_mapping::presets;

    fn model() -> CompiledModel {
        leadrank_core::model::builtin::default_model()
    }

    #[test]
    fn a_mapped_upload_reads_like_a_file_and_names_every_bad_field() {
        let preset = presets::find("hubspot-contacts").unwrap().parse().unwrap();
        let mapping = preset.get(Kind::Leads).unwrap();
        let text = "\u{feff}Record ID;Email;Number of Employees;Create Date\n\
                    1;a@acme.com;12;2026-01-02 09:00\n\
                    2;not an email;many;yesterday\n\
                    1;b@acme.com;3;2026-01-02 09:00\n";
        let (records, report) = read_csv(text.as_bytes(), "contacts.csv", Delimiter::Auto, Kind::Leads, Some(mapping), &model()).unwrap();
        let Records::Leads(leads) = records else { panic!("leads") };
        assert_eq!(leads.len(), 1, "{:?}", report.rejected);
        assert_eq!(leads[0].line, 2);
        assert_eq!(report.rejected.len(), 2);
        let bad = &report.rejected[0];
        assert_eq!(bad.line, 3);
        assert!(!bad.more.is_empty(), "several bad fields are all named: {bad}");
        assert!(report.rejected[1].to_string().contains("also on line 2"), "{}", report.rejected[1]);
    }

    #[test]
    fn other_encodings_are_a_clear_error() {
        let latin1 = b"lead_id,company\n1,M\xfcller GmbH\n";
        let (_, report) = read_csv(latin1, "x.csv", Delimiter::Auto, Kind::Leads, None, &model()).unwrap();
        assert!(report.rejected[0].to_string().contains("not valid UTF-8"), "{:?}", report.rejected);
        let latin1_header = b"lead_id,Soci\xe9t\xe9\n1,a\n";
        let err = read_csv(latin1_header, "x.csv", Delimiter::Auto, Kind::Leads, None, &model()).unwrap_err();
        assert!(err.to_string().contains("Latin-1"), "{err}");
        let utf16 = b"\xff\xfel\0";
        let err = read_csv(utf16, "x.csv", Delimiter::Auto, Kind::Leads, None, &model()).unwrap_err();
        assert!(err.to_string().contains("UTF-16"), "{err}");
    }
}
