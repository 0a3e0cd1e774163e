//! What an article's 跟贴 list is built from, without loading every comment it has.
//!
//! Both orders of the list (hot: likes and replies decayed by age; newest) rank a comment
//! nobody has liked, replied to or pinned ("quiet") only by its age. So the first `k` of
//! either order are among: every engaged comment (liked, replied to or pinned; newest
//! [`MAX_ENGAGED`], read through a partial index) and the `k` newest quiet ones. A hot story
//! with 30,000 comments, most of them quiet, renders from a few dozen rows instead of 5,000.

use crate::{Backend, Store, StoreError, comments::COLUMNS, comments::comment};
use haowen_core::comment::Comment;

/// Most engaged comments a list is built from (newest first; older ones still count).
pub const MAX_ENGAGED: i64 = 5_000;

/// The candidates for the first `k` of an article's list, and how many of its comments are
/// published.
#[derive(Debug, Clone)]
pub struct CommentCandidates {
    /// Engaged ones, the `k` newest quiet published ones and the viewer's own held ones.
    pub comments: Vec<Comment>,
    /// Published comments of the article, pinned ones included — counted only up to
    /// `count_up_to` when one is given.
    pub published: i64,
}

/// The engaged comments of an article, newest first, through the partial index
/// `comments_engaged` (its condition word for word). SQLite's planner preferred
/// `comments_by_article` — two equal columns against one — and walked every comment of the
/// story to find the few liked ones (9 ms at 30,000 comments, at each render of a hot story):
/// on SQLite the index is named.
fn engaged_sql(backend: Backend) -> String {
    let index = match backend {
        Backend::Sqlite => "INDEXED BY comments_engaged",
        Backend::Postgres => "",
    };
    format!(
        "SELECT {COLUMNS} FROM comments m {index} JOIN users u ON u.id = m.user_id \
         WHERE m.article_id = $1 AND (likes > 0 OR replies > 0 OR pinned_at IS NOT NULL) \
         AND m.status = 'published' ORDER BY m.created_at DESC, m.id DESC LIMIT $2"
    )
}

impl Store {
    pub async fn comment_candidates(
        &self,
        article_id: i64,
        viewer_id: Option<i64>,
        k: usize,
        count_up_to: Option<i64>,
    ) -> Result<CommentCandidates, StoreError> {
        let engaged = sqlx::AssertSqlSafe(engaged_sql(self.backend()));
        let quiet = sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM comments m JOIN users u ON u.id = m.user_id \
             WHERE m.article_id = $1 AND m.status = 'published' \
             AND m.likes <= 0 AND m.replies <= 0 AND m.pinned_at IS NULL \
             ORDER BY m.created_at DESC, m.id DESC LIMIT $2"
        ));
        let held = sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM comments m JOIN users u ON u.id = m.user_id \
             WHERE m.user_id = $1 AND m.article_id = $2 AND m.status = 'held'"
        ));
        let mut rows = sqlx::query(engaged)
            .bind(article_id)
            .bind(MAX_ENGAGED)
            .fetch_all(&self.pool)
            .await?;
        rows.extend(
            sqlx::query(quiet)
                .bind(article_id)
                .bind(k as i64)
                .fetch_all(&self.pool)
                .await?,
        );
        if let Some(viewer) = viewer_id {
            rows.extend(
                sqlx::query(held)
                    .bind(viewer)
                    .bind(article_id)
                    .fetch_all(&self.pool)
                    .await?,
            );
        }
        // Counting is a walk over every published comment of the story (30,000 on a hot one,
        // at each render after a comment): a page that only needs to know whether there are
        // more than it shows stops at `count_up_to`.
        let (published,): (i64,) = match count_up_to {
            Some(cap) => sqlx::query_as(
                "SELECT COUNT(*) FROM (SELECT 1 FROM comments \
                 WHERE article_id = $1 AND status = 'published' LIMIT $2) AS first_ones",
            )
            .bind(article_id)
            .bind(cap),
            None => sqlx::query_as(
                "SELECT COUNT(*) FROM comments WHERE article_id = $1 AND status = 'published'",
            )
            .bind(article_id),
        }
        .fetch_one(&self.pool)
        .await?;
        Ok(CommentCandidates {
            comments: rows.iter().map(comment).collect::<Result<_, _>>()?,
            published,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plan SQLite makes for the engaged comments reads the partial index, not every
    /// comment of the story.
    #[tokio::test]
    async fn engaged_comments_are_read_through_their_index() {
        let dir = std::env::temp_dir().join(format!("haowen-engaged-{}", std::process::id()));
        let store = Store::open(&format!("sqlite:{}", dir.join("e.db").display()))
            .await
            .expect("open");
        let plan: Vec<(i64, i64, i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "EXPLAIN QUERY PLAN {}",
            engaged_sql(Backend::Sqlite)
        )))
        .bind(1_i64)
        .bind(MAX_ENGAGED)
        .fetch_all(&store.pool)
        .await
        .expect("plan");
        let steps: Vec<&str> = plan.iter().map(|(_, _, _, d)| d.as_str()).collect();
        assert!(
            steps.iter().any(|d| d.contains("comments_engaged")),
            "{steps:?}"
        );
        store.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }
}
