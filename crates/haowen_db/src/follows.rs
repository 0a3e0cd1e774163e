//! Follows: a user follows a creator. `creators.followers` (关注度) is kept equal to the number
//! of follow rows, in the same transaction as each follow and unfollow.

use haowen_core::{ArticleSummary, Creator};

use crate::{Page, Store, StoreError, rows, rows::summary_columns};

impl Store {
    /// Follows; returns false when already following.
    pub async fn follow(&self, user_id: i64, creator_id: i64) -> Result<bool, StoreError> {
        self.follow_from(user_id, creator_id, None).await
    }

    /// Follows from an article's page: the article is credited with the follow (a hot-ranking
    /// signal) when it is by that creator. Returns false when already following.
    pub async fn follow_from(
        &self,
        user_id: i64,
        creator_id: i64,
        article_id: Option<i64>,
    ) -> Result<bool, StoreError> {
        let done = self.retrying(|| async move {
            let mut tx = self.write().await?;
            let done = sqlx::query(
                "INSERT INTO follows (user_id, creator_id, created_at, article_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            )
            .bind(user_id)
            .bind(creator_id)
            .bind(haowen_core::time::now())
            .bind(article_id)
            .execute(&mut *tx)
            .await?;
            let added = done.rows_affected() == 1;
            if added {
                sqlx::query("UPDATE creators SET followers = followers + 1 WHERE id = $1")
                    .bind(creator_id)
                    .execute(&mut *tx)
                    .await?;
                if let Some(article) = article_id {
                    sqlx::query(
                        "UPDATE articles SET follows_gained = follows_gained + 1 WHERE id = $1 AND creator_id = $2",
                    )
                    .bind(article)
                    .bind(creator_id)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            tx.commit().await?;
            Ok(added)
        })
        .await;
        self.memos.reader_acted(user_id);
        done
    }

    /// Unfollows; returns false when not following.
    pub async fn unfollow(&self, user_id: i64, creator_id: i64) -> Result<bool, StoreError> {
        let done = self
            .retrying(|| async move {
                let mut tx = self.write().await?;
                let done =
                    sqlx::query("DELETE FROM follows WHERE user_id = $1 AND creator_id = $2")
                        .bind(user_id)
                        .bind(creator_id)
                        .execute(&mut *tx)
                        .await?;
                let removed = done.rows_affected() == 1;
                if removed {
                    sqlx::query(
                    "UPDATE creators SET followers = followers - 1 WHERE id = $1 AND followers > 0",
                )
                .bind(creator_id)
                .execute(&mut *tx)
                .await?;
                }
                tx.commit().await?;
                Ok(removed)
            })
            .await;
        self.memos.reader_acted(user_id);
        done
    }

    pub async fn is_following(&self, user_id: i64, creator_id: i64) -> Result<bool, StoreError> {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT 1 FROM follows WHERE user_id = $1 AND creator_id = $2")
                .bind(user_id)
                .bind(creator_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.is_some())
    }

    /// The creators a user follows, most recently followed first.
    pub async fn followed_creators(&self, user_id: i64) -> Result<Vec<Creator>, StoreError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM creators c JOIN follows f ON f.creator_id = c.id WHERE f.user_id = $1 ORDER BY f.created_at DESC, c.id",
            rows::CREATOR_COLUMNS
        ));
        let rows = sqlx::query(sql).bind(user_id).fetch_all(&self.pool).await?;
        rows.iter().map(rows::creator).collect()
    }

    /// 我的关注: the newest visible articles of the creators a user follows.
    pub async fn following_feed(
        &self,
        user_id: i64,
        now: i64,
        offset: i64,
        limit: i64,
    ) -> Result<Page<ArticleSummary>, StoreError> {
        let items = sqlx::query(concat!(
            "SELECT ",
            summary_columns!(),
            " FROM articles a JOIN creators c ON c.id = a.creator_id \
             JOIN follows f ON f.creator_id = a.creator_id AND f.user_id = $2 \
             WHERE a.status = 'published' AND a.published_at <= $1 \
             ORDER BY a.published_at DESC, a.id DESC LIMIT $3 OFFSET $4"
        ))
        .bind(now)
        .bind(user_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        let (total,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM articles a JOIN follows f ON f.creator_id = a.creator_id AND f.user_id = $2 \
             WHERE a.status = 'published' AND a.published_at <= $1",
        )
        .bind(now)
        .bind(user_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(Page {
            items: items.iter().map(rows::summary).collect::<Result<_, _>>()?,
            total,
        })
    }
}
