//! Request bodies: content type and size checked before anything is parsed.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, header};

use ordo_model::Json;

use crate::ApiError;

/// Reads a body of at most `limit` bytes whose media type is one of `accepted`.
pub(crate) async fn read(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
    accepted: &'static [&'static str],
    expected: &'static str,
) -> Result<Bytes, ApiError> {
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
    if !media_type.is_some_and(|m| accepted.contains(&m.as_str())) {
        return Err(ApiError::UnsupportedMediaType(expected));
    }
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > limit as u64) {
        return Err(ApiError::PayloadTooLarge(limit));
    }
    axum::body::to_bytes(body, limit).await.map_err(|error| {
        if crate::server::is_body_timeout(&error) {
            ApiError::RequestTimeout
        } else {
            ApiError::PayloadTooLarge(limit)
        }
    })
}

/// Reads and drops a refused request's body, up to `limit` bytes, in the background. A client
/// that sends its whole body before it reads the answer (most do, without `Expect:
/// 100-continue`) would otherwise find the connection reset mid-send and never see the answer
/// (a 429 with its `Retry-After`). Nothing is kept; the body deadline bounds the time.
pub(crate) fn discard(body: Body, limit: usize) {
    tokio::spawn(async move {
        let mut body = std::pin::pin!(body);
        let mut seen = 0usize;
        while let Some(Ok(frame)) =
            std::future::poll_fn(|cx| http_body::Body::poll_frame(body.as_mut(), cx)).await
        {
            seen += frame.data_ref().map_or(0, |data| data.len());
            if seen > limit {
                break;
            }
        }
    });
}

/// Reads a JSON body of at most `limit` bytes: 415 for another media type, 413 over the
/// limit. The caller parses it with [`parse_json`], which borrows from these bytes.
pub(crate) async fn read_json(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<Bytes, ApiError> {
    read(
        headers,
        body,
        limit,
        &["application/json"],
        "application/json",
    )
    .await
}

/// Parses a JSON body into the tree that `ingest` reads: 400 naming the syntax error.
pub(crate) fn parse_json(bytes: &[u8]) -> Result<Json<'_>, ApiError> {
    Json::parse_slice(bytes)
        .map_err(|e| ApiError::bad_field("", format!("body is not valid JSON: {e}")))
}
