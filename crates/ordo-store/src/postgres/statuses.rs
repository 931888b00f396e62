//! PostgreSQL rows of the tenants' status dictionaries.

use deadpool_postgres::{GenericClient, Transaction};
use ordo_model::{Phase, StatusEntry};

use super::pg_error;
use crate::StoreResult;

pub(crate) async fn put(
    tx: &Transaction<'_>,
    tenant: &str,
    entries: &[StatusEntry],
) -> StoreResult<Vec<bool>> {
    let upsert = tx
        .prepare_cached(
            "INSERT INTO statuses (tenant, status_id, name, phase) VALUES ($1, $2, $3, $4)
             ON CONFLICT (tenant, status_id) DO UPDATE SET name = excluded.name,
                 phase = excluded.phase
             WHERE (statuses.name, statuses.phase) IS DISTINCT FROM (excluded.name, excluded.phase)",
        )
        .await
        .map_err(pg_error)?;
    let mut changed = Vec::with_capacity(entries.len());
    for entry in entries {
        let phase = entry.phase.as_str();
        let rows = tx
            .execute(&upsert, &[&tenant, &entry.status_id, &entry.name, &phase])
            .await
            .map_err(pg_error)?;
        changed.push(rows > 0);
    }
    if changed.contains(&true) {
        tx.execute(
            "INSERT INTO status_versions (tenant, version) VALUES ($1, 1)
             ON CONFLICT (tenant) DO UPDATE SET version = status_versions.version + 1",
            &[&tenant],
        )
        .await
        .map_err(pg_error)?;
    }
    Ok(changed)
}

/// The version of the tenant's dictionary: 0 until it first changes.
pub(crate) async fn version(client: &impl GenericClient, tenant: &str) -> StoreResult<i64> {
    let stmt = client
        .prepare_cached("SELECT version FROM status_versions WHERE tenant = $1")
        .await
        .map_err(pg_error)?;
    let row = client
        .query_opt(&stmt, &[&tenant])
        .await
        .map_err(pg_error)?;
    Ok(row.map_or(0, |row| row.get(0)))
}

pub(crate) async fn list(
    client: &impl GenericClient,
    tenant: &str,
) -> StoreResult<Vec<StatusEntry>> {
    let stmt = client
        .prepare_cached(
            "SELECT status_id, name, phase FROM statuses WHERE tenant = $1 ORDER BY status_id",
        )
        .await
        .map_err(pg_error)?;
    let rows = client.query(&stmt, &[&tenant]).await.map_err(pg_error)?;
    Ok(rows
        .iter()
        .map(|row| StatusEntry {
            status_id: row.get(0),
            name: row.get(1),
            phase: Phase::parse(row.get(2)).unwrap_or(Phase::Open),
        })
        .collect())
}
