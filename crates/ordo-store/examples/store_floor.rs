//! The store floor of the benchmarks (bench/run, docs/benchmarks.md): the get-by-id, list and
//! relations reads of the v1 routes, run directly on a store with no HTTP, no auth and no
//! rendering, for a fixed time on a few concurrent callers. Prints one JSON line of ops/s.
//!
//! `--mode store` (the default) goes through the `Store` trait, as the routes do. `--mode raw`
//! (SQLite only) runs the same SQL on plain rusqlite connections, one per thread: the floor
//! under ordo's own reader pool.
//!
//! ```text
//! cargo run --release -p ordo-store --example store_floor -- \
//!     --database sqlite://bench/out/S.db --op get --ids bench/out/ids-S.txt --seconds 5
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use ordo_model::{Kind, ListQuery};
use ordo_store::Scope;
use rand::Rng;

const TENANT: &str = "default";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Get,
    List,
    Relations,
}

struct Args {
    database: String,
    op: Op,
    /// Order ids for `get`, customer ids for `relations`.
    keys: Vec<String>,
    offset: u64,
    seconds: f64,
    concurrency: usize,
    raw: bool,
}

fn usage() -> ! {
    eprintln!(
        "usage: store_floor --database URL --op get|list|relations [--ids FILE] \
         [--customers FILE] [--offset N] [--seconds S] [--concurrency N] [--mode store|raw]"
    );
    std::process::exit(2)
}

fn read_lines(path: &str) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        eprintln!("cannot read {path}: {e}");
        std::process::exit(2)
    });
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn parse_args() -> Args {
    let mut args = Args {
        database: String::new(),
        op: Op::Get,
        keys: Vec::new(),
        offset: 0,
        seconds: 5.0,
        concurrency: 2,
        raw: false,
    };
    let mut ids = None;
    let mut customers = None;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| usage());
        match flag.as_str() {
            "--database" => args.database = value,
            "--op" => {
                args.op = match value.as_str() {
                    "get" => Op::Get,
                    "list" => Op::List,
                    "relations" => Op::Relations,
                    _ => usage(),
                }
            }
            "--ids" => ids = Some(value),
            "--customers" => customers = Some(value),
            "--offset" => args.offset = value.parse().unwrap_or_else(|_| usage()),
            "--seconds" => args.seconds = value.parse().unwrap_or_else(|_| usage()),
            "--concurrency" => args.concurrency = value.parse().unwrap_or_else(|_| usage()),
            "--mode" => args.raw = value == "raw",
            _ => usage(),
        }
    }
    let keys = match args.op {
        Op::Get => ids,
        Op::Relations => customers,
        Op::List => None,
    };
    args.keys = keys.map(|p| read_lines(&p)).unwrap_or_default();
    if args.database.is_empty() || (args.op != Op::List && args.keys.is_empty()) {
        usage();
    }
    args
}

fn main() {
    let args = parse_args();
    let (ops, misses, took) = if args.raw {
        raw::run(&args)
    } else {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(through_store(&args))
    };
    let op = match args.op {
        Op::Get => "get",
        Op::List => "list",
        Op::Relations => "relations",
    };
    let rate = ops as f64 / took.as_secs_f64();
    println!(
        "{{\"op\":\"{op}\",\"mode\":\"{}\",\"offset\":{},\"concurrency\":{},\"ops\":{ops},\
         \"misses\":{misses},\"seconds\":{:.3},\"rate\":{rate:.1}}}",
        if args.raw { "raw" } else { "store" },
        args.offset,
        args.concurrency,
        took.as_secs_f64()
    );
}

/// Runs the op on `concurrency` tasks through the `Store` trait until the time is up.
async fn through_store(args: &Args) -> (u64, u64, Duration) {
    let store = ordo_store::open(&args.database)
        .await
        .unwrap_or_else(|e| panic!("cannot open {}: {e}", args.database));
    let keys = Arc::new(args.keys.clone());
    let ops = Arc::new(AtomicU64::new(0));
    let misses = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(args.seconds);
    let mut tasks = Vec::new();
    for _ in 0..args.concurrency {
        let (store, keys, ops, misses) = (
            Arc::clone(&store),
            Arc::clone(&keys),
            Arc::clone(&ops),
            Arc::clone(&misses),
        );
        let (op, offset) = (args.op, args.offset);
        tasks.push(tokio::spawn(async move {
            let scope = Scope::tenant(TENANT);
            let query = ListQuery {
                offset,
                ..ListQuery::default()
            };
            while Instant::now() < deadline {
                let pick = rand::rng().random_range(0..keys.len().max(1));
                let found = match op {
                    Op::Get => store
                        .get(scope, Kind::Order, &keys[pick])
                        .await
                        .map(|d| usize::from(d.is_some())),
                    Op::List => store
                        .list(scope, Kind::Order, &query)
                        .await
                        .map(|d| d.len()),
                    Op::Relations => store
                        .customer_documents(scope, &keys[pick])
                        .await
                        .map(|d| d.len()),
                };
                match found {
                    Ok(0) => {
                        misses.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(_) => {}
                    Err(e) => panic!("store error: {e:?}"),
                }
                ops.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for task in tasks {
        task.await.expect("a task");
    }
    (
        ops.load(Ordering::Relaxed),
        misses.load(Ordering::Relaxed),
        started.elapsed(),
    )
}

/// The same SQL as the SQLite store's reads, on one plain connection per thread.
mod raw {
    use super::*;
    use rusqlite::{Connection, OpenFlags, params};

    const GET: &str = "SELECT kind, id, revision, body FROM documents
         WHERE tenant = ?1 AND kind = ?2 AND id = ?3 AND (?4 IS NULL OR customer_id = ?4)";
    const CUSTOMER: &str = "SELECT kind, id, revision, body FROM documents
         WHERE tenant = ?1 AND customer_id = ?2
         ORDER BY kind, updated_at, id";
    const LINKS: &str = "SELECT parent_id, child_kind, child_id FROM links
         WHERE tenant = ?1 AND parent_kind = ?2
           AND parent_id IN (SELECT value FROM json_each(?3))
           AND (?4 IS NULL OR child_customer = ?4)
         ORDER BY parent_id, child_created_at, child_id";

    type Row = (i64, String, i64, String);

    fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    }

    /// Reads the link rows of `rows`, one query per kind with derived lists, as the store
    /// does; returns how many documents were read.
    fn with_links(conn: &Connection, rows: Vec<Row>) -> rusqlite::Result<usize> {
        for kind in Kind::ALL
            .into_iter()
            .filter(|k| !k.derived_lists().is_empty())
        {
            let ids: Vec<&str> = rows
                .iter()
                .filter(|r| r.0 == kind.code())
                .map(|r| r.1.as_str())
                .collect();
            if ids.is_empty() {
                continue;
            }
            let ids = serde_json::to_string(&ids).expect("strings serialise");
            let mut stmt = conn.prepare_cached(LINKS)?;
            let _children: Vec<(String, i64, String)> = stmt
                .query_map(params![TENANT, kind.code(), ids, None::<String>], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
        }
        Ok(rows.len())
    }

    fn one(conn: &Connection, args: &Args, key: &str) -> rusqlite::Result<usize> {
        let rows: Vec<Row> = match args.op {
            Op::Get => conn
                .prepare_cached(GET)?
                .query_map(
                    params![TENANT, Kind::Order.code(), key, None::<String>],
                    row,
                )?
                .collect::<rusqlite::Result<_>>()?,
            Op::List => {
                let offset = i64::try_from(args.offset).unwrap_or(i64::MAX);
                conn.prepare_cached(&ordo_store::sqlite::list_sql(true, false))?
                    .query_map(
                        params![
                            TENANT,
                            Kind::Order.code(),
                            i64::MIN,
                            i64::MAX,
                            100,
                            offset,
                            i64::MAX,
                            ""
                        ],
                        row,
                    )?
                    .collect::<rusqlite::Result<_>>()?
            }
            Op::Relations => conn
                .prepare_cached(CUSTOMER)?
                .query_map(params![TENANT, key], row)?
                .collect::<rusqlite::Result<_>>()?,
        };
        with_links(conn, rows)
    }

    pub(super) fn run(args: &Args) -> (u64, u64, Duration) {
        let path = args.database.strip_prefix("sqlite://").unwrap_or_else(|| {
            eprintln!("--mode raw is for sqlite:// databases");
            std::process::exit(2)
        });
        let started = Instant::now();
        let deadline = started + Duration::from_secs_f64(args.seconds);
        let totals: Vec<(u64, u64)> = std::thread::scope(|s| {
            let workers: Vec<_> = (0..args.concurrency)
                .map(|_| {
                    s.spawn(|| {
                        let conn = Connection::open_with_flags(
                            path,
                            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                        )
                        .expect("the database opens");
                        // The page cache of the store's reader connections.
                        conn.execute_batch("PRAGMA cache_size = -8000;")
                            .expect("pragmas apply");
                        let (mut ops, mut misses) = (0u64, 0u64);
                        let mut rng = rand::rng();
                        while Instant::now() < deadline {
                            let key = args
                                .keys
                                .get(rng.random_range(0..args.keys.len().max(1)))
                                .map_or("", String::as_str);
                            if one(&conn, args, key).expect("the query runs") == 0 {
                                misses += 1;
                            }
                            ops += 1;
                        }
                        (ops, misses)
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().expect("a worker"))
                .collect()
        });
        let ops = totals.iter().map(|t| t.0).sum();
        let misses = totals.iter().map(|t| t.1).sum();
        (ops, misses, started.elapsed())
    }
}
