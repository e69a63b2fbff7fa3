//! `leadrank hygiene` and `leadrank match-accounts` end to end, on small realistic files
//! whose every figure is worked out by hand.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn leadrank(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leadrank")).args(args).output().expect("runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn write(dir: &Path, name: &str, body: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, body).unwrap();
    p.display().to_string()
}

// L1 clean; L2 free-mail, no phone or company, consent denied; L3 role address, invalid
// phone, bounced; L4 a bot (disposable, gibberish, honeypot, unknown country, burst, curl-like
// agent); L5 duplicate of L1 created in the future, consent without a time; L6 rejected
// (employees "many"); L7 invalid email and an account missing from accounts.csv; L8 a GB
// lead with a US number. L2, L7 and L8 sign up from one IP within 9 minutes.
const LEADS: &str = "\
lead_id,email,first_name,last_name,company,domain,account_id,employees,country,phone,phone_verified,consent,consent_at,created_at,honeypot
L1,ada@acme.io,Ada,Lovelace,Acme,acme.io,A1,450,US,+1 650 253 0000,true,true,2026-01-01,2026-01-01,
L2,bob@gmail.com,Bob,Stone,,,,12,FR,,false,false,,2026-02-01,
L3,info@acme.io,Info,Desk,Acme,,A1,450,US,12345,,,,2026-02-01,
L4,x@mailinator.com,Qwerty,Asdf,Zzz,,,5,Narnia,,,,,2026-03-01,http://spam
L5,ada@acme.io,Ada,Lovelace,Acme,,A1,450,US,,,true,,2031-01-01,
L6,cy@acme.io,Cy,Young,Acme,,A1,many,US,,,,,2026-02-01,
L7,jane at acme.com,Jane,Doe,Globex,,A9,100,DE,+49 30 901820,,true,2026-03-01,2026-03-01,
L8,raj@globex.com,Raj,Patel,Globex,,,300,GB,+1 650 253 0000,,true,2026-03-01,2026-03-01,
";

// e7 (a bounce of L1) is after the report time and is ignored; e11 shares the burst IP but
// a page view is not a sign-up.
const EVENTS: &str = r#"event_id,lead_id,type,occurred_at,url,properties
e1,L4,form_submit,2026-06-01T10:00:00Z,,"{""user_agent"":""python-requests/2.31""}"
e2,L4,form_submit,2026-06-01T10:00:10Z,,
e3,L4,form_submit,2026-06-01T10:00:20Z,,
e4,L4,form_submit,2026-06-01T10:00:30Z,,
e5,L4,form_submit,2026-06-01T10:00:40Z,,
e6,L3,email_bounce,2026-05-01T10:00:00Z,,
e7,L1,email_bounce,2026-07-01T10:00:00Z,,
e8,L2,form_submit,2026-06-10T10:00:00Z,,"{""ip"":""203.0.113.9""}"
e9,L7,demo_request,2026-06-10T10:04:00Z,,"{""ip"":""203.0.113.9""}"
e10,L8,trial_started,2026-06-10T10:09:00Z,,"{""ip"":""203.0.113.9""}"
e11,L1,page_view,2026-06-10T10:00:00Z,https://acme.io/pricing,"{""ip"":""203.0.113.9"",""user_agent"":""Mozilla/5.0 (Macintosh) Safari/605.1.15""}"
"#;

const ACCOUNTS: &str = "account_id,name,domain\nA1,Acme Inc.,acme.io\nA2,Globex Corporation,globex.com\n";

const AS_OF: &str = "2026-06-30T12:00:00Z";

/// The bot-risk reasons the report finds are model facts too: a model with one rule per
/// fact fires them on exactly the leads the report names, from the same code.
#[test]
fn risk_reasons_are_model_facts_with_the_same_answers() {
    let dir = tempfile::tempdir().unwrap();
    let leads = write(dir.path(), "leads.csv", LEADS);
    let events = write(dir.path(), "events.csv", EVENTS);
    let mut model = String::from(
        "[model]\nname = \"risk\"\nversion = \"1\"\n[scoring]\nquality_threshold = 1\ngrades = [{ grade = \"A\" }]\n[[dimensions]]\nid = \"penalty\"\n",
    );
    for (id, cond) in [
        ("bot_user_agent", "fact = \"bot_user_agent\", equals = true"),
        ("form_burst", "fact = \"form_burst\", equals = true"),
        ("ip_burst", "fact = \"ip_burst\", equals = true"),
        ("country_phone_mismatch", "fact = \"country_phone_mismatch\", equals = true"),
        ("high_risk", "fact = \"bot_risk\", min = 50"),
    ] {
        model.push_str(&format!("[[rules]]\nid = \"{id}\"\ndimension = \"penalty\"\npoints = -1\nwhen = {{ {cond} }}\n"));
    }
    let model = write(dir.path(), "risk.toml", &model);
    let out = leadrank(&["score", "--leads", &leads, "--events", &events, "--model", &model, "--as-of", AS_OF, "--format", "jsonl"]);
    assert_eq!(out.status.code(), Some(1), "L6 is rejected: {}", text(&out.stderr));
    let scores: Vec<Value> = text(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let fired = |rule: &str| -> Vec<String> {
        let mut ids: Vec<String> = scores
            .iter()
            .filter(|s| s["reasons"].as_array().unwrap().iter().any(|r| r["rule"] == rule))
            .map(|s| s["lead_id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(fired("bot_user_agent"), ["L4"]);
    assert_eq!(fired("form_burst"), ["L4"]);
    assert_eq!(fired("ip_burst"), ["L2", "L7", "L8"]);
    assert_eq!(fired("country_phone_mismatch"), ["L8"]);
    assert_eq!(fired("high_risk"), ["L4"], "the report counts one high-risk lead");
}

fn check<'a>(report: &'a Value, field: &str, check: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == field && c["check"].as_str().unwrap().starts_with(check))
        .unwrap_or_else(|| panic!("no check {field} / {check}"))
}

fn count_and_examples(c: &Value) -> (u64, Vec<String>) {
    (c["count"].as_u64().unwrap(), c["examples"].as_array().unwrap().iter().map(|e| e.as_str().unwrap().to_string()).collect())
}

#[test]
fn hygiene_json_counts_every_problem_with_examples() {
    let dir = tempfile::tempdir().unwrap();
    let leads = write(dir.path(), "leads.csv", LEADS);
    let events = write(dir.path(), "events.csv", EVENTS);
    let accounts = write(dir.path(), "accounts.csv", ACCOUNTS);
    let out = leadrank(&["hygiene", "--leads", &leads, "--events", &events, "--accounts", &accounts, "--as-of", AS_OF, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "a rejected row exits 1: {}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains(&format!("rejected {leads}:7:8: employees: 'many' is not an integer")), "{stderr}");
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((r["leads"].as_u64(), r["rejected_rows"].as_u64(), r["as_of"].as_str()), (Some(7), Some(1), Some(AS_OF)));

    let expect = |field: &str, name: &str, count: u64, examples: &[&str]| {
        let (c, e) = count_and_examples(check(&r, field, name));
        assert_eq!((c, e.iter().map(String::as_str).collect::<Vec<_>>()), (count, examples.to_vec()), "{field} / {name}");
    };
    expect("email", "missing", 0, &[]);
    expect("email", "invalid syntax", 1, &["L7"]);
    expect("email", "disposable", 1, &["L4"]);
    expect("email", "free-mail", 1, &["L2"]);
    expect("email", "role address", 1, &["L3"]);
    expect("phone", "missing", 3, &["L2", "L4", "L5"]);
    expect("phone", "not valid for the country", 1, &["L3"]);
    expect("phone", "prefix of another country", 1, &["L8"]);
    expect("country", "not recognised", 1, &["L4"]);
    expect("name", "gibberish", 1, &["L4"]);
    expect("company", "missing", 1, &["L2"]);
    expect("created_at", "in the future", 1, &["L5"]);
    expect("honeypot", "filled", 1, &["L4"]);
    expect("account_id", "not in the accounts file", 1, &["L7"]);
    let (n, ex) = count_and_examples(check(&r, "employees", "not a number"));
    assert_eq!(n, 1);
    assert_eq!(ex, vec![format!("{leads}:7:8")]);
    // Shares count the rejected row: 1 of 8.
    assert_eq!(check(&r, "email", "invalid syntax")["share"].as_f64(), Some(0.125));

    assert_eq!(r["decay"]["bounced_email"], 1, "L1's bounce is after --as-of");
    assert_eq!(r["decay"]["invalid_phone"], 1);
    assert_eq!(r["decay"]["decayed"], 1);
    assert_eq!(r["decay"]["examples"], serde_json::json!(["L3"]));
    assert_eq!(
        (&r["consent"]["granted"], &r["consent"]["denied"], &r["consent"]["unknown"], &r["consent"]["granted_without_time"]),
        (&Value::from(4), &Value::from(1), &Value::from(2), &Value::from(1))
    );
    assert_eq!(r["duplicates"]["clusters"], 1);
    assert_eq!(r["duplicates"]["redundant_records"], 1);
    assert_eq!(r["duplicates"]["examples"], serde_json::json!([["L1", "L5"]]));

    assert_eq!((r["risk"]["high"].as_u64(), r["risk"]["medium"].as_u64()), (Some(1), Some(3)));
    let reasons: Vec<(String, u64, Value)> = r["risk"]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x[0].as_str().unwrap().to_string(), x[1].as_u64().unwrap(), x[2].clone()))
        .collect();
    let reason = |name: &str| reasons.iter().find(|x| x.0 == name).map(|x| (x.1, x.2.clone())).unwrap();
    for bot in ["honeypot", "bot_user_agent", "form_burst", "disposable_domain", "gibberish_name"] {
        assert_eq!(reason(bot), (1, serde_json::json!(["L4"])), "{bot}");
    }
    assert_eq!(reason("ip_burst"), (3, serde_json::json!(["L2", "L7", "L8"])));
    assert_eq!(reason("country_phone_mismatch"), (1, serde_json::json!(["L8"])));

    // Integrity: 7 leads x cap 15 = 105 possible; the rules missed are the checks above
    // (3 without a corporate email, 4 without a valid phone, 3 without consent, 2 duplicates).
    let i = &r["integrity"];
    assert_eq!((i["possible"].as_i64(), i["earned"].as_i64(), i["lost"].as_i64()), (Some(105), Some(75), Some(30)));
    assert_eq!(i["rules_missed"], serde_json::json!([["corporate_email", 3], ["phone_verified", 4], ["consent", 3], ["unique_record", 2]]));
    assert_eq!(i["penalties"], serde_json::json!([["personal_email", 1, -10], ["bounced_email", 1, -20], ["spam", 1, -30]]));
}

/// A model whose integrity dimension is not the default one: cap 12, rules worth 8 and 6,
/// and data penalties in a dimension named `risk` (through an event-type list, `all`/`not`
/// and an event burst); `student` is a penalty about the person, not the data.
const CUSTOM_MODEL: &str = include_str!("../../leadrank-hygiene/tests/data/custom_integrity.toml");

#[test]
fn hygiene_integrity_cost_follows_the_model() {
    let dir = tempfile::tempdir().unwrap();
    let leads = write(dir.path(), "leads.csv", LEADS);
    let events = write(dir.path(), "events.csv", EVENTS);
    let model = write(dir.path(), "custom.toml", CUSTOM_MODEL);
    let out = leadrank(&["hygiene", "--leads", &leads, "--events", &events, "--as-of", AS_OF, "--format", "json", "--model", &model]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["model"], "custom-integrity@2");
    // Valid phones: L1, L7, L8; consent: L1, L5, L7, L8. Per lead (cap 12): L1 14 -> 12,
    // L5 6, L7 and L8 14 -> 12, the others 0: 42 of 7 x 12 = 84.
    let i = &r["integrity"];
    assert_eq!((i["dimension"].as_str(), i["label"].as_str(), i["cap"].as_i64()), (Some("integrity"), Some("Reachability"), Some(12)));
    assert_eq!((i["possible"].as_i64(), i["earned"].as_i64(), i["lost"].as_i64()), (Some(84), Some(42), Some(42)));
    assert_eq!(i["rules_missed"], serde_json::json!([["valid_phone", 4], ["has_consent", 3]]));
    // L3 bounced before T; L4 filled the honeypot and sent 5 forms in 40 s.
    assert_eq!(i["penalties"], serde_json::json!([["bounced", 1, -25], ["bot", 1, -40], ["form_flood", 1, -5]]));

    let out = leadrank(&["hygiene", "--leads", &leads, "--events", &events, "--as-of", AS_OF, "--format", "csv", "--model", &model]);
    let csv = text(&out.stdout);
    assert!(csv.lines().any(|l| l == "integrity,points,lost of possible (cap 12 per lead),points,42,0.5000,"), "{csv}");
    let out = leadrank(&["hygiene", "--leads", &leads, "--as-of", AS_OF, "--format", "table", "--model", &model]);
    let table = text(&out.stdout);
    assert!(table.contains("Reachability (integrity, cap 12), model custom-integrity@2"), "{table}");
    assert!(table.contains("missed valid_phone"), "{table}");

    // A model without an integrity dimension has no Integrity cost.
    let other = CUSTOM_MODEL.replace("id = \"integrity\"", "id = \"reach\"").replace("dimension = \"integrity\"", "dimension = \"reach\"");
    let model = write(dir.path(), "other.toml", &other);
    let out = leadrank(&["hygiene", "--leads", &leads, "--as-of", AS_OF, "--format", "json", "--model", &model]);
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(r["integrity"].is_null(), "{}", r["integrity"]);
    let out = leadrank(&["hygiene", "--leads", &leads, "--as-of", AS_OF, "--format", "table", "--model", &model]);
    assert!(text(&out.stdout).contains("has no dimension with id 'integrity'"), "{}", text(&out.stdout));

    // A model that does not compile is an error naming the file.
    let bad = write(dir.path(), "bad.toml", "[model]\nname = 1\n");
    let out = leadrank(&["hygiene", "--leads", &leads, "--model", &bad]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("bad.toml"), "{}", text(&out.stderr));
}

#[test]
fn hygiene_csv_and_table() {
    let dir = tempfile::tempdir().unwrap();
    let leads = write(dir.path(), "leads.csv", LEADS);
    let events = write(dir.path(), "events.csv", EVENTS);
    let out = leadrank(&["hygiene", "--leads", &leads, "--events", &events, "--as-of", AS_OF, "--format", "csv"]);
    assert_eq!(out.status.code(), Some(1));
    let csv = text(&out.stdout);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "section,field,check,kind,count,share,examples");
    assert!(lines.contains(&"field,phone,missing,missing,3,0.3750,L2;L4;L5"), "{csv}");
    assert!(lines.contains(&"decay,record,bounced email or invalid phone,decayed,1,0.1429,L3"), "{csv}");
    assert!(lines.contains(&"duplicates,record,clusters (exact duplicate keys),duplicate,1,0.1429,L1+L5"), "{csv}");
    assert!(lines.contains(&"risk,lead,ip_burst,risk,3,0.4286,L2;L7;L8"), "{csv}");
    assert!(lines.contains(&"integrity,points,lost of possible (cap 15 per lead),points,30,0.2857,"), "{csv}");
    assert!(!csv.contains("account_id,not in the accounts file"), "no accounts file, no account check");

    // The fuzzy matcher also finds L1 = L5 (same email and name).
    let out = leadrank(&["hygiene", "--leads", &leads, "--as-of", AS_OF, "--format", "csv", "--fuzzy"]);
    assert!(text(&out.stdout).contains("duplicates,record,clusters (fuzzy matcher),duplicate,1,0.1429,L1+L5"), "{}", text(&out.stdout));

    let out = leadrank(&["hygiene", "--leads", &leads, "--as-of", AS_OF, "--format", "table"]);
    let table = text(&out.stdout);
    assert!(table.starts_with(&format!("Data quality of 7 leads (1 rows rejected), as of {AS_OF}")), "{table}");
    assert!(table.contains("n/a (no --events)"), "{table}");
    assert!(table.contains("penalty personal_email"), "{table}");
    assert!(table.contains("Integrity (integrity, cap 15), model leadrank-default@"), "{table}");
}

#[test]
fn hygiene_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let clean = write(dir.path(), "clean.csv", "lead_id,email\nL1,ada@acme.io\n");
    let out = leadrank(&["hygiene", "--leads", &clean, "--as-of", AS_OF, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = leadrank(&["hygiene", "--leads", &clean, "--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
    let out = leadrank(&["hygiene", "--leads", &clean, "--as-of", "yesterday"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--as-of 'yesterday'"), "{}", text(&out.stderr));
}

const MATCH_LEADS: &str = "\
lead_id,email,company,domain,account_id
M1,jane@eu.acme.co.uk,,,
M2,anna@xn--bcher-kva.de,,,
M3,bob@gmail.com,\"ACME, Inc\",,
M4,tom@gmail.com,Initech,,
M5,sue@hotmail.com,,https://www.kangaroo.com.au/about,
M6,li@lumen.photography,,,
M7,kim@mailinator.com,Umbrella,,
M8,hans@de.acme.com,,,
M9,ada@acme.com,,,A1
";

const MATCH_ACCOUNTS: &str = "\
account_id,name,domain
A1,Acme Inc.,acme.com
A2,Acme UK Ltd,acme.co.uk
A3,Acme Deutschland GmbH,de.acme.com
A4,Bücher & Co. KG,bücher.de
A5,Kangaroo Logistics Pty Ltd,kangaroo.com.au
A6,Lumen Studio,lumen.photography
A7,Initech,
A8,Initech LLC,initech.io
";

#[test]
fn match_accounts_links_by_domain_website_and_name() {
    let dir = tempfile::tempdir().unwrap();
    let leads = write(dir.path(), "leads.csv", MATCH_LEADS);
    let accounts = write(dir.path(), "accounts.csv", MATCH_ACCOUNTS);
    let out_path = dir.path().join("matches.csv");
    let out = leadrank(&["match-accounts", "--leads", &leads, "--accounts", &accounts, "--out", &out_path.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(&out_path).unwrap(),
        "lead_id,account_id,method,score,candidates\n\
         M1,A2,email_domain,0.900,A2\n\
         M2,A4,email_domain,1.000,A4\n\
         M3,A1,company_name,1.000,A1\n\
         M4,,ambiguous,1.000,A7;A8\n\
         M5,A5,website,1.000,A5\n\
         M6,A6,email_domain,1.000,A6\n\
         M7,,none,0.000,\n\
         M8,A3,email_domain,1.000,A3\n"
    );
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("8 leads without an account_id (1 already had one), 8 accounts: 4 by email domain, 1 by website, 1 by company name, 1 ambiguous, 1 unmatched"),
        "{stderr}"
    );
    let out = leadrank(&["match-accounts", "--leads", &leads, "--accounts", &accounts, "--format", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[3]["method"], "ambiguous");
    assert_eq!(v[3]["ambiguous_by"], "company_name");
    assert_eq!(v[3]["candidates"], serde_json::json!(["A7", "A8"]));
    let out = leadrank(&["match-accounts", "--leads", &leads]);
    assert_eq!(out.status.code(), Some(2), "--accounts is required");
}

/// Name-and-address data: no email, phone, company or country.
const PEOPLE: &str = "\
lead_id,first_name,last_name,street,city,postcode,date_of_birth
P1,Robert,Smith,1 Main Street,Springfield,12345,1980-01-02
P2,Bob,Smith,1 Main St,Springfield,12345,1980-01-02
P3,Jane,Doe,9 Elm Road,Shelbyville,54321,1975-05-06
";

fn dedupe(args: &[&str]) -> (Option<i32>, String, tempfile::TempDir) {
    let out = tempfile::tempdir().unwrap();
    let mut all = vec!["dedupe", "--out", out.path().to_str().unwrap()];
    all.extend_from_slice(args);
    let o = leadrank(&all);
    (o.status.code(), text(&o.stderr), out)
}

#[test]
fn dedupe_config_field_not_in_the_data_names_file_line_and_columns() {
    let dir = tempfile::tempdir().unwrap();
    let leads = write(dir.path(), "people.csv", PEOPLE);
    let config = leadrank_hygiene::config::ADDRESS_CONFIG.to_string()
        + "\n[[fields]]\nfield = \"date_of_brith\"\ncomparator = \"exact\"\nagree = 2.0\n";
    let line = config.lines().position(|l| l.contains("date_of_brith")).unwrap() + 1;
    let config = write(dir.path(), "c.toml", &config);
    let (code, err, _out) = dedupe(&["--leads", &leads, "--config", &config]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains(&format!("{config}:{line}: field 'date_of_brith' is not a column of the data; did you mean 'date_of_birth'?")),
        "{err}"
    );
    assert!(err.contains("the data has: lead_id, first_name, last_name, street, city, postcode, date_of_birth"), "{err}");
}

#[test]
fn dedupe_says_when_the_configuration_cannot_match_the_columns() {
    let dir = tempfile::tempdir().unwrap();
    let leads = write(dir.path(), "people.csv", PEOPLE);
    // The built-in configuration blocks on email, phone, domain, company and country too:
    // none of its keys can be built here.
    let (code, err, _out) = dedupe(&["--leads", &leads]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("warning: preset 'default': the data has no column email, phone, company, domain, country"), "{err}");
    assert!(err.contains("no blocking key can be built"), "{err}");
    // The address preset finds the pair, with a warning naming the absent fields.
    let (code, err, out) = dedupe(&["--leads", &leads, "--config", "address"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("the data has no column email") && err.contains("blocking keys that find no pairs: email, phone"), "{err}");
    let pairs = std::fs::read_to_string(out.path().join("pairs.csv")).unwrap();
    assert!(pairs.contains("P1,P2,"), "{pairs}");
}

#[test]
fn dedupe_presets_are_shown_by_name() {
    let o = leadrank(&["dedupe", "--show-config"]);
    assert_eq!(text(&o.stdout), leadrank_hygiene::config::DEFAULT_CONFIG);
    let o = leadrank(&["dedupe", "--show-config", "address"]);
    assert_eq!(text(&o.stdout), leadrank_hygiene::config::ADDRESS_CONFIG);
    let o = leadrank(&["dedupe", "--show-config", "adress"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("no such preset (presets: default, address)"), "{}", text(&o.stderr));
}

#[test]
fn dedupe_of_an_empty_file_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    for (name, body) in [("empty.csv", ""), ("header.csv", "lead_id,email\n")] {
        let leads = write(dir.path(), name, body);
        let (code, err, _out) = dedupe(&["--leads", &leads]);
        assert_eq!(code, Some(2), "{name}: {err}");
        assert!(err.contains("no lead rows") || err.contains("lead_id"), "{name}: {err}");
    }
}

#[test]
fn dedupe_keeps_events_of_rejected_leads_out_and_reports_bad_event_rows() {
    let dir = tempfile::tempdir().unwrap();
    let leads = write(dir.path(), "leads.csv", LEADS);
    let events = write(
        dir.path(),
        "events.csv",
        "event_id,lead_id,type,occurred_at\ne1,L5,page_view,2026-03-02T00:00:00Z\ne2,L6,page_view,2026-03-02T00:00:00Z\ne3,L1,page_view,yesterday\n",
    );
    let (code, err, out) = dedupe(&["--leads", &leads, "--events", &events]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains(&format!("rejected {events}:3:")) && err.contains("lead_id"), "L6 was rejected: {err}");
    assert!(err.contains(&format!("rejected {events}:4:4: occurred_at:")), "{err}");
    assert!(err.contains("2 events copied, 1 moved to survivors, 1 left out"), "{err}");
    let ev = std::fs::read_to_string(out.path().join("events.csv")).unwrap();
    assert!(!ev.contains("L6"), "{ev}");
    assert!(ev.contains("e1,L1,") && ev.contains("e3,L1,"), "{ev}");
}

#[test]
fn dedupe_writes_back_only_the_input_columns() {
    let dir = tempfile::tempdir().unwrap();
    let leads = write(dir.path(), "people.csv", PEOPLE);
    let (code, err, out) = dedupe(&["--leads", &leads, "--config", "address"]);
    assert_eq!(code, Some(0), "{err}");
    let merged = std::fs::read_to_string(out.path().join("leads.csv")).unwrap();
    assert_eq!(merged.lines().next(), PEOPLE.lines().next(), "{merged}");
    assert_eq!(merged.lines().count(), 3, "{merged}");
}

#[test]
fn a_missing_file_says_its_cause_once_and_match_accounts_help_agrees_with_itself() {
    let o = leadrank(&["dedupe", "--leads", "/nonexistent/leads.csv", "--out", "/tmp/x"]);
    let err = text(&o.stderr);
    assert_eq!(err.matches("No such file").count(), 1, "{err}");
    let help = text(&leadrank(&["match-accounts", "--help"]).stdout);
    assert!(help.contains("default: table on a terminal, csv otherwise"), "{help}");
    assert!(!help.contains("the default otherwise") && !help.contains("the default on a terminal"), "{help}");
}
