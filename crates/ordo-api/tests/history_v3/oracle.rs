//! Filters and paging against an in-memory oracle over generated orders, some of them dated
//! in the future (past the default `end-date`, the request time).

use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;

/// The dictionary of the property test: status ids 1..=8 take the eight phases in order;
/// 90 and 91 are unknown to it and go by their names.
const STATUSES: [(&str, &str, &str); 10] = [
    ("1", "New", "1002"),
    ("2", "Open", "1002"),
    ("3", "Ready", "1002"),
    ("4", "Shipped", "1000"),
    ("5", "Delivered", "1000"),
    ("6", "Completed", "1000"),
    ("7", "Cancelled", "1004"),
    ("8", "Rejected", "1026"),
    ("90", "Cancelled by customer", "1004"),
    ("91", "Awaiting payment", "1002"),
];
const ORDER_TYPES: [&str; 3] = ["NEW", "TRANSFER", "RENEWAL"];
const OFFERS: [&str; 4] = ["OF-A", "OF-B", "OF-C", "OF-D"];
const CODES: [&str; 4] = ["1000", "1002", "1004", "1026"];
/// 2020-01-01T00:00:00Z; orders are created in 12-hour steps from it, so that ties happen.
const BASE: i64 = 1_577_836_800;
const STEP: i64 = 43_200;
/// 2999-01-01T00:00:00Z: orders and bounds marked `future` count their steps from it, far
/// enough from the request time that the clock never decides a case.
const FUTURE: i64 = 32_472_144_000;

#[derive(Clone, Debug)]
struct GenOrder {
    step: i64,
    future: bool,
    order_type: Option<usize>,
    status: usize,
    replaces: Option<usize>,
    /// (offer, whether it is the `offerId` extension rather than the `productId`).
    lines: Vec<(usize, bool)>,
}

#[derive(Clone, Debug)]
struct GenQuery {
    types: Vec<usize>,
    statuses: Vec<usize>,
    refs: Vec<usize>,
    offers: Vec<usize>,
    /// (step, as a `YYYY-MM-DD` day rather than a datetime, seconds off the step, from
    /// [`FUTURE`] rather than [`BASE`]).
    start: Option<(i64, bool, i64, bool)>,
    end: Option<(i64, bool, i64, bool)>,
    limit: Option<i64>,
    offset: Option<usize>,
    noise: bool,
}

fn gen_order() -> impl Strategy<Value = GenOrder> {
    let lines = prop::collection::vec((0..OFFERS.len(), any::<bool>()), 1..3);
    (
        (0..8i64, prop::bool::weighted(0.2)),
        prop::option::of(0..3usize),
        0..STATUSES.len(),
        prop::option::of(0..10usize),
        lines,
    )
        .prop_map(
            |((step, future), order_type, status, replaces, lines)| GenOrder {
                step,
                future,
                order_type,
                status,
                replaces,
                lines,
            },
        )
}

fn gen_query() -> impl Strategy<Value = GenQuery> {
    let few = |n: usize| prop::collection::vec(0..n, 0..3);
    let bound = || prop::option::of((0..9i64, any::<bool>(), -1..2i64, prop::bool::weighted(0.25)));
    let limit = prop::option::of(prop::sample::select(vec![
        -2i64, 0, 1, 2, 3, 5, 25, 100, 500,
    ]));
    (
        (few(3), few(4), few(10), few(4)),
        (bound(), bound()),
        limit,
        prop::option::of(0..12usize),
        any::<bool>(),
    )
        .prop_map(
            |((types, statuses, refs, offers), (start, end), limit, offset, noise)| GenQuery {
                types,
                statuses,
                refs,
                offers,
                start,
                end,
                limit,
                offset,
                noise,
            },
        )
}

fn base(future: bool) -> i64 {
    if future { FUTURE } else { BASE }
}

fn bound_text((step, day, jitter, future): (i64, bool, i64, bool)) -> (i64, String) {
    let at = if day {
        base(future) + step / 2 * 86_400
    } else {
        base(future) + step * STEP + jitter
    };
    let text = ordo_model::Timestamp::from_unix(at).unwrap().rfc3339();
    if day {
        (at, text[..10].to_owned())
    } else {
        (at, text)
    }
}

fn order_json(customer: &str, i: usize, order: &GenOrder, count: usize) -> Value {
    let id = format!("{customer}-{i}");
    let created = ordo_model::Timestamp::from_unix(base(order.future) + order.step * STEP)
        .unwrap()
        .v1();
    let mut doc = common::order(&id, customer, &created);
    doc["createdAt"] = json!(created);
    let (status_id, name, _) = STATUSES[order.status];
    doc["statusId"] = json!(status_id);
    doc["status"] = json!(name);
    if let Some(t) = order.order_type {
        doc["orderType"] = json!(ORDER_TYPES[t]);
    }
    if let Some(j) = order.replaces.filter(|&j| j < count && j != i) {
        doc["replacementForOrderId"] = json!(format!("{customer}-{j}"));
    }
    let items: Vec<Value> = order
        .lines
        .iter()
        .enumerate()
        .map(|(n, &(offer, ext))| {
            let mut item = json!({"itemId": format!("{id}-{n}"), "productId": format!("P-{n}"),
            "unitPrice": 1.0, "quantity": 1, "linePosition": n + 1});
            if ext {
                item["offerId"] = json!(OFFERS[offer])
            } else {
                item["productId"] = json!(OFFERS[offer])
            }
            item
        })
        .collect();
    doc["items"] = json!(items);
    doc
}

/// Runs one case: stores `orders` for a fresh customer, asks each query, compares with the
/// oracle (filter in memory, sort by creationDate then orderId, descending, slice).
async fn check_case(v3: &V3, customer: &str, orders: &[GenOrder], queries: &[GenQuery]) {
    let docs: Vec<Value> = orders
        .iter()
        .enumerate()
        .map(|(i, o)| order_json(customer, i, o, orders.len()))
        .collect();
    if !docs.is_empty() {
        let imported = ok(v3.app.import(ndjson(&docs), &v3.admin).await).await;
        assert_eq!(imported["payload"]["rejected"], json!(0), "{imported}");
    }
    let path = format!("/v3/customers/{customer}/orders");
    for q in queries {
        let mut params: Vec<String> = Vec::new();
        q.types
            .iter()
            .for_each(|&t| params.push(format!("order-type={}", ORDER_TYPES[t])));
        q.statuses
            .iter()
            .for_each(|&s| params.push(format!("status={}", CODES[s])));
        q.refs
            .iter()
            .for_each(|&r| params.push(format!("reference-order-id={customer}-{r}")));
        q.offers
            .iter()
            .for_each(|&o| params.push(format!("offer-id={}", OFFERS[o])));
        let start = q.start.map(bound_text);
        let end = q.end.map(bound_text);
        start
            .iter()
            .for_each(|(_, t)| params.push(format!("start-date={t}")));
        end.iter()
            .for_each(|(_, t)| params.push(format!("end-date={t}")));
        let mut kept = params.join("&");
        q.limit
            .iter()
            .for_each(|l| params.push(format!("limit={l}")));
        q.offset
            .iter()
            .for_each(|o| params.push(format!("offset={o}")));
        if q.noise {
            params.push("reseller-id=R-1&whatever=1".into());
            kept = if kept.is_empty() {
                "reseller-id=R-1".into()
            } else {
                format!("{kept}&reseller-id=R-1")
            };
        }
        let url = format!("{path}?{}", params.join("&"));
        let before = ordo_model::Timestamp::now();
        let response = v3.get(&url).send().await.unwrap();
        let after = ordo_model::Timestamp::now();

        let mut expected: Vec<(i64, String, &GenOrder)> = orders
            .iter()
            .enumerate()
            .map(|(i, o)| (base(o.future) + o.step * STEP, format!("{customer}-{i}"), o))
            .collect();
        // 002: end-date defaults to now. No order or bound lies near the clock, so any
        // instant of the request will do.
        let effective_end = end.as_ref().map_or(after.unix(), |(e, _)| *e);
        if let Some((s, _)) = &start
            && *s > effective_end
        {
            v3_error(response, 400, "Bad request").await;
            continue;
        }
        if expected.is_empty() {
            v3_error(response, 404, "Invalid customer ID").await;
            continue;
        }
        let reference = |o: &GenOrder, i: &str| {
            let index: usize = i.rsplit('-').next().unwrap().parse().unwrap();
            o.replaces
                .filter(|&j| j < orders.len() && j != index)
                .map(|j| format!("{customer}-{j}"))
                .unwrap_or_default()
        };
        expected.retain(|(at, id, o)| {
            let order_type = o.order_type.map_or("NEW", |t| ORDER_TYPES[t]);
            (q.types.is_empty() || q.types.iter().any(|&t| ORDER_TYPES[t] == order_type))
                && (q.statuses.is_empty()
                    || q.statuses.iter().any(|&s| CODES[s] == STATUSES[o.status].2))
                && (q.refs.is_empty()
                    || q.refs
                        .iter()
                        .any(|r| format!("{customer}-{r}") == reference(o, id)))
                && (q.offers.is_empty()
                    || o.lines.iter().any(|(offer, _)| q.offers.contains(offer)))
                && start.as_ref().is_none_or(|(s, _)| at >= s)
                && *at <= effective_end
        });
        expected.sort_by(|a, b| (b.0, &b.1).cmp(&(a.0, &a.1)));
        let total = expected.len();
        let offset = q.offset.unwrap_or(0);
        let limit = q.limit.map_or(25, |l| l.clamp(1, 100) as usize);
        if offset > total {
            v3_error(response, 400, "Bad request").await;
            continue;
        }
        let mut page = ok(response).await;
        let window: Vec<&(i64, String, &GenOrder)> =
            expected.iter().skip(offset).take(limit).collect();
        let want: Vec<&str> = window.iter().map(|(_, id, _)| id.as_str()).collect();
        assert_eq!(ids(&page), want, "{url}");
        assert_eq!(page["totalCount"], json!(total), "{url}");
        assert_eq!(
            (&page["offset"], &page["limit"]),
            (&json!(offset), &json!(limit)),
            "{url}"
        );
        for (item, (at, id, o)) in page["items"].as_array().unwrap().iter().zip(&window) {
            assert_eq!(item["status"], json!(STATUSES[o.status].2), "{url}");
            assert_eq!(item["referenceOrderId"], json!(reference(o, id)), "{url}");
            let at = ordo_model::Timestamp::from_unix(*at).unwrap().rfc3339();
            assert_eq!(item["creationDate"], json!(at), "{url}");
        }
        // Without an end-date, the links pin the request time after the kept parameters.
        if end.is_none() {
            unpin(&mut page, before, after);
            kept = if kept.is_empty() {
                "end-date=<now>".into()
            } else {
                format!("{kept}&end-date=<now>")
            };
        }
        let kept = if kept.is_empty() {
            String::new()
        } else {
            format!("{kept}&")
        };
        let uri_at = |at: usize| json!(format!("{path}?{kept}offset={at}&limit={limit}"));
        let uri = |name: &str| page["links"].get(name).map(|link| link["uri"].clone());
        assert_eq!(uri("self"), Some(uri_at(offset)), "{url}");
        assert_eq!(
            uri("next"),
            (offset + limit < total).then(|| uri_at(offset + limit)),
            "{url}"
        );
        assert_eq!(
            uri("prev"),
            (offset > 0).then(|| uri_at(offset.saturating_sub(limit))),
            "{url}"
        );
    }
}

#[test]
fn filters_and_paging_match_an_in_memory_oracle() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let v3 = runtime.block_on(async {
        let app = spawn_app().await;
        let admin = app.create_key(&["orders:write", "statuses:write"]).await;
        let phases = ["New", "Open", "Ready", "Shipped", "Delivered", "Completed", "Cancelled", "Rejected"];
        let dictionary: Vec<Value> = STATUSES.iter().zip(phases)
            .map(|((id, name, _), phase)| json!({"kind": "status", "statusId": id, "name": name, "phase": phase}))
            .collect();
        let imported = ok(app.import(ndjson(&dictionary), &admin).await).await;
        assert_eq!(imported["payload"]["rejected"], json!(0), "{imported}");
        let key = app.create_key(&["orders"]).await;
        V3 { app, admin, key }
    });
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(48);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let counter = std::sync::atomic::AtomicUsize::new(0);
    let strategy = (
        prop::collection::vec(gen_order(), 0..10),
        prop::collection::vec(gen_query(), 1..6),
    );
    runner
        .run(&strategy, |(orders, queries)| {
            let n = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            runtime.block_on(check_case(&v3, &format!("prop{n}"), &orders, &queries));
            Ok(())
        })
        .unwrap();
}
