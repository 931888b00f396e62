//! A key over its rate gets 429 on every surface, in that surface's own error envelope, with
//! `Retry-After` and the key's `RateLimit-Policy` and `RateLimit` fields.

mod common;

use common::{TENANT, TestApp, spawn_app};
use ordo_store::NewKey;
use reqwest::{RequestBuilder, Response};
use serde_json::Value;

/// A key of one request a second (a burst of one), limited to `customer` when given.
async fn one_a_second(app: &TestApp, customer: Option<&str>) -> (String, String) {
    let (key, secret) = app
        .store
        .create_key(NewKey {
            rate_limit: Some(1),
            tenant: TENANT.to_owned(),
            scopes: vec!["orders".to_owned()],
            customer_id: customer.map(str::to_owned),
            name: Some("slow".to_owned()),
        })
        .await
        .expect("a key is created");
    (key.id, secret.0)
}

/// Makes the same request three times at once; answers the last, which is over the rate.
async fn third_of_three(request: impl Fn() -> RequestBuilder) -> Response {
    let mut last = None;
    for _ in 0..3 {
        last = Some(request().send().await.expect("an answer"));
    }
    last.expect("three answers")
}

/// The status, the rate fields and the JSON body of a 429.
async fn refused(response: Response) -> Value {
    assert_eq!(response.status(), 429);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("a {name} header"))
            .to_owned()
    };
    let retry_after: u64 = header("retry-after").parse().expect("whole seconds");
    assert!(retry_after >= 1, "Retry-After {retry_after}");
    assert_eq!(header("ratelimit-policy"), "\"key\";q=1;w=1");
    assert!(
        header("ratelimit").starts_with("\"key\";r=0;t="),
        "{}",
        header("ratelimit")
    );
    response.json().await.expect("a JSON body")
}

/// v1's and the storefront's `{"code", "message", "details"}`: the code, the key's rate.
fn says_why(error: &Value, code: &str) {
    assert_eq!(error["code"], code);
    let message = error["message"].as_str().unwrap_or("");
    assert!(message.contains("1 requests a second"), "{error}");
    assert_eq!(error["details"], serde_json::json!([]));
}

#[tokio::test]
async fn v1_answers_429_in_its_envelope() {
    let app = spawn_app().await;
    let (_, secret) = one_a_second(&app, None).await;
    let response = third_of_three(|| app.client.get(app.url("/v1/order")).bearer_auth(&secret));
    let body = refused(response.await).await;
    says_why(&body["error"], "too_many_requests");
}

#[tokio::test]
async fn history_v3_answers_429_in_its_envelope() {
    let app = spawn_app().await;
    let (id, secret) = one_a_second(&app, None).await;
    let response = third_of_three(|| {
        app.client
            .get(app.url("/v3/customers/C1/orders"))
            .bearer_auth(&secret)
            .header("x-api-key", &id)
    });
    let body = refused(response.await).await;
    assert_eq!(body["code"], "429");
    assert_eq!(body["message"], "Too many requests");
    let details = body["additionalDetails"].as_array().expect("details");
    assert_eq!(details.len(), 1, "{body}");
    assert!(details[0].as_str().unwrap().contains("1 requests a second"));
}

#[tokio::test]
async fn customer_orders_v2_answers_429_in_its_envelope() {
    let app = spawn_app().await;
    let (_, secret) = one_a_second(&app, None).await;
    let response = third_of_three(|| {
        app.client
            .get(app.url("/v2/customers/C1/orders"))
            .header("x-access-token", &secret)
    });
    let body = refused(response.await).await;
    assert_eq!(body["type"], "TooManyRequests");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("1 requests a second")
    );
    assert!(body.get("validationErrors").is_none(), "{body}");
}

#[tokio::test]
async fn storefront_v10_answers_429_in_its_envelope() {
    let app = spawn_app().await;
    let (_, secret) = one_a_second(&app, Some("C1")).await;
    let response = third_of_three(|| {
        app.client
            .post(app.url("/api/v10/storefront.orders"))
            .header("x-customer-key", &secret)
            .json(&serde_json::json!({}))
    });
    let body = refused(response.await).await;
    assert_eq!(body["status"], "error");
    says_why(&body["error"], "TooManyRequests");
}
