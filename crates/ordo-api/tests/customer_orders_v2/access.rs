//! Credentials, access and every error of customer_orders_v2: each non-200 answer in the
//! dialect's envelope, `{"type", "message"}`.

use serde_json::json;

use super::common::*;
use super::failing::{Failure, Server};
use super::{CUSTOMER, ORDERS, expect_v2_error, get_with, loaded, orders};

#[tokio::test(flavor = "multi_thread")]
async fn the_path_answers_with_and_without_the_trailing_slash() {
    let (app, key) = loaded().await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut bodies = Vec::new();
    for path in [ORDERS.to_owned(), format!("{ORDERS}/")] {
        let response = client
            .get(app.url(&path))
            .bearer_auth(&key)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        bodies.push(response.text().await.unwrap());
    }
    assert_eq!(bodies[0], bodies[1]);
}

#[tokio::test(flavor = "multi_thread")]
async fn both_credential_headers_are_accepted() {
    let (app, _) = loaded().await;
    let key = app.create_key(&["orders"]).await;
    for headers in [
        [("authorization", format!("Bearer {key}"))],
        [("authorization", format!("bearer {key}"))],
        [("x-access-token", key.clone())],
    ] {
        let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let response = get_with(&app, ORDERS, &headers).await;
        assert_eq!(response.status(), 200, "{headers:?}");
        let total = &response.headers()["x-pagination-totalcount"];
        assert_eq!(total, "5", "{headers:?}");
    }
    // A bearer wins over `x-access-token`; another scheme is no bearer.
    let unknown = "ordo_000000000000_00000000000000000000000000000000";
    let bearer = format!("Bearer {unknown}");
    let both = [
        ("authorization", bearer.as_str()),
        ("x-access-token", key.as_str()),
    ];
    expect_v2_error(get_with(&app, ORDERS, &both).await, 401).await;
    let basic = format!("Basic {key}");
    let other = [
        ("authorization", basic.as_str()),
        ("x-access-token", key.as_str()),
    ];
    assert_eq!(get_with(&app, ORDERS, &other).await.status(), 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_unknown_or_revoked_credentials_are_401() {
    let (app, _) = loaded().await;
    let key = app.create_key(&["orders"]).await;
    let unknown = "ordo_000000000000_00000000000000000000000000000000";
    let cases: [&[(&str, String)]; 6] = [
        &[],
        &[("authorization", "Bearer ".to_owned())],
        &[("authorization", format!("Bearer {unknown}"))],
        &[("x-access-token", unknown.to_owned())],
        // v1's header is not one of this dialect's.
        &[("x-api-key", key.clone())],
        &[("authorization", format!("Basic {key}"))],
    ];
    for headers in cases {
        let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let response = get_with(&app, ORDERS, &headers).await;
        assert_eq!(
            response.headers()["www-authenticate"],
            "Bearer",
            "{headers:?}"
        );
        let body = expect_v2_error(response, 401).await;
        assert_eq!(body["type"], "Unauthorized", "{headers:?}");
    }
    let id = ordo_store::parse_secret(&key).unwrap();
    assert!(app.store.revoke_key(id).await.unwrap());
    let revoked = get_with(&app, ORDERS, &[("x-access-token", &key)]).await;
    expect_v2_error(revoked, 401).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_key_without_the_orders_scope_is_403() {
    let (app, _) = loaded().await;
    let key = app.create_key(&["returns", "orders:write", "quotas"]).await;
    let body = expect_v2_error(app.get(ORDERS, &key).await, 403).await;
    assert_eq!(body["type"], "PermissionDenied");
    assert!(
        body["message"].as_str().unwrap().contains("orders"),
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_customer_key_sees_its_own_customer_only() {
    let (app, admin) = loaded().await;
    app.put_document(
        &order("80001", "other-customer", "2024-01-01T00:00:00"),
        &admin,
    )
    .await;
    let own = app
        .create_key_for(TENANT, &["orders"], Some(CUSTOMER))
        .await;
    assert_eq!(orders(&app, ORDERS, &own).await.len(), 5);
    // Another customer, existing or not: 403, the same answer either way.
    let existing = expect_v2_error(
        app.get("/v2/customers/other-customer/orders", &own).await,
        403,
    );
    let missing = expect_v2_error(app.get("/v2/customers/nobody/orders", &own).await, 403);
    assert_eq!(existing.await["type"], "PermissionDenied");
    assert_eq!(missing.await["type"], "PermissionDenied");
    // A customer key's own customer exists even before it has documents.
    let fresh = app.create_key_for(TENANT, &["orders"], Some("fresh")).await;
    assert!(
        orders(&app, "/v2/customers/fresh/orders", &fresh)
            .await
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_customer_is_404_and_another_tenants_too() {
    let (app, admin) = loaded().await;
    let body = expect_v2_error(app.get("/v2/customers/nobody/orders/", &admin).await, 404).await;
    assert_eq!(body["type"], "NotFound");
    let elsewhere = app.create_key_for("elsewhere", &["orders"], None).await;
    expect_v2_error(app.get(ORDERS, &elsewhere).await, 404).await;
    // A customer with documents but no order has an empty list.
    let mut quote = document("quote", "Q-1", "quotes-only", "2024-01-01T00:00:00");
    quote["items"] = json!([]);
    app.put_document(&quote, &admin).await;
    assert!(
        orders(&app, "/v2/customers/quotes-only/orders", &admin)
            .await
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_query_values_are_one_400_naming_each() {
    let (app, key) = loaded().await;
    let cases: [(&str, &[&str]); 9] = [
        ("limit=abc", &[".limit"]),
        ("limit=-1", &[".limit"]),
        ("limit=1001", &[".limit"]),
        ("limit=5&limit=6", &[".limit"]),
        ("skip=1.5", &[".skip"]),
        ("page=", &[".page"]),
        ("includesStatus=new", &[".includesStatus[0]"]),
        ("templateNames=", &[".templateNames[0]"]),
        (
            "limit=x&includesStatus=NEW&includesStatus=OPEN&excludesStatus=Cancelled",
            &[".limit", ".includesStatus[1]", ".excludesStatus[0]"],
        ),
    ];
    for (query, expected) in cases {
        let body = expect_v2_error(app.get(&format!("{ORDERS}?{query}"), &key).await, 400).await;
        assert_eq!(body["type"], "ValidationError", "{query}");
        let errors = body["validationErrors"].as_array().unwrap();
        let paths: Vec<&str> = errors.iter().map(|e| e["path"].as_str().unwrap()).collect();
        assert_eq!(paths, expected, "{query}: {body}");
        for error in errors {
            assert!(
                error["message"].is_string() && error["type"].is_string(),
                "{error}"
            );
        }
    }
    let bad_path = expect_v2_error(app.get("/v2/customers/%FF/orders", &key).await, 400).await;
    assert_eq!(bad_path["validationErrors"][0]["path"], ".customerId");
    let body = expect_v2_error(
        app.get(&format!("{ORDERS}?excludesStatus=DONE"), &key)
            .await,
        400,
    );
    let body = body.await;
    assert_eq!(body["validationErrors"][0]["type"], "enum");
    assert_eq!(
        body["validationErrors"][0]["context"]["allowedValues"],
        "NEW, CONFIRMED, REJECTED, ABORTED, EXECUTED"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_method_gets_the_dialects_envelope() {
    let (app, key) = loaded().await;
    let response = app
        .client
        .post(app.url(ORDERS))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    // A 405 lists the methods the route has (RFC 9110).
    assert_eq!(response.headers()["allow"], "GET,HEAD");
    let body = expect_v2_error(response, 405).await;
    assert_eq!(body["type"], "MethodNotAllowed");
}

#[tokio::test(flavor = "multi_thread")]
async fn store_failures_keep_the_dialects_envelope() {
    for (failure, status, kind) in [
        (Failure::Unavailable, 503, "ServiceUnavailable"),
        (Failure::Broken, 500, "InternalServerError"),
    ] {
        let server = Server::start(Some(failure), test_config()).await;
        let request = reqwest::Client::new().get(server.url(ORDERS));
        let response = request.bearer_auth(&server.key).send().await.unwrap();
        let body = expect_v2_error(response, status).await;
        assert_eq!(body["type"], kind);
        assert!(body["requestId"].is_string(), "{body}");
        assert!(
            !body.to_string().contains("on purpose"),
            "internals leak: {body}"
        );
    }
}
