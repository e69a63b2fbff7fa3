//! The Salesforce connector against the fake Salesforce (`leadrank-crm-fakes`): first sync,
//! change-only runs, ties at one `SystemModstamp`, per-field rules, dry runs, erasure,
//! missing custom fields, and fault injection (5xx, timeouts, per-record failures, deleted
//! records, the daily API allocation, a run stopped mid-way).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use leadrank_crm::CrmField;
use leadrank_crm::config::SyncConfig;
use leadrank_crm::salesforce::{LONG_TEXT_LENGTH, field_specs};
use leadrank_crm_fakes::{Fault, SalesforceFake};
use leadrank_metrics::report::OppStatus;
use leadrank_service::Service;
use leadrank_service::clock::ManualClock;
use leadrank_service::metrics::Metrics;
use leadrank_store_sqlite::SqliteStore;
use leadrank_sync::client::CrmClient;
use leadrank_sync::hubspot::{SyncOptions, SyncReport};
use leadrank_sync::salesforce::{Plan, sync};
use leadrank_sync::{SyncError, Token};
use serde_json::{Value, json};

const TOKEN: &str = "00D000000000001!AQ4AQTest";

struct World {
    _dir: tempfile::TempDir,
    service: Arc<Service>,
    fake: SalesforceFake,
    /// Leads, then contacts.
    ids: Vec<String>,
}

const TITLES: [&str; 6] = ["VP Engineering", "Head of IT", "Student", "CTO", "Marketing Intern", "Director of Operations"];
const INDUSTRIES: [&str; 4] = ["Technology", "Banking", "Retail", "Healthcare"];

/// Creates leadrank's custom fields on Lead and Contact, as an admin would.
fn install(fake: &SalesforceFake) {
    for spec in field_specs("Leadrank_", &CrmField::ALL, LONG_TEXT_LENGTH) {
        for object in ["Lead", "Contact"] {
            fake.add_field(object, &spec.api_name, spec.describe_type, spec.length);
        }
    }
}

async fn world(leads: usize, contacts: usize, fields: bool) -> World {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(&dir.path().join("t.db")).await.unwrap());
    let clock = Arc::new(ManualClock::new("2026-06-30T12:00:00Z".parse().unwrap()));
    let service = Service::start(store, clock, Arc::new(Metrics::new())).await.unwrap();
    let fake = SalesforceFake::start(TOKEN).await;
    if fields {
        install(&fake);
    }
    let account = fake.create(
        "Account",
        &[
            ("Name", json!("Acme")),
            ("Website", json!("https://acme.io")),
            ("Industry", json!("Technology")),
            ("NumberOfEmployees", json!(800)),
        ],
    );
    let mut ids = Vec::new();
    for i in 0..leads {
        ids.push(fake.create(
            "Lead",
            &[
                ("Email", json!(format!("lead{i}@{}", if i % 3 == 0 { "gmail.com" } else { "acme.io" }))),
                ("FirstName", json!("Pat")),
                ("LastName", json!(format!("Lee{i}"))),
                ("Company", json!("Acme")),
                ("Title", json!(TITLES[i % TITLES.len()])),
                ("Industry", json!(INDUSTRIES[i % INDUSTRIES.len()])),
                ("NumberOfEmployees", if i % 5 == 4 { Value::Null } else { json!([5, 40, 300, 2000][i % 4]) }),
                ("Country", json!(if i % 4 == 0 { "Germany" } else { "United States" })),
                ("LeadSource", json!("Web")),
                ("HasOptedOutOfEmail", json!(i % 7 == 0)),
            ],
        ));
    }
    for i in 0..contacts {
        ids.push(fake.create(
            "Contact",
            &[
                ("Email", json!(format!("contact{i}@acme.io"))),
                ("LastName", json!(format!("Kim{i}"))),
                ("Title", json!(TITLES[(i + 3) % TITLES.len()])),
                ("AccountId", json!(account)),
                ("LeadSource", json!("Partner Referral")),
            ],
        ));
    }
    World { _dir: dir, service, fake, ids }
}

impl World {
    /// The Salesforce account id a contact belongs to.
    async fn service_account_of(&self, contact: &str) -> String {
        self.fake.get(contact).unwrap()["AccountId"].as_str().unwrap().to_string()
    }
}

fn config(w: &World, extra: &str) -> SyncConfig {
    SyncConfig::parse(&format!("[salesforce]\ninstance_url = \"{}\"\n{extra}", w.fake.url), "sync.toml").unwrap()
}

fn client(w: &World, plan: &Plan, token: &str) -> CrmClient {
    let mut o = plan.client_options();
    o.timeout = Duration::from_millis(700);
    o.backoff = Duration::from_millis(10);
    CrmClient::new(&w.fake.url, Token::new(token).unwrap(), o).unwrap()
}

async fn run_with(w: &World, extra: &str, options: SyncOptions) -> Result<SyncReport, SyncError> {
    let plan = Plan::new(&config(w, extra), Path::new(".")).unwrap();
    let c = client(w, &plan, TOKEN);
    sync(&w.service, &plan, &c, &options).await
}

async fn run(w: &World, options: SyncOptions) -> Result<SyncReport, SyncError> {
    run_with(w, "", options).await
}

fn install_opt() -> SyncOptions {
    SyncOptions { install_fields: true, ..SyncOptions::default() }
}

/// leadrank's fields of every lead and contact in the fake.
fn crm_values(fake: &SalesforceFake, ids: &[String]) -> BTreeMap<String, BTreeMap<String, Value>> {
    ids.iter().map(|id| (id.clone(), fake.get(id).unwrap().into_iter().filter(|(k, _)| k.starts_with("Leadrank_")).collect())).collect()
}

fn calls_by_kind(fake: &SalesforceFake) -> (usize, usize) {
    let calls = fake.calls();
    let reads = calls.iter().filter(|c| c.path.contains("/query")).count();
    let writes = calls.iter().filter(|c| c.path.ends_with("/composite/sobjects")).count();
    (reads, writes)
}

fn assert_no_duplicate_writes(fake: &SalesforceFake) {
    let mut seen = BTreeSet::new();
    for w in fake.writes() {
        assert!(seen.insert(w.clone()), "written twice: {w:?}");
    }
}

#[tokio::test]
async fn first_sync_reads_everything_and_writes_every_score_back() {
    let w = world(230, 20, true).await;
    let r = run(&w, install_opt()).await.unwrap();
    assert!(r.stopped.is_none(), "{}", r.render());
    assert!(r.missing_fields.is_empty(), "{}", r.render());
    assert!(r.field_specs.contains("Leadrank_Score__c"), "{}", r.field_specs);
    let leads = r.reads.iter().find(|x| x.object == "leads").unwrap();
    assert_eq!((leads.read, leads.created), (230, 230), "{}", r.render());
    let contacts = r.reads.iter().find(|x| x.object == "contacts").unwrap();
    assert_eq!((contacts.read, contacts.created), (20, 20));
    assert_eq!(r.records_written, 250);
    for id in &w.ids {
        let lead = w.service.crm_lead(id).unwrap();
        let f = w.fake.get(id).unwrap();
        assert_eq!(f["Leadrank_Score__c"], json!(f64::from(lead.total)), "{id}");
        assert_eq!(f["Leadrank_Grade__c"], json!(lead.grade));
        // An unchecked box is never written: its default is unchecked.
        assert_eq!(f.get("Leadrank_Quality__c").cloned().unwrap_or(json!(false)), json!(lead.quality));
        assert_eq!(f["Leadrank_Stage__c"], json!(lead.stage.clone().unwrap()));
        assert!(f.get("Leadrank_Reasons__c").and_then(Value::as_str).unwrap_or("").lines().count() <= 3);
    }
    // The contacts belong to the account read first.
    let account = w.service.lead_record(&w.ids[240]).unwrap().account_id.unwrap();
    assert!(w.service.account_record(&account).is_some());
    // 250 records at 200 per composite call; one query per object (2,000 a batch, the last
    // for opportunities) and one queryAll for deleted opportunities, two describes.
    let (reads, writes) = calls_by_kind(&w.fake);
    assert_eq!(writes, 2);
    assert_eq!(reads, 5);
    assert_eq!(r.stats.calls.total() as usize, w.fake.calls().len());
    assert!(w.fake.calls().iter().all(|c| c.inputs <= 200));
}

#[tokio::test]
async fn ties_at_one_time_are_paged_by_id_and_never_skipped_or_repeated() {
    // 600 leads created within one second of Salesforce's clock; batches of 200 and a query
    // LIMIT of 250 make the connector ask again from (time, id) inside the tie.
    let w = world(600, 0, true).await;
    let r = run_with(&w, "batch_size = 200\nquery_limit = 250\n", SyncOptions::default()).await.unwrap();
    let leads = r.reads.iter().find(|x| x.object == "leads").unwrap();
    assert_eq!((leads.read, leads.created), (600, 600), "{}", r.render());
    let queries: Vec<String> = w.fake.calls().into_iter().filter(|c| c.path.contains("query")).map(|c| c.path).collect();
    assert!(queries.iter().any(|q| q.contains("%20AND%20Id%20%3E%20")), "{queries:?}");
    assert!(queries.iter().any(|q| q.contains("/query/")), "nextRecordsUrl followed: {queries:?}");
    assert_eq!(r.records_written, 600);
}

#[tokio::test]
async fn opportunities_become_outcomes_won_lost_or_open_from_is_closed_and_is_won() {
    let w = world(2, 3, true).await;
    let contact = w.ids[2].clone();
    let account = w.service_account_of(&contact).await;
    let won = w.fake.create(
        "Opportunity",
        &[
            ("Name", json!("Acme renewal")),
            ("StageName", json!("Signed")),
            ("IsClosed", json!(true)),
            ("IsWon", json!(true)),
            ("Amount", json!(48000.0)),
            ("CloseDate", json!("2026-12-31")),
            ("AccountId", json!(account)),
            ("ContactId", json!(contact)),
        ],
    );
    let lost = w.fake.create(
        "Opportunity",
        &[("StageName", json!("Closed Lost")), ("IsClosed", json!(true)), ("IsWon", json!(false)), ("AccountId", json!(account))],
    );
    let open = w.fake.create(
        "Opportunity",
        &[("StageName", json!("Negotiation")), ("IsClosed", json!(false)), ("IsWon", json!(false)), ("ContactId", json!(contact))],
    );
    let orphan = w.fake.create("Opportunity", &[("StageName", json!("Prospecting")), ("IsClosed", json!(false)), ("IsWon", json!(false))]);

    let r = run(&w, install_opt()).await.unwrap();
    let opps = r.reads.iter().find(|x| x.object == "opportunities").expect("opportunities are read by default");
    assert_eq!((opps.read, opps.created), (4, 3), "{}", r.render());
    assert_eq!(opps.rejected, [format!("Opportunity {orphan}: lead_id: an opportunity needs a lead_id or an account_id")]);
    let got = w.service.deal(&won).unwrap();
    assert_eq!((got.status, got.amount), (OppStatus::Won, Some(48000.0)), "won from IsWon, whatever the stage's name");
    assert_eq!((got.lead_id.as_deref(), got.account_id.as_deref()), (Some(contact.as_str()), Some(account.as_str())));
    assert_eq!(w.service.deal(&lost).unwrap().status, OppStatus::Lost);
    assert_eq!(w.service.deal(&open).unwrap().status, OppStatus::Open);

    // Nothing changed: nothing is sent again; a won deal is counted as updated when it moves.
    let r = run(&w, SyncOptions::default()).await.unwrap();
    let opps = r.reads.iter().find(|x| x.object == "opportunities").unwrap();
    assert_eq!((opps.created, opps.updated), (0, 0), "{}", r.render());
    w.fake.edit(&open, &[("IsClosed", json!(true)), ("IsWon", json!(true)), ("Amount", json!(900))]);
    let r = run(&w, SyncOptions::default()).await.unwrap();
    assert_eq!(r.reads.iter().find(|x| x.object == "opportunities").unwrap().updated, 1, "{}", r.render());
    assert_eq!(w.service.deal(&open).unwrap().status, OppStatus::Won);

    // Left out of `objects`, opportunities are not queried.
    w.fake.clear_calls();
    run_with(&w, "objects = [\"accounts\", \"leads\", \"contacts\"]\n", SyncOptions::default()).await.unwrap();
    assert!(w.fake.calls().iter().all(|c| !c.path.contains("Opportunity")), "{:?}", w.fake.calls());
}

#[tokio::test]
async fn later_runs_write_only_what_changed() {
    let w = world(120, 10, true).await;
    run(&w, install_opt()).await.unwrap();
    // The next run reads back its own writes and writes nothing.
    w.fake.clear_calls();
    let r = run(&w, SyncOptions::default()).await.unwrap();
    assert_eq!(r.records_written, 0, "{}", r.render());
    assert_eq!(calls_by_kind(&w.fake).1, 0);
    // A person changes two titles: only those records are written, in one call.
    w.fake.edit(&w.ids[2], &[("Title", json!("Chief Executive Officer"))]);
    w.fake.edit(&w.ids[125], &[("Title", json!("Chief Revenue Officer"))]);
    w.fake.clear_calls();
    let before = crm_values(&w.fake, &w.ids);
    let r = run(&w, SyncOptions::default()).await.unwrap();
    let updated: u64 = r.reads.iter().map(|x| x.updated).sum();
    assert_eq!(updated, 2, "{}", r.render());
    let after = crm_values(&w.fake, &w.ids);
    let changed: Vec<&String> = w.ids.iter().filter(|id| before[*id] != after[*id]).collect();
    assert!(changed.len() <= 2);
    assert!(calls_by_kind(&w.fake).1 <= 1);
    for (id, field, _) in w.fake.writes() {
        assert!(changed.contains(&&id), "{id} {field} written without a change");
    }
}

#[tokio::test]
async fn a_value_a_person_set_is_never_overwritten() {
    let w = world(30, 0, true).await;
    let rules = "[writeback.rules.rep]\nonly_if_empty = true\n";
    run_with(&w, rules, install_opt()).await.unwrap();
    // A person overrides the grade and sets a rep; a later score change leaves both.
    w.fake.edit(&w.ids[3], &[("Leadrank_Grade__c", json!("Z")), ("Leadrank_Rep__c", json!("rep-jo")), ("Title", json!("Student"))]);
    let r = run_with(&w, rules, SyncOptions::default()).await.unwrap();
    let f = w.fake.get(&w.ids[3]).unwrap();
    assert_eq!(f["Leadrank_Grade__c"], json!("Z"));
    assert_eq!(f["Leadrank_Rep__c"], json!("rep-jo"));
    assert!(r.kept.get("kept: set by someone else").copied().unwrap_or(0) >= 1, "{}", r.render());
    w.fake.edit(&w.ids[3], &[("Title", json!("CTO"))]);
    run_with(&w, rules, SyncOptions::default()).await.unwrap();
    assert_eq!(w.fake.get(&w.ids[3]).unwrap()["Leadrank_Grade__c"], json!("Z"));
    // Cleared by the person: leadrank writes again.
    w.fake.edit(&w.ids[3], &[("Leadrank_Grade__c", Value::Null)]);
    run_with(&w, rules, SyncOptions::default()).await.unwrap();
    assert_eq!(w.fake.get(&w.ids[3]).unwrap()["Leadrank_Grade__c"], json!(w.service.crm_lead(&w.ids[3]).unwrap().grade));
}

#[tokio::test]
async fn missing_fields_are_described_and_nothing_is_written_until_they_exist() {
    let w = world(12, 0, false).await;
    let r = run(&w, install_opt()).await.unwrap();
    assert!(r.missing_fields.contains(&"Lead.Leadrank_Score__c".to_string()), "{}", r.render());
    assert!(r.render().contains("Leadrank_Reasons__c\n  type: Long Text Area"), "{}", r.render());
    assert_eq!(calls_by_kind(&w.fake).1, 0, "nothing written");
    assert_eq!(r.reads.iter().find(|x| x.object == "leads").unwrap().read, 12, "read all the same");
    // Without --install-fields: the query names the fields and fails with a hint.
    let e = run(&w, SyncOptions::default()).await.unwrap_err().to_string();
    assert!(e.contains("INVALID_FIELD") && e.contains("--install-fields"), "{e}");
    install(&w.fake);
    let r = run(&w, install_opt()).await.unwrap();
    assert!(r.missing_fields.is_empty());
    assert_eq!(r.records_written, 12, "{}", r.render());
}

#[tokio::test]
async fn a_dry_run_changes_nothing_and_says_what_it_would_do() {
    let w = world(150, 0, true).await;
    run(&w, install_opt()).await.unwrap();
    w.fake.edit(&w.ids[4], &[("Title", json!("CTO")), ("Industry", json!("Technology")), ("NumberOfEmployees", json!(5000))]);
    let before = crm_values(&w.fake, &w.ids);
    let lead_before = w.service.lead_record(&w.ids[4]);
    w.fake.clear_calls();
    let r = run(&w, SyncOptions { dry_run: true, ..SyncOptions::default() }).await.unwrap();
    assert_eq!(crm_values(&w.fake, &w.ids), before);
    assert_eq!(w.service.lead_record(&w.ids[4]), lead_before, "leadrank unchanged");
    assert_eq!(calls_by_kind(&w.fake).1, 0);
    assert!(r.render().contains("a real run would spend"), "{}", r.render());
    assert_eq!(r.would_spend.writes, leadrank_crm::calls::batches(r.changes.len() as u64, 200));
    // The real run then stores the change.
    run(&w, SyncOptions::default()).await.unwrap();
    assert_ne!(w.service.lead_record(&w.ids[4]), lead_before);
}

#[tokio::test]
async fn erasure_clears_leadrank_fields_and_deleted_records_are_forgotten() {
    let w = world(20, 0, true).await;
    run(&w, install_opt()).await.unwrap();
    let id = w.ids[5].clone();
    w.service.erase(Some(&id), None, "test").await.unwrap();
    let r = run(&w, SyncOptions::default()).await.unwrap();
    assert_eq!(r.cleared, 1, "{}", r.render());
    let f = w.fake.get(&id).unwrap();
    for k in ["Leadrank_Score__c", "Leadrank_Grade__c", "Leadrank_Reasons__c", "Leadrank_Stage__c"] {
        assert!(!f.contains_key(k), "{k} not cleared: {f:?}");
    }
    assert_eq!(f.get("Leadrank_Quality__c").cloned().unwrap_or(json!(false)), json!(false));
    assert_eq!(f["FirstName"], json!("Pat"), "Salesforce's own fields stay");
    assert!(w.service.audit_log(20).await.unwrap().iter().any(|a| a.action == "crm.erase"));
    // A record deleted in Salesforce, then erased in leadrank: the clearing write answers
    // ENTITY_IS_DELETED and the record is forgotten (not tried again).
    let gone = w.ids[6].clone();
    w.fake.delete(&gone);
    w.service.erase(Some(&gone), None, "test").await.unwrap();
    let r = run(&w, SyncOptions::default()).await.unwrap();
    assert_eq!(r.gone, 1, "{}", r.render());
    assert!(r.failed.is_empty(), "{}", r.render());
    w.fake.clear_calls();
    let r = run(&w, SyncOptions::default()).await.unwrap();
    assert_eq!((r.gone, calls_by_kind(&w.fake).1), (0, 0), "{}", r.render());
}

/// The final Salesforce values of a run without faults, for comparison.
async fn reference(leads: usize) -> BTreeMap<String, BTreeMap<String, Value>> {
    let w = world(leads, 0, true).await;
    run(&w, install_opt()).await.unwrap();
    crm_values(&w.fake, &w.ids)
}

/// Runs again until a run finishes without failures or a stop (at most `n` runs).
async fn settle(w: &World, n: usize) {
    for _ in 0..n {
        let r = run(w, install_opt()).await.unwrap();
        if r.stopped.is_none() && r.failed.is_empty() {
            return;
        }
    }
    panic!("did not settle in {n} runs");
}

#[tokio::test]
async fn per_record_failures_are_written_on_the_next_run() {
    let want = reference(250).await;
    let w = world(250, 0, true).await;
    w.fake.inject(Fault::Partial(7), "/composite/sobjects", 1);
    let r = run(&w, install_opt()).await.unwrap();
    assert_eq!(r.failed.len(), 7, "{}", r.render());
    assert!(r.failed[0].contains("UNABLE_TO_LOCK_ROW"), "{}", r.render());
    assert_eq!(r.records_written, 243);
    settle(&w, 3).await;
    assert_eq!(crm_values(&w.fake, &w.ids), want);
    assert_no_duplicate_writes(&w.fake);
}

#[tokio::test]
async fn server_errors_and_timeouts_are_retried_and_the_result_is_the_same() {
    let want = reference(220).await;
    let w = world(220, 0, true).await;
    w.fake.inject(Fault::Server(503), "/composite/sobjects", 2);
    w.fake.inject(Fault::Server(500), "/query", 1);
    w.fake.inject(Fault::Slow(Duration::from_millis(1_200)), "/query", 1);
    let r = run(&w, install_opt()).await.unwrap();
    assert!(r.stopped.is_none(), "{}", r.render());
    assert_eq!(r.stats.server_errors, 3);
    assert!(r.stats.timeouts >= 1);
    assert_eq!(crm_values(&w.fake, &w.ids), want);
    assert_no_duplicate_writes(&w.fake);
}

#[tokio::test]
async fn the_daily_allocation_stops_the_run_and_the_next_run_resumes() {
    let want = reference(450).await;
    // Other apps spent the org's allocation: REQUEST_LIMIT_EXCEEDED stops the run.
    let w = world(450, 0, true).await;
    w.fake.inject(Fault::TooMany { retry_after_s: None }, "/composite/sobjects", 1);
    let r = run_with(&w, "batch_size = 200\n", install_opt()).await.unwrap();
    assert!(r.stopped.clone().unwrap_or_default().contains("REQUEST_LIMIT_EXCEEDED"), "{}", r.render());
    settle(&w, 3).await;
    assert_eq!(crm_values(&w.fake, &w.ids), want);
    assert_no_duplicate_writes(&w.fake);
    // The share: with 16 calls a day and share 0.5 the connector stops itself at 8, from the
    // usage Salesforce reports, and resumes when the allocation allows.
    let w = world(450, 0, true).await;
    w.fake.set_allocation(16);
    let r = run_with(&w, "share = 0.5\nbatch_size = 200\nquery_limit = 200\n", install_opt()).await.unwrap();
    assert!(r.stopped.clone().unwrap_or_default().contains("used 8 of 16"), "{}", r.render());
    assert_eq!(w.fake.used(), 8);
    assert!(w.fake.calls().iter().all(|c| c.status != 403));
    w.fake.set_allocation(1_000_000);
    settle(&w, 3).await;
    assert_eq!(crm_values(&w.fake, &w.ids), want);
    assert_no_duplicate_writes(&w.fake);
}

#[tokio::test]
async fn a_run_stopped_mid_way_resumes_without_losing_or_repeating_anything() {
    let want = reference(450).await;
    for stop_after in [1usize, 3, 5, 7] {
        let w = world(450, 0, true).await;
        let plan = Plan::new(&config(&w, "batch_size = 200\n"), Path::new(".")).unwrap();
        let c = client(&w, &plan, TOKEN);
        let service = w.service.clone();
        let task = tokio::spawn(async move {
            let _ = sync(&service, &plan, &c, &install_opt()).await;
        });
        while w.fake.calls().len() < stop_after && !task.is_finished() {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        task.abort();
        let _ = task.await;
        settle(&w, 3).await;
        assert_eq!(crm_values(&w.fake, &w.ids), want, "stopped after {stop_after} calls");
        assert_no_duplicate_writes(&w.fake);
        for id in &w.ids {
            assert!(w.service.lead_record(id).is_some());
        }
    }
}

#[tokio::test]
async fn a_bad_token_is_a_clear_error_and_never_shown() {
    let w = world(3, 0, true).await;
    let plan = Plan::new(&config(&w, ""), Path::new(".")).unwrap();
    let c = client(&w, &plan, "wrong-token");
    let e = sync(&w.service, &plan, &c, &SyncOptions::default()).await.unwrap_err().to_string();
    assert!(e.contains("Salesforce answered 401 INVALID_SESSION_ID"), "{e}");
    assert!(!e.contains("wrong-token"), "{e}");
}

#[tokio::test]
async fn client_credentials_get_a_token_and_a_new_one_when_it_expires() {
    let w = world(3, 0, true).await;
    w.fake.enable_client_credentials("3MVG9fake.consumer.key", "s3cr3t+/=");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("secret"), "s3cr3t+/=\n").unwrap();
    let extra = "auth = \"client_credentials\"\nclient_id = \"3MVG9fake.consumer.key\"\nclient_secret_file = \"secret\"\n";
    let plan = Plan::new(&config(&w, extra), dir.path()).unwrap();
    let c = leadrank_sync::schedule::salesforce_client(&plan, dir.path()).unwrap();
    let r = sync(&w.service, &plan, &c, &install_opt()).await.unwrap();
    assert_eq!(r.reads.iter().find(|x| x.object == "leads").unwrap().created, 3, "{}", r.render());
    assert_eq!(w.fake.issued_tokens(), 1, "one token for the whole run");
    // The session ends: the next call is refused once, a new token is asked for, the run goes on.
    w.fake.expire_issued_tokens();
    w.fake.edit(&w.ids[0], &[("Title", json!("CEO"))]);
    let r = sync(&w.service, &plan, &c, &SyncOptions::default()).await.unwrap();
    assert_eq!(r.reads.iter().find(|x| x.object == "leads").unwrap().updated, 1, "{}", r.render());
    assert_eq!(w.fake.issued_tokens(), 1);
    assert_eq!(w.fake.calls().iter().filter(|c| c.status == 401).count(), 1);

    // A wrong secret is a clear error that never shows the secret.
    std::fs::write(dir.path().join("secret"), "wrong-secret").unwrap();
    let c = leadrank_sync::schedule::salesforce_client(&plan, dir.path()).unwrap();
    let e = sync(&w.service, &plan, &c, &SyncOptions::default()).await.unwrap_err().to_string();
    assert!(e.contains("400 invalid_client") && e.contains("client credentials were refused"), "{e}");
    assert!(!e.contains("wrong-secret"), "{e}");
    // The secret's file is named when it is missing.
    std::fs::remove_file(dir.path().join("secret")).unwrap();
    let Err(e) = leadrank_sync::schedule::salesforce_client(&plan, dir.path()) else { panic!("a missing secret file is an error") };
    let e = e.to_string();
    assert!(e.contains("salesforce.client_secret_file: reading"), "{e}");
}

#[tokio::test]
async fn opportunities_deleted_in_salesforce_are_removed_from_leadrank() {
    let w = world(2, 3, true).await;
    let contact = w.ids[2].clone();
    let opp = |stage: &str, closed: bool| {
        w.fake.create(
            "Opportunity",
            &[("StageName", json!(stage)), ("IsClosed", json!(closed)), ("IsWon", json!(closed)), ("ContactId", json!(contact))],
        )
    };
    let kept = opp("Negotiation", false);
    let deleted = opp("Signed", true);
    run(&w, install_opt()).await.unwrap();
    assert!(w.service.deal(&deleted).is_some() && w.service.deal(&kept).is_some());
    w.fake.delete(&deleted);

    // A dry run says what it would remove and removes nothing.
    let dry = run(&w, SyncOptions { dry_run: true, ..SyncOptions::default() }).await.unwrap();
    let gone = dry.reads.iter().find(|x| x.object == "deleted opportunities").expect("deleted opportunities are read");
    assert_eq!((gone.read, gone.deleted), (1, 1), "{}", dry.render());
    assert!(
        dry.render().contains("deleted opportunities: 1 deleted since the cursor, 1 removed from leadrank (would be)"),
        "{}",
        dry.render()
    );
    assert!(w.service.deal(&deleted).is_some());

    w.fake.clear_calls();
    let r = run(&w, SyncOptions::default()).await.unwrap();
    let gone = r.reads.iter().find(|x| x.object == "deleted opportunities").unwrap();
    assert_eq!(gone.deleted, 1, "{}", r.render());
    assert!(w.service.deal(&deleted).is_none());
    assert!(w.service.deal(&kept).is_some(), "only the deleted one");
    // The recycle bin is read with queryAll, not query (which leaves deleted records out).
    let all: Vec<String> = w.fake.calls().into_iter().map(|c| c.path).filter(|p| p.contains("/queryAll?")).collect();
    assert_eq!(all.len(), 1, "{all:?}");
    assert!(all[0].contains("IsDeleted%20%3D%20true"), "{all:?}");

    // The next run asks from its cursor and removes nothing more.
    w.fake.clear_calls();
    let r = run(&w, SyncOptions::default()).await.unwrap();
    assert_eq!(r.reads.iter().find(|x| x.object == "deleted opportunities").unwrap().deleted, 0, "{}", r.render());
    assert!(w.fake.calls().iter().any(|c| c.path.contains("/queryAll?") && c.path.contains("SystemModstamp%20%3E")));
    assert!(w.service.deal(&kept).is_some());
}

/// Every object, campaign members too.
const WITH_MEMBERS: &str = "objects = [\"accounts\", \"leads\", \"contacts\", \"opportunities\", \"campaign_members\"]\n";

fn campaign(fake: &SalesforceFake, name: &str, kind: Option<&str>) -> String {
    let mut fields = vec![("Name", json!(name)), ("IsActive", json!(true))];
    if let Some(k) = kind {
        fields.push(("Type", json!(k)));
    }
    fake.create("Campaign", &fields)
}

/// A campaign member of `person` (a lead or contact id, by its prefix); `responded` on the
/// date given.
fn member(fake: &SalesforceFake, campaign: &str, person: &str, responded: Option<&str>) -> String {
    let field = if person.starts_with("00Q") { "LeadId" } else { "ContactId" };
    let mut fields = vec![
        ("CampaignId", json!(campaign)),
        (field, json!(person)),
        ("Status", json!(if responded.is_some() { "Responded" } else { "Sent" })),
        ("HasResponded", json!(responded.is_some())),
    ];
    if let Some(d) = responded.filter(|d| !d.is_empty()) {
        fields.push(("FirstRespondedDate", json!(d)));
    }
    fake.create("CampaignMember", &fields)
}

#[tokio::test]
async fn responded_campaign_members_become_events_once_and_change_scores() {
    let w = world(6, 2, true).await;
    // Not read by default.
    let r = run(&w, install_opt()).await.unwrap();
    assert!(r.reads.iter().all(|x| x.object != "campaign_members"), "{}", r.render());
    assert!(w.fake.calls().iter().all(|c| !c.path.contains("CampaignMember")));
    let before: Vec<i64> = w.ids.iter().map(|id| i64::from(w.service.crm_lead(id).unwrap().total)).collect();

    let webinar = campaign(&w.fake, "Q2 product webinar", Some("Webinar"));
    let show = campaign(&w.fake, "SaaStr 2026", Some("Trade Show"));
    let mail = campaign(&w.fake, "June newsletter", Some("Email"));
    let untyped = campaign(&w.fake, "Misc", None);
    let m_webinar = member(&w.fake, &webinar, &w.ids[1], Some("2026-06-25"));
    let m_show = member(&w.fake, &show, &w.ids[2], Some("2026-06-20"));
    let m_mail = member(&w.fake, &mail, &w.ids[6], Some("")); // no date: its CreatedDate
    let m_untyped = member(&w.fake, &untyped, &w.ids[3], Some("2026-06-21"));
    let _sent = member(&w.fake, &webinar, &w.ids[4], None); // not responded: no event
    let unknown = member(&w.fake, &webinar, "00Q000000999999AAA", Some("2026-06-25"));
    // A converted lead's member names its lead and its contact: the event is the contact's.
    let converted = w.fake.create(
        "CampaignMember",
        &[
            ("CampaignId", json!(webinar)),
            ("LeadId", json!(w.ids[5])),
            ("ContactId", json!(w.ids[7])),
            ("HasResponded", json!(true)),
            ("FirstRespondedDate", json!("2026-06-26")),
        ],
    );

    let r = run_with(&w, WITH_MEMBERS, SyncOptions::default()).await.unwrap();
    let members = r.reads.iter().find(|x| x.object == "campaign_members").expect("campaign members read");
    assert_eq!((members.read, members.created), (7, 5), "{}", r.render());
    assert_eq!(
        members.rejected,
        [format!("CampaignMember {unknown}: lead_id: skipped: 00Q000000999999AAA is not a lead or contact leadrank has read")]
    );
    let event = |lead: &str| {
        let service = w.service.clone();
        let lead = lead.to_string();
        async move { service.lead_events(&lead, 10).await.unwrap() }
    };
    let e = event(&w.ids[1]).await;
    assert_eq!(e.len(), 1);
    assert_eq!((e[0].event_id.as_str(), e[0].event_type.as_str()), (m_webinar.as_str(), "webinar_attended"));
    assert_eq!(e[0].occurred_at.to_string(), "2026-06-25T00:00:00Z");
    let props = e[0].properties.clone().unwrap();
    assert_eq!((props["campaign"].clone(), props["campaign_id"].clone()), (json!("Q2 product webinar"), json!(webinar)));
    assert_eq!(event(&w.ids[2]).await[0].event_type, "event_attended", "{m_show}");
    let mailed = event(&w.ids[6]).await;
    assert_eq!((mailed[0].event_id.as_str(), mailed[0].event_type.as_str()), (m_mail.as_str(), "form_submit"));
    assert_eq!(mailed[0].occurred_at.to_string(), "2026-01-01T00:00:00Z", "no FirstRespondedDate: the member's CreatedDate");
    assert_eq!(event(&w.ids[3]).await[0].event_type, "form_submit", "{m_untyped}: no type");
    assert!(event(&w.ids[4]).await.is_empty(), "a member who has not responded is no event");
    assert!(event(&w.ids[5]).await.is_empty());
    assert_eq!(event(&w.ids[7]).await[0].event_id, converted);
    // The webinar and the trade show raise their people's scores.
    for i in [1usize, 2] {
        assert!(i64::from(w.service.crm_lead(&w.ids[i]).unwrap().total) > before[i], "lead {i}: {} -> ?", before[i]);
    }
    let scores: Vec<i32> = w.ids.iter().map(|id| w.service.crm_lead(id).unwrap().total).collect();

    // Read again (the second a run reads again, and a member changed): nothing counts twice.
    w.fake.edit(&m_webinar, &[("Status", json!("Attended"))]);
    let r = run_with(&w, WITH_MEMBERS, SyncOptions::default()).await.unwrap();
    let members = r.reads.iter().find(|x| x.object == "campaign_members").unwrap();
    // All were created in one second of Salesforce's clock: all are read again, the five
    // events are duplicates, the member of an unknown lead is skipped again.
    assert_eq!((members.read, members.created, members.unchanged, members.rejected.len()), (7, 0, 5, 1), "{}", r.render());
    assert_eq!(event(&w.ids[1]).await.len(), 1);
    let again: Vec<i32> = w.ids.iter().map(|id| w.service.crm_lead(id).unwrap().total).collect();
    assert_eq!(again, scores);
}

#[tokio::test]
async fn server_errors_and_a_stop_while_paging_campaign_members_lose_and_repeat_nothing() {
    let w = world(450, 0, true).await;
    run(&w, install_opt()).await.unwrap();
    let webinar = campaign(&w.fake, "Webinar", Some("Webinar"));
    let members: Vec<String> = w.ids.iter().map(|id| member(&w.fake, &webinar, id, Some("2026-06-25"))).collect();
    // Members are asked for 200 at a time: the second and third queries start from the last
    // (time, id) read. Those answer 503 three times (retried), then the org's allocation is
    // spent (REQUEST_LIMIT_EXCEEDED: the run stops).
    let extra = format!("{WITH_MEMBERS}batch_size = 200\nquery_limit = 200\n");
    w.fake.inject(Fault::Server(503), "FROM%20CampaignMember%20WHERE", 3);
    w.fake.inject(Fault::TooMany { retry_after_s: None }, "FROM%20CampaignMember%20WHERE", 1);
    let first = run_with(&w, &extra, SyncOptions::default()).await.unwrap();
    assert!(first.stopped.clone().unwrap_or_default().contains("REQUEST_LIMIT_EXCEEDED"), "{}", first.render());
    assert_eq!(first.stats.server_errors, 3);
    let mut got = 0;
    for id in &w.ids {
        got += w.service.lead_events(id, 10).await.unwrap().len() as u64;
    }
    assert_eq!(got, 200, "the first 200 were stored before the stop: {}", first.render());
    let second = run_with(&w, &extra, SyncOptions::default()).await.unwrap();
    assert!(second.stopped.is_none(), "{}", second.render());
    let m = second.reads.iter().find(|x| x.object == "campaign_members").unwrap();
    assert_eq!(got + m.created, 450, "every member once: {}", second.render());
    for (id, member) in w.ids.iter().zip(&members) {
        let events = w.service.lead_events(id, 10).await.unwrap();
        assert_eq!(events.len(), 1, "{id}");
        assert_eq!(&events[0].event_id, member);
    }
    let third = run_with(&w, &extra, SyncOptions::default()).await.unwrap();
    assert_eq!(third.reads.iter().find(|x| x.object == "campaign_members").unwrap().created, 0);
}

const JWT_PRIVATE: &str = include_str!("../../leadrank-crm-fakes/fixtures/test-jwt-private.pem");
const JWT_PUBLIC: &str = include_str!("../../leadrank-crm-fakes/fixtures/test-jwt-public.pem");
const JWT_OTHER_PUBLIC: &str = include_str!("../../leadrank-crm-fakes/fixtures/test-jwt-other-public.pem");

#[tokio::test]
async fn the_jwt_bearer_flow_signs_in_uses_the_instance_it_is_given_and_renews() {
    let w = world(3, 0, true).await;
    w.fake.enable_jwt_bearer("3MVG9fake.consumer.key", JWT_PUBLIC, &["sync@acme.com"]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sf.pem"), JWT_PRIVATE).unwrap();
    // The configured instance URL is not the org's: calls go where the token endpoint says.
    let sync_file = |user: &str, key: &str| {
        format!(
            "[salesforce]\ninstance_url = \"http://127.0.0.1:9\"\nauth = \"jwt_bearer\"\nclient_id = \"3MVG9fake.consumer.key\"\nusername = \"{user}\"\nprivate_key_file = \"{key}\"\nlogin_url = \"{}\"\n",
            w.fake.url
        )
    };
    let plan_for = |user: &str, key: &str| Plan::new(&SyncConfig::parse(&sync_file(user, key), "sync.toml").unwrap(), dir.path()).unwrap();
    let plan = plan_for("sync@acme.com", "sf.pem");
    let c = leadrank_sync::schedule::salesforce_client(&plan, dir.path()).unwrap();
    let r = sync(&w.service, &plan, &c, &install_opt()).await.unwrap();
    assert_eq!(r.reads.iter().find(|x| x.object == "leads").unwrap().created, 3, "{}", r.render());
    assert_eq!(w.fake.issued_tokens(), 1, "one token for the whole run");
    let token_calls: Vec<_> = w.fake.calls().into_iter().filter(|c| c.path == "/services/oauth2/token").collect();
    assert_eq!(token_calls.len(), 1);
    // The session ends: a 401, a new assertion, the run goes on.
    w.fake.expire_issued_tokens();
    w.fake.edit(&w.ids[0], &[("Title", json!("CEO"))]);
    let r = sync(&w.service, &plan, &c, &SyncOptions::default()).await.unwrap();
    assert_eq!(r.reads.iter().find(|x| x.object == "leads").unwrap().updated, 1, "{}", r.render());
    assert_eq!(w.fake.issued_tokens(), 1);
    assert_eq!(w.fake.calls().iter().filter(|c| c.status == 401).count(), 1);

    // Salesforce's refusals, each a clear error.
    let refused = |plan: Plan| {
        let service = w.service.clone();
        let dir = dir.path().to_path_buf();
        async move {
            let c = leadrank_sync::schedule::salesforce_client(&plan, &dir).unwrap();
            sync(&service, &plan, &c, &SyncOptions::default()).await.unwrap_err().to_string()
        }
    };
    let e = refused(plan_for("intruder@acme.com", "sf.pem")).await;
    assert!(e.contains("400 invalid_grant: user hasn't approved this consumer") && e.contains("pre-authorized"), "{e}");
    // The connected app holds another certificate: the signature does not verify.
    w.fake.enable_jwt_bearer("3MVG9fake.consumer.key", JWT_OTHER_PUBLIC, &["sync@acme.com"]);
    let e = refused(plan_for("sync@acme.com", "sf.pem")).await;
    assert!(e.contains("400 invalid_grant: invalid assertion") && e.contains("certificate"), "{e}");
    w.fake.enable_jwt_bearer("3MVG9fake.consumer.key", JWT_PUBLIC, &["sync@acme.com"]);
    // The fake's clock is ten minutes ahead: the assertion arrives expired.
    w.fake.set_jwt_clock_skew(600);
    let e = refused(plan_for("sync@acme.com", "sf.pem")).await;
    assert!(e.contains("400 invalid_grant: expired authorization code") && e.contains("clock"), "{e}");
    w.fake.set_jwt_clock_skew(0);
    assert!(!e.contains("PRIVATE KEY") && !e.contains("MII"), "{e}");
    // The key file is named when it is missing or not a key, never shown.
    let Err(e) = leadrank_sync::schedule::salesforce_client(&plan_for("sync@acme.com", "missing.pem"), dir.path()) else {
        panic!("a missing key file is an error")
    };
    assert!(e.to_string().contains("salesforce.private_key_file: reading"), "{e}");
    std::fs::write(dir.path().join("bad.pem"), "-----BEGIN PRIVATE KEY-----\nnot-a-key\n-----END PRIVATE KEY-----\n").unwrap();
    let Err(e) = leadrank_sync::schedule::salesforce_client(&plan_for("sync@acme.com", "bad.pem"), dir.path()) else {
        panic!("a bad key file is an error")
    };
    let e = e.to_string();
    assert!(e.contains("salesforce.private_key_file") && e.contains("not a PEM RSA private key") && !e.contains("not-a-key"), "{e}");
}

/// An org for the first-load comparisons: the world's people, a campaign with members for
/// `members` of its leads, and an opportunity for every 50th lead.
async fn org(leads: usize, contacts: usize, members: usize) -> World {
    let w = world(leads, contacts, true).await;
    let webinar = campaign(&w.fake, "Q2 webinar", Some("Webinar"));
    let show = campaign(&w.fake, "Expo", Some("Trade Show"));
    for (i, id) in w.ids.iter().take(members).enumerate() {
        member(&w.fake, if i % 3 == 0 { &show } else { &webinar }, id, Some(["2026-06-20", "2026-06-27"][i % 2]));
    }
    let contact = w.ids[leads].clone();
    let account = w.service_account_of(&contact).await;
    for (i, id) in w.ids.iter().take(leads).enumerate().step_by(50) {
        w.fake.create(
            "Opportunity",
            &[
                ("IsClosed", json!(i % 100 == 0)),
                ("IsWon", json!(i % 200 == 0)),
                ("Amount", json!(1000.5 + i as f64)),
                ("CloseDate", json!("2026-06-01")),
                ("AccountId", json!(account)),
                ("ContactId", json!(if i % 100 == 0 { contact.clone() } else { id.clone() })),
            ],
        );
    }
    w
}

/// What leadrank holds of an org's records, and what it wrote back, as text to compare.
async fn leadrank_state(w: &World) -> Vec<String> {
    let mut out = Vec::new();
    for id in &w.ids {
        let lead = w.service.lead_record(id);
        let account = lead.as_ref().and_then(|l| l.account_id.clone()).and_then(|a| w.service.account_record(&a));
        let events = w.service.lead_events(id, 100).await.unwrap();
        out.push(format!("{lead:?} {account:?} {:?} {events:?}", w.service.crm_lead(id)));
    }
    for id in w.fake.ids_of("Opportunity") {
        out.push(format!("{:?}", w.service.deal(&id)));
    }
    out.push(format!("{:?}", crm_values(&w.fake, &w.ids)));
    out
}

/// Query calls (`/query` and `/jobs/query`) of the call log.
fn read_calls(fake: &SalesforceFake) -> Vec<String> {
    fake.calls().into_iter().filter(|c| c.path.contains("/query")).map(|c| format!("{} {}", c.method, c.path)).collect()
}

async fn run_bulk(w: &World, extra: &str, options: SyncOptions) -> Result<SyncReport, SyncError> {
    let mut plan = Plan::new(&config(w, extra), Path::new(".")).unwrap();
    plan.set_bulk_poll(Duration::from_millis(5));
    let c = client(w, &plan, TOKEN);
    sync(&w.service, &plan, &c, &options).await
}

#[tokio::test]
async fn a_first_load_through_query_jobs_gives_the_same_state_as_rest_paging_in_fewer_calls() {
    let common = format!("{WITH_MEMBERS}batch_size = 200\n");
    let rest = org(2_000, 300, 1_600).await;
    let r = run_with(&rest, &common, install_opt()).await.unwrap();
    assert!(r.stopped.is_none() && r.failed.is_empty(), "{}", r.render());
    let rest_calls = read_calls(&rest.fake);

    // Leads (2,000) and members (1,600) are at or above the threshold: a query job each, its
    // results in pages of 800; accounts, contacts and opportunities go on by REST from their
    // first query.
    let bulk = org(2_000, 300, 1_600).await;
    bulk.fake.set_job_polls(1);
    let options = format!("{common}bulk_first_load = true\nbulk_threshold = 1000\nbulk_max_records = 800\n");
    let r = run_bulk(&bulk, &options, install_opt()).await.unwrap();
    assert!(r.stopped.is_none() && r.failed.is_empty(), "{}", r.render());
    let bulk_calls = read_calls(&bulk.fake);
    let jobs = bulk_calls.iter().filter(|c| c.starts_with("POST") && c.ends_with("/jobs/query")).count();
    assert_eq!(jobs, 2, "{bulk_calls:#?}");
    assert!(bulk_calls.iter().any(|c| c.contains("/results?maxRecords=800&locator=")), "locator paging: {bulk_calls:#?}");
    let members = r.reads.iter().find(|x| x.object == "campaign_members").unwrap();
    assert_eq!((members.read, members.created), (1_600, 1_600), "{}", r.render());

    assert_eq!(leadrank_state(&bulk).await, leadrank_state(&rest).await, "the same leadrank state");
    // REST: 1 + 10 + 2 + 1 + 8 queries; jobs: 1 + (1 probe, 1 job, 2 polls, 3 pages) + 2 + 1
    // + (1 probe, 1 job, 2 polls, 2 pages); and in both, the queryAll for deleted opportunities.
    println!("first load read calls: REST paging {}, query jobs {}", rest_calls.len(), bulk_calls.len());
    assert_eq!((rest_calls.len(), bulk_calls.len()), (23, 18), "REST: {rest_calls:#?}\njobs: {bulk_calls:#?}");

    // Then incremental by REST from the cursor, as always.
    bulk.fake.edit(&bulk.ids[7], &[("Title", json!("Chief Executive Officer"))]);
    bulk.fake.clear_calls();
    let r = run_bulk(&bulk, &options, SyncOptions::default()).await.unwrap();
    assert_eq!(r.reads.iter().find(|x| x.object == "leads").unwrap().updated, 1, "{}", r.render());
    assert!(read_calls(&bulk.fake).iter().all(|c| !c.contains("/jobs/")), "{:#?}", read_calls(&bulk.fake));
}

#[tokio::test]
async fn a_failed_query_job_stops_the_run_and_the_next_run_loads_with_a_new_job() {
    let w = world(1_200, 0, true).await;
    w.fake.fail_next_job("InvalidBatch : Failed to process query: the query timed out");
    let options = "batch_size = 200\nbulk_first_load = true\nbulk_threshold = 1000\n";
    let r = run_bulk(&w, options, install_opt()).await.unwrap();
    let stopped = r.stopped.clone().unwrap_or_default();
    assert!(stopped.contains("the query job of Lead failed: InvalidBatch : Failed to process query"), "{}", r.render());
    assert!(w.service.lead_record(&w.ids[0]).is_none(), "nothing stored from the failed job");
    let r = run_bulk(&w, options, install_opt()).await.unwrap();
    assert!(r.stopped.is_none(), "{}", r.render());
    assert_eq!(r.reads.iter().find(|x| x.object == "leads").unwrap().created, 1_200, "{}", r.render());
    assert_eq!(w.fake.calls().iter().filter(|c| c.method == "POST" && c.path.ends_with("/jobs/query")).count(), 2);
    assert_eq!(r.records_written, 1_200);
}
