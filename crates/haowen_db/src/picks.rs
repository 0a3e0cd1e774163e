//! Editors' picks for the 头条 headlines and the 态度原创 columns.

use haowen_core::ArticleSummary;

use crate::{Store, StoreError, applications::audit, changes, rows, rows::summary_columns};

impl Store {
    /// Picks `article_id` for `slot` (newest pick first); picking twice is a no-op.
    pub async fn add_pick(
        &self,
        slot: &str,
        article_id: i64,
        editor_id: i64,
    ) -> Result<(), StoreError> {
        self.article(article_id).await?;
        let mut tx = self.write().await?;
        let done = sqlx::query("INSERT INTO picks (slot, article_id, editor_id, at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
            .bind(slot)
            .bind(article_id)
            .bind(editor_id)
            .bind(haowen_core::time::now())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 1 {
            audit(
                &mut tx,
                Some(editor_id),
                "pick.add",
                &format!("article:{article_id}"),
                slot,
            )
            .await?;
            changes::record(&mut tx, "pick", article_id).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn remove_pick(
        &self,
        slot: &str,
        article_id: i64,
        editor_id: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        let done = sqlx::query("DELETE FROM picks WHERE slot = $1 AND article_id = $2")
            .bind(slot)
            .bind(article_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        audit(
            &mut tx,
            Some(editor_id),
            "pick.remove",
            &format!("article:{article_id}"),
            slot,
        )
        .await?;
        changes::record(&mut tx, "pick", article_id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The visible picked articles of a slot, newest pick first.
    pub async fn picks(
        &self,
        slot: &str,
        now: i64,
        limit: i64,
    ) -> Result<Vec<ArticleSummary>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            summary_columns!(),
            " FROM picks p JOIN articles a ON a.id = p.article_id \
             JOIN creators c ON c.id = a.creator_id \
             WHERE p.slot = $1 AND a.status = 'published' AND a.published_at <= $2 \
             ORDER BY p.id DESC LIMIT $3"
        ))
        .bind(slot)
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(rows::summary).collect()
    }
}
