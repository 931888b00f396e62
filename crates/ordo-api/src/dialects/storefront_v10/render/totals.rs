//! The order's aggregates, derived from its lines, fees and payments by the rules of
//! docs/dialects/storefront_v10.md ("Money"), exactly and by the document's rounding.

use ordo_model::{Decimal, Document};

use super::money::Rounding;

/// A fee (shipping, or the payment fee): what it costs, and its tax class and tax.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Fee {
    pub cost: Decimal,
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
    pub shipping: Fee,
    pub payment_fee: Fee,
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
    let shipping = shipping_fee(document, r, &classes);
    let payment_fee = payment_fee(document, r, &classes, &shipping);
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
                + r.cents(payment_fee.cost);
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

/// Shipping's class: ext `shippingMethodInfo.taxCode`/`.taxRate` where given; else the
/// first class whose rate gives its tax, else the rate its tax implies.
fn shipping_fee(document: &Document, r: Rounding, classes: &[(String, Decimal)]) -> Fee {
    let amount = r.cents(document.shipping_tax);
    let base = document.shipping_price - document.shipping_discount;
    let (code, rate) = if amount.is_zero() {
        (String::new(), r.round(Decimal::ZERO, 2))
    } else {
        classes
            .iter()
            .find(|(_, rate)| r.cents(base * rate / Decimal::ONE_HUNDRED) == amount)
            .cloned()
            .unwrap_or_else(|| (String::new(), r.implied_rate(document.shipping_tax, base)))
    };
    let given = document.ext.shipping_method_info.as_ref();
    Fee {
        cost: document.shipping_price,
        code: given.and_then(|g| g.tax_code.clone()).unwrap_or(code),
        rate: given
            .and_then(|g| g.tax_rate)
            .map_or(rate, |given| r.round(given, 2)),
        amount,
    }
}

/// The payment fee: ext `paymentFee` where given. Else it costs `handlingFee`, is taxed like
/// shipping when shipping is taxed, else in the document's first class, and its tax is
/// computed (v1 keeps none for it).
fn payment_fee(
    document: &Document,
    r: Rounding,
    classes: &[(String, Decimal)],
    shipping: &Fee,
) -> Fee {
    let given = document.ext.payment_fee.clone().unwrap_or_default();
    let (code, rate) = if shipping.rate.is_zero() {
        classes
            .first()
            .cloned()
            .unwrap_or_else(|| (String::new(), r.round(Decimal::ZERO, 2)))
    } else {
        (shipping.code.clone(), shipping.rate)
    };
    let cost = given.cost.unwrap_or(document.handling_fee);
    let rate = given.tax_rate.map_or(rate, |given| r.round(given, 2));
    let amount = given
        .tax_amount
        .unwrap_or_else(|| cost * rate / Decimal::ONE_HUNDRED);
    Fee {
        cost,
        code: given.tax_code.unwrap_or(code),
        rate,
        amount: r.cents(amount),
    }
}

/// `taxes` for a document that gives none: its lines by (tax code, rate), shipping and the
/// payment fee in their classes.
fn grouped_taxes(
    document: &Document,
    r: Rounding,
    shipping: &Fee,
    payment_fee: &Fee,
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
    if !payment_fee.cost.is_zero() {
        let fee = payment_fee.cost;
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
