//! `ApiError`: every failure of the v1 surface as a status and the JSON error body of
//! DESIGN.md, `{"error": {"code", "message", "details"}}`.

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use ordo_model::ValidationError;
use ordo_store::StoreError;
use serde::Serialize;

use crate::auth;
use crate::surface::{self, Surface};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{message}")]
    BadRequest {
        message: String,
        details: Vec<ValidationError>,
    },
    #[error("missing, unknown or revoked API key")]
    Unauthorized,
    /// A 401 because the request presents no credential at all (a surface may say so).
    #[error("missing, unknown or revoked API key")]
    NoCredential,
    /// The message says what the key lacks.
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("{0}")]
    Conflict(String),
    #[error("{}", precondition_message(*.current))]
    PreconditionFailed { current: Option<i64> },
    #[error("request body larger than {0} bytes")]
    PayloadTooLarge(usize),
    #[error("unsupported content type: expected {0}")]
    UnsupportedMediaType(&'static str),
    /// Over a bound that frees up with time: a key's rate, the imports running.
    #[error("{message}")]
    TooManyRequests {
        message: String,
        /// Whole seconds, at least 1.
        retry_after: u64,
        /// The key's rate, when that is the bound.
        rate: Option<crate::rate_limit::Verdict>,
    },
    /// The request body did not arrive whole within the body deadline.
    #[error("the request body did not arrive within the time allowed")]
    RequestTimeout,
    #[error("the store is unavailable")]
    Unavailable,
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ApiError {
    pub fn bad_request(details: Vec<ValidationError>) -> ApiError {
        let message = match details.as_slice() {
            [one] => format!("invalid request: {one}"),
            many => format!("invalid request: {} problems", many.len()),
        };
        ApiError::BadRequest { message, details }
    }

    pub fn bad_field(field: &str, problem: impl Into<String>) -> ApiError {
        ApiError::bad_request(vec![ValidationError {
            field: field.to_owned(),
            problem: problem.into(),
        }])
    }

    /// 403 for a key without `scope`, naming it.
    pub fn missing_scope(scope: &str) -> ApiError {
        ApiError::Forbidden(format!("this key lacks the scope {scope:?}"))
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized | ApiError::NoCredential => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::PreconditionFailed { .. } => StatusCode::PRECONDITION_FAILED,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest { .. } => "bad_request",
            ApiError::Unauthorized | ApiError::NoCredential => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not_found",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::Conflict(_) => "conflict",
            ApiError::PreconditionFailed { .. } => "precondition_failed",
            ApiError::PayloadTooLarge(_) => "payload_too_large",
            ApiError::UnsupportedMediaType(_) => "unsupported_media_type",
            ApiError::TooManyRequests { .. } => "too_many_requests",
            ApiError::RequestTimeout => "request_timeout",
            ApiError::Unavailable => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }

    pub fn details(&self) -> &[ValidationError] {
        match self {
            ApiError::BadRequest { details, .. } => details,
            _ => &[],
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        match error {
            StoreError::NotFound => ApiError::NotFound("not found".into()),
            StoreError::Conflict { current_revision } => ApiError::PreconditionFailed {
                current: current_revision,
            },
            StoreError::KeyRevoked => ApiError::Unauthorized,
            StoreError::OtherCustomer => {
                ApiError::Forbidden("this key may write documents of its own customer only".into())
            }
            StoreError::Unavailable(_) => {
                tracing::error!(error = ?error, "store unavailable");
                ApiError::Unavailable
            }
            StoreError::Backend(source) => ApiError::Internal(source),
        }
    }
}

fn precondition_message(current: Option<i64>) -> String {
    match current {
        Some(revision) => {
            format!("precondition failed: the document's current ETag is \"{revision}\"")
        }
        None => "precondition failed: the document does not exist".to_owned(),
    }
}

/// v1 on the seam: `Authorization: Bearer <key>` or `X-Api-Key: <key>`, and the envelope of
/// DESIGN.md.
pub(crate) struct V1;

impl Surface for V1 {
    const CHALLENGE: Option<&'static str> = Some("Bearer");
    const READS_ONLY: bool = false;
    type Body<'a> = Body<'a>;

    fn credential(headers: &HeaderMap) -> Option<&str> {
        auth::presented_secret(headers)
    }

    fn render(error: &ApiError) -> (StatusCode, Body<'_>) {
        let message = match error {
            ApiError::Internal(_) => {
                "internal error; quote the request id when reporting it".into()
            }
            ApiError::Unavailable => "the store is unavailable; retry shortly".to_owned(),
            other => other.to_string(),
        };
        let body = Body {
            error: ErrorJson {
                code: error.code(),
                message,
                details: error.details(),
                request_id: surface::reported_request_id(error.status()),
            },
        };
        (error.status(), body)
    }
}

/// `{"error": {...}}`: the body of every error.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Error)]
pub(crate) struct Body<'a> {
    error: ErrorJson<'a>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = ErrorDetail)]
pub(crate) struct ErrorJson<'a> {
    #[schema(value_type = crate::openapi::schemas::ErrorCode)]
    code: &'a str,
    /// For people: what went wrong, and for a 403 the scope the key lacks.
    message: String,
    /// One entry per bad field (400); `[]` when there is nothing per field.
    #[schema(value_type = Vec<crate::openapi::schemas::FieldProblem>)]
    details: &'a [ValidationError],
    /// On 500 and 503 only: the request's `X-Request-Id`, to quote when reporting it.
    #[serde(rename = "requestId", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = String, required = false)]
    request_id: Option<String>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        surface::respond::<V1>(&self)
    }
}
