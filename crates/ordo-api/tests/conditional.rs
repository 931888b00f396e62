//! Revisions on the wire: strong ETags on get-by-id and PUT, `If-None-Match` answered with
//! 304, and `If-Match` / `If-None-Match: *` guarding writes with 412.

mod common;

use common::*;
use serde_json::{Value, json};

fn etag_of(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("etag")
        .unwrap_or_else(|| panic!("{} {}: no ETag", response.status(), response.url()))
        .to_str()
        .unwrap()
        .to_owned()
}

/// A strong tag of a revision: `"N"`, digits between quotes, no `W/`.
fn assert_strong_revision_tag(tag: &str) {
    let digits = tag
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or_else(|| panic!("{tag:?} is not a quoted strong tag"));
    assert!(
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()),
        "{tag:?} is not \"N\""
    );
}

async fn put_with(
    app: &TestApp,
    key: &str,
    id: &str,
    document: &Value,
    header: (&str, &str),
) -> reqwest::Response {
    app.client
        .put(app.url(&format!("/v1/order/{id}")))
        .bearer_auth(key)
        .header(header.0, header.1)
        .json(document)
        .send()
        .await
        .unwrap()
}

async fn get_with(app: &TestApp, key: &str, id: &str, header: (&str, &str)) -> reqwest::Response {
    app.client
        .get(app.url(&format!("/v1/order/{id}")))
        .bearer_auth(key)
        .header(header.0, header.1)
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn get_and_put_answer_the_same_strong_etag() {
    let app = spawn_app().await;
    let key = app.create_key(&["orders", "orders:write"]).await;

    let put = app
        .put(
            "order",
            "e1",
            &order("e1", "c1", "2024-01-01T00:00:00"),
            &key,
        )
        .await;
    assert_eq!(put.status(), 201);
    let put_tag = etag_of(&put);
    let get = app.get("/v1/order/e1", &key).await;
    let get_tag = etag_of(&get);

    assert_strong_revision_tag(&put_tag);
    assert_eq!(get_tag, put_tag);
}

#[tokio::test(flavor = "multi_thread")]
async fn if_none_match_with_the_current_tag_is_304() {
    let app = spawn_app().await;
    let key = app.create_key(&["orders", "orders:write"]).await;
    app.put(
        "order",
        "e1",
        &order("e1", "c1", "2024-01-01T00:00:00"),
        &key,
    )
    .await;
    let tag = etag_of(&app.get("/v1/order/e1", &key).await);

    let same = get_with(&app, &key, "e1", ("If-None-Match", &tag)).await;
    let listed = get_with(
        &app,
        &key,
        "e1",
        ("If-None-Match", &format!("\"999999\", {tag}")),
    )
    .await;
    let other = get_with(&app, &key, "e1", ("If-None-Match", "\"999999\"")).await;

    assert_eq!(same.status(), 304);
    assert_eq!(etag_of(&same), tag);
    assert!(same.bytes().await.unwrap().is_empty(), "a 304 has no body");
    assert_eq!(listed.status(), 304);
    assert_eq!(other.status(), 200);
    assert_eq!(etag_of(&other), tag);
}

#[tokio::test(flavor = "multi_thread")]
async fn put_with_a_stale_if_match_is_412_and_changes_nothing() {
    let app = spawn_app().await;
    let key = app.create_key(&["orders", "orders:write"]).await;
    let first = app
        .put(
            "order",
            "e1",
            &order("e1", "c1", "2024-01-01T00:00:00"),
            &key,
        )
        .await;
    let stale = etag_of(&first);
    let second = app
        .put(
            "order",
            "e1",
            &order("e1", "c1", "2024-01-02T00:00:00"),
            &key,
        )
        .await;
    assert_eq!(second.status(), 200);
    let current = etag_of(&second);
    assert_ne!(current, stale);
    let before = app.get_json("/v1/order/e1", &key).await;

    let late = order("e1", "c1", "2024-01-03T00:00:00");
    let refused = put_with(&app, &key, "e1", &late, ("If-Match", &stale)).await;
    let never_issued = put_with(&app, &key, "e1", &late, ("If-Match", "\"not-a-tag\"")).await;

    let body = expect_error(refused, 412).await;
    assert_eq!(body["error"]["code"], json!("precondition_failed"));
    expect_error(never_issued, 412).await;
    let after = app.get("/v1/order/e1", &key).await;
    assert_eq!(etag_of(&after), current);
    assert_eq!(after.json::<Value>().await.unwrap(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn put_with_the_current_if_match_is_200_with_a_new_etag() {
    let app = spawn_app().await;
    let key = app.create_key(&["orders", "orders:write"]).await;
    let first = app
        .put(
            "order",
            "e1",
            &order("e1", "c1", "2024-01-01T00:00:00"),
            &key,
        )
        .await;
    let tag = etag_of(&first);

    let changed = order("e1", "c1", "2024-01-02T00:00:00");
    let replaced = put_with(&app, &key, "e1", &changed, ("If-Match", &tag)).await;

    assert_eq!(replaced.status(), 200);
    let new_tag = etag_of(&replaced);
    assert_strong_revision_tag(&new_tag);
    assert_ne!(new_tag, tag);
    let stored = app.get("/v1/order/e1", &key).await;
    assert_eq!(etag_of(&stored), new_tag);
    let stored: Value = stored.json().await.unwrap();
    assert_eq!(stored["payload"]["updatedAt"], json!("2024-01-02T00:00:00"));
    // The old tag is stale now.
    let again = put_with(&app, &key, "e1", &changed, ("If-Match", &tag)).await;
    expect_error(again, 412).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn if_match_on_a_missing_document_is_412_and_creates_nothing() {
    let app = spawn_app().await;
    let key = app.create_key(&["orders", "orders:write"]).await;
    let document = order("e9", "c1", "2024-01-01T00:00:00");

    expect_error(
        put_with(&app, &key, "e9", &document, ("If-Match", "\"1\"")).await,
        412,
    )
    .await;
    expect_error(
        put_with(&app, &key, "e9", &document, ("If-Match", "*")).await,
        412,
    )
    .await;

    expect_error(app.get("/v1/order/e9", &key).await, 404).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn if_none_match_star_creates_only() {
    let app = spawn_app().await;
    let key = app.create_key(&["orders", "orders:write"]).await;
    let first = order("e1", "c1", "2024-01-01T00:00:00");
    let second = order("e1", "c1", "2024-01-02T00:00:00");

    let created = put_with(&app, &key, "e1", &first, ("If-None-Match", "*")).await;
    assert_eq!(created.status(), 201);
    let tag = etag_of(&created);
    let refused = put_with(&app, &key, "e1", &second, ("If-None-Match", "*")).await;

    expect_error(refused, 412).await;
    let stored = app.get("/v1/order/e1", &key).await;
    assert_eq!(etag_of(&stored), tag);
    let stored: Value = stored.json().await.unwrap();
    assert_eq!(stored["payload"]["updatedAt"], json!("2024-01-01T00:00:00"));
}

#[tokio::test(flavor = "multi_thread")]
async fn resending_the_same_document_keeps_the_etag() {
    let app = spawn_app().await;
    let key = app.create_key(&["orders", "orders:write"]).await;
    let document = order("e1", "c1", "2024-01-01T00:00:00");
    let mut undated = order("e2", "c1", "2024-01-01T00:00:00");
    undated.as_object_mut().unwrap().remove("updatedAt");

    let first = etag_of(&app.put("order", "e1", &document, &key).await);
    let again = app.put("order", "e1", &document, &key).await;
    assert_eq!(again.status(), 200);

    assert_eq!(etag_of(&again), first);
    let created = app.put("order", "e2", &undated, &key).await;
    assert_eq!(created.status(), 201);
    let undated_tag = etag_of(&created);
    let resent = app.put("order", "e2", &undated, &key).await;
    assert_eq!(
        etag_of(&resent),
        undated_tag,
        "without updatedAt, a re-send is a no-op too"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_child_changes_its_parents_etag() {
    let app = spawn_app().await;
    let key = app.admin_key().await;
    app.put(
        "order",
        "e1",
        &order("e1", "c1", "2024-01-01T00:00:00"),
        &key,
    )
    .await;
    let before = etag_of(&app.get("/v1/order/e1", &key).await);

    let mut rma = document("return", "r1", "c1", "2024-01-02T00:00:00");
    rma["parentOrderId"] = json!("e1");
    app.put_document(&rma, &key).await;

    let after = app.get("/v1/order/e1", &key).await;
    assert_ne!(
        etag_of(&after),
        before,
        "returnIds changed, so must the ETag"
    );
    let stale = get_with(&app, &key, "e1", ("If-None-Match", &before)).await;
    assert_eq!(stale.status(), 200);
    let body: Value = after.json().await.unwrap();
    assert_eq!(body["payload"]["returnIds"], json!(["r1"]));
}
