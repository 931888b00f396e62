//! NDJSON import, shared by `ordo import` and `POST /v1/import`: one document per line,
//! validated line by line, stored in batches of one transaction each.
//!
//! Lines are reported as stored only once they are durable: an import cut short, even by a
//! power loss, keeps every line it reported, and no half document. Between those points
//! batches are committed without waiting for the disk (`Store::import_batch`).
#![forbid(unsafe_code)]

use std::io::BufRead;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ordo_model::{
    Document, Expect, Ingested, Json, Kind, StatusEntry, Timestamp, ValidationError, ingest,
};
use serde::Serialize;
use tokio::sync::mpsc;

use ordo_store::{BatchCounts, Store, StoreError, StoreResult};

mod read;

use read::{Batch, Reader};

/// How often an import makes what it stored durable and reports it: each such point costs
/// an fsync (and, on SQLite, a checkpoint); the batches in between cost neither.
const DURABLE_EVERY: Duration = Duration::from_secs(1);

/// Batches parsed and waiting for the writer, besides the one it writes and the one being
/// parsed: parsing goes on while the writer waits on the disk or checkpoints. Four, not one:
/// an import of S in 5.6-5.9 s instead of 6.2-6.5 s, for about 15 MB a batch.
const QUEUED_BATCHES: usize = 4;

/// Queued batches the writer stores in one transaction, besides the one it took: each
/// transaction writes every page it changed to the WAL, and consecutive batches change many
/// of the same index pages (the tail of each product's filter entries, of each kind's
/// `updatedAt` order), so fewer transactions write fewer bytes (an import of S: 1.7 instead
/// of 2.5 GB written, docs/benchmarks.md "Seventh round"). Only what is already queued is
/// taken: a slow input is never waited for.
const MERGED_BATCHES: usize = QUEUED_BATCHES;

/// A line longer than this is refused without being parsed.
pub const MAX_LINE_BYTES: usize = 1 << 20;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// Lines whose document was created or replaced.
    pub stored: u64,
    /// Lines whose document was already stored, identical.
    pub unchanged: u64,
    pub rejected: u64,
}

/// One refused line, with every problem it has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LineError {
    pub line: u64,
    pub details: Vec<ValidationError>,
}

/// What the caller of an import hears about as it goes.
pub trait ImportSink {
    /// A further check of a valid document (scopes, customer of the key); problems refuse it.
    fn check(&mut self, _document: &Document) -> Vec<ValidationError> {
        Vec::new()
    }

    /// A further check of a status dictionary line (`"kind": "status"`).
    fn check_status(&mut self, _entry: &StatusEntry) -> Vec<ValidationError> {
        Vec::new()
    }

    /// A deletion line (`"deleted": true`). Refused unless the caller allows deletions: an
    /// import that only ever created documents must not start removing them.
    fn check_delete(&mut self, _kind: Kind, _id: &str) -> Vec<ValidationError> {
        vec![ValidationError {
            field: "deleted".into(),
            problem: "deletions are not accepted by this import".into(),
        }]
    }

    fn rejected(&mut self, error: LineError);

    /// At each durable point, with the running report and the bytes read up to it.
    fn progress(&mut self, _report: &ImportReport, _bytes_read: u64) {}
}

/// Reads NDJSON from `input` into `tenant`'s documents.
///
/// Three things overlap: this task reads the next batch, blocking threads parse it (as many
/// as there are cores), and a task of its own stores the batches before it in order, so that
/// writes progress even while this task waits on a slow input (`ordo import -` fed by a
/// pipe), and parsing goes on while the store waits on the disk. Batches are stored without
/// waiting for the disk; about once a second (`DURABLE_EVERY`) and at the end, the store
/// makes them durable, and only then are they reported.
pub async fn import_ndjson(
    store: &Arc<dyn Store>,
    tenant: &str,
    input: impl BufRead,
    sink: &mut (dyn ImportSink + Send),
) -> StoreResult<ImportReport> {
    let mut reader = Reader::new(input);
    let (queue, queued) = mpsc::channel(QUEUED_BATCHES);
    let (events, mut written) = mpsc::unbounded_channel();
    let writer = tokio::spawn(write_batches(
        Arc::clone(store),
        tenant.to_owned(),
        queued,
        events,
    ));
    let mut progress = Progress::default();
    let read = async {
        loop {
            let batch = reader.next_batch(sink).await?;
            while let Ok(event) = written.try_recv() {
                progress.hear(event, sink);
            }
            // The writer stops at its first error, which it returns.
            if batch.is_empty() || queue.send(batch).await.is_err() {
                return Ok(());
            }
        }
    }
    .await;
    drop(queue);
    let write = writer.await.map_err(StoreError::backend)?;
    read?;
    write?;
    // Every batch is stored and durable.
    while let Ok(event) = written.try_recv() {
        progress.hear(event, sink);
    }
    let mut report = progress.report;
    report.add(progress.pending);
    report.rejected = reader.rejected();
    count_lines(&mut progress.counted, &report);
    sink.progress(&report, reader.bytes_read());
    Ok(report)
}

/// What the writer of an import tells as it goes.
enum Written {
    Stored(BatchCounts),
    /// Everything stored so far is durable, up to this point of the input.
    Durable {
        bytes_read: u64,
        rejected: u64,
    },
}

/// Stores the batches of `queued` in order, makes them durable about once a second and at
/// the end, and tells `events` of each. Stops at the first error.
async fn write_batches(
    store: Arc<dyn Store>,
    tenant: String,
    mut queued: mpsc::Receiver<Batch>,
    events: mpsc::UnboundedSender<Written>,
) -> StoreResult<()> {
    let mut last_durable = Instant::now();
    let mut unsynced = false;
    let mut next = queued.recv().await;
    while let Some(mut batch) = next.take() {
        // A batch with deletions is stored alone (store_batch orders them within it).
        for _ in 0..MERGED_BATCHES {
            if !batch.deletes.is_empty() {
                break;
            }
            match queued.try_recv() {
                Ok(more) if more.deletes.is_empty() => batch.absorb(more),
                Ok(more) => {
                    next = Some(more);
                    break;
                }
                Err(_) => break,
            }
        }
        let (bytes_read, rejected) = (batch.bytes_read, batch.rejected);
        let counts = store_batch(
            store.as_ref(),
            &tenant,
            batch.statuses,
            batch.documents,
            batch.deletes,
        )
        .await?;
        // The import's task is gone only when the import was dropped.
        let _ = events.send(Written::Stored(counts));
        unsynced = true;
        if last_durable.elapsed() >= DURABLE_EVERY {
            store.make_durable().await?;
            last_durable = Instant::now();
            unsynced = false;
            let _ = events.send(Written::Durable {
                bytes_read,
                rejected,
            });
        }
        if next.is_none() {
            next = queued.recv().await;
        }
    }
    if unsynced {
        store.make_durable().await?;
    }
    Ok(())
}

/// Stores one batch in line order: its statuses and the documents before the first
/// deletion, that deletion, the documents up to the next, and so on. A deletion that removed
/// a document counts as stored, one of a document that is not there as unchanged: replaying
/// a deletion changes nothing.
async fn store_batch(
    store: &dyn Store,
    tenant: &str,
    statuses: Vec<StatusEntry>,
    documents: Vec<ordo_store::ImportDoc>,
    deletes: Vec<read::Deletion>,
) -> StoreResult<BatchCounts> {
    if deletes.is_empty() {
        return store.import_batch(tenant, statuses, documents).await;
    }
    let mut counts = BatchCounts::default();
    let mut statuses = Some(statuses);
    let mut documents = documents.into_iter();
    let mut stored = 0;
    for deletion in deletes {
        let run: Vec<_> = documents.by_ref().take(deletion.after - stored).collect();
        stored = deletion.after;
        let done = store
            .import_batch(tenant, statuses.take().unwrap_or_default(), run)
            .await?;
        counts.stored += done.stored;
        counts.unchanged += done.unchanged;
        let scope = ordo_store::Scope::tenant(tenant);
        match store
            .delete(
                scope,
                deletion.kind,
                &deletion.id,
                ordo_store::Precondition::None,
            )
            .await
        {
            Ok(_) => counts.stored += 1,
            Err(StoreError::NotFound) => counts.unchanged += 1,
            Err(error) => return Err(error),
        }
    }
    let done = store
        .import_batch(tenant, statuses.unwrap_or_default(), documents.collect())
        .await?;
    counts.stored += done.stored;
    counts.unchanged += done.unchanged;
    Ok(counts)
}

/// What an import reported, and what it stored since.
#[derive(Default)]
struct Progress {
    report: ImportReport,
    pending: BatchCounts,
    /// What `ordo_import_lines_total` has been told of this import.
    counted: ImportReport,
}

/// Adds to `ordo_import_lines_total{result}` the lines `report` has beyond `counted`.
fn count_lines(counted: &mut ImportReport, report: &ImportReport) {
    for (result, now, before) in [
        ("stored", report.stored, &mut counted.stored),
        ("unchanged", report.unchanged, &mut counted.unchanged),
        ("rejected", report.rejected, &mut counted.rejected),
    ] {
        metrics::counter!("ordo_import_lines_total", "result" => result)
            .increment(now.saturating_sub(*before));
        *before = now;
    }
}

impl Progress {
    fn hear(&mut self, event: Written, sink: &mut (dyn ImportSink + Send)) {
        match event {
            Written::Stored(counts) => {
                self.pending.stored += counts.stored;
                self.pending.unchanged += counts.unchanged;
            }
            Written::Durable {
                bytes_read,
                rejected,
            } => {
                self.report.add(std::mem::take(&mut self.pending));
                self.report.rejected = rejected;
                count_lines(&mut self.counted, &self.report);
                sink.progress(&self.report, bytes_read);
            }
        }
    }
}

impl ImportReport {
    /// Counts what became durable.
    fn add(&mut self, durable: BatchCounts) {
        self.stored += durable.stored;
        self.unchanged += durable.unchanged;
    }
}

/// One line of an import: a document, an entry of the status dictionary, or a deletion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    Document(Box<Ingested>),
    Status(StatusEntry),
    /// `{"kind":"order","orderId":"X","deleted":true}`: the document is deleted (as `ordo
    /// export --changes` writes a tombstone of the change feed).
    Delete {
        kind: Kind,
        id: String,
    },
}

fn problem(text: String) -> ValidationError {
    ValidationError {
        field: String::new(),
        problem: text,
    }
}

/// One line of a document: `None` when blank, else the document or every problem it has.
pub fn parse_line(line: &[u8]) -> Result<Option<Ingested>, Vec<ValidationError>> {
    match parse_entry(line)? {
        None => Ok(None),
        Some(Entry::Document(ingested)) => Ok(Some(*ingested)),
        Some(Entry::Status(_)) => Err(vec![ValidationError {
            field: "kind".into(),
            problem: "a status entry where a document was expected".into(),
        }]),
        Some(Entry::Delete { .. }) => Err(vec![ValidationError {
            field: "deleted".into(),
            problem: "a deletion where a document was expected".into(),
        }]),
    }
}

/// One line of an import: `None` when blank, else the entry or every problem it has.
pub fn parse_entry(line: &[u8]) -> Result<Option<Entry>, Vec<ValidationError>> {
    let Ok(text) = std::str::from_utf8(line) else {
        return Err(vec![problem("line is not valid UTF-8".into())]);
    };
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let value = Json::parse(text).map_err(|e| {
        // serde's own "at line 1 column N" would read as a line of the file.
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message);
        vec![problem(format!(
            "not valid JSON: {message} at column {}",
            e.column()
        ))]
    })?;
    let expect = Expect {
        kind: None,
        id: None,
        now: Timestamp::now(),
    };
    if value.get("kind").and_then(Json::as_str) == Some("status") {
        return StatusEntry::parse(value, None).map(|entry| Some(Entry::Status(entry)));
    }
    if let Some(deletion) = deletion(&value) {
        return deletion.map(Some);
    }
    ingest(value, expect).map(|ingested| Some(Entry::Document(Box::new(ingested))))
}

/// A line with `"deleted": true` is a deletion: it holds its kind and id and nothing else,
/// so that a document cannot be mistaken for one. `None` for every other line.
fn deletion(value: &Json<'_>) -> Option<Result<Entry, Vec<ValidationError>>> {
    let object = value.as_object()?;
    if object.get("deleted")?.as_bool() != Some(true) {
        return None;
    }
    let refuse = |field: &str, text: &str| {
        Some(Err(vec![ValidationError {
            field: field.to_owned(),
            problem: text.to_owned(),
        }]))
    };
    let Some(kind) = object.get("kind").and_then(Json::as_str) else {
        return refuse("kind", "required");
    };
    let Ok(kind) = kind.parse::<Kind>() else {
        return refuse("kind", "not a document kind");
    };
    let Some(id) = object.get(kind.id_field()).and_then(Json::as_str) else {
        return refuse(kind.id_field(), "required");
    };
    if let Some(problem) = ordo_model::ingest::id_problem(id) {
        return refuse(kind.id_field(), problem);
    }
    if let Some((field, _)) = object
        .iter()
        .find(|(field, _)| !["kind", "deleted", kind.id_field()].contains(field))
    {
        return refuse(
            field,
            "a deletion holds only kind, id and \"deleted\": true",
        );
    }
    Some(Ok(Entry::Delete {
        kind,
        id: id.to_owned(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_lines_name_their_problem() {
        assert_eq!(parse_line(b"  "), Ok(None));
        let utf8 = parse_line(b"{\"kind\":\"\xff\"}").unwrap_err();
        assert!(utf8[0].problem.contains("UTF-8"));
        let json = parse_line(b"{\"kind\":").unwrap_err();
        assert!(json[0].problem.starts_with("not valid JSON"));
        let kind = parse_line(b"{\"kind\":\"invoice\"}").unwrap_err();
        assert_eq!(kind[0].field, "kind");
    }

    #[test]
    fn a_deletion_line_holds_its_kind_and_id_only() {
        let line = br#"{"kind":"order","orderId":"X","deleted":true}"#;
        assert_eq!(
            parse_entry(line),
            Ok(Some(Entry::Delete {
                kind: Kind::Order,
                id: "X".into()
            }))
        );
        let extra = parse_entry(br#"{"kind":"order","orderId":"X","total":1,"deleted":true}"#);
        assert_eq!(extra.unwrap_err()[0].field, "total");
        let no_id = parse_entry(br#"{"kind":"quote","orderId":"X","deleted":true}"#);
        assert_eq!(no_id.unwrap_err()[0].field, "quoteId");
        assert!(parse_line(line).is_err(), "not a document");
    }
}
