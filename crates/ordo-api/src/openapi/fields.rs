//! The fields of the v1 document, each with what it holds and whether it must come in: one
//! table for both directions of the wire. The per-kind fields (id, parent links, derived
//! lists) come from the `Kind` tables that the renderer and ingest use; the extension fields
//! from `extensions.rs`.

use ordo_model::{ActionTypeCode, Kind, PAYMENT_TYPES, SHIPPING_TYPES};

use super::extensions;

/// What a field holds.
#[derive(Clone, Copy)]
pub(super) enum Ty {
    /// The document's own id: 1..64 characters, no `/` or control characters.
    DocId,
    /// An id of at most n characters: a string out; in, a string or a whole number, which is
    /// kept as its digits.
    Id(usize),
    Text(usize),
    /// Text of at most n characters with one that is not white space (`orderNumber`).
    NonBlank(usize),
    /// Exact decimal, as a JSON number with the digits it was given.
    Money,
    Int,
    Time,
    OneOf(&'static [&'static str]),
    /// One object of a part (`User`, `Address`, ...).
    Part(&'static str),
    /// A list of parts.
    Parts(&'static str),
    /// A derived link list: ids of other documents.
    Ids,
    Bool,
    /// A whole number of 0 or more.
    Count,
    /// A whole number from 1 to 2^53 − 1.
    PositiveInt,
    /// A percentage from 0 to 99.99, exact.
    Rate,
    /// Exact, 0 or more.
    NonNegative,
    /// Exactly 32 ASCII letters and digits.
    Token,
    /// A date or a datetime in; written as a datetime, the date's at midnight.
    Date,
}

/// Whether a field must come in, and how it goes out.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Presence {
    /// Required in (`null` reads as absent); always written.
    Required,
    /// Required in but may be `null` (`total`); written `null` when absent.
    RequiredNullable,
    /// May be absent or `null` in; written `null` when absent.
    Optional,
    /// May be absent or `null` in, then filled at ingest (a default, the path, another
    /// field); always written.
    Filled,
    /// A list that may be absent or `null` in; written `null` when empty, never `[]`.
    NullIfEmpty,
    /// An extension field (`extensions.rs`): may be absent or `null` in; written only when it
    /// holds something (a list only when not empty), never `null`.
    Extension,
}

use Presence::{Filled, NullIfEmpty, Optional, Required, RequiredNullable};

/// Every part of a document by name, v1's with their extension fields, then the parts only
/// extension fields hold.
pub(super) fn parts() -> Vec<(&'static str, Vec<Field>)> {
    let mut parts: Vec<(&'static str, Vec<Field>)> = PARTS
        .iter()
        .map(|&(part, fields)| {
            let ext = match part {
                "Address" => extensions::ADDRESS,
                "Item" => extensions::ITEM,
                "ShipmentPackage" => extensions::PACKAGE,
                _ => &[],
            };
            (part, [fields, ext].concat())
        })
        .collect();
    parts.extend(
        extensions::PARTS
            .iter()
            .map(|&(part, fields)| (part, fields.to_vec())),
    );
    parts
}

pub(super) type Field = (&'static str, Ty, Presence, &'static str);

const ACTION_TYPE_CODES: [&str; ActionTypeCode::ALL.len()] = {
    let mut codes = [""; ActionTypeCode::ALL.len()];
    let mut i = 0;
    while i < codes.len() {
        codes[i] = ActionTypeCode::ALL[i].as_str();
        i += 1;
    }
    codes
};

/// The parts of a document, in the field order of `ordo-model/src/canonical.rs`.
const PARTS: &[(&str, &[Field])] = &[
    (
        "CurrentStatus",
        &[
            (
                "id",
                Ty::Id(10),
                Filled,
                "The status id; the same as `statusId`.",
            ),
            (
                "name",
                Ty::Text(100),
                Filled,
                "The status name; the same as `status`.",
            ),
        ],
    ),
    (
        "User",
        &[
            ("id", Ty::Id(64), Required, ""),
            ("name", Ty::Text(300), Optional, ""),
        ],
    ),
    (
        "Address",
        &[
            ("firstName", Ty::Text(150), Required, ""),
            ("lastName", Ty::Text(150), Required, ""),
            ("company", Ty::Text(250), Optional, ""),
            ("phone", Ty::Text(50), Optional, ""),
            ("altPhone", Ty::Text(50), Optional, ""),
            ("fax", Ty::Text(50), Optional, ""),
            ("zip", Ty::Text(50), Required, ""),
            ("country", Ty::Text(150), Required, ""),
            ("state", Ty::Text(50), Required, ""),
            ("city", Ty::Text(255), Required, ""),
            ("address1", Ty::Text(255), Required, ""),
            ("address2", Ty::Text(255), Optional, ""),
            ("email", Ty::Text(100), Optional, ""),
        ],
    ),
    (
        "Item",
        &[
            ("itemId", Ty::Id(64), Required, ""),
            ("productId", Ty::Id(64), Required, ""),
            ("unitPrice", Ty::Money, Required, ""),
            ("quantity", Ty::Int, Required, ""),
            ("linePosition", Ty::Int, Required, ""),
            (
                "unitWeight",
                Ty::Money,
                Optional,
                "Kept exactly as given, like money.",
            ),
            (
                "tax",
                Ty::Money,
                Filled,
                "Total line tax; `0.0` when not given.",
            ),
            (
                "discount",
                Ty::Money,
                Filled,
                "Total line discount; `0.0` when not given.",
            ),
            ("mpn", Ty::Text(50), Optional, "Manufacturer part number."),
            ("itemName", Ty::Text(2000), Optional, ""),
            ("productImage", Ty::Text(4000), Optional, ""),
            ("productUrl", Ty::Text(4000), Optional, ""),
            ("unitOfMeasure", Ty::Part("UnitOfMeasure"), Optional, ""),
        ],
    ),
    (
        "UnitOfMeasure",
        &[
            ("id", Ty::Text(10), Required, ""),
            ("name", Ty::Text(50), Optional, ""),
        ],
    ),
    (
        "Note",
        &[
            ("noteId", Ty::Id(64), Required, ""),
            ("message", Ty::Text(2000), Required, ""),
            (
                "actionTypeCode",
                Ty::OneOf(&ACTION_TYPE_CODES),
                Optional,
                "",
            ),
            ("createdAt", Ty::Time, Required, ""),
            ("author", Ty::Part("User"), Optional, ""),
        ],
    ),
    (
        "Payment",
        &[
            ("paymentId", Ty::Id(64), Required, ""),
            (
                "originalPaymentId",
                Ty::Id(64),
                Optional,
                "E.g. the charge a refund returns.",
            ),
            ("amount", Ty::Money, Required, ""),
            ("user", Ty::Part("User"), Optional, ""),
            ("paymentDate", Ty::Time, Required, ""),
            ("paymentMethod", Ty::Part("PaymentMethod"), Optional, ""),
            ("paymentType", Ty::OneOf(&PAYMENT_TYPES), Optional, ""),
        ],
    ),
    (
        "PaymentMethod",
        &[
            ("id", Ty::Id(64), Required, ""),
            ("code", Ty::Text(64), Optional, ""),
            ("name", Ty::Text(100), Optional, ""),
        ],
    ),
    (
        "Shipment",
        &[("packages", Ty::Parts("ShipmentPackage"), Filled, "")],
    ),
    (
        "ShipmentPackage",
        &[
            ("packageId", Ty::Id(64), Required, ""),
            ("trackingNumber", Ty::Text(50), Optional, ""),
            ("shipDate", Ty::Time, Required, ""),
            ("carrierName", Ty::Text(50), Optional, ""),
            ("service", Ty::Text(250), Optional, ""),
            ("shippingPrice", Ty::Money, Optional, ""),
        ],
    ),
];

/// The fields every kind has, between its parent links and its derived lists.
const COMMON: &[Field] = &[
    ("shoppingCartId", Ty::Text(64), Optional, ""),
    ("createdAt", Ty::Time, Required, ""),
    (
        "updatedAt",
        Ty::Time,
        Filled,
        "The time of the write when not given.",
    ),
    (
        "total",
        Ty::Money,
        RequiredNullable,
        "Required, but may be `null` (as returns show it).",
    ),
    ("currency", Ty::Text(10), Filled, "`USD` when not given."),
    (
        "currentStatus",
        Ty::Part("CurrentStatus"),
        Filled,
        "Always written, from `statusId` and `status`; either side fills the other in.",
    ),
    (
        "status",
        Ty::Text(100),
        Filled,
        "The tenant's status name; required unless `currentStatus.name` gives it.",
    ),
    (
        "statusId",
        Ty::Id(10),
        Filled,
        "The tenant's status id; required unless `currentStatus.id` gives it.",
    ),
    ("customerId", Ty::Id(64), Required, ""),
    ("customerNotes", Ty::Text(8000), Optional, ""),
    ("channel", Ty::Text(100), Optional, ""),
    ("shippingMethod", Ty::Text(200), Required, ""),
    ("shippingPrice", Ty::Money, Required, ""),
    ("shippingTax", Ty::Money, Required, ""),
    (
        "shippingDiscount",
        Ty::Money,
        Filled,
        "`0.0` when not given.",
    ),
    ("handlingFee", Ty::Money, Filled, "`0.0` when not given."),
    ("createdBy", Ty::Part("User"), Optional, ""),
    ("salesRep", Ty::Part("User"), Optional, ""),
    (
        "vendor",
        Ty::Part("User"),
        Optional,
        "The vendor: an id and a name, like a user.",
    ),
    ("billing", Ty::Part("Address"), Optional, ""),
    ("shipping", Ty::Part("Address"), Optional, ""),
    (
        "items",
        Ty::Parts("Item"),
        Filled,
        "`[]` when there are none.",
    ),
    (
        "notes",
        Ty::Parts("Note"),
        NullIfEmpty,
        "`null` when there are none.",
    ),
    (
        "payments",
        Ty::Parts("Payment"),
        NullIfEmpty,
        "`null` when there are none.",
    ),
    (
        "shipments",
        Ty::Parts("Shipment"),
        NullIfEmpty,
        "`null` when there are none.",
    ),
];

/// The fields of one kind, in the order v1 writes them (`canonical.rs`, `render_v1`).
pub(super) fn kind_fields(kind: Kind) -> Vec<Field> {
    let mut fields: Vec<Field> = vec![(
        kind.id_field(),
        Ty::DocId,
        Filled,
        "No `/` or control characters. In a PUT, the path's id when left out (and it must \
         equal it when given); required on an import line.",
    )];
    for &(link, _) in kind.link_fields() {
        fields.push((link.wire(), Ty::Id(64), Optional, ""));
    }
    if kind == Kind::VendorOrder {
        fields.push(("shippingType", Ty::OneOf(&SHIPPING_TYPES), Required, ""));
    }
    fields.extend_from_slice(COMMON);
    fields.extend_from_slice(extensions::DOCUMENT);
    for &(list, _) in kind.derived_lists() {
        fields.push((list, Ty::Ids, Filled, ""));
    }
    fields
}
