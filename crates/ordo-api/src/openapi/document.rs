//! The v1 document as JSON Schema, both ways: what v1 writes (`Order`, ...) and what ingest
//! accepts (`OrderInput`, ...), both built from the field table of `fields.rs`.

use std::borrow::Cow;

use ordo_model::Kind;
use serde_json::Value;
use utoipa::openapi::schema::{
    AdditionalProperties, AllOfBuilder, AnyOfBuilder, ArrayBuilder, ObjectBuilder, Schema, Type,
};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

use super::build::{described, or_null, typed};
use super::fields::Presence::{Extension, NullIfEmpty, Optional, Required, RequiredNullable};
use super::fields::{Field, Presence, Ty, kind_fields, parts};
use super::params;

/// How v1 writes a datetime: UTC, whole seconds, no zone.
const V1_DATETIME: &str = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$";

/// The datetimes ingest and the list parameters accept.
const DATETIME_IN: &str = "RFC 3339 with `Z` or an offset, or \
    `YYYY-MM-DDTHH:MM:SS[.fff]` read as UTC; fractions of a second are dropped.";

/// The largest integer every JSON reader holds exactly: 2^53 − 1.
const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// Which side of the wire a schema describes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Way {
    Out,
    In,
}

impl Way {
    fn name(self, part: &str) -> String {
        match self {
            Way::Out => part.to_owned(),
            Way::In => format!("{part}Input"),
        }
    }
}

/// The component name of a kind's document (`VendorOrder`).
pub(crate) fn kind_schema_name(kind: Kind) -> String {
    kind.path()
        .split('-')
        .map(|word| word[..1].to_ascii_uppercase() + &word[1..])
        .collect()
}

/// A string of at most `max` characters (`usize::MAX`: no bound).
fn string(max: usize, nullable: bool) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(typed(&[Type::String], nullable))
        .max_length((max < usize::MAX).then_some(max))
}

fn field_schema(ty: Ty, presence: Presence, way: Way) -> RefOr<Schema> {
    let nullable = match way {
        Way::Out => matches!(presence, RequiredNullable | Optional | NullIfEmpty),
        Way::In => presence != Required,
    };
    let id_types: &[Type] = match way {
        Way::Out => &[Type::String],
        Way::In => &[Type::String, Type::Integer],
    };
    let schema: RefOr<Schema> = match ty {
        Ty::DocId => ObjectBuilder::new()
            .schema_type(typed(id_types, nullable))
            .min_length(Some(1))
            .max_length(Some(64))
            .into(),
        Ty::Id(max) => ObjectBuilder::new()
            .schema_type(typed(id_types, nullable))
            .max_length(Some(max))
            .into(),
        Ty::Text(max) => string(max, nullable).into(),
        Ty::NonBlank(max) => match way {
            Way::Out => string(max, nullable).into(),
            Way::In => string(max, nullable)
                .pattern(Some(params::non_blank()))
                .into(),
        },
        Ty::Money => ObjectBuilder::new()
            .schema_type(typed(&[Type::Number], nullable))
            .into(),
        Ty::Int => ObjectBuilder::new()
            .schema_type(typed(&[Type::Integer], nullable))
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::Int64,
            )))
            .into(),
        Ty::Time => match way {
            Way::Out => ObjectBuilder::new()
                .schema_type(typed(&[Type::String], nullable))
                .pattern(Some(V1_DATETIME))
                .into(),
            Way::In => params::datetime_in(nullable, false, DATETIME_IN),
        },
        Ty::OneOf(values) => {
            let mut values: Vec<Value> = values.iter().map(|v| Value::from(*v)).collect();
            if nullable {
                values.push(Value::Null);
            }
            ObjectBuilder::new()
                .schema_type(typed(&[Type::String], nullable))
                .enum_values(Some(values))
                .into()
        }
        Ty::Part(part) => {
            let part = Ref::from_schema_name(way.name(part)).into();
            return if nullable { or_null(part) } else { part };
        }
        Ty::Parts(part) => ArrayBuilder::new()
            .schema_type(typed(&[Type::Array], nullable))
            .items(Ref::from_schema_name(way.name(part)))
            .min_items(
                (matches!(presence, NullIfEmpty | Extension) && way == Way::Out).then_some(1),
            )
            .into(),
        Ty::Ids => ArrayBuilder::new()
            .schema_type(typed(&[Type::Array], nullable))
            .items(
                ObjectBuilder::new()
                    .schema_type(typed(id_types, false))
                    .max_length(Some(64)),
            )
            .into(),
        Ty::Bool => ObjectBuilder::new()
            .schema_type(typed(&[Type::Boolean], nullable))
            .into(),
        Ty::Count => number(Type::Integer, nullable).minimum(Some(0)).into(),
        Ty::PositiveInt => number(Type::Integer, nullable)
            .minimum(Some(1))
            .maximum(Some(MAX_SAFE_INTEGER))
            .into(),
        Ty::Rate => number(Type::Number, nullable)
            .minimum(Some(0))
            .maximum(Some(99.99))
            .into(),
        Ty::NonNegative => number(Type::Number, nullable).minimum(Some(0)).into(),
        Ty::Token => ObjectBuilder::new()
            .schema_type(typed(&[Type::String], nullable))
            .pattern(Some("^[A-Za-z0-9]{32}$"))
            .into(),
        Ty::Date => {
            let description = format!("`YYYY-MM-DD` (midnight UTC), or {DATETIME_IN}");
            match way {
                Way::Out => ObjectBuilder::new()
                    .schema_type(typed(&[Type::String], nullable))
                    .pattern(Some(V1_DATETIME))
                    .into(),
                Way::In => params::datetime_in(nullable, true, &description),
            }
        }
    };
    schema
}

fn number(ty: Type, nullable: bool) -> ObjectBuilder {
    ObjectBuilder::new().schema_type(typed(&[ty], nullable))
}

/// An object of `fields`, closed: v1 writes exactly these and ingest refuses any other.
fn object<'a>(fields: impl IntoIterator<Item = (&'a str, RefOr<Schema>, bool)>) -> ObjectBuilder {
    let mut object = ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(AdditionalProperties::FreeForm(false)));
    for (name, schema, required) in fields {
        object = object.property(name, schema);
        if required {
            object = object.required(name);
        }
    }
    object
}

fn fields_object(fields: &[Field], way: Way) -> ObjectBuilder {
    object(fields.iter().map(|&(name, ty, presence, doc)| {
        let required = match way {
            Way::Out => presence != Extension,
            Way::In => matches!(presence, Required | RequiredNullable),
        };
        (
            name,
            described(field_schema(ty, presence, way), doc),
            required,
        )
    }))
}

fn kind_document(kind: Kind, way: Way) -> Schema {
    let title = match way {
        Way::Out => format!("A {} document as v1 writes it", kind.path()),
        Way::In => format!("A {} document as PUT and import accept it", kind.path()),
    };
    let mut object = fields_object(&kind_fields(kind), way)
        .title(Some(title))
        .build();
    let mut describe = |field: &str, text: String| {
        if let Some(RefOr::T(Schema::Object(o))) = object.properties.get_mut(field) {
            o.description = Some(text);
        } else if let Some(RefOr::T(Schema::Array(a))) = object.properties.get_mut(field) {
            a.description = Some(text);
        }
    };
    for &(link, parent) in kind.link_fields() {
        describe(
            link.wire(),
            format!("The id of the parent {}.", parent.path()),
        );
    }
    for &(list, child) in kind.derived_lists() {
        let (link, _) = child
            .link_fields()
            .iter()
            .find(|&&(_, parent)| parent == kind)
            .expect("a derived list has a link behind it");
        describe(
            list,
            format!(
                "The {}s whose `{}` names this one, oldest first; `[]` when none. Derived: \
                 accepted in input, never kept.",
                child.path(),
                link.wire()
            ),
        );
    }
    if way == Way::In {
        // `kind` names the document on an import line; in a PUT it must equal the path's.
        object.properties.shift_insert(
            0,
            "kind".to_owned(),
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some([kind.path()]))
                .description(Some(
                    "Required on an import line; in a PUT, the path's kind when given.",
                ))
                .into(),
        );
    }
    if kind.is_quote() {
        // "Applicable for orders and RMAs only" (reference 001): a quote has none.
        for (list, part) in [("payments", "Payment"), ("shipments", "Shipment")] {
            let schema: RefOr<Schema> = match way {
                Way::Out => ObjectBuilder::new()
                    .schema_type(Type::Null)
                    .description(Some("Quotes have none."))
                    .into(),
                Way::In => ArrayBuilder::new()
                    .schema_type(typed(&[Type::Array], true))
                    .items(Ref::from_schema_name(way.name(part)))
                    .max_items(Some(0))
                    .description(Some("Quotes have none: absent, `null` or `[]`."))
                    .into(),
            };
            object.properties.insert(list.to_owned(), schema);
        }
    }
    match way {
        Way::Out => Schema::Object(object),
        Way::In => Schema::AllOf(
            AllOfBuilder::new()
                .item(object)
                .item(given_or_current("status", "name", &[Type::String]))
                .item(given_or_current(
                    "statusId",
                    "id",
                    &[Type::String, Type::Integer],
                ))
                .build(),
        ),
    }
}

/// `field` is required unless `currentStatus.<current>` gives it (ingest's `read_status`).
fn given_or_current(field: &str, current: &str, types: &[Type]) -> AnyOfBuilder {
    let value = || ObjectBuilder::new().schema_type(typed(types, false));
    let own = ObjectBuilder::new()
        .property(field, value())
        .required(field);
    let status = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property(current, value())
        .required(current);
    let from_current = ObjectBuilder::new()
        .property("currentStatus", status)
        .required("currentStatus");
    AnyOfBuilder::new().item(own).item(from_current)
}

/// Every schema of a document, out and in, by component name.
fn document_components(out: &mut Vec<(String, RefOr<Schema>)>) {
    for way in [Way::Out, Way::In] {
        for kind in Kind::ALL {
            out.push((
                way.name(&kind_schema_name(kind)),
                kind_document(kind, way).into(),
            ));
        }
        for (part, fields) in parts() {
            out.push((way.name(part), fields_object(&fields, way).into()));
        }
    }
}

fn any_kind(way: Way, description: &str) -> RefOr<Schema> {
    let mut any = AnyOfBuilder::new().description(Some(description));
    for kind in Kind::ALL {
        any = any.item(Ref::from_schema_name(way.name(&kind_schema_name(kind))));
    }
    any.into()
}

/// A v1 document of any kind; the kind of the path decides which.
pub(crate) struct Document;

impl PartialSchema for Document {
    fn schema() -> RefOr<Schema> {
        any_kind(Way::Out, "A document of the path's kind.")
    }
}

impl ToSchema for Document {
    fn name() -> Cow<'static, str> {
        "Document".into()
    }

    fn schemas(out: &mut Vec<(String, RefOr<Schema>)>) {
        document_components(out);
    }
}

/// The body of `PUT /v1/{kind}/{id}`.
pub(crate) struct DocumentInput;

impl PartialSchema for DocumentInput {
    fn schema() -> RefOr<Schema> {
        any_kind(
            Way::In,
            "A document of the path's kind. Unknown fields are refused at every depth.",
        )
    }
}

impl ToSchema for DocumentInput {
    fn name() -> Cow<'static, str> {
        "DocumentInput".into()
    }

    fn schemas(out: &mut Vec<(String, RefOr<Schema>)>) {
        document_components(out);
    }
}

/// The `payload` of `GET /v1/customer/{customerId}/relations` (reference 000).
pub(crate) struct Relations;

impl PartialSchema for Relations {
    fn schema() -> RefOr<Schema> {
        let kinds = Kind::ALL.map(|kind| {
            let list = ArrayBuilder::new()
                .schema_type(typed(&[Type::Array], true))
                .items(Ref::from_schema_name(kind_schema_name(kind)))
                .min_items(Some(1));
            (kind.relations_key(), list.into(), true)
        });
        let entities = object(kinds).description(Some(
            "The customer's documents by kind, oldest first (`updatedAt`, then id); `null` for \
             a kind with none.",
        ));
        object([
            ("customerId", string(64, false).into(), true),
            ("orderEntities", entities.into(), true),
        ])
        .into()
    }
}

impl ToSchema for Relations {
    fn name() -> Cow<'static, str> {
        "Relations".into()
    }

    fn schemas(out: &mut Vec<(String, RefOr<Schema>)>) {
        document_components(out);
    }
}

/// The `{kind}` of a v1 path.
pub(crate) struct KindName;

impl PartialSchema for KindName {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(Kind::ALL.map(Kind::path)))
            .description(Some("A kind of document; any other is a 404."))
            .into()
    }
}

impl ToSchema for KindName {
    fn name() -> Cow<'static, str> {
        "Kind".into()
    }
}
