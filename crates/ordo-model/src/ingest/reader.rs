//! A reader over one JSON object that collects every problem with its JSON path.

use rust_decimal::Decimal;

use crate::json::{Json, Object};
use crate::{Timestamp, ValidationError};

pub(crate) struct ObjReader<'a, 'e> {
    map: &'a Object<'a>,
    path: String,
    /// Which members some reader asked for, by position: the rest are unknown fields.
    seen: Seen,
    errors: &'e mut Vec<ValidationError>,
}

/// A set of member positions; no allocation for objects of up to 128 members.
#[derive(Default)]
struct Seen {
    first: u128,
    beyond: Vec<usize>,
}

impl Seen {
    fn insert(&mut self, i: usize) {
        if i < 128 {
            self.first |= 1 << i;
        } else {
            self.beyond.push(i);
        }
    }

    fn contains(&self, i: usize) -> bool {
        if i < 128 {
            self.first & (1 << i) != 0
        } else {
            self.beyond.contains(&i)
        }
    }
}

/// Strings the contracts leave unbounded (links to images and pages) still get a ceiling.
pub(crate) const UNBOUNDED: usize = 4000;

impl<'a, 'e> ObjReader<'a, 'e> {
    pub(crate) fn new(
        map: &'a Object<'a>,
        path: String,
        errors: &'e mut Vec<ValidationError>,
    ) -> Self {
        ObjReader {
            map,
            path,
            seen: Seen::default(),
            errors,
        }
    }

    /// `parent.key`, or `parent["a.b"]` for a key that would not read back as one name.
    pub(crate) fn path_of(&self, key: &str) -> String {
        let plain = !key.is_empty() && !key.contains(['.', '[', ']', '"']);
        match (plain, self.path.is_empty()) {
            (true, true) => key.to_owned(),
            (true, false) => format!("{}.{key}", self.path),
            (false, _) => {
                let quoted = serde_json::to_string(key).unwrap_or_default();
                format!("{}[{quoted}]", self.path)
            }
        }
    }

    pub(crate) fn problem(&mut self, key: &str, problem: impl Into<String>) {
        let field = self.path_of(key);
        self.errors.push(ValidationError {
            field,
            problem: problem.into(),
        });
    }

    /// Marks `key` as known and finds it; `null` reads as absent.
    fn member(&mut self, key: &'static str) -> Option<&'a Json<'a>> {
        let i = self.map.position(key)?;
        self.seen.insert(i);
        Some(self.map.value_at(i))
    }

    /// Marks `key` as known; `null` reads as absent.
    pub(crate) fn get(&mut self, key: &'static str) -> Option<&'a Json<'a>> {
        self.member(key).filter(|v| !v.is_null())
    }

    /// Marks `key` as known and tells whether it holds a value other than `null`.
    pub(crate) fn present(&mut self, key: &'static str) -> bool {
        self.get(key).is_some()
    }

    /// Marks `key` as known and tells whether it is there at all, `null` included.
    pub(crate) fn has_key(&mut self, key: &'static str) -> bool {
        self.member(key).is_some()
    }

    fn required<T>(&mut self, key: &'static str, value: Option<T>) -> Option<T> {
        if value.is_none() && self.map.get(key).is_none_or(Json::is_null) {
            self.problem(key, "required");
        }
        value
    }

    pub(crate) fn opt_str(&mut self, key: &'static str, max: usize) -> Option<String> {
        let value = self.get(key)?;
        let Some(text) = value.as_str() else {
            self.problem(key, "expected a string");
            return None;
        };
        // PostgreSQL text cannot hold U+0000; refusing it everywhere keeps both stores alike.
        if text.contains('\0') {
            self.problem(key, "must not contain U+0000");
            return None;
        }
        let len = text.chars().count();
        if len > max {
            self.problem(key, format!("longer than {max} characters ({len})"));
            return None;
        }
        Some(text.to_owned())
    }

    pub(crate) fn req_str(&mut self, key: &'static str, max: usize) -> String {
        let value = self.opt_str(key, max);
        self.required(key, value).unwrap_or_default()
    }

    /// Ids are strings; a whole number is taken as its digits (reference 000 shows both).
    pub(crate) fn opt_id(&mut self, key: &'static str) -> Option<String> {
        match self.get(key)? {
            number @ Json::Number(n) if number.is_integer() => Some(n.clone().into_owned()),
            Json::String(_) => self.opt_str(key, 64),
            _ => {
                self.problem(key, "expected a string");
                None
            }
        }
    }

    pub(crate) fn req_id(&mut self, key: &'static str) -> String {
        let value = self.opt_id(key);
        self.required(key, value).unwrap_or_default()
    }

    pub(crate) fn opt_money(&mut self, key: &'static str) -> Option<Decimal> {
        let value = self.get(key)?;
        let Json::Number(n) = value else {
            self.problem(key, "expected a number");
            return None;
        };
        match parse_decimal(n) {
            Some(amount) => Some(amount),
            None => {
                self.problem(key, "number out of range (at most 28 significant digits)");
                None
            }
        }
    }

    pub(crate) fn req_money(&mut self, key: &'static str) -> Decimal {
        let value = self.opt_money(key);
        self.required(key, value).unwrap_or_default()
    }

    /// Money with a contract default of 0, written `0.0` as the examples show it.
    pub(crate) fn money_or_zero(&mut self, key: &'static str) -> Decimal {
        self.opt_money(key).unwrap_or(Decimal::new(0, 1))
    }

    pub(crate) fn req_int(&mut self, key: &'static str) -> i64 {
        let value = match self.get(key) {
            Some(number @ Json::Number(_)) => match number.as_i64() {
                Some(v) => Some(v),
                None => {
                    self.problem(key, "expected an integer");
                    return 0;
                }
            },
            Some(_) => {
                self.problem(key, "expected an integer");
                return 0;
            }
            None => None,
        };
        self.required(key, value).unwrap_or_default()
    }

    pub(crate) fn opt_bool(&mut self, key: &'static str) -> Option<bool> {
        let value = self.get(key)?;
        let flag = value.as_bool();
        if flag.is_none() {
            self.problem(key, "expected true or false");
        }
        flag
    }

    /// A whole number of 0 or more.
    pub(crate) fn opt_count(&mut self, key: &'static str) -> Option<i64> {
        let value = self.get(key)?;
        let count = value.as_i64().filter(|n| *n >= 0);
        if count.is_none() {
            self.problem(key, "expected an integer of 0 or more");
        }
        count
    }

    /// A datetime, or a bare date (`2020-10-21`) read as midnight UTC.
    pub(crate) fn opt_date(&mut self, key: &'static str) -> Option<Timestamp> {
        let value = self.get(key)?;
        let text = value.as_str().unwrap_or_default();
        let parsed =
            Timestamp::parse(text).or_else(|| Timestamp::parse(&format!("{text}T00:00:00")));
        if parsed.is_none() {
            self.problem(key, "expected a date (YYYY-MM-DD) or a UTC datetime");
        }
        parsed
    }

    pub(crate) fn opt_time(&mut self, key: &'static str) -> Option<Timestamp> {
        let value = self.get(key)?;
        let Some(text) = value.as_str() else {
            self.problem(key, "expected a datetime string");
            return None;
        };
        let parsed = Timestamp::parse(text);
        if parsed.is_none() {
            self.problem(
                key,
                format!("{text:?} is not a datetime (RFC 3339, or YYYY-MM-DDTHH:MM:SS in UTC)"),
            );
        }
        parsed
    }

    pub(crate) fn req_time(&mut self, key: &'static str) -> Timestamp {
        let value = self.opt_time(key);
        self.required(key, value)
            .unwrap_or(Timestamp::from_unix(0).expect("epoch"))
    }

    /// A string from a closed set of values.
    pub(crate) fn opt_enum(&mut self, key: &'static str, allowed: &[&str]) -> Option<String> {
        let text = self.opt_str(key, UNBOUNDED)?;
        if allowed.contains(&text.as_str()) {
            Some(text)
        } else {
            self.problem(key, format!("{text:?} is not one of {allowed:?}"));
            None
        }
    }

    pub(crate) fn opt_obj<T>(
        &mut self,
        key: &'static str,
        read: impl FnOnce(&mut ObjReader<'a, '_>) -> T,
    ) -> Option<T> {
        let value = self.get(key)?;
        let Some(map) = value.as_object() else {
            self.problem(key, "expected an object");
            return None;
        };
        let path = self.path_of(key);
        let mut inner = ObjReader::new(map, path, self.errors);
        let result = read(&mut inner);
        inner.finish();
        Some(result)
    }

    /// An array of objects; `null` and absent read as empty.
    pub(crate) fn obj_array<T>(
        &mut self,
        key: &'static str,
        mut read: impl FnMut(&mut ObjReader<'a, '_>) -> T,
    ) -> Vec<T> {
        let Some(value) = self.get(key) else {
            return Vec::new();
        };
        let Some(values) = value.as_array() else {
            self.problem(key, "expected an array");
            return Vec::new();
        };
        let mut out = Vec::with_capacity(values.len());
        for (i, value) in values.iter().enumerate() {
            let path = format!("{}[{i}]", self.path_of(key));
            match value.as_object() {
                Some(map) => {
                    let mut inner = ObjReader::new(map, path, self.errors);
                    out.push(read(&mut inner));
                    inner.finish();
                }
                None => self.errors.push(ValidationError {
                    field: path,
                    problem: "expected an object".into(),
                }),
            }
        }
        out
    }

    /// An array of ids, accepted and checked but not kept (derived lists).
    pub(crate) fn id_array(&mut self, key: &'static str) {
        let Some(value) = self.get(key) else { return };
        let Some(values) = value.as_array() else {
            self.problem(key, "expected an array of strings");
            return;
        };
        for (i, value) in values.iter().enumerate() {
            let ok = match value {
                Json::String(s) => s.chars().count() <= 64,
                number @ Json::Number(_) => number.is_integer(),
                _ => false,
            };
            if !ok {
                self.errors.push(ValidationError {
                    field: format!("{}[{i}]", self.path_of(key)),
                    problem: "expected a string of at most 64 characters".into(),
                });
            }
        }
    }

    /// Reports every field that no reader asked for: a typo must not be dropped silently.
    pub(crate) fn finish(self) {
        for (i, (key, _)) in self.map.iter().enumerate() {
            // A repeated key is judged once, by its last member (the one a reader finds).
            let repeated = || self.map.position(key) != Some(i);
            if !self.seen.contains(i) && !repeated() {
                let field = self.path_of(key);
                self.errors.push(ValidationError {
                    field,
                    problem: "unknown field".into(),
                });
            }
        }
    }
}

/// Parses a JSON number's text exactly, `1e3` and `1.5E-2` included; a number that does not
/// fit 28 significant digits is refused, never rounded.
pub(crate) fn parse_decimal(text: &str) -> Option<Decimal> {
    let Some((mantissa, exponent)) = text.split_once(['e', 'E']) else {
        return Decimal::from_str_exact(text).ok();
    };
    let mut value = Decimal::from_str_exact(mantissa).ok()?;
    let exponent: i32 = exponent.parse().ok()?;
    if exponent < 0 {
        let scale = value.scale().checked_add(exponent.unsigned_abs())?;
        if scale > 28 {
            return None;
        }
        value.set_scale(scale).ok()?;
    } else if exponent.unsigned_abs() <= value.scale() {
        // 1.25e1 is 12.5: the exponent moves the point, the digits stay.
        value
            .set_scale(value.scale() - exponent.unsigned_abs())
            .ok()?;
    } else if !value.is_zero() {
        let zeros = exponent.unsigned_abs() - value.scale();
        value.set_scale(0).ok()?;
        // Past 28 a non-zero value has overflowed anyway; this bounds the loop.
        if zeros > 28 {
            return None;
        }
        for _ in 0..zeros {
            value = value.checked_mul(Decimal::TEN)?;
        }
    }
    Some(value)
}
