//! Errors as `application/problem+json` (RFC 9457) with the request id and, where a field
//! is at fault, its JSON pointer.
//!
//! One mapping from error kinds to statuses: a request at fault is a 4xx named by the
//! handler or the extractor; every failure of the service itself (store, encoding, a corrupt
//! stored value or setting) goes through [`Problem::internal`]: 500 `internal`, the detail
//! withheld, logged with the request id and with quoted values removed (they may be
//! personal data).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

tokio::task_local! {
    /// The id of the request being handled (set by the request-id middleware).
    pub static REQUEST_ID: String;
}

/// The current request id, or "-" outside a request.
pub fn request_id() -> String {
    REQUEST_ID.try_with(Clone::clone).unwrap_or_else(|_| "-".into())
}

/// A problem response.
#[derive(Debug)]
pub struct Problem {
    pub status: StatusCode,
    /// Short machine code, e.g. "unknown_field"; the problem type is `about:blank#<code>`.
    pub code: &'static str,
    pub detail: String,
    /// JSON pointer of the offending field in the request body or query.
    pub pointer: Option<String>,
    /// The issues of an uploaded file (model or routing file), each with line, column and key.
    pub errors: Option<Vec<FileIssue>>,
    pub retry_after: Option<u64>,
}

impl Problem {
    /// A problem with a status, a code and a detail.
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        Problem { status, code, detail: detail.into(), pointer: None, errors: None, retry_after: None }
    }

    /// 400 about one field.
    pub fn field(code: &'static str, pointer: impl Into<String>, detail: impl Into<String>) -> Self {
        Problem { pointer: Some(pointer.into()), ..Problem::new(StatusCode::BAD_REQUEST, code, detail) }
    }

    /// 404.
    pub fn not_found(what: impl Into<String>) -> Self {
        Problem::new(StatusCode::NOT_FOUND, "not_found", format!("{} not found", what.into()))
    }

    /// 500 without details (they go to the log, without personal data).
    pub fn internal(error: &dyn std::fmt::Display) -> Self {
        tracing::error!(request_id = %request_id(), error = %redact(&error.to_string()), "internal error");
        Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal error; see the server log for this request id")
    }

    /// 429 with `Retry-After`.
    pub fn overloaded(detail: impl Into<String>) -> Self {
        Problem { retry_after: Some(1), ..Problem::new(StatusCode::TOO_MANY_REQUESTS, "overloaded", detail) }
    }
}

/// An error message with every quoted part (`"..."`, `'...'`, `` `...` ``) replaced by `…`:
/// store and decoding errors quote the values they could not read, which may be personal data.
pub fn redact(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut open: Option<char> = None;
    for c in message.chars() {
        match open {
            Some(q) if c == q => {
                out.push('…');
                out.push(c);
                open = None;
            }
            Some(_) => {}
            None => {
                // An apostrophe inside a word ("can't") opens nothing.
                let opens = matches!(c, '"' | '`') || (c == '\'' && !out.ends_with(|p: char| p.is_alphanumeric()));
                out.push(c);
                if opens {
                    open = Some(c);
                }
            }
        }
    }
    if open.is_some() {
        out.push('…');
    }
    out
}

impl From<leadrank_service::service::ServiceError> for Problem {
    fn from(e: leadrank_service::service::ServiceError) -> Self {
        use leadrank_service::service::ServiceError as E;
        match e {
            E::NotFound(what) => Problem::not_found(what),
            E::Forbidden(msg) => {
                let mut p = Problem::new(StatusCode::FORBIDDEN, "forbidden", msg);
                p.pointer = Some("/by".into());
                p
            }
            E::Conflict(msg) => Problem::new(StatusCode::CONFLICT, "conflict", msg),
            E::Lifecycle(e) => {
                use leadrank_lifecycle::LifecycleError as L;
                match &e {
                    L::UnknownReason { .. } => Problem::field("invalid_field", "/reason", e.to_string()),
                    L::NoteRequired { .. } => Problem::field("invalid_field", "/note", e.to_string()),
                    L::ReasonRequired { .. } => Problem::field("invalid_field", "/reason", e.to_string()),
                    L::ActorRequired { .. } => Problem::field("invalid_field", "/by", e.to_string()),
                    L::UnknownFramework { .. } | L::UnknownItem { .. } => Problem::field("invalid_parameter", "/path", e.to_string()),
                    _ => Problem::new(StatusCode::CONFLICT, "invalid_transition", e.to_string()),
                }
            }
            E::InvalidModel(e) => {
                let errors = e.issues.iter().map(|i| FileIssue::new(i.line, i.column, &i.key, &i.message)).collect();
                let mut p = Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_model", e.to_string());
                p.errors = Some(errors);
                p
            }
            E::Invalid(msg) => Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", msg),
            E::Internal(msg) => Problem::internal(&msg),
            E::Store(leadrank_store::StoreError::NotFound(what)) => Problem::not_found(what),
            E::Store(e @ leadrank_store::StoreError::Fenced { .. }) => Problem {
                retry_after: Some(1),
                ..Problem::new(StatusCode::SERVICE_UNAVAILABLE, "not_owner", format!("{e}; retry: another node serves it now"))
            },
            E::Store(e) => Problem::internal(&e),
        }
    }
}

impl From<leadrank_store::StoreError> for Problem {
    fn from(e: leadrank_store::StoreError) -> Self {
        Problem::from(leadrank_service::service::ServiceError::Store(e))
    }
}

/// One issue of an uploaded file.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FileIssue {
    pub line: usize,
    pub column: usize,
    /// The dotted key or rule at fault, e.g. `rules[3] (demo_request).when.event`.
    pub key: String,
    pub message: String,
}

impl FileIssue {
    pub fn new(line: usize, column: usize, key: &str, message: &str) -> Self {
        FileIssue { line, column, key: key.to_string(), message: message.to_string() }
    }
}

/// The body of every error answer (`application/problem+json`, RFC 9457).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Problem)]
pub struct ProblemBody {
    /// `about:blank#<code>`, the code naming the kind of fault (e.g. `unknown_field`,
    /// `invalid_parameter`, `unauthorized`, `forbidden`, `not_found`, `conflict`,
    /// `body_too_large`, `unsupported_media_type`, `invalid_model`, `overloaded`, `internal`).
    #[serde(rename = "type")]
    #[schema(example = "about:blank#unknown_field")]
    pub kind: String,
    /// The status's reason phrase.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What is wrong, in words.
    pub detail: String,
    /// The id of the request (also in the `x-request-id` header and the server log).
    pub request_id: String,
    /// JSON pointer of the field at fault: in the body, `/query/<name>`, `/path/<name>` or
    /// `/headers/<name>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// The issues of an uploaded model or routing file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FileIssue>>,
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let body = ProblemBody {
            kind: format!("about:blank#{}", self.code),
            title: self.status.canonical_reason().unwrap_or("Error").to_string(),
            status: self.status.as_u16(),
            detail: self.detail,
            request_id: request_id(),
            pointer: self.pointer,
            errors: self.errors,
        };
        let text = serde_json::to_string(&body).unwrap_or_else(|_| String::from("{}"));
        let mut resp = (self.status, text).into_response();
        resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if self.status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"leadrank\""));
        }
        if let Some(secs) = self.retry_after {
            resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        resp
    }
}

/// The error answers of the OpenAPI document, one reusable response per status, each a
/// [`ProblemBody`] as `application/problem+json`.
pub mod responses {
    use utoipa::openapi::header::HeaderBuilder;
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    use utoipa::{ToResponse, ToSchema};

    use super::ProblemBody;

    fn problem(description: &str) -> ResponseBuilder {
        let content = ContentBuilder::new().schema(Some(Ref::from_schema_name(ProblemBody::name()))).build();
        ResponseBuilder::new().description(description).content("application/problem+json", content)
    }

    macro_rules! problem_response {
        ($(#[$doc:meta])* $name:ident, $description:expr) => {
            $(#[$doc])*
            pub struct $name;

            impl<'r> ToResponse<'r> for $name {
                fn response() -> (&'r str, RefOr<utoipa::openapi::Response>) {
                    (stringify!($name), RefOr::T(problem($description).build()))
                }
            }
        };
    }

    problem_response!(
        /// 400.
        BadRequest,
        "The body, a query parameter or a path parameter is not valid; `pointer` names it."
    );
    problem_response!(
        /// 401.
        Unauthorized,
        "No API key, or an unknown, malformed or revoked one (`pointer` is /headers/authorization)."
    );
    problem_response!(
        /// 403.
        Forbidden,
        "The API key lacks the scope this operation needs."
    );
    problem_response!(
        /// 404.
        NotFound,
        "Not found."
    );
    problem_response!(
        /// 409.
        Conflict,
        "Conflicts with the current state (e.g. a transition the lifecycle does not allow, an activation already running)."
    );
    problem_response!(
        /// 413.
        PayloadTooLarge,
        "The body is larger than this route accepts."
    );
    problem_response!(
        /// 415.
        UnsupportedMediaType,
        "The body's content type is not one this route takes (`pointer` is /headers/content-type): JSON bodies need \
         `application/json` (or `application/*+json`); TOML files `application/toml`, `text/toml`, `application/x-toml`, \
         `text/x-toml`, `text/plain`, `application/octet-stream`, `application/x-www-form-urlencoded` or none."
    );
    problem_response!(
        /// 422.
        UnprocessableEntity,
        "The content is well-formed but not valid (e.g. a model or routing file with errors: `errors` lists line, column and key)."
    );
    problem_response!(
        /// 500.
        InternalError,
        "A fault of the service (database, a corrupt stored value); the details are in the server log under the request id."
    );
    problem_response!(
        /// 503.
        ServiceUnavailable,
        "The request took too long, or the service is not ready."
    );

    /// 429, with `Retry-After`.
    pub struct TooManyRequests;

    impl<'r> ToResponse<'r> for TooManyRequests {
        fn response() -> (&'r str, RefOr<utoipa::openapi::Response>) {
            let retry_after = HeaderBuilder::new()
                .schema(ObjectBuilder::new().schema_type(Type::Integer))
                .description(Some("Seconds to wait before retrying."))
                .build();
            let resp =
                problem("Too many requests (or writes) at once; retry after the Retry-After seconds.").header("Retry-After", retry_after);
            ("TooManyRequests", RefOr::T(resp.build()))
        }
    }
}

/// JSON pointer escaping of one path segment.
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use leadrank_store::StoreError;

    use super::*;
    use leadrank_service::ServiceError;

    #[test]
    fn faults_of_the_service_are_500_and_faults_of_the_request_are_not() {
        let internal = [
            ServiceError::Internal("writing CSV: broken pipe".into()),
            ServiceError::Internal("stored marker key: Invalid character 'x' at position 3".into()),
            ServiceError::Internal("model 3: rule r1: unknown field".into()),
            ServiceError::Store(StoreError::Corrupt { table: "directory", detail: "team t1: invalid type: string \"Ada\"".into() }),
            ServiceError::Store(StoreError::Database("disk I/O error".into())),
        ];
        for e in internal {
            let what = e.to_string();
            let p = Problem::from(e);
            assert_eq!((p.status, p.code), (StatusCode::INTERNAL_SERVER_ERROR, "internal"), "{what}");
            assert!(!p.detail.contains("Ada") && !p.detail.contains("CSV"), "details stay in the log: {}", p.detail);
        }
        assert_eq!(Problem::from(ServiceError::NotFound("lead 'L1'".into())).status, StatusCode::NOT_FOUND);
        assert_eq!(Problem::from(StoreError::NotFound("key k1".into())).status, StatusCode::NOT_FOUND);
        assert_eq!(Problem::from(ServiceError::Conflict("taken".into())).status, StatusCode::CONFLICT);
        assert_eq!(Problem::from(ServiceError::Invalid("team: no calendar".into())).status, StatusCode::UNPROCESSABLE_ENTITY);
    }

    #[test]
    fn logged_errors_lose_their_quoted_values() {
        assert_eq!(
            redact(r#"team t1: invalid type: string "Ada Núñez", expected u32"#),
            r#"team t1: invalid type: string "…", expected u32"#
        );
        assert_eq!(redact("unknown variant `ada@example.com`, expected one of"), "unknown variant `…`, expected one of");
        assert_eq!(redact("value 'secret' can't be read"), "value '…' can't be read");
        assert_eq!(redact("unterminated \"ada@exa"), "unterminated \"…");
        assert_eq!(redact("database error: disk I/O error"), "database error: disk I/O error");
    }
}
