//! Helpers for the schemas built by hand from field tables (v1's documents, the storefront's
//! order): nullable types, `null` alternatives, descriptions on any kind of schema.

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, SchemaType, Type};

/// `types`, with `null` when `nullable`.
pub(crate) fn typed(types: &[Type], nullable: bool) -> SchemaType {
    let mut types = types.to_vec();
    if nullable {
        types.push(Type::Null);
    }
    match types.as_slice() {
        [one] => SchemaType::new(one.clone()),
        _ => SchemaType::from_iter(types),
    }
}

/// `schema` or `null`.
pub(crate) fn or_null(schema: RefOr<Schema>) -> RefOr<Schema> {
    OneOfBuilder::new()
        .item(schema)
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .into()
}

/// Adds a field's description to its schema, where it has one.
pub(crate) fn described(schema: RefOr<Schema>, doc: &str) -> RefOr<Schema> {
    if doc.is_empty() {
        return schema;
    }
    match schema {
        RefOr::Ref(mut r) => {
            r.description = doc.to_owned();
            RefOr::Ref(r)
        }
        RefOr::T(Schema::Object(mut o)) => {
            o.description = Some(match o.description.take() {
                Some(own) => format!("{doc} {own}"),
                None => doc.to_owned(),
            });
            RefOr::T(Schema::Object(o))
        }
        RefOr::T(Schema::Array(mut a)) => {
            a.description = Some(doc.to_owned());
            RefOr::T(Schema::Array(a))
        }
        RefOr::T(Schema::OneOf(mut o)) => {
            o.description = Some(doc.to_owned());
            RefOr::T(Schema::OneOf(o))
        }
        RefOr::T(Schema::AnyOf(mut a)) => {
            a.description = Some(match a.description.take() {
                Some(own) => format!("{doc} {own}"),
                None => doc.to_owned(),
            });
            RefOr::T(Schema::AnyOf(a))
        }
        other => other,
    }
}
