//! `/v1/webhooks` over HTTP: registration (and its SSRF refusals), the secret shown once,
//! changes, deletion, tenants kept apart. Deliveries: crates/ordo-events/tests/webhooks.rs.

mod common;

use std::sync::Arc;

use common::*;
use serde_json::{Value, json};

async fn post(app: &TestApp, key: &str, body: &Value) -> (u16, Value) {
    let response = app
        .client
        .post(app.url("/v1/webhooks"))
        .bearer_auth(key)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

fn url_problem(answer: &Value) -> String {
    let details = answer["error"]["details"].as_array().unwrap();
    assert_eq!(details.len(), 1, "{answer}");
    assert_eq!(details[0]["field"], "url", "{answer}");
    details[0]["problem"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn internal_and_plain_http_urls_are_refused_without_the_flag() {
    let app = spawn_app().await;
    let key = app.create_key(&["webhooks"]).await;
    for (url, why) in [
        ("https://127.0.0.1:8443/hook", "loopback"),
        ("https://[::1]/hook", "loopback"),
        ("https://169.254.169.254/latest/meta-data", "link-local"),
        ("https://10.0.0.8/hook", "private"),
        ("https://100.100.100.200/hook", "CGNAT"),
        ("https://[fd00:ec2::254]/hook", "unique local"),
        ("https://localhost/hook", "loopback"),
        ("http://93.184.216.34/hook", "https://"),
        ("not a url", "not a URL"),
    ] {
        let (status, answer) = post(&app, &key, &json!({ "url": url })).await;
        assert_eq!(status, 400, "{url}: {answer}");
        let problem = url_problem(&answer);
        assert!(problem.contains(why), "{url}: {problem}");
    }
    // Nothing was registered.
    let list: Value = app.get("/v1/webhooks", &key).await.json().await.unwrap();
    assert_eq!(list["payload"], json!([]));
}

#[tokio::test]
async fn a_webhook_is_registered_listed_changed_and_deleted() {
    let fresh = ordo_store::testing::fresh_store().await.unwrap();
    let store = Arc::clone(&fresh.store);
    let config = ordo_api::ApiConfig {
        webhooks_allow_private: true,
        ..test_config()
    };
    let app = TestApp {
        base_url: spawn_app_with(Arc::clone(&store), config).await,
        client: reqwest::Client::new(),
        store,
        _fresh: fresh,
    };
    let key = app.create_key(&["webhooks"]).await;
    let body = json!({"url": "http://127.0.0.1:9/hook", "kinds": ["order", "vendor-return"],
                      "description": "on premises"});
    let (status, created) = post(&app, &key, &body).await;
    assert_eq!(status, 201, "{created}");
    let hook = &created["payload"];
    let id = hook["id"].as_str().unwrap();
    assert!(hook["secret"].as_str().unwrap().starts_with("whsec_"));
    assert_eq!(hook["kinds"], json!(["order", "vendor-return"]));
    assert_eq!(hook["enabled"], true);
    assert_eq!(hook["deliveredThrough"], 0);

    // The secret is never shown again.
    let one: Value = app
        .get(&format!("/v1/webhooks/{id}"), &key)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(one["payload"]["secret"], Value::Null);
    assert_eq!(one["payload"]["url"], "http://127.0.0.1:9/hook");
    let list: Value = app.get("/v1/webhooks", &key).await.json().await.unwrap();
    assert_eq!(list["payload"].as_array().unwrap().len(), 1);

    let patch = |body: Value| {
        app.client
            .patch(app.url(&format!("/v1/webhooks/{id}")))
            .bearer_auth(&key)
            .json(&body)
            .send()
    };
    let changed: Value = patch(json!({"kinds": [], "description": null, "enabled": false}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(changed["payload"]["kinds"], json!([]));
    assert_eq!(changed["payload"]["description"], Value::Null);
    assert_eq!(changed["payload"]["enabled"], false);
    let refused = patch(json!({"kinds": ["bogus"], "secret": "x"}))
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    let refused: Value = refused.json().await.unwrap();
    assert_eq!(refused["error"]["details"].as_array().unwrap().len(), 2);

    let attempts: Value = app
        .get(&format!("/v1/webhooks/{id}/deliveries"), &key)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(attempts["payload"], json!([]));

    // Another tenant's key sees nothing of it.
    let other = app.create_key_for("other", &["webhooks"], None).await;
    assert_eq!(
        app.get(&format!("/v1/webhooks/{id}"), &other)
            .await
            .status(),
        404
    );
    let deleted = app
        .client
        .delete(app.url(&format!("/v1/webhooks/{id}")))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 404);

    let deleted = app
        .client
        .delete(app.url(&format!("/v1/webhooks/{id}")))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    assert_eq!(
        app.get(&format!("/v1/webhooks/{id}"), &key).await.status(),
        404
    );
}

#[tokio::test]
async fn webhooks_need_their_scope_and_a_tenant_key() {
    let app = spawn_app().await;
    let body = json!({"url": "https://93.184.216.34/hook"});
    let without = app.create_key(&["orders", "changes"]).await;
    assert_eq!(post(&app, &without, &body).await.0, 403);
    let customer = app.create_key_for(TENANT, &["webhooks"], Some("c1")).await;
    assert_eq!(post(&app, &customer, &body).await.0, 403);
    assert_eq!(app.get("/v1/webhooks", &customer).await.status(), 403);
}
