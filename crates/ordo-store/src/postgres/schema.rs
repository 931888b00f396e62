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
    (
        5,
        "
    -- Events out (ordo-events). A relay's position per tenant: every revision up to it was
    -- published (acknowledged); the lease says which instance relays the tenant now.
    CREATE TABLE relay_positions (
        relay      TEXT   NOT NULL,
        tenant     TEXT   NOT NULL,
        position   BIGINT NOT NULL,
        holder     TEXT   NOT NULL,
        expires_at BIGINT NOT NULL,
        PRIMARY KEY (relay, tenant)
    );
    -- Writers read the lowest position of a tenant's relays per transaction.
    CREATE INDEX relay_positions_by_tenant ON relay_positions (tenant, position);

    -- Revisions a later write replaced (a document's earlier body, or a tombstone; body NULL)
    -- while some relay of the tenant had not passed them: the change feed shows a document
    -- once, under its latest revision, and the relays must publish every revision. Kept only
    -- above the tenant's lowest relay position; pruned as the relays advance.
    CREATE TABLE superseded (
        tenant   TEXT     NOT NULL,
        revision BIGINT   NOT NULL,
        kind     SMALLINT NOT NULL,
        id       TEXT     NOT NULL,
        body     TEXT,
        PRIMARY KEY (tenant, revision)
    );

    -- The signing secret is kept as its SHA-256 only, as key secrets are. `position`: every
    -- matching change up to it was delivered or given up; retry_*: the delivery held.
    CREATE TABLE webhooks (
        id             TEXT PRIMARY KEY,
        tenant         TEXT    NOT NULL,
        url            TEXT    NOT NULL,
        kinds          TEXT    NOT NULL,
        description    TEXT,
        enabled        BOOLEAN NOT NULL,
        created_at     BIGINT  NOT NULL,
        secret_hash    BYTEA   NOT NULL,
        position       BIGINT  NOT NULL,
        retry_revision BIGINT,
        retry_since    BIGINT,
        retry_attempts INTEGER,
        retry_at       BIGINT,
        failing_since  BIGINT
    );
    CREATE INDEX webhooks_by_tenant ON webhooks (tenant, created_at, id);

    -- The last attempts per webhook (older ones pruned).
    CREATE TABLE webhook_deliveries (
        webhook_id   TEXT    NOT NULL,
        seq          BIGINT  NOT NULL,
        revision     BIGINT  NOT NULL,
        attempted_at BIGINT  NOT NULL,
        status       INTEGER,
        error        TEXT,
        next_retry   BIGINT,
        PRIMARY KEY (webhook_id, seq)
    );
    ",
    ),
    (
        6,
        r#"
    -- The lists' filter index (docs/search.md, crate::filtered): one row per distinct
    -- productId (field 1), mpn (2) and order number (3; `orderNumber`, else
    -- `externalReferenceId`) of each document, written and deleted with it. Codes:
    -- ordo_model::Term. A filtered page walks one value's entries in list order; the
    -- customer rides in the index so that a customer's page is read from it alone.
    CREATE TABLE doc_terms (
        tenant      TEXT     NOT NULL,
        kind        SMALLINT NOT NULL,
        field       SMALLINT NOT NULL,
        value       TEXT COLLATE "C" NOT NULL,
        updated_at  BIGINT   NOT NULL,
        id          TEXT COLLATE "C" NOT NULL,
        customer_id TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (tenant, kind, field, value, updated_at, id) INCLUDE (customer_id)
    );
    CREATE INDEX doc_terms_by_document ON doc_terms (tenant, kind, id);

    -- The entries of the documents stored before, from their stored bodies: what
    -- Document::terms gives for each (empty values are left out).
    INSERT INTO doc_terms (tenant, kind, field, value, updated_at, id, customer_id)
    SELECT DISTINCT d.tenant, d.kind, t.field, t.value, d.updated_at, d.id, d.customer_id
    FROM documents d
    CROSS JOIN LATERAL (SELECT d.body::jsonb AS b) j
    CROSS JOIN LATERAL (
        SELECT 1::smallint AS field, i ->> 'productId' AS value
        FROM jsonb_array_elements(j.b -> 'items') i
        UNION ALL
        SELECT 2, i ->> 'mpn' FROM jsonb_array_elements(j.b -> 'items') i
        UNION ALL
        SELECT 3, coalesce(j.b ->> 'orderNumber', j.b ->> 'externalReferenceId')
    ) t
    WHERE t.value <> '';
    "#,
    ),
    (
        7,
        "
    -- Bumped in the transaction of every change of a tenant's status dictionary: a reader
    -- that finds the version it keeps a copy of knows the copy is current (dictionaries.rs).
    CREATE TABLE status_versions (
        tenant  TEXT   PRIMARY KEY,
        version BIGINT NOT NULL
    );

    -- A document's createdAt, which the dialects page by: read from the customer index alone.
    ALTER TABLE documents ADD COLUMN created_at BIGINT NOT NULL DEFAULT 0;
    UPDATE documents SET created_at =
        extract(epoch FROM ((body::jsonb ->> 'createdAt') || 'Z')::timestamptz)::bigint;
    DROP INDEX documents_by_customer;
    CREATE INDEX documents_by_customer
        ON documents (tenant, customer_id, kind, updated_at, id) INCLUDE (created_at);
    ",
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
