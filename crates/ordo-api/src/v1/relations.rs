//! `GET /v1/customer/{customerId}/relations`: every document of one customer, by kind
//! (reference 000). A kind with no documents is `null`; a customer with none is a 404.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use ordo_model::Kind;

use super::{json_bytes, render_array};
use crate::{ApiError, AppState, Caller};

pub(crate) const SCOPE: &str = "customers:relations";

pub(crate) async fn relations(
    State(state): State<AppState>,
    caller: Caller,
    Path(customer_id): Path<String>,
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
