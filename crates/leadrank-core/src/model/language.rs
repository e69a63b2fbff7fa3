//! The model language in one table.
//!
//! [`SECTIONS`] lists every section of a model file with every key it may hold: the key's
//! name, value type, default, documentation and, for the keys of a condition, its role (what
//! the condition tests, an operator on a field or fact, or an option of event conditions).
//! [`FACTS`] lists the facts a condition can read. Everything a user sees about the language
//! derives from these two tables:
//!
//! * the JSON Schema for editors ([`json_schema`]: descriptions, enums, defaults);
//! * the reference documentation ([`reference_markdown`], committed as
//!   `docs/model-language.md` and printed by `leadrank model reference`);
//! * the "unknown key" errors with a "did you mean" suggestion ([`unknown_keys`]);
//! * which keys a condition of each kind accepts when it is compiled: an operator's compile
//!   step is the function its [`Operator`] entry points at, and a condition key outside the
//!   table cannot exist (a test matches the table against the structs of [`super::format`]).
//!
//! Evaluation stays where it was, in `engine::eval`: each operator's compile step builds one
//! variant of the compiled operator enum, which the evaluator matches on (no dynamic dispatch
//! per lead or event); event options compile into the event condition that `eval_events`
//! reads.

use std::fmt::Write as _;

use serde_json::{Map, Value, json};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::compile::{self, CompileOp, Fact};
use super::format::{CHECKLISTS, ConditionSpec, DEFAULT_DISQUALIFYING_REASONS, DEFAULT_REJECTION_REASONS};
use super::{ModelIssue, line_col};
use crate::records::{ACCOUNT_FIELDS, FieldType, LEAD_FIELDS};

/// The type of a key's value; it gives the key's JSON Schema and its documented type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    /// A string.
    Text,
    /// A whole number, possibly negative.
    Integer,
    /// A whole number, 0 or more.
    Count,
    /// A number (whole or decimal).
    Number,
    /// `true` or `false`.
    Bool,
    /// A string, a number or a bool.
    Scalar,
    /// One of these strings.
    Choice(&'static [&'static str]),
    /// An array of strings.
    Texts,
    /// The name of a list in `[lists]`, or an array of strings.
    ListRef,
    /// One event type, or an array of event types.
    EventTypes,
    /// `[low, high]`.
    Range,
    /// A lead field, `account.<field>` or a custom field.
    FieldName,
    /// One of the [`FACTS`].
    FactName,
    /// `"path"` or `"property.<name>"`.
    Distinct,
    /// A table whose keys are those of the section with this id.
    Table(&'static str),
    /// An array of tables of the section with this id.
    Tables(&'static str),
    /// A table of names chosen by the user, each with a value of this type.
    Map(&'static ValueType),
}

/// Whether a key must be given, and what it is when it is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Required,
    /// Optional; the key's documentation says what its absence means.
    Optional,
    /// Optional, with this default (TOML text).
    Default(&'static str),
    /// Optional, with this list of strings as default.
    DefaultTexts(&'static [&'static str]),
}

/// What a condition tests: exactly one of these keys is set in a condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Field,
    Fact,
    Event,
    AccountEngaged,
    Any,
    All,
    Not,
}

impl Kind {
    /// Whether a condition of this kind takes operators (`field`, `fact`) or event options
    /// (`event`); the others take no key but their own.
    pub fn takes(self, role: &Role) -> bool {
        match role {
            Role::Operator(..) => matches!(self, Kind::Field | Kind::Fact),
            Role::EventOption(_) => self == Kind::Event,
            Role::Setting | Role::Kind(..) => false,
        }
    }
}

/// Tells whether a key is set in a deserialised condition.
pub type IsSet = fn(&ConditionSpec) -> bool;

/// The role of a key.
#[derive(Debug, Clone, Copy)]
pub enum Role {
    /// A key of a section other than a condition.
    Setting,
    /// The key naming what a condition tests.
    Kind(Kind, IsSet),
    /// An operator on the value of a field or fact.
    Operator(&'static Operator, IsSet),
    /// An option of event conditions.
    EventOption(IsSet),
}

/// An operator: which value types it applies to, and its compile step.
#[derive(Debug)]
pub struct Operator {
    /// The name in messages; `min` and `max` form one operator, `min/max`.
    pub group: &'static str,
    /// The field and fact types it applies to.
    pub accepts: &'static [FieldType],
    /// What it needs, in words, for type errors: "a numeric field".
    pub needs: &'static str,
    /// Checks the operator's value and compiles it (see [`compile`]).
    pub(crate) compile: CompileOp,
}

/// One key of a section.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    pub name: &'static str,
    pub value: ValueType,
    pub presence: Presence,
    pub doc: &'static str,
    /// TOML showing the key in use (for a condition key, a whole `when = { ... }`).
    pub example: Option<&'static str>,
    pub role: Role,
}

impl Key {
    /// Whether this condition key is set in `spec` (`false` for keys of other sections).
    pub fn is_set(&self, spec: &ConditionSpec) -> bool {
        match self.role {
            Role::Setting => false,
            Role::Kind(_, set) | Role::Operator(_, set) | Role::EventOption(set) => set(spec),
        }
    }
}

/// A section of a model file: a top-level table, an array of tables or an inline table.
#[derive(Debug)]
pub struct Section {
    pub id: &'static str,
    /// How the section is written: `[model]`, `[[rules]]`, `when = { ... }` (empty for the file).
    pub written: &'static str,
    pub title: &'static str,
    pub doc: &'static str,
    /// The struct of [`super::format`] the section is read into.
    pub rust_type: &'static str,
    pub keys: &'static [Key],
    pub example: Option<&'static str>,
}

impl Section {
    /// The key with this name.
    pub fn key(&self, name: &str) -> Option<&'static Key> {
        self.keys.iter().find(|k| k.name == name)
    }
}

/// A fact derived from a lead, its events and the other leads.
#[derive(Debug)]
pub struct FactDef {
    pub name: &'static str,
    pub(crate) fact: Fact,
    pub ty: FieldType,
    /// The values a text fact can take; empty when open.
    pub values: &'static [&'static str],
    pub doc: &'static str,
}

/// The names of the field types of `[custom_fields]`.
pub const FIELD_TYPES: &[&str] = &["text", "integer", "number", "bool", "time", "list"];

const NUMERIC: &[FieldType] = &[FieldType::Integer, FieldType::Number];
const TEXTUAL: &[FieldType] = &[FieldType::Text, FieldType::List];
const ALL_TYPES: &[FieldType] =
    &[FieldType::Text, FieldType::Integer, FieldType::Number, FieldType::Bool, FieldType::Time, FieldType::List];

const fn setting(name: &'static str, value: ValueType, presence: Presence, doc: &'static str) -> Key {
    Key { name, value, presence, doc, example: None, role: Role::Setting }
}

const fn cond_key(name: &'static str, value: ValueType, presence: Presence, doc: &'static str, example: &'static str, role: Role) -> Key {
    Key { name, value, presence, doc, example: Some(example), role }
}

/// Every fact a condition can read, with its type and, for text facts, its values.
pub const FACTS: &[FactDef] = &[
    FactDef {
        name: "seniority",
        fact: Fact::Seniority,
        ty: FieldType::Text,
        values: &["c_level", "vp", "head", "director", "manager", "senior", "individual", "student", "unknown"],
        doc: "The seniority read from the job title (`title`); `unknown` when the title says nothing about it.",
    },
    FactDef {
        name: "email_kind",
        fact: Fact::EmailKind,
        ty: FieldType::Text,
        values: &["corporate", "free_mail", "disposable", "invalid"],
        doc: "What kind of address `email` is: a company's, a free mail provider's (gmail.com and the like), a throwaway \
              domain's, or not an address. Absent when the lead has no email.",
    },
    FactDef {
        name: "email_domain",
        fact: Fact::EmailDomain,
        ty: FieldType::Text,
        values: &[],
        doc: "The domain of `email`, lower case, e.g. `acme.com`.",
    },
    FactDef {
        name: "phone_valid",
        fact: Fact::PhoneValid,
        ty: FieldType::Bool,
        values: &[],
        doc: "`phone` is a valid number (for the lead's country when it has no international prefix).",
    },
    FactDef {
        name: "duplicate",
        fact: Fact::Duplicate,
        ty: FieldType::Bool,
        values: &[],
        doc: "Another lead of the same data is the same person: the same normalised email, or the same full name in the same \
              account.",
    },
    FactDef {
        name: "gibberish_name",
        fact: Fact::GibberishName,
        ty: FieldType::Bool,
        values: &[],
        doc: "The first or last name looks machine-made (keyboard runs, random letters).",
    },
    FactDef {
        name: "account_key",
        fact: Fact::AccountKey,
        ty: FieldType::Text,
        values: &[],
        doc: "The lead's account: `id:<account_id>` when it has an `account_id`, else `domain:<corporate email domain>`; \
              absent when it has neither.",
    },
    FactDef {
        name: "region",
        fact: Fact::Region,
        ty: FieldType::Text,
        values: &["AMER", "EMEA", "APAC"],
        doc: "The world region of the lead's `country`.",
    },
    FactDef {
        name: "segment",
        fact: Fact::Segment,
        ty: FieldType::Text,
        values: &["smb", "mid_market", "enterprise"],
        doc: "Company size from `employees`: `smb` below 200, `mid_market` from 200 to 2000, `enterprise` above 2000. \
              Absent without `employees`.",
    },
    FactDef {
        name: "bot_user_agent",
        fact: Fact::BotUserAgent,
        ty: FieldType::Bool,
        values: &[],
        doc: "An event of the lead, at or before the scoring time, has a `user_agent` property that names a bot or crawler.",
    },
    FactDef {
        name: "form_burst",
        fact: Fact::FormBurst,
        ty: FieldType::Bool,
        values: &[],
        doc: "5 `form_submit` events of the lead within 60 seconds, at or before the scoring time.",
    },
    FactDef {
        name: "ip_burst",
        fact: Fact::IpBurst,
        ty: FieldType::Bool,
        values: &[],
        doc: "Sign-ups (`form_submit`, `demo_request` or `trial_started` events with an `ip` property) of 3 or more distinct \
              leads, this one included, came from one of its IPs within 10 minutes.",
    },
    FactDef {
        name: "country_phone_mismatch",
        fact: Fact::CountryPhoneMismatch,
        ty: FieldType::Bool,
        values: &[],
        doc: "The international prefix of `phone` belongs to another country than the lead's `country`.",
    },
    FactDef {
        name: "bot_risk",
        fact: Fact::BotRisk,
        ty: FieldType::Integer,
        values: &[],
        doc: "0 to 100: the sum of the weights of the bot signals that hold, capped at 100: honeypot 60, bot_user_agent 50, \
              form_burst 40, disposable_domain 30, gibberish_name 30, ip_burst 30, country_phone_mismatch 15. A filled \
              `honeypot` field and a disposable email domain count as signals.",
    },
];

/// The keys of a condition, in the order the reference lists them.
const CONDITION_KEYS: &[Key] = &[
    // What the condition tests.
    cond_key(
        "field",
        ValueType::FieldName,
        Presence::Optional,
        "Tests the value of a lead field (see *Lead fields*), of a field of the lead's account (`account.<field>`) or of a \
         custom field declared in `[custom_fields]`, with one operator.",
        r#"when = { field = "industry", in = ["Software", "Healthcare"] }"#,
        Role::Kind(Kind::Field, |s| s.field.is_some()),
    ),
    cond_key(
        "fact",
        ValueType::FactName,
        Presence::Optional,
        "Tests a fact derived from the lead (see *Facts*), with one operator.",
        r#"when = { fact = "email_kind", equals = "corporate" }"#,
        Role::Kind(Kind::Fact, |s| s.fact.is_some()),
    ),
    cond_key(
        "event",
        ValueType::EventTypes,
        Presence::Optional,
        "Holds when the lead has events of these types at or before the scoring time, narrowed by the event options. One \
         type is a string, several an array; a string is always an event type, never the name of a list. `engagement` \
         means every type except email_open, email_bounce, intent_surge and sales_touch; `any` means every event.",
        r#"when = { event = "page_view", path = ["/pricing"], within_days = 30 }"#,
        Role::Kind(Kind::Event, |s| s.event.is_some()),
    ),
    cond_key(
        "account_engaged",
        ValueType::Table("account_engaged"),
        Presence::Optional,
        "Holds when enough people of the lead's account (the lead included; see the `account_key` fact) have an \
         engagement event in the window.",
        r#"when = { account_engaged = { at_least = 2, within_days = 30 } }"#,
        Role::Kind(Kind::AccountEngaged, |s| s.account_engaged.is_some()),
    ),
    cond_key(
        "any",
        ValueType::Tables("condition"),
        Presence::Optional,
        "Holds when at least one of the conditions holds (at least one condition needed).",
        r#"when = { any = [{ field = "phone_verified", is = true }, { fact = "phone_valid", is = true }] }"#,
        Role::Kind(Kind::Any, |s| s.any.is_some()),
    ),
    cond_key(
        "all",
        ValueType::Tables("condition"),
        Presence::Optional,
        "Holds when every one of the conditions holds (at least one condition needed).",
        r#"when = { all = [{ fact = "seniority", in = ["vp", "c_level"] }, { field = "budget_owner", is = true }] }"#,
        Role::Kind(Kind::All, |s| s.all.is_some()),
    ),
    cond_key(
        "not",
        ValueType::Table("condition"),
        Presence::Optional,
        "Holds when the condition does not.",
        r#"when = { not = { fact = "email_kind", in = ["corporate"] } }"#,
        Role::Kind(Kind::Not, |s| s.not.is_some()),
    ),
    // Operators on fields and facts.
    cond_key(
        "equals",
        ValueType::Scalar,
        Presence::Optional,
        "The value equals this one: text ignoring case and surrounding spaces, numbers by value, bools exactly. The value \
         must have the field's type; for a fact with known values, it must be one of them.",
        r#"when = { fact = "seniority", equals = "vp" }"#,
        Role::Operator(
            &Operator { group: "equals", accepts: ALL_TYPES, needs: "a value of the same type", compile: compile::op_equals },
            |s| s.equals.is_some(),
        ),
    ),
    cond_key(
        "in",
        ValueType::ListRef,
        Presence::Optional,
        "The value is one of the list, ignoring case; for a list field (tech_stack), any of its entries is. Countries are \
         compared as ISO codes, so \"United States\" and \"US\" are one country.",
        r#"when = { field = "country", in = ["US", "CA", "GB"] }"#,
        Role::Operator(&Operator { group: "in", accepts: TEXTUAL, needs: "a text or list field", compile: compile::op_in }, |s| {
            s.in_list.is_some()
        }),
    ),
    cond_key(
        "domain_in",
        ValueType::ListRef,
        Presence::Optional,
        "The value, read as a domain (a URL or an email address gives its domain; `www.` is dropped), is one of the listed \
         domains or a subdomain of one.",
        r#"when = { fact = "email_domain", domain_in = ["rivalcrm.com", "scoreleads.io"] }"#,
        Role::Operator(
            &Operator {
                group: "domain_in",
                accepts: &[FieldType::Text],
                needs: "a text field holding a domain",
                compile: compile::op_domain_in,
            },
            |s| s.domain_in.is_some(),
        ),
    ),
    cond_key(
        "contains_keyword",
        ValueType::ListRef,
        Presence::Optional,
        "The text contains one of the phrases as whole words, ignoring case and punctuation: \"lead-scoring\" matches the \
         phrase \"lead scoring\", \"pipelines\" does not match \"pipeline\". For a list field, any entry may contain it.",
        r#"when = { field = "use_case", contains_keyword = ["lead scoring", "pipeline"] }"#,
        Role::Operator(
            &Operator { group: "contains_keyword", accepts: TEXTUAL, needs: "a text or list field", compile: compile::op_contains_keyword },
            |s| s.contains_keyword.is_some(),
        ),
    ),
    cond_key(
        "between",
        ValueType::Range,
        Presence::Optional,
        "The number is in the inclusive range `[low, high]`.",
        r#"when = { field = "employees", between = [200, 2000] }"#,
        Role::Operator(&Operator { group: "between", accepts: NUMERIC, needs: "a numeric field", compile: compile::op_between }, |s| {
            s.between.is_some()
        }),
    ),
    cond_key(
        "min",
        ValueType::Number,
        Presence::Optional,
        "The number is at least this. With `max`, both bounds apply (one operator).",
        r#"when = { field = "annual_revenue", min = 1000000 }"#,
        Role::Operator(&Operator { group: "min/max", accepts: NUMERIC, needs: "a numeric field", compile: compile::op_range }, |s| {
            s.min.is_some()
        }),
    ),
    cond_key(
        "max",
        ValueType::Number,
        Presence::Optional,
        "The number is at most this. With `min`, both bounds apply (one operator).",
        r#"when = { field = "timeline_days", min = 1, max = 90 }"#,
        Role::Operator(&Operator { group: "min/max", accepts: NUMERIC, needs: "a numeric field", compile: compile::op_range }, |s| {
            s.max.is_some()
        }),
    ),
    cond_key(
        "present",
        ValueType::Bool,
        Presence::Optional,
        "With `true`, holds when the value is there (not empty); with `false`, when it is absent.",
        r#"when = { field = "honeypot", present = true }"#,
        Role::Operator(&Operator { group: "present", accepts: ALL_TYPES, needs: "any field", compile: compile::op_present }, |s| {
            s.present.is_some()
        }),
    ),
    cond_key(
        "is",
        ValueType::Bool,
        Presence::Optional,
        "The bool value is this one; an absent value never matches.",
        r#"when = { field = "budget_owner", is = true }"#,
        Role::Operator(&Operator { group: "is", accepts: &[FieldType::Bool], needs: "a bool field", compile: compile::op_is }, |s| {
            s.is.is_some()
        }),
    ),
    cond_key(
        "within_next_days",
        ValueType::Count,
        Presence::Optional,
        "The time falls between the scoring date and N days later, by UTC calendar date.",
        r#"when = { field = "contract_end", within_next_days = 365 }"#,
        Role::Operator(
            &Operator {
                group: "within_next_days",
                accepts: &[FieldType::Time],
                needs: "a time or date field",
                compile: compile::op_within_next_days,
            },
            |s| s.within_next_days.is_some(),
        ),
    ),
    cond_key(
        "within_last_days",
        ValueType::Count,
        Presence::Optional,
        "The time falls between N days before the scoring time and the scoring time.",
        r#"when = { field = "created_at", within_last_days = 14 }"#,
        Role::Operator(
            &Operator {
                group: "within_last_days",
                accepts: &[FieldType::Time],
                needs: "a time or date field",
                compile: compile::op_within_last_days,
            },
            |s| s.within_last_days.is_some(),
        ),
    ),
    // Options of event conditions.
    cond_key(
        "within_days",
        ValueType::Count,
        Presence::Optional,
        "Only events of the last N days count: scoring time - N days <= occurred_at <= scoring time. Without it, every \
         event up to the scoring time counts.",
        r#"when = { event = "demo_request", within_days = 90 }"#,
        Role::EventOption(|s| s.within_days.is_some()),
    ),
    cond_key(
        "path",
        ValueType::ListRef,
        Presence::Optional,
        "Only events whose URL path is under one of these prefixes, segment by segment: `/pricing` takes `/pricing` and \
         `/pricing/teams`, not `/pricingx`. Case, the host, the query and the fragment are ignored. Paths start with `/`.",
        r#"when = { event = "page_view", path = ["/careers", "/jobs"], within_days = 90 }"#,
        Role::EventOption(|s| s.path.is_some()),
    ),
    cond_key(
        "property",
        ValueType::Map(&ValueType::Scalar),
        Presence::Optional,
        "Only events whose properties have these values.",
        r#"when = { event = "trial_started", property = { plan = "enterprise" } }"#,
        Role::EventOption(|s| s.property.is_some()),
    ),
    cond_key(
        "at_least",
        ValueType::Count,
        Presence::Default("1"),
        "The number of matching events needed, or with `distinct` the number of distinct values. 0 is refused.",
        r#"when = { event = "order_placed", within_days = 365, at_least = 3 }"#,
        Role::EventOption(|s| s.at_least.is_some()),
    ),
    cond_key(
        "distinct",
        ValueType::Distinct,
        Presence::Optional,
        "Counts distinct URL paths (`\"path\"`) or distinct values of a property (`\"property.<name>\"`) of the matching \
         events instead of the events. A model may count the values of at most 2 properties.",
        r#"when = { event = "page_view", path = ["/pricing", "/demo", "/security"], distinct = "path", at_least = 2, within_days = 7 }"#,
        Role::EventOption(|s| s.distinct.is_some()),
    ),
    cond_key(
        "burst",
        ValueType::Table("burst"),
        Presence::Optional,
        "Holds when `count` matching events fall within `seconds` seconds of one another. Cannot be combined with \
         `at_least`, `distinct` or `followed_by`.",
        r#"when = { event = "form_submit", burst = { count = 5, seconds = 60 } }"#,
        Role::EventOption(|s| s.burst.is_some()),
    ),
    cond_key(
        "followed_by",
        ValueType::Table("followed_by"),
        Presence::Optional,
        "Holds when a matching event is followed, within `within_days` days and at or before the scoring time, by an event \
         of the given types.",
        r#"when = { event = ["event_attended", "webinar_attended"], within_days = 30, followed_by = { event = "engagement", within_days = 7 } }"#,
        Role::EventOption(|s| s.followed_by.is_some()),
    ),
];

/// Every section of a model file, the file itself first.
pub const SECTIONS: &[Section] = &[
    Section {
        id: "file",
        written: "",
        title: "The model file",
        doc: "A model is one TOML file. These are its top-level keys and tables.",
        rust_type: "ModelFile",
        keys: &[
            setting("model", ValueType::Table("model"), Presence::Required, "Name, version and description of the model."),
            setting("scoring", ValueType::Table("scoring"), Presence::Required, "The quality threshold and the grades."),
            setting(
                "cell",
                ValueType::Table("cell"),
                Presence::Optional,
                "The two-character cell crossing two dimensions (fit letter, intent digit); no cell when absent.",
            ),
            setting(
                "lists",
                ValueType::Map(&ValueType::Texts),
                Presence::Optional,
                "Named lists of strings that conditions refer to by name (industries, countries, pages, ...).",
            ),
            setting(
                "custom_fields",
                ValueType::Map(&ValueType::Choice(FIELD_TYPES)),
                Presence::Optional,
                "Columns of the leads input beyond the lead fields that conditions may read, each with its type: text, \
                 integer, number, bool, time or list.",
            ),
            setting(
                "dimensions",
                ValueType::Tables("dimensions"),
                Presence::Required,
                "The dimensions of the score, in display order (at least one).",
            ),
            setting(
                "rules",
                ValueType::Tables("rules"),
                Presence::Required,
                "The scoring rules: each adds its points to its dimension when its condition holds (at least one).",
            ),
            setting(
                "signals",
                ValueType::Tables("signals"),
                Presence::Optional,
                "Named conditions that add no points but drive the lifecycle.",
            ),
            setting(
                "lifecycle",
                ValueType::Table("lifecycle"),
                Presence::Optional,
                "How leads move through lifecycle stages; every key has a default.",
            ),
        ],
        example: Some(
            r#"[lists]
icp_industries = ["Software", "Financial Services"]

[custom_fields]
seats = "integer"
renewal_date = "time""#,
        ),
    },
    Section {
        id: "model",
        written: "[model]",
        title: "Model identity",
        doc: "Which model this is; scores and outputs name it as `name@version`.",
        rust_type: "ModelMeta",
        keys: &[
            setting("name", ValueType::Text, Presence::Required, "The model's name (not empty)."),
            setting("version", ValueType::Text, Presence::Required, "The model's version (not empty)."),
            setting("description", ValueType::Text, Presence::Optional, "What the model is for."),
        ],
        example: Some(
            r#"[model]
name = "acme-inbound"
version = "2.0.0"
description = "Inbound leads of the EMEA sales team.""#,
        ),
    },
    Section {
        id: "scoring",
        written: "[scoring]",
        title: "Quality threshold and grades",
        doc: "A lead's total is the sum of its dimensions' points, each dimension cut at its cap.",
        rust_type: "ScoringSpec",
        keys: &[
            setting(
                "quality_threshold",
                ValueType::Integer,
                Presence::Required,
                "A lead is a quality lead when its total is at least this.",
            ),
            setting(
                "grades",
                ValueType::Tables("grades"),
                Presence::Required,
                "Grade bands from best to worst; every band but the last has a `min`, the last takes everything below.",
            ),
        ],
        example: Some(
            r#"[scoring]
quality_threshold = 80
grades = [{ grade = "A", min = 80 }, { grade = "B", min = 60 }, { grade = "C" }]"#,
        ),
    },
    Section {
        id: "grades",
        written: "grades = [{ ... }]",
        title: "Grade band",
        doc: "One entry of `scoring.grades`.",
        rust_type: "GradeSpec",
        keys: &[
            setting("grade", ValueType::Text, Presence::Required, "The grade's label, e.g. \"A\"."),
            setting(
                "min",
                ValueType::Integer,
                Presence::Optional,
                "The lowest total of the grade; only the last grade omits it. Minimums go from highest to lowest.",
            ),
        ],
        example: None,
    },
    Section {
        id: "cell",
        written: "[cell]",
        title: "Fit-by-intent cell",
        doc: "A two-character label such as \"A1\": the band of the row dimension's points followed by the band of the \
              column dimension's points.",
        rust_type: "CellSpec",
        keys: &[
            setting("rows", ValueType::Text, Presence::Required, "The dimension whose points pick the first character."),
            setting("row_bands", ValueType::Tables("bands"), Presence::Required, "Its bands, highest `min` first."),
            setting("columns", ValueType::Text, Presence::Required, "The dimension whose points pick the second character."),
            setting("column_bands", ValueType::Tables("bands"), Presence::Required, "Its bands, highest `min` first."),
        ],
        example: Some(
            r#"[cell]
rows = "fit"
row_bands = [{ label = "A", min = 40 }, { label = "B", min = 20 }, { label = "C" }]
columns = "intent"
column_bands = [{ label = "1", min = 30 }, { label = "2", min = 10 }, { label = "3" }]"#,
        ),
    },
    Section {
        id: "bands",
        written: "row_bands = [{ ... }]",
        title: "Cell band",
        doc: "One band of `cell.row_bands` or `cell.column_bands`.",
        rust_type: "BandSpec",
        keys: &[
            setting("label", ValueType::Text, Presence::Required, "The band's character(s)."),
            setting("min", ValueType::Integer, Presence::Optional, "The lowest points of the band; only the last band omits it."),
        ],
        example: None,
    },
    Section {
        id: "dimensions",
        written: "[[dimensions]]",
        title: "Dimension",
        doc: "A part of the score (fit, intent, ...). Rules add their points to one dimension.",
        rust_type: "DimensionSpec",
        keys: &[
            setting("id", ValueType::Text, Presence::Required, "Stable id that rules refer to (unique)."),
            setting("label", ValueType::Text, Presence::Optional, "Display name; the id when absent."),
            setting(
                "cap",
                ValueType::Integer,
                Presence::Optional,
                "The most points the dimension can give; absent means uncapped (as for penalties).",
            ),
        ],
        example: Some(
            r#"[[dimensions]]
id = "fit"
label = "Fit"
cap = 50"#,
        ),
    },
    Section {
        id: "rules",
        written: "[[rules]]",
        title: "Rule",
        doc: "A scoring rule: when its condition holds at the scoring time, its points go to its dimension.",
        rust_type: "RuleSpec",
        keys: &[
            setting(
                "id",
                ValueType::Text,
                Presence::Required,
                "Stable id used in scores and explanations, e.g. \"demo_request\" (one word, unique).",
            ),
            setting("dimension", ValueType::Text, Presence::Required, "The id of the dimension the points go to."),
            setting("points", ValueType::Integer, Presence::Required, "Points added when the rule fires; negative for penalties; not 0."),
            setting("label", ValueType::Text, Presence::Optional, "Short human name for explanations; the id when absent."),
            setting("description", ValueType::Text, Presence::Optional, "A longer explanation of the rule."),
            setting("when", ValueType::Table("condition"), Presence::Required, "The condition (see *Conditions*)."),
        ],
        example: Some(
            r#"[[rules]]
id = "demo_request"
dimension = "intent"
points = 25
label = "Requested a demo"
when = { event = "demo_request", within_days = 90 }"#,
        ),
    },
    Section {
        id: "signals",
        written: "[[signals]]",
        title: "Signal",
        doc: "A named condition evaluated with every score; it adds no points. `lifecycle.pql_signal` names the signal \
              that makes a lead product-qualified.",
        rust_type: "SignalSpec",
        keys: &[
            setting("id", ValueType::Text, Presence::Required, "Stable id, e.g. \"pql\" (one word, unique)."),
            setting("label", ValueType::Text, Presence::Optional, "Display name; the id when absent."),
            setting("description", ValueType::Text, Presence::Optional, "A longer explanation."),
            setting("when", ValueType::Table("condition"), Presence::Required, "The condition (see *Conditions*)."),
        ],
        example: Some(
            r#"[[signals]]
id = "pql"
label = "Product-qualified"
when = { any = [
  { event = "teammate_invited" },
  { event = "feature_used", distinct = "property.feature", at_least = 3, within_days = 14 },
] }"#,
        ),
    },
    Section {
        id: "lifecycle",
        written: "[lifecycle]",
        title: "Lifecycle",
        doc: "How leads move through the stages (new, mql, pql, sal, sql, nurture, disqualified) and how reps accept or \
              reject them. Every key has a default, so a model may leave the section out.",
        rust_type: "LifecycleSpec",
        keys: &[
            setting(
                "mql_on_quality",
                ValueType::Bool,
                Presence::Default("true"),
                "A lead enters `mql` when it is a quality lead (total >= quality_threshold).",
            ),
            setting(
                "pql_signal",
                ValueType::Text,
                Presence::Optional,
                "The id of the signal whose holding moves a lead into `pql`; no `pql` stage when absent.",
            ),
            setting("checklist", ValueType::Choice(CHECKLISTS), Presence::Default("\"bant\""), "The qualification checklist reps fill in."),
            setting(
                "sql_requires_checklist",
                ValueType::Bool,
                Presence::Default("true"),
                "Entering `sql` requires every item of the checklist confirmed, and a lead in `sal` whose checklist \
                 becomes complete enters `sql` by itself. With `false`, a rep may move a lead to `sql` with a partial \
                 checklist.",
            ),
            setting(
                "recycle_after_days",
                ValueType::Count,
                Presence::Default("30"),
                "Days after a rejection before a lead whose score rises again can be recycled.",
            ),
            setting(
                "rejection_reasons",
                ValueType::Texts,
                Presence::DefaultTexts(DEFAULT_REJECTION_REASONS),
                "The reason codes a rep picks from when rejecting a lead (one word each, no repeats, at least one).",
            ),
            setting(
                "disqualifying_reasons",
                ValueType::Texts,
                Presence::DefaultTexts(DEFAULT_DISQUALIFYING_REASONS),
                "The rejection reasons that disqualify a lead for good; the others send it to nurture. Each must be one \
                 of `rejection_reasons`.",
            ),
        ],
        example: Some(
            r#"[lifecycle]
pql_signal = "pql"
checklist = "meddicc"
recycle_after_days = 60"#,
        ),
    },
    Section {
        id: "condition",
        written: "when = { ... }",
        title: "Condition",
        doc: "A condition is an inline table with exactly one key saying what it tests (`field`, `fact`, `event`, \
              `account_engaged`, `any`, `all` or `not`). A `field` or `fact` condition takes exactly one operator (`min` \
              and `max` together count as one); an `event` condition takes any of the event options; the others take \
              no other key.",
        rust_type: "ConditionSpec",
        keys: CONDITION_KEYS,
        example: None,
    },
    Section {
        id: "account_engaged",
        written: "account_engaged = { ... }",
        title: "Account engagement",
        doc: "The value of `account_engaged`.",
        rust_type: "AccountEngagedSpec",
        keys: &[
            setting("at_least", ValueType::Count, Presence::Required, "People of the account needed (at least 1)."),
            setting("within_days", ValueType::Count, Presence::Required, "The window, in days before the scoring time (at least 1)."),
        ],
        example: None,
    },
    Section {
        id: "burst",
        written: "burst = { ... }",
        title: "Burst",
        doc: "The value of the `burst` event option.",
        rust_type: "BurstSpec",
        keys: &[
            setting("count", ValueType::Count, Presence::Required, "Matching events needed (at least 2)."),
            setting("seconds", ValueType::Count, Presence::Required, "The most seconds between the first and the last (at least 1)."),
        ],
        example: None,
    },
    Section {
        id: "followed_by",
        written: "followed_by = { ... }",
        title: "Follow-up",
        doc: "The value of the `followed_by` event option.",
        rust_type: "FollowSpec",
        keys: &[
            setting(
                "event",
                ValueType::EventTypes,
                Presence::Required,
                "The type(s) of the later event, as for `event` (`engagement` and `any` included).",
            ),
            setting("within_days", ValueType::Count, Presence::Required, "The most days after the first event (at least 1)."),
        ],
        example: None,
    },
];

/// The section with this id.
///
/// # Panics
/// When no section has the id: the ids are constants of this module, checked by a test.
pub fn section(id: &str) -> &'static Section {
    match SECTIONS.iter().find(|s| s.id == id) {
        Some(s) => s,
        None => panic!("no model section '{id}'"),
    }
}

/// The keys of a condition.
pub fn condition_keys() -> &'static [Key] {
    CONDITION_KEYS
}

/// The condition keys saying what a condition tests, in table order.
pub fn kind_keys() -> impl Iterator<Item = (&'static Key, Kind)> {
    CONDITION_KEYS.iter().filter_map(|k| match k.role {
        Role::Kind(kind, _) => Some((k, kind)),
        _ => None,
    })
}

/// The operators, in table order.
pub fn operator_keys() -> impl Iterator<Item = (&'static Key, &'static Operator)> {
    CONDITION_KEYS.iter().filter_map(|k| match k.role {
        Role::Operator(op, _) => Some((k, op)),
        _ => None,
    })
}

/// The names of the event options, in table order.
pub fn event_option_names() -> impl Iterator<Item = &'static str> {
    CONDITION_KEYS.iter().filter(|k| matches!(k.role, Role::EventOption(_))).map(|k| k.name)
}

/// The fact with this name.
pub fn fact(name: &str) -> Option<&'static FactDef> {
    FACTS.iter().find(|f| f.name == name)
}

impl Fact {
    fn def(self) -> Option<&'static FactDef> {
        FACTS.iter().find(|f| f.fact == self)
    }
    pub(crate) fn name(self) -> &'static str {
        self.def().map_or("", |f| f.name)
    }
    pub(crate) fn field_type(self) -> FieldType {
        self.def().map_or(FieldType::Text, |f| f.ty)
    }
    pub(crate) fn values(self) -> &'static [&'static str] {
        self.def().map_or(&[], |f| f.values)
    }
}

// ----- "did you mean" ------------------------------------------------------------------

/// Edit distance between two short names (insertions, deletions, substitutions).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

/// The valid name closest to a misspelt one, if one is close: within a third of the
/// name's length in edits (at least 2), or, failing that, the shortest name that starts
/// with it (`within` gives `within_days`).
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let candidates: Vec<&str> = candidates.into_iter().collect();
    let lower = word.to_lowercase();
    let limit = (lower.chars().count() / 3).max(2);
    let closest = candidates.iter().map(|c| (edit_distance(&lower, c), *c)).filter(|(d, _)| *d <= limit).min_by_key(|(d, _)| *d);
    if let Some((_, c)) = closest {
        return Some(c);
    }
    if lower.chars().count() < 3 {
        return None;
    }
    candidates.iter().filter(|c| c.starts_with(lower.as_str())).min_by_key(|c| c.len()).copied()
}

/// "; did you mean `x`?" or, with no close name, "; valid: a, b, c".
pub(crate) fn suggestion<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str> + Clone, quote: char) -> String {
    match did_you_mean(word, candidates.clone()) {
        Some(c) => format!("; did you mean {quote}{c}{quote}?"),
        None => format!("; valid: {}", candidates.into_iter().collect::<Vec<_>>().join(", ")),
    }
}

// ----- unknown keys ----------------------------------------------------------------------

/// Every key of a model file's text that its section does not know, located at the key,
/// with the closest valid key. Empty when the text is not valid TOML (the parser reports that).
pub fn unknown_keys(source: &str) -> Vec<ModelIssue> {
    let Ok(doc) = DeTable::parse(source) else { return Vec::new() };
    let mut out = Vec::new();
    check_table(section("file"), doc.get_ref(), "", source, &mut out);
    out.sort_by_key(|i| (i.line, i.column));
    out
}

fn check_table(sec: &'static Section, table: &DeTable<'_>, path: &str, source: &str, out: &mut Vec<ModelIssue>) {
    for (k, v) in table.iter() {
        let name: &str = k.get_ref();
        let here = if path.is_empty() { name.to_string() } else { format!("{path}.{name}") };
        match sec.key(name) {
            Some(key) => check_value(key.value, v, &here, source, out),
            None => {
                let (line, column) = line_col(source, k.span().start);
                let names = sec.keys.iter().map(|k| k.name);
                let message = format!("unknown field `{name}`{}", suggestion(name, names, '`'));
                out.push(ModelIssue { line, column, key: here, message });
            }
        }
    }
}

fn check_value(ty: ValueType, v: &Spanned<DeValue<'_>>, path: &str, source: &str, out: &mut Vec<ModelIssue>) {
    match (ty, v.get_ref()) {
        (ValueType::Table(id), DeValue::Table(t)) => check_table(section(id), t, path, source, out),
        (ValueType::Tables(id), DeValue::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                if let DeValue::Table(t) = item.get_ref() {
                    let id_text = t.iter().find(|(k, _)| k.get_ref() == "id").and_then(|(_, v)| match v.get_ref() {
                        DeValue::String(s) => Some(s.to_string()),
                        _ => None,
                    });
                    let here = match id_text {
                        Some(id_text) => format!("{path}[{i}] ({id_text})"),
                        None => format!("{path}[{i}]"),
                    };
                    check_table(section(id), t, &here, source, out);
                }
            }
        }
        (ValueType::Map(inner), DeValue::Table(t)) => {
            for (k, v) in t.iter() {
                check_value(*inner, v, &format!("{path}.{}", k.get_ref()), source, out);
            }
        }
        _ => {}
    }
}

// ----- JSON Schema -----------------------------------------------------------------------

/// The JSON Schema (draft 2020-12) of model files, for editors: every section a definition
/// with its keys' types, descriptions, enums and defaults.
pub fn json_schema() -> Value {
    let mut defs = Map::new();
    for sec in SECTIONS.iter().filter(|s| s.id != "file") {
        defs.insert(sec.id.to_string(), section_schema(sec));
    }
    let mut root = section_schema(section("file"));
    if let Value::Object(obj) = &mut root {
        let mut head = Map::new();
        head.insert("$schema".into(), json!("https://json-schema.org/draft/2020-12/schema"));
        head.insert("title".into(), json!("leadrank model file"));
        head.extend(std::mem::take(obj));
        head.insert("$defs".into(), Value::Object(defs));
        *obj = head;
    }
    root
}

fn section_schema(sec: &Section) -> Value {
    let mut properties = Map::new();
    for key in sec.keys {
        let mut schema = value_schema(key.value);
        if let Value::Object(obj) = &mut schema {
            obj.insert("description".into(), json!(key_description(key)));
            if let Some(default) = default_json(key.presence) {
                obj.insert("default".into(), default);
            }
            if let Some(example) = key.example {
                obj.insert("markdownDescription".into(), json!(format!("{}\n\n```toml\n{example}\n```", key_description(key))));
            }
        }
        properties.insert(key.name.to_string(), schema);
    }
    let required: Vec<&str> = sec.keys.iter().filter(|k| k.presence == Presence::Required).map(|k| k.name).collect();
    let mut obj = Map::new();
    obj.insert("title".into(), json!(sec.title));
    obj.insert("description".into(), json!(sec.doc));
    obj.insert("type".into(), json!("object"));
    obj.insert("properties".into(), Value::Object(properties));
    obj.insert("additionalProperties".into(), json!(false));
    if !required.is_empty() {
        obj.insert("required".into(), json!(required));
    }
    if sec.id == "condition" {
        let kinds: Vec<Value> = kind_keys().map(|(k, _)| json!({ "required": [k.name] })).collect();
        obj.insert("oneOf".into(), Value::Array(kinds));
    }
    Value::Object(obj)
}

/// The description of a key in the schema: its documentation, and where it applies.
fn key_description(key: &Key) -> String {
    match key.role {
        Role::Operator(op, _) => format!("Operator for {}. {}", accepts_text(op), key.doc),
        Role::EventOption(_) => format!("Event option. {}", key.doc),
        Role::Kind(..) | Role::Setting => key.doc.to_string(),
    }
}

fn accepts_text(op: &Operator) -> String {
    if op.accepts == ALL_TYPES {
        return "every field and fact".to_string();
    }
    let names: Vec<&str> = op.accepts.iter().map(|t| t.as_str()).collect();
    format!("{} fields and facts", names.join(" and "))
}

fn value_schema(ty: ValueType) -> Value {
    let texts = json!({ "type": "array", "items": { "type": "string" } });
    match ty {
        ValueType::Text => json!({ "type": "string" }),
        ValueType::Integer => json!({ "type": "integer" }),
        ValueType::Count => json!({ "type": "integer", "minimum": 0 }),
        ValueType::Number => json!({ "type": "number" }),
        ValueType::Bool => json!({ "type": "boolean" }),
        ValueType::Scalar => json!({ "type": ["string", "number", "boolean"] }),
        ValueType::Choice(values) => json!({ "type": "string", "enum": values }),
        ValueType::Texts => texts,
        ValueType::ListRef => json!({ "anyOf": [{ "type": "string", "description": "The name of a list in [lists]." }, texts] }),
        ValueType::EventTypes => json!({
            "anyOf": [
                { "type": "string", "examples": ["engagement", "any", "page_view", "form_submit", "demo_request"] },
                { "type": "array", "items": { "type": "string" }, "minItems": 1 },
            ]
        }),
        ValueType::Range => json!({ "type": "array", "items": { "type": "number" }, "minItems": 2, "maxItems": 2 }),
        ValueType::FieldName => json!({ "anyOf": [{ "enum": field_names() }, { "type": "string" }] }),
        ValueType::FactName => json!({ "type": "string", "enum": FACTS.iter().map(|f| f.name).collect::<Vec<_>>() }),
        ValueType::Distinct => json!({ "type": "string", "pattern": "^(path|property\\..+)$", "examples": ["path", "property.feature"] }),
        ValueType::Table(id) => json!({ "$ref": format!("#/$defs/{id}") }),
        ValueType::Tables(id) => json!({ "type": "array", "items": { "$ref": format!("#/$defs/{id}") } }),
        ValueType::Map(inner) => json!({ "type": "object", "additionalProperties": value_schema(*inner) }),
    }
}

/// The lead fields and `account.<field>` names, for editor completion.
fn field_names() -> Vec<String> {
    LEAD_FIELDS.iter().map(|(n, _)| n.to_string()).chain(ACCOUNT_FIELDS.iter().map(|(n, _)| format!("account.{n}"))).collect()
}

/// A default as JSON.
fn default_json(presence: Presence) -> Option<Value> {
    match presence {
        Presence::Default(text) => {
            let table: toml::Table = toml::from_str(&format!("v = {text}")).ok()?;
            serde_json::to_value(table.get("v")?).ok()
        }
        Presence::DefaultTexts(values) => Some(json!(values)),
        Presence::Required | Presence::Optional => None,
    }
}

// ----- reference documentation -------------------------------------------------------------

/// The type of a value, in words.
fn type_text(ty: ValueType) -> String {
    match ty {
        ValueType::Text => "text".into(),
        ValueType::Integer => "integer".into(),
        ValueType::Count => "integer >= 0".into(),
        ValueType::Number => "number".into(),
        ValueType::Bool => "bool".into(),
        ValueType::Scalar => "text, number or bool".into(),
        ValueType::Choice(values) => format!("one of {}", values.iter().map(|v| format!("`\"{v}\"`")).collect::<Vec<_>>().join(", ")),
        ValueType::Texts => "array of text".into(),
        ValueType::ListRef => "list name or array of text".into(),
        ValueType::EventTypes => "event type or array of event types".into(),
        ValueType::Range => "`[low, high]` (numbers)".into(),
        ValueType::FieldName => "field name".into(),
        ValueType::FactName => "fact name".into(),
        ValueType::Distinct => "`\"path\"` or `\"property.<name>\"`".into(),
        ValueType::Table(id) => format!("table ({})", section(id).title.to_lowercase()),
        ValueType::Tables(id) => format!("array of tables ({})", section(id).title.to_lowercase()),
        ValueType::Map(inner) => format!("table of name = {}", type_text(*inner)),
    }
}

fn presence_text(p: Presence) -> String {
    match p {
        Presence::Required => "required".into(),
        Presence::Optional => "optional".into(),
        Presence::Default(d) => format!("default `{d}`"),
        Presence::DefaultTexts(values) => {
            format!("default `[{}]`", values.iter().map(|v| format!("\"{v}\"")).collect::<Vec<_>>().join(", "))
        }
    }
}

fn key_table(md: &mut String, keys: &[Key]) {
    md.push_str("| Key | Type | Required or default | Meaning |\n|---|---|---|---|\n");
    for k in keys {
        let _ = writeln!(md, "| `{}` | {} | {} | {} |", k.name, type_text(k.value), presence_text(k.presence), k.doc);
    }
    md.push('\n');
}

fn toml_block(md: &mut String, text: &str) {
    let _ = write!(md, "```toml\n{text}\n```\n\n");
}

/// The user's reference of the model language, in Markdown (committed as
/// `docs/model-language.md`, printed by `leadrank model reference`).
pub fn reference_markdown() -> String {
    let mut md = String::new();
    md.push_str(
        "# Model language reference\n\n\
         A leadrank model is a TOML file that defines, exactly and with a version, what a quality lead is for one \
         company: the dimensions of the score, the rules that give points, the signals that drive the lifecycle and \
         the lifecycle settings. `leadrank model show` prints the built-in default model, a complete example; \
         `leadrank model check FILE` checks a model and names the line, column and key of every problem; \
         `leadrank model schema` prints the JSON Schema for editors.\n\n\
         This reference is generated from the definition the checker itself uses (`leadrank model reference` \
         prints it), so every key, type and default below is what leadrank accepts. A key that is not listed is an \
         error, with the closest valid key suggested.\n\n",
    );
    md.push_str("## Contents\n\n");
    for sec in SECTIONS.iter().filter(|s| !is_sub_section(s) && s.id != "condition") {
        let _ = writeln!(md, "- [{}](#{})", sec.title, anchor(sec.title));
    }
    md.push_str("- [Conditions](#conditions)\n- [Facts](#facts)\n- [Lead fields](#lead-fields)\n- [Event types](#event-types)\n\n");

    for sec in SECTIONS.iter().filter(|s| !is_sub_section(s) && s.id != "condition") {
        if sec.written.is_empty() {
            let _ = write!(md, "## {}\n\n{}\n\n", sec.title, sec.doc);
        } else {
            let _ = write!(md, "## {}\n\n`{}`: {}\n\n", sec.title, sec.written, sec.doc);
        }
        key_table(&mut md, sec.keys);
        for sub in sub_sections(sec) {
            let _ = write!(md, "### {}\n\n`{}`: {}\n\n", sub.title, sub.written, sub.doc);
            key_table(&mut md, sub.keys);
        }
        if let Some(example) = sec.example {
            toml_block(&mut md, example);
        }
    }
    conditions_markdown(&mut md);
    facts_markdown(&mut md);
    fields_markdown(&mut md);
    md
}

/// Sections documented inside another one (grade and cell bands).
fn is_sub_section(sec: &Section) -> bool {
    matches!(sec.id, "grades" | "bands" | "account_engaged" | "burst" | "followed_by")
}

fn sub_sections(sec: &Section) -> Vec<&'static Section> {
    let mut out: Vec<&'static Section> = Vec::new();
    for k in sec.keys {
        if let ValueType::Tables(id) | ValueType::Table(id) = k.value {
            let sub = section(id);
            if is_sub_section(sub) && !out.iter().any(|s| s.id == id) {
                out.push(sub);
            }
        }
    }
    out
}

fn anchor(title: &str) -> String {
    title.to_lowercase().chars().filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-').collect::<String>().replace(' ', "-")
}

fn conditions_markdown(md: &mut String) {
    let cond = section("condition");
    let _ = write!(md, "## Conditions\n\n`{}`: {}\n\n", cond.written, cond.doc);
    md.push_str("### What a condition tests\n\n");
    for (key, kind) in kind_keys() {
        let _ = write!(md, "#### `{}`\n\nType: {}. {}\n\n", key.name, type_text(key.value), key.doc);
        match kind {
            Kind::Field | Kind::Fact => md.push_str("Takes exactly one [operator](#operators).\n\n"),
            Kind::Event => md.push_str("Takes any of the [event options](#event-options).\n\n"),
            Kind::AccountEngaged => {
                if let ValueType::Table(id) = key.value {
                    key_table(md, section(id).keys);
                }
            }
            Kind::Any | Kind::All | Kind::Not => {}
        }
        if let Some(example) = key.example {
            toml_block(md, example);
        }
    }
    md.push_str(
        "### Operators\n\nAn operator compares the value of a `field` or `fact`. A condition on an absent value never \
         holds, except `present = false`. Text values are compared ignoring case.\n\n",
    );
    md.push_str("| Operator | Value | Applies to |\n|---|---|---|\n");
    for (key, op) in operator_keys() {
        let _ = writeln!(md, "| `{}` | {} | {} |", key.name, type_text(key.value), accepts_text(op));
    }
    md.push('\n');
    for (key, _) in operator_keys() {
        let _ = write!(md, "#### `{}`\n\n{}\n\n", key.name, key.doc);
        if let Some(example) = key.example {
            toml_block(md, example);
        }
    }
    md.push_str(
        "### Event options\n\nOptions of an `event` condition narrow the events that match and say how many are \
         needed. Only events at or before the scoring time count.\n\n",
    );
    key_table(md, &CONDITION_KEYS.iter().filter(|k| matches!(k.role, Role::EventOption(_))).copied().collect::<Vec<_>>());
    for key in CONDITION_KEYS.iter().filter(|k| matches!(k.role, Role::EventOption(_))) {
        let _ = write!(md, "#### `{}`\n\n{}\n\n", key.name, key.doc);
        if let ValueType::Table(id) = key.value {
            key_table(md, section(id).keys);
        }
        if let Some(example) = key.example {
            toml_block(md, example);
        }
    }
}

fn facts_markdown(md: &mut String) {
    md.push_str(
        "## Facts\n\nFacts are derived from the lead, its events and the other leads of the data; `fact = \"<name>\"` \
         reads one. For a text fact with known values, `equals` and `in` accept only those values.\n\n\
         | Fact | Type | Values | Meaning |\n|---|---|---|---|\n",
    );
    for f in FACTS {
        let values = if f.values.is_empty() { String::new() } else { f.values.join(", ") };
        let _ = writeln!(md, "| `{}` | {} | {} | {} |", f.name, f.ty.as_str(), values, f.doc);
    }
    md.push('\n');
}

fn fields_markdown(md: &mut String) {
    md.push_str("## Lead fields\n\n`field = \"<name>\"` reads one of these columns of the leads input.\n\n| Field | Type |\n|---|---|\n");
    for (name, ty) in LEAD_FIELDS {
        let _ = writeln!(md, "| `{name}` | {} |", ty.as_str());
    }
    md.push_str("\nThe account of the lead's `account_id` in the accounts input gives `account.<field>`:\n\n| Field | Type |\n|---|---|\n");
    for (name, ty) in ACCOUNT_FIELDS {
        let _ = writeln!(md, "| `account.{name}` | {} |", ty.as_str());
    }
    md.push_str(
        "\nA column declared in `[custom_fields]` is read with its declared type. `country` is read as an ISO code \
         when it names a country; `domain` is the company domain (from `domain`, else a corporate email).\n\n",
    );
    let _ = write!(
        md,
        "## Event types\n\nEvent types are free text (`page_view`, `form_submit`, `demo_request`, `trial_started`, \
         `order_placed`, ...). Two names are special in `event` and `followed_by.event`: `any` matches every event, and \
         `engagement` matches every event except {}.\n",
        compile::NON_ENGAGEMENT.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ")
    );
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::model::compile::{Cond, Subject};
    use crate::model::format::{LifecycleSpec, ModelFile};
    use crate::model::{CompiledModel, ModelError};

    /// A small valid model around one rule condition.
    fn model_with(when: &str) -> Result<CompiledModel, ModelError> {
        let src = format!(
            "[model]\nname = \"t\"\nversion = \"1\"\n[scoring]\nquality_threshold = 10\ngrades = [{{ grade = \"A\", min = 10 }}, {{ grade = \"B\" }}]\n\
             [[dimensions]]\nid = \"fit\"\n[[rules]]\nid = \"r\"\ndimension = \"fit\"\npoints = 5\n{when}\n"
        );
        CompiledModel::from_toml(&src, "m.toml")
    }

    fn rule_condition(when: &str) -> Cond {
        match model_with(when) {
            Ok(m) => m.rules[0].when.clone(),
            Err(e) => panic!("{when}: {e}"),
        }
    }

    /// A TOML value of the type, for deserialising one key alone.
    fn sample(ty: ValueType) -> String {
        match ty {
            ValueType::Text | ValueType::Scalar => "\"x\"".into(),
            ValueType::Integer | ValueType::Count => "3".into(),
            ValueType::Number => "1.5".into(),
            ValueType::Bool => "true".into(),
            ValueType::Choice(values) => format!("\"{}\"", values[0]),
            ValueType::Texts | ValueType::ListRef => "[\"a\"]".into(),
            ValueType::EventTypes => "\"page_view\"".into(),
            ValueType::Range => "[1, 2]".into(),
            ValueType::FieldName => "\"industry\"".into(),
            ValueType::FactName => "\"seniority\"".into(),
            ValueType::Distinct => "\"path\"".into(),
            ValueType::Table("condition") => "{ field = \"industry\", present = true }".into(),
            ValueType::Tables("condition") => "[{ field = \"industry\", present = true }]".into(),
            ValueType::Table(id) => sample_table(section(id)),
            ValueType::Tables(id) => format!("[{}]", sample_table(section(id))),
            ValueType::Map(inner) => format!("{{ k = {} }}", sample(*inner)),
        }
    }

    fn sample_table(sec: &Section) -> String {
        let keys: Vec<String> = sec.keys.iter().map(|k| format!("{} = {}", k.name, sample(k.value))).collect();
        format!("{{ {} }}", keys.join(", "))
    }

    /// The property names and required names of a struct in the derived schema.
    fn struct_keys(schema: &Value, rust_type: &str) -> (BTreeSet<String>, BTreeSet<String>) {
        let def = if rust_type == "ModelFile" { schema } else { &schema["$defs"][rust_type] };
        let props = def["properties"].as_object().unwrap_or_else(|| panic!("{rust_type} is not a struct of the format"));
        let required =
            def["required"].as_array().map(|r| r.iter().filter_map(|v| v.as_str().map(String::from)).collect()).unwrap_or_default();
        (props.keys().cloned().collect(), required)
    }

    #[test]
    fn every_field_of_the_format_structs_is_in_the_table_and_back() {
        let derived = serde_json::to_value(schemars::schema_for!(ModelFile)).unwrap();
        let mut covered = BTreeSet::new();
        for sec in SECTIONS {
            let (props, required) = struct_keys(&derived, sec.rust_type);
            let names: BTreeSet<String> = sec.keys.iter().map(|k| k.name.to_string()).collect();
            assert_eq!(names, props, "section {} vs struct {}", sec.id, sec.rust_type);
            let table_required: BTreeSet<String> =
                sec.keys.iter().filter(|k| k.presence == Presence::Required).map(|k| k.name.to_string()).collect();
            assert_eq!(table_required, required, "required keys of {}", sec.id);
            covered.insert(sec.rust_type.to_string());
            for k in sec.keys {
                if let ValueType::Table(id) | ValueType::Tables(id) = k.value {
                    assert!(SECTIONS.iter().any(|s| s.id == id), "{}.{} refers to no section '{id}'", sec.id, k.name);
                }
                assert_eq!(matches!(k.role, Role::Setting), sec.id != "condition", "{}.{}: roles are for conditions", sec.id, k.name);
            }
        }
        for (name, def) in derived["$defs"].as_object().unwrap() {
            if def.get("properties").is_some() {
                assert!(covered.contains(name), "struct {name} of the model format has no section in the table");
            }
        }
    }

    #[test]
    fn every_condition_key_deserialises_into_its_own_field() {
        let empty = ConditionSpec::default();
        for key in CONDITION_KEYS {
            assert!(!key.is_set(&empty), "{} set in an empty condition", key.name);
            let text = format!("{} = {}", key.name, sample(key.value));
            let spec: ConditionSpec = toml::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
            for other in CONDITION_KEYS {
                assert_eq!(other.is_set(&spec), other.name == key.name, "{text}: {} reads the wrong field", other.name);
            }
        }
        let names: BTreeSet<&str> = CONDITION_KEYS.iter().map(|k| k.name).collect();
        assert_eq!(names.len(), CONDITION_KEYS.len(), "condition keys are unique");
    }

    #[test]
    fn every_condition_example_compiles_to_its_kind_and_operator() {
        for key in CONDITION_KEYS {
            let example = key.example.unwrap_or_else(|| panic!("{} has no example", key.name));
            assert!(example.contains(&format!("{} = ", key.name)), "the example of {} does not use it", key.name);
            let cond = rule_condition(example);
            match key.role {
                Role::Kind(kind, _) => {
                    let ok = match (kind, &cond) {
                        (Kind::Field, Cond::Value { subject, .. }) => !matches!(subject, Subject::Fact(_)),
                        (Kind::Fact, Cond::Value { subject, .. }) => matches!(subject, Subject::Fact(_)),
                        (Kind::Event, Cond::Events(_)) | (Kind::AccountEngaged, Cond::AccountEngaged { .. }) => true,
                        (Kind::Any, Cond::Any(_)) | (Kind::All, Cond::All(_)) | (Kind::Not, Cond::Not(_)) => true,
                        _ => false,
                    };
                    assert!(ok, "{example} compiled to {cond:?}");
                }
                Role::Operator(op, _) => match &cond {
                    Cond::Value { op: compiled, .. } => assert!(compiled.groups().contains(&op.group), "{example}: {compiled:?}"),
                    other => panic!("{example} compiled to {other:?}"),
                },
                Role::EventOption(_) => assert!(matches!(cond, Cond::Events(_)), "{example} compiled to {cond:?}"),
                Role::Setting => unreachable!(),
            }
        }
    }

    #[test]
    fn operators_refuse_the_types_they_do_not_accept_and_options_their_wrong_kind() {
        let typed = [
            (FieldType::Text, "title"),
            (FieldType::Integer, "employees"),
            (FieldType::Number, "annual_revenue"),
            (FieldType::Bool, "budget_owner"),
            (FieldType::Time, "created_at"),
            (FieldType::List, "tech_stack"),
        ];
        for (key, op) in operator_keys() {
            for (ty, field) in typed {
                let when = format!("when = {{ field = \"{field}\", {} = {} }}", key.name, sample(key.value));
                let result = model_with(&when);
                if !op.accepts.contains(&ty) {
                    let err = result.err().map(|e| e.to_string()).unwrap_or_default();
                    assert!(err.contains(&format!("'{}' needs {}", op.group, op.needs)), "{when}: {err}");
                }
            }
            let err = model_with(&format!("when = {{ event = \"x\", {} = {} }}", key.name, sample(key.value))).unwrap_err().to_string();
            assert!(err.contains(&format!("{} do not apply to events", key.name)), "{err}");
            let err = model_with(&format!("when = {{ not = {{ event = \"x\" }}, {} = {} }}", key.name, sample(key.value)))
                .unwrap_err()
                .to_string();
            assert!(err.contains(&format!("'not' takes no other keys, found: {}", key.name)), "{err}");
        }
        for name in event_option_names() {
            let key = section("condition").key(name).unwrap();
            let err = model_with(&format!("when = {{ field = \"title\", present = true, {name} = {} }}", sample(key.value)))
                .unwrap_err()
                .to_string();
            assert!(err.contains(&format!("{name} only apply to event conditions")), "{err}");
            let err =
                model_with(&format!("when = {{ account_engaged = {{ at_least = 1, within_days = 1 }}, {name} = {} }}", sample(key.value)))
                    .unwrap_err()
                    .to_string();
            assert!(err.contains("'account_engaged' takes no other keys"), "{err}");
        }
    }

    #[test]
    fn section_examples_are_valid_model_text() {
        for sec in SECTIONS {
            let Some(example) = sec.example else { continue };
            let table: toml::Table = toml::from_str(example).unwrap_or_else(|e| panic!("{}: {e}", sec.id));
            assert!(!table.is_empty());
            let issues = unknown_keys(example);
            assert!(issues.is_empty(), "{}: {issues:?}", sec.id);
        }
        // The sections' examples together make a model.
        let parts: Vec<&str> = ["model", "scoring", "file", "cell", "dimensions", "rules", "signals", "lifecycle"]
            .iter()
            .filter_map(|id| section(id).example)
            .collect();
        let src = parts.join("\n\n").replace("[[rules]]", "[[dimensions]]\nid = \"intent\"\n\n[[rules]]");
        if let Err(e) = CompiledModel::from_toml(&src, "example") {
            panic!("{e}\n{src}");
        }
    }

    #[test]
    fn the_schema_covers_every_section_key_kind_operator_option_and_fact() {
        let schema = json_schema();
        for sec in SECTIONS.iter().filter(|s| s.id != "file") {
            let props = &schema["$defs"][sec.id]["properties"];
            for k in sec.keys {
                let d = props[k.name]["description"].as_str().unwrap_or_default();
                assert!(d.contains(k.doc), "{}.{} lacks its description", sec.id, k.name);
            }
            assert_eq!(schema["$defs"][sec.id]["additionalProperties"], json!(false));
        }
        for k in section("file").keys {
            assert!(schema["properties"][k.name].is_object(), "{}", k.name);
        }
        let facts: Vec<&str> = FACTS.iter().map(|f| f.name).collect();
        assert_eq!(schema["$defs"]["condition"]["properties"]["fact"]["enum"], json!(facts));
        let kinds = schema["$defs"]["condition"]["oneOf"].as_array().unwrap();
        assert_eq!(kinds.len(), kind_keys().count());
        assert_eq!(schema["$defs"]["lifecycle"]["properties"]["checklist"]["enum"], json!(CHECKLISTS));
        assert_eq!(schema["$defs"]["lifecycle"]["properties"]["recycle_after_days"]["default"], json!(30));
    }

    #[test]
    fn the_reference_documents_every_key_kind_fact_and_field() {
        let md = reference_markdown();
        for sec in SECTIONS {
            for k in sec.keys {
                let row = format!("| `{}` | {} |", k.name, type_text(k.value));
                let heading = format!("#### `{}`", k.name);
                assert!(md.contains(&row) || md.contains(&heading), "{}.{} is not documented", sec.id, k.name);
                assert!(md.contains(k.doc), "{}.{}: its text is missing", sec.id, k.name);
            }
        }
        for k in CONDITION_KEYS {
            assert!(md.contains(&format!("#### `{}`", k.name)), "{}", k.name);
            assert!(md.contains(k.example.unwrap_or("?")), "{} example", k.name);
        }
        for f in FACTS {
            assert!(md.contains(&format!("| `{}` | {} |", f.name, f.ty.as_str())), "{}", f.name);
        }
        for (name, _) in LEAD_FIELDS {
            assert!(md.contains(&format!("| `{name}` |")), "{name}");
        }
        // The reference is for users: no internal document may be named in it (the team's
        // engine contract is written in capitals, so it is looked for case-sensitively).
        let contract = "spec".to_uppercase();
        assert!(!md.contains(&contract), "the reference names the internal contract");
        for word in ["seed", "session", "issue"] {
            assert!(!md.to_lowercase().contains(word), "the reference mentions {word}");
        }
    }

    #[test]
    fn documented_defaults_are_the_defaults() {
        let defaults = serde_json::to_value(LifecycleSpec::default()).unwrap();
        for k in section("lifecycle").keys {
            let documented = default_json(k.presence).unwrap_or(Value::Null);
            assert_eq!(documented, defaults[k.name], "lifecycle.{}", k.name);
        }
        let at_least = section("condition").key("at_least").unwrap();
        let cond = rule_condition("when = { event = \"x\" }");
        let Cond::Events(e) = cond else { panic!() };
        assert_eq!(default_json(at_least.presence), Some(json!(e.at_least)));
    }

    #[test]
    fn field_types_and_fact_texts_match_the_code() {
        for name in FIELD_TYPES {
            let ty: FieldType = serde_json::from_value(json!(name)).unwrap();
            assert_eq!(ty.as_str(), *name);
        }
        let derived = serde_json::to_value(schemars::schema_for!(FieldType)).unwrap();
        assert_eq!(derived["enum"], json!(FIELD_TYPES), "{derived}");
        let doc = |name: &str| fact(name).map_or("", |f| f.doc);
        use crate::engine::risk;
        assert!(doc("form_burst").contains(&format!(
            "{} `form_submit` events of the lead within {} seconds",
            risk::FORM_BURST_COUNT,
            risk::FORM_BURST_SECONDS
        )));
        assert!(doc("ip_burst").contains(&format!("{} or more", risk::IP_BURST_LEADS)));
        assert!(doc("ip_burst").contains(&format!("within {} minutes", risk::IP_BURST_SECONDS / 60)));
        for (reason, weight) in risk::REASONS {
            assert!(doc("bot_risk").contains(&format!("{reason} {weight}")), "{reason}");
        }
        for t in risk::SIGNUP_TYPES {
            assert!(doc("ip_burst").contains(&format!("`{t}`")), "{t}");
        }
        let names: BTreeSet<&str> = FACTS.iter().map(|f| f.name).collect();
        assert_eq!(names.len(), FACTS.len());
        for f in FACTS {
            assert_eq!(f.fact.name(), f.name);
        }
    }

    #[test]
    fn unknown_keys_are_located_with_the_closest_valid_key() {
        let issues = unknown_keys("[model]\nname = \"x\"\nversio = \"1\"\n");
        assert_eq!(issues.len(), 1);
        assert_eq!((issues[0].line, issues[0].column), (3, 1));
        assert_eq!(issues[0].key, "model.versio");
        assert_eq!(issues[0].message, "unknown field `versio`; did you mean `version`?");

        let src = "[[rules]]\nid = \"pricing\"\nwhen = { event = \"page_view\", within = 3, burst = { cnt = 5, seconds = 60 } }\n\
                   [[rules]]\nid = \"b\"\nwhen = { any = [{ fact = \"x\", equal = \"y\" }] }\n[lifecycle]\nchecklists = \"bant\"\nzzz = 1\n";
        let issues = unknown_keys(src);
        let found: Vec<(usize, &str, &str)> = issues.iter().map(|i| (i.line, i.key.as_str(), i.message.as_str())).collect();
        assert_eq!(found[0], (3, "rules[0] (pricing).when.within", "unknown field `within`; did you mean `within_days`?"));
        assert_eq!(found[1], (3, "rules[0] (pricing).when.burst.cnt", "unknown field `cnt`; did you mean `count`?"));
        assert_eq!(found[2], (6, "rules[1] (b).when.any[0].equal", "unknown field `equal`; did you mean `equals`?"));
        assert_eq!(found[3], (8, "lifecycle.checklists", "unknown field `checklists`; did you mean `checklist`?"));
        assert_eq!(found[4].1, "lifecycle.zzz");
        assert!(found[4].2.starts_with("unknown field `zzz`; valid: mql_on_quality, pql_signal, checklist"), "{}", found[4].2);
        assert_eq!(found.len(), 5);
        // Free names (lists, custom fields, event properties) are never unknown keys.
        let free = "[lists]\nanything = [\"a\"]\n[custom_fields]\nseats = \"integer\"\n[[rules]]\nwhen = { event = \"x\", property = { plan = \"pro\" } }\n";
        assert!(unknown_keys(free).is_empty());
        // Through the compiler, with the file name.
        let err = model_with("when = { event = \"x\", within_day = 3 }").unwrap_err().to_string();
        assert!(
            err.starts_with("m.toml:13:23: rules[0] (r).when.within_day: unknown field `within_day`; did you mean `within_days`?"),
            "{err}"
        );
    }

    #[test]
    fn suggestions_come_from_the_valid_names_only() {
        let names = ["within_days", "within_next_days", "within_last_days", "path", "at_least"];
        assert_eq!(did_you_mean("within", names), Some("within_days"));
        assert_eq!(did_you_mean("at_lest", names), Some("at_least"));
        assert_eq!(did_you_mean("Path", names), Some("path"));
        assert_eq!(did_you_mean("colour", names), None);
        assert_eq!(did_you_mean("wi", names), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
