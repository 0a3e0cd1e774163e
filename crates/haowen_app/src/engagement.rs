//! What readers do besides commenting — follow a creator, share an article, end a session —
//! and the editors' picks. One use case per act, whichever door (form or API) it comes through.

use haowen_core::{
    Article, ArticleStatus,
    account::{Role, User},
    time,
};
use haowen_db::StoreError;

use crate::{App, Change, Db, Refusal};

fn active(user: &User) -> Result<(), Refusal> {
    if user.disabled {
        return Err(Refusal::Forbidden("你的账号已被停用。".into()));
    }
    Ok(())
}

/// Follows a creator; `from_article` credits the article the follow was made from (a hot
/// ranking signal) when it is by that creator. Returns false when already following.
pub async fn follow(
    db: &Db,
    user: &User,
    creator_id: i64,
    from_article: Option<i64>,
) -> Result<bool, Refusal> {
    active(user)?;
    Ok(db
        .store
        .follow_from(user.id, creator_id, from_article)
        .await?)
}

/// Unfollows; returns false when not following.
pub async fn unfollow(db: &Db, user: &User, creator_id: i64) -> Result<bool, Refusal> {
    Ok(db.store.unfollow(user.id, creator_id).await?)
}

/// Counts a share of a visible article — once per visitor and day — and returns the article
/// with its share count. The article's pages show the new count at once (every display mode).
pub async fn share(app: &App, id: i64, visitor: u64, user_agent: &str) -> Result<Article, Refusal> {
    let mut article = app.db.store.article(id).await?;
    let now = time::now();
    if article.status != ArticleStatus::Published || article.published_at > now {
        return Err(Refusal::NotFound);
    }
    if app.shares.first(id, visitor, user_agent, now) {
        article.shares = app.db.store.add_share(id).await?;
        app.after(Change::Article(id)).await;
    }
    Ok(article)
}

/// Ends a session (signing out).
pub async fn end_session(db: &Db, token_digest: &str) -> Result<(), Refusal> {
    Ok(db.store.delete_session(token_digest).await?)
}

/// An editor puts an article in a pick slot, or takes it out (`remove`).
pub async fn pick(
    db: &Db,
    user: &User,
    slot: &str,
    article_id: i64,
    remove: bool,
) -> Result<(), Refusal> {
    if !user.can(Role::Editor) {
        return Err(Refusal::Forbidden(
            "只有编辑可以管理头条和态度原创。".into(),
        ));
    }
    let result = if remove {
        db.store.remove_pick(slot, article_id, user.id).await
    } else {
        db.store.add_pick(slot, article_id, user.id).await
    };
    match result {
        Err(StoreError::NotFound) => Err(Refusal::field(
            "article",
            format!("没有编号为 {article_id} 的文章（或它不在这一栏）。"),
        )),
        other => Ok(other?),
    }
}
