//! The OpenAPI document (`openapi.json`, served at `/openapi.json`) documents exactly the
//! routes of the router in `src/http/mod.rs`: a route added without documentation, or a
//! documented path that no longer exists, fails here.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

const DOC: &str = include_str!("../openapi.json");
const ROUTER: &str = include_str!("../src/http/mod.rs");

/// Path -> methods (lower case) of the router, read from the source of `router()`.
fn router_routes() -> BTreeMap<String, BTreeSet<String>> {
    let start = ROUTER.find("pub fn router(").expect("router() in src/http/mod.rs");
    let body = &ROUTER[start..];
    let body = &body[..body.find("\n}\n").expect("end of router()")];
    // The prefix of each nested router, by variable name (`.nest("/v1", v1)`).
    let mut nests: BTreeMap<String, String> = BTreeMap::new();
    for (i, _) in body.match_indices(".nest(\"") {
        let rest = &body[i + 7..];
        let prefix = &rest[..rest.find('"').unwrap()];
        let var = rest[rest.find(',').unwrap() + 1..rest.find(')').unwrap()].trim();
        nests.insert(var.to_string(), prefix.to_string());
    }
    assert!(!nests.is_empty(), "no .nest(...) found");
    let mut routes: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    // Split into `let x = ...;` statements and the final expression.
    for stmt in body.split(';') {
        // `let v1 = Router::new()...` (the statement may start with the fn signature).
        let prefix = stmt
            .find("let ")
            .and_then(|i| stmt[i + 4..].split_once('='))
            .and_then(|(var, _)| nests.get(var.trim()))
            .cloned()
            .unwrap_or_default();
        for (i, _) in stmt.match_indices(".route(\"") {
            let rest = &stmt[i + 8..];
            let path = &rest[..rest.find('"').unwrap()];
            let call = route_call(&rest[path.len() + 1..]);
            let methods = methods_of(call);
            assert!(!methods.is_empty(), "no method found for route {path}: {call}");
            let full = format!("{prefix}{path}");
            routes.entry(full).or_default().extend(methods);
        }
    }
    routes
}

/// The text of the `.route(` call's arguments after the path, up to its closing parenthesis.
fn route_call(after_path: &str) -> &str {
    let mut depth = 1;
    for (i, c) in after_path.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &after_path[..i];
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced .route(...) call");
}

/// The methods of a method router: `get(`, `post(`, `delete(`… at depth 0 and chained
/// `.get(`, `.post(`… (layers and handlers in between are skipped).
fn methods_of(call: &str) -> BTreeSet<String> {
    const METHODS: [&str; 7] = ["get", "post", "put", "delete", "patch", "head", "options"];
    let mut out = BTreeSet::new();
    let bytes = call.as_bytes();
    let mut depth = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'(' => depth += 1,
            b')' => depth -= 1,
            _ if depth == 0 => {
                for m in METHODS {
                    let word_start = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_' || bytes[i - 1] == b':');
                    if word_start && call[i..].starts_with(m) && call[i + m.len()..].starts_with('(') {
                        out.insert(m.to_string());
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

fn doc() -> Value {
    serde_json::from_str(DOC).expect("openapi.json is valid JSON")
}

fn documented() -> BTreeMap<String, BTreeSet<String>> {
    const METHODS: [&str; 8] = ["get", "post", "put", "delete", "patch", "head", "options", "trace"];
    let d = doc();
    d["paths"]
        .as_object()
        .expect("paths is an object")
        .iter()
        .map(|(p, item)| {
            let methods = item.as_object().unwrap().keys().filter(|k| METHODS.contains(&k.as_str())).cloned().collect();
            (p.clone(), methods)
        })
        .collect()
}

#[test]
fn the_router_parser_reads_the_router() {
    let routes = router_routes();
    // Sanity checks so that a change of style in mod.rs cannot silently empty the list.
    assert!(routes.len() >= 20, "{routes:?}");
    let methods = |p: &str| routes.get(p).cloned().unwrap_or_default().into_iter().collect::<Vec<_>>();
    assert_eq!(methods("/v1/leads"), ["get", "post"]);
    assert_eq!(methods("/v1/models"), ["get", "post"]);
    assert_eq!(methods("/v1/keys/{id}"), ["delete"]);
    assert_eq!(methods("/healthz"), ["get"]);
    assert_eq!(methods_of("post(a::b).layer(X::max(2 * KB)).get(c::d)").into_iter().collect::<Vec<_>>(), ["get", "post"]);
    assert_eq!(methods_of("get(|| async { \"ok\" })").into_iter().collect::<Vec<_>>(), ["get"]);
}

#[test]
fn the_document_is_openapi_3_1() {
    let d = doc();
    let version = d["openapi"].as_str().expect("openapi member");
    assert!(version.starts_with("3.1."), "openapi {version}");
    assert!(d["info"]["title"].is_string() && d["info"]["version"].is_string());
    assert_eq!(d["components"]["securitySchemes"]["apiKey"]["scheme"], "bearer");
    for name in ["Problem", "BatchResult", "RecordResult", "Lead", "Event", "Account", "Consent"] {
        assert!(d["components"]["schemas"][name].is_object(), "schema {name}");
    }
}

#[test]
fn every_route_is_documented_with_its_methods() {
    let routes = router_routes();
    let docs = documented();
    let mut missing = Vec::new();
    for (path, methods) in &routes {
        let have = docs.get(path).cloned().unwrap_or_default();
        for m in methods {
            if !have.contains(m) {
                missing.push(format!("{} {path}", m.to_uppercase()));
            }
        }
    }
    assert!(missing.is_empty(), "routes missing from openapi.json: {missing:?}");
}

#[test]
fn every_documented_operation_exists() {
    let routes = router_routes();
    let mut stale = Vec::new();
    for (path, methods) in documented() {
        let have = routes.get(&path).cloned().unwrap_or_default();
        for m in methods {
            if !have.contains(&m) {
                stale.push(format!("{} {path}", m.to_uppercase()));
            }
        }
    }
    assert!(stale.is_empty(), "documented but not routed: {stale:?}");
}

/// Every operation says which scope it needs (or that it is open), declares its path
/// parameters, documents errors as problems, and every `$ref` resolves.
#[test]
fn operations_are_complete() {
    let d = doc();
    let open = ["/healthz", "/readyz", "/metrics", "/openapi.json"];
    for (path, item) in d["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let what = format!("{} {path}", method.to_uppercase());
            if open.contains(&path.as_str()) {
                assert_eq!(op["security"], serde_json::json!([]), "{what} is unauthenticated");
                continue;
            }
            let scope = op["x-scope"].as_str().unwrap_or_else(|| panic!("{what} has no x-scope"));
            assert!(["ingest", "read", "admin", "sales"].contains(&scope), "{what}: {scope}");
            assert!(op["description"].as_str().unwrap_or("").contains(&format!("`{scope}`")), "{what}: scope in the description");
            for code in ["401", "403"] {
                assert!(op["responses"][code].is_object(), "{what} documents {code}");
            }
            let params: BTreeSet<&str> = op["parameters"]
                .as_array()
                .map(|a| a.iter().filter(|p| p["in"] == "path").map(|p| p["name"].as_str().unwrap()).collect())
                .unwrap_or_default();
            let in_path: BTreeSet<&str> = path.split('/').filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}'))).collect();
            assert_eq!(params, in_path, "{what}: path parameters");
        }
    }
    // Scopes as the handlers require them.
    let scope = |p: &str, m: &str| d["paths"][p][m]["x-scope"].as_str().unwrap().to_string();
    assert_eq!(scope("/v1/events", "post"), "ingest");
    assert_eq!(scope("/v1/leads", "get"), "read");
    assert_eq!(scope("/v1/privacy/erase", "post"), "admin");
    assert_eq!(scope("/v1/models", "post"), "admin");
    assert_eq!(scope("/v1/models", "get"), "read");
    // Every $ref points at something.
    let mut refs = Vec::new();
    collect_refs(&d, &mut refs);
    assert!(!refs.is_empty());
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

/// The lead schema lists exactly the core's lead fields plus `custom`, so a field added to
/// the core is documented too.
#[test]
fn the_lead_schema_matches_the_core_fields() {
    let d = doc();
    let props: BTreeSet<String> = d["components"]["schemas"]["Lead"]["properties"].as_object().unwrap().keys().cloned().collect();
    let mut want: BTreeSet<String> = leadrank_core::records::LEAD_FIELDS.iter().map(|(f, _)| f.to_string()).collect();
    want.insert("custom".into());
    assert_eq!(props, want);
    let props: BTreeSet<String> = d["components"]["schemas"]["Account"]["properties"].as_object().unwrap().keys().cloned().collect();
    let mut want: BTreeSet<String> = leadrank_core::records::ACCOUNT_FIELDS.iter().map(|(f, _)| f.to_string()).collect();
    want.insert("account_id".into());
    assert_eq!(props, want);
    let props: BTreeSet<&str> = d["components"]["schemas"]["Event"]["properties"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(props, leadrank_core::records::EVENT_FIELDS.iter().copied().collect());
}
