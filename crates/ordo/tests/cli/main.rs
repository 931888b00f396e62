//! Command-line tests: each runs the built `ordo` binary against a fresh store of its own (a
//! temporary SQLite file, or a PostgreSQL schema of its own when `ORDO_TEST_DATABASE_URL` is
//! set), and reads what it did back through the store API.

mod erase;
mod export;
mod import;
mod keys;
mod operator;
mod serve;
mod settings;
mod setup;

use std::io::Write;
use std::process::{Command, Stdio};

use ordo_model::Kind;
use ordo_store::testing::TestStore;
use ordo_store::{Scope, Store, StoredDoc};
use serde_json::Value;

/// What one run of `ordo` did.
#[derive(Debug)]
pub struct Run {
    pub success: bool,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The last line of standard output, trimmed (the import summary, a key's secret).
    pub fn last_line(&self) -> &str {
        self.stdout.lines().last().unwrap_or_default().trim()
    }

    /// Panics with everything the run printed unless it succeeded.
    #[track_caller]
    pub fn ok(self) -> Run {
        assert!(self.success, "ordo failed: {self:#?}");
        self
    }

    /// Panics with everything the run printed unless it failed.
    #[track_caller]
    pub fn failed(self) -> Run {
        assert!(!self.success, "ordo should have failed: {self:#?}");
        assert!(
            self.code.is_some_and(|c| c != 0),
            "ordo should exit non-zero, not by a signal: {self:#?}"
        );
        self
    }
}

/// `ordo`, with none of the caller's `ORDO_*` settings (nor `ORDO_CONFIG`) leaking in.
pub fn bare_command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ordo"));
    for (var, _) in std::env::vars_os() {
        if var.to_string_lossy().starts_with("ORDO_") {
            command.env_remove(var);
        }
    }
    command.env("ORDO_LOG", "warn");
    command
}

/// `ordo --database URL`.
pub fn ordo_command(url: &str) -> Command {
    let mut command = bare_command();
    command.arg("--database").arg(url);
    command
}

/// Runs `ordo --database URL ARGS...` with empty standard input.
pub fn ordo(url: &str, args: &[&str]) -> Run {
    ordo_with_input(url, args, b"")
}

/// Runs `ordo --database URL ARGS...` with `input` on standard input.
pub fn ordo_with_input(url: &str, args: &[&str], input: &[u8]) -> Run {
    let mut command = ordo_command(url);
    command.args(args);
    run(command, input)
}

/// Runs a command with `input` on standard input, to its end.
pub fn run(mut command: Command, input: &[u8]) -> Run {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the ordo binary starts");
    let mut stdin = child.stdin.take().expect("a piped stdin");
    let input = input.to_vec();
    // A writer of its own: a large input must not dead-lock against a full stdout pipe.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let output = child.wait_with_output().expect("ordo runs to the end");
    writer.join().expect("the stdin writer ends");
    Run {
        success: output.status.success(),
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A migrated, empty store on the backend of this test run.
pub async fn fresh() -> TestStore {
    let fresh = ordo_store::testing::fresh_store()
        .await
        .expect("a fresh store");
    // A run meant for PostgreSQL must not pass on SQLite unnoticed.
    if std::env::var(ordo_store::testing::TEST_DATABASE_URL)
        .is_ok_and(|url| url.starts_with("postgres"))
    {
        assert!(fresh.url.starts_with("postgres"), "{}", fresh.url);
    }
    fresh
}

/// One document of a tenant, as a key without a customer reads it.
pub async fn get(store: &dyn Store, tenant: &str, kind: Kind, id: &str) -> Option<StoredDoc> {
    let scope = Scope::tenant(tenant);
    store.get(scope, kind, id).await.expect("get succeeds")
}

/// Every document of a tenant, in revision order.
pub async fn all_documents(store: &dyn Store, tenant: &str) -> Vec<StoredDoc> {
    store
        .changes(tenant, 0, 100_000)
        .await
        .expect("the change feed reads")
}

/// The kind and id of each line of an NDJSON export, checking that each line is one JSON object
/// that opens with its `"kind"`.
pub fn exported_ids(ndjson: &str) -> Vec<(Kind, String)> {
    ndjson
        .lines()
        // The status dictionary comes first; it holds no documents.
        .filter(|line| !line.starts_with("{\"kind\":\"status\""))
        .map(|line| {
            assert!(
                line.starts_with("{\"kind\":\""),
                "an export line opens with its kind: {line}"
            );
            let value: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("an export line is JSON ({e}): {line}"));
            let kind: Kind = value["kind"]
                .as_str()
                .expect("a string kind")
                .parse()
                .expect("a known kind");
            let id = value[kind.id_field()]
                .as_str()
                .unwrap_or_else(|| panic!("{kind} line without {}: {line}", kind.id_field()));
            (kind, id.to_owned())
        })
        .collect()
}

/// The lines of an NDJSON text, sorted: two exports are compared modulo line order.
pub fn sorted_lines(ndjson: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = ndjson.lines().collect();
    lines.sort_unstable();
    lines
}

/// Asserts that both stores hold each document with the same body and derived link lists.
pub async fn assert_same_documents(
    a: &dyn Store,
    b: &dyn Store,
    tenant: &str,
    documents: &[(Kind, String)],
) {
    for (kind, id) in documents {
        let left = get(a, tenant, *kind, id).await;
        let right = get(b, tenant, *kind, id).await;
        let (left, right) = match (left, right) {
            (Some(left), Some(right)) => (left, right),
            (left, right) => panic!("{kind} {id}: first store {left:?}, second store {right:?}"),
        };
        assert_eq!(left.body, right.body, "{kind} {id}: bodies differ");
        assert_eq!(
            left.derived, right.derived,
            "{kind} {id}: derived lists differ"
        );
    }
}
