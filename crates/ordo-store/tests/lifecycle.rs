//! Deletes, customer erasure and the change feed with its tombstones, on either backend.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use ordo_model::Kind;
use ordo_store::{Change, Erased, NewKey, Precondition, StoreError};

const DAY: &str = "2024-01-02T00:00:00";

fn summary(changes: &[Change]) -> Vec<(i64, &str, bool)> {
    changes
        .iter()
        .map(|c| (c.revision(), c.id(), matches!(c, Change::Delete { .. })))
        .collect()
}

#[tokio::test]
async fn a_deleted_document_is_gone_and_leaves_a_tombstone_in_the_feed() {
    let (store, _dir) = fresh_store().await;
    let kept = put(&*store, "t", &order("o1", "c1", DAY)).await.revision();
    put(&*store, "t", &order("o2", "c1", DAY)).await;

    let revision = store
        .delete(tenant("t"), Kind::Order, "o2", Precondition::None)
        .await
        .unwrap();

    assert!(
        store
            .get(tenant("t"), Kind::Order, "o2")
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(ids(&store.changes("t", 0, 100).await.unwrap()), ["o1"]);
    let feed = store.feed("t", 0, 100).await.unwrap();
    assert_eq!(
        summary(&feed),
        [(kept, "o1", false), (revision, "o2", true)]
    );
    assert_eq!(
        feed[1],
        Change::Delete {
            kind: Kind::Order,
            id: "o2".into(),
            revision
        }
    );
    // Paging after the put shows the delete alone; after the delete, nothing.
    assert_eq!(
        summary(&store.feed("t", kept, 100).await.unwrap()),
        [(revision, "o2", true)]
    );
    assert!(store.feed("t", revision, 100).await.unwrap().is_empty());
}

#[tokio::test]
async fn deleting_what_is_not_there_is_not_found() {
    let (store, _dir) = fresh_store().await;
    put(&*store, "t", &order("o1", "c1", DAY)).await;
    for (scope, kind, id) in [
        (tenant("t"), Kind::Order, "nope"),
        (tenant("t"), Kind::Quote, "o1"),
        (tenant("other"), Kind::Order, "o1"),
        (customer("t", "c2"), Kind::Order, "o1"),
    ] {
        let result = store.delete(scope, kind, id, Precondition::None).await;
        assert!(
            matches!(result, Err(StoreError::NotFound)),
            "{scope:?} {id}: {result:?}"
        );
    }
    assert!(
        store
            .get(tenant("t"), Kind::Order, "o1")
            .await
            .unwrap()
            .is_some()
    );
    // The document's own customer may.
    store
        .delete(customer("t", "c1"), Kind::Order, "o1", Precondition::None)
        .await
        .unwrap();
    let again = store
        .delete(tenant("t"), Kind::Order, "o1", Precondition::None)
        .await;
    assert!(matches!(again, Err(StoreError::NotFound)));
}

#[tokio::test]
async fn a_stale_if_match_deletes_nothing() {
    let (store, _dir) = fresh_store().await;
    let first = put(&*store, "t", &order("o1", "c1", DAY)).await.revision();
    let second = put(&*store, "t", &order("o1", "c1", "2024-01-03T00:00:00"))
        .await
        .revision();

    let stale = store
        .delete(
            tenant("t"),
            Kind::Order,
            "o1",
            Precondition::Revision(first),
        )
        .await;

    assert!(
        matches!(stale, Err(StoreError::Conflict { current_revision: Some(r) }) if r == second),
        "{stale:?}"
    );
    assert_eq!(get(&*store, "t", Kind::Order, "o1").await.revision, second);
    assert_eq!(store.feed("t", second, 10).await.unwrap(), []);
    store
        .delete(
            tenant("t"),
            Kind::Order,
            "o1",
            Precondition::Revision(second),
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn a_delete_takes_the_child_out_of_its_parents_lists_and_bumps_them() {
    let (store, _dir) = fresh_store().await;
    put(&*store, "t", &order("o1", "c1", DAY)).await;
    put(&*store, "t", &return_of("r1", "c1", DAY, "o1")).await;
    put(&*store, "t", &return_of("r2", "c1", DAY, "o1")).await;
    let before = get(&*store, "t", Kind::Order, "o1").await;
    assert_eq!(derived_list(&before, "returnIds"), ["r1", "r2"]);

    let revision = store
        .delete(tenant("t"), Kind::Return, "r1", Precondition::None)
        .await
        .unwrap();

    let after = get(&*store, "t", Kind::Order, "o1").await;
    assert_eq!(derived_list(&after, "returnIds"), ["r2"]);
    assert!(after.revision > before.revision);
    let feed = store.feed("t", before.revision, 10).await.unwrap();
    let mut seen: Vec<&str> = feed.iter().map(Change::id).collect();
    seen.sort_unstable();
    assert_eq!(seen, ["o1", "r1"]);
    assert!(feed.iter().any(|c| c.revision() == revision));
}

#[tokio::test]
async fn a_deleted_parent_recreated_is_new_and_lists_its_children_again() {
    let (store, _dir) = fresh_store().await;
    put(&*store, "t", &order("o1", "c1", DAY)).await;
    put(&*store, "t", &return_of("r1", "c1", DAY, "o1")).await;
    store
        .delete(tenant("t"), Kind::Order, "o1", Precondition::None)
        .await
        .unwrap();
    // The child still names its parent; nothing lists it.
    let child = get(&*store, "t", Kind::Return, "r1").await;
    assert_eq!(rendered(&child)["parentOrderId"], "o1");

    let created = put(&*store, "t", &order("o1", "c1", DAY)).await;

    assert!(matches!(created, ordo_store::PutOutcome::Created { .. }));
    let parent = get(&*store, "t", Kind::Order, "o1").await;
    assert_eq!(derived_list(&parent, "returnIds"), ["r1"]);
    // The feed holds the document once, as a put: its tombstone went.
    let feed = store.feed("t", 0, 100).await.unwrap();
    let o1: Vec<_> = feed.iter().filter(|c| c.id() == "o1").collect();
    assert_eq!(o1.len(), 1);
    assert!(matches!(o1[0], Change::Put(_)));
}

#[tokio::test]
async fn the_feed_pages_documents_and_tombstones_in_revision_order() {
    let (store, _dir) = fresh_store().await;
    for n in 0..10 {
        put(&*store, "t", &order(&format!("o{n}"), "c1", DAY)).await;
    }
    for n in (0..10).step_by(3) {
        store
            .delete(
                tenant("t"),
                Kind::Order,
                &format!("o{n}"),
                Precondition::None,
            )
            .await
            .unwrap();
    }
    let all = store.feed("t", 0, 1000).await.unwrap();
    let mut paged = Vec::new();
    let mut after = 0;
    loop {
        let page = store.feed("t", after, 3).await.unwrap();
        assert!(page.len() <= 3);
        let Some(last) = page.last() else { break };
        after = last.revision();
        paged.extend(page);
    }
    assert_eq!(paged, all);
    assert!(all.windows(2).all(|w| w[0].revision() < w[1].revision()));
    assert_eq!(
        all.iter()
            .filter(|c| matches!(c, Change::Delete { .. }))
            .count(),
        4
    );
    assert_eq!(all.len(), 10);
}

#[tokio::test]
async fn erasing_a_customer_removes_its_documents_and_revokes_its_keys() {
    let (store, _dir) = fresh_store().await;
    put(&*store, "t", &order("o1", "c1", DAY)).await;
    put(&*store, "t", &return_of("r1", "c1", DAY, "o1")).await;
    put(&*store, "t", &quote("q1", "c1", DAY)).await;
    put(&*store, "t", &order("o2", "c2", DAY)).await;
    put(&*store, "u", &order("o1", "c1", DAY)).await;
    let key = |tenant: &str, customer: Option<&str>| NewKey {
        tenant: tenant.into(),
        name: None,
        scopes: vec!["orders:read".into()],
        customer_id: customer.map(str::to_owned),
        rate_limit: None,
    };
    let (limited, _) = store.create_key(key("t", Some("c1"))).await.unwrap();
    let (other, _) = store.create_key(key("t", Some("c2"))).await.unwrap();
    let (elsewhere, _) = store.create_key(key("u", Some("c1"))).await.unwrap();

    let erased = store.erase_customer("t", "c1").await.unwrap();

    assert_eq!(
        erased,
        Erased {
            documents: 3,
            keys: 1
        }
    );
    assert!(
        store
            .customer_documents(tenant("t"), "c1")
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .customer_documents(tenant("u"), "c1")
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(ids(&store.changes("t", 0, 100).await.unwrap()), ["o2"]);
    assert!(store.find_key(&limited.id).await.unwrap().unwrap().revoked);
    assert!(!store.find_key(&other.id).await.unwrap().unwrap().revoked);
    assert!(
        !store
            .find_key(&elsewhere.id)
            .await
            .unwrap()
            .unwrap()
            .revoked
    );
    let tombstones = store
        .feed("t", 0, 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| matches!(c, Change::Delete { .. }))
        .count();
    assert_eq!(tombstones, 3);
    // Again: nothing left to remove.
    assert_eq!(
        store.erase_customer("t", "c1").await.unwrap(),
        Erased::default()
    );
}

#[tokio::test]
async fn a_commit_wakes_a_waiting_signal() {
    let (store, _dir) = fresh_store().await;
    let mut signal = store.change_signal();
    let writer = Arc::clone(&store);
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(50)).await;
        put(&*writer, "t", &order("o1", "c1", DAY)).await;
    });
    tokio::time::timeout(Duration::from_secs(5), signal.changed())
        .await
        .expect("woken by the commit");
}

#[tokio::test]
async fn the_feed_never_skips_or_repeats_under_concurrent_writers_and_deletes() {
    let (store, _dir) = fresh_store().await;
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                for n in 0..30 {
                    let id = format!("o{w}-{}", n % 7);
                    if n % 4 == 3 {
                        let _ = store
                            .delete(tenant("t"), Kind::Order, &id, Precondition::None)
                            .await;
                    } else {
                        put(&*store, "t", &order(&id, &format!("c{}", n % 3), DAY)).await;
                    }
                }
            })
        })
        .collect();
    // Follow while they write: the reconstruction must end equal to the final state.
    let mut state = std::collections::BTreeMap::new();
    let mut after = 0;
    let mut revisions = std::collections::HashSet::new();
    let mut done = false;
    loop {
        let finished = writers.iter().all(tokio::task::JoinHandle::is_finished);
        let page = store.feed("t", after, 5).await.unwrap();
        for change in &page {
            assert!(change.revision() > after);
            assert!(
                revisions.insert(change.revision()),
                "repeated {}",
                change.revision()
            );
            after = change.revision();
            match change {
                Change::Put(doc) => state.insert(doc.id.clone(), doc.body.clone()),
                Change::Delete { id, .. } => state.remove(id),
            };
        }
        if page.is_empty() {
            if done {
                break;
            }
            done = finished;
            tokio::task::yield_now().await;
        }
    }
    for writer in writers {
        writer.await.unwrap();
    }
    let truth: std::collections::BTreeMap<String, String> = store
        .changes("t", 0, 10_000)
        .await
        .unwrap()
        .into_iter()
        .map(|d| (d.id, d.body))
        .collect();
    assert_eq!(state, truth);
}
