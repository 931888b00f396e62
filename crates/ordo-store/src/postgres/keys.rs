//! PostgreSQL rows of API keys.

use deadpool_postgres::GenericClient;
use tokio_postgres::Row;

use super::pg_error;
use crate::keys::new_key;
use crate::{ApiKey, KeySecret, NewKey, StoreResult};

const COLUMNS: &str =
    "id, tenant, name, scopes, customer_id, created_at, revoked, secret_hash, rate_limit";

fn key(row: &Row) -> ApiKey {
    let scopes: String = row.get(3);
    let hash: Vec<u8> = row.get(7);
    ApiKey {
        id: row.get(0),
        tenant: row.get(1),
        name: row.get(2),
        scopes: scopes
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        customer_id: row.get(4),
        created_at: row.get(5),
        revoked: row.get(6),
        secret_hash: hash.try_into().unwrap_or([0; 32]),
        rate_limit: row
            .get::<_, Option<i32>>(8)
            .and_then(|rate| u32::try_from(rate).ok()),
    }
}

pub(crate) async fn create(
    client: &impl GenericClient,
    new: NewKey,
) -> StoreResult<(ApiKey, KeySecret)> {
    let (key, secret) = new_key(new);
    client
        .execute(
            "INSERT INTO api_keys (id, tenant, name, scopes, customer_id, created_at, revoked,
                                   secret_hash, rate_limit)
             VALUES ($1, $2, $3, $4, $5, $6, FALSE, $7, $8)",
            &[
                &key.id,
                &key.tenant,
                &key.name,
                &key.scopes.join(","),
                &key.customer_id,
                &key.created_at,
                &key.secret_hash.as_slice(),
                &key.rate_limit
                    .map(|rate| i32::try_from(rate).unwrap_or(i32::MAX)),
            ],
        )
        .await
        .map_err(pg_error)?;
    Ok((key, secret))
}

pub(crate) async fn find(client: &impl GenericClient, id: &str) -> StoreResult<Option<ApiKey>> {
    let stmt = client
        .prepare_cached(&format!("SELECT {COLUMNS} FROM api_keys WHERE id = $1"))
        .await
        .map_err(pg_error)?;
    Ok(client
        .query_opt(&stmt, &[&id])
        .await
        .map_err(pg_error)?
        .as_ref()
        .map(key))
}

pub(crate) async fn list(client: &impl GenericClient) -> StoreResult<Vec<ApiKey>> {
    let rows = client
        .query(
            &format!("SELECT {COLUMNS} FROM api_keys ORDER BY created_at, id"),
            &[],
        )
        .await
        .map_err(pg_error)?;
    Ok(rows.iter().map(key).collect())
}

pub(crate) async fn revoke(client: &impl GenericClient, id: &str) -> StoreResult<bool> {
    let changed = client
        .execute("UPDATE api_keys SET revoked = TRUE WHERE id = $1", &[&id])
        .await
        .map_err(pg_error)?;
    Ok(changed > 0)
}
