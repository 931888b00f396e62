//! One request of the status matrix, sent and held to the document: the status listed for its
//! operation, the listed headers there, the body of the listed media type and schema.

use reqwest::RequestBuilder;
use reqwest::header::CONTENT_TYPE;
use serde_json::Value;

use crate::checker::Checker;

/// The response the document lists for `status` of an operation, `$ref` resolved.
fn documented<'a>(document: &'a Value, method: &str, path: &str, status: u16) -> &'a Value {
    resolve(
        document,
        &document["paths"][path][method]["responses"][status.to_string()],
    )
}

/// A response of the document, or the component it refers to.
pub fn resolve<'a>(document: &'a Value, response: &'a Value) -> &'a Value {
    match response["$ref"].as_str() {
        Some(reference) => {
            let name = reference
                .strip_prefix("#/components/responses/")
                .expect("a local response");
            &document["components"]["responses"][name]
        }
        None => response,
    }
}

/// A request, the operation it calls and the status it must get.
pub struct Case {
    pub method: &'static str,
    pub path: &'static str,
    pub status: u16,
    pub request: RequestBuilder,
}

pub fn case(
    method: &'static str,
    path: &'static str,
    status: u16,
    request: RequestBuilder,
) -> Case {
    Case {
        method,
        path,
        status,
        request,
    }
}

/// Sends `case` and checks the answer against the document: status listed, headers there,
/// body of the documented media type and schema. Returns the status.
pub async fn run(document: &Value, case: Case) -> u16 {
    let Case {
        method,
        path,
        status,
        request,
    } = case;
    let response = if status == 429 {
        over_rate(request).await
    } else {
        request.send().await.expect("the server answers")
    };
    let got = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.text().await.expect("a body");
    assert_eq!(got, status, "{method} {path}: {body}");
    let listed = documented(document, method, path, got);
    assert!(
        listed.is_object(),
        "{method} {path} answered {got}, which the document does not list"
    );
    for name in listed["headers"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k)
    {
        assert!(
            headers.contains_key(name.as_str()),
            "{method} {path} {got}: no {name} header"
        );
    }
    match listed["content"].as_object() {
        None => assert!(body.is_empty(), "{method} {path} {got}: a body: {body}"),
        Some(content) => {
            let media_type = headers[CONTENT_TYPE].to_str().unwrap();
            let Some(media) = content.get(media_type) else {
                panic!("{method} {path} {got}: undocumented {media_type}");
            };
            let schema = &media["schema"];
            let value: Value = serde_json::from_str(&body).expect("a JSON body");
            let errors = Checker(document).errors(schema, &value);
            assert!(
                errors.is_empty(),
                "{method} {path} {got}: {errors:#?}\n{body}"
            );
        }
    }
    got
}

/// The first 429 of a few quick calls of `request`, whose key has a rate of one a second: at
/// most one of them gets through.
async fn over_rate(request: RequestBuilder) -> reqwest::Response {
    let mut last = None;
    for _ in 0..3 {
        let again = request.try_clone().expect("a body that can be sent again");
        let response = again.send().await.expect("the server answers");
        if response.status() == 429 {
            return response;
        }
        last = Some(response.status());
    }
    panic!("three quick calls, no 429; the last answered {last:?}")
}
