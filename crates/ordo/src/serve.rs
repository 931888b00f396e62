//! `ordo serve`: the HTTP APIs on one address, until SIGTERM or Ctrl-C; requests in flight
//! are finished before the process exits.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::Args;
use ordo_api::{ApiConfig, AppState};
use ordo_store::Store;
use tokio::net::TcpListener;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "ORDO_LISTEN", default_value = "127.0.0.1:8080")]
    listen: String,
    /// Load a generated demo data set, create a key and print example calls.
    #[arg(long)]
    demo: bool,
    /// Customer orders in the demo data set (other kinds in proportion).
    #[arg(long, default_value_t = 2000)]
    demo_orders: usize,
    /// Largest body of PUT /v1/{kind}/{id}, in bytes.
    #[arg(long, env = "ORDO_MAX_DOCUMENT_BYTES", default_value_t = 1 << 20)]
    max_document_bytes: usize,
    /// Largest body of POST /v1/import, in bytes.
    #[arg(long, env = "ORDO_MAX_IMPORT_BYTES", default_value_t = 64 << 20)]
    max_import_bytes: usize,
    /// Large answers (list pages, relations, dialect pages) read, rendered or being sent at
    /// once: bounds the memory they take; further requests for them wait.
    #[arg(long, env = "ORDO_MAX_LARGE_ANSWERS", default_value_t = 8)]
    max_large_answers: usize,
}

pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("ORDO_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    if std::env::var("ORDO_LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

pub async fn serve(
    store: Arc<dyn Store>,
    args: ServeArgs,
    database: &str,
) -> anyhow::Result<ExitCode> {
    let listener = TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let address = listener.local_addr()?;
    if args.demo {
        crate::demo::load(store.as_ref(), args.demo_orders, &address.to_string()).await?;
    }
    let config = ApiConfig {
        max_document_bytes: args.max_document_bytes,
        max_import_bytes: args.max_import_bytes,
        max_large_answers: args.max_large_answers,
    };
    let app = ordo_api::router(AppState::new(store, config));
    tracing::info!(%address, database, "ordo serving");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown())
        .await?;
    tracing::info!("ordo stopped");
    Ok(ExitCode::SUCCESS)
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
