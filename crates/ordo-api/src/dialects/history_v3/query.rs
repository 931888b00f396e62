//! The query string of `GET /v3/customers/{customerId}/orders` → a typed [`HistoryQuery`]:
//! every bad parameter collected into one 400, then a pure predicate over canonical orders
//! and the URIs of the pages it spans.
//!
//! Values of one parameter are OR-ed, parameters are AND-ed (reference 002). Parameters the
//! reference does not name are ignored, and left out of the links.

use ordo_model::{Document, ORDER_TYPES, StatusDictionary, Timestamp, ValidationError};

use super::render::{STATUS_CODES, offer_id, order_status, order_type, reference_order_id};

pub(crate) const DEFAULT_LIMIT: usize = 25;
pub(crate) const MAX_LIMIT: usize = 100;

/// What the caller asked for, valid by construction.
#[derive(Debug, Default)]
pub(crate) struct HistoryQuery {
    order_types: Vec<String>,
    statuses: Vec<String>,
    reference_order_ids: Vec<String>,
    offer_ids: Vec<String>,
    start: Option<Timestamp>,
    end: Option<Timestamp>,
    /// Clamped to 1..=100.
    pub limit: usize,
    /// At most the total count: the handler checks that once it knows the total.
    pub offset: usize,
    /// The known parameters other than `limit` and `offset`, as given: what links repeat.
    kept: Vec<(String, String)>,
}

impl HistoryQuery {
    /// Reads the decoded `(name, value)` pairs of a query string.
    pub(crate) fn parse<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<HistoryQuery, Vec<ValidationError>> {
        let mut query = HistoryQuery {
            limit: DEFAULT_LIMIT,
            ..HistoryQuery::default()
        };
        let mut problems = Vec::new();
        let mut seen = Vec::new();
        for (name, value) in pairs {
            let mut problem = |text: String| {
                problems.push(ValidationError {
                    field: name.to_owned(),
                    problem: text,
                });
            };
            let single = matches!(name, "start-date" | "end-date" | "limit" | "offset");
            if single && seen.contains(&name) {
                problem("given more than once".into());
                continue;
            }
            seen.push(name);
            let known = match name {
                "order-type" => one_of(value, &ORDER_TYPES, &mut query.order_types),
                "status" => one_of(value, &STATUS_CODES, &mut query.statuses),
                "reference-order-id" => any_id(value, &mut query.reference_order_ids),
                "offer-id" => any_id(value, &mut query.offer_ids),
                "start-date" => date(value).map(|at| query.start = Some(at)),
                "end-date" => date(value).map(|at| query.end = Some(at)),
                "reseller-id" => Ok(()),
                "limit" => {
                    match number(value) {
                        Some(n) => query.limit = clamp_limit(n),
                        None => problem(format!("{value:?} is not a number")),
                    }
                    continue;
                }
                "offset" => {
                    match number(value) {
                        Some(n) if n >= 0 => {
                            query.offset = usize::try_from(n).unwrap_or(usize::MAX)
                        }
                        Some(_) => problem("must be 0 or more".into()),
                        None => problem(format!("{value:?} is not a number")),
                    }
                    continue;
                }
                _ => continue,
            };
            match known {
                Ok(()) => query.kept.push((name.to_owned(), value.to_owned())),
                Err(text) => problem(text),
            }
        }
        if let (Some(start), Some(end)) = (query.start, query.end)
            && start > end
        {
            problems.push(ValidationError {
                field: "start-date".into(),
                problem: "is after end-date".into(),
            });
        }
        if problems.is_empty() {
            Ok(query)
        } else {
            Err(problems)
        }
    }

    /// Whether a canonical order is in the result.
    pub(crate) fn matches(&self, order: &Document, dictionary: &StatusDictionary) -> bool {
        let any =
            |wanted: &[String], value: &str| wanted.is_empty() || wanted.iter().any(|w| w == value);
        any(&self.order_types, order_type(order))
            && any(&self.statuses, order_status(order, dictionary))
            && any(&self.reference_order_ids, reference_order_id(order))
            && (self.offer_ids.is_empty()
                || order
                    .items
                    .iter()
                    .any(|item| any(&self.offer_ids, offer_id(item))))
            && self.start.is_none_or(|start| order.created_at >= start)
            && self.end.is_none_or(|end| order.created_at <= end)
    }

    /// The URI of the page at `offset`: the list path, the kept parameters as given, then
    /// `offset` and the effective `limit`.
    pub(crate) fn page_uri(&self, customer_id: &str, offset: usize) -> String {
        let mut uri = format!("{}?", orders_path(customer_id));
        for (name, value) in &self.kept {
            uri.push_str(name);
            uri.push('=');
            encode(value, &mut uri);
            uri.push('&');
        }
        uri.push_str(&format!("offset={offset}&limit={}", self.limit));
        uri
    }
}

/// `/v3/customers/{customerId}/orders`, the id percent-encoded.
pub(crate) fn orders_path(customer_id: &str) -> String {
    let mut path = "/v3/customers/".to_owned();
    encode(customer_id, &mut path);
    path.push_str("/orders");
    path
}

/// `/v3/customers/{customerId}/orders/{orderId}`.
pub(crate) fn order_path(customer_id: &str, order_id: &str) -> String {
    let mut path = orders_path(customer_id);
    path.push('/');
    encode(order_id, &mut path);
    path
}

/// Percent-encodes all but RFC 3986's unreserved characters and `:` (dates stay readable).
fn encode(text: &str, out: &mut String) {
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~:".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
}

fn one_of(value: &str, allowed: &[&str], into: &mut Vec<String>) -> Result<(), String> {
    if allowed.contains(&value) {
        into.push(value.to_owned());
        Ok(())
    } else {
        Err(format!("{value:?} is not one of {}", allowed.join(", ")))
    }
}

fn any_id(value: &str, into: &mut Vec<String>) -> Result<(), String> {
    if value.is_empty() {
        Err("empty".into())
    } else {
        into.push(value.to_owned());
        Ok(())
    }
}

/// `2019-05-02` (midnight UTC) or `2019-05-02T22:49:54Z`, nothing else.
fn date(value: &str) -> Result<Timestamp, String> {
    let shape = |pattern: &[u8]| {
        value.len() == pattern.len()
            && value.bytes().zip(pattern).all(|(b, &p)| match p {
                b'D' => b.is_ascii_digit(),
                _ => b == p,
            })
    };
    let full = if shape(b"DDDD-DD-DD") {
        Some(format!("{value}T00:00:00Z"))
    } else if shape(b"DDDD-DD-DDTDD:DD:DDZ") {
        Some(value.to_owned())
    } else {
        None
    };
    full.as_deref().and_then(Timestamp::parse).ok_or_else(|| {
        format!("{value:?} is not a date (2019-05-02) or a UTC datetime (2019-05-02T22:49:54Z)")
    })
}

/// An optionally negative whole number; one too large to hold saturates.
fn number(value: &str) -> Option<i64> {
    let (negative, digits) = match value.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let magnitude = digits.parse::<i64>().unwrap_or(i64::MAX);
    Some(if negative { -magnitude } else { magnitude })
}

/// 002: a limit over 100 is 100; below 1 there is no page size, so it is 1.
fn clamp_limit(limit: i64) -> usize {
    usize::try_from(limit.clamp(1, MAX_LIMIT as i64)).unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> Result<HistoryQuery, Vec<String>> {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        HistoryQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .map_err(|problems| problems.iter().map(|p| p.field.clone()).collect())
    }

    #[test]
    fn limits_clamp_and_offsets_do_not() {
        for (text, limit) in [
            ("", 25),
            ("limit=0", 1),
            ("limit=-4", 1),
            ("limit=500", 100),
            ("limit=99999999999999999999", 100),
            ("limit=7", 7),
        ] {
            assert_eq!(parse(text).unwrap().limit, limit, "{text}");
        }
        assert_eq!(parse("offset=-1").unwrap_err(), ["offset"]);
        assert_eq!(
            parse("limit=ten&offset=1.5").unwrap_err(),
            ["limit", "offset"]
        );
        assert_eq!(parse("limit=1&limit=2").unwrap_err(), ["limit"]);
    }

    #[test]
    fn dates_are_a_day_or_a_zulu_time() {
        let day = parse("start-date=2019-05-02").unwrap().start.unwrap();
        assert_eq!(day.rfc3339(), "2019-05-02T00:00:00Z");
        assert!(parse("end-date=2019-05-02T22:49:54Z").is_ok());
        for bad in [
            "2019-05-02T22:49:54",
            "2019-05-02T22:49:54+02:00",
            "2019-13-02",
            "2019-5-2",
            "2019-05-02T22:49:54.5Z",
        ] {
            assert_eq!(
                parse(&format!("end-date={bad}")).unwrap_err(),
                ["end-date"],
                "{bad}"
            );
        }
        assert_eq!(
            parse("start-date=2020-01-02&end-date=2020-01-01").unwrap_err(),
            ["start-date"]
        );
    }

    #[test]
    fn links_keep_known_parameters_only() {
        let query = parse(
            "status=1000&x=1&reseller-id=r%201&start-date=2019-05-02T22:49:54Z&offset=3&limit=3",
        )
        .unwrap();
        assert_eq!(
            query.page_uri("c 1", 6),
            "/v3/customers/c%201/orders?status=1000&reseller-id=r%201&start-date=2019-05-02T22:49:54Z&offset=6&limit=3"
        );
    }
}
