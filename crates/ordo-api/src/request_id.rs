//! `X-Request-Id` on every response (the caller's, or a new one), one log line per request,
//! and `Connection: close` where an error leaves an unread body behind.

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

pub const HEADER: &str = "x-request-id";

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The id of the request being served, where there is one.
pub fn current() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// Filled by authentication, read by the log line: the tenant of the caller.
#[derive(Clone, Default)]
pub struct TenantSlot(pub Arc<OnceLock<String>>);

/// A caller's id is kept when it is short printable ASCII; anything else is replaced.
fn accept(value: &HeaderValue) -> Option<String> {
    let text = value.to_str().ok()?;
    let ok = !text.is_empty() && text.len() <= 128 && text.bytes().all(|b| b.is_ascii_graphic());
    ok.then(|| text.to_owned())
}

pub async fn middleware(mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = request
        .headers()
        .get(HEADER)
        .and_then(accept)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let tenant = TenantSlot::default();
    request.extensions_mut().insert(tenant.clone());
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

    let mut response = REQUEST_ID.scope(id.clone(), next.run(request)).await;

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
    let tenant = tenant.0.get().map_or("-", String::as_str);
    tracing::info!(target: "ordo::request", %method, %route, status, latency_us, tenant, request_id = %id);
    response
}
