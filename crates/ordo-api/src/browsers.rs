//! What browsers and slow links need of every surface: CORS for the origins the operator
//! lists (off when none are), and compressed answers (gzip, br or zstd, as the client asks)
//! above a size where compressing pays.

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// Answers smaller than this go as they are: a get-by-id of a few hundred bytes gains
/// nothing worth the CPU, a list page of hundreds of KB gains most of its size.
pub(crate) const COMPRESS_ABOVE: u16 = 1024;

/// How long a browser may reuse a preflight's answer, in seconds.
const PREFLIGHT_MAX_AGE: u64 = 600;

/// Headers a browser may send: every surface's credentials, conditional writes, ids.
const ALLOWED_HEADERS: [&str; 8] = [
    "authorization",
    "x-api-key",
    "x-customer-key",
    "x-access-token",
    "content-type",
    "if-match",
    "if-none-match",
    "x-request-id",
];

/// Headers of an answer a page's script may read.
const EXPOSED_HEADERS: [&str; 6] = [
    "etag",
    "x-request-id",
    "retry-after",
    "ratelimit",
    "ratelimit-policy",
    "location",
];

pub(crate) fn compression() -> CompressionLayer<impl Predicate> {
    // tower-http's default exclusions (gRPC, images, event streams), with our threshold.
    let predicate = SizeAbove::new(COMPRESS_ABOVE)
        .and(NotForContentType::GRPC)
        .and(NotForContentType::IMAGES)
        .and(NotForContentType::SSE);
    // The fastest level of each: at gzip's default a list page of 400 KB cost so much CPU
    // that a loaded 2-core machine served 55 pages/s compressed against 1,850 plain
    // (scripts/ops-bench); the fastest level still takes most of the size away.
    CompressionLayer::new()
        .quality(tower_http::CompressionLevel::Fastest)
        .compress_when(predicate)
}

/// CORS as the operator set it: the listed origins, and tower-http's layer for them.
/// Shared, not copied: the CORS middleware's state is cloned for every request.
#[derive(Clone)]
pub(crate) struct Cors(std::sync::Arc<CorsSettings>);

pub(crate) struct CorsSettings {
    allowed: Vec<HeaderValue>,
    layer: CorsLayer,
}

impl Cors {
    pub(crate) fn new(origins: &[String]) -> Cors {
        let allowed: Vec<HeaderValue> = origins
            .iter()
            .filter_map(|origin| HeaderValue::from_str(origin.trim_end_matches('/')).ok())
            .collect();
        let layer = CorsLayer::new()
            .allow_origin(AllowOrigin::list(allowed.iter().cloned()))
            .allow_methods([
                Method::GET,
                Method::HEAD,
                Method::POST,
                Method::PUT,
                Method::DELETE,
            ])
            .allow_headers(ALLOWED_HEADERS.map(HeaderName::from_static))
            .expose_headers(EXPOSED_HEADERS.map(HeaderName::from_static))
            .max_age(std::time::Duration::from_secs(PREFLIGHT_MAX_AGE));
        Cors(std::sync::Arc::new(CorsSettings { allowed, layer }))
    }
}

/// Runs `request` through tower-http's CORS for a listed origin; any other request (no
/// `Origin`, an origin not listed, CORS off) goes on as if there were no CORS at all, so that
/// it gets no `Access-Control-*` header. A preflight answers 204.
/// (tower-http's layer alone would send the allowed methods and headers to any origin.)
pub(crate) async fn cors(State(Cors(cors)): State<Cors>, request: Request, next: Next) -> Response {
    if cors.allowed.is_empty() {
        return next.run(request).await;
    }
    let listed = request
        .headers()
        .get(header::ORIGIN)
        .is_some_and(|origin| cors.allowed.contains(origin));
    if !listed {
        let mut response = next.run(request).await;
        // The answer differs by origin: caches must not hand one origin's to another.
        response
            .headers_mut()
            .append(header::VARY, HeaderValue::from_static("origin"));
        return response;
    }
    let preflight = request.method() == Method::OPTIONS
        && request
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let service = tower::Layer::layer(
        &cors.layer,
        tower::service_fn(move |request: Request| {
            let next = next.clone();
            async move { Ok::<_, std::convert::Infallible>(next.run(request).await) }
        }),
    );
    let Ok(mut response) = tower::ServiceExt::oneshot(service, request).await;
    if preflight && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::NO_CONTENT;
    }
    response
}
