//! `ordo export [--tenant T] [FILE|-]`: NDJSON that imports into an empty database to the same
//! documents; export then import is the identity (a property).

use proptest::prelude::*;

use crate::{
    all_documents, assert_same_documents, exported_ids, fresh, ordo, ordo_with_input, sorted_lines,
};

/// Fills the default tenant of `url` with `ordo generate`'s data set, through `ordo import`;
/// returns the number of documents.
fn import_generated(url: &str, orders: usize, seed: u64) -> usize {
    let (orders, seed) = (orders.to_string(), seed.to_string());
    let data = ordo(
        url,
        &["generate", "--orders", &orders, "--seed", &seed, "-"],
    )
    .ok();
    let lines = data.stdout.lines().count();
    let run = ordo_with_input(url, &["import", "-"], data.stdout.as_bytes()).ok();
    assert_eq!(
        run.last_line(),
        format!("{lines} stored, 0 unchanged, 0 rejected")
    );
    // The documents: every line but the status dictionary's.
    lines
        - data
            .stdout
            .lines()
            .filter(|l| l.starts_with("{\"kind\":\"status\""))
            .count()
}

#[tokio::test]
async fn export_writes_the_same_ndjson_to_a_file_and_to_stdout() {
    let source = fresh().await;
    let count = import_generated(&source.url, 30, 3);

    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("export.ndjson");
    let to_file = ordo(
        &source.url,
        &["export", path.to_str().expect("a UTF-8 path")],
    )
    .ok();
    assert_eq!(to_file.stdout, "", "nothing but the file is written");
    assert!(
        to_file
            .stderr
            .contains(&format!("exported {count} documents")),
        "{to_file:#?}"
    );
    let file = std::fs::read_to_string(&path).expect("the export file reads");
    let plain = ordo(&source.url, &["export"]).ok();
    let dash = ordo(&source.url, &["export", "-"]).ok();
    assert_eq!(
        plain.stdout, file,
        "export without FILE writes the same to stdout"
    );
    assert_eq!(dash.stdout, file, "export - writes the same to stdout");

    let ids = exported_ids(&file);
    assert_eq!(ids.len(), count, "one line per document");
    let stored = all_documents(source.store.as_ref(), "default").await;
    let mut stored_ids: Vec<_> = stored.iter().map(|d| (d.kind, d.id.clone())).collect();
    let mut exported = ids.clone();
    stored_ids.sort();
    exported.sort();
    assert_eq!(exported, stored_ids, "every stored document, once");
}

#[tokio::test]
async fn export_imports_into_another_database_to_the_same_documents() {
    let source = fresh().await;
    import_generated(&source.url, 40, 11);
    let export = ordo(&source.url, &["export"]).ok();
    let ids = exported_ids(&export.stdout);
    // The data set must exercise the derived link lists, or comparing them proves little.
    let mut linked = 0;
    for doc in all_documents(source.store.as_ref(), "default").await {
        linked += doc.derived.lists.iter().filter(|l| !l.is_empty()).count();
    }
    assert!(linked > 3, "the generated data has parents with children");

    let target = fresh().await;
    let run = ordo_with_input(&target.url, &["import", "-"], export.stdout.as_bytes()).ok();
    assert_eq!(
        run.last_line(),
        format!(
            "{} stored, 0 unchanged, 0 rejected",
            export.stdout.lines().count()
        )
    );
    assert_same_documents(
        source.store.as_ref(),
        target.store.as_ref(),
        "default",
        &ids,
    )
    .await;
    let again = ordo(&target.url, &["export"]).ok();
    assert_eq!(sorted_lines(&again.stdout), sorted_lines(&export.stdout));
}

proptest! {
    // Each case runs five processes on two fresh databases: few cases, little shrinking.
    #![proptest_config(ProptestConfig {
        cases: 8,
        max_shrink_iters: 8,
        ..ProptestConfig::default()
    })]

    #[test]
    fn export_then_import_into_an_empty_database_is_the_identity(
        seed in any::<u64>(),
        orders in 5usize..40,
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            let dir = tempfile::tempdir().expect("a temporary directory");
            let data = dir.path().join("generated.ndjson");
            let data = data.to_str().expect("a UTF-8 path");
            let (orders, seed) = (orders.to_string(), seed.to_string());
            let source = fresh().await;
            ordo(&source.url, &["generate", "--orders", &orders, "--seed", &seed, data]).ok();
            let imported = ordo(&source.url, &["import", data]).ok();
            assert!(imported.last_line().ends_with(" 0 unchanged, 0 rejected"), "{imported:#?}");
            let first = ordo(&source.url, &["export"]).ok();
            // The generator writes canonical bodies: what it wrote is what the store gives back.
            let generated = std::fs::read_to_string(data).expect("the generated file reads");
            assert_eq!(sorted_lines(&first.stdout), sorted_lines(&generated));

            let target = fresh().await;
            ordo_with_input(&target.url, &["import", "-"], first.stdout.as_bytes()).ok();
            let second = ordo(&target.url, &["export"]).ok();

            assert_eq!(sorted_lines(&second.stdout), sorted_lines(&first.stdout));
            let ids = exported_ids(&first.stdout);
            assert_same_documents(source.store.as_ref(), target.store.as_ref(), "default", &ids)
                .await;
        });
    }
}

#[tokio::test]
async fn an_export_of_changes_carries_deletions_that_an_import_replays() {
    use ordo_model::Kind;
    use ordo_store::{Precondition, Scope};

    let source = fresh().await;
    import_generated(&source.url, 20, 5);
    let before = ordo(&source.url, &["export", "--changes"]).ok();
    let last: String = before
        .stderr
        .rsplit("up to revision ")
        .next()
        .expect("the last revision is told")
        .trim()
        .to_owned();
    let target = fresh().await;
    ordo_with_input(&target.url, &["import", "-"], before.stdout.as_bytes()).ok();
    let docs = all_documents(source.store.as_ref(), "default").await;
    let gone = docs
        .iter()
        .find(|d| d.kind == Kind::Order)
        .expect("an order");
    source
        .store
        .delete(
            Scope::tenant("default"),
            Kind::Order,
            &gone.id,
            Precondition::None,
        )
        .await
        .expect("the order is deleted");

    let plain = ordo(&source.url, &["export"]).ok();
    assert!(
        !plain.stdout.contains("\"deleted\":true"),
        "plain export: documents only"
    );
    let since = ordo(&source.url, &["export", "--changes", "--after", &last]).ok();
    let line = format!(
        "{{\"kind\":\"order\",\"orderId\":{},\"deleted\":true}}",
        serde_json::to_string(&gone.id).unwrap()
    );
    assert!(since.stdout.lines().any(|l| l == line), "{since:#?}");
    let replayed = ordo_with_input(&target.url, &["import", "-"], since.stdout.as_bytes()).ok();
    assert!(
        replayed.last_line().ends_with("0 rejected"),
        "{replayed:#?}"
    );

    assert!(
        crate::get(target.store.as_ref(), "default", Kind::Order, &gone.id)
            .await
            .is_none()
    );
    let left = all_documents(source.store.as_ref(), "default").await;
    let ids: Vec<_> = left.iter().map(|d| (d.kind, d.id.clone())).collect();
    assert_eq!(
        all_documents(target.store.as_ref(), "default").await.len(),
        left.len()
    );
    assert_same_documents(
        source.store.as_ref(),
        target.store.as_ref(),
        "default",
        &ids,
    )
    .await;
    // Replaying again removes nothing more.
    let again = ordo_with_input(&target.url, &["import", "-"], since.stdout.as_bytes()).ok();
    assert!(again.last_line().starts_with("0 stored"), "{again:#?}");
}
