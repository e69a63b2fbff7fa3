//! The Salesforce connector: one sync run (REST API; tested against the fake Salesforce of
//! `leadrank-crm-fakes`, not a live org).
//!
//! 1. `--install-fields`: custom fields cannot be created through REST (that is the
//!    Metadata API), so the run describes each field for an admin and checks with `GET
//!    /sobjects/{Lead,Contact}/describe` which exist; while some are missing it reads but
//!    writes nothing back.
//! 2. Read, per object (Accounts, Leads, Contacts, Opportunities, Campaign Members), the records whose `SystemModstamp` is
//!    after the cursor: `GET /query?q=SELECT ... WHERE SystemModstamp > T ORDER BY
//!    SystemModstamp, Id LIMIT n`, batches followed through `nextRecordsUrl`. A query that
//!    returns its `LIMIT` is asked again from the last (time, id) read (`SystemModstamp > T
//!    OR (SystemModstamp = T AND Id > 'X')`), so ties are neither skipped nor read twice. A
//!    run starts one second before the stored cursor: Salesforce keeps whole seconds, and a
//!    record changed in the cursor's second after the last run read it is read again.
//!    Each batch is mapped, the changed records go to the service, then the cursor is stored.
//!    Campaign members who responded become events (the member id is the event id, so a
//!    member read again is a duplicate); a first load of a large object may go through a
//!    Bulk API 2.0 query job instead ([`bulk`]).
//! 3. Write back: every lead and contact known is planned like HubSpot's contacts
//!    ([`leadrank_crm::plan`]); the changes go out in `PATCH /composite/sobjects` calls of
//!    at most 200 records (`allOrNone: false`); per record, a failure is retried by the next
//!    run and a record that is gone (`ENTITY_IS_DELETED`, `INVALID_CROSS_REFERENCE_KEY`, a
//!    converted lead) is forgotten.

use std::collections::BTreeMap;
use std::path::Path;

use leadrank_core::records::{Event, event_from_pairs_all_errors};
use leadrank_crm::calls::batches;
use leadrank_crm::config::{SalesforceConfig, SyncConfig};
use leadrank_crm::fields::{CrmField, Shape, cleared, desired};
use leadrank_crm::plan::Rules;
use leadrank_crm::salesforce::{
    COMPOSITE_MAX, LONG_TEXT_LENGTH, OBJECTS, RecordError, SfValue, TEXT_LENGTH, field_name, field_specs, normalize, record_error,
    render_specs, sobject_of, soql, to_value,
};
use leadrank_mapping::{Kind, Mapping, Presence};
use leadrank_service::{Outcome, Service};
use serde_json::{Value, json};

use crate::client::{ClientOptions, CrmClient, Purpose, SyncError};
use crate::hubspot::{
    Mapped, ReadReport, SyncOptions, SyncReport, load_mapping_from, map_outcome, map_record, plan_writes, send, source_columns,
};
use crate::state::{RecordState, State};

mod bulk;

const LEADS_PRESET: &str = include_str!("../mappings/salesforce-api-leads.toml");
const CONTACTS_PRESET: &str = include_str!("../mappings/salesforce-api-contacts.toml");
const ACCOUNTS_PRESET: &str = include_str!("../mappings/salesforce-api-accounts.toml");
const OPPORTUNITIES_PRESET: &str = include_str!("../mappings/salesforce-api-opportunities.toml");
const CAMPAIGN_MEMBERS_PRESET: &str = include_str!("../mappings/salesforce-api-campaign-members.toml");
const PRESETS: [(&str, &str); 5] = [
    ("salesforce-api-leads", LEADS_PRESET),
    ("salesforce-api-contacts", CONTACTS_PRESET),
    ("salesforce-api-accounts", ACCOUNTS_PRESET),
    ("salesforce-api-opportunities", OPPORTUNITIES_PRESET),
    ("salesforce-api-campaign-members", CAMPAIGN_MEMBERS_PRESET),
];

/// A run reads again from this long before the stored cursor (Salesforce's times are whole
/// seconds).
const OVERLAP_MS: i64 = 1_000;

/// One object read: its sync-file name, sObject, mapping, and what its records become
/// (leads, accounts or outcomes).
struct Source {
    name: &'static str,
    sobject: &'static str,
    mapping: Mapping,
    kind: Kind,
    leads: bool,
}

/// The connector's settings resolved from the sync file.
pub struct Plan {
    pub salesforce: SalesforceConfig,
    sources: Vec<Source>,
    shape: Shape,
    rules: Rules,
    writeback: bool,
    /// The first wait before asking whether a query job is done (doubling, at most 30 s).
    bulk_poll: std::time::Duration,
}

impl Plan {
    /// Resolves the sync file's Salesforce settings (reads mapping files named in it).
    pub fn new(cfg: &SyncConfig, config_dir: &Path) -> anyhow::Result<Plan> {
        let salesforce = cfg.salesforce.clone().ok_or_else(|| anyhow::anyhow!("{}: no [salesforce] table", cfg.file))?;
        let mut sources = Vec::new();
        for (name, sobject) in OBJECTS {
            if !salesforce.objects.iter().any(|o| o == name) {
                continue;
            }
            let kind = match name {
                "accounts" => Kind::Accounts,
                "opportunities" => Kind::Outcomes,
                "campaign_members" => Kind::Events,
                _ => Kind::Leads,
            };
            let default = format!("salesforce-api-{}", name.replace('_', "-"));
            let mapping = load_mapping_from(salesforce.mappings.get(name), &default, &PRESETS, kind, config_dir)?;
            sources.push(Source { name, sobject, mapping, kind, leads: kind == Kind::Leads });
        }
        let w = &cfg.writeback;
        let shape = Shape {
            prefix: String::new(),
            fields: w.fields.clone(),
            top_reasons: w.top_reasons,
            text_limit: w.text_limit.unwrap_or(LONG_TEXT_LENGTH).min(LONG_TEXT_LENGTH),
        };
        let mut rules = Rules::default();
        for (f, r) in &w.rules {
            rules.fields.insert(field_name(&salesforce.field_prefix, *f), *r);
        }
        Ok(Plan { salesforce, sources, shape, rules, writeback: w.enabled, bulk_poll: std::time::Duration::from_secs(2) })
    }

    /// Sets the first wait before asking whether a query job is done (2 s unless set;
    /// the waits double up to 30 s).
    pub fn set_bulk_poll(&mut self, first: std::time::Duration) {
        self.bulk_poll = first;
    }

    /// The client options from the sync file.
    pub fn client_options(&self) -> ClientOptions {
        let mut o = ClientOptions::salesforce(self.salesforce.share);
        o.timeout = std::time::Duration::from_secs(self.salesforce.timeout_s);
        o.max_retries = self.salesforce.max_retries;
        o
    }

    fn api(&self) -> String {
        format!("/services/data/{}", self.salesforce.api_version)
    }

    /// API name -> field, of the fields written back.
    fn written(&self) -> Vec<(String, CrmField)> {
        self.shape.fields.iter().map(|&f| (field_name(&self.salesforce.field_prefix, f), f)).collect()
    }

    /// The values leadrank wants on a record, by API name, in the form Salesforce reads back.
    fn wanted(&self, values: BTreeMap<String, String>) -> BTreeMap<String, String> {
        self.shape
            .fields
            .iter()
            .filter_map(|&f| {
                let v = values.get(f.suffix())?;
                let v = if f == CrmField::Reasons { v.clone() } else { leadrank_crm::fields::truncate(v, TEXT_LENGTH) };
                Some((field_name(&self.salesforce.field_prefix, f), normalize(f, &v)))
            })
            .collect()
    }
}

/// A JSON value of a record as leadrank's text (a whole number without decimals, `null`
/// empty).
fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.to_string(),
            (None, Some(f)) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => n.to_string(),
        },
        _ => String::new(),
    }
}

fn parse_time(v: &str) -> Option<i64> {
    jiff::fmt::strtime::parse("%Y-%m-%dT%H:%M:%S%.f%z", v)
        .ok()
        .and_then(|tm| tm.to_timestamp().ok())
        .or_else(|| v.parse::<jiff::Timestamp>().ok())
        .map(|t| t.as_millisecond())
}

/// A SOQL datetime literal.
fn literal(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).map(|t| t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()).unwrap_or_default()
}

/// Runs one sync of Salesforce into `service` and back.
pub async fn sync(service: &Service, plan: &Plan, client: &CrmClient, options: &SyncOptions) -> Result<SyncReport, SyncError> {
    let mut report = SyncReport { dry_run: options.dry_run, crm: "Salesforce", ..SyncReport::default() };
    let mut state = State::load(service, "salesforce").await?;
    let result = run(service, plan, client, options, &mut state, &mut report).await;
    if !options.dry_run {
        state.compact(service).await?;
    }
    report.stats = client.stats();
    match result {
        Ok(()) => Ok(report),
        Err(e @ (SyncError::DailyCap { .. } | SyncError::GaveUp { .. })) => {
            report.stopped = Some(e.to_string());
            Ok(report)
        }
        Err(SyncError::Api { crm, status, category, message, correlation }) if category == "INVALID_FIELD" => Err(SyncError::Api {
            crm,
            status,
            category,
            message: format!(
                "{message} (leadrank's custom fields are missing: `leadrank sync salesforce --install-fields` describes them for an admin)"
            ),
            correlation,
        }),
        Err(e) => Err(e),
    }
}

async fn run(
    service: &Service,
    plan: &Plan,
    client: &CrmClient,
    options: &SyncOptions,
    state: &mut State,
    report: &mut SyncReport,
) -> Result<(), SyncError> {
    let mut writeback = plan.writeback;
    if options.install_fields {
        install_fields(plan, client, report).await?;
        if !report.missing_fields.is_empty() {
            writeback = false;
        }
    }
    let mut seen: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for source in &plan.sources {
        let r = read_object(service, plan, client, options, state, source, writeback, &mut seen).await?;
        report.reads.push(r);
    }
    if plan.sources.iter().any(|s| s.kind == Kind::Outcomes) {
        report.reads.push(read_deleted_opportunities(service, plan, client, options, state).await?);
    }
    if writeback {
        write_back(service, plan, client, options, state, &seen, report).await?;
    }
    Ok(())
}

async fn install_fields(plan: &Plan, client: &CrmClient, report: &mut SyncReport) -> Result<(), SyncError> {
    let specs = field_specs(&plan.salesforce.field_prefix, &plan.shape.fields, plan.shape.text_limit.max(TEXT_LENGTH));
    let objects: Vec<&str> = plan.sources.iter().filter(|s| s.leads).map(|s| s.sobject).collect();
    report.field_specs = render_specs(&specs, &objects);
    for object in objects {
        let path = format!("{}/sobjects/{object}/describe", plan.api());
        let answer = client.get(&path, Purpose::Setup).await?;
        let fields = answer
            .body
            .get("fields")
            .and_then(Value::as_array)
            .ok_or_else(|| SyncError::Protocol { path: path.clone(), detail: "no fields array".into() })?;
        for spec in &specs {
            let found = fields.iter().find(|f| f.get("name").and_then(Value::as_str) == Some(spec.api_name.as_str()));
            match found {
                None => report.missing_fields.push(format!("{object}.{}", spec.api_name)),
                Some(f) => {
                    let kind = f.get("type").and_then(Value::as_str).unwrap_or("");
                    if kind != spec.describe_type {
                        report.missing_fields.push(format!("{object}.{} (is {kind}, must be {})", spec.api_name, spec.setup_type));
                    }
                }
            }
        }
    }
    Ok(())
}

/// One record of a batch: its id, `SystemModstamp` and its values as text, in the order of
/// the fields queried.
pub(crate) struct Row {
    pub id: String,
    pub stamp_ms: i64,
    pub cells: Vec<String>,
}

/// The fields queried of `source`: `Id` and `SystemModstamp` first, the mapping's columns,
/// the fields written back (people, when writing) and, for campaign members, the fields the
/// connector reads itself.
fn query_fields(plan: &Plan, source: &Source, writeback: bool) -> Vec<String> {
    let mut fields = source_columns(&source.mapping);
    fields.retain(|f| f != "Id" && f != "SystemModstamp");
    fields.insert(0, "SystemModstamp".into());
    fields.insert(0, "Id".into());
    let mut add = |name: &str| {
        if !fields.iter().any(|f| f == name) {
            fields.push(name.to_string());
        }
    };
    if source.leads && writeback {
        for (name, _) in plan.written() {
            add(&name);
        }
    }
    if source.kind == Kind::Events {
        for name in MEMBER_FIELDS {
            add(name);
        }
    }
    fields
}

/// The fields of a campaign member the connector reads itself: whether the member
/// responded, the people it may name, and the campaign shown in the event's properties.
const MEMBER_FIELDS: [&str; 6] = ["HasResponded", "LeadId", "ContactId", "CampaignId", "Status", "Campaign.Name"];

/// The text of a field of a record as the REST API answers it; a relationship field
/// (`Campaign.Type`) is read from the nested record (empty when there is none).
fn cell(record: &Value, field: &str) -> String {
    let mut v = record;
    for part in field.split('.') {
        match v.get(part) {
            Some(next) => v = next,
            None => return String::new(),
        }
    }
    text_of(v)
}

/// The records of one REST query batch as rows.
fn rows_of(body: &Value, fields: &[String], path: &str) -> Result<Vec<Row>, SyncError> {
    let bad = |d: &str| SyncError::Protocol { path: path.into(), detail: d.into() };
    let records = body.get("records").and_then(Value::as_array).ok_or_else(|| bad("no records array"))?;
    records
        .iter()
        .map(|r| {
            let id = r.get("Id").and_then(Value::as_str).ok_or_else(|| bad("a record without an Id"))?.to_string();
            let stamp_ms = r
                .get("SystemModstamp")
                .and_then(Value::as_str)
                .and_then(parse_time)
                .ok_or_else(|| bad("a record without a SystemModstamp"))?;
            Ok(Row { id, stamp_ms, cells: fields.iter().map(|f| cell(r, f)).collect() })
        })
        .collect()
}

/// An object being read: what it is, its bound mapping, and the rows' fields.
pub(crate) struct Reading<'a> {
    source: &'a Source,
    bound: leadrank_mapping::Bound<'a>,
    fields: Vec<String>,
    /// The fields written back (people, when writing), with their positions in `fields`.
    written: Vec<(String, CrmField, usize)>,
}

impl Reading<'_> {
    fn index(&self, field: &str) -> Option<usize> {
        self.fields.iter().position(|f| f == field)
    }

    fn value<'r>(&self, row: &'r Row, field: &str) -> &'r str {
        self.index(field).and_then(|i| row.cells.get(i)).map_or("", String::as_str)
    }
}

#[allow(clippy::too_many_arguments)]
async fn read_object(
    service: &Service,
    plan: &Plan,
    client: &CrmClient,
    options: &SyncOptions,
    state: &mut State,
    source: &Source,
    writeback: bool,
    seen: &mut BTreeMap<String, BTreeMap<String, String>>,
) -> Result<ReadReport, SyncError> {
    let fields = query_fields(plan, source, writeback);
    let bound = source
        .mapping
        .bind(&fields, &format!("Salesforce {}", source.sobject), Presence::Optional)
        .map_err(|e| SyncError::Protocol { path: format!("mapping of {}", source.name), detail: e.to_string() })?;
    let written = if source.leads && writeback {
        plan.written().into_iter().filter_map(|(name, f)| fields.iter().position(|x| *x == name).map(|i| (name, f, i))).collect()
    } else {
        Vec::new()
    };
    let reading = Reading { source, bound, fields, written };
    let stored = state.cursor(service, source.name).await?;
    let mut report = ReadReport { object: source.name.into(), cursor_ms: stored, ..ReadReport::default() };
    // (time, id) of the last record read; a run starts a second before the stored time.
    let mut keyset: Option<(i64, Option<String>)> = (stored > 0).then(|| (stored - OVERLAP_MS, None));
    let batch = [("Sforce-Query-Options", format!("batchSize={}", plan.salesforce.batch_size))];
    // A first load with `bulk_first_load`: the first query's `totalSize` says whether the
    // object is large enough for a query job; if not, its answer is the first batch.
    let mut first: Option<crate::client::Answer> = None;
    if stored == 0 && plan.salesforce.bulk_first_load {
        let q = soql(source.sobject, &reading.fields, None, plan.salesforce.query_limit);
        let path = format!("{}/query?q={}", plan.api(), crate::client::percent_encode(&q));
        let answer = client.get_with(&path, &batch, Purpose::Read).await?;
        let total = answer.body.get("totalSize").and_then(Value::as_u64).unwrap_or(0);
        if total >= plan.salesforce.bulk_threshold {
            bulk::first_load(service, plan, client, options, state, &reading, seen, &mut report).await?;
            return Ok(report);
        }
        first = Some(answer);
    }
    loop {
        let since = keyset.as_ref().map(|(t, id)| (literal(*t), id.clone()));
        let q =
            soql(source.sobject, &reading.fields, since.as_ref().map(|(t, id)| (t.as_str(), id.as_deref())), plan.salesforce.query_limit);
        let mut path = format!("{}/query?q={}", plan.api(), crate::client::percent_encode(&q));
        let mut rows_of_query = 0u64;
        loop {
            let answer = match first.take() {
                Some(a) => a,
                None => client.get_with(&path, &batch, Purpose::Read).await?,
            };
            let rows = rows_of(&answer.body, &reading.fields, &format!("{}/query", plan.api()))?;
            rows_of_query += rows.len() as u64;
            if let Some(last) = rows.last() {
                keyset = Some((last.stamp_ms, Some(last.id.clone())));
            }
            if let Some(t) = store_rows(service, options, state, &reading, rows, seen, &mut report).await? {
                report.cursor_ms = report.cursor_ms.max(t);
                if !options.dry_run {
                    state.save_cursor(service, source.name, report.cursor_ms).await?;
                }
            }
            match answer.body.get("nextRecordsUrl").and_then(Value::as_str) {
                Some(next) if answer.body.get("done").and_then(Value::as_bool) != Some(true) => path = next.to_string(),
                _ => break,
            }
        }
        // A query that returned its LIMIT may have more: ask again from the last record.
        if rows_of_query < plan.salesforce.query_limit {
            break;
        }
    }
    Ok(report)
}

/// Maps a batch of rows, hands the changed records to the service and stores what was
/// read; returns the latest `SystemModstamp` of the batch (the caller moves the cursor).
pub(crate) async fn store_rows(
    service: &Service,
    options: &SyncOptions,
    state: &mut State,
    reading: &Reading<'_>,
    rows: Vec<Row>,
    seen: &mut BTreeMap<String, BTreeMap<String, String>>,
    report: &mut ReadReport,
) -> Result<Option<i64>, SyncError> {
    let source = reading.source;
    let written = &reading.written;
    let mut leads = Vec::new();
    let mut accounts = Vec::new();
    let mut deals = Vec::new();
    let mut events = Vec::new();
    let mut journal: BTreeMap<String, Option<RecordState>> = BTreeMap::new();
    let mut last_stamp: Option<i64> = None;
    for row in &rows {
        last_stamp = Some(last_stamp.map_or(row.stamp_ms, |t: i64| t.max(row.stamp_ms)));
        report.read += 1;
        let cells: Vec<&str> = row.cells.iter().map(String::as_str).collect();
        match source.kind {
            Kind::Outcomes => {
                if let Some(deal) = map_outcome(service, &reading.bound, &cells, source.sobject, &row.id, report) {
                    deals.push(deal);
                }
                continue;
            }
            Kind::Events => {
                if let Some(event) = map_member(service, reading, row, &cells, report) {
                    events.push((row.id.clone(), event));
                }
                continue;
            }
            _ => {}
        }
        let Some(mapped) = map_record(service, &reading.bound, &cells, source.sobject, &row.id, source.leads, report) else { continue };
        match mapped {
            Mapped::Lead(l) => leads.push(*l),
            Mapped::Account(a) => accounts.push(a),
            Mapped::Unchanged => {}
        }
        if !written.is_empty() {
            let current: BTreeMap<String, String> =
                written.iter().map(|(name, f, i)| (name.clone(), normalize(*f, row.cells.get(*i).map_or("", String::as_str)))).collect();
            let mut rs = state.records.get(&row.id).cloned().unwrap_or_default();
            rs.c = current.clone();
            seen.insert(row.id.clone(), current);
            journal.insert(row.id.clone(), Some(rs));
        }
    }
    if options.dry_run {
        report.updated += (leads.len() + accounts.len() + deals.len() + events.len()) as u64;
    } else {
        send(service, accounts, leads, deals, report).await?;
        send_events(service, events, report).await?;
        state.append(service, journal).await?;
    }
    Ok(last_stamp)
}

/// A campaign member as an event: `None` for a member who has not responded (not an
/// event), or one the mapping refuses (listed in `report`).
fn map_member(service: &Service, reading: &Reading<'_>, row: &Row, cells: &[&str], report: &mut ReadReport) -> Option<Event> {
    if reading.value(row, "HasResponded") != "true" {
        return None;
    }
    let object = reading.source.sobject;
    let applied = reading.bound.apply(cells);
    if !applied.problems.is_empty() {
        for (i, message) in &applied.problems {
            report.rejected.push(format!("{object} {}: {}: {message}", row.id, reading.bound.names().get(*i).map_or("", String::as_str)));
        }
        return None;
    }
    let pairs = reading.bound.names().iter().map(String::as_str).zip(applied.values.iter().map(String::as_str));
    let mut event = match event_from_pairs_all_errors(pairs) {
        Ok(e) => e,
        Err(errors) => {
            for e in errors.0 {
                report.rejected.push(format!("{object} {}: {}: {}", row.id, e.field, e.error));
            }
            return None;
        }
    };
    // The mapping names one person; a member naming a contact leadrank has not read (its
    // contacts not synced) may still name a lead it has, and the other way round.
    if service.lead_record(&event.lead_id).is_none()
        && let Some(other) = ["ContactId", "LeadId"]
            .into_iter()
            .map(|f| reading.value(row, f))
            .find(|id| !id.is_empty() && *id != event.lead_id && service.lead_record(id).is_some())
    {
        event.lead_id = other.to_string();
    }
    if event.properties.is_none() {
        let props: serde_json::Map<String, Value> =
            [("campaign_id", "CampaignId"), ("campaign", "Campaign.Name"), ("member_status", "Status")]
                .into_iter()
                .filter_map(|(k, f)| Some((k.to_string(), json!(Some(reading.value(row, f)).filter(|v| !v.is_empty())?))))
                .collect();
        if !props.is_empty() {
            event.properties = Some(props);
        }
    }
    Some(event)
}

/// Sends a batch's events to the service: an event already stored (a member read again)
/// counts as unchanged, one of a person leadrank does not have is listed as skipped.
async fn send_events(service: &Service, events: Vec<(String, Event)>, report: &mut ReadReport) -> Result<(), SyncError> {
    if events.is_empty() {
        return Ok(());
    }
    let (ids, events): (Vec<String>, Vec<Event>) = events.into_iter().unzip();
    let leads: Vec<String> = events.iter().map(|e| e.lead_id.clone()).collect();
    let outcomes = service.ingest_events(events).await?;
    for ((id, lead), (outcome, reason)) in ids.iter().zip(&leads).zip(outcomes) {
        match outcome {
            Outcome::Accepted => report.created += 1,
            Outcome::Duplicate => report.unchanged += 1,
            Outcome::Suppressed => report.suppressed += 1,
            Outcome::Rejected if reason.as_deref().is_some_and(|r| r.starts_with("lead_id: no such lead")) => {
                report.rejected.push(format!("CampaignMember {id}: lead_id: skipped: {lead} is not a lead or contact leadrank has read"))
            }
            _ => report.rejected.push(format!("CampaignMember {id}: {}", reason.unwrap_or_default())),
        }
    }
    Ok(())
}

async fn write_back(
    service: &Service,
    plan: &Plan,
    client: &CrmClient,
    options: &SyncOptions,
    state: &mut State,
    seen: &BTreeMap<String, BTreeMap<String, String>>,
    report: &mut SyncReport,
) -> Result<(), SyncError> {
    let wanted = |snap: &leadrank_crm::Snapshot| plan.wanted(desired(snap, &plan.shape));
    let clear = plan.wanted(cleared(&plan.shape));
    let pending = plan_writes(service, state, seen, &plan.rules, wanted, &clear, options.dry_run, report).await?;
    if options.dry_run {
        report.would_spend.writes += batches(pending.len() as u64, COMPOSITE_MAX as u64);
        return Ok(());
    }
    let kinds: BTreeMap<String, CrmField> = plan.written().into_iter().collect();
    let path = format!("{}/composite/sobjects", plan.api());
    let (mut written_records, mut written_fields, mut cleared_now) = (0u64, 0u64, 0u64);
    for chunk in pending.chunks(COMPOSITE_MAX) {
        let mut sent = Vec::with_capacity(chunk.len());
        let mut records = Vec::with_capacity(chunk.len());
        for p in chunk {
            let Some(sobject) = sobject_of(&p.id) else {
                report.failed.push(format!("{}: not a Lead or Contact id", p.id));
                continue;
            };
            let mut r = serde_json::Map::new();
            r.insert("attributes".into(), json!({ "type": sobject }));
            r.insert("id".into(), json!(p.id));
            for (name, v) in &p.writes {
                let Some(f) = kinds.get(name) else { continue };
                let value = match to_value(*f, v) {
                    SfValue::Null => Value::Null,
                    SfValue::Bool(b) => json!(b),
                    SfValue::Number(n) => json!(n),
                    SfValue::Text(t) => json!(t),
                };
                r.insert(name.clone(), value);
            }
            records.push(Value::Object(r));
            sent.push(p);
        }
        if sent.is_empty() {
            continue;
        }
        let answer = match client.patch(&path, &json!({ "allOrNone": false, "records": records }), Purpose::Write).await {
            Ok(a) => a,
            Err(e) => {
                report.records_written = written_records;
                report.fields_written = written_fields;
                return Err(e);
            }
        };
        let results = answer.body.as_array().filter(|a| a.len() == sent.len()).ok_or_else(|| SyncError::Protocol {
            path: path.clone(),
            detail: format!("expected {} results, one per record in order", sent.len()),
        })?;
        let mut journal: BTreeMap<String, Option<RecordState>> = BTreeMap::new();
        for (p, res) in sent.iter().zip(results) {
            if res.get("success").and_then(Value::as_bool) == Some(true) {
                written_records += 1;
                written_fields += p.writes.len() as u64;
                if p.clearing {
                    cleared_now += 1;
                    journal.insert(p.id.clone(), None);
                } else {
                    journal.insert(p.id.clone(), Some(p.state.clone()));
                }
                continue;
            }
            let first = res.pointer("/errors/0");
            let code = first.and_then(|e| e.get("statusCode")).and_then(Value::as_str).unwrap_or("UNKNOWN");
            let message = first.and_then(|e| e.get("message")).and_then(Value::as_str).unwrap_or("");
            match record_error(code) {
                RecordError::Gone => {
                    report.gone += 1;
                    journal.insert(p.id.clone(), None);
                }
                RecordError::Retry => report.failed.push(format!("{} {}: {code}: {message}", sobject_of(&p.id).unwrap_or(""), p.id)),
            }
        }
        state.append(service, journal).await?;
    }
    report.records_written = written_records;
    report.fields_written = written_fields;
    report.cleared += cleared_now;
    if report.cleared > 0 {
        let actor = if options.actor.is_empty() { "crm-sync" } else { options.actor.as_str() };
        service
            .audit(actor, "crm.erase", &format!("salesforce: leadrank's fields cleared on {} erased person(s)' records", report.cleared))
            .await?;
    }
    Ok(())
}

/// Opportunities deleted in Salesforce since the cursor (`queryAll` with `IsDeleted = true`,
/// which sees the recycle bin), removed from leadrank's outcomes; the cursor
/// (`opportunities.deleted`) moves after each batch, and a run starts a second before it.
async fn read_deleted_opportunities(
    service: &Service,
    plan: &Plan,
    client: &CrmClient,
    options: &SyncOptions,
    state: &State,
) -> Result<ReadReport, SyncError> {
    let key = "opportunities.deleted";
    let stored = state.cursor(service, key).await?;
    let mut report = ReadReport { object: "deleted opportunities".into(), cursor_ms: stored, ..ReadReport::default() };
    let mut q = String::from("SELECT Id, SystemModstamp FROM Opportunity WHERE IsDeleted = true");
    if stored > 0 {
        q.push_str(&format!(" AND SystemModstamp > {}", literal(stored - OVERLAP_MS)));
    }
    q.push_str(" ORDER BY SystemModstamp, Id");
    let mut path = format!("{}/queryAll?q={}", plan.api(), crate::client::percent_encode(&q));
    let mut newest = stored;
    loop {
        let answer = client.get(&path, Purpose::Read).await?;
        let bad = |d: &str| SyncError::Protocol { path: format!("{}/queryAll", plan.api()), detail: d.into() };
        let records = answer.body.get("records").and_then(Value::as_array).ok_or_else(|| bad("no records array"))?;
        let mut ids = Vec::with_capacity(records.len());
        for r in records {
            ids.push(r.get("Id").and_then(Value::as_str).ok_or_else(|| bad("a record without an Id"))?.to_string());
            let stamp = r
                .get("SystemModstamp")
                .and_then(Value::as_str)
                .and_then(parse_time)
                .ok_or_else(|| bad("a record without a SystemModstamp"))?;
            newest = newest.max(stamp);
            report.read += 1;
        }
        crate::deleted::remove(service, ids, options.dry_run, &mut report).await?;
        if !options.dry_run {
            state.save_cursor(service, key, newest).await?;
        }
        report.cursor_ms = newest;
        match answer.body.get("nextRecordsUrl").and_then(Value::as_str) {
            Some(next) if answer.body.get("done").and_then(Value::as_bool) == Some(false) => path = next.to_string(),
            _ => break,
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_literals() {
        assert_eq!(text_of(&json!(72.0)), "72");
        assert_eq!(text_of(&json!(5.0e7)), "50000000");
        assert_eq!(text_of(&json!(1.5)), "1.5");
        assert_eq!(text_of(&json!(true)), "true");
        assert_eq!(text_of(&Value::Null), "");
        let ms = parse_time("2026-01-01T00:00:01.000+0000").unwrap();
        assert_eq!(literal(ms), "2026-01-01T00:00:01.000Z");
        assert_eq!(crate::client::percent_encode("a b,'c'"), "a%20b%2C%27c%27");
        let member = json!({"Id": "00v1", "Campaign": {"attributes": {"type": "Campaign"}, "Type": "Webinar"}, "LeadId": null});
        assert_eq!(
            (cell(&member, "Campaign.Type"), cell(&member, "Campaign.Name"), cell(&member, "LeadId")),
            ("Webinar".into(), "".into(), "".into())
        );
    }

    /// The built-in campaign member mapping on a member as REST and as a query job's CSV
    /// write it.
    #[test]
    fn the_campaign_member_mapping() {
        let mapping = load_mapping_from(None, "salesforce-api-campaign-members", &PRESETS, Kind::Events, Path::new(".")).unwrap();
        let fields: Vec<String> =
            ["Id", "ContactId", "LeadId", "FirstRespondedDate", "CreatedDate", "Campaign.Type"].iter().map(|s| s.to_string()).collect();
        assert_eq!(source_columns(&mapping).len(), 6, "{:?}", source_columns(&mapping));
        let bound = mapping.bind(&fields, "members", Presence::Optional).unwrap();
        let event = |cells: [&str; 6]| {
            let applied = bound.apply(&cells);
            assert!(applied.problems.is_empty(), "{:?}", applied.problems);
            event_from_pairs_all_errors(bound.names().iter().map(String::as_str).zip(applied.values.iter().map(String::as_str))).unwrap()
        };
        let e = event(["00v1", "", "00Q1", "2026-06-25", "2026-01-01T00:00:00.000+0000", "Webinar"]);
        assert_eq!((e.event_id.as_str(), e.lead_id.as_str(), e.event_type.as_str()), ("00v1", "00Q1", "webinar_attended"));
        assert_eq!(e.occurred_at.to_string(), "2026-06-25T00:00:00Z");
        let e = event(["00v2", "0031", "00Q1", "", "2026-01-02T03:04:05.000+0000", "Trade Show"]);
        assert_eq!((e.lead_id.as_str(), e.event_type.as_str()), ("0031", "event_attended"));
        assert_eq!(e.occurred_at.to_string(), "2026-01-02T03:04:05Z");
        let e = event(["00v3", "0031", "", "", "2026-01-02T03:04:05.000Z", ""]);
        assert_eq!((e.event_type.as_str(), e.occurred_at.to_string()), ("form_submit", "2026-01-02T03:04:05Z".to_string()));
        assert_eq!(event(["00v4", "0031", "", "", "2026-01-02T03:04:05.000Z", "Whitepaper"]).event_type, "content_download");
        assert_eq!(event(["00v5", "0031", "", "", "2026-01-02T03:04:05.000Z", "Direct Mail"]).event_type, "form_submit");
    }
}
