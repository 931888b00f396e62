//! `POST /v1/import`: NDJSON in, good lines stored, each bad line reported with its number
//! and problems; idempotent; and reads that keep answering while a large import writes.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use common::*;
use serde_json::{Value, json};

/// Three good lines and two bad ones (line 2: not JSON; line 4: an unknown field).
fn mixed_lines() -> String {
    let good = |id: &str| order(id, "c1", "2024-01-01T00:00:00").to_string();
    let mut unknown_field = order("bad-4", "c1", "2024-01-01T00:00:00");
    unknown_field["colour"] = json!("red");
    [
        good("imp-1"),
        "{\"kind\": \"order\", \"orderId\": ".to_owned(),
        good("imp-3"),
        unknown_field.to_string(),
        document("return", "imp-5", "c1", "2024-01-02T00:00:00").to_string(),
    ]
    .join("\n")
}

#[tokio::test(flavor = "multi_thread")]
async fn good_lines_are_stored_and_each_bad_line_is_reported() {
    let app = spawn_app().await;
    let key = app.admin_key().await;

    let response = app.import(mixed_lines(), &key).await;

    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let report: Value = response.json().await.unwrap();
    let payload = &report["payload"];
    assert_eq!(payload["stored"], json!(3), "{report}");
    assert_eq!(payload["unchanged"], json!(0), "{report}");
    assert_eq!(payload["rejected"], json!(2), "{report}");
    let errors = payload["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 2, "{report}");
    assert_eq!(errors[0]["line"], json!(2));
    assert!(
        !errors[0]["details"].as_array().unwrap().is_empty(),
        "{report}"
    );
    assert_eq!(errors[1]["line"], json!(4));
    assert_eq!(
        errors[1]["details"][0]["field"],
        json!("colour"),
        "{report}"
    );
    for path in ["/v1/order/imp-1", "/v1/order/imp-3", "/v1/return/imp-5"] {
        assert_eq!(app.get(path, &key).await.status(), 200, "{path}");
    }
    expect_error(app.get("/v1/order/bad-4", &key).await, 404).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn importing_the_same_lines_again_changes_nothing() {
    let app = spawn_app().await;
    let key = app.admin_key().await;
    assert_eq!(app.import(mixed_lines(), &key).await.status(), 200);
    let tag = app.get("/v1/order/imp-1", &key).await.headers()["etag"].clone();

    let again = app.import(mixed_lines(), &key).await;

    assert_eq!(again.status(), 200);
    let report: Value = again.json().await.unwrap();
    assert_eq!(report["payload"]["stored"], json!(0), "{report}");
    assert_eq!(report["payload"]["unchanged"], json!(3), "{report}");
    assert_eq!(report["payload"]["rejected"], json!(2), "{report}");
    assert_eq!(
        app.get("/v1/order/imp-1", &key).await.headers()["etag"],
        tag
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn imported_fixtures_read_back_like_put_ones() {
    let app = spawn_app().await;
    let key = app.admin_key().await;
    let lines: Vec<Value> = fixtures().into_iter().map(|(_, v)| v).collect();

    let response = app.import(ndjson(&lines), &key).await;

    assert_eq!(response.status(), 200);
    let report: Value = response.json().await.unwrap();
    assert_eq!(
        report["payload"]["stored"].to_string(),
        lines.len().to_string()
    );
    // Links resolve across documents of one import as across PUTs (and join one customer's
    // documents only, but for a vendor order's customerOrderId).
    let order = app.get_json("/v1/order/625606", &key).await;
    assert_eq!(order["payload"]["vendorOrderIds"], json!(["625607"]));
}

#[tokio::test(flavor = "multi_thread")]
async fn import_with_a_wrong_content_type_is_415() {
    let app = spawn_app().await;
    let key = app.admin_key().await;

    let response = app
        .client
        .post(app.url("/v1/import"))
        .bearer_auth(&key)
        .header("content-type", "text/plain")
        .body(mixed_lines())
        .send()
        .await
        .unwrap();

    expect_error(response, 415).await;
    expect_error(app.get("/v1/order/imp-1", &key).await, 404).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn import_with_a_key_without_any_write_scope_is_403() {
    let app = spawn_app().await;
    let every_read = [
        "quotas",
        "orders",
        "returns",
        "vendor-quotas",
        "vendor-orders",
        "vendor-returns",
        RELATIONS_SCOPE,
    ];
    let reader = app.create_key(&every_read).await;

    expect_error(app.import(mixed_lines(), &reader).await, 403).await;

    let admin = app.admin_key().await;
    expect_error(app.get("/v1/order/imp-1", &admin).await, 404).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn reads_keep_answering_while_a_large_import_writes() {
    const DOCUMENTS: usize = 20_000;
    const REQUESTS: usize = 4;
    let app = Arc::new(spawn_app().await);
    let key = app.admin_key().await;
    app.put_document(&order("steady", "c1", "2020-01-01T00:00:00"), &key)
        .await;

    let done = Arc::new(AtomicBool::new(false));
    let reads = Arc::new(AtomicUsize::new(0));
    let mut readers = Vec::new();
    for reader in 0..4 {
        let (app, key, done, reads) = (
            Arc::clone(&app),
            key.clone(),
            Arc::clone(&done),
            Arc::clone(&reads),
        );
        readers.push(tokio::spawn(async move {
            let paths = [
                "/v1/order/steady",
                "/v1/order/?limit=50",
                "/v1/order/?newest=false&limit=20&offset=100",
                "/v1/customer/c1/relations",
            ];
            let mut failures = Vec::new();
            let mut i = reader;
            while !done.load(Ordering::Relaxed) {
                let path = paths[i % paths.len()];
                i += 1;
                let response = app.get(path, &key).await;
                let status = response.status();
                if status != 200 {
                    let body = response.text().await.unwrap_or_default();
                    failures.push(format!("GET {path}: {status} {body}"));
                }
                reads.fetch_add(1, Ordering::Relaxed);
            }
            failures
        }));
    }

    let per_request = DOCUMENTS / REQUESTS;
    for request in 0..REQUESTS {
        let lines: Vec<Value> = (0..per_request)
            .map(|i| {
                let n = request * per_request + i;
                let at = format!("2024-01-{:02}T{:02}:{:02}:00", 1 + n % 28, n % 24, n % 60);
                order(&format!("bulk-{n:05}"), &format!("c{}", n % 7), &at)
            })
            .collect();
        let response = app.import(ndjson(&lines), &key).await;
        let status = response.status();
        let report: Value = response.json().await.unwrap();
        assert_eq!(status, 200, "{report}");
        assert_eq!(
            report["payload"]["stored"].to_string(),
            per_request.to_string(),
            "{report}"
        );
    }
    done.store(true, Ordering::Relaxed);

    let mut failures = Vec::new();
    for reader in readers {
        failures.extend(reader.await.unwrap());
    }
    assert!(
        failures.is_empty(),
        "{} failed reads: {failures:#?}",
        failures.len()
    );
    assert!(reads.load(Ordering::Relaxed) > 0, "the readers ran");
    let last = app
        .get_json(&format!("/v1/order/bulk-{:05}", DOCUMENTS - 1), &key)
        .await;
    assert_eq!(
        last["payload"]["customerId"],
        json!(format!("c{}", (DOCUMENTS - 1) % 7))
    );
}
