//! The relays' feed: revisions replaced by later writes are kept while a relay of the tenant
//! has not passed them, so the relays see every revision once; nothing is kept for a tenant
//! without relays, and what the relays passed is pruned.

use ordo_store::testing::fixtures::{churn, fresh_store, order, put};
use ordo_store::{Change, NewWebhook, Store};

async fn revisions(store: &dyn Store, tenant: &str, after: i64, page: u32) -> Vec<Change> {
    let mut all = Vec::new();
    let mut after = after;
    loop {
        let batch = store.relay_feed(tenant, after, page).await.unwrap();
        let Some(last) = batch.last() else {
            return all;
        };
        after = last.revision();
        all.extend(batch);
    }
}

fn numbers(changes: &[Change]) -> Vec<i64> {
    changes.iter().map(Change::revision).collect()
}

#[tokio::test]
async fn a_tenant_without_relays_keeps_no_replaced_revision() {
    let (store, _fresh) = fresh_store().await;
    let last = churn(store.as_ref(), "t").await;
    let feed = store.feed("t", 0, 1000).await.unwrap();
    assert!((feed.len() as i64) < last, "the feed is compacted");
    assert_eq!(store.relay_feed("t", 0, 1000).await.unwrap(), feed);
}

/// A NATS relay runs on the database (it has a row for another tenant) but has not picked a
/// new tenant up yet: it will start that tenant at 0, so its first revisions are kept.
#[tokio::test]
async fn a_new_tenant_keeps_its_first_revisions_for_a_running_relay() {
    let (store, _fresh) = fresh_store().await;
    assert_eq!(
        store
            .lease_relay("nats", "other", "h", 60_000)
            .await
            .unwrap(),
        Some(0)
    );
    let last = churn(store.as_ref(), "t").await;
    let every: Vec<i64> = (1..=last).collect();
    assert_eq!(
        numbers(&revisions(store.as_ref(), "t", 0, 1000).await),
        every
    );
}

#[tokio::test]
async fn relays_read_every_revision_once_until_all_of_them_passed_it() {
    let (store, _fresh) = fresh_store().await;
    // A NATS relay row at 0, and a webhook of another tenant (not this tenant's relay).
    assert_eq!(
        store.lease_relay("nats", "t", "h", 60_000).await.unwrap(),
        Some(0)
    );
    let (other, _) = store
        .create_webhook(NewWebhook {
            tenant: "u".to_owned(),
            url: "https://example.com/hook".to_owned(),
            kinds: Vec::new(),
            description: None,
        })
        .await
        .unwrap();
    let last = churn(store.as_ref(), "t").await;
    let every: Vec<i64> = (1..=last).collect();
    // In pages of any size, from any position.
    for page in [1, 3, 1000] {
        assert_eq!(
            numbers(&revisions(store.as_ref(), "t", 0, page).await),
            every
        );
    }
    assert_eq!(
        numbers(&revisions(store.as_ref(), "t", 5, 4).await),
        every[5..]
    );
    // A replaced put carries its body as it was at its revision.
    let first = &store.relay_feed("t", 0, 1).await.unwrap()[0];
    let Change::Put(doc) = first else {
        panic!("revision 1 is a put: {first:?}")
    };
    assert_eq!((doc.id.as_str(), doc.revision), ("g1", 1));
    assert!(doc.body.contains("2024-01-02"), "{}", doc.body);
    let deletes = revisions(store.as_ref(), "t", 0, 1000)
        .await
        .iter()
        .filter(|c| matches!(c, Change::Delete { .. }))
        .count();
    assert_eq!(deletes, 5);

    // A webhook of the tenant registered now starts at the tenant's revision; the relay
    // passes half: what is below both is pruned, the rest is still read.
    let (hook, _) = store
        .create_webhook(NewWebhook {
            tenant: "t".to_owned(),
            url: "https://example.com/hook".to_owned(),
            kinds: Vec::new(),
            description: None,
        })
        .await
        .unwrap();
    let half = last / 2;
    assert!(store.advance_relay("nats", "t", "h", half).await.unwrap());
    assert_eq!(
        numbers(&revisions(store.as_ref(), "t", half, 1000).await),
        every[half as usize..]
    );
    // Everything passed: only the feed is left.
    assert!(store.advance_relay("nats", "t", "h", last).await.unwrap());
    assert_eq!(
        store.relay_feed("t", 0, 1000).await.unwrap(),
        store.feed("t", 0, 1000).await.unwrap()
    );
    // Writes above every relay are kept again; a relay deleted no longer holds them.
    put(
        store.as_ref(),
        "t",
        &order("g1", "c1", "2024-02-01T00:00:00Z"),
    )
    .await;
    put(
        store.as_ref(),
        "t",
        &order("g1", "c1", "2024-02-02T00:00:00Z"),
    )
    .await;
    assert_eq!(
        numbers(&store.relay_feed("t", last, 1000).await.unwrap()),
        vec![last + 1, last + 2]
    );
    assert!(store.delete_webhook("t", &hook.id).await.unwrap());
    assert!(store.delete_webhook("u", &other.id).await.unwrap());
    assert!(
        store
            .advance_relay("nats", "t", "h", last + 2)
            .await
            .unwrap()
    );
    assert_eq!(
        store.relay_feed("t", 0, 1000).await.unwrap(),
        store.feed("t", 0, 1000).await.unwrap()
    );
}
