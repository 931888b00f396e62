//! The error envelope of customer_orders_v2: mittwald's `{"type", "message"}` on every
//! non-200 answer, with `validationErrors` on a 400 as mittwald's `ValidationErrors` has it.

use std::collections::BTreeMap;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ordo_store::StoreError;
use serde::Serialize;

use crate::{ApiError, request_id};

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

#[derive(Debug)]
pub(crate) enum V2Error {
    Validation(Vec<Violation>),
    Unauthorized,
    PermissionDenied(String),
    NotFound(String),
    MethodNotAllowed,
    Unavailable,
    Internal(Box<dyn std::error::Error + Send + Sync>),
}

impl V2Error {
    fn status(&self) -> StatusCode {
        match self {
            V2Error::Validation(_) => StatusCode::BAD_REQUEST,
            V2Error::Unauthorized => StatusCode::UNAUTHORIZED,
            V2Error::PermissionDenied(_) => StatusCode::FORBIDDEN,
            V2Error::NotFound(_) => StatusCode::NOT_FOUND,
            V2Error::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            V2Error::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            V2Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            V2Error::Validation(_) => "ValidationError",
            V2Error::Unauthorized => "Unauthorized",
            V2Error::PermissionDenied(_) => "PermissionDenied",
            V2Error::NotFound(_) => "NotFound",
            V2Error::MethodNotAllowed => "MethodNotAllowed",
            V2Error::Unavailable => "ServiceUnavailable",
            V2Error::Internal(_) => "InternalServerError",
        }
    }

    fn message(&self) -> String {
        match self {
            V2Error::Validation(violations) => match violations.as_slice() {
                [one] => format!("Validation failed: {} {}", one.path, one.message),
                many => format!("Validation failed: {} problems", many.len()),
            },
            V2Error::Unauthorized => "missing, unknown or revoked access token".to_owned(),
            V2Error::PermissionDenied(message) | V2Error::NotFound(message) => message.clone(),
            V2Error::MethodNotAllowed => "method not allowed".to_owned(),
            V2Error::Unavailable => "the store is unavailable; retry shortly".to_owned(),
            V2Error::Internal(source) => {
                tracing::error!(request_id = ?request_id::current(), error = ?source, "internal error");
                "internal error; quote the request id when reporting it".to_owned()
            }
        }
    }
}

impl From<ApiError> for V2Error {
    fn from(error: ApiError) -> V2Error {
        match error {
            ApiError::Unauthorized => V2Error::Unauthorized,
            ApiError::Forbidden(message) => V2Error::PermissionDenied(message),
            ApiError::NotFound(message) => V2Error::NotFound(message),
            ApiError::Unavailable => V2Error::Unavailable,
            ApiError::Internal(source) => V2Error::Internal(source),
            other => V2Error::Internal(other.to_string().into()),
        }
    }
}

impl From<StoreError> for V2Error {
    fn from(error: StoreError) -> V2Error {
        ApiError::from(error).into()
    }
}

#[derive(Serialize)]
struct Body<'a> {
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
        let status = self.status();
        let validation_errors = match &self {
            V2Error::Validation(violations) => Some(violations.as_slice()),
            _ => None,
        };
        let body = Body {
            kind: self.kind(),
            message: self.message(),
            validation_errors,
            // As v1: only the bodies of 500 and 503 name the request.
            request_id: matches!(self, V2Error::Internal(_) | V2Error::Unavailable)
                .then(request_id::current)
                .flatten(),
        };
        let mut response = (status, axum::Json(body)).into_response();
        let headers = response.headers_mut();
        match status {
            StatusCode::UNAUTHORIZED => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            StatusCode::SERVICE_UNAVAILABLE => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            StatusCode::METHOD_NOT_ALLOWED => {
                headers.insert(header::ALLOW, HeaderValue::from_static("GET,HEAD"));
            }
            _ => {}
        }
        response
    }
}
