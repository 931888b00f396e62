//! Isolation: a key sees its own tenant only, and a customer key its own customer only. What
//! it may not see is answered exactly as what does not exist.

mod common;

use common::*;
use serde_json::{Value, json};

const EVERY_READ: [&str; 7] = [
    "quotas",
    "orders",
    "returns",
    "vendor-quotas",
    "vendor-orders",
    "vendor-returns",
    RELATIONS_SCOPE,
];

/// A 404's status, content type and body, with `hidden` written as `shown`.
async fn not_found_as(response: reqwest::Response, hidden: &str, shown: &str) -> String {
    let body = expect_error(response, 404).await;
    body.to_string().replace(hidden, shown)
}

#[tokio::test(flavor = "multi_thread")]
async fn another_tenants_document_is_a_404_like_a_missing_one() {
    let app = spawn_app().await;
    let writer_a = app
        .create_key_for(
            "tenant-a",
            &["orders", "orders:write", RELATIONS_SCOPE],
            None,
        )
        .await;
    let reader_b = app.create_key_for("tenant-b", &EVERY_READ, None).await;
    app.put_document(
        &order("only-a-01", "cust-a", "2024-01-01T00:00:00"),
        &writer_a,
    )
    .await;
    assert_eq!(
        app.get("/v1/order/only-a-01", &writer_a).await.status(),
        200
    );

    // Same id for both cases; for the answer to be the same, the id must be the only
    // difference between the two requests.
    let hidden = app.get("/v1/order/only-a-01", &reader_b).await;
    let missing = app.get("/v1/order/never-0001", &reader_b).await;
    let missing_for_a = app.get("/v1/order/never-0001", &writer_a).await;

    // A conditional GET must not tell either: 404, not 304.
    let conditional = app
        .client
        .get(app.url("/v1/order/only-a-01"))
        .bearer_auth(&reader_b)
        .header("If-None-Match", "*")
        .send()
        .await
        .unwrap();
    expect_error(conditional, 404).await;

    let hidden = not_found_as(hidden, "only-a-01", "ID").await;
    assert_eq!(hidden, not_found_as(missing, "never-0001", "ID").await);
    assert_eq!(
        hidden,
        not_found_as(missing_for_a, "never-0001", "ID").await
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn another_tenants_documents_are_in_no_list_and_no_relations() {
    let app = spawn_app().await;
    let writer_a = app
        .create_key_for(
            "tenant-a",
            &["orders", "orders:write", RELATIONS_SCOPE],
            None,
        )
        .await;
    let reader_b = app.create_key_for("tenant-b", &EVERY_READ, None).await;
    app.put_document(&order("a1", "cust-a", "2024-01-01T00:00:00"), &writer_a)
        .await;

    let list_b = app.get_json("/v1/order/", &reader_b).await;
    let relations_b = app.get("/v1/customer/cust-a/relations", &reader_b).await;
    let missing_b = app.get("/v1/customer/cust-z/relations", &reader_b).await;

    assert_eq!(list_b, json!({"payload": []}));
    assert_eq!(
        not_found_as(relations_b, "cust-a", "ID").await,
        not_found_as(missing_b, "cust-z", "ID").await
    );
    let list_a = app.get_json("/v1/order/", &writer_a).await;
    assert_eq!(payload_ids(&list_a, "orderId"), ["a1"]);
    assert_eq!(
        app.get("/v1/customer/cust-a/relations", &writer_a)
            .await
            .status(),
        200
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_id_in_two_tenants_is_two_documents() {
    let app = spawn_app().await;
    let scopes = ["orders", "orders:write"];
    let key_a = app.create_key_for("tenant-a", &scopes, None).await;
    let key_b = app.create_key_for("tenant-b", &scopes, None).await;

    let in_a = app
        .put(
            "order",
            "same",
            &order("same", "cust-a", "2024-01-01T00:00:00"),
            &key_a,
        )
        .await;
    let in_b = app
        .put(
            "order",
            "same",
            &order("same", "cust-b", "2024-02-01T00:00:00"),
            &key_b,
        )
        .await;

    assert_eq!(in_a.status(), 201);
    assert_eq!(
        in_b.status(),
        201,
        "B's write does not replace A's document"
    );
    let a = app.get_json("/v1/order/same", &key_a).await;
    let b = app.get_json("/v1/order/same", &key_b).await;
    assert_eq!(a["payload"]["customerId"], json!("cust-a"));
    assert_eq!(b["payload"]["customerId"], json!("cust-b"));
}

/// Tenant "default" with orders of customers C1 and C2 and a return of each.
async fn two_customers(app: &TestApp) -> String {
    let admin = app.admin_key().await;
    for (id, customer, at) in [
        ("o-c1-1", "C1", "2024-01-01T00:00:00"),
        ("o-c1-2", "C1", "2024-01-03T00:00:00"),
        ("o-c2-1", "C2", "2024-01-02T00:00:00"),
    ] {
        app.put_document(&order(id, customer, at), &admin).await;
    }
    let mut own_return = document("return", "r-c1-1", "C1", "2024-01-04T00:00:00");
    own_return["parentOrderId"] = json!("o-c1-1");
    // A return of C2 that points at C1's order: C1 must not learn of it.
    let mut foreign_return = document("return", "r-c2-1", "C2", "2024-01-05T00:00:00");
    foreign_return["parentOrderId"] = json!("o-c1-1");
    app.put_document(&own_return, &admin).await;
    app.put_document(&foreign_return, &admin).await;
    admin
}

#[tokio::test(flavor = "multi_thread")]
async fn a_customer_key_lists_its_own_customers_documents_only() {
    let app = spawn_app().await;
    let admin = two_customers(&app).await;
    let c1 = app.create_key_for(TENANT, &EVERY_READ, Some("C1")).await;

    let orders = app.get_json("/v1/order/", &c1).await;
    let oldest_first = app
        .get_json("/v1/order/?newest=false&limit=1&offset=1", &c1)
        .await;
    let returns = app.get_json("/v1/return/", &c1).await;

    assert_eq!(payload_ids(&orders, "orderId"), ["o-c1-2", "o-c1-1"]);
    assert_eq!(payload_ids(&oldest_first, "orderId"), ["o-c1-2"]);
    assert_eq!(payload_ids(&returns, "returnId"), ["r-c1-1"]);
    let all = app.get_json("/v1/order/", &admin).await;
    assert_eq!(payload_ids(&all, "orderId"), ["o-c1-2", "o-c2-1", "o-c1-1"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn another_customers_document_is_a_404_like_a_missing_one() {
    let app = spawn_app().await;
    two_customers(&app).await;
    let c1 = app.create_key_for(TENANT, &EVERY_READ, Some("C1")).await;

    assert_eq!(app.get("/v1/order/o-c1-1", &c1).await.status(), 200);
    let hidden = app.get("/v1/order/o-c2-1", &c1).await;
    let missing = app.get("/v1/order/o-c9-1", &c1).await;

    assert_eq!(
        not_found_as(hidden, "o-c2-1", "ID").await,
        not_found_as(missing, "o-c9-1", "ID").await
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn no_key_sees_a_link_to_another_customers_document() {
    let app = spawn_app().await;
    let admin = two_customers(&app).await;
    let c1 = app.create_key_for(TENANT, &EVERY_READ, Some("C1")).await;

    let as_c1 = app.get_json("/v1/order/o-c1-1", &c1).await;
    let as_tenant = app.get_json("/v1/order/o-c1-1", &admin).await;

    // r-c2-1 names C1's order but is C2's: links join one customer's documents only.
    assert_eq!(as_c1["payload"]["returnIds"], json!(["r-c1-1"]));
    assert_eq!(as_tenant["payload"]["returnIds"], json!(["r-c1-1"]));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_customer_key_gets_its_own_relations_only() {
    let app = spawn_app().await;
    two_customers(&app).await;
    let c1 = app.create_key_for(TENANT, &EVERY_READ, Some("C1")).await;

    let own = app.get_json("/v1/customer/C1/relations", &c1).await;
    let other = app.get("/v1/customer/C2/relations", &c1).await;
    let missing = app.get("/v1/customer/C9/relations", &c1).await;

    let entities = &own["payload"]["orderEntities"];
    assert_eq!(
        payload_ids(&json!({"payload": entities["orders"]}), "orderId"),
        ["o-c1-1", "o-c1-2"]
    );
    assert_eq!(
        payload_ids(&json!({"payload": entities["returns"]}), "returnId"),
        ["r-c1-1"]
    );
    assert_eq!(entities["quotas"], Value::Null);
    assert_eq!(
        not_found_as(other, "C2", "ID").await,
        not_found_as(missing, "C9", "ID").await
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_customer_key_cannot_import() {
    let app = spawn_app().await;
    let c1 = app
        .create_key_for(TENANT, &["orders", "orders:write"], Some("C1"))
        .await;

    let response = app
        .import(ndjson(&[order("o1", "C1", "2024-01-01T00:00:00")]), &c1)
        .await;

    expect_error(response, 403).await;
}
