//! `ordo serve`: the HTTP APIs on one address, until SIGTERM or Ctrl-C; requests in flight
//! are finished before the process exits.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::Args;
use ordo_api::AppState;
use ordo_store::Store;
use tokio::net::TcpListener;

use crate::settings::{self, Flag, LogFormat, Settings};

/// The flags of `ordo serve`. Those of settings say only "given or not": their defaults and
/// environment variables are the settings' (crates/ordo/src/settings.rs, `ordo config`).
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on [setting listen; default 127.0.0.1:8080].
    #[arg(long, value_name = "ADDRESS")]
    listen: Option<String>,
    /// Load a generated demo data set, create keys (reused on the next start: their secrets
    /// are kept beside the SQLite file, else in ./ordo-demo.keys) and print example calls.
    #[arg(long)]
    demo: bool,
    /// Customer orders in the demo data set (other kinds in proportion).
    #[arg(long, default_value_t = 2000)]
    demo_orders: usize,
    /// Largest body of PUT /v1/{kind}/{id}, in bytes [setting max_document_bytes].
    #[arg(long, value_name = "BYTES")]
    max_document_bytes: Option<usize>,
    /// Largest body of POST /v1/import, in bytes [setting max_import_bytes].
    #[arg(long, value_name = "BYTES")]
    max_import_bytes: Option<usize>,
    /// Large answers (list pages, relations, dialect pages) read, rendered or being sent at
    /// once: bounds the memory they take; further requests for them wait
    /// [setting max_large_answers].
    #[arg(long, value_name = "COUNT")]
    max_large_answers: Option<usize>,
    /// Seconds to send complete request headers [setting header_timeout; default 10].
    #[arg(long, value_name = "SECONDS")]
    header_timeout: Option<u64>,
    /// Seconds a keep-alive connection may stay idle [setting idle_timeout; default 60].
    #[arg(long, value_name = "SECONDS")]
    idle_timeout: Option<u64>,
    /// Seconds for a request body to arrive whole, else 408 [setting body_timeout; default 60].
    #[arg(long, value_name = "SECONDS")]
    body_timeout: Option<u64>,
    /// Seconds for a client to read an answer [setting send_timeout; default 30].
    #[arg(long, value_name = "SECONDS")]
    send_timeout: Option<u64>,
    /// Seconds a graceful stop waits for requests in progress [setting shutdown_timeout;
    /// default 30].
    #[arg(long, value_name = "SECONDS")]
    shutdown_timeout: Option<u64>,
    /// Connections open at once [setting max_connections; default 0: the open-file limit
    /// less a reserve].
    #[arg(long, value_name = "COUNT")]
    max_connections: Option<usize>,
    /// Requests per second of keys without a rate of their own [setting key_rate_limit;
    /// default 0: unlimited].
    #[arg(long, value_name = "PER_SECOND")]
    key_rate_limit: Option<u32>,
    /// Imports running at once on this instance, one per tenant [setting max_imports;
    /// default 2].
    #[arg(long, value_name = "COUNT")]
    max_imports: Option<usize>,
    /// Publish every change to this NATS JetStream server, nats://HOST:PORT
    /// [setting events_nats; default none].
    #[arg(long, value_name = "URL")]
    events_nats: Option<String>,
    /// Allow webhooks to loopback, private and link-local addresses, and over http://
    /// [setting webhooks_allow_private].
    #[arg(long)]
    webhooks_allow_private: bool,
    /// Origins whose browser pages may call ordo (CORS), comma-separated:
    /// https://shop.example,https://www.shop.example [setting cors_origins; default none: CORS
    /// off].
    #[arg(long, value_name = "ORIGINS")]
    cors_origins: Option<String>,
    /// Serve GET /metrics on this address instead of on --listen; `off`: no metrics
    /// [setting metrics_listen; default none: /metrics on --listen].
    #[arg(long, value_name = "ADDRESS")]
    metrics_listen: Option<String>,
}

impl ServeArgs {
    /// The settings these flags give.
    pub fn flags(&self, flags: &mut Vec<Flag>) {
        use settings::flag;
        flag(flags, "listen", "--listen", self.listen.clone());
        let document = self.max_document_bytes;
        flag(
            flags,
            "max_document_bytes",
            "--max-document-bytes",
            document,
        );
        let import = self.max_import_bytes;
        flag(flags, "max_import_bytes", "--max-import-bytes", import);
        let answers = self.max_large_answers;
        flag(flags, "max_large_answers", "--max-large-answers", answers);
        flag(
            flags,
            "header_timeout",
            "--header-timeout",
            self.header_timeout,
        );
        flag(flags, "idle_timeout", "--idle-timeout", self.idle_timeout);
        flag(flags, "body_timeout", "--body-timeout", self.body_timeout);
        flag(flags, "send_timeout", "--send-timeout", self.send_timeout);
        let shutdown = self.shutdown_timeout;
        flag(flags, "shutdown_timeout", "--shutdown-timeout", shutdown);
        let connections = self.max_connections;
        flag(flags, "max_connections", "--max-connections", connections);
        flag(
            flags,
            "key_rate_limit",
            "--key-rate-limit",
            self.key_rate_limit,
        );
        flag(flags, "max_imports", "--max-imports", self.max_imports);
        flag(
            flags,
            "events_nats",
            "--events-nats",
            self.events_nats.clone(),
        );
        let private = self.webhooks_allow_private.then_some(true);
        flag(
            flags,
            "webhooks_allow_private",
            "--webhooks-allow-private",
            private,
        );
        let origins = self.cors_origins.clone();
        flag(flags, "cors_origins", "--cors-origins", origins);
        let metrics = self.metrics_listen.clone();
        flag(flags, "metrics_listen", "--metrics-listen", metrics);
    }
}

/// Logs to standard error, filtered and formatted as the settings say.
pub fn init_tracing(settings: &Settings) -> anyhow::Result<()> {
    let filter = tracing_subscriber::EnvFilter::try_new(&settings.log)
        .with_context(|| format!("setting log: `{}` is not a log filter", settings.log))?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    match settings.log_format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
    Ok(())
}

pub async fn serve(
    store: Arc<dyn Store>,
    args: ServeArgs,
    settings: &Settings,
) -> anyhow::Result<ExitCode> {
    let listen = &settings.listen;
    let listener = TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let address = listener.local_addr()?;
    if args.demo {
        let keys_file = crate::demo::keys_file(&settings.database_url);
        let address = address.to_string();
        crate::demo::load(store.as_ref(), args.demo_orders, &address, &keys_file).await?;
    }
    // The relays run as long as the server; dropping them stops them.
    let timing = ordo_events::Timing::standard();
    let nats = settings
        .nats()
        .map(|config| ordo_events::nats::start(Arc::clone(&store), config, timing.clone()));
    let webhooks = ordo_events::webhooks::WebhookConfig::standard(settings.webhooks_allow_private);
    let webhooks = ordo_events::webhooks::start(Arc::clone(&store), webhooks, timing);
    let state = AppState::new(store, settings.api());
    let metrics = crate::metrics::listen(&settings.metrics_listen, state.clone()).await?;
    let app = ordo_api::router(state);
    let limits = settings.server();
    let database = settings.database_shown();
    let build = crate::build_info();
    tracing::info!(
        %address,
        database,
        version = build.version,
        commit = build.commit,
        max_connections = limits.max_connections,
        "ordo serving"
    );
    ordo_api::server::serve(listener, app, limits, shutdown()).await;
    // Their leases given up, other instances take the tenants over at once.
    if let Some(nats) = nats {
        nats.stop().await;
    }
    webhooks.stop().await;
    if let Some(metrics) = metrics {
        metrics.abort();
    }
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
