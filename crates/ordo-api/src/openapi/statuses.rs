//! The tenant's status dictionary on the wire: an entry as `/v1/status/` writes it, and as
//! `PUT /v1/status/{statusId}` takes it (`ordo_model::StatusEntry::{to_json, parse}`).
#![allow(dead_code)] // described, never constructed

use std::borrow::Cow;

use ordo_model::Phase;
use serde_json::Value;
use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, SchemaType, Type};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

use super::schemas::string_enum_schema;

/// `{"payload": <status>}`.
#[derive(ToSchema)]
pub(crate) struct StatusPayload {
    payload: Status,
}

/// `{"payload": [<status>, ...]}`: the whole dictionary, by `statusId`.
#[derive(ToSchema)]
pub(crate) struct StatusListPayload {
    payload: Vec<Status>,
}

/// One entry of the tenant's status dictionary: what a document's `statusId` means.
#[derive(ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct Status {
    /// The id documents carry in `statusId`.
    #[schema(max_length = 10)]
    status_id: String,
    #[schema(max_length = 100)]
    name: String,
    phase: PhaseName,
}

/// Where a document with this status is in its life; each dialect maps it to its own enum.
pub(crate) struct PhaseName;

string_enum_schema!(PhaseName, "Phase", Phase::ALL.map(Phase::as_str));

/// The body of `PUT /v1/status/{statusId}`, and an import line with `"kind": "status"`.
pub(crate) struct StatusInput;

impl PartialSchema for StatusInput {
    fn schema() -> RefOr<Schema> {
        let nullable = |types: &[Type]| {
            let mut types = types.to_vec();
            types.push(Type::Null);
            SchemaType::from_iter(types)
        };
        let phase = OneOfBuilder::new()
            .item(Ref::from_schema_name(PhaseName::name()))
            .item(ObjectBuilder::new().schema_type(Type::Null))
            .description(Some(
                "Absent or `null`: the phase the name suggests (\"cancel\" → Cancelled, \
                 \"shipped\" → Shipped, \"new\"/\"pending\" → New, ...; otherwise Open).",
            ));
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .additional_properties(Some(
                utoipa::openapi::schema::AdditionalProperties::<Schema>::FreeForm(false),
            ))
            .property(
                "kind",
                ObjectBuilder::new()
                    .schema_type(nullable(&[Type::String]))
                    .enum_values(Some([Value::from("status"), Value::Null]))
                    .description(Some("Required on an import line; optional in a PUT.")),
            )
            .property(
                "statusId",
                ObjectBuilder::new()
                    .schema_type(nullable(&[Type::String, Type::Integer]))
                    .max_length(Some(10))
                    .minimum(Some(-999_999_999))
                    .maximum(Some(9_999_999_999_i64))
                    .description(Some(
                        "At most 10 characters; a whole number is kept as its digits. In a \
                         PUT, the path's id when left out, and it must equal it when given; \
                         required on an import line.",
                    )),
            )
            .property(
                "name",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .max_length(Some(100)),
            )
            .required("name")
            .property("phase", phase)
            .into()
    }
}

impl ToSchema for StatusInput {
    fn name() -> Cow<'static, str> {
        "StatusInput".into()
    }

    fn schemas(out: &mut Vec<(String, RefOr<Schema>)>) {
        out.push((PhaseName::name().into_owned(), PhaseName::schema()));
    }
}
