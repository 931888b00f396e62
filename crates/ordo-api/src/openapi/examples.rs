//! An example request and answer for every operation of `/openapi.json`, from
//! `examples.json`: values for the parameters (by name, wherever an operation takes them),
//! and per operation id the request body and the answer of its success status. They were
//! taken from a server running `ordo serve --demo` (trimmed to a document or two), so a
//! reader sees what really comes back; tests/openapi.rs holds every operation to having them.

use serde_json::Value;
use utoipa::openapi::OpenApi;
use utoipa::openapi::path::ParameterBuilder;

const EXAMPLES: &str = include_str!("examples.json");

pub(super) fn add(openapi: &mut OpenApi) {
    let examples: Value = serde_json::from_str(EXAMPLES).expect("examples.json is JSON");
    let parameters = &examples["parameters"];
    let operations = &examples["operations"];
    for item in openapi.paths.paths.values_mut() {
        for operation in super::finish::operations(item) {
            for parameter in operation.parameters.iter_mut().flatten() {
                if let Some(value) = parameters.get(&parameter.name) {
                    *parameter = ParameterBuilder::from(parameter.clone())
                        .example(Some(value.clone()))
                        .build();
                }
            }
            let Some(id) = operation.operation_id.as_deref() else {
                continue;
            };
            let example = &operations[id];
            if let (Some(request), Some(body)) =
                (example.get("request"), operation.request_body.as_mut())
            {
                // JSON bodies only: the NDJSON media types of the import take lines of the
                // same objects, and schemathesis (which sends the examples) cannot write them.
                if let Some(content) = body.content.get_mut("application/json") {
                    content.example = Some(request.clone());
                }
            }
            let Some(answer) = example.get("answer") else {
                continue;
            };
            // The first success status that has a body.
            let success = operation
                .responses
                .responses
                .iter_mut()
                .filter(|(status, _)| status.starts_with('2'))
                .find_map(|(_, response)| match response {
                    utoipa::openapi::RefOr::T(response) if !response.content.is_empty() => {
                        Some(response)
                    }
                    _ => None,
                });
            if let Some(response) = success {
                for content in response.content.values_mut() {
                    content.example = Some(answer.clone());
                }
            }
        }
    }
}
