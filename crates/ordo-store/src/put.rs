//! What a write does, whatever the backend: preconditions, the customer of the key, and
//! whether the document changed at all. Backends run the SQL around it.

use ordo_model::{Document, Ingested, Timestamp};

use crate::{Precondition, PutOptions, Scope, StoreError, StoreResult};

/// The stored row a write replaces.
pub(crate) struct Existing {
    pub revision: i64,
    pub customer_id: String,
    pub body: String,
}

pub(crate) enum Decision {
    /// The same document is stored: no write, no new revision.
    Unchanged { revision: i64 },
    /// Write `body` (the stored form of `document`).
    Write {
        document: Box<Document>,
        body: String,
    },
}

/// One link row of a child: (parent kind, parent id, child customer, child created).
pub(crate) type LinkRow = (i64, String, String, i64);

pub(crate) fn decide(
    scope: Scope<'_>,
    ingested: Ingested,
    options: PutOptions,
    existing: Option<&Existing>,
) -> StoreResult<Decision> {
    let Ingested {
        mut document,
        updated_at_given,
    } = ingested;
    if options.only_customer {
        let own = scope.customer.unwrap_or_default();
        let theirs = existing.map(|e| e.customer_id.as_str());
        if document.customer_id != own || theirs.is_some_and(|c| c != own) {
            return Err(StoreError::OtherCustomer);
        }
    }
    let current = existing.map(|e| e.revision);
    let holds = match options.precondition {
        Precondition::None => true,
        Precondition::Revision(expected) => current == Some(expected),
        Precondition::Exists => current.is_some(),
        Precondition::Absent => current.is_none(),
    };
    if !holds {
        return Err(StoreError::Conflict {
            current_revision: current,
        });
    }
    let Some(existing) = existing else {
        let body = document.to_stored_json();
        return Ok(Decision::Write {
            document: Box::new(document),
            body,
        });
    };
    // Without an updatedAt of its own, a re-sent document compares as if it had the stored
    // one: identical content is a no-op, not a new revision.
    if let Some(stored) = stored_updated_at(&existing.body).filter(|_| !updated_at_given) {
        let written_at = std::mem::replace(&mut document.updated_at, stored);
        if document.to_stored_json() != existing.body {
            document.updated_at = written_at;
        }
    }
    let body = document.to_stored_json();
    if body == existing.body {
        Ok(Decision::Unchanged {
            revision: existing.revision,
        })
    } else {
        Ok(Decision::Write {
            document: Box::new(document),
            body,
        })
    }
}

fn stored_updated_at(body: &str) -> Option<Timestamp> {
    #[derive(serde::Deserialize)]
    struct Only {
        #[serde(rename = "updatedAt")]
        updated_at: String,
    }
    let only: Only = serde_json::from_str(body).ok()?;
    Timestamp::parse(&only.updated_at)
}

/// The link rows a document should have, sorted.
pub(crate) fn link_rows(document: &Document) -> Vec<LinkRow> {
    let mut rows: Vec<LinkRow> = document
        .parents()
        .into_iter()
        .map(|p| {
            (
                p.kind.code(),
                p.id,
                document.customer_id.clone(),
                document.created_at.unix(),
            )
        })
        .collect();
    rows.sort();
    rows
}

/// The parents whose derived lists change when a child's link rows go from `old` to `new`.
pub(crate) fn touched_parents(old: &[LinkRow], new: &[LinkRow]) -> Vec<(i64, String)> {
    if old == new {
        return Vec::new();
    }
    let mut parents: Vec<(i64, String)> = old
        .iter()
        .chain(new)
        .map(|(k, p, _, _)| (*k, p.clone()))
        .collect();
    parents.sort();
    parents.dedup();
    parents
}
