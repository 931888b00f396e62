//! The error envelope of history_v3: `{"code", "message", "additionalDetails"}`, the shape
//! of the partner API that reference 002 is cut from, for every 4xx and 5xx of the dialect.
//!
//! `code` is the HTTP status as a string, `message` the reference's own description of that
//! status ("Invalid Authorization token", "Invalid API Key", ...), `additionalDetails` one
//! string per problem (`[]` when there is nothing to add).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ordo_model::ValidationError;
use ordo_store::StoreError;
use serde::Serialize;

use crate::{ApiError, request_id};

#[derive(Debug)]
pub(crate) struct V3Error {
    status: StatusCode,
    message: &'static str,
    details: Vec<String>,
}

impl V3Error {
    fn new(status: StatusCode, message: &'static str, details: Vec<String>) -> V3Error {
        V3Error {
            status,
            message,
            details,
        }
    }

    /// 400, one detail per bad parameter (`"limit: not a number"`).
    pub(crate) fn bad_request(problems: &[ValidationError]) -> V3Error {
        let details = problems.iter().map(ToString::to_string).collect();
        V3Error::new(StatusCode::BAD_REQUEST, "Bad request", details)
    }

    /// 401: no `Authorization: Bearer`, or an unknown or revoked key in it.
    pub(crate) fn unauthorized() -> V3Error {
        V3Error::new(
            StatusCode::UNAUTHORIZED,
            "Invalid Authorization token",
            Vec::new(),
        )
    }

    /// 403: `X-Api-Key` missing or naming another key, or the key lacks the scope.
    pub(crate) fn invalid_api_key(detail: impl Into<String>) -> V3Error {
        V3Error::new(
            StatusCode::FORBIDDEN,
            "Invalid API Key",
            vec![detail.into()],
        )
    }

    /// 404 of the list: no order of this customer that the key may see.
    pub(crate) fn customer_not_found() -> V3Error {
        V3Error::new(StatusCode::NOT_FOUND, "Invalid customer ID", Vec::new())
    }

    /// 404 of one order: unknown, another customer's or another tenant's, all alike.
    pub(crate) fn order_not_found() -> V3Error {
        V3Error::new(
            StatusCode::NOT_FOUND,
            "Invalid customer or order ID",
            Vec::new(),
        )
    }

    pub(crate) fn method_not_allowed() -> V3Error {
        V3Error::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "Method not allowed",
            vec!["the v3 order endpoints answer GET only".to_owned()],
        )
    }

    pub(crate) fn internal(source: &(dyn std::error::Error + Send + Sync)) -> V3Error {
        tracing::error!(request_id = ?request_id::current(), error = ?source, "internal error");
        V3Error::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal server error",
            request_detail(),
        )
    }

    fn unavailable() -> V3Error {
        V3Error::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Service unavailable, retry shortly",
            request_detail(),
        )
    }
}

/// 500 and 503 name the request id, so that a report can be matched with the log.
fn request_detail() -> Vec<String> {
    request_id::current()
        .map(|id| vec![format!("requestId: {id}")])
        .unwrap_or_default()
}

impl From<ApiError> for V3Error {
    /// The shared layers (authentication, the store) speak `ApiError`; this dialect answers
    /// their failures in its own envelope.
    fn from(error: ApiError) -> V3Error {
        match error {
            ApiError::Unauthorized => V3Error::unauthorized(),
            ApiError::Forbidden(detail) => V3Error::invalid_api_key(detail),
            ApiError::NotFound(_) => V3Error::order_not_found(),
            ApiError::BadRequest { details, .. } => V3Error::bad_request(&details),
            ApiError::MethodNotAllowed => V3Error::method_not_allowed(),
            ApiError::Unavailable => V3Error::unavailable(),
            ApiError::Internal(source) => V3Error::internal(source.as_ref()),
            other => V3Error::internal(&other),
        }
    }
}

impl From<StoreError> for V3Error {
    fn from(error: StoreError) -> V3Error {
        ApiError::from(error).into()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Body<'a> {
    code: String,
    message: &'a str,
    additional_details: &'a [String],
}

impl IntoResponse for V3Error {
    fn into_response(self) -> Response {
        let body = Body {
            code: self.status.as_u16().to_string(),
            message: self.message,
            additional_details: &self.details,
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        let headers = response.headers_mut();
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}
