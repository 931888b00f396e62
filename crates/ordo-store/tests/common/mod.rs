//! Helpers shared by the store's integration tests: a fresh store per test, and documents
//! built from JSON through the same `ingest` every way in uses (`ordo_store::testing::fixtures`,
//! shared with ordo-import's tests), and those only these tests need.
#![allow(dead_code)] // each test file uses a different subset

pub use ordo_store::testing::fixtures::*;

use ordo_model::{Kind, ListQuery, Timestamp};
use ordo_store::{Scope, StoredDoc};
use serde_json::{Value, json};

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

pub fn quote(id: &str, customer: &str, updated_at: &str) -> Value {
    document(Kind::Quote, id, customer, updated_at)
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
        filter: ordo_model::ListFilter::default(),
    }
}

/// The ids of stored documents, in the order given.
pub fn ids(docs: &[StoredDoc]) -> Vec<&str> {
    docs.iter().map(|d| d.id.as_str()).collect()
}
