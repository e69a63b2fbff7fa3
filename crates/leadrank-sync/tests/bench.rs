//! API calls spent by the HubSpot connector, measured on the fake HubSpot's call log:
//! a first sync of 10,000 contacts (with their companies, deals and engagement events:
//! meetings, marketing e-mail clicks and bounces, form submissions), the run after it, and
//! days where 1% and 2% of the contacts change and as many new events arrive. Run with
//! `cargo test --release -p leadrank-sync --test bench -- --ignored --nocapture`.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use leadrank_crm::calls::least_seconds;
use leadrank_crm::config::SyncConfig;
use leadrank_crm_fakes::HubSpotFake;
use leadrank_service::Service;
use leadrank_service::clock::ManualClock;
use leadrank_service::metrics::Metrics;
use leadrank_store_sqlite::SqliteStore;
use leadrank_sync::Token;
use leadrank_sync::client::{ClientOptions, HubSpotClient};
use leadrank_sync::hubspot::{Plan, SyncOptions, sync};

const TITLES: [&str; 6] = ["VP Engineering", "Head of IT", "Student", "CTO", "Marketing Intern", "Director of Operations"];
const INDUSTRIES: [&str; 4] = ["COMPUTER_SOFTWARE", "BANKING", "RETAIL", "HOSPITAL_HEALTH_CARE"];

#[tokio::test]
#[ignore = "a benchmark: run it with --ignored --nocapture"]
async fn calls_per_10000_leads() {
    let n: usize = std::env::var("LEADS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(&dir.path().join("t.db")).await.unwrap());
    let clock = Arc::new(ManualClock::new("2026-06-30T12:00:00Z".parse().unwrap()));
    let service = Service::start(store, clock, Arc::new(Metrics::new())).await.unwrap();
    let fake = HubSpotFake::start("t").await;
    let companies: Vec<String> =
        (0..n / 10).map(|i| fake.create("companies", &[("name", &format!("Company {i}")), ("domain", &format!("c{i}.example"))])).collect();
    let mut ids = Vec::new();
    for i in 0..n {
        ids.push(fake.create(
            "contacts",
            &[
                ("email", &format!("p{i}@c{}.example", i / 10)),
                ("jobtitle", TITLES[i % TITLES.len()]),
                ("industry", INDUSTRIES[i % INDUSTRIES.len()]),
                ("associatedcompanyid", &companies[i / 10]),
            ],
        ));
    }
    // One deal per 20 contacts, with its contact and company, in the default pipeline's stages.
    let stages = ["appointmentscheduled", "qualifiedtobuy", "closedwon", "closedlost"];
    let deals: Vec<String> = (0..n / 20)
        .map(|d| {
            let id = fake.create("deals", &[("dealstage", stages[d % stages.len()]), ("amount", &format!("{}", 1000 + d * 10))]);
            fake.associate(("deals", &id), ("contacts", &ids[d * 20]));
            fake.associate(("deals", &id), ("companies", &companies[d * 2]));
            id
        })
        .collect();
    // Engagement: a meeting per 50 contacts, a click by one contact in 10 and a bounce by one
    // in 100, a form submission by one in 20 over 5 forms.
    let meetings_made = |k: usize, round: usize| {
        for j in 0..k {
            let i = (j * 53 + round * 7) % n;
            let m = fake.create("meetings", &[("hs_meeting_outcome", "SCHEDULED")]);
            fake.associate(("meetings", &m), ("contacts", &ids[i]));
        }
    };
    let forms: Vec<String> = (0..5).map(|f| fake.create_form(&format!("Form {f}"))).collect();
    let engage = |clicks: usize, bounces: usize, submissions: usize, round: usize| {
        for j in 0..clicks {
            let i = (j * 10 + round) % n;
            fake.email_event("CLICK", &format!("p{i}@c{}.example", i / 10), Some("https://example.com/pricing"), false);
        }
        for j in 0..bounces {
            let i = (j * 100 + round + 3) % n;
            fake.email_event("BOUNCE", &format!("p{i}@c{}.example", i / 10), None, false);
        }
        for j in 0..submissions {
            let i = (j * 20 + round + 5) % n;
            fake.submit_form(&forms[j % forms.len()], &[("email", &format!("p{i}@c{}.example", i / 10))], "https://example.com/demo");
        }
    };
    meetings_made(n / 50, 0);
    engage(n / 10, n / 100, n / 20, 0);
    let cfg = SyncConfig::parse(
        "[hubspot]\ntier = \"starter\"\nobjects = [\"contacts\", \"companies\", \"deals\", \"meetings\", \"email_events\", \"form_submissions\"]\n",
        "sync.toml",
    )
    .unwrap();
    let plan = Plan::new(&cfg, Path::new(".")).unwrap();
    let opts = ClientOptions::hubspot(plan.hubspot.tier);
    let (burst, window_ms, _) = HubSpotClient::new(&fake.url, Token::new("t").unwrap(), opts.clone()).unwrap().budget_limits();
    let run = async |label: &str, install: bool| {
        let client = HubSpotClient::new(&fake.url, Token::new("t").unwrap(), opts.clone()).unwrap();
        fake.clear_calls();
        let t = Instant::now();
        let r = sync(&service, &plan, &client, &SyncOptions { install_fields: install, ..SyncOptions::default() }).await.unwrap();
        let secs = t.elapsed().as_secs_f64();
        let calls = fake.calls();
        let reads = calls.iter().filter(|c| c.path.ends_with("/search")).count();
        let writes = calls.iter().filter(|c| c.path.ends_with("/batch/update")).count();
        let assoc = calls.iter().filter(|c| c.path.contains("/associations/")).count();
        let email = calls.iter().filter(|c| c.path.starts_with("/email/")).count();
        let forms = calls.iter().filter(|c| c.path.starts_with("/marketing/") || c.path.starts_with("/form-integrations/")).count();
        let archived = calls.iter().filter(|c| c.method == "GET" && c.path == "/crm/v3/objects/deals").count();
        let events: u64 = r.reads.iter().filter(|x| x.events).map(|x| x.created).sum();
        println!(
            "{label}: {} calls ({reads} search, {assoc} association reads, {email} e-mail event pages, {forms} form list and submission pages, {archived} archived deal pages, {writes} batch update, {} setup), {} records written, {events} events stored; {secs:.1} s wall",
            calls.len(),
            calls.len() - reads - writes - assoc - email - forms - archived,
            r.records_written
        );
        assert!(r.stopped.is_none());
        calls.len()
    };
    let first = run("first sync", true).await;
    let echo = run("next run (reads back its own writes)", false).await;
    let day = |pct: usize, round: usize| {
        let k = n * pct / 100;
        for j in 0..k {
            let i = (j * 7919 + round * 13) % n;
            fake.edit("contacts", &ids[i], &[("jobtitle", TITLES[(i + round + 1) % TITLES.len()])]);
        }
        // The same share of deals moves to another stage.
        for j in 0..deals.len() * pct / 100 {
            let d = (j * 31 + round) % deals.len();
            fake.edit("deals", &deals[d], &[("dealstage", stages[(d + round) % stages.len()])]);
        }
        // New engagement in proportion: meetings, clicks, bounces and submissions.
        meetings_made(n / 50 * pct / 100 + 1, round);
        engage(n / 10 * pct / 100, n / 100 * pct / 100 + 1, n / 20 * pct / 100, round);
    };
    day(1, 1);
    let d1 = run("a day where 1% of contacts change", false).await;
    let d1_echo = run("the run after it", false).await;
    day(2, 2);
    let d2 = run("a day where 2% of contacts change", false).await;
    let d2_echo = run("the run after it", false).await;
    println!(
        "first sync {first} calls; change-only day: 1% -> {} calls ({:.2}% of the first sync), 2% -> {} calls ({:.2}%); echo run after the first sync {echo}",
        d1 + d1_echo,
        100.0 * (d1 + d1_echo) as f64 / first as f64,
        d2 + d2_echo,
        100.0 * (d2 + d2_echo) as f64 / first as f64
    );
    let per_100k = (first as u64) * 100_000 / n as u64;
    println!(
        "100,000 leads: about {per_100k} calls for a first sync; at {burst} calls per {} s that is at least {:.0} s ({:.1} min)",
        window_ms / 1000,
        least_seconds(per_100k, burst as u64, window_ms as f64 / 1000.0),
        least_seconds(per_100k, burst as u64, window_ms as f64 / 1000.0) / 60.0
    );
}

/// The HubSpot connector with webhooks (`webhooks = true`, the default objects: contacts,
/// companies, deals): a first sync (the reconcile search), the runs the webhooks ask for on a
/// day where 1% of contacts (and 1% of deals) change, leadrank's own writes coming back, and
/// the reconcile search a day later. The fake queues a signed notification per change; they
/// are handed to the intake as HubSpot would post them.
#[tokio::test]
#[ignore = "a benchmark: run it with --ignored --nocapture"]
async fn webhook_calls_per_10000_leads() {
    use leadrank_crm_fakes::hubspot::WebhookSettings;
    use leadrank_service::clock::Clock as _;
    use leadrank_sync::webhooks::Intake;

    let n: usize = std::env::var("LEADS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(&dir.path().join("t.db")).await.unwrap());
    let clock = Arc::new(ManualClock::new("2026-06-30T12:00:00Z".parse().unwrap()));
    let service = Service::start(store, clock.clone(), Arc::new(Metrics::new())).await.unwrap();
    let fake = HubSpotFake::start("t").await;
    let companies: Vec<String> =
        (0..n / 10).map(|i| fake.create("companies", &[("name", &format!("Company {i}")), ("domain", &format!("c{i}.example"))])).collect();
    let ids: Vec<String> = (0..n)
        .map(|i| {
            fake.create(
                "contacts",
                &[
                    ("email", &format!("p{i}@c{}.example", i / 10)),
                    ("jobtitle", TITLES[i % TITLES.len()]),
                    ("industry", INDUSTRIES[i % INDUSTRIES.len()]),
                    ("associatedcompanyid", &companies[i / 10]),
                ],
            )
        })
        .collect();
    let stages = ["appointmentscheduled", "qualifiedtobuy", "closedwon", "closedlost"];
    let deals: Vec<String> = (0..n / 20)
        .map(|d| {
            let id = fake.create("deals", &[("dealstage", stages[d % stages.len()]), ("amount", &format!("{}", 1000 + d * 10))]);
            fake.associate(("deals", &id), ("contacts", &ids[d * 20]));
            fake.associate(("deals", &id), ("companies", &companies[d * 2]));
            id
        })
        .collect();
    let url = "https://leadrank.example.com/v1/crm/hubspot/webhooks";
    let mut settings = WebhookSettings::all("http://127.0.0.1:9/v1/crm/hubspot/webhooks", "secret");
    settings.signed_url = url.into();
    fake.set_webhooks(Some(settings));
    let cfg =
        SyncConfig::parse(&format!("[hubspot]\ntier = \"starter\"\nwebhooks = true\nwebhook_url = \"{url}\"\n"), "sync.toml").unwrap();
    let plan = Plan::new(&cfg, Path::new(".")).unwrap();
    let intake = Intake::new(Token::new("secret").unwrap(), url, plan.webhook_filter());
    let opts = ClientOptions::hubspot(plan.hubspot.tier);
    // Hands the queued notifications to the intake; returns (notifications, stored).
    let deliver = async || {
        let (mut got, mut kept) = (0, 0);
        for r in fake.webhook_requests(clock.now().as_millisecond()) {
            let h = |k: &str| r.headers.iter().find(|(name, _)| name.eq_ignore_ascii_case(k)).map(|(_, v)| v.as_str());
            let x = intake
                .receive(&service, "POST", &r.path, h("x-hubspot-request-timestamp"), h("x-hubspot-signature-v3"), r.body.as_bytes())
                .await
                .unwrap();
            got += x.notifications;
            kept += x.stored;
        }
        (got, kept)
    };
    let run = async |label: &str| {
        let client = HubSpotClient::new(&fake.url, Token::new("t").unwrap(), opts.clone()).unwrap();
        fake.clear_calls();
        let r = sync(&service, &plan, &client, &SyncOptions { install_fields: true, ..SyncOptions::default() }).await.unwrap();
        let calls = fake.calls();
        let count = |f: &dyn Fn(&leadrank_crm_fakes::Call) -> bool| calls.iter().filter(|c| f(c)).count();
        let search = count(&|c| c.path.ends_with("/search"));
        let read = count(&|c| c.path.ends_with("/batch/read") && c.path.starts_with("/crm/v3/"));
        let assoc = count(&|c| c.path.contains("/associations/"));
        let writes = count(&|c| c.path.ends_with("/batch/update"));
        let archived = count(&|c| c.method == "GET" && c.path == "/crm/v3/objects/deals");
        println!(
            "webhooks, {label}: {} calls ({search} search, {read} batch read, {assoc} association reads, {archived} archived deal pages, {writes} batch update, {} setup), {} records written",
            calls.len(),
            calls.len() - search - read - assoc - writes - archived,
            r.records_written
        );
        assert!(r.stopped.is_none(), "{}", r.render());
        calls.len()
    };
    let first = run("first sync (the reconcile search)").await;
    let (got, kept) = deliver().await;
    println!("  notifications of the first sync's write-backs: {got}, stored {kept} (leadrank's own writes: no read)");
    let echo = run("the run after it").await;
    let day = |contacts_pct: usize, deals_pct: usize, round: usize| {
        for j in 0..n * contacts_pct / 100 {
            let i = (j * 7919 + round * 13) % n;
            fake.edit("contacts", &ids[i], &[("jobtitle", TITLES[(i + round + 1) % TITLES.len()])]);
        }
        for j in 0..deals.len() * deals_pct / 100 {
            let d = (j * 31 + round) % deals.len();
            fake.edit("deals", &deals[d], &[("dealstage", stages[(d + round) % stages.len()])]);
        }
    };
    day(1, 0, 1);
    let (got, _) = deliver().await;
    let c1 = run(&format!("a day where 1% of contacts change ({got} notifications)")).await;
    deliver().await;
    let c1_echo = run("the run after it (its write-backs come back)").await;
    day(1, 1, 2);
    let (got, _) = deliver().await;
    let d1 = run(&format!("a day where 1% of contacts and 1% of deals change ({got} notifications)")).await;
    deliver().await;
    let d1_echo = run("the run after it").await;
    // 1% of contacts again, arriving in 10 parts, each read by a run of its own (changes
    // spread over the day, the runs further apart than webhook_delay).
    let mut spread = 0;
    for part in 0..10 {
        for j in 0..n / 1000 {
            let i = (j * 7919 + part * 101 + 57) % n;
            fake.edit("contacts", &ids[i], &[("jobtitle", TITLES[(i + part + 2) % TITLES.len()])]);
        }
        deliver().await;
        spread += run(&format!("1% of contacts in 10 parts: part {}", part + 1)).await;
        deliver().await;
        spread += run("  the run after it").await;
    }
    let rec_at = |days: i64| jiff::Timestamp::from_second(1_782_820_800 + days * 86_400).unwrap();
    clock.set(rec_at(1));
    let rec1 = run("the reconcile search a day after the first sync").await;
    deliver().await;
    day(1, 1, 3);
    deliver().await;
    run("that day's changes (by webhook)").await;
    deliver().await;
    clock.set(rec_at(2));
    let rec2 = run("the reconcile search of a day with 1% changes").await;
    let pct = |x: usize| 100.0 * x as f64 / first as f64;
    println!(
        "webhooks: first sync {first} calls; run after it {echo}; 1% of contacts: {} calls ({:.2}% of the first sync); 1% of contacts and of deals: {} calls ({:.2}%); 1% of contacts in 10 runs: {spread} calls ({:.2}%); daily reconcile search: {rec1} the first day (reads back the first sync's writes), then {rec2} ({:.2}%)",
        c1 + c1_echo,
        pct(c1 + c1_echo),
        d1 + d1_echo,
        pct(d1 + d1_echo),
        pct(spread),
        pct(rec2)
    );
}

/// The same figures for the Salesforce connector on the fake Salesforce: 10,000 leads (and
/// 1,000 accounts), batches of 2,000, composite updates of 200.
#[tokio::test]
#[ignore = "a benchmark: run it with --ignored --nocapture"]
async fn salesforce_calls_per_10000_leads() {
    use leadrank_crm::CrmField;
    use leadrank_crm::salesforce::{LONG_TEXT_LENGTH, field_specs};
    use leadrank_crm_fakes::SalesforceFake;
    use leadrank_sync::client::CrmClient;
    use leadrank_sync::salesforce;
    use serde_json::json;

    let n: usize = std::env::var("LEADS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(&dir.path().join("t.db")).await.unwrap());
    let clock = Arc::new(ManualClock::new("2026-06-30T12:00:00Z".parse().unwrap()));
    let service = Service::start(store, clock, Arc::new(Metrics::new())).await.unwrap();
    let fake = SalesforceFake::start("t").await;
    for spec in field_specs("Leadrank_", &CrmField::ALL, LONG_TEXT_LENGTH) {
        for object in ["Lead", "Contact"] {
            fake.add_field(object, &spec.api_name, spec.describe_type, spec.length);
        }
    }
    let accounts: Vec<String> = (0..n / 10)
        .map(|i| fake.create("Account", &[("Name", json!(format!("Company {i}"))), ("Website", json!(format!("c{i}.example")))]))
        .collect();
    let mut ids = Vec::new();
    for i in 0..n {
        ids.push(fake.create(
            "Lead",
            &[
                ("Email", json!(format!("p{i}@c{}.example", i / 10))),
                ("Company", json!(format!("Company {}", i / 10))),
                ("Title", json!(TITLES[i % TITLES.len()])),
                ("Industry", json!(["Technology", "Banking", "Retail", "Healthcare"][i % 4])),
            ],
        ));
    }
    // One opportunity per 20 leads' accounts, in four stages (closed won, closed lost, open).
    for d in 0..n / 20 {
        let (closed, won) = [(false, false), (false, false), (true, true), (true, false)][d % 4];
        fake.create(
            "Opportunity",
            &[
                ("IsClosed", json!(closed)),
                ("IsWon", json!(won)),
                ("Amount", json!(1000 + d * 10)),
                ("AccountId", json!(accounts[(d * 2) % accounts.len()])),
            ],
        );
    }
    let text = format!("[salesforce]\ninstance_url = \"{}\"\n", fake.url);
    let cfg = SyncConfig::parse(&text, "sync.toml").unwrap();
    let plan = salesforce::Plan::new(&cfg, Path::new(".")).unwrap();
    let run = async |label: &str, install: bool| {
        let client = CrmClient::new(&fake.url, Token::new("t").unwrap(), plan.client_options()).unwrap();
        fake.clear_calls();
        let t = Instant::now();
        let options = SyncOptions { install_fields: install, ..SyncOptions::default() };
        let r = salesforce::sync(&service, &plan, &client, &options).await.unwrap();
        let secs = t.elapsed().as_secs_f64();
        let calls = fake.calls();
        let reads = calls.iter().filter(|c| c.path.contains("/query")).count();
        let writes = calls.iter().filter(|c| c.path.ends_with("/composite/sobjects")).count();
        println!(
            "salesforce {label}: {} calls ({reads} query, {writes} composite update, {} describe), {} records written; {secs:.1} s wall",
            calls.len(),
            calls.len() - reads - writes,
            r.records_written
        );
        assert!(r.stopped.is_none() && r.failed.is_empty());
        calls.len()
    };
    let first = run("first sync", true).await;
    let echo = run("next run (reads back its own writes)", false).await;
    let k = n / 100;
    for j in 0..k {
        let i = (j * 7919 + 13) % n;
        fake.edit(&ids[i], &[("Title", json!(TITLES[(i + 2) % TITLES.len()]))]);
    }
    let d1 = run("a day where 1% of leads change", false).await;
    let d1_echo = run("the run after it", false).await;
    println!(
        "salesforce: first sync {first} calls; echo run {echo}; change-only day: 1% -> {} calls ({:.2}% of the first sync)",
        d1 + d1_echo,
        100.0 * (d1 + d1_echo) as f64 / first as f64
    );
}

/// A Salesforce first load through REST paging and through Bulk API 2.0 query jobs
/// (`bulk_first_load = true`, the default threshold of 10,000 records and pages of 50,000):
/// the same orgs (LEADS leads, a tenth as many accounts, an opportunity per 20 leads), the
/// read calls each spends, and the same leadrank state at the end.
#[tokio::test]
#[ignore = "a benchmark: run it with --ignored --nocapture"]
async fn salesforce_first_load_rest_or_query_jobs() {
    use leadrank_crm::CrmField;
    use leadrank_crm::salesforce::{LONG_TEXT_LENGTH, field_specs};
    use leadrank_crm_fakes::SalesforceFake;
    use leadrank_sync::client::CrmClient;
    use leadrank_sync::salesforce;
    use serde_json::json;

    let n: usize = std::env::var("LEADS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let mut states = Vec::new();
    let mut counts = Vec::new();
    for bulk in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(SqliteStore::open(&dir.path().join("t.db")).await.unwrap());
        let clock = Arc::new(ManualClock::new("2026-06-30T12:00:00Z".parse().unwrap()));
        let service = Service::start(store, clock, Arc::new(Metrics::new())).await.unwrap();
        let fake = SalesforceFake::start("t").await;
        for spec in field_specs("Leadrank_", &CrmField::ALL, LONG_TEXT_LENGTH) {
            for object in ["Lead", "Contact"] {
                fake.add_field(object, &spec.api_name, spec.describe_type, spec.length);
            }
        }
        let accounts: Vec<String> = (0..n / 10)
            .map(|i| fake.create("Account", &[("Name", json!(format!("Company {i}"))), ("Website", json!(format!("c{i}.example")))]))
            .collect();
        let ids: Vec<String> = (0..n)
            .map(|i| {
                fake.create(
                    "Lead",
                    &[
                        ("Email", json!(format!("p{i}@c{}.example", i / 10))),
                        ("Company", json!(format!("Company {}", i / 10))),
                        ("Title", json!(TITLES[i % TITLES.len()])),
                        ("NumberOfEmployees", json!([5, 40, 300, 2000][i % 4])),
                    ],
                )
            })
            .collect();
        for d in 0..n / 20 {
            let (closed, won) = [(false, false), (true, true), (true, false)][d % 3];
            fake.create(
                "Opportunity",
                &[
                    ("IsClosed", json!(closed)),
                    ("IsWon", json!(won)),
                    ("Amount", json!(1000.5 + d as f64)),
                    ("AccountId", json!(accounts[d % accounts.len()])),
                ],
            );
        }
        let text = format!("[salesforce]\ninstance_url = \"{}\"\nbulk_first_load = {bulk}\n", fake.url);
        let mut plan = salesforce::Plan::new(&SyncConfig::parse(&text, "sync.toml").unwrap(), Path::new(".")).unwrap();
        plan.set_bulk_poll(std::time::Duration::from_millis(10));
        let client = CrmClient::new(&fake.url, Token::new("t").unwrap(), plan.client_options()).unwrap();
        let t = Instant::now();
        let options = SyncOptions { install_fields: true, ..SyncOptions::default() };
        let r = salesforce::sync(&service, &plan, &client, &options).await.unwrap();
        assert!(r.stopped.is_none() && r.failed.is_empty(), "{}", r.render());
        let calls = fake.calls();
        let reads = calls.iter().filter(|c| c.path.contains("/query")).count();
        let jobs = calls.iter().filter(|c| c.path.contains("/jobs/query")).count();
        let writes = calls.iter().filter(|c| c.path.ends_with("/composite/sobjects")).count();
        println!(
            "salesforce first load of {n} leads {}: {} calls ({reads} read, of which {jobs} query job calls; {writes} composite update; {} describe); {:.1} s wall",
            if bulk { "through query jobs" } else { "through REST paging" },
            calls.len(),
            calls.len() - reads - writes,
            t.elapsed().as_secs_f64()
        );
        counts.push(reads);
        states
            .push(ids.iter().map(|id| (service.lead_record(id), service.crm_lead(id).map(|l| l.total), fake.get(id))).collect::<Vec<_>>());
    }
    assert!(states[0] == states[1], "the same leads, scores and written values either way");
    if n >= 10_000 {
        assert!(counts[1] < counts[0], "{counts:?}");
    }
}
