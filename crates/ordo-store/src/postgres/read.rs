//! PostgreSQL reads: documents by id, list windows, a customer's documents, the change feed.

use deadpool_postgres::GenericClient;
use ordo_model::{Kind, ListQuery, Timestamp};
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

use super::pg_error;
use crate::anchors::{Anchors, Mark, STEP, Start, Window, wanted};
use crate::assemble::{LinkHit, RawDoc, assemble, parents_by_kind};
use crate::batches::BatchSender;
use crate::filtered::{self, Dialect, Shape};
use crate::{Change, Scope, StoreError, StoreResult, StoredDoc, merge_changes};

pub(crate) fn kind_of(code: i16) -> StoreResult<Kind> {
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

/// Checks the scope's key (see `Scope::key`); sent beside a read's own query, it costs no
/// round trip of its own.
async fn check_key(client: &impl GenericClient, scope: Scope<'_>) -> StoreResult<()> {
    let Some(key) = scope.key else {
        return Ok(());
    };
    let stmt = client
        .prepare_cached("SELECT revoked FROM api_keys WHERE id = $1")
        .await
        .map_err(pg_error)?;
    let row = client.query_opt(&stmt, &[&key]).await.map_err(pg_error)?;
    key_state(scope, row.map(|row| row.get(0)))
}

fn key_state(scope: Scope<'_>, revoked: Option<bool>) -> StoreResult<()> {
    match (scope.key, revoked) {
        (None, _) | (Some(_), Some(false)) => Ok(()),
        (Some(_), _) => Err(StoreError::KeyRevoked),
    }
}

/// One round trip: the key's state, the document and its children, in one statement.
pub(crate) async fn get(
    client: &impl GenericClient,
    scope: Scope<'_>,
    kind: Kind,
    id: &str,
) -> StoreResult<Option<StoredDoc>> {
    let stmt = client
        .prepare_cached(
            "SELECT k.revoked, d.kind, d.id, d.revision, d.body, l.kinds, l.ids
             FROM (SELECT 1) AS one
             LEFT JOIN api_keys k ON k.id = $5::text
             LEFT JOIN documents d ON d.tenant = $1 AND d.kind = $2 AND d.id = $3
                 AND ($4::text IS NULL OR d.customer_id = $4)
             LEFT JOIN LATERAL (
                 SELECT array_agg(child_kind ORDER BY child_created_at, child_id) AS kinds,
                        array_agg(child_id ORDER BY child_created_at, child_id) AS ids
                 FROM links
                 WHERE tenant = $1 AND parent_kind = $2 AND parent_id = d.id
                   AND ($4::text IS NULL OR child_customer = $4)
                   AND (child_kind = 5 AND parent_kind = 2 -- Kind::links_across_customers
                        OR child_customer = d.customer_id)
             ) l ON TRUE",
        )
        .await
        .map_err(pg_error)?;
    let row = client
        .query_one(
            &stmt,
            &[&scope.tenant, &code(kind), &id, &scope.customer, &scope.key],
        )
        .await
        .map_err(pg_error)?;
    key_state(scope, row.get(0))?;
    let Some(kind_code) = row.get::<_, Option<i16>>(1) else {
        return Ok(None);
    };
    let doc = RawDoc {
        kind: kind_of(kind_code)?,
        id: row.get(2),
        revision: row.get(3),
        body: row.get(4),
    };
    let kinds: Vec<i16> = row.get::<_, Option<_>>(5).unwrap_or_default();
    let ids: Vec<String> = row.get::<_, Option<_>>(6).unwrap_or_default();
    let hits = kinds
        .into_iter()
        .zip(ids)
        .map(|(child_kind, child_id)| {
            Ok(LinkHit {
                parent_kind: doc.kind,
                parent_id: doc.id.clone(),
                child_kind: kind_of(child_kind)?,
                child_id,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(assemble(vec![doc], hits).pop())
}

/// The `WHERE` and `ORDER BY` of a list window: `$1` tenant, `$2` kind, `$3`..`$4` the
/// `updatedAt` range, entries after the key `($7, $8)` (see `anchors`), `$9` the customer;
/// `$5` and `$6` are left for `LIMIT` and `OFFSET`.
fn window_sql(newest: bool, by_customer: bool) -> String {
    let (dir, after) = if newest { ("DESC", "<") } else { ("ASC", ">") };
    let customer = if by_customer {
        "AND customer_id = $9"
    } else {
        ""
    };
    format!(
        "WHERE tenant = $1 {customer} AND kind = $2 AND updated_at BETWEEN $3 AND $4
           AND (updated_at, id) {after} ($7::bigint, $8::text)
         ORDER BY updated_at {dir}, id {dir}"
    )
}

/// The list query of one direction and restriction: the inner select pages over the index,
/// the outer one fetches the bodies of one page.
pub fn list_sql(newest: bool, by_customer: bool) -> String {
    let dir = if newest { "DESC" } else { "ASC" };
    let window = window_sql(newest, by_customer);
    format!(
        "SELECT d.kind, d.id, d.revision, d.body FROM documents d JOIN (
             SELECT tenant, kind, id FROM documents {window} LIMIT $5 OFFSET $6
         ) page USING (tenant, kind, id)
         ORDER BY d.updated_at {dir}, d.id {dir}"
    )
}

/// The key of the entry `$6` entries into a window (`$5` is 1).
pub fn mark_sql(newest: bool, by_customer: bool) -> String {
    let window = window_sql(newest, by_customer);
    format!("SELECT updated_at, id FROM documents {window} LIMIT $5 OFFSET $6")
}

/// A page of a list window. At a deep offset, `client` must be a repeatable-read
/// transaction: the tenant's revision, the remembered key and the page must see one state.
pub(crate) async fn list(
    client: &impl GenericClient,
    scope: Scope<'_>,
    kind: Kind,
    query: &ListQuery,
    anchors: &Anchors,
) -> StoreResult<Vec<StoredDoc>> {
    let Some(customer) = filtered::customer(scope.customer, query.filter.customer_id.as_deref())
    else {
        check_key(client, scope).await?;
        return Ok(Vec::new());
    };
    let at = At {
        tenant: scope.tenant,
        customer,
        kind,
        query,
    };
    let window = Window::new(scope.tenant, customer, kind, query);
    let start = if query.offset < STEP {
        Start::origin(query)
    } else {
        deep_start(client, &window, &at, anchors).await?
    };
    let sql = if query.filter.terms().is_empty() {
        list_sql(query.newest, customer.is_some())
    } else {
        filtered::list_sql(Dialect::Postgres, &Shape::of(query, customer.is_some()))
    };
    let (rows, ()) = tokio::try_join!(
        window_rows(client, &sql, &at, query.limit, &start),
        check_key(client, scope),
    )?;
    // The links of the page are the caller's to see, whichever customer it asked for.
    with_links(client, scope, raws(&rows)?).await
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
async fn deep_start(
    client: &impl GenericClient,
    window: &Window,
    at: &At<'_>,
    anchors: &Anchors,
) -> StoreResult<Start> {
    let stmt = client
        .prepare_cached(
            "SELECT revision FROM documents WHERE tenant = $1 ORDER BY revision DESC LIMIT 1",
        )
        .await
        .map_err(pg_error)?;
    let revision: i64 = client
        .query_opt(&stmt, &[&at.tenant])
        .await
        .map_err(pg_error)?
        .map_or(0, |row| row.get(0));
    let query = at.query;
    let start = anchors.nearest(window, query, revision, query.offset);
    let Some(position) = wanted(query.offset, &start) else {
        return Ok(start);
    };
    let sql = if query.filter.terms().is_empty() {
        mark_sql(query.newest, at.customer.is_some())
    } else {
        filtered::keys_sql(Dialect::Postgres, &Shape::of(query, at.customer.is_some()))
    };
    let query = ListQuery {
        offset: position - 1,
        ..query.clone()
    };
    let mark_at = At {
        query: &query,
        ..*at
    };
    let found = window_rows(client, &sql, &mark_at, 1, &start).await?;
    // Past the window's end there is nothing to remember, and the page is empty anyway.
    let Some(row) = found.first() else {
        return Ok(start);
    };
    let mark = Mark {
        updated_at: row.get(0),
        id: row.get(1),
    };
    anchors.remember(window, revision, position, mark.clone());
    Ok(Start { position, mark })
}

/// Rows of a window query (`list_sql`, `mark_sql` or their `filtered` forms),
/// `at.query.offset` entries into the window as counted from its start, from `start` on.
async fn window_rows(
    client: &impl GenericClient,
    sql: &str,
    at: &At<'_>,
    limit: u32,
    start: &Start,
) -> StoreResult<Vec<Row>> {
    let stmt = client.prepare_cached(sql).await.map_err(pg_error)?;
    let query = at.query;
    let from = query.from.map_or(i64::MIN, Timestamp::unix);
    let to = query.to.map_or(i64::MAX, Timestamp::unix);
    let limit = i64::from(limit);
    let offset = i64::try_from(query.offset - start.position).unwrap_or(i64::MAX);
    let kind_code = code(at.kind);
    let mut params: Vec<&(dyn ToSql + Sync)> = vec![
        &at.tenant,
        &kind_code,
        &from,
        &to,
        &limit,
        &offset,
        &start.mark.updated_at,
        &start.mark.id,
    ];
    if let Some(customer) = &at.customer {
        params.push(customer);
    }
    // One value binds as text, several as a text[] (see `filtered`).
    let lists: Vec<&[String]> = query.filter.terms().iter().map(|(_, v)| &v[..]).collect();
    for list in &lists {
        match list {
            [one] => params.push(one),
            _ => params.push(list),
        }
    }
    client.query(&stmt, &params).await.map_err(pg_error)
}

/// The tenant's status dictionary, by status id, after checking the scope's key.
pub(crate) async fn statuses(
    client: &impl GenericClient,
    scope: Scope<'_>,
) -> StoreResult<Vec<ordo_model::StatusEntry>> {
    let (entries, ()) = tokio::try_join!(
        super::statuses::list(client, scope.tenant),
        check_key(client, scope)
    )?;
    Ok(entries)
}

/// The version of the tenant's status dictionary, the key checked beside it.
pub(crate) async fn status_version(
    client: &impl GenericClient,
    scope: Scope<'_>,
) -> StoreResult<i64> {
    let (version, ()) = tokio::try_join!(
        super::statuses::version(client, scope.tenant),
        check_key(client, scope)
    )?;
    Ok(version)
}

pub(crate) async fn customer_documents(
    client: &impl GenericClient,
    scope: Scope<'_>,
    customer_id: &str,
) -> StoreResult<Vec<StoredDoc>> {
    if scope.customer.is_some_and(|own| own != customer_id) {
        check_key(client, scope).await?;
        return Ok(Vec::new());
    }
    let stmt = client
        .prepare_cached(CUSTOMER_DOCUMENTS)
        .await
        .map_err(pg_error)?;
    let (rows, ()) = tokio::try_join!(
        async {
            client
                .query(&stmt, &[&scope.tenant, &customer_id])
                .await
                .map_err(pg_error)
        },
        check_key(client, scope),
    )?;
    with_links(client, scope, raws(&rows)?).await
}

/// A customer's documents of `kinds`, in that order, each oldest first, with derived links.
pub(crate) async fn customer_documents_of(
    client: &impl GenericClient,
    scope: Scope<'_>,
    customer_id: &str,
    kinds: &[Kind],
) -> StoreResult<Vec<StoredDoc>> {
    if scope.customer.is_some_and(|own| own != customer_id) {
        check_key(client, scope).await?;
        return Ok(Vec::new());
    }
    let stmt = client
        .prepare_cached(
            "SELECT kind, id, revision, body FROM documents
             WHERE tenant = $1 AND customer_id = $2 AND kind = ANY($3)
             ORDER BY array_position($3, kind), updated_at, id",
        )
        .await
        .map_err(pg_error)?;
    let codes: Vec<i16> = kinds.iter().map(|&kind| code(kind)).collect();
    let (rows, ()) = tokio::try_join!(
        async {
            client
                .query(&stmt, &[&scope.tenant, &customer_id, &codes])
                .await
                .map_err(pg_error)
        },
        check_key(client, scope),
    )?;
    with_links(client, scope, raws(&rows)?).await
}

/// The documents of `ids` (of one kind, in the scope), in that order, with derived links.
pub(crate) async fn get_many(
    client: &impl GenericClient,
    scope: Scope<'_>,
    kind: Kind,
    ids: &[String],
) -> StoreResult<Vec<StoredDoc>> {
    let stmt = client
        .prepare_cached(
            "SELECT kind, id, revision, body FROM documents
             WHERE tenant = $1 AND kind = $2 AND id = ANY($3)
               AND ($4::text IS NULL OR customer_id = $4)
             ORDER BY array_position($3, id)",
        )
        .await
        .map_err(pg_error)?;
    let (rows, ()) = tokio::try_join!(
        async {
            client
                .query(&stmt, &[&scope.tenant, &code(kind), &ids, &scope.customer])
                .await
                .map_err(pg_error)
        },
        check_key(client, scope),
    )?;
    with_links(client, scope, raws(&rows)?).await
}

/// The keys of a customer's documents of one kind (from the customer index), then the
/// documents `pick` chooses among them, from one snapshot.
pub(crate) async fn customer_pick(
    mut client: deadpool_postgres::Object,
    scope: Scope<'_>,
    customer_id: &str,
    kind: Kind,
    pick: crate::Pick,
) -> StoreResult<crate::Picked> {
    let tx = snapshot(&mut client).await?;
    let keys: Vec<crate::DocKey> = if scope.customer.is_some_and(|own| own != customer_id) {
        Vec::new()
    } else {
        let stmt = tx
            .prepare_cached(
                "SELECT created_at, id FROM documents
                 WHERE tenant = $1 AND customer_id = $2 AND kind = $3",
            )
            .await
            .map_err(pg_error)?;
        tx.query(&stmt, &[&scope.tenant, &customer_id, &code(kind)])
            .await
            .map_err(pg_error)?
            .iter()
            .map(|row| crate::DocKey {
                created_at: row.get(0),
                id: row.get(1),
            })
            .collect()
    };
    let (chosen, total) = pick(&keys);
    let ids: Vec<String> = chosen
        .into_iter()
        .filter_map(|at| keys.get(at).map(|key| key.id.clone()))
        .collect();
    let docs = get_many(&tx, scope, kind, &ids).await?;
    tx.commit().await.map_err(pg_error)?;
    Ok(crate::Picked {
        docs,
        total,
        all: keys.len(),
    })
}

/// A read-only transaction whose statements all see one state of the database.
pub(crate) async fn snapshot(
    client: &mut deadpool_postgres::Object,
) -> StoreResult<deadpool_postgres::Transaction<'_>> {
    client
        .build_transaction()
        .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await
        .map_err(pg_error)
}

/// `customer_documents` in batches, from one repeatable-read snapshot, each with its derived
/// links, fetched from a portal as `sender` takes them.
pub(crate) async fn customer_batches(
    mut client: deadpool_postgres::Object,
    scope: Scope<'_>,
    customer_id: &str,
    sender: &BatchSender,
) -> StoreResult<()> {
    let tx = snapshot(&mut client).await?;
    check_key(&tx, scope).await?;
    if scope.customer.is_some_and(|own| own != customer_id) {
        return Ok(());
    }
    let stmt = tx
        .prepare_cached(CUSTOMER_DOCUMENTS)
        .await
        .map_err(pg_error)?;
    let portal = tx
        .bind(&stmt, &[&scope.tenant, &customer_id])
        .await
        .map_err(pg_error)?;
    loop {
        let rows = tx
            .query_portal(&portal, PORTAL_ROWS)
            .await
            .map_err(pg_error)?;
        if rows.is_empty() {
            break;
        }
        let done = rows.len() < PORTAL_ROWS as usize;
        let batch = with_links(&tx, scope, raws(&rows)?).await?;
        drop(rows);
        if !sender.send(Ok(batch)).await || done {
            break;
        }
    }
    // Read-only: ending the transaction only releases its snapshot.
    tx.rollback().await.map_err(pg_error)
}

/// Rows fetched from a portal at a time: about `BATCH_BYTES` of demo documents.
const PORTAL_ROWS: i32 = 150;

const CUSTOMER_DOCUMENTS: &str = "SELECT kind, id, revision, body FROM documents
     WHERE tenant = $1 AND customer_id = $2
     ORDER BY kind, updated_at, id";

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
    with_links(client, Scope::tenant(tenant), raws(&rows)?).await
}

/// Documents and tombstones above `after`, in revision order, read inside one snapshot
/// (`snapshot`): the first `limit` of each, merged, are the first `limit` of both.
pub(crate) async fn feed(
    client: &impl GenericClient,
    tenant: &str,
    after: i64,
    limit: u32,
) -> StoreResult<Vec<Change>> {
    let docs = changes(client, tenant, after, limit).await?;
    let stmt = client
        .prepare_cached(
            "SELECT kind, id, revision FROM tombstones
             WHERE tenant = $1 AND revision > $2 ORDER BY revision LIMIT $3",
        )
        .await
        .map_err(pg_error)?;
    let gone = client
        .query(&stmt, &[&tenant, &after, &i64::from(limit)])
        .await
        .map_err(pg_error)?
        .iter()
        .map(|row| {
            Ok(Change::Delete {
                kind: kind_of(row.get(0))?,
                id: row.get(1),
                revision: row.get(2),
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(merge_changes(docs, gone, limit))
}

/// `feed` merged with the superseded revisions above `after`, inside one snapshot: every
/// revision once, for the relays.
pub(crate) async fn relay_feed(
    client: &impl GenericClient,
    tenant: &str,
    after: i64,
    limit: u32,
) -> StoreResult<Vec<Change>> {
    let current = feed(client, tenant, after, limit).await?;
    let stmt = client
        .prepare_cached(
            "SELECT kind, id, revision, body FROM superseded
             WHERE tenant = $1 AND revision > $2 ORDER BY revision LIMIT $3",
        )
        .await
        .map_err(pg_error)?;
    let rows = client
        .query(&stmt, &[&tenant, &after, &i64::from(limit)])
        .await
        .map_err(pg_error)?
        .iter()
        .map(|row| Ok((kind_of(row.get(0))?, row.get(1), row.get(2), row.get(3))))
        .collect::<StoreResult<Vec<_>>>()?;
    let (puts, gone) = crate::split_superseded(rows);
    let puts = with_links(client, Scope::tenant(tenant), puts).await?;
    Ok(crate::merge_superseded(current, puts, gone, limit))
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
                   AND (child_kind = 5 AND parent_kind = 2 -- Kind::links_across_customers
                        OR child_customer = (SELECT p.customer_id FROM documents p
                                             WHERE p.tenant = links.tenant
                                               AND p.kind = links.parent_kind
                                               AND p.id = links.parent_id))
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
