//! SQLite writes: one document whole or not at all, its links, and per-tenant revisions.

use ordo_model::{Ingested, Kind, Timestamp};
use rusqlite::{OptionalExtension, Transaction, params};

use crate::{Precondition, PutOptions, PutOutcome, Scope, StoreError, StoreResult};

struct Existing {
    revision: i64,
    customer_id: String,
    body: String,
}

/// One link row of a child: (parent kind, parent id, child customer, child created).
type LinkRow = (i64, String, String, i64);

/// Stores one document inside `tx`. The caller commits.
pub(crate) fn put(
    tx: &Transaction<'_>,
    scope: Scope<'_>,
    ingested: Ingested,
    options: PutOptions,
) -> StoreResult<PutOutcome> {
    let Ingested {
        mut document,
        updated_at_given,
    } = ingested;
    let tenant = scope.tenant;
    let existing = tx
        .prepare_cached(
            "SELECT revision, customer_id, body FROM documents
             WHERE tenant = ?1 AND kind = ?2 AND id = ?3",
        )
        .and_then(|mut stmt| {
            stmt.query_row(params![tenant, document.kind.code(), document.id], |row| {
                Ok(Existing {
                    revision: row.get(0)?,
                    customer_id: row.get(1)?,
                    body: row.get(2)?,
                })
            })
            .optional()
        })
        .map_err(StoreError::backend)?;

    if options.only_customer {
        let own = scope.customer.unwrap_or_default();
        let theirs = existing.as_ref().map(|e| e.customer_id.as_str());
        if document.customer_id != own || theirs.is_some_and(|c| c != own) {
            return Err(StoreError::OtherCustomer);
        }
    }
    let current = existing.as_ref().map(|e| e.revision);
    let holds = match options.precondition {
        Precondition::None => true,
        Precondition::Revision(expected) => current == Some(expected),
        Precondition::Exists => current.is_some(),
        Precondition::Absent => current.is_none(),
    };
    if !holds {
        return Err(StoreError::Conflict {
            current_revision: current,
        });
    }

    if let Some(existing) = &existing {
        // Without an updatedAt of its own, a re-sent document compares as if it had the
        // stored one: identical content is a no-op, not a new revision.
        if !updated_at_given {
            let written_at = document.updated_at;
            if let Some(stored) = stored_updated_at(&existing.body) {
                document.updated_at = stored;
            }
            if document.to_stored_json() != existing.body {
                document.updated_at = written_at;
            }
        }
    }
    let body = document.to_stored_json();
    if let Some(existing) = &existing {
        if existing.body == body {
            return Ok(PutOutcome::Unchanged {
                revision: existing.revision,
            });
        }
    }

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
            document.kind.code(),
            document.id,
            document.customer_id,
            document.updated_at.unix(),
            revision,
            body
        ])
    })
    .map_err(StoreError::backend)?;

    let mut new_links: Vec<LinkRow> = document
        .parents()
        .into_iter()
        .map(|p| {
            (
                p.kind.code(),
                p.id,
                document.customer_id.clone(),
                document.created_at.unix(),
            )
        })
        .collect();
    new_links.sort();
    relink(tx, tenant, document.kind, &document.id, new_links)?;

    Ok(match existing {
        Some(_) => PutOutcome::Replaced { revision },
        None => PutOutcome::Created { revision },
    })
}

fn stored_updated_at(body: &str) -> Option<Timestamp> {
    #[derive(serde::Deserialize)]
    struct Only {
        #[serde(rename = "updatedAt")]
        updated_at: String,
    }
    let only: Only = serde_json::from_str(body).ok()?;
    Timestamp::parse(&only.updated_at)
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
    new_links: Vec<LinkRow>,
) -> StoreResult<()> {
    let mut old_links: Vec<LinkRow> = tx
        .prepare_cached(
            "SELECT parent_kind, parent_id, child_customer, child_created_at FROM links
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
    if old_links == new_links {
        return Ok(());
    }
    tx.prepare_cached("DELETE FROM links WHERE tenant = ?1 AND child_kind = ?2 AND child_id = ?3")
        .and_then(|mut stmt| stmt.execute(params![tenant, kind.code(), id]))
        .map_err(StoreError::backend)?;
    let mut insert = tx
        .prepare_cached(
            "INSERT INTO links (tenant, parent_kind, parent_id, child_kind, child_id,
                                child_customer, child_created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .map_err(StoreError::backend)?;
    for (parent_kind, parent_id, customer, created_at) in &new_links {
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
    let mut parents: Vec<(i64, String)> = old_links
        .into_iter()
        .chain(new_links)
        .map(|(k, p, _, _)| (k, p))
        .collect();
    parents.sort();
    parents.dedup();
    for (parent_kind, parent_id) in parents {
        bump(tx, tenant, parent_kind, &parent_id)?;
    }
    Ok(())
}

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
