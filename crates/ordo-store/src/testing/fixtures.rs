//! Documents built from JSON for the integration tests of this crate and the crates above it
//! (ordo-import), written through the same `ingest` every way in uses, and the few store
//! calls those tests make of every document.

use std::sync::Arc;

use ordo_model::{Expect, Ingested, Kind, Timestamp, ingest, render_v1};
use serde_json::{Value, json};
use tempfile::TempDir;

use super::TestStore;
use crate::sqlite::SqliteStore;
use crate::{PutOptions, PutOutcome, Scope, Store, StoredDoc};

/// The name of the SQLite file inside the directory of [`fresh_sqlite`].
pub const SQLITE_FILE: &str = "ordo.db";

/// A migrated, empty store, and the guard that deletes its files when dropped.
///
/// The one place that picks the backend: `ORDO_TEST_DATABASE_URL` (a PostgreSQL server gets
/// a schema of its own per test), else a temporary SQLite file.
pub async fn fresh_store() -> (Arc<dyn Store>, TestStore) {
    let fresh = super::fresh_store().await.expect("a fresh store");
    (Arc::clone(&fresh.store), fresh)
}

/// A migrated, empty SQLite store in a temporary directory, for the tests that need SQLite
/// itself (query plans, the SQLite writer).
pub async fn fresh_sqlite() -> (SqliteStore, TempDir) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join(SQLITE_FILE);
    let store = SqliteStore::open(path.to_str().expect("a UTF-8 temp path"))
        .await
        .expect("the SQLite store opens");
    store.migrate().await.expect("migrations apply");
    (store, dir)
}

/// The whole tenant, no customer restriction.
pub fn tenant(tenant: &str) -> Scope<'_> {
    Scope::tenant(tenant)
}

/// The smallest valid document of `kind` with the given id, customer and `updatedAt`.
pub fn document(kind: Kind, id: &str, customer: &str, updated_at: &str) -> Value {
    let mut value = json!({
        "kind": kind.path(),
        (kind.id_field()): id,
        "createdAt": "2024-01-01T00:00:00",
        "updatedAt": updated_at,
        "total": 10.5,
        "status": "New",
        "statusId": "1",
        "customerId": customer,
        "shippingMethod": "Ground",
        "shippingPrice": 0,
        "shippingTax": 0
    });
    if kind == Kind::VendorOrder {
        value = with(value, "shippingType", json!("Dropship"));
    }
    value
}

pub fn order(id: &str, customer: &str, updated_at: &str) -> Value {
    document(Kind::Order, id, customer, updated_at)
}

/// A return of `parent_order` (`parentOrderId`).
pub fn return_of(id: &str, customer: &str, updated_at: &str, parent_order: &str) -> Value {
    with(
        document(Kind::Return, id, customer, updated_at),
        "parentOrderId",
        json!(parent_order),
    )
}

/// Sets `value[key] = new` on a JSON object.
pub fn with(mut value: Value, key: &str, new: Value) -> Value {
    value
        .as_object_mut()
        .expect("an object")
        .insert(key.to_owned(), new);
    value
}

/// Removes `key` from a JSON object.
pub fn without(mut value: Value, key: &str) -> Value {
    value.as_object_mut().expect("an object").remove(key);
    value
}

/// Ingests a document that names its kind, as an NDJSON line does; "now" is the real time.
pub fn ingested(value: &Value) -> Ingested {
    let expect = Expect {
        kind: None,
        id: None,
        now: Timestamp::now(),
    };
    ingest(value, expect).unwrap_or_else(|errors| panic!("refused: {errors:#?}\n{value:#}"))
}

/// Writes one document for the whole tenant, without preconditions.
pub async fn put(store: &dyn Store, tenant_name: &str, value: &Value) -> PutOutcome {
    store
        .put(tenant(tenant_name), ingested(value), PutOptions::default())
        .await
        .unwrap_or_else(|e| panic!("put failed: {e:?}\n{value:#}"))
}

/// Reads one document for the whole tenant; panics when it is not there.
pub async fn get(store: &dyn Store, tenant_name: &str, kind: Kind, id: &str) -> StoredDoc {
    store
        .get(tenant(tenant_name), kind, id)
        .await
        .expect("get succeeds")
        .unwrap_or_else(|| panic!("{kind} {id} is not stored"))
}

/// The v1 rendering of a stored document (body plus derived link lists), as JSON.
pub fn rendered(doc: &StoredDoc) -> Value {
    let mut out = Vec::new();
    render_v1(&mut out, doc.kind, &doc.body, &doc.derived);
    serde_json::from_slice(&out).expect("render_v1 writes JSON")
}

/// Writes over and deletes documents of `tenant` again and again — a put that replaces one,
/// a child added, changed and deleted (its parent's revision bumped each time its list
/// changes), a document deleted and created again under its id — so the change feed, which
/// shows each document once, loses most revisions. Returns the tenant's last revision.
pub async fn churn(store: &dyn Store, tenant_name: &str) -> i64 {
    let delete = |kind: Kind, id: &'static str| async move {
        store
            .delete(tenant(tenant_name), kind, id, crate::Precondition::None)
            .await
            .unwrap_or_else(|e| panic!("delete {kind} {id} failed: {e:?}"))
    };
    put(
        store,
        tenant_name,
        &order("g1", "c1", "2024-01-02T00:00:00Z"),
    )
    .await;
    put(
        store,
        tenant_name,
        &order("g1", "c1", "2024-01-03T00:00:00Z"),
    )
    .await;
    put(
        store,
        tenant_name,
        &return_of("r1", "c1", "2024-01-03T00:00:00Z", "g1"),
    )
    .await;
    put(
        store,
        tenant_name,
        &return_of("r1", "c1", "2024-01-04T00:00:00Z", "g1"),
    )
    .await;
    put(
        store,
        tenant_name,
        &return_of("r2", "c1", "2024-01-04T00:00:00Z", "g1"),
    )
    .await;
    delete(Kind::Return, "r1").await;
    put(
        store,
        tenant_name,
        &order("g2", "c1", "2024-01-05T00:00:00Z"),
    )
    .await;
    delete(Kind::Order, "g2").await;
    put(
        store,
        tenant_name,
        &order("g2", "c1", "2024-01-06T00:00:00Z"),
    )
    .await;
    delete(Kind::Order, "g2").await;
    put(
        store,
        tenant_name,
        &order("g1", "c1", "2024-01-07T00:00:00Z"),
    )
    .await;
    delete(Kind::Order, "g1").await;
    put(
        store,
        tenant_name,
        &return_of("r2", "c1", "2024-01-08T00:00:00Z", "g1"),
    )
    .await;
    put(
        store,
        tenant_name,
        &order("g1", "c1", "2024-01-09T00:00:00Z"),
    )
    .await;
    delete(Kind::Return, "r2").await;
    store
        .tenant_revisions()
        .await
        .expect("tenant revisions")
        .into_iter()
        .find(|(t, _)| t == tenant_name)
        .map_or(0, |(_, revision)| revision)
}
