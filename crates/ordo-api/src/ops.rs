//! Operations endpoints: liveness, readiness.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::{ApiError, AppState};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/ready", get(ready))
        .route("/openapi.json", get(crate::openapi::serve))
}

/// The process is up.
#[utoipa::path(
    get,
    path = "/health",
    operation_id = "health",
    tag = "operations",
    summary = "The process is up",
    responses((status = 200, description = "Always, while the process serves.",
        body = crate::openapi::Health)),
)]
async fn health() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

/// The store answers.
#[utoipa::path(
    get,
    path = "/ready",
    operation_id = "ready",
    tag = "operations",
    summary = "The store answers",
    responses(
        (status = 200, description = "The store answers.", body = crate::openapi::Ready),
        (status = 503, response = crate::openapi::Unavailable),
    ),
)]
async fn ready(State(state): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    state.store.ping().await.map_err(|error| {
        tracing::warn!(error = ?error, "not ready");
        ApiError::Unavailable
    })?;
    Ok(Json(json!({ "status": "ready" })))
}
