//! `GET /openapi.json`: pinned with insta, and true. Its routes are the ones listed below with
//! exactly their methods; each operation answers exactly the statuses it lists (every one of
//! them is provoked here, and nothing else comes back), with the documented headers and a body
//! that matches the documented schema; the list parameters and their defaults are the server's;
//! every document the server writes matches its kind's schema, and the input schema takes what
//! PUT takes and refuses what it refuses.

#[path = "openapi/checker.rs"]
mod checker;
mod common;
#[path = "openapi/failing.rs"]
mod failing;
#[path = "openapi/run.rs"]
mod run;

use std::collections::BTreeSet;

use checker::Checker;
use common::*;
use failing::{Failure, Server};
use ordo_api::ApiConfig;
use ordo_model::demo::{DemoConfig, generate};
use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, IF_MATCH, IF_NONE_MATCH};
use run::{case, run};
use serde_json::{Value, json};

/// The routes the document covers, as OpenAPI writes them: those of `v1/mod.rs` and `ops.rs`
/// but the status dictionary, which is not documented yet. A new route goes here, in
/// `src/openapi.rs` and in the cases below.
const ROUTES: [(&str, &str); 9] = [
    ("get", "/v1/{kind}"),
    ("get", "/v1/{kind}/"),
    ("get", "/v1/{kind}/{id}"),
    ("put", "/v1/{kind}/{id}"),
    ("get", "/v1/customer/{customerId}/relations"),
    ("post", "/v1/import"),
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
}

#[tokio::test]
async fn every_covered_route_is_documented_with_exactly_its_methods() {
    let app = spawn_app().await;
    let key = app.load_fixtures().await;
    let (_, spec) = openapi(&app).await;
    let routes: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|&(m, p)| (m.to_owned(), p.to_owned()))
        .collect();
    assert_eq!(operations(&spec), routes);

    // A method the document does not list for a path is one the server refuses.
    for (path, item) in spec["paths"].as_object().unwrap() {
        for method in METHODS.iter().filter(|m| item.get(**m).is_none()) {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let response = app
                .client
                .request(method.clone(), app.url(&concrete(path)))
                .bearer_auth(&key)
                .send()
                .await
                .unwrap();
            expect_error(response, 405).await;
        }
    }
}

#[tokio::test]
async fn each_operation_answers_exactly_the_statuses_it_documents() {
    let app = spawn_app().await;
    let admin = app.load_fixtures().await;
    let nothing = app.create_key(&[]).await;
    let customer = app
        .create_key_for(TENANT, &["orders", "orders:write"], Some("459202"))
        .await;
    let (_, spec) = openapi(&app).await;
    let small = ApiConfig {
        max_document_bytes: 256,
        max_import_bytes: 256,
    };
    let small = Server::start(None, small).await;
    let unavailable = Server::start(Some(Failure::Unavailable), ApiConfig::default()).await;
    let broken = Server::start(Some(Failure::Broken), ApiConfig::default()).await;
    let vanishing = Server::start(Some(Failure::Vanishing), ApiConfig::default()).await;

    let c = &app.client;
    let get = |url: String, key: &str| c.get(url).bearer_auth(key);
    let put = |url: String, key: &str, body: &Value| c.put(url).bearer_auth(key).json(body);
    let post = |url: String, key: &str, body: &str| {
        c.post(url)
            .bearer_auth(key)
            .header(CONTENT_TYPE, "application/x-ndjson")
            .body(body.to_owned())
    };
    let etag = app.get("/v1/order/805685", &admin).await.headers()["etag"].clone();
    let doc = order("openapi-1", "c-openapi", "2024-02-01T00:00:00");
    let not_mine = order("openapi-2", "c-other", "2024-02-01T00:00:00");
    let line = ndjson(&[order("openapi-3", "c-openapi", "2024-02-01T00:00:00")]);
    let big = json!({ "customerNotes": "x".repeat(300) });

    let mut cases = Vec::new();
    for (path, list) in [("/v1/{kind}/", "/v1/order/"), ("/v1/{kind}", "/v1/order")] {
        let bogus = list.replace("order", "bogus");
        let bad = format!("{list}?limit=0");
        cases.extend([
            case("get", path, 200, get(app.url(list), &admin)),
            case("get", path, 400, get(app.url(&bad), &admin)),
            case("get", path, 401, c.get(app.url(list))),
            case("get", path, 403, get(app.url(list), &nothing)),
            case("get", path, 404, get(app.url(&bogus), &admin)),
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
        case("get", path, 200, get(app.url(one), &admin)),
        case(
            "get",
            path,
            304,
            get(app.url(one), &admin).header(IF_NONE_MATCH, etag),
        ),
        case("get", path, 401, c.get(app.url(one))),
        case("get", path, 403, get(app.url(one), &nothing)),
        case("get", path, 404, get(app.url("/v1/order/nope"), &admin)),
        case("get", path, 500, get(broken.url(one), &broken.key)),
        case(
            "get",
            path,
            503,
            get(unavailable.url(one), &unavailable.key),
        ),
    ]);

    let one = "/v1/order/openapi-1";
    let stale = put(app.url(one), &admin, &doc).header(IF_MATCH, "\"999999\"");
    // One Content-Type only: the server reads the first of several.
    let text = |method: Method, url: String, body: String| {
        c.request(method, url)
            .bearer_auth(&admin)
            .header(CONTENT_TYPE, "text/plain")
            .body(body)
    };
    cases.extend([
        case("put", path, 201, put(app.url(one), &admin, &doc)),
        case("put", path, 200, put(app.url(one), &admin, &doc)),
        case("put", path, 400, put(app.url(one), &admin, &json!({}))),
        case("put", path, 401, c.put(app.url(one)).json(&doc)),
        case("put", path, 403, put(app.url(one), &nothing, &doc)),
        case(
            "put",
            path,
            403,
            put(app.url("/v1/order/openapi-2"), &customer, &not_mine),
        ),
        case("put", path, 404, put(app.url("/v1/bogus/1"), &admin, &doc)),
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
        case("get", path, 200, get(app.url(relations), &admin)),
        case("get", path, 401, c.get(app.url(relations))),
        case("get", path, 403, get(app.url(relations), &nothing)),
        case(
            "get",
            path,
            404,
            get(app.url("/v1/customer/nobody/relations"), &admin),
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
        case("post", import, 200, post(app.url(import), &admin, &line)),
        case("post", import, 400, post(app.url(import), &admin, "")),
        case("post", import, 401, anonymous),
        case("post", import, 403, post(app.url(import), &nothing, &line)),
        case("post", import, 403, post(app.url(import), &customer, &line)),
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

    let mut seen = BTreeSet::new();
    for case in cases {
        let (method, path) = (case.method, case.path);
        let status = run(&spec, case).await;
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
    assert_eq!(names, ["from", "to", "newest", "limit", "offset"]);
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
        (
            "from=2022-03-13T00:00:00Z&to=2022-03-11T00:00:00Z".into(),
            400,
        ),
        ("limit=5&limit=6".into(), 400),
        ("colour=red".into(), 400),
    ];
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

/// The component schema name of a kind's path segment (`vendor-order` → `VendorOrder`).
fn schema_name(kind: &str) -> String {
    kind.split('-')
        .map(|w| w[..1].to_uppercase() + &w[1..])
        .collect()
}

/// The demo data set as NDJSON lines, each with its kind.
fn demo_lines(orders: usize) -> Vec<Value> {
    generate(&DemoConfig::new(11, orders))
        .map(|doc| {
            let mut value: Value = serde_json::from_str(&doc.to_stored_json()).unwrap();
            value["kind"] = json!(doc.kind.path());
            value
        })
        .collect()
}

#[tokio::test]
async fn every_document_the_server_writes_matches_its_kind_schema() {
    let app = spawn_app().await;
    let key = app.load_fixtures().await;
    let (_, spec) = openapi(&app).await;
    let checker = Checker(&spec);
    let lines = demo_lines(120);
    let response = app.import(ndjson(&lines), &key).await;
    assert_eq!(response.status(), 200);
    let report: Value = response.json().await.unwrap();
    assert_eq!(report["payload"]["rejected"], 0, "{report}");

    for (kind, id_field, _) in KINDS {
        let name = schema_name(kind);
        let page = app.get_json(&format!("/v1/{kind}/?limit=1000"), &key).await;
        let docs = page["payload"].as_array().unwrap();
        assert!(!docs.is_empty(), "no {kind} to check");
        for doc in docs {
            let id = id_text(&doc[id_field]);
            for schema in [&name, "Document"] {
                let errors = checker.errors(
                    &json!({ "$ref": format!("#/components/schemas/{schema}") }),
                    doc,
                );
                assert!(
                    errors.is_empty(),
                    "{kind} {id} against {schema}: {errors:#?}"
                );
            }
            // What the server writes, it takes back (ordo export | ordo import).
            let errors = checker.component(&format!("{name}Input"), doc);
            assert!(
                errors.is_empty(),
                "{kind} {id} against {name}Input: {errors:#?}"
            );
        }
        // A kind's schema is not another's: the id field alone tells orders from returns.
        if kind == "order" {
            assert!(!checker.component("Return", &docs[0]).is_empty());
        }
    }

    for customer in lines
        .iter()
        .map(|l| l["customerId"].as_str().unwrap())
        .take(20)
    {
        let relations = app
            .get_json(&format!("/v1/customer/{customer}/relations"), &key)
            .await;
        let errors = checker.component("RelationsPayload", &relations);
        assert!(errors.is_empty(), "relations of {customer}: {errors:#?}");
    }

    // The checker bites: a wrong type, an extra field, a datetime with a zone.
    let order = app.get_json("/v1/order/805685", &key).await["payload"].clone();
    assert!(checker.component("Order", &order).is_empty());
    for (field, value) in [
        ("total", json!("172.25")),
        ("colour", json!("red")),
        ("createdAt", json!("2021-01-05T00:42:54Z")),
        ("items", Value::Null),
    ] {
        let mut wrong = order.clone();
        wrong[field] = value;
        assert!(!checker.component("Order", &wrong).is_empty(), "{field}");
    }
}

#[tokio::test]
async fn the_input_schema_takes_what_put_takes_and_refuses_what_it_refuses() {
    let app = spawn_app().await;
    let key = app.admin_key().await;
    let (_, spec) = openapi(&app).await;
    let checker = Checker(&spec);
    let input = |kind: &str| format!("{}Input", schema_name(kind));

    let mut accepted: Vec<Value> = fixtures().into_iter().map(|(_, f)| f).collect();
    accepted.extend(demo_lines(40));
    accepted.push(document(
        "quote",
        "q-minimal",
        "c-openapi",
        "2024-01-01T00:00:00",
    ));
    for doc in &accepted {
        let kind = doc["kind"].as_str().unwrap();
        for schema in [input(kind), "DocumentInput".to_owned()] {
            let errors = checker.component(&schema, doc);
            assert!(
                errors.is_empty(),
                "{kind} against {schema}: {errors:#?}\n{doc}"
            );
        }
    }
    for doc in accepted.iter().filter(|d| d["kind"] == "quote").take(5) {
        app.put_document(doc, &key).await;
    }

    let base = fixtures()
        .into_iter()
        .find(|(name, _)| name == "001-order-805685.json")
        .unwrap()
        .1;
    let payment = json!({ "paymentId": "1", "amount": 1.0, "paymentDate": "2021-01-01T00:00:00" });
    let mut refused = Vec::new();
    let mut with = |doc: &Value, field: &str, value: Value| {
        let mut doc = doc.clone();
        match value {
            Value::Null => {
                doc.as_object_mut().unwrap().remove(field);
            }
            value => doc[field] = value,
        }
        refused.push((field.to_owned(), doc));
    };
    with(&base, "colour", json!("red"));
    with(&base, "total", json!("172.25"));
    with(&base, "createdAt", Value::Null);
    with(&base, "currency", json!("more than ten"));
    with(&base, "shippingType", json!("Dropship"));
    with(
        &base,
        "items",
        json!([{ "itemId": "1", "unitPrice": 1.0, "quantity": 1.5, "linePosition": 1 }]),
    );
    let mut gift = payment.clone();
    gift["paymentType"] = json!("Gift");
    with(&base, "payments", json!([gift]));
    let quote = document("quote", "q-1", "c-openapi", "2024-01-01T00:00:00");
    with(&quote, "payments", json!([payment]));
    let vendor_order = document("vendor-order", "vo-1", "c-openapi", "2024-01-01T00:00:00");
    with(&vendor_order, "shippingType", Value::Null);
    for (field, doc) in refused {
        let kind = doc["kind"].as_str().unwrap();
        let errors = checker.component(&input(kind), &doc);
        assert!(!errors.is_empty(), "the schema takes a bad {field}: {doc}");
        let id = id_text(&doc[id_field(kind)]);
        let response = app.put(kind, &id, &doc, &key).await;
        expect_error(response, 400).await;
    }
}
