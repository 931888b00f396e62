//! `ordo keys create | list | revoke`, and the one list of the scopes a key may carry.

use std::process::ExitCode;

use anyhow::bail;
use clap::Subcommand;
use ordo_model::Kind;
use ordo_store::{ApiKey, NewKey, Store};

/// The scopes besides each kind's read and write scopes (`Kind::ALL`), with what each allows:
/// the one place they are listed (help texts, `keys create`'s check, the demo key and
/// docs/keys.md follow it).
const OTHER_SCOPES: &[(&str, &str)] = &[
    (
        "customers:relations",
        "read GET /v1/customer/{id}/relations",
    ),
    (
        "customers:erase",
        "erase a customer (DELETE /v1/customer/{id})",
    ),
    (
        "changes",
        "follow the change feed (GET /v1/changes); the whole tenant",
    ),
    (
        "webhooks",
        "register and manage webhooks (/v1/webhooks); the whole tenant",
    ),
    ("statuses", "read the status dictionary (GET /v1/statuses)"),
    ("statuses:write", "replace the status dictionary"),
];

/// Every scope a key may carry.
pub fn known_scopes() -> Vec<String> {
    let mut scopes = Vec::new();
    for kind in Kind::ALL {
        scopes.push(kind.read_scope().to_owned());
        scopes.push(kind.write_scope().to_owned());
    }
    scopes.extend(OTHER_SCOPES.iter().map(|(scope, _)| (*scope).to_owned()));
    scopes
}

/// The scopes that only read: the demo key's.
pub fn read_scopes() -> Vec<String> {
    known_scopes()
        .into_iter()
        .filter(|scope| !is_write_scope(scope) || scope == "changes")
        .collect()
}

/// The help of `--scopes`: every scope and what it allows.
fn scopes_help() -> String {
    let mut text = String::from(
        "Comma-separated scopes (spaces after the commas are fine), e.g. \
         'orders, returns, orders:write'. The scopes:\n",
    );
    for kind in Kind::ALL {
        text.push_str(&format!(
            "  {:<22} read {} documents (GET /v1/{}/...); {} writes them\n",
            kind.read_scope(),
            kind.path(),
            kind.path(),
            kind.write_scope(),
        ));
    }
    for (scope, what) in OTHER_SCOPES {
        text.push_str(&format!("  {scope:<22} {what}\n"));
    }
    text.push_str(
        "Quotes are read with `quotas` (the reference API's spelling). A key with --customer \
         only reads.",
    );
    text
}

/// Scopes that change data, or that see the whole tenant (the change feed, webhooks): a key
/// limited to a customer may carry none of them.
fn is_write_scope(scope: &str) -> bool {
    scope.ends_with(":write") || ["customers:erase", "changes", "webhooks"].contains(&scope)
}

#[derive(Subcommand, Debug)]
pub enum KeysCommand {
    /// Create a key; its secret is printed once, alone on the last line.
    Create {
        /// The tenant (merchant) whose documents the key reads.
        #[arg(long, default_value = "default")]
        tenant: String,
        #[arg(long, required = true, value_name = "SCOPES", long_help = scopes_help())]
        scopes: String,
        /// Limit the key to one customer's documents (a storefront's key): such a key only
        /// reads.
        #[arg(long)]
        customer: Option<String>,
        /// A name to tell the key by in `keys list`.
        #[arg(long)]
        name: Option<String>,
        /// Requests per second the key may make, in bursts of as many (default: the
        /// server's `--key-rate-limit`).
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
        rate_limit: Option<u32>,
    },
    /// List keys (never their secrets), as a table or as JSON.
    List {
        /// One JSON array of the keys instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Revoke a key by its id (the `id` column of `keys list`).
    Revoke { id: String },
}

/// `--scopes` read: split at commas, trimmed; unknown, duplicated or empty ones refused,
/// every problem in one error with the list of valid scopes.
fn parse_scopes(text: &str) -> anyhow::Result<Vec<String>> {
    let known = known_scopes();
    let mut scopes: Vec<String> = Vec::new();
    let mut problems = Vec::new();
    for scope in text.split(',').map(str::trim) {
        if scope.is_empty() {
            problems.push("an empty scope (two commas, or one at an end)".to_owned());
        } else if !known.iter().any(|k| k == scope) {
            problems.push(format!("unknown scope `{scope}`"));
        } else if scopes.iter().any(|s| s == scope) {
            problems.push(format!("scope `{scope}` given twice"));
        } else {
            scopes.push(scope.to_owned());
        }
    }
    if !problems.is_empty() {
        bail!(
            "{}; the valid scopes are: {}",
            problems.join("; "),
            known.join(", ")
        );
    }
    Ok(scopes)
}

pub async fn run(store: &dyn Store, command: KeysCommand) -> anyhow::Result<ExitCode> {
    match command {
        KeysCommand::Create {
            tenant,
            scopes,
            customer,
            name,
            rate_limit,
        } => {
            if tenant.trim().is_empty() {
                bail!("--tenant is empty: name the tenant whose documents the key reads");
            }
            if let Some(customer) = &customer
                && let Some(problem) = ordo_model::ingest::id_problem(customer)
            {
                bail!("--customer {customer:?} {problem}");
            }
            let scopes = parse_scopes(&scopes)?;
            let writes: Vec<&String> = scopes.iter().filter(|s| is_write_scope(s)).collect();
            if customer.is_some() && !writes.is_empty() {
                bail!("a key limited to a customer only reads: it cannot have {writes:?}");
            }
            let (key, secret) = store
                .create_key(NewKey {
                    tenant,
                    scopes,
                    customer_id: customer,
                    name,
                    rate_limit,
                })
                .await?;
            println!("created key {} for tenant {:?}", key.id, key.tenant);
            println!("scopes: {}", key.scopes.join(","));
            if let Some(customer) = &key.customer_id {
                println!("customer: {customer}");
            }
            if let Some(rate) = key.rate_limit {
                println!("rate limit: {rate} requests/s");
            }
            println!("the secret is shown once, now:");
            println!("{}", secret.0);
        }
        KeysCommand::List { json } => {
            let keys = store.list_keys().await?;
            if json {
                let list: Vec<serde_json::Value> = keys.iter().map(key_json).collect();
                println!("{}", serde_json::Value::Array(list));
            } else {
                print!("{}", table(&keys));
            }
        }
        KeysCommand::Revoke { id } => {
            let Some(key) = store.find_key(&id).await? else {
                bail!("no key with id {id:?}");
            };
            if key.revoked {
                println!("key {id} was already revoked");
            } else {
                store.revoke_key(&id).await?;
                println!("revoked key {id}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn created(key: &ApiKey) -> String {
    ordo_model::Timestamp::from_unix(key.created_at)
        .map_or_else(|| key.created_at.to_string(), |t| t.rfc3339())
}

fn key_json(key: &ApiKey) -> serde_json::Value {
    serde_json::json!({
        "id": key.id,
        "tenant": key.tenant,
        "name": key.name,
        "scopes": key.scopes,
        "customer": key.customer_id,
        "rateLimit": key.rate_limit,
        "created": created(key),
        "revoked": key.revoked,
    })
}

/// The keys as a table whose columns are as wide as their widest value.
fn table(keys: &[ApiKey]) -> String {
    let header = [
        "id", "tenant", "revoked", "created", "customer", "name", "rate/s", "scopes",
    ];
    let mut rows: Vec<[String; 8]> = vec![header.map(str::to_owned)];
    for key in keys {
        rows.push([
            key.id.clone(),
            key.tenant.clone(),
            (if key.revoked { "yes" } else { "no" }).to_owned(),
            created(key),
            key.customer_id.clone().unwrap_or_else(|| "-".to_owned()),
            key.name.clone().unwrap_or_else(|| "-".to_owned()),
            key.rate_limit
                .map_or_else(|| "-".to_owned(), |r| r.to_string()),
            key.scopes.join(","),
        ]);
    }
    let mut widths = [0usize; 8];
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in &rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                let pad = widths[i] - cell.chars().count();
                line.push_str(cell);
                line.push_str(&" ".repeat(pad + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_take_spaces_and_refuse_duplicates_and_unknowns() {
        assert_eq!(
            parse_scopes("orders, returns").unwrap(),
            vec!["orders".to_owned(), "returns".to_owned()]
        );
        let error = parse_scopes("orders,orders,quotes,")
            .unwrap_err()
            .to_string();
        assert!(error.contains("`orders` given twice"), "{error}");
        assert!(error.contains("unknown scope `quotes`"), "{error}");
        assert!(error.contains("an empty scope"), "{error}");
        assert!(error.contains("quotas"), "{error}");
    }

    #[test]
    fn the_read_scopes_hold_statuses_and_no_write() {
        let read = read_scopes();
        assert!(read.iter().any(|s| s == "statuses"));
        assert!(read.iter().any(|s| s == "customers:relations"));
        assert!(
            !read
                .iter()
                .any(|s| s.ends_with(":write") || s == "customers:erase")
        );
    }
}
