//! The native partner API v1 (references 000 and 001): reads, relations, writes, import.

pub(crate) mod changes;
pub(crate) mod delete;
pub(crate) mod erase;
pub(crate) mod get;
pub(crate) mod import;
pub(crate) mod list;
pub(crate) mod relations;
pub(crate) mod statuses;
pub(crate) mod webhooks;
pub(crate) mod write;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use ordo_model::{Kind, render_v1};
use ordo_store::StoredDoc;

use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::V1;
use crate::openapi::with_twin;
use crate::{ApiError, AppState, answers};

/// Every v1 route with its description. Pages and a customer's relations, whose answers can
/// run to MiBs, wait for a large-answer slot (`answers.rs`).
pub(crate) fn routes(state: &AppState) -> OpenApiRouter<AppState> {
    let large = |router: OpenApiRouter<AppState>| {
        router.route_layer(middleware::from_fn_with_state(
            state.clone(),
            answers::bound,
        ))
    };
    let mut router = OpenApiRouter::with_openapi(crate::openapi::V1Doc::openapi())
        .merge(large(with_twin(
            OpenApiRouter::new(),
            routes!(list::list),
            "/v1/{kind}",
            "listDocumentsWithoutSlash",
        )))
        .routes(routes!(get::get, write::put))
        .merge(large(
            OpenApiRouter::new().routes(routes!(relations::relations)),
        ))
        .routes(routes!(import::import))
        .merge(with_twin(
            OpenApiRouter::new(),
            routes!(statuses::list),
            "/v1/status",
            "listStatusesWithoutSlash",
        ))
        .routes(routes!(statuses::get, statuses::put))
        .routes(routes!(delete::delete))
        .routes(routes!(erase::erase))
        .routes(routes!(changes::changes))
        .routes(routes!(webhooks::create, webhooks::list))
        .routes(routes!(webhooks::get, webhooks::update, webhooks::delete))
        .routes(routes!(webhooks::deliveries));
    crate::openapi::shared::add::<V1>(router.get_openapi_mut(), &crate::openapi::V1_ANSWERS);
    router
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
/// is not UTF-8, or breaks the id rules, names nothing that can exist (404), and the answer
/// stays JSON.
pub(crate) struct OnePath(pub String);

impl FromRequestParts<AppState> for OnePath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Path(value) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::NotFound("no such route".into()))?;
        addressable(value).map(OnePath)
    }
}

/// The id of `/v1/{kind}/{id}`, held to the id rules like [`OnePath`].
pub(crate) struct IdPath(pub String);

impl FromRequestParts<AppState> for IdPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Path((_, id)) = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::NotFound("no such route".into()))?;
        addressable(id).map(IdPath)
    }
}

/// An id from a path: one that breaks the id rules (docs/wire-decisions.md: `/`, control
/// characters and U+0000 included, or over 64 characters) cannot name a stored document, on
/// either store, so it is not found — before any store sees it.
fn addressable(id: String) -> Result<String, ApiError> {
    match ordo_model::ingest::id_problem(&id) {
        None => Ok(id),
        Some(_) => Err(ApiError::NotFound("not found".into())),
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
