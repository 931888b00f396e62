//! The JetStream relay: each tenant's changes, in revision order, to
//! `<prefix>.<tenant>.<kind>.<op>` with the message id `<tenant>:<revision>`.

use std::sync::Arc;
use std::time::Duration;

use async_nats::HeaderMap;
use async_nats::jetstream::{self, stream};
use ordo_store::{Change, Store, StoreResult};

use crate::lease::{self, Lease, RelayHandle};
use crate::render::{op, render_entry};
use crate::{Timing, holder_name};

/// The relay's name in the store (positions, leases) and in metrics.
pub const RELAY: &str = "nats";

/// Changes read from the feed at once.
const BATCH: u32 = 200;

/// How often a relay that is behind stores its position.
const STORE_EVERY: Duration = Duration::from_millis(250);

/// Where and how to publish: from the settings (`events_nats*`).
#[derive(Clone, Debug)]
pub struct NatsConfig {
    /// `nats://HOST:PORT`.
    pub url: String,
    /// The stream, created with `subjects: [<prefix>.>]` if absent.
    pub stream: String,
    /// Subjects are `<prefix>.<tenant>.<kind>.<op>`; `ordo` but in tests.
    pub subject_prefix: String,
    /// Messages older than this are dropped; zero keeps them.
    pub max_age: Duration,
    /// The stream's size limit in bytes (oldest dropped first); -1: none.
    pub max_bytes: i64,
    pub replicas: usize,
    /// JetStream drops a message whose id it saw within this window.
    pub duplicate_window: Duration,
}

/// Connects (retrying while NATS is down), creates the stream if absent, and relays every
/// tenant's changes until the handle is stopped or dropped.
pub fn start(store: Arc<dyn Store>, config: NatsConfig, timing: Timing) -> RelayHandle {
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(async move {
        let js = tokio::select! {
            js = connect(&config) => js,
            _ = async { let mut s = stopped.clone(); let _ = s.wait_for(|s| *s).await; } => return,
        };
        let holder = holder_name();
        let config = Arc::new(config);
        let relay = lease::supervise(
            Arc::clone(&store),
            RELAY,
            holder,
            timing.clone(),
            |store: Arc<dyn Store>| async move {
                Ok(store
                    .tenant_revisions()
                    .await?
                    .into_iter()
                    .map(|(tenant, _)| tenant)
                    .collect())
            },
            move |lease, position| relay_tenant(js.clone(), Arc::clone(&config), lease, position),
            stopped,
        );
        let lag = lease::report_lag(Arc::clone(&store), RELAY, nats_lag, timing.report_every);
        tokio::select! {
            () = relay => {}
            () = lag => {}
        }
    });
    RelayHandle {
        task: Some(task),
        stop,
    }
}

async fn nats_lag(store: Arc<dyn Store>) -> StoreResult<i64> {
    let positions: std::collections::HashMap<String, i64> =
        store.relay_positions(RELAY).await?.into_iter().collect();
    Ok(store
        .tenant_revisions()
        .await?
        .iter()
        .map(|(tenant, revision)| (revision - positions.get(tenant).copied().unwrap_or(0)).max(0))
        .sum())
}

async fn connect(config: &NatsConfig) -> jetstream::Context {
    let mut wait = Duration::from_millis(200);
    loop {
        match try_connect(config).await {
            Ok(js) => return js,
            Err(e) => {
                tracing::warn!(url = config.url, error = %e, "cannot reach JetStream; retrying");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(5));
            }
        }
    }
}

async fn try_connect(config: &NatsConfig) -> Result<jetstream::Context, async_nats::Error> {
    let client = async_nats::ConnectOptions::new()
        .name("ordo")
        .retry_on_initial_connect()
        .connection_timeout(Duration::from_secs(5))
        .connect(config.url.as_str())
        .await?;
    let mut js = jetstream::new(client);
    js.set_timeout(Duration::from_secs(5));
    js.get_or_create_stream(stream::Config {
        name: config.stream.clone(),
        subjects: vec![format!("{}.>", config.subject_prefix)],
        max_age: config.max_age,
        max_bytes: config.max_bytes,
        num_replicas: config.replicas,
        duplicate_window: config.duplicate_window,
        ..Default::default()
    })
    .await?;
    tracing::info!(
        url = config.url,
        stream = config.stream,
        "publishing changes to JetStream"
    );
    Ok(js)
}

/// Publishes the tenant's changes after `position`, one at a time, each acknowledged before
/// the next: the stream holds them in revision order even when a publish must be retried.
async fn relay_tenant(
    js: jetstream::Context,
    config: Arc<NatsConfig>,
    mut lease: Lease,
    mut position: i64,
) {
    let store = Arc::clone(&lease.store);
    let tenant = lease.tenant.clone();
    let subject_tenant = subject_token(&tenant);
    // What the store holds, and since when: the position is stored when the relay catches
    // up, and at most every `STORE_EVERY` while it is behind — a write per batch would cost
    // the store a commit per few changes under a steady stream of writes.
    let mut stored = position;
    let mut stored_at = tokio::time::Instant::now();
    loop {
        match lease.keep().await {
            Ok(true) => {}
            Ok(false) => {
                tracing::info!(
                    relay = RELAY,
                    tenant,
                    "another instance relays the tenant now"
                );
                return;
            }
            Err(e) => {
                tracing::warn!(relay = RELAY, tenant, error = %e, "cannot renew the lease");
                tokio::time::sleep(lease.timing.poll_every).await;
                continue;
            }
        }
        let mut signal = store.change_signal();
        let page = match store.relay_feed(&tenant, position, BATCH).await {
            Ok(page) => page,
            Err(e) => {
                tracing::warn!(relay = RELAY, tenant, error = %e, "cannot read the change feed");
                tokio::time::sleep(lease.timing.poll_every).await;
                continue;
            }
        };
        if position > stored && (page.is_empty() || stored_at.elapsed() >= STORE_EVERY) {
            match lease.advance(position).await {
                Ok(true) => {
                    stored = position;
                    stored_at = tokio::time::Instant::now();
                }
                Ok(false) => return,
                // Published but not stored: a later try stores it; a crash before then
                // replays duplicates, which JetStream drops.
                Err(e) => tracing::warn!(relay = RELAY, tenant, error = %e,
                    "cannot store the position"),
            }
        }
        if page.is_empty() {
            let until = lease
                .renew_at()
                .min(tokio::time::Instant::now() + lease.timing.poll_every);
            let _ = tokio::time::timeout_at(until, signal.changed()).await;
            continue;
        }
        for change in &page {
            if !publish(&js, &config, &subject_tenant, &tenant, change, &mut lease).await {
                return;
            }
            position = change.revision();
        }
    }
}

/// Publishes one change until JetStream acknowledges it; false when the lease was lost
/// meanwhile (the next holder publishes it).
async fn publish(
    js: &jetstream::Context,
    config: &NatsConfig,
    subject_tenant: &str,
    tenant: &str,
    change: &Change,
    lease: &mut Lease,
) -> bool {
    let subject = format!(
        "{}.{subject_tenant}.{}.{}",
        config.subject_prefix,
        change.kind().path(),
        op(change)
    );
    let mut body = Vec::with_capacity(1024);
    render_entry(&mut body, change, &[("tenant", tenant)]);
    let body = bytes::Bytes::from(body);
    let id = format!("{tenant}:{}", change.revision());
    let mut wait = Duration::from_millis(100);
    loop {
        let mut headers = HeaderMap::new();
        headers.insert(async_nats::header::NATS_MESSAGE_ID, id.as_str());
        let acked = match js
            .publish_with_headers(subject.clone(), headers, body.clone())
            .await
        {
            Ok(ack) => ack.await.map_err(async_nats::Error::from),
            Err(e) => Err(async_nats::Error::from(e)),
        };
        match acked {
            Ok(ack) => {
                let kind = if ack.duplicate { "duplicate" } else { "new" };
                metrics::counter!("ordo_events_published_total", "relay" => RELAY, "result" => kind)
                    .increment(1);
                return true;
            }
            Err(e) => {
                metrics::counter!("ordo_events_publish_errors_total", "relay" => RELAY)
                    .increment(1);
                tracing::warn!(relay = RELAY, tenant, revision = change.revision(), error = %e,
                    "JetStream did not acknowledge; retrying");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(5));
                if !matches!(lease.keep().await, Ok(true)) {
                    return false;
                }
            }
        }
    }
}

/// A tenant as one subject token: letters, digits, `-` and `_` as they are, anything else
/// (`.`, `*`, `>`, spaces ...) as `%XX` of its UTF-8 bytes.
pub fn subject_token(tenant: &str) -> String {
    let mut out = String::with_capacity(tenant.len());
    for byte in tenant.bytes() {
        if byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_' {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
