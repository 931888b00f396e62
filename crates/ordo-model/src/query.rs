//! The v1 list query, parsed from raw query parameters with every problem collected.

use crate::{Term, Timestamp, ValidationError};

pub const DEFAULT_LIMIT: u32 = 100;
pub const MAX_LIMIT: u32 = 1000;

/// A valid list window: `from`/`to` bound `updatedAt` inclusively; pages are ordered by
/// `updatedAt` then id, descending when `newest`. A `from` after `to` is a window that selects
/// nothing, not an error: the document's schema cannot relate two parameters, so refusing it
/// would refuse a request the document allows (docs/wire-decisions.md).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListQuery {
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
    pub newest: bool,
    pub limit: u32,
    pub offset: u64,
    pub filter: ListFilter,
}

/// Which documents of the window a list keeps (docs/search.md): those holding one of the
/// values of each term given (OR within a term, AND across terms), of `customer_id` when
/// given. The default keeps every document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ListFilter {
    /// By term, each list sorted and without repeats; a term without values is absent.
    terms: Vec<(Term, Vec<String>)>,
    pub customer_id: Option<String>,
}

impl ListFilter {
    /// Keeps documents holding one of `values` for `term`, besides any term already given.
    pub fn with(mut self, term: Term, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
        let mut values: Vec<String> = values.into_iter().map(Into::into).collect();
        if values.is_empty() {
            return self;
        }
        values.sort_unstable();
        values.dedup();
        self.terms.retain(|(t, _)| *t != term);
        self.terms.push((term, values));
        self.terms
            .sort_by_key(|(t, _)| Term::ALL.iter().position(|a| a == t));
        self
    }

    /// The terms filtered by, most selective first (`Term::ALL`'s order), each with its values.
    pub fn terms(&self) -> &[(Term, Vec<String>)] {
        &self.terms
    }
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            from: None,
            to: None,
            newest: true,
            limit: DEFAULT_LIMIT,
            offset: 0,
            filter: ListFilter::default(),
        }
    }
}

impl ListQuery {
    /// Parses `from`, `to`, `newest`, `limit`, `offset`, `customerId` and the repeatable
    /// `productId`, `mpn`, `orderNumber`; anything else is reported.
    pub fn parse<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<ListQuery, Vec<ValidationError>> {
        let mut query = ListQuery::default();
        let mut errors = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        let mut terms: Vec<(Term, Vec<&str>)> = Vec::new();
        let mut bad = |field: &str, problem: String| {
            errors.push(ValidationError {
                field: field.to_owned(),
                problem,
            });
        };
        for (name, value) in pairs {
            if let Some(term) = Term::ALL.into_iter().find(|t| t.param() == name) {
                match value_problem(value, term.max_chars()) {
                    Some(problem) => bad(name, problem),
                    None => match terms.iter_mut().find(|(t, _)| *t == term) {
                        Some((_, values)) => values.push(value),
                        None => terms.push((term, vec![value])),
                    },
                }
                continue;
            }
            if seen.contains(&name) {
                bad(name, "given more than once".into());
                continue;
            }
            seen.push(name);
            match name {
                // An unencoded `+` of an offset arrives as a space; no datetime has one.
                "from" | "to" => match Timestamp::parse(&value.replace(' ', "+")) {
                    Some(at) if name == "from" => query.from = Some(at),
                    Some(at) => query.to = Some(at),
                    None => bad(
                        name,
                        format!("{value:?} is not a UTC datetime (e.g. 2022-03-11T22:15:59Z)"),
                    ),
                },
                "newest" => match value.to_ascii_lowercase().as_str() {
                    "true" => query.newest = true,
                    "false" => query.newest = false,
                    _ => bad(name, format!("{value:?} is not a boolean (true or false)")),
                },
                "limit" => match value.parse::<u32>() {
                    Ok(limit) if (1..=MAX_LIMIT).contains(&limit) => query.limit = limit,
                    _ => bad(
                        name,
                        format!("{value:?} is not an integer from 1 to {MAX_LIMIT}"),
                    ),
                },
                "offset" => match value.parse::<u64>() {
                    Ok(offset) if offset <= i64::MAX as u64 => query.offset = offset,
                    _ => bad(name, format!("{value:?} is not an integer of 0 or more")),
                },
                "customerId" => match value_problem(value, 64) {
                    Some(problem) => bad(name, problem),
                    None => query.filter.customer_id = Some(value.to_owned()),
                },
                _ => bad(
                    name,
                    "unknown query parameter (expected from, to, newest, limit, offset, \
                     productId, mpn, orderNumber, customerId)"
                        .into(),
                ),
            }
        }
        for (term, values) in terms {
            query.filter = query.filter.with(term, values);
        }
        if errors.is_empty() {
            Ok(query)
        } else {
            Err(errors)
        }
    }
}

/// What is wrong with a filter's value: empty, longer than any stored value can be, or
/// holding U+0000 (which no stored value holds, and PostgreSQL text cannot).
fn value_problem(value: &str, max_chars: usize) -> Option<String> {
    let chars = value.chars().count();
    if value.is_empty() {
        Some("must not be empty".into())
    } else if chars > max_chars {
        Some(format!("longer than {max_chars} characters ({chars})"))
    } else if value.contains('\0') {
        Some("must not contain U+0000".into())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(query: &str) -> Vec<String> {
        let pairs = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| p.split_once('=').unwrap());
        ListQuery::parse(pairs)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn defaults_are_newest_first_hundred() {
        assert_eq!(ListQuery::parse([]), Ok(ListQuery::default()));
    }

    #[test]
    fn names_every_bad_parameter() {
        assert_eq!(
            fields("limit=0&offset=-1&newest=maybe&from=x"),
            ["limit", "offset", "newest", "from"]
        );
        assert_eq!(fields("limit=1001"), ["limit"]);
        assert_eq!(fields("limit=abc"), ["limit"]);
        assert_eq!(fields("limt=5"), ["limt"]);
    }

    #[test]
    fn reads_every_parameter() {
        let q = ListQuery::parse([
            ("from", "2022-03-11T22:15:59Z"),
            ("to", "2022-03-13T10:45:11Z"),
            ("newest", "false"),
            ("limit", "1000"),
            ("offset", "7"),
        ])
        .unwrap();
        assert_eq!(q.from.unwrap().v1(), "2022-03-11T22:15:59");
        assert!(!q.newest);
        assert_eq!((q.limit, q.offset), (1000, 7));
    }

    #[test]
    fn filters_repeat_and_name_bad_values() {
        let q = ListQuery::parse([
            ("productId", "P2"),
            ("mpn", "M"),
            ("productId", "P1"),
            ("productId", "P2"),
            ("orderNumber", "2020/5613"),
            ("customerId", "C"),
        ])
        .unwrap();
        let terms: Vec<(Term, Vec<&str>)> = q
            .filter
            .terms()
            .iter()
            .map(|(t, v)| (*t, v.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            terms,
            [
                (Term::OrderNumber, vec!["2020/5613"]),
                (Term::ProductId, vec!["P1", "P2"]),
                (Term::Mpn, vec!["M"]),
            ]
        );
        assert_eq!(q.filter.customer_id.as_deref(), Some("C"));
        let long = "x".repeat(65);
        assert_eq!(
            fields(&format!(
                "productId=&mpn={}&orderNumber={long}&customerId={long}&customerId=a",
                &long[..51]
            )),
            [
                "productId",
                "mpn",
                "orderNumber",
                "customerId",
                "customerId"
            ]
        );
        assert!(ListQuery::parse([("productId", "a\0b")]).is_err());
        assert!(ListQuery::parse([("productId", &*"é".repeat(64))]).is_ok());
    }

    #[test]
    fn a_from_after_to_is_a_window_not_an_error() {
        let q = ListQuery::parse([
            ("from", "2022-03-13T00:00:00Z"),
            ("to", "2022-03-11T00:00:00Z"),
        ])
        .unwrap();
        assert!(q.from > q.to);
    }
}
