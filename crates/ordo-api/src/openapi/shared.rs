//! The answers every authenticated operation of a surface shares (401, 403 where the surface
//! has one reason for it, 429, 500, 503, and 408 where a body is read), written once per
//! surface as `components.responses` in that surface's envelope and referred to from each of
//! its operations. The refusals come from the seam (`surface.rs`), the same for every route:
//! so does their description.

use utoipa::openapi::header::{Header, HeaderBuilder};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr};

use super::finish::operations;
use crate::surface::Surface;

/// What a surface's shared answers say, beyond what the seam decides (its envelope's schema,
/// its challenge).
pub(crate) struct Answers {
    /// Before each component's name: `history_v3.`; `""` for v1.
    pub prefix: &'static str,
    /// The component schema of the error body.
    pub schema: &'static str,
    pub unauthorized: &'static str,
    /// The one 403 of every operation, when the surface has one; else each says its own.
    pub forbidden: Option<&'static str>,
    pub too_many_requests: &'static str,
    /// `None`: no operation of the surface reads a body.
    pub request_timeout: Option<&'static str>,
    pub internal: &'static str,
    pub unavailable: &'static str,
    /// The surface's own credential header, as a security scheme.
    pub credential: Option<Credential>,
}

/// A credential read from a header: security scheme `scheme`.
pub(crate) struct Credential {
    pub scheme: &'static str,
    pub header: &'static str,
    pub description: &'static str,
}

/// The status, component name and builder of each shared answer `answers` describes.
fn components<S: Surface>(answers: &Answers) -> Vec<(&'static str, &'static str, ResponseBuilder)> {
    let error = |description: &str| {
        ResponseBuilder::new().description(description).content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name(answers.schema)))
                .build(),
        )
    };
    let mut unauthorized = error(answers.unauthorized);
    if let Some(scheme) = S::CHALLENGE {
        unauthorized = unauthorized.header("WWW-Authenticate", www_authenticate(scheme));
    }
    let mut out = vec![("401", "Unauthorized", unauthorized)];
    if let Some(forbidden) = answers.forbidden {
        out.push(("403", "Forbidden", error(forbidden)));
    }
    if let Some(request_timeout) = answers.request_timeout {
        let response = error(request_timeout).header("Connection", connection_close());
        out.push(("408", "RequestTimeout", response));
    }
    out.extend([
        (
            "429",
            "TooManyRequests",
            error(answers.too_many_requests)
                .header("Retry-After", retry_after())
                .header("RateLimit-Policy", rate_limit_policy())
                .header("RateLimit", rate_limit()),
        ),
        ("500", "Internal", error(answers.internal)),
        (
            "503",
            "Unavailable",
            error(answers.unavailable).header("Retry-After", retry_after()),
        ),
    ]);
    out
}

/// Adds `answers` to `openapi`, the document of one surface's router: its credential, the
/// components, and
/// on each operation that takes a key a reference to each, 408 only where a body is read. An
/// answer the operation describes itself stays its own; a component no operation refers to
/// is left out.
pub(crate) fn add<S: Surface>(openapi: &mut OpenApi, answers: &Answers) {
    let shared = components::<S>(answers);
    let mut used = std::collections::BTreeSet::new();
    for item in openapi.paths.paths.values_mut() {
        for operation in operations(item) {
            if operation.security.is_none() {
                continue;
            }
            let reads_body = operation.request_body.is_some();
            for (status, name, _) in &shared {
                if *status == "408" && !reads_body {
                    continue;
                }
                let slot = operation.responses.responses.entry((*status).to_owned());
                if let std::collections::btree_map::Entry::Vacant(slot) = slot {
                    used.insert(*name);
                    let reference = Ref::from_response_name(format!("{}{name}", answers.prefix));
                    slot.insert(RefOr::Ref(reference));
                }
            }
        }
    }
    if let Some(credential) = &answers.credential {
        super::key_header(
            openapi,
            credential.scheme,
            credential.header,
            credential.description,
        );
    }
    let components = openapi.components.get_or_insert_with(Default::default);
    for (_, name, response) in shared
        .into_iter()
        .filter(|(_, name, _)| used.contains(name))
    {
        components
            .responses
            .insert(format!("{}{name}", answers.prefix), response.build().into());
    }
}

/// Refers `operation_id`'s answer `status` to the shared component `name` of `answers`: for
/// an operation without a key that can still give one of them (`/ready`'s 503).
pub(crate) fn refer(openapi: &mut OpenApi, operation_id: &str, status: &str, name: &str) {
    for item in openapi.paths.paths.values_mut() {
        for operation in operations(item) {
            if operation.operation_id.as_deref() == Some(operation_id) {
                operation
                    .responses
                    .responses
                    .insert(status.to_owned(), RefOr::Ref(Ref::from_response_name(name)));
            }
        }
    }
}

fn integer_header(minimum: u64, description: &str) -> Header {
    HeaderBuilder::new()
        .schema(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(minimum)),
        )
        .description(Some(description))
        .build()
}

fn string_header(description: &str) -> Header {
    HeaderBuilder::new()
        .schema(ObjectBuilder::new().schema_type(Type::String))
        .description(Some(description))
        .build()
}

/// `Retry-After` of a 503 and a 429.
fn retry_after() -> Header {
    integer_header(0, "Seconds to wait before retrying.")
}

fn rate_limit_policy() -> Header {
    string_header(
        "The key's rate, when that is the bound: `\"key\";q=<requests>;w=1`, requests a \
         second, in bursts of as many.",
    )
}

fn rate_limit() -> Header {
    string_header(
        "What is left of the key's rate, when that is the bound: `\"key\";r=0;t=<seconds>`, \
         nothing left for that many seconds.",
    )
}

fn connection_close() -> Header {
    HeaderBuilder::new()
        .schema(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(["close"])),
        )
        .description(Some(
            "The rest of the body may still come: the connection is not reused.",
        ))
        .build()
}

/// `WWW-Authenticate: <scheme>` of a 401.
fn www_authenticate(scheme: &str) -> Header {
    HeaderBuilder::new()
        .schema(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some([scheme])),
        )
        .build()
}
