//! What the dialects read: a page chosen from a customer's keys (the customer index, no
//! bodies), documents by id, and the status dictionary kept while it does not change.

mod common;

use common::*;
use ordo_model::{Kind, Phase, StatusEntry};
use ordo_store::{DocKey, Pick, Scope};
use serde_json::json;

fn created(value: serde_json::Value, at: &str) -> serde_json::Value {
    with(value, "createdAt", json!(at))
}

/// Every key, newest first, all of them chosen.
fn newest_first() -> Pick {
    Box::new(|keys: &[DocKey]| {
        let mut chosen: Vec<usize> = (0..keys.len()).collect();
        chosen.sort_by(|&a, &b| {
            (keys[b].created_at, &keys[b].id).cmp(&(keys[a].created_at, &keys[a].id))
        });
        let total = chosen.len();
        (chosen, total)
    })
}

#[tokio::test]
async fn a_pick_sees_the_keys_of_one_customer_and_kind_and_reads_what_it_chooses() {
    let (store, _dir) = fresh_store().await;
    put(
        &*store,
        "a",
        &created(
            order("1", "c1", "2024-02-01T00:00:00"),
            "2024-01-03T00:00:00",
        ),
    )
    .await;
    put(
        &*store,
        "a",
        &created(
            order("2", "c1", "2024-02-01T00:00:00"),
            "2024-01-05T00:00:00",
        ),
    )
    .await;
    put(
        &*store,
        "a",
        &created(
            order("3", "c1", "2024-02-01T00:00:00"),
            "2024-01-05T00:00:00",
        ),
    )
    .await;
    put(&*store, "a", &order("4", "c2", "2024-02-01T00:00:00")).await;
    put(
        &*store,
        "a",
        &return_of("r1", "c1", "2024-02-01T00:00:00", "1"),
    )
    .await;
    put(&*store, "b", &order("5", "c1", "2024-02-01T00:00:00")).await;

    let picked = store
        .customer_pick(tenant("a"), "c1", Kind::Order, newest_first())
        .await
        .unwrap();
    let ids: Vec<&str> = picked.docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["3", "2", "1"], "createdAt, then id, both descending");
    assert_eq!((picked.total, picked.all), (3, 3));
    // The chosen documents come with their derived links.
    let first_order = &picked.docs[2];
    assert_eq!(first_order.derived.lists[1], ["r1"], "returnIds of order 1");

    // Only the chosen bodies are read, in the order chosen.
    let second_only: Pick = Box::new(|keys: &[DocKey]| {
        let at = keys.iter().position(|k| k.id == "2").unwrap();
        (vec![at], 1)
    });
    let picked = store
        .customer_pick(tenant("a"), "c1", Kind::Order, second_only)
        .await
        .unwrap();
    assert_eq!(picked.docs.len(), 1);
    assert_eq!(picked.docs[0].id, "2");
    assert_eq!((picked.total, picked.all), (1, 3));
}

#[tokio::test]
async fn a_pick_is_bounded_by_the_scope() {
    let (store, _dir) = fresh_store().await;
    put(&*store, "a", &order("1", "c1", "2024-02-01T00:00:00")).await;
    let other_customer = Scope {
        customer: Some("c2"),
        ..tenant("a")
    };
    let picked = store
        .customer_pick(other_customer, "c1", Kind::Order, newest_first())
        .await
        .unwrap();
    assert!(picked.docs.is_empty());
    assert_eq!(
        picked.all, 0,
        "another customer's keys are not even counted"
    );
    let picked = store
        .customer_pick(tenant("b"), "c1", Kind::Order, newest_first())
        .await
        .unwrap();
    assert_eq!(picked.all, 0, "nor another tenant's");
}

#[tokio::test]
async fn get_many_keeps_the_order_given_and_leaves_out_what_is_not_there() {
    let (store, _dir) = fresh_store().await;
    put(&*store, "a", &order("1", "c1", "2024-02-01T00:00:00")).await;
    put(&*store, "a", &order("2", "c2", "2024-02-01T00:00:00")).await;
    let ids = ["2".to_owned(), "9".to_owned(), "1".to_owned()];
    let docs = store
        .get_many(tenant("a"), Kind::Order, &ids)
        .await
        .unwrap();
    let got: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(got, ["2", "1"]);
    let only_c1 = Scope {
        customer: Some("c1"),
        ..tenant("a")
    };
    let docs = store.get_many(only_c1, Kind::Order, &ids).await.unwrap();
    let got: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(got, ["1"], "a customer's scope reads only its documents");
}

fn entry(id: &str, name: &str, phase: Phase) -> StatusEntry {
    StatusEntry {
        status_id: id.into(),
        name: name.into(),
        phase,
    }
}

#[tokio::test]
async fn the_kept_dictionary_follows_every_change() {
    let (store, _dir) = fresh_store().await;
    let dictionary = store.status_dictionary(tenant("a")).await.unwrap();
    assert!(dictionary.entries().is_empty());

    store
        .put_statuses("a", vec![entry("7", "Shipped", Phase::Shipped)])
        .await
        .unwrap();
    let dictionary = store.status_dictionary(tenant("a")).await.unwrap();
    assert_eq!(dictionary.phase("7", "Shipped"), Phase::Shipped);

    // Unchanged entries keep the copy; a changed one replaces it.
    store
        .put_statuses("a", vec![entry("7", "Shipped", Phase::Shipped)])
        .await
        .unwrap();
    store
        .put_statuses("a", vec![entry("7", "Shipped", Phase::Open)])
        .await
        .unwrap();
    let dictionary = store.status_dictionary(tenant("a")).await.unwrap();
    assert_eq!(dictionary.phase("7", "Shipped"), Phase::Open);
    // Another tenant's dictionary is its own.
    let other = store.status_dictionary(tenant("b")).await.unwrap();
    assert!(other.entries().is_empty());
}

/// Two stores on one database stand for two instances (or `ordo import` beside the server):
/// a change made through one is seen through the other, whose copy was current before.
#[tokio::test]
async fn a_change_by_another_instance_replaces_the_kept_copy() {
    let (store, fresh) = fresh_store().await;
    let other = ordo_store::open(&fresh.url).await.unwrap();
    store
        .put_statuses("a", vec![entry("7", "Shipped", Phase::Shipped)])
        .await
        .unwrap();
    let kept = other.status_dictionary(tenant("a")).await.unwrap();
    assert_eq!(kept.phase("7", "Shipped"), Phase::Shipped);
    store
        .put_statuses("a", vec![entry("7", "Shipped", Phase::Open)])
        .await
        .unwrap();
    let seen = other.status_dictionary(tenant("a")).await.unwrap();
    assert_eq!(seen.phase("7", "Shipped"), Phase::Open);
}
