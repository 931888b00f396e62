//! The error envelope of customer_orders_v2: mittwald's `{"type", "message"}` on every
//! non-200 answer, with `validationErrors` on a 400 as mittwald's `ValidationErrors` has it.

use std::collections::BTreeMap;

use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use ordo_model::Kind;
use ordo_store::{ApiKey, StoreError};
use serde::Serialize;

use crate::surface::{self, Failure, Surface};
use crate::{ApiError, auth};

/// One problem with one query parameter, in mittwald's `ValidationErrorSchema` shape.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct Violation {
    pub message: String,
    /// JavaScript property notation, as mittwald writes it: `.limit`, `.includesStatus[1]`.
    pub path: String,
    /// ajv's keyword: `type`, `minimum`, `maximum`, `enum`, `minLength`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Strings only, as mittwald's schema has it.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub context: BTreeMap<&'static str, String>,
}

impl Violation {
    pub fn new(path: impl Into<String>, kind: &'static str, message: impl Into<String>) -> Self {
        Violation {
            message: message.into(),
            path: path.into(),
            kind,
            context: BTreeMap::new(),
        }
    }

    pub fn with_context(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.context.insert(key, value.into());
        self
    }
}

/// customer_orders_v2 on the seam.
pub(crate) struct CustomerOrdersV2;

/// An error of the dialect: a 400 that names its violations, or any other, answered through
/// the seam.
#[derive(Debug)]
pub(crate) enum V2Error {
    Validation(Vec<Violation>),
    Other(ApiError),
}

impl Surface for CustomerOrdersV2 {
    const CHALLENGE: Option<&'static str> = Some("Bearer");
    const READS_ONLY: bool = true;
    type Body<'a> = Body<'a>;

    /// `Authorization: Bearer <key>`, else `x-access-token: <key>`: the two ways mittwald's
    /// clients send a token.
    fn credential(headers: &HeaderMap) -> Option<&str> {
        let access_token = || {
            headers
                .get("x-access-token")
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
        };
        auth::bearer(headers)
            .filter(|t| !t.is_empty())
            .or_else(|| access_token().filter(|t| !t.is_empty()))
    }

    fn admit(key: &ApiKey, _parts: &Parts) -> Result<(), ApiError> {
        surface::require(key, Kind::Order.read_scope())
    }

    fn render(error: &ApiError) -> (StatusCode, Body<'_>) {
        let (status, kind, message) = match error {
            ApiError::Unauthorized | ApiError::NoCredential => (
                StatusCode::UNAUTHORIZED,
                "Unauthorized",
                "missing, unknown or revoked access token".to_owned(),
            ),
            ApiError::Forbidden(message) => {
                (StatusCode::FORBIDDEN, "PermissionDenied", message.clone())
            }
            ApiError::NotFound(message) => (StatusCode::NOT_FOUND, "NotFound", message.clone()),
            ApiError::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "MethodNotAllowed",
                "method not allowed".to_owned(),
            ),
            ApiError::TooManyRequests { message, .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "TooManyRequests",
                message.clone(),
            ),
            ApiError::RequestTimeout => (
                StatusCode::REQUEST_TIMEOUT,
                "RequestTimeout",
                error.to_string(),
            ),
            ApiError::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "ServiceUnavailable",
                "the store is unavailable; retry shortly".to_owned(),
            ),
            // The dialect serves one read: the rest can only be our own failure.
            _ => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalServerError",
                "internal error; quote the request id when reporting it".to_owned(),
            ),
        };
        let body = Body {
            kind,
            message,
            validation_errors: None,
            // As v1: only the bodies of 500 and 503 name the request.
            request_id: surface::reported_request_id(status),
        };
        (status, body)
    }
}

impl From<ApiError> for V2Error {
    fn from(error: ApiError) -> V2Error {
        V2Error::Other(error)
    }
}

impl From<StoreError> for V2Error {
    fn from(error: StoreError) -> V2Error {
        V2Error::Other(error.into())
    }
}

impl From<Failure<CustomerOrdersV2>> for V2Error {
    fn from(failure: Failure<CustomerOrdersV2>) -> V2Error {
        V2Error::Other(failure.0)
    }
}

/// `{"type", "message", "validationErrors"?, "requestId"?}`.
#[derive(Serialize)]
pub(crate) struct Body<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    message: String,
    #[serde(rename = "validationErrors", skip_serializing_if = "Option::is_none")]
    validation_errors: Option<&'a [Violation]>,
    #[serde(rename = "requestId", skip_serializing_if = "Option::is_none")]
    request_id: Option<String>,
}

impl IntoResponse for V2Error {
    fn into_response(self) -> Response {
        match self {
            V2Error::Other(error) => surface::respond::<CustomerOrdersV2>(&error),
            V2Error::Validation(violations) => {
                let message = match violations.as_slice() {
                    [one] => format!("Validation failed: {} {}", one.path, one.message),
                    many => format!("Validation failed: {} problems", many.len()),
                };
                let body = Body {
                    kind: "ValidationError",
                    message,
                    validation_errors: Some(&violations),
                    request_id: None,
                };
                (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
            }
        }
    }
}
