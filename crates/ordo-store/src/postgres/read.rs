//! PostgreSQL reads: documents by id, list windows, a customer's documents, the change feed.

use deadpool_postgres::GenericClient;
use ordo_model::{Kind, ListQuery, Timestamp};
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

use super::pg_error;
use crate::assemble::{LinkHit, RawDoc, assemble, parents_by_kind};
use crate::{Scope, StoreError, StoreResult, StoredDoc};

fn kind_of(code: i16) -> StoreResult<Kind> {
    Kind::from_code(i64::from(code))
        .ok_or_else(|| StoreError::Unavailable(format!("unknown kind code {code} in the store")))
}

fn raw(row: &Row) -> StoreResult<RawDoc> {
    Ok(RawDoc {
        kind: kind_of(row.get(0))?,
        id: row.get(1),
        revision: row.get(2),
        body: row.get(3),
    })
}

fn raws(rows: &[Row]) -> StoreResult<Vec<RawDoc>> {
    rows.iter().map(raw).collect()
}

pub(crate) fn code(kind: Kind) -> i16 {
    i16::try_from(kind.code()).expect("kind codes are small")
}

pub(crate) async fn get(
    client: &impl GenericClient,
    scope: Scope<'_>,
    kind: Kind,
    id: &str,
) -> StoreResult<Option<StoredDoc>> {
    let stmt = client
        .prepare_cached(
            "SELECT kind, id, revision, body FROM documents
             WHERE tenant = $1 AND kind = $2 AND id = $3
               AND ($4::text IS NULL OR customer_id = $4)",
        )
        .await
        .map_err(pg_error)?;
    let rows = client
        .query(&stmt, &[&scope.tenant, &code(kind), &id, &scope.customer])
        .await
        .map_err(pg_error)?;
    Ok(with_links(client, scope, raws(&rows)?).await?.pop())
}

/// The list query of one direction and restriction: the inner select pages over the index,
/// the outer one fetches the bodies of one page.
pub fn list_sql(newest: bool, by_customer: bool) -> String {
    let dir = if newest { "DESC" } else { "ASC" };
    let customer = if by_customer {
        "AND customer_id = $7"
    } else {
        ""
    };
    format!(
        "SELECT d.kind, d.id, d.revision, d.body FROM documents d JOIN (
             SELECT tenant, kind, id FROM documents
             WHERE tenant = $1 {customer} AND kind = $2 AND updated_at BETWEEN $3 AND $4
             ORDER BY updated_at {dir}, id {dir} LIMIT $5 OFFSET $6
         ) page USING (tenant, kind, id)
         ORDER BY d.updated_at {dir}, d.id {dir}"
    )
}

pub(crate) async fn list(
    client: &impl GenericClient,
    scope: Scope<'_>,
    kind: Kind,
    query: &ListQuery,
) -> StoreResult<Vec<StoredDoc>> {
    let stmt = client
        .prepare_cached(&list_sql(query.newest, scope.customer.is_some()))
        .await
        .map_err(pg_error)?;
    let from = query.from.map_or(i64::MIN, Timestamp::unix);
    let to = query.to.map_or(i64::MAX, Timestamp::unix);
    let limit = i64::from(query.limit);
    let offset = i64::try_from(query.offset).unwrap_or(i64::MAX);
    let kind_code = code(kind);
    let mut params: Vec<&(dyn ToSql + Sync)> =
        vec![&scope.tenant, &kind_code, &from, &to, &limit, &offset];
    if let Some(customer) = &scope.customer {
        params.push(customer);
    }
    let rows = client.query(&stmt, &params).await.map_err(pg_error)?;
    with_links(client, scope, raws(&rows)?).await
}

pub(crate) async fn customer_documents(
    client: &impl GenericClient,
    scope: Scope<'_>,
    customer_id: &str,
) -> StoreResult<Vec<StoredDoc>> {
    if scope.customer.is_some_and(|own| own != customer_id) {
        return Ok(Vec::new());
    }
    let stmt = client
        .prepare_cached(
            "SELECT kind, id, revision, body FROM documents
             WHERE tenant = $1 AND customer_id = $2
             ORDER BY kind, updated_at, id",
        )
        .await
        .map_err(pg_error)?;
    let rows = client
        .query(&stmt, &[&scope.tenant, &customer_id])
        .await
        .map_err(pg_error)?;
    with_links(client, scope, raws(&rows)?).await
}

pub(crate) async fn changes(
    client: &impl GenericClient,
    tenant: &str,
    after: i64,
    limit: u32,
) -> StoreResult<Vec<StoredDoc>> {
    let stmt = client
        .prepare_cached(
            "SELECT kind, id, revision, body FROM documents
             WHERE tenant = $1 AND revision > $2 ORDER BY revision LIMIT $3",
        )
        .await
        .map_err(pg_error)?;
    let rows = client
        .query(&stmt, &[&tenant, &after, &i64::from(limit)])
        .await
        .map_err(pg_error)?;
    with_links(
        client,
        Scope {
            tenant,
            customer: None,
        },
        raws(&rows)?,
    )
    .await
}

/// Fills the derived link lists of `rows`: one query per kind present (one for a list page).
async fn with_links(
    client: &impl GenericClient,
    scope: Scope<'_>,
    rows: Vec<RawDoc>,
) -> StoreResult<Vec<StoredDoc>> {
    let mut hits = Vec::new();
    for (kind, ids) in parents_by_kind(&rows) {
        let stmt = client
            .prepare_cached(
                "SELECT parent_id, child_kind, child_id FROM links
                 WHERE tenant = $1 AND parent_kind = $2 AND parent_id = ANY($3)
                   AND ($4::text IS NULL OR child_customer = $4)
                 ORDER BY parent_id, child_created_at, child_id",
            )
            .await
            .map_err(pg_error)?;
        let found = client
            .query(&stmt, &[&scope.tenant, &code(kind), &ids, &scope.customer])
            .await
            .map_err(pg_error)?;
        for row in found {
            hits.push(LinkHit {
                parent_kind: kind,
                parent_id: row.get(0),
                child_kind: kind_of(row.get(1))?,
                child_id: row.get(2),
            });
        }
    }
    Ok(assemble(rows, hits))
}
