//! `ordo serve --demo`: the printed calls work when pasted, every response carries a request
//! id, and SIGTERM ends the process cleanly.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::{fresh, ordo_command};

/// Kills the server if a test fails before it has stopped it.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// What `serve --demo` printed: its key and its example calls.
struct Demo {
    key: String,
    curls: Vec<String>,
}

/// Reads the server's stdout until the demo key and the eight curl lines (three of v1, one per
/// dialect, one of the change feed, one filtered by product) are printed.
fn read_demo(lines: &mpsc::Receiver<String>) -> Demo {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut key = None;
    let mut curls = Vec::new();
    let mut seen = Vec::new();
    while curls.len() < 8 {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = lines
            .recv_timeout(left)
            .unwrap_or_else(|e| panic!("serve --demo printed no eight calls ({e}): {seen:#?}"));
        if let Some((_, secret)) = line
            .split_once("demo key (every read scope, the status dictionary and the change feed): ")
        {
            key = Some(secret.trim().to_owned());
        }
        if line.trim_start().starts_with("curl ") {
            curls.push(line.trim().to_owned());
        }
        seen.push(line);
    }
    let key = key.unwrap_or_else(|| panic!("serve --demo printed no key: {seen:#?}"));
    Demo { key, curls }
}

/// The URL of a printed curl line: its last single-quoted word.
fn url_of(curl: &str) -> &str {
    let end = curl.rfind('\'').expect("a quoted URL");
    let start = curl[..end].rfind('\'').expect("a quoted URL") + 1;
    &curl[start..end]
}

/// Runs a shell command line, as a user pasting it would.
fn shell(line: &str) -> String {
    let output = Command::new("sh")
        .arg("-c")
        .arg(line)
        .output()
        .expect("sh runs");
    assert!(output.status.success(), "{line}: {output:?}");
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// A response as `curl -i` prints it: status code, lower-cased headers, body.
fn split_response(text: &str) -> (u16, Vec<(String, String)>, &str) {
    let (head, body) = text.split_once("\r\n\r\n").expect("headers, then a body");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    (status, headers, body)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn serve_demo_prints_calls_that_work_and_stops_on_sigterm() {
    let fresh = fresh().await;
    let log = tempfile::NamedTempFile::new().expect("a log file");
    let child = ordo_command(&fresh.url)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--demo",
            "--demo-orders",
            "50",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(log.reopen().expect("the log file reopens"))
        .spawn()
        .expect("ordo serve starts");
    let mut server = Server(child);
    let stdout = server.0.stdout.take().expect("a piped stdout");
    let (send, lines) = mpsc::channel();
    // Drains stdout to its end, so that the server never blocks on a full pipe.
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = send.send(line);
        }
    });

    let demo = read_demo(&lines);
    assert!(demo.key.starts_with("ordo_"), "{}", demo.key);
    let urls: Vec<&str> = demo.curls.iter().map(|c| url_of(c)).collect();
    for (curl, url) in demo.curls.iter().zip(&urls) {
        assert!(curl.contains("ordo_"), "the call carries a key: {curl}");
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        assert!(
            !url.starts_with("http://127.0.0.1:0/"),
            "the printed address is the bound one: {url}"
        );
    }
    assert!(urls[0].contains("/v1/order/"), "{urls:?}");
    assert!(urls[2].ends_with("/relations"), "{urls:?}");

    assert!(urls[3].contains("/v3/customers/"), "{urls:?}");
    assert!(urls[4].contains("/v2/customers/"), "{urls:?}");
    assert!(urls[5].ends_with("/api/v10/storefront.orders"), "{urls:?}");
    assert!(urls[6].contains("/v1/changes?"), "{urls:?}");
    let feed: Value = serde_json::from_str(&shell(&demo.curls[6])).expect("the feed is JSON");
    assert_eq!(
        feed["payload"].as_array().map(Vec::len),
        Some(2),
        "{feed:#}"
    );
    // The recall query: orders that hold the product, each with an item of it.
    let product = urls[7]
        .split_once("productId=")
        .and_then(|(_, rest)| rest.split('&').next())
        .unwrap_or_else(|| panic!("a productId: {urls:?}"));
    let holding: Value = serde_json::from_str(&shell(&demo.curls[7])).expect("JSON");
    let orders = holding["payload"].as_array().expect("a page");
    assert!(!orders.is_empty(), "{holding:#}");
    for order in orders {
        let items = order["items"].as_array().expect("items");
        assert!(items.iter().any(|i| i["productId"] == product), "{order:#}");
    }
    for curl in &demo.curls[3..6] {
        // Each dialect's call, verbatim: 200 and a JSON answer of that dialect's shape.
        let text = shell(&format!("{curl} -i"));
        let (status, _, raw) = split_response(&text);
        assert_eq!(status, 200, "{curl}: {text}");
        let body: Value = serde_json::from_str(raw).expect("a JSON body");
        let has_orders = body.get("items").is_some()
            || body.as_array().is_some_and(|a| !a.is_empty())
            || body
                .get("orders")
                .is_some_and(|o| o.as_array().is_some_and(|a| !a.is_empty()));
        assert!(has_orders, "{curl}: {body:#}");
    }

    for (curl, url) in demo.curls.iter().zip(&urls).take(3) {
        assert!(
            curl.contains(&demo.key),
            "the call carries the demo key: {curl}"
        );
        // Verbatim, as printed: JSON with a payload.
        let body: Value = serde_json::from_str(&shell(curl))
            .unwrap_or_else(|e| panic!("{curl} prints JSON ({e})"));
        assert!(body.get("payload").is_some(), "{curl}: {body:#}");

        // The same call with the status and headers shown.
        let text = shell(&format!("{curl} -i"));
        let (status, headers, raw) = split_response(&text);
        assert_eq!(status, 200, "{curl}: {text}");
        assert!(
            header(&headers, "content-type").is_some_and(|t| t.starts_with("application/json")),
            "{curl}: {text}"
        );
        assert!(
            header(&headers, "x-request-id").is_some_and(|id| !id.is_empty()),
            "{curl}: no x-request-id: {text}"
        );
        let again: Value = serde_json::from_str(raw).expect("a JSON body");
        assert!(again.get("payload").is_some(), "{url}: {again:#}");
    }

    // A refused call carries a request id too.
    let refused = shell(&format!("curl -s -i '{}'", urls[1]));
    let (status, headers, _) = split_response(&refused);
    assert_eq!(status, 401, "no key: {refused}");
    assert!(
        header(&headers, "x-request-id").is_some(),
        "no x-request-id: {refused}"
    );

    let pid = server.0.id().to_string();
    let kill = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill runs");
    assert!(kill.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = server.0.try_wait().expect("the server can be waited for") {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "ordo serve did not stop within 10 s of SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    reader.join().expect("the stdout reader ends");
    let log = std::fs::read_to_string(log.path()).unwrap_or_default();
    assert_eq!(status.code(), Some(0), "SIGTERM ends serve with 0: {log}");
}
