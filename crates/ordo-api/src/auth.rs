//! Who calls: the API key of a request, its tenant, its scopes and its customer.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ordo_store::{ApiKey, Scope};

use crate::error::V1;
use crate::surface::Authenticated;
use crate::{ApiError, AppState, request_id};

/// An authenticated caller. Handlers ask it for scopes and for the bounds of their reads.
#[derive(Clone, Debug)]
pub struct Caller {
    pub key: Arc<ApiKey>,
}

impl Caller {
    /// 403 naming the scope when the key lacks it.
    pub fn require(&self, scope: &str) -> Result<(), ApiError> {
        crate::surface::require(&self.key, scope)
    }

    /// 403 unless the key may write with `scope`. A key limited to one customer only reads,
    /// whatever scopes it holds: a storefront's key must not change the merchant's records.
    pub fn require_write(&self, scope: &str) -> Result<(), ApiError> {
        if self.key.customer_id.is_some() {
            return Err(ApiError::Forbidden(
                "a key limited to one customer only reads; writes need a tenant-wide key".into(),
            ));
        }
        self.require(scope)
    }

    pub fn scope(&self) -> Scope<'_> {
        scope_of(&self.key)
    }
}

/// The bounds of a key's reads, with its id for the store to check (see `KeyCache`).
pub fn scope_of(key: &ApiKey) -> Scope<'_> {
    Scope {
        tenant: &key.tenant,
        customer: key.customer_id.as_deref(),
        key: Some(&key.id),
    }
}

/// The token of `Authorization: Bearer <token>`, the scheme in any letter case (RFC 9110):
/// every surface that reads a bearer reads it here.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// The secret of `Authorization: Bearer <key>`, else of `X-Api-Key: <key>`.
pub fn presented_secret(headers: &HeaderMap) -> Option<&str> {
    bearer(headers).or_else(|| {
        headers
            .get("x-api-key")
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    })
}

/// Counts a request of `key` against its rate (its own, else the server's default): 429
/// over it. Every surface authenticates through here, so every surface is limited alike.
fn within_rate(state: &AppState, key: &ApiKey) -> Result<(), ApiError> {
    let rate = key
        .rate_limit
        .and_then(std::num::NonZeroU32::new)
        .or(state.config.key_rate_limit);
    match rate.and_then(|rate| state.rate_limits.check(&key.id, rate).refusal()) {
        Some(refusal) => Err(refusal),
        None => Ok(()),
    }
}

/// Finds the key a secret names; 401 when there is none, it is unknown or revoked; 429 over
/// its rate. The key's tenant and id go into the request span.
pub async fn authenticate(state: &AppState, secret: Option<&str>) -> Result<Arc<ApiKey>, ApiError> {
    let secret = secret
        .filter(|s| !s.is_empty())
        .ok_or(ApiError::NoCredential)?;
    match state.store.authenticate(secret).await? {
        Some(key) if !key.revoked => {
            let key = Arc::new(key);
            state.keys.insert(secret, Arc::clone(&key));
            request_id::record_caller(&key.tenant, &key.id);
            within_rate(state, &key)?;
            Ok(key)
        }
        _ => {
            state.keys.remove(secret);
            Err(ApiError::Unauthorized)
        }
    }
}

/// `authenticate` for a request that only reads, through `scope_of` the key: a key it
/// authenticated before comes from memory, and the read itself checks that it is not revoked.
pub async fn authenticate_read(
    state: &AppState,
    secret: Option<&str>,
) -> Result<Arc<ApiKey>, ApiError> {
    if let Some(key) = secret.and_then(|secret| state.keys.get(secret)) {
        request_id::record_caller(&key.tenant, &key.id);
        within_rate(state, &key)?;
        return Ok(key);
    }
    authenticate(state, secret).await
}

/// v1's caller: its routes take `Caller`, authenticated through the seam (`surface.rs`).
impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Authenticated(caller, _) = Authenticated::<V1>::from_request_parts(parts, state)
            .await
            .map_err(|failure| failure.0)?;
        Ok(caller)
    }
}
