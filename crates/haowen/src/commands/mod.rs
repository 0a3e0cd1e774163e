//! One module per subcommand; `main.rs` parses the command line and calls them.

pub mod admin;
pub mod bench;
pub mod bench_cli;
pub mod bench_comments;
pub mod bench_corpus;
pub mod bench_discovery;
pub mod bench_poster;
pub mod bench_writes;
pub mod demo;
pub mod eval;
pub mod migrate;
pub mod reindex;
pub mod serve;
mod synthetic;

use anyhow::Context;
use haowen_db::Store;

use crate::config::{Config, redact_url};

/// Opens the configured database (creating and migrating it when needed).
pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    let url = config.effective_database_url();
    Store::open(&url)
        .await
        .with_context(|| format!("cannot open the database {}", redact_url(&url)))
}
