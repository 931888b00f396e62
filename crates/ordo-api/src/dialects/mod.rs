//! The compatibility dialects: other order-history APIs served from the same canonical
//! documents. Each folder is self-contained (query mapping, rendering, its own error
//! envelope); this module only mounts them and holds what they all read the store with.

pub(crate) mod customer_orders_v2;
pub(crate) mod history_v3;
pub(crate) mod storefront_v10;

use std::marker::PhantomData;
use std::sync::Arc;

use axum::middleware;
use ordo_model::{Document, Kind, StatusDictionary};
use ordo_store::{DocKey, Pick, Picked, Scope, StoreError, StoredDoc};

use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};

use crate::openapi::shared::{self, Answers};
use crate::openapi::with_twin;
use crate::surface::{Failure, Surface};
use crate::{ApiError, AppState, answers};

/// Every dialect's routes with their descriptions, one line each. Their answers are pages:
/// each waits for a large-answer slot (`answers.rs`).
pub(crate) fn routes(state: &AppState) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(history_v3::routes())
        .merge(customer_orders_v2::routes())
        .merge(storefront_v10::routes())
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            answers::bound,
        ))
}

/// A dialect's router as it is put together: its own description, then its routes, each
/// answering a method it does not serve in the dialect's envelope `S` rather than v1's (axum
/// adds the `Allow` header of the methods it does serve).
pub(crate) struct DialectRouter<S> {
    router: OpenApiRouter<AppState>,
    surface: PhantomData<S>,
}

impl<S: Surface> DialectRouter<S> {
    pub(crate) fn new(doc: utoipa::openapi::OpenApi) -> Self {
        DialectRouter {
            router: OpenApiRouter::with_openapi(doc),
            surface: PhantomData,
        }
    }

    pub(crate) fn route(mut self, route: UtoipaMethodRouter<AppState>) -> Self {
        self.router = self.router.routes(refusing_other_methods::<S>(route));
        self
    }

    /// `route` at its documented path and at `twin` (`openapi::with_twin`).
    pub(crate) fn route_with_twin(
        mut self,
        route: UtoipaMethodRouter<AppState>,
        twin: &str,
        twin_operation: &str,
    ) -> Self {
        let route = refusing_other_methods::<S>(route);
        self.router = with_twin(self.router, route, twin, twin_operation);
        self
    }

    /// The router, with the answers every surface shares described in `S`'s envelope.
    pub(crate) fn finish(mut self, answers: &Answers) -> OpenApiRouter<AppState> {
        shared::add::<S>(self.router.get_openapi_mut(), answers);
        self.router
    }
}

fn refusing_other_methods<S: Surface>(
    (schemas, paths, route): UtoipaMethodRouter<AppState>,
) -> UtoipaMethodRouter<AppState> {
    let refuse = || async { Failure::<S>::new(ApiError::MethodNotAllowed) };
    (schemas, paths, route.fallback(refuse))
}

/// A stored document read back into the canonical form, with its derived link lists.
#[derive(Clone)]
pub(crate) struct Loaded {
    pub stored: StoredDoc,
    pub document: Document,
}

/// The documents of one customer of the `kinds` a dialect renders (in that order, each oldest
/// first), read back, and the tenant's status dictionary: what each dialect renders from.
pub(crate) async fn customer_documents(
    state: &AppState,
    scope: Scope<'_>,
    customer_id: &str,
    kinds: &[Kind],
) -> Result<(Vec<Loaded>, Arc<StatusDictionary>), StoreError> {
    // A customer id that breaks the id rules (a `/`, a control character, U+0000...) names
    // no customer on either store: it has no documents, and no store is asked for them.
    let stored = match ordo_model::ingest::id_problem(customer_id) {
        None => {
            state
                .store
                .customer_documents_of(scope, customer_id, kinds)
                .await?
        }
        Some(_) => Vec::new(),
    };
    let dictionary = state.store.status_dictionary(scope.key_checked()).await?;
    Ok((read_back(stored)?, dictionary))
}

/// A page of a customer's documents of one kind, chosen by `pick` from their keys (the
/// customer index: no body is read but the page's).
pub(crate) struct Page {
    pub loaded: Vec<Loaded>,
    /// How many matched, as `pick` counted them.
    pub total: usize,
    /// How many documents of the kind the customer has.
    pub all: usize,
}

/// The page `pick` chooses among a customer's documents of `kind`, read back, and the
/// tenant's status dictionary.
pub(crate) async fn customer_page(
    state: &AppState,
    scope: Scope<'_>,
    customer_id: &str,
    kind: Kind,
    pick: Pick,
) -> Result<(Page, Arc<StatusDictionary>), StoreError> {
    let picked = match ordo_model::ingest::id_problem(customer_id) {
        None => {
            state
                .store
                .customer_pick(scope, customer_id, kind, pick)
                .await?
        }
        Some(_) => Picked::default(),
    };
    let dictionary = state.store.status_dictionary(scope.key_checked()).await?;
    let page = Page {
        loaded: read_back(picked.docs)?,
        total: picked.total,
        all: picked.all,
    };
    Ok((page, dictionary))
}

/// Documents of `kind` by id (related documents a page needs), read back.
pub(crate) async fn documents(
    state: &AppState,
    scope: Scope<'_>,
    kind: Kind,
    ids: &[String],
) -> Result<Vec<Loaded>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    read_back(state.store.get_many(scope.key_checked(), kind, ids).await?)
}

/// Stored documents read back into the canonical form.
fn read_back(stored: Vec<StoredDoc>) -> Result<Vec<Loaded>, StoreError> {
    stored
        .into_iter()
        .map(|doc| {
            let document = Document::from_stored(doc.kind, &doc.body).map_err(|problems| {
                let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
                unreadable(&doc, text.join("; "))
            })?;
            Ok(Loaded {
                stored: doc,
                document,
            })
        })
        .collect()
}

/// A stored body that does not read back, and why: our bug, not an outage (a 500).
pub(crate) fn unreadable(doc: &StoredDoc, why: impl std::fmt::Display) -> StoreError {
    StoreError::backend(std::io::Error::other(format!(
        "stored {} {} unreadable: {why}",
        doc.kind, doc.id
    )))
}

/// Newest first: `createdAt`, then id, both descending (history_v3 and customer_orders_v2).
pub(crate) fn newest_first(a: &DocKey, b: &DocKey) -> std::cmp::Ordering {
    (b.created_at, &b.id).cmp(&(a.created_at, &a.id))
}

/// [`newest_first`] of documents read back (the filtered paths, which sort in memory).
pub(crate) fn newest_loaded_first(a: &Loaded, b: &Loaded) -> std::cmp::Ordering {
    let (a, b) = (&a.document, &b.document);
    (b.created_at, &b.id).cmp(&(a.created_at, &a.id))
}

/// Whether the customer has any document in the scope, of any kind: read from the customer
/// index alone (no body), kind by kind until one is found.
pub(crate) async fn customer_known(
    state: &AppState,
    scope: Scope<'_>,
    customer_id: &str,
) -> Result<bool, StoreError> {
    if ordo_model::ingest::id_problem(customer_id).is_some() {
        return Ok(false);
    }
    for kind in Kind::ALL {
        let none: Pick = Box::new(|keys| (Vec::new(), keys.len()));
        let picked = state
            .store
            .customer_pick(scope.key_checked(), customer_id, kind, none)
            .await?;
        if picked.all > 0 {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The ids of one of a stored document's derived link lists (`returnIds`, ...).
pub(crate) fn derived_ids<'a>(stored: &'a StoredDoc, list: &str) -> &'a [String] {
    stored
        .kind
        .derived_lists()
        .iter()
        .position(|(name, _)| *name == list)
        .and_then(|slot| stored.derived.lists.get(slot))
        .map_or(&[], Vec::as_slice)
}

/// The documents of one kind among `loaded`.
pub(crate) fn of_kind(loaded: &[Loaded], kind: Kind) -> impl Iterator<Item = &Loaded> {
    loaded.iter().filter(move |l| l.stored.kind == kind)
}

/// A UUID that stays the same for the same parts (a name-based UUID, version 5): dialects
/// whose clients expect UUIDs get stable ones for ids that are not.
pub(crate) fn stable_uuid(parts: &[&str]) -> uuid::Uuid {
    uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        format!("ordo:{}", parts.join("/")).as_bytes(),
    )
}

/// A positive integer for an id, for dialects whose ids are integers: the id itself when it
/// is one (1 ..= 2^53 - 1, exact in every JSON reader), else a stable 53-bit hash of it.
pub(crate) fn stable_int(id: &str) -> u64 {
    const MAX: u64 = (1 << 53) - 1;
    match id.parse::<u64>() {
        Ok(n) if (1..=MAX).contains(&n) && !id.starts_with('0') => n,
        _ => {
            let digest = sha_prefix(id);
            (digest & MAX).max(1)
        }
    }
}

fn sha_prefix(text: &str) -> u64 {
    let hash = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, text.as_bytes());
    u64::from_be_bytes(hash.as_bytes()[..8].try_into().expect("16 bytes"))
}
