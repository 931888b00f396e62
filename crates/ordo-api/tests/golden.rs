//! The examples of references 000 and 001 (`fixtures/reference/`), PUT into a fresh server,
//! read back over HTTP as the references write them: pinned with insta snapshots, and the
//! facts that matter asserted by hand.

mod common;

use common::*;
use serde_json::{Value, json};

/// Pins a JSON answer as an insta snapshot, pretty-printed with sorted keys.
///
/// Not `insta::assert_json_snapshot!`: the workspace builds serde_json with
/// `arbitrary_precision` (money is exact), and insta then writes every number as
/// `{"$serde_json::private::Number": "0.0"}`. serde_json's own printer keeps each number's
/// text as the server wrote it, which is what these snapshots must pin (`0.0` is not `0`).
macro_rules! assert_wire_snapshot {
    ($name:expr, $value:expr) => {{
        let wire = serde_json::to_string_pretty(&$value).expect("JSON prints");
        insta::assert_snapshot!($name, wire);
    }};
}

/// Whether a field holds an id, which the references sometimes write as a bare number.
fn is_id_field(key: &str) -> bool {
    key == "id" || key.ends_with("Id") || key.ends_with("Ids")
}

/// Records where `actual` differs from `expected`, for every field `expected` has. Numbers
/// compare by their JSON text (`0.0` is not `0`); ids compare as strings and must be strings.
fn compare(path: &str, in_id: bool, expected: &Value, actual: &Value, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(expected), Value::Object(actual)) => {
            for (key, value) in expected {
                let path = format!("{path}.{key}");
                match actual.get(key) {
                    Some(got) => compare(&path, is_id_field(key), value, got, out),
                    None => out.push(format!("{path}: missing, expected {value}")),
                }
            }
        }
        (Value::Array(expected), Value::Array(actual)) => {
            if expected.len() != actual.len() {
                out.push(format!(
                    "{path}: {} elements, expected {}",
                    actual.len(),
                    expected.len()
                ));
                return;
            }
            for (i, (e, a)) in expected.iter().zip(actual).enumerate() {
                compare(&format!("{path}[{i}]"), in_id, e, a, out);
            }
        }
        (Value::Number(number), got) if in_id => {
            if got.as_str() != Some(number.to_string().as_str()) {
                out.push(format!("{path}: {got}, expected the id \"{number}\""));
            }
        }
        (Value::String(text), got) if in_id => {
            if got.as_str() != Some(text.as_str()) {
                out.push(format!("{path}: {got}, expected the id {text:?}"));
            }
        }
        (Value::Number(e), Value::Number(a)) => {
            if e.to_string() != a.to_string() {
                out.push(format!("{path}: {a}, expected {e} (as written)"));
            }
        }
        (e, a) => {
            if e != a {
                out.push(format!("{path}: {a}, expected {e}"));
            }
        }
    }
}

/// Whether `text` is `YYYY-MM-DDTHH:MM:SS`, nothing more.
fn is_v1_datetime(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| b[range].iter().all(u8::is_ascii_digit);
    b.len() == 19
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
}

/// Every datetime field in `value`, with its path.
fn datetimes(path: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                let path = format!("{path}.{key}");
                let is_time = key.ends_with("At") || key.ends_with("Date");
                match value {
                    Value::String(text) if is_time => out.push((path, text.clone())),
                    other => datetimes(&path, other, out),
                }
            }
        }
        Value::Array(values) => {
            for (i, value) in values.iter().enumerate() {
                datetimes(&format!("{path}[{i}]"), value, out);
            }
        }
        _ => {}
    }
}

fn assert_v1_datetimes(value: &Value) {
    let mut found = Vec::new();
    datetimes("", value, &mut found);
    assert!(!found.is_empty(), "no datetimes in {value}");
    for (path, text) in found {
        assert!(
            is_v1_datetime(&text),
            "{path}: {text:?} is not YYYY-MM-DDTHH:MM:SS"
        );
    }
}

/// Every id field in `value` holds a string (or null, or an array of strings).
fn assert_ids_are_strings(path: &str, value: &Value) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                let path = format!("{path}.{key}");
                if is_id_field(key) {
                    let ok = match value {
                        Value::String(_) | Value::Null => true,
                        Value::Array(ids) => ids.iter().all(Value::is_string),
                        _ => false,
                    };
                    assert!(ok, "{path}: {value} is not a string id");
                } else {
                    assert_ids_are_strings(&path, value);
                }
            }
        }
        Value::Array(values) => {
            for (i, value) in values.iter().enumerate() {
                assert_ids_are_strings(&format!("{path}[{i}]"), value);
            }
        }
        _ => {}
    }
}

/// GET that must answer 200 with JSON; the raw text and the parsed body.
async fn get_text(app: &TestApp, path: &str, key: &str) -> (String, Value) {
    let response = app.get(path, key).await;
    assert_eq!(response.status(), 200, "GET {path}");
    assert_json(&response);
    let text = response.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (text, body)
}

#[tokio::test(flavor = "multi_thread")]
async fn order_805685_reads_back_as_reference_001_writes_it() {
    let app = spawn_app().await;
    let key = app.load_fixtures().await;

    let (text, body) = get_text(&app, "/v1/order/805685", &key).await;

    assert_wire_snapshot!("order_805685", body);
    let order = &body["payload"];
    assert_eq!(order["orderId"], json!("805685"));
    // The money texts of the example survive byte for byte, not as floats.
    for written in [
        "\"shippingDiscount\":0.0",
        "\"handlingFee\":0.0",
        "\"total\":172.25",
        "\"shippingPrice\":6.89",
        "\"discount\":0.0",
        "\"unitWeight\":0",
        "\"unitPrice\":154.09",
    ] {
        assert!(text.contains(written), "{written} is not in {text}");
    }
    assert_eq!(order["createdAt"], json!("2021-01-05T00:42:54"));
    assert_eq!(order["items"][0]["itemId"], json!("2077235"));
    assert_eq!(order["billing"]["company"], json!(""));
    assert_eq!(order["customerNotes"], json!(""));
    // An order with none of them: null lists, empty derived link lists.
    assert_eq!(order["payments"], Value::Null);
    assert_eq!(order["shipments"], Value::Null);
    assert_eq!(order["notes"], Value::Null);
    assert_eq!(order["returnIds"], json!([]));
    assert_eq!(order["replacementOrderIds"], json!([]));
    assert_eq!(order["vendorOrderIds"], json!([]));
    assert_v1_datetimes(&body);
    assert_ids_are_strings("payload", order);
}

#[tokio::test(flavor = "multi_thread")]
async fn return_625600_reads_back_with_its_parent_order_id_as_a_string() {
    let app = spawn_app().await;
    let key = app.load_fixtures().await;

    let (_, body) = get_text(&app, "/v1/return/625600", &key).await;

    assert_wire_snapshot!("return_625600", body);
    let rma = &body["payload"];
    assert_eq!(rma["returnId"], json!("625600"));
    // 000 writes `"parentOrderId": 624353`; the contract (and ordo) says string.
    assert_eq!(rma["parentOrderId"], json!("624353"));
    assert_eq!(rma["total"], Value::Null);
    assert_eq!(rma["payments"], Value::Null);
    assert_eq!(rma["shipments"], Value::Null);
    assert_eq!(
        rma["currentStatus"],
        json!({"id": "5", "name": "RMA Received"})
    );
    assert_v1_datetimes(&body);
    assert_ids_are_strings("payload", rma);
}

#[tokio::test(flavor = "multi_thread")]
async fn relations_of_customer_459202_are_reference_000() {
    let app = spawn_app().await;
    let key = app.load_fixtures().await;

    let (_, body) = get_text(&app, "/v1/customer/459202/relations", &key).await;

    assert_wire_snapshot!("relations_459202", body);
    let payload = &body["payload"];
    assert_eq!(payload["customerId"], json!("459202"));
    let entities = payload["orderEntities"].as_object().expect("orderEntities");
    let mut keys: Vec<&str> = entities.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "orders",
            "quotas",
            "returns",
            "vendorOrders",
            "vendorQuotas",
            "vendorReturns"
        ]
    );
    // A kind with no documents is null, as 000 writes it.
    for empty in ["quotas", "vendorQuotas", "vendorOrders", "vendorReturns"] {
        assert_eq!(entities[empty], Value::Null, "{empty}");
    }
    assert_eq!(
        payload_ids(&json!({"payload": entities["orders"]}), "orderId"),
        ["625595", "625606"]
    );
    assert_eq!(
        payload_ids(&json!({"payload": entities["returns"]}), "returnId"),
        ["625600", "625601"]
    );
    let orders = entities["orders"].as_array().unwrap();
    // The vendor order of 625606 belongs to another customer, but its link still shows.
    assert_eq!(orders[1]["vendorOrderIds"], json!(["625607"]));
    assert_eq!(orders[0]["vendorOrderIds"], json!([]));
    assert_eq!(orders[0]["payments"], Value::Null);
    assert_eq!(orders[0]["shipments"], Value::Null);
    assert_eq!(orders[1]["shipments"], Value::Null);
    let payment = &orders[1]["payments"][0];
    assert_eq!(payment["paymentId"], json!("536832"));
    assert_eq!(payment["originalPaymentId"], Value::Null);
    assert_eq!(payment["paymentDate"], json!("2020-06-11T15:38:43"));
    assert_eq!(
        payment["paymentMethod"],
        json!({"id": "3", "code": "google-checkout", "name": "Google Checkout"})
    );
    let returns = entities["returns"].as_array().unwrap();
    for rma in returns {
        assert_eq!(rma["parentOrderId"], json!("624353"));
        assert_eq!(rma["total"], Value::Null);
        assert_eq!(rma["payments"], Value::Null);
        assert_eq!(rma["shipments"], Value::Null);
    }
    assert_v1_datetimes(&body);
    assert_ids_are_strings("payload", payload);
}

#[tokio::test(flavor = "multi_thread")]
async fn order_list_is_wrapped_newest_first_with_derived_links() {
    let app = spawn_app().await;
    let key = app.load_fixtures().await;

    let (_, body) = get_text(&app, "/v1/order/?limit=10", &key).await;

    assert_wire_snapshot!("order_list_limit_10", body);
    // Newest `updatedAt` first: 805685 (2021-01-06), 625606 (06-12), 624353 (06-11),
    // 625595 (06-09).
    assert_eq!(
        payload_ids(&body, "orderId"),
        ["805685", "625606", "624353", "625595"]
    );
    let orders = body["payload"].as_array().unwrap();
    assert_eq!(orders[1]["vendorOrderIds"], json!(["625607"]));
    // Both returns point at 624353, but they are customer 459202's and the order 458817's:
    // links join one customer's documents only.
    assert_eq!(orders[2]["returnIds"], json!([]));
    assert_v1_datetimes(&body);
    assert_ids_are_strings("payload", &body["payload"]);

    // The same list without the trailing slash.
    let (_, bare) = get_text(&app, "/v1/order?limit=10", &key).await;
    assert_eq!(bare, body);
}

#[tokio::test(flavor = "multi_thread")]
async fn order_625606_lists_its_vendor_order_and_624353_no_other_customers_returns() {
    let app = spawn_app().await;
    let key = app.load_fixtures().await;

    let parent = app.get_json("/v1/order/624353", &key).await;
    let with_vendor = app.get_json("/v1/order/625606", &key).await;
    let vendor_order = app.get_json("/v1/vendor-order/625607", &key).await;

    // The returns naming 624353 are another customer's: links never join two customers,
    // except a vendor order's `customerOrderId` (the vendor order is the merchant's own).
    assert_eq!(parent["payload"]["returnIds"], json!([]));
    assert_eq!(with_vendor["payload"]["vendorOrderIds"], json!(["625607"]));
    assert_eq!(vendor_order["payload"]["customerOrderId"], json!("625606"));
    assert_eq!(vendor_order["payload"]["shippingType"], json!("Dropship"));
}

#[tokio::test(flavor = "multi_thread")]
async fn every_fixture_field_reads_back_equal() {
    let app = spawn_app().await;
    let key = app.load_fixtures().await;

    let mut differences = Vec::new();
    for (name, fixture) in fixtures() {
        let kind = fixture["kind"].as_str().unwrap();
        let id = id_text(&fixture[id_field(kind)]);
        let body = app.get_json(&format!("/v1/{kind}/{id}"), &key).await;
        let document = &body["payload"];
        assert!(
            document.is_object(),
            "{name}: payload is the document: {body}"
        );
        assert!(
            document.get("kind").is_none(),
            "{name}: kind is not a v1 field"
        );
        let mut expected = fixture.clone();
        expected.as_object_mut().unwrap().remove("kind");
        compare(name.as_str(), false, &expected, document, &mut differences);
    }
    assert!(differences.is_empty(), "{differences:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn money_and_datetimes_read_back_as_v1_writes_them() {
    let app = spawn_app().await;
    let key = app.create_key(&["orders", "orders:write"]).await;
    let mut document = order("m1", "c1", "2024-03-01T12:30:00+02:00");
    document["createdAt"] = json!("2024-03-01T00:15:00Z");
    document["total"] = serde_json::from_str("1234567890123456789.12345678").unwrap();
    document["shippingPrice"] = serde_json::from_str("12.010").unwrap();
    document["shippingTax"] = serde_json::from_str("0").unwrap();
    document["shippingDiscount"] = serde_json::from_str("-0.50").unwrap();
    document["items"] = json!([{
        "itemId": "i1", "productId": "p1", "unitPrice": 0.1, "quantity": 3, "linePosition": 1,
        "unitWeight": 0.125
    }]);

    assert_eq!(app.put("order", "m1", &document, &key).await.status(), 201);
    let response = app.get("/v1/order/m1", &key).await;
    let text = response.text().await.unwrap();

    for written in [
        "\"total\":1234567890123456789.12345678",
        "\"shippingPrice\":12.010",
        "\"shippingTax\":0,",
        "\"shippingDiscount\":-0.50",
        "\"unitPrice\":0.1,",
        "\"unitWeight\":0.125",
        // Defaults of the contract, written as the examples write them.
        "\"handlingFee\":0.0",
        "\"tax\":0.0",
        // Offsets are read and written as UTC.
        "\"updatedAt\":\"2024-03-01T10:30:00\"",
        "\"createdAt\":\"2024-03-01T00:15:00\"",
    ] {
        assert!(text.contains(written), "{written} is not in {text}");
    }
}
