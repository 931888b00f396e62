//! `POST /v1/import`: NDJSON, one document per line with its `"kind"`; good lines are stored,
//! every bad line is reported with its number and problems.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use ordo_import::{ImportReport, ImportSink, LineError, import_ndjson};
use ordo_model::{Document, Kind, StatusEntry, ValidationError};
use serde::Serialize;

use super::json_bytes;
use crate::{ApiError, AppState, Caller, body};

const NDJSON: &[&str] = &[
    "application/x-ndjson",
    "application/ndjson",
    "application/jsonl",
    "application/json",
];

#[derive(Serialize)]
struct Answer {
    payload: Report,
}

#[derive(Serialize)]
struct Report {
    #[serde(flatten)]
    counts: ImportReport,
    errors: Vec<LineError>,
}

struct Sink<'a> {
    caller: &'a Caller,
    errors: Vec<LineError>,
}

impl ImportSink for Sink<'_> {
    fn check(&mut self, document: &Document) -> Vec<ValidationError> {
        // Customer keys are refused before any line is read, so the scope is all to check.
        let scope = document.kind.write_scope();
        if self.caller.key.has_scope(scope) {
            return Vec::new();
        }
        vec![ValidationError {
            field: "kind".into(),
            problem: format!("this key lacks the scope {scope:?}"),
        }]
    }

    fn check_status(&mut self, _entry: &StatusEntry) -> Vec<ValidationError> {
        if self.caller.key.has_scope(super::statuses::WRITE_SCOPE) {
            return Vec::new();
        }
        vec![ValidationError {
            field: "kind".into(),
            problem: format!(
                "this key lacks the scope {:?}",
                super::statuses::WRITE_SCOPE
            ),
        }]
    }

    /// A delete line needs the kind's write scope, as `DELETE /v1/{kind}/{id}` does (customer
    /// keys never reach here: they are refused before the body is read).
    fn check_delete(&mut self, kind: Kind, _id: &str) -> Vec<ValidationError> {
        let scope = kind.write_scope();
        if self.caller.key.has_scope(scope) {
            return Vec::new();
        }
        vec![ValidationError {
            field: "kind".into(),
            problem: format!("this key lacks the scope {scope:?}"),
        }]
    }

    fn rejected(&mut self, error: LineError) {
        self.errors.push(error);
    }
}

#[utoipa::path(
    post,
    path = "/v1/import",
    operation_id = "importDocuments",
    tag = "v1",
    summary = "Store many documents from NDJSON",
    description = "One `DocumentInput` per line, with its `kind` and its id field. Each line \
        is checked like a PUT, and needs the write scope of its kind (`orders:write`, ...); a \
        bad line is reported with its number and every problem, the good lines are stored. \
        Blank lines are skipped and counted. A line `{\"kind\": K, \"<id field>\": ID,         \"deleted\": true}` deletes that document (the kind's write scope, in line order). Not         for keys limited to a customer.",
    request_body(description = "NDJSON; at most 64 MiB by default (configurable).",
        content(
            (inline(crate::openapi::params::NdjsonText) = "application/x-ndjson"),
            (inline(crate::openapi::params::NdjsonText) = "application/ndjson"),
            (inline(crate::openapi::params::NdjsonText) = "application/jsonl"),
            (inline(crate::openapi::params::NdjsonAsJson) = "application/json"),
        )),
    security(("bearer" = []), ("apiKey" = [])),
    responses(
        (status = 200, description = "What was stored, and every refused line.",
            body = crate::openapi::ImportPayload),
        (status = 400, description = "The body holds no line (it is empty or blank).", body = crate::openapi::ErrorBody),
        (status = 403, description = "The key has no write scope, or is limited to a customer.",
            body = crate::openapi::ErrorBody),
        (status = 413, description = "The body is over the limit.",
            body = crate::openapi::ErrorBody),
        (status = 415, description = "Not one of the NDJSON media types.",
            body = crate::openapi::ErrorBody),
        (status = 429, description = "`too_many_requests`: the key is over its rate (then \
            with the `RateLimit-Policy` and `RateLimit` of v1's other 429s), or as many imports \
            run at once as the server allows.", body = crate::openapi::ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait before retrying."))),
    ),
)]
pub(crate) async fn import(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    request_body: Body,
) -> Result<Response, ApiError> {
    let writes_something = Kind::ALL
        .iter()
        .any(|k| caller.key.has_scope(k.write_scope()))
        || caller.key.has_scope(super::statuses::WRITE_SCOPE);
    if !writes_something {
        return Err(ApiError::Forbidden(
            "this key lacks a write scope (<scope>:write of a kind, e.g. orders:write, or \
             statuses:write)"
                .into(),
        ));
    }
    if caller.key.customer_id.is_some() {
        return Err(ApiError::Forbidden(
            "a key limited to one customer cannot import; use a tenant-wide key".into(),
        ));
    }
    let limit = state.config.max_import_bytes;
    // Before the body is read: a refused import costs no memory.
    let _running = match state.imports.start(&caller.key.tenant) {
        Ok(running) => running,
        Err(refusal) => {
            body::discard(request_body, limit);
            return Err(refusal);
        }
    };
    let bytes = body::read(
        &headers,
        request_body,
        limit,
        NDJSON,
        "application/x-ndjson",
    )
    .await?;
    let mut sink = Sink {
        caller: &caller,
        errors: Vec::new(),
    };
    let counts = import_ndjson(&state.store, &caller.key.tenant, &bytes[..], &mut sink).await?;
    if counts == ImportReport::default() {
        return Err(ApiError::bad_field("", "the body holds no NDJSON lines"));
    }
    let answer = Answer {
        payload: Report {
            counts,
            errors: sink.errors,
        },
    };
    let body = serde_json::to_vec(&answer).map_err(|e| ApiError::Internal(e.into()))?;
    Ok(json_bytes(StatusCode::OK, body))
}
