//! `POST /v1/imports/{kind}`: a CSV file (a CRM export) imported through a mapping, with a
//! report of every row (see `leadrank_service::import`).
//!
//! The body is the CSV itself (`text/csv`; the mapping a built-in one named in `?mapping=`),
//! or a `multipart/form-data` form with a `file` part (the CSV) and, for a mapping of one's
//! own, a `mapping` part (its TOML text).

use axum::extract::multipart::MultipartError;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use leadrank_service::import::{Delimiter, ImportKind, ImportMapping, ImportRequest, MAX_MAPPING_BYTES};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::body::{PathParam, QueryParams, read_bytes};
use super::problem::Problem;
use super::problem::responses::*;
use super::{AppState, Caller, need, view};

/// Largest import request (the file and the form around it), in bytes; 413 beyond.
pub const MAX_IMPORT_BYTES: usize = leadrank_service::import::MAX_IMPORT_BYTES + MAX_MAPPING_BYTES + 64 * 1024;

/// Content types a CSV body may be sent as.
pub const CSV_TYPES: &[&str] = &["text/csv", "application/csv", "text/plain", "application/octet-stream"];

/// Query of an import.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// A built-in mapping (`hubspot-contacts`, `hubspot-companies`, `salesforce-leads`,
    /// `salesforce-contacts`, `salesforce-accounts`, ...). Without it and without a `mapping`
    /// part, the file has leadrank's own column names.
    mapping: Option<String>,
    /// The field separator: `,` `;` `|` `tab`, or `auto` (the default: found from the header).
    delimiter: Option<String>,
}

/// The multipart form of an import with a mapping of one's own.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ImportForm {
    /// The CSV file.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// A mapping file's text (TOML; see docs/mapping.md).
    mapping: Option<String>,
}

/// One bad field of a rejected row.
#[derive(Serialize, ToSchema)]
pub struct ImportBadField {
    /// 1-based column of the file.
    column: Option<usize>,
    /// The column (with the leadrank field it maps to, `Number of Employees (employees)`);
    /// absent when the whole row is at fault.
    field: Option<String>,
    reason: String,
}

/// A rejected row: its line and every bad field.
#[derive(Serialize, ToSchema)]
pub struct ImportRejectedRow {
    line: u64,
    fields: Vec<ImportBadField>,
}

/// What an import did with the file's rows.
#[derive(Serialize, ToSchema)]
pub struct ImportResult {
    /// leads, accounts or events.
    kind: String,
    /// The mapping used (a built-in mapping's name or a custom mapping's); absent without.
    mapping: Option<String>,
    /// Rows read (blank lines aside).
    rows: u64,
    created: u64,
    updated: u64,
    /// Rows equal to what the service holds (or events seen before): nothing written.
    unchanged: u64,
    /// Rows of erased people: nothing stored.
    suppressed: u64,
    rejected: u64,
    /// The first 100 rejected rows, by line.
    rejected_rows: Vec<ImportRejectedRow>,
    /// Rejected rows not listed.
    rejected_not_listed: u64,
    /// What to know that is not a rejected row (columns the mapping does not read).
    notes: Vec<String>,
}

impl From<leadrank_service::import::ImportReport> for ImportResult {
    fn from(r: leadrank_service::import::ImportReport) -> Self {
        ImportResult {
            kind: r.kind.as_str().to_string(),
            mapping: r.mapping,
            rows: r.rows,
            created: r.created,
            updated: r.updated,
            unchanged: r.unchanged,
            suppressed: r.suppressed,
            rejected: r.rejected,
            rejected_rows: r
                .rejected_rows
                .into_iter()
                .map(|row| ImportRejectedRow {
                    line: row.line,
                    fields: row.fields.into_iter().map(|f| ImportBadField { column: f.column, field: f.field, reason: f.reason }).collect(),
                })
                .collect(),
            rejected_not_listed: r.rejected_not_listed,
            notes: r.notes,
        }
    }
}

fn media_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_TYPE)?;
    Some(value.to_str().unwrap_or("?").split(';').next().unwrap_or("").trim().to_ascii_lowercase())
}

fn multipart_problem(e: MultipartError) -> Problem {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", format!("an import is at most {} MB", MAX_IMPORT_BYTES >> 20))
    } else {
        Problem::new(StatusCode::BAD_REQUEST, "bad_body", format!("the multipart form cannot be read: {}", e.body_text()))
    }
}

/// The file and custom mapping of a multipart import: (file name, bytes, (mapping name, text)).
async fn read_form(mut form: Multipart) -> Result<(String, Vec<u8>, Option<(String, String)>), Problem> {
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut mapping = None;
    while let Some(field) = form.next_field().await.map_err(multipart_problem)? {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "file" => {
                let file_name = field.file_name().filter(|n| !n.trim().is_empty()).unwrap_or("upload.csv").to_string();
                let bytes = field.bytes().await.map_err(multipart_problem)?;
                file = Some((file_name, bytes.to_vec()));
            }
            "mapping" => {
                let mapping_name = field.file_name().filter(|n| !n.trim().is_empty()).unwrap_or("mapping.toml").to_string();
                let bytes = field.bytes().await.map_err(multipart_problem)?;
                if bytes.len() > MAX_MAPPING_BYTES {
                    return Err(Problem::field(
                        "mapping_too_large",
                        "/form/mapping",
                        format!("the mapping is larger than {} KB", MAX_MAPPING_BYTES / 1024),
                    ));
                }
                let text = String::from_utf8(bytes.to_vec())
                    .map_err(|_| Problem::field("invalid_body", "/form/mapping", "the mapping is not UTF-8 text"))?;
                mapping = Some((mapping_name, text)).filter(|(_, t)| !t.trim().is_empty());
            }
            other => {
                return Err(Problem::field(
                    "unknown_field",
                    format!("/form/{}", super::problem::escape(other)),
                    format!("unknown form part '{other}': the form takes 'file' and 'mapping'"),
                ));
            }
        }
    }
    let (name, bytes) = file.ok_or_else(|| Problem::field("missing_field", "/form/file", "the form has no 'file' part (the CSV file)"))?;
    Ok((name, bytes, mapping))
}

/// `POST /v1/imports/{kind}`: imports a CSV file (a CRM export) through a mapping.
///
/// Every row is read as `leadrank score` reads a file (UTF-8 with or without a byte order
/// mark, the delimiter found from the header) and the accepted rows are written as by
/// `POST /v1/leads` (or accounts, events): rescored, routed, webhooks sent. Rows equal to
/// what the service holds are left alone. A rejected row names every bad field; the other
/// rows are kept. Audited with the key and the counts.
#[utoipa::path(
    post,
    path = "/v1/imports/{kind}",
    tag = "ingest",
    operation_id = "importCsv",
    params(
        ("kind" = String, Path, description = "What the file holds: leads, accounts or events.", pattern = "^(leads|accounts|events)$"),
        ImportQuery
    ),
    request_body(
        description = "The CSV file (text/csv), or a form with the file and a mapping of one's own (multipart/form-data).",
        content(
            (String = "text/csv"),
            (ImportForm = "multipart/form-data")
        )
    ),
    responses(
        (status = 200, description = "What happened to the rows: counts and the rejected rows with every bad field.", body = ImportResult),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 422, response = UnprocessableEntity),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["ingest"]))
)]
pub async fn import_csv(
    State(state): State<AppState>,
    caller: Caller<need::Ingest>,
    PathParam(kind): PathParam<String>,
    QueryParams(query): QueryParams<ImportQuery>,
    req: Request,
) -> Result<Response, Problem> {
    let kind: ImportKind = kind.parse().map_err(|e: String| Problem::field("invalid_parameter", "/path/kind", e))?;
    let delimiter: Delimiter = match query.delimiter.as_deref() {
        Some(d) => d.parse().map_err(|e: String| Problem::field("invalid_parameter", "/query/delimiter", e))?,
        None => Delimiter::Auto,
    };
    let media = media_type(req.headers());
    let (file_name, bytes, custom) = match media.as_deref() {
        Some("multipart/form-data") => {
            let form =
                Multipart::from_request(req, &state).await.map_err(|e| Problem::new(StatusCode::BAD_REQUEST, "bad_body", e.body_text()))?;
            read_form(form).await?
        }
        Some(m) if CSV_TYPES.contains(&m) => {
            let bytes = read_bytes(req, &state).await?;
            ("upload.csv".to_string(), bytes.to_vec(), None)
        }
        other => {
            let got = other.map_or_else(|| "no content type".to_string(), |m| format!("content type '{m}'"));
            return Err(Problem {
                pointer: Some("/headers/content-type".into()),
                ..Problem::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    format!(
                        "got {got}; this route takes a CSV file (text/csv) or a multipart/form-data form with 'file' and 'mapping' parts"
                    ),
                )
            });
        }
    };
    let mapping = match (query.mapping, custom) {
        (Some(_), Some(_)) => {
            return Err(Problem::field(
                "invalid_parameter",
                "/query/mapping",
                "give a built-in mapping (?mapping=) or a 'mapping' part, not both",
            ));
        }
        (Some(name), None) => ImportMapping::Preset(name),
        (None, Some((name, text))) => ImportMapping::Custom { name, text },
        (None, None) => ImportMapping::Columns,
    };
    let request = ImportRequest { kind, bytes: &bytes, file_name: &file_name, delimiter, mapping };
    let report = state.service.import_csv(request, &caller.actor()).await?;
    Ok(view(ImportResult::from(report)))
}
