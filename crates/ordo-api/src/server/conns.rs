//! The table of open connections: what each one is doing, which deadline it is under, and
//! which to close when the table is full.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use super::ServerLimits;

/// Milliseconds since the first call, never 0: 0 marks "not set" in the connection's clocks.
pub(crate) fn now_ms() -> u64 {
    static START: OnceLock<Instant> = OnceLock::new();
    let start = *START.get_or_init(Instant::now);
    u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX) + 1
}

/// One connection's state, written by its IO and its requests, read by the watchdog.
#[derive(Debug)]
pub(crate) struct Conn {
    id: u64,
    /// Requests whose answer has not been handed over completely.
    in_flight: AtomicUsize,
    /// Since when the connection has had no request (accept, or the end of the last answer).
    waiting_since: AtomicU64,
    /// When the first byte of the next request's headers came; 0 while none has.
    headers_since: AtomicU64,
    /// When the answer being sent was handed to the connection; 0 while there is none.
    sending_since: AtomicU64,
    /// When a write found the socket full; 0 while writes go through.
    blocked_since: AtomicU64,
    closing: AtomicBool,
    close: Notify,
}

impl Conn {
    fn new(id: u64) -> Conn {
        let now = now_ms();
        Conn {
            id,
            in_flight: AtomicUsize::new(0),
            waiting_since: AtomicU64::new(now),
            // A new connection owes its first request's headers from the moment it is open.
            headers_since: AtomicU64::new(now),
            sending_since: AtomicU64::new(0),
            blocked_since: AtomicU64::new(0),
            closing: AtomicBool::new(false),
            close: Notify::new(),
        }
    }

    /// Bytes came from the client.
    pub(crate) fn read_some(&self) {
        if self.in_flight.load(Ordering::Acquire) == 0 {
            let _ = self.headers_since.compare_exchange(
                0,
                now_ms(),
                Ordering::AcqRel,
                Ordering::Relaxed,
            );
        }
    }

    /// A write found the socket full (`true`) or went through (`false`).
    pub(crate) fn write_blocked(&self, blocked: bool) {
        if blocked {
            let _ = self.blocked_since.compare_exchange(
                0,
                now_ms(),
                Ordering::AcqRel,
                Ordering::Relaxed,
            );
        } else if self.blocked_since.load(Ordering::Relaxed) != 0 {
            self.blocked_since.store(0, Ordering::Release);
        }
    }

    /// The connection is to be closed: resolves once the watchdog or the table asks.
    pub(crate) async fn closed(&self) {
        self.close.notified().await;
    }

    fn is_idle(&self) -> bool {
        self.in_flight.load(Ordering::Acquire) == 0
    }

    /// Why this connection is past a deadline at `now`, if it is.
    fn overdue(&self, limits: &ServerLimits, now: u64) -> Option<&'static str> {
        let past = |since: &AtomicU64, limit: Duration| {
            let since = since.load(Ordering::Acquire);
            since != 0 && now.saturating_sub(since) >= limit.as_millis() as u64
        };
        if past(&self.blocked_since, limits.send_timeout) {
            return Some("send timeout: the client is not reading");
        }
        if self.is_idle() {
            if self.headers_since.load(Ordering::Acquire) != 0 {
                return past(&self.headers_since, limits.header_timeout)
                    .then_some("header timeout");
            }
            return past(&self.waiting_since, limits.idle_timeout).then_some("idle timeout");
        }
        past(&self.sending_since, limits.send_timeout).then_some("send timeout")
    }
}

/// A request between its headers and the end of its answer; dropping it ends the request.
#[derive(Debug)]
pub(crate) struct InFlight(Arc<Conn>);

impl InFlight {
    pub(crate) fn start(conn: &Arc<Conn>) -> InFlight {
        conn.in_flight.fetch_add(1, Ordering::AcqRel);
        conn.headers_since.store(0, Ordering::Release);
        InFlight(Arc::clone(conn))
    }

    /// The answer's head is handed to the connection: its body must follow within the send
    /// deadline.
    pub(crate) fn sending(&self) {
        self.0.sending_since.store(now_ms(), Ordering::Release);
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let conn = &self.0;
        if conn.in_flight.fetch_sub(1, Ordering::AcqRel) == 1 {
            conn.sending_since.store(0, Ordering::Release);
            conn.waiting_since.store(now_ms(), Ordering::Release);
        }
    }
}

/// Every open connection, oldest first.
#[derive(Debug)]
pub(crate) struct Table {
    conns: Mutex<BTreeMap<u64, Arc<Conn>>>,
    /// Connections in the table not yet asked to close: kept beside the map so that admitting
    /// a connection does not walk every open one.
    open: AtomicUsize,
    next_id: AtomicU64,
    max: usize,
}

/// What to do with a connection just accepted.
pub(crate) enum Admission {
    Admitted(Arc<Conn>),
    /// Every connection has a request in progress: this one is closed at once.
    Full,
}

impl Table {
    pub(crate) fn new(max: usize) -> Table {
        Table {
            conns: Mutex::new(BTreeMap::new()),
            open: AtomicUsize::new(0),
            next_id: AtomicU64::new(1),
            max: max.max(1),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, Arc<Conn>>> {
        self.conns
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Admits a new connection, closing the oldest one without a request in progress when
    /// the table is full.
    pub(crate) fn admit(&self) -> Admission {
        let mut conns = self.lock();
        if self.open.load(Ordering::Acquire) >= self.max && !self.evict_oldest_idle(&conns) {
            return Admission::Full;
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let conn = Arc::new(Conn::new(id));
        conns.insert(id, Arc::clone(&conn));
        self.open.fetch_add(1, Ordering::AcqRel);
        Admission::Admitted(conn)
    }

    /// Closes the oldest connection that has no request in progress; `false` if none has.
    fn evict_oldest_idle(&self, conns: &BTreeMap<u64, Arc<Conn>>) -> bool {
        let victim = conns
            .values()
            .find(|c| !c.closing.load(Ordering::Acquire) && c.is_idle());
        match victim {
            Some(conn) => {
                tracing::debug!(target: "ordo::server", "closing an idle connection to make room");
                self.shut(conn);
                true
            }
            None => false,
        }
    }

    /// Makes room after the system refused a new socket.
    pub(crate) fn make_room(&self) -> bool {
        self.evict_oldest_idle(&self.lock())
    }

    pub(crate) fn remove(&self, conn: &Conn) {
        self.lock().remove(&conn.id);
        // A connection that ends on its own was still counted open.
        if !conn.closing.swap(true, Ordering::AcqRel) {
            self.open.fetch_sub(1, Ordering::AcqRel);
        }
    }

    /// Asks `conn` to close; it no longer counts as open.
    fn shut(&self, conn: &Conn) {
        if !conn.closing.swap(true, Ordering::AcqRel) {
            self.open.fetch_sub(1, Ordering::AcqRel);
        }
        conn.close.notify_one();
    }

    pub(crate) fn len(&self) -> usize {
        self.lock().len()
    }

    /// Closes every connection past one of its deadlines.
    pub(crate) fn enforce(&self, limits: &ServerLimits) {
        let now = now_ms();
        for conn in self.lock().values() {
            if conn.closing.load(Ordering::Acquire) {
                continue;
            }
            if let Some(reason) = conn.overdue(limits, now) {
                tracing::debug!(target: "ordo::server", reason, "closing a connection");
                self.shut(conn);
            }
        }
    }
}
