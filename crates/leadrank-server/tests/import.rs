//! `POST /v1/imports/{kind}` in process over real TCP: a CRM export as `text/csv` through a
//! built-in mapping and as a multipart form with a mapping of one's own, the report of every
//! row, a second run changing nothing, and the refusals (413, 415, 403, a bad mapping name
//! naming the valid ones, a bad kind).

mod common;
use common::Server;

const HUBSPOT_CONTACTS: &str = include_str!("../../leadrank-cli/tests/fixtures/crm/hubspot-contacts.csv");

const BOUNDARY: &str = "leadrank-import-test";

/// A multipart/form-data body of (name, file name, content) parts.
fn multipart(parts: &[(&str, Option<&str>, &str)]) -> String {
    let mut body = String::new();
    for (name, file_name, content) in parts {
        body.push_str(&format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\""));
        if let Some(f) = file_name {
            body.push_str(&format!("; filename=\"{f}\"\r\nContent-Type: text/csv"));
        }
        body.push_str(&format!("\r\n\r\n{content}\r\n"));
    }
    body.push_str(&format!("--{BOUNDARY}--\r\n"));
    body
}

const FORM: &str = "multipart/form-data; boundary=leadrank-import-test";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crm_export_imports_with_a_report_of_every_row() {
    let srv = Server::start().await;
    let ingest = srv.key(&["ingest"]).await;
    let path = "/v1/imports/leads?mapping=hubspot-contacts";
    let (s, h, v) = srv.send_typed("POST", path, &ingest, Some("text/csv; charset=utf-8"), HUBSPOT_CONTACTS).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(h["content-type"], "application/json");
    assert_eq!((v["rows"].as_u64(), v["created"].as_u64(), v["rejected"].as_u64()), (Some(5), Some(5), Some(0)), "{v}");
    assert_eq!(v["mapping"], "hubspot-contacts");
    let (s, _, lead) = srv.call("GET", "/v1/leads/51", Some(&srv.admin), None).await;
    assert_eq!(s, 200, "{lead}");
    assert_eq!(lead["lead"]["email"], "dana.reyes@northwind-analytics.com", "{lead}");

    // Again: nothing changes.
    let (s, _, v) = srv.send_typed("POST", path, &ingest, Some("text/csv"), HUBSPOT_CONTACTS).await;
    assert_eq!((s, v["unchanged"].as_u64(), v["created"].as_u64(), v["updated"].as_u64()), (200, Some(5), Some(0), Some(0)), "{v}");

    // A row with several bad fields is named field by field; the others are kept.
    let header = HUBSPOT_CONTACTS.lines().next().unwrap();
    let bad = format!(
        "{header}\n70,Al,Bo,al@bo.example,,Bo,CEO,Lead,New,last tuesday,,Germany,,lots,,,,,,\n71,Cy,,cy@bo.example,,,,,,,,,,,,,,,,\n"
    );
    let (s, _, v) = srv.send_typed("POST", path, &ingest, Some("text/csv"), &bad).await;
    assert_eq!((s, v["created"].as_u64(), v["rejected"].as_u64()), (200, Some(1), Some(1)), "{v}");
    let row = &v["rejected_rows"][0];
    assert_eq!(row["line"], 2);
    assert_eq!(row["fields"][0]["field"], "Create Date (created_at)", "{v}");
    assert_eq!(row["fields"][1]["field"], "Number of Employees (employees)", "{v}");
    assert_eq!(row["fields"][1]["column"], 14, "{v}");

    // A mapping of one's own, in a multipart form; `;`-separated.
    let mapping = "[mapping]\nname = \"contacts-min\"\n\n[leads.fields]\nlead_id = \"Contact\"\nemail = \"Mail\"\n";
    let csv = "Contact;Mail\nm1;m1@acme.example\nm2;m2@acme.example\n";
    let body = multipart(&[("file", Some("mine.csv"), csv), ("mapping", None, mapping)]);
    let (s, _, v) = srv.send_typed("POST", "/v1/imports/leads?delimiter=semicolon", &ingest, Some(FORM), &body).await;
    assert_eq!((s, v["created"].as_u64(), v["mapping"].as_str()), (200, Some(2), Some("contacts-min")), "{v}");
    // A custom mapping with an error names its line and key.
    let body = multipart(&[("file", Some("mine.csv"), csv), ("mapping", Some("mine.toml"), "[leads.fields]\nlead_id = \"Kontakt\"\n")]);
    let (s, h, v) = srv.send_typed("POST", "/v1/imports/leads", &ingest, Some(FORM), &body).await;
    assert_eq!(s, 422, "{v}");
    assert_eq!(h["content-type"], "application/problem+json");
    assert!(
        v["detail"].as_str().unwrap().starts_with("mine.toml:2: leads.fields.lead_id.from: column 'Kontakt' is not in mine.csv"),
        "{v}"
    );
    // A form without the file.
    let (s, _, v) = srv.send_typed("POST", "/v1/imports/leads", &ingest, Some(FORM), &multipart(&[("mapping", None, mapping)])).await;
    assert_eq!((s, v["pointer"].as_str()), (400, Some("/form/file")), "{v}");

    // The import is audited with the key.
    let (_, _, audit) = srv.call("GET", "/v1/audit", Some(&srv.admin), None).await;
    let text = audit.to_string();
    assert!(text.contains("leads: 5 rows, 5 created"), "{text}");
    srv.stop.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imports_are_refused_with_problems_naming_what_is_wrong() {
    let srv = Server::start().await;
    let ingest = srv.key(&["ingest"]).await;
    let reader = srv.key(&["read"]).await;

    let (s, _, v) = srv.send_typed("POST", "/v1/imports/leads?mapping=hubspot-contacts", &reader, Some("text/csv"), HUBSPOT_CONTACTS).await;
    assert_eq!(s, 403, "{v}");
    assert!(v["detail"].as_str().unwrap().contains("'ingest' scope"), "{v}");

    let (s, h, v) = srv.send_typed("POST", "/v1/imports/leads", &ingest, Some("application/json"), "{}").await;
    assert_eq!((s, v["pointer"].as_str()), (415, Some("/headers/content-type")), "{v}");
    assert_eq!(h["content-type"], "application/problem+json");

    let (s, _, v) = srv.send_typed("POST", "/v1/imports/leads?mapping=hubspot", &ingest, Some("text/csv"), HUBSPOT_CONTACTS).await;
    assert_eq!(s, 422, "{v}");
    let detail = v["detail"].as_str().unwrap();
    assert!(detail.contains("'hubspot' is not a built-in mapping") && detail.contains("hubspot-contacts, salesforce-leads"), "{v}");

    let (s, _, v) = srv.send_typed("POST", "/v1/imports/people", &ingest, Some("text/csv"), HUBSPOT_CONTACTS).await;
    assert_eq!((s, v["pointer"].as_str()), (400, Some("/path/kind")), "{v}");
    let (s, _, v) = srv.send_typed("POST", "/v1/imports/leads?delimiter=colon", &ingest, Some("text/csv"), HUBSPOT_CONTACTS).await;
    assert_eq!((s, v["pointer"].as_str()), (400, Some("/query/delimiter")), "{v}");

    // Latin-1 in the header: the file cannot be read, and the problem says so.
    let resp = srv
        .client
        .post(format!("{}/v1/imports/leads", srv.base))
        .header("authorization", format!("Bearer {ingest}"))
        .header("content-type", "text/csv")
        .body(b"lead_id,soci\xe9t\xe9\n1,Acme\n".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 422);
    let v: serde_json::Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
    let detail = v["detail"].as_str().unwrap();
    assert!(detail.starts_with("upload.csv:1: cannot read the header: not UTF-8") && detail.contains("Latin-1"), "{v}");

    let big = format!("{}\n", "x".repeat(21 * 1024 * 1024));
    let (s, h, v) = srv.send_typed("POST", "/v1/imports/leads", &ingest, Some("text/csv"), &big).await;
    assert_eq!(s, 413, "{v}");
    assert_eq!(h["content-type"], "application/problem+json");
    let big_form = multipart(&[("file", Some("big.csv"), &big)]);
    let (s, _, v) = srv.send_typed("POST", "/v1/imports/leads", &ingest, Some(FORM), &big_form).await;
    assert_eq!(s, 413, "{v}");
    srv.stop.cancel();
}
