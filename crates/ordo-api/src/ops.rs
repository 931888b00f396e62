//! Operations endpoints: liveness (with the build's version and commit), readiness.

use axum::Json;
use axum::extract::State;
use serde_json::json;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::{ApiError, AppState};

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    let mut router = OpenApiRouter::with_openapi(crate::openapi::OpsDoc::openapi())
        .routes(routes!(health))
        .routes(routes!(ready))
        .routes(routes!(crate::openapi::serve));
    // Without a key, `/ready` still answers v1's 503.
    crate::openapi::shared::refer(router.get_openapi_mut(), "ready", "503", "Unavailable");
    router
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
async fn health(State(state): State<AppState>) -> Json<serde_json::Value> {
    let build = &state.config.build;
    Json(json!({ "status": "ok", "version": build.version, "commit": build.commit }))
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
    ),
)]
async fn ready(State(state): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    state.store.ping().await.map_err(|error| {
        tracing::warn!(error = ?error, "not ready");
        ApiError::Unavailable
    })?;
    Ok(Json(json!({ "status": "ready" })))
}
