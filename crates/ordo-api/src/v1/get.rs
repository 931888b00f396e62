//! `GET /v1/{kind}/{id}`: one document, with a strong ETag of its revision.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{IdPath, KindPath, etag, json_bytes, not_found, payload_one};
use crate::{ApiError, AppState, Caller};

#[utoipa::path(
    get,
    path = "/v1/{kind}/{id}",
    operation_id = "getDocument",
    tag = "v1",
    summary = "One document",
    params(
        ("kind" = crate::openapi::KindName, Path),
        ("id" = String, Path, description = "The document's id."),
        crate::openapi::GetConditions,
    ),
    security(("bearer" = []), ("apiKey" = [])),
    responses(
        (status = 200, description = "The document.", body = crate::openapi::DocumentPayload,
            headers(("ETag" = String,
                description = "Strong, from the revision: `\"<revision>\"`."))),
        (status = 304, description = "`If-None-Match` matches; no body.",
            headers(("ETag" = String, description = "The current ETag."))),
        (status = 403, description = "The key lacks the kind's read scope.",
            body = crate::openapi::ErrorBody),
        (status = 404, description = "No such document: unknown, another tenant's or another \
            customer's (the same body for all three); or not one of the kinds.",
            body = crate::openapi::ErrorBody),
    ),
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn get(
    State(state): State<AppState>,
    KindPath(kind): KindPath,
    caller: Caller,
    IdPath(id): IdPath,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    caller.require(kind.read_scope())?;
    let doc = state
        .store
        .get(caller.scope(), kind, &id)
        .await?
        .ok_or_else(|| not_found(kind, &id))?;
    let tag = etag(doc.revision);
    if none_match(&headers, tag.as_bytes()) {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        response.headers_mut().insert(header::ETAG, tag);
        return Ok(response);
    }
    let mut response = json_bytes(StatusCode::OK, payload_one(&doc));
    response.headers_mut().insert(header::ETAG, tag);
    Ok(response)
}

/// Whether `If-None-Match` lists `tag` (weak comparison, as RFC 9110 says for it) or `*`.
fn none_match(headers: &HeaderMap, tag: &[u8]) -> bool {
    headers.get_all(header::IF_NONE_MATCH).iter().any(|value| {
        value.as_bytes().split(|&b| b == b',').any(|candidate| {
            let candidate = candidate.trim_ascii();
            let candidate = candidate.strip_prefix(b"W/").unwrap_or(candidate);
            candidate == b"*" || candidate == tag
        })
    })
}
