//! A customer whose relations answer runs to several of the store's batches: the answer is
//! streamed, and must read exactly as the documents' own answers, kind by kind, in order.

mod common;

use common::*;
use serde_json::{Value, json};

/// The ids of one kind's array in a relations answer, or `None` when the kind is `null`.
fn ids_of(answer: &Value, key: &str, id_field: &str) -> Option<Vec<String>> {
    let entities = &answer["payload"]["orderEntities"][key];
    if entities.is_null() {
        return None;
    }
    Some(
        entities
            .as_array()
            .unwrap()
            .iter()
            .map(|d| id_text(&d[id_field]))
            .collect(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_large_customer_s_relations_are_whole_and_in_order() {
    let app = spawn_app().await;
    let key = app.admin_key().await;
    let mut lines = Vec::new();
    let at = |i: usize| {
        format!(
            "2024-{:02}-{:02}T00:00:{:02}",
            1 + i / 280 % 12,
            1 + i / 10 % 28,
            i % 10
        )
    };
    for i in 0..900 {
        lines.push(document("quote", &format!("q{i:04}"), "big", &at(i)));
        let mut child = document("order", &format!("o{i:04}"), "big", &at(i));
        child["parentQuoteId"] = json!(format!("q{i:04}"));
        lines.push(child);
        if i % 4 == 0 {
            let mut rma = document("return", &format!("r{i:04}"), "big", &at(i));
            rma["parentOrderId"] = json!(format!("o{i:04}"));
            lines.push(rma);
        }
    }
    lines.push(document(
        "vendor-order",
        "vo1",
        "big",
        "2024-06-01T00:00:00",
    ));
    lines.push(order("small-1", "small", "2024-01-01T00:00:00"));
    let imported = app.import(ndjson(&lines), &key).await;
    assert_eq!(imported.status(), 200, "{}", imported.text().await.unwrap());

    let answer = app.get_json("/v1/customer/big/relations", &key).await;

    assert_eq!(answer["payload"]["customerId"], "big");
    let sorted = |prefix: &str, every: usize| -> Vec<String> {
        let mut ids: Vec<(String, String)> = (0..900)
            .filter(|i| i % every == 0)
            .map(|i| (at(i), format!("{prefix}{i:04}")))
            .collect();
        ids.sort();
        ids.into_iter().map(|(_, id)| id).collect()
    };
    assert_eq!(ids_of(&answer, "quotas", "quoteId"), Some(sorted("q", 1)));
    assert_eq!(ids_of(&answer, "orders", "orderId"), Some(sorted("o", 1)));
    assert_eq!(ids_of(&answer, "returns", "returnId"), Some(sorted("r", 4)));
    assert_eq!(ids_of(&answer, "vendorQuotas", "quoteId"), None);
    assert_eq!(
        ids_of(&answer, "vendorOrders", "orderId"),
        Some(vec!["vo1".to_owned()])
    );
    assert_eq!(ids_of(&answer, "vendorReturns", "returnId"), None);
    // Each document reads as its own get-by-id answer, derived lists included.
    for (key_name, path, id) in [
        ("quotas", "quote", "q0000"),
        ("quotas", "quote", "q0899"),
        ("orders", "order", "o0448"),
        ("orders", "order", "o0899"),
        ("returns", "return", "r0896"),
        ("vendorOrders", "vendor-order", "vo1"),
    ] {
        let own = app.get_json(&format!("/v1/{path}/{id}"), &key).await;
        let field = id_field(path);
        let found = answer["payload"]["orderEntities"][key_name]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| id_text(&d[field]) == id)
            .unwrap();
        assert_eq!(found, &own["payload"], "{id}");
    }
    let o448 = answer["payload"]["orderEntities"]["orders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["orderId"] == "o0448")
        .unwrap();
    assert_eq!(o448["returnIds"], json!(["r0448"]));
}
