//! `ordo export [--tenant T] [FILE|-]`: every document of a tenant as NDJSON, in revision
//! order, in the form `ordo import` reads back to the same documents.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use ordo_store::{Scope, Store};

#[derive(Args, Debug)]
pub struct ExportArgs {
    #[arg(long, default_value = "default")]
    tenant: String,
    /// Where to write; standard output when absent or -.
    file: Option<PathBuf>,
}

const PAGE: u32 = 1000;

pub async fn export(store: &dyn Store, args: ExportArgs) -> anyhow::Result<ExitCode> {
    let out: Box<dyn Write> = match &args.file {
        Some(path) if path.as_os_str() != "-" => Box::new(
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        ),
        _ => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::with_capacity(1 << 20, out);
    let written = match write_all(store, &args.tenant, &mut out).await {
        Ok(count) => out.flush().map(|()| count).map_err(anyhow::Error::from),
        Err(error) => Err(error),
    };
    match written {
        Ok((statuses, documents)) => eprintln!(
            "exported {documents} documents and {statuses} statuses of tenant {:?}",
            args.tenant
        ),
        // A reader that stopped early (`ordo export | head`) is not an error of ours.
        Err(error) if is_broken_pipe(&error) => {}
        Err(error) => return Err(error),
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes the status dictionary, then each document as `{"kind":"...",<stored body>}`, one
/// per line.
pub async fn write_all(
    store: &dyn Store,
    tenant: &str,
    out: &mut impl Write,
) -> anyhow::Result<(u64, u64)> {
    let (mut statuses, mut documents) = (0, 0);
    // The dictionary first, so that an import meets each status before documents name it.
    for entry in store.statuses(Scope::tenant(tenant)).await? {
        writeln!(out, "{}", entry.to_line())?;
        statuses += 1;
    }
    let mut after = 0;
    loop {
        let page = store.changes(tenant, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.revision;
        for doc in &page {
            let fields = doc
                .body
                .trim()
                .strip_prefix('{')
                .context("a stored body is an object")?;
            writeln!(out, "{{\"kind\":\"{}\",{fields}", doc.kind.path())?;
            documents += 1;
        }
    }
    Ok((statuses, documents))
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .downcast_ref::<std::io::Error>()
        .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}
