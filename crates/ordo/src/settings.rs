//! `Settings`: every setting of ordo in one struct, read in one place, in layers — defaults ←
//! a TOML file (`--config FILE` or `ORDO_CONFIG`) ← `ORDO_*` environment ← flags — with the
//! source of each value kept for `ordo config`. Libraries receive values from here; no other
//! crate reads the environment.
//!
//! A new setting is one field of `Settings` and its default in `Settings::default`: its TOML
//! key is the field name and its environment variable `ORDO_` + the name in capitals. A flag
//! for it, if any, is one more line where the binary lists its flags.

use std::fmt;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use ordo_api::server::ServerLimits;
use ordo_api::{ApiConfig, MetricsAt};
use ordo_store::OpenOptions;
use serde::{Deserialize, Serialize};

/// Every setting of ordo. The field name is the TOML key; `ORDO_<NAME>` is the variable.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Address `ordo serve` listens on.
    pub listen: String,
    /// Where documents and keys are kept: `sqlite://PATH` or `postgres://USER@HOST:PORT/DB`.
    pub database_url: String,
    /// PostgreSQL connections an instance opens at most (SQLite ignores it).
    pub database_pool_size: usize,
    /// Largest body of `PUT /v1/{kind}/{id}`, in bytes.
    pub max_document_bytes: usize,
    /// Largest body of `POST /v1/import`, in bytes.
    pub max_import_bytes: usize,
    /// Large answers (list pages, relations, dialect pages) read, rendered or being sent at
    /// once: bounds the memory they take; further requests for them wait.
    pub max_large_answers: usize,
    /// Seconds a connection has to send complete request headers, from its opening or from
    /// the first byte of its next request.
    pub header_timeout: u64,
    /// Seconds a keep-alive connection with no request is kept open.
    pub idle_timeout: u64,
    /// Seconds a request body has to arrive whole after its headers (else 408).
    pub body_timeout: u64,
    /// Seconds an answer has to be read by its client before it is dropped with the
    /// connection.
    pub send_timeout: u64,
    /// Seconds a graceful stop waits for requests in progress.
    pub shutdown_timeout: u64,
    /// Connections open at once; 0: the open-file limit (raised to its hard limit) less 64
    /// kept for the store and logs.
    pub max_connections: usize,
    /// Requests per second (in bursts of as many) of a key created without a rate of its own;
    /// 0: unlimited.
    pub key_rate_limit: u32,
    /// `POST /v1/import` requests running at once on this instance (one per tenant).
    pub max_imports: usize,
    /// Origins (`https://shop.example`) whose browser pages may call ordo, comma-separated;
    /// empty: CORS off.
    pub cors_origins: String,
    /// Address of a listener of its own for `GET /metrics`; empty: `/metrics` on `listen`;
    /// `off`: no metrics at all.
    pub metrics_listen: String,
    /// What is logged, as a `tracing` filter: `info`, `warn`, `ordo_api=debug,info`.
    pub log: String,
    /// How log lines are written to standard error.
    pub log_format: LogFormat,
    /// `nats://HOST:PORT` of a NATS server with JetStream: every change is published there
    /// (docs/events.md); empty: none.
    pub events_nats: String,
    /// The JetStream stream, created with subjects `ordo.>` if absent.
    pub events_nats_stream: String,
    /// Seconds the stream keeps a message (when it creates the stream); 0: no limit.
    pub events_nats_max_age: u64,
    /// Bytes the stream holds at most, oldest dropped first (when it creates the stream);
    /// 0: no limit.
    pub events_nats_max_bytes: u64,
    /// Replicas of the stream in a NATS cluster (when it creates the stream).
    pub events_nats_replicas: usize,
    /// Webhooks may point at loopback, private and link-local addresses, and use plain
    /// `http://`: for receivers on premises, and tests.
    pub webhooks_allow_private: bool,
}

/// The defaults: the one place they are written.
impl Default for Settings {
    fn default() -> Self {
        Settings {
            listen: "127.0.0.1:8080".to_owned(),
            database_url: "sqlite://ordo.db".to_owned(),
            database_pool_size: 16,
            max_document_bytes: 1 << 20,
            max_import_bytes: 64 << 20,
            max_large_answers: 8,
            header_timeout: 10,
            idle_timeout: 60,
            body_timeout: 60,
            send_timeout: 30,
            shutdown_timeout: 30,
            max_connections: 0,
            key_rate_limit: 0,
            max_imports: 2,
            cors_origins: String::new(),
            metrics_listen: String::new(),
            log: "info".to_owned(),
            log_format: LogFormat::Text,
            events_nats: String::new(),
            events_nats_stream: "ORDO".to_owned(),
            events_nats_max_age: 7 * 24 * 3600,
            events_nats_max_bytes: 0,
            events_nats_replicas: 1,
            webhooks_allow_private: false,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One human-readable line per event.
    Text,
    /// One JSON object per event, for log collectors.
    Json,
}

impl Settings {
    /// The limits of the HTTP surfaces.
    pub fn api(&self) -> ApiConfig {
        ApiConfig {
            max_document_bytes: self.max_document_bytes,
            max_import_bytes: self.max_import_bytes,
            max_large_answers: self.max_large_answers,
            key_rate_limit: NonZeroU32::new(self.key_rate_limit),
            max_imports: self.max_imports,
            webhooks_allow_private: self.webhooks_allow_private,
            cors_origins: self.cors_origins(),
            metrics: match self.metrics_listen.trim() {
                "" => MetricsAt::Main,
                "off" => MetricsAt::Off,
                _ => MetricsAt::Apart,
            },
            build: crate::build_info(),
        }
    }

    /// The JetStream relay's settings, when `events_nats` names a server.
    pub fn nats(&self) -> Option<ordo_events::nats::NatsConfig> {
        if self.events_nats.is_empty() {
            return None;
        }
        Some(ordo_events::nats::NatsConfig {
            url: self.events_nats.clone(),
            stream: self.events_nats_stream.clone(),
            subject_prefix: "ordo".to_owned(),
            max_age: Duration::from_secs(self.events_nats_max_age),
            max_bytes: i64::try_from(self.events_nats_max_bytes)
                .ok()
                .filter(|&bytes| bytes > 0)
                .unwrap_or(-1),
            replicas: self.events_nats_replicas.max(1),
            // JetStream's default: far longer than a lease, so that the replays of an
            // instance that died are dropped.
            duplicate_window: Duration::from_secs(120),
        })
    }

    /// The CORS origins, one by one.
    pub fn cors_origins(&self) -> Vec<String> {
        self.cors_origins
            .split(',')
            .map(str::trim)
            .filter(|origin| !origin.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// The deadlines and bounds of the server's connections; raises the open-file limit when
    /// the connection bound is left to it.
    pub fn server(&self) -> ServerLimits {
        let max_connections = match self.max_connections {
            0 => ordo_api::server::raise_open_file_limit(),
            given => {
                ordo_api::server::raise_open_file_limit();
                given
            }
        };
        ServerLimits {
            header_timeout: Duration::from_secs(self.header_timeout),
            idle_timeout: Duration::from_secs(self.idle_timeout),
            body_timeout: Duration::from_secs(self.body_timeout),
            send_timeout: Duration::from_secs(self.send_timeout),
            max_connections,
            shutdown_timeout: Duration::from_secs(self.shutdown_timeout),
        }
    }

    /// How the store is opened.
    pub fn store(&self) -> OpenOptions {
        OpenOptions {
            pool_size: self.database_pool_size,
        }
    }

    /// The database URL as it may be printed or logged: its password masked.
    pub fn database_shown(&self) -> String {
        mask_password(&self.database_url)
    }
}

/// Where a setting's value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Default,
    File(PathBuf),
    Env(String),
    Flag(&'static str),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Default => f.write_str("default"),
            Source::File(path) => write!(f, "file {}", path.display()),
            Source::Env(var) => write!(f, "env {var}"),
            Source::Flag(flag) => write!(f, "flag {flag}"),
        }
    }
}

/// A flag given on the command line, for the setting `key`.
#[derive(Clone, Debug)]
pub struct Flag {
    pub key: &'static str,
    pub name: &'static str,
    pub value: toml::Value,
}

/// Adds the flag `name` for the setting `key` to `flags` when it was given.
pub fn flag<T: Serialize>(
    flags: &mut Vec<Flag>,
    key: &'static str,
    name: &'static str,
    value: Option<T>,
) {
    if let Some(value) = value {
        let value = toml::Value::try_from(value).expect("a flag's value is a TOML value");
        flags.push(Flag { key, name, value });
    }
}

/// The effective settings and where each came from.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub settings: Settings,
    /// Every setting, in the order of the struct, with its source.
    table: toml::Table,
    sources: Vec<(String, Source)>,
}

/// The environment variable of a setting.
pub fn env_var(key: &str) -> String {
    format!("ORDO_{}", key.to_ascii_uppercase())
}

impl Loaded {
    /// Layers the settings: defaults ← `file` ← the environment (`env` looks a variable up)
    /// ← `flags`. A file with a key that is no setting, or a value of the wrong type in any
    /// layer, is an error that names the key and where the value came from.
    pub fn load(
        file: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
        flags: &[Flag],
    ) -> anyhow::Result<Loaded> {
        let table = toml::Table::try_from(Settings::default()).expect("settings are a table");
        let sources = table
            .keys()
            .map(|key| (key.clone(), Source::Default))
            .collect();
        let mut loaded = Loaded {
            settings: Settings::default(),
            table,
            sources,
        };
        if let Some(path) = file {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading the settings file {}", path.display()))?;
            let file: toml::Table = text
                .parse()
                .with_context(|| format!("{} is not a TOML table", path.display()))?;
            for (key, value) in file {
                loaded.set(&key, value, Source::File(path.to_owned()))?;
            }
        }
        let keys: Vec<String> = loaded.table.keys().cloned().collect();
        for key in keys {
            let var = env_var(&key);
            if let Some(raw) = env(&var) {
                let value = loaded.typed_like_default(&key, &raw, &var)?;
                loaded.set(&key, value, Source::Env(var))?;
            }
        }
        for flag in flags {
            loaded.set(flag.key, flag.value.clone(), Source::Flag(flag.name))?;
        }
        Ok(loaded)
    }

    /// Sets one value, checking that it is a setting and that the settings still parse.
    fn set(&mut self, key: &str, value: toml::Value, source: Source) -> anyhow::Result<()> {
        let Some(slot) = self.table.get_mut(key) else {
            let known: Vec<&str> = self.table.keys().map(String::as_str).collect();
            bail!(
                "{source}: unknown setting `{key}` (the settings are {})",
                known.join(", ")
            );
        };
        *slot = value;
        // The whole table, each time: a type error is then told with its key and source.
        self.settings = toml::Value::Table(self.table.clone())
            .try_into::<Settings>()
            .with_context(|| format!("{source}: bad value for setting `{key}`"))?;
        let entry = self
            .sources
            .iter_mut()
            .find(|(k, _)| k == key)
            .expect("every setting has a source");
        entry.1 = source;
        Ok(())
    }

    /// A value from an environment variable's text, typed like the setting's default (the
    /// environment has only strings; `ORDO_MAX_IMPORT_BYTES=1024` is a number).
    fn typed_like_default(&self, key: &str, raw: &str, var: &str) -> anyhow::Result<toml::Value> {
        Ok(match self.table.get(key) {
            Some(toml::Value::Integer(_)) => toml::Value::Integer(
                raw.trim()
                    .parse()
                    .with_context(|| format!("env {var}: `{raw}` is not a whole number"))?,
            ),
            Some(toml::Value::Boolean(_)) => toml::Value::Boolean(
                raw.trim()
                    .parse()
                    .with_context(|| format!("env {var}: `{raw}` is not true or false"))?,
            ),
            _ => toml::Value::String(raw.to_owned()),
        })
    }

    /// Where the value of `key` came from.
    #[cfg(test)]
    pub fn source(&self, key: &str) -> Option<&Source> {
        self.sources
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, source)| source)
    }

    /// The effective settings as TOML, each line followed by its source as a comment, with
    /// any password in a URL masked.
    pub fn to_toml(&self) -> String {
        let mut out =
            String::from("# The effective settings of ordo; after each, where it came from.\n");
        for (key, source) in &self.sources {
            let mut value = self.table[key].clone();
            if let toml::Value::String(text) = &mut value {
                *text = mask_password(text);
            }
            let mut line = toml::Table::new();
            line.insert(key.clone(), value);
            let line = line.to_string();
            out.push_str(line.trim_end());
            out.push_str(&format!("  # {source}\n"));
        }
        out
    }
}

/// `text` with the password of a URL in it replaced by `***`: the one after `user:` before the
/// host, and a `password=` parameter of the query. Other text is returned as it is.
pub fn mask_password(text: &str) -> String {
    let Some(scheme_end) = text.find("://") else {
        return text.to_owned();
    };
    let rest_start = scheme_end + 3;
    let rest = &text[rest_start..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let mut out = text[..rest_start].to_owned();
    let authority = &rest[..authority_end];
    match authority.rfind('@') {
        Some(at) => {
            let userinfo = &authority[..at];
            match userinfo.find(':') {
                Some(colon) => {
                    out.push_str(&userinfo[..colon]);
                    out.push_str(":***");
                }
                None => out.push_str(userinfo),
            }
            out.push_str(&authority[at..]);
        }
        None => out.push_str(authority),
    }
    let tail = &rest[authority_end..];
    match tail.split_once('?') {
        Some((path, query)) => {
            out.push_str(path);
            out.push('?');
            let params: Vec<String> = query
                .split('&')
                .map(|param| match param.split_once('=') {
                    Some((name, _)) if name.eq_ignore_ascii_case("password") => {
                        format!("{name}=***")
                    }
                    _ => param.to_owned(),
                })
                .collect();
            out.push_str(&params.join("&"));
        }
        None => out.push_str(tail),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn without_layers_the_settings_are_the_defaults() {
        let loaded = Loaded::load(None, no_env, &[]).unwrap();
        assert_eq!(loaded.settings, Settings::default());
        assert_eq!(loaded.source("listen"), Some(&Source::Default));
    }

    #[test]
    fn every_setting_has_a_source_and_a_line() {
        let loaded = Loaded::load(None, no_env, &[]).unwrap();
        let table = toml::Table::try_from(Settings::default()).unwrap();
        assert_eq!(loaded.sources.len(), table.len());
        assert_eq!(loaded.to_toml().lines().count(), table.len() + 1);
    }

    #[test]
    fn the_environment_is_typed_like_the_default() {
        let env = |var: &str| match var {
            "ORDO_MAX_IMPORT_BYTES" => Some("1024".to_owned()),
            "ORDO_LOG_FORMAT" => Some("json".to_owned()),
            _ => None,
        };
        let loaded = Loaded::load(None, env, &[]).unwrap();
        assert_eq!(loaded.settings.max_import_bytes, 1024);
        assert_eq!(loaded.settings.log_format, LogFormat::Json);
        assert_eq!(
            loaded.source("max_import_bytes"),
            Some(&Source::Env("ORDO_MAX_IMPORT_BYTES".to_owned()))
        );
    }

    #[test]
    fn a_bad_value_names_its_variable() {
        let env = |var: &str| (var == "ORDO_MAX_LARGE_ANSWERS").then(|| "many".to_owned());
        let error = format!("{:#}", Loaded::load(None, env, &[]).unwrap_err());
        assert!(error.contains("ORDO_MAX_LARGE_ANSWERS"), "{error}");
        let env = |var: &str| (var == "ORDO_LOG_FORMAT").then(|| "xml".to_owned());
        let error = format!("{:#}", Loaded::load(None, env, &[]).unwrap_err());
        assert!(error.contains("env ORDO_LOG_FORMAT"), "{error}");
        assert!(error.contains("log_format"), "{error}");
    }

    #[test]
    fn a_flag_for_no_setting_is_refused() {
        let mut flags = Vec::new();
        flag(&mut flags, "no_such_setting", "--nothing", Some(1));
        assert!(Loaded::load(None, no_env, &flags).is_err());
    }

    #[test]
    fn passwords_in_urls_are_masked() {
        let cases = [
            (
                "postgres://ordo:secret@db:5432/ordo",
                "postgres://ordo:***@db:5432/ordo",
            ),
            ("postgres://ordo@db/ordo", "postgres://ordo@db/ordo"),
            (
                "postgres://ordo@db/ordo?sslmode=require&password=secret",
                "postgres://ordo@db/ordo?sslmode=require&password=***",
            ),
            ("postgres://u:p@ss@db/x", "postgres://u:***@db/x"),
            ("sqlite://ordo.db", "sqlite://ordo.db"),
            ("127.0.0.1:8080", "127.0.0.1:8080"),
        ];
        for (url, shown) in cases {
            assert_eq!(mask_password(url), shown, "{url}");
        }
    }
}
