//! `ordo serve --demo`: a generated data set in the store, a key, and calls that work when
//! pasted.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use ordo_demo::{DemoConfig, STATUSES, generate};
use ordo_model::{Ingested, Kind, ListQuery, Phase, StatusEntry};
use ordo_store::{KeySecret, NewKey, Scope, Store};

const TENANT: &str = "default";
const SEED: u64 = 42;

pub async fn load(
    store: &dyn Store,
    orders: usize,
    address: &str,
    keys_file: &Path,
) -> anyhow::Result<()> {
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

    let scope = Scope::tenant(TENANT);
    let newest = ListQuery {
        limit: 1,
        ..ListQuery::default()
    };
    let order = store.list(scope, Kind::Order, &newest).await?;
    let order = order.first().context("the demo data holds orders")?;
    let body: serde_json::Value = serde_json::from_str(&order.body)?;
    let customer = body["customerId"].as_str().unwrap_or_default();
    let keys = demo_keys(store, keys_file, customer).await?;
    let secret = &keys.admin;

    let base = format!("http://{address}");
    let auth = format!("-H 'Authorization: Bearer {}'", secret.0);
    println!("demo data: {count} documents of tenant {TENANT:?}");
    println!(
        "demo key (every read scope, the status dictionary and the change feed): {}",
        secret.0
    );
    println!(
        "(kept in {} for the next `serve --demo`; delete the file for new keys)",
        keys_file.display()
    );
    println!("try the native API v1:");
    println!("  curl -s {auth} '{base}/v1/order/?limit=2'");
    println!("  curl -s {auth} '{base}/v1/order/{}'", order.id);
    println!("  curl -s {auth} '{base}/v1/customer/{customer}/relations'");

    let customer_key = &keys.customer;
    println!(
        "and the compatibility dialects (the last with a key of customer {}):",
        keys.customer_id
    );
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

/// Where `serve --demo` keeps its two secrets between starts: beside a SQLite file
/// (`ordo.db.demo-keys`), else `ordo-demo.keys` in the working directory. The demo prints its
/// keys, so the store's hashes alone cannot give them back; a second start reads them here
/// and reuses them instead of adding keys.
pub fn keys_file(database_url: &str) -> PathBuf {
    match database_url.strip_prefix("sqlite://") {
        Some(path) if !path.starts_with(':') && !path.is_empty() => {
            PathBuf::from(format!("{path}.demo-keys"))
        }
        _ => PathBuf::from("ordo-demo.keys"),
    }
}

/// The demo's keys: one with every read scope, one limited to a customer (the storefront's).
struct DemoKeys {
    admin: KeySecret,
    customer: KeySecret,
    customer_id: String,
}

/// The keys of `file` when the store still has them (not revoked); else two new ones,
/// written to `file`.
async fn demo_keys(store: &dyn Store, file: &Path, customer: &str) -> anyhow::Result<DemoKeys> {
    if let Ok(text) = std::fs::read_to_string(file) {
        let mut lines = text.lines();
        if let (Some(admin), Some(customer_line)) = (lines.next(), lines.next())
            && let Some((customer_id, customer_secret)) = customer_line.split_once(' ')
            && usable(store, admin).await
            && usable(store, customer_secret).await
        {
            return Ok(DemoKeys {
                admin: KeySecret(admin.to_owned()),
                customer: KeySecret(customer_secret.to_owned()),
                customer_id: customer_id.to_owned(),
            });
        }
    }
    let (_, admin) = store
        .create_key(NewKey {
            rate_limit: None,
            tenant: TENANT.into(),
            scopes: crate::keys::read_scopes(),
            customer_id: None,
            name: Some("demo".into()),
        })
        .await?;
    // The storefront dialect takes a key limited to one customer.
    let (_, customer_key) = store
        .create_key(NewKey {
            rate_limit: None,
            tenant: TENANT.into(),
            scopes: vec!["orders".into()],
            customer_id: Some(customer.to_owned()),
            name: Some("demo storefront customer".into()),
        })
        .await?;
    let text = format!("{}\n{customer} {}\n", admin.0, customer_key.0);
    write_private(file, &text).with_context(|| format!("cannot write {}", file.display()))?;
    Ok(DemoKeys {
        admin,
        customer: customer_key,
        customer_id: customer.to_owned(),
    })
}

/// A secret the store knows, of a key not revoked.
async fn usable(store: &dyn Store, secret: &str) -> bool {
    let Some(id) = ordo_store::parse_secret(secret) else {
        return false;
    };
    matches!(store.find_key(id).await, Ok(Some(key)) if !key.revoked && key.secret_matches(secret))
}

/// Writes `text` to `path`, readable by its owner only: it holds secrets.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}
