//! Filtered v1 lists (`productId`, `mpn`, `orderNumber`, `customerId`) against an oracle: a
//! generated data set is read whole through the unfiltered lists, and every filtered page,
//! with any combination of `from`, `to`, `newest`, `limit` and `offset`, must be the same
//! slice of that list filtered in memory — for the tenant's key and for customer keys.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

use common::*;
use ordo_demo::{DemoConfig, generate};
use ordo_model::{Ingested, Timestamp};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::Value;

/// One document as the oracle sees it, from the unfiltered list.
#[derive(Debug)]
struct Entry {
    id: String,
    updated_at: String,
    customer: String,
    products: BTreeSet<String>,
    mpns: BTreeSet<String>,
    number: Option<String>,
}

impl Entry {
    fn of(doc: &Value, id_field: &str) -> Entry {
        let text = |v: &Value| v.as_str().map(str::to_owned);
        let items = doc["items"].as_array().cloned().unwrap_or_default();
        Entry {
            id: id_text(&doc[id_field]),
            updated_at: text(&doc["updatedAt"]).expect("updatedAt"),
            customer: id_text(&doc["customerId"]),
            products: items.iter().filter_map(|i| text(&i["productId"])).collect(),
            mpns: items.iter().filter_map(|i| text(&i["mpn"])).collect(),
            number: text(&doc["orderNumber"]).or_else(|| text(&doc["externalReferenceId"])),
        }
    }
}

/// The data set: each kind's documents newest first, as the unfiltered list gives them, and
/// the values a case picks from (each pool also holds one value no document has).
struct Data {
    lists: Vec<Vec<Entry>>,
    products: Vec<String>,
    mpns: Vec<String>,
    numbers: Vec<String>,
    customers: Vec<String>,
    instants: Vec<String>,
}

/// Demo documents with order numbers (shared by a few), external references, and many
/// documents on a few instants, so that pages cut through ties.
fn documents() -> Vec<Ingested> {
    let ties = ["2024-03-01T00:00:00Z", "2024-03-02T00:00:00Z"];
    generate(&DemoConfig::new(22, 300))
        .enumerate()
        .map(|(n, mut document)| {
            match n % 5 {
                0 => document.ext.order_number = Some(format!("2020/{}", n % 7)),
                1 => document.ext.external_reference_id = Some(format!("REF-{}", n % 4)),
                _ => {}
            }
            if n % 3 == 0 {
                document.updated_at = Timestamp::parse(ties[n % 2]).unwrap();
            }
            Ingested {
                document,
                updated_at_given: true,
            }
        })
        .collect()
}

async fn load(app: &TestApp, key: &str) -> Data {
    let docs = documents();
    for chunk in docs.chunks(500) {
        app.store.put_many(TENANT, chunk.to_vec()).await.unwrap();
    }
    let mut lists = Vec::new();
    for (kind, id_field, _) in KINDS {
        let mut list = Vec::new();
        loop {
            let page = app
                .get_json(
                    &format!("/v1/{kind}/?limit=1000&offset={}", list.len()),
                    key,
                )
                .await;
            let page = page["payload"].as_array().unwrap().clone();
            if page.is_empty() {
                break;
            }
            list.extend(page.iter().map(|d| Entry::of(d, id_field)));
        }
        lists.push(list);
    }
    let all = || lists.iter().flatten();
    let pool = |values: BTreeSet<String>, unknown: &str| {
        let mut pool: Vec<String> = values.into_iter().collect();
        pool.push(unknown.to_owned());
        pool
    };
    let products = pool(
        all().flat_map(|e| e.products.clone()).collect(),
        "no-such-product",
    );
    let mpns = pool(all().flat_map(|e| e.mpns.clone()).collect(), "NO-SUCH-MPN");
    let numbers = pool(all().filter_map(|e| e.number.clone()).collect(), "0000/0");
    let customers = pool(all().map(|e| e.customer.clone()).collect(), "nobody");
    let instants = all().map(|e| e.updated_at.clone()).collect::<BTreeSet<_>>();
    let sizes: Vec<usize> = lists.iter().map(Vec::len).collect();
    assert!(
        sizes.iter().all(|&n| n > 0),
        "every kind has documents: {sizes:?}"
    );
    assert!(
        numbers.len() > 5 && products.len() > 5,
        "the pools have values"
    );
    Data {
        lists,
        products,
        mpns,
        numbers,
        customers,
        instants: instants.into_iter().collect(),
    }
}

/// One request: picks from the pools (a number taken modulo the pool's size) and the window
/// parameters.
#[derive(Clone, Debug)]
struct Case {
    kind: usize,
    products: Vec<usize>,
    mpns: Vec<usize>,
    numbers: Vec<usize>,
    customer: Option<usize>,
    /// A key limited to this customer, else the tenant's key.
    key_customer: Option<usize>,
    from: Option<usize>,
    to: Option<usize>,
    newest: Option<bool>,
    limit: Option<u32>,
    offset: Option<u64>,
}

fn case() -> impl Strategy<Value = Case> {
    let picks = |most| proptest::collection::vec(any::<usize>(), 0..most);
    (
        (0..KINDS.len(), picks(3), picks(3), picks(3)),
        (
            proptest::option::weighted(0.3, any::<usize>()),
            proptest::option::weighted(0.25, any::<usize>()),
        ),
        (
            proptest::option::weighted(0.3, any::<usize>()),
            proptest::option::weighted(0.3, any::<usize>()),
            proptest::option::of(any::<bool>()),
            proptest::option::of(prop_oneof![1u32..6, Just(100), Just(1000)]),
            proptest::option::of(prop_oneof![0u64..8, 8u64..200]),
        ),
    )
        .prop_map(
            |((kind, products, mpns, numbers), (customer, key_customer), window)| Case {
                kind,
                products,
                mpns,
                numbers,
                customer,
                key_customer,
                from: window.0,
                to: window.1,
                newest: window.2,
                limit: window.3,
                offset: window.4,
            },
        )
}

fn get(pool: &[String], pick: usize) -> String {
    pool[pick % pool.len()].clone()
}

/// The case's query, and the page the oracle answers for it.
fn resolve(data: &Data, case: &Case) -> (Vec<(&'static str, String)>, Vec<String>) {
    let pick = |pool: &[String], picks: &[usize]| -> Vec<String> {
        picks.iter().map(|&i| get(pool, i)).collect()
    };
    let products = pick(&data.products, &case.products);
    let mpns = pick(&data.mpns, &case.mpns);
    let numbers = pick(&data.numbers, &case.numbers);
    let customer = case.customer.map(|i| get(&data.customers, i));
    let key_customer = case.key_customer.map(|i| get(&data.customers, i));
    let from = case.from.map(|i| get(&data.instants, i));
    let to = case.to.map(|i| get(&data.instants, i));

    let mut query: Vec<(&str, String)> = Vec::new();
    query.extend(products.iter().map(|p| ("productId", p.clone())));
    query.extend(mpns.iter().map(|m| ("mpn", m.clone())));
    query.extend(numbers.iter().map(|n| ("orderNumber", n.clone())));
    if let Some(c) = &customer {
        query.push(("customerId", c.clone()));
    }
    if let Some(f) = &from {
        query.push(("from", format!("{f}Z")));
    }
    if let Some(t) = &to {
        query.push(("to", format!("{t}Z")));
    }
    if let Some(n) = case.newest {
        query.push(("newest", n.to_string()));
    }
    if let Some(l) = case.limit {
        query.push(("limit", l.to_string()));
    }
    if let Some(o) = case.offset {
        query.push(("offset", o.to_string()));
    }

    let bounded = match (&key_customer, &customer) {
        (Some(own), Some(asked)) if own != asked => return (query, Vec::new()),
        (own, asked) => asked.clone().or(own.clone()),
    };
    let any = |wanted: &[String], held: &BTreeSet<String>| {
        wanted.is_empty() || wanted.iter().any(|w| held.contains(w))
    };
    // The unfiltered list is newest first; `updatedAt` compares as text (one fixed format).
    let mut page: Vec<&Entry> = data.lists[case.kind]
        .iter()
        .filter(|e| any(&products, &e.products) && any(&mpns, &e.mpns))
        .filter(|e| numbers.is_empty() || e.number.as_ref().is_some_and(|n| numbers.contains(n)))
        .filter(|e| bounded.as_ref().is_none_or(|c| *c == e.customer))
        .filter(|e| from.as_ref().is_none_or(|f| e.updated_at >= *f))
        .filter(|e| to.as_ref().is_none_or(|t| e.updated_at <= *t))
        .collect();
    if case.newest == Some(false) {
        page.reverse();
    }
    let page = page
        .into_iter()
        .skip(usize::try_from(case.offset.unwrap_or(0)).unwrap())
        .take(case.limit.unwrap_or(100) as usize)
        .map(|e| e.id.clone())
        .collect();
    (query, page)
}

async fn check(
    app: &TestApp,
    data: &Data,
    keys: &Mutex<HashMap<Option<String>, String>>,
    case: &Case,
) -> Result<(), TestCaseError> {
    let (kind, id_field, _) = KINDS[case.kind];
    let (query, expected) = resolve(data, case);
    let key_customer = case.key_customer.map(|i| get(&data.customers, i));
    let known = keys.lock().unwrap().get(&key_customer).cloned();
    let key = match known {
        Some(key) => key,
        None => {
            let scopes: Vec<&str> = KINDS.iter().map(|(_, _, scope)| *scope).collect();
            let key = app
                .create_key_for(TENANT, &scopes, key_customer.as_deref())
                .await;
            keys.lock()
                .unwrap()
                .insert(key_customer.clone(), key.clone());
            key
        }
    };
    let response = app
        .client
        .get(app.url(&format!("/v1/{kind}/")))
        .bearer_auth(&key)
        .query(&query)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    prop_assert_eq!(status, 200, "{} {:?}: {}", kind, query, body);
    let got = payload_ids(&body, id_field);
    prop_assert_eq!(
        got,
        expected,
        "{} {:?} key of {:?}",
        kind,
        query,
        key_customer
    );
    Ok(())
}

#[test]
fn every_filtered_page_is_the_oracles_slice_of_the_full_list() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let app = runtime.block_on(spawn_app());
    let scopes: Vec<&str> = KINDS.iter().map(|(_, _, scope)| *scope).collect();
    let key = runtime.block_on(app.create_key(&scopes));
    let data = runtime.block_on(load(&app, &key));
    let keys = Mutex::new(HashMap::from([(None, key)]));
    let config = Config {
        failure_persistence: None,
        ..Config::with_cases(400)
    };
    let mut runner = TestRunner::new(config);

    let result = runner.run(&case(), |case| {
        runtime.block_on(check(&app, &data, &keys, &case))
    });

    if let Err(failure) = result {
        panic!("{failure}");
    }
}

/// Every combination of the window's parameters, for one product alone and with its
/// customer: the grid the property samples, walked whole.
#[tokio::test(flavor = "multi_thread")]
async fn every_window_of_a_product_is_the_oracles_slice() {
    let app = spawn_app().await;
    let scopes: Vec<&str> = KINDS.iter().map(|(_, _, scope)| *scope).collect();
    let key = app.create_key(&scopes).await;
    let data = load(&app, &key).await;
    let keys = Mutex::new(HashMap::from([(None, key)]));
    // The product of the newest order, and that order's customer.
    let first = &data.lists[1][0];
    let product = data
        .products
        .iter()
        .position(|p| first.products.contains(p))
        .unwrap();
    let customer = data
        .customers
        .iter()
        .position(|c| *c == first.customer)
        .unwrap();
    let middle = Some(data.instants.len() / 2);
    let mut checked = 0;
    for customer in [None, Some(customer)] {
        for (from, to) in [(None, None), (middle, None), (None, middle)] {
            for newest in [None, Some(true), Some(false)] {
                for limit in [None, Some(1), Some(3), Some(1000)] {
                    for offset in [None, Some(0), Some(2), Some(5), Some(40)] {
                        let case = Case {
                            kind: 1,
                            products: vec![product],
                            mpns: Vec::new(),
                            numbers: Vec::new(),
                            customer,
                            key_customer: None,
                            from,
                            to,
                            newest,
                            limit,
                            offset,
                        };
                        check(&app, &data, &keys, &case).await.unwrap();
                        checked += 1;
                    }
                }
            }
        }
    }
    assert_eq!(checked, 2 * 3 * 3 * 4 * 5);
}

#[tokio::test(flavor = "multi_thread")]
async fn filter_values_that_no_document_can_hold_are_400_naming_the_parameter() {
    let app = spawn_app().await;
    let key = app.create_key(&["orders"]).await;
    let long = "x".repeat(65);
    for (query, fields) in [
        ("productId=".to_owned(), vec!["productId"]),
        (format!("productId=ok&productId={long}"), vec!["productId"]),
        (format!("mpn={}", &long[..51]), vec!["mpn"]),
        (format!("orderNumber={long}"), vec!["orderNumber"]),
        ("customerId=".to_owned(), vec!["customerId"]),
        ("customerId=a&customerId=b".to_owned(), vec!["customerId"]),
        (
            "productId=a%00b&mpn=&limit=0".to_owned(),
            vec!["limit", "mpn", "productId"],
        ),
    ] {
        let response = app.get(&format!("/v1/order/?{query}"), &key).await;
        let body = expect_error(response, 400).await;
        assert_eq!(detail_fields(&body), fields, "{query}");
    }
    // The longest values a document can hold are fine: an empty page.
    let longest = format!("/v1/order/?productId={}&mpn={}", &long[..64], &long[..50]);
    let page = app.get_json(&longest, &key).await;
    assert_eq!(page, serde_json::json!({"payload": []}));
}
