//! One corpus of hostile input — U+0000 and control characters, lone surrogates as `\ud800`
//! escapes, over-long ids, `/` and `%` in ids, huge numbers, deep nesting — through every
//! route, answered by two servers: one on SQLite and one on the store of
//! `ORDO_TEST_DATABASE_URL` (PostgreSQL on CI; a second SQLite file without it). Every answer
//! must be a 4xx or a 2xx, never a 5xx, and both servers must give the same status and body.

mod common;

use std::sync::Arc;

use common::*;
use ordo_store::NewKey;
use ordo_store::testing::{TestStore, fresh_postgres, fresh_sqlite, postgres_url};
use serde_json::{Value, json};

/// A server over one store, with a key of every scope and a customer key.
struct Side {
    base: String,
    admin: String,
    customer: String,
    client: reqwest::Client,
    _store: TestStore,
}

async fn side(store: TestStore) -> Side {
    let key = |customer: Option<&str>, scopes: Vec<String>| NewKey {
        tenant: TENANT.to_owned(),
        scopes,
        customer_id: customer.map(str::to_owned),
        name: None,
        rate_limit: None,
    };
    let mut scopes = all_scopes();
    scopes.extend(["statuses".to_owned(), "statuses:write".to_owned()]);
    let admin = store.store.create_key(key(None, scopes)).await.unwrap().1;
    let customer = store
        .store
        .create_key(key(
            Some("C1"),
            vec!["orders".to_owned(), "returns".to_owned()],
        ))
        .await
        .unwrap()
        .1;
    let base = spawn_app_with(Arc::clone(&store.store), test_config()).await;
    let side = Side {
        base,
        admin: admin.0,
        customer: customer.0,
        client: reqwest::Client::new(),
        _store: store,
    };
    // A little data, so that reads have something to find.
    for document in [
        order("o1", "C1", "2024-01-01T00:00:00"),
        order("o2", "C2", "2024-01-02T00:00:00"),
    ] {
        let response = side
            .client
            .post(format!("{}/v1/import", side.base))
            .bearer_auth(&side.admin)
            .header("content-type", "application/x-ndjson")
            .body(format!("{document}\n"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    }
    side
}

/// One request of the corpus: method, path, body (raw text, so that it can hold what JSON
/// encoders refuse to write) and whether it uses the customer key.
struct Probe {
    method: &'static str,
    path: String,
    body: Option<String>,
    customer: bool,
}

fn get(path: impl Into<String>) -> Probe {
    Probe {
        method: "GET",
        path: path.into(),
        body: None,
        customer: false,
    }
}

fn with_body(method: &'static str, path: impl Into<String>, body: impl Into<String>) -> Probe {
    Probe {
        method,
        path: path.into(),
        body: Some(body.into()),
        customer: false,
    }
}

/// Raw JSON values no well-behaved client sends.
fn hostile_values() -> Vec<String> {
    let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
    vec![
        r#""a\u0000b""#.to_owned(),
        r#""\u0000""#.to_owned(),
        r#""\ud800""#.to_owned(),
        r#""bell\u0007""#.to_owned(),
        r#""a/b""#.to_owned(),
        r#""%2F%00""#.to_owned(),
        format!("\"{}\"", "x".repeat(70)),
        "1e999999".to_owned(),
        "123456789012345678901234567890123456789".to_owned(),
        "-0.000000000000000000000000000000001".to_owned(),
        deep,
    ]
}

const HOSTILE_IDS: [&str; 11] = [
    "a%00b",
    "%00",
    "a%2Fb",
    "%25",
    "%25%30%30",
    "a%0Ab",
    "%7F",
    "%C3%A9",
    "%EF%BF%BF",
    "..",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
];

fn corpus() -> Vec<Probe> {
    let mut probes = Vec::new();
    for id in HOSTILE_IDS {
        for kind in [
            "quote",
            "order",
            "return",
            "vendor-quote",
            "vendor-order",
            "vendor-return",
        ] {
            probes.push(get(format!("/v1/{kind}/{id}")));
        }
        probes.push(get(format!("/v1/customer/{id}/relations")));
        probes.push(get(format!("/v1/status/{id}")));
        probes.push(get(format!("/v3/customers/{id}/orders")));
        probes.push(get(format!("/v3/customers/C1/orders/{id}")));
        probes.push(get(format!("/v2/customers/{id}/orders")));
        probes.push(with_body(
            "PUT",
            format!("/v1/order/{id}"),
            order("x", "C1", "2024-01-01T00:00:00").to_string(),
        ));
        probes.push(with_body(
            "PUT",
            format!("/v1/status/{id}"),
            r#"{"name":"New"}"#,
        ));
        for parameter in ["from", "to", "limit", "offset", "newest"] {
            probes.push(get(format!("/v1/order/?{parameter}={id}")));
        }
        for parameter in ["status", "limit", "offset", "start-date", "order-number"] {
            probes.push(get(format!("/v3/customers/C1/orders?{parameter}={id}")));
        }
        probes.push(get(format!("/v2/customers/C1/orders?limit={id}")));
    }
    let base = order("h1", "C1", "2024-01-01T00:00:00");
    for value in hostile_values() {
        for field in [
            "status",
            "statusId",
            "customerId",
            "parentQuoteId",
            "orderNumber",
            "total",
        ] {
            let mut document = base.clone();
            document.as_object_mut().unwrap().remove(field);
            let text = document.to_string();
            let body = format!("{}, \"{field}\": {value}}}", &text[..text.len() - 1]);
            probes.push(with_body("PUT", "/v1/order/h1", body.clone()));
            probes.push(with_body("POST", "/v1/import", format!("{body}\n{base}\n")));
        }
        probes.push(with_body(
            "PUT",
            "/v1/status/1",
            format!(r#"{{"name": {value}}}"#),
        ));
        probes.push(with_body(
            "PUT",
            "/v1/status/1",
            format!(r#"{{"name": "n", "statusId": {value}}}"#),
        ));
        let mut storefront = with_body(
            "POST",
            "/api/v10/storefront.orders",
            format!(r#"{{"limit": {value}, "fields": [{value}]}}"#),
        );
        storefront.customer = true;
        probes.push(storefront);
    }
    probes
}

async fn answer(side: &Side, probe: &Probe) -> (u16, Value) {
    let url = format!("{}{}", side.base, probe.path);
    let key = if probe.customer {
        &side.customer
    } else {
        &side.admin
    };
    let mut request = side
        .client
        .request(probe.method.parse().unwrap(), url)
        .bearer_auth(key)
        .header("x-api-key", key)
        .header("x-customer-key", key);
    if let Some(body) = &probe.body {
        let content_type = if probe.path == "/v1/import" {
            "application/x-ndjson"
        } else {
            "application/json"
        };
        request = request
            .header("content-type", content_type)
            .body(body.clone());
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let mut body: Value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    forget_request_ids(&mut body);
    (status, body)
}

/// Request ids differ between two servers by design.
fn forget_request_ids(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.remove("requestId");
            map.values_mut().for_each(forget_request_ids);
        }
        Value::Array(items) => {
            items.retain(|item| !item.as_str().is_some_and(|s| s.starts_with("requestId: ")));
            items.iter_mut().for_each(forget_request_ids);
        }
        _ => {}
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_input_gets_the_same_4xx_on_both_stores_and_never_a_5xx() {
    let second = match postgres_url() {
        Some(url) => fresh_postgres(&url).await.unwrap(),
        None => fresh_sqlite().await.unwrap(),
    };
    let one = side(fresh_sqlite().await.unwrap()).await;
    let two = side(second).await;

    let mut differences = Vec::new();
    let mut failures = Vec::new();
    for probe in corpus() {
        let a = answer(&one, &probe).await;
        let b = answer(&two, &probe).await;
        if a.0 >= 500 || b.0 >= 500 {
            failures.push(format!(
                "{} {} -> {} / {}",
                probe.method, probe.path, a.0, b.0
            ));
        }
        if a != b {
            differences.push(format!("{} {}: {a:?} vs {b:?}", probe.method, probe.path));
        }
    }
    assert!(failures.is_empty(), "5xx: {failures:#?}");
    assert!(
        differences.is_empty(),
        "the stores answer differently: {differences:#?}"
    );
    // What the corpus wrote is the same on both sides too.
    let listed = |side: &Side| {
        side.client
            .get(format!("{}/v1/order/?limit=1000", side.base))
            .bearer_auth(&side.admin)
            .send()
    };
    let a: Value = listed(&one).await.unwrap().json().await.unwrap();
    let b: Value = listed(&two).await.unwrap().json().await.unwrap();
    assert_eq!(a, b);
    assert!(json!(a["payload"].as_array().unwrap().len()) != json!(0));
}
