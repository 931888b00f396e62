//! List windows: `from`/`to` bound `updatedAt` inclusively, pages are ordered by
//! (`updatedAt`, id), `limit`/`offset` cut the page; and a property that every window equals
//! the same slice of a sorted in-memory oracle.

mod common;

use std::collections::BTreeMap;

use common::*;
use ordo_model::{Ingested, Kind, ListQuery, Timestamp};
use ordo_store::Scope;
use proptest::prelude::*;

/// Orders a..e at three instants, with ties; ids are chosen so that id order differs from
/// insertion order.
async fn five_orders() -> (
    std::sync::Arc<dyn ordo_store::Store>,
    ordo_store::testing::TestStore,
) {
    let (store, dir) = fresh_store().await;
    for (id, updated_at) in [
        ("c", "2024-01-02T00:00:00"),
        ("a", "2024-01-01T00:00:00"),
        ("e", "2024-01-03T00:00:00"),
        ("b", "2024-01-02T00:00:00"),
        ("d", "2024-01-02T00:00:00"),
    ] {
        put(&*store, "t", &order(id, "c1", updated_at)).await;
    }
    // Other kinds and tenants never show in the order list of "t".
    put(&*store, "t", &quote("q", "c1", "2024-01-02T00:00:00")).await;
    put(&*store, "u", &order("x", "c1", "2024-01-02T00:00:00")).await;
    (store, dir)
}

async fn list_ids(store: &dyn ordo_store::Store, query: ListQuery) -> Vec<String> {
    let docs = store.list(tenant("t"), Kind::Order, &query).await.unwrap();
    docs.into_iter().map(|d| d.id).collect()
}

#[tokio::test]
async fn list_is_newest_first_by_updated_at_then_id() {
    let (store, _dir) = five_orders().await;

    let newest = list_ids(&*store, ListQuery::default()).await;
    let oldest = list_ids(&*store, window(None, None, false, 100, 0)).await;

    assert_eq!(newest, ["e", "d", "c", "b", "a"]);
    assert_eq!(oldest, ["a", "b", "c", "d", "e"]);
}

#[tokio::test]
async fn from_and_to_are_inclusive() {
    let (store, _dir) = five_orders().await;
    let day = |d: u8| Some(at(&format!("2024-01-0{d}T00:00:00")));

    let exactly_the_2nd = list_ids(&*store, window(day(2), day(2), false, 100, 0)).await;
    let from_the_2nd = list_ids(&*store, window(day(2), None, false, 100, 0)).await;
    let to_the_2nd = list_ids(&*store, window(None, day(2), false, 100, 0)).await;
    let just_after = Some(at("2024-01-02T00:00:01"));
    let after_the_2nd = list_ids(&*store, window(just_after, None, false, 100, 0)).await;

    assert_eq!(exactly_the_2nd, ["b", "c", "d"]);
    assert_eq!(from_the_2nd, ["b", "c", "d", "e"]);
    assert_eq!(to_the_2nd, ["a", "b", "c", "d"]);
    assert_eq!(after_the_2nd, ["e"]);
}

#[tokio::test]
async fn limit_and_offset_cut_the_ordered_page() {
    let (store, _dir) = five_orders().await;

    let first_two = list_ids(&*store, window(None, None, true, 2, 0)).await;
    let next_two = list_ids(&*store, window(None, None, true, 2, 2)).await;
    let last = list_ids(&*store, window(None, None, true, 2, 4)).await;
    let past_the_end = list_ids(&*store, window(None, None, true, 2, 5)).await;
    let huge_offset = list_ids(&*store, window(None, None, true, 2, u64::MAX)).await;
    let oldest_middle = list_ids(&*store, window(None, None, false, 3, 1)).await;

    assert_eq!(first_two, ["e", "d"]);
    assert_eq!(next_two, ["c", "b"]);
    assert_eq!(last, ["a"]);
    assert!(past_the_end.is_empty());
    assert!(huge_offset.is_empty());
    assert_eq!(oldest_middle, ["b", "c", "d"]);
}

#[tokio::test]
async fn a_replaced_document_moves_to_its_new_updated_at() {
    let (store, _dir) = five_orders().await;

    put(&*store, "t", &order("a", "c1", "2024-01-09T00:00:00")).await;

    let newest = list_ids(&*store, ListQuery::default()).await;
    assert_eq!(newest, ["a", "e", "d", "c", "b"]);
}

// ---- the oracle property ------------------------------------------------------------------

/// The instants documents are updated at: few, so that ties on `updatedAt` are common.
const BASE: i64 = 1_704_067_200; // 2024-01-01T00:00:00Z
const STEP: i64 = 3600;

fn instant(step: i64) -> Timestamp {
    Timestamp::from_unix(BASE + step * STEP).expect("in range")
}

#[derive(Clone, Debug)]
struct Window {
    from: Option<i64>,
    to: Option<i64>,
    newest: bool,
    limit: u32,
    offset: u64,
    customer: Option<&'static str>,
}

const CUSTOMERS: [&str; 2] = ["c1", "c2"];

fn windows() -> impl Strategy<Value = Window> {
    // Bounds fall on, between and outside the instants documents have (steps 0..=4).
    let bound = proptest::option::of(-1i64..=5);
    (
        bound.clone(),
        bound,
        any::<bool>(),
        1u32..=12,
        0u64..=14,
        proptest::option::of(proptest::sample::select(&CUSTOMERS[..])),
    )
        .prop_map(|(from, to, newest, limit, offset, customer)| {
            // The API refuses from > to before a query reaches the store.
            let (from, to) = match (from, to) {
                (Some(f), Some(t)) if f > t => (Some(t), Some(f)),
                other => other,
            };
            Window {
                from,
                to,
                newest,
                limit,
                offset,
                customer,
            }
        })
}

/// id -> (updatedAt step, customer index); ids mix cases and a non-ASCII letter, which
/// both sides order by bytes.
fn data_sets() -> impl Strategy<Value = BTreeMap<String, (i64, usize)>> {
    proptest::collection::btree_map("[a-cA-C0-9é_-]{1,3}", (0i64..=4, 0usize..2), 0..14)
}

/// The same window, cut from a sorted copy of the data set.
fn oracle(data: &BTreeMap<String, (i64, usize)>, w: &Window) -> Vec<String> {
    let mut rows: Vec<(i64, &String)> = data
        .iter()
        .filter(|(_, (_, c))| w.customer.is_none_or(|name| CUSTOMERS[*c] == name))
        .filter(|(_, (step, _))| w.from.is_none_or(|f| *step >= f))
        .filter(|(_, (step, _))| w.to.is_none_or(|t| *step <= t))
        .map(|(id, (step, _))| (*step, id))
        .collect();
    rows.sort();
    if w.newest {
        rows.reverse();
    }
    rows.into_iter()
        .skip(usize::try_from(w.offset).unwrap())
        .take(w.limit as usize)
        .map(|(_, id)| id.clone())
        .collect()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// Stores the data set (plus noise: the same ids as returns, and in another tenant), then
/// answers every window.
fn store_and_list(data: &BTreeMap<String, (i64, usize)>, windows: &[Window]) -> Vec<Vec<String>> {
    runtime().block_on(async {
        let (store, _dir) = fresh_store().await;
        let docs = |kind: Kind| -> Vec<Ingested> {
            data.iter()
                .map(|(id, (step, c))| {
                    ingested(&document(
                        kind,
                        id,
                        CUSTOMERS[*c],
                        &instant(*step).rfc3339(),
                    ))
                })
                .collect()
        };
        store.put_many("t", docs(Kind::Order)).await.unwrap();
        store.put_many("t", docs(Kind::Return)).await.unwrap();
        store.put_many("other", docs(Kind::Order)).await.unwrap();

        let mut pages = Vec::new();
        for w in windows {
            let scope = Scope {
                tenant: "t",
                customer: w.customer,
                key: None,
            };
            let query = window(
                w.from.map(instant),
                w.to.map(instant),
                w.newest,
                w.limit,
                w.offset,
            );
            let page = store.list(scope, Kind::Order, &query).await.unwrap();
            assert!(page.iter().all(|d| d.kind == Kind::Order));
            pages.push(page.into_iter().map(|d| d.id).collect());
        }
        pages
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn every_list_window_is_the_same_slice_of_a_sorted_oracle(
        data in data_sets(),
        windows in proptest::collection::vec(windows(), 1..24),
    ) {
        let pages = store_and_list(&data, &windows);
        for (w, page) in windows.iter().zip(pages) {
            prop_assert_eq!(page, oracle(&data, w), "window {:?}", w);
        }
    }
}

/// Pages past the first thousand entries start from remembered sort keys (`anchors`): they
/// must be the same slices of the oracle as any other page, also after a write moves an entry
/// across the keys that were remembered.
#[tokio::test]
async fn deep_offsets_are_the_oracle_slices_before_and_after_a_write() {
    let (store, _dir) = fresh_store().await;
    // 2,600 orders over 400 instants (ties broken by id), two customers.
    let mut entries: Vec<(String, String, &str)> = (0..2600)
        .map(|n| {
            let instant = format!("2024-01-01T00:{:02}:{:02}", (n % 400) / 60, (n % 400) % 60);
            let customer = if n % 3 == 0 { "c1" } else { "c2" };
            (instant, format!("o{n:05}"), customer)
        })
        .collect();
    let docs = entries
        .iter()
        .map(|(instant, id, customer)| ingested(&order(id, customer, instant)))
        .collect();
    store.put_many("t", docs).await.unwrap();

    for round in 0..3 {
        if round == 2 {
            // Moves o00000 from the oldest entries to the newest: every remembered key after
            // it is now one position off.
            put(&*store, "t", &order("o00000", "c1", "2024-02-01T00:00:00")).await;
            entries[0].0 = "2024-02-01T00:00:00".into();
        }
        for (customer, newest) in [(None, true), (None, false), (Some("c1"), true)] {
            let mut oracle: Vec<&(String, String, &str)> = entries
                .iter()
                .filter(|e| customer.is_none_or(|c| c == e.2))
                .collect();
            oracle.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
            if newest {
                oracle.reverse();
            }
            let scope = match customer {
                Some(c) => common::customer("t", c),
                None => tenant("t"),
            };
            for offset in [0, 999, 1000, 1001, 1999, 2000, 2500, 2599, 2600, 5000] {
                let query = window(None, None, newest, 37, offset);
                let page = store.list(scope, Kind::Order, &query).await.unwrap();
                let got: Vec<&str> = page.iter().map(|d| d.id.as_str()).collect();
                let want: Vec<&str> = oracle
                    .iter()
                    .skip(offset as usize)
                    .take(37)
                    .map(|e| e.1.as_str())
                    .collect();
                assert_eq!(
                    got, want,
                    "round {round} offset {offset} {customer:?} {newest}"
                );
            }
        }
    }
}
