//! Backend parity: a generated data set and its status dictionary, exported from SQLite as
//! `ordo export` writes them and imported into PostgreSQL with `import_ndjson`, answer every
//! route (v1, the dialects, operations) byte for byte as the SQLite original does. Without
//! `ORDO_TEST_DATABASE_URL` the copy goes into a second SQLite store, so the comparison (and
//! the export → import round trip) is never skipped.
//!
//! Bodies, statuses and the headers a client reads must be identical. ETags are revisions,
//! which each store allocates itself: only their presence is compared, and each server must
//! honour its own in `If-None-Match`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::sync::Arc;

use ordo_demo::{DemoConfig, STATUSES, generate};
use ordo_import::{ImportSink, LineError, import_ndjson};
use ordo_model::{Document, Expect, Ingested, Kind, Phase, StatusEntry, Timestamp, ingest};
use ordo_store::testing::{TestStore, fresh_postgres, fresh_sqlite, postgres_url};
use ordo_store::{NewKey, Scope, Store};
use reqwest::header::{CONTENT_TYPE, ETAG, HeaderMap, IF_NONE_MATCH};
use serde_json::json;

const TENANT: &str = "default";
const SEED: u64 = 11;
const ORDERS: usize = 300;
/// Headers a client acts on; `x-request-id` and `date` differ by nature.
const COMPARED_HEADERS: [&str; 4] = ["content-type", "www-authenticate", "retry-after", "allow"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exported_sqlite_data_imported_elsewhere_answers_every_route_identically() {
    let source = fresh_sqlite().await.expect("a fresh SQLite store");
    let documents = load_source(source.store.as_ref()).await;
    let statuses = dictionary();
    source
        .store
        .put_statuses(TENANT, statuses.clone())
        .await
        .expect("the status dictionary is stored");

    let ndjson = export(source.store.as_ref()).await;
    let lines = documents.len() + statuses.len();
    assert_eq!(
        ndjson.lines().count(),
        lines,
        "the export holds every status and every document once"
    );

    let target = match postgres_url() {
        Some(url) => fresh_postgres(&url)
            .await
            .expect("a fresh PostgreSQL schema"),
        None => fresh_sqlite().await.expect("a second SQLite store"),
    };
    let backend = if target.is_postgres() {
        "PostgreSQL"
    } else {
        "SQLite (no ORDO_TEST_DATABASE_URL)"
    };
    eprintln!("parity: {} documents, SQLite -> {backend}", documents.len());
    import(&target.store, &ndjson, lines).await;

    // Import then export is the identity, up to order: a parent stored before its child gets a
    // new revision when the child arrives, so the copy's revision order may differ.
    let round_trip = export(target.store.as_ref()).await;
    assert_same_lines("export of the imported copy", &ndjson, &round_trip);

    let customers: BTreeSet<&str> = documents.iter().map(|d| d.customer_id.as_str()).collect();
    let left = serve(source, &customers).await;
    let right = serve(target, &customers).await;
    let requests = requests(&documents, &statuses);
    let client = reqwest::Client::new();
    let mut mismatches = Vec::new();
    let mut revisions_differ = 0usize;
    for request in &requests {
        let (a, b) = tokio::join!(request.send(&client, &left), request.send(&client, &right));
        assert_eq!(
            a.status,
            request.expected,
            "{} on SQLite: {}",
            request.describe(),
            snippet(&a.body, 0)
        );
        if let Some(problem) = compare(&a, &b) {
            mismatches.push(format!("{}: {problem}", request.describe()));
        }
        if a.etag != b.etag {
            revisions_differ += 1;
        }
        // Each server must know its own ETag again.
        if let (Some(tag_a), Some(tag_b)) = (&a.etag, &b.etag) {
            let (a, b) = tokio::join!(
                request.revalidate(&client, &left, tag_a),
                request.revalidate(&client, &right, tag_b)
            );
            assert_eq!(
                (a.status, b.status),
                (304, 304),
                "{}: If-None-Match with the server's own ETag",
                request.describe()
            );
            if let Some(problem) = compare(&a, &b) {
                mismatches.push(format!("{} (If-None-Match): {problem}", request.describe()));
            }
        }
    }
    eprintln!(
        "parity: {} requests compared, {revisions_differ} with ETags that differ in value",
        requests.len()
    );
    assert!(
        mismatches.is_empty(),
        "{} of {} requests answer differently on SQLite and {backend}:\n{}",
        mismatches.len(),
        requests.len(),
        mismatches
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The demo data set, plus a handful of documents whose ids and customers sort differently
/// under a locale collation than by bytes, sharing `updatedAt` and `createdAt` so that only
/// the id orders them (in lists, relations and derived link lists).
async fn load_source(store: &dyn Store) -> Vec<Document> {
    let mut documents: Vec<Document> = generate(&DemoConfig::new(SEED, ORDERS)).collect();
    documents.extend(tie_breakers());
    for batch in documents.chunks(1000) {
        let batch = batch
            .iter()
            .map(|document| Ingested {
                document: document.clone(),
                updated_at_given: true,
            })
            .collect();
        store
            .put_many(TENANT, batch)
            .await
            .expect("the data set is stored");
    }
    let kinds: BTreeSet<Kind> = documents.iter().map(|d| d.kind).collect();
    assert_eq!(kinds.len(), Kind::ALL.len(), "the data set has every kind");
    documents
}

const TIE_AT: &str = "2023-06-01T12:00:00";
const TIE_IDS: [&str; 12] = [
    "a", "B", "b", "a-1", "a_1", "A1", "Z9", "é", "ü-1", "10", "9", "a b",
];
const TIE_CUSTOMERS: [&str; 3] = ["tie é", "Tie-B", "tie_a"];

fn tie_breakers() -> Vec<Document> {
    let mut values = Vec::new();
    let mut minimal = |kind: Kind, id: &str, customer: &str| {
        let mut value = json!({
            "kind": kind.path(),
            (kind.id_field()): id,
            "createdAt": TIE_AT,
            "updatedAt": TIE_AT,
            "total": 1.5,
            "status": "New",
            "statusId": "1",
            "customerId": customer,
            "shippingMethod": "Ground",
            "shippingPrice": 0.0,
            "shippingTax": 0.0
        });
        if kind == Kind::VendorOrder {
            value["shippingType"] = json!("Dropship");
        }
        values.push(value);
        values.len() - 1
    };
    for (i, id) in TIE_IDS.iter().enumerate() {
        let customer = TIE_CUSTOMERS[i % TIE_CUSTOMERS.len()];
        minimal(Kind::Order, &format!("tie {id}"), customer);
        minimal(Kind::Quote, &format!("tie {id}"), customer);
    }
    // Children of one parent created at the same instant: the derived lists order them by id.
    let mut children = Vec::new();
    for id in TIE_IDS {
        children.push(minimal(
            Kind::Return,
            &format!("tie {id}"),
            TIE_CUSTOMERS[0],
        ));
        children.push(minimal(
            Kind::VendorOrder,
            &format!("tie {id}"),
            TIE_CUSTOMERS[0],
        ));
    }
    for i in children {
        let field = if values[i]["kind"] == "return" {
            "parentOrderId"
        } else {
            "customerOrderId"
        };
        values[i][field] = json!("tie a");
    }
    values
        .iter()
        .map(|value| {
            let expect = Expect {
                kind: None,
                id: None,
                now: Timestamp::now(),
            };
            ingest(value, expect)
                .unwrap_or_else(|e| panic!("a valid tie document: {e:?}\n{value}"))
                .document
        })
        .collect()
}

/// The status dictionary `ordo serve --demo` stores: each status of the demo data with the
/// phase its name suggests.
fn dictionary() -> Vec<StatusEntry> {
    let mut entries: Vec<StatusEntry> = STATUSES
        .iter()
        .map(|&(_, id, name)| StatusEntry {
            status_id: id.to_owned(),
            name: name.to_owned(),
            phase: Phase::infer(name),
        })
        .collect();
    entries.sort_by(|a, b| a.status_id.cmp(&b.status_id));
    entries.dedup_by(|a, b| a.status_id == b.status_id);
    assert!(entries.len() > 3, "the demo has statuses");
    entries
}

/// Exactly what `ordo export` writes: the status dictionary, one `{"kind":"status",...}` line
/// per entry, then `{"kind":"<path>",<stored body>}` per document in revision order, paging
/// through the change feed.
async fn export(store: &dyn Store) -> String {
    let mut out = String::new();
    for entry in store
        .statuses(Scope::tenant(TENANT))
        .await
        .expect("the dictionary reads")
    {
        let line = json!({
            "kind": "status",
            "statusId": entry.status_id,
            "name": entry.name,
            "phase": entry.phase.as_str(),
        });
        writeln!(out, "{line}").expect("a String");
    }
    let mut after = 0;
    loop {
        let page = store
            .changes(TENANT, after, 1000)
            .await
            .expect("the change feed reads");
        let Some(last) = page.last() else { break };
        after = last.revision;
        for doc in &page {
            let fields = doc
                .body
                .trim()
                .strip_prefix('{')
                .expect("a stored body is an object");
            writeln!(out, "{{\"kind\":\"{}\",{fields}", doc.kind.path()).expect("a String");
        }
    }
    out
}

#[derive(Default)]
struct Rejections(Vec<LineError>);

impl ImportSink for Rejections {
    fn rejected(&mut self, error: LineError) {
        self.0.push(error);
    }
}

async fn import(store: &Arc<dyn Store>, ndjson: &str, expected: usize) {
    let mut rejections = Rejections::default();
    let report = import_ndjson(store, TENANT, ndjson.as_bytes(), &mut rejections)
        .await
        .expect("the import runs");
    assert!(
        rejections.0.is_empty(),
        "exported lines must import back: {:#?}",
        &rejections.0[..rejections.0.len().min(5)]
    );
    assert_eq!(
        (report.stored, report.rejected),
        (expected as u64, 0),
        "{report:?}"
    );
}

/// A server over one store, and a key with every read scope and the relations scope.
struct Server {
    base_url: String,
    key: String,
    /// A customer key (storefront) per customer, with the same scopes.
    customer_keys: BTreeMap<String, String>,
    _store: TestStore,
}

async fn serve(fresh: TestStore, customers: &BTreeSet<&str>) -> Server {
    let store: Arc<dyn Store> = Arc::clone(&fresh.store);
    let mut scopes: Vec<String> = Kind::ALL
        .iter()
        .map(|k| k.read_scope().to_owned())
        .collect();
    scopes.extend(["statuses".to_owned(), "customers:relations".to_owned()]);
    let create = |customer: Option<&str>| {
        let new = NewKey {
            rate_limit: None,
            tenant: TENANT.to_owned(),
            scopes: scopes.clone(),
            customer_id: customer.map(str::to_owned),
            name: Some("parity".to_owned()),
        };
        let store = Arc::clone(&store);
        async move { store.create_key(new).await.expect("a key is created").1.0 }
    };
    let key = create(None).await;
    let mut customer_keys = BTreeMap::new();
    for &customer in customers {
        customer_keys.insert(customer.to_owned(), create(Some(customer)).await);
    }
    Server {
        base_url: common::spawn_app_with(store, common::test_config()).await,
        key,
        customer_keys,
        _store: fresh,
    }
}

#[derive(Clone, Copy, Debug)]
enum Method {
    Get,
    Put,
    Post,
    Delete,
}

/// How a request presents its credentials, as each surface takes them.
#[derive(Clone, Debug)]
enum Auth {
    None,
    /// `Authorization: Bearer <key>` (v1, customer_orders_v2).
    Bearer,
    /// `x-access-token: <key>` (customer_orders_v2).
    AccessToken,
    /// `Authorization: Bearer <key>` and `X-Api-Key: <key>` (history_v3).
    BearerAndApiKey,
    /// `X-Customer-Key: <that customer's key>` (storefront_v10).
    Customer(String),
}

struct Request {
    method: Method,
    path: String,
    auth: Auth,
    body: Option<String>,
    /// The status the SQLite original must give, so that no comparison is of two like errors.
    expected: u16,
}

impl Request {
    fn get(path: impl Into<String>) -> Request {
        Request {
            method: Method::Get,
            path: path.into(),
            auth: Auth::Bearer,
            body: None,
            expected: 200,
        }
    }

    fn expecting(self, expected: u16) -> Request {
        Request { expected, ..self }
    }

    fn with(self, auth: Auth) -> Request {
        Request { auth, ..self }
    }

    /// `POST path` of a JSON body.
    fn post(path: impl Into<String>, body: impl Into<String>) -> Request {
        Request {
            method: Method::Post,
            body: Some(body.into()),
            ..Request::get(path)
        }
    }

    fn describe(&self) -> String {
        let body = self.body.as_deref().unwrap_or("");
        format!("{:?} {} {body} ({:?})", self.method, self.path, self.auth)
    }

    fn build(&self, client: &reqwest::Client, server: &Server) -> reqwest::RequestBuilder {
        let url = format!("{}{}", server.base_url, self.path);
        let mut builder = match self.method {
            Method::Get => client.get(url),
            Method::Put => client.put(url),
            Method::Post => client.post(url),
            Method::Delete => client.delete(url),
        };
        builder = match &self.auth {
            Auth::None => builder,
            Auth::Bearer => builder.bearer_auth(&server.key),
            Auth::AccessToken => builder.header("x-access-token", &server.key),
            Auth::BearerAndApiKey => builder
                .bearer_auth(&server.key)
                .header("x-api-key", &server.key),
            Auth::Customer(customer) => {
                builder.header("x-customer-key", &server.customer_keys[customer])
            }
        };
        if let Some(body) = &self.body {
            builder = builder
                .header(CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        builder
    }

    async fn send(&self, client: &reqwest::Client, server: &Server) -> Answer {
        Answer::of(self.build(client, server).send().await, self).await
    }

    async fn revalidate(&self, client: &reqwest::Client, server: &Server, tag: &str) -> Answer {
        let request = self.build(client, server).header(IF_NONE_MATCH, tag);
        Answer::of(request.send().await, self).await
    }
}

struct Answer {
    status: u16,
    headers: Vec<(&'static str, Option<String>)>,
    etag: Option<String>,
    body: Vec<u8>,
}

impl Answer {
    async fn of(response: reqwest::Result<reqwest::Response>, request: &Request) -> Answer {
        let response =
            response.unwrap_or_else(|e| panic!("{}: the server answers: {e}", request.describe()));
        let header = |headers: &HeaderMap, name: &str| {
            headers
                .get(name)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        };
        let status = response.status().as_u16();
        let headers = COMPARED_HEADERS
            .iter()
            .map(|&name| (name, header(response.headers(), name)))
            .collect();
        let etag = header(response.headers(), ETAG.as_str());
        let body = response
            .bytes()
            .await
            .unwrap_or_else(|e| panic!("{}: a body: {e}", request.describe()))
            .to_vec();
        Answer {
            status,
            headers,
            etag,
            body,
        }
    }
}

/// What differs between two answers to one request, if anything.
fn compare(a: &Answer, b: &Answer) -> Option<String> {
    if a.status != b.status {
        return Some(format!(
            "status {} vs {}: {} | {}",
            a.status,
            b.status,
            snippet(&a.body, 0),
            snippet(&b.body, 0)
        ));
    }
    if a.headers != b.headers {
        return Some(format!("headers {:?} vs {:?}", a.headers, b.headers));
    }
    if a.etag.is_some() != b.etag.is_some() {
        return Some(format!("ETag {:?} vs {:?}", a.etag, b.etag));
    }
    if a.body != b.body {
        let at = a
            .body
            .iter()
            .zip(&b.body)
            .position(|(x, y)| x != y)
            .unwrap_or(a.body.len().min(b.body.len()));
        return Some(format!(
            "bodies differ at byte {at} (lengths {} and {}):\n  SQLite: …{}…\n  other:  …{}…",
            a.body.len(),
            b.body.len(),
            snippet(&a.body, at),
            snippet(&b.body, at)
        ));
    }
    None
}

fn snippet(body: &[u8], at: usize) -> String {
    let start = at.saturating_sub(60);
    let end = (at + 100).min(body.len());
    String::from_utf8_lossy(&body[start.min(end)..end]).into_owned()
}

/// Both texts hold the same lines, in any order.
fn assert_same_lines(what: &str, expected: &str, actual: &str) {
    let mut expected: Vec<&str> = expected.lines().collect();
    let mut actual: Vec<&str> = actual.lines().collect();
    expected.sort_unstable();
    actual.sort_unstable();
    if expected == actual {
        return;
    }
    let at = expected
        .iter()
        .zip(&actual)
        .position(|(a, b)| a != b)
        .unwrap_or(expected.len().min(actual.len()));
    panic!(
        "{what} differs ({} and {} lines); first differing sorted lines:\n  expected: {}\n  actual:   {}",
        expected.len(),
        actual.len(),
        expected.get(at).unwrap_or(&"<none>"),
        actual.get(at).unwrap_or(&"<none>")
    );
}

/// Every request of the comparison: each route, with the parameters a client uses.
fn requests(documents: &[Document], statuses: &[StatusEntry]) -> Vec<Request> {
    let mut out = Vec::new();
    for kind in Kind::ALL {
        let path = kind.path();
        let mut updated: Vec<i64> = documents
            .iter()
            .filter(|d| d.kind == kind)
            .map(|d| d.updated_at.unix())
            .collect();
        updated.sort_unstable();
        updated.dedup();
        out.extend(list_requests(path, &updated).into_iter().map(Request::get));
    }
    for document in documents {
        out.push(Request::get(format!(
            "/v1/{}/{}",
            document.kind.path(),
            encode(&document.id)
        )));
    }
    let customers: BTreeSet<&str> = documents.iter().map(|d| d.customer_id.as_str()).collect();
    for customer in &customers {
        out.push(Request::get(format!(
            "/v1/customer/{}/relations",
            encode(customer)
        )));
    }
    out.extend(dialect_requests(documents, &customers));
    out.push(Request::get("/v1/status"));
    out.push(Request::get("/v1/status/"));
    for entry in statuses {
        out.push(Request::get(format!(
            "/v1/status/{}",
            encode(&entry.status_id)
        )));
    }
    out.extend(refusals(documents));
    out
}

/// The compatibility dialects, per customer, with the parameters their clients send, and the
/// OpenAPI document.
fn dialect_requests(documents: &[Document], customers: &BTreeSet<&str>) -> Vec<Request> {
    let mut out = Vec::new();
    for &customer in customers {
        let c = encode(customer);
        let orders: Vec<&str> = documents
            .iter()
            .filter(|d| d.kind == Kind::Order && d.customer_id == customer)
            .map(|d| d.id.as_str())
            .collect();
        let v3 = format!("/v3/customers/{c}/orders");
        for (query, status) in [
            ("", 200),
            ("/", 200),
            ("?limit=5&offset=2", 200),
            ("?limit=1000", 200),
            // Reference 002: an offset past the total count is a 400.
            ("?offset=100000", 400),
            ("?status=1000", 200),
            ("?status=1004&status=1026", 200),
            ("?order-type=NEW", 200),
            ("?start-date=2021-01-01&end-date=2022-12-31", 200),
            ("?start-date=2021-06-01T00:00:00Z", 200),
        ] {
            let request = Request::get(format!("{v3}{query}")).with(Auth::BearerAndApiKey);
            out.push(request.expecting(status));
        }
        for id in &orders {
            let path = format!("{v3}/{}", encode(id));
            out.push(Request::get(path).with(Auth::BearerAndApiKey));
        }
        let v2 = format!("/v2/customers/{c}/orders");
        for query in [
            "",
            "/",
            "?limit=3",
            "?limit=3&skip=2",
            "?page=2&limit=5",
            "?includesStatus=NEW&includesStatus=CONFIRMED",
            "?excludesStatus=EXECUTED",
            "?templateNames=x",
        ] {
            out.push(Request::get(format!("{v2}{query}")));
        }
        out.push(Request::get(v2).with(Auth::AccessToken));
        // The storefront's ids are integers: the demo's ids are digits.
        let ids: Vec<u64> = orders
            .iter()
            .filter_map(|id| id.parse().ok())
            .take(3)
            .collect();
        for body in [
            "{}".to_owned(),
            r#"{"limit":3}"#.to_owned(),
            r#"{"first":2,"limit":3}"#.to_owned(),
            r#"{"count":true}"#.to_owned(),
            json!({"conditions": {"ids": ids}}).to_string(),
        ] {
            out.push(
                Request::post("/api/v10/storefront.orders", body)
                    .with(Auth::Customer(customer.to_owned())),
            );
        }
    }
    out.push(Request::get("/openapi.json"));
    out
}

/// The list windows of one kind: defaults, both orders, pages, and `from`/`to` around real
/// `updatedAt` values (exact, a second off either side, in each accepted form).
fn list_requests(path: &str, updated: &[i64]) -> Vec<String> {
    let base = format!("/v1/{path}/");
    let mut queries: Vec<String> = vec![
        String::new(),
        "newest=false".into(),
        "newest=true".into(),
        "limit=1000".into(),
        "limit=1000&newest=false".into(),
        "limit=1".into(),
        "offset=100000".into(),
    ];
    for offset in [0, 7, 50] {
        queries.push(format!("limit=7&offset={offset}"));
        queries.push(format!("limit=7&offset={offset}&newest=false"));
    }
    let mut out: Vec<String> = queries
        .iter()
        .map(|q| {
            if q.is_empty() {
                base.clone()
            } else {
                format!("{base}?{q}")
            }
        })
        .collect();
    out.push(format!("/v1/{path}"));
    if updated.is_empty() {
        return out;
    }
    let n = updated.len();
    let picks: BTreeSet<i64> = [0, n / 10, n / 3, n / 2, 2 * n / 3, 9 * n / 10, n - 1]
        .into_iter()
        .map(|i| updated[i])
        .collect();
    let picks: Vec<i64> = picks.into_iter().collect();
    for (i, &from) in picks.iter().enumerate() {
        for text in forms(from) {
            out.push(format!("{base}?from={text}&limit=1000"));
            out.push(format!("{base}?to={text}&limit=1000&newest=false"));
            out.push(format!("{base}?from={text}&to={text}"));
        }
        for delta in [-1, 1] {
            let near = rfc3339(from + delta);
            out.push(format!("{base}?from={near}&to={near}"));
            out.push(format!("{base}?from={near}&limit=7&offset=3"));
        }
        for &to in &picks[i..] {
            let (from, to) = (rfc3339(from), rfc3339(to));
            out.push(format!("{base}?from={from}&to={to}&limit=1000"));
            out.push(format!(
                "{base}?from={from}&to={to}&newest=false&limit=5&offset=2"
            ));
        }
    }
    out
}

/// One instant in each form the query accepts: RFC 3339 with `Z`, with an offset (its `+`
/// encoded, and raw, as a careless client sends it), and bare.
fn forms(at: i64) -> Vec<String> {
    let z = rfc3339(at);
    let bare = z.trim_end_matches('Z').to_owned();
    let ahead = time::OffsetDateTime::from_unix_timestamp(at)
        .expect("an instant")
        .to_offset(time::UtcOffset::from_hms(2, 0, 0).expect("an offset"));
    let offset = ahead
        .format(&time::format_description::well_known::Rfc3339)
        .expect("a datetime");
    vec![z, bare, offset.replace('+', "%2B"), offset]
}

fn rfc3339(at: i64) -> String {
    Timestamp::from_unix(at).expect("an instant").rfc3339()
}

/// 404s, 400s, 401s, 403s and a 405 of every surface, each worded the same by both.
fn refusals(documents: &[Document]) -> Vec<Request> {
    let quote = documents
        .iter()
        .find(|d| d.kind == Kind::Quote)
        .expect("a quote");
    let order = documents
        .iter()
        .find(|d| d.kind == Kind::Order)
        .expect("an order");
    let mut out: Vec<Request> = [
        ("/v1/order/no-such-order".to_owned(), 404),
        ("/v1/vendor-return/0".to_owned(), 404),
        ("/v1/return/%C3%A9t%C3%A9".to_owned(), 404),
        // A quote's id under another kind.
        (format!("/v1/order/{}", encode(&quote.id)), 404),
        ("/v1/invoice/".to_owned(), 404),
        ("/v1/invoice/1".to_owned(), 404),
        ("/v1/customer/no-such-customer/relations".to_owned(), 404),
        ("/v1/customer/%20/relations".to_owned(), 404),
        ("/v2/nothing".to_owned(), 404),
        ("/".to_owned(), 404),
        ("/v1/order/?limit=0".to_owned(), 400),
        ("/v1/order/?limit=1001".to_owned(), 400),
        ("/v1/quote/?limit=abc".to_owned(), 400),
        ("/v1/return/?offset=-1".to_owned(), 400),
        ("/v1/vendor-order/?newest=maybe".to_owned(), 400),
        ("/v1/vendor-quote/?from=yesterday".to_owned(), 400),
        // An empty window, not a 400 (docs/wire-decisions.md); the same on both stores.
        (
            "/v1/order/?from=2023-01-02T00:00:00Z&to=2023-01-01T00:00:00Z".to_owned(),
            200,
        ),
        ("/v1/order/?limt=5".to_owned(), 400),
        ("/v1/order/?limit=5&limit=6".to_owned(), 400),
        (
            "/v1/vendor-return/?limit=0&offset=-1&newest=x&from=x&to=y".to_owned(),
            400,
        ),
        ("/health".to_owned(), 200),
        ("/ready".to_owned(), 200),
    ]
    .into_iter()
    .map(|(path, status)| Request::get(path).expecting(status))
    .collect();
    out.push(Request::get("/v1/order/").with(Auth::None).expecting(401));
    let customer = encode(&order.customer_id);
    for (request, status) in [
        // history_v3: a bearer without its X-Api-Key, bad parameters, an unknown order.
        (
            Request::get(format!("/v3/customers/{customer}/orders")),
            403,
        ),
        (
            Request::get(format!("/v3/customers/{customer}/orders?offset=-1"))
                .with(Auth::BearerAndApiKey),
            400,
        ),
        (
            Request::get(format!("/v3/customers/{customer}/orders/no-such-order"))
                .with(Auth::BearerAndApiKey),
            404,
        ),
        // customer_orders_v2: no token, a bad limit.
        (
            Request::get(format!("/v2/customers/{customer}/orders")).with(Auth::None),
            401,
        ),
        (
            Request::get(format!("/v2/customers/{customer}/orders?limit=abc")),
            400,
        ),
        // storefront_v10: no customer key, a bad limit.
        (
            Request::post("/api/v10/storefront.orders", "{}").with(Auth::None),
            401,
        ),
        (
            Request::post("/api/v10/storefront.orders", r#"{"limit":0}"#)
                .with(Auth::Customer(order.customer_id.clone())),
            400,
        ),
        (Request::get("/v1/status/no-such-status"), 404),
    ] {
        out.push(request.expecting(status));
    }
    // Write routes with a read-only key: 403 naming the missing scope.
    out.push(Request {
        method: Method::Put,
        body: Some("{}".into()),
        ..Request::get(format!("/v1/order/{}", encode(&order.id))).expecting(403)
    });
    out.push(Request {
        method: Method::Post,
        body: Some("{}".into()),
        ..Request::get("/v1/import").expecting(403)
    });
    // A read-only key may not delete: the same 403 on both stores, and nothing changes.
    out.push(Request {
        method: Method::Delete,
        ..Request::get(format!("/v1/order/{}", encode(&order.id))).expecting(403)
    });
    out
}

/// Percent-encodes a path segment: everything but RFC 3986's unreserved characters.
fn encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            write!(out, "%{byte:02X}").expect("a String");
        }
    }
    out
}

#[test]
fn encode_keeps_unreserved_and_escapes_the_rest() {
    assert_eq!(encode("a-1_b.c~"), "a-1_b.c~");
    assert_eq!(encode("tie é/ü"), "tie%20%C3%A9%2F%C3%BC");
}
