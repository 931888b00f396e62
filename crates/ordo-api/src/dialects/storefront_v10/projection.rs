//! `fields`: which parts of each order to return. A path names a field of the order with
//! dots between the levels (`items.sku`, `billingAddress.city`, `shipments.items.name`);
//! through a list it applies to every element. Naming a field keeps it whole; naming only
//! some of its children keeps those. Paths are checked against [`ORDER`], the shape of a
//! rendered order, so that an unknown path is a 400 and never an answer that silently lacks it.

use super::render::Node;

/// One field of the answer, with the fields inside it (an object, or each element of a list).
#[derive(Debug)]
pub(crate) struct Field {
    pub name: &'static str,
    pub children: &'static [Field],
}

const fn leaf(name: &'static str) -> Field {
    Field {
        name,
        children: &[],
    }
}

const fn node(name: &'static str, children: &'static [Field]) -> Field {
    Field { name, children }
}

const ROUNDING: &[Field] = &[leaf("mode"), leaf("rule")];

const ITEM: &[Field] = &[
    leaf("sku"),
    leaf("name"),
    leaf("quantity"),
    leaf("price"),
    leaf("totalPrice"),
    leaf("weight"),
    leaf("taxCode"),
    leaf("taxRate"),
    leaf("taxAmount"),
    leaf("requests"),
];

const SHIPMENT_ITEM: &[Field] = &[
    leaf("isReturnable"),
    leaf("lastDateToReturn"),
    leaf("name"),
    leaf("price"),
    leaf("quantity"),
    leaf("returnedQuantity"),
    leaf("requests"),
    leaf("sku"),
    leaf("taxCode"),
    leaf("taxRate"),
];

const SHIPMENT: &[Field] = &[
    leaf("id"),
    node("items", SHIPMENT_ITEM),
    leaf("shipmentDate"),
    leaf("deliveryDate"),
    leaf("trackingNumber"),
    leaf("trackingURL"),
];

const RETURN_ITEM_ORDER: &[Field] = &[
    leaf("id"),
    leaf("number"),
    leaf("creationTime"),
    node("rounding", ROUNDING),
];

const RETURN_ITEM: &[Field] = &[
    node("order", RETURN_ITEM_ORDER),
    leaf("approval"),
    leaf("comments"),
    leaf("reason"),
    leaf("name"),
    leaf("price"),
    leaf("quantity"),
    leaf("sku"),
    leaf("taxCode"),
    leaf("taxRate"),
];

const RETURN: &[Field] = &[
    leaf("id"),
    leaf("number"),
    leaf("status"),
    leaf("creationTime"),
    leaf("updateTime"),
    leaf("locale"),
    node("items", RETURN_ITEM),
];

const DISCOUNT: &[Field] = &[leaf("type"), leaf("value")];

const METHOD: &[Field] = &[
    leaf("id"),
    leaf("name"),
    leaf("cost"),
    leaf("taxCode"),
    leaf("taxRate"),
    leaf("taxAmount"),
];

const TAX: &[Field] = &[
    leaf("code"),
    leaf("name"),
    leaf("rate"),
    leaf("taxableTotal"),
    leaf("amount"),
];

const BILLING: &[Field] = &[
    leaf("firstName"),
    leaf("lastName"),
    leaf("personalCode"),
    leaf("companyName"),
    leaf("companyCode"),
    leaf("companyCode2"),
    leaf("street1"),
    leaf("street2"),
    leaf("city"),
    leaf("postalCode"),
    leaf("stateProv"),
    leaf("country"),
    leaf("phoneNumber"),
    leaf("mobileNumber"),
    leaf("faxNumber"),
    leaf("email"),
];

const SHIPPING: &[Field] = &[
    leaf("name"),
    leaf("street1"),
    leaf("street2"),
    leaf("city"),
    leaf("postalCode"),
    leaf("stateProv"),
    leaf("country"),
];

const SELLER: &[Field] = &[
    leaf("companyName"),
    leaf("companyCode"),
    leaf("personalCode"),
    leaf("street1"),
    leaf("street2"),
    leaf("city"),
    leaf("postalCode"),
    leaf("stateProv"),
    leaf("country"),
    leaf("phoneNumber"),
    leaf("mobileNumber"),
    leaf("faxNumber"),
    leaf("email"),
];

/// Every field of an order, in the reference's order: the paths `fields` may name.
pub(crate) const ORDER: &[Field] = &[
    leaf("id"),
    leaf("number"),
    leaf("status"),
    leaf("creationTime"),
    leaf("updateTime"),
    leaf("referenceType"),
    leaf("referenceNumber"),
    leaf("token"),
    node("rounding", ROUNDING),
    leaf("locale"),
    node("items", ITEM),
    node("shipments", SHIPMENT),
    node("returns", RETURN),
    leaf("coupon"),
    leaf("prediscountSubtotal"),
    leaf("taxedPrediscountSubtotal"),
    node("discounts", DISCOUNT),
    leaf("discountsIncludeTaxes"),
    leaf("subtotal"),
    leaf("taxedSubtotal"),
    node("shippingMethod", METHOD),
    node("paymentMethod", METHOD),
    node("taxes", TAX),
    leaf("taxAmount"),
    leaf("total"),
    leaf("taxedTotal"),
    leaf("isPaidFor"),
    leaf("quantity"),
    leaf("weight"),
    leaf("invoiceRecipient"),
    leaf("customerName"),
    node("billingAddress", BILLING),
    node("shippingAddress", SHIPPING),
    node("sellerAddress", SELLER),
    leaf("requests"),
    leaf("terms"),
];

/// What to keep of a value: all of it, or some of its fields (each with what to keep of it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Selection {
    All,
    Fields(Vec<(&'static str, Selection)>),
}

impl Selection {
    /// The selection of `paths`, or the problem of each bad one, by its index in the list.
    pub(crate) fn parse(paths: &[(usize, &str)]) -> Result<Selection, Vec<(usize, String)>> {
        let mut root = Selection::Fields(Vec::new());
        let mut problems = Vec::new();
        for &(index, path) in paths {
            match resolve(path) {
                Ok(names) => root.add(&names),
                Err(problem) => problems.push((index, problem)),
            }
        }
        if problems.is_empty() {
            Ok(root)
        } else {
            Err(problems)
        }
    }

    fn add(&mut self, names: &[&'static str]) {
        let Selection::Fields(fields) = self else {
            return; // already whole
        };
        let Some((first, rest)) = names.split_first() else {
            *self = Selection::All;
            return;
        };
        let at = match fields.iter().position(|(name, _)| name == first) {
            Some(at) => at,
            None => {
                fields.push((first, Selection::Fields(Vec::new())));
                fields.len() - 1
            }
        };
        fields[at].1.add(rest);
    }

    /// Keeps what is selected of `value`: objects keep their own field order, lists apply the
    /// selection to each element, anything else (a `null` object) is kept as it is.
    pub(crate) fn apply(&self, value: Node) -> Node {
        let Selection::Fields(selected) = self else {
            return value;
        };
        match value {
            Node::Object(fields) => Node::Object(
                fields
                    .into_iter()
                    .filter_map(|(name, value)| {
                        selected
                            .iter()
                            .find(|(wanted, _)| *wanted == name)
                            .map(|(_, inner)| (name, inner.apply(value)))
                    })
                    .collect(),
            ),
            Node::List(items) => Node::List(items.into_iter().map(|v| self.apply(v)).collect()),
            other => other,
        }
    }
}

/// Every path `fields` may name, parents before their children: what the OpenAPI document
/// lists, so that it allows exactly the paths [`Selection::parse`] takes.
pub(crate) fn paths() -> Vec<String> {
    fn walk(level: &[Field], prefix: &str, out: &mut Vec<String>) {
        for field in level {
            let path = if prefix.is_empty() {
                field.name.to_owned()
            } else {
                format!("{prefix}.{}", field.name)
            };
            out.push(path.clone());
            walk(field.children, &path, out);
        }
    }
    let mut out = Vec::new();
    walk(ORDER, "", &mut out);
    out
}

/// The field names of a dotted path, each checked against the shape of an order.
fn resolve(path: &str) -> Result<Vec<&'static str>, String> {
    let mut level = ORDER;
    let mut names = Vec::new();
    let mut walked = String::new();
    for segment in path.split('.') {
        let Some(field) = level.iter().find(|f| f.name == segment) else {
            return Err(if walked.is_empty() {
                format!("unknown field path {path:?}: an order has no field {segment:?}")
            } else if level.is_empty() {
                format!("unknown field path {path:?}: {walked:?} has no fields inside it")
            } else {
                format!("unknown field path {path:?}: {walked:?} has no field {segment:?}")
            });
        };
        names.push(field.name);
        if !walked.is_empty() {
            walked.push('.');
        }
        walked.push_str(segment);
        level = field.children;
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(paths: &[&str]) -> Result<Selection, Vec<(usize, String)>> {
        let indexed: Vec<(usize, &str)> = paths.iter().copied().enumerate().collect();
        Selection::parse(&indexed)
    }

    #[test]
    fn a_parent_path_keeps_the_whole_field() {
        let selection = parse(&["items.sku", "items", "billingAddress.city"]).unwrap();
        assert_eq!(
            selection,
            Selection::Fields(vec![
                ("items", Selection::All),
                (
                    "billingAddress",
                    Selection::Fields(vec![("city", Selection::All)])
                ),
            ])
        );
    }

    #[test]
    fn unknown_paths_are_named_with_their_index() {
        let problems = parse(&["id", "nope", "items.colour", "id.x", "", "items."]).unwrap_err();
        let indexes: Vec<usize> = problems.iter().map(|(i, _)| *i).collect();
        assert_eq!(indexes, [1, 2, 3, 4, 5]);
        assert!(problems[1].1.contains("\"items\" has no field \"colour\""));
        assert!(problems[2].1.contains("has no fields inside it"));
    }

    #[test]
    fn selection_keeps_order_and_walks_lists() {
        let order = Node::Object(vec![
            ("id", Node::Int(1)),
            (
                "items",
                Node::List(vec![Node::Object(vec![
                    ("sku", Node::Str("A".into())),
                    ("name", Node::Str("Shirt".into())),
                ])]),
            ),
            ("shippingMethod", Node::Null),
        ]);
        let selection = parse(&["shippingMethod.name", "items.name", "id"]).unwrap();
        let kept = selection.apply(order);
        assert_eq!(
            kept,
            Node::Object(vec![
                ("id", Node::Int(1)),
                (
                    "items",
                    Node::List(vec![Node::Object(vec![(
                        "name",
                        Node::Str("Shirt".into())
                    )])])
                ),
                ("shippingMethod", Node::Null),
            ])
        );
    }
}
