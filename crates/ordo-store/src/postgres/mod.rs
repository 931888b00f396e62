//! The PostgreSQL store: a `deadpool-postgres` pool of `tokio-postgres` connections with
//! prepared statements cached per connection, TLS when the URL's `sslmode` asks for it.

mod cause;
mod events;
mod keys;
mod listen;
mod read;
mod schema;
mod statuses;
mod write;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use ordo_model::{Ingested, Kind, ListQuery, StatusDictionary, StatusEntry};

// Test hooks: the SQL a list runs, for tests that pin its plan.
#[cfg(feature = "testing")]
pub use read::list_sql;

use crate::anchors::{self, Anchors};
use crate::batches;
use crate::dictionaries::Dictionaries;
use crate::{
    ApiKey, AttemptRecord, Change, ChangeSignal, Delivery, DocBatches, Erased, KeySecret, NewKey,
    NewWebhook, Precondition, PutOptions, PutOutcome, Scope, Store, StoreError, StoreResult,
    StoredDoc, Webhook, WebhookUpdate,
};

/// The channel on which every write that hands out revisions notifies, with its tenant.
pub(crate) const CHANGES_CHANNEL: &str = "ordo_changes";

#[derive(Clone)]
pub struct PostgresStore {
    pool: Pool,
    /// Where the pool connects, to say why it could not.
    target: Arc<cause::Target>,
    anchors: Arc<Anchors>,
    listener: Arc<listen::Listener>,
    dictionaries: Arc<Dictionaries>,
}

/// Errors of a connection that is gone (server down or restarted) mean "unavailable", which
/// the API answers with 503; errors the server reports about a query are backend errors.
pub fn pg_error(error: tokio_postgres::Error) -> StoreError {
    if error.as_db_error().is_some() && !error.is_closed() {
        StoreError::backend(error)
    } else {
        StoreError::Unavailable(error.to_string())
    }
}

impl PostgresStore {
    /// Connects lazily: the pool opens at most `pool_size` connections, as requests need them.
    pub fn open(url: &str, pool_size: usize) -> StoreResult<PostgresStore> {
        let mut config = tokio_postgres::Config::from_str(url)
            .map_err(|e| StoreError::Unavailable(format!("bad PostgreSQL URL: {e}")))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(5));
        }
        if config.get_application_name().is_none() {
            config.application_name("ordo");
        }
        // TLS only when asked for: libpq's default (`prefer`) would encrypt without checking
        // the server's certificate, which protects nothing against an active attacker.
        if !url.contains("sslmode=") {
            config.ssl_mode(tokio_postgres::config::SslMode::Disable);
        }
        let target = Arc::new(cause::Target::of(&config));
        let manager_config = ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        };
        let listener = Arc::new(listen::Listener::new(config.clone()));
        let manager = if config.get_ssl_mode() == tokio_postgres::config::SslMode::Disable {
            Manager::from_config(config, tokio_postgres::NoTls, manager_config)
        } else {
            Manager::from_config(config, tls(), manager_config)
        };
        let pool = Pool::builder(manager)
            .max_size(pool_size)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(Duration::from_secs(5)))
            .create_timeout(Some(Duration::from_secs(5)))
            .recycle_timeout(Some(Duration::from_secs(5)))
            .build()
            .map_err(|e| StoreError::Unavailable(format!("cannot build the pool: {e}")))?;
        Ok(PostgresStore {
            pool,
            target,
            anchors: Arc::default(),
            listener,
            dictionaries: Arc::default(),
        })
    }

    /// Takes a connection and gives it back: opening the store says at once why it cannot
    /// connect, rather than the first request.
    pub async fn check(&self) -> StoreResult<()> {
        self.client().await.map(drop)
    }

    async fn client(&self) -> StoreResult<deadpool_postgres::Object> {
        let started = std::time::Instant::now();
        let client = self
            .pool
            .get()
            .await
            .map_err(|error| StoreError::Unavailable(self.target.explain_pool(&error)));
        crate::record_pool_wait(started);
        client
    }

    /// `EXPLAIN` of `sql` with the given parameters, for tests that pin index use.
    #[cfg(feature = "testing")]
    pub async fn explain(
        &self,
        sql: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> StoreResult<Vec<String>> {
        let client = self.client().await?;
        let rows = client
            .query(&format!("EXPLAIN {sql}"), params)
            .await
            .map_err(pg_error)?;
        Ok(rows.iter().map(|row| row.get(0)).collect())
    }

    async fn write(
        &self,
        scope: Scope<'_>,
        items: Vec<(Ingested, PutOptions)>,
    ) -> StoreResult<Vec<PutOutcome>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_error)?;
        let outcomes = write::put_all(&tx, scope, items).await?;
        tx.commit().await.map_err(pg_error)?;
        // This instance's waiters need not wait for the notification's round trip.
        self.listener.signal().notify();
        Ok(outcomes)
    }
}

pub(crate) fn tls() -> tokio_postgres_rustls::MakeRustlsConnect {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("ring supports the default TLS versions")
    .with_root_certificates(roots)
    .with_no_client_auth();
    tokio_postgres_rustls::MakeRustlsConnect::new(config)
}

#[async_trait]
impl Store for PostgresStore {
    async fn migrate(&self) -> StoreResult<Vec<i64>> {
        let mut client = self.client().await?;
        schema::migrate(&mut client).await
    }

    fn pool_status(&self) -> crate::PoolStatus {
        let status = self.pool.status();
        crate::PoolStatus {
            in_use: status.size - status.available,
            size: status.max_size,
        }
    }

    async fn ping(&self) -> StoreResult<()> {
        let client = self.client().await?;
        client.simple_query("SELECT 1").await.map_err(pg_error)?;
        Ok(())
    }

    async fn put(
        &self,
        scope: Scope<'_>,
        doc: Ingested,
        options: PutOptions,
    ) -> StoreResult<PutOutcome> {
        let mut outcomes = self.write(scope, vec![(doc, options)]).await?;
        outcomes
            .pop()
            .ok_or_else(|| StoreError::Unavailable("no outcome".into()))
    }

    async fn put_many(&self, tenant: &str, docs: Vec<Ingested>) -> StoreResult<Vec<PutOutcome>> {
        let items = docs
            .into_iter()
            .map(|doc| (doc, PutOptions::default()))
            .collect();
        self.write(Scope::tenant(tenant), items).await
    }

    async fn get(&self, scope: Scope<'_>, kind: Kind, id: &str) -> StoreResult<Option<StoredDoc>> {
        read::get(&self.client().await?, scope, kind, id).await
    }

    async fn list(
        &self,
        scope: Scope<'_>,
        kind: Kind,
        query: &ListQuery,
    ) -> StoreResult<Vec<StoredDoc>> {
        let mut client = self.client().await?;
        if query.offset < anchors::STEP {
            return read::list(&client, scope, kind, query, &self.anchors).await;
        }
        let tx = read::snapshot(&mut client).await?;
        let page = read::list(&tx, scope, kind, query, &self.anchors).await?;
        tx.commit().await.map_err(pg_error)?;
        Ok(page)
    }

    async fn customer_pick(
        &self,
        scope: Scope<'_>,
        customer_id: &str,
        kind: Kind,
        pick: crate::Pick,
    ) -> StoreResult<crate::Picked> {
        read::customer_pick(self.client().await?, scope, customer_id, kind, pick).await
    }

    async fn get_many(
        &self,
        scope: Scope<'_>,
        kind: Kind,
        ids: &[String],
    ) -> StoreResult<Vec<StoredDoc>> {
        read::get_many(&self.client().await?, scope, kind, ids).await
    }

    async fn customer_documents_of(
        &self,
        scope: Scope<'_>,
        customer_id: &str,
        kinds: &[Kind],
    ) -> StoreResult<Vec<StoredDoc>> {
        read::customer_documents_of(&self.client().await?, scope, customer_id, kinds).await
    }

    async fn customer_documents(
        &self,
        scope: Scope<'_>,
        customer_id: &str,
    ) -> StoreResult<Vec<StoredDoc>> {
        read::customer_documents(&self.client().await?, scope, customer_id).await
    }

    async fn customer_document_batches(
        &self,
        scope: Scope<'_>,
        customer_id: &str,
    ) -> StoreResult<DocBatches> {
        let client = self.client().await?;
        let (sender, batches) = batches::channel();
        let (tenant, customer, key) = (
            scope.tenant.to_owned(),
            scope.customer.map(str::to_owned),
            scope.key.map(str::to_owned),
        );
        let customer_id = customer_id.to_owned();
        tokio::spawn(async move {
            let scope = Scope {
                tenant: &tenant,
                customer: customer.as_deref(),
                key: key.as_deref(),
            };
            if let Err(e) = read::customer_batches(client, scope, &customer_id, &sender).await {
                sender.send(Err(e)).await;
            }
        });
        Ok(batches)
    }

    async fn changes(&self, tenant: &str, after: i64, limit: u32) -> StoreResult<Vec<StoredDoc>> {
        read::changes(&self.client().await?, tenant, after, limit).await
    }

    async fn feed(&self, tenant: &str, after: i64, limit: u32) -> StoreResult<Vec<Change>> {
        let mut client = self.client().await?;
        let tx = read::snapshot(&mut client).await?;
        let changes = read::feed(&tx, tenant, after, limit).await?;
        tx.commit().await.map_err(pg_error)?;
        Ok(changes)
    }

    async fn relay_feed(&self, tenant: &str, after: i64, limit: u32) -> StoreResult<Vec<Change>> {
        let mut client = self.client().await?;
        let tx = read::snapshot(&mut client).await?;
        let changes = read::relay_feed(&tx, tenant, after, limit).await?;
        tx.commit().await.map_err(pg_error)?;
        Ok(changes)
    }

    fn change_signal(&self) -> ChangeSignal {
        self.listener.subscribe()
    }

    async fn delete(
        &self,
        scope: Scope<'_>,
        kind: Kind,
        id: &str,
        precondition: Precondition,
    ) -> StoreResult<i64> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_error)?;
        let revision = match write::delete(&tx, scope, kind, id, precondition).await {
            Ok(revision) => revision,
            Err(e) => {
                // The DELETE ran before the check failed: roll back now rather than when the
                // dropped transaction's ROLLBACK gets sent, which may be never if the runtime
                // stops first (the connection stays idle in transaction, holding its locks).
                let _ = tx.rollback().await;
                return Err(e);
            }
        };
        tx.commit().await.map_err(pg_error)?;
        self.listener.signal().notify();
        Ok(revision)
    }

    async fn erase_customer(&self, tenant: &str, customer_id: &str) -> StoreResult<Erased> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_error)?;
        let erased = write::erase_customer(&tx, tenant, customer_id).await?;
        tx.commit().await.map_err(pg_error)?;
        self.listener.signal().notify();
        Ok(erased)
    }

    async fn put_statuses(
        &self,
        tenant: &str,
        entries: Vec<StatusEntry>,
    ) -> StoreResult<Vec<bool>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_error)?;
        let changed = statuses::put(&tx, tenant, &entries).await?;
        tx.commit().await.map_err(pg_error)?;
        Ok(changed)
    }

    async fn statuses(&self, scope: Scope<'_>) -> StoreResult<Vec<StatusEntry>> {
        read::statuses(&self.client().await?, scope).await
    }

    async fn status_dictionary(&self, scope: Scope<'_>) -> StoreResult<Arc<StatusDictionary>> {
        let client = self.client().await?;
        let version = read::status_version(&client, scope).await?;
        if let Some(kept) = self.dictionaries.get(scope.tenant, version) {
            return Ok(kept);
        }
        // Read after the version: a change committed in between makes this copy newer than
        // its version, which costs one more read, never a stale answer.
        let entries = statuses::list(&client, scope.tenant).await?;
        let dictionary = Arc::new(StatusDictionary::new(entries));
        self.dictionaries
            .keep(scope.tenant, version, Arc::clone(&dictionary));
        Ok(dictionary)
    }

    async fn create_key(&self, key: NewKey) -> StoreResult<(ApiKey, KeySecret)> {
        keys::create(&self.client().await?, key).await
    }

    async fn authenticate(&self, secret: &str) -> StoreResult<Option<ApiKey>> {
        let Some(id) = crate::parse_secret(secret) else {
            return Ok(None);
        };
        let key = keys::find(&self.client().await?, id).await?;
        Ok(key.filter(|key| key.secret_matches(secret)))
    }

    async fn find_key(&self, id: &str) -> StoreResult<Option<ApiKey>> {
        keys::find(&self.client().await?, id).await
    }

    async fn list_keys(&self) -> StoreResult<Vec<ApiKey>> {
        keys::list(&self.client().await?).await
    }

    async fn revoke_key(&self, id: &str) -> StoreResult<bool> {
        keys::revoke(&self.client().await?, id).await
    }

    async fn tenant_revisions(&self) -> StoreResult<Vec<(String, i64)>> {
        events::tenant_revisions(&self.client().await?).await
    }

    async fn lease_relay(
        &self,
        relay: &str,
        tenant: &str,
        holder: &str,
        ttl_ms: i64,
    ) -> StoreResult<Option<i64>> {
        events::lease(&self.client().await?, relay, tenant, holder, ttl_ms).await
    }

    async fn advance_relay(
        &self,
        relay: &str,
        tenant: &str,
        holder: &str,
        position: i64,
    ) -> StoreResult<bool> {
        events::advance(&self.client().await?, relay, tenant, holder, position).await
    }

    async fn release_relay(&self, relay: &str, tenant: &str, holder: &str) -> StoreResult<()> {
        events::release(&self.client().await?, relay, tenant, holder).await
    }

    async fn relay_positions(&self, relay: &str) -> StoreResult<Vec<(String, i64)>> {
        events::positions(&self.client().await?, relay).await
    }

    async fn create_webhook(&self, new: NewWebhook) -> StoreResult<(Webhook, KeySecret)> {
        events::create(&self.client().await?, new).await
    }

    async fn webhooks(&self, tenant: &str) -> StoreResult<Vec<Webhook>> {
        events::list(&self.client().await?, tenant).await
    }

    async fn webhook_tenants(&self) -> StoreResult<Vec<String>> {
        events::tenants(&self.client().await?).await
    }

    async fn update_webhook(
        &self,
        tenant: &str,
        id: &str,
        update: WebhookUpdate,
    ) -> StoreResult<Option<Webhook>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_error)?;
        let hook = events::update(&tx, tenant, id, update).await?;
        tx.commit().await.map_err(pg_error)?;
        Ok(hook)
    }

    async fn delete_webhook(&self, tenant: &str, id: &str) -> StoreResult<bool> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_error)?;
        let deleted = events::delete(&tx, tenant, id).await?;
        tx.commit().await.map_err(pg_error)?;
        Ok(deleted)
    }

    async fn record_attempt(&self, record: AttemptRecord) -> StoreResult<bool> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_error)?;
        let stored = events::record(&tx, record).await?;
        tx.commit().await.map_err(pg_error)?;
        Ok(stored)
    }

    async fn deliveries(
        &self,
        tenant: &str,
        id: &str,
        limit: i64,
    ) -> StoreResult<Option<Vec<Delivery>>> {
        events::deliveries(&self.client().await?, tenant, id, limit).await
    }
}
