//! The smaller shapes of the wire, as documentation mirrors: payload wrappers, the error
//! body, the import report, the list parameters; and what the dialects' files share (UUIDs,
//! UTC datetimes).
//! Nothing here is built at run time; tests/openapi.rs checks them against real answers.
#![allow(dead_code)] // described, never constructed

use std::borrow::Cow;

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::{IntoParams, PartialSchema, ToSchema};

use super::document::{Document, Relations};
use super::params::{FilterValue50, FilterValue64};
use crate::ApiError;

const UUID: &str = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";
const UTC_DATETIME: &str = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$";

/// `{"payload": <document>}`.
#[derive(ToSchema)]
pub(crate) struct DocumentPayload {
    payload: Document,
}

/// `{"payload": [<document>, ...]}`: a page, possibly empty.
#[derive(ToSchema)]
pub(crate) struct DocumentListPayload {
    payload: Vec<Document>,
}

#[derive(ToSchema)]
pub(crate) struct RelationsPayload {
    payload: Relations,
}

#[derive(ToSchema)]
pub(crate) struct ImportPayload {
    payload: ImportReport,
}

/// What an import did, line by line.
#[derive(ToSchema)]
pub(crate) struct ImportReport {
    /// Lines whose document was created or replaced.
    stored: u64,
    /// Lines whose document was already stored, identical.
    unchanged: u64,
    /// Lines refused; each is in `errors`.
    rejected: u64,
    errors: Vec<LineError>,
}

/// One refused line, with every problem it has.
#[derive(ToSchema)]
pub(crate) struct LineError {
    /// The line's number, from 1; blank lines count.
    line: u64,
    details: Vec<FieldProblem>,
}

/// One problem with one field of the input.
#[derive(ToSchema)]
pub(crate) struct FieldProblem {
    /// The field's JSON path (`items[3].quantity`), the query parameter or header; `""` for
    /// the whole body.
    field: String,
    problem: String,
}

/// The `code` of an error: one per status.
pub(crate) struct ErrorCode;

impl PartialSchema for ErrorCode {
    fn schema() -> RefOr<Schema> {
        // One error of each kind, so that the list is the one `ApiError::code` gives.
        let errors = [
            ApiError::bad_request(Vec::new()),
            ApiError::Unauthorized,
            ApiError::Forbidden(String::new()),
            ApiError::NotFound(String::new()),
            ApiError::MethodNotAllowed,
            ApiError::Conflict(String::new()),
            ApiError::PreconditionFailed { current: None },
            ApiError::PayloadTooLarge(0),
            ApiError::UnsupportedMediaType(""),
            ApiError::RequestTimeout,
            ApiError::TooManyRequests {
                message: String::new(),
                retry_after: 1,
                rate: None,
            },
            ApiError::Unavailable,
            ApiError::Internal("".into()),
        ];
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(errors.iter().map(ApiError::code)))
            .into()
    }
}

impl ToSchema for ErrorCode {
    fn name() -> Cow<'static, str> {
        "ErrorCode".into()
    }
}

/// `{"status": "ok", "version": "0.1.0", "commit": "b6c4d52"}`.
#[derive(ToSchema)]
#[schema(example = json!({"status": "ok", "version": "0.1.0", "commit": "b6c4d52"}))]
pub(crate) struct Health {
    #[schema(inline)]
    status: HealthStatus,
    /// The version of the running build.
    version: String,
    /// The git commit it was built from (short hash), `unknown` when built outside a git
    /// checkout.
    commit: String,
}

#[derive(ToSchema)]
pub(crate) enum HealthStatus {
    #[schema(rename = "ok")]
    Ok,
}

/// `{"status": "ready"}`.
#[derive(ToSchema)]
pub(crate) struct Ready {
    #[schema(inline)]
    status: ReadyStatus,
}

#[derive(ToSchema)]
pub(crate) enum ReadyStatus {
    #[schema(rename = "ready")]
    Ready,
}

/// The query of `GET /v1/{kind}/`. Any other parameter, or one given twice, is a 400; so is
/// a value out of range: nothing is clamped.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ListParams {
    /// Lower bound of `updatedAt`, inclusive. RFC 3339 with `Z` or an offset, or
    /// `YYYY-MM-DDTHH:MM:SS[.fff]` read as UTC.
    #[param(value_type = String, format = DateTime, required = false)]
    from: Option<String>,
    /// Upper bound of `updatedAt`, inclusive. Same forms as `from`; before `from`, the page
    /// is empty.
    #[param(value_type = String, format = DateTime, required = false)]
    to: Option<String>,
    /// Newest first (`updatedAt`, then id, descending) when true; oldest first when false.
    /// `true` or `false` in any letter case.
    #[param(value_type = bool, default = true, required = false)]
    newest: Option<bool>,
    /// Documents per page.
    #[param(value_type = u32, minimum = 1, maximum = 1000, default = 100, required = false)]
    limit: Option<u32>,
    /// Documents to skip.
    #[param(value_type = u64, minimum = 0, maximum = 9223372036854775807_i64, default = 0,
        required = false)]
    offset: Option<u64>,
    /// Only documents with an item of this `productId`; repeated, of any of them
    /// (`productId=3158135&productId=3158201`). An unknown product is an empty page.
    #[param(rename = "productId", value_type = Vec<FilterValue64>, inline, required = false,
        style = Form, explode, example = json!(["3158135"]))]
    product_id: Vec<String>,
    /// Only documents with an item of this `mpn`; repeated, of any of them. With `productId`,
    /// a document must match both.
    #[param(value_type = Vec<FilterValue50>, inline, required = false, style = Form, explode,
        example = json!(["HB-7120-CH"]))]
    mpn: Vec<String>,
    /// Only documents of this order number (`orderNumber`, else `externalReferenceId`);
    /// repeated, of any of them.
    #[param(rename = "orderNumber", value_type = Vec<FilterValue64>, inline, required = false,
        style = Form, explode, example = json!(["2020/5613"]))]
    order_number: Vec<String>,
    /// Only this customer's documents. With a key limited to another customer, the page is
    /// empty.
    #[param(rename = "customerId", value_type = FilterValue64, inline, required = false,
        example = "100000")]
    customer_id: Option<String>,
}

/// The conditional header of `GET /v1/{kind}/{id}`.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
pub(crate) struct GetConditions {
    /// ETags (weak or strong) or `*`: a 304 when one matches.
    #[param(rename = "If-None-Match", value_type = String, required = false)]
    if_none_match: Option<String>,
}

/// The conditional headers of `PUT /v1/{kind}/{id}`.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
pub(crate) struct PutConditions {
    /// `"<revision>"`: write only over that revision; `*`: only over an existing document.
    /// Otherwise a 412.
    #[param(rename = "If-Match", value_type = String, required = false)]
    if_match: Option<String>,
    /// Only `*`: create only, a 412 when the document exists. Any other value is a 400.
    #[param(rename = "If-None-Match", value_type = String, required = false)]
    if_none_match: Option<String>,
}

/// A UUID as the dialects write one: lower case, hyphenated.
pub(crate) struct Uuid;

impl PartialSchema for Uuid {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::Custom("uuid".into())))
            .pattern(Some(UUID))
            .into()
    }
}

impl ToSchema for Uuid {
    fn name() -> Cow<'static, str> {
        "Uuid".into()
    }
}

/// A UTC datetime with its `Z`, whole seconds: how history_v3 and customer_orders_v2 write
/// one (RFC 3339).
pub(crate) struct UtcDateTime;

impl PartialSchema for UtcDateTime {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .pattern(Some(UTC_DATETIME))
            .into()
    }
}

impl ToSchema for UtcDateTime {
    fn name() -> Cow<'static, str> {
        "UtcDateTime".into()
    }
}

/// A string that is one of `values`: the dialects' enums whose values live in a table.
pub(crate) fn string_enum<V: Into<serde_json::Value>>(
    values: impl IntoIterator<Item = V>,
) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values))
        .into()
}

/// Describes the unit struct `$ty` as a string that is one of `$values`, a component named
/// `$name`: the enums whose values live in a table, so that a derive cannot list them.
macro_rules! string_enum_schema {
    ($ty:ident, $name:literal, $values:expr) => {
        impl utoipa::PartialSchema for $ty {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                $crate::openapi::schemas::string_enum($values)
            }
        }

        impl utoipa::ToSchema for $ty {
            fn name() -> std::borrow::Cow<'static, str> {
                $name.into()
            }
        }
    };
}
pub(crate) use string_enum_schema;
