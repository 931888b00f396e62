//! Demo data: a reproducible, realistic stream of documents of every kind and every link, with
//! payments, shipments, notes, returns and vendor documents, for `ordo serve --demo`, load tests
//! and tests.
//!
//! One seeded ChaCha stream drives everything, so a seed and a size name one data set. The
//! stream is made one customer order at a time (the quote before it; its returns, replacement
//! and vendor documents after it), so memory stays flat however many orders are asked for.
#![forbid(unsafe_code)]

use std::collections::VecDeque;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_decimal::{Decimal, RoundingStrategy};

use ordo_model::{
    ActionTypeCode, Address, Document, Item, Kind, Links, Note, Payment, PaymentMethod, Shipment,
    ShipmentPackage, Timestamp, UnitOfMeasure, User,
};

/// How much demo data to make, and from which seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DemoConfig {
    pub seed: u64,
    /// Documents of kind [`Kind::Order`], replacement orders included; the other kinds come in
    /// proportion to it.
    pub orders: usize,
    pub customers: usize,
}

impl DemoConfig {
    /// About 40 orders per customer, at least 3 customers and at most 5000.
    pub fn new(seed: u64, orders: usize) -> Self {
        DemoConfig {
            seed,
            orders,
            customers: (orders / 40).clamp(3, 5000),
        }
    }
}

/// Streams the demo data set: exactly `config.orders` orders, with per customer order about
/// 0.25 quotes (most converted), 0.1 returns, 0.02 replacements and 0.125 vendor orders (some
/// with vendor quotes, vendor returns and vendor replacements). A parent usually comes before
/// its children; now and then a group comes in reverse, as real imports sometimes do.
pub fn generate(config: &DemoConfig) -> impl Iterator<Item = Document> + use<> {
    Generator::new(config)
}

mod details;
mod returns;
mod tables;
#[cfg(test)]
mod tests;
mod vendor;

pub use tables::STATUSES;
use tables::*;

struct Ids {
    quote: u64,
    order: u64,
    ret: u64,
    vendor_quote: u64,
    vendor_order: u64,
    vendor_return: u64,
    item: u64,
    payment: u64,
    note: u64,
    package: u64,
}

fn take(counter: &mut u64) -> String {
    let id = *counter;
    *counter += 1;
    id.to_string()
}

/// One order line before it becomes an [`Item`]: what the quote, the order, its return and
/// the vendor order share.
#[derive(Clone, Copy)]
struct Line {
    product: usize,
    quantity: i64,
    unit_price: Decimal,
    discount: Decimal,
}

/// The customer side of one customer order.
struct Buyer {
    customer_id: String,
    billing: Address,
    shipping: Address,
    /// Sales tax of the ship-to state.
    rate: Decimal,
    channel: &'static str,
    sales_rep: Option<User>,
}

/// How an order ships and what that costs; a converted quote and its order share them.
#[derive(Clone, Copy)]
struct Terms {
    method: &'static ShipMethod,
    price: Decimal,
    tax: Decimal,
    discount: Decimal,
    handling: Decimal,
}

impl Terms {
    fn apply(&self, doc: &mut Document) {
        self.method.name.clone_into(&mut doc.shipping_method);
        doc.shipping_price = self.price;
        doc.shipping_tax = self.tax;
        doc.shipping_discount = self.discount;
        doc.handling_fee = self.handling;
    }
}

enum PaymentKind {
    Charge,
    /// A refund, of the charge it names when known.
    Refund(Option<String>),
}

/// What the children of an order need to know about it.
struct Placed {
    id: String,
    at: i64,
    cancelled: bool,
    shipped_at: Option<i64>,
    /// The charge a refund points back to, and how it was paid.
    charge: Option<(String, Method)>,
}

struct Generator {
    rng: ChaCha8Rng,
    seed: u64,
    orders: usize,
    customers: usize,
    /// Orders made so far; an order's slot places it on the 2020..2024 timeline.
    slot: usize,
    ids: Ids,
    /// Product page and image of each catalogue entry, built once.
    pages: Vec<(String, String)>,
    pending: VecDeque<Document>,
}

impl Iterator for Generator {
    type Item = Document;

    fn next(&mut self) -> Option<Document> {
        if self.pending.is_empty() {
            if self.slot >= self.orders {
                return None;
            }
            self.group();
        }
        self.pending.pop_front()
    }
}

impl Generator {
    fn new(config: &DemoConfig) -> Generator {
        let pages = CATALOGUE
            .iter()
            .map(|p| {
                let mut slug = String::with_capacity(p.name.len() + p.mpn.len() + 24);
                for ch in p.name.chars().chain(" ".chars()).chain(p.mpn.chars()) {
                    if ch.is_ascii_alphanumeric() {
                        slug.push(ch.to_ascii_lowercase());
                    } else if !slug.ends_with('-') {
                        slug.push('-');
                    }
                }
                let url = format!("{SHOP}/{slug}-product-{}.html", p.id);
                let image = format!("{STATIC}/{}/original/{}.jpg", p.id, p.mpn.to_lowercase());
                (url, image)
            })
            .collect();
        Generator {
            rng: ChaCha8Rng::seed_from_u64(config.seed),
            seed: config.seed,
            orders: config.orders,
            customers: config.customers.max(1),
            slot: 0,
            ids: Ids {
                quote: QUOTE_BASE,
                order: ORDER_BASE,
                ret: RETURN_BASE,
                vendor_quote: VENDOR_QUOTE_BASE,
                vendor_order: VENDOR_ORDER_BASE,
                vendor_return: VENDOR_RETURN_BASE,
                item: 2_000_000,
                payment: 500_000,
                note: 90_000,
                package: 800_000,
            },
            pages,
            pending: VecDeque::new(),
        }
    }

    /// One customer order with everything that hangs off it, into `pending`.
    fn group(&mut self) {
        let slot = self.slot;
        self.slot += 1;
        let at = self.slot_time(slot);
        let buyer = self.buyer();

        if matches!(buyer.channel, WEB | PHONE) && self.rng.random_bool(0.06) {
            self.lost_quote(&buyer, at);
        }
        let lines = self.lines();
        let terms = self.terms(&lines, buyer.channel, buyer.rate);
        // Marketplace orders never start as a quote; phone orders often do.
        let quote_chance = match buyer.channel {
            PHONE => 0.4,
            WEB => 0.22,
            _ => 0.0,
        };
        let mut parent_quote = None;
        if self.rng.random_bool(quote_chance) {
            let quote_at = at - self.rng.random_range(2 * HOUR..14 * DAY);
            if quote_at >= START {
                parent_quote = Some(self.quote(&buyer, quote_at, &lines, terms, Some(at)));
            }
        }
        let order = self.order(&buyer, at, &lines, terms, parent_quote);

        if !order.cancelled && self.rng.random_bool(0.125) {
            self.vendor_chain(&buyer, &order, &lines);
        }
        if order.shipped_at.is_some() && self.rng.random_bool(0.11) {
            self.customer_return(&buyer, &order, &lines);
        }
        // Imports do not always come parent first: now and then a group arrives backwards.
        if self.pending.len() > 1 && self.rng.random_bool(0.02) {
            self.pending.make_contiguous().reverse();
        }
    }

    /// Spreads the orders evenly over the history, so ids grow with time as a real shop's do.
    fn slot_time(&mut self, slot: usize) -> i64 {
        let span = i128::from(END - START);
        let n = self.orders as i128;
        let from = START + (slot as i128 * span / n) as i64;
        let to = START + ((slot as i128 + 1) * span / n) as i64;
        self.rng.random_range(from..=to)
    }

    /// Customer rank r with probability ~ 1/sqrt(r): the top 1% place about a tenth of the
    /// orders, and every customer places some.
    fn customer_rank(&mut self) -> usize {
        let u: f64 = self.rng.random();
        ((self.customers as f64 * u * u) as usize).min(self.customers - 1)
    }

    /// A customer's identity comes from a hash of the seed and its rank, not from the stream,
    /// so that it stays the same on each of its orders without keeping a table.
    fn buyer(&mut self) -> Buyer {
        let rank = self.customer_rank();
        let mut state = self.seed ^ (rank as u64 + 1).wrapping_mul(0xD1B5_4A32_D192_ED03);
        let mut pick = |n: usize| (splitmix(&mut state) % n as u64) as usize;
        let first = FIRST_NAMES[pick(FIRST_NAMES.len())];
        let last = LAST_NAMES[pick(LAST_NAMES.len())];
        let business = pick(100) < 35;
        let company = COMPANIES[pick(COMPANIES.len())];
        let city = &CITIES[pick(CITIES.len())];
        let street_no = 100 + pick(9800);
        let street = STREETS[pick(STREETS.len())];
        let unit = (pick(100) < 15).then(|| UNITS[pick(UNITS.len())]);
        let zip = pick(100);
        let phone = format!("{}55501{:02}", city.area, pick(100));
        let mailbox = pick(1000);
        let domain = EMAIL_DOMAINS[pick(EMAIL_DOMAINS.len())];
        let preferred = match (business, pick(100)) {
            (true, 0..50) | (false, 0..55) => WEB,
            (true, _) => PHONE,
            (false, 55..78) => AMAZON,
            (false, _) => WALMART,
        };
        let rep = (business && pick(100) < 70).then(|| STAFF[pick(STAFF.len())]);
        let customer_id = (100_000 + rank * 97 + pick(97)).to_string();

        let channel = if self.rng.random_bool(0.8) {
            preferred
        } else {
            [WEB, WEB, PHONE, AMAZON, WALMART][self.rng.random_range(0..5)]
        };
        let email = match channel {
            AMAZON => format!(
                "{:016x}@marketplace.amazon.example",
                self.rng.random::<u64>()
            ),
            WALMART => format!(
                "{}{}{mailbox}@relay.walmart.example",
                first.to_ascii_lowercase(),
                last.to_ascii_lowercase()
            ),
            _ => format!(
                "{}.{}{mailbox}@{domain}",
                first.to_ascii_lowercase(),
                last.to_ascii_lowercase()
            ),
        };
        let billing = Address {
            first_name: first.to_owned(),
            last_name: last.to_owned(),
            company: Some(if business { company } else { "" }.to_owned()),
            phone: Some(phone),
            alt_phone: Some(String::new()),
            fax: Some(String::new()),
            zip: format!("{}{zip:02}", city.zip3),
            country: "United States".to_owned(),
            state: city.state.to_owned(),
            city: city.name.to_owned(),
            address1: format!("{street_no} {street}"),
            address2: Some(unit.unwrap_or("").to_owned()),
            email: Some(email),
            ext: Box::default(),
        };
        // Most ship to the billing address; contractors sometimes to a job site elsewhere.
        let (shipping, tax) = if self.rng.random_bool(0.85) {
            (billing.clone(), city.tax)
        } else {
            let site = &CITIES[self.rng.random_range(0..CITIES.len())];
            let address = Address {
                zip: format!("{}{:02}", site.zip3, self.rng.random_range(0..100)),
                state: site.state.to_owned(),
                city: site.name.to_owned(),
                address1: format!(
                    "{} {}",
                    self.rng.random_range(100..9900),
                    STREETS[self.rng.random_range(0..STREETS.len())]
                ),
                address2: Some(String::new()),
                ..billing.clone()
            };
            (address, site.tax)
        };
        Buyer {
            customer_id,
            billing,
            shipping,
            rate: Decimal::new(tax, 4),
            channel,
            sales_rep: rep.map(user),
        }
    }

    /// About five lines (1..=9) of distinct products, popular products more often.
    fn lines(&mut self) -> Vec<Line> {
        let n = self.rng.random_range(1..=5) + self.rng.random_range(0..=4);
        let mut lines: Vec<Line> = Vec::with_capacity(n);
        while lines.len() < n {
            let u: f64 = self.rng.random();
            let rank = ((CATALOGUE.len() as f64 * u * u) as usize).min(CATALOGUE.len() - 1);
            // Popularity follows a fixed shuffle of the catalogue, not its order.
            let product = (rank * 23 + 5) % CATALOGUE.len();
            if lines.iter().any(|l| l.product == product) {
                continue;
            }
            let p = &CATALOGUE[product];
            let quantity = if p.cents < 100 {
                5 * self.rng.random_range(2..=20)
            } else {
                match self.rng.random_range(0..100) {
                    0..70 => 1,
                    70..88 => 2,
                    88..97 => self.rng.random_range(3..=6),
                    _ => self.rng.random_range(8..=24),
                }
            };
            let unit_price = Decimal::new(p.cents, 2);
            let discount = if self.rng.random_bool(0.08) {
                let percent = [5, 10, 15][self.rng.random_range(0..3)];
                money(unit_price * Decimal::from(quantity) * Decimal::new(percent, 2))
            } else {
                zero()
            };
            lines.push(Line {
                product,
                quantity,
                unit_price,
                discount,
            });
        }
        lines
    }

    fn items(&mut self, lines: &[Line], rate: Decimal) -> Vec<Item> {
        let mut items = Vec::with_capacity(lines.len());
        for (position, line) in (1..).zip(lines) {
            let p = &CATALOGUE[line.product];
            let net = line.unit_price * Decimal::from(line.quantity) - line.discount;
            let (url, image) = &self.pages[line.product];
            items.push(Item {
                item_id: take(&mut self.ids.item),
                product_id: p.id.to_owned(),
                unit_price: line.unit_price,
                quantity: line.quantity,
                line_position: position,
                unit_weight: Some(Decimal::new(p.weight, 2)),
                tax: money(net * rate),
                discount: line.discount,
                mpn: Some(p.mpn.to_owned()),
                item_name: Some(p.name.to_owned()),
                product_image: Some(image.clone()),
                product_url: Some(url.clone()),
                unit_of_measure: p.uom.map(|(id, name)| UnitOfMeasure {
                    id: id.to_owned(),
                    name: Some(name.to_owned()),
                }),
                ext: Box::default(),
            });
        }
        items
    }

    /// Shipping method, price, tax, discount and handling fee, from weight, subtotal and channel.
    fn terms(&mut self, lines: &[Line], channel: &str, rate: Decimal) -> Terms {
        let pounds: i64 = lines
            .iter()
            .map(|l| CATALOGUE[l.product].weight * l.quantity)
            .sum::<i64>()
            / 100;
        let subtotal: Decimal = lines
            .iter()
            .map(|l| l.unit_price * Decimal::from(l.quantity) - l.discount)
            .sum();
        let marketplace = matches!(channel, AMAZON | WALMART);
        let method = if pounds > 250 {
            &FREIGHT
        } else if !marketplace && subtotal >= Decimal::new(19900, 2) && self.rng.random_bool(0.35) {
            &FREE
        } else {
            match self.rng.random_range(0..100) {
                0..78 => &GROUND,
                78..94 => &TWO_DAY,
                _ if marketplace => &TWO_DAY,
                _ => &NEXT_DAY,
            }
        };
        let cents = if method.base == 0 {
            0
        } else {
            (method.base + method.per_lb * pounds + self.rng.random_range(0..300)).min(49_999)
        };
        let price = Decimal::new(cents, 2);
        // A free-shipping coupon: the price shows, and is taken off again.
        let coupon = cents > 0 && method.name == GROUND.name && self.rng.random_bool(0.04);
        let handling = if method.name == FREIGHT.name && self.rng.random_bool(0.5) {
            Decimal::new(2500, 2) // liftgate
        } else if subtotal < Decimal::new(2500, 2) {
            Decimal::new(399, 2) // small-order fee
        } else {
            zero()
        };
        Terms {
            method,
            price,
            tax: money(price * rate),
            discount: if coupon { price } else { zero() },
            handling,
        }
    }

    fn customer_doc(&mut self, kind: Kind, id: String, buyer: &Buyer, at: i64) -> Document {
        let mut doc = blank(kind, id, buyer.customer_id.clone(), at);
        doc.shopping_cart_id = Some(self.cart_id());
        doc.channel = Some(buyer.channel.to_owned());
        doc.customer_notes = match self.rng.random_range(0..100) {
            0..70 => Some(String::new()),
            70..90 => None,
            _ => Some(CUSTOMER_NOTES[self.rng.random_range(0..CUSTOMER_NOTES.len())].to_owned()),
        };
        doc.billing = Some(buyer.billing.clone());
        doc.shipping = Some(buyer.shipping.clone());
        doc.sales_rep.clone_from(&buyer.sales_rep);
        if buyer.channel == PHONE {
            doc.created_by = Some(self.staff());
        }
        doc
    }

    /// A quote; `converted_at` is when it became an order, if it did.
    fn quote(
        &mut self,
        buyer: &Buyer,
        at: i64,
        lines: &[Line],
        terms: Terms,
        converted_at: Option<i64>,
    ) -> String {
        let id = take(&mut self.ids.quote);
        let mut doc = self.customer_doc(Kind::Quote, id.clone(), buyer, at);
        doc.items = self.items(lines, buyer.rate);
        terms.apply(&mut doc);
        doc.total = Some(total_of(&doc));
        let expires_at = at + 30 * DAY;
        let (status, mut last) = match converted_at {
            Some(converted_at) => (QUOTE_ACCEPTED, converted_at),
            None if expires_at > END => (QUOTE_SENT, at),
            None if self.rng.random_bool(0.7) => (QUOTE_EXPIRED, expires_at),
            None => (
                QUOTE_DECLINED,
                at + self.rng.random_range(DAY..expires_at - at),
            ),
        };
        set_status(&mut doc, status);
        self.maybe_notes(&mut doc, &mut last);
        self.settle(&mut doc, last);
        self.pending.push_back(doc);
        id
    }

    /// A quote that never became an order.
    fn lost_quote(&mut self, buyer: &Buyer, at: i64) {
        let quote_at = at - self.rng.random_range(HOUR..3 * DAY);
        if quote_at < START {
            return;
        }
        let lines = self.lines();
        let terms = self.terms(&lines, buyer.channel, buyer.rate);
        self.quote(buyer, quote_at, &lines, terms, None);
    }

    fn order(
        &mut self,
        buyer: &Buyer,
        at: i64,
        lines: &[Line],
        terms: Terms,
        quote: Option<String>,
    ) -> Placed {
        let id = take(&mut self.ids.order);
        let mut doc = self.customer_doc(Kind::Order, id.clone(), buyer, at);
        doc.links.parent_quote_id = quote;
        doc.items = self.items(lines, buyer.rate);
        terms.apply(&mut doc);
        let total = total_of(&doc);
        doc.total = Some(total);

        let pay_method = match buyer.channel {
            AMAZON => AMAZON_PAY,
            WALMART => WALMART_PAY,
            WEB => [
                CARD, CARD, CARD, CARD, CARD, CARD, CARD, PAYPAL, PAYPAL, GOOGLE,
            ][self.rng.random_range(0..10)],
            _ => [CARD, CARD, CARD, NET_30, NET_30, CHECK][self.rng.random_range(0..6)],
        };
        let mut last = at;
        let ship_at = at + self.rng.random_range(3 * HOUR..4 * DAY);
        let cancelled = self.rng.random_bool(0.03);
        let young = ship_at > END;
        let young_status = [
            NEW_ORDER,
            NEW_ORDER,
            PROCESSING,
            BACKORDERED,
            AWAITING_PAYMENT,
        ][self.rng.random_range(0..5)];
        // Cards and marketplaces pay at checkout; terms and checks pay later, if at all yet.
        let pay_at = match pay_method {
            NET_30 => ship_at + 30 * DAY,
            CHECK => at + self.rng.random_range(2 * DAY..10 * DAY),
            _ => at + self.rng.random_range(5..600),
        };
        let paid = pay_at <= END && !(young && young_status == AWAITING_PAYMENT);
        let charge = if paid && !(cancelled && matches!(pay_method, NET_30 | CHECK)) {
            let by_staff = buyer.channel == PHONE;
            let payment = self.payment(total, pay_at, pay_method, PaymentKind::Charge, by_staff);
            last = last.max(pay_at);
            let charge = (payment.payment_id.clone(), pay_method);
            doc.payments.push(payment);
            Some(charge)
        } else {
            None
        };

        let mut shipped_at = None;
        let status = if cancelled {
            let cancel_at = (at + self.rng.random_range(HOUR..2 * DAY)).min(END);
            last = last.max(cancel_at);
            if let Some((charge_id, _)) = &charge {
                let refund_at = cancel_at.max(pay_at);
                let kind = PaymentKind::Refund(Some(charge_id.clone()));
                let refund =
                    self.payment(total, refund_at, pay_method, kind, buyer.channel == PHONE);
                last = last.max(refund_at);
                doc.payments.push(refund);
            }
            doc.notes
                .push(self.note(cancel_at, Some(ActionTypeCode::Cancel), CANCEL_NOTE));
            CANCELLED
        } else if young {
            young_status
        } else {
            shipped_at = Some(ship_at);
            last = last.max(ship_at);
            doc.shipments.push(self.shipment(
                ship_at,
                terms.method,
                doc.shipping_price,
                doc.items.len(),
            ));
            let delivered_at = ship_at + self.rng.random_range(DAY..6 * DAY);
            if charge.is_some() && total > Decimal::new(2000, 2) && self.rng.random_bool(0.03) {
                // A price adjustment after the fact: part of the charge goes back.
                let refund_at = (ship_at + self.rng.random_range(2 * DAY..20 * DAY)).min(END);
                let part = money(total * Decimal::new(self.rng.random_range(5..20), 2));
                let kind = PaymentKind::Refund(charge.as_ref().map(|(id, _)| id.clone()));
                let refund = self.payment(part, refund_at, pay_method, kind, false);
                last = last.max(refund_at);
                doc.payments.push(refund);
            }
            if charge.is_none() {
                SHIPPED_UNPAID
            } else if delivered_at <= END && self.rng.random_bool(0.25) {
                last = last.max(delivered_at);
                DELIVERED
            } else {
                SHIPPED_PAID
            }
        };
        set_status(&mut doc, status);
        self.maybe_notes(&mut doc, &mut last);
        self.settle(&mut doc, last);
        self.pending.push_back(doc);
        Placed {
            id,
            at,
            cancelled,
            shipped_at,
            charge,
        }
    }
}

/// The contract's total: every line's price × quantity + tax − discount, plus shipping and its
/// tax, less the shipping discount, plus the handling fee.
fn total_of(doc: &Document) -> Decimal {
    let lines: Decimal = doc
        .items
        .iter()
        .map(|i| i.unit_price * Decimal::from(i.quantity) + i.tax - i.discount)
        .sum();
    lines + doc.shipping_price + doc.shipping_tax - doc.shipping_discount + doc.handling_fee
}

fn blank(kind: Kind, id: String, customer_id: String, at: i64) -> Document {
    Document {
        kind,
        id,
        links: Links::default(),
        shipping_type: None,
        shopping_cart_id: None,
        created_at: ts(at),
        updated_at: ts(at),
        total: None,
        currency: "USD".to_owned(),
        status: String::new(),
        status_id: String::new(),
        customer_id,
        customer_notes: None,
        channel: None,
        shipping_method: String::new(),
        shipping_price: zero(),
        shipping_tax: zero(),
        shipping_discount: zero(),
        handling_fee: zero(),
        created_by: None,
        sales_rep: None,
        vendor: None,
        billing: None,
        shipping: None,
        items: Vec::new(),
        notes: Vec::new(),
        payments: Vec::new(),
        shipments: Vec::new(),
        ext: Box::default(),
    }
}

fn set_status(doc: &mut Document, (id, name): Status) {
    id.clone_into(&mut doc.status_id);
    name.clone_into(&mut doc.status);
}

/// Where vendor documents are billed, and where "Coming in House" goods arrive.
fn warehouse() -> Address {
    Address {
        first_name: "Receiving".to_owned(),
        last_name: "Dock".to_owned(),
        company: Some("Ordo Demo Hardware".to_owned()),
        phone: Some("5615550100".to_owned()),
        alt_phone: None,
        fax: Some("5615550101".to_owned()),
        zip: "33431".to_owned(),
        country: "United States".to_owned(),
        state: "FL".to_owned(),
        city: "Boca Raton".to_owned(),
        address1: "1200 Distribution Way".to_owned(),
        address2: None,
        email: Some("purchasing@ordo-hardware.example".to_owned()),
        ext: Box::default(),
    }
}

/// What the shop pays its supplier: 55..79% of the shelf price, fixed per product.
fn cost_line(line: Line) -> Line {
    let p = &CATALOGUE[line.product];
    let percent = 55 + (p.cents % 25);
    Line {
        unit_price: Decimal::new((p.cents * percent / 100).max(1), 2),
        discount: zero(),
        ..line
    }
}

/// A line given away in full: the discount is the whole price, so no tax either.
fn free_line(line: Line) -> Line {
    Line {
        discount: line.unit_price * Decimal::from(line.quantity),
        ..line
    }
}

fn user((id, name): (&str, &str)) -> User {
    User {
        id: id.to_owned(),
        name: Some(name.to_owned()),
    }
}

/// Money to the cent, half away from zero as tax is rounded, always written with two places.
fn money(amount: Decimal) -> Decimal {
    let mut cents = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    cents.rescale(2);
    cents
}

fn zero() -> Decimal {
    Decimal::new(0, 2)
}

fn ts(seconds: i64) -> Timestamp {
    Timestamp::from_unix(seconds).expect("demo times lie within 2020..=2024")
}

/// SplitMix64: a cheap, well-mixed hash step for per-customer attributes.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
