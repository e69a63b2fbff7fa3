//! The Segment-compatible intake under `/segment/v1`: `batch`, `identify`, `track`, `page`
//! and `group` as Segment's HTTP tracking API takes them, so that Segment's and RudderStack's
//! libraries and forwarders send here with only their host (and, for analytics-node, the
//! path) changed. The write key (HTTP basic auth user name, or `writeKey` in the body) is a
//! leadrank API key with the `ingest` scope. Messages are mapped by the `[segment]` section
//! of a mapping file (built-in: the `segment` preset) and go through
//! [`leadrank_service::segment::Intake`] (identity stitching). Limits are Segment's: 32 KB per
//! message, 500 KB per request. Nothing of a message is logged.

use std::marker::PhantomData;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use base64::Engine as _;
use jiff::Timestamp;
use leadrank_core::records::{account_from_pairs_all_errors, lead_from_pairs_all_errors};
use leadrank_mapping::segment::{SegmentMapping, TraitsBinding};
use leadrank_service::segment::{Call, CallOutcome, What};
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::body::JsonBytes;
use super::problem::responses::*;
use super::problem::{Problem, escape};
use super::{AppState, Caller, need, view};

/// Largest message (serialised JSON), in bytes: Segment's limit.
pub const MAX_MESSAGE_BYTES: usize = 32 * 1024;
/// Largest request, in bytes: Segment's batch limit.
pub const MAX_BATCH_BYTES: usize = 500 * 1024;
/// Longest `messageId`, `userId`, `anonymousId` or `groupId`, in bytes.
const MAX_ID_BYTES: usize = 256;

/// The Segment mapping in force, bound once.
pub struct SegmentSetup {
    mapping: &'static SegmentMapping,
    identify: TraitsBinding<'static>,
    group: TraitsBinding<'static>,
    intake: leadrank_service::segment::Intake,
}

impl SegmentSetup {
    /// Binds `mapping` (leaked once per server: it lives as long as the process).
    pub fn new(
        mapping: SegmentMapping,
        service: std::sync::Arc<leadrank_service::Service>,
    ) -> Result<Self, leadrank_mapping::MappingErrors> {
        let mapping: &'static SegmentMapping = Box::leak(Box::new(mapping));
        Ok(SegmentSetup {
            identify: SegmentMapping::bind(&mapping.identify)?,
            group: SegmentMapping::bind(&mapping.group)?,
            mapping,
            intake: leadrank_service::segment::Intake::new(service),
        })
    }
}

/// A batch of Segment messages (`identify`, `track`, `page`, `group`), as Segment's
/// libraries send it.
#[derive(serde::Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct SegmentBatch {
    /// The messages, each at most 32 KB; the request at most 500 KB.
    batch: Vec<SegmentMessage>,
    /// The write key, when not sent as the basic auth user name.
    #[serde(rename = "writeKey")]
    write_key: Option<String>,
    #[serde(rename = "sentAt")]
    sent_at: Option<String>,
}

/// One message of the Segment spec. Other members (`context`, `integrations`, ...) are
/// accepted and not read, except `context.page.url` for `page`.
#[derive(serde::Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct SegmentMessage {
    /// `identify`, `track`, `page` or `group` (implied by the route for single calls).
    #[serde(rename = "type")]
    kind: Option<String>,
    /// The idempotency key: a message sent twice counts once.
    #[serde(rename = "messageId")]
    message_id: String,
    /// The person: the lead id.
    #[serde(rename = "userId")]
    user_id: Option<String>,
    /// The anonymous visitor; linked to the person by any message carrying both ids.
    #[serde(rename = "anonymousId")]
    anonymous_id: Option<String>,
    /// When it happened (RFC 3339); else `originalTimestamp`, else the time received.
    timestamp: Option<String>,
    /// `track`: the event name (mapped to an event type).
    event: Option<String>,
    /// `page`: the page name.
    name: Option<String>,
    /// `track`, `page`: the event's properties (`url` is the page URL of `page`).
    #[schema(value_type = Option<Object>)]
    properties: Option<Map<String, Value>>,
    /// `identify`, `group`: traits, mapped to lead or account fields.
    #[schema(value_type = Option<Object>)]
    traits: Option<Map<String, Value>>,
    /// `group`: the account id.
    #[serde(rename = "groupId")]
    group_id: Option<String>,
}

/// What became of one message.
#[derive(Serialize, ToSchema)]
pub struct SegmentResult {
    /// Position in the batch (0 for a single call).
    index: usize,
    message_id: Option<String>,
    #[schema(value_type = String, example = "accepted")]
    outcome: CallOutcome,
    /// JSON pointer of the member at fault, when rejected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pointer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

/// The answer: Segment's `success`, the counts and one result per message.
#[derive(Serialize, ToSchema)]
pub struct SegmentAnswer {
    /// Always true on 200 (Segment's libraries read it); see `rejected` for bad messages.
    success: bool,
    /// Events stored and scored.
    accepted: usize,
    /// Leads or accounts created or updated.
    upserted: usize,
    /// Anonymous events held until their visitor is identified.
    held: usize,
    duplicates: usize,
    /// Accepted and not stored (events the mapping ignores, erased people).
    ignored: usize,
    rejected: usize,
    results: Vec<SegmentResult>,
}

/// The write key of a request, checked: an API key with the `ingest` scope, from HTTP basic
/// auth (the user name; the password is ignored), a bearer token, or the body's `writeKey`.
fn write_key(headers: &HeaderMap, body: &Value) -> Result<Option<String>, Problem> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let bad = || {
            let mut p = Problem::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Authorization: expected Basic <base64 of writeKey:> or Bearer <key>",
            );
            p.pointer = Some("/headers/authorization".into());
            p
        };
        let text = value.to_str().map_err(|_| bad())?;
        let (scheme, rest) = text.split_once(' ').ok_or_else(bad)?;
        if scheme.eq_ignore_ascii_case("basic") {
            let decoded = base64::engine::general_purpose::STANDARD.decode(rest.trim()).map_err(|_| bad())?;
            let decoded = String::from_utf8(decoded).map_err(|_| bad())?;
            let user = decoded.split_once(':').map_or(decoded.as_str(), |(u, _)| u);
            return Ok(Some(user.to_string()));
        }
        if scheme.eq_ignore_ascii_case("bearer") {
            return Ok(Some(rest.trim().to_string()));
        }
        return Err(bad());
    }
    Ok(body.get("writeKey").and_then(Value::as_str).map(str::to_string))
}

async fn caller(state: &AppState, headers: &HeaderMap, body: &Value) -> Result<Caller<need::Ingest>, Problem> {
    let unauthorized = |detail: &str| {
        let mut p = Problem::new(StatusCode::UNAUTHORIZED, "unauthorized", detail);
        p.pointer = Some("/headers/authorization".into());
        p
    };
    let Some(key) = write_key(headers, body)? else {
        return Err(unauthorized(
            "a write key is required: the API key as the basic auth user name (Segment's libraries do this), or writeKey in the body",
        ));
    };
    let key = match state.service.authenticate(&key).await {
        Ok(Some(key)) => key,
        Ok(None) => return Err(unauthorized("the write key is not a known, valid API key")),
        Err(e) => return Err(e.into()),
    };
    if !leadrank_service::keys::grants(&key, <need::Ingest as need::Need>::SCOPE) {
        return Err(Problem::new(StatusCode::FORBIDDEN, "forbidden", "this write key (API key) lacks the 'ingest' scope"));
    }
    Ok(Caller(key, PhantomData))
}

/// A rejected message: pointer (absolute) and reason.
type Bad = (String, String);

fn id_of(msg: &Map<String, Value>, name: &str, base: &str) -> Result<Option<String>, Bad> {
    match msg.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) if s.len() > MAX_ID_BYTES => Err((format!("{base}/{name}"), format!("at most {MAX_ID_BYTES} bytes"))),
        Some(Value::String(s)) if s.chars().any(char::is_control) => {
            Err((format!("{base}/{name}"), "control characters are not allowed".into()))
        }
        Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => Err((format!("{base}/{name}"), "expected a string".into())),
    }
}

fn object<'a>(msg: &'a Map<String, Value>, name: &str, base: &str) -> Result<Option<&'a Map<String, Value>>, Bad> {
    match msg.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(_) => Err((format!("{base}/{name}"), "expected an object".into())),
    }
}

fn time_of(msg: &Map<String, Value>, base: &str, now: Timestamp) -> Result<Timestamp, Bad> {
    for name in ["timestamp", "originalTimestamp"] {
        match msg.get(name) {
            None | Some(Value::Null) => continue,
            Some(Value::String(s)) => {
                return s
                    .trim()
                    .parse::<Timestamp>()
                    .map_err(|_| (format!("{base}/{name}"), "expected an ISO 8601 time with an offset, e.g. 2026-05-01T12:00:00Z".into()));
            }
            Some(_) => return Err((format!("{base}/{name}"), "expected an ISO 8601 time (a string)".into())),
        }
    }
    Ok(now)
}

/// The value at a trait path: the member named so, else a dotted path into objects.
fn trait_at<'a>(traits: &'a Map<String, Value>, path: &str) -> Option<(&'a Value, String)> {
    if let Some(v) = traits.get(path) {
        return Some((v, format!("/{}", escape(path))));
    }
    let mut parts = path.split('.');
    let mut current = traits.get(parts.next()?)?;
    let mut pointer = format!("/{}", escape(path.split('.').next().unwrap_or("")));
    for part in parts {
        current = current.as_object()?.get(part)?;
        pointer.push('/');
        pointer.push_str(&escape(part));
    }
    Some((current, pointer))
}

/// A trait's value as the text a cell would hold.
fn trait_text(v: &Value) -> Result<String, &'static str> {
    match v {
        Value::Null => Ok(String::new()),
        Value::String(s) => Ok(s.clone()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Array(items) => items
            .iter()
            .map(|i| match i {
                Value::String(s) if !s.contains(';') => Ok(s.clone()),
                Value::String(_) => Err("list items may not contain ';'"),
                _ => Err("expected a list of strings"),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|v| v.join(";")),
        Value::Object(_) => Err("expected a string, number, boolean or list, found an object"),
    }
}

/// (field, text) pairs.
type Pairs = Vec<(String, String)>;

/// Maps `traits` through `binding` into (field, text) pairs; every bad trait named.
fn mapped(binding: &TraitsBinding<'_>, traits: Option<&Map<String, Value>>, base: &str) -> Result<(Pairs, Pairs), Vec<Bad>> {
    let empty = Map::new();
    let traits = traits.unwrap_or(&empty);
    let mut bad = Vec::new();
    let mut pointers = Vec::new();
    let mut cells = Vec::with_capacity(binding.paths().len());
    for path in binding.paths() {
        match trait_at(traits, path) {
            Some((v, pointer)) => {
                match trait_text(v) {
                    Ok(t) => cells.push(t),
                    Err(why) => {
                        bad.push((format!("{base}/traits{pointer}"), why.to_string()));
                        cells.push(String::new());
                    }
                }
                pointers.push((path.clone(), format!("{base}/traits{pointer}")));
            }
            None => cells.push(String::new()),
        }
    }
    let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
    let out = binding.apply(&refs);
    let pointer_of = |path: &str| {
        pointers.iter().find(|(p, _)| p == path).map_or_else(|| format!("{base}/traits/{}", escape(path)), |(_, ptr)| ptr.clone())
    };
    for (_field, path, message) in &out.problems {
        bad.push((pointer_of(path), message.clone()));
    }
    if !bad.is_empty() {
        return Err(bad);
    }
    let sources: Vec<(String, String)> = out
        .fields
        .iter()
        .map(|(f, _)| (f.clone(), binding.source(f).map_or_else(|| format!("{base}/traits"), |p| pointer_of(&p))))
        .collect();
    Ok((out.fields, sources))
}

/// One message as a call, or every reason it is rejected (the first is reported).
fn call_of(setup: &SegmentSetup, value: &Value, implied: Option<&str>, base: &str, now: Timestamp) -> Result<Call, Vec<Bad>> {
    let one = |b: Bad| vec![b];
    let Value::Object(msg) = value else { return Err(one((base.to_string(), "expected a JSON object (a Segment message)".into()))) };
    if value.to_string().len() > MAX_MESSAGE_BYTES {
        return Err(one((base.to_string(), format!("the message is larger than {} KB (Segment's limit)", MAX_MESSAGE_BYTES / 1024))));
    }
    let kind = match (msg.get("type"), implied) {
        (Some(Value::String(t)), _) => t.as_str(),
        (None | Some(Value::Null), Some(t)) => t,
        (None | Some(Value::Null), None) => return Err(one((format!("{base}/type"), "missing: identify, track, page or group".into()))),
        (Some(_), _) => return Err(one((format!("{base}/type"), "expected a string".into()))),
    };
    if let Some(route) = implied.filter(|r| *r != kind) {
        return Err(one((format!("{base}/type"), format!("'{kind}' sent to the {route} route"))));
    }
    let message_id = id_of(msg, "messageId", base)
        .map_err(one)?
        .ok_or_else(|| one((format!("{base}/messageId"), "missing: every message needs a messageId (its idempotency key)".into())))?;
    let user_id = id_of(msg, "userId", base).map_err(one)?;
    let anonymous_id = id_of(msg, "anonymousId", base).map_err(one)?;
    if user_id.is_none() && anonymous_id.is_none() {
        return Err(one((format!("{base}/userId"), "a message needs a userId or an anonymousId".into())));
    }
    let what = match kind {
        "track" | "page" => {
            let properties = object(msg, "properties", base).map_err(one)?.cloned();
            let occurred_at = time_of(msg, base, now).map_err(one)?;
            let (event_type, url) = if kind == "track" {
                let name = match msg.get("event") {
                    Some(Value::String(s)) if !s.trim().is_empty() => s,
                    Some(Value::String(_)) | None | Some(Value::Null) => {
                        return Err(one((format!("{base}/event"), "missing: a track call names its event".into())));
                    }
                    Some(_) => return Err(one((format!("{base}/event"), "expected a string".into()))),
                };
                let url = properties.as_ref().and_then(|p| p.get("url")).and_then(Value::as_str).map(str::to_string);
                (setup.mapping.track_type(name), url)
            } else {
                let context_url = msg.get("context").and_then(|c| c.get("page")).and_then(|p| p.get("url")).and_then(Value::as_str);
                let url = properties.as_ref().and_then(|p| p.get("url")).and_then(Value::as_str).or(context_url).map(str::to_string);
                (Some(setup.mapping.page_event.clone()), url)
            };
            What::Event { event_type, occurred_at, url, properties }
        }
        "identify" => {
            let traits = object(msg, "traits", base).map_err(one)?;
            let (fields, sources) = mapped(&setup.identify, traits, base)?;
            // The lead id is checked as any lead id; the person's own id replaces it.
            let id = user_id.clone().unwrap_or_else(|| "anonymous".into());
            let pairs = std::iter::once(("lead_id", id.as_str())).chain(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            let lead = lead_from_pairs_all_errors(pairs).map_err(|errors| {
                errors
                    .0
                    .into_iter()
                    .map(|e| {
                        let pointer = if e.field == "lead_id" {
                            format!("{base}/userId")
                        } else {
                            sources.iter().find(|(f, _)| *f == e.field).map_or_else(|| format!("{base}/traits"), |(_, p)| p.clone())
                        };
                        (pointer, e.error.to_string())
                    })
                    .collect::<Vec<_>>()
            })?;
            What::Identify(Box::new(lead))
        }
        "group" => {
            let group_id = id_of(msg, "groupId", base)
                .map_err(one)?
                .ok_or_else(|| one((format!("{base}/groupId"), "missing: a group call names its groupId (the account id)".into())))?;
            let traits = object(msg, "traits", base).map_err(one)?;
            let (fields, sources) = mapped(&setup.group, traits, base)?;
            let pairs = std::iter::once(("account_id", group_id.as_str())).chain(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            let account = account_from_pairs_all_errors(pairs).map_err(|errors| {
                errors
                    .0
                    .into_iter()
                    .map(|e| {
                        let pointer = if e.field == "account_id" {
                            format!("{base}/groupId")
                        } else {
                            sources.iter().find(|(f, _)| *f == e.field).map_or_else(|| format!("{base}/traits"), |(_, p)| p.clone())
                        };
                        (pointer, e.error.to_string())
                    })
                    .collect::<Vec<_>>()
            })?;
            What::Group(Box::new(account))
        }
        "screen" | "alias" => {
            return Err(one((format!("{base}/type"), format!("'{kind}' calls are not taken here (identify, track, page, group)"))));
        }
        other => {
            return Err(one((
                format!("{base}/type"),
                format!("'{}' is not a Segment call (identify, track, page, group)", other.chars().take(40).collect::<String>()),
            )));
        }
    };
    Ok(Call { message_id, user_id, anonymous_id, what })
}

/// Parses, maps and ingests `messages` (`implied`: the call type of a single-call route).
async fn intake(state: &AppState, headers: &HeaderMap, bytes: &[u8], implied: Option<&str>) -> Result<Response, Problem> {
    let body: Value =
        serde_json::from_slice(bytes).map_err(|e| Problem::field("invalid_body", "", format!("the body is not JSON: {e}")))?;
    let _caller = caller(state, headers, &body).await?;
    let (messages, prefix): (Vec<&Value>, &str) = match implied {
        None => match body.get("batch") {
            Some(Value::Array(items)) if items.is_empty() => return Err(Problem::field("empty_batch", "/batch", "batch is empty")),
            Some(Value::Array(items)) => (items.iter().collect(), "/batch"),
            Some(_) => return Err(Problem::field("invalid_body", "/batch", "expected a list of messages")),
            None => return Err(Problem::field("invalid_body", "/batch", "missing: a batch request has a batch list")),
        },
        Some(_) => (vec![&body], ""),
    };
    let Some(setup) = state.segment.as_ref() else {
        return Err(Problem::new(StatusCode::SERVICE_UNAVAILABLE, "not_configured", "the Segment intake is not set up on this server"));
    };
    let now = state.service.clock.now();
    let mut results: Vec<SegmentResult> = Vec::with_capacity(messages.len());
    let mut calls = Vec::new();
    let mut slots = Vec::new();
    for (i, m) in messages.iter().enumerate() {
        let base = if implied.is_some() { String::new() } else { format!("{prefix}/{i}") };
        let message_id = m.get("messageId").and_then(Value::as_str).map(|s| s.chars().take(MAX_ID_BYTES).collect());
        match call_of(setup, m, implied, &base, now) {
            Ok(call) => {
                slots.push(results.len());
                calls.push(call);
                results.push(SegmentResult { index: i, message_id, outcome: CallOutcome::Accepted, pointer: None, reason: None });
            }
            Err(mut bad) => {
                let (pointer, reason) = bad.swap_remove(0);
                let more = if bad.is_empty() { String::new() } else { format!(" (and {} more)", bad.len()) };
                results.push(SegmentResult {
                    index: i,
                    message_id,
                    outcome: CallOutcome::Rejected,
                    pointer: Some(pointer),
                    reason: Some(format!("{reason}{more}")),
                });
            }
        }
    }
    // A single call that is wrong is the request's fault: 400 with the pointer.
    if implied.is_some()
        && let Some(r) = results.first().filter(|r| r.outcome == CallOutcome::Rejected)
    {
        return Err(Problem::field("invalid_message", r.pointer.clone().unwrap_or_default(), r.reason.clone().unwrap_or_default()));
    }
    let outcomes = if calls.is_empty() { Vec::new() } else { setup.intake.ingest(calls).await? };
    for (slot, (outcome, why)) in slots.into_iter().zip(outcomes) {
        let r = &mut results[slot];
        if let Some(why) = why {
            let (member, reason) = why.split_once(": ").map_or(("", why.as_str()), |(m, r)| (m, r));
            let base = if implied.is_some() { String::new() } else { format!("{prefix}/{}", r.index) };
            r.pointer = Some(if member.is_empty() || member.contains(' ') { base } else { format!("{base}/{member}") });
            r.reason = Some(reason.to_string());
        }
        r.outcome = outcome;
    }
    let count = |o: &[CallOutcome]| results.iter().filter(|r| o.contains(&r.outcome)).count();
    let answer = SegmentAnswer {
        success: true,
        accepted: count(&[CallOutcome::Accepted]),
        upserted: count(&[CallOutcome::Created, CallOutcome::Updated]),
        held: count(&[CallOutcome::Held]),
        duplicates: count(&[CallOutcome::Duplicate]),
        ignored: count(&[CallOutcome::Ignored, CallOutcome::Suppressed]),
        rejected: count(&[CallOutcome::Rejected]),
        results,
    };
    Ok(view(answer))
}

macro_rules! segment_route {
    ($fn:ident, $path:literal, $op:literal, $kind:expr, $body:ty, $summary:literal) => {
        #[doc = $summary]
        #[utoipa::path(
            post,
            path = $path,
            tag = "segment",
            operation_id = $op,
            request_body(content = $body, content_type = "application/json"),
            responses(
                (status = 200, description = "One result per message, in order (bad messages are rejected one by one, each with the JSON pointer of the member at fault); Segment's `success` is true.", body = SegmentAnswer),
                (status = 400, response = BadRequest),
                (status = 401, response = Unauthorized),
                (status = 403, response = Forbidden),
                (status = 413, response = PayloadTooLarge),
                (status = 415, response = UnsupportedMediaType),
                (status = 429, response = TooManyRequests),
                (status = 500, response = InternalError),
                (status = 503, response = ServiceUnavailable)
            ),
            security(("writeKey" = []), ("apiKey" = ["ingest"]))
        )]
        pub async fn $fn(State(state): State<AppState>, headers: HeaderMap, JsonBytes(bytes): JsonBytes) -> Result<Response, Problem> {
            intake(&state, &headers, &bytes, $kind).await
        }
    };
}

segment_route!(
    batch,
    "/segment/v1/batch",
    "segmentBatch",
    None,
    SegmentBatch,
    "`POST /segment/v1/batch`: up to 500 KB of Segment messages."
);
segment_route!(
    identify,
    "/segment/v1/identify",
    "segmentIdentify",
    Some("identify"),
    SegmentMessage,
    "`POST /segment/v1/identify`: one identify call."
);
segment_route!(track, "/segment/v1/track", "segmentTrack", Some("track"), SegmentMessage, "`POST /segment/v1/track`: one track call.");
segment_route!(page, "/segment/v1/page", "segmentPage", Some("page"), SegmentMessage, "`POST /segment/v1/page`: one page call.");
segment_route!(group, "/segment/v1/group", "segmentGroup", Some("group"), SegmentMessage, "`POST /segment/v1/group`: one group call.");
