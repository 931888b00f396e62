//! What the `#[utoipa::path]` attributes cannot say: the security schemes, the kinds' scopes, `X-Request-Id` on every request
//! and response. What is one surface's own (its credential headers, its own headers) its
//! folder adds to its router's document.

use ordo_model::Kind;
use utoipa::Modify;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, Parameter, ParameterBuilder, ParameterIn, PathItem};
use utoipa::openapi::response::Response;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ObjectBuilder, OpenApi, Required, Type};

pub(super) struct Finish;

/// Operations whose scope is the path kind's; `true` for the write scope.
const KIND_OPERATIONS: [(&str, bool); 4] = [
    ("listDocuments", false),
    ("listDocumentsWithoutSlash", false),
    ("getDocument", false),
    ("putDocument", true),
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
        super::key_header(
            openapi,
            "apiKey",
            "X-Api-Key",
            "v1: the same key as `X-Api-Key: <key>`; `Authorization` wins when both are given.",
        );
        super::each_response(openapi, add_request_id);

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
                operation
                    .parameters
                    .get_or_insert_with(Vec::new)
                    .push(request_id_parameter());
            }
        }
    }
}

pub(super) fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
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
