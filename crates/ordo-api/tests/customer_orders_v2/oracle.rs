//! The property: over generated orders (statuses through a generated dictionary, some inferred
//! from their names; generated template names), every filtered window the server answers is
//! the same slice of an in-memory oracle, and `x-pagination-totalcount` counts every match.

use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Value, json};

use super::common::*;

const PHASES: [&str; 8] = [
    "New",
    "Open",
    "Ready",
    "Shipped",
    "Delivered",
    "Completed",
    "Cancelled",
    "Rejected",
];
const STATUSES: [&str; 5] = ["NEW", "CONFIRMED", "REJECTED", "ABORTED", "EXECUTED"];
const TEMPLATES: [&str; 4] = ["Pro-Space-Hosting", "vServer", "Domain", "Unused"];
/// Status ids of the dictionary, then one it lacks (its name, "Cancelled", says ABORTED).
const STATUS_IDS: [&str; 5] = ["s0", "s1", "s2", "s3", "x"];

fn v2_status(phase: &str) -> &'static str {
    match phase {
        "New" => "NEW",
        "Open" | "Ready" => "CONFIRMED",
        "Shipped" | "Delivered" | "Completed" => "EXECUTED",
        "Cancelled" => "ABORTED",
        _ => "REJECTED",
    }
}

#[derive(Clone, Debug)]
struct Generated {
    id: String,
    day: u8,
    status: usize,
    templates: Vec<Option<usize>>,
}

#[derive(Clone, Debug)]
struct Query {
    limit: Option<u64>,
    skip: Option<u64>,
    page: Option<u64>,
    includes: Vec<usize>,
    excludes: Vec<usize>,
    templates: Vec<usize>,
}

fn query() -> impl Strategy<Value = Query> {
    let some = |n: usize| proptest::sample::subsequence((0..n).collect::<Vec<_>>(), 0..=n.min(3));
    (
        proptest::option::of(0u64..6),
        proptest::option::of(0u64..15),
        proptest::option::of(0u64..5),
        some(STATUSES.len()),
        some(STATUSES.len()),
        some(TEMPLATES.len()),
    )
        .prop_map(|(limit, skip, page, includes, excludes, templates)| Query {
            limit,
            skip,
            page,
            includes,
            excludes,
            templates,
        })
}

type Case = (Vec<usize>, Vec<Generated>, Vec<Query>);

fn case() -> impl Strategy<Value = Case> {
    let order = (
        1u8..=4,
        0..STATUS_IDS.len(),
        proptest::collection::vec(proptest::option::of(0..TEMPLATES.len() - 1), 0..3),
    );
    (
        proptest::collection::vec(0..PHASES.len(), STATUS_IDS.len() - 1),
        proptest::collection::btree_map("[a-z0-9]{1,3}", order, 0..14),
        proptest::collection::vec(query(), 5),
    )
        .prop_map(|(phases, orders, queries)| {
            let orders = orders
                .into_iter()
                .map(|(id, (day, status, templates))| Generated {
                    id,
                    day,
                    status,
                    templates,
                })
                .collect();
            (phases, orders, queries)
        })
}

fn ndjson_of(phases: &[usize], orders: &[Generated]) -> String {
    let mut lines: Vec<Value> = phases
        .iter()
        .enumerate()
        .map(|(i, phase)| {
            json!({"kind": "status", "statusId": STATUS_IDS[i], "name": format!("Status {i}"),
                   "phase": PHASES[*phase]})
        })
        .collect();
    // Known by a document that is no order, even when no order is generated.
    lines.push(document("return", "r1", "c1", "2024-02-01T00:00:00"));
    for order in orders {
        let mut doc = common_order(&order.id);
        doc["createdAt"] = json!(format!("2024-01-{:02}T00:00:00", order.day));
        doc["statusId"] = json!(STATUS_IDS[order.status]);
        let last = order.status == STATUS_IDS.len() - 1;
        doc["status"] = json!(if last {
            "Cancelled".to_owned()
        } else {
            format!("Status {}", order.status)
        });
        let items: Vec<Value> = order
            .templates
            .iter()
            .enumerate()
            .map(|(i, template)| {
                let mut item = json!({"itemId": format!("{}-{i}", order.id), "productId": "P",
                                      "unitPrice": 1.00, "quantity": 1, "linePosition": i});
                if let Some(t) = template {
                    item["templateName"] = json!(TEMPLATES[*t]);
                }
                item
            })
            .collect();
        doc["items"] = json!(items);
        lines.push(doc);
    }
    ndjson(&lines)
}

fn common_order(id: &str) -> Value {
    order(id, "c1", "2024-02-01T00:00:00")
}

/// What the server must answer: the matching order numbers in order, and their count.
fn oracle(phases: &[usize], orders: &[Generated], q: &Query) -> (Vec<String>, usize) {
    let status = |o: &Generated| match phases.get(o.status) {
        Some(phase) => v2_status(PHASES[*phase]),
        None => "ABORTED",
    };
    let mut matching: Vec<&Generated> = orders
        .iter()
        .filter(|o| q.includes.is_empty() || q.includes.iter().any(|i| STATUSES[*i] == status(o)))
        .filter(|o| !q.excludes.iter().any(|i| STATUSES[*i] == status(o)))
        .filter(|o| {
            q.templates.is_empty()
                || o.templates
                    .iter()
                    .flatten()
                    .any(|t| q.templates.contains(t))
        })
        .collect();
    matching.sort_by(|a, b| b.day.cmp(&a.day).then_with(|| b.id.cmp(&a.id)));
    let limit = q.limit.unwrap_or(1000) as usize;
    let offset = q.skip.unwrap_or(0) as usize + (q.page.unwrap_or(1).max(1) as usize - 1) * limit;
    let window = matching
        .iter()
        .skip(offset)
        .take(limit)
        .map(|o| o.id.clone())
        .collect();
    (window, matching.len())
}

async fn check(app: &TestApp, tenant: &str, case: &Case) -> Result<(), TestCaseError> {
    let (phases, orders, queries) = case;
    let scopes = ["orders", "orders:write", "returns:write", "statuses:write"];
    let key = app.create_key_for(tenant, &scopes, None).await;
    let response = app.import(ndjson_of(phases, orders), &key).await;
    let report: Value = response.json().await.unwrap();
    prop_assert_eq!(&report["payload"]["rejected"], &json!(0), "{}", report);

    for q in queries {
        let mut params: Vec<(&str, String)> = Vec::new();
        let scalars = [("limit", q.limit), ("skip", q.skip), ("page", q.page)];
        for (name, value) in scalars {
            params.extend(value.map(|v| (name, v.to_string())));
        }
        params.extend(
            q.includes
                .iter()
                .map(|i| ("includesStatus", STATUSES[*i].to_owned())),
        );
        params.extend(
            q.excludes
                .iter()
                .map(|i| ("excludesStatus", STATUSES[*i].to_owned())),
        );
        params.extend(
            q.templates
                .iter()
                .map(|i| ("templateNames", TEMPLATES[*i].to_owned())),
        );
        let response = app
            .client
            .get(app.url("/v2/customers/c1/orders"))
            .header("x-access-token", &key)
            .query(&params)
            .send()
            .await
            .unwrap();
        prop_assert_eq!(response.status().as_u16(), 200, "{:?}", params);
        let total = response.headers()["x-pagination-totalcount"]
            .to_str()
            .unwrap()
            .to_owned();
        let body: Value = response.json().await.unwrap();
        let got: Vec<String> = body
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["orderNumber"].as_str().unwrap().to_owned())
            .collect();
        let (expected, count) = oracle(phases, orders, q);
        prop_assert_eq!(got, expected, "{:?}", params);
        prop_assert_eq!(total, count.to_string(), "{:?}", params);
    }
    Ok(())
}

pub fn run() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let app = runtime.block_on(spawn_app());
    // One server for the whole property; each case gets a tenant of its own.
    let cases = AtomicUsize::new(0);
    let config = Config {
        failure_persistence: None,
        ..Config::with_cases(24)
    };
    let result = TestRunner::new(config).run(&case(), |case| {
        let tenant = format!("case-{}", cases.fetch_add(1, Ordering::Relaxed));
        runtime.block_on(check(&app, &tenant, &case))
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
}
