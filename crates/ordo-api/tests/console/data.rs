//! The documents the browser tests look at: demo data (what `serve --demo` serves), the
//! reference example customer, and one customer of about 2,000 documents.

use std::collections::BTreeMap;

use ordo_demo::{DemoConfig, generate};
use ordo_model::Ingested;
use serde_json::Value;

use crate::common::*;

/// The relations key, path segment and id field of each kind, in the payload's order.
pub const RELATIONS: [(&str, &str, &str); 6] = [
    ("quotas", "quote", "quoteId"),
    ("orders", "order", "orderId"),
    ("returns", "return", "returnId"),
    ("vendorQuotas", "vendor-quote", "quoteId"),
    ("vendorOrders", "vendor-order", "orderId"),
    ("vendorReturns", "vendor-return", "returnId"),
];

/// Stores the generated documents of `config`; returns the customers' ids, each with how many
/// documents it has.
pub async fn load_demo(app: &TestApp, config: DemoConfig) -> BTreeMap<String, usize> {
    let mut customers = BTreeMap::new();
    let mut batch = Vec::new();
    for document in generate(&config) {
        *customers.entry(document.customer_id.clone()).or_insert(0) += 1;
        batch.push(Ingested {
            document,
            updated_at_given: true,
        });
        if batch.len() == 1000 {
            app.store
                .put_many(TENANT, std::mem::take(&mut batch))
                .await
                .expect("demo documents are stored");
        }
    }
    app.store
        .put_many(TENANT, batch)
        .await
        .expect("demo documents are stored");
    customers
}

/// Imports the reference fixtures (customer 459202 of the relations example, and others).
pub async fn load_reference(app: &TestApp, key: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/reference");
    let mut lines = String::new();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    for path in names {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        lines.push_str(&serde_json::to_string(&doc).unwrap());
        lines.push('\n');
    }
    let answer: Value = app.import(lines, key).await.json().await.unwrap();
    assert_eq!(answer["payload"]["rejected"], 0, "{answer}");
}

/// A document of a relations answer: its path segment, id, and v1 body.
pub struct Doc {
    pub kind: &'static str,
    pub id: String,
    pub body: Value,
}

/// `GET /v1/customer/{id}/relations`, flattened.
pub async fn relations(app: &TestApp, customer: &str, key: &str) -> Vec<Doc> {
    let response = app
        .get(&format!("/v1/customer/{customer}/relations"), key)
        .await;
    assert_eq!(response.status(), 200);
    let answer: Value = response.json().await.unwrap();
    let entities = &answer["payload"]["orderEntities"];
    let mut out = Vec::new();
    for (rel, kind, field) in RELATIONS {
        for body in entities[rel].as_array().into_iter().flatten() {
            out.push(Doc {
                kind,
                id: body[field].as_str().unwrap().to_owned(),
                body: body.clone(),
            });
        }
    }
    out
}

/// The customer with the most kinds among `customers` (then the fewest documents).
pub async fn richest(app: &TestApp, customers: &BTreeMap<String, usize>, key: &str) -> String {
    let mut best: Option<(usize, usize, String)> = None;
    for (customer, count) in customers {
        let docs = relations(app, customer, key).await;
        let kinds = RELATIONS
            .iter()
            .filter(|(_, kind, _)| docs.iter().any(|d| d.kind == *kind))
            .count();
        let candidate = (kinds, usize::MAX - count, customer.clone());
        if best.as_ref().is_none_or(|b| candidate > *b) {
            best = Some(candidate);
        }
    }
    best.expect("demo customers").2
}
