//! `ordo import [--tenant T] FILE|-`: good lines stored, each bad line named with every
//! problem, a summary, and a non-zero exit when anything was refused.

use std::collections::BTreeMap;

use ordo_model::Kind;
use serde_json::{Value, json};

use crate::{all_documents, fresh, get, ordo, ordo_with_input};

/// The smallest valid document of `kind`, with `updatedAt` given.
fn document(kind: Kind, id: &str, customer: &str) -> Value {
    json!({
        "kind": kind.path(),
        (kind.id_field()): id,
        "createdAt": "2024-01-01T00:00:00",
        "updatedAt": "2024-01-02T03:04:05",
        "total": 10.5,
        "status": "New",
        "statusId": "1",
        "customerId": customer,
        "shippingMethod": "Ground",
        "shippingPrice": 0,
        "shippingTax": 0
    })
}

fn set(mut value: Value, key: &str, new: Value) -> Value {
    value
        .as_object_mut()
        .expect("an object")
        .insert(key.to_owned(), new);
    value
}

fn line(value: &Value) -> Vec<u8> {
    let mut text = serde_json::to_vec(value).expect("JSON writes");
    text.push(b'\n');
    text
}

/// The three good lines of [`mixed_file`], and every bad id it holds.
fn good_lines() -> Vec<Value> {
    let order = set(
        document(Kind::Order, "o-1", "c-1"),
        "items",
        json!([{"itemId": "i1", "productId": "p1", "unitPrice": 3.5, "quantity": 2,
                "linePosition": 1}]),
    );
    let quote = document(Kind::Quote, "q-1", "c-1");
    // No `updatedAt`: the time of the write stands in, and a re-import must still change nothing.
    let mut ret = set(
        document(Kind::Return, "r-1", "c-1"),
        "parentOrderId",
        json!("o-1"),
    );
    ret.as_object_mut().expect("an object").remove("updatedAt");
    vec![order, quote, ret]
}

const BAD_IDS: [&str; 6] = [
    "bad-json",
    "bad-type",
    "bad-long",
    "bad-kind",
    "bad-field",
    "bad-utf8",
];

/// Good lines 1, 3 and 10; blank lines 4 and 11; every other line is bad in its own way.
fn mixed_file() -> Vec<u8> {
    let [order, quote, ret] = <[Value; 3]>::try_from(good_lines()).expect("three good lines");
    let wrong_type = set(
        set(
            document(Kind::Order, "bad-type", "c-1"),
            "total",
            json!("ten"),
        ),
        "items",
        json!([{"itemId": "i1", "productId": "p1", "unitPrice": 1, "quantity": "three",
                "linePosition": 1}]),
    );
    let too_long = set(
        document(Kind::Order, "bad-long", "c-1"),
        "shippingMethod",
        json!("x".repeat(201)),
    );
    let unknown_kind = set(
        document(Kind::Order, "bad-kind", "c-1"),
        "kind",
        json!("invoice"),
    );
    let unknown_field = set(document(Kind::Order, "bad-field", "c-1"), "totl", json!(3));
    let mut not_utf8 = line(&document(Kind::Order, "bad-utf8", "c-1"));
    let at = not_utf8
        .windows(3)
        .position(|w| w == b"c-1")
        .expect("the customer id is in the line");
    not_utf8[at + 2] = 0xff;

    let mut file = Vec::new();
    file.extend(line(&order)); // 1
    file.extend(b"{\"kind\":\"order\",\"orderId\":\"bad-json\",\n"); // 2
    file.extend(line(&quote)); // 3
    file.extend(b"\n"); // 4
    file.extend(line(&wrong_type)); // 5
    file.extend(line(&too_long)); // 6
    file.extend(line(&unknown_kind)); // 7
    file.extend(line(&unknown_field)); // 8
    file.extend(not_utf8); // 9
    file.extend(line(&ret)); // 10
    file.extend(b"   \n"); // 11
    file
}

/// `line N: ...` reports of standard error, by line number.
fn reported_lines(stderr: &str) -> BTreeMap<u64, String> {
    stderr
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("line ")?;
            let (number, text) = rest.split_once(": ")?;
            Some((number.parse().ok()?, text.to_owned()))
        })
        .collect()
}

#[tokio::test]
async fn import_stores_good_lines_and_names_every_bad_line_with_its_problem() {
    let fresh = fresh().await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("mixed.ndjson");
    std::fs::write(&path, mixed_file()).expect("the file writes");

    let run = ordo(
        &fresh.url,
        &["import", path.to_str().expect("a UTF-8 path")],
    )
    .failed();
    assert_eq!(
        run.last_line(),
        "3 stored, 0 unchanged, 6 rejected",
        "{run:#?}"
    );

    let reported = reported_lines(&run.stderr);
    let numbers: Vec<u64> = reported.keys().copied().collect();
    assert_eq!(numbers, [2, 5, 6, 7, 8, 9], "{run:#?}");
    let expect = |number: u64, needles: &[&str]| {
        for needle in needles {
            assert!(
                reported[&number].contains(needle),
                "line {number} should report {needle:?}: {:?}",
                reported[&number]
            );
        }
    };
    expect(2, &["not valid JSON"]);
    // Every problem of a line, each with its JSON path, not just the first.
    expect(
        5,
        &[
            "total: expected a number",
            "items[0].quantity: expected an integer",
        ],
    );
    expect(6, &["shippingMethod: longer than 200 characters (201)"]);
    expect(7, &["kind: \"invoice\" is not one of"]);
    expect(8, &["totl: unknown field"]);
    expect(9, &["not valid UTF-8"]);

    let store = fresh.store.as_ref();
    for kind in Kind::ALL {
        for id in BAD_IDS {
            assert!(
                get(store, "default", kind, id).await.is_none(),
                "{kind} {id} is stored"
            );
        }
    }
    assert_eq!(all_documents(store, "default").await.len(), 3);

    let order = get(store, "default", Kind::Order, "o-1")
        .await
        .expect("the good order is stored");
    let body: Value = serde_json::from_str(&order.body).expect("a JSON body");
    assert_eq!(body["orderId"], "o-1");
    assert_eq!(body["customerId"], "c-1");
    assert_eq!(body["items"][0]["productId"], "p1");
    assert_eq!(
        order.derived.lists[1],
        ["r-1"],
        "the order lists its return"
    );
    let quote = get(store, "default", Kind::Quote, "q-1").await;
    assert!(quote.is_some(), "the good quote is stored");
    let ret = get(store, "default", Kind::Return, "r-1")
        .await
        .expect("the good return is stored");
    let body: Value = serde_json::from_str(&ret.body).expect("a JSON body");
    assert_eq!(body["parentOrderId"], "o-1");
}

#[tokio::test]
async fn reimporting_the_same_good_file_changes_nothing() {
    let fresh = fresh().await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("good.ndjson");
    let file: Vec<u8> = good_lines().iter().flat_map(line).collect();
    std::fs::write(&path, file).expect("the file writes");
    let path = path.to_str().expect("a UTF-8 path");

    let first = ordo(&fresh.url, &["import", path]).ok();
    assert_eq!(first.last_line(), "3 stored, 0 unchanged, 0 rejected");
    let before = all_documents(fresh.store.as_ref(), "default").await;

    let again = ordo(&fresh.url, &["import", path]).ok();
    assert_eq!(again.last_line(), "0 stored, 3 unchanged, 0 rejected");
    assert!(again.stderr.is_empty(), "{again:#?}");
    let after = all_documents(fresh.store.as_ref(), "default").await;
    assert_eq!(before, after, "no new revision, no changed body");
}

#[tokio::test]
async fn import_reads_standard_input_for_a_dash() {
    let fresh = fresh().await;
    let input = line(&document(Kind::Order, "from-stdin", "c-9"));
    let run = ordo_with_input(&fresh.url, &["import", "-"], &input).ok();
    assert_eq!(run.last_line(), "1 stored, 0 unchanged, 0 rejected");
    let stored = get(fresh.store.as_ref(), "default", Kind::Order, "from-stdin").await;
    assert!(stored.is_some(), "the order from stdin is stored");
}

#[tokio::test]
async fn import_of_an_empty_file_fails_with_a_clear_message() {
    let fresh = fresh().await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    for (name, content) in [("empty.ndjson", &b""[..]), ("blank.ndjson", b"\n  \n\n")] {
        let path = dir.path().join(name);
        std::fs::write(&path, content).expect("the file writes");
        let run = ordo(
            &fresh.url,
            &["import", path.to_str().expect("a UTF-8 path")],
        )
        .failed();
        assert!(
            run.stderr.contains("no documents"),
            "{name}: the message says the input holds no documents: {run:#?}"
        );
    }
    let run = ordo_with_input(&fresh.url, &["import", "-"], b"").failed();
    assert!(run.stderr.contains("no documents"), "{run:#?}");
    assert!(
        all_documents(fresh.store.as_ref(), "default")
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn import_of_a_missing_file_fails_naming_it() {
    let fresh = fresh().await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("no-such.ndjson");
    let run = ordo(
        &fresh.url,
        &["import", path.to_str().expect("a UTF-8 path")],
    )
    .failed();
    assert!(run.stderr.contains("no-such.ndjson"), "{run:#?}");
}

#[tokio::test]
async fn import_with_a_tenant_stores_in_that_tenant_only() {
    let fresh = fresh().await;
    let input = line(&document(Kind::Order, "o-acme", "c-1"));
    let run = ordo_with_input(&fresh.url, &["import", "--tenant", "acme", "-"], &input).ok();
    assert_eq!(run.last_line(), "1 stored, 0 unchanged, 0 rejected");

    let store = fresh.store.as_ref();
    assert!(get(store, "acme", Kind::Order, "o-acme").await.is_some());
    assert!(get(store, "default", Kind::Order, "o-acme").await.is_none());
    assert!(all_documents(store, "default").await.is_empty());

    let acme = ordo(&fresh.url, &["export", "--tenant", "acme"]).ok();
    assert_eq!(acme.stdout.lines().count(), 1, "{acme:#?}");
    let default = ordo(&fresh.url, &["export"]).ok();
    assert_eq!(default.stdout, "", "the default tenant exports nothing");
}

#[tokio::test]
async fn import_refuses_an_overlong_line_and_keeps_counting_lines() {
    let fresh = fresh().await;
    let huge = set(
        document(Kind::Order, "huge", "c-1"),
        "customerNotes",
        json!("x".repeat(ordo_import::MAX_LINE_BYTES)),
    );
    let mut input = line(&huge);
    // Windows line ends are read as line ends too.
    let mut crlf = serde_json::to_vec(&document(Kind::Order, "after", "c-1")).expect("JSON");
    crlf.extend(b"\r\n");
    input.extend(crlf);

    let run = ordo_with_input(&fresh.url, &["import", "-"], &input).failed();
    assert_eq!(
        run.last_line(),
        "1 stored, 0 unchanged, 1 rejected",
        "{run:#?}"
    );
    let reported = reported_lines(&run.stderr);
    assert_eq!(
        reported.keys().copied().collect::<Vec<_>>(),
        [1],
        "{run:#?}"
    );
    assert!(reported[&1].contains("longer than"), "{run:#?}");
    let store = fresh.store.as_ref();
    assert!(get(store, "default", Kind::Order, "huge").await.is_none());
    assert!(get(store, "default", Kind::Order, "after").await.is_some());
}

#[tokio::test]
async fn import_killed_midway_leaves_whole_committed_documents_only() {
    use std::io::Write;
    use std::process::Stdio;
    use std::time::{Duration, Instant};

    let fresh = fresh().await;
    let lines: Vec<Vec<u8>> = (0..1200)
        .map(|i| line(&document(Kind::Order, &format!("o-{i:04}"), "c-1")))
        .collect();
    let mut child = crate::ordo_command(&fresh.url)
        .args(["import", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("ordo import starts");
    let mut stdin = child.stdin.take().expect("a piped stdin");
    // One full batch and part of the next; the input stays open, so the import waits for more.
    stdin
        .write_all(&lines.concat())
        .expect("the lines are written");
    stdin.flush().expect("the lines are flushed");

    let store = fresh.store.as_ref();
    let deadline = Instant::now() + Duration::from_secs(30);
    while all_documents(store, "default").await.len() < 1000 {
        assert!(
            Instant::now() < deadline,
            "the first batch is never committed"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().expect("the import is killed");
    child.wait().expect("the import ends");
    drop(stdin);

    let stored = all_documents(store, "default").await;
    assert_eq!(stored.len(), 1000, "exactly the committed batch");
    for doc in &stored {
        let body: Value = serde_json::from_str(&doc.body).expect("a whole JSON body");
        assert_eq!(body["orderId"], doc.id.as_str());
        assert_eq!(body["shippingMethod"], "Ground");
    }

    // Importing it all again stores the rest and leaves the committed lines as they were.
    let run = ordo_with_input(&fresh.url, &["import", "-"], &lines.concat()).ok();
    assert_eq!(run.last_line(), "200 stored, 1000 unchanged, 0 rejected");

    // More than one page of the change feed: the export pages through it without a gap.
    let export = ordo(&fresh.url, &["export"]).ok();
    let mut ids: Vec<String> = crate::exported_ids(&export.stdout)
        .into_iter()
        .map(|(_, id)| id)
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 1200, "every document exported once");
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_lines_are_their_own_errors_and_the_lines_around_them_are_stored() {
    let fresh = fresh().await;
    let good = |id: &str| line(&document(Kind::Order, id, "C1"));
    let raw = |text: &str| format!("{text}\n").into_bytes();
    let deep = format!("{}1{}", "[".repeat(300), "]".repeat(300));
    let order = serde_json::to_string(&document(Kind::Order, "h", "C1")).unwrap();
    // The document with one more field, written raw: JSON encoders refuse to write some of these.
    let with = |field: &str, value: &str| {
        raw(&format!(
            "{}, \"{field}\": {value}}}",
            order.trim_end_matches('}')
        ))
    };
    let mut file = good("before");
    for bad in [
        with("orderNumber", r#""a\u0000b""#),
        with("parentQuoteId", r#""a/b""#),
        with("salesRep", r#""\ud800""#),
        raw(r#"{"kind":"order","orderId":"a\u0000b"}"#),
        raw(r#"{"kind":"status","statusId":"\u0000","name":"x"}"#),
        raw(&deep),
        raw("1e999999"),
    ] {
        file.extend(bad);
    }
    file.extend(good("after"));
    let path = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(path.path(), &file).unwrap();

    let run = ordo(&fresh.url, &["import", path.path().to_str().unwrap()]).failed();

    // Each refused line is reported; none stops the import or reaches the store.
    assert_eq!(
        run.last_line(),
        "2 stored, 0 unchanged, 7 rejected",
        "{run:#?}"
    );
    assert!(
        !run.stderr.contains("store backend error"),
        "{}",
        run.stderr
    );
    let reported = reported_lines(&run.stderr);
    assert_eq!(
        reported.keys().copied().collect::<Vec<_>>(),
        (2..=8).collect::<Vec<_>>(),
        "{}",
        run.stderr
    );
    assert!(
        get(&*fresh.store, "default", Kind::Order, "before")
            .await
            .is_some()
    );
    assert!(
        get(&*fresh.store, "default", Kind::Order, "after")
            .await
            .is_some()
    );
}
