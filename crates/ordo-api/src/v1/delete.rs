//! `DELETE /v1/{kind}/{id}`: delete one document (204); its tombstone stays in the change feed.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use ordo_store::StoreError;

use super::{IdPath, KindPath, not_found};
use crate::{ApiError, AppState, Caller};

#[utoipa::path(
    delete,
    path = "/v1/{kind}/{id}",
    operation_id = "deleteDocument",
    tag = "v1",
    summary = "Delete one document",
    description = "Scope: the kind's write scope. The document leaves every surface and every \
        other document's derived link lists (those documents get a new revision); documents \
        that name it as their parent keep naming it. The change feed carries the deletion \
        under a revision of its own. Creating the same id again makes a new document.",
    params(
        ("kind" = crate::openapi::KindName, Path),
        ("id" = String, Path, description = "The document's id."),
        ("If-Match" = Option<String>, Header,
            description = "`\"<revision>\"` or `*`: delete only if the document is still at \
                that revision (else 412, nothing changes)."),
    ),
    security(("bearer" = []), ("apiKey" = [])),
    responses(
        (status = 204, description = "Deleted."),
        (status = 403, description = "The key lacks the kind's write scope.",
            body = crate::openapi::ErrorBody),
        (status = 404, description = "No such document: unknown, another tenant's or another \
            customer's (the same body for all three); or not one of the kinds.",
            body = crate::openapi::ErrorBody),
        (status = 412, description = "`If-Match` does not hold; nothing changed. The message \
            names the current ETag.", body = crate::openapi::ErrorBody),
    ),
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn delete(
    State(state): State<AppState>,
    KindPath(kind): KindPath,
    caller: Caller,
    IdPath(id): IdPath,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    caller.require_write(kind.write_scope())?;
    let precondition = super::write::precondition(&headers)?;
    match state
        .store
        .delete(caller.scope(), kind, &id, precondition)
        .await
    {
        Ok(_) => Ok(StatusCode::NO_CONTENT.into_response()),
        Err(StoreError::NotFound) => Err(not_found(kind, &id)),
        Err(e) => Err(e.into()),
    }
}
