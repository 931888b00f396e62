//! The demo data holds what it promises: valid documents, every kind and link, skew.

use std::collections::{HashMap, HashSet};

use super::*;
use ordo_model::{Expect, LinkField, ingest};

fn documents(seed: u64, orders: usize) -> Vec<Document> {
    generate(&DemoConfig::new(seed, orders)).collect()
}

#[test]
fn customers_follow_orders_within_bounds() {
    assert_eq!(DemoConfig::new(1, 0).customers, 3);
    assert_eq!(DemoConfig::new(1, 4000).customers, 100);
    assert_eq!(DemoConfig::new(1, 1_000_000).customers, 5000);
    assert_eq!(generate(&DemoConfig::new(1, 0)).count(), 0);
}

#[test]
fn every_document_survives_the_v1_round_trip() {
    let now = Timestamp::now();
    for doc in documents(7, 2000) {
        let value = serde_json::to_value(&doc).unwrap();
        let expect = Expect {
            kind: Some(doc.kind),
            id: None,
            now,
        };
        let ingested =
            ingest(&value, expect).unwrap_or_else(|e| panic!("{} {}: {e:?}", doc.kind, doc.id));
        assert!(ingested.updated_at_given);
        assert_eq!(ingested.document, doc);
    }
}

#[test]
fn same_seed_same_data_other_seed_other_data() {
    let first = documents(42, 300);
    assert_eq!(first, documents(42, 300));
    assert_ne!(first, documents(43, 300));
}

#[test]
fn documents_are_consistent() {
    let docs = documents(11, 2000);
    let start = Timestamp::from_unix(START).unwrap();
    let end = Timestamp::from_unix(END).unwrap();
    let mut ids = HashSet::new();
    let mut item_ids = HashSet::new();
    for doc in &docs {
        assert!(
            ids.insert((doc.kind, doc.id.as_str())),
            "{} {}",
            doc.kind,
            doc.id
        );
        assert!(doc.id.bytes().all(|b| b.is_ascii_digit()));
        assert!(start <= doc.created_at && doc.created_at <= doc.updated_at);
        assert!(doc.updated_at <= end);
        if let Some(total) = doc.total {
            assert_eq!(total, total_of(doc), "{} {}", doc.kind, doc.id);
            assert_eq!(total.scale(), 2);
        }
        assert_eq!(doc.shipping_type.is_some(), doc.kind == Kind::VendorOrder);
        assert!(STATUSES.contains(&(doc.kind, doc.status_id.as_str(), doc.status.as_str())));
        if doc.kind.is_quote() {
            assert!(doc.payments.is_empty() && doc.shipments.is_empty());
        }
        assert_eq!(doc.vendor.is_some(), doc.kind.is_vendor());
        assert!((1..=9).contains(&doc.items.len()));
        for item in &doc.items {
            assert!(item_ids.insert(item.item_id.as_str()));
            assert_eq!(item.tax.scale(), 2);
        }
        for package in doc.shipments.iter().flat_map(|s| &s.packages) {
            assert!(package.ship_date > doc.created_at);
        }
        if let Some(cart) = &doc.shopping_cart_id {
            let groups: Vec<usize> = cart.split('-').map(str::len).collect();
            assert_eq!(groups, [8, 4, 4, 4, 12]);
        }
    }
    // Every link points at a document of the kind the link names.
    for doc in &docs {
        for &(field, kind) in doc.kind.link_fields() {
            if let Some(parent) = doc.link(field) {
                assert!(ids.contains(&(kind, parent)), "{} {}", doc.kind, doc.id);
            }
        }
    }
}

#[test]
fn every_kind_link_and_variant_appears() {
    let docs = documents(3, 2000);
    for kind in Kind::ALL {
        assert!(docs.iter().any(|d| d.kind == kind), "{kind}");
        for &(field, _) in kind.link_fields() {
            assert!(
                docs.iter()
                    .any(|d| d.kind == kind && d.link(field).is_some()),
                "{kind} {}",
                field.wire()
            );
        }
    }
    for code in ActionTypeCode::ALL {
        let found = docs.iter().flat_map(|d| &d.notes);
        assert!(
            found.clone().any(|n| n.action_type_code == Some(code)),
            "{code:?}"
        );
    }
    let payments: Vec<&Payment> = docs.iter().flat_map(|d| &d.payments).collect();
    assert!(payments.iter().any(|p| p.original_payment_id.is_some()));
    for shipping_type in ordo_model::SHIPPING_TYPES {
        assert!(
            docs.iter()
                .any(|d| d.shipping_type.as_deref() == Some(shipping_type))
        );
    }
    assert!(docs.iter().any(|d| d.total.is_none()));
    assert!(
        docs.iter()
            .flat_map(|d| &d.items)
            .any(|i| i.unit_of_measure.is_some())
    );
    // Parents come first, but not always.
    let mut seen = HashSet::new();
    let mut early_children = 0;
    for doc in &docs {
        let parent = doc.link(LinkField::ParentOrderId);
        if doc.kind == Kind::Return && !seen.contains(parent.unwrap()) {
            early_children += 1;
        }
        if doc.kind == Kind::Order {
            seen.insert(doc.id.as_str());
        }
    }
    let returns = docs.iter().filter(|d| d.kind == Kind::Return).count();
    assert!(early_children > 0 && early_children * 10 < returns);
}

#[test]
fn kinds_come_in_proportion_to_orders() {
    let docs = documents(5, 10_000);
    let mut counts: HashMap<Kind, usize> = HashMap::new();
    for doc in &docs {
        *counts.entry(doc.kind).or_default() += 1;
    }
    let per_order = |kind| counts[&kind] as f64 / 10_000.0;
    assert_eq!(counts[&Kind::Order], 10_000);
    assert!((0.2..0.3).contains(&per_order(Kind::Quote)));
    assert!((0.08..0.12).contains(&per_order(Kind::Return)));
    assert!((0.1..0.15).contains(&per_order(Kind::VendorOrder)));
    assert!(counts[&Kind::VendorQuote] > 0 && counts[&Kind::VendorReturn] > 0);
    let replacements = docs
        .iter()
        .filter(|d| d.links.replacement_for_order_id.is_some() && d.kind == Kind::Order)
        .count();
    assert!((100..300).contains(&replacements), "{replacements}");
    let converted = docs
        .iter()
        .filter(|d| d.kind == Kind::Order && d.links.parent_quote_id.is_some())
        .count();
    assert!(converted * 3 > counts[&Kind::Quote] * 2);
}

#[test]
fn a_few_customers_place_many_orders() {
    let docs = documents(9, 4000);
    let mut per_customer: HashMap<&str, usize> = HashMap::new();
    for doc in docs.iter().filter(|d| d.kind == Kind::Order) {
        *per_customer.entry(doc.customer_id.as_str()).or_default() += 1;
    }
    let mut volumes: Vec<usize> = per_customer.values().copied().collect();
    volumes.sort_unstable_by(|a, b| b.cmp(a));
    assert!(volumes.len() > 90);
    assert!(volumes[0] > 5 * 4000 / volumes.len(), "{volumes:?}");
}

#[test]
fn holds_only_one_order_group_at_a_time() {
    let mut generator = Generator::new(&DemoConfig::new(13, 5000));
    let mut count = 0;
    while generator.next().is_some() {
        count += 1;
        assert!(generator.pending.len() < 16);
    }
    assert!(count > 5000);
}
