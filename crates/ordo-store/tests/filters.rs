//! Filtered lists (`productId`, `mpn`, `orderNumber`, `customerId`): the index follows every
//! write, deletion and erasure; deep pages start from remembered keys and still equal the
//! oracle's slices; and the migration builds the index of documents stored before it.

mod common;

use common::*;
use ordo_model::{Document, Kind, ListFilter, ListQuery, Term};
use ordo_store::{Precondition, Store};
use serde_json::{Value, json};

fn item(product: &str, mpn: Option<&str>) -> Value {
    json!({"itemId": product, "productId": product, "unitPrice": 1, "quantity": 1,
           "linePosition": 1, "mpn": mpn})
}

fn order_with(id: &str, customer: &str, updated_at: &str, items: &[Value]) -> Value {
    with(order(id, customer, updated_at), "items", json!(items))
}

fn by(term: Term, values: &[&str]) -> ListQuery {
    ListQuery {
        filter: ListFilter::default().with(term, values.iter().copied()),
        ..ListQuery::default()
    }
}

async fn found(store: &dyn Store, query: &ListQuery) -> Vec<String> {
    let docs = store.list(tenant("t"), Kind::Order, query).await.unwrap();
    docs.into_iter().map(|d| d.id).collect()
}

#[tokio::test]
async fn the_index_follows_writes_deletes_and_erasure() {
    let (store, _dir) = fresh_store().await;
    let first = [
        item("p1", Some("M1")),
        item("p2", None),
        item("p1", Some("M1")),
    ];
    put(
        &*store,
        "t",
        &order_with("o1", "c1", "2024-01-01T00:00:00", &first),
    )
    .await;
    put(
        &*store,
        "t",
        &order_with("o2", "c2", "2024-01-02T00:00:00", &[item("p1", None)]),
    )
    .await;
    put(
        &*store,
        "t",
        &with(
            order("o3", "c2", "2024-01-03T00:00:00"),
            "orderNumber",
            json!("2020/5613"),
        ),
    )
    .await;
    put(
        &*store,
        "t",
        &with(
            order("o4", "c2", "2024-01-04T00:00:00"),
            "externalReferenceId",
            json!("X-9"),
        ),
    )
    .await;
    // Another tenant and another kind never show.
    put(
        &*store,
        "u",
        &order_with("o9", "c1", "2024-01-01T00:00:00", &[item("p1", None)]),
    )
    .await;
    let quote = with(
        quote("q1", "c1", "2024-01-01T00:00:00"),
        "items",
        json!([item("p1", None)]),
    );
    put(&*store, "t", &quote).await;

    assert_eq!(
        found(&*store, &by(Term::ProductId, &["p1"])).await,
        ["o2", "o1"]
    );
    assert_eq!(
        found(&*store, &by(Term::ProductId, &["p2", "p1"])).await,
        ["o2", "o1"]
    );
    assert_eq!(found(&*store, &by(Term::Mpn, &["M1"])).await, ["o1"]);
    assert_eq!(
        found(&*store, &by(Term::ProductId, &["nothing"])).await,
        Vec::<String>::new()
    );
    assert_eq!(
        found(&*store, &by(Term::OrderNumber, &["2020/5613", "X-9"])).await,
        ["o4", "o3"]
    );
    let mut both = by(Term::ProductId, &["p1"]);
    both.filter = both.filter.with(Term::Mpn, ["M1"]);
    assert_eq!(found(&*store, &both).await, ["o1"]);
    let mut of_c2 = by(Term::ProductId, &["p1"]);
    of_c2.filter.customer_id = Some("c2".into());
    assert_eq!(found(&*store, &of_c2).await, ["o2"]);
    // A customer's key sees its own documents; another customer's are an empty page.
    let page = store
        .list(customer("t", "c1"), Kind::Order, &of_c2)
        .await
        .unwrap();
    assert!(page.is_empty());
    let page = store
        .list(customer("t", "c2"), Kind::Order, &of_c2)
        .await
        .unwrap();
    assert_eq!(ids(&page), ["o2"]);

    // A replacement moves the document to its new products, customer and time.
    let moved = order_with("o1", "c2", "2024-01-05T00:00:00", &[item("p3", None)]);
    put(&*store, "t", &moved).await;
    assert_eq!(found(&*store, &by(Term::ProductId, &["p1"])).await, ["o2"]);
    assert_eq!(
        found(&*store, &by(Term::Mpn, &["M1"])).await,
        Vec::<String>::new()
    );
    assert_eq!(found(&*store, &of_c2).await, ["o2"]);
    let mut p3_of_c2 = by(Term::ProductId, &["p3"]);
    p3_of_c2.filter.customer_id = Some("c2".into());
    assert_eq!(found(&*store, &p3_of_c2).await, ["o1"]);

    store
        .delete(tenant("t"), Kind::Order, "o2", Precondition::None)
        .await
        .unwrap();
    assert_eq!(
        found(&*store, &by(Term::ProductId, &["p1"])).await,
        Vec::<String>::new()
    );
    store.erase_customer("t", "c2").await.unwrap();
    assert_eq!(
        found(&*store, &by(Term::ProductId, &["p3"])).await,
        Vec::<String>::new()
    );
    assert_eq!(
        found(&*store, &by(Term::OrderNumber, &["X-9"])).await,
        Vec::<String>::new()
    );
}

/// Deep pages of a filtered list start from remembered keys (as plain lists do) and are the
/// oracle's slices, also after a write moves an entry across the remembered keys.
#[tokio::test]
async fn deep_filtered_offsets_are_the_oracle_slices_before_and_after_a_write() {
    let (store, _dir) = fresh_store().await;
    // 2,600 orders over 400 instants; every one holds pA, every second pB; two customers.
    let mut entries: Vec<(String, String, &str, bool)> = (0..2600)
        .map(|n| {
            let instant = format!("2024-01-01T00:{:02}:{:02}", (n % 400) / 60, (n % 400) % 60);
            let customer = if n % 3 == 0 { "c1" } else { "c2" };
            (instant, format!("o{n:05}"), customer, n % 2 == 0)
        })
        .collect();
    let value = |(instant, id, customer, b): &(String, String, &str, bool)| {
        let mut items = vec![item("pA", None)];
        if *b {
            items.push(item("pB", Some("MB")));
        }
        order_with(id, customer, instant, &items)
    };
    store
        .put_many("t", entries.iter().map(|e| ingested(&value(e))).collect())
        .await
        .unwrap();

    for round in 0..3 {
        if round == 2 {
            entries[0].0 = "2024-02-01T00:00:00".into();
            put(&*store, "t", &value(&entries[0])).await;
        }
        let cases: [(&[&str], Option<&str>, bool); 4] = [
            (&["pB"], None, true),
            (&["pB"], None, false),
            (&["pA", "pB"], None, true),
            (&["pA"], Some("c1"), true),
        ];
        for (products, customer, newest) in cases {
            let mut oracle: Vec<&(String, String, &str, bool)> = entries
                .iter()
                .filter(|e| customer.is_none_or(|c| c == e.2))
                .filter(|e| products.contains(&"pA") || e.3)
                .collect();
            oracle.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
            if newest {
                oracle.reverse();
            }
            for offset in [0, 999, 1000, 1001, 1299, 1300, 1999, 2000, 2599, 5000] {
                let mut query = by(Term::ProductId, products);
                query.filter.customer_id = customer.map(str::to_owned);
                query.newest = newest;
                query.limit = 37;
                query.offset = offset;
                let got = found(&*store, &query).await;
                let want: Vec<&str> = oracle
                    .iter()
                    .skip(offset as usize)
                    .take(37)
                    .map(|e| e.1.as_str())
                    .collect();
                assert_eq!(
                    got, want,
                    "round {round} offset {offset} {products:?} {customer:?} {newest}"
                );
            }
        }
    }
}

/// The index rows of a store, sorted: (tenant, kind, field, value, updated_at, id, customer).
type Rows = Vec<(String, i64, i64, String, i64, String, String)>;

/// What `Document::terms` says the index of `docs` holds.
fn expected_rows(tenant: &str, docs: &[Document]) -> Rows {
    let mut rows: Rows = docs
        .iter()
        .flat_map(|d| {
            d.terms().into_iter().map(move |(term, value)| {
                (
                    tenant.to_owned(),
                    d.kind.code(),
                    term.code(),
                    value.to_owned(),
                    d.updated_at.unix(),
                    d.id.clone(),
                    d.customer_id.clone(),
                )
            })
        })
        .collect();
    rows.sort();
    rows
}

/// Demo documents, some with an order number, some with an external reference only.
fn demo_documents() -> Vec<Document> {
    ordo_demo::generate(&ordo_demo::DemoConfig::new(11, 60))
        .enumerate()
        .map(|(n, mut d)| {
            match n % 4 {
                0 => d.ext.order_number = Some(format!("N-{}", n % 9)),
                1 => d.ext.external_reference_id = Some(format!("R-{}", n % 5)),
                2 => {
                    d.ext.order_number = Some(format!("N-{n}"));
                    d.ext.external_reference_id = Some("ignored".into());
                }
                _ => {}
            }
            d
        })
        .collect()
}

const SELECT_ROWS: &str = "SELECT tenant, kind, field, value, updated_at, id, customer_id
     FROM doc_terms ORDER BY tenant, kind, field, value, updated_at, id";

#[tokio::test]
async fn the_sqlite_migration_builds_the_index_of_stored_documents() {
    let (store, dir) = fresh_sqlite().await;
    let docs = demo_documents();
    let ingest = docs.iter().cloned().map(|document| ordo_model::Ingested {
        document,
        updated_at_given: true,
    });
    store.put_many("t", ingest.collect()).await.unwrap();
    let conn = rusqlite::Connection::open(dir.path().join(SQLITE_FILE)).unwrap();
    let rows = |conn: &rusqlite::Connection| -> Rows {
        let mut stmt = conn.prepare(SELECT_ROWS).unwrap();
        stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    };
    let written = rows(&conn);
    assert_eq!(written, expected_rows("t", &docs));
    assert!(written.iter().any(|r| r.2 == Term::OrderNumber.code()));

    // As a database of before the migration: no index, and the migration not applied.
    conn.execute_batch("DROP TABLE doc_terms; DELETE FROM schema_migrations WHERE version = 6")
        .unwrap();
    store.migrate().await.unwrap();

    assert_eq!(rows(&conn), written);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_postgres_migration_builds_the_index_of_stored_documents() {
    let Some(base_url) = ordo_store::testing::postgres_url() else {
        eprintln!("ORDO_TEST_DATABASE_URL names no PostgreSQL server: nothing to migrate");
        return;
    };
    let fresh = ordo_store::testing::fresh_postgres(&base_url)
        .await
        .unwrap();
    let docs = demo_documents();
    let ingest = docs.iter().cloned().map(|document| ordo_model::Ingested {
        document,
        updated_at_given: true,
    });
    fresh.store.put_many("t", ingest.collect()).await.unwrap();
    let (client, connection) = tokio_postgres::connect(&fresh.url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    let rows = async || -> Rows {
        client
            .query(SELECT_ROWS, &[])
            .await
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r.get(0),
                    i64::from(r.get::<_, i16>(1)),
                    i64::from(r.get::<_, i16>(2)),
                    r.get(3),
                    r.get(4),
                    r.get(5),
                    r.get(6),
                )
            })
            .collect()
    };
    let written = rows().await;
    assert_eq!(written, expected_rows("t", &docs));

    client
        .batch_execute("DROP TABLE doc_terms; DELETE FROM schema_migrations WHERE version = 6")
        .await
        .unwrap();
    fresh.store.migrate().await.unwrap();

    assert_eq!(rows().await, written);
}
