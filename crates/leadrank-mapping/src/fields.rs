//! The input fields leadrank reads, per input kind: name, type, whether required, meaning and
//! an example. One definition: mappings check their targets against it, `docs/input-fields.md`
//! is generated from it, and tests hold it equal to the readers' own field lists.

use leadrank_core::records::FieldType;

/// The kinds of input file leadrank reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Leads,
    Accounts,
    Events,
    Outcomes,
    Consents,
    Stages,
}

impl Kind {
    /// Every kind, in the order the documentation lists them.
    pub const ALL: [Kind; 6] = [Kind::Leads, Kind::Accounts, Kind::Events, Kind::Outcomes, Kind::Consents, Kind::Stages];

    /// The name used in mapping files (`[leads]`) and on the command line (`--leads`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Leads => "leads",
            Kind::Accounts => "accounts",
            Kind::Events => "events",
            Kind::Outcomes => "outcomes",
            Kind::Consents => "consents",
            Kind::Stages => "stages",
        }
    }

    /// The kind named `name`, if any.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// What one row of this input is.
    pub fn about(self) -> &'static str {
        match self {
            Kind::Leads => {
                "One person in the source system (a lead or a contact). Columns that are not fields below are kept as custom fields, which a model can declare and use."
            }
            Kind::Accounts => "A company known to the CRM. Rules read these as `account.<field>` for the leads whose `account_id` matches.",
            Kind::Events => {
                "One behavioural event of a lead (a page view, a form, an email click, a sales touch). The event id is the idempotency key: an event sent twice counts once."
            }
            Kind::Outcomes => {
                "An opportunity (deal) and how it ended. An opportunity with a `lead_id` belongs to that lead. One with only an `account_id` counts once in `report`, for the account's earliest-created lead, while `calibrate` and `backtest` label every lead of that account with its outcome. Open opportunities are neither won nor lost."
            }
            Kind::Consents => {
                "One consent event for a lead and a purpose. Consent is a history: the latest `marketing` record of a lead sets its `consent` and `consent_at`."
            }
            Kind::Stages => "One change of a lead's lifecycle stage (for the funnel report and `calibrate --target accepted`).",
        }
    }

    /// The fields of this input kind.
    pub fn fields(self) -> &'static [FieldDef] {
        match self {
            Kind::Leads => LEAD_FIELDS,
            Kind::Accounts => ACCOUNT_FIELDS,
            Kind::Events => EVENT_FIELDS,
            Kind::Outcomes => OUTCOME_FIELDS,
            Kind::Consents => CONSENT_FIELDS,
            Kind::Stages => STAGE_FIELDS,
        }
    }

    /// The field named `name`, if this kind has it.
    pub fn field(self, name: &str) -> Option<&'static FieldDef> {
        self.fields().iter().find(|f| f.name == name)
    }

    /// Whether rows of this kind keep columns that are not fields (custom fields).
    pub fn keeps_custom_fields(self) -> bool {
        self == Kind::Leads
    }

    /// The fields a row must have, as sets of which at least one is needed (`[["lead_id",
    /// "account_id"]]` means one of the two).
    pub fn required(self) -> &'static [&'static [&'static str]] {
        match self {
            Kind::Leads => &[&["lead_id"]],
            Kind::Accounts => &[&["account_id"]],
            Kind::Events => &[&["event_id"], &["lead_id"], &["type"], &["occurred_at"]],
            Kind::Outcomes => &[&["opportunity_id"], &["status"], &["lead_id", "account_id"]],
            Kind::Consents => &[&["lead_id"], &["purpose"], &["status"], &["at"]],
            Kind::Stages => &[&["lead_id"], &["stage"]],
        }
    }
}

/// The type of an input field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    /// Any text, trimmed.
    Text,
    /// A whole number.
    Integer,
    /// A whole number, zero or more.
    Count,
    /// A finite number, zero or more.
    Amount,
    Bool,
    Time,
    /// Several text values.
    List,
    /// A JSON object.
    JsonObject,
    /// open, won or lost.
    OpportunityStatus,
    /// granted, withdrawn or denied.
    ConsentStatus,
}

impl ValueType {
    /// The type's name in the documentation.
    pub fn name(self) -> &'static str {
        match self {
            ValueType::Text => "text",
            ValueType::Integer => "integer",
            ValueType::Count => "integer >= 0",
            ValueType::Amount => "number >= 0",
            ValueType::Bool => "boolean",
            ValueType::Time => "time",
            ValueType::List => "list",
            ValueType::JsonObject => "JSON object",
            ValueType::OpportunityStatus => "status",
            ValueType::ConsentStatus => "consent status",
        }
    }

    /// The values the readers accept (without a mapping).
    pub fn accepted(self) -> &'static str {
        match self {
            ValueType::Text => "any text; surrounding spaces are trimmed; an empty value is absent; no NUL byte",
            ValueType::Integer => "a whole number (`1200`, `+5`); no thousands separators (a mapping reads `1,200` and ranges)",
            ValueType::Count => {
                "a whole number, zero or more (`1200`); no thousands separators (a mapping reads `1,200` and ranges like `201-500`)"
            }
            ValueType::Amount => {
                "a number, zero or more (`12.5`, `1e6`); no currency sign or thousands separators (a mapping reads `$1,200.50`)"
            }
            ValueType::Bool => "`true`/`false`, `yes`/`no` or `1`/`0`, in any case (a mapping reads other words)",
            ValueType::Time => {
                "RFC 3339 (`2026-03-02T10:00:00Z`, `2026-03-02T10:00:00+02:00`) or a date `YYYY-MM-DD` (midnight UTC); a mapping reads other formats such as `01/05/2024 10:22 AM`"
            }
            ValueType::List => "entries separated by `;` in CSV, or a JSON array in JSON Lines",
            ValueType::JsonObject => "a JSON object (`{\"feature\": \"reports\"}`)",
            ValueType::OpportunityStatus => {
                "`open`, `won` or `lost` in any case; `Closed Won`, `closed_lost`, `Engaging` and `Prospecting` are read too"
            }
            ValueType::ConsentStatus => "`granted`, `withdrawn` or `denied`, in any case",
        }
    }

    /// The value type of a lead or account field of the model's type `ty`.
    pub fn of(ty: FieldType) -> ValueType {
        match ty {
            FieldType::Text => ValueType::Text,
            FieldType::Integer => ValueType::Integer,
            FieldType::Number => ValueType::Amount,
            FieldType::Bool => ValueType::Bool,
            FieldType::Time => ValueType::Time,
            FieldType::List => ValueType::List,
        }
    }

    /// The model's type for this value type (for the check against the readers' lists).
    pub fn model_type(self) -> Option<FieldType> {
        match self {
            ValueType::Text => Some(FieldType::Text),
            ValueType::Integer | ValueType::Count => Some(FieldType::Integer),
            ValueType::Amount => Some(FieldType::Number),
            ValueType::Bool => Some(FieldType::Bool),
            ValueType::Time => Some(FieldType::Time),
            ValueType::List => Some(FieldType::List),
            ValueType::JsonObject | ValueType::OpportunityStatus | ValueType::ConsentStatus => None,
        }
    }
}

/// One input field.
#[derive(Debug, Clone, Copy)]
pub struct FieldDef {
    pub name: &'static str,
    pub ty: ValueType,
    pub doc: &'static str,
    pub example: &'static str,
}

const fn f(name: &'static str, ty: ValueType, doc: &'static str, example: &'static str) -> FieldDef {
    FieldDef { name, ty, doc, example }
}

use ValueType as T;

/// The lead fields, in the readers' order.
pub const LEAD_FIELDS: &[FieldDef] = &[
    f(
        "lead_id",
        T::Text,
        "The lead's id in the source system; unique (the first row with an id wins, later ones are rejected).",
        "00Q5e00000AbCdE",
    ),
    f("email", T::Text, "Email address; its kind (work, free-mail, disposable, role, invalid) is a fact rules use.", "dana@acme.com"),
    f("first_name", T::Text, "Given name.", "Dana"),
    f("last_name", T::Text, "Family name.", "Reyes"),
    f("title", T::Text, "Job title; seniority and department are read from it.", "VP of Operations"),
    f("company", T::Text, "Company name as the lead gave it.", "Acme Corp"),
    f("domain", T::Text, "The company's web domain.", "acme.com"),
    f(
        "account_id",
        T::Text,
        "The account (company) the lead belongs to: links the lead to the accounts input and to opportunities on the account.",
        "001A000001",
    ),
    f("industry", T::Text, "Industry.", "Software"),
    f("employees", T::Count, "Number of employees of the company.", "250"),
    f("annual_revenue", T::Amount, "The company's annual revenue.", "12000000"),
    f("country", T::Text, "Country (name or ISO code).", "DE"),
    f("phone", T::Text, "Phone number.", "+49 30 1234567"),
    f("phone_verified", T::Bool, "Whether the phone number was verified.", "true"),
    f("consent", T::Bool, "Marketing consent (replaced by the consents input when one is given).", "yes"),
    f("consent_at", T::Time, "When consent was given or last changed.", "2026-03-02T10:00:00Z"),
    f("source", T::Text, "Lead source (channel).", "paid_search"),
    f("campaign", T::Text, "Campaign that brought the lead.", "spring-webinar"),
    f("created_at", T::Time, "When the lead was created in the source system.", "2026-03-02"),
    f("tech_stack", T::List, "Technologies the company uses.", "Salesforce;Snowflake"),
    f("use_case", T::Text, "What the lead wants to do with the product.", "pipeline reporting"),
    f("budget_owner", T::Bool, "Whether the lead owns the budget.", "no"),
    f("timeline_days", T::Count, "Days until the lead means to buy.", "90"),
    f("contract_end", T::Time, "When the lead's current contract (with a competitor) ends.", "2026-12-31"),
    f("honeypot", T::Text, "A hidden form field: a value means a bot filled in the form.", ""),
];

/// The account fields.
pub const ACCOUNT_FIELDS: &[FieldDef] = &[
    f("account_id", T::Text, "The account's id; leads with this `account_id` belong to it.", "001A000001"),
    f("name", T::Text, "Company name.", "Acme Corp"),
    f("domain", T::Text, "Web domain.", "acme.com"),
    f("industry", T::Text, "Industry.", "Software"),
    f("employees", T::Count, "Number of employees.", "2500"),
    f("country", T::Text, "Country.", "United States"),
    f("owner", T::Text, "Account owner (a rep).", "Jo Park"),
    f("tier", T::Text, "Account tier, e.g. from an account-based marketing list.", "tier1"),
];

/// The event fields.
pub const EVENT_FIELDS: &[FieldDef] = &[
    f("event_id", T::Text, "The event's id: the idempotency key (a repeated id counts once).", "ev-000123"),
    f("lead_id", T::Text, "The lead the event belongs to (must be in the leads input).", "L1"),
    f(
        "type",
        T::Text,
        "Event type: page_view, form_submit, email_open, email_click, demo_request, trial_signup, sales_touch, email_bounce, ... (any name; rules match on it).",
        "page_view",
    ),
    f("occurred_at", T::Time, "When it happened. Events after the scoring time are ignored.", "2026-03-02T10:15:00Z"),
    f("url", T::Text, "Page URL or path (page views).", "/pricing"),
    f("properties", T::JsonObject, "Other properties of the event.", "{\"feature\": \"reports\"}"),
];

/// The outcome (opportunity) fields.
pub const OUTCOME_FIELDS: &[FieldDef] = &[
    f("opportunity_id", T::Text, "The opportunity's id; unique.", "006A000001"),
    f("lead_id", T::Text, "The lead the opportunity came from (one of lead_id and account_id is required).", "L1"),
    f(
        "account_id",
        T::Text,
        "The account of the opportunity: without a lead_id, `report` counts it for the account's earliest-created lead, and `calibrate` and `backtest` label every lead of the account with it.",
        "001A000001",
    ),
    f("created_at", T::Time, "When the opportunity was created.", "2026-03-02"),
    f("closed_at", T::Time, "When it was won or lost (not before created_at).", "2026-05-20"),
    f("status", T::OpportunityStatus, "open, won or lost.", "won"),
    f("amount", T::Amount, "Value of the opportunity.", "24000"),
    f("loss_reason", T::Text, "Why a lost opportunity was lost.", "no budget"),
];

/// The consent record fields.
pub const CONSENT_FIELDS: &[FieldDef] = &[
    f("lead_id", T::Text, "The lead.", "L1"),
    f("purpose", T::Text, "What the consent is for (lower-cased): marketing, sales_contact, analytics, ...", "marketing"),
    f("status", T::ConsentStatus, "granted, withdrawn or denied.", "granted"),
    f("source", T::Text, "Where the record came from: form, import, crm, email_link, ...", "form"),
    f("at", T::Time, "When.", "2026-03-02T10:00:00Z"),
];

/// The stage history fields.
pub const STAGE_FIELDS: &[FieldDef] = &[
    f("lead_id", T::Text, "The lead.", "L1"),
    f(
        "stage",
        T::Text,
        "The stage entered (lower-cased): inquiry, mql, pql, sal, sql, opportunity, won, lost, nurture, recycled, disqualified.",
        "sal",
    ),
    f("at", T::Time, "When.", "2026-03-05T09:00:00Z"),
    f("by", T::Text, "Who moved the lead.", "rep-7"),
    f("reason", T::Text, "Reason code of a rejection or move.", "no_budget"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use leadrank_core::records;

    #[test]
    fn lead_and_account_fields_are_the_readers_own() {
        let ours: Vec<_> = LEAD_FIELDS.iter().map(|f| (f.name, f.ty.model_type())).collect();
        let readers: Vec<_> = records::LEAD_FIELDS.iter().map(|(n, t)| (*n, Some(*t))).collect();
        assert_eq!(ours, readers);
        let ours: Vec<_> = ACCOUNT_FIELDS[1..].iter().map(|f| (f.name, f.ty.model_type())).collect();
        let readers: Vec<_> = records::ACCOUNT_FIELDS.iter().map(|(n, t)| (*n, Some(*t))).collect();
        assert_eq!(ours, readers);
        assert_eq!(ACCOUNT_FIELDS[0].name, "account_id");
        let events: Vec<_> = EVENT_FIELDS.iter().map(|f| f.name).collect();
        assert_eq!(events, records::EVENT_FIELDS);
        let consents: Vec<_> = CONSENT_FIELDS.iter().map(|f| f.name).collect();
        assert_eq!(consents, records::CONSENT_FIELDS);
        for kind in Kind::ALL {
            for set in kind.required() {
                for name in *set {
                    assert!(kind.field(name).is_some(), "{}: required {name} is not a field", kind.as_str());
                }
            }
        }
    }

    #[test]
    fn model_types_round_trip() {
        for ty in [FieldType::Text, FieldType::Integer, FieldType::Number, FieldType::Bool, FieldType::Time, FieldType::List] {
            assert_eq!(ValueType::of(ty).model_type(), Some(ty));
        }
    }
}
