//! `ordo`: serve the order history APIs, import and export documents, manage API keys, erase
//! customers.
#![forbid(unsafe_code)]

mod demo;
mod erase;
mod export;
mod import;
mod keys;
mod metrics;
mod serve;
mod settings;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};
use ordo_store::Store;

/// jemalloc rather than glibc's malloc: glibc keeps what each thread frees in that thread's
/// arena (list pages rendered on blocking threads, import batches freed by the writer), which
/// shows as resident memory; jemalloc returns it and is faster at freeing across threads
/// (docs/benchmarks.md has the side-by-side figures). It replaces `malloc` itself, so SQLite's
/// page caches come from it too; `.cargo/config.toml` builds it with one arena and a
/// one-second decay of freed pages.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// `0.1.0 (commit b6c4d52)`: the version and the git commit of this build (build.rs).
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("ORDO_GIT_COMMIT"),
    ")"
);

/// The build, as `/health` and the start-up log line name it.
pub fn build_info() -> ordo_api::BuildInfo {
    ordo_api::BuildInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        commit: env!("ORDO_GIT_COMMIT").to_owned(),
    }
}

#[derive(Parser, Debug)]
#[command(
    name = "ordo",
    version = VERSION,
    about = "Self-hostable customer order history service"
)]
struct Cli {
    /// A TOML file of settings (else the file ORDO_CONFIG names, if any); `ordo config` lists them.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Where documents and keys are kept: sqlite://PATH (a file, created if need be) or
    /// postgres://USER[:PASSWORD]@HOST:PORT/DB[?sslmode=require] [setting database_url;
    /// default sqlite://ordo.db]. May also follow the command.
    #[arg(long, value_name = "URL")]
    database: Option<String>,

    #[command(subcommand)]
    command: Command,
}

/// `--database` after a command that uses the store (`ordo keys list --database URL`);
/// `generate` has none, since it writes a file.
#[derive(Args, Debug, Default)]
struct DatabaseArg {
    /// Where documents and keys are kept: sqlite://PATH (a file, created if need be) or
    /// postgres://USER[:PASSWORD]@HOST:PORT/DB[?sslmode=require] [setting database_url;
    /// default sqlite://ordo.db].
    #[arg(long = "database", global = true, value_name = "URL")]
    url: Option<String>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the HTTP APIs.
    Serve {
        #[command(flatten)]
        args: serve::ServeArgs,
        #[command(flatten)]
        database: DatabaseArg,
    },
    /// Import NDJSON documents, one per line with a "kind" field.
    Import {
        #[command(flatten)]
        args: import::ImportArgs,
        #[command(flatten)]
        database: DatabaseArg,
    },
    /// Export a tenant's documents as NDJSON that imports back to the same documents.
    Export {
        #[command(flatten)]
        args: export::ExportArgs,
        #[command(flatten)]
        database: DatabaseArg,
    },
    /// Create, list and revoke API keys.
    Keys {
        #[command(subcommand)]
        command: keys::KeysCommand,
        #[command(flatten)]
        database: DatabaseArg,
    },
    /// Erase a customer: delete every document of theirs and revoke every key limited to them.
    Erase {
        #[command(flatten)]
        args: erase::EraseArgs,
        #[command(flatten)]
        database: DatabaseArg,
    },
    /// Apply pending schema migrations and name them (every other command applies them too).
    Migrate {
        #[command(flatten)]
        database: DatabaseArg,
    },
    /// Write a generated demo data set as NDJSON (for trials and benchmarks).
    Generate(demo::GenerateArgs),
    /// Print the effective settings as TOML, each with where it came from.
    Config {
        #[command(flatten)]
        database: DatabaseArg,
    },
}

impl Command {
    /// The `--database` given after the command.
    fn database(&self) -> Option<&String> {
        match self {
            Command::Serve { database, .. }
            | Command::Import { database, .. }
            | Command::Export { database, .. }
            | Command::Keys { database, .. }
            | Command::Erase { database, .. }
            | Command::Migrate { database }
            | Command::Config { database } => database.url.as_ref(),
            Command::Generate(_) => None,
        }
    }
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
            self.command.database().or(self.database.as_ref()).cloned(),
        );
        if let Command::Serve { args, .. } = &self.command {
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
        Command::Config { .. } => {
            print!("{}", loaded.to_toml());
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }
    let settings = loaded.settings;
    let (store, applied) = open(&settings).await?;
    match cli.command {
        Command::Serve { args, .. } => serve::serve(store, args, &settings).await,
        Command::Import { args, .. } => import::import(&store, args).await,
        Command::Export { args, .. } => export::export(store.as_ref(), args).await,
        Command::Keys { command, .. } => keys::run(store.as_ref(), command).await,
        Command::Erase { args, .. } => erase::erase(store.as_ref(), args).await,
        Command::Migrate { .. } => {
            let shown = settings.database_shown();
            if applied.is_empty() {
                println!("no migration was pending: {shown} is up to date");
            } else {
                let names: Vec<String> = applied.iter().map(ToString::to_string).collect();
                println!(
                    "applied {} to {shown}: {}",
                    if applied.len() == 1 {
                        "migration"
                    } else {
                        "migrations"
                    },
                    names.join(", ")
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate(_) | Command::Config { .. } => {
            unreachable!("handled before the store is opened")
        }
    }
}

/// Opens the store and applies pending migrations: every command starts on the current schema.
/// Answers the migrations it applied.
async fn open(settings: &settings::Settings) -> anyhow::Result<(Arc<dyn Store>, Vec<i64>)> {
    // Errors and logs show the URL without its password; the store's own errors never
    // repeat the URL.
    let shown = settings.database_shown();
    let store = ordo_store::open_with(&settings.database_url, &settings.store())
        .await
        .map_err(|error| anyhow::anyhow!("cannot open {shown}: {}", one_line(&error)))?;
    let applied = store
        .migrate()
        .await
        .map_err(|error| anyhow::anyhow!("cannot migrate {shown}: {}", one_line(&error)))?;
    Ok((store, applied))
}

/// A store error as one line: an unavailable store's reason as the store words it.
fn one_line(error: &ordo_store::StoreError) -> String {
    match error {
        ordo_store::StoreError::Unavailable(reason) => reason.clone(),
        other => {
            let mut text = other.to_string();
            let mut source = std::error::Error::source(other);
            while let Some(cause) = source {
                text.push_str(": ");
                text.push_str(&cause.to_string());
                source = cause.source();
            }
            text
        }
    }
}
