//! Bulk import of a CSV file (a CRM export) through a mapping: the file is read as the
//! command line reads it (`leadrank_io::upload`: encoding check, delimiter detection, the
//! mapping, every bad field of a row named), then its records go through the same writes as
//! the API's (`upsert_leads`, `upsert_accounts`, `ingest_events`), so rescoring, routing,
//! webhooks and the erasure markers behave exactly as for those. Rows equal to what the
//! service holds are left alone (a second import of a file changes nothing). Accepted rows
//! are applied even when others are rejected. The import is audited with counts only.

use leadrank_io::ReadError;
pub use leadrank_io::read::Delimiter;
use leadrank_io::upload::{self, Lined, Records};
use leadrank_mapping::{Kind, MappingFile, presets};

use crate::service::{Outcome, Service, ServiceError};

/// Records written per call of the write path: each batch takes its own turn, so other
/// writers go between the batches of a large file.
const IMPORT_BATCH: usize = 500;

/// Rejected rows listed in a report; the rest are counted.
pub const MAX_LISTED_REJECTIONS: usize = 100;

/// Largest CSV file an import takes, in bytes (the front ends refuse larger bodies).
pub const MAX_IMPORT_BYTES: usize = 20 * 1024 * 1024;

/// Largest mapping text accepted with an import, in bytes.
pub const MAX_MAPPING_BYTES: usize = 256 * 1024;

/// What an import holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    Leads,
    Accounts,
    Events,
}

impl ImportKind {
    pub const ALL: [ImportKind; 3] = [ImportKind::Leads, ImportKind::Accounts, ImportKind::Events];

    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Leads => "leads",
            ImportKind::Accounts => "accounts",
            ImportKind::Events => "events",
        }
    }

    fn input_kind(self) -> Kind {
        match self {
            ImportKind::Leads => Kind::Leads,
            ImportKind::Accounts => Kind::Accounts,
            ImportKind::Events => Kind::Events,
        }
    }

    /// The built-in mappings that map this kind: (name, description).
    pub fn presets(self) -> Vec<(&'static str, String)> {
        presets::ALL
            .iter()
            .filter_map(|p| {
                let file = p.parse().ok()?;
                file.get(self.input_kind()).map(|_| (p.name, file.description.clone().unwrap_or_default()))
            })
            .collect()
    }
}

impl std::str::FromStr for ImportKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        ImportKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("'{s}' is not something to import: use leads, accounts or events"))
    }
}

/// Where the mapping of an import comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportMapping {
    /// None: the file has leadrank's own column names.
    Columns,
    /// A built-in mapping, by name (`hubspot-contacts`).
    Preset(String),
    /// A mapping file's text; `name` names it in errors.
    Custom { name: String, text: String },
}

/// One import: a CSV file of `kind`, read through `mapping`.
#[derive(Debug, Clone)]
pub struct ImportRequest<'a> {
    pub kind: ImportKind,
    pub bytes: &'a [u8],
    /// The file's name, for errors (`contacts.csv`).
    pub file_name: &'a str,
    pub delimiter: Delimiter,
    pub mapping: ImportMapping,
}

/// One bad field of a rejected row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BadField {
    /// 1-based column of the file.
    pub column: Option<usize>,
    /// The column's name (with the leadrank field it maps to); none for the whole row.
    pub field: Option<String>,
    pub reason: String,
}

/// A rejected row: its line and every bad field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RejectedRow {
    pub line: u64,
    pub fields: Vec<BadField>,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    pub kind: ImportKind,
    /// The mapping used: a built-in mapping's name, a custom one's, or none.
    pub mapping: Option<String>,
    /// Rows read (blank lines aside).
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
    /// Rows equal to what the service holds (leads, accounts), or events seen before.
    pub unchanged: u64,
    /// Rows of erased people: nothing stored.
    pub suppressed: u64,
    pub rejected: u64,
    /// The first [`MAX_LISTED_REJECTIONS`] rejected rows, by line.
    pub rejected_rows: Vec<RejectedRow>,
    /// Rejected rows not listed.
    pub rejected_not_listed: u64,
    /// What to know that is not a rejected row (columns the mapping does not read).
    pub notes: Vec<String>,
}

impl ImportReport {
    fn new(kind: ImportKind, mapping: Option<String>) -> Self {
        ImportReport {
            kind,
            mapping,
            rows: 0,
            created: 0,
            updated: 0,
            unchanged: 0,
            suppressed: 0,
            rejected: 0,
            rejected_rows: Vec::new(),
            rejected_not_listed: 0,
            notes: Vec::new(),
        }
    }

    fn count(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Created | Outcome::Accepted => self.created += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Duplicate => self.unchanged += 1,
            Outcome::Suppressed => self.suppressed += 1,
            Outcome::Rejected => self.rejected += 1,
        }
    }

    /// The audit detail: counts only.
    fn summary(&self) -> String {
        format!(
            "{}: {} rows, {} created, {} updated, {} unchanged, {} suppressed, {} rejected; mapping {}",
            self.kind.as_str(),
            self.rows,
            self.created,
            self.updated,
            self.unchanged,
            self.suppressed,
            self.rejected,
            self.mapping.as_deref().unwrap_or("none")
        )
    }
}

/// The mapping file of an import and the name the report gives it.
fn mapping_file(kind: ImportKind, mapping: &ImportMapping) -> Result<Option<(MappingFile, String)>, ServiceError> {
    let (file, name) = match mapping {
        ImportMapping::Columns => return Ok(None),
        ImportMapping::Preset(name) => {
            let preset = presets::find(name).ok_or_else(|| {
                let fit: Vec<&str> = kind.presets().into_iter().map(|(n, _)| n).collect();
                ServiceError::Invalid(format!(
                    "mapping: '{name}' is not a built-in mapping; those for {} are: {}",
                    kind.as_str(),
                    fit.join(", ")
                ))
            })?;
            let file = preset.parse().map_err(|e| ServiceError::Internal(format!("built-in mapping {name}: {e}")))?;
            (file, name.clone())
        }
        ImportMapping::Custom { name, text } => {
            if text.len() > MAX_MAPPING_BYTES {
                return Err(ServiceError::Invalid(format!("{name}: the mapping is larger than {} KB", MAX_MAPPING_BYTES / 1024)));
            }
            let file = MappingFile::parse(text, name).map_err(|e| ServiceError::Invalid(e.to_string()))?;
            let label = file.name.clone().unwrap_or_else(|| name.clone());
            (file, label)
        }
    };
    if file.get(kind.input_kind()).is_none() {
        let maps: Vec<&str> = file.mappings.iter().map(|m| m.kind.as_str()).collect();
        let maps = if maps.is_empty() { "nothing a file holds".to_string() } else { maps.join(", ") };
        let fit: Vec<&str> = kind.presets().into_iter().map(|(n, _)| n).collect();
        return Err(ServiceError::Invalid(format!(
            "{}:1: mapping: it has no [{}] table (it maps {maps}); the built-in mappings for {} are: {}",
            file.source,
            kind.as_str(),
            kind.as_str(),
            fit.join(", ")
        )));
    }
    Ok(Some((file, name)))
}

/// A file that cannot be read at all, as the caller's error.
fn read_error(e: ReadError, kind: ImportKind) -> ServiceError {
    match e {
        ReadError::MissingColumn { path, column, found } => {
            let fit: Vec<&str> = kind.presets().into_iter().map(|(n, _)| n).collect();
            ServiceError::Invalid(format!(
                "{}:1: the header has no '{column}' column (found: {found}); a file with other column names is read through \
                 a mapping: a built-in one ({}) or your own",
                path.display(),
                fit.join(", ")
            ))
        }
        other => ServiceError::Invalid(other.to_string()),
    }
}

fn rejected_row(e: &leadrank_io::RowError) -> RejectedRow {
    let first = BadField { column: e.column, field: e.field.clone(), reason: e.message.to_string() };
    let more = e.more.iter().map(|p| BadField { column: p.column, field: p.field.clone(), reason: p.message.clone() });
    RejectedRow { line: e.line, fields: std::iter::once(first).chain(more).collect() }
}

impl Service {
    /// Imports a CSV file: reads it through its mapping, applies the accepted rows through
    /// the service's writes and reports what happened to every row, audited as `actor`.
    /// An error (the caller's, `Invalid`) when the mapping or the file cannot be read at all:
    /// the message names the mapping's file, line and key, or the file's problem.
    pub async fn import_csv(&self, request: ImportRequest<'_>, actor: &str) -> Result<ImportReport, ServiceError> {
        let kind = request.kind;
        let mapping = mapping_file(kind, &request.mapping)?;
        let mut report = ImportReport::new(kind, mapping.as_ref().map(|(_, name)| name.clone()));
        let bound = mapping.as_ref().and_then(|(file, _)| file.get(kind.input_kind()));
        let (_, model) = self.model();
        let (records, read) = upload::read_csv(request.bytes, request.file_name, request.delimiter, kind.input_kind(), bound, &model)
            .map_err(|e| read_error(e, kind))?;
        report.notes = read.notes;
        report.rows = (records.len() + read.rejected.len()) as u64;
        report.rejected = read.rejected.len() as u64;
        let mut rejected: Vec<RejectedRow> = read.rejected.iter().map(rejected_row).collect();
        match records {
            Records::Leads(leads) => {
                for batch in leads.chunks(IMPORT_BATCH) {
                    let fresh = changed(batch, |l| self.lead_record(&l.lead_id), &mut report);
                    for outcome in self.upsert_leads(fresh).await? {
                        report.count(&outcome);
                    }
                }
            }
            Records::Accounts(accounts) => {
                for batch in accounts.chunks(IMPORT_BATCH) {
                    let fresh = changed(batch, |a| self.account_record(&a.account_id), &mut report);
                    for outcome in self.upsert_accounts(fresh).await? {
                        report.count(&outcome);
                    }
                }
            }
            Records::Events(events) => {
                for batch in events.chunks(IMPORT_BATCH) {
                    let lines: Vec<u64> = batch.iter().map(|e| e.line).collect();
                    let outcomes = self.ingest_events(batch.iter().map(|e| e.record.clone()).collect()).await?;
                    for (line, (outcome, why)) in lines.into_iter().zip(outcomes) {
                        report.count(&outcome);
                        if outcome == Outcome::Rejected {
                            let why = why.unwrap_or_else(|| "the event was refused".into());
                            let (field, reason) = match why.split_once(": ") {
                                Some((field, reason)) => (Some(field.to_string()), reason.to_string()),
                                None => (None, why),
                            };
                            rejected.push(RejectedRow { line, fields: vec![BadField { column: None, field, reason }] });
                        }
                    }
                }
            }
        }
        rejected.sort_by_key(|r| r.line);
        report.rejected_not_listed = rejected.len().saturating_sub(MAX_LISTED_REJECTIONS) as u64;
        rejected.truncate(MAX_LISTED_REJECTIONS);
        report.rejected_rows = rejected;
        self.audit(actor, "import", &report.summary()).await?;
        Ok(report)
    }
}

/// The records of `batch` that differ from what the service holds (`held`); the others are
/// counted unchanged.
fn changed<T: Clone + PartialEq>(batch: &[Lined<T>], held: impl Fn(&T) -> Option<T>, report: &mut ImportReport) -> Vec<T> {
    let mut fresh = Vec::with_capacity(batch.len());
    for lined in batch {
        if held(&lined.record).as_ref() == Some(&lined.record) {
            report.unchanged += 1;
        } else {
            fresh.push(lined.record.clone());
        }
    }
    fresh
}
