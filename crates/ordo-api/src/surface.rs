//! The seam every HTTP surface (v1, each dialect) answers through: where it reads its
//! credential, how an `ApiError` looks in its envelope. Authenticating, the rate limit, the
//! common headers of an error and the log of an internal one are written here, once.

use std::marker::PhantomData;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ordo_store::{ApiKey, StoreError};
use serde::Serialize;

use crate::{ApiError, AppState, Caller, auth, request_id};

/// One HTTP surface: the three things that differ between v1 and a dialect.
pub(crate) trait Surface: Send + Sync + 'static {
    /// The scheme `WWW-Authenticate` names on a 401; `None`: the surface sends no challenge.
    const CHALLENGE: Option<&'static str>;
    /// Every route only reads: a key seen before may come from memory (`authenticate_read`),
    /// whatever the method.
    const READS_ONLY: bool;

    /// The error body of this surface's envelope.
    type Body<'a>: Serialize;

    /// The secret a request presents, from where this surface's clients send it.
    fn credential(headers: &HeaderMap) -> Option<&str>;

    /// What this surface checks of an authenticated key before its handler runs (a header
    /// that must name it, a scope, a kind of key); nothing by default.
    fn admit(_key: &ApiKey, _parts: &Parts) -> Result<(), ApiError> {
        Ok(())
    }

    /// `error` as this surface's status and body.
    fn render(error: &ApiError) -> (StatusCode, Self::Body<'_>);
}

/// An `ApiError` answered in the envelope of surface `S`.
pub(crate) struct Failure<S>(pub ApiError, pub PhantomData<S>);

impl<S> Failure<S> {
    pub(crate) fn new(error: ApiError) -> Self {
        Failure(error, PhantomData)
    }
}

impl<S> std::fmt::Debug for Failure<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl<S> From<ApiError> for Failure<S> {
    fn from(error: ApiError) -> Self {
        Failure::new(error)
    }
}

impl<S> From<StoreError> for Failure<S> {
    fn from(error: StoreError) -> Self {
        Failure::new(error.into())
    }
}

impl<S: Surface> IntoResponse for Failure<S> {
    fn into_response(self) -> Response {
        respond::<S>(&self.0)
    }
}

/// `error` in the envelope of `S`, with the headers every surface sends alike.
pub(crate) fn respond<S: Surface>(error: &ApiError) -> Response {
    if let ApiError::Internal(source) = error {
        // Internals go to the log with the request id, never into the body.
        tracing::error!(request_id = ?request_id::current(), error = ?source, "internal error");
    }
    let (status, body) = S::render(error);
    let mut response = (status, axum::Json(body)).into_response();
    common_headers(error, status, S::CHALLENGE, response.headers_mut());
    response
}

/// `WWW-Authenticate` on a 401 (with the surface's scheme), `Retry-After` on a 503 and a
/// 429, the key's `RateLimit-Policy`/`RateLimit` when its rate is what a 429 is about, and
/// `Connection: close` on a 408.
fn common_headers(
    error: &ApiError,
    status: StatusCode,
    challenge: Option<&'static str>,
    headers: &mut HeaderMap,
) {
    if status == StatusCode::UNAUTHORIZED
        && let Some(scheme) = challenge
    {
        headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(scheme));
    }
    if status == StatusCode::SERVICE_UNAVAILABLE {
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    }
    if let ApiError::TooManyRequests {
        retry_after, rate, ..
    } = error
    {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(*retry_after));
        if let Some(rate) = rate {
            rate.write_headers(headers);
        }
    }
    if status == StatusCode::REQUEST_TIMEOUT {
        // The rest of the body may still come: the connection cannot be reused.
        headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
}

/// 403 naming `scope` when `key` lacks it.
pub(crate) fn require(key: &ApiKey, scope: &str) -> Result<(), ApiError> {
    if key.has_scope(scope) {
        Ok(())
    } else {
        Err(ApiError::missing_scope(scope))
    }
}

/// The request id, for the bodies that name it: those of 500 and 503, so that a report can
/// be matched with the log.
pub(crate) fn reported_request_id(status: StatusCode) -> Option<String> {
    matches!(
        status,
        StatusCode::INTERNAL_SERVER_ERROR | StatusCode::SERVICE_UNAVAILABLE
    )
    .then(request_id::current)
    .flatten()
}

/// The caller of a route of surface `S`: authenticated from the credential `S` reads, within
/// its rate, admitted by `S`; refused in `S`'s envelope.
pub(crate) struct Authenticated<S>(pub Caller, pub PhantomData<S>);

impl<S: Surface> FromRequestParts<AppState> for Authenticated<S> {
    type Rejection = Failure<S>;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Failure<S>> {
        let key = authenticate::<S>(parts, state).await?;
        S::admit(&key, parts)?;
        Ok(Authenticated(Caller { key }, PhantomData))
    }
}

/// The key of a request to surface `S`.
async fn authenticate<S: Surface>(
    parts: &Parts,
    state: &AppState,
) -> Result<Arc<ApiKey>, ApiError> {
    let secret = S::credential(&parts.headers);
    if S::READS_ONLY || parts.method == Method::GET || parts.method == Method::HEAD {
        auth::authenticate_read(state, secret).await
    } else {
        auth::authenticate(state, secret).await
    }
}
