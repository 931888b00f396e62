//! The status dictionary and the three dialects against the document: their fixtures, and a
//! request for every status each of their operations lists, sent as their clients send them.

use reqwest::RequestBuilder;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};

use crate::Matrix;
use crate::common::*;
use crate::failing;
use crate::run::{Case, case};

/// The customer of `fixtures/history_v3/`, one of its orders, and another customer's.
pub const V3_CUSTOMER: &str = "9876543210";
pub const V3_ORDER: &str = "0123456789";
/// The customer of `fixtures/customer_orders_v2/`.
pub const V2_CUSTOMER: &str = "154219e9-bf4a-4f41-9c72-0449a98db62f";
/// The customer of `fixtures/storefront_v10/`.
pub const V10_CUSTOMER: &str = failing::CUSTOMER;

pub const V10_PATH: &str = "/api/v10/storefront.orders";

/// The canonical documents (and status lines) of every dialect's fixtures, as import lines.
pub fn fixture_lines() -> Vec<Value> {
    let mut lines = Vec::new();
    for dialect in ["history_v3", "customer_orders_v2", "storefront_v10"] {
        for (_, fixture) in fixture_files(dialect) {
            match fixture {
                Value::Array(items) => lines.extend(items),
                one => lines.push(one),
            }
        }
    }
    lines
}

/// Every scope there is, the status dictionary's included.
pub fn every_scope() -> Vec<String> {
    let mut scopes = all_scopes();
    scopes.extend(["statuses".to_owned(), "statuses:write".to_owned()]);
    scopes
}

/// Imports every dialect's fixtures into `app`; returns a key of [`every_scope`].
pub async fn load_fixtures(app: &TestApp) -> String {
    let scopes = every_scope();
    let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
    let key = app.create_key(&scopes).await;
    let response = app.import(ndjson(&fixture_lines()), &key).await;
    assert_eq!(response.status(), 200);
    let report: Value = response.json().await.unwrap();
    assert_eq!(report["payload"]["rejected"], 0, "{report}");
    key
}

/// A request for every status the status dictionary's operations document.
pub fn status_cases(m: &Matrix) -> Vec<Case> {
    let Matrix {
        app,
        admin,
        nothing,
        small,
        unavailable,
        broken,
        ..
    } = m;
    let c = &app.client;
    let get = |url: String, key: &str| c.get(url).bearer_auth(key);
    let put = |url: String, key: &str, body: &Value| c.put(url).bearer_auth(key).json(body);
    let mut cases = Vec::new();
    for (path, list) in [("/v1/status/", "/v1/status/"), ("/v1/status", "/v1/status")] {
        cases.extend([
            case("get", path, 200, get(app.url(list), admin)),
            case("get", path, 401, c.get(app.url(list))),
            case("get", path, 403, get(app.url(list), nothing)),
            case("get", path, 500, get(broken.url(list), &broken.key)),
            case(
                "get",
                path,
                503,
                get(unavailable.url(list), &unavailable.key),
            ),
        ]);
    }

    let (path, one) = ("/v1/status/{statusId}", "/v1/status/1");
    cases.extend([
        case("get", path, 200, get(app.url(one), admin)),
        case("get", path, 401, c.get(app.url(one))),
        case("get", path, 403, get(app.url(one), nothing)),
        case("get", path, 404, get(app.url("/v1/status/nope"), admin)),
        case("get", path, 500, get(broken.url(one), &broken.key)),
        case(
            "get",
            path,
            503,
            get(unavailable.url(one), &unavailable.key),
        ),
    ]);

    let one = "/v1/status/90";
    let entry = json!({ "name": "Openapi Orders", "phase": "Open" });
    let not_this_one = json!({ "statusId": "91", "name": "Openapi Orders" });
    let big = json!({ "name": "x".repeat(300) });
    let text = c
        .put(app.url(one))
        .bearer_auth(admin)
        .header(CONTENT_TYPE, "text/plain")
        .body(entry.to_string());
    cases.extend([
        case("put", path, 201, put(app.url(one), admin, &entry)),
        case("put", path, 200, put(app.url(one), admin, &entry)),
        case("put", path, 400, put(app.url(one), admin, &not_this_one)),
        case("put", path, 400, put(app.url(one), admin, &json!({}))),
        case("put", path, 401, c.put(app.url(one)).json(&entry)),
        case("put", path, 403, put(app.url(one), nothing, &entry)),
        case(
            "put",
            path,
            404,
            put(app.url("/v1/status/%FF"), admin, &entry),
        ),
        case("put", path, 413, put(small.url(one), &small.key, &big)),
        case("put", path, 415, text),
        case("put", path, 500, put(broken.url(one), &broken.key, &entry)),
        case(
            "put",
            path,
            503,
            put(unavailable.url(one), &unavailable.key, &entry),
        ),
    ]);
    cases
}

/// `GET url` as history_v3's clients send it: `X-Correlation-Id` always, the secret as
/// bearer and `X-Api-Key` naming the key when given.
fn v3(app: &TestApp, url: String, bearer: Option<&str>, named: Option<&str>) -> RequestBuilder {
    let mut request = app
        .client
        .get(url)
        .header("X-Correlation-Id", "openapi-correlation");
    if let Some(secret) = bearer {
        request = request.bearer_auth(secret);
    }
    if let Some(named) = named {
        request = request.header("X-Api-Key", named);
    }
    request
}

/// A request for every status history_v3's operations document.
pub async fn history_v3_cases(m: &Matrix) -> Vec<Case> {
    let Matrix {
        app,
        admin,
        unavailable,
        broken,
        ..
    } = m;
    let returns_only = app.create_key(&["returns"]).await;
    let key = |key: &str| (Some(key.to_owned()), Some(key.to_owned()));
    let send = |url: String, (bearer, named): (Option<String>, Option<String>)| {
        v3(app, url, bearer.as_deref(), named.as_deref())
    };
    let mut cases = Vec::new();
    let list = format!("/v3/customers/{V3_CUSTOMER}/orders");
    for (path, list) in [
        ("/v3/customers/{customerId}/orders", list.clone()),
        ("/v3/customers/{customerId}/orders/", format!("{list}/")),
    ] {
        cases.extend([
            case("get", path, 200, send(app.url(&list), key(admin))),
            case(
                "get",
                path,
                400,
                send(app.url(&format!("{list}?limit=ten")), key(admin)),
            ),
            case(
                "get",
                path,
                400,
                send(app.url(&format!("{list}?offset=100")), key(admin)),
            ),
            case(
                "get",
                path,
                401,
                send(app.url(&list), (None, Some(admin.clone()))),
            ),
            case(
                "get",
                path,
                403,
                send(app.url(&list), (Some(admin.clone()), None)),
            ),
            case("get", path, 403, send(app.url(&list), key(&returns_only))),
            case(
                "get",
                path,
                404,
                send(app.url("/v3/customers/nobody/orders"), key(admin)),
            ),
            case("get", path, 500, send(broken.url(&list), key(&broken.key))),
            case(
                "get",
                path,
                503,
                send(unavailable.url(&list), key(&unavailable.key)),
            ),
        ]);
    }

    let path = "/v3/customers/{customerId}/orders/{orderId}";
    let one = format!("/v3/customers/{V3_CUSTOMER}/orders/{V3_ORDER}");
    let not_theirs = format!("/v3/customers/{V3_CUSTOMER}/orders/805685");
    cases.extend([
        case("get", path, 200, send(app.url(&one), key(admin))),
        case("get", path, 401, send(app.url(&one), (None, None))),
        case("get", path, 403, send(app.url(&one), key(&returns_only))),
        case("get", path, 404, send(app.url(&not_theirs), key(admin))),
        case("get", path, 500, send(broken.url(&one), key(&broken.key))),
        case(
            "get",
            path,
            503,
            send(unavailable.url(&one), key(&unavailable.key)),
        ),
    ]);
    cases
}

/// A request for every status customer_orders_v2's operation documents, under both paths.
pub fn customer_orders_v2_cases(m: &Matrix) -> Vec<Case> {
    let Matrix {
        app,
        admin,
        nothing,
        customer,
        unavailable,
        broken,
        ..
    } = m;
    let c = &app.client;
    let get = |url: String, key: &str| c.get(url).bearer_auth(key);
    let list = format!("/v2/customers/{V2_CUSTOMER}/orders");
    let mut cases = Vec::new();
    for (path, list) in [
        ("/v2/customers/{customerId}/orders", list.clone()),
        ("/v2/customers/{customerId}/orders/", format!("{list}/")),
    ] {
        let token = c.get(app.url(&list)).header("x-access-token", admin);
        let filtered = format!("{list}?limit=1&page=2&includesStatus=EXECUTED&includesStatus=NEW");
        cases.extend([
            case("get", path, 200, get(app.url(&list), admin)),
            case("get", path, 200, token),
            case("get", path, 200, get(app.url(&filtered), admin)),
            case(
                "get",
                path,
                400,
                get(app.url(&format!("{list}?limit=abc")), admin),
            ),
            case(
                "get",
                path,
                400,
                get(app.url(&list.replace(V2_CUSTOMER, "%FF")), admin),
            ),
            case("get", path, 401, c.get(app.url(&list))),
            case("get", path, 403, get(app.url(&list), nothing)),
            case("get", path, 403, get(app.url(&list), customer)),
            case(
                "get",
                path,
                404,
                get(app.url("/v2/customers/nobody/orders"), admin),
            ),
            case("get", path, 500, get(broken.url(&list), &broken.key)),
            case(
                "get",
                path,
                503,
                get(unavailable.url(&list), &unavailable.key),
            ),
        ]);
    }
    cases
}

/// A request for every status the storefront's operation documents.
pub async fn storefront_v10_cases(m: &Matrix) -> Vec<Case> {
    let Matrix {
        app,
        admin,
        small,
        unavailable,
        broken,
        ..
    } = m;
    let customer = app
        .create_key_for(TENANT, &["orders"], Some(V10_CUSTOMER))
        .await;
    let without_scope = app
        .create_key_for(TENANT, &["returns"], Some(V10_CUSTOMER))
        .await;
    let c = &app.client;
    let post =
        |url: String, key: &str, body: &Value| c.post(url).header("X-Customer-Key", key).json(body);
    let projected = json!({ "fields": ["id", "items.sku", "billingAddress.city", "returns"] });
    let big = json!({ "fields": ["x".repeat(300)] });
    let text = c
        .post(app.url(V10_PATH))
        .header("X-Customer-Key", &customer)
        .header(CONTENT_TYPE, "text/plain")
        .body("{}");
    let path = V10_PATH;
    vec![
        case(
            "post",
            path,
            200,
            post(app.url(path), &customer, &json!({})),
        ),
        case(
            "post",
            path,
            200,
            post(app.url(path), &customer, &projected),
        ),
        case(
            "post",
            path,
            200,
            c.post(app.url(path)).header("X-Customer-Key", &customer),
        ),
        case(
            "post",
            path,
            400,
            post(app.url(path), &customer, &json!({ "limit": 0 })),
        ),
        case("post", path, 401, c.post(app.url(path)).json(&json!({}))),
        case("post", path, 403, post(app.url(path), admin, &json!({}))),
        case(
            "post",
            path,
            403,
            post(app.url(path), &without_scope, &json!({})),
        ),
        case(
            "post",
            path,
            413,
            post(small.url(path), &small.customer_key, &big),
        ),
        case("post", path, 415, text),
        case(
            "post",
            path,
            500,
            post(broken.url(path), &broken.customer_key, &json!({})),
        ),
        case(
            "post",
            path,
            503,
            post(unavailable.url(path), &unavailable.customer_key, &json!({})),
        ),
    ]
}
