//! The webhook relay against a real receiver on this machine (allowed with
//! `allow_private`): signatures that verify with the secret shown, revision order, retries
//! after 500s with nothing lost, and receivers on internal addresses refused when connecting.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use hmac::{Hmac, Mac};
use ordo_events::Timing;
use ordo_events::webhooks::{WebhookConfig, start};
use ordo_model::Kind;
use ordo_store::testing::fixtures::{churn, document, fresh_store, order, put};
use ordo_store::{NewWebhook, Store, Webhook, WebhookUpdate};
use serde_json::Value;
use sha2::Sha256;

fn fast() -> Timing {
    Timing {
        lease_ttl: Duration::from_millis(1500),
        renew_every: Duration::from_millis(300),
        poll_every: Duration::from_millis(100),
        report_every: Duration::from_secs(1),
    }
}

fn config(allow_private: bool) -> WebhookConfig {
    WebhookConfig {
        first_backoff: Duration::from_millis(100),
        max_backoff: Duration::from_millis(400),
        timeout: Duration::from_secs(2),
        ..WebhookConfig::standard(allow_private)
    }
}

#[derive(Default)]
struct Receiver {
    /// Requests received: headers, body, the status answered.
    seen: Mutex<Vec<(HeaderMap, Bytes, u16)>>,
    /// Requests still to answer with 500.
    failures: AtomicUsize,
}

impl Receiver {
    fn seen(&self) -> Vec<(HeaderMap, Bytes, u16)> {
        self.seen.lock().unwrap().clone()
    }

    /// The bodies answered with 200, in order.
    fn delivered(&self) -> Vec<Value> {
        self.seen()
            .into_iter()
            .filter(|(_, _, status)| *status == 200)
            .map(|(_, body, _)| serde_json::from_slice(&body).unwrap())
            .collect()
    }
}

async fn receive(
    State(receiver): State<Arc<Receiver>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let failing = receiver
        .failures
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    let status = if failing { 500 } else { 200 };
    receiver.seen.lock().unwrap().push((headers, body, status));
    StatusCode::from_u16(status).unwrap()
}

/// A receiver on 127.0.0.1 and its port.
async fn spawn_receiver(failures: usize) -> (Arc<Receiver>, u16) {
    let receiver = Arc::new(Receiver {
        failures: AtomicUsize::new(failures),
        ..Receiver::default()
    });
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(receive))
        .with_state(Arc::clone(&receiver));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (receiver, port)
}

async fn register(
    store: &dyn Store,
    tenant: &str,
    url: &str,
    kinds: Vec<Kind>,
) -> (Webhook, String) {
    let (hook, secret) = store
        .create_webhook(NewWebhook {
            tenant: tenant.to_owned(),
            url: url.to_owned(),
            kinds,
            description: Some("test".to_owned()),
        })
        .await
        .unwrap();
    (hook, secret.0)
}

async fn write_orders(store: &dyn Store, tenant: &str, from: usize, to: usize) {
    for i in from..to {
        put(
            store,
            tenant,
            &order(&format!("o{i}"), "c1", "2024-01-01T00:00:00Z"),
        )
        .await;
    }
}

async fn until(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

/// What a receiver does with the secret it was shown (docs/events.md).
fn verify(secret: &str, headers: &HeaderMap, body: &[u8]) {
    let header = headers["ordo-signature"].to_str().unwrap();
    let (t, v1) = header.split_once(",v1=").unwrap();
    let t = t.strip_prefix("t=").unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(v1, expected, "the signature verifies with the secret");
    let age = ordo_model::Timestamp::now().unix() - t.parse::<i64>().unwrap();
    assert!((0..60).contains(&age));
}

/// The Python and Node examples of docs/events.md accept the delivery, and refuse it once its
/// body is changed.
fn documented_examples_verify(secret: &str, headers: &HeaderMap, body: &[u8]) {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/events.md"))
        .unwrap();
    let block = |fence: &str| {
        let start = doc.find(fence).unwrap_or_else(|| panic!("a {fence} block")) + fence.len();
        doc[start..][..doc[start..].find("```").unwrap()].to_owned()
    };
    let signature = headers["ordo-signature"].to_str().unwrap();
    let body = std::str::from_utf8(body).unwrap();
    for (program, flag, code) in [
        ("python3", "-c", block("```python\n")),
        ("node", "-e", block("```js\n")),
    ] {
        let run = |body: &str| {
            std::process::Command::new(program)
                .args([flag, &code])
                .env("SECRET", secret)
                .env("SIGNATURE", signature)
                .env("BODY", body)
                .status()
                .unwrap_or_else(|e| panic!("{program} runs: {e}"))
                .success()
        };
        assert!(run(body), "the {program} example verifies the signature");
        assert!(
            !run(&body.replace("order", "quote")),
            "the {program} example refuses a changed body"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deliveries_are_signed_in_order_and_retried_until_they_succeed() {
    let (store, _fresh) = fresh_store().await;
    // Changes before the registration are not the webhook's.
    write_orders(store.as_ref(), "t1", 0, 3).await;
    let (receiver, port) = spawn_receiver(4).await;
    let url = format!("http://127.0.0.1:{port}/hook");
    let (hook, secret) = register(store.as_ref(), "t1", &url, vec![Kind::Order]).await;
    assert!(secret.starts_with("whsec_") && secret.len() == 70);
    let relay = start(Arc::clone(&store), config(true), fast());
    write_orders(store.as_ref(), "t1", 3, 10).await;
    // A kind the webhook does not want moves it on without a delivery.
    let quote = document(Kind::Quote, "q1", "c1", "2024-01-01T00:00:00Z");
    put(store.as_ref(), "t1", &quote).await;
    write_orders(store.as_ref(), "t1", 10, 13).await;
    until("ten deliveries", || receiver.delivered().len() >= 10).await;

    let delivered = receiver.delivered();
    let revisions: Vec<i64> = delivered
        .iter()
        .map(|d| d["revision"].as_i64().unwrap())
        .collect();
    assert_eq!(revisions, vec![4, 5, 6, 7, 8, 9, 10, 12, 13, 14]);
    for d in &delivered {
        assert_eq!(d["tenant"], "t1");
        assert_eq!(d["webhookId"], hook.id.as_str());
        assert_eq!(d["kind"], "order");
        assert_eq!(d["op"], "put");
    }
    let seen = receiver.seen();
    // The first delivery failed four times, and was retried until it succeeded; nothing
    // after it came before it.
    assert_eq!(seen.len(), 14);
    for (headers, body, _) in &seen[..5] {
        let value: Value = serde_json::from_slice(body).unwrap();
        assert_eq!(value["revision"], 4);
        assert_eq!(
            headers["ordo-delivery-id"],
            format!("{}-4", hook.id).as_str()
        );
    }
    for (headers, body, _) in &seen {
        verify(&secret, headers, body);
        assert_eq!(headers["ordo-webhook-id"], hook.id.as_str());
        assert_eq!(headers["content-type"], "application/json");
    }
    // What a receiver would run (a failed attempt's and a delivered one's signatures).
    for (headers, body, _) in [&seen[0], &seen[13]] {
        documented_examples_verify(&secret, headers, body);
    }
    // The attempts, newest first; the failures with their next retry.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let attempts = store
        .deliveries("t1", &hook.id, 100)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(attempts.len(), 14);
    let failed: Vec<_> = attempts.iter().filter(|a| a.status == Some(500)).collect();
    assert_eq!(failed.len(), 4);
    assert!(
        failed
            .iter()
            .all(|a| a.revision == 4 && a.next_retry.is_some())
    );
    let hooks = store.webhooks("t1").await.unwrap();
    assert_eq!(hooks[0].state.position, 14);
    assert_eq!(hooks[0].state.failing_since, None);
    relay.stop().await;
}

/// Without `allow_private`, a receiver on this machine is refused when connecting — a host
/// written as an IP address, and a name that resolves to one — and nothing reaches it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn internal_receivers_are_refused_when_connecting() {
    let (store, _fresh) = fresh_store().await;
    let (receiver, port) = spawn_receiver(0).await;
    // The store takes any URL: registration's check is the API's; this is the relay's.
    let (literal, _) = register(
        store.as_ref(),
        "t1",
        &format!("https://127.0.0.1:{port}/hook"),
        vec![],
    )
    .await;
    let (named, _) = register(
        store.as_ref(),
        "t1",
        &format!("https://localhost:{port}/hook"),
        vec![],
    )
    .await;
    let relay = start(Arc::clone(&store), config(false), fast());
    write_orders(store.as_ref(), "t1", 0, 1).await;
    let mut errors = Vec::new();
    for hook in [&literal, &named] {
        for _ in 0..100 {
            let attempts = store.deliveries("t1", &hook.id, 10).await.unwrap().unwrap();
            if let Some(first) = attempts.last() {
                errors.push(first.error.clone().unwrap_or_default());
                assert_eq!(first.status, None);
                assert!(first.next_retry.is_some());
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    assert_eq!(errors.len(), 2, "both webhooks were attempted");
    assert!(errors[0].contains("loopback"), "{errors:?}");
    assert!(
        errors[1].contains("resolves to no address webhooks may reach"),
        "{errors:?}"
    );
    assert!(receiver.seen().is_empty());
    relay.stop().await;
}

/// A delivery that fails past the give-up time is marked failed and skipped; a webhook that
/// fails past the disable time is disabled, and `enabled: true` brings it back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_deliveries_are_given_up_and_the_webhook_disabled_then_reenabled() {
    let (store, _fresh) = fresh_store().await;
    let (receiver, port) = spawn_receiver(usize::MAX).await;
    let url = format!("http://127.0.0.1:{port}/hook");
    let (hook, _) = register(store.as_ref(), "t1", &url, vec![]).await;
    let config = WebhookConfig {
        give_up_after: Duration::from_millis(400),
        disable_after: Duration::from_millis(1200),
        ..config(true)
    };
    let relay = start(Arc::clone(&store), config, fast());
    write_orders(store.as_ref(), "t1", 0, 20).await;
    let mut disabled = None;
    for _ in 0..100 {
        let hooks = store.webhooks("t1").await.unwrap();
        if !hooks[0].enabled {
            disabled = Some(hooks[0].clone());
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let disabled = disabled.expect("the webhook is disabled");
    assert!(disabled.state.position >= 1, "a delivery was given up");
    let attempts = store
        .deliveries("t1", &hook.id, 100)
        .await
        .unwrap()
        .unwrap();
    assert!(
        attempts
            .iter()
            .any(|a| a.error.as_deref().is_some_and(|e| e.contains("given up")))
    );
    // Disabled: nothing more is attempted.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let count = receiver.seen().len();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.seen().len(), count);
    // Re-enabled, against a receiver that now answers: the rest arrives, in order.
    receiver.failures.store(0, Ordering::SeqCst);
    let update = WebhookUpdate {
        enabled: Some(true),
        ..WebhookUpdate::default()
    };
    let enabled = store
        .update_webhook("t1", &hook.id, update)
        .await
        .unwrap()
        .unwrap();
    assert!(enabled.enabled && enabled.state.failing_since.is_none());
    until("the rest", || {
        receiver
            .delivered()
            .last()
            .is_some_and(|d| d["revision"] == 20)
    })
    .await;
    let revisions: Vec<i64> = receiver
        .delivered()
        .iter()
        .map(|d| d["revision"].as_i64().unwrap())
        .collect();
    let first = revisions[0];
    assert_eq!(revisions, (first..=20).collect::<Vec<_>>());
    assert!(first > disabled.state.position);
    relay.stop().await;
}

/// Documents written over, deleted and created again while the receiver answers 500 (the
/// relay lags): the change feed shows each once, under its latest revision, yet the receiver
/// gets every revision exactly once, in order, each signed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revisions_replaced_while_the_receiver_fails_are_still_delivered() {
    let (store, _fresh) = fresh_store().await;
    let (receiver, port) = spawn_receiver(3).await;
    let url = format!("http://127.0.0.1:{port}/hook");
    let (hook, secret) = register(store.as_ref(), "t1", &url, Vec::new()).await;
    let relay = start(Arc::clone(&store), config(true), fast());
    put(
        store.as_ref(),
        "t1",
        &order("g1", "c1", "2024-01-01T00:00:00Z"),
    )
    .await;
    let last = churn(store.as_ref(), "t1").await;
    assert!(
        (store.feed("t1", 0, 1000).await.unwrap().len() as i64) < last,
        "the change feed lost revisions"
    );
    until("every revision", || {
        receiver.delivered().len() >= last as usize
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let delivered = receiver.delivered();
    let revisions: Vec<i64> = delivered
        .iter()
        .map(|d| d["revision"].as_i64().unwrap())
        .collect();
    assert_eq!(revisions, (1..=last).collect::<Vec<_>>());
    for d in &delivered {
        assert_eq!(d["webhookId"], hook.id.as_str());
        assert_eq!(d["document"].is_null(), d["op"] == "delete", "{d}");
    }
    assert_eq!(delivered[1]["document"]["updatedAt"], "2024-01-02T00:00:00");
    for (headers, body, _) in receiver.seen() {
        verify(&secret, &headers, &body);
    }
    relay.stop().await;
}
