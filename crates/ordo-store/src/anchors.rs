//! Where deep list pages start. `OFFSET n` steps over n index entries, so a page at offset
//! 10,000 costs ten thousand steps before its first row. The stores remember instead, for each
//! list window, the sort key `(updatedAt, id)` of the entry before every `STEP`-th position,
//! found once by stepping, and start a deep page right after the nearest one below it: an
//! index search, then at most `STEP - 1` steps.
//!
//! A remembered key is only as good as the data it was found in. Every change to a tenant's
//! documents raises the tenant's highest revision, so keys are kept with that revision and
//! used only by a read that sees the same one (read in the same snapshot as the page).

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use ordo_model::{Kind, ListFilter, ListQuery, Timestamp};

/// Positions at multiples of this are remembered.
pub(crate) const STEP: u64 = 1000;

/// Windows kept at once; when full, the memory starts over.
const WINDOWS: usize = 1024;

/// Keys kept a window: offsets up to `STEP * MARKS` start from a remembered key.
const MARKS: usize = 1000;

/// The sort key of one entry of a list window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Mark {
    pub updated_at: i64,
    pub id: String,
}

/// One list window: what the list query's `WHERE` and `ORDER BY` depend on.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Window {
    tenant: String,
    customer: Option<String>,
    kind: Kind,
    from: i64,
    to: i64,
    newest: bool,
    /// The terms filtered by (its customer is `customer`).
    filter: ListFilter,
}

impl Window {
    /// The window of `query` in `tenant`'s documents of `kind`, bounded to `customer` (the
    /// key's or the one asked for).
    pub fn new(tenant: &str, customer: Option<&str>, kind: Kind, query: &ListQuery) -> Window {
        Window {
            tenant: tenant.to_owned(),
            customer: customer.map(str::to_owned),
            kind,
            from: query.from.map_or(i64::MIN, Timestamp::unix),
            to: query.to.map_or(i64::MAX, Timestamp::unix),
            newest: query.newest,
            filter: {
                let mut filter = query.filter.clone();
                filter.customer_id = None;
                filter
            },
        }
    }
}

/// Where a page starts: right after `mark`, the key of the entry before `position` (for
/// position 0, a key before the whole window), then `offset - position` entries further.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Start {
    pub position: u64,
    pub mark: Mark,
}

impl Start {
    /// The start of a window: a page at offset n steps n entries. Its key comes just before
    /// the window's first possible entry: newest first, `(to + 1 s, "")`, which every entry up
    /// to `to` is below; oldest first, `(from, "")`, which every entry from `from` on is above,
    /// since ids are never empty.
    pub fn origin(query: &ListQuery) -> Start {
        let updated_at = if query.newest {
            query.to.map_or(i64::MAX, Timestamp::unix).saturating_add(1)
        } else {
            query.from.map_or(i64::MIN, Timestamp::unix)
        };
        Start {
            position: 0,
            mark: Mark {
                updated_at,
                id: String::new(),
            },
        }
    }
}

#[derive(Default)]
pub(crate) struct Anchors {
    windows: Mutex<HashMap<Window, Marks>>,
}

struct Marks {
    revision: i64,
    by_position: BTreeMap<u64, Mark>,
}

impl Anchors {
    /// The remembered start nearest at or below `offset`, for data at `revision`.
    pub fn nearest(&self, window: &Window, query: &ListQuery, revision: i64, offset: u64) -> Start {
        let windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        windows
            .get(window)
            .filter(|marks| marks.revision == revision)
            .and_then(|marks| marks.by_position.range(..=offset).next_back())
            .map_or_else(
                || Start::origin(query),
                |(&position, mark)| Start {
                    position,
                    mark: mark.clone(),
                },
            )
    }

    /// Remembers the key of the entry before `position` (a multiple of `STEP`), found in data
    /// at `revision`; keys of other revisions are forgotten.
    pub fn remember(&self, window: &Window, revision: i64, position: u64, mark: Mark) {
        debug_assert_eq!(position % STEP, 0);
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if !windows.contains_key(window) && windows.len() >= WINDOWS {
            windows.clear();
        }
        let marks = windows.entry(window.clone()).or_insert_with(|| Marks {
            revision,
            by_position: BTreeMap::new(),
        });
        if marks.revision != revision {
            marks.revision = revision;
            marks.by_position.clear();
        }
        if marks.by_position.len() < MARKS {
            marks.by_position.insert(position, mark);
        }
    }
}

/// The position worth remembering for a page at `offset`: the last multiple of `STEP` at or
/// below it, when that is past the start and past `start`.
pub(crate) fn wanted(offset: u64, start: &Start) -> Option<u64> {
    let position = offset / STEP * STEP;
    (position > start.position).then_some(position)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window() -> Window {
        Window::new("t", None, Kind::Order, &ListQuery::default())
    }

    fn q() -> ListQuery {
        ListQuery::default()
    }

    fn mark(n: i64) -> Mark {
        Mark {
            updated_at: n,
            id: n.to_string(),
        }
    }

    #[test]
    fn the_nearest_mark_at_or_below_the_offset_is_used() {
        let anchors = Anchors::default();
        let w = window();
        assert_eq!(anchors.nearest(&w, &q(), 7, 5000).position, 0);
        anchors.remember(&w, 7, 1000, mark(1));
        anchors.remember(&w, 7, 3000, mark(3));
        assert_eq!(anchors.nearest(&w, &q(), 7, 2999).mark, mark(1));
        assert_eq!(anchors.nearest(&w, &q(), 7, 3000).mark, mark(3));
        assert_eq!(anchors.nearest(&w, &q(), 7, 999).position, 0);
    }

    #[test]
    fn marks_of_another_revision_are_not_used() {
        let anchors = Anchors::default();
        let w = window();
        anchors.remember(&w, 7, 1000, mark(1));
        assert_eq!(anchors.nearest(&w, &q(), 8, 1500).position, 0);
        anchors.remember(&w, 8, 2000, mark(2));
        assert_eq!(anchors.nearest(&w, &q(), 8, 1500).position, 0);
        assert_eq!(anchors.nearest(&w, &q(), 7, 2500).position, 0);
    }

    #[test]
    fn the_origin_lies_just_outside_the_window() {
        let from = Timestamp::parse("2024-01-01T00:00:00Z");
        let to = Timestamp::parse("2024-01-02T00:00:00Z");
        let newest = ListQuery { from, to, ..q() };
        let oldest = ListQuery {
            newest: false,
            ..newest.clone()
        };
        assert_eq!(
            Start::origin(&newest).mark.updated_at,
            to.unwrap().unix() + 1
        );
        assert_eq!(Start::origin(&oldest).mark.updated_at, from.unwrap().unix());
        assert_eq!(Start::origin(&q()).mark.updated_at, i64::MAX);
    }

    #[test]
    fn windows_are_apart() {
        let anchors = Anchors::default();
        let w = window();
        let mut other = window();
        other.customer = Some("c1".into());
        let filtered = ListQuery {
            filter: ListFilter::default().with(ordo_model::Term::ProductId, ["p"]),
            ..q()
        };
        let by_product = Window::new("t", None, Kind::Order, &filtered);
        anchors.remember(&w, 7, 1000, mark(1));
        assert_eq!(anchors.nearest(&other, &q(), 7, 1500).position, 0);
        assert_eq!(anchors.nearest(&by_product, &filtered, 7, 1500).position, 0);
    }

    #[test]
    fn only_positions_past_the_start_are_wanted() {
        let start = Start {
            position: 1000,
            mark: mark(1),
        };
        assert_eq!(wanted(1999, &start), None);
        assert_eq!(wanted(2500, &start), Some(2000));
        let origin = Start::origin(&q());
        assert_eq!(wanted(999, &origin), None);
        assert_eq!(wanted(10_000, &origin), Some(10_000));
    }
}
