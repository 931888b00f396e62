//! API keys: secrets shown once, found back by the secret alone, never kept or listed.

mod common;

use common::*;
use ordo_model::{Kind, ListQuery};
use ordo_store::{NewKey, Scope, StoreError, parse_secret};

fn new_key(tenant: &str, customer: Option<&str>) -> NewKey {
    NewKey {
        rate_limit: None,
        tenant: tenant.to_owned(),
        scopes: vec!["orders".to_owned(), "returns:write".to_owned()],
        customer_id: customer.map(str::to_owned),
        name: Some("storefront".to_owned()),
    }
}

#[tokio::test]
async fn a_created_key_authenticates_with_its_secret() {
    let (store, _dir) = fresh_store().await;

    let (key, secret) = store.create_key(new_key("t", Some("c1"))).await.unwrap();

    assert!(secret.0.starts_with("ordo_"), "{}", secret.0);
    assert_eq!(parse_secret(&secret.0), Some(key.id.as_str()));
    assert!(!key.revoked);
    let found = store.authenticate(&secret.0).await.unwrap();
    assert_eq!(found.as_ref(), Some(&key));
    let found = found.unwrap();
    assert_eq!(found.tenant, "t");
    assert_eq!(found.customer_id.as_deref(), Some("c1"));
    assert_eq!(found.name.as_deref(), Some("storefront"));
    assert_eq!(found.scopes, ["orders", "returns:write"]);
    assert_eq!(store.find_key(&key.id).await.unwrap(), Some(key));
}

#[tokio::test]
async fn a_wrong_secret_for_a_real_key_id_does_not_authenticate() {
    let (store, _dir) = fresh_store().await;
    let (key, secret) = store.create_key(new_key("t", None)).await.unwrap();
    let (_, other_secret) = store.create_key(new_key("t", None)).await.unwrap();
    let other_random = other_secret.0.rsplit('_').next().unwrap();

    let wrong = format!("ordo_{}_{}", key.id, "0".repeat(32));
    let swapped = format!("ordo_{}_{other_random}", key.id);
    let truncated = &secret.0[..secret.0.len() - 1];

    assert_eq!(store.authenticate(&wrong).await.unwrap(), None);
    assert_eq!(store.authenticate(&swapped).await.unwrap(), None);
    assert_eq!(store.authenticate(truncated).await.unwrap(), None);
    assert_eq!(store.authenticate("").await.unwrap(), None);
    assert_eq!(store.authenticate("not a key").await.unwrap(), None);
    assert!(store.authenticate(&secret.0).await.unwrap().is_some());
}

#[tokio::test]
async fn listed_keys_never_contain_their_secrets() {
    let (store, _dir) = fresh_store().await;
    let (a, secret_a) = store.create_key(new_key("t", None)).await.unwrap();
    let (b, secret_b) = store.create_key(new_key("u", Some("c1"))).await.unwrap();

    let keys = store.list_keys().await.unwrap();

    let mut listed: Vec<&str> = keys.iter().map(|k| k.id.as_str()).collect();
    listed.sort_unstable();
    let mut expected = vec![a.id.as_str(), b.id.as_str()];
    expected.sort_unstable();
    assert_eq!(listed, expected);
    let debug = format!("{keys:?} {keys:#?}");
    for secret in [&secret_a, &secret_b] {
        let random = secret.0.rsplit('_').next().unwrap();
        assert!(!debug.contains(&secret.0), "a secret is listed: {debug}");
        assert!(
            !debug.contains(random),
            "a secret's random part is listed: {debug}"
        );
    }
    // Nor does the secret's own Debug print it.
    assert!(!format!("{secret_a:?}").contains(&secret_a.0));
}

#[tokio::test]
async fn revoking_marks_the_key_revoked() {
    let (store, _dir) = fresh_store().await;
    let (key, secret) = store.create_key(new_key("t", None)).await.unwrap();
    let (other, _) = store.create_key(new_key("t", None)).await.unwrap();

    let revoked = store.revoke_key(&key.id).await.unwrap();
    let unknown = store.revoke_key("000000000000").await.unwrap();

    assert!(revoked);
    assert!(!unknown);
    let found = store
        .authenticate(&secret.0)
        .await
        .unwrap()
        .expect("revoked keys are returned");
    assert!(found.revoked);
    assert!(store.find_key(&key.id).await.unwrap().unwrap().revoked);
    assert!(!store.find_key(&other.id).await.unwrap().unwrap().revoked);
    let listed = store.list_keys().await.unwrap();
    assert!(listed.iter().find(|k| k.id == key.id).unwrap().revoked);
}

/// A read that names a key checks it in the same read: the API's key cache relies on this
/// to see a revocation made by another process.
#[tokio::test]
async fn every_read_naming_a_revoked_or_unknown_key_fails() {
    let (store, _dir) = fresh_store().await;
    let (key, _) = store.create_key(new_key("t", None)).await.unwrap();
    let live = Scope {
        key: Some(&key.id),
        ..Scope::tenant("t")
    };
    let query = ListQuery::default();
    store.get(live, Kind::Order, "o1").await.unwrap();
    store.list(live, Kind::Order, &query).await.unwrap();
    store.customer_documents(live, "c1").await.unwrap();
    store.statuses(live).await.unwrap();

    assert!(store.revoke_key(&key.id).await.unwrap());
    for scope in [
        live,
        Scope {
            key: Some("000000000000"),
            ..Scope::tenant("t")
        },
    ] {
        let revoked = |result: Result<(), StoreError>| {
            assert!(matches!(result, Err(StoreError::KeyRevoked)), "{result:?}");
        };
        revoked(store.get(scope, Kind::Order, "o1").await.map(drop));
        revoked(store.list(scope, Kind::Order, &query).await.map(drop));
        revoked(store.customer_documents(scope, "c1").await.map(drop));
        revoked(
            store
                .customer_documents(
                    Scope {
                        customer: Some("c2"),
                        ..scope
                    },
                    "c1",
                )
                .await
                .map(drop),
        );
        revoked(store.statuses(scope).await.map(drop));
        for customer in [None, Some("c2")] {
            let scope = Scope { customer, ..scope };
            let mut batches = store.customer_document_batches(scope, "c1").await.unwrap();
            revoked(batches.next().await.expect("the error is sent").map(drop));
        }
    }
    // Without a key to check, reads go on as before (the command line's reads).
    store
        .get(Scope::tenant("t"), Kind::Order, "o1")
        .await
        .unwrap();
}
