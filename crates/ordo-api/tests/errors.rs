//! Status codes of the v1 surface and the one JSON error body they share, request ids on
//! every response, and the operations endpoints.

mod common;

use common::*;
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread")]
async fn put_creates_with_201_then_replaces_with_200() {
    let app = spawn_app().await;
    let key = app.create_key(&["orders", "orders:write"]).await;
    let first = order("p1", "c1", "2024-01-01T00:00:00");
    let second = order("p1", "c1", "2024-01-02T00:00:00");

    let created = app.put("order", "p1", &first, &key).await;
    assert_eq!(created.status(), 201);
    assert_eq!(created.headers()["location"], "/v1/order/p1");
    let created: Value = created.json().await.unwrap();
    assert_eq!(created["payload"]["orderId"], json!("p1"));

    let replaced = app.put("order", "p1", &second, &key).await;
    assert_eq!(replaced.status(), 200);
    let replaced: Value = replaced.json().await.unwrap();
    assert_eq!(
        replaced["payload"]["updatedAt"],
        json!("2024-01-02T00:00:00")
    );

    // Re-sending the same document changes nothing and is not a creation.
    assert_eq!(app.put("order", "p1", &second, &key).await.status(), 200);
    let stored = app.get_json("/v1/order/p1", &key).await;
    assert_eq!(stored["payload"], replaced["payload"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn put_accepts_a_body_without_kind_or_id() {
    let app = spawn_app().await;
    let key = app.create_key(&["orders", "orders:write"]).await;
    let mut document = order("p2", "c1", "2024-01-01T00:00:00");
    document.as_object_mut().unwrap().remove("kind");
    document.as_object_mut().unwrap().remove("orderId");

    assert_eq!(app.put("order", "p2", &document, &key).await.status(), 201);

    let stored = app.get_json("/v1/order/p2", &key).await;
    assert_eq!(stored["payload"]["orderId"], json!("p2"));
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_ids_kinds_and_routes_are_404() {
    let app = spawn_app().await;
    let key = app.admin_key().await;

    let missing = expect_error(app.get("/v1/order/does-not-exist", &key).await, 404).await;
    assert_eq!(missing["error"]["code"], json!("not_found"));
    for path in [
        "/v1/invoice/",
        "/v1/invoice",
        "/v1/invoice/1",
        "/v1/orders/1",
        "/v2/nothing",
        "/v1/order/1/extra",
        "/",
    ] {
        expect_error(app.get(path, &key).await, 404).await;
    }
    // Unknown kinds are 404 whatever the credentials.
    let anonymous = app
        .client
        .get(app.url("/v1/invoice/"))
        .send()
        .await
        .unwrap();
    expect_error(anonymous, 404).await;
    let put = app
        .put(
            "invoice",
            "1",
            &order("1", "c1", "2024-01-01T00:00:00"),
            &key,
        )
        .await;
    expect_error(put, 404).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_method_is_405() {
    let app = spawn_app().await;
    let key = app.admin_key().await;

    let delete = app
        .client
        .patch(app.url("/v1/order/1"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    let post = app
        .client
        .post(app.url("/v1/order/"))
        .bearer_auth(&key)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let get_import = app.get("/v1/import", &key).await;

    for (response, allowed) in [
        (delete, &["GET", "PUT", "DELETE"][..]),
        (post, &["GET"][..]),
        (get_import, &["POST"][..]),
    ] {
        // A 405 lists the methods the route has (RFC 9110).
        let allow = response.headers()["allow"].to_str().unwrap().to_owned();
        let listed: Vec<&str> = allow.split(',').map(str::trim).collect();
        for method in allowed {
            assert!(listed.contains(method), "{method} not in Allow: {allow}");
        }
        let body = expect_error(response, 405).await;
        assert_eq!(body["error"]["code"], json!("method_not_allowed"));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_document_declared_over_1_mib_is_413_before_its_body_is_sent() {
    let app = spawn_app().await;
    let key = app.create_key(&["orders", "orders:write"]).await;
    let address = app.base_url.trim_start_matches("http://").to_owned();
    let head = format!(
        "PUT /v1/order/big HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {key}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        (1 << 20) + 1
    );

    // The declared length is enough: the answer comes before a byte of the body is sent.
    let answer = tokio::task::spawn_blocking(move || exchange(&address, head.as_bytes(), &[]))
        .await
        .unwrap();

    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("payload_too_large"), "{answer}");
    assert!(
        answer
            .to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{answer}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_connection_is_closed_only_after_the_answer_says_so() {
    let app = spawn_app().await;
    let read_only = app.create_key(&["orders"]).await;
    let writer = app.create_key(&["orders", "orders:write"]).await;
    let address = app.base_url.trim_start_matches("http://").to_owned();
    // Bodies the server refuses without reading them: too large (declared only, never
    // sent), a key without the write scope, a wrong content type.
    let cases = [
        ("413", writer.clone(), "application/json", (1 << 20) + 1, 0),
        ("403", read_only, "application/json", 200_000, 200_000),
        ("415", writer, "text/plain", 200_000, 200_000),
    ];

    for (status, key, content_type, declared, sent) in cases {
        let head = format!(
            "PUT /v1/order/x HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {key}\r\n\
             Content-Type: {content_type}\r\nContent-Length: {declared}\r\n\r\n"
        );
        let address = address.clone();
        let (answer, closed) = tokio::task::spawn_blocking(move || {
            keep_alive_exchange(&address, head.as_bytes(), &vec![b' '; sent])
        })
        .await
        .unwrap();

        assert!(
            answer.starts_with(&format!("HTTP/1.1 {status}")),
            "{answer}"
        );
        // A body left unread is dropped with the connection: the answer must say so, or a
        // keep-alive client reuses a dead connection.
        let says_close = answer
            .to_ascii_lowercase()
            .contains("\r\nconnection: close\r\n");
        assert!(
            !closed || says_close,
            "{status}: closed without `Connection: close`:\n{answer}"
        );
    }
}

/// Writes `head` and `body` over a keep-alive connection and reads the answer for half a
/// second; the raw answer and whether the server closed the connection.
fn keep_alive_exchange(address: &str, head: &[u8], body: &[u8]) -> (String, bool) {
    use std::io::{Read, Write};

    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_millis(500)))
        .unwrap();
    stream.write_all(head).unwrap();
    let _ = stream.write_all(body);
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    let closed = loop {
        match stream.read(&mut buffer) {
            Ok(0) => break true,
            Ok(n) => answer.extend_from_slice(&buffer[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break true,
            Err(_) => break false,
        }
    };
    (String::from_utf8_lossy(&answer).into_owned(), closed)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_document_over_1_mib_without_a_length_is_413() {
    let app = spawn_app().await;
    let key = app.create_key(&["orders", "orders:write"]).await;
    let mut document = order("big", "c1", "2024-01-01T00:00:00");
    document["customerNotes"] = json!("x".repeat((1 << 20) + 1));
    let body = serde_json::to_vec(&document).unwrap();
    let address = app.base_url.trim_start_matches("http://").to_owned();

    let head = format!(
        "PUT /v1/order/big HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {key}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\
         Connection: close\r\n\r\n"
    );

    // Sent chunked, by hand (reqwest streams bodies only with a feature this crate does not
    // enable): there is no Content-Length for the server to refuse up front.
    let answer = tokio::task::spawn_blocking(move || {
        let chunks: Vec<&[u8]> = body.chunks(64 * 1024).collect();
        exchange(&address, head.as_bytes(), &chunks)
    })
    .await
    .unwrap();

    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("payload_too_large"), "{answer}");
    let key = app.create_key(&["orders"]).await;
    expect_error(app.get("/v1/order/big", &key).await, 404).await;
}

/// Writes `head`, then `chunks` framed as a chunked body, over a plain socket, and returns
/// the raw answer.
fn exchange(address: &str, head: &[u8], chunks: &[&[u8]]) -> String {
    use std::io::{Read, Write};

    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream.write_all(head).unwrap();
    if !chunks.is_empty() {
        for chunk in chunks {
            let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
            framed.extend_from_slice(chunk);
            framed.extend_from_slice(b"\r\n");
            // The server may answer and stop reading before the body ends.
            if stream.write_all(&framed).is_err() {
                break;
            }
        }
        let _ = stream.write_all(b"0\r\n\r\n");
    }
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_document_that_is_not_json_by_content_type_is_415() {
    let app = spawn_app().await;
    let key = app.create_key(&["orders", "orders:write"]).await;
    let document = order("t1", "c1", "2024-01-01T00:00:00");

    let text_plain = app
        .client
        .put(app.url("/v1/order/t1"))
        .bearer_auth(&key)
        .header("content-type", "text/plain")
        .body(document.to_string())
        .send()
        .await
        .unwrap();
    let no_type = app
        .client
        .put(app.url("/v1/order/t1"))
        .bearer_auth(&key)
        .body(document.to_string())
        .send()
        .await
        .unwrap();
    let with_charset = app
        .client
        .put(app.url("/v1/order/t1"))
        .bearer_auth(&key)
        .header("content-type", "application/json; charset=utf-8")
        .body(document.to_string())
        .send()
        .await
        .unwrap();

    let body = expect_error(text_plain, 415).await;
    assert_eq!(body["error"]["code"], json!("unsupported_media_type"));
    expect_error(no_type, 415).await;
    assert_eq!(with_charset.status(), 201);
}

#[tokio::test(flavor = "multi_thread")]
async fn each_bad_query_parameter_is_a_400_naming_it() {
    let app = spawn_app().await;
    let key = app.create_key(&["orders"]).await;

    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("limit=abc", "limit"),
        ("limit=", "limit"),
        ("offset=-1", "offset"),
        ("offset=abc", "offset"),
        ("newest=maybe", "newest"),
        ("from=notadate", "from"),
        ("to=notadate", "to"),
        ("from=2022-03-11", "from"),
    ] {
        let response = app.get(&format!("/v1/order/?{query}"), &key).await;
        let body = expect_error(response, 400).await;
        assert_eq!(body["error"]["code"], json!("bad_request"), "{query}");
        assert_eq!(detail_fields(&body), [field], "{query}: {body}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn good_query_parameters_at_their_bounds_are_accepted() {
    let app = spawn_app().await;
    let key = app.create_key(&["orders"]).await;

    for query in [
        "limit=1",
        "limit=1000",
        "offset=0",
        "newest=true",
        "newest=false",
        "from=2022-03-11T22:15:59Z&to=2022-03-11T22:15:59Z",
        "from=2022-03-11T22:15:59%2B02:00",
        "to=2022-03-13T10:45:11",
        // A window that selects nothing is an empty page (docs/wire-decisions.md).
        "from=2022-03-13T00:00:00Z&to=2022-03-11T00:00:00Z",
    ] {
        let response = app.get(&format!("/v1/order/?{query}"), &key).await;
        assert_eq!(response.status(), 200, "{query}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn several_bad_query_parameters_are_all_named_in_one_400() {
    let app = spawn_app().await;
    let key = app.create_key(&["orders"]).await;

    let response = app
        .get(
            "/v1/order/?limit=0&offset=-1&newest=maybe&from=notadate&to=alsonot",
            &key,
        )
        .await;

    let body = expect_error(response, 400).await;
    assert_eq!(
        detail_fields(&body),
        ["from", "limit", "newest", "offset", "to"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_document_is_a_400_naming_every_bad_field_by_its_path() {
    let app = spawn_app().await;
    let key = app.create_key(&["orders", "orders:write"]).await;
    let address_without_zip = json!({
        "firstName": "Some", "lastName": "Person", "country": "United States",
        "state": "FL", "city": "Delray Beach", "address1": "4417 Some Rd"
    });
    let mut document = order("bad", "c1", "2024-01-01T00:00:00");
    document["createdAt"] = json!("yesterday");
    document["total"] = json!("a lot");
    document["billing"] = address_without_zip;
    document["colour"] = json!("red");
    document["items"] = json!([
        {"itemId": "i1", "productId": "p1", "unitPrice": 1.5, "quantity": "two",
         "linePosition": 1},
        {"itemId": "i2", "productId": "p2", "quantity": 1, "linePosition": 2}
    ]);

    let body = expect_error(app.put("order", "bad", &document, &key).await, 400).await;

    assert_eq!(
        detail_fields(&body),
        [
            "billing.zip",
            "colour",
            "createdAt",
            "items[0].quantity",
            "items[1].unitPrice",
            "total"
        ]
    );
    expect_error(app.get("/v1/order/bad", &key).await, 404).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_that_disagrees_with_its_path_is_400() {
    let app = spawn_app().await;
    let key = app.create_key(&["orders", "orders:write"]).await;

    let other_id = app
        .put(
            "order",
            "x1",
            &order("x2", "c1", "2024-01-01T00:00:00"),
            &key,
        )
        .await;
    let other_kind = app
        .put(
            "order",
            "x1",
            &document("return", "x1", "c1", "2024-01-01T00:00:00"),
            &key,
        )
        .await;
    let not_json = app
        .client
        .put(app.url("/v1/order/x1"))
        .bearer_auth(&key)
        .header("content-type", "application/json")
        .body("{\"orderId\": ")
        .send()
        .await
        .unwrap();
    let not_object = app.put("order", "x1", &json!([1, 2]), &key).await;

    assert_eq!(
        detail_fields(&expect_error(other_id, 400).await),
        ["orderId"]
    );
    assert_eq!(
        detail_fields(&expect_error(other_kind, 400).await),
        ["kind"]
    );
    expect_error(not_json, 400).await;
    expect_error(not_object, 400).await;
    expect_error(app.get("/v1/order/x1", &key).await, 404).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_given_request_id_is_echoed_on_every_response() {
    let app = spawn_app().await;
    let key = app.admin_key().await;
    let get = |path: &'static str, key: Option<&str>| {
        let mut request = app
            .client
            .get(app.url(path))
            .header("X-Request-Id", "trace-42");
        if let Some(key) = key {
            request = request.bearer_auth(key);
        }
        request.send()
    };

    let mut responses = vec![
        get("/v1/order/", Some(&key)).await.unwrap(),
        get("/v1/order/missing", Some(&key)).await.unwrap(),
        get("/v1/order/?limit=0", Some(&key)).await.unwrap(),
        get("/v1/order/", None).await.unwrap(),
        get("/v1/order/", Some("ordo_nope")).await.unwrap(),
        get("/no/such/route", Some(&key)).await.unwrap(),
        get("/health", None).await.unwrap(),
        get("/ready", None).await.unwrap(),
    ];
    let forbidden = app.create_key(&["returns"]).await;
    responses.push(get("/v1/order/", Some(&forbidden)).await.unwrap());
    responses.push(
        app.client
            .patch(app.url("/v1/order/1"))
            .header("X-Request-Id", "trace-42")
            .send()
            .await
            .unwrap(),
    );
    responses.push(
        app.client
            .put(app.url("/v1/order/r1"))
            .bearer_auth(&key)
            .header("X-Request-Id", "trace-42")
            .json(&order("r1", "c1", "2024-01-01T00:00:00"))
            .send()
            .await
            .unwrap(),
    );
    responses.push(
        app.client
            .put(app.url("/v1/order/r1"))
            .bearer_auth(&key)
            .header("X-Request-Id", "trace-42")
            .header("content-type", "text/plain")
            .body("{}")
            .send()
            .await
            .unwrap(),
    );

    responses.push(
        app.client
            .get(app.url("/v1/order/r1"))
            .bearer_auth(&key)
            .header("X-Request-Id", "trace-42")
            .header("If-None-Match", "*")
            .send()
            .await
            .unwrap(),
    );

    let statuses: Vec<u16> = responses.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(
        statuses,
        [
            200, 404, 400, 401, 401, 404, 200, 200, 403, 405, 201, 415, 304
        ]
    );
    for response in responses {
        assert_eq!(
            response
                .headers()
                .get("x-request-id")
                .map(|v| v.to_str().unwrap()),
            Some("trace-42"),
            "{} {}",
            response.status(),
            response.url()
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unusable_request_id_is_replaced() {
    let app = spawn_app().await;
    let too_long = "x".repeat(500);

    let response = app
        .client
        .get(app.url("/health"))
        .header("X-Request-Id", &too_long)
        .send()
        .await
        .unwrap();

    let id = response.headers()["x-request-id"].to_str().unwrap();
    assert!(!id.is_empty());
    assert_ne!(id, too_long);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_id_is_made_up_when_none_is_given() {
    let app = spawn_app().await;
    let key = app.admin_key().await;

    let mut ids = Vec::new();
    for response in [
        app.get("/v1/order/", &key).await,
        app.get("/v1/order/", &key).await,
        app.get("/v1/order/missing", &key).await,
        app.get("/v1/order/", "ordo_nope").await,
        app.get("/no/such/route", &key).await,
        app.client
            .patch(app.url("/v1/order/1"))
            .send()
            .await
            .unwrap(),
        app.client.get(app.url("/health")).send().await.unwrap(),
    ] {
        let id = response
            .headers()
            .get("x-request-id")
            .unwrap_or_else(|| panic!("{}: no X-Request-Id", response.url()))
            .to_str()
            .unwrap()
            .to_owned();
        assert!(!id.trim().is_empty(), "{}", response.url());
        ids.push(id);
    }
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        ids.len(),
        "each request gets its own id: {ids:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn health_and_ready_answer_200_without_a_key() {
    let app = spawn_app().await;

    let health = app.client.get(app.url("/health")).send().await.unwrap();
    let ready = app.client.get(app.url("/ready")).send().await.unwrap();

    assert_eq!(health.status(), 200);
    assert_eq!(ready.status(), 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn ids_with_spaces_and_unicode_round_trip_through_paths() {
    let app = spawn_app().await;
    let key = app.create_key(&["orders", "orders:write"]).await;

    for id in ["a b", "ä+ö", "50%", "x?y#z", "dot.ted"] {
        let segment: String = form_urlencoded::byte_serialize(id.as_bytes())
            .collect::<String>()
            .replace('+', "%20");
        let document = order(id, "c1", "2024-01-01T00:00:00");

        let put = app.put("order", &segment, &document, &key).await;
        assert_eq!(put.status(), 201, "PUT {id:?}");
        let body = app.get_json(&format!("/v1/order/{segment}"), &key).await;
        assert_eq!(body["payload"]["orderId"], json!(id));
    }
    let list = app.get_json("/v1/order/?newest=false", &key).await;
    let mut ids = payload_ids(&list, "orderId");
    ids.sort();
    assert_eq!(ids, ["50%", "a b", "dot.ted", "x?y#z", "ä+ö"]);
}
