//! Fresh, throw-away stores for tests: a temporary SQLite file, or — when
//! `ORDO_TEST_DATABASE_URL` names a PostgreSQL server — a schema of its own on that server,
//! dropped when the test ends. Runs never collide and leave nothing behind.

use std::sync::Arc;

use crate::{OpenOptions, Store, StoreResult};

pub mod fixtures;

/// The environment variable that selects the backend of a test run. Test support is the one
/// place outside the `ordo` binary that reads the environment: it chooses the test backend,
/// never a setting of a server.
pub const TEST_DATABASE_URL: &str = "ORDO_TEST_DATABASE_URL";

/// PostgreSQL connections of a store that a test opens: enough for the concurrency tests.
/// A server's pool size is a setting of the `ordo` binary, not this.
const TEST_POOL_SIZE: usize = 16;

/// Opens the store `url` names with the options of tests (`ordo_store::open`).
pub async fn open(url: &str) -> StoreResult<Arc<dyn Store>> {
    crate::open_with(
        url,
        &OpenOptions {
            pool_size: TEST_POOL_SIZE,
        },
    )
    .await
}

/// A store and what must be cleaned up after it.
pub struct TestStore {
    pub store: Arc<dyn Store>,
    /// The URL the store was opened with, for a second process (`ordo` CLI) or instance.
    pub url: String,
    _guard: Guard,
}

impl TestStore {
    /// Whether this store is on PostgreSQL (else a SQLite file).
    pub fn is_postgres(&self) -> bool {
        matches!(self._guard, Guard::Postgres { .. })
    }
}

/// The PostgreSQL server of this test run, if `ORDO_TEST_DATABASE_URL` names one.
pub fn postgres_url() -> Option<String> {
    std::env::var(TEST_DATABASE_URL)
        .ok()
        .filter(|url| url.starts_with("postgres"))
}

enum Guard {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { base_url: String, schema: String },
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Guard::Postgres { base_url, schema } = self {
            let (base_url, schema) = (base_url.clone(), schema.clone());
            // Drop may run inside a runtime that is shutting down: use a thread of our own.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                if let Ok(runtime) = runtime {
                    runtime.block_on(drop_schema(&base_url, &schema));
                }
            })
            .join();
        }
    }
}

async fn drop_schema(base_url: &str, schema: &str) {
    if let Ok((client, connection)) = tokio_postgres::connect(base_url, tokio_postgres::NoTls).await
    {
        tokio::spawn(connection);
        let _ = client
            .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
            .await;
    }
}

/// A migrated, empty store on the backend of `ORDO_TEST_DATABASE_URL` (SQLite when unset).
pub async fn fresh_store() -> StoreResult<TestStore> {
    match postgres_url() {
        Some(base_url) => fresh_postgres(&base_url).await,
        None => fresh_sqlite().await,
    }
}

/// A migrated, empty SQLite store, whatever the run's backend (parity tests compare both).
pub async fn fresh_sqlite() -> StoreResult<TestStore> {
    let dir = tempfile::tempdir().map_err(crate::StoreError::backend)?;
    let url = format!("sqlite://{}", dir.path().join("ordo.db").display());
    let store = crate::open(&url).await?;
    store.migrate().await?;
    Ok(TestStore {
        store,
        url,
        _guard: Guard::Sqlite(dir),
    })
}

/// A migrated, empty store in a schema of its own on the PostgreSQL server at `base_url`.
pub async fn fresh_postgres(base_url: &str) -> StoreResult<TestStore> {
    let schema = format!("ordo_test_{:016x}", rand::random::<u64>());
    let (client, connection) = tokio_postgres::connect(base_url, tokio_postgres::NoTls)
        .await
        .map_err(crate::postgres::pg_error)?;
    tokio::spawn(connection);
    client
        .batch_execute(&format!("CREATE SCHEMA {schema}"))
        .await
        .map_err(crate::postgres::pg_error)?;
    let separator = if base_url.contains('?') { '&' } else { '?' };
    // The application name lets a test find (and terminate) this store's connections only.
    let url = format!(
        "{base_url}{separator}options=-c%20search_path%3D{schema}&application_name={schema}"
    );
    let guard = Guard::Postgres {
        base_url: base_url.to_owned(),
        schema,
    };
    let store = crate::open(&url).await?;
    store.migrate().await?;
    Ok(TestStore {
        store,
        url,
        _guard: guard,
    })
}
