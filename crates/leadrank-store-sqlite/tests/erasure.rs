//! Erasure leaves no trace on disk: after `erase_lead` returns, the raw bytes of every file
//! in the database's directory (database, `-wal`, `-shm`) hold neither the person's email
//! nor their name, and still none after a clean stop. The person is planted in every table
//! that can hold them (lead, events, consent records, scores and history, deliveries,
//! operating state and log), among other leads, and updated several times.

use std::path::Path;

use jiff::Timestamp;
use leadrank_core::records::{ConsentRecord, ConsentStatus, Event, Lead};
use leadrank_store::{
    Delivery, DeliveryState, LeadOps, OpsLogEntry, Store, StoreResult, StoredReason, StoredScore, StoredScoreBody, Subscription,
};
use leadrank_store_sqlite::SqliteStore;

const EMAIL: &str = "quintessa.zyxwvut@erasure-probe.example";
const FIRST: &str = "Quintessa";
const LAST: &str = "Zyxwvut-Probe";
const PERSON: &str = "L-person";

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// Occurrences of each needle in each file of `dir`, as (file, needle, count) for counts > 0.
fn scan(dir: &Path) -> Vec<(String, &'static str, usize)> {
    let mut hits = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        for needle in [EMAIL, FIRST, LAST] {
            let n = bytes.windows(needle.len()).filter(|w| *w == needle.as_bytes()).count();
            if n > 0 {
                hits.push((file.file_name().unwrap().to_string_lossy().into_owned(), needle, n));
            }
        }
    }
    hits
}

fn bytes_of(hits: &[(String, &'static str, usize)]) -> usize {
    hits.iter().map(|(_, needle, n)| needle.len() * n).sum()
}

fn lead(id: &str, first: &str, last: &str, email: &str, title: &str) -> Lead {
    Lead {
        lead_id: id.into(),
        email: Some(email.into()),
        first_name: Some(first.into()),
        last_name: Some(last.into()),
        title: Some(title.into()),
        company: Some("Probe Industries".into()),
        ..Lead::default()
    }
}

fn score(id: &str, at: &str, total: i32, detail: &str) -> StoredScore {
    StoredScore {
        lead_id: id.into(),
        as_of: t(at),
        model_id: 1,
        total,
        quality: total >= 60,
        grade: "B".into(),
        cell: "A2".into(),
        body: StoredScoreBody {
            lead_id: id.into(),
            total,
            quality: total >= 60,
            grade: "B".into(),
            cell: "A2".into(),
            dimensions: vec![("fit".into(), total)],
            reasons: vec![StoredReason { rule: "title".into(), dimension: "fit".into(), points: total, detail: detail.into() }],
        },
        cause: "event e1".into(),
    }
}

/// Writes the person everywhere, plus 60 other leads around them.
async fn plant(store: &SqliteStore) -> StoreResult<()> {
    let others: Vec<Lead> =
        (0..60).map(|i| lead(&format!("L{i:03}"), "Other", &format!("Person{i}"), &format!("p{i}@other.example"), "Analyst")).collect();
    store.upsert_leads(&others[..30], t("2026-01-01T00:00:00Z")).await?;
    for (n, title) in ["Analyst", "Manager", "VP Sales"].iter().enumerate() {
        // Each update leaves an older version of the row behind in the pages and the log.
        store
            .upsert_leads(
                &[lead(PERSON, FIRST, LAST, EMAIL, title)],
                t("2026-01-02T00:00:00Z") + jiff::SignedDuration::from_hours(n as i64),
            )
            .await?;
    }
    store.upsert_leads(&others[30..], t("2026-01-03T00:00:00Z")).await?;
    let props = serde_json::json!({"form_email": EMAIL, "full_name": format!("{FIRST} {LAST}")});
    let events: Vec<Event> = (0..5)
        .map(|i| Event {
            event_id: format!("ev-person-{i}"),
            lead_id: PERSON.into(),
            event_type: "form_submit".into(),
            occurred_at: t("2026-01-04T00:00:00Z"),
            url: Some(format!("https://probe.example/form?email={EMAIL}")),
            properties: props.as_object().cloned(),
        })
        .chain((0..40).map(|i| Event {
            event_id: format!("ev-other-{i}"),
            lead_id: format!("L{:03}", i % 60),
            event_type: "page_view".into(),
            occurred_at: t("2026-01-04T00:00:00Z"),
            url: Some("https://probe.example/pricing".into()),
            properties: None,
        }))
        .collect();
    store.insert_events(&events).await?;
    store
        .insert_consents(&[ConsentRecord {
            lead_id: PERSON.into(),
            purpose: "marketing".into(),
            status: ConsentStatus::Granted,
            source: Some(format!("form by {EMAIL}")),
            at: t("2026-01-04T00:00:00Z"),
        }])
        .await?;
    for (i, total) in [40, 55, 70].into_iter().enumerate() {
        let at = format!("2026-01-05T0{i}:00:00Z");
        store
            .save_scores(&[
                score(PERSON, &at, total, &format!("{FIRST} {LAST} is VP Sales ({EMAIL})")),
                score("L001", &at, total, "Analyst"),
            ])
            .await?;
    }
    store
        .add_subscription(&Subscription {
            id: "sub-1".into(),
            url: "https://hooks.probe.example/in".into(),
            secret: "s".into(),
            events: vec!["lead.quality".into()],
            created_at: t("2026-01-01T00:00:00Z"),
        })
        .await?;
    let delivery = |id: &str, lead: &str, body: String| Delivery {
        id: id.into(),
        subscription_id: "sub-1".into(),
        event_type: "lead.quality".into(),
        lead_id: Some(lead.into()),
        body,
        created_at: t("2026-01-05T00:00:00Z"),
        next_attempt_at: t("2026-01-05T00:00:00Z"),
        attempts: 0,
        state: DeliveryState::Pending,
        last_attempt_at: None,
        last_status: None,
        last_error: None,
    };
    store
        .enqueue_deliveries(&[
            delivery("d1", PERSON, serde_json::json!({"lead": {"email": EMAIL, "first_name": FIRST, "last_name": LAST}}).to_string()),
            delivery("d2", "L002", serde_json::json!({"lead": {"email": "p2@other.example"}}).to_string()),
        ])
        .await?;
    store
        .save_ops(
            &[LeadOps {
                lead_id: PERSON.into(),
                body: format!("{{\"note\":\"call {FIRST} {LAST} at {EMAIL}\"}}"),
                updated_at: t("2026-01-06T00:00:00Z"),
            }],
            &[OpsLogEntry {
                id: 0,
                lead_id: PERSON.into(),
                kind: "checklist".into(),
                at: t("2026-01-06T00:00:00Z"),
                body: format!("{{\"note\":\"{FIRST} {LAST} confirmed budget\"}}"),
            }],
        )
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn erasure_leaves_no_bytes_of_the_person_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("leadrank.db")).await.unwrap();
    store.migrate().await.unwrap();
    plant(&store).await.unwrap();
    // Move what is planted into the database file, then write the person once more, so that
    // both the file and the log hold them.
    let mut raw = <sqlx::SqliteConnection as sqlx::Connection>::connect(&format!("sqlite://{}", dir.path().join("leadrank.db").display()))
        .await
        .unwrap();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut raw).await.unwrap();
    sqlx::Connection::close(raw).await.unwrap();
    store.upsert_leads(&[lead(PERSON, FIRST, LAST, EMAIL, "CRO")], t("2026-01-08T00:00:00Z")).await.unwrap();
    // Readers have the person's pages cached and a reader is mid-way when the erasure runs.
    assert_eq!(store.lead(PERSON).await.unwrap().unwrap().email.as_deref(), Some(EMAIL));
    let before = scan(dir.path());
    eprintln!("before erasure: {} bytes of the person on disk: {before:?}", bytes_of(&before));
    for file in ["leadrank.db", "leadrank.db-wal"] {
        assert!(before.iter().any(|(f, _, _)| f == file), "the planted person must be in {file} before the erasure: {before:?}");
    }

    let erased = store.erase_lead(PERSON, &["marker-1".to_string()]).await.unwrap();
    assert_eq!(
        (erased.leads, erased.events, erased.consents, erased.scores, erased.history, erased.deliveries, erased.ops),
        (1, 5, 1, 1, 3, 1, 2)
    );
    let after = scan(dir.path());
    eprintln!("after erasure returned: {} bytes: {after:?}", bytes_of(&after));
    assert_eq!(after, vec![], "the person's email or name is still on disk after the erasure returned");

    // The other leads are untouched, and the service goes on writing.
    assert_eq!(store.all_leads().await.unwrap().len(), 60);
    store.upsert_leads(&[lead("L100", "New", "Lead", "new@other.example", "CTO")], t("2026-01-07T00:00:00Z")).await.unwrap();
    store.close().await;
    let stopped = scan(dir.path());
    eprintln!("after a clean stop: {} bytes: {stopped:?}", bytes_of(&stopped));
    assert_eq!(stopped, vec![]);

    let store = SqliteStore::open(&dir.path().join("leadrank.db")).await.unwrap();
    store.migrate().await.unwrap();
    assert_eq!(store.lead(PERSON).await.unwrap(), None);
    assert_eq!(store.all_leads().await.unwrap().len(), 61);
    store.close().await;
}
