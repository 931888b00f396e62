//! The vendor side of a customer order: vendor quotes, orders (drop-ship or in-house) and
//! vendor returns.

use super::*;

impl Generator {
    /// The purchase side: the items of one supplier in the order, bought at cost.
    pub(super) fn vendor_chain(&mut self, buyer: &Buyer, order: &Placed, lines: &[Line]) {
        let at = order.at + self.rng.random_range(HOUR..2 * DAY);
        if at > END {
            return;
        }
        let vendor = CATALOGUE[lines[self.rng.random_range(0..lines.len())].product].vendor;
        let bought: Vec<Line> = lines
            .iter()
            .filter(|l| CATALOGUE[l.product].vendor == vendor)
            .map(|l| cost_line(*l))
            .collect();
        let dropship = self.rng.random_bool(0.6);

        if self.rng.random_bool(0.08) {
            // Asked another supplier for a price too, and bought elsewhere.
            let asked_at = at - self.rng.random_range(HOUR..2 * DAY);
            let other = (vendor + self.rng.random_range(1..VENDORS.len())) % VENDORS.len();
            if asked_at >= START {
                self.vendor_quote(buyer, asked_at, other, &bought, None);
            }
        }
        let mut quote = None;
        if self.rng.random_bool(0.3) {
            let quote_at = at - self.rng.random_range(DAY..5 * DAY);
            if quote_at >= START {
                quote = Some(self.vendor_quote(buyer, quote_at, vendor, &bought, Some(at)));
            }
        }
        let links = Links {
            parent_quote_id: quote,
            customer_order_id: Some(order.id.clone()),
            ..Links::default()
        };
        let (vendor_order, shipped_at) =
            self.vendor_order(buyer, at, vendor, &bought, dropship, links);
        let Some(shipped_at) = shipped_at else {
            return;
        };
        if !self.rng.random_bool(0.1) {
            return;
        }
        let return_at = shipped_at + self.rng.random_range(5 * DAY..30 * DAY);
        if return_at > END {
            return;
        }
        let sent_back = self.some_of(&bought, |line, quantity| Line { quantity, ..*line });
        let replaced = self.vendor_return(buyer, return_at, vendor, &sent_back, &vendor_order);
        if replaced && self.rng.random_bool(0.8) {
            let again_at = (return_at + self.rng.random_range(DAY..5 * DAY)).min(END);
            let free: Vec<Line> = sent_back.iter().map(|l| free_line(*l)).collect();
            let links = Links {
                replacement_for_order_id: Some(vendor_order),
                customer_order_id: Some(order.id.clone()),
                ..Links::default()
            };
            self.vendor_order(buyer, again_at, vendor, &free, dropship, links);
        }
    }

    pub(super) fn vendor_doc(
        &mut self,
        kind: Kind,
        id: String,
        buyer: &Buyer,
        at: i64,
        vendor: usize,
        lines: &[Line],
    ) -> Document {
        let mut doc = blank(kind, id, buyer.customer_id.clone(), at);
        doc.vendor = Some(user(VENDORS[vendor]));
        doc.created_by = Some(self.staff());
        doc.billing = Some(warehouse());
        doc.shipping = Some(warehouse());
        doc.items = self.items(lines, Decimal::ZERO);
        doc.shipping_method = VENDOR_GROUND.name.to_owned();
        doc
    }

    /// A supplier's quote; `ordered_at` is when it became a vendor order, if it did.
    pub(super) fn vendor_quote(
        &mut self,
        buyer: &Buyer,
        at: i64,
        vendor: usize,
        lines: &[Line],
        ordered_at: Option<i64>,
    ) -> String {
        let id = take(&mut self.ids.vendor_quote);
        let mut doc = self.vendor_doc(Kind::VendorQuote, id.clone(), buyer, at, vendor, lines);
        doc.total = Some(total_of(&doc));
        let answered_at = at + self.rng.random_range(HOUR..3 * DAY);
        let (status, mut last) = match ordered_at {
            Some(ordered_at) => (VQ_ACCEPTED, ordered_at),
            None if answered_at <= END && self.rng.random_bool(0.6) => (VQ_RECEIVED, answered_at),
            None => (VQ_REQUESTED, at),
        };
        set_status(&mut doc, status);
        self.maybe_notes(&mut doc, &mut last);
        self.settle(&mut doc, last);
        self.pending.push_back(doc);
        id
    }

    /// Returns the vendor order's id and, when the goods left the vendor, when.
    pub(super) fn vendor_order(
        &mut self,
        buyer: &Buyer,
        at: i64,
        vendor: usize,
        lines: &[Line],
        dropship: bool,
        links: Links,
    ) -> (String, Option<i64>) {
        let id = take(&mut self.ids.vendor_order);
        let mut doc = self.vendor_doc(Kind::VendorOrder, id.clone(), buyer, at, vendor, lines);
        doc.links = links;
        if dropship {
            doc.shipping_type = Some("Dropship".to_owned());
            doc.shipping = Some(buyer.shipping.clone());
        } else {
            doc.shipping_type = Some("Coming in House".to_owned());
            if self.rng.random_bool(0.4) {
                doc.shipping_method = FREIGHT.name.to_owned();
                doc.shipping_price = Decimal::new(self.rng.random_range(995..4500), 2);
            }
        }
        let total = total_of(&doc);
        doc.total = Some(total);
        let mut last = at;
        let ship_at = at + self.rng.random_range(DAY..7 * DAY);
        let mut shipped_at = None;
        let status = if ship_at > END {
            [PO_SENT, PO_CONFIRMED][self.rng.random_range(0..2)]
        } else if self.rng.random_bool(0.05) {
            last = (at + self.rng.random_range(HOUR..DAY)).min(END);
            PO_CANCELLED
        } else {
            shipped_at = Some(ship_at);
            last = ship_at;
            doc.shipments.push(self.shipment(
                ship_at,
                &VENDOR_GROUND,
                doc.shipping_price,
                doc.items.len(),
            ));
            let received_at = ship_at + self.rng.random_range(DAY..5 * DAY);
            if received_at <= END && self.rng.random_bool(0.7) {
                last = received_at;
                let paid_at = received_at + 30 * DAY;
                if paid_at <= END && total > Decimal::ZERO && self.rng.random_bool(0.5) {
                    let payment = self.payment(total, paid_at, NET_30, PaymentKind::Charge, true);
                    doc.payments.push(payment);
                    last = paid_at;
                }
                PO_RECEIVED
            } else {
                PO_SHIPPED
            }
        };
        set_status(&mut doc, status);
        self.maybe_notes(&mut doc, &mut last);
        self.settle(&mut doc, last);
        self.pending.push_back(doc);
        (id, shipped_at)
    }

    /// Returns whether the vendor has the goods back without crediting them: it replaces them.
    pub(super) fn vendor_return(
        &mut self,
        buyer: &Buyer,
        at: i64,
        vendor: usize,
        lines: &[Line],
        vendor_order: &str,
    ) -> bool {
        let id = take(&mut self.ids.vendor_return);
        let mut doc = self.vendor_doc(Kind::VendorReturn, id, buyer, at, vendor, lines);
        doc.links.parent_order_id = Some(vendor_order.to_owned());
        let total = total_of(&doc);
        doc.total = Some(total);
        let mut last = at;
        let sent_at = at + self.rng.random_range(DAY..4 * DAY);
        let status = if sent_at > END {
            VRMA_REQUESTED
        } else {
            doc.shipments
                .push(self.shipment(sent_at, &RETURN_LABEL, zero(), doc.items.len()));
            last = sent_at;
            let credit_at = sent_at + self.rng.random_range(5 * DAY..20 * DAY);
            if credit_at <= END && self.rng.random_bool(0.55) {
                let credit = self.payment(
                    total,
                    credit_at,
                    VENDOR_CREDIT,
                    PaymentKind::Refund(None),
                    false,
                );
                doc.payments.push(credit);
                last = credit_at;
                VRMA_CREDITED
            } else {
                VRMA_SHIPPED
            }
        };
        set_status(&mut doc, status);
        self.maybe_notes(&mut doc, &mut last);
        self.settle(&mut doc, last);
        self.pending.push_back(doc);
        status == VRMA_SHIPPED
    }
}
