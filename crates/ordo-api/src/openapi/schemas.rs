//! The smaller shapes of the wire, as documentation mirrors: payload wrappers, the error
//! body, the import report, the list parameters and the responses every route shares; and
//! what the dialects' files share (UUIDs, UTC datetimes, error responses, their headers).
//! Nothing here is built at run time; tests/openapi.rs checks them against real answers.
#![allow(dead_code)] // described, never constructed

use std::borrow::Cow;

use utoipa::openapi::header::{Header, HeaderBuilder};
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::{ContentBuilder, Ref, RefOr};
use utoipa::{IntoParams, PartialSchema, ToResponse, ToSchema};

use super::document::{Document, Relations};
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

/// `{"error": {...}}`: the body of every error.
#[derive(ToSchema)]
#[schema(as = Error)]
pub(crate) struct ErrorBody {
    error: ErrorDetail,
}

#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
pub(crate) struct ErrorDetail {
    code: ErrorCode,
    /// For people: what went wrong, and for a 403 the scope the key lacks.
    message: String,
    /// One entry per bad field (400); `[]` when there is nothing per field.
    details: Vec<FieldProblem>,
    /// On 500 and 503 only: the request's `X-Request-Id`, to quote when reporting it.
    #[schema(required = false)]
    request_id: String,
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

/// `{"status": "ok"}`.
#[derive(ToSchema)]
pub(crate) struct Health {
    #[schema(inline)]
    status: HealthStatus,
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

fn error_response(description: &str) -> ResponseBuilder {
    json_error(description, "Error")
}

/// A response whose JSON body is the component schema `schema`: an error envelope.
pub(crate) fn json_error(description: &str, schema: &str) -> ResponseBuilder {
    ResponseBuilder::new().description(description).content(
        "application/json",
        ContentBuilder::new()
            .schema(Some(Ref::from_schema_name(schema)))
            .build(),
    )
}

/// 401, the same on every route that takes a key.
pub(crate) struct Unauthorized;

impl<'r> ToResponse<'r> for Unauthorized {
    fn response() -> (&'r str, RefOr<Response>) {
        let response = error_response("No key, or an unknown or revoked one.")
            .header("WWW-Authenticate", www_authenticate());
        ("Unauthorized", response.build().into())
    }
}

/// 500: the body holds the request id and nothing of the cause, which goes to the log.
pub(crate) struct Internal;

impl<'r> ToResponse<'r> for Internal {
    fn response() -> (&'r str, RefOr<Response>) {
        let response =
            error_response("An internal error; the body carries `requestId` and no internals.");
        ("Internal", response.build().into())
    }
}

/// 503: the store is unreachable; retry.
pub(crate) struct Unavailable;

impl<'r> ToResponse<'r> for Unavailable {
    fn response() -> (&'r str, RefOr<Response>) {
        let response = error_response(
            "The store is unreachable; retry shortly. The body carries `requestId`.",
        )
        .header("Retry-After", retry_after());
        ("Unavailable", response.build().into())
    }
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

/// `Retry-After` of a 503.
pub(crate) fn retry_after() -> Header {
    HeaderBuilder::new()
        .schema(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(0)),
        )
        .description(Some("Seconds to wait before retrying."))
        .build()
}

/// `WWW-Authenticate: Bearer` of a 401.
pub(crate) fn www_authenticate() -> Header {
    HeaderBuilder::new()
        .schema(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(["Bearer"])),
        )
        .build()
}
