//! `GET /bench/fixed`: the HTTP floor of the benchmarks (bench/run, docs/benchmarks.md). It
//! answers fixed bytes the size of a get-by-id answer through the same router and layers as
//! every route, with no store and no auth. Mounted only when `ORDO_BENCH_FLOOR=1` is set at
//! start-up, so that a production server never exposes it.

use std::sync::OnceLock;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;
use ordo_model::demo::{DemoConfig, generate};
use ordo_model::{DerivedLinks, render_v1};

use crate::AppState;

/// Whether the environment asks for the floor route.
pub(crate) fn enabled() -> bool {
    std::env::var("ORDO_BENCH_FLOOR").is_ok_and(|v| v == "1")
}

pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/bench/fixed", get(fixed))
}

/// `{"payload": <the first demo document>}`, made once: a realistic get-by-id answer.
fn body() -> Bytes {
    static BODY: OnceLock<Bytes> = OnceLock::new();
    BODY.get_or_init(|| {
        let mut out = b"{\"payload\":".to_vec();
        if let Some(doc) = generate(&DemoConfig::new(42, 1)).next() {
            let links = DerivedLinks::empty(doc.kind);
            render_v1(&mut out, doc.kind, &doc.to_stored_json(), &links);
        }
        out.push(b'}');
        Bytes::from(out)
    })
    .clone()
}

async fn fixed() -> Response {
    let mut response = body().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}
