//! Every documented error of history_v3, and the headers every answer carries.

use serde_json::json;

use super::*;

#[tokio::test]
async fn request_and_correlation_ids_are_echoed_on_every_answer() {
    let v3 = with_fixtures().await;
    let path = format!("/v3/customers/{CUSTOMER}/orders");
    for (builder, status) in [
        (v3.get(&path), 200),
        (v3.get(&format!("{path}/nope")), 404),
        (v3.get(&format!("{path}?limit=x")), 400),
        (v3.app.client.get(v3.app.url(&path)), 401),
    ] {
        let response = builder
            .header("X-Request-Id", "req-1")
            .header("X-Correlation-Id", "corr-1")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status);
        assert_eq!(response.headers()["x-request-id"], "req-1");
        assert_eq!(response.headers()["x-correlation-id"], "corr-1");
    }
    let response = v3.get(&path).send().await.unwrap();
    assert!(!response.headers()["x-request-id"].is_empty(), "a new one");
    assert!(response.headers().get("x-correlation-id").is_none());
}

#[tokio::test]
async fn bad_parameters_are_one_400_naming_each() {
    let v3 = with_fixtures().await;
    let path = format!("/v3/customers/{CUSTOMER}/orders");
    for (query, fields) in [
        ("status=1001", &["status"][..]),
        ("order-type=new", &["order-type"]),
        ("start-date=2019-05-02T22:49:54", &["start-date"]),
        ("end-date=2019-05-02T22:49:54%2B02:00", &["end-date"]),
        ("start-date=2019-06-01&end-date=2019-05-01", &["start-date"]),
        (
            "limit=ten&offset=-1&offer-id=",
            &["limit", "offset", "offer-id"],
        ),
        ("offset=1&offset=2", &["offset"]),
    ] {
        let details = v3_error(
            v3.get(&format!("{path}?{query}")).send().await.unwrap(),
            400,
            "Bad request",
        )
        .await;
        let named: Vec<&str> = details
            .iter()
            .map(|d| d.split(':').next().unwrap())
            .collect();
        assert_eq!(named, fields, "{query}: {details:?}");
    }
    let path = format!("{path}?status=1&order-type=new&start-date=yesterday&limit=&offset=x");
    let response = v3.get(&path).send().await.unwrap();
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_wire_snapshot!("error_400_every_problem", body);
}

#[tokio::test]
async fn authorization_bearer_authenticates() {
    let v3 = with_fixtures().await;
    let url = v3.app.url(&format!("/v3/customers/{CUSTOMER}/orders"));
    let client = &v3.app.client;
    let id = key_id(&v3.key);
    let revoked = v3.app.create_key(&["orders"]).await;
    assert!(v3.app.store.revoke_key(&key_id(&revoked)).await.unwrap());
    for request in [
        client.get(&url).header("X-Api-Key", &id),
        client.get(&url).header("X-Api-Key", &v3.key),
        client
            .get(&url)
            .header("Authorization", format!("Basic {}", v3.key))
            .header("X-Api-Key", &id),
        client
            .get(&url)
            .bearer_auth("ordo_000000000000_00000000000000000000000000000000")
            .header("X-Api-Key", &id),
        client
            .get(&url)
            .bearer_auth(&revoked)
            .header("X-Api-Key", key_id(&revoked)),
    ] {
        let response = request.send().await.unwrap();
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
        assert_eq!(
            v3_error(response, 401, "Invalid Authorization token").await,
            Vec::<String>::new()
        );
    }
    let lower = client
        .get(&url)
        .header("Authorization", format!("bearer {}", v3.key))
        .header("X-Api-Key", &id);
    ok(lower.send().await.unwrap()).await;
}

#[tokio::test]
async fn x_api_key_must_name_the_same_key_with_the_orders_scope() {
    let v3 = with_fixtures().await;
    let url = v3
        .app
        .url(&format!("/v3/customers/{CUSTOMER}/orders/0123456789"));
    let client = &v3.app.client;
    let other = v3.app.create_key(&["orders"]).await;
    for named in [
        None,
        Some(other.clone()),
        Some(key_id(&other)),
        Some("nonsense".into()),
    ] {
        let mut request = client.get(&url).bearer_auth(&v3.key);
        if let Some(named) = named {
            request = request.header("X-Api-Key", named);
        }
        v3_error(request.send().await.unwrap(), 403, "Invalid API Key").await;
    }
    let by_secret = client
        .get(&url)
        .bearer_auth(&v3.key)
        .header("X-Api-Key", &v3.key);
    ok(by_secret.send().await.unwrap()).await;
    let returns_only = v3.app.create_key(&["returns", "orders:write"]).await;
    let request = client
        .get(&url)
        .bearer_auth(&returns_only)
        .header("X-Api-Key", key_id(&returns_only));
    let details = v3_error(request.send().await.unwrap(), 403, "Invalid API Key").await;
    assert_eq!(details, ["this key lacks the scope \"orders\""]);
}

#[tokio::test]
async fn what_the_key_may_not_see_is_404() {
    let v3 = with_fixtures().await;
    let (app, admin) = (&v3.app, &v3.admin);
    app.put_document(
        &order("7000000001", "1111111111", "2019-06-01T00:00:00"),
        admin,
    )
    .await;
    let quote = document("quote", "7000000002", "2222222222", "2019-06-01T00:00:00");
    app.put_document(&quote, admin).await;
    let other_tenant = app
        .create_key_for("other", &["orders", "orders:write"], None)
        .await;
    app.put_document(
        &order("7000000003", CUSTOMER, "2019-06-01T00:00:00"),
        &other_tenant,
    )
    .await;
    let customer = "Invalid customer ID";
    let order_id = "Invalid customer or order ID";
    for (path, message) in [
        ("/v3/customers/nobody/orders".to_owned(), customer),
        ("/v3/customers/2222222222/orders".to_owned(), customer),
        (format!("/v3/customers/{CUSTOMER}/orders/nope"), order_id),
        (
            format!("/v3/customers/{CUSTOMER}/orders/7000000001"),
            order_id,
        ),
        (
            format!("/v3/customers/{CUSTOMER}/orders/7000000003"),
            order_id,
        ),
        (
            "/v3/customers/1111111111/orders/0123456789".to_owned(),
            order_id,
        ),
    ] {
        v3_error(v3.get(&path).send().await.unwrap(), 404, message).await;
    }
    // A key of one customer sees that customer only; another customer is unknown.
    let own = app
        .create_key_for(TENANT, &["orders"], Some(CUSTOMER))
        .await;
    let as_own = |path: &str| {
        app.client
            .get(app.url(path))
            .bearer_auth(&own)
            .header("X-Api-Key", key_id(&own))
    };
    assert_eq!(
        ok(as_own(&format!("/v3/customers/{CUSTOMER}/orders"))
            .send()
            .await
            .unwrap())
        .await["totalCount"],
        json!(9)
    );
    v3_error(
        as_own("/v3/customers/1111111111/orders")
            .send()
            .await
            .unwrap(),
        404,
        customer,
    )
    .await;
    v3_error(
        as_own("/v3/customers/1111111111/orders/7000000001")
            .send()
            .await
            .unwrap(),
        404,
        order_id,
    )
    .await;
    // The other tenant's key sees its own order of the same customer id, and only it.
    let theirs = app
        .client
        .get(app.url(&format!("/v3/customers/{CUSTOMER}/orders")))
        .bearer_auth(&other_tenant)
        .header("X-Api-Key", &other_tenant);
    let page = ok(theirs.send().await.unwrap()).await;
    assert_eq!(ids(&page), ["7000000003"]);
}

#[tokio::test]
async fn other_methods_are_405_in_the_dialect_envelope() {
    let v3 = with_fixtures().await;
    let url = v3.app.url(&format!("/v3/customers/{CUSTOMER}/orders"));
    let response = v3
        .app
        .client
        .post(url)
        .bearer_auth(&v3.key)
        .header("X-Api-Key", &v3.key)
        .send()
        .await
        .unwrap();
    v3_error(response, 405, "Method not allowed").await;
}
