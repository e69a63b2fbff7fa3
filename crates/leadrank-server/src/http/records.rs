//! JSON records of the API turned into the core's records, with the JSON pointer of the
//! field at fault. Field names and values are those of the input field reference (`docs/input-fields.md`); custom lead fields go
//! in a `custom` object; any other member is an error.

use leadrank_core::records::{
    Account, ConsentRecord, EVENT_FIELDS, Event, LEAD_FIELDS, Lead, account_from_pairs, consent_from_pairs, event_from_pairs,
    lead_from_pairs,
};
use serde_json::{Map, Value};

/// Largest accepted record (serialised JSON), in bytes.
pub const MAX_RECORD_BYTES: usize = 32 * 1024;

/// The members of a consent record.
pub const CONSENT_FIELDS: &[&str] = &["lead_id", "purpose", "status", "source", "at"];

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

/// The members of an opportunity (outcome) record.
pub const OPPORTUNITY_FIELDS: &[&str] =
    &["opportunity_id", "lead_id", "account_id", "status", "amount", "created_at", "closed_at", "loss_reason"];

/// An opportunity (deal) from its JSON object, read the way an outcomes file's row is. A
/// record with several bad fields names them all (the pointer is the first).
pub fn opportunity(v: &Value) -> Result<leadrank_metrics::report::Opportunity, Rejection> {
    use leadrank_io::read_outcomes::{OpportunityError, opportunity_from_pairs};
    let obj = as_object(v)?;
    let mut pairs = Vec::with_capacity(obj.len());
    for (name, value) in obj {
        if !OPPORTUNITY_FIELDS.contains(&name.as_str()) {
            return Err(reject(&format!("/{}", super::problem::escape(name)), "unknown field"));
        }
        pairs.push((name.clone(), text_of(name, value, false)?));
    }
    opportunity_from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).map_err(|e| match e {
        OpportunityError::ClosedBeforeCreated => reject("/closed_at", "is before created_at"),
        OpportunityError::Fields(problems) => {
            let pointer = problems.first().map_or(String::new(), |(f, _)| format!("/{}", super::problem::escape(f)));
            reject(&pointer, problems.iter().map(|(f, m)| format!("{f}: {m}")).collect::<Vec<_>>().join("; "))
        }
    })
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
        if !CONSENT_FIELDS.contains(&name.as_str()) {
            return Err(reject(&format!("/{}", super::problem::escape(name)), "unknown field"));
        }
        pairs.push((name.clone(), text_of(name, value, false)?));
    }
    consent_from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).map_err(field_error)
}

/// The schemas of the records in the OpenAPI document, made from the same field tables the
/// parsing above reads, so that a field added to the core is documented with its type.
pub mod schema {
    use std::borrow::Cow;

    use leadrank_core::records::{ACCOUNT_FIELDS, EVENT_FIELDS, FieldType, LEAD_FIELDS};
    use utoipa::openapi::schema::{AdditionalProperties, ArrayBuilder, ObjectBuilder, SchemaType, Type};
    use utoipa::openapi::{RefOr, Schema};
    use utoipa::{PartialSchema, ToSchema};

    use super::{CONSENT_FIELDS, MAX_RECORD_BYTES};

    fn types(list: &[Type]) -> SchemaType {
        SchemaType::from_iter(list.iter().cloned())
    }

    /// The JSON a field of this type takes: its own JSON type or the text a CSV cell would
    /// hold; null (or "") for no value.
    fn field(ty: FieldType) -> Schema {
        let b = ObjectBuilder::new();
        let b = match ty {
            FieldType::Text => b.schema_type(types(&[Type::String, Type::Null])),
            FieldType::Integer => {
                b.schema_type(types(&[Type::Integer, Type::String, Type::Null])).description(Some("A whole number (or its text)."))
            }
            FieldType::Number => {
                b.schema_type(types(&[Type::Number, Type::String, Type::Null])).description(Some("A number (or its text)."))
            }
            FieldType::Bool => b
                .schema_type(types(&[Type::Boolean, Type::String, Type::Null]))
                .description(Some("true or false (or yes/no, 1/0 as text).")),
            FieldType::Time => {
                b.schema_type(types(&[Type::String, Type::Null])).description(Some("An RFC 3339 time, or a date (midnight UTC)."))
            }
            FieldType::List => {
                let items = ArrayBuilder::new().items(ObjectBuilder::new().schema_type(Type::String).pattern(Some("^[^;]*$")));
                return Schema::OneOf(
                    utoipa::openapi::schema::OneOfBuilder::new()
                        .item(items)
                        .item(ObjectBuilder::new().schema_type(types(&[Type::String, Type::Null])))
                        .description(Some("A list of strings, or one string of items separated by ';'."))
                        .build(),
                );
            }
        };
        Schema::Object(b.build())
    }

    fn record(description: &str, fields: &[(&str, Schema)], required: &[&str]) -> ObjectBuilder {
        let mut b = ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(format!("{description} At most {} KiB of JSON.", MAX_RECORD_BYTES / 1024)))
            .additional_properties(Some(AdditionalProperties::FreeForm(false)));
        for (name, schema) in fields {
            b = b.property(*name, schema.clone());
        }
        for name in required {
            b = b.required(*name);
        }
        b
    }

    macro_rules! named_schema {
        ($ty:ident, $name:literal) => {
            impl ToSchema for $ty {
                fn name() -> Cow<'static, str> {
                    Cow::Borrowed($name)
                }
            }
        };
    }

    /// A lead record (`POST /v1/leads`).
    pub struct LeadRecord;
    /// An account record (`POST /v1/accounts`).
    pub struct AccountRecord;
    /// An event record (`POST /v1/events`).
    pub struct EventRecord;
    /// A consent record (`POST /v1/consents`).
    pub struct ConsentRecordSchema;

    impl PartialSchema for LeadRecord {
        fn schema() -> RefOr<Schema> {
            let mut fields: Vec<(&str, Schema)> = LEAD_FIELDS.iter().map(|(name, ty)| (*name, field(*ty))).collect();
            let custom_value = Schema::OneOf(
                utoipa::openapi::schema::OneOfBuilder::new()
                    .item(ObjectBuilder::new().schema_type(types(&[Type::String, Type::Number, Type::Boolean, Type::Null])))
                    .item(ArrayBuilder::new().items(ObjectBuilder::new().schema_type(Type::String).pattern(Some("^[^;]*$"))))
                    .build(),
            );
            let custom = ObjectBuilder::new()
                .schema_type(Type::Object)
                .description(Some("Custom fields by name (not a built-in field's name); a value is a scalar or a list of strings."))
                .additional_properties(Some(custom_value))
                .build();
            fields.push(("custom", Schema::Object(custom)));
            RefOr::T(Schema::Object(
                record(
                    "A lead: the built-in fields, custom fields in `custom`; any other member rejects the record.",
                    &fields,
                    &["lead_id"],
                )
                .build(),
            ))
        }
    }
    named_schema!(LeadRecord, "Lead");

    impl PartialSchema for AccountRecord {
        fn schema() -> RefOr<Schema> {
            let mut fields: Vec<(&str, Schema)> = vec![("account_id", field(FieldType::Text))];
            fields.extend(ACCOUNT_FIELDS.iter().map(|(name, ty)| (*name, field(*ty))));
            RefOr::T(Schema::Object(record("An account.", &fields, &["account_id"]).build()))
        }
    }
    named_schema!(AccountRecord, "Account");

    impl PartialSchema for EventRecord {
        fn schema() -> RefOr<Schema> {
            let fields: Vec<(&str, Schema)> = EVENT_FIELDS
                .iter()
                .map(|name| {
                    let schema = match *name {
                        "occurred_at" => field(FieldType::Time),
                        "properties" => Schema::Object(
                            ObjectBuilder::new()
                                .schema_type(types(&[Type::Object, Type::Null]))
                                .description(Some("Event properties (any JSON object)."))
                                .build(),
                        ),
                        _ => field(FieldType::Text),
                    };
                    (*name, schema)
                })
                .collect();
            let required = ["event_id", "lead_id", "type", "occurred_at"];
            RefOr::T(Schema::Object(record("An event; its id is the idempotency key.", &fields, &required).build()))
        }
    }
    named_schema!(EventRecord, "Event");

    impl PartialSchema for ConsentRecordSchema {
        fn schema() -> RefOr<Schema> {
            let fields: Vec<(&str, Schema)> = CONSENT_FIELDS
                .iter()
                .map(|name| {
                    let schema = match *name {
                        "at" => field(FieldType::Time),
                        "status" => Schema::Object(
                            ObjectBuilder::new()
                                .schema_type(types(&[Type::String, Type::Null]))
                                .description(Some("granted, withdrawn or denied (any case)."))
                                .build(),
                        ),
                        _ => field(FieldType::Text),
                    };
                    (*name, schema)
                })
                .collect();
            RefOr::T(Schema::Object(record("A consent record.", &fields, &["lead_id", "purpose", "status", "at"]).build()))
        }
    }
    named_schema!(ConsentRecordSchema, "Consent");
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
