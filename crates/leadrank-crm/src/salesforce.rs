//! Salesforce's side of the sync, the pure part: custom field names and their definitions
//! for an admin, the SOQL query of one keyset page, the daily API allocation read from the
//! `Sforce-Limit-Info` header, what a per-record error of a composite update means, and how
//! values are compared (a checkbox is never empty, a number reads back as `72.0`).

use crate::fields::{CrmField, FieldKind};

/// The REST API version used unless the sync file names another.
pub const API_VERSION: &str = "v62.0";
/// Records per `composite/sobjects` call (Salesforce's limit).
pub const COMPOSITE_MAX: usize = 200;
/// Records per query batch unless the sync file says otherwise (Salesforce's default and
/// largest batch; at least 200).
pub const QUERY_BATCH: u32 = 2_000;
/// Salesforce's length of a Text field.
pub const TEXT_LENGTH: usize = 255;
/// The length leadrank describes for the reasons (a Long Text Area; Salesforce allows up to
/// 131,072).
pub const LONG_TEXT_LENGTH: usize = 32_768;
/// The objects read, by their sync-file names, with their sObject names, in the order read
/// (accounts before the people who belong to them; opportunities, the outcomes, then
/// campaign members, the events of people already read).
pub const OBJECTS: [(&str, &str); 5] = [
    ("accounts", "Account"),
    ("leads", "Lead"),
    ("contacts", "Contact"),
    ("opportunities", "Opportunity"),
    ("campaign_members", "CampaignMember"),
];

/// The objects read when the sync file names none: all but campaign members, which need
/// read access to Campaigns and Campaign Members that an integration user set up for the
/// other four may lack (a run would stop at `INVALID_TYPE`).
pub const DEFAULT_OBJECTS: [&str; 4] = ["accounts", "leads", "contacts", "opportunities"];

/// The sObject an id belongs to, by its key prefix (`00Q` Lead, `003` Contact, `001`
/// Account).
pub fn sobject_of(id: &str) -> Option<&'static str> {
    match id.get(..3)? {
        "00Q" => Some("Lead"),
        "003" => Some("Contact"),
        "001" => Some("Account"),
        _ => None,
    }
}

/// The API name of a custom field: `Leadrank_` + `Score` + `__c`.
pub fn field_name(prefix: &str, field: CrmField) -> String {
    let s = field.suffix();
    let mut cap = String::with_capacity(s.len());
    let mut chars = s.chars();
    if let Some(c) = chars.next() {
        cap.extend(c.to_uppercase());
    }
    cap.extend(chars);
    format!("{prefix}{cap}__c")
}

/// Whether `prefix` makes valid custom field names: a letter, then letters, digits and
/// single underscores, at most 30 characters (40 with the field's name and `__c`).
pub fn valid_prefix(prefix: &str) -> bool {
    !prefix.is_empty()
        && prefix.len() <= 30
        && prefix.as_bytes()[0].is_ascii_alphabetic()
        && prefix.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !prefix.contains("__")
}

/// One custom field as an admin creates it (Setup > Object Manager > Lead / Contact >
/// Fields & Relationships > New).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSpec {
    pub field: CrmField,
    pub api_name: String,
    /// The field type as Setup names it (`Number`, `Text`, `Long Text Area`, `Checkbox`).
    pub setup_type: &'static str,
    /// The type `describe` reports for it (`double`, `string`, `textarea`, `boolean`).
    pub describe_type: &'static str,
    /// Characters (text), digits (number); 0 for a checkbox.
    pub length: usize,
    pub label: String,
    pub help: &'static str,
}

/// The definitions of the written fields.
pub fn field_specs(prefix: &str, fields: &[CrmField], long_text: usize) -> Vec<FieldSpec> {
    fields
        .iter()
        .map(|&f| {
            let (setup_type, describe_type, length) = match f.kind() {
                FieldKind::Number => ("Number", "double", 18),
                FieldKind::Text => ("Text", "string", TEXT_LENGTH),
                FieldKind::LongText => ("Long Text Area", "textarea", long_text),
                FieldKind::Bool => ("Checkbox", "boolean", 0),
            };
            FieldSpec {
                field: f,
                api_name: field_name(prefix, f),
                setup_type,
                describe_type,
                length,
                label: f.label().to_string(),
                help: f.description(),
            }
        })
        .collect()
}

/// The definitions as text for an admin, one block per field, for `objects`.
pub fn render_specs(specs: &[FieldSpec], objects: &[&str]) -> String {
    use std::fmt::Write;
    let mut s = format!(
        "Custom fields leadrank writes, to create on {} (Setup > Object Manager > {} > Fields & Relationships > New),\nwith the same API name on each, readable and editable by the integration user:\n",
        objects.join(" and "),
        objects.first().copied().unwrap_or("Lead"),
    );
    for f in specs {
        let size = match f.field.kind() {
            FieldKind::Number => "length 18, 0 decimal places".to_string(),
            FieldKind::Text => format!("length {}", f.length),
            FieldKind::LongText => format!("length {}, 5 visible lines", f.length),
            FieldKind::Bool => "default unchecked".to_string(),
        };
        let _ = write!(s, "\n{}\n  type: {} ({size})\n  label: {}\n  help text: {}\n", f.api_name, f.setup_type, f.label, f.help);
    }
    s
}

/// The SOQL query of one keyset page: the records of `object` modified after the cursor
/// (`since`: a SOQL datetime literal, `2026-01-01T00:00:00.000Z`; `after_id`: the last id
/// read at that time), oldest first, ties by id.
pub fn soql(object: &str, fields: &[String], since: Option<(&str, Option<&str>)>, limit: u64) -> String {
    let mut q = format!("SELECT {} FROM {object}", fields.join(", "));
    match since {
        None => {}
        Some((t, None)) => q.push_str(&format!(" WHERE SystemModstamp > {t}")),
        Some((t, Some(id))) => {
            q.push_str(&format!(" WHERE SystemModstamp > {t} OR (SystemModstamp = {t} AND Id > '{}')", id.replace(['\'', '\\'], "")))
        }
    }
    q.push_str(&format!(" ORDER BY SystemModstamp, Id LIMIT {limit}"));
    q
}

/// The SOQL query of a Bulk API 2.0 query job reading all of `object` (an object's first
/// load): no `ORDER BY` and no `LIMIT`, which would keep Salesforce from splitting the job
/// into chunks by primary key.
pub fn bulk_soql(object: &str, fields: &[String]) -> String {
    format!("SELECT {} FROM {object}", fields.join(", "))
}

/// The daily API usage in a `Sforce-Limit-Info` header (`api-usage=18/15000`): (used, allowed).
pub fn parse_limit_info(header: &str) -> Option<(u64, u64)> {
    header.split([',', ';']).find_map(|part| {
        let (k, v) = part.trim().split_once('=')?;
        if k.trim() != "api-usage" {
            return None;
        }
        let (used, max) = v.trim().split_once('/')?;
        Some((used.trim().parse().ok()?, max.trim().parse().ok()?))
    })
}

/// Whether one more call stays within `share` of the org's allocation, `used` of `max`
/// spent.
pub fn within_share(used: u64, max: u64, share: f64) -> bool {
    let share = if share.is_finite() { share.clamp(0.0, 1.0) } else { 1.0 };
    let allowed = (max as f64 * share).floor() as u64;
    used < allowed
}

/// What a per-record error of a composite update means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordError {
    /// The record is gone or can no longer be written (deleted, merged, a converted lead):
    /// forget it.
    Gone,
    /// Anything else: tried again by the next run.
    Retry,
}

/// Classifies a per-record `statusCode`.
pub fn record_error(status_code: &str) -> RecordError {
    match status_code {
        "ENTITY_IS_DELETED" | "INVALID_CROSS_REFERENCE_KEY" | "CANNOT_UPDATE_CONVERTED_LEAD" => RecordError::Gone,
        _ => RecordError::Retry,
    }
}

/// A value as sent in a composite update.
#[derive(Debug, Clone, PartialEq)]
pub enum SfValue {
    Null,
    Number(f64),
    Bool(bool),
    Text(String),
}

/// The value to send for `field` holding `v` (leadrank's text form): an empty value clears
/// the field (`null`; `false` for a checkbox, which has no empty state).
pub fn to_value(field: CrmField, v: &str) -> SfValue {
    match field.kind() {
        FieldKind::Bool => SfValue::Bool(v == "true"),
        FieldKind::Number => v.parse().map_or(SfValue::Null, SfValue::Number),
        _ if v.is_empty() => SfValue::Null,
        _ => SfValue::Text(v.to_string()),
    }
}

/// leadrank's text form of a value of `field` (wanted, or read back from Salesforce), so
/// the two compare equal: a checkbox is `true` or `false` (empty is `false`), a whole
/// number has no decimals (`72.0` is `72`).
pub fn normalize(field: CrmField, v: &str) -> String {
    match field.kind() {
        FieldKind::Bool => (v == "true").to_string(),
        FieldKind::Number => match v.parse::<f64>() {
            Ok(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", n as i64),
            _ => v.to_string(),
        },
        _ => v.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_prefixes() {
        assert_eq!(field_name("Leadrank_", CrmField::Score), "Leadrank_Score__c");
        assert_eq!(field_name("LR", CrmField::Rep), "LRRep__c");
        assert!(valid_prefix("Leadrank_"));
        assert!(!valid_prefix("_x") && !valid_prefix("a__b") && !valid_prefix("a-b") && !valid_prefix(""));
        assert_eq!(sobject_of("00Q5e000001AbCdEAF"), Some("Lead"));
        assert_eq!(sobject_of("0035e000001AbCdEAF"), Some("Contact"));
        assert_eq!(sobject_of("x"), None);
    }

    #[test]
    fn the_keyset_query() {
        let f = vec!["Id".to_string(), "SystemModstamp".to_string()];
        assert_eq!(soql("Lead", &f, None, 500), "SELECT Id, SystemModstamp FROM Lead ORDER BY SystemModstamp, Id LIMIT 500");
        assert_eq!(
            soql("Lead", &f, Some(("2026-01-01T00:00:01.000Z", Some("00Q1'"))), 9),
            "SELECT Id, SystemModstamp FROM Lead WHERE SystemModstamp > 2026-01-01T00:00:01.000Z OR (SystemModstamp = 2026-01-01T00:00:01.000Z AND Id > '00Q1') ORDER BY SystemModstamp, Id LIMIT 9"
        );
        assert_eq!(bulk_soql("CampaignMember", &[f[0].clone(), "Campaign.Type".into()]), "SELECT Id, Campaign.Type FROM CampaignMember");
    }

    #[test]
    fn the_daily_allocation() {
        assert_eq!(parse_limit_info("api-usage=18/15000"), Some((18, 15_000)));
        assert_eq!(parse_limit_info("per-app-api-usage=1/10(appName=x), api-usage=7/100"), Some((7, 100)));
        assert_eq!(parse_limit_info("api-usage=x/100"), None);
        assert!(within_share(79, 100, 0.8));
        assert!(!within_share(80, 100, 0.8));
        assert!(!within_share(0, 0, 1.0));
    }

    #[test]
    fn record_errors_and_values() {
        assert_eq!(record_error("ENTITY_IS_DELETED"), RecordError::Gone);
        assert_eq!(record_error("UNABLE_TO_LOCK_ROW"), RecordError::Retry);
        assert_eq!(to_value(CrmField::Quality, ""), SfValue::Bool(false));
        assert_eq!(to_value(CrmField::Score, "72"), SfValue::Number(72.0));
        assert_eq!(to_value(CrmField::Grade, ""), SfValue::Null);
        assert_eq!(normalize(CrmField::Score, "72.0"), "72");
        assert_eq!(normalize(CrmField::Quality, ""), "false");
        assert_eq!(normalize(CrmField::Grade, "A"), "A");
    }

    #[test]
    fn specs_for_an_admin() {
        let specs = field_specs("Leadrank_", &CrmField::ALL, LONG_TEXT_LENGTH);
        assert_eq!(specs.len(), 7);
        let text = render_specs(&specs, &["Lead", "Contact"]);
        assert!(text.contains("Leadrank_Reasons__c\n  type: Long Text Area (length 32768, 5 visible lines)"), "{text}");
        assert!(text.contains("Leadrank_Quality__c\n  type: Checkbox"), "{text}");
    }
}
