//! customer_orders_v2 (reference 003, mittwald's API v2): `GET /v2/customers/{customerId}/orders`
//! (with and without the trailing slash), a customer's orders as a bare JSON array of
//! mittwald's `CustomerOrder`. Decisions: docs/dialects/customer_orders_v2.md.

mod error;
mod openapi;
pub(crate) mod query;
mod render;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

use ordo_model::{Kind, StatusDictionary};
use ordo_store::{Pick, Scope, StoreError};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use self::error::{CustomerOrdersV2, V2Error, Violation};
use self::query::OrdersQuery;
use self::render::{Context, ParentLines, template_names};
use super::{
    DialectRouter, Loaded, customer_documents, customer_known, customer_page, newest_first,
    newest_loaded_first, of_kind, unreadable,
};
use crate::surface::Authenticated;
use crate::{ApiError, AppState, Caller, auth};

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    // mittwald's clients call the path without the slash, its documentation writes it with
    // one: both answer, neither redirects.
    DialectRouter::<CustomerOrdersV2>::new(openapi::Doc::openapi())
        .route_with_twin(
            routes!(list),
            "/v2/customers/{customerId}/orders/",
            "listCustomerOrdersV2WithSlash",
        )
        .finish(&openapi::ANSWERS)
}

#[utoipa::path(
    get,
    path = "/v2/customers/{customerId}/orders",
    operation_id = "listCustomerOrdersV2",
    tag = "customer_orders_v2",
    summary = "A customer's orders as mittwald's CustomerOrder list",
    description = "As mittwald's API v2 lists a customer's orders: a bare JSON array, newest \
        first (`orderDate`, then `orderNumber`, descending), one window; past the end, `[]`. Filters are AND-ed, the \
        values of one filter OR-ed; counting happens after filtering. Checks run in this \
        order: 401, 403 (scope), 403 (customer), 400 (parameters), 404 (customer).",
    params(
        ("customerId" = String, Path, description = "The customer's id."),
        openapi::Query,
    ),
    security(("bearer" = ["orders"]), ("accessToken" = ["orders"])),
    responses(
        (status = 200, description = "The window of the customer's orders.",
            body = Vec<openapi::CustomerOrder>,
            headers(
                ("x-pagination-totalcount" = u64,
                    description = "Orders that pass the filters, all windows together."),
                ("x-pagination-limit" = u64, description = "The `limit` in effect."),
                ("x-pagination-skip" = u64,
                    description = "Where the window starts: `skip + (page − 1) × limit`."),
            )),
        (status = 400, description = "`ValidationError`: a bad query value, or a customer id \
            that is not UTF-8 text; `validationErrors` lists every one.",
            body = openapi::Error),
        (status = 403, description = "`PermissionDenied`: the key lacks the scope `orders`, \
            or is limited to another customer (whether the path's exists or not).",
            body = openapi::Error),
        (status = 404, description = "`NotFound`: a key of the whole tenant, and no document \
            of any kind of this customer in it. A customer key's own customer always exists.",
            body = openapi::Error),
    ),
)]
#[tracing::instrument(skip_all, fields(route = "customer_orders_v2"))]
pub(crate) async fn list(
    State(state): State<AppState>,
    Authenticated(Caller { key }, _): Authenticated<CustomerOrdersV2>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Response, V2Error> {
    let Path(customer_id) = path.map_err(|rejection| {
        V2Error::Validation(vec![Violation::new(
            ".customerId",
            "type",
            rejection.body_text(),
        )])
    })?;
    // mittwald answers 403 for a customer the caller has no access to; so does ordo, for every
    // customer but the key's own, whether it exists or not (nothing is revealed).
    if key
        .customer_id
        .as_deref()
        .is_some_and(|own| own != customer_id)
    {
        return Err(ApiError::Forbidden(format!(
            "this key has no access to customer {customer_id:?}"
        ))
        .into());
    }
    let query = OrdersQuery::parse(raw.as_deref().unwrap_or("")).map_err(V2Error::Validation)?;

    let scope = auth::scope_of(&key);
    let (window, dictionary) = if query.is_unfiltered() {
        chosen_window(&state, scope, &customer_id, &query).await?
    } else {
        filtered_window(&state, scope, &customer_id, &query).await?
    };
    // A customer is known by its documents, of any kind; a customer key's own customer always
    // is. Only a customer without orders needs the other kinds read to tell.
    if window.orders == 0
        && key.customer_id.is_none()
        && !customer_known(&state, scope, &customer_id).await?
    {
        return Err(ApiError::NotFound(format!("customer {customer_id:?} not found")).into());
    }
    let ctx = Context::new(&key.tenant, &dictionary, &window.parents);
    let total = window.total;
    let page = window
        .page
        .iter()
        .map(|order| render::order(&ctx, &order.document))
        .collect::<Result<Vec<_>, _>>()?;
    let body = serde_json::to_vec(&page).map_err(|e| ApiError::Internal(e.into()))?;

    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    // mittwald's list headers; `extractTotalCountHeader` of the npm client requires the count.
    for (name, value) in [
        ("x-pagination-totalcount", total as u64),
        ("x-pagination-limit", query.limit),
        ("x-pagination-skip", query.offset),
    ] {
        headers.insert(HeaderName::from_static(name), HeaderValue::from(value));
    }
    Ok(response)
}

/// The orders of one answer, newest first, and what their lines point at.
struct Window {
    page: Vec<Loaded>,
    /// The lines of the quotes and orders the page's lines may come from (`render::Context`).
    parents: Vec<ParentLines>,
    /// How many orders match.
    total: usize,
    /// How many orders the customer has.
    orders: usize,
}

/// Without filters (the usual call), the customer index alone chooses the window; then the
/// window's orders and the quotes and orders they name are read, nothing else.
async fn chosen_window(
    state: &AppState,
    scope: Scope<'_>,
    customer_id: &str,
    query: &OrdersQuery,
) -> Result<(Window, Arc<StatusDictionary>), StoreError> {
    let (offset, limit) = (query.offset, query.limit);
    let pick: Pick = Box::new(move |keys| {
        let mut all: Vec<usize> = (0..keys.len()).collect();
        all.sort_by(|&a, &b| newest_first(&keys[a], &keys[b]));
        let window = OrdersQuery::window_of(offset, limit, all.len());
        (all[window].to_vec(), keys.len())
    });
    let (page, dictionary) = customer_page(state, scope, customer_id, Kind::Order, pick).await?;
    let named = |parent: fn(&Loaded) -> Option<&String>| -> Vec<String> {
        let mut ids: Vec<String> = page.loaded.iter().filter_map(parent).cloned().collect();
        ids.sort();
        ids.dedup();
        ids
    };
    let quotes = named(|order| order.document.links.parent_quote_id.as_ref());
    let orders = named(|order| order.document.links.replacement_for_order_id.as_ref());
    let (mut parents, replaced) = tokio::try_join!(
        parent_lines(state, scope, Kind::Quote, &quotes),
        parent_lines(state, scope, Kind::Order, &orders),
    )?;
    parents.extend(replaced);
    let window = Window {
        page: page.loaded,
        parents,
        total: page.total,
        orders: page.all,
    };
    Ok((window, dictionary))
}

/// With filters, which look into the orders, every order of the customer is read, and the
/// quotes their lines may come from.
async fn filtered_window(
    state: &AppState,
    scope: Scope<'_>,
    customer_id: &str,
    query: &OrdersQuery,
) -> Result<(Window, Arc<StatusDictionary>), StoreError> {
    let (loaded, dictionary) =
        customer_documents(state, scope, customer_id, &[Kind::Order, Kind::Quote]).await?;
    let mut matching: Vec<&Loaded> = of_kind(&loaded, Kind::Order)
        .filter(|order| {
            let order = &order.document;
            query.matches(render::status(&dictionary, order), template_names(order))
        })
        .collect();
    matching.sort_by(|a, b| newest_loaded_first(a, b));
    let total = matching.len();
    let page = matching[query.window(total)]
        .iter()
        .map(|order| (*order).clone())
        .collect();
    let window = Window {
        page,
        total,
        orders: of_kind(&loaded, Kind::Order).count(),
        parents: loaded
            .iter()
            .map(|l| ParentLines::of(&l.document))
            .collect(),
    };
    Ok((window, dictionary))
}

/// The lines of the documents of `kind` named by `ids`, read from their stored bodies for
/// those keys only (a full read of a quote costs as much as the order it is read for).
async fn parent_lines(
    state: &AppState,
    scope: Scope<'_>,
    kind: Kind,
    ids: &[String],
) -> Result<Vec<ParentLines>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let stored = state.store.get_many(scope.key_checked(), kind, ids).await?;
    stored
        .iter()
        .map(|doc| ParentLines::from_stored(doc).map_err(|e| unreadable(doc, e)))
        .collect()
}
