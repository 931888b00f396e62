//! List windows over HTTP: for generated documents with clashing `updatedAt` values, every
//! page of `from`/`to`/`newest`/`limit`/`offset` is the same slice of a sorted oracle.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};

use common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::Value;

/// Few instants, so that many documents share one (ties are broken by id).
const INSTANTS: [&str; 5] = [
    "2022-03-11T22:15:59",
    "2022-03-11T22:16:00",
    "2022-03-12T00:00:00",
    "2022-03-13T10:45:11",
    "2023-01-01T00:00:00",
];

/// A query bound, in one of the forms a client may write.
#[derive(Clone, Debug)]
enum Bound {
    Absent,
    /// An index into [`INSTANTS`], written RFC 3339 with `Z`.
    At(usize),
    /// One second after that instant, written with a `+01:00` offset.
    JustAfter(usize),
}

impl Bound {
    /// The bound in seconds, and its text in the query.
    fn resolve(&self) -> Option<(i64, String)> {
        match *self {
            Bound::Absent => None,
            Bound::At(i) => Some((seconds(INSTANTS[i]), format!("{}Z", INSTANTS[i]))),
            Bound::JustAfter(i) => {
                let at = seconds(INSTANTS[i]) + 1;
                // The same instant an hour ahead, with its offset.
                let local = time::OffsetDateTime::from_unix_timestamp(at + 3600).unwrap();
                let text = format!(
                    "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+01:00",
                    local.year(),
                    u8::from(local.month()),
                    local.day(),
                    local.hour(),
                    local.minute(),
                    local.second()
                );
                Some((at, text))
            }
        }
    }
}

fn seconds(v1: &str) -> i64 {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    time::PrimitiveDateTime::parse(v1, format)
        .unwrap()
        .assume_utc()
        .unix_timestamp()
}

#[derive(Clone, Debug)]
struct Window {
    from: Bound,
    to: Bound,
    /// `None`: the parameter is left out (newest first).
    newest: Option<bool>,
    /// `None`: the parameter is left out (100).
    limit: Option<u32>,
    /// `None`: the parameter is left out (0).
    offset: Option<u64>,
}

fn bound() -> impl Strategy<Value = Bound> {
    prop_oneof![
        2 => Just(Bound::Absent),
        2 => (0..INSTANTS.len()).prop_map(Bound::At),
        1 => (0..INSTANTS.len()).prop_map(Bound::JustAfter),
    ]
}

fn window() -> impl Strategy<Value = Window> {
    (
        bound(),
        bound(),
        proptest::option::of(any::<bool>()),
        proptest::option::of(1u32..12),
        proptest::option::of(0u64..25),
    )
        .prop_map(|(from, to, newest, limit, offset)| Window {
            from,
            to,
            newest,
            limit,
            offset,
        })
}

/// Ids that sort differently as bytes than as numbers or case-blind text, and one outside
/// ASCII.
fn id() -> impl Strategy<Value = String> {
    "[0-9A-Za-z_é-]{1,6}"
}

/// Up to 20 documents, unique by id, each at one of [`INSTANTS`]; and 6 windows to ask for.
fn case() -> impl Strategy<Value = (Vec<(String, usize)>, Vec<Window>)> {
    (
        proptest::collection::btree_map(id(), 0..INSTANTS.len(), 0..20),
        proptest::collection::vec(window(), 6),
    )
        .prop_map(|(docs, windows)| (docs.into_iter().collect(), windows))
}

/// The page the server must answer: filtered by the inclusive bounds, sorted by
/// (`updatedAt`, id as bytes), reversed when newest first, then cut by offset and limit.
fn oracle(docs: &[(String, usize)], window: &Window) -> Vec<String> {
    let from = window.from.resolve().map(|(at, _)| at);
    let to = window.to.resolve().map(|(at, _)| at);
    let mut rows: Vec<(i64, &[u8])> = docs
        .iter()
        .map(|(id, i)| (seconds(INSTANTS[*i]), id.as_bytes()))
        .filter(|(at, _)| from.is_none_or(|f| *at >= f) && to.is_none_or(|t| *at <= t))
        .collect();
    rows.sort_unstable();
    if window.newest.unwrap_or(true) {
        rows.reverse();
    }
    let offset = usize::try_from(window.offset.unwrap_or(0)).unwrap();
    let limit = window.limit.unwrap_or(100) as usize;
    rows.into_iter()
        .skip(offset)
        .take(limit)
        .map(|(_, id)| String::from_utf8(id.to_vec()).unwrap())
        .collect()
}

async fn check(
    app: &TestApp,
    tenant: &str,
    docs: &[(String, usize)],
    windows: &[Window],
) -> Result<(), TestCaseError> {
    let key = app
        .create_key_for(tenant, &["orders", "orders:write"], None)
        .await;
    if !docs.is_empty() {
        let lines: Vec<Value> = docs
            .iter()
            .map(|(id, i)| order(id, "c1", INSTANTS[*i]))
            .collect();
        let response = app.import(ndjson(&lines), &key).await;
        prop_assert_eq!(response.status().as_u16(), 200);
        let report: Value = response.json().await.unwrap();
        prop_assert_eq!(
            report["payload"]["stored"].to_string(),
            docs.len().to_string()
        );
    }

    for window in windows {
        let from = window.from.resolve();
        let to = window.to.resolve();
        let mut query: Vec<(&str, String)> = Vec::new();
        if let Some((_, text)) = &from {
            query.push(("from", text.clone()));
        }
        if let Some((_, text)) = &to {
            query.push(("to", text.clone()));
        }
        if let Some(newest) = window.newest {
            query.push(("newest", newest.to_string()));
        }
        if let Some(limit) = window.limit {
            query.push(("limit", limit.to_string()));
        }
        if let Some(offset) = window.offset {
            query.push(("offset", offset.to_string()));
        }
        let response = app
            .client
            .get(app.url("/v1/order/"))
            .bearer_auth(&key)
            .query(&query)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap();

        prop_assert_eq!(status, 200, "{:?}: {}", query, body);
        let got = payload_ids(&body, "orderId");
        let expected = oracle(docs, window);
        prop_assert_eq!(got, expected, "{:?}", query);
    }
    Ok(())
}

#[test]
fn every_list_window_is_the_same_slice_of_a_sorted_oracle() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let app = runtime.block_on(spawn_app());
    // One app for the whole property; each case gets a tenant of its own.
    let cases = AtomicUsize::new(0);
    let config = Config {
        failure_persistence: None,
        ..Config::with_cases(16)
    };
    let mut runner = TestRunner::new(config);

    let result = runner.run(&case(), |(docs, windows)| {
        let tenant = format!("case-{}", cases.fetch_add(1, Ordering::Relaxed));
        runtime.block_on(check(&app, &tenant, &docs, &windows))
    });

    if let Err(failure) = result {
        panic!("{failure}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn ties_on_updated_at_are_broken_by_id_in_both_directions() {
    let app = spawn_app().await;
    let key = app.create_key(&["orders", "orders:write"]).await;
    for id in ["b", "a", "c", "B", "10", "9"] {
        app.put_document(&order(id, "c1", "2024-01-02T00:00:00"), &key)
            .await;
    }
    app.put_document(&order("z", "c1", "2024-01-01T00:00:00"), &key)
        .await;

    let newest = app.get_json("/v1/order/", &key).await;
    let oldest = app.get_json("/v1/order/?newest=false", &key).await;
    let page = app
        .get_json("/v1/order/?newest=false&limit=2&offset=2", &key)
        .await;

    assert_eq!(
        payload_ids(&newest, "orderId"),
        ["c", "b", "a", "B", "9", "10", "z"]
    );
    assert_eq!(
        payload_ids(&oldest, "orderId"),
        ["z", "10", "9", "B", "a", "b", "c"]
    );
    assert_eq!(payload_ids(&page, "orderId"), ["9", "B"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn from_and_to_are_inclusive_and_read_offsets_as_utc() {
    let app = spawn_app().await;
    let key = app.create_key(&["orders", "orders:write"]).await;
    for (id, at) in [
        ("d1", "2024-01-01T00:00:00"),
        ("d2", "2024-01-02T00:00:00"),
        ("d3", "2024-01-03T00:00:00"),
    ] {
        app.put_document(&order(id, "c1", at), &key).await;
    }

    let exactly = app
        .get_json(
            "/v1/order/?from=2024-01-02T00:00:00Z&to=2024-01-02T00:00:00Z",
            &key,
        )
        .await;
    // 01:00 at +01:00 is midnight UTC.
    let offset = app
        .get_json(
            "/v1/order/?from=2024-01-02T01:00:00%2B01:00&newest=false",
            &key,
        )
        .await;
    let bare = app
        .get_json("/v1/order/?to=2024-01-01T23:59:59", &key)
        .await;

    assert_eq!(payload_ids(&exactly, "orderId"), ["d2"]);
    assert_eq!(payload_ids(&offset, "orderId"), ["d2", "d3"]);
    assert_eq!(payload_ids(&bare, "orderId"), ["d1"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_default_page_is_100_newest_first() {
    let app = spawn_app().await;
    let key = app.create_key(&["orders", "orders:write"]).await;
    let lines: Vec<Value> = (0..150)
        .map(|i| order(&format!("o{i:03}"), "c1", "2024-01-01T00:00:00"))
        .collect();
    assert_eq!(app.import(ndjson(&lines), &key).await.status(), 200);

    let page = app.get_json("/v1/order/", &key).await;
    let rest = app.get_json("/v1/order/?offset=100", &key).await;
    let past_the_end = app.get_json("/v1/order/?offset=150", &key).await;

    let ids = payload_ids(&page, "orderId");
    assert_eq!(ids.len(), 100);
    assert_eq!(ids[0], "o149");
    assert_eq!(ids[99], "o050");
    assert_eq!(payload_ids(&rest, "orderId").len(), 50);
    assert_eq!(past_the_end, serde_json::json!({"payload": []}));
}
