//! The model file as written by people: TOML deserialised into these structs, then checked
//! and compiled by [`super::compile`].
//!
//! What each key means, its type and default, is documented once, in the table of
//! [`super::language`]; the schema, the reference and the unknown-key errors come from there.
//! The `JsonSchema` derives here only let a test check that the table and these structs hold
//! exactly the same keys.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// A whole model file.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    /// Name, version and description of the model.
    pub model: ModelMeta,
    /// Quality threshold and grades.
    pub scoring: ScoringSpec,
    /// The fit-by-intent cell (e.g. "A1"); optional.
    #[serde(default)]
    pub cell: Option<CellSpec>,
    /// Named lists that conditions refer to by name (industries, countries, pages, ...).
    #[serde(default)]
    pub lists: BTreeMap<String, Vec<String>>,
    /// Columns beyond the built-in lead fields that rules may use, with their types.
    #[serde(default)]
    pub custom_fields: BTreeMap<String, crate::records::FieldType>,
    /// Dimensions in display order, each with an optional cap on its points.
    #[schemars(with = "Vec<DimensionSpec>")]
    pub dimensions: Vec<Spanned<DimensionSpec>>,
    /// Scoring rules: each adds its points to its dimension when its condition holds.
    #[schemars(with = "Vec<RuleSpec>")]
    pub rules: Vec<Spanned<RuleSpec>>,
    /// Named conditions that add no points but drive the lifecycle, e.g. the product-
    /// qualified-lead signal `pql` (teammates invited, features used).
    #[serde(default)]
    #[schemars(with = "Vec<SignalSpec>")]
    pub signals: Vec<Spanned<SignalSpec>>,
    /// Lifecycle stage rules and sales acceptance settings.
    #[serde(default)]
    pub lifecycle: LifecycleSpec,
}

/// A named condition evaluated with every score; it adds no points.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignalSpec {
    /// Stable id, e.g. "pql".
    pub id: String,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[schemars(with = "ConditionSpec")]
    pub when: Spanned<ConditionSpec>,
}

/// The qualification checklists leadrank knows.
pub const CHECKLISTS: &[&str] = &["bant", "champ", "meddicc"];

/// The default rejection reason codes.
pub const DEFAULT_REJECTION_REASONS: &[&str] = &[
    "no_company_fit",
    "no_role_fit",
    "no_active_project",
    "weak_use_case",
    "no_budget_path",
    "bad_data",
    "duplicate",
    "competitor",
    "student_or_job_seeker",
    "spam",
    "unreachable",
    "existing_customer",
    "other",
];

/// Rejection reasons that disqualify a lead for good by default (the others send it to
/// nurture, from where it can be recycled).
pub const DEFAULT_DISQUALIFYING_REASONS: &[&str] =
    &["bad_data", "duplicate", "competitor", "student_or_job_seeker", "spam", "existing_customer"];

/// `[lifecycle]`: how leads move through stages. Every key has a default, so a model without
/// the section gets the default behaviour.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct LifecycleSpec {
    /// A lead enters `mql` when it is a quality lead (total >= quality_threshold).
    pub mql_on_quality: bool,
    /// The signal (see `[[signals]]`) whose holding moves a lead into `pql`; none by default.
    pub pql_signal: Option<String>,
    /// The qualification checklist of the model: "bant", "champ" or "meddicc".
    pub checklist: String,
    /// Entering `sql` requires every item of the checklist confirmed; a lead in `sal` whose
    /// checklist becomes complete enters `sql` by itself. With `false`, a rep may move a lead
    /// to `sql` with a partial checklist.
    pub sql_requires_checklist: bool,
    /// Days after a rejection before a lead whose score rises again can be recycled.
    pub recycle_after_days: u32,
    /// The reason codes a rep picks from when rejecting a lead.
    pub rejection_reasons: Vec<String>,
    /// The reasons that disqualify a lead for good; the others send it to nurture.
    pub disqualifying_reasons: Vec<String>,
}

impl Default for LifecycleSpec {
    fn default() -> Self {
        LifecycleSpec {
            mql_on_quality: true,
            pql_signal: None,
            checklist: "bant".into(),
            sql_requires_checklist: true,
            recycle_after_days: 30,
            rejection_reasons: DEFAULT_REJECTION_REASONS.iter().map(|s| s.to_string()).collect(),
            disqualifying_reasons: DEFAULT_DISQUALIFYING_REASONS.iter().map(|s| s.to_string()).collect(),
        }
    }
}

/// Identity of a model.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelMeta {
    pub name: String,
    pub version: String,
    #[serde(default)]
    pub description: Option<String>,
}

/// The quality threshold and the grade bands.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoringSpec {
    /// A lead is a quality lead when its total is at least this.
    pub quality_threshold: i32,
    /// Grades from best to worst; the last one has no `min` and takes everything below.
    pub grades: Vec<GradeSpec>,
}

/// One grade band.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GradeSpec {
    pub grade: String,
    #[serde(default)]
    pub min: Option<i32>,
}

/// The two-letter cell that crosses two dimensions (fit letter, intent digit).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CellSpec {
    pub rows: String,
    pub row_bands: Vec<BandSpec>,
    pub columns: String,
    pub column_bands: Vec<BandSpec>,
}

/// One band of a cell axis; the last band has no `min`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BandSpec {
    pub label: String,
    #[serde(default)]
    pub min: Option<i32>,
}

/// A dimension of the score.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DimensionSpec {
    pub id: String,
    #[serde(default)]
    pub label: Option<String>,
    /// Upper bound of the dimension's points; absent means uncapped (penalties).
    #[serde(default)]
    pub cap: Option<i32>,
}

/// A scoring rule.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// Stable id used in scores and explanations, e.g. "demo_request".
    pub id: String,
    pub dimension: String,
    /// Points added when the rule fires; negative for penalties.
    pub points: i32,
    /// Short human name for explanations.
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[schemars(with = "ConditionSpec")]
    pub when: Spanned<ConditionSpec>,
}

/// A list given inline (`["a", "b"]`) or by the name of a list in `[lists]`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum ListRef {
    Named(String),
    Inline(Vec<String>),
}

/// A literal value in a condition.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Scalar {
    Bool(bool),
    Integer(i64),
    Number(f64),
    Text(String),
}

/// `account_engaged = { at_least = 2, within_days = 30 }`: people of the lead's account
/// (the lead included) with an engagement event in the window.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountEngagedSpec {
    pub at_least: u32,
    pub within_days: u32,
}

/// `burst = { count = 5, seconds = 60 }`: that many matching events within a sliding window.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BurstSpec {
    pub count: u32,
    pub seconds: u32,
}

/// `followed_by = { event = "engagement", within_days = 7 }`: a later event after the match.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowSpec {
    pub event: ListRef,
    pub within_days: u32,
}

/// A condition. Exactly one subject (`field`, `fact`, `event`, `account_engaged`, `any`,
/// `all`, `not`) and, for fields and facts, exactly one operator.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConditionSpec {
    /// A lead field, a custom field or `account.<field>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// A derived fact: seniority, email_kind, email_domain, phone_valid, duplicate,
    /// gibberish_name, account_key, region, segment, bot_user_agent, form_burst, ip_burst,
    /// country_phone_mismatch, bot_risk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fact: Option<String>,
    /// Event type(s); "engagement" means any engagement event, "any" every event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<ListRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_engaged: Option<AccountEngagedSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Vec<ConditionSpec>>")]
    pub any: Option<Vec<Spanned<ConditionSpec>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Vec<ConditionSpec>>")]
    pub all: Option<Vec<Spanned<ConditionSpec>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Box<ConditionSpec>>")]
    pub not: Option<Box<Spanned<ConditionSpec>>>,

    // Operators on fields and facts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<Scalar>,
    /// Membership (case-insensitive); for a list field, any entry.
    #[serde(rename = "in", default, skip_serializing_if = "Option::is_none")]
    pub in_list: Option<ListRef>,
    /// The domain is one of the list or a subdomain of one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_in: Option<ListRef>,
    /// Contains one of the phrases as whole words (case-insensitive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contains_keyword: Option<ListRef>,
    /// Inclusive numeric range `[low, high]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub between: Option<[f64; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub present: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is: Option<bool>,
    /// A time between T and T + N days (by calendar date, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within_next_days: Option<u32>,
    /// A time between T - N days and T.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within_last_days: Option<u32>,

    // Options of event conditions.
    /// Only events in the last N days before T.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within_days: Option<u32>,
    /// URL paths under these prefixes (segment-aware, query ignored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<ListRef>,
    /// Event properties that must equal these values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub property: Option<BTreeMap<String, Scalar>>,
    /// Minimum number of matching events (default 1), or of distinct values with `distinct`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<u32>,
    /// Count distinct "path" or "property.<name>" values instead of events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distinct: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub burst: Option<BurstSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followed_by: Option<FollowSpec>,
}
