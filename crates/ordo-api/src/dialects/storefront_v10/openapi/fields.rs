//! The storefront's order, field by field: what each holds, in the order the dialect writes
//! them (docs/dialects/storefront_v10.md has the mapping). `order.rs` builds the schema.

use ordo_model::{APPROVALS, DISCOUNT_TYPES, REFERENCE_TYPES, ROUNDING_MODES, ROUNDING_RULES};

/// What a field holds.
#[derive(Clone, Copy)]
pub(super) enum Ty {
    /// A positive integer: the id itself when it is one, else a stable 53-bit hash of it.
    Id,
    IdOrNull,
    Text,
    TextOrNull,
    /// A string of at most n characters.
    Max(usize),
    /// 32 letters and digits.
    Token,
    OneOf(&'static [&'static str]),
    OneOfOrNull(&'static [&'static str]),
    /// `YYYY-MM-DD HH:MM:SS`, UTC.
    DateTime,
    Date,
    DateOrNull,
    /// An exact decimal with n digits after the point, as a JSON number.
    Num(u32),
    /// The same, as a JSON string (shipment and return lines, as the reference shows them).
    NumText(u32),
    Bool,
    Part(&'static str),
    PartOrNull(&'static str),
    Parts(&'static str),
}

pub(super) type Field = (&'static str, Ty, &'static str);

const ORDER_STATUSES: &[&str] = &[
    "New",
    "Open",
    "Ready",
    "Shipped",
    "Delivered",
    "Completed",
    "Cancelled",
];

const RETURN_STATUSES: &[&str] = &[
    "Pending",
    "Approved",
    "PartiallyApproved",
    "Rejected",
    "Cancelled",
];

/// The parts of an order, by component name (`storefront_v10.<name>`).
pub(super) const PARTS: &[(&str, &[Field])] = &[
    (
        "Rounding",
        &[
            ("mode", Ty::OneOf(&ROUNDING_MODES), ""),
            ("rule", Ty::OneOf(&ROUNDING_RULES), ""),
        ],
    ),
    (
        "Item",
        &[
            ("sku", Ty::Text, ""),
            ("name", Ty::Text, ""),
            ("quantity", Ty::Num(2), ""),
            ("price", Ty::Num(3), "The unit price."),
            ("totalPrice", Ty::Num(2), ""),
            ("weight", Ty::Num(3), "Per unit."),
            ("taxCode", Ty::Text, ""),
            ("taxRate", Ty::Num(2), "Percent."),
            ("taxAmount", Ty::Num(2), ""),
            ("requests", Ty::Text, ""),
        ],
    ),
    (
        "Shipment",
        &[
            ("id", Ty::Id, ""),
            (
                "items",
                Ty::Parts("ShipmentItem"),
                "The order's lines, in the first shipment only.",
            ),
            ("shipmentDate", Ty::Date, ""),
            ("deliveryDate", Ty::DateOrNull, ""),
            ("trackingNumber", Ty::Text, ""),
            ("trackingURL", Ty::Text, ""),
        ],
    ),
    (
        "ShipmentItem",
        &[
            ("isReturnable", Ty::Bool, ""),
            ("lastDateToReturn", Ty::DateOrNull, ""),
            ("name", Ty::Text, ""),
            ("price", Ty::NumText(3), ""),
            ("quantity", Ty::NumText(2), ""),
            (
                "returnedQuantity",
                Ty::NumText(2),
                "Of approved return lines only.",
            ),
            ("requests", Ty::Text, ""),
            ("sku", Ty::Text, ""),
            ("taxCode", Ty::Text, ""),
            ("taxRate", Ty::NumText(2), ""),
        ],
    ),
    (
        "Return",
        &[
            ("id", Ty::Id, ""),
            ("number", Ty::Max(32), ""),
            ("status", Ty::OneOf(RETURN_STATUSES), ""),
            ("creationTime", Ty::DateTime, ""),
            ("updateTime", Ty::DateTime, ""),
            ("locale", Ty::Text, ""),
            ("items", Ty::Parts("ReturnItem"), ""),
        ],
    ),
    (
        "ReturnItem",
        &[
            ("order", Ty::Part("ReturnedOrder"), ""),
            ("approval", Ty::OneOf(&APPROVALS), ""),
            ("comments", Ty::Text, ""),
            ("reason", Ty::Text, ""),
            ("name", Ty::Text, ""),
            ("price", Ty::NumText(3), ""),
            ("quantity", Ty::NumText(2), ""),
            ("sku", Ty::Text, ""),
            ("taxCode", Ty::Text, ""),
            ("taxRate", Ty::NumText(2), ""),
        ],
    ),
    (
        "ReturnedOrder",
        &[
            ("id", Ty::Id, ""),
            ("number", Ty::Max(32), ""),
            ("creationTime", Ty::DateTime, ""),
            ("rounding", Ty::Part("Rounding"), ""),
        ],
    ),
    (
        "Discount",
        &[
            ("type", Ty::OneOf(&DISCOUNT_TYPES), ""),
            ("value", Ty::Num(3), ""),
        ],
    ),
    (
        "Method",
        &[
            ("id", Ty::IdOrNull, "`null` when unknown."),
            ("name", Ty::Text, ""),
            ("cost", Ty::Num(3), ""),
            ("taxCode", Ty::Text, ""),
            ("taxRate", Ty::Num(2), "Percent."),
            ("taxAmount", Ty::Num(2), ""),
        ],
    ),
    (
        "Tax",
        &[
            ("code", Ty::Text, ""),
            ("name", Ty::Text, ""),
            ("rate", Ty::Num(2), "Percent."),
            ("taxableTotal", Ty::Num(2), ""),
            ("amount", Ty::Num(2), ""),
        ],
    ),
    ("BillingAddress", BILLING),
    ("ShippingAddress", SHIPPING),
    ("SellerAddress", SELLER),
];

const STATE: &str = "A state code; `\"\"` for a longer name.";
const COUNTRY: &str = "ISO 3166 alpha-2; `\"\"` when the country is not recognised.";

const BILLING: &[Field] = &[
    ("firstName", Ty::Text, ""),
    ("lastName", Ty::Text, ""),
    ("personalCode", Ty::Text, ""),
    ("companyName", Ty::Text, ""),
    ("companyCode", Ty::Text, ""),
    ("companyCode2", Ty::Text, ""),
    ("street1", Ty::Text, ""),
    ("street2", Ty::Text, ""),
    ("city", Ty::Text, ""),
    ("postalCode", Ty::Text, ""),
    ("stateProv", Ty::Max(3), STATE),
    ("country", Ty::Max(2), COUNTRY),
    ("phoneNumber", Ty::Text, ""),
    ("mobileNumber", Ty::Text, ""),
    ("faxNumber", Ty::Text, ""),
    ("email", Ty::Text, ""),
];

const SHIPPING: &[Field] = &[
    ("name", Ty::Text, ""),
    ("street1", Ty::Text, ""),
    ("street2", Ty::Text, ""),
    ("city", Ty::Text, ""),
    ("postalCode", Ty::Text, ""),
    ("stateProv", Ty::Max(3), STATE),
    ("country", Ty::Max(2), COUNTRY),
];

const SELLER: &[Field] = &[
    ("companyName", Ty::Text, ""),
    ("companyCode", Ty::Text, ""),
    ("personalCode", Ty::Text, ""),
    ("street1", Ty::Text, ""),
    ("street2", Ty::Text, ""),
    ("city", Ty::Text, ""),
    ("postalCode", Ty::Text, ""),
    ("stateProv", Ty::Max(3), STATE),
    ("country", Ty::Max(2), COUNTRY),
    ("phoneNumber", Ty::Text, ""),
    ("mobileNumber", Ty::Text, ""),
    ("faxNumber", Ty::Text, ""),
    ("email", Ty::Text, ""),
];

/// The fields of an order, in the order the storefront writes them.
pub(super) const ORDER: &[Field] = &[
    ("id", Ty::Id, ""),
    (
        "number",
        Ty::Max(32),
        "The number the merchant's own system shows.",
    ),
    ("status", Ty::OneOf(ORDER_STATUSES), ""),
    ("creationTime", Ty::DateTime, ""),
    ("updateTime", Ty::DateTime, ""),
    ("referenceType", Ty::OneOfOrNull(&REFERENCE_TYPES), ""),
    ("referenceNumber", Ty::Text, "`\"\"` without a reference."),
    ("token", Ty::Token, ""),
    ("rounding", Ty::Part("Rounding"), ""),
    ("locale", Ty::Text, ""),
    ("items", Ty::Parts("Item"), ""),
    (
        "shipments",
        Ty::Parts("Shipment"),
        "One per shipment package.",
    ),
    (
        "returns",
        Ty::Parts("Return"),
        "The customer's returns of this order, oldest first.",
    ),
    ("coupon", Ty::TextOrNull, ""),
    ("prediscountSubtotal", Ty::Num(2), ""),
    ("taxedPrediscountSubtotal", Ty::Num(2), ""),
    ("discounts", Ty::Parts("Discount"), ""),
    ("discountsIncludeTaxes", Ty::Bool, ""),
    ("subtotal", Ty::Num(2), ""),
    ("taxedSubtotal", Ty::Num(2), ""),
    (
        "shippingMethod",
        Ty::PartOrNull("Method"),
        "`null` for an order without shipping.",
    ),
    (
        "paymentMethod",
        Ty::PartOrNull("Method"),
        "`null` when no payment names a method.",
    ),
    ("taxes", Ty::Parts("Tax"), ""),
    ("taxAmount", Ty::Num(2), ""),
    ("total", Ty::Num(2), ""),
    ("taxedTotal", Ty::Num(2), ""),
    ("isPaidFor", Ty::Bool, ""),
    ("quantity", Ty::Num(2), ""),
    ("weight", Ty::Num(3), ""),
    ("invoiceRecipient", Ty::Text, ""),
    ("customerName", Ty::Text, ""),
    ("billingAddress", Ty::PartOrNull("BillingAddress"), ""),
    ("shippingAddress", Ty::PartOrNull("ShippingAddress"), ""),
    (
        "sellerAddress",
        Ty::Part("SellerAddress"),
        "Every field `\"\"` when unknown.",
    ),
    ("requests", Ty::Text, "The customer's notes."),
    ("terms", Ty::Text, ""),
];
