//! `haowen admin settings [show | set KEY VALUE | reset KEY]`: the site settings admins change
//! at run time (name, disclaimer, time zone, footer); `haowen admin article ID takedown|restore`.
//! A running server picks changes up within a second through the change feed.

use anyhow::{Context, bail};
use haowen_app::{Db, Refusal, accounts};
use haowen_core::settings::{KEYS, validate};
use haowen_core::{ArticleStatus, account::Role};

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

/// Takes an article down with a reason, or restores it, by id (audited like an editor's act).
pub async fn article_status(
    config: &Config,
    id: i64,
    takedown: bool,
    reason: &str,
) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    let article = store
        .article(id)
        .await
        .with_context(|| format!("no article with id {id}"))?;
    let result = if takedown {
        store.take_down(id, None, reason.trim()).await
    } else {
        store.restore(id, None, "").await
    };
    match result {
        Ok(()) => {}
        Err(haowen_db::StoreError::NotFound) => bail!(
            "article {id} is {}: only a published article can be taken down, and only a taken-down one restored",
            article.status.as_str()
        ),
        Err(e) => return Err(e.into()),
    }
    let status = if takedown {
        ArticleStatus::TakenDown
    } else {
        ArticleStatus::Published
    };
    println!(
        "article {id} 《{}》 is now {}",
        article.title,
        status.as_str()
    );
    store.close().await;
    Ok(())
}

/// Creates an account from the command line (the way to make the first admin without a browser).
pub async fn create_user(
    config: &Config,
    username: &str,
    display_name: &str,
    role: &str,
    password_stdin: bool,
) -> anyhow::Result<()> {
    let Some(role) = Role::parse(role) else {
        bail!("unknown role {role:?}: use reader, creator, editor or admin");
    };
    let (password, generated) = if password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .context("reading the password from standard input")?;
        (line.trim_end_matches(['\r', '\n']).to_string(), false)
    } else {
        (
            haowen_core::account::new_token().map_err(anyhow::Error::msg)?[..20].to_string(),
            true,
        )
    };
    let store = open_store(config).await?;
    let form = accounts::SignUp {
        username,
        display_name,
        password: &password,
        password_again: &password,
    };
    let result = accounts::create_account(&Db::new(store.clone()), &form, role).await;
    store.close().await;
    match result {
        Ok(user) => {
            println!(
                "created {} {} ({}), id {}",
                role.as_str(),
                user.username,
                user.display_name,
                user.id
            );
            if generated {
                println!("password (shown once; change it after signing in): {password}");
            }
            Ok(())
        }
        Err(Refusal::Fields(errors)) => {
            let detail: Vec<String> = errors
                .into_iter()
                .map(|(field, message)| format!("{field}: {message}"))
                .collect();
            bail!("{}", detail.join("; "))
        }
        Err(other) => bail!("the account could not be created: {other}"),
    }
}
