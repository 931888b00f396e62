//! The extension fields of the canonical document (docs/extensions.md; ordo-model's
//! `ingest/extensions.rs` reads them, `canonical/extensions.rs` writes them), for the v1
//! schemas: each may be left out or `null` in, and is written only when it holds something
//! (a list only when it is not empty), never as `null`.

use ordo_model::{
    APPROVALS, DISCOUNT_TYPES, ORDER_TYPES, REFERENCE_TYPES, ROUNDING_MODES, ROUNDING_RULES, TITLES,
};

use super::fields::Presence::{Extension, Required};
use super::fields::{Field, Ty};

/// After the common fields of every kind, before its derived lists.
pub(super) const DOCUMENT: &[Field] = &[
    (
        "orderType",
        Ty::OneOf(&ORDER_TYPES),
        Extension,
        "history_v3's `orderType`.",
    ),
    ("externalReferenceId", Ty::Text(64), Extension, ""),
    (
        "contractChangeContractId",
        Ty::Text(64),
        Extension,
        "customer_orders_v2: the contract the order changes (a UUID).",
    ),
    ("dueDate", Ty::Time, Extension, ""),
    ("invoicingPeriod", Ty::Count, Extension, "Months."),
    ("locale", Ty::Text(5), Extension, "`en`, `en-GB`."),
    ("coupon", Ty::Text(32), Extension, ""),
    ("discounts", Ty::Parts("Discount"), Extension, "At most 5."),
    ("discountsIncludeTaxes", Ty::Bool, Extension, ""),
    ("taxes", Ty::Parts("TaxClass"), Extension, ""),
    ("rounding", Ty::Part("Rounding"), Extension, ""),
    ("reference", Ty::Part("Reference"), Extension, ""),
    ("invoiceRecipient", Ty::Text(256), Extension, ""),
    ("terms", Ty::Text(65535), Extension, ""),
    ("sellerAddress", Ty::Part("SellerAddress"), Extension, ""),
    (
        "orderNumber",
        Ty::NonBlank(32),
        Extension,
        "The number the customer is shown; not blank.",
    ),
    ("token", Ty::Token, Extension, "A storefront cart token."),
    (
        "shippingMethodInfo",
        Ty::Part("ShippingMethodInfo"),
        Extension,
        "",
    ),
    ("paymentFee", Ty::Part("PaymentFee"), Extension, ""),
];

/// After the fields of v1's address.
pub(super) const ADDRESS: &[Field] = &[
    ("personalCode", Ty::Text(20), Extension, ""),
    ("companyCode", Ty::Text(20), Extension, ""),
    ("companyCode2", Ty::Text(20), Extension, ""),
    ("title", Ty::OneOf(&TITLES), Extension, ""),
];

/// After the fields of v1's item.
pub(super) const ITEM: &[Field] = &[
    ("offerId", Ty::Text(64), Extension, ""),
    ("subscriptionId", Ty::Text(64), Extension, ""),
    ("deploymentId", Ty::Text(64), Extension, ""),
    (
        "lineStatusId",
        Ty::Id(64),
        Extension,
        "A status id of the tenant's dictionary.",
    ),
    ("promotions", Ty::Parts("Promotion"), Extension, ""),
    ("sku", Ty::Text(40), Extension, ""),
    ("taxCode", Ty::Text(32), Extension, ""),
    ("taxRate", Ty::Money, Extension, "Percent."),
    ("requests", Ty::Text(255), Extension, ""),
    (
        "approval",
        Ty::OneOf(&APPROVALS),
        Extension,
        "Of a return line.",
    ),
    ("reason", Ty::Text(120), Extension, ""),
    ("comments", Ty::Text(200), Extension, ""),
    ("isReturnable", Ty::Bool, Extension, ""),
    ("lastDateToReturn", Ty::Date, Extension, ""),
    ("recurring", Ty::Bool, Extension, ""),
    ("templateName", Ty::Text(255), Extension, ""),
    ("isInclusive", Ty::Bool, Extension, ""),
    ("addons", Ty::Parts("Addon"), Extension, ""),
    ("attributes", Ty::Parts("Attribute"), Extension, ""),
];

/// After the fields of v1's shipment package.
pub(super) const PACKAGE: &[Field] = &[
    ("deliveryDate", Ty::Date, Extension, ""),
    ("trackingUrl", Ty::Text(300), Extension, ""),
];

/// The parts only extension fields hold.
pub(super) const PARTS: &[(&str, &[Field])] = &[
    (
        "Discount",
        &[
            ("type", Ty::OneOf(&DISCOUNT_TYPES), Required, ""),
            ("value", Ty::Money, Required, ""),
        ],
    ),
    (
        "TaxClass",
        &[
            ("code", Ty::Text(32), Required, ""),
            ("name", Ty::Text(60), Extension, ""),
            ("rate", Ty::Money, Required, "Percent."),
            ("taxableTotal", Ty::Money, Required, ""),
            ("amount", Ty::Money, Required, ""),
        ],
    ),
    (
        "Rounding",
        &[
            ("mode", Ty::OneOf(&ROUNDING_MODES), Required, ""),
            ("rule", Ty::OneOf(&ROUNDING_RULES), Required, ""),
        ],
    ),
    (
        "Reference",
        &[
            ("type", Ty::OneOf(&REFERENCE_TYPES), Required, ""),
            ("number", Ty::Text(32), Required, ""),
        ],
    ),
    (
        "SellerAddress",
        &[
            ("companyName", Ty::Text(100), Extension, ""),
            ("companyCode", Ty::Text(20), Extension, ""),
            ("personalCode", Ty::Text(20), Extension, ""),
            ("street1", Ty::Text(60), Extension, ""),
            ("street2", Ty::Text(60), Extension, ""),
            ("city", Ty::Text(25), Extension, ""),
            ("postalCode", Ty::Text(20), Extension, ""),
            ("stateProv", Ty::Text(3), Extension, ""),
            ("country", Ty::Text(2), Extension, ""),
            ("phoneNumber", Ty::Text(15), Extension, ""),
            ("mobileNumber", Ty::Text(15), Extension, ""),
            ("faxNumber", Ty::Text(15), Extension, ""),
            ("email", Ty::Text(120), Extension, ""),
        ],
    ),
    (
        "ShippingMethodInfo",
        &[
            ("id", Ty::PositiveInt, Extension, ""),
            ("taxCode", Ty::Text(32), Extension, ""),
            ("taxRate", Ty::Rate, Extension, ""),
        ],
    ),
    (
        "PaymentFee",
        &[
            ("cost", Ty::NonNegative, Extension, ""),
            ("taxCode", Ty::Text(32), Extension, ""),
            ("taxRate", Ty::Rate, Extension, ""),
            ("taxAmount", Ty::NonNegative, Extension, ""),
        ],
    ),
    (
        "Promotion",
        &[
            ("code", Ty::Text(64), Required, ""),
            ("result", Ty::Text(32), Required, ""),
        ],
    ),
    (
        "Addon",
        &[
            ("key", Ty::Text(255), Required, ""),
            ("value", Ty::Text(usize::MAX), Required, ""),
            ("hidden", Ty::Bool, Extension, ""),
        ],
    ),
    (
        "Attribute",
        &[
            ("key", Ty::Text(255), Required, ""),
            ("value", Ty::Text(usize::MAX), Extension, ""),
        ],
    ),
];
