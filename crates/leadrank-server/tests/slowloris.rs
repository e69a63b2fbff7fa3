//! Slow clients cannot make the service unreachable: 1,100 connections that send their
//! headers a line at a time (and come back when closed) against a server with a small
//! connection cap and short header-read timeout, in a process allowed 2,048 open files (the
//! attack and the server share it, as a server with the common limit of 1,024 would be alone);
//! `/healthz` keeps answering at once and the server closes the slow connections.
//!
//! Alone in its binary: it lowers the process's open-file limit.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use leadrank_server::Limits;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_util::sync::CancellationToken;

mod common;
use common::Server;

const ATTACKERS: usize = 1100;
const OPEN_FILES: u64 = 2048;

/// Sets the soft limit of open files of this process.
fn limit_open_files(n: u64) {
    let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit and setrlimit only read and write the struct passed.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim), 0);
        lim.rlim_cur = n.min(lim.rlim_max);
        assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &lim), 0);
    }
}

/// One slow client: connects, sends a request line, then one header line every 300 ms; when
/// the server closes the connection, waits a second and comes back.
async fn slow_client(addr: String, stop: CancellationToken, closed_by_server: Arc<AtomicUsize>) {
    while !stop.is_cancelled() {
        let Ok(Ok(mut stream)) = tokio::time::timeout(Duration::from_secs(3), TcpStream::connect(&addr)).await else {
            tokio::time::sleep(Duration::from_millis(200)).await;
            continue;
        };
        let mut line = b"GET /healthz HTTP/1.1\r\n".to_vec();
        let mut buf = [0u8; 256];
        loop {
            if stream.write_all(&line).await.is_err() {
                closed_by_server.fetch_add(1, Ordering::Relaxed);
                break;
            }
            line = b"X-Slow: 1\r\n".to_vec();
            tokio::select! {
                () = stop.cancelled() => return,
                read = stream.read(&mut buf) => {
                    // EOF or reset: the server closed it.
                    if matches!(read, Ok(0) | Err(_)) {
                        closed_by_server.fetch_add(1, Ordering::Relaxed);
                        break;
                    }
                }
                () = tokio::time::sleep(Duration::from_millis(300)) => {}
            }
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// GET /healthz on a new connection; the time to the full answer.
async fn health(addr: &str) -> Result<Duration, String> {
    let started = Instant::now();
    let attempt = async {
        let mut s = TcpStream::connect(addr).await.map_err(|e| format!("connect: {e}"))?;
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").await.map_err(|e| format!("write: {e}"))?;
        let mut out = Vec::new();
        s.read_to_end(&mut out).await.map_err(|e| format!("read: {e}"))?;
        let text = String::from_utf8_lossy(&out);
        if text.starts_with("HTTP/1.1 200") && text.ends_with("ok") { Ok(()) } else { Err(format!("answer: {text:?}")) }
    };
    match tokio::time::timeout(Duration::from_secs(5), attempt).await {
        Ok(Ok(())) => Ok(started.elapsed()),
        Ok(Err(e)) => Err(e),
        Err(_) => Err("no answer within 5 s".into()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_clients_cannot_make_the_service_unreachable() {
    limit_open_files(OPEN_FILES);
    let limits = Limits {
        max_connections: 64,
        header_read_timeout: Duration::from_secs(2),
        idle_timeout: Duration::from_secs(2),
        ..Limits::default()
    };
    let srv = Server::start_limited(true, limits).await;
    let addr = srv.addr().to_string();
    let stop = CancellationToken::new();
    let closed = Arc::new(AtomicUsize::new(0));
    let attackers: Vec<_> = (0..ATTACKERS).map(|_| tokio::spawn(slow_client(addr.clone(), stop.clone(), closed.clone()))).collect();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mut times = Vec::new();
    for _ in 0..10 {
        // Under the cap a brand-new connection can be displaced before its request is read
        // when the machine is starved; a health checker retries, so one retry is allowed.
        let answer = match health(&addr).await {
            Ok(t) => Ok(t),
            Err(_) => health(&addr).await,
        };
        match answer {
            Ok(t) => times.push(t),
            Err(e) => {
                stop.cancel();
                panic!("/healthz unreachable under {ATTACKERS} slow connections: {e} (answers so far: {times:?})");
            }
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    stop.cancel();
    for a in attackers {
        let _ = a.await;
    }
    let slowest = times.iter().max().copied().unwrap_or_default();
    assert!(slowest < Duration::from_secs(1), "/healthz answered within {slowest:?} at worst: {times:?}");
    // The server closed slow connections (displaced at the cap, or past the header timeout).
    assert!(closed.load(Ordering::Relaxed) >= ATTACKERS - 64, "closed by the server: {}", closed.load(Ordering::Relaxed));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_headers_and_idle_connections_are_closed_after_their_timeouts() {
    let limits = Limits { header_read_timeout: Duration::from_secs(1), idle_timeout: Duration::from_secs(2), ..Limits::default() };
    let srv = Server::start_limited(true, limits).await;
    let addr = srv.addr().to_string();
    // A head that never completes: closed after about 1 s even though bytes keep coming.
    let mut slow = TcpStream::connect(&addr).await.unwrap();
    let started = Instant::now();
    slow.write_all(b"GET /healthz HTTP/1.1\r\n").await.unwrap();
    let mut buf = [0u8; 64];
    let closed_after = loop {
        tokio::select! {
            read = slow.read(&mut buf) => {
                assert!(matches!(read, Ok(0) | Err(_)), "no answer to a head that never ends");
                break started.elapsed();
            }
            () = tokio::time::sleep(Duration::from_millis(200)) => {
                if slow.write_all(b"X-Slow: 1\r\n").await.is_err() {
                    break started.elapsed();
                }
            }
        }
        assert!(started.elapsed() < Duration::from_secs(5), "slow head still open after 5 s");
    };
    assert!(closed_after >= Duration::from_millis(900) && closed_after < Duration::from_secs(3), "{closed_after:?}");
    // A kept-alive connection: answered, then closed after the idle timeout (not the header one).
    let mut idle = TcpStream::connect(&addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n").await.unwrap();
    let n = idle.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    let answered = Instant::now();
    let mut rest = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), idle.read_to_end(&mut rest)).await.expect("closed within 5 s");
    let idle_for = answered.elapsed();
    assert!(idle_for >= Duration::from_millis(1800) && idle_for < Duration::from_secs(4), "{idle_for:?}");
}
