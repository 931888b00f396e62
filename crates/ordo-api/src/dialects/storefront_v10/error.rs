//! The storefront's error envelope: `{"status": "error", "error": {"code", "message",
//! "details"}}` — the answer's own `status` field, as the success body has `"status": "ok"`,
//! with an HTTP status that says the same (docs/dialects/storefront_v10.md).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ordo_model::ValidationError;
use ordo_store::StoreError;
use serde::Serialize;

use crate::{ApiError, request_id};

#[derive(Debug)]
pub(crate) enum StorefrontError {
    /// No `X-Customer-Key` header, or an empty one.
    MissingKey,
    /// A key that does not exist, or was revoked.
    UnknownKey,
    /// A tenant-wide key: the storefront only takes keys limited to one customer.
    NotACustomerKey,
    /// A customer key without the scope `orders`.
    MissingScope,
    /// The body's problems, every one named by its path in the body.
    InvalidRequest(Vec<ValidationError>),
    UnsupportedMediaType,
    PayloadTooLarge(usize),
    MethodNotAllowed,
    Unavailable,
    Internal(Box<dyn std::error::Error + Send + Sync>),
}

impl StorefrontError {
    pub(crate) fn status(&self) -> StatusCode {
        match self {
            StorefrontError::MissingKey | StorefrontError::UnknownKey => StatusCode::UNAUTHORIZED,
            StorefrontError::NotACustomerKey | StorefrontError::MissingScope => {
                StatusCode::FORBIDDEN
            }
            StorefrontError::InvalidRequest(_) => StatusCode::BAD_REQUEST,
            StorefrontError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            StorefrontError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            StorefrontError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            StorefrontError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            StorefrontError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The `error.code`: PascalCase, as the reference writes its enums (`HalfUp`, `PercentOff`).
    pub(crate) fn code(&self) -> &'static str {
        match self {
            StorefrontError::MissingKey | StorefrontError::UnknownKey => "Unauthorized",
            StorefrontError::NotACustomerKey | StorefrontError::MissingScope => "Forbidden",
            StorefrontError::InvalidRequest(_) => "InvalidRequest",
            StorefrontError::UnsupportedMediaType => "UnsupportedMediaType",
            StorefrontError::PayloadTooLarge(_) => "PayloadTooLarge",
            StorefrontError::MethodNotAllowed => "MethodNotAllowed",
            StorefrontError::Unavailable => "ServiceUnavailable",
            StorefrontError::Internal(_) => "InternalError",
        }
    }

    fn message(&self) -> String {
        match self {
            StorefrontError::MissingKey => "missing X-Customer-Key header".into(),
            StorefrontError::UnknownKey => "unknown or revoked customer key".into(),
            StorefrontError::NotACustomerKey => {
                "this key is not limited to a customer: the storefront takes customer keys only"
                    .into()
            }
            StorefrontError::MissingScope => "this key lacks the scope \"orders\"".into(),
            StorefrontError::InvalidRequest(details) => match details.as_slice() {
                [one] => format!("invalid request: {one}"),
                many => format!("invalid request: {} problems", many.len()),
            },
            StorefrontError::UnsupportedMediaType => {
                "unsupported content type: expected application/json".into()
            }
            StorefrontError::PayloadTooLarge(limit) => {
                format!("request body larger than {limit} bytes")
            }
            StorefrontError::MethodNotAllowed => "method not allowed: use POST".into(),
            StorefrontError::Unavailable => "the store is unavailable; retry shortly".into(),
            StorefrontError::Internal(_) => {
                "internal error; quote the request id when reporting it".into()
            }
        }
    }
}

/// The shared helpers (`authenticate`, `body::read`) speak `ApiError`; this keeps their
/// meaning and gives it the storefront's envelope.
impl From<ApiError> for StorefrontError {
    fn from(error: ApiError) -> StorefrontError {
        match error {
            ApiError::Unauthorized => StorefrontError::UnknownKey,
            ApiError::UnsupportedMediaType(_) => StorefrontError::UnsupportedMediaType,
            ApiError::PayloadTooLarge(limit) => StorefrontError::PayloadTooLarge(limit),
            ApiError::Unavailable => StorefrontError::Unavailable,
            ApiError::BadRequest { details, .. } => StorefrontError::InvalidRequest(details),
            ApiError::MethodNotAllowed => StorefrontError::MethodNotAllowed,
            ApiError::Internal(source) => StorefrontError::Internal(source),
            other => StorefrontError::Internal(other.to_string().into()),
        }
    }
}

impl From<StoreError> for StorefrontError {
    fn from(error: StoreError) -> StorefrontError {
        ApiError::from(error).into()
    }
}

#[derive(Serialize)]
struct Body<'a> {
    status: &'static str,
    error: ErrorJson<'a>,
}

#[derive(Serialize)]
struct ErrorJson<'a> {
    code: &'static str,
    message: String,
    details: &'a [ValidationError],
    #[serde(rename = "requestId", skip_serializing_if = "Option::is_none")]
    request_id: Option<String>,
}

impl IntoResponse for StorefrontError {
    fn into_response(self) -> Response {
        let status = self.status();
        let request_id = request_id::current();
        if let StorefrontError::Internal(source) = &self {
            // Internals go to the log with the request id, never into the body.
            tracing::error!(request_id = ?request_id, error = ?source, "internal error");
        }
        let details = match &self {
            StorefrontError::InvalidRequest(details) => details.as_slice(),
            _ => &[],
        };
        let body = Body {
            status: "error",
            error: ErrorJson {
                code: self.code(),
                message: self.message(),
                details,
                request_id: matches!(
                    self,
                    StorefrontError::Internal(_) | StorefrontError::Unavailable
                )
                .then_some(request_id)
                .flatten(),
            },
        };
        let mut response = (status, axum::Json(body)).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}
