//! The JetStream relay against the NATS server of the machine (127.0.0.1:4222, JetStream on;
//! `.ci/run` starts it): every revision once, in order per tenant, through a relay that is
//! dropped mid-stream (as a crash would) and another instance that takes over.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use async_nats::jetstream;
use ordo_events::Timing;
use ordo_events::nats::{NatsConfig, start, subject_token};
use ordo_store::Store;
use ordo_store::testing::fixtures::{churn, fresh_store, order, put};
use serde_json::Value;

const NATS: &str = "nats://127.0.0.1:4222";

fn fast() -> Timing {
    Timing {
        lease_ttl: Duration::from_millis(1500),
        renew_every: Duration::from_millis(300),
        poll_every: Duration::from_millis(200),
        report_every: Duration::from_secs(1),
    }
}

/// A stream and subjects of this test alone, deleted at its end.
struct TestStream {
    config: NatsConfig,
    js: jetstream::Context,
}

impl TestStream {
    async fn new() -> TestStream {
        let tag = format!("{:016x}", rand::random::<u64>());
        let client = async_nats::connect(NATS)
            .await
            .expect("the NATS server of the machine runs (.ci/run starts it)");
        TestStream {
            config: NatsConfig {
                url: NATS.to_owned(),
                stream: format!("ORDO_TEST_{tag}"),
                subject_prefix: format!("ordotest{tag}"),
                max_age: Duration::from_secs(600),
                max_bytes: -1,
                replicas: 1,
                duplicate_window: Duration::from_secs(120),
            },
            js: jetstream::new(client),
        }
    }

    /// Every message in the stream: (sequence order) subject, message id, payload.
    async fn messages(&self) -> Vec<(String, String, Value)> {
        let Ok(mut stream) = self.js.get_stream(&self.config.stream).await else {
            return Vec::new();
        };
        let count = stream
            .info()
            .await
            .expect("stream info")
            .state
            .last_sequence;
        let mut out = Vec::new();
        for seq in 1..=count {
            let message = stream.get_raw_message(seq).await.expect("a message");
            let id = message
                .headers
                .get(async_nats::header::NATS_MESSAGE_ID)
                .map(|v| v.to_string())
                .unwrap_or_default();
            let payload: Value = serde_json::from_slice(&message.payload).expect("JSON");
            out.push((message.subject.to_string(), id, payload));
        }
        out
    }

    async fn wait_for(&self, count: usize) -> Vec<(String, String, Value)> {
        for _ in 0..300 {
            let messages = self.messages().await;
            if messages.len() >= count {
                return messages;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let messages = self.messages().await;
        panic!("the stream holds {} of {count} messages", messages.len());
    }
}

impl TestStream {
    /// Deletes the stream (a test that fails leaves it: small, and its messages expire).
    async fn delete(self) {
        let _ = self.js.delete_stream(&self.config.stream).await;
    }
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

/// Each tenant's revisions, in stream order; checks every message's id and subject.
fn by_tenant(
    stream: &TestStream,
    messages: &[(String, String, Value)],
) -> BTreeMap<String, Vec<i64>> {
    let mut tenants: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for (subject, id, payload) in messages {
        let tenant = payload["tenant"].as_str().expect("a tenant").to_owned();
        let revision = payload["revision"].as_i64().expect("a revision");
        assert_eq!(id, &format!("{tenant}:{revision}"));
        assert_eq!(
            subject,
            &format!(
                "{}.{}.order.put",
                stream.config.subject_prefix,
                subject_token(&tenant)
            )
        );
        assert_eq!(payload["op"], "put");
        assert_eq!(payload["kind"], "order");
        assert!(payload["document"]["orderId"].is_string(), "{payload}");
        tenants.entry(tenant).or_default().push(revision);
    }
    tenants
}

fn exactly(revisions: &[i64], n: i64) {
    assert_eq!(revisions, (1..=n).collect::<Vec<_>>().as_slice());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_change_of_every_tenant_is_published_once_in_order() {
    let (store, _fresh) = fresh_store().await;
    let stream = TestStream::new().await;
    write_orders(store.as_ref(), "t1", 0, 30).await;
    let relay = start(Arc::clone(&store), stream.config.clone(), fast());
    // Tenants with characters that subjects reserve get an escaped token.
    write_orders(store.as_ref(), "t.2 *", 0, 20).await;
    write_orders(store.as_ref(), "t1", 30, 40).await;
    let messages = stream.wait_for(60).await;
    let tenants = by_tenant(&stream, &messages);
    exactly(&tenants["t1"], 40);
    exactly(&tenants["t.2 *"], 20);
    assert_eq!(subject_token("t.2 *"), "t%2E2%20%2A");
    // Caught up: the stored positions are the tenants' revisions.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let positions = store.relay_positions("nats").await.unwrap();
    assert!(positions.contains(&("t1".to_owned(), 40)), "{positions:?}");
    relay.stop().await;
    stream.delete().await;
}

/// Two instances relay at once: one holds the tenant; it dies without a word (dropped, its
/// position behind what it published), the other takes over within the lease, and the stream
/// still holds every revision exactly once, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_instance_takes_over_from_one_that_dies() {
    let (store, fresh) = fresh_store().await;
    // The second instance: its own connection to the same database.
    let other = ordo_store::testing::open(&fresh.url).await.unwrap();
    let stream = TestStream::new().await;
    let first = start(Arc::clone(&store), stream.config.clone(), fast());
    let writer = {
        let store = Arc::clone(&store);
        tokio::spawn(async move { write_orders(store.as_ref(), "t1", 0, 400).await })
    };
    // The first instance holds the tenant once it publishes; the second waits its turn.
    stream.wait_for(20).await;
    let second = start(Arc::clone(&other), stream.config.clone(), fast());
    stream.wait_for(50).await;
    let probe = store.lease_relay("nats", "t1", "probe", 1).await.unwrap();
    assert_eq!(probe, None, "a relay holds the tenant");
    drop(first);
    writer.await.unwrap();
    stream.wait_for(400).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let messages = stream.messages().await;
    let tenants = by_tenant(&stream, &messages);
    exactly(&tenants["t1"], 400);
    second.stop().await;
    stream.delete().await;
}

/// A relay stopped mid-stream without storing its position (a crash), then started again:
/// the replayed tail is dropped by JetStream as duplicates.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_restarted_after_a_crash_resumes_without_duplicates() {
    let (store, _fresh) = fresh_store().await;
    let stream = TestStream::new().await;
    let relay = start(Arc::clone(&store), stream.config.clone(), fast());
    let writer = {
        let store = Arc::clone(&store);
        tokio::spawn(async move { write_orders(store.as_ref(), "t1", 0, 600).await })
    };
    stream.wait_for(20).await;
    drop(relay);
    writer.await.unwrap();
    let published = stream.messages().await.len();
    assert!(
        published < 600,
        "the crash came mid-stream ({published} published)"
    );
    let restarted = start(Arc::clone(&store), stream.config.clone(), fast());
    stream.wait_for(600).await;
    // Anything published twice would show up now.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let messages = stream.messages().await;
    let tenants = by_tenant(&stream, &messages);
    exactly(&tenants["t1"], 600);
    restarted.stop().await;
    stream.delete().await;
}

/// Documents written over, deleted and created again while the relay is stopped (as during a
/// NATS outage or a restart of ordo): the change feed shows each once, under its latest
/// revision, yet the stream ends with every revision exactly once, in order, each with its
/// subject and payload.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revisions_replaced_while_the_relay_is_stopped_are_still_published() {
    let (store, _fresh) = fresh_store().await;
    let stream = TestStream::new().await;
    let relay = start(Arc::clone(&store), stream.config.clone(), fast());
    put(
        store.as_ref(),
        "t1",
        &order("g1", "c1", "2024-01-01T00:00:00Z"),
    )
    .await;
    stream.wait_for(1).await;
    relay.stop().await;
    let last = churn(store.as_ref(), "t1").await;
    assert!(
        (store.feed("t1", 1, 1000).await.unwrap().len() as i64) < last - 1,
        "the change feed lost revisions"
    );
    let restarted = start(Arc::clone(&store), stream.config.clone(), fast());
    stream.wait_for(last as usize).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let messages = stream.messages().await;
    let mut revisions = Vec::new();
    for (subject, id, payload) in &messages {
        let revision = payload["revision"].as_i64().expect("a revision");
        assert_eq!(id, &format!("t1:{revision}"));
        let (kind, op) = (
            payload["kind"].as_str().unwrap(),
            payload["op"].as_str().unwrap(),
        );
        assert_eq!(
            subject,
            &format!("{}.t1.{kind}.{op}", stream.config.subject_prefix)
        );
        assert_eq!(payload["document"].is_null(), op == "delete", "{payload}");
        revisions.push(revision);
    }
    exactly(&revisions, last);
    // The first overwrite of g1 is published with its body as it was.
    assert_eq!(
        messages[1].2["document"]["updatedAt"],
        "2024-01-02T00:00:00"
    );
    restarted.stop().await;
    stream.delete().await;
}
