//! `GET /v1/changes`: the tenant's change feed, oldest first, with long polling (`wait`).

use std::time::Duration;

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use ordo_model::{Kind, ValidationError};
use ordo_store::Change;
use utoipa::{IntoParams, ToSchema};

use super::json_bytes;
use crate::{ApiError, AppState, Caller};

/// The scope that may follow the feed.
pub(crate) const SCOPE: &str = "changes";

/// The longest a waiting request goes without reading the feed again.
const RECHECK_EVERY: Duration = Duration::from_secs(1);

const DEFAULT_LIMIT: u32 = 100;
const MAX_LIMIT: u32 = 1000;
const MAX_WAIT: u64 = 30;
/// Feed pages read for one request when `kinds` filters out everything read: the answer is
/// then an empty page whose `next` has moved on, and the client asks again.
const MAX_SCANS: usize = 10;

/// The query of a feed request.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // Describes the query only; `FeedQuery::parse` reads it.
pub(crate) struct ChangesParams {
    /// Changes after this revision (default 0: from the start).
    after: Option<i64>,
    /// Changes in the page: 1..1000 (default 100).
    limit: Option<u32>,
    /// Only these kinds, comma-separated (`order,return`).
    kinds: Option<String>,
    /// Seconds (0..30, default 0) to wait for a change when there is none after `after`.
    wait: Option<u64>,
}

/// One change of the feed.
#[derive(ToSchema)]
#[allow(dead_code)] // Describes the wire form; `render` writes it.
pub(crate) struct ChangeEntry {
    revision: i64,
    kind: crate::openapi::KindName,
    id: String,
    /// `put` (created, replaced, or its derived lists changed) or `delete`.
    op: String,
    /// The document as `GET /v1/{kind}/{id}` renders it now; `null` for a delete.
    #[schema(value_type = Option<Object>)]
    document: Option<serde_json::Value>,
}

/// A page of the feed.
#[derive(ToSchema)]
#[allow(dead_code)] // Describes the wire form; `render` writes it.
pub(crate) struct ChangesPage {
    payload: Vec<ChangeEntry>,
    /// The `after` of the next request: the last revision of this page, or the request's
    /// `after` when the page is empty.
    next: i64,
}

struct FeedQuery {
    after: i64,
    limit: u32,
    kinds: Option<Vec<Kind>>,
    wait: Duration,
}

impl FeedQuery {
    fn parse(raw: Option<&str>) -> Result<FeedQuery, ApiError> {
        let mut query = FeedQuery {
            after: 0,
            limit: DEFAULT_LIMIT,
            kinds: None,
            wait: Duration::ZERO,
        };
        let mut problems = Vec::new();
        let mut bad = |field: &str, problem: &str| {
            problems.push(ValidationError {
                field: field.into(),
                problem: problem.into(),
            });
        };
        for (name, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            match &*name {
                "after" => match value.parse::<i64>() {
                    Ok(after) if after >= 0 => query.after = after,
                    _ => bad("after", "must be a revision: an integer of 0 or more"),
                },
                "limit" => match value.parse::<u32>() {
                    Ok(limit) if (1..=MAX_LIMIT).contains(&limit) => query.limit = limit,
                    _ => bad("limit", "must be an integer from 1 to 1000"),
                },
                "kinds" => {
                    let kinds: Result<Vec<Kind>, _> =
                        value.split(',').map(|k| k.trim().parse::<Kind>()).collect();
                    match kinds {
                        Ok(kinds) if !kinds.is_empty() => query.kinds = Some(kinds),
                        _ => bad("kinds", "must list kinds, comma-separated"),
                    }
                }
                "wait" => match value.parse::<u64>() {
                    Ok(wait) if wait <= MAX_WAIT => query.wait = Duration::from_secs(wait),
                    _ => bad("wait", "must be a number of seconds from 0 to 30"),
                },
                _ => bad(&name, "is not a parameter of this route"),
            }
        }
        if problems.is_empty() {
            Ok(query)
        } else {
            Err(ApiError::bad_request(problems))
        }
    }

    fn wants(&self, change: &Change) -> bool {
        self.kinds
            .as_ref()
            .is_none_or(|kinds| kinds.contains(&change.kind()))
    }
}

#[utoipa::path(
    get,
    path = "/v1/changes",
    operation_id = "listChanges",
    tag = "v1",
    summary = "The change feed",
    description = "Scope `changes`, tenant keys only. Every change of the tenant after \
        revision `after`, oldest first: puts with the document as it is now, and deletes. A \
        document appears under its latest revision only: a client that pages after a later \
        change sees that one alone. With `wait`, a request that finds nothing waits until a \
        change commits (and answers within 100 ms of it) or the time is up (an empty page). \
        Pass `next` as the following request's `after`: no revision is ever skipped or \
        repeated.",
    params(ChangesParams),
    security(("bearer" = ["changes"]), ("apiKey" = ["changes"])),
    responses(
        (status = 200, description = "A page of changes.", body = ChangesPage),
        (status = 400, description = "A bad parameter (every problem in `details`).",
            body = crate::openapi::ErrorBody),
        (status = 403, description = "The key lacks `changes`, or is limited to a customer.",
            body = crate::openapi::ErrorBody),
    ),
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn changes(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    caller.require(SCOPE)?;
    if caller.key.customer_id.is_some() {
        return Err(ApiError::Forbidden(
            "a key limited to a customer cannot follow the change feed".into(),
        ));
    }
    let query = FeedQuery::parse(raw.as_deref())?;
    let tenant = &caller.key.tenant;
    let deadline = tokio::time::Instant::now() + query.wait;
    let mut after = query.after;
    let mut scans = 0;
    loop {
        // Taken before the read: a commit after it wakes the wait below.
        let mut signal = state.store.change_signal();
        let page = state.store.feed(tenant, after, query.limit).await?;
        let full = page.len() == query.limit as usize;
        let next = page.last().map_or(after, Change::revision);
        let wanted: Vec<Change> = page.into_iter().filter(|c| query.wants(c)).collect();
        scans += 1;
        if !wanted.is_empty() || (full && scans >= MAX_SCANS) {
            return Ok(json_bytes(StatusCode::OK, render(&wanted, next)));
        }
        after = next;
        if full {
            continue;
        }
        if tokio::time::Instant::now() >= deadline {
            return Ok(json_bytes(StatusCode::OK, render(&[], after)));
        }
        // The signal wakes at once for commits it can see (this process on SQLite, every
        // instance on PostgreSQL); another process writing the same SQLite file is caught by
        // reading again at least once a second.
        let slice = deadline.min(tokio::time::Instant::now() + RECHECK_EVERY);
        let _ = tokio::time::timeout_at(slice, signal.changed()).await;
    }
}

fn render(changes: &[Change], next: i64) -> Vec<u8> {
    let mut out = Vec::with_capacity(256 + changes.len() * 1024);
    out.extend_from_slice(b"{\"payload\":[");
    for (i, change) in changes.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        ordo_events::render_entry(&mut out, change, &[]);
    }
    out.extend_from_slice(format!("],\"next\":{next}}}").as_bytes());
    out
}
