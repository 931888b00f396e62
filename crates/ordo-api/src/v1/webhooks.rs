//! `/v1/webhooks`: a tenant's webhooks (docs/events.md). The relay that delivers to them is
//! `ordo_events::webhooks`; here they are registered, listed, changed and deleted.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use ordo_model::{Kind, Timestamp, ValidationError};
use ordo_store::{Delivery, NewWebhook, Webhook, WebhookUpdate};
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::{OnePath, json_bytes};
use crate::{ApiError, AppState, Caller, body};

/// The scope that manages webhooks.
pub(crate) const SCOPE: &str = "webhooks";

/// Largest body of a registration or a change.
const MAX_BODY: usize = 16 << 10;
const MAX_URL: usize = 2048;
const MAX_DESCRIPTION: usize = 500;
/// Attempts `GET .../deliveries` lists, newest first.
const DELIVERIES_LISTED: i64 = 100;

/// A webhook as the API shows it (never its secret, but once, at registration).
#[derive(ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)] // Describes the wire form; `webhook_json` writes it.
pub(crate) struct WebhookBody {
    id: String,
    url: String,
    /// The kinds whose changes it receives; `[]`: every kind.
    kinds: Vec<crate::openapi::KindName>,
    description: Option<String>,
    /// False once it failed for three days without a success (re-enable with `PATCH`).
    enabled: bool,
    /// RFC 3339, UTC.
    created_at: String,
    /// Every matching change up to this revision was delivered (or given up).
    delivered_through: i64,
    /// When the current run of failures began; `null` when the last attempt succeeded.
    failing_since: Option<String>,
    /// The signing secret: in the answer of `POST /v1/webhooks` only.
    secret: Option<String>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub(crate) struct WebhookPayload {
    payload: WebhookBody,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub(crate) struct WebhookListPayload {
    payload: Vec<WebhookBody>,
}

/// The body of `POST /v1/webhooks`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub(crate) struct WebhookInput {
    /// `https://` (or `http://` with `--webhooks-allow-private`); no loopback, private,
    /// link-local or metadata address.
    #[schema(max_length = 2048)]
    url: String,
    /// Kinds to receive; absent or `[]`: every kind.
    kinds: Option<Vec<crate::openapi::KindName>>,
    #[schema(max_length = 500)]
    description: Option<String>,
}

/// The body of `PATCH /v1/webhooks/{id}`: each field given replaces the stored one.
#[derive(ToSchema)]
#[allow(dead_code)]
pub(crate) struct WebhookChange {
    #[schema(max_length = 2048)]
    url: Option<String>,
    kinds: Option<Vec<crate::openapi::KindName>>,
    #[schema(max_length = 500)]
    description: Option<String>,
    /// `true` re-enables a disabled webhook: the held delivery is tried at once, with a new
    /// 24 hours of retries.
    enabled: Option<bool>,
}

/// One delivery attempt.
#[derive(ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub(crate) struct DeliveryBody {
    revision: i64,
    /// RFC 3339 with milliseconds, UTC.
    attempted_at: String,
    /// The receiver's HTTP status; `null` when it did not answer.
    status: Option<i32>,
    /// Why the attempt failed without a status, or that the delivery was given up.
    error: Option<String>,
    /// When it is tried again; `null` when it is not.
    next_retry: Option<String>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub(crate) struct DeliveryListPayload {
    payload: Vec<DeliveryBody>,
}

/// What a webhook receives: the change feed's entry plus `tenant` and `webhookId`.
#[derive(ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)] // Describes the wire form; `ordo_events::render_entry` writes it.
pub(crate) struct WebhookDelivery {
    tenant: String,
    webhook_id: String,
    /// The tenant's revision of the change; with `tenant`, the key to deduplicate by.
    revision: i64,
    kind: crate::openapi::KindName,
    id: String,
    /// `put` (created, replaced, or its derived lists changed) or `delete`.
    op: String,
    /// The document as `GET /v1/{kind}/{id}` renders it when the change is delivered;
    /// `null` for a delete.
    #[schema(value_type = Option<Object>)]
    document: Option<serde_json::Value>,
}

/// The schema of a delivered change, for the document's components.
pub(crate) fn delivery_schema() -> (String, utoipa::openapi::RefOr<utoipa::openapi::Schema>) {
    (
        <WebhookDelivery as utoipa::ToSchema>::name().into_owned(),
        <WebhookDelivery as utoipa::PartialSchema>::schema(),
    )
}

/// The document's `webhooks`: what ordo POSTs to a registered webhook.
pub(crate) fn webhooks_entry() -> Value {
    let header = |name: &str, description: &str| {
        json!({"name": name, "in": "header", "required": true, "description": description,
               "schema": {"type": "string"}})
    };
    json!({"change": {"post": {
        "operationId": "webhookDelivery",
        "tags": ["v1"],
        "summary": "A change, POSTed to a registered webhook",
        "description": "One change of the tenant, of a kind the webhook wants, in revision \
            order per webhook: the next waits until this one is acknowledged with a 2xx \
            within 10 seconds. Anything else is retried with exponential backoff and jitter \
            (10 s, 30 s, 90 s, ... at most 1 hour apart) for 24 hours, then given up; a \
            webhook failing for 3 days is disabled. Delivery is at least once: deduplicate \
            by `tenant` and `revision` (docs/events.md).",
        "parameters": [
            header("Ordo-Webhook-Id", "The webhook's id."),
            header("Ordo-Delivery-Id", "`<webhook id>-<revision>`: the same for every attempt \
                of one change."),
            header("Ordo-Signature", "`t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\" \
                keyed with the webhook's secret>`; reject old `t` to stop replays."),
        ],
        "requestBody": {"required": true, "content": {"application/json": {"schema":
            {"$ref": "#/components/schemas/WebhookDelivery"}}}},
        "responses": {
            "2XX": {"description": "Acknowledged: the next change follows."},
            "default": {"description": "Not acknowledged (or no answer within 10 s): retried."},
        },
    }}})
}

fn answer(status: StatusCode, payload: Value) -> Result<Response, ApiError> {
    let body = serde_json::to_vec(&json!({ "payload": payload }))
        .map_err(|e| ApiError::Internal(e.into()))?;
    Ok(json_bytes(status, body))
}

fn webhook_json(hook: &Webhook, secret: Option<&str>) -> Value {
    let mut value = json!({
        "id": hook.id,
        "url": hook.url,
        "kinds": hook.kinds.iter().map(|k| k.path()).collect::<Vec<_>>(),
        "description": hook.description,
        "enabled": hook.enabled,
        "createdAt": Timestamp::from_unix(hook.created_at).map(Timestamp::rfc3339),
        "deliveredThrough": hook.state.position,
        "failingSince": hook.state.failing_since.map(millis_text),
    });
    if let Some(secret) = secret {
        value["secret"] = json!(secret);
    }
    value
}

fn delivery_json(d: &Delivery) -> Value {
    json!({
        "revision": d.revision,
        "attemptedAt": millis_text(d.attempted_at),
        "status": d.status,
        "error": d.error,
        "nextRetry": d.next_retry.map(millis_text),
    })
}

/// Unix milliseconds as RFC 3339 with milliseconds, UTC.
fn millis_text(ms: i64) -> String {
    let seconds = Timestamp::from_unix(ms.div_euclid(1000)).map_or_else(String::new, Timestamp::v1);
    format!("{seconds}.{:03}Z", ms.rem_euclid(1000))
}

fn not_found(id: &str) -> ApiError {
    ApiError::NotFound(format!("webhook {id:?} not found"))
}

/// The fields of a registration or a change, each problem named.
#[derive(Default)]
struct Fields {
    url: Option<String>,
    kinds: Option<Vec<Kind>>,
    description: Option<Option<String>>,
    enabled: Option<bool>,
}

async fn read_fields(
    headers: &HeaderMap,
    request_body: Body,
    allowed: &[&str],
    allow_private: bool,
) -> Result<Fields, ApiError> {
    let bytes = body::read_json(headers, request_body, MAX_BODY).await?;
    let value: Value = serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::bad_field("", format!("body is not valid JSON: {e}")))?;
    let Value::Object(members) = value else {
        return Err(ApiError::bad_field("", "must be a JSON object"));
    };
    let mut fields = Fields::default();
    let mut problems = Vec::new();
    let mut bad = |field: &str, problem: String| {
        problems.push(ValidationError {
            field: field.into(),
            problem,
        });
    };
    for (name, value) in &members {
        if !allowed.contains(&name.as_str()) {
            bad(name, "is not a field of a webhook".into());
            continue;
        }
        match (name.as_str(), value) {
            ("url", Value::String(url)) if url.len() <= MAX_URL => {
                match ordo_events::ssrf::check_registration(url, allow_private).await {
                    Ok(_) => fields.url = Some(url.clone()),
                    Err(problem) => bad("url", problem),
                }
            }
            ("url", _) => bad("url", "must be a URL of at most 2048 characters".into()),
            ("kinds", Value::Array(items)) => {
                let kinds: Option<Vec<Kind>> = items
                    .iter()
                    .map(|k| k.as_str().and_then(|k| k.parse().ok()))
                    .collect();
                match kinds {
                    Some(mut kinds) => {
                        kinds.dedup();
                        fields.kinds = Some(kinds);
                    }
                    None => bad("kinds", "must list kinds (`order`, `return`, ...)".into()),
                }
            }
            ("kinds", Value::Null) => fields.kinds = Some(Vec::new()),
            ("kinds", _) => bad("kinds", "must be an array of kinds".into()),
            ("description", Value::String(text)) if text.chars().count() <= MAX_DESCRIPTION => {
                fields.description = Some(Some(text.clone()));
            }
            ("description", Value::Null) => fields.description = Some(None),
            ("description", _) => {
                bad(
                    "description",
                    "must be text of at most 500 characters".into(),
                );
            }
            ("enabled", Value::Bool(enabled)) => fields.enabled = Some(*enabled),
            ("enabled", _) => bad("enabled", "must be true or false".into()),
            _ => {}
        }
    }
    if problems.is_empty() {
        Ok(fields)
    } else {
        Err(ApiError::bad_request(problems))
    }
}

#[utoipa::path(
    post,
    path = "/v1/webhooks",
    operation_id = "createWebhook",
    tag = "v1",
    summary = "Register a webhook",
    description = "Scope `webhooks`, tenant keys only. Every change of the tenant committed \
        from now on, of the kinds listed (all when none are), is POSTed to `url` as the \
        change feed's entry plus `tenant` and `webhookId`, signed (`Ordo-Signature`, \
        docs/events.md) with the `secret` of this answer — shown this once, kept as a hash. \
        Per webhook, changes arrive in revision order; a failing delivery is retried with \
        backoff for 24 hours and holds the ones after it. See the `webhookDelivery` webhook.",
    request_body(content = WebhookInput, content_type = "application/json"),
    security(("bearer" = ["webhooks"]), ("apiKey" = ["webhooks"])),
    responses(
        (status = 201, description = "Registered: the webhook with its secret.",
            body = WebhookPayload),
        (status = 400, description = "A bad field (every problem in `details`): among them a \
            `url` that is not `https://`, or that names or resolves to a loopback, private, \
            link-local or metadata address.", body = crate::openapi::ErrorBody),
        (status = 403, description = "The key lacks `webhooks`, or is limited to a customer.",
            body = crate::openapi::ErrorBody),
        (status = 413, description = "The body is over 16 KiB.",
            body = crate::openapi::ErrorBody),
        (status = 415, description = "The body is not `application/json`.",
            body = crate::openapi::ErrorBody),
    ),
)]
pub(crate) async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    request_body: Body,
) -> Result<Response, ApiError> {
    caller.require_write(SCOPE)?;
    let allow_private = state.config.webhooks_allow_private;
    let fields = read_fields(
        &headers,
        request_body,
        &["url", "kinds", "description"],
        allow_private,
    )
    .await?;
    let Some(url) = fields.url else {
        return Err(ApiError::bad_field("url", "is required"));
    };
    let (hook, secret) = state
        .store
        .create_webhook(NewWebhook {
            tenant: caller.key.tenant.clone(),
            url,
            kinds: fields.kinds.unwrap_or_default(),
            description: fields.description.flatten(),
        })
        .await?;
    answer(StatusCode::CREATED, webhook_json(&hook, Some(&secret.0)))
}

#[utoipa::path(
    get,
    path = "/v1/webhooks",
    operation_id = "listWebhooks",
    tag = "v1",
    summary = "The tenant's webhooks",
    description = "Scope `webhooks`, tenant keys only. Oldest first; secrets are never shown \
        again.",
    security(("bearer" = ["webhooks"]), ("apiKey" = ["webhooks"])),
    responses(
        (status = 200, description = "The webhooks.", body = WebhookListPayload),
        (status = 403, description = "The key lacks `webhooks`, or is limited to a customer.",
            body = crate::openapi::ErrorBody),
    ),
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    caller.require_write(SCOPE)?;
    let hooks = state.store.webhooks(&caller.key.tenant).await?;
    answer(
        StatusCode::OK,
        hooks.iter().map(|h| webhook_json(h, None)).collect(),
    )
}

#[utoipa::path(
    get,
    path = "/v1/webhooks/{id}",
    operation_id = "getWebhook",
    tag = "v1",
    summary = "One webhook",
    description = "Scope `webhooks`, tenant keys only.",
    params(("id" = String, Path, description = "The webhook's id.")),
    security(("bearer" = ["webhooks"]), ("apiKey" = ["webhooks"])),
    responses(
        (status = 200, description = "The webhook.", body = WebhookPayload),
        (status = 403, description = "The key lacks `webhooks`, or is limited to a customer.",
            body = crate::openapi::ErrorBody),
        (status = 404, description = "The tenant has no such webhook.",
            body = crate::openapi::ErrorBody),
    ),
)]
pub(crate) async fn get(
    State(state): State<AppState>,
    caller: Caller,
    OnePath(id): OnePath,
) -> Result<Response, ApiError> {
    caller.require_write(SCOPE)?;
    let hooks = state.store.webhooks(&caller.key.tenant).await?;
    let hook = hooks
        .iter()
        .find(|h| h.id == id)
        .ok_or_else(|| not_found(&id))?;
    answer(StatusCode::OK, webhook_json(hook, None))
}

#[utoipa::path(
    patch,
    path = "/v1/webhooks/{id}",
    operation_id = "updateWebhook",
    tag = "v1",
    summary = "Change or re-enable a webhook",
    description = "Scope `webhooks`, tenant keys only. Each field given replaces the stored \
        one; `{\"enabled\": true}` re-enables a webhook disabled after three days of failures \
        (its held delivery is tried at once). The secret stays.",
    params(("id" = String, Path, description = "The webhook's id.")),
    request_body(content = WebhookChange, content_type = "application/json"),
    security(("bearer" = ["webhooks"]), ("apiKey" = ["webhooks"])),
    responses(
        (status = 200, description = "The webhook as it is now.", body = WebhookPayload),
        (status = 400, description = "A bad field (every problem in `details`).",
            body = crate::openapi::ErrorBody),
        (status = 403, description = "The key lacks `webhooks`, or is limited to a customer.",
            body = crate::openapi::ErrorBody),
        (status = 404, description = "The tenant has no such webhook.",
            body = crate::openapi::ErrorBody),
        (status = 413, description = "The body is over 16 KiB.",
            body = crate::openapi::ErrorBody),
        (status = 415, description = "The body is not `application/json`.",
            body = crate::openapi::ErrorBody),
    ),
)]
pub(crate) async fn update(
    State(state): State<AppState>,
    caller: Caller,
    OnePath(id): OnePath,
    headers: HeaderMap,
    request_body: Body,
) -> Result<Response, ApiError> {
    caller.require_write(SCOPE)?;
    let fields = read_fields(
        &headers,
        request_body,
        &["url", "kinds", "description", "enabled"],
        state.config.webhooks_allow_private,
    )
    .await?;
    let update = WebhookUpdate {
        url: fields.url,
        kinds: fields.kinds,
        description: fields.description,
        enabled: fields.enabled,
    };
    let hook = state
        .store
        .update_webhook(&caller.key.tenant, &id, update)
        .await?
        .ok_or_else(|| not_found(&id))?;
    answer(StatusCode::OK, webhook_json(&hook, None))
}

#[utoipa::path(
    delete,
    path = "/v1/webhooks/{id}",
    operation_id = "deleteWebhook",
    tag = "v1",
    summary = "Delete a webhook",
    description = "Scope `webhooks`, tenant keys only. Nothing more is delivered to it; its \
        attempts go with it.",
    params(("id" = String, Path, description = "The webhook's id.")),
    security(("bearer" = ["webhooks"]), ("apiKey" = ["webhooks"])),
    responses(
        (status = 204, description = "Deleted."),
        (status = 403, description = "The key lacks `webhooks`, or is limited to a customer.",
            body = crate::openapi::ErrorBody),
        (status = 404, description = "The tenant has no such webhook.",
            body = crate::openapi::ErrorBody),
    ),
)]
pub(crate) async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    OnePath(id): OnePath,
) -> Result<Response, ApiError> {
    caller.require_write(SCOPE)?;
    if !state.store.delete_webhook(&caller.key.tenant, &id).await? {
        return Err(not_found(&id));
    }
    Ok(json_bytes(StatusCode::NO_CONTENT, Vec::new()))
}

#[utoipa::path(
    get,
    path = "/v1/webhooks/{id}/deliveries",
    operation_id = "listWebhookDeliveries",
    tag = "v1",
    summary = "A webhook's last delivery attempts",
    description = "Scope `webhooks`, tenant keys only. The last 100 attempts, newest first: \
        the revision, the receiver's status or the error, when, and when it is retried.",
    params(("id" = String, Path, description = "The webhook's id.")),
    security(("bearer" = ["webhooks"]), ("apiKey" = ["webhooks"])),
    responses(
        (status = 200, description = "The attempts.", body = DeliveryListPayload),
        (status = 403, description = "The key lacks `webhooks`, or is limited to a customer.",
            body = crate::openapi::ErrorBody),
        (status = 404, description = "The tenant has no such webhook.",
            body = crate::openapi::ErrorBody),
    ),
)]
pub(crate) async fn deliveries(
    State(state): State<AppState>,
    caller: Caller,
    OnePath(id): OnePath,
) -> Result<Response, ApiError> {
    caller.require_write(SCOPE)?;
    let attempts = state
        .store
        .deliveries(&caller.key.tenant, &id, DELIVERIES_LISTED)
        .await?
        .ok_or_else(|| not_found(&id))?;
    answer(StatusCode::OK, attempts.iter().map(delivery_json).collect())
}
