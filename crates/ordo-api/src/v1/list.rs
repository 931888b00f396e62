//! `GET /v1/{kind}/`: a window of documents by `updatedAt`.

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use ordo_model::ListQuery;

use super::{KindPath, json_bytes, render_array};
use crate::{ApiError, AppState, Caller};

#[utoipa::path(
    get,
    path = "/v1/{kind}/",
    operation_id = "listDocuments",
    tag = "v1",
    summary = "A page of documents",
    description = "The documents of the path's kind whose `updatedAt` is within `from`..`to`, \
        ordered by `updatedAt`, then id. A key limited to a customer sees that customer's only. \
        `productId`, `mpn` and `orderNumber` keep the documents holding one of the values given \
        for each (docs/search.md); `customerId` keeps one customer's. Filtered pages are read \
        from an index, with the same order and paging.",
    params(("kind" = crate::openapi::KindName, Path), crate::openapi::ListParams),
    security(("bearer" = []), ("apiKey" = [])),
    responses(
        (status = 200, description = "The page; `[]` past the end.",
            body = crate::openapi::DocumentListPayload),
        (status = 400, description = "A query parameter is malformed, out of range, unknown, \
            given twice (all but the filters that repeat), or a filter's value is empty or too \
            long; `details` names each. (`from` after `to` is an empty page.)",
            body = crate::openapi::ErrorBody),
        (status = 403, description = "The key lacks the kind's read scope.",
            body = crate::openapi::ErrorBody),
        (status = 404, description = "Not one of the kinds.", body = crate::openapi::ErrorBody),
    ),
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn list(
    State(state): State<AppState>,
    KindPath(kind): KindPath,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    caller.require(kind.read_scope())?;
    let raw = query.unwrap_or_default();
    let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.as_bytes())
        .into_owned()
        .collect();
    let query = ListQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(ApiError::bad_request)?;
    let docs = state.store.list(caller.scope(), kind, &query).await?;
    let mut out = Vec::with_capacity(16 + docs.iter().map(|d| d.body.len() + 64).sum::<usize>());
    out.extend_from_slice(b"{\"payload\":");
    render_array(&mut out, &docs);
    out.push(b'}');
    Ok(json_bytes(StatusCode::OK, out))
}
