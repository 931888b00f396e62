//! Why a PostgreSQL connection could not be had, in one line an operator can act on: the
//! server's address that refused, the role that failed to authenticate, the database that does
//! not exist, the TLS handshake that failed. Never the password: only host, port, role and
//! database of the URL are named.

use std::error::Error as _;

use deadpool_postgres::PoolError;
use tokio_postgres::error::SqlState;

/// What a failed connection is explained with: the URL's parts, without its password.
#[derive(Clone, Debug)]
pub(crate) struct Target {
    pub address: String,
    pub role: String,
    pub database: String,
}

impl Target {
    pub(crate) fn of(config: &tokio_postgres::Config) -> Target {
        let host = config.get_hosts().first().map_or_else(
            || "localhost".to_owned(),
            |host| match host {
                tokio_postgres::config::Host::Tcp(name) => name.clone(),
                #[cfg(unix)]
                tokio_postgres::config::Host::Unix(path) => path.display().to_string(),
            },
        );
        let port = config.get_ports().first().copied().unwrap_or(5432);
        let role = config.get_user().unwrap_or("(none)").to_owned();
        let database = config.get_dbname().unwrap_or(&role).to_owned();
        Target {
            address: format!("{host}:{port}"),
            role,
            database,
        }
    }

    /// `error`, from taking a connection of the pool, as one line.
    pub(crate) fn explain_pool(&self, error: &PoolError) -> String {
        match error {
            PoolError::Backend(error) => self.explain(error),
            PoolError::Timeout(_) => format!(
                "no PostgreSQL connection to {} within the pool's timeout",
                self.address
            ),
            other => format!("no PostgreSQL connection: {other}"),
        }
    }

    /// A connection's `error` as one line.
    pub(crate) fn explain(&self, error: &tokio_postgres::Error) -> String {
        if let Some(db) = error.as_db_error() {
            let code = db.code();
            if *code == SqlState::INVALID_PASSWORD
                || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
            {
                return format!(
                    "authentication failed for role \"{}\" at {}: {}",
                    self.role,
                    self.address,
                    db.message()
                );
            }
            if *code == SqlState::INVALID_CATALOG_NAME {
                return format!(
                    "database \"{}\" does not exist at {}",
                    self.database, self.address
                );
            }
            return format!(
                "PostgreSQL at {} refused: {} (SQLSTATE {})",
                self.address,
                db.message(),
                code.code()
            );
        }
        let mut source = error.source();
        while let Some(cause) = source {
            if let Some(io) = cause.downcast_ref::<std::io::Error>() {
                return match io.kind() {
                    std::io::ErrorKind::ConnectionRefused => {
                        format!(
                            "connection refused by {} (is PostgreSQL running there?)",
                            self.address
                        )
                    }
                    std::io::ErrorKind::TimedOut => {
                        format!("connection to {} timed out", self.address)
                    }
                    _ if is_tls(error) => format!("TLS failure with {}: {io}", self.address),
                    _ => format!("cannot connect to {}: {io}", self.address),
                };
            }
            source = cause.source();
        }
        if is_tls(error) {
            return format!("TLS failure with {}: {}", self.address, chain(error));
        }
        format!("PostgreSQL at {}: {}", self.address, chain(error))
    }
}

/// tokio-postgres says "TLS" in the errors of a handshake (and when the server offers none).
fn is_tls(error: &tokio_postgres::Error) -> bool {
    chain(error).contains("TLS")
}

/// An error and its causes, on one line.
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let more = cause.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = cause.source();
    }
    text.replace('\n', " ")
}
