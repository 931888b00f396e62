//! The request body → the canonical query: conditions, projection and window, with every
//! problem of the body named by its path (`conditions.ids[2]`, `fields[0]`, `limit`).

use ordo_model::{Decimal, ValidationError};
use serde_json::{Map, Value};

use super::projection::Selection;

/// `limit` when the body gives none.
pub(crate) const DEFAULT_LIMIT: u64 = 100;
/// The largest `limit`; more is a 400 naming it, as v1 does, never a silent clamp.
pub(crate) const MAX_LIMIT: u64 = 1000;

/// What one call asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct OrdersQuery {
    /// `conditions.ids`: only these identifiers (an empty list matches no order).
    pub ids: Option<Vec<u64>>,
    /// `conditions.after`: only identifiers above this one.
    pub after: Option<u64>,
    /// `fields`: `None` for every field.
    pub selection: Option<Selection>,
    pub limit: u64,
    pub first: u64,
}

impl OrdersQuery {
    /// Whether an order with this identifier meets the conditions.
    pub(crate) fn matches(&self, id: u64) -> bool {
        self.ids.as_ref().is_none_or(|ids| ids.contains(&id))
            && self.after.is_none_or(|after| id > after)
    }

    /// The orders that meet the conditions, by identifier ascending (then by the document id,
    /// should two ids hash alike), cut to the window; and how many met them.
    pub(crate) fn window<'a, T>(&self, candidates: Vec<(u64, &'a str, T)>) -> (Vec<T>, usize) {
        let mut kept: Vec<(u64, &'a str, T)> = candidates
            .into_iter()
            .filter(|(id, _, _)| self.matches(*id))
            .collect();
        kept.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        let count = kept.len();
        let first = usize::try_from(self.first).unwrap_or(usize::MAX);
        let limit = usize::try_from(self.limit).unwrap_or(usize::MAX);
        let page = kept
            .into_iter()
            .skip(first)
            .take(limit)
            .map(|(_, _, t)| t)
            .collect();
        (page, count)
    }
}

/// Reads a body. An empty body is `{}`: every order, every field, the default window.
pub(crate) fn parse(body: &[u8]) -> Result<OrdersQuery, Vec<ValidationError>> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(OrdersQuery {
            ids: None,
            after: None,
            selection: None,
            limit: DEFAULT_LIMIT,
            first: 0,
        });
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| vec![problem("", format!("body is not valid JSON: {e}"))])?;
    let Value::Object(map) = value else {
        return Err(vec![problem("", "expected a JSON object")]);
    };
    let mut problems = Vec::new();
    unknown_fields(
        &map,
        "",
        &["conditions", "fields", "limit", "first", "count"],
        &mut problems,
    );

    let (ids, after) = match present(&map, "conditions") {
        None => (None, None),
        Some(Value::Object(conditions)) => {
            unknown_fields(conditions, "conditions.", &["ids", "after"], &mut problems);
            let ids = present(conditions, "ids").and_then(|v| ids(v, &mut problems));
            let after = present(conditions, "after").and_then(|v| {
                integer(
                    v,
                    0,
                    u64::MAX,
                    "conditions.after",
                    "an integer ≥ 0",
                    &mut problems,
                )
            });
            (ids, after)
        }
        Some(_) => {
            problems.push(problem("conditions", "expected an object"));
            (None, None)
        }
    };
    let selection = present(&map, "fields").and_then(|v| fields(v, &mut problems));
    let limit = present(&map, "limit").map_or(Some(DEFAULT_LIMIT), |v| {
        let expected = format!("an integer from 1 to {MAX_LIMIT}");
        integer(v, 1, MAX_LIMIT, "limit", &expected, &mut problems)
    });
    let first = present(&map, "first").map_or(Some(0), |v| {
        integer(v, 0, u64::MAX, "first", "an integer ≥ 0", &mut problems)
    });
    // `count` is accepted for the clients that send it; the total is always answered.
    if present(&map, "count").is_some_and(|v| !v.is_boolean()) {
        problems.push(problem("count", "expected true or false"));
    }

    match (limit, first) {
        (Some(limit), Some(first)) if problems.is_empty() => Ok(OrdersQuery {
            ids,
            after,
            selection,
            limit,
            first,
        }),
        _ => Err(problems),
    }
}

fn problem(field: &str, problem: impl Into<String>) -> ValidationError {
    ValidationError {
        field: field.to_owned(),
        problem: problem.into(),
    }
}

/// A key's value, `null` counting as absent.
fn present<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    map.get(key).filter(|v| !v.is_null())
}

fn unknown_fields(
    map: &Map<String, Value>,
    prefix: &str,
    known: &[&str],
    problems: &mut Vec<ValidationError>,
) {
    for key in map.keys().filter(|k| !known.contains(&k.as_str())) {
        problems.push(problem(&format!("{prefix}{key}"), "unknown field"));
    }
}

/// A whole JSON number within `min..=max`, as JSON Schema's `integer` reads one: `10`, `10.0`
/// and `1e1` alike (the OpenAPI document cannot tell them apart); `10.5` and `"10"` are not.
fn integer(
    value: &Value,
    min: u64,
    max: u64,
    field: &str,
    expected: &str,
    problems: &mut Vec<ValidationError>,
) -> Option<u64> {
    match value.as_number().and_then(whole) {
        Some(n) if (min..=max).contains(&n) => Some(n),
        _ => {
            problems.push(problem(field, format!("expected {expected}, got {value}")));
            None
        }
    }
}

/// The exact value of a number's text when it is whole and a `u64` holds it.
fn whole(number: &serde_json::Number) -> Option<u64> {
    let text = number.as_str();
    let value = if text.contains(['e', 'E']) {
        Decimal::from_scientific(text).ok()?
    } else {
        Decimal::from_str_exact(text).ok()?
    };
    if !value.fract().is_zero() {
        return None;
    }
    u64::try_from(value.trunc()).ok()
}

fn ids(value: &Value, problems: &mut Vec<ValidationError>) -> Option<Vec<u64>> {
    let Value::Array(items) = value else {
        problems.push(problem(
            "conditions.ids",
            "expected an array of integers ≥ 1",
        ));
        return None;
    };
    let before = problems.len();
    let ids: Vec<u64> = items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let field = format!("conditions.ids[{i}]");
            integer(item, 1, u64::MAX, &field, "an integer ≥ 1", problems)
        })
        .collect();
    (problems.len() == before).then_some(ids)
}

fn fields(value: &Value, problems: &mut Vec<ValidationError>) -> Option<Selection> {
    let Value::Array(items) = value else {
        problems.push(problem("fields", "expected an array of field paths"));
        return None;
    };
    let mut paths = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match item.as_str() {
            Some(path) => paths.push((i, path)),
            None => problems.push(problem(
                &format!("fields[{i}]"),
                format!("expected a field path (a string), got {item}"),
            )),
        }
    }
    match Selection::parse(&paths) {
        Ok(selection) => Some(selection),
        Err(bad) => {
            problems.extend(
                bad.into_iter()
                    .map(|(i, text)| problem(&format!("fields[{i}]"), text)),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields_of(body: &str) -> Vec<String> {
        parse(body.as_bytes())
            .unwrap_err()
            .into_iter()
            .map(|p| p.field)
            .collect()
    }

    #[test]
    fn an_empty_body_asks_for_everything() {
        let query = parse(b"  ").unwrap();
        assert_eq!(query.limit, DEFAULT_LIMIT);
        assert_eq!((query.ids, query.after, query.first), (None, None, 0));
        assert_eq!(parse(b"{}").unwrap().selection, None);
    }

    #[test]
    fn every_problem_is_named() {
        let body = r#"{"conditions": {"ids": [1, 0, "2", 3.5], "after": -1, "status": 1},
            "fields": ["id", 7, "nope"], "limit": 0, "first": 1.5, "count": "yes", "sort": 1}"#;
        let mut got = fields_of(body);
        got.sort();
        assert_eq!(
            got,
            [
                "conditions.after",
                "conditions.ids[1]",
                "conditions.ids[2]",
                "conditions.ids[3]",
                "conditions.status",
                "count",
                "fields[1]",
                "fields[2]",
                "first",
                "limit",
                "sort",
            ]
        );
    }

    #[test]
    fn limits_are_bounded_not_clamped() {
        assert_eq!(fields_of(r#"{"limit": 1001}"#), ["limit"]);
        assert_eq!(parse(br#"{"limit": 1000}"#).unwrap().limit, 1000);
        assert_eq!(fields_of(r#"{"limit": 1e4}"#), ["limit"]);
        assert_eq!(fields_of(r#"{"conditions": []}"#), ["conditions"]);
    }

    #[test]
    fn a_whole_number_is_an_integer_however_written() {
        let query = parse(br#"{"limit": 1e1, "first": 2.0, "conditions": {"after": 30E-1}}"#);
        let query = query.unwrap();
        assert_eq!((query.limit, query.first, query.after), (10, 2, Some(3)));
        let query = parse(br#"{"first": 18446744073709551615.0}"#).unwrap();
        assert_eq!(query.first, u64::MAX);
        assert_eq!(fields_of(r#"{"first": 18446744073709551616}"#), ["first"]);
        assert_eq!(
            fields_of(r#"{"conditions": {"ids": [2.5, -1.0]}}"#).len(),
            2
        );
    }

    #[test]
    fn nulls_read_as_absent() {
        let query = parse(br#"{"conditions": null, "fields": null, "limit": null, "first": null}"#);
        assert_eq!(query.unwrap().limit, DEFAULT_LIMIT);
    }

    #[test]
    fn the_window_sorts_filters_and_counts() {
        let query = OrdersQuery {
            ids: None,
            after: Some(2),
            selection: None,
            limit: 2,
            first: 1,
        };
        let candidates = vec![(5, "e", 'e'), (1, "a", 'a'), (3, "c", 'c'), (4, "d", 'd')];
        assert_eq!(query.window(candidates), (vec!['d', 'e'], 3));
    }
}
