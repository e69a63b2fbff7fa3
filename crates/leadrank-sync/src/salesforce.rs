//! The Salesforce connector: one sync run (REST API; tested against the fake Salesforce of
//! `leadrank-crm-fakes`, not a live org).
//!
//! 1. `--install-fields`: custom fields cannot be created through REST (that is the
//!    Metadata API), so the run describes each field for an admin and checks with `GET
//!    /sobjects/{Lead,Contact}/describe` which exist; while some are missing it reads but
//!    writes nothing back.
//! 2. Read, per object (Accounts, Leads, Contacts), the records whose `SystemModstamp` is
//!    after the cursor: `GET /query?q=SELECT ... WHERE SystemModstamp > T ORDER BY
//!    SystemModstamp, Id LIMIT n`, batches followed through `nextRecordsUrl`. A query that
//!    returns its `LIMIT` is asked again from the last (time, id) read (`SystemModstamp > T
//!    OR (SystemModstamp = T AND Id > 'X')`), so ties are neither skipped nor read twice. A
//!    run starts one second before the stored cursor: Salesforce keeps whole seconds, and a
//!    record changed in the cursor's second after the last run read it is read again.
//!    Each batch is mapped, the changed records go to the service, then the cursor is stored.
//! 3. Write back: every lead and contact known is planned like HubSpot's contacts
//!    ([`leadrank_crm::plan`]); the changes go out in `PATCH /composite/sobjects` calls of
//!    at most 200 records (`allOrNone: false`); per record, a failure is retried by the next
//!    run and a record that is gone (`ENTITY_IS_DELETED`, `INVALID_CROSS_REFERENCE_KEY`, a
//!    converted lead) is forgotten.

use std::collections::BTreeMap;
use std::path::Path;

use leadrank_crm::calls::batches;
use leadrank_crm::config::{SalesforceConfig, SyncConfig};
use leadrank_crm::fields::{CrmField, Shape, cleared, desired};
use leadrank_crm::plan::Rules;
use leadrank_crm::salesforce::{
    COMPOSITE_MAX, LONG_TEXT_LENGTH, OBJECTS, RecordError, SfValue, TEXT_LENGTH, field_name, field_specs, normalize, record_error,
    render_specs, sobject_of, soql, to_value,
};
use leadrank_mapping::{Kind, Mapping, Presence};
use leadrank_service::Service;
use serde_json::{Value, json};

use crate::client::{ClientOptions, CrmClient, Purpose, SyncError};
use crate::hubspot::{
    Mapped, ReadReport, SyncOptions, SyncReport, load_mapping_from, map_outcome, map_record, plan_writes, send, source_columns,
};
use crate::state::{RecordState, State};

const LEADS_PRESET: &str = include_str!("../mappings/salesforce-api-leads.toml");
const CONTACTS_PRESET: &str = include_str!("../mappings/salesforce-api-contacts.toml");
const ACCOUNTS_PRESET: &str = include_str!("../mappings/salesforce-api-accounts.toml");
const OPPORTUNITIES_PRESET: &str = include_str!("../mappings/salesforce-api-opportunities.toml");
const PRESETS: [(&str, &str); 4] = [
    ("salesforce-api-leads", LEADS_PRESET),
    ("salesforce-api-contacts", CONTACTS_PRESET),
    ("salesforce-api-accounts", ACCOUNTS_PRESET),
    ("salesforce-api-opportunities", OPPORTUNITIES_PRESET),
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
                _ => Kind::Leads,
            };
            let default = format!("salesforce-api-{name}");
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
        Ok(Plan { salesforce, sources, shape, rules, writeback: w.enabled })
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
/// empty; relationships are not queried).
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
    let written = plan.written();
    let mut fields = source_columns(&source.mapping);
    fields.retain(|f| f != "Id" && f != "SystemModstamp");
    fields.insert(0, "SystemModstamp".into());
    fields.insert(0, "Id".into());
    if source.leads && writeback {
        for (name, _) in &written {
            if !fields.contains(name) {
                fields.push(name.clone());
            }
        }
    }
    let bound = source
        .mapping
        .bind(&fields, &format!("Salesforce {}", source.sobject), Presence::Optional)
        .map_err(|e| SyncError::Protocol { path: format!("mapping of {}", source.name), detail: e.to_string() })?;
    let stored = state.cursor(service, source.name).await?;
    let mut report = ReadReport { object: source.name.into(), cursor_ms: stored, ..ReadReport::default() };
    // (time, id) of the last record read; a run starts a second before the stored time.
    let mut keyset: Option<(i64, Option<String>)> = (stored > 0).then(|| (stored - OVERLAP_MS, None));
    let batch = [("Sforce-Query-Options", format!("batchSize={}", plan.salesforce.batch_size))];
    loop {
        let since = keyset.as_ref().map(|(t, id)| (literal(*t), id.clone()));
        let q = soql(source.sobject, &fields, since.as_ref().map(|(t, id)| (t.as_str(), id.as_deref())), plan.salesforce.query_limit);
        let mut path = format!("{}/query?q={}", plan.api(), crate::client::percent_encode(&q));
        let mut rows_of_query = 0u64;
        loop {
            let answer = client.get_with(&path, &batch, Purpose::Read).await?;
            let bad = |d: &str| SyncError::Protocol { path: format!("{}/query", plan.api()), detail: d.into() };
            let records = answer.body.get("records").and_then(Value::as_array).ok_or_else(|| bad("no records array"))?;
            let mut leads = Vec::new();
            let mut accounts = Vec::new();
            let mut deals = Vec::new();
            let mut journal: BTreeMap<String, Option<RecordState>> = BTreeMap::new();
            let mut last: Option<(i64, String)> = None;
            for r in records {
                let id = r.get("Id").and_then(Value::as_str).ok_or_else(|| bad("a record without an Id"))?.to_string();
                let stamp = r
                    .get("SystemModstamp")
                    .and_then(Value::as_str)
                    .and_then(parse_time)
                    .ok_or_else(|| bad("a record without a SystemModstamp"))?;
                last = Some((stamp, id.clone()));
                rows_of_query += 1;
                report.read += 1;
                let values: Vec<String> = fields.iter().map(|f| r.get(f).map(text_of).unwrap_or_default()).collect();
                let cells: Vec<&str> = values.iter().map(String::as_str).collect();
                if source.kind == Kind::Outcomes {
                    if let Some(deal) = map_outcome(service, &bound, &cells, source.sobject, &id, &mut report) {
                        deals.push(deal);
                    }
                    continue;
                }
                let Some(mapped) = map_record(service, &bound, &cells, source.sobject, &id, source.leads, &mut report) else { continue };
                match mapped {
                    Mapped::Lead(l) => leads.push(*l),
                    Mapped::Account(a) => accounts.push(a),
                    Mapped::Unchanged => {}
                }
                if source.leads && writeback {
                    let current: BTreeMap<String, String> = written
                        .iter()
                        .map(|(name, f)| (name.clone(), normalize(*f, &r.get(name).map(text_of).unwrap_or_default())))
                        .collect();
                    let mut rs = state.records.get(&id).cloned().unwrap_or_default();
                    rs.c = current.clone();
                    seen.insert(id.clone(), current);
                    journal.insert(id, Some(rs));
                }
            }
            if options.dry_run {
                report.updated += (leads.len() + accounts.len() + deals.len()) as u64;
            } else {
                send(service, accounts, leads, deals, &mut report).await?;
                state.append(service, journal).await?;
            }
            if let Some((t, id)) = last {
                keyset = Some((t, Some(id)));
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
    }
}
