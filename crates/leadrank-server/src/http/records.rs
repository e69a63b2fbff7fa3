//! JSON records of the API turned into the core's records, with the JSON pointer of the
//! field at fault. Field names and values are those of SPEC section 1; custom lead fields go
//! in a `custom` object; any other member is an error.

use leadrank_core::records::{
    Account, ConsentRecord, EVENT_FIELDS, Event, LEAD_FIELDS, Lead, account_from_pairs, consent_from_pairs, event_from_pairs,
    lead_from_pairs,
};
use serde_json::{Map, Value};

/// Largest accepted record (serialised JSON), in bytes.
pub const MAX_RECORD_BYTES: usize = 32 * 1024;

/// Why a record was rejected: the pointer (relative to the record) and the reason.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rejection {
    pub pointer: String,
    pub reason: String,
}

fn reject(pointer: &str, reason: impl Into<String>) -> Rejection {
    Rejection { pointer: pointer.to_string(), reason: reason.into() }
}

fn as_object(v: &Value) -> Result<&Map<String, Value>, Rejection> {
    match v {
        Value::Object(m) => {
            if v.to_string().len() > MAX_RECORD_BYTES {
                return Err(reject("", format!("record is larger than {MAX_RECORD_BYTES} bytes")));
            }
            Ok(m)
        }
        _ => Err(reject("", "expected a JSON object")),
    }
}

/// A scalar (or a list of scalars, for lists) as the text a CSV cell would hold.
fn text_of(name: &str, v: &Value, list_ok: bool) -> Result<String, Rejection> {
    let pointer = format!("/{}", super::problem::escape(name));
    match v {
        Value::Null => Ok(String::new()),
        Value::String(s) => Ok(s.clone()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Array(items) if list_ok => items
            .iter()
            .map(|i| match i {
                Value::String(s) if !s.contains(';') => Ok(s.clone()),
                Value::String(_) => Err(reject(&pointer, "list items may not contain ';'")),
                _ => Err(reject(&pointer, "expected a list of strings")),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|v| v.join(";")),
        _ => Err(reject(&pointer, "expected a string, number, boolean or null")),
    }
}

fn field_error(e: leadrank_core::records::FieldError) -> Rejection {
    reject(&format!("/{}", super::problem::escape(&e.field)), e.error.to_string())
}

/// A lead from its JSON object.
pub fn lead(v: &Value) -> Result<Lead, Rejection> {
    let obj = as_object(v)?;
    let mut pairs: Vec<(String, String)> = Vec::with_capacity(obj.len());
    for (name, value) in obj {
        if name == "custom" {
            let Value::Object(custom) = value else { return Err(reject("/custom", "expected an object of custom fields")) };
            for (k, cv) in custom {
                if LEAD_FIELDS.iter().any(|(f, _)| f == k) {
                    return Err(reject(&format!("/custom/{}", super::problem::escape(k)), "is a built-in field; set it at the top level"));
                }
                let text = text_of(k, cv, true).map_err(|r| reject(&format!("/custom{}", r.pointer), r.reason))?;
                pairs.push((k.clone(), text));
            }
        } else if let Some((_, ty)) = LEAD_FIELDS.iter().find(|(f, _)| f == name) {
            pairs.push((name.clone(), text_of(name, value, *ty == leadrank_core::records::FieldType::List)?));
        } else {
            return Err(reject(&format!("/{}", super::problem::escape(name)), "unknown field (custom fields go in the \"custom\" object)"));
        }
    }
    lead_from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).map_err(field_error)
}

/// An account from its JSON object.
pub fn account(v: &Value) -> Result<Account, Rejection> {
    let obj = as_object(v)?;
    let mut pairs = Vec::with_capacity(obj.len());
    for (name, value) in obj {
        let known = name == "account_id" || leadrank_core::records::ACCOUNT_FIELDS.iter().any(|(f, _)| f == name);
        if !known {
            return Err(reject(&format!("/{}", super::problem::escape(name)), "unknown field"));
        }
        pairs.push((name.clone(), text_of(name, value, false)?));
    }
    account_from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).map_err(field_error)
}

/// An event from its JSON object (`properties` is an object).
pub fn event(v: &Value) -> Result<Event, Rejection> {
    let obj = as_object(v)?;
    let mut pairs = Vec::with_capacity(obj.len());
    for (name, value) in obj {
        if !EVENT_FIELDS.contains(&name.as_str()) {
            return Err(reject(&format!("/{}", super::problem::escape(name)), "unknown field"));
        }
        let text = match (name.as_str(), value) {
            ("properties", Value::Object(_)) => value.to_string(),
            ("properties", Value::Null) => String::new(),
            ("properties", _) => return Err(reject("/properties", "expected an object")),
            _ => text_of(name, value, false)?,
        };
        pairs.push((name.clone(), text));
    }
    event_from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).map_err(field_error)
}

/// A consent record from its JSON object.
pub fn consent(v: &Value) -> Result<ConsentRecord, Rejection> {
    let obj = as_object(v)?;
    let mut pairs = Vec::with_capacity(obj.len());
    for (name, value) in obj {
        if !["lead_id", "purpose", "status", "source", "at"].contains(&name.as_str()) {
            return Err(reject(&format!("/{}", super::problem::escape(name)), "unknown field"));
        }
        pairs.push((name.clone(), text_of(name, value, false)?));
    }
    consent_from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).map_err(field_error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn leads_read_fields_custom_fields_and_name_what_is_wrong() {
        let l =
            lead(&json!({"lead_id": "L1", "employees": 250, "tech_stack": ["Salesforce", "Segment"], "custom": {"plan": "pro"}})).unwrap();
        assert_eq!(l.employees, Some(250));
        assert_eq!(l.tech_stack, vec!["Salesforce", "Segment"]);
        assert_eq!(l.custom_field("plan"), Some("pro"));
        assert_eq!(lead(&json!({"lead_id": "L1", "employes": 3})).unwrap_err().pointer, "/employes");
        assert_eq!(lead(&json!({"lead_id": "L1", "employees": "many"})).unwrap_err().pointer, "/employees");
        assert_eq!(lead(&json!({"email": "a@b.com"})).unwrap_err().pointer, "/lead_id");
        let e = event(&json!({"event_id": "e", "lead_id": "L1", "type": "x", "occurred_at": "yesterday"})).unwrap_err();
        assert_eq!(e.pointer, "/occurred_at");
        let big = "x".repeat(MAX_RECORD_BYTES);
        assert!(event(&json!({"event_id": "e", "properties": {"a": big}})).unwrap_err().reason.contains("larger"));
    }
}
