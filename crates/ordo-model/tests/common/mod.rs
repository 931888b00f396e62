//! Helpers shared by the integration tests: a minimal valid order and shorthand for ingest.
#![allow(dead_code)] // each test file uses a different subset

use ordo_model::{Document, Expect, Kind, Timestamp, ValidationError, ingest};
use serde_json::{Value, json};

/// The instant used as "now" for every write in the tests.
pub fn now() -> Timestamp {
    Timestamp::parse("2024-03-01T12:00:00Z").expect("a valid datetime")
}

/// What an NDJSON line expects: the document names its kind and id.
pub fn from_body() -> Expect<'static> {
    Expect {
        kind: None,
        id: None,
        now: now(),
    }
}

/// What `PUT /v1/{kind}/{id}` expects.
pub fn from_path(kind: Kind, id: &str) -> Expect<'_> {
    Expect {
        kind: Some(kind),
        id: Some(id),
        now: now(),
    }
}

/// The smallest order that ingests: the required fields of reference 001 and nothing else.
pub fn minimal_order() -> Value {
    json!({
        "kind": "order",
        "orderId": "1001",
        "createdAt": "2021-01-05T00:42:54",
        "updatedAt": "2021-01-06T08:00:00",
        "total": 10.5,
        "status": "New Orders",
        "statusId": "7",
        "customerId": "592786",
        "shippingMethod": "Standard Ground",
        "shippingPrice": 0.0,
        "shippingTax": 0.0
    })
}

/// A valid order line item at `position`.
pub fn item(position: i64) -> Value {
    json!({
        "itemId": format!("item-{position}"),
        "productId": "3158135",
        "unitPrice": 154.09,
        "quantity": 1,
        "linePosition": position
    })
}

/// A valid address.
pub fn address() -> Value {
    json!({
        "firstName": "Some",
        "lastName": "Person",
        "zip": "33446",
        "country": "United States",
        "state": "FL",
        "city": "Delray Beach",
        "address1": "4417 Some Rd"
    })
}

/// Ingests a document that names its kind; panics with the problems if it is refused.
pub fn ingest_ok(value: &Value) -> Document {
    match ingest(value, from_body()) {
        Ok(ingested) => ingested.document,
        Err(errors) => panic!("refused: {errors:#?}\n{value:#}"),
    }
}

/// Ingests a document that must be refused and returns its problems.
pub fn ingest_err(value: &Value, expect: Expect<'_>) -> Vec<ValidationError> {
    match ingest(value, expect) {
        Ok(ingested) => panic!("accepted: {:#?}\n{value:#}", ingested.document),
        Err(errors) => errors,
    }
}

/// The `field` of each problem, sorted: the order problems are found in is not a contract.
pub fn fields(errors: &[ValidationError]) -> Vec<String> {
    let mut fields: Vec<String> = errors.iter().map(|e| e.field.clone()).collect();
    fields.sort();
    fields
}

/// The problem reported for `field`; panics when there is none.
pub fn problem<'e>(errors: &'e [ValidationError], field: &str) -> &'e str {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.problem.as_str())
        .unwrap_or_else(|| panic!("no problem for {field:?} in {errors:#?}"))
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
