//! Canonical documents → the storefront's JSON: an ordered tree ([`Node`]) that keeps the
//! reference's field order and each decimal's exact text, so that `fields` can cut it and
//! the answer reads like reference 004.

mod addresses;
mod money;
mod order;
mod returns;
mod totals;

use ordo_model::{Decimal, StatusDictionary, Timestamp};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use money::Rounding;
pub(crate) use order::order;

/// A JSON value whose objects keep their field order and whose numbers keep their text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    Int(u64),
    /// A decimal number, written as this text (`56.330` stays `56.330`).
    Num(String),
    Str(String),
    List(Vec<Node>),
    Object(Vec<(&'static str, Node)>),
}

impl Node {
    pub(crate) fn str(text: impl Into<String>) -> Node {
        Node::Str(text.into())
    }

    /// A string, `""` when absent.
    pub(crate) fn text(text: Option<&str>) -> Node {
        Node::Str(text.unwrap_or_default().to_owned())
    }

    pub(crate) fn opt<T>(value: Option<T>, f: impl FnOnce(T) -> Node) -> Node {
        value.map_or(Node::Null, f)
    }

    /// A `YYYY-MM-DD HH:MM:SS` datetime.
    pub(crate) fn datetime(at: Timestamp) -> Node {
        Node::Str(at.spaced())
    }

    /// A `YYYY-MM-DD` date.
    pub(crate) fn date(at: Timestamp) -> Node {
        let mut text = at.spaced();
        text.truncate(10);
        Node::Str(text)
    }
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Null => s.serialize_none(),
            Node::Bool(b) => s.serialize_bool(*b),
            Node::Int(n) => s.serialize_u64(*n),
            Node::Num(text) => {
                let number: serde_json::Number = text.parse().map_err(serde::ser::Error::custom)?;
                number.serialize(s)
            }
            Node::Str(text) => s.serialize_str(text),
            Node::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Node::Object(fields) => {
                let mut map = s.serialize_map(Some(fields.len()))?;
                for (name, value) in fields {
                    map.serialize_entry(name, value)?;
                }
                map.end()
            }
        }
    }
}

/// What every rendering of one call shares: whose documents, and how statuses read.
pub(crate) struct Context<'a> {
    pub tenant: &'a str,
    pub dictionary: &'a StatusDictionary,
}

/// Decimals of one document: its rounding, and the reference's precision for each field —
/// a JSON number where the reference shows one, a string where it shows a string.
#[derive(Clone, Copy)]
pub(crate) struct Digits(pub Rounding);

impl Digits {
    /// `value` to `dp` decimals, as a JSON number.
    pub(crate) fn num(self, value: Decimal, dp: u32) -> Node {
        Node::Num(self.0.round(value, dp).to_string())
    }

    /// `value` to `dp` decimals, as a JSON string (shipment and return lines).
    pub(crate) fn string(self, value: Decimal, dp: u32) -> Node {
        Node::Str(self.0.round(value, dp).to_string())
    }
}

#[cfg(test)]
mod tests;
