//! The `Store` trait: where ordo keeps documents, revisions and API keys, and its backends.
//! SQL lives only in this crate.
#![forbid(unsafe_code)]

mod anchors;
mod assemble;
mod batches;
mod dictionaries;
pub mod events;
pub mod filtered;
mod keys;
pub mod postgres;
mod put;
mod signal;
pub mod sqlite;
#[cfg(feature = "testing")]
pub mod testing;
#[cfg(feature = "testing")]
pub use testing::open;

use std::sync::Arc;

use async_trait::async_trait;
use ordo_model::{DerivedLinks, Ingested, Kind, ListQuery, StatusDictionary, StatusEntry};

pub use batches::DocBatches;
pub use events::{
    AttemptRecord, Delivery, NewWebhook, Retry, Webhook, WebhookState, WebhookUpdate,
};
pub use keys::{ApiKey, KeySecret, NewKey, hash_secret, parse_secret};
pub use signal::ChangeSignal;

/// A document as read from the store: its stored v1 body, without derived link lists, and
/// those lists, found from the parent links of other documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredDoc {
    pub kind: Kind,
    pub id: String,
    pub revision: i64,
    /// The stored v1 JSON object, without derived link lists (see `ordo_model::render_v1`).
    pub body: String,
    pub derived: DerivedLinks,
}

/// What a reader that pages a customer's documents itself sorts and filters by, read from
/// the customer index without the bodies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocKey {
    /// `createdAt`, seconds since the Unix epoch.
    pub created_at: i64,
    pub id: String,
}

/// A reader's choice among a customer's documents of one kind: given all their keys, the
/// positions of the ones to read (in the order wanted) and how many matched in all.
pub type Pick = Box<dyn FnOnce(&[DocKey]) -> (Vec<usize>, usize) + Send>;

/// The documents a [`Pick`] chose, with its count, read from one snapshot.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Picked {
    pub docs: Vec<StoredDoc>,
    /// How many matched, as the pick counted them.
    pub total: usize,
    /// How many documents of the kind the customer has.
    pub all: usize,
}

/// One entry of a tenant's change feed: a document as it is now, or the tombstone of one that
/// was deleted. A document appears once, under its latest revision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Put(StoredDoc),
    /// A deleted (or erased) document: its kind, id and the revision of the deletion only,
    /// never anything of its content.
    Delete {
        kind: Kind,
        id: String,
        revision: i64,
    },
}

impl Change {
    pub fn revision(&self) -> i64 {
        match self {
            Change::Put(doc) => doc.revision,
            Change::Delete { revision, .. } => *revision,
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Change::Put(doc) => doc.kind,
            Change::Delete { kind, .. } => *kind,
        }
    }

    pub fn id(&self) -> &str {
        match self {
            Change::Put(doc) => &doc.id,
            Change::Delete { id, .. } => id,
        }
    }
}

/// Merges two runs in revision order (documents, tombstones) into the first `limit` changes.
pub(crate) fn merge_changes(docs: Vec<StoredDoc>, gone: Vec<Change>, limit: u32) -> Vec<Change> {
    let mut all: Vec<Change> = docs.into_iter().map(Change::Put).chain(gone).collect();
    all.sort_by_key(Change::revision);
    all.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    all
}

/// Superseded rows as the relays read them: earlier bodies (to get their derived links as
/// they are now) and tombstones.
pub(crate) fn split_superseded(
    rows: Vec<(Kind, String, i64, Option<String>)>,
) -> (Vec<assemble::RawDoc>, Vec<Change>) {
    let mut puts = Vec::new();
    let mut gone = Vec::new();
    for (kind, id, revision, body) in rows {
        match body {
            Some(body) => puts.push(assemble::RawDoc {
                kind,
                id,
                revision,
                body,
            }),
            None => gone.push(Change::Delete { kind, id, revision }),
        }
    }
    (puts, gone)
}

/// The first `limit` of the feed and the superseded revisions, in revision order.
pub(crate) fn merge_superseded(
    current: Vec<Change>,
    puts: Vec<StoredDoc>,
    gone: Vec<Change>,
    limit: u32,
) -> Vec<Change> {
    let mut all: Vec<Change> = current
        .into_iter()
        .chain(puts.into_iter().map(Change::Put))
        .chain(gone)
        .collect();
    all.sort_by_key(Change::revision);
    all.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    all
}

/// What erasing a customer removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Erased {
    /// Documents deleted (each leaves a tombstone).
    pub documents: u64,
    /// Keys limited to the customer that were revoked now.
    pub keys: u64,
}

/// Preconditions of a write.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PutOptions {
    pub precondition: Precondition,
    /// Only a customer's documents may be written (a customer key).
    pub only_customer: bool,
}

/// What must hold of the stored document for a write to go ahead; else `Conflict`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Precondition {
    #[default]
    None,
    /// `If-Match: "N"`: the caller last saw revision N.
    Revision(i64),
    /// `If-Match: *`: the document exists.
    Exists,
    /// `If-None-Match: *`: the document does not exist yet.
    Absent,
}

/// What a write did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PutOutcome {
    Created {
        revision: i64,
    },
    Replaced {
        revision: i64,
    },
    /// The same document was already stored: nothing changed, no new revision.
    Unchanged {
        revision: i64,
    },
}

impl PutOutcome {
    pub fn revision(self) -> i64 {
        match self {
            PutOutcome::Created { revision }
            | PutOutcome::Replaced { revision }
            | PutOutcome::Unchanged { revision } => revision,
        }
    }
}

/// A document of an import with its stored JSON (`Document::to_stored_json`), made by the
/// threads that parse the import rather than by the store's one writer.
pub struct ImportDoc {
    ingested: Ingested,
    body: String,
}

impl ImportDoc {
    pub fn new(ingested: Ingested) -> ImportDoc {
        let body = put::stored_json(&ingested.document);
        ImportDoc { ingested, body }
    }

    pub fn ingested(&self) -> &Ingested {
        &self.ingested
    }

    pub fn into_ingested(self) -> Ingested {
        self.ingested
    }
}

/// What one batch of an import did: entries created or replaced, and entries already stored
/// identical.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BatchCounts {
    pub stored: u64,
    pub unchanged: u64,
}

impl BatchCounts {
    fn count(&mut self, changed: bool) {
        if changed {
            self.stored += 1;
        } else {
            self.unchanged += 1;
        }
    }

    fn count_put(&mut self, outcome: PutOutcome) {
        self.count(!matches!(outcome, PutOutcome::Unchanged { .. }));
    }
}

/// Who reads: every read is bounded by a tenant, and by a customer where the key has one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scope<'a> {
    pub tenant: &'a str,
    pub customer: Option<&'a str>,
    /// The id of the API key the caller presented, when the API authenticated it from its
    /// cache: the read then checks, in the same statement or read transaction, that the key
    /// is still there and not revoked (`StoreError::KeyRevoked` if not). A revocation by
    /// another process (`ordo keys revoke`) thus takes effect at the next request.
    pub key: Option<&'a str>,
}

impl<'a> Scope<'a> {
    /// A tenant's whole data, with no key to check (the command line's reads).
    pub fn tenant(tenant: &'a str) -> Scope<'a> {
        Scope {
            tenant,
            customer: None,
            key: None,
        }
    }

    /// The same bounds without the key, for a read of a request whose key has been checked
    /// already (by an earlier read, or by authenticating at the store): one check a request.
    pub fn key_checked(self) -> Scope<'a> {
        Scope { key: None, ..self }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("revision conflict (current revision {current_revision:?})")]
    Conflict { current_revision: Option<i64> },
    /// The document belongs to another customer than the writer's key allows.
    #[error("document of another customer")]
    OtherCustomer,
    /// The key of `Scope::key` is revoked or gone.
    #[error("API key revoked")]
    KeyRevoked,
    #[error("store unavailable: {0}")]
    Unavailable(String),
    #[error("store backend error")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl StoreError {
    pub fn backend(error: impl std::error::Error + Send + Sync + 'static) -> StoreError {
        StoreError::Backend(Box::new(error))
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A store's connection pool at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PoolStatus {
    pub in_use: usize,
    pub size: usize,
}

/// Records how long a read or write waited for a connection of the pool
/// (`ordo_store_pool_wait_seconds`, exported by ordo-api's `/metrics`).
pub(crate) fn record_pool_wait(started: std::time::Instant) {
    metrics::histogram!("ordo_store_pool_wait_seconds").record(started.elapsed().as_secs_f64());
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Applies pending migrations, answering the versions it applied (none when the schema
    /// was current); safe to call on every start.
    async fn migrate(&self) -> StoreResult<Vec<i64>>;

    /// The connections of the store's pool in use now, and how many it holds at most: for
    /// `/metrics`. A store without a pool answers zeros.
    fn pool_status(&self) -> PoolStatus {
        PoolStatus::default()
    }

    /// Answers when the store can serve reads.
    async fn ping(&self) -> StoreResult<()>;

    /// Stores one document whole, or not at all. With `only_customer`, the document and any
    /// document it replaces must belong to `scope.customer`.
    async fn put(
        &self,
        scope: Scope<'_>,
        doc: Ingested,
        options: PutOptions,
    ) -> StoreResult<PutOutcome>;

    /// Stores documents in order, in one transaction: all of them, or none.
    async fn put_many(&self, tenant: &str, docs: Vec<Ingested>) -> StoreResult<Vec<PutOutcome>>;

    async fn get(&self, scope: Scope<'_>, kind: Kind, id: &str) -> StoreResult<Option<StoredDoc>>;

    async fn list(
        &self,
        scope: Scope<'_>,
        kind: Kind,
        query: &ListQuery,
    ) -> StoreResult<Vec<StoredDoc>>;

    /// Every document of one customer, by kind, oldest first (`updatedAt`, then id).
    async fn customer_documents(
        &self,
        scope: Scope<'_>,
        customer_id: &str,
    ) -> StoreResult<Vec<StoredDoc>>;

    /// The documents of one customer of the given kinds (in the order given, each oldest
    /// first), for a reader that needs no others. The default reads them all and keeps those.
    async fn customer_documents_of(
        &self,
        scope: Scope<'_>,
        customer_id: &str,
        kinds: &[Kind],
    ) -> StoreResult<Vec<StoredDoc>> {
        let mut docs = self.customer_documents(scope, customer_id).await?;
        docs.retain(|doc| kinds.contains(&doc.kind));
        docs.sort_by_key(|doc| kinds.iter().position(|&kind| kind == doc.kind));
        Ok(docs)
    }

    /// A page of a customer's documents of one kind that the reader chooses from their keys
    /// (`pick`), read from one snapshot: the keys come from the customer index and only the
    /// chosen bodies are read, so a customer of thousands of documents costs one page.
    async fn customer_pick(
        &self,
        scope: Scope<'_>,
        customer_id: &str,
        kind: Kind,
        pick: Pick,
    ) -> StoreResult<Picked>;

    /// The documents of `kind` with these ids in the scope, in the order given; ids with no
    /// such document are left out.
    async fn get_many(
        &self,
        scope: Scope<'_>,
        kind: Kind,
        ids: &[String],
    ) -> StoreResult<Vec<StoredDoc>>;

    /// `customer_documents` in batches, read from one snapshot while the caller takes them,
    /// so that a customer of tens of thousands of documents is never in memory whole. The
    /// default reads them all, as one batch.
    async fn customer_document_batches(
        &self,
        scope: Scope<'_>,
        customer_id: &str,
    ) -> StoreResult<DocBatches> {
        let docs = self.customer_documents(scope, customer_id).await?;
        let (sender, batches) = batches::channel();
        if !docs.is_empty() {
            // The channel has room for one batch: this does not wait.
            sender.send(Ok(docs)).await;
        }
        Ok(batches)
    }

    /// Documents with a revision above `after`, in revision order, without deletions (see
    /// `feed` for those).
    async fn changes(&self, tenant: &str, after: i64, limit: u32) -> StoreResult<Vec<StoredDoc>>;

    /// The change feed: documents and tombstones with a revision above `after`, in revision
    /// order, read from one snapshot, at most `limit`. A tenant's revisions become visible in
    /// the order they were handed out, so a reader paging by the last revision it saw never
    /// misses one.
    async fn feed(&self, tenant: &str, after: i64, limit: u32) -> StoreResult<Vec<Change>>;

    /// What the relays publish: the feed merged, by revision and from one snapshot, with the
    /// revisions later writes replaced while a relay of the tenant had not passed them
    /// (`superseded`), so every revision above `after` comes once. A superseded put carries
    /// its body as it was, with derived link lists as they are now.
    async fn relay_feed(&self, tenant: &str, after: i64, limit: u32) -> StoreResult<Vec<Change>>;

    /// Wakes waiters when any change commits (on PostgreSQL, by any instance): a waiter
    /// reads the feed again. Wake-ups may be spurious, never missing.
    fn change_signal(&self) -> ChangeSignal;

    /// Deletes one document: its link rows go (its parents get a new revision, their lists
    /// changed), and a tombstone takes a new revision. `NotFound` when there is no such
    /// document in the scope (another customer's included); `Conflict` when `precondition`
    /// does not hold. Returns the tombstone's revision.
    async fn delete(
        &self,
        scope: Scope<'_>,
        kind: Kind,
        id: &str,
        precondition: Precondition,
    ) -> StoreResult<i64>;

    /// Deletes every document of a customer (tombstones stay, without content) and revokes
    /// every key limited to that customer, in one transaction. Erasing again removes nothing.
    async fn erase_customer(&self, tenant: &str, customer_id: &str) -> StoreResult<Erased>;

    /// Creates or replaces entries of the tenant's status dictionary; true for each entry
    /// that changed.
    async fn put_statuses(&self, tenant: &str, entries: Vec<StatusEntry>)
    -> StoreResult<Vec<bool>>;

    /// Stores one batch of an import: its status entries, then its documents (which may name
    /// those statuses). The store may commit without waiting for the disk: the batch is
    /// durable once `make_durable` returns, and until then a crash (of the machine) may lose
    /// it. The default stores it durably with `put_statuses` and `put_many`.
    async fn import_batch(
        &self,
        tenant: &str,
        statuses: Vec<StatusEntry>,
        docs: Vec<ImportDoc>,
    ) -> StoreResult<BatchCounts> {
        let mut counts = BatchCounts::default();
        if !statuses.is_empty() {
            for changed in self.put_statuses(tenant, statuses).await? {
                counts.count(changed);
            }
        }
        if !docs.is_empty() {
            let docs = docs.into_iter().map(ImportDoc::into_ingested).collect();
            for outcome in self.put_many(tenant, docs).await? {
                counts.count_put(outcome);
            }
        }
        Ok(counts)
    }

    /// Makes every write committed so far durable, those of `import_batch` included. The
    /// default does nothing: it is for stores whose every commit is durable.
    async fn make_durable(&self) -> StoreResult<()> {
        Ok(())
    }

    /// The tenant's status dictionary, by status id.
    async fn statuses(&self, scope: Scope<'_>) -> StoreResult<Vec<StatusEntry>>;

    /// The tenant's status dictionary, ready for lookups; a store may serve a copy it keeps
    /// for as long as the dictionary does not change. The default reads it each time.
    async fn status_dictionary(&self, scope: Scope<'_>) -> StoreResult<Arc<StatusDictionary>> {
        Ok(Arc::new(StatusDictionary::new(self.statuses(scope).await?)))
    }

    async fn create_key(&self, key: NewKey) -> StoreResult<(ApiKey, KeySecret)>;

    /// The key a secret names, if the secret is right; revoked keys are returned revoked.
    async fn authenticate(&self, secret: &str) -> StoreResult<Option<ApiKey>>;

    async fn find_key(&self, id: &str) -> StoreResult<Option<ApiKey>>;

    async fn list_keys(&self) -> StoreResult<Vec<ApiKey>>;

    /// Returns false when no key has that id.
    async fn revoke_key(&self, id: &str) -> StoreResult<bool>;

    // Events out (`ordo-events`): the relays' leases and positions, webhooks. These writes do
    // not wake change feed waiters: they change no feed.

    /// Every tenant with its latest revision.
    async fn tenant_revisions(&self) -> StoreResult<Vec<(String, i64)>>;

    /// Takes or renews `holder`'s lease of `relay` on `tenant` for `ttl_ms` milliseconds,
    /// unless another holder's lease has not expired; answers the relay's position then.
    async fn lease_relay(
        &self,
        relay: &str,
        tenant: &str,
        holder: &str,
        ttl_ms: i64,
    ) -> StoreResult<Option<i64>>;

    /// Moves the relay's position on `tenant` forward (never back) while `holder` holds the
    /// lease; false when it does not (another instance took over).
    async fn advance_relay(
        &self,
        relay: &str,
        tenant: &str,
        holder: &str,
        position: i64,
    ) -> StoreResult<bool>;

    /// Ends `holder`'s lease now, so that another instance may take over at once.
    async fn release_relay(&self, relay: &str, tenant: &str, holder: &str) -> StoreResult<()>;

    /// The relay's position per tenant.
    async fn relay_positions(&self, relay: &str) -> StoreResult<Vec<(String, i64)>>;

    /// Registers a webhook, which receives the changes committed after it; its secret is
    /// returned once and kept as a hash.
    async fn create_webhook(&self, new: NewWebhook) -> StoreResult<(Webhook, KeySecret)>;

    /// The tenant's webhooks, oldest first.
    async fn webhooks(&self, tenant: &str) -> StoreResult<Vec<Webhook>>;

    /// Tenants with at least one enabled webhook.
    async fn webhook_tenants(&self) -> StoreResult<Vec<String>>;

    /// `None` when the tenant has no such webhook.
    async fn update_webhook(
        &self,
        tenant: &str,
        id: &str,
        update: WebhookUpdate,
    ) -> StoreResult<Option<Webhook>>;

    /// Deletes a webhook and its attempts; false when the tenant has no such webhook.
    async fn delete_webhook(&self, tenant: &str, id: &str) -> StoreResult<bool>;

    /// Stores a webhook's state after an attempt, with the attempt; false (nothing stored)
    /// when the webhook is gone or `holder` lost the tenant's webhook lease.
    async fn record_attempt(&self, record: AttemptRecord) -> StoreResult<bool>;

    /// The webhook's last `limit` attempts, newest first; `None` when the tenant has no such
    /// webhook.
    async fn deliveries(
        &self,
        tenant: &str,
        id: &str,
        limit: i64,
    ) -> StoreResult<Option<Vec<Delivery>>>;
}

/// How a store is opened, besides its URL. The caller (the `ordo` binary, from its settings)
/// gives every value: this crate reads no environment and keeps no defaults of its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenOptions {
    /// PostgreSQL connections this instance opens at most (SQLite ignores it).
    pub pool_size: usize,
}

/// Opens the store a database URL names: `sqlite://PATH` or `postgres://USER@HOST:PORT/DB`.
pub async fn open_with(url: &str, options: &OpenOptions) -> StoreResult<Arc<dyn Store>> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let store = sqlite::SqliteStore::open(path).await?;
        return Ok(Arc::new(store));
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let store = postgres::PostgresStore::open(url, options.pool_size)?;
        store.check().await?;
        return Ok(Arc::new(store));
    }
    // The URL itself is not repeated: it may hold a password.
    let scheme = url.split_once("://").map_or("(none)", |(scheme, _)| scheme);
    Err(StoreError::Unavailable(format!(
        "unsupported database URL scheme `{scheme}`: ordo takes sqlite://PATH or \
         postgres://USER[:PASSWORD]@HOST:PORT/DB"
    )))
}
