//! customer_orders_v2 (reference 003) through the real server: the fixtures of
//! `fixtures/customer_orders_v2/` PUT in, read back as mittwald's `CustomerOrder` list, pinned
//! with an insta snapshot; credentials, every error, filters and paging.

mod common;
// A store that fails on purpose behind working keys (tests/openapi's), for the 500 and 503.
#[path = "customer_orders_v2/access.rs"]
mod access;
#[allow(dead_code)]
#[path = "openapi/failing.rs"]
mod failing;
#[path = "customer_orders_v2/oracle.rs"]
mod oracle;
#[path = "customer_orders_v2/schema.rs"]
mod schema;

use std::str::FromStr;

use common::*;
use ordo_model::Decimal;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};

const CUSTOMER: &str = "154219e9-bf4a-4f41-9c72-0449a98db62f";
const ORDERS: &str = "/v2/customers/154219e9-bf4a-4f41-9c72-0449a98db62f/orders";

/// serde_json's own printer: it keeps each number's text (`24.00` is not `24`), which
/// `assert_json_snapshot!` would not under `arbitrary_precision`.
macro_rules! assert_wire_snapshot {
    ($name:expr, $value:expr) => {{
        let wire = serde_json::to_string_pretty(&$value).expect("JSON prints");
        insta::assert_snapshot!($name, wire);
    }};
}

/// The fixtures, by file name.
fn v2_fixtures() -> Vec<(String, Value)> {
    fixture_files("customer_orders_v2")
}

/// A server with every fixture PUT in; its admin key.
async fn loaded() -> (TestApp, String) {
    let app = spawn_app().await;
    let key = app.admin_key().await;
    for (_, fixture) in v2_fixtures() {
        app.put_document(&fixture, &key).await;
    }
    (app, key)
}

async fn get_with(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = app.client.get(app.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("the server answers")
}

/// The 200 answer of `path` as the bare array it must be.
async fn orders(app: &TestApp, path: &str, key: &str) -> Vec<Value> {
    let response = app.get(path, key).await;
    let status = response.status();
    let content_type = response.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_owned();
    let text = response.text().await.unwrap();
    assert_eq!(status, 200, "GET {path}: {text}");
    assert_eq!(content_type, "application/json");
    match serde_json::from_str(&text).unwrap() {
        Value::Array(orders) => orders,
        other => panic!("not a bare array: {other}"),
    }
}

fn numbers(orders: &[Value]) -> Vec<&str> {
    orders
        .iter()
        .map(|o| o["orderNumber"].as_str().unwrap())
        .collect()
}

/// A non-200 of this dialect: JSON with a top-level `type` and `message`, nothing of v1's.
async fn expect_v2_error(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status(), status);
    assert_json(&response);
    let body: Value = response.json().await.expect("a JSON body");
    assert!(
        body["type"].as_str().is_some_and(|t| !t.is_empty()),
        "{body}"
    );
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    assert!(body.get("error").is_none(), "{body}");
    body
}

fn stable(parts: &[&str]) -> String {
    let name = format!("ordo:{}", parts.join("/"));
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, name.as_bytes()).to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_fixtures_render_as_pinned() {
    let (app, key) = loaded().await;
    let body = Value::Array(orders(&app, ORDERS, &key).await);
    assert_wire_snapshot!("fixtures", body);

    let list = body.as_array().unwrap();
    // Orders only, newest first.
    assert_eq!(numbers(list), ["70002", "70004", "70001", "70003", "70005"]);
    let order = &list[2];
    assert_eq!(order["orderId"], stable(&["default", "order", "70001"]));
    assert_eq!(order["orderDate"], "2024-03-02T10:15:00Z");
    assert_eq!(order["dueDate"], "2024-03-16T00:00:00Z");
    assert_eq!(
        (order["status"].as_str(), order["type"].as_str()),
        (Some("NEW"), Some("NEW_ORDER"))
    );
    let user = stable(&["default", "customer", CUSTOMER]);
    assert_eq!(
        order["profile"],
        json!({"email": "ada@example.com", "firstName": "Ada", "lastName": "Lovelace",
            "title": "ms", "userId": user})
    );
    // Without a billing `title`, none is written.
    assert!(list[1]["profile"].get("title").is_none(), "{}", list[1]);
    let item = &order["items"][0];
    assert_eq!(
        item["orderItemId"],
        stable(&["default", "order", "70001", "70001-1"])
    );
    // The quote line of the same product; the second line shares the quote line's itemId.
    let offer = |line: &str| stable(&["default", "quote", "Q-7001", line]);
    assert_eq!(item["reference"], json!({"offerItemId": offer("Q-7001-1")}));
    assert_eq!(
        order["items"][1]["reference"],
        json!({"offerItemId": offer("Q-7001-2")})
    );
    assert_eq!(order["items"][1]["price"].to_string(), "24.00");
    assert_eq!(
        order["items"][2]["predefinedDomainAggregateId"],
        "aa38d836-fe72-4c43-aad3-9472b51edf61"
    );

    let change = &list[0];
    assert_eq!(change["type"], "CONTRACT_CHANGE");
    assert_eq!(
        change["contractChangeContractId"],
        "7e0e3e3a-5b4a-4c1e-9f3e-2d7a4f1c8b9d"
    );
    assert_eq!(change["status"], "EXECUTED");
    assert_eq!(change["invoicingPeriod"].to_string(), "0");
    let replaced = stable(&["default", "order", "70001", "70001-1"]);
    let contract_item = stable(&["default", "subscription", "sub-00042"]);
    assert_eq!(
        change["items"][0]["reference"],
        json!({"contractItemId": contract_item, "orderItemId": replaced})
    );
    // A UUID is kept, in lower case.
    assert_eq!(
        change["items"][1]["reference"],
        json!({"contractItemId": "0b6f9a1e-3c2d-4e5f-8a7b-9c0d1e2f3a4b"})
    );
    let statuses: Vec<&str> = list.iter().map(|o| o["status"].as_str().unwrap()).collect();
    assert_eq!(
        statuses,
        ["EXECUTED", "REJECTED", "NEW", "ABORTED", "CONFIRMED"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_fixtures_cover_the_whole_schema_of_reference_003() {
    let (app, key) = loaded().await;
    let list = orders(&app, ORDERS, &key).await;
    schema::check_coverage(&list);
}

#[tokio::test(flavor = "multi_thread")]
async fn summary_is_the_total_and_adds_up_exactly() {
    let (app, key) = loaded().await;
    let list = orders(&app, ORDERS, &key).await;
    let decimal = |v: &Value| Decimal::from_str(&v.to_string()).unwrap();
    for order in &list {
        let s = &order["summary"];
        let (non_recurring, recurring) = (decimal(&s["nonRecurring"]), decimal(&s["recurring"]));
        assert_eq!(non_recurring + recurring, decimal(&s["summary"]), "{order}");
    }
    let summary = |number: &str| {
        let order = list.iter().find(|o| o["orderNumber"] == number).unwrap();
        let s = &order["summary"];
        [&s["summary"], &s["recurring"], &s["nonRecurring"]].map(Value::to_string)
    };
    // Recurring lines 119.88 and 0.00, one-time 29.00 - 5.00.
    assert_eq!(summary("70001"), ["143.88", "119.88", "24.00"]);
    // A null total is the sum of the lines: 14.99 × 12 + (2.50 × 12 - 6.00).
    assert_eq!(summary("70002"), ["203.88", "203.88", "0.00"]);
    // The total counts shipping (4.95) that no line carries.
    assert_eq!(summary("70003"), ["24.85", "0.00", "24.85"]);
    assert_eq!(summary("70005"), ["0.00", "0.00", "0.00"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn optional_fields_without_value_are_absent_not_null() {
    let (app, key) = loaded().await;
    let list = orders(&app, ORDERS, &key).await;
    for order in &list {
        schema::assert_no_null("", order);
    }
    let plain = list.iter().find(|o| o["orderNumber"] == "70003").unwrap();
    for absent in ["contractChangeContractId", "dueDate", "profile"] {
        assert!(plain.get(absent).is_none(), "{absent}: {plain}");
    }
    assert_eq!(plain["invoicingPeriod"].to_string(), "0");
    let item = plain["items"][0].as_object().unwrap();
    let mut keys: Vec<&str> = item.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["articleId", "isInclusive", "orderItemId", "price"]);
    assert_eq!(item["isInclusive"], false);
    let empty = list.iter().find(|o| o["orderNumber"] == "70005").unwrap();
    assert_eq!(empty["items"], json!([]));
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_parameters_are_ignored_and_client_spellings_accepted() {
    let (app, key) = loaded().await;
    let all = orders(&app, &format!("{ORDERS}?_=1712&sort=whatever"), &key).await;
    assert_eq!(all.len(), 5);
    // axios' `name[]=` and PHP's `name[0]=` are the repeated parameter too.
    let query = "includesStatus%5B%5D=NEW&includesStatus%5B1%5D=ABORTED";
    let some = orders(&app, &format!("{ORDERS}?{query}"), &key).await;
    assert_eq!(numbers(&some), ["70001", "70003"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn filters_and_paging_select_as_documented() {
    let (app, key) = loaded().await;
    let select = |query: &'static str| {
        let app = &app;
        let key = &key;
        async move { numbers(&orders(app, &format!("{ORDERS}?{query}"), key).await).join(",") }
    };
    assert_eq!(
        select("includesStatus=NEW&includesStatus=EXECUTED").await,
        "70002,70001"
    );
    assert_eq!(
        select("excludesStatus=NEW&excludesStatus=EXECUTED").await,
        "70004,70003,70005"
    );
    assert_eq!(select("includesStatus=NEW&excludesStatus=NEW").await, "");
    assert_eq!(
        select("templateNames=Pro-Space-Hosting").await,
        "70002,70001"
    );
    assert_eq!(
        select("templateNames=vServer&templateNames=Setup").await,
        "70004,70001"
    );
    assert_eq!(
        select("templateNames=Pro-Space-Hosting&includesStatus=NEW").await,
        "70001"
    );
    assert_eq!(select("limit=2").await, "70002,70004");
    assert_eq!(select("limit=2&page=2").await, "70001,70003");
    assert_eq!(select("limit=2&page=0").await, "70002,70004");
    assert_eq!(select("limit=2&skip=1").await, "70004,70001");
    assert_eq!(select("limit=2&skip=1&page=2").await, "70003,70005");
    assert_eq!(select("skip=4").await, "70005");
    assert_eq!(select("skip=9").await, "");
    assert_eq!(select("limit=0").await, "");

    let response = app
        .get(&format!("{ORDERS}?limit=2&page=2&excludesStatus=NEW"), &key)
        .await;
    let header = |name: &str| response.headers()[name].to_str().unwrap().to_owned();
    assert_eq!(
        [
            header("x-pagination-totalcount"),
            header("x-pagination-limit"),
            header("x-pagination-skip")
        ],
        ["4", "2", "2"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_status_dictionary_decides_the_status() {
    let (app, key) = loaded().await;
    let status = |list: &[Value], number: &str| {
        let order = list.iter().find(|o| o["orderNumber"] == number).unwrap();
        order["status"].as_str().unwrap().to_owned()
    };
    let before = orders(&app, ORDERS, &key).await;
    assert_eq!(status(&before, "70005"), "CONFIRMED");
    let writer = app.create_key(&["statuses:write", "orders:write"]).await;
    let entry = json!({"name": "Processing", "phase": "Delivered"});
    let response = app
        .client
        .put(app.url("/v1/status/3"))
        .bearer_auth(&writer)
        .json(&entry);
    assert!(response.send().await.unwrap().status().is_success());
    let line =
        json!({"kind": "status", "statusId": "1", "name": "New Orders", "phase": "Rejected"});
    assert_eq!(app.import(format!("{line}\n"), &writer).await.status(), 200);

    let after = orders(&app, ORDERS, &key).await;
    assert_eq!(status(&after, "70005"), "EXECUTED");
    assert_eq!(status(&after, "70001"), "REJECTED");
    let rejected = orders(&app, &format!("{ORDERS}?includesStatus=REJECTED"), &key).await;
    assert_eq!(numbers(&rejected), ["70004", "70001"]);
}

#[test]
fn every_filtered_window_is_the_same_slice_of_an_oracle() {
    oracle::run();
}
