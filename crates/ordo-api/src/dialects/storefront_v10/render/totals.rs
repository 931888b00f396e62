//! The order's aggregates, derived from its lines, fees and payments by the rules of
//! docs/dialects/storefront_v10.md ("Money"), exactly and by the document's rounding.

use ordo_model::{Decimal, Document};

use super::money::Rounding;

/// The tax class of a fee (shipping, or the payment fee).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FeeTax {
    pub code: String,
    pub rate: Decimal,
    pub amount: Decimal,
}

/// One row of `taxes`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TaxRow {
    pub code: String,
    pub name: String,
    pub rate: Decimal,
    pub taxable_total: Decimal,
    pub amount: Decimal,
}

/// The order's aggregates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Totals {
    pub prediscount_subtotal: Decimal,
    pub taxed_prediscount_subtotal: Decimal,
    pub subtotal: Decimal,
    pub taxed_subtotal: Decimal,
    pub shipping: FeeTax,
    pub payment_fee: FeeTax,
    pub taxes: Vec<TaxRow>,
    pub tax_amount: Decimal,
    pub total: Decimal,
    pub taxed_total: Decimal,
    pub is_paid_for: bool,
    pub quantity: Decimal,
    pub weight: Decimal,
}

pub(crate) fn totals(document: &Document, r: Rounding) -> Totals {
    let items = &document.items;
    let prediscount_subtotal = r.settle(items.iter().map(|i| r.line_total(i)));
    // A line's `tax` is what it pays after its discount; before it, the discount's share
    // of tax at the line's rate is added back.
    let prediscount_tax = r.settle(
        items
            .iter()
            .map(|i| i.tax + i.discount * r.line_rate(i) / Decimal::ONE_HUNDRED),
    );
    let subtotal = prediscount_subtotal - r.settle(items.iter().map(|i| i.discount));
    let taxed_subtotal = subtotal + r.settle(items.iter().map(|i| i.tax));

    let classes = classes(document, r);
    let shipping = shipping_tax(document, r, &classes);
    let payment_fee = payment_fee_tax(document, r, &classes, &shipping);
    let taxes = if document.ext.taxes.is_empty() {
        grouped_taxes(document, r, &shipping, &payment_fee)
    } else {
        document
            .ext
            .taxes
            .iter()
            .map(|t| TaxRow {
                code: t.code.clone(),
                name: t.name.clone().unwrap_or_else(|| t.code.clone()),
                rate: r.round(t.rate, 2),
                taxable_total: r.cents(t.taxable_total),
                amount: r.cents(t.amount),
            })
            .collect()
    };
    let tax_amount: Decimal = taxes.iter().map(|t| t.amount).sum();

    // The document's `total` is what the customer pays, taxes included (reference 001);
    // without one, the parts are added up.
    let (total, taxed_total) = match document.total {
        Some(given) => {
            let taxed = r.cents(given);
            (taxed - tax_amount, taxed)
        }
        None => {
            let total = subtotal
                + r.cents(document.shipping_price - document.shipping_discount)
                + r.cents(document.handling_fee);
            (total, total + tax_amount)
        }
    };
    let paid: Decimal = document
        .payments
        .iter()
        .map(|p| match p.payment_type.as_deref() {
            Some("Refund") => -p.amount,
            _ => p.amount,
        })
        .sum();
    let quantity: Decimal = items.iter().map(|i| Decimal::from(i.quantity)).sum();
    let weight: Decimal = items
        .iter()
        .map(|i| Decimal::from(i.quantity) * i.unit_weight.unwrap_or_default())
        .sum();

    Totals {
        prediscount_subtotal,
        taxed_prediscount_subtotal: prediscount_subtotal + prediscount_tax,
        subtotal,
        taxed_subtotal,
        shipping,
        payment_fee,
        taxes,
        tax_amount: r.cents(tax_amount),
        total: r.cents(total),
        taxed_total: r.cents(taxed_total),
        is_paid_for: paid >= taxed_total,
        quantity: r.round(quantity, 2),
        weight: r.round(weight, 3),
    }
}

/// The document's tax classes, `(code, rate)`: its `taxes`, else its lines', first seen first.
fn classes(document: &Document, r: Rounding) -> Vec<(String, Decimal)> {
    let mut classes: Vec<(String, Decimal)> = Vec::new();
    let given = document
        .ext
        .taxes
        .iter()
        .map(|t| (t.code.clone(), r.round(t.rate, 2)));
    let from_lines = document.items.iter().map(|i| {
        let code = i.ext.tax_code.clone().unwrap_or_default();
        (code, r.line_rate(i))
    });
    let all: Vec<(String, Decimal)> = if document.ext.taxes.is_empty() {
        from_lines.collect()
    } else {
        given.collect()
    };
    for class in all {
        if !classes.contains(&class) {
            classes.push(class);
        }
    }
    classes
}

/// Shipping's class: the first whose rate gives its tax, else the rate its tax implies.
fn shipping_tax(document: &Document, r: Rounding, classes: &[(String, Decimal)]) -> FeeTax {
    let amount = r.cents(document.shipping_tax);
    let base = document.shipping_price - document.shipping_discount;
    if amount.is_zero() {
        return FeeTax {
            code: String::new(),
            rate: r.round(Decimal::ZERO, 2),
            amount,
        };
    }
    let matching = classes
        .iter()
        .find(|(_, rate)| r.cents(base * rate / Decimal::ONE_HUNDRED) == amount);
    match matching {
        Some((code, rate)) => FeeTax {
            code: code.clone(),
            rate: *rate,
            amount,
        },
        None => FeeTax {
            code: String::new(),
            rate: r.implied_rate(document.shipping_tax, base),
            amount,
        },
    }
}

/// The payment fee (`handlingFee`) is taxed like shipping when shipping is taxed, else in
/// the document's first class; v1 keeps no tax for it, so its tax is computed.
fn payment_fee_tax(
    document: &Document,
    r: Rounding,
    classes: &[(String, Decimal)],
    shipping: &FeeTax,
) -> FeeTax {
    let (code, rate) = if shipping.rate.is_zero() {
        classes
            .first()
            .cloned()
            .unwrap_or_else(|| (String::new(), r.round(Decimal::ZERO, 2)))
    } else {
        (shipping.code.clone(), shipping.rate)
    };
    let amount = r.cents(document.handling_fee * rate / Decimal::ONE_HUNDRED);
    FeeTax { code, rate, amount }
}

/// `taxes` for a document that gives none: its lines by (tax code, rate), shipping and the
/// payment fee in their classes.
fn grouped_taxes(
    document: &Document,
    r: Rounding,
    shipping: &FeeTax,
    payment_fee: &FeeTax,
) -> Vec<TaxRow> {
    let mut rows: Vec<(String, Decimal, Vec<Decimal>, Vec<Decimal>)> = Vec::new();
    let mut add = |code: &str, rate: Decimal, taxable: Decimal, amount: Decimal| {
        let at = rows
            .iter()
            .position(|(c, rt, _, _)| c == code && *rt == rate)
            .unwrap_or_else(|| {
                rows.push((code.to_owned(), rate, Vec::new(), Vec::new()));
                rows.len() - 1
            });
        rows[at].2.push(taxable);
        rows[at].3.push(amount);
    };
    for item in &document.items {
        let code = item.ext.tax_code.as_deref().unwrap_or("");
        let taxable = r.line_total(item) - item.discount;
        add(code, r.line_rate(item), taxable, item.tax);
    }
    let shipping_base = document.shipping_price - document.shipping_discount;
    if !shipping_base.is_zero() || !shipping.amount.is_zero() {
        add(
            &shipping.code,
            shipping.rate,
            shipping_base,
            shipping.amount,
        );
    }
    if !document.handling_fee.is_zero() {
        let fee = document.handling_fee;
        add(&payment_fee.code, payment_fee.rate, fee, payment_fee.amount);
    }
    rows.into_iter()
        .map(|(code, rate, taxable, amounts)| TaxRow {
            name: code.clone(),
            code,
            rate,
            taxable_total: r.settle(taxable),
            amount: r.settle(amounts),
        })
        .collect()
}
