//! What a page of the console must show, held to the v1 API: a customer's page to its
//! relations, a document's page to the document.

use std::collections::BTreeSet;
use std::str::FromStr;

use fantoccini::Locator;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::common::*;
use crate::data::Doc;
use crate::driver::Browser;

/// The amount a money text shows, whatever the locale put around it (`$1,234.50` → 1234.50).
fn shown_amount(text: &str) -> Decimal {
    let digits: String = text
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.' || *c == '-')
        .collect();
    Decimal::from_str(&digits).unwrap_or_else(|_| panic!("no amount in {text:?}"))
}

fn decimal(value: &Value) -> Decimal {
    Decimal::from_str(&value.to_string()).unwrap_or_else(|_| panic!("not money: {value}"))
}

/// `kind/id` of each document.
pub fn keys(docs: &[Doc]) -> BTreeSet<String> {
    docs.iter()
        .map(|d| format!("{}/{}", d.kind, d.id))
        .collect()
}

/// The edges parent → child (`kind/id>kind/id`) between `docs`, from the children's links.
fn expected_edges(docs: &[Doc]) -> BTreeSet<String> {
    let present = keys(docs);
    let mut edges = BTreeSet::new();
    for doc in docs {
        let links: &[(&str, &str)] = match doc.kind {
            "order" => &[
                ("parentQuoteId", "quote"),
                ("replacementForOrderId", "order"),
            ],
            "return" => &[("parentOrderId", "order")],
            "vendor-order" => &[
                ("parentQuoteId", "vendor-quote"),
                ("replacementForOrderId", "vendor-order"),
                ("customerOrderId", "order"),
            ],
            "vendor-return" => &[("parentOrderId", "vendor-order")],
            _ => &[],
        };
        for (field, parent) in links {
            let id = match &doc.body[*field] {
                Value::String(s) => s.clone(),
                Value::Null => continue,
                other => other.to_string(),
            };
            let parent = format!("{parent}/{id}");
            if present.contains(&parent) {
                edges.insert(format!("{parent}>{}/{}", doc.kind, doc.id));
            }
        }
    }
    edges
}

/// Holds a customer page to its relations: every document in the timeline and in the graph,
/// every link an edge, the counts and totals per kind.
pub async fn check_customer_page(browser: &Browser, docs: &[Doc]) {
    let expected = keys(docs);
    let rows: BTreeSet<String> = browser
        .data("table.timeline tbody tr", &["kind", "id"])
        .await
        .into_iter()
        .collect();
    assert_eq!(rows, expected, "the timeline lists every document");
    let nodes: BTreeSet<String> = browser
        .data("svg.graph a.node:not(.ghost)", &["kind", "id"])
        .await
        .into_iter()
        .collect();
    assert_eq!(nodes, expected, "the graph has every document");
    let edges: BTreeSet<String> = browser
        .data("svg.graph path.edge", &["from", "to"])
        .await
        .into_iter()
        .collect();
    for edge in expected_edges(docs) {
        let (from, to) = edge.split_once('>').unwrap();
        assert!(
            edges.contains(&format!("{from}/{to}")),
            "no edge {edge} in {edges:?}"
        );
    }
    for (kind, count, total) in summary(docs) {
        let row = format!("table.summary tr[data-kind=\"{kind}\"]");
        let cells = browser
            .js(
                "return [...document.querySelectorAll(arguments[0] + ' td')].map(td => td.innerText);",
                vec![json!(row)],
            )
            .await;
        assert_eq!(cells[1], count.to_string(), "count of {kind}");
        match total {
            Some(total) => assert_eq!(shown_amount(cells[2].as_str().unwrap()), total, "{kind}"),
            None => assert_eq!(cells[2], "—", "{kind} has no totals"),
        }
    }
}

/// Per kind: documents, and the sum of their totals (one currency in these data sets).
fn summary(docs: &[Doc]) -> Vec<(&'static str, usize, Option<Decimal>)> {
    crate::data::RELATIONS
        .iter()
        .map(|(_, kind, _)| {
            let of: Vec<&Doc> = docs.iter().filter(|d| d.kind == *kind).collect();
            let totals: Vec<Decimal> = of
                .iter()
                .filter(|d| !d.body["total"].is_null())
                .map(|d| decimal(&d.body["total"]))
                .collect();
            let total = (!totals.is_empty()).then(|| totals.iter().sum());
            (*kind, of.len(), total)
        })
        .collect()
}

/// Holds a document page to the v1 document: fields, money, dates, items, payments,
/// shipments, notes, links, addresses and the raw JSON.
pub async fn check_document_page(browser: &Browser, app: &TestApp, key: &str, doc: &Doc) {
    let answer: Value = app
        .get(&format!("/v1/{}/{}", doc.kind, doc.id), key)
        .await
        .json()
        .await
        .unwrap();
    let body = &answer["payload"];
    assert_eq!(
        browser.text("dd[data-field=customerId] a").await,
        body["customerId"].as_str().unwrap()
    );
    if !body["total"].is_null() {
        let total = browser.text("dd[data-field=total]").await;
        assert_eq!(shown_amount(&total), decimal(&body["total"]), "{total}");
    }
    let created = body["createdAt"].as_str().unwrap();
    let title = browser
        .js(
            "return document.querySelector('dd[data-field=createdAt] time').title;",
            vec![],
        )
        .await;
    assert_eq!(title, format!("{} UTC", created.replace('T', " ")));
    let status = body["currentStatus"]["name"].as_str().unwrap_or_default();
    assert!(browser.text("dd[data-field=status]").await.contains(status));

    let items = body["items"].as_array().unwrap();
    let lines = browser
        .js(
            "return [...document.querySelectorAll('table.items tbody tr td.line-total')].map(t => t.innerText);",
            vec![],
        )
        .await;
    assert_eq!(lines.as_array().unwrap().len(), items.len());
    for (item, line) in items.iter().zip(lines.as_array().unwrap()) {
        let expected = decimal(&item["unitPrice"]) * decimal(&item["quantity"]);
        assert_eq!(shown_amount(line.as_str().unwrap()), expected);
    }
    let count = |css: &str| {
        let css = css.to_owned();
        async move {
            browser
                .js(
                    "return document.querySelectorAll(arguments[0]).length;",
                    vec![json!(css)],
                )
                .await
                .as_u64()
                .unwrap() as usize
        }
    };
    let len = |v: &Value| v.as_array().map_or(0, Vec::len);
    assert_eq!(
        count("table.payments tbody tr").await,
        len(&body["payments"])
    );
    assert_eq!(count(".shipment").await, len(&body["shipments"]));
    let packages: usize = body["shipments"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| len(&s["packages"]))
        .sum();
    assert_eq!(count("table.packages tbody tr").await, packages);
    assert_eq!(count(".note-item").await, len(&body["notes"]));
    for list in [
        "replacementOrderIds",
        "returnIds",
        "vendorOrderIds",
        "orderIds",
    ] {
        let ids: Vec<String> = body[list]
            .as_array()
            .into_iter()
            .flatten()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        let shown: Vec<String> = serde_json::from_value(
            browser
                .js(
                    "return [...document.querySelectorAll(`dd[data-field=${arguments[0]}] a`)].map(a => decodeURIComponent(a.getAttribute('href').split('/').pop()));",
                    vec![json!(list)],
                )
                .await,
        )
        .unwrap();
        assert_eq!(shown, ids, "{list}");
    }
    if let Some(city) = body["billing"]["city"].as_str() {
        assert!(
            browser
                .text(".address[data-field=billing] address")
                .await
                .contains(city)
        );
    }
    // The raw JSON view shows the v1 answer's payload, every digit as sent.
    browser
        .client
        .find(Locator::Css("details.raw summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let raw = browser.text("pre.json").await;
    let raw: Value = serde_json::from_str(&raw).expect("the JSON view is JSON");
    assert_eq!(raw, answer, "the JSON view is the v1 answer");
}
