//! `haowen migrate [--status]`: applies pending migrations (serve does too) or lists them.

use crate::{commands::open_store, config::Config};

pub async fn run(config: &Config, status_only: bool) -> anyhow::Result<()> {
    // Opening applies pending migrations; --status only reports what is applied afterwards.
    let store = open_store(config).await?;
    let applied = store.applied_migrations().await?;
    if !status_only {
        println!(
            "database is up to date ({} backend)",
            store.backend().name()
        );
    }
    for (version, description) in applied {
        println!("{version}  {description}");
    }
    store.close().await;
    Ok(())
}
