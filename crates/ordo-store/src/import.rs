//! NDJSON import, shared by `ordo import` and `POST /v1/import`: one document per line,
//! validated line by line, stored in batches of one transaction each.
//!
//! A batch is committed before its lines are counted as stored, so an import cut short
//! leaves exactly the lines it reported (and no half document) behind.

use std::io::BufRead;
use std::sync::Arc;

use ordo_model::{Document, Expect, Ingested, StatusEntry, Timestamp, ValidationError, ingest};
use serde::Serialize;

use crate::{PutOutcome, Store, StoreResult};

/// Lines per transaction: large enough to amortise the fsync of `synchronous=FULL`.
const BATCH: usize = 1000;

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

    fn rejected(&mut self, error: LineError);

    /// After each committed batch, with the running report and the bytes read so far.
    fn progress(&mut self, _report: &ImportReport, _bytes_read: u64) {}
}

/// Reads NDJSON from `input` into `tenant`'s documents.
///
/// Reading and checking the next batch overlaps with storing the previous one: one core
/// parses while the store writes.
pub async fn import_ndjson(
    store: &Arc<dyn Store>,
    tenant: &str,
    input: impl BufRead,
    sink: &mut (dyn ImportSink + Send),
) -> StoreResult<ImportReport> {
    let mut reader = Reader {
        input,
        line: Vec::new(),
        number: 0,
        bytes_read: 0,
        rejected: 0,
    };
    let mut report = ImportReport::default();
    let mut batch = reader.next_batch(sink)?;
    while !batch.is_empty() {
        // The batch is stored by a task of its own, so that its writes progress even while
        // this task waits on a slow input (`ordo import -` fed by a pipe).
        let writing = tokio::spawn(store_batch(Arc::clone(store), tenant.to_owned(), batch));
        let next = reader.next_batch(sink);
        let (stored, unchanged) = writing.await.map_err(crate::StoreError::backend)??;
        report.stored += stored;
        report.unchanged += unchanged;
        report.rejected = reader.rejected;
        // Progress is reported for committed batches only; the next one is still in hand.
        sink.progress(&report, reader.bytes_read);
        batch = next?;
    }
    report.rejected = reader.rejected;
    sink.progress(&report, reader.bytes_read);
    Ok(report)
}

/// The lines of an import, read and checked a batch at a time.
struct Reader<R> {
    input: R,
    line: Vec<u8>,
    number: u64,
    bytes_read: u64,
    rejected: u64,
}

impl<R: BufRead> Reader<R> {
    /// The next `BATCH` good entries (fewer at the end); bad lines go to the sink.
    fn next_batch(&mut self, sink: &mut (dyn ImportSink + Send)) -> StoreResult<Batch> {
        let mut batch = Batch::default();
        while batch.len() < BATCH {
            let (read, too_long) =
                read_line(&mut self.input, &mut self.line).map_err(crate::StoreError::backend)?;
            if read == 0 {
                break;
            }
            self.number += 1;
            self.bytes_read += read as u64;
            let outcome = if too_long {
                Err(vec![problem(format!(
                    "line longer than {MAX_LINE_BYTES} bytes"
                ))])
            } else {
                parse_entry(&self.line)
            };
            let refused = match outcome {
                Ok(None) => continue,
                Ok(Some(Entry::Document(ingested))) => {
                    let refused = sink.check(&ingested.document);
                    if refused.is_empty() {
                        batch.documents.push(*ingested);
                        continue;
                    }
                    refused
                }
                Ok(Some(Entry::Status(status))) => {
                    let refused = sink.check_status(&status);
                    if refused.is_empty() {
                        batch.statuses.push(status);
                        continue;
                    }
                    refused
                }
                Err(details) => details,
            };
            self.rejected += 1;
            sink.rejected(LineError {
                line: self.number,
                details: refused,
            });
        }
        Ok(batch)
    }
}

/// Lines read but not stored yet.
#[derive(Default)]
struct Batch {
    documents: Vec<Ingested>,
    statuses: Vec<StatusEntry>,
}

impl Batch {
    fn len(&self) -> usize {
        self.documents.len() + self.statuses.len()
    }

    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One line of an import: a document, or an entry of the status dictionary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    Document(Box<Ingested>),
    Status(StatusEntry),
}

/// Stores one batch in one transaction; (stored, unchanged).
async fn store_batch(
    store: Arc<dyn Store>,
    tenant: String,
    batch: Batch,
) -> StoreResult<(u64, u64)> {
    let (mut stored, mut unchanged) = (0, 0);
    // Statuses first: a document of the same batch may name one.
    if !batch.statuses.is_empty() {
        for changed in store.put_statuses(&tenant, batch.statuses).await? {
            if changed {
                stored += 1;
            } else {
                unchanged += 1;
            }
        }
    }
    if !batch.documents.is_empty() {
        for outcome in store.put_many(&tenant, batch.documents).await? {
            match outcome {
                PutOutcome::Created { .. } | PutOutcome::Replaced { .. } => stored += 1,
                PutOutcome::Unchanged { .. } => unchanged += 1,
            }
        }
    }
    Ok((stored, unchanged))
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
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
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
    if value.get("kind").and_then(serde_json::Value::as_str) == Some("status") {
        return StatusEntry::parse(&value, None).map(|entry| Some(Entry::Status(entry)));
    }
    ingest(&value, expect).map(|ingested| Some(Entry::Document(Box::new(ingested))))
}

/// Reads up to and including the next `\n` into `line` (without it), keeping at most
/// `MAX_LINE_BYTES + 1` bytes. Returns the bytes consumed and whether the line was cut.
fn read_line(input: &mut impl BufRead, line: &mut Vec<u8>) -> std::io::Result<(usize, bool)> {
    line.clear();
    let mut consumed = 0;
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        let (chunk, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(at) => (&buf[..at], at + 1),
            None => (buf, 0),
        };
        let room = (MAX_LINE_BYTES + 1).saturating_sub(line.len());
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let used = if done > 0 { done } else { buf.len() };
        input.consume(used);
        consumed += used;
        if done > 0 {
            break;
        }
    }
    Ok((consumed, line.len() > MAX_LINE_BYTES))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_split_and_overlong_ones_cut() {
        let mut input: &[u8] = b"a\n\nbc";
        let mut line = Vec::new();
        assert_eq!(read_line(&mut input, &mut line).unwrap(), (2, false));
        assert_eq!(line, b"a");
        assert_eq!(read_line(&mut input, &mut line).unwrap(), (1, false));
        assert_eq!(read_line(&mut input, &mut line).unwrap(), (2, false));
        assert_eq!(line, b"bc");
        assert_eq!(read_line(&mut input, &mut line).unwrap(), (0, false));

        let long = vec![b'x'; MAX_LINE_BYTES + 10];
        let mut input: &[u8] = &long;
        assert_eq!(
            read_line(&mut input, &mut line).unwrap(),
            (MAX_LINE_BYTES + 10, true)
        );
    }

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
}
