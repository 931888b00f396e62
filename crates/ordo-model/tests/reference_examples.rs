//! The examples of references 000 and 001, completed into whole documents in
//! `fixtures/reference/`, ingest and read back in v1 exactly as the references write them.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use ordo_model::{DerivedLinks, Document, Expect, Kind, ingest, render_v1};
use serde_json::{Value, json};

/// Link lists derived from other documents: the stored rendering leaves them out.
const DERIVED_LISTS: [&str; 4] = [
    "replacementOrderIds",
    "returnIds",
    "vendorOrderIds",
    "orderIds",
];

const EXPECTED_FIXTURES: [&str; 7] = [
    "000-order-624353.json",
    "000-order-625595.json",
    "000-order-625606.json",
    "000-return-625600.json",
    "000-return-625601.json",
    "000-vendor-order-625607.json",
    "001-order-805685.json",
];

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/reference")
}

/// Every fixture, by file name.
fn fixtures() -> BTreeMap<String, Value> {
    let dir = fixture_dir();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    entries
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("a readable fixture");
            let value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()));
            let name = path.file_name().expect("a file name").to_string_lossy();
            (name.into_owned(), value)
        })
        .collect()
}

fn ingest_fixture(name: &str, fixture: &Value) -> Document {
    let expect = Expect {
        kind: None,
        id: None,
        now: common::now(),
    };
    match ingest(fixture, expect) {
        Ok(ingested) => {
            assert!(
                ingested.updated_at_given,
                "{name}: every fixture has updatedAt"
            );
            ingested.document
        }
        Err(errors) => panic!("{name} is refused: {errors:#?}"),
    }
}

/// Whether a field holds an id, which the references sometimes write as a bare number.
fn is_id_field(key: &str) -> bool {
    key == "id" || key.ends_with("Id") || key.ends_with("Ids")
}

/// Records where `actual` differs from `expected`, for every field `expected` has. Numbers
/// compare by their text, so that `0.0` and `0` are different money.
fn compare(path: &str, key: &str, expected: &Value, actual: Option<&Value>, out: &mut Vec<String>) {
    let Some(actual) = actual else {
        out.push(format!("{path}: missing, expected {expected}"));
        return;
    };
    let same = match (expected, actual) {
        (Value::Number(e), Value::Number(a)) => e.as_str() == a.as_str(),
        // Ids written as numbers (`"parentOrderId": 624353`) come back as strings.
        (Value::Number(e), Value::String(a)) if is_id_field(key) && e.is_u64() => e.as_str() == a,
        (Value::Object(e), Value::Object(a)) => {
            for (k, v) in e {
                compare(&format!("{path}.{k}"), k, v, a.get(k), out);
            }
            true
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (i, (e, a)) in e.iter().zip(a).enumerate() {
                compare(&format!("{path}[{i}]"), key, e, Some(a), out);
            }
            true
        }
        (e, a) => e == a,
    };
    if !same {
        out.push(format!("{path}: expected {expected}, got {actual}"));
    }
}

#[test]
fn every_reference_example_has_a_fixture() {
    let fixtures = fixtures();
    for name in EXPECTED_FIXTURES {
        assert!(fixtures.contains_key(name), "missing fixture {name}");
    }
}

#[test]
fn every_fixture_ingests_and_renders_back_as_written() {
    for (name, fixture) in fixtures() {
        let document = ingest_fixture(&name, &fixture);
        let rendered = serde_json::to_value(&document).expect("a document serialises");
        assert_eq!(
            fixture["kind"].as_str(),
            Some(document.kind.path()),
            "{name}: kind"
        );
        assert!(
            rendered.get("kind").is_none(),
            "{name}: kind is not rendered"
        );
        for list in DERIVED_LISTS {
            assert!(
                rendered.get(list).is_none(),
                "{name}: {list} is derived, never stored"
            );
        }

        let mut mismatches = Vec::new();
        for (key, expected) in fixture.as_object().expect("a fixture is an object") {
            if key == "kind" || DERIVED_LISTS.contains(&key.as_str()) {
                continue;
            }
            compare(key, key, expected, rendered.get(key), &mut mismatches);
        }
        assert!(
            mismatches.is_empty(),
            "{name} renders differently:\n{}",
            mismatches.join("\n")
        );
    }
}

#[test]
fn current_status_is_status_id_and_status() {
    for (name, fixture) in fixtures() {
        let rendered = serde_json::to_value(ingest_fixture(&name, &fixture)).unwrap();
        assert_eq!(
            rendered["currentStatus"],
            json!({"id": rendered["statusId"], "name": rendered["status"]}),
            "{name}"
        );
    }
}

#[test]
fn ids_written_as_numbers_are_read_as_strings() {
    let fixtures = fixtures();
    let document = ingest_fixture("return", &fixtures["000-return-625600.json"]);
    assert_eq!(document.links.parent_order_id.as_deref(), Some("624353"));
    let rendered = serde_json::to_value(&document).unwrap();
    assert_eq!(rendered["parentOrderId"], json!("624353"));
}

#[test]
fn money_keeps_the_digits_the_examples_show() {
    let fixtures = fixtures();
    let rendered =
        serde_json::to_value(ingest_fixture("805685", &fixtures["001-order-805685.json"])).unwrap();
    let text = |v: &Value| v.as_number().expect("a number").as_str().to_owned();
    assert_eq!(text(&rendered["total"]), "172.25");
    assert_eq!(text(&rendered["shippingDiscount"]), "0.0");
    assert_eq!(text(&rendered["handlingFee"]), "0.0");
    assert_eq!(text(&rendered["items"][0]["unitWeight"]), "0");
    assert_eq!(text(&rendered["items"][0]["discount"]), "0.0");
    assert_eq!(text(&rendered["items"][0]["unitPrice"]), "154.09");
}

#[test]
fn a_rendering_ingests_back_to_the_same_document() {
    for (name, fixture) in fixtures() {
        let document = ingest_fixture(&name, &fixture);
        let rendered = serde_json::to_value(&document).unwrap();
        let later = Expect {
            kind: Some(document.kind),
            id: Some(&document.id),
            now: ordo_model::Timestamp::parse("2030-01-01T00:00:00Z").unwrap(),
        };
        let again = match ingest(&rendered, later) {
            Ok(again) => again.document,
            Err(errors) => panic!("{name}: its own rendering is refused: {errors:#?}"),
        };
        assert_eq!(again, document, "{name}");
        // `Decimal` equality ignores the scale (0.0 == 0): compare the text too.
        assert_eq!(again.to_stored_json(), document.to_stored_json(), "{name}");
    }
}

#[test]
fn derived_lists_of_the_fixtures_are_those_the_examples_show() {
    let documents: Vec<(String, Value, Document)> = fixtures()
        .into_iter()
        .map(|(name, fixture)| {
            let document = ingest_fixture(&name, &fixture);
            (name, fixture, document)
        })
        .collect();
    for (name, fixture, parent) in &documents {
        let mut derived = DerivedLinks::empty(parent.kind);
        for (_, _, child) in &documents {
            for link in child.parents() {
                // Links join one customer's documents (but a vendor order's customerOrderId).
                let joins = child.customer_id == parent.customer_id
                    || child.kind.links_across_customers(parent.kind);
                if link.kind == parent.kind && link.id == parent.id && joins {
                    derived.push(parent.kind, child.kind, child.id.clone());
                }
            }
        }
        let mut out = Vec::new();
        render_v1(&mut out, parent.kind, &parent.to_stored_json(), &derived);
        let rendered: Value = serde_json::from_slice(&out)
            .unwrap_or_else(|e| panic!("{name}: render_v1 wrote no JSON ({e})"));

        let mut stored = serde_json::to_value(parent).unwrap();
        for &(list, _) in parent.kind.derived_lists() {
            let ids = rendered[list]
                .as_array()
                .unwrap_or_else(|| panic!("{name}: {list} is not a list"));
            stored[list] = Value::Array(ids.clone());
            if let Some(expected) = fixture.get(list) {
                let as_text = |ids: &Value| -> Vec<String> {
                    let mut ids: Vec<String> = ids
                        .as_array()
                        .expect("a list of ids")
                        .iter()
                        .map(|id| match id {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        })
                        .collect();
                    ids.sort();
                    ids
                };
                assert_eq!(
                    as_text(&rendered[list]),
                    as_text(expected),
                    "{name}: {list}"
                );
                assert!(
                    ids.iter().all(Value::is_string),
                    "{name}: {list} holds strings"
                );
            }
        }
        assert_eq!(rendered, stored, "{name}: render_v1 keeps the stored body");
    }
    // Reference 000 writes the link lists of an order even when empty.
    let order = &documents
        .iter()
        .find(|(name, _, _)| name == "000-order-625595.json")
        .expect("order 625595")
        .2;
    let mut out = Vec::new();
    render_v1(
        &mut out,
        Kind::Order,
        &order.to_stored_json(),
        &DerivedLinks::empty(Kind::Order),
    );
    let rendered: Value = serde_json::from_slice(&out).unwrap();
    for list in ["replacementOrderIds", "returnIds", "vendorOrderIds"] {
        assert_eq!(rendered[list], json!([]), "{list}");
    }
}

#[test]
fn the_comparison_tells_money_texts_and_ids_apart() {
    let differences = |expected: Value, actual: Value| {
        let mut out = Vec::new();
        compare("x", "x", &expected, Some(&actual), &mut out);
        out.len()
    };
    let parse = |text: &str| serde_json::from_str::<Value>(text).unwrap();
    assert_eq!(differences(parse("0.0"), parse("0")), 1);
    assert_eq!(differences(parse("0.0"), parse("0.0")), 0);
    assert_eq!(
        differences(parse(r#"{"a": 1.10}"#), parse(r#"{"a": 1.1}"#)),
        1
    );
    assert_eq!(differences(json!({"total": 5}), json!({"total": "5"})), 1);
    assert_eq!(
        differences(json!({"parentOrderId": 5}), json!({"parentOrderId": "5"})),
        0
    );
    assert_eq!(differences(json!({"ids": [1, 2]}), json!({"ids": [1]})), 1);
}
