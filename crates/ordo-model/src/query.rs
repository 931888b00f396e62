//! The v1 list query, parsed from raw query parameters with every problem collected.

use crate::{Timestamp, ValidationError};

pub const DEFAULT_LIMIT: u32 = 100;
pub const MAX_LIMIT: u32 = 1000;

/// A valid list window: `from`/`to` bound `updatedAt` inclusively; pages are ordered by
/// `updatedAt` then id, descending when `newest`. A `from` after `to` is a window that selects
/// nothing, not an error: the document's schema cannot relate two parameters, so refusing it
/// would refuse a request the document allows (docs/wire-decisions.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListQuery {
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
    pub newest: bool,
    pub limit: u32,
    pub offset: u64,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            from: None,
            to: None,
            newest: true,
            limit: DEFAULT_LIMIT,
            offset: 0,
        }
    }
}

impl ListQuery {
    /// Parses `from`, `to`, `newest`, `limit`, `offset`; anything else is reported.
    pub fn parse<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<ListQuery, Vec<ValidationError>> {
        let mut query = ListQuery::default();
        let mut errors = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        let mut bad = |field: &str, problem: String| {
            errors.push(ValidationError {
                field: field.to_owned(),
                problem,
            });
        };
        for (name, value) in pairs {
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
                _ => bad(
                    name,
                    "unknown query parameter (expected from, to, newest, limit, offset)".into(),
                ),
            }
        }
        if errors.is_empty() {
            Ok(query)
        } else {
            Err(errors)
        }
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
    fn a_from_after_to_is_a_window_not_an_error() {
        let q = ListQuery::parse([
            ("from", "2022-03-13T00:00:00Z"),
            ("to", "2022-03-11T00:00:00Z"),
        ])
        .unwrap();
        assert!(q.from > q.to);
    }
}
