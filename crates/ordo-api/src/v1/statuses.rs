//! The tenant's status dictionary: `GET /v1/status/`, `GET /v1/status/{statusId}` and
//! `PUT /v1/status/{statusId}`, each entry `{"statusId", "name", "phase"}`.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use ordo_model::StatusEntry;
use serde_json::json;

use super::{OnePath, json_bytes};
use crate::{ApiError, AppState, Caller, body};

pub(crate) const READ_SCOPE: &str = "statuses";
pub(crate) const WRITE_SCOPE: &str = "statuses:write";

fn answer(status: StatusCode, payload: serde_json::Value) -> Result<Response, ApiError> {
    let body = serde_json::to_vec(&json!({ "payload": payload }))
        .map_err(|e| ApiError::Internal(e.into()))?;
    Ok(json_bytes(status, body))
}

#[utoipa::path(
    get,
    path = "/v1/status/",
    operation_id = "listStatuses",
    tag = "v1",
    summary = "The tenant's status dictionary",
    description = "Every entry the tenant has written (`PUT /v1/status/{statusId}`, or an \
        import line with `\"kind\": \"status\"`), by `statusId`; `[]` when it has written \
        none, and then every status takes the phase its name suggests. Scope `statuses`.",
    security(("bearer" = ["statuses"]), ("apiKey" = ["statuses"])),
    responses(
        (status = 200, description = "The dictionary.",
            body = crate::openapi::statuses::StatusListPayload),
        (status = 403, description = "The key lacks `statuses`.",
            body = crate::openapi::ErrorBody),
    ),
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    caller.require(READ_SCOPE)?;
    let entries = state.store.statuses(caller.scope()).await?;
    answer(
        StatusCode::OK,
        entries.iter().map(StatusEntry::to_json).collect(),
    )
}

#[utoipa::path(
    get,
    path = "/v1/status/{statusId}",
    operation_id = "getStatus",
    tag = "v1",
    summary = "One entry of the status dictionary",
    description = "Scope `statuses`.",
    params(("statusId" = String, Path, description = "The status id.")),
    security(("bearer" = ["statuses"]), ("apiKey" = ["statuses"])),
    responses(
        (status = 200, description = "The entry.",
            body = crate::openapi::statuses::StatusPayload),
        (status = 403, description = "The key lacks `statuses`.",
            body = crate::openapi::ErrorBody),
        (status = 404, description = "The tenant has no entry with this id (a status it lacks \
            still has a phase: the one its name suggests).", body = crate::openapi::ErrorBody),
    ),
)]
pub(crate) async fn get(
    State(state): State<AppState>,
    caller: Caller,
    OnePath(id): OnePath,
) -> Result<Response, ApiError> {
    caller.require(READ_SCOPE)?;
    let entries = state.store.statuses(caller.scope()).await?;
    let entry = entries
        .iter()
        .find(|e| e.status_id == id)
        .ok_or_else(|| ApiError::NotFound(format!("status {id:?} not found")))?;
    answer(StatusCode::OK, entry.to_json())
}

#[utoipa::path(
    put,
    path = "/v1/status/{statusId}",
    operation_id = "putStatus",
    tag = "v1",
    summary = "Create or replace one entry of the status dictionary",
    description = "Scope `statuses:write`. The dictionary is the whole tenant's, so a key \
        limited to a customer may not write it. Every dialect reads the new phase at once.",
    params(("statusId" = String, Path, description = "The status id: at most 10 characters.")),
    request_body(content = crate::openapi::statuses::StatusInput,
        content_type = "application/json",
        description = "The entry. At most the document limit (1 MiB by default)."),
    security(("bearer" = ["statuses:write"]), ("apiKey" = ["statuses:write"])),
    responses(
        (status = 200, description = "Replaced: the stored entry.",
            body = crate::openapi::statuses::StatusPayload),
        (status = 201, description = "Created: the stored entry.",
            body = crate::openapi::statuses::StatusPayload),
        (status = 400, description = "The body is not JSON or not a valid entry (every problem \
            in `details`), or its `statusId` is not the path's.",
            body = crate::openapi::ErrorBody),
        (status = 403, description = "The key lacks `statuses:write`, or is limited to a \
            customer.",
            body = crate::openapi::ErrorBody),
        (status = 404, description = "The path's id is not UTF-8 text: no status has it.",
            body = crate::openapi::ErrorBody),
        (status = 413, description = "The body is over the limit.",
            body = crate::openapi::ErrorBody),
        (status = 415, description = "The body is not `application/json`.",
            body = crate::openapi::ErrorBody),
    ),
)]
pub(crate) async fn put(
    State(state): State<AppState>,
    caller: Caller,
    OnePath(id): OnePath,
    headers: HeaderMap,
    request_body: Body,
) -> Result<Response, ApiError> {
    caller.require_write(WRITE_SCOPE)?;
    let limit = state.config.max_document_bytes;
    let bytes = body::read_json(&headers, request_body, limit).await?;
    let entry =
        StatusEntry::parse(body::parse_json(&bytes)?, Some(&id)).map_err(ApiError::bad_request)?;
    // A write authenticates at the store (never from the key cache): nothing to check again.
    let existed = state
        .store
        .statuses(caller.scope().key_checked())
        .await?
        .iter()
        .any(|e| e.status_id == id);
    state
        .store
        .put_statuses(&caller.key.tenant, vec![entry.clone()])
        .await?;
    let status = if existed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    answer(status, entry.to_json())
}
