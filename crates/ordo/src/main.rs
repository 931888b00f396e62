//! `ordo`: serve the order history APIs, import and export documents, manage API keys, erase
//! customers.
#![forbid(unsafe_code)]

mod demo;
mod erase;
mod export;
mod import;
mod keys;
mod serve;
mod settings;

use std::path::PathBuf;
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
    /// A TOML file of settings (else the file ORDO_CONFIG names, if any); `ordo config` lists them.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Where documents and keys are kept: sqlite://PATH or postgres://USER@HOST:PORT/DB
    /// [setting database_url; default sqlite://ordo.db].
    #[arg(long, global = true, value_name = "URL")]
    database: Option<String>,

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
    /// Erase a customer: delete every document of theirs and revoke every key limited to them.
    Erase(erase::EraseArgs),
    /// Apply pending schema migrations.
    Migrate,
    /// Write a generated demo data set as NDJSON (for trials and benchmarks).
    Generate(demo::GenerateArgs),
    /// Print the effective settings as TOML, each with where it came from.
    Config,
}

impl Cli {
    /// The flags given for settings; every setting with a flag is listed here or in its
    /// command's arguments.
    fn flags(&self) -> Vec<settings::Flag> {
        let mut flags = Vec::new();
        settings::flag(
            &mut flags,
            "database_url",
            "--database",
            self.database.clone(),
        );
        if let Command::Serve(args) = &self.command {
            args.flags(&mut flags);
        }
        flags
    }

    /// Layers the settings; the one place the environment is read.
    fn settings(&self) -> anyhow::Result<settings::Loaded> {
        let file = self
            .config
            .clone()
            .or_else(|| std::env::var_os("ORDO_CONFIG").map(PathBuf::from));
        settings::Loaded::load(
            file.as_deref(),
            |var| std::env::var(var).ok(),
            &self.flags(),
        )
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let loaded = match cli.settings() {
        Ok(loaded) => loaded,
        Err(error) => {
            eprintln!("error: {error:#}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(error) = serve::init_tracing(&loaded.settings) {
        eprintln!("error: {error:#}");
        return ExitCode::FAILURE;
    }
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
    match runtime.block_on(run(cli, loaded)) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli, loaded: settings::Loaded) -> anyhow::Result<ExitCode> {
    match &cli.command {
        Command::Generate(args) => return demo::write_ndjson(args),
        Command::Config => {
            print!("{}", loaded.to_toml());
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }
    let settings = loaded.settings;
    let store = open(&settings).await?;
    match cli.command {
        Command::Serve(args) => serve::serve(store, args, &settings).await,
        Command::Import(args) => import::import(&store, args).await,
        Command::Export(args) => export::export(store.as_ref(), args).await,
        Command::Keys { command } => keys::run(store.as_ref(), command).await,
        Command::Erase(args) => erase::erase(store.as_ref(), args).await,
        Command::Migrate => {
            println!("migrations applied to {}", settings.database_shown());
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate(_) | Command::Config => {
            unreachable!("handled before the store is opened")
        }
    }
}

/// Opens the store and applies pending migrations: every command starts on the current schema.
async fn open(settings: &settings::Settings) -> anyhow::Result<Arc<dyn Store>> {
    // Errors and logs show the URL without its password.
    let shown = settings.database_shown();
    let store = ordo_store::open_with(&settings.database_url, &settings.store())
        .await
        .with_context(|| format!("opening {shown}"))?;
    store
        .migrate()
        .await
        .with_context(|| format!("migrating {shown}"))?;
    Ok(store)
}
