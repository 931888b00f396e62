//! The query string of `GET /v3/customers/{customerId}/orders` → a typed [`HistoryQuery`]:
//! every bad parameter collected into one 400, then a pure predicate over canonical orders
//! and the URIs of the pages it spans.
//!
//! Values of one parameter are OR-ed, parameters are AND-ed (reference 002). Parameters the
//! reference does not name are ignored, and left out of the links. A parameter left out takes
//! the default of 002's table; of those, only `end-date` ("now") moves with the clock, so it
//! is the one default the links write out (docs/dialects/history_v3.md, "Defaults").

use ordo_model::{Document, ORDER_TYPES, StatusDictionary, Timestamp, ValidationError};

use super::render::{STATUS_CODES, offer_id, order_status, order_type, reference_order_id};

pub(crate) const DEFAULT_LIMIT: usize = 25;
pub(crate) const MAX_LIMIT: usize = 100;

/// What the caller asked for, valid by construction, every default applied.
#[derive(Debug)]
pub(crate) struct HistoryQuery {
    /// Empty: "All" (the default of the multi-valued filters).
    order_types: Vec<String>,
    statuses: Vec<String>,
    reference_order_ids: Vec<String>,
    offer_ids: Vec<String>,
    /// `None`: from the beginning — ordo's reading of "current term start date", since a
    /// canonical order carries no term.
    start: Option<Timestamp>,
    /// Inclusive; the request time when `end-date` was not given.
    end: Timestamp,
    /// Whether `end` is the default (the request time): then the links pin it, so that a page
    /// followed later continues the same result instead of one that grew in between.
    end_defaulted: bool,
    /// Clamped to 1..=100.
    pub limit: usize,
    /// At most the total count: the handler checks that once it knows the total.
    pub offset: usize,
    /// The known parameters other than `limit` and `offset`, as given: what links repeat.
    kept: Vec<(String, String)>,
}

impl HistoryQuery {
    /// Reads the decoded `(name, value)` pairs of a query string received now.
    pub(crate) fn parse<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<HistoryQuery, Vec<ValidationError>> {
        HistoryQuery::parse_at(pairs, Timestamp::now())
    }

    /// Reads the pairs of a query string received at `now`, the default of `end-date`.
    pub(crate) fn parse_at<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        now: Timestamp,
    ) -> Result<HistoryQuery, Vec<ValidationError>> {
        let mut query = HistoryQuery {
            order_types: Vec::new(),
            statuses: Vec::new(),
            reference_order_ids: Vec::new(),
            offer_ids: Vec::new(),
            start: None,
            end: now,
            end_defaulted: true,
            limit: DEFAULT_LIMIT,
            offset: 0,
            kept: Vec::new(),
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
                "end-date" => date(value).map(|at| {
                    query.end = at;
                    query.end_defaulted = false;
                }),
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
        // The default end is applied exactly as a given one would be: a start after "now"
        // is as contradictory as one after an explicit end-date, and a link pinning the
        // default must never lead to a 400.
        if let Some(start) = query.start
            && start > query.end
        {
            problems.push(ValidationError {
                field: "start-date".into(),
                problem: if query.end_defaulted {
                    format!(
                        "is after end-date (by default now, {})",
                        query.end.rfc3339()
                    )
                } else {
                    "is after end-date".into()
                },
            });
        }
        if problems.is_empty() {
            Ok(query)
        } else {
            Err(problems)
        }
    }

    /// The `createdAt` range (seconds; no start: from the beginning) when the dates are the
    /// only filters, as by default: then an order's key alone tells whether it is in.
    pub(crate) fn dates_only(&self) -> Option<(Option<i64>, i64)> {
        let no_other = self.order_types.is_empty()
            && self.statuses.is_empty()
            && self.reference_order_ids.is_empty()
            && self.offer_ids.is_empty();
        no_other.then(|| (self.start.map(Timestamp::unix), self.end.unix()))
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
            && order.created_at <= self.end
    }

    /// The URI of the page at `offset`: the list path, the kept parameters as given, then
    /// `end-date` when it was the default (the request time, pinned), then `offset` and the
    /// effective `limit`.
    pub(crate) fn page_uri(&self, customer_id: &str, offset: usize) -> String {
        let mut uri = format!("{}?", orders_path(customer_id));
        for (name, value) in &self.kept {
            uri.push_str(name);
            uri.push('=');
            encode(value, &mut uri);
            uri.push('&');
        }
        if self.end_defaulted {
            uri.push_str("end-date=");
            encode(&self.end.rfc3339(), &mut uri);
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

    /// The request time of these tests: 2021-03-04T05:06:07Z.
    const NOW: i64 = 1_614_834_367;

    fn at(text: &str) -> Timestamp {
        Timestamp::parse(text).unwrap()
    }

    fn parse_problems(query: &str) -> Result<HistoryQuery, Vec<ValidationError>> {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        HistoryQuery::parse_at(
            pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            Timestamp::from_unix(NOW).unwrap(),
        )
    }

    fn parse(query: &str) -> Result<HistoryQuery, Vec<String>> {
        parse_problems(query).map_err(|problems| problems.iter().map(|p| p.field.clone()).collect())
    }

    /// An order created at `created`, of type NEW, status 1002, one line of offer `P-1`.
    fn order_at(created: &str) -> Document {
        let json = format!(
            r#"{{"orderId": "o-1", "customerId": "c-1", "createdAt": "{created}",
            "updatedAt": "{created}", "statusId": "1", "status": "New", "total": 1.0,
            "shippingMethod": "None", "shippingPrice": 0.0, "shippingTax": 0.0,
            "items": [{{"itemId": "i-1", "productId": "P-1", "unitPrice": 1.0,
            "quantity": 1, "linePosition": 1}}]}}"#
        );
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let expect = ordo_model::Expect {
            kind: Some(ordo_model::Kind::Order),
            id: None,
            now: Timestamp::now(),
        };
        ordo_model::ingest(&value, expect).unwrap().document
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
            "/v3/customers/c%201/orders?status=1000&reseller-id=r%201&start-date=2019-05-02T22:49:54Z&end-date=2021-03-04T05:06:07Z&offset=6&limit=3"
        );
    }

    #[test]
    fn every_default_of_the_table_applies() {
        let query = parse("").unwrap();
        assert_eq!((query.limit, query.offset), (25, 0));
        assert!(query.order_types.is_empty() && query.statuses.is_empty());
        assert!(query.reference_order_ids.is_empty() && query.offer_ids.is_empty());
        assert_eq!(query.start, None, "no term: from the beginning");
        assert_eq!((query.end.unix(), query.end_defaulted), (NOW, true));
        let dictionary = StatusDictionary::default();
        for (created, listed) in [
            ("1900-01-01T00:00:00", true),
            ("2021-03-04T05:06:07", true),
            ("2021-03-04T05:06:08", false),
            ("2999-01-01T00:00:00", false),
        ] {
            assert_eq!(
                query.matches(&order_at(created), &dictionary),
                listed,
                "{created}"
            );
        }
        assert_eq!(
            query.page_uri("c", 0),
            "/v3/customers/c/orders?end-date=2021-03-04T05:06:07Z&offset=0&limit=25"
        );
    }

    #[test]
    fn a_given_end_date_replaces_now_and_is_not_pinned_again() {
        let query = parse("end-date=3000-01-01&limit=2").unwrap();
        assert_eq!(
            (query.end, query.end_defaulted),
            (at("3000-01-01T00:00:00Z"), false)
        );
        let dictionary = StatusDictionary::default();
        assert!(query.matches(&order_at("2999-01-01T00:00:00"), &dictionary));
        assert!(!query.matches(&order_at("3000-01-01T00:00:01"), &dictionary));
        assert_eq!(
            query.page_uri("c", 2),
            "/v3/customers/c/orders?end-date=3000-01-01&offset=2&limit=2"
        );
    }

    #[test]
    fn a_start_after_the_default_end_is_refused() {
        let problems = parse_problems("start-date=2021-03-04T05:06:08Z").unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, "start-date");
        assert_eq!(
            problems[0].problem,
            "is after end-date (by default now, 2021-03-04T05:06:07Z)"
        );
        assert!(parse("start-date=2021-03-04T05:06:07Z").is_ok());
        assert!(parse("start-date=2999-01-01&end-date=2999-01-02").is_ok());
    }
}
