//! Several independent writers (separate stores: separate connections, as separate processes
//! would have) against one database, and a reader paging by revision meanwhile: the reader
//! never misses a document, whatever order the writers commit in.

mod common;

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use common::*;
use ordo_store::Store;

const WRITERS: usize = 4;
const BATCHES: usize = 15;
const PER_BATCH: usize = 10;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_reader_paging_by_revision_never_misses_a_concurrent_write() {
    let (first, fresh) = fresh_store().await;
    let mut writers: Vec<Arc<dyn Store>> = vec![first];
    for _ in 1..WRITERS {
        writers.push(
            ordo_store::open(&fresh.url)
                .await
                .expect("another instance opens"),
        );
    }
    let reader = ordo_store::open(&fresh.url)
        .await
        .expect("a reader instance opens");

    let done = Arc::new(AtomicBool::new(false));
    let reading = {
        let done = Arc::clone(&done);
        tokio::spawn(async move {
            let mut seen = HashSet::new();
            let mut after = 0;
            loop {
                // Read the flag first: a page read after every writer finished sees everything.
                let finished = done.load(Ordering::SeqCst);
                let page = reader
                    .changes("t", after, 7)
                    .await
                    .expect("a page of changes");
                for doc in &page {
                    assert!(doc.revision > after, "revisions go up within a feed");
                    seen.insert(doc.id.clone());
                }
                match page.last() {
                    Some(last) => after = last.revision,
                    None if finished => return seen,
                    None => tokio::task::yield_now().await,
                }
            }
        })
    };

    let mut tasks = Vec::new();
    for (w, store) in writers.into_iter().enumerate() {
        tasks.push(tokio::spawn(async move {
            for b in 0..BATCHES {
                let docs = (0..PER_BATCH)
                    .map(|i| {
                        let id = format!("w{w}-b{b}-{i}");
                        ingested(&order(&id, "c1", "2024-01-01T00:00:00"))
                    })
                    .collect();
                store.put_many("t", docs).await.expect("a batch is stored");
            }
        }));
    }
    for task in tasks {
        task.await.expect("a writer finishes");
    }
    done.store(true, Ordering::SeqCst);
    let seen = reading.await.expect("the reader finishes");

    let expected: HashSet<String> = (0..WRITERS)
        .flat_map(|w| {
            (0..BATCHES).flat_map(move |b| (0..PER_BATCH).map(move |i| format!("w{w}-b{b}-{i}")))
        })
        .collect();
    let missed: Vec<&String> = expected.difference(&seen).collect();
    assert!(
        missed.is_empty(),
        "the feed missed {} documents: {missed:?}",
        missed.len()
    );
}
