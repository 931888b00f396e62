//! The console as HTTP: one page for every console path, assets under a version, strict
//! headers on every answer, no key needed, and nothing of it in `/openapi.json`.

use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH, LOCATION};

use crate::common::*;

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

fn assert_strict(response: &reqwest::Response) {
    let h = response.headers();
    let url = response.url().clone();
    assert_eq!(h["content-security-policy"], CSP, "{url}");
    assert_eq!(h["x-frame-options"], "DENY", "{url}");
    assert_eq!(h["x-content-type-options"], "nosniff", "{url}");
    assert_eq!(h["referrer-policy"], "no-referrer", "{url}");
}

/// The asset URLs the index names (`/console/assets/{version}/...`).
fn asset_urls(index: &str) -> Vec<String> {
    index
        .split('"')
        .filter(|part| part.starts_with("/console/assets/"))
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn every_console_page_is_the_index_without_a_key_with_strict_headers() {
    let app = spawn_app().await;
    let client = reqwest::Client::new();
    let mut bodies = Vec::new();
    for path in [
        "/console/",
        "/console/customers/459202",
        "/console/order/625606",
        "/console/vendor-return/x%20y",
        "/console/search?q=625606",
    ] {
        let response = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_strict(&response);
        assert_eq!(response.headers()[CONTENT_TYPE], "text/html; charset=utf-8");
        assert_eq!(response.headers()[CACHE_CONTROL], "no-cache");
        bodies.push(response.text().await.unwrap());
    }
    assert!(bodies.windows(2).all(|w| w[0] == w[1]), "one page for all");
    let index = &bodies[0];
    assert!(index.contains("<script type=\"module\" src=\"/console/assets/"));
    // No inline script or style, nothing from another origin.
    assert!(!index.contains("<script>") && !index.contains("<style") && !index.contains("style="));
    assert!(!index.contains("http://") && !index.contains("https://") && !index.contains("//cdn"));

    let redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(app.url("/console"))
        .send()
        .await
        .unwrap();
    assert_eq!(redirect.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(redirect.headers()[LOCATION], "/console/");
}

#[tokio::test]
async fn assets_are_versioned_and_cached_and_the_index_revalidates() {
    let app = spawn_app().await;
    let client = reqwest::Client::new();
    let index = client.get(app.url("/console/")).send().await.unwrap();
    let etag = index.headers()[ETAG].clone();
    let index = index.text().await.unwrap();
    let assets = asset_urls(&index);
    assert_eq!(
        assets.len(),
        2,
        "the style sheet and the entry module: {assets:?}"
    );
    for url in &assets {
        let response = client.get(app.url(url)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{url}");
        assert_strict(&response);
        assert_eq!(
            response.headers()[CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        let kind = response.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            kind.starts_with(if url.ends_with(".js") {
                "text/javascript"
            } else {
                "text/css"
            }),
            "{url}: {kind}"
        );
    }
    // The entry's imports resolve beside it, under the same version.
    let entry = assets.iter().find(|u| u.ends_with("app.js")).unwrap();
    let base = entry.trim_end_matches("app.js");
    for module in [
        "api.js",
        "customer.js",
        "document.js",
        "dom.js",
        "graph.js",
        "money.js",
        "search.js",
    ] {
        let response = client
            .get(app.url(&format!("{base}{module}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{module}");
    }

    let again = client
        .get(app.url("/console/customers/1"))
        .header(IF_NONE_MATCH, etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_strict(&again);

    for missing in [
        "/console/assets/0000000000000000/app.js".to_owned(),
        format!("{base}nothing.js"),
        "/console/assets/app.js".to_owned(),
    ] {
        let response = client.get(app.url(&missing)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{missing}");
        assert_strict(&response);
    }
}

#[tokio::test]
async fn the_console_is_not_in_the_openapi_document() {
    let app = spawn_app().await;
    let document: serde_json::Value = reqwest::get(app.url("/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let paths = document["paths"].as_object().unwrap();
    assert!(paths.keys().any(|p| p.starts_with("/v1/")));
    assert!(paths.keys().all(|p| !p.starts_with("/console")));
}
