//! Reads a stored body back into the canonical document: the form `Serialize for Document`
//! writes (mod.rs, extensions.rs), and no other.
//!
//! Every stored body passed ingest on its way in, so reading it back checks its shape only:
//! serde puts each field straight into its place, with no JSON tree in between and none of
//! ingest's field rules. Ingest's way cost a dialect answer most of its time (five to six
//! times v1's whole page for the same documents: docs/benchmarks.md, "Dialects, round two").
//! A body that does not have this shape is an error, never a guess.

use std::fmt;

use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use crate::ingest::reader::parse_decimal;
use crate::{
    ActionTypeCode, Addon, Address, AddressExtensions, Attribute, Discount, Document, Extensions,
    Item, ItemExtensions, Kind, Links, Note, PackageExtensions, Payment, PaymentFee, PaymentMethod,
    Promotion, Reference, Rounding, SellerAddress, Shipment, ShipmentPackage, ShippingMethodInfo,
    TaxClass, Timestamp, UnitOfMeasure, User,
};

/// Reads `body`, a stored document of `kind`.
pub(crate) fn read(kind: Kind, body: &str) -> serde_json::Result<Document> {
    let stored: StoredDocument = serde_json::from_str(body)?;
    Ok(stored.into_document(kind))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredDocument {
    #[serde(alias = "quoteId", alias = "orderId", alias = "returnId")]
    id: String,
    #[serde(default)]
    parent_quote_id: Option<String>,
    #[serde(default)]
    replacement_for_order_id: Option<String>,
    #[serde(default)]
    parent_order_id: Option<String>,
    #[serde(default)]
    customer_order_id: Option<String>,
    #[serde(default)]
    shipping_type: Option<String>,
    #[serde(default)]
    shopping_cart_id: Option<String>,
    #[serde(deserialize_with = "time")]
    created_at: Timestamp,
    #[serde(deserialize_with = "time")]
    updated_at: Timestamp,
    #[serde(deserialize_with = "opt_money")]
    total: Option<Decimal>,
    currency: String,
    status: String,
    status_id: String,
    customer_id: String,
    #[serde(default)]
    customer_notes: Option<String>,
    #[serde(default)]
    channel: Option<String>,
    shipping_method: String,
    #[serde(deserialize_with = "money")]
    shipping_price: Decimal,
    #[serde(deserialize_with = "money")]
    shipping_tax: Decimal,
    #[serde(deserialize_with = "money")]
    shipping_discount: Decimal,
    #[serde(deserialize_with = "money")]
    handling_fee: Decimal,
    #[serde(default)]
    created_by: Option<StoredUser>,
    #[serde(default)]
    sales_rep: Option<StoredUser>,
    #[serde(default)]
    vendor: Option<StoredUser>,
    #[serde(default)]
    billing: Option<StoredAddress>,
    #[serde(default)]
    shipping: Option<StoredAddress>,
    items: Vec<StoredItem>,
    #[serde(default, deserialize_with = "null_is_empty")]
    notes: Vec<StoredNote>,
    #[serde(default, deserialize_with = "null_is_empty")]
    payments: Vec<StoredPayment>,
    #[serde(default, deserialize_with = "null_is_empty")]
    shipments: Vec<StoredShipment>,
    // Extensions (canonical/extensions.rs `document`): each present only when it holds some.
    #[serde(default)]
    order_type: Option<String>,
    #[serde(default)]
    external_reference_id: Option<String>,
    #[serde(default)]
    contract_change_contract_id: Option<String>,
    #[serde(default, deserialize_with = "opt_time")]
    due_date: Option<Timestamp>,
    #[serde(default)]
    invoicing_period: Option<i64>,
    #[serde(default)]
    locale: Option<String>,
    #[serde(default)]
    coupon: Option<String>,
    #[serde(default)]
    discounts: Vec<StoredDiscount>,
    #[serde(default)]
    discounts_include_taxes: Option<bool>,
    #[serde(default)]
    taxes: Vec<StoredTaxClass>,
    #[serde(default)]
    rounding: Option<StoredRounding>,
    #[serde(default)]
    reference: Option<StoredReference>,
    #[serde(default)]
    invoice_recipient: Option<String>,
    #[serde(default)]
    terms: Option<String>,
    #[serde(default)]
    seller_address: Option<StoredSellerAddress>,
    #[serde(default)]
    order_number: Option<String>,
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    shipping_method_info: Option<StoredShippingMethodInfo>,
    #[serde(default)]
    payment_fee: Option<StoredPaymentFee>,
}

impl StoredDocument {
    fn into_document(self, kind: Kind) -> Document {
        Document {
            kind,
            id: self.id,
            links: Links {
                parent_quote_id: self.parent_quote_id,
                replacement_for_order_id: self.replacement_for_order_id,
                parent_order_id: self.parent_order_id,
                customer_order_id: self.customer_order_id,
            },
            shipping_type: self.shipping_type,
            shopping_cart_id: self.shopping_cart_id,
            created_at: self.created_at,
            updated_at: self.updated_at,
            total: self.total,
            currency: self.currency,
            status: self.status,
            status_id: self.status_id,
            customer_id: self.customer_id,
            customer_notes: self.customer_notes,
            channel: self.channel,
            shipping_method: self.shipping_method,
            shipping_price: self.shipping_price,
            shipping_tax: self.shipping_tax,
            shipping_discount: self.shipping_discount,
            handling_fee: self.handling_fee,
            created_by: self.created_by.map(StoredUser::into_user),
            sales_rep: self.sales_rep.map(StoredUser::into_user),
            vendor: self.vendor.map(StoredUser::into_user),
            billing: self.billing.map(StoredAddress::into_address),
            shipping: self.shipping.map(StoredAddress::into_address),
            items: self.items.into_iter().map(StoredItem::into_item).collect(),
            notes: self.notes.into_iter().map(StoredNote::into_note).collect(),
            payments: self
                .payments
                .into_iter()
                .map(StoredPayment::into_payment)
                .collect(),
            shipments: self
                .shipments
                .into_iter()
                .map(|s| Shipment {
                    packages: s
                        .packages
                        .into_iter()
                        .map(StoredPackage::into_package)
                        .collect(),
                })
                .collect(),
            ext: Box::new(Extensions {
                order_type: self.order_type,
                external_reference_id: self.external_reference_id,
                contract_change_contract_id: self.contract_change_contract_id,
                due_date: self.due_date,
                invoicing_period: self.invoicing_period,
                locale: self.locale,
                coupon: self.coupon,
                discounts: self
                    .discounts
                    .into_iter()
                    .map(|d| Discount {
                        kind: d.kind,
                        value: d.value,
                    })
                    .collect(),
                discounts_include_taxes: self.discounts_include_taxes,
                taxes: self
                    .taxes
                    .into_iter()
                    .map(|t| TaxClass {
                        code: t.code,
                        name: t.name,
                        rate: t.rate,
                        taxable_total: t.taxable_total,
                        amount: t.amount,
                    })
                    .collect(),
                rounding: self.rounding.map(|r| Rounding {
                    mode: r.mode,
                    rule: r.rule,
                }),
                reference: self.reference.map(|r| Reference {
                    kind: r.kind,
                    number: r.number,
                }),
                invoice_recipient: self.invoice_recipient,
                terms: self.terms,
                seller_address: self.seller_address.map(StoredSellerAddress::into_address),
                order_number: self.order_number,
                token: self.token,
                shipping_method_info: self.shipping_method_info.map(|s| ShippingMethodInfo {
                    id: s.id,
                    tax_code: s.tax_code,
                    tax_rate: s.tax_rate,
                }),
                payment_fee: self.payment_fee.map(|f| PaymentFee {
                    cost: f.cost,
                    tax_code: f.tax_code,
                    tax_rate: f.tax_rate,
                    tax_amount: f.tax_amount,
                }),
            }),
        }
    }
}

#[derive(Deserialize)]
struct StoredUser {
    id: String,
    #[serde(default)]
    name: Option<String>,
}

impl StoredUser {
    fn into_user(self) -> User {
        User {
            id: self.id,
            name: self.name,
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredAddress {
    first_name: String,
    last_name: String,
    #[serde(default)]
    company: Option<String>,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    alt_phone: Option<String>,
    #[serde(default)]
    fax: Option<String>,
    zip: String,
    country: String,
    state: String,
    city: String,
    address1: String,
    #[serde(default)]
    address2: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    personal_code: Option<String>,
    #[serde(default)]
    company_code: Option<String>,
    #[serde(default, rename = "companyCode2")]
    company_code2: Option<String>,
    #[serde(default)]
    title: Option<String>,
}

impl StoredAddress {
    fn into_address(self) -> Address {
        Address {
            first_name: self.first_name,
            last_name: self.last_name,
            company: self.company,
            phone: self.phone,
            alt_phone: self.alt_phone,
            fax: self.fax,
            zip: self.zip,
            country: self.country,
            state: self.state,
            city: self.city,
            address1: self.address1,
            address2: self.address2,
            email: self.email,
            ext: Box::new(AddressExtensions {
                personal_code: self.personal_code,
                company_code: self.company_code,
                company_code2: self.company_code2,
                title: self.title,
            }),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredItem {
    item_id: String,
    product_id: String,
    #[serde(deserialize_with = "money")]
    unit_price: Decimal,
    quantity: i64,
    line_position: i64,
    #[serde(default, deserialize_with = "opt_money")]
    unit_weight: Option<Decimal>,
    #[serde(deserialize_with = "money")]
    tax: Decimal,
    #[serde(deserialize_with = "money")]
    discount: Decimal,
    #[serde(default)]
    mpn: Option<String>,
    #[serde(default)]
    item_name: Option<String>,
    #[serde(default)]
    product_image: Option<String>,
    #[serde(default)]
    product_url: Option<String>,
    #[serde(default)]
    unit_of_measure: Option<StoredUser>,
    // Extensions (canonical/extensions.rs `item`).
    #[serde(default)]
    offer_id: Option<String>,
    #[serde(default)]
    subscription_id: Option<String>,
    #[serde(default)]
    deployment_id: Option<String>,
    #[serde(default, rename = "lineStatusId")]
    status_id: Option<String>,
    #[serde(default)]
    promotions: Vec<StoredPromotion>,
    #[serde(default)]
    sku: Option<String>,
    #[serde(default)]
    tax_code: Option<String>,
    #[serde(default, deserialize_with = "opt_money")]
    tax_rate: Option<Decimal>,
    #[serde(default)]
    requests: Option<String>,
    #[serde(default)]
    approval: Option<String>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    comments: Option<String>,
    #[serde(default)]
    is_returnable: Option<bool>,
    #[serde(default, deserialize_with = "opt_time")]
    last_date_to_return: Option<Timestamp>,
    #[serde(default)]
    recurring: Option<bool>,
    #[serde(default)]
    template_name: Option<String>,
    #[serde(default)]
    is_inclusive: Option<bool>,
    #[serde(default)]
    addons: Vec<StoredAddon>,
    #[serde(default)]
    attributes: Vec<StoredAttribute>,
}

impl StoredItem {
    fn into_item(self) -> Item {
        Item {
            item_id: self.item_id,
            product_id: self.product_id,
            unit_price: self.unit_price,
            quantity: self.quantity,
            line_position: self.line_position,
            unit_weight: self.unit_weight,
            tax: self.tax,
            discount: self.discount,
            mpn: self.mpn,
            item_name: self.item_name,
            product_image: self.product_image,
            product_url: self.product_url,
            unit_of_measure: self.unit_of_measure.map(|u| UnitOfMeasure {
                id: u.id,
                name: u.name,
            }),
            ext: Box::new(ItemExtensions {
                offer_id: self.offer_id,
                subscription_id: self.subscription_id,
                deployment_id: self.deployment_id,
                status_id: self.status_id,
                promotions: self
                    .promotions
                    .into_iter()
                    .map(|p| Promotion {
                        code: p.code,
                        result: p.result,
                    })
                    .collect(),
                sku: self.sku,
                tax_code: self.tax_code,
                tax_rate: self.tax_rate,
                requests: self.requests,
                approval: self.approval,
                reason: self.reason,
                comments: self.comments,
                is_returnable: self.is_returnable,
                last_date_to_return: self.last_date_to_return,
                recurring: self.recurring,
                template_name: self.template_name,
                is_inclusive: self.is_inclusive,
                addons: self
                    .addons
                    .into_iter()
                    .map(|a| Addon {
                        key: a.key,
                        value: a.value,
                        hidden: a.hidden,
                    })
                    .collect(),
                attributes: self
                    .attributes
                    .into_iter()
                    .map(|a| Attribute {
                        key: a.key,
                        value: a.value,
                    })
                    .collect(),
            }),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredNote {
    note_id: String,
    message: String,
    #[serde(default, deserialize_with = "action_type_code")]
    action_type_code: Option<ActionTypeCode>,
    #[serde(deserialize_with = "time")]
    created_at: Timestamp,
    #[serde(default)]
    author: Option<StoredUser>,
}

impl StoredNote {
    fn into_note(self) -> Note {
        Note {
            note_id: self.note_id,
            message: self.message,
            action_type_code: self.action_type_code,
            created_at: self.created_at,
            author: self.author.map(StoredUser::into_user),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredPayment {
    payment_id: String,
    #[serde(default)]
    original_payment_id: Option<String>,
    #[serde(deserialize_with = "money")]
    amount: Decimal,
    #[serde(default)]
    user: Option<StoredUser>,
    #[serde(deserialize_with = "time")]
    payment_date: Timestamp,
    #[serde(default)]
    payment_method: Option<StoredPaymentMethod>,
    #[serde(default)]
    payment_type: Option<String>,
}

#[derive(Deserialize)]
struct StoredPaymentMethod {
    id: String,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    name: Option<String>,
}

impl StoredPayment {
    fn into_payment(self) -> Payment {
        Payment {
            payment_id: self.payment_id,
            original_payment_id: self.original_payment_id,
            amount: self.amount,
            user: self.user.map(StoredUser::into_user),
            payment_date: self.payment_date,
            payment_method: self.payment_method.map(|m| PaymentMethod {
                id: m.id,
                code: m.code,
                name: m.name,
            }),
            payment_type: self.payment_type,
        }
    }
}

#[derive(Deserialize)]
struct StoredShipment {
    packages: Vec<StoredPackage>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredPackage {
    package_id: String,
    #[serde(default)]
    tracking_number: Option<String>,
    #[serde(deserialize_with = "time")]
    ship_date: Timestamp,
    #[serde(default)]
    carrier_name: Option<String>,
    #[serde(default)]
    service: Option<String>,
    #[serde(default, deserialize_with = "opt_money")]
    shipping_price: Option<Decimal>,
    #[serde(default, deserialize_with = "opt_time")]
    delivery_date: Option<Timestamp>,
    #[serde(default)]
    tracking_url: Option<String>,
}

impl StoredPackage {
    fn into_package(self) -> ShipmentPackage {
        ShipmentPackage {
            package_id: self.package_id,
            tracking_number: self.tracking_number,
            ship_date: self.ship_date,
            carrier_name: self.carrier_name,
            service: self.service,
            shipping_price: self.shipping_price,
            ext: Box::new(PackageExtensions {
                delivery_date: self.delivery_date,
                tracking_url: self.tracking_url,
            }),
        }
    }
}

#[derive(Deserialize)]
struct StoredDiscount {
    #[serde(rename = "type")]
    kind: String,
    #[serde(deserialize_with = "money")]
    value: Decimal,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredTaxClass {
    code: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(deserialize_with = "money")]
    rate: Decimal,
    #[serde(deserialize_with = "money")]
    taxable_total: Decimal,
    #[serde(deserialize_with = "money")]
    amount: Decimal,
}

#[derive(Deserialize)]
struct StoredRounding {
    mode: String,
    rule: String,
}

#[derive(Deserialize)]
struct StoredReference {
    #[serde(rename = "type")]
    kind: String,
    number: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredSellerAddress {
    #[serde(default)]
    company_name: Option<String>,
    #[serde(default)]
    company_code: Option<String>,
    #[serde(default)]
    personal_code: Option<String>,
    #[serde(default)]
    street1: Option<String>,
    #[serde(default)]
    street2: Option<String>,
    #[serde(default)]
    city: Option<String>,
    #[serde(default)]
    postal_code: Option<String>,
    #[serde(default)]
    state_prov: Option<String>,
    #[serde(default)]
    country: Option<String>,
    #[serde(default)]
    phone_number: Option<String>,
    #[serde(default)]
    mobile_number: Option<String>,
    #[serde(default)]
    fax_number: Option<String>,
    #[serde(default)]
    email: Option<String>,
}

impl StoredSellerAddress {
    fn into_address(self) -> SellerAddress {
        SellerAddress {
            company_name: self.company_name,
            company_code: self.company_code,
            personal_code: self.personal_code,
            street1: self.street1,
            street2: self.street2,
            city: self.city,
            postal_code: self.postal_code,
            state_prov: self.state_prov,
            country: self.country,
            phone_number: self.phone_number,
            mobile_number: self.mobile_number,
            fax_number: self.fax_number,
            email: self.email,
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredShippingMethodInfo {
    #[serde(default)]
    id: Option<i64>,
    #[serde(default)]
    tax_code: Option<String>,
    #[serde(default, deserialize_with = "opt_money")]
    tax_rate: Option<Decimal>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredPaymentFee {
    #[serde(default, deserialize_with = "opt_money")]
    cost: Option<Decimal>,
    #[serde(default)]
    tax_code: Option<String>,
    #[serde(default, deserialize_with = "opt_money")]
    tax_rate: Option<Decimal>,
    #[serde(default, deserialize_with = "opt_money")]
    tax_amount: Option<Decimal>,
}

#[derive(Deserialize)]
struct StoredPromotion {
    code: String,
    result: String,
}

#[derive(Deserialize)]
struct StoredAddon {
    key: String,
    value: String,
    #[serde(default)]
    hidden: Option<bool>,
}

#[derive(Deserialize)]
struct StoredAttribute {
    key: String,
    #[serde(default)]
    value: Option<String>,
}

/// Money: a JSON number with exactly the digits of the decimal (`Money` writes it).
fn money<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    let number = serde_json::Number::deserialize(d)?;
    parse_decimal(number.as_str())
        .ok_or_else(|| de::Error::custom(format!("{number} is not an amount")))
}

fn opt_money<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    Option::<serde_json::Number>::deserialize(d)?
        .map(|number| {
            parse_decimal(number.as_str())
                .ok_or_else(|| de::Error::custom(format!("{number} is not an amount")))
        })
        .transpose()
}

/// A v1 time (`Time` writes it), read from the text without copying it.
fn time<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
    d.deserialize_str(TimeVisitor)
}

fn opt_time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
    d.deserialize_option(OptTimeVisitor)
}

struct TimeVisitor;

impl Visitor<'_> for TimeVisitor {
    type Value = Timestamp;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a time, YYYY-MM-DDTHH:MM:SS")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Timestamp, E> {
        Timestamp::parse(text).ok_or_else(|| E::custom(format!("{text:?} is not a time")))
    }
}

struct OptTimeVisitor;

impl<'de> Visitor<'de> for OptTimeVisitor {
    type Value = Option<Timestamp>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a time or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<Timestamp>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<Timestamp>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<Timestamp>, D::Error> {
        time(d).map(Some)
    }
}

fn action_type_code<'de, D: Deserializer<'de>>(d: D) -> Result<Option<ActionTypeCode>, D::Error> {
    struct CodeVisitor;

    impl<'de> Visitor<'de> for CodeVisitor {
        type Value = Option<ActionTypeCode>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a note action type or null")
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_str(self)
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
            ActionTypeCode::parse(text)
                .map(Some)
                .ok_or_else(|| E::custom(format!("{text:?} is not a note action type")))
        }
    }

    d.deserialize_option(CodeVisitor)
}

/// A list written `null` when empty (`NullIfEmpty`).
fn null_is_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}
