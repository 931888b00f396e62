//! The storefront's body and answer against the document: its request schema takes what the
//! storefront takes and refuses what it refuses, and without `fields` every field the order
//! schema lists is written (the schema requires none, as `fields` may leave any out).

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::checker::Checker;
use crate::common::*;
use crate::dialects::{self, V10_CUSTOMER, V10_PATH};
use crate::openapi;

#[tokio::test]
async fn the_storefront_request_schema_takes_what_the_storefront_takes() {
    let app = spawn_app().await;
    dialects::load_fixtures(&app).await;
    let key = app
        .create_key_for(TENANT, &["orders"], Some(V10_CUSTOMER))
        .await;
    let (_, spec) = openapi(&app).await;
    let checker = Checker(&spec);
    let bodies = [
        r#"{}"#,
        r#"{"conditions": null, "fields": null, "limit": null, "first": null, "count": null}"#,
        r#"{"conditions": {"ids": [1771949227], "after": 0}}"#,
        r#"{"conditions": {"ids": []}}"#,
        r#"{"fields": ["id", "shipments.items.name"], "count": true}"#,
        r#"{"limit": 1000, "first": 5}"#,
        r#"{"limit": 1}"#,
        r#"{"limit": 0}"#,
        r#"{"limit": 1001}"#,
        r#"{"limit": 10.0}"#,
        r#"{"limit": "10"}"#,
        r#"{"first": -1}"#,
        r#"{"conditions": {"ids": [0]}}"#,
        r#"{"conditions": {"after": -1}}"#,
        r#"{"conditions": {"status": 1}}"#,
        r#"{"conditions": []}"#,
        r#"{"fields": "id"}"#,
        r#"{"fields": [7]}"#,
        r#"{"count": "yes"}"#,
        r#"{"colour": "red"}"#,
        r#"[]"#,
    ];
    for body in bodies {
        let value: Value = serde_json::from_str(body).unwrap();
        let taken = checker
            .component("storefront_v10.Request", &value)
            .is_empty();
        let response = app
            .client
            .post(app.url(V10_PATH))
            .header("X-Customer-Key", &key)
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let expected = if taken { 200 } else { 400 };
        assert_eq!(response.status(), expected, "{body}");
    }
}

/// Every property `schema` lists that `value` lacks, at any depth; `seen` collects the
/// component schemas met with a value.
fn missing(
    spec: &Value,
    schema: &Value,
    value: &Value,
    at: &str,
    out: &mut Vec<String>,
    seen: &mut BTreeSet<String>,
) {
    if value.is_null() {
        return;
    }
    if let Some(name) = schema["$ref"].as_str() {
        let name = name.strip_prefix("#/components/schemas/").unwrap();
        seen.insert(name.to_owned());
        return missing(
            spec,
            &spec["components"]["schemas"][name],
            value,
            at,
            out,
            seen,
        );
    }
    for branch in schema["oneOf"].as_array().into_iter().flatten() {
        if branch["type"] != "null" {
            missing(spec, branch, value, at, out, seen);
        }
    }
    if let (Some(properties), Some(object)) = (schema["properties"].as_object(), value.as_object())
    {
        for (name, sub) in properties {
            match object.get(name) {
                Some(field) => missing(spec, sub, field, &format!("{at}.{name}"), out, seen),
                None => out.push(format!("{at}.{name}")),
            }
        }
    }
    for (i, item) in value.as_array().into_iter().flatten().enumerate() {
        missing(
            spec,
            &schema["items"],
            item,
            &format!("{at}[{i}]"),
            out,
            seen,
        );
    }
}

#[tokio::test]
async fn without_fields_the_storefront_writes_every_documented_field() {
    let app = spawn_app().await;
    dialects::load_fixtures(&app).await;
    let key = app
        .create_key_for(TENANT, &["orders"], Some(V10_CUSTOMER))
        .await;
    let (_, spec) = openapi(&app).await;
    let post = |body: Value| {
        app.client
            .post(app.url(V10_PATH))
            .header("X-Customer-Key", &key)
            .json(&body)
            .send()
    };
    let answer: Value = post(json!({})).await.unwrap().json().await.unwrap();
    let (mut absent, mut seen) = (Vec::new(), BTreeSet::new());
    let order = json!({ "$ref": "#/components/schemas/storefront_v10.Order" });
    for (i, value) in answer["orders"].as_array().unwrap().iter().enumerate() {
        missing(
            &spec,
            &order,
            value,
            &format!("orders[{i}]"),
            &mut absent,
            &mut seen,
        );
    }
    assert!(absent.is_empty(), "{absent:#?}");
    // The fixtures reach every part of an order, so that each was checked.
    let parts: BTreeSet<String> = spec["components"]["schemas"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|name| name.starts_with("storefront_v10."))
        .filter(|name| {
            ![
                "Answer",
                "Request",
                "Conditions",
                "Id",
                "Error",
                "ErrorDetail",
                "ErrorCode",
            ]
            .iter()
            .any(|other| name.as_str() == format!("storefront_v10.{other}"))
        })
        .cloned()
        .collect();
    assert_eq!(seen, parts);

    // With `fields`, only what they name.
    let answer: Value = post(json!({ "fields": ["id", "items.sku"] }))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for order in answer["orders"].as_array().unwrap() {
        let keys: Vec<&String> = order.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["id", "items"], "{order}");
        for item in order["items"].as_array().unwrap() {
            assert_eq!(
                item.as_object().unwrap().keys().collect::<Vec<_>>(),
                ["sku"]
            );
        }
    }
}
