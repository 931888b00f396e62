//! Rows to `StoredDoc`s, whatever the backend: each document gets the derived link lists its
//! children's link rows give it.

use std::collections::HashMap;

use ordo_model::{DerivedLinks, Kind};

use crate::StoredDoc;

pub(crate) struct RawDoc {
    pub kind: Kind,
    pub id: String,
    pub revision: i64,
    pub body: String,
}

/// A child found for one of the documents read.
pub(crate) struct LinkHit {
    pub parent_kind: Kind,
    pub parent_id: String,
    pub child_kind: Kind,
    pub child_id: String,
}

/// The ids of `rows` that can have children, grouped by kind: one link query per group.
pub(crate) fn parents_by_kind(rows: &[RawDoc]) -> Vec<(Kind, Vec<&str>)> {
    Kind::ALL
        .into_iter()
        .filter(|kind| !kind.derived_lists().is_empty())
        .map(|kind| {
            let ids = rows
                .iter()
                .filter(|r| r.kind == kind)
                .map(|r| r.id.as_str())
                .collect();
            (kind, ids)
        })
        .filter(|(_, ids): &(Kind, Vec<&str>)| !ids.is_empty())
        .collect()
}

/// `hits` must come in list order (child created, then id) for each parent.
pub(crate) fn assemble(rows: Vec<RawDoc>, hits: Vec<LinkHit>) -> Vec<StoredDoc> {
    let mut derived: HashMap<(Kind, String), DerivedLinks> = HashMap::new();
    for hit in hits {
        derived
            .entry((hit.parent_kind, hit.parent_id))
            .or_insert_with(|| DerivedLinks::empty(hit.parent_kind))
            .push(hit.parent_kind, hit.child_kind, hit.child_id);
    }
    rows.into_iter()
        .map(|r| {
            let links = derived.remove(&(r.kind, r.id.clone()));
            StoredDoc {
                derived: links.unwrap_or_else(|| DerivedLinks::empty(r.kind)),
                kind: r.kind,
                id: r.id,
                revision: r.revision,
                body: r.body,
            }
        })
        .collect()
}
