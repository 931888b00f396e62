//! SQLite writes: one document whole or not at all, its links, and per-tenant revisions.

use ordo_model::{Ingested, Kind};
use rusqlite::{OptionalExtension, Transaction, params};

use crate::put::{Decision, Existing, LinkRow, decide, link_rows, touched_parents};
use crate::{PutOptions, PutOutcome, Scope, StoreError, StoreResult};

/// Stores one document inside `tx`. The caller commits.
pub(crate) fn put(
    tx: &Transaction<'_>,
    scope: Scope<'_>,
    ingested: Ingested,
    options: PutOptions,
) -> StoreResult<PutOutcome> {
    let tenant = scope.tenant;
    let (kind, id) = (ingested.document.kind, ingested.document.id.clone());
    let existing = tx
        .prepare_cached(
            "SELECT revision, customer_id, body FROM documents
             WHERE tenant = ?1 AND kind = ?2 AND id = ?3",
        )
        .and_then(|mut stmt| {
            stmt.query_row(params![tenant, kind.code(), id], |row| {
                Ok(Existing {
                    revision: row.get(0)?,
                    customer_id: row.get(1)?,
                    body: row.get(2)?,
                })
            })
            .optional()
        })
        .map_err(StoreError::backend)?;
    let (document, body) = match decide(scope, ingested, options, existing.as_ref())? {
        Decision::Unchanged { revision } => return Ok(PutOutcome::Unchanged { revision }),
        Decision::Write { document, body } => (document, body),
    };

    let revision = next_revision(tx, tenant)?;
    tx.prepare_cached(
        "INSERT INTO documents (tenant, kind, id, customer_id, updated_at, revision, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (tenant, kind, id) DO UPDATE SET
             customer_id = excluded.customer_id, updated_at = excluded.updated_at,
             revision = excluded.revision, body = excluded.body",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            tenant,
            kind.code(),
            id,
            document.customer_id,
            document.updated_at.unix(),
            revision,
            body
        ])
    })
    .map_err(StoreError::backend)?;
    relink(tx, tenant, kind, &id, &link_rows(&document))?;

    Ok(match existing {
        Some(_) => PutOutcome::Replaced { revision },
        None => PutOutcome::Created { revision },
    })
}

/// Allocates the tenant's next revision.
fn next_revision(tx: &Transaction<'_>, tenant: &str) -> StoreResult<i64> {
    tx.prepare_cached(
        "INSERT INTO tenants (tenant, revision) VALUES (?1, 1)
         ON CONFLICT (tenant) DO UPDATE SET revision = revision + 1
         RETURNING revision",
    )
    .and_then(|mut stmt| stmt.query_row([tenant], |row| row.get(0)))
    .map_err(StoreError::backend)
}

/// Replaces a child's link rows when they changed, and gives each parent whose derived
/// lists changed a new revision: its rendering changed, so its ETag and the change feed must.
fn relink(
    tx: &Transaction<'_>,
    tenant: &str,
    kind: Kind,
    id: &str,
    new_links: &[LinkRow],
) -> StoreResult<()> {
    let mut old_links: Vec<LinkRow> = tx
        .prepare_cached(
            // Without statistics SQLite prefers the primary key's `tenant` prefix here, a
            // scan of the tenant's links per write; the plan must not depend on luck.
            "SELECT parent_kind, parent_id, child_customer, child_created_at
             FROM links INDEXED BY links_by_child
             WHERE tenant = ?1 AND child_kind = ?2 AND child_id = ?3",
        )
        .and_then(|mut stmt| {
            stmt.query_map(params![tenant, kind.code(), id], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })?
            .collect()
        })
        .map_err(StoreError::backend)?;
    old_links.sort();
    let parents = touched_parents(&old_links, new_links);
    if parents.is_empty() {
        return Ok(());
    }
    tx.prepare_cached(
        "DELETE FROM links INDEXED BY links_by_child
         WHERE tenant = ?1 AND child_kind = ?2 AND child_id = ?3",
    )
    .and_then(|mut stmt| stmt.execute(params![tenant, kind.code(), id]))
    .map_err(StoreError::backend)?;
    let mut insert = tx
        .prepare_cached(
            "INSERT INTO links (tenant, parent_kind, parent_id, child_kind, child_id,
                                child_customer, child_created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .map_err(StoreError::backend)?;
    for (parent_kind, parent_id, customer, created_at) in new_links {
        insert
            .execute(params![
                tenant,
                parent_kind,
                parent_id,
                kind.code(),
                id,
                customer,
                created_at
            ])
            .map_err(StoreError::backend)?;
    }
    for (parent_kind, parent_id) in parents {
        bump(tx, tenant, parent_kind, &parent_id)?;
    }
    Ok(())
}

/// A new revision for a stored parent; a parent not stored yet gets one when it arrives.
fn bump(tx: &Transaction<'_>, tenant: &str, kind: i64, id: &str) -> StoreResult<()> {
    let exists: bool = tx
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM documents WHERE tenant = ?1 AND kind = ?2 AND id = ?3)",
        )
        .and_then(|mut stmt| stmt.query_row(params![tenant, kind, id], |row| row.get(0)))
        .map_err(StoreError::backend)?;
    if exists {
        let revision = next_revision(tx, tenant)?;
        tx.prepare_cached(
            "UPDATE documents SET revision = ?4 WHERE tenant = ?1 AND kind = ?2 AND id = ?3",
        )
        .and_then(|mut stmt| stmt.execute(params![tenant, kind, id, revision]))
        .map_err(StoreError::backend)?;
    }
    Ok(())
}
