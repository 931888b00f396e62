//! `GET /v1/customer/{customerId}/relations`: every document of one customer, by kind
//! (reference 000). A kind with no documents is `null`; a customer with none is a 404.

use std::pin::Pin;
use std::task::{Context, Poll, ready};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use http_body::Frame;
use ordo_model::{Kind, render_v1};
use ordo_store::{DocBatches, StoredDoc};

use super::OnePath;
use crate::{ApiError, AppState, Caller};

pub(crate) const SCOPE: &str = "customers:relations";

#[utoipa::path(
    get,
    path = "/v1/customer/{customerId}/relations",
    operation_id = "customerRelations",
    tag = "v1",
    summary = "Every document of one customer, by kind",
    description = "Scope `customers:relations`. The kinds come in one fixed order: quotas, \
        orders, returns, vendorQuotas, vendorOrders, vendorReturns.",
    params(("customerId" = String, Path, description = "The customer's id.")),
    security(("bearer" = ["customers:relations"]), ("apiKey" = ["customers:relations"])),
    responses(
        (status = 200, description = "The customer's documents.",
            body = crate::openapi::RelationsPayload),
        (status = 403, description = "The key lacks `customers:relations`.",
            body = crate::openapi::ErrorBody),
        (status = 404, description = "No document of this customer that the key may see: \
            unknown, another tenant's, or not the key's customer.",
            body = crate::openapi::ErrorBody),
    ),
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn relations(
    State(state): State<AppState>,
    caller: Caller,
    OnePath(customer_id): OnePath,
) -> Result<Response, ApiError> {
    caller.require(SCOPE)?;
    let mut batches = state
        .store
        .customer_document_batches(caller.scope(), &customer_id)
        .await?;
    let Some(first) = batches.next().await else {
        return Err(ApiError::NotFound(format!(
            "customer {customer_id:?} not found"
        )));
    };
    let first = first?;
    let mut answer = Answer::new(&customer_id);
    let mut head = answer.start();
    answer.add(&mut head, &first);
    let body = Streamed {
        head: Some(Bytes::from(head)),
        batches,
        answer: Some(answer),
    };
    let mut response = Response::new(Body::new(body));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(response)
}

/// The answer's JSON as its documents arrive: they come grouped by kind in the order of
/// `Kind::ALL`, so each kind is one array, opened at its first document; a kind with none is
/// `null`.
struct Answer {
    customer_json: Vec<u8>,
    /// Kinds written so far (their array, or `null`).
    kinds_done: usize,
    /// Whether the last of those is an array still open.
    open: bool,
}

impl Answer {
    fn new(customer_id: &str) -> Answer {
        let customer_json = serde_json::to_vec(customer_id).expect("a string serialises");
        Answer {
            customer_json,
            kinds_done: 0,
            open: false,
        }
    }

    fn start(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 + self.customer_json.len());
        out.extend_from_slice(b"{\"payload\":{\"customerId\":");
        out.extend_from_slice(&self.customer_json);
        out.extend_from_slice(b",\"orderEntities\":{");
        out
    }

    fn add(&mut self, out: &mut Vec<u8>, docs: &[StoredDoc]) {
        out.reserve(docs.iter().map(|d| d.body.len() + 64).sum::<usize>());
        for doc in docs {
            let at = Kind::ALL
                .iter()
                .position(|&k| k == doc.kind)
                .expect("every kind is in Kind::ALL");
            if self.open && at + 1 == self.kinds_done {
                out.push(b',');
            } else {
                // The store sends kinds in order: this one is after every kind written.
                self.close_until(out, at);
                self.key(out, doc.kind);
                out.push(b'[');
                self.open = true;
            }
            render_v1(out, doc.kind, &doc.body, &doc.derived);
        }
    }

    fn finish(&mut self, out: &mut Vec<u8>) {
        self.close_until(out, Kind::ALL.len());
        out.extend_from_slice(b"}}}");
    }

    /// Closes the open array and writes `null` for each kind before `Kind::ALL[at]`.
    fn close_until(&mut self, out: &mut Vec<u8>, at: usize) {
        if self.open {
            out.push(b']');
            self.open = false;
        }
        while self.kinds_done < at {
            self.key(out, Kind::ALL[self.kinds_done]);
            out.extend_from_slice(b"null");
        }
    }

    fn key(&mut self, out: &mut Vec<u8>, kind: Kind) {
        if self.kinds_done > 0 {
            out.push(b',');
        }
        out.push(b'"');
        out.extend_from_slice(kind.relations_key().as_bytes());
        out.extend_from_slice(b"\":");
        self.kinds_done += 1;
    }
}

/// The answer's body: its head, then each further batch rendered as the client takes the
/// one before, then its end. A store error after the head has gone out can only cut the
/// answer short: the connection is closed, and the error logged.
struct Streamed {
    head: Option<Bytes>,
    batches: DocBatches,
    /// `None` once the end is written.
    answer: Option<Answer>,
}

impl HttpBody for Streamed {
    type Data = Bytes;
    type Error = ApiError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, ApiError>>> {
        let this = self.get_mut();
        if let Some(head) = this.head.take() {
            return Poll::Ready(Some(Ok(Frame::data(head))));
        }
        let Some(answer) = this.answer.as_mut() else {
            return Poll::Ready(None);
        };
        let mut out = Vec::new();
        match ready!(this.batches.poll_next(cx)) {
            Some(Ok(batch)) => answer.add(&mut out, &batch),
            Some(Err(e)) => {
                this.answer = None;
                tracing::error!(error = %e, "relations answer cut short");
                return Poll::Ready(Some(Err(e.into())));
            }
            None => {
                answer.finish(&mut out);
                this.answer = None;
            }
        }
        Poll::Ready(Some(Ok(Frame::data(Bytes::from(out)))))
    }

    fn is_end_stream(&self) -> bool {
        self.head.is_none() && self.answer.is_none()
    }
}
