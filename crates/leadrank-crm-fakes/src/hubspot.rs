//! A fake of HubSpot's CRM API, for the endpoints the HubSpot connector calls:
//!
//! * `POST /crm/v3/objects/{object}/search`: `filterGroups` (OR of groups, AND of filters;
//!   `EQ`, `NEQ`, `GT`, `GTE`, `LT`, `LTE`, `HAS_PROPERTY`, `NOT_HAS_PROPERTY`; dates compared
//!   as epoch milliseconds), `sorts`, `properties`, `limit` (at most 200), `after`; a query
//!   pages through at most 10,000 results (beyond: 400);
//! * `POST /crm/v3/objects/{object}/batch/read`: at most 100 inputs, `properties`,
//!   `idProperty` (a unique property instead of the record id), `archived`; ids not found
//!   (or archived) fail alone (207 multi-status with `errors`, category `OBJECT_NOT_FOUND`);
//! * webhooks ([`HubSpotFake::set_webhooks`]): every change (creation, property change,
//!   deletion, a deal's association) a subscription covers is queued as HubSpot's
//!   notification, and [`HubSpotFake::deliver_webhooks`] posts the queue in requests of at
//!   most 100, signed as HubSpot signs them (v3), keeping what was not answered 2xx for the
//!   next delivery (`attemptNumber` counts the tries);
//! * `POST /crm/v3/objects/{object}/batch/update`: at most 100 inputs; unknown properties
//!   or invalid values fail the whole batch (400); unknown or archived ids fail alone (207
//!   multi-status with `errors`);
//! * `GET /crm/v3/properties/{object}`, `POST /crm/v3/properties/{object}/groups` (409 when it
//!   exists), `POST /crm/v3/properties/{object}/batch/create`;
//! * `POST /crm/v4/associations/{from}/{to}/batch/read`;
//! * meetings as a CRM object (`POST /crm/v3/objects/meetings/search`, associated with
//!   contacts);
//! * `GET /email/public/v1/events` (the Marketing Email Events API): `startTimestamp`,
//!   `endTimestamp` (inclusive, epoch ms), `eventType`, `recipient`, `campaignId`,
//!   `excludeFilteredEvents`, `limit` (at most 1,000, the default), `offset` (an opaque token);
//!   newest first; `{hasMore, offset, events}`;
//! * `GET /marketing/v3/forms/` (`limit` at most 500, `after`; archived forms left out) and
//!   `GET /form-integrations/v1/submissions/forms/{formGuid}` (`limit` at most 50, the
//!   default 20, `after`; newest first; 404 for an unknown form);
//! * `GET /crm/v3/objects/{object}` (`limit` at most 100, `after`, `archived`,
//!   `properties`): the list endpoint; with `archived=true` only archived records, with
//!   their `archivedAt`.
//!
//! Every answer but 2xx has HubSpot's error body `{status, message, correlationId, category}`
//! (429: `errorType` and `policyName`, `TEN_SECONDLY_ROLLING` or `DAILY`). Requests need
//! `Authorization: Bearer <token>` (401 otherwise). Modification times come from a logical
//! clock that advances one millisecond per change, so tests are deterministic.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// The first time of the fake's clock: 2026-01-01T00:00:00Z.
pub const EPOCH_MS: i64 = 1_767_225_600_000;
/// HubSpot's limits this fake enforces.
pub const BATCH_MAX: usize = 100;
pub const SEARCH_PAGE_MAX: usize = 200;
pub const SEARCH_RESULTS_MAX: usize = 10_000;
pub const ASSOCIATION_BATCH_MAX: usize = 1_000;
pub const EMAIL_EVENTS_PAGE_MAX: usize = 1_000;
pub const FORMS_PAGE_MAX: usize = 500;
pub const SUBMISSIONS_PAGE_MAX: usize = 50;
pub const LIST_PAGE_MAX: usize = 100;
pub const READ_BATCH_MAX: usize = 100;
/// Notifications per webhook request at most.
pub const WEBHOOK_BATCH_MAX: usize = 100;

/// A webhook subscription of the app: an event type (`contact.propertyChange`) and, for
/// property changes, the property (`None` here: every property, a shorthand of the fake).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub event_type: String,
    pub property: Option<String>,
}

/// The app's webhook settings: where notifications go and how they are signed.
#[derive(Debug, Clone)]
pub struct WebhookSettings {
    /// Where the requests are sent (`http://` only: a local test server).
    pub target_url: String,
    /// The URL as the app knows it, which the signature covers (the public URL in front of
    /// `target_url`, e.g. through a TLS proxy); usually the same.
    pub signed_url: String,
    pub client_secret: String,
    pub app_id: u64,
    pub portal_id: u64,
    pub subscriptions: Vec<Subscription>,
}

impl WebhookSettings {
    /// Every creation, deletion and property change of contacts, companies and deals, and
    /// deals' association changes, to `url`, signed with `client_secret`.
    pub fn all(url: &str, client_secret: &str) -> WebhookSettings {
        let mut subscriptions = Vec::new();
        for o in ["contact", "company", "deal"] {
            for e in ["creation", "deletion", "propertyChange"] {
                subscriptions.push(Subscription { event_type: format!("{o}.{e}"), property: None });
            }
        }
        subscriptions.push(Subscription { event_type: "deal.associationChange".into(), property: None });
        WebhookSettings {
            target_url: url.into(),
            signed_url: url.into(),
            client_secret: client_secret.into(),
            app_id: 54321,
            portal_id: 62515,
            subscriptions,
        }
    }
}

/// The v3 signature HubSpot puts in `X-HubSpot-Signature-v3`: base64 of HMAC-SHA256 keyed
/// with the app's client secret over method + URI + body + timestamp.
pub fn sign_v3(client_secret: &str, method: &str, uri: &str, body: &[u8], timestamp: &str) -> String {
    use base64::Engine as _;
    use hmac::{KeyInit, Mac};
    let mut m = hmac::Hmac::<sha2::Sha256>::new_from_slice(client_secret.as_bytes()).expect("HMAC takes a key of any length");
    m.update(method.as_bytes());
    m.update(uri.as_bytes());
    m.update(body);
    m.update(timestamp.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(m.finalize().into_bytes())
}

/// One webhook request as HubSpot would send it.
#[derive(Debug, Clone)]
pub struct SignedRequest {
    /// Where it goes (`target_url`).
    pub url: String,
    /// The path and query of `url`.
    pub path: String,
    pub body: String,
    /// `Content-Type`, `X-HubSpot-Signature-v3`, `X-HubSpot-Request-Timestamp`.
    pub headers: Vec<(String, String)>,
    notifications: Vec<Value>,
}

/// One request as the fake saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub method: String,
    pub path: String,
    pub status: u16,
    /// Inputs of a batch call, results asked of a search.
    pub inputs: usize,
    /// Whether an injected fault answered it.
    pub injected: bool,
}

/// A fault injected into the next matching requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// 429 (ten-secondly limit) with `Retry-After` in seconds when given.
    TooMany { retry_after_s: Option<u64> },
    /// This 5xx status, with a non-JSON body as a proxy in front of HubSpot sends.
    Server(u16),
    /// Answer after this delay (the request is still carried out: a client that timed out
    /// does not know whether it was).
    Slow(Duration),
    /// In a batch update, the first `n` inputs fail (207 multi-status), the rest succeed.
    Partial(usize),
}

#[derive(Debug, Clone)]
struct Injected {
    fault: Fault,
    path_contains: String,
    times: usize,
}

/// A property definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyDef {
    pub name: String,
    pub label: String,
    pub kind: String,
    pub field_type: String,
    pub group: String,
    pub options: Vec<String>,
}

#[derive(Debug, Clone)]
struct Record {
    properties: BTreeMap<String, String>,
    created_ms: i64,
    updated_ms: i64,
    archived: bool,
}

/// One marketing e-mail event (Email Events API).
#[derive(Debug, Clone)]
struct EmailEvent {
    id: String,
    created_ms: i64,
    kind: String,
    recipient: String,
    url: Option<String>,
    campaign: u64,
    filtered: bool,
}

/// A form and its submissions (newest last).
#[derive(Debug, Clone)]
struct Form {
    guid: String,
    name: String,
    created_ms: i64,
    archived: bool,
    submissions: Vec<Submission>,
}

#[derive(Debug, Clone)]
struct Submission {
    conversion_id: String,
    submitted_ms: i64,
    values: Vec<(String, String)>,
    page_url: String,
}

#[derive(Debug, Default)]
struct Inner {
    email_events: Vec<EmailEvent>,
    forms: Vec<Form>,
    next_id: u64,
    clock_ms: i64,
    objects: BTreeMap<String, BTreeMap<u64, Record>>,
    /// (from object, from id) -> [(to object, to id)].
    associations: BTreeMap<(String, u64), Vec<(String, u64)>>,
    properties: BTreeMap<String, Vec<PropertyDef>>,
    groups: BTreeMap<String, Vec<String>>,
    calls: Vec<Call>,
    /// (object, id, property, value) of every value written by a batch update.
    writes: Vec<(String, u64, String, String)>,
    faults: VecDeque<Injected>,
    archived_ms: BTreeMap<(String, u64), i64>,
    daily_limit: Option<u64>,
    daily_used: u64,
    burst: Option<(usize, Duration)>,
    recent: VecDeque<Instant>,
    correlation: u64,
    webhooks: Option<WebhookSettings>,
    /// Notifications not yet delivered, in order.
    notifications: Vec<Value>,
    next_event: u64,
}

impl Inner {
    fn tick(&mut self) -> i64 {
        self.clock_ms += 1;
        self.clock_ms
    }

    fn modified_property(object: &str) -> &'static str {
        if object == "contacts" { "lastmodifieddate" } else { "hs_lastmodifieddate" }
    }

    /// Queues a notification of `event` on a record, when a subscription covers it.
    fn notify(&mut self, object: &str, id: u64, event: &str, property: Option<(&str, &str)>, source: &str, extra: Value) {
        let singular = match object {
            "contacts" => "contact",
            "companies" => "company",
            "deals" => "deal",
            _ => return,
        };
        let Some(w) = &self.webhooks else { return };
        let kind = format!("{singular}.{event}");
        let Some(sub) = w
            .subscriptions
            .iter()
            .position(|s| s.event_type == kind && (s.property.is_none() || s.property.as_deref() == property.map(|p| p.0)))
        else {
            return;
        };
        let (portal, app) = (w.portal_id, w.app_id);
        self.next_event += 1;
        let mut n = json!({"eventId": self.next_event, "subscriptionId": 1000 + sub as u64, "portalId": portal, "appId": app,
            "occurredAt": self.clock_ms, "subscriptionType": kind, "attemptNumber": 0, "objectId": id, "changeSource": source});
        match event {
            "creation" => n["changeFlag"] = json!("NEW"),
            "deletion" => n["changeFlag"] = json!("DELETED"),
            _ => {}
        }
        if let Some((name, value)) = property {
            n["propertyName"] = json!(name);
            n["propertyValue"] = json!(value);
        }
        if let (Value::Object(n), Value::Object(extra)) = (&mut n, extra) {
            n.extend(extra);
        }
        self.notifications.push(n);
    }
}

/// A running fake HubSpot at [`HubSpotFake::url`].
#[derive(Clone)]
pub struct HubSpotFake {
    pub url: String,
    token: Arc<String>,
    inner: Arc<Mutex<Inner>>,
}

fn def(name: &str, label: &str, kind: &str, field_type: &str, group: &str) -> PropertyDef {
    PropertyDef {
        name: name.into(),
        label: label.into(),
        kind: kind.into(),
        field_type: field_type.into(),
        group: group.into(),
        options: Vec::new(),
    }
}

/// HubSpot's lifecycle stages (internal values), in order.
pub const LIFECYCLE: [&str; 8] =
    ["subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer", "evangelist", "other"];

fn default_properties() -> BTreeMap<String, Vec<PropertyDef>> {
    let s = |n: &str, l: &str, g: &str| def(n, l, "string", "text", g);
    let num = |n: &str, l: &str, g: &str| def(n, l, "number", "number", g);
    let dt = |n: &str, l: &str, g: &str| def(n, l, "datetime", "date", g);
    let mut lifecycle = def("lifecyclestage", "Lifecycle Stage", "enumeration", "select", "contactinformation");
    lifecycle.options = LIFECYCLE.iter().map(|s| s.to_string()).collect();
    let contacts = vec![
        s("hs_object_id", "Record ID", "contactinformation"),
        s("email", "Email", "contactinformation"),
        s("firstname", "First Name", "contactinformation"),
        s("lastname", "Last Name", "contactinformation"),
        s("jobtitle", "Job Title", "contactinformation"),
        s("company", "Company Name", "contactinformation"),
        s("website", "Website URL", "contactinformation"),
        num("associatedcompanyid", "Primary Associated Company ID", "contactinformation"),
        s("numemployees", "Number of Employees", "contactinformation"),
        num("annualrevenue", "Annual Revenue", "contactinformation"),
        s("country", "Country/Region", "contactinformation"),
        s("phone", "Phone Number", "contactinformation"),
        s("industry", "Industry", "contactinformation"),
        s("hs_analytics_source", "Original Source", "analyticsinformation"),
        s("hs_lead_status", "Lead Status", "sales_properties"),
        s("hubspot_owner_id", "Contact owner", "sales_properties"),
        lifecycle,
        dt("createdate", "Create Date", "contactinformation"),
        dt("lastmodifieddate", "Last Modified Date", "contactinformation"),
    ];
    let companies = vec![
        s("hs_object_id", "Record ID", "companyinformation"),
        s("name", "Company name", "companyinformation"),
        s("domain", "Company Domain Name", "companyinformation"),
        num("numberofemployees", "Number of Employees", "companyinformation"),
        s("industry", "Industry", "companyinformation"),
        s("country", "Country/Region", "companyinformation"),
        s("hubspot_owner_id", "Company owner", "companyinformation"),
        dt("createdate", "Create Date", "companyinformation"),
        dt("hs_lastmodifieddate", "Last Modified Date", "companyinformation"),
    ];
    let deals = vec![
        s("hs_object_id", "Record ID", "dealinformation"),
        s("dealname", "Deal Name", "dealinformation"),
        s("dealstage", "Deal Stage", "dealinformation"),
        num("amount", "Amount", "dealinformation"),
        dt("closedate", "Close Date", "dealinformation"),
        s("closed_lost_reason", "Closed Lost Reason", "dealinformation"),
        dt("createdate", "Create Date", "dealinformation"),
        dt("hs_lastmodifieddate", "Last Modified Date", "dealinformation"),
    ];
    let meetings = vec![
        s("hs_object_id", "Record ID", "meeting"),
        s("hs_meeting_title", "Meeting name", "meeting"),
        dt("hs_meeting_start_time", "Start Time", "meeting"),
        dt("hs_meeting_end_time", "End Time", "meeting"),
        s("hs_meeting_outcome", "Meeting outcome", "meeting"),
        dt("hs_timestamp", "Activity date", "meeting"),
        dt("createdate", "Create Date", "meeting"),
        dt("hs_lastmodifieddate", "Last Modified Date", "meeting"),
    ];
    BTreeMap::from([("contacts".into(), contacts), ("companies".into(), companies), ("deals".into(), deals), ("meetings".into(), meetings)])
}

fn iso(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).map(|t| t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()).unwrap_or_default()
}

fn parse_ms(v: &str) -> Option<i64> {
    v.parse::<i64>().ok().or_else(|| v.parse::<jiff::Timestamp>().ok().map(|t| t.as_millisecond()))
}

impl HubSpotFake {
    /// Starts a fake on a free local port that accepts `token`.
    pub async fn start(token: &str) -> HubSpotFake {
        let mut groups = BTreeMap::new();
        for o in ["contacts", "companies", "deals"] {
            groups.insert(o.to_string(), vec![]);
        }
        let inner = Inner { clock_ms: EPOCH_MS, next_id: 1000, properties: default_properties(), groups, ..Inner::default() };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a local port");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        let fake = HubSpotFake { url, token: Arc::new(token.to_string()), inner: Arc::new(Mutex::new(inner)) };
        let app = Router::new().fallback(handle).with_state(fake.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        fake
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Creates a record (as a person or an import would); returns its id.
    pub fn create(&self, object: &str, properties: &[(&str, &str)]) -> String {
        let mut g = self.lock();
        g.next_id += 1;
        let id = g.next_id;
        let now = g.tick();
        let properties = properties.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        g.objects.entry(object.into()).or_default().insert(id, Record { properties, created_ms: now, updated_ms: now, archived: false });
        g.notify(object, id, "creation", None, "CRM_UI", Value::Null);
        id.to_string()
    }

    /// Changes properties of a record as a person would in HubSpot.
    pub fn edit(&self, object: &str, id: &str, properties: &[(&str, &str)]) {
        let mut g = self.lock();
        let now = g.tick();
        let id: u64 = id.parse().expect("a numeric id");
        let r = g.objects.get_mut(object).and_then(|o| o.get_mut(&id)).expect("record exists");
        for (k, v) in properties {
            r.properties.insert(k.to_string(), v.to_string());
        }
        r.updated_ms = now;
        for (k, v) in properties {
            g.notify(object, id, "propertyChange", Some((*k, *v)), "CRM_UI", Value::Null);
        }
    }

    /// Archives (deletes) a record.
    pub fn archive(&self, object: &str, id: &str) {
        let mut g = self.lock();
        let now = g.tick();
        let id: u64 = id.parse().expect("a numeric id");
        if let Some(r) = g.objects.get_mut(object).and_then(|o| o.get_mut(&id)) {
            r.archived = true;
            r.updated_ms = now;
            g.archived_ms.insert((object.to_string(), id), now);
            g.notify(object, id, "deletion", None, "CRM_UI", Value::Null);
        }
    }

    /// A marketing e-mail event (`CLICK`, `BOUNCE`, `OPEN`, ...) to `recipient`, now; a
    /// `filtered` one is what HubSpot flags as a machine's (bot) open or click. Returns its id.
    pub fn email_event(&self, kind: &str, recipient: &str, url: Option<&str>, filtered: bool) -> String {
        let mut g = self.lock();
        let now = g.tick();
        g.correlation += 1;
        let id = format!("{:08x}-{:04x}-4000-8000-{:012x}", now as u64 & 0xffff_ffff, g.email_events.len() & 0xffff, g.correlation);
        let campaign = 500 + (g.email_events.len() as u64 % 3);
        g.email_events.push(EmailEvent {
            id: id.clone(),
            created_ms: now,
            kind: kind.into(),
            recipient: recipient.into(),
            url: url.map(str::to_string),
            campaign,
            filtered,
        });
        id
    }

    /// Creates a form; returns its guid.
    pub fn create_form(&self, name: &str) -> String {
        let mut g = self.lock();
        let now = g.tick();
        let guid = format!("{:08x}-0000-4000-8000-{:012x}", g.forms.len() + 1, now as u64 & 0xffff_ffff_ffff);
        g.forms.push(Form { guid: guid.clone(), name: name.into(), created_ms: now, archived: false, submissions: Vec::new() });
        guid
    }

    /// A submission of a form, now, with these field values; returns its conversion id.
    pub fn submit_form(&self, guid: &str, values: &[(&str, &str)], page_url: &str) -> String {
        let mut g = self.lock();
        let now = g.tick();
        let n: usize = g.forms.iter().map(|f| f.submissions.len()).sum();
        let conversion_id = format!("{:08x}-1111-4000-8000-{:012x}", n + 1, now as u64 & 0xffff_ffff_ffff);
        let form = g.forms.iter_mut().find(|f| f.guid == guid).expect("form exists");
        form.submissions.push(Submission {
            conversion_id: conversion_id.clone(),
            submitted_ms: now,
            values: values.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            page_url: page_url.into(),
        });
        conversion_id
    }

    /// Associates two records (e.g. a deal with a contact).
    pub fn associate(&self, from: (&str, &str), to: (&str, &str)) {
        let mut g = self.lock();
        let f: u64 = from.1.parse().expect("numeric id");
        let t: u64 = to.1.parse().expect("numeric id");
        g.associations.entry((from.0.into(), f)).or_default().push((to.0.into(), t));
        g.associations.entry((to.0.into(), t)).or_default().push((from.0.into(), f));
        let upper = |o: &str| o.trim_end_matches('s').replace("companie", "company").to_uppercase();
        for ((o, id), (other, other_id)) in [((from.0, f), (to.0, t)), ((to.0, t), (from.0, f))] {
            if o == "deals" {
                let kind = format!("DEAL_TO_{}", upper(other));
                let extra = json!({"associationType": kind, "fromObjectId": id, "toObjectId": other_id, "associationRemoved": false,
                    "isPrimaryAssociation": false});
                g.notify("deals", id, "associationChange", None, "CRM_UI", extra);
            }
        }
    }

    /// Sets up the app's webhooks (`None`: none); changes from now on are queued.
    pub fn set_webhooks(&self, settings: Option<WebhookSettings>) {
        let mut g = self.lock();
        g.webhooks = settings;
        g.notifications.clear();
    }

    /// Notifications queued and not yet delivered.
    pub fn pending_webhooks(&self) -> usize {
        self.lock().notifications.len()
    }

    /// Takes the queued notifications as signed requests of at most 100, signed at
    /// `timestamp_ms` (what `X-HubSpot-Request-Timestamp` says). Empty without webhooks.
    pub fn webhook_requests(&self, timestamp_ms: i64) -> Vec<SignedRequest> {
        let mut g = self.lock();
        let Some(w) = g.webhooks.clone() else { return Vec::new() };
        let queued = std::mem::take(&mut g.notifications);
        queued.chunks(WEBHOOK_BATCH_MAX).map(|chunk| signed(&w, chunk.to_vec(), timestamp_ms)).collect()
    }

    /// Posts the queued notifications to the target URL (as [`Self::webhook_requests`]);
    /// those of a request not answered 2xx are queued again with `attemptNumber` one more.
    /// Returns each request's status (0: no answer).
    pub async fn deliver_webhooks(&self, timestamp_ms: i64) -> Vec<u16> {
        let mut statuses = Vec::new();
        for r in self.webhook_requests(timestamp_ms) {
            let status = post(&r).await;
            statuses.push(status);
            if !(200..300).contains(&status) {
                let mut g = self.lock();
                for mut n in r.notifications {
                    let attempt = n["attemptNumber"].as_u64().unwrap_or(0) + 1;
                    n["attemptNumber"] = json!(attempt);
                    g.notifications.push(n);
                }
            }
        }
        statuses
    }

    /// A record's properties now.
    pub fn get(&self, object: &str, id: &str) -> Option<BTreeMap<String, String>> {
        let id: u64 = id.parse().ok()?;
        self.lock().objects.get(object)?.get(&id).map(|r| r.properties.clone())
    }

    /// Every call so far.
    pub fn calls(&self) -> Vec<Call> {
        self.lock().calls.clone()
    }

    /// Forgets the call log (and the write log).
    pub fn clear_calls(&self) {
        let mut g = self.lock();
        g.calls.clear();
        g.writes.clear();
    }

    /// Every (object, id, property, value) a batch update wrote, in order.
    pub fn writes(&self) -> Vec<(String, String, String, String)> {
        self.lock().writes.iter().map(|(o, i, p, v)| (o.clone(), i.to_string(), p.clone(), v.clone())).collect()
    }

    /// The property definitions of an object.
    pub fn properties(&self, object: &str) -> Vec<PropertyDef> {
        self.lock().properties.get(object).cloned().unwrap_or_default()
    }

    /// The property groups of an object.
    pub fn groups(&self, object: &str) -> Vec<String> {
        self.lock().groups.get(object).cloned().unwrap_or_default()
    }

    /// Answers the next `times` requests whose path contains `path_contains` with `fault`.
    pub fn inject(&self, fault: Fault, path_contains: &str, times: usize) {
        self.lock().faults.push_back(Injected { fault, path_contains: path_contains.into(), times });
    }

    /// A daily cap: calls beyond `limit` get 429 with policy `DAILY`.
    pub fn set_daily_limit(&self, limit: Option<u64>) {
        let mut g = self.lock();
        g.daily_limit = limit;
        g.daily_used = 0;
    }

    /// A rolling burst limit in real time: more than `max` calls in `window` get 429.
    pub fn set_burst(&self, limit: Option<(usize, Duration)>) {
        let mut g = self.lock();
        g.burst = limit;
        g.recent.clear();
    }

    /// Advances the fake's clock (modification times).
    pub fn advance_ms(&self, ms: i64) {
        self.lock().clock_ms += ms;
    }
}

fn error(status: StatusCode, category: &str, message: &str, correlation: u64) -> Response {
    let body = json!({
        "status": "error",
        "message": message,
        "correlationId": format!("00000000-0000-4000-8000-{correlation:012}"),
        "category": category,
    });
    (status, [("content-type", "application/json;charset=utf-8")], body.to_string()).into_response()
}

async fn handle(State(fake): State<HubSpotFake>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let path = uri.path().to_string();
    let query = uri.query().unwrap_or("").to_string();
    let (fault, correlation) = {
        let mut g = fake.lock();
        g.correlation += 1;
        let c = g.correlation;
        let pos = g.faults.iter().position(|f| path.contains(&f.path_contains));
        let fault = pos.map(|i| {
            let f = g.faults[i].fault.clone();
            g.faults[i].times -= 1;
            if g.faults[i].times == 0 {
                g.faults.remove(i);
            }
            f
        });
        (fault, c)
    };
    let mut injected = false;
    let mut partial = 0;
    let mut early: Option<Response> = None;
    match fault {
        Some(Fault::TooMany { retry_after_s }) => {
            injected = true;
            let body = json!({
                "status": "error",
                "message": "You have reached your ten_secondly_rolling limit.",
                "errorType": "RATE_LIMIT",
                "correlationId": format!("00000000-0000-4000-8000-{correlation:012}"),
                "policyName": "TEN_SECONDLY_ROLLING",
                "groupName": "publicapi:private-app:test",
            });
            let mut r =
                (StatusCode::TOO_MANY_REQUESTS, [("content-type", "application/json;charset=utf-8")], body.to_string()).into_response();
            if let Some(s) = retry_after_s {
                r.headers_mut().insert("retry-after", HeaderValue::from(s));
            }
            early = Some(r);
        }
        Some(Fault::Server(code)) => {
            injected = true;
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_GATEWAY);
            early = Some((status, [("content-type", "text/html")], "<html><body><h1>Bad gateway</h1></body></html>").into_response());
        }
        Some(Fault::Slow(d)) => {
            tokio::time::sleep(d).await;
        }
        Some(Fault::Partial(n)) => partial = n,
        None => {}
    }
    let response = match early {
        Some(r) => r,
        None => serve(&fake, &method, &path, &query, &headers, &body, partial, correlation),
    };
    let inputs = serde_json::from_slice::<Value>(&body)
        .ok()
        .map(|v| {
            v.get("inputs")
                .and_then(Value::as_array)
                .map(Vec::len)
                .or_else(|| v.get("limit").and_then(Value::as_u64).map(|l| l as usize))
                .unwrap_or(0)
        })
        .or_else(|| params(&query).get("limit").and_then(|l| l.parse().ok()))
        .unwrap_or(0);
    fake.lock().calls.push(Call { method: method.to_string(), path, status: response.status().as_u16(), inputs, injected });
    response
}

#[allow(clippy::too_many_arguments)]
fn serve(
    fake: &HubSpotFake,
    method: &Method,
    path: &str,
    query: &str,
    headers: &HeaderMap,
    body: &[u8],
    partial: usize,
    correlation: u64,
) -> Response {
    let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("");
    if auth != format!("Bearer {}", fake.token) {
        return error(
            StatusCode::UNAUTHORIZED,
            "INVALID_AUTHENTICATION",
            "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
            correlation,
        );
    }
    let mut g = fake.lock();
    // Rate limits: the rolling burst and the daily cap.
    if let Some((max, window)) = g.burst {
        let now = Instant::now();
        while g.recent.front().is_some_and(|t| now.duration_since(*t) >= window) {
            g.recent.pop_front();
        }
        if g.recent.len() >= max {
            let body = json!({"status": "error", "message": "You have reached your ten_secondly_rolling limit.", "errorType": "RATE_LIMIT",
                "correlationId": format!("00000000-0000-4000-8000-{correlation:012}"), "policyName": "TEN_SECONDLY_ROLLING"});
            return (StatusCode::TOO_MANY_REQUESTS, [("content-type", "application/json;charset=utf-8")], body.to_string()).into_response();
        }
        g.recent.push_back(now);
    }
    if let Some(limit) = g.daily_limit {
        if g.daily_used >= limit {
            let body = json!({"status": "error", "message": "You have reached your daily limit.", "errorType": "RATE_LIMIT",
                "correlationId": format!("00000000-0000-4000-8000-{correlation:012}"), "policyName": "DAILY"});
            return (StatusCode::TOO_MANY_REQUESTS, [("content-type", "application/json;charset=utf-8")], body.to_string()).into_response();
        }
        g.daily_used += 1;
    }
    let mut response = if *method == Method::GET
        && let Some(r) = route_get(&mut g, path, query, correlation)
    {
        r
    } else {
        route(&mut g, method, path, body, partial, correlation)
    };
    if let Some(limit) = g.daily_limit {
        let h = response.headers_mut();
        h.insert("x-hubspot-ratelimit-daily", HeaderValue::from(limit));
        h.insert("x-hubspot-ratelimit-daily-remaining", HeaderValue::from(limit.saturating_sub(g.daily_used)));
    }
    response
}

fn json_ok(status: StatusCode, v: Value) -> Response {
    (status, [("content-type", "application/json;charset=utf-8")], v.to_string()).into_response()
}

fn route(g: &mut Inner, method: &Method, path: &str, body: &[u8], partial: usize, c: u64) -> Response {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let parsed: Result<Value, _> = if body.is_empty() { Ok(Value::Null) } else { serde_json::from_slice(body) };
    let Ok(req) = parsed else {
        return error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", "Invalid input JSON on line 1", c);
    };
    match (method.as_str(), parts.as_slice()) {
        ("POST", ["crm", "v3", "objects", object, "search"]) if g.objects.contains_key(*object) || g.properties.contains_key(*object) => {
            search(g, object, &req, c)
        }
        ("POST", ["crm", "v3", "objects", object, "batch", "read"]) if g.properties.contains_key(*object) => batch_read(g, object, &req, c),
        ("POST", ["crm", "v3", "objects", object, "batch", "update"]) if g.properties.contains_key(*object) => {
            batch_update(g, object, &req, partial, c)
        }
        ("GET", ["crm", "v3", "properties", object]) if g.properties.contains_key(*object) => {
            let results: Vec<Value> = g.properties[*object].iter().map(def_json).collect();
            json_ok(StatusCode::OK, json!({ "results": results }))
        }
        ("POST", ["crm", "v3", "properties", object, "groups"]) if g.properties.contains_key(*object) => {
            let (Some(name), Some(label)) = (req.get("name").and_then(Value::as_str), req.get("label").and_then(Value::as_str)) else {
                return error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", "Property group 'name' and 'label' are required", c);
            };
            let groups = g.groups.entry(object.to_string()).or_default();
            if groups.iter().any(|n| n == name) {
                return error(
                    StatusCode::CONFLICT,
                    "OBJECT_ALREADY_EXISTS",
                    &format!("A property group named '{name}' already exists."),
                    c,
                );
            }
            groups.push(name.to_string());
            json_ok(StatusCode::CREATED, json!({"name": name, "label": label, "displayOrder": -1, "archived": false}))
        }
        ("POST", ["crm", "v3", "properties", object, "batch", "create"]) if g.properties.contains_key(*object) => {
            create_properties(g, object, &req, c)
        }
        ("POST", ["crm", "v4", "associations", from, to, "batch", "read"]) => associations(g, from, to, &req, c),
        _ => error(StatusCode::NOT_FOUND, "OBJECT_NOT_FOUND", &format!("Unable to infer object type from: {path}"), c),
    }
}

fn def_json(d: &PropertyDef) -> Value {
    let options: Vec<Value> =
        d.options.iter().enumerate().map(|(i, o)| json!({"label": o, "value": o, "displayOrder": i, "hidden": false})).collect();
    json!({"name": d.name, "label": d.label, "type": d.kind, "fieldType": d.field_type, "groupName": d.group, "options": options,
           "calculated": false, "hasUniqueValue": false, "hidden": false, "formField": false})
}

fn record_json(g: &Inner, object: &str, id: u64, r: &Record, props: &[String]) -> Value {
    let modified = Inner::modified_property(object);
    let mut p = serde_json::Map::new();
    for name in props {
        let v = match name.as_str() {
            "hs_object_id" => Value::String(id.to_string()),
            "createdate" => Value::String(iso(r.created_ms)),
            n if n == modified => Value::String(iso(r.updated_ms)),
            n => r.properties.get(n).map_or(Value::Null, |v| Value::String(v.clone())),
        };
        p.insert(name.clone(), v);
    }
    for name in ["hs_object_id", "createdate", modified] {
        if !p.contains_key(name) {
            let v = match name {
                "hs_object_id" => id.to_string(),
                "createdate" => iso(r.created_ms),
                _ => iso(r.updated_ms),
            };
            p.insert(name.into(), Value::String(v));
        }
    }
    let _ = g;
    json!({"id": id.to_string(), "properties": p, "createdAt": iso(r.created_ms), "updatedAt": iso(r.updated_ms), "archived": false})
}

fn value_of(object: &str, id: u64, r: &Record, name: &str) -> Option<String> {
    match name {
        "hs_object_id" => Some(id.to_string()),
        "createdate" => Some(r.created_ms.to_string()),
        n if n == Inner::modified_property(object) => Some(r.updated_ms.to_string()),
        n => r.properties.get(n).filter(|v| !v.is_empty()).cloned(),
    }
}

fn compare(have: &str, want: &str) -> std::cmp::Ordering {
    match (parse_ms(have), parse_ms(want)) {
        (Some(a), Some(b)) => a.cmp(&b),
        _ => have.cmp(want),
    }
}

fn search(g: &mut Inner, object: &str, req: &Value, c: u64) -> Response {
    let limit = req.get("limit").and_then(Value::as_u64).unwrap_or(10) as usize;
    if limit > SEARCH_PAGE_MAX {
        return error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", &format!("limit must be at most {SEARCH_PAGE_MAX}"), c);
    }
    let after: usize = match req.get("after") {
        None | Some(Value::Null) => 0,
        Some(Value::String(s)) => match s.parse() {
            Ok(n) => n,
            Err(_) => return error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", "after must be a number", c),
        },
        Some(v) => v.as_u64().unwrap_or(0) as usize,
    };
    if after + limit > SEARCH_RESULTS_MAX {
        return error(
            StatusCode::BAD_REQUEST,
            "VALIDATION_ERROR",
            &format!("The search endpoints are limited to {SEARCH_RESULTS_MAX} total results for any given query."),
            c,
        );
    }
    let groups = req.get("filterGroups").and_then(Value::as_array).cloned().unwrap_or_default();
    let matches = |id: u64, r: &Record| -> bool {
        if r.archived {
            return false;
        }
        groups.is_empty()
            || groups.iter().any(|grp| {
                grp.get("filters").and_then(Value::as_array).is_none_or(|fs| {
                    fs.iter().all(|f| {
                        let name = f.get("propertyName").and_then(Value::as_str).unwrap_or("");
                        let op = f.get("operator").and_then(Value::as_str).unwrap_or("EQ");
                        let want = match f.get("value") {
                            Some(Value::String(s)) => s.clone(),
                            Some(Value::Number(n)) => n.to_string(),
                            _ => String::new(),
                        };
                        let have = value_of(object, id, r, name);
                        use std::cmp::Ordering::*;
                        match (op, have) {
                            ("HAS_PROPERTY", h) => h.is_some(),
                            ("NOT_HAS_PROPERTY", h) => h.is_none(),
                            (_, None) => op == "NEQ",
                            ("EQ", Some(h)) => compare(&h, &want) == Equal,
                            ("NEQ", Some(h)) => compare(&h, &want) != Equal,
                            ("GT", Some(h)) => compare(&h, &want) == Greater,
                            ("GTE", Some(h)) => compare(&h, &want) != Less,
                            ("LT", Some(h)) => compare(&h, &want) == Less,
                            ("LTE", Some(h)) => compare(&h, &want) != Greater,
                            _ => false,
                        }
                    })
                })
            })
    };
    let empty = BTreeMap::new();
    let records = g.objects.get(object).unwrap_or(&empty);
    let mut hits: Vec<(u64, &Record)> = records.iter().filter(|(id, r)| matches(**id, r)).map(|(id, r)| (*id, r)).collect();
    if let Some(sort) = req.get("sorts").and_then(Value::as_array).and_then(|s| s.first()) {
        let name = sort.get("propertyName").and_then(Value::as_str).unwrap_or("hs_object_id").to_string();
        let desc = sort.get("direction").and_then(Value::as_str) == Some("DESCENDING");
        hits.sort_by(|a, b| {
            let va = value_of(object, a.0, a.1, &name).unwrap_or_default();
            let vb = value_of(object, b.0, b.1, &name).unwrap_or_default();
            let o = compare(&va, &vb).then(a.0.cmp(&b.0));
            if desc { o.reverse() } else { o }
        });
    }
    let props: Vec<String> = req
        .get("properties")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    let total = hits.len();
    let page: Vec<Value> = hits.iter().skip(after).take(limit).map(|(id, r)| record_json(g, object, *id, r, &props)).collect();
    let mut out = json!({"total": total, "results": page});
    if after + limit < total {
        out["paging"] = json!({"next": {"after": (after + limit).to_string(), "link": Value::Null}});
    }
    json_ok(StatusCode::OK, out)
}

fn batch_update(g: &mut Inner, object: &str, req: &Value, partial: usize, c: u64) -> Response {
    let Some(inputs) = req.get("inputs").and_then(Value::as_array) else {
        return error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", "inputs is required", c);
    };
    if inputs.len() > BATCH_MAX {
        return error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", &format!("Batch input may contain at most {BATCH_MAX} inputs"), c);
    }
    // Validate the whole batch first: HubSpot refuses it whole for a bad property.
    let defs = &g.properties[object];
    for input in inputs {
        let Some(props) = input.get("properties").and_then(Value::as_object) else {
            return error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", "properties is required", c);
        };
        for (name, v) in props {
            let Some(d) = defs.iter().find(|d| d.name == *name) else {
                return error(
                    StatusCode::BAD_REQUEST,
                    "VALIDATION_ERROR",
                    &format!("Property values were not valid: Property \"{name}\" does not exist"),
                    c,
                );
            };
            let Some(v) = v.as_str() else {
                return error(
                    StatusCode::BAD_REQUEST,
                    "VALIDATION_ERROR",
                    &format!("Property values were not valid: \"{name}\" must be a string"),
                    c,
                );
            };
            let ok = v.is_empty()
                || match d.kind.as_str() {
                    "number" => v.parse::<f64>().is_ok(),
                    "bool" => v == "true" || v == "false",
                    "enumeration" => d.options.iter().any(|o| o == v),
                    _ => v.chars().count() <= 65_536,
                };
            if !ok {
                return error(
                    StatusCode::BAD_REQUEST,
                    "VALIDATION_ERROR",
                    &format!("Property values were not valid: {v:?} is not a valid value for {name}"),
                    c,
                );
            }
        }
    }
    let mut results = Vec::new();
    let mut errors = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let id_text = input.get("id").and_then(Value::as_str).unwrap_or("").to_string();
        if i < partial {
            errors.push(json!({"status": "error", "category": "VALIDATION_ERROR", "message": "Temporary failure of this input",
                "context": {"ids": [id_text]}}));
            continue;
        }
        let id: Option<u64> = id_text.parse().ok();
        let exists = id.and_then(|id| g.objects.get(object).and_then(|o| o.get(&id))).is_some_and(|r| !r.archived);
        let Some(id) = id.filter(|_| exists) else {
            errors.push(json!({"status": "error", "category": "OBJECT_NOT_FOUND", "message": format!("Object not found. objectId are usually numeric."),
                "context": {"ids": [id_text]}}));
            continue;
        };
        let now = g.tick();
        let props = input.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
        let mut written = Vec::new();
        {
            let r = g.objects.get_mut(object).and_then(|o| o.get_mut(&id)).expect("checked above");
            for (name, v) in &props {
                let v = v.as_str().unwrap_or("").to_string();
                r.properties.insert(name.clone(), v.clone());
                written.push((name.clone(), v));
            }
            r.updated_ms = now;
        }
        for (name, v) in written {
            g.notify(object, id, "propertyChange", Some((name.as_str(), v.as_str())), "INTEGRATION", Value::Null);
            g.writes.push((object.into(), id, name, v));
        }
        let names: Vec<String> = props.keys().cloned().collect();
        let r = g.objects[object][&id].clone();
        results.push(record_json(g, object, id, &r, &names));
    }
    let mut out = json!({"status": "COMPLETE", "results": results, "startedAt": iso(g.clock_ms), "completedAt": iso(g.clock_ms)});
    if errors.is_empty() {
        json_ok(StatusCode::OK, out)
    } else {
        out["numErrors"] = json!(errors.len());
        out["errors"] = Value::Array(errors);
        json_ok(StatusCode::MULTI_STATUS, out)
    }
}

/// `POST /crm/v3/objects/{object}/batch/read`.
fn batch_read(g: &mut Inner, object: &str, req: &Value, c: u64) -> Response {
    let Some(inputs) = req.get("inputs").and_then(Value::as_array) else {
        return error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", "inputs is required", c);
    };
    if inputs.len() > READ_BATCH_MAX {
        return error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", &format!("Batch input may contain at most {READ_BATCH_MAX} inputs"), c);
    }
    let Some(props) = req.get("properties").map_or(Some(Vec::new()), |p| {
        p.as_array().and_then(|a| a.iter().map(|v| v.as_str().map(str::to_string)).collect::<Option<Vec<String>>>())
    }) else {
        return error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", "properties must be a list of property names", c);
    };
    let id_property = req.get("idProperty").and_then(Value::as_str).filter(|p| *p != "hs_object_id");
    let archived = req.get("archived").and_then(Value::as_bool).unwrap_or(false);
    let empty = BTreeMap::new();
    let records = g.objects.get(object).unwrap_or(&empty);
    let mut results = Vec::new();
    let mut missing = Vec::new();
    for input in inputs {
        let key = match input.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => return error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", "every input needs an id", c),
        };
        let hit = match id_property {
            None => key.parse::<u64>().ok().and_then(|id| records.get(&id).map(|r| (id, r))),
            Some(p) => {
                records.iter().find(|(_, r)| r.properties.get(p).is_some_and(|v| v.eq_ignore_ascii_case(&key))).map(|(id, r)| (*id, r))
            }
        };
        match hit.filter(|(_, r)| r.archived == archived) {
            Some((id, r)) if !results.iter().any(|x: &Value| x["id"] == json!(id.to_string())) => {
                let mut v = record_json(g, object, id, r, &props);
                if archived {
                    v["archived"] = json!(true);
                }
                results.push(v);
            }
            Some(_) => {}
            None => missing.push(key),
        }
    }
    let mut out = json!({"status": "COMPLETE", "results": results, "startedAt": iso(g.clock_ms), "completedAt": iso(g.clock_ms)});
    if missing.is_empty() {
        return json_ok(StatusCode::OK, out);
    }
    let label = object.trim_end_matches('s').replace("companie", "company").to_uppercase();
    out["numErrors"] = json!(1);
    out["errors"] = json!([{"status": "error", "category": "OBJECT_NOT_FOUND",
        "message": format!("Could not get some {label} objects, they may be deleted or not exist. Check that ids are valid."),
        "context": {"ids": missing}}]);
    json_ok(StatusCode::MULTI_STATUS, out)
}

/// A request of notifications, signed.
fn signed(w: &WebhookSettings, notifications: Vec<Value>, timestamp_ms: i64) -> SignedRequest {
    let body = Value::Array(notifications.clone()).to_string();
    let timestamp = timestamp_ms.to_string();
    let signature = sign_v3(&w.client_secret, "POST", &w.signed_url, body.as_bytes(), &timestamp);
    let rest = w.target_url.split_once("://").map_or(w.target_url.as_str(), |(_, r)| r);
    let path = rest.find('/').map_or("/".to_string(), |i| rest[i..].to_string());
    SignedRequest {
        url: w.target_url.clone(),
        path,
        body,
        headers: vec![
            ("Content-Type".into(), "application/json".into()),
            ("X-HubSpot-Signature-v3".into(), signature),
            ("X-HubSpot-Request-Timestamp".into(), timestamp),
        ],
        notifications,
    }
}

/// Posts a request over HTTP/1.1 (a local `http://` target); its status, 0 without one.
async fn post(r: &SignedRequest) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let Some(rest) = r.url.strip_prefix("http://") else { return 0 };
    let host = rest.split('/').next().unwrap_or("");
    let Ok(mut stream) = tokio::net::TcpStream::connect(host).await else { return 0 };
    let mut head = format!("POST {} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {}\r\nConnection: close\r\n", r.path, r.body.len());
    for (k, v) in &r.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    if stream.write_all(head.as_bytes()).await.is_err() || stream.write_all(r.body.as_bytes()).await.is_err() {
        return 0;
    }
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut answer)).await;
    let text = String::from_utf8_lossy(&answer);
    text.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

fn create_properties(g: &mut Inner, object: &str, req: &Value, c: u64) -> Response {
    let Some(inputs) = req.get("inputs").and_then(Value::as_array) else {
        return error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", "inputs is required", c);
    };
    let mut made = Vec::new();
    for input in inputs {
        let s = |k: &str| input.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let (name, label, kind, field_type, group) = (s("name"), s("label"), s("type"), s("fieldType"), s("groupName"));
        if name.is_empty() || label.is_empty() || group.is_empty() {
            return error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", "name, label, type, fieldType and groupName are required", c);
        }
        let valid = matches!(
            (kind.as_str(), field_type.as_str()),
            ("string", "text" | "textarea")
                | ("number", "number")
                | ("bool", "booleancheckbox")
                | ("enumeration", "select" | "radio" | "checkbox")
                | ("datetime" | "date", "date")
        );
        if !valid {
            return error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", &format!("type '{kind}' cannot have fieldType '{field_type}'"), c);
        }
        if !g.groups.get(object).is_some_and(|gs| gs.contains(&group)) && !g.properties[object].iter().any(|d| d.group == group) {
            return error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", &format!("property group '{group}' does not exist"), c);
        }
        if g.properties[object].iter().any(|d| d.name == name) {
            return error(StatusCode::CONFLICT, "OBJECT_ALREADY_EXISTS", &format!("A property named '{name}' already exists."), c);
        }
        let options: Vec<String> = input
            .get("options")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|o| o.get("value").and_then(Value::as_str).map(str::to_string)).collect())
            .unwrap_or_default();
        made.push(PropertyDef { name, label, kind, field_type, group, options });
    }
    let results: Vec<Value> = made.iter().map(def_json).collect();
    g.properties.get_mut(object).expect("checked").extend(made);
    json_ok(StatusCode::CREATED, json!({"status": "COMPLETE", "results": results}))
}

fn associations(g: &mut Inner, from: &str, to: &str, req: &Value, c: u64) -> Response {
    let Some(inputs) = req.get("inputs").and_then(Value::as_array) else {
        return error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", "inputs is required", c);
    };
    if inputs.len() > ASSOCIATION_BATCH_MAX {
        return error(
            StatusCode::BAD_REQUEST,
            "VALIDATION_ERROR",
            &format!("Batch input may contain at most {ASSOCIATION_BATCH_MAX} inputs"),
            c,
        );
    }
    let mut results = Vec::new();
    for input in inputs {
        let Some(id) = input.get("id").and_then(Value::as_str).and_then(|s| s.parse::<u64>().ok()) else { continue };
        let linked: Vec<Value> = g
            .associations
            .get(&(from.to_string(), id))
            .map(|v| v.iter().filter(|(o, _)| o == to).map(|(_, t)| json!({"toObjectId": t, "associationTypes": [{"category": "HUBSPOT_DEFINED", "typeId": 3, "label": Value::Null}]})).collect())
            .unwrap_or_default();
        if !linked.is_empty() {
            results.push(json!({"from": {"id": id.to_string()}, "to": linked}));
        }
    }
    json_ok(StatusCode::OK, json!({"status": "COMPLETE", "results": results}))
}

/// The query string's parameters, percent-decoded (`+` as a space); the last of a repeated one.
fn params(query: &str) -> BTreeMap<String, String> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (crate::percent_decode(k), crate::percent_decode(v)),
            None => (crate::percent_decode(p), String::new()),
        })
        .collect()
}

/// An error answer, boxed (it is the error side of the handlers' results).
fn boxed(status: StatusCode, category: &str, message: &str, correlation: u64) -> Box<Response> {
    Box::new(error(status, category, message, correlation))
}

/// A page limit from the query: `default` when absent; 400 above `max` or when not a number.
fn limit_param(q: &BTreeMap<String, String>, default: usize, max: usize, c: u64) -> Result<usize, Box<Response>> {
    match q.get("limit") {
        None => Ok(default),
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(boxed(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", &format!("limit must be a number from 1 to {max}"), c)),
        },
    }
}

/// A paging token (`after`, `offset`): opaque to clients, a position here.
fn token(position: usize) -> String {
    format!("{:x}", position as u64 ^ 0x5eed_0000)
}

fn position(q: &BTreeMap<String, String>, key: &str, c: u64) -> Result<usize, Box<Response>> {
    match q.get(key) {
        None => Ok(0),
        Some(v) => u64::from_str_radix(v, 16)
            .ok()
            .map(|n| (n ^ 0x5eed_0000) as usize)
            .filter(|n| *n < 1 << 31)
            .ok_or_else(|| boxed(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", &format!("{key} is not a valid paging token"), c)),
    }
}

/// The GET endpoints that take a query string (the others: [`route`]).
fn route_get(g: &mut Inner, path: &str, query: &str, c: u64) -> Option<Response> {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let q = params(query);
    let r = match parts.as_slice() {
        ["email", "public", "v1", "events"] => email_events(g, &q, c),
        ["marketing", "v3", "forms"] => forms(g, &q, c),
        ["form-integrations", "v1", "submissions", "forms", guid] => submissions(g, guid, &q, c),
        ["crm", "v3", "objects", object] if g.properties.contains_key(*object) => list_objects(g, object, &q, c),
        _ => return None,
    };
    Some(r.unwrap_or_else(|e| *e))
}

fn email_events(g: &Inner, q: &BTreeMap<String, String>, c: u64) -> Result<Response, Box<Response>> {
    let limit = limit_param(q, EMAIL_EVENTS_PAGE_MAX, EMAIL_EVENTS_PAGE_MAX, c)?;
    let from = position(q, "offset", c)?;
    let time = |k: &str| -> Result<Option<i64>, Box<Response>> {
        match q.get(k) {
            None => Ok(None),
            Some(v) => v
                .parse::<i64>()
                .map(Some)
                .map_err(|_| boxed(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", &format!("{k} must be milliseconds since the epoch"), c)),
        }
    };
    let (start, end) = (time("startTimestamp")?, time("endTimestamp")?);
    let kind = q.get("eventType").map(|t| t.to_ascii_uppercase());
    const TYPES: [&str; 14] = [
        "SENT",
        "DROPPED",
        "PROCESSED",
        "DELIVERED",
        "DEFERRED",
        "BOUNCE",
        "OPEN",
        "CLICK",
        "PRINT",
        "FORWARD",
        "STATUSCHANGE",
        "SPAMREPORT",
        "SUGGESTION",
        "UNBOUNCE",
    ];
    if let Some(k) = &kind
        && !TYPES.contains(&k.as_str())
    {
        return Err(boxed(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", &format!("{k} is not a valid eventType"), c));
    }
    let recipient = q.get("recipient").map(|r| r.to_ascii_lowercase());
    let campaign = q.get("campaignId").and_then(|v| v.parse::<u64>().ok());
    let exclude_filtered = q.get("excludeFilteredEvents").is_some_and(|v| v == "true");
    let mut hits: Vec<&EmailEvent> = g
        .email_events
        .iter()
        .filter(|e| start.is_none_or(|s| e.created_ms >= s) && end.is_none_or(|t| e.created_ms <= t))
        .filter(|e| kind.as_ref().is_none_or(|k| &e.kind == k))
        .filter(|e| recipient.as_ref().is_none_or(|r| e.recipient.to_ascii_lowercase() == *r))
        .filter(|e| campaign.is_none_or(|id| e.campaign == id))
        .filter(|e| !(exclude_filtered && e.filtered))
        .collect();
    // Newest first.
    hits.reverse();
    hits.sort_by_key(|e| std::cmp::Reverse(e.created_ms));
    let events: Vec<Value> = hits
        .iter()
        .skip(from)
        .take(limit)
        .map(|e| {
            let mut v = json!({"id": e.id, "created": e.created_ms, "type": e.kind, "recipient": e.recipient, "portalId": 62515,
                "appId": 113, "appName": "BatchEmail", "emailCampaignId": e.campaign,
                "sentBy": {"id": format!("{}-sent", e.campaign), "created": e.created_ms - 60_000}});
            match e.kind.as_str() {
                "CLICK" => {
                    v["url"] = json!(e.url.clone().unwrap_or_default());
                    v["filteredEvent"] = json!(e.filtered);
                }
                "OPEN" => v["filteredEvent"] = json!(e.filtered),
                "BOUNCE" => {
                    v["category"] = json!("UNKNOWN_USER");
                    v["status"] = json!("5.1.1");
                }
                _ => {}
            }
            v
        })
        .collect();
    let more = from + limit < hits.len();
    Ok(json_ok(StatusCode::OK, json!({"hasMore": more, "offset": token((from + limit).min(hits.len())), "events": events})))
}

fn forms(g: &Inner, q: &BTreeMap<String, String>, c: u64) -> Result<Response, Box<Response>> {
    let limit = limit_param(q, 20, FORMS_PAGE_MAX, c)?;
    let from = position(q, "after", c)?;
    let live: Vec<&Form> = g.forms.iter().filter(|f| !f.archived).collect();
    let results: Vec<Value> = live
        .iter()
        .skip(from)
        .take(limit)
        .map(|f| {
            json!({"id": f.guid, "name": f.name, "formType": "hubspot", "createdAt": iso(f.created_ms), "updatedAt": iso(f.created_ms),
                "archived": false, "fieldGroups": [{"groupType": "default_group", "richTextType": "text",
                "fields": [{"objectTypeId": "0-1", "name": "email", "label": "Email", "required": true, "hidden": false, "fieldType": "email"}]}]})
        })
        .collect();
    let mut out = json!({ "results": results });
    if from + limit < live.len() {
        let after = token(from + limit);
        out["paging"] = json!({"next": {"after": after, "link": format!("https://api.hubapi.com/marketing/v3/forms/?after={after}")}});
    }
    Ok(json_ok(StatusCode::OK, out))
}

fn submissions(g: &Inner, guid: &str, q: &BTreeMap<String, String>, c: u64) -> Result<Response, Box<Response>> {
    let limit = limit_param(q, 20, SUBMISSIONS_PAGE_MAX, c)?;
    let from = position(q, "after", c)?;
    let Some(form) = g.forms.iter().find(|f| f.guid == guid && !f.archived) else {
        return Err(boxed(StatusCode::NOT_FOUND, "OBJECT_NOT_FOUND", &format!("Form with guid {guid} not found"), c));
    };
    // Newest first.
    let results: Vec<Value> = form
        .submissions
        .iter()
        .rev()
        .skip(from)
        .take(limit)
        .map(|s| {
            let values: Vec<Value> = s.values.iter().map(|(k, v)| json!({"name": k, "value": v})).collect();
            json!({"conversionId": s.conversion_id, "submittedAt": s.submitted_ms, "values": values, "pageUrl": s.page_url})
        })
        .collect();
    let mut out = json!({ "results": results });
    if from + limit < form.submissions.len() {
        let after = token(from + limit);
        out["paging"] = json!({"next": {"after": after,
            "link": format!("https://api.hubapi.com/form-integrations/v1/submissions/forms/{guid}?after={after}")}});
    }
    Ok(json_ok(StatusCode::OK, out))
}

/// `GET /crm/v3/objects/{object}`: records by id, `archived=true` for only the archived ones.
fn list_objects(g: &Inner, object: &str, q: &BTreeMap<String, String>, c: u64) -> Result<Response, Box<Response>> {
    let limit = limit_param(q, 10, LIST_PAGE_MAX, c)?;
    let from = position(q, "after", c)?;
    let archived = match q.get("archived").map(String::as_str) {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(boxed(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", "archived must be true or false", c)),
    };
    let props: Vec<String> = q.get("properties").map(|p| p.split(',').map(str::to_string).collect()).unwrap_or_default();
    let empty = BTreeMap::new();
    let records: Vec<(u64, &Record)> =
        g.objects.get(object).unwrap_or(&empty).iter().filter(|(_, r)| r.archived == archived).map(|(id, r)| (*id, r)).collect();
    let results: Vec<Value> = records
        .iter()
        .skip(from)
        .take(limit)
        .map(|(id, r)| {
            let mut v = record_json(g, object, *id, r, &props);
            if archived {
                v["archived"] = json!(true);
                let at = g.archived_ms.get(&(object.to_string(), *id)).copied().unwrap_or(r.updated_ms);
                v["archivedAt"] = json!(iso(at));
            }
            v
        })
        .collect();
    let mut out = json!({ "results": results });
    if from + limit < records.len() {
        let after = token(from + limit);
        out["paging"] = json!({"next": {"after": after, "link": format!("https://api.hubapi.com/crm/v3/objects/{object}?after={after}")}});
    }
    Ok(json_ok(StatusCode::OK, out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn search_pages_and_limits() {
        let fake = HubSpotFake::start("t").await;
        for i in 0..5 {
            fake.create("contacts", &[("email", &format!("p{i}@x.com"))]);
        }
        let _ = &fake;
        let mut g = fake.lock();
        let r = route(
            &mut g,
            &Method::POST,
            "/crm/v3/objects/contacts/search",
            br#"{"limit":2,"properties":["email"],"sorts":[{"propertyName":"lastmodifieddate","direction":"ASCENDING"}]}"#,
            0,
            1,
        );
        assert_eq!(r.status(), StatusCode::OK);
        let r = route(&mut g, &Method::POST, "/crm/v3/objects/contacts/search", br#"{"limit":201}"#, 0, 1);
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        let r = route(&mut g, &Method::POST, "/crm/v3/objects/contacts/search", br#"{"limit":100,"after":"9950"}"#, 0, 1);
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    }
}
