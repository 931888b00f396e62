//! SQLite reads: documents by id, list windows, a customer's documents, the change feed.

use ordo_model::{Kind, ListQuery, Timestamp};
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::anchors::{Anchors, Mark, STEP, Start, Window, wanted};
use crate::assemble::{LinkHit, RawDoc, assemble, parents_by_kind};
use crate::batches::BATCH_DOCS;
use crate::filtered::{self, Dialect, Shape};
use crate::{Change, Scope, StoreError, StoreResult, StoredDoc, merge_changes};

type Raw = RawDoc;

fn raw(row: &Row<'_>) -> rusqlite::Result<Raw> {
    raw_at(row, 0)
}

/// A document from the columns `kind, id, revision, body` starting at column `first`.
fn raw_at(row: &Row<'_>, first: usize) -> rusqlite::Result<Raw> {
    let code: i64 = row.get(first)?;
    let kind =
        Kind::from_code(code).ok_or(rusqlite::Error::IntegralValueOutOfRange(first, code))?;
    Ok(Raw {
        kind,
        id: row.get(first + 1)?,
        revision: row.get(first + 2)?,
        body: row.get(first + 3)?,
    })
}

/// Runs `read` in one read transaction, after checking the scope's key: its statements see one
/// state of the database, and pay for SQLite's locks once instead of once a statement.
pub(crate) fn snapshot<T>(
    conn: &Connection,
    scope: Scope<'_>,
    read: impl FnOnce(&Connection) -> StoreResult<T>,
) -> StoreResult<T> {
    conn.prepare_cached("BEGIN")
        .and_then(|mut begin| begin.execute([]))
        .map_err(StoreError::backend)?;
    let result = check_key(conn, scope).and_then(|()| read(conn));
    // A read transaction has nothing to undo: COMMIT only releases its snapshot.
    conn.prepare_cached("COMMIT")
        .and_then(|mut commit| commit.execute([]))
        .map_err(StoreError::backend)?;
    result
}

fn check_key(conn: &Connection, scope: Scope<'_>) -> StoreResult<()> {
    let Some(key) = scope.key else {
        return Ok(());
    };
    let revoked: Option<bool> = conn
        .prepare_cached("SELECT revoked FROM api_keys WHERE id = ?1")
        .and_then(|mut stmt| stmt.query_row([key], |row| row.get(0)).optional())
        .map_err(StoreError::backend)?;
    match revoked {
        Some(false) => Ok(()),
        _ => Err(StoreError::KeyRevoked),
    }
}

/// One statement, so one implicit read transaction: the key's state, the document and its
/// children (as PostgreSQL's `get`). A get-by-id is mostly per-statement and per-transaction
/// overhead (docs/benchmarks.md), so BEGIN, three statements and COMMIT cost it more than
/// the lookups themselves.
pub(crate) fn get(
    conn: &Connection,
    scope: Scope<'_>,
    kind: Kind,
    id: &str,
) -> StoreResult<Option<StoredDoc>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT (SELECT revoked FROM api_keys WHERE id = ?5),
                    d.kind, d.id, d.revision, d.body,
                    (SELECT json_group_array(json_array(child_created_at, child_kind, child_id))
                     FROM links
                     WHERE tenant = ?1 AND parent_kind = ?2 AND parent_id = d.id
                       AND (?4 IS NULL OR child_customer = ?4)
                       AND (child_kind = 5 AND parent_kind = 2 -- Kind::links_across_customers
                            OR child_customer = d.customer_id))
             FROM (SELECT 1) AS one
             LEFT JOIN documents d ON d.tenant = ?1 AND d.kind = ?2 AND d.id = ?3
                 AND (?4 IS NULL OR d.customer_id = ?4)",
        )
        .map_err(StoreError::backend)?;
    let mut rows = stmt
        .query(params![
            scope.tenant,
            kind.code(),
            id,
            scope.customer,
            scope.key
        ])
        .map_err(StoreError::backend)?;
    let row = rows
        .next()
        .map_err(StoreError::backend)?
        .ok_or_else(|| StoreError::backend(std::io::Error::other("no row from a get")))?;
    let revoked: Option<bool> = row.get(0).map_err(StoreError::backend)?;
    if scope.key.is_some() && revoked != Some(false) {
        return Err(StoreError::KeyRevoked);
    }
    if row.get_ref(1).map_err(StoreError::backend)?.data_type() == rusqlite::types::Type::Null {
        return Ok(None);
    }
    let doc = raw_at(row, 1).map_err(StoreError::backend)?;
    let children: Option<String> = row.get(5).map_err(StoreError::backend)?;
    let mut children: Vec<(i64, i64, String)> = match children {
        Some(json) => serde_json::from_str(&json).map_err(StoreError::backend)?,
        None => Vec::new(),
    };
    // Sorted here rather than by the aggregate: an ORDER BY there costs a sorter a call.
    children.sort_unstable_by(|a, b| (a.0, &a.2).cmp(&(b.0, &b.2)));
    let hits = children
        .into_iter()
        .map(|(_, code, child_id)| {
            let child_kind = Kind::from_code(code).ok_or_else(|| {
                StoreError::backend(rusqlite::Error::IntegralValueOutOfRange(5, code))
            })?;
            Ok(LinkHit {
                parent_kind: doc.kind,
                parent_id: doc.id.clone(),
                child_kind,
                child_id,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(assemble(vec![doc], hits).pop())
}

/// The documents of `ids` (of one kind, in the scope), in that order, with derived links.
pub(crate) fn get_many(
    conn: &Connection,
    scope: Scope<'_>,
    kind: Kind,
    ids: &[String],
) -> StoreResult<Vec<StoredDoc>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT kind, id, revision, body FROM documents
             WHERE tenant = ?1 AND kind = ?2 AND id = ?3 AND (?4 IS NULL OR customer_id = ?4)",
        )
        .map_err(StoreError::backend)?;
    let mut rows = Vec::with_capacity(ids.len());
    for id in ids {
        let row = stmt
            .query_row(params![scope.tenant, kind.code(), id, scope.customer], raw)
            .optional()
            .map_err(StoreError::backend)?;
        rows.extend(row);
    }
    with_links(conn, scope, rows)
}

/// The keys of a customer's documents of one kind (from the customer index alone), then the
/// documents `pick` chooses among them.
pub(crate) fn customer_pick(
    conn: &Connection,
    scope: Scope<'_>,
    customer_id: &str,
    kind: Kind,
    pick: crate::Pick,
) -> StoreResult<crate::Picked> {
    snapshot(conn, scope, |conn| {
        let keys: Vec<crate::DocKey> = if scope.customer.is_some_and(|own| own != customer_id) {
            Vec::new()
        } else {
            let mut stmt = conn
                .prepare_cached(
                    "SELECT created_at, id FROM documents
                     WHERE tenant = ?1 AND customer_id = ?2 AND kind = ?3",
                )
                .map_err(StoreError::backend)?;
            stmt.query_map(params![scope.tenant, customer_id, kind.code()], |row| {
                Ok(crate::DocKey {
                    created_at: row.get(0)?,
                    id: row.get(1)?,
                })
            })
            .and_then(Iterator::collect)
            .map_err(StoreError::backend)?
        };
        let (chosen, total) = pick(&keys);
        let ids: Vec<String> = chosen
            .into_iter()
            .filter_map(|at| keys.get(at).map(|key| key.id.clone()))
            .collect();
        let docs = get_many(conn, scope, kind, &ids)?;
        Ok(crate::Picked {
            docs,
            total,
            all: keys.len(),
        })
    })
}

/// The `WHERE` and `ORDER BY` of a list window: `?1` tenant, `?2` kind, `?3`..`?4` the
/// `updatedAt` range, entries after the key `(?7, ?8)` (see `anchors`: it also stands for the
/// bound the order starts from, so that SQLite seeks to it), `?9` the customer; `?5` and `?6`
/// are left for `LIMIT` and `OFFSET`.
fn window_sql(newest: bool, by_customer: bool) -> String {
    let (dir, range) = if newest {
        ("DESC", "updated_at >= ?3 AND (updated_at, id) < (?7, ?8)")
    } else {
        ("ASC", "updated_at <= ?4 AND (updated_at, id) > (?7, ?8)")
    };
    let customer = if by_customer {
        "AND customer_id = ?9"
    } else {
        ""
    };
    format!(
        "WHERE tenant = ?1 {customer} AND kind = ?2 AND {range}
         ORDER BY updated_at {dir}, id {dir}"
    )
}

/// The list query of one direction and restriction. The inner select walks the covering
/// index to skip `offset` entries without reading bodies; the outer one fetches the page.
pub fn list_sql(newest: bool, by_customer: bool) -> String {
    let dir = if newest { "DESC" } else { "ASC" };
    let window = window_sql(newest, by_customer);
    format!(
        "SELECT d.kind, d.id, d.revision, d.body FROM documents d JOIN (
             SELECT rowid AS r FROM documents {window} LIMIT ?5 OFFSET ?6
         ) page ON d.rowid = page.r
         ORDER BY d.updated_at {dir}, d.id {dir}"
    )
}

/// The key of the entry `?6` entries into a window (`?5` is 1).
pub fn mark_sql(newest: bool, by_customer: bool) -> String {
    let window = window_sql(newest, by_customer);
    format!("SELECT updated_at, id FROM documents {window} LIMIT ?5 OFFSET ?6")
}

pub(crate) fn list(
    conn: &Connection,
    scope: Scope<'_>,
    kind: Kind,
    query: &ListQuery,
    anchors: &Anchors,
) -> StoreResult<Vec<StoredDoc>> {
    snapshot(conn, scope, |conn| {
        let Some(customer) =
            filtered::customer(scope.customer, query.filter.customer_id.as_deref())
        else {
            return Ok(Vec::new());
        };
        let window = Window::new(scope.tenant, customer, kind, query);
        let start = if query.offset < STEP {
            Start::origin(query)
        } else {
            deep_start(conn, &window, scope.tenant, customer, kind, query, anchors)?
        };
        let sql = if query.filter.terms().is_empty() {
            list_sql(query.newest, customer.is_some())
        } else {
            filtered::list_sql(Dialect::Sqlite, &Shape::of(query, customer.is_some()))
        };
        let at = At {
            tenant: scope.tenant,
            customer,
            kind,
            query,
        };
        let rows = window_rows(conn, &sql, &at, query.limit, &start, raw)?;
        // The links of the page are the caller's to see, whichever customer it asked for.
        with_links(conn, scope, rows)
    })
}

/// The window a list page is read from: the tenant's documents of `kind`, bounded to
/// `customer`, filtered and ordered by `query`.
struct At<'a> {
    tenant: &'a str,
    customer: Option<&'a str>,
    kind: Kind,
    query: &'a ListQuery,
}

/// Where a page at a deep offset starts: from a remembered key, or from a key found now and
/// remembered for the next page (see `anchors`).
fn deep_start(
    conn: &Connection,
    window: &Window,
    tenant: &str,
    customer: Option<&str>,
    kind: Kind,
    query: &ListQuery,
    anchors: &Anchors,
) -> StoreResult<Start> {
    // Not `coalesce(max(revision), 0)`: the wrapped aggregate reads every entry of the
    // tenant (0.5 ms on data set S) where this reads one.
    let revision: i64 = conn
        .prepare_cached(
            "SELECT revision FROM documents WHERE tenant = ?1 ORDER BY revision DESC LIMIT 1",
        )
        .and_then(|mut stmt| stmt.query_row([tenant], |row| row.get(0)).optional())
        .map_err(StoreError::backend)?
        .unwrap_or(0);
    let start = anchors.nearest(window, query, revision, query.offset);
    let Some(position) = wanted(query.offset, &start) else {
        return Ok(start);
    };
    let sql = if query.filter.terms().is_empty() {
        mark_sql(query.newest, customer.is_some())
    } else {
        filtered::keys_sql(Dialect::Sqlite, &Shape::of(query, customer.is_some()))
    };
    let query = ListQuery {
        offset: position - 1,
        ..query.clone()
    };
    let at = At {
        tenant,
        customer,
        kind,
        query: &query,
    };
    let found = window_rows(conn, &sql, &at, 1, &start, |row| {
        Ok(Mark {
            updated_at: row.get(0)?,
            id: row.get(1)?,
        })
    })?;
    // Past the window's end there is nothing to remember, and the page is empty anyway.
    let Some(mark) = found.into_iter().next() else {
        return Ok(start);
    };
    anchors.remember(window, revision, position, mark.clone());
    Ok(Start { position, mark })
}

/// Rows of a window query (`list_sql`, `mark_sql` or their `filtered` forms),
/// `at.query.offset` entries into the window as counted from its start, from `start` on.
fn window_rows<T>(
    conn: &Connection,
    sql: &str,
    at: &At<'_>,
    limit: u32,
    start: &Start,
    map: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> StoreResult<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql).map_err(StoreError::backend)?;
    let query = at.query;
    let from = query.from.map_or(i64::MIN, Timestamp::unix);
    let to = query.to.map_or(i64::MAX, Timestamp::unix);
    let offset = i64::try_from(query.offset - start.position).unwrap_or(i64::MAX);
    let kind = at.kind.code();
    // One value binds as text, several as a JSON array (see `filtered`).
    let values: Vec<String> = query
        .filter
        .terms()
        .iter()
        .map(|(_, values)| match &values[..] {
            [one] => Ok(one.clone()),
            several => serde_json::to_string(several),
        })
        .collect::<Result<_, _>>()
        .map_err(StoreError::backend)?;
    let mut bind: Vec<&dyn rusqlite::ToSql> = vec![
        &at.tenant,
        &kind,
        &from,
        &to,
        &limit,
        &offset,
        &start.mark.updated_at,
        &start.mark.id,
    ];
    if let Some(customer) = &at.customer {
        bind.push(customer);
    }
    bind.extend(values.iter().map(|v| v as &dyn rusqlite::ToSql));
    stmt.query_map(bind.as_slice(), map)
        .and_then(Iterator::collect)
        .map_err(StoreError::backend)
}

pub(crate) fn customer_documents(
    conn: &Connection,
    scope: Scope<'_>,
    customer_id: &str,
) -> StoreResult<Vec<StoredDoc>> {
    let mut all = Vec::new();
    customer_batches(conn, scope, customer_id, usize::MAX, |batch| {
        all.extend(batch);
        true
    })?;
    Ok(all)
}

/// A customer's documents of `kinds`, in that order, each oldest first, with derived links.
pub(crate) fn customer_documents_of(
    conn: &Connection,
    scope: Scope<'_>,
    customer_id: &str,
    kinds: &[Kind],
) -> StoreResult<Vec<StoredDoc>> {
    snapshot(conn, scope, |conn| {
        if scope.customer.is_some_and(|own| own != customer_id) {
            return Ok(Vec::new());
        }
        let mut stmt = conn
            .prepare_cached(
                "SELECT kind, id, revision, body FROM documents
                 WHERE tenant = ?1 AND customer_id = ?2 AND kind = ?3
                 ORDER BY updated_at, id",
            )
            .map_err(StoreError::backend)?;
        let mut rows: Vec<Raw> = Vec::new();
        for kind in kinds {
            let of_kind = stmt
                .query_map(params![scope.tenant, customer_id, kind.code()], raw)
                .map_err(StoreError::backend)?;
            for row in of_kind {
                rows.push(row.map_err(StoreError::backend)?);
            }
        }
        with_links(conn, scope, rows)
    })
}

/// A customer's documents, by kind, oldest first, in batches of about `batch_bytes` of
/// bodies (or `BATCH_DOCS` documents) from one snapshot, each with its derived links, until
/// `emit` returns false.
pub(crate) fn customer_batches(
    conn: &Connection,
    scope: Scope<'_>,
    customer_id: &str,
    batch_bytes: usize,
    mut emit: impl FnMut(Vec<StoredDoc>) -> bool,
) -> StoreResult<()> {
    snapshot(conn, scope, |conn| {
        if scope.customer.is_some_and(|own| own != customer_id) {
            return Ok(());
        }
        let mut stmt = conn
            .prepare_cached(
                "SELECT kind, id, revision, body FROM documents
                 WHERE tenant = ?1 AND customer_id = ?2
                 ORDER BY kind, updated_at, id",
            )
            .map_err(StoreError::backend)?;
        let mut rows = stmt
            .query(params![scope.tenant, customer_id])
            .map_err(StoreError::backend)?;
        let mut batch: Vec<Raw> = Vec::new();
        let mut bytes = 0;
        while let Some(row) = rows.next().map_err(StoreError::backend)? {
            let doc = raw(row).map_err(StoreError::backend)?;
            bytes += doc.body.len();
            batch.push(doc);
            if (bytes >= batch_bytes || batch.len() >= BATCH_DOCS)
                && !emit(with_links(conn, scope, std::mem::take(&mut batch))?)
            {
                return Ok(());
            }
            if batch.is_empty() {
                bytes = 0;
            }
        }
        if !batch.is_empty() {
            emit(with_links(conn, scope, batch)?);
        }
        Ok(())
    })
}

pub(crate) fn changes(
    conn: &Connection,
    tenant: &str,
    after: i64,
    limit: u32,
) -> StoreResult<Vec<StoredDoc>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT kind, id, revision, body FROM documents
             WHERE tenant = ?1 AND revision > ?2 ORDER BY revision LIMIT ?3",
        )
        .map_err(StoreError::backend)?;
    let rows: Vec<Raw> = stmt
        .query_map(params![tenant, after, limit], raw)
        .and_then(Iterator::collect)
        .map_err(StoreError::backend)?;
    with_links(conn, Scope::tenant(tenant), rows)
}

/// Documents and tombstones above `after`, in revision order, from one snapshot: the first
/// `limit` of each, merged, are the first `limit` of both.
pub(crate) fn feed(
    conn: &Connection,
    tenant: &str,
    after: i64,
    limit: u32,
) -> StoreResult<Vec<Change>> {
    snapshot(conn, Scope::tenant(tenant), |conn| {
        feed_rows(conn, tenant, after, limit)
    })
}

/// `feed` merged with the superseded revisions above `after`, from one snapshot: every
/// revision once, for the relays.
pub(crate) fn relay_feed(
    conn: &Connection,
    tenant: &str,
    after: i64,
    limit: u32,
) -> StoreResult<Vec<Change>> {
    snapshot(conn, Scope::tenant(tenant), |conn| {
        let current = feed_rows(conn, tenant, after, limit)?;
        let mut stmt = conn
            .prepare_cached(
                "SELECT kind, id, revision, body FROM superseded
                 WHERE tenant = ?1 AND revision > ?2 ORDER BY revision LIMIT ?3",
            )
            .map_err(StoreError::backend)?;
        let rows: Vec<(Kind, String, i64, Option<String>)> = stmt
            .query_map(params![tenant, after, limit], |row| {
                let code: i64 = row.get(0)?;
                let kind = Kind::from_code(code)
                    .ok_or(rusqlite::Error::IntegralValueOutOfRange(0, code))?;
                Ok((kind, row.get(1)?, row.get(2)?, row.get(3)?))
            })
            .and_then(Iterator::collect)
            .map_err(StoreError::backend)?;
        let (puts, gone) = crate::split_superseded(rows);
        let puts = with_links(conn, Scope::tenant(tenant), puts)?;
        Ok(crate::merge_superseded(current, puts, gone, limit))
    })
}

fn feed_rows(conn: &Connection, tenant: &str, after: i64, limit: u32) -> StoreResult<Vec<Change>> {
    {
        let docs = changes(conn, tenant, after, limit)?;
        let mut stmt = conn
            .prepare_cached(
                "SELECT kind, id, revision FROM tombstones
                 WHERE tenant = ?1 AND revision > ?2 ORDER BY revision LIMIT ?3",
            )
            .map_err(StoreError::backend)?;
        let gone: Vec<Change> = stmt
            .query_map(params![tenant, after, limit], |row| {
                let code: i64 = row.get(0)?;
                let kind = Kind::from_code(code)
                    .ok_or(rusqlite::Error::IntegralValueOutOfRange(0, code))?;
                Ok(Change::Delete {
                    kind,
                    id: row.get(1)?,
                    revision: row.get(2)?,
                })
            })
            .and_then(Iterator::collect)
            .map_err(StoreError::backend)?;
        Ok(merge_changes(docs, gone, limit))
    }
}

/// Fills the derived link lists of `rows`: one query per kind present (one for a list page).
fn with_links(conn: &Connection, scope: Scope<'_>, rows: Vec<Raw>) -> StoreResult<Vec<StoredDoc>> {
    let mut hits = Vec::new();
    for (kind, ids) in parents_by_kind(&rows) {
        if let [id] = ids[..] {
            hits.extend(links_of_one(conn, scope, kind, id)?);
            continue;
        }
        let ids_json = serde_json::to_string(&ids).map_err(StoreError::backend)?;
        let mut stmt = conn
            .prepare_cached(
                "SELECT parent_id, child_kind, child_id FROM links
                 WHERE tenant = ?1 AND parent_kind = ?2
                   AND parent_id IN (SELECT value FROM json_each(?3))
                   AND (?4 IS NULL OR child_customer = ?4)
                   AND (child_kind = 5 AND parent_kind = 2 -- Kind::links_across_customers
                        OR child_customer = (SELECT p.customer_id FROM documents p
                                             WHERE p.tenant = links.tenant
                                               AND p.kind = links.parent_kind
                                               AND p.id = links.parent_id))
                 ORDER BY parent_id, child_created_at, child_id",
            )
            .map_err(StoreError::backend)?;
        let found = stmt
            .query_map(
                params![scope.tenant, kind.code(), ids_json, scope.customer],
                |row| {
                    let code: i64 = row.get(1)?;
                    let child_kind = Kind::from_code(code)
                        .ok_or(rusqlite::Error::IntegralValueOutOfRange(1, code))?;
                    Ok(LinkHit {
                        parent_kind: kind,
                        parent_id: row.get(0)?,
                        child_kind,
                        child_id: row.get(2)?,
                    })
                },
            )
            .and_then(Iterator::collect::<rusqlite::Result<Vec<_>>>)
            .map_err(StoreError::backend)?;
        hits.extend(found);
    }
    Ok(assemble(rows, hits))
}

/// The children of one document (a get-by-id): the same query as for a page, without
/// building and parsing a JSON array of ids.
fn links_of_one(
    conn: &Connection,
    scope: Scope<'_>,
    kind: Kind,
    id: &str,
) -> StoreResult<Vec<LinkHit>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT child_kind, child_id FROM links
             WHERE tenant = ?1 AND parent_kind = ?2 AND parent_id = ?3
               AND (?4 IS NULL OR child_customer = ?4)
               AND (child_kind = 5 AND parent_kind = 2 -- Kind::links_across_customers
                    OR child_customer = (SELECT p.customer_id FROM documents p
                                         WHERE p.tenant = links.tenant
                                           AND p.kind = links.parent_kind
                                           AND p.id = links.parent_id))
             ORDER BY child_created_at, child_id",
        )
        .map_err(StoreError::backend)?;
    stmt.query_map(
        params![scope.tenant, kind.code(), id, scope.customer],
        |row| {
            let code: i64 = row.get(0)?;
            let child_kind =
                Kind::from_code(code).ok_or(rusqlite::Error::IntegralValueOutOfRange(0, code))?;
            Ok(LinkHit {
                parent_kind: kind,
                parent_id: id.to_owned(),
                child_kind,
                child_id: row.get(1)?,
            })
        },
    )
    .and_then(Iterator::collect)
    .map_err(StoreError::backend)
}
