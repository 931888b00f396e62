//! PostgreSQL rows of events out: relay leases and positions, webhooks, delivery attempts.

use deadpool_postgres::GenericClient;
use tokio_postgres::Row;

use super::pg_error;
use crate::events::{
    AttemptRecord, DELIVERIES_KEPT, Delivery, NewWebhook, WEBHOOKS_RELAY, Webhook, WebhookState,
    WebhookUpdate, kinds_text, new_webhook, now_ms, parse_kinds, retry_of,
};
use crate::{KeySecret, StoreResult};

const COLUMNS: &str = "id, tenant, url, kinds, description, enabled, created_at, secret_hash, \
    position, retry_revision, retry_since, retry_attempts, retry_at, failing_since";

fn webhook(row: &Row) -> Webhook {
    let hash: Vec<u8> = row.get(7);
    Webhook {
        id: row.get(0),
        tenant: row.get(1),
        url: row.get(2),
        kinds: parse_kinds(row.get(3)),
        description: row.get(4),
        enabled: row.get(5),
        created_at: row.get(6),
        secret_hash: hash.try_into().unwrap_or([0; 32]),
        state: WebhookState {
            position: row.get(8),
            retry: retry_of(row.get(9), row.get(10), row.get(11), row.get(12)),
            failing_since: row.get(13),
        },
    }
}

pub(crate) async fn tenant_revisions(
    client: &impl GenericClient,
) -> StoreResult<Vec<(String, i64)>> {
    let rows = client
        .query("SELECT tenant, revision FROM tenants ORDER BY tenant", &[])
        .await
        .map_err(pg_error)?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

pub(crate) async fn lease(
    client: &impl GenericClient,
    relay: &str,
    tenant: &str,
    holder: &str,
    ttl_ms: i64,
) -> StoreResult<Option<i64>> {
    let now = now_ms();
    let row = client
        .query_opt(
            "INSERT INTO relay_positions (relay, tenant, position, holder, expires_at)
             VALUES ($1, $2, 0, $3, $4)
             ON CONFLICT (relay, tenant) DO UPDATE
                SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
              WHERE relay_positions.holder = EXCLUDED.holder
                 OR relay_positions.expires_at < $5
             RETURNING position",
            &[&relay, &tenant, &holder, &(now + ttl_ms), &now],
        )
        .await
        .map_err(pg_error)?;
    Ok(row.map(|r| r.get(0)))
}

pub(crate) async fn advance(
    client: &impl GenericClient,
    relay: &str,
    tenant: &str,
    holder: &str,
    position: i64,
) -> StoreResult<bool> {
    let changed = client
        .execute(
            "UPDATE relay_positions SET position = GREATEST(position, $4)
              WHERE relay = $1 AND tenant = $2 AND holder = $3",
            &[&relay, &tenant, &holder, &position],
        )
        .await
        .map_err(pg_error)?;
    if changed > 0 {
        prune(client, tenant).await?;
    }
    Ok(changed > 0)
}

/// Deletes the superseded revisions every relay of the tenant has passed (all of them when it
/// has no relay left).
pub(crate) async fn prune(client: &impl GenericClient, tenant: &str) -> StoreResult<()> {
    client
        .execute(
            &format!(
                "DELETE FROM superseded
                  WHERE tenant = $1 AND revision <= COALESCE(({}), {})",
                crate::events::PG_RELAY_FLOOR,
                i64::MAX
            ),
            &[&tenant],
        )
        .await
        .map_err(pg_error)?;
    Ok(())
}

pub(crate) async fn release(
    client: &impl GenericClient,
    relay: &str,
    tenant: &str,
    holder: &str,
) -> StoreResult<()> {
    client
        .execute(
            "UPDATE relay_positions SET expires_at = 0
              WHERE relay = $1 AND tenant = $2 AND holder = $3",
            &[&relay, &tenant, &holder],
        )
        .await
        .map_err(pg_error)?;
    Ok(())
}

pub(crate) async fn positions(
    client: &impl GenericClient,
    relay: &str,
) -> StoreResult<Vec<(String, i64)>> {
    let rows = client
        .query(
            "SELECT tenant, position FROM relay_positions WHERE relay = $1 ORDER BY tenant",
            &[&relay],
        )
        .await
        .map_err(pg_error)?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

pub(crate) async fn create(
    client: &impl GenericClient,
    new: NewWebhook,
) -> StoreResult<(Webhook, KeySecret)> {
    // Changes committed before the webhook existed are not its to receive.
    let position: i64 = client
        .query_opt(
            "SELECT revision FROM tenants WHERE tenant = $1",
            &[&new.tenant],
        )
        .await
        .map_err(pg_error)?
        .map_or(0, |r| r.get(0));
    let (hook, secret) = new_webhook(new, position);
    client
        .execute(
            &format!(
                "INSERT INTO webhooks ({COLUMNS})
                 VALUES ($1, $2, $3, $4, $5, TRUE, $6, $7, $8, NULL, NULL, NULL, NULL, NULL)"
            ),
            &[
                &hook.id,
                &hook.tenant,
                &hook.url,
                &kinds_text(&hook.kinds),
                &hook.description,
                &hook.created_at,
                &hook.secret_hash.as_slice(),
                &position,
            ],
        )
        .await
        .map_err(pg_error)?;
    Ok((hook, secret))
}

pub(crate) async fn list(client: &impl GenericClient, tenant: &str) -> StoreResult<Vec<Webhook>> {
    let rows = client
        .query(
            &format!("SELECT {COLUMNS} FROM webhooks WHERE tenant = $1 ORDER BY created_at, id"),
            &[&tenant],
        )
        .await
        .map_err(pg_error)?;
    Ok(rows.iter().map(webhook).collect())
}

pub(crate) async fn tenants(client: &impl GenericClient) -> StoreResult<Vec<String>> {
    let rows = client
        .query(
            "SELECT DISTINCT tenant FROM webhooks WHERE enabled ORDER BY tenant",
            &[],
        )
        .await
        .map_err(pg_error)?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

pub(crate) async fn update(
    client: &impl GenericClient,
    tenant: &str,
    id: &str,
    update: WebhookUpdate,
) -> StoreResult<Option<Webhook>> {
    let Some(row) = client
        .query_opt(
            &format!("SELECT {COLUMNS} FROM webhooks WHERE tenant = $1 AND id = $2 FOR UPDATE"),
            &[&tenant, &id],
        )
        .await
        .map_err(pg_error)?
    else {
        return Ok(None);
    };
    let hook = crate::events::apply_update(webhook(&row), update);
    let retry = hook.state.retry;
    client
        .execute(
            "UPDATE webhooks SET url = $2, kinds = $3, description = $4, enabled = $5,
                    retry_revision = $6, retry_since = $7, retry_attempts = $8, retry_at = $9,
                    failing_since = $10
              WHERE id = $1",
            &[
                &hook.id,
                &hook.url,
                &kinds_text(&hook.kinds),
                &hook.description,
                &hook.enabled,
                &retry.map(|r| r.revision),
                &retry.map(|r| r.since),
                &retry.map(|r| r.attempts),
                &retry.map(|r| r.at),
                &hook.state.failing_since,
            ],
        )
        .await
        .map_err(pg_error)?;
    prune(client, tenant).await?;
    Ok(Some(hook))
}

pub(crate) async fn delete(
    client: &impl GenericClient,
    tenant: &str,
    id: &str,
) -> StoreResult<bool> {
    let deleted = client
        .execute(
            "DELETE FROM webhooks WHERE tenant = $1 AND id = $2",
            &[&tenant, &id],
        )
        .await
        .map_err(pg_error)?;
    client
        .execute(
            "DELETE FROM webhook_deliveries WHERE webhook_id = $1",
            &[&id],
        )
        .await
        .map_err(pg_error)?;
    prune(client, tenant).await?;
    Ok(deleted > 0)
}

pub(crate) async fn record(
    client: &impl GenericClient,
    record: AttemptRecord,
) -> StoreResult<bool> {
    let state = record.state;
    let retry = state.retry;
    let changed = client
        .execute(
            "UPDATE webhooks SET position = GREATEST(position, $2),
                    retry_revision = $3, retry_since = $4, retry_attempts = $5, retry_at = $6,
                    failing_since = $7, enabled = enabled AND NOT $8
              WHERE id = $1 AND EXISTS (
                    SELECT 1 FROM relay_positions r
                     WHERE r.relay = $9 AND r.tenant = webhooks.tenant AND r.holder = $10)",
            &[
                &record.webhook_id,
                &state.position,
                &retry.map(|r| r.revision),
                &retry.map(|r| r.since),
                &retry.map(|r| r.attempts),
                &retry.map(|r| r.at),
                &state.failing_since,
                &record.disable,
                &WEBHOOKS_RELAY,
                &record.holder,
            ],
        )
        .await
        .map_err(pg_error)?;
    if changed == 0 {
        return Ok(false);
    }
    let tenant: String = client
        .query_one(
            "SELECT tenant FROM webhooks WHERE id = $1",
            &[&record.webhook_id],
        )
        .await
        .map_err(pg_error)?
        .get(0);
    prune(client, &tenant).await?;
    if let Some(d) = record.delivery {
        let seq: i64 = client
            .query_one(
                "INSERT INTO webhook_deliveries
                    (webhook_id, seq, revision, attempted_at, status, error, next_retry)
                 SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4, $5, $6
                   FROM webhook_deliveries WHERE webhook_id = $1
                 RETURNING seq",
                &[
                    &record.webhook_id,
                    &d.revision,
                    &d.attempted_at,
                    &d.status,
                    &d.error,
                    &d.next_retry,
                ],
            )
            .await
            .map_err(pg_error)?
            .get(0);
        client
            .execute(
                "DELETE FROM webhook_deliveries WHERE webhook_id = $1 AND seq <= $2",
                &[&record.webhook_id, &(seq - DELIVERIES_KEPT)],
            )
            .await
            .map_err(pg_error)?;
    }
    Ok(true)
}

pub(crate) async fn deliveries(
    client: &impl GenericClient,
    tenant: &str,
    id: &str,
    limit: i64,
) -> StoreResult<Option<Vec<Delivery>>> {
    let exists = client
        .query_opt(
            "SELECT 1 FROM webhooks WHERE tenant = $1 AND id = $2",
            &[&tenant, &id],
        )
        .await
        .map_err(pg_error)?
        .is_some();
    if !exists {
        return Ok(None);
    }
    let rows = client
        .query(
            "SELECT revision, attempted_at, status, error, next_retry FROM webhook_deliveries
              WHERE webhook_id = $1 ORDER BY seq DESC LIMIT $2",
            &[&id, &limit],
        )
        .await
        .map_err(pg_error)?;
    Ok(Some(
        rows.iter()
            .map(|r| Delivery {
                revision: r.get(0),
                attempted_at: r.get(1),
                status: r.get(2),
                error: r.get(3),
                next_retry: r.get(4),
            })
            .collect(),
    ))
}
