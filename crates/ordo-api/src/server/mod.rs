//! The HTTP server: accepts connections and holds each one to its deadlines, so that ordo
//! can face the internet without a proxy in front.
//!
//! - headers: a connection owes complete request headers `header_timeout` after it opens or
//!   after its first byte of the next request; a keep-alive connection with no request is
//!   closed after `idle_timeout`;
//! - bodies: a request body that has not fully arrived `body_timeout` after its headers
//!   fails with [`BodyTimedOut`], which the routes answer with 408;
//! - answers: an answer not handed over `send_timeout` after it started, or a socket the
//!   client has stopped reading for that long, closes the connection and frees the answer;
//! - connections: at most `max_connections`. A full table makes room by closing the oldest
//!   connection that has no request in progress; a request in progress is never cut off, and
//!   only when every connection is busy is a new one closed at once. `accept` never stops the
//!   server.

mod body;
mod conns;
mod io;

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower::ServiceExt;

pub use self::body::{BodyTimedOut, is_body_timeout};
use self::body::{DeadlineBody, TrackedBody};
use self::conns::{Admission, Conn, InFlight, Table};
use self::io::Watched;

/// How often the deadlines are checked: a deadline is enforced this much late at most.
const WATCH_EVERY: Duration = Duration::from_millis(200);

/// File descriptors kept for the store, logs and files when connections take the rest.
const RESERVED_FILES: u64 = 64;

/// The deadlines and bounds of the server's connections.
#[derive(Clone, Debug)]
pub struct ServerLimits {
    pub header_timeout: Duration,
    pub idle_timeout: Duration,
    pub body_timeout: Duration,
    pub send_timeout: Duration,
    pub max_connections: usize,
    pub shutdown_timeout: Duration,
}

/// Raises the soft open-file limit to the hard one and answers how many connections fit
/// beside the files the store and logs need.
pub fn raise_open_file_limit() -> usize {
    use rustix::process::{Resource, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    let mut soft = limit.current.unwrap_or(u64::from(u32::MAX));
    if limit.current != limit.maximum {
        let raised = rustix::process::Rlimit {
            current: limit.maximum,
            maximum: limit.maximum,
        };
        match setrlimit(Resource::Nofile, raised) {
            Ok(()) => soft = limit.maximum.unwrap_or(u64::from(u32::MAX)),
            Err(error) => tracing::warn!(%error, "cannot raise the open-file limit"),
        }
    }
    // Small limits keep half for the store rather than leaving almost nothing to either.
    let reserve = RESERVED_FILES.min(soft / 2);
    usize::try_from(soft - reserve).unwrap_or(usize::MAX)
}

/// Serves `app` on `listener` until `shutdown` resolves, then lets requests in progress
/// finish for up to `limits.shutdown_timeout`.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ServerLimits,
    shutdown: impl Future<Output = ()>,
) {
    let limits = Arc::new(limits);
    let table = Arc::new(Table::new(limits.max_connections));
    let builder = Arc::new(auto::Builder::new(TokioExecutor::new()));
    let (stop, stopping) = watch::channel(false);
    let mut connections = JoinSet::new();
    let watchdog = tokio::spawn(watch_deadlines(Arc::clone(&table), Arc::clone(&limits)));

    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
            // Reap finished connection tasks so that the set does not grow.
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
        };
        match accepted {
            Ok((stream, _peer)) => match table.admit() {
                Admission::Admitted(conn) => {
                    connections.spawn(serve_connection(
                        stream,
                        conn,
                        app.clone(),
                        Arc::clone(&limits),
                        Arc::clone(&builder),
                        Arc::clone(&table),
                        stopping.clone(),
                    ));
                }
                Admission::Full => drop(stream),
            },
            Err(error) => accept_failed(&error, &table).await,
        }
    }

    drop(listener);
    let _ = stop.send(true);
    tracing::info!(
        open = table.len(),
        "shutting down: finishing requests in progress"
    );
    let drained = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(limits.shutdown_timeout, drained)
        .await
        .is_err()
    {
        tracing::warn!(
            open = table.len(),
            "shutdown timeout: closing connections still open"
        );
        connections.abort_all();
    }
    watchdog.abort();
}

/// The system refused a socket: a full file table is made room in, anything else waits a
/// moment (a failing `accept` must not spin or stop the server).
async fn accept_failed(error: &std::io::Error, table: &Table) {
    let out_of_files = matches!(error.raw_os_error(), Some(23 | 24)); // ENFILE, EMFILE
    if out_of_files {
        table.make_room();
    }
    tracing::warn!(%error, "accept failed");
    tokio::time::sleep(Duration::from_millis(10)).await;
}

async fn watch_deadlines(table: Arc<Table>, limits: Arc<ServerLimits>) {
    let mut tick = tokio::time::interval(WATCH_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        table.enforce(&limits);
    }
}

async fn serve_connection(
    stream: TcpStream,
    conn: Arc<Conn>,
    app: Router,
    limits: Arc<ServerLimits>,
    builder: Arc<auto::Builder<TokioExecutor>>,
    table: Arc<Table>,
    mut stopping: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let io = TokioIo::new(Watched::new(stream, Arc::clone(&conn)));
    let service = {
        let conn = Arc::clone(&conn);
        let body_timeout = limits.body_timeout;
        hyper::service::service_fn(move |request: Request<Incoming>| {
            let in_flight = InFlight::start(&conn);
            // Most requests carry no body: they need no deadline (nor its timer).
            let request = request.map(|body| {
                if http_body::Body::is_end_stream(&body) {
                    Body::new(body)
                } else {
                    Body::new(DeadlineBody::new(body, body_timeout))
                }
            });
            let app = app.clone();
            async move {
                let response = app.oneshot(request).await?;
                Ok::<_, Infallible>(
                    response.map(|body| Body::new(TrackedBody::new(body, in_flight))),
                )
            }
        })
    };
    let connection = builder.serve_connection(io, service);
    tokio::pin!(connection);
    let mut draining = *stopping.borrow();
    if draining {
        connection.as_mut().graceful_shutdown();
    }
    loop {
        tokio::select! {
            _ = connection.as_mut() => break,
            // Dropping the connection closes its socket and frees its answer.
            () = conn.closed() => break,
            changed = stopping.changed(), if !draining => {
                draining = true;
                if changed.is_ok() {
                    connection.as_mut().graceful_shutdown();
                }
            }
        }
    }
    table.remove(&conn);
}
