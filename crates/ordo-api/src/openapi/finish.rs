//! What the `#[utoipa::path]` attributes cannot say: the security schemes, the kinds' scopes, `X-Request-Id` on every request
//! and response, history_v3's `X-Correlation-Id` on every answer of that dialect, and the
//! storefront's body that may be left out.

use ordo_model::Kind;
use utoipa::Modify;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, Parameter, ParameterBuilder, ParameterIn, PathItem};
use utoipa::openapi::response::Response;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ObjectBuilder, OpenApi, RefOr, Required, Type};

pub(super) struct Finish;

/// Operations whose scope is the path kind's; `true` for the write scope.
const KIND_OPERATIONS: [(&str, bool); 4] = [
    ("listDocuments", false),
    ("listDocumentsWithoutSlash", false),
    ("getDocument", false),
    ("putDocument", true),
];

/// The header-borne credentials, by scheme name: header and meaning.
const KEY_HEADERS: [(&str, &str, &str); 4] = [
    (
        "apiKey",
        "X-Api-Key",
        "v1: the same key as `X-Api-Key: <key>`; `Authorization` wins when both are given.",
    ),
    (
        "historyV3ApiKey",
        "X-Api-Key",
        "history_v3: names the key of the `Authorization` header, by its id (the 12 hex digits \
         of `ordo_<id>_...`) or its whole secret. It never authenticates alone: it goes with \
         `bearer`.",
    ),
    (
        "accessToken",
        "x-access-token",
        "customer_orders_v2: an ordo API key, as mittwald's clients send a token; \
         `Authorization: Bearer` wins when both are given.",
    ),
    (
        "customerKey",
        "X-Customer-Key",
        "storefront_v10: an ordo API key limited to one customer (`ordo keys create \
         --customer C`); the only credential the storefront reads.",
    ),
];

impl Modify for Finish {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "`Authorization: Bearer <key>`, an ordo API key (`ordo_...`).",
                    ))
                    .build(),
            ),
        );
        for (name, header, description) in KEY_HEADERS {
            components.add_security_scheme(
                name,
                SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                    header,
                    description,
                ))),
            );
        }
        for (name, response) in components.responses.iter_mut() {
            if let RefOr::T(response) = response {
                add_request_id(response);
                if name.starts_with("history_v3.") {
                    add_correlation_id(response);
                }
            }
        }

        let paths = &mut openapi.paths.paths;
        for item in paths.values_mut() {
            for operation in operations(item) {
                let scope = KIND_OPERATIONS
                    .iter()
                    .find(|(id, _)| operation.operation_id.as_deref() == Some(*id));
                if let Some(&(_, write)) = scope {
                    let description = operation.description.get_or_insert_with(String::new);
                    if !description.is_empty() {
                        description.push_str("\n\n");
                    }
                    description.push_str(&scope_table(write));
                }
                // A body the operation takes but does not need: no body at all is `{}`.
                if operation.operation_id.as_deref() == Some("storefrontV10Orders")
                    && let Some(body) = operation.request_body.as_mut()
                {
                    body.required = Some(Required::False);
                }
                operation
                    .parameters
                    .get_or_insert_with(Vec::new)
                    .push(request_id_parameter());
                let history_v3 = operation
                    .tags
                    .as_ref()
                    .is_some_and(|tags| tags.iter().any(|tag| tag == "history_v3"));
                for response in operation.responses.responses.values_mut() {
                    if let RefOr::T(response) = response {
                        add_request_id(response);
                        if history_v3 {
                            add_correlation_id(response);
                        }
                    }
                }
            }
        }
    }
}

fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        item.get.as_mut(),
        item.put.as_mut(),
        item.post.as_mut(),
        item.delete.as_mut(),
        item.patch.as_mut(),
    ]
    .into_iter()
    .flatten()
}

/// The scope each kind needs, from the same table the handlers ask.
fn scope_table(write: bool) -> String {
    let mut table =
        String::from("The key needs the scope of the path's kind:\n\n| kind | scope |\n|--|--|\n");
    for kind in Kind::ALL {
        let scope = if write {
            kind.write_scope()
        } else {
            kind.read_scope()
        };
        table.push_str(&format!("| `{}` | `{scope}` |\n", kind.path()));
    }
    table
}

fn request_id_parameter() -> Parameter {
    ParameterBuilder::new()
        .name("X-Request-Id")
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(
            "Kept and echoed when it is 1..128 printable ASCII characters; otherwise a new \
             one is made.",
        ))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .build()
}

fn add_request_id(response: &mut Response) {
    let header = HeaderBuilder::new()
        .schema(ObjectBuilder::new().schema_type(Type::String))
        .description(Some("The caller's request id, or a new one."))
        .build();
    response.headers.insert("X-Request-Id".into(), header);
}

/// history_v3 echoes `X-Correlation-Id` on every answer, errors included.
fn add_correlation_id(response: &mut Response) {
    let header = HeaderBuilder::new()
        .schema(ObjectBuilder::new().schema_type(Type::String))
        .description(Some("The request's `X-Correlation-Id`, when it has one."))
        .build();
    response.headers.insert("X-Correlation-Id".into(), header);
}
