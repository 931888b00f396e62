//! `GET /bench/fixed` and `GET /bench/fixed-page`: the HTTP floors of the benchmarks
//! (bench/run, docs/benchmarks.md). They answer fixed bytes the size of a get-by-id answer and
//! of a list page of 100, through the same router and layers as every route, with no store and
//! no auth. Compiled in only with the cargo feature `bench-floor`, which bench/run's build
//! enables and a release build for users does not, so that a production server never has them.

use std::sync::OnceLock;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;
use ordo_model::demo::{DemoConfig, generate};
use ordo_model::{DerivedLinks, Kind, render_v1};

use crate::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/bench/fixed", get(fixed))
        .route("/bench/fixed-page", get(fixed_page))
}

/// `{"payload":<doc>}` for one document, `{"payload":[<doc>,...]}` for more, rendered as v1
/// renders stored documents (no derived links: the size is what matters here).
fn payload(orders: usize, one: bool) -> Bytes {
    let docs = generate(&DemoConfig::new(42, orders.max(1) * 3 / 2))
        .filter(|doc| doc.kind == Kind::Order)
        .take(orders);
    let mut out = Vec::new();
    out.extend_from_slice(if one {
        b"{\"payload\":"
    } else {
        b"{\"payload\":["
    });
    for (i, doc) in docs.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        render_v1(
            &mut out,
            doc.kind,
            &doc.to_stored_json(),
            &DerivedLinks::empty(doc.kind),
        );
    }
    out.extend_from_slice(if one { b"}" } else { b"]}" });
    Bytes::from(out)
}

fn json(body: Bytes) -> Response {
    let mut response = body.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// A realistic get-by-id answer: the first demo order, made once.
async fn fixed() -> Response {
    static BODY: OnceLock<Bytes> = OnceLock::new();
    json(BODY.get_or_init(|| payload(1, true)).clone())
}

/// A realistic list page: the first 100 demo orders, made once.
async fn fixed_page() -> Response {
    static BODY: OnceLock<Bytes> = OnceLock::new();
    json(BODY.get_or_init(|| payload(100, false)).clone())
}
