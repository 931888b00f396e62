//! history_v3 (reference 002) over the real server: the reference's examples rendered from
//! `fixtures/history_v3/`, every documented error, and filters and paging against an oracle.

/// Pins a JSON answer in tests/snapshots, pretty-printed (see golden.rs: not
/// assert_json_snapshot!, which mangles numbers under serde_json's arbitrary_precision).
macro_rules! assert_wire_snapshot {
    ($name:expr, $value:expr) => {{
        let wire = serde_json::to_string_pretty(&$value).expect("JSON prints");
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots");
        insta::with_settings!({ snapshot_path => dir }, {
            insta::assert_snapshot!($name, wire);
        });
    }};
}

mod common;
#[path = "history_v3/defaults.rs"]
mod defaults;
#[path = "history_v3/errors.rs"]
mod errors;
#[path = "history_v3/oracle.rs"]
mod oracle;
#[path = "history_v3/paging.rs"]
mod paging;

use common::*;
use reqwest::{RequestBuilder, Response};
use serde_json::{Value, json};

const CUSTOMER: &str = "9876543210";

/// A server with the fixtures loaded, an admin key and a v3 key (scope `orders`).
struct V3 {
    app: TestApp,
    admin: String,
    key: String,
}

async fn with_fixtures() -> V3 {
    let app = spawn_app().await;
    let mut scopes = all_scopes();
    scopes.push("statuses:write".into());
    let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
    let admin = app.create_key(&scopes).await;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/history_v3");
    let text = |name: &str| std::fs::read_to_string(dir.join(name)).expect("a fixture");
    let statuses: Vec<Value> = serde_json::from_str(&text("statuses.json")).expect("JSON");
    let imported = ok(app.import(ndjson(&statuses), &admin).await).await;
    assert_eq!(imported["payload"]["rejected"], json!(0), "{imported}");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("the fixtures")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.starts_with("order-"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 9);
    for name in names {
        let document: Value = serde_json::from_str(&text(&name)).expect("JSON");
        app.put_document(&document, &admin).await;
    }
    let key = app.create_key(&["orders"]).await;
    V3 { app, admin, key }
}

fn key_id(secret: &str) -> String {
    ordo_store::parse_secret(secret)
        .expect("an ordo secret")
        .to_owned()
}

impl V3 {
    /// `GET path` as a client of 002 sends it: Bearer secret, X-Api-Key the key's id.
    fn get(&self, path: &str) -> RequestBuilder {
        self.app
            .client
            .get(self.app.url(path))
            .bearer_auth(&self.key)
            .header("X-Api-Key", key_id(&self.key))
    }

    async fn json(&self, path: &str) -> Value {
        ok(self.get(path).send().await.expect("an answer")).await
    }

    /// A list page asked for without `end-date`, with the `end-date` its links pin (the
    /// request time) checked by [`unpin`] and written as `<now>`.
    async fn page(&self, path: &str) -> Value {
        self.page_pinned(path).await.0
    }

    /// [`V3::page`], and the pinned request time.
    async fn page_pinned(&self, path: &str) -> (Value, ordo_model::Timestamp) {
        let before = ordo_model::Timestamp::now();
        let mut page = self.json(path).await;
        let after = ordo_model::Timestamp::now();
        let pinned = unpin(&mut page, before, after);
        (page, pinned)
    }
}

/// The `end-date` every link of a page pins when the request had none: one value, in the
/// reference's Zulu form, between the instants taken just `before` and `after` the request.
/// Rewrites it to `<now>` so that comparisons and snapshots do not depend on the clock.
fn unpin(
    page: &mut Value,
    before: ordo_model::Timestamp,
    after: ordo_model::Timestamp,
) -> ordo_model::Timestamp {
    let mut pins = Vec::new();
    for link in page["links"].as_object_mut().expect("links").values_mut() {
        let uri = link["uri"].as_str().expect("a uri").to_owned();
        let (head, tail) = uri.split_once("end-date=").expect("a pinned end-date");
        let (text, rest) = tail.split_once('&').expect("offset follows");
        assert!(!rest.contains("end-date="), "{uri}");
        assert_eq!(text.len(), "2019-05-02T22:49:54Z".len(), "{uri}");
        let at = ordo_model::Timestamp::parse(text).expect("a datetime");
        assert_eq!(at.rfc3339(), text, "{uri}");
        assert!(
            before <= at && at <= after,
            "{uri} not in {before}..{after}"
        );
        pins.push(at);
        link["uri"] = json!(format!("{head}end-date=<now>&{rest}"));
    }
    assert!(pins.windows(2).all(|w| w[0] == w[1]), "{pins:?}");
    pins[0]
}

async fn ok(response: Response) -> Value {
    let status = response.status();
    let text = response.text().await.expect("a body");
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).expect("JSON")
}

/// Checks the dialect's error envelope and returns its `additionalDetails`.
async fn v3_error(response: Response, status: u16, message: &str) -> Vec<String> {
    assert_eq!(response.status(), status);
    assert_json(&response);
    let body: Value = response.json().await.expect("JSON");
    let keys: Vec<&String> = body.as_object().expect("an object").keys().collect();
    assert_eq!(keys, ["additionalDetails", "code", "message"], "{body}");
    assert_eq!(body["code"], json!(status.to_string()), "{body}");
    assert_eq!(body["message"], json!(message), "{body}");
    let details = body["additionalDetails"].as_array().expect("an array");
    details
        .iter()
        .map(|d| d.as_str().expect("text").to_owned())
        .collect()
}

fn ids(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["orderId"].as_str().unwrap())
        .collect()
}

fn link(uri: &str) -> Value {
    json!({"uri": uri, "method": "GET", "headers": []})
}
#[tokio::test]
async fn details_render_the_reference_example_exactly() {
    let v3 = with_fixtures().await;
    let path = "/v3/customers/9876543210/orders/0123456789";
    let wire = v3.get(path).send().await.unwrap().text().await.unwrap();
    let body: Value = serde_json::from_str(&wire).expect("JSON");
    // Reference 002, "Get details of a specific order", as written.
    let reference = json!({
      "externalReferenceId": "759",
      "orderId": "0123456789",
      "customerId": "9876543210",
      "orderType": "NEW",
      "referenceOrderId": "",
      "referencedOrderId": "",
      "currencyCode": "USD",
      "creationDate": "2019-05-02T22:49:54Z",
      "status": "1000",
      "source": "Bridge",
      "lineItems": [
        {
          "extLineItemNumber": 4,
          "offerId": "80004567EA01A12",
          "quantity": 1,
          "subscriptionId": "86756309",
          "status": "1000",
          "currencyCode": "USD",
          "deploymentId": "12345"
        }
      ],
      "links": {
        "self": {
          "uri": "/v3/customers/9876543210/orders/0123456789",
          "method": "GET",
          "headers": []
        }
      }
    });
    assert_eq!(body, reference);
    // The wire keeps the reference's field order (the snapshot sorts keys).
    let at = |key: &str| wire.find(&format!("\"{key}\":")).expect(key);
    let order = [
        "externalReferenceId",
        "orderId",
        "customerId",
        "orderType",
        "referenceOrderId",
        "referencedOrderId",
        "currencyCode",
        "creationDate",
        "status",
        "source",
        "lineItems",
        "extLineItemNumber",
        "offerId",
        "quantity",
        "subscriptionId",
        "deploymentId",
        "links",
        "self",
        "uri",
        "method",
        "headers",
    ];
    assert!(order.windows(2).all(|w| at(w[0]) < at(w[1])), "{wire}");
    assert_wire_snapshot!("details_0123456789", body);
}

#[tokio::test]
async fn promotions_render_the_reference_example() {
    let v3 = with_fixtures().await;
    let body = v3.json("/v3/customers/9876543210/orders/5120008001").await;
    // Reference 002's promotions example, as written (its trailing commas dropped) ...
    let mut reference = json!({
       "referenceOrderId": "",
       "orderType": "NEW",
       "externalReferenceId": "759",
       "customerId": "9876543210",
       "orderId": "5120008001",
       "currencyCode": "USD",
       "creationDate": "2019-05-02T22:49:54Z",
       "status": "1000",
       "source": "Bridge",
       "lineItems": [
         {
           "extLineItemNumber": 1,
           "offerId": "80004567CA01A12",
           "quantity": 1,
           "status": "1002",
           "subscriptionId": "",
           "currencyCode": "USD",
           "promotions": [{"code": "SUMMER_SALE_123", "result": "SUCCESS"}]
         },
         {
           "extLineItemNumber": 2,
           "offerId": "80004561CA02A12",
           "quantity": 11,
           "status": "1002",
           "subscriptionId": "",
           "currencyCode": "USD",
           "promotions": [{"code": "WINTER_SALE_123", "result": "SUCCESS"}]
         }
       ]
    });
    // ... with what it abridges: "links": { // As existing response fields }, and the
    // `referencedOrderId` every Order resource carries (docs/dialects/history_v3.md).
    reference["links"] = json!({"self": link("/v3/customers/9876543210/orders/5120008001")});
    reference["referencedOrderId"] = json!("");
    assert_eq!(body, reference);
    assert_wire_snapshot!("details_5120008001_promotions", body);
}

#[tokio::test]
async fn the_list_pages_as_the_reference_example() {
    let v3 = with_fixtures().await;
    let page = v3
        .page("/v3/customers/9876543210/orders?offset=3&limit=3")
        .await;
    let path = "/v3/customers/9876543210/orders";
    assert_eq!(page["totalCount"], json!(9));
    assert_eq!(page["count"], json!(3));
    assert_eq!(page["offset"], json!(3));
    assert_eq!(page["limit"], json!(3));
    // The reference's links, with the default `end-date` (the request time) pinned: a link
    // followed later continues this result (docs/dialects/history_v3.md, "Defaults").
    let links = json!({
        "self": link(&format!("{path}?end-date=<now>&offset=3&limit=3")),
        "next": link(&format!("{path}?end-date=<now>&offset=6&limit=3")),
        "prev": link(&format!("{path}?end-date=<now>&offset=0&limit=3")),
    });
    assert_eq!(page["links"], links);
    // Newest first; the two examples share a creationDate and go by orderId, descending.
    assert_eq!(ids(&page), ["5120008006", "5120008001", "0123456789"]);
    for item in page["items"].as_array().unwrap() {
        let id = item["orderId"].as_str().unwrap();
        assert_eq!(item, &v3.json(&format!("{path}/{id}")).await);
    }
    assert_wire_snapshot!("list_offset_3_limit_3", page);
}
#[tokio::test]
async fn statuses_defaults_and_links_follow_the_mapping_table() {
    let v3 = with_fixtures().await;
    let all = v3.page(&format!("/v3/customers/{CUSTOMER}/orders")).await;
    let by_id = |id: &str| {
        all["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["orderId"] == id)
            .unwrap()
            .clone()
    };
    let replaced = by_id("5120008003");
    assert_eq!(
        (&replaced["status"], &replaced["referencedOrderId"]),
        (&json!("1002"), &json!("5120008007"))
    );
    let lines: Vec<&Value> = replaced["lineItems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| &l["status"])
        .collect();
    assert_eq!(
        lines,
        [&json!("1002"), &json!("1004")],
        "a line's own lineStatusId"
    );
    let replacement = by_id("5120008007");
    assert_eq!(replacement["referenceOrderId"], json!("5120008003"));
    // lineStatusId "99" is not in the dictionary: the order's name "Processing" → Open.
    assert_eq!(replacement["lineItems"][0]["status"], json!("1000"));
    let bare = by_id("5120008002");
    assert_eq!(
        bare["status"],
        json!("1002"),
        "\"Delivered to customer\" is inferred"
    );
    assert_eq!(
        (&bare["source"], &bare["externalReferenceId"]),
        (&json!(""), &json!(""))
    );
    assert_eq!(
        bare["lineItems"][0]["offerId"],
        json!("65304523"),
        "productId"
    );
    assert!(bare["lineItems"][0].get("deploymentId").is_none());
    assert!(bare["lineItems"][0].get("promotions").is_none());
    assert_eq!(by_id("5120008008")["status"], json!("1004"));
    assert_eq!(by_id("5120008006")["status"], json!("1026"));
    assert_eq!(by_id("5120008000")["orderType"], json!("RENEWAL"));
    assert_wire_snapshot!("list_all", all);
}
