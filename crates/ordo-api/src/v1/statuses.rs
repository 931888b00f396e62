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

pub(crate) async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    caller.require(READ_SCOPE)?;
    let entries = state.store.statuses(&caller.key.tenant).await?;
    answer(
        StatusCode::OK,
        entries.iter().map(StatusEntry::to_json).collect(),
    )
}

pub(crate) async fn get(
    State(state): State<AppState>,
    caller: Caller,
    OnePath(id): OnePath,
) -> Result<Response, ApiError> {
    caller.require(READ_SCOPE)?;
    let entries = state.store.statuses(&caller.key.tenant).await?;
    let entry = entries
        .iter()
        .find(|e| e.status_id == id)
        .ok_or_else(|| ApiError::NotFound(format!("status {id:?} not found")))?;
    answer(StatusCode::OK, entry.to_json())
}

pub(crate) async fn put(
    State(state): State<AppState>,
    caller: Caller,
    OnePath(id): OnePath,
    headers: HeaderMap,
    request_body: Body,
) -> Result<Response, ApiError> {
    caller.require(WRITE_SCOPE)?;
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
    let entry = StatusEntry::parse(&value, Some(&id)).map_err(ApiError::bad_request)?;
    let existed = state
        .store
        .statuses(&caller.key.tenant)
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
