//! storefront_v10 (reference 004) as documentation mirrors: the request body, the answer and
//! the error envelope of `dialects/storefront_v10/`, closed; the order itself is built from a
//! field table in `openapi/order.rs`; its tag, credential and shared answers (`Doc`).
#![allow(dead_code)] // described, never constructed

mod fields;
mod order;

use std::borrow::Cow;

use utoipa::openapi::RefOr;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, Type};
use utoipa::{OpenApi, PartialSchema, ToResponse, ToSchema};

use crate::ApiError;
use crate::dialects::storefront_v10::{error, projection};
use crate::openapi::build::typed;
use crate::openapi::params;
use crate::openapi::schemas::{FieldProblem, json_error, retry_after};
pub(crate) use order::Order;

/// What to answer. Every field is optional and `null` reads as absent; an unknown field at
/// any level is a 400. No body at all is `{}`.
#[derive(ToSchema)]
#[schema(as = storefront_v10::Request)]
#[serde(deny_unknown_fields)]
pub(crate) struct Request {
    /// Only the orders that meet every condition given.
    conditions: Option<Conditions>,
    /// The fields of each order to answer: paths of `storefront_v10.Order` with dots between
    /// levels (`id`, `items.sku`, `billingAddress.city`, `returns.items.order.rounding.mode`);
    /// through a list a path applies to every element. `[]` answers `{}` per order; an
    /// unknown path is a 400. Every field when absent.
    #[schema(schema_with = field_paths)]
    fields: Option<Vec<String>>,
    /// At most this many orders; more than 1000 is a 400, never a clamp.
    #[schema(minimum = 1, maximum = 1000, default = 100)]
    limit: Option<u64>,
    /// The index of the first order answered, among those meeting the conditions.
    #[schema(schema_with = index)]
    first: Option<u64>,
    /// Accepted for the clients that send it; `count` is always answered.
    count: Option<bool>,
}

#[derive(ToSchema)]
#[schema(as = storefront_v10::Conditions)]
#[serde(deny_unknown_fields)]
pub(crate) struct Conditions {
    /// Only orders whose `id` is listed; `[]` matches none. Another customer's ids match
    /// nothing, like ids that do not exist.
    ids: Option<Vec<PositiveId>>,
    /// Only orders whose `id` is greater: ask again with the last `id` received to page.
    #[schema(schema_with = after)]
    after: Option<u64>,
}

/// `fields`: the paths of `projection::ORDER`, each of them; `null` reads as absent.
fn field_paths() -> RefOr<Schema> {
    let paths = projection::paths();
    ArrayBuilder::new()
        .schema_type(typed(&[Type::Array], true))
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(paths)),
        )
        .into()
}

/// `first`: any index a `u64` holds; `null` reads as absent.
fn index() -> RefOr<Schema> {
    params::unsigned(0)
        .schema_type(typed(&[Type::Integer], true))
        .default(Some(0.into()))
        .into()
}

/// `conditions.after`: any id a `u64` holds; `null` reads as absent.
fn after() -> RefOr<Schema> {
    params::unsigned(0)
        .schema_type(typed(&[Type::Integer], true))
        .into()
}

/// An order's `id`: 1 or more.
pub(crate) struct PositiveId;

impl PartialSchema for PositiveId {
    fn schema() -> RefOr<Schema> {
        params::unsigned(1).into()
    }
}

impl ToSchema for PositiveId {
    fn name() -> Cow<'static, str> {
        "storefront_v10.Id".into()
    }
}

/// `{"status": "ok", "orders", "count"}`.
#[derive(ToSchema)]
#[schema(as = storefront_v10::Answer)]
#[serde(deny_unknown_fields)]
pub(crate) struct Answer {
    #[schema(inline)]
    status: OkStatus,
    /// By `id` ascending (ties by the document id): the window of `first` and `limit`.
    orders: Vec<Order>,
    /// The orders that meet the conditions, whatever the window.
    count: u64,
}

#[derive(ToSchema)]
pub(crate) enum OkStatus {
    #[schema(rename = "ok")]
    Ok,
}

/// `{"status": "error", "error": {...}}`: every error of the dialect, a 405 included.
#[derive(ToSchema)]
#[schema(as = storefront_v10::Error)]
#[serde(deny_unknown_fields)]
pub(crate) struct Error {
    #[schema(inline)]
    status: ErrorStatus,
    error: ErrorDetail,
}

#[derive(ToSchema)]
pub(crate) enum ErrorStatus {
    #[schema(rename = "error")]
    Error,
}

#[derive(ToSchema)]
#[schema(as = storefront_v10::ErrorDetail)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ErrorDetail {
    code: ErrorCode,
    message: String,
    /// Every problem of a 400, named by its path in the body (`conditions.ids[2]`,
    /// `fields[0]`, `limit`, `""` for the whole body); `[]` otherwise.
    details: Vec<FieldProblem>,
    /// On 500 and 503 only: the request's `X-Request-Id`.
    #[schema(required = false)]
    request_id: String,
}

/// The `error.code`: one per kind of failure, from the dialect's own list.
pub(crate) struct ErrorCode;

impl PartialSchema for ErrorCode {
    fn schema() -> RefOr<Schema> {
        let errors = [
            ApiError::NoCredential,
            ApiError::Forbidden(String::new()),
            ApiError::bad_request(Vec::new()),
            ApiError::UnsupportedMediaType(""),
            ApiError::PayloadTooLarge(0),
            ApiError::MethodNotAllowed,
            ApiError::Unavailable,
            ApiError::Internal("".into()),
        ];
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(errors.iter().map(error::code)))
            .into()
    }
}

impl ToSchema for ErrorCode {
    fn name() -> Cow<'static, str> {
        "storefront_v10.ErrorCode".into()
    }
}

fn error(description: &str) -> ResponseBuilder {
    json_error(description, &Error::name())
}

/// 401 of the dialect.
pub(crate) struct Unauthorized;

impl<'r> ToResponse<'r> for Unauthorized {
    fn response() -> (&'r str, RefOr<Response>) {
        let response = error(
            "`Unauthorized`: no `X-Customer-Key` (a key given as `Authorization` or \
             `X-Api-Key` does not count), or an unknown or revoked one. Checked before the \
             body.",
        );
        ("storefront_v10.Unauthorized", response.build().into())
    }
}

/// 500 of the dialect.
pub(crate) struct Internal;

impl<'r> ToResponse<'r> for Internal {
    fn response() -> (&'r str, RefOr<Response>) {
        let response = error(
            "`InternalError`: a bug, or an order whose arithmetic overflows; the body carries \
             `requestId` and no internals.",
        );
        ("storefront_v10.Internal", response.build().into())
    }
}

/// 503 of the dialect.
pub(crate) struct Unavailable;

impl<'r> ToResponse<'r> for Unavailable {
    fn response() -> (&'r str, RefOr<Response>) {
        let response = error(
            "`ServiceUnavailable`: the store is unreachable; retry shortly. The body carries \
             `requestId`.",
        )
        .header("Retry-After", retry_after());
        ("storefront_v10.Unavailable", response.build().into())
    }
}

/// The dialect's share of the document: its tag, its shared answers, its `X-Customer-Key`.
#[derive(OpenApi)]
#[openapi(
    components(responses(Unauthorized, Internal, Unavailable)),
    tags((name = "storefront_v10", description = "Reference 004: a storefront customer's own \
        orders, with a customer key in `X-Customer-Key`; errors \
        `{\"status\": \"error\", \"error\": {...}}`. docs/dialects/storefront_v10.md maps \
        every field.")),
    modifiers(&Credential),
)]
pub(crate) struct Doc;

struct Credential;

impl utoipa::Modify for Credential {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        crate::openapi::key_header(
            openapi,
            "customerKey",
            "X-Customer-Key",
            "storefront_v10: an ordo API key limited to one customer (`ordo keys create \
             --customer C`); the only credential the storefront reads.",
        );
    }
}

/// The body the operation takes but does not need: no body at all is `{}`.
pub(crate) fn body_optional(openapi: &mut utoipa::openapi::OpenApi) {
    for item in openapi.paths.paths.values_mut() {
        if let Some(body) = item.post.as_mut().and_then(|o| o.request_body.as_mut()) {
            body.required = Some(utoipa::openapi::Required::False);
        }
    }
}
