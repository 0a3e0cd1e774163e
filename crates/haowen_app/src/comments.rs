//! 跟贴 rules: who may comment, reply, like, delete and pin; the length, burst and repeat limits;
//! and the sensitive-word hold. The HTML forms and the JSON API both call these.

use haowen_core::{
    account::{Role, User},
    comment::{self, Comment, CommentStatus},
    time,
    words::WordFilter,
};
use haowen_db::{CommentLimits, Liked, NewComment, StoreError};

use crate::Db;
use crate::refusal::Refusal;

/// At most this many comments …
pub const BURST_COMMENTS: usize = 5;
/// … per this many seconds, per person.
pub const BURST_SECS: i64 = 60;
/// The same text from the same person within this window is a repeat.
pub const REPEAT_SECS: i64 = 10 * 60;

/// What became of a posted comment (its id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Posted {
    Published(i64),
    /// Held for review: a listed word matched.
    Held(i64),
}

impl Posted {
    pub fn id(self) -> i64 {
        match self {
            Posted::Published(id) | Posted::Held(id) => id,
        }
    }
}

fn active(user: &User) -> Result<(), Refusal> {
    if user.disabled {
        return Err(Refusal::Forbidden("你的账号已被停用，不能跟贴。".into()));
    }
    Ok(())
}

/// Posts a comment (or a reply to `parent`) on a visible article. The repeat and burst limits
/// are checked inside the inserting transaction (nothing is read first: a spike of 跟贴 costs one
/// trip to the database each, in a shared batch); only a refused post reads the author's recent
/// comments, to say how long to wait.
pub async fn post(
    db: &Db,
    words: &WordFilter,
    user: &User,
    article_id: i64,
    parent: Option<i64>,
    raw_body: &str,
) -> Result<Posted, Refusal> {
    active(user)?;
    let body = comment::body(raw_body).map_err(|e| Refusal::field("body", e))?;
    let now = time::now();
    let held = !words.find(&body).is_empty();
    let new = NewComment {
        article_id,
        user_id: user.id,
        parent_id: parent,
        body,
        status: if held {
            CommentStatus::Held
        } else {
            CommentStatus::Published
        },
    };
    let limits = CommentLimits {
        repeat_since: now - REPEAT_SECS,
        burst_since: now - BURST_SECS,
        burst_max: BURST_COMMENTS as i64,
    };
    match db.store.add_comment_limited(&new, limits).await {
        Ok(id) if held => Ok(Posted::Held(id)),
        Ok(id) => Ok(Posted::Published(id)),
        Err(StoreError::Conflict { constraint }) if constraint == "repeated_comment" => Err(
            Refusal::TooMany("你刚刚发过相同的内容，请勿重复发送。".into()),
        ),
        Err(StoreError::Conflict { constraint }) if constraint == "comment_burst" => {
            Err(Refusal::TooMany(burst_message(db, user.id).await))
        }
        Err(StoreError::NotFound) if parent.is_some() => Err(Refusal::Missing(
            "你回复的跟贴已被删除，或不属于这篇文章。".into(),
        )),
        Err(StoreError::NotFound) => Err(Refusal::Missing(
            "这篇文章不存在或已下架，不能跟贴。".into(),
        )),
        Err(e) => Err(e.into()),
    }
}

/// "Too many": when the next comment is allowed — the oldest of the burst decides.
async fn burst_message(db: &Db, user_id: i64) -> String {
    let now = time::now();
    let wait = match db.store.recent_comments_of(user_id, now - BURST_SECS).await {
        Ok(recent) => recent
            .iter()
            .map(|(_, at)| *at)
            .min()
            .map(|oldest| (oldest + BURST_SECS - now).max(1)),
        Err(_) => None,
    };
    match wait {
        Some(wait) => {
            format!("发言太频繁：每分钟最多 {BURST_COMMENTS} 条跟贴，请 {wait} 秒后再试。")
        }
        None => format!("发言太频繁：每分钟最多 {BURST_COMMENTS} 条跟贴，请稍后再试。"),
    }
}

/// Likes a comment once.
pub async fn like(db: &Db, user: &User, id: i64) -> Result<Liked, Refusal> {
    active(user)?;
    match db.store.like_comment(id, user.id).await {
        Err(StoreError::NotFound) => Err(Refusal::Missing("这条跟贴不存在或已被删除。".into())),
        other => Ok(other?),
    }
}

/// Deletes a comment: its author may (no reason needed); an editor removes it with a reason.
pub async fn delete(db: &Db, user: &User, id: i64, reason: &str) -> Result<Comment, Refusal> {
    active(user)?;
    let c = match db.store.comment(id).await {
        Ok(c) => c,
        Err(StoreError::NotFound) => {
            return Err(Refusal::Missing("这条跟贴不存在。".into()));
        }
        Err(e) => return Err(e.into()),
    };
    let (status, reason) = if c.user_id == user.id {
        (CommentStatus::Deleted, String::new())
    } else if user.can(Role::Editor) {
        let reason = reason.trim();
        if reason.chars().count() < 2 {
            return Err(Refusal::field(
                "reason",
                "请写明删除原因（至少 2 个字），它会记入审计日志。",
            ));
        }
        (CommentStatus::Removed, reason.chars().take(200).collect())
    } else {
        return Err(Refusal::Forbidden(
            "只有跟贴的作者和编辑可以删除它。".into(),
        ));
    };
    match db.store.hide_comment(id, status, user.id, &reason).await {
        Err(StoreError::NotFound) => Err(Refusal::Missing("这条跟贴已被删除。".into())),
        other => Ok(other?),
    }
}

/// Pins (精选) or unpins a comment: only the creator of the article may.
pub async fn pin(db: &Db, user: &User, id: i64, on: bool) -> Result<Comment, Refusal> {
    active(user)?;
    let c = match db.store.comment(id).await {
        Ok(c) if c.status == CommentStatus::Published => c,
        Ok(_) | Err(StoreError::NotFound) => {
            return Err(Refusal::Missing("这条跟贴不存在或已被删除。".into()));
        }
        Err(e) => return Err(e.into()),
    };
    let article = db.store.article(c.article_id).await?;
    if user.creator_id != Some(article.creator_id) {
        return Err(Refusal::Forbidden("只有文章的作者可以精选跟贴。".into()));
    }
    if !db.store.pin_comment(id, on).await? {
        return Err(Refusal::Conflict(format!(
            "每篇文章最多精选 {} 条跟贴，请先取消一条。",
            comment::MAX_PINNED
        )));
    }
    Ok(c)
}
