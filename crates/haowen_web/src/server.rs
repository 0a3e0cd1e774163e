//! The listener: accepts connections and serves HTTP/1.1 on each, with the limits nginx puts on
//! a visitor (`client_header_timeout`, `keepalive_timeout`, `worker_connections`), so no one
//! visitor can hold the server's connections or file descriptors:
//! - a connection must send a complete request head within [`ServeOptions::header_timeout`] of
//!   opening or of its previous response (slowloris and idle keep-alive both end there);
//! - at most [`ServeOptions::max_connections`] are open (never more than the process's file
//!   limit allows, with a reserve for the database and the index); when the cap is reached, a
//!   new connection closes the **oldest idle** one (opened or kept alive, no request in flight),
//!   so a reader arriving while 20,000 idle sockets are held is still served at once; when
//!   every connection is busy, the newcomer gets a short 503 and is closed;
//! - accept errors (the descriptor table full anyway) wait a moment instead of spinning.
//!
//! Each connection carries its peer address as axum's `ConnectInfo`, as `axum::serve` did.

use std::{
    collections::HashMap,
    convert::Infallible,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use axum::{Router, extract::ConnectInfo, extract::Request};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::{io::AsyncWriteExt, net::TcpListener, sync::Notify};
use tower::ServiceExt;

/// Limits for [`serve`].
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Open connections at most (lowered to fit the file limit).
    pub max_connections: usize,
    /// Time to send a request head, from connect or from the last response.
    pub header_timeout: Duration,
    /// Anonymous cached pages answered before the router (`fast_lane.rs`); `None`: all go
    /// through it.
    pub fast_lane: Option<Arc<crate::fast_lane::FastLane>>,
}

impl Default for ServeOptions {
    fn default() -> ServeOptions {
        ServeOptions {
            max_connections: 10_000,
            header_timeout: Duration::from_secs(10),
            fast_lane: None,
        }
    }
}

/// File descriptors kept for everything that is not a connection (SQLite, its WAL, index
/// segments, media files, logs).
pub const FD_RESERVE: usize = 1024;

/// The soft limit on open files, from `/proc/self/limits` (None where unknown).
fn open_file_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// The cap that fits: the configured one, or less when the file limit is lower.
pub fn connection_cap(configured: usize) -> usize {
    match open_file_limit() {
        Some(limit) => configured.min(limit.saturating_sub(FD_RESERVE).max(64)),
        None => configured,
    }
}

/// Milliseconds since the registry started at which a connection became idle; 0 while a
/// request is in flight. Kept in an atomic the connection owns, so marking a request's start
/// and end takes no lock.
type IdleSince = Arc<AtomicU64>;

struct Entry {
    idle_since: IdleSince,
    close: Arc<Notify>,
}

/// The open connections, for the cap and eviction.
struct Registry {
    /// Connections that may be evicted (an evicted one leaves the map at once).
    conns: Mutex<HashMap<u64, Entry>>,
    /// Sockets open now, evicted ones still closing included: what the cap counts.
    live: std::sync::atomic::AtomicUsize,
    next: AtomicU64,
    started: Instant,
}

impl Default for Registry {
    fn default() -> Registry {
        Registry {
            conns: Mutex::default(),
            live: std::sync::atomic::AtomicUsize::new(0),
            next: AtomicU64::new(0),
            started: Instant::now(),
        }
    }
}

impl Registry {
    /// Now, as an idle stamp (never 0, which means busy).
    fn stamp(&self) -> u64 {
        self.started.elapsed().as_millis() as u64 + 1
    }

    fn open(&self) -> (u64, Arc<Notify>, IdleSince, usize) {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let close = Arc::new(Notify::new());
        let idle_since = Arc::new(AtomicU64::new(self.stamp()));
        let mut conns = self.conns.lock().unwrap_or_else(|e| e.into_inner());
        conns.insert(
            id,
            Entry {
                idle_since: Arc::clone(&idle_since),
                close: Arc::clone(&close),
            },
        );
        let live = self.live.fetch_add(1, Ordering::SeqCst) + 1;
        (id, close, idle_since, live)
    }

    fn set_busy(&self, idle_since: &AtomicU64, busy: bool) {
        idle_since.store(if busy { 0 } else { self.stamp() }, Ordering::Relaxed);
    }

    /// The socket is closed.
    fn close(&self, id: u64) {
        let mut conns = self.conns.lock().unwrap_or_else(|e| e.into_inner());
        conns.remove(&id);
        self.live.fetch_sub(1, Ordering::SeqCst);
    }

    /// Asks the oldest idle connection (other than `except`) to close; false when all are busy.
    fn evict_oldest_idle(&self, except: u64) -> bool {
        let mut conns = self.conns.lock().unwrap_or_else(|e| e.into_inner());
        let oldest = conns
            .iter()
            .map(|(id, e)| (*id, e.idle_since.load(Ordering::Relaxed)))
            .filter(|(id, since)| *id != except && *since != 0)
            .min_by_key(|(_, since)| *since)
            .map(|(id, _)| id);
        match oldest.and_then(|id| conns.remove(&id)) {
            Some(e) => {
                e.close.notify_one();
                true
            }
            None => false,
        }
    }
}

const BUSY_BODY: &str = "服务器繁忙，请稍后再试。\n";

/// The whole 503 answer written to a connection refused at the cap.
fn busy_response() -> Vec<u8> {
    format!(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nRetry-After: 5\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{BUSY_BODY}",
        BUSY_BODY.len()
    )
    .into_bytes()
}

/// Serves `app` on `listener` until `shutdown` completes; then stops accepting and lets open
/// requests finish.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    options: ServeOptions,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) {
    let cap = connection_cap(options.max_connections);
    tracing::info!(
        max_connections = cap,
        header_timeout_secs = options.header_timeout.as_secs(),
        "accepting connections"
    );
    let registry = Arc::new(Registry::default());
    let stopping = Arc::new(Notify::new());
    let mut shutdown = Box::pin(shutdown);
    let tasks = Tasks::new();
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            a = listener.accept() => a,
        };
        let (stream, peer) = match accepted {
            Ok(a) => a,
            Err(e) => {
                // EMFILE/ENFILE and the like: wait for descriptors to free up.
                tracing::warn!(error = %e, "accept failed; pausing");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let (id, close, idle_since, open) = registry.open();
        if open > cap && !registry.evict_oldest_idle(id) {
            registry.close(id);
            tokio::spawn(async move {
                let mut stream = stream;
                let _ = tokio::time::timeout(
                    Duration::from_secs(1),
                    stream.write_all(&busy_response()),
                )
                .await;
            });
            continue;
        }
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let registry = Arc::clone(&registry);
        let stopping = Arc::clone(&stopping);
        let header_timeout = options.header_timeout;
        let fast_lane = options.fast_lane.clone();
        tasks.spawn(async move {
            let idle_watch = Arc::clone(&idle_since);
            let service = hyper::service::service_fn({
                let registry = Arc::clone(&registry);
                move |mut req: Request<hyper::body::Incoming>| {
                    let fast = fast_lane.as_ref().and_then(|lane| lane.answer(&req, peer));
                    req.extensions_mut().insert(ConnectInfo(peer));
                    let registry = Arc::clone(&registry);
                    let idle_since = Arc::clone(&idle_since);
                    let app = app.clone();
                    async move {
                        if let Some(res) = fast {
                            return Ok::<_, Infallible>(res);
                        }
                        registry.set_busy(&idle_since, true);
                        let res = app.oneshot(req.map(axum::body::Body::new)).await;
                        registry.set_busy(&idle_since, false);
                        Ok::<_, Infallible>(res.unwrap_or_else(|never| match never {}))
                    }
                }
            });
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service);
            tokio::pin!(conn);
            let mut closing = false;
            loop {
                tokio::select! {
                    r = conn.as_mut() => {
                        if let Err(e) = r {
                            tracing::debug!(error = %e, %peer, "connection ended");
                        }
                        break;
                    }
                    () = close.notified(), if !closing => {
                        // Evicted at the cap: an idle connection (even one that has sent part
                        // of a head) is dropped now; one that began a request meanwhile
                        // finishes it first.
                        if idle_watch.load(Ordering::Relaxed) != 0 {
                            break;
                        }
                        closing = true;
                        conn.as_mut().graceful_shutdown();
                    }
                    () = stopping.notified(), if !closing => {
                        closing = true;
                        conn.as_mut().graceful_shutdown();
                    }
                }
            }
            registry.close(id);
        });
    }
    // Stop: no new connections; idle ones close now, busy ones after their response.
    drop(listener);
    stopping.notify_waiters();
    tasks.wait(Duration::from_secs(10)).await;
}

/// The connection tasks, so that shutdown can wait for them: each finished task adds a permit;
/// waiting takes as many permits as tasks were started.
struct Tasks(Arc<tokio::sync::Semaphore>, Arc<AtomicU64>);

impl Tasks {
    fn new() -> Tasks {
        Tasks(
            Arc::new(tokio::sync::Semaphore::new(0)),
            Arc::new(AtomicU64::new(0)),
        )
    }

    fn spawn(&self, fut: impl std::future::Future<Output = ()> + Send + 'static) {
        self.1.fetch_add(1, Ordering::SeqCst);
        let done = Arc::clone(&self.0);
        tokio::spawn(async move {
            fut.await;
            done.add_permits(1);
        });
    }

    async fn wait(&self, limit: Duration) {
        let started = self.1.load(Ordering::SeqCst);
        let all = u32::try_from(started).unwrap_or(u32::MAX);
        let _ = tokio::time::timeout(limit, self.0.acquire_many(all)).await;
    }
}
