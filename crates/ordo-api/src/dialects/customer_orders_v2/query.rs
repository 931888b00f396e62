//! The query string parsed into a typed `OrdersQuery`: paging (`limit`, `skip`, `page`) and the
//! filters (`includesStatus`, `excludesStatus`, `templateNames`), every problem in one 400;
//! and mittwald's `OrderStatus`, which the filters name and each phase maps to.

use std::collections::BTreeMap;
use std::ops::Range;

use ordo_model::Phase;

use super::error::Violation;

/// mittwald's `OrderStatus`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum OrderStatus {
    New,
    Confirmed,
    Rejected,
    Aborted,
    Executed,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 5] = [
        OrderStatus::New,
        OrderStatus::Confirmed,
        OrderStatus::Rejected,
        OrderStatus::Aborted,
        OrderStatus::Executed,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            OrderStatus::New => "NEW",
            OrderStatus::Confirmed => "CONFIRMED",
            OrderStatus::Rejected => "REJECTED",
            OrderStatus::Aborted => "ABORTED",
            OrderStatus::Executed => "EXECUTED",
        }
    }

    /// Exactly as written: upper case.
    pub fn parse(text: &str) -> Option<OrderStatus> {
        OrderStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub const fn from_phase(phase: Phase) -> OrderStatus {
        match phase {
            Phase::New => OrderStatus::New,
            Phase::Open | Phase::Ready => OrderStatus::Confirmed,
            Phase::Shipped | Phase::Delivered | Phase::Completed => OrderStatus::Executed,
            Phase::Cancelled => OrderStatus::Aborted,
            Phase::Rejected => OrderStatus::Rejected,
        }
    }
}

/// `limit` when none is given, and the largest accepted.
pub(crate) const DEFAULT_LIMIT: u64 = 1000;
pub(crate) const MAX_LIMIT: u64 = 1000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct OrdersQuery {
    pub limit: u64,
    /// `skip + (page - 1) × limit`: where the window starts among the matching orders.
    pub offset: u64,
    /// An order's status must be one of these (when any is given) ...
    pub includes: Vec<OrderStatus>,
    /// ... and none of these.
    pub excludes: Vec<OrderStatus>,
    /// One of its lines must carry one of these template names (when any is given).
    pub template_names: Vec<String>,
}

const SCALARS: [&str; 3] = ["limit", "skip", "page"];
const LISTS: [&str; 3] = ["includesStatus", "excludesStatus", "templateNames"];

impl OrdersQuery {
    /// Parses a raw query string. Unknown parameters are ignored, as mittwald's API does; a
    /// list parameter may also be written `name[]=` (axios) or `name[0]=` (PHP, Guzzle).
    pub fn parse(raw: &str) -> Result<OrdersQuery, Vec<Violation>> {
        let mut values: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
        for (key, value) in form_urlencoded::parse(raw.as_bytes()) {
            let name = SCALARS
                .into_iter()
                .find(|n| *n == key)
                .or_else(|| LISTS.into_iter().find(|n| list_name(&key) == Some(*n)));
            if let Some(name) = name {
                values.entry(name).or_default().push(value.into_owned());
            }
        }
        let mut problems = Vec::new();
        let mut scalar = |name: &'static str| -> Option<u64> {
            let given = values.get(name)?;
            let [text] = given.as_slice() else {
                problems.push(Violation::new(
                    format!(".{name}"),
                    "type",
                    format!("must be integer, given {} times", given.len()),
                ));
                return None;
            };
            let number = whole(text);
            if number.is_none() {
                problems.push(Violation::new(
                    format!(".{name}"),
                    "type",
                    "must be integer",
                ));
            }
            number
        };
        let limit = scalar("limit");
        let skip = scalar("skip").unwrap_or(0);
        let page = scalar("page").unwrap_or(1);
        if let Some(limit) = limit.filter(|l| *l > MAX_LIMIT) {
            problems.push(
                Violation::new(
                    ".limit",
                    "maximum",
                    format!("must be <= {MAX_LIMIT}, is {limit}"),
                )
                .with_context("comparison", "<=")
                .with_context("limit", MAX_LIMIT.to_string()),
            );
        }
        let limit = limit.unwrap_or(DEFAULT_LIMIT);

        let mut statuses = |name: &'static str| -> Vec<OrderStatus> {
            let given = values.get(name).map_or(&[][..], Vec::as_slice);
            let mut out = Vec::with_capacity(given.len());
            for (i, text) in given.iter().enumerate() {
                match OrderStatus::parse(text) {
                    Some(status) => out.push(status),
                    None => problems.push(
                        Violation::new(
                            format!(".{name}[{i}]"),
                            "enum",
                            format!("must be equal to one of the allowed values, is {text:?}"),
                        )
                        .with_context("allowedValues", allowed_statuses()),
                    ),
                }
            }
            out
        };
        let includes = statuses("includesStatus");
        let excludes = statuses("excludesStatus");

        let template_names = values.remove("templateNames").unwrap_or_default();
        for (i, name) in template_names.iter().enumerate() {
            if name.is_empty() {
                problems.push(Violation::new(
                    format!(".templateNames[{i}]"),
                    "minLength",
                    "must NOT have fewer than 1 characters",
                ));
            }
        }

        if !problems.is_empty() {
            return Err(problems);
        }
        // `page` is 1-based; 0 (which mittwald's clients allow) is the first page too.
        let offset = skip.saturating_add(page.saturating_sub(1).saturating_mul(limit));
        Ok(OrdersQuery {
            limit,
            offset,
            includes,
            excludes,
            template_names,
        })
    }

    /// Whether an order with `status` and the template names of its lines passes the filters.
    pub fn matches<'a>(
        &self,
        status: OrderStatus,
        mut templates: impl Iterator<Item = &'a str>,
    ) -> bool {
        (self.includes.is_empty() || self.includes.contains(&status))
            && !self.excludes.contains(&status)
            && (self.template_names.is_empty()
                || templates.any(|t| self.template_names.iter().any(|n| n == t)))
    }

    /// The window of the query among `total` matching orders; empty past the end.
    pub fn window(&self, total: usize) -> Range<usize> {
        OrdersQuery::window_of(self.offset, self.limit, total)
    }

    /// The window at `offset` of at most `limit` among `total`; empty past the end.
    pub fn window_of(offset: u64, limit: u64, total: usize) -> Range<usize> {
        let clamp = |n: u64| usize::try_from(n).unwrap_or(usize::MAX).min(total);
        clamp(offset)..clamp(offset.saturating_add(limit))
    }

    /// Whether every order matches (no status or template filter): then an order's key
    /// alone decides its place.
    pub fn is_unfiltered(&self) -> bool {
        self.includes.is_empty() && self.excludes.is_empty() && self.template_names.is_empty()
    }
}

/// `name` of `name[]` or `name[<digits>]`, or of `name` itself.
fn list_name(key: &str) -> Option<&str> {
    let Some(open) = key.find('[') else {
        return Some(key);
    };
    let inner = key[open + 1..].strip_suffix(']')?;
    inner
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then_some(&key[..open])
}

/// A whole number of ASCII digits only (no sign, no blanks).
fn whole(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn allowed_statuses() -> String {
    let names: Vec<&str> = OrderStatus::ALL.iter().map(|s| s.as_str()).collect();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(raw: &str) -> Vec<String> {
        OrdersQuery::parse(raw)
            .unwrap_err()
            .into_iter()
            .map(|v| v.path)
            .collect()
    }

    #[test]
    fn every_phase_has_its_status() {
        let expected = [
            (Phase::New, "NEW"),
            (Phase::Open, "CONFIRMED"),
            (Phase::Ready, "CONFIRMED"),
            (Phase::Shipped, "EXECUTED"),
            (Phase::Delivered, "EXECUTED"),
            (Phase::Completed, "EXECUTED"),
            (Phase::Cancelled, "ABORTED"),
            (Phase::Rejected, "REJECTED"),
        ];
        for (phase, status) in expected {
            assert_eq!(OrderStatus::from_phase(phase).as_str(), status, "{phase:?}");
        }
        assert_eq!(expected.len(), Phase::ALL.len());
    }

    #[test]
    fn statuses_parse_only_as_written() {
        for status in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(OrderStatus::parse("new"), None);
        assert_eq!(OrderStatus::parse(" NEW"), None);
    }

    #[test]
    fn defaults_are_the_first_thousand() {
        let query = OrdersQuery::parse("").unwrap();
        assert_eq!((query.limit, query.offset), (1000, 0));
        assert!(query.includes.is_empty() && query.excludes.is_empty());
    }

    #[test]
    fn skip_and_page_add_up() {
        let at = |raw: &str| OrdersQuery::parse(raw).unwrap().offset;
        assert_eq!(at("limit=10&page=3"), 20);
        assert_eq!(at("limit=10&page=1"), 0);
        assert_eq!(at("limit=10&page=0"), 0);
        assert_eq!(at("limit=10&skip=5"), 5);
        assert_eq!(at("limit=10&skip=5&page=2"), 15);
        assert_eq!(at("page=2"), 1000);
        assert_eq!(at("limit=1000&page=18446744073709551615"), u64::MAX);
    }

    #[test]
    fn list_parameters_take_every_client_spelling() {
        let query = OrdersQuery::parse(
            "includesStatus=NEW&includesStatus%5B%5D=CONFIRMED&includesStatus[3]=ABORTED\
             &templateNames=a%20b&templateNames[]=c&unknown=1&_=123",
        )
        .unwrap();
        assert_eq!(
            query.includes,
            [
                OrderStatus::New,
                OrderStatus::Confirmed,
                OrderStatus::Aborted
            ]
        );
        assert_eq!(query.template_names, ["a b", "c"]);
    }

    #[test]
    fn every_bad_value_is_reported_at_once() {
        assert_eq!(
            paths(
                "limit=-1&skip=x&page=1.5&includesStatus=new&excludesStatus=NEW&excludesStatus=DONE&templateNames="
            ),
            [
                ".limit",
                ".skip",
                ".page",
                ".includesStatus[0]",
                ".excludesStatus[1]",
                ".templateNames[0]"
            ]
        );
        assert_eq!(paths("limit=1001"), [".limit"]);
        assert_eq!(paths("limit=1&limit=2"), [".limit"]);
        assert_eq!(paths("skip="), [".skip"]);
        assert_eq!(
            paths("includesStatus=NEW,CONFIRMED"),
            [".includesStatus[0]"]
        );
        assert_eq!(paths("limit=99999999999999999999999"), [".limit"]);
    }

    #[test]
    fn windows_stop_at_the_end() {
        let window = |raw: &str, total| OrdersQuery::parse(raw).unwrap().window(total);
        assert_eq!(window("limit=2&skip=1", 5), 1..3);
        assert_eq!(window("limit=2&skip=4", 5), 4..5);
        assert_eq!(window("limit=2&skip=9", 5), 5..5);
        assert_eq!(window("limit=0", 5), 0..0);
    }

    #[test]
    fn filters_and_together() {
        let query = OrdersQuery::parse(
            "includesStatus=NEW&includesStatus=CONFIRMED&excludesStatus=CONFIRMED&templateNames=T",
        )
        .unwrap();
        assert!(query.matches(OrderStatus::New, ["X", "T"].into_iter()));
        assert!(!query.matches(OrderStatus::New, ["X"].into_iter()));
        assert!(!query.matches(OrderStatus::Confirmed, ["T"].into_iter()));
        assert!(!query.matches(OrderStatus::Executed, ["T"].into_iter()));
    }
}
