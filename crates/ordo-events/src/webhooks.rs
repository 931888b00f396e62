//! The webhook relay: per webhook, each change of a kind it wants, in revision order, POSTed
//! signed; a failing delivery holds the ones after it and is retried with backoff.

use std::sync::Arc;
use std::time::Duration;

use futures_util::future::join_all;
use ordo_store::events::WEBHOOKS_RELAY;
use ordo_store::{
    AttemptRecord, Change, Delivery, Retry, Store, StoreResult, Webhook, WebhookState,
};
use rand::Rng;

use crate::lease::{self, Lease, RelayHandle};
use crate::render::render_entry;
use crate::sign::signature;
use crate::ssrf::{GuardedResolver, check_url};
use crate::{Timing, holder_name, now_ms};

/// Changes of a webhook read from the feed at once.
const BATCH: u32 = 100;

/// The retry schedule and the client's limits. `standard` is the documented schedule; tests
/// shorten it.
#[derive(Clone, Debug)]
pub struct WebhookConfig {
    /// Private, loopback and link-local receivers, and plain `http://`, are allowed.
    pub allow_private: bool,
    /// The first retry's delay; each next one is three times the last, up to `max_backoff`.
    pub first_backoff: Duration,
    pub max_backoff: Duration,
    /// A delivery failing this long after its first attempt is given up (marked failed).
    pub give_up_after: Duration,
    /// A webhook failing this long without a success is disabled.
    pub disable_after: Duration,
    /// A receiver must answer within this.
    pub timeout: Duration,
}

impl WebhookConfig {
    pub fn standard(allow_private: bool) -> WebhookConfig {
        WebhookConfig {
            allow_private,
            first_backoff: Duration::from_secs(10),
            max_backoff: Duration::from_secs(3600),
            give_up_after: Duration::from_secs(24 * 3600),
            disable_after: Duration::from_secs(3 * 24 * 3600),
            timeout: Duration::from_secs(10),
        }
    }

    /// The delay before attempt `attempts + 1`, with ±20 % jitter so that receivers coming
    /// back are not hit by every retry at once.
    pub fn backoff(&self, attempts: i32) -> Duration {
        let exponent = u32::try_from(attempts.saturating_sub(1))
            .unwrap_or(0)
            .min(20);
        let base = self
            .first_backoff
            .saturating_mul(3u32.saturating_pow(exponent))
            .min(self.max_backoff);
        base.mul_f64(rand::rng().random_range(0.8..1.2))
    }
}

/// The client webhooks are POSTed with: its resolver refuses internal addresses, it follows
/// no redirect and uses no proxy (either would reach around the check).
pub fn client(config: &WebhookConfig) -> reqwest::Client {
    reqwest::Client::builder()
        .dns_resolver(Arc::new(GuardedResolver {
            allow_private: config.allow_private,
        }))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(config.timeout)
        .user_agent("ordo-webhooks")
        .build()
        .expect("a client of fixed settings builds")
}

struct Shared {
    config: WebhookConfig,
    client: reqwest::Client,
}

/// Delivers every enabled webhook's changes until the handle is stopped or dropped.
pub fn start(store: Arc<dyn Store>, config: WebhookConfig, timing: Timing) -> RelayHandle {
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let shared = Arc::new(Shared {
        client: client(&config),
        config,
    });
    let task = tokio::spawn(async move {
        let relay = lease::supervise(
            Arc::clone(&store),
            WEBHOOKS_RELAY,
            holder_name(),
            timing.clone(),
            |store: Arc<dyn Store>| async move { store.webhook_tenants().await },
            move |lease, _| relay_tenant(Arc::clone(&shared), lease),
            stopped,
        );
        let lag = lease::report_lag(
            Arc::clone(&store),
            WEBHOOKS_RELAY,
            webhooks_lag,
            timing.report_every,
        );
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

async fn webhooks_lag(store: Arc<dyn Store>) -> StoreResult<i64> {
    let mut lag = 0;
    for (tenant, revision) in store.tenant_revisions().await? {
        for hook in store.webhooks(&tenant).await? {
            if hook.enabled {
                lag += (revision - hook.state.position).max(0);
            }
        }
    }
    Ok(lag)
}

/// Delivers the tenant's webhooks side by side, each in its own revision order.
async fn relay_tenant(shared: Arc<Shared>, mut lease: Lease) {
    let store = Arc::clone(&lease.store);
    let tenant = lease.tenant.clone();
    loop {
        match lease.keep().await {
            Ok(true) => {}
            Ok(false) => return,
            Err(e) => {
                tracing::warn!(relay = WEBHOOKS_RELAY, tenant, error = %e, "cannot renew the lease");
                tokio::time::sleep(lease.timing.poll_every).await;
                continue;
            }
        }
        let mut signal = store.change_signal();
        let hooks = match store.webhooks(&tenant).await {
            Ok(hooks) => hooks,
            Err(e) => {
                tracing::warn!(relay = WEBHOOKS_RELAY, tenant, error = %e, "cannot read webhooks");
                tokio::time::sleep(lease.timing.poll_every).await;
                continue;
            }
        };
        let hooks: Vec<Webhook> = hooks.into_iter().filter(|h| h.enabled).collect();
        if hooks.is_empty() {
            return;
        }
        let passes = hooks
            .into_iter()
            .map(|hook| deliver_some(&shared, &store, &lease, hook));
        let outcomes = join_all(passes).await;
        if outcomes.iter().any(|o| matches!(o, Pass::LeaseLost)) {
            return;
        }
        if outcomes.iter().any(|o| matches!(o, Pass::More)) {
            continue;
        }
        // Sleep until a change commits, a retry falls due, or the poll.
        let now = now_ms();
        let next_retry = outcomes
            .iter()
            .filter_map(|o| match o {
                Pass::RetryAt(at) => {
                    Some(Duration::from_millis(u64::try_from(at - now).unwrap_or(0)))
                }
                _ => None,
            })
            .min()
            .unwrap_or(lease.timing.poll_every)
            .min(lease.timing.poll_every);
        let until = lease
            .renew_at()
            .min(tokio::time::Instant::now() + next_retry);
        let _ = tokio::time::timeout_at(until, signal.changed()).await;
    }
}

enum Pass {
    /// Caught up with the feed.
    Done,
    /// A full batch went through: there may be more.
    More,
    /// A delivery waits for its retry at this time (unix ms).
    RetryAt(i64),
    LeaseLost,
}

/// Delivers the webhook's next changes until one fails, the batch ends, or it is caught up.
async fn deliver_some(
    shared: &Shared,
    store: &Arc<dyn Store>,
    lease: &Lease,
    hook: Webhook,
) -> Pass {
    let mut state = hook.state;
    if let Some(retry) = state.retry
        && retry.at > now_ms()
    {
        return Pass::RetryAt(retry.at);
    }
    let page = match store.relay_feed(&hook.tenant, state.position, BATCH).await {
        Ok(page) => page,
        Err(e) => {
            tracing::warn!(webhook = hook.id, error = %e, "cannot read the change feed");
            return Pass::Done;
        }
    };
    let full = page.len() == BATCH as usize;
    let mut moved = false;
    for change in &page {
        if !hook.kinds.is_empty() && !hook.kinds.contains(&change.kind()) {
            state.position = change.revision();
            moved = true;
            continue;
        }
        let attempted_at = now_ms();
        let result = post(shared, &hook, change).await;
        let (record, pass) = after_attempt(
            &shared.config,
            &hook,
            &mut state,
            change,
            attempted_at,
            result,
        );
        let stored = store
            .record_attempt(AttemptRecord {
                webhook_id: hook.id.clone(),
                holder: lease.holder.clone(),
                state,
                disable: record.1,
                delivery: Some(record.0),
            })
            .await;
        match stored {
            Ok(true) => {}
            Ok(false) => return Pass::LeaseLost,
            Err(e) => {
                tracing::warn!(webhook = hook.id, error = %e, "cannot store a delivery attempt");
                return Pass::Done;
            }
        }
        moved = false;
        if let Some(pass) = pass {
            return pass;
        }
    }
    if moved {
        let stored = store
            .record_attempt(AttemptRecord {
                webhook_id: hook.id.clone(),
                holder: lease.holder.clone(),
                state,
                disable: false,
                delivery: None,
            })
            .await;
        if matches!(stored, Ok(false)) {
            return Pass::LeaseLost;
        }
    }
    if full { Pass::More } else { Pass::Done }
}

/// The webhook's state and the attempt's record after an attempt; `Some(pass)` when the
/// webhook stops here for now (a retry is due later, or it was disabled).
fn after_attempt(
    config: &WebhookConfig,
    hook: &Webhook,
    state: &mut WebhookState,
    change: &Change,
    now: i64,
    result: Result<u16, String>,
) -> ((Delivery, bool), Option<Pass>) {
    let revision = change.revision();
    let (status, error) = match &result {
        Ok(status) => (Some(i32::from(*status)), None),
        Err(error) => (None, Some(error.clone())),
    };
    if matches!(result, Ok(status) if (200..300).contains(&status)) {
        metrics::counter!("ordo_events_published_total", "relay" => WEBHOOKS_RELAY, "result" => "new")
            .increment(1);
        *state = WebhookState {
            position: revision,
            retry: None,
            failing_since: None,
        };
        let delivery = Delivery {
            revision,
            attempted_at: now,
            status,
            error,
            next_retry: None,
        };
        return ((delivery, false), None);
    }
    metrics::counter!("ordo_events_publish_errors_total", "relay" => WEBHOOKS_RELAY).increment(1);
    let previous = state.retry.filter(|r| r.revision == revision);
    let since = previous.map_or(now, |r| r.since);
    let attempts = previous.map_or(0, |r| r.attempts) + 1;
    let failing_since = state.failing_since.unwrap_or(now);
    let disable = millis(config.disable_after) <= now - failing_since;
    state.failing_since = Some(failing_since);
    let mut delivery = Delivery {
        revision,
        attempted_at: now,
        status,
        error,
        next_retry: None,
    };
    if millis(config.give_up_after) <= now - since {
        tracing::warn!(webhook = hook.id, revision, attempts, "delivery given up");
        let why = delivery
            .error
            .take()
            .unwrap_or_else(|| "non-2xx answer".to_owned());
        delivery.error = Some(format!("{why}; given up after {attempts} attempts"));
        state.position = revision;
        state.retry = None;
        let pass = disable.then_some(Pass::Done);
        return ((delivery, disable), pass);
    }
    let at = now + millis(config.backoff(attempts));
    state.retry = Some(Retry {
        revision,
        since,
        attempts,
        at,
    });
    delivery.next_retry = Some(at);
    ((delivery, disable), Some(Pass::RetryAt(at)))
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// POSTs one change; the receiver's status, or why there is none.
async fn post(shared: &Shared, hook: &Webhook, change: &Change) -> Result<u16, String> {
    // The URL is checked again here: a host written as an IP address meets no resolver.
    let url = check_url(&hook.url, shared.config.allow_private)?;
    let mut body = Vec::with_capacity(1024);
    render_entry(
        &mut body,
        change,
        &[("tenant", &hook.tenant), ("webhookId", &hook.id)],
    );
    let t = ordo_model::Timestamp::now().unix();
    let response = shared
        .client
        .post(url)
        .header("Content-Type", "application/json")
        .header("Ordo-Webhook-Id", &hook.id)
        .header("Ordo-Delivery-Id", delivery_id(hook, change))
        .header("Ordo-Signature", signature(&hook.secret_hash, t, &body))
        .body(body)
        .send()
        .await
        .map_err(|e| error_text(&e))?;
    Ok(response.status().as_u16())
}

/// The same for every attempt of one change to one webhook.
pub fn delivery_id(hook: &Webhook, change: &Change) -> String {
    format!("{}-{}", hook.id, change.revision())
}

/// An error with its causes: reqwest's own text says little ("error sending request").
fn error_text(error: &reqwest::Error) -> String {
    let mut text = if error.is_timeout() {
        "timed out".to_owned()
    } else {
        error.to_string()
    };
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
