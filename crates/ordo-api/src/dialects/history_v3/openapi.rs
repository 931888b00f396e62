//! history_v3's part of `/openapi.json`: its tag, its credential, its shared answers, and as
//! documentation mirrors the Order resource, the list envelope,
//! the query and the error envelope of `dialects/history_v3/`, closed, so that
//! tests/openapi.rs notices any field the dialect writes and this does not list.
#![allow(dead_code)] // described, never constructed

use ordo_model::ORDER_TYPES;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::dialects::history_v3::query::DEFAULT_LIMIT;
use crate::dialects::history_v3::render::STATUS_CODES;
use crate::openapi::params::{AnyInteger, DateOrUtcDateTime, NonEmpty};
use crate::openapi::schemas::{UtcDateTime, string_enum_schema};
use crate::openapi::shared::{Answers, Credential};

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

string_enum_schema!(OrderType, "history_v3.OrderType", ORDER_TYPES);

/// The order's status through the tenant's dictionary: 1002 open (New, Open, Ready), 1000
/// complete (Shipped, Delivered, Completed), 1004 cancelled, 1026 rejected.
pub(crate) struct StatusCode;

string_enum_schema!(StatusCode, "history_v3.StatusCode", STATUS_CODES);

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
    /// Echoed on every answer of the dialect, errors included, when given. The v3 order
    /// history API marks it required; ordo does not refuse a request without it.
    #[param(rename = "X-Correlation-Id", value_type = String, required = false)]
    correlation_id: String,
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
    #[schema(rename = "429")]
    TooManyRequests,
    #[schema(rename = "500")]
    Internal,
    #[schema(rename = "503")]
    Unavailable,
}

/// The v3 order history API's own description of the status.
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
    #[schema(rename = "Too many requests")]
    TooManyRequests,
    #[schema(rename = "Internal server error")]
    Internal,
    #[schema(rename = "Service unavailable, retry shortly")]
    Unavailable,
}

/// The answers every operation of the dialect shares (`openapi::shared`).
pub(crate) const ANSWERS: Answers = Answers {
    prefix: "history_v3.",
    schema: "history_v3.Error",
    unauthorized: "\"Invalid Authorization token\": no `Authorization: Bearer`, or an unknown or \
        revoked key in it. `X-Api-Key` alone never authenticates here.",
    forbidden: Some(
        "\"Invalid API Key\": `X-Api-Key` is missing, empty or names another key than the \
         bearer's, or the key lacks the scope `orders`.",
    ),
    too_many_requests: "\"Too many requests\": the key is over its rate; \
        `additionalDetails` says which, `Retry-After` when to retry.",
    // No route of the dialect reads a body.
    request_timeout: None,
    internal: "\"Internal server error\"; `additionalDetails` names the request id, the cause \
        goes to the log only.",
    unavailable: "\"Service unavailable, retry shortly\": the store is unreachable; \
        `additionalDetails` names the request id.",
    credential: Some(Credential {
        scheme: "historyV3ApiKey",
        header: "X-Api-Key",
        description: "history_v3: names the key of the `Authorization` header, by its id (the 12 hex \
         digits of `ordo_<id>_...`) or its whole secret. It never authenticates alone: it \
         goes with `bearer`.",
    }),
};

/// The dialect's share of the document: its tag (its credential and shared answers: `ANSWERS`).
#[derive(OpenApi)]
#[openapi(
    tags((name = "history_v3", description = "The v3 order history API: a customer's order \
        history and one order's details. `Authorization: Bearer` and `X-Api-Key` together; \
        errors `{\"code\", \"message\", \"additionalDetails\"}`; `X-Correlation-Id` \
        echoed. docs/dialects/history_v3.md maps every field.")),
)]
pub(crate) struct Doc;

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
