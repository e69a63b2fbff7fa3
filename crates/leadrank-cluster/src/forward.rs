//! A standby's side: every request goes to the owner over NATS, and the owner's answer back
//! to the client. Record writes go through the JetStream stream (durable: a write taken
//! while no node owns the partition is applied by the next owner); the rest by request-reply.

use std::time::{Duration, Instant};

use async_nats::HeaderMap;
use async_nats::client::RequestErrorKind;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures_util::StreamExt;
use leadrank_server::http::problem::Problem;

use crate::Node;
use crate::frame::{self, KeyRef, RequestHead, ResponseHead};

/// Header of a stream message naming the inbox the owner answers to.
pub(crate) const REPLY_HEADER: &str = "Leadrank-Reply";

/// Routes whose writes go through the stream: records with ids, so that applying one twice
/// (a redelivery after a takeover, or a client resending after a 503) changes nothing.
pub(crate) fn is_logged_write(method: &Method, path: &str) -> bool {
    method == Method::POST && matches!(path, "/v1/events" | "/v1/leads" | "/v1/accounts" | "/v1/outcomes")
}

fn unavailable(detail: impl Into<String>) -> Response {
    Problem { retry_after: Some(1), ..Problem::new(StatusCode::SERVICE_UNAVAILABLE, "no_owner", detail) }.into_response()
}

/// Forwards `req` to the owner and answers with what it answered.
pub(crate) async fn forward(node: &Node, req: Request) -> Response {
    let started = Instant::now();
    let (parts, body) = req.into_parts();
    let body = match axum::body::to_bytes(body, node.max_forward).await {
        Ok(b) => b,
        Err(_) => {
            return Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                format!(
                    "this node forwards requests to the owner node through NATS, which takes at most {} bytes; \
                     send it to the owner node (GET /cluster names it) or raise NATS's max_payload",
                    node.max_forward
                ),
            )
            .into_response();
        }
    };
    let logged = is_logged_write(&parts.method, parts.uri.path());
    let key = if logged { bearer_key(&parts.headers) } else { None };
    let headers = parts
        .headers
        .iter()
        .filter(|(name, _)| !frame::is_hop_by_hop(name.as_str()))
        // A write through the log carries the key's hash instead of the key.
        .filter(|(name, _)| key.is_none() || (*name != header::AUTHORIZATION && *name != header::COOKIE))
        .filter_map(|(name, value)| value.to_str().ok().map(|v| (name.as_str().to_string(), v.to_string())))
        .collect();
    let uri = parts.uri.path_and_query().map_or_else(|| parts.uri.path().to_string(), |pq| pq.as_str().to_string());
    let head = RequestHead { method: parts.method.to_string(), uri, headers, key: key.clone() };
    let frame = frame::encode(&head, &body);
    let answer = if key.is_some() { through_log(node, frame, started).await } else { by_request(node, frame, started).await };
    match answer {
        Ok(bytes) => response_from(&bytes),
        Err(resp) => resp,
    }
}

/// The key of `Authorization: Bearer lr_<id>_<secret>` as id and secret hash; `None` when
/// there is none or it is malformed (the request then goes by request-reply and the owner
/// answers 401 as it would to anyone).
fn bearer_key(headers: &axum::http::HeaderMap) -> Option<KeyRef> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, presented) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let (id, secret) = leadrank_service::keys::split(presented.trim())?;
    Some(KeyRef { id: id.to_string(), secret_hash: leadrank_service::keys::hash(secret) })
}

fn remaining(node: &Node, started: Instant) -> Duration {
    node.timeout.saturating_sub(started.elapsed()).max(Duration::from_millis(100))
}

/// Publishes the write to the stream, then waits for the owner's answer on an inbox.
async fn through_log(node: &Node, frame: Bytes, started: Instant) -> Result<Bytes, Response> {
    let inbox = node.nats.new_inbox();
    let mut answers = node.nats.subscribe(inbox.clone()).await.map_err(|e| unavailable(format!("NATS: {e}")))?;
    let mut headers = HeaderMap::new();
    headers.insert("Nats-Msg-Id", hex::encode(rand::random::<[u8; 16]>()).as_str());
    headers.insert(REPLY_HEADER, inbox.as_str());
    let ack = node
        .jetstream
        .publish_with_headers(node.options.writes_subject(), headers, frame)
        .await
        .map_err(|e| unavailable(format!("the cluster's write log (NATS JetStream) did not take the write: {e}")))?;
    tokio::time::timeout(remaining(node, started), ack)
        .await
        .map_err(|_| unavailable("the cluster's write log (NATS JetStream) did not confirm the write in time; resending it is safe"))?
        .map_err(|e| unavailable(format!("the cluster's write log (NATS JetStream) did not take the write: {e}")))?;
    match tokio::time::timeout(remaining(node, started), answers.next()).await {
        Ok(Some(msg)) => Ok(msg.payload),
        _ => Err(unavailable(
            "the write is in the cluster's write log and will be applied when a node owns the partition (a takeover is \
             under way); resending it is safe: records are idempotent by their ids",
        )),
    }
}

/// Sends the request to the owner by NATS request-reply (nothing is stored on the way).
async fn by_request(node: &Node, frame: Bytes, started: Instant) -> Result<Bytes, Response> {
    let request = async_nats::Request::new().payload(frame).timeout(Some(remaining(node, started)));
    match node.nats.send_request(node.options.requests_subject(), request).await {
        Ok(msg) => Ok(msg.payload),
        Err(e) => Err(match e.kind() {
            RequestErrorKind::NoResponders => unavailable("no node owns the partition right now (a takeover is under way); retry"),
            RequestErrorKind::TimedOut => unavailable("the owner node did not answer in time; retry"),
            _ => unavailable(format!("cannot reach the owner node through NATS: {e}")),
        }),
    }
}

/// The client's response from the owner's framed answer.
fn response_from(bytes: &Bytes) -> Response {
    let (head, body): (ResponseHead, Bytes) = match frame::decode(bytes) {
        Ok(x) => x,
        Err(e) => return Problem::internal(&format!("the owner node's answer could not be read: {e}")).into_response(),
    };
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = StatusCode::from_u16(head.status).unwrap_or(StatusCode::BAD_GATEWAY);
    for (name, value) in head.headers {
        if let (Ok(n), Ok(v)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            resp.headers_mut().append(n, v);
        }
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_record_writes_go_through_the_log() {
        assert!(is_logged_write(&Method::POST, "/v1/events"));
        assert!(is_logged_write(&Method::POST, "/v1/leads"));
        assert!(!is_logged_write(&Method::GET, "/v1/leads"));
        assert!(!is_logged_write(&Method::POST, "/v1/keys"));
        assert!(!is_logged_write(&Method::POST, "/v1/leads/l1/accept"));
    }

    #[test]
    fn the_key_is_forwarded_as_its_hash() {
        let mut h = axum::http::HeaderMap::new();
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer lr_kabc_s3cret"));
        let key = bearer_key(&h).unwrap();
        assert_eq!(key.id, "kabc");
        assert_eq!(key.secret_hash, leadrank_service::keys::hash("s3cret"));
        assert!(!key.secret_hash.contains("s3cret"));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic abc"));
        assert_eq!(bearer_key(&h), None);
    }
}
