//! Servers other than `spawn_app()`'s: over a store that fails on purpose behind working keys
//! (the documented 500, 503 and 409), or with small body limits (413) or a short body
//! deadline (408).

use std::sync::Arc;

use async_trait::async_trait;
use ordo_api::ApiConfig;
use ordo_api::server::ServerLimits;
use ordo_model::{Ingested, Kind, ListQuery, StatusEntry};
use ordo_store::testing::{TestStore, fresh_store};
use ordo_store::{
    ApiKey, AttemptRecord, Change, ChangeSignal, Delivery, Erased, KeySecret, NewKey, NewWebhook,
    Pick, Picked, Precondition, PutOptions, PutOutcome, Scope, Store, StoreError, StoreResult,
    StoredDoc, Webhook, WebhookUpdate,
};

use crate::common::{TENANT, all_scopes, spawn_app_with_limits, test_limits};

/// How the store fails: into the 500s, the 503s, or the 409 of a document that vanishes
/// while it is written.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Every data call: `StoreError::Unavailable`.
    Unavailable,
    /// Every data call: `StoreError::Backend`.
    Broken,
    /// Writes work; a read finds nothing.
    Vanishing,
}

/// A store whose keys work and whose data calls fail as told.
struct Failing {
    inner: Arc<dyn Store>,
    failure: Failure,
}

impl Failing {
    fn fail<T>(&self) -> StoreResult<T> {
        Err(match self.failure {
            Failure::Unavailable => StoreError::Unavailable("switched off by the test".into()),
            Failure::Broken | Failure::Vanishing => StoreError::Backend("broken on purpose".into()),
        })
    }

    fn working(&self) -> bool {
        self.failure == Failure::Vanishing
    }
}

#[async_trait]
impl Store for Failing {
    async fn migrate(&self) -> StoreResult<Vec<i64>> {
        self.inner.migrate().await
    }

    async fn ping(&self) -> StoreResult<()> {
        if self.working() {
            self.inner.ping().await
        } else {
            self.fail()
        }
    }

    async fn put(
        &self,
        scope: Scope<'_>,
        doc: Ingested,
        options: PutOptions,
    ) -> StoreResult<PutOutcome> {
        if self.working() {
            self.inner.put(scope, doc, options).await
        } else {
            self.fail()
        }
    }

    async fn put_many(&self, tenant: &str, docs: Vec<Ingested>) -> StoreResult<Vec<PutOutcome>> {
        if self.working() {
            self.inner.put_many(tenant, docs).await
        } else {
            self.fail()
        }
    }

    async fn get(&self, _: Scope<'_>, _: Kind, _: &str) -> StoreResult<Option<StoredDoc>> {
        if self.working() {
            Ok(None)
        } else {
            self.fail()
        }
    }

    async fn list(&self, _: Scope<'_>, _: Kind, _: &ListQuery) -> StoreResult<Vec<StoredDoc>> {
        self.fail()
    }

    async fn customer_documents(&self, _: Scope<'_>, _: &str) -> StoreResult<Vec<StoredDoc>> {
        self.fail()
    }

    async fn customer_pick(&self, _: Scope<'_>, _: &str, _: Kind, _: Pick) -> StoreResult<Picked> {
        self.fail()
    }

    async fn get_many(&self, _: Scope<'_>, _: Kind, _: &[String]) -> StoreResult<Vec<StoredDoc>> {
        self.fail()
    }

    async fn changes(&self, _: &str, _: i64, _: u32) -> StoreResult<Vec<StoredDoc>> {
        self.fail()
    }

    async fn feed(&self, _: &str, _: i64, _: u32) -> StoreResult<Vec<Change>> {
        self.fail()
    }

    async fn relay_feed(&self, _: &str, _: i64, _: u32) -> StoreResult<Vec<Change>> {
        self.fail()
    }

    fn change_signal(&self) -> ChangeSignal {
        self.inner.change_signal()
    }

    async fn delete(&self, _: Scope<'_>, _: Kind, _: &str, _: Precondition) -> StoreResult<i64> {
        self.fail()
    }

    async fn erase_customer(&self, _: &str, _: &str) -> StoreResult<Erased> {
        self.fail()
    }

    async fn put_statuses(&self, _: &str, _: Vec<StatusEntry>) -> StoreResult<Vec<bool>> {
        self.fail()
    }

    async fn statuses(&self, _: Scope<'_>) -> StoreResult<Vec<StatusEntry>> {
        self.fail()
    }

    async fn create_key(&self, key: NewKey) -> StoreResult<(ApiKey, KeySecret)> {
        self.inner.create_key(key).await
    }

    async fn authenticate(&self, secret: &str) -> StoreResult<Option<ApiKey>> {
        self.inner.authenticate(secret).await
    }

    async fn find_key(&self, id: &str) -> StoreResult<Option<ApiKey>> {
        self.inner.find_key(id).await
    }

    async fn list_keys(&self) -> StoreResult<Vec<ApiKey>> {
        self.inner.list_keys().await
    }

    async fn revoke_key(&self, id: &str) -> StoreResult<bool> {
        self.inner.revoke_key(id).await
    }

    async fn tenant_revisions(&self) -> StoreResult<Vec<(String, i64)>> {
        self.inner.tenant_revisions().await
    }

    async fn lease_relay(
        &self,
        relay: &str,
        tenant: &str,
        holder: &str,
        ttl_ms: i64,
    ) -> StoreResult<Option<i64>> {
        self.inner.lease_relay(relay, tenant, holder, ttl_ms).await
    }

    async fn advance_relay(
        &self,
        relay: &str,
        tenant: &str,
        holder: &str,
        position: i64,
    ) -> StoreResult<bool> {
        self.inner
            .advance_relay(relay, tenant, holder, position)
            .await
    }

    async fn release_relay(&self, relay: &str, tenant: &str, holder: &str) -> StoreResult<()> {
        self.inner.release_relay(relay, tenant, holder).await
    }

    async fn relay_positions(&self, relay: &str) -> StoreResult<Vec<(String, i64)>> {
        self.inner.relay_positions(relay).await
    }

    async fn create_webhook(&self, new: NewWebhook) -> StoreResult<(Webhook, KeySecret)> {
        if self.working() {
            self.inner.create_webhook(new).await
        } else {
            self.fail()
        }
    }

    async fn webhooks(&self, tenant: &str) -> StoreResult<Vec<Webhook>> {
        if self.working() {
            self.inner.webhooks(tenant).await
        } else {
            self.fail()
        }
    }

    async fn webhook_tenants(&self) -> StoreResult<Vec<String>> {
        self.inner.webhook_tenants().await
    }

    async fn update_webhook(
        &self,
        tenant: &str,
        id: &str,
        update: WebhookUpdate,
    ) -> StoreResult<Option<Webhook>> {
        if self.working() {
            self.inner.update_webhook(tenant, id, update).await
        } else {
            self.fail()
        }
    }

    async fn delete_webhook(&self, tenant: &str, id: &str) -> StoreResult<bool> {
        if self.working() {
            self.inner.delete_webhook(tenant, id).await
        } else {
            self.fail()
        }
    }

    async fn record_attempt(&self, record: AttemptRecord) -> StoreResult<bool> {
        self.inner.record_attempt(record).await
    }

    async fn deliveries(
        &self,
        tenant: &str,
        id: &str,
        limit: i64,
    ) -> StoreResult<Option<Vec<Delivery>>> {
        if self.working() {
            self.inner.deliveries(tenant, id, limit).await
        } else {
            self.fail()
        }
    }
}

/// The customer of [`Server::customer_key`].
pub const CUSTOMER: &str = "C-10427";

/// Another server than `spawn_app()`'s: its base URL, a key with every scope (the status
/// dictionary's included), a key of every scope limited to [`CUSTOMER`] (the storefront takes
/// no other), and the fresh store behind them (kept alive by the caller).
pub struct Server {
    pub base_url: String,
    pub key: String,
    pub customer_key: String,
    _fresh: TestStore,
}

impl Server {
    pub async fn start(failure: Option<Failure>, config: ApiConfig) -> Server {
        Server::start_with_limits(failure, config, test_limits()).await
    }

    /// [`Server::start`] under other deadlines.
    pub async fn start_with_limits(
        failure: Option<Failure>,
        config: ApiConfig,
        limits: ServerLimits,
    ) -> Server {
        let fresh = fresh_store().await.expect("a fresh store");
        let inner = Arc::clone(&fresh.store);
        let mut scopes = all_scopes();
        scopes.extend(["statuses".to_owned(), "statuses:write".to_owned()]);
        let key = |customer: Option<&str>| NewKey {
            rate_limit: None,
            tenant: TENANT.to_owned(),
            scopes: scopes.clone(),
            customer_id: customer.map(str::to_owned),
            name: None,
        };
        let (_, secret) = inner.create_key(key(None)).await.expect("a key");
        let (_, customer_secret) = inner.create_key(key(Some(CUSTOMER))).await.expect("a key");
        let store: Arc<dyn Store> = match failure {
            Some(failure) => Arc::new(Failing { inner, failure }),
            None => inner,
        };
        Server {
            base_url: spawn_app_with_limits(store, config, limits).await,
            key: secret.0,
            customer_key: customer_secret.0,
            _fresh: fresh,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }
}
