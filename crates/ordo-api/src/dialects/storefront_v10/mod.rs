//! `storefront_v10` (reference 004): `POST /api/v10/storefront.orders`, a storefront
//! customer's own orders, for a key limited to that customer given in `X-Customer-Key`.
//! docs/dialects/storefront_v10.md maps every field and records the decisions.

pub(crate) mod error;
mod openapi;
pub(crate) mod projection;
mod query;
mod render;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ordo_model::{Document, Kind};
use ordo_store::{Pick, Scope};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{DialectRouter, customer_page, derived_ids, documents, stable_int};
use crate::surface::Authenticated;
use crate::{ApiError, AppState, Caller, auth, body};
use error::{Storefront, StorefrontError};
use render::{Context, Node};

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    let mut router = DialectRouter::<Storefront>::new(openapi::Doc::openapi())
        .route(routes!(orders))
        .finish(&openapi::ANSWERS);
    openapi::body_optional(router.get_openapi_mut());
    router
}

#[utoipa::path(
    post,
    path = "/api/v10/storefront.orders",
    operation_id = "storefrontV10Orders",
    tag = "storefront_v10",
    summary = "A storefront customer's own orders",
    description = "As the storefront API v10's order list. The key is a customer key: it \
        sees its tenant's orders (kind `order`) of its customer only, each with that customer's returns of it. Orders \
        are sorted by `id` ascending; `first`/`limit` window them, `after` pages them. Checks \
        run in this order: 401, 403 (customer key), 403 (scope), then the body (415, 413, \
        400).",
    request_body(content = openapi::Request,
        content_type = "application/json",
        description = "JSON (`charset` and other parameters ignored); no body at all is `{}`. \
            At most the document limit (1 MiB by default)."),
    security(("customerKey" = ["orders"])),
    responses(
        (status = 200, description = "The customer's orders.",
            body = openapi::Answer),
        (status = 400, description = "`InvalidRequest`: the body is not JSON, not an object, \
            or any field of it is bad; `details` names every problem.",
            body = error::Body),
        (status = 403, description = "`Forbidden`: a key not limited to a customer, or one \
            without the scope `orders`.", body = error::Body),
        (status = 413, description = "`PayloadTooLarge`: the body is over the limit.",
            body = error::Body),
        (status = 415, description = "`UnsupportedMediaType`: a body that is not \
            `application/json`.", body = error::Body),
    ),
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn orders(
    State(state): State<AppState>,
    Authenticated(Caller { key }, _): Authenticated<Storefront>,
    headers: HeaderMap,
    request_body: Body,
) -> Result<Response, StorefrontError> {
    let Some(customer) = key.customer_id.as_deref() else {
        // `Storefront::admit` lets customer keys only through.
        return Err(ApiError::Internal("a storefront key without a customer".into()).into());
    };
    let bytes = read_body(&state, &headers, request_body).await?;
    let query = query::parse(&bytes).map_err(ApiError::bad_request)?;

    let scope = Scope {
        customer: Some(customer),
        ..auth::scope_of(&key)
    };
    // The conditions and the window are on identifiers, which the order ids alone give: the
    // customer index chooses the page, and only its orders and their returns are read.
    let conditions = query.clone();
    let pick: Pick = Box::new(move |keys| {
        let candidates = keys
            .iter()
            .enumerate()
            .map(|(at, key)| (stable_int(&key.id), key.id.as_str(), at))
            .collect();
        conditions.window(candidates)
    });
    let (chosen, dictionary) = customer_page(&state, scope, customer, Kind::Order, pick).await?;
    let count = chosen.total;
    let mut return_ids: Vec<String> = chosen
        .loaded
        .iter()
        .flat_map(|order| derived_ids(&order.stored, "returnIds"))
        .cloned()
        .collect();
    return_ids.sort();
    return_ids.dedup();
    let loaded_returns = documents(&state, scope, Kind::Return, &return_ids).await?;
    let mut returns: Vec<&Document> = loaded_returns.iter().map(|l| &l.document).collect();
    returns.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
    let page: Vec<&Document> = chosen.loaded.iter().map(|order| &order.document).collect();

    let ctx = Context {
        tenant: &key.tenant,
        dictionary: &dictionary,
    };
    let mut orders = Vec::with_capacity(page.len());
    for order in page {
        let its_returns: Vec<&Document> = returns
            .iter()
            .filter(|r| r.links.parent_order_id.as_deref() == Some(order.id.as_str()))
            .copied()
            .collect();
        // Ingest bounds each amount, not their products: an overflow in one document's
        // arithmetic (checked, `render::money`) is that call's 500.
        let rendered = render::order(&ctx, order, &its_returns).map_err(|_| {
            ApiError::Internal(format!("order {:?}: money overflows", order.id).into())
        })?;
        orders.push(match &query.selection {
            Some(selection) => selection.apply(rendered),
            None => rendered,
        });
    }

    let answer = Node::Object(vec![
        ("status", Node::str("ok")),
        ("orders", Node::List(orders)),
        ("count", Node::Int(count as u64)),
    ]);
    let bytes = serde_json::to_vec(&answer).map_err(|e| ApiError::Internal(e.into()))?;
    let mut response = (StatusCode::OK, bytes).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(response)
}

/// The JSON body. A request without a `Content-Type` may still have no body at all: that
/// is an empty query, as `{}`.
async fn read_body(
    state: &AppState,
    headers: &HeaderMap,
    request_body: Body,
) -> Result<Bytes, StorefrontError> {
    let limit = state.config.max_document_bytes;
    if headers.contains_key(header::CONTENT_TYPE) {
        return Ok(body::read(
            headers,
            request_body,
            limit,
            &["application/json"],
            "application/json",
        )
        .await?);
    }
    let bytes = axum::body::to_bytes(request_body, limit)
        .await
        .map_err(|_| ApiError::PayloadTooLarge(limit))?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        Ok(bytes)
    } else {
        Err(ApiError::UnsupportedMediaType("application/json").into())
    }
}
