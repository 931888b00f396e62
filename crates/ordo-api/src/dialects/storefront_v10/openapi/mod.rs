//! storefront_v10 (reference 004) as documentation mirrors: the request body, the answer and
//! the error envelope of `dialects/storefront_v10/`, closed; the order itself is built from a
//! field table in `openapi/order.rs`; its tag, credential and shared answers (`Doc`).
#![allow(dead_code)] // described, never constructed

mod fields;
mod order;

use std::borrow::Cow;

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, Type};
use utoipa::{OpenApi, PartialSchema, ToSchema};

use crate::ApiError;
use crate::dialects::storefront_v10::{error, projection};
use crate::openapi::build::typed;
use crate::openapi::params;
use crate::openapi::shared::{Answers, Credential};
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

#[derive(ToSchema)]
pub(crate) enum ErrorStatus {
    #[schema(rename = "error")]
    Error,
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
            .enum_values(Some(errors.iter().map(error::code)))
            .into()
    }
}

impl ToSchema for ErrorCode {
    fn name() -> Cow<'static, str> {
        "storefront_v10.ErrorCode".into()
    }
}

/// The answers every operation of the dialect shares (`openapi::shared`).
pub(crate) const ANSWERS: Answers = Answers {
    prefix: "storefront_v10.",
    schema: "storefront_v10.Error",
    unauthorized: "`Unauthorized`: no `X-Customer-Key` (a key given as `Authorization` or \
        `X-Api-Key` does not count), or an unknown or revoked one. Checked before the body.",
    forbidden: None,
    too_many_requests: "`TooManyRequests`: the key is over its rate; `Retry-After` says \
        when to retry.",
    request_timeout: Some(
        "`RequestTimeout`: the body did not arrive whole in time; the connection closes.",
    ),
    internal: "`InternalError`: a bug, or an order whose arithmetic overflows; the body \
        carries `requestId` and no internals.",
    unavailable: "`ServiceUnavailable`: the store is unreachable; retry shortly. The body \
        carries `requestId`.",
    credential: Some(Credential {
        scheme: "customerKey",
        header: "X-Customer-Key",
        description: "storefront_v10: an ordo API key limited to one customer (`ordo keys create \
         --customer C`); the only credential the storefront reads.",
    }),
};

/// The dialect's share of the document: its tag (its credential and shared answers: `ANSWERS`).
#[derive(OpenApi)]
#[openapi(
    tags((name = "storefront_v10", description = "The storefront API v10: a storefront \
        customer's own orders, with a customer key in `X-Customer-Key`; errors \
        `{\"status\": \"error\", \"error\": {...}}`. docs/dialects/storefront_v10.md maps \
        every field.")),
)]
pub(crate) struct Doc;

/// The body the operation takes but does not need: no body at all is `{}`.
pub(crate) fn body_optional(openapi: &mut utoipa::openapi::OpenApi) {
    for item in openapi.paths.paths.values_mut() {
        if let Some(body) = item.post.as_mut().and_then(|o| o.request_body.as_mut()) {
            body.required = Some(utoipa::openapi::Required::False);
        }
    }
}
