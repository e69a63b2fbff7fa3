//! Bulk import of CRM exports through mappings, on both back ends (see `tests/service.rs`
//! for the PostgreSQL setting): HubSpot- and Salesforce-shaped files (the command line's
//! fixtures), a `;`-separated file with a byte order mark, Latin-1, rows with several bad
//! fields, a second run changing nothing, mapping errors that name what is wrong, the audit.

use std::sync::Arc;

use jiff::Timestamp;
use leadrank_service::clock::ManualClock;
use leadrank_service::import::{Delimiter, ImportKind, ImportMapping, ImportReport, ImportRequest};
use leadrank_service::metrics::Metrics;
use leadrank_service::service::{Service, ServiceError};
use leadrank_testkit::Backend;

const HUBSPOT_CONTACTS: &str = include_str!("../../leadrank-cli/tests/fixtures/crm/hubspot-contacts.csv");
const SALESFORCE_LEADS: &str = include_str!("../../leadrank-cli/tests/fixtures/crm/salesforce-leads.csv");
const SALESFORCE_ACCOUNTS: &str = include_str!("../../leadrank-cli/tests/fixtures/crm/salesforce-accounts.csv");

async fn start(backend: &Backend) -> Arc<Service> {
    let clock = Arc::new(ManualClock::new("2026-07-01T09:00:00Z".parse::<Timestamp>().unwrap()));
    Service::start(backend.open().await, clock, Arc::new(Metrics::new())).await.unwrap()
}

fn request<'a>(kind: ImportKind, bytes: &'a [u8], mapping: ImportMapping) -> ImportRequest<'a> {
    ImportRequest { kind, bytes, file_name: "export.csv", delimiter: Delimiter::Auto, mapping }
}

fn preset(name: &str) -> ImportMapping {
    ImportMapping::Preset(name.into())
}

/// (created, updated, unchanged, rejected)
fn counts(r: &ImportReport) -> (u64, u64, u64, u64) {
    (r.created, r.updated, r.unchanged, r.rejected)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crm_exports_import_through_their_mappings() {
    for backend in Backend::all("import").await {
        crm_exports(&backend).await;
        backend.drop_schema().await;
    }
}

async fn crm_exports(backend: &Backend) {
    let svc = start(backend).await;
    let r = svc.import_csv(request(ImportKind::Leads, HUBSPOT_CONTACTS.as_bytes(), preset("hubspot-contacts")), "user:rev").await.unwrap();
    assert_eq!(r.rows, 5);
    assert_eq!(counts(&r), (5, 0, 0, 0), "{:?}", r.rejected_rows);
    assert_eq!(r.mapping.as_deref(), Some("hubspot-contacts"));
    let dana = svc.lead_record("51").expect("lead 51 imported");
    assert_eq!(dana.email.as_deref(), Some("dana.reyes@northwind-analytics.com"));
    assert_eq!(dana.employees, Some(100), "the low bound of HubSpot's range");
    assert!(svc.score_now("51").is_some(), "imported leads are scored");

    // The same file again changes nothing; an edited row is an update.
    let again =
        svc.import_csv(request(ImportKind::Leads, HUBSPOT_CONTACTS.as_bytes(), preset("hubspot-contacts")), "user:rev").await.unwrap();
    assert_eq!(counts(&again), (0, 0, 5, 0));
    let edited = HUBSPOT_CONTACTS.replace("VP of Revenue Operations", "Chief Revenue Officer");
    let edited = svc.import_csv(request(ImportKind::Leads, edited.as_bytes(), preset("hubspot-contacts")), "user:rev").await.unwrap();
    assert_eq!(counts(&edited), (0, 1, 4, 0));
    assert_eq!(svc.lead_record("51").unwrap().title.as_deref(), Some("Chief Revenue Officer"));

    // Salesforce, `;`-separated with a byte order mark (every field is quoted in the export).
    let semicolons = format!("\u{feff}{}", SALESFORCE_LEADS.replace("\",\"", "\";\""));
    let r = svc.import_csv(request(ImportKind::Leads, semicolons.as_bytes(), preset("salesforce-leads")), "user:rev").await.unwrap();
    assert_eq!(counts(&r), (4, 0, 0, 0), "{:?}", r.rejected_rows);
    assert_eq!(svc.lead_record("00Q5e00000AbCd4").unwrap().employees, Some(2300));
    let commas =
        svc.import_csv(request(ImportKind::Leads, SALESFORCE_LEADS.as_bytes(), preset("salesforce-leads")), "user:rev").await.unwrap();
    assert_eq!(counts(&commas), (0, 0, 4, 0), "the same records whatever the separator");

    let r = svc
        .import_csv(request(ImportKind::Accounts, SALESFORCE_ACCOUNTS.as_bytes(), preset("salesforce-accounts")), "user:rev")
        .await
        .unwrap();
    assert_eq!(counts(&r), (3, 0, 0, 0), "{:?}", r.rejected_rows);
    assert!(svc.account_record("0015e00000Acc01").is_some());

    // Audited with the actor and counts, no personal data.
    let audit = svc.audit_log(10).await.unwrap();
    let imports: Vec<_> = audit.iter().filter(|e| e.action == "import").collect();
    assert_eq!(imports.len(), 6);
    assert!(imports.iter().all(|e| e.actor == "user:rev"));
    assert!(
        imports
            .iter()
            .any(|e| e.detail == "leads: 5 rows, 0 created, 0 updated, 5 unchanged, 0 suppressed, 0 rejected; mapping hubspot-contacts")
    );
    assert!(audit.iter().all(|e| !e.detail.contains('@') && !e.detail.contains("Dana")), "{audit:?}");
    svc.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_rows_are_named_field_by_field_and_the_good_rows_kept() {
    let backend = Backend::Sqlite(tempfile::tempdir().unwrap());
    let svc = start(&backend).await;
    let header = HUBSPOT_CONTACTS.lines().next().unwrap();
    let good = HUBSPOT_CONTACTS.lines().nth(1).unwrap();
    // Create Date, Number of Employees and Annual Revenue wrong on line 3.
    let bad = "60,Al,Bo,al@bo.example,,Bo,CEO,Lead,New,last tuesday,,Germany,,lots,\"ten\",,,,,";
    let text = format!("{header}\n{good}\n{bad}\n");
    let r = svc.import_csv(request(ImportKind::Leads, text.as_bytes(), preset("hubspot-contacts")), "user:rev").await.unwrap();
    assert_eq!((r.rows, r.created, r.rejected), (2, 1, 1));
    assert!(svc.lead_record("51").is_some(), "the good row is kept");
    let row = &r.rejected_rows[0];
    assert_eq!(row.line, 3);
    let named: Vec<&str> = row.fields.iter().map(|f| f.field.as_deref().unwrap_or("")).collect();
    assert_eq!(named, vec!["Create Date (created_at)", "Number of Employees (employees)", "Annual Revenue (annual_revenue)"], "{row:?}");
    assert_eq!(row.fields[0].column, Some(10));

    // Many bad rows: the list is capped, the rest counted.
    let mut many = format!("{header}\n");
    for i in 0..150 {
        many.push_str(&format!("{},,,,,,,,,bad date,,,,,,,,,,\n", 1000 + i));
    }
    let r = svc.import_csv(request(ImportKind::Leads, many.as_bytes(), preset("hubspot-contacts")), "user:rev").await.unwrap();
    assert_eq!((r.rejected, r.rejected_rows.len(), r.rejected_not_listed), (150, 100, 50));
    assert_eq!(r.rejected_rows[0].line, 2);

    // Latin-1: in the header the file cannot be read (a clear error); in a row, that row.
    let latin1_header = b"Record ID,Soci\xe9t\xe9\n1,a\n";
    let err = svc.import_csv(request(ImportKind::Leads, latin1_header, ImportMapping::Columns), "user:rev").await.unwrap_err();
    assert!(matches!(&err, ServiceError::Invalid(m) if m.contains("export.csv:1") && m.contains("Latin-1")), "{err}");
    let mut latin1_row = format!("{header}\n{good}\n").into_bytes();
    latin1_row.extend_from_slice(b"61,J\xf6rg,,,,,,,,,,,,,,,,,,\n");
    let r = svc.import_csv(request(ImportKind::Leads, &latin1_row, preset("hubspot-contacts")), "user:rev").await.unwrap();
    assert_eq!((r.unchanged, r.rejected), (1, 1));
    assert_eq!(r.rejected_rows[0].fields[0].reason, "is not valid UTF-8");
    assert_eq!(r.rejected_rows[0].fields[0].field.as_deref(), Some("First Name"));
    svc.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mapping_errors_name_what_is_wrong() {
    let backend = Backend::Sqlite(tempfile::tempdir().unwrap());
    let svc = start(&backend).await;
    let csv = HUBSPOT_CONTACTS.as_bytes();
    let err = svc.import_csv(request(ImportKind::Leads, csv, preset("hubspot")), "a").await.unwrap_err().to_string();
    assert!(
        err.contains("'hubspot' is not a built-in mapping") && err.contains("hubspot-contacts, salesforce-leads, salesforce-contacts"),
        "{err}"
    );
    let err = svc.import_csv(request(ImportKind::Leads, csv, preset("hubspot-companies")), "a").await.unwrap_err().to_string();
    assert!(err.contains("has no [leads] table (it maps accounts)"), "{err}");
    let custom =
        ImportMapping::Custom { name: "mine.toml".into(), text: "[leads]\n\n[leads.fields]\nlead_id = { form = \"Record ID\" }\n".into() };
    let err = svc.import_csv(request(ImportKind::Leads, csv, custom), "a").await.unwrap_err().to_string();
    assert!(err.starts_with("mine.toml:4: leads.fields.lead_id"), "{err}");
    let custom = ImportMapping::Custom { name: "mine.toml".into(), text: "[leads.fields]\nlead_id = \"Contact ID\"\n".into() };
    let err = svc.import_csv(request(ImportKind::Leads, csv, custom), "a").await.unwrap_err().to_string();
    assert!(err.starts_with("mine.toml:2: leads.fields.lead_id.from: column 'Contact ID' is not in export.csv"), "{err}");
    let custom =
        ImportMapping::Custom { name: "mine.toml".into(), text: "[leads.fields]\nlead_id = \"Record ID\"\nemail = \"Email\"\n".into() };
    let r = svc.import_csv(request(ImportKind::Leads, csv, custom), "a").await.unwrap();
    assert_eq!(r.created, 5);
    assert!(r.notes.iter().any(|n| n.contains("not read by the mapping")), "{:?}", r.notes);
    let err = svc.import_csv(request(ImportKind::Leads, csv, ImportMapping::Columns), "a").await.unwrap_err().to_string();
    assert!(err.contains("the header has no 'lead_id' column") && err.contains("hubspot-contacts"), "{err}");
    assert!(svc.audit_log(10).await.unwrap().iter().filter(|e| e.action == "import").count() == 1, "only the import that ran is audited");

    // Events of leads the service does not hold are rejected with their line.
    let events = "event_id,lead_id,type,occurred_at\ne1,51,page_view,2026-06-30T10:00:00Z\ne2,nobody,page_view,2026-06-30T10:00:00Z\ne1,51,page_view,2026-06-30T10:00:00Z\n";
    let r = svc.import_csv(request(ImportKind::Events, events.as_bytes(), ImportMapping::Columns), "a").await.unwrap();
    assert_eq!(counts(&r), (1, 0, 1, 1));
    assert_eq!(r.rejected_rows[0].line, 3);
    assert_eq!(r.rejected_rows[0].fields[0].field.as_deref(), Some("lead_id"));
    svc.shutdown().await;
}
