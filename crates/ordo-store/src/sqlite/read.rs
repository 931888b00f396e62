//! SQLite reads: documents by id, list windows, a customer's documents, the change feed.

use ordo_model::{Kind, ListQuery, Timestamp};
use rusqlite::{Connection, Row, params};

use crate::assemble::{LinkHit, RawDoc, assemble, parents_by_kind};
use crate::{Scope, StoreError, StoreResult, StoredDoc};

type Raw = RawDoc;

fn raw(row: &Row<'_>) -> rusqlite::Result<Raw> {
    let code: i64 = row.get(0)?;
    let kind = Kind::from_code(code).ok_or(rusqlite::Error::IntegralValueOutOfRange(0, code))?;
    Ok(Raw {
        kind,
        id: row.get(1)?,
        revision: row.get(2)?,
        body: row.get(3)?,
    })
}

pub(crate) fn get(
    conn: &Connection,
    scope: Scope<'_>,
    kind: Kind,
    id: &str,
) -> StoreResult<Option<StoredDoc>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT kind, id, revision, body FROM documents
             WHERE tenant = ?1 AND kind = ?2 AND id = ?3 AND (?4 IS NULL OR customer_id = ?4)",
        )
        .map_err(StoreError::backend)?;
    let rows: Vec<Raw> = stmt
        .query_map(params![scope.tenant, kind.code(), id, scope.customer], raw)
        .and_then(Iterator::collect)
        .map_err(StoreError::backend)?;
    Ok(with_links(conn, scope, rows)?.pop())
}

/// The list query of one direction and restriction. The inner select walks the covering
/// index to skip `offset` entries without reading bodies; the outer one fetches the page.
pub fn list_sql(newest: bool, by_customer: bool) -> String {
    let dir = if newest { "DESC" } else { "ASC" };
    let customer = if by_customer {
        "AND customer_id = ?7"
    } else {
        ""
    };
    format!(
        "SELECT d.kind, d.id, d.revision, d.body FROM documents d JOIN (
             SELECT rowid AS r FROM documents
             WHERE tenant = ?1 {customer} AND kind = ?2 AND updated_at BETWEEN ?3 AND ?4
             ORDER BY updated_at {dir}, id {dir} LIMIT ?5 OFFSET ?6
         ) page ON d.rowid = page.r
         ORDER BY d.updated_at {dir}, d.id {dir}"
    )
}

pub(crate) fn list(
    conn: &Connection,
    scope: Scope<'_>,
    kind: Kind,
    query: &ListQuery,
) -> StoreResult<Vec<StoredDoc>> {
    let sql = list_sql(query.newest, scope.customer.is_some());
    let mut stmt = conn.prepare_cached(&sql).map_err(StoreError::backend)?;
    let from = query.from.map_or(i64::MIN, Timestamp::unix);
    let to = query.to.map_or(i64::MAX, Timestamp::unix);
    let offset = i64::try_from(query.offset).unwrap_or(i64::MAX);
    let bind = params![scope.tenant, kind.code(), from, to, query.limit, offset];
    let rows = match scope.customer {
        Some(customer) => {
            let mut all: Vec<&dyn rusqlite::ToSql> = bind.to_vec();
            all.push(&customer);
            stmt.query_map(all.as_slice(), raw)
                .and_then(Iterator::collect)
        }
        None => stmt.query_map(bind, raw).and_then(Iterator::collect),
    }
    .map_err(StoreError::backend)?;
    with_links(conn, scope, rows)
}

pub(crate) fn customer_documents(
    conn: &Connection,
    scope: Scope<'_>,
    customer_id: &str,
) -> StoreResult<Vec<StoredDoc>> {
    if scope.customer.is_some_and(|own| own != customer_id) {
        return Ok(Vec::new());
    }
    let mut stmt = conn
        .prepare_cached(
            "SELECT kind, id, revision, body FROM documents
             WHERE tenant = ?1 AND customer_id = ?2
             ORDER BY kind, updated_at, id",
        )
        .map_err(StoreError::backend)?;
    let rows: Vec<Raw> = stmt
        .query_map(params![scope.tenant, customer_id], raw)
        .and_then(Iterator::collect)
        .map_err(StoreError::backend)?;
    with_links(conn, scope, rows)
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
    let scope = Scope {
        tenant,
        customer: None,
    };
    with_links(conn, scope, rows)
}

/// Fills the derived link lists of `rows`: one query per kind present (one for a list page).
fn with_links(conn: &Connection, scope: Scope<'_>, rows: Vec<Raw>) -> StoreResult<Vec<StoredDoc>> {
    let mut hits = Vec::new();
    for (kind, ids) in parents_by_kind(&rows) {
        let ids_json = serde_json::to_string(&ids).map_err(StoreError::backend)?;
        let mut stmt = conn
            .prepare_cached(
                "SELECT parent_id, child_kind, child_id FROM links
                 WHERE tenant = ?1 AND parent_kind = ?2
                   AND parent_id IN (SELECT value FROM json_each(?3))
                   AND (?4 IS NULL OR child_customer = ?4)
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
