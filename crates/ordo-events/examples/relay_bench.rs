//! The JetStream relay's throughput and delay (docs/events.md, the figures):
//!
//! 1. backlog: `BACKLOG` orders are written first, then the relay starts; changes relayed per
//!    second until the stream holds them all;
//! 2. steady: `RATE` writes per second for `SECONDS` while the relay runs; the delay from each
//!    write's commit (its `put` returned) to the message's arrival at a subscriber, p50/p99.
//!
//! `cargo run --release -p ordo-events --example relay_bench [sqlite|postgres://...]`, with
//! NATS on 127.0.0.1:4222. Env: BACKLOG (20000), RATE (1000), SECONDS (20). A PostgreSQL URL
//! is migrated and written as it is: give it a scratch database, never a real one.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use ordo_events::Timing;
use ordo_events::nats::{NatsConfig, start};
use ordo_store::testing::fixtures::{ingested, order};
use ordo_store::{PutOptions, Scope};

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() {
    let backlog = env("BACKLOG", 20_000);
    let rate = env("RATE", 1000);
    let seconds = env("SECONDS", 20);
    let dir = tempfile_dir();
    let url = std::env::args()
        .nth(1)
        .filter(|u| u.starts_with("postgres"))
        .unwrap_or_else(|| format!("sqlite://{dir}/bench.db"));
    let store = ordo_store::testing::open(&url)
        .await
        .expect("the store opens");
    store.migrate().await.expect("migrated");
    let tag = format!("{:08x}", rand::random::<u32>());
    let config = NatsConfig {
        url: "nats://127.0.0.1:4222".to_owned(),
        stream: format!("ORDO_BENCH_{tag}"),
        subject_prefix: format!("ordobench{tag}"),
        max_age: Duration::from_secs(600),
        max_bytes: -1,
        replicas: 1,
        duplicate_window: Duration::from_secs(120),
    };
    let client = async_nats::connect(&config.url).await.expect("NATS");
    let arrived: Arc<Mutex<HashMap<i64, Instant>>> = Arc::default();
    let mut subscription = client
        .subscribe(format!("{}.>", config.subject_prefix))
        .await
        .expect("a subscription");
    let seen = Arc::clone(&arrived);
    tokio::spawn(async move {
        while let Some(message) = subscription.next().await {
            let value: serde_json::Value = serde_json::from_slice(&message.payload).unwrap();
            let revision = value["revision"].as_i64().unwrap();
            seen.lock().unwrap().insert(revision, Instant::now());
        }
    });

    // 1. The backlog.
    let tenant = "bench";
    let mut docs = Vec::new();
    for i in 0..backlog {
        docs.push(ingested(&order(
            &format!("b{i}"),
            "c1",
            "2024-01-01T00:00:00Z",
        )));
        if docs.len() == 1000 {
            store
                .put_many(tenant, std::mem::take(&mut docs))
                .await
                .unwrap();
        }
    }
    if !docs.is_empty() {
        store.put_many(tenant, docs).await.unwrap();
    }
    let started = Instant::now();
    let relay = start(Arc::clone(&store), config.clone(), Timing::standard());
    let backlog_i = i64::try_from(backlog).unwrap();
    while arrived.lock().unwrap().len() < backlog as usize {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let took = started.elapsed();
    println!(
        "backlog: {backlog} changes relayed in {:.2} s: {:.0} changes/s",
        took.as_secs_f64(),
        backlog as f64 / took.as_secs_f64()
    );

    // 2. Steady writes at `rate` per second.
    let mut committed: HashMap<i64, Instant> = HashMap::new();
    let every = Duration::from_secs_f64(1.0 / rate as f64);
    let begin = tokio::time::Instant::now();
    let total = rate * seconds;
    let mut late = 0u64;
    for i in 0..total {
        let at = begin + every * u32::try_from(i).unwrap();
        if tokio::time::Instant::now() > at + Duration::from_millis(50) {
            late += 1;
        }
        tokio::time::sleep_until(at).await;
        let doc = ingested(&order(&format!("s{i}"), "c1", "2024-01-01T00:00:00Z"));
        let outcome = store
            .put(Scope::tenant(tenant), doc, PutOptions::default())
            .await
            .unwrap();
        committed.insert(outcome.revision(), Instant::now());
    }
    let wrote = begin.elapsed();
    let last = backlog_i + i64::try_from(total).unwrap();
    while !arrived.lock().unwrap().contains_key(&last) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let arrived = arrived.lock().unwrap().clone();
    let mut delays: Vec<f64> = committed
        .iter()
        .filter_map(|(revision, at)| {
            arrived
                .get(revision)
                .map(|seen| seen.saturating_duration_since(*at).as_secs_f64() * 1000.0)
        })
        .collect();
    delays.sort_by(f64::total_cmp);
    let pct = |p: f64| delays[((delays.len() as f64 - 1.0) * p) as usize];
    println!(
        "steady: {total} writes in {:.2} s ({:.0}/s, {late} late by > 50 ms); commit→publish \
         delay p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} measured)",
        wrote.as_secs_f64(),
        total as f64 / wrote.as_secs_f64(),
        pct(0.5),
        pct(0.99),
        pct(1.0),
        delays.len()
    );
    relay.stop().await;
    let js = async_nats::jetstream::new(client);
    let _ = js.delete_stream(&config.stream).await;
}

fn tempfile_dir() -> String {
    let dir = std::env::temp_dir().join(format!("ordo-relay-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.display().to_string()
}
