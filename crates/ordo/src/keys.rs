//! `ordo keys create | list | revoke`.

use std::process::ExitCode;

use anyhow::bail;
use clap::Subcommand;
use ordo_model::Kind;
use ordo_store::{NewKey, Store};

#[derive(Subcommand, Debug)]
pub enum KeysCommand {
    /// Create a key; its secret is printed once, alone on the last line.
    Create {
        #[arg(long, default_value = "default")]
        tenant: String,
        /// Comma-separated scopes, e.g. orders,returns,customers:relations,orders:write.
        #[arg(long, value_delimiter = ',', required = true)]
        scopes: Vec<String>,
        /// Limit the key to one customer's documents: such a key only reads.
        #[arg(long)]
        customer: Option<String>,
        #[arg(long)]
        name: Option<String>,
        /// Requests per second the key may make, in bursts of as many (default: the
        /// server's `--key-rate-limit`).
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
        rate_limit: Option<u32>,
    },
    /// List keys (never their secrets).
    List,
    /// Revoke a key by its id.
    Revoke { id: String },
}

/// Every scope a key may carry.
pub fn known_scopes() -> Vec<String> {
    let mut scopes = vec![
        "customers:relations".to_owned(),
        "customers:erase".to_owned(),
        "changes".to_owned(),
        "webhooks".to_owned(),
        "statuses".to_owned(),
        "statuses:write".to_owned(),
    ];
    for kind in Kind::ALL {
        scopes.push(kind.read_scope().to_owned());
        scopes.push(kind.write_scope().to_owned());
    }
    scopes
}

/// Scopes that change data, or that see the whole tenant (the change feed, webhooks): a key
/// limited to a customer may carry none of them.
fn is_write_scope(scope: &str) -> bool {
    scope.ends_with(":write") || ["customers:erase", "changes", "webhooks"].contains(&scope)
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
            let known = known_scopes();
            let unknown: Vec<&String> = scopes.iter().filter(|s| !known.contains(s)).collect();
            if !unknown.is_empty() {
                bail!(
                    "unknown scopes {unknown:?}; known scopes: {}",
                    known.join(",")
                );
            }
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
        KeysCommand::List => {
            println!(
                "{:<14} {:<12} {:<8} {:<20} {:<12} {:<20} {:<8} scopes",
                "id", "tenant", "revoked", "created", "customer", "name", "rate/s"
            );
            for key in store.list_keys().await? {
                let created = ordo_model::Timestamp::from_unix(key.created_at)
                    .map_or_else(|| key.created_at.to_string(), |t| t.rfc3339());
                println!(
                    "{:<14} {:<12} {:<8} {:<20} {:<12} {:<20} {:<8} {}",
                    key.id,
                    key.tenant,
                    if key.revoked { "yes" } else { "no" },
                    created,
                    key.customer_id.as_deref().unwrap_or("-"),
                    key.name.as_deref().unwrap_or("-"),
                    key.rate_limit
                        .map_or_else(|| "-".to_owned(), |r| r.to_string()),
                    key.scopes.join(",")
                );
            }
        }
        KeysCommand::Revoke { id } => {
            if !store.revoke_key(&id).await? {
                bail!("no key with id {id:?}");
            }
            println!("revoked key {id}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
