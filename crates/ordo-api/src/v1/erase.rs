//! `DELETE /v1/customer/{customerId}`: erase a customer (GDPR Art. 17): every document of
//! theirs, and every key limited to them.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::OnePath;
use crate::{ApiError, AppState, Caller};

/// The scope that may erase customers.
pub(crate) const SCOPE: &str = "customers:erase";

/// What an erasure removed.
#[derive(Serialize, ToSchema)]
pub(crate) struct ErasedCounts {
    /// Documents deleted, of all six kinds. Each leaves a tombstone (kind, id, revision) in
    /// the change feed, nothing else.
    documents: u64,
    /// Keys limited to the customer that were revoked now.
    keys: u64,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct ErasedPayload {
    payload: ErasedCounts,
}

#[utoipa::path(
    delete,
    path = "/v1/customer/{customerId}",
    operation_id = "eraseCustomer",
    tag = "v1",
    summary = "Erase a customer",
    description = "Scope `customers:erase`, tenant keys only. Removes every document of the \
        customer and revokes every key limited to them, at once. Erasing again removes \
        nothing (`0` and `0`).",
    params(("customerId" = String, Path, description = "The customer's id.")),
    security(("bearer" = ["customers:erase"]), ("apiKey" = ["customers:erase"])),
    responses(
        (status = 200, description = "What was removed.", body = ErasedPayload),
        (status = 403, description = "The key lacks `customers:erase`, or is limited to a \
            customer.", body = crate::openapi::ErrorBody),
        (status = 404, description = "The customer id breaks the id rules (1..64 characters, no \
            `/`, no control characters): it names no customer.", body = crate::openapi::ErrorBody),
    ),
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn erase(
    State(state): State<AppState>,
    caller: Caller,
    OnePath(customer_id): OnePath,
) -> Result<Response, ApiError> {
    caller.require(SCOPE)?;
    if caller.key.customer_id.is_some() {
        return Err(ApiError::Forbidden(
            "a key limited to a customer cannot erase customers".into(),
        ));
    }
    let erased = state
        .store
        .erase_customer(&caller.key.tenant, &customer_id)
        .await?;
    Ok(Json(ErasedPayload {
        payload: ErasedCounts {
            documents: erased.documents,
            keys: erased.keys,
        },
    })
    .into_response())
}
