//! Input records and the parsing of their values.
//!
//! Readers (CSV, JSON Lines, HTTP) hand every value over as text; the functions here turn it
//! into typed fields and say precisely what is wrong when they cannot. Values are trimmed and
//! an empty value means "absent".

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// One person in the source system (`leads`).
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

/// One behavioural event (`events`).
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

/// A company known to the CRM (`accounts`).
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

/// The built-in lead fields with their types, in reference order.
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

/// The built-in event fields (`events`).
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
    #[error("contains a NUL byte (\\0), which no text value may hold")]
    NulByte,
}

/// Trims a value; `None` when it is empty.
pub fn non_empty(raw: &str) -> Option<&str> {
    let t = trim(raw);
    (!t.is_empty()).then_some(t)
}

/// `str::trim`, answered without decoding characters when the value starts and ends with a
/// printable ASCII character (no white space there), as nearly every value does.
pub fn trim(raw: &str) -> &str {
    match (raw.as_bytes().first(), raw.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => raw,
        _ => raw.trim(),
    }
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
    if let Some(secs) = utc_seconds_fast(t.as_bytes())
        && let Ok(ts) = Timestamp::from_second(secs)
    {
        return Ok(Some(ts));
    }
    if t.len() == 10
        && let Ok(date) = t.parse::<jiff::civil::Date>()
    {
        return date.to_zoned(jiff::tz::TimeZone::UTC).map(|z| Some(z.timestamp())).map_err(|_| ValueError::NotTime(t.to_string()));
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
        Ok(serde_json::Value::Object(map)) if map.iter().any(|(k, v)| k.contains('\0') || json_has_nul(v)) => Err(ValueError::NulByte),
        Ok(serde_json::Value::Object(map)) => Ok(Some(map)),
        Ok(_) => Err(ValueError::NotJsonObject("expected an object like {\"feature\": \"reports\"}".into())),
        Err(e) => Err(ValueError::NotJsonObject(e.to_string())),
    }
}

/// Whether a JSON value holds a NUL character in a string or a key (written `\u0000`).
fn json_has_nul(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::String(s) => s.contains('\0'),
        serde_json::Value::Array(items) => items.iter().any(json_has_nul),
        serde_json::Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || json_has_nul(v)),
        _ => false,
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

/// Every bad field of a record, in the order the fields came (at least one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    /// The first bad field.
    pub fn into_first(self) -> FieldError {
        self.0.into_iter().next().unwrap_or_else(|| FieldError::new("", ValueError::Missing))
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for FieldErrors {}

/// Collects the bad fields of one record while its values are read.
#[derive(Default)]
struct Fields {
    errors: Vec<FieldError>,
}

impl Fields {
    /// The parsed value, or `None` with the error recorded against `name`.
    fn take<T>(&mut self, name: &str, parsed: Result<Option<T>, ValueError>) -> Option<T> {
        parsed.unwrap_or_else(|e| {
            self.errors.push(FieldError::new(name, e));
            None
        })
    }

    /// A text value (trimmed; empty is absent). A NUL byte is an error: PostgreSQL cannot
    /// store one, so no store accepts it.
    fn text<T: for<'a> From<&'a str>>(&mut self, name: &str, value: &str) -> Option<T> {
        self.take(name, checked_text(value).map(|v| v.map(T::from)))
    }

    /// A whole number that cannot be negative (counts, days).
    fn count(&mut self, name: &str, value: &str) -> Option<i64> {
        let parsed = parse_integer(value).and_then(|v| match v {
            Some(n) if n < 0 => Err(ValueError::OutOfRange(value.trim().into(), "zero or more")),
            v => Ok(v),
        });
        self.take(name, parsed)
    }

    /// A number that cannot be negative (amounts).
    fn amount(&mut self, name: &str, value: &str) -> Option<f64> {
        let parsed = parse_number(value).and_then(|v| match v {
            Some(n) if n < 0.0 => Err(ValueError::OutOfRange(value.trim().into(), "zero or more")),
            v => Ok(v),
        });
        self.take(name, parsed)
    }

    /// A value that must be present: a "missing" error when it is absent and its field has
    /// no error yet.
    fn required<T>(&mut self, name: &str, value: Option<T>) -> Option<T> {
        if value.is_none() && !self.errors.iter().any(|e| e.field == name) {
            self.errors.push(FieldError::new(name, ValueError::Missing));
        }
        value
    }

    /// The record when no field was bad, else every error.
    fn finish<T>(self, record: Option<T>) -> Result<T, FieldErrors> {
        match record {
            Some(r) if self.errors.is_empty() => Ok(r),
            _ => Err(FieldErrors(self.errors)),
        }
    }
}

/// A trimmed text value, `None` when empty; an error when it holds a NUL byte.
pub fn checked_text(raw: &str) -> Result<Option<&str>, ValueError> {
    if raw.contains('\0') {
        return Err(ValueError::NulByte);
    }
    Ok(non_empty(raw))
}

/// Builds a lead from named text values (a CSV row or a flattened JSON object).
///
/// Unknown names become custom fields. Returns the first bad field; see
/// [`lead_from_pairs_all_errors`] for all of them.
pub fn lead_from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Lead, FieldError> {
    lead_from_pairs_all_errors(pairs).map_err(FieldErrors::into_first)
}

/// Builds a lead from named text values, reporting every bad field: value errors in the
/// order the fields came, then a missing `lead_id`.
pub fn lead_from_pairs_all_errors<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Lead, FieldErrors> {
    let mut lead = Lead::default();
    let mut id = None;
    let mut f = Fields::default();
    for (name, value) in pairs {
        match name {
            "lead_id" => id = f.text::<String>(name, value),
            "email" => lead.email = f.text(name, value),
            "first_name" => lead.first_name = f.text(name, value),
            "last_name" => lead.last_name = f.text(name, value),
            "title" => lead.title = f.text(name, value),
            "company" => lead.company = f.text(name, value),
            "domain" => lead.domain = f.text(name, value),
            "account_id" => lead.account_id = f.text(name, value),
            "industry" => lead.industry = f.text(name, value),
            "employees" => lead.employees = f.count(name, value),
            "annual_revenue" => lead.annual_revenue = f.amount(name, value),
            "country" => lead.country = f.text(name, value),
            "phone" => lead.phone = f.text(name, value),
            "phone_verified" => lead.phone_verified = f.take(name, parse_bool(value)),
            "consent" => lead.consent = f.take(name, parse_bool(value)),
            "consent_at" => lead.consent_at = f.take(name, parse_time(value)),
            "source" => lead.source = f.text(name, value),
            "campaign" => lead.campaign = f.text(name, value),
            "created_at" => lead.created_at = f.take(name, parse_time(value)),
            "tech_stack" => {
                if f.text::<String>(name, value).is_some() {
                    lead.tech_stack = parse_list(value);
                }
            }
            "use_case" => lead.use_case = f.text(name, value),
            "budget_owner" => lead.budget_owner = f.take(name, parse_bool(value)),
            "timeline_days" => lead.timeline_days = f.count(name, value),
            "contract_end" => lead.contract_end = f.take(name, parse_time(value)),
            "honeypot" => lead.honeypot = f.text(name, value),
            other => {
                if other.contains('\0') {
                    f.errors.push(FieldError::new(&other.replace('\0', "\\0"), ValueError::NulByte));
                } else if let Some(v) = f.text::<String>(name, value) {
                    lead.custom.push((other.to_string(), v));
                }
            }
        }
    }
    let id = f.required("lead_id", id);
    f.finish(id.map(|id| Lead { lead_id: id, ..lead }))
}

/// Builds an account from named text values. Unknown names are ignored. Returns the first
/// bad field; see [`account_from_pairs_all_errors`] for all of them.
pub fn account_from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Account, FieldError> {
    account_from_pairs_all_errors(pairs).map_err(FieldErrors::into_first)
}

/// Builds an account from named text values, reporting every bad field.
pub fn account_from_pairs_all_errors<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Account, FieldErrors> {
    let mut account = Account::default();
    let mut id = None;
    let mut f = Fields::default();
    for (name, value) in pairs {
        match name {
            "account_id" => id = f.text(name, value),
            "name" => account.name = f.text(name, value),
            "domain" => account.domain = f.text(name, value),
            "industry" => account.industry = f.text(name, value),
            "employees" => account.employees = f.count(name, value),
            "country" => account.country = f.text(name, value),
            "owner" => account.owner = f.text(name, value),
            "tier" => account.tier = f.text(name, value),
            _ => {}
        }
    }
    let id = f.required("account_id", id);
    f.finish(id.map(|id| Account { account_id: id, ..account }))
}

/// Builds an event from named text values. Unknown names are ignored. Returns the first bad
/// field; see [`event_from_pairs_all_errors`] for all of them.
pub fn event_from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Event, FieldError> {
    event_from_pairs_all_errors(pairs).map_err(FieldErrors::into_first)
}

/// Builds an event from named text values, reporting every bad field: value errors in the
/// order the fields came, then the missing ones (event_id, lead_id, type, occurred_at).
pub fn event_from_pairs_all_errors<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Event, FieldErrors> {
    let (mut id, mut lead, mut kind, mut at, mut url, mut props) = (None, None, None, None, None, None);
    let mut f = Fields::default();
    for (name, value) in pairs {
        match name {
            "event_id" => id = f.text(name, value),
            "lead_id" => lead = f.text(name, value),
            "type" => kind = f.text(name, value),
            "occurred_at" => at = f.take(name, parse_time(value)),
            "url" => url = f.text(name, value),
            "properties" => props = f.take(name, parse_properties(value)),
            _ => {}
        }
    }
    let (id, lead, kind, at) =
        (f.required("event_id", id), f.required("lead_id", lead), f.required("type", kind), f.required("occurred_at", at));
    let event = match (id, lead, kind, at) {
        (Some(event_id), Some(lead_id), Some(event_type), Some(occurred_at)) => {
            Some(Event { event_id, lead_id, event_type, occurred_at, url, properties: props })
        }
        _ => None,
    };
    f.finish(event)
}

/// Builds a consent record from named text values. Unknown names are ignored; the purpose
/// is lower-cased. Returns the first bad field; see [`consent_from_pairs_all_errors`].
pub fn consent_from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<ConsentRecord, FieldError> {
    consent_from_pairs_all_errors(pairs).map_err(FieldErrors::into_first)
}

/// Builds a consent record from named text values, reporting every bad field.
pub fn consent_from_pairs_all_errors<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<ConsentRecord, FieldErrors> {
    let (mut lead, mut purpose, mut status, mut source, mut at) = (None, None, None, None, None);
    let mut f = Fields::default();
    for (name, value) in pairs {
        match name {
            "lead_id" => lead = f.text(name, value),
            "purpose" => purpose = f.text::<String>(name, value).map(|p| p.to_ascii_lowercase()),
            "status" => status = f.take(name, parse_consent_status(value)),
            "source" => source = f.text(name, value),
            "at" => at = f.take(name, parse_time(value)),
            _ => {}
        }
    }
    let (lead, purpose, status, at) =
        (f.required("lead_id", lead), f.required("purpose", purpose), f.required("status", status), f.required("at", at));
    let record = match (lead, purpose, status, at) {
        (Some(lead_id), Some(purpose), Some(status), Some(at)) => Some(ConsentRecord { lead_id, purpose, status, source, at }),
        _ => None,
    };
    f.finish(record)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_equals_str_trim() {
        for raw in ["", " ", "a", " a ", "a\t", "\u{a0}x", "x\u{3000}", "\u{1f}x\u{1f}", "ab c", "\r\n", "é ", " é"] {
            assert_eq!(trim(raw), raw.trim(), "{raw:?}");
        }
    }

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
    fn a_nul_byte_in_any_stored_text_is_a_field_error() {
        let err = lead_from_pairs([("lead_id", "L\u{0}1")]).unwrap_err();
        assert_eq!(err.to_string(), "lead_id: contains a NUL byte (\\0), which no text value may hold");
        for field in ["email", "first_name", "company", "domain", "account_id", "phone", "tech_stack", "honeypot", "seats"] {
            let err = lead_from_pairs([("lead_id", "L1"), (field, "a\0b")]).unwrap_err();
            assert_eq!((err.field.as_str(), &err.error), (field, &ValueError::NulByte));
        }
        assert_eq!(lead_from_pairs([("lead_id", "L1"), ("se\0ats", "3")]).unwrap_err().field, "se\\0ats");
        assert_eq!(account_from_pairs([("account_id", "A\0")]).unwrap_err().error, ValueError::NulByte);
        assert_eq!(account_from_pairs([("account_id", "A1"), ("owner", "x\0")]).unwrap_err().field, "owner");
        let event = |k: &str, v: &str| {
            let mut pairs = vec![("event_id", "e1"), ("lead_id", "L1"), ("type", "page_view"), ("occurred_at", "2026-01-01")];
            pairs.retain(|(n, _)| *n != k);
            pairs.push((k, v));
            pairs.into_iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>()
        };
        for (k, v) in [("event_id", "e\0"), ("lead_id", "\0"), ("type", "page\0view"), ("url", "/a\0")] {
            let pairs = event(k, v);
            let err = event_from_pairs(pairs.iter().map(|(a, b)| (a.as_str(), b.as_str()))).unwrap_err();
            assert_eq!((err.field.as_str(), err.error), (k, ValueError::NulByte));
        }
        // In properties the NUL is an escape inside a JSON string (a raw one is not JSON).
        let err = parse_properties(r#"{"feature": "a\u0000b"}"#).unwrap_err();
        assert_eq!(err, ValueError::NulByte);
        assert_eq!(parse_properties(r#"{"deep": [{"k\u0000": 1}]}"#).unwrap_err(), ValueError::NulByte);
        assert!(parse_properties(r#"{"path": "C:\\u0000"}"#).unwrap().is_some(), "an escaped backslash is not a NUL");
        let err =
            consent_from_pairs([("lead_id", "L1"), ("purpose", "market\0ing"), ("status", "granted"), ("at", "2026-01-01")]).unwrap_err();
        assert_eq!((err.field.as_str(), err.error), ("purpose", ValueError::NulByte));
    }

    #[test]
    fn counts_and_amounts_cannot_be_negative() {
        for (field, value) in [("employees", "-1"), ("annual_revenue", "-0.5"), ("timeline_days", "-30")] {
            let err = lead_from_pairs([("lead_id", "L1"), (field, value)]).unwrap_err();
            assert_eq!(err.to_string(), format!("{field}: '{value}' must be zero or more"));
        }
        let err = account_from_pairs([("account_id", "A1"), ("employees", " -3 ")]).unwrap_err();
        assert_eq!(err.to_string(), "employees: '-3' must be zero or more");
        let lead = lead_from_pairs([("lead_id", "L1"), ("employees", "0"), ("annual_revenue", "0"), ("timeline_days", "0")]).unwrap();
        assert_eq!((lead.employees, lead.annual_revenue, lead.timeline_days), (Some(0), Some(0.0), Some(0)));
        // A custom field declares its own type and may be negative.
        assert_eq!(lead_from_pairs([("lead_id", "L1"), ("balance", "-5")]).unwrap().custom_field("balance"), Some("-5"));
    }

    #[test]
    fn every_bad_field_is_reported_in_field_order() {
        let errs = lead_from_pairs_all_errors([("email", "a\0"), ("employees", "many"), ("consent", "maybe"), ("timeline_days", "-1")])
            .unwrap_err();
        let got: Vec<String> = errs.0.iter().map(ToString::to_string).collect();
        assert_eq!(
            got,
            vec![
                "email: contains a NUL byte (\\0), which no text value may hold",
                "employees: 'many' is not an integer",
                "consent: 'maybe' is not a boolean (use true/false, yes/no or 1/0)",
                "timeline_days: '-1' must be zero or more",
                "lead_id: is required",
            ]
        );
        assert_eq!(lead_from_pairs([("email", "a\0"), ("employees", "many")]).unwrap_err().field, "email", "the first one");
        let errs = event_from_pairs_all_errors([("lead_id", "L1"), ("occurred_at", "soon"), ("properties", "[1]")]).unwrap_err();
        let fields: Vec<&str> = errs.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["occurred_at", "properties", "event_id", "type"], "a bad time is not also reported missing");
        assert_eq!(errs.to_string().matches("; ").count(), 3);
        let errs = consent_from_pairs_all_errors([("status", "maybe"), ("at", "")]).unwrap_err();
        let fields: Vec<&str> = errs.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["status", "lead_id", "purpose", "at"]);
        let errs = account_from_pairs_all_errors([("employees", "-2"), ("account_id", "")]).unwrap_err();
        assert_eq!(errs.to_string(), "employees: '-2' must be zero or more; account_id: is required");
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
