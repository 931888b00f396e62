//! `import_ndjson` against the store: every line an import reports is stored, revisions go on
//! from where the import left them, and the SQLite writer ends as durable as it started.

mod common;

use std::sync::Arc;

use common::*;
use ordo_import::{ImportReport, ImportSink, LineError, import_ndjson};
use ordo_model::Kind;
use ordo_store::{PutOutcome, Store};
use serde_json::{Value, json};

/// Orders over several batches, a status entry, a return of the first order near the end, and
/// one bad line.
const ORDERS: usize = 2500;

fn input() -> String {
    let mut lines: Vec<Value> = vec![json!({
        "kind": "status", "statusId": "1", "name": "New", "phase": "New"
    })];
    lines.extend((0..ORDERS).map(|i| {
        order(
            &format!("o-{i:05}"),
            &format!("c-{}", i % 7),
            "2024-03-01T00:00:00Z",
        )
    }));
    lines.push(json!({"kind": "order"}));
    lines.push(return_of("r-1", "c-0", "2024-03-02T00:00:00Z", "o-00000"));
    lines.iter().map(|line| format!("{line}\n")).collect()
}

/// Every progress report, and every refused line.
#[derive(Default)]
struct Recorder {
    progress: Vec<(ImportReport, u64)>,
    rejected: Vec<LineError>,
}

impl ImportSink for Recorder {
    fn rejected(&mut self, error: LineError) {
        self.rejected.push(error);
    }

    fn progress(&mut self, report: &ImportReport, bytes_read: u64) {
        self.progress.push((report.clone(), bytes_read));
    }
}

async fn import(store: &Arc<dyn Store>, input: &str) -> (ImportReport, Recorder) {
    let mut sink = Recorder::default();
    let report = import_ndjson(store, "acme", input.as_bytes(), &mut sink)
        .await
        .expect("the import runs");
    (report, sink)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_line_an_import_reports_is_stored() {
    let (store, fresh) = fresh_store().await;
    let input = input();
    let (report, sink) = import(&store, &input).await;

    let documents = ORDERS as u64 + 1;
    let expected = ImportReport {
        stored: documents + 1,
        unchanged: 0,
        rejected: 1,
    };
    assert_eq!(report, expected);
    assert_eq!(sink.rejected.len(), 1);
    assert_eq!(sink.rejected[0].line, ORDERS as u64 + 2);
    assert_eq!(
        sink.progress.last(),
        Some(&(expected, input.len() as u64)),
        "the last report is the whole import"
    );
    for pair in sink.progress.windows(2) {
        assert!(pair[0].0.stored <= pair[1].0.stored && pair[0].1 <= pair[1].1);
    }

    // As another process sees the database.
    let other = ordo_store::open(&fresh.url)
        .await
        .expect("a second instance opens");
    let stored = other
        .changes("acme", 0, 100_000)
        .await
        .expect("the change feed reads");
    assert_eq!(stored.len() as u64, documents);
    assert_eq!(
        other
            .statuses(tenant("acme"))
            .await
            .expect("statuses")
            .len(),
        1
    );
    let first = get(other.as_ref(), "acme", Kind::Order, "o-00000").await;
    assert_eq!(
        rendered(&first)["returnIds"],
        json!(["r-1"]),
        "the return links to its order"
    );

    // Revisions go on from the import's: the next write gets a new, higher one.
    let last = stored
        .iter()
        .map(|doc| doc.revision)
        .max()
        .expect("documents");
    let outcome = put(
        other.as_ref(),
        "acme",
        &order("o-after", "c-1", "2024-03-03T00:00:00Z"),
    )
    .await;
    assert_eq!(outcome, PutOutcome::Created { revision: last + 1 });

    // The same input again changes nothing.
    let (again, _) = import(&store, &input).await;
    assert_eq!(
        again,
        ImportReport {
            stored: 0,
            unchanged: documents + 1,
            rejected: 1
        }
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_leaves_the_sqlite_writer_syncing_every_commit() {
    let (sqlite, _dir) = fresh_sqlite().await;
    let store: Arc<dyn Store> = Arc::new(sqlite.clone());
    let (report, _) = import(&store, &input()).await;
    assert_eq!(report.rejected, 1);

    assert_eq!(
        sqlite.writer_pragma("synchronous").await.expect("a pragma"),
        2
    );
    assert_eq!(
        sqlite
            .writer_pragma("wal_autocheckpoint")
            .await
            .expect("a pragma"),
        1000
    );
    // 0 when off; otherwise the pages a transaction may change before some are spilled.
    assert!(sqlite.writer_pragma("cache_spill").await.expect("a pragma") > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_import_leaves_the_sqlite_writer_syncing_every_commit() {
    let (sqlite, dir) = fresh_sqlite().await;
    // A write the database itself refuses, in the middle of a batch.
    rusqlite::Connection::open(dir.path().join(SQLITE_FILE))
        .and_then(|conn| {
            conn.execute_batch(
                "CREATE TRIGGER refuse BEFORE INSERT ON documents WHEN NEW.id = 'o-00100'
                 BEGIN SELECT RAISE(ABORT, 'refused'); END;",
            )
        })
        .expect("the trigger is created");
    let store: Arc<dyn Store> = Arc::new(sqlite.clone());
    let mut sink = Recorder::default();
    let failed = import_ndjson(&store, "acme", input().as_bytes(), &mut sink).await;
    assert!(failed.is_err(), "the import fails");
    assert!(sink.progress.is_empty(), "nothing is reported stored");

    assert_eq!(
        sqlite.writer_pragma("synchronous").await.expect("a pragma"),
        2
    );
    assert_eq!(
        sqlite
            .writer_pragma("wal_autocheckpoint")
            .await
            .expect("a pragma"),
        1000
    );
    // 0 when off; otherwise the pages a transaction may change before some are spilled.
    assert!(sqlite.writer_pragma("cache_spill").await.expect("a pragma") > 0);
    put(
        store.as_ref(),
        "acme",
        &order("o-after", "c-1", "2024-03-03T00:00:00Z"),
    )
    .await;
}
