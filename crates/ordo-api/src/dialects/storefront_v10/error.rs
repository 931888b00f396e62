//! The storefront's error envelope: `{"status": "error", "error": {"code", "message",
//! "details"}}` — the answer's own `status` field, as the success body has `"status": "ok"`,
//! with an HTTP status that says the same (docs/dialects/storefront_v10.md).

use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use ordo_model::{Kind, ValidationError};
use ordo_store::ApiKey;
use serde::Serialize;

use crate::ApiError;
use crate::surface::{self, Failure, Surface};

/// The header that carries the customer key.
pub(crate) const KEY_HEADER: &str = "x-customer-key";

/// storefront_v10 on the seam.
pub(crate) struct Storefront;

/// An error answered in the storefront's envelope.
pub(crate) type StorefrontError = Failure<Storefront>;

impl Surface for Storefront {
    // The reference has no challenge: a 401 carries no `WWW-Authenticate`.
    const CHALLENGE: Option<&'static str> = None;
    const READS_ONLY: bool = true;
    type Body<'a> = Body<'a>;

    /// `X-Customer-Key` only: a key sent as `Authorization` is not the storefront's.
    fn credential(headers: &HeaderMap) -> Option<&str> {
        headers
            .get(KEY_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    }

    /// The key must be limited to a customer and have the scope `orders`: else 403.
    fn admit(key: &ApiKey, _parts: &Parts) -> Result<(), ApiError> {
        if key.customer_id.is_none() {
            return Err(ApiError::Forbidden(
                "this key is not limited to a customer: the storefront takes customer keys only"
                    .into(),
            ));
        }
        surface::require(key, Kind::Order.read_scope())
    }

    fn render(error: &ApiError) -> (StatusCode, Body<'_>) {
        let status = match code(error) {
            "InternalError" => StatusCode::INTERNAL_SERVER_ERROR,
            _ => error.status(),
        };
        let message = match error {
            ApiError::NoCredential => "missing X-Customer-Key header".into(),
            ApiError::Unauthorized => "unknown or revoked customer key".into(),
            ApiError::MethodNotAllowed => "method not allowed: use POST".into(),
            ApiError::Unavailable => "the store is unavailable; retry shortly".into(),
            ApiError::Forbidden(_)
            | ApiError::BadRequest { .. }
            | ApiError::UnsupportedMediaType(_)
            | ApiError::PayloadTooLarge(_)
            | ApiError::TooManyRequests { .. }
            | ApiError::RequestTimeout => error.to_string(),
            _ => "internal error; quote the request id when reporting it".into(),
        };
        let body = Body {
            status: "error",
            error: ErrorJson {
                code: code(error),
                message,
                details: error.details(),
                request_id: surface::reported_request_id(status),
            },
        };
        (status, body)
    }
}

/// The `error.code`: PascalCase, as the reference writes its enums (`HalfUp`, `PercentOff`).
/// The storefront only reads: what else could go wrong is our own failure.
pub(crate) fn code(error: &ApiError) -> &'static str {
    match error {
        ApiError::NoCredential | ApiError::Unauthorized => "Unauthorized",
        ApiError::Forbidden(_) => "Forbidden",
        ApiError::BadRequest { .. } => "InvalidRequest",
        ApiError::UnsupportedMediaType(_) => "UnsupportedMediaType",
        ApiError::PayloadTooLarge(_) => "PayloadTooLarge",
        ApiError::MethodNotAllowed => "MethodNotAllowed",
        ApiError::TooManyRequests { .. } => "TooManyRequests",
        ApiError::RequestTimeout => "RequestTimeout",
        ApiError::Unavailable => "ServiceUnavailable",
        _ => "InternalError",
    }
}

/// `{"status": "error", "error": {...}}`: every error of the dialect, a 405 included.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = storefront_v10::Error)]
#[serde(deny_unknown_fields)]
pub(crate) struct Body<'a> {
    #[schema(inline, value_type = super::openapi::ErrorStatus)]
    status: &'static str,
    error: ErrorJson<'a>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = storefront_v10::ErrorDetail)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ErrorJson<'a> {
    #[schema(value_type = super::openapi::ErrorCode)]
    code: &'static str,
    message: String,
    /// Every problem of a 400, named by its path in the body (`conditions.ids[2]`,
    /// `fields[0]`, `limit`, `""` for the whole body); `[]` otherwise.
    #[schema(value_type = Vec<crate::openapi::schemas::FieldProblem>)]
    details: &'a [ValidationError],
    /// On 500 and 503 only: the request's `X-Request-Id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = String, required = false)]
    request_id: Option<String>,
}
