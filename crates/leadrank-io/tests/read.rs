//! Readers on realistic and broken files: bad rows are reported with file, line and column,
//! good rows are kept, and CSV files round-trip.

use std::io::Write as _;
use std::path::PathBuf;

use leadrank_core::Lead;
use leadrank_core::engine::DatasetBuilder;
use leadrank_core::model::builtin::default_model;
use leadrank_io::read::{InputFormat, LoadReport, load_events, load_leads};
use leadrank_io::write::write_leads_csv;
use proptest::prelude::*;

fn file(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::File::create(&p).unwrap().write_all(text.as_bytes()).unwrap();
    p
}

#[test]
fn bad_rows_are_reported_and_good_rows_kept() {
    let dir = tempfile::tempdir().unwrap();
    let leads = file(
        &dir,
        "leads.csv",
        "lead_id,email,employees,consent,created_at,seats\n\
         L1,a@acme.io,250,yes,2026-01-02,3\n\
         ,b@acme.io,10,no,,\n\
         L3,c@acme.io,many,no,,\n\
         L4,d@acme.io,5,maybe,,\n\
         L5,e@acme.io,5,no,02/01/2026,\n\
         L1,dup@acme.io,5,no,,\n\
         L6,\"multi\nline@acme.io\",7,1,,\n\
         L7,short\n",
    );
    let events = file(
        &dir,
        "events.csv",
        "event_id,lead_id,type,occurred_at,url,properties\n\
         e1,L1,page_view,2026-06-01T00:00:00Z,/pricing,\n\
         e1,L1,page_view,2026-06-01T00:00:00Z,/pricing,\n\
         e2,NOPE,page_view,2026-06-01T00:00:00Z,/pricing,\n\
         e3,L1,page_view,yesterday,/pricing,\n\
         e4,L6,feature_used,2026-06-01T00:00:00Z,,\"{\"\"feature\"\": \"\"api\"\"}\"\n\
         e5,L6,feature_used,2026-06-01T00:00:00Z,,not json\n\
         ,L6,page_view,2026-06-01T00:00:00Z,,\n",
    );
    let model = default_model();
    let mut b = DatasetBuilder::new(&model);
    let mut report = LoadReport::default();
    load_leads(&leads, InputFormat::CSV, &mut b, &model, &mut report).unwrap();
    load_events(&events, InputFormat::CSV, &mut b, &model, &mut report, &mut |_| {}).unwrap();
    let f = leads.display().to_string();
    let g = events.display().to_string();
    let got: Vec<String> = report.rejected.iter().map(|r| r.to_string()).collect();
    let want = vec![
        format!("{f}:3:1: lead_id: is required"),
        format!("{f}:4:3: employees: 'many' is not an integer"),
        format!("{f}:5:4: consent: 'maybe' is not a boolean (use true/false, yes/no or 1/0)"),
        format!("{f}:6:5: created_at: '02/01/2026' is not an RFC 3339 time or a YYYY-MM-DD date"),
        format!("{f}:7:1: lead_id: lead_id 'L1' appears twice (lead ids must be unique)"),
        format!("{f}:10: has 2 fields but the header has 6"),
        format!("{g}:4:2: lead_id: lead_id 'NOPE' is not in the leads input"),
        format!("{g}:5:4: occurred_at: 'yesterday' is not an RFC 3339 time or a YYYY-MM-DD date"),
        format!("{g}:7:6: properties: is not a JSON object: expected ident at line 1 column 2"),
        format!("{g}:8:1: event_id: is required"),
    ];
    assert_eq!(got, want);
    assert_eq!((report.leads, report.events, report.duplicate_events), (2, 2, 1));
    let d = b.build();
    assert_eq!(d.leads[1].email.as_deref(), Some("multi\nline@acme.io"));
}

#[test]
fn json_lines_accept_typed_values_and_report_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let leads = file(
        &dir,
        "leads.jsonl",
        "{\"lead_id\": \"L1\", \"employees\": 300, \"consent\": true, \"tech_stack\": [\"Salesforce\", \"Segment\"]}\n\
         \n\
         not json\n\
         [1, 2]\n\
         {\"lead_id\": 7, \"employees\": \"x\"}\n",
    );
    let model = default_model();
    let mut b = DatasetBuilder::new(&model);
    let mut report = LoadReport::default();
    load_leads(&leads, InputFormat::JsonLines, &mut b, &model, &mut report).unwrap();
    let got: Vec<String> = report.rejected.iter().map(|r| r.to_string()).collect();
    let f = leads.display();
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(got[0].starts_with(&format!("{f}:3: is not valid JSON")), "{got:?}");
    assert_eq!(got[1], format!("{f}:4: is not a JSON object"));
    assert_eq!(got[2], format!("{f}:5: employees: 'x' is not an integer"));
    let d = b.build();
    assert_eq!(d.leads[0].tech_stack, vec!["Salesforce", "Segment"]);
    assert_eq!(d.leads[0].consent, Some(true));
}

#[test]
fn a_missing_required_column_is_a_file_error() {
    let dir = tempfile::tempdir().unwrap();
    let events = file(&dir, "events.csv", "id,lead_id,type,occurred_at\n");
    let model = default_model();
    let mut b = DatasetBuilder::new(&model);
    let err = load_events(&events, InputFormat::CSV, &mut b, &model, &mut LoadReport::default(), &mut |_| {}).unwrap_err();
    assert!(err.to_string().contains(":1: the header has no 'event_id' column (found: id,lead_id,type,occurred_at); "), "{err}");
}

fn text() -> impl Strategy<Value = Option<String>> {
    // Printable text with commas, quotes, newlines and non-Latin letters; trimmed like the reader.
    prop::option::of("[a-zA-Z0-9 ,\"'é漢\\n@.+-]{0,12}").prop_map(|o| o.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()))
}

fn lead_strategy() -> impl Strategy<Value = Lead> {
    (
        "[A-Za-z0-9_-]{1,10}",
        text(),
        text(),
        prop::option::of(0i64..1_000_000),
        prop::option::of(any::<bool>()),
        prop::option::of(0i64..4_000_000_000),
        prop::collection::vec("[A-Za-z][A-Za-z0-9 ]{0,8}[A-Za-z0-9]", 0..3),
        text(),
    )
        .prop_map(|(id, email, title, employees, consent, created, tech, seats)| Lead {
            lead_id: id,
            email: email.map(Into::into),
            title: title.map(Into::into),
            employees,
            consent,
            created_at: created.map(|s| jiff::Timestamp::from_second(s).unwrap()),
            tech_stack: tech,
            custom: seats.map(|s| vec![("seats".to_string(), s)]).unwrap_or_default(),
            ..Lead::default()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn leads_round_trip_through_csv(leads in prop::collection::vec(lead_strategy(), 1..20)) {
        let mut unique = std::collections::HashSet::new();
        let leads: Vec<Lead> = leads.into_iter().filter(|l| unique.insert(l.lead_id.clone())).collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("leads.csv");
        let mut buf = Vec::new();
        write_leads_csv(&mut buf, &leads, &["seats".to_string()]).unwrap();
        std::fs::write(&path, &buf).unwrap();
        let model = default_model();
        let mut b = DatasetBuilder::new(&model);
        let mut report = LoadReport::default();
        load_leads(&path, InputFormat::CSV, &mut b, &model, &mut report).unwrap();
        prop_assert!(report.rejected.is_empty(), "{:?}", report.rejected);
        prop_assert_eq!(b.build().leads, leads);
    }
}

fn csv_like() -> impl Strategy<Value = Vec<u8>> {
    let header = prop::sample::select(vec![
        &b"event_id,lead_id,type,occurred_at,url,properties\n"[..],
        &b"lead_id,email,employees,consent,tech_stack\n"[..],
        &b""[..],
    ]);
    let body = prop::collection::vec(prop::sample::select(b"ab,\"\n\r{}:1Z-T;\xff\xc3 L0e".to_vec()), 0..300);
    (header, body).prop_map(|(h, b)| [h.to_vec(), b].concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]
    /// Any bytes: rows are accepted or reported, never a panic.
    #[test]
    fn readers_never_panic(data in prop::strategy::Union::new(vec![csv_like().boxed(), prop::collection::vec(any::<u8>(), 0..400).boxed()])) {
        let dir = tempfile::tempdir().unwrap();
        let model = default_model();
        for (name, format) in [("x.csv", InputFormat::CSV), ("x.jsonl", InputFormat::JsonLines)] {
            let path = dir.path().join(name);
            std::fs::write(&path, &data).unwrap();
            let mut b = DatasetBuilder::new(&model);
            let mut report = LoadReport::default();
            let _ = load_leads(&path, format, &mut b, &model, &mut report);
            let _ = load_events(&path, format, &mut b, &model, &mut report, &mut |_| {});
            let _ = b.build();
        }
    }
}

#[test]
fn consent_records_are_read_and_bad_rows_reported() {
    use leadrank_io::read::load_consents;
    let dir = tempfile::tempdir().unwrap();
    let leads = file(&dir, "leads.csv", "lead_id,consent\nL1,yes\nL2,no\n");
    let consents = file(
        &dir,
        "consents.csv",
        "lead_id,purpose,status,source,at\n\
         L1,marketing,granted,form,2026-01-01\n\
         L1,marketing,maybe,form,2026-02-01\n\
         NOPE,marketing,granted,crm,2026-02-01\n\
         L1,marketing,withdrawn,email_link,2026-03-01T09:30:00Z\n\
         L2,analytics,granted,,2026-03-01\n\
         L2,marketing,granted,import,\n",
    );
    let model = default_model();
    let mut b = DatasetBuilder::new(&model);
    let mut report = LoadReport::default();
    load_leads(&leads, InputFormat::CSV, &mut b, &model, &mut report).unwrap();
    load_consents(&consents, InputFormat::CSV, &mut b, &mut report).unwrap();
    let f = consents.display().to_string();
    let got: Vec<String> = report.rejected.iter().map(|r| r.to_string()).collect();
    assert_eq!(
        got,
        vec![
            format!("{f}:3:3: status: 'maybe' is not a consent status (granted, withdrawn, denied)"),
            format!("{f}:4:1: lead_id: lead_id 'NOPE' is not in the leads input"),
            format!("{f}:7:5: at: is required"),
        ]
    );
    assert_eq!(report.consents, 3);
    let d = b.build();
    let t: jiff::Timestamp = "2026-06-30T12:00:00Z".parse().unwrap();
    let (granted, at) = d.consent_at(0, t).unwrap();
    assert!(!granted, "withdrawn after granted");
    assert_eq!(at.to_string(), "2026-03-01T09:30:00Z");
    assert_eq!((d.consent_at(1, t), d.leads[1].consent), (None, Some(false)), "an analytics record leaves the flag alone");
    assert_eq!(d.consents[2].source, None);

    // JSON Lines: line numbers, no columns.
    let jsonl = file(
        &dir,
        "consents.jsonl",
        "{\"lead_id\": \"L2\", \"purpose\": \"marketing\", \"status\": \"granted\", \"at\": \"2026-04-01\"}\n\
         {\"lead_id\": \"L2\", \"purpose\": \"marketing\", \"status\": \"perhaps\", \"at\": \"2026-04-02\"}\n",
    );
    let mut b = DatasetBuilder::new(&model);
    let mut report = LoadReport::default();
    load_leads(&leads, InputFormat::CSV, &mut b, &model, &mut report).unwrap();
    load_consents(&jsonl, InputFormat::JsonLines, &mut b, &mut report).unwrap();
    let g = jsonl.display().to_string();
    let got: Vec<String> = report.rejected.iter().map(|r| r.to_string()).collect();
    assert_eq!(got, vec![format!("{g}:2: status: 'perhaps' is not a consent status (granted, withdrawn, denied)")]);
    assert_eq!(b.build().consent_at(1, "2026-06-30T12:00:00Z".parse().unwrap()).map(|c| c.0), Some(true));
}

#[test]
fn nul_bytes_and_negative_counts_reject_their_row_only() {
    let dir = tempfile::tempdir().unwrap();
    let leads = file(
        &dir,
        "leads.csv",
        "lead_id,email,employees,annual_revenue,timeline_days\n\
         L1,a@acme.io,10,1000,30\n\
         L\u{0}2,b@acme.io,,,\n\
         L3,c@ac\u{0}me.io,,,\n\
         L4,d@acme.io,-1,,\n\
         L5,e@acme.io,,-2.5,\n\
         L6,f@acme.io,,,-7\n",
    );
    let events = file(
        &dir,
        "events.csv",
        "event_id,lead_id,type,occurred_at,url,properties\n\
         e1,L1,page_view,2026-06-01T00:00:00Z,/pricing,\n\
         e\u{0}2,L1,page_view,2026-06-01T00:00:00Z,,\n\
         e3,L1,page_view,2026-06-01T00:00:00Z,/a\u{0},\n\
         e4,L1,feature_used,2026-06-01T00:00:00Z,,\"{\"\"feature\"\": \"\"a\\u0000\"\"}\"\n\
         e5,L1,feature_used,2026-06-01T00:00:00Z,,\"{\"\"path\"\": \"\"C:\\\\u0000\"\"}\"\n",
    );
    let model = default_model();
    let mut b = DatasetBuilder::new(&model);
    let mut report = LoadReport::default();
    load_leads(&leads, InputFormat::CSV, &mut b, &model, &mut report).unwrap();
    load_events(&events, InputFormat::CSV, &mut b, &model, &mut report, &mut |_| {}).unwrap();
    let (f, g) = (leads.display().to_string(), events.display().to_string());
    let nul = "contains a NUL byte (\\0), which no text value may hold";
    let got: Vec<String> = report.rejected.iter().map(|r| r.to_string()).collect();
    assert_eq!(
        got,
        vec![
            format!("{f}:3:1: lead_id: {nul}"),
            format!("{f}:4:2: email: {nul}"),
            format!("{f}:5:3: employees: '-1' must be zero or more"),
            format!("{f}:6:4: annual_revenue: '-2.5' must be zero or more"),
            format!("{f}:7:5: timeline_days: '-7' must be zero or more"),
            format!("{g}:3:1: event_id: {nul}"),
            format!("{g}:4:5: url: {nul}"),
            format!("{g}:5:6: properties: {nul}"),
        ]
    );
    assert_eq!((report.leads, report.events), (1, 2));

    // JSON Lines give the same answer, with a NUL written as an escape.
    let jsonl = file(&dir, "leads.jsonl", "{\"lead_id\": \"L\\u0000\"}\n{\"lead_id\": \"L9\", \"employees\": -3}\n");
    let mut b = DatasetBuilder::new(&model);
    let mut report = LoadReport::default();
    load_leads(&jsonl, InputFormat::JsonLines, &mut b, &model, &mut report).unwrap();
    let j = jsonl.display().to_string();
    let got: Vec<String> = report.rejected.iter().map(|r| r.to_string()).collect();
    assert_eq!(got, vec![format!("{j}:1: lead_id: {nul}"), format!("{j}:2: employees: '-3' must be zero or more")]);
}

#[test]
fn a_rejected_row_names_every_bad_field() {
    let dir = tempfile::tempdir().unwrap();
    let leads = file(
        &dir,
        "leads.csv",
        "lead_id,email,employees,consent,created_at,timeline_days\n\
         ,a@acme.io,many,maybe,02/01/2026,-3\n\
         L2,b@acme.io,5,yes,2026-01-02,\n",
    );
    let events = file(
        &dir,
        "events.csv",
        "event_id,lead_id,type,occurred_at,url,properties\n\
         ,L2,,yesterday,/a,not json\n\
         e2,L2,page_view,2026-06-01T00:00:00Z,/b,\n\
         e3,NOPE,page_view,2026-06-01T00:00:00Z,/b,\n",
    );
    let model = default_model();
    let mut b = DatasetBuilder::new(&model);
    let mut report = LoadReport::default();
    load_leads(&leads, InputFormat::CSV, &mut b, &model, &mut report).unwrap();
    load_events(&events, InputFormat::CSV, &mut b, &model, &mut report, &mut |_| {}).unwrap();
    let (f, g) = (leads.display().to_string(), events.display().to_string());
    assert_eq!(report.rejected.len(), 3, "one entry per rejected row");
    let lines: Vec<String> = report.rejected.iter().flat_map(|r| r.lines()).collect();
    assert_eq!(
        lines,
        vec![
            format!("{f}:2:1: lead_id: is required"),
            format!("{f}:2:3: employees: 'many' is not an integer"),
            format!("{f}:2:4: consent: 'maybe' is not a boolean (use true/false, yes/no or 1/0)"),
            format!("{f}:2:5: created_at: '02/01/2026' is not an RFC 3339 time or a YYYY-MM-DD date"),
            format!("{f}:2:6: timeline_days: '-3' must be zero or more"),
            format!("{g}:2:1: event_id: is required"),
            format!("{g}:2:3: type: is required"),
            format!("{g}:2:4: occurred_at: 'yesterday' is not an RFC 3339 time or a YYYY-MM-DD date"),
            format!("{g}:2:6: properties: is not a JSON object: expected ident at line 1 column 2"),
            format!("{g}:4:2: lead_id: lead_id 'NOPE' is not in the leads input"),
        ]
    );
    assert_eq!(report.rejected[0].to_string(), lines[..5].join("\n"), "Display gives every field, one per line");
    assert_eq!((report.leads, report.events), (1, 1));

    // The row reader (JSON Lines) names the same fields as the parallel CSV reader.
    let jsonl = file(
        &dir,
        "events.jsonl",
        "{\"event_id\": \"\", \"lead_id\": \"L2\", \"type\": \"\", \"occurred_at\": \"yesterday\", \"url\": \"/a\", \"properties\": \"not json\"}\n",
    );
    let mut report = LoadReport::default();
    load_events(&jsonl, InputFormat::JsonLines, &mut b, &model, &mut report, &mut |_| {}).unwrap();
    assert_eq!(report.rejected[0].lines().count(), 4);
    let mut json_fields: Vec<String> = std::iter::once(report.rejected[0].field.clone().unwrap())
        .chain(report.rejected[0].more.iter().map(|p| p.field.clone().unwrap()))
        .collect();
    json_fields.sort();
    assert_eq!(json_fields, vec!["event_id", "occurred_at", "properties", "type"]);
}
