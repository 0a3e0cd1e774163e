//! Posting a 跟贴: a comment or a reply (with its quote chain, 盖楼) on a visible article,
//! optionally under limits checked inside the inserting transaction.

use haowen_core::comment::{Comment, CommentStatus, chain_for_reply};

use sqlx::AnyConnection;

use crate::{Store, StoreError, changes, comments::publish_counts};

/// A comment to store.
#[derive(Debug, Clone)]
pub struct NewComment {
    pub article_id: i64,
    pub user_id: i64,
    pub parent_id: Option<i64>,
    pub body: String,
    /// Published, or held for review (a sensitive word matched).
    pub status: CommentStatus,
}

/// Limits a comment must meet, checked inside the transaction that stores it, so that
/// simultaneous posts by one person cannot all pass: on SQLite writers take turns; on
/// PostgreSQL the author's posts are serialised by a transaction-scoped advisory lock.
#[derive(Debug, Clone, Copy)]
pub struct CommentLimits {
    /// The same text by the same author since this time is refused
    /// (`Conflict { constraint: "repeated_comment" }`).
    pub repeat_since: i64,
    /// At most `burst_max` comments by the author since `burst_since`
    /// (`Conflict { constraint: "comment_burst" }`).
    pub burst_since: i64,
    pub burst_max: i64,
}

/// Advisory-lock namespace for per-author comment posting (PostgreSQL).
const COMMENT_LOCK_SPACE: i64 = 0x6877_636d; // "hwcm"

impl Store {
    /// Stores a comment on a visible article; a reply must answer a visible comment of the same
    /// article. Returns the stored comment.
    pub async fn add_comment(&self, new: &NewComment) -> Result<Comment, StoreError> {
        let id = self.insert_comment(new, None).await?;
        self.comment(id).await
    }

    /// [`Store::add_comment`], refused when the author breaks `limits` (checked atomically).
    /// Returns the new comment's id only: the path a spike of 跟贴 takes reads nothing back.
    pub async fn add_comment_limited(
        &self,
        new: &NewComment,
        limits: CommentLimits,
    ) -> Result<i64, StoreError> {
        self.insert_comment(new, Some(limits)).await
    }

    async fn insert_comment(
        &self,
        new: &NewComment,
        limits: Option<CommentLimits>,
    ) -> Result<i64, StoreError> {
        let id = match self.backend() {
            // Writers take turns on SQLite: comments waiting for the turn go in together.
            crate::Backend::Sqlite => self.insert_comment_grouped(new.clone(), limits).await?,
            crate::Backend::Postgres => {
                self.retrying(|| async move {
                    let mut tx = self.write().await?;
                    let id = insert_comment_in(
                        &mut tx,
                        new,
                        limits,
                        haowen_core::time::now(),
                        self.backend(),
                    )
                    .await?;
                    tx.commit().await?;
                    Ok(id)
                })
                .await?
            }
        };
        self.memos.reader_acted(new.user_id);
        Ok(id)
    }
}

/// Stores one comment inside an open write transaction, after checking `limits`, the article
/// and the parent; records the change. Nothing is written before a check refuses.
pub(crate) async fn insert_comment_in(
    tx: &mut AnyConnection,
    new: &NewComment,
    limits: Option<CommentLimits>,
    now: i64,
    backend: crate::Backend,
) -> Result<i64, StoreError> {
    let id = insert_row(tx, new, limits, now, backend).await?;
    if new.status == CommentStatus::Published {
        publish_counts(tx, new.article_id, new.parent_id, 1).await?;
    }
    changes::record(tx, "comment", new.article_id).await?;
    Ok(id)
}

/// The checks and the comment's row (no counts, no change row).
async fn insert_row(
    tx: &mut AnyConnection,
    new: &NewComment,
    limits: Option<CommentLimits>,
    now: i64,
    backend: crate::Backend,
) -> Result<i64, StoreError> {
    if let Some(limits) = limits {
        if backend == crate::Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(
                    COMMENT_LOCK_SPACE
                        .wrapping_mul(1_000_003)
                        .wrapping_add(new.user_id),
                )
                .execute(&mut *tx)
                .await?;
        }
        if new.parent_id.is_none() {
            return insert_checked(tx, new, limits, now).await;
        }
        refuse_unless_allowed(tx, new, limits, now).await?;
    } else {
        let visible: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM articles WHERE id = $1 AND status = 'published' AND published_at <= $2",
        )
        .bind(new.article_id)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        if visible.is_none() {
            return Err(StoreError::NotFound);
        }
    }
    let chain = match new.parent_id {
        Some(pid) => {
            let parent: Option<(i64, String, String)> =
                sqlx::query_as("SELECT article_id, chain, status FROM comments WHERE id = $1")
                    .bind(pid)
                    .fetch_optional(&mut *tx)
                    .await?;
            match parent {
                Some((aid, chain, status)) if aid == new.article_id && status == "published" => {
                    let ids: Vec<i64> = chain.split(',').filter_map(|s| s.parse().ok()).collect();
                    chain_for_reply(&ids, pid)
                }
                _ => return Err(StoreError::NotFound),
            }
        }
        None => Vec::new(),
    };
    let chain_text = chain
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO comments (article_id, user_id, parent_id, chain, body, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(new.article_id)
    .bind(new.user_id)
    .bind(new.parent_id)
    .bind(&chain_text)
    .bind(&new.body)
    .bind(new.status.as_str())
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    Ok(id)
}

/// A top-level comment under limits in one statement: the row is written only when the checks
/// pass (`INSERT … SELECT … WHERE`), so the spike path makes one trip to the database per
/// comment and needs no savepoint — a refused comment wrote nothing. Only a refusal asks which
/// check failed.
async fn insert_checked(
    tx: &mut AnyConnection,
    new: &NewComment,
    limits: CommentLimits,
    now: i64,
) -> Result<i64, StoreError> {
    let inserted: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO comments (article_id, user_id, parent_id, chain, body, status, created_at) \
         SELECT $1, $2, NULL, '', $3, $4, $5 \
         WHERE NOT EXISTS (SELECT 1 FROM comments WHERE user_id = $2 AND body = $3 AND created_at >= $6) \
           AND (SELECT COUNT(*) FROM comments WHERE user_id = $2 AND created_at >= $7) < $8 \
           AND EXISTS (SELECT 1 FROM articles WHERE id = $1 AND status = 'published' AND published_at <= $5) \
         RETURNING id",
    )
    .bind(new.article_id)
    .bind(new.user_id)
    .bind(&new.body)
    .bind(new.status.as_str())
    .bind(now)
    .bind(limits.repeat_since)
    .bind(limits.burst_since)
    .bind(limits.burst_max)
    .fetch_optional(&mut *tx)
    .await?;
    match inserted {
        Some((id,)) => Ok(id),
        None => {
            refuse_unless_allowed(tx, new, limits, now).await?;
            // Every check passes now yet the row was not written: another writer changed
            // something between the two statements (PostgreSQL); the poster may try again.
            Err(StoreError::Busy)
        }
    }
}

/// The repeat, burst and article checks in one round trip: the refusal of the first that fails.
async fn refuse_unless_allowed(
    tx: &mut AnyConnection,
    new: &NewComment,
    limits: CommentLimits,
    now: i64,
) -> Result<(), StoreError> {
    let (repeats, recent, visible): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM comments WHERE user_id = $1 AND body = $2 AND created_at >= $3), \
                (SELECT COUNT(*) FROM comments WHERE user_id = $1 AND created_at >= $4), \
                (SELECT COUNT(*) FROM articles WHERE id = $5 AND status = 'published' AND published_at <= $6)",
    )
    .bind(new.user_id)
    .bind(&new.body)
    .bind(limits.repeat_since)
    .bind(limits.burst_since)
    .bind(new.article_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    if repeats > 0 {
        return Err(StoreError::Conflict {
            constraint: "repeated_comment".into(),
        });
    }
    if recent >= limits.burst_max {
        return Err(StoreError::Conflict {
            constraint: "comment_burst".into(),
        });
    }
    if visible == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// [`insert_comment_in`] without the article's comment count and the change row, which a batch
/// writes once per article for all its comments (`group_commit.rs`): two round trips fewer per
/// comment. The parent's reply count is still kept here, per comment.
pub(crate) async fn insert_comment_counted_later(
    tx: &mut AnyConnection,
    new: &NewComment,
    limits: Option<CommentLimits>,
    now: i64,
    backend: crate::Backend,
) -> Result<i64, StoreError> {
    let id = insert_row(tx, new, limits, now, backend).await?;
    if new.status == CommentStatus::Published
        && let Some(pid) = new.parent_id
    {
        crate::comments::count_reply(tx, pid, 1).await?;
    }
    Ok(id)
}

/// A batch's comments on one article: its count moves by `published` and one change row says
/// its comments changed.
pub(crate) async fn count_batch(
    tx: &mut AnyConnection,
    article_id: i64,
    published: i64,
) -> Result<(), StoreError> {
    if published > 0 {
        crate::comments::count_article(tx, article_id, published).await?;
    }
    changes::record(tx, "comment", article_id).await?;
    Ok(())
}
