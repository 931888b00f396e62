//! Parent links between documents and the link lists derived from them.
//!
//! A child names its parent (`parentOrderId`, ...); the parent's list (`returnIds`, ...) is
//! derived from its children and never stored twice. The pair (parent kind, child kind)
//! decides the list, so an edge is enough to place a child id in the right list.

use crate::{Document, Kind};

/// A parent link field a document may carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkField {
    ParentQuoteId,
    ReplacementForOrderId,
    ParentOrderId,
    CustomerOrderId,
}

impl LinkField {
    pub const fn wire(self) -> &'static str {
        match self {
            LinkField::ParentQuoteId => "parentQuoteId",
            LinkField::ReplacementForOrderId => "replacementForOrderId",
            LinkField::ParentOrderId => "parentOrderId",
            LinkField::CustomerOrderId => "customerOrderId",
        }
    }
}

impl Kind {
    /// The parent links this kind carries, each with the kind of document it points to.
    pub const fn link_fields(self) -> &'static [(LinkField, Kind)] {
        match self {
            Kind::Quote | Kind::VendorQuote => &[],
            Kind::Order => &[
                (LinkField::ParentQuoteId, Kind::Quote),
                (LinkField::ReplacementForOrderId, Kind::Order),
            ],
            Kind::Return => &[(LinkField::ParentOrderId, Kind::Order)],
            Kind::VendorOrder => &[
                (LinkField::ParentQuoteId, Kind::VendorQuote),
                (LinkField::ReplacementForOrderId, Kind::VendorOrder),
                (LinkField::CustomerOrderId, Kind::Order),
            ],
            Kind::VendorReturn => &[(LinkField::ParentOrderId, Kind::VendorOrder)],
        }
    }

    /// Whether a link from a document of this kind to a `parent` may join two customers. Links
    /// join documents of one customer only, but for a vendor order's `customerOrderId`: the
    /// merchant's purchase from its vendor is kept under its own account at the vendor, and
    /// names the customer's order it supplies (reference 000 lists such a vendor order in the
    /// order's `vendorOrderIds`, not among the customer's relations).
    pub const fn links_across_customers(self, parent: Kind) -> bool {
        matches!((self, parent), (Kind::VendorOrder, Kind::Order))
    }

    /// The derived lists of this kind, each with the kind of child it lists, in wire order.
    pub const fn derived_lists(self) -> &'static [(&'static str, Kind)] {
        match self {
            Kind::Quote => &[("orderIds", Kind::Order)],
            Kind::VendorQuote => &[("orderIds", Kind::VendorOrder)],
            Kind::Order => &[
                ("replacementOrderIds", Kind::Order),
                ("returnIds", Kind::Return),
                ("vendorOrderIds", Kind::VendorOrder),
            ],
            Kind::VendorOrder => &[
                ("replacementOrderIds", Kind::VendorOrder),
                ("returnIds", Kind::VendorReturn),
            ],
            Kind::Return | Kind::VendorReturn => &[],
        }
    }
}

/// A child's link to its parent.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ParentRef {
    pub kind: Kind,
    pub id: String,
}

impl Document {
    pub fn link(&self, field: LinkField) -> Option<&str> {
        let links = &self.links;
        match field {
            LinkField::ParentQuoteId => links.parent_quote_id.as_deref(),
            LinkField::ReplacementForOrderId => links.replacement_for_order_id.as_deref(),
            LinkField::ParentOrderId => links.parent_order_id.as_deref(),
            LinkField::CustomerOrderId => links.customer_order_id.as_deref(),
        }
    }

    /// The documents this one points to, for the store's link index.
    pub fn parents(&self) -> Vec<ParentRef> {
        let mut parents: Vec<ParentRef> = self
            .kind
            .link_fields()
            .iter()
            .filter_map(|&(field, kind)| {
                self.link(field).map(|id| ParentRef {
                    kind,
                    id: id.to_owned(),
                })
            })
            .collect();
        parents.sort();
        parents.dedup();
        parents
    }
}

/// The derived lists of one document, filled from the children found in the store.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DerivedLinks {
    /// One entry per [`Kind::derived_lists`] of the document's kind, same order.
    pub lists: Vec<Vec<String>>,
}

impl DerivedLinks {
    pub fn empty(kind: Kind) -> DerivedLinks {
        DerivedLinks {
            lists: vec![Vec::new(); kind.derived_lists().len()],
        }
    }

    /// Places a child in the list its kind belongs to; other kinds are ignored.
    pub fn push(&mut self, parent: Kind, child: Kind, child_id: String) {
        if let Some(slot) = parent.derived_lists().iter().position(|&(_, k)| k == child) {
            self.lists[slot].push(child_id);
        }
    }
}
