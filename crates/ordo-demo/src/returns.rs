//! What follows an order: customer returns (RMAs) and free replacement orders.

use super::*;

impl Generator {
    pub(super) fn customer_return(&mut self, buyer: &Buyer, order: &Placed, lines: &[Line]) {
        let Some(shipped_at) = order.shipped_at else {
            return;
        };
        let at = shipped_at + self.rng.random_range(3 * DAY..40 * DAY);
        if at > END {
            return;
        }
        let returned = self.some_of(lines, |line, quantity| Line {
            quantity,
            discount: money(line.discount * Decimal::from(quantity) / Decimal::from(line.quantity)),
            ..*line
        });
        let id = take(&mut self.ids.ret);
        let mut doc = self.customer_doc(Kind::Return, id.clone(), buyer, at);
        doc.links.parent_order_id = Some(order.id.clone());
        doc.items = self.items(&returned, buyer.rate);
        doc.shipping_method = RETURN_LABEL.name.to_owned();
        let total = total_of(&doc);
        let status = if END - at < 2 * DAY {
            RMA_REQUESTED
        } else {
            [
                RMA_RECEIVED,
                RMA_RECEIVED,
                RMA_RECEIVED,
                RMA_COMPLETED,
                RMA_COMPLETED,
            ][self.rng.random_range(0..5)]
        };
        let status = if status == RMA_COMPLETED && self.rng.random_bool(0.1) {
            RMA_DENIED
        } else {
            status
        };
        set_status(&mut doc, status);
        // Reference 000 shows received returns without a total: not yet invoiced.
        doc.total = (status != RMA_RECEIVED || self.rng.random_bool(0.5)).then_some(total);
        let mut last = at;
        let back_at = at + self.rng.random_range(DAY..6 * DAY);
        let received = matches!(status, RMA_RECEIVED | RMA_COMPLETED | RMA_DENIED);
        if received && back_at <= END && self.rng.random_bool(0.6) {
            doc.shipments
                .push(self.shipment(back_at, &RETURN_LABEL, zero(), doc.items.len()));
            last = last.max(back_at);
        }
        if status == RMA_COMPLETED {
            let refund_at = (back_at + self.rng.random_range(HOUR..5 * DAY)).min(END);
            let (original, method) = match &order.charge {
                Some((id, method)) => (Some(id.clone()), *method),
                None => (None, CHECK),
            };
            let refund = self.payment(
                total,
                refund_at,
                method,
                PaymentKind::Refund(original),
                true,
            );
            doc.payments.push(refund);
            last = last.max(refund_at);
        }
        self.maybe_notes(&mut doc, &mut last);
        self.settle(&mut doc, last);
        self.pending.push_back(doc);

        if received && status != RMA_DENIED && self.slot < self.orders && self.rng.random_bool(0.2)
        {
            self.replacement(buyer, &order.id, &id, at, &returned);
        }
    }

    /// A no-charge replacement order for returned goods; it takes the next order slot.
    pub(super) fn replacement(
        &mut self,
        buyer: &Buyer,
        order_id: &str,
        return_id: &str,
        at: i64,
        lines: &[Line],
    ) {
        self.slot += 1;
        let at = (at + self.rng.random_range(HOUR..3 * DAY)).min(END);
        let free: Vec<Line> = lines.iter().map(|l| free_line(*l)).collect();
        let id = take(&mut self.ids.order);
        let mut doc = self.customer_doc(Kind::Order, id, buyer, at);
        doc.links.replacement_for_order_id = Some(order_id.to_owned());
        doc.items = self.items(&free, Decimal::ZERO);
        doc.shipping_method = GROUND.name.to_owned();
        doc.total = Some(total_of(&doc));
        let message = format!("No-charge replacement for RMA {return_id}.");
        doc.notes
            .push(self.note(at, Some(ActionTypeCode::Order), &message));
        let ship_at = at + self.rng.random_range(3 * HOUR..3 * DAY);
        let mut last = at;
        let status = if ship_at <= END {
            doc.shipments
                .push(self.shipment(ship_at, &GROUND, zero(), doc.items.len()));
            last = ship_at;
            SHIPPED_PAID
        } else {
            PROCESSING
        };
        set_status(&mut doc, status);
        self.settle(&mut doc, last);
        self.pending.push_back(doc);
    }
}
