//! Events out: every revision of every tenant relayed to NATS JetStream and to signed
//! webhooks, at least once and in revision order per tenant (docs/events.md). The relays read
//! `Store::relay_feed`: the change feed merged with the revisions later writes replaced before
//! every relay had passed them, so a relay that lags leaves no gap.
//!
//! Each relay keeps its position per tenant in the store and moves it only over changes the
//! other side acknowledged, so a crash replays at most an unacknowledged tail: JetStream drops
//! the replays by their message id, webhook receivers by tenant and revision. One instance at
//! a time relays a tenant: it holds a lease row that it renews, and another instance takes
//! the tenant over when the lease expires.
#![forbid(unsafe_code)]

mod lease;
pub mod nats;
mod render;
pub mod sign;
pub mod ssrf;
pub mod webhooks;

use std::time::Duration;

pub use lease::RelayHandle;
pub use render::render_entry;

/// How often relays renew their leases, and how long an unrenewed lease lasts.
#[derive(Clone, Debug)]
pub struct Timing {
    /// An instance that dies holds its tenants at most this long.
    pub lease_ttl: Duration,
    pub renew_every: Duration,
    /// The feed is read again at least this often, should a wake-up be missed (another
    /// process writing the same SQLite file).
    pub poll_every: Duration,
    /// How often the lag is logged.
    pub report_every: Duration,
}

impl Timing {
    pub fn standard() -> Timing {
        Timing {
            lease_ttl: Duration::from_secs(10),
            renew_every: Duration::from_secs(2),
            poll_every: Duration::from_secs(1),
            report_every: Duration::from_secs(30),
        }
    }
}

/// Unix milliseconds now.
pub(crate) fn now_ms() -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(now.as_millis()).unwrap_or(i64::MAX)
}

/// A name for this instance's leases: the host's name, the process and random digits, so that
/// a restarted process never mistakes its predecessor's lease for its own.
pub fn holder_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "ordo".to_owned());
    format!(
        "{host}:{}:{:08x}",
        std::process::id(),
        rand::random::<u32>()
    )
}
