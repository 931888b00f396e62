//! The parts of a document: payments, shipments with packages, notes, staff, cart ids.

use super::*;

impl Generator {
    /// One or two of the lines, each with a quantity up to the original.
    pub(super) fn some_of(
        &mut self,
        lines: &[Line],
        with: impl Fn(&Line, i64) -> Line,
    ) -> Vec<Line> {
        let first = self.rng.random_range(0..lines.len());
        let mut picked = vec![first];
        if lines.len() > 1 && self.rng.random_bool(0.25) {
            picked.push((first + 1 + self.rng.random_range(0..lines.len() - 1)) % lines.len());
        }
        picked
            .into_iter()
            .map(|i| {
                let quantity = self.rng.random_range(1..=lines[i].quantity);
                with(&lines[i], quantity)
            })
            .collect()
    }

    pub(super) fn payment(
        &mut self,
        amount: Decimal,
        at: i64,
        method: Method,
        kind: PaymentKind,
        by_staff: bool,
    ) -> Payment {
        let (payment_type, original) = match kind {
            PaymentKind::Charge => ("Charge", None),
            PaymentKind::Refund(original) => ("Refund", original),
        };
        Payment {
            payment_id: take(&mut self.ids.payment),
            original_payment_id: original,
            amount,
            user: by_staff.then(|| self.staff()),
            payment_date: ts(at),
            // Older imports lost the method now and then.
            payment_method: (!self.rng.random_bool(0.05)).then(|| PaymentMethod {
                id: method.0.to_owned(),
                code: Some(method.1.to_owned()),
                name: Some(method.2.to_owned()),
            }),
            payment_type: Some(payment_type.to_owned()),
        }
    }

    /// One shipment; several items sometimes go in two boxes.
    pub(super) fn shipment(
        &mut self,
        at: i64,
        method: &ShipMethod,
        price: Decimal,
        items: usize,
    ) -> Shipment {
        let (carrier, service) = method.services[self.rng.random_range(0..method.services.len())];
        let count = if items > 1 && self.rng.random_bool(0.3) {
            2
        } else {
            1
        };
        let packages = (0..count)
            .map(|i| ShipmentPackage {
                package_id: take(&mut self.ids.package),
                tracking_number: Some(self.tracking(carrier)),
                ship_date: ts(at),
                carrier_name: Some(carrier.to_owned()),
                service: Some(service.to_owned()),
                shipping_price: (i == 0).then_some(price),
                ext: Box::default(),
            })
            .collect();
        Shipment { packages }
    }

    /// The carriers' formats: UPS `1Z` + 16, FedEx 12 digits, USPS 22 digits.
    pub(super) fn tracking(&mut self, carrier: &str) -> String {
        const ALNUM: &[u8] = b"0123456789ABCDEFGHJKLMNPRSTUVWXYZ";
        let (prefix, len, alphabet): (&str, usize, &[u8]) = match carrier {
            "UPS" => ("1Z", 16, ALNUM),
            "USPS" => ("9400", 18, &ALNUM[..10]),
            _ => ("", 12, &ALNUM[..10]),
        };
        let mut text = String::with_capacity(prefix.len() + len);
        text.push_str(prefix);
        for _ in 0..len {
            text.push(char::from(
                alphabet[self.rng.random_range(0..alphabet.len())],
            ));
        }
        text
    }

    pub(super) fn note(&mut self, at: i64, code: Option<ActionTypeCode>, message: &str) -> Note {
        Note {
            note_id: take(&mut self.ids.note),
            message: message.to_owned(),
            action_type_code: code,
            created_at: ts(at),
            author: self.rng.random_bool(0.8).then(|| self.staff()),
        }
    }

    /// About one document in five gets a note or two from staff.
    pub(super) fn maybe_notes(&mut self, doc: &mut Document, last: &mut i64) {
        let count = match self.rng.random_range(0..100) {
            0..15 => 1,
            15..20 => 2,
            _ => 0,
        };
        let created = doc.created_at.unix();
        for _ in 0..count {
            let at = (created + self.rng.random_range(0..3 * DAY)).min(END);
            let (code, message) = NOTES[self.rng.random_range(0..NOTES.len())];
            doc.notes.push(self.note(at, code, message));
            *last = (*last).max(at);
        }
    }

    /// `updatedAt`: shortly after the last event, or, with none, unchanged or touched later.
    pub(super) fn settle(&mut self, doc: &mut Document, last: i64) {
        let created = doc.created_at.unix();
        let updated = if last > created {
            last + self.rng.random_range(0..2 * HOUR)
        } else if self.rng.random_bool(0.4) {
            created
        } else {
            created + self.rng.random_range(60..10 * DAY)
        };
        doc.updated_at = ts(updated.min(END));
    }

    pub(super) fn staff(&mut self) -> User {
        user(STAFF[self.rng.random_range(0..STAFF.len())])
    }

    /// A version 4 UUID from the stream, as the examples' `shoppingCartId` looks.
    pub(super) fn cart_id(&mut self) -> String {
        let bits: u128 = self.rng.random();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            bits >> 96,
            (bits >> 80) & 0xffff,
            (bits >> 68) & 0xfff,
            ((bits >> 52) & 0x3fff) | 0x8000,
            bits & 0xffff_ffff_ffff
        )
    }
}
