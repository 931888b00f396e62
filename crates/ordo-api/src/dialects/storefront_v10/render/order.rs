//! One order, in the reference's field order: identity, lines, shipments, returns, money,
//! parties. The mapping table of docs/dialects/storefront_v10.md, field by field.

use ordo_model::{Decimal, Document, Item, Phase};

use super::money::{Overflow, Rounding, sum};
use super::returns::{self, Returned};
use super::totals::{self, Totals};
use super::{Context, Digits, Node, addresses};
use crate::dialects::{stable_int, stable_uuid};

/// `locale` of a document that gives none.
pub(crate) const DEFAULT_LOCALE: &str = "en";

/// The order as the storefront shows it; `returns` are its return documents, oldest first.
pub(crate) fn order(
    ctx: &Context<'_>,
    order: &Document,
    returns: &[&Document],
) -> Result<Node, Overflow> {
    let rounding = Rounding::of(order);
    let n = Digits(rounding);
    let totals = totals::totals(order, rounding)?;
    let returned = returns::returned(ctx, order, returns);
    let items = order
        .items
        .iter()
        .map(|i| item(n, i))
        .collect::<Result<_, _>>()?;
    let (reference_type, reference_number) = reference(order);
    Ok(Node::Object(vec![
        ("id", Node::Int(stable_int(&order.id))),
        ("number", Node::str(number(order))),
        ("status", Node::str(status(ctx, order))),
        ("creationTime", Node::datetime(order.created_at)),
        ("updateTime", Node::datetime(order.updated_at)),
        ("referenceType", reference_type),
        ("referenceNumber", reference_number),
        ("token", Node::str(token(ctx.tenant, order))),
        ("rounding", rounding_node(rounding)),
        ("locale", Node::str(locale(order))),
        ("items", Node::List(items)),
        ("shipments", shipments(n, order, &returned)?),
        (
            "returns",
            Node::List(
                returns
                    .iter()
                    .map(|r| returns::render(ctx, order, r))
                    .collect::<Result<_, _>>()?,
            ),
        ),
        ("coupon", Node::opt(order.ext.coupon.as_deref(), Node::str)),
        ("prediscountSubtotal", n.num(totals.prediscount_subtotal, 2)),
        (
            "taxedPrediscountSubtotal",
            n.num(totals.taxed_prediscount_subtotal, 2),
        ),
        ("discounts", discounts(n, order)?),
        (
            "discountsIncludeTaxes",
            Node::Bool(order.ext.discounts_include_taxes.unwrap_or(false)),
        ),
        ("subtotal", n.num(totals.subtotal, 2)),
        ("taxedSubtotal", n.num(totals.taxed_subtotal, 2)),
        ("shippingMethod", shipping_method(n, order, &totals)),
        ("paymentMethod", payment_method(n, order, &totals)),
        ("taxes", taxes(n, &totals)),
        ("taxAmount", n.num(totals.tax_amount, 2)),
        ("total", n.num(totals.total, 2)),
        ("taxedTotal", n.num(totals.taxed_total, 2)),
        ("isPaidFor", Node::Bool(totals.is_paid_for)),
        ("quantity", n.num(totals.quantity, 2)),
        ("weight", n.num(totals.weight, 3)),
        (
            "invoiceRecipient",
            Node::text(order.ext.invoice_recipient.as_deref()),
        ),
        ("customerName", Node::str(addresses::customer_name(order))),
        ("billingAddress", addresses::billing(order)),
        ("shippingAddress", addresses::shipping(order)),
        ("sellerAddress", addresses::seller(order)),
        ("requests", Node::text(order.customer_notes.as_deref())),
        ("terms", Node::text(order.ext.terms.as_deref())),
    ]))
}

/// A document's number: its `orderNumber`; else its `externalReferenceId` (the number the
/// merchant's own system shows) when it has one of at most 32 characters; else its id.
pub(crate) fn number(document: &Document) -> String {
    let ext = &document.ext;
    ext.order_number
        .as_deref()
        .or_else(|| {
            ext.external_reference_id
                .as_deref()
                .filter(|n| !n.is_empty() && n.chars().count() <= 32)
        })
        .map_or_else(|| number_text(&document.id), str::to_owned)
}

/// An id as a number (string ≤ 32): itself, or the decimal `id` when it is longer.
fn number_text(id: &str) -> String {
    if id.chars().count() <= 32 {
        id.to_owned()
    } else {
        stable_int(id).to_string()
    }
}

fn status(ctx: &Context<'_>, order: &Document) -> &'static str {
    match ctx.dictionary.phase(&order.status_id, &order.status) {
        Phase::New => "New",
        Phase::Open => "Open",
        Phase::Ready => "Ready",
        Phase::Shipped => "Shipped",
        Phase::Delivered => "Delivered",
        Phase::Completed => "Completed",
        Phase::Cancelled | Phase::Rejected => "Cancelled",
    }
}

fn reference(order: &Document) -> (Node, Node) {
    if let Some(reference) = &order.ext.reference {
        return (
            Node::str(reference.kind.as_str()),
            Node::str(reference.number.as_str()),
        );
    }
    match &order.links.parent_quote_id {
        Some(quote) => (Node::str("Quote"), Node::str(number_text(quote))),
        None => (Node::Null, Node::str("")),
    }
}

/// The document's `token`; else the cart's token when `shoppingCartId` is one (32 letters
/// and digits, a UUID's dashes dropped); else 32 hex digits of a name-based UUID of tenant and
/// order id. Stable either way, but not a secret: the storefront's key, not the token, guards
/// the order.
fn token(tenant: &str, order: &Document) -> String {
    if let Some(token) = &order.ext.token {
        return token.clone();
    }
    if let Some(cart) = &order.shopping_cart_id {
        let compact: String = cart.chars().filter(|&c| c != '-').collect();
        if compact.len() == 32 && compact.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return compact;
        }
    }
    stable_uuid(&["storefront_v10", "token", tenant, &order.id])
        .simple()
        .to_string()
}

pub(crate) fn rounding_node(rounding: Rounding) -> Node {
    Node::Object(vec![
        ("mode", Node::str(rounding.mode_name())),
        ("rule", Node::str(rounding.rule_name())),
    ])
}

pub(crate) fn locale(document: &Document) -> &str {
    document.ext.locale.as_deref().unwrap_or(DEFAULT_LOCALE)
}

/// A line's SKU: its `sku`, else its `mpn`, else its product id.
pub(crate) fn sku(item: &Item) -> &str {
    item.ext
        .sku
        .as_deref()
        .or(item.mpn.as_deref())
        .unwrap_or(&item.product_id)
}

fn item(n: Digits, item: &Item) -> Result<Node, Overflow> {
    let rounding = n.0;
    Ok(Node::Object(vec![
        ("sku", Node::str(sku(item))),
        ("name", Node::text(item.item_name.as_deref())),
        ("quantity", n.num(Decimal::from(item.quantity), 2)),
        ("price", n.num(item.unit_price, 3)),
        ("totalPrice", n.num(rounding.line_total(item)?, 2)),
        ("weight", n.num(item.unit_weight.unwrap_or_default(), 3)),
        ("taxCode", Node::text(item.ext.tax_code.as_deref())),
        ("taxRate", n.num(rounding.line_rate(item)?, 2)),
        ("taxAmount", n.num(item.tax, 2)),
        ("requests", Node::text(item.ext.requests.as_deref())),
    ]))
}

/// Each package is a shipment. v1 does not say which lines a package holds: the order's
/// lines are listed once, in the first shipment.
fn shipments(n: Digits, order: &Document, returned: &Returned) -> Result<Node, Overflow> {
    let packages = order.shipments.iter().flat_map(|s| &s.packages);
    Ok(Node::List(
        packages
            .enumerate()
            .map(|(index, package)| {
                let items = if index == 0 {
                    order
                        .items
                        .iter()
                        .enumerate()
                        .map(|(line, item)| shipment_item(n, item, returned.of_line(line)))
                        .collect::<Result<_, _>>()?
                } else {
                    Vec::new()
                };
                Ok(Node::Object(vec![
                    ("id", Node::Int(stable_int(&package.package_id))),
                    ("items", Node::List(items)),
                    ("shipmentDate", Node::date(package.ship_date)),
                    (
                        "deliveryDate",
                        Node::opt(package.ext.delivery_date, Node::date),
                    ),
                    (
                        "trackingNumber",
                        Node::text(package.tracking_number.as_deref()),
                    ),
                    (
                        "trackingURL",
                        Node::text(package.ext.tracking_url.as_deref()),
                    ),
                ]))
            })
            .collect::<Result<_, _>>()?,
    ))
}

fn shipment_item(n: Digits, item: &Item, returned: Decimal) -> Result<Node, Overflow> {
    Ok(Node::Object(vec![
        (
            "isReturnable",
            Node::Bool(item.ext.is_returnable.unwrap_or(true)),
        ),
        (
            "lastDateToReturn",
            Node::opt(item.ext.last_date_to_return, Node::date),
        ),
        ("name", Node::text(item.item_name.as_deref())),
        ("price", n.string(item.unit_price, 3)),
        ("quantity", n.string(Decimal::from(item.quantity), 2)),
        ("returnedQuantity", n.string(returned, 2)),
        ("requests", Node::text(item.ext.requests.as_deref())),
        ("sku", Node::str(sku(item))),
        ("taxCode", Node::text(item.ext.tax_code.as_deref())),
        ("taxRate", n.string(n.0.line_rate(item)?, 2)),
    ]))
}

/// The document's `discounts`; else, when its lines carry discounts, one `AmountOff` of
/// their sum; else none.
fn discounts(n: Digits, order: &Document) -> Result<Node, Overflow> {
    let discount = |kind: &str, value: Decimal| {
        Node::Object(vec![("type", Node::str(kind)), ("value", n.num(value, 3))])
    };
    if !order.ext.discounts.is_empty() {
        return Ok(Node::List(
            order
                .ext
                .discounts
                .iter()
                .map(|d| discount(&d.kind, d.value))
                .collect(),
        ));
    }
    let lines = sum(order.items.iter().map(|i| i.discount))?;
    Ok(if lines > Decimal::ZERO {
        Node::List(vec![discount("AmountOff", lines)])
    } else {
        Node::List(Vec::new())
    })
}

/// `null` for an order without shipping (no method, nothing charged, no ext
/// `shippingMethodInfo`).
fn shipping_method(n: Digits, order: &Document, totals: &Totals) -> Node {
    if order.shipping_method.is_empty()
        && order.shipping_price.is_zero()
        && order.shipping_tax.is_zero()
        && order.ext.shipping_method_info.is_none()
    {
        return Node::Null;
    }
    let info = order.ext.shipping_method_info.as_ref();
    let id = info.and_then(|i| u64::try_from(i.id?).ok());
    Node::Object(vec![
        ("id", Node::opt(id, Node::Int)),
        ("name", Node::str(order.shipping_method.as_str())),
        ("cost", n.num(totals.shipping.cost, 3)),
        ("taxCode", Node::str(totals.shipping.code.as_str())),
        ("taxRate", n.num(totals.shipping.rate, 2)),
        ("taxAmount", n.num(totals.shipping.amount, 2)),
    ])
}

/// The first payment's method, with the payment fee (ext `paymentFee`, else `handlingFee`)
/// as its cost; `null` when no payment names a method.
fn payment_method(n: Digits, order: &Document, totals: &Totals) -> Node {
    let Some(method) = order
        .payments
        .iter()
        .find_map(|p| p.payment_method.as_ref())
    else {
        return Node::Null;
    };
    let name = method.name.as_deref().or(method.code.as_deref());
    Node::Object(vec![
        ("id", Node::Int(stable_int(&method.id))),
        ("name", Node::text(name)),
        ("cost", n.num(totals.payment_fee.cost, 3)),
        ("taxCode", Node::str(totals.payment_fee.code.as_str())),
        ("taxRate", n.num(totals.payment_fee.rate, 2)),
        ("taxAmount", n.num(totals.payment_fee.amount, 2)),
    ])
}

fn taxes(n: Digits, totals: &Totals) -> Node {
    Node::List(
        totals
            .taxes
            .iter()
            .map(|t| {
                Node::Object(vec![
                    ("code", Node::str(t.code.as_str())),
                    ("name", Node::str(t.name.as_str())),
                    ("rate", n.num(t.rate, 2)),
                    ("taxableTotal", n.num(t.taxable_total, 2)),
                    ("amount", n.num(t.amount, 2)),
                ])
            })
            .collect(),
    )
}
