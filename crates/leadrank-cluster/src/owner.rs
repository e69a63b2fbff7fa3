//! The owner's side: answers forwarded requests, and applies the stream's record writes in
//! order, each acknowledged to the stream only after the service committed it.

use std::sync::Arc;
use std::time::Duration;

use async_nats::jetstream::{self, AckKind, consumer, stream};
use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures_util::StreamExt;
use leadrank_server::ForwardedKey;
use leadrank_server::http::problem::Problem;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

use crate::forward::REPLY_HEADER;
use crate::frame::{self, RequestHead, ResponseHead};
use crate::{ClusterOptions, Node};

/// The durable consumer of the stream, shared by every owner in turn.
const CONSUMER: &str = "owner";
/// How long a delivered write may take before the stream offers it again (to the next owner
/// after a crash).
const ACK_WAIT: Duration = Duration::from_secs(10);
/// Deliveries of a write that keeps failing with a server error before it is dropped (and
/// the error answered).
const MAX_TRIES: i64 = 5;

/// Creates the stream of record writes when missing: work-queue retention (a write leaves
/// the stream when the owner acknowledges it), on disk, duplicates by message id dropped for
/// two minutes, writes never applied dropped after a week.
pub(crate) async fn ensure_stream(js: &jetstream::Context, cluster: &ClusterOptions) -> anyhow::Result<()> {
    js.get_or_create_stream(stream::Config {
        name: cluster.stream_name(),
        subjects: vec![cluster.writes_subject()],
        retention: stream::RetentionPolicy::WorkQueue,
        storage: stream::StorageType::File,
        duplicate_window: Duration::from_secs(120),
        max_age: Duration::from_secs(7 * 24 * 3600),
        ..Default::default()
    })
    .await
    .map_err(|e| anyhow::anyhow!("--cluster {}: cannot create the JetStream stream {}: {e}", cluster.nats_url, cluster.stream_name()))?;
    Ok(())
}

/// Starts answering forwarded requests and applying the stream's writes.
pub(crate) async fn spawn(node: Arc<Node>, app: Router, shutdown: CancellationToken) -> anyhow::Result<Vec<JoinHandle<()>>> {
    let requests = node.nats.queue_subscribe(node.options.requests_subject(), "owner".to_string()).await?;
    let stream = node.jetstream.get_stream(node.options.stream_name()).await?;
    // A new owner starts the consumer afresh: writes the former owner took but never
    // acknowledged are offered at once, not when their acknowledgement wait runs out (the
    // stream drops acknowledged writes; one applied but not acknowledged is applied again,
    // which records with ids make harmless).
    match stream.delete_consumer(CONSUMER).await {
        Ok(_) => {}
        Err(e) if e.to_string().contains("not found") => {}
        Err(e) => {
            tracing::warn!(error = %e, "cannot restart the write log's consumer; unacknowledged writes wait for their acknowledgement time")
        }
    }
    let consumer = stream
        .get_or_create_consumer(
            CONSUMER,
            consumer::pull::Config {
                durable_name: Some(CONSUMER.to_string()),
                ack_policy: consumer::AckPolicy::Explicit,
                ack_wait: ACK_WAIT,
                ..Default::default()
            },
        )
        .await?;
    let answer = tokio::spawn(answer_requests(node.clone(), app.clone(), requests, shutdown.clone()));
    let apply = tokio::spawn(apply_writes(node, app, consumer, shutdown));
    Ok(vec![answer, apply])
}

async fn answer_requests(node: Arc<Node>, app: Router, mut requests: async_nats::Subscriber, shutdown: CancellationToken) {
    loop {
        let msg = tokio::select! {
            _ = shutdown.cancelled() => return,
            m = requests.next() => match m { Some(m) => m, None => return },
        };
        let Some(reply) = msg.reply.clone() else { continue };
        let (node, app) = (node.clone(), app.clone());
        tokio::spawn(async move {
            let answer = match request_from(&msg.payload, false) {
                Ok(req) => call(&app, req, node.max_forward).await,
                Err(detail) => encode_response(bad_forward(detail), node.max_forward).await,
            };
            if let Err(e) = node.nats.publish(reply, answer).await {
                tracing::warn!(error = %e, "cannot answer a forwarded request");
            }
        });
    }
}

async fn apply_writes(node: Arc<Node>, app: Router, consumer: consumer::Consumer<consumer::pull::Config>, shutdown: CancellationToken) {
    let mut messages = match consumer.messages().await {
        Ok(m) => m,
        Err(e) => {
            tracing::error!(error = %e, "cannot read the cluster's write log");
            return;
        }
    };
    loop {
        let msg = tokio::select! {
            _ = shutdown.cancelled() => return,
            m = messages.next() => match m {
                Some(Ok(m)) => m,
                Some(Err(e)) => {
                    tracing::warn!(error = %e, "reading the cluster's write log");
                    continue;
                }
                None => return,
            },
        };
        let tries = msg.info().map_or(1, |i| i.delivered);
        let reply = msg.headers.as_ref().and_then(|h| h.get(REPLY_HEADER)).map(|v| v.as_str().to_string());
        let (status, answer) = match request_from(&msg.payload, true) {
            Ok(req) => {
                let answer = call(&app, req, node.max_forward).await;
                let status = frame::decode::<ResponseHead>(&answer).map_or(500, |(h, _)| h.status);
                (status, answer)
            }
            Err(detail) => (400, encode_response(bad_forward(detail), node.max_forward).await),
        };
        if status >= 500 && tries < MAX_TRIES {
            // Not applied (an overload or an internal failure): offered again in a second.
            if let Err(e) = msg.ack_with(AckKind::Nak(Some(Duration::from_secs(1)))).await {
                tracing::warn!(error = %e, "cannot return a write to the log");
            }
            continue;
        }
        if let Some(reply) = reply
            && let Err(e) = node.nats.publish(reply, answer).await
        {
            tracing::warn!(error = %e, "cannot answer a write from the log");
        }
        if let Err(e) = msg.ack().await {
            tracing::warn!(error = %e, "cannot acknowledge a write of the log; it will be applied again (idempotent)");
        }
    }
}

/// The request a frame carries; for a write from the log (`logged`), with its key as a
/// [`ForwardedKey`]. An unreadable frame is said in words (answered as 400).
fn request_from(payload: &Bytes, logged: bool) -> Result<Request, String> {
    let (head, body): (RequestHead, Bytes) = frame::decode(payload).map_err(|e| format!("forwarded request: {e}"))?;
    let method = Method::from_bytes(head.method.as_bytes()).map_err(|e| format!("forwarded method: {e}"))?;
    let mut req = Request::builder().method(method).uri(&head.uri).body(Body::from(body)).map_err(|e| format!("forwarded request: {e}"))?;
    for (name, value) in head.headers {
        if let (Ok(n), Ok(v)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            req.headers_mut().append(n, v);
        }
    }
    if logged && let Some(key) = head.key {
        req.extensions_mut().insert(ForwardedKey { id: key.id, secret_hash: key.secret_hash });
    }
    Ok(req)
}

fn bad_forward(detail: String) -> Response {
    Problem::new(StatusCode::BAD_REQUEST, "bad_forward", detail).into_response()
}

/// Runs `req` through the owner's router and frames the answer.
async fn call(app: &Router, req: Request, limit: usize) -> Bytes {
    let resp = match app.clone().oneshot(req).await {
        Ok(r) => r,
        Err(never) => match never {},
    };
    encode_response(resp, limit).await
}

async fn encode_response(resp: Response, limit: usize) -> Bytes {
    let streaming = resp.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"));
    let resp = if streaming {
        Problem {
            retry_after: Some(5),
            ..Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "not_owner",
                "live updates stream from the owner node only: connect to it (GET /cluster names it)",
            )
        }
        .into_response()
    } else {
        resp
    };
    let (parts, body) = resp.into_parts();
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .filter(|(name, _)| !frame::is_hop_by_hop(name.as_str()))
        .filter_map(|(name, value)| value.to_str().ok().map(|v| (name.as_str().to_string(), v.to_string())))
        .collect();
    match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => frame::encode(&ResponseHead { status: parts.status.as_u16(), headers }, &bytes),
        Err(_) => {
            let p = ResponseHead { status: 502, headers: vec![("content-type".into(), "application/problem+json".into())] };
            let body = serde_json::json!({
                "type": "about:blank#answer_too_large",
                "title": "Bad Gateway",
                "status": 502,
                "detail": format!("the owner's answer is larger than the {limit} bytes NATS carries; ask the owner node directly (GET /cluster names it)"),
            });
            frame::encode(&p, body.to_string().as_bytes())
        }
    }
}
