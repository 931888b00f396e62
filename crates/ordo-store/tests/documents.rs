//! Writing and reading single documents: stored bodies, outcomes, revisions, preconditions,
//! batches and concurrent writers.

mod common;

use common::*;
use ordo_model::{Kind, ListQuery, Timestamp};
use ordo_store::{Precondition, PutOptions, PutOutcome, StoreError};
use serde_json::json;

#[tokio::test]
async fn put_then_get_returns_the_stored_json_of_the_document() {
    let (store, _dir) = fresh_store().await;
    let value = rich_order("1001", "c1");
    let doc = ingested(&value);
    let expected = doc.document.to_stored_json();

    let outcome = store
        .put(tenant("t"), doc, PutOptions::default())
        .await
        .unwrap();

    let stored = get(&*store, "t", Kind::Order, "1001").await;
    assert_eq!(stored.body, expected);
    assert_eq!((stored.kind, stored.id.as_str()), (Kind::Order, "1001"));
    assert_eq!(stored.revision, outcome.revision());
    assert_eq!(stored.derived.lists, vec![Vec::<String>::new(); 3]);
    // The exact decimals and texts come back as written.
    let body: serde_json::Value = serde_json::from_str(&stored.body).unwrap();
    assert_eq!(body["total"].to_string(), "1234.5678");
    assert_eq!(body["customerNotes"], "Leave at the door — ünïcödé");
    assert_eq!(body["updatedAt"], "2024-02-03T04:05:06");
}

#[tokio::test]
async fn get_of_an_unknown_document_is_none() {
    let (store, _dir) = fresh_store().await;
    put(&*store, "t", &order("1", "c1", "2024-01-01T00:00:00")).await;

    let missing = store.get(tenant("t"), Kind::Order, "2").await.unwrap();
    let other_kind = store.get(tenant("t"), Kind::Return, "1").await.unwrap();

    assert_eq!(missing, None);
    assert_eq!(other_kind, None);
}

#[tokio::test]
async fn writes_report_created_replaced_and_unchanged() {
    let (store, _dir) = fresh_store().await;
    let first = order("1", "c1", "2024-01-01T00:00:00");
    let changed = with(first.clone(), "status", json!("Shipped"));

    let created = put(&*store, "t", &first).await;
    let same = put(&*store, "t", &first).await;
    let replaced = put(&*store, "t", &changed).await;
    let same_again = put(&*store, "t", &changed).await;

    assert!(matches!(created, PutOutcome::Created { .. }), "{created:?}");
    assert_eq!(
        same,
        PutOutcome::Unchanged {
            revision: created.revision()
        }
    );
    assert!(
        matches!(replaced, PutOutcome::Replaced { .. }),
        "{replaced:?}"
    );
    assert!(replaced.revision() > created.revision());
    assert_eq!(
        same_again,
        PutOutcome::Unchanged {
            revision: replaced.revision()
        }
    );
    let stored = get(&*store, "t", Kind::Order, "1").await;
    assert_eq!(stored.revision, replaced.revision());
    assert_eq!(stored.body, ingested(&changed).document.to_stored_json());
}

#[tokio::test]
async fn revisions_increase_per_tenant_independently_of_other_tenants() {
    let (store, _dir) = fresh_store().await;
    let (alone, _alone_dir) = fresh_store().await;
    let mut a = Vec::new();
    let mut b = Vec::new();
    let mut b_alone = Vec::new();

    for i in 0..5 {
        let value = order(&format!("o{i}"), "c1", "2024-01-01T00:00:00");
        a.push(put(&*store, "a", &value).await.revision());
        a.push(
            put(&*store, "a", &with(value.clone(), "status", json!("x")))
                .await
                .revision(),
        );
        b.push(put(&*store, "b", &value).await.revision());
        b_alone.push(put(&*alone, "b", &value).await.revision());
    }

    assert!(a.windows(2).all(|w| w[0] < w[1]), "{a:?}");
    assert!(b.windows(2).all(|w| w[0] < w[1]), "{b:?}");
    // Tenant a's ten writes do not show in tenant b's revisions.
    assert_eq!(b, b_alone);
    assert_eq!(b[0], a[0]);
}

#[tokio::test]
async fn resending_without_updated_at_keeps_the_stored_updated_at() {
    let (store, _dir) = fresh_store().await;
    let value = order("1", "c1", "2023-05-06T07:08:09Z");
    let first = put(&*store, "t", &value).await;
    let before = get(&*store, "t", Kind::Order, "1").await;

    let again = put(&*store, "t", &without(value, "updatedAt")).await;

    assert_eq!(
        again,
        PutOutcome::Unchanged {
            revision: first.revision()
        }
    );
    let after = get(&*store, "t", Kind::Order, "1").await;
    assert_eq!(after, before);
}

#[tokio::test]
async fn a_changed_document_without_updated_at_gets_the_time_of_the_write() {
    let (store, _dir) = fresh_store().await;
    let value = order("1", "c1", "2023-05-06T07:08:09Z");
    let first = put(&*store, "t", &value).await;
    let start = Timestamp::now();

    let changed = with(without(value, "updatedAt"), "status", json!("Shipped"));
    let outcome = put(&*store, "t", &changed).await;

    assert_eq!(
        outcome,
        PutOutcome::Replaced {
            revision: outcome.revision()
        },
        "{outcome:?}"
    );
    assert!(outcome.revision() > first.revision());
    let stored = get(&*store, "t", Kind::Order, "1").await;
    let body: serde_json::Value = serde_json::from_str(&stored.body).unwrap();
    let updated_at = at(body["updatedAt"].as_str().unwrap());
    assert!(
        updated_at >= start,
        "{updated_at} is before the write at {start}"
    );
    assert_eq!(body["status"], "Shipped");
}

#[tokio::test]
async fn a_stale_revision_precondition_is_a_conflict_and_changes_nothing() {
    let (store, _dir) = fresh_store().await;
    let value = order("1", "c1", "2024-01-01T00:00:00");
    let first = put(&*store, "t", &value).await.revision();
    let second = put(&*store, "t", &with(value.clone(), "status", json!("B")))
        .await
        .revision();
    let before = get(&*store, "t", Kind::Order, "1").await;

    let stale = PutOptions {
        precondition: Precondition::Revision(first),
        ..PutOptions::default()
    };
    let result = store
        .put(
            tenant("t"),
            ingested(&with(value.clone(), "status", json!("C"))),
            stale,
        )
        .await;

    assert!(
        matches!(result, Err(StoreError::Conflict { current_revision: Some(r) }) if r == second),
        "{result:?}"
    );
    assert_eq!(get(&*store, "t", Kind::Order, "1").await, before);
    let feed = store.changes("t", 0, 100).await.unwrap();
    assert_eq!(feed.last().map(|d| d.revision), Some(second));
}

#[tokio::test]
async fn the_current_revision_precondition_replaces() {
    let (store, _dir) = fresh_store().await;
    let value = order("1", "c1", "2024-01-01T00:00:00");
    let first = put(&*store, "t", &value).await.revision();

    let current = PutOptions {
        precondition: Precondition::Revision(first),
        ..PutOptions::default()
    };
    let changed = with(value, "status", json!("C"));
    let outcome = store
        .put(tenant("t"), ingested(&changed), current)
        .await
        .unwrap();

    assert!(matches!(outcome, PutOutcome::Replaced { revision } if revision > first));
    let stored = get(&*store, "t", Kind::Order, "1").await;
    assert_eq!(stored.body, ingested(&changed).document.to_stored_json());
}

#[tokio::test]
async fn a_revision_precondition_on_a_missing_document_is_a_conflict_without_revision() {
    let (store, _dir) = fresh_store().await;
    let options = PutOptions {
        precondition: Precondition::Revision(1),
        ..PutOptions::default()
    };

    let result = store
        .put(
            tenant("t"),
            ingested(&order("1", "c1", "2024-01-01T00:00:00")),
            options,
        )
        .await;

    assert!(
        matches!(
            result,
            Err(StoreError::Conflict {
                current_revision: None
            })
        ),
        "{result:?}"
    );
    assert_eq!(
        store.get(tenant("t"), Kind::Order, "1").await.unwrap(),
        None
    );
}

#[tokio::test]
async fn exists_and_absent_preconditions_guard_creation_and_replacement() {
    let (store, _dir) = fresh_store().await;
    let value = order("1", "c1", "2024-01-01T00:00:00");
    let options = |precondition| PutOptions {
        precondition,
        ..PutOptions::default()
    };

    let replace_missing = store
        .put(tenant("t"), ingested(&value), options(Precondition::Exists))
        .await;
    let create = store
        .put(tenant("t"), ingested(&value), options(Precondition::Absent))
        .await
        .unwrap();
    let create_again = store
        .put(tenant("t"), ingested(&value), options(Precondition::Absent))
        .await;
    let changed = with(value, "status", json!("Shipped"));
    let replace = store
        .put(
            tenant("t"),
            ingested(&changed),
            options(Precondition::Exists),
        )
        .await
        .unwrap();

    assert!(
        matches!(
            replace_missing,
            Err(StoreError::Conflict {
                current_revision: None
            })
        ),
        "{replace_missing:?}"
    );
    assert!(matches!(create, PutOutcome::Created { .. }), "{create:?}");
    assert!(
        matches!(
            create_again,
            Err(StoreError::Conflict { current_revision: Some(r) }) if r == create.revision()
        ),
        "{create_again:?}"
    );
    assert!(
        matches!(replace, PutOutcome::Replaced { .. }),
        "{replace:?}"
    );
    let stored = get(&*store, "t", Kind::Order, "1").await;
    assert_eq!(stored.body, ingested(&changed).document.to_stored_json());
}

#[tokio::test]
async fn put_many_stores_every_document_and_reports_each() {
    let (store, _dir) = fresh_store().await;
    put(&*store, "t", &order("old", "c1", "2024-01-01T00:00:00")).await;
    let old_same = order("old", "c1", "2024-01-01T00:00:00");
    let a = order("a", "c1", "2024-01-02T00:00:00");
    let a_changed = with(a.clone(), "status", json!("Shipped"));
    let b = quote("b", "c2", "2024-01-03T00:00:00");
    let batch = [&a, &b, &old_same, &a_changed, &a_changed];

    let outcomes = store
        .put_many("t", batch.iter().map(|v| ingested(v)).collect())
        .await
        .unwrap();

    assert_eq!(outcomes.len(), batch.len());
    assert!(
        matches!(outcomes[0], PutOutcome::Created { .. }),
        "{outcomes:?}"
    );
    assert!(
        matches!(outcomes[1], PutOutcome::Created { .. }),
        "{outcomes:?}"
    );
    assert!(
        matches!(outcomes[2], PutOutcome::Unchanged { .. }),
        "{outcomes:?}"
    );
    assert!(
        matches!(outcomes[3], PutOutcome::Replaced { .. }),
        "{outcomes:?}"
    );
    assert_eq!(
        outcomes[4],
        PutOutcome::Unchanged {
            revision: outcomes[3].revision()
        }
    );
    assert!(outcomes[0].revision() < outcomes[1].revision());
    assert!(outcomes[1].revision() < outcomes[3].revision());
    let stored_a = get(&*store, "t", Kind::Order, "a").await;
    assert_eq!(
        stored_a.body,
        ingested(&a_changed).document.to_stored_json()
    );
    assert_eq!(stored_a.revision, outcomes[3].revision());
    assert_eq!(
        get(&*store, "t", Kind::Quote, "b").await.revision,
        outcomes[1].revision()
    );
}

#[tokio::test]
async fn put_many_of_nothing_is_nothing() {
    let (store, _dir) = fresh_store().await;

    let outcomes = store.put_many("t", Vec::new()).await.unwrap();

    assert!(outcomes.is_empty());
    assert!(store.changes("t", 0, 10).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writes_get_distinct_revisions_and_all_reach_the_feed() {
    let (store, _dir) = fresh_store().await;
    let mut tasks = Vec::new();
    for i in 0..24 {
        let store = std::sync::Arc::clone(&store);
        tasks.push(tokio::spawn(async move {
            let value = order(&format!("o{i}"), "c1", "2024-01-01T00:00:00");
            let written = put(&*store, "t", &value).await.revision();
            // Reads run beside the writes.
            let page = store
                .list(tenant("t"), Kind::Order, &ListQuery::default())
                .await
                .unwrap();
            assert!(!page.is_empty());
            written
        }));
    }
    let mut revisions = Vec::new();
    for task in tasks {
        revisions.push(task.await.unwrap());
    }

    revisions.sort_unstable();
    revisions.dedup();
    assert_eq!(revisions.len(), 24);
    let feed = store.changes("t", 0, 1000).await.unwrap();
    let feed_revisions: Vec<i64> = feed.iter().map(|d| d.revision).collect();
    assert_eq!(feed_revisions, revisions);
}
