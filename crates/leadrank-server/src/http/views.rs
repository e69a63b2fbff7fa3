//! What the API answers: one view type per resource, built from the service's types, so that
//! a change of storage never changes the API by accident (and the API never shows a secret
//! hash or a storage-only field). Each view derives its schema in the OpenAPI document
//! (`utoipa::ToSchema`); a field holding a type of another crate is documented as an object
//! with a description, never as a schema written by hand.

use leadrank_core::Score;
use leadrank_core::records::{ConsentRecord, Event, Lead};
use leadrank_service::admin::{ModelDiff, PersonRecord, RuleChange};
use leadrank_service::ops::LeadOpsState;
use leadrank_service::service::Outcome;
use leadrank_store::{ApiKey, AuditEntry, Delivery, DeliveryState, Scope, StoredModel, StoredScore, Subscription};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// A list answer: `{"items": [...]}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Items<T> {
    pub items: Vec<T>,
}

impl<T> Items<T> {
    pub fn of<S>(source: impl IntoIterator<Item = S>, view: impl FnMut(S) -> T) -> Self {
        Items { items: source.into_iter().map(view).collect() }
    }
}

/// A model version in lists.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModelView {
    pub id: i64,
    pub name: String,
    pub version: String,
    pub created_at: String,
    pub active: bool,
    /// The TOML text (only when one version is asked for).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl ModelView {
    pub fn summary(m: StoredModel) -> Self {
        ModelView { id: m.id, name: m.name, version: m.version, created_at: m.created_at.to_string(), active: m.active, source: None }
    }

    pub fn with_source(m: StoredModel) -> Self {
        let source = Some(m.source.clone());
        ModelView { source, ..ModelView::summary(m) }
    }
}

/// A model version named in a diff.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModelRef {
    pub id: i64,
    pub name: String,
    pub version: String,
}

/// The quality threshold before and after.
#[derive(Debug, Serialize, ToSchema)]
pub struct FromTo {
    pub from: i32,
    pub to: i32,
}

/// `GET /v1/models/diff`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModelDiffView {
    pub from: ModelRef,
    pub to: ModelRef,
    pub quality_threshold: FromTo,
    pub rules: Vec<RuleChangeView>,
    pub unified_diff: String,
}

impl From<ModelDiff> for ModelDiffView {
    fn from(d: ModelDiff) -> Self {
        ModelDiffView {
            from: ModelRef { id: d.from.id, name: d.from.name, version: d.from.version },
            to: ModelRef { id: d.to.id, name: d.to.name, version: d.to.version },
            quality_threshold: FromTo { from: d.threshold_from, to: d.threshold_to },
            rules: d.rules.into_iter().map(RuleChangeView::from).collect(),
            unified_diff: d.unified_diff,
        }
    }
}

/// A webhook subscription; the signing secret only in the answer that created it.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookView {
    pub id: String,
    pub url: String,
    pub events: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    pub created_at: String,
}

impl WebhookView {
    pub fn listed(s: Subscription) -> Self {
        WebhookView { id: s.id, url: s.url, events: s.events, secret: None, created_at: s.created_at.to_string() }
    }

    pub fn created(s: Subscription) -> Self {
        let secret = Some(s.secret.clone());
        WebhookView { secret, ..WebhookView::listed(s) }
    }
}

/// One delivery of a webhook with its last attempt.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryView {
    pub id: String,
    pub event: String,
    pub state: DeliveryStateView,
    pub attempts: u32,
    pub created_at: String,
    pub next_attempt_at: String,
    pub last_attempt_at: Option<String>,
    pub last_status: Option<u16>,
    pub last_error: Option<String>,
}

impl From<Delivery> for DeliveryView {
    fn from(d: Delivery) -> Self {
        DeliveryView {
            id: d.id,
            event: d.event_type,
            state: d.state.into(),
            attempts: d.attempts,
            created_at: d.created_at.to_string(),
            next_attempt_at: d.next_attempt_at.to_string(),
            last_attempt_at: d.last_attempt_at.map(|t| t.to_string()),
            last_status: d.last_status,
            last_error: d.last_error,
        }
    }
}

/// An API key without its secret; the key itself only in the answer that created it.
#[derive(Debug, Serialize, ToSchema)]
pub struct KeyView {
    pub id: String,
    pub name: String,
    pub scopes: Vec<ScopeView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

impl KeyView {
    pub fn listed(k: ApiKey) -> Self {
        KeyView {
            id: k.id,
            name: k.name,
            scopes: k.scopes.into_iter().map(ScopeView::from).collect(),
            created_at: Some(k.created_at.to_string()),
            revoked_at: Some(k.revoked_at.map(|t| t.to_string())),
            key: None,
        }
    }

    pub fn created(k: ApiKey, secret: String) -> Self {
        KeyView {
            id: k.id,
            name: k.name,
            scopes: k.scopes.into_iter().map(ScopeView::from).collect(),
            created_at: None,
            revoked_at: None,
            key: Some(secret),
        }
    }
}

/// An entry of the audit log.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditView {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub detail: String,
}

impl From<AuditEntry> for AuditView {
    fn from(e: AuditEntry) -> Self {
        AuditView { at: e.at.to_string(), actor: e.actor, action: e.action, detail: e.detail }
    }
}

/// One entry of a lead's score history.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryView {
    pub at: String,
    pub total: i32,
    pub quality: bool,
    pub grade: String,
    pub cell: String,
    pub cause: String,
    pub model_id: i64,
}

impl From<StoredScore> for HistoryView {
    fn from(h: StoredScore) -> Self {
        HistoryView {
            at: h.as_of.to_string(),
            total: h.total,
            quality: h.quality,
            grade: h.grade,
            cell: h.cell,
            cause: h.cause,
            model_id: h.model_id,
        }
    }
}

/// A score history entry as held, ledger included, in a privacy export.
#[derive(Debug, Serialize, ToSchema)]
pub struct StoredHistoryView {
    pub lead_id: String,
    #[serde(flatten)]
    pub entry: HistoryView,
    /// The score with its reasons, as stored.
    pub score: ScoreBody,
}

impl From<StoredScore> for StoredHistoryView {
    fn from(mut h: StoredScore) -> Self {
        let lead_id = std::mem::take(&mut h.lead_id);
        let score = ScoreBody::from(Score::from(h.body.clone()));
        StoredHistoryView { lead_id, entry: HistoryView::from(h), score }
    }
}

/// Everything held about one lead, in a privacy export.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonView {
    /// The lead record as stored (built-in fields; custom fields as `[name, value]` pairs).
    #[schema(value_type = Option<Object>)]
    pub lead: Option<Lead>,
    /// The lead's events as stored.
    #[schema(value_type = Vec<Object>)]
    pub events: Vec<Event>,
    /// The lead's consent records.
    #[schema(value_type = Vec<Object>)]
    pub consents: Vec<ConsentRecord>,
    pub score: Option<ScoreBody>,
    pub score_history: Vec<StoredHistoryView>,
    /// How the lead was worked: stage, checklist notes, assignment, SLA clock.
    #[schema(value_type = Option<Object>)]
    pub operating: Option<LeadOpsState>,
    /// The lead's operating log entries (transitions, assignments, checklist changes, breaches).
    #[schema(value_type = Vec<Object>)]
    pub operating_log: Vec<serde_json::Value>,
}

impl From<PersonRecord> for PersonView {
    fn from(p: PersonRecord) -> Self {
        PersonView {
            lead: p.lead,
            events: p.events,
            consents: p.consents,
            score: p.score.map(ScoreBody::from),
            score_history: p.score_history.into_iter().map(StoredHistoryView::from).collect(),
            operating: p.operating,
            operating_log: p.operating_log,
        }
    }
}

/// A scope of an API key: `ingest` (writes of leads, accounts, events, consents), `read`
/// (reads), `sales` (work leads: accept, reject, move, checklists, re-route), `admin`
/// (everything, including models, webhooks, keys, privacy, teams, reps and routing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = Scope)]
pub enum ScopeView {
    Ingest,
    Read,
    Admin,
    Sales,
}

impl From<Scope> for ScopeView {
    fn from(s: Scope) -> Self {
        match s {
            Scope::Ingest => ScopeView::Ingest,
            Scope::Read => ScopeView::Read,
            Scope::Admin => ScopeView::Admin,
            Scope::Sales => ScopeView::Sales,
        }
    }
}

/// Where a webhook delivery stands: `failed` means given up after the retry horizon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = DeliveryState)]
pub enum DeliveryStateView {
    Pending,
    Delivered,
    Failed,
}

impl From<DeliveryState> for DeliveryStateView {
    fn from(s: DeliveryState) -> Self {
        match s {
            DeliveryState::Pending => DeliveryStateView::Pending,
            DeliveryState::Delivered => DeliveryStateView::Delivered,
            DeliveryState::Failed => DeliveryStateView::Failed,
        }
    }
}

/// How one rule differs between two model versions.
#[derive(Debug, Serialize, ToSchema)]
#[serde(tag = "change", rename_all = "snake_case")]
#[schema(as = RuleChange)]
pub enum RuleChangeView {
    Added { rule: String, points_to: i32 },
    Removed { rule: String, points_from: i32 },
    Changed { rule: String, points_from: i32, points_to: i32, dimension_from: String, dimension_to: String },
}

impl From<RuleChange> for RuleChangeView {
    fn from(c: RuleChange) -> Self {
        match c {
            RuleChange::Added { rule, points_to } => RuleChangeView::Added { rule, points_to },
            RuleChange::Removed { rule, points_from } => RuleChangeView::Removed { rule, points_from },
            RuleChange::Changed { rule, points_from, points_to, dimension_from, dimension_to } => {
                RuleChangeView::Changed { rule, points_from, points_to, dimension_from, dimension_to }
            }
        }
    }
}

/// A rule that fired (or a cap that cut a dimension) with its points and evidence.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Reason)]
pub struct ReasonView {
    /// The rule id, or "cap" for a cap.
    pub rule: String,
    pub dimension: String,
    pub points: i32,
    /// Evidence in words, e.g. "demo_request on 2026-03-02".
    pub detail: String,
}

/// A score with every reason: `total` is the sum of the reasons' points; `quality` is
/// `total >= the model's quality threshold`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Score)]
pub struct ScoreBody {
    pub lead_id: String,
    pub total: i32,
    pub quality: bool,
    pub grade: String,
    /// Fit-by-intent cell such as "A1"; empty when the model defines none.
    pub cell: String,
    /// Points per dimension after caps, in model order.
    #[schema(value_type = std::collections::HashMap<String, i32>)]
    pub dimensions: leadrank_core::engine::Dimensions,
    pub reasons: Vec<ReasonView>,
}

impl From<Score> for ScoreBody {
    fn from(s: Score) -> Self {
        ScoreBody {
            lead_id: s.lead_id,
            total: s.total,
            quality: s.quality,
            grade: s.grade.to_string(),
            cell: s.cell,
            dimensions: s.dimensions,
            reasons: s
                .reasons
                .into_iter()
                .map(|r| ReasonView { rule: r.rule.to_string(), dimension: r.dimension.to_string(), points: r.points, detail: r.detail })
                .collect(),
        }
    }
}

/// What became of one record of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecordStatus {
    Created,
    Updated,
    /// Events and consent records stored.
    Accepted,
    /// An event id already stored: nothing changed.
    Duplicate,
    /// The person was erased: nothing was stored.
    Suppressed,
    /// Not stored; `pointer` and `reason` say why.
    Rejected,
}

impl From<&Outcome> for RecordStatus {
    fn from(o: &Outcome) -> Self {
        match o {
            Outcome::Created => RecordStatus::Created,
            Outcome::Updated => RecordStatus::Updated,
            Outcome::Accepted => RecordStatus::Accepted,
            Outcome::Duplicate => RecordStatus::Duplicate,
            Outcome::Suppressed => RecordStatus::Suppressed,
            Outcome::Rejected => RecordStatus::Rejected,
        }
    }
}

/// The id member a batch's results carry.
#[derive(Debug, Clone, Copy)]
pub enum RecordId {
    Lead,
    Account,
    Event,
    Opportunity,
}

/// The result of one record of a batch, in the order of the request.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordResult {
    /// Position of the record in the batch.
    pub index: usize,
    pub status: RecordStatus,
    /// The lead's id (leads and consent records), when the record has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lead_id: Option<String>,
    /// The account's id (accounts), when the record has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// The event's id (events), when the record has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// The opportunity's id (outcomes), when the record has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opportunity_id: Option<String>,
    /// JSON pointer of the field at fault in the request body (rejected records).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// Why the record was rejected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl RecordResult {
    /// The result of record `index`; `why` is (pointer in the body, reason) for a rejection.
    pub fn new(index: usize, id_kind: RecordId, id: Option<&str>, outcome: &Outcome, why: Option<(String, String)>) -> Self {
        let id = id.map(str::to_string);
        let (pointer, reason) = why.map_or((None, None), |(p, r)| (Some(p), Some(r)));
        let mut r = RecordResult {
            index,
            status: outcome.into(),
            lead_id: None,
            account_id: None,
            event_id: None,
            opportunity_id: None,
            pointer,
            reason,
        };
        match id_kind {
            RecordId::Lead => r.lead_id = id,
            RecordId::Account => r.account_id = id,
            RecordId::Event => r.event_id = id,
            RecordId::Opportunity => r.opportunity_id = id,
        }
        r
    }
}

/// How many records of a batch had each status (statuses that no record had are left out).
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct BatchSummary {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rejected: Option<usize>,
}

/// The answer of a batch write: the counts and one result per record.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchResult {
    pub summary: BatchSummary,
    pub results: Vec<RecordResult>,
}

impl BatchResult {
    pub fn of(results: Vec<RecordResult>) -> Self {
        let mut summary = BatchSummary::default();
        for r in &results {
            let count = match r.status {
                RecordStatus::Created => &mut summary.created,
                RecordStatus::Updated => &mut summary.updated,
                RecordStatus::Accepted => &mut summary.accepted,
                RecordStatus::Duplicate => &mut summary.duplicate,
                RecordStatus::Suppressed => &mut summary.suppressed,
                RecordStatus::Rejected => &mut summary.rejected,
            };
            *count = Some(count.unwrap_or(0) + 1);
        }
        BatchResult { summary, results }
    }
}

/// A lead in the ranked list.
#[derive(Debug, Serialize, ToSchema)]
pub struct LeadListItem {
    pub lead_id: String,
    pub total: i32,
    pub quality: bool,
    pub grade: String,
    pub cell: String,
    pub source: Option<String>,
    /// The owner of the lead's account.
    pub owner: Option<String>,
    /// The lifecycle stage (inquiry, mql, pql, sal, sql, opportunity, won, lost, nurture,
    /// recycled, disqualified).
    pub stage: Option<String>,
    /// The rep who worked the lead last.
    pub rep: Option<String>,
    pub updated_at: String,
    pub as_of: String,
}

/// `GET /v1/leads`: a page of leads, highest score first.
#[derive(Debug, Serialize, ToSchema)]
pub struct LeadList {
    pub items: Vec<LeadListItem>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// The current score of a lead, without reasons.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScoreSummary {
    pub total: i32,
    pub quality: bool,
    pub grade: String,
    pub cell: String,
    pub as_of: String,
}

/// `GET /v1/leads/{lead_id}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct LeadView {
    /// The lead record as stored (built-in fields; custom fields as `[name, value]` pairs).
    #[schema(value_type = Object)]
    pub lead: Lead,
    /// Null until the lead has been scored.
    pub score: Option<ScoreSummary>,
}

/// The model a score was computed with.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScoringModel {
    pub id: i64,
    pub name: String,
    pub version: String,
}

/// `GET /v1/leads/{lead_id}/score`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScoreView {
    pub as_of: String,
    pub model: ScoringModel,
    pub score: ScoreBody,
    /// What separates the lead from the quality threshold: points `needed`, the missing
    /// signals (`suggestions`, largest gain first) and how many of them close the gap (`path`).
    #[schema(value_type = Object)]
    pub gap: leadrank_core::explain::Gap,
    /// The ledger, as `leadrank explain` prints it.
    pub explanation: String,
}

/// `GET /v1/leads/{lead_id}/history`.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryList {
    pub lead_id: String,
    pub items: Vec<HistoryView>,
}

/// A person of an account with the score.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountPerson {
    pub lead_id: String,
    pub total: Option<i32>,
    pub quality: Option<bool>,
}

/// `GET /v1/accounts/{account_id}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountView {
    /// The account record as stored.
    #[schema(value_type = Object)]
    pub account: leadrank_core::Account,
    /// The account's leads, highest score first.
    pub people: Vec<AccountPerson>,
    /// The account score: fit, engagement, recency, buying-committee coverage, reasons.
    #[schema(value_type = Option<Object>)]
    pub score: Option<leadrank_accounts::AccountScore>,
    /// The account ledger a rep reads.
    pub explanation: Option<String>,
}

/// A stage transition.
#[derive(Debug, Serialize, ToSchema)]
pub struct TransitionView {
    /// The stage left; null for the creation of the lead.
    pub from: Option<String>,
    pub to: String,
    pub at: String,
    /// `rule:<name>` or the rep or key that acted.
    pub actor: String,
    pub reason: String,
    /// The rejection reason code, for rejections.
    pub rejection: Option<String>,
    pub note: Option<String>,
}

impl From<&leadrank_lifecycle::Transition> for TransitionView {
    fn from(t: &leadrank_lifecycle::Transition) -> Self {
        TransitionView {
            from: t.from.map(|s| s.as_str().to_string()),
            to: t.to.as_str().to_string(),
            at: t.at.to_string(),
            actor: t.actor.clone(),
            reason: t.reason.clone(),
            rejection: t.rejection.clone(),
            note: t.note.clone(),
        }
    }
}

/// A lead's running SLA clock and where it stands now.
#[derive(Debug, Serialize, ToSchema)]
pub struct SlaView {
    /// The SLA policy id.
    pub policy: String,
    pub team: Option<String>,
    pub rep: Option<String>,
    /// One deadline per milestone, in policy order.
    #[schema(value_type = Vec<Object>)]
    pub milestones: Vec<leadrank_routing::Deadline>,
    /// Milestones met and breached, the next deadline, whether re-routing is due.
    #[schema(value_type = Object)]
    pub status: leadrank_routing::SlaStatus,
}

/// A lead's operating view: stage, checklists with the discovery prompt of each missing
/// item, assignment, SLA clock and status, touches and breaches.
#[derive(Debug, Serialize, ToSchema)]
pub struct LeadOpsView {
    pub lead_id: String,
    /// The lifecycle stage.
    pub stage: String,
    pub since: String,
    /// The lifecycle state: stage, history of transitions, checklist entries.
    #[schema(value_type = Object)]
    pub lifecycle: leadrank_lifecycle::LeadLifecycle,
    /// The model's checklist first, then any other framework with entries.
    #[schema(value_type = Vec<Object>)]
    pub checklists: Vec<leadrank_lifecycle::Completeness>,
    /// The current (or last) assignment.
    #[schema(value_type = Option<Object>)]
    pub assignment: Option<leadrank_service::ops::CurrentAssignment>,
    pub sla: Option<SlaView>,
    /// Sales touches recorded.
    pub touches: usize,
    /// SLA milestones breached.
    pub breaches: u32,
    /// The transition the action made, null when it moved nothing (actions only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<TransitionView>)]
    pub transition: Option<Option<TransitionView>>,
    /// Transitions, assignments, checklist changes and breaches, oldest first (GET only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Object>>)]
    pub log: Option<Vec<Value>>,
}

/// `POST /v1/leads/{lead_id}/route`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Rerouted {
    pub lead_id: String,
    /// The routing decision: the rule that chose, the team, the rep or queue, who was skipped
    /// and why.
    #[schema(value_type = Object)]
    pub assignment: leadrank_routing::Assignment,
}

/// A list of teams.
#[derive(Debug, Serialize, ToSchema)]
pub struct TeamList {
    #[schema(value_type = Vec<TeamSchema>)]
    pub items: Vec<leadrank_routing::Team>,
}

/// A rep with the open load.
#[derive(Debug, Serialize, ToSchema)]
pub struct RepListItem {
    pub id: String,
    pub name: String,
    /// The id of the rep's team.
    pub team: String,
    /// The most open leads the rep may hold.
    pub capacity: u32,
    /// Round-robin weight (null: the capacity).
    pub weight: Option<u32>,
    pub away: bool,
    /// End of an absence.
    pub away_until: Option<String>,
    pub email: Option<String>,
    /// Open leads now.
    pub open: u32,
    /// Leads assigned so far.
    pub assigned: u64,
}

impl RepListItem {
    pub fn new(rep: leadrank_routing::Rep, open: u32, assigned: u64) -> Self {
        let leadrank_routing::Rep { id, name, team, capacity, weight, away, away_until, email } = rep;
        RepListItem { id, name, team, capacity, weight, away, away_until: away_until.map(|t| t.to_string()), email, open, assigned }
    }
}

/// A list of reps.
#[derive(Debug, Serialize, ToSchema)]
pub struct RepList {
    pub items: Vec<RepListItem>,
}

/// Business hours of a team, in its time zone.
#[derive(Debug, Serialize, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = Calendar)]
pub struct CalendarSchema {
    /// Open days (mon .. sun). Default Monday to Friday.
    #[schema(value_type = Option<Vec<String>>, example = json!(["mon", "tue", "wed", "thu", "fri"]))]
    pub days: Option<Vec<String>>,
    /// Opening time "HH:MM". Default "09:00".
    pub start: Option<String>,
    /// Closing time "HH:MM". Default "17:00".
    pub end: Option<String>,
    /// Local dates on which the team is closed.
    pub holidays: Option<Vec<String>>,
}

/// A sales team with its business hours (the shape of `leadrank_routing::Team`; a test keeps
/// the two equal).
#[derive(Debug, Serialize, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = Team)]
pub struct TeamSchema {
    /// Stable id, no white space (on PUT, may be left out: the path names it).
    pub id: Option<String>,
    pub name: Option<String>,
    /// IANA time zone, default "UTC".
    pub timezone: Option<String>,
    pub calendar: Option<CalendarSchema>,
    /// The team's qualification checklist ("bant", "champ" or "meddicc"); for its leads it
    /// replaces the model's as the SQL gate.
    pub checklist: Option<String>,
}

/// A sales rep (the shape of `leadrank_routing::Rep`; a test keeps the two equal).
#[derive(Debug, Serialize, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = Rep)]
pub struct RepSchema {
    /// Stable id (on PUT, may be left out: the path names it).
    pub id: Option<String>,
    pub name: Option<String>,
    /// The id of the rep's team.
    pub team: String,
    /// The most open leads the rep may hold; at least 1.
    #[schema(minimum = 1)]
    pub capacity: u32,
    /// Round-robin weight (default: capacity); at least 1.
    pub weight: Option<u32>,
    pub away: Option<bool>,
    /// End of an absence (RFC 3339).
    pub away_until: Option<String>,
    pub email: Option<String>,
}

/// `PUT /v1/routing`.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoutingUploaded {
    /// Rules in the new routing file.
    pub rules: usize,
}

/// `POST /v1/models`: the version stored (inactive until activated).
#[derive(Debug, Serialize, ToSchema)]
pub struct ModelUploaded {
    pub id: i64,
    pub name: String,
    pub version: String,
    pub rules: usize,
    pub active: bool,
}

/// `POST /v1/models/{id}/activate`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivationQueued {
    pub model_id: i64,
    /// Always "queued".
    pub state: String,
    /// Where to follow the progress.
    pub progress: String,
}

/// Progress of the latest model activation.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivationView {
    pub model_id: Option<i64>,
    /// idle, queued, running, done or failed.
    pub state: String,
    pub done: u64,
    pub total: u64,
    pub error: Option<String>,
}

impl From<leadrank_service::service::Activation> for ActivationView {
    fn from(a: leadrank_service::service::Activation) -> Self {
        ActivationView { model_id: a.model_id, state: a.state.to_string(), done: a.done, total: a.total, error: a.error }
    }
}

/// The answer of a privacy export.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportView {
    pub exported_at: String,
    pub people: Vec<PersonView>,
}

/// What an erasure removed, per kind of record.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErasedCounts {
    pub leads: u64,
    pub events: u64,
    pub consents: u64,
    pub scores: u64,
    pub history: u64,
    pub deliveries: u64,
    /// Operating state and operating-log entries.
    pub ops: u64,
    /// Deals (opportunities) that named the lead.
    pub deals: u64,
}

/// The state of an opportunity.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OpportunityStatus {
    Open,
    Won,
    Lost,
}

/// A stored opportunity (deal). Times are RFC 3339.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpportunityView {
    pub opportunity_id: String,
    pub lead_id: Option<String>,
    pub account_id: Option<String>,
    pub status: OpportunityStatus,
    pub amount: Option<f64>,
    pub created_at: Option<String>,
    pub closed_at: Option<String>,
    pub loss_reason: Option<String>,
}

impl From<&leadrank_metrics::report::Opportunity> for OpportunityView {
    fn from(o: &leadrank_metrics::report::Opportunity) -> Self {
        use leadrank_metrics::report::OppStatus;
        let time = |s: Option<i64>| s.and_then(|s| jiff::Timestamp::from_second(s).ok()).map(|t| t.to_string());
        OpportunityView {
            opportunity_id: o.id.clone(),
            lead_id: o.lead_id.clone(),
            account_id: o.account_id.clone(),
            status: match o.status {
                OppStatus::Open => OpportunityStatus::Open,
                OppStatus::Won => OpportunityStatus::Won,
                OppStatus::Lost => OpportunityStatus::Lost,
            },
            amount: o.amount,
            created_at: time(o.created_at),
            closed_at: time(o.closed_at),
            loss_reason: o.loss_reason.clone(),
        }
    }
}

/// `GET /v1/outcomes`: every stored opportunity, by id.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpportunityList {
    pub items: Vec<OpportunityView>,
}

/// `POST /v1/privacy/erase`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErasedView {
    /// Leads erased.
    pub leads: usize,
    pub erased: ErasedCounts,
}

impl ErasedView {
    pub fn new(leads: usize, e: leadrank_store::Erased) -> Self {
        let leadrank_store::Erased { leads: l, events, consents, scores, history, deliveries, ops, deals } = e;
        ErasedView { leads, erased: ErasedCounts { leads: l, events, consents, scores, history, deliveries, ops, deals } }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::sync::Arc;

    use serde_json::{Value, json};

    use super::*;

    fn keys(v: &Value) -> BTreeSet<String> {
        v.as_object().expect("an object").keys().cloned().collect()
    }

    /// The views that copy a type of another crate serialise exactly as that type does.
    #[test]
    fn copied_types_serialise_as_their_originals() {
        for s in [Scope::Ingest, Scope::Read, Scope::Admin, Scope::Sales] {
            assert_eq!(serde_json::to_value(s).unwrap(), serde_json::to_value(ScopeView::from(s)).unwrap());
        }
        for s in [DeliveryState::Pending, DeliveryState::Delivered, DeliveryState::Failed] {
            assert_eq!(serde_json::to_value(s).unwrap(), serde_json::to_value(DeliveryStateView::from(s)).unwrap());
        }
        for o in [Outcome::Created, Outcome::Updated, Outcome::Accepted, Outcome::Duplicate, Outcome::Suppressed, Outcome::Rejected] {
            assert_eq!(serde_json::to_value(&o).unwrap(), serde_json::to_value(RecordStatus::from(&o)).unwrap());
        }
        let changes = [
            RuleChange::Added { rule: "r1".into(), points_to: 5 },
            RuleChange::Removed { rule: "r2".into(), points_from: 3 },
            RuleChange::Changed {
                rule: "r3".into(),
                points_from: 1,
                points_to: 2,
                dimension_from: "fit".into(),
                dimension_to: "intent".into(),
            },
        ];
        for c in changes {
            assert_eq!(serde_json::to_value(&c).unwrap(), serde_json::to_value(RuleChangeView::from(c.clone())).unwrap());
        }
        let score = Score {
            lead_id: "L1".into(),
            total: 35,
            quality: true,
            grade: Arc::from("A"),
            cell: "A1".into(),
            dimensions: leadrank_core::engine::Dimensions(vec![(Arc::from("fit"), 20), (Arc::from("intent"), 15)]),
            reasons: vec![leadrank_core::Reason {
                rule: Arc::from("demo"),
                dimension: Arc::from("intent"),
                points: 15,
                detail: "demo_request on 2026-03-02".into(),
            }],
        };
        assert_eq!(serde_json::to_value(&score).unwrap(), serde_json::to_value(ScoreBody::from(score)).unwrap());
    }

    /// The schemas of teams and reps take every member the routing crate writes, and no other.
    #[test]
    fn team_and_rep_schemas_match_the_routing_types() {
        let mut team = leadrank_routing::Team::new("emea");
        team.checklist = Some("bant".into());
        let written = serde_json::to_value(&team).unwrap();
        let schema: TeamSchema = serde_json::from_value(written.clone()).expect("the team schema takes a team");
        assert_eq!(keys(&serde_json::to_value(&schema).unwrap()), keys(&written));
        assert_eq!(keys(&serde_json::to_value(schema.calendar.unwrap()).unwrap()), keys(&written["calendar"]));
        let mut rep = leadrank_routing::Rep::new("ada", "emea", 10);
        rep.weight = Some(2);
        rep.email = Some("ada@example.com".into());
        let written = serde_json::to_value(&rep).unwrap();
        let schema: RepSchema = serde_json::from_value(written.clone()).expect("the rep schema takes a rep");
        assert_eq!(keys(&serde_json::to_value(&schema).unwrap()), keys(&written));
        assert!(serde_json::from_value::<RepSchema>(json!({"team": "t", "capacity": 1, "colour": "red"})).is_err());
        // A listed rep is the rep as written plus its load.
        rep.away_until = Some("2026-12-24T17:00:00Z".parse().unwrap());
        let mut written = serde_json::to_value(&rep).unwrap();
        written["open"] = json!(3);
        written["assigned"] = json!(7);
        assert_eq!(serde_json::to_value(RepListItem::new(rep, 3, 7)).unwrap(), written);
    }
}
