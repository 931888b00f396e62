//! `GET /openapi.json`: the OpenAPI 3.1 document of every route. Each surface's router
//! (`v1::routes`, `dialects::*::routes`, `ops::routes`) carries the descriptions of its own
//! routes (utoipa-axum); this module holds what is the document's own (info, tags, the shared
//! schemas and responses), the helper that registers a path with its trailing-slash twin, and
//! serves the merged document, built once. tests/openapi.rs holds it to what the server does.

pub(crate) mod build;
mod document;
mod examples;
mod extensions;
mod fields;
mod finish;
pub(crate) mod params;
pub(crate) mod schemas;
pub(crate) mod shared;
pub(crate) mod statuses;

use std::sync::OnceLock;

use axum::http::header;
use axum::response::IntoResponse;
use utoipa::openapi::path::Paths;
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};

use finish::Finish;

/// v1's error body, as `error.rs` sends it.
pub(crate) use crate::error::Body as ErrorBody;
pub(crate) use document::{DocumentInput, KindName};
pub(crate) use schemas::{
    DocumentListPayload, DocumentPayload, GetConditions, Health, ImportPayload, ListParams,
    PutConditions, Ready, RelationsPayload,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "ordo",
        description = "Customer order history: the native partner API v1 (quotes, orders, \
            returns and their vendor counterparts, read, written, imported, and a customer's \
            documents together), its status dictionary, three compatibility dialects that \
            answer as other order-history APIs do (history_v3: the v3 order history API; \
            customer_orders_v2: mittwald's API v2; storefront_v10: the storefront API v10), \
            and the operations endpoints.\n\n\
            Every v1 answer is JSON wrapped in `{\"payload\": ...}`; ids are strings; datetimes \
            are UTC, written `YYYY-MM-DDTHH:MM:SS`; money is an exact decimal written as a JSON \
            number with the digits it was given. Every v1 error is \
            `{\"error\": {\"code\", \"message\", \"details\"}}`, a 405 for a method a path \
            does not list included.\n\n\
            Each dialect answers in the shapes of the API it copies, its errors (a 405 \
            included) in that API's own envelope: see its tag. Every response carries \
            `X-Request-Id`.",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    components(schemas(ErrorBody, document::Document, DocumentInput, KindName),)
)]
pub(crate) struct ApiDoc;

/// v1's share of the document: its tag.
#[derive(OpenApi)]
#[openapi(tags(
    (name = "v1", description = "The native partner API: reads, relations, writes, import, \
        and the tenant's status dictionary."),
))]
pub(crate) struct V1Doc;

/// The answers every v1 operation shares (`shared`).
pub(crate) const V1_ANSWERS: shared::Answers = shared::Answers {
    prefix: "",
    schema: "Error",
    unauthorized: "No key, or an unknown or revoked one.",
    forbidden: None,
    too_many_requests: "`too_many_requests`: the key is over its rate (its own, else the \
        server's); `Retry-After` says when to retry.",
    request_timeout: Some(
        "`request_timeout`: the body did not arrive whole in time; the connection closes.",
    ),
    internal: "An internal error; the body carries `requestId` and no internals.",
    unavailable: "The store is unreachable; retry shortly. The body carries `requestId`.",
    // v1's two credentials are the document's own (`finish.rs`).
    credential: None,
};

/// The operations endpoints' share of the document: their tag.
#[derive(OpenApi)]
#[openapi(tags(
    (name = "operations", description = "Liveness, readiness and this document; no key."),
))]
pub(crate) struct OpsDoc;

/// The document, pretty-printed, kept by the first router built (every router describes the
/// same routes).
static DOCUMENT: OnceLock<String> = OnceLock::new();

/// Finishes the document the surfaces' routers have described and keeps it for `serve`.
pub(crate) fn publish(mut document: utoipa::openapi::OpenApi) {
    DOCUMENT.get_or_init(|| {
        Finish.modify(&mut document);
        examples::add(&mut document);
        let (name, schema) = crate::v1::webhooks::delivery_schema();
        document
            .components
            .get_or_insert_with(Default::default)
            .schemas
            .insert(name, schema);
        let text = document
            .to_pretty_json()
            .expect("the OpenAPI document prints");
        // utoipa has no `webhooks` (OpenAPI 3.1): it joins the printed document as the last
        // member, leaving the order of the rest as utoipa wrote it.
        let webhooks = serde_json::to_string_pretty(&crate::v1::webhooks::webhooks_entry())
            .expect("JSON prints");
        let body = text.trim_end().strip_suffix('}').expect("a JSON object");
        format!(
            "{},\n  \"webhooks\": {}\n}}",
            body.trim_end(),
            webhooks.replace('\n', "\n  ")
        )
    });
}

/// Adds a credential read from a header, as security scheme `name`.
pub(crate) fn key_header(
    openapi: &mut utoipa::openapi::OpenApi,
    name: &str,
    header: &str,
    description: &str,
) {
    use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
    openapi
        .components
        .get_or_insert_with(Default::default)
        .add_security_scheme(
            name,
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                header,
                description,
            ))),
        );
}

/// Every response `openapi` describes: the shared ones and each operation's own.
pub(crate) fn each_response(
    openapi: &mut utoipa::openapi::OpenApi,
    mut change: impl FnMut(&mut utoipa::openapi::response::Response),
) {
    let components = openapi.components.iter_mut();
    let shared = components.flat_map(|c| c.responses.values_mut());
    let own = openapi
        .paths
        .paths
        .values_mut()
        .flat_map(finish::operations)
        .flat_map(|operation| operation.responses.responses.values_mut());
    for response in shared.chain(own) {
        if let utoipa::openapi::RefOr::T(response) = response {
            change(response);
        }
    }
}

/// Registers `routes` both at its documented path and at `twin`, the same path with or
/// without the trailing slash (the references write one, their clients call the other): the
/// router answers both, and the document lists the twin next to it under `twin_operation`.
pub(crate) fn with_twin<S>(
    router: OpenApiRouter<S>,
    (schemas, paths, method_router): UtoipaMethodRouter<S>,
    twin: &str,
    twin_operation: &str,
) -> OpenApiRouter<S>
where
    S: Send + Sync + Clone + 'static,
{
    let (documented, item) = paths
        .paths
        .into_iter()
        .next()
        .expect("routes! describes one path");
    let with_slash = twin.ends_with('/');
    let mut twin_item = item.clone();
    if let Some(get) = twin_item.get.as_mut() {
        get.operation_id = Some(twin_operation.into());
        get.summary
            .get_or_insert_with(String::new)
            .push_str(if with_slash {
                " (the same, with the slash)"
            } else {
                " (the same, without the slash)"
            });
    }
    let mut both = Paths::new();
    let (first, second) = if with_slash {
        ((documented, item), (twin.to_owned(), twin_item))
    } else {
        ((twin.to_owned(), twin_item), (documented, item))
    };
    both.paths.insert(first.0, first.1);
    both.paths.insert(second.0, second.1);
    router.routes((schemas, both, method_router))
}

#[utoipa::path(
    get,
    path = "/openapi.json",
    operation_id = "openapi",
    tag = "operations",
    summary = "This document",
    responses(
        (status = 200, description = "This OpenAPI 3.1 document.",
            content_type = "application/json", body = Object),
    ),
)]
pub(crate) async fn serve() -> impl IntoResponse {
    let document = DOCUMENT.get().map_or("{}", String::as_str);
    ([(header::CONTENT_TYPE, "application/json")], document)
}
