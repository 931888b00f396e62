//! What an operator and a browser see of every surface: `/metrics` moves with the traffic and
//! labels routes by their template, `/health` names the build, CORS answers only the listed
//! origins, and large answers are compressed as the client asks.

mod common;

use std::io::Read;
use std::sync::Arc;

use common::{spawn_app, spawn_app_with, test_config};

/// The sum of the samples of `name` whose labels include every one of `labels`.
fn sample(text: &str, name: &str, labels: &[(&str, &str)]) -> f64 {
    text.lines()
        .filter(|line| {
            line.starts_with(&format!("{name}{{")) || line.starts_with(&format!("{name} "))
        })
        .filter(|line| {
            labels
                .iter()
                .all(|(label, value)| line.contains(&format!("{label}=\"{value}\"")))
        })
        .filter_map(|line| line.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

async fn scrape(client: &reqwest::Client, base: &str) -> String {
    let response = client
        .get(format!("{base}/metrics"))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        content_type.starts_with("text/plain; version=0.0.4"),
        "{content_type}"
    );
    response.text().await.expect("a body")
}

#[tokio::test]
async fn metrics_count_requests_by_route_template_never_the_raw_path() {
    let app = spawn_app().await;
    let key = app.load_fixtures().await;
    let route = [
        ("surface", "v1"),
        ("route", "/v1/{kind}/{id}"),
        ("method", "GET"),
        ("status", "200"),
    ];
    let before = sample(
        &scrape(&app.client, &app.base_url).await,
        "ordo_http_requests_total",
        &route,
    );
    for _ in 0..3 {
        let response = app.get("/v1/order/805685", &key).await;
        assert_eq!(response.status(), 200);
    }
    app.get("/no/such/route/4711", &key).await;
    // A list page waits its turn for a reader; an import counts its lines.
    assert_eq!(app.get("/v1/order/?limit=5", &key).await.status(), 200);
    let line = r#"{"kind":"order","orderId":"M-1","customerId":"C-1","createdAt":"2024-03-02T10:15:30","total":1,"status":"New","statusId":"1","shippingMethod":"S","shippingPrice":0,"shippingTax":0}"#;
    assert_eq!(app.import(line, &key).await.status(), 200);
    let text = scrape(&app.client, &app.base_url).await;
    let after = sample(&text, "ordo_http_requests_total", &route);
    assert!(after - before >= 3.0, "{before} -> {after}");
    assert!(!text.contains("805685"), "a raw id in a label");
    assert!(!text.contains("4711"), "a raw path in a label");
    assert!(sample(&text, "ordo_http_requests_total", &[("route", "unmatched")]) >= 1.0);
    for name in [
        "ordo_http_request_duration_seconds_bucket",
        "ordo_http_in_flight",
        "ordo_store_pool_in_use",
        "ordo_store_pool_wait_seconds_bucket",
        "ordo_import_lines_total",
        "process_resident_memory_bytes",
        "process_open_fds",
        "process_cpu_seconds_total",
    ] {
        assert!(text.contains(name), "{name} missing:\n{text}");
    }
    assert!(sample(&text, "ordo_import_lines_total", &[("result", "stored")]) >= 1.0);
    assert!(
        sample(
            &text,
            "ordo_http_request_duration_seconds_count",
            &[("route", "/v1/{kind}/{id}")]
        ) >= 3.0
    );
}

#[tokio::test]
async fn metrics_may_leave_the_main_listener() {
    let fresh = ordo_store::testing::fresh_store().await.expect("a store");
    let config = ordo_api::ApiConfig {
        metrics: ordo_api::MetricsAt::Apart,
        ..test_config()
    };
    let base = spawn_app_with(Arc::clone(&fresh.store), config.clone()).await;
    let response = reqwest::get(format!("{base}/metrics"))
        .await
        .expect("an answer");
    assert_eq!(response.status(), 404);

    // What `ordo serve --metrics-listen` serves on its own address.
    let state = ordo_api::AppState::new(Arc::clone(&fresh.store), config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, ordo_api::metrics::router(state)).await });
    let text = scrape(&reqwest::Client::new(), &format!("http://{address}")).await;
    assert!(text.contains("process_open_fds"), "{text}");
}

#[tokio::test]
async fn health_names_the_version_and_commit() {
    let app = spawn_app().await;
    let health: serde_json::Value = app
        .client
        .get(app.url("/health"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(health["commit"], "test");
}

/// A server whose CORS allows `https://shop.example`.
async fn with_cors() -> (String, String, ordo_store::testing::TestStore) {
    let fresh = ordo_store::testing::fresh_store().await.expect("a store");
    let config = ordo_api::ApiConfig {
        cors_origins: vec![
            "https://shop.example".to_owned(),
            "https://b.example".to_owned(),
        ],
        ..test_config()
    };
    let base = spawn_app_with(Arc::clone(&fresh.store), config).await;
    let (_, secret) = fresh
        .store
        .create_key(ordo_store::NewKey {
            rate_limit: None,
            tenant: "default".into(),
            scopes: vec!["orders".into()],
            customer_id: Some("459202".into()),
            name: None,
        })
        .await
        .unwrap();
    (base, secret.0, fresh)
}

fn preflight(client: &reqwest::Client, base: &str, origin: &str) -> reqwest::RequestBuilder {
    client
        .request(
            reqwest::Method::OPTIONS,
            format!("{base}/api/v10/storefront.orders"),
        )
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "x-customer-key, content-type",
        )
}

#[tokio::test]
async fn cors_answers_the_listed_origins_only() {
    let (base, key, _fresh) = with_cors().await;
    let client = reqwest::Client::new();

    let allowed = preflight(&client, &base, "https://shop.example")
        .send()
        .await
        .unwrap();
    assert_eq!(allowed.status(), 204);
    let headers = allowed.headers();
    assert_eq!(
        headers["access-control-allow-origin"],
        "https://shop.example"
    );
    let methods = headers["access-control-allow-methods"].to_str().unwrap();
    assert!(
        methods.contains("POST") && methods.contains("GET"),
        "{methods}"
    );
    let allowed_headers = headers["access-control-allow-headers"].to_str().unwrap();
    for name in [
        "x-customer-key",
        "authorization",
        "x-api-key",
        "content-type",
    ] {
        assert!(allowed_headers.contains(name), "{name}: {allowed_headers}");
    }
    assert_eq!(headers["access-control-max-age"], "600");

    let refused = preflight(&client, &base, "https://evil.example")
        .send()
        .await
        .unwrap();
    assert!(
        refused
            .headers()
            .keys()
            .all(|name| !name.as_str().starts_with("access-control-")),
        "{:?}",
        refused.headers()
    );

    // The answer itself carries the header, on every surface, errors included.
    let answer = client
        .post(format!("{base}/api/v10/storefront.orders"))
        .header("origin", "https://b.example")
        .header("x-customer-key", &key)
        .json(&serde_json::json!({"limit": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(
        answer.headers()["access-control-allow-origin"],
        "https://b.example"
    );
    let refused = client
        .get(format!("{base}/v1/order/1"))
        .header("origin", "https://shop.example")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
    assert_eq!(
        refused.headers()["access-control-allow-origin"],
        "https://shop.example"
    );
    let other = client
        .get(format!("{base}/v1/order/1"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn cors_is_off_by_default() {
    let app = spawn_app().await;
    let response = preflight(&app.client, &app.base_url, "https://shop.example")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert!(
        response
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
}

#[tokio::test]
async fn list_pages_are_compressed_as_asked_and_small_answers_are_not() {
    let app = spawn_app().await;
    let key = app.load_fixtures().await;
    let plain = app.get("/v1/order/?limit=100", &key).await;
    assert!(plain.headers().get("content-encoding").is_none());
    let plain = plain.bytes().await.unwrap();
    assert!(plain.len() > 1024, "a page of {} bytes", plain.len());

    for encoding in ["gzip", "br", "zstd"] {
        let response = app
            .client
            .get(app.url("/v1/order/?limit=100"))
            .bearer_auth(&key)
            .header("accept-encoding", encoding)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-encoding"], encoding);
        let compressed = response.bytes().await.unwrap();
        assert!(
            compressed.len() < plain.len() / 2,
            "{encoding}: {}",
            compressed.len()
        );
        if encoding == "gzip" {
            let mut decoded = Vec::new();
            flate2::read::GzDecoder::new(&compressed[..])
                .read_to_end(&mut decoded)
                .unwrap();
            assert_eq!(decoded, plain.to_vec());
        }
    }

    // A small answer goes as it is.
    let health = app
        .client
        .get(app.url("/health"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert!(health.headers().get("content-encoding").is_none());
}
