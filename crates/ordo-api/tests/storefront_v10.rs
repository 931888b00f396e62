//! The `storefront_v10` dialect (reference 004) through the real server: the reference's
//! example call answered from the canonical documents of `fixtures/storefront_v10/`, pinned
//! field by field and with insta; auth, body and projection errors; customer isolation; and
//! paging against an oracle.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};

use common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};

const PATH: &str = "/api/v10/storefront.orders";
/// The customer of the example order.
const CUSTOMER: &str = "C-10427";

/// Pins a JSON answer as an insta snapshot, pretty-printed (sorted keys) with every number
/// as the server wrote it; see tests/golden.rs for why not `assert_json_snapshot!`.
macro_rules! assert_wire_snapshot {
    ($name:expr, $value:expr) => {{
        let wire = serde_json::to_string_pretty(&$value).expect("JSON prints");
        insta::assert_snapshot!($name, wire);
    }};
}

// ---------------------------------------------------------------------------------------
// Loading and calling

/// The documents of `fixtures/storefront_v10/`, in file-name order.
fn fixtures() -> Vec<Value> {
    let files = fixture_files("storefront_v10");
    files.into_iter().map(|(_, document)| document).collect()
}

/// The tenant's status dictionary of the fixtures: phases for names that do not say them.
fn statuses() -> Vec<Value> {
    vec![
        json!({"kind": "status", "statusId": "20", "name": "Being prepared", "phase": "Open"}),
        json!({"kind": "status", "statusId": "50", "name": "Awaiting inspection", "phase": "New"}),
        json!({"kind": "status", "statusId": "64", "name": "RMA Completed", "phase": "Completed"}),
    ]
}

/// A key of `tenant` that may write what these tests load.
async fn writer(app: &TestApp, tenant: &str) -> String {
    let scopes = [
        "orders:write",
        "returns:write",
        "quotas:write",
        "statuses:write",
    ];
    app.create_key_for(tenant, &scopes, None).await
}

/// Imports `lines` through `POST /v1/import`; every line must be stored.
async fn import(app: &TestApp, lines: &[Value], key: &str) {
    let response = app.import(ndjson(lines), key).await;
    let status = response.status();
    let body: Value = response.json().await.expect("a JSON answer");
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["payload"]["rejected"], json!(0), "{body}");
}

/// A customer key of tenant `default` with the scope `orders`.
async fn customer_key(app: &TestApp, customer: &str) -> String {
    app.create_key_for(TENANT, &["orders"], Some(customer))
        .await
}

/// The fixtures and the dictionary, loaded into tenant `default`; a key of the example's
/// customer.
async fn example_app() -> (TestApp, String) {
    let app = spawn_app().await;
    let key = writer(&app, TENANT).await;
    let mut lines = statuses();
    lines.extend(fixtures());
    import(&app, &lines, &key).await;
    let customer = customer_key(&app, CUSTOMER).await;
    (app, customer)
}

async fn post(app: &TestApp, key: Option<&str>, body: &Value) -> reqwest::Response {
    let mut request = app.client.post(app.url(PATH)).json(body);
    if let Some(key) = key {
        request = request.header("X-Customer-Key", key);
    }
    request.send().await.expect("the server answers")
}

/// A call that must answer 200 `{"status": "ok", ...}`; its body.
async fn orders(app: &TestApp, key: &str, body: &Value) -> Value {
    let response = post(app, Some(key), body).await;
    let status = response.status();
    let content_type = response.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_owned();
    let text = response.text().await.expect("a body");
    assert_eq!(status, 200, "{body}: {text}");
    assert_eq!(content_type, "application/json");
    let answer: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(answer["status"], "ok", "{text}");
    answer
}

/// The `id`s of an answer's orders.
fn ids(answer: &Value) -> Vec<u64> {
    answer["orders"]
        .as_array()
        .unwrap_or_else(|| panic!("orders is an array: {answer}"))
        .iter()
        .map(|o| o["id"].as_u64().expect("an integer id"))
        .collect()
}

/// Checks the storefront's error envelope and status; returns the body.
async fn expect_storefront_error(response: reqwest::Response, status: u16, code: &str) -> Value {
    let got = response.status();
    let content_type = response.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_owned();
    let text = response.text().await.expect("a body");
    assert_eq!(got, status, "{text}");
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let body: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(body["status"], "error", "{text}");
    assert_eq!(body["error"]["code"], code, "{text}");
    assert!(
        !body["error"]["message"].as_str().unwrap_or("").is_empty(),
        "{text}"
    );
    assert!(body["error"]["details"].is_array(), "{text}");
    let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["error", "status"], "{text}");
    body
}

fn detail_fields(body: &Value) -> Vec<String> {
    let mut fields: Vec<String> = body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap().to_owned())
        .collect();
    fields.sort();
    fields
}

// ---------------------------------------------------------------------------------------
// The reference's example

/// Reference 004's example request: its `fields` are every field of an order, its `ids`
/// the twelve orders of the customer after 1610388542 (the example's `…`).
fn example_request() -> Value {
    json!({
        "conditions": {"ids": example_ids(), "after": 1_610_388_542_u64},
        "fields": [
            "id", "number", "status", "creationTime", "updateTime", "referenceType",
            "referenceNumber", "token", "rounding", "locale", "items", "shipments", "returns",
            "coupon", "prediscountSubtotal", "taxedPrediscountSubtotal", "discounts",
            "discountsIncludeTaxes", "subtotal", "taxedSubtotal", "shippingMethod",
            "paymentMethod", "taxes", "taxAmount", "total", "taxedTotal", "isPaidFor",
            "quantity", "weight", "invoiceRecipient", "customerName", "billingAddress",
            "shippingAddress", "sellerAddress", "requests", "terms"
        ],
        "limit": 10,
        "first": 0
    })
}

/// The example order and eleven more of its customer, all after 1610388542.
fn example_ids() -> Vec<u64> {
    let mut ids = vec![1_771_949_227];
    ids.extend((1..=11).map(|n| 1_771_949_227 + n * 1000));
    ids
}

/// The customer's other orders: the eleven of [`example_ids`], and three that do not meet
/// the example's conditions (not after 1610388542, or not in `ids`).
fn other_orders() -> Vec<Value> {
    let mut orders: Vec<Value> = example_ids()[1..]
        .iter()
        .map(|id| order(&id.to_string(), CUSTOMER, "2020-10-01T10:00:00"))
        .collect();
    for id in ["1610388542", "1500000000", "1999999999"] {
        orders.push(order(id, CUSTOMER, "2020-10-01T10:00:00"));
    }
    orders
}

/// Reference 004's example answer, as written there: the `// comments` dropped, and each
/// `…` (more elements of a list) left out.
const EXAMPLE: &str = r#"{
"status" : "ok",
"orders" : [ {
"id" : 1771949227,
"number" : "90471",
"status" : "Open",
"creationTime" : "2020-09-26 11:54:26",
"updateTime" : "2020-09-26 16:22:07",
"referenceType" : "Quote",
"referenceNumber" : "2020/7301",
"token" : "g3OuTJueFYJr5k2fgzSC6gZ23fpAW3Nu",
"rounding" : { "mode" : "HalfUp", "rule" : "PerItem" },
"locale" : "en-GB",
"items" : [ {
"sku" : "A927TP",
"name" : "Shirt",
"quantity" : 3.00,
"price" : 56.330,
"totalPrice" : 168.99,
"weight" : 0.450,
"taxCode" : "VAT",
"taxRate" : 19.00,
"taxAmount" : 112.66,
"requests" : "..."
} ],
"shipments" : [ {
"id" : 1771949227,
"items" : [ {
"isReturnable" : true,
"lastDateToReturn" : "2020-10-21",
"name" : "Shirt",
"price" : "56.330",
"quantity" : "3.00",
"returnedQuantity" : "1.00",
"requests" : "...",
"sku" : "A927TP",
"taxCode" : "VAT",
"taxRate" : "19.00"
} ],
"shipmentDate" : "2020-09-27",
"deliveryDate" : null,
"trackingNumber" : "1Z999AA10123456784",
"trackingURL" : "https://tools.usps.com/go/..."
} ],
"returns" : [ {
"id" : 2204819357,
"number" : "2020/5613",
"status" : "Pending",
"creationTime" : "2020-10-13 11:07:23",
"updateTime" : "2020-10-13 18:51:12",
"locale" : "en-GB",
"items" : [ {
"order" : {
"id" : 1771949227,
"number" : "90471",
"creationTime" : "2020-09-26 11:54:26",
"rounding" : { "mode" : "HalfUp", "rule" : "PerItem" }
},
"approval" : "Pending",
"comments" : "Size is too small",
"reason" : "The size is wrong",
"name" : "Shirt",
"price" : "56.330",
"quantity" : "3.00",
"sku" : "A927TP",
"taxCode" : "VAT",
"taxRate" : "19.00"
} ]
} ],
"coupon" : "PROMO",
"prediscountSubtotal" : 69.54,
"taxedPrediscountSubtotal" : 110.89,
"discounts" : [ { "type" : "PercentOff", "value" : 20.000 }, { "type" : "AmountOff", "value" : 10.450 } ],
"discountsIncludeTaxes" : false,
"subtotal" : 69.54,
"taxedSubtotal" : 110.89,
"shippingMethod" : {
"id" : 14,
"name" : "FedEx",
"cost" : 8.572,
"taxCode" : "TVA",
"taxRate" : 19.00,
"taxAmount" : 1.63
},
"paymentMethod" : {
"id" : 3,
"name" : "Credit Card",
"cost" : 1.200,
"taxCode" : "TVA",
"taxRate" : 19.00,
"taxAmount" : 0.23
},
"taxes" : [ {
"code" : "VAT",
"name" : "Generic",
"rate" : 19.00,
"taxableTotal" : 89.23,
"amount" : 31.25
} ],
"taxAmount" : 31.25,
"total" : 89.23,
"taxedTotal" : 120.48,
"isPaidFor" : true,
"quantity" : 7.00,
"weight" : 1.351,
"invoiceRecipient" : "AB7TR6K",
"customerName" : "Investigations Inc",
"billingAddress" : {
"firstName" : "Sherlock",
"lastName" : "Holmes",
"personalCode" : "SH239IBA",
"companyName" : "Investigations Inc",
"companyCode" : "INV8403MC1",
"companyCode2" : "7J BA3 006",
"street1" : "221b Baker Street",
"street2" : "",
"city" : "London",
"postalCode" : "NW1 6XE",
"stateProv" : "LND",
"country" : "GB",
"phoneNumber" : "+44+207 2243688",
"mobileNumber" : "",
"faxNumber" : "",
"email" : "holmes@inv-london.com"
},
"shippingAddress" : {
"name" : "John",
"street1" : "221b Baker Street",
"street2" : "",
"city" : "London",
"postalCode" : "NW1 6XE",
"stateProv" : "LND",
"country" : "GB"
},
"sellerAddress" : {
"companyName" : "Investigations Inc",
"companyCode" : "INV8403MC1",
"personalCode" : "SH239IBA",
"street1" : "221b Baker Street",
"street2" : "",
"city" : "London",
"postalCode" : "NW1 6XE",
"stateProv" : "LND",
"country" : "GB",
"phoneNumber" : "+44+207 2243688",
"mobileNumber" : "",
"faxNumber" : "",
"email" : "holmes@inv-london.com"
},
"requests" : "",
"terms" : ""
} ],
"count" : 12
}"#;

/// Where `actual` differs from `expected`, as `(path, expected, actual)`. Objects must have
/// exactly the example's fields; a list of the example holds its first elements (the rest
/// is the example's `…`); numbers compare by their text (`3.00` is not `3`).
fn differences(
    path: &str,
    expected: &Value,
    actual: &Value,
    out: &mut Vec<(String, String, String)>,
) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, value) in e {
                let path = format!("{path}.{key}");
                match a.get(key) {
                    Some(got) => differences(&path, value, got, out),
                    None => out.push((path, value.to_string(), "(missing)".into())),
                }
            }
            for key in a.keys().filter(|k| !e.contains_key(*k)) {
                out.push((
                    format!("{path}.{key}"),
                    "(absent)".into(),
                    a[key].to_string(),
                ));
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if a.len() < e.len() {
                out.push((
                    path.to_owned(),
                    format!("{} elements", e.len()),
                    a.len().to_string(),
                ));
            }
            for (i, (e, a)) in e.iter().zip(a).enumerate() {
                differences(&format!("{path}[{i}]"), e, a, out);
            }
        }
        // serde_json keeps each number's text here (`arbitrary_precision`): `3.00` != `3`.
        (e, a) => {
            if e != a {
                out.push((path.to_owned(), e.to_string(), a.to_string()));
            }
        }
    }
}

#[tokio::test]
async fn the_reference_example_is_answered_from_the_fixtures() {
    let (app, key) = example_app().await;
    let writer = writer(&app, TENANT).await;
    import(&app, &other_orders(), &writer).await;

    let answer = orders(&app, &key, &example_request()).await;
    let expected: Value = serde_json::from_str(EXAMPLE).expect("the example is JSON");

    let mut found = Vec::new();
    differences("", &expected, &answer, &mut found);
    // No known gap is left: every value of the example comes from a canonical field or a
    // written rule (docs/dialects/storefront_v10.md).
    let found: Vec<String> = found
        .into_iter()
        .map(|(path, e, a)| format!("{}: example {e}, ordo {a}", path.trim_start_matches('.')))
        .collect();
    assert!(
        found.is_empty(),
        "differences from reference 004's example:\n{}",
        found.join("\n")
    );

    // The example's `…`: twelve orders meet the conditions, ten are answered, the example
    // order first; the fixtures' other lines, shipment lines, and approved return follow.
    assert_eq!(answer["count"], json!(12));
    assert_eq!(ids(&answer), example_ids()[..10]);
    let order = &answer["orders"][0];
    for (list, len) in [
        ("/items", 3),
        ("/shipments", 1),
        ("/shipments/0/items", 3),
        ("/returns", 2),
        ("/discounts", 2),
        ("/taxes", 1),
    ] {
        let got = order.pointer(list).and_then(Value::as_array).map(Vec::len);
        assert_eq!(got, Some(len), "{list}");
    }
    assert_eq!(order["returns"][1]["status"], "Approved");
    assert_eq!(order["returns"][1]["items"][0]["approval"], "Approved");
    assert_eq!(
        order["shipments"][0]["items"][1]["sku"], "STK3-PACK",
        "mpn as SKU"
    );
    assert_eq!(order["shipments"][0]["items"][2]["isReturnable"], false);
    assert_wire_snapshot!("example_order_1771949227", order);
}

#[tokio::test]
async fn the_example_body_with_comments_stripped_is_a_valid_request() {
    // Exactly the reference's request, its `…` dropped: the paths it names exist.
    let (app, key) = example_app().await;
    let body = json!({
        "conditions": {"ids": [1_771_949_227_u64], "after": 1_610_388_542_u64},
        "fields": ["id", "number", "status"],
        "limit": 10,
        "first": 0
    });
    let answer = orders(&app, &key, &body).await;
    assert_eq!(
        answer,
        json!({"status": "ok", "orders": [{"id": 1_771_949_227_u64, "number": "90471", "status": "Open"}], "count": 1})
    );
}

// ---------------------------------------------------------------------------------------
// A v1 document without extensions: the documented defaults

#[tokio::test]
async fn a_plain_v1_order_renders_with_the_documented_defaults() {
    let app = spawn_app().await;
    let key = writer(&app, TENANT).await;
    // Reference 001's example order, from a quote, paid by a card and shipped.
    let mut plain = order_805685();
    plain["parentQuoteId"] = json!("Q-805600");
    plain["payments"] = json!([{
        "paymentId": "p1", "amount": 172.25, "paymentDate": "2021-01-05T00:43:10",
        "paymentMethod": {"id": "card-visa", "name": "Visa"}, "paymentType": "Charge"
    }]);
    plain["shipments"] = json!([{"packages": [
        {"packageId": "PK-1", "trackingNumber": "1Z1", "shipDate": "2021-01-06T10:00:00"}
    ]}]);
    let quote = document("quote", "Q-805600", "592786", "2021-01-04T00:00:00");
    import(&app, &[quote, plain], &key).await;
    let customer = customer_key(&app, "592786").await;

    let answer = orders(&app, &customer, &json!({})).await;
    assert_eq!(answer["count"], json!(1), "the quote is not an order");
    let order = &answer["orders"][0];
    let facts = [
        ("/id", json!(805_685)),
        ("/number", json!("805685")),
        ("/status", json!("Shipped")),
        ("/referenceType", json!("Quote")),
        ("/referenceNumber", json!("Q-805600")),
        ("/rounding", json!({"mode": "HalfUp", "rule": "PerLine"})),
        ("/locale", json!("en")),
        ("/coupon", Value::Null),
        ("/discounts", json!([])),
        ("/items/0/sku", json!("834CX-3004")),
        ("/items/0/taxRate", serde_json::from_str("7.00").unwrap()),
        ("/shipments/0/items/0/isReturnable", json!(true)),
        ("/shipments/0/items/0/lastDateToReturn", Value::Null),
        ("/shipments/0/trackingURL", json!("")),
        (
            "/shippingMethod/taxRate",
            serde_json::from_str("7.00").unwrap(),
        ),
        (
            "/paymentMethod/cost",
            serde_json::from_str("0.000").unwrap(),
        ),
        ("/taxedTotal", serde_json::from_str("172.25").unwrap()),
        ("/taxAmount", serde_json::from_str("11.27").unwrap()),
        ("/total", serde_json::from_str("160.98").unwrap()),
        ("/isPaidFor", json!(true)),
        ("/billingAddress/country", json!("US")),
        ("/billingAddress/stateProv", json!("FL")),
        ("/customerName", json!("Some Person")),
        ("/sellerAddress/companyName", json!("")),
        ("/requests", json!("")),
    ];
    for (pointer, expected) in facts {
        let got = order.pointer(pointer).unwrap_or(&Value::Null);
        assert_eq!(got.to_string(), expected.to_string(), "{pointer}");
    }
    let token = order["token"].as_str().unwrap();
    assert_eq!(token.len(), 32);
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()), "{token}");
    let again = orders(&app, &customer, &json!({})).await;
    assert_eq!(again["orders"][0]["token"], token, "the token is stable");
    assert_wire_snapshot!("plain_v1_order_805685", order);
}

#[tokio::test]
async fn statuses_map_through_the_tenant_dictionary() {
    let app = spawn_app().await;
    let key = writer(&app, TENANT).await;
    let phases = [
        ("New", "New"),
        ("Open", "Open"),
        ("Ready", "Ready"),
        ("Shipped", "Shipped"),
        ("Delivered", "Delivered"),
        ("Completed", "Completed"),
        ("Cancelled", "Cancelled"),
        ("Rejected", "Cancelled"),
    ];
    let mut lines = Vec::new();
    for (i, (phase, _)) in phases.iter().enumerate() {
        // Names that say nothing: only the dictionary knows the phase.
        let name = format!("Stage {i}");
        lines.push(
            json!({"kind": "status", "statusId": format!("s{i}"), "name": name, "phase": phase}),
        );
        let mut doc = order(&(i + 1).to_string(), "c1", "2024-01-01T00:00:00");
        doc["status"] = json!(name);
        doc["statusId"] = json!(format!("s{i}"));
        lines.push(doc);
    }
    import(&app, &lines, &key).await;
    let customer = customer_key(&app, "c1").await;
    let answer = orders(&app, &customer, &json!({"fields": ["status"]})).await;
    let got: Vec<&str> = answer["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["status"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = phases.iter().map(|(_, name)| *name).collect();
    assert_eq!(got, expected);
}

#[tokio::test]
async fn return_statuses_follow_the_phase_and_the_lines_approvals() {
    let app = spawn_app().await;
    let key = writer(&app, TENANT).await;
    let line = |product: &str, approval: Option<&str>| {
        let mut item = json!({"itemId": product, "productId": product, "unitPrice": 5.0,
            "quantity": 2, "linePosition": 1});
        if let Some(approval) = approval {
            item["approval"] = json!(approval);
        }
        item
    };
    let ret = |id: &str, status: &str, items: Value| {
        let mut doc = document("return", id, "c1", "2024-02-01T00:00:00");
        doc["parentOrderId"] = json!("7");
        doc["status"] = json!(status);
        doc["items"] = items;
        doc
    };
    let mut sold = order("7", "c1", "2024-01-01T00:00:00");
    sold["items"] = json!([line("A", None), line("B", None)]);
    sold["shipments"] =
        json!([{"packages": [{"packageId": "P", "shipDate": "2024-01-02T00:00:00"}]}]);
    let lines = [
        sold,
        ret(
            "r1",
            "RMA Completed",
            json!([line("A", Some("Approved")), line("B", Some("Rejected"))]),
        ),
        ret("r2", "RMA Denied", json!([line("A", None)])),
        ret("r3", "Cancelled", json!([line("A", None)])),
        ret("r4", "RMA Completed", json!([line("B", None)])),
    ];
    import(&app, &lines, &key).await;
    let customer = customer_key(&app, "c1").await;
    let body = json!({"fields": ["returns.status", "returns.items.approval",
        "shipments.items.returnedQuantity"]});
    let answer = orders(&app, &customer, &body).await;
    let order = &answer["orders"][0];
    let statuses: Vec<&str> = order["returns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["PartiallyApproved", "Rejected", "Cancelled", "Approved"]
    );
    assert_eq!(
        order["returns"][0]["items"],
        json!([{"approval": "Approved"}, {"approval": "Rejected"}])
    );
    assert_eq!(
        order["returns"][1]["items"],
        json!([{"approval": "Rejected"}])
    );
    // A's approved line (r1) and B's line of an approved return (r4); nothing of the others.
    assert_eq!(
        order["shipments"][0]["items"],
        json!([{"returnedQuantity": "2.00"}, {"returnedQuantity": "2.00"}])
    );
}

// ---------------------------------------------------------------------------------------
// Auth

#[tokio::test]
async fn a_call_without_a_customer_key_is_401() {
    let (app, _) = example_app().await;
    let body =
        expect_storefront_error(post(&app, None, &json!({})).await, 401, "Unauthorized").await;
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("X-Customer-Key")
    );
    let empty = post(&app, Some(" "), &json!({})).await;
    expect_storefront_error(empty, 401, "Unauthorized").await;
}

#[tokio::test]
async fn an_unknown_or_revoked_key_is_401() {
    let (app, key) = example_app().await;
    let unknown = "ordo_000000000000_00000000000000000000000000000000";
    let response = post(&app, Some(unknown), &json!({})).await;
    expect_storefront_error(response, 401, "Unauthorized").await;
    let id = ordo_store::parse_secret(&key).expect("a key id");
    assert!(app.store.revoke_key(id).await.expect("revoked"));
    expect_storefront_error(
        post(&app, Some(&key), &json!({})).await,
        401,
        "Unauthorized",
    )
    .await;
}

#[tokio::test]
async fn a_key_as_authorization_is_not_a_customer_key() {
    let (app, key) = example_app().await;
    let response = app
        .client
        .post(app.url(PATH))
        .bearer_auth(&key)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    expect_storefront_error(response, 401, "Unauthorized").await;
}

#[tokio::test]
async fn a_key_without_a_customer_is_403() {
    let (app, _) = example_app().await;
    let tenant_wide = app.create_key(&["orders"]).await;
    let response = post(&app, Some(&tenant_wide), &json!({})).await;
    let body = expect_storefront_error(response, 403, "Forbidden").await;
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("customer")
    );
}

#[tokio::test]
async fn a_customer_key_without_the_orders_scope_is_403() {
    let (app, _) = example_app().await;
    let returns_only = app
        .create_key_for(TENANT, &["returns"], Some(CUSTOMER))
        .await;
    let response = post(&app, Some(&returns_only), &json!({})).await;
    let body = expect_storefront_error(response, 403, "Forbidden").await;
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("\"orders\"")
    );
}

// ---------------------------------------------------------------------------------------
// The body

async fn post_raw(
    app: &TestApp,
    key: &str,
    content_type: Option<&str>,
    body: &str,
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(PATH))
        .header("X-Customer-Key", key)
        .body(body.to_owned());
    if let Some(content_type) = content_type {
        request = request.header(CONTENT_TYPE, content_type);
    }
    request.send().await.expect("the server answers")
}

#[tokio::test]
async fn a_body_that_is_not_json_is_415() {
    let (app, key) = example_app().await;
    let text = post_raw(&app, &key, Some("text/plain"), "{}").await;
    expect_storefront_error(text, 415, "UnsupportedMediaType").await;
    let untyped = post_raw(&app, &key, None, "{}").await;
    expect_storefront_error(untyped, 415, "UnsupportedMediaType").await;
    let with_charset = post_raw(&app, &key, Some("application/json; charset=utf-8"), "{}").await;
    assert_eq!(with_charset.status(), 200);
}

#[tokio::test]
async fn an_empty_body_asks_for_every_order() {
    let (app, key) = example_app().await;
    for content_type in [None, Some("application/json")] {
        let response = post_raw(&app, &key, content_type, "").await;
        assert_eq!(response.status(), 200, "{content_type:?}");
        let answer: Value = response.json().await.unwrap();
        assert_eq!(answer["count"], json!(1));
        assert_eq!(ids(&answer), [1_771_949_227]);
    }
}

#[tokio::test]
async fn a_body_that_is_not_a_json_object_is_400() {
    let (app, key) = example_app().await;
    for body in ["{", "[1]", "\"orders\""] {
        let response = post_raw(&app, &key, Some("application/json"), body).await;
        let error = expect_storefront_error(response, 400, "InvalidRequest").await;
        assert_eq!(detail_fields(&error), [""], "{body}");
    }
}

#[tokio::test]
async fn every_bad_field_of_the_body_is_named() {
    let (app, key) = example_app().await;
    let body = json!({
        "conditions": {"ids": [1, 0, "2", 3.5, -4], "after": -1, "status": "Open"},
        "fields": ["id", 7, "colour", "items.colour", "billingAddress.city.name"],
        "limit": 0,
        "first": "0",
        "count": "yes",
        "sort": "id"
    });
    let response = post(&app, Some(&key), &body).await;
    let error = expect_storefront_error(response, 400, "InvalidRequest").await;
    assert_eq!(
        detail_fields(&error),
        [
            "conditions.after",
            "conditions.ids[1]",
            "conditions.ids[2]",
            "conditions.ids[3]",
            "conditions.ids[4]",
            "conditions.status",
            "count",
            "fields[1]",
            "fields[2]",
            "fields[3]",
            "fields[4]",
            "first",
            "limit",
            "sort",
        ]
    );
    assert_eq!(error["error"]["message"], "invalid request: 14 problems");
    let problems: Vec<&str> = error["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["problem"].as_str().unwrap())
        .collect();
    assert!(problems.contains(&"unknown field"), "{problems:?}");
    assert!(
        problems
            .iter()
            .any(|p| p.contains("\"items\" has no field \"colour\"")),
        "{problems:?}"
    );
}

#[tokio::test]
async fn an_unknown_field_path_is_400() {
    let (app, key) = example_app().await;
    let response = post(
        &app,
        Some(&key),
        &json!({"fields": ["shipments.items.colour"]}),
    )
    .await;
    let error = expect_storefront_error(response, 400, "InvalidRequest").await;
    assert_eq!(detail_fields(&error), ["fields[0]"]);
    assert_eq!(
        error["error"]["message"],
        "invalid request: fields[0]: unknown field path \"shipments.items.colour\": \
         \"shipments.items\" has no field \"colour\""
    );
}

#[tokio::test]
async fn a_limit_over_1000_is_400_not_a_clamp() {
    let (app, key) = example_app().await;
    let response = post(&app, Some(&key), &json!({"limit": 1001})).await;
    let error = expect_storefront_error(response, 400, "InvalidRequest").await;
    assert_eq!(detail_fields(&error), ["limit"]);
    let answer = orders(&app, &key, &json!({"limit": 1000, "count": false})).await;
    assert_eq!(answer["count"], json!(1), "count is always answered");
}

#[tokio::test]
async fn an_oversized_body_is_413() {
    let (app, key) = example_app().await;
    let ids: Vec<u64> = (1..=200_000).collect();
    let response = post(&app, Some(&key), &json!({"conditions": {"ids": ids}})).await;
    expect_storefront_error(response, 413, "PayloadTooLarge").await;
}

#[tokio::test]
async fn other_methods_are_405_in_the_storefront_envelope() {
    let (app, key) = example_app().await;
    let response = app
        .client
        .get(app.url(PATH))
        .header("X-Customer-Key", &key)
        .send()
        .await
        .unwrap();
    expect_storefront_error(response, 405, "MethodNotAllowed").await;
}

// ---------------------------------------------------------------------------------------
// Isolation

#[tokio::test]
async fn a_customer_key_never_sees_another_customers_documents() {
    let (app, key) = example_app().await;
    let key_writer = writer(&app, TENANT).await;
    // Another customer's order, and that customer's return pointing at the example order.
    let theirs = order("1771949300", "C-99999", "2020-10-01T00:00:00");
    let mut their_return = fixtures()
        .into_iter()
        .find(|d| d["returnId"] == "2204819357")
        .unwrap();
    their_return["returnId"] = json!("2204819999");
    their_return["customerId"] = json!("C-99999");
    import(&app, &[theirs, their_return], &key_writer).await;
    // The same customer id in another tenant.
    let other_tenant = writer(&app, "other").await;
    import(
        &app,
        &[order("1771949400", CUSTOMER, "2020-10-01T00:00:00")],
        &other_tenant,
    )
    .await;

    let by_id = json!({"conditions": {"ids": [1_771_949_300_u64, 1_771_949_400_u64]}});
    let answer = orders(&app, &key, &by_id).await;
    assert_eq!((ids(&answer), answer["count"].clone()), (vec![], json!(0)));

    let all = orders(&app, &key, &json!({"fields": ["id", "returns.id"]})).await;
    assert_eq!(
        all,
        json!({"status": "ok", "orders": [{"id": 1_771_949_227_u64,
            "returns": [{"id": 2_204_819_357_u64}, {"id": 2_204_820_011_u64}]}], "count": 1})
    );

    let theirs_key = customer_key(&app, "C-99999").await;
    let answer = orders(&app, &theirs_key, &json!({"fields": ["id"]})).await;
    assert_eq!(ids(&answer), [1_771_949_300]);
}

// ---------------------------------------------------------------------------------------
// Projection

#[tokio::test]
async fn fields_select_nested_paths() {
    let (app, key) = example_app().await;
    let body = json!({"fields": [
        "id", "items.sku", "billingAddress.city", "shipments.items.name",
        "returns.items.order.number", "shippingMethod.cost", "rounding.mode", "items.price"
    ]});
    let answer = orders(&app, &key, &body).await;
    let expected: Value = serde_json::from_str(
        r#"{"status": "ok", "count": 1, "orders": [{
            "id": 1771949227,
            "rounding": {"mode": "HalfUp"},
            "items": [{"sku": "A927TP", "price": 56.330}, {"sku": "STK3-PACK", "price": 10.500},
                      {"sku": "GIFT-VOUCHER", "price": -36.650}],
            "shipments": [{"items": [{"name": "Shirt"}, {"name": "Sticker pack"},
                                     {"name": "Gift voucher"}]}],
            "returns": [{"items": [{"order": {"number": "90471"}}]},
                        {"items": [{"order": {"number": "90471"}}]}],
            "shippingMethod": {"cost": 8.572},
            "billingAddress": {"city": "London"}
        }]}"#,
    )
    .unwrap();
    assert_eq!(answer.to_string(), expected.to_string());
}

#[tokio::test]
async fn an_empty_fields_list_keeps_no_field() {
    let (app, key) = example_app().await;
    let answer = orders(&app, &key, &json!({"fields": []})).await;
    assert_eq!(answer, json!({"status": "ok", "orders": [{}], "count": 1}));
}

// ---------------------------------------------------------------------------------------
// Conditions and paging

#[tokio::test]
async fn after_pages_through_the_orders_by_id() {
    let (app, key) = example_app().await;
    let writer = writer(&app, TENANT).await;
    import(&app, &other_orders(), &writer).await;
    let mut seen = Vec::new();
    let mut after = 0;
    loop {
        let body = json!({"conditions": {"after": after}, "fields": ["id"], "limit": 4});
        let page = ids(&orders(&app, &key, &body).await);
        let Some(&last) = page.last() else { break };
        seen.extend(page);
        after = last;
    }
    let mut expected: Vec<u64> = example_ids();
    expected.extend([1_610_388_542, 1_500_000_000, 1_999_999_999]);
    expected.sort_unstable();
    assert_eq!(seen, expected);

    let none = orders(&app, &key, &json!({"conditions": {"ids": []}})).await;
    assert_eq!(
        (ids(&none), none["count"].clone()),
        (vec![], json!(0)),
        "ids [] matches none"
    );
    let past = orders(&app, &key, &json!({"first": 100})).await;
    assert_eq!((ids(&past), past["count"].clone()), (vec![], json!(15)));
}

/// One generated call: `conditions.ids`, `conditions.after`, `limit`, `first`.
type Call = (Option<Vec<u64>>, Option<u64>, Option<u64>, Option<u64>);

fn call_strategy() -> impl Strategy<Value = Call> {
    (
        proptest::option::of(proptest::collection::vec(1u64..60, 0..8)),
        proptest::option::of(0u64..60),
        proptest::option::of(1u64..12),
        proptest::option::of(0u64..15),
    )
}

/// What the answer must be: the customer's ids meeting the conditions, ascending, windowed.
fn oracle(mine: &[u64], (ids, after, limit, first): &Call) -> (Vec<u64>, usize) {
    let mut meeting: Vec<u64> = mine
        .iter()
        .copied()
        .filter(|id| ids.as_ref().is_none_or(|ids| ids.contains(id)))
        .filter(|id| after.is_none_or(|after| *id > after))
        .collect();
    meeting.sort_unstable();
    let count = meeting.len();
    let first = usize::try_from(first.unwrap_or(0)).unwrap();
    let limit = usize::try_from(limit.unwrap_or(100)).unwrap();
    (meeting.into_iter().skip(first).take(limit).collect(), count)
}

#[test]
fn conditions_and_windows_match_an_oracle() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let app = runtime.block_on(spawn_app());
    let tenants = AtomicUsize::new(0);
    // Orders 1..60, each the customer's or another's; then calls against them.
    let strategy = (
        proptest::collection::btree_map(1u64..60, any::<bool>(), 0..30),
        proptest::collection::vec(call_strategy(), 1..6),
    );
    let mut runner = TestRunner::new(Config {
        cases: 24,
        ..Config::default()
    });
    runner
        .run(&strategy, |(orders_by_owner, calls)| {
            let tenant = format!("prop-{}", tenants.fetch_add(1, Ordering::Relaxed));
            runtime.block_on(async {
                let writer = writer(&app, &tenant).await;
                let docs: Vec<Value> = orders_by_owner
                    .iter()
                    .map(|(id, mine)| {
                        let owner = if *mine { "me" } else { "someone-else" };
                        order(&id.to_string(), owner, "2024-01-01T00:00:00")
                    })
                    .collect();
                if !docs.is_empty() {
                    import(&app, &docs, &writer).await;
                }
                let key = app.create_key_for(&tenant, &["orders"], Some("me")).await;
                let mine: Vec<u64> = orders_by_owner
                    .iter()
                    .filter(|(_, mine)| **mine)
                    .map(|(id, _)| *id)
                    .collect();
                for call in &calls {
                    let (ids_, after, limit, first) = call;
                    let mut body = json!({"fields": ["id"]});
                    if ids_.is_some() || after.is_some() {
                        body["conditions"] = json!({});
                    }
                    if let Some(ids_) = ids_ {
                        body["conditions"]["ids"] = json!(ids_);
                    }
                    if let Some(after) = after {
                        body["conditions"]["after"] = json!(after);
                    }
                    if let Some(limit) = limit {
                        body["limit"] = json!(limit);
                    }
                    if let Some(first) = first {
                        body["first"] = json!(first);
                    }
                    let answer = orders(&app, &key, &body).await;
                    let expected = oracle(&mine, call);
                    let count = usize::try_from(answer["count"].as_u64().unwrap()).unwrap();
                    assert_eq!((ids(&answer), count), expected, "{body}");
                }
            });
            Ok(())
        })
        .unwrap();
}

/// Reference 001's example order, of customer 592786.
fn order_805685() -> Value {
    common::fixtures()
        .into_iter()
        .find(|(name, _)| name == "001-order-805685.json")
        .expect("the 001 fixture")
        .1
}

#[tokio::test]
async fn an_order_whose_money_overflows_is_a_500_in_the_envelope() {
    let app = spawn_app().await;
    let key = writer(&app, TENANT).await;
    // Every amount is within ingest's 28 digits; their product is past any decimal.
    let mut huge = order_805685();
    let price: Value = serde_json::from_str("9999999999999999999999999999").unwrap();
    huge["items"][0]["unitPrice"] = price;
    huge["items"][0]["quantity"] = json!(1000);
    import(&app, &[huge], &key).await;
    let customer = customer_key(&app, "592786").await;

    let response = post(&app, Some(&customer), &json!({})).await;
    let body = expect_storefront_error(response, 500, "InternalError").await;
    assert_eq!(
        body["error"]["message"],
        "internal error; quote the request id when reporting it"
    );
    assert!(body["error"]["requestId"].is_string(), "{body}");
}
