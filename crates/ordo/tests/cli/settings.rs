//! Settings: `ordo config` prints the effective settings as TOML with each value's source;
//! a file is overridden by the environment and that by flags; a file's unknown key is an
//! error; passwords in URLs never reach the output.

use std::path::Path;

use crate::{Run, bare_command, run};

/// `ordo ARGS...` with `env` set, no other `ORDO_*` variable (but `ORDO_LOG=warn`).
fn ordo_env(env: &[(&str, &str)], args: &[&str]) -> Run {
    let mut command = bare_command();
    command.envs(env.iter().copied()).args(args);
    run(command, b"")
}

fn write_file(dir: &Path, text: &str) -> String {
    let path = dir.join("ordo.toml");
    std::fs::write(&path, text).expect("the settings file is written");
    path.display().to_string()
}

/// `ordo config`'s output parsed as TOML (comments dropped), and its line of `key`.
fn config(run: &Run, key: &str) -> (toml::Table, String) {
    let table: toml::Table = run.stdout.parse().expect("ordo config prints TOML");
    let line = run
        .stdout
        .lines()
        .find(|line| line.starts_with(&format!("{key} = ")))
        .unwrap_or_else(|| panic!("no line for {key}: {run:#?}"))
        .to_owned();
    (table, line)
}

#[test]
fn a_file_is_overridden_by_the_environment_and_that_by_a_flag() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = write_file(
        dir.path(),
        "database_url = \"sqlite://file.db\"\nmax_import_bytes = 1000\nlog_format = \"json\"\n",
    );
    let env = [
        ("ORDO_DATABASE_URL", "sqlite://env.db"),
        ("ORDO_MAX_IMPORT_BYTES", "2000"),
    ];

    let only_file = ordo_env(&[], &["--config", &file, "config"]).ok();
    let (table, line) = config(&only_file, "database_url");
    assert_eq!(table["database_url"].as_str(), Some("sqlite://file.db"));
    assert!(line.ends_with(&format!("# file {file}")), "{line}");
    assert_eq!(table["max_import_bytes"].as_integer(), Some(1000));
    assert_eq!(table["log_format"].as_str(), Some("json"));
    let (_, line) = config(&only_file, "listen");
    assert!(line.ends_with("# default"), "{line}");

    let with_env = ordo_env(&env, &["--config", &file, "config"]).ok();
    let (table, line) = config(&with_env, "database_url");
    assert_eq!(table["database_url"].as_str(), Some("sqlite://env.db"));
    assert!(line.ends_with("# env ORDO_DATABASE_URL"), "{line}");
    assert_eq!(table["max_import_bytes"].as_integer(), Some(2000));
    assert_eq!(
        table["log_format"].as_str(),
        Some("json"),
        "the file still counts"
    );

    let args = [
        "--config",
        &file,
        "--database",
        "sqlite://flag.db",
        "config",
    ];
    let with_flag = ordo_env(&env, &args).ok();
    let (table, line) = config(&with_flag, "database_url");
    assert_eq!(table["database_url"].as_str(), Some("sqlite://flag.db"));
    assert!(line.ends_with("# flag --database"), "{line}");
    assert_eq!(table["max_import_bytes"].as_integer(), Some(2000));
}

#[test]
fn ordo_config_names_the_file_to_read() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = write_file(dir.path(), "max_large_answers = 3\n");
    let run = ordo_env(&[("ORDO_CONFIG", &file)], &["config"]).ok();
    let (table, line) = config(&run, "max_large_answers");
    assert_eq!(table["max_large_answers"].as_integer(), Some(3));
    assert!(line.ends_with(&format!("# file {file}")), "{line}");
}

#[test]
fn without_layers_ordo_config_prints_every_default() {
    let mut command = bare_command();
    command.env_remove("ORDO_LOG").arg("config");
    let run = run(command, b"").ok();
    let (table, _) = config(&run, "listen");
    assert_eq!(table["listen"].as_str(), Some("127.0.0.1:8080"));
    assert_eq!(table["database_url"].as_str(), Some("sqlite://ordo.db"));
    for line in run.stdout.lines().filter(|line| !line.starts_with('#')) {
        assert!(line.ends_with("# default"), "{line}");
    }
}

#[test]
fn an_unknown_key_in_the_file_is_an_error_that_names_it() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = write_file(dir.path(), "listen = \"127.0.0.1:9000\"\nmax_body = 5\n");
    let run = ordo_env(&[], &["--config", &file, "config"]).failed();
    assert!(run.stderr.contains("max_body"), "{run:#?}");
    assert!(run.stderr.contains(&file), "{run:#?}");
    assert!(run.stdout.is_empty(), "{run:#?}");
}

#[test]
fn a_value_of_the_wrong_type_names_its_variable() {
    let run = ordo_env(&[("ORDO_MAX_DOCUMENT_BYTES", "lots")], &["config"]).failed();
    assert!(run.stderr.contains("ORDO_MAX_DOCUMENT_BYTES"), "{run:#?}");
}

#[test]
fn passwords_in_database_urls_are_masked_in_output_and_errors() {
    let url = "postgres://ordo:hunter2@127.0.0.1:1/ordo";
    let run = ordo_env(&[("ORDO_DATABASE_URL", url)], &["config"]).ok();
    let (table, _) = config(&run, "database_url");
    assert_eq!(
        table["database_url"].as_str(),
        Some("postgres://ordo:***@127.0.0.1:1/ordo")
    );
    assert!(!run.stdout.contains("hunter2"), "{run:#?}");

    // Nothing listens on port 1: the error names the database without its password.
    let run = ordo_env(&[], &["--database", url, "migrate"]).failed();
    assert!(run.stderr.contains("ordo:***@127.0.0.1:1"), "{run:#?}");
    assert!(!run.stderr.contains("hunter2"), "{run:#?}");
}
