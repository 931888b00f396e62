//! `X-Request-Id` on every response (the caller's, or a new one), the request span (request
//! id, method, route, and the tenant and key id that authentication records into it), one log
//! line per request in that span, and `Connection: close` where an error leaves an unread body
//! behind.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::field::Empty;
use tracing::{Instrument, Span};

pub const HEADER: &str = "x-request-id";

/// The request being served: its id, and its span, which outlives any span a handler opens.
struct Current {
    id: String,
    span: Span,
}

tokio::task_local! {
    static CURRENT: Current;
}

/// The id of the request being served, where there is one.
pub fn current() -> Option<String> {
    CURRENT.try_with(|c| c.id.clone()).ok()
}

/// Records who calls into the request span, for the log line: the key's tenant and id.
pub fn record_caller(tenant: &str, key_id: &str) {
    let _ = CURRENT.try_with(|c| {
        c.span.record("tenant", tenant);
        c.span.record("key_id", key_id);
    });
}

/// A caller's id is kept when it is short printable ASCII; anything else is replaced.
fn accept(value: &HeaderValue) -> Option<String> {
    let text = value.to_str().ok()?;
    let ok = !text.is_empty() && text.len() <= 128 && text.bytes().all(|b| b.is_ascii_graphic());
    ok.then(|| text.to_owned())
}

pub async fn middleware(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = request
        .headers()
        .get(HEADER)
        .and_then(accept)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let method = request.method().clone();
    let has_body = request
        .headers()
        .contains_key(axum::http::header::TRANSFER_ENCODING)
        || request
            .headers()
            .get(axum::http::header::CONTENT_LENGTH)
            .is_some_and(|len| len.as_bytes() != b"0");
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(unmatched)".to_owned(), |p| p.as_str().to_owned());

    let span = tracing::info_span!(
        target: "ordo::request",
        "request",
        %method,
        %route,
        request_id = %id,
        tenant = Empty,
        key_id = Empty,
    );
    let current = Current {
        id: id.clone(),
        span: span.clone(),
    };
    let mut response = CURRENT
        .scope(current, next.run(request).instrument(span.clone()))
        .await;

    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(HEADER, value);
    }
    // A request refused before its body was read leaves that body on the connection, and
    // the server will close it: say so, so that a client does not reuse it.
    if has_body && (response.status().is_client_error() || response.status().is_server_error()) {
        response.headers_mut().insert(
            axum::http::header::CONNECTION,
            HeaderValue::from_static("close"),
        );
    }
    let status = response.status().as_u16();
    let latency_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    // method, route, request id, tenant and key id are the span's.
    tracing::info!(target: "ordo::request", parent: &span, status, latency_us);
    response
}
