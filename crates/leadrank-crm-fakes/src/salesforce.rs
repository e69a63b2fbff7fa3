//! A fake of Salesforce's REST API, for the endpoints the Salesforce connector calls:
//!
//! * `GET /services/data/vXX.X/query?q=...`: a SOQL subset, exactly the queries the
//!   connector sends: `SELECT f1, f2 FROM Object [WHERE SystemModstamp > T [OR
//!   (SystemModstamp = T AND Id > 'X')]] ORDER BY SystemModstamp, Id [LIMIT n]`; unknown
//!   fields answer 400 `INVALID_FIELD`, anything else 400 `MALFORMED_QUERY`. Results come
//!   in batches (`Sforce-Query-Options: batchSize=n`, 200 to 2,000; 2,000 by default, or
//!   [`SalesforceFake::set_batch_size`]) with `totalSize`, `done` and `nextRecordsUrl`
//!   (`GET /services/data/vXX.X/query/{locator}`), from a snapshot taken when the query ran;
//! * `PATCH /services/data/vXX.X/composite/sobjects`: at most 200 records (else 400),
//!   `allOrNone: false`; an unknown field refuses the whole request (400 `INVALID_FIELD`);
//!   per record, in request order, `{id, success, errors: [{statusCode, message, fields}]}`
//!   (`ENTITY_IS_DELETED`, `INVALID_CROSS_REFERENCE_KEY`, `STRING_TOO_LONG`, and injected
//!   `UNABLE_TO_LOCK_ROW`); a failed record has no id;
//! * `GET /services/data/vXX.X/sobjects/{Object}/describe`: the object's fields;
//! * `GET /services/data/vXX.X/queryAll?q=...`: the same, deleted records (the recycle bin)
//!   included, and `WHERE IsDeleted = true [AND SystemModstamp > T]` for only them.
//! * Bulk API 2.0 query jobs: `POST /services/data/vXX.X/jobs/query` (the query as above,
//!   `ORDER BY` optional; its records taken when the job is created), `GET .../jobs/query/{id}`
//!   (`InProgress` for [`SalesforceFake::set_job_polls`] polls, then `JobComplete`, or `Failed`
//!   with an `errorMessage` after [`SalesforceFake::fail_next_job`]) and `GET
//!   .../jobs/query/{id}/results?maxRecords=n[&locator=l]` (CSV, header first, empty for
//!   null, times in UTC with `Z`; `Sforce-Locator` names the next page, `null` after the last);
//! * `POST /services/oauth2/token`: the client credentials flow, and the JWT bearer flow
//!   (RS256 checked with the connected app's public key; `iss`, `aud`, `exp`, and `sub`
//!   approved, each refusal with Salesforce's error body).
//!
//! Objects: Lead, Contact, Account, Opportunity, Campaign and CampaignMember; a query may
//! name a parent's field through a relationship (`Campaign.Type` on a campaign member),
//! answered as a nested record with its own `attributes` (null without a parent).
//!
//! Errors have Salesforce's body `[{"message": ..., "errorCode": ...}]`. Requests need
//! `Authorization: Bearer <token>` (401 `INVALID_SESSION_ID` otherwise). Every answer to
//! an authenticated request carries `Sforce-Limit-Info: api-usage=N/M`; a request beyond M
//! answers 403 `REQUEST_LIMIT_EXCEEDED`. `SystemModstamp` comes from a logical clock that
//! advances one millisecond per change and is shown and compared at whole seconds, as
//! Salesforce stores it, so many records share one (ties are the connector's to handle).

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::hubspot::{Call, EPOCH_MS, Fault};
use crate::percent_decode;

/// Records per composite update.
pub const COMPOSITE_MAX: usize = 200;
/// The org's daily API allocation unless a test sets another.
pub const DAILY_ALLOCATION: u64 = 1_000_000;

/// One field of an sObject, as `describe` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDef {
    pub name: String,
    /// `id`, `string`, `textarea`, `double`, `int`, `boolean`, `datetime`, `reference`,
    /// `picklist`, `email`, `phone`, `url`, `currency`.
    pub kind: String,
    pub length: usize,
    pub custom: bool,
}

#[derive(Debug, Clone)]
struct Rec {
    sobject: String,
    fields: BTreeMap<String, Value>,
    created_ms: i64,
    stamp_ms: i64,
    deleted: bool,
}

struct Cursor {
    rows: Vec<Value>,
    sent: usize,
    batch: usize,
}

#[derive(Default)]
struct Inner {
    clock_ms: i64,
    seq: u64,
    records: BTreeMap<String, Rec>,
    defs: BTreeMap<String, Vec<FieldDef>>,
    cursors: BTreeMap<String, Cursor>,
    calls: Vec<Call>,
    writes: Vec<(String, String, String)>,
    faults: VecDeque<(Fault, String, usize)>,
    allocation: u64,
    used: u64,
    batch: usize,
    /// A connected app's (consumer key, consumer secret) allowed the client credentials flow.
    app: Option<(String, String)>,
    /// Access tokens issued by the token endpoint and still valid.
    issued: Vec<String>,
    /// A connected app allowed the JWT bearer flow: its consumer key, its certificate's
    /// public key, and the usernames approved for it.
    jwt: Option<JwtApp>,
    /// Seconds the fake's clock is ahead of the machine's, for the JWT bearer flow's `exp`.
    jwt_skew_s: i64,
    /// Bulk API 2.0 query jobs by id.
    jobs: BTreeMap<String, Job>,
    /// Polls a new job answers `InProgress` before it is `JobComplete`.
    job_polls: usize,
    /// Messages the next jobs fail with, in order.
    job_failures: VecDeque<String>,
}

/// A Bulk API 2.0 query job: its results (a snapshot taken when it was created, as CSV
/// lines), how many more polls it stays in progress, and why it failed, if it did.
struct Job {
    object: String,
    operation: String,
    header: String,
    lines: Vec<String>,
    polls_left: usize,
    failed: Option<String>,
}

/// A connected app of the JWT bearer flow.
struct JwtApp {
    client_id: String,
    key: rsa::pkcs1v15::VerifyingKey<rsa::sha2::Sha256>,
    approved: Vec<String>,
}

/// A running fake Salesforce org at [`SalesforceFake::url`] (the instance URL).
#[derive(Clone)]
pub struct SalesforceFake {
    pub url: String,
    token: Arc<String>,
    inner: Arc<Mutex<Inner>>,
}

fn standard_fields() -> BTreeMap<String, Vec<FieldDef>> {
    let f = |name: &str, kind: &str, length: usize| FieldDef { name: name.into(), kind: kind.into(), length, custom: false };
    let common = |extra: Vec<FieldDef>| {
        let mut v = vec![
            f("Id", "id", 18),
            f("OwnerId", "reference", 18),
            f("CreatedDate", "datetime", 0),
            f("LastModifiedDate", "datetime", 0),
            f("SystemModstamp", "datetime", 0),
        ];
        v.extend(extra);
        v
    };
    let lead = common(vec![
        f("FirstName", "string", 40),
        f("LastName", "string", 80),
        f("Title", "string", 128),
        f("Company", "string", 255),
        f("Email", "email", 80),
        f("Phone", "phone", 40),
        f("Website", "url", 255),
        f("NumberOfEmployees", "int", 0),
        f("AnnualRevenue", "currency", 0),
        f("Country", "string", 80),
        f("Industry", "picklist", 255),
        f("LeadSource", "picklist", 255),
        f("Status", "picklist", 255),
        f("Rating", "picklist", 255),
        f("HasOptedOutOfEmail", "boolean", 0),
        f("IsConverted", "boolean", 0),
    ]);
    let contact = common(vec![
        f("FirstName", "string", 40),
        f("LastName", "string", 80),
        f("Title", "string", 128),
        f("Email", "email", 80),
        f("Phone", "phone", 40),
        f("AccountId", "reference", 18),
        f("MailingCountry", "string", 80),
        f("LeadSource", "picklist", 255),
        f("HasOptedOutOfEmail", "boolean", 0),
    ]);
    let account = common(vec![
        f("Name", "string", 255),
        f("Website", "url", 255),
        f("NumberOfEmployees", "int", 0),
        f("Industry", "picklist", 255),
        f("BillingCountry", "string", 80),
        f("Type", "picklist", 255),
    ]);
    let opportunity = common(vec![
        f("Name", "string", 120),
        f("StageName", "picklist", 255),
        f("Amount", "currency", 0),
        f("CloseDate", "date", 0),
        f("IsClosed", "boolean", 0),
        f("IsWon", "boolean", 0),
        f("AccountId", "reference", 18),
        f("ContactId", "reference", 18),
        f("Probability", "percent", 0),
        f("Type", "picklist", 255),
        f("LeadSource", "picklist", 255),
    ]);
    let campaign = common(vec![
        f("Name", "string", 80),
        f("Type", "picklist", 255),
        f("Status", "picklist", 255),
        f("IsActive", "boolean", 0),
        f("StartDate", "date", 0),
        f("EndDate", "date", 0),
    ]);
    let member = common(vec![
        f("CampaignId", "reference", 18),
        f("LeadId", "reference", 18),
        f("ContactId", "reference", 18),
        f("Status", "picklist", 255),
        f("HasResponded", "boolean", 0),
        f("FirstRespondedDate", "date", 0),
    ]);
    BTreeMap::from([
        ("Lead".into(), lead),
        ("Contact".into(), contact),
        ("Account".into(), account),
        ("Opportunity".into(), opportunity),
        ("Campaign".into(), campaign),
        ("CampaignMember".into(), member),
    ])
}

/// The relationships a query may follow (`Campaign.Type` on a campaign member): (object,
/// relationship name) -> (the reference field, the object it points to).
fn relationship(object: &str, name: &str) -> Option<(&'static str, &'static str)> {
    match (object, name) {
        ("CampaignMember", "Campaign") => Some(("CampaignId", "Campaign")),
        ("CampaignMember", "Lead") => Some(("LeadId", "Lead")),
        ("CampaignMember", "Contact") => Some(("ContactId", "Contact")),
        ("Contact" | "Opportunity", "Account") => Some(("AccountId", "Account")),
        ("Opportunity", "Contact") => Some(("ContactId", "Contact")),
        _ => None,
    }
}

fn key_prefix(sobject: &str) -> &'static str {
    match sobject {
        "Lead" => "00Q",
        "Contact" => "003",
        "Account" => "001",
        "Opportunity" => "006",
        "Campaign" => "701",
        "CampaignMember" => "00v",
        _ => "a00",
    }
}

/// A time at Salesforce's precision (whole seconds).
fn stamp(ms: i64) -> i64 {
    ms.div_euclid(1000) * 1000
}

/// `2026-01-01T00:00:00.000+0000`, as the REST API writes times.
pub fn sf_time(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).map(|t| t.strftime("%Y-%m-%dT%H:%M:%S%.3f+0000").to_string()).unwrap_or_default()
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!([{ "message": message, "errorCode": code }]);
    (status, [("content-type", "application/json;charset=UTF-8")], body.to_string()).into_response()
}

fn ok(v: Value) -> Response {
    (StatusCode::OK, [("content-type", "application/json;charset=UTF-8")], v.to_string()).into_response()
}

impl SalesforceFake {
    /// Starts a fake org on a free local port that accepts `token`.
    pub async fn start(token: &str) -> SalesforceFake {
        let inner = Inner { clock_ms: EPOCH_MS, defs: standard_fields(), allocation: DAILY_ALLOCATION, batch: 2_000, ..Inner::default() };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a local port");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        let fake = SalesforceFake { url, token: Arc::new(token.to_string()), inner: Arc::new(Mutex::new(inner)) };
        let app = Router::new().fallback(handle).with_state(fake.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        fake
    }

    /// Lets a connected app with this consumer key and secret get access tokens from
    /// `POST /services/oauth2/token` (`grant_type=client_credentials`).
    pub fn enable_client_credentials(&self, client_id: &str, client_secret: &str) {
        self.lock().app = Some((client_id.into(), client_secret.into()));
    }

    /// Lets a connected app with this consumer key and the certificate of `public_key_pem`
    /// (SubjectPublicKeyInfo PEM) get access tokens with the JWT bearer flow, for the users
    /// `approved` (pre-authorized); the assertion's audience must be this fake's URL.
    pub fn enable_jwt_bearer(&self, client_id: &str, public_key_pem: &str, approved: &[&str]) {
        use rsa::pkcs8::DecodePublicKey;
        let key = rsa::RsaPublicKey::from_public_key_pem(public_key_pem).expect("a PEM RSA public key");
        self.lock().jwt = Some(JwtApp {
            client_id: client_id.into(),
            key: rsa::pkcs1v15::VerifyingKey::new(key),
            approved: approved.iter().map(|u| u.to_string()).collect(),
        });
    }

    /// Sets the fake's clock `seconds` ahead of the machine's for the JWT bearer flow (an
    /// assertion then arrives expired when its `exp` is behind).
    pub fn set_jwt_clock_skew(&self, seconds: i64) {
        self.lock().jwt_skew_s = seconds;
    }

    /// How many polls (`GET /jobs/query/{id}`) a new query job answers `InProgress` before it
    /// is `JobComplete` (0 by default).
    pub fn set_job_polls(&self, polls: usize) {
        self.lock().job_polls = polls;
    }

    /// The next query job created fails with this message (its state `Failed`).
    pub fn fail_next_job(&self, message: &str) {
        self.lock().job_failures.push_back(message.into());
    }

    /// Revokes every token the token endpoint issued (as when a session times out).
    pub fn expire_issued_tokens(&self) {
        self.lock().issued.clear();
    }

    /// How many tokens the token endpoint issued and are still valid.
    pub fn issued_tokens(&self) -> usize {
        self.lock().issued.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Creates a record (as a person or an import would); returns its 18-character id.
    pub fn create(&self, sobject: &str, fields: &[(&str, Value)]) -> String {
        let mut g = self.lock();
        g.seq += 1;
        g.clock_ms += 1;
        let id = format!("{}{:012}AAA", key_prefix(sobject), g.seq);
        let fields = fields.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        let now = g.clock_ms;
        g.records.insert(id.clone(), Rec { sobject: sobject.into(), fields, created_ms: now, stamp_ms: now, deleted: false });
        id
    }

    /// Changes fields of a record as a person would.
    pub fn edit(&self, id: &str, fields: &[(&str, Value)]) {
        let mut g = self.lock();
        g.clock_ms += 1;
        let now = g.clock_ms;
        let r = g.records.get_mut(id).expect("record exists");
        for (k, v) in fields {
            r.fields.insert(k.to_string(), v.clone());
        }
        r.stamp_ms = now;
    }

    /// Deletes a record (to the recycle bin: writes answer `ENTITY_IS_DELETED`).
    pub fn delete(&self, id: &str) {
        let mut g = self.lock();
        g.clock_ms += 1;
        let now = g.clock_ms;
        if let Some(r) = g.records.get_mut(id) {
            r.deleted = true;
            r.stamp_ms = now;
        }
    }

    /// A record's fields now (unset fields absent).
    pub fn get(&self, id: &str) -> Option<BTreeMap<String, Value>> {
        self.lock().records.get(id).map(|r| r.fields.clone())
    }

    /// The ids of an sObject's records (deleted ones too), in id order.
    pub fn ids_of(&self, sobject: &str) -> Vec<String> {
        self.lock().records.iter().filter(|(_, r)| r.sobject == sobject).map(|(id, _)| id.clone()).collect()
    }

    /// Creates a custom field, as an admin does in Setup.
    pub fn add_field(&self, sobject: &str, name: &str, kind: &str, length: usize) {
        let mut g = self.lock();
        let defs = g.defs.entry(sobject.into()).or_default();
        if !defs.iter().any(|d| d.name == name) {
            defs.push(FieldDef { name: name.into(), kind: kind.into(), length, custom: true });
        }
    }

    /// The fields of an sObject.
    pub fn fields(&self, sobject: &str) -> Vec<FieldDef> {
        self.lock().defs.get(sobject).cloned().unwrap_or_default()
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

    /// Every (id, field, value as JSON text) a composite update wrote, in order.
    pub fn writes(&self) -> Vec<(String, String, String)> {
        self.lock().writes.clone()
    }

    /// Answers the next `times` requests whose path (with query) contains `path_contains`
    /// with `fault`. `Fault::Partial(n)`: the first `n` records of a composite update fail
    /// with `UNABLE_TO_LOCK_ROW`; `Fault::TooMany`: 403 `REQUEST_LIMIT_EXCEEDED`.
    pub fn inject(&self, fault: Fault, path_contains: &str, times: usize) {
        self.lock().faults.push_back((fault, path_contains.into(), times));
    }

    /// The org's daily API allocation (M of `api-usage=N/M`), the calls counted from 0.
    pub fn set_allocation(&self, allocation: u64) {
        let mut g = self.lock();
        g.allocation = allocation;
        g.used = 0;
    }

    /// Calls counted against the allocation so far.
    pub fn used(&self) -> u64 {
        self.lock().used
    }

    /// Records per query batch when the request asks none.
    pub fn set_batch_size(&self, n: usize) {
        self.lock().batch = n.clamp(200, 2_000);
    }
}

async fn handle(State(fake): State<SalesforceFake>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let path = uri.path().to_string();
    let full = uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| path.clone());
    let fault = {
        let mut g = fake.lock();
        let pos = g.faults.iter().position(|(_, p, _)| full.contains(p.as_str()));
        pos.map(|i| {
            let f = g.faults[i].0.clone();
            g.faults[i].2 -= 1;
            if g.faults[i].2 == 0 {
                g.faults.remove(i);
            }
            f
        })
    };
    let mut partial = 0;
    let mut early = None;
    match fault {
        Some(Fault::TooMany { .. }) => {
            early = Some(error(StatusCode::FORBIDDEN, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."))
        }
        Some(Fault::Server(code)) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            early = Some((status, [("content-type", "text/html")], "<html><body>Service Unavailable</body></html>").into_response());
        }
        Some(Fault::Slow(d)) => tokio::time::sleep(d).await,
        Some(Fault::Partial(n)) => partial = n,
        None => {}
    }
    let injected = early.is_some() || partial > 0;
    let response = match early {
        Some(r) => r,
        None => serve(&fake, &method, &uri, &headers, &body, partial),
    };
    let inputs =
        serde_json::from_slice::<Value>(&body).ok().and_then(|v| v.get("records").and_then(Value::as_array).map(Vec::len)).unwrap_or(0);
    fake.lock().calls.push(Call { method: method.to_string(), path: full, status: response.status().as_u16(), inputs, injected });
    response
}

fn serve(fake: &SalesforceFake, method: &Method, uri: &Uri, headers: &HeaderMap, body: &[u8], partial: usize) -> Response {
    if method == Method::POST && uri.path() == "/services/oauth2/token" {
        return token_endpoint(fake, body);
    }
    let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("");
    let bearer = auth.strip_prefix("Bearer ").unwrap_or("");
    if bearer != fake.token.as_str() && !fake.lock().issued.iter().any(|t| t == bearer) {
        return error(StatusCode::UNAUTHORIZED, "INVALID_SESSION_ID", "Session expired or invalid");
    }
    let mut g = fake.lock();
    if g.used >= g.allocation {
        let mut r = error(StatusCode::FORBIDDEN, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
        if let Ok(v) = HeaderValue::from_str(&format!("api-usage={}/{}", g.used, g.allocation)) {
            r.headers_mut().insert("sforce-limit-info", v);
        }
        return r;
    }
    g.used += 1;
    let batch = headers
        .get("sforce-query-options")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').find_map(|p| p.trim().strip_prefix("batchSize=")?.trim().parse::<usize>().ok()))
        .map(|n| n.clamp(200, 2_000));
    let mut response = route(&mut g, method, uri, body, partial, batch);
    if let Ok(v) = HeaderValue::from_str(&format!("api-usage={}/{}", g.used, g.allocation)) {
        response.headers_mut().insert("sforce-limit-info", v);
    }
    response
}

fn route(g: &mut Inner, method: &Method, uri: &Uri, body: &[u8], partial: usize, batch: Option<usize>) -> Response {
    let parts: Vec<&str> = uri.path().trim_matches('/').split('/').collect();
    let versioned = |v: &str| {
        v.strip_prefix('v').is_some_and(|r| r.split_once('.').is_some_and(|(a, b)| a.parse::<u32>().is_ok() && b.parse::<u32>().is_ok()))
    };
    match (method.as_str(), parts.as_slice()) {
        ("GET", ["services", "data", v, endpoint @ ("query" | "queryAll")]) if versioned(v) => {
            let q = uri.query().unwrap_or("").split('&').find_map(|kv| kv.strip_prefix("q=")).map(percent_decode);
            match q {
                Some(q) => query(g, v, &q, batch, *endpoint == "queryAll"),
                None => error(StatusCode::BAD_REQUEST, "MALFORMED_QUERY", "A query string has to be specified"),
            }
        }
        ("GET", ["services", "data", v, "query", locator]) if versioned(v) => more(g, v, locator),
        ("POST", ["services", "data", v, "jobs", "query"]) if versioned(v) => create_job(g, v, body),
        ("GET", ["services", "data", v, "jobs", "query", id]) if versioned(v) => job_info(g, v, id),
        ("GET", ["services", "data", v, "jobs", "query", id, "results"]) if versioned(v) => job_results(g, id, uri.query().unwrap_or("")),
        ("PATCH", ["services", "data", v, "composite", "sobjects"]) if versioned(v) => composite(g, body, partial),
        ("GET", ["services", "data", v, "sobjects", object, "describe"]) if versioned(v) => match g.defs.get(*object) {
            Some(defs) => {
                let fields: Vec<Value> = defs
                    .iter()
                    .map(|d| {
                        json!({"name": d.name, "type": d.kind, "length": d.length, "label": d.name, "custom": d.custom,
                        "updateable": d.kind != "id" && !d.name.ends_with("Date") && d.name != "SystemModstamp"})
                    })
                    .collect();
                ok(json!({"name": object, "custom": false, "fields": fields}))
            }
            None => error(StatusCode::NOT_FOUND, "NOT_FOUND", &format!("The requested resource does not exist: {object}")),
        },
        _ => error(StatusCode::NOT_FOUND, "NOT_FOUND", "The requested resource does not exist"),
    }
}

/// The parsed subset of SOQL.
#[derive(Debug, PartialEq)]
struct Soql {
    fields: Vec<String>,
    object: String,
    /// `SystemModstamp > t` (ms), and `OR (SystemModstamp = t AND Id > id)`.
    after: Option<(i64, Option<String>)>,
    limit: Option<usize>,
    /// `IsDeleted = true` (first in the filter, `AND` the rest).
    deleted: bool,
}

fn parse_time(s: &str) -> Option<i64> {
    let t = s.trim();
    t.parse::<jiff::Timestamp>()
        .ok()
        .or_else(|| jiff::fmt::strtime::parse("%Y-%m-%dT%H:%M:%S%.f%z", t).ok().and_then(|tm| tm.to_timestamp().ok()))
        .map(|t| t.as_millisecond())
}

fn parse_soql(q: &str) -> Result<Soql, String> {
    parse_soql_in(q, true)
}

/// The SOQL subset; `ordered`: the query must be ordered by `SystemModstamp, Id` (the REST
/// queries); a query job's may have no `ORDER BY` (nor `LIMIT`).
fn parse_soql_in(q: &str, ordered: bool) -> Result<Soql, String> {
    let q = q.trim();
    let rest = q.strip_prefix("SELECT ").ok_or("expected SELECT")?;
    let (fields, rest) = rest.split_once(" FROM ").ok_or("expected FROM")?;
    let fields: Vec<String> = fields.split(',').map(|f| f.trim().to_string()).collect();
    if fields.iter().any(|f| {
        f.is_empty()
            || f.split('.').count() > 2
            || !f.split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
    }) {
        return Err("unexpected token in the field list".into());
    }
    let (head, tail) = match rest.split_once(" ORDER BY ") {
        Some((h, t)) => (h, t),
        None if !ordered => (rest, "SystemModstamp, Id"),
        None => return Err("the connector's queries are ordered by SystemModstamp, Id".into()),
    };
    let (object, filter) = match head.split_once(" WHERE ") {
        Some((o, w)) => (o.trim(), Some(w.trim())),
        None => (head.trim(), None),
    };
    let (order, limit) = match tail.split_once(" LIMIT ") {
        Some((o, l)) => (o.trim(), Some(l.trim().parse::<usize>().map_err(|_| "LIMIT must be a number")?)),
        None => (tail.trim(), None),
    };
    if order != "SystemModstamp, Id" {
        return Err(format!("unexpected ORDER BY {order}"));
    }
    let (deleted, filter) = match filter.map(|w| (w, w.strip_prefix("IsDeleted = true"))) {
        Some((_, Some(""))) => (true, None),
        Some((_, Some(rest))) => (true, Some(rest.strip_prefix(" AND ").ok_or("expected AND after IsDeleted = true")?.trim())),
        Some((w, None)) => (false, Some(w)),
        None => (false, None),
    };
    let after = match filter {
        None => None,
        Some(w) => {
            let (first, second) = match w.split_once(" OR ") {
                Some((a, b)) => (a, Some(b)),
                None => (w, None),
            };
            let t = first.strip_prefix("SystemModstamp > ").ok_or("expected SystemModstamp > datetime")?;
            let t = parse_time(t).ok_or("bad datetime literal")?;
            let id = match second {
                None => None,
                Some(s) => {
                    let inner = s.strip_prefix('(').and_then(|s| s.strip_suffix(')')).ok_or("expected ( ... )")?;
                    let (eq, idc) = inner.split_once(" AND ").ok_or("expected AND")?;
                    let t2 = parse_time(eq.strip_prefix("SystemModstamp = ").ok_or("expected SystemModstamp = datetime")?)
                        .ok_or("bad datetime literal")?;
                    if t2 != t {
                        return Err("the two datetimes of a keyset differ".into());
                    }
                    let id = idc.strip_prefix("Id > '").and_then(|s| s.strip_suffix('\'')).ok_or("expected Id > 'id'")?;
                    Some(id.to_string())
                }
            };
            Some((t, id))
        }
    };
    Ok(Soql { fields, object: object.to_string(), after, limit, deleted })
}

fn field_json(r: &Rec, id: &str, name: &str) -> Value {
    match name {
        "Id" => json!(id),
        "SystemModstamp" | "LastModifiedDate" => json!(sf_time(stamp(r.stamp_ms))),
        "CreatedDate" => json!(sf_time(stamp(r.created_ms))),
        n => r.fields.get(n).cloned().unwrap_or(Value::Null),
    }
}

/// `POST /services/oauth2/token` with `grant_type=client_credentials`: a new access token
/// for the enabled connected app, or OAuth's error body (400).
fn token_endpoint(fake: &SalesforceFake, body: &[u8]) -> Response {
    let oauth_error = |code: &str, description: &str| {
        (
            StatusCode::BAD_REQUEST,
            [("content-type", "application/json;charset=UTF-8")],
            json!({"error": code, "error_description": description}).to_string(),
        )
            .into_response()
    };
    let text = String::from_utf8_lossy(body);
    let form: BTreeMap<String, String> =
        text.split('&').filter_map(|pair| pair.split_once('=')).map(|(k, v)| (percent_decode(k), percent_decode(v))).collect();
    if form.get("grant_type").map(String::as_str) == Some("urn:ietf:params:oauth:grant-type:jwt-bearer") {
        let mut g = fake.lock();
        let checked = check_assertion(&g, &fake.url, form.get("assertion").map_or("", String::as_str));
        return match checked {
            Err((code, description)) => oauth_error(code, description),
            Ok(()) => issue(&mut g, &fake.url),
        };
    }
    if form.get("grant_type").map(String::as_str) != Some("client_credentials") {
        return oauth_error("unsupported_grant_type", "grant type not supported");
    }
    let mut g = fake.lock();
    let Some((id, secret)) = g.app.clone() else {
        return oauth_error("invalid_grant", "no client credentials user enabled");
    };
    if form.get("client_id") != Some(&id) {
        return oauth_error("invalid_client_id", "client identifier invalid");
    }
    if form.get("client_secret") != Some(&secret) {
        return oauth_error("invalid_client", "invalid client credentials");
    }
    issue(&mut g, &fake.url)
}

/// Checks a JWT bearer assertion as Salesforce does: RS256 signed with the connected app's
/// certificate key, `iss` its consumer key, `aud` the login URL, `exp` not passed (and at
/// most three minutes ahead, with a little leeway for clocks), `sub` a user approved for
/// the app. A failure is OAuth's (error, description).
fn check_assertion(g: &Inner, login_url: &str, assertion: &str) -> Result<(), (&'static str, &'static str)> {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use rsa::signature::Verifier;
    const INVALID: (&str, &str) = ("invalid_grant", "invalid assertion");
    let Some(app) = &g.jwt else { return Err(("invalid_client_id", "client identifier invalid")) };
    let parts: Vec<&str> = assertion.split('.').collect();
    let [header, payload, signature] = parts.as_slice() else { return Err(INVALID) };
    let json = |part: &str| URL_SAFE_NO_PAD.decode(part).ok().and_then(|b| serde_json::from_slice::<Value>(&b).ok());
    let (Some(header), Some(claims)) = (json(header), json(payload)) else { return Err(INVALID) };
    if header.get("alg").and_then(Value::as_str) != Some("RS256") {
        return Err(INVALID);
    }
    let signed = URL_SAFE_NO_PAD
        .decode(signature)
        .ok()
        .and_then(|b| rsa::pkcs1v15::Signature::try_from(b.as_slice()).ok())
        .is_some_and(|sig| app.key.verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &sig).is_ok());
    if !signed {
        return Err(INVALID);
    }
    let claim = |k: &str| claims.get(k).and_then(Value::as_str).unwrap_or("");
    if claim("iss") != app.client_id {
        return Err(("invalid_client_id", "client identifier invalid"));
    }
    if claim("aud").trim_end_matches('/') != login_url {
        return Err(("invalid_grant", "audience is invalid"));
    }
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64) + g.jwt_skew_s;
    match claims.get("exp").and_then(Value::as_i64) {
        Some(exp) if exp <= now => return Err(("invalid_grant", "expired authorization code")),
        Some(exp) if exp > now + 180 + 60 => return Err(INVALID),
        Some(_) => {}
        None => return Err(INVALID),
    }
    if !app.approved.iter().any(|u| u == claim("sub")) {
        return Err(("invalid_grant", "user hasn't approved this consumer"));
    }
    Ok(())
}

/// A new access token for the org at `url`, as the token endpoint answers it.
fn issue(g: &mut Inner, url: &str) -> Response {
    g.seq += 1;
    let token = format!("00Dfake0000000!AQ{:010}", g.seq);
    g.issued.push(token.clone());
    ok(json!({
        "access_token": token,
        "signature": "fake",
        "scope": "api",
        "instance_url": url,
        "id": format!("{url}/id/00Dfake/005fake"),
        "token_type": "Bearer",
        "issued_at": g.clock_ms.to_string(),
    }))
}

fn query(g: &mut Inner, version: &str, q: &str, batch: Option<usize>, all: bool) -> Response {
    let soql = match parse_soql(q) {
        Ok(s) => s,
        Err(e) => return error(StatusCode::BAD_REQUEST, "MALFORMED_QUERY", &format!("unexpected query: {e}")),
    };
    let rows = match select(g, version, &soql, all) {
        Ok(rows) => rows,
        Err(r) => return *r,
    };
    let batch = batch.unwrap_or(g.batch);
    g.seq += 1;
    let locator = format!("01g{:015}", g.seq);
    page(g, version, locator, Cursor { rows, sent: 0, batch })
}

/// The records a query selects, as the REST API writes them, or the error it answers;
/// `all` (queryAll) includes deleted records.
fn select(g: &Inner, version: &str, soql: &Soql, all: bool) -> Result<Vec<Value>, Box<Response>> {
    let Some(defs) = g.defs.get(&soql.object) else {
        return Err(Box::new(error(StatusCode::BAD_REQUEST, "INVALID_TYPE", &format!("sObject type '{}' is not supported.", soql.object))));
    };
    let known = |f: &str| match f.split_once('.') {
        None => defs.iter().any(|d| d.name == f),
        Some((rel, field)) => relationship(&soql.object, rel)
            .and_then(|(_, target)| g.defs.get(target))
            .is_some_and(|target| target.iter().any(|d| d.name == field)),
    };
    if let Some(bad) = soql.fields.iter().find(|f| !known(f)) {
        if let Some((rel, _)) = bad.split_once('.')
            && relationship(&soql.object, rel).is_none()
        {
            return Err(Box::new(error(
                StatusCode::BAD_REQUEST,
                "INVALID_FIELD",
                &format!(
                    "Didn't understand relationship '{rel}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name."
                ),
            )));
        }
        return Err(Box::new(error(
            StatusCode::BAD_REQUEST,
            "INVALID_FIELD",
            &format!(
                "No such column '{bad}' on entity '{}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.",
                soql.object
            ),
        )));
    }
    let mut hits: Vec<(&String, &Rec)> = g
        .records
        .iter()
        .filter(|(id, r)| {
            r.sobject == soql.object
                && (all || !r.deleted)
                && (!soql.deleted || r.deleted)
                && match &soql.after {
                    None => true,
                    Some((t, None)) => stamp(r.stamp_ms) > *t,
                    Some((t, Some(after))) => stamp(r.stamp_ms) > *t || (stamp(r.stamp_ms) == *t && id.as_str() > after.as_str()),
                }
        })
        .collect();
    hits.sort_by(|a, b| stamp(a.1.stamp_ms).cmp(&stamp(b.1.stamp_ms)).then(a.0.cmp(b.0)));
    if let Some(n) = soql.limit {
        hits.truncate(n);
    }
    let rows: Vec<Value> = hits
        .iter()
        .map(|(id, r)| {
            let mut m = serde_json::Map::new();
            m.insert(
                "attributes".into(),
                json!({"type": soql.object, "url": format!("/services/data/{version}/sobjects/{}/{id}", soql.object)}),
            );
            for f in &soql.fields {
                match f.split_once('.') {
                    None => {
                        m.insert(f.clone(), field_json(r, id, f));
                    }
                    Some((rel, field)) => {
                        // A parent record is a nested object with its own attributes (null
                        // when the reference is empty).
                        let parent = relationship(&soql.object, rel)
                            .and_then(|(reference, _)| r.fields.get(reference).and_then(Value::as_str))
                            .and_then(|pid| g.records.get(pid).map(|p| (pid, p)));
                        let slot = m.entry(rel.to_string()).or_insert(Value::Null);
                        if let Some((pid, p)) = parent {
                            if slot.is_null() {
                                *slot = json!({"attributes": {"type": p.sobject, "url": format!("/services/data/{version}/sobjects/{}/{pid}", p.sobject)}});
                            }
                            slot[field] = field_json(p, pid, field);
                        }
                    }
                }
            }
            Value::Object(m)
        })
        .collect();
    Ok(rows)
}

/// A value of a REST record as Bulk API 2.0's CSV writes it: empty for null, times in UTC
/// with `Z`.
fn csv_cell(v: &Value) -> String {
    let text = match v {
        Value::Null => return String::new(),
        Value::String(s) => match s.strip_suffix("+0000") {
            Some(t) if s.len() == 28 => format!("{t}Z"),
            _ => s.clone(),
        },
        other => other.to_string(),
    };
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text }
}

/// `POST /jobs/query`: a query job of `{"operation": "query", "query": ...}`. The query is
/// checked (400 as `/query` answers) and its records taken now.
fn create_job(g: &mut Inner, version: &str, body: &[u8]) -> Response {
    let Ok(req) = serde_json::from_slice::<Value>(body) else {
        return error(StatusCode::BAD_REQUEST, "JSON_PARSER_ERROR", "Unexpected character in the request body");
    };
    let operation = req.get("operation").and_then(Value::as_str).unwrap_or("");
    if operation != "query" && operation != "queryAll" {
        return error(StatusCode::BAD_REQUEST, "INVALIDJOB", "operation must be query or queryAll");
    }
    let Some(q) = req.get("query").and_then(Value::as_str) else {
        return error(StatusCode::BAD_REQUEST, "INVALIDJOB", "query is required");
    };
    let soql = match parse_soql_in(q, false) {
        Ok(s) => s,
        Err(e) => return error(StatusCode::BAD_REQUEST, "MALFORMED_QUERY", &format!("unexpected query: {e}")),
    };
    // A query job, like `query`, leaves deleted records out.
    let rows = match select(g, version, &soql, false) {
        Ok(rows) => rows,
        Err(r) => return *r,
    };
    let cell = |r: &Value, f: &str| match f.split_once('.') {
        None => r.get(f).map(csv_cell).unwrap_or_default(),
        Some((rel, field)) => r.get(rel).and_then(|p| p.get(field)).map(csv_cell).unwrap_or_default(),
    };
    let lines = rows.iter().map(|r| soql.fields.iter().map(|f| cell(r, f)).collect::<Vec<_>>().join(",")).collect();
    g.seq += 1;
    let id = format!("750{:015}", g.seq);
    let failed = g.job_failures.pop_front();
    let job = Job {
        object: soql.object.clone(),
        operation: operation.into(),
        header: soql.fields.join(","),
        lines,
        polls_left: g.job_polls,
        failed,
    };
    let info = job_json(&id, &job, "UploadComplete", version);
    g.jobs.insert(id, job);
    ok(info)
}

fn job_json(id: &str, job: &Job, state: &str, version: &str) -> Value {
    json!({
        "id": id,
        "operation": job.operation,
        "object": job.object,
        "createdById": "005fake",
        "state": state,
        "concurrencyMode": "Parallel",
        "contentType": "CSV",
        "apiVersion": version.trim_start_matches('v').parse::<f64>().unwrap_or(62.0),
        "lineEnding": "LF",
        "columnDelimiter": "COMMA",
    })
}

/// `GET /jobs/query/{id}`: `InProgress` for the polls set, then `JobComplete` with the
/// number of records, or `Failed` with an `errorMessage`.
fn job_info(g: &mut Inner, version: &str, id: &str) -> Response {
    let Some(job) = g.jobs.get_mut(id) else {
        return error(StatusCode::NOT_FOUND, "NOT_FOUND", "The requested resource does not exist");
    };
    if job.polls_left > 0 {
        job.polls_left -= 1;
        return ok(job_json(id, job, "InProgress", version));
    }
    let mut info = job_json(id, job, if job.failed.is_some() { "Failed" } else { "JobComplete" }, version);
    match &job.failed {
        Some(message) => info["errorMessage"] = json!(message),
        None => info["numberRecordsProcessed"] = json!(job.lines.len()),
    }
    ok(info)
}

/// `GET /jobs/query/{id}/results?maxRecords=n&locator=l`: a CSV page (header first) of at
/// most n records, `Sforce-Locator` naming the next page (`null` after the last) and
/// `Sforce-NumberOfRecords`. A job not complete answers 400.
fn job_results(g: &mut Inner, id: &str, query: &str) -> Response {
    let Some(job) = g.jobs.get(id) else {
        return error(StatusCode::NOT_FOUND, "NOT_FOUND", "The requested resource does not exist");
    };
    if job.polls_left > 0 || job.failed.is_some() {
        return error(StatusCode::BAD_REQUEST, "INVALIDJOBSTATE", "The job is not in a state to return results");
    }
    let param = |k: &str| query.split('&').find_map(|kv| kv.strip_prefix(k)?.strip_prefix('=')).map(percent_decode);
    let max = param("maxRecords").and_then(|v| v.parse::<usize>().ok()).filter(|n| *n > 0).unwrap_or(usize::MAX);
    let from = match param("locator") {
        None => 0,
        Some(l) => match l.strip_prefix("LOC").and_then(|n| n.parse::<usize>().ok()).filter(|n| *n <= job.lines.len()) {
            Some(n) => n,
            None => return error(StatusCode::BAD_REQUEST, "INVALIDLOCATOR", "invalid locator"),
        },
    };
    let end = from.saturating_add(max).min(job.lines.len());
    let mut text = format!("{}\n", job.header);
    for line in &job.lines[from..end] {
        text.push_str(line);
        text.push('\n');
    }
    let next = if end < job.lines.len() { format!("LOC{end}") } else { "null".into() };
    let mut r = (StatusCode::OK, [("content-type", "text/csv")], text).into_response();
    for (k, v) in [("sforce-locator", next), ("sforce-numberofrecords", (end - from).to_string())] {
        if let Ok(v) = HeaderValue::from_str(&v) {
            r.headers_mut().insert(k, v);
        }
    }
    r
}

fn page(g: &mut Inner, version: &str, locator: String, mut c: Cursor) -> Response {
    let total = c.rows.len();
    let end = (c.sent + c.batch).min(total);
    let records: Vec<Value> = c.rows[c.sent..end].to_vec();
    c.sent = end;
    let done = end >= total;
    let mut out = json!({"totalSize": total, "done": done, "records": records});
    if !done {
        out["nextRecordsUrl"] = json!(format!("/services/data/{version}/query/{locator}-{end}"));
        g.cursors.insert(locator, c);
    }
    ok(out)
}

fn more(g: &mut Inner, version: &str, locator: &str) -> Response {
    let Some((loc, at)) = locator.rsplit_once('-') else {
        return error(StatusCode::BAD_REQUEST, "INVALID_QUERY_LOCATOR", "invalid query locator");
    };
    match g.cursors.remove(loc) {
        Some(c) if at.parse::<usize>().ok() == Some(c.sent) => page(g, version, loc.to_string(), c),
        _ => error(StatusCode::BAD_REQUEST, "INVALID_QUERY_LOCATOR", "invalid query locator"),
    }
}

fn composite(g: &mut Inner, body: &[u8], partial: usize) -> Response {
    let Ok(req) = serde_json::from_slice::<Value>(body) else {
        return error(StatusCode::BAD_REQUEST, "JSON_PARSER_ERROR", "Unexpected character in the request body");
    };
    let Some(records) = req.get("records").and_then(Value::as_array) else {
        return error(StatusCode::BAD_REQUEST, "INVALID_FIELD", "records is required");
    };
    if records.len() > COMPOSITE_MAX {
        return error(
            StatusCode::BAD_REQUEST,
            "EXCEEDED_ID_LIMIT",
            &format!("record limit exceeded: a request may update at most {COMPOSITE_MAX} records"),
        );
    }
    if req.get("allOrNone").and_then(Value::as_bool) == Some(true) {
        return error(StatusCode::BAD_REQUEST, "INVALID_FIELD", "this fake answers allOrNone: false only (what the connector sends)");
    }
    // An unknown field or type refuses the request whole.
    for r in records {
        let Some(object) = r.pointer("/attributes/type").and_then(Value::as_str) else {
            return error(StatusCode::BAD_REQUEST, "INVALID_TYPE", "Must send a concrete entity type.");
        };
        let Some(defs) = g.defs.get(object) else {
            return error(StatusCode::BAD_REQUEST, "INVALID_TYPE", &format!("sObject type '{object}' is not supported."));
        };
        for name in r.as_object().into_iter().flat_map(|o| o.keys()) {
            if name != "attributes" && name != "id" && !defs.iter().any(|d| d.name == *name) {
                return error(StatusCode::BAD_REQUEST, "INVALID_FIELD", &format!("No such column '{name}' on sobject of type {object}"));
            }
        }
    }
    let mut results = Vec::new();
    for (i, r) in records.iter().enumerate() {
        let object = r.pointer("/attributes/type").and_then(Value::as_str).unwrap_or("");
        let id = r.get("id").and_then(Value::as_str).unwrap_or("").to_string();
        let fail = |code: &str, message: &str, fields: Vec<String>| json!({"success": false, "errors": [{"statusCode": code, "message": message, "fields": fields}]});
        if i < partial {
            results.push(fail("UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record", vec![]));
            continue;
        }
        match g.records.get(&id) {
            Some(rec) if rec.deleted => {
                results.push(fail("ENTITY_IS_DELETED", "entity is deleted", vec![]));
                continue;
            }
            Some(rec) if rec.sobject == object => {}
            _ => {
                results.push(fail("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", vec![]));
                continue;
            }
        }
        let defs = &g.defs[object];
        let mut bad = None;
        for (name, v) in r.as_object().into_iter().flatten().filter(|(k, _)| *k != "attributes" && *k != "id") {
            let Some(d) = defs.iter().find(|d| d.name == *name) else { continue };
            let fits = match (d.kind.as_str(), v) {
                (_, Value::Null) => d.kind != "boolean",
                ("double" | "int" | "currency", Value::Number(_)) => true,
                ("boolean", Value::Bool(_)) => true,
                ("string" | "textarea" | "picklist" | "url" | "email" | "phone", Value::String(s)) => {
                    if s.chars().count() > d.length {
                        bad = Some(("STRING_TOO_LONG", format!("{name}: data value too large"), name.clone()));
                        break;
                    }
                    true
                }
                _ => false,
            };
            if !fits {
                bad = Some(("INVALID_TYPE_ON_FIELD_IN_RECORD", format!("{name}: value not of required type: {v}"), name.clone()));
                break;
            }
        }
        if let Some((code, message, field)) = bad {
            results.push(fail(code, &message, vec![field]));
            continue;
        }
        g.clock_ms += 1;
        let now = g.clock_ms;
        let mut written = Vec::new();
        if let Some(rec) = g.records.get_mut(&id) {
            for (name, v) in r.as_object().into_iter().flatten().filter(|(k, _)| *k != "attributes" && *k != "id") {
                if v.is_null() {
                    rec.fields.remove(name);
                } else {
                    rec.fields.insert(name.clone(), v.clone());
                }
                written.push((id.clone(), name.clone(), v.to_string()));
            }
            rec.stamp_ms = now;
        }
        g.writes.extend(written);
        results.push(json!({"id": id, "success": true, "errors": []}));
    }
    ok(Value::Array(results))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_soql_subset() {
        let q = parse_soql("SELECT Id, SystemModstamp FROM Lead WHERE SystemModstamp > 2026-01-01T00:00:01.000Z OR (SystemModstamp = 2026-01-01T00:00:01.000Z AND Id > '00Q1') ORDER BY SystemModstamp, Id LIMIT 10").unwrap();
        assert_eq!(q.fields, ["Id", "SystemModstamp"]);
        assert_eq!(q.object, "Lead");
        assert_eq!(q.after, Some((EPOCH_MS + 1_000, Some("00Q1".to_string()))));
        assert_eq!(q.limit, Some(10));
        let q = parse_soql("SELECT Id FROM Contact ORDER BY SystemModstamp, Id").unwrap();
        assert_eq!((q.after, q.limit), (None, None));
        assert!(parse_soql("SELECT Id FROM Lead WHERE Name = 'x' ORDER BY SystemModstamp, Id").is_err());
        assert!(parse_soql("SELECT Id FROM Lead ORDER BY Name").is_err());
        let q = parse_soql("SELECT Id, SystemModstamp FROM Opportunity WHERE IsDeleted = true AND SystemModstamp > 2026-01-01T00:00:01.000Z ORDER BY SystemModstamp, Id").unwrap();
        assert_eq!((q.deleted, q.after), (true, Some((EPOCH_MS + 1_000, None))));
        assert!(parse_soql("SELECT Id FROM Opportunity WHERE IsDeleted = true ORDER BY SystemModstamp, Id").unwrap().deleted);
    }

    #[tokio::test]
    async fn query_jobs_page_their_csv_results_by_locator() {
        let fake = SalesforceFake::start("t").await;
        let campaign = fake.create("Campaign", &[("Name", json!("Expo, \"2026\"")), ("Type", json!("Trade Show"))]);
        for i in 0..5 {
            fake.create("CampaignMember", &[("CampaignId", json!(campaign)), ("HasResponded", json!(i % 2 == 0))]);
        }
        fake.set_job_polls(1);
        let first_member = fake.ids_of("CampaignMember")[0].clone();
        let mut g = fake.lock();
        let create: Uri = "/services/data/v62.0/jobs/query".parse().unwrap();
        let body = json!({"operation": "query", "query": "SELECT Id, SystemModstamp, HasResponded, Campaign.Name FROM CampaignMember"});
        let r = route(&mut g, &Method::POST, &create, body.to_string().as_bytes(), 0, None);
        assert_eq!(r.status(), StatusCode::OK);
        let id = g.jobs.keys().next().unwrap().clone();
        let info = |g: &mut Inner| {
            let uri: Uri = format!("/services/data/v62.0/jobs/query/{id}").parse().unwrap();
            route(g, &Method::GET, &uri, b"", 0, None)
        };
        assert_eq!(g.jobs[&id].polls_left, 1);
        info(&mut g);
        assert_eq!(g.jobs[&id].polls_left, 0, "in progress once, then complete");
        let uri: Uri = format!("/services/data/v62.0/jobs/query/{id}/results?maxRecords=2").parse().unwrap();
        let r = route(&mut g, &Method::GET, &uri, b"", 0, None);
        assert_eq!(r.headers()["sforce-locator"], "LOC2");
        assert_eq!(g.jobs[&id].header, "Id,SystemModstamp,HasResponded,Campaign.Name");
        assert_eq!(g.jobs[&id].lines[0], format!("{},2026-01-01T00:00:00.000Z,true,\"Expo, \"\"2026\"\"\"", first_member));
        let uri: Uri = format!("/services/data/v62.0/jobs/query/{id}/results?maxRecords=2&locator=LOC4").parse().unwrap();
        let r = route(&mut g, &Method::GET, &uri, b"", 0, None);
        assert_eq!(
            (r.headers()["sforce-locator"].to_str().unwrap(), r.headers()["sforce-numberofrecords"].to_str().unwrap()),
            ("null", "1")
        );
        // A failed job answers its state and message, and has no results.
        g.job_failures.push_back("InvalidBatch : Failed to process query".into());
        route(&mut g, &Method::POST, &create, body.to_string().as_bytes(), 0, None);
        let failed = g.jobs.keys().last().unwrap().clone();
        g.jobs.get_mut(&failed).unwrap().polls_left = 0;
        let uri: Uri = format!("/services/data/v62.0/jobs/query/{failed}/results").parse().unwrap();
        assert_eq!(route(&mut g, &Method::GET, &uri, b"", 0, None).status(), StatusCode::BAD_REQUEST);
        // An unknown relationship is refused as Salesforce does.
        let bad = json!({"operation": "query", "query": "SELECT Id, Owner.Name FROM CampaignMember"});
        assert_eq!(route(&mut g, &Method::POST, &create, bad.to_string().as_bytes(), 0, None).status(), StatusCode::BAD_REQUEST);
    }

    #[tokio::test]
    async fn paging_and_limits() {
        let fake = SalesforceFake::start("t").await;
        for i in 0..450 {
            fake.create("Lead", &[("LastName", json!(format!("L{i}")))]);
        }
        let mut g = fake.lock();
        let uri: Uri = "/services/data/v62.0/query?q=SELECT+Id+FROM+Lead+ORDER+BY+SystemModstamp%2C+Id".parse().unwrap();
        let r = route(&mut g, &Method::GET, &uri, b"", 0, Some(200));
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(g.cursors.len(), 1);
        let big = json!({"allOrNone": false, "records": vec![json!({"attributes": {"type": "Lead"}, "id": "x"}); 201]});
        let uri: Uri = "/services/data/v62.0/composite/sobjects".parse().unwrap();
        let r = route(&mut g, &Method::PATCH, &uri, big.to_string().as_bytes(), 0, None);
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    }
}
