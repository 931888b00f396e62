//! The web console at `/console/`: static files embedded in the binary, plain ES modules that
//! read everything through the public v1 API with the key the person signs in with. It is not
//! an API, so it is not in `/openapi.json`, and its files need no key.
//!
//! `/console/` and every page under it (`/console/customers/{id}`, `/console/{kind}/{id}`,
//! `/console/search`) answer the same `index.html`; the script routes on the path. Assets live
//! under `/console/assets/{version}/`, `version` a hash of all of them, so they can be cached
//! for a year while the index (no-cache, ETag) always names the current ones.

use std::hash::{DefaultHasher, Hasher};
use std::sync::OnceLock;

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use crate::AppState;

/// No inline script or style, nothing from another origin, never in a frame.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; \
    form-action 'self'";

const JS: &str = "text/javascript; charset=utf-8";

/// Every file of the console but the index: its name under `assets/`, its type, its bytes.
const ASSETS: &[(&str, &str, &str)] = &[
    ("app.js", JS, include_str!("assets/app.js")),
    ("api.js", JS, include_str!("assets/api.js")),
    ("dom.js", JS, include_str!("assets/dom.js")),
    ("money.js", JS, include_str!("assets/money.js")),
    ("search.js", JS, include_str!("assets/search.js")),
    ("customer.js", JS, include_str!("assets/customer.js")),
    ("graph.js", JS, include_str!("assets/graph.js")),
    ("document.js", JS, include_str!("assets/document.js")),
    (
        "console.css",
        "text/css; charset=utf-8",
        include_str!("assets/console.css"),
    ),
];

const INDEX: &str = include_str!("assets/index.html");

struct Built {
    version: String,
    etag: HeaderValue,
    index: String,
}

/// The version of this build's assets and the index that names them, made once.
fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        // `DefaultHasher::new()` has fixed keys: the same files give the same version in every
        // process of a build, so instances behind one balancer agree.
        let mut hasher = DefaultHasher::new();
        hasher.write(INDEX.as_bytes());
        for (name, _, body) in ASSETS {
            hasher.write(name.as_bytes());
            hasher.write(body.as_bytes());
        }
        let version = format!("{:016x}", hasher.finish());
        Built {
            etag: HeaderValue::from_str(&format!("\"{version}\"")).expect("hex digits"),
            index: INDEX.replace("{{version}}", &version),
            version,
        }
    })
}

/// The console's routes; merged into the router after the OpenAPI document is made.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/console",
            get(|| async { Redirect::permanent("/console/") }),
        )
        .route("/console/", get(index))
        .route("/console/assets/{version}/{name}", get(asset))
        .route("/console/{*page}", get(page))
        .layer(middleware::map_response(strict_headers))
}

async fn index(headers: HeaderMap) -> Response {
    let built = built();
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|tag| tag.as_bytes() == built.etag.as_bytes());
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            built.index.clone(),
        )
            .into_response()
    };
    let out = response.headers_mut();
    out.insert(header::ETAG, built.etag.clone());
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// Any page of the console is the index; a path under `assets/` that names no asset is not.
async fn page(Path(page): Path<String>, headers: HeaderMap) -> Response {
    if page.starts_with("assets/") {
        return missing();
    }
    index(headers).await
}

async fn asset(Path((version, name)): Path<(String, String)>) -> Response {
    if version != built().version {
        return missing();
    }
    let Some((_, content_type, body)) = ASSETS.iter().find(|(n, _, _)| *n == name) else {
        return missing();
    };
    (
        [
            (header::CONTENT_TYPE, *content_type),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        *body,
    )
        .into_response()
}

fn missing() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "not found\n",
    )
        .into_response()
}

/// The headers of every console answer, whatever its status.
async fn strict_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}
