//! Files as other tools export them: `;`-separated with a byte order mark (European Excel),
//! tab-separated, `|`-separated; and files in an encoding the readers do not take, which
//! are refused with an error naming the file.

use std::collections::HashMap;
use std::path::PathBuf;

use leadrank_core::engine::DatasetBuilder;
use leadrank_core::model::builtin::default_model;
use leadrank_io::hygiene::remap_events;
use leadrank_io::read::{Delimiter, InputFormat, LoadReport, load_accounts, load_events, load_leads};
use leadrank_io::read_outcomes::read_outcomes;

fn file(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// A leads export from a German CRM via Excel: UTF-8 with a byte order mark, `;` between
/// fields, CRLF line ends, a quoted company name holding `;`, umlauts.
const EUROPEAN_LEADS: &str = "\u{feff}lead_id;email;first_name;last_name;company;country;employees;created_at\r\n\
L-1001;anna.mueller@bergmann-kg.de;Anna;Müller;\"Bergmann GmbH; Co. KG\";DE;250;2026-03-02\r\n\
L-1002;jörg@straße.example;Jörg;Weiß;Straße AG;AT;many;2026-03-03\r\n\
L-1003;c.dupont@societe.fr;Céline;Dupont;Société Générale;FR;12000;2026-03-04\r\n";

#[test]
fn a_semicolon_export_with_a_byte_order_mark_is_read_like_a_comma_file() {
    let dir = tempfile::tempdir().unwrap();
    let leads = file(&dir, "leads.csv", EUROPEAN_LEADS.as_bytes());
    let events = file(
        &dir,
        "events.csv",
        "\u{feff}event_id;lead_id;type;occurred_at;url;properties\r\n\
         e1;L-1001;page_view;2026-06-01T10:00:00Z;/preise;\r\n\
         e2;L-1003;form_submit;2026-06-02T10:00:00Z;/kontakt;\"{\"\"form\"\": \"\"demo\"\"}\"\r\n\
         e3;L-1001;page_view;gestern;/preise;\r\n"
            .as_bytes(),
    );
    let model = default_model();
    for format in [InputFormat::CSV, InputFormat::Csv(Delimiter::Semicolon)] {
        let mut b = DatasetBuilder::new(&model);
        let mut report = LoadReport::default();
        load_leads(&leads, format, &mut b, &model, &mut report).unwrap();
        load_events(&events, format, &mut b, &model, &mut report, &mut |_| {}).unwrap();
        let got: Vec<String> = report.rejected.iter().map(ToString::to_string).collect();
        let (f, g) = (leads.display(), events.display());
        assert_eq!(
            got,
            vec![
                format!("{f}:3:7: employees: 'many' is not an integer"),
                format!("{g}:4:4: occurred_at: 'gestern' is not an RFC 3339 time or a YYYY-MM-DD date"),
            ]
        );
        assert_eq!((report.leads, report.events), (2, 2));
        let d = b.build();
        assert_eq!(d.leads[0].lead_id, "L-1001", "the byte order mark is not part of the first name");
        assert_eq!(d.leads[0].company.as_deref(), Some("Bergmann GmbH; Co. KG"));
        assert_eq!(d.leads[0].last_name.as_deref(), Some("Müller"));
        assert_eq!(d.leads[1].country.as_deref(), Some("FR"));
    }
    // Forcing the wrong separator reads one column, and the header says so.
    let mut b = DatasetBuilder::new(&model);
    let err = load_leads(&leads, InputFormat::Csv(Delimiter::Comma), &mut b, &model, &mut LoadReport::default()).unwrap_err();
    assert!(err.to_string().contains("the header has no 'lead_id' column (found: lead_id;email;"), "{err}");
}

#[test]
fn tab_and_pipe_files_are_found_from_their_header() {
    let dir = tempfile::tempdir().unwrap();
    let tsv = file(
        &dir,
        "accounts.tsv",
        b"account_id\tname\tindustry\temployees\nA1\tAcme, Inc.\tsoftware\t120\nA2\tBeta \"Labs\"\tbiotech\t-4\n",
    );
    assert_eq!(InputFormat::from_path(&tsv).unwrap(), InputFormat::CSV);
    let model = default_model();
    let mut b = DatasetBuilder::new(&model);
    let mut report = LoadReport::default();
    load_accounts(&tsv, InputFormat::CSV, &mut b, &mut report).unwrap();
    let got: Vec<String> = report.rejected.iter().map(ToString::to_string).collect();
    assert_eq!(got, vec![format!("{}:3:4: employees: '-4' must be zero or more", tsv.display())]);
    let d = b.build();
    assert_eq!(d.accounts["A1"].name.as_deref(), Some("Acme, Inc."), "a comma in a tab file is text");

    let pipe = file(
        &dir,
        "outcomes.csv",
        b"opportunity_id|lead_id|account_id|created_at|closed_at|status|amount\no1|L1||2026-01-01|2026-02-01|won|1000\no2|||2026-01-01||maybe|-5\n",
    );
    let l = read_outcomes(&pipe, InputFormat::CSV).unwrap();
    assert_eq!(l.rows.len(), 1);
    let lines: Vec<String> = l.rejected[0].lines().collect();
    let p = pipe.display();
    assert_eq!(
        lines,
        vec![
            format!("{p}:3:2: lead_id: an opportunity needs a lead_id or an account_id"),
            format!("{p}:3:6: status: 'maybe' is not open, won or lost"),
            format!("{p}:3:7: amount: '-5' must be zero or more"),
        ]
    );
}

#[test]
fn moved_events_keep_their_files_separator() {
    let dir = tempfile::tempdir().unwrap();
    let p = file(&dir, "events.csv", "\u{feff}event_id;lead_id;type;occurred_at\ne1;L2;page_view;2026-01-01\n".as_bytes());
    let map: HashMap<String, String> = [("L2".to_string(), "L1".to_string())].into();
    let mut out = Vec::new();
    let r = remap_events(&p, InputFormat::CSV, &mut out, &map).unwrap();
    assert_eq!(r.moved, 1);
    assert_eq!(String::from_utf8(out).unwrap(), "event_id;lead_id;type;occurred_at;merged_from\ne1;L1;page_view;2026-01-01;L2\n");
}

#[test]
fn other_encodings_are_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let model = default_model();
    // What Excel's "Unicode text" and many Windows tools write: UTF-16 little-endian with a
    // byte order mark.
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(EUROPEAN_LEADS.trim_start_matches('\u{feff}').encode_utf16().flat_map(u16::to_le_bytes));
    let leads = file(&dir, "leads.csv", &utf16);
    let events = file(&dir, "events.csv", &utf16);
    let accounts = file(&dir, "accounts.csv", &utf16);
    let want = format!(
        "{}:1: cannot read the header: the file is UTF-16 (little-endian) (it starts with that byte order mark); save it as UTF-8 and read it again",
        leads.display()
    );
    let mut b = DatasetBuilder::new(&model);
    let err = load_leads(&leads, InputFormat::CSV, &mut b, &model, &mut LoadReport::default()).unwrap_err();
    assert_eq!(err.to_string(), want);
    let err = load_events(&events, InputFormat::CSV, &mut b, &model, &mut LoadReport::default(), &mut |_| {}).unwrap_err();
    assert!(err.to_string().starts_with(&format!("{}:1: cannot read the header: the file is UTF-16", events.display())), "{err}");
    let err = load_accounts(&accounts, InputFormat::CSV, &mut b, &mut LoadReport::default()).unwrap_err();
    assert!(err.to_string().starts_with(&format!("{}:1: cannot read the header: the file is UTF-16", accounts.display())), "{err}");

    // The same without a byte order mark: NUL bytes in the header.
    let bare = file(&dir, "bare.csv", &utf16[2..]);
    let err = load_leads(&bare, InputFormat::CSV, &mut b, &model, &mut LoadReport::default()).unwrap_err();
    assert!(err.to_string().contains("byte offset 1: a NUL byte; is the file UTF-16 without a byte order mark?"), "{err}");

    // Windows-1252 (Latin-1) text: 'ü' is the single byte 0xFC. The offset counts from the
    // start of the file, after the byte order mark if there is one.
    let latin1 = file(&dir, "latin1.csv", b"\xEF\xBB\xBFlead_id;Stra\xDFe;m\xFCller\nL1;a;b\n");
    let err = load_accounts(&latin1, InputFormat::CSV, &mut b, &mut LoadReport::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}:1: cannot read the header: not UTF-8 at byte offset 15 (byte 0xDF; Latin-1 or Windows-1252?); save the file as UTF-8",
            latin1.display()
        )
    );
    let err = load_leads(&latin1, InputFormat::CSV, &mut b, &model, &mut LoadReport::default()).unwrap_err();
    assert!(err.to_string().contains("not UTF-8 at byte offset 15 (byte 0xDF"), "{err}");
}

#[test]
fn crlf_files_report_the_lines_rows_start_on() {
    let dir = tempfile::tempdir().unwrap();
    let model = default_model();
    let text = "lead_id,employees,note\r\nL1,1,\"two\r\nlines\"\r\nL2,many,\r\nL3,2,x\r\nL4,-1,\r\n";
    let p = file(&dir, "leads.csv", text.as_bytes());
    let mut b = DatasetBuilder::new(&model);
    let mut report = LoadReport::default();
    load_leads(&p, InputFormat::CSV, &mut b, &model, &mut report).unwrap();
    let lines: Vec<u64> = report.rejected.iter().map(|r| r.line).collect();
    assert_eq!(lines, vec![4, 6]);
    let e = file(
        &dir,
        "events.csv",
        b"event_id,lead_id,type,occurred_at\r\ne1,L1,page_view,2026-01-01\r\ne2,L1,page_view,soon\r\ne3,L1,,2026-01-01\r\n",
    );
    let mut report = LoadReport::default();
    load_events(&e, InputFormat::CSV, &mut b, &model, &mut report, &mut |_| {}).unwrap();
    let lines: Vec<u64> = report.rejected.iter().map(|r| r.line).collect();
    assert_eq!(lines, vec![3, 4]);
}
