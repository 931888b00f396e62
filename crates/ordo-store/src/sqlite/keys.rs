//! SQLite rows of API keys.

use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use crate::keys::new_key;
use crate::{ApiKey, KeySecret, NewKey, StoreError, StoreResult};

const COLUMNS: &str =
    "id, tenant, name, scopes, customer_id, created_at, revoked, secret_hash, rate_limit";

fn key(row: &Row<'_>) -> rusqlite::Result<ApiKey> {
    let scopes: String = row.get(3)?;
    let hash: Vec<u8> = row.get(7)?;
    Ok(ApiKey {
        id: row.get(0)?,
        tenant: row.get(1)?,
        name: row.get(2)?,
        scopes: scopes
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        customer_id: row.get(4)?,
        created_at: row.get(5)?,
        revoked: row.get(6)?,
        secret_hash: hash.try_into().unwrap_or([0; 32]),
        rate_limit: row.get(8)?,
    })
}

pub(crate) fn create(tx: &Transaction<'_>, new: NewKey) -> StoreResult<(ApiKey, KeySecret)> {
    let (key, secret) = new_key(new);
    tx.execute(
        "INSERT INTO api_keys (id, tenant, name, scopes, customer_id, created_at, revoked,
                               secret_hash, rate_limit)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?8)",
        params![
            key.id,
            key.tenant,
            key.name,
            key.scopes.join(","),
            key.customer_id,
            key.created_at,
            key.secret_hash.as_slice(),
            key.rate_limit
        ],
    )
    .map_err(StoreError::backend)?;
    Ok((key, secret))
}

pub(crate) fn find(conn: &Connection, id: &str) -> StoreResult<Option<ApiKey>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM api_keys WHERE id = ?1"))
        .and_then(|mut stmt| stmt.query_row([id], key).optional())
        .map_err(StoreError::backend)
}

pub(crate) fn list(conn: &Connection) -> StoreResult<Vec<ApiKey>> {
    conn.prepare(&format!(
        "SELECT {COLUMNS} FROM api_keys ORDER BY created_at, id"
    ))
    .and_then(|mut stmt| stmt.query_map([], key)?.collect())
    .map_err(StoreError::backend)
}

pub(crate) fn revoke(tx: &Transaction<'_>, id: &str) -> StoreResult<bool> {
    tx.execute("UPDATE api_keys SET revoked = 1 WHERE id = ?1", params![id])
        .map(|changed| changed > 0)
        .map_err(StoreError::backend)
}
