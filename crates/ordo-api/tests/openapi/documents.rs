//! The v1 documents against their schemas, extension fields included: every document the
//! server writes matches its kind's schema, and the input schemas take what PUT takes and
//! refuse what it refuses.

use ordo_demo::{DemoConfig, generate};
use serde_json::{Value, json};

use crate::checker::Checker;
use crate::common::*;
use crate::{dialects, openapi};

/// The component schema name of a kind's path segment (`vendor-order` → `VendorOrder`).
fn schema_name(kind: &str) -> String {
    kind.split('-')
        .map(|w| w[..1].to_uppercase() + &w[1..])
        .collect()
}

/// The demo data set as NDJSON lines, each with its kind.
pub fn demo_lines(orders: usize) -> Vec<Value> {
    generate(&DemoConfig::new(11, orders))
        .map(|doc| {
            let mut value: Value = serde_json::from_str(&doc.to_stored_json()).unwrap();
            value["kind"] = json!(doc.kind.path());
            value
        })
        .collect()
}

#[tokio::test]
async fn every_document_the_server_writes_matches_its_kind_schema() {
    let app = spawn_app().await;
    app.load_fixtures().await;
    // The dialects' fixtures carry every extension field.
    let key = dialects::load_fixtures(&app).await;
    let (_, spec) = openapi(&app).await;
    let checker = Checker(&spec);
    let lines = demo_lines(120);
    let response = app.import(ndjson(&lines), &key).await;
    assert_eq!(response.status(), 200);
    let report: Value = response.json().await.unwrap();
    assert_eq!(report["payload"]["rejected"], 0, "{report}");

    for (kind, id_field, _) in KINDS {
        let name = schema_name(kind);
        let page = app.get_json(&format!("/v1/{kind}/?limit=1000"), &key).await;
        let docs = page["payload"].as_array().unwrap();
        assert!(!docs.is_empty(), "no {kind} to check");
        for doc in docs {
            let id = id_text(&doc[id_field]);
            for schema in [&name, "Document"] {
                let errors = checker.errors(
                    &json!({ "$ref": format!("#/components/schemas/{schema}") }),
                    doc,
                );
                assert!(
                    errors.is_empty(),
                    "{kind} {id} against {schema}: {errors:#?}"
                );
            }
            // What the server writes, it takes back (ordo export | ordo import).
            let errors = checker.component(&format!("{name}Input"), doc);
            assert!(
                errors.is_empty(),
                "{kind} {id} against {name}Input: {errors:#?}"
            );
        }
        // A kind's schema is not another's: the id field alone tells orders from returns.
        if kind == "order" {
            assert!(!checker.component("Return", &docs[0]).is_empty());
        }
    }

    for customer in lines
        .iter()
        .map(|l| l["customerId"].as_str().unwrap())
        .take(20)
    {
        let relations = app
            .get_json(&format!("/v1/customer/{customer}/relations"), &key)
            .await;
        let errors = checker.component("RelationsPayload", &relations);
        assert!(errors.is_empty(), "relations of {customer}: {errors:#?}");
    }

    // The checker bites: a wrong type, an extra field, a datetime with a zone.
    let order = app.get_json("/v1/order/805685", &key).await["payload"].clone();
    assert!(checker.component("Order", &order).is_empty());
    for (field, value) in [
        ("total", json!("172.25")),
        ("colour", json!("red")),
        ("createdAt", json!("2021-01-05T00:42:54Z")),
        ("items", Value::Null),
    ] {
        let mut wrong = order.clone();
        wrong[field] = value;
        assert!(!checker.component("Order", &wrong).is_empty(), "{field}");
    }
}

#[tokio::test]
async fn the_input_schema_takes_what_put_takes_and_refuses_what_it_refuses() {
    let app = spawn_app().await;
    let key = app.admin_key().await;
    let (_, spec) = openapi(&app).await;
    let checker = Checker(&spec);
    let input = |kind: &str| format!("{}Input", schema_name(kind));

    let mut accepted: Vec<Value> = fixtures().into_iter().map(|(_, f)| f).collect();
    accepted.extend(demo_lines(40));
    accepted.push(document(
        "quote",
        "q-minimal",
        "c-openapi",
        "2024-01-01T00:00:00",
    ));
    accepted.extend(dialects::fixture_lines());
    for doc in &accepted {
        let kind = doc["kind"].as_str().unwrap();
        let schemas = match kind {
            "status" => vec!["StatusInput".to_owned()],
            _ => vec![input(kind), "DocumentInput".to_owned()],
        };
        for schema in schemas {
            let errors = checker.component(&schema, doc);
            assert!(
                errors.is_empty(),
                "{kind} against {schema}: {errors:#?}\n{doc}"
            );
        }
    }
    for doc in accepted.iter().filter(|d| d["kind"] == "quote").take(5) {
        app.put_document(doc, &key).await;
    }

    let base = fixtures()
        .into_iter()
        .find(|(name, _)| name == "001-order-805685.json")
        .unwrap()
        .1;
    let payment = json!({ "paymentId": "1", "amount": 1.0, "paymentDate": "2021-01-01T00:00:00" });
    let mut refused = Vec::new();
    let mut with = |doc: &Value, field: &str, value: Value| {
        let mut doc = doc.clone();
        match value {
            Value::Null => {
                doc.as_object_mut().unwrap().remove(field);
            }
            value => doc[field] = value,
        }
        refused.push((field.to_owned(), doc));
    };
    with(&base, "colour", json!("red"));
    with(&base, "total", json!("172.25"));
    with(&base, "createdAt", Value::Null);
    with(&base, "currency", json!("more than ten"));
    with(&base, "shippingType", json!("Dropship"));
    with(
        &base,
        "items",
        json!([{ "itemId": "1", "unitPrice": 1.0, "quantity": 1.5, "linePosition": 1 }]),
    );
    let mut gift = payment.clone();
    gift["paymentType"] = json!("Gift");
    with(&base, "payments", json!([gift]));
    with(&base, "orderType", json!("new"));
    with(&base, "token", json!("not a token"));
    with(&base, "invoicingPeriod", json!(-1));
    with(&base, "rounding", json!({ "mode": "HalfUp" }));
    with(&base, "sellerAddress", json!({ "country": "GBR" }));
    with(&base, "shippingMethodInfo", json!({ "id": 0 }));
    with(&base, "paymentFee", json!({ "taxRate": 100 }));
    with(&base, "discountsIncludeTaxes", json!("yes"));
    let quote = document("quote", "q-1", "c-openapi", "2024-01-01T00:00:00");
    with(&quote, "payments", json!([payment]));
    let vendor_order = document("vendor-order", "vo-1", "c-openapi", "2024-01-01T00:00:00");
    with(&vendor_order, "shippingType", Value::Null);
    for (field, doc) in refused {
        let kind = doc["kind"].as_str().unwrap();
        let errors = checker.component(&input(kind), &doc);
        assert!(!errors.is_empty(), "the schema takes a bad {field}: {doc}");
        let id = id_text(&doc[id_field(kind)]);
        let response = app.put(kind, &id, &doc, &key).await;
        expect_error(response, 400).await;
    }
}
