//! `--metrics-listen ADDRESS`: `GET /metrics` on a listener of its own (a port the scraper
//! reaches and the internet does not); the main listener then does not serve it.

use anyhow::Context;
use ordo_api::AppState;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// Serves `/metrics` on `address` in a task of its own; nothing when `address` is empty
/// (`/metrics` is on the main listener) or `off`.
pub async fn listen(address: &str, state: AppState) -> anyhow::Result<Option<JoinHandle<()>>> {
    let address = address.trim();
    if address.is_empty() || address == "off" {
        return Ok(None);
    }
    let listener = TcpListener::bind(address)
        .await
        .with_context(|| format!("cannot listen on {address} for metrics"))?;
    let bound = listener.local_addr()?;
    tracing::info!(address = %bound, "metrics served at /metrics");
    let app = ordo_api::metrics::router(state);
    Ok(Some(tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, app).await {
            tracing::error!(%error, "the metrics listener stopped");
        }
    })))
}
