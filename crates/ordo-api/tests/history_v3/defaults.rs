//! Every default of 002's parameter table over the fixtures, with an order dated in the future:
//! `end-date` is the request time (and the links pin it), `start-date` the beginning.

use ordo_model::Timestamp;
use serde_json::{Value, json};

use super::*;

/// The fixtures' nine orders, newest first: what every default lists.
const PAST: [&str; 9] = [
    "5120008009",
    "5120008008",
    "5120008007",
    "5120008006",
    "5120008001",
    "0123456789",
    "5120008003",
    "5120008002",
    "5120008000",
];

/// An order of the fixtures' customer created at `created` (`YYYY-MM-DDTHH:MM:SS`, UTC).
fn order_created_at(id: &str, created: &str) -> Value {
    json!({
        "kind": "order",
        "orderId": id,
        "createdAt": created,
        "updatedAt": created,
        "total": 1.0,
        "currency": "USD",
        "shippingMethod": "Electronic delivery",
        "shippingPrice": 0.0,
        "shippingTax": 0.0,
        "status": "Awaiting stock",
        "statusId": "40",
        "customerId": CUSTOMER,
        "orderType": "RENEWAL",
        "items": [{"itemId": format!("{id}-1"), "productId": "SCHEDULED-1", "unitPrice": 1.0,
                   "quantity": 1, "linePosition": 1}]
    })
}

/// The fixtures, and a renewal scheduled for 2999-06-01T00:00:00Z.
async fn with_a_future_order() -> V3 {
    let v3 = with_fixtures().await;
    let future = order_created_at("5120009999", "2999-06-01T00:00:00");
    v3.app.put_document(&future, &v3.admin).await;
    v3
}

#[tokio::test]
async fn an_order_in_the_future_is_neither_listed_nor_counted_without_end_date() {
    let v3 = with_a_future_order().await;
    let path = format!("/v3/customers/{CUSTOMER}/orders");
    // No parameter at all: every default of the table at once.
    let page = v3.page(&path).await;
    assert_eq!(ids(&page), PAST);
    assert_eq!(
        (&page["totalCount"], &page["count"]),
        (&json!(9), &json!(9))
    );
    assert_eq!((&page["offset"], &page["limit"]), (&json!(0), &json!(25)));
    assert_eq!(
        page["links"],
        json!({"self": link(&format!("{path}?end-date=<now>&offset=0&limit=25"))})
    );
    // The filters at "All" and start-date at the beginning, whatever else is given.
    let renewals = v3.page(&format!("{path}?order-type=RENEWAL")).await;
    assert_eq!(ids(&renewals), ["5120008009", "5120008000"]);
    let offer = v3.page(&format!("{path}?offer-id=SCHEDULED-1")).await;
    assert_eq!(offer["totalCount"], json!(0));
    let paged = v3.page(&format!("{path}?limit=3&offset=6")).await;
    assert_eq!(ids(&paged), &PAST[6..]);
    assert_eq!(paged["totalCount"], json!(9));
    // Its details are not a list: no parameter, no default, the order is there.
    let details = v3.json(&format!("{path}/5120009999")).await;
    assert_eq!(details["creationDate"], json!("2999-06-01T00:00:00Z"));
}

#[tokio::test]
async fn an_end_date_after_its_creation_lists_the_future_order() {
    let v3 = with_a_future_order().await;
    let path = format!("/v3/customers/{CUSTOMER}/orders");
    for end in ["2999-06-01", "2999-06-01T00:00:00Z", "3000-01-01"] {
        let page = v3.json(&format!("{path}?end-date={end}&limit=4")).await;
        assert_eq!(ids(&page), [&["5120009999"], &PAST[..3]].concat(), "{end}");
        assert_eq!(page["totalCount"], json!(10), "{end}");
        // Given, it is kept as given, once, and nothing else is pinned.
        assert_eq!(
            page["links"],
            json!({
                "self": link(&format!("{path}?end-date={end}&offset=0&limit=4")),
                "next": link(&format!("{path}?end-date={end}&offset=4&limit=4")),
            }),
            "{end}"
        );
    }
    let before = v3
        .json(&format!("{path}?end-date=2999-05-31T23:59:59Z"))
        .await;
    assert_eq!(ids(&before), PAST, "end-date is inclusive, to the second");
    let only = v3
        .json(&format!("{path}?start-date=2999-01-01&end-date=3000-01-01"))
        .await;
    assert_eq!(ids(&only), ["5120009999"]);
}

#[tokio::test]
async fn a_start_date_after_now_without_end_date_is_a_bad_request() {
    let v3 = with_a_future_order().await;
    let path = format!("/v3/customers/{CUSTOMER}/orders?start-date=2999-01-01");
    let before = Timestamp::now();
    let response = v3.get(&path).send().await.unwrap();
    let after = Timestamp::now();
    let details = v3_error(response, 400, "Bad request").await;
    assert_eq!(details.len(), 1, "{details:?}");
    let prefix = "start-date: is after end-date (by default now, ";
    let now = details[0]
        .strip_prefix(prefix)
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("{details:?}"));
    let now = Timestamp::parse(now).expect("a datetime");
    assert!(before <= now && now <= after, "{details:?}");
}

#[tokio::test]
async fn a_followed_link_continues_the_result_it_came_from() {
    let v3 = with_a_future_order().await;
    let path = format!("/v3/customers/{CUSTOMER}/orders");
    let (first, pinned) = v3.page_pinned(&format!("{path}?limit=3")).await;
    assert_eq!(ids(&first), &PAST[..3]);
    // An order dated one second after the pinned request time: in the future when the page
    // was computed, in the past once the clock has passed it.
    let later = Timestamp::from_unix(pinned.unix() + 1).unwrap();
    let created = later.v1();
    v3.app
        .put_document(&order_created_at("5120009000", &created), &v3.admin)
        .await;
    while Timestamp::now() <= later {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let fresh = v3.page(&format!("{path}?limit=3")).await;
    assert_eq!(ids(&fresh), [&["5120009000"], &PAST[..2]].concat());
    assert_eq!(fresh["totalCount"], json!(10));
    // The first page's `next`, followed now, is still the continuation of the first page.
    let next = first["links"]["next"]["uri"].as_str().unwrap();
    let next = next.replace("<now>", &pinned.rfc3339());
    let continued = v3.json(&next).await;
    assert_eq!(ids(&continued), &PAST[3..6]);
    assert_eq!(continued["totalCount"], json!(9));
    // It pins what it was given and nothing more.
    assert_eq!(continued["links"]["self"]["uri"], json!(next));
    let pinned_text = pinned.rfc3339();
    assert_eq!(
        continued["links"]["prev"]["uri"],
        json!(format!("{path}?end-date={pinned_text}&offset=0&limit=3"))
    );
}
