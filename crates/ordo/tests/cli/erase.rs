//! `ordo erase --tenant T --customer C`: a customer's documents and keys go, the other
//! customers' stay, the counts are printed, and erasing again removes nothing.

use ordo_model::Kind;
use ordo_store::testing::fixtures::document;
use serde_json::{Value, json};

use crate::{all_documents, fresh, get, ordo, ordo_with_input};

/// The smallest valid document of `kind` for `customer`, as an NDJSON line.
fn line(kind: Kind, id: &str, customer: &str) -> String {
    document(kind, id, customer, "2024-01-02T00:00:00").to_string()
}

#[tokio::test]
async fn erase_removes_a_customers_documents_and_keys_and_says_how_many() {
    let fresh = fresh().await;
    let ndjson = [
        line(Kind::Order, "o1", "c1"),
        line(Kind::Quote, "q1", "c1"),
        line(Kind::Order, "o2", "c1"),
        line(Kind::Order, "o3", "c2"),
    ]
    .join("\n");
    let imported = ordo_with_input(&fresh.url, &["import", "-"], ndjson.as_bytes()).ok();
    assert_eq!(imported.last_line(), "4 stored, 0 unchanged, 0 rejected");
    let c1_key = ordo(
        &fresh.url,
        &["keys", "create", "--scopes", "orders", "--customer", "c1"],
    )
    .ok();
    ordo(
        &fresh.url,
        &["keys", "create", "--scopes", "orders", "--customer", "c2"],
    )
    .ok();

    let run = ordo(
        &fresh.url,
        &["erase", "--tenant", "default", "--customer", "c1"],
    )
    .ok();

    assert!(
        run.stdout
            .starts_with("erased 3 documents and revoked 1 key of customer \"c1\""),
        "{run:#?}"
    );
    let counts: Value = serde_json::from_str(run.last_line()).expect("JSON counts last");
    assert_eq!(counts, json!({"documents": 3, "keys": 1}));
    let store = fresh.store.as_ref();
    let left: Vec<String> = all_documents(store, "default")
        .await
        .into_iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(left, ["o3"], "only the other customer's document stays");
    assert!(get(store, "default", Kind::Order, "o1").await.is_none());
    let key = store
        .authenticate(c1_key.last_line())
        .await
        .expect("authenticate runs")
        .expect("a revoked key is still found");
    assert!(key.revoked, "the customer's key is revoked");
    let keys = store.list_keys().await.expect("keys list");
    assert_eq!(
        keys.iter().filter(|k| !k.revoked).count(),
        1,
        "the other customer's key stays: {keys:?}"
    );

    let again = ordo(&fresh.url, &["erase", "--customer", "c1"]).ok();
    assert!(
        again
            .stdout
            .starts_with("erased 0 documents and revoked 0 keys"),
        "{again:#?}"
    );
    assert_eq!(again.last_line(), r#"{"documents":0,"keys":0}"#);
}

#[tokio::test]
async fn erase_is_per_tenant() {
    let fresh = fresh().await;
    let ndjson = line(Kind::Order, "o1", "c1");
    ordo_with_input(
        &fresh.url,
        &["import", "--tenant", "acme", "-"],
        ndjson.as_bytes(),
    )
    .ok();

    let other = ordo(&fresh.url, &["erase", "--customer", "c1"]).ok();

    assert_eq!(other.last_line(), r#"{"documents":0,"keys":0}"#);
    assert!(
        get(fresh.store.as_ref(), "acme", Kind::Order, "o1")
            .await
            .is_some()
    );
    let acme = ordo(
        &fresh.url,
        &["erase", "--tenant", "acme", "--customer", "c1"],
    )
    .ok();
    assert_eq!(acme.last_line(), r#"{"documents":1,"keys":0}"#);
    assert!(
        get(fresh.store.as_ref(), "acme", Kind::Order, "o1")
            .await
            .is_none()
    );
}

#[tokio::test]
async fn erase_refuses_an_id_that_breaks_the_id_rules() {
    let fresh = fresh().await;
    let refused = ordo(&fresh.url, &["erase", "--customer", "a/b"]).failed();
    assert!(refused.stderr.contains("a/b"), "{refused:#?}");
    assert!(refused.stdout.is_empty(), "{refused:#?}");
}
