//! The OpenAPI document is generated from the handlers (`src/http/doc.rs`): these tests check
//! that it lists exactly the routes the router mounts, that the committed copy
//! (`docs/openapi.json`) is the generated one, and that the document is complete.

mod common;

use std::collections::BTreeSet;

use leadrank_server::http::{doc, mounted_routes};
use serde_json::Value;

const METHODS: [&str; 8] = ["get", "post", "put", "delete", "patch", "head", "options", "trace"];

fn document() -> Value {
    serde_json::from_str(doc::json()).expect("the generated document is JSON")
}

/// (method, path) of every operation of the document.
fn documented(d: &Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (path, item) in d["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys().filter(|k| METHODS.contains(&k.as_str())) {
            out.insert((method.clone(), path.clone()));
        }
    }
    out
}

#[test]
fn the_router_mounts_exactly_the_documented_operations() {
    let mounted: Vec<(String, String)> = mounted_routes().into_iter().map(|(m, p)| (m.as_str().to_ascii_lowercase(), p)).collect();
    let mounted_set: BTreeSet<(String, String)> = mounted.iter().cloned().collect();
    assert_eq!(mounted.len(), mounted_set.len(), "a route is mounted twice: {mounted:?}");
    assert!(mounted_set.len() >= 48, "{mounted_set:?}");
    let d = document();
    let docs = documented(&d);
    let undocumented: Vec<_> = mounted_set.difference(&docs).collect();
    let unrouted: Vec<_> = docs.difference(&mounted_set).collect();
    assert!(undocumented.is_empty(), "mounted but missing from the document (add them to doc::ApiDoc): {undocumented:?}");
    assert!(unrouted.is_empty(), "documented but not mounted (mount them in http::mounts): {unrouted:?}");
    for want in [("get", "/v1/leads"), ("post", "/v1/leads"), ("delete", "/v1/keys/{id}"), ("get", "/healthz"), ("get", "/openapi.json")] {
        assert!(mounted_set.contains(&(want.0.to_string(), want.1.to_string())), "{want:?}");
    }
}

#[test]
fn the_committed_document_is_the_generated_one() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json");
    let generated = doc::json();
    if std::env::var_os("LEADRANK_UPDATE_DOCS").is_some() {
        std::fs::write(path, generated).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/openapi.json differs from the document the code generates; regenerate it with \
         `LEADRANK_UPDATE_DOCS=1 cargo test -p leadrank-server --test openapi`"
    );
}

/// Every operation has an id, a tag and a success answer; operations under /v1 need a key
/// with one scope and document 401, 403, 429 and 500 as problems; path parameters are
/// declared; every `$ref` resolves.
#[test]
fn the_document_is_openapi_3_1_and_complete() {
    let d = document();
    assert!(d["openapi"].as_str().unwrap().starts_with("3.1."), "{}", d["openapi"]);
    assert_eq!(d["info"]["title"], "leadrank API");
    assert_eq!(d["components"]["securitySchemes"]["apiKey"]["scheme"], "bearer");
    let mut ids = BTreeSet::new();
    for (path, item) in d["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let what = format!("{} {path}", method.to_uppercase());
            assert!(ids.insert(op["operationId"].as_str().unwrap_or_else(|| panic!("{what}: operationId")).to_string()), "{what}: id");
            assert!(op["tags"].as_array().is_some_and(|t| t.len() == 1), "{what}: one tag");
            let responses = op["responses"].as_object().unwrap();
            assert!(responses.keys().any(|k| k.starts_with('2')), "{what}: a 2xx answer");
            for (status, r) in responses {
                if !status.starts_with('2') {
                    let name = r["$ref"].as_str().unwrap_or_else(|| panic!("{what} {status}: a reusable problem answer"));
                    let resolved = d.pointer(name.strip_prefix('#').unwrap()).unwrap_or_else(|| panic!("{what}: {name}"));
                    assert!(resolved["content"]["application/problem+json"].is_object(), "{what} {status}: problem+json");
                }
            }
            if path == "/v1/crm/hubspot/webhooks" {
                // HubSpot's webhooks: no key, HubSpot's own signature.
                let security = op["security"].as_array().unwrap_or_else(|| panic!("{what}: security"));
                assert_eq!(security.len(), 1, "{what}");
                assert!(security[0].get("hubspotSignature").is_some(), "{what}: the hubspotSignature scheme");
                for code in ["400", "401", "413", "429", "500"] {
                    assert!(responses.contains_key(code), "{what} documents {code}");
                }
            } else if path.starts_with("/v1/") {
                let security = op["security"].as_array().unwrap_or_else(|| panic!("{what}: security"));
                assert_eq!(security.len(), 1, "{what}");
                let scopes = security[0]["apiKey"].as_array().unwrap_or_else(|| panic!("{what}: the apiKey scheme"));
                assert_eq!(scopes.len(), 1, "{what}: one scope");
                assert!(["ingest", "read", "sales", "admin"].contains(&scopes[0].as_str().unwrap()), "{what}: {scopes:?}");
                for code in ["401", "403", "429", "500"] {
                    assert!(responses.contains_key(code), "{what} documents {code}");
                }
            } else if path.starts_with("/segment/v1/") {
                // The Segment intake: the write key (basic auth) or an ingest key.
                let security = op["security"].as_array().unwrap_or_else(|| panic!("{what}: security"));
                assert!(security.iter().any(|s| s.get("writeKey").is_some()), "{what}: the writeKey scheme");
                assert!(security.iter().any(|s| s["apiKey"] == serde_json::json!(["ingest"])), "{what}: an ingest key");
                for code in ["401", "403", "413", "429", "500"] {
                    assert!(responses.contains_key(code), "{what} documents {code}");
                }
            } else {
                assert!(op.get("security").is_none(), "{what} needs no key");
            }
            let declared: BTreeSet<&str> = op["parameters"]
                .as_array()
                .map(|a| a.iter().filter(|p| p["in"] == "path").map(|p| p["name"].as_str().unwrap()).collect())
                .unwrap_or_default();
            let in_path: BTreeSet<&str> = path.split('/').filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}'))).collect();
            assert_eq!(declared, in_path, "{what}: path parameters");
            if op.get("requestBody").is_some() {
                assert!(
                    responses.contains_key("413") && responses.contains_key("415"),
                    "{what}: a body can be too large or of another type"
                );
            }
        }
    }
    let scope = |p: &str, m: &str| d["paths"][p][m]["security"][0]["apiKey"][0].as_str().unwrap().to_string();
    assert_eq!(scope("/v1/events", "post"), "ingest");
    assert_eq!(scope("/v1/leads", "get"), "read");
    assert_eq!(scope("/v1/privacy/erase", "post"), "admin");
    assert_eq!(scope("/v1/models", "post"), "admin");
    assert_eq!(scope("/v1/leads/{lead_id}/accept", "post"), "sales");
    let mut refs = Vec::new();
    collect_refs(&d, &mut refs);
    assert!(refs.len() > 50);
    for r in refs {
        let pointer = r.strip_prefix('#').unwrap_or_else(|| panic!("external $ref {r}"));
        assert!(d.pointer(pointer).is_some(), "unresolved $ref {r}");
    }
}

fn collect_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                out.push(r.clone());
            }
            m.values().for_each(|x| collect_refs(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| collect_refs(x, out)),
        _ => {}
    }
}

fn property_names(d: &Value, schema: &str) -> BTreeSet<String> {
    d["components"]["schemas"][schema]["properties"].as_object().unwrap_or_else(|| panic!("schema {schema}")).keys().cloned().collect()
}

/// The record schemas are made from the core's field tables: a field added there is
/// documented; webhook events are named.
#[test]
fn the_record_schemas_list_the_core_fields() {
    let d = document();
    let mut want: BTreeSet<String> = leadrank_core::records::LEAD_FIELDS.iter().map(|(f, _)| f.to_string()).collect();
    want.insert("custom".into());
    assert_eq!(property_names(&d, "Lead"), want);
    let mut want: BTreeSet<String> = leadrank_core::records::ACCOUNT_FIELDS.iter().map(|(f, _)| f.to_string()).collect();
    want.insert("account_id".into());
    assert_eq!(property_names(&d, "Account"), want);
    let want: BTreeSet<String> = leadrank_core::records::EVENT_FIELDS.iter().map(|f| f.to_string()).collect();
    assert_eq!(property_names(&d, "Event"), want);
    assert_eq!(property_names(&d, "Consent").len(), 5);
    for name in ["Lead", "Account", "Event", "Consent"] {
        assert_eq!(d["components"]["schemas"][name]["additionalProperties"], false, "{name}");
    }
    let events = d["components"]["schemas"]["WebhookBody"]["properties"]["events"]["description"].as_str().unwrap_or("");
    for e in leadrank_service::admin::WEBHOOK_EVENTS {
        assert!(events.contains(e), "webhook event {e} is named in the document");
    }
}

/// The server serves the generated document, routes every documented operation (not the
/// 404 of unknown routes, not 405) and answers 405 for any other method on a documented path.
#[tokio::test]
async fn the_live_router_answers_every_documented_operation() {
    let s = common::Server::start().await;
    let resp = s.client.get(format!("{}/openapi.json", s.base)).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.text().await.unwrap(), doc::json());
    let d = document();
    for (path, item) in d["paths"].as_object().unwrap() {
        let concrete = path.split('/').map(|seg| if seg.starts_with('{') { "x" } else { seg }).collect::<Vec<_>>().join("/");
        for method in ["get", "post", "put", "delete", "patch"] {
            let documented = item.get(method).is_some();
            let m = reqwest::Method::from_bytes(method.to_ascii_uppercase().as_bytes()).unwrap();
            let resp = s.client.request(m, format!("{}{concrete}", s.base)).send().await.unwrap();
            let status = resp.status().as_u16();
            let body: Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap_or(Value::Null);
            let what = format!("{} {path}", method.to_uppercase());
            if documented {
                assert_ne!(status, 405, "{what} is routed");
                assert!(!(status == 404 && body["detail"] == "route not found"), "{what} is routed");
            } else {
                assert_eq!(status, 405, "{what} is not routed: {body}");
            }
        }
    }
}
