//! customer_orders_v2 (reference 003, mittwald's API v2) as documentation mirrors: the
//! `CustomerOrder` the dialect writes, its query, its pagination headers and its error
//! envelope, closed, so that tests/openapi.rs notices any field written and not listed here.
//! An optional field without a value is left out, never `null`.
#![allow(dead_code)] // described, never constructed

use ordo_model::TITLES;
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::dialects::customer_orders_v2::query::{DEFAULT_LIMIT, OrderStatus};
use crate::openapi::params::{NonEmpty, Unsigned};
use crate::openapi::schemas::{UtcDateTime, Uuid, string_enum_schema};
use crate::openapi::shared::{Answers, Credential};

/// mittwald's `CustomerOrder`, as ordo fills it from a canonical order.
#[derive(ToSchema)]
#[schema(as = customer_orders_v2::CustomerOrder)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct CustomerOrder {
    /// Left out unless the order changes a contract.
    #[schema(required = false)]
    contract_change_contract_id: Uuid,
    #[schema(min_length = 1)]
    customer_id: String,
    /// Left out when the order has none.
    #[schema(required = false)]
    due_date: UtcDateTime,
    /// Months; `0` when the order gives none.
    #[schema(minimum = 0)]
    invoicing_period: i64,
    /// The order's lines, in order; `[]` when none.
    items: Vec<OrderItem>,
    /// The order's `createdAt`.
    order_date: UtcDateTime,
    /// A UUID stable for the tenant's order.
    order_id: Uuid,
    /// The order's id in ordo.
    #[schema(min_length = 1)]
    order_number: String,
    /// From the billing address; left out without one that has an email.
    #[schema(required = false)]
    profile: Profile,
    status: Status,
    summary: Summary,
    #[serde(rename = "type")]
    #[schema(inline)]
    kind: OrderKind,
}

#[derive(ToSchema)]
#[schema(as = customer_orders_v2::OrderItem)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct OrderItem {
    /// Left out when the line has none.
    #[schema(required = false, min_items = 1)]
    addons: Vec<Addon>,
    article_id: String,
    #[schema(required = false)]
    article_name: String,
    /// What `templateNames` filters on; left out when the line has none.
    #[schema(required = false)]
    article_template_name: String,
    /// Left out when the line has none.
    #[schema(required = false, min_items = 1)]
    attribute_configuration: Vec<Attribute>,
    is_inclusive: bool,
    /// A UUID stable for the tenant's order line.
    order_item_id: Uuid,
    #[schema(required = false)]
    predefined_domain_aggregate_id: String,
    /// `unitPrice × quantity − discount`, exact, net of tax.
    price: f64,
    /// Left out when none of its ids has a value.
    #[schema(required = false)]
    reference: Reference,
}

#[derive(ToSchema)]
#[schema(as = customer_orders_v2::Addon)]
#[serde(deny_unknown_fields)]
pub(crate) struct Addon {
    #[schema(required = false)]
    hidden: bool,
    key: String,
    value: String,
}

#[derive(ToSchema)]
#[schema(as = customer_orders_v2::Attribute)]
#[serde(deny_unknown_fields)]
pub(crate) struct Attribute {
    key: String,
    #[schema(required = false)]
    value: String,
}

/// Where the line came from: each id left out when unknown.
#[derive(ToSchema)]
#[schema(as = customer_orders_v2::Reference)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct Reference {
    #[schema(required = false)]
    contract_item_id: Uuid,
    #[schema(required = false)]
    offer_item_id: Uuid,
    #[schema(required = false)]
    order_item_id: Uuid,
}

/// From the order's billing address.
#[derive(ToSchema)]
#[schema(as = customer_orders_v2::Profile)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct Profile {
    #[schema(format = "email")]
    email: String,
    #[schema(required = false)]
    first_name: String,
    #[schema(required = false)]
    last_name: String,
    /// The billing address's `title`; left out when it has none.
    #[schema(required = false)]
    title: Title,
    user_id: Uuid,
}

/// Exact amounts with one scale: `nonRecurring + recurring = summary`.
#[derive(ToSchema)]
#[schema(as = customer_orders_v2::Summary)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct Summary {
    /// `summary − recurring`; may be negative.
    non_recurring: f64,
    /// The lines marked recurring; `0` when none.
    recurring: f64,
    /// The order's `total`; without one, the sum of the line prices.
    summary: f64,
}

#[derive(ToSchema)]
pub(crate) enum OrderKind {
    #[schema(rename = "NEW_ORDER")]
    NewOrder,
    #[schema(rename = "CONTRACT_CHANGE")]
    ContractChange,
}

/// A salutation.
pub(crate) struct Title;

string_enum_schema!(Title, "customer_orders_v2.Title", TITLES);

/// mittwald's `OrderStatus`, from the phase of the order's status (New → NEW; Open, Ready →
/// CONFIRMED; Shipped, Delivered, Completed → EXECUTED; Cancelled → ABORTED; Rejected →
/// REJECTED).
pub(crate) struct Status;

string_enum_schema!(
    Status,
    "customer_orders_v2.OrderStatus",
    OrderStatus::ALL.map(OrderStatus::as_str)
);

/// The query. Unknown parameters are ignored. A list parameter is repeated
/// (`includesStatus=NEW&includesStatus=CONFIRMED`), or written `name[]=` or `name[0]=`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct Query {
    /// The most orders in the answer; `0` answers `[]` (the headers still count).
    #[param(value_type = u64, required = false, minimum = 0, maximum = 1000,
        default = json!(DEFAULT_LIMIT))]
    limit: u64,
    /// Orders skipped before the window; adds up with `page`.
    #[param(value_type = Unsigned, inline, required = false, default = 0)]
    skip: u64,
    /// 1-based page of `limit` orders (`0` is the first page too): the window starts at
    /// `skip + (page − 1) × limit`.
    #[param(value_type = Unsigned, inline, required = false, default = 1)]
    page: u64,
    /// The order's `status` must be one of these.
    #[param(rename = "includesStatus", value_type = Vec<Status>, required = false,
        style = Form, explode)]
    includes_status: Vec<String>,
    /// The order's `status` must be none of these.
    #[param(rename = "excludesStatus", value_type = Vec<Status>, required = false,
        style = Form, explode)]
    excludes_status: Vec<String>,
    /// One of the order's lines must have one of these `articleTemplateName`s (exact); an
    /// empty name is a 400.
    #[param(rename = "templateNames", value_type = Vec<NonEmpty>, inline, required = false,
        style = Form, explode)]
    template_names: Vec<String>,
}

/// mittwald's `de.mittwald.v1.commons.Error`: every non-200 answer of the dialect.
#[derive(ToSchema)]
#[schema(as = customer_orders_v2::Error)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct Error {
    #[serde(rename = "type")]
    #[schema(inline)]
    kind: ErrorType,
    message: String,
    /// On a 400 only: every problem.
    #[schema(required = false)]
    validation_errors: Vec<Violation>,
    /// On 500 and 503 only: the request's `X-Request-Id`.
    #[schema(required = false)]
    request_id: String,
}

#[derive(ToSchema)]
pub(crate) enum ErrorType {
    ValidationError,
    Unauthorized,
    PermissionDenied,
    NotFound,
    MethodNotAllowed,
    TooManyRequests,
    ServiceUnavailable,
    InternalServerError,
}

/// One bad query value, as mittwald's `ValidationErrors` has it.
#[derive(ToSchema)]
#[schema(as = customer_orders_v2::ValidationError)]
#[serde(deny_unknown_fields)]
pub(crate) struct Violation {
    message: String,
    /// JavaScript notation: `.limit`, `.includesStatus[1]`.
    path: String,
    #[serde(rename = "type")]
    #[schema(inline)]
    kind: ViolationType,
    /// Left out when empty.
    #[schema(required = false)]
    context: ViolationContext,
}

/// ajv's keyword.
#[derive(ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) enum ViolationType {
    Type,
    Maximum,
    Enum,
    MinLength,
}

#[derive(ToSchema)]
#[schema(as = customer_orders_v2::ValidationContext)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ViolationContext {
    /// `enum`: the allowed values, comma-separated.
    #[schema(required = false)]
    allowed_values: String,
    /// `maximum`: `<=`.
    #[schema(required = false)]
    comparison: String,
    /// `maximum`: the bound.
    #[schema(required = false)]
    limit: String,
}

/// The answers every operation of the dialect shares (`openapi::shared`).
pub(crate) const ANSWERS: Answers = Answers {
    prefix: "customer_orders_v2.",
    schema: "customer_orders_v2.Error",
    unauthorized: "`Unauthorized`: no credential (or an empty one, another scheme, v1's \
        `X-Api-Key` alone), or an unknown or revoked key.",
    forbidden: None,
    too_many_requests: "`TooManyRequests`: the key is over its rate; `Retry-After` says \
        when to retry.",
    // No route of the dialect reads a body.
    request_timeout: None,
    internal: "`InternalServerError`; the body carries `requestId` and no internals.",
    unavailable: "`ServiceUnavailable`: the store is unreachable; retry shortly. The body \
        carries `requestId`.",
    credential: Some(Credential {
        scheme: "accessToken",
        header: "x-access-token",
        description: "customer_orders_v2: an ordo API key, as mittwald's clients send a token; \
        `Authorization: Bearer` wins when both are given.",
    }),
};

/// The dialect's share of the document: its tag (its credential and shared answers: `ANSWERS`).
#[derive(OpenApi)]
#[openapi(
    tags((name = "customer_orders_v2", description = "mittwald's API v2: a \
        customer's orders as `CustomerOrder`s. `Authorization: Bearer` or \
        `x-access-token`; errors `{\"type\", \"message\", ...}`. \
        docs/dialects/customer_orders_v2.md maps every field.")),
)]
pub(crate) struct Doc;
