//! `haowen reindex`: rebuilds this node's search index from the database, with a progress bar
//! on a terminal. Safe while the server runs elsewhere against the same database (the server's
//! own index is the one under its data folder; run this with the server stopped, or point it
//! at another `--data-dir`, since one index folder takes one writer).

use std::io::IsTerminal;

use anyhow::Context;
use haowen_app::discovery::Discovery;
use indicatif::{ProgressBar, ProgressStyle};

use crate::{commands::open_store, config::Config};

pub async fn run(config: &Config) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    let dir = config.data_dir.join("search");
    let discovery = Discovery::open_for_bulk(&dir).with_context(|| {
        format!(
            "cannot open the search index in {} (is `haowen serve` running on this data folder? stop it first)",
            dir.display()
        )
    })?;
    let total = store.published_count().await?.max(0) as u64;
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::new(total)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} 篇 {per_sec} ETA {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let started = std::time::Instant::now();
    let n = discovery
        .rebuild(&store, |done, _| bar.set_position(done))
        .await?;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "indexed {n} articles in {secs:.1} s ({:.0} articles/s) into {}",
        n as f64 / secs.max(1e-9),
        dir.display()
    );
    store.close().await;
    Ok(())
}
