//! HubSpot engagement events read as leadrank events, each kind from its own stored cursor:
//!
//! * **meetings** (`objects` entry `"meetings"`): `POST /crm/v3/objects/meetings/search` by
//!   `hs_lastmodifieddate` (paged as the CRM objects are), and per page the contacts of each
//!   meeting (`POST /crm/v4/associations/meetings/contacts/batch/read`): one `meeting_booked`
//!   event per meeting and associated contact, at the meeting's creation (when it was booked),
//!   with the id `hubspot-meeting-{meeting}-{contact}`.
//! * **marketing e-mail events** (`"email_events"`): `GET /email/public/v1/events` once per
//!   type read (`CLICK` -> `email_click`, `BOUNCE` -> `email_bounce`), `startTimestamp` at the
//!   type's cursor, `excludeFilteredEvents=true` (HubSpot's bot clicks left out), 1,000 a page
//!   through `offset` while `hasMore`; the id `hubspot-email-{event id}`. The recipient's
//!   e-mail address names the lead.
//! * **form submissions** (`"form_submissions"`): the forms (`GET /marketing/v3/forms/`, paged
//!   by `after`), then per form `GET /form-integrations/v1/submissions/forms/{formGuid}`
//!   (newest first, 50 a page) down to the form's cursor: one `form_submit` per submission,
//!   the id `hubspot-form-{conversionId}`; the submission's `email` field names the lead.
//!
//! An event id is derived from HubSpot's ids, so an event read again (a run after a stop, a
//! meeting changed later) is a duplicate the service counts once. Events whose person is not
//! a lead in leadrank are counted and listed as skipped. Each cursor keeps the ids read at its
//! very time, so the next run skips them instead of reading them again. A cursor moves after
//! each page of meetings, and when the whole of one e-mail event type or one form was read
//! (their pages come newest first, so a stop in between reads them again from the cursor).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use leadrank_core::records::Event;
use leadrank_service::{Outcome, Service};
use serde_json::{Map, Value, json};

use crate::client::{HubSpotClient, Purpose, SyncError, percent_encode};
use crate::hubspot::{Plan, ReadReport, SyncOptions, page_records};
use crate::state::{Boundary, State};

/// The engagement kinds of `objects`, in the order they are read.
pub const EVENT_OBJECTS: [&str; 3] = ["meetings", "email_events", "form_submissions"];
/// The meeting properties read (kept on the event: outcome and start time).
pub const MEETING_PROPERTIES: [&str; 4] = ["hs_lastmodifieddate", "hs_meeting_outcome", "hs_meeting_start_time", "hs_timestamp"];
/// The marketing e-mail event types read, and the leadrank event each becomes.
pub const EMAIL_EVENT_TYPES: [(&str, &str); 2] = [("CLICK", "email_click"), ("BOUNCE", "email_bounce")];
/// E-mail events per page (the Email Events API's most).
pub const EMAIL_EVENTS_PAGE: usize = 1_000;
/// Forms per page of the forms list.
pub const FORMS_PAGE: usize = 100;
/// Submissions per page (the submissions API's most).
pub const SUBMISSIONS_PAGE: usize = 50;

/// Whether `objects` asks for any engagement kind.
pub fn wanted(plan: &Plan) -> bool {
    plan.hubspot.objects.iter().any(|o| EVENT_OBJECTS.contains(&o.as_str()))
}

/// Reads every engagement kind `objects` names; each kind's report is in `reads` even when
/// the kind stopped part way.
pub(crate) async fn read(
    service: &Service,
    plan: &Plan,
    client: &HubSpotClient,
    options: &SyncOptions,
    state: &State,
    reads: &mut Vec<ReadReport>,
) -> Result<(), SyncError> {
    if !wanted(plan) {
        return Ok(());
    }
    let has = |o: &str| plan.hubspot.objects.iter().any(|x| x == o);
    let cursors = state.boundaries(service).await?;
    let ctx = Ctx { service, client, dry: options.dry_run, state, cursors: &cursors };
    if has("meetings") {
        let mut r = report("meetings");
        let res = meetings(&ctx, plan.hubspot.page_size, &mut r).await;
        reads.push(r);
        res?;
    }
    if has("email_events") {
        for (hubspot_type, kind) in EMAIL_EVENT_TYPES {
            let mut r = report(&format!("email_events {hubspot_type}"));
            let res = email_events(&ctx, hubspot_type, kind, &mut r).await;
            reads.push(r);
            res?;
        }
    }
    if has("form_submissions") {
        let mut r = report("form_submissions");
        let res = form_submissions(&ctx, &mut r).await;
        reads.push(r);
        res?;
    }
    Ok(())
}

struct Ctx<'a> {
    service: &'a Service,
    client: &'a HubSpotClient,
    dry: bool,
    state: &'a State,
    cursors: &'a BTreeMap<String, Boundary>,
}

impl Ctx<'_> {
    fn cursor(&self, key: &str) -> Boundary {
        self.cursors.get(key).cloned().unwrap_or_default()
    }

    async fn save(&self, key: &str, since_ms: i64, at: impl IntoIterator<Item = String>) -> Result<(), SyncError> {
        if self.dry {
            return Ok(());
        }
        let mut at: Vec<String> = at.into_iter().collect();
        at.sort();
        at.dedup();
        self.state.save_boundary(self.service, key, &Boundary { since_ms, at }).await?;
        Ok(())
    }

    /// Hands events to the service (a dry run only counts them) and counts each outcome:
    /// new (`created`), already held (`unchanged`), erased person (`suppressed`), refused
    /// (`rejected`, with the event's label).
    async fn ingest(&self, events: Vec<(String, Event)>, r: &mut ReadReport) -> Result<(), SyncError> {
        if events.is_empty() {
            return Ok(());
        }
        if self.dry {
            r.updated += events.len() as u64;
            return Ok(());
        }
        let (labels, events): (Vec<String>, Vec<Event>) = events.into_iter().unzip();
        for ((outcome, why), label) in self.service.ingest_events(events).await?.into_iter().zip(labels) {
            match outcome {
                Outcome::Duplicate => r.unchanged += 1,
                Outcome::Suppressed => r.suppressed += 1,
                Outcome::Rejected => r.rejected.push(format!("{label}: {}", why.unwrap_or_default())),
                _ => r.created += 1,
            }
        }
        Ok(())
    }
}

fn report(object: &str) -> ReadReport {
    ReadReport { object: object.into(), events: true, ..ReadReport::default() }
}

fn at_ms(ms: i64) -> Option<jiff::Timestamp> {
    jiff::Timestamp::from_millisecond(ms).ok()
}

fn parse_time(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse::<i64>().ok().or_else(|| s.parse::<jiff::Timestamp>().ok().map(|t| t.as_millisecond())),
        _ => None,
    }
}

fn props(pairs: &[(&str, Value)]) -> Option<Map<String, Value>> {
    Some(pairs.iter().filter(|(_, v)| !v.is_null() && v.as_str() != Some("")).map(|(k, v)| (k.to_string(), v.clone())).collect())
}

async fn meetings(ctx: &Ctx<'_>, page_size: u32, r: &mut ReadReport) -> Result<(), SyncError> {
    let key = "meetings";
    let stored = ctx.cursor(key);
    let mut since = stored.since_ms;
    let mut at_since: HashSet<String> = stored.at.into_iter().collect();
    r.cursor_ms = since;
    let mut after: Option<String> = None;
    let path = "/crm/v3/objects/meetings/search";
    loop {
        let mut body = json!({
            "filterGroups": [{"filters": [{"propertyName": "hs_lastmodifieddate", "operator": "GTE", "value": since.to_string()}]}],
            "sorts": [{"propertyName": "hs_lastmodifieddate", "direction": "ASCENDING"}],
            "properties": MEETING_PROPERTIES,
            "limit": page_size,
        });
        if let Some(a) = &after {
            body["after"] = json!(a);
        }
        let answer = ctx.client.post(path, &body, Purpose::Read).await?;
        let (found, more) = page_records(&answer.body, "meetings", path)?;
        // When each meeting was created (booked).
        let created: BTreeMap<&str, i64> = answer
            .body
            .get("results")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|m| Some((m.get("id")?.as_str()?, parse_time(m.get("createdAt")?)?)))
            .collect();
        let last_ms = found.iter().map(|f| f.modified_ms).max().unwrap_or(since);
        let fresh: Vec<_> = found.iter().filter(|f| !(f.modified_ms == since && at_since.contains(&f.id))).collect();
        let contacts = associations(ctx.client, "meetings", "contacts", fresh.iter().map(|f| f.id.as_str())).await?;
        let mut events = Vec::new();
        for f in &fresh {
            r.read += 1;
            let Some(booked) = created.get(f.id.as_str()).copied().and_then(at_ms) else {
                r.rejected.push(format!("meetings {}: createdAt: missing or not a time", f.id));
                continue;
            };
            let linked = contacts.get(&f.id).map(Vec::as_slice).unwrap_or_default();
            if linked.is_empty() {
                r.skipped.push(format!("meetings {}: no associated contact", f.id));
            }
            let prop = |k: &str| f.properties.get(k).map_or(Value::Null, |v| Value::String(v.clone()));
            for contact in linked {
                if ctx.service.lead_record(contact).is_none() {
                    if ctx.service.lead_erased(contact) {
                        r.suppressed += 1;
                    } else {
                        r.skipped.push(format!("meetings {}: contact {contact}: not a lead in leadrank", f.id));
                    }
                    continue;
                }
                let event = Event {
                    event_id: format!("hubspot-meeting-{}-{contact}", f.id),
                    lead_id: contact.clone(),
                    event_type: "meeting_booked".into(),
                    occurred_at: booked,
                    url: None,
                    properties: props(&[
                        ("source", json!("hubspot")),
                        ("meeting_id", json!(f.id)),
                        ("outcome", prop("hs_meeting_outcome")),
                        ("start_time", prop("hs_meeting_start_time")),
                    ]),
                };
                events.push((format!("meetings {} contact {contact}", f.id), event));
            }
        }
        ctx.ingest(events, r).await?;
        // The cursor moves as for the CRM objects.
        crate::hubspot::advance_cursor(&mut since, &mut at_since, &mut after, last_ms, &found, &answer.body);
        ctx.save(key, since, at_since.iter().cloned()).await?;
        r.cursor_ms = since;
        if !more || found.is_empty() {
            break;
        }
    }
    Ok(())
}

/// Every record of type `to` associated with each of `ids`, in HubSpot's order, read in
/// batches of at most 1,000.
async fn associations<'a>(
    client: &HubSpotClient,
    from: &str,
    to: &str,
    ids: impl Iterator<Item = &'a str>,
) -> Result<BTreeMap<String, Vec<String>>, SyncError> {
    let ids: Vec<&str> = ids.collect();
    let path = format!("/crm/v4/associations/{from}/{to}/batch/read");
    let mut all: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for chunk in ids.chunks(crate::hubspot::ASSOCIATION_BATCH) {
        let inputs: Vec<Value> = chunk.iter().map(|id| json!({ "id": id })).collect();
        let answer = client.post(&path, &json!({ "inputs": inputs }), Purpose::Read).await?;
        let bad = |d: &str| SyncError::Protocol { path: path.clone(), detail: d.into() };
        let results = answer.body.get("results").and_then(Value::as_array).ok_or_else(|| bad("no results array"))?;
        for res in results {
            let id = res.pointer("/from/id").and_then(Value::as_str).ok_or_else(|| bad("a result without from.id"))?;
            let linked = all.entry(id.to_string()).or_default();
            for t in res.get("to").and_then(Value::as_array).into_iter().flatten() {
                let to_id = t.get("toObjectId").and_then(|v| v.as_u64().map(|n| n.to_string()).or_else(|| v.as_str().map(str::to_string)));
                if let Some(to_id) = to_id
                    && !linked.contains(&to_id)
                {
                    linked.push(to_id);
                }
            }
        }
    }
    Ok(all)
}

/// One e-mail event or form submission as read, before its lead is known.
struct Read {
    id: String,
    at_ms: i64,
    email: String,
    url: Option<String>,
    properties: Vec<(&'static str, Value)>,
}

/// The events of `read` whose address is a lead's; the others listed as skipped.
fn to_events(ctx: &Ctx<'_>, read: Vec<Read>, object: &str, kind: &str, prefix: &str, r: &mut ReadReport) -> Vec<(String, Event)> {
    let leads = ctx.service.crm_leads_by_email(read.iter().map(|e| e.email.as_str()).filter(|e| !e.is_empty()));
    let mut out = Vec::with_capacity(read.len());
    for e in read {
        let label = format!("{object} {}", e.id);
        let Some(occurred_at) = at_ms(e.at_ms) else {
            r.rejected.push(format!("{label}: time: {} is not a time", e.at_ms));
            continue;
        };
        // The address itself is personal data: the report names the event only.
        let Some(lead) = leads.get(&e.email) else {
            let why = if e.email.is_empty() { "no e-mail address" } else { "no lead in leadrank has its e-mail address" };
            r.skipped.push(format!("{label}: {why}"));
            continue;
        };
        let mut properties = vec![("source", json!("hubspot"))];
        properties.extend(e.properties);
        let event = Event {
            event_id: format!("{prefix}{}", e.id),
            lead_id: lead.clone(),
            event_type: kind.into(),
            occurred_at,
            url: e.url.filter(|u| !u.is_empty()),
            properties: props(&properties),
        };
        out.push((label, event));
    }
    out
}

async fn email_events(ctx: &Ctx<'_>, hubspot_type: &str, kind: &str, r: &mut ReadReport) -> Result<(), SyncError> {
    let key = format!("email_events.{hubspot_type}");
    let object = format!("email_events {hubspot_type}");
    let stored = ctx.cursor(&key);
    let since = stored.since_ms;
    let done_before: HashSet<String> = stored.at.iter().cloned().collect();
    r.cursor_ms = since;
    // The newest time read, and the events at it.
    let mut newest = since;
    let mut at_newest: BTreeSet<String> = stored.at.into_iter().collect();
    let base = "/email/public/v1/events";
    let mut offset: Option<String> = None;
    loop {
        let mut path =
            format!("{base}?eventType={hubspot_type}&startTimestamp={since}&excludeFilteredEvents=true&limit={EMAIL_EVENTS_PAGE}");
        if let Some(o) = &offset {
            path.push_str(&format!("&offset={}", percent_encode(o)));
        }
        let answer = ctx.client.get(&path, Purpose::Read).await?;
        let bad = |d: &str| SyncError::Protocol { path: base.into(), detail: d.into() };
        let events = answer.body.get("events").and_then(Value::as_array).ok_or_else(|| bad("no events array"))?;
        let mut read = Vec::with_capacity(events.len());
        for e in events {
            let id = e.get("id").and_then(Value::as_str).ok_or_else(|| bad("an event without an id"))?;
            let created = e.get("created").and_then(parse_time).ok_or_else(|| bad("an event without a created time"))?;
            if e.get("type").and_then(Value::as_str) != Some(hubspot_type) || (created == since && done_before.contains(id)) {
                continue;
            }
            r.read += 1;
            if created > newest {
                newest = created;
                at_newest.clear();
            }
            if created == newest {
                at_newest.insert(id.to_string());
            }
            let mut properties = vec![("email_campaign_id", e.get("emailCampaignId").cloned().unwrap_or(Value::Null))];
            if hubspot_type == "BOUNCE" {
                properties.push(("bounce_category", e.get("category").cloned().unwrap_or(Value::Null)));
            }
            read.push(Read {
                id: id.to_string(),
                at_ms: created,
                email: e.get("recipient").and_then(Value::as_str).unwrap_or("").to_string(),
                url: e.get("url").and_then(Value::as_str).map(str::to_string),
                properties,
            });
        }
        let batch = to_events(ctx, read, &object, kind, "hubspot-email-", r);
        ctx.ingest(batch, r).await?;
        let more = answer.body.get("hasMore").and_then(Value::as_bool).unwrap_or(false);
        if !more || events.is_empty() {
            break;
        }
        offset = Some(answer.body.get("offset").and_then(Value::as_str).ok_or_else(|| bad("hasMore without an offset"))?.to_string());
    }
    ctx.save(&key, newest, at_newest).await?;
    r.cursor_ms = newest;
    Ok(())
}

async fn form_submissions(ctx: &Ctx<'_>, r: &mut ReadReport) -> Result<(), SyncError> {
    // The forms.
    let mut forms: Vec<String> = Vec::new();
    let mut after: Option<String> = None;
    let list = "/marketing/v3/forms/";
    loop {
        let mut path = format!("{list}?limit={FORMS_PAGE}");
        if let Some(a) = &after {
            path.push_str(&format!("&after={}", percent_encode(a)));
        }
        let answer = ctx.client.get(&path, Purpose::Read).await?;
        let bad = |d: &str| SyncError::Protocol { path: list.into(), detail: d.into() };
        let results = answer.body.get("results").and_then(Value::as_array).ok_or_else(|| bad("no results array"))?;
        for f in results {
            forms.push(f.get("id").and_then(Value::as_str).ok_or_else(|| bad("a form without an id"))?.to_string());
        }
        after = answer.body.pointer("/paging/next/after").and_then(Value::as_str).map(str::to_string);
        if after.is_none() || results.is_empty() {
            break;
        }
    }
    let mut oldest_cursor: Option<i64> = None;
    for guid in forms {
        let key = format!("form_submissions.{guid}");
        let stored = ctx.cursor(&key);
        let since = stored.since_ms;
        let done_before: HashSet<String> = stored.at.iter().cloned().collect();
        let mut newest = since;
        let mut at_newest: BTreeSet<String> = stored.at.into_iter().collect();
        let base = format!("/form-integrations/v1/submissions/forms/{guid}");
        let mut after: Option<String> = None;
        let mut gone = false;
        loop {
            let mut path = format!("{base}?limit={SUBMISSIONS_PAGE}");
            if let Some(a) = &after {
                path.push_str(&format!("&after={}", percent_encode(a)));
            }
            let answer = match ctx.client.get(&path, Purpose::Read).await {
                Ok(a) => a,
                // Deleted since the list was read.
                Err(SyncError::Api { status: 404, .. }) => {
                    r.skipped.push(format!("form_submissions {guid}: the form no longer exists"));
                    gone = true;
                    break;
                }
                Err(e) => return Err(e),
            };
            let bad = |d: &str| SyncError::Protocol { path: base.clone(), detail: d.into() };
            let results = answer.body.get("results").and_then(Value::as_array).ok_or_else(|| bad("no results array"))?;
            let mut reached = false;
            let mut read = Vec::with_capacity(results.len());
            for s in results {
                let id = s.get("conversionId").and_then(Value::as_str).ok_or_else(|| bad("a submission without a conversionId"))?;
                let at = s.get("submittedAt").and_then(parse_time).ok_or_else(|| bad("a submission without submittedAt"))?;
                // Newest first: from here on, read by an earlier run.
                if at < since {
                    reached = true;
                    break;
                }
                if at == since && done_before.contains(id) {
                    continue;
                }
                r.read += 1;
                if at > newest {
                    newest = at;
                    at_newest.clear();
                }
                if at == newest {
                    at_newest.insert(id.to_string());
                }
                let email = s
                    .get("values")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .find(|v| v.get("name").and_then(Value::as_str).is_some_and(|n| n.eq_ignore_ascii_case("email")))
                    .and_then(|v| v.get("value").and_then(Value::as_str))
                    .unwrap_or("")
                    .to_string();
                read.push(Read {
                    id: id.to_string(),
                    at_ms: at,
                    email,
                    url: s.get("pageUrl").and_then(Value::as_str).map(str::to_string),
                    properties: vec![("form_id", json!(guid))],
                });
            }
            let batch = to_events(ctx, read, "form_submissions", "form_submit", "hubspot-form-", r);
            ctx.ingest(batch, r).await?;
            after = answer.body.pointer("/paging/next/after").and_then(Value::as_str).map(str::to_string);
            if reached || after.is_none() || results.is_empty() {
                break;
            }
        }
        if !gone {
            ctx.save(&key, newest, at_newest).await?;
            oldest_cursor = Some(oldest_cursor.map_or(newest, |o: i64| o.min(newest)));
        }
    }
    r.cursor_ms = oldest_cursor.unwrap_or(0);
    Ok(())
}
