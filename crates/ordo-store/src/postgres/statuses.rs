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
    Ok(changed)
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
