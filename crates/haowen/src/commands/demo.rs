//! `haowen demo`: fills an empty database with the demo site.

use anyhow::bail;

use crate::{commands::open_store, config::Config, demo};

pub async fn run(config: &Config) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    match demo::seed_if_empty(&store).await? {
        Some(n) => println!(
            "demo site created: {n} articles by {} creators",
            demo::creators().len()
        ),
        None => bail!(
            "the database already has {} articles; the demo only fills an empty site (use another --data-dir)",
            store.article_count().await?
        ),
    }
    store.close().await;
    Ok(())
}
