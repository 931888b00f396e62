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
}

/// The process is up.
async fn health() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

/// The store answers.
async fn ready(State(state): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    state.store.ping().await.map_err(|error| {
        tracing::warn!(error = ?error, "not ready");
        ApiError::Unavailable
    })?;
    Ok(Json(json!({ "status": "ready" })))
}
