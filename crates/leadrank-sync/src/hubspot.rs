//! The HubSpot connector: one sync run.
//!
//! 1. `--install-fields`: the property group and leadrank's contact properties are created
//!    where missing (`GET /crm/v3/properties/contacts`, `POST .../groups`, `POST
//!    .../batch/create`).
//! 2. Read, per object (companies, contacts, then deals), the records modified since the cursor:
//!    `POST /crm/v3/objects/{object}/search` filtered `lastmodifieddate >= cursor`, sorted
//!    ascending, paged by moving the filter to the last time seen (so a record changed while
//!    paging is never skipped, and the 10,000-result limit of one query never binds). Each
//!    page is mapped, the changed records go to the service, then the cursor is stored.
//!    A page of deals also reads its deals' associated contacts and companies (`POST
//!    /crm/v4/associations/deals/{contacts,companies}/batch/read`): a deal belongs to its
//!    first contact (the lead) and first company (the account), and becomes an outcome.
//!    With webhooks (`webhooks = true`, [`crate::webhooks`]) a run reads instead only the
//!    records HubSpot notified, by id (`POST /crm/v3/objects/{object}/batch/read`), mapped the
//!    same way; the search runs every `reconcile_every` as a safety net.
//! 3. Write back: for every contact known, the wanted values are planned against what was
//!    last written and what HubSpot holds ([`leadrank_crm::plan`]); the changes go out in
//!    `batch/update` calls of at most 100, and what was written is stored after each batch.
//!    Contacts of erased people get their leadrank properties cleared, then are forgotten.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use leadrank_core::records::{account_from_pairs_all_errors, lead_from_pairs_all_errors};
use leadrank_crm::calls::{CallCount, batches};
use leadrank_crm::config::{HubSpotConfig, SyncConfig};
use leadrank_crm::fields::{CrmField, FieldKind, Shape, cleared, desired};
use leadrank_crm::plan::{Decision, FieldRule, Rules, plan_record};
use leadrank_io::read_outcomes::{OpportunityError, opportunity_from_pairs};
use leadrank_mapping::{Kind, Mapping, MappingFile, Presence};
use leadrank_metrics::report::Opportunity;
use leadrank_service::Service;
use serde_json::{Value, json};

use crate::client::{HubSpotClient, Purpose, Stats, SyncError};
use crate::state::{RecordState, State};
use crate::webhooks;

/// HubSpot's limit on a string property value, in characters.
pub const TEXT_LIMIT: usize = 65_536;
/// Inputs per batch update.
pub const BATCH: usize = 100;
/// HubSpot's lifecycle stages, in order (internal values).
pub const LIFECYCLE: [&str; 6] = ["subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer"];

const CONTACTS_PRESET: &str = include_str!("../mappings/hubspot-api-contacts.toml");
const COMPANIES_PRESET: &str = include_str!("../mappings/hubspot-api-companies.toml");
const DEALS_PRESET: &str = include_str!("../mappings/hubspot-api-deals.toml");

/// The columns the deals mapping reads that are not HubSpot properties: the connector fills
/// them with each deal's first associated contact and company (CRM v4 associations).
pub const DEAL_ASSOCIATIONS: [(&str, &str); 2] = [("associated_contact_id", "contacts"), ("associated_company_id", "companies")];

/// leadrank's stage as HubSpot's lifecycle stage (stages without one are not written).
pub fn lifecycle_of(stage: &str) -> Option<&'static str> {
    match stage {
        "inquiry" => Some("lead"),
        "mql" | "pql" | "sal" => Some("marketingqualifiedlead"),
        "sql" => Some("salesqualifiedlead"),
        "opportunity" => Some("opportunity"),
        "won" => Some("customer"),
        _ => None,
    }
}

/// Options of one run.
#[derive(Debug, Clone, Default)]
pub struct SyncOptions {
    /// Read, plan and print; change nothing in leadrank or HubSpot.
    pub dry_run: bool,
    /// Create the property group and properties first.
    pub install_fields: bool,
    /// Who is recorded in the audit log.
    pub actor: String,
}

/// What one object's read did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadReport {
    pub object: String,
    pub read: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub suppressed: u64,
    /// `record id: field: reason` for records the mapping or the checks refused.
    pub rejected: Vec<String>,
    pub cursor_ms: i64,
    /// Engagement events: `created` counts new events, `unchanged` events leadrank already
    /// held (read again), and `skipped` lists the events whose person is not a lead
    /// (`event: reason`).
    pub events: bool,
    pub skipped: Vec<String>,
    /// Deleted in the CRM: the outcomes removed from leadrank (or that would be).
    pub deleted: u64,
}

/// One planned change of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub id: String,
    /// (property, value in HubSpot, new value).
    pub fields: Vec<(String, String, String)>,
    /// An erased person's record being cleared.
    pub clearing: bool,
}

/// What a run did (or, dry, would do).
#[derive(Debug, Clone, Default)]
pub struct SyncReport {
    pub dry_run: bool,
    /// Properties created (or that would be).
    pub installed: Vec<String>,
    pub reads: Vec<ReadReport>,
    /// Records and fields written (or that would be).
    pub records_written: u64,
    pub fields_written: u64,
    /// Fields kept by a rule, by decision name.
    pub kept: BTreeMap<&'static str, u64>,
    /// Records whose write failed (retried next run): `id: reason`.
    pub failed: Vec<String>,
    /// Records HubSpot no longer has (deleted there), forgotten.
    pub gone: u64,
    /// Erased people whose leadrank fields were cleared.
    pub cleared: u64,
    /// The changes (kept in dry runs only).
    pub changes: Vec<Change>,
    /// Calls spent, and for a dry run the write calls it would spend.
    pub stats: Stats,
    pub would_spend: CallCount,
    /// Why the run stopped early, if it did.
    pub stopped: Option<String>,
    /// The CRM's name in the report (empty: HubSpot).
    pub crm: &'static str,
    /// Definitions of the fields for an admin to create (Salesforce's `--install-fields`).
    pub field_specs: String,
    /// Fields the CRM lacks (`Lead.Leadrank_Score__c`); nothing is written until they exist.
    pub missing_fields: Vec<String>,
}

/// Loads a mapping: a built-in API mapping by name, or a file (relative to the sync file).
fn load_mapping(spec: Option<&String>, default: &str, kind: Kind, config_dir: &Path) -> anyhow::Result<Mapping> {
    let presets =
        [("hubspot-api-contacts", CONTACTS_PRESET), ("hubspot-api-companies", COMPANIES_PRESET), ("hubspot-api-deals", DEALS_PRESET)];
    load_mapping_from(spec, default, &presets, kind, config_dir)
}

/// Loads a mapping: `spec` names one of `presets` or a file (relative to the sync file);
/// none: the preset `default`.
pub(crate) fn load_mapping_from(
    spec: Option<&String>,
    default: &str,
    presets: &[(&str, &str)],
    kind: Kind,
    config_dir: &Path,
) -> anyhow::Result<Mapping> {
    let wanted = spec.map_or(default, String::as_str);
    let preset = presets.iter().find(|(n, _)| *n == wanted);
    let (text, name) = match (preset, spec) {
        (Some((n, text)), _) => (text.to_string(), n.to_string()),
        (None, Some(path)) => {
            let p = config_dir.join(path);
            let text = std::fs::read_to_string(&p).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
            (text, p.display().to_string())
        }
        (None, None) => anyhow::bail!("no mapping for {default}"),
    };
    let file = MappingFile::parse(&text, &name).map_err(|e| anyhow::anyhow!("{e}"))?;
    file.get(kind).cloned().ok_or_else(|| anyhow::anyhow!("{name}: the mapping has no [{}] table", kind.as_str()))
}

/// The connector's settings resolved from the sync file.
pub struct Plan {
    pub hubspot: HubSpotConfig,
    contacts: Mapping,
    companies: Option<Mapping>,
    deals: Option<Mapping>,
    shape: Shape,
    rules: Rules,
    writeback: bool,
    group: String,
    lifecycle: bool,
}

impl Plan {
    /// Resolves the sync file's HubSpot settings (reads mapping files named in it).
    pub fn new(cfg: &SyncConfig, config_dir: &Path) -> anyhow::Result<Plan> {
        let hubspot = cfg.hubspot.clone().ok_or_else(|| anyhow::anyhow!("{}: no [hubspot] table", cfg.file))?;
        let contacts = load_mapping(hubspot.mappings.get("contacts"), "hubspot-api-contacts", Kind::Leads, config_dir)?;
        let companies = if hubspot.objects.iter().any(|o| o == "companies") {
            Some(load_mapping(hubspot.mappings.get("companies"), "hubspot-api-companies", Kind::Accounts, config_dir)?)
        } else {
            None
        };
        let deals = if hubspot.objects.iter().any(|o| o == "deals") {
            Some(load_mapping(hubspot.mappings.get("deals"), "hubspot-api-deals", Kind::Outcomes, config_dir)?)
        } else {
            None
        };
        let w = &cfg.writeback;
        let shape = Shape {
            prefix: w.prefix.clone(),
            fields: w.fields.clone(),
            top_reasons: w.top_reasons,
            text_limit: w.text_limit.unwrap_or(TEXT_LIMIT).min(TEXT_LIMIT),
        };
        let mut rules = Rules::default();
        for (f, r) in &w.rules {
            rules.fields.insert(f.property(&w.prefix), *r);
        }
        if w.lifecycle_stage {
            rules.monotonic = Some(("lifecyclestage".into(), LIFECYCLE.iter().map(|s| s.to_string()).collect()));
            rules.fields.insert("lifecyclestage".into(), FieldRule { keep_human: false, only_if_empty: false });
        }
        Ok(Plan {
            hubspot,
            contacts,
            companies,
            deals,
            shape,
            rules,
            writeback: w.enabled,
            group: w.group.clone(),
            lifecycle: w.lifecycle_stage,
        })
    }

    /// What a read of `object` asks for: the properties (sorted), and the association
    /// columns the mapping reads that are filled from associations (deals).
    fn read_properties(&self, object: &str, mapping: &Mapping) -> (Vec<String>, Vec<(&'static str, &'static str)>) {
        let associated: Vec<(&'static str, &'static str)> = if object == "deals" { DEAL_ASSOCIATIONS.to_vec() } else { Vec::new() };
        let mut properties: Vec<String> =
            source_columns(mapping).into_iter().filter(|c| !associated.iter().any(|(col, _)| col == c)).collect();
        properties.push(modified_property(object).to_string());
        if object == "contacts" && self.writeback {
            properties.extend(self.written_properties());
        }
        properties.sort();
        properties.dedup();
        (properties, associated)
    }

    /// The CRM objects read through a mapping, in the order they are read.
    fn mapped_objects(&self) -> Vec<(&'static str, &Mapping)> {
        let mut v = Vec::new();
        if let Some(m) = &self.companies {
            v.push(("companies", m));
        }
        v.push(("contacts", &self.contacts));
        if let Some(m) = &self.deals {
            v.push(("deals", m));
        }
        v
    }

    /// Which webhook notifications matter to this plan: a change of a property it reads, of
    /// an object it reads (and which properties it writes, whose changes may be its own).
    pub fn webhook_filter(&self) -> crate::webhooks::Filter {
        let mut f = crate::webhooks::Filter::default();
        for (object, mapping) in self.mapped_objects() {
            f.reads.insert(object.to_string(), self.read_properties(object, mapping).0.into_iter().collect());
        }
        if self.writeback {
            f.written = self.written_properties().into_iter().collect();
        }
        f
    }

    /// The properties written back.
    fn written_properties(&self) -> Vec<String> {
        let mut v: Vec<String> = self.shape.fields.iter().map(|f| f.property(&self.shape.prefix)).collect();
        if self.lifecycle {
            v.push("lifecyclestage".into());
        }
        v
    }
}

pub(crate) fn source_columns(m: &Mapping) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for spec in m.fields.iter().chain(&m.custom) {
        for c in &spec.from {
            if !v.contains(c) {
                v.push(c.clone());
            }
        }
    }
    v
}

fn modified_property(object: &str) -> &'static str {
    if object == "contacts" { "lastmodifieddate" } else { "hs_lastmodifieddate" }
}

fn parse_ms(v: &str) -> Option<i64> {
    v.parse::<i64>().ok().or_else(|| v.parse::<jiff::Timestamp>().ok().map(|t| t.as_millisecond()))
}

/// Moves a search's cursor past a page: to the page's last modification time `last_ms`,
/// keeping the ids read at that time (the next query asks from that time, so it returns them
/// again and they are skipped). A page all at the cursor's own time moves on by HubSpot's
/// `after` token instead, within that time.
pub(crate) fn advance_cursor(
    since: &mut i64,
    at_since: &mut HashSet<String>,
    after: &mut Option<String>,
    last_ms: i64,
    page: &[Found],
    answer: &Value,
) {
    if last_ms == *since {
        at_since.extend(page.iter().map(|f| f.id.clone()));
        *after = answer.pointer("/paging/next/after").and_then(Value::as_str).map(str::to_string);
    } else {
        *since = last_ms;
        *at_since = page.iter().filter(|f| f.modified_ms == last_ms).map(|f| f.id.clone()).collect();
        *after = None;
    }
}

/// One record of a search page: id, modification time, properties (null as empty).
pub(crate) struct Found {
    pub(crate) id: String,
    pub(crate) modified_ms: i64,
    pub(crate) properties: BTreeMap<String, String>,
}

pub(crate) fn page_records(body: &Value, object: &str, path: &str) -> Result<(Vec<Found>, bool), SyncError> {
    let bad = |d: &str| SyncError::Protocol { path: path.into(), detail: d.into() };
    let results = body.get("results").and_then(Value::as_array).ok_or_else(|| bad("no results array"))?;
    let mut out = Vec::with_capacity(results.len());
    for r in results {
        let id = r.get("id").and_then(Value::as_str).ok_or_else(|| bad("a result without an id"))?.to_string();
        let props = r.get("properties").and_then(Value::as_object).ok_or_else(|| bad("a result without properties"))?;
        let properties: BTreeMap<String, String> =
            props.iter().map(|(k, v)| (k.clone(), v.as_str().map(str::to_string).unwrap_or_default())).collect();
        let modified = properties
            .get(modified_property(object))
            .and_then(|v| parse_ms(v))
            .or_else(|| r.get("updatedAt").and_then(Value::as_str).and_then(parse_ms))
            .ok_or_else(|| bad("a result without a modification time"))?;
        out.push(Found { id, modified_ms: modified, properties });
    }
    let more = body.pointer("/paging/next/after").is_some();
    Ok((out, more))
}

/// Runs one sync of HubSpot into `service` and back.
pub async fn sync(service: &Service, plan: &Plan, client: &HubSpotClient, options: &SyncOptions) -> Result<SyncReport, SyncError> {
    let mut report = SyncReport { dry_run: options.dry_run, ..SyncReport::default() };
    let mut state = State::load(service, "hubspot").await?;
    if let Some((day, used)) = state.day(service).await? {
        client.restore_day(day, used);
    }
    let result = run(service, plan, client, options, &mut state, &mut report).await;
    // Whatever happened, keep what was done: the journal is already durable; fold it in.
    if !options.dry_run {
        state.compact(service).await?;
    }
    // Dry runs spend read calls too: the day's count is kept either way.
    let (day, used) = client.day_count();
    state.save_day(service, day, used).await?;
    report.stats = client.stats();
    match result {
        Ok(()) => Ok(report),
        Err(e @ (SyncError::DailyCap { .. } | SyncError::GaveUp { .. })) => {
            report.stopped = Some(e.to_string());
            Ok(report)
        }
        Err(e) => Err(e),
    }
}

async fn run(
    service: &Service,
    plan: &Plan,
    client: &HubSpotClient,
    options: &SyncOptions,
    state: &mut State,
    report: &mut SyncReport,
) -> Result<(), SyncError> {
    let now_ms = service.clock.now().as_millisecond();
    // Webhooks: the notifications stored so far (those arriving from now on wait for the
    // next run), and whether the modified-since search is due as a safety net.
    let (pending, reconcile) = match &plan.hubspot.webhooks {
        None => (webhooks::Pending::default(), true),
        Some(w) => {
            let last = webhooks::last(service, "reconcile").await?;
            let every = i64::try_from(w.reconcile_every.as_millis()).unwrap_or(i64::MAX);
            (webhooks::Pending::load(service).await?, last.is_none_or(|l| now_ms.saturating_sub(l) >= every))
        }
    };
    // With webhooks, properties are checked at reconcile runs only (a run a webhook asked
    // for spends nothing it does not need).
    if options.install_fields && reconcile {
        install_fields(plan, client, options.dry_run, report).await?;
    }
    // Values seen in this run (dry runs keep them in memory only).
    let mut seen: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    if reconcile {
        for (object, mapping) in plan.mapped_objects() {
            // Deals after contacts, so the leads they name are known.
            let r = read_object(service, plan, client, options, state, object, mapping, &mut seen).await?;
            report.reads.push(r);
        }
        if plan.deals.is_some() {
            report.reads.push(crate::deleted::hubspot_deals(service, client, options, state).await?);
        }
    } else {
        for (object, mapping) in plan.mapped_objects() {
            let todo = pending.todo(object, |id| state.records.get(id).map(|r| &r.w));
            let r = read_changed(service, plan, client, options, state, object, mapping, &todo, &mut seen).await?;
            report.reads.push(r);
        }
    }
    // Deletions notified: deals leave leadrank's outcomes (as the archived list does), and
    // deleted contacts are forgotten (nothing is written to them).
    if !pending.is_empty() {
        let deleted = |object: &str| -> Vec<String> {
            pending.todo(object, |_| None).into_iter().filter(|(_, t)| *t == webhooks::Todo::Delete).map(|(id, _)| id).collect()
        };
        if plan.deals.is_some() && !reconcile {
            let mut r = ReadReport { object: "deleted deals (webhooks)".into(), ..ReadReport::default() };
            let ids = deleted("deals");
            r.read = ids.len() as u64;
            crate::deleted::remove(service, ids, options.dry_run, &mut r).await?;
            report.reads.push(r);
        }
        let gone: BTreeMap<String, Option<RecordState>> =
            deleted("contacts").into_iter().filter(|id| state.records.contains_key(id)).map(|id| (id, None)).collect();
        report.gone += gone.len() as u64;
        if !options.dry_run {
            state.append(service, gone).await?;
        }
    }
    // What was read is committed: the notifications it answered can go (a stop before this
    // point reads them again).
    if !options.dry_run && plan.hubspot.webhooks.is_some() {
        pending.clear(service).await?;
        if reconcile {
            webhooks::mark(service, "reconcile", now_ms).await?;
        }
    }
    // Engagement events after contacts, so the leads they belong to are known. HubSpot sends
    // no webhooks for them: with webhooks they are read on the source's interval.
    let poll = match (&plan.hubspot.webhooks, plan.hubspot.interval) {
        (Some(_), Some(interval)) if crate::hubspot_events::wanted(plan) => {
            let every = i64::try_from(interval.as_millis()).unwrap_or(i64::MAX);
            reconcile || webhooks::last(service, "polled").await?.is_none_or(|l| now_ms.saturating_sub(l) >= every)
        }
        _ => true,
    };
    if poll {
        crate::hubspot_events::read(service, plan, client, options, state, &mut report.reads).await?;
    }
    if !options.dry_run && plan.hubspot.webhooks.is_some() && poll && crate::hubspot_events::wanted(plan) {
        webhooks::mark(service, "polled", now_ms).await?;
    }
    if plan.writeback {
        write_back(service, plan, client, options, state, &seen, report).await?;
    }
    Ok(())
}

async fn install_fields(plan: &Plan, client: &HubSpotClient, dry: bool, report: &mut SyncReport) -> Result<(), SyncError> {
    let path = "/crm/v3/properties/contacts";
    let have = client.get(path, Purpose::Setup).await?;
    let existing: HashSet<String> = have
        .body
        .get("results")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|p| p.get("name").and_then(Value::as_str).map(str::to_string)).collect())
        .unwrap_or_default();
    let missing: Vec<CrmField> =
        plan.shape.fields.iter().copied().filter(|f| !existing.contains(&f.property(&plan.shape.prefix))).collect();
    report.installed = missing.iter().map(|f| f.property(&plan.shape.prefix)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    if dry {
        report.would_spend.setup += 2;
        return Ok(());
    }
    let group = json!({"name": plan.group, "label": "leadrank", "displayOrder": -1});
    match client.post(&format!("{path}/groups"), &group, Purpose::Setup).await {
        Ok(_) => {}
        Err(SyncError::Api { status: 409, .. }) => {}
        Err(e) => return Err(e),
    }
    let inputs: Vec<Value> = missing
        .iter()
        .map(|f| {
            let (kind, field_type) = match f.kind() {
                FieldKind::Number => ("number", "number"),
                FieldKind::Text => ("string", "text"),
                FieldKind::LongText => ("string", "textarea"),
                FieldKind::Bool => ("bool", "booleancheckbox"),
            };
            let mut p = json!({"name": f.property(&plan.shape.prefix), "label": f.label(), "description": f.description(),
                "type": kind, "fieldType": field_type, "groupName": plan.group, "formField": false});
            if f.kind() == FieldKind::Bool {
                p["options"] =
                    json!([{"label": "Yes", "value": "true", "displayOrder": 0}, {"label": "No", "value": "false", "displayOrder": 1}]);
            }
            p
        })
        .collect();
    client.post(&format!("{path}/batch/create"), &json!({ "inputs": inputs }), Purpose::Setup).await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn read_object(
    service: &Service,
    plan: &Plan,
    client: &HubSpotClient,
    options: &SyncOptions,
    state: &mut State,
    object: &str,
    mapping: &Mapping,
    seen: &mut BTreeMap<String, BTreeMap<String, String>>,
) -> Result<ReadReport, SyncError> {
    let modified = modified_property(object);
    let (properties, associated) = plan.read_properties(object, mapping);
    let bound = bind(mapping, object, &properties, &associated)?;
    let mut since = state.cursor(service, object).await?;
    // A deal already held that was last modified at the stored cursor's time was read by the
    // previous run: it is not mapped again (which would spend association reads on it).
    let start = since;
    let mut report = ReadReport { object: object.into(), cursor_ms: since, ..ReadReport::default() };
    let mut at_since: HashSet<String> = HashSet::new();
    let mut after: Option<String> = None;
    let path = format!("/crm/v3/objects/{object}/search");
    loop {
        let mut body = json!({
            "filterGroups": [{"filters": [{"propertyName": modified, "operator": "GTE", "value": since.to_string()}]}],
            "sorts": [{"propertyName": modified, "direction": "ASCENDING"}],
            "properties": properties,
            "limit": plan.hubspot.page_size,
        });
        if let Some(a) = &after {
            body["after"] = json!(a);
        }
        let answer = client.post(&path, &body, Purpose::Read).await?;
        let (found, more) = page_records(&answer.body, object, &path)?;
        let last_ms = found.iter().map(|f| f.modified_ms).max().unwrap_or(since);
        let fresh: Vec<&Found> = found.iter().filter(|f| !(f.modified_ms == since && at_since.contains(&f.id))).collect();
        let held = |f: &Found| object == "deals" && f.modified_ms == start && service.deal(&f.id).is_some();
        // Each association column's value per record (the first associated id).
        let mut linked: Vec<BTreeMap<String, String>> = Vec::with_capacity(associated.len());
        for (_, to) in &associated {
            linked.push(first_associations(client, object, to, fresh.iter().filter(|f| !held(f)).map(|f| f.id.as_str())).await?);
        }
        let page = Page { object, properties: &properties, bound: &bound, linked: &linked };
        map_page(service, plan, options, state, &page, &fresh, &held, seen, &mut report).await?;
        advance_cursor(&mut since, &mut at_since, &mut after, last_ms, &found, &answer.body);
        if !options.dry_run {
            state.save_cursor(service, object, since).await?;
        }
        report.cursor_ms = since;
        if !more || found.is_empty() {
            break;
        }
    }
    Ok(report)
}

/// Binds a mapping to the columns of a read: the properties, then the association columns.
fn bind<'m>(
    mapping: &'m Mapping,
    object: &str,
    properties: &[String],
    associated: &[(&str, &str)],
) -> Result<leadrank_mapping::Bound<'m>, SyncError> {
    let columns: Vec<String> = properties.iter().cloned().chain(associated.iter().map(|(c, _)| c.to_string())).collect();
    mapping
        .bind(&columns, &format!("HubSpot {object}"), Presence::Optional)
        .map_err(|e| SyncError::Protocol { path: format!("mapping of {object}"), detail: e.to_string() })
}

/// Records read at once, however they were found.
struct Page<'a, 'm> {
    object: &'a str,
    properties: &'a [String],
    bound: &'a leadrank_mapping::Bound<'m>,
    /// Per association column, the first associated id of each record.
    linked: &'a [BTreeMap<String, String>],
}

/// Maps records read (a search page or a batch read) and hands the changed ones to the
/// service; contacts' current leadrank values go to `seen` and the journal.
#[allow(clippy::too_many_arguments)]
async fn map_page(
    service: &Service,
    plan: &Plan,
    options: &SyncOptions,
    state: &mut State,
    page: &Page<'_, '_>,
    fresh: &[&Found],
    held: &(dyn Fn(&Found) -> bool + Sync),
    seen: &mut BTreeMap<String, BTreeMap<String, String>>,
    report: &mut ReadReport,
) -> Result<(), SyncError> {
    let object = page.object;
    let written = plan.written_properties();
    let mut leads = Vec::new();
    let mut accounts = Vec::new();
    let mut deals = Vec::new();
    let mut journal: BTreeMap<String, Option<RecordState>> = BTreeMap::new();
    for f in fresh {
        report.read += 1;
        let cells: Vec<&str> = page
            .properties
            .iter()
            .map(|p| f.properties.get(p).map_or("", String::as_str))
            .chain(page.linked.iter().map(|l| l.get(&f.id).map_or("", String::as_str)))
            .collect();
        if held(f) {
            report.unchanged += 1;
            continue;
        }
        if object == "deals" {
            if let Some(deal) = map_outcome(service, page.bound, &cells, object, &f.id, report) {
                deals.push(deal);
            }
            continue;
        }
        let Some(mapped) = map_record(service, page.bound, &cells, object, &f.id, object == "contacts", report) else { continue };
        if object == "contacts" {
            if let Mapped::Lead(lead) = mapped {
                leads.push(*lead);
            }
            if plan.writeback {
                let current: BTreeMap<String, String> =
                    written.iter().map(|p| (p.clone(), f.properties.get(p).cloned().unwrap_or_default())).collect();
                let mut rs = state.records.get(&f.id).cloned().unwrap_or_default();
                rs.c = current.clone();
                seen.insert(f.id.clone(), current);
                journal.insert(f.id.clone(), Some(rs));
            }
        } else if let Mapped::Account(a) = mapped {
            accounts.push(a);
        }
    }
    if options.dry_run {
        report.updated += (leads.len() + accounts.len() + deals.len()) as u64;
    } else {
        send(service, accounts, leads, deals, report).await?;
        state.append(service, journal).await?;
    }
    Ok(())
}

/// Records read per batch read (HubSpot's limit).
pub const READ_BATCH: usize = 100;

/// Reads the records of `object` webhooks named (`todo`) by id (`POST
/// /crm/v3/objects/{object}/batch/read`, 100 a call, the properties a search asks for) and
/// maps them as search results are. A deal leadrank holds whose associations were not
/// notified as changed keeps the contact and company it has (no association reads).
/// Records HubSpot no longer has are passed over (their deletion is notified apart).
#[allow(clippy::too_many_arguments)]
async fn read_changed(
    service: &Service,
    plan: &Plan,
    client: &HubSpotClient,
    options: &SyncOptions,
    state: &mut State,
    object: &str,
    mapping: &Mapping,
    todo: &BTreeMap<String, webhooks::Todo>,
    seen: &mut BTreeMap<String, BTreeMap<String, String>>,
) -> Result<ReadReport, SyncError> {
    let mut report = ReadReport { object: format!("{object} (webhooks)"), ..ReadReport::default() };
    report.cursor_ms = state.cursor(service, object).await?;
    let wanted: Vec<(&String, bool)> = todo
        .iter()
        .filter_map(|(id, t)| match t {
            webhooks::Todo::Read { associations } => Some((id, *associations)),
            webhooks::Todo::Skip => {
                report.unchanged += 1;
                None
            }
            webhooks::Todo::Delete => None,
        })
        .collect();
    if wanted.is_empty() {
        return Ok(report);
    }
    let (properties, associated) = plan.read_properties(object, mapping);
    let bound = bind(mapping, object, &properties, &associated)?;
    let path = format!("/crm/v3/objects/{object}/batch/read");
    for chunk in wanted.chunks(READ_BATCH) {
        let inputs: Vec<Value> = chunk.iter().map(|(id, _)| json!({ "id": id })).collect();
        let answer = client.post(&path, &json!({"properties": properties, "inputs": inputs}), Purpose::Read).await?;
        let (found, _) = page_records(&answer.body, object, &path)?;
        let fresh: Vec<&Found> = found.iter().collect();
        // Associations: kept from the deal held unless notified as changed.
        let mut linked: Vec<BTreeMap<String, String>> = vec![BTreeMap::new(); associated.len()];
        let mut ask: Vec<&str> = Vec::new();
        for f in &fresh {
            let notified = chunk.iter().any(|(id, a)| **id == f.id && *a);
            let reuse = object == "deals" && !notified;
            match reuse.then(|| service.deal(&f.id)).flatten() {
                Some(held) => {
                    for (i, (column, _)) in associated.iter().enumerate() {
                        let v = if *column == "associated_contact_id" { held.lead_id.clone() } else { held.account_id.clone() };
                        if let Some(v) = v {
                            linked[i].insert(f.id.clone(), v);
                        }
                    }
                }
                None => ask.push(f.id.as_str()),
            }
        }
        for (i, (_, to)) in associated.iter().enumerate() {
            if !ask.is_empty() {
                linked[i].extend(first_associations(client, object, to, ask.iter().copied()).await?);
            }
        }
        let page = Page { object, properties: &properties, bound: &bound, linked: &linked };
        map_page(service, plan, options, state, &page, &fresh, &|_| false, seen, &mut report).await?;
    }
    Ok(report)
}

/// One record mapped: a lead or account that changed, or one the service already holds.
pub(crate) enum Mapped {
    Lead(Box<leadrank_core::records::Lead>),
    Account(leadrank_core::records::Account),
    Unchanged,
}

/// The mapping applied to one record's cells: the mapped values in the bound names' order,
/// or `None` with every problem listed in `report` as `object id: column: reason`.
fn apply_mapping(
    bound: &leadrank_mapping::Bound<'_>,
    cells: &[&str],
    object: &str,
    id: &str,
    report: &mut ReadReport,
) -> Option<Vec<String>> {
    let applied = bound.apply(cells);
    if applied.problems.is_empty() {
        return Some(applied.values);
    }
    for (i, message) in &applied.problems {
        report.rejected.push(format!("{object} {id}: {}: {message}", bound.names().get(*i).map_or("", String::as_str)));
    }
    None
}

/// Maps one record's cells (in the bound columns' order) into a lead (`as_lead`) or an
/// account; `None` when the mapping or the checks refuse it (listed in `report` with the
/// record id, the field and the reason). Records the service holds unchanged are counted.
pub(crate) fn map_record(
    service: &Service,
    bound: &leadrank_mapping::Bound<'_>,
    cells: &[&str],
    object: &str,
    id: &str,
    as_lead: bool,
    report: &mut ReadReport,
) -> Option<Mapped> {
    let values = apply_mapping(bound, cells, object, id, report)?;
    let pairs = bound.names().iter().map(String::as_str).zip(values.iter().map(String::as_str));
    let refused = |report: &mut ReadReport, errors: leadrank_core::records::FieldErrors| {
        for e in errors.0 {
            report.rejected.push(format!("{object} {id}: {}: {}", e.field, e.error));
        }
    };
    if as_lead {
        match lead_from_pairs_all_errors(pairs) {
            Ok(lead) if service.lead_record(&lead.lead_id).as_ref() == Some(&lead) => {
                report.unchanged += 1;
                Some(Mapped::Unchanged)
            }
            Ok(lead) => Some(Mapped::Lead(Box::new(lead))),
            Err(errors) => {
                refused(report, errors);
                None
            }
        }
    } else {
        match account_from_pairs_all_errors(pairs) {
            Ok(a) if service.account_record(&a.account_id).as_ref() == Some(&a) => {
                report.unchanged += 1;
                Some(Mapped::Unchanged)
            }
            Ok(a) => Some(Mapped::Account(a)),
            Err(errors) => {
                refused(report, errors);
                None
            }
        }
    }
}

/// The first record of type `to` associated with each of `ids` (records of type `from`), by
/// id, read in batches of at most 1,000 (HubSpot's limit). Records without one are absent.
async fn first_associations<'a>(
    client: &HubSpotClient,
    from: &str,
    to: &str,
    ids: impl Iterator<Item = &'a str>,
) -> Result<BTreeMap<String, String>, SyncError> {
    let ids: Vec<&str> = ids.collect();
    let path = format!("/crm/v4/associations/{from}/{to}/batch/read");
    let mut first = BTreeMap::new();
    for chunk in ids.chunks(ASSOCIATION_BATCH) {
        let inputs: Vec<Value> = chunk.iter().map(|id| json!({ "id": id })).collect();
        let answer = client.post(&path, &json!({ "inputs": inputs }), Purpose::Read).await?;
        let bad = |d: &str| SyncError::Protocol { path: path.clone(), detail: d.into() };
        let results = answer.body.get("results").and_then(Value::as_array).ok_or_else(|| bad("no results array"))?;
        for r in results {
            let id = r.pointer("/from/id").and_then(Value::as_str).ok_or_else(|| bad("a result without from.id"))?;
            // HubSpot gives `toObjectId` as a number; a string is accepted too.
            let to_id =
                r.pointer("/to/0/toObjectId").and_then(|v| v.as_u64().map(|n| n.to_string()).or_else(|| v.as_str().map(str::to_string)));
            if let Some(to_id) = to_id {
                first.insert(id.to_string(), to_id);
            }
        }
    }
    Ok(first)
}

/// Associations read per call (HubSpot's batch limit).
pub const ASSOCIATION_BATCH: usize = 1_000;

/// Maps one deal's or opportunity's cells into an outcome; `None` when the mapping or the
/// checks refuse it (listed in `report` as `object id: field: reason`) or when the service
/// holds the same deal (counted unchanged).
pub(crate) fn map_outcome(
    service: &Service,
    bound: &leadrank_mapping::Bound<'_>,
    cells: &[&str],
    object: &str,
    id: &str,
    report: &mut ReadReport,
) -> Option<Opportunity> {
    let values = apply_mapping(bound, cells, object, id, report)?;
    let pairs = bound.names().iter().map(String::as_str).zip(values.iter().map(String::as_str));
    match opportunity_from_pairs(pairs) {
        Ok(deal) if service.deal(&deal.id).as_ref() == Some(&deal) => {
            report.unchanged += 1;
            None
        }
        Ok(deal) => Some(deal),
        Err(OpportunityError::Fields(problems)) => {
            for (field, reason) in problems {
                report.rejected.push(format!("{object} {id}: {field}: {reason}"));
            }
            None
        }
        Err(OpportunityError::ClosedBeforeCreated) => {
            report.rejected.push(format!("{object} {id}: closed_at: is before created_at"));
            None
        }
    }
}

/// Sends a page's mapped records to the service (accounts first, so their leads find them;
/// deals last), counting the outcomes.
pub(crate) async fn send(
    service: &Service,
    accounts: Vec<leadrank_core::records::Account>,
    leads: Vec<leadrank_core::records::Lead>,
    deals: Vec<Opportunity>,
    report: &mut ReadReport,
) -> Result<(), SyncError> {
    if !accounts.is_empty() {
        for o in service.upsert_accounts(accounts).await? {
            count(report, o);
        }
    }
    if !leads.is_empty() {
        for o in service.upsert_leads(leads).await? {
            count(report, o);
        }
    }
    if !deals.is_empty() {
        for o in service.upsert_deals(deals).await? {
            count(report, o);
        }
    }
    Ok(())
}

pub(crate) fn count(r: &mut ReadReport, o: leadrank_service::Outcome) {
    match o {
        leadrank_service::Outcome::Created => r.created += 1,
        leadrank_service::Outcome::Suppressed => r.suppressed += 1,
        _ => r.updated += 1,
    }
}

/// One record's planned write.
pub(crate) struct Pending {
    pub id: String,
    pub writes: BTreeMap<String, String>,
    /// The record's state once the write succeeds.
    pub state: RecordState,
    pub clearing: bool,
}

/// Plans the write-back of every record known (stored, or `seen` in this run): the values
/// `wanted` for its lead (every field `cleared` for an erased person) against what was last
/// written and what the CRM holds. Records with nothing to write are settled at once (found
/// in place; an erased person's record already clear is forgotten); a dry run lists the
/// changes in `report` and stores nothing.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn plan_writes(
    service: &Service,
    state: &mut State,
    seen: &BTreeMap<String, BTreeMap<String, String>>,
    rules: &Rules,
    wanted: impl Fn(&leadrank_crm::Snapshot) -> BTreeMap<String, String>,
    cleared: &BTreeMap<String, String>,
    dry_run: bool,
    report: &mut SyncReport,
) -> Result<Vec<Pending>, SyncError> {
    let mut ids: Vec<String> = state.records.keys().cloned().collect();
    ids.extend(seen.keys().filter(|k| !state.records.contains_key(*k)).cloned());
    ids.sort();
    ids.dedup();
    let mut pending: Vec<Pending> = Vec::new();
    let mut settled: BTreeMap<String, Option<RecordState>> = BTreeMap::new();
    for id in ids {
        let mut rs = state.records.get(&id).cloned().unwrap_or_default();
        if let Some(c) = seen.get(&id) {
            rs.c = c.clone();
        }
        let (wanted, clearing) = match service.crm_lead(&id) {
            Some(snap) => (wanted(&snap), false),
            None if service.lead_erased(&id) => (cleared.clone(), true),
            None => continue,
        };
        let p = plan_record(&wanted, &rs.w, Some(&rs.c), rules, clearing);
        for d in p.decisions.values() {
            if !matches!(d, Decision::Write(_) | Decision::Unchanged) {
                *report.kept.entry(d.as_str()).or_default() += 1;
            }
        }
        let writes = p.writes();
        let next_w = p.written_after(&rs.w, &wanted);
        if writes.is_empty() {
            if clearing {
                // Nothing left to clear: forget the record (counted once, when it was cleared).
                settled.insert(id.clone(), None);
                if rs.w.values().any(|v| !v.is_empty()) {
                    report.cleared += 1;
                }
            } else if next_w != rs.w {
                // Found in place (e.g. written just before a stop): record it, spend nothing.
                settled.insert(id.clone(), Some(RecordState { w: next_w, c: rs.c.clone() }));
            }
            continue;
        }
        let mut c = rs.c.clone();
        c.extend(writes.clone());
        if dry_run {
            let fields = writes.iter().map(|(k, v)| (k.clone(), rs.c.get(k).cloned().unwrap_or_default(), v.clone())).collect();
            report.changes.push(Change { id: id.clone(), fields, clearing });
        }
        pending.push(Pending { id, writes, state: RecordState { w: next_w, c }, clearing });
    }
    if !dry_run {
        state.append(service, settled).await?;
    }
    report.records_written = pending.len() as u64;
    report.fields_written = pending.iter().map(|p| p.writes.len() as u64).sum();
    Ok(pending)
}

async fn write_back(
    service: &Service,
    plan: &Plan,
    client: &HubSpotClient,
    options: &SyncOptions,
    state: &mut State,
    seen: &BTreeMap<String, BTreeMap<String, String>>,
    report: &mut SyncReport,
) -> Result<(), SyncError> {
    let wanted = |snap: &leadrank_crm::Snapshot| {
        let mut w = desired(snap, &plan.shape);
        if plan.lifecycle
            && let Some(v) = snap.stage.as_deref().and_then(lifecycle_of)
        {
            w.insert("lifecyclestage".into(), v.into());
        }
        w
    };
    let pending = plan_writes(service, state, seen, &plan.rules, wanted, &cleared(&plan.shape), options.dry_run, report).await?;
    if options.dry_run {
        report.would_spend.writes += batches(pending.len() as u64, BATCH as u64);
        return Ok(());
    }
    let path = "/crm/v3/objects/contacts/batch/update";
    let mut written_records = 0u64;
    let mut written_fields = 0u64;
    let mut cleared_now = 0u64;
    for chunk in pending.chunks(BATCH) {
        let inputs: Vec<Value> = chunk.iter().map(|p| json!({"id": p.id, "properties": p.writes})).collect();
        let answer = match client.post(path, &json!({ "inputs": inputs }), Purpose::Write).await {
            Ok(a) => a,
            Err(SyncError::Api { crm, status, category, message, correlation }) if message.contains("does not exist") => {
                return Err(SyncError::Api {
                    crm,
                    status,
                    category,
                    message: format!("{message} (create leadrank's properties with `leadrank sync hubspot --install-fields`)"),
                    correlation,
                });
            }
            Err(e) => {
                report.records_written = written_records;
                report.fields_written = written_fields;
                return Err(e);
            }
        };
        // 207: the inputs named in `errors` failed; the rest were written.
        let mut failed: BTreeMap<String, (String, String)> = BTreeMap::new();
        if let Some(errors) = answer.body.get("errors").and_then(Value::as_array) {
            for e in errors {
                let category = e.get("category").and_then(Value::as_str).unwrap_or("").to_string();
                let message = e.get("message").and_then(Value::as_str).unwrap_or("").to_string();
                for id in e.pointer("/context/ids").and_then(Value::as_array).into_iter().flatten() {
                    if let Some(id) = id.as_str() {
                        failed.insert(id.to_string(), (category.clone(), message.clone()));
                    }
                }
            }
        } else if answer.status == 207 {
            return Err(SyncError::Protocol { path: path.into(), detail: "a 207 answer without errors".into() });
        }
        let mut journal: BTreeMap<String, Option<RecordState>> = BTreeMap::new();
        for p in chunk {
            match failed.get(&p.id) {
                Some((category, _)) if category == "OBJECT_NOT_FOUND" => {
                    report.gone += 1;
                    journal.insert(p.id.clone(), None);
                }
                Some((category, message)) => report.failed.push(format!("contact {}: {category}: {message}", p.id)),
                None => {
                    written_records += 1;
                    written_fields += p.writes.len() as u64;
                    if p.clearing {
                        cleared_now += 1;
                        journal.insert(p.id.clone(), None);
                    } else {
                        journal.insert(p.id.clone(), Some(p.state.clone()));
                    }
                }
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
            .audit(
                actor,
                "crm.erase",
                &format!("hubspot: leadrank's fields cleared on {} erased person(s)' contact records", report.cleared),
            )
            .await?;
    }
    Ok(())
}

impl SyncReport {
    /// The report as text: totals, and for a dry run every record and field that would
    /// change.
    pub fn render(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let verb = if self.dry_run { "would be " } else { "" };
        if !self.installed.is_empty() {
            let _ = writeln!(s, "properties {verb}created: {}", self.installed.join(", "));
        }
        if !self.field_specs.is_empty() {
            let _ = writeln!(s, "{}", self.field_specs);
        }
        if !self.missing_fields.is_empty() {
            let _ = writeln!(
                s,
                "fields missing in {} (an admin creates them as described; nothing is written back until then): {}",
                if self.crm.is_empty() { "the CRM" } else { self.crm },
                self.missing_fields.join(", ")
            );
        }
        for r in &self.reads {
            if r.object == "deleted deals (webhooks)" {
                let _ = writeln!(
                    s,
                    "{}: {} deleted, {} removed from leadrank{}",
                    r.object,
                    r.read,
                    r.deleted,
                    if self.dry_run { " (would be)" } else { "" }
                );
                continue;
            }
            if r.object.starts_with("deleted ") {
                let _ = writeln!(
                    s,
                    "{}: {} deleted since the cursor, {} removed from leadrank{}; cursor {}",
                    r.object,
                    r.read,
                    r.deleted,
                    if self.dry_run { " (would be)" } else { "" },
                    jiff::Timestamp::from_millisecond(r.cursor_ms).map(|t| t.to_string()).unwrap_or_default()
                );
                continue;
            }
            if r.events {
                let _ = writeln!(
                    s,
                    "{}: {} read, {} new event(s){}, {} already held, {} of erased people (not stored), {} skipped (not a lead in leadrank), {} rejected; cursor {}",
                    r.object,
                    r.read,
                    if self.dry_run { r.updated } else { r.created },
                    if self.dry_run { " (would be sent)" } else { "" },
                    r.unchanged,
                    r.suppressed,
                    r.skipped.len(),
                    r.rejected.len(),
                    jiff::Timestamp::from_millisecond(r.cursor_ms).map(|t| t.to_string()).unwrap_or_default()
                );
                for line in r.skipped.iter().take(50) {
                    let _ = writeln!(s, "  skipped {line}");
                }
                if r.skipped.len() > 50 {
                    let _ = writeln!(s, "  ... {} more skipped", r.skipped.len() - 50);
                }
                for line in r.rejected.iter().take(50) {
                    let _ = writeln!(s, "  rejected {line}");
                }
                continue;
            }
            let _ = writeln!(
                s,
                "{}: {} read, {} created, {} updated{}, {} unchanged, {} erased (not stored), {} rejected; cursor {}",
                r.object,
                r.read,
                r.created,
                r.updated,
                if self.dry_run { " (would be)" } else { "" },
                r.unchanged,
                r.suppressed,
                r.rejected.len(),
                jiff::Timestamp::from_millisecond(r.cursor_ms).map(|t| t.to_string()).unwrap_or_default()
            );
            for line in r.rejected.iter().take(50) {
                let _ = writeln!(s, "  rejected {line}");
            }
            if r.rejected.len() > 50 {
                let _ = writeln!(s, "  ... {} more rejected", r.rejected.len() - 50);
            }
        }
        for c in &self.changes {
            let _ = writeln!(s, "record {}{}:", c.id, if c.clearing { " (erased: clearing)" } else { "" });
            for (k, from, to) in &c.fields {
                let _ = writeln!(s, "  {k}: {from:?} -> {to:?}");
            }
        }
        let _ = writeln!(s, "write-back: {} record(s), {} field(s) {verb}written", self.records_written, self.fields_written);
        for (k, n) in &self.kept {
            let _ = writeln!(s, "  {n} field(s) {k}");
        }
        if self.cleared > 0 {
            let _ = writeln!(s, "erased people: leadrank's fields cleared on {} record(s)", self.cleared);
        }
        if self.gone > 0 {
            let _ =
                writeln!(s, "{} record(s) no longer in {}, forgotten", self.gone, if self.crm.is_empty() { "HubSpot" } else { self.crm });
        }
        for f in &self.failed {
            let _ = writeln!(s, "  not written (retried next run): {f}");
        }
        let c = self.stats.calls;
        let _ = writeln!(
            s,
            "API calls: {} ({} read, {} write, {} setup); {} retried, {} answered 429, {} server errors, {} timeouts",
            c.total(),
            c.reads,
            c.writes,
            c.setup,
            self.stats.retries,
            self.stats.throttled,
            self.stats.server_errors,
            self.stats.timeouts
        );
        if self.dry_run {
            let new: u64 = self
                .reads
                .iter()
                .filter(|r| matches!(r.object.as_str(), "contacts" | "leads" | "contacts (webhooks)"))
                .map(|r| r.updated)
                .sum();
            if new > 0 {
                let _ = writeln!(
                    s,
                    "note: a dry run stores none of the {new} new or changed contact(s): the write-back above uses the scores leadrank has now (none yet for new contacts)"
                );
            }
            let _ = writeln!(
                s,
                "a real run would spend {} more call(s) ({} write, {} setup) after these reads",
                self.would_spend.total(),
                self.would_spend.writes,
                self.would_spend.setup
            );
        }
        if let Some(why) = &self.stopped {
            let _ = writeln!(s, "stopped early: {why}");
        }
        s
    }
}
