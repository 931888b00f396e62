//! Wakes this instance's change feed readers when any instance commits a change: one
//! dedicated connection (outside the pool) that `LISTEN`s on `CHANGES_CHANNEL`.

use std::sync::OnceLock;
use std::time::Duration;

use tokio_postgres::tls::MakeTlsConnect;
use tokio_postgres::{AsyncMessage, Config, Socket};

use super::CHANGES_CHANNEL;
use crate::ChangeSignal;
use crate::signal::Signal;

/// How long the listener waits before connecting again after losing its connection.
const RECONNECT: Duration = Duration::from_secs(1);

pub(crate) struct Listener {
    config: Config,
    signal: Signal,
    started: OnceLock<()>,
}

impl Listener {
    pub(crate) fn new(config: Config) -> Listener {
        Listener {
            config,
            signal: Signal::default(),
            started: OnceLock::new(),
        }
    }

    pub(crate) fn signal(&self) -> &Signal {
        &self.signal
    }

    /// A waiter's signal; the first one starts the listening connection (a store that no
    /// one follows holds no extra connection).
    pub(crate) fn subscribe(&self) -> ChangeSignal {
        let receiver = self.signal.subscribe();
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            self.started.get_or_init(|| {
                runtime.spawn(listen(self.config.clone(), self.signal.clone()));
            });
        }
        receiver
    }
}

/// Listens for as long as the runtime runs, connecting again whenever the connection is lost.
async fn listen(config: Config, signal: Signal) {
    loop {
        let result = if config.get_ssl_mode() == tokio_postgres::config::SslMode::Disable {
            listen_once(&config, tokio_postgres::NoTls, &signal).await
        } else {
            listen_once(&config, super::tls(), &signal).await
        };
        // Notifications sent while there was no connection are lost: waiters read again
        // now, and at the end of their wait at the latest.
        signal.notify();
        if let Err(e) = result {
            tracing::warn!(error = %e, "change feed listener lost its connection; reconnecting");
        }
        tokio::time::sleep(RECONNECT).await;
    }
}

async fn listen_once<T>(
    config: &Config,
    tls: T,
    signal: &Signal,
) -> Result<(), tokio_postgres::Error>
where
    T: MakeTlsConnect<Socket>,
    T::Stream: Send + 'static,
{
    let (client, mut connection) = config.connect(tls).await?;
    // The connection delivers notifications only while it is polled, and the LISTEN below
    // completes only while it is: a task of its own polls it.
    let driver_signal = signal.clone();
    let driver = tokio::spawn(async move {
        loop {
            match std::future::poll_fn(|cx| connection.poll_message(cx)).await {
                Some(Ok(AsyncMessage::Notification(_))) => driver_signal.notify(),
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e),
                None => return Ok(()),
            }
        }
    });
    client
        .batch_execute(&format!("LISTEN {CHANGES_CHANNEL}"))
        .await?;
    // Changes committed before the LISTEN took effect notified no one here.
    signal.notify();
    let ended = driver.await;
    drop(client);
    match ended {
        Ok(result) => result,
        Err(_) => Ok(()),
    }
}
