//! What the relays of events out keep in the store: their positions and leases per tenant,
//! webhooks and their last delivery attempts. The relays themselves are in `ordo-events`.

use ordo_model::Kind;
use rand::RngCore;

use crate::KeySecret;
use crate::keys::{hash_secret, hex};

/// A webhook as the store keeps it; its signing secret only as its SHA-256.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Webhook {
    pub id: String,
    pub tenant: String,
    pub url: String,
    /// The kinds whose changes it receives; empty: every kind.
    pub kinds: Vec<Kind>,
    pub description: Option<String>,
    pub enabled: bool,
    /// Unix seconds.
    pub created_at: i64,
    pub secret_hash: [u8; 32],
    pub state: WebhookState,
}

/// Where a webhook's deliveries stand: what the relay changes after each attempt.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WebhookState {
    /// The revision up to which every matching change was delivered (or given up).
    pub position: i64,
    /// The delivery being retried, if the last attempt failed.
    pub retry: Option<Retry>,
    /// Unix milliseconds of the first failure of the current run of failures.
    pub failing_since: Option<i64>,
}

/// A delivery that failed and waits for its next attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retry {
    pub revision: i64,
    /// Unix milliseconds of its first attempt.
    pub since: i64,
    pub attempts: i32,
    /// Unix milliseconds of its next attempt.
    pub at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewWebhook {
    pub tenant: String,
    pub url: String,
    pub kinds: Vec<Kind>,
    pub description: Option<String>,
}

/// A `PATCH`: each field given replaces the stored one. Enabling clears the run of failures.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WebhookUpdate {
    pub url: Option<String>,
    pub kinds: Option<Vec<Kind>>,
    pub description: Option<Option<String>>,
    pub enabled: Option<bool>,
}

/// One attempt to deliver a change to a webhook, as listed by `GET .../deliveries`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    pub revision: i64,
    /// Unix milliseconds.
    pub attempted_at: i64,
    /// The receiver's HTTP status, if it answered.
    pub status: Option<i32>,
    /// Why the attempt failed without a status (timeout, refused address, ...), or that the
    /// delivery was given up.
    pub error: Option<String>,
    /// Unix milliseconds of the next attempt, when it is to be retried.
    pub next_retry: Option<i64>,
}

/// What the relay stores after an attempt: the webhook's new state and the attempt, in one
/// transaction, and only while `holder` holds the tenant's webhook lease.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttemptRecord {
    pub webhook_id: String,
    pub holder: String,
    pub state: WebhookState,
    /// Disables the webhook (three days of failures).
    pub disable: bool,
    /// None when positions moved over changes of other kinds without an attempt.
    pub delivery: Option<Delivery>,
}

/// Attempts kept per webhook; older ones are pruned as new ones come.
pub const DELIVERIES_KEPT: i64 = 100;

/// The relay name of webhook leases in `relay_positions`.
pub const WEBHOOKS_RELAY: &str = "webhooks";

/// The lowest position of a tenant's relays (the NATS relay's row and its enabled webhooks;
/// the webhooks' lease row has no position of its own): a write keeps a revision it replaces
/// only above it, and `superseded` is pruned up to it. NULL when the tenant has no relay.
///
/// A relay that runs on this database but has not picked a new tenant up yet (it finds
/// tenants within about a second) will start that tenant at 0: until then the tenant's floor
/// is 0, so that its very first revisions are kept too.
pub(crate) const SQLITE_RELAY_FLOOR: &str = "SELECT MIN(position) FROM (
        SELECT position FROM relay_positions WHERE tenant = ?1 AND relay <> 'webhooks'
        UNION ALL
        SELECT position FROM webhooks WHERE tenant = ?1 AND enabled
        UNION ALL
        SELECT 0 WHERE EXISTS (SELECT 1 FROM relay_positions WHERE relay <> 'webhooks')
            AND NOT EXISTS (SELECT 1 FROM relay_positions
                            WHERE tenant = ?1 AND relay <> 'webhooks'))";

pub(crate) const PG_RELAY_FLOOR: &str = "SELECT MIN(position) FROM (
        SELECT position FROM relay_positions WHERE tenant = $1 AND relay <> 'webhooks'
        UNION ALL
        SELECT position FROM webhooks WHERE tenant = $1 AND enabled
        UNION ALL
        SELECT 0 WHERE EXISTS (SELECT 1 FROM relay_positions WHERE relay <> 'webhooks')
            AND NOT EXISTS (SELECT 1 FROM relay_positions
                            WHERE tenant = $1 AND relay <> 'webhooks')) AS p";

/// A webhook's id and signing secret. The secret is `whsec_` and 64 hex digits: 70 bytes,
/// longer than HMAC-SHA256's 64-byte block, so HMAC keys with its SHA-256 — which is all the
/// store keeps, and what the relay signs with.
pub(crate) fn new_webhook(new: NewWebhook, position: i64) -> (Webhook, KeySecret) {
    let mut rng = rand::rng();
    let mut id = [0u8; 8];
    let mut secret = [0u8; 32];
    rng.fill_bytes(&mut id);
    rng.fill_bytes(&mut secret);
    let secret = KeySecret(format!("whsec_{}", hex(&secret)));
    let hook = Webhook {
        id: format!("wh_{}", hex(&id)),
        tenant: new.tenant,
        url: new.url,
        kinds: new.kinds,
        description: new.description,
        enabled: true,
        created_at: ordo_model::Timestamp::now().unix(),
        secret_hash: hash_secret(&secret.0),
        state: WebhookState {
            position,
            ..WebhookState::default()
        },
    };
    (hook, secret)
}

/// Kinds as stored: their path names, comma-separated.
pub(crate) fn kinds_text(kinds: &[Kind]) -> String {
    kinds.iter().map(|k| k.path()).collect::<Vec<_>>().join(",")
}

pub(crate) fn parse_kinds(text: &str) -> Vec<Kind> {
    text.split(',').filter_map(|k| k.parse().ok()).collect()
}

/// The `Retry` of stored columns, all set or none.
pub(crate) fn retry_of(
    revision: Option<i64>,
    since: Option<i64>,
    attempts: Option<i32>,
    at: Option<i64>,
) -> Option<Retry> {
    Some(Retry {
        revision: revision?,
        since: since?,
        attempts: attempts?,
        at: at?,
    })
}

pub(crate) fn now_ms() -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(now.as_millis()).unwrap_or(i64::MAX)
}

/// A webhook with a `PATCH` applied. Enabling one that was disabled clears its run of
/// failures and its retry: the held delivery is tried again at once, with a new 24 hours.
pub(crate) fn apply_update(mut hook: Webhook, update: WebhookUpdate) -> Webhook {
    if let Some(url) = update.url {
        hook.url = url;
    }
    if let Some(kinds) = update.kinds {
        hook.kinds = kinds;
    }
    if let Some(description) = update.description {
        hook.description = description;
    }
    if let Some(enabled) = update.enabled {
        if enabled && !hook.enabled {
            hook.state.failing_since = None;
            hook.state.retry = None;
        }
        hook.enabled = enabled;
    }
    hook
}
