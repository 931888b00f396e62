//! `ordo migrate` and `ordo generate`: a schema that can be applied again, and demo data that
//! is reproducible and valid.

use crate::{all_documents, bare_command, fresh, ordo, ordo_with_input, run};

#[tokio::test]
async fn migrate_succeeds_twice_on_a_fresh_database() {
    let fresh = fresh().await;
    for _ in 0..2 {
        let run = ordo(&fresh.url, &["migrate"]).ok();
        assert!(run.stdout.contains("no migration was pending"), "{run:#?}");
    }
    // The schema still serves every command.
    ordo(&fresh.url, &["keys", "list"]).ok();
}

#[test]
fn migrate_creates_a_new_sqlite_database() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("new.db").display());
    ordo(&url, &["migrate"]).ok();
    ordo(&url, &["migrate"]).ok();
    let run = ordo(&url, &["export"]).ok();
    assert_eq!(run.stdout, "");
}

#[test]
fn generate_is_reproducible_from_its_seed() {
    // `generate` needs no database; the URL must not be opened at all.
    let url = "sqlite:///nonexistent-directory/never.db";
    let first = ordo(url, &["generate", "--orders", "50", "--seed", "7", "-"]).ok();
    let second = ordo(url, &["generate", "--orders", "50", "--seed", "7", "-"]).ok();
    assert!(!first.stdout.is_empty());
    assert_eq!(first.stdout, second.stdout, "the same seed, the same data");
    let other = ordo(url, &["generate", "--orders", "50", "--seed", "8", "-"]).ok();
    assert_ne!(first.stdout, other.stdout, "another seed, other data");
}

#[tokio::test]
async fn generated_data_imports_without_a_rejection() {
    let fresh = fresh().await;
    let data = ordo(&fresh.url, &["generate", "--orders", "50", "--seed", "7"]).ok();
    let lines = data.stdout.lines().count();
    let orders = data
        .stdout
        .lines()
        .filter(|l| l.starts_with("{\"kind\":\"order\","))
        .count();
    assert_eq!(orders, 50, "exactly the orders asked for");

    let run = ordo_with_input(&fresh.url, &["import", "-"], data.stdout.as_bytes()).ok();
    assert_eq!(
        run.last_line(),
        format!("{lines} stored, 0 unchanged, 0 rejected")
    );
    assert!(run.stderr.is_empty(), "nothing reported: {run:#?}");
    let statuses = data
        .stdout
        .lines()
        .filter(|l| l.starts_with("{\"kind\":\"status\""))
        .count();
    assert!(statuses > 0, "the demo's status dictionary comes along");
    assert_eq!(
        fresh
            .store
            .statuses(ordo_store::Scope::tenant("default"))
            .await
            .unwrap()
            .len(),
        statuses
    );
    let stored = all_documents(fresh.store.as_ref(), "default").await;
    assert_eq!(stored.len(), lines - statuses);
}

#[tokio::test]
async fn the_database_comes_from_the_environment_or_a_flag_after_the_command() {
    let fresh = fresh().await;
    let mut command = bare_command();
    command
        .env("ORDO_DATABASE_URL", &fresh.url)
        .args(["keys", "create", "--scopes", "orders", "--name", "from-env"]);
    let created = run(command, b"").ok();
    let key = fresh
        .store
        .authenticate(created.last_line())
        .await
        .expect("authenticate runs");
    assert!(
        key.is_some(),
        "the key is in ORDO_DATABASE_URL's database: {created:#?}"
    );

    let mut command = bare_command();
    command.args(["keys", "list", "--database", &fresh.url]);
    let list = run(command, b"").ok();
    assert!(list.stdout.contains("from-env"), "{list:#?}");
}
