//! `ordo keys create | list | revoke`: a secret shown once, a list that never shows it,
//! revocation, and refusals that say what was wrong.

use crate::{fresh, ordo};

#[tokio::test]
async fn keys_create_prints_the_secret_alone_on_its_last_line() {
    let fresh = fresh().await;
    let args = [
        "keys",
        "create",
        "--tenant",
        "acme",
        "--scopes",
        "orders,returns",
        "--customer",
        "C-1",
        "--name",
        "storefront",
    ];
    let run = ordo(&fresh.url, &args).ok();
    let last = run.stdout.lines().last().expect("some output");
    assert!(last.starts_with("ordo_"), "{run:#?}");
    assert_eq!(last, last.trim(), "the secret is alone on its line");
    assert!(!last.contains(' '), "the secret is alone on its line");
    let secret = last;

    let key = fresh
        .store
        .authenticate(secret)
        .await
        .expect("authenticate runs")
        .expect("the printed secret names the key");
    assert_eq!(key.tenant, "acme");
    assert_eq!(key.scopes, ["orders", "returns"]);
    assert_eq!(key.customer_id.as_deref(), Some("C-1"));
    assert_eq!(key.name.as_deref(), Some("storefront"));
    assert!(!key.revoked);
    assert_eq!(
        run.stdout.matches(secret).count(),
        1,
        "the secret is printed once"
    );

    let list = ordo(&fresh.url, &["keys", "list"]).ok();
    assert!(list.stdout.contains(&key.id), "{list:#?}");
    let random = secret.rsplit('_').next().expect("a random part");
    assert!(!list.stdout.contains(secret), "keys list shows a secret");
    assert!(
        !list.stdout.contains(random),
        "keys list shows a secret's random part"
    );
    assert!(
        !list.stderr.contains(random),
        "keys list logs a secret's random part"
    );
}

#[tokio::test]
async fn keys_revoke_revokes_and_refuses_an_unknown_id() {
    let fresh = fresh().await;
    let created = ordo(&fresh.url, &["keys", "create", "--scopes", "orders"]).ok();
    let secret = created.last_line();
    let key = fresh
        .store
        .authenticate(secret)
        .await
        .expect("authenticate runs")
        .expect("the printed secret names the key");
    assert_eq!(key.tenant, "default", "the default tenant");
    assert_eq!(key.customer_id, None);

    ordo(&fresh.url, &["keys", "revoke", &key.id]).ok();
    let revoked = fresh
        .store
        .authenticate(secret)
        .await
        .expect("authenticate runs")
        .expect("a revoked key is still found");
    assert!(revoked.revoked, "the key is revoked");
    let list = ordo(&fresh.url, &["keys", "list"]).ok();
    let row = list
        .stdout
        .lines()
        .find(|l| l.starts_with(&key.id))
        .unwrap_or_else(|| panic!("keys list shows the key: {list:#?}"));
    assert!(row.contains("yes"), "the row says revoked: {row}");

    let unknown = ordo(&fresh.url, &["keys", "revoke", "000000000000"]).failed();
    assert!(unknown.stderr.contains("000000000000"), "{unknown:#?}");
}

#[tokio::test]
async fn keys_create_refuses_an_unknown_scope_naming_it() {
    let fresh = fresh().await;
    let run = ordo(
        &fresh.url,
        &[
            "keys",
            "create",
            "--tenant",
            "acme",
            "--scopes",
            "orders,ordrs",
        ],
    )
    .failed();
    assert!(run.stderr.contains("ordrs"), "{run:#?}");
    assert!(
        !run.stdout.contains("ordo_"),
        "no secret is printed: {run:#?}"
    );
    let keys = fresh.store.list_keys().await.expect("keys list");
    assert!(keys.is_empty(), "no key is created: {keys:?}");
}

#[tokio::test]
async fn a_key_limited_to_a_customer_cannot_have_a_write_scope() {
    let fresh = fresh().await;
    let args = [
        "keys",
        "create",
        "--scopes",
        "orders,orders:write",
        "--customer",
        "C1",
    ];

    let refused = ordo(&fresh.url, &args).failed();

    assert!(refused.stderr.contains("orders:write"), "{refused:#?}");
    assert!(fresh.store.list_keys().await.unwrap().is_empty());
    ordo(
        &fresh.url,
        &["keys", "create", "--scopes", "orders", "--customer", "C1"],
    )
    .ok();
}

#[tokio::test]
async fn a_keys_rate_limit_is_kept_and_listed() {
    let fresh = fresh().await;
    let created = ordo(
        &fresh.url,
        &["keys", "create", "--scopes", "orders", "--rate-limit", "25"],
    )
    .ok();
    assert!(
        created.stdout.contains("rate limit: 25 requests/s"),
        "{created:#?}"
    );
    let keys = fresh.store.list_keys().await.unwrap();
    assert_eq!(keys[0].rate_limit, Some(25));

    let list = ordo(&fresh.url, &["keys", "list"]).ok();
    let row = list.stdout.lines().nth(1).expect("a row");
    assert!(row.split_whitespace().any(|cell| cell == "25"), "{list:#?}");
    ordo(
        &fresh.url,
        &["keys", "create", "--scopes", "orders", "--rate-limit", "0"],
    )
    .failed();
}
