//! The extension fields storefront_v10 and customer_orders_v2 need beyond v1 (document
//! `orderNumber`, `token`, `shippingMethodInfo`, `paymentFee`; address `personalCode`,
//! `companyCode`, `companyCode2`, `title`): validated like every field, and written in the
//! v1 JSON only when present.

mod common;

use common::{address, fields, from_body, ingest_err, ingest_ok, minimal_order, problem, with};
use ordo_model::{Decimal, Document, Kind};
use serde_json::{Value, json};

/// The minimal order with every new field set to a valid value.
fn extended_order() -> Value {
    let mut order = minimal_order();
    order["orderNumber"] = json!("2020/5613");
    order["token"] = json!("g3OuTJueFYJr5k2fgzSC6gZ23fpAW3Nu");
    // Parsed from text: `json!` would make 19.00 the float 19.0, and decimals keep digits.
    order["shippingMethodInfo"] = parse(r#"{"id": 14, "taxCode": "TVA", "taxRate": 19.00}"#);
    order["paymentFee"] =
        parse(r#"{"cost": 1.200, "taxCode": "TVA", "taxRate": 19.00, "taxAmount": 0.23}"#);
    let mut billing = address();
    billing["personalCode"] = json!("SH239IBA");
    billing["companyCode"] = json!("INV8403MC1");
    billing["companyCode2"] = json!("7J BA3 006");
    billing["title"] = json!("mr");
    order["billing"] = billing;
    order["shipping"] = with(address(), "title", json!("other"));
    order
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).expect("JSON")
}

fn v1_json(document: &Document) -> Value {
    serde_json::from_str(&document.to_stored_json()).expect("v1 JSON")
}

fn decimal(text: &str) -> Decimal {
    text.parse().expect("a decimal")
}

#[test]
fn the_new_fields_are_read_and_written_back_as_given() {
    let document = ingest_ok(&extended_order());
    let ext = &document.ext;
    assert_eq!(ext.order_number.as_deref(), Some("2020/5613"));
    assert_eq!(
        ext.token.as_deref(),
        Some("g3OuTJueFYJr5k2fgzSC6gZ23fpAW3Nu")
    );
    let info = ext
        .shipping_method_info
        .as_ref()
        .expect("shippingMethodInfo");
    assert_eq!(
        (info.id, info.tax_code.as_deref(), info.tax_rate),
        (Some(14), Some("TVA"), Some(decimal("19.00")))
    );
    let fee = ext.payment_fee.as_ref().expect("paymentFee");
    assert_eq!(fee.cost, Some(decimal("1.200")));
    assert_eq!(fee.tax_amount, Some(decimal("0.23")));
    let billing = document.billing.as_ref().expect("billing");
    assert_eq!(billing.ext.company_code2.as_deref(), Some("7J BA3 006"));
    assert_eq!(billing.ext.title.as_deref(), Some("mr"));

    let written = v1_json(&document);
    assert_eq!(written["orderNumber"], "2020/5613");
    assert_eq!(
        written["shippingMethodInfo"].to_string(),
        r#"{"id":14,"taxCode":"TVA","taxRate":19.00}"#
    );
    assert_eq!(
        written["paymentFee"].to_string(),
        r#"{"cost":1.200,"taxAmount":0.23,"taxCode":"TVA","taxRate":19.00}"#
    );
    assert_eq!(written["billing"]["personalCode"], "SH239IBA");
    assert_eq!(written["shipping"]["title"], "other");
    let again = Document::from_stored(Kind::Order, &document.to_stored_json()).expect("reads");
    assert_eq!(again, document, "the stored form reads back equal");
}

#[test]
fn a_document_without_them_is_written_as_v1_writes_it() {
    let mut order = minimal_order();
    order["billing"] = address();
    let written = v1_json(&ingest_ok(&order));
    for absent in ["orderNumber", "token", "shippingMethodInfo", "paymentFee"] {
        assert!(written.get(absent).is_none(), "{absent}: {written}");
    }
    let mut keys: Vec<&str> = written["billing"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "address1",
            "address2",
            "altPhone",
            "city",
            "company",
            "country",
            "email",
            "fax",
            "firstName",
            "lastName",
            "phone",
            "state",
            "zip"
        ]
    );
    // Parts left out are left out: an empty fee stays empty.
    let mut order = minimal_order();
    order["paymentFee"] = json!({"taxCode": "TVA"});
    assert_eq!(
        v1_json(&ingest_ok(&order))["paymentFee"].to_string(),
        r#"{"taxCode":"TVA"}"#
    );
}

#[test]
fn a_value_of_the_wrong_type_is_refused_naming_it() {
    let mut order = extended_order();
    order["orderNumber"] = json!(90471);
    order["token"] = json!(["g3OuTJueFYJr5k2fgzSC6gZ23fpAW3Nu"]);
    order["shippingMethodInfo"]["id"] = json!("14");
    order["shippingMethodInfo"]["taxRate"] = json!("19.00");
    order["paymentFee"]["cost"] = json!(true);
    order["paymentFee"]["taxCode"] = json!(7);
    order["billing"]["personalCode"] = json!(12345);
    order["billing"]["title"] = json!(1);
    order["shipping"]["companyCode"] = json!({"code": "X"});
    let errors = ingest_err(&order, from_body());
    assert_eq!(
        fields(&errors),
        [
            "billing.personalCode",
            "billing.title",
            "orderNumber",
            "paymentFee.cost",
            "paymentFee.taxCode",
            "shipping.companyCode",
            "shippingMethodInfo.id",
            "shippingMethodInfo.taxRate",
            "token",
        ],
        "{errors:#?}"
    );
    assert_eq!(problem(&errors, "orderNumber"), "expected a string");
    assert_eq!(problem(&errors, "paymentFee.cost"), "expected a number");
    assert_eq!(
        problem(&errors, "shippingMethodInfo.id"),
        "expected an integer from 1 to 9007199254740991"
    );

    let mut order = minimal_order();
    order["shippingMethodInfo"] = json!("FedEx");
    order["paymentFee"] = json!(1.2);
    let errors = ingest_err(&order, from_body());
    assert_eq!(fields(&errors), ["paymentFee", "shippingMethodInfo"]);
    assert_eq!(problem(&errors, "paymentFee"), "expected an object");
}

#[test]
fn a_string_past_its_limit_is_refused_and_one_at_it_is_not() {
    let cases: [(&[&str], usize); 8] = [
        (&["orderNumber"], 32),
        (&["shippingMethodInfo", "taxCode"], 32),
        (&["paymentFee", "taxCode"], 32),
        (&["billing", "personalCode"], 20),
        (&["billing", "companyCode"], 20),
        (&["billing", "companyCode2"], 20),
        (&["shipping", "personalCode"], 20),
        (&["shipping", "companyCode2"], 20),
    ];
    for (path, max) in cases {
        let set = |text: String| {
            let mut order = extended_order();
            let mut at = &mut order;
            for key in &path[..path.len() - 1] {
                at = &mut at[*key];
            }
            at[path[path.len() - 1]] = json!(text);
            order
        };
        let field = path.join(".");
        // Limits count characters, not bytes: `é` is one.
        let errors = ingest_err(&set("é".repeat(max + 1)), from_body());
        assert_eq!(fields(&errors), std::slice::from_ref(&field));
        assert_eq!(
            problem(&errors, &field),
            format!("longer than {max} characters ({})", max + 1)
        );
        ingest_ok(&set("é".repeat(max)));
    }
}

#[test]
fn a_token_is_exactly_32_letters_and_digits() {
    for bad in [
        "g3OuTJueFYJr5k2fgzSC6gZ23fpAW3N",
        "g3OuTJueFYJr5k2fgzSC6gZ23fpAW3N-",
        "g3OuTJueFYJr5k2fgzSC6gZ23fpAW3Né",
        "",
    ] {
        let order = with(minimal_order(), "token", json!(bad));
        let errors = ingest_err(&order, from_body());
        assert_eq!(
            problem(&errors, "token"),
            "expected exactly 32 letters and digits (A-Z, a-z, 0-9)",
            "{bad:?}"
        );
    }
    let long = with(minimal_order(), "token", json!("a".repeat(33)));
    let errors = ingest_err(&long, from_body());
    assert_eq!(problem(&errors, "token"), "longer than 32 characters (33)");
    ingest_ok(&with(minimal_order(), "token", json!("0".repeat(32))));
}

#[test]
fn an_order_number_may_hold_a_slash_but_not_be_empty() {
    ingest_ok(&with(minimal_order(), "orderNumber", json!("2020/7301")));
    for empty in ["", "  "] {
        let errors = ingest_err(
            &with(minimal_order(), "orderNumber", json!(empty)),
            from_body(),
        );
        assert_eq!(problem(&errors, "orderNumber"), "must not be empty");
    }
}

#[test]
fn a_title_is_one_of_other_mr_ms() {
    for title in ["other", "mr", "ms"] {
        let mut order = minimal_order();
        order["billing"] = with(address(), "title", json!(title));
        ingest_ok(&order);
    }
    for bad in ["Mr", "MS", "mrs", "dr", ""] {
        let mut order = minimal_order();
        order["billing"] = with(address(), "title", json!(bad));
        let errors = ingest_err(&order, from_body());
        assert_eq!(
            problem(&errors, "billing.title"),
            format!(r#"{bad:?} is not one of ["other", "mr", "ms"]"#)
        );
    }
}

#[test]
fn ids_rates_and_amounts_keep_to_reference_004s_ranges() {
    let cases = [
        ("shippingMethodInfo", "id", json!(0)),
        ("shippingMethodInfo", "id", json!(-14)),
        ("shippingMethodInfo", "id", json!(1.5)),
        ("shippingMethodInfo", "id", json!(9_007_199_254_740_992_u64)),
        ("shippingMethodInfo", "taxRate", json!(-1)),
        ("shippingMethodInfo", "taxRate", json!(100)),
        ("paymentFee", "taxRate", json!(99.991)),
        ("paymentFee", "cost", json!(-0.001)),
        ("paymentFee", "taxAmount", json!(-1)),
    ];
    for (object, key, value) in cases {
        let mut order = extended_order();
        order[object][key] = value.clone();
        let errors = ingest_err(&order, from_body());
        assert_eq!(
            fields(&errors),
            [format!("{object}.{key}")],
            "{value}: {errors:#?}"
        );
    }
    let mut order = extended_order();
    order["shippingMethodInfo"] = json!({"id": 9_007_199_254_740_991_u64, "taxRate": 0});
    order["paymentFee"] = json!({"cost": 0, "taxRate": 99.99, "taxAmount": 0});
    ingest_ok(&order);
}

#[test]
fn an_unknown_field_inside_the_new_objects_is_refused() {
    let mut order = extended_order();
    order["shippingMethodInfo"]["name"] = json!("FedEx");
    order["paymentFee"]["currency"] = json!("GBP");
    order["billing"]["companyCode3"] = json!("X");
    let errors = ingest_err(&order, from_body());
    assert_eq!(
        fields(&errors),
        [
            "billing.companyCode3",
            "paymentFee.currency",
            "shippingMethodInfo.name"
        ]
    );
    assert_eq!(problem(&errors, "paymentFee.currency"), "unknown field");
}
