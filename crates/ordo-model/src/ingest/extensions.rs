//! Readers of the extension fields (crate::extensions), with their limits.

use super::reader::{ObjReader, UNBOUNDED};
use crate::extensions::{
    APPROVALS, DISCOUNT_TYPES, ORDER_TYPES, REFERENCE_TYPES, ROUNDING_MODES, ROUNDING_RULES,
};
use crate::{
    Addon, Attribute, Discount, Extensions, ItemExtensions, PackageExtensions, Promotion,
    Reference, Rounding, SellerAddress, TaxClass,
};

pub(super) fn document(r: &mut ObjReader<'_, '_>) -> Extensions {
    let discounts = r.obj_array("discounts", |r| Discount {
        kind: r.opt_enum("type", &DISCOUNT_TYPES).unwrap_or_default(),
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
