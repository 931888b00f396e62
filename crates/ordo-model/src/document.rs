//! The canonical document: the v1 contract of reference 001, one struct for all six kinds.

use rust_decimal::Decimal;

use crate::{AddressExtensions, Extensions, ItemExtensions, Kind, PackageExtensions, Timestamp};

/// An order-based document as ordo stores it. Derived link lists (`returnIds`, ...) are not
/// here: they come from the parent links of other documents (see [`crate::links`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    pub kind: Kind,
    pub id: String,
    pub links: Links,
    /// Vendor orders only: `Dropship` or `Coming in House`.
    pub shipping_type: Option<String>,
    pub shopping_cart_id: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Required by the contract, but reference 000 shows `"total": null` for returns.
    pub total: Option<Decimal>,
    pub currency: String,
    pub status: String,
    pub status_id: String,
    pub customer_id: String,
    pub customer_notes: Option<String>,
    pub channel: Option<String>,
    pub shipping_method: String,
    pub shipping_price: Decimal,
    pub shipping_tax: Decimal,
    pub shipping_discount: Decimal,
    pub handling_fee: Decimal,
    pub created_by: Option<User>,
    pub sales_rep: Option<User>,
    pub vendor: Option<User>,
    pub billing: Option<Address>,
    pub shipping: Option<Address>,
    pub items: Vec<Item>,
    pub notes: Vec<Note>,
    pub payments: Vec<Payment>,
    pub shipments: Vec<Shipment>,
    /// Fields the compatibility dialects need; empty for a plain v1 document.
    pub ext: Box<Extensions>,
}

/// The parent links a document carries; which ones a kind may carry is [`Kind::link_fields`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Links {
    pub parent_quote_id: Option<String>,
    pub replacement_for_order_id: Option<String>,
    pub parent_order_id: Option<String>,
    /// A vendor order's customer order: the source of the order's `vendorOrderIds`.
    pub customer_order_id: Option<String>,
}

/// A user, or a vendor: the contracts give both the same shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Address {
    pub first_name: String,
    pub last_name: String,
    pub company: Option<String>,
    pub phone: Option<String>,
    pub alt_phone: Option<String>,
    pub fax: Option<String>,
    pub zip: String,
    pub country: String,
    pub state: String,
    pub city: String,
    pub address1: String,
    pub address2: Option<String>,
    pub email: Option<String>,
    /// Fields the compatibility dialects need; empty for a plain v1 address.
    pub ext: Box<AddressExtensions>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub item_id: String,
    pub product_id: String,
    pub unit_price: Decimal,
    pub quantity: i64,
    pub line_position: i64,
    /// "float" in the contract; kept exact like money so that it reads back as written.
    pub unit_weight: Option<Decimal>,
    pub tax: Decimal,
    pub discount: Decimal,
    pub mpn: Option<String>,
    pub item_name: Option<String>,
    pub product_image: Option<String>,
    pub product_url: Option<String>,
    pub unit_of_measure: Option<UnitOfMeasure>,
    pub ext: Box<ItemExtensions>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitOfMeasure {
    pub id: String,
    pub name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub note_id: String,
    pub message: String,
    pub action_type_code: Option<ActionTypeCode>,
    pub created_at: Timestamp,
    pub author: Option<User>,
}

/// The note action types of reference 001.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionTypeCode {
    WalkIn,
    PhoneCall,
    Email,
    Fax,
    General,
    Order,
    QuestionToSupport,
    Cancel,
}

impl ActionTypeCode {
    pub const ALL: [ActionTypeCode; 8] = [
        ActionTypeCode::WalkIn,
        ActionTypeCode::PhoneCall,
        ActionTypeCode::Email,
        ActionTypeCode::Fax,
        ActionTypeCode::General,
        ActionTypeCode::Order,
        ActionTypeCode::QuestionToSupport,
        ActionTypeCode::Cancel,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            ActionTypeCode::WalkIn => "WalkIn",
            ActionTypeCode::PhoneCall => "PhoneCall",
            ActionTypeCode::Email => "Email",
            ActionTypeCode::Fax => "Fax",
            ActionTypeCode::General => "General",
            ActionTypeCode::Order => "Order",
            ActionTypeCode::QuestionToSupport => "QuestionToSupport",
            ActionTypeCode::Cancel => "Cancel",
        }
    }

    pub fn parse(text: &str) -> Option<ActionTypeCode> {
        ActionTypeCode::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payment {
    pub payment_id: String,
    pub original_payment_id: Option<String>,
    pub amount: Decimal,
    pub user: Option<User>,
    pub payment_date: Timestamp,
    pub payment_method: Option<PaymentMethod>,
    /// `Charge` or `Refund`.
    pub payment_type: Option<String>,
}

/// `code` is not in the contract table but is in reference 000's example.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentMethod {
    pub id: String,
    pub code: Option<String>,
    pub name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shipment {
    pub packages: Vec<ShipmentPackage>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShipmentPackage {
    pub package_id: String,
    pub tracking_number: Option<String>,
    pub ship_date: Timestamp,
    pub carrier_name: Option<String>,
    pub service: Option<String>,
    pub shipping_price: Option<Decimal>,
    pub ext: Box<PackageExtensions>,
}

pub const PAYMENT_TYPES: [&str; 2] = ["Charge", "Refund"];
pub const SHIPPING_TYPES: [&str; 2] = ["Dropship", "Coming in House"];
