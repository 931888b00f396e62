//! Deletes, customer erasure and the change feed over HTTP.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

const DAY: &str = "2024-01-02T00:00:00Z";

async fn delete(app: &TestApp, path: &str, key: &str, if_match: Option<&str>) -> reqwest::Response {
    let mut request = app.client.delete(app.url(path)).bearer_auth(key);
    if let Some(tag) = if_match {
        request = request.header("If-Match", tag);
    }
    request.send().await.expect("the server answers")
}

async fn etag(app: &TestApp, path: &str, key: &str) -> String {
    let response = app.get(path, key).await;
    assert_eq!(response.status(), 200);
    response.headers()["etag"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn delete_answers_204_and_the_document_is_gone() {
    let app = spawn_app().await;
    let key = app.admin_key().await;
    assert!(
        app.put_document(&order("o1", "c1", DAY), &key)
            .await
            .status()
            .is_success()
    );
    assert!(
        app.put_document(&order("o2", "c1", DAY), &key)
            .await
            .status()
            .is_success()
    );

    let response = delete(&app, "/v1/order/o1", &key, None).await;

    assert_eq!(response.status(), 204);
    assert_eq!(app.get("/v1/order/o1", &key).await.status(), 404);
    let list = app.get_json("/v1/order/", &key).await;
    assert_eq!(payload_ids(&list, "orderId"), ["o2"]);
    expect_error(delete(&app, "/v1/order/o1", &key, None).await, 404).await;
}

#[tokio::test]
async fn delete_honours_if_match() {
    let app = spawn_app().await;
    let key = app.admin_key().await;
    app.put_document(&order("o1", "c1", DAY), &key).await;
    let stale = etag(&app, "/v1/order/o1", &key).await;
    app.put_document(&order("o1", "c1", "2024-01-03T00:00:00Z"), &key)
        .await;

    expect_error(delete(&app, "/v1/order/o1", &key, Some(&stale)).await, 412).await;
    assert_eq!(app.get("/v1/order/o1", &key).await.status(), 200);

    let current = etag(&app, "/v1/order/o1", &key).await;
    assert_eq!(
        delete(&app, "/v1/order/o1", &key, Some(&current))
            .await
            .status(),
        204
    );
}

#[tokio::test]
async fn delete_of_another_tenants_document_is_404_and_a_customer_key_may_not_delete() {
    let app = spawn_app().await;
    let key = app.admin_key().await;
    app.put_document(&order("o1", "c1", DAY), &key).await;
    let other_tenant = app
        .create_key_for("other", &["orders", "orders:write"], None)
        .await;
    let other_customer = app
        .create_key_for(TENANT, &["orders", "orders:write"], Some("c2"))
        .await;

    expect_error(delete(&app, "/v1/order/o1", &other_tenant, None).await, 404).await;
    // A key limited to a customer never writes (docs/wire-decisions.md): 403 for every id,
    // its customer's or not, so its answers tell nothing about the ids of others.
    expect_error(
        delete(&app, "/v1/order/o1", &other_customer, None).await,
        403,
    )
    .await;
    let reader = app.create_key(&["orders"]).await;
    expect_error(delete(&app, "/v1/order/o1", &reader, None).await, 403).await;
    assert_eq!(app.get("/v1/order/o1", &key).await.status(), 200);
}

#[tokio::test]
async fn the_feed_carries_puts_and_deletes_oldest_first() {
    let app = spawn_app().await;
    let key = app.admin_key().await;
    let feed_key = app.create_key(&["changes"]).await;
    app.put_document(&order("o1", "c1", DAY), &key).await;
    app.put_document(&document("quote", "q1", "c1", DAY), &key)
        .await;
    delete(&app, "/v1/quote/q1", &key, None).await;

    let page = app.get_json("/v1/changes", &feed_key).await;

    let entries = page["payload"].as_array().unwrap();
    let summary: Vec<(&str, &str, &str)> = entries
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap(),
                e["id"].as_str().unwrap(),
                e["op"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(summary, [("order", "o1", "put"), ("quote", "q1", "delete")]);
    assert_eq!(
        entries[0]["document"],
        app.get_json("/v1/order/o1", &key).await["payload"]
    );
    assert_eq!(entries[1]["document"], Value::Null);
    assert_eq!(page["next"], entries[1]["revision"]);
    let first = entries[0]["revision"].as_i64().unwrap();

    let after = app
        .get_json(&format!("/v1/changes?after={first}&limit=1"), &feed_key)
        .await;
    assert_eq!(after["payload"].as_array().unwrap().len(), 1);
    assert_eq!(after["payload"][0]["id"], "q1");
    let end = page["next"].as_i64().unwrap();
    let empty = app
        .get_json(&format!("/v1/changes?after={end}"), &feed_key)
        .await;
    assert_eq!(empty, serde_json::json!({"payload": [], "next": end}));
    let orders = app
        .get_json("/v1/changes?kinds=order,return", &feed_key)
        .await;
    assert_eq!(orders["payload"].as_array().unwrap().len(), 1);
    assert_eq!(orders["payload"][0]["id"], "o1");
}

#[tokio::test]
async fn the_feed_is_for_tenant_keys_with_its_scope_and_checks_its_parameters() {
    let app = spawn_app().await;
    let customer = app.create_key_for(TENANT, &["changes"], Some("c1")).await;
    let without = app.create_key(&["orders"]).await;
    let key = app.create_key(&["changes"]).await;

    expect_error(app.get("/v1/changes", &customer).await, 403).await;
    expect_error(app.get("/v1/changes", &without).await, 403).await;
    let body = expect_error(
        app.get("/v1/changes?limit=0&after=-1&wait=31&kinds=nope", &key)
            .await,
        400,
    )
    .await;
    let mut fields = detail_fields(&body);
    fields.sort();
    assert_eq!(fields, ["after", "kinds", "limit", "wait"]);
}

#[tokio::test]
async fn a_waiting_request_answers_soon_after_a_commit() {
    let app = spawn_app().await;
    let key = app.admin_key().await;
    let feed_key = app.create_key(&["changes"]).await;
    let client = app.client.clone();
    let url = app.url("/v1/changes?wait=10");
    let waiting = tokio::spawn(async move {
        let response = client.get(url).bearer_auth(feed_key).send().await.unwrap();
        let answered = Instant::now();
        (response.json::<Value>().await.unwrap(), answered)
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.put_document(&order("o1", "c1", DAY), &key).await;
    let committed = Instant::now();

    let (page, answered) = waiting.await.unwrap();

    assert_eq!(page["payload"][0]["id"], "o1");
    let latency = answered.saturating_duration_since(committed);
    assert!(
        latency < Duration::from_millis(500),
        "woke after {latency:?}"
    );
}

#[tokio::test]
async fn a_wait_with_nothing_to_show_ends_with_an_empty_page() {
    let app = spawn_app().await;
    let key = app.create_key(&["changes"]).await;
    let started = Instant::now();
    let page = app.get_json("/v1/changes?wait=1&after=5", &key).await;
    assert!(started.elapsed() >= Duration::from_millis(900));
    assert_eq!(page, serde_json::json!({"payload": [], "next": 5}));
}

#[tokio::test]
async fn erasing_a_customer_removes_documents_and_keys_idempotently() {
    let app = spawn_app().await;
    let key = app.admin_key().await;
    let eraser = app.create_key(&["customers:erase"]).await;
    app.put_document(&order("o1", "c1", DAY), &key).await;
    app.put_document(&document("return", "r1", "c1", DAY), &key)
        .await;
    app.put_document(&order("o2", "c2", DAY), &key).await;
    let limited = app.create_key_for(TENANT, &["orders"], Some("c1")).await;
    assert_eq!(app.get("/v1/order/o1", &limited).await.status(), 200);

    let response = delete(&app, "/v1/customer/c1", &eraser, None).await;

    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        serde_json::json!({"payload": {"documents": 2, "keys": 1}})
    );
    assert_eq!(app.get("/v1/order/o1", &key).await.status(), 404);
    assert_eq!(app.get("/v1/order/o2", &key).await.status(), 200);
    expect_error(app.get("/v1/order/o1", &limited).await, 401).await;
    let again: Value = delete(&app, "/v1/customer/c1", &eraser, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        again,
        serde_json::json!({"payload": {"documents": 0, "keys": 0}})
    );
    let without_the_scope = app.create_key(&["orders", "orders:write"]).await;
    expect_error(
        delete(&app, "/v1/customer/c2", &without_the_scope, None).await,
        403,
    )
    .await;
}

#[tokio::test]
async fn an_import_line_can_delete_with_the_kinds_write_scope() {
    let app = spawn_app().await;
    let key = app.admin_key().await;
    app.put_document(&order("o1", "c1", DAY), &key).await;
    app.put_document(&order("o2", "c1", DAY), &key).await;
    let quotes_only = app.create_key(&["quotas:write"]).await;

    let refused = app
        .import(
            "{\"kind\":\"order\",\"orderId\":\"o2\",\"deleted\":true}\n",
            &quotes_only,
        )
        .await;
    let response = app
        .import(
            "{\"kind\":\"order\",\"orderId\":\"o1\",\"deleted\":true}\n",
            &key,
        )
        .await;

    assert_eq!(refused.status(), 200);
    let refused: Value = refused.json().await.unwrap();
    assert_eq!(refused["payload"]["rejected"], 1, "{refused}");
    assert_eq!(response.status(), 200);
    assert_eq!(app.get("/v1/order/o1", &key).await.status(), 404);
    assert_eq!(app.get("/v1/order/o2", &key).await.status(), 200);
}

/// Two instances on one store (two servers, each with its own connections): a request waiting
/// on one wakes when the other commits — on PostgreSQL through NOTIFY at once, on SQLite
/// (one file shared by two stores) by reading again within a second — and paging the feed over
/// both sees every revision once.
#[tokio::test(flavor = "multi_thread")]
async fn a_follower_on_one_instance_sees_every_write_made_through_another() {
    let app = spawn_app().await;
    let key = app.admin_key().await;
    let second_store = ordo_store::open(&app._fresh.url).await.unwrap();
    let second = spawn_app_with(second_store, test_config()).await;
    let client = reqwest::Client::new();

    let mut after = 0i64;
    let mut seen = Vec::new();
    for i in 0..5 {
        let waiting = {
            let client = client.clone();
            let url = format!("{second}/v1/changes?after={after}&wait=10");
            let key = key.clone();
            tokio::spawn(async move {
                let page: Value = client
                    .get(url)
                    .bearer_auth(key)
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                (page, Instant::now())
            })
        };
        tokio::time::sleep(Duration::from_millis(200)).await;
        let id = format!("o{i}");
        let put = app.put_document(&order(&id, "c1", DAY), &key).await;
        assert!(put.status().is_success());
        let committed = Instant::now();
        let (page, answered) = waiting.await.unwrap();
        assert!(
            answered.saturating_duration_since(committed) < Duration::from_secs(2),
            "woken {:?} after the commit",
            answered.saturating_duration_since(committed)
        );
        for change in page["payload"].as_array().unwrap() {
            seen.push(change["revision"].as_i64().unwrap());
        }
        after = page["next"].as_i64().unwrap();
    }
    let mut unique = seen.clone();
    unique.dedup();
    assert_eq!(unique, seen, "no revision twice");
    assert_eq!(seen.len(), 5, "{seen:?}");
}
