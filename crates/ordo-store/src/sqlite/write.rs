//! SQLite writes: one document whole or not at all, its links, and per-tenant revisions.

use ordo_model::{Document, Ingested, Kind};
use rusqlite::{OptionalExtension, Transaction, params};

use crate::put::{
    Decision, Existing, LinkRow, check_delete, decide_with_body, link_rows, touched_parents,
};
use crate::{Erased, Precondition, PutOptions, PutOutcome, Scope, StoreError, StoreResult};

/// Stores one document inside `tx`. The caller commits.
pub(crate) fn put(
    tx: &Transaction<'_>,
    scope: Scope<'_>,
    ingested: Ingested,
    options: PutOptions,
) -> StoreResult<PutOutcome> {
    let mut writer = Writer::new(tx, scope.tenant);
    let outcome = writer.put(scope, ingested, options)?;
    writer.finish()?;
    Ok(outcome)
}

/// The document writes of one transaction of one tenant. Revisions are handed out from the
/// tenant's counter, read once and written back by `finish`, rather than with an upsert of
/// the counter per document. The caller calls `finish`, then commits.
pub(crate) struct Writer<'a> {
    tx: &'a Transaction<'a>,
    tenant: &'a str,
    /// The last revision handed out, once the counter has been read.
    revision: Option<i64>,
    /// Whether `revision` is ahead of the stored counter.
    ahead: bool,
    /// The lowest position of the tenant's relays (None: it has none), once read.
    floor: Option<Option<i64>>,
}

impl<'a> Writer<'a> {
    pub(crate) fn new(tx: &'a Transaction<'a>, tenant: &'a str) -> Writer<'a> {
        Writer {
            tx,
            tenant,
            revision: None,
            ahead: false,
            floor: None,
        }
    }

    /// Stores one document of `scope.tenant` (the writer's tenant).
    pub(crate) fn put(
        &mut self,
        scope: Scope<'_>,
        ingested: Ingested,
        options: PutOptions,
    ) -> StoreResult<PutOutcome> {
        self.write(scope, ingested, None, options)
    }

    /// Stores one document of an import, given its stored JSON.
    pub(crate) fn put_with_body(
        &mut self,
        scope: Scope<'_>,
        ingested: Ingested,
        body: String,
    ) -> StoreResult<PutOutcome> {
        self.write(scope, ingested, Some(body), PutOptions::default())
    }

    fn write(
        &mut self,
        scope: Scope<'_>,
        ingested: Ingested,
        body: Option<String>,
        options: PutOptions,
    ) -> StoreResult<PutOutcome> {
        debug_assert_eq!(scope.tenant, self.tenant);
        let (tx, tenant) = (self.tx, self.tenant);
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
        let decision = decide_with_body(scope, ingested, body, options, existing.as_ref())?;
        let (document, body) = match decision {
            Decision::Unchanged { revision } => return Ok(PutOutcome::Unchanged { revision }),
            Decision::Write { document, body } => (document, body),
        };

        match &existing {
            Some(old) => self.supersede(kind, &id, old.revision, Some(&old.body))?,
            None => self.supersede_from(
                "SELECT tenant, revision, kind, id, NULL FROM tombstones
                 WHERE tenant = ?1 AND kind = ?2 AND id = ?3 AND revision > ?4",
                kind.code(),
                &id,
            )?,
        }
        let revision = self.next_revision()?;
        tx.prepare_cached(
            "INSERT INTO documents
                 (tenant, kind, id, customer_id, updated_at, revision, body, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (tenant, kind, id) DO UPDATE SET
                 customer_id = excluded.customer_id, updated_at = excluded.updated_at,
                 revision = excluded.revision, body = excluded.body,
                 created_at = excluded.created_at",
        )
        .and_then(|mut stmt| {
            stmt.execute(params![
                tenant,
                kind.code(),
                id,
                document.customer_id,
                document.updated_at.unix(),
                revision,
                body,
                document.created_at.unix()
            ])
        })
        .map_err(StoreError::backend)?;
        // Links are written with their child and deleted with it: a document that was not
        // stored has no link rows to read. A document created again is a new document: its
        // tombstone goes.
        self.relink(kind, &id, existing.is_some(), &link_rows(&document))?;
        self.reterm(&document, existing.is_some())?;
        if existing.is_none() {
            tx.prepare_cached("DELETE FROM tombstones WHERE tenant = ?1 AND kind = ?2 AND id = ?3")
                .and_then(|mut stmt| stmt.execute(params![tenant, kind.code(), id]))
                .map_err(StoreError::backend)?;
        }

        Ok(match existing {
            Some(_) => PutOutcome::Replaced { revision },
            None => PutOutcome::Created { revision },
        })
    }

    /// Deletes one document of the writer's tenant, leaving a tombstone; returns its revision.
    pub(crate) fn delete(
        &mut self,
        scope: Scope<'_>,
        kind: Kind,
        id: &str,
        precondition: Precondition,
    ) -> StoreResult<i64> {
        debug_assert_eq!(scope.tenant, self.tenant);
        let (tx, tenant) = (self.tx, self.tenant);
        let existing: Option<(i64, String)> = tx
            .prepare_cached(
                "SELECT revision, customer_id FROM documents
                 WHERE tenant = ?1 AND kind = ?2 AND id = ?3",
            )
            .and_then(|mut stmt| {
                stmt.query_row(params![tenant, kind.code(), id], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })
                .optional()
            })
            .map_err(StoreError::backend)?;
        check_delete(
            scope,
            precondition,
            existing.as_ref().map(|(r, c)| (*r, c.as_str())),
        )?;
        self.supersede_from(
            "SELECT tenant, revision, kind, id, body FROM documents
             WHERE tenant = ?1 AND kind = ?2 AND id = ?3 AND revision > ?4",
            kind.code(),
            id,
        )?;
        tx.prepare_cached("DELETE FROM documents WHERE tenant = ?1 AND kind = ?2 AND id = ?3")
            .and_then(|mut stmt| stmt.execute(params![tenant, kind.code(), id]))
            .map_err(StoreError::backend)?;
        // Its parents lose it from their lists; its children's links to it dangle, as the
        // links of a child that arrives before its parent do.
        self.relink(kind, id, true, &[])?;
        // A tombstone left by an earlier deletion is replaced too.
        self.supersede_from(
            "SELECT tenant, revision, kind, id, NULL FROM tombstones
             WHERE tenant = ?1 AND kind = ?2 AND id = ?3 AND revision > ?4",
            kind.code(),
            id,
        )?;
        self.unterm(kind, id)?;
        let revision = self.next_revision()?;
        tx.prepare_cached(
            "INSERT INTO tombstones (tenant, kind, id, revision) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (tenant, kind, id) DO UPDATE SET revision = excluded.revision",
        )
        .and_then(|mut stmt| stmt.execute(params![tenant, kind.code(), id, revision]))
        .map_err(StoreError::backend)?;
        Ok(revision)
    }

    /// Writes the tenant's counter back, if revisions were handed out.
    pub(crate) fn finish(self) -> StoreResult<()> {
        let Some(revision) = self.revision.filter(|_| self.ahead) else {
            return Ok(());
        };
        self.tx
            .prepare_cached(
                "INSERT INTO tenants (tenant, revision) VALUES (?1, ?2)
                 ON CONFLICT (tenant) DO UPDATE SET revision = excluded.revision",
            )
            .and_then(|mut stmt| stmt.execute(params![self.tenant, revision]))
            .map_err(StoreError::backend)?;
        Ok(())
    }

    /// The lowest position of the tenant's relays, read once per transaction.
    fn floor(&mut self) -> StoreResult<Option<i64>> {
        if let Some(floor) = self.floor {
            return Ok(floor);
        }
        let floor = self
            .tx
            .prepare_cached(crate::events::SQLITE_RELAY_FLOOR)
            .and_then(|mut stmt| stmt.query_row([self.tenant], |row| row.get(0)))
            .map_err(StoreError::backend)?;
        self.floor = Some(floor);
        Ok(floor)
    }

    /// Keeps a revision about to be replaced (`body` None: a tombstone) for the relays that
    /// have not passed it yet.
    fn supersede(
        &mut self,
        kind: Kind,
        id: &str,
        revision: i64,
        body: Option<&str>,
    ) -> StoreResult<()> {
        if self.floor()?.is_none_or(|floor| revision <= floor) {
            return Ok(());
        }
        self.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO superseded (tenant, revision, kind, id, body)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![self.tenant, revision, kind.code(), id, body])
            })
            .map_err(StoreError::backend)?;
        Ok(())
    }

    /// `supersede` of the row `select` finds (its ?4 is the relays' floor), if any.
    fn supersede_from(&mut self, select: &str, kind: i64, id: &str) -> StoreResult<()> {
        let Some(floor) = self.floor()? else {
            return Ok(());
        };
        self.tx
            .prepare_cached(&format!(
                "INSERT OR IGNORE INTO superseded (tenant, revision, kind, id, body) {select}"
            ))
            .and_then(|mut stmt| stmt.execute(params![self.tenant, kind, id, floor]))
            .map_err(StoreError::backend)?;
        Ok(())
    }

    /// Allocates the tenant's next revision.
    fn next_revision(&mut self) -> StoreResult<i64> {
        let last = match self.revision {
            Some(last) => last,
            None => self
                .tx
                .prepare_cached("SELECT revision FROM tenants WHERE tenant = ?1")
                .and_then(|mut stmt| stmt.query_row([self.tenant], |row| row.get(0)).optional())
                .map_err(StoreError::backend)?
                .unwrap_or(0),
        };
        self.revision = Some(last + 1);
        self.ahead = true;
        Ok(last + 1)
    }

    /// Replaces a child's link rows when they changed, and gives each parent whose derived
    /// lists changed a new revision: its rendering changed, so its ETag and the change feed
    /// must. `stored` says whether the child was stored before this write.
    fn relink(
        &mut self,
        kind: Kind,
        id: &str,
        stored: bool,
        new_links: &[LinkRow],
    ) -> StoreResult<()> {
        let (tx, tenant) = (self.tx, self.tenant);
        let mut old_links: Vec<LinkRow> = Vec::new();
        if stored {
            old_links = tx
                .prepare_cached(
                    // Without statistics SQLite prefers the primary key's `tenant` prefix
                    // here, a scan of the tenant's links per write; the plan must not depend
                    // on luck.
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
        }
        let parents = touched_parents(kind, &old_links, new_links);
        if parents.is_empty() {
            return Ok(());
        }
        if !old_links.is_empty() {
            tx.prepare_cached(
                "DELETE FROM links INDEXED BY links_by_child
                 WHERE tenant = ?1 AND child_kind = ?2 AND child_id = ?3",
            )
            .and_then(|mut stmt| stmt.execute(params![tenant, kind.code(), id]))
            .map_err(StoreError::backend)?;
        }
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
        for (parent_kind, parent_id, customer) in parents {
            self.bump(parent_kind, &parent_id, customer.as_deref())?;
        }
        Ok(())
    }

    /// Writes the filter index entries of a stored document (see `filtered`), replacing those
    /// of the document it replaces (`stored`): its terms, customer or `updatedAt` may differ.
    fn reterm(&self, document: &Document, stored: bool) -> StoreResult<()> {
        if stored {
            self.unterm(document.kind, &document.id)?;
        }
        let mut insert = self
            .tx
            .prepare_cached(
                "INSERT INTO doc_terms (tenant, kind, field, value, updated_at, id, customer_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .map_err(StoreError::backend)?;
        for (term, value) in document.terms() {
            insert
                .execute(params![
                    self.tenant,
                    document.kind.code(),
                    term.code(),
                    value,
                    document.updated_at.unix(),
                    document.id,
                    document.customer_id
                ])
                .map_err(StoreError::backend)?;
        }
        Ok(())
    }

    /// Deletes the filter index entries of one document.
    fn unterm(&self, kind: Kind, id: &str) -> StoreResult<()> {
        self.tx
            .prepare_cached(
                "DELETE FROM doc_terms INDEXED BY doc_terms_by_document
                 WHERE tenant = ?1 AND kind = ?2 AND id = ?3",
            )
            .and_then(|mut stmt| stmt.execute(params![self.tenant, kind.code(), id]))
            .map_err(StoreError::backend)?;
        Ok(())
    }

    /// A new revision for a stored parent of `customer`; a parent not stored yet gets one
    /// when it arrives, and another customer's parent does not list the child at all.
    fn bump(&mut self, kind: i64, id: &str, customer: Option<&str>) -> StoreResult<()> {
        let (tx, tenant) = (self.tx, self.tenant);
        let exists: bool = tx
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM documents
                                WHERE tenant = ?1 AND kind = ?2 AND id = ?3
                                  AND (?4 IS NULL OR customer_id = ?4))",
            )
            .and_then(|mut stmt| {
                stmt.query_row(params![tenant, kind, id, customer], |row| row.get(0))
            })
            .map_err(StoreError::backend)?;
        if exists {
            self.supersede_from(
                "SELECT tenant, revision, kind, id, body FROM documents
                 WHERE tenant = ?1 AND kind = ?2 AND id = ?3 AND revision > ?4",
                kind,
                id,
            )?;
            let revision = self.next_revision()?;
            tx.prepare_cached(
                "UPDATE documents SET revision = ?4 WHERE tenant = ?1 AND kind = ?2 AND id = ?3",
            )
            .and_then(|mut stmt| stmt.execute(params![tenant, kind, id, revision]))
            .map_err(StoreError::backend)?;
        }
        Ok(())
    }
}

/// Deletes every document of a customer and revokes the keys limited to it, inside `tx`.
pub(crate) fn erase_customer(
    tx: &Transaction<'_>,
    tenant: &str,
    customer_id: &str,
) -> StoreResult<Erased> {
    let docs: Vec<(i64, String)> = tx
        .prepare_cached(
            "SELECT kind, id FROM documents WHERE tenant = ?1 AND customer_id = ?2
             ORDER BY kind, id",
        )
        .and_then(|mut stmt| {
            stmt.query_map(params![tenant, customer_id], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?
            .collect()
        })
        .map_err(StoreError::backend)?;
    let mut writer = Writer::new(tx, tenant);
    for (code, id) in &docs {
        let kind = Kind::from_code(*code)
            .ok_or_else(|| StoreError::Backend(format!("unknown kind code {code}").into()))?;
        writer.delete(Scope::tenant(tenant), kind, id, Precondition::None)?;
    }
    writer.finish()?;
    let keys = tx
        .prepare_cached(
            "UPDATE api_keys SET revoked = 1
             WHERE tenant = ?1 AND customer_id = ?2 AND revoked = 0",
        )
        .and_then(|mut stmt| stmt.execute(params![tenant, customer_id]))
        .map_err(StoreError::backend)?;
    Ok(Erased {
        documents: docs.len() as u64,
        keys: keys as u64,
    })
}
