//! `PUT /v1/{kind}/{id}`: create (201) or replace (200) one document, whole.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use ordo_model::{Expect, Timestamp, ingest};
use ordo_store::{Precondition, PutOptions, PutOutcome};

use super::{IdPath, KindPath, etag, json_bytes, payload_one};
use crate::{ApiError, AppState, Caller, body};

#[utoipa::path(
    put,
    path = "/v1/{kind}/{id}",
    operation_id = "putDocument",
    tag = "v1",
    summary = "Create or replace one document, whole",
    description = "Validated like every way in: each problem is named in `details`. Sending \
        the stored document again changes nothing (200, same ETag). A key limited to a \
        customer may write only that customer's documents.",
    params(
        ("kind" = crate::openapi::KindName, Path),
        ("id" = String, Path, description = "The document's id: 1..64 characters."),
        crate::openapi::PutConditions,
    ),
    request_body(content = crate::openapi::DocumentInput, content_type = "application/json",
        description = "The document. At most 1 MiB by default (configurable)."),
    security(("bearer" = []), ("apiKey" = [])),
    responses(
        (status = 200, description = "Replaced, or unchanged: the stored document.",
            body = crate::openapi::DocumentPayload,
            headers(("ETag" = String, description = "The stored revision's ETag."))),
        (status = 201, description = "Created: the stored document.",
            body = crate::openapi::DocumentPayload,
            headers(
                ("ETag" = String, description = "The stored revision's ETag."),
                ("Location" = String, description = "`/v1/{kind}/{id}` of the document."),
            )),
        (status = 400, description = "The body is not JSON or not a valid document (every \
            problem in `details`), or `If-None-Match` is not `*`.",
            body = crate::openapi::ErrorBody),
        (status = 403, description = "The key lacks the kind's write scope, or is limited to \
            a customer (such keys only read).", body = crate::openapi::ErrorBody),
        (status = 404, description = "Not one of the kinds.", body = crate::openapi::ErrorBody),
        (status = 409, description = "The document changed again while it was written; \
            retry.", body = crate::openapi::ErrorBody),
        (status = 412, description = "`If-Match` or `If-None-Match` does not hold; nothing \
            changed. The message names the current ETag.", body = crate::openapi::ErrorBody),
        (status = 413, description = "The body is over the limit.",
            body = crate::openapi::ErrorBody),
        (status = 415, description = "The body is not `application/json`.",
            body = crate::openapi::ErrorBody),
    ),
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn put(
    State(state): State<AppState>,
    KindPath(kind): KindPath,
    caller: Caller,
    IdPath(id): IdPath,
    headers: HeaderMap,
    request_body: Body,
) -> Result<Response, ApiError> {
    caller.require_write(kind.write_scope())?;
    let precondition = precondition(&headers)?;
    let limit = state.config.max_document_bytes;
    let bytes = body::read_json(&headers, request_body, limit).await?;
    let value = body::parse_json(&bytes)?;
    let expect = Expect {
        kind: Some(kind),
        id: Some(&id),
        now: Timestamp::now(),
    };
    let ingested = ingest(value, expect).map_err(ApiError::bad_request)?;

    let options = PutOptions {
        precondition,
        only_customer: false,
    };
    let outcome = state.store.put(caller.scope(), ingested, options).await?;
    let stored = state
        .store
        .get(caller.scope(), kind, &id)
        .await?
        .ok_or_else(|| ApiError::Conflict("the document changed while it was written".into()))?;

    let status = match outcome {
        PutOutcome::Created { .. } => StatusCode::CREATED,
        PutOutcome::Replaced { .. } | PutOutcome::Unchanged { .. } => StatusCode::OK,
    };
    let mut response = json_bytes(status, payload_one(&stored));
    response
        .headers_mut()
        .insert(header::ETAG, etag(stored.revision));
    if status == StatusCode::CREATED {
        let location = format!("/v1/{}/{}", kind.path(), encode_segment(&id));
        if let Ok(value) = HeaderValue::from_str(&location) {
            response.headers_mut().insert(header::LOCATION, value);
        }
    }
    Ok(response)
}

/// `If-Match: "N"` or `*`, and `If-None-Match: *` (create only).
pub(super) fn precondition(headers: &HeaderMap) -> Result<Precondition, ApiError> {
    if let Some(value) = headers.get(header::IF_MATCH) {
        let text = value.to_str().unwrap_or("").trim();
        if text == "*" {
            return Ok(Precondition::Exists);
        }
        // A strong tag is required: If-Match uses the strong comparison.
        let revision = text
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .and_then(|t| t.parse::<i64>().ok());
        // A tag we never issued cannot match anything: the precondition fails.
        return Ok(Precondition::Revision(revision.unwrap_or(-1)));
    }
    if let Some(value) = headers.get(header::IF_NONE_MATCH) {
        if value.to_str().unwrap_or("").trim() == "*" {
            return Ok(Precondition::Absent);
        }
        return Err(ApiError::bad_field(
            "If-None-Match",
            "only * is supported on PUT (create only)",
        ));
    }
    Ok(Precondition::None)
}

fn encode_segment(id: &str) -> String {
    form_urlencoded::byte_serialize(id.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}
