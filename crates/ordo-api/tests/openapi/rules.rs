//! What the document says of the status dictionary and the dialects besides statuses: the
//! credentials and scopes each operation names are the ones it takes, and the dialects' query
//! parameters and their defaults are the server's.

use std::collections::BTreeSet;

use reqwest::RequestBuilder;
use serde_json::{Value, json};

use crate::common::*;
use crate::dialects::{self, V2_CUSTOMER, V3_CUSTOMER, V3_ORDER, V10_CUSTOMER, V10_PATH};
use crate::openapi;
use crate::pattern::Pattern;

/// A request of each operation this file covers: its URL, its body, and the customer its
/// keys must be limited to (the storefront takes customer keys only).
fn example(method: &str, path: &str) -> Option<(String, Option<Value>, Option<&'static str>)> {
    let v3 = |p: &str| {
        p.replace("{customerId}", V3_CUSTOMER)
            .replace("{orderId}", V3_ORDER)
    };
    Some(match (method, path) {
        ("get", "/v1/status" | "/v1/status/") => (path.to_owned(), None, None),
        ("get", "/v1/status/{statusId}") => ("/v1/status/1".to_owned(), None, None),
        ("put", "/v1/status/{statusId}") => (
            "/v1/status/92".to_owned(),
            Some(json!({ "name": "Scoped" })),
            None,
        ),
        ("get", p) if p.starts_with("/v3/") => (v3(p), None, None),
        ("get", p) if p.starts_with("/v2/") => (p.replace("{customerId}", V2_CUSTOMER), None, None),
        ("post", V10_PATH) => (V10_PATH.to_owned(), Some(json!({})), Some(V10_CUSTOMER)),
        _ => return None,
    })
}

/// `request` with `secret` presented the way each security scheme of `requirement` says.
fn presented(
    spec: &Value,
    mut request: RequestBuilder,
    requirement: &Value,
    secret: &str,
) -> RequestBuilder {
    for name in requirement.as_object().unwrap().keys() {
        let scheme = &spec["components"]["securitySchemes"][name];
        request = match (scheme["type"].as_str(), scheme["in"].as_str()) {
            (Some("http"), _) => {
                assert_eq!(scheme["scheme"], "bearer", "{name}");
                request.bearer_auth(secret)
            }
            (Some("apiKey"), Some("header")) => {
                request.header(scheme["name"].as_str().unwrap(), secret)
            }
            other => panic!("{name}: a scheme this test cannot present: {other:?}"),
        };
    }
    request
}

#[tokio::test]
async fn each_operation_takes_the_credentials_and_scopes_it_documents() {
    let app = spawn_app().await;
    dialects::load_fixtures(&app).await;
    let (_, spec) = openapi(&app).await;
    let mut covered = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let Some((url, body, customer)) = example(method, path) else {
                continue;
            };
            let requirements = operation["security"].as_array().expect("a security list");
            for requirement in requirements {
                let scopes: BTreeSet<&str> = requirement
                    .as_object()
                    .unwrap()
                    .values()
                    .flat_map(|scopes| scopes.as_array().unwrap())
                    .map(|scope| scope.as_str().unwrap())
                    .collect();
                assert!(!scopes.is_empty(), "{method} {path} names no scope");
                let scopes: Vec<&str> = scopes.into_iter().collect();
                let send = |secret: String| {
                    let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes());
                    let mut request = app.client.request(method.unwrap(), app.url(&url));
                    if let Some(body) = &body {
                        request = request.json(body);
                    }
                    presented(&spec, request, requirement, &secret).send()
                };
                let with = app.create_key_for(TENANT, &scopes, customer).await;
                let response = send(with).await.unwrap();
                let status = response.status();
                let text = response.text().await.unwrap();
                assert!(
                    status.is_success(),
                    "{method} {path} {requirement}: {status} {text}"
                );
                let without = app.create_key_for(TENANT, &["quotas"], customer).await;
                let response = send(without).await.unwrap();
                assert_eq!(response.status(), 403, "{method} {path} {requirement}");
                covered += 1;
            }
        }
    }
    // Two requirements (bearer, apiKey) of each status route; one of history_v3, two of
    // customer_orders_v2 (bearer, accessToken), one of storefront_v10.
    assert_eq!(covered, 4 * 2 + 3 + 2 * 2 + 1);
}

/// The query parameters of an operation, by name, `$ref`s of their schemas resolved one level.
fn query_parameters(spec: &Value, path: &str) -> Vec<(String, Value)> {
    spec["paths"][path]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["in"] == "query")
        .map(|p| (p["name"].as_str().unwrap().to_owned(), p["schema"].clone()))
        .collect()
}

/// The `enum` of a parameter whose items are a component schema.
fn item_values(spec: &Value, schema: &Value) -> Vec<String> {
    let name = schema["items"]["$ref"].as_str().unwrap();
    let name = name.strip_prefix("#/components/schemas/").unwrap();
    spec["components"]["schemas"][name]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_history_v3_parameters_are_what_the_server_takes() {
    let app = spawn_app().await;
    let key = dialects::load_fixtures(&app).await;
    let (_, spec) = openapi(&app).await;
    let list = format!("/v3/customers/{V3_CUSTOMER}/orders");
    let query = query_parameters(&spec, "/v3/customers/{customerId}/orders");
    let names: Vec<&str> = query.iter().map(|(n, _)| n.as_str()).collect();
    let expected = [
        "order-type",
        "status",
        "reference-order-id",
        "offer-id",
        "start-date",
    ];
    let expected = [
        &expected[..],
        &["end-date", "reseller-id", "limit", "offset"],
    ]
    .concat();
    assert_eq!(names, expected);
    let schema = |name: &str| &query.iter().find(|(n, _)| n == name).unwrap().1;
    let get = |query: String| {
        app.client
            .get(app.url(&format!("{list}?{query}")))
            .bearer_auth(&key)
            .header("X-Api-Key", &key)
            .send()
    };

    let mut checks: Vec<(String, u16)> = Vec::new();
    for name in ["order-type", "status"] {
        for value in item_values(&spec, schema(name)) {
            checks.push((format!("{name}={value}"), 200));
        }
    }
    checks.extend([
        ("order-type=new".into(), 400),
        ("status=1001".into(), 400),
        ("reference-order-id=".into(), 400),
        ("offer-id=x&offer-id=".into(), 400),
        ("reseller-id=anything".into(), 200),
        ("limit=abc".into(), 400),
        ("offset=-1".into(), 400),
    ]);
    let pattern = Pattern::parse(schema("start-date")["pattern"].as_str().unwrap());
    for date in [
        "2019-05-02",
        "2019-05-02T22:49:54Z",
        "2019-05-02T22:49:54",
        "2019-5-2",
    ] {
        let status = if pattern.matches(date) { 200 } else { 400 };
        checks.push((format!("start-date={date}"), status));
        checks.push((format!("end-date={date}"), status));
    }
    for (query, status) in checks {
        let response = get(query.clone()).await.unwrap();
        assert_eq!(response.status(), status, "?{query}");
    }

    // `limit` clamps rather than refuses; the defaults are what a page without them says.
    let page = |query: &str| {
        let query = query.to_owned();
        async { get(query).await.unwrap().json::<Value>().await.unwrap() }
    };
    let plain = page("").await;
    assert_eq!(plain["limit"], schema("limit")["default"]);
    assert_eq!(plain["offset"], schema("offset")["default"]);
    assert_eq!(page("limit=0").await["limit"], 1);
    assert_eq!(page("limit=500").await["limit"], 100);
}

#[tokio::test]
async fn the_customer_orders_v2_parameters_are_what_the_server_takes() {
    let app = spawn_app().await;
    let key = dialects::load_fixtures(&app).await;
    let (_, spec) = openapi(&app).await;
    let list = format!("/v2/customers/{V2_CUSTOMER}/orders");
    let query = query_parameters(&spec, "/v2/customers/{customerId}/orders");
    let names: Vec<&str> = query.iter().map(|(n, _)| n.as_str()).collect();
    let expected = ["limit", "skip", "page", "includesStatus", "excludesStatus"];
    assert_eq!(names, [&expected[..], &["templateNames"]].concat());
    let schema = |name: &str| &query.iter().find(|(n, _)| n == name).unwrap().1;
    // A parameter with a default and an inlined schema is `{"oneOf": [<schema>], "default"}`.
    let bounds = |name: &str| match schema(name)["oneOf"].as_array() {
        Some(one) => &one[0],
        None => schema(name),
    };
    let bound = |name: &str, keyword: &str| bounds(name)[keyword].as_i64().unwrap();
    let get = |query: String| {
        app.client
            .get(app.url(&format!("{list}?{query}")))
            .bearer_auth(&key)
            .send()
    };

    let (min, max) = (bound("limit", "minimum"), bound("limit", "maximum"));
    let mut checks: Vec<(String, u16)> = vec![
        (format!("limit={min}"), 200),
        (format!("limit={max}"), 200),
        (format!("limit={}", min - 1), 400),
        (format!("limit={}", max + 1), 400),
        (format!("skip={}", bound("skip", "minimum")), 200),
        (format!("skip={}", bound("skip", "minimum") - 1), 400),
        (format!("page={}", bound("page", "minimum")), 200),
        (
            format!("skip={}", bounds("skip")["maximum"].as_u64().unwrap()),
            200,
        ),
        (format!("page={}", bounds("page")["maximum"]), 200),
        (format!("skip={}", u128::from(u64::MAX) + 1), 400),
        ("page=1.5".into(), 400),
        ("includesStatus=new".into(), 400),
        ("includesStatus=NEW,CONFIRMED".into(), 400),
        ("templateNames=".into(), 400),
        ("templateNames=vServer".into(), 200),
        ("colour=red".into(), 200),
    ];
    for name in ["includesStatus", "excludesStatus"] {
        for value in item_values(&spec, schema(name)) {
            checks.push((format!("{name}={value}"), 200));
            checks.push((format!("{name}[]={value}"), 200));
        }
    }
    for (query, status) in checks {
        let response = get(query.clone()).await.unwrap();
        assert_eq!(response.status(), status, "?{query}");
    }

    // The defaults are the server's: the headers of a window without parameters say them.
    let plain = get(String::new()).await.unwrap();
    let header = |name: &str| plain.headers()[name].to_str().unwrap().to_owned();
    assert_eq!(
        header("x-pagination-limit"),
        schema("limit")["default"].to_string()
    );
    assert_eq!(
        header("x-pagination-skip"),
        schema("skip")["default"].to_string()
    );
    let plain = plain.text().await.unwrap();
    let first = get(format!("page={}", schema("page")["default"]))
        .await
        .unwrap();
    assert_eq!(first.text().await.unwrap(), plain);
}
