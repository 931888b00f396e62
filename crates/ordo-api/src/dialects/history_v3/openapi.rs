//! history_v3's part of `/openapi.json`: its tag, its credential, its shared answers, and as
//! documentation mirrors the Order resource, the list envelope,
//! the query and the error envelope of `dialects/history_v3/`, closed, so that
//! tests/openapi.rs notices any field the dialect writes and this does not list.
#![allow(dead_code)] // described, never constructed

use std::borrow::Cow;

use ordo_model::ORDER_TYPES;
use utoipa::openapi::RefOr;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{IntoParams, OpenApi, PartialSchema, ToResponse, ToSchema};

use crate::dialects::history_v3::query::DEFAULT_LIMIT;
use crate::dialects::history_v3::render::STATUS_CODES;
use crate::openapi::params::{AnyInteger, DateOrUtcDateTime, NonEmpty};
use crate::openapi::schemas::{UtcDateTime, json_error, retry_after, www_authenticate};

/// One page of a customer's orders.
#[derive(ToSchema)]
#[schema(as = history_v3::Page)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct Page {
    /// Orders matching the filters, all pages together.
    total_count: u64,
    /// Orders in this page.
    count: u64,
    /// The offset asked for.
    offset: u64,
    /// The limit in effect, after clamping.
    #[schema(minimum = 1, maximum = 100)]
    limit: u64,
    /// Newest first (`creationDate`, then `orderId`, descending).
    items: Vec<Order>,
    links: PageLinks,
}

/// The Order resource.
#[derive(ToSchema)]
#[schema(as = history_v3::Order)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct Order {
    /// `""` when the order has none.
    external_reference_id: String,
    order_id: String,
    customer_id: String,
    order_type: OrderType,
    /// The order this one replaces; `""` when none.
    reference_order_id: String,
    /// The oldest order that replaces this one; `""` when none.
    referenced_order_id: String,
    currency_code: String,
    creation_date: UtcDateTime,
    status: StatusCode,
    /// The order's channel; `""` when none.
    source: String,
    line_items: Vec<LineItem>,
    links: OrderLinks,
}

#[derive(ToSchema)]
#[schema(as = history_v3::LineItem)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct LineItem {
    ext_line_item_number: i64,
    offer_id: String,
    quantity: i64,
    /// `""` when none.
    subscription_id: String,
    /// The line's own status when it has one, else the order's.
    status: StatusCode,
    currency_code: String,
    /// Left out when the line has none.
    #[schema(required = false)]
    deployment_id: String,
    /// Left out when the line has none.
    #[schema(required = false, min_items = 1)]
    promotions: Vec<Promotion>,
}

#[derive(ToSchema)]
#[schema(as = history_v3::Promotion)]
#[serde(deny_unknown_fields)]
pub(crate) struct Promotion {
    code: String,
    result: String,
}

#[derive(ToSchema)]
#[schema(as = history_v3::OrderLinks)]
#[serde(deny_unknown_fields)]
pub(crate) struct OrderLinks {
    /// `/v3/customers/{customerId}/orders/{orderId}`.
    #[serde(rename = "self")]
    this: Link,
}

#[derive(ToSchema)]
#[schema(as = history_v3::PageLinks)]
#[serde(deny_unknown_fields)]
pub(crate) struct PageLinks {
    /// This page.
    #[serde(rename = "self")]
    this: Link,
    /// The page at `offset + limit`, while there is one.
    #[schema(required = false)]
    next: Link,
    /// The page at `max(0, offset - limit)`, when `offset` is above 0.
    #[schema(required = false)]
    prev: Link,
}

/// A link: the list path with the filters as given, then `offset` and the effective `limit`.
#[derive(ToSchema)]
#[schema(as = history_v3::Link)]
#[serde(deny_unknown_fields)]
pub(crate) struct Link {
    uri: String,
    #[schema(inline)]
    method: LinkMethod,
    /// Always `[]`.
    #[schema(max_items = 0)]
    headers: Vec<String>,
}

#[derive(ToSchema)]
pub(crate) enum LinkMethod {
    #[schema(rename = "GET")]
    Get,
}

/// `orderType`: `NEW` when the order names none.
pub(crate) struct OrderType;

impl PartialSchema for OrderType {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(ORDER_TYPES))
            .into()
    }
}

impl ToSchema for OrderType {
    fn name() -> Cow<'static, str> {
        "history_v3.OrderType".into()
    }
}

/// The order's status through the tenant's dictionary: 1002 open (New, Open, Ready), 1000
/// complete (Shipped, Delivered, Completed), 1004 cancelled, 1026 rejected.
pub(crate) struct StatusCode;

impl PartialSchema for StatusCode {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(STATUS_CODES))
            .into()
    }
}

impl ToSchema for StatusCode {
    fn name() -> Cow<'static, str> {
        "history_v3.StatusCode".into()
    }
}

/// The query of the list. Values of one parameter are OR-ed, parameters AND-ed; a bad value
/// is a 400 naming it; unknown parameters are ignored (and left out of the links).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct Query {
    /// Only orders of these types (exact case); repeatable.
    #[param(rename = "order-type", value_type = Vec<OrderType>, required = false, style = Form,
        explode)]
    order_type: Vec<String>,
    /// Only orders with these status codes; repeatable.
    #[param(value_type = Vec<StatusCode>, required = false, style = Form, explode)]
    status: Vec<String>,
    /// Only orders that replace one of these orders; repeatable, never empty.
    #[param(rename = "reference-order-id", value_type = Vec<NonEmpty>, inline, required = false,
        style = Form, explode)]
    reference_order_id: Vec<String>,
    /// Only orders with a line of one of these offers; repeatable, never empty.
    #[param(rename = "offer-id", value_type = Vec<NonEmpty>, inline, required = false,
        style = Form, explode)]
    offer_id: Vec<String>,
    /// `creationDate` at or after: `2019-05-02` (midnight UTC) or `2019-05-02T22:49:54Z`,
    /// nothing else. No bound when absent.
    #[param(rename = "start-date", value_type = DateOrUtcDateTime, inline, required = false)]
    start_date: String,
    /// `creationDate` at or before, in the same forms; not before `start-date`. A date alone
    /// is midnight UTC.
    #[param(rename = "end-date", value_type = DateOrUtcDateTime, inline, required = false)]
    end_date: String,
    /// Accepted and ignored: only the key's tenant's orders are ever answered.
    #[param(rename = "reseller-id", value_type = String, required = false)]
    reseller_id: String,
    /// Orders per page: a whole number, clamped to 1..100 (`0` and below are 1, above 100
    /// is 100), never refused for its size.
    #[param(value_type = AnyInteger, inline, required = false, default = json!(DEFAULT_LIMIT))]
    limit: i64,
    /// Orders to skip: at most `totalCount` (beyond it: 400).
    #[param(value_type = u64, required = false, minimum = 0, default = 0)]
    offset: u64,
}

/// The one request header of the dialect that is not a credential.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
pub(crate) struct Headers {
    /// Echoed on every answer of the dialect, errors included, when given. The reference
    /// marks it required; ordo does not refuse a request without it.
    #[param(rename = "X-Correlation-Id", value_type = String, required = false)]
    correlation_id: String,
}

/// `{"code", "message", "additionalDetails"}`: every error of the dialect, a 405 included.
#[derive(ToSchema)]
#[schema(as = history_v3::Error)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct Error {
    #[schema(inline)]
    code: ErrorCode,
    #[schema(inline)]
    message: ErrorMessage,
    /// `<parameter>: <problem>` per bad parameter (400); a sentence (403); `requestId: <id>`
    /// (500, 503); `[]` when there is nothing to add.
    additional_details: Vec<String>,
}

/// The HTTP status, as a string.
#[derive(ToSchema)]
pub(crate) enum ErrorCode {
    #[schema(rename = "400")]
    BadRequest,
    #[schema(rename = "401")]
    Unauthorized,
    #[schema(rename = "403")]
    Forbidden,
    #[schema(rename = "404")]
    NotFound,
    #[schema(rename = "405")]
    MethodNotAllowed,
    #[schema(rename = "500")]
    Internal,
    #[schema(rename = "503")]
    Unavailable,
}

/// The reference's description of the status.
#[derive(ToSchema)]
pub(crate) enum ErrorMessage {
    #[schema(rename = "Bad request")]
    BadRequest,
    #[schema(rename = "Invalid Authorization token")]
    Unauthorized,
    #[schema(rename = "Invalid API Key")]
    Forbidden,
    #[schema(rename = "Invalid customer ID")]
    CustomerNotFound,
    #[schema(rename = "Invalid customer or order ID")]
    OrderNotFound,
    #[schema(rename = "Method not allowed")]
    MethodNotAllowed,
    #[schema(rename = "Internal server error")]
    Internal,
    #[schema(rename = "Service unavailable, retry shortly")]
    Unavailable,
}

fn error(description: &str) -> ResponseBuilder {
    json_error(description, &Error::name())
}

/// 401 of the dialect.
pub(crate) struct Unauthorized;

impl<'r> ToResponse<'r> for Unauthorized {
    fn response() -> (&'r str, RefOr<Response>) {
        let response = error(
            "\"Invalid Authorization token\": no `Authorization: Bearer`, or an unknown or \
             revoked key in it. `X-Api-Key` alone never authenticates here.",
        )
        .header("WWW-Authenticate", www_authenticate());
        ("history_v3.Unauthorized", response.build().into())
    }
}

/// 403 of the dialect.
pub(crate) struct Forbidden;

impl<'r> ToResponse<'r> for Forbidden {
    fn response() -> (&'r str, RefOr<Response>) {
        let response = error(
            "\"Invalid API Key\": `X-Api-Key` is missing, empty or names another key than the \
             bearer's, or the key lacks the scope `orders`.",
        );
        ("history_v3.Forbidden", response.build().into())
    }
}

/// 500 of the dialect.
pub(crate) struct Internal;

impl<'r> ToResponse<'r> for Internal {
    fn response() -> (&'r str, RefOr<Response>) {
        let response = error(
            "\"Internal server error\"; `additionalDetails` names the request id, the cause \
             goes to the log only.",
        );
        ("history_v3.Internal", response.build().into())
    }
}

/// 503 of the dialect.
pub(crate) struct Unavailable;

impl<'r> ToResponse<'r> for Unavailable {
    fn response() -> (&'r str, RefOr<Response>) {
        let response = error(
            "\"Service unavailable, retry shortly\": the store is unreachable; \
             `additionalDetails` names the request id.",
        )
        .header("Retry-After", retry_after());
        ("history_v3.Unavailable", response.build().into())
    }
}

/// The dialect's share of the document: its tag, its shared answers, its `X-Api-Key`.
#[derive(OpenApi)]
#[openapi(
    components(responses(Unauthorized, Forbidden, Internal, Unavailable)),
    tags((name = "history_v3", description = "Reference 002: a customer's order history and \
        one order's details. `Authorization: Bearer` and `X-Api-Key` together; errors \
        `{\"code\", \"message\", \"additionalDetails\"}`; `X-Correlation-Id` echoed. \
        docs/dialects/history_v3.md maps every field.")),
    modifiers(&Credential),
)]
pub(crate) struct Doc;

struct Credential;

impl utoipa::Modify for Credential {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        crate::openapi::key_header(
            openapi,
            "historyV3ApiKey",
            "X-Api-Key",
            "history_v3: names the key of the `Authorization` header, by its id (the 12 hex \
             digits of `ordo_<id>_...`) or its whole secret. It never authenticates alone: it \
             goes with `bearer`.",
        );
    }
}

/// Every answer of the dialect, errors included, echoes `X-Correlation-Id`.
pub(crate) fn add_correlation_id(openapi: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::header::HeaderBuilder;
    crate::openapi::each_response(openapi, |response| {
        let header = HeaderBuilder::new()
            .schema(ObjectBuilder::new().schema_type(Type::String))
            .description(Some("The request's `X-Correlation-Id`, when it has one."))
            .build();
        response.headers.insert("X-Correlation-Id".into(), header);
    });
}
