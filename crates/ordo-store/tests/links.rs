//! Derived link lists: a child names its parent, the parent lists the child, in the list
//! that the pair of kinds decides; never stored twice, always current.

mod common;

use common::*;
use ordo_model::{Expect, Kind, ListQuery, Timestamp};
use serde_json::json;

const DAY: &str = "2024-01-01T00:00:00";

#[tokio::test]
async fn a_return_appears_in_its_orders_return_ids() {
    let (store, _dir) = fresh_store().await;
    put(&*store, "t", &order("o1", "c1", DAY)).await;

    put(&*store, "t", &return_of("r1", "c1", DAY, "o1")).await;

    let parent = get(&*store, "t", Kind::Order, "o1").await;
    assert_eq!(derived_list(&parent, "returnIds"), ["r1"]);
    assert!(derived_list(&parent, "replacementOrderIds").is_empty());
    assert!(derived_list(&parent, "vendorOrderIds").is_empty());
    // The lists are in the order of Kind::derived_lists().
    let names: Vec<&str> = Kind::Order
        .derived_lists()
        .iter()
        .map(|(n, _)| *n)
        .collect();
    let slot = names.iter().position(|n| *n == "returnIds").unwrap();
    let mut expected = vec![Vec::<String>::new(); names.len()];
    expected[slot] = vec!["r1".to_owned()];
    assert_eq!(parent.derived.lists, expected);
    // The child itself lists nothing and its body keeps the link.
    let child = get(&*store, "t", Kind::Return, "r1").await;
    assert!(child.derived.lists.is_empty());
    assert_eq!(rendered(&child)["parentOrderId"], "o1");
}

#[tokio::test]
async fn a_child_stored_before_its_parent_is_listed_once_the_parent_arrives() {
    let (store, _dir) = fresh_store().await;
    put(&*store, "t", &return_of("r1", "c1", DAY, "o1")).await;

    put(&*store, "t", &order("o1", "c1", DAY)).await;

    let parent = get(&*store, "t", Kind::Order, "o1").await;
    assert_eq!(derived_list(&parent, "returnIds"), ["r1"]);
}

#[tokio::test]
async fn moving_a_child_removes_it_from_the_old_parent() {
    let (store, _dir) = fresh_store().await;
    put(&*store, "t", &order("o1", "c1", DAY)).await;
    put(&*store, "t", &order("o2", "c1", DAY)).await;
    put(&*store, "t", &return_of("r1", "c1", DAY, "o1")).await;
    let old_before = get(&*store, "t", Kind::Order, "o1").await.revision;

    put(&*store, "t", &return_of("r1", "c1", DAY, "o2")).await;

    let old = get(&*store, "t", Kind::Order, "o1").await;
    let new = get(&*store, "t", Kind::Order, "o2").await;
    assert!(derived_list(&old, "returnIds").is_empty());
    assert_eq!(derived_list(&new, "returnIds"), ["r1"]);
    // The old parent's rendering changed too: it needs a new ETag.
    assert!(old.revision > old_before);
}

#[tokio::test]
async fn dropping_the_link_removes_the_child_from_the_list() {
    let (store, _dir) = fresh_store().await;
    put(&*store, "t", &order("o1", "c1", DAY)).await;
    let child = return_of("r1", "c1", DAY, "o1");
    put(&*store, "t", &child).await;

    put(&*store, "t", &without(child, "parentOrderId")).await;

    let parent = get(&*store, "t", Kind::Order, "o1").await;
    assert!(derived_list(&parent, "returnIds").is_empty());
}

#[tokio::test]
async fn adding_a_child_gives_the_parent_a_new_revision() {
    let (store, _dir) = fresh_store().await;
    let before = put(&*store, "t", &order("o1", "c1", DAY)).await.revision();

    let child = put(&*store, "t", &return_of("r1", "c1", DAY, "o1")).await;

    let parent = get(&*store, "t", Kind::Order, "o1").await;
    assert!(parent.revision > before, "{} <= {before}", parent.revision);
    assert!(parent.revision > child.revision());
    // The change feed shows the parent again, after the child.
    let feed = store.changes("t", before, 100).await.unwrap();
    assert_eq!(ids(&feed), ["r1", "o1"]);
    // Re-sending the same child changes no link: no new parent revision.
    put(&*store, "t", &return_of("r1", "c1", DAY, "o1")).await;
    assert_eq!(
        get(&*store, "t", Kind::Order, "o1").await.revision,
        parent.revision
    );
}

#[tokio::test]
async fn a_replacement_order_appears_in_replacement_order_ids() {
    let (store, _dir) = fresh_store().await;
    put(&*store, "t", &order("o1", "c1", DAY)).await;

    let replacement = with(order("o2", "c1", DAY), "replacementForOrderId", json!("o1"));
    put(&*store, "t", &replacement).await;

    let parent = get(&*store, "t", Kind::Order, "o1").await;
    assert_eq!(derived_list(&parent, "replacementOrderIds"), ["o2"]);
    assert!(derived_list(&parent, "returnIds").is_empty());
    let child = get(&*store, "t", Kind::Order, "o2").await;
    assert!(derived_list(&child, "replacementOrderIds").is_empty());
}

#[tokio::test]
async fn an_order_appears_in_its_quotes_order_ids() {
    let (store, _dir) = fresh_store().await;
    put(&*store, "t", &quote("q1", "c1", DAY)).await;

    put(
        &*store,
        "t",
        &with(order("o1", "c1", DAY), "parentQuoteId", json!("q1")),
    )
    .await;

    let parent = get(&*store, "t", Kind::Quote, "q1").await;
    assert_eq!(derived_list(&parent, "orderIds"), ["o1"]);
}

#[tokio::test]
async fn a_vendor_order_appears_in_its_customer_orders_vendor_order_ids() {
    let (store, _dir) = fresh_store().await;
    put(&*store, "t", &order("o1", "c1", DAY)).await;

    let vendor_order = with(
        document(Kind::VendorOrder, "vo1", "c1", DAY),
        "customerOrderId",
        json!("o1"),
    );
    put(&*store, "t", &vendor_order).await;

    let parent = get(&*store, "t", Kind::Order, "o1").await;
    assert_eq!(derived_list(&parent, "vendorOrderIds"), ["vo1"]);
    assert!(derived_list(&parent, "replacementOrderIds").is_empty());
    assert!(derived_list(&parent, "returnIds").is_empty());
}

#[tokio::test]
async fn a_vendor_return_appears_in_its_vendor_orders_return_ids() {
    let (store, _dir) = fresh_store().await;
    put(&*store, "t", &document(Kind::VendorOrder, "vo1", "c1", DAY)).await;
    // An order with the same id must not collect the vendor return.
    put(&*store, "t", &order("vo1", "c1", DAY)).await;

    let vendor_return = with(
        document(Kind::VendorReturn, "vr1", "c1", DAY),
        "parentOrderId",
        json!("vo1"),
    );
    put(&*store, "t", &vendor_return).await;

    let parent = get(&*store, "t", Kind::VendorOrder, "vo1").await;
    assert_eq!(derived_list(&parent, "returnIds"), ["vr1"]);
    assert!(derived_list(&parent, "replacementOrderIds").is_empty());
    let same_id_order = get(&*store, "t", Kind::Order, "vo1").await;
    assert!(derived_list(&same_id_order, "returnIds").is_empty());
}

#[tokio::test]
async fn a_vendor_order_appears_in_its_vendor_quotes_order_ids() {
    let (store, _dir) = fresh_store().await;
    put(&*store, "t", &document(Kind::VendorQuote, "vq1", "c1", DAY)).await;
    put(&*store, "t", &document(Kind::VendorOrder, "vo0", "c1", DAY)).await;

    let vendor_order = document(Kind::VendorOrder, "vo1", "c1", DAY);
    let vendor_order = with(vendor_order, "parentQuoteId", json!("vq1"));
    let vendor_order = with(vendor_order, "replacementForOrderId", json!("vo0"));
    put(&*store, "t", &vendor_order).await;

    let quote = get(&*store, "t", Kind::VendorQuote, "vq1").await;
    assert_eq!(derived_list(&quote, "orderIds"), ["vo1"]);
    let replaced = get(&*store, "t", Kind::VendorOrder, "vo0").await;
    assert_eq!(derived_list(&replaced, "replacementOrderIds"), ["vo1"]);
}

#[tokio::test]
async fn children_are_listed_by_creation_then_id() {
    let (store, _dir) = fresh_store().await;
    put(&*store, "t", &order("o1", "c1", DAY)).await;
    for (id, created_at) in [
        ("r3", "2024-01-03T00:00:00"),
        ("r2", "2024-01-01T00:00:00"),
        ("r1", "2024-01-03T00:00:00"),
    ] {
        let child = with(
            return_of(id, "c1", DAY, "o1"),
            "createdAt",
            json!(created_at),
        );
        put(&*store, "t", &child).await;
    }

    let parent = get(&*store, "t", Kind::Order, "o1").await;
    assert_eq!(derived_list(&parent, "returnIds"), ["r2", "r1", "r3"]);
}

#[tokio::test]
async fn a_customer_scope_lists_only_its_customers_children() {
    let (store, _dir) = fresh_store().await;
    put(&*store, "t", &order("o1", "c1", DAY)).await;
    put(&*store, "t", &return_of("mine", "c1", DAY, "o1")).await;
    put(&*store, "t", &return_of("theirs", "c2", DAY, "o1")).await;

    let as_customer = store
        .get(customer("t", "c1"), Kind::Order, "o1")
        .await
        .unwrap()
        .expect("the customer's own order");
    let listed = store
        .list(customer("t", "c1"), Kind::Order, &ListQuery::default())
        .await
        .unwrap();
    let relations = store
        .customer_documents(customer("t", "c1"), "c1")
        .await
        .unwrap();
    let as_tenant = get(&*store, "t", Kind::Order, "o1").await;

    assert_eq!(derived_list(&as_customer, "returnIds"), ["mine"]);
    assert_eq!(derived_list(&listed[0], "returnIds"), ["mine"]);
    let order = relations.iter().find(|d| d.kind == Kind::Order).unwrap();
    assert_eq!(derived_list(order, "returnIds"), ["mine"]);
    // Links join documents of one customer only: the tenant does not see "theirs" either.
    assert_eq!(derived_list(&as_tenant, "returnIds"), ["mine"]);
}

#[tokio::test]
async fn an_order_fills_each_of_its_lists_from_the_matching_child_kind() {
    let (store, _dir) = fresh_store().await;
    put(&*store, "t", &order("o1", "c1", DAY)).await;
    let replacement = with(order("o2", "c1", DAY), "replacementForOrderId", json!("o1"));
    let vendor_order = with(
        document(Kind::VendorOrder, "vo1", "c1", DAY),
        "customerOrderId",
        json!("o1"),
    );
    for value in [return_of("r1", "c1", DAY, "o1"), vendor_order, replacement] {
        put(&*store, "t", &value).await;
    }

    let parent = get(&*store, "t", Kind::Order, "o1").await;

    assert_eq!(derived_list(&parent, "replacementOrderIds"), ["o2"]);
    assert_eq!(derived_list(&parent, "returnIds"), ["r1"]);
    assert_eq!(derived_list(&parent, "vendorOrderIds"), ["vo1"]);
    assert_eq!(
        parent.derived.lists,
        [
            vec!["o2".to_owned()],
            vec!["r1".to_owned()],
            vec!["vo1".to_owned()]
        ]
    );
}

#[tokio::test]
async fn a_child_that_changes_customer_moves_between_customer_scoped_lists() {
    let (store, _dir) = fresh_store().await;
    put(&*store, "t", &order("o1", "c1", DAY)).await;
    put(&*store, "t", &return_of("r1", "c2", DAY, "o1")).await;
    let before = get(&*store, "t", Kind::Order, "o1").await.revision;

    put(&*store, "t", &return_of("r1", "c1", DAY, "o1")).await;

    let as_customer = store
        .get(customer("t", "c1"), Kind::Order, "o1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(derived_list(&as_customer, "returnIds"), ["r1"]);
    // What a customer key sees changed: the parent needs a new ETag.
    assert!(as_customer.revision > before);
}

#[tokio::test]
async fn links_do_not_cross_tenants() {
    let (store, _dir) = fresh_store().await;
    put(&*store, "a", &order("o1", "c1", DAY)).await;
    let before = get(&*store, "a", Kind::Order, "o1").await.revision;

    put(&*store, "b", &return_of("r1", "c1", DAY, "o1")).await;

    let parent = get(&*store, "a", Kind::Order, "o1").await;
    assert!(derived_list(&parent, "returnIds").is_empty());
    assert_eq!(parent.revision, before);
}

#[test]
fn a_document_cannot_be_its_own_parent() {
    let own_replacement = with(order("o1", "c1", DAY), "replacementForOrderId", json!("o1"));
    let expect = Expect {
        kind: None,
        id: None,
        now: Timestamp::now(),
    };
    let problems = ordo_model::ingest(&own_replacement, expect).unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].field, "replacementForOrderId");
}

#[tokio::test]
async fn a_link_never_joins_documents_of_two_customers() {
    let (store, _dir) = fresh_store().await;
    put(&*store, "t", &order("o1", "c1", DAY)).await;
    let before = get(&*store, "t", Kind::Order, "o1").await.revision;

    // Another customer's return names c1's order: the order neither lists it nor changes.
    put(&*store, "t", &return_of("r1", "c2", DAY, "o1")).await;
    let parent = get(&*store, "t", Kind::Order, "o1").await;
    assert!(derived_list(&parent, "returnIds").is_empty());
    assert_eq!(
        parent.revision, before,
        "the order's revision (its ETag) moved"
    );

    // A return stored first, its parent arriving later under another customer: no link.
    put(&*store, "t", &return_of("r2", "c3", DAY, "o2")).await;
    put(&*store, "t", &order("o2", "c1", DAY)).await;
    let late = get(&*store, "t", Kind::Order, "o2").await;
    assert!(derived_list(&late, "returnIds").is_empty());
    let pages = store
        .list(
            ordo_store::Scope::tenant("t"),
            Kind::Order,
            &ListQuery::default(),
        )
        .await
        .unwrap();
    assert!(
        pages
            .iter()
            .all(|d| derived_list(d, "returnIds").is_empty())
    );
}

#[tokio::test]
async fn a_vendor_order_of_the_merchants_own_account_still_joins_the_customers_order() {
    let (store, _dir) = fresh_store().await;
    put(&*store, "t", &order("o1", "c1", DAY)).await;
    let before = get(&*store, "t", Kind::Order, "o1").await.revision;
    let vendor_order = with(
        document(Kind::VendorOrder, "vo1", "merchant-at-vendor", DAY),
        "customerOrderId",
        json!("o1"),
    );
    put(&*store, "t", &vendor_order).await;

    let parent = get(&*store, "t", Kind::Order, "o1").await;
    assert_eq!(derived_list(&parent, "vendorOrderIds"), ["vo1"]);
    assert!(
        parent.revision > before,
        "the order's lists changed: a new ETag"
    );
}
