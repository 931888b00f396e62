//! Extension fields in the v1 JSON: each written only when it holds something, so that a
//! document without them renders exactly as reference 001 says.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::{Money, Time};
use crate::{
    Addon, AddressExtensions, Attribute, Discount, Extensions, ItemExtensions, PackageExtensions,
    PaymentFee, Promotion, Reference, Rounding, SellerAddress, ShippingMethodInfo, TaxClass,
};

/// Writes `key: value` when `value` is `Some`.
fn some<M: SerializeMap, T: Serialize>(
    m: &mut M,
    key: &str,
    value: Option<T>,
) -> Result<(), M::Error> {
    match value {
        Some(value) => m.serialize_entry(key, &value),
        None => Ok(()),
    }
}

fn list<M: SerializeMap, T: Serialize>(m: &mut M, key: &str, values: &[T]) -> Result<(), M::Error> {
    if values.is_empty() {
        Ok(())
    } else {
        m.serialize_entry(key, values)
    }
}

pub(super) fn document<M: SerializeMap>(m: &mut M, e: &Extensions) -> Result<(), M::Error> {
    if e.is_empty() {
        return Ok(());
    }
    some(m, "orderType", e.order_type.as_ref())?;
    some(m, "externalReferenceId", e.external_reference_id.as_ref())?;
    some(
        m,
        "contractChangeContractId",
        e.contract_change_contract_id.as_ref(),
    )?;
    some(m, "dueDate", e.due_date.map(Time))?;
    some(m, "invoicingPeriod", e.invoicing_period)?;
    some(m, "locale", e.locale.as_ref())?;
    some(m, "coupon", e.coupon.as_ref())?;
    list(m, "discounts", &e.discounts)?;
    some(m, "discountsIncludeTaxes", e.discounts_include_taxes)?;
    list(m, "taxes", &e.taxes)?;
    some(m, "rounding", e.rounding.as_ref())?;
    some(m, "reference", e.reference.as_ref())?;
    some(m, "invoiceRecipient", e.invoice_recipient.as_ref())?;
    some(m, "terms", e.terms.as_ref())?;
    some(m, "sellerAddress", e.seller_address.as_ref())?;
    some(m, "orderNumber", e.order_number.as_ref())?;
    some(m, "token", e.token.as_ref())?;
    some(m, "shippingMethodInfo", e.shipping_method_info.as_ref())?;
    some(m, "paymentFee", e.payment_fee.as_ref())
}

pub(super) fn address<M: SerializeMap>(m: &mut M, e: &AddressExtensions) -> Result<(), M::Error> {
    if e.is_empty() {
        return Ok(());
    }
    some(m, "personalCode", e.personal_code.as_ref())?;
    some(m, "companyCode", e.company_code.as_ref())?;
    some(m, "companyCode2", e.company_code2.as_ref())?;
    some(m, "title", e.title.as_ref())
}

pub(super) fn item<M: SerializeMap>(m: &mut M, e: &ItemExtensions) -> Result<(), M::Error> {
    if e.is_empty() {
        return Ok(());
    }
    some(m, "offerId", e.offer_id.as_ref())?;
    some(m, "subscriptionId", e.subscription_id.as_ref())?;
    some(m, "deploymentId", e.deployment_id.as_ref())?;
    some(m, "lineStatusId", e.status_id.as_ref())?;
    list(m, "promotions", &e.promotions)?;
    some(m, "sku", e.sku.as_ref())?;
    some(m, "taxCode", e.tax_code.as_ref())?;
    some(m, "taxRate", e.tax_rate.as_ref().map(Money))?;
    some(m, "requests", e.requests.as_ref())?;
    some(m, "approval", e.approval.as_ref())?;
    some(m, "reason", e.reason.as_ref())?;
    some(m, "comments", e.comments.as_ref())?;
    some(m, "isReturnable", e.is_returnable)?;
    some(m, "lastDateToReturn", e.last_date_to_return.map(Time))?;
    some(m, "recurring", e.recurring)?;
    some(m, "templateName", e.template_name.as_ref())?;
    some(m, "isInclusive", e.is_inclusive)?;
    list(m, "addons", &e.addons)?;
    list(m, "attributes", &e.attributes)
}

pub(super) fn package<M: SerializeMap>(m: &mut M, e: &PackageExtensions) -> Result<(), M::Error> {
    some(m, "deliveryDate", e.delivery_date.map(Time))?;
    some(m, "trackingUrl", e.tracking_url.as_ref())
}

impl Serialize for Discount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("type", &self.kind)?;
        m.serialize_entry("value", &Money(&self.value))?;
        m.end()
    }
}

impl Serialize for TaxClass {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("code", &self.code)?;
        some(&mut m, "name", self.name.as_ref())?;
        m.serialize_entry("rate", &Money(&self.rate))?;
        m.serialize_entry("taxableTotal", &Money(&self.taxable_total))?;
        m.serialize_entry("amount", &Money(&self.amount))?;
        m.end()
    }
}

impl Serialize for Rounding {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("mode", &self.mode)?;
        m.serialize_entry("rule", &self.rule)?;
        m.end()
    }
}

impl Serialize for Reference {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("type", &self.kind)?;
        m.serialize_entry("number", &self.number)?;
        m.end()
    }
}

impl Serialize for SellerAddress {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        some(&mut m, "companyName", self.company_name.as_ref())?;
        some(&mut m, "companyCode", self.company_code.as_ref())?;
        some(&mut m, "personalCode", self.personal_code.as_ref())?;
        some(&mut m, "street1", self.street1.as_ref())?;
        some(&mut m, "street2", self.street2.as_ref())?;
        some(&mut m, "city", self.city.as_ref())?;
        some(&mut m, "postalCode", self.postal_code.as_ref())?;
        some(&mut m, "stateProv", self.state_prov.as_ref())?;
        some(&mut m, "country", self.country.as_ref())?;
        some(&mut m, "phoneNumber", self.phone_number.as_ref())?;
        some(&mut m, "mobileNumber", self.mobile_number.as_ref())?;
        some(&mut m, "faxNumber", self.fax_number.as_ref())?;
        some(&mut m, "email", self.email.as_ref())?;
        m.end()
    }
}

impl Serialize for ShippingMethodInfo {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        some(&mut m, "id", self.id)?;
        some(&mut m, "taxCode", self.tax_code.as_ref())?;
        some(&mut m, "taxRate", self.tax_rate.as_ref().map(Money))?;
        m.end()
    }
}

impl Serialize for PaymentFee {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        some(&mut m, "cost", self.cost.as_ref().map(Money))?;
        some(&mut m, "taxCode", self.tax_code.as_ref())?;
        some(&mut m, "taxRate", self.tax_rate.as_ref().map(Money))?;
        some(&mut m, "taxAmount", self.tax_amount.as_ref().map(Money))?;
        m.end()
    }
}

impl Serialize for Promotion {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("code", &self.code)?;
        m.serialize_entry("result", &self.result)?;
        m.end()
    }
}

impl Serialize for Addon {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("key", &self.key)?;
        m.serialize_entry("value", &self.value)?;
        some(&mut m, "hidden", self.hidden)?;
        m.end()
    }
}

impl Serialize for Attribute {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("key", &self.key)?;
        some(&mut m, "value", self.value.as_ref())?;
        m.end()
    }
}
