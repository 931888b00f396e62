//! SQLite rows of events out: relay leases and positions, webhooks, delivery attempts.

use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use crate::events::{
    AttemptRecord, DELIVERIES_KEPT, Delivery, NewWebhook, WEBHOOKS_RELAY, Webhook, WebhookState,
    WebhookUpdate, kinds_text, new_webhook, now_ms, parse_kinds, retry_of,
};
use crate::{KeySecret, StoreError, StoreResult};

const COLUMNS: &str = "id, tenant, url, kinds, description, enabled, created_at, secret_hash, \
    position, retry_revision, retry_since, retry_attempts, retry_at, failing_since";

fn webhook(row: &Row<'_>) -> rusqlite::Result<Webhook> {
    let hash: Vec<u8> = row.get(7)?;
    let kinds: String = row.get(3)?;
    Ok(Webhook {
        id: row.get(0)?,
        tenant: row.get(1)?,
        url: row.get(2)?,
        kinds: parse_kinds(&kinds),
        description: row.get(4)?,
        enabled: row.get(5)?,
        created_at: row.get(6)?,
        secret_hash: hash.try_into().unwrap_or([0; 32]),
        state: WebhookState {
            position: row.get(8)?,
            retry: retry_of(row.get(9)?, row.get(10)?, row.get(11)?, row.get(12)?),
            failing_since: row.get(13)?,
        },
    })
}

pub(crate) fn tenant_revisions(conn: &Connection) -> StoreResult<Vec<(String, i64)>> {
    pairs(
        conn,
        "SELECT tenant, revision FROM tenants ORDER BY tenant",
        [],
    )
}

fn pairs<P: rusqlite::Params>(
    conn: &Connection,
    sql: &str,
    params: P,
) -> StoreResult<Vec<(String, i64)>> {
    conn.prepare_cached(sql)
        .and_then(|mut stmt| {
            stmt.query_map(params, |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect()
        })
        .map_err(StoreError::backend)
}

pub(crate) fn lease(
    tx: &Transaction<'_>,
    relay: &str,
    tenant: &str,
    holder: &str,
    ttl_ms: i64,
) -> StoreResult<Option<i64>> {
    let now = now_ms();
    tx.query_row(
        "INSERT INTO relay_positions (relay, tenant, position, holder, expires_at)
         VALUES (?1, ?2, 0, ?3, ?4)
         ON CONFLICT (relay, tenant) DO UPDATE
            SET holder = excluded.holder, expires_at = excluded.expires_at
          WHERE relay_positions.holder = excluded.holder
             OR relay_positions.expires_at < ?5
         RETURNING position",
        params![relay, tenant, holder, now + ttl_ms, now],
        |r| r.get(0),
    )
    .optional()
    .map_err(StoreError::backend)
}

pub(crate) fn advance(
    tx: &Transaction<'_>,
    relay: &str,
    tenant: &str,
    holder: &str,
    position: i64,
) -> StoreResult<bool> {
    let changed = tx
        .execute(
            "UPDATE relay_positions SET position = MAX(position, ?4)
              WHERE relay = ?1 AND tenant = ?2 AND holder = ?3",
            params![relay, tenant, holder, position],
        )
        .map_err(StoreError::backend)?;
    if changed > 0 {
        prune(tx, tenant)?;
    }
    Ok(changed > 0)
}

/// Deletes the superseded revisions every relay of the tenant has passed (all of them when it
/// has no relay left).
pub(crate) fn prune(tx: &Transaction<'_>, tenant: &str) -> StoreResult<()> {
    tx.prepare_cached(&format!(
        "DELETE FROM superseded
          WHERE tenant = ?1 AND revision <= COALESCE(({}), {})",
        crate::events::SQLITE_RELAY_FLOOR,
        i64::MAX
    ))
    .and_then(|mut stmt| stmt.execute([tenant]))
    .map(drop)
    .map_err(StoreError::backend)
}

pub(crate) fn release(
    tx: &Transaction<'_>,
    relay: &str,
    tenant: &str,
    holder: &str,
) -> StoreResult<()> {
    tx.execute(
        "UPDATE relay_positions SET expires_at = 0
          WHERE relay = ?1 AND tenant = ?2 AND holder = ?3",
        params![relay, tenant, holder],
    )
    .map(drop)
    .map_err(StoreError::backend)
}

pub(crate) fn positions(conn: &Connection, relay: &str) -> StoreResult<Vec<(String, i64)>> {
    pairs(
        conn,
        "SELECT tenant, position FROM relay_positions WHERE relay = ?1 ORDER BY tenant",
        [relay],
    )
}

pub(crate) fn create(tx: &Transaction<'_>, new: NewWebhook) -> StoreResult<(Webhook, KeySecret)> {
    // Changes committed before the webhook existed are not its to receive.
    let position: i64 = tx
        .query_row(
            "SELECT revision FROM tenants WHERE tenant = ?1",
            [&new.tenant],
            |r| r.get(0),
        )
        .optional()
        .map_err(StoreError::backend)?
        .unwrap_or(0);
    let (hook, secret) = new_webhook(new, position);
    tx.execute(
        &format!(
            "INSERT INTO webhooks ({COLUMNS})
             VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7, ?8, NULL, NULL, NULL, NULL, NULL)"
        ),
        params![
            hook.id,
            hook.tenant,
            hook.url,
            kinds_text(&hook.kinds),
            hook.description,
            hook.created_at,
            hook.secret_hash.as_slice(),
            position
        ],
    )
    .map_err(StoreError::backend)?;
    Ok((hook, secret))
}

pub(crate) fn list(conn: &Connection, tenant: &str) -> StoreResult<Vec<Webhook>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM webhooks WHERE tenant = ?1 ORDER BY created_at, id"
    ))
    .and_then(|mut stmt| stmt.query_map([tenant], webhook)?.collect())
    .map_err(StoreError::backend)
}

pub(crate) fn tenants(conn: &Connection) -> StoreResult<Vec<String>> {
    conn.prepare_cached("SELECT DISTINCT tenant FROM webhooks WHERE enabled ORDER BY tenant")
        .and_then(|mut stmt| stmt.query_map([], |r| r.get(0))?.collect())
        .map_err(StoreError::backend)
}

pub(crate) fn update(
    tx: &Transaction<'_>,
    tenant: &str,
    id: &str,
    update: WebhookUpdate,
) -> StoreResult<Option<Webhook>> {
    let Some(hook) = tx
        .query_row(
            &format!("SELECT {COLUMNS} FROM webhooks WHERE tenant = ?1 AND id = ?2"),
            [tenant, id],
            webhook,
        )
        .optional()
        .map_err(StoreError::backend)?
    else {
        return Ok(None);
    };
    let hook = crate::events::apply_update(hook, update);
    let retry = hook.state.retry;
    tx.execute(
        "UPDATE webhooks SET url = ?2, kinds = ?3, description = ?4, enabled = ?5,
                retry_revision = ?6, retry_since = ?7, retry_attempts = ?8, retry_at = ?9,
                failing_since = ?10
          WHERE id = ?1",
        params![
            hook.id,
            hook.url,
            kinds_text(&hook.kinds),
            hook.description,
            hook.enabled,
            retry.map(|r| r.revision),
            retry.map(|r| r.since),
            retry.map(|r| r.attempts),
            retry.map(|r| r.at),
            hook.state.failing_since
        ],
    )
    .map_err(StoreError::backend)?;
    prune(tx, tenant)?;
    Ok(Some(hook))
}

pub(crate) fn delete(tx: &Transaction<'_>, tenant: &str, id: &str) -> StoreResult<bool> {
    let deleted = tx
        .execute(
            "DELETE FROM webhooks WHERE tenant = ?1 AND id = ?2",
            [tenant, id],
        )
        .map_err(StoreError::backend)?;
    tx.execute("DELETE FROM webhook_deliveries WHERE webhook_id = ?1", [id])
        .map_err(StoreError::backend)?;
    prune(tx, tenant)?;
    Ok(deleted > 0)
}

pub(crate) fn record(tx: &Transaction<'_>, record: AttemptRecord) -> StoreResult<bool> {
    let state = record.state;
    let retry = state.retry;
    let changed = tx
        .execute(
            "UPDATE webhooks SET position = MAX(position, ?2),
                    retry_revision = ?3, retry_since = ?4, retry_attempts = ?5, retry_at = ?6,
                    failing_since = ?7, enabled = enabled AND NOT ?8
              WHERE id = ?1 AND EXISTS (
                    SELECT 1 FROM relay_positions r
                     WHERE r.relay = ?9 AND r.tenant = webhooks.tenant AND r.holder = ?10)",
            params![
                record.webhook_id,
                state.position,
                retry.map(|r| r.revision),
                retry.map(|r| r.since),
                retry.map(|r| r.attempts),
                retry.map(|r| r.at),
                state.failing_since,
                record.disable,
                WEBHOOKS_RELAY,
                record.holder
            ],
        )
        .map_err(StoreError::backend)?;
    if changed == 0 {
        return Ok(false);
    }
    let tenant: String = tx
        .query_row(
            "SELECT tenant FROM webhooks WHERE id = ?1",
            [&record.webhook_id],
            |r| r.get(0),
        )
        .map_err(StoreError::backend)?;
    prune(tx, &tenant)?;
    if let Some(d) = record.delivery {
        let seq: i64 = tx
            .query_row(
                "INSERT INTO webhook_deliveries
                    (webhook_id, seq, revision, attempted_at, status, error, next_retry)
                 SELECT ?1, COALESCE(MAX(seq), 0) + 1, ?2, ?3, ?4, ?5, ?6
                   FROM webhook_deliveries WHERE webhook_id = ?1
                 RETURNING seq",
                params![
                    record.webhook_id,
                    d.revision,
                    d.attempted_at,
                    d.status,
                    d.error,
                    d.next_retry
                ],
                |r| r.get(0),
            )
            .map_err(StoreError::backend)?;
        tx.execute(
            "DELETE FROM webhook_deliveries WHERE webhook_id = ?1 AND seq <= ?2",
            params![record.webhook_id, seq - DELIVERIES_KEPT],
        )
        .map_err(StoreError::backend)?;
    }
    Ok(true)
}

pub(crate) fn deliveries(
    conn: &Connection,
    tenant: &str,
    id: &str,
    limit: i64,
) -> StoreResult<Option<Vec<Delivery>>> {
    let exists: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM webhooks WHERE tenant = ?1 AND id = ?2)",
            [tenant, id],
            |r| r.get(0),
        )
        .map_err(StoreError::backend)?;
    if !exists {
        return Ok(None);
    }
    conn.prepare_cached(
        "SELECT revision, attempted_at, status, error, next_retry FROM webhook_deliveries
          WHERE webhook_id = ?1 ORDER BY seq DESC LIMIT ?2",
    )
    .and_then(|mut stmt| {
        stmt.query_map(params![id, limit], |r| {
            Ok(Delivery {
                revision: r.get(0)?,
                attempted_at: r.get(1)?,
                status: r.get(2)?,
                error: r.get(3)?,
                next_retry: r.get(4)?,
            })
        })?
        .collect()
    })
    .map(Some)
    .map_err(StoreError::backend)
}
