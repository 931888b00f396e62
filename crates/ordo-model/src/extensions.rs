//! Optional extension fields: what the compatibility dialects need and v1's contract lacks.
//!
//! Every one is optional, validated at ingest (docs/extensions.md lists them with their
//! limits), and written in v1 only when present, so documents without them render exactly as
//! reference 001 says.

use rust_decimal::Decimal;

use crate::Timestamp;

/// Document-level extensions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Extensions {
    /// history_v3 `orderType`: `NEW`, `TRANSFER` or `RENEWAL`.
    pub order_type: Option<String>,
    pub external_reference_id: Option<String>,
    /// customer_orders_v2: the contract an order changes (a UUID); makes it a CONTRACT_CHANGE.
    pub contract_change_contract_id: Option<String>,
    pub due_date: Option<Timestamp>,
    /// Months between invoices.
    pub invoicing_period: Option<i64>,
    /// storefront_v10: the customer's locale, ISO (`en`, `en-GB`).
    pub locale: Option<String>,
    pub coupon: Option<String>,
    pub discounts: Vec<Discount>,
    pub discounts_include_taxes: Option<bool>,
    pub taxes: Vec<TaxClass>,
    pub rounding: Option<Rounding>,
    pub reference: Option<Reference>,
    pub invoice_recipient: Option<String>,
    pub terms: Option<String>,
    pub seller_address: Option<SellerAddress>,
    /// storefront_v10 `number`: the number the customer is shown (≤ 32, `2020/5613`).
    pub order_number: Option<String>,
    /// storefront_v10 `token`: exactly 32 ASCII letters and digits.
    pub token: Option<String>,
    pub shipping_method_info: Option<ShippingMethodInfo>,
    pub payment_fee: Option<PaymentFee>,
}

impl Extensions {
    pub fn is_empty(&self) -> bool {
        self == &Extensions::default()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Discount {
    /// `PercentOff` or `AmountOff`.
    pub kind: String,
    pub value: Decimal,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaxClass {
    pub code: String,
    pub name: Option<String>,
    pub rate: Decimal,
    pub taxable_total: Decimal,
    pub amount: Decimal,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rounding {
    /// `Down`, `HalfDown`, `HalfEven` or `HalfUp`.
    pub mode: String,
    /// `PerItem`, `PerLine` or `Total`.
    pub rule: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// `Order`, `Quote`, `Invoice`, `ShippingInvoice`, `Proforma`, `CreditNote`, `Receipt`,
    /// `PackingSlip`.
    pub kind: String,
    pub number: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SellerAddress {
    pub company_name: Option<String>,
    pub company_code: Option<String>,
    pub personal_code: Option<String>,
    pub street1: Option<String>,
    pub street2: Option<String>,
    pub city: Option<String>,
    pub postal_code: Option<String>,
    pub state_prov: Option<String>,
    pub country: Option<String>,
    pub phone_number: Option<String>,
    pub mobile_number: Option<String>,
    pub fax_number: Option<String>,
    pub email: Option<String>,
}

/// What the storefront shows of the shipping method beyond v1's name, price and tax; each
/// part given replaces what the dialect would derive.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShippingMethodInfo {
    /// The method's id in the shop, 1 or more.
    pub id: Option<i64>,
    pub tax_code: Option<String>,
    /// Percent.
    pub tax_rate: Option<Decimal>,
}

/// The storefront's payment method fee; each part given replaces what the dialect would
/// derive from `handlingFee` and the document's tax classes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PaymentFee {
    pub cost: Option<Decimal>,
    pub tax_code: Option<String>,
    /// Percent.
    pub tax_rate: Option<Decimal>,
    pub tax_amount: Option<Decimal>,
}

/// Address-level extensions (billing and shipping).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AddressExtensions {
    pub personal_code: Option<String>,
    pub company_code: Option<String>,
    pub company_code2: Option<String>,
    /// customer_orders_v2 `profile.title`: `other`, `mr` or `ms`.
    pub title: Option<String>,
}

impl AddressExtensions {
    pub fn is_empty(&self) -> bool {
        self == &AddressExtensions::default()
    }
}

/// Item-level extensions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ItemExtensions {
    /// history_v3: the offer the line sells (default: the product id).
    pub offer_id: Option<String>,
    pub subscription_id: Option<String>,
    pub deployment_id: Option<String>,
    /// The line's own status, from the tenant's status dictionary (default: the order's).
    pub status_id: Option<String>,
    pub promotions: Vec<Promotion>,
    /// storefront_v10: the SKU (default: the mpn, else the product id).
    pub sku: Option<String>,
    pub tax_code: Option<String>,
    /// Percent.
    pub tax_rate: Option<Decimal>,
    pub requests: Option<String>,
    /// Return lines: `Pending`, `Approved`, `Rejected` or `Cancelled`.
    pub approval: Option<String>,
    pub reason: Option<String>,
    pub comments: Option<String>,
    pub is_returnable: Option<bool>,
    pub last_date_to_return: Option<Timestamp>,
    /// customer_orders_v2: a recurring line counts in `summary.recurring`.
    pub recurring: Option<bool>,
    pub template_name: Option<String>,
    pub is_inclusive: Option<bool>,
    pub addons: Vec<Addon>,
    pub attributes: Vec<Attribute>,
}

impl ItemExtensions {
    pub fn is_empty(&self) -> bool {
        self == &ItemExtensions::default()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Promotion {
    pub code: String,
    pub result: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Addon {
    pub key: String,
    pub value: String,
    pub hidden: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    pub key: String,
    pub value: Option<String>,
}

/// Shipment-package extensions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PackageExtensions {
    pub delivery_date: Option<Timestamp>,
    pub tracking_url: Option<String>,
}

impl PackageExtensions {
    pub fn is_empty(&self) -> bool {
        self == &PackageExtensions::default()
    }
}

pub const ORDER_TYPES: [&str; 3] = ["NEW", "TRANSFER", "RENEWAL"];
pub const DISCOUNT_TYPES: [&str; 2] = ["PercentOff", "AmountOff"];
pub const ROUNDING_MODES: [&str; 4] = ["Down", "HalfDown", "HalfEven", "HalfUp"];
pub const ROUNDING_RULES: [&str; 3] = ["PerItem", "PerLine", "Total"];
pub const REFERENCE_TYPES: [&str; 8] = [
    "Order",
    "Quote",
    "Invoice",
    "ShippingInvoice",
    "Proforma",
    "CreditNote",
    "Receipt",
    "PackingSlip",
];
pub const APPROVALS: [&str; 4] = ["Pending", "Approved", "Rejected", "Cancelled"];
pub const TITLES: [&str; 3] = ["other", "mr", "ms"];
