//! A canonical order rendered as mittwald's `CustomerOrder` (reference 003), field by field as
//! docs/dialects/customer_orders_v2.md lists them. An optional field without a value is left
//! out, never `null`; ids the schema types as UUIDs are UUIDs; money is exact.

use std::collections::HashMap;
use std::str::FromStr;

use ordo_model::{Decimal, Document, Item, Kind, StatusDictionary};
use ordo_store::StoredDoc;
use serde::{Deserialize, Serialize};
use serde_json::Number;

use super::query::OrderStatus;
use crate::ApiError;
use crate::dialects::stable_uuid;

/// What rendering reads besides the order itself: the tenant (for stable UUIDs), its status
/// dictionary, and the lines of the quotes and orders its lines come from.
pub(crate) struct Context<'a> {
    tenant: &'a str,
    dictionary: &'a StatusDictionary,
    parents: HashMap<(Kind, &'a str), &'a [ParentLine]>,
}

/// The lines of a quote or an order that a line of another document can point at: all a
/// parent is read for, so a parent's stored body is read for these keys only.
pub(crate) struct ParentLines {
    kind: Kind,
    id: String,
    lines: Vec<ParentLine>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ParentLine {
    item_id: String,
    product_id: String,
    line_position: i64,
}

impl ParentLines {
    pub fn of(document: &Document) -> ParentLines {
        let lines = document
            .items
            .iter()
            .map(|item| ParentLine {
                item_id: item.item_id.clone(),
                product_id: item.product_id.clone(),
                line_position: item.line_position,
            })
            .collect();
        ParentLines {
            kind: document.kind,
            id: document.id.clone(),
            lines,
        }
    }

    /// From a stored body (every stored quote and order has `items`, each with these keys).
    pub fn from_stored(stored: &StoredDoc) -> serde_json::Result<ParentLines> {
        #[derive(Deserialize)]
        struct Stored {
            items: Vec<ParentLine>,
        }
        let Stored { items } = serde_json::from_str(&stored.body)?;
        Ok(ParentLines {
            kind: stored.kind,
            id: stored.id.clone(),
            lines: items,
        })
    }
}

impl<'a> Context<'a> {
    pub fn new(
        tenant: &'a str,
        dictionary: &'a StatusDictionary,
        parents: &'a [ParentLines],
    ) -> Self {
        let parents = parents
            .iter()
            .map(|p| ((p.kind, p.id.as_str()), p.lines.as_slice()))
            .collect();
        Context {
            tenant,
            dictionary,
            parents,
        }
    }

    pub fn status(&self, order: &Document) -> OrderStatus {
        status(self.dictionary, order)
    }

    /// The stable UUID of a document (`[tenant, kind, id]`) or of one of its lines (`+ itemId`).
    fn uuid(&self, kind: Kind, id: &str, item_id: Option<&str>) -> String {
        let mut parts = vec![self.tenant, kind.path(), id];
        parts.extend(item_id);
        stable_uuid(&parts).hyphenated().to_string()
    }

    /// A UUID kept as it is (normalised to lower-case, hyphenated), else a stable one derived
    /// from the tenant, a namespace and the value.
    fn as_uuid(&self, namespace: &str, value: &str) -> String {
        uuid::Uuid::parse_str(value)
            .unwrap_or_else(|_| stable_uuid(&[self.tenant, namespace, value]))
            .hyphenated()
            .to_string()
    }

    /// The UUID of the line of a parent document (`kind`, `id`) that `item` came from: the
    /// parent's line with the same `itemId`, else its first line (by `linePosition`) with the
    /// same `productId`. None when the parent is not among the customer's documents.
    fn parent_line(&self, kind: Kind, id: Option<&str>, item: &Item) -> Option<String> {
        let id = id?;
        let parent = self.parents.get(&(kind, id))?;
        let line = parent
            .iter()
            .find(|p| p.item_id == item.item_id)
            .or_else(|| {
                parent
                    .iter()
                    .filter(|p| p.product_id == item.product_id)
                    .min_by_key(|p| p.line_position)
            })?;
        Some(self.uuid(kind, id, Some(&line.item_id)))
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CustomerOrder {
    #[serde(skip_serializing_if = "Option::is_none")]
    contract_change_contract_id: Option<String>,
    customer_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    due_date: Option<String>,
    invoicing_period: i64,
    items: Vec<OrderItem>,
    order_date: String,
    order_id: String,
    order_number: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    profile: Option<Profile>,
    status: &'static str,
    summary: Summary,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OrderItem {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    addons: Vec<Addon>,
    article_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    article_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    article_template_name: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attribute_configuration: Vec<Attribute>,
    is_inclusive: bool,
    order_item_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    predefined_domain_aggregate_id: Option<String>,
    price: Number,
    #[serde(skip_serializing_if = "Option::is_none")]
    reference: Option<Reference>,
}

#[derive(Serialize)]
struct Addon {
    #[serde(skip_serializing_if = "Option::is_none")]
    hidden: Option<bool>,
    key: String,
    value: String,
}

#[derive(Serialize)]
struct Attribute {
    key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Reference {
    #[serde(skip_serializing_if = "Option::is_none")]
    contract_item_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    offer_item_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    order_item_id: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Profile {
    email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_name: Option<String>,
    /// `other`, `mr` or `ms`: ingest admits no other value.
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    user_id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Summary {
    non_recurring: Number,
    recurring: Number,
    summary: Number,
}

/// A line's price: `unitPrice × quantity − discount` (v1's `discount` is the line's total
/// discount), exact, with at least the scale of its operands (`0.00 × 1 − 0.0` is `0.00`, not
/// the `0.0` rust_decimal gives); None when it does not fit a decimal.
pub(crate) fn line_price(item: &Item) -> Option<Decimal> {
    let mut price = item
        .unit_price
        .checked_mul(Decimal::from(item.quantity))?
        .checked_sub(item.discount)?;
    price.rescale(
        price
            .scale()
            .max(item.unit_price.scale())
            .max(item.discount.scale()),
    );
    Some(price)
}

/// The order's template names (item `templateName`), what `templateNames` filters on.
/// An order's status, as its dictionary entry (else its name) places it.
pub(crate) fn status(dictionary: &StatusDictionary, order: &Document) -> OrderStatus {
    OrderStatus::from_phase(dictionary.phase(&order.status_id, &order.status))
}

pub(crate) fn template_names(order: &Document) -> impl Iterator<Item = &str> {
    order
        .items
        .iter()
        .filter_map(|i| i.ext.template_name.as_deref())
}

pub(crate) fn order(ctx: &Context<'_>, doc: &Document) -> Result<CustomerOrder, ApiError> {
    let overflow = || ApiError::Internal(format!("order {:?}: money overflows", doc.id).into());
    let mut items = Vec::with_capacity(doc.items.len());
    let mut lines_total = Decimal::ZERO;
    let mut recurring = Decimal::ZERO;
    for item in &doc.items {
        let price = line_price(item).ok_or_else(overflow)?;
        lines_total = lines_total.checked_add(price).ok_or_else(overflow)?;
        if item.ext.recurring == Some(true) {
            recurring = recurring.checked_add(price).ok_or_else(overflow)?;
        }
        items.push(order_item(ctx, doc, item, price)?);
    }
    let summary = doc.total.unwrap_or(lines_total);
    let non_recurring = summary.checked_sub(recurring).ok_or_else(overflow)?;
    // The three amounts share the largest scale among them (`0` beside `24.85` is `0.00`);
    // raising a scale is exact.
    let scale = summary
        .scale()
        .max(recurring.scale())
        .max(non_recurring.scale());
    let [summary, recurring, non_recurring] = [summary, recurring, non_recurring].map(|mut d| {
        d.rescale(scale);
        d
    });
    let ext = &doc.ext;
    Ok(CustomerOrder {
        contract_change_contract_id: ext
            .contract_change_contract_id
            .as_deref()
            .map(|id| ctx.as_uuid("contract", id)),
        customer_id: doc.customer_id.clone(),
        due_date: ext.due_date.map(|at| at.rfc3339()),
        invoicing_period: ext.invoicing_period.unwrap_or(0),
        items,
        order_date: doc.created_at.rfc3339(),
        order_id: ctx.uuid(Kind::Order, &doc.id, None),
        order_number: doc.id.clone(),
        profile: profile(ctx, doc),
        status: ctx.status(doc).as_str(),
        summary: Summary {
            non_recurring: money(non_recurring)?,
            recurring: money(recurring)?,
            summary: money(summary)?,
        },
        kind: if ext.contract_change_contract_id.is_some() {
            "CONTRACT_CHANGE"
        } else {
            "NEW_ORDER"
        },
    })
}

fn order_item(
    ctx: &Context<'_>,
    doc: &Document,
    item: &Item,
    price: Decimal,
) -> Result<OrderItem, ApiError> {
    let ext = &item.ext;
    let reference = Reference {
        contract_item_id: ext
            .subscription_id
            .as_deref()
            .map(|id| ctx.as_uuid("subscription", id)),
        offer_item_id: ctx.parent_line(Kind::Quote, doc.links.parent_quote_id.as_deref(), item),
        order_item_id: ctx.parent_line(
            Kind::Order,
            doc.links.replacement_for_order_id.as_deref(),
            item,
        ),
    };
    let has_reference = reference.contract_item_id.is_some()
        || reference.offer_item_id.is_some()
        || reference.order_item_id.is_some();
    Ok(OrderItem {
        addons: ext
            .addons
            .iter()
            .map(|a| Addon {
                hidden: a.hidden,
                key: a.key.clone(),
                value: a.value.clone(),
            })
            .collect(),
        article_id: item.product_id.clone(),
        article_name: item.item_name.clone(),
        article_template_name: ext.template_name.clone(),
        attribute_configuration: ext
            .attributes
            .iter()
            .map(|a| Attribute {
                key: a.key.clone(),
                value: a.value.clone(),
            })
            .collect(),
        is_inclusive: ext.is_inclusive.unwrap_or(false),
        order_item_id: ctx.uuid(Kind::Order, &doc.id, Some(&item.item_id)),
        predefined_domain_aggregate_id: ext.deployment_id.clone(),
        price: money(price)?,
        reference: has_reference.then_some(reference),
    })
}

/// From the billing address; left out without a billing email (the schema requires one).
fn profile(ctx: &Context<'_>, doc: &Document) -> Option<Profile> {
    let billing = doc.billing.as_ref()?;
    let email = billing.email.as_deref().filter(|e| looks_like_email(e))?;
    let non_empty = |s: &str| (!s.trim().is_empty()).then(|| s.to_owned());
    Some(Profile {
        email: email.to_owned(),
        first_name: non_empty(&billing.first_name),
        last_name: non_empty(&billing.last_name),
        title: billing.ext.title.clone(),
        user_id: stable_uuid(&[ctx.tenant, "customer", &doc.customer_id])
            .hyphenated()
            .to_string(),
    })
}

/// `local@domain`, both parts non-empty: enough for the schema's `format: email` to hold.
fn looks_like_email(text: &str) -> bool {
    text.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && !domain.is_empty() && !domain.contains('@')
    }) && !text.chars().any(char::is_whitespace)
}

/// A JSON number with the decimal's exact digits (serde_json keeps them: `arbitrary_precision`).
fn money(mut value: Decimal) -> Result<Number, ApiError> {
    if value.is_zero() {
        value.set_sign_positive(true);
    }
    Number::from_str(&value.to_string()).map_err(|e| ApiError::Internal(e.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_keeps_its_digits() {
        for text in [
            "0",
            "24.00",
            "119.88",
            "-3.5",
            "12345678901234567890.12345678",
        ] {
            let value = Decimal::from_str(text).unwrap();
            assert_eq!(money(value).unwrap().to_string(), text);
        }
        let negative_zero = Decimal::from_str("-0.00").unwrap();
        assert_eq!(money(negative_zero).unwrap().to_string(), "0.00");
    }

    #[test]
    fn emails_need_a_local_part_and_a_domain() {
        assert!(looks_like_email("a@b.example"));
        for bad in ["", "a", "@b", "a@", "a@b@c", "a b@c"] {
            assert!(!looks_like_email(bad), "{bad}");
        }
    }
}
