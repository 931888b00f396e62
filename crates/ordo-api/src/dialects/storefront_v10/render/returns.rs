//! An order's returns: each return document with its status and its lines' approvals, and
//! the quantities they give back to the order's lines (`returnedQuantity`).

use ordo_model::{Decimal, Document, Item, Phase};

use super::money::{Overflow, Rounding};
use super::order::{locale, number, rounding_node, sku};
use super::{Context, Digits, Node};
use crate::dialects::stable_int;

/// The return's status: requested (Pending), refused, withdrawn, or accepted — in part when
/// its lines' approvals mix `Approved` and `Rejected`.
fn status(ctx: &Context<'_>, ret: &Document) -> &'static str {
    match ctx.dictionary.phase(&ret.status_id, &ret.status) {
        Phase::New | Phase::Open => "Pending",
        Phase::Cancelled => "Cancelled",
        Phase::Rejected => "Rejected",
        Phase::Ready | Phase::Shipped | Phase::Delivered | Phase::Completed => {
            let approved = |wanted: &str| {
                ret.items
                    .iter()
                    .any(|i| i.ext.approval.as_deref() == Some(wanted))
            };
            if approved("Approved") && approved("Rejected") {
                "PartiallyApproved"
            } else {
                "Approved"
            }
        }
    }
}

/// A return line's approval: its own, else what the return's status says of all its lines.
fn approval<'a>(line: &'a Item, status: &str) -> &'a str {
    if let Some(own) = line.ext.approval.as_deref() {
        return own;
    }
    match status {
        "Approved" => "Approved",
        "Rejected" => "Rejected",
        "Cancelled" => "Cancelled",
        _ => "Pending",
    }
}

pub(crate) fn render(
    ctx: &Context<'_>,
    order: &Document,
    ret: &Document,
) -> Result<Node, Overflow> {
    let status = status(ctx, ret);
    let order_rounding = Rounding::of(order);
    // The lines are the order's: its rounding, unless the return says its own.
    let n = Digits(if ret.ext.rounding.is_some() {
        Rounding::of(ret)
    } else {
        order_rounding
    });
    let of_order = Node::Object(vec![
        ("id", Node::Int(stable_int(&order.id))),
        ("number", Node::str(number(order))),
        ("creationTime", Node::datetime(order.created_at)),
        ("rounding", rounding_node(order_rounding)),
    ]);
    let items = ret
        .items
        .iter()
        .map(|line| {
            Ok(Node::Object(vec![
                ("order", of_order.clone()),
                ("approval", Node::str(approval(line, status))),
                ("comments", Node::text(line.ext.comments.as_deref())),
                ("reason", Node::text(line.ext.reason.as_deref())),
                ("name", Node::text(line.item_name.as_deref())),
                ("price", n.string(line.unit_price, 3)),
                ("quantity", n.string(Decimal::from(line.quantity), 2)),
                ("sku", Node::str(sku(line))),
                ("taxCode", Node::text(line.ext.tax_code.as_deref())),
                ("taxRate", n.string(n.0.line_rate(line)?, 2)),
            ]))
        })
        .collect::<Result<_, Overflow>>()?;
    let locale = ret.ext.locale.as_deref().unwrap_or_else(|| locale(order));
    Ok(Node::Object(vec![
        ("id", Node::Int(stable_int(&ret.id))),
        ("number", Node::str(number(ret))),
        ("status", Node::str(status)),
        ("creationTime", Node::datetime(ret.created_at)),
        ("updateTime", Node::datetime(ret.updated_at)),
        ("locale", Node::str(locale)),
        ("items", Node::List(items)),
    ]))
}

/// Returned quantity per order line.
pub(crate) struct Returned(Vec<i64>);

impl Returned {
    pub(crate) fn of_line(&self, line: usize) -> Decimal {
        Decimal::from(self.0.get(line).copied().unwrap_or(0))
    }
}

/// What the returns gave back: the quantities of their `Approved` lines, by product, spread
/// over the order's lines of that product in line order (each up to its quantity; the last
/// takes the rest).
pub(crate) fn returned(ctx: &Context<'_>, order: &Document, returns: &[&Document]) -> Returned {
    let mut approved: Vec<(&str, i64)> = Vec::new();
    for ret in returns {
        let status = status(ctx, ret);
        for line in ret
            .items
            .iter()
            .filter(|l| approval(l, status) == "Approved")
        {
            let quantity = line.quantity.max(0);
            match approved.iter_mut().find(|(p, _)| *p == line.product_id) {
                Some((_, sum)) => *sum = sum.saturating_add(quantity),
                None => approved.push((&line.product_id, quantity)),
            }
        }
    }
    let items = &order.items;
    let per_line = items
        .iter()
        .enumerate()
        .map(|(at, item)| {
            let Some((_, left)) = approved.iter_mut().find(|(p, _)| *p == item.product_id) else {
                return 0;
            };
            let last = !items[at + 1..]
                .iter()
                .any(|later| later.product_id == item.product_id);
            let take = if last {
                *left
            } else {
                (*left).min(item.quantity.max(0))
            };
            *left -= take;
            take
        })
        .collect();
    Returned(per_line)
}
