//! One NDJSON line, as `ordo import` and `POST /v1/import` read it (`parse_entry`: a document,
//! or a `"kind":"status"` entry of the status dictionary; and `parse_line`, documents only), and
//! the same bytes as the JSON body of `PUT /v1/{kind}/{id}` (`ingest` with the kind and id of a
//! path).
//!
//! Nothing may panic; a refusal names at least one problem; an accepted document reads back
//! from its own JSON to the same document and the same stored bytes, a status entry from its
//! own line to the same entry.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ordo_model::{Document, Expect, Kind, StatusEntry, Timestamp, ingest};
use ordo_import::{Entry, parse_entry, parse_line};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let blank = std::str::from_utf8(data).is_ok_and(|t| t.trim().is_empty());
    match parse_entry(data) {
        Ok(Some(Entry::Document(ingested))) => reads_back(&ingested.document),
        Ok(Some(Entry::Status(entry))) => status_reads_back(&entry),
        Ok(None) => assert!(blank),
        Err(problems) => assert_refused(&problems),
    }
    match parse_line(data) {
        Ok(Some(ingested)) => reads_back(&ingested.document),
        Ok(None) => assert!(blank),
        Err(problems) => assert_refused(&problems),
    }

    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let named = value
        .get("kind")
        .and_then(Value::as_str)
        .and_then(|k| k.parse::<Kind>().ok());
    for kind in [named, Some(Kind::Order), Some(Kind::VendorOrder)] {
        let Some(kind) = kind else { continue };
        let id = value
            .get(kind.id_field())
            .and_then(Value::as_str)
            .unwrap_or("path-id");
        let expect = Expect {
            kind: Some(kind),
            id: Some(id),
            now: now(),
        };
        match ingest(&value, expect) {
            Ok(ingested) => reads_back(&ingested.document),
            Err(problems) => assert_refused(&problems),
        }
    }
});

fn now() -> Timestamp {
    Timestamp::from_unix(1_700_000_000).expect("a time")
}

fn assert_refused(problems: &[ordo_model::ValidationError]) {
    assert!(!problems.is_empty(), "refused without a reason");
    for problem in problems {
        assert!(
            !problem.problem.is_empty(),
            "a problem without text: {problem:?}"
        );
    }
}

fn reads_back(document: &Document) {
    let again = serde_json::to_value(document).expect("a document serialises");
    let expect = Expect {
        kind: Some(document.kind),
        id: Some(&document.id),
        now: Timestamp::from_unix(0).expect("epoch"),
    };
    match ingest(&again, expect) {
        Ok(read) => {
            assert_eq!(&read.document, document, "read back differently");
            assert_eq!(read.document.to_stored_json(), document.to_stored_json());
        }
        Err(problems) => panic!("an accepted document is refused when sent back: {problems:?}"),
    }
}

fn status_reads_back(entry: &StatusEntry) {
    let mut line = entry.to_json();
    line["kind"] = "status".into();
    match StatusEntry::parse(&line, Some(&entry.status_id)) {
        Ok(read) => assert_eq!(&read, entry, "a status entry read back differently"),
        Err(problems) => panic!("an accepted status entry is refused when sent back: {problems:?}"),
    }
}
