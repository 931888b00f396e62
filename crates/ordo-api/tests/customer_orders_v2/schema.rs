//! Reference 003's `CustomerOrder` schema as a table, and the check that a rendered list uses
//! it completely: every field at least once, each with its type and format, the required ones
//! always, nothing else, never `null`.

use std::collections::BTreeSet;

use serde_json::Value;

#[derive(Clone, Copy, Debug)]
enum Type {
    Object,
    Array,
    Str,
    NonEmpty,
    Uuid,
    DateTime,
    Email,
    Number,
    Bool,
    Enum(&'static [&'static str]),
}

/// Every field of reference 003, by path (`[]` for "each element"), with its type.
const SCHEMA: &[(&str, Type)] = &[
    ("contractChangeContractId", Type::Uuid),
    ("customerId", Type::NonEmpty),
    ("dueDate", Type::DateTime),
    ("invoicingPeriod", Type::Number),
    ("items", Type::Array),
    ("items[]", Type::Object),
    ("items[].addons", Type::Array),
    ("items[].addons[]", Type::Object),
    ("items[].addons[].hidden", Type::Bool),
    ("items[].addons[].key", Type::Str),
    ("items[].addons[].value", Type::Str),
    ("items[].articleId", Type::Str),
    ("items[].articleName", Type::Str),
    ("items[].articleTemplateName", Type::Str),
    ("items[].attributeConfiguration", Type::Array),
    ("items[].attributeConfiguration[]", Type::Object),
    ("items[].attributeConfiguration[].key", Type::Str),
    ("items[].attributeConfiguration[].value", Type::Str),
    ("items[].isInclusive", Type::Bool),
    ("items[].orderItemId", Type::Uuid),
    ("items[].predefinedDomainAggregateId", Type::Str),
    ("items[].price", Type::Number),
    ("items[].reference", Type::Object),
    ("items[].reference.contractItemId", Type::Uuid),
    ("items[].reference.offerItemId", Type::Uuid),
    ("items[].reference.orderItemId", Type::Uuid),
    ("orderDate", Type::DateTime),
    ("orderId", Type::Uuid),
    ("orderNumber", Type::NonEmpty),
    ("profile", Type::Object),
    ("profile.email", Type::Email),
    ("profile.firstName", Type::Str),
    ("profile.lastName", Type::Str),
    ("profile.title", Type::Enum(&["other", "mr", "ms"])),
    ("profile.userId", Type::Uuid),
    (
        "status",
        Type::Enum(&["NEW", "CONFIRMED", "REJECTED", "ABORTED", "EXECUTED"]),
    ),
    ("summary", Type::Object),
    ("summary.nonRecurring", Type::Number),
    ("summary.recurring", Type::Number),
    ("summary.summary", Type::Number),
    ("type", Type::Enum(&["NEW_ORDER", "CONTRACT_CHANGE"])),
];

/// The required fields of each object, by the object's path.
const REQUIRED: &[(&str, &[&str])] = &[
    (
        "",
        &[
            "customerId",
            "invoicingPeriod",
            "items",
            "orderId",
            "orderNumber",
            "status",
            "summary",
            "type",
        ],
    ),
    (
        "items[]",
        &["articleId", "isInclusive", "orderItemId", "price"],
    ),
    ("items[].addons[]", &["key", "value"]),
    ("items[].attributeConfiguration[]", &["key"]),
    ("profile", &["email", "userId"]),
    ("summary", &["nonRecurring", "recurring", "summary"]),
];

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn check_type(path: &str, kind: Type, value: &Value) {
    let text = value.as_str();
    let ok = match kind {
        Type::Object => value.is_object(),
        Type::Array => value.is_array(),
        Type::Str => text.is_some(),
        Type::NonEmpty => text.is_some_and(|t| !t.is_empty()),
        Type::Uuid => text.is_some_and(|t| {
            uuid::Uuid::parse_str(t).is_ok_and(|u| u.hyphenated().to_string() == t)
        }),
        Type::DateTime => text.is_some_and(|t| {
            t.ends_with('Z')
                && time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339)
                    .is_ok()
        }),
        Type::Email => text.is_some_and(|t| {
            t.split_once('@')
                .is_some_and(|(l, d)| !l.is_empty() && !d.is_empty())
        }),
        Type::Number => value.is_number(),
        Type::Bool => value.is_boolean(),
        Type::Enum(allowed) => text.is_some_and(|t| allowed.contains(&t)),
    };
    assert!(ok, "{path}: {value} is not a {kind:?}");
}

fn walk(path: &str, value: &Value, seen: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some((_, required)) = REQUIRED.iter().find(|(p, _)| *p == path) {
                for key in *required {
                    assert!(
                        map.contains_key(*key),
                        "{}: required, missing in {value}",
                        join(path, key)
                    );
                }
            }
            for (key, child) in map {
                let child_path = join(path, key);
                let Some((_, kind)) = SCHEMA.iter().find(|(p, _)| *p == child_path) else {
                    panic!("{child_path}: not in reference 003's schema");
                };
                check_type(&child_path, *kind, child);
                seen.insert(child_path.clone());
                walk(&child_path, child, seen);
            }
        }
        Value::Array(elements) => {
            let element_path = format!("{path}[]");
            for element in elements {
                if let Some((_, kind)) = SCHEMA.iter().find(|(p, _)| *p == element_path) {
                    check_type(&element_path, *kind, element);
                    seen.insert(element_path.clone());
                }
                walk(&element_path, element, seen);
            }
        }
        _ => {}
    }
}

/// Every schema field is in `orders` at least once, each as its type, with the required ones
/// in every object, and nothing outside the schema.
pub fn check_coverage(orders: &[Value]) {
    let mut seen = BTreeSet::new();
    for order in orders {
        walk("", order, &mut seen);
    }
    let missing: Vec<&str> = SCHEMA
        .iter()
        .map(|(path, _)| *path)
        .filter(|path| !seen.contains(*path))
        .collect();
    assert!(missing.is_empty(), "never rendered: {missing:?}");
}

/// No `null` anywhere: an optional field without a value is left out.
pub fn assert_no_null(path: &str, value: &Value) {
    match value {
        Value::Null => panic!("{path}: null"),
        Value::Object(map) => map
            .iter()
            .for_each(|(k, v)| assert_no_null(&join(path, k), v)),
        Value::Array(values) => values
            .iter()
            .for_each(|v| assert_no_null(&format!("{path}[]"), v)),
        _ => {}
    }
}
