//! PostgreSQL writes, set-based: a batch costs a handful of statements, whatever its size.
//!
//! Statements are planned at each execution, not prepared once: a plan cached while the
//! tables were small (or never analysed, as with autovacuum off) would scan whole tables per
//! batch once they are large, and an import would slow down as it goes.
//!
//! Each transaction first locks its tenant's revision counter row, so a tenant's writers take
//! turns and revisions become visible in order: a reader paging by revision never misses a
//! document committed after it read.

use std::collections::{HashMap, HashSet};

use deadpool_postgres::Transaction;
use ordo_model::{Document, Ingested, Kind};

use super::read::code;
use super::{CHANGES_CHANNEL, pg_error};
use crate::put::{
    Decision, Existing, LinkRow, TouchedParent, check_delete, decide, link_rows, touched_parents,
};
use crate::{Erased, Precondition, PutOptions, PutOutcome, Scope, StoreResult};

/// Stores `items` in order inside `tx`; the caller commits.
pub(crate) async fn put_all(
    tx: &Transaction<'_>,
    scope: Scope<'_>,
    items: Vec<(Ingested, PutOptions)>,
) -> StoreResult<Vec<PutOutcome>> {
    let mut counter = lock_counter(tx, scope.tenant).await?;
    let start = counter;
    let floor = relay_floor(tx, scope.tenant).await?;
    let mut outcomes = Vec::with_capacity(items.len());
    for chunk in without_repeats(items) {
        outcomes.extend(put_chunk(tx, scope, chunk, &mut counter, floor).await?);
    }
    save_counter(tx, scope.tenant, start, counter).await?;
    Ok(outcomes)
}

/// Locks the tenant's revision counter row until the transaction ends, and reads it.
async fn lock_counter(tx: &Transaction<'_>, tenant: &str) -> StoreResult<i64> {
    Ok(tx
        .query_one(
            "INSERT INTO tenants (tenant, revision) VALUES ($1, 0)
             ON CONFLICT (tenant) DO UPDATE SET revision = tenants.revision
             RETURNING revision",
            &[&tenant],
        )
        .await
        .map_err(pg_error)?
        .get(0))
}

/// The lowest position of the tenant's relays (None: it has none), read once per transaction
/// after the counter lock: a revision replaced above it is kept in `superseded`.
async fn relay_floor(tx: &Transaction<'_>, tenant: &str) -> StoreResult<Option<i64>> {
    Ok(tx
        .query_one(crate::events::PG_RELAY_FLOOR, &[&tenant])
        .await
        .map_err(pg_error)?
        .get(0))
}

/// Writes the counter back when revisions were handed out, and queues a notification that
/// PostgreSQL delivers to every listening instance when (and only if) the transaction
/// commits: change feed readers waiting there read again.
async fn save_counter(
    tx: &Transaction<'_>,
    tenant: &str,
    start: i64,
    counter: i64,
) -> StoreResult<()> {
    if counter == start {
        return Ok(());
    }
    tx.execute(
        "UPDATE tenants SET revision = $2 WHERE tenant = $1",
        &[&tenant, &counter],
    )
    .await
    .map_err(pg_error)?;
    tx.execute("SELECT pg_notify($1, $2)", &[&CHANGES_CHANNEL, &tenant])
        .await
        .map_err(pg_error)?;
    Ok(())
}

/// Deletes one document inside `tx` under the tenant's counter lock (so that its tombstone's
/// revision becomes visible in order, as a put's does); the caller commits.
pub(crate) async fn delete(
    tx: &Transaction<'_>,
    scope: Scope<'_>,
    kind: Kind,
    id: &str,
    precondition: Precondition,
) -> StoreResult<i64> {
    let mut counter = lock_counter(tx, scope.tenant).await?;
    let start = counter;
    let floor = relay_floor(tx, scope.tenant).await?;
    let revision = delete_one(tx, scope, kind, id, precondition, &mut counter, floor).await?;
    save_counter(tx, scope.tenant, start, counter).await?;
    Ok(revision)
}

/// Deletes every document of a customer and revokes the keys limited to it, inside `tx`.
pub(crate) async fn erase_customer(
    tx: &Transaction<'_>,
    tenant: &str,
    customer_id: &str,
) -> StoreResult<Erased> {
    let mut counter = lock_counter(tx, tenant).await?;
    let start = counter;
    let floor = relay_floor(tx, tenant).await?;
    let docs = tx
        .query(
            "SELECT kind, id FROM documents WHERE tenant = $1 AND customer_id = $2
             ORDER BY kind, id",
            &[&tenant, &customer_id],
        )
        .await
        .map_err(pg_error)?;
    for row in &docs {
        let kind = super::read::kind_of(row.get(0))?;
        let id: &str = row.get(1);
        delete_one(
            tx,
            Scope::tenant(tenant),
            kind,
            id,
            Precondition::None,
            &mut counter,
            floor,
        )
        .await?;
    }
    save_counter(tx, tenant, start, counter).await?;
    let keys = tx
        .execute(
            "UPDATE api_keys SET revoked = TRUE
             WHERE tenant = $1 AND customer_id = $2 AND NOT revoked",
            &[&tenant, &customer_id],
        )
        .await
        .map_err(pg_error)?;
    Ok(Erased {
        documents: docs.len() as u64,
        keys,
    })
}

async fn delete_one(
    tx: &Transaction<'_>,
    scope: Scope<'_>,
    kind: Kind,
    id: &str,
    precondition: Precondition,
    counter: &mut i64,
    floor: Option<i64>,
) -> StoreResult<i64> {
    let tenant = scope.tenant;
    // The deleted row is kept for the relays that have not passed its revision (a NULL
    // floor keeps nothing).
    let existing = tx
        .query_opt(
            "WITH gone AS (
                 DELETE FROM documents WHERE tenant = $1 AND kind = $2 AND id = $3
                 RETURNING revision, customer_id, body),
             kept AS (
                 INSERT INTO superseded (tenant, revision, kind, id, body)
                 SELECT $1, revision, $2, $3, body FROM gone WHERE revision > $4
                 ON CONFLICT DO NOTHING)
             SELECT revision, customer_id FROM gone",
            &[&tenant, &code(kind), &id, &floor],
        )
        .await
        .map_err(pg_error)?
        .map(|row| (row.get::<_, i64>(0), row.get::<_, String>(1)));
    // A failed check returns an error, and the caller's transaction rolls the DELETE back.
    check_delete(
        scope,
        precondition,
        existing.as_ref().map(|(r, c)| (*r, c.as_str())),
    )?;
    let old: Vec<LinkRow> = tx
        .query(
            "DELETE FROM links WHERE tenant = $1 AND child_kind = $2 AND child_id = $3
             RETURNING parent_kind, parent_id, child_customer, child_created_at",
            &[&tenant, &code(kind), &id],
        )
        .await
        .map_err(pg_error)?
        .into_iter()
        .map(|row| {
            let parent_kind: i16 = row.get(0);
            (i64::from(parent_kind), row.get(1), row.get(2), row.get(3))
        })
        .collect();
    let mut old = old;
    old.sort();
    tx.execute(
        "DELETE FROM doc_terms WHERE tenant = $1 AND kind = $2 AND id = $3",
        &[&tenant, &code(kind), &id],
    )
    .await
    .map_err(pg_error)?;
    // Its parents lose it from their lists; its children's links to it dangle, as the links
    // of a child that arrives before its parent do.
    let parents = touched_parents(kind, &old, &[]);
    if !parents.is_empty() {
        bump(tx, tenant, parents, counter, floor).await?;
    }
    *counter += 1;
    let revision = *counter;
    // A tombstone left by an earlier deletion is replaced too.
    tx.execute(
        "WITH old AS (
             SELECT revision FROM tombstones WHERE tenant = $1 AND kind = $2 AND id = $3),
         kept AS (
             INSERT INTO superseded (tenant, revision, kind, id, body)
             SELECT $1, revision, $2, $3, NULL FROM old WHERE revision > $5
             ON CONFLICT DO NOTHING)
         INSERT INTO tombstones (tenant, kind, id, revision) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant, kind, id) DO UPDATE SET revision = excluded.revision",
        &[&tenant, &code(kind), &id, &revision, &floor],
    )
    .await
    .map_err(pg_error)?;
    Ok(revision)
}

/// Removes the tombstones of documents created again: each is a new document now.
async fn drop_tombstones(
    tx: &Transaction<'_>,
    tenant: &str,
    created: &[(i16, &str)],
    floor: Option<i64>,
) -> StoreResult<()> {
    if created.is_empty() {
        return Ok(());
    }
    let (kinds, ids): (Vec<i16>, Vec<&str>) = created.iter().copied().unzip();
    tx.execute(
        "WITH gone AS (
             DELETE FROM tombstones t USING unnest($2::smallint[], $3::text[]) AS c(kind, id)
             WHERE t.tenant = $1 AND t.kind = c.kind AND t.id = c.id
             RETURNING t.revision, t.kind, t.id)
         INSERT INTO superseded (tenant, revision, kind, id, body)
         SELECT $1, revision, kind, id, NULL FROM gone WHERE revision > $4
         ON CONFLICT DO NOTHING",
        &[&tenant, &kinds, &ids, &floor],
    )
    .await
    .map_err(pg_error)?;
    Ok(())
}

/// Splits `items` into runs in which no document appears twice: one statement may not
/// upsert the same row twice.
fn without_repeats(items: Vec<(Ingested, PutOptions)>) -> Vec<Vec<(Ingested, PutOptions)>> {
    let mut chunks = vec![Vec::new()];
    let mut seen = HashSet::new();
    for item in items {
        let key = (item.0.document.kind, item.0.document.id.clone());
        if !seen.insert(key.clone()) {
            chunks.push(Vec::new());
            seen.clear();
            seen.insert(key);
        }
        chunks.last_mut().expect("never empty").push(item);
    }
    chunks
}

struct Written {
    document: Document,
    body: String,
    revision: i64,
}

async fn put_chunk(
    tx: &Transaction<'_>,
    scope: Scope<'_>,
    items: Vec<(Ingested, PutOptions)>,
    counter: &mut i64,
    floor: Option<i64>,
) -> StoreResult<Vec<PutOutcome>> {
    let tenant = scope.tenant;
    let kinds: Vec<i16> = items.iter().map(|(i, _)| code(i.document.kind)).collect();
    let ids: Vec<&str> = items.iter().map(|(i, _)| i.document.id.as_str()).collect();
    let stmt = "SELECT d.kind, d.id, d.revision, d.customer_id, d.body FROM documents d
             JOIN unnest($2::smallint[], $3::text[]) AS k(kind, id)
               ON d.kind = k.kind AND d.id = k.id
             WHERE d.tenant = $1";
    let mut existing: HashMap<(i16, String), Existing> = tx
        .query(stmt, &[&tenant, &kinds, &ids])
        .await
        .map_err(pg_error)?
        .into_iter()
        .map(|row| {
            let key = (row.get::<_, i16>(0), row.get::<_, String>(1));
            (
                key,
                Existing {
                    revision: row.get(2),
                    customer_id: row.get(3),
                    body: row.get(4),
                },
            )
        })
        .collect();

    let mut outcomes = Vec::with_capacity(items.len());
    let mut written = Vec::new();
    let mut created = Vec::new();
    for (ingested, options) in items {
        let key = (code(ingested.document.kind), ingested.document.id.clone());
        let before = existing.remove(&key);
        match decide(scope, ingested, options, before.as_ref())? {
            Decision::Unchanged { revision } => outcomes.push(PutOutcome::Unchanged { revision }),
            Decision::Write { document, body } => {
                *counter += 1;
                let revision = *counter;
                if before.is_none() {
                    created.push(written.len());
                }
                outcomes.push(match before {
                    Some(_) => PutOutcome::Replaced { revision },
                    None => PutOutcome::Created { revision },
                });
                written.push(Written {
                    document: *document,
                    body,
                    revision,
                });
            }
        }
    }
    if written.is_empty() {
        return Ok(outcomes);
    }
    upsert(tx, tenant, &written, floor).await?;
    let created: Vec<(i16, &str)> = created
        .iter()
        .map(|&i| {
            (
                code(written[i].document.kind),
                written[i].document.id.as_str(),
            )
        })
        .collect();
    drop_tombstones(tx, tenant, &created, floor).await?;
    reterm(tx, tenant, &written, created.len()).await?;
    relink(tx, tenant, &written, counter, floor).await?;
    Ok(outcomes)
}

/// Upserts the written documents; the rows they replace are kept for the relays that have not
/// passed their revisions (the statement's snapshot shows the rows as they were before it).
async fn upsert(
    tx: &Transaction<'_>,
    tenant: &str,
    written: &[Written],
    floor: Option<i64>,
) -> StoreResult<()> {
    let kinds: Vec<i16> = written.iter().map(|w| code(w.document.kind)).collect();
    let ids: Vec<&str> = written.iter().map(|w| w.document.id.as_str()).collect();
    let customers: Vec<&str> = written
        .iter()
        .map(|w| w.document.customer_id.as_str())
        .collect();
    let updated: Vec<i64> = written
        .iter()
        .map(|w| w.document.updated_at.unix())
        .collect();
    let revisions: Vec<i64> = written.iter().map(|w| w.revision).collect();
    let bodies: Vec<&str> = written.iter().map(|w| w.body.as_str()).collect();
    let created: Vec<i64> = written
        .iter()
        .map(|w| w.document.created_at.unix())
        .collect();
    let stmt = "WITH kept AS (
                 INSERT INTO superseded (tenant, revision, kind, id, body)
                 SELECT d.tenant, d.revision, d.kind, d.id, d.body
                   FROM documents d JOIN unnest($2::smallint[], $3::text[]) AS k(kind, id)
                     ON d.kind = k.kind AND d.id = k.id
                  WHERE d.tenant = $1 AND d.revision > $9
                 ON CONFLICT DO NOTHING)
             INSERT INTO documents
                 (tenant, kind, id, customer_id, updated_at, revision, body, created_at)
             SELECT $1, * FROM unnest($2::smallint[], $3::text[], $4::text[], $5::bigint[],
                                      $6::bigint[], $7::text[], $8::bigint[])
             ON CONFLICT (tenant, kind, id) DO UPDATE SET
                 customer_id = excluded.customer_id, updated_at = excluded.updated_at,
                 revision = excluded.revision, body = excluded.body,
                 created_at = excluded.created_at";
    tx.execute(
        stmt,
        &[
            &tenant, &kinds, &ids, &customers, &updated, &revisions, &bodies, &created, &floor,
        ],
    )
    .await
    .map_err(pg_error)?;
    Ok(())
}

/// Replaces the filter index entries of the written documents (see `filtered`): their terms,
/// customer or `updatedAt` may have changed. `created` of them replaced no row, so have no
/// entries to delete (a delete removes a document's entries with it): an import of new
/// documents deletes nothing. (Deleting for them made an import of S into PostgreSQL run at
/// 550-870 documents a second: the planner joined each batch's keys to a scan of the
/// tenant's entries, so the import was quadratic.)
async fn reterm(
    tx: &Transaction<'_>,
    tenant: &str,
    written: &[Written],
    created: usize,
) -> StoreResult<()> {
    if created < written.len() {
        let kinds: Vec<i16> = written.iter().map(|w| code(w.document.kind)).collect();
        let ids: Vec<&str> = written.iter().map(|w| w.document.id.as_str()).collect();
        tx.execute(
            "DELETE FROM doc_terms t USING unnest($2::smallint[], $3::text[]) AS c(kind, id)
             WHERE t.tenant = $1 AND t.kind = c.kind AND t.id = c.id",
            &[&tenant, &kinds, &ids],
        )
        .await
        .map_err(pg_error)?;
    }
    let rows: Vec<(i16, i16, &str, i64, &str, &str)> = written
        .iter()
        .flat_map(|w| {
            let d = &w.document;
            d.terms().into_iter().map(move |(term, value)| {
                let field = i16::try_from(term.code()).expect("term codes are small");
                (
                    code(d.kind),
                    field,
                    value,
                    d.updated_at.unix(),
                    &*d.id,
                    &*d.customer_id,
                )
            })
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    let kinds: Vec<i16> = rows.iter().map(|r| r.0).collect();
    let fields: Vec<i16> = rows.iter().map(|r| r.1).collect();
    let values: Vec<&str> = rows.iter().map(|r| r.2).collect();
    let updated: Vec<i64> = rows.iter().map(|r| r.3).collect();
    let ids: Vec<&str> = rows.iter().map(|r| r.4).collect();
    let customers: Vec<&str> = rows.iter().map(|r| r.5).collect();
    tx.execute(
        "INSERT INTO doc_terms (tenant, kind, field, value, updated_at, id, customer_id)
         SELECT $1, * FROM unnest($2::smallint[], $3::smallint[], $4::text[], $5::bigint[],
                                  $6::text[], $7::text[])",
        &[
            &tenant, &kinds, &fields, &values, &updated, &ids, &customers,
        ],
    )
    .await
    .map_err(pg_error)?;
    Ok(())
}

/// Replaces the link rows of the children whose links changed, and gives every parent whose
/// derived lists changed a new revision.
async fn relink(
    tx: &Transaction<'_>,
    tenant: &str,
    written: &[Written],
    counter: &mut i64,
    floor: Option<i64>,
) -> StoreResult<()> {
    let kinds: Vec<i16> = written.iter().map(|w| code(w.document.kind)).collect();
    let ids: Vec<&str> = written.iter().map(|w| w.document.id.as_str()).collect();
    let stmt = "SELECT l.child_kind, l.child_id, l.parent_kind, l.parent_id, l.child_customer,
                    l.child_created_at
             FROM links l JOIN unnest($2::smallint[], $3::text[]) AS c(kind, id)
               ON l.child_kind = c.kind AND l.child_id = c.id
             WHERE l.tenant = $1";
    let mut old: HashMap<(i16, String), Vec<LinkRow>> = HashMap::new();
    for row in tx
        .query(stmt, &[&tenant, &kinds, &ids])
        .await
        .map_err(pg_error)?
    {
        let key = (row.get::<_, i16>(0), row.get::<_, String>(1));
        let parent_kind: i16 = row.get(2);
        old.entry(key).or_default().push((
            i64::from(parent_kind),
            row.get(3),
            row.get(4),
            row.get(5),
        ));
    }

    let mut changed: Vec<(i16, &str)> = Vec::new();
    let mut inserts: Vec<(i16, &str, LinkRow)> = Vec::new();
    let mut parents: Vec<TouchedParent> = Vec::new();
    for w in written {
        let key = (code(w.document.kind), w.document.id.clone());
        let mut before = old.remove(&key).unwrap_or_default();
        before.sort();
        let after = link_rows(&w.document);
        let touched = touched_parents(w.document.kind, &before, &after);
        if touched.is_empty() {
            continue;
        }
        changed.push((key.0, w.document.id.as_str()));
        inserts.extend(
            after
                .into_iter()
                .map(|row| (key.0, w.document.id.as_str(), row)),
        );
        parents.extend(touched);
    }
    if changed.is_empty() {
        return Ok(());
    }

    let (child_kinds, child_ids): (Vec<i16>, Vec<&str>) = changed.into_iter().unzip();
    let stmt = "DELETE FROM links l USING unnest($2::smallint[], $3::text[]) AS c(kind, id)
             WHERE l.tenant = $1 AND l.child_kind = c.kind AND l.child_id = c.id";
    tx.execute(stmt, &[&tenant, &child_kinds, &child_ids])
        .await
        .map_err(pg_error)?;

    if !inserts.is_empty() {
        let parent_kinds: Vec<i16> = inserts
            .iter()
            .map(|(_, _, r)| i16::try_from(r.0).expect("kind codes are small"))
            .collect();
        let parent_ids: Vec<&str> = inserts.iter().map(|(_, _, r)| r.1.as_str()).collect();
        let kinds: Vec<i16> = inserts.iter().map(|(k, _, _)| *k).collect();
        let ids: Vec<&str> = inserts.iter().map(|(_, id, _)| *id).collect();
        let customers: Vec<&str> = inserts.iter().map(|(_, _, r)| r.2.as_str()).collect();
        let created: Vec<i64> = inserts.iter().map(|(_, _, r)| r.3).collect();
        let stmt = "INSERT INTO links (tenant, parent_kind, parent_id, child_kind, child_id,
                                    child_customer, child_created_at)
                 SELECT $1, * FROM unnest($2::smallint[], $3::text[], $4::smallint[],
                                          $5::text[], $6::text[], $7::bigint[])";
        tx.execute(
            stmt,
            &[
                &tenant,
                &parent_kinds,
                &parent_ids,
                &kinds,
                &ids,
                &customers,
                &created,
            ],
        )
        .await
        .map_err(pg_error)?;
    }

    bump(tx, tenant, parents, counter, floor).await
}

/// Gives every stored parent of `parents` a new revision, numbered on from the counter
/// without holes (a parent not stored yet, or of another customer than the child, gets
/// none), keeping each replaced revision for the relays that have not passed it.
async fn bump(
    tx: &Transaction<'_>,
    tenant: &str,
    mut parents: Vec<TouchedParent>,
    counter: &mut i64,
    floor: Option<i64>,
) -> StoreResult<()> {
    parents.sort();
    parents.dedup();
    let parent_kinds: Vec<i16> = parents
        .iter()
        .map(|(k, _, _)| i16::try_from(*k).expect("kind codes are small"))
        .collect();
    let parent_ids: Vec<&str> = parents.iter().map(|(_, id, _)| id.as_str()).collect();
    let customers: Vec<Option<&str>> = parents.iter().map(|(_, _, c)| c.as_deref()).collect();
    let stmt = "WITH found AS (
                 SELECT DISTINCT d.kind, d.id, d.revision, d.body
                   FROM unnest($2::smallint[], $3::text[], $4::text[]) AS p(kind, id, customer)
                   JOIN documents d
                     ON d.tenant = $1 AND d.kind = p.kind AND d.id = p.id
                    AND (p.customer IS NULL OR d.customer_id = p.customer)),
             numbered AS (
                 SELECT kind, id, revision, body,
                        row_number() OVER (ORDER BY kind, id) AS n FROM found),
             kept AS (
                 INSERT INTO superseded (tenant, revision, kind, id, body)
                 SELECT $1, revision, kind, id, body FROM numbered WHERE revision > $6
                 ON CONFLICT DO NOTHING)
             UPDATE documents d SET revision = $5 + p.n
               FROM numbered p
              WHERE d.tenant = $1 AND d.kind = p.kind AND d.id = p.id";
    let bumped = tx
        .execute(
            stmt,
            &[
                &tenant,
                &parent_kinds,
                &parent_ids,
                &customers,
                &*counter,
                &floor,
            ],
        )
        .await
        .map_err(pg_error)?;
    *counter += i64::try_from(bumped).expect("few parents");
    Ok(())
}
