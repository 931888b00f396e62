//! On PostgreSQL, a list page, a filtered list page and a customer's relations are index
//! range scans: the plans
//! of the store's own queries, on a loaded and analysed table. Runs when
//! `ORDO_TEST_DATABASE_URL` names a PostgreSQL server (CI's second pass).

use ordo_demo::{DemoConfig, generate};
use ordo_model::{Ingested, Kind, Term};
use ordo_store::filtered::{self, Dialect, Shape};
use ordo_store::postgres::{PostgresStore, list_sql};
use ordo_store::testing::{fresh_postgres, postgres_url};

const CUSTOMER_DOCUMENTS_SQL: &str = "SELECT kind, id, revision, body FROM documents
     WHERE tenant = $1 AND customer_id = $2 ORDER BY kind, updated_at, id";

#[tokio::test(flavor = "multi_thread")]
async fn list_pages_and_relations_are_index_range_scans() {
    let Some(base_url) = postgres_url() else {
        eprintln!("ORDO_TEST_DATABASE_URL names no PostgreSQL server: nothing to explain");
        return;
    };
    let fresh = fresh_postgres(&base_url).await.expect("a fresh schema");
    let docs: Vec<Ingested> = generate(&DemoConfig::new(3, 3000))
        .map(|document| Ingested {
            document,
            updated_at_given: true,
        })
        .collect();
    for chunk in docs.chunks(1000) {
        fresh
            .store
            .put_many("t", chunk.to_vec())
            .await
            .expect("demo data is stored");
    }
    let (client, connection) = tokio_postgres::connect(&fresh.url, tokio_postgres::NoTls)
        .await
        .expect("a connection");
    tokio::spawn(connection);
    client
        .batch_execute("ANALYZE documents; ANALYZE doc_terms")
        .await
        .expect("statistics are gathered");
    let store = PostgresStore::open(&fresh.url, 1).expect("the store opens");

    let (tenant, kind, limit, offset) = ("t", Kind::Order.code() as i16, 100i64, 0i64);
    let (from, to, customer) = (i64::MIN, i64::MAX, "100000");
    for newest in [true, false] {
        for by_customer in [false, true] {
            let sql = list_sql(newest, by_customer);
            let mark = if newest {
                (i64::MAX, "")
            } else {
                (i64::MIN, "")
            };
            let mut params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = vec![
                &tenant, &kind, &from, &to, &limit, &offset, &mark.0, &mark.1,
            ];
            if by_customer {
                params.push(&customer);
            }
            let plan = store
                .explain(&sql, &params)
                .await
                .expect("a plan")
                .join("\n");
            println!("list newest={newest} by_customer={by_customer}:\n{plan}\n");
            let index = if by_customer {
                "documents_by_customer"
            } else {
                "documents_by_updated"
            };
            assert!(plan.contains(&format!("using {index}")), "{plan}");
            assert!(!plan.contains("Seq Scan on documents"), "{plan}");
        }
    }

    // Filtered pages: the term index's range of one value (or of each value of a list), the
    // documents by primary key, never a scan.
    let (product, products, mpns) = ("3158201", vec!["3158201", "4102030"], vec!["HB-7120-CH"]);
    for newest in [true, false] {
        for by_customer in [false, true] {
            for terms in [
                vec![(Term::ProductId, false)],
                vec![(Term::ProductId, true)],
                vec![(Term::ProductId, false), (Term::Mpn, true)],
            ] {
                let shape = Shape {
                    newest,
                    by_customer,
                    terms,
                };
                let sql = filtered::list_sql(Dialect::Postgres, &shape);
                let mark = if newest {
                    (i64::MAX, "")
                } else {
                    (i64::MIN, "")
                };
                let mut params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = vec![
                    &tenant, &kind, &from, &to, &limit, &offset, &mark.0, &mark.1,
                ];
                if by_customer {
                    params.push(&customer);
                }
                for (term, several) in &shape.terms {
                    match (term, several) {
                        (Term::Mpn, _) => params.push(&mpns),
                        (_, true) => params.push(&products),
                        (_, false) => params.push(&product),
                    }
                }
                let plan = store
                    .explain(&sql, &params)
                    .await
                    .expect("a plan")
                    .join("\n");
                println!("filtered {shape:?}:\n{plan}\n");
                // One value: an index (only) scan in list order; a list of values: a bitmap
                // of the index's matching entries. Either way the term index, never a scan.
                assert!(plan.contains("doc_terms_pkey"), "{plan}");
                if !shape.terms[0].1 {
                    assert!(
                        plan.contains("Scan Backward using doc_terms_pkey") == newest,
                        "{plan}"
                    );
                }
                assert!(!plan.contains("Seq Scan"), "{plan}");
                assert!(
                    plan.contains("using documents_pkey on documents d"),
                    "{plan}"
                );
            }
        }
    }

    let plan = store
        .explain(CUSTOMER_DOCUMENTS_SQL, &[&tenant, &customer])
        .await
        .expect("a plan")
        .join("\n");
    println!("relations:\n{plan}");
    assert!(plan.contains("using documents_by_customer"), "{plan}");
    assert!(!plan.contains("Seq Scan on documents"), "{plan}");
    assert!(!plan.contains("Sort"), "the index gives the order: {plan}");
}
