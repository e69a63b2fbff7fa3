//! The HubSpot connector against the fake HubSpot (`leadrank-crm-fakes`): first sync,
//! change-only runs, per-field rules, dry runs, erasure, and fault injection (429 bursts,
//! 5xx, timeouts, partial batch failures, the daily cap, a run stopped mid-way).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use leadrank_crm::config::SyncConfig;
use leadrank_crm_fakes::{Fault, HubSpotFake};
use leadrank_service::Service;
use leadrank_service::clock::ManualClock;
use leadrank_service::metrics::Metrics;
use leadrank_store_sqlite::SqliteStore;
use leadrank_sync::client::{ClientOptions, HubSpotClient};
use leadrank_sync::hubspot::{Plan, SyncOptions, SyncReport, sync};
use leadrank_sync::{SyncError, Token};

const TOKEN: &str = "pat-na1-test-token";

struct World {
    _dir: tempfile::TempDir,
    service: Arc<Service>,
    fake: HubSpotFake,
    ids: Vec<String>,
}

async fn service_in(dir: &Path) -> Arc<Service> {
    let store = Arc::new(SqliteStore::open(&dir.join("t.db")).await.unwrap());
    let clock = Arc::new(ManualClock::new("2026-06-30T12:00:00Z".parse().unwrap()));
    Service::start(store, clock, Arc::new(Metrics::new())).await.unwrap()
}

const TITLES: [&str; 6] = ["VP Engineering", "Head of IT", "Student", "CTO", "Marketing Intern", "Director of Operations"];
const INDUSTRIES: [&str; 4] = ["COMPUTER_SOFTWARE", "BANKING", "RETAIL", "HOSPITAL_HEALTH_CARE"];
const SIZES: [&str; 5] = ["1-5", "25-50", "100-500", "1000+", ""];

async fn world(contacts: usize) -> World {
    let dir = tempfile::tempdir().unwrap();
    let service = service_in(dir.path()).await;
    let fake = HubSpotFake::start(TOKEN).await;
    let company = fake
        .create("companies", &[("name", "Acme"), ("domain", "acme.io"), ("industry", "COMPUTER_SOFTWARE"), ("numberofemployees", "800")]);
    let mut ids = Vec::new();
    for i in 0..contacts {
        let email = format!("person{i}@{}", if i % 3 == 0 { "gmail.com" } else { "acme.io" });
        let company_id = if i % 2 == 0 { company.as_str() } else { "" };
        ids.push(fake.create(
            "contacts",
            &[
                ("email", &email),
                ("firstname", "Pat"),
                ("lastname", &format!("Lee{i}")),
                ("jobtitle", TITLES[i % TITLES.len()]),
                ("industry", INDUSTRIES[i % INDUSTRIES.len()]),
                ("numemployees", SIZES[i % SIZES.len()]),
                ("country", if i % 4 == 0 { "Germany" } else { "United States" }),
                ("hs_analytics_source", "ORGANIC_SEARCH"),
                ("associatedcompanyid", company_id),
            ],
        ));
    }
    World { _dir: dir, service, fake, ids }
}

fn config(extra: &str) -> SyncConfig {
    SyncConfig::parse(&format!("[hubspot]\ntier = \"starter\"\n{extra}"), "sync.toml").unwrap()
}

fn client(fake: &HubSpotFake, plan: &Plan) -> HubSpotClient {
    let mut o = ClientOptions::hubspot(plan.hubspot.tier);
    o.timeout = Duration::from_millis(700);
    o.backoff = Duration::from_millis(10);
    o.default_retry_after = Duration::from_millis(50);
    o.max_retries = plan.hubspot.max_retries;
    HubSpotClient::new(&fake.url, Token::new(TOKEN).unwrap(), o).unwrap()
}

async fn run(w: &World, cfg: &SyncConfig, options: SyncOptions) -> Result<SyncReport, SyncError> {
    let plan = Plan::new(cfg, Path::new(".")).unwrap();
    let c = client(&w.fake, &plan);
    sync(&w.service, &plan, &c, &options).await
}

fn install() -> SyncOptions {
    SyncOptions { install_fields: true, ..SyncOptions::default() }
}

/// leadrank's values of every contact in the fake.
fn crm_values(fake: &HubSpotFake, ids: &[String]) -> BTreeMap<String, BTreeMap<String, String>> {
    ids.iter()
        .map(|id| {
            let p = fake.get("contacts", id).unwrap();
            (id.clone(), p.into_iter().filter(|(k, _)| k.starts_with("leadrank_") || k == "lifecyclestage").collect())
        })
        .collect()
}

fn writes_by_kind(fake: &HubSpotFake) -> (usize, usize) {
    let calls = fake.calls();
    let reads = calls.iter().filter(|c| c.path.ends_with("/search")).count();
    let writes = calls.iter().filter(|c| c.path.ends_with("/batch/update")).count();
    (reads, writes)
}

#[tokio::test]
async fn first_sync_reads_everything_and_writes_every_score_back() {
    let w = world(250).await;
    let r = run(&w, &config(""), install()).await.unwrap();
    assert!(r.stopped.is_none(), "{}", r.render());
    // Properties and group created.
    assert!(w.fake.groups("contacts").contains(&"leadrank".to_string()));
    let props: Vec<String> = w.fake.properties("contacts").into_iter().map(|p| p.name).collect();
    for f in ["leadrank_score", "leadrank_grade", "leadrank_cell", "leadrank_quality", "leadrank_reasons", "leadrank_stage", "leadrank_rep"]
    {
        assert!(props.contains(&f.to_string()), "{f} missing");
    }
    // Every contact is a lead; every lead's score is in HubSpot.
    let contacts = r.reads.iter().find(|x| x.object == "contacts").unwrap();
    assert_eq!(contacts.read, 250);
    assert_eq!(contacts.created, 250);
    assert_eq!(r.records_written, 250);
    for id in &w.ids {
        let lead = w.service.crm_lead(id).unwrap();
        let p = w.fake.get("contacts", id).unwrap();
        assert_eq!(p["leadrank_score"], lead.total.to_string());
        assert_eq!(p["leadrank_grade"], lead.grade);
        assert_eq!(p["leadrank_quality"], lead.quality.to_string());
        assert_eq!(p["leadrank_stage"], lead.stage.clone().unwrap());
        assert!(p["leadrank_reasons"].lines().count() <= 3);
    }
    // The company became an account the leads belong to.
    assert!(w.service.account_record("1001").is_some());
    // 250 contacts at 100 per page; 250 writes at 100 per batch.
    let (reads, writes) = writes_by_kind(&w.fake);
    assert_eq!(writes, 3);
    assert_eq!(reads, 1 + 2 + 1, "one page of companies, two of contacts (200 a page), one (empty) of deals");
    assert_eq!(r.stats.calls.total() as usize, w.fake.calls().len());
}

#[tokio::test]
async fn deals_become_outcomes_of_their_contact_and_company() {
    let w = world(6).await;
    let company = "1001";
    // Refused deals first: the last deal modified is held, so a run without changes reads no
    // associations (a refused deal at the cursor's time is examined again by the next run).
    let orphan = w.fake.create("deals", &[("dealstage", "closedwon")]);
    let negative = w.fake.create("deals", &[("dealstage", "closedwon"), ("amount", "-5")]);
    w.fake.associate(("deals", &negative), ("contacts", &w.ids[3]));
    let won = w.fake.create(
        "deals",
        &[("dealname", "Acme expansion"), ("dealstage", "closedwon"), ("amount", "12500.50"), ("closedate", "2026-06-20T00:00:00Z")],
    );
    w.fake.associate(("deals", &won), ("contacts", &w.ids[0]));
    w.fake.associate(("deals", &won), ("companies", company));
    let lost = w.fake.create("deals", &[("dealstage", "closedlost"), ("closed_lost_reason", "Budget"), ("amount", "4000")]);
    w.fake.associate(("deals", &lost), ("companies", company));
    let open = w.fake.create("deals", &[("dealstage", "appointmentscheduled"), ("amount", "900")]);
    w.fake.associate(("deals", &open), ("contacts", &w.ids[2]));

    // A dry run reads and maps them but stores nothing.
    let dry = run(&w, &config(""), SyncOptions { dry_run: true, ..SyncOptions::default() }).await.unwrap();
    assert_eq!(dry.reads.iter().find(|x| x.object == "deals").unwrap().updated, 3);
    assert!(w.service.deals().is_empty());

    w.fake.clear_calls();
    let r = run(&w, &config(""), install()).await.unwrap();
    let deals = r.reads.iter().find(|x| x.object == "deals").expect("deals are read by default");
    assert_eq!((deals.read, deals.created), (5, 3), "{}", r.render());
    // A deal with neither a contact nor a company, and a negative amount, are named.
    assert_eq!(deals.rejected.len(), 2, "{:?}", deals.rejected);
    assert!(
        deals.rejected.iter().any(|m| m.starts_with(&format!("deals {orphan}: lead_id: an opportunity needs"))),
        "{:?}",
        deals.rejected
    );
    assert!(deals.rejected.iter().any(|m| m.contains(&format!("deals {negative}: amount: '-5' must be zero or more"))));
    let got = w.service.deal(&won).unwrap();
    assert_eq!(got.lead_id.as_deref(), Some(w.ids[0].as_str()));
    assert_eq!(got.account_id.as_deref(), Some(company));
    assert_eq!(got.status, leadrank_metrics::report::OppStatus::Won);
    assert_eq!(got.amount, Some(12500.5));
    let got = w.service.deal(&lost).unwrap();
    assert_eq!((got.lead_id.as_deref(), got.account_id.as_deref()), (None, Some(company)));
    assert_eq!((got.status, got.loss_reason.as_deref()), (leadrank_metrics::report::OppStatus::Lost, Some("Budget")));
    assert_eq!(w.service.deal(&open).unwrap().status, leadrank_metrics::report::OppStatus::Open, "any other stage is open");
    // Associations were read once per page and kind.
    let assoc = w.fake.calls().iter().filter(|c| c.path.contains("/associations/deals/")).count();
    assert_eq!(assoc, 2);

    // Nothing changed: the next run stores nothing and reads no associations again; a deal
    // that moves stage is updated.
    w.fake.clear_calls();
    let r = run(&w, &config(""), SyncOptions::default()).await.unwrap();
    let deals = r.reads.iter().find(|x| x.object == "deals").unwrap();
    assert_eq!((deals.created, deals.updated), (0, 0), "{}", r.render());
    assert!(w.fake.calls().iter().all(|c| !c.path.contains("/associations/")), "{:?}", w.fake.calls());
    w.fake.edit("deals", &open, &[("dealstage", "closedlost"), ("closed_lost_reason", "No decision")]);
    let r = run(&w, &config(""), SyncOptions::default()).await.unwrap();
    assert_eq!(r.reads.iter().find(|x| x.object == "deals").unwrap().updated, 1, "{}", r.render());
    assert_eq!(w.service.deal(&open).unwrap().loss_reason.as_deref(), Some("No decision"));

    // Without "deals" in `objects`, none are read.
    w.fake.clear_calls();
    let r = run(&w, &config("objects = [\"contacts\"]\n"), SyncOptions::default()).await.unwrap();
    assert!(r.reads.iter().all(|x| x.object != "deals"));
    assert!(w.fake.calls().iter().all(|c| !c.path.contains("deals")));
}

#[tokio::test]
async fn later_runs_write_only_what_changed() {
    let w = world(120).await;
    run(&w, &config(""), install()).await.unwrap();
    // The next run reads back its own writes (they moved the modification time) and writes nothing.
    w.fake.clear_calls();
    let r = run(&w, &config(""), SyncOptions::default()).await.unwrap();
    assert_eq!(r.records_written, 0, "{}", r.render());
    assert_eq!(writes_by_kind(&w.fake).1, 0);
    // A person changes two contacts' titles: only they are written, in one batch.
    w.fake.edit("contacts", &w.ids[2], &[("jobtitle", "Chief Executive Officer")]);
    w.fake.edit("contacts", &w.ids[7], &[("jobtitle", "Student")]);
    w.fake.clear_calls();
    let before = crm_values(&w.fake, &w.ids);
    let r = run(&w, &config(""), SyncOptions::default()).await.unwrap();
    let contacts = r.reads.iter().find(|x| x.object == "contacts").unwrap();
    // The two edited, and any record at exactly the stored cursor time (read again, unchanged).
    assert!(contacts.read >= 2 && contacts.read <= 3, "{}", r.render());
    assert_eq!(contacts.updated, 2);
    let after = crm_values(&w.fake, &w.ids);
    let changed: Vec<&String> = w.ids.iter().filter(|id| before[*id] != after[*id]).collect();
    assert!(changed.len() <= 2);
    assert!(writes_by_kind(&w.fake).1 <= 1);
    for (_, id, prop, _) in w.fake.writes() {
        assert!(changed.contains(&&id), "{id} {prop} written without a change");
    }
}

#[tokio::test]
async fn a_value_a_person_set_is_never_overwritten_and_lifecycle_only_moves_forward() {
    let w = world(30).await;
    let cfg = config("[writeback]\nlifecycle_stage = true\n[writeback.rules.rep]\nonly_if_empty = true\n");
    w.fake.edit("contacts", &w.ids[0], &[("lifecyclestage", "customer")]);
    w.fake.edit("contacts", &w.ids[1], &[("lifecyclestage", "subscriber")]);
    run(&w, &cfg, install()).await.unwrap();
    assert_eq!(w.fake.get("contacts", &w.ids[0]).unwrap()["lifecyclestage"], "customer", "never backwards");
    assert_ne!(w.fake.get("contacts", &w.ids[1]).unwrap()["lifecyclestage"], "subscriber", "moved forward");
    // A person overrides the grade; a later score change leaves it.
    w.fake.edit("contacts", &w.ids[3], &[("leadrank_grade", "Z"), ("jobtitle", "Student")]);
    let r = run(&w, &cfg, SyncOptions::default()).await.unwrap();
    assert_eq!(w.fake.get("contacts", &w.ids[3]).unwrap()["leadrank_grade"], "Z");
    assert!(r.kept.get("kept: set by someone else").copied().unwrap_or(0) >= 1, "{}", r.render());
    // Still kept on the runs after (HubSpot's value is remembered as someone else's).
    w.fake.edit("contacts", &w.ids[3], &[("jobtitle", "CTO")]);
    run(&w, &cfg, SyncOptions::default()).await.unwrap();
    assert_eq!(w.fake.get("contacts", &w.ids[3]).unwrap()["leadrank_grade"], "Z");
}

#[tokio::test]
async fn a_dry_run_changes_nothing_and_says_what_it_would_do() {
    let w = world(150).await;
    let cfg = config("");
    run(&w, &cfg, install()).await.unwrap();
    w.fake.edit("contacts", &w.ids[4], &[("jobtitle", "CTO"), ("industry", "COMPUTER_SOFTWARE"), ("numemployees", "1000+")]);
    let before = crm_values(&w.fake, &w.ids);
    let lead_before = w.service.lead_record(&w.ids[4]);
    w.fake.clear_calls();
    let r = run(&w, &cfg, SyncOptions { dry_run: true, ..SyncOptions::default() }).await.unwrap();
    assert_eq!(crm_values(&w.fake, &w.ids), before);
    assert_eq!(w.service.lead_record(&w.ids[4]), lead_before, "leadrank unchanged");
    assert_eq!(writes_by_kind(&w.fake).1, 0);
    // The same run for real spends what the dry run said, on the records it named.
    let text = r.render();
    assert!(text.contains("a real run would spend"), "{text}");
    let would: Vec<String> = r.changes.iter().map(|c| c.id.clone()).collect();
    w.fake.clear_calls();
    let real = run(&w, &cfg, SyncOptions::default()).await.unwrap();
    let written: std::collections::BTreeSet<String> = w.fake.writes().into_iter().map(|(_, id, _, _)| id).collect();
    // The dry run planned on the scores before the new title; the real run on the scores after it.
    assert!(written.iter().all(|id| id == &w.ids[4] || would.contains(id)), "{text}\n{}", real.render());
    assert_eq!(r.would_spend.writes, leadrank_crm::calls::batches(r.changes.len() as u64, 100));
}

#[tokio::test]
async fn erasure_clears_leadrank_fields_in_the_crm_and_is_recorded() {
    let w = world(20).await;
    run(&w, &config(""), install()).await.unwrap();
    let id = w.ids[5].clone();
    assert_ne!(w.fake.get("contacts", &id).unwrap()["leadrank_score"], "");
    w.service.erase(Some(&id), None, "test").await.unwrap();
    let r = run(&w, &config(""), SyncOptions::default()).await.unwrap();
    assert_eq!(r.cleared, 1, "{}", r.render());
    let p = w.fake.get("contacts", &id).unwrap();
    for f in ["leadrank_score", "leadrank_grade", "leadrank_reasons", "leadrank_stage"] {
        assert_eq!(p[f], "", "{f} not cleared");
    }
    // The CRM's own record stays (it is the customer's to delete), and HubSpot's own fields too.
    assert_eq!(p["firstname"], "Pat");
    let audit = w.service.audit_log(20).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "crm.erase"), "{audit:?}");
    // The erased person, read again from HubSpot, is not stored, and nothing is written again.
    w.fake.edit("contacts", &id, &[("jobtitle", "CTO")]);
    w.fake.clear_calls();
    let r = run(&w, &config(""), SyncOptions::default()).await.unwrap();
    assert_eq!(r.cleared, 0, "counted once: {}", r.render());
    assert!(w.service.lead_record(&id).is_none());
    assert_eq!(r.reads.iter().find(|x| x.object == "contacts").unwrap().suppressed, 1);
    assert!(w.fake.writes().iter().all(|(_, i, _, _)| i != &id));
}

/// The final CRM values of a run without faults, for comparison.
async fn reference(contacts: usize, edits: &[(usize, &str)]) -> BTreeMap<String, BTreeMap<String, String>> {
    let w = world(contacts).await;
    run(&w, &config(""), install()).await.unwrap();
    for (i, title) in edits {
        w.fake.edit("contacts", &w.ids[*i], &[("jobtitle", title)]);
    }
    run(&w, &config(""), SyncOptions::default()).await.unwrap();
    crm_values(&w.fake, &w.ids)
}

/// Runs the same command again until a run finishes without failures or a stop (at most
/// `n` runs).
async fn settle(w: &World, n: usize) {
    for _ in 0..n {
        let r = run(w, &config(""), install()).await.unwrap();
        if r.stopped.is_none() && r.failed.is_empty() {
            return;
        }
    }
    panic!("did not settle in {n} runs");
}

fn assert_no_duplicate_writes(fake: &HubSpotFake) {
    let mut seen = std::collections::BTreeSet::new();
    for w in fake.writes() {
        assert!(seen.insert(w.clone()), "written twice: {w:?}");
    }
}

#[tokio::test]
async fn bursts_of_429_and_5xx_lose_no_update_and_duplicate_none() {
    let edits = [(1, "CTO"), (8, "Student"), (90, "VP Sales")];
    let want = reference(230, &edits).await;
    let w = world(230).await;
    w.fake.inject(Fault::TooMany { retry_after_s: Some(1) }, "/search", 3);
    w.fake.inject(Fault::Server(503), "/batch/update", 2);
    w.fake.inject(Fault::TooMany { retry_after_s: None }, "/batch/update", 2);
    w.fake.inject(Fault::Server(502), "/search", 1);
    let r = run(&w, &config(""), install()).await.unwrap();
    assert!(r.stopped.is_none(), "{}", r.render());
    assert_eq!(r.stats.throttled, 5);
    assert_eq!(r.stats.server_errors, 3);
    assert_no_duplicate_writes(&w.fake);
    for (i, title) in edits {
        w.fake.edit("contacts", &w.ids[i], &[("jobtitle", title)]);
    }
    w.fake.inject(Fault::Server(500), "/search", 2);
    run(&w, &config(""), SyncOptions::default()).await.unwrap();
    assert_eq!(crm_values(&w.fake, &w.ids), want);
    assert_no_duplicate_writes(&w.fake);
}

#[tokio::test]
async fn partial_batch_failures_are_written_on_the_next_run() {
    let want = reference(150, &[]).await;
    let w = world(150).await;
    w.fake.inject(Fault::Partial(7), "/batch/update", 1);
    let r = run(&w, &config(""), install()).await.unwrap();
    assert_eq!(r.failed.len(), 7, "{}", r.render());
    assert_eq!(r.records_written, 143);
    settle(&w, 3).await;
    assert_eq!(crm_values(&w.fake, &w.ids), want);
    assert_no_duplicate_writes(&w.fake);
}

#[tokio::test]
async fn timeouts_are_retried_and_the_result_is_the_same() {
    let want = reference(120, &[]).await;
    let w = world(120).await;
    // Longer than the client's timeout: the fake still applies the write it answers late.
    w.fake.inject(Fault::Slow(Duration::from_millis(1_200)), "/batch/update", 1);
    w.fake.inject(Fault::Slow(Duration::from_millis(1_200)), "/search", 1);
    let r = run(&w, &config(""), install()).await.unwrap();
    assert!(r.stats.timeouts >= 2, "{}", r.render());
    assert!(r.stopped.is_none());
    assert_eq!(crm_values(&w.fake, &w.ids), want);
    // A timed-out write is sent again with the same values (a batch update is idempotent):
    // at most the one batch that timed out appears twice.
    let writes = w.fake.writes();
    let distinct: std::collections::BTreeSet<_> = writes.iter().cloned().collect();
    assert!(writes.len() - distinct.len() <= 100 * 7, "{} repeated", writes.len() - distinct.len());
}

#[tokio::test]
async fn the_daily_cap_stops_the_run_and_the_next_run_resumes_from_the_cursor() {
    let want = reference(260, &[]).await;
    let w = world(260).await;
    w.fake.set_daily_limit(Some(6));
    let r = run(&w, &config(""), install()).await.unwrap();
    let stopped = r.stopped.clone().unwrap_or_default();
    assert!(stopped.contains("daily API allowance is spent"), "{}", r.render());
    // The day's count is kept across runs: the next run the same day stops at once.
    let r = run(&w, &config(""), SyncOptions::default()).await.unwrap();
    assert!(r.stopped.is_some(), "{}", r.render());
    assert_eq!(r.stats.calls.total(), 0);
    // A new day: HubSpot's cap is lifted and the stored count starts again.
    w.fake.set_daily_limit(None);
    w.service.delete_crm_state("crm.hubspot.budget", "day").await.unwrap();
    settle(&w, 3).await;
    assert_eq!(crm_values(&w.fake, &w.ids), want);
    assert_no_duplicate_writes(&w.fake);
    assert!(w.service.crm_lead(&w.ids[259]).is_some());
}

#[tokio::test]
async fn a_run_stopped_mid_way_resumes_without_losing_or_repeating_anything() {
    let want = reference(450, &[]).await;
    for stop_after in [2usize, 4, 6, 8] {
        let w = world(450).await;
        let plan = Plan::new(&config(""), Path::new(".")).unwrap();
        let service = w.service.clone();
        let fake = w.fake.clone();
        let task = tokio::spawn(async move {
            let c = client(&fake, &plan);
            let _ = sync(&service, &plan, &c, &install()).await;
        });
        // Stop the run (as a kill would) once the fake has answered `stop_after` calls.
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
async fn bad_token_and_missing_properties_are_clear_errors() {
    let w = world(3).await;
    let plan = Plan::new(&config(""), Path::new(".")).unwrap();
    let c = HubSpotClient::new(&w.fake.url, Token::new("wrong").unwrap(), ClientOptions::hubspot(plan.hubspot.tier)).unwrap();
    let e = sync(&w.service, &plan, &c, &SyncOptions::default()).await.unwrap_err().to_string();
    assert!(e.contains("401 INVALID_AUTHENTICATION"), "{e}");
    assert!(!e.contains("wrong"), "the token is never shown: {e}");
    assert_eq!(format!("{:?}", Token::new("secret").unwrap()), "Token(***)");
    let e = run(&w, &config(""), SyncOptions::default()).await.unwrap_err().to_string();
    assert!(e.contains("--install-fields"), "{e}");
}

const EVENTS: &str = "objects = [\"contacts\", \"companies\", \"deals\", \"meetings\", \"email_events\", \"form_submissions\"]\n";

fn email_of(i: usize) -> String {
    format!("person{i}@{}", if i.is_multiple_of(3) { "gmail.com" } else { "acme.io" })
}

fn events_read<'a>(r: &'a SyncReport, object: &str) -> &'a leadrank_sync::hubspot::ReadReport {
    r.reads.iter().find(|x| x.object == object).unwrap_or_else(|| panic!("no {object} in {}", r.render()))
}

/// Every event leadrank holds for these leads, by id.
async fn stored_events(w: &World) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for id in &w.ids {
        for e in w.service.lead_events(id, 100_000).await.unwrap() {
            assert!(out.insert(e.event_id.clone(), e.event_type.clone()).is_none(), "{} stored twice", e.event_id);
        }
    }
    out
}

#[tokio::test]
async fn engagement_events_become_leadrank_events_once() {
    let w = world(6).await;
    let cfg = config(EVENTS);
    let r = run(&w, &cfg, install()).await.unwrap();
    assert!(r.stopped.is_none(), "{}", r.render());
    let before = w.service.crm_lead(&w.ids[1]).unwrap().total;

    // A bounce (the default model takes points off), a click, a bot click HubSpot filters out,
    // and a click by someone who is not a lead.
    w.fake.email_event("BOUNCE", &email_of(1).to_uppercase(), None, false);
    let click = w.fake.email_event("CLICK", &email_of(2), Some("https://acme.io/pricing"), false);
    w.fake.email_event("CLICK", &email_of(2), Some("https://acme.io/x"), true);
    w.fake.email_event("CLICK", "stranger@nowhere.io", Some("https://acme.io/pricing"), false);
    w.fake.email_event("OPEN", &email_of(2), None, false);
    // A meeting with two leads and a contact leadrank does not hold.
    let meeting = w.fake.create("meetings", &[("hs_meeting_outcome", "SCHEDULED"), ("hs_meeting_start_time", "2026-07-02T15:00:00Z")]);
    w.fake.associate(("meetings", &meeting), ("contacts", &w.ids[2]));
    w.fake.associate(("meetings", &meeting), ("contacts", &w.ids[4]));
    w.fake.associate(("meetings", &meeting), ("contacts", "99999"));
    let lonely = w.fake.create("meetings", &[("hs_meeting_outcome", "SCHEDULED")]);
    // A form: one submission by a lead, one by a stranger.
    let form = w.fake.create_form("Demo request");
    let sub = w.fake.submit_form(&form, &[("email", &email_of(4)), ("firstname", "Pat")], "https://acme.io/demo");
    w.fake.submit_form(&form, &[("email", "someone@else.io")], "https://acme.io/demo");

    w.fake.clear_calls();
    let r = run(&w, &cfg, SyncOptions::default()).await.unwrap();
    let text = r.render();
    assert!(r.stopped.is_none(), "{text}");
    let clicks = events_read(&r, "email_events CLICK");
    assert_eq!((clicks.read, clicks.created, clicks.skipped.len()), (2, 1, 1), "{text}");
    assert!(clicks.skipped[0].contains("no lead in leadrank has its e-mail address"), "{text}");
    let bounces = events_read(&r, "email_events BOUNCE");
    assert_eq!((bounces.read, bounces.created), (1, 1), "{text}");
    let meetings = events_read(&r, "meetings");
    assert_eq!((meetings.read, meetings.created, meetings.skipped.len()), (2, 2, 2), "{text}");
    assert!(meetings.skipped.iter().any(|s| s == &format!("meetings {meeting}: contact 99999: not a lead in leadrank")), "{text}");
    assert!(meetings.skipped.iter().any(|s| s == &format!("meetings {lonely}: no associated contact")), "{text}");
    let forms = events_read(&r, "form_submissions");
    assert_eq!((forms.read, forms.created, forms.skipped.len()), (2, 1, 1), "{text}");
    // The report names events, never the addresses.
    assert!(!text.contains("stranger@") && !text.contains("someone@"), "{text}");

    // The events are stored on the right leads with stable ids.
    let stored = stored_events(&w).await;
    assert_eq!(stored.len(), 5, "{stored:?}");
    assert_eq!(stored[&format!("hubspot-email-{click}")], "email_click");
    assert_eq!(stored[&format!("hubspot-meeting-{meeting}-{}", w.ids[2])], "meeting_booked");
    assert_eq!(stored[&format!("hubspot-meeting-{meeting}-{}", w.ids[4])], "meeting_booked");
    assert_eq!(stored[&format!("hubspot-form-{sub}")], "form_submit");
    let lead1 = w.service.lead_events(&w.ids[1], 10).await.unwrap();
    assert_eq!(lead1.len(), 1);
    assert_eq!(lead1[0].event_type, "email_bounce");
    let clicked = w.service.lead_events(&w.ids[2], 10).await.unwrap();
    let click_event = clicked.iter().find(|e| e.event_type == "email_click").unwrap();
    assert_eq!(click_event.url.as_deref(), Some("https://acme.io/pricing"));
    // The bounce changed the score, and the new score went back to HubSpot.
    let after = w.service.crm_lead(&w.ids[1]).unwrap().total;
    assert!(after < before, "{before} -> {after}");
    assert_eq!(w.fake.get("contacts", &w.ids[1]).unwrap()["leadrank_score"], after.to_string());
    // Calls: one search and one association read for meetings, one page per e-mail event type,
    // the forms list and one page of the form's submissions.
    let calls = w.fake.calls();
    let count = |p: &str| calls.iter().filter(|c| c.path.contains(p)).count();
    assert_eq!(count("/objects/meetings/search"), 1);
    assert_eq!(count("/associations/meetings/contacts"), 1);
    assert_eq!(count("/email/public/v1/events"), 2);
    assert_eq!(count("/marketing/v3/forms"), 1);
    assert_eq!(count("/form-integrations/v1/submissions/forms/"), 1);

    // Nothing new: the next run reads nothing, stores nothing and reads no associations.
    w.fake.clear_calls();
    let r = run(&w, &cfg, SyncOptions::default()).await.unwrap();
    for x in r.reads.iter().filter(|x| x.events) {
        assert_eq!((x.read, x.created, x.unchanged), (0, 0, 0), "{}", r.render());
    }
    assert_eq!(w.fake.calls().iter().filter(|c| c.path.contains("/associations/")).count(), 0);
    assert_eq!(stored_events(&w).await.len(), 5);
    assert_eq!(w.service.crm_lead(&w.ids[1]).unwrap().total, after);

    // A meeting changed later is read again: its events are already held, counted once.
    w.fake.edit("meetings", &meeting, &[("hs_meeting_outcome", "COMPLETED")]);
    let r = run(&w, &cfg, SyncOptions::default()).await.unwrap();
    let meetings = events_read(&r, "meetings");
    assert_eq!((meetings.read, meetings.created, meetings.unchanged), (1, 0, 2), "{}", r.render());
    assert_eq!(stored_events(&w).await.len(), 5);

    // A dry run lists what it would read and stores nothing.
    w.fake.email_event("CLICK", &email_of(5), Some("https://acme.io/a"), false);
    let dry = run(&w, &cfg, SyncOptions { dry_run: true, ..SyncOptions::default() }).await.unwrap();
    assert!(dry.render().contains("email_events CLICK: 1 read, 1 new event(s) (would be sent)"), "{}", dry.render());
    assert_eq!(stored_events(&w).await.len(), 5);
    let r = run(&w, &cfg, SyncOptions::default()).await.unwrap();
    assert_eq!(events_read(&r, "email_events CLICK").created, 1, "the dry run moved no cursor: {}", r.render());

    // Without them in `objects` (the default), none of these endpoints is called.
    w.fake.clear_calls();
    run(&w, &config(""), SyncOptions::default()).await.unwrap();
    assert!(
        w.fake.calls().iter().all(|c| !c.path.contains("meetings") && !c.path.contains("/email/") && !c.path.contains("forms")),
        "{:?}",
        w.fake.calls()
    );
}

#[tokio::test]
async fn bursts_of_429_and_a_stop_mid_paging_lose_and_double_count_no_event() {
    let w = world(8).await;
    let cfg = config(&format!("{EVENTS}page_size = 50\n"));
    run(&w, &cfg, install()).await.unwrap();
    // Several pages of each kind: 2,300 clicks (1,000 a page), 130 submissions (50 a page),
    // 120 meetings (50 a page); a tenth of each by people who are not leads.
    let mut expected = 0usize;
    let mut unknown = 0usize;
    for i in 0..2_300 {
        let to = if i % 10 == 9 { format!("other{i}@nowhere.io") } else { email_of(i % 8) };
        if i % 10 == 9 {
            unknown += 1
        } else {
            expected += 1
        }
        w.fake.email_event("CLICK", &to, Some("https://acme.io/p"), false);
    }
    let form = w.fake.create_form("Contact us");
    for i in 0..130 {
        let to = if i % 10 == 9 { format!("other{i}@nowhere.io") } else { email_of(i % 8) };
        if i % 10 == 9 {
            unknown += 1
        } else {
            expected += 1
        }
        w.fake.submit_form(&form, &[("email", &to)], "https://acme.io/contact");
    }
    for i in 0..120 {
        let m = w.fake.create("meetings", &[("hs_meeting_outcome", "SCHEDULED")]);
        if i % 10 == 9 {
            w.fake.associate(("meetings", &m), ("contacts", "424242"));
            unknown += 1;
        } else {
            w.fake.associate(("meetings", &m), ("contacts", &w.ids[i % 8]));
            expected += 1;
        }
    }

    // A daily cap stops the run part way through the meetings' pages, then (the next day)
    // part way through the clicks' pages.
    let mut created = 0u64;
    let mut skipped = std::collections::BTreeSet::new();
    let mut tally = |r: &SyncReport| {
        for x in r.reads.iter().filter(|x| x.events) {
            created += x.created;
            skipped.extend(x.skipped.iter().cloned());
        }
    };
    w.fake.set_daily_limit(Some(7));
    let r = run(&w, &cfg, SyncOptions::default()).await.unwrap();
    assert!(r.stopped.is_some(), "{}", r.render());
    assert!(events_read(&r, "meetings").read > 0, "{}", r.render());
    tally(&r);
    w.fake.set_daily_limit(Some(10));
    w.service.delete_crm_state("crm.hubspot.budget", "day").await.unwrap();
    let r = run(&w, &cfg, SyncOptions::default()).await.unwrap();
    assert!(r.stopped.is_some(), "{}", r.render());
    assert!(events_read(&r, "email_events CLICK").read >= 1_000, "stopped while paging: {}", r.render());
    tally(&r);
    let partial = stored_events(&w).await.len();
    assert!(partial > 0 && partial < expected, "{partial} of {expected}");

    // A new day, with bursts of 429 (the fake's rolling limit, and some with Retry-After)
    // while the run pages: it resumes from the cursors.
    w.fake.set_daily_limit(None);
    w.service.delete_crm_state("crm.hubspot.budget", "day").await.unwrap();
    w.fake.set_burst(Some((4, Duration::from_millis(300))));
    w.fake.inject(Fault::TooMany { retry_after_s: Some(1) }, "/form-integrations/", 2);
    w.fake.inject(Fault::TooMany { retry_after_s: None }, "/email/public/v1/events", 2);
    let r = run(&w, &cfg, SyncOptions::default()).await.unwrap();
    assert!(r.stopped.is_none(), "{}", r.render());
    assert!(r.stats.throttled >= 4, "{}", r.render());
    w.fake.set_burst(None);
    // The clicks read before the stop are read again and found held: not counted new again.
    assert!(events_read(&r, "email_events CLICK").unchanged >= 1_000, "{}", r.render());
    tally(&r);

    // Every event stored exactly once, counted new exactly once; every stranger's listed.
    let stored = stored_events(&w).await;
    assert_eq!(stored.len(), expected);
    assert_eq!(created as usize, expected);
    assert_eq!(skipped.len(), unknown);
    let r = run(&w, &cfg, SyncOptions::default()).await.unwrap();
    assert!(r.reads.iter().filter(|x| x.events).all(|x| x.read == 0 && x.created == 0), "{}", r.render());
}

#[tokio::test]
async fn deals_deleted_in_hubspot_are_removed_from_leadrank() {
    let w = world(4).await;
    let deal = |stage: &str, contact: &str| {
        let d = w.fake.create("deals", &[("dealstage", stage), ("amount", "100")]);
        w.fake.associate(("deals", &d), ("contacts", contact));
        d
    };
    let kept = deal("closedwon", &w.ids[0]);
    let deleted = deal("appointmentscheduled", &w.ids[1]);
    let earlier = deal("closedlost", &w.ids[2]);
    // A deal deleted before leadrank ever read it.
    let never = deal("closedlost", &w.ids[3]);
    w.fake.archive("deals", &never);
    run(&w, &config(""), install()).await.unwrap();
    assert!(w.service.deal(&kept).is_some() && w.service.deal(&deleted).is_some() && w.service.deal(&earlier).is_some());
    assert!(w.service.deal(&never).is_none());
    w.fake.archive("deals", &deleted);

    // A dry run says what it would remove and removes nothing.
    let dry = run(&w, &config(""), SyncOptions { dry_run: true, ..SyncOptions::default() }).await.unwrap();
    let gone = dry.reads.iter().find(|x| x.object == "deleted deals").expect("deleted deals are read");
    assert_eq!(gone.deleted, 1, "{}", dry.render());
    assert!(w.service.deal(&deleted).is_some());

    w.fake.clear_calls();
    let r = run(&w, &config(""), SyncOptions::default()).await.unwrap();
    let gone = r.reads.iter().find(|x| x.object == "deleted deals").unwrap();
    assert_eq!(gone.deleted, 1, "{}", r.render());
    assert!(w.service.deal(&deleted).is_none());
    assert!(w.service.deal(&kept).is_some() && w.service.deal(&earlier).is_some(), "only the deleted one");
    assert_eq!(w.fake.calls().iter().filter(|c| c.path == "/crm/v3/objects/deals" && c.method == "GET").count(), 1);

    // Later: another deleted; the one removed before is passed over.
    w.fake.archive("deals", &earlier);
    let r = run(&w, &config(""), SyncOptions::default()).await.unwrap();
    assert_eq!(r.reads.iter().find(|x| x.object == "deleted deals").unwrap().deleted, 1, "{}", r.render());
    assert!(w.service.deal(&earlier).is_none() && w.service.deal(&kept).is_some());
    // Every deal leadrank holds now.
    let deals: Vec<String> = w.service.deals().into_iter().map(|d| d.id).collect();
    assert_eq!(deals, [kept]);
}
