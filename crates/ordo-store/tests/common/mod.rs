//! Helpers shared by the store's integration tests: a fresh store per test, and documents
//! built from JSON through the same `ingest` every way in uses.
#![allow(dead_code)] // each test file uses a different subset

use std::sync::Arc;

use ordo_model::{Expect, Ingested, Kind, ListQuery, Timestamp, ingest, render_v1};
use ordo_store::sqlite::SqliteStore;
use ordo_store::{PutOptions, PutOutcome, Scope, Store, StoredDoc};
use serde_json::{Value, json};
use tempfile::TempDir;

/// The name of the SQLite file inside the directory of [`fresh_sqlite`].
pub const SQLITE_FILE: &str = "ordo.db";

/// A migrated, empty store, and the guard that deletes its files when dropped.
///
/// The one place that picks the backend: `ORDO_TEST_DATABASE_URL` (a PostgreSQL server gets
/// a schema of its own per test), else a temporary SQLite file.
pub async fn fresh_store() -> (Arc<dyn Store>, ordo_store::testing::TestStore) {
    let fresh = ordo_store::testing::fresh_store()
        .await
        .expect("a fresh store");
    (Arc::clone(&fresh.store), fresh)
}

/// A migrated, empty SQLite store in a temporary directory, for the tests that need
/// SQLite itself (query plans).
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

/// One customer of a tenant, as a customer key sees it.
pub fn customer<'a>(tenant: &'a str, customer: &'a str) -> Scope<'a> {
    Scope {
        tenant,
        customer: Some(customer),
        key: None,
    }
}

/// A datetime in any form ingest accepts.
pub fn at(text: &str) -> Timestamp {
    Timestamp::parse(text).unwrap_or_else(|| panic!("{text:?} is not a datetime"))
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

pub fn quote(id: &str, customer: &str, updated_at: &str) -> Value {
    document(Kind::Quote, id, customer, updated_at)
}

/// A return of `parent_order` (`parentOrderId`).
pub fn return_of(id: &str, customer: &str, updated_at: &str, parent_order: &str) -> Value {
    with(
        document(Kind::Return, id, customer, updated_at),
        "parentOrderId",
        json!(parent_order),
    )
}

/// An order with most optional parts filled, to check that a body survives the store whole.
pub fn rich_order(id: &str, customer: &str) -> Value {
    let address = json!({
        "firstName": "Ada", "lastName": "Lovelace", "company": "Engines Ltd",
        "phone": "+1 555 0100", "zip": "33446", "country": "United States", "state": "FL",
        "city": "Delray Beach", "address1": "4417 Some Rd", "address2": "Suite 5",
        "email": "ada@example.com"
    });
    let mut value = order(id, customer, "2024-02-03T04:05:06Z");
    for (key, new) in [
        ("total", json!(1234.5678)),
        ("currency", json!("EUR")),
        ("shoppingCartId", json!("cart-9")),
        ("customerNotes", json!("Leave at the door — ünïcödé")),
        ("channel", json!("web")),
        ("shippingPrice", json!(9.99)),
        ("shippingTax", json!(1.90)),
        ("shippingDiscount", json!(0.5)),
        ("handlingFee", json!(2)),
        ("createdBy", json!({"id": "u1", "name": "Clerk"})),
        ("salesRep", json!({"id": "u2"})),
        ("billing", address.clone()),
        ("shipping", address),
        (
            "items",
            json!([{
                "itemId": "i1", "productId": "p1", "unitPrice": 154.09, "quantity": 3,
                "linePosition": 1, "unitWeight": 0.125, "tax": 1.1, "discount": 0,
                "mpn": "MPN-1", "itemName": "Widget", "unitOfMeasure": {"id": "EA", "name": "Each"}
            }]),
        ),
        (
            "notes",
            json!([{
                "noteId": "n1", "message": "Called", "actionTypeCode": "PhoneCall",
                "createdAt": "2024-02-03T04:00:00", "author": {"id": "u1", "name": "Clerk"}
            }]),
        ),
        (
            "payments",
            json!([{
                "paymentId": "pay1", "amount": 1234.5678, "paymentDate": "2024-02-03T04:01:00",
                "paymentMethod": {"id": "cc", "code": "VISA", "name": "Visa"},
                "paymentType": "Charge"
            }]),
        ),
        (
            "shipments",
            json!([{"packages": [{
                "packageId": "pk1", "trackingNumber": "1Z999", "shipDate": "2024-02-04T00:00:00",
                "carrierName": "UPS", "service": "Ground", "shippingPrice": 9.99
            }]}]),
        ),
    ] {
        value = with(value, key, new);
    }
    value
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

/// One derived list (`returnIds`, ...) of a stored document, as it renders.
pub fn derived_list(doc: &StoredDoc, name: &str) -> Vec<String> {
    let value = rendered(doc);
    let list = value
        .get(name)
        .unwrap_or_else(|| panic!("{} {} renders no {name}: {value:#}", doc.kind, doc.id));
    serde_json::from_value(list.clone()).expect("a list of string ids")
}

/// A list query with every field given.
pub fn window(
    from: Option<Timestamp>,
    to: Option<Timestamp>,
    newest: bool,
    limit: u32,
    offset: u64,
) -> ListQuery {
    ListQuery {
        from,
        to,
        newest,
        limit,
        offset,
    }
}

/// The ids of stored documents, in the order given.
pub fn ids(docs: &[StoredDoc]) -> Vec<&str> {
    docs.iter().map(|d| d.id.as_str()).collect()
}
