//! Request bodies and parameters: size-limited, strictly parsed JSON whose errors name the
//! field, TOML files, and path and query parameters whose rejections are problems.
//!
//! Content types: a JSON body needs `Content-Type: application/json` (or `application/*+json`,
//! parameters such as `charset` allowed); anything else, or none, is a 415. A TOML file
//! (`POST /v1/models`, `PUT /v1/routing`) is accepted as `application/toml`, `text/toml`,
//! `application/x-toml`, `text/x-toml`, `text/plain`, `application/octet-stream`,
//! `application/x-www-form-urlencoded` (what `curl --data-binary @file` sends) or without a
//! content type; anything else (JSON, multipart forms) is a 415.

use axum::body::Bytes;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;

use super::problem::{Problem, escape};

/// A JSON body of type `T` (which should `deny_unknown_fields`). Errors become problems with
/// the JSON pointer of the field at fault; a body over the route's limit is a 413, a body
/// that is not declared as JSON a 415.
pub struct Strict<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Strict<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let JsonBytes(bytes) = JsonBytes::from_request(req, state).await?;
        parse(&bytes).map(Strict)
    }
}

/// The raw bytes of a body declared as JSON (for handlers that edit the JSON before parsing).
pub struct JsonBytes(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for JsonBytes {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let media = media_type(req.headers());
        if !media.as_deref().is_some_and(is_json) {
            return Err(unsupported(media.as_deref(), "JSON: send Content-Type: application/json"));
        }
        read_bytes(req, state).await.map(JsonBytes)
    }
}

/// The text of a TOML file in the body (see the module documentation for the content types).
pub struct TomlText(pub String);

/// Content types a TOML file may be sent as.
pub const TOML_TYPES: &[&str] = &[
    "application/toml",
    "text/toml",
    "application/x-toml",
    "text/x-toml",
    "text/plain",
    "application/octet-stream",
    "application/x-www-form-urlencoded",
];

impl<S: Send + Sync> FromRequest<S> for TomlText {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let media = media_type(req.headers());
        if media.as_deref().is_some_and(|m| !TOML_TYPES.contains(&m)) {
            return Err(unsupported(
                media.as_deref(),
                "a TOML file: send Content-Type: application/toml (text/plain, application/octet-stream or none also do)",
            ));
        }
        let bytes = read_bytes(req, state).await?;
        String::from_utf8(bytes.to_vec())
            .map(TomlText)
            .map_err(|_| Problem::new(StatusCode::BAD_REQUEST, "bad_body", "the file is not UTF-8 text"))
    }
}

/// The media type of the body (`type/subtype`, lower case, without parameters).
fn media_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_TYPE)?;
    let text = value.to_str().unwrap_or("?");
    Some(text.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
}

fn is_json(media: &str) -> bool {
    media == "application/json" || media.strip_prefix("application/").is_some_and(|sub| sub.ends_with("+json"))
}

fn unsupported(media: Option<&str>, wanted: &str) -> Problem {
    let got = media.map_or_else(|| "no content type".to_string(), |m| format!("content type '{m}'"));
    Problem {
        pointer: Some("/headers/content-type".into()),
        ..Problem::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", format!("got {got}; this route takes {wanted}"))
    }
}

/// Reads a body within the route's limit.
pub async fn read_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, Problem> {
    Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", "the request body is larger than this route accepts")
        } else {
            Problem::new(StatusCode::BAD_REQUEST, "bad_body", e.body_text())
        }
    })
}

/// Parses JSON into `T`, naming the field at fault.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Problem> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let pointer = pointer_of(e.path());
        let inner = e.into_inner();
        let code = if inner.to_string().starts_with("unknown field") { "unknown_field" } else { "invalid_body" };
        Problem::field(code, pointer, inner.to_string())
    })
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => out.push_str(&format!("/{}", escape(key))),
            Segment::Enum { variant } => out.push_str(&format!("/{}", escape(variant))),
            Segment::Unknown => {}
        }
    }
    out
}

/// Path parameters; a rejection (bad percent-encoding, a value of the wrong type) is a 400
/// problem naming the parameter (`/path/<name>`).
pub struct PathParam<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for PathParam<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state).await.map(|Path(v)| PathParam(v)).map_err(path_problem)
    }
}

/// Maps a path rejection to a problem naming the parameter.
pub fn path_problem(e: PathRejection) -> Problem {
    use axum::extract::path::ErrorKind as K;
    let PathRejection::FailedToDeserializePathParams(err) = &e else {
        return Problem::internal(&e.body_text());
    };
    let key = match err.kind() {
        K::InvalidUtf8InPathParam { key } => {
            return Problem::field(
                "invalid_parameter",
                format!("/path/{}", escape(key)),
                format!("path parameter '{key}' is not valid UTF-8 once percent-decoded"),
            );
        }
        K::ParseErrorAtKey { key, .. } | K::DeserializeError { key, .. } => Some(key.as_str()),
        _ => None,
    };
    let detail = err.body_text();
    let detail = detail.strip_prefix("Invalid URL: ").unwrap_or(&detail).to_string();
    match key {
        Some(k) => Problem::field("invalid_parameter", format!("/path/{}", escape(k)), detail),
        None => Problem::field("invalid_parameter", "/path", detail),
    }
}

/// Query parameters; a rejection is a 400 problem naming the parameter (`/query/<name>`).
pub struct QueryParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for QueryParams<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state).await.map(|Query(v)| QueryParams(v)).map_err(query_problem)
    }
}

/// Maps a query-string error to a problem naming the parameter.
pub fn query_problem(e: QueryRejection) -> Problem {
    let text = e.body_text();
    let code = if text.contains("unknown field") { "unknown_parameter" } else { "invalid_parameter" };
    // axum names the parameter at fault: "Failed to deserialize query string: limit: ...".
    let detail = text.strip_prefix("Failed to deserialize query string: ").unwrap_or(&text);
    let param =
        detail.split_once(": ").map(|(name, _)| name).filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    match param {
        Some(name) => Problem::field(code, format!("/query/{name}"), detail.to_string()),
        None => Problem::field(code, "/query", text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_media_types() {
        assert!(is_json("application/json"));
        assert!(is_json("application/problem+json"));
        assert!(!is_json("text/plain"));
        assert!(!is_json("text/json+json"));
        let mut h = HeaderMap::new();
        assert_eq!(media_type(&h), None);
        h.insert(header::CONTENT_TYPE, "Application/JSON; charset=utf-8".parse().unwrap());
        assert_eq!(media_type(&h).as_deref(), Some("application/json"));
    }
}
