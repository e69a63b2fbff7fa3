//! HubSpot webhooks: the push path of the HubSpot connector (`webhooks = true`).
//!
//! HubSpot posts a JSON array of notifications (at most 100 a request) to the app's target
//! URL, signed with the app's client secret (signature v3). [`Intake::receive`] checks the
//! signature and its timestamp, keeps of each notification only what a run needs (object,
//! id, change or deletion, and for a change of a property leadrank writes, the value) and
//! stores the batch as one directory record of kind [`DIRTY_KIND`] before answering, so a
//! 2xx means the ids are durable (HubSpot retries anything else). Each request writes a
//! record of its own and a run deletes only the records it read, so concurrent requests
//! and a run never read-modify-write one record and no id is lost between them.
//!
//! A run ([`crate::hubspot::sync`]) reads the stored ids with batch reads instead of
//! searching; the modified-since search still runs every `reconcile_every`. An arrival
//! asks the scheduler for a run soon ([`crate::schedule::Scheduler::soon`]).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use leadrank_service::{Service, ServiceError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::Sha256;

use crate::client::Token;

/// The signature header (v3).
pub const SIGNATURE_HEADER: &str = "x-hubspot-signature-v3";
/// The header with the time HubSpot signed the request (epoch ms).
pub const TIMESTAMP_HEADER: &str = "x-hubspot-request-timestamp";
/// Requests signed longer ago than this are refused (HubSpot's rule), as are requests
/// signed this far in the future (a clock that far off is not trusted either).
pub const MAX_AGE_MS: i64 = 5 * 60 * 1000;
/// Notifications per request at most (HubSpot sends up to 100).
pub const MAX_NOTIFICATIONS: usize = 100;
/// The stored notifications not yet read by a run: one record per request.
pub const DIRTY_KIND: &str = "crm.hubspot.dirty";
/// When the connector last ran its reconcile search and its polled reads (`reconcile`,
/// `polled`).
pub const MARKS_KIND: &str = "crm.hubspot.webhooks";
/// How long after an arrival the scheduler starts a run (arrivals within it share the run),
/// unless `webhook_delay` says otherwise.
pub const DEBOUNCE: Duration = Duration::from_secs(2);

/// Why a webhook request was refused.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    /// The signature is missing, wrong or too old (401).
    #[error("{0}")]
    Unauthorized(String),
    /// The body is not a list of notifications (400), at the JSON pointer.
    #[error("{pointer}: {detail}")]
    Malformed { pointer: String, detail: String },
    /// The ids could not be stored (HubSpot retries).
    #[error(transparent)]
    Service(#[from] ServiceError),
}

type HmacSha256 = Hmac<Sha256>;

/// HubSpot's v3 rule for the signed URI: these escapes are decoded (the `?` starting the
/// query is not escaped to begin with).
fn decode_uri(uri: &str) -> String {
    const DECODED: [(&str, char); 12] = [
        ("3A", ':'),
        ("2F", '/'),
        ("3F", '?'),
        ("40", '@'),
        ("21", '!'),
        ("24", '$'),
        ("27", '\''),
        ("28", '('),
        ("29", ')'),
        ("2A", '*'),
        ("2C", ','),
        ("3B", ';'),
    ];
    let mut out = String::with_capacity(uri.len());
    let mut rest = uri;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let hex = rest.get(i + 1..i + 3).unwrap_or("");
        match DECODED.iter().find(|(h, _)| h.eq_ignore_ascii_case(hex)) {
            Some((_, c)) => {
                out.push(*c);
                rest = &rest[i + 3..];
            }
            None => {
                out.push('%');
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn mac(secret: &[u8], method: &str, uri: &str, body: &[u8], timestamp: &str) -> HmacSha256 {
    let mut m = HmacSha256::new_from_slice(secret).expect("HMAC takes a key of any length");
    m.update(method.as_bytes());
    m.update(decode_uri(uri).as_bytes());
    m.update(body);
    m.update(timestamp.as_bytes());
    m
}

/// The v3 signature of a request: base64 of HMAC-SHA256(secret, method + URI + body +
/// timestamp), the URI decoded as HubSpot's rule says.
pub fn sign_v3(secret: &str, method: &str, uri: &str, body: &[u8], timestamp: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(mac(secret.as_bytes(), method, uri, body, timestamp).finalize().into_bytes())
}

/// Checks a v3 signature (in constant time) and its timestamp against `now_ms`.
pub fn verify_v3(
    secret: &str,
    method: &str,
    uri: &str,
    body: &[u8],
    timestamp: Option<&str>,
    signature: Option<&str>,
    now_ms: i64,
) -> Result<(), WebhookError> {
    let refuse = |why: &str| Err(WebhookError::Unauthorized(why.into()));
    let (Some(timestamp), Some(signature)) = (timestamp, signature) else {
        return refuse("X-HubSpot-Signature-v3 and X-HubSpot-Request-Timestamp are required (HubSpot webhook signature v3)");
    };
    let Ok(at) = timestamp.trim().parse::<i64>() else {
        return refuse("X-HubSpot-Request-Timestamp is not a time in epoch milliseconds");
    };
    if now_ms.saturating_sub(at) > MAX_AGE_MS {
        return refuse("the request was signed more than 5 minutes ago");
    }
    if at.saturating_sub(now_ms) > MAX_AGE_MS {
        return refuse("the request is signed with a time more than 5 minutes ahead");
    }
    let Ok(given) = base64::engine::general_purpose::STANDARD.decode(signature.trim()) else {
        return refuse("X-HubSpot-Signature-v3 is not base64");
    };
    match mac(secret.as_bytes(), method, uri, body, timestamp.trim()).verify_slice(&given) {
        Ok(()) => Ok(()),
        Err(_) => refuse("the signature does not match (check the app's client secret and webhook_url)"),
    }
}

/// What a notification asks of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    /// Read the record (created, changed, restored).
    #[serde(rename = "c")]
    Changed,
    /// The record was deleted (or merged into another).
    #[serde(rename = "d")]
    Deleted,
    /// A deal's associations changed: read them too.
    #[serde(rename = "a")]
    Associations,
}

/// One notification as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    /// `contacts`, `companies` or `deals`.
    pub o: String,
    pub id: String,
    pub k: Change,
    /// When it happened in HubSpot (epoch ms).
    pub at: i64,
    /// A property leadrank writes, and its new value: leadrank's own write coming back
    /// when the value is the one last written (then nothing is read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p: Option<(String, String)>,
}

/// Which notifications matter: the properties read per object (a change to another one
/// changes nothing leadrank reads) and the properties leadrank writes.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub reads: BTreeMap<String, BTreeSet<String>>,
    pub written: BTreeSet<String>,
}

/// What one request held.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Received {
    pub notifications: usize,
    /// Kept for the next run.
    pub stored: usize,
    /// Of objects or properties leadrank does not read.
    pub ignored: usize,
}

fn object_of(kind: &str) -> Option<&'static str> {
    match kind {
        "contact" => Some("contacts"),
        "company" => Some("companies"),
        "deal" => Some("deals"),
        _ => None,
    }
}

/// An id member: a number (HubSpot's) or a string of digits.
fn id_at(n: &serde_json::Map<String, Value>, key: &str, base: &str) -> Result<Option<String>, WebhookError> {
    match n.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(x)) if x.as_u64().is_some() => Ok(x.as_u64().map(|v| v.to_string())),
        Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(s.clone())),
        Some(_) => {
            Err(WebhookError::Malformed { pointer: format!("{base}/{key}"), detail: "expected a record id (a whole number)".into() })
        }
    }
}

/// Parses a request body into marks; the notifications of objects and properties leadrank
/// does not read are counted in `ignored`.
pub fn parse(body: &[u8], filter: &Filter) -> Result<(Vec<Mark>, Received), WebhookError> {
    let bad = |pointer: String, detail: &str| WebhookError::Malformed { pointer, detail: detail.into() };
    let value: Value = serde_json::from_slice(body).map_err(|e| bad(String::new(), &format!("the body is not JSON: {e}")))?;
    let Value::Array(items) = value else { return Err(bad(String::new(), "expected a list of notifications")) };
    if items.len() > MAX_NOTIFICATIONS {
        return Err(bad(
            String::new(),
            &format!("more than {MAX_NOTIFICATIONS} notifications (HubSpot sends at most {MAX_NOTIFICATIONS})"),
        ));
    }
    let mut marks = Vec::new();
    let mut received = Received { notifications: items.len(), ..Received::default() };
    for (i, item) in items.iter().enumerate() {
        let base = format!("/{i}");
        let Value::Object(n) = item else { return Err(bad(base, "expected a notification (an object)")) };
        let kind = match n.get("subscriptionType") {
            Some(Value::String(s)) => s.as_str(),
            Some(_) => return Err(bad(format!("{base}/subscriptionType"), "expected a string")),
            None => return Err(bad(format!("{base}/subscriptionType"), "missing")),
        };
        let at = match n.get("occurredAt") {
            Some(Value::Number(x)) if x.as_i64().is_some() => x.as_i64().unwrap_or_default(),
            None | Some(Value::Null) => 0,
            Some(_) => return Err(bad(format!("{base}/occurredAt"), "expected epoch milliseconds")),
        };
        let (object, event) = kind.split_once('.').unwrap_or((kind, ""));
        let Some(object) = object_of(object).filter(|o| filter.reads.contains_key(*o)) else {
            received.ignored += 1;
            continue;
        };
        let mark = |id: String, k: Change, p: Option<(String, String)>| Mark { o: object.into(), id, k, at, p };
        let object_id =
            || -> Result<String, WebhookError> { id_at(n, "objectId", &base)?.ok_or_else(|| bad(format!("{base}/objectId"), "missing")) };
        match event {
            "creation" | "restore" => marks.push(mark(object_id()?, Change::Changed, None)),
            "deletion" | "privacyDeletion" => marks.push(mark(object_id()?, Change::Deleted, None)),
            "propertyChange" => {
                let property = match n.get("propertyName") {
                    Some(Value::String(s)) => s.clone(),
                    _ => return Err(bad(format!("{base}/propertyName"), "missing: a propertyChange names its property")),
                };
                let id = object_id()?;
                if !filter.reads[object].contains(&property) {
                    received.ignored += 1;
                    continue;
                }
                let p = if object == "contacts" && filter.written.contains(&property) {
                    let v = match n.get("propertyValue") {
                        Some(Value::String(s)) => s.clone(),
                        Some(Value::Null) | None => String::new(),
                        Some(v) => v.to_string(),
                    };
                    Some((property, v))
                } else {
                    None
                };
                marks.push(mark(id, Change::Changed, p));
            }
            "merge" => {
                // The surviving record is read; the records merged into it are gone.
                let id = object_id()?;
                let new_id = id_at(n, "newObjectId", &base)?;
                let merged = match n.get("mergedObjectIds") {
                    Some(Value::Array(a)) => a.clone(),
                    None | Some(Value::Null) => Vec::new(),
                    Some(_) => return Err(bad(format!("{base}/mergedObjectIds"), "expected a list of ids")),
                };
                let keep: BTreeSet<String> = std::iter::once(id.clone()).chain(new_id.clone()).collect();
                for (j, m) in merged.iter().enumerate() {
                    let gone = match m {
                        Value::Number(x) if x.as_u64().is_some() => x.to_string(),
                        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => s.clone(),
                        _ => return Err(bad(format!("{base}/mergedObjectIds/{j}"), "expected a record id")),
                    };
                    if !keep.contains(&gone) {
                        marks.push(mark(gone, Change::Deleted, None));
                    }
                }
                for id in keep {
                    marks.push(mark(id, Change::Changed, None));
                }
            }
            "associationChange" => {
                // A deal's contact or company changed: the deal is read with its associations.
                let kind = n.get("associationType").and_then(Value::as_str).unwrap_or("");
                let (from, to) = kind.split_once("_TO_").unwrap_or(("", ""));
                let mut any = false;
                for (side, key) in [(from, "fromObjectId"), (to, "toObjectId")] {
                    if side == "DEAL"
                        && filter.reads.contains_key("deals")
                        && let Some(id) = id_at(n, key, &base)?
                    {
                        marks.push(Mark { o: "deals".into(), id, k: Change::Associations, at, p: None });
                        any = true;
                    }
                }
                if !any {
                    received.ignored += 1;
                }
            }
            _ => received.ignored += 1,
        }
    }
    received.stored = marks.len();
    Ok((marks, received))
}

fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// Stores one request's marks as a record of its own (committed before this returns). The
/// record id is the time received and a hash of the marks: a request sent again holds the
/// same marks and at worst adds a record the run reads once more.
pub async fn store(service: &Service, marks: &[Mark], received_ms: i64) -> Result<(), ServiceError> {
    if marks.is_empty() {
        return Ok(());
    }
    let body = serde_json::to_string(marks).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let id = format!("{received_ms:013}-{:016x}", fnv(body.as_bytes()));
    service.put_crm_state(DIRTY_KIND, &id, body).await
}

/// The stored marks when a run starts, and the records they came from.
#[derive(Debug, Default)]
pub struct Pending {
    records: Vec<String>,
    pub marks: Vec<Mark>,
}

/// What a run does with one record, from its marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Todo {
    /// Read it (and, for a deal, its associations when `associations`).
    Read { associations: bool },
    /// Deleted in HubSpot.
    Delete,
    /// Only leadrank's own writes came back: nothing to read.
    Skip,
}

impl Pending {
    /// Every stored mark (none when webhooks are off).
    pub async fn load(service: &Service) -> Result<Pending, ServiceError> {
        let mut p = Pending::default();
        for e in service.crm_state(DIRTY_KIND).await? {
            let marks: Vec<Mark> = serde_json::from_str(&e.body)
                .map_err(|x| ServiceError::Internal(format!("stored webhook marks {DIRTY_KIND}/{} do not decode: {x}", e.id)))?;
            p.marks.extend(marks);
            p.records.push(e.id);
        }
        Ok(p)
    }

    pub fn is_empty(&self) -> bool {
        self.marks.is_empty()
    }

    /// What to do per record of `object`, by id: the latest mark decides between a deletion
    /// and a change; a change whose marks are all of properties leadrank wrote, each with
    /// the value `written(id)` holds, is leadrank's own write coming back.
    pub fn todo<'a>(&self, object: &str, written: impl Fn(&str) -> Option<&'a BTreeMap<String, String>>) -> BTreeMap<String, Todo> {
        let mut by_id: BTreeMap<&str, Vec<&Mark>> = BTreeMap::new();
        for m in self.marks.iter().filter(|m| m.o == object) {
            by_id.entry(m.id.as_str()).or_default().push(m);
        }
        let mut out = BTreeMap::new();
        for (id, mut marks) in by_id {
            marks.sort_by_key(|m| (m.at, m.k == Change::Deleted));
            let last = marks.last().map(|m| m.k);
            let todo = if last == Some(Change::Deleted) {
                Todo::Delete
            } else {
                let w = written(id);
                let echo = marks.iter().all(|m| match (&m.p, w) {
                    (Some((prop, value)), Some(w)) => m.k == Change::Changed && w.get(prop) == Some(value),
                    _ => false,
                });
                if echo { Todo::Skip } else { Todo::Read { associations: marks.iter().any(|m| m.k == Change::Associations) } }
            };
            out.insert(id.to_string(), todo);
        }
        out
    }

    /// Deletes the records loaded (after what they asked for is committed); records stored
    /// since stay for the next run.
    pub async fn clear(&self, service: &Service) -> Result<(), ServiceError> {
        for id in &self.records {
            service.delete_crm_state(DIRTY_KIND, id).await?;
        }
        Ok(())
    }
}

#[derive(Serialize, Deserialize)]
struct At {
    at_ms: i64,
}

/// When `what` (`reconcile`, `polled`) last happened (epoch ms), if ever.
pub async fn last(service: &Service, what: &str) -> Result<Option<i64>, ServiceError> {
    for e in service.crm_state(MARKS_KIND).await? {
        if e.id == what {
            let a: At = serde_json::from_str(&e.body)
                .map_err(|x| ServiceError::Internal(format!("stored {MARKS_KIND}/{what} does not decode: {x}")))?;
            return Ok(Some(a.at_ms));
        }
    }
    Ok(None)
}

/// Records when `what` happened.
pub async fn mark(service: &Service, what: &str, at_ms: i64) -> Result<(), ServiceError> {
    let body = serde_json::to_string(&At { at_ms }).map_err(|e| ServiceError::Internal(e.to_string()))?;
    service.put_crm_state(MARKS_KIND, what, body).await
}

/// The HubSpot webhook intake of one server: the app's client secret, the public URL HubSpot
/// signs, which notifications matter, and the scheduler to ask for a run.
pub struct Intake {
    secret: Token,
    /// `https://host[:port]` of the public URL.
    origin: String,
    filter: Filter,
    scheduler: Mutex<Weak<crate::schedule::Scheduler>>,
    /// How long after an arrival the run starts.
    pub debounce: Duration,
}

impl std::fmt::Debug for Intake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Intake").field("origin", &self.origin).finish_non_exhaustive()
    }
}

/// The scheme and authority of a URL (`https://host:port`).
fn origin_of(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("https", url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    format!("{scheme}://{authority}")
}

impl Intake {
    /// An intake checking signatures with `secret` for requests HubSpot sends to
    /// `public_url` (its scheme and host are signed; the path and query are the request's).
    pub fn new(secret: Token, public_url: &str, filter: Filter) -> Intake {
        Intake { secret, origin: origin_of(public_url), filter, scheduler: Mutex::new(Weak::new()), debounce: DEBOUNCE }
    }

    /// Lets arrivals ask `scheduler` for a run (done by [`crate::schedule::Scheduler::start`]).
    pub fn attach(&self, scheduler: &Arc<crate::schedule::Scheduler>) {
        *self.scheduler.lock().unwrap_or_else(|e| e.into_inner()) = Arc::downgrade(scheduler);
    }

    /// Checks and stores one request: `path_and_query` as received (behind the public
    /// URL's origin), the two signature headers, the raw body. The ids are committed before
    /// this returns; then a run is asked for.
    pub async fn receive(
        &self,
        service: &Service,
        method: &str,
        path_and_query: &str,
        timestamp: Option<&str>,
        signature: Option<&str>,
        body: &[u8],
    ) -> Result<Received, WebhookError> {
        let now_ms = service.clock.now().as_millisecond();
        let uri = format!("{}{path_and_query}", self.origin);
        verify_v3(self.secret.reveal(), method, &uri, body, timestamp, signature, now_ms)?;
        let (marks, received) = parse(body, &self.filter)?;
        store(service, &marks, now_ms).await?;
        let scheduler = self.scheduler.lock().unwrap_or_else(|e| e.into_inner()).upgrade();
        if !marks.is_empty()
            && let Some(s) = scheduler
        {
            s.soon("hubspot", self.debounce, now_ms);
        }
        Ok(received)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_decoding_follows_hubspots_table() {
        assert_eq!(decode_uri("https://x.io/a%3Ab%2Fc%3f%40%2a%2C%3B?q=%20"), "https://x.io/a:b/c?@*,;?q=%20");
        assert_eq!(decode_uri("100%"), "100%");
    }

    #[test]
    fn a_signature_checks_out_only_as_signed() {
        let body = br#"[{"objectId":1}]"#;
        let sig = sign_v3("s3cret", "POST", "https://x.io/h", body, "1000000");
        assert!(verify_v3("s3cret", "POST", "https://x.io/h", body, Some("1000000"), Some(&sig), 1_000_000).is_ok());
        let refused = |r: Result<(), WebhookError>| matches!(r, Err(WebhookError::Unauthorized(_)));
        assert!(refused(verify_v3("other", "POST", "https://x.io/h", body, Some("1000000"), Some(&sig), 1_000_000)));
        assert!(refused(verify_v3("s3cret", "POST", "https://x.io/h", b"[]", Some("1000000"), Some(&sig), 1_000_000)));
        assert!(refused(verify_v3("s3cret", "POST", "https://x.io/h", body, Some("1000000"), Some(&sig), 1_000_000 + MAX_AGE_MS + 1)));
        assert!(refused(verify_v3("s3cret", "POST", "https://x.io/h", body, None, Some(&sig), 1_000_000)));
        assert_eq!(origin_of("https://lr.example.com:8443/v1/crm/hubspot/webhooks?x=1"), "https://lr.example.com:8443");
    }

    #[test]
    fn the_latest_mark_decides_and_echoes_are_skipped() {
        let m = |id: &str, k, at, p: Option<(&str, &str)>| Mark {
            o: "contacts".into(),
            id: id.into(),
            k,
            at,
            p: p.map(|(a, b)| (a.to_string(), b.to_string())),
        };
        let pending = Pending {
            records: vec![],
            marks: vec![
                m("1", Change::Changed, 5, None),
                m("1", Change::Deleted, 6, None),
                m("2", Change::Deleted, 5, None),
                m("2", Change::Changed, 7, None),
                m("3", Change::Changed, 5, Some(("leadrank_score", "80"))),
                m("4", Change::Changed, 5, Some(("leadrank_score", "81"))),
            ],
        };
        let w: BTreeMap<String, String> = [("leadrank_score".to_string(), "80".to_string())].into();
        let todo = pending.todo("contacts", |id| if id == "3" || id == "4" { Some(&w) } else { None });
        assert_eq!(todo["1"], Todo::Delete);
        assert_eq!(todo["2"], Todo::Read { associations: false });
        assert_eq!(todo["3"], Todo::Skip, "leadrank's own write");
        assert_eq!(todo["4"], Todo::Read { associations: false }, "a person's value");
    }
}
