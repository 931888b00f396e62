//! A customer's documents handed over in batches while they are read, so that an answer of
//! tens of MiB (a large customer's relations) never sits in memory whole: the reader reads
//! the next batch only once the caller has taken the one before.

use std::task::{Context, Poll};
use std::time::Duration;

use tokio::sync::mpsc;

use crate::{StoreResult, StoredDoc};

/// A batch ends at this many bytes of bodies, or at `BATCH_DOCS` documents.
pub(crate) const BATCH_BYTES: usize = 512 << 10;
pub(crate) const BATCH_DOCS: usize = 500;

/// A reader whose batch the caller has not taken for this long gives up: a client that stops
/// reading must not hold a snapshot (and, on SQLite, a WAL checkpoint) for ever.
const STALLED_AFTER: Duration = Duration::from_secs(10);

/// The batches of one read, in order; a failed read ends with its error. An empty read
/// sends no batch.
#[derive(Debug)]
pub struct DocBatches(mpsc::Receiver<StoreResult<Vec<StoredDoc>>>);

impl DocBatches {
    pub async fn next(&mut self) -> Option<StoreResult<Vec<StoredDoc>>> {
        self.0.recv().await
    }

    pub fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<StoreResult<Vec<StoredDoc>>>> {
        self.0.poll_recv(cx)
    }
}

/// The reading side of `DocBatches`.
pub(crate) struct BatchSender(mpsc::Sender<StoreResult<Vec<StoredDoc>>>);

pub(crate) fn channel() -> (BatchSender, DocBatches) {
    // One batch waits while the next is read: two batches in memory beside the caller's.
    let (sender, receiver) = mpsc::channel(1);
    (BatchSender(sender), DocBatches(receiver))
}

impl BatchSender {
    /// False when the caller is gone or has stalled: the read should stop.
    pub(crate) async fn send(&self, batch: StoreResult<Vec<StoredDoc>>) -> bool {
        self.0.send_timeout(batch, STALLED_AFTER).await.is_ok()
    }

    /// `send` from a blocking thread of the runtime.
    pub(crate) fn send_blocking(&self, batch: StoreResult<Vec<StoredDoc>>) -> bool {
        tokio::runtime::Handle::current().block_on(self.send(batch))
    }
}
