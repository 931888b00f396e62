//! The rendering against the shape `fields` checks paths with (every field of
//! [`projection::ORDER`] is written, in that order, and nothing else), its derived amounts,
//! and the extension fields that replace what would otherwise be derived or borrowed.

use ordo_model::{Document, Expect, StatusDictionary, Timestamp, ingest};
use serde_json::json;

use super::{Context, Node, order};
use crate::dialects::storefront_v10::projection::{Field, ORDER};

fn document(value: &serde_json::Value) -> Document {
    let expect = Expect {
        kind: None,
        id: None,
        now: Timestamp::now(),
    };
    ingest(value, expect).expect("a valid document").document
}

fn line() -> serde_json::Value {
    json!({"itemId": "1", "productId": "P", "unitPrice": 2.5, "quantity": 2,
        "linePosition": 1, "tax": 0.95, "discount": 0.5})
}

/// The order of [`full_order`] as JSON, to be varied.
fn order_json() -> serde_json::Value {
    json!({
        "kind": "order", "orderId": "9", "createdAt": "2024-01-01T00:00:00", "total": 10,
        "status": "New", "statusId": "1", "customerId": "c", "shippingMethod": "Post",
        "shippingPrice": 1, "shippingTax": 0.19, "items": [line()],
        "payments": [{"paymentId": "p", "amount": 10, "paymentDate": "2024-01-01T00:00:00",
            "paymentMethod": {"id": "m"}}],
        "shipments": [{"packages": [{"packageId": "k", "shipDate": "2024-01-02T00:00:00"}]}],
        "shipping": {"firstName": "A", "lastName": "B", "zip": "1", "country": "DE",
            "state": "BE", "city": "Berlin", "address1": "Str 1"}
    })
}

/// An order with something in every list, so that every nested field is rendered.
fn full_order() -> (Document, Document) {
    let item = line();
    let order = document(&order_json());
    let ret = document(&json!({
        "kind": "return", "returnId": "r", "parentOrderId": "9",
        "createdAt": "2024-01-03T00:00:00", "total": null, "status": "New", "statusId": "1",
        "customerId": "c", "shippingMethod": "", "shippingPrice": 0, "shippingTax": 0,
        "items": [item]
    }));
    (order, ret)
}

/// Where a rendered value's fields differ from the shape.
fn mismatches(path: &str, shape: &[Field], node: &Node, out: &mut Vec<String>) {
    match node {
        Node::List(items) => {
            for item in items {
                mismatches(path, shape, item, out);
            }
        }
        Node::Object(fields) => {
            let names: Vec<&str> = fields.iter().map(|(n, _)| *n).collect();
            let expected: Vec<&str> = shape.iter().map(|f| f.name).collect();
            if names != expected {
                out.push(format!("{path}: {names:?}, shape {expected:?}"));
            }
            for ((name, value), field) in fields.iter().zip(shape) {
                mismatches(&format!("{path}.{name}"), field.children, value, out);
            }
        }
        _ => {
            if !shape.is_empty() {
                // Only objects that may be null (shippingMethod, ...) get here empty-handed.
                if *node != Node::Null {
                    out.push(format!("{path}: a value where the shape has fields"));
                }
            }
        }
    }
}

#[test]
fn a_rendered_order_has_exactly_the_fields_of_the_shape_in_order() {
    let (doc, ret) = full_order();
    let dictionary = StatusDictionary::default();
    let ctx = Context {
        tenant: "t",
        dictionary: &dictionary,
    };
    let rendered = order(&ctx, &doc, &[&ret]).expect("no overflow");
    let mut out = Vec::new();
    mismatches("order", ORDER, &rendered, &mut out);
    assert!(out.is_empty(), "{out:#?}");
    // Every list and object was there to be checked.
    let text = serde_json::to_string(&rendered).unwrap();
    for needle in [
        "\"returnedQuantity\"",
        "\"approval\"",
        "\"paymentMethod\":{",
        "\"taxes\":[{",
    ] {
        assert!(text.contains(needle), "{needle} in {text}");
    }
}

#[test]
fn line_discounts_become_one_amount_off_and_taxes_group_by_class() {
    let (doc, _) = full_order();
    let dictionary = StatusDictionary::default();
    let ctx = Context {
        tenant: "t",
        dictionary: &dictionary,
    };
    let rendered: serde_json::Value = serde_json::from_str(
        &serde_json::to_string(&order(&ctx, &doc, &[]).expect("no overflow")).unwrap(),
    )
    .unwrap();
    // 2 × 2.50 = 5.00, less a discount of 0.50; its tax 0.95 is 21.11 % of 4.50.
    let facts = [
        ("/discounts", r#"[{"type":"AmountOff","value":0.500}]"#),
        ("/prediscountSubtotal", "5.00"),
        ("/subtotal", "4.50"),
        ("/taxedSubtotal", "5.45"),
        ("/items/0/taxRate", "21.11"),
        // 0.95 + 0.50 × 21.11 % = 1.05555 → 1.06
        ("/taxedPrediscountSubtotal", "6.06"),
        // shipping 1.00 with 0.19 tax matches no line class: its own, at the implied 19 %.
        ("/shippingMethod/taxRate", "19.00"),
        ("/shippingMethod/taxCode", r#""""#),
        ("/taxAmount", "1.14"),
        ("/total", "8.86"),
        ("/taxedTotal", "10.00"),
        ("/isPaidFor", "true"),
        ("/billingAddress/firstName", r#""A""#),
        ("/customerName", r#""A B""#),
    ];
    for (pointer, expected) in facts {
        let got = rendered.pointer(pointer).map(ToString::to_string);
        assert_eq!(got.as_deref(), Some(expected), "{pointer}");
    }
    let taxes = rendered["taxes"].to_string();
    assert_eq!(
        taxes,
        r#"[{"amount":0.95,"code":"","name":"","rate":21.11,"taxableTotal":4.50},{"amount":0.19,"code":"","name":"","rate":19.00,"taxableTotal":1.00}]"#
    );
}

#[test]
fn returned_quantities_spread_over_the_lines_of_a_product() {
    let line = |id: &str, quantity: i64| {
        json!({"itemId": id, "productId": "A", "unitPrice": 1, "quantity": quantity,
            "linePosition": 1})
    };
    let sold = document(&json!({
        "kind": "order", "orderId": "9", "createdAt": "2024-01-01T00:00:00", "total": 5,
        "status": "New", "statusId": "1", "customerId": "c", "shippingMethod": "",
        "shippingPrice": 0, "shippingTax": 0, "items": [line("1", 2), line("2", 3)],
        "shipments": [{"packages": [{"packageId": "k", "shipDate": "2024-01-02T00:00:00"}]}]
    }));
    let returned = |quantity: i64| {
        let ret = document(&json!({
            "kind": "return", "returnId": "r", "parentOrderId": "9",
            "createdAt": "2024-01-03T00:00:00", "total": null, "status": "RMA Completed",
            "statusId": "2", "customerId": "c", "shippingMethod": "", "shippingPrice": 0,
            "shippingTax": 0, "items": [line("1", quantity)]
        }));
        let dictionary = StatusDictionary::default();
        let ctx = Context {
            tenant: "t",
            dictionary: &dictionary,
        };
        let text =
            serde_json::to_string(&order(&ctx, &sold, &[&ret]).expect("no overflow")).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        value["shipments"][0]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["returnedQuantity"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(returned(1), ["1.00", "0.00"]);
    assert_eq!(returned(4), ["2.00", "2.00"]);
    assert_eq!(
        returned(6),
        ["2.00", "4.00"],
        "the last line takes the rest"
    );
}

/// `order` rendered alone, as JSON.
fn rendered(order: &Document) -> serde_json::Value {
    let dictionary = StatusDictionary::default();
    let ctx = Context {
        tenant: "t",
        dictionary: &dictionary,
    };
    serde_json::from_str(
        &serde_json::to_string(&super::order(&ctx, order, &[]).expect("no overflow")).unwrap(),
    )
    .unwrap()
}

fn assert_facts(rendered: &serde_json::Value, facts: &[(&str, &str)]) {
    for (pointer, expected) in facts {
        let got = rendered.pointer(pointer).map(ToString::to_string);
        assert_eq!(got.as_deref(), Some(*expected), "{pointer} in {rendered}");
    }
}

#[test]
fn number_and_token_come_from_their_fields_before_the_borrowed_ones() {
    let cart = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";
    let mut value = order_json();
    value["externalReferenceId"] = json!("EXT-1");
    value["shoppingCartId"] = json!(cart);
    let borrowed = rendered(&document(&value));
    assert_facts(
        &borrowed,
        &[
            ("/number", r#""EXT-1""#),
            ("/token", r#""1b4e28ba2fa111d2883f0016d3cca427""#),
        ],
    );
    value["orderNumber"] = json!("2024/0001");
    value["token"] = json!("g3OuTJueFYJr5k2fgzSC6gZ23fpAW3Nu");
    let own = rendered(&document(&value));
    assert_facts(
        &own,
        &[
            ("/number", r#""2024/0001""#),
            ("/token", r#""g3OuTJueFYJr5k2fgzSC6gZ23fpAW3Nu""#),
        ],
    );
}

#[test]
fn shipping_and_payment_fee_fields_replace_the_derived_values() {
    let (plain, _) = full_order();
    // Derived: shipping's class is its own ("" at the implied 19 %), no fee, no id.
    assert_facts(
        &rendered(&plain),
        &[
            ("/shippingMethod/id", "null"),
            ("/shippingMethod/taxCode", r#""""#),
            ("/paymentMethod/cost", "0.000"),
            ("/paymentMethod/taxCode", r#""""#),
        ],
    );

    let mut value = order_json();
    value["shippingMethodInfo"] = json!({"id": 14, "taxCode": "S"});
    value["paymentFee"] = json!({"cost": 2, "taxCode": "F", "taxRate": 10});
    value["total"] = serde_json::Value::Null;
    let given = rendered(&document(&value));
    assert_facts(
        &given,
        &[
            ("/shippingMethod/id", "14"),
            ("/shippingMethod/taxCode", r#""S""#),
            ("/shippingMethod/taxRate", "19.00"),
            ("/paymentMethod/cost", "2.000"),
            ("/paymentMethod/taxCode", r#""F""#),
            ("/paymentMethod/taxRate", "10.00"),
            // No taxAmount given: cost × rate.
            ("/paymentMethod/taxAmount", "0.20"),
            // Without a document total the fee's cost counts: 4.50 + 1.00 + 2.00.
            ("/total", "7.50"),
        ],
    );
    assert_eq!(
        given["taxes"].to_string(),
        r#"[{"amount":0.95,"code":"","name":"","rate":21.11,"taxableTotal":4.50},{"amount":0.19,"code":"S","name":"S","rate":19.00,"taxableTotal":1.00},{"amount":0.20,"code":"F","name":"F","rate":10.00,"taxableTotal":2.00}]"#
    );

    // A given tax amount is taken as it is; a fee without its own class takes shipping's.
    let mut value = order_json();
    value["shippingMethodInfo"] = json!({"taxCode": "S"});
    value["handlingFee"] = json!(1);
    value["paymentFee"] = json!({"taxAmount": 0.5});
    assert_facts(
        &rendered(&document(&value)),
        &[
            ("/paymentMethod/cost", "1.000"),
            ("/paymentMethod/taxCode", r#""S""#),
            ("/paymentMethod/taxRate", "19.00"),
            ("/paymentMethod/taxAmount", "0.50"),
        ],
    );
}

#[test]
fn billing_codes_come_from_the_address() {
    let (plain, _) = full_order();
    assert_facts(
        &rendered(&plain),
        &[("/billingAddress/personalCode", r#""""#)],
    );
    let mut value = order_json();
    value["billing"] = value["shipping"].clone();
    value["billing"]["personalCode"] = json!("P1");
    value["billing"]["companyCode"] = json!("C1");
    value["billing"]["companyCode2"] = json!("C 2");
    assert_facts(
        &rendered(&document(&value)),
        &[
            ("/billingAddress/personalCode", r#""P1""#),
            ("/billingAddress/companyCode", r#""C1""#),
            ("/billingAddress/companyCode2", r#""C 2""#),
        ],
    );
}
