//! Pins the SQLite query plans of the hot reads: a list page walks an index (no scan, no
//! sort), a filtered page walks the term index, and a customer's documents come from the
//! customer index. The plans are printed
//! (`cargo test -p ordo-store --test query_plans -- --nocapture`).
//!
//! Plans are read as a tree (id, parent, detail) from a connection of our own to the test's
//! database file, so that the lines of the list's inner select can be told apart from the
//! outer one's; `SqliteStore::explain` gives the detail column only, and is checked to agree.

mod common;

use std::path::Path;

use common::*;
use ordo_model::Term;
use ordo_store::filtered::{self, Dialect, Shape};
use ordo_store::sqlite::list_sql;
use rusqlite::{Connection, OpenFlags};

/// The SQL of `customer_documents` in src/sqlite/read.rs; keep the two in step.
const CUSTOMER_DOCUMENTS_SQL: &str = "SELECT kind, id, revision, body FROM documents
             WHERE tenant = ?1 AND customer_id = ?2
             ORDER BY kind, updated_at, id";

/// The keys a dialect's page is chosen from (`customer_pick` in src/sqlite/read.rs).
const CUSTOMER_KEYS_SQL: &str = "SELECT created_at, id FROM documents
                     WHERE tenant = ?1 AND customer_id = ?2 AND kind = ?3";

/// One line of EXPLAIN QUERY PLAN.
#[derive(Debug)]
struct Step {
    id: i64,
    parent: i64,
    detail: String,
}

/// The plan SQLite chooses for `sql`, with its parameters left unbound.
fn plan(db: &Path, sql: &str) -> Vec<Step> {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("the test database opens");
    let mut stmt = conn
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .expect("the query prepares");
    // raw_query: EXPLAIN needs no parameter values, and binding none is not an error.
    let mut rows = stmt.raw_query();
    let mut steps = Vec::new();
    while let Some(row) = rows.next().expect("the plan reads") {
        steps.push(Step {
            id: row.get(0).unwrap(),
            parent: row.get(1).unwrap(),
            detail: row.get(3).unwrap(),
        });
    }
    steps
}

fn show(name: &str, sql: &str, plan: &[Step]) -> String {
    let mut text = format!("-- {name}\n{sql}\n");
    for step in plan {
        let depth = std::iter::successors(Some(step.parent), |&p| {
            plan.iter().find(|s| s.id == p).map(|s| s.parent)
        })
        .take_while(|&p| p != 0)
        .count();
        text.push_str(&format!("{}{}\n", "  ".repeat(depth + 1), step.detail));
    }
    text
}

/// The steps below `root` (the subquery `page`), at any depth.
fn below<'p>(plan: &'p [Step], root: &Step) -> Vec<&'p Step> {
    let mut ids = vec![root.id];
    let mut found = Vec::new();
    // Children always come after their parent.
    for step in plan {
        if ids.contains(&step.parent) {
            ids.push(step.id);
            found.push(step);
        }
    }
    found
}

fn db_path(dir: &tempfile::TempDir) -> std::path::PathBuf {
    dir.path().join(SQLITE_FILE)
}

#[tokio::test]
async fn list_pages_search_the_right_index_without_scanning_or_sorting() {
    let (_store, dir) = fresh_sqlite().await;
    for by_customer in [false, true] {
        let index = if by_customer {
            "documents_by_customer"
        } else {
            "documents_by_updated"
        };
        for newest in [true, false] {
            let what = format!("list newest={newest} by_customer={by_customer}");
            let sql = list_sql(newest, by_customer);

            let plan = plan(&db_path(&dir), &sql);

            let shown = show(&what, &sql, &plan);
            println!("{shown}");
            let page = plan
                .iter()
                .find(|s| {
                    (s.detail.starts_with("CO-ROUTINE") || s.detail.starts_with("MATERIALIZE"))
                        && s.detail.contains("page")
                })
                .unwrap_or_else(|| panic!("{what}: no subquery `page` in the plan:\n{shown}"));
            let inner = below(&plan, page);
            assert!(
                inner.iter().any(|s| s
                    .detail
                    .starts_with("SEARCH documents USING COVERING INDEX")
                    && s.detail.contains(&format!("INDEX {index} "))),
                "{what}: the inner select does not SEARCH the covering {index}:\n{shown}"
            );
            // A deep page seeks to the remembered key (`anchors`) instead of stepping to it.
            assert!(
                inner.iter().any(|s| s.detail.contains("(updated_at,id)")),
                "{what}: the search is not bounded by the start key:\n{shown}"
            );
            assert!(
                !inner.iter().any(|s| s.detail.contains("USE TEMP B-TREE")),
                "{what}: the inner select sorts in a temporary b-tree:\n{shown}"
            );
            assert!(
                !plan.iter().any(|s| s.detail.starts_with("SCAN documents")
                    || s.detail == "SCAN d"
                    || s.detail.starts_with("SCAN d ")),
                "{what}: a full scan of documents:\n{shown}"
            );
            assert!(
                plan.iter()
                    .any(|s| s.detail.starts_with("SEARCH d USING INTEGER PRIMARY KEY")),
                "{what}: the page's rows are not fetched by rowid:\n{shown}"
            );
        }
    }
}

#[tokio::test]
async fn customer_documents_search_the_customer_index() {
    let (_store, dir) = fresh_sqlite().await;

    let plan = plan(&db_path(&dir), CUSTOMER_DOCUMENTS_SQL);

    let shown = show("customer_documents", CUSTOMER_DOCUMENTS_SQL, &plan);
    println!("{shown}");
    assert!(
        plan.iter().any(|s| s.detail.starts_with("SEARCH documents")
            && s.detail.contains("INDEX documents_by_customer ")),
        "customer_documents does not SEARCH documents_by_customer:\n{shown}"
    );
    assert!(
        !plan.iter().any(|s| s.detail.starts_with("SCAN documents")),
        "customer_documents scans documents:\n{shown}"
    );
    assert!(
        !plan.iter().any(|s| s.detail.contains("USE TEMP B-TREE")),
        "customer_documents sorts in a temporary b-tree:\n{shown}"
    );
}

#[tokio::test]
async fn a_customers_keys_come_from_the_customer_index_alone() {
    let (_store, dir) = fresh_sqlite().await;

    let plan = plan(&db_path(&dir), CUSTOMER_KEYS_SQL);

    let shown = show("customer keys", CUSTOMER_KEYS_SQL, &plan);
    println!("{shown}");
    assert!(
        plan.iter().any(|s| s.detail.starts_with("SEARCH documents")
            && s.detail.contains("COVERING INDEX documents_by_customer ")),
        "the keys are not read from documents_by_customer alone (no body):\n{shown}"
    );
}

#[tokio::test]
async fn explain_gives_the_plan_of_a_query_with_unbound_parameters() {
    let (store, dir) = fresh_sqlite().await;
    for sql in [list_sql(true, true), CUSTOMER_DOCUMENTS_SQL.to_owned()] {
        let expected: Vec<String> = plan(&db_path(&dir), &sql)
            .into_iter()
            .map(|s| s.detail)
            .collect();

        let explained = store.explain(sql.clone()).await;

        match explained {
            Ok(lines) => assert_eq!(lines, expected, "{sql}"),
            Err(e) => panic!("explain failed on {sql}: {e:?}"),
        }
    }
}

/// The shapes of filtered lists the tests pin: one product, several (an `IN` list), a product
/// and an mpn, each with and without a customer.
fn filtered_shapes() -> Vec<Shape> {
    let mut shapes = Vec::new();
    for newest in [true, false] {
        for by_customer in [false, true] {
            for terms in [
                vec![(Term::ProductId, false)],
                vec![(Term::ProductId, true)],
                vec![(Term::ProductId, false), (Term::Mpn, true)],
            ] {
                shapes.push(Shape {
                    newest,
                    by_customer,
                    terms,
                });
            }
        }
    }
    shapes
}

#[tokio::test]
async fn filtered_pages_search_the_term_index_and_read_only_the_pages_documents() {
    let (_store, dir) = fresh_sqlite().await;
    for shape in filtered_shapes() {
        let what = format!("filtered {shape:?}");
        let sql = filtered::list_sql(Dialect::Sqlite, &shape);

        let plan = plan(&db_path(&dir), &sql);

        let shown = show(&what, &sql, &plan);
        println!("{shown}");
        let search = plan
            .iter()
            .find(|s| s.detail.starts_with("SEARCH t USING PRIMARY KEY"))
            .unwrap_or_else(|| panic!("{what}: the terms' key is not searched:\n{shown}"));
        assert!(
            search.detail.contains("value=?") && search.detail.contains("(updated_at,id)"),
            "{what}: the search is not one value's range from the start key:\n{shown}"
        );
        if let [(_, false), ..] = shape.terms[..] {
            let page = plan
                .iter()
                .find(|s| s.detail.contains("page"))
                .unwrap_or_else(|| panic!("{what}: no subquery `page`:\n{shown}"));
            assert!(
                !below(&plan, page)
                    .iter()
                    .any(|s| s.detail.contains("USE TEMP B-TREE")),
                "{what}: one value's entries are sorted instead of read in order:\n{shown}"
            );
        }
        assert!(
            !plan.iter().any(|s| s.detail.starts_with("SCAN")
                && !s.detail.starts_with("SCAN page")
                && !s.detail.contains("json_each")),
            "{what}: a scan:\n{shown}"
        );
        assert!(
            plan.iter()
                .any(|s| s.detail.starts_with("SEARCH d USING INDEX")
                    && s.detail.contains("(tenant=? AND kind=? AND id=?)")),
            "{what}: the page's documents are not read by key:\n{shown}"
        );
    }
}
