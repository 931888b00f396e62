//! What an operator meets first: `--version` names the build, `migrate` says what it did,
//! `keys` refuses bad input with the valid scopes, and a store that cannot be opened says why
//! in one line, without the password.

use crate::{bare_command, fresh, ordo, run};

#[test]
fn version_names_the_git_commit() {
    let mut command = bare_command();
    command.arg("--version");
    let run = run(command, b"");
    assert!(run.success, "{run:#?}");
    let line = run.stdout.trim();
    assert!(
        line.starts_with(&format!("ordo {} (commit ", env!("CARGO_PKG_VERSION"))),
        "{line}"
    );
}

#[tokio::test]
async fn migrate_names_what_it_applied_or_says_nothing_was_pending() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("new.db").display());
    let first = ordo(&url, &["migrate"]).ok();
    assert!(first.stdout.starts_with("applied migrations"), "{first:#?}");
    assert!(first.stdout.contains("1, 2"), "{first:#?}");
    let again = ordo(&url, &["migrate"]).ok();
    assert!(
        again.stdout.starts_with("no migration was pending"),
        "{again:#?}"
    );

    // A store of the test run's backend, migrated when it was made.
    let fresh = fresh().await;
    let run = ordo(&fresh.url, &["migrate"]).ok();
    assert!(
        run.stdout.starts_with("no migration was pending"),
        "{run:#?}"
    );
}

#[tokio::test]
async fn keys_create_refuses_empty_ids_and_bad_scopes_naming_the_valid_ones() {
    let fresh = fresh().await;
    let cases: [(&[&str], &str); 5] = [
        (&["--tenant", "", "--scopes", "orders"], "--tenant is empty"),
        (&["--customer", "", "--scopes", "orders"], "--customer"),
        (&["--scopes", "orders,orders"], "`orders` given twice"),
        (&["--scopes", "orders,quotes"], "unknown scope `quotes`"),
        (&["--scopes", "orders,"], "an empty scope"),
    ];
    for (args, message) in cases {
        let mut all = vec!["keys", "create"];
        all.extend_from_slice(args);
        let run = ordo(&fresh.url, &all).failed();
        assert!(run.stderr.contains(message), "{args:?}: {run:#?}");
        if args.contains(&"--scopes") && !message.starts_with("--") {
            assert!(run.stderr.contains("vendor-returns:write"), "{run:#?}");
        }
    }
    assert!(fresh.store.list_keys().await.expect("keys").is_empty());

    let run = ordo(
        &fresh.url,
        &["keys", "create", "--scopes", "orders, returns,  statuses"],
    )
    .ok();
    assert!(
        run.stdout.contains("scopes: orders,returns,statuses"),
        "{run:#?}"
    );
}

#[tokio::test]
async fn keys_list_is_a_table_or_json_and_revoking_twice_says_so() {
    let fresh = fresh().await;
    let long_name = "a name longer than any column width of the table";
    ordo(
        &fresh.url,
        &["keys", "create", "--scopes", "orders", "--name", long_name],
    )
    .ok();
    let list = ordo(&fresh.url, &["keys", "list"]).ok();
    let lines: Vec<&str> = list.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{list:#?}");
    // Every column starts where its header does: the name does not run into the scopes.
    let scopes_at = lines[0].find("scopes").expect("a scopes column");
    assert_eq!(lines[1].find("orders"), Some(scopes_at), "{list:#?}");
    assert!(lines[1].contains(long_name));

    let json = ordo(&fresh.url, &["keys", "list", "--json"]).ok();
    let keys: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(keys[0]["name"], long_name, "{keys:#}");
    assert_eq!(keys[0]["scopes"][0], "orders", "{keys:#}");
    assert_eq!(keys[0]["revoked"], false, "{keys:#}");
    let id = keys[0]["id"].as_str().expect("an id");

    let first = ordo(&fresh.url, &["keys", "revoke", id]).ok();
    assert_eq!(first.stdout.trim(), format!("revoked key {id}"));
    let second = ordo(&fresh.url, &["keys", "revoke", id]).ok();
    assert_eq!(
        second.stdout.trim(),
        format!("key {id} was already revoked")
    );
}

#[test]
fn help_names_every_scope_and_both_url_schemes() {
    let mut command = bare_command();
    command.args(["keys", "create", "--help"]);
    let help = run(command, b"");
    for scope in [
        "quotas",
        "vendor-returns:write",
        "customers:relations",
        "statuses",
    ] {
        assert!(help.stdout.contains(scope), "{scope}: {help:#?}");
    }
    let mut command = bare_command();
    command.args(["serve", "--help"]);
    let help = run(command, b"");
    for text in [
        "sqlite://",
        "postgres://",
        "--cors-origins",
        "--metrics-listen",
    ] {
        assert!(help.stdout.contains(text), "{text}: {help:#?}");
    }
    let mut command = bare_command();
    command.args(["generate", "--help"]);
    let help = run(command, b"");
    assert!(!help.stdout.contains("--database"), "{help:#?}");
}

#[test]
fn an_unsupported_scheme_lists_the_supported_ones_without_the_password() {
    let run = ordo("mysql://ordo:hunter2@db/ordo", &["keys", "list"]).failed();
    let line = run.stderr.trim();
    assert_eq!(line.lines().count(), 1, "{run:#?}");
    assert!(
        line.contains("unsupported database URL scheme `mysql`"),
        "{line}"
    );
    assert!(
        line.contains("sqlite://") && line.contains("postgres://"),
        "{line}"
    );
    assert!(!line.contains("hunter2"), "{line}");
}

#[test]
fn a_closed_port_is_named() {
    // Nothing listens on port 1.
    let run = ordo("postgres://ordo:hunter2@127.0.0.1:1/ordo", &["migrate"]).failed();
    let line = run.stderr.trim();
    assert_eq!(line.lines().count(), 1, "{run:#?}");
    assert!(line.contains("connection refused by 127.0.0.1:1"), "{line}");
    assert!(
        line.contains("ordo:***@") && !line.contains("hunter2"),
        "{line}"
    );
}

/// The PostgreSQL server of the test run, when it runs on one.
fn postgres() -> Option<url_parts::Parts> {
    let url = std::env::var(ordo_store::testing::TEST_DATABASE_URL).ok()?;
    url.starts_with("postgres").then(|| url_parts::parse(&url))
}

mod url_parts {
    /// `postgres://USER@HOST:PORT/DB`, in pieces.
    pub struct Parts {
        pub host_port: String,
    }

    pub fn parse(url: &str) -> Parts {
        let rest = url.split_once("://").expect("a scheme").1;
        let authority = rest.split(['/', '?']).next().expect("an authority");
        let host_port = authority.rsplit('@').next().expect("a host").to_owned();
        Parts { host_port }
    }
}

#[test]
fn a_missing_role_a_missing_database_and_a_tls_failure_are_named() {
    let Some(server) = postgres() else {
        return; // SQLite run: there is no PostgreSQL server to ask.
    };
    let host = &server.host_port;
    let url = format!("postgres://nobody_here:hunter2@{host}/postgres");
    let run = ordo(&url, &["migrate"]).failed();
    let line = run.stderr.trim();
    assert!(
        line.contains("authentication failed for role \"nobody_here\""),
        "{line}"
    );
    assert!(!line.contains("hunter2"), "{line}");

    // The test server's certificate is none a public root signs (or it has no TLS at all).
    let url = format!("postgres://postgres:hunter2@{host}/postgres?sslmode=require");
    let run = ordo(&url, &["migrate"]).failed();
    let line = run.stderr.trim();
    assert!(line.contains(&format!("TLS failure with {host}")), "{line}");
    assert!(!line.contains("hunter2"), "{line}");

    let url = format!("postgres://postgres@{host}/no_such_database");
    let run = ordo(&url, &["migrate"]).failed();
    let line = run.stderr.trim();
    assert!(
        line.contains("database \"no_such_database\" does not exist"),
        "{line}"
    );
}

/// A file of the repository, from this crate's directory.
fn repository_file(path: &str) -> String {
    format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"))
}

#[tokio::test]
async fn the_guides_files_import_cleanly() {
    // docs/getting-started.md: one minimal line per kind, and the status dictionary.
    let first = fresh().await;
    let minimal = repository_file("docs/examples/minimal.ndjson");
    let run = ordo(&first.url, &["import", &minimal]).ok();
    assert_eq!(
        run.last_line(),
        "8 stored, 0 unchanged, 0 rejected",
        "{run:#?}"
    );
    let again = ordo(&first.url, &["import", &minimal]).ok();
    assert_eq!(again.last_line(), "0 stored, 8 unchanged, 0 rejected");

    // docs/migrating.md: Shopify's sample export, converted by the script, imports whole.
    let converted = std::process::Command::new("python3")
        .arg(repository_file("scripts/shopify-to-ndjson"))
        .arg(repository_file("scripts/samples/shopify-orders.csv"))
        .output()
        .expect("python3 runs the converter");
    assert!(converted.status.success(), "{converted:?}");
    let fresh = fresh().await;
    let run = crate::ordo_with_input(
        &fresh.url,
        &["import", "--tenant", "my-shop", "-"],
        &converted.stdout,
    )
    .ok();
    assert_eq!(
        run.last_line(),
        "6 stored, 0 unchanged, 0 rejected",
        "{run:#?}"
    );
    let order = crate::get(
        fresh.store.as_ref(),
        "my-shop",
        ordo_model::Kind::Order,
        "1001",
    )
    .await
    .expect("order 1001 is stored");
    assert!(order.body.contains("\"total\":64.70"), "{}", order.body);
    assert!(
        order.body.contains("\"itemId\":\"1001-2\""),
        "{}",
        order.body
    );
}

#[test]
fn import_off_a_terminal_writes_progress_lines_saying_what_is_stored() {
    // A slow pipe: lines arrive over more than the 5 s between progress lines.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("progress.db").display());
    let minimal = std::fs::read_to_string(repository_file("docs/examples/minimal.ndjson"))
        .expect("the minimal file");
    let mut command = crate::ordo_command(&url);
    command
        .args(["import", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = command.spawn().expect("ordo starts");
    let mut stdin = child.stdin.take().expect("a pipe");
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        for line in minimal.lines().chain(minimal.lines()) {
            let _ = writeln!(stdin, "{line}");
            let _ = stdin.flush();
            std::thread::sleep(std::time::Duration::from_millis(800));
        }
    });
    writer.join().expect("the writer ends");
    let output = child.wait_with_output().expect("ordo ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let progress: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("import: "))
        .collect();
    assert!(!progress.is_empty(), "no progress line: {stderr}");
    assert!(progress[0].contains("lines done for good"), "{stderr}");
}
