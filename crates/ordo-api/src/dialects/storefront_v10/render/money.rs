//! Money, exactly: the document's rounding (mode and rule) applied to `Decimal`s; nothing
//! passes through a float. The aggregates built on it are in `totals.rs`.

use ordo_model::{Decimal, Document, Item};

/// A result past what a `Decimal` holds (about 7.9e28). Ingest bounds each amount to 28
/// digits, not their products and sums: every operation on two amounts is checked, and an
/// order whose arithmetic overflows is that call's 500.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Overflow;

/// An amount, or the overflow on the way to it.
pub(crate) type Checked = Result<Decimal, Overflow>;

pub(crate) fn add(a: Decimal, b: Decimal) -> Checked {
    a.checked_add(b).ok_or(Overflow)
}

pub(crate) fn sub(a: Decimal, b: Decimal) -> Checked {
    a.checked_sub(b).ok_or(Overflow)
}

pub(crate) fn mul(a: Decimal, b: Decimal) -> Checked {
    a.checked_mul(b).ok_or(Overflow)
}

/// `value × rate / 100`: dividing by 100 only makes it smaller.
pub(crate) fn percent(value: Decimal, rate: Decimal) -> Checked {
    Ok(mul(value, rate)? / Decimal::ONE_HUNDRED)
}

pub(crate) fn sum(values: impl IntoIterator<Item = Decimal>) -> Checked {
    values.into_iter().try_fold(Decimal::ZERO, add)
}

/// How a digit beyond the precision is dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Towards zero.
    Down,
    /// To the nearest; a half goes towards zero.
    HalfDown,
    /// To the nearest; a half goes to the even neighbour.
    HalfEven,
    /// To the nearest; a half goes away from zero.
    HalfUp,
}

/// Where amounts are rounded to cents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rule {
    /// Each unit price, before it is multiplied by the quantity.
    PerItem,
    /// Each line's amounts.
    PerLine,
    /// Only the sums: lines add up exactly, then round once.
    Total,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Rounding {
    pub mode: Mode,
    pub rule: Rule,
}

impl Rounding {
    /// For a document without `rounding`: what arithmetic on a v1 document's lines does.
    pub(crate) const DEFAULT: Rounding = Rounding {
        mode: Mode::HalfUp,
        rule: Rule::PerLine,
    };

    pub(crate) fn of(document: &Document) -> Rounding {
        let Some(given) = &document.ext.rounding else {
            return Rounding::DEFAULT;
        };
        let mode = match given.mode.as_str() {
            "Down" => Mode::Down,
            "HalfDown" => Mode::HalfDown,
            "HalfEven" => Mode::HalfEven,
            _ => Mode::HalfUp,
        };
        let rule = match given.rule.as_str() {
            "PerItem" => Rule::PerItem,
            "Total" => Rule::Total,
            _ => Rule::PerLine,
        };
        Rounding { mode, rule }
    }

    pub(crate) fn mode_name(self) -> &'static str {
        match self.mode {
            Mode::Down => "Down",
            Mode::HalfDown => "HalfDown",
            Mode::HalfEven => "HalfEven",
            Mode::HalfUp => "HalfUp",
        }
    }

    pub(crate) fn rule_name(self) -> &'static str {
        match self.rule {
            Rule::PerItem => "PerItem",
            Rule::PerLine => "PerLine",
            Rule::Total => "Total",
        }
    }

    /// `value` with exactly `dp` decimals, rounded by the mode.
    pub(crate) fn round(self, value: Decimal, dp: u32) -> Decimal {
        round(value, dp, self.mode)
    }

    /// Cents, by the mode.
    pub(crate) fn cents(self, value: Decimal) -> Decimal {
        self.round(value, 2)
    }

    /// A sum of amounts by the rule: each rounded to cents and added, or (`Total`) added
    /// exactly and rounded once.
    pub(crate) fn settle(self, values: impl IntoIterator<Item = Checked>) -> Checked {
        let mut values = values.into_iter();
        let total = match self.rule {
            Rule::Total => values.try_fold(Decimal::ZERO, |sum, v| add(sum, v?))?,
            Rule::PerItem | Rule::PerLine => {
                values.try_fold(Decimal::ZERO, |sum, v| add(sum, self.cents(v?)))?
            }
        };
        Ok(self.cents(total))
    }

    /// A line's price before discounts and taxes, by the rule.
    pub(crate) fn line_total(self, item: &Item) -> Checked {
        let quantity = Decimal::from(item.quantity);
        match self.rule {
            Rule::PerItem => mul(quantity, self.cents(item.unit_price)),
            Rule::PerLine => Ok(self.cents(mul(quantity, item.unit_price)?)),
            Rule::Total => mul(quantity, item.unit_price),
        }
    }

    /// A line's tax rate in percent: its `taxRate`, else the rate its tax implies.
    pub(crate) fn line_rate(self, item: &Item) -> Checked {
        if let Some(rate) = item.ext.tax_rate {
            return Ok(self.round(rate, 2));
        }
        self.implied_rate(item.tax, sub(self.line_total(item)?, item.discount)?)
    }

    /// `tax` as a percentage of `base`, to two decimals; 0 when there is no base.
    pub(crate) fn implied_rate(self, tax: Decimal, base: Decimal) -> Checked {
        // A quotient too large to hold is no rate either, as a base of zero.
        match mul(tax, Decimal::ONE_HUNDRED)?.checked_div(base) {
            Some(rate) if !base.is_zero() => Ok(self.round(rate, 2)),
            _ => Ok(self.round(Decimal::ZERO, 2)),
        }
    }
}

/// `value` with exactly `dp` decimals (zeros added, or digits dropped by `mode`). Zero is
/// never negative.
pub(crate) fn round(value: Decimal, dp: u32, mode: Mode) -> Decimal {
    if value.scale() <= dp {
        // Nothing to drop (most stored amounts have cents at most): the digits as they are,
        // with zeros added. The same answer as below, without its arithmetic (a v10 page
        // rounds some thousand amounts).
        let mut exact = value;
        exact.rescale(dp);
        if exact.is_zero() {
            exact.set_sign_positive(true);
        }
        return exact;
    }
    round_by_arithmetic(value, dp, mode)
}

fn round_by_arithmetic(value: Decimal, dp: u32, mode: Mode) -> Decimal {
    let truncated = value.trunc_with_scale(dp);
    let rest = (value - truncated).abs();
    let mut rounded = if rest.is_zero() {
        truncated
    } else {
        let half = Decimal::new(5, dp + 1);
        let away = match mode {
            Mode::Down => false,
            Mode::HalfUp => rest >= half,
            Mode::HalfDown => rest > half,
            Mode::HalfEven => rest > half || (rest == half && last_digit_is_odd(truncated, dp)),
        };
        if away {
            let unit = Decimal::new(1, dp);
            if value.is_sign_negative() {
                truncated - unit
            } else {
                truncated + unit
            }
        } else {
            truncated
        }
    };
    rounded.rescale(dp);
    if rounded.is_zero() {
        rounded.set_sign_positive(true);
    }
    rounded
}

fn last_digit_is_odd(value: Decimal, dp: u32) -> bool {
    let mut scaled = value;
    scaled.rescale(dp);
    scaled.mantissa() % 2 != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn each_mode_rounds_as_named() {
        let cases = [
            ("2.345", Mode::HalfUp, "2.35"),
            ("2.345", Mode::HalfDown, "2.34"),
            ("2.345", Mode::HalfEven, "2.34"),
            ("2.355", Mode::HalfEven, "2.36"),
            ("2.349", Mode::Down, "2.34"),
            ("-2.345", Mode::HalfUp, "-2.35"),
            ("-2.345", Mode::HalfDown, "-2.34"),
            ("-2.349", Mode::Down, "-2.34"),
            ("2.3451", Mode::HalfDown, "2.35"),
            ("-0.001", Mode::HalfUp, "0.00"),
            ("56.33", Mode::HalfUp, "56.330"),
            ("-0.00", Mode::HalfUp, "0.00"),
            ("7", Mode::HalfEven, "7.00"),
            ("-1.5", Mode::Down, "-1.50"),
        ];
        for (value, mode, expected) in cases {
            let dp = u32::try_from(expected.split('.').nth(1).unwrap().len()).unwrap();
            assert_eq!(
                round(d(value), dp, mode).to_string(),
                expected,
                "{value} {mode:?}"
            );
        }
    }

    #[test]
    fn values_with_no_digit_to_drop_round_as_by_arithmetic() {
        let modes = [Mode::Down, Mode::HalfUp, Mode::HalfDown, Mode::HalfEven];
        for mantissa in [
            -100_001_i64,
            -2_345,
            -1,
            0,
            1,
            5,
            99,
            2_345,
            7_000_000_000_000,
        ] {
            for scale in 0..=4 {
                for dp in scale..=6 {
                    for mode in modes {
                        let value = Decimal::new(mantissa, scale);
                        let fast = round(value, dp, mode);
                        let slow = round_by_arithmetic(value, dp, mode);
                        assert_eq!(fast.to_string(), slow.to_string(), "{value} {dp} {mode:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn settle_rounds_per_line_or_once() {
        let values = [d("0.004"), d("0.004"), d("0.004")];
        let per_line = Rounding {
            mode: Mode::HalfUp,
            rule: Rule::PerLine,
        };
        let total = Rounding {
            mode: Mode::HalfUp,
            rule: Rule::Total,
        };
        assert_eq!(per_line.settle(values.map(Ok)).unwrap().to_string(), "0.00");
        assert_eq!(total.settle(values.map(Ok)).unwrap().to_string(), "0.01");
    }

    #[test]
    fn implied_rates_are_two_decimals() {
        let r = Rounding::DEFAULT;
        assert_eq!(
            r.implied_rate(d("10.79"), d("154.09")).unwrap().to_string(),
            "7.00"
        );
        assert_eq!(r.implied_rate(d("1"), d("0")).unwrap().to_string(), "0.00");
    }
}
