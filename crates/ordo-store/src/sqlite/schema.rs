//! SQLite schema, as numbered migrations applied in order, each in its own transaction.

use rusqlite::Connection;

use crate::{StoreError, StoreResult};

/// Never edit a released migration; add the next one.
const MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
        "
    CREATE TABLE tenants (
        tenant   TEXT PRIMARY KEY,
        revision INTEGER NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE documents (
        tenant      TEXT    NOT NULL,
        kind        INTEGER NOT NULL,
        id          TEXT    NOT NULL,
        customer_id TEXT    NOT NULL,
        updated_at  INTEGER NOT NULL,
        revision    INTEGER NOT NULL,
        body        TEXT    NOT NULL,
        UNIQUE (tenant, kind, id)
    );
    CREATE INDEX documents_by_updated ON documents (tenant, kind, updated_at, id);
    CREATE INDEX documents_by_customer ON documents (tenant, customer_id, kind, updated_at, id);
    CREATE UNIQUE INDEX documents_by_revision ON documents (tenant, revision);

    -- One row per parent link a document carries; derived link lists read it by parent.
    CREATE TABLE links (
        tenant           TEXT    NOT NULL,
        parent_kind      INTEGER NOT NULL,
        parent_id        TEXT    NOT NULL,
        child_kind       INTEGER NOT NULL,
        child_id         TEXT    NOT NULL,
        child_customer   TEXT    NOT NULL,
        child_created_at INTEGER NOT NULL,
        PRIMARY KEY (tenant, parent_kind, parent_id, child_kind, child_id)
    ) WITHOUT ROWID;
    CREATE INDEX links_by_child ON links (tenant, child_kind, child_id);

    CREATE TABLE api_keys (
        id          TEXT PRIMARY KEY,
        tenant      TEXT    NOT NULL,
        name        TEXT,
        scopes      TEXT    NOT NULL,
        customer_id TEXT,
        secret_hash BLOB    NOT NULL,
        created_at  INTEGER NOT NULL,
        revoked     INTEGER NOT NULL DEFAULT 0
    );
    ",
    ),
    (
        2,
        "
    CREATE TABLE statuses (
        tenant    TEXT NOT NULL,
        status_id TEXT NOT NULL,
        name      TEXT NOT NULL,
        phase     TEXT NOT NULL,
        PRIMARY KEY (tenant, status_id)
    ) WITHOUT ROWID;
    ",
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
        "
    -- What is left of a deleted document for the change feed: no content, no customer.
    -- A document created again under the same id loses its tombstone.
    CREATE TABLE tombstones (
        tenant   TEXT    NOT NULL,
        kind     INTEGER NOT NULL,
        id       TEXT    NOT NULL,
        revision INTEGER NOT NULL,
        PRIMARY KEY (tenant, kind, id)
    ) WITHOUT ROWID;
    CREATE UNIQUE INDEX tombstones_by_revision ON tombstones (tenant, revision);
    ",
    ),
    (
        5,
        "
    -- Events out (ordo-events). A relay's position per tenant: every revision up to it was
    -- published (acknowledged); the lease says which instance relays the tenant now.
    CREATE TABLE relay_positions (
        relay      TEXT   NOT NULL,
        tenant     TEXT   NOT NULL,
        position   INTEGER NOT NULL,
        holder     TEXT   NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (relay, tenant)
    ) WITHOUT ROWID;
    -- Writers read the lowest position of a tenant's relays per transaction.
    CREATE INDEX relay_positions_by_tenant ON relay_positions (tenant, position);

    -- Revisions a later write replaced (a document's earlier body, or a tombstone; body NULL)
    -- while some relay of the tenant had not passed them: the change feed shows a document
    -- once, under its latest revision, and the relays must publish every revision. Kept only
    -- above the tenant's lowest relay position; pruned as the relays advance.
    CREATE TABLE superseded (
        tenant   TEXT    NOT NULL,
        revision INTEGER NOT NULL,
        kind     INTEGER NOT NULL,
        id       TEXT    NOT NULL,
        body     TEXT,
        PRIMARY KEY (tenant, revision)
    ) WITHOUT ROWID;

    -- The signing secret is kept as its SHA-256 only, as key secrets are. `position`: every
    -- matching change up to it was delivered or given up; retry_*: the delivery held.
    CREATE TABLE webhooks (
        id             TEXT PRIMARY KEY,
        tenant         TEXT    NOT NULL,
        url            TEXT    NOT NULL,
        kinds          TEXT    NOT NULL,
        description    TEXT,
        enabled        INTEGER NOT NULL,
        created_at     INTEGER  NOT NULL,
        secret_hash    BLOB    NOT NULL,
        position       INTEGER  NOT NULL,
        retry_revision INTEGER,
        retry_since    INTEGER,
        retry_attempts INTEGER,
        retry_at       INTEGER,
        failing_since  INTEGER
    );
    CREATE INDEX webhooks_by_tenant ON webhooks (tenant, created_at, id);

    -- The last attempts per webhook (older ones pruned).
    CREATE TABLE webhook_deliveries (
        webhook_id   TEXT    NOT NULL,
        seq          INTEGER  NOT NULL,
        revision     INTEGER  NOT NULL,
        attempted_at INTEGER  NOT NULL,
        status       INTEGER,
        error        TEXT,
        next_retry   INTEGER,
        PRIMARY KEY (webhook_id, seq)
    ) WITHOUT ROWID;
    ",
    ),
    (
        6,
        "
    -- The lists' filter index (docs/search.md, crate::filtered): one row per distinct
    -- productId (field 1), mpn (2) and order number (3; `orderNumber`, else
    -- `externalReferenceId`) of each document, written and deleted with it. Codes:
    -- ordo_model::Term. A filtered page walks one value's entries in list order.
    CREATE TABLE doc_terms (
        tenant      TEXT    NOT NULL,
        kind        INTEGER NOT NULL,
        field       INTEGER NOT NULL,
        value       TEXT    NOT NULL,
        updated_at  INTEGER NOT NULL,
        id          TEXT    NOT NULL,
        customer_id TEXT    NOT NULL,
        PRIMARY KEY (tenant, kind, field, value, updated_at, id)
    ) WITHOUT ROWID;
    CREATE INDEX doc_terms_by_document ON doc_terms (tenant, kind, id);

    -- The entries of the documents stored before, from their stored bodies: what
    -- Document::terms gives for each (empty values are left out).
    INSERT OR IGNORE INTO doc_terms (tenant, kind, field, value, updated_at, id, customer_id)
    SELECT tenant, kind, field, value, updated_at, id, customer_id FROM (
        SELECT d.tenant, d.kind, 1 AS field, json_extract(i.value, '$.productId') AS value,
               d.updated_at, d.id, d.customer_id
        FROM documents d, json_each(d.body, '$.items') i
        UNION ALL
        SELECT d.tenant, d.kind, 2, json_extract(i.value, '$.mpn'),
               d.updated_at, d.id, d.customer_id
        FROM documents d, json_each(d.body, '$.items') i
        UNION ALL
        SELECT d.tenant, d.kind, 3,
               coalesce(json_extract(d.body, '$.orderNumber'),
                        json_extract(d.body, '$.externalReferenceId')),
               d.updated_at, d.id, d.customer_id
        FROM documents d
    ) WHERE value <> '';
    ",
    ),
    (
        7,
        "
    -- Bumped in the transaction of every change of a tenant's status dictionary: a reader
    -- that finds the version it keeps a copy of knows the copy is current (dictionaries.rs).
    CREATE TABLE status_versions (
        tenant  TEXT    PRIMARY KEY,
        version INTEGER NOT NULL
    ) WITHOUT ROWID;

    -- A document's createdAt, which the dialects page by: read from the customer index alone
    -- (a column after the body would cost the body's overflow pages to reach).
    ALTER TABLE documents ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
    UPDATE documents SET created_at = unixepoch(json_extract(body, '$.createdAt'));
    DROP INDEX documents_by_customer;
    CREATE INDEX documents_by_customer
        ON documents (tenant, customer_id, kind, updated_at, id, created_at);
    ",
    ),
];

pub(crate) fn migrate(conn: &mut Connection) -> StoreResult<Vec<i64>> {
    let mut done = Vec::new();
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            applied_at INTEGER NOT NULL
        )",
    )
    .map_err(StoreError::backend)?;
    for &(version, sql) in MIGRATIONS {
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(StoreError::backend)?;
        let applied: bool = tx
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = ?1)",
                [version],
                |row| row.get(0),
            )
            .map_err(StoreError::backend)?;
        if !applied {
            tracing::info!(version, "applying SQLite migration");
            done.push(version);
            tx.execute_batch(sql).map_err(StoreError::backend)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, unixepoch())",
                [version],
            )
            .map_err(StoreError::backend)?;
        }
        tx.commit().map_err(StoreError::backend)?;
    }
    Ok(done)
}
