//! The Import screen, for RevOps and admins: upload a CSV file (a CRM export) as leads,
//! accounts or events through a built-in mapping or one's own, and see what happened to
//! every row (`leadrank_service::import`).

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use leadrank_service::ServiceError;
use leadrank_service::import::{Delimiter, ImportKind, ImportMapping, ImportReport, ImportRequest, MAX_MAPPING_BYTES};
use leadrank_service::users::Role;
use maud::{Markup, html};

use crate::Web;
use crate::auth::Signed;
use crate::page;

/// Longest import form accepted: the file's limit and the form around it.
pub const MAX_IMPORT_FORM: usize = leadrank_service::import::MAX_IMPORT_BYTES + MAX_MAPPING_BYTES + 64 * 1024;

fn may_import(signed: &Signed) -> Result<(), Response> {
    if !matches!(signed.role(), Role::Revops | Role::Admin) {
        return Err(page::error(StatusCode::FORBIDDEN, "RevOps and admins only", "Imports are for RevOps users and admins."));
    }
    Ok(())
}

/// What the form held, to show it again after an error.
#[derive(Default)]
struct Filled {
    kind: Option<ImportKind>,
    mapping: String,
    delimiter: String,
    custom: String,
}

const DELIMITERS: [(&str, &str); 5] =
    [("auto", "Found from the header"), (",", "Comma"), (";", "Semicolon"), ("tab", "Tab"), ("|", "Pipe")];

fn form(signed: &Signed, filled: &Filled, error: Option<&str>) -> Markup {
    let csrf = &signed.who.csrf;
    html! {
        h1 { "Import" }
        p.muted { "Upload a CSV export from your CRM. Rows are read through the mapping you choose; imported leads are \
                   scored and routed as they arrive. A file imported twice changes nothing the second time." }
        @if let Some(e) = error { div.alert role="alert" #import-error { "The file was not imported: " (e) } }
        form.grid-form method="post" action="/import" enctype="multipart/form-data" aria-describedby=[error.map(|_| "import-error")] {
            input type="hidden" name="csrf" value=(csrf);
            label { "CSV file " input type="file" name="file" accept=".csv,.tsv,.txt,text/csv" required; }
            label { "The file holds "
                select name="kind" {
                    @for k in ImportKind::ALL {
                        option value=(k.as_str()) selected[filled.kind == Some(k)] { (k.as_str()) }
                    }
                }
            }
            label { "Mapping "
                select name="mapping" {
                    option value="" selected[filled.mapping.is_empty()] { "None: leadrank's own column names, or the custom mapping below" }
                    @for k in ImportKind::ALL {
                        optgroup label=(k.as_str()) {
                            @for (name, description) in k.presets() {
                                option value=(name) title=(description) selected[filled.mapping == name] { (name) }
                            }
                        }
                    }
                }
            }
            label { "Separator "
                select name="delimiter" {
                    @for (value, label) in DELIMITERS {
                        option value=(value) selected[filled.delimiter == value] { (label) }
                    }
                }
            }
            button type="submit" { "Import" }
            details.wide {
                summary { "A mapping of your own (optional)" }
                label for="custom-mapping" { "Mapping file (TOML), used when no built-in mapping is chosen" }
                textarea #custom-mapping name="custom_mapping" rows="12" spellcheck="false" maxlength=(MAX_MAPPING_BYTES) { (filled.custom) }
                p.muted.small { "See the mapping guide in the documentation: each leadrank field names the column it comes from." }
            }
        }
    }
}

/// `GET /import`.
pub async fn page(signed: Signed) -> Response {
    if let Err(r) = may_import(&signed) {
        return r;
    }
    page::shell(&signed, "Import", "/import", form(&signed, &Filled::default(), None))
}

fn report_view(file_name: &str, r: &ImportReport) -> Markup {
    html! {
        h1 { "Import of " (file_name) }
        div.notice role="status" {
            (r.rows) " rows read as " (r.kind.as_str())
            @if let Some(m) = &r.mapping { " through the mapping " (m) }
            ": " (r.created) " created, " (r.updated) " updated, " (r.unchanged) " unchanged, " (r.rejected) " rejected."
        }
        div.table-wrap { table {
            caption.sr-only { "Counts" }
            thead { tr { th { "Rows" } th.num { "Created" } th.num { "Updated" } th.num { "Unchanged" } th.num { "Erased people (not stored)" } th.num { "Rejected" } } }
            tbody { tr {
                td data-label="Rows" { (r.rows) }
                td.num data-label="Created" { (r.created) }
                td.num data-label="Updated" { (r.updated) }
                td.num data-label="Unchanged" { (r.unchanged) }
                td.num data-label="Erased people (not stored)" { (r.suppressed) }
                td.num data-label="Rejected" { (r.rejected) }
            } }
        } }
        @if !r.notes.is_empty() {
            section aria-labelledby="notes-h" {
                h2 #notes-h { "Notes" }
                ul { @for n in &r.notes { li { (n) } } }
            }
        }
        @if !r.rejected_rows.is_empty() {
            section aria-labelledby="rejected-h" {
                h2 #rejected-h { "Rejected rows" }
                p.muted { "The other rows were imported. Fix these rows in the file and import it again: rows already imported stay unchanged." }
                div.table-wrap { table {
                    thead { tr { th.num { "Line" } th { "Column" } th { "Field" } th { "Reason" } } }
                    tbody {
                        @for row in &r.rejected_rows {
                            @for (i, f) in row.fields.iter().enumerate() {
                                tr {
                                    td.num data-label="Line" { @if i == 0 { (row.line) } }
                                    td data-label="Column" { @if let Some(c) = f.column { (c) } }
                                    td data-label="Field" { (f.field.as_deref().unwrap_or("(the row)")) }
                                    td data-label="Reason" { (f.reason) }
                                }
                            }
                        }
                    }
                } }
                @if r.rejected_not_listed > 0 { p.muted { "… and " (r.rejected_not_listed) " more rejected rows not listed." } }
            }
        }
        p { a href="/import" { "Import another file" } }
    }
}

fn refused(signed: &Signed, status: StatusCode, filled: &Filled, message: &str) -> Response {
    let mut resp = page::shell(signed, "Import", "/import", form(signed, filled, Some(message)));
    *resp.status_mut() = status;
    resp
}

/// `POST /import`: the multipart form (csrf, file, kind, mapping, delimiter, custom_mapping).
pub async fn submit(State(web): State<Web>, signed: Signed, multipart: Result<Multipart, MultipartRejection>) -> Response {
    if let Err(r) = may_import(&signed) {
        return r;
    }
    let mut multipart = match multipart {
        Ok(m) => m,
        Err(e) => return page::error(StatusCode::BAD_REQUEST, "Not a file upload", &e.body_text()),
    };
    let mut csrf = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut kind_text = String::new();
    let mut filled = Filled::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                let mb = leadrank_service::import::MAX_IMPORT_BYTES >> 20;
                return page::error(StatusCode::PAYLOAD_TOO_LARGE, "File too large", &format!("An import is at most {mb} MB."));
            }
            Err(e) => return page::error(StatusCode::BAD_REQUEST, "The form could not be read", &e.body_text()),
        };
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes = match field.bytes().await {
            Ok(b) => b,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                let mb = leadrank_service::import::MAX_IMPORT_BYTES >> 20;
                return page::error(StatusCode::PAYLOAD_TOO_LARGE, "File too large", &format!("An import is at most {mb} MB."));
            }
            Err(e) => return page::error(StatusCode::BAD_REQUEST, "The form could not be read", &e.body_text()),
        };
        let text = || String::from_utf8_lossy(&bytes).into_owned();
        match name.as_str() {
            "csrf" => csrf = text(),
            "file" => file = Some((file_name.filter(|n| !n.trim().is_empty()).unwrap_or_else(|| "upload.csv".into()), bytes.to_vec())),
            "kind" => kind_text = text(),
            "mapping" => filled.mapping = text(),
            "delimiter" => filled.delimiter = text(),
            "custom_mapping" => filled.custom = text(),
            _ => {}
        }
    }
    if let Err(r) = signed.check_csrf(&csrf) {
        return r;
    }
    let kind = match kind_text.parse::<ImportKind>() {
        Ok(k) => k,
        Err(e) => return refused(&signed, StatusCode::UNPROCESSABLE_ENTITY, &filled, &e),
    };
    filled.kind = Some(kind);
    let delimiter = match filled.delimiter.as_str() {
        "" => Ok(Delimiter::Auto),
        d => d.parse::<Delimiter>(),
    };
    let delimiter = match delimiter {
        Ok(d) => d,
        Err(e) => return refused(&signed, StatusCode::UNPROCESSABLE_ENTITY, &filled, &e),
    };
    let Some((file_name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return refused(&signed, StatusCode::UNPROCESSABLE_ENTITY, &filled, "choose a CSV file to import (the one chosen is empty)");
    };
    let mapping = match (filled.mapping.trim(), filled.custom.trim()) {
        ("", "") => ImportMapping::Columns,
        ("", custom) => ImportMapping::Custom { name: "custom mapping".into(), text: custom.to_string() },
        (name, _) => ImportMapping::Preset(name.to_string()),
    };
    let request = ImportRequest { kind, bytes: &bytes, file_name: &file_name, delimiter, mapping };
    match web.service.import_csv(request, &format!("user:{}", signed.username())).await {
        Ok(report) => page::shell(&signed, "Import", "/import", report_view(&file_name, &report)),
        Err(ServiceError::Invalid(m)) => refused(&signed, StatusCode::UNPROCESSABLE_ENTITY, &filled, &m),
        Err(e) => page::failed(e, "importing the file"),
    }
}
