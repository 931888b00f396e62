//! `ordo erase --tenant T --customer C`: erase a customer (GDPR Art. 17) from the command line,
//! as `DELETE /v1/customer/{customerId}` does: every document of theirs and every key limited
//! to them.

use std::process::ExitCode;

use anyhow::bail;
use clap::Args;
use ordo_store::Store;

#[derive(Args, Debug)]
pub struct EraseArgs {
    #[arg(long, default_value = "default")]
    tenant: String,
    /// The customer whose documents and keys go.
    #[arg(long)]
    customer: String,
}

/// Erases, then prints what went: a sentence, and the counts as the HTTP route's JSON on the
/// last line, for scripts. Erasing again removes nothing and still succeeds.
pub async fn erase(store: &dyn Store, args: EraseArgs) -> anyhow::Result<ExitCode> {
    // The same id rules as the HTTP path: such an id names no stored document, and PostgreSQL
    // would refuse a NUL in it with a backend error rather than an answer.
    if let Some(problem) = ordo_model::ingest::id_problem(&args.customer) {
        bail!("customer id {:?} {problem}", args.customer);
    }
    let erased = store.erase_customer(&args.tenant, &args.customer).await?;
    println!(
        "erased {} and revoked {} of customer {:?} in tenant {:?}",
        plural(erased.documents, "document"),
        plural(erased.keys, "key"),
        args.customer,
        args.tenant
    );
    println!(
        "{}",
        serde_json::json!({"documents": erased.documents, "keys": erased.keys})
    );
    Ok(ExitCode::SUCCESS)
}

fn plural(count: u64, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}
