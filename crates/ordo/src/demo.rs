//! `ordo serve --demo`: a generated data set in the store, a key, and calls that work when
//! pasted.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use ordo_demo::{DemoConfig, STATUSES, generate};
use ordo_model::{Ingested, Kind, ListQuery, Phase, StatusEntry};
use ordo_store::{NewKey, Scope, Store};

const TENANT: &str = "default";
const SEED: u64 = 42;

pub async fn load(store: &dyn Store, orders: usize, address: &str) -> anyhow::Result<()> {
    store.put_statuses(TENANT, dictionary()).await?;
    let mut batch = Vec::with_capacity(1000);
    let mut count = 0usize;
    for document in generate(&DemoConfig::new(SEED, orders)) {
        batch.push(Ingested {
            document,
            updated_at_given: true,
        });
        if batch.len() == 1000 {
            count += batch.len();
            store.put_many(TENANT, std::mem::take(&mut batch)).await?;
        }
    }
    count += batch.len();
    store.put_many(TENANT, batch).await?;

    let mut scopes: Vec<String> = Kind::ALL
        .iter()
        .map(|k| k.read_scope().to_owned())
        .collect();
    scopes.extend(["customers:relations", "statuses", "changes"].map(str::to_owned));
    let new = NewKey {
        rate_limit: None,
        tenant: TENANT.into(),
        scopes,
        customer_id: None,
        name: Some("demo".into()),
    };
    let (_, secret) = store.create_key(new).await?;

    let scope = Scope::tenant(TENANT);
    let newest = ListQuery {
        limit: 1,
        ..ListQuery::default()
    };
    let order = store.list(scope, Kind::Order, &newest).await?;
    let order = order.first().context("the demo data holds orders")?;
    let body: serde_json::Value = serde_json::from_str(&order.body)?;
    let customer = body["customerId"].as_str().unwrap_or_default();

    let base = format!("http://{address}");
    let auth = format!("-H 'Authorization: Bearer {}'", secret.0);
    println!("demo data: {count} documents of tenant {TENANT:?}");
    println!(
        "demo key (every read scope, the status dictionary and the change feed): {}",
        secret.0
    );
    println!("try the native API v1:");
    println!("  curl -s {auth} '{base}/v1/order/?limit=2'");
    println!("  curl -s {auth} '{base}/v1/order/{}'", order.id);
    println!("  curl -s {auth} '{base}/v1/customer/{customer}/relations'");

    // The storefront dialect takes a key limited to one customer.
    let new = NewKey {
        rate_limit: None,
        tenant: TENANT.into(),
        scopes: vec!["orders".into()],
        customer_id: Some(customer.to_owned()),
        name: Some("demo storefront customer".into()),
    };
    let (_, customer_key) = store.create_key(new).await?;
    println!("and the compatibility dialects (the last with a key of customer {customer}):");
    println!(
        "  curl -s {auth} -H 'X-Api-Key: {}' '{base}/v3/customers/{customer}/orders?limit=2'",
        secret.0
    );
    println!("  curl -s {auth} '{base}/v2/customers/{customer}/orders?limit=2'");
    println!(
        "  curl -s -H 'X-Customer-Key: {}' -H 'Content-Type: application/json' \
         -d '{{\"limit\": 2, \"fields\": [\"id\", \"number\", \"status\", \"taxedTotal\"]}}' \
         '{base}/api/v10/storefront.orders'",
        customer_key.0
    );
    println!("and the change feed (docs/changes.md):");
    println!("  curl -s {auth} '{base}/v1/changes?after=0&limit=2'");
    // A product of the newest order: the recall query of docs/search.md.
    let product = body["items"][0]["productId"].as_str().unwrap_or_default();
    println!("which orders hold a product (docs/search.md):");
    println!("  curl -s {auth} '{base}/v1/order/?productId={product}&limit=2'");
    println!("or open the web console (docs/console.md) and sign in with the demo key:");
    println!("  {base}/console/customers/{customer}");
    Ok(())
}

#[derive(Args, Debug)]
pub struct GenerateArgs {
    /// Customer orders to generate (other kinds in proportion).
    #[arg(long, default_value_t = 100_000)]
    orders: usize,
    #[arg(long, default_value_t = SEED)]
    seed: u64,
    /// Where to write; standard output when absent or -.
    file: Option<PathBuf>,
}

/// Writes the demo data set as NDJSON, one `{"kind":...}` document per line.
pub fn write_ndjson(args: &GenerateArgs) -> anyhow::Result<ExitCode> {
    let out: Box<dyn Write> = match &args.file {
        Some(path) if path.as_os_str() != "-" => Box::new(
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        ),
        _ => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::with_capacity(1 << 20, out);
    for entry in dictionary() {
        writeln!(out, "{}", entry.to_line())?;
    }
    for document in generate(&DemoConfig::new(args.seed, args.orders)) {
        let body = document.to_stored_json();
        let fields = body.strip_prefix('{').context("a document is an object")?;
        writeln!(out, "{{\"kind\":\"{}\",{fields}", document.kind.path())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The demo's status dictionary, one entry per status id, each with its inferred phase.
fn dictionary() -> Vec<StatusEntry> {
    let mut entries: Vec<StatusEntry> = STATUSES
        .iter()
        .map(|&(_, id, name)| StatusEntry {
            status_id: id.to_owned(),
            name: name.to_owned(),
            phase: Phase::infer(name),
        })
        .collect();
    entries.sort_by(|a, b| a.status_id.cmp(&b.status_id));
    entries.dedup_by(|a, b| a.status_id == b.status_id);
    entries
}
