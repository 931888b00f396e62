//! `PUT /v1/{kind}/{id}`: create (201) or replace (200) one document, whole.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use ordo_model::{Expect, Timestamp, ingest};
use ordo_store::{Precondition, PutOptions, PutOutcome};

use super::{KindPath, etag, json_bytes, payload_one};
use crate::{ApiError, AppState, Caller, body};

pub(crate) async fn put(
    State(state): State<AppState>,
    KindPath(kind): KindPath,
    caller: Caller,
    Path((_, id)): Path<(String, String)>,
    headers: HeaderMap,
    request_body: Body,
) -> Result<Response, ApiError> {
    caller.require(kind.write_scope())?;
    let precondition = precondition(&headers)?;
    let limit = state.config.max_document_bytes;
    let bytes = body::read(
        &headers,
        request_body,
        limit,
        &["application/json"],
        "application/json",
    )
    .await?;
    let value: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::bad_field("", format!("body is not valid JSON: {e}")))?;
    let expect = Expect {
        kind: Some(kind),
        id: Some(&id),
        now: Timestamp::now(),
    };
    let ingested = ingest(&value, expect).map_err(ApiError::bad_request)?;

    let only_customer = caller.key.customer_id.is_some();
    let options = PutOptions {
        precondition,
        only_customer,
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
fn precondition(headers: &HeaderMap) -> Result<Precondition, ApiError> {
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
