//! Turns a JSON value into a canonical [`Document`], or into every problem it has.
//!
//! The same reader serves `PUT /v1/{kind}/{id}`, `POST /v1/import` and `ordo import`, so a
//! document is held to the same rules whichever way it comes in.

mod extensions;
pub(crate) mod reader;

use crate::document::{PAYMENT_TYPES, SHIPPING_TYPES};
use crate::json::Json;
use crate::{
    ActionTypeCode, Address, Document, Item, Kind, LinkField, Links, Note, Payment, PaymentMethod,
    Shipment, ShipmentPackage, Timestamp, UnitOfMeasure, User, ValidationError,
};
use reader::{ObjReader, UNBOUNDED};

/// What the way in already knows about the document.
#[derive(Clone, Copy, Debug)]
pub struct Expect<'a> {
    /// The kind of the path; `None` when the document names it (`"kind"` of an NDJSON line).
    pub kind: Option<Kind>,
    /// The id of the path; the body's id must equal it.
    pub id: Option<&'a str>,
    /// The time of the write: `updatedAt` when the document has none.
    pub now: Timestamp,
}

/// A document read from input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ingested {
    pub document: Document,
    /// False when `updatedAt` was absent and set to the time of the write, so that a re-sent
    /// identical document can keep the stored `updatedAt` and stay a no-op.
    pub updated_at_given: bool,
}

/// Reads one document, reporting every problem at once: from a [`Json`] tree read straight
/// from the text (the import's way), or from a `serde_json::Value` already in hand.
pub fn ingest<'a>(
    value: impl Into<Json<'a>>,
    expect: Expect<'_>,
) -> Result<Ingested, Vec<ValidationError>> {
    let value = value.into();
    let mut errors = Vec::new();
    let Some(map) = value.as_object() else {
        return Err(vec![ValidationError {
            field: String::new(),
            problem: "expected a JSON object".into(),
        }]);
    };
    let mut r = ObjReader::new(map, String::new(), &mut errors);
    // Without a kind the fields cannot be judged: report the kind alone.
    let Some(kind) = read_kind(&mut r, expect.kind) else {
        return Err(errors);
    };
    let document = read_document(&mut r, kind, expect);
    r.finish();
    if errors.is_empty() {
        Ok(document)
    } else {
        Err(errors)
    }
}

fn read_kind(r: &mut ObjReader<'_, '_>, expect: Option<Kind>) -> Option<Kind> {
    let named = r.opt_str("kind", UNBOUNDED);
    match (named, expect) {
        (None, Some(kind)) => Some(kind),
        (None, None) => {
            r.problem("kind", "required");
            None
        }
        (Some(name), expect) => match (name.parse::<Kind>(), expect) {
            (Ok(kind), None) => Some(kind),
            (Ok(kind), Some(expected)) if kind == expected => Some(kind),
            (Ok(_), Some(expected)) => {
                let path = expected.path();
                r.problem(
                    "kind",
                    format!("{name:?} does not match the path's kind {path:?}"),
                );
                None
            }
            (Err(_), _) => {
                let names: Vec<&str> = Kind::ALL.iter().map(|k| k.path()).collect();
                r.problem("kind", format!("{name:?} is not one of {names:?}"));
                None
            }
        },
    }
}

fn read_id(r: &mut ObjReader<'_, '_>, kind: Kind, expect: Option<&str>) -> String {
    let field = kind.id_field();
    let id = match (r.opt_id(field), expect) {
        (Some(id), Some(path_id)) if id != path_id => {
            r.problem(
                field,
                format!("{id:?} does not match the id of the path {path_id:?}"),
            );
            return id;
        }
        (Some(id), _) => id,
        // Present but refused: opt_id has said why.
        (None, _) if r.present(field) => return String::new(),
        (None, Some(path_id)) => path_id.to_owned(),
        (None, None) => {
            r.problem(field, "required");
            return String::new();
        }
    };
    if let Some(problem) = id_problem(&id) {
        r.problem(field, problem);
    }
    id
}

fn kind_target(kind: Kind, field: LinkField) -> Option<Kind> {
    kind.link_fields()
        .iter()
        .find(|(f, _)| *f == field)
        .map(|&(_, target)| target)
}

/// Ids travel in URL paths: they must be addressable there.
pub fn id_problem(id: &str) -> Option<&'static str> {
    if id.is_empty() {
        Some("must not be empty")
    } else if id.chars().count() > 64 {
        Some("longer than 64 characters")
    } else if id.chars().any(|c| c.is_control() || c == '/') {
        Some("must not contain '/' or control characters")
    } else {
        None
    }
}

fn read_document(r: &mut ObjReader<'_, '_>, kind: Kind, expect: Expect<'_>) -> Ingested {
    let id = read_id(r, kind, expect.id);

    let mut links = Links::default();
    for &(field, _) in kind.link_fields() {
        let value = r.opt_id(field.wire());
        let slot = match field {
            LinkField::ParentQuoteId => &mut links.parent_quote_id,
            LinkField::ReplacementForOrderId => &mut links.replacement_for_order_id,
            LinkField::ParentOrderId => &mut links.parent_order_id,
            LinkField::CustomerOrderId => &mut links.customer_order_id,
        };
        let broken = value.as_deref().and_then(id_problem);
        if let Some(problem) = broken {
            r.problem(field.wire(), problem);
        }
        // A document cannot be its own parent (only an order's replacement link could say so).
        if value.as_deref() == Some(id.as_str()) && kind_target(kind, field) == Some(kind) {
            r.problem(field.wire(), "must not name the document itself");
        }
        *slot = value;
    }
    // Derived lists come from other documents; a client that sends back what it read
    // must not be refused for them, but they are not kept.
    for &(list, _) in kind.derived_lists() {
        r.id_array(list);
    }
    let shipping_type = if kind == Kind::VendorOrder {
        let value = r.opt_enum("shippingType", &SHIPPING_TYPES);
        if value.is_none() && !r.present("shippingType") {
            r.problem("shippingType", "required");
        }
        value
    } else {
        None
    };

    let current_status = r.opt_obj("currentStatus", |r| {
        (r.opt_id("id"), r.opt_str("name", 100))
    });
    let (status, status_id) = read_status(r, current_status);
    let updated_at = r.opt_time("updatedAt");
    let payments = r.obj_array("payments", read_payment);
    let shipments = r.obj_array("shipments", read_shipment);
    if kind.is_quote() {
        for field in ["payments", "shipments"] {
            if map_has(r, field) {
                r.problem(field, "applicable for orders and returns only");
            }
        }
    }

    let document = Document {
        kind,
        id,
        links,
        shipping_type,
        shopping_cart_id: r.opt_str("shoppingCartId", 64),
        created_at: r.req_time("createdAt"),
        updated_at: updated_at.unwrap_or(expect.now),
        total: read_total(r),
        currency: r
            .opt_str("currency", 10)
            .unwrap_or_else(|| "USD".to_owned()),
        status,
        status_id,
        customer_id: r.req_id("customerId"),
        customer_notes: r.opt_str("customerNotes", 8000),
        channel: r.opt_str("channel", 100),
        shipping_method: r.req_str("shippingMethod", 200),
        shipping_price: r.req_money("shippingPrice"),
        shipping_tax: r.req_money("shippingTax"),
        shipping_discount: r.money_or_zero("shippingDiscount"),
        handling_fee: r.money_or_zero("handlingFee"),
        created_by: r.opt_obj("createdBy", read_user),
        sales_rep: r.opt_obj("salesRep", read_user),
        vendor: r.opt_obj("vendor", read_user),
        billing: r.opt_obj("billing", read_address),
        shipping: r.opt_obj("shipping", read_address),
        items: r.obj_array("items", read_item),
        notes: r.obj_array("notes", read_note),
        payments,
        shipments,
        ext: Box::new(extensions::document(r)),
    };
    // A missing or mistyped customerId has been reported already; an empty one has not.
    let customer_given = r
        .get("customerId")
        .is_some_and(|v| matches!(v, Json::String(_) | Json::Number(_)));
    if let Some(problem) = id_problem(&document.customer_id).filter(|_| customer_given) {
        r.problem("customerId", problem);
    }
    Ingested {
        document,
        updated_at_given: updated_at.is_some(),
    }
}

fn map_has(r: &mut ObjReader<'_, '_>, key: &'static str) -> bool {
    r.get(key)
        .is_some_and(|v| v.as_array().is_none_or(|a| !a.is_empty()))
}

/// `total` is required, but may be `null` (reference 000 shows it for returns).
fn read_total(r: &mut ObjReader<'_, '_>) -> Option<rust_decimal::Decimal> {
    if !r.has_key("total") {
        r.problem("total", "required");
    }
    r.opt_money("total")
}

/// `status`/`statusId`, filled from `currentStatus {id, name}` when only that is given.
fn read_status(
    r: &mut ObjReader<'_, '_>,
    current: Option<(Option<String>, Option<String>)>,
) -> (String, String) {
    let (current_id, current_name) = current.unwrap_or_default();
    let pick =
        |r: &mut ObjReader<'_, '_>, key: &'static str, own: Option<String>, cur: Option<String>| {
            match (own, cur) {
                (Some(own), Some(cur)) if own != cur => {
                    r.problem(
                        key,
                        format!("{own:?} disagrees with currentStatus ({cur:?})"),
                    );
                    own
                }
                (Some(own), _) => own,
                (None, Some(cur)) => cur,
                (None, None) => {
                    if !r.present(key) {
                        r.problem(key, "required");
                    }
                    String::new()
                }
            }
        };
    let own_name = r.opt_str("status", 100);
    let name = pick(r, "status", own_name, current_name);
    let own_id = r.opt_id("statusId");
    let id = pick(r, "statusId", own_id, current_id);
    if id.chars().count() > 10 {
        r.problem("statusId", "longer than 10 characters");
    } else if let Some(problem) = id_problem(&id).filter(|_| !id.is_empty()) {
        r.problem("statusId", problem);
    }
    (name, id)
}

fn read_user(r: &mut ObjReader<'_, '_>) -> User {
    User {
        id: r.req_id("id"),
        name: r.opt_str("name", 300),
    }
}

fn read_address(r: &mut ObjReader<'_, '_>) -> Address {
    Address {
        first_name: r.req_str("firstName", 150),
        last_name: r.req_str("lastName", 150),
        company: r.opt_str("company", 250),
        phone: r.opt_str("phone", 50),
        alt_phone: r.opt_str("altPhone", 50),
        fax: r.opt_str("fax", 50),
        zip: r.req_str("zip", 50),
        country: r.req_str("country", 150),
        state: r.req_str("state", 50),
        city: r.req_str("city", 255),
        address1: r.req_str("address1", 255),
        address2: r.opt_str("address2", 255),
        email: r.opt_str("email", 100),
        ext: Box::new(extensions::address(r)),
    }
}

fn read_item(r: &mut ObjReader<'_, '_>) -> Item {
    Item {
        item_id: r.req_id("itemId"),
        product_id: r.req_id("productId"),
        unit_price: r.req_money("unitPrice"),
        quantity: r.req_int("quantity"),
        line_position: r.req_int("linePosition"),
        unit_weight: r.opt_money("unitWeight"),
        tax: r.money_or_zero("tax"),
        discount: r.money_or_zero("discount"),
        mpn: r.opt_str("mpn", 50),
        item_name: r.opt_str("itemName", 2000),
        product_image: r.opt_str("productImage", UNBOUNDED),
        product_url: r.opt_str("productUrl", UNBOUNDED),
        unit_of_measure: r.opt_obj("unitOfMeasure", |r| UnitOfMeasure {
            id: r.req_str("id", 10),
            name: r.opt_str("name", 50),
        }),
        ext: Box::new(extensions::item(r)),
    }
}

fn read_note(r: &mut ObjReader<'_, '_>) -> Note {
    let code_names: Vec<&str> = ActionTypeCode::ALL.iter().map(|c| c.as_str()).collect();
    Note {
        note_id: r.req_id("noteId"),
        message: r.req_str("message", 2000),
        action_type_code: r
            .opt_enum("actionTypeCode", &code_names)
            .and_then(|code| ActionTypeCode::parse(&code)),
        created_at: r.req_time("createdAt"),
        author: r.opt_obj("author", read_user),
    }
}

fn read_payment(r: &mut ObjReader<'_, '_>) -> Payment {
    Payment {
        payment_id: r.req_id("paymentId"),
        original_payment_id: r.opt_id("originalPaymentId"),
        amount: r.req_money("amount"),
        user: r.opt_obj("user", read_user),
        payment_date: r.req_time("paymentDate"),
        payment_method: r.opt_obj("paymentMethod", |r| PaymentMethod {
            id: r.req_id("id"),
            code: r.opt_str("code", 64),
            name: r.opt_str("name", 100),
        }),
        payment_type: r.opt_enum("paymentType", &PAYMENT_TYPES),
    }
}

fn read_shipment(r: &mut ObjReader<'_, '_>) -> Shipment {
    Shipment {
        packages: r.obj_array("packages", read_package),
    }
}

fn read_package(r: &mut ObjReader<'_, '_>) -> ShipmentPackage {
    ShipmentPackage {
        package_id: r.req_id("packageId"),
        tracking_number: r.opt_str("trackingNumber", 50),
        ship_date: r.req_time("shipDate"),
        carrier_name: r.opt_str("carrierName", 50),
        service: r.opt_str("service", 250),
        shipping_price: r.opt_money("shippingPrice"),
        ext: Box::new(extensions::package(r)),
    }
}
