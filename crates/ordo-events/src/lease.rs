//! One relayer per tenant at a time: a supervisor that takes the leases of tenants no live
//! instance holds and runs a worker for each, and the lease a worker renews as it goes.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

use ordo_store::{Store, StoreResult};
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::Instant;

use crate::Timing;

/// A running relay; dropping it stops it (and its workers) at once, without giving up its
/// leases — as a crash would. `stop` gives them up first.
#[derive(Debug)]
pub struct RelayHandle {
    pub(crate) task: Option<JoinHandle<()>>,
    pub(crate) stop: tokio::sync::watch::Sender<bool>,
}

impl RelayHandle {
    /// Stops the relay, giving up its leases so that another instance takes over at once.
    pub async fn stop(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RelayHandle {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// A worker's hold on a tenant.
pub(crate) struct Lease {
    pub store: Arc<dyn Store>,
    pub relay: &'static str,
    pub tenant: String,
    pub holder: String,
    pub timing: Timing,
    renew_at: Instant,
}

impl Lease {
    /// Renews the lease when due; false when another instance holds it now.
    pub async fn keep(&mut self) -> StoreResult<bool> {
        if Instant::now() < self.renew_at {
            return Ok(true);
        }
        let held = self
            .store
            .lease_relay(self.relay, &self.tenant, &self.holder, self.ttl_ms())
            .await?
            .is_some();
        self.renew_at = Instant::now() + self.timing.renew_every;
        Ok(held)
    }

    /// When `keep` must run next.
    pub fn renew_at(&self) -> Instant {
        self.renew_at
    }

    /// Moves the relay's position; false when the lease was lost.
    pub async fn advance(&self, position: i64) -> StoreResult<bool> {
        self.store
            .advance_relay(self.relay, &self.tenant, &self.holder, position)
            .await
    }

    fn ttl_ms(&self) -> i64 {
        i64::try_from(self.timing.lease_ttl.as_millis()).unwrap_or(i64::MAX)
    }
}

/// Runs a worker for each tenant that `tenants` lists and whose lease this instance gets,
/// until `stop` is set; then gives the leases up.
pub(crate) async fn supervise<T, TF, W, WF>(
    store: Arc<dyn Store>,
    relay: &'static str,
    holder: String,
    timing: Timing,
    tenants: T,
    worker: W,
    mut stop: tokio::sync::watch::Receiver<bool>,
) where
    T: Fn(Arc<dyn Store>) -> TF,
    TF: Future<Output = StoreResult<Vec<String>>>,
    W: Fn(Lease, i64) -> WF,
    WF: Future<Output = ()> + Send + 'static,
{
    let mut workers: JoinSet<()> = JoinSet::new();
    let mut running: HashMap<String, tokio::task::AbortHandle> = HashMap::new();
    let ttl_ms = i64::try_from(timing.lease_ttl.as_millis()).unwrap_or(i64::MAX);
    loop {
        while workers.try_join_next().is_some() {}
        running.retain(|_, handle| !handle.is_finished());
        let mut signal = store.change_signal();
        match tenants(Arc::clone(&store)).await {
            Ok(list) => {
                for tenant in list {
                    if running.contains_key(&tenant) {
                        continue;
                    }
                    match store.lease_relay(relay, &tenant, &holder, ttl_ms).await {
                        Ok(Some(position)) => {
                            tracing::info!(relay, tenant, position, "relaying the tenant");
                            let lease = Lease {
                                store: Arc::clone(&store),
                                relay,
                                tenant: tenant.clone(),
                                holder: holder.clone(),
                                timing: timing.clone(),
                                renew_at: Instant::now() + timing.renew_every,
                            };
                            let handle = workers.spawn(worker(lease, position));
                            running.insert(tenant, handle);
                        }
                        Ok(None) => {}
                        Err(e) => tracing::warn!(relay, tenant, error = %e, "cannot take a lease"),
                    }
                }
            }
            Err(e) => tracing::warn!(relay, error = %e, "cannot list the tenants to relay"),
        }
        tokio::select! {
            _ = signal.changed() => {}
            _ = tokio::time::sleep(timing.poll_every) => {}
            _ = stop.wait_for(|stop| *stop) => break,
        }
    }
    workers.shutdown().await;
    for tenant in running.keys() {
        let _ = store.release_relay(relay, tenant, &holder).await;
    }
}

/// Logs and exposes the lag of a relay: revisions committed and not yet relayed, summed over
/// tenants.
pub(crate) async fn report_lag<L, LF>(
    store: Arc<dyn Store>,
    relay: &'static str,
    lag: L,
    every: std::time::Duration,
) where
    L: Fn(Arc<dyn Store>) -> LF,
    LF: Future<Output = StoreResult<i64>>,
{
    loop {
        match lag(Arc::clone(&store)).await {
            Ok(lag) => {
                metrics::gauge!("ordo_relay_lag_revisions", "relay" => relay).set(lag as f64);
                tracing::info!(relay, lag, "relay lag (revisions behind)");
            }
            Err(e) => tracing::warn!(relay, error = %e, "cannot read the relay's lag"),
        }
        tokio::time::sleep(every).await;
    }
}
