//! NDJSON import, shared by `ordo import` and `POST /v1/import`: one document per line,
//! validated line by line, stored in batches of one transaction each.
//!
//! A batch is committed before its lines are counted as stored, so an import cut short
//! leaves exactly the lines it reported (and no half document) behind.

use std::io::BufRead;

use ordo_model::{Document, Expect, Ingested, Timestamp, ValidationError, ingest};
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

    fn rejected(&mut self, error: LineError);

    /// After each committed batch, with the running report and the bytes read so far.
    fn progress(&mut self, _report: &ImportReport, _bytes_read: u64) {}
}

/// Reads NDJSON from `input` into `tenant`'s documents.
pub async fn import_ndjson(
    store: &dyn Store,
    tenant: &str,
    mut input: impl BufRead,
    sink: &mut (dyn ImportSink + Send),
) -> StoreResult<ImportReport> {
    let mut report = ImportReport::default();
    let mut batch: Vec<Ingested> = Vec::with_capacity(BATCH);
    let mut line = Vec::new();
    let mut number = 0u64;
    let mut bytes_read = 0u64;
    loop {
        let (read, too_long) =
            read_line(&mut input, &mut line).map_err(crate::StoreError::backend)?;
        if read == 0 {
            break;
        }
        number += 1;
        bytes_read += read as u64;
        let outcome = if too_long {
            Err(vec![problem(format!(
                "line longer than {MAX_LINE_BYTES} bytes"
            ))])
        } else {
            parse_line(&line)
        };
        match outcome {
            Ok(None) => {}
            Ok(Some(ingested)) => {
                let refused = sink.check(&ingested.document);
                if refused.is_empty() {
                    batch.push(ingested);
                } else {
                    report.rejected += 1;
                    sink.rejected(LineError {
                        line: number,
                        details: refused,
                    });
                }
            }
            Err(details) => {
                report.rejected += 1;
                sink.rejected(LineError {
                    line: number,
                    details,
                });
            }
        }
        if batch.len() >= BATCH {
            store_batch(store, tenant, &mut batch, &mut report).await?;
            sink.progress(&report, bytes_read);
        }
    }
    store_batch(store, tenant, &mut batch, &mut report).await?;
    sink.progress(&report, bytes_read);
    Ok(report)
}

async fn store_batch(
    store: &dyn Store,
    tenant: &str,
    batch: &mut Vec<Ingested>,
    report: &mut ImportReport,
) -> StoreResult<()> {
    if batch.is_empty() {
        return Ok(());
    }
    for outcome in store.put_many(tenant, std::mem::take(batch)).await? {
        match outcome {
            PutOutcome::Created { .. } | PutOutcome::Replaced { .. } => report.stored += 1,
            PutOutcome::Unchanged { .. } => report.unchanged += 1,
        }
    }
    Ok(())
}

fn problem(text: String) -> ValidationError {
    ValidationError {
        field: String::new(),
        problem: text,
    }
}

/// One line: `None` when blank, else the document or every problem it has.
pub fn parse_line(line: &[u8]) -> Result<Option<Ingested>, Vec<ValidationError>> {
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
    ingest(&value, expect).map(Some)
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
