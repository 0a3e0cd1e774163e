//! 跟贴: reading comments, likes, pins (精选), deletion and the review of held comments
//! (posting is in comment_posting.rs). `articles.comments` counts the published comments of an article and
//! is kept in step in the same transaction as every change of a comment's visibility.

use std::collections::HashSet;

use haowen_core::comment::{Comment, CommentStatus, MAX_PINNED};
use sqlx::{Row, any::AnyRow};

use crate::{Store, StoreError, applications::audit, changes};

pub(crate) const COLUMNS: &str = "m.id, m.article_id, m.user_id, u.display_name AS author, m.parent_id, m.chain, \
    m.body, m.status, m.likes, m.replies, m.pinned_at, m.reason, m.created_at";

pub(crate) fn comment(row: &AnyRow) -> Result<Comment, StoreError> {
    let status: String = row.try_get("status")?;
    let chain: String = row.try_get("chain")?;
    Ok(Comment {
        id: row.try_get("id")?,
        article_id: row.try_get("article_id")?,
        user_id: row.try_get("user_id")?,
        author: row.try_get("author")?,
        parent_id: row.try_get("parent_id")?,
        chain: chain.split(',').filter_map(|s| s.parse().ok()).collect(),
        body: row.try_get("body")?,
        status: CommentStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("comment status {status:?}")))?,
        likes: row.try_get("likes")?,
        replies: row.try_get("replies")?,
        pinned_at: row.try_get("pinned_at")?,
        reason: row.try_get("reason")?,
        created_at: row.try_get("created_at")?,
    })
}

/// What a like did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Liked {
    /// The comment's likes now.
    pub likes: i64,
    /// Whether this like was new (a second like by the same person adds nothing).
    pub added: bool,
    /// The article the comment is on.
    pub article_id: i64,
}

impl Store {
    pub async fn comment(&self, id: i64) -> Result<Comment, StoreError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM comments m JOIN users u ON u.id = m.user_id WHERE m.id = $1"
        ));
        let row = sqlx::query(sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        comment(&row)
    }

    /// The published comments of an article, newest first (at most `limit`), plus the viewer's
    /// own held ones (so an author sees what waits for review).
    pub async fn article_comments(
        &self,
        article_id: i64,
        viewer_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Comment>, StoreError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM comments m JOIN users u ON u.id = m.user_id \
             WHERE m.article_id = $1 AND (m.status = 'published' OR (m.status = 'held' AND m.user_id = $2)) \
             ORDER BY m.created_at DESC, m.id DESC LIMIT $3"
        ));
        let rows = sqlx::query(sql)
            .bind(article_id)
            .bind(viewer_id.unwrap_or(-1))
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(comment).collect()
    }

    /// Comments by id, whatever their status (for quote chains).
    pub async fn comments_by_ids(&self, ids: &[i64]) -> Result<Vec<Comment>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // Ids are integers we parsed ourselves, so inlining them is safe.
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM comments m JOIN users u ON u.id = m.user_id WHERE m.id IN ({list})"
        ));
        let rows = sqlx::query(sql).fetch_all(&self.pool).await?;
        rows.iter().map(comment).collect()
    }

    /// The bodies and times of a user's comments since `since`, newest first (rate limits).
    pub async fn recent_comments_of(
        &self,
        user_id: i64,
        since: i64,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT body, created_at FROM comments WHERE user_id = $1 AND created_at >= $2 \
             ORDER BY created_at DESC, id DESC LIMIT 200",
        )
        .bind(user_id)
        .bind(since)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Likes a published comment once per user.
    pub async fn like_comment(&self, id: i64, user_id: i64) -> Result<Liked, StoreError> {
        let done = self.retrying(|| async move {
                let mut tx = self.write().await?;
                let found: Option<(String, i64)> =
                    sqlx::query_as("SELECT status, article_id FROM comments WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                let article_id = match found {
                    Some((status, article_id)) if status == "published" => article_id,
                    _ => return Err(StoreError::NotFound),
                };
                let done = sqlx::query(
                    "INSERT INTO comment_likes (comment_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                )
                .bind(id)
                .bind(user_id)
                .bind(haowen_core::time::now())
                .execute(&mut *tx)
                .await?;
                let added = done.rows_affected() == 1;
                if added {
                    sqlx::query("UPDATE comments SET likes = likes + 1 WHERE id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                let (likes,): (i64,) = sqlx::query_as("SELECT likes FROM comments WHERE id = $1")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(Liked { likes, added, article_id })
        })
        .await;
        self.memos.reader_acted(user_id);
        done
    }

    /// How a signed-in reader stands to an article: whether they have written or liked any of
    /// its 跟贴 (held ones included), and whether they follow its creator. One round trip.
    pub async fn viewer_on_article(
        &self,
        user_id: i64,
        article_id: i64,
    ) -> Result<(bool, bool), StoreError> {
        let now = haowen_core::time::now();
        if let Some(standing) = self.memos.standing(user_id, article_id, now) {
            return Ok(standing);
        }
        let epoch = self.memos.standing_epoch();
        let (activity, following): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM comments \
                     WHERE user_id = $1 AND article_id = $2 LIMIT 1) w) \
                  + (SELECT COUNT(*) FROM (SELECT 1 FROM comment_likes l \
                     JOIN comments c ON c.id = l.comment_id \
                     WHERE l.user_id = $1 AND c.article_id = $2 LIMIT 1) k), \
                    (SELECT COUNT(*) FROM follows f JOIN articles a ON a.creator_id = f.creator_id \
                     WHERE f.user_id = $1 AND a.id = $2)",
        )
        .bind(user_id)
        .bind(article_id)
        .fetch_one(&self.pool)
        .await?;
        let standing = (activity > 0, following > 0);
        self.memos
            .keep_standing((user_id, article_id), standing, now, epoch);
        Ok(standing)
    }

    /// Which of `ids` the user has liked.
    pub async fn liked_comments(
        &self,
        user_id: i64,
        ids: &[i64],
    ) -> Result<HashSet<i64>, StoreError> {
        if ids.is_empty() {
            return Ok(HashSet::new());
        }
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT comment_id FROM comment_likes WHERE user_id = $1 AND comment_id IN ({list})"
        ));
        let rows: Vec<(i64,)> = sqlx::query_as(sql)
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Takes a comment off the page: `Deleted` by its author, `Removed` by an editor (audited,
    /// with the reason). Counts drop if it was visible; open reports on it close.
    pub async fn hide_comment(
        &self,
        id: i64,
        status: CommentStatus,
        actor_id: i64,
        reason: &str,
    ) -> Result<Comment, StoreError> {
        let c = self.comment(id).await?;
        if matches!(c.status, CommentStatus::Removed | CommentStatus::Deleted) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.write().await?;
        let done = sqlx::query(
            "UPDATE comments SET status = $1, reason = $2, pinned_at = NULL WHERE id = $3 AND status = $4",
        )
        .bind(status.as_str())
        .bind(reason)
        .bind(id)
        .bind(c.status.as_str())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::NotFound);
        }
        if c.status == CommentStatus::Published {
            publish_counts(&mut tx, c.article_id, c.parent_id, -1).await?;
        }
        if status == CommentStatus::Removed {
            audit(
                &mut tx,
                Some(actor_id),
                "comment.remove",
                &format!("comment:{id}"),
                reason,
            )
            .await?;
            crate::reports::close_reports(&mut tx, "comment", id, "removed", actor_id).await?;
        }
        // Not a plain "comment" row: what was removed must leave every node's pages at once
        // (`Store::content_changed_after`), not with the next reader.
        changes::record(&mut tx, "comment_removed", c.article_id).await?;
        tx.commit().await?;
        Ok(c)
    }

    /// Held comments waiting for an editor, oldest first.
    pub async fn held_comments(&self, limit: i64) -> Result<Vec<Comment>, StoreError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM comments m JOIN users u ON u.id = m.user_id \
             WHERE m.status = 'held' ORDER BY m.created_at, m.id LIMIT $1"
        ));
        let rows = sqlx::query(sql).bind(limit).fetch_all(&self.pool).await?;
        rows.iter().map(comment).collect()
    }

    /// An editor lets a held comment through (audited).
    pub async fn approve_comment(&self, id: i64, editor_id: i64) -> Result<(), StoreError> {
        let c = self.comment(id).await?;
        let mut tx = self.write().await?;
        let done = sqlx::query(
            "UPDATE comments SET status = 'published' WHERE id = $1 AND status = 'held'",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::NotFound);
        }
        publish_counts(&mut tx, c.article_id, c.parent_id, 1).await?;
        audit(
            &mut tx,
            Some(editor_id),
            "comment.approve",
            &format!("comment:{id}"),
            "",
        )
        .await?;
        changes::record(&mut tx, "comment", c.article_id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Pins (精选) or unpins a published comment; at most [`MAX_PINNED`] per article.
    /// Returns false when pinning would pass the limit.
    pub async fn pin_comment(&self, id: i64, pin: bool) -> Result<bool, StoreError> {
        let c = self.comment(id).await?;
        if c.status != CommentStatus::Published {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.write().await?;
        if pin {
            let (pinned,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM comments WHERE article_id = $1 AND pinned_at IS NOT NULL AND id <> $2",
            )
            .bind(c.article_id)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            if pinned >= MAX_PINNED as i64 {
                return Ok(false);
            }
        }
        sqlx::query("UPDATE comments SET pinned_at = $1 WHERE id = $2")
            .bind(pin.then(haowen_core::time::now))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        changes::record(&mut tx, "comment", c.article_id).await?;
        tx.commit().await?;
        Ok(true)
    }
}

/// One more (or one fewer) visible comment: the article's count and the parent's replies.
pub(crate) async fn publish_counts(
    conn: &mut sqlx::AnyConnection,
    article_id: i64,
    parent_id: Option<i64>,
    delta: i64,
) -> Result<(), StoreError> {
    count_article(conn, article_id, delta).await?;
    if let Some(pid) = parent_id {
        count_reply(conn, pid, delta).await?;
    }
    Ok(())
}

/// Moves an article's published-comment count (never below 0).
pub(crate) async fn count_article(
    conn: &mut sqlx::AnyConnection,
    article_id: i64,
    delta: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE articles SET comments = CASE WHEN comments + $1 < 0 THEN 0 ELSE comments + $1 END WHERE id = $2",
    )
    .bind(delta)
    .bind(article_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Moves a comment's reply count (never below 0).
pub(crate) async fn count_reply(
    conn: &mut sqlx::AnyConnection,
    parent_id: i64,
    delta: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE comments SET replies = CASE WHEN replies + $1 < 0 THEN 0 ELSE replies + $1 END WHERE id = $2",
    )
    .bind(delta)
    .bind(parent_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
