//! The order's aggregates, derived from its lines, fees and payments by the rules of
//! docs/dialects/storefront_v10.md ("Money"), exactly and by the document's rounding.

use ordo_model::{Decimal, Document};

use super::money::{Overflow, Rounding, add, mul, percent, sub, sum};

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

pub(crate) fn totals(document: &Document, r: Rounding) -> Result<Totals, Overflow> {
    let items = &document.items;
    let prediscount_subtotal = r.settle(items.iter().map(|i| r.line_total(i)))?;
    // A line's `tax` is what it pays after its discount; before it, the discount's share
    // of tax at the line's rate is added back.
    let prediscount_tax = r.settle(
        items
            .iter()
            .map(|i| add(i.tax, percent(i.discount, r.line_rate(i)?)?)),
    )?;
    let subtotal = sub(
        prediscount_subtotal,
        r.settle(items.iter().map(|i| Ok(i.discount)))?,
    )?;
    let taxed_subtotal = add(subtotal, r.settle(items.iter().map(|i| Ok(i.tax)))?)?;

    let classes = classes(document, r)?;
    let shipping = shipping_fee(document, r, &classes)?;
    let payment_fee = payment_fee(document, r, &classes, &shipping)?;
    let taxes = if document.ext.taxes.is_empty() {
        grouped_taxes(document, r, &shipping, &payment_fee)?
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
    let tax_amount = sum(taxes.iter().map(|t| t.amount))?;

    // The document's `total` is what the customer pays, taxes included (reference 001);
    // without one, the parts are added up.
    let (total, taxed_total) = match document.total {
        Some(given) => {
            let taxed = r.cents(given);
            (sub(taxed, tax_amount)?, taxed)
        }
        None => {
            let shipping = r.cents(sub(document.shipping_price, document.shipping_discount)?);
            let total = add(add(subtotal, shipping)?, r.cents(payment_fee.cost))?;
            (total, add(total, tax_amount)?)
        }
    };
    let paid = sum(document
        .payments
        .iter()
        .map(|p| match p.payment_type.as_deref() {
            Some("Refund") => -p.amount,
            _ => p.amount,
        }))?;
    let quantity = sum(items.iter().map(|i| Decimal::from(i.quantity)))?;
    let weight = items.iter().try_fold(Decimal::ZERO, |total, i| {
        add(
            total,
            mul(Decimal::from(i.quantity), i.unit_weight.unwrap_or_default())?,
        )
    })?;

    Ok(Totals {
        prediscount_subtotal,
        taxed_prediscount_subtotal: add(prediscount_subtotal, prediscount_tax)?,
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
    })
}

/// The document's tax classes, `(code, rate)`: its `taxes`, else its lines', first seen first.
fn classes(document: &Document, r: Rounding) -> Result<Vec<(String, Decimal)>, Overflow> {
    let mut classes: Vec<(String, Decimal)> = Vec::new();
    let given = document
        .ext
        .taxes
        .iter()
        .map(|t| (t.code.clone(), r.round(t.rate, 2)));
    let from_lines = document.items.iter().map(|i| {
        let code = i.ext.tax_code.clone().unwrap_or_default();
        Ok((code, r.line_rate(i)?))
    });
    let all: Vec<(String, Decimal)> = if document.ext.taxes.is_empty() {
        from_lines.collect::<Result<_, Overflow>>()?
    } else {
        given.collect()
    };
    for class in all {
        if !classes.contains(&class) {
            classes.push(class);
        }
    }
    Ok(classes)
}

/// Shipping's class: ext `shippingMethodInfo.taxCode`/`.taxRate` where given; else the
/// first class whose rate gives its tax, else the rate its tax implies.
fn shipping_fee(
    document: &Document,
    r: Rounding,
    classes: &[(String, Decimal)],
) -> Result<Fee, Overflow> {
    let amount = r.cents(document.shipping_tax);
    let base = sub(document.shipping_price, document.shipping_discount)?;
    let (code, rate) = if amount.is_zero() {
        (String::new(), r.round(Decimal::ZERO, 2))
    } else {
        let mut found = None;
        for (code, rate) in classes {
            if r.cents(percent(base, *rate)?) == amount {
                found = Some((code.clone(), *rate));
                break;
            }
        }
        match found {
            Some(class) => class,
            None => (String::new(), r.implied_rate(document.shipping_tax, base)?),
        }
    };
    let given = document.ext.shipping_method_info.as_ref();
    Ok(Fee {
        cost: document.shipping_price,
        code: given.and_then(|g| g.tax_code.clone()).unwrap_or(code),
        rate: given
            .and_then(|g| g.tax_rate)
            .map_or(rate, |given| r.round(given, 2)),
        amount,
    })
}

/// The payment fee: ext `paymentFee` where given. Else it costs `handlingFee`, is taxed like
/// shipping when shipping is taxed, else in the document's first class, and its tax is
/// computed (v1 keeps none for it).
fn payment_fee(
    document: &Document,
    r: Rounding,
    classes: &[(String, Decimal)],
    shipping: &Fee,
) -> Result<Fee, Overflow> {
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
    let amount = match given.tax_amount {
        Some(amount) => amount,
        None => percent(cost, rate)?,
    };
    Ok(Fee {
        cost,
        code: given.tax_code.unwrap_or(code),
        rate,
        amount: r.cents(amount),
    })
}

/// `taxes` for a document that gives none: its lines by (tax code, rate), shipping and the
/// payment fee in their classes.
fn grouped_taxes(
    document: &Document,
    r: Rounding,
    shipping: &Fee,
    payment_fee: &Fee,
) -> Result<Vec<TaxRow>, Overflow> {
    let mut rows: Vec<(String, Decimal, Vec<Decimal>, Vec<Decimal>)> = Vec::new();
    let mut group = |code: &str, rate: Decimal, taxable: Decimal, amount: Decimal| {
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
        let taxable = sub(r.line_total(item)?, item.discount)?;
        group(code, r.line_rate(item)?, taxable, item.tax);
    }
    let shipping_base = sub(document.shipping_price, document.shipping_discount)?;
    if !shipping_base.is_zero() || !shipping.amount.is_zero() {
        group(
            &shipping.code,
            shipping.rate,
            shipping_base,
            shipping.amount,
        );
    }
    if !payment_fee.cost.is_zero() {
        let fee = payment_fee.cost;
        group(&payment_fee.code, payment_fee.rate, fee, payment_fee.amount);
    }
    rows.into_iter()
        .map(|(code, rate, taxable, amounts)| {
            Ok(TaxRow {
                name: code.clone(),
                code,
                rate,
                taxable_total: r.settle(taxable.into_iter().map(Ok))?,
                amount: r.settle(amounts.into_iter().map(Ok))?,
            })
        })
        .collect()
}
