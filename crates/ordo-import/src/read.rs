//! Reading an import: lines a batch at a time, parsed on as many threads as there are cores,
//! checked by the sink in line order.

use std::io::BufRead;
use std::num::NonZero;
use std::ops::Range;
use std::sync::Arc;

use ordo_model::{Kind, StatusEntry, ValidationError};
use ordo_store::{ImportDoc, StoreError, StoreResult};

use crate::{Entry, ImportSink, LineError, MAX_LINE_BYTES, parse_entry, problem};

/// Lines per batch (one transaction), unless `BATCH_BYTES` come first.
const BATCH_LINES: usize = 1000;

/// Bytes of input per batch, give or take a line, so that a batch of long lines still fits
/// in memory and in the SQLite writer's page cache (32 MB).
const BATCH_BYTES: usize = 4 << 20;

/// Fewer lines than this are not split between threads to be parsed.
const MIN_PARSE_SHARE: usize = 200;

/// The lines of an import, read a batch at a time.
pub(crate) struct Reader<R> {
    input: R,
    /// Lines read so far.
    number: u64,
    bytes_read: u64,
    rejected: u64,
    /// Threads to parse a batch on.
    threads: usize,
}

impl<R: BufRead> Reader<R> {
    pub(crate) fn new(input: R) -> Reader<R> {
        Reader {
            input,
            number: 0,
            bytes_read: 0,
            rejected: 0,
            threads: std::thread::available_parallelism().map_or(1, NonZero::get),
        }
    }

    pub(crate) fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    pub(crate) fn rejected(&self) -> u64 {
        self.rejected
    }

    /// The next batch of good entries; bad lines go to the sink. Only at the end of the input
    /// is a batch empty.
    pub(crate) async fn next_batch(
        &mut self,
        sink: &mut (dyn ImportSink + Send),
    ) -> StoreResult<Batch> {
        let mut batch = Batch::default();
        while batch.is_empty() {
            let lines = self.read_lines()?;
            if lines.lines.is_empty() {
                break;
            }
            let parsed = lines.parse(self.threads).await?;
            batch.documents.reserve(parsed.len());
            for (number, outcome) in parsed {
                let refused = match outcome {
                    Ok(None) => continue,
                    Ok(Some(Good::Document(doc))) => {
                        let refused = sink.check(&doc.ingested().document);
                        if refused.is_empty() {
                            batch.documents.push(*doc);
                            continue;
                        }
                        refused
                    }
                    Ok(Some(Good::Status(status))) => {
                        let refused = sink.check_status(&status);
                        if refused.is_empty() {
                            batch.statuses.push(status);
                            continue;
                        }
                        refused
                    }
                    Ok(Some(Good::Delete(kind, id))) => {
                        let refused = sink.check_delete(kind, &id);
                        if refused.is_empty() {
                            batch.deletes.push(Deletion {
                                after: batch.documents.len(),
                                kind,
                                id,
                            });
                            continue;
                        }
                        refused
                    }
                    Err(details) => details,
                };
                self.rejected += 1;
                sink.rejected(LineError {
                    line: number,
                    details: refused,
                });
            }
        }
        batch.bytes_read = self.bytes_read;
        batch.rejected = self.rejected;
        Ok(batch)
    }

    /// Up to `BATCH_LINES` lines or `BATCH_BYTES`; none at the end of the input.
    fn read_lines(&mut self) -> StoreResult<Lines> {
        let mut lines = Lines {
            text: Vec::with_capacity(BATCH_BYTES),
            lines: Vec::with_capacity(BATCH_LINES),
        };
        while lines.lines.len() < BATCH_LINES && lines.text.len() < BATCH_BYTES {
            let start = lines.text.len();
            let (read, too_long) =
                read_line(&mut self.input, &mut lines.text).map_err(StoreError::backend)?;
            if read == 0 {
                break;
            }
            self.number += 1;
            self.bytes_read += read as u64;
            if too_long {
                lines.text.truncate(start);
            }
            lines.lines.push(Line {
                number: self.number,
                text: start..lines.text.len(),
                too_long,
            });
        }
        Ok(lines)
    }
}

/// Lines read but not parsed yet: their text end to end, and where each one is.
struct Lines {
    text: Vec<u8>,
    lines: Vec<Line>,
}

struct Line {
    number: u64,
    text: Range<usize>,
    /// Over `MAX_LINE_BYTES`: refused, and its text not kept.
    too_long: bool,
}

/// A line parsed: blank (`None`), a document with its stored JSON, a status entry, or every
/// problem it has.
type Parsed = Result<Option<Good>, Vec<ValidationError>>;

enum Good {
    Document(Box<ImportDoc>),
    Status(StatusEntry),
    Delete(Kind, String),
}

impl Lines {
    /// Every line's entry or problems, in order, parsed in shares on up to `threads`
    /// blocking threads.
    async fn parse(self, threads: usize) -> StoreResult<Vec<(u64, Parsed)>> {
        let count = self.lines.len();
        let shares = threads.min(count / MIN_PARSE_SHARE).max(1);
        let share = count.div_ceil(shares).max(1);
        let lines = Arc::new(self);
        let tasks: Vec<_> = (0..count)
            .step_by(share)
            .map(|start| {
                let lines = Arc::clone(&lines);
                tokio::task::spawn_blocking(move || {
                    lines.parse_range(start..count.min(start + share))
                })
            })
            .collect();
        let mut parsed = Vec::with_capacity(count);
        for task in tasks {
            parsed.extend(task.await.map_err(StoreError::backend)?);
        }
        Ok(parsed)
    }

    fn parse_range(&self, range: Range<usize>) -> Vec<(u64, Parsed)> {
        self.lines[range]
            .iter()
            .map(|line| {
                let parsed = if line.too_long {
                    Err(vec![problem(format!(
                        "line longer than {MAX_LINE_BYTES} bytes"
                    ))])
                } else {
                    parse_entry(&self.text[line.text.clone()]).map(|entry| {
                        entry.map(|entry| match entry {
                            Entry::Document(ingested) => {
                                Good::Document(Box::new(ImportDoc::new(*ingested)))
                            }
                            Entry::Status(status) => Good::Status(status),
                            Entry::Delete { kind, id } => Good::Delete(kind, id),
                        })
                    })
                };
                (line.number, parsed)
            })
            .collect()
    }
}

/// Good entries read but not stored yet.
#[derive(Default)]
pub(crate) struct Batch {
    pub(crate) documents: Vec<ImportDoc>,
    pub(crate) statuses: Vec<StatusEntry>,
    /// In line order, each after the documents of the lines before it.
    pub(crate) deletes: Vec<Deletion>,
    /// Input bytes and rejected lines up to the batch's end.
    pub(crate) bytes_read: u64,
    pub(crate) rejected: u64,
}

impl Batch {
    /// Appends `later`, a batch without deletions read after this one: the two are then
    /// stored as one, as if read as one.
    pub(crate) fn absorb(&mut self, later: Batch) {
        debug_assert!(later.deletes.is_empty());
        self.documents.extend(later.documents);
        self.statuses.extend(later.statuses);
        self.bytes_read = later.bytes_read;
        self.rejected = later.rejected;
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.documents.is_empty() && self.statuses.is_empty() && self.deletes.is_empty()
    }
}

/// A deletion line of a batch.
pub(crate) struct Deletion {
    /// How many of the batch's documents come before it: those are stored first.
    pub(crate) after: usize,
    pub(crate) kind: Kind,
    pub(crate) id: String,
}

/// Appends the next line of `input` to `out`, without its `\n`, keeping at most
/// `MAX_LINE_BYTES + 1` bytes of it. Returns the bytes consumed and whether the line was cut.
fn read_line(input: &mut impl BufRead, out: &mut Vec<u8>) -> std::io::Result<(usize, bool)> {
    let start = out.len();
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
        let room = (MAX_LINE_BYTES + 1).saturating_sub(out.len() - start);
        out.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let used = if done > 0 { done } else { buf.len() };
        input.consume(used);
        consumed += used;
        if done > 0 {
            break;
        }
    }
    Ok((consumed, out.len() - start > MAX_LINE_BYTES))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_split_and_overlong_ones_cut() {
        let mut input: &[u8] = b"a\n\nbc";
        let mut text = Vec::new();
        assert_eq!(read_line(&mut input, &mut text).unwrap(), (2, false));
        assert_eq!(text, b"a");
        assert_eq!(read_line(&mut input, &mut text).unwrap(), (1, false));
        assert_eq!(read_line(&mut input, &mut text).unwrap(), (2, false));
        assert_eq!(text, b"abc");
        assert_eq!(read_line(&mut input, &mut text).unwrap(), (0, false));

        let long = vec![b'x'; MAX_LINE_BYTES + 10];
        let mut input: &[u8] = &long;
        assert_eq!(
            read_line(&mut input, &mut text).unwrap(),
            (MAX_LINE_BYTES + 10, true)
        );

        for (length, cut) in [(MAX_LINE_BYTES, false), (MAX_LINE_BYTES + 1, true)] {
            let mut line = vec![b'x'; length];
            line.extend_from_slice(b"\nnext\n");
            let mut input: &[u8] = &line;
            let mut text = Vec::new();
            assert_eq!(read_line(&mut input, &mut text).unwrap(), (length + 1, cut));
            text.clear();
            assert_eq!(read_line(&mut input, &mut text).unwrap(), (5, false));
            assert_eq!(text, b"next");
        }
    }
}
