//! SQLite rows of the tenants' status dictionaries.

use ordo_model::{Phase, StatusEntry};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::{StoreError, StoreResult};

pub(crate) fn put(
    tx: &Transaction<'_>,
    tenant: &str,
    entries: &[StatusEntry],
) -> StoreResult<Vec<bool>> {
    let mut current = tx
        .prepare_cached("SELECT name, phase FROM statuses WHERE tenant = ?1 AND status_id = ?2")
        .map_err(StoreError::backend)?;
    let mut upsert = tx
        .prepare_cached(
            "INSERT INTO statuses (tenant, status_id, name, phase) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (tenant, status_id) DO UPDATE SET name = excluded.name,
                 phase = excluded.phase",
        )
        .map_err(StoreError::backend)?;
    let mut changed = Vec::with_capacity(entries.len());
    for entry in entries {
        let phase = entry.phase.as_str();
        let stored: Option<(String, String)> = current
            .query_row(params![tenant, entry.status_id], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .optional()
            .map_err(StoreError::backend)?;
        let same = stored.is_some_and(|(name, p)| name == entry.name && p == phase);
        if !same {
            upsert
                .execute(params![tenant, entry.status_id, entry.name, phase])
                .map_err(StoreError::backend)?;
        }
        changed.push(!same);
    }
    if changed.contains(&true) {
        tx.prepare_cached(
            "INSERT INTO status_versions (tenant, version) VALUES (?1, 1)
             ON CONFLICT (tenant) DO UPDATE SET version = version + 1",
        )
        .and_then(|mut bump| bump.execute([tenant]))
        .map_err(StoreError::backend)?;
    }
    Ok(changed)
}

/// The version of the tenant's dictionary: 0 until it first changes.
pub(crate) fn version(conn: &Connection, tenant: &str) -> StoreResult<i64> {
    conn.prepare_cached("SELECT version FROM status_versions WHERE tenant = ?1")
        .and_then(|mut stmt| stmt.query_row([tenant], |row| row.get(0)).optional())
        .map(Option::unwrap_or_default)
        .map_err(StoreError::backend)
}

pub(crate) fn list(conn: &Connection, tenant: &str) -> StoreResult<Vec<StatusEntry>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT status_id, name, phase FROM statuses WHERE tenant = ?1 ORDER BY status_id",
        )
        .map_err(StoreError::backend)?;
    stmt.query_map([tenant], |row| {
        let phase: String = row.get(2)?;
        Ok(StatusEntry {
            status_id: row.get(0)?,
            name: row.get(1)?,
            phase: Phase::parse(&phase).unwrap_or(Phase::Open),
        })
    })
    .and_then(Iterator::collect)
    .map_err(StoreError::backend)
}
