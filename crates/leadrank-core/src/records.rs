//! Input records and the parsing of their values (SPEC section 1).
//!
//! Readers (CSV, JSON Lines, HTTP) hand every value over as text; the functions here turn it
//! into typed fields and say precisely what is wrong when they cannot. Values are trimmed and
//! an empty value means "absent".

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// One person in the source system (SPEC section 1, `leads`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Lead {
    pub lead_id: String,
    pub email: Option<Box<str>>,
    pub first_name: Option<Box<str>>,
    pub last_name: Option<Box<str>>,
    pub title: Option<Box<str>>,
    pub company: Option<Box<str>>,
    pub domain: Option<Box<str>>,
    pub account_id: Option<Box<str>>,
    pub industry: Option<Box<str>>,
    pub employees: Option<i64>,
    pub annual_revenue: Option<f64>,
    pub country: Option<Box<str>>,
    pub phone: Option<Box<str>>,
    pub phone_verified: Option<bool>,
    pub consent: Option<bool>,
    pub consent_at: Option<Timestamp>,
    pub source: Option<Box<str>>,
    pub campaign: Option<Box<str>>,
    pub created_at: Option<Timestamp>,
    pub tech_stack: Vec<String>,
    pub use_case: Option<Box<str>>,
    pub budget_owner: Option<bool>,
    pub timeline_days: Option<i64>,
    pub contract_end: Option<Timestamp>,
    pub honeypot: Option<Box<str>>,
    /// Columns the schema does not know, kept as text in input order (name, value).
    pub custom: Vec<(String, String)>,
}

impl Lead {
    /// The value of a custom field, if the lead has it.
    pub fn custom_field(&self, name: &str) -> Option<&str> {
        self.custom.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// One behavioural event (SPEC section 1, `events`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Idempotency key: the same event sent twice counts once.
    pub event_id: String,
    pub lead_id: String,
    #[serde(rename = "type")]
    pub event_type: String,
    pub occurred_at: Timestamp,
    pub url: Option<String>,
    pub properties: Option<serde_json::Map<String, serde_json::Value>>,
}

/// A company known to the CRM (SPEC section 1, `accounts`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub account_id: String,
    pub name: Option<String>,
    pub domain: Option<String>,
    pub industry: Option<String>,
    pub employees: Option<i64>,
    pub country: Option<String>,
    pub owner: Option<String>,
    pub tier: Option<String>,
}

/// The purpose whose latest consent record sets a lead's `consent` flag.
pub const MARKETING_PURPOSE: &str = "marketing";

/// The state a consent record puts a purpose in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentStatus {
    Granted,
    Withdrawn,
    Denied,
}

impl ConsentStatus {
    /// The name used in input files.
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentStatus::Granted => "granted",
            ConsentStatus::Withdrawn => "withdrawn",
            ConsentStatus::Denied => "denied",
        }
    }
}

/// One consent event for a lead and a purpose (consents input): consent is a history of
/// records, not a flag. The latest `marketing` record decides the lead's `consent`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentRecord {
    pub lead_id: String,
    /// Lower-cased: "marketing", "sales_contact", "analytics", ...
    pub purpose: String,
    pub status: ConsentStatus,
    /// Where the record came from: form, import, crm, email_link, ...
    pub source: Option<String>,
    pub at: Timestamp,
}

/// The consent fields (consents input).
pub const CONSENT_FIELDS: &[&str] = &["lead_id", "purpose", "status", "source", "at"];

/// The type of a lead field, used to check model conditions and to parse custom fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    Text,
    Integer,
    Number,
    Bool,
    Time,
    List,
}

impl FieldType {
    /// The name used in model files and error messages.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Integer => "integer",
            FieldType::Number => "number",
            FieldType::Bool => "bool",
            FieldType::Time => "time",
            FieldType::List => "list",
        }
    }
}

/// The built-in lead fields with their types, in SPEC order.
pub const LEAD_FIELDS: &[(&str, FieldType)] = &[
    ("lead_id", FieldType::Text),
    ("email", FieldType::Text),
    ("first_name", FieldType::Text),
    ("last_name", FieldType::Text),
    ("title", FieldType::Text),
    ("company", FieldType::Text),
    ("domain", FieldType::Text),
    ("account_id", FieldType::Text),
    ("industry", FieldType::Text),
    ("employees", FieldType::Integer),
    ("annual_revenue", FieldType::Number),
    ("country", FieldType::Text),
    ("phone", FieldType::Text),
    ("phone_verified", FieldType::Bool),
    ("consent", FieldType::Bool),
    ("consent_at", FieldType::Time),
    ("source", FieldType::Text),
    ("campaign", FieldType::Text),
    ("created_at", FieldType::Time),
    ("tech_stack", FieldType::List),
    ("use_case", FieldType::Text),
    ("budget_owner", FieldType::Bool),
    ("timeline_days", FieldType::Integer),
    ("contract_end", FieldType::Time),
    ("honeypot", FieldType::Text),
];

/// The account fields a rule can read as `account.<name>` (from the accounts input).
pub const ACCOUNT_FIELDS: &[(&str, FieldType)] = &[
    ("name", FieldType::Text),
    ("domain", FieldType::Text),
    ("industry", FieldType::Text),
    ("employees", FieldType::Integer),
    ("country", FieldType::Text),
    ("owner", FieldType::Text),
    ("tier", FieldType::Text),
];

/// The built-in event fields (SPEC section 1, `events`).
pub const EVENT_FIELDS: &[&str] = &["event_id", "lead_id", "type", "occurred_at", "url", "properties"];

/// Why a single value could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("is required")]
    Missing,
    #[error("'{0}' is not an integer")]
    NotInteger(String),
    #[error("'{0}' is not a number")]
    NotNumber(String),
    #[error("'{0}' is not a boolean (use true/false, yes/no or 1/0)")]
    NotBool(String),
    #[error("'{0}' is not an RFC 3339 time or a YYYY-MM-DD date")]
    NotTime(String),
    #[error("is not a JSON object: {0}")]
    NotJsonObject(String),
    #[error("'{0}' must be {1}")]
    OutOfRange(String, &'static str),
    #[error("'{0}' is not a consent status (granted, withdrawn, denied)")]
    NotConsentStatus(String),
}

/// Trims a value; `None` when it is empty.
pub fn non_empty(raw: &str) -> Option<&str> {
    let t = raw.trim();
    (!t.is_empty()).then_some(t)
}

/// Parses an integer ("1200", "+5"); an empty value is absent.
pub fn parse_integer(raw: &str) -> Result<Option<i64>, ValueError> {
    let Some(t) = non_empty(raw) else { return Ok(None) };
    t.parse::<i64>().map(Some).map_err(|_| ValueError::NotInteger(t.to_string()))
}

/// Parses a finite number ("12.5", "1e6"); an empty value is absent.
pub fn parse_number(raw: &str) -> Result<Option<f64>, ValueError> {
    let Some(t) = non_empty(raw) else { return Ok(None) };
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(ValueError::NotNumber(t.to_string())),
    }
}

/// Parses a boolean: true/false, yes/no, 1/0 in any case; an empty value is absent.
pub fn parse_bool(raw: &str) -> Result<Option<bool>, ValueError> {
    let Some(t) = non_empty(raw) else { return Ok(None) };
    if ["true", "yes", "1"].iter().any(|w| t.eq_ignore_ascii_case(w)) {
        Ok(Some(true))
    } else if ["false", "no", "0"].iter().any(|w| t.eq_ignore_ascii_case(w)) {
        Ok(Some(false))
    } else {
        Err(ValueError::NotBool(t.to_string()))
    }
}

/// Parses an RFC 3339 time, or a bare `YYYY-MM-DD` date read as midnight UTC.
pub fn parse_time(raw: &str) -> Result<Option<Timestamp>, ValueError> {
    let Some(t) = non_empty(raw) else { return Ok(None) };
    if let Some(secs) = utc_seconds_fast(t.as_bytes()) {
        if let Ok(ts) = Timestamp::from_second(secs) {
            return Ok(Some(ts));
        }
    }
    if t.len() == 10 {
        if let Ok(date) = t.parse::<jiff::civil::Date>() {
            return date.to_zoned(jiff::tz::TimeZone::UTC).map(|z| Some(z.timestamp())).map_err(|_| ValueError::NotTime(t.to_string()));
        }
    }
    t.parse::<Timestamp>().map(Some).map_err(|_| ValueError::NotTime(t.to_string()))
}

/// The common form `YYYY-MM-DDTHH:MM:SSZ` read without the general parser (it is most of
/// every events file). Anything else, or an impossible date, returns `None`.
fn utc_seconds_fast(b: &[u8]) -> Option<i64> {
    if b.len() != 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        b[r].iter().try_fold(0i64, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0')))
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in_month = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month[(m - 1) as usize] || hh > 23 || mm > 59 || ss > 59 {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hh * 3600 + mm * 60 + ss)
}

/// Parses a consent status (granted, withdrawn, denied; any case); an empty value is absent.
pub fn parse_consent_status(raw: &str) -> Result<Option<ConsentStatus>, ValueError> {
    let Some(t) = non_empty(raw) else { return Ok(None) };
    [ConsentStatus::Granted, ConsentStatus::Withdrawn, ConsentStatus::Denied]
        .into_iter()
        .find(|s| t.eq_ignore_ascii_case(s.as_str()))
        .map(Some)
        .ok_or_else(|| ValueError::NotConsentStatus(t.to_string()))
}

/// Splits a list value on ";" (CSV form), trimming entries and dropping empty ones.
pub fn parse_list(raw: &str) -> Vec<String> {
    raw.split(';').filter_map(non_empty).map(str::to_string).collect()
}

/// Parses a JSON object (event properties); an empty value is absent.
pub fn parse_properties(raw: &str) -> Result<Option<serde_json::Map<String, serde_json::Value>>, ValueError> {
    let Some(t) = non_empty(raw) else { return Ok(None) };
    match serde_json::from_str::<serde_json::Value>(t) {
        Ok(serde_json::Value::Object(map)) => Ok(Some(map)),
        Ok(_) => Err(ValueError::NotJsonObject("expected an object like {\"feature\": \"reports\"}".into())),
        Err(e) => Err(ValueError::NotJsonObject(e.to_string())),
    }
}

/// A field of a record that could not be read, with the column name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {error}")]
pub struct FieldError {
    pub field: String,
    pub error: ValueError,
}

impl FieldError {
    fn new(field: &str, error: ValueError) -> Self {
        FieldError { field: field.to_string(), error }
    }
}

fn text<T: for<'a> From<&'a str>>(v: &str) -> Option<T> {
    non_empty(v).map(T::from)
}

/// Builds a lead from named text values (a CSV row or a flattened JSON object).
///
/// Unknown names become custom fields. Returns the first bad field.
pub fn lead_from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Lead, FieldError> {
    let mut lead = Lead::default();
    let mut has_id = false;
    for (name, value) in pairs {
        let wrap = |e| FieldError::new(name, e);
        match name {
            "lead_id" => {
                if let Some(v) = text(value) {
                    lead.lead_id = v;
                    has_id = true;
                }
            }
            "email" => lead.email = text(value),
            "first_name" => lead.first_name = text(value),
            "last_name" => lead.last_name = text(value),
            "title" => lead.title = text(value),
            "company" => lead.company = text(value),
            "domain" => lead.domain = text(value),
            "account_id" => lead.account_id = text(value),
            "industry" => lead.industry = text(value),
            "employees" => {
                lead.employees = parse_integer(value).map_err(wrap)?;
                if lead.employees.is_some_and(|e| e < 0) {
                    return Err(wrap(ValueError::OutOfRange(value.trim().into(), "zero or more")));
                }
            }
            "annual_revenue" => lead.annual_revenue = parse_number(value).map_err(wrap)?,
            "country" => lead.country = text(value),
            "phone" => lead.phone = text(value),
            "phone_verified" => lead.phone_verified = parse_bool(value).map_err(wrap)?,
            "consent" => lead.consent = parse_bool(value).map_err(wrap)?,
            "consent_at" => lead.consent_at = parse_time(value).map_err(wrap)?,
            "source" => lead.source = text(value),
            "campaign" => lead.campaign = text(value),
            "created_at" => lead.created_at = parse_time(value).map_err(wrap)?,
            "tech_stack" => lead.tech_stack = parse_list(value),
            "use_case" => lead.use_case = text(value),
            "budget_owner" => lead.budget_owner = parse_bool(value).map_err(wrap)?,
            "timeline_days" => lead.timeline_days = parse_integer(value).map_err(wrap)?,
            "contract_end" => lead.contract_end = parse_time(value).map_err(wrap)?,
            "honeypot" => lead.honeypot = text(value),
            other => {
                if let Some(v) = non_empty(value) {
                    lead.custom.push((other.to_string(), v.to_string()));
                }
            }
        }
    }
    if !has_id {
        return Err(FieldError::new("lead_id", ValueError::Missing));
    }
    Ok(lead)
}

/// Builds an account from named text values. Unknown names are ignored.
pub fn account_from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Account, FieldError> {
    let mut account = Account::default();
    for (name, value) in pairs {
        match name {
            "account_id" => account.account_id = text(value).unwrap_or_default(),
            "name" => account.name = text(value),
            "domain" => account.domain = text(value),
            "industry" => account.industry = text(value),
            "employees" => account.employees = parse_integer(value).map_err(|e| FieldError::new(name, e))?,
            "country" => account.country = text(value),
            "owner" => account.owner = text(value),
            "tier" => account.tier = text(value),
            _ => {}
        }
    }
    if account.account_id.is_empty() {
        return Err(FieldError::new("account_id", ValueError::Missing));
    }
    Ok(account)
}

/// Builds an event from named text values. Unknown names are ignored.
pub fn event_from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Event, FieldError> {
    let (mut id, mut lead, mut kind, mut at, mut url, mut props) = (None, None, None, None, None, None);
    for (name, value) in pairs {
        let wrap = |e| FieldError::new(name, e);
        match name {
            "event_id" => id = text(value),
            "lead_id" => lead = text(value),
            "type" => kind = text(value),
            "occurred_at" => at = parse_time(value).map_err(wrap)?,
            "url" => url = text(value),
            "properties" => props = parse_properties(value).map_err(wrap)?,
            _ => {}
        }
    }
    let missing = |f: &str| FieldError::new(f, ValueError::Missing);
    Ok(Event {
        event_id: id.ok_or_else(|| missing("event_id"))?,
        lead_id: lead.ok_or_else(|| missing("lead_id"))?,
        event_type: kind.ok_or_else(|| missing("type"))?,
        occurred_at: at.ok_or_else(|| missing("occurred_at"))?,
        url,
        properties: props,
    })
}

/// Builds a consent record from named text values. Unknown names are ignored; the purpose
/// is lower-cased.
pub fn consent_from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<ConsentRecord, FieldError> {
    let (mut lead, mut purpose, mut status, mut source, mut at) = (None, None, None, None, None);
    for (name, value) in pairs {
        let wrap = |e| FieldError::new(name, e);
        match name {
            "lead_id" => lead = text(value),
            "purpose" => purpose = non_empty(value).map(str::to_ascii_lowercase),
            "status" => status = parse_consent_status(value).map_err(wrap)?,
            "source" => source = text(value),
            "at" => at = parse_time(value).map_err(wrap)?,
            _ => {}
        }
    }
    let missing = |f: &str| FieldError::new(f, ValueError::Missing);
    Ok(ConsentRecord {
        lead_id: lead.ok_or_else(|| missing("lead_id"))?,
        purpose: purpose.ok_or_else(|| missing("purpose"))?,
        status: status.ok_or_else(|| missing("status"))?,
        source,
        at: at.ok_or_else(|| missing("at"))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_values() {
        assert_eq!(parse_bool(" YES ").unwrap(), Some(true));
        assert_eq!(parse_bool("0").unwrap(), Some(false));
        assert_eq!(parse_bool("").unwrap(), None);
        assert!(parse_bool("maybe").is_err());
        assert_eq!(parse_integer(" 42 ").unwrap(), Some(42));
        assert!(parse_integer("4.2").is_err());
        assert!(parse_number("NaN").is_err());
        assert_eq!(parse_time("2026-03-02").unwrap().unwrap().to_string(), "2026-03-02T00:00:00Z");
        assert_eq!(parse_time("2026-03-02T10:00:00+02:00").unwrap().unwrap().to_string(), "2026-03-02T08:00:00Z");
        assert!(parse_time("02/03/2026").is_err());
        assert!(parse_time("2026-02-30T00:00:00Z").is_err());
        for t in ["2024-02-29T23:59:59Z", "1970-01-01T00:00:00Z", "2026-06-30T12:00:00Z", "1900-03-01T00:00:00Z"] {
            let fast = utc_seconds_fast(t.as_bytes()).unwrap();
            assert_eq!(fast, t.parse::<Timestamp>().unwrap().as_second(), "{t}");
        }
        assert_eq!(parse_list(" Salesforce; ;Snowflake "), vec!["Salesforce", "Snowflake"]);
    }

    #[test]
    fn lead_keeps_custom_fields_and_reports_bad_ones() {
        let lead = lead_from_pairs([("lead_id", "L1"), ("seats", " 12 "), ("employees", "")]).unwrap();
        assert_eq!(lead.custom_field("seats"), Some("12"));
        assert_eq!(lead.employees, None);
        let err = lead_from_pairs([("lead_id", "L1"), ("employees", "many")]).unwrap_err();
        assert_eq!(err.to_string(), "employees: 'many' is not an integer");
        let err = lead_from_pairs([("email", "a@b.com")]).unwrap_err();
        assert_eq!(err.to_string(), "lead_id: is required");
    }

    #[test]
    fn event_requires_its_keys() {
        let err = event_from_pairs([("event_id", "e1"), ("lead_id", "L1"), ("type", "page_view")]).unwrap_err();
        assert_eq!(err.to_string(), "occurred_at: is required");
        let err = event_from_pairs([("properties", "[1]")]).unwrap_err();
        assert!(err.to_string().starts_with("properties: is not a JSON object"));
    }

    #[test]
    fn consent_records_parse_and_report_bad_fields() {
        let c = consent_from_pairs([
            ("lead_id", " L1 "),
            ("purpose", "Marketing"),
            ("status", "WITHDRAWN"),
            ("source", "email_link"),
            ("at", "2026-03-02"),
            ("note", "ignored"),
        ])
        .unwrap();
        assert_eq!(c.lead_id, "L1");
        assert_eq!(c.purpose, MARKETING_PURPOSE);
        assert_eq!(c.status, ConsentStatus::Withdrawn);
        assert_eq!(c.source.as_deref(), Some("email_link"));
        assert_eq!(c.at.to_string(), "2026-03-02T00:00:00Z");
        let c = consent_from_pairs([
            ("lead_id", "L1"),
            ("purpose", "analytics"),
            ("status", "granted"),
            ("source", ""),
            ("at", "2026-03-02T10:00:00+02:00"),
        ])
        .unwrap();
        assert_eq!((c.status, c.source, c.at.to_string()), (ConsentStatus::Granted, None, "2026-03-02T08:00:00Z".to_string()));
        let err = consent_from_pairs([("lead_id", "L1"), ("purpose", "marketing"), ("status", "maybe"), ("at", "2026-03-02")]).unwrap_err();
        assert_eq!(err.to_string(), "status: 'maybe' is not a consent status (granted, withdrawn, denied)");
        let err = consent_from_pairs([("lead_id", "L1"), ("purpose", "marketing"), ("status", "denied"), ("at", "")]).unwrap_err();
        assert_eq!(err.to_string(), "at: is required");
        let err = consent_from_pairs([("lead_id", "L1"), ("purpose", "marketing"), ("status", "denied"), ("at", "soon")]).unwrap_err();
        assert_eq!(err.to_string(), "at: 'soon' is not an RFC 3339 time or a YYYY-MM-DD date");
        let err = consent_from_pairs([("lead_id", "L1"), ("status", "granted"), ("at", "2026-03-02")]).unwrap_err();
        assert_eq!(err.to_string(), "purpose: is required");
        let err = consent_from_pairs([("purpose", "marketing"), ("status", "granted"), ("at", "2026-03-02")]).unwrap_err();
        assert_eq!(err.to_string(), "lead_id: is required");
        let err = consent_from_pairs([("lead_id", "L1"), ("purpose", "marketing"), ("at", "2026-03-02")]).unwrap_err();
        assert_eq!(err.to_string(), "status: is required");
    }
}
