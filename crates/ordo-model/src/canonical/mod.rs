//! The document as JSON: the v1 rendering of reference 001, which is also what the store keeps.
//!
//! Stored bodies hold everything but the derived link lists; [`render_v1`] appends those to a
//! stored body without parsing it, so a list page costs one copy per document.

mod extensions;
mod read;

use rust_decimal::Decimal;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use crate::{
    Address, DerivedLinks, Document, Item, Kind, Note, Payment, Shipment, ShipmentPackage,
    Timestamp, UnitOfMeasure, User,
};

/// Money as a JSON number with exactly the digits of the decimal.
pub(crate) struct Money<'a>(pub(crate) &'a Decimal);

impl Serialize for Money<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let number: serde_json::Number = self
            .0
            .to_string()
            .parse()
            .map_err(serde::ser::Error::custom)?;
        number.serialize(s)
    }
}

pub(crate) struct Time(pub(crate) Timestamp);

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.v1())
    }
}

/// A list written as `null` when empty, as reference 000 shows `payments` and `shipments`.
struct NullIfEmpty<'a, T>(&'a [T]);

impl<T: Serialize> Serialize for NullIfEmpty<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.is_empty() {
            s.serialize_none()
        } else {
            self.0.serialize(s)
        }
    }
}

impl Serialize for Document {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry(self.kind.id_field(), &self.id)?;
        for &(field, _) in self.kind.link_fields() {
            m.serialize_entry(field.wire(), &self.link(field))?;
        }
        if let Some(shipping_type) = &self.shipping_type {
            m.serialize_entry("shippingType", shipping_type)?;
        }
        m.serialize_entry("shoppingCartId", &self.shopping_cart_id)?;
        m.serialize_entry("createdAt", &Time(self.created_at))?;
        m.serialize_entry("updatedAt", &Time(self.updated_at))?;
        m.serialize_entry("total", &self.total.as_ref().map(Money))?;
        m.serialize_entry("currency", &self.currency)?;
        m.serialize_entry("currentStatus", &CurrentStatus(self))?;
        m.serialize_entry("status", &self.status)?;
        m.serialize_entry("statusId", &self.status_id)?;
        m.serialize_entry("customerId", &self.customer_id)?;
        m.serialize_entry("customerNotes", &self.customer_notes)?;
        m.serialize_entry("channel", &self.channel)?;
        m.serialize_entry("shippingMethod", &self.shipping_method)?;
        m.serialize_entry("shippingPrice", &Money(&self.shipping_price))?;
        m.serialize_entry("shippingTax", &Money(&self.shipping_tax))?;
        m.serialize_entry("shippingDiscount", &Money(&self.shipping_discount))?;
        m.serialize_entry("handlingFee", &Money(&self.handling_fee))?;
        m.serialize_entry("createdBy", &self.created_by)?;
        m.serialize_entry("salesRep", &self.sales_rep)?;
        m.serialize_entry("vendor", &self.vendor)?;
        m.serialize_entry("billing", &self.billing)?;
        m.serialize_entry("shipping", &self.shipping)?;
        m.serialize_entry("items", &self.items)?;
        m.serialize_entry("notes", &NullIfEmpty(&self.notes))?;
        m.serialize_entry("payments", &NullIfEmpty(&self.payments))?;
        m.serialize_entry("shipments", &NullIfEmpty(&self.shipments))?;
        extensions::document(&mut m, &self.ext)?;
        m.end()
    }
}

struct CurrentStatus<'a>(&'a Document);

impl Serialize for CurrentStatus<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("id", &self.0.status_id)?;
        m.serialize_entry("name", &self.0.status)?;
        m.end()
    }
}

impl Serialize for User {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("id", &self.id)?;
        m.serialize_entry("name", &self.name)?;
        m.end()
    }
}

impl Serialize for UnitOfMeasure {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("id", &self.id)?;
        m.serialize_entry("name", &self.name)?;
        m.end()
    }
}

impl Serialize for Address {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("firstName", &self.first_name)?;
        m.serialize_entry("lastName", &self.last_name)?;
        m.serialize_entry("company", &self.company)?;
        m.serialize_entry("phone", &self.phone)?;
        m.serialize_entry("altPhone", &self.alt_phone)?;
        m.serialize_entry("fax", &self.fax)?;
        m.serialize_entry("zip", &self.zip)?;
        m.serialize_entry("country", &self.country)?;
        m.serialize_entry("state", &self.state)?;
        m.serialize_entry("city", &self.city)?;
        m.serialize_entry("address1", &self.address1)?;
        m.serialize_entry("address2", &self.address2)?;
        m.serialize_entry("email", &self.email)?;
        extensions::address(&mut m, &self.ext)?;
        m.end()
    }
}

impl Serialize for Item {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("itemId", &self.item_id)?;
        m.serialize_entry("productId", &self.product_id)?;
        m.serialize_entry("unitPrice", &Money(&self.unit_price))?;
        m.serialize_entry("quantity", &self.quantity)?;
        m.serialize_entry("linePosition", &self.line_position)?;
        m.serialize_entry("unitWeight", &self.unit_weight.as_ref().map(Money))?;
        m.serialize_entry("tax", &Money(&self.tax))?;
        m.serialize_entry("discount", &Money(&self.discount))?;
        m.serialize_entry("mpn", &self.mpn)?;
        m.serialize_entry("itemName", &self.item_name)?;
        m.serialize_entry("productImage", &self.product_image)?;
        m.serialize_entry("productUrl", &self.product_url)?;
        m.serialize_entry("unitOfMeasure", &self.unit_of_measure)?;
        extensions::item(&mut m, &self.ext)?;
        m.end()
    }
}

impl Serialize for Note {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(5))?;
        m.serialize_entry("noteId", &self.note_id)?;
        m.serialize_entry("message", &self.message)?;
        m.serialize_entry("actionTypeCode", &self.action_type_code.map(|c| c.as_str()))?;
        m.serialize_entry("createdAt", &Time(self.created_at))?;
        m.serialize_entry("author", &self.author)?;
        m.end()
    }
}

impl Serialize for Payment {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(7))?;
        m.serialize_entry("paymentId", &self.payment_id)?;
        m.serialize_entry("originalPaymentId", &self.original_payment_id)?;
        m.serialize_entry("amount", &Money(&self.amount))?;
        m.serialize_entry("user", &self.user)?;
        m.serialize_entry("paymentDate", &Time(self.payment_date))?;
        if let Some(method) = &self.payment_method {
            m.serialize_entry(
                "paymentMethod",
                &PaymentMethodJson {
                    id: &method.id,
                    code: &method.code,
                    name: &method.name,
                },
            )?;
        } else {
            m.serialize_entry("paymentMethod", &None::<()>)?;
        }
        m.serialize_entry("paymentType", &self.payment_type)?;
        m.end()
    }
}

#[derive(Serialize)]
struct PaymentMethodJson<'a> {
    id: &'a str,
    code: &'a Option<String>,
    name: &'a Option<String>,
}

impl Serialize for Shipment {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry("packages", &self.packages)?;
        m.end()
    }
}

impl Serialize for ShipmentPackage {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("packageId", &self.package_id)?;
        m.serialize_entry("trackingNumber", &self.tracking_number)?;
        m.serialize_entry("shipDate", &Time(self.ship_date))?;
        m.serialize_entry("carrierName", &self.carrier_name)?;
        m.serialize_entry("service", &self.service)?;
        m.serialize_entry("shippingPrice", &self.shipping_price.as_ref().map(Money))?;
        extensions::package(&mut m, &self.ext)?;
        m.end()
    }
}

struct Ids<'a>(&'a [String]);

impl Serialize for Ids<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for id in self.0 {
            seq.serialize_element(id)?;
        }
        seq.end()
    }
}

impl Document {
    /// Reads back a stored body (the form [`Document::to_stored_json`] writes). Its fields
    /// were checked on their way in: only its shape is (read.rs).
    pub fn from_stored(kind: Kind, body: &str) -> Result<Document, Vec<crate::ValidationError>> {
        read::read(kind, body).map_err(|e| {
            vec![crate::ValidationError {
                field: String::new(),
                problem: e.to_string(),
            }]
        })
    }

    /// The stored form: the v1 object without derived link lists.
    pub fn to_stored_json(&self) -> String {
        serde_json::to_string(self).expect("a document always serialises")
    }
}

/// Writes the v1 object of a stored body into `out`, with its derived link lists appended.
pub fn render_v1(out: &mut Vec<u8>, kind: Kind, stored: &str, derived: &DerivedLinks) {
    let body = stored.trim_end();
    let Some(open) = body.strip_suffix('}') else {
        out.extend_from_slice(body.as_bytes());
        return;
    };
    out.extend_from_slice(open.as_bytes());
    for (i, &(name, _)) in kind.derived_lists().iter().enumerate() {
        let ids = derived.lists.get(i).map_or(&[][..], Vec::as_slice);
        out.push(b',');
        serde_json::to_writer(&mut *out, name).expect("writing to a Vec");
        out.push(b':');
        serde_json::to_writer(&mut *out, &Ids(ids)).expect("writing to a Vec");
    }
    out.push(b'}');
}
