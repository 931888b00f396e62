//! The native partner API v1 (references 000 and 001): reads, relations, writes, import.

pub(crate) mod get;
pub(crate) mod import;
pub(crate) mod list;
pub(crate) mod relations;
pub(crate) mod statuses;
pub(crate) mod write;

use axum::Router;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use ordo_model::{Kind, render_v1};
use ordo_store::StoredDoc;

use crate::{ApiError, AppState};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/import", post(import::import))
        .route("/v1/status", get(statuses::list))
        .route("/v1/status/", get(statuses::list))
        .route(
            "/v1/status/{status_id}",
            get(statuses::get).put(statuses::put),
        )
        .route("/v1/{kind}/{id}", get(get::get).put(write::put))
}

/// The routes whose answers can run to MiBs: pages and a customer's relations.
pub(crate) fn large_answer_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/v1/customer/{customer_id}/relations",
            get(relations::relations),
        )
        .route("/v1/{kind}", get(list::list))
        .route("/v1/{kind}/", get(list::list))
}

/// The `{kind}` of a v1 path; an unknown kind is an unknown route (404).
pub(crate) struct KindPath(pub Kind);

impl FromRequestParts<AppState> for KindPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Path(params) = Path::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::NotFound("no such route".into()))?;
        let name = params
            .iter()
            .find(|(k, _)| k == "kind")
            .map(|(_, v)| v.as_str());
        name.and_then(|n| n.parse::<Kind>().ok())
            .map(KindPath)
            .ok_or_else(|| ApiError::NotFound(format!("unknown kind {:?}", name.unwrap_or(""))))
    }
}

/// The one parameter of a path such as `/v1/customer/{customerId}/relations`; a segment that
/// is not UTF-8 names nothing that can exist (404), and the answer stays JSON.
pub(crate) struct OnePath(pub String);

impl FromRequestParts<AppState> for OnePath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Path::<String>::from_request_parts(parts, state)
            .await
            .map(|Path(value)| OnePath(value))
            .map_err(|_| ApiError::NotFound("no such route".into()))
    }
}

/// The strong ETag of a revision.
pub(crate) fn etag(revision: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{revision}\"")).expect("digits and quotes")
}

/// A JSON response from bytes already written.
pub(crate) fn json_bytes(status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// `{"payload": <document>}` of one stored document.
pub(crate) fn payload_one(doc: &StoredDoc) -> Vec<u8> {
    let mut out = Vec::with_capacity(doc.body.len() + 64);
    out.extend_from_slice(b"{\"payload\":");
    render_v1(&mut out, doc.kind, &doc.body, &doc.derived);
    out.push(b'}');
    out
}

/// Writes `[doc,doc,...]`.
pub(crate) fn render_array(out: &mut Vec<u8>, docs: &[StoredDoc]) {
    out.push(b'[');
    for (i, doc) in docs.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        render_v1(out, doc.kind, &doc.body, &doc.derived);
    }
    out.push(b']');
}

/// The one 404 of a document that is not there, whoever owns it, if anyone.
pub(crate) fn not_found(kind: Kind, id: &str) -> ApiError {
    ApiError::NotFound(format!("{} {id:?} not found", kind.path()))
}
