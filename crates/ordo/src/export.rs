//! `ordo export [--tenant T] [--changes [--after R]] [FILE|-]`: every document of a tenant as
//! NDJSON, in revision order, in the form `ordo import` reads back to the same documents; with
//! `--changes`, the change feed, deletions included.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use ordo_store::{Change, Scope, Store};

#[derive(Args, Debug)]
pub struct ExportArgs {
    #[arg(long, default_value = "default")]
    tenant: String,
    /// Follow the change feed: deletions are written too, each as
    /// `{"kind":"order","orderId":"X","deleted":true}`, which `ordo import` replays.
    #[arg(long)]
    changes: bool,
    /// With --changes: only changes after this revision (the feed's `next` of an earlier
    /// export), so that an import replays what changed since.
    #[arg(long, requires = "changes", default_value_t = 0)]
    after: i64,
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
    let written = match write_all(store, &args, &mut out).await {
        Ok(count) => out.flush().map(|()| count).map_err(anyhow::Error::from),
        Err(error) => Err(error),
    };
    match written {
        Ok(Written {
            statuses,
            documents,
            deletions,
            last,
        }) if args.changes => eprintln!(
            "exported {documents} documents, {deletions} deletions and {statuses} statuses of \
             tenant {:?}, up to revision {last}",
            args.tenant
        ),
        Ok(Written {
            statuses,
            documents,
            ..
        }) => eprintln!(
            "exported {documents} documents and {statuses} statuses of tenant {:?}",
            args.tenant
        ),
        // A reader that stopped early (`ordo export | head`) is not an error of ours.
        Err(error) if is_broken_pipe(&error) => {}
        Err(error) => return Err(error),
    }
    Ok(ExitCode::SUCCESS)
}

/// What an export wrote, and the last revision it saw.
pub struct Written {
    statuses: u64,
    documents: u64,
    deletions: u64,
    last: i64,
}

/// Writes the status dictionary, then each document as `{"kind":"...",<stored body>}`, one
/// per line; with `--changes`, each deletion after `--after` as a deletion line, in revision
/// order among the documents.
async fn write_all(
    store: &dyn Store,
    args: &ExportArgs,
    out: &mut impl Write,
) -> anyhow::Result<Written> {
    let tenant = args.tenant.as_str();
    let mut written = Written {
        statuses: 0,
        documents: 0,
        deletions: 0,
        last: args.after,
    };
    // The dictionary first, so that an import meets each status before documents name it.
    for entry in store.statuses(Scope::tenant(tenant)).await? {
        writeln!(out, "{}", entry.to_line())?;
        written.statuses += 1;
    }
    loop {
        let page = if args.changes {
            store.feed(tenant, written.last, PAGE).await?
        } else {
            // The documents alone, as every export before the feed wrote them.
            let docs = store.changes(tenant, written.last, PAGE).await?;
            docs.into_iter().map(Change::Put).collect()
        };
        let Some(last) = page.last() else { break };
        written.last = last.revision();
        for change in &page {
            match change {
                Change::Put(doc) => {
                    let fields = doc
                        .body
                        .trim()
                        .strip_prefix('{')
                        .context("a stored body is an object")?;
                    writeln!(out, "{{\"kind\":\"{}\",{fields}", doc.kind.path())?;
                    written.documents += 1;
                }
                Change::Delete { kind, id, .. } => {
                    // Kind first, as on every line of an export.
                    writeln!(
                        out,
                        "{{\"kind\":\"{}\",\"{}\":{},\"deleted\":true}}",
                        kind.path(),
                        kind.id_field(),
                        serde_json::to_string(id)?
                    )?;
                    written.deletions += 1;
                }
            }
        }
    }
    Ok(written)
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .downcast_ref::<std::io::Error>()
        .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}
