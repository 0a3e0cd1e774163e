//! Appeals: the one appeal a takedown allows, the editors' list, and turning one down (granting
//! one is a restore, in reports.rs).

use sqlx::Row;

use crate::{Store, StoreError, applications::audit};

/// A takedown appeal.
#[derive(Debug, Clone, PartialEq)]
pub struct Appeal {
    pub id: i64,
    pub article_id: i64,
    pub article_title: String,
    pub takedown_reason: String,
    pub author: String,
    pub text: String,
    pub status: String,
    pub reason: String,
    pub created_at: i64,
}

impl Store {
    /// Files the one appeal a takedown allows. `Conflict` when it was already appealed;
    /// `NotFound` when the article is not taken down.
    pub async fn appeal(
        &self,
        article_id: i64,
        user_id: i64,
        text: &str,
    ) -> Result<i64, StoreError> {
        let mut tx = self.write().await?;
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT takedowns FROM articles WHERE id = $1 AND status = 'taken_down'",
        )
        .bind(article_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((takedown_no,)) = row else {
            return Err(StoreError::NotFound);
        };
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO appeals (article_id, takedown_no, user_id, text, status, created_at) \
             VALUES ($1, $2, $3, $4, 'pending', $5) RETURNING id",
        )
        .bind(article_id)
        .bind(takedown_no)
        .bind(user_id)
        .bind(text)
        .bind(haowen_core::time::now())
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The appeal against an article's current takedown, if any.
    pub async fn current_appeal(&self, article_id: i64) -> Result<Option<Appeal>, StoreError> {
        let list = self
            .appeals_where(
                "p.article_id = $1 AND p.takedown_no = a.takedowns",
                article_id,
            )
            .await?;
        Ok(list.into_iter().next())
    }

    /// Appeals waiting for an editor, oldest first.
    pub async fn pending_appeals(&self) -> Result<Vec<Appeal>, StoreError> {
        self.appeals_where("p.status = 'pending' AND p.id > $1", 0)
            .await
    }

    async fn appeals_where(&self, cond: &str, arg: i64) -> Result<Vec<Appeal>, StoreError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT p.id, p.article_id, a.title, a.takedown_reason, u.display_name, p.text, p.status, p.reason, p.created_at \
             FROM appeals p JOIN articles a ON a.id = p.article_id JOIN users u ON u.id = p.user_id \
             WHERE {cond} ORDER BY p.created_at, p.id LIMIT 500"
        ));
        let rows = sqlx::query(sql).bind(arg).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                Ok(Appeal {
                    id: row.try_get("id")?,
                    article_id: row.try_get("article_id")?,
                    article_title: row.try_get("title")?,
                    takedown_reason: row.try_get("takedown_reason")?,
                    author: row.try_get("display_name")?,
                    text: row.try_get("text")?,
                    status: row.try_get("status")?,
                    reason: row.try_get("reason")?,
                    created_at: row.try_get("created_at")?,
                })
            })
            .collect()
    }

    /// Turns an appeal down with a reason the creator sees (audited).
    pub async fn reject_appeal(
        &self,
        id: i64,
        editor_id: i64,
        reason: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        let row: Option<(i64,)> = sqlx::query_as(
            "UPDATE appeals SET status = 'rejected', reason = $1, decided_by = $2, decided_at = $3 \
             WHERE id = $4 AND status = 'pending' RETURNING article_id",
        )
        .bind(reason)
        .bind(editor_id)
        .bind(haowen_core::time::now())
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((article_id,)) = row else {
            return Err(StoreError::NotFound);
        };
        audit(
            &mut tx,
            Some(editor_id),
            "appeal.reject",
            &format!("article:{article_id}"),
            reason,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
