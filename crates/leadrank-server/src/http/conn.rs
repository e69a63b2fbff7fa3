//! Connections: accepts TCP connections and serves HTTP/1.1 on each with hyper, under a cap on
//! open connections, a header-read timeout and an idle (keep-alive) timeout, so that clients
//! that connect and send slowly, or not at all, cannot make the service unreachable.
//!
//! * A connection must deliver a complete request head within `header_read_timeout` of being
//!   accepted, and later within `header_read_timeout` of the first byte of each following
//!   request; a kept-alive connection may wait `idle_timeout` for its next request. Past
//!   either, it is closed. A request in flight is bounded by the request timeout instead.
//! * At `max_connections` open connections (or when the process runs out of file
//!   descriptors), a new connection displaces the open one that has waited longest without a
//!   request in flight (a slow client's, or an idle kept-alive one); when every connection
//!   has a request in flight, the new connection is closed at once.
//! * On shutdown, accepting stops, idle connections close, and requests in flight finish.

use std::collections::HashMap;
use std::convert::Infallible;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::Request;
use hyper::body::{Frame, Incoming, SizeHint};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

use super::Limits;

/// How often a connection's deadline is looked at again.
const CHECK_EVERY: Duration = Duration::from_secs(1);

/// The connection limits of [`Limits`].
#[derive(Debug, Clone, Copy)]
struct ConnLimits {
    max_connections: usize,
    header_read_timeout: Duration,
    idle_timeout: Duration,
}

/// What one connection is doing, shared by its reader, its request handler and the acceptor.
struct Track {
    /// Requests in flight (a response counts until its body is sent).
    busy: AtomicU32,
    /// Requests started on this connection.
    requests: AtomicU64,
    /// Milliseconds since the server's epoch of the last activity: accept, or the end of the
    /// last response.
    since_ms: AtomicU64,
    /// 1 + milliseconds since the epoch at which the head of the next request began to
    /// arrive; 0 while none has.
    head_ms: AtomicU64,
    /// Closes the connection when it is displaced.
    evict: CancellationToken,
}

/// The open connections.
struct Registry {
    epoch: Instant,
    limits: ConnLimits,
    next_id: AtomicU64,
    open: Mutex<HashMap<u64, Arc<Track>>>,
}

impl Registry {
    fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    fn open(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<Track>>> {
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn register(&self) -> (u64, Arc<Track>) {
        let track = Arc::new(Track {
            busy: AtomicU32::new(0),
            requests: AtomicU64::new(0),
            since_ms: AtomicU64::new(self.now_ms()),
            head_ms: AtomicU64::new(0),
            evict: CancellationToken::new(),
        });
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.open().insert(id, track.clone());
        (id, track)
    }

    fn remove(&self, id: u64) {
        self.open().remove(&id);
    }

    fn len(&self) -> usize {
        self.open().len()
    }

    /// Closes the connection that has waited longest without a request in flight; false when
    /// every connection has one.
    fn evict_longest_waiting(&self) -> bool {
        let mut open = self.open();
        let victim = open
            .iter()
            .filter(|(_, t)| t.busy.load(Ordering::Acquire) == 0)
            .min_by_key(|(_, t)| t.since_ms.load(Ordering::Relaxed))
            .map(|(id, _)| *id);
        match victim.and_then(|id| open.remove(&id)) {
            Some(track) => {
                track.evict.cancel();
                true
            }
            None => false,
        }
    }

    /// When the connection must have made progress by, in milliseconds since the epoch;
    /// `None` while a request is in flight.
    fn deadline_ms(&self, t: &Track) -> Option<u64> {
        if t.busy.load(Ordering::Acquire) > 0 {
            return None;
        }
        let ms = |d: Duration| d.as_millis() as u64;
        let head = t.head_ms.load(Ordering::Acquire);
        Some(if head > 0 {
            head - 1 + ms(self.limits.header_read_timeout)
        } else if t.requests.load(Ordering::Acquire) == 0 {
            t.since_ms.load(Ordering::Acquire) + ms(self.limits.header_read_timeout)
        } else {
            t.since_ms.load(Ordering::Acquire) + ms(self.limits.idle_timeout)
        })
    }
}

/// Serves `app` on `listener` until `shutdown` is cancelled; then stops accepting, closes
/// idle connections and waits for the requests in flight.
pub async fn serve(listener: TcpListener, app: Router, limits: &Limits, shutdown: CancellationToken) {
    let registry = Arc::new(Registry {
        epoch: Instant::now(),
        limits: ConnLimits {
            max_connections: limits.max_connections.max(1),
            header_read_timeout: limits.header_read_timeout,
            idle_timeout: limits.idle_timeout,
        },
        next_id: AtomicU64::new(0),
        open: Mutex::new(HashMap::new()),
    });
    let mut tasks = JoinSet::new();
    // Out of file descriptors: warned about at most once every 10 s.
    let mut warned: Option<Instant> = None;
    loop {
        let accepted = tokio::select! {
            () = shutdown.cancelled() => break,
            Some(_) = tasks.join_next(), if !tasks.is_empty() => continue,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(e) if is_fd_exhaustion(&e) => {
                // Out of file descriptors: free one, else wait for one to close.
                if !registry.evict_longest_waiting() {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
                if warned.is_none_or(|t| t.elapsed() >= Duration::from_secs(10)) {
                    warned = Some(Instant::now());
                    tracing::warn!(error = %e, open = registry.len(), "accept failed: out of file descriptors (raise ulimit -n or lower --max-connections)");
                }
                continue;
            }
            // A connection reset before it was accepted, and the like.
            Err(_) => continue,
        };
        if registry.len() >= registry.limits.max_connections && !registry.evict_longest_waiting() {
            drop(stream);
            continue;
        }
        let _ = stream.set_nodelay(true);
        let (id, track) = registry.register();
        tasks.spawn(serve_connection(stream, id, track, registry.clone(), app.clone(), shutdown.clone()));
    }
    drop(listener);
    while tasks.join_next().await.is_some() {}
}

fn is_fd_exhaustion(e: &io::Error) -> bool {
    // EMFILE (24) and ENFILE (23) on Linux and the BSDs.
    matches!(e.raw_os_error(), Some(23 | 24))
}

async fn serve_connection(
    stream: TcpStream,
    id: u64,
    track: Arc<Track>,
    registry: Arc<Registry>,
    app: Router,
    shutdown: CancellationToken,
) {
    // The peer's address, for handlers that need it (the web app's sign-in throttle).
    let peer = stream.peer_addr().ok();
    let io = TokioIo::new(TrackedIo { inner: stream, track: track.clone(), registry: registry.clone() });
    let handler = {
        let (track, registry) = (track.clone(), registry.clone());
        hyper::service::service_fn(move |req: Request<Incoming>| {
            let guard = InFlight::start(track.clone(), registry.clone());
            let app = app.clone();
            async move {
                let mut req = req.map(Body::new);
                if let Some(addr) = peer {
                    req.extensions_mut().insert(axum::extract::ConnectInfo(addr));
                }
                let resp = match app.oneshot(req).await {
                    Ok(resp) => resp,
                    Err(never) => match never {},
                };
                Ok::<_, Infallible>(resp.map(|body| Body::new(GuardedBody { inner: body, _guard: guard })))
            }
        })
    };
    let conn = hyper::server::conn::http1::Builder::new().header_read_timeout(None).serve_connection(io, handler);
    tokio::pin!(conn);
    let mut draining = false;
    loop {
        // Look again at least every second: the deadline moves as requests come and go (and
        // the request timeout bounds a request in flight).
        let check = registry
            .deadline_ms(&track)
            .map_or(CHECK_EVERY, |d| Duration::from_millis(d.saturating_sub(registry.now_ms())).min(CHECK_EVERY));
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(error = %e, "connection ended with an error");
                }
                break;
            }
            () = track.evict.cancelled() => break,
            () = shutdown.cancelled(), if !draining => {
                draining = true;
                conn.as_mut().graceful_shutdown();
            }
            () = tokio::time::sleep(check) => {
                if registry.deadline_ms(&track).is_some_and(|d| d <= registry.now_ms()) {
                    break;
                }
            }
        }
    }
    registry.remove(id);
}

/// Marks a request in flight on its connection until dropped (with the response body).
struct InFlight {
    track: Arc<Track>,
    registry: Arc<Registry>,
}

impl InFlight {
    fn start(track: Arc<Track>, registry: Arc<Registry>) -> Self {
        track.busy.fetch_add(1, Ordering::AcqRel);
        track.requests.fetch_add(1, Ordering::AcqRel);
        track.head_ms.store(0, Ordering::Release);
        InFlight { track, registry }
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.track.since_ms.store(self.registry.now_ms(), Ordering::Release);
        self.track.head_ms.store(0, Ordering::Release);
        self.track.busy.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A response body that keeps its request in flight until it is sent (or dropped).
struct GuardedBody {
    inner: Body,
    _guard: InFlight,
}

impl http_body::Body for GuardedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// The TCP stream, noting when the head of a request begins to arrive.
struct TrackedIo {
    inner: TcpStream,
    track: Arc<Track>,
    registry: Arc<Registry>,
}

impl AsyncRead for TrackedIo {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(result, Poll::Ready(Ok(()))) && buf.filled().len() > before && self.track.busy.load(Ordering::Acquire) == 0 {
            let now = self.registry.now_ms() + 1;
            let _ = self.track.head_ms.compare_exchange(0, now, Ordering::AcqRel, Ordering::Relaxed);
        }
        result
    }
}

impl AsyncWrite for TrackedIo {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(mut self: Pin<&mut Self>, cx: &mut Context<'_>, bufs: &[io::IoSlice<'_>]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}
