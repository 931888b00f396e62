//! PostgreSQL schema, as numbered migrations. Instances starting at once take turns on an
//! advisory lock, so each migration runs exactly once.

use deadpool_postgres::Client;

use super::pg_error;
use crate::StoreResult;

/// The advisory lock key of ordo's migrations (any constant unlikely to collide).
const MIGRATION_LOCK: i64 = 0x6f72_646f_6d69_6772;

/// Never edit a released migration; add the next one. Ids use the "C" collation so that they
/// order by bytes, as SQLite orders them: both backends page identically.
const MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
        r#"
    CREATE TABLE tenants (
        tenant   TEXT PRIMARY KEY,
        revision BIGINT NOT NULL
    );

    CREATE TABLE documents (
        tenant      TEXT     NOT NULL,
        kind        SMALLINT NOT NULL,
        id          TEXT COLLATE "C" NOT NULL,
        customer_id TEXT COLLATE "C" NOT NULL,
        updated_at  BIGINT   NOT NULL,
        revision    BIGINT   NOT NULL,
        body        TEXT     NOT NULL,
        PRIMARY KEY (tenant, kind, id)
    );
    CREATE INDEX documents_by_updated ON documents (tenant, kind, updated_at, id);
    CREATE INDEX documents_by_customer ON documents (tenant, customer_id, kind, updated_at, id);
    CREATE UNIQUE INDEX documents_by_revision ON documents (tenant, revision);

    CREATE TABLE links (
        tenant           TEXT     NOT NULL,
        parent_kind      SMALLINT NOT NULL,
        parent_id        TEXT COLLATE "C" NOT NULL,
        child_kind       SMALLINT NOT NULL,
        child_id         TEXT COLLATE "C" NOT NULL,
        child_customer   TEXT COLLATE "C" NOT NULL,
        child_created_at BIGINT   NOT NULL,
        PRIMARY KEY (tenant, parent_kind, parent_id, child_kind, child_id)
    );
    CREATE INDEX links_by_child ON links (tenant, child_kind, child_id);

    CREATE TABLE api_keys (
        id          TEXT PRIMARY KEY,
        tenant      TEXT    NOT NULL,
        name        TEXT,
        scopes      TEXT    NOT NULL,
        customer_id TEXT,
        secret_hash BYTEA   NOT NULL,
        created_at  BIGINT  NOT NULL,
        revoked     BOOLEAN NOT NULL DEFAULT FALSE
    );
    "#,
    ),
    (
        2,
        r#"
    CREATE TABLE statuses (
        tenant    TEXT NOT NULL,
        status_id TEXT COLLATE "C" NOT NULL,
        name      TEXT NOT NULL,
        phase     TEXT NOT NULL,
        PRIMARY KEY (tenant, status_id)
    );
    "#,
    ),
    (
        3,
        "
    -- Requests per second a key may make, in bursts of as many; NULL takes the server's default.
    ALTER TABLE api_keys ADD COLUMN rate_limit INTEGER;
    ",
    ),
    (
        4,
        r#"
    -- What is left of a deleted document for the change feed: no content, no customer.
    -- A document created again under the same id loses its tombstone.
    CREATE TABLE tombstones (
        tenant   TEXT     NOT NULL,
        kind     SMALLINT NOT NULL,
        id       TEXT COLLATE "C" NOT NULL,
        revision BIGINT   NOT NULL,
        PRIMARY KEY (tenant, kind, id)
    );
    CREATE UNIQUE INDEX tombstones_by_revision ON tombstones (tenant, revision);
    "#,
    ),
];

pub(crate) async fn migrate(client: &mut Client) -> StoreResult<Vec<i64>> {
    client
        .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
        .await
        .map_err(pg_error)?;
    let result = apply(client).await;
    let unlock = client
        .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])
        .await;
    let applied = result?;
    unlock.map_err(pg_error)?;
    Ok(applied)
}

async fn apply(client: &mut Client) -> StoreResult<Vec<i64>> {
    let mut done = Vec::new();
    client
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version    BIGINT PRIMARY KEY,
                applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )",
        )
        .await
        .map_err(pg_error)?;
    for &(version, sql) in MIGRATIONS {
        let tx = client.transaction().await.map_err(pg_error)?;
        let applied = tx
            .query_opt(
                "SELECT 1 FROM schema_migrations WHERE version = $1",
                &[&version],
            )
            .await
            .map_err(pg_error)?
            .is_some();
        if !applied {
            tracing::info!(version, "applying PostgreSQL migration");
            done.push(version);
            tx.batch_execute(sql).await.map_err(pg_error)?;
            tx.execute(
                "INSERT INTO schema_migrations (version) VALUES ($1)",
                &[&version],
            )
            .await
            .map_err(pg_error)?;
        }
        tx.commit().await.map_err(pg_error)?;
    }
    Ok(done)
}
