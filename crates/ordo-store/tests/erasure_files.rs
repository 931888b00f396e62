//! Erasure leaves no trace in SQLite's files: after `erase_customer`, none of the customer's
//! content can be read back from the database file, its WAL or its shared-memory index —
//! not from free pages, not from an old revision, not from an old WAL frame.

mod common;

use std::path::Path;

use common::*;
use ordo_model::Kind;
use ordo_store::{Erased, Store};
use serde_json::json;

/// An address that appears nowhere else: finding it in a file means the customer's data is
/// still there.
const ADDRESS: &str = "erase-me-4f1c9b@example.test";

/// The files SQLite keeps for `ordo.db` in `dir` that contain `needle`, by name.
fn files_containing(dir: &Path, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let path = dir.join(format!("{SQLITE_FILE}{suffix}"));
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        if bytes
            .windows(needle.len())
            .any(|window| window == needle.as_bytes())
        {
            found.push(format!("{SQLITE_FILE}{suffix}"));
        }
    }
    found
}

/// An order of `customer` whose addresses and notes carry `email`.
fn order_with_address(id: &str, customer: &str, email: &str, note: &str) -> serde_json::Value {
    let address = json!({
        "firstName": "Erin", "lastName": "Erased", "company": "", "phone": "+1 555 0100",
        "zip": "33446", "country": "United States", "state": "FL", "city": "Delray Beach",
        "address1": "4417 Some Rd", "address2": "", "email": email
    });
    let value = with(rich_order(id, customer), "billing", address.clone());
    let value = with(value, "shipping", address);
    with(
        value,
        "customerNotes",
        json!(format!("{note}: write to {email}")),
    )
}

/// Copies what the WAL holds into the database file from a connection of the test's own, as
/// an automatic checkpoint would: the customer's data is then in both files.
fn checkpoint(dir: &Path) {
    let conn = rusqlite::Connection::open(dir.join(SQLITE_FILE)).expect("a second connection");
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
        .expect("the checkpoint runs");
}

#[tokio::test]
async fn an_erased_customers_address_is_in_none_of_the_sqlite_files() {
    let (store, dir) = fresh_sqlite().await;
    // Other customers' documents share the pages, so that erasing removes cells from pages
    // that stay in use, not only whole pages.
    for i in 0..60 {
        let customer = format!("keep-{}", i % 7);
        put(
            &store,
            "t",
            &order_with_address(&format!("k{i}"), &customer, "kept@example.test", "kept"),
        )
        .await;
        if i % 3 == 0 {
            put(
                &store,
                "t",
                &order_with_address(&format!("e{i}"), "gone", ADDRESS, "first"),
            )
            .await;
        }
    }
    // Some of it reaches the database file, the rest stays in the WAL; the replaced revisions
    // leave old copies in both.
    checkpoint(dir.path());
    for i in (0..60).step_by(6) {
        put(
            &store,
            "t",
            &order_with_address(&format!("e{i}"), "gone", ADDRESS, "second"),
        )
        .await;
    }
    put(
        &store,
        "t",
        &with(
            quote("q1", "gone", "2024-01-02T00:00:00"),
            "customerNotes",
            json!(ADDRESS),
        ),
    )
    .await;
    assert_eq!(
        files_containing(dir.path(), ADDRESS),
        [SQLITE_FILE.to_owned(), format!("{SQLITE_FILE}-wal")],
        "the test must see the address in both files before the erasure, or it proves nothing"
    );

    let erased = store.erase_customer("t", "gone").await.unwrap();

    assert_eq!(
        erased,
        Erased {
            documents: 21,
            keys: 0
        }
    );
    let found = files_containing(dir.path(), ADDRESS);
    assert!(found.is_empty(), "the erased address is still in {found:?}");
    // The rest is whole: the other customers' documents read back.
    let kept = get(&store, "t", Kind::Order, "k59").await;
    assert!(kept.body.contains("kept@example.test"));
    assert_eq!(files_containing(dir.path(), "kept@example.test").len(), 1);
}
