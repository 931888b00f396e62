//! The hardened edge through the real server, on the test's store (SQLite, or PostgreSQL with
//! ORDO_TEST_DATABASE_URL): customer keys only read, ids are held to their rules in paths,
//! U+0000 is refused by name, keys over their rate get 429 with the rate fields, and a body
//! that does not arrive in time gets 408.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use ordo_store::NewKey;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test(flavor = "multi_thread")]
async fn a_customer_key_never_writes_whatever_scopes_it_holds() {
    let app = spawn_app().await;
    let admin = app.admin_key().await;
    let customer = app
        .create_key_for(
            TENANT,
            &["orders", "orders:write", "statuses:write"],
            Some("C1"),
        )
        .await;

    let own = app
        .put(
            "order",
            "o1",
            &order("o1", "C1", "2024-01-01T00:00:00"),
            &customer,
        )
        .await;
    let taken_elsewhere = {
        app.put(
            "order",
            "o2",
            &order("o2", "C2", "2024-01-01T00:00:00"),
            &admin,
        )
        .await;
        app.put(
            "order",
            "o2",
            &order("o2", "C1", "2024-01-01T00:00:00"),
            &customer,
        )
        .await
    };
    let free = app
        .put(
            "order",
            "o3",
            &order("o3", "C1", "2024-01-01T00:00:00"),
            &customer,
        )
        .await;
    let import = app
        .import(
            ndjson(&[order("o4", "C1", "2024-01-01T00:00:00")]),
            &customer,
        )
        .await;
    let status = app
        .client
        .put(app.url("/v1/status/1"))
        .bearer_auth(&customer)
        .json(&json!({"name": "New"}))
        .send()
        .await
        .unwrap();

    let own = expect_error(own, 403).await;
    // An id used by another customer and a free one answer alike: no existence oracle.
    assert_eq!(
        expect_error(taken_elsewhere, 403).await,
        expect_error(free, 403).await
    );
    assert_eq!(own["error"]["code"], "forbidden");
    expect_error(import, 403).await;
    expect_error(status, 403).await;
    assert_eq!(app.get("/v1/order/o1", &admin).await.status(), 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_path_id_that_breaks_the_id_rules_is_not_found() {
    let app = spawn_app().await;
    let admin = app.admin_key().await;
    let long = "x".repeat(65);
    for path in [
        "/v1/order/a%00b".to_owned(),
        "/v1/order/a%2Fb".to_owned(),
        "/v1/order/a%07b".to_owned(),
        format!("/v1/order/{long}"),
        "/v1/customer/a%00b/relations".to_owned(),
        "/v1/status/a%00b".to_owned(),
    ] {
        expect_error(app.get(&path, &admin).await, 404).await;
    }
    let put = app
        .put(
            "order",
            "a%00b",
            &order("a\u{0}b", "C1", "2024-01-01T00:00:00"),
            &admin,
        )
        .await;
    expect_error(put, 404).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_nul_character_is_refused_naming_its_field_and_nothing_is_stored() {
    let app = spawn_app().await;
    let admin = app.admin_key().await;
    let mut document = order("o1", "C1", "2024-01-01T00:00:00");
    document["status"] = json!("Open\u{0}");
    document["parentQuoteId"] = json!("q\u{0}");

    let body = expect_error(app.put("order", "o1", &document, &admin).await, 400).await;

    assert_eq!(detail_fields(&body), ["parentQuoteId", "status"]);
    assert_eq!(app.get("/v1/order/o1", &admin).await.status(), 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_import_line_with_a_nul_is_that_lines_error_and_the_others_are_stored() {
    let app = spawn_app().await;
    let admin = app.admin_key().await;
    let mut bad = order("o2", "C1", "2024-01-01T00:00:00");
    bad["status"] = json!("a\u{0}b");
    let lines = ndjson(&[
        order("o1", "C1", "2024-01-01T00:00:00"),
        bad,
        order("o3", "C1", "2024-01-01T00:00:00"),
    ]);

    let response = app.import(lines, &admin).await;

    assert_eq!(response.status(), 200);
    let report: serde_json::Value = response.json().await.unwrap();
    assert_eq!(report["payload"]["stored"], 2, "{report}");
    assert_eq!(report["payload"]["errors"][0]["line"], 2, "{report}");
    assert_eq!(app.get("/v1/order/o3", &admin).await.status(), 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_key_over_its_rate_gets_429_with_the_rate_fields_and_others_are_served() {
    let app = spawn_app().await;
    let (_, limited) = app
        .store
        .create_key(NewKey {
            tenant: TENANT.to_owned(),
            scopes: vec!["orders".to_owned()],
            customer_id: None,
            name: None,
            rate_limit: Some(2),
        })
        .await
        .unwrap();
    let other = app.create_key(&["orders"]).await;

    let mut statuses = Vec::new();
    let mut refused = None;
    for _ in 0..4 {
        let response = app.get("/v1/order/?limit=1", &limited.0).await;
        statuses.push(response.status().as_u16());
        if response.status() == 429 && refused.is_none() {
            refused = Some(response);
        }
    }
    let other_status = app.get("/v1/order/?limit=1", &other).await.status();

    assert_eq!(&statuses[..2], [200, 200]);
    assert!(statuses[2..].contains(&429), "{statuses:?}");
    assert_eq!(other_status, 200);
    let refused = refused.unwrap();
    let header = |name: &str| refused.headers()[name].to_str().unwrap().to_owned();
    assert!(header("retry-after").parse::<u64>().unwrap() >= 1);
    assert_eq!(header("ratelimit-policy"), "\"key\";q=2;w=1");
    assert!(header("ratelimit").starts_with("\"key\";r=0;t="));
    let body = expect_error(refused, 429).await;
    assert_eq!(body["error"]["code"], "too_many_requests");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_that_does_not_arrive_in_time_is_408_and_the_connection_closes() {
    let fresh = ordo_store::testing::fresh_store().await.unwrap();
    let limits = ordo_api::server::ServerLimits {
        body_timeout: Duration::from_secs(1),
        ..test_limits()
    };
    let base = spawn_app_with_limits(Arc::clone(&fresh.store), test_config(), limits).await;
    let (_, key) = fresh
        .store
        .create_key(NewKey {
            tenant: TENANT.to_owned(),
            scopes: vec!["orders:write".to_owned()],
            customer_id: None,
            name: None,
            rate_limit: None,
        })
        .await
        .unwrap();
    let address = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = format!(
        "PUT /v1/order/o1 HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {}\r\n\
         content-type: application/json\r\ncontent-length: 100\r\n\r\n{{",
        key.0
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();

    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer))
        .await
        .expect("the server closes the connection")
        .unwrap();

    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("connection: close"),
        "{answer}"
    );
    assert!(answer.contains("\"request_timeout\""), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dialect_path_with_a_customer_id_that_breaks_the_rules_is_an_unknown_customer() {
    let app = spawn_app().await;
    let key = app.create_key(&["orders"]).await;
    for (broken, unknown) in [
        ("/v3/customers/a%00b/orders", "/v3/customers/nobody/orders"),
        ("/v2/customers/a%00b/orders", "/v2/customers/nobody/orders"),
        (
            "/v3/customers/%00/orders/1",
            "/v3/customers/nobody/orders/1",
        ),
    ] {
        let ask = |path: &'static str| {
            app.client
                .get(app.url(path))
                .bearer_auth(&key)
                .header("x-api-key", &key)
                .send()
        };
        let broken = ask(broken).await.unwrap();
        let unknown = ask(unknown).await.unwrap();
        assert_eq!(broken.status(), unknown.status());
        assert!(broken.status().is_client_error(), "{}", broken.status());
    }
}
