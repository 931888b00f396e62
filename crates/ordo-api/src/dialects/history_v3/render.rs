//! Canonical order → history_v3 JSON: the Order resource of reference 002, its line items,
//! links and the list envelope. Pure: documents and the status dictionary in, structs out.
//!
//! Structs, not `json!`: serde_json's map sorts keys, and the resource should read in the
//! order the reference writes it.

use ordo_model::{Document, Item, Kind, Phase, StatusDictionary};
use serde::Serialize;

/// The status codes of 002's `status` filter, in the order it lists them.
pub(crate) const STATUS_CODES: [&str; 4] = ["1000", "1002", "1004", "1026"];

/// The v3 code of a lifecycle phase.
pub(crate) fn status_code(phase: Phase) -> &'static str {
    match phase {
        Phase::New | Phase::Open | Phase::Ready => "1002",
        Phase::Shipped | Phase::Delivered | Phase::Completed => "1000",
        Phase::Cancelled => "1004",
        Phase::Rejected => "1026",
    }
}

/// The order's `status`: its status through the tenant's dictionary.
pub(crate) fn order_status(order: &Document, dictionary: &StatusDictionary) -> &'static str {
    status_code(dictionary.phase(&order.status_id, &order.status))
}

/// A line's `status`: its own `lineStatusId` through the dictionary (an id the dictionary
/// lacks takes the phase the order's status name suggests), else the order's.
pub(crate) fn line_status(
    order: &Document,
    item: &Item,
    dictionary: &StatusDictionary,
) -> &'static str {
    match &item.ext.status_id {
        Some(id) => status_code(dictionary.phase(id, &order.status)),
        None => order_status(order, dictionary),
    }
}

/// `orderType`: the extension field, `NEW` when absent.
pub(crate) fn order_type(order: &Document) -> &str {
    order.ext.order_type.as_deref().unwrap_or("NEW")
}

/// `referenceOrderId`: the order this one replaces, `""` when none.
pub(crate) fn reference_order_id(order: &Document) -> &str {
    order
        .links
        .replacement_for_order_id
        .as_deref()
        .unwrap_or("")
}

/// A line's `offerId`: the extension field, else the product id.
pub(crate) fn offer_id(item: &Item) -> &str {
    item.ext.offer_id.as_deref().unwrap_or(&item.product_id)
}

/// `{uri, method, headers}`: one link of the resource.
#[derive(Serialize)]
pub(crate) struct Link {
    uri: String,
    method: &'static str,
    headers: [&'static str; 0],
}

impl Link {
    pub(crate) fn get(uri: String) -> Link {
        Link {
            uri,
            method: "GET",
            headers: [],
        }
    }
}

#[derive(Serialize)]
pub(crate) struct Links {
    #[serde(rename = "self")]
    this: Link,
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<Link>,
    #[serde(skip_serializing_if = "Option::is_none")]
    prev: Option<Link>,
}

/// The Order resource.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Order<'a> {
    external_reference_id: &'a str,
    order_id: &'a str,
    customer_id: &'a str,
    order_type: &'a str,
    reference_order_id: &'a str,
    referenced_order_id: &'a str,
    currency_code: &'a str,
    creation_date: String,
    status: &'static str,
    source: &'a str,
    line_items: Vec<LineItem<'a>>,
    links: Links,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LineItem<'a> {
    ext_line_item_number: i64,
    offer_id: &'a str,
    quantity: i64,
    subscription_id: &'a str,
    status: &'static str,
    currency_code: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    deployment_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    promotions: Option<Vec<Promotion<'a>>>,
}

#[derive(Serialize)]
struct Promotion<'a> {
    code: &'a str,
    result: &'a str,
}

/// Renders one order. `replacements` is its derived `replacementOrderIds` (oldest first);
/// `self_uri` the path of the order's own link.
pub(crate) fn order<'a>(
    doc: &'a Document,
    replacements: &'a [String],
    dictionary: &StatusDictionary,
    self_uri: String,
) -> Order<'a> {
    debug_assert_eq!(doc.kind, Kind::Order);
    let line_items = doc
        .items
        .iter()
        .map(|item| LineItem {
            ext_line_item_number: item.line_position,
            offer_id: offer_id(item),
            quantity: item.quantity,
            subscription_id: item.ext.subscription_id.as_deref().unwrap_or(""),
            status: line_status(doc, item, dictionary),
            currency_code: &doc.currency,
            deployment_id: item.ext.deployment_id.as_deref(),
            promotions: (!item.ext.promotions.is_empty()).then(|| {
                item.ext
                    .promotions
                    .iter()
                    .map(|p| Promotion {
                        code: &p.code,
                        result: &p.result,
                    })
                    .collect()
            }),
        })
        .collect();
    Order {
        external_reference_id: doc.ext.external_reference_id.as_deref().unwrap_or(""),
        order_id: &doc.id,
        customer_id: &doc.customer_id,
        order_type: order_type(doc),
        reference_order_id: reference_order_id(doc),
        referenced_order_id: replacements.first().map_or("", String::as_str),
        currency_code: &doc.currency,
        creation_date: doc.created_at.rfc3339(),
        status: order_status(doc, dictionary),
        source: doc.channel.as_deref().unwrap_or(""),
        line_items,
        links: Links {
            this: Link::get(self_uri),
            next: None,
            prev: None,
        },
    }
}

/// The list envelope.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Page<'a> {
    total_count: usize,
    count: usize,
    offset: usize,
    limit: usize,
    items: Vec<Order<'a>>,
    links: Links,
}

/// Where a page sits in the result and the URI of the page at any offset.
pub(crate) struct Window<'q> {
    pub total_count: usize,
    pub offset: usize,
    pub limit: usize,
    pub uri: &'q dyn Fn(usize) -> String,
}

/// The page around `items`: `next` while there is more after it, `prev` when it does not
/// start at 0 (at offset `max(0, offset - limit)`).
pub(crate) fn page<'a>(items: Vec<Order<'a>>, window: &Window<'_>) -> Page<'a> {
    let Window {
        total_count,
        offset,
        limit,
        uri,
    } = *window;
    let next = (offset + limit < total_count).then(|| Link::get(uri(offset + limit)));
    let prev = (offset > 0).then(|| Link::get(uri(offset.saturating_sub(limit))));
    Page {
        total_count,
        count: items.len(),
        offset,
        limit,
        items,
        links: Links {
            this: Link::get(uri(offset)),
            next,
            prev,
        },
    }
}
