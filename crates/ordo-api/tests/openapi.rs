//! `GET /openapi.json`: pinned with insta, and true. Its routes are the ones listed below with
//! exactly their methods, and every other method is refused in the body the path's errors
//! have; each operation answers exactly the statuses it lists (every one of them is provoked
//! here, and nothing else comes back), with the documented headers and a body that matches the
//! documented schema; the parameters, defaults, credentials and scopes it names are the
//! server's; every document the server writes matches its kind's schema, and the input schema
//! takes what PUT takes and refuses what it refuses.

#[path = "openapi/checker.rs"]
mod checker;
mod common;
#[path = "openapi/dialects.rs"]
mod dialects;
#[path = "openapi/documents.rs"]
mod documents;
#[path = "openapi/failing.rs"]
mod failing;
#[path = "openapi/pattern.rs"]
mod pattern;
#[path = "openapi/rules.rs"]
mod rules;
#[path = "openapi/run.rs"]
mod run;
#[path = "openapi/storefront.rs"]
mod storefront;
#[path = "openapi/v1.rs"]
mod v1;

use std::collections::BTreeSet;

use checker::Checker;
use common::*;
use failing::{Failure, Server};
use reqwest::Method;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};

/// The routes the document covers, as OpenAPI writes them: every route of `v1/mod.rs`,
/// `dialects/*/mod.rs` and `ops.rs`. A new route goes here, in `src/openapi.rs` and in the
/// cases of `openapi/v1.rs` or `openapi/dialects.rs`.
const ROUTES: [(&str, &str); 28] = [
    ("get", "/v1/{kind}"),
    ("get", "/v1/{kind}/"),
    ("get", "/v1/{kind}/{id}"),
    ("put", "/v1/{kind}/{id}"),
    ("delete", "/v1/{kind}/{id}"),
    ("delete", "/v1/customer/{customerId}"),
    ("get", "/v1/changes"),
    ("post", "/v1/webhooks"),
    ("get", "/v1/webhooks"),
    ("get", "/v1/webhooks/{id}"),
    ("patch", "/v1/webhooks/{id}"),
    ("delete", "/v1/webhooks/{id}"),
    ("get", "/v1/webhooks/{id}/deliveries"),
    ("get", "/v1/customer/{customerId}/relations"),
    ("post", "/v1/import"),
    ("get", "/v1/status"),
    ("get", "/v1/status/"),
    ("get", "/v1/status/{statusId}"),
    ("put", "/v1/status/{statusId}"),
    ("get", "/v3/customers/{customerId}/orders"),
    ("get", "/v3/customers/{customerId}/orders/"),
    ("get", "/v3/customers/{customerId}/orders/{orderId}"),
    ("get", "/v2/customers/{customerId}/orders"),
    ("get", "/v2/customers/{customerId}/orders/"),
    ("post", "/api/v10/storefront.orders"),
    ("get", "/health"),
    ("get", "/ready"),
    ("get", "/openapi.json"),
];

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

async fn openapi(app: &TestApp) -> (String, Value) {
    let response = app
        .client
        .get(app.url("/openapi.json"))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status(), 200);
    let content_type = response.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(content_type, "application/json");
    let text = response.text().await.expect("a body");
    let value = serde_json::from_str(&text).expect("JSON");
    (text, value)
}

#[tokio::test]
async fn the_document_is_openapi_3_1_and_pinned() {
    let app = spawn_app().await;
    let (text, spec) = openapi(&app).await;
    assert_eq!(spec["openapi"], "3.1.0");
    // Built once: the same bytes every time.
    assert_eq!(openapi(&app).await.0, text);
    // The served text itself, not a re-serialisation: see tests/golden.rs on insta and
    // serde_json's `arbitrary_precision`.
    insta::assert_snapshot!("openapi", text);
}

#[tokio::test]
async fn every_operation_has_an_example_request_and_answer() {
    let app = spawn_app().await;
    let (_, spec) = openapi(&app).await;
    for (method, path) in operations(&spec) {
        let operation = &spec["paths"][&path][&method];
        let responses = operation["responses"].as_object().unwrap();
        // The answer: each success status with a body shows one (a 204 has none to show).
        let answers: Vec<&Value> = responses
            .iter()
            .filter(|(status, _)| status.starts_with('2'))
            .map(|(_, response)| run::resolve(&spec, response))
            .filter_map(|response| response.get("content"))
            .flat_map(|content| content.as_object().unwrap().values())
            .collect();
        let body_less = responses
            .keys()
            .all(|status| !status.starts_with('2') || status == "204");
        assert!(
            body_less || answers.iter().any(|media| media.get("example").is_some()),
            "{method} {path}: no example answer"
        );
        // Each example answer is what the answer's schema says (they were real answers).
        for media in &answers {
            if let (Some(example), Some(schema)) = (media.get("example"), media.get("schema")) {
                let errors = checker::Checker(&spec).errors(schema, example);
                assert!(
                    errors.is_empty(),
                    "{method} {path}: example answer: {errors:#?}"
                );
            }
        }
        // The request: its JSON body, else its path parameters, hold examples.
        let body_examples = operation["requestBody"]["content"]
            .as_object()
            .map(|content| content["application/json"].get("example").is_some());
        let parameters: Vec<&Value> = operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|parameter| parameter["in"] == "path")
            .collect();
        match body_examples {
            Some(all) => assert!(all, "{method} {path}: a request body without an example"),
            None => assert!(
                parameters
                    .iter()
                    .all(|parameter| parameter.get("example").is_some()),
                "{method} {path}: a path parameter without an example"
            ),
        }
    }
}

/// `(method, path)` of every operation of the document.
fn operations(document: &Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("a path item").keys() {
            assert!(METHODS.contains(&method.as_str()), "{method} {path}");
            out.insert((method.clone(), path.clone()));
        }
    }
    out
}

/// A path of the document with its parameters filled in.
fn concrete(path: &str) -> String {
    path.replace("{kind}", "order")
        .replace("{id}", "805685")
        .replace("{customerId}", "459202")
        .replace("{statusId}", "1")
        .replace("{orderId}", "805685")
}

/// The schema of the errors a path documents (a dialect's own envelope, or v1's), which its
/// refused methods must answer with too.
fn error_schema(document: &Value, path: &str) -> Value {
    let item = document["paths"][path].as_object().unwrap();
    let schema = item
        .values()
        .flat_map(|operation| operation["responses"].as_object().unwrap())
        .filter(|(status, _)| status.as_str() >= "400")
        .map(|(_, response)| &run::resolve(document, response)["content"]["application/json"])
        .find_map(|media| media.get("schema"));
    schema
        .cloned()
        .unwrap_or_else(|| json!({ "$ref": "#/components/schemas/Error" }))
}

#[tokio::test]
async fn every_route_is_documented_with_exactly_its_methods() {
    let app = spawn_app().await;
    let key = app.load_fixtures().await;
    let (_, spec) = openapi(&app).await;
    let routes: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|&(m, p)| (m.to_owned(), p.to_owned()))
        .collect();
    assert_eq!(operations(&spec), routes);

    // A method the document does not list for a path is one the server refuses, in the
    // envelope of the path's other errors.
    let checker = Checker(&spec);
    for (path, item) in spec["paths"].as_object().unwrap() {
        let schema = error_schema(&spec, path);
        for method in METHODS.iter().filter(|m| item.get(**m).is_none()) {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let response = app
                .client
                .request(method.clone(), app.url(&concrete(path)))
                .bearer_auth(&key)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 405, "{method} {path}");
            let content_type = response.headers()[CONTENT_TYPE].clone();
            assert_eq!(content_type, "application/json", "{method} {path}");
            let body: Value = response.json().await.unwrap();
            let errors = checker.errors(&schema, &body);
            assert!(errors.is_empty(), "{method} {path}: {errors:#?}\n{body}");
        }
    }
}

/// The servers and keys of the status matrix: the app with every fixture (v1's and the
/// dialects'), and servers whose store fails on purpose or whose body limits are small.
pub struct Matrix {
    pub app: TestApp,
    /// Every scope, the status dictionary's included.
    pub admin: String,
    /// No scope at all.
    pub nothing: String,
    /// `orders` and `orders:write`, limited to customer 459202.
    pub customer: String,
    /// Every scope, and a rate of one request a second.
    pub throttled: String,
    pub small: Server,
    pub unavailable: Server,
    pub broken: Server,
    pub vanishing: Server,
}

/// A key of every scope whose rate is one request a second (a burst of one).
async fn throttled_key(app: &TestApp) -> String {
    let (_, secret) = app
        .store
        .create_key(ordo_store::NewKey {
            rate_limit: Some(1),
            tenant: TENANT.to_owned(),
            scopes: dialects::every_scope(),
            customer_id: None,
            name: Some("throttled".to_owned()),
        })
        .await
        .expect("a key is created");
    secret.0
}

/// A 429 of every operation that takes a key: the throttled key, in every surface's
/// credential header at once (the rate is counted before a surface looks further at the key),
/// with history_v3's `X-Correlation-Id`.
fn over_rate_cases(m: &Matrix, spec: &Value) -> Vec<run::Case> {
    let key = m.throttled.as_str();
    ROUTES
        .iter()
        .filter(|(method, path)| spec["paths"][path][method].get("security").is_some())
        .map(|&(method, path)| {
            let method_name = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let request = m
                .app
                .client
                .request(method_name, m.app.url(&concrete(path)))
                .bearer_auth(key)
                .header("X-Api-Key", key)
                .header("X-Customer-Key", key)
                .header("X-Correlation-Id", "openapi-over-rate")
                .header(CONTENT_TYPE, "application/json")
                .body("{}");
            run::case(method, path, 429, request)
        })
        .collect()
}

/// A 408 of every operation that reads a body, from a server whose body deadline is one
/// second: the head says 100 bytes, one comes. reqwest sends a body whole, so these go over a
/// bare connection; the answer is held to the document as `run::run` holds the others.
async fn late_bodies(spec: &Value) -> BTreeSet<(String, String, String)> {
    let limits = ordo_api::server::ServerLimits {
        body_timeout: std::time::Duration::from_secs(1),
        ..test_limits()
    };
    let server = Server::start_with_limits(None, test_config(), limits).await;
    let address = server.base_url.trim_start_matches("http://").to_owned();
    let mut seen = BTreeSet::new();
    let with_body = ROUTES
        .iter()
        .filter(|(method, path)| spec["paths"][path][method].get("requestBody").is_some());
    for &(method, path) in with_body {
        let head = format!(
            "{} {} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {}\r\nx-customer-key: {}\r\n\
             content-type: application/json\r\ncontent-length: 100\r\n\r\n{{",
            method.to_uppercase(),
            concrete(path),
            server.key,
            server.customer_key,
        );
        let answer = raw_exchange(&address, &head).await;
        let (status, headers, body) = parse_answer(&answer);
        assert_eq!(status, 408, "{method} {path}: {answer}");
        let listed = run::resolve(spec, &spec["paths"][path][method]["responses"]["408"]);
        for name in listed["headers"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
        {
            assert!(
                headers.contains(&name.to_ascii_lowercase()),
                "{method} {path} 408: no {name} header"
            );
        }
        let schema = &listed["content"]["application/json"]["schema"];
        let errors = Checker(spec).errors(schema, &serde_json::from_str(body).unwrap());
        assert!(
            errors.is_empty(),
            "{method} {path} 408: {errors:#?}\n{body}"
        );
        seen.insert((method.to_owned(), path.to_owned(), "408".to_owned()));
    }
    seen
}

/// Writes `head` on a new connection and reads until the server closes it.
async fn raw_exchange(address: &str, head: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(5),
        stream.read_to_end(&mut answer),
    )
    .await
    .expect("the server closes the connection")
    .unwrap();
    String::from_utf8(answer).expect("UTF-8")
}

/// The status, the header names (lower case) and the body of a whole HTTP/1.1 answer.
fn parse_answer(answer: &str) -> (u16, BTreeSet<String>, &str) {
    let (head, body) = answer.split_once("\r\n\r\n").expect("a head and a body");
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let names = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, _)| name.to_ascii_lowercase())
        .collect();
    (status, names, body)
}

#[tokio::test]
async fn each_operation_answers_exactly_the_statuses_it_documents() {
    let app = spawn_app().await;
    app.load_fixtures().await;
    let admin = dialects::load_fixtures(&app).await;
    let nothing = app.create_key(&[]).await;
    let customer = app
        .create_key_for(TENANT, &["orders", "orders:write"], Some("459202"))
        .await;
    let small = ordo_api::ApiConfig {
        max_document_bytes: 256,
        max_import_bytes: 256,
        ..test_config()
    };
    let throttled = throttled_key(&app).await;
    let m = Matrix {
        app,
        admin,
        nothing,
        customer,
        throttled,
        small: Server::start(None, small).await,
        unavailable: Server::start(Some(Failure::Unavailable), test_config()).await,
        broken: Server::start(Some(Failure::Broken), test_config()).await,
        vanishing: Server::start(Some(Failure::Vanishing), test_config()).await,
    };
    let (_, spec) = openapi(&m.app).await;

    let mut cases = v1::cases(&m).await;
    cases.extend(dialects::status_cases(&m));
    cases.extend(dialects::history_v3_cases(&m).await);
    cases.extend(dialects::customer_orders_v2_cases(&m));
    cases.extend(dialects::storefront_v10_cases(&m).await);
    cases.extend(over_rate_cases(&m, &spec));

    let mut seen = late_bodies(&spec).await;
    for case in cases {
        let (method, path) = (case.method, case.path);
        let status = run::run(&spec, case).await;
        seen.insert((method.to_owned(), path.to_owned(), status.to_string()));
    }

    // Every status the document lists is one the server was just seen to give.
    for (method, path) in operations(&spec) {
        let responses = spec["paths"][&path][&method]["responses"]
            .as_object()
            .unwrap();
        for status in responses.keys() {
            assert!(
                seen.contains(&(method.clone(), path.clone(), status.clone())),
                "{method} {path} documents {status}, which no request here provoked"
            );
        }
    }
}
