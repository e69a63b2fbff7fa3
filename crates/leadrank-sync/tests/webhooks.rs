//! The HubSpot connector with webhooks (`webhooks = true`) against the fake HubSpot, which
//! queues a signed notification for every change its app subscribes to: signatures,
//! changes read by id with no search, leadrank's own writes coming back, deletions, a run
//! stopped part way, concurrent requests, and the reconcile search when it is due.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use leadrank_crm::config::SyncConfig;
use leadrank_crm_fakes::hubspot::{SignedRequest, WebhookSettings, sign_v3};
use leadrank_crm_fakes::{Fault, HubSpotFake};
use leadrank_service::Service;
use leadrank_service::clock::ManualClock;
use leadrank_service::metrics::Metrics;
use leadrank_store_sqlite::SqliteStore;
use leadrank_sync::client::{ClientOptions, HubSpotClient};
use leadrank_sync::hubspot::{Plan, SyncOptions, SyncReport, sync};
use leadrank_sync::webhooks::{DIRTY_KIND, Intake, MAX_AGE_MS, Pending, WebhookError};
use leadrank_sync::{SyncError, Token};

const TOKEN: &str = "pat-na1-test-token";
const SECRET: &str = "app-client-secret-1";
const URL: &str = "https://leadrank.example.com/v1/crm/hubspot/webhooks";
const TITLES: [&str; 4] = ["VP Engineering", "Student", "CTO", "Marketing Intern"];

struct World {
    _dir: tempfile::TempDir,
    service: Arc<Service>,
    clock: Arc<ManualClock>,
    fake: HubSpotFake,
    intake: Intake,
    cfg: SyncConfig,
    contacts: Vec<String>,
    deals: Vec<String>,
}

fn config(extra: &str) -> SyncConfig {
    SyncConfig::parse(&format!("[hubspot]\ntier = \"starter\"\nwebhooks = true\nwebhook_url = \"{URL}\"\n{extra}"), "sync.toml").unwrap()
}

/// `contacts` contacts (one company; a deal per 10 contacts), webhooks set up, and a first
/// sync done (the notifications it caused are still queued in the fake).
async fn world(contacts: usize) -> World {
    world_with(contacts, "").await
}

/// [`world`] with more keys in `[hubspot]`.
async fn world_with(contacts: usize, extra: &str) -> World {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(&dir.path().join("t.db")).await.unwrap());
    let clock = Arc::new(ManualClock::new("2026-06-30T12:00:00Z".parse().unwrap()));
    let service = Service::start(store, clock.clone(), Arc::new(Metrics::new())).await.unwrap();
    let fake = HubSpotFake::start(TOKEN).await;
    let company = fake.create("companies", &[("name", "Acme"), ("domain", "acme.io"), ("numberofemployees", "800")]);
    let ids: Vec<String> = (0..contacts)
        .map(|i| {
            fake.create(
                "contacts",
                &[
                    ("email", &format!("p{i}@acme.io")),
                    ("jobtitle", TITLES[i % TITLES.len()]),
                    ("industry", "COMPUTER_SOFTWARE"),
                    ("associatedcompanyid", &company),
                ],
            )
        })
        .collect();
    let deals: Vec<String> = (0..contacts / 10)
        .map(|d| {
            let id = fake.create("deals", &[("dealstage", "appointmentscheduled"), ("amount", "1000")]);
            fake.associate(("deals", &id), ("contacts", &ids[d * 10]));
            fake.associate(("deals", &id), ("companies", &company));
            id
        })
        .collect();
    // Requests go to a local address; what HubSpot signs is the public URL the app knows.
    let mut settings = WebhookSettings::all("http://127.0.0.1:9/v1/crm/hubspot/webhooks", SECRET);
    settings.signed_url = URL.into();
    fake.set_webhooks(Some(settings));
    let cfg = config(extra);
    let plan = Plan::new(&cfg, Path::new(".")).unwrap();
    let intake = Intake::new(Token::new(SECRET).unwrap(), URL, plan.webhook_filter());
    let w = World { _dir: dir, service, clock, fake, intake, cfg, contacts: ids, deals };
    let r = w.run(SyncOptions { install_fields: true, ..SyncOptions::default() }).await.unwrap();
    assert!(r.stopped.is_none(), "{}", r.render());
    assert!(r.reads.iter().any(|x| x.object == "contacts" && x.created == contacts as u64), "{}", r.render());
    w
}

impl World {
    fn client(&self, plan: &Plan) -> HubSpotClient {
        let mut o = ClientOptions::hubspot(plan.hubspot.tier);
        o.timeout = Duration::from_millis(700);
        o.backoff = Duration::from_millis(10);
        o.max_retries = 2;
        HubSpotClient::new(&self.fake.url, Token::new(TOKEN).unwrap(), o).unwrap()
    }

    async fn run(&self, options: SyncOptions) -> Result<SyncReport, SyncError> {
        let plan = Plan::new(&self.cfg, Path::new(".")).unwrap();
        let c = self.client(&plan);
        self.fake.clear_calls();
        sync(&self.service, &plan, &c, &options).await
    }

    fn now_ms(&self) -> i64 {
        self.service.clock.now().as_millisecond()
    }

    async fn receive(&self, r: &SignedRequest) -> Result<leadrank_sync::webhooks::Received, WebhookError> {
        let header = |name: &str| r.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str());
        self.intake
            .receive(
                &self.service,
                "POST",
                &r.path,
                header("x-hubspot-request-timestamp"),
                header("x-hubspot-signature-v3"),
                r.body.as_bytes(),
            )
            .await
    }

    /// Hands every queued notification to the intake, as HubSpot would post them now.
    async fn deliver(&self) -> usize {
        let mut n = 0;
        for r in self.fake.webhook_requests(self.now_ms()) {
            n += self.receive(&r).await.unwrap().notifications;
        }
        n
    }

    fn count(&self, what: &str) -> usize {
        self.fake.calls().iter().filter(|c| c.path.ends_with(what)).count()
    }
}

#[tokio::test]
async fn signatures_are_checked() {
    let w = world(5).await;
    w.fake.webhook_requests(w.now_ms()); // the first sync's own writes, not needed here
    w.fake.edit("contacts", &w.contacts[0], &[("jobtitle", "CTO")]);
    let mut good = w.fake.webhook_requests(w.now_ms());
    assert_eq!(good.len(), 1);
    let good = good.remove(0);
    let sig = |r: &SignedRequest| r.headers.iter().find(|(k, _)| k == "X-HubSpot-Signature-v3").unwrap().1.clone();
    let with = |r: &SignedRequest, body: &str, ts: i64, secret: &str| {
        let mut r = r.clone();
        r.body = body.into();
        let signature = sign_v3(secret, "POST", URL, body.as_bytes(), &ts.to_string());
        r.headers = vec![("X-HubSpot-Signature-v3".into(), signature), ("X-HubSpot-Request-Timestamp".into(), ts.to_string())];
        r
    };
    let refused = |x: Result<_, WebhookError>| matches!(x, Err(WebhookError::Unauthorized(_)));
    let now = w.now_ms();
    // A wrong secret, a stale or future timestamp, a tampered body, a signature of another
    // request, no signature: refused, and nothing is stored.
    assert!(refused(w.receive(&with(&good, &good.body, now, "another-secret")).await));
    assert!(refused(w.receive(&with(&good, &good.body, now - MAX_AGE_MS - 1, SECRET)).await));
    assert!(refused(w.receive(&with(&good, &good.body, now + MAX_AGE_MS + 1, SECRET)).await));
    let mut tampered = good.clone();
    tampered.body = good.body.replace("CTO", "CEO");
    assert_ne!(tampered.body, good.body);
    assert!(refused(w.receive(&tampered).await));
    let mut other = with(&good, "[]", now, SECRET);
    other.headers[0].1 = sig(&good);
    assert!(refused(w.receive(&other).await));
    let mut unsigned = good.clone();
    unsigned.headers.clear();
    assert!(refused(w.receive(&unsigned).await));
    let mut elsewhere = good.clone();
    elsewhere.path = "/v1/crm/hubspot/webhooks?x=1".into();
    assert!(refused(w.receive(&elsewhere).await), "the path and query are signed");
    assert!(w.service.crm_state(DIRTY_KIND).await.unwrap().is_empty());
    // A signed body that is not a list of notifications: 400 with the pointer.
    match w.receive(&with(&good, r#"[{"subscriptionType":"contact.creation","objectId":"x1"}]"#, now, SECRET)).await {
        Err(WebhookError::Malformed { pointer, .. }) => assert_eq!(pointer, "/0/objectId"),
        other => panic!("{other:?}"),
    }
    match w.receive(&with(&good, r#"{"objectId":1}"#, now, SECRET)).await {
        Err(WebhookError::Malformed { pointer, .. }) => assert_eq!(pointer, ""),
        other => panic!("{other:?}"),
    }
    // A signature 4 minutes old, as signed: accepted and stored.
    let late = with(&good, &good.body, now - 4 * 60 * 1000, SECRET);
    let r = w.receive(&late).await.unwrap();
    assert_eq!((r.notifications, r.stored), (1, 1));
    let r = w.receive(&good).await.unwrap();
    assert_eq!((r.notifications, r.stored, r.ignored), (1, 1, 0));
}

#[tokio::test]
async fn a_change_arrives_by_webhook_and_the_score_follows_with_no_search() {
    let w = world(30).await;
    w.deliver().await;
    // The first sync's write-backs come back as notifications: nothing to read.
    let r = w.run(SyncOptions::default()).await.unwrap();
    assert_eq!(w.fake.calls().len(), 0, "{}", r.render());
    let id = w.contacts[1].clone(); // a student
    let before = w.service.crm_lead(&id).unwrap();
    w.fake.edit("contacts", &id, &[("jobtitle", "CTO")]);
    assert_eq!(w.deliver().await, 1);
    let r = w.run(SyncOptions::default()).await.unwrap();
    assert!(r.stopped.is_none(), "{}", r.render());
    assert_eq!(w.count("/search"), 0, "{}", r.render());
    assert_eq!(w.count("/batch/read"), 1);
    assert_eq!(w.count("/batch/update"), 1);
    assert_eq!(w.fake.calls().len(), 2, "one read, one write: {:?}", w.fake.calls());
    assert_eq!(w.service.lead_record(&id).unwrap().title.as_deref(), Some("CTO"));
    let after = w.service.crm_lead(&id).unwrap();
    assert!(after.total > before.total, "{} -> {}", before.total, after.total);
    assert_eq!(w.fake.get("contacts", &id).unwrap()["leadrank_score"], after.total.to_string());
    // Its write comes back as a notification, which costs nothing; the stored ids are gone.
    assert!(w.deliver().await >= 1);
    let r = w.run(SyncOptions::default()).await.unwrap();
    assert_eq!(w.fake.calls().len(), 0, "{}", r.render());
    assert!(w.service.crm_state(DIRTY_KIND).await.unwrap().is_empty());
}

#[tokio::test]
async fn own_write_backs_cost_no_read_but_a_persons_edit_of_them_does() {
    let w = world(40).await;
    let n = w.deliver().await;
    assert!(n >= 40, "the first sync wrote leadrank's properties of 40 contacts: {n} notifications");
    let r = w.run(SyncOptions::default()).await.unwrap();
    assert_eq!(w.fake.calls().len(), 0, "{}", r.render());
    let skipped: u64 = r.reads.iter().filter(|x| x.object == "contacts (webhooks)").map(|x| x.unchanged).sum();
    assert_eq!(skipped, 40, "{}", r.render());
    // A person overwrites leadrank's grade property by hand: that is read (and the per-field
    // rules see it).
    w.fake.edit("contacts", &w.contacts[3], &[("leadrank_grade", "Z")]);
    w.deliver().await;
    w.run(SyncOptions::default()).await.unwrap();
    assert_eq!(w.count("/batch/read"), 1);
}

#[tokio::test]
async fn deals_follow_by_webhook_and_deleted_deals_leave_leadrank() {
    let w = world(40).await;
    w.deliver().await;
    w.run(SyncOptions::default()).await.unwrap();
    let deal = w.deals[1].clone();
    let held = w.service.deal(&deal).unwrap();
    assert!(held.lead_id.is_some() && held.account_id.is_some());
    w.fake.edit("deals", &deal, &[("dealstage", "closedwon"), ("amount", "5000")]);
    w.deliver().await;
    let r = w.run(SyncOptions::default()).await.unwrap();
    assert_eq!(w.count("/batch/read"), 1, "{}", r.render());
    assert_eq!(w.fake.calls().iter().filter(|c| c.path.contains("/associations/")).count(), 0, "the held deal keeps its contact");
    assert_eq!(w.count("/search"), 0);
    let now = w.service.deal(&deal).unwrap();
    assert_eq!(now.amount, Some(5000.0));
    assert_eq!((now.lead_id.clone(), now.account_id.clone()), (held.lead_id.clone(), held.account_id.clone()));
    // A new contact on the deal: its associations are read again.
    w.fake.associate(("deals", &deal), ("contacts", &w.contacts[5]));
    w.deliver().await;
    w.run(SyncOptions::default()).await.unwrap();
    assert_eq!(w.fake.calls().iter().filter(|c| c.path.contains("/associations/")).count(), 2);
    // Deleted in HubSpot: removed from leadrank, without reading the archived list.
    w.fake.archive("deals", &w.deals[2]);
    w.deliver().await;
    let r = w.run(SyncOptions::default()).await.unwrap();
    assert!(w.service.deal(&w.deals[2]).is_none(), "{}", r.render());
    assert!(w.fake.calls().iter().all(|c| c.path.ends_with("/batch/update")), "{:?}", w.fake.calls());
    // A deleted contact is forgotten: nothing is written to it.
    w.fake.archive("contacts", &w.contacts[7]);
    w.deliver().await;
    let r = w.run(SyncOptions::default()).await.unwrap();
    assert_eq!(r.gone, 1, "{}", r.render());
}

#[tokio::test]
async fn a_run_stopped_part_way_loses_no_id() {
    // A fault: every batch read fails until retries run out; the ids stay.
    let w = world(250).await;
    w.deliver().await;
    w.run(SyncOptions::default()).await.unwrap();
    let edited: Vec<String> = w.contacts.iter().step_by(2).cloned().collect();
    for id in &edited {
        w.fake.edit("contacts", id, &[("jobtitle", "Head of IT")]);
    }
    w.deliver().await;
    w.fake.inject(Fault::Server(503), "/batch/read", 3);
    let r = w.run(SyncOptions::default()).await.unwrap();
    assert!(r.stopped.is_some(), "{}", r.render());
    assert!(!w.service.crm_state(DIRTY_KIND).await.unwrap().is_empty());
    let r = w.run(SyncOptions::default()).await.unwrap();
    assert!(r.stopped.is_none(), "{}", r.render());
    for id in &edited {
        assert_eq!(w.service.lead_record(id).unwrap().title.as_deref(), Some("Head of IT"));
    }
    assert!(w.service.crm_state(DIRTY_KIND).await.unwrap().is_empty());

    // A kill: the run is dropped after 1, 2 or 3 calls, then runs again.
    for stop_after in [1usize, 2, 3] {
        let w = world(250).await;
        w.deliver().await;
        w.run(SyncOptions::default()).await.unwrap();
        let title = TITLES[stop_after % TITLES.len()];
        let edited: Vec<String> = w.contacts.iter().skip(stop_after).step_by(2).cloned().collect();
        for id in &edited {
            w.fake.edit("contacts", id, &[("jobtitle", title)]);
        }
        w.deliver().await;
        w.fake.clear_calls();
        let plan = Plan::new(&w.cfg, Path::new(".")).unwrap();
        let (service, client) = (w.service.clone(), w.client(&plan));
        let task = tokio::spawn(async move {
            let _ = sync(&service, &plan, &client, &SyncOptions::default()).await;
        });
        while w.fake.calls().len() < stop_after && !task.is_finished() {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        task.abort();
        let _ = task.await;
        let r = w.run(SyncOptions::default()).await.unwrap();
        assert!(r.stopped.is_none(), "{}", r.render());
        for id in &edited {
            assert_eq!(w.service.lead_record(id).unwrap().title.as_deref(), Some(title), "stopped after {stop_after} calls");
            let score = w.service.crm_lead(id).unwrap().total.to_string();
            assert_eq!(w.fake.get("contacts", id).unwrap()["leadrank_score"], score, "stopped after {stop_after} calls");
        }
    }
}

#[tokio::test]
async fn concurrent_requests_and_arrivals_during_a_run_are_all_kept() {
    let w = Arc::new(world(60).await);
    w.deliver().await;
    w.run(SyncOptions::default()).await.unwrap();
    for (i, id) in w.contacts.iter().enumerate() {
        w.fake.edit("contacts", id, &[("jobtitle", TITLES[(i + 1) % TITLES.len()])]);
    }
    // 60 notifications, one request each, all at once.
    let mut requests = Vec::new();
    for r in w.fake.webhook_requests(w.now_ms()) {
        let body: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        for n in body.as_array().unwrap() {
            let body = serde_json::Value::Array(vec![n.clone()]).to_string();
            let ts = w.now_ms().to_string();
            let sig = sign_v3(SECRET, "POST", URL, body.as_bytes(), &ts);
            let mut one = r.clone();
            one.body = body;
            one.headers = vec![("X-HubSpot-Signature-v3".into(), sig), ("X-HubSpot-Request-Timestamp".into(), ts)];
            requests.push(one);
        }
    }
    assert_eq!(requests.len(), 60);
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|r| {
            let w = w.clone();
            tokio::spawn(async move { w.receive(&r).await.unwrap().stored })
        })
        .collect();
    let mut stored = 0;
    for t in tasks {
        stored += t.await.unwrap();
    }
    assert_eq!(stored, 60);
    let pending = Pending::load(&w.service).await.unwrap();
    let ids: std::collections::BTreeSet<&str> = pending.marks.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids.len(), 60);
    // A request stored after a run loaded the marks stays when the run clears its own.
    w.fake.edit("contacts", &w.contacts[0], &[("jobtitle", "CTO")]);
    w.deliver().await;
    pending.clear(&w.service).await.unwrap();
    let left = Pending::load(&w.service).await.unwrap();
    assert_eq!(left.marks.len(), 1);
    assert_eq!(left.marks[0].id, w.contacts[0]);
}

#[tokio::test]
async fn the_reconcile_search_runs_when_due() {
    let w = world(20).await;
    w.deliver().await;
    // Within the day: no search, no property check.
    let r = w.run(SyncOptions { install_fields: true, ..SyncOptions::default() }).await.unwrap();
    assert_eq!(w.fake.calls().len(), 0, "{}", r.render());
    // A change whose notification was lost is found by the reconcile search a day later.
    w.fake.edit("contacts", &w.contacts[1], &[("jobtitle", "CTO")]);
    w.fake.webhook_requests(w.now_ms());
    w.run(SyncOptions::default()).await.unwrap();
    assert_eq!(w.service.lead_record(&w.contacts[1]).unwrap().title.as_deref(), Some("Student"));
    w.clock.set("2026-07-01T12:00:00Z".parse().unwrap());
    let r = w.run(SyncOptions::default()).await.unwrap();
    assert_eq!(w.count("/search"), 3, "companies, contacts, deals: {}", r.render());
    assert_eq!(w.service.lead_record(&w.contacts[1]).unwrap().title.as_deref(), Some("CTO"));
    // Then not again until the next day.
    w.run(SyncOptions::default()).await.unwrap();
    assert_eq!(w.count("/search"), 0);
}

#[tokio::test]
async fn engagement_events_are_read_on_the_interval_not_on_each_webhook_run() {
    let w = world_with(10, "interval = \"1h\"\nobjects = [\"contacts\", \"companies\", \"deals\", \"email_events\"]\n").await;
    let email = |w: &World| w.fake.calls().iter().filter(|c| c.path.starts_with("/email/")).count();
    w.deliver().await;
    w.fake.edit("contacts", &w.contacts[1], &[("jobtitle", "CTO")]);
    w.fake.email_event("CLICK", "p1@acme.io", Some("https://acme.io/pricing"), false);
    w.deliver().await;
    w.run(SyncOptions::default()).await.unwrap();
    assert_eq!(email(&w), 0, "{:?}", w.fake.calls());
    assert_eq!(w.count("/batch/read"), 1);
    w.clock.set("2026-06-30T13:00:00Z".parse().unwrap());
    let r = w.run(SyncOptions::default()).await.unwrap();
    assert_eq!(email(&w), 2, "one page per e-mail event type: {}", r.render());
    assert_eq!(w.count("/search"), 0, "the reconcile search is daily");
    let clicks = r.reads.iter().find(|x| x.object == "email_events CLICK").unwrap();
    assert_eq!(clicks.created, 1, "{}", r.render());
}
