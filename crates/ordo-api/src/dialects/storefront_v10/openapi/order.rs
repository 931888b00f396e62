//! The storefront's order as JSON Schema, built from the field table of `fields.rs`, whose
//! paths are the dialect's projection's (`dialects::storefront_v10::projection::ORDER`; the
//! test below holds them equal). Closed, and nothing required: without `fields` the dialect
//! writes every field listed, with `fields` only those named.

use std::borrow::Cow;

use serde_json::Value;
use utoipa::openapi::schema::{AdditionalProperties, ArrayBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

use super::fields::{Field, ORDER, PARTS, Ty};
use crate::openapi::build::{described, or_null, typed};

fn name(part: &str) -> String {
    format!("storefront_v10.{part}")
}

fn date(pattern: &str, nullable: bool) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(typed(&[Type::String], nullable))
        .pattern(Some(pattern))
        .into()
}

fn enumeration(values: &[&str], nullable: bool) -> RefOr<Schema> {
    let mut values: Vec<Value> = values.iter().map(|v| Value::from(*v)).collect();
    if nullable {
        values.push(Value::Null);
    }
    ObjectBuilder::new()
        .schema_type(typed(&[Type::String], nullable))
        .enum_values(Some(values))
        .into()
}

fn field_schema(ty: Ty) -> RefOr<Schema> {
    let id = |nullable| {
        ObjectBuilder::new()
            .schema_type(typed(&[Type::Integer], nullable))
            .minimum(Some(1))
            .into()
    };
    let text = |nullable| {
        ObjectBuilder::new()
            .schema_type(typed(&[Type::String], nullable))
            .into()
    };
    match ty {
        Ty::Id => id(false),
        Ty::IdOrNull => id(true),
        Ty::Text => text(false),
        Ty::TextOrNull => text(true),
        Ty::Max(max) => ObjectBuilder::new()
            .schema_type(Type::String)
            .max_length(Some(max))
            .into(),
        Ty::Token => ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some("^[A-Za-z0-9]{32}$"))
            .into(),
        Ty::OneOf(values) => enumeration(values, false),
        Ty::OneOfOrNull(values) => enumeration(values, true),
        Ty::DateTime => date(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", false),
        Ty::Date => date(r"^\d{4}-\d\d-\d\d$", false),
        Ty::DateOrNull => date(r"^\d{4}-\d\d-\d\d$", true),
        Ty::Num(digits) => ObjectBuilder::new()
            .schema_type(Type::Number)
            .description(Some(format!(
                "An exact decimal, {digits} digits after the point."
            )))
            .into(),
        Ty::NumText(digits) => ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(format!(r"^-?\d+\.\d{{{digits}}}$")))
            .into(),
        Ty::Bool => ObjectBuilder::new().schema_type(Type::Boolean).into(),
        Ty::Part(part) => Ref::from_schema_name(name(part)).into(),
        Ty::PartOrNull(part) => or_null(Ref::from_schema_name(name(part)).into()),
        Ty::Parts(part) => ArrayBuilder::new()
            .items(Ref::from_schema_name(name(part)))
            .into(),
    }
}

fn object(fields: &[Field]) -> ObjectBuilder {
    let mut object = ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(AdditionalProperties::FreeForm(false)));
    for &(field, ty, doc) in fields {
        object = object.property(field, described(field_schema(ty), doc));
    }
    object
}

/// One order as the storefront answers it.
pub(crate) struct Order;

impl PartialSchema for Order {
    fn schema() -> RefOr<Schema> {
        object(ORDER)
            .description(Some(
                "Every field without `fields` in the request; with it, only the fields it \
                 names (and the objects on their paths).",
            ))
            .into()
    }
}

impl ToSchema for Order {
    fn name() -> Cow<'static, str> {
        "storefront_v10.Order".into()
    }

    fn schemas(out: &mut Vec<(String, RefOr<Schema>)>) {
        for &(part, fields) in PARTS {
            out.push((name(part), object(fields).into()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialects::storefront_v10::projection;

    fn table_paths(fields: &[Field], prefix: &str, out: &mut Vec<String>) {
        for &(field, ty, _) in fields {
            let path = format!("{prefix}{field}");
            out.push(path.clone());
            if let Ty::Part(part) | Ty::PartOrNull(part) | Ty::Parts(part) = ty {
                let (_, children) = PARTS.iter().find(|(p, _)| *p == part).unwrap();
                table_paths(children, &format!("{path}."), out);
            }
        }
    }

    fn projection_paths(fields: &[projection::Field], prefix: &str, out: &mut Vec<String>) {
        for field in fields {
            let path = format!("{prefix}{}", field.name);
            out.push(path.clone());
            projection_paths(field.children, &format!("{path}."), out);
        }
    }

    #[test]
    fn the_table_has_the_paths_of_the_projection() {
        let (mut table, mut projected) = (Vec::new(), Vec::new());
        table_paths(ORDER, "", &mut table);
        projection_paths(projection::ORDER, "", &mut projected);
        assert_eq!(table, projected);
    }
}
