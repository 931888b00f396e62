//! history_v3 (reference 002): a customer's order history and one order's details, as the
//! partner API that reference is cut from serves them. Mapping rules, auth, paging and error
//! decisions: docs/dialects/history_v3.md.

mod error;
mod openapi;
pub(crate) mod query;
pub(crate) mod render;

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::HeaderName;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use ordo_model::{Document, Kind, StatusDictionary};
use ordo_store::{Pick, Scope, StoreError, StoredDoc};
use serde::Serialize;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use self::error::{HistoryV3, V3Error, customer_not_found, order_not_found};
use self::query::{HistoryQuery, order_path};
use self::render::Window;
use super::{
    DialectRouter, Loaded, Page, customer_documents, customer_page, derived_ids, newest_first,
    newest_loaded_first,
};
use crate::surface::Authenticated;
use crate::{ApiError, AppState};

const CORRELATION_ID: HeaderName = HeaderName::from_static("x-correlation-id");

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    let mut router = DialectRouter::<HistoryV3>::new(openapi::Doc::openapi())
        .route_with_twin(
            routes!(list),
            "/v3/customers/{customerId}/orders/",
            "listHistoryV3OrdersWithSlash",
        )
        .route(routes!(details))
        .finish(&openapi::ANSWERS)
        .route_layer(middleware::from_fn(echo_correlation_id));
    // After the shared answers: they carry the header too.
    openapi::add_correlation_id(router.get_openapi_mut());
    router
}

/// `X-Correlation-Id` goes back on every answer of the dialect, errors included.
async fn echo_correlation_id(request: Request, next: Next) -> Response {
    let correlation = request.headers().get(CORRELATION_ID).cloned();
    let mut response = next.run(request).await;
    if let Some(value) = correlation {
        response.headers_mut().insert(CORRELATION_ID, value);
    }
    response
}

/// `GET /v3/customers/{customerId}/orders`: the customer's orders that match the filters,
/// newest first, one page of them.
#[utoipa::path(
    get,
    path = "/v3/customers/{customerId}/orders",
    operation_id = "listHistoryV3Orders",
    tag = "history_v3",
    summary = "A customer's orders, filtered, newest first, one page",
    description = "As the v3 order history API's order list. Only documents of kind \
        `order`. Checks run in this order: 401 (bearer), 403 (`X-Api-Key`), 403 (scope), 400 (parameters), 404 (customer), 400 \
        (`offset` beyond the total). A customer that has orders, none of which match, is a \
        200 with `totalCount` 0.",
    params(
        ("customerId" = String, Path, description = "The customer's id."),
        openapi::Query,
        openapi::Headers,
    ),
    security(("bearer" = ["orders"], "historyV3ApiKey" = ["orders"])),
    responses(
        (status = 200, description = "The page.", body = openapi::Page),
        (status = 400, description = "\"Bad request\": a bad parameter (one \
            `additionalDetails` entry each, all at once), or `offset` beyond `totalCount`.",
            body = error::Body),
        (status = 404, description = "\"Invalid customer ID\": no order of this customer that \
            the key may see (unknown, only other kinds, another tenant's, or not the customer \
            of a customer key).", body = error::Body),
    ),
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn list(
    State(state): State<AppState>,
    Authenticated(caller, _): Authenticated<HistoryV3>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Response, V3Error> {
    let Path(customer_id) = path.map_err(|_| customer_not_found())?;
    let raw = raw.unwrap_or_default();
    let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.as_bytes())
        .into_owned()
        .collect();
    let query = HistoryQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(ApiError::bad_request)?;

    let (page, dictionary) = orders_page(&state, caller.scope(), &customer_id, &query).await?;
    if page.all == 0 {
        return Err(customer_not_found());
    }
    let total_count = page.total;
    if query.offset > total_count {
        return Err(ApiError::bad_field(
            "offset",
            format!("{} is beyond the total count {total_count}", query.offset),
        )
        .into());
    }
    let items = page
        .loaded
        .iter()
        .map(|order| render_order(&order.document, &order.stored, &dictionary))
        .collect();
    let uri = |offset| query.page_uri(&customer_id, offset);
    let window = Window {
        total_count,
        offset: query.offset,
        limit: query.limit,
        uri: &uri,
    };
    Ok(json(&render::page(items, &window)))
}

/// The page of the customer's orders the query asks for, newest first. With no filter but
/// the dates (the default), the customer index alone chooses it and only its bodies are
/// read; the other filters look into the orders, so all of the customer's are read.
async fn orders_page(
    state: &AppState,
    scope: Scope<'_>,
    customer_id: &str,
    query: &HistoryQuery,
) -> Result<(Page, Arc<StatusDictionary>), StoreError> {
    let (offset, limit) = (query.offset, query.limit);
    if let Some((start, end)) = query.dates_only() {
        let pick: Pick = Box::new(move |keys| {
            let mut chosen: Vec<usize> = (0..keys.len())
                .filter(|&at| {
                    let created = keys[at].created_at;
                    start.is_none_or(|start| created >= start) && created <= end
                })
                .collect();
            chosen.sort_by(|&a, &b| newest_first(&keys[a], &keys[b]));
            let total = chosen.len();
            (chosen.into_iter().skip(offset).take(limit).collect(), total)
        });
        return customer_page(state, scope, customer_id, Kind::Order, pick).await;
    }
    let (orders, dictionary) =
        customer_documents(state, scope, customer_id, &[Kind::Order]).await?;
    let all = orders.len();
    let mut matching: Vec<Loaded> = orders
        .into_iter()
        .filter(|order| query.matches(&order.document, &dictionary))
        .collect();
    matching.sort_by(newest_loaded_first);
    let total = matching.len();
    let loaded = matching.into_iter().skip(offset).take(limit).collect();
    Ok((Page { loaded, total, all }, dictionary))
}

/// `GET /v3/customers/{customerId}/orders/{orderId}`: one order of that customer.
#[utoipa::path(
    get,
    path = "/v3/customers/{customerId}/orders/{orderId}",
    operation_id = "getHistoryV3Order",
    tag = "history_v3",
    summary = "One order of a customer",
    description = "As the v3 order history API's \"Get order details\".",
    params(
        ("customerId" = String, Path, description = "The customer's id."),
        ("orderId" = String, Path, description = "The order's id."),
        openapi::Headers,
    ),
    security(("bearer" = ["orders"], "historyV3ApiKey" = ["orders"])),
    responses(
        (status = 200, description = "The order.", body = openapi::Order),
        (status = 404, description = "\"Invalid customer or order ID\": no such order, or one \
            of another customer or another tenant (the same body for all three).",
            body = error::Body),
    ),
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn details(
    State(state): State<AppState>,
    Authenticated(caller, _): Authenticated<HistoryV3>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, V3Error> {
    let Path((customer_id, order_id)) = path.map_err(|_| order_not_found())?;
    if ordo_model::ingest::id_problem(&order_id).is_some() {
        // No store holds such an id (PostgreSQL could not even be asked for one with U+0000);
        // the key is still checked, as a read of the store would.
        state.store.statuses(caller.scope().key_checked()).await?;
        return Err(order_not_found());
    }
    let stored = state
        .store
        .get(caller.scope(), Kind::Order, &order_id)
        .await?
        .ok_or_else(order_not_found)?;
    let document = Document::from_stored(Kind::Order, &stored.body).map_err(|problems| {
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        ApiError::Internal(
            format!("stored order {order_id} unreadable: {}", text.join("; ")).into(),
        )
    })?;
    if document.customer_id != customer_id {
        return Err(order_not_found());
    }
    let dictionary = state
        .store
        .status_dictionary(caller.scope().key_checked())
        .await?;
    Ok(json(&render_order(&document, &stored, &dictionary)))
}

fn render_order<'a>(
    document: &'a Document,
    stored: &'a StoredDoc,
    dictionary: &StatusDictionary,
) -> render::Order<'a> {
    let self_uri = order_path(&document.customer_id, &document.id);
    render::order(document, replacement_ids(stored), dictionary, self_uri)
}

/// The order's derived `replacementOrderIds`, oldest first.
fn replacement_ids(stored: &StoredDoc) -> &[String] {
    derived_ids(stored, "replacementOrderIds")
}

fn json(value: &impl Serialize) -> Response {
    axum::Json(value).into_response()
}
