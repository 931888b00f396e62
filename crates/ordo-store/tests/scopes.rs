//! Who sees what: every read is bounded by its tenant, and by its customer where the caller
//! has one; a customer key writes only its customer's documents.

mod common;

use common::*;
use ordo_model::{Kind, ListQuery};
use ordo_store::{PutOptions, PutOutcome, StoreError};
use serde_json::json;

#[tokio::test]
async fn a_tenant_never_sees_another_tenants_documents() {
    let (store, _dir) = fresh_store().await;
    put(&*store, "a", &order("1", "c1", "2024-01-01T00:00:00")).await;
    put(
        &*store,
        "a",
        &return_of("r1", "c1", "2024-01-01T00:00:00", "1"),
    )
    .await;

    assert_eq!(
        store.get(tenant("b"), Kind::Order, "1").await.unwrap(),
        None
    );
    let list = store
        .list(tenant("b"), Kind::Order, &ListQuery::default())
        .await
        .unwrap();
    assert!(list.is_empty(), "{list:?}");
    let relations = store.customer_documents(tenant("b"), "c1").await.unwrap();
    assert!(relations.is_empty(), "{relations:?}");
    let feed = store.changes("b", 0, 100).await.unwrap();
    assert!(feed.is_empty(), "{feed:?}");
    // Tenant a still sees its own.
    assert_eq!(store.changes("a", 0, 100).await.unwrap().len(), 2);
}

#[tokio::test]
async fn the_same_id_in_two_tenants_is_two_documents() {
    let (store, _dir) = fresh_store().await;
    let in_a = order("1", "c1", "2024-01-01T00:00:00");
    let in_b = with(in_a.clone(), "status", json!("Other"));

    let a = put(&*store, "a", &in_a).await;
    let b = put(&*store, "b", &in_b).await;

    assert!(matches!(a, PutOutcome::Created { .. }));
    assert!(matches!(b, PutOutcome::Created { .. }));
    assert_eq!(
        get(&*store, "a", Kind::Order, "1").await.body,
        ingested(&in_a).document.to_stored_json()
    );
    assert_eq!(
        get(&*store, "b", Kind::Order, "1").await.body,
        ingested(&in_b).document.to_stored_json()
    );
}

#[tokio::test]
async fn a_customer_scope_does_not_see_another_customers_document() {
    let (store, _dir) = fresh_store().await;
    put(&*store, "t", &order("mine", "c1", "2024-01-01T00:00:00")).await;
    put(&*store, "t", &order("theirs", "c2", "2024-01-01T00:00:00")).await;

    let own = store
        .get(customer("t", "c1"), Kind::Order, "mine")
        .await
        .unwrap();
    let other = store
        .get(customer("t", "c1"), Kind::Order, "theirs")
        .await
        .unwrap();
    let list = store
        .list(customer("t", "c1"), Kind::Order, &ListQuery::default())
        .await
        .unwrap();

    assert_eq!(own.map(|d| d.id), Some("mine".to_owned()));
    assert_eq!(other, None);
    assert_eq!(ids(&list), ["mine"]);
}

#[tokio::test]
async fn only_customer_puts_refuse_another_customers_document() {
    let (store, _dir) = fresh_store().await;
    put(&*store, "t", &order("theirs", "c2", "2024-01-01T00:00:00")).await;
    let before = get(&*store, "t", Kind::Order, "theirs").await;
    let only = PutOptions {
        only_customer: true,
        ..PutOptions::default()
    };

    // A document naming another customer.
    let foreign = store
        .put(
            customer("t", "c1"),
            ingested(&order("new", "c2", "2024-01-01T00:00:00")),
            only,
        )
        .await;
    // A document naming the writer's customer, over one of another customer.
    let takeover = store
        .put(
            customer("t", "c1"),
            ingested(&order("theirs", "c1", "2024-01-02T00:00:00")),
            only,
        )
        .await;
    // Its own.
    let own = store
        .put(
            customer("t", "c1"),
            ingested(&order("mine", "c1", "2024-01-01T00:00:00")),
            only,
        )
        .await;

    assert!(
        matches!(foreign, Err(StoreError::OtherCustomer)),
        "{foreign:?}"
    );
    assert!(
        matches!(takeover, Err(StoreError::OtherCustomer)),
        "{takeover:?}"
    );
    assert!(matches!(own, Ok(PutOutcome::Created { .. })), "{own:?}");
    assert_eq!(
        store.get(tenant("t"), Kind::Order, "new").await.unwrap(),
        None
    );
    assert_eq!(get(&*store, "t", Kind::Order, "theirs").await, before);
}
