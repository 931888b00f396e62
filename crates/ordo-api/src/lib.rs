//! ordo's HTTP surfaces: the native v1 API, operations endpoints, and the shared layers.
#![forbid(unsafe_code)]

mod answers;
pub mod auth;
#[cfg(feature = "bench-floor")]
mod bench_floor;
mod body;
mod browsers;
mod console;
mod dialects;
mod error;
mod imports;
mod key_cache;
pub mod metrics;
mod openapi;
mod ops;
mod rate_limit;
pub mod request_id;
pub mod server;
mod surface;
mod v1;

use std::sync::Arc;

use axum::Router;
use axum::middleware;
use ordo_store::Store;
use tower_http::catch_panic::CatchPanicLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

pub use auth::Caller;
pub use error::ApiError;

/// Limits and settings of the HTTP surfaces: plain values that the `ordo` binary fills from
/// its settings (no defaults here: they are written once, in the binary's `Settings`).
#[derive(Clone, Debug)]
pub struct ApiConfig {
    /// Largest body of `PUT /v1/{kind}/{id}`.
    pub max_document_bytes: usize,
    /// Largest body of `POST /v1/import`.
    pub max_import_bytes: usize,
    /// Large answers (list pages, relations, dialect pages) read, rendered or being sent at
    /// once; more wait (`answers.rs`).
    pub max_large_answers: usize,
    /// Requests per second (bursts of as many) of keys without a rate of their own; `None`:
    /// unlimited.
    pub key_rate_limit: Option<std::num::NonZeroU32>,
    /// Imports running at once (`imports.rs`).
    pub max_imports: usize,
    /// Webhooks may be registered for private, loopback and link-local addresses, and over
    /// plain `http://` (on-premises receivers, tests).
    pub webhooks_allow_private: bool,
    /// Origins whose browsers may call every surface (CORS, `browsers.rs`); empty: CORS off.
    pub cors_origins: Vec<String>,
    /// Where `GET /metrics` is served, or whether requests are measured at all.
    pub metrics: MetricsAt,
    /// What `/health` says of the build.
    pub build: BuildInfo,
}

/// Where the metrics of requests go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetricsAt {
    /// `GET /metrics` on the main router.
    Main,
    /// On a listener of its own (`metrics::router`); not on the main router.
    Apart,
    /// Requests are not measured and `/metrics` is not served.
    Off,
}

/// The version and git commit of the running build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildInfo {
    pub version: String,
    pub commit: String,
}

#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// What every request shares, behind one `Arc`: extractors and middleware clone the state
/// several times a request, and one counter costs less than one for each part.
pub struct Shared {
    pub store: Arc<dyn Store>,
    pub config: Arc<ApiConfig>,
    pub keys: Arc<key_cache::KeyCache>,
    answers: answers::AnswerSlots,
    imports: imports::ImportSlots,
    rate_limits: Arc<rate_limit::RateLimits>,
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, config: ApiConfig) -> AppState {
        // The recorder is installed before anything records through it.
        metrics::handle();
        AppState(Arc::new(Shared {
            store,
            answers: answers::AnswerSlots::new(config.max_large_answers),
            imports: imports::ImportSlots::new(config.max_imports),
            rate_limits: Arc::default(),
            config: Arc::new(config),
            keys: Arc::default(),
        }))
    }
}

/// A handler that panicked answers a JSON 500 with the request id; the panic is logged.
fn panic_response(panic: Box<dyn std::any::Any + Send>) -> axum::response::Response {
    let text = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned());
    let error: Box<dyn std::error::Error + Send + Sync> = text.into();
    axum::response::IntoResponse::into_response(ApiError::Internal(error))
}

/// Every route of ordo, with request ids and request logging. Each surface's router
/// describes its own routes; their descriptions together are `/openapi.json`.
pub fn router(state: AppState) -> Router {
    let (routes, document) = OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .merge(v1::routes(&state))
        .merge(dialects::routes(&state))
        .merge(ops::routes())
        .split_for_parts();
    openapi::publish(document);
    // Only builds for benchmarking have the floor routes (cargo feature `bench-floor`).
    #[cfg(feature = "bench-floor")]
    let routes = routes.merge(bench_floor::routes());
    let metrics_at = state.config.metrics;
    let routes = if metrics_at == MetricsAt::Main {
        routes.merge(metrics::routes())
    } else {
        routes
    };
    let cors = browsers::Cors::new(&state.config.cors_origins);
    // The console is pages, not API: merged after the OpenAPI document is made.
    let routes = routes
        .merge(console::routes())
        .fallback(|| async { ApiError::NotFound("no such route".into()) })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        // Inside the request-id layer, so that a panic's 500 carries the id and is logged.
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(browsers::compression())
        .layer(middleware::from_fn_with_state(cors, browsers::cors))
        .layer(middleware::from_fn(request_id::middleware));
    let routes = if metrics_at == MetricsAt::Off {
        routes
    } else {
        routes.layer(middleware::from_fn(metrics::middleware))
    };
    routes.with_state(state)
}
