//! Typed configuration: defaults, then `haowen.toml` (or `--config FILE`), then `HAOWEN_*`
//! environment variables, then command-line flags. `serve` needs none of it.

use std::path::{Path, PathBuf};

use anyhow::Context;
use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use serde::{Deserialize, Serialize};

/// Everything configurable at start-up. Site settings that change at run time (name,
/// disclaimer, time zone) live in the database instead: see `haowen admin settings`.
#[derive(Clone, Serialize, Deserialize)]
pub struct Config {
    /// Folder for the SQLite database (and, later, the search index and media).
    pub data_dir: PathBuf,
    /// `sqlite:PATH` or `postgres://…`; empty means `sqlite:{data_dir}/haowen.db`.
    pub database_url: String,
    /// Address `serve` listens on.
    pub bind: String,
    /// Public base URL used in share links and QR codes; empty means `http://{bind}`.
    pub public_url: String,
    /// Trust `X-Forwarded-For` (only behind a reverse proxy you run).
    pub behind_proxy: bool,
    /// With `behind_proxy`: how many proxies you run in front (each appends the address it
    /// received from); the client is that many entries from the right of `X-Forwarded-For`.
    pub proxy_hops: usize,
    /// Open connections at most (lowered to fit the process's file limit); past it, new
    /// visitors close the oldest idle connection.
    pub max_connections: usize,
    /// Seconds a connection has to send a request head (after opening or after a response).
    pub header_timeout_secs: u64,
    /// Log filter, e.g. `info` or `haowen_web=debug`.
    pub log: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("./data"),
            database_url: String::new(),
            bind: "127.0.0.1:8080".to_string(),
            public_url: String::new(),
            behind_proxy: false,
            proxy_hops: 1,
            max_connections: 10_000,
            header_timeout_secs: 10,
            log: "info".to_string(),
        }
    }
}

/// The database URL with its credentials hidden, for logs and messages.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://***@{}", &url[..scheme], &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field("database_url", &redact_url(&self.effective_database_url()))
            .field("bind", &self.bind)
            .field("public_url", &self.effective_public_url())
            .field("behind_proxy", &self.behind_proxy)
            .field("proxy_hops", &self.proxy_hops)
            .field("max_connections", &self.max_connections)
            .field("header_timeout_secs", &self.header_timeout_secs)
            .field("log", &self.log)
            .finish()
    }
}

impl Config {
    /// Loads defaults ← file ← environment. A missing default file is fine; a missing file
    /// named with `--config` is an error.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Config> {
        let mut fig = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(path) => {
                anyhow::ensure!(
                    path.exists(),
                    "config file {} does not exist",
                    path.display()
                );
                fig = fig.merge(Toml::file(path));
            }
            None => fig = fig.merge(Toml::file("haowen.toml")),
        }
        fig = fig.merge(Env::prefixed("HAOWEN_").only(&[
            "data_dir",
            "database_url",
            "bind",
            "public_url",
            "behind_proxy",
            "proxy_hops",
            "max_connections",
            "header_timeout_secs",
            "log",
        ]));
        fig.extract()
            .context("invalid configuration (haowen.toml or HAOWEN_* variables)")
    }

    pub fn effective_database_url(&self) -> String {
        if self.database_url.is_empty() {
            format!("sqlite:{}", self.data_dir.join("haowen.db").display())
        } else {
            self.database_url.clone()
        }
    }

    pub fn effective_public_url(&self) -> String {
        if self.public_url.is_empty() {
            format!("http://{}", self.bind)
        } else {
            self.public_url.trim_end_matches('/').to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_need_no_file() {
        let c = Config::default();
        assert_eq!(c.effective_database_url(), "sqlite:./data/haowen.db");
        assert_eq!(c.effective_public_url(), "http://127.0.0.1:8080");
    }

    #[test]
    fn secrets_are_redacted() {
        assert_eq!(
            redact_url("postgres://u:secret@db:5432/x"),
            "postgres://***@db:5432/x"
        );
        let c = Config {
            database_url: "postgres://u:secret@db/x".into(),
            ..Config::default()
        };
        assert!(!format!("{c:?}").contains("secret"));
    }
}
