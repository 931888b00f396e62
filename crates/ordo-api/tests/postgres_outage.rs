//! PostgreSQL going away under a running server: `/ready` and requests answer a JSON 503
//! at once (never a hang, never a panic), and the server recovers by itself when the database
//! comes back. A TCP proxy stands between the store and PostgreSQL and plays the outage, so
//! other tests on the same server are not disturbed. Runs when `ORDO_TEST_DATABASE_URL`
//! names a PostgreSQL server (CI's second pass).

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use ordo_model::{Expect, Timestamp, ingest};
use ordo_store::testing::{fresh_postgres, postgres_url};
use ordo_store::{NewKey, PutOptions, Scope};
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// A proxy to PostgreSQL that can be switched off (every connection cut, new ones refused).
struct Proxy {
    address: String,
    up: watch::Sender<bool>,
}

impl Proxy {
    async fn start(upstream: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap().to_string();
        let (up, watcher) = watch::channel(true);
        tokio::spawn(async move {
            loop {
                let Ok((mut client, _)) = listener.accept().await else {
                    return;
                };
                let mut watcher = watcher.clone();
                if !*watcher.borrow() {
                    continue; // refused: the socket is dropped
                }
                let upstream = upstream.clone();
                tokio::spawn(async move {
                    let Ok(mut server) = TcpStream::connect(&upstream).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = watcher.wait_for(|up| !*up) => {}
                    }
                });
            }
        });
        Proxy { address, up }
    }

    fn set(&self, up: bool) {
        self.up.send_replace(up);
    }
}

async fn get(client: &reqwest::Client, url: &str, key: &str) -> (u16, Value, Duration) {
    let started = Instant::now();
    let response = client
        .get(url)
        .bearer_auth(key)
        .send()
        .await
        .expect("the server answers");
    let status = response.status().as_u16();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body, started.elapsed())
}

#[tokio::test(flavor = "multi_thread")]
async fn an_outage_is_a_json_503_and_the_server_recovers_by_itself() {
    let Some(base_url) = postgres_url() else {
        eprintln!("ORDO_TEST_DATABASE_URL names no PostgreSQL server: no outage to play");
        return;
    };
    let fresh = fresh_postgres(&base_url).await.expect("a fresh schema");
    let host = fresh
        .url
        .split('@')
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap();
    let proxy = Proxy::start(host.to_owned()).await;
    let proxied = fresh.url.replacen(host, &proxy.address, 1);
    let store = ordo_store::open(&proxied)
        .await
        .expect("the store opens through the proxy");

    let scopes = vec!["orders".to_owned(), "orders:write".to_owned()];
    let new = NewKey {
        rate_limit: None,
        tenant: "t".into(),
        scopes,
        customer_id: None,
        name: None,
    };
    let (_, secret) = store.create_key(new).await.unwrap();
    let order = json!({
        "kind": "order", "orderId": "1", "createdAt": "2024-01-01T00:00:00",
        "updatedAt": "2024-01-01T00:00:00", "total": 1.50, "status": "New", "statusId": "1",
        "customerId": "c1", "shippingMethod": "Ground", "shippingPrice": 0, "shippingTax": 0
    });
    let expect = Expect {
        kind: None,
        id: None,
        now: Timestamp::now(),
    };
    let scope = Scope::tenant("t");
    store
        .put(
            scope,
            ingest(&order, expect).unwrap(),
            PutOptions::default(),
        )
        .await
        .unwrap();

    let base = common::spawn_app_with(Arc::clone(&store), common::test_config()).await;
    let client = reqwest::Client::new();
    let (ready, document) = (format!("{base}/ready"), format!("{base}/v1/order/1"));

    assert_eq!(get(&client, &ready, &secret.0).await.0, 200);
    assert_eq!(get(&client, &document, &secret.0).await.0, 200);

    proxy.set(false);
    for url in [&ready, &document] {
        let (status, body, took) = get(&client, url, &secret.0).await;
        assert_eq!(status, 503, "{url}: {body}");
        assert_eq!(body["error"]["code"], "unavailable", "{url}: {body}");
        assert!(
            took < Duration::from_secs(8),
            "{url} took {took:?}: a 503 must not hang"
        );
    }

    proxy.set(true);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (status, _, _) = get(&client, &ready, &secret.0).await;
        if status == 200 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the server did not recover: /ready is {status}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let (status, body, _) = get(&client, &document, &secret.0).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["payload"]["orderId"], "1");
}
