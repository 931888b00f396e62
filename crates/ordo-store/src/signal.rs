//! Wake-ups for readers of the change feed: a counter bumped after every commit that may
//! have changed a feed, which waiting requests watch.

use tokio::sync::watch;

/// The sending half, kept by a store.
#[derive(Clone, Debug)]
pub(crate) struct Signal {
    sender: watch::Sender<u64>,
}

impl Default for Signal {
    fn default() -> Signal {
        Signal {
            sender: watch::channel(0).0,
        }
    }
}

impl Signal {
    /// Wakes every waiter: something committed.
    pub(crate) fn notify(&self) {
        self.sender.send_modify(|n| *n = n.wrapping_add(1));
    }

    pub(crate) fn subscribe(&self) -> ChangeSignal {
        ChangeSignal {
            receiver: self.sender.subscribe(),
        }
    }
}

/// A waiter's end. Take it *before* reading the feed: a commit after it was taken wakes
/// `changed`, so a commit between the read and the wait is never missed.
#[derive(Debug)]
pub struct ChangeSignal {
    receiver: watch::Receiver<u64>,
}

impl ChangeSignal {
    /// Waits until something commits after this signal was taken or last woke.
    pub async fn changed(&mut self) {
        if self.receiver.changed().await.is_err() {
            // The store is gone: nothing will ever commit again.
            std::future::pending::<()>().await;
        }
    }
}
