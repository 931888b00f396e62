//! `ordo`: serve the order history APIs, import and export documents, manage API keys.
#![forbid(unsafe_code)]

mod demo;
mod export;
mod import;
mod keys;
mod serve;

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use ordo_store::Store;

/// jemalloc rather than glibc's malloc: glibc keeps what each thread frees in that thread's
/// arena (list pages rendered on blocking threads, import batches freed by the writer), which
/// shows as resident memory; jemalloc returns it and is faster at freeing across threads
/// (docs/benchmarks.md has the side-by-side figures). It replaces `malloc` itself, so SQLite's
/// page caches come from it too; `.cargo/config.toml` builds it with one arena per CPU.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[derive(Parser, Debug)]
#[command(
    name = "ordo",
    version,
    about = "Self-hostable customer order history service"
)]
struct Cli {
    /// Where documents and keys are kept: sqlite://PATH.
    #[arg(
        long,
        global = true,
        env = "ORDO_DATABASE_URL",
        default_value = "sqlite://ordo.db"
    )]
    database: String,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the HTTP APIs.
    Serve(serve::ServeArgs),
    /// Import NDJSON documents, one per line with a "kind" field.
    Import(import::ImportArgs),
    /// Export a tenant's documents as NDJSON that imports back to the same documents.
    Export(export::ExportArgs),
    /// Create, list and revoke API keys.
    Keys {
        #[command(subcommand)]
        command: keys::KeysCommand,
    },
    /// Apply pending schema migrations.
    Migrate,
    /// Write a generated demo data set as NDJSON (for trials and benchmarks).
    Generate(demo::GenerateArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    serve::init_tracing();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if let Command::Generate(args) = &cli.command {
        return demo::write_ndjson(args);
    }
    let store = open(&cli.database).await?;
    match cli.command {
        Command::Serve(args) => serve::serve(store, args, &cli.database).await,
        Command::Import(args) => import::import(&store, args).await,
        Command::Export(args) => export::export(store.as_ref(), args).await,
        Command::Keys { command } => keys::run(store.as_ref(), command).await,
        Command::Migrate => {
            println!("migrations applied to {}", cli.database);
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate(_) => unreachable!("handled before the store is opened"),
    }
}

/// Opens the store and applies pending migrations: every command starts on the current schema.
async fn open(url: &str) -> anyhow::Result<Arc<dyn Store>> {
    let store = ordo_store::open(url)
        .await
        .with_context(|| format!("opening {url}"))?;
    store
        .migrate()
        .await
        .with_context(|| format!("migrating {url}"))?;
    Ok(store)
}
