//! `GET /v1/customer/{customerId}/relations`: every document of one customer, by kind
//! (reference 000). A kind with no documents is `null`; a customer with none is a 404.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use ordo_model::Kind;

use super::{OnePath, json_bytes, render_array};
use crate::{ApiError, AppState, Caller};

pub(crate) const SCOPE: &str = "customers:relations";

#[utoipa::path(
    get,
    path = "/v1/customer/{customerId}/relations",
    operation_id = "customerRelations",
    tag = "v1",
    summary = "Every document of one customer, by kind",
    description = "Scope `customers:relations`. Kinds in the order of reference 000.",
    params(("customerId" = String, Path, description = "The customer's id.")),
    security(("bearer" = ["customers:relations"]), ("apiKey" = ["customers:relations"])),
    responses(
        (status = 200, description = "The customer's documents.",
            body = crate::openapi::RelationsPayload),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, description = "The key lacks `customers:relations`.",
            body = crate::openapi::ErrorBody),
        (status = 404, description = "No document of this customer that the key may see: \
            unknown, another tenant's, or not the key's customer.",
            body = crate::openapi::ErrorBody),
        (status = 500, response = crate::openapi::Internal),
        (status = 503, response = crate::openapi::Unavailable),
    ),
)]
pub(crate) async fn relations(
    State(state): State<AppState>,
    caller: Caller,
    OnePath(customer_id): OnePath,
) -> Result<Response, ApiError> {
    caller.require(SCOPE)?;
    let docs = state
        .store
        .customer_documents(caller.scope(), &customer_id)
        .await?;
    if docs.is_empty() {
        return Err(ApiError::NotFound(format!(
            "customer {customer_id:?} not found"
        )));
    }
    let mut out = Vec::with_capacity(64 + docs.iter().map(|d| d.body.len() + 64).sum::<usize>());
    out.extend_from_slice(b"{\"payload\":{\"customerId\":");
    serde_json::to_writer(&mut out, &customer_id).map_err(|e| ApiError::Internal(e.into()))?;
    out.extend_from_slice(b",\"orderEntities\":{");
    for (i, kind) in Kind::ALL.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'"');
        out.extend_from_slice(kind.relations_key().as_bytes());
        out.extend_from_slice(b"\":");
        // Documents come grouped by kind, so each kind is one contiguous run.
        let start = docs.partition_point(|d| d.kind < kind);
        let end = docs.partition_point(|d| d.kind <= kind);
        if start == end {
            out.extend_from_slice(b"null");
        } else {
            render_array(&mut out, &docs[start..end]);
        }
    }
    out.extend_from_slice(b"}}}");
    Ok(json_bytes(StatusCode::OK, out))
}
