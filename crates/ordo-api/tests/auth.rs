//! Who may call what: 401 without a usable key, 403 naming the scope a key lacks, writes
//! needing `<scope>:write`, and the whole scope matrix (each scope against each route).

mod common;

use common::*;
use serde_json::json;

/// The paths of every v1 read route of a kind, for an existing document `id`.
fn read_paths(kind: &str, id: &str) -> [String; 3] {
    [
        format!("/v1/{kind}/"),
        format!("/v1/{kind}"),
        format!("/v1/{kind}/{id}"),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn both_credential_headers_are_accepted() {
    let app = spawn_app().await;
    let key = app.create_key(&["orders"]).await;

    let bearer = app.get("/v1/order/", &key).await;
    let api_key = app
        .client
        .get(app.url("/v1/order/"))
        .header("X-Api-Key", &key)
        .send()
        .await
        .unwrap();

    assert_eq!(bearer.status(), 200);
    assert_eq!(api_key.status(), 200);
    assert_eq!(
        api_key.json::<serde_json::Value>().await.unwrap(),
        json!({"payload": []})
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_without_a_key_is_401() {
    let app = spawn_app().await;

    for path in ["/v1/order/", "/v1/order/1", "/v1/customer/1/relations"] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert!(
            response.headers().contains_key("www-authenticate"),
            "{path}: a 401 says how to authenticate"
        );
        let body = expect_error(response, 401).await;
        assert_eq!(body["error"]["code"], json!("unauthorized"), "{path}");
    }
    let put = app
        .client
        .put(app.url("/v1/order/1"))
        .json(&order("1", "c1", "2024-01-01T00:00:00"))
        .send()
        .await
        .unwrap();
    expect_error(put, 401).await;
    let import = app
        .client
        .post(app.url("/v1/import"))
        .header("content-type", "application/x-ndjson")
        .body(ndjson(&[order("1", "c1", "2024-01-01T00:00:00")]))
        .send()
        .await
        .unwrap();
    expect_error(import, 401).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_key_is_401() {
    let app = spawn_app().await;
    let real = app.create_key(&["orders"]).await;
    // Well-formed, but no such key; and a real key id with the wrong secret.
    let unknown = "ordo_0123456789ab_0123456789abcdef0123456789abcdef".to_owned();
    let mut wrong_secret = real.clone();
    let last = wrong_secret.pop().unwrap();
    wrong_secret.push(if last == '0' { '1' } else { '0' });

    for key in [unknown, wrong_secret] {
        expect_error(app.get("/v1/order/", &key).await, 401).await;
        let api_key = app
            .client
            .get(app.url("/v1/order/"))
            .header("X-Api-Key", &key)
            .send()
            .await
            .unwrap();
        expect_error(api_key, 401).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_authorization_scheme_is_case_insensitive() {
    let app = spawn_app().await;
    let key = app.create_key(&["orders"]).await;

    for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
        let response = app
            .client
            .get(app.url("/v1/order/"))
            .header("Authorization", format!("{scheme} {key}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{scheme}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_malformed_key_is_401() {
    let app = spawn_app().await;

    for key in [
        "hello",
        "ordo_",
        "ordo_xyz_123",
        "Bearer",
        "ordo_0123456789ab_short",
    ] {
        expect_error(app.get("/v1/order/", key).await, 401).await;
    }
    let not_bearer = app
        .client
        .get(app.url("/v1/order/"))
        .header("Authorization", "Basic dXNlcjpwYXNz")
        .send()
        .await
        .unwrap();
    expect_error(not_bearer, 401).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_key_is_401() {
    let app = spawn_app().await;
    let key = app
        .create_key(&["orders", "customers:relations", "statuses"])
        .await;
    // Each read route has served the key (and the server has kept it in memory) ...
    let routes = [
        "/v1/order/",
        "/v1/order/o1",
        "/v1/customer/c1/relations",
        "/v1/status",
    ];
    for route in routes {
        let status = app.get(route, &key).await.status();
        assert!(status == 200 || status == 404, "{route}: {status}");
    }
    let id = ordo_store::parse_secret(&key).expect("a key id in the secret");

    // ... when another process revokes it.
    assert!(app.store.revoke_key(id).await.unwrap());

    for route in routes {
        expect_error(app.get(route, &key).await, 401).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_key_without_the_scope_is_403_naming_it() {
    let app = spawn_app().await;
    let key = app.create_key(&["returns", "quotas:write"]).await;

    let list = expect_error(app.get("/v1/order/", &key).await, 403).await;
    let get = expect_error(app.get("/v1/order/1", &key).await, 403).await;
    let relations = expect_error(app.get("/v1/customer/c1/relations", &key).await, 403).await;

    for body in [&list, &get] {
        assert_eq!(body["error"]["code"], json!("forbidden"));
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains("\"orders\""), "names the scope: {message}");
    }
    let message = relations["error"]["message"].as_str().unwrap();
    assert!(message.contains("customers:relations"), "{message}");
}

#[tokio::test(flavor = "multi_thread")]
async fn writing_needs_the_write_scope() {
    let app = spawn_app().await;
    let read_only = app.create_key(&["orders"]).await;
    let writer = app.create_key(&["orders:write"]).await;
    let document = order("w1", "c1", "2024-01-01T00:00:00");

    let refused = expect_error(app.put("order", "w1", &document, &read_only).await, 403).await;
    let message = refused["error"]["message"].as_str().unwrap();
    assert!(message.contains("orders:write"), "{message}");
    assert_eq!(
        app.put("order", "w1", &document, &writer).await.status(),
        201
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn each_scope_opens_its_own_routes_and_no_other() {
    let app = spawn_app().await;
    let admin = app.admin_key().await;
    for (kind, _, _) in KINDS {
        let document = document(kind, "m1", "c1", "2024-01-01T00:00:00");
        app.put_document(&document, &admin).await;
    }

    for (kind, _, scope) in KINDS {
        let write_scope = format!("{scope}:write");
        let everything_else: Vec<String> = all_scopes()
            .into_iter()
            .filter(|s| *s != scope && *s != write_scope)
            .collect();
        let everything_else: Vec<&str> = everything_else.iter().map(String::as_str).collect();
        let others = app.create_key(&everything_else).await;
        let reader = app.create_key(&[scope]).await;
        let writer = app.create_key(&[&write_scope]).await;
        let document = document(kind, "m2", "c1", "2024-01-01T00:00:00");

        for path in read_paths(kind, "m1") {
            assert_eq!(
                app.get(&path, &reader).await.status(),
                200,
                "{scope} GET {path}"
            );
            for key in [&others, &writer] {
                let body = expect_error(app.get(&path, key).await, 403).await;
                let message = body["error"]["message"].as_str().unwrap();
                assert!(
                    message.contains(&format!("\"{scope}\"")),
                    "GET {path}: {message}"
                );
            }
        }
        for key in [&others, &reader] {
            let body = expect_error(app.put(kind, "m2", &document, key).await, 403).await;
            let message = body["error"]["message"].as_str().unwrap();
            assert!(message.contains(&write_scope), "PUT {kind}: {message}");
        }
        assert_eq!(
            app.put(kind, "m2", &document, &writer).await.status(),
            201,
            "{write_scope} PUT {kind}"
        );
    }

    let kinds_only: Vec<String> = all_scopes()
        .into_iter()
        .filter(|s| s != RELATIONS_SCOPE)
        .collect();
    let kinds_only: Vec<&str> = kinds_only.iter().map(String::as_str).collect();
    let no_relations = app.create_key(&kinds_only).await;
    let relations_only = app.create_key(&[RELATIONS_SCOPE]).await;
    let path = "/v1/customer/c1/relations";
    expect_error(app.get(path, &no_relations).await, 403).await;
    let relations = app.get_json(path, &relations_only).await;
    for (kind, id_field, _) in KINDS {
        let key = match kind {
            "quote" => "quotas",
            "order" => "orders",
            "return" => "returns",
            "vendor-quote" => "vendorQuotas",
            "vendor-order" => "vendorOrders",
            _ => "vendorReturns",
        };
        let ids = payload_ids(
            &json!({"payload": relations["payload"]["orderEntities"][key]}),
            id_field,
        );
        assert_eq!(ids, ["m1", "m2"], "{key}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn import_needs_a_write_scope() {
    let app = spawn_app().await;
    let readers = app
        .create_key(&["orders", "returns", RELATIONS_SCOPE])
        .await;
    let lines = ndjson(&[order("i1", "c1", "2024-01-01T00:00:00")]);

    let body = expect_error(app.import(lines.clone(), &readers).await, 403).await;

    assert_eq!(body["error"]["code"], json!("forbidden"));
    let admin = app.admin_key().await;
    expect_error(app.get("/v1/order/i1", &admin).await, 404).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn import_refuses_lines_of_a_kind_the_key_cannot_write() {
    let app = spawn_app().await;
    let orders_writer = app.create_key(&["orders:write"]).await;
    let lines = ndjson(&[
        order("i1", "c1", "2024-01-01T00:00:00"),
        document("return", "r1", "c1", "2024-01-01T00:00:00"),
    ]);

    let response = app.import(lines, &orders_writer).await;
    assert_eq!(response.status(), 200);
    let report: serde_json::Value = response.json().await.unwrap();

    assert_eq!(report["payload"]["stored"], json!(1));
    assert_eq!(report["payload"]["rejected"], json!(1));
    assert_eq!(report["payload"]["errors"][0]["line"], json!(2));
    let admin = app.admin_key().await;
    expect_error(app.get("/v1/return/r1", &admin).await, 404).await;
}
