//! `haowen admin settings [show | set KEY VALUE | reset KEY]`: the site settings admins change
//! at run time (name, disclaimer, time zone, footer); `haowen admin article ID takedown|restore`.
//! A running server picks changes up within a second through the change feed.

use anyhow::{Context, bail};
use haowen_core::ArticleStatus;
use haowen_core::settings::{KEYS, validate};

use crate::{commands::open_store, config::Config};

/// What to do with the settings.
pub enum SettingsAction {
    Show,
    Set { key: String, value: String },
    Reset { key: String },
}

pub async fn settings(config: &Config, action: SettingsAction) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    match action {
        SettingsAction::Show => {
            let pairs = store.setting_pairs().await?;
            for (key, default, meaning) in KEYS {
                let (value, origin) = match pairs.get(*key) {
                    Some(v) => (v.as_str(), ""),
                    None => (*default, " (default)"),
                };
                println!("{key} = {value:?}{origin}\n    # {meaning}");
            }
        }
        SettingsAction::Set { key, value } => {
            if let Err(msg) = validate(&key, &value) {
                bail!("{msg}");
            }
            store.set_setting(&key, &value).await?;
            println!("{key} = {value:?}");
        }
        SettingsAction::Reset { key } => {
            if !KEYS.iter().any(|(k, _, _)| *k == key) {
                bail!("{}", validate(&key, "").err().unwrap_or_default());
            }
            store.reset_setting(&key).await?;
            println!("{key} reset to its default");
        }
    }
    store.close().await;
    Ok(())
}

/// Sets an article's status (takedown or restore), by id.
pub async fn article_status(config: &Config, id: i64, status: ArticleStatus) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    let article = store
        .article(id)
        .await
        .with_context(|| format!("no article with id {id}"))?;
    store.set_article_status(id, status).await?;
    println!(
        "article {id} 《{}》 is now {}",
        article.title,
        status.as_str()
    );
    store.close().await;
    Ok(())
}
