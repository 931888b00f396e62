//! Paging and filters over the fixtures: links at both ends, limit clamping, each filter.

use serde_json::json;

use super::*;

#[tokio::test]
async fn links_are_right_at_both_ends_and_past_the_end() {
    let v3 = with_fixtures().await;
    let path = "/v3/customers/9876543210/orders";
    let all = v3.page(path).await;
    let newest = [
        "5120008009",
        "5120008008",
        "5120008007",
        "5120008006",
        "5120008001",
    ];
    let oldest = ["0123456789", "5120008003", "5120008002", "5120008000"];
    assert_eq!(ids(&all), [&newest[..], &oldest[..]].concat());
    assert_eq!(
        (&all["limit"], &all["offset"], &all["count"]),
        (&json!(25), &json!(0), &json!(9))
    );
    assert_eq!(
        all["links"],
        json!({"self": link(&format!("{path}?end-date=<now>&offset=0&limit=25"))})
    );

    let first = v3.page(&format!("{path}?limit=3")).await;
    assert_eq!(
        first["links"]["next"],
        link(&format!("{path}?end-date=<now>&offset=3&limit=3"))
    );
    assert!(first["links"].get("prev").is_none());
    let last = v3.page(&format!("{path}?offset=7&limit=3")).await;
    assert_eq!(ids(&last), ["5120008002", "5120008000"]);
    assert_eq!(
        last["links"]["prev"],
        link(&format!("{path}?end-date=<now>&offset=4&limit=3"))
    );
    assert!(last["links"].get("next").is_none());
    let past = v3.page(&format!("{path}?offset=9&limit=3")).await;
    assert_eq!((&past["count"], &past["items"]), (&json!(0), &json!([])));
    assert_eq!(
        past["links"]["prev"],
        link(&format!("{path}?end-date=<now>&offset=6&limit=3"))
    );
    let beyond = v3.get(&format!("{path}?offset=10")).send().await.unwrap();
    let details = v3_error(beyond, 400, "Bad request").await;
    assert_eq!(details, ["offset: 10 is beyond the total count 9"]);
}

#[tokio::test]
async fn limits_clamp_to_1_through_100() {
    let v3 = with_fixtures().await;
    for (asked, effective, count) in [("0", 1, 1), ("-5", 1, 1), ("500", 100, 9), ("100", 100, 9)] {
        let page = v3
            .page(&format!("/v3/customers/{CUSTOMER}/orders?limit={asked}"))
            .await;
        assert_eq!(
            (&page["limit"], &page["count"]),
            (&json!(effective), &json!(count)),
            "{asked}"
        );
        let uri =
            format!("/v3/customers/{CUSTOMER}/orders?end-date=<now>&offset=0&limit={effective}");
        assert_eq!(page["links"]["self"]["uri"], json!(uri));
    }
}

#[tokio::test]
async fn filters_and_their_values_combine_and_links_keep_them() {
    let v3 = with_fixtures().await;
    for (query, expected) in [
        (
            "status=1002&status=1004",
            &["5120008009", "5120008008", "5120008003", "5120008002"][..],
        ),
        ("status=1026", &["5120008006"]),
        (
            "order-type=TRANSFER&order-type=RENEWAL&status=1002",
            &["5120008009", "5120008002"],
        ),
        (
            "order-type=NEW&status=1000",
            &["5120008007", "5120008001", "0123456789"],
        ),
        ("reference-order-id=5120008003", &["5120008007"]),
        ("offer-id=80004567CA01A12", &["5120008006", "5120008001"]),
        (
            "offer-id=65304523&offer-id=80004570CA01A12",
            &["5120008003", "5120008002"],
        ),
        (
            "start-date=2019-05-02&end-date=2019-05-02T22:49:54Z",
            &["5120008001", "0123456789"],
        ),
        (
            "start-date=2019-05-02T22:49:55Z&end-date=2019-08-15",
            &["5120008006"],
        ),
        ("end-date=2019-03-05", &["5120008000"]),
        ("reseller-id=R1&unknown=1&status=1000&offer-id=nothing", &[]),
    ] {
        let page = v3
            .json(&format!("/v3/customers/{CUSTOMER}/orders?{query}"))
            .await;
        assert_eq!(ids(&page), expected, "{query}");
        assert_eq!(page["totalCount"], json!(expected.len()), "{query}");
    }
    let page = v3
        .page(&format!("/v3/customers/{CUSTOMER}/orders?unknown=1&status=1000&limit=1&start-date=2019-01-01&reseller-id=r%2B1"))
        .await;
    let path = format!(
        "/v3/customers/{CUSTOMER}/orders?status=1000&start-date=2019-01-01&reseller-id=r%2B1&end-date=<now>"
    );
    assert_eq!(
        page["links"]["next"]["uri"],
        json!(format!("{path}&offset=1&limit=1"))
    );
    assert_eq!(
        page["links"]["self"]["uri"],
        json!(format!("{path}&offset=0&limit=1"))
    );
}
