//! The values a list can be filtered by (`productId`, `mpn`, `orderNumber`): each document's
//! set of them, which the stores keep in an index beside the document.

use crate::Document;

/// A field a list filter matches documents by. Codes are stored: never reorder or reuse one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Term {
    /// The `productId` of one of the document's items.
    ProductId,
    /// The `mpn` of one of the document's items.
    Mpn,
    /// The document's order number: `orderNumber`, else `externalReferenceId`
    /// (docs/extensions.md).
    OrderNumber,
}

impl Term {
    /// Most selective first: a store drives a filtered list from the first term it filters by.
    pub const ALL: [Term; 3] = [Term::OrderNumber, Term::ProductId, Term::Mpn];

    pub const fn code(self) -> i64 {
        match self {
            Term::ProductId => 1,
            Term::Mpn => 2,
            Term::OrderNumber => 3,
        }
    }

    /// The list's query parameter.
    pub const fn param(self) -> &'static str {
        match self {
            Term::ProductId => "productId",
            Term::Mpn => "mpn",
            Term::OrderNumber => "orderNumber",
        }
    }

    /// The longest value ingest lets a document hold (characters): `productId` is an id of
    /// at most 64, `mpn` at most 50, and an order number an `externalReferenceId` of up to 64
    /// when `orderNumber` (at most 32) is absent.
    pub const fn max_chars(self) -> usize {
        match self {
            Term::ProductId | Term::OrderNumber => 64,
            Term::Mpn => 50,
        }
    }
}

impl Document {
    /// The document's distinct (term, value) pairs, sorted. Empty values are left out: a filter
    /// refuses an empty value, so none could ever be asked for.
    pub fn terms(&self) -> Vec<(Term, &str)> {
        let mut terms: Vec<(Term, &str)> = Vec::with_capacity(2 * self.items.len() + 1);
        for item in &self.items {
            terms.push((Term::ProductId, &item.product_id));
            if let Some(mpn) = &item.mpn {
                terms.push((Term::Mpn, mpn));
            }
        }
        let number = self.ext.order_number.as_ref();
        if let Some(number) = number.or(self.ext.external_reference_id.as_ref()) {
            terms.push((Term::OrderNumber, number));
        }
        terms.retain(|(_, value)| !value.is_empty());
        terms.sort_unstable();
        terms.dedup();
        terms
    }
}
