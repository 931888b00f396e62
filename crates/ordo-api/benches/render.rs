//! The serialisation floor of the benchmarks (bench/run, docs/benchmarks.md): what rendering
//! costs with no store and no HTTP. Stored bodies of demo orders, with their derived link
//! lists, are rendered from memory exactly as the v1 routes render them: one document (a
//! get-by-id answer), and a page of 100 (a list answer, `{"payload":[...]}`).

use std::collections::HashMap;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ordo_demo::{DemoConfig, generate};
use ordo_model::{DerivedLinks, Kind, render_v1};

/// A document as the store hands it to the routes.
struct Stored {
    kind: Kind,
    body: String,
    derived: DerivedLinks,
}

/// The first 100 orders of the demo data set, with the link lists their children give them.
fn page() -> Vec<Stored> {
    let docs: Vec<_> = generate(&DemoConfig::new(42, 150)).collect();
    let mut derived: HashMap<(Kind, String), DerivedLinks> = HashMap::new();
    for doc in &docs {
        for parent in doc.parents() {
            derived
                .entry((parent.kind, parent.id))
                .or_insert_with(|| DerivedLinks::empty(parent.kind))
                .push(parent.kind, doc.kind, doc.id.clone());
        }
    }
    docs.iter()
        .filter(|doc| doc.kind == Kind::Order)
        .take(100)
        .map(|doc| Stored {
            kind: doc.kind,
            body: doc.to_stored_json(),
            derived: derived
                .remove(&(doc.kind, doc.id.clone()))
                .unwrap_or_else(|| DerivedLinks::empty(doc.kind)),
        })
        .collect()
}

/// `{"payload":[...]}` as `GET /v1/{kind}/` writes it.
fn render_page(docs: &[Stored]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + docs.iter().map(|d| d.body.len() + 64).sum::<usize>());
    out.extend_from_slice(b"{\"payload\":[");
    for (i, doc) in docs.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        render_v1(&mut out, doc.kind, &doc.body, &doc.derived);
    }
    out.extend_from_slice(b"]}");
    out
}

fn bench(c: &mut Criterion) {
    let docs = page();
    assert_eq!(docs.len(), 100, "the demo data set holds 100 orders");
    let page_bytes = render_page(&docs).len() as u64;

    let mut group = c.benchmark_group("render");
    group.throughput(Throughput::Elements(1));
    group.bench_function("one_document", |b| {
        let doc = &docs[0];
        b.iter(|| {
            let mut out = Vec::with_capacity(doc.body.len() + 64);
            out.extend_from_slice(b"{\"payload\":");
            render_v1(&mut out, doc.kind, black_box(&doc.body), &doc.derived);
            out.push(b'}');
            out
        });
    });
    group.bench_function("page_100_documents", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(page_bytes as usize);
            for doc in black_box(&docs) {
                render_v1(&mut out, doc.kind, &doc.body, &doc.derived);
            }
            out
        });
    });
    group.throughput(Throughput::Bytes(page_bytes));
    group.bench_function("payload_page_100", |b| {
        b.iter(|| render_page(black_box(&docs)));
    });
    group.finish();

    // What a dialect pays before it renders: each stored body read back into the canonical
    // document (docs/benchmarks.md, "Dialects").
    let mut group = c.benchmark_group("read_back");
    group.throughput(Throughput::Elements(docs.len() as u64));
    group.bench_function("json_value_100", |b| {
        b.iter(|| {
            for doc in black_box(&docs) {
                black_box(serde_json::from_str::<serde_json::Value>(&doc.body).unwrap());
            }
        });
    });
    group.bench_function("json_tree_100", |b| {
        b.iter(|| {
            for doc in black_box(&docs) {
                black_box(ordo_model::Json::parse(&doc.body).unwrap());
            }
        });
    });
    group.bench_function("from_stored_100", |b| {
        b.iter(|| {
            for doc in black_box(&docs) {
                black_box(ordo_model::Document::from_stored(doc.kind, &doc.body).unwrap());
            }
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
