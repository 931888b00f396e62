//! Readers of the extension fields (crate::extensions), with their limits.

use rust_decimal::Decimal;

use super::reader::{ObjReader, UNBOUNDED};
use crate::extensions::{
    APPROVALS, DISCOUNT_TYPES, ORDER_TYPES, REFERENCE_TYPES, ROUNDING_MODES, ROUNDING_RULES, TITLES,
};
use crate::{
    Addon, AddressExtensions, Attribute, Discount, Extensions, ItemExtensions, PackageExtensions,
    PaymentFee, Promotion, Reference, Rounding, SellerAddress, ShippingMethodInfo, TaxClass,
};

/// The largest id a JavaScript client reads exactly (2^53 − 1), as `dialects::stable_int`.
const MAX_SAFE_INT: i64 = (1 << 53) - 1;

pub(super) fn document(r: &mut ObjReader<'_, '_>) -> Extensions {
    let discounts = r.obj_array("discounts", |r| Discount {
        kind: required_enum(r, "type", &DISCOUNT_TYPES),
        value: r.req_money("value"),
    });
    if discounts.len() > 5 {
        r.problem("discounts", "at most 5 discounts");
    }
    Extensions {
        order_type: r.opt_enum("orderType", &ORDER_TYPES),
        external_reference_id: r.opt_str("externalReferenceId", 64),
        contract_change_contract_id: r.opt_str("contractChangeContractId", 64),
        due_date: r.opt_time("dueDate"),
        invoicing_period: r.opt_count("invoicingPeriod"),
        locale: r.opt_str("locale", 5),
        coupon: r.opt_str("coupon", 32),
        discounts,
        discounts_include_taxes: r.opt_bool("discountsIncludeTaxes"),
        taxes: r.obj_array("taxes", |r| TaxClass {
            code: r.req_str("code", 32),
            name: r.opt_str("name", 60),
            rate: r.req_money("rate"),
            taxable_total: r.req_money("taxableTotal"),
            amount: r.req_money("amount"),
        }),
        rounding: r.opt_obj("rounding", |r| Rounding {
            mode: required_enum(r, "mode", &ROUNDING_MODES),
            rule: required_enum(r, "rule", &ROUNDING_RULES),
        }),
        reference: r.opt_obj("reference", |r| Reference {
            kind: required_enum(r, "type", &REFERENCE_TYPES),
            number: r.req_str("number", 32),
        }),
        invoice_recipient: r.opt_str("invoiceRecipient", 256),
        terms: r.opt_str("terms", 65535),
        seller_address: r.opt_obj("sellerAddress", |r| SellerAddress {
            company_name: r.opt_str("companyName", 100),
            company_code: r.opt_str("companyCode", 20),
            personal_code: r.opt_str("personalCode", 20),
            street1: r.opt_str("street1", 60),
            street2: r.opt_str("street2", 60),
            city: r.opt_str("city", 25),
            postal_code: r.opt_str("postalCode", 20),
            state_prov: r.opt_str("stateProv", 3),
            country: r.opt_str("country", 2),
            phone_number: r.opt_str("phoneNumber", 15),
            mobile_number: r.opt_str("mobileNumber", 15),
            fax_number: r.opt_str("faxNumber", 15),
            email: r.opt_str("email", 120),
        }),
        order_number: order_number(r),
        token: token(r),
        shipping_method_info: r.opt_obj("shippingMethodInfo", |r| ShippingMethodInfo {
            id: positive_id(r, "id"),
            tax_code: r.opt_str("taxCode", 32),
            tax_rate: rate(r, "taxRate"),
        }),
        payment_fee: r.opt_obj("paymentFee", |r| PaymentFee {
            cost: non_negative(r, "cost"),
            tax_code: r.opt_str("taxCode", 32),
            tax_rate: rate(r, "taxRate"),
            tax_amount: non_negative(r, "taxAmount"),
        }),
    }
}

/// Limits of reference 004's billing address; `title` of reference 003's profile.
pub(super) fn address(r: &mut ObjReader<'_, '_>) -> AddressExtensions {
    AddressExtensions {
        personal_code: r.opt_str("personalCode", 20),
        company_code: r.opt_str("companyCode", 20),
        company_code2: r.opt_str("companyCode2", 20),
        title: r.opt_enum("title", &TITLES),
    }
}

pub(super) fn item(r: &mut ObjReader<'_, '_>) -> ItemExtensions {
    ItemExtensions {
        offer_id: r.opt_str("offerId", 64),
        subscription_id: r.opt_str("subscriptionId", 64),
        deployment_id: r.opt_str("deploymentId", 64),
        status_id: r.opt_id("lineStatusId"),
        promotions: r.obj_array("promotions", |r| Promotion {
            code: r.req_str("code", 64),
            result: r.req_str("result", 32),
        }),
        sku: r.opt_str("sku", 40),
        tax_code: r.opt_str("taxCode", 32),
        tax_rate: r.opt_money("taxRate"),
        requests: r.opt_str("requests", 255),
        approval: r.opt_enum("approval", &APPROVALS),
        reason: r.opt_str("reason", 120),
        comments: r.opt_str("comments", 200),
        is_returnable: r.opt_bool("isReturnable"),
        last_date_to_return: r.opt_date("lastDateToReturn"),
        recurring: r.opt_bool("recurring"),
        template_name: r.opt_str("templateName", 255),
        is_inclusive: r.opt_bool("isInclusive"),
        addons: r.obj_array("addons", |r| Addon {
            key: r.req_str("key", 255),
            value: r.req_str("value", UNBOUNDED),
            hidden: r.opt_bool("hidden"),
        }),
        attributes: r.obj_array("attributes", |r| Attribute {
            key: r.req_str("key", 255),
            value: r.opt_str("value", UNBOUNDED),
        }),
    }
}

pub(super) fn package(r: &mut ObjReader<'_, '_>) -> PackageExtensions {
    PackageExtensions {
        delivery_date: r.opt_date("deliveryDate"),
        tracking_url: r.opt_str("trackingUrl", 300),
    }
}

fn required_enum(r: &mut ObjReader<'_, '_>, key: &'static str, allowed: &[&str]) -> String {
    let value = r.opt_enum(key, allowed);
    if value.is_none() && !r.present(key) {
        r.problem(key, "required");
    }
    value.unwrap_or_default()
}

/// A number the customer is shown: at most 32 characters, not empty (`/` is fine: `2020/5613`).
fn order_number(r: &mut ObjReader<'_, '_>) -> Option<String> {
    let number = r.opt_str("orderNumber", 32)?;
    if number.trim().is_empty() {
        r.problem("orderNumber", "must not be empty");
        return None;
    }
    Some(number)
}

/// A storefront token: exactly 32 ASCII letters and digits.
fn token(r: &mut ObjReader<'_, '_>) -> Option<String> {
    let token = r.opt_str("token", 32)?;
    if token.len() != 32 || !token.bytes().all(|b| b.is_ascii_alphanumeric()) {
        r.problem(
            "token",
            "expected exactly 32 letters and digits (A-Z, a-z, 0-9)",
        );
        return None;
    }
    Some(token)
}

/// An id the storefront writes as a JSON integer: 1 to 2^53 − 1.
fn positive_id(r: &mut ObjReader<'_, '_>, key: &'static str) -> Option<i64> {
    let value = r.get(key)?;
    let id = value.as_i64().filter(|n| (1..=MAX_SAFE_INT).contains(n));
    if id.is_none() {
        r.problem(key, format!("expected an integer from 1 to {MAX_SAFE_INT}"));
    }
    id
}

/// An amount of 0 or more (reference 004's `decimal[8,3](0…)`, `decimal[8,2](0…)`).
fn non_negative(r: &mut ObjReader<'_, '_>, key: &'static str) -> Option<Decimal> {
    let amount = r.opt_money(key)?;
    if amount < Decimal::ZERO {
        r.problem(key, "expected a number of 0 or more");
        return None;
    }
    Some(amount)
}

/// A percentage as reference 004 types it, `decimal[4,2](0…)`: 0 to 99.99.
fn rate(r: &mut ObjReader<'_, '_>, key: &'static str) -> Option<Decimal> {
    let rate = r.opt_money(key)?;
    if rate < Decimal::ZERO || rate > Decimal::new(9999, 2) {
        r.problem(key, "expected a percentage from 0 to 99.99");
        return None;
    }
    Some(rate)
}
