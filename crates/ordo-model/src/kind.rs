//! The six kinds of order-based document and their names on the wire.

use std::fmt;
use std::str::FromStr;

/// A kind of order-based document. Code says `Quote`; the wire says "quota" in scopes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Quote,
    Order,
    Return,
    VendorQuote,
    VendorOrder,
    VendorReturn,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Quote,
        Kind::Order,
        Kind::Return,
        Kind::VendorQuote,
        Kind::VendorOrder,
        Kind::VendorReturn,
    ];

    /// The path segment of `/v1/{kind}/` and the `"kind"` of an NDJSON line.
    pub const fn path(self) -> &'static str {
        match self {
            Kind::Quote => "quote",
            Kind::Order => "order",
            Kind::Return => "return",
            Kind::VendorQuote => "vendor-quote",
            Kind::VendorOrder => "vendor-order",
            Kind::VendorReturn => "vendor-return",
        }
    }

    /// The field that carries the document's id.
    pub const fn id_field(self) -> &'static str {
        match self {
            Kind::Quote | Kind::VendorQuote => "quoteId",
            Kind::Order | Kind::VendorOrder => "orderId",
            Kind::Return | Kind::VendorReturn => "returnId",
        }
    }

    /// The scope a key needs to read this kind; writing needs `<scope>:write`.
    pub const fn read_scope(self) -> &'static str {
        match self {
            Kind::Quote => "quotas",
            Kind::Order => "orders",
            Kind::Return => "returns",
            Kind::VendorQuote => "vendor-quotas",
            Kind::VendorOrder => "vendor-orders",
            Kind::VendorReturn => "vendor-returns",
        }
    }

    pub const fn write_scope(self) -> &'static str {
        match self {
            Kind::Quote => "quotas:write",
            Kind::Order => "orders:write",
            Kind::Return => "returns:write",
            Kind::VendorQuote => "vendor-quotas:write",
            Kind::VendorOrder => "vendor-orders:write",
            Kind::VendorReturn => "vendor-returns:write",
        }
    }

    /// The key of this kind in the relations payload (reference 000).
    pub const fn relations_key(self) -> &'static str {
        match self {
            Kind::Quote => "quotas",
            Kind::Order => "orders",
            Kind::Return => "returns",
            Kind::VendorQuote => "vendorQuotas",
            Kind::VendorOrder => "vendorOrders",
            Kind::VendorReturn => "vendorReturns",
        }
    }

    /// A small stable number for storage; never reorder.
    pub const fn code(self) -> i64 {
        match self {
            Kind::Quote => 1,
            Kind::Order => 2,
            Kind::Return => 3,
            Kind::VendorQuote => 4,
            Kind::VendorOrder => 5,
            Kind::VendorReturn => 6,
        }
    }

    pub fn from_code(code: i64) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub const fn is_quote(self) -> bool {
        matches!(self, Kind::Quote | Kind::VendorQuote)
    }

    pub const fn is_vendor(self) -> bool {
        matches!(
            self,
            Kind::VendorQuote | Kind::VendorOrder | Kind::VendorReturn
        )
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.path())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown kind {0:?}")]
pub struct UnknownKind(pub String);

impl FromStr for Kind {
    type Err = UnknownKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::ALL
            .into_iter()
            .find(|k| k.path() == s)
            .ok_or_else(|| UnknownKind(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_codes_round_trip() {
        for kind in Kind::ALL {
            assert_eq!(kind.path().parse::<Kind>(), Ok(kind));
            assert_eq!(Kind::from_code(kind.code()), Some(kind));
        }
        assert!("orders".parse::<Kind>().is_err());
    }
}
