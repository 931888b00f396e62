//! The embedded SQLite store: one writer connection and a small pool of readers, WAL, and
//! `synchronous=FULL` so that nothing acknowledged is lost on power loss. An import's batches
//! commit without the fsync (`Store::import_batch`) until it reports them (`make_durable`).

mod events;
mod keys;
mod read;
mod schema;
mod statuses;
mod write;

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use ordo_model::{Ingested, Kind, ListQuery, StatusDictionary, StatusEntry};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use tokio::sync::Semaphore;

use crate::anchors::Anchors;
use crate::batches;
use crate::dictionaries::Dictionaries;
use crate::signal::Signal;
use crate::{
    ApiKey, AttemptRecord, BatchCounts, Change, ChangeSignal, Delivery, DocBatches, Erased,
    ImportDoc, KeySecret, NewKey, NewWebhook, Precondition, PutOptions, PutOutcome, Scope, Store,
    StoreError, StoreResult, StoredDoc, Webhook, WebhookUpdate,
};

/// Readers run on blocking threads; two cores rarely keep more than four busy.
const READERS: usize = 4;

/// The writer's settings: a commit returns once its fsync of the WAL is done, and the WAL is
/// copied into the database once it holds 1000 pages (SQLite's default); a transaction whose
/// changed pages outgrow the cache writes some of them to the WAL before its commit.
const DURABLE: &str =
    "PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 1000; PRAGMA cache_spill = ON;";

/// The writer's settings for an import's batch commits only: no fsync (the WAL stays
/// consistent; a crash of the machine may roll the commit back), and a checkpoint at 256 MiB
/// of WAL rather than 4 MiB. A page that several batches change (an index leaf) is copied
/// into the database once a checkpoint, not once a batch. And no spill: a transaction of
/// several batches (ordo-import's MERGED_BATCHES) outgrows the 32 MB cache, and pages
/// spilled before the commit are written again when changed again (the fourth round's
/// merged batches without this: 6.9-7.2 s for S, against 5.6-5.9). The cache grows by what
/// the transaction changed (the import's peak RSS ~30 MB higher on S) and gives it back
/// once the commit has written it.
const DEFERRED: &str = "PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 65536;
     PRAGMA cache_spill = OFF;";

/// The writer's settings for an import's durable points (`make_durable`): an fsync, as
/// every durable commit, but the import's checkpoint threshold, so that the point does not
/// also copy the second's WAL into the database. The next ordinary commit, or closing the
/// database, checkpoints what an import leaves in the WAL.
const IMPORT_DURABLE: &str = "PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 65536;";

#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

struct Inner {
    path: String,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    permits: Semaphore,
    anchors: Anchors,
    signal: Signal,
    dictionaries: Dictionaries,
}

fn connect(path: &str, read_only: bool) -> StoreResult<Connection> {
    let flags = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
    };
    let conn = Connection::open_with_flags(path, flags).map_err(|e| {
        StoreError::Unavailable(format!("cannot open SQLite database {path:?}: {e}"))
    })?;
    // Page caches: 1 MB a reader, 2 MB for the writer. The bundled SQLite is built with
    // SQLITE_ENABLE_MEMORY_MANAGEMENT (one page cache for the process, bounded by the sum of
    // the connections' sizes), and a server that only read still held the writer's share:
    // with 32 MB for the writer, 51 MB of page-sized allocations were live at the peak of the
    // benchmark sequence; a 2 MB writer took the server's peak from 99-104 to 79-83 MiB, 1 MB
    // readers 12 MiB more, at the same rates (docs/benchmarks.md, seventh round). Random
    // reads miss a larger cache as well; the OS page cache holds the file. No mmap: mapped
    // pages count once per connection in RSS.
    // busy_timeout covers the short exclusive moments of WAL checkpoints and of a second
    // process (ordo import beside ordo serve) writing.
    let cache_kib = if read_only { 1000 } else { 2000 };
    conn.execute_batch(&format!(
        "PRAGMA busy_timeout = 10000;
         PRAGMA foreign_keys = ON;
         PRAGMA cache_size = -{cache_kib};"
    ))
    .map_err(StoreError::backend)?;
    if !read_only {
        // An import may leave 256 MiB of WAL; once checkpointed, the file shrinks back.
        conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA journal_size_limit = 67108864;")
            .map_err(StoreError::backend)?;
        conn.execute_batch(DURABLE).map_err(StoreError::backend)?;
        // What is deleted or replaced is overwritten with zeros, free pages included, so that
        // an erased customer's data cannot be read back from the file (see `erase_customer`).
        conn.execute_batch("PRAGMA secure_delete = ON;")
            .map_err(StoreError::backend)?;
    }
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

impl SqliteStore {
    /// Opens (creating if needed) the database file at `path`.
    pub async fn open(path: &str) -> StoreResult<SqliteStore> {
        let path = path.to_owned();
        tokio::task::spawn_blocking(move || SqliteStore::open_blocking(&path))
            .await
            .map_err(StoreError::backend)?
    }

    fn open_blocking(path: &str) -> StoreResult<SqliteStore> {
        let writer = connect(path, false)?;
        let readers = (0..READERS)
            .map(|_| connect(path, true))
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(SqliteStore {
            inner: Arc::new(Inner {
                path: path.to_owned(),
                writer: Mutex::new(writer),
                readers: Mutex::new(readers),
                permits: Semaphore::new(READERS),
                anchors: Anchors::default(),
                signal: Signal::default(),
                dictionaries: Dictionaries::default(),
            }),
        })
    }

    /// Runs `f` on a reader connection on a blocking thread.
    async fn read<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        let started = std::time::Instant::now();
        let _permit = self
            .inner
            .permits
            .acquire()
            .await
            .map_err(StoreError::backend)?;
        crate::record_pool_wait(started);
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            let conn = inner.reader()?;
            let result = f(&conn);
            inner.give_back(conn);
            result
        })
        .await
        .map_err(StoreError::backend)?
    }

    /// Runs a point lookup (tens of microseconds) on a free reader right here, sparing the hop
    /// to a blocking thread; when every reader is busy it waits its turn like any read.
    async fn read_now<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        // No wait to record: a point lookup that would wait goes through `read`.
        let Ok(_permit) = self.inner.permits.try_acquire() else {
            return self.read(f).await;
        };
        let Some(conn) = self.inner.free_reader() else {
            return self.read(f).await;
        };
        let result = f(&conn);
        self.inner.give_back(conn);
        result
    }

    /// Runs `f` with the writer connection, under its lock, on a blocking thread.
    async fn with_writer<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection, &Inner) -> StoreResult<T> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            let mut conn = inner.writer.lock().unwrap_or_else(|e| e.into_inner());
            f(&mut conn, &inner)
        })
        .await
        .map_err(StoreError::backend)?
    }

    /// Runs `f` in an immediate transaction on the writer, committing durably when it
    /// succeeds.
    async fn write<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&rusqlite::Transaction<'_>) -> StoreResult<T> + Send + 'static,
    {
        self.with_writer(|conn, inner| {
            let value = commit(conn, f)?;
            inner.signal.notify();
            Ok(value)
        })
        .await
    }

    /// `write` without waking change feed waiters: for writes that change no feed (events
    /// out's positions and webhooks), which would otherwise wake the relays that made them.
    async fn write_quietly<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&rusqlite::Transaction<'_>) -> StoreResult<T> + Send + 'static,
    {
        self.with_writer(|conn, _| commit(conn, f)).await
    }

    /// `write` with the writer's `settings` for that one transaction, under its lock: an
    /// import's commits (`DEFERRED`) do not wait for the disk, while every other write still
    /// commits with `synchronous = FULL`; the fsync of the WAL by such a commit makes the
    /// deferred commits before it durable too (a checkpoint syncs the database before the WAL
    /// is reused).
    async fn write_with<T, F>(&self, settings: &'static str, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&rusqlite::Transaction<'_>) -> StoreResult<T> + Send + 'static,
    {
        self.with_writer(move |conn, inner| {
            let result = conn
                .execute_batch(settings)
                .map_err(StoreError::backend)
                .and_then(|()| commit(conn, f));
            if result.is_ok() {
                inner.signal.notify();
            }
            if conn.execute_batch(DURABLE).is_err() {
                // A writer left deferred would acknowledge writes before they are durable.
                *conn = connect(&inner.path, false)?;
            }
            result
        })
        .await
    }

    /// One of the writer's settings (`synchronous`, `wal_autocheckpoint`, `cache_spill`), for
    /// tests that check that an import leaves the writer as durable as it found it.
    #[cfg(feature = "testing")]
    pub async fn writer_pragma(&self, name: &'static str) -> StoreResult<i64> {
        self.with_writer(move |conn, _| {
            conn.query_row(&format!("PRAGMA {name}"), [], |row| row.get(0))
                .map_err(StoreError::backend)
        })
        .await
    }

    /// The query plan SQLite chooses for `sql`, for tests that pin index use.
    #[cfg(feature = "testing")]
    pub async fn explain(&self, sql: String) -> StoreResult<Vec<String>> {
        self.read(move |conn| {
            let mut stmt = conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .map_err(StoreError::backend)?;
            // Parameters stay unbound: the plan does not depend on their values.
            let mut rows = stmt.raw_query();
            let mut plan = Vec::new();
            while let Some(row) = rows.next().map_err(StoreError::backend)? {
                plan.push(row.get::<_, String>(3).map_err(StoreError::backend)?);
            }
            Ok(plan)
        })
        .await
    }
}

impl Inner {
    /// A reader of the pool, if one is free.
    fn free_reader(&self) -> Option<Connection> {
        self.readers.lock().unwrap_or_else(|e| e.into_inner()).pop()
    }

    /// A reader of the pool, or a connection of its own when streamed reads hold the free
    /// ones.
    fn reader(&self) -> StoreResult<Connection> {
        self.free_reader()
            .map_or_else(|| connect(&self.path, true), Ok)
    }

    /// Returns a reader; the pool keeps `READERS` of them and closes the rest.
    fn give_back(&self, conn: Connection) {
        let mut readers = self.readers.lock().unwrap_or_else(|e| e.into_inner());
        if readers.len() < READERS {
            readers.push(conn);
        }
    }
}

/// Runs `f` in an immediate transaction on `conn`, committing when it succeeds.
fn commit<T>(
    conn: &mut Connection,
    f: impl FnOnce(&rusqlite::Transaction<'_>) -> StoreResult<T>,
) -> StoreResult<T> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(StoreError::backend)?;
    let value = f(&tx)?;
    tx.commit().map_err(StoreError::backend)?;
    Ok(value)
}

// Test hooks: the SQL a list runs, for tests (and the store floor example) that pin its plan.
#[cfg(feature = "testing")]
pub use read::list_sql;

/// A `Scope` that can move to a blocking thread.
struct OwnedScope {
    tenant: String,
    customer: Option<String>,
    key: Option<String>,
}

impl OwnedScope {
    fn new(scope: Scope<'_>) -> OwnedScope {
        OwnedScope {
            tenant: scope.tenant.to_owned(),
            customer: scope.customer.map(str::to_owned),
            key: scope.key.map(str::to_owned),
        }
    }

    fn scope(&self) -> Scope<'_> {
        Scope {
            tenant: &self.tenant,
            customer: self.customer.as_deref(),
            key: self.key.as_deref(),
        }
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn migrate(&self) -> StoreResult<Vec<i64>> {
        self.with_writer(|conn, _| schema::migrate(conn)).await
    }

    /// The reader pool: readers taken by reads in progress (the one writer is not counted).
    fn pool_status(&self) -> crate::PoolStatus {
        crate::PoolStatus {
            in_use: READERS - self.inner.permits.available_permits(),
            size: READERS,
        }
    }

    async fn ping(&self) -> StoreResult<()> {
        self.read(|conn| {
            conn.query_row("SELECT count(*) FROM schema_migrations", [], |_| Ok(()))
                .map_err(|e| StoreError::Unavailable(e.to_string()))
        })
        .await
    }

    async fn put(
        &self,
        scope: Scope<'_>,
        doc: Ingested,
        options: PutOptions,
    ) -> StoreResult<PutOutcome> {
        let scope = OwnedScope::new(scope);
        self.write(move |tx| write::put(tx, scope.scope(), doc, options))
            .await
    }

    async fn put_many(&self, tenant: &str, docs: Vec<Ingested>) -> StoreResult<Vec<PutOutcome>> {
        let tenant = tenant.to_owned();
        self.write(move |tx| {
            let mut writer = write::Writer::new(tx, &tenant);
            let outcomes = docs
                .into_iter()
                .map(|doc| writer.put(Scope::tenant(&tenant), doc, PutOptions::default()))
                .collect::<StoreResult<Vec<_>>>()?;
            writer.finish()?;
            Ok(outcomes)
        })
        .await
    }

    async fn import_batch(
        &self,
        tenant: &str,
        statuses: Vec<StatusEntry>,
        docs: Vec<ImportDoc>,
    ) -> StoreResult<BatchCounts> {
        let tenant = tenant.to_owned();
        self.write_with(DEFERRED, move |tx| {
            let mut counts = BatchCounts::default();
            if !statuses.is_empty() {
                for changed in statuses::put(tx, &tenant, &statuses)? {
                    counts.count(changed);
                }
            }
            let mut writer = write::Writer::new(tx, &tenant);
            for doc in docs {
                let scope = Scope::tenant(&tenant);
                counts.count_put(writer.put_with_body(scope, doc.ingested, doc.body)?);
            }
            writer.finish()?;
            Ok(counts)
        })
        .await
    }

    async fn make_durable(&self) -> StoreResult<()> {
        // A commit with synchronous = FULL syncs the WAL, and with it every deferred commit
        // before it. Rewriting the header's user_version with its own value is the smallest
        // write that makes one: an empty transaction commits nothing, so syncs nothing.
        self.write_with(IMPORT_DURABLE, |tx| {
            let version: i64 = tx
                .query_row("PRAGMA user_version", [], |row| row.get(0))
                .map_err(StoreError::backend)?;
            tx.execute_batch(&format!("PRAGMA user_version = {version}"))
                .map_err(StoreError::backend)
        })
        .await
    }

    async fn get(&self, scope: Scope<'_>, kind: Kind, id: &str) -> StoreResult<Option<StoredDoc>> {
        let scope = OwnedScope::new(scope);
        let id = id.to_owned();
        self.read_now(move |conn| read::get(conn, scope.scope(), kind, &id))
            .await
    }

    async fn list(
        &self,
        scope: Scope<'_>,
        kind: Kind,
        query: &ListQuery,
    ) -> StoreResult<Vec<StoredDoc>> {
        let scope = OwnedScope::new(scope);
        let query = query.clone();
        let inner = Arc::clone(&self.inner);
        self.read(move |conn| read::list(conn, scope.scope(), kind, &query, &inner.anchors))
            .await
    }

    async fn customer_pick(
        &self,
        scope: Scope<'_>,
        customer_id: &str,
        kind: Kind,
        pick: crate::Pick,
    ) -> StoreResult<crate::Picked> {
        let scope = OwnedScope::new(scope);
        let customer_id = customer_id.to_owned();
        self.read(move |conn| read::customer_pick(conn, scope.scope(), &customer_id, kind, pick))
            .await
    }

    async fn get_many(
        &self,
        scope: Scope<'_>,
        kind: Kind,
        ids: &[String],
    ) -> StoreResult<Vec<StoredDoc>> {
        if ids.is_empty() && scope.key.is_none() {
            return Ok(Vec::new());
        }
        let scope = OwnedScope::new(scope);
        let ids = ids.to_vec();
        self.read(move |conn| {
            read::snapshot(conn, scope.scope(), |conn| {
                read::get_many(conn, scope.scope(), kind, &ids)
            })
        })
        .await
    }

    async fn customer_documents_of(
        &self,
        scope: Scope<'_>,
        customer_id: &str,
        kinds: &[Kind],
    ) -> StoreResult<Vec<StoredDoc>> {
        let scope = OwnedScope::new(scope);
        let customer_id = customer_id.to_owned();
        let kinds = kinds.to_vec();
        self.read(move |conn| {
            read::customer_documents_of(conn, scope.scope(), &customer_id, &kinds)
        })
        .await
    }

    async fn customer_documents(
        &self,
        scope: Scope<'_>,
        customer_id: &str,
    ) -> StoreResult<Vec<StoredDoc>> {
        let scope = OwnedScope::new(scope);
        let customer_id = customer_id.to_owned();
        self.read(move |conn| read::customer_documents(conn, scope.scope(), &customer_id))
            .await
    }

    async fn customer_document_batches(
        &self,
        scope: Scope<'_>,
        customer_id: &str,
    ) -> StoreResult<DocBatches> {
        let scope = OwnedScope::new(scope);
        let customer_id = customer_id.to_owned();
        let inner = Arc::clone(&self.inner);
        let (sender, batches) = batches::channel();
        // The read lasts as long as the caller takes its batches, so it holds no reader
        // permit (slow clients would starve every other read): it takes a free reader or
        // opens a connection of its own. The API bounds how many such reads run at once.
        tokio::task::spawn_blocking(move || {
            let conn = match inner.reader() {
                Ok(conn) => conn,
                Err(e) => {
                    sender.send_blocking(Err(e));
                    return;
                }
            };
            let read = read::customer_batches(
                &conn,
                scope.scope(),
                &customer_id,
                batches::BATCH_BYTES,
                |batch| sender.send_blocking(Ok(batch)),
            );
            if let Err(e) = read {
                sender.send_blocking(Err(e));
            }
            inner.give_back(conn);
        });
        Ok(batches)
    }

    async fn changes(&self, tenant: &str, after: i64, limit: u32) -> StoreResult<Vec<StoredDoc>> {
        let tenant = tenant.to_owned();
        self.read(move |conn| read::changes(conn, &tenant, after, limit))
            .await
    }

    async fn feed(&self, tenant: &str, after: i64, limit: u32) -> StoreResult<Vec<Change>> {
        let tenant = tenant.to_owned();
        self.read(move |conn| read::feed(conn, &tenant, after, limit))
            .await
    }

    async fn relay_feed(&self, tenant: &str, after: i64, limit: u32) -> StoreResult<Vec<Change>> {
        let tenant = tenant.to_owned();
        self.read(move |conn| read::relay_feed(conn, &tenant, after, limit))
            .await
    }

    fn change_signal(&self) -> ChangeSignal {
        // One process holds the only writer a server writes with; writes of another process
        // (`ordo import` beside `ordo serve`) are seen by a waiter's next read, at the end
        // of its wait at the latest.
        self.inner.signal.subscribe()
    }

    async fn delete(
        &self,
        scope: Scope<'_>,
        kind: Kind,
        id: &str,
        precondition: Precondition,
    ) -> StoreResult<i64> {
        let scope = OwnedScope::new(scope);
        let id = id.to_owned();
        self.write(move |tx| {
            let mut writer = write::Writer::new(tx, &scope.tenant);
            let revision = writer.delete(scope.scope(), kind, &id, precondition)?;
            writer.finish()?;
            Ok(revision)
        })
        .await
    }

    async fn erase_customer(&self, tenant: &str, customer_id: &str) -> StoreResult<Erased> {
        let (tenant, customer_id) = (tenant.to_owned(), customer_id.to_owned());
        let erased = self
            .write(move |tx| write::erase_customer(tx, &tenant, &customer_id))
            .await?;
        // The deleted pages are zeroed in the WAL; copying them into the database and
        // emptying the WAL leaves no old copy of them in either file (the test
        // erasure_files.rs reads both). A reader holding an old snapshot makes the checkpoint
        // wait (busy_timeout); one that holds it longer leaves the old frames in the WAL until
        // a later checkpoint, which the log says rather than leaving unseen.
        let busy = self
            .with_writer(|conn, _| {
                conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| {
                    row.get::<_, i64>(0)
                })
                .map_err(StoreError::backend)
            })
            .await?;
        if busy != 0 {
            tracing::warn!(
                "customer erased, but a long read kept the WAL from being emptied: the erased \
                 data stays in it until the next checkpoint"
            );
        }
        Ok(erased)
    }

    async fn put_statuses(
        &self,
        tenant: &str,
        entries: Vec<StatusEntry>,
    ) -> StoreResult<Vec<bool>> {
        let tenant = tenant.to_owned();
        self.write(move |tx| statuses::put(tx, &tenant, &entries))
            .await
    }

    async fn statuses(&self, scope: Scope<'_>) -> StoreResult<Vec<StatusEntry>> {
        let scope = OwnedScope::new(scope);
        self.read(move |conn| {
            read::snapshot(conn, scope.scope(), |conn| {
                statuses::list(conn, &scope.tenant)
            })
        })
        .await
    }

    async fn status_dictionary(&self, scope: Scope<'_>) -> StoreResult<Arc<StatusDictionary>> {
        let scope = OwnedScope::new(scope);
        let inner = Arc::clone(&self.inner);
        self.read_now(move |conn| {
            read::snapshot(conn, scope.scope(), |conn| {
                let version = statuses::version(conn, &scope.tenant)?;
                if let Some(kept) = inner.dictionaries.get(&scope.tenant, version) {
                    return Ok(kept);
                }
                let dictionary =
                    Arc::new(StatusDictionary::new(statuses::list(conn, &scope.tenant)?));
                inner
                    .dictionaries
                    .keep(&scope.tenant, version, Arc::clone(&dictionary));
                Ok(dictionary)
            })
        })
        .await
    }

    async fn create_key(&self, key: NewKey) -> StoreResult<(ApiKey, KeySecret)> {
        self.write(move |tx| keys::create(tx, key)).await
    }

    async fn authenticate(&self, secret: &str) -> StoreResult<Option<ApiKey>> {
        let Some(id) = crate::parse_secret(secret) else {
            return Ok(None);
        };
        let id = id.to_owned();
        let key = self.read_now(move |conn| keys::find(conn, &id)).await?;
        Ok(key.filter(|key| key.secret_matches(secret)))
    }

    async fn find_key(&self, id: &str) -> StoreResult<Option<ApiKey>> {
        let id = id.to_owned();
        self.read(move |conn| keys::find(conn, &id)).await
    }

    async fn list_keys(&self) -> StoreResult<Vec<ApiKey>> {
        self.read(keys::list).await
    }

    async fn revoke_key(&self, id: &str) -> StoreResult<bool> {
        let id = id.to_owned();
        self.write(move |tx| keys::revoke(tx, &id)).await
    }

    async fn tenant_revisions(&self) -> StoreResult<Vec<(String, i64)>> {
        self.read(events::tenant_revisions).await
    }

    async fn lease_relay(
        &self,
        relay: &str,
        tenant: &str,
        holder: &str,
        ttl_ms: i64,
    ) -> StoreResult<Option<i64>> {
        let (relay, tenant, holder) = owned3(relay, tenant, holder);
        self.write_quietly(move |tx| events::lease(tx, &relay, &tenant, &holder, ttl_ms))
            .await
    }

    async fn advance_relay(
        &self,
        relay: &str,
        tenant: &str,
        holder: &str,
        position: i64,
    ) -> StoreResult<bool> {
        let (relay, tenant, holder) = owned3(relay, tenant, holder);
        self.write_quietly(move |tx| events::advance(tx, &relay, &tenant, &holder, position))
            .await
    }

    async fn release_relay(&self, relay: &str, tenant: &str, holder: &str) -> StoreResult<()> {
        let (relay, tenant, holder) = owned3(relay, tenant, holder);
        self.write_quietly(move |tx| events::release(tx, &relay, &tenant, &holder))
            .await
    }

    async fn relay_positions(&self, relay: &str) -> StoreResult<Vec<(String, i64)>> {
        let relay = relay.to_owned();
        self.read(move |conn| events::positions(conn, &relay)).await
    }

    async fn create_webhook(&self, new: NewWebhook) -> StoreResult<(Webhook, KeySecret)> {
        self.write_quietly(move |tx| events::create(tx, new)).await
    }

    async fn webhooks(&self, tenant: &str) -> StoreResult<Vec<Webhook>> {
        let tenant = tenant.to_owned();
        self.read(move |conn| events::list(conn, &tenant)).await
    }

    async fn webhook_tenants(&self) -> StoreResult<Vec<String>> {
        self.read(events::tenants).await
    }

    async fn update_webhook(
        &self,
        tenant: &str,
        id: &str,
        update: WebhookUpdate,
    ) -> StoreResult<Option<Webhook>> {
        let (tenant, id) = (tenant.to_owned(), id.to_owned());
        self.write_quietly(move |tx| events::update(tx, &tenant, &id, update))
            .await
    }

    async fn delete_webhook(&self, tenant: &str, id: &str) -> StoreResult<bool> {
        let (tenant, id) = (tenant.to_owned(), id.to_owned());
        self.write_quietly(move |tx| events::delete(tx, &tenant, &id))
            .await
    }

    async fn record_attempt(&self, record: AttemptRecord) -> StoreResult<bool> {
        self.write_quietly(move |tx| events::record(tx, record))
            .await
    }

    async fn deliveries(
        &self,
        tenant: &str,
        id: &str,
        limit: i64,
    ) -> StoreResult<Option<Vec<Delivery>>> {
        let (tenant, id) = (tenant.to_owned(), id.to_owned());
        self.read(move |conn| events::deliveries(conn, &tenant, &id, limit))
            .await
    }
}

fn owned3(a: &str, b: &str, c: &str) -> (String, String, String) {
    (a.to_owned(), b.to_owned(), c.to_owned())
}
