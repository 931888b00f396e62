//! The benchmark baseline: what a team would write instead of adopting ordo. axum and sqlx,
//! the same SQL as ordo's stores, each row's body parsed into a `serde_json::Value`, the
//! derived link lists inserted, and the whole answer serialised again by `Json`.
//!
//! It serves the three v1 reads bench/run measures (`GET /v1/{kind}/{id}`, `GET /v1/{kind}/`,
//! `GET /v1/customer/{customerId}/relations`) from a database that `ordo import` filled, with
//! ordo's API keys (one lookup per request, as ordo does). It answers the same JSON as ordo;
//! bench/run checks that before it measures.
//!
//! Usage: `ordo-baseline --database sqlite://PATH|postgres://... --listen 127.0.0.1:8081`

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};

#[derive(Clone)]
enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

struct Kind {
    path: &'static str,
    code: i16,
    scope: &'static str,
    relations_key: &'static str,
    /// Derived link lists: (field, child kind code).
    derived: &'static [(&'static str, i16)],
}

const KINDS: [Kind; 6] = [
    Kind {
        path: "quote",
        code: 1,
        scope: "quotas",
        relations_key: "quotas",
        derived: &[("orderIds", 2)],
    },
    Kind {
        path: "order",
        code: 2,
        scope: "orders",
        relations_key: "orders",
        derived: &[
            ("replacementOrderIds", 2),
            ("returnIds", 3),
            ("vendorOrderIds", 5),
        ],
    },
    Kind {
        path: "return",
        code: 3,
        scope: "returns",
        relations_key: "returns",
        derived: &[],
    },
    Kind {
        path: "vendor-quote",
        code: 4,
        scope: "vendor-quotas",
        relations_key: "vendorQuotas",
        derived: &[("orderIds", 5)],
    },
    Kind {
        path: "vendor-order",
        code: 5,
        scope: "vendor-orders",
        relations_key: "vendorOrders",
        derived: &[("replacementOrderIds", 5), ("returnIds", 6)],
    },
    Kind {
        path: "vendor-return",
        code: 6,
        scope: "vendor-returns",
        relations_key: "vendorReturns",
        derived: &[],
    },
];

fn kind_by_path(path: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.path == path)
}

fn kind_by_code(code: i16) -> &'static Kind {
    &KINDS[usize::try_from(code - 1).unwrap_or(0).min(5)]
}

struct DocRow {
    kind: i16,
    id: String,
    body: String,
}

struct Key {
    tenant: String,
    scopes: Vec<String>,
    customer: Option<String>,
}

enum ApiError {
    Unauthorized,
    Forbidden(&'static str),
    NotFound,
    BadRequest(String),
    Db(sqlx::Error),
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        ApiError::Db(error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = match self {
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized", String::new()),
            ApiError::Forbidden(scope) => (StatusCode::FORBIDDEN, "forbidden", scope.to_owned()),
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not_found", String::new()),
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, "bad_request", m),
            ApiError::Db(e) => {
                eprintln!("database error: {e:?}");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal", String::new())
            }
        };
        let body = json!({"error": {"code": code, "message": message, "details": []}});
        (status, Json(body)).into_response()
    }
}

// The same SQL as crates/ordo-store/src/{sqlite,postgres}/{read,keys}.rs.

const SQLITE_KEY: &str = "SELECT id, tenant, name, scopes, customer_id, created_at, revoked, \
                          secret_hash FROM api_keys WHERE id = ?1";
const PG_KEY: &str = "SELECT id, tenant, name, scopes, customer_id, created_at, revoked, \
                      secret_hash FROM api_keys WHERE id = $1";

const SQLITE_GET: &str = "SELECT kind, id, revision, body FROM documents
     WHERE tenant = ?1 AND kind = ?2 AND id = ?3 AND (?4 IS NULL OR customer_id = ?4)";
const PG_GET: &str = "SELECT kind, id, revision, body FROM documents
     WHERE tenant = $1 AND kind = $2 AND id = $3
       AND ($4::text IS NULL OR customer_id = $4)";

const SQLITE_CUSTOMER: &str = "SELECT kind, id, revision, body FROM documents
     WHERE tenant = ?1 AND customer_id = ?2
     ORDER BY kind, updated_at, id";
const PG_CUSTOMER: &str = "SELECT kind, id, revision, body FROM documents
     WHERE tenant = $1 AND customer_id = $2
     ORDER BY kind, updated_at, id";

const SQLITE_LINKS: &str = "SELECT parent_id, child_kind, child_id FROM links
     WHERE tenant = ?1 AND parent_kind = ?2
       AND parent_id IN (SELECT value FROM json_each(?3))
       AND (?4 IS NULL OR child_customer = ?4)
     ORDER BY parent_id, child_created_at, child_id";
const PG_LINKS: &str = "SELECT parent_id, child_kind, child_id FROM links
     WHERE tenant = $1 AND parent_kind = $2 AND parent_id = ANY($3)
       AND ($4::text IS NULL OR child_customer = $4)
     ORDER BY parent_id, child_created_at, child_id";

fn sqlite_list_sql(newest: bool, by_customer: bool) -> String {
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

fn pg_list_sql(newest: bool, by_customer: bool) -> String {
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

fn sqlite_doc(row: &sqlx::sqlite::SqliteRow) -> DocRow {
    DocRow {
        kind: i16::try_from(row.get::<i64, _>(0)).unwrap_or(0),
        id: row.get(1),
        body: row.get(3),
    }
}

fn pg_doc(row: &sqlx::postgres::PgRow) -> DocRow {
    DocRow {
        kind: row.get(0),
        id: row.get(1),
        body: row.get(3),
    }
}

impl Db {
    async fn key(&self, id: &str) -> Result<Option<(Key, bool, Vec<u8>)>, sqlx::Error> {
        let read = |tenant: String, scopes: String, customer, revoked, hash| {
            let key = Key {
                tenant,
                scopes: scopes.split(',').map(str::to_owned).collect(),
                customer,
            };
            (key, revoked, hash)
        };
        Ok(match self {
            Db::Sqlite(pool) => sqlx::query(SQLITE_KEY)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .map(|r| read(r.get(1), r.get(3), r.get(4), r.get(6), r.get(7))),
            Db::Postgres(pool) => sqlx::query(PG_KEY)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .map(|r| read(r.get(1), r.get(3), r.get(4), r.get(6), r.get(7))),
        })
    }

    async fn get(&self, key: &Key, kind: i16, id: &str) -> Result<Vec<DocRow>, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(pool) => sqlx::query(SQLITE_GET)
                .bind(&key.tenant)
                .bind(kind)
                .bind(id)
                .bind(&key.customer)
                .fetch_all(pool)
                .await?
                .iter()
                .map(sqlite_doc)
                .collect(),
            Db::Postgres(pool) => sqlx::query(PG_GET)
                .bind(&key.tenant)
                .bind(kind)
                .bind(id)
                .bind(&key.customer)
                .fetch_all(pool)
                .await?
                .iter()
                .map(pg_doc)
                .collect(),
        })
    }

    async fn list(
        &self,
        key: &Key,
        kind: i16,
        newest: bool,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<DocRow>, sqlx::Error> {
        let by_customer = key.customer.is_some();
        Ok(match self {
            Db::Sqlite(pool) => {
                let sql = sqlite_list_sql(newest, by_customer);
                let mut query = sqlx::query(&sql)
                    .bind(&key.tenant)
                    .bind(kind)
                    .bind(i64::MIN)
                    .bind(i64::MAX)
                    .bind(limit)
                    .bind(offset);
                if let Some(customer) = &key.customer {
                    query = query.bind(customer);
                }
                query
                    .fetch_all(pool)
                    .await?
                    .iter()
                    .map(sqlite_doc)
                    .collect()
            }
            Db::Postgres(pool) => {
                let sql = pg_list_sql(newest, by_customer);
                let mut query = sqlx::query(&sql)
                    .bind(&key.tenant)
                    .bind(kind)
                    .bind(i64::MIN)
                    .bind(i64::MAX)
                    .bind(limit)
                    .bind(offset);
                if let Some(customer) = &key.customer {
                    query = query.bind(customer);
                }
                query.fetch_all(pool).await?.iter().map(pg_doc).collect()
            }
        })
    }

    async fn customer(&self, key: &Key, customer: &str) -> Result<Vec<DocRow>, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(pool) => sqlx::query(SQLITE_CUSTOMER)
                .bind(&key.tenant)
                .bind(customer)
                .fetch_all(pool)
                .await?
                .iter()
                .map(sqlite_doc)
                .collect(),
            Db::Postgres(pool) => sqlx::query(PG_CUSTOMER)
                .bind(&key.tenant)
                .bind(customer)
                .fetch_all(pool)
                .await?
                .iter()
                .map(pg_doc)
                .collect(),
        })
    }

    /// (parent id, child kind, child id) of the children of `ids`, in list order.
    async fn links(
        &self,
        key: &Key,
        parent_kind: i16,
        ids: Vec<String>,
    ) -> Result<Vec<(String, i16, String)>, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(pool) => {
                let ids = serde_json::to_string(&ids).unwrap_or_default();
                sqlx::query(SQLITE_LINKS)
                    .bind(&key.tenant)
                    .bind(parent_kind)
                    .bind(ids)
                    .bind(&key.customer)
                    .fetch_all(pool)
                    .await?
                    .iter()
                    .map(|r| {
                        let kind = i16::try_from(r.get::<i64, _>(1)).unwrap_or(0);
                        (r.get(0), kind, r.get(2))
                    })
                    .collect()
            }
            Db::Postgres(pool) => sqlx::query(PG_LINKS)
                .bind(&key.tenant)
                .bind(parent_kind)
                .bind(ids)
                .bind(&key.customer)
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| (r.get(0), r.get(1), r.get(2)))
                .collect(),
        })
    }

    /// Rows to v1 JSON values: each body parsed, its derived link lists appended.
    async fn documents(&self, key: &Key, rows: Vec<DocRow>) -> Result<Vec<Value>, ApiError> {
        let mut children: HashMap<(i16, String), Vec<(i16, String)>> = HashMap::new();
        for kind in KINDS.iter().filter(|k| !k.derived.is_empty()) {
            let ids: Vec<String> = rows
                .iter()
                .filter(|r| r.kind == kind.code)
                .map(|r| r.id.clone())
                .collect();
            if ids.is_empty() {
                continue;
            }
            for (parent, child_kind, child) in self.links(key, kind.code, ids).await? {
                children
                    .entry((kind.code, parent))
                    .or_default()
                    .push((child_kind, child));
            }
        }
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let mut value: Value = serde_json::from_str(&row.body)
                .map_err(|e| ApiError::BadRequest(format!("stored body: {e}")))?;
            let found = children.remove(&(row.kind, row.id));
            if let Value::Object(object) = &mut value {
                for &(field, child_kind) in kind_by_code(row.kind).derived {
                    let ids: Vec<Value> = found
                        .iter()
                        .flatten()
                        .filter(|(k, _)| *k == child_kind)
                        .map(|(_, id)| Value::String(id.clone()))
                        .collect();
                    object.insert(field.to_owned(), Value::Array(ids));
                }
            }
            out.push(value);
        }
        Ok(out)
    }
}

/// The key of `Authorization: Bearer ordo_<id>_<hex>`, checked against its stored hash.
async fn authenticate(db: &Db, headers: &HeaderMap) -> Result<Key, ApiError> {
    let secret = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .or_else(|| headers.get("x-api-key").and_then(|v| v.to_str().ok()))
        .ok_or(ApiError::Unauthorized)?
        .trim();
    let id = secret
        .strip_prefix("ordo_")
        .and_then(|rest| rest.split_once('_'))
        .map(|(id, _)| id)
        .ok_or(ApiError::Unauthorized)?;
    let (key, revoked, hash) = db.key(id).await?.ok_or(ApiError::Unauthorized)?;
    let presented: [u8; 32] = Sha256::digest(secret.as_bytes()).into();
    if revoked || hash != presented {
        return Err(ApiError::Unauthorized);
    }
    Ok(key)
}

fn require(key: &Key, scope: &'static str) -> Result<(), ApiError> {
    if key.scopes.iter().any(|s| s == scope) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(scope))
    }
}

async fn get_one(
    State(db): State<Db>,
    headers: HeaderMap,
    Path((kind, id)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let kind = kind_by_path(&kind).ok_or(ApiError::NotFound)?;
    let key = authenticate(&db, &headers).await?;
    require(&key, kind.scope)?;
    let rows = db.get(&key, kind.code, &id).await?;
    let doc = db
        .documents(&key, rows)
        .await?
        .pop()
        .ok_or(ApiError::NotFound)?;
    Ok(Json(json!({ "payload": doc })))
}

#[derive(Deserialize)]
struct ListParams {
    newest: Option<bool>,
    limit: Option<i64>,
    offset: Option<i64>,
}

async fn list(
    State(db): State<Db>,
    headers: HeaderMap,
    Path(kind): Path<String>,
    Query(params): Query<ListParams>,
) -> Result<Json<Value>, ApiError> {
    let kind = kind_by_path(&kind).ok_or(ApiError::NotFound)?;
    let key = authenticate(&db, &headers).await?;
    require(&key, kind.scope)?;
    let limit = params.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::BadRequest("limit must be 1..1000".into()));
    }
    let offset = params.offset.unwrap_or(0);
    if offset < 0 {
        return Err(ApiError::BadRequest("offset must be 0 or more".into()));
    }
    let rows = db
        .list(
            &key,
            kind.code,
            params.newest.unwrap_or(true),
            limit,
            offset,
        )
        .await?;
    let docs = db.documents(&key, rows).await?;
    Ok(Json(json!({ "payload": docs })))
}

async fn relations(
    State(db): State<Db>,
    headers: HeaderMap,
    Path(customer): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let key = authenticate(&db, &headers).await?;
    require(&key, "customers:relations")?;
    if key.customer.as_ref().is_some_and(|own| *own != customer) {
        return Err(ApiError::NotFound);
    }
    let rows = db.customer(&key, &customer).await?;
    if rows.is_empty() {
        return Err(ApiError::NotFound);
    }
    let kinds: Vec<i16> = rows.iter().map(|r| r.kind).collect();
    let docs = db.documents(&key, rows).await?;
    let mut entities = Map::new();
    for kind in &KINDS {
        let of_kind: Vec<Value> = kinds
            .iter()
            .zip(&docs)
            .filter(|(k, _)| **k == kind.code)
            .map(|(_, d)| d.clone())
            .collect();
        let value = if of_kind.is_empty() {
            Value::Null
        } else {
            Value::Array(of_kind)
        };
        entities.insert(kind.relations_key.to_owned(), value);
    }
    Ok(Json(
        json!({ "payload": { "customerId": customer, "orderEntities": entities } }),
    ))
}

fn arg(name: &str) -> Option<String> {
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == name {
            return args.next();
        }
    }
    None
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = arg("--database").ok_or("--database sqlite://PATH|postgres://... is required")?;
    let listen = arg("--listen").unwrap_or_else(|| "127.0.0.1:8081".to_owned());
    let db = if let Some(path) = url.strip_prefix("sqlite://") {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .read_only(true)
            .pragma("cache_size", "-8000");
        // As many readers as ordo's SQLite store keeps, with its page cache.
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        Db::Sqlite(pool)
    } else {
        // As many connections as ordo's default PostgreSQL pool.
        Db::Postgres(
            PgPoolOptions::new()
                .max_connections(16)
                .connect(&url)
                .await?,
        )
    };
    let app = Router::new()
        .route("/v1/customer/{customer}/relations", get(relations))
        .route("/v1/{kind}/", get(list))
        .route("/v1/{kind}/{id}", get(get_one))
        .with_state(db);
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    eprintln!("baseline serving {url} on {listen}");
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
