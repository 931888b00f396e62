//! ordo's canonical order document: kinds, money, time formats, validation and queries.
//! No I/O lives here.
#![forbid(unsafe_code)]

mod canonical;
mod document;
mod extensions;
pub mod ingest;
pub mod json;
mod kind;
mod links;
mod query;
mod status;
mod terms;
mod timestamp;

use std::fmt;

pub use canonical::render_v1;
pub use document::*;
pub use extensions::*;
pub use ingest::{Expect, Ingested, ingest};
pub use json::Json;
pub use kind::{Kind, UnknownKind};
pub use links::{DerivedLinks, LinkField, ParentRef};
pub use query::{DEFAULT_LIMIT, ListFilter, ListQuery, MAX_LIMIT};
pub use rust_decimal::Decimal;
pub use status::{Phase, StatusDictionary, StatusEntry};
pub use terms::Term;
pub use timestamp::Timestamp;

/// One problem with one field of the input, named by its JSON path (`items[3].quantity`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ValidationError {
    pub field: String,
    pub problem: String,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            f.write_str(&self.problem)
        } else {
            write!(f, "{}: {}", self.field, self.problem)
        }
    }
}
