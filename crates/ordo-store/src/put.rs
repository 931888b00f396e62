//! What a write does, whatever the backend: preconditions, the customer of the key, and
//! whether the document changed at all. Backends run the SQL around it.

use std::cell::RefCell;

use ordo_model::{Document, Ingested, Kind, Timestamp};

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

/// A parent whose derived lists a write changed: (kind, id, the child's customer). Links join
/// documents of one customer only, so the parent changes only if it is that customer's; `None`
/// where the link may join two customers (`Kind::links_across_customers`).
pub(crate) type TouchedParent = (i64, String, Option<String>);

pub(crate) fn decide(
    scope: Scope<'_>,
    ingested: Ingested,
    options: PutOptions,
    existing: Option<&Existing>,
) -> StoreResult<Decision> {
    decide_with_body(scope, ingested, None, options, existing)
}

/// `decide`, given the stored JSON of the document as ingested when it is made already.
pub(crate) fn decide_with_body(
    scope: Scope<'_>,
    ingested: Ingested,
    body: Option<String>,
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
        let body = body.unwrap_or_else(|| stored_json(&document));
        return Ok(Decision::Write {
            document: Box::new(document),
            body,
        });
    };
    // Without an updatedAt of its own, a re-sent document compares as if it had the stored
    // one: identical content is a no-op, not a new revision.
    if let Some(stored) = stored_updated_at(&existing.body).filter(|_| !updated_at_given) {
        let written_at = std::mem::replace(&mut document.updated_at, stored);
        if stored_json(&document) == existing.body {
            return Ok(Decision::Unchanged {
                revision: existing.revision,
            });
        }
        document.updated_at = written_at;
    }
    let body = body.unwrap_or_else(|| stored_json(&document));
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

/// Whether a delete of the stored document `existing` (revision, customer) may go ahead: a
/// document outside the scope is not there for the caller (`NotFound`, as for a read).
pub(crate) fn check_delete(
    scope: Scope<'_>,
    precondition: Precondition,
    existing: Option<(i64, &str)>,
) -> StoreResult<i64> {
    let Some((revision, _)) =
        existing.filter(|(_, customer)| scope.customer.is_none_or(|own| own == *customer))
    else {
        return Err(StoreError::NotFound);
    };
    let holds = match precondition {
        Precondition::None | Precondition::Exists => true,
        Precondition::Revision(expected) => expected == revision,
        Precondition::Absent => false,
    };
    if holds {
        Ok(revision)
    } else {
        Err(StoreError::Conflict {
            current_revision: Some(revision),
        })
    }
}

/// `Document::to_stored_json`, serialised into a buffer kept by the thread: a body of a few
/// KiB grown from serde_json's 128 bytes took five reallocations, a tenth of an import's writing.
pub(crate) fn stored_json(document: &Document) -> String {
    /// A buffer grown past this is not kept, so that one huge document does not hold memory.
    const KEEP: usize = 1 << 20;
    thread_local! {
        static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }
    BUFFER.with_borrow_mut(|buffer| {
        buffer.clear();
        serde_json::to_writer(&mut *buffer, document).expect("a document always serialises");
        let body = std::str::from_utf8(buffer)
            .expect("JSON is UTF-8")
            .to_owned();
        if buffer.capacity() > KEEP {
            *buffer = Vec::new();
        }
        body
    })
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
pub(crate) fn touched_parents(child: Kind, old: &[LinkRow], new: &[LinkRow]) -> Vec<TouchedParent> {
    if old == new {
        return Vec::new();
    }
    let across =
        |parent: i64| Kind::from_code(parent).is_some_and(|p| child.links_across_customers(p));
    let mut parents: Vec<TouchedParent> = old
        .iter()
        .chain(new)
        .map(|(k, p, customer, _)| (*k, p.clone(), (!across(*k)).then(|| customer.clone())))
        .collect();
    parents.sort();
    parents.dedup();
    parents
}

#[cfg(test)]
mod tests {
    use ordo_demo::{DemoConfig, generate};

    use super::stored_json;

    #[test]
    fn stored_json_is_to_stored_json() {
        for document in generate(&DemoConfig::new(7, 30)) {
            assert_eq!(stored_json(&document), document.to_stored_json());
        }
    }
}
