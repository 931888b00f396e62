//! The error envelope of history_v3: `{"code", "message", "additionalDetails"}`, the shape
//! of the partner API that reference 002 is cut from, for every 4xx and 5xx of the dialect.
//!
//! `code` is the HTTP status as a string, `message` the reference's own description of that
//! status ("Invalid Authorization token", "Invalid API Key", ...), `additionalDetails` one
//! string per problem (`[]` when there is nothing to add).

use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName, StatusCode};
use ordo_model::Kind;
use ordo_store::ApiKey;
use serde::Serialize;

use crate::surface::{self, Failure, Surface};
use crate::{ApiError, auth};

/// The `message` of a 404 of the list: no order of this customer that the key may see.
const CUSTOMER_NOT_FOUND: &str = "Invalid customer ID";
/// The `message` of a 404 of one order: unknown, another customer's or another tenant's.
const ORDER_NOT_FOUND: &str = "Invalid customer or order ID";

const API_KEY: HeaderName = HeaderName::from_static("x-api-key");

/// history_v3 on the seam.
pub(crate) struct HistoryV3;

/// An error answered in this dialect's envelope.
pub(crate) type V3Error = Failure<HistoryV3>;

pub(crate) fn customer_not_found() -> V3Error {
    ApiError::NotFound(CUSTOMER_NOT_FOUND.into()).into()
}

pub(crate) fn order_not_found() -> V3Error {
    ApiError::NotFound(ORDER_NOT_FOUND.into()).into()
}

impl Surface for HistoryV3 {
    const CHALLENGE: Option<&'static str> = Some("Bearer");
    const READS_ONLY: bool = true;
    type Body<'a> = Body<'a>;

    /// `Authorization: Bearer <secret>` only; `X-Api-Key` alone never authenticates.
    fn credential(headers: &HeaderMap) -> Option<&str> {
        auth::bearer(headers)
    }

    /// `X-Api-Key` must name the bearer's key by its id or its secret, and the key must have
    /// the `orders` scope: else 403.
    fn admit(key: &ApiKey, parts: &Parts) -> Result<(), ApiError> {
        let named = parts
            .headers
            .get(API_KEY)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty());
        match named {
            None => return Err(ApiError::Forbidden("X-Api-Key is required".into())),
            Some(named) if named == key.id || key.secret_matches(named) => {}
            Some(_) => {
                return Err(ApiError::Forbidden(
                    "X-Api-Key does not name the key of the Authorization header".into(),
                ));
            }
        }
        surface::require(key, Kind::Order.read_scope())
    }

    fn render(error: &ApiError) -> (StatusCode, Body<'_>) {
        let status = error.status();
        let (message, details): (&str, Vec<String>) = match error {
            ApiError::BadRequest { details, .. } => (
                "Bad request",
                details.iter().map(ToString::to_string).collect(),
            ),
            ApiError::Unauthorized | ApiError::NoCredential => {
                ("Invalid Authorization token", Vec::new())
            }
            ApiError::Forbidden(detail) => ("Invalid API Key", vec![detail.clone()]),
            ApiError::NotFound(message) if message == CUSTOMER_NOT_FOUND => {
                (CUSTOMER_NOT_FOUND, Vec::new())
            }
            ApiError::NotFound(_) => (ORDER_NOT_FOUND, Vec::new()),
            ApiError::MethodNotAllowed => (
                "Method not allowed",
                vec!["the v3 order endpoints answer GET only".to_owned()],
            ),
            ApiError::TooManyRequests { message, .. } => {
                ("Too many requests", vec![message.clone()])
            }
            ApiError::RequestTimeout => ("Request timeout", Vec::new()),
            ApiError::Unavailable => (
                "Service unavailable, retry shortly",
                request_detail(StatusCode::SERVICE_UNAVAILABLE),
            ),
            // The dialect serves no writes: the rest can only be our own failure.
            _ => {
                let body = Body {
                    code: StatusCode::INTERNAL_SERVER_ERROR.as_u16().to_string(),
                    message: "Internal server error",
                    additional_details: request_detail(StatusCode::INTERNAL_SERVER_ERROR),
                };
                return (StatusCode::INTERNAL_SERVER_ERROR, body);
            }
        };
        let body = Body {
            code: status.as_u16().to_string(),
            message,
            additional_details: details,
        };
        (status, body)
    }
}

/// 500 and 503 name the request id, so that a report can be matched with the log.
fn request_detail(status: StatusCode) -> Vec<String> {
    surface::reported_request_id(status)
        .map(|id| vec![format!("requestId: {id}")])
        .unwrap_or_default()
}

/// `{"code", "message", "additionalDetails"}`: every error of the dialect, a 405 included.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = history_v3::Error)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct Body<'a> {
    #[schema(inline, value_type = super::openapi::ErrorCode)]
    code: String,
    #[schema(inline, value_type = super::openapi::ErrorMessage)]
    message: &'a str,
    /// `<parameter>: <problem>` per bad parameter (400); a sentence (403); `requestId: <id>`
    /// (500, 503); `[]` when there is nothing to add.
    additional_details: Vec<String>,
}
