//! A JSON tree that borrows from the text it was read from.
//!
//! Ingest reads every field of a document once and keeps owned copies of what it keeps, so the
//! tree in between need not own anything: strings without escapes and object keys point into
//! the input, objects are vectors in input order instead of sorted maps. An import spends most
//! of its time here (docs/benchmarks.md, fourth round).

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// One JSON value; numbers keep their text so that money is read exactly.
#[derive(Clone, Debug, PartialEq)]
pub enum Json<'a> {
    Null,
    Bool(bool),
    Number(Cow<'a, str>),
    String(Cow<'a, str>),
    Array(Vec<Json<'a>>),
    Object(Object<'a>),
}

/// An object's members in input order. A repeated key reads as its last value, as in
/// `serde_json::Value`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Object<'a> {
    members: Vec<(Cow<'a, str>, Json<'a>)>,
}

impl<'a> Json<'a> {
    /// Reads one JSON text; nothing but whitespace may follow the value.
    pub fn parse(text: &'a str) -> serde_json::Result<Json<'a>> {
        serde_json::from_str(text)
    }

    /// [`Json::parse`] of bytes, which must be UTF-8 (a request body).
    pub fn parse_slice(bytes: &'a [u8]) -> serde_json::Result<Json<'a>> {
        serde_json::from_slice(bytes)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(text) => Some(text),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(flag) => Some(*flag),
            _ => None,
        }
    }

    /// A number written as a whole number that fits an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Json::Number(text) => text.parse().ok(),
            _ => None,
        }
    }

    /// A number written as a whole number that fits an `i64` or a `u64`.
    pub fn is_integer(&self) -> bool {
        match self {
            Json::Number(text) => text.parse::<i64>().is_ok() || text.parse::<u64>().is_ok(),
            _ => false,
        }
    }

    pub fn as_array(&self) -> Option<&[Json<'a>]> {
        match self {
            Json::Array(values) => Some(values),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Object<'a>> {
        match self {
            Json::Object(object) => Some(object),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    /// The member `key` of an object; `None` for anything else.
    pub fn get(&self, key: &str) -> Option<&Json<'a>> {
        self.as_object()?.get(key)
    }
}

impl<'a> Object<'a> {
    pub fn len(&self) -> usize {
        self.members.len()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Where the value of `key` stands: the last member of that name.
    pub fn position(&self, key: &str) -> Option<usize> {
        self.members.iter().rposition(|(k, _)| k == key)
    }

    pub fn get(&self, key: &str) -> Option<&Json<'a>> {
        self.position(key).map(|i| self.value_at(i))
    }

    /// The value of the member at `i`, a position from [`Object::position`].
    pub fn value_at(&self, i: usize) -> &Json<'a> {
        &self.members[i].1
    }

    /// Members in input order, repeated keys included.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Json<'a>)> {
        self.members.iter().map(|(k, v)| (k.as_ref(), v))
    }
}

/// A view of a parsed `serde_json::Value`, for callers that hold one (PUT bodies, tests).
impl<'a> From<&'a Value> for Json<'a> {
    fn from(value: &'a Value) -> Self {
        match value {
            Value::Null => Json::Null,
            Value::Bool(flag) => Json::Bool(*flag),
            Value::Number(n) => Json::Number(Cow::Borrowed(n.as_str())),
            Value::String(text) => Json::String(Cow::Borrowed(text)),
            Value::Array(values) => Json::Array(values.iter().map(Json::from).collect()),
            Value::Object(map) => Json::Object(Object {
                members: map
                    .iter()
                    .map(|(k, v)| (Cow::Borrowed(k.as_str()), Json::from(v)))
                    .collect(),
            }),
        }
    }
}

impl<'de> de::Deserialize<'de> for Json<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

/// The key under which serde_json's `arbitrary_precision` hands a number's text to a visitor
/// (`serde_json::Value` reads it the same way).
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }

    fn visit_none<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Json<'de>, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_bool<E>(self, flag: bool) -> Result<Json<'de>, E> {
        Ok(Json::Bool(flag))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Json<'de>, E> {
        Ok(Json::Number(Cow::Owned(n.to_string())))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Json<'de>, E> {
        Ok(Json::Number(Cow::Owned(n.to_string())))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Json<'de>, E> {
        // As serde_json::Value: a number JSON cannot write reads as null.
        Ok(match serde_json::Number::from_f64(n) {
            Some(n) => Json::Number(Cow::Owned(n.to_string())),
            None => Json::Null,
        })
    }

    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Json<'de>, E> {
        Ok(Json::String(Cow::Borrowed(text)))
    }

    fn visit_str<E>(self, text: &str) -> Result<Json<'de>, E> {
        Ok(Json::String(Cow::Owned(text.to_owned())))
    }

    fn visit_string<E>(self, text: String) -> Result<Json<'de>, E> {
        Ok(Json::String(Cow::Owned(text)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json<'de>, A::Error> {
        let mut values = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(value) = seq.next_element()? {
            values.push(value);
        }
        Ok(Json::Array(values))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json<'de>, A::Error> {
        let Some(first) = map.next_key_seed(Key)? else {
            return Ok(Json::Object(Object::default()));
        };
        if first == NUMBER_TOKEN {
            let text: String = map.next_value()?;
            return Ok(Json::Number(Cow::Owned(text)));
        }
        let mut members = Vec::with_capacity(8);
        members.push((first, map.next_value()?));
        while let Some(key) = map.next_key_seed(Key)? {
            members.push((key, map.next_value()?));
        }
        Ok(Json::Object(Object { members }))
    }
}

/// Reads an object key, borrowed from the input when it has no escapes.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(text))
    }

    fn visit_str<E>(self, text: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(text.to_owned()))
    }

    fn visit_string<E>(self, text: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_without_escapes_borrow_from_the_text() {
        let json = Json::parse(r#"{"a":"plain","b\u0041":"esc\"aped","n":1.50}"#).unwrap();
        let object = json.as_object().unwrap();
        let members: Vec<_> = object.members.iter().collect();
        assert!(matches!(members[0].0, Cow::Borrowed("a")));
        assert!(matches!(members[0].1, Json::String(Cow::Borrowed("plain"))));
        assert_eq!(members[1].0, "bA");
        assert_eq!(members[1].1.as_str(), Some("esc\"aped"));
        assert_eq!(object.get("n"), Some(&Json::Number("1.50".into())));
    }

    #[test]
    fn a_repeated_key_reads_as_its_last_value() {
        let json = Json::parse(r#"{"a":1,"b":2,"a":3}"#).unwrap();
        assert_eq!(json.get("a").and_then(Json::as_i64), Some(3));
        assert_eq!(json.as_object().unwrap().len(), 3);
    }

    #[test]
    fn trailing_text_and_bad_json_are_refused() {
        assert!(Json::parse(r#"{"a":1} x"#).is_err());
        assert!(Json::parse(r#"{"a":}"#).is_err());
        assert!(Json::parse("").is_err());
    }

    #[test]
    fn integers_are_told_from_other_numbers() {
        let json = Json::parse("[1, -0, 18446744073709551615, 1.0, 1e3, \"1\"]").unwrap();
        let values = json.as_array().unwrap();
        let integers: Vec<bool> = values.iter().map(Json::is_integer).collect();
        assert_eq!(integers, [true, true, true, false, false, false]);
        assert_eq!(values[2].as_i64(), None);
    }
}
