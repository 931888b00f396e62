//! v1 against the document: a request for every status each v1 operation lists, the list
//! parameters and their defaults, and the scopes the document names.

use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, IF_MATCH, IF_NONE_MATCH};
use serde_json::{Value, json};

use crate::Matrix;
use crate::common::*;
use crate::documents::demo_lines;
use crate::openapi;
use crate::run::{Case, case};

/// A request for every status each v1 operation documents.
pub async fn cases(m: &Matrix) -> Vec<Case> {
    let Matrix {
        app,
        admin,
        nothing,
        customer,
        small,
        unavailable,
        broken,
        vanishing,
        ..
    } = m;
    let (admin, nothing, customer) = (admin.as_str(), nothing.as_str(), customer.as_str());
    let c = &app.client;
    let get = |url: String, key: &str| c.get(url).bearer_auth(key);
    let put = |url: String, key: &str, body: &Value| c.put(url).bearer_auth(key).json(body);
    let post = |url: String, key: &str, body: &str| {
        c.post(url)
            .bearer_auth(key)
            .header(CONTENT_TYPE, "application/x-ndjson")
            .body(body.to_owned())
    };
    let etag = app.get("/v1/order/805685", admin).await.headers()["etag"].clone();
    let doc = order("openapi-1", "c-openapi", "2024-02-01T00:00:00");
    let not_mine = order("openapi-2", "c-other", "2024-02-01T00:00:00");
    let line = ndjson(&[order("openapi-3", "c-openapi", "2024-02-01T00:00:00")]);
    let big = json!({ "customerNotes": "x".repeat(300) });

    let mut cases = Vec::new();
    for (path, list) in [("/v1/{kind}/", "/v1/order/"), ("/v1/{kind}", "/v1/order")] {
        let bogus = list.replace("order", "bogus");
        let bad = format!("{list}?limit=0");
        cases.extend([
            case("get", path, 200, get(app.url(list), admin)),
            case("get", path, 400, get(app.url(&bad), admin)),
            case("get", path, 401, c.get(app.url(list))),
            case("get", path, 403, get(app.url(list), nothing)),
            case("get", path, 404, get(app.url(&bogus), admin)),
            case("get", path, 500, get(broken.url(list), &broken.key)),
            case(
                "get",
                path,
                503,
                get(unavailable.url(list), &unavailable.key),
            ),
        ]);
    }

    let (path, one) = ("/v1/{kind}/{id}", "/v1/order/805685");
    cases.extend([
        case("get", path, 200, get(app.url(one), admin)),
        case(
            "get",
            path,
            304,
            get(app.url(one), admin).header(IF_NONE_MATCH, etag),
        ),
        case("get", path, 401, c.get(app.url(one))),
        case("get", path, 403, get(app.url(one), nothing)),
        case("get", path, 404, get(app.url("/v1/order/nope"), admin)),
        case("get", path, 500, get(broken.url(one), &broken.key)),
        case(
            "get",
            path,
            503,
            get(unavailable.url(one), &unavailable.key),
        ),
    ]);

    let one = "/v1/order/openapi-1";
    let stale = put(app.url(one), admin, &doc).header(IF_MATCH, "\"999999\"");
    // One Content-Type only: the server reads the first of several.
    let text = |method: Method, url: String, body: String| {
        c.request(method, url)
            .bearer_auth(admin)
            .header(CONTENT_TYPE, "text/plain")
            .body(body)
    };
    cases.extend([
        case("put", path, 201, put(app.url(one), admin, &doc)),
        case("put", path, 200, put(app.url(one), admin, &doc)),
        case("put", path, 400, put(app.url(one), admin, &json!({}))),
        case("put", path, 401, c.put(app.url(one)).json(&doc)),
        case("put", path, 403, put(app.url(one), nothing, &doc)),
        case(
            "put",
            path,
            403,
            put(app.url("/v1/order/openapi-2"), customer, &not_mine),
        ),
        case("put", path, 404, put(app.url("/v1/bogus/1"), admin, &doc)),
        case(
            "put",
            path,
            409,
            put(vanishing.url(one), &vanishing.key, &doc),
        ),
        case("put", path, 412, stale),
        case("put", path, 413, put(small.url(one), &small.key, &big)),
        case(
            "put",
            path,
            415,
            text(Method::PUT, app.url(one), doc.to_string()),
        ),
        case("put", path, 500, put(broken.url(one), &broken.key, &doc)),
        case(
            "put",
            path,
            503,
            put(unavailable.url(one), &unavailable.key, &doc),
        ),
    ]);

    let path = "/v1/customer/{customerId}/relations";
    let relations = "/v1/customer/459202/relations";
    cases.extend([
        case("get", path, 200, get(app.url(relations), admin)),
        case("get", path, 401, c.get(app.url(relations))),
        case("get", path, 403, get(app.url(relations), nothing)),
        case(
            "get",
            path,
            404,
            get(app.url("/v1/customer/nobody/relations"), admin),
        ),
        case("get", path, 500, get(broken.url(relations), &broken.key)),
        case(
            "get",
            path,
            503,
            get(unavailable.url(relations), &unavailable.key),
        ),
    ]);

    let import = "/v1/import";
    let anonymous = post(app.url(import), "", &line);
    cases.extend([
        case("post", import, 200, post(app.url(import), admin, &line)),
        case("post", import, 400, post(app.url(import), admin, "")),
        case("post", import, 401, anonymous),
        case("post", import, 403, post(app.url(import), nothing, &line)),
        case("post", import, 403, post(app.url(import), customer, &line)),
        case(
            "post",
            import,
            413,
            post(small.url(import), &small.key, &"\n".repeat(300)),
        ),
        case(
            "post",
            import,
            415,
            text(Method::POST, app.url(import), line.clone()),
        ),
        case(
            "post",
            import,
            500,
            post(broken.url(import), &broken.key, &line),
        ),
        case(
            "post",
            import,
            503,
            post(unavailable.url(import), &unavailable.key, &line),
        ),
    ]);

    cases.extend([
        case("get", "/health", 200, c.get(app.url("/health"))),
        case("get", "/ready", 200, c.get(app.url("/ready"))),
        case("get", "/ready", 503, c.get(unavailable.url("/ready"))),
        case("get", "/ready", 503, c.get(broken.url("/ready"))),
        case("get", "/openapi.json", 200, c.get(app.url("/openapi.json"))),
    ]);

    let delete = |url: String, key: &str| c.delete(url).bearer_auth(key);
    let gone = "/v1/order/openapi-gone";
    let stale = "/v1/order/openapi-stale";
    for id in ["openapi-gone", "openapi-stale"] {
        let doc = order(id, "c-openapi", "2024-02-01T00:00:00");
        assert!(
            app.put("order", id, &doc, admin)
                .await
                .status()
                .is_success()
        );
    }
    let path = "/v1/{kind}/{id}";
    cases.extend([
        case("delete", path, 204, delete(app.url(gone), admin)),
        case("delete", path, 401, c.delete(app.url(stale))),
        case("delete", path, 403, delete(app.url(stale), nothing)),
        case(
            "delete",
            path,
            404,
            delete(app.url("/v1/order/nope"), admin),
        ),
        case(
            "delete",
            path,
            412,
            delete(app.url(stale), admin).header(IF_MATCH, "\"1\""),
        ),
        case("delete", path, 500, delete(broken.url(stale), &broken.key)),
        case(
            "delete",
            path,
            503,
            delete(unavailable.url(stale), &unavailable.key),
        ),
    ]);
    let (path, erase) = ("/v1/customer/{customerId}", "/v1/customer/c-erased");
    cases.extend([
        case("delete", path, 200, delete(app.url(erase), admin)),
        case("delete", path, 401, c.delete(app.url(erase))),
        case("delete", path, 403, delete(app.url(erase), nothing)),
        case(
            "delete",
            path,
            404,
            delete(app.url("/v1/customer/a%2Fb"), admin),
        ),
        case("delete", path, 500, delete(broken.url(erase), &broken.key)),
        case(
            "delete",
            path,
            503,
            delete(unavailable.url(erase), &unavailable.key),
        ),
    ]);
    let (path, feed) = ("/v1/changes", "/v1/changes");
    cases.extend([
        case("get", path, 200, get(app.url(feed), admin)),
        case("get", path, 400, get(app.url("/v1/changes?limit=0"), admin)),
        case("get", path, 401, c.get(app.url(feed))),
        case("get", path, 403, get(app.url(feed), nothing)),
        case("get", path, 500, get(broken.url(feed), &broken.key)),
        case(
            "get",
            path,
            503,
            get(unavailable.url(feed), &unavailable.key),
        ),
    ]);
    cases.extend(webhook_cases(m).await);
    cases
}

/// Every status the webhook routes document.
async fn webhook_cases(m: &Matrix) -> Vec<Case> {
    let Matrix {
        app,
        admin,
        nothing,
        customer,
        unavailable,
        broken,
        ..
    } = m;
    let (admin, nothing, customer) = (admin.as_str(), nothing.as_str(), customer.as_str());
    let c = &app.client;
    let get = |url: String, key: &str| c.get(url).bearer_auth(key);
    let send = |method: Method, url: String, key: &str, body: &Value| {
        c.request(method, url).bearer_auth(key).json(body)
    };
    let new_hook = || async {
        let (hook, _) = app
            .store
            .create_webhook(ordo_store::NewWebhook {
                tenant: TENANT.to_owned(),
                url: "https://93.184.216.34/hook".to_owned(),
                kinds: Vec::new(),
                description: None,
            })
            .await
            .expect("a webhook");
        hook.id
    };
    let (kept, deleted) = (new_hook().await, new_hook().await);
    let good = json!({"url": "https://93.184.216.34/hook", "kinds": ["order"]});
    let internal = json!({"url": "https://127.0.0.1/hook"});
    let big = json!({"url": "https://93.184.216.34/hook", "description": "x".repeat(20_000)});
    let text = |method: Method, url: String| {
        c.request(method, url)
            .bearer_auth(admin)
            .header(CONTENT_TYPE, "text/plain")
            .body("url")
    };
    let (path, hooks) = ("/v1/webhooks", "/v1/webhooks".to_owned());
    let mut cases = vec![
        case(
            "post",
            path,
            201,
            send(Method::POST, app.url(&hooks), admin, &good),
        ),
        case(
            "post",
            path,
            400,
            send(Method::POST, app.url(&hooks), admin, &internal),
        ),
        case("post", path, 401, c.post(app.url(&hooks)).json(&good)),
        case(
            "post",
            path,
            403,
            send(Method::POST, app.url(&hooks), customer, &good),
        ),
        case(
            "post",
            path,
            413,
            send(Method::POST, app.url(&hooks), admin, &big),
        ),
        case("post", path, 415, text(Method::POST, app.url(&hooks))),
        case(
            "post",
            path,
            500,
            send(Method::POST, broken.url(&hooks), &broken.key, &good),
        ),
        case(
            "post",
            path,
            503,
            send(
                Method::POST,
                unavailable.url(&hooks),
                &unavailable.key,
                &good,
            ),
        ),
        case("get", path, 200, get(app.url(&hooks), admin)),
        case("get", path, 401, c.get(app.url(&hooks))),
        case("get", path, 403, get(app.url(&hooks), nothing)),
        case("get", path, 500, get(broken.url(&hooks), &broken.key)),
        case(
            "get",
            path,
            503,
            get(unavailable.url(&hooks), &unavailable.key),
        ),
    ];
    let path = "/v1/webhooks/{id}";
    let one = format!("/v1/webhooks/{kept}");
    let gone = "/v1/webhooks/wh_none".to_owned();
    let enable = json!({"enabled": true, "description": "kept"});
    cases.extend([
        case("get", path, 200, get(app.url(&one), admin)),
        case("get", path, 401, c.get(app.url(&one))),
        case("get", path, 403, get(app.url(&one), nothing)),
        case("get", path, 404, get(app.url(&gone), admin)),
        case("get", path, 500, get(broken.url(&one), &broken.key)),
        case(
            "get",
            path,
            503,
            get(unavailable.url(&one), &unavailable.key),
        ),
        case(
            "patch",
            path,
            200,
            send(Method::PATCH, app.url(&one), admin, &enable),
        ),
        case(
            "patch",
            path,
            400,
            send(Method::PATCH, app.url(&one), admin, &internal),
        ),
        case("patch", path, 401, c.patch(app.url(&one)).json(&enable)),
        case(
            "patch",
            path,
            403,
            send(Method::PATCH, app.url(&one), nothing, &enable),
        ),
        case(
            "patch",
            path,
            404,
            send(Method::PATCH, app.url(&gone), admin, &enable),
        ),
        case(
            "patch",
            path,
            413,
            send(Method::PATCH, app.url(&one), admin, &big),
        ),
        case("patch", path, 415, text(Method::PATCH, app.url(&one))),
        case(
            "patch",
            path,
            500,
            send(Method::PATCH, broken.url(&one), &broken.key, &enable),
        ),
        case(
            "patch",
            path,
            503,
            send(
                Method::PATCH,
                unavailable.url(&one),
                &unavailable.key,
                &enable,
            ),
        ),
        case(
            "delete",
            path,
            204,
            c.delete(app.url(&format!("/v1/webhooks/{deleted}")))
                .bearer_auth(admin),
        ),
        case("delete", path, 401, c.delete(app.url(&one))),
        case(
            "delete",
            path,
            403,
            c.delete(app.url(&one)).bearer_auth(nothing),
        ),
        case(
            "delete",
            path,
            404,
            c.delete(app.url(&gone)).bearer_auth(admin),
        ),
        case(
            "delete",
            path,
            500,
            c.delete(broken.url(&one)).bearer_auth(&broken.key),
        ),
        case(
            "delete",
            path,
            503,
            c.delete(unavailable.url(&one))
                .bearer_auth(&unavailable.key),
        ),
    ]);
    let path = "/v1/webhooks/{id}/deliveries";
    let attempts = format!("/v1/webhooks/{kept}/deliveries");
    let none = "/v1/webhooks/wh_none/deliveries".to_owned();
    cases.extend([
        case("get", path, 200, get(app.url(&attempts), admin)),
        case("get", path, 401, c.get(app.url(&attempts))),
        case("get", path, 403, get(app.url(&attempts), nothing)),
        case("get", path, 404, get(app.url(&none), admin)),
        case("get", path, 500, get(broken.url(&attempts), &broken.key)),
        case(
            "get",
            path,
            503,
            get(unavailable.url(&attempts), &unavailable.key),
        ),
    ]);
    cases
}

#[tokio::test]
async fn the_list_parameters_are_what_the_server_takes() {
    let app = spawn_app().await;
    let key = app.admin_key().await;
    let lines = demo_lines(130);
    assert_eq!(app.import(ndjson(&lines), &key).await.status(), 200);
    let (_, spec) = openapi(&app).await;
    let parameters = spec["paths"]["/v1/{kind}/"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let query: Vec<&Value> = parameters.iter().filter(|p| p["in"] == "query").collect();
    let names: Vec<&str> = query.iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "from",
            "to",
            "newest",
            "limit",
            "offset",
            "productId",
            "mpn",
            "orderNumber",
            "customerId"
        ]
    );
    let schema = |name: &str| &query.iter().find(|p| p["name"] == name).unwrap()["schema"];
    let bound = |name: &str, keyword: &str| schema(name)[keyword].as_i64().unwrap();
    let (min, max) = (bound("limit", "minimum"), bound("limit", "maximum"));

    let checks = [
        (format!("limit={min}"), 200),
        (format!("limit={max}"), 200),
        (format!("limit={}", min - 1), 400),
        (format!("limit={}", max + 1), 400),
        ("limit=abc".into(), 400),
        (format!("offset={}", bound("offset", "minimum")), 200),
        (format!("offset={}", bound("offset", "minimum") - 1), 400),
        ("newest=true".into(), 200),
        ("newest=FALSE".into(), 200),
        ("newest=maybe".into(), 400),
        ("from=2022-03-11T22:15:59Z".into(), 200),
        ("to=2022-03-11T22:15:59%2B01:00".into(), 200),
        ("from=2022-03-11T22:15:59".into(), 200),
        ("from=yesterday".into(), 400),
        // Each valid alone, and the schema cannot relate them: an empty window, not a 400.
        (
            "from=2022-03-13T00:00:00Z&to=2022-03-11T00:00:00Z".into(),
            200,
        ),
        ("limit=5&limit=6".into(), 400),
        ("colour=red".into(), 400),
    ];
    // The filters' values: at most the documented length, not empty; the filters of
    // products, mpns and order numbers repeat, the customer's does not.
    let value = |name: &str| {
        let schema = schema(name);
        if schema["type"] == "array" {
            schema["items"].clone()
        } else {
            schema.clone()
        }
    };
    let mut checks = checks.to_vec();
    for name in ["productId", "mpn", "orderNumber", "customerId"] {
        let longest = value(name)["maxLength"].as_u64().unwrap() as usize;
        assert_eq!(value(name)["minLength"], 1, "{name}");
        let repeats = schema(name)["type"] == "array";
        checks.extend([
            (format!("{name}={}", "é".repeat(longest)), 200),
            (format!("{name}={}", "x".repeat(longest + 1)), 400),
            (format!("{name}="), 400),
            (
                format!("{name}=a&{name}=b"),
                if repeats { 200 } else { 400 },
            ),
        ]);
    }
    for (query, status) in checks {
        let response = app.get(&format!("/v1/order/?{query}"), &key).await;
        assert_eq!(response.status(), status, "?{query}");
    }

    // The documented defaults are the server's: a page without parameters is the page with
    // each default spelled out.
    let default = |name: &str| schema(name)["default"].to_string();
    let plain = app.get_json("/v1/order/", &key).await;
    let spelled = format!(
        "/v1/order/?newest={}&limit={}&offset={}",
        default("newest"),
        default("limit"),
        default("offset")
    );
    assert_eq!(plain, app.get_json(&spelled, &key).await);
    let page = plain["payload"].as_array().unwrap().len();
    assert_eq!(
        page.to_string(),
        default("limit"),
        "130 orders, one default page"
    );
}

/// The `(kind, scope)` rows of the scope table in an operation's description.
fn scope_rows(spec: &Value, method: &str, path: &str) -> Vec<(String, String)> {
    let description = spec["paths"][path][method]["description"].as_str().unwrap();
    description
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line
                .split('|')
                .map(|c| c.trim().trim_matches('`'))
                .collect();
            match cells.as_slice() {
                ["", kind, scope, ""] if *kind != "kind" && !kind.starts_with("--") => {
                    Some(((*kind).to_owned(), (*scope).to_owned()))
                }
                _ => None,
            }
        })
        .collect()
}

#[tokio::test]
async fn the_documented_scopes_are_the_ones_each_route_asks_for() {
    let app = spawn_app().await;
    let (_, spec) = openapi(&app).await;
    let reads = scope_rows(&spec, "get", "/v1/{kind}/");
    assert_eq!(reads, scope_rows(&spec, "get", "/v1/{kind}/{id}"));
    assert_eq!(reads.len(), KINDS.len());
    let writes = scope_rows(&spec, "put", "/v1/{kind}/{id}");
    for ((kind, read), (same, write)) in reads.iter().zip(&writes) {
        assert_eq!(kind, same);
        let reader = app.create_key(&[read.as_str()]).await;
        let writer = app.create_key(&[write.as_str()]).await;
        let doc = document(kind, "scoped-1", "c-scopes", "2024-01-01T00:00:00");
        assert_eq!(app.put(kind, "scoped-1", &doc, &reader).await.status(), 403);
        assert_eq!(app.put(kind, "scoped-1", &doc, &writer).await.status(), 201);
        assert_eq!(
            app.get(&format!("/v1/{kind}/"), &writer).await.status(),
            403
        );
        assert_eq!(
            app.get(&format!("/v1/{kind}/"), &reader).await.status(),
            200
        );
        let one = format!("/v1/{kind}/scoped-1");
        assert_eq!(app.get(&one, &reader).await.status(), 200);
    }
    let relations = &spec["paths"]["/v1/customer/{customerId}/relations"]["get"]["security"];
    for requirement in relations.as_array().unwrap() {
        let (_, scopes) = requirement.as_object().unwrap().iter().next().unwrap();
        let scopes: Vec<&str> = scopes
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        let key = app.create_key(&scopes).await;
        let response = app.get("/v1/customer/c-scopes/relations", &key).await;
        assert_eq!(response.status(), 200);
    }
}
