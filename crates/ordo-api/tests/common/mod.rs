//! The test harness of the HTTP API: `spawn_app()` starts the real router on port 0 over a
//! fresh store, and `TestApp` talks to it with a real HTTP client. `spawn_app_with` is the one
//! server start of every test, for those that bring their own store or limits.
#![allow(dead_code)] // each test file uses a different subset

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use ordo_api::server::ServerLimits;
use ordo_api::{ApiConfig, AppState};
use ordo_store::{NewKey, Store};
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};

/// The tenant of [`TestApp::create_key`].
pub const TENANT: &str = "default";

/// The six kinds as DESIGN.md lists them: path segment, id field, read scope.
pub const KINDS: [(&str, &str, &str); 6] = [
    ("quote", "quoteId", "quotas"),
    ("order", "orderId", "orders"),
    ("return", "returnId", "returns"),
    ("vendor-quote", "quoteId", "vendor-quotas"),
    ("vendor-order", "orderId", "vendor-orders"),
    ("vendor-return", "returnId", "vendor-returns"),
];

/// The scope of `GET /v1/customer/{customerId}/relations`.
pub const RELATIONS_SCOPE: &str = "customers:relations";

/// Every read and write scope there is.
pub fn all_scopes() -> Vec<String> {
    let mut scopes: Vec<String> = KINDS
        .iter()
        .flat_map(|(_, _, scope)| [(*scope).to_owned(), format!("{scope}:write")])
        .collect();
    scopes.push(RELATIONS_SCOPE.to_owned());
    scopes.extend([
        "changes".to_owned(),
        "customers:erase".to_owned(),
        "webhooks".to_owned(),
    ]);
    scopes
}

/// The id field of a kind's path segment.
pub fn id_field(kind: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(path, _, _)| *path == kind)
        .map(|(_, field, _)| *field)
        .unwrap_or_else(|| panic!("unknown kind {kind:?}"))
}

/// The server on a free port, the client that talks to it, and the store behind it.
pub struct TestApp {
    pub base_url: String,
    pub client: reqwest::Client,
    pub store: Arc<dyn Store>,
    /// Deletes the SQLite files when the test ends.
    pub _fresh: ordo_store::testing::TestStore,
}

/// The limits of a test server: the values `ordo serve` has by default (crates/ordo/src/settings.rs
/// writes them; the library has none), repeated here because a test of this crate cannot read
/// the binary's settings. A test that needs other limits changes fields of this.
pub fn test_config() -> ApiConfig {
    ApiConfig {
        max_document_bytes: 1 << 20,
        max_import_bytes: 64 << 20,
        max_large_answers: 8,
        key_rate_limit: None,
        max_imports: 2,
        webhooks_allow_private: false,
        cors_origins: Vec::new(),
        metrics: ordo_api::MetricsAt::Main,
        build: ordo_api::BuildInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            commit: "test".to_owned(),
        },
    }
}

/// The deadlines of a test server: `ordo serve`'s defaults, and room for a few thousand
/// connections.
pub fn test_limits() -> ServerLimits {
    ServerLimits {
        header_timeout: Duration::from_secs(10),
        idle_timeout: Duration::from_secs(60),
        body_timeout: Duration::from_secs(60),
        send_timeout: Duration::from_secs(30),
        max_connections: 4096,
        shutdown_timeout: Duration::from_secs(1),
    }
}

/// Starts the whole router of `ordo-api` on 127.0.0.1, port 0, over `store` with `config`,
/// served as `ordo serve` serves it (the deadlines of [`test_limits`]); returns its base URL
/// (`http://127.0.0.1:PORT`). The server runs until the test ends.
pub async fn spawn_app_with(store: Arc<dyn Store>, config: ApiConfig) -> String {
    spawn_app_with_limits(store, config, test_limits()).await
}

/// [`spawn_app_with`] under other deadlines.
pub async fn spawn_app_with_limits(
    store: Arc<dyn Store>,
    config: ApiConfig,
    limits: ServerLimits,
) -> String {
    let app = ordo_api::router(AppState::new(store, config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    let address = listener.local_addr().expect("a bound address");
    tokio::spawn(ordo_api::server::serve(
        listener,
        app,
        limits,
        std::future::pending(),
    ));
    format!("http://{address}")
}

/// Starts the whole router of `ordo-api` on 127.0.0.1, port 0, over a fresh, migrated store.
pub async fn spawn_app() -> TestApp {
    // A temporary SQLite file, or a schema of its own on ORDO_TEST_DATABASE_URL's server.
    let fresh = ordo_store::testing::fresh_store()
        .await
        .expect("a fresh store");
    let store = Arc::clone(&fresh.store);
    TestApp {
        base_url: spawn_app_with(Arc::clone(&store), test_config()).await,
        client: reqwest::Client::new(),
        store,
        _fresh: fresh,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// A new key of tenant `default` with `scopes`; returns its secret.
    pub async fn create_key(&self, scopes: &[&str]) -> String {
        self.create_key_for(TENANT, scopes, None).await
    }

    /// A new key of `tenant`, limited to `customer` when given; returns its secret.
    pub async fn create_key_for(
        &self,
        tenant: &str,
        scopes: &[&str],
        customer: Option<&str>,
    ) -> String {
        let (_, secret) = self
            .store
            .create_key(NewKey {
                rate_limit: None,
                tenant: tenant.to_owned(),
                scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
                customer_id: customer.map(str::to_owned),
                name: Some("test".to_owned()),
            })
            .await
            .expect("a key is created");
        secret.0
    }

    /// A key of tenant `default` with every scope there is.
    pub async fn admin_key(&self) -> String {
        let scopes = all_scopes();
        let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
        self.create_key(&scopes).await
    }

    /// `PUT /v1/{kind}/{id}` of a JSON document.
    pub async fn put(
        &self,
        kind: &str,
        id: &str,
        document: &Value,
        key: &str,
    ) -> reqwest::Response {
        self.client
            .put(self.url(&format!("/v1/{kind}/{id}")))
            .bearer_auth(key)
            .json(document)
            .send()
            .await
            .expect("the server answers")
    }

    /// `POST /v1/import` of an NDJSON body.
    pub async fn import(&self, ndjson: impl Into<String>, key: &str) -> reqwest::Response {
        self.client
            .post(self.url("/v1/import"))
            .bearer_auth(key)
            .header(CONTENT_TYPE, "application/x-ndjson")
            .body(ndjson.into())
            .send()
            .await
            .expect("the server answers")
    }

    /// `GET path` with `Authorization: Bearer key`.
    pub async fn get(&self, path: &str, key: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(key)
            .send()
            .await
            .expect("the server answers")
    }

    /// `GET path`, which must answer 200; its JSON body.
    pub async fn get_json(&self, path: &str, key: &str) -> Value {
        let response = self.get(path, key).await;
        let status = response.status();
        let text = response.text().await.expect("a body");
        assert_eq!(status, 200, "GET {path}: {text}");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("GET {path}: not JSON ({e}): {text}"))
    }

    /// PUTs a document that names its kind and id (a fixture, an NDJSON line); panics unless
    /// it is stored.
    pub async fn put_document(&self, document: &Value, key: &str) -> reqwest::Response {
        let kind = document["kind"]
            .as_str()
            .expect("the document names its kind");
        let id = id_text(&document[id_field(kind)]);
        let response = self.put(kind, &id, document, key).await;
        assert!(
            response.status() == 200 || response.status() == 201,
            "PUT {kind} {id}: {}",
            response.status()
        );
        response
    }

    /// PUTs every reference fixture with a key of every scope; returns that key.
    pub async fn load_fixtures(&self) -> String {
        let key = self.admin_key().await;
        for (_, fixture) in fixtures() {
            self.put_document(&fixture, &key).await;
        }
        key
    }
}

/// An id the references write as a string or as a bare number, as text.
pub fn id_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Number(number) => number.to_string(),
        other => panic!("{other} is not an id"),
    }
}

/// The reference fixtures (`fixtures/reference/*.json`), by file name, in name order.
pub fn fixtures() -> Vec<(String, Value)> {
    fixture_files("reference")
}

/// The JSON files of `fixtures/<dir>/`, by file name, in name order; never none.
pub fn fixture_files(dir: &str) -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(dir);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no fixtures in {}", dir.display());
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("a readable fixture");
            let value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()));
            let name = path.file_name().expect("a file name").to_string_lossy();
            (name.into_owned(), value)
        })
        .collect()
}

/// The smallest valid document of `kind` (a path segment) with its kind named, as an NDJSON
/// line carries it.
pub fn document(kind: &str, id: &str, customer: &str, updated_at: &str) -> Value {
    let mut value = json!({
        "kind": kind,
        (id_field(kind)): id,
        "createdAt": "2024-01-01T00:00:00",
        "updatedAt": updated_at,
        "total": 10.5,
        "status": "New",
        "statusId": "1",
        "customerId": customer,
        "shippingMethod": "Ground",
        "shippingPrice": 0.0,
        "shippingTax": 0.0
    });
    if kind == "vendor-order" {
        value["shippingType"] = json!("Dropship");
    }
    value
}

/// A small valid order.
pub fn order(id: &str, customer: &str, updated_at: &str) -> Value {
    document("order", id, customer, updated_at)
}

/// Documents as NDJSON, one line each.
pub fn ndjson(documents: &[Value]) -> String {
    let mut out = String::new();
    for document in documents {
        out.push_str(&document.to_string());
        out.push('\n');
    }
    out
}

/// Asserts that `response` says its body is JSON (`application/json`, any parameters).
pub fn assert_json(response: &reqwest::Response) {
    let content_type = response.headers()[CONTENT_TYPE].to_str().unwrap();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
}

/// Checks that `response` is a JSON error of `status` shaped `{"error": {"code", "message",
/// "details"}}`, and returns the body.
pub async fn expect_error(response: reqwest::Response, status: u16) -> Value {
    let got = response.status();
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let text = response.text().await.expect("a body");
    assert_eq!(got, status, "body: {text}");
    assert!(
        content_type.starts_with("application/json"),
        "a {status} must be JSON, got content-type {content_type:?}: {text}"
    );
    let body: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    let outer = body.as_object().expect("an object");
    assert_eq!(outer.len(), 1, "only \"error\" at the top: {body}");
    let error = body["error"].as_object().expect("an error object");
    let code = error.get("code").and_then(Value::as_str).unwrap_or("");
    let message = error.get("message").and_then(Value::as_str).unwrap_or("");
    assert!(!code.is_empty(), "a code: {body}");
    assert!(!message.is_empty(), "a message: {body}");
    let details = error
        .get("details")
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("details is an array: {body}"));
    for detail in details {
        assert!(detail["field"].is_string(), "detail.field: {body}");
        assert!(detail["problem"].is_string(), "detail.problem: {body}");
    }
    let allowed = ["code", "message", "details", "requestId"];
    assert!(
        error.keys().all(|k| allowed.contains(&k.as_str())),
        "unexpected keys: {body}"
    );
    body
}

/// The `field` of every detail of an error body, sorted.
pub fn detail_fields(body: &Value) -> Vec<String> {
    let mut fields: Vec<String> = body["error"]["details"]
        .as_array()
        .expect("details")
        .iter()
        .map(|d| d["field"].as_str().expect("a field").to_owned())
        .collect();
    fields.sort();
    fields
}

/// The ids of a list answer's `payload`, in order.
pub fn payload_ids(body: &Value, id_field: &str) -> Vec<String> {
    body["payload"]
        .as_array()
        .unwrap_or_else(|| panic!("payload is an array: {body}"))
        .iter()
        .map(|doc| id_text(&doc[id_field]))
        .collect()
}
