//! Who calls: the API key of a request, its tenant, its scopes and its customer.

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ordo_store::{ApiKey, Scope};

use crate::request_id::TenantSlot;
use crate::{ApiError, AppState};

/// An authenticated caller. Handlers ask it for scopes and for the bounds of their reads.
#[derive(Clone, Debug)]
pub struct Caller {
    pub key: ApiKey,
}

impl Caller {
    /// 403 naming the scope when the key lacks it.
    pub fn require(&self, scope: &str) -> Result<(), ApiError> {
        if self.key.has_scope(scope) {
            Ok(())
        } else {
            Err(ApiError::missing_scope(scope))
        }
    }

    pub fn scope(&self) -> Scope<'_> {
        Scope {
            tenant: &self.key.tenant,
            customer: self.key.customer_id.as_deref(),
        }
    }
}

/// The secret of `Authorization: Bearer <key>`, else of `X-Api-Key: <key>`.
pub fn presented_secret(headers: &HeaderMap) -> Option<&str> {
    let bearer = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim);
    bearer.or_else(|| {
        headers
            .get("x-api-key")
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    })
}

/// Finds the key a secret names; 401 when there is none, it is unknown or revoked.
pub async fn authenticate(state: &AppState, secret: Option<&str>) -> Result<ApiKey, ApiError> {
    let secret = secret
        .filter(|s| !s.is_empty())
        .ok_or(ApiError::Unauthorized)?;
    match state.store.authenticate(secret).await? {
        Some(key) if !key.revoked => Ok(key),
        _ => Err(ApiError::Unauthorized),
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let key = authenticate(state, presented_secret(&parts.headers)).await?;
        if let Some(slot) = parts.extensions.get::<TenantSlot>() {
            let _ = slot.0.set(key.tenant.clone());
        }
        Ok(Caller { key })
    }
}
