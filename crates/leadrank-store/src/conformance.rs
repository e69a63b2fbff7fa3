//! The scenario suite every [`Store`] back end passes.
//!
//! [`run_all`] runs every scenario against one store. It expects a freshly created, empty
//! database (a temporary SQLite file, a new PostgreSQL schema): some scenarios look at
//! global orderings (due deliveries, the audit log). Each scenario uses its own ids, so the
//! scenarios can also be run one by one, in any order, on the same database.
//!
//! Every timestamp is explicit; nothing here reads the clock. A failed expectation panics
//! with a message naming the scenario.

use jiff::Timestamp;
use leadrank_core::records::{Account, ConsentRecord, ConsentStatus, Event, Lead};
use serde_json::json;

use crate::{
    ApiKey, Attempt, AuditEntry, DealRow, Delivery, DeliveryState, DirectoryEntry, Erased, LeadOps, OpsLogEntry, Scope, Store, StoreError,
    StoredReason, StoredScore, StoredScoreBody, Subscription,
};

/// Runs every scenario, in order, against `store` (a fresh, empty database).
pub async fn run_all<S: Store>(store: &S) {
    migrate_is_idempotent(store).await;
    assert!(store.all_leads().await.expect("all_leads").is_empty(), "run_all needs an empty database");
    settings(store).await;
    leads_upsert_and_replace(store).await;
    accounts_upsert_and_replace(store).await;
    deals_upsert_and_erase(store).await;
    events_idempotent(store).await;
    events_round_trip(store).await;
    consents(store).await;
    scores_and_history(store).await;
    repeated_keys_in_one_batch(store).await;
    models(store).await;
    keys(store).await;
    subscriptions_and_deliveries(store).await;
    erase_lead(store).await;
    ops_upsert_and_log(store).await;
    ops_repeated_lead_in_one_batch(store).await;
    directory(store).await;
    erase_lead_ops(store).await;
    audit_log(store).await;
    concurrent_writes(store).await;
}

/// A timestamp from RFC 3339 text.
fn t(s: &str) -> Timestamp {
    s.parse().unwrap_or_else(|e| panic!("bad test time {s:?}: {e}"))
}

fn text(s: &str) -> Option<Box<str>> {
    Some(s.into())
}

fn props(v: serde_json::Value) -> Option<serde_json::Map<String, serde_json::Value>> {
    match v {
        serde_json::Value::Object(m) => Some(m),
        _ => panic!("properties must be an object"),
    }
}

fn sorted_by<T, K: Ord>(mut v: Vec<T>, key: impl Fn(&T) -> K) -> Vec<T> {
    v.sort_by_key(|x| key(x));
    v
}

/// `migrate` twice: the first brings the database to the binary's version and records it,
/// the second has nothing to do; then the store answers.
pub async fn migrate_is_idempotent<S: Store>(store: &S) {
    let before = store.schema_status().await.expect("status before");
    let first = store.migrate().await.expect("first migrate");
    assert_eq!(first.to, before.binary, "migrate reaches the binary's version");
    let second = store.migrate().await.expect("second migrate is idempotent");
    assert!(second.applied.is_empty() && second.from == before.binary && second.to == before.binary, "{second:?}");
    store.ping().await.expect("ping");
    let after = store.schema_status().await.expect("status after");
    assert!(after.up_to_date(), "{after:?}");
    assert_eq!(after.database, crate::migrations::DatabaseVersion::Recorded(before.binary));
    let recorded: Vec<i64> = after.applied.iter().map(|a| a.version).collect();
    assert_eq!(recorded, (1..=before.binary).collect::<Vec<_>>(), "every migration is recorded once");
    assert_eq!(store.setting("schema_version").await.expect("setting"), None, "the unrecorded-era setting is not written");
}

/// `setting` and `setting_or_insert` (the first value holds).
pub async fn settings<S: Store>(store: &S) {
    assert_eq!(store.setting("conf.marker_key").await.unwrap(), None);
    let first = store.setting_or_insert("conf.marker_key", "9f86d081884c7d659a2feaa0c55ad015").await.unwrap();
    assert_eq!(first, "9f86d081884c7d659a2feaa0c55ad015");
    let second = store.setting_or_insert("conf.marker_key", "a-different-value").await.unwrap();
    assert_eq!(second, first, "setting_or_insert keeps the first value");
    assert_eq!(store.setting("conf.marker_key").await.unwrap().as_deref(), Some(first.as_str()));
    let other = store.setting_or_insert("conf.région", "Île-de-France ✓").await.unwrap();
    assert_eq!(other, "Île-de-France ✓");
}

fn full_lead() -> Lead {
    Lead {
        lead_id: "conf-lead-001".into(),
        email: text("josé.müller@beispiel-gmbh.de"),
        first_name: text("José"),
        last_name: text("Müller-Łukasiewicz"),
        title: text("Directeur général adjoint"),
        company: text("Beispiel GmbH & Co. KG"),
        domain: text("beispiel-gmbh.de"),
        account_id: text("conf-acct-001"),
        industry: text("Software"),
        employees: Some(1250),
        annual_revenue: Some(48_500_000.75),
        country: text("DE"),
        phone: text("+49 30 901820"),
        phone_verified: Some(true),
        consent: Some(true),
        consent_at: Some(t("2025-02-11T08:30:00.123456789Z")),
        source: text("webinar"),
        campaign: text("2025-q1-émergence"),
        created_at: Some(t("2025-01-20T14:05:09.5Z")),
        tech_stack: vec!["salesforce".into(), "snowflake".into(), "dbt".into()],
        use_case: text("Lead-Routing für EMEA; « priorité » élevée"),
        budget_owner: Some(false),
        timeline_days: Some(90),
        contract_end: Some(t("2026-06-30T00:00:00Z")),
        honeypot: None,
        custom: vec![
            ("zeta_field".into(), "last in the alphabet, first in order".into()),
            ("région".into(), "Île-de-France".into()),
            ("notes".into(), "line one\nline two, \"quoted\"".into()),
        ],
    }
}

fn conf_leads() -> Vec<Lead> {
    let tokyo = Lead {
        lead_id: "conf-lead-002".into(),
        email: text("taro.yamada@example.co.jp"),
        first_name: text("太郎"),
        last_name: text("山田"),
        title: text("営業部長"),
        company: text("株式会社サンプル"),
        country: text("JP"),
        employees: Some(80),
        tech_stack: vec!["hubspot".into()],
        created_at: Some(t("2025-01-21T01:02:03Z")),
        custom: vec![("部署".into(), "営業".into())],
        ..Lead::default()
    };
    let minimal = Lead {
        lead_id: "conf-lead-003".into(), last_name: text("Иванова"), company: text("ООО «Пример»"), ..Lead::default()
    };
    vec![full_lead(), tokyo, minimal]
}

/// Leads: insert, read back (every field), replace one.
pub async fn leads_upsert_and_replace<S: Store>(store: &S) {
    let leads = conf_leads();
    store.upsert_leads(&[], t("2025-03-01T00:00:00Z")).await.unwrap();
    store.upsert_leads(&leads, t("2025-03-01T09:00:00Z")).await.expect("upsert leads");
    for lead in &leads {
        assert_eq!(store.lead(&lead.lead_id).await.unwrap().as_ref(), Some(lead), "lead round-trips");
    }
    assert_eq!(store.lead("conf-lead-missing").await.unwrap(), None);

    // Replace the first: fields change, some disappear, custom fields change order.
    let mut replaced = full_lead();
    replaced.title = text("CEO");
    replaced.phone = None;
    replaced.phone_verified = None;
    replaced.tech_stack = vec!["dbt".into()];
    replaced.custom = vec![("région".into(), "Bretagne".into())];
    replaced.annual_revenue = Some(0.1 + 0.2);
    store.upsert_leads(std::slice::from_ref(&replaced), t("2025-03-02T09:00:00Z")).await.expect("replace lead");
    assert_eq!(store.lead("conf-lead-001").await.unwrap(), Some(replaced.clone()));

    let mine: Vec<Lead> = store.all_leads().await.unwrap().into_iter().filter(|l| l.lead_id.starts_with("conf-lead-")).collect();
    let expected = vec![replaced, leads[1].clone(), leads[2].clone()];
    assert_eq!(sorted_by(mine, |l| l.lead_id.clone()), expected, "all_leads after replace");
}

/// Accounts: insert, read back, replace one.
pub async fn accounts_upsert_and_replace<S: Store>(store: &S) {
    let a = Account {
        account_id: "conf-acct-001".into(),
        name: Some("Beispiel GmbH & Co. KG".into()),
        domain: Some("beispiel-gmbh.de".into()),
        industry: Some("Software".into()),
        employees: Some(1250),
        country: Some("DE".into()),
        owner: Some("Zoë Ångström".into()),
        tier: Some("enterprise".into()),
    };
    let b = Account { account_id: "conf-acct-002".into(), name: Some("株式会社サンプル".into()), ..Account::default() };
    store.upsert_accounts(&[a.clone(), b.clone()], t("2025-03-01T09:00:00Z")).await.expect("upsert accounts");
    let b2 = Account { tier: Some("mid-market".into()), employees: Some(80), ..b.clone() };
    store.upsert_accounts(std::slice::from_ref(&b2), t("2025-03-02T09:00:00Z")).await.expect("replace account");
    let mine: Vec<Account> = store.all_accounts().await.unwrap().into_iter().filter(|a| a.account_id.starts_with("conf-acct-")).collect();
    assert_eq!(sorted_by(mine, |a| a.account_id.clone()), vec![a, b2]);
}

fn event(id: &str, lead: &str, ty: &str, at: &str) -> Event {
    Event { event_id: id.into(), lead_id: lead.into(), event_type: ty.into(), occurred_at: t(at), url: None, properties: None }
}

fn events_of<'a>(all: &'a [Event], prefix: &str) -> Vec<&'a Event> {
    all.iter().filter(|e| e.event_id.starts_with(prefix)).collect()
}

/// Event ids are idempotency keys: a resent batch stores nothing, a batch repeating an id
/// stores it once (the first occurrence), batches larger than any internal chunk work.
/// Deals are replaced by id (the last of a repeated id in one batch wins), listed by id, and
/// erasing a lead removes the deals that name it and no other.
pub async fn deals_upsert_and_erase<S: Store>(store: &S) {
    let deal = |id: &str, lead: Option<&str>, body: &str| DealRow {
        deal_id: id.into(),
        lead_id: lead.map(str::to_string),
        account_id: Some("acc-d".into()),
        body: body.into(),
        updated_at: t("2026-04-01T10:00:00Z"),
    };
    store.upsert_deals(&[deal("d2", Some("deal-lead"), "{\"v\":1}"), deal("d1", None, "{\"v\":1}")]).await.expect("upsert_deals");
    store
        .upsert_deals(&[deal("d2", Some("deal-lead"), "{\"v\":2}"), deal("d2", Some("deal-lead"), "{\"v\":3}")])
        .await
        .expect("upsert_deals with a repeated id");
    let all = store.all_deals().await.expect("all_deals");
    assert_eq!(all.iter().map(|d| (d.deal_id.as_str(), d.body.as_str())).collect::<Vec<_>>(), [("d1", "{\"v\":1}"), ("d2", "{\"v\":3}")]);
    assert_eq!(all[1], deal("d2", Some("deal-lead"), "{\"v\":3}"), "every column round-trips");
    let erased = store.erase_lead("deal-lead", &[]).await.expect("erase_lead");
    assert_eq!(erased.deals, 1);
    let left = store.all_deals().await.expect("all_deals");
    assert_eq!(left.iter().map(|d| d.deal_id.as_str()).collect::<Vec<_>>(), ["d1"], "a deal on the account alone stays");
    // Deleted by id (a deal deleted in the CRM): unknown ids are passed over.
    assert_eq!(store.delete_deals(&[]).await.expect("delete_deals of none"), 0);
    store.upsert_deals(&[deal("d3", None, "{}"), deal("d4", None, "{}")]).await.expect("upsert_deals");
    let gone = store.delete_deals(&["d1".into(), "d3".into(), "no-such-deal".into(), "d3".into()]).await.expect("delete_deals");
    assert_eq!(gone, 2);
    let left = store.all_deals().await.expect("all_deals");
    assert_eq!(left.iter().map(|d| d.deal_id.as_str()).collect::<Vec<_>>(), ["d4"]);
}

pub async fn events_idempotent<S: Store>(store: &S) {
    assert_eq!(store.insert_events(&[]).await.unwrap(), Vec::<bool>::new());
    let batch = vec![
        event("idem-e1", "idem-lead-a", "page_view", "2025-03-03T10:00:00Z"),
        event("idem-e2", "idem-lead-a", "form_submit", "2025-03-03T10:05:00Z"),
        event("idem-e3", "idem-lead-b", "email_open", "2025-03-03T11:00:00Z"),
    ];
    assert_eq!(store.insert_events(&batch).await.unwrap(), vec![true, true, true]);
    assert_eq!(store.insert_events(&batch).await.unwrap(), vec![false, false, false], "a resent batch is all duplicates");

    // The same id twice inside one batch, and an old id with new content.
    let mut changed = batch[0].clone();
    changed.event_type = "something_else".into();
    let twice = vec![
        event("idem-e4", "idem-lead-a", "demo_request", "2025-03-03T12:00:00Z"),
        event("idem-e4", "idem-lead-a", "demo_request_again", "2025-03-03T12:00:01Z"),
        changed,
        event("idem-e5", "idem-lead-b", "page_view", "2025-03-03T12:30:00Z"),
    ];
    assert_eq!(store.insert_events(&twice).await.unwrap(), vec![true, false, false, true]);

    let all = store.all_events().await.unwrap();
    let mine = events_of(&all, "idem-");
    let expected = [&batch[0], &batch[1], &batch[2], &twice[0], &twice[3]];
    assert_eq!(mine, expected, "each event once, first version, insertion order");
    assert_eq!(store.lead_events("idem-lead-a").await.unwrap(), vec![batch[0].clone(), batch[1].clone(), twice[0].clone()]);
    assert_eq!(store.lead_events("idem-lead-b").await.unwrap(), vec![batch[2].clone(), twice[3].clone()]);

    // A large batch (crosses any chunking) with a repeat far apart and a repeat of a stored id.
    let base = t("2025-03-04T00:00:00Z");
    let mut big: Vec<Event> = (0..1200)
        .map(|i| Event {
            event_id: format!("idem-big-{i:05}"),
            lead_id: format!("idem-big-lead-{}", i % 7),
            event_type: "page_view".into(),
            occurred_at: base + jiff::SignedDuration::from_secs(i),
            url: Some(format!("https://example.com/p/{i}")),
            properties: None,
        })
        .collect();
    big[900] = big[3].clone();
    big[1100] = batch[1].clone();
    let flags = store.insert_events(&big).await.unwrap();
    assert_eq!(flags.len(), big.len());
    for (i, f) in flags.iter().enumerate() {
        assert_eq!(*f, i != 900 && i != 1100, "flag of big batch row {i}");
    }
    let all = store.all_events().await.unwrap();
    let stored_big = events_of(&all, "idem-big-");
    assert_eq!(stored_big.len(), 1198);
    let expected: Vec<&Event> = big.iter().enumerate().filter(|(i, _)| *i != 900 && *i != 1100).map(|(_, e)| e).collect();
    assert_eq!(stored_big, expected, "big batch in insertion order");
}

/// Events keep every field: properties (nested JSON, numbers, unicode), url, exact time.
pub async fn events_round_trip<S: Store>(store: &S) {
    let rich = vec![
        Event {
            event_id: "rt-ev-001".into(),
            lead_id: "rt-lead".into(),
            event_type: "page_view".into(),
            occurred_at: t("2025-03-05T09:14:07.123456789Z"),
            url: Some("https://example.com/pricing?plan=team&utm_source=newsletter#faq".into()),
            properties: props(json!({
                "path": "/pricing",
                "duration_s": 42.5,
                "count": 3,
                "big": 9007199254740993u64,
                "negative": -17,
                "flag": true,
                "nothing": null,
                "tags": ["a", "b", "ü"],
                "nested": {"référent": "Zoë", "日本": [1, 2, {"x": "y"}]}
            })),
        },
        Event {
            event_id: "rt-ev-002".into(),
            lead_id: "rt-lead".into(),
            event_type: "webinar_attended".into(),
            occurred_at: t("2025-03-05T10:00:00Z"),
            url: None,
            properties: props(json!({})),
        },
        event("rt-ev-003", "rt-lead", "email_click", "1999-12-31T23:59:59.999999Z"),
    ];
    assert_eq!(store.insert_events(&rich).await.unwrap(), vec![true; 3]);
    assert_eq!(store.lead_events("rt-lead").await.unwrap(), rich);
    assert_eq!(store.lead_events("rt-nobody").await.unwrap(), vec![]);
}

/// Consent records: appended, in insertion order, per lead.
pub async fn consents<S: Store>(store: &S) {
    let recs = [
        ConsentRecord {
            lead_id: "cons-lead-a".into(),
            purpose: "marketing".into(),
            status: ConsentStatus::Granted,
            source: Some("form".into()),
            at: t("2025-01-02T03:04:05.678901Z"),
        },
        ConsentRecord {
            lead_id: "cons-lead-b".into(),
            purpose: "analytics".into(),
            status: ConsentStatus::Denied,
            source: None,
            at: t("2025-01-03T00:00:00Z"),
        },
        ConsentRecord {
            lead_id: "cons-lead-a".into(),
            purpose: "marketing".into(),
            status: ConsentStatus::Withdrawn,
            source: Some("email_link".into()),
            // Earlier than the first: insertion order, not time order.
            at: t("2024-12-31T23:00:00Z"),
        },
    ];
    store.insert_consents(&[]).await.unwrap();
    store.insert_consents(&recs[..2]).await.unwrap();
    store.insert_consents(&recs[2..]).await.unwrap();
    // Appending the same record again is a new record.
    store.insert_consents(&recs[..1]).await.unwrap();
    let all: Vec<ConsentRecord> = store.all_consents().await.unwrap().into_iter().filter(|r| r.lead_id.starts_with("cons-")).collect();
    assert_eq!(all, vec![recs[0].clone(), recs[1].clone(), recs[2].clone(), recs[0].clone()]);
    assert_eq!(store.lead_consents("cons-lead-a").await.unwrap(), vec![recs[0].clone(), recs[2].clone(), recs[0].clone()]);
    assert_eq!(store.lead_consents("cons-lead-b").await.unwrap(), vec![recs[1].clone()]);
}

fn score(lead: &str, at: &str, model: i64, total: i32, grade: &str, cause: &str) -> StoredScore {
    StoredScore {
        lead_id: lead.into(),
        as_of: t(at),
        model_id: model,
        total,
        quality: total >= 60,
        grade: grade.into(),
        cell: format!("{grade}2"),
        body: StoredScoreBody {
            lead_id: lead.into(),
            total,
            quality: total >= 60,
            grade: grade.into(),
            cell: format!("{grade}2"),
            dimensions: vec![("fit".into(), total), ("intent".into(), 0)],
            reasons: vec![StoredReason {
                rule: "title_seniority".into(),
                dimension: "fit".into(),
                points: total,
                detail: "Directeur général".into(),
            }],
        },
        cause: cause.into(),
    }
}

/// `save_scores` replaces the current score and appends to the history.
pub async fn scores_and_history<S: Store>(store: &S) {
    let a1 = score("sc-lead-a", "2025-03-01T10:00:00.000001Z", 1, 45, "B", "lead updated");
    let b1 = score("sc-lead-b", "2025-03-01T10:00:00Z", 1, -5, "D", "event e1");
    let a2 = score("sc-lead-a", "2025-03-02T10:00:00.25Z", 2, 75, "A", "model 2");
    store.save_scores(&[]).await.unwrap();
    store.save_scores(&[a1.clone(), b1.clone()]).await.unwrap();
    store.save_scores(std::slice::from_ref(&a2)).await.unwrap();
    let current: Vec<StoredScore> = store.current_scores().await.unwrap().into_iter().filter(|s| s.lead_id.starts_with("sc-")).collect();
    assert_eq!(sorted_by(current, |s| s.lead_id.clone()), vec![a2.clone(), b1.clone()]);
    assert_eq!(store.score_history("sc-lead-a").await.unwrap(), vec![a1, a2]);
    assert_eq!(store.score_history("sc-lead-b").await.unwrap(), vec![b1]);
    assert_eq!(store.score_history("sc-nobody").await.unwrap(), vec![]);
}

/// One batch naming the same lead, account or scored lead twice: the later record wins, and
/// the history keeps both scores.
pub async fn repeated_keys_in_one_batch<S: Store>(store: &S) {
    let at = t("2025-04-01T00:00:00Z");
    let first = Lead { lead_id: "rk-lead".into(), email: text("a@rk.example"), ..Lead::default() };
    let second = Lead { lead_id: "rk-lead".into(), email: text("b@rk.example"), ..Lead::default() };
    store.upsert_leads(&[first, second.clone()], at).await.expect("a batch may repeat a lead id");
    assert_eq!(store.lead("rk-lead").await.unwrap(), Some(second));
    let acc = |name: &str| Account { account_id: "rk-acc".into(), name: Some(name.to_string()), ..Account::default() };
    store.upsert_accounts(&[acc("One"), acc("Two")], at).await.expect("a batch may repeat an account id");
    let stored: Vec<Account> = store.all_accounts().await.unwrap().into_iter().filter(|a| a.account_id == "rk-acc").collect();
    assert_eq!(stored, vec![acc("Two")]);
    let s1 = score("rk-lead", "2025-04-01T00:00:00Z", 1, 10, "C", "lead updated");
    let s2 = score("rk-lead", "2025-04-01T00:00:01Z", 1, 40, "B", "event e9");
    store.save_scores(&[s1.clone(), s2.clone()]).await.expect("a batch may repeat a scored lead");
    let current: Vec<StoredScore> = store.current_scores().await.unwrap().into_iter().filter(|s| s.lead_id == "rk-lead").collect();
    assert_eq!(current, vec![s2.clone()]);
    assert_eq!(store.score_history("rk-lead").await.unwrap(), vec![s1, s2]);
}

/// Model versions: added inactive, listed oldest first, exactly one active.
pub async fn models<S: Store>(store: &S) {
    let src1 = "[model]\nname = \"b2b-saas\"\nversion = \"1.0\"\n# Schwellenwert für Qualität\n";
    let src2 = "[model]\nname = \"b2b-saas\"\nversion = \"1.1\"\n";
    let id1 = store.add_model("b2b-saas", "1.0", src1, t("2025-02-01T00:00:00Z")).await.unwrap();
    let id2 = store.add_model("b2b-saas", "1.1", src2, t("2025-02-15T12:00:00.5Z")).await.unwrap();
    assert!(id2 > id1, "model ids increase");
    let m1 = store.model(id1).await.unwrap().expect("model 1");
    assert_eq!((m1.name.as_str(), m1.version.as_str(), m1.source.as_str()), ("b2b-saas", "1.0", src1));
    assert_eq!(m1.created_at, t("2025-02-01T00:00:00Z"));
    assert!(!m1.active, "a new model is inactive");
    let listed = store.models().await.unwrap();
    let pos1 = listed.iter().position(|m| m.id == id1).expect("listed 1");
    let pos2 = listed.iter().position(|m| m.id == id2).expect("listed 2");
    assert!(pos1 < pos2, "models oldest first");
    assert!(listed.windows(2).all(|w| w[0].id < w[1].id));

    let active = async || -> Vec<i64> { store.models().await.unwrap().iter().filter(|m| m.active).map(|m| m.id).collect() };
    store.activate_model(id1).await.unwrap();
    assert_eq!(active().await, vec![id1]);
    store.activate_model(id2).await.unwrap();
    assert_eq!(active().await, vec![id2]);
    store.activate_model(id2).await.unwrap();
    assert_eq!(active().await, vec![id2], "activating the active one again");
    let unknown = id2 + 1_000_000;
    assert!(store.model(unknown).await.unwrap().is_none());
    assert!(matches!(store.activate_model(unknown).await, Err(StoreError::NotFound(_))), "activate unknown model is NotFound");
    assert_eq!(active().await, vec![id2], "a failed activation changes nothing");
    assert_eq!(store.model(id2).await.unwrap().map(|m| m.active), Some(true));
}

/// API keys: add, get, list, revoke.
pub async fn keys<S: Store>(store: &S) {
    let k1 = ApiKey {
        id: "k_3f9a2c1d".into(),
        secret_hash: "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae".into(),
        name: "ingest from the website — Zoë".into(),
        scopes: vec![Scope::Ingest, Scope::Read],
        created_at: t("2025-01-05T08:00:00.000123Z"),
        revoked_at: None,
    };
    let k2 = ApiKey {
        id: "k_0000beef".into(),
        secret_hash: "fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9".into(),
        name: "admin".into(),
        scopes: vec![Scope::Admin, Scope::Ingest, Scope::Read],
        created_at: t("2025-01-06T08:00:00Z"),
        revoked_at: None,
    };
    let k3 = ApiKey {
        id: "k_noscope".into(),
        secret_hash: "00".into(),
        name: "nothing".into(),
        scopes: vec![],
        created_at: t("2025-01-07T08:00:00Z"),
        revoked_at: Some(t("2025-01-08T08:00:00Z")),
    };
    for k in [&k1, &k2, &k3] {
        store.add_key(k).await.unwrap();
    }
    assert!(store.add_key(&k1).await.is_err(), "a key id is unique");
    assert_eq!(store.key("k_3f9a2c1d").await.unwrap(), Some(k1.clone()));
    assert_eq!(store.key("k_noscope").await.unwrap(), Some(k3.clone()));
    assert_eq!(store.key("k_missing").await.unwrap(), None);
    let listed = store.keys().await.unwrap();
    for k in [&k1, &k2, &k3] {
        assert!(listed.contains(k), "keys() lists {}", k.id);
    }
    store.revoke_key("k_3f9a2c1d", t("2025-03-01T12:00:00.5Z")).await.unwrap();
    let revoked = store.key("k_3f9a2c1d").await.unwrap().unwrap();
    assert_eq!(revoked.revoked_at, Some(t("2025-03-01T12:00:00.5Z")));
    assert_eq!(revoked.scopes, k1.scopes);
    assert_eq!(store.key("k_0000beef").await.unwrap(), Some(k2));
    assert!(matches!(store.revoke_key("k_missing", t("2025-03-01T12:00:00Z")).await, Err(StoreError::NotFound(_))));
}

fn delivery(id: &str, sub: &str, lead: Option<&str>, created: &str, next: &str) -> Delivery {
    Delivery {
        id: id.into(),
        subscription_id: sub.into(),
        event_type: "lead.quality".into(),
        lead_id: lead.map(Into::into),
        body: json!({"id": id, "type": "lead.quality", "lead": lead, "note": "qualité ✓"}).to_string(),
        created_at: t(created),
        next_attempt_at: t(next),
        attempts: 0,
        state: DeliveryState::Pending,
        last_attempt_at: None,
        last_status: None,
        last_error: None,
    }
}

fn ids(ds: &[Delivery]) -> Vec<&str> {
    ds.iter().map(|d| d.id.as_str()).collect()
}

/// Subscriptions and the delivery queue.
pub async fn subscriptions_and_deliveries<S: Store>(store: &S) {
    let s1 = Subscription {
        id: "sub-crm".into(),
        url: "https://hooks.example.com/leadrank?tenant=émile".into(),
        secret: "whsec_4f1c8e".into(),
        events: vec!["lead.quality".into(), "lead.score_changed".into()],
        created_at: t("2025-02-01T00:00:00Z"),
    };
    let s2 = Subscription {
        id: "sub-slack".into(),
        url: "https://hooks.slack.example/T000/B000".into(),
        secret: "whsec_99".into(),
        events: vec!["lead.stage_changed".into()],
        created_at: t("2025-02-02T00:00:00Z"),
    };
    store.add_subscription(&s1).await.unwrap();
    store.add_subscription(&s2).await.unwrap();
    let subs = store.subscriptions().await.unwrap();
    assert!(subs.contains(&s1) && subs.contains(&s2), "subscriptions listed");

    let mut delivered = delivery("dlv-0", "sub-crm", Some("dq-lead-a"), "2025-03-01T08:00:00Z", "2025-03-01T08:00:00Z");
    delivered.state = DeliveryState::Delivered;
    delivered.attempts = 1;
    delivered.last_attempt_at = Some(t("2025-03-01T08:00:01Z"));
    delivered.last_status = Some(204);
    let queue = vec![
        delivered.clone(),
        delivery("dlv-1", "sub-crm", Some("dq-lead-a"), "2025-03-01T09:00:00Z", "2025-03-01T09:30:00Z"),
        delivery("dlv-2", "sub-crm", None, "2025-03-01T09:10:00Z", "2025-03-01T09:10:00Z"),
        delivery("dlv-3", "sub-crm", Some("dq-lead-b"), "2025-03-01T09:20:00Z", "2025-03-01T09:20:00.000001Z"),
        // Not yet due.
        delivery("dlv-4", "sub-crm", Some("dq-lead-b"), "2025-03-01T09:40:00Z", "2025-03-01T11:00:00Z"),
        delivery("dlv-5", "sub-slack", Some("dq-lead-a"), "2025-03-01T09:00:00Z", "2025-03-01T09:05:00Z"),
        delivery("dlv-6", "sub-slack", Some("dq-lead-a"), "2025-03-01T09:01:00Z", "2025-03-01T09:06:00Z"),
    ];
    store.enqueue_deliveries(&[]).await.unwrap();
    store.enqueue_deliveries(&queue).await.unwrap();

    let now = t("2025-03-01T10:00:00Z");
    let due = store.due_deliveries(now, 100).await.unwrap();
    assert_eq!(ids(&due), vec!["dlv-5", "dlv-6", "dlv-2", "dlv-3", "dlv-1"], "due, earliest first");
    assert_eq!(due[4], queue[1], "a delivery round-trips");
    assert_eq!(ids(&store.due_deliveries(now, 2).await.unwrap()), vec!["dlv-5", "dlv-6"]);
    assert_eq!(
        ids(&store.due_deliveries(t("2025-03-01T09:20:00Z"), 100).await.unwrap()),
        vec!["dlv-5", "dlv-6", "dlv-2"],
        "next_attempt_at <= now, to the microsecond"
    );

    // A failed attempt to retry later, then a success.
    let retry = Attempt {
        at: t("2025-03-01T10:00:01.5Z"),
        status: Some(503),
        error: Some("service unavailable".into()),
        state: DeliveryState::Pending,
        next_attempt_at: t("2025-03-01T10:05:00Z"),
    };
    store.record_attempt("dlv-2", &retry).await.unwrap();
    let ok = Attempt {
        at: t("2025-03-01T10:00:02Z"),
        status: Some(200),
        error: None,
        state: DeliveryState::Delivered,
        next_attempt_at: t("2025-03-01T10:00:02Z"),
    };
    store.record_attempt("dlv-3", &ok).await.unwrap();
    let gave_up = Attempt {
        at: t("2025-03-01T10:00:03Z"),
        status: None,
        error: Some("connection refused".into()),
        state: DeliveryState::Failed,
        next_attempt_at: t("2025-03-01T10:00:03Z"),
    };
    store.record_attempt("dlv-1", &gave_up).await.unwrap();
    assert!(matches!(store.record_attempt("dlv-missing", &ok).await, Err(StoreError::NotFound(_))));
    assert_eq!(ids(&store.due_deliveries(now, 100).await.unwrap()), vec!["dlv-5", "dlv-6"]);
    let later = store.due_deliveries(t("2025-03-01T12:00:00Z"), 100).await.unwrap();
    assert_eq!(ids(&later), vec!["dlv-5", "dlv-6", "dlv-2", "dlv-4"]);
    let d2 = &later[2];
    assert_eq!(d2.attempts, 1);
    assert_eq!(d2.state, DeliveryState::Pending);
    assert_eq!(d2.last_attempt_at, Some(t("2025-03-01T10:00:01.5Z")));
    assert_eq!(d2.last_status, Some(503));
    assert_eq!(d2.last_error.as_deref(), Some("service unavailable"));
    assert_eq!(d2.next_attempt_at, t("2025-03-01T10:05:00Z"));

    // Newest first, with a limit.
    let crm = store.deliveries("sub-crm", 100).await.unwrap();
    assert_eq!(ids(&crm), vec!["dlv-4", "dlv-3", "dlv-2", "dlv-1", "dlv-0"]);
    assert_eq!(crm[4], delivered);
    assert_eq!(crm[1].state, DeliveryState::Delivered);
    assert_eq!(crm[1].last_status, Some(200));
    assert_eq!(crm[1].last_error, None);
    assert_eq!(crm[3].state, DeliveryState::Failed);
    assert_eq!(crm[3].last_status, None);
    assert_eq!(ids(&store.deliveries("sub-crm", 2).await.unwrap()), vec!["dlv-4", "dlv-3"]);
    assert_eq!(store.deliveries("sub-nobody", 10).await.unwrap(), vec![]);

    // Deleting a subscription drops its pending deliveries.
    store.record_attempt("dlv-6", &ok).await.expect("deliver one of the slack deliveries");
    store.delete_subscription("sub-slack").await.unwrap();
    let subs = store.subscriptions().await.unwrap();
    assert!(subs.contains(&s1) && !subs.iter().any(|s| s.id == "sub-slack"));
    assert_eq!(
        ids(&store.due_deliveries(t("2025-03-01T12:00:00Z"), 100).await.unwrap()),
        vec!["dlv-2", "dlv-4"],
        "pending deliveries of a deleted subscription are gone"
    );
    let left = store.deliveries("sub-slack", 10).await.unwrap();
    assert!(left.iter().all(|d| d.state != DeliveryState::Pending), "no pending delivery is left for a deleted subscription");
    assert!(matches!(store.delete_subscription("sub-slack").await, Err(StoreError::NotFound(_))));
    assert!(matches!(store.delete_subscription("sub-never").await, Err(StoreError::NotFound(_))));
}

fn erase_data(lead: &str, n: usize) -> (Lead, Vec<Event>, Vec<ConsentRecord>) {
    let l = Lead {
        lead_id: lead.into(),
        email: text(&format!("{lead}@example.org")),
        first_name: text("Åsa"),
        custom: vec![("note".into(), "to be forgotten".into())],
        ..Lead::default()
    };
    let events = (0..n)
        .map(|i| Event {
            event_id: format!("{lead}-ev-{i}"),
            lead_id: lead.into(),
            event_type: "page_view".into(),
            occurred_at: t("2025-03-01T00:00:00Z") + jiff::SignedDuration::from_mins(i as i64),
            url: Some("https://example.org/".into()),
            properties: props(json!({"i": i})),
        })
        .collect();
    let consents = vec![
        ConsentRecord {
            lead_id: lead.into(),
            purpose: "marketing".into(),
            status: ConsentStatus::Granted,
            source: Some("form".into()),
            at: t("2025-03-01T00:00:00Z"),
        },
        ConsentRecord {
            lead_id: lead.into(),
            purpose: "sales_contact".into(),
            status: ConsentStatus::Granted,
            source: None,
            at: t("2025-03-01T00:01:00Z"),
        },
    ];
    (l, events, consents)
}

/// Erasure removes one lead everywhere, keeps markers and touches no other lead.
pub async fn erase_lead<S: Store>(store: &S) {
    let (gone, gone_events, gone_consents) = erase_data("er-gone", 3);
    let (kept, kept_events, kept_consents) = erase_data("er-kept", 2);
    store.upsert_leads(&[gone.clone(), kept.clone()], t("2025-03-01T00:00:00Z")).await.unwrap();
    let mut evs = gone_events.clone();
    evs.extend(kept_events.iter().cloned());
    store.insert_events(&evs).await.unwrap();
    let mut cons = gone_consents.clone();
    cons.extend(kept_consents.iter().cloned());
    store.insert_consents(&cons).await.unwrap();
    let g1 = score("er-gone", "2025-03-01T01:00:00Z", 1, 50, "B", "lead updated");
    let g2 = score("er-gone", "2025-03-01T02:00:00Z", 1, 65, "A", "event er-gone-ev-2");
    let k1 = score("er-kept", "2025-03-01T01:00:00Z", 1, 20, "C", "lead updated");
    store.save_scores(&[g1, k1.clone()]).await.unwrap();
    store.save_scores(std::slice::from_ref(&g2)).await.unwrap();
    let sub = Subscription {
        id: "er-sub".into(),
        url: "https://hooks.example.com/erase".into(),
        secret: "s".into(),
        events: vec!["lead.quality".into()],
        created_at: t("2025-02-01T00:00:00Z"),
    };
    store.add_subscription(&sub).await.unwrap();
    // Far in the future so that no other scenario sees them as due.
    let mut sent = delivery("er-d1", "er-sub", Some("er-gone"), "2025-03-01T02:00:00Z", "2099-01-01T00:00:00Z");
    sent.state = DeliveryState::Delivered;
    let queue = vec![
        delivery("er-d0", "er-sub", Some("er-gone"), "2025-03-01T01:00:00Z", "2099-01-01T00:00:00Z"),
        sent,
        delivery("er-d2", "er-sub", Some("er-kept"), "2025-03-01T01:00:00Z", "2099-01-01T00:00:00Z"),
        delivery("er-d3", "er-sub", None, "2025-03-01T01:30:00Z", "2099-01-01T00:00:00Z"),
    ];
    store.enqueue_deliveries(&queue).await.unwrap();

    let markers = vec![
        "sha256:6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b".to_string(),
        "sha256:d4735e3a265e16eee03f59718b9b5d03019c07d8b6c51f90da3a666eec13ab35".to_string(),
    ];
    let erased = store.erase_lead("er-gone", &markers).await.unwrap();
    assert_eq!(erased, Erased { leads: 1, events: 3, consents: 2, scores: 1, history: 2, deliveries: 2, ops: 0, deals: 0 });
    assert_eq!(store.lead("er-gone").await.unwrap(), None);
    assert_eq!(store.lead_events("er-gone").await.unwrap(), vec![]);
    assert_eq!(store.lead_consents("er-gone").await.unwrap(), vec![]);
    assert_eq!(store.score_history("er-gone").await.unwrap(), vec![]);
    let current = store.current_scores().await.unwrap();
    assert!(!current.iter().any(|s| s.lead_id == "er-gone"));
    assert!(!store.all_leads().await.unwrap().iter().any(|l| l.lead_id == "er-gone"));
    assert!(!store.all_events().await.unwrap().iter().any(|e| e.lead_id == "er-gone"));
    assert!(!store.all_consents().await.unwrap().iter().any(|c| c.lead_id == "er-gone"));
    let suppressed = store.suppressions().await.unwrap();
    for m in &markers {
        assert!(suppressed.contains(m), "marker kept");
    }

    // Everything of the other lead is still there.
    assert_eq!(store.lead("er-kept").await.unwrap(), Some(kept));
    assert_eq!(store.lead_events("er-kept").await.unwrap(), kept_events);
    assert_eq!(store.lead_consents("er-kept").await.unwrap(), kept_consents);
    assert!(current.contains(&k1));
    assert_eq!(store.score_history("er-kept").await.unwrap(), vec![k1]);
    assert_eq!(ids(&store.deliveries("er-sub", 10).await.unwrap()), vec!["er-d3", "er-d2"], "deliveries of other leads (and of none) stay");

    // Erasing again finds nothing; markers are not duplicated.
    let again = store.erase_lead("er-gone", &markers).await.unwrap();
    assert_eq!(again, Erased::default());
    let suppressed = store.suppressions().await.unwrap();
    for m in &markers {
        assert_eq!(suppressed.iter().filter(|s| *s == m).count(), 1);
    }
    // The ids of erased events are free again (the markers are what keeps them out).
    assert_eq!(store.insert_events(&gone_events[..1]).await.unwrap(), vec![true]);
    store.erase_lead("er-gone", &[]).await.unwrap();
}

fn lead_ops(lead: &str, at: &str, body: serde_json::Value) -> LeadOps {
    LeadOps { lead_id: lead.into(), body: body.to_string(), updated_at: t(at) }
}

/// A log entry as given to `save_ops` (`id` is ignored on input: deliberately not 0).
fn ops_entry(lead: &str, kind: &str, at: &str, body: serde_json::Value) -> OpsLogEntry {
    OpsLogEntry { id: -7, lead_id: lead.into(), kind: kind.into(), at: t(at), body: body.to_string() }
}

/// The entries of the leads whose id starts with `prefix`, with the id the store gave them.
fn log_of(log: Vec<OpsLogEntry>, prefix: &str) -> Vec<OpsLogEntry> {
    log.into_iter().filter(|e| e.lead_id.starts_with(prefix)).collect()
}

/// Log entries without their ids, to compare with what was saved.
fn unnumbered(log: &[OpsLogEntry]) -> Vec<OpsLogEntry> {
    log.iter().map(|e| OpsLogEntry { id: -7, ..e.clone() }).collect()
}

fn assert_increasing_ids(log: &[OpsLogEntry], what: &str) {
    assert!(
        log.windows(2).all(|w| w[0].id < w[1].id),
        "{what}: ids increase, oldest first: {:?}",
        log.iter().map(|e| e.id).collect::<Vec<_>>()
    );
}

/// `save_ops` upserts operating states (the body is replaced) and appends log entries with
/// increasing ids; `ops_log` and `all_ops_log` list them by id, `all_ops_log` by kind.
pub async fn ops_upsert_and_log<S: Store>(store: &S) {
    store.save_ops(&[], &[]).await.expect("empty save_ops");
    let a1 = lead_ops("op-lead-a", "2025-05-01T09:00:00.000001Z", json!({"stage": "new", "checklist": {"called": false}, "owner": null}));
    let b1 = lead_ops("op-lead-b", "2025-05-01T09:00:00Z", json!({"stage": "working", "owner": "rep-Zoë", "note": "« rappeler » ✓"}));
    // Saved out of time order: the log is ordered by id (order of saving), not by `at`.
    let first = vec![
        ops_entry("op-lead-a", "transition", "2025-05-01T09:00:00.000001Z", json!({"from": null, "to": "new"})),
        ops_entry("op-lead-b", "assignment", "2025-05-01T08:00:00Z", json!({"rep": "rep-Zoë", "rule": "emea"})),
        ops_entry("op-lead-b", "transition", "2025-05-01T07:00:00Z", json!({"from": "new", "to": "working"})),
    ];
    store.save_ops(&[a1.clone(), b1.clone()], &first).await.expect("save_ops");
    let mine = |all: Vec<LeadOps>| -> Vec<LeadOps> { all.into_iter().filter(|o| o.lead_id.starts_with("op-lead-")).collect() };
    assert_eq!(mine(store.all_ops().await.unwrap()), vec![a1.clone(), b1.clone()]);

    // Replace a's state (body and time) with state only; append a log entry with no state.
    let a2 = lead_ops("op-lead-a", "2025-05-02T10:30:00.25Z", json!({"stage": "qualified", "checklist": {"called": true}}));
    store.save_ops(std::slice::from_ref(&a2), &[]).await.expect("save_ops without log");
    let second = vec![ops_entry("op-lead-a", "breach", "2025-05-02T10:00:00Z", json!({"sla": "first_touch", "late_by_s": 3600}))];
    store.save_ops(&[], &second).await.expect("save_ops without ops");
    let ops = mine(store.all_ops().await.unwrap());
    assert_eq!(ops, vec![a2.clone(), b1.clone()], "save_ops replaces the body");

    let all = log_of(store.all_ops_log(None).await.unwrap(), "op-lead-");
    assert_increasing_ids(&all, "all_ops_log");
    let mut expected = first.clone();
    expected.extend(second.iter().cloned());
    assert_eq!(unnumbered(&all), expected, "all_ops_log in order of saving");
    assert!(all.iter().all(|e| e.id != -7), "the store assigns ids");

    let a_log = store.ops_log("op-lead-a").await.unwrap();
    assert_eq!(a_log, vec![all[0].clone(), all[3].clone()]);
    let b_log = store.ops_log("op-lead-b").await.unwrap();
    assert_eq!(b_log, vec![all[1].clone(), all[2].clone()]);
    assert_eq!(store.ops_log("op-nobody").await.unwrap(), vec![]);

    let transitions = store.all_ops_log(Some("transition")).await.unwrap();
    assert!(transitions.iter().all(|e| e.kind == "transition"));
    assert_increasing_ids(&transitions, "all_ops_log(transition)");
    assert_eq!(log_of(transitions, "op-lead-"), vec![all[0].clone(), all[2].clone()]);
    assert_eq!(log_of(store.all_ops_log(Some("breach")).await.unwrap(), "op-lead-"), vec![all[3].clone()]);
    assert_eq!(store.all_ops_log(Some("op-no-such-kind")).await.unwrap(), vec![]);

    // A later save gets later ids.
    let third = vec![ops_entry("op-lead-b", "checklist", "2025-05-01T00:00:00Z", json!({"item": "called", "done": true}))];
    store.save_ops(&[], &third).await.unwrap();
    let b_log = store.ops_log("op-lead-b").await.unwrap();
    assert_eq!(b_log.len(), 3);
    assert!(b_log[2].id > all[3].id, "ids increase across saves");
    assert_eq!(unnumbered(&b_log[2..]), third);
}

/// One `save_ops` batch naming the same lead twice: the later state wins, and the log keeps
/// every entry.
pub async fn ops_repeated_lead_in_one_batch<S: Store>(store: &S) {
    let s1 = lead_ops("rk-ops-lead", "2025-05-03T00:00:00Z", json!({"stage": "new"}));
    let s2 = lead_ops("rk-ops-lead", "2025-05-03T00:00:01Z", json!({"stage": "working"}));
    let log = vec![
        ops_entry("rk-ops-lead", "transition", "2025-05-03T00:00:00Z", json!({"to": "new"})),
        ops_entry("rk-ops-lead", "transition", "2025-05-03T00:00:01Z", json!({"from": "new", "to": "working"})),
    ];
    store.save_ops(&[s1, s2.clone()], &log).await.expect("a batch may repeat a lead");
    let stored: Vec<LeadOps> = store.all_ops().await.unwrap().into_iter().filter(|o| o.lead_id == "rk-ops-lead").collect();
    assert_eq!(stored, vec![s2]);
    let stored_log = store.ops_log("rk-ops-lead").await.unwrap();
    assert_increasing_ids(&stored_log, "ops_log");
    assert_eq!(unnumbered(&stored_log), log);
}

fn dir_entry(kind: &str, id: &str, at: &str, body: &str) -> DirectoryEntry {
    DirectoryEntry { kind: kind.into(), id: id.into(), body: body.into(), updated_at: t(at) }
}

/// Directory records: put, replace, list one kind by id, delete, `NotFound`.
pub async fn directory<S: Store>(store: &S) {
    let mine = |all: Vec<DirectoryEntry>| -> Vec<DirectoryEntry> { all.into_iter().filter(|d| d.id.starts_with("dir-")).collect() };
    // Put out of order; ids differ in case, so the order is the same in every collation
    // only if it is byte order ("dir-rep-B" < "dir-rep-a").
    let rep_a = dir_entry("rep", "dir-rep-a", "2025-05-01T00:00:00Z", r#"{"name":"Zoë Ångström","teams":["dir-team-1"],"capacity":20}"#);
    let rep_b_upper = dir_entry("rep", "dir-rep-B", "2025-05-01T00:00:00.000001Z", r#"{"name":"Bob","teams":[],"capacity":5}"#);
    let rep_c = dir_entry("rep", "dir-rep-c", "2025-05-01T00:00:00Z", r#"{"name":"山田 太郎","capacity":0}"#);
    let team = dir_entry("team", "dir-team-1", "2025-05-01T00:00:00Z", r#"{"name":"EMEA","reps":["dir-rep-a"]}"#);
    // The same id under another kind is another record.
    let team_same_id = dir_entry("team", "dir-rep-a", "2025-05-01T00:00:00Z", r#"{"name":"A"}"#);
    let routing = dir_entry(
        "routing",
        "dir-active",
        "2025-05-01T00:00:00Z",
        "[[rule]]\nname = \"emea\"\nwhen = \"country in ['DE', 'FR']\"\nteam = \"dir-team-1\"\n",
    );
    for e in [&rep_c, &rep_a, &team, &routing, &rep_b_upper, &team_same_id] {
        store.put_directory(e).await.expect("put_directory");
    }
    let reps = store.directory("rep").await.unwrap();
    assert!(reps.windows(2).all(|w| w[0].id < w[1].id), "directory lists by id");
    assert_eq!(mine(reps), vec![rep_b_upper.clone(), rep_a.clone(), rep_c.clone()]);
    assert_eq!(mine(store.directory("team").await.unwrap()), vec![team_same_id.clone(), team.clone()]);
    assert_eq!(mine(store.directory("routing").await.unwrap()), vec![routing.clone()]);
    assert_eq!(store.directory("dir-no-such-kind").await.unwrap(), vec![]);
    // One record by kind and id; ids are case-sensitive and the kind is part of the key.
    assert_eq!(store.directory_entry("rep", "dir-rep-B").await.unwrap(), Some(rep_b_upper.clone()));
    assert_eq!(store.directory_entry("team", "dir-rep-a").await.unwrap(), Some(team_same_id.clone()));
    assert_eq!(store.directory_entry("rep", "dir-rep-b").await.unwrap(), None);
    assert_eq!(store.directory_entry("routing", "dir-team-1").await.unwrap(), None);

    // Replace: body and time change, nothing else.
    let rep_a2 = dir_entry("rep", "dir-rep-a", "2025-05-02T12:00:00.5Z", r#"{"name":"Zoë Ångström","teams":[],"capacity":0,"away":true}"#);
    store.put_directory(&rep_a2).await.expect("replace");
    assert_eq!(mine(store.directory("rep").await.unwrap()), vec![rep_b_upper.clone(), rep_a2.clone(), rep_c.clone()]);
    assert_eq!(
        mine(store.directory("team").await.unwrap()),
        vec![team_same_id.clone(), team.clone()],
        "the same id under another kind is untouched"
    );

    // Delete.
    store.delete_directory("rep", "dir-rep-B").await.expect("delete");
    assert_eq!(mine(store.directory("rep").await.unwrap()), vec![rep_a2.clone(), rep_c.clone()]);
    assert!(matches!(store.delete_directory("rep", "dir-rep-B").await, Err(StoreError::NotFound(_))), "deleting twice is NotFound");
    assert!(matches!(store.delete_directory("rep", "dir-rep-b").await, Err(StoreError::NotFound(_))), "ids are case-sensitive");
    assert!(matches!(store.delete_directory("routing", "dir-team-1").await, Err(StoreError::NotFound(_))), "the kind is part of the key");
    store.delete_directory("team", "dir-rep-a").await.expect("delete by kind and id");
    assert_eq!(mine(store.directory("rep").await.unwrap()), vec![rep_a2, rep_c], "deleting a team leaves the rep with the same id");
    assert_eq!(mine(store.directory("team").await.unwrap()), vec![team]);
}

/// Erasure removes the operating state and log of one lead, counts them in `Erased::ops`,
/// and leaves every other lead's.
pub async fn erase_lead_ops<S: Store>(store: &S) {
    let at = t("2025-05-04T00:00:00Z");
    let lead = |id: &str| Lead { lead_id: id.into(), email: text(&format!("{id}@ops.example")), ..Lead::default() };
    store.upsert_leads(&[lead("eo-gone"), lead("eo-kept")], at).await.unwrap();
    let gone = lead_ops("eo-gone", "2025-05-04T00:00:00Z", json!({"stage": "working"}));
    let kept = lead_ops("eo-kept", "2025-05-04T00:00:00Z", json!({"stage": "new"}));
    let log = vec![
        ops_entry("eo-gone", "transition", "2025-05-04T00:00:00Z", json!({"to": "new"})),
        ops_entry("eo-kept", "transition", "2025-05-04T00:00:00Z", json!({"to": "new"})),
        ops_entry("eo-gone", "assignment", "2025-05-04T00:00:01Z", json!({"rep": "dir-rep-a"})),
        ops_entry("eo-gone", "transition", "2025-05-04T00:00:02Z", json!({"from": "new", "to": "working"})),
    ];
    store.save_ops(&[gone, kept.clone()], &log).await.unwrap();
    let kept_log = store.ops_log("eo-kept").await.unwrap();
    assert_eq!(unnumbered(&kept_log), vec![log[1].clone()]);

    let erased = store.erase_lead("eo-gone", &[]).await.unwrap();
    assert_eq!(erased, Erased { leads: 1, ops: 4, ..Erased::default() }, "one state and three log entries");
    assert_eq!(store.ops_log("eo-gone").await.unwrap(), vec![]);
    let ops = store.all_ops().await.unwrap();
    assert!(!ops.iter().any(|o| o.lead_id == "eo-gone"));
    assert!(ops.contains(&kept));
    assert!(!store.all_ops_log(None).await.unwrap().iter().any(|e| e.lead_id == "eo-gone"));
    assert!(!store.all_ops_log(Some("transition")).await.unwrap().iter().any(|e| e.lead_id == "eo-gone"));
    assert_eq!(store.ops_log("eo-kept").await.unwrap(), kept_log);

    // Again: nothing left to erase.
    assert_eq!(store.erase_lead("eo-gone", &[]).await.unwrap(), Erased::default());
    store.erase_lead("eo-kept", &[]).await.unwrap();
}

/// The audit log: appended, listed newest first.
pub async fn audit_log<S: Store>(store: &S) {
    let entries = vec![
        AuditEntry {
            at: t("2025-03-01T09:00:00Z"),
            actor: "cli".into(),
            action: "key.create".into(),
            detail: "k_3f9a2c1d scopes=ingest,read".into(),
        },
        AuditEntry {
            at: t("2025-03-01T09:05:00.000007Z"),
            actor: "k_0000beef".into(),
            action: "model.activate".into(),
            detail: "model 2".into(),
        },
        AuditEntry {
            at: t("2025-03-01T09:10:00Z"),
            actor: "k_0000beef".into(),
            action: "erase".into(),
            detail: "events=3 consents=2 — ok".into(),
        },
    ];
    for e in &entries {
        store.audit(e).await.unwrap();
    }
    let log = store.audit_log(3).await.unwrap();
    assert_eq!(log, vec![entries[2].clone(), entries[1].clone(), entries[0].clone()]);
    assert_eq!(store.audit_log(1).await.unwrap(), vec![entries[2].clone()]);
}

/// Many writes and reads in flight at once all succeed (no "database is locked").
pub async fn concurrent_writes<S: Store>(store: &S) {
    let batch = |w: usize| -> Vec<Event> {
        (0..200)
            .map(|i| Event {
                event_id: format!("cc-{w}-{i}"),
                lead_id: format!("cc-lead-{}", i % 10),
                event_type: "page_view".into(),
                occurred_at: t("2025-03-06T00:00:00Z") + jiff::SignedDuration::from_secs(i),
                url: None,
                properties: None,
            })
            .collect()
    };
    let writer = |w: usize| {
        let events = batch(w);
        async move {
            for part in events.chunks(50) {
                let flags = store.insert_events(part).await.expect("concurrent insert");
                assert!(flags.iter().all(|f| *f));
                store.lead_events("cc-lead-1").await.expect("concurrent read");
            }
            let lead = Lead { lead_id: format!("cc-lead-w{w}"), ..Lead::default() };
            store.upsert_leads(&[lead], t("2025-03-06T00:00:00Z")).await.expect("concurrent upsert");
        }
    };
    tokio::join!(writer(0), writer(1), writer(2), writer(3), writer(4), writer(5));
    let all = store.all_events().await.unwrap();
    assert_eq!(events_of(&all, "cc-").len(), 6 * 200);
}
