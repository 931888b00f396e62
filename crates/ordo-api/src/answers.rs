//! A bound on the large answers in flight: list pages, a customer's relations and the
//! dialects' pages, each up to a few MiB of rows and as much again rendered.
//!
//! Without it, memory grows with the connections: at 256 connections asking for a customer's
//! relations, every rendered answer waits in memory until its client reads it (hundreds of
//! MiB). A request of these routes takes one of `max_large_answers` slots before it reads the
//! store and gives it back once its answer has been handed to the socket, so that rows, the
//! rendered answer and its unsent bytes are held for that many answers at most. Waiting for a
//! slot costs nothing while the cores are busy rendering other answers.
//!
//! A client that stops reading would keep its slot for as long as it holds the connection;
//! a slot is therefore given back after `SLOT_HELD_AT_MOST` whatever the answer's state, so
//! such clients can delay others by that much, never block them. And no caller holds more
//! than half of the slots: a caller is its credential (the secret it presents, whatever the
//! header), known before authentication runs, so one key's requests queue behind each other
//! while other keys' requests take the other half.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use http_body::{Frame, SizeHint};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};

use crate::AppState;

/// Longest time one answer keeps its slot.
const SLOT_HELD_AT_MOST: Duration = Duration::from_secs(5);

/// The body is handed out in pieces of this size: hyper asks for the next one only once it
/// has room to buffer it, so the slot is held until at most a few pieces remain unsent.
const PIECE: usize = 64 << 10;

/// The slots of large answers, and each caller's share of them.
#[derive(Clone)]
pub(crate) struct AnswerSlots(Arc<Slots>);

struct Slots {
    all: Arc<Semaphore>,
    /// Slots one caller may hold at once: half of them (at least one).
    per_caller: usize,
    /// Each caller with a slot taken or awaited, with its own share.
    callers: Mutex<HashMap<String, Arc<Semaphore>>>,
}

impl AnswerSlots {
    pub(crate) fn new(slots: usize) -> AnswerSlots {
        let slots = slots.max(1);
        AnswerSlots(Arc::new(Slots {
            all: Arc::new(Semaphore::new(slots)),
            per_caller: (slots / 2).max(1),
            callers: Mutex::new(HashMap::new()),
        }))
    }

    fn callers(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Semaphore>>> {
        self.0
            .callers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    async fn take(&self, caller: &str) -> Slot {
        let share = Arc::clone(
            self.callers()
                .entry(caller.to_owned())
                .or_insert_with(|| Arc::new(Semaphore::new(self.0.per_caller))),
        );
        let own = Arc::clone(&share)
            .acquire_owned()
            .await
            .expect("the semaphore is never closed");
        let permit = Arc::clone(&self.0.all)
            .acquire_owned()
            .await
            .expect("the semaphore is never closed");
        // The permits live in a task that gives them back when the answer is sent (its sender
        // dropped) or when time is up, whichever comes first.
        let (done, sent) = oneshot::channel::<()>();
        tokio::spawn(hold(
            self.clone(),
            caller.to_owned(),
            share,
            (own, permit),
            sent,
        ));
        Slot { _sent: done }
    }
}

async fn hold(
    slots: AnswerSlots,
    caller: String,
    share: Arc<Semaphore>,
    permits: (OwnedSemaphorePermit, OwnedSemaphorePermit),
    sent: oneshot::Receiver<()>,
) {
    let _ = tokio::time::timeout(SLOT_HELD_AT_MOST, sent).await;
    drop(permits);
    // A caller with nothing taken or awaited is forgotten (the map holds the last handle).
    let mut callers = slots.callers();
    drop(share);
    if callers
        .get(&caller)
        .is_some_and(|s| Arc::strong_count(s) == 1)
    {
        callers.remove(&caller);
    }
}

/// Who is asking, as far as sharing the slots goes: the secret presented, in whichever
/// header the surface reads it, with the `Authorization` scheme left out.
fn caller_of(headers: &HeaderMap) -> String {
    let value = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(authorization) = value("authorization") {
        let token = authorization
            .split_once(' ')
            .map_or(authorization, |(_, token)| token);
        return token.trim().to_owned();
    }
    ["x-access-token", "x-customer-key", "x-api-key"]
        .into_iter()
        .find_map(value)
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// A slot taken; dropping it gives the slot back.
struct Slot {
    _sent: oneshot::Sender<()>,
}

/// Middleware of the large-answer routes: a slot from before the handler runs until its
/// answer has been handed to the socket.
pub(crate) async fn bound(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let slot = state.answers.take(&caller_of(request.headers())).await;
    next.run(request).await.map(|body| {
        Body::new(Sending {
            body,
            pending: Bytes::new(),
            slot: Some(slot),
        })
    })
}

/// An answer's body that keeps its slot until its last piece has been taken.
struct Sending {
    body: Body,
    /// What is left of the body's last data frame.
    pending: Bytes,
    slot: Option<Slot>,
}

impl HttpBody for Sending {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = self.get_mut();
        if this.pending.is_empty() {
            match Pin::new(&mut this.body).poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => match frame.into_data() {
                    Ok(data) => this.pending = data,
                    Err(trailers) => return Poll::Ready(Some(Ok(trailers))),
                },
                Poll::Ready(None) => {
                    this.slot = None;
                    return Poll::Ready(None);
                }
                other => return other,
            }
        }
        let piece = this.pending.split_to(this.pending.len().min(PIECE));
        if this.pending.is_empty() && this.body.is_end_stream() {
            this.slot = None;
        }
        Poll::Ready(Some(Ok(Frame::data(piece))))
    }

    fn is_end_stream(&self) -> bool {
        self.pending.is_empty() && self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        let inner = self.body.size_hint();
        let pending = self.pending.len() as u64;
        let mut hint = SizeHint::new();
        hint.set_lower(inner.lower() + pending);
        if let Some(upper) = inner.upper() {
            hint.set_upper(upper + pending);
        }
        hint
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn collect(body: Sending) -> (Vec<usize>, Vec<u8>) {
        let mut body = std::pin::pin!(body);
        let mut sizes = Vec::new();
        let mut bytes = Vec::new();
        while let Some(frame) = std::future::poll_fn(|cx| body.as_mut().poll_frame(cx)).await {
            let data = frame.unwrap().into_data().unwrap();
            sizes.push(data.len());
            bytes.extend_from_slice(&data);
        }
        (sizes, bytes)
    }

    #[tokio::test]
    async fn an_answer_is_sent_whole_in_pieces_and_gives_its_slot_back() {
        let slots = AnswerSlots::new(1);
        let answer: Vec<u8> = (0..PIECE * 2 + 10).map(|i| (i % 251) as u8).collect();
        let body = Sending {
            body: Body::from(answer.clone()),
            pending: Bytes::new(),
            slot: Some(slots.take("k").await),
        };
        assert_eq!(body.size_hint().exact(), Some(answer.len() as u64));
        // The one slot is taken until the answer has been handed out.
        assert_eq!(slots.0.all.available_permits(), 0);
        let (sizes, bytes) = collect(body).await;
        assert_eq!(sizes, vec![PIECE, PIECE, 10]);
        assert_eq!(bytes, answer);
        tokio::time::timeout(Duration::from_secs(1), slots.take("k"))
            .await
            .expect("the slot is given back once the answer is sent");
    }

    #[tokio::test(start_paused = true)]
    async fn a_slot_is_given_back_in_time_even_if_the_answer_is_never_read() {
        let slots = AnswerSlots::new(1);
        let _stuck = slots.take("k").await;
        let next = tokio::time::timeout(SLOT_HELD_AT_MOST * 2, slots.take("k")).await;
        assert!(
            next.is_ok(),
            "a stuck answer keeps its slot at most {SLOT_HELD_AT_MOST:?}"
        );
    }

    #[tokio::test]
    async fn one_caller_holds_at_most_half_of_the_slots() {
        let slots = AnswerSlots::new(8);
        let mut greedy = Vec::new();
        for _ in 0..4 {
            greedy.push(slots.take("greedy").await);
        }
        let fifth = tokio::time::timeout(Duration::from_millis(50), slots.take("greedy")).await;
        assert!(
            fifth.is_err(),
            "a fifth slot of eight went to the same caller"
        );
        for _ in 0..4 {
            tokio::time::timeout(Duration::from_millis(50), slots.take("polite"))
                .await
                .expect("another caller takes the other half at once");
        }
    }

    #[test]
    fn a_caller_is_its_secret_whatever_the_header_or_scheme() {
        let headers = |name: &'static str, value: &'static str| {
            let mut map = HeaderMap::new();
            map.insert(name, value.parse().unwrap());
            map
        };
        let bearer = caller_of(&headers("authorization", "Bearer s1"));
        assert_eq!(bearer, caller_of(&headers("authorization", "bEaReR s1")));
        assert_eq!(bearer, caller_of(&headers("x-access-token", "s1")));
        assert_eq!(bearer, caller_of(&headers("x-customer-key", "s1")));
        assert_ne!(bearer, caller_of(&headers("x-customer-key", "s2")));
    }
}
