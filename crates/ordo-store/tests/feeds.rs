//! Whole-set reads: a customer's documents (the relations endpoint) and the change feed.

mod common;

use std::collections::HashSet;

use common::*;
use ordo_model::Kind;
use ordo_store::{Scope, Store, StoredDoc};
use serde_json::json;

#[tokio::test]
async fn customer_documents_are_ordered_by_kind_then_updated_at_then_id() {
    let (store, _dir) = fresh_store().await;
    // Written out of order, with a tie on updatedAt, and other customers' documents between.
    let writes = [
        document(Kind::VendorReturn, "vr1", "c1", "2024-01-01T00:00:00"),
        document(Kind::Order, "o2", "c1", "2024-01-02T00:00:00"),
        document(Kind::Order, "o9", "c2", "2024-01-02T00:00:00"),
        document(Kind::Quote, "q1", "c1", "2024-01-05T00:00:00"),
        document(Kind::Order, "o3", "c1", "2024-01-01T00:00:00"),
        document(Kind::Order, "o1", "c1", "2024-01-02T00:00:00"),
        document(Kind::VendorOrder, "vo1", "c1", "2024-01-01T00:00:00"),
        document(Kind::Return, "r1", "c1", "2024-01-03T00:00:00"),
        document(Kind::VendorQuote, "vq1", "c1", "2024-01-01T00:00:00"),
        document(Kind::Quote, "q0", "c1", "2024-01-04T00:00:00"),
        document(Kind::Return, "r9", "c2", "2024-01-03T00:00:00"),
    ];
    for value in &writes {
        put(&*store, "t", value).await;
    }
    put(&*store, "other", &order("o4", "c1", "2024-01-01T00:00:00")).await;

    let docs = store.customer_documents(tenant("t"), "c1").await.unwrap();

    let got: Vec<(Kind, &str)> = docs.iter().map(|d| (d.kind, d.id.as_str())).collect();
    assert_eq!(
        got,
        [
            (Kind::Quote, "q0"),
            (Kind::Quote, "q1"),
            (Kind::Order, "o3"),
            (Kind::Order, "o1"),
            (Kind::Order, "o2"),
            (Kind::Return, "r1"),
            (Kind::VendorQuote, "vq1"),
            (Kind::VendorOrder, "vo1"),
            (Kind::VendorReturn, "vr1"),
        ]
    );
    for doc in &docs {
        let value = writes
            .iter()
            .find(|v| v["kind"] == doc.kind.path() && v[doc.kind.id_field()] == doc.id.as_str());
        assert_eq!(doc.body, ingested(value.unwrap()).document.to_stored_json());
    }
}

#[tokio::test]
async fn customer_documents_carry_their_derived_lists() {
    let (store, _dir) = fresh_store().await;
    put(&*store, "t", &quote("q1", "c1", "2024-01-01T00:00:00")).await;
    let child = with(
        order("o1", "c1", "2024-01-02T00:00:00"),
        "parentQuoteId",
        json!("q1"),
    );
    put(&*store, "t", &child).await;
    put(
        &*store,
        "t",
        &return_of("r1", "c1", "2024-01-03T00:00:00", "o1"),
    )
    .await;

    let docs = store.customer_documents(tenant("t"), "c1").await.unwrap();

    assert_eq!(ids(&docs), ["q1", "o1", "r1"]);
    assert_eq!(derived_list(&docs[0], "orderIds"), ["o1"]);
    assert_eq!(derived_list(&docs[1], "returnIds"), ["r1"]);
}

#[tokio::test]
async fn customer_documents_of_another_customer_are_empty_for_a_customer_scope() {
    let (store, _dir) = fresh_store().await;
    put(&*store, "t", &order("o1", "c1", "2024-01-01T00:00:00")).await;
    put(&*store, "t", &order("o2", "c2", "2024-01-01T00:00:00")).await;

    let own = store
        .customer_documents(customer("t", "c1"), "c1")
        .await
        .unwrap();
    let other = store
        .customer_documents(customer("t", "c1"), "c2")
        .await
        .unwrap();
    let unknown = store
        .customer_documents(tenant("t"), "nobody")
        .await
        .unwrap();

    assert_eq!(ids(&own), ["o1"]);
    assert!(other.is_empty(), "{other:?}");
    assert!(unknown.is_empty(), "{unknown:?}");
}

#[tokio::test]
async fn changes_page_through_every_document_once_in_revision_order() {
    let (store, _dir) = fresh_store().await;
    let mut expected = HashSet::new();
    for i in 0..7 {
        let id = format!("o{i}");
        put(&*store, "t", &order(&id, "c1", "2024-01-01T00:00:00")).await;
        expected.insert((Kind::Order, id));
    }
    // Replacements and link bumps move documents to the end of the feed: still once each.
    put(&*store, "t", &order("o2", "c1", "2024-02-01T00:00:00")).await;
    put(
        &*store,
        "t",
        &return_of("r1", "c1", "2024-01-01T00:00:00", "o0"),
    )
    .await;
    expected.insert((Kind::Return, "r1".to_owned()));
    put(&*store, "t", &quote("o1", "c1", "2024-01-01T00:00:00")).await;
    expected.insert((Kind::Quote, "o1".to_owned()));
    put(&*store, "other", &order("x", "c1", "2024-01-01T00:00:00")).await;

    let mut seen = Vec::new();
    let mut after = 0;
    let mut pages = 0;
    loop {
        let page = store.changes("t", after, 3).await.unwrap();
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 3);
        pages += 1;
        for doc in page {
            assert!(doc.revision > after, "{} after {after}", doc.revision);
            after = doc.revision;
            // Each entry is the document as it is now.
            assert_eq!(get(&*store, "t", doc.kind, &doc.id).await, doc);
            seen.push((doc.kind, doc.id));
        }
    }

    let distinct: HashSet<(Kind, String)> = seen.iter().cloned().collect();
    assert_eq!(
        distinct.len(),
        seen.len(),
        "a document came twice: {seen:?}"
    );
    assert_eq!(distinct, expected);
    assert_eq!(pages, expected.len().div_ceil(3));
    // The parent bumped by r1 comes after it; the replaced o2 after the first writes.
    let position = |kind: Kind, id: &str| seen.iter().position(|(k, i)| *k == kind && i == id);
    assert!(position(Kind::Order, "o0") > position(Kind::Return, "r1"));
    assert!(position(Kind::Order, "o2") > position(Kind::Order, "o6"));
}

#[tokio::test]
async fn changes_after_the_last_revision_are_empty() {
    let (store, _dir) = fresh_store().await;
    let last = put(&*store, "t", &order("o1", "c1", "2024-01-01T00:00:00"))
        .await
        .revision();

    assert!(store.changes("t", last, 10).await.unwrap().is_empty());
    assert_eq!(
        ids(&store.changes("t", last - 1, 10).await.unwrap()),
        ["o1"]
    );
    assert!(store.changes("t", 0, 0).await.unwrap().is_empty());
}

/// All batches of a read, in order, or the first error.
async fn batches(store: &dyn Store, scope: Scope<'_>, customer_id: &str) -> Vec<Vec<StoredDoc>> {
    let mut batches = store
        .customer_document_batches(scope, customer_id)
        .await
        .unwrap();
    let mut all = Vec::new();
    while let Some(batch) = batches.next().await {
        all.push(batch.unwrap());
    }
    all
}

#[tokio::test]
async fn a_large_customer_comes_in_batches_that_add_up_to_the_whole_read() {
    let (store, _dir) = fresh_store().await;
    // Enough documents for several batches, every kind, and links that cross batches.
    let mut docs = Vec::new();
    for i in 0..700 {
        let day = format!("2024-01-{:02}T00:00:{:02}", 1 + i % 28, i % 60);
        docs.push(ingested(&quote(&format!("q{i}"), "c1", &day)));
        let child = with(
            order(&format!("o{i}"), "c1", &day),
            "parentQuoteId",
            json!(format!("q{i}")),
        );
        docs.push(ingested(&child));
        if i % 3 == 0 {
            docs.push(ingested(&return_of(
                &format!("r{i}"),
                "c1",
                &day,
                &format!("o{i}"),
            )));
        }
    }
    docs.push(ingested(&document(
        Kind::VendorReturn,
        "vr1",
        "c1",
        "2024-02-01T00:00:00",
    )));
    docs.push(ingested(&order("other", "c2", "2024-01-01T00:00:00")));
    store.put_many("t", docs).await.unwrap();

    let whole = store.customer_documents(tenant("t"), "c1").await.unwrap();
    let parts = batches(&*store, tenant("t"), "c1").await;

    assert!(parts.len() > 1, "{} batch(es)", parts.len());
    let joined: Vec<StoredDoc> = parts.into_iter().flatten().collect();
    assert_eq!(joined, whole);
    assert_eq!(whole.len(), 700 + 700 + 234 + 1);
    let o5 = whole.iter().find(|d| d.id == "o5").unwrap();
    assert_eq!(derived_list(o5, "returnIds"), Vec::<String>::new());
    let o6 = whole.iter().find(|d| d.id == "o6").unwrap();
    assert_eq!(derived_list(o6, "returnIds"), ["r6"]);
}

#[tokio::test]
async fn batches_are_empty_for_nobody_and_for_another_customer_s_key() {
    let (store, _dir) = fresh_store().await;
    put(&*store, "t", &order("o1", "c1", "2024-01-01T00:00:00")).await;

    assert_eq!(batches(&*store, customer("t", "c1"), "c1").await.len(), 1);
    assert!(batches(&*store, customer("t", "c1"), "c2").await.is_empty());
    assert!(batches(&*store, tenant("t"), "nobody").await.is_empty());
    assert!(batches(&*store, tenant("other"), "c1").await.is_empty());
}
