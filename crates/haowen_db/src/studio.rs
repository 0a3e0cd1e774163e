//! What the creator studio needs beyond the reader's queries: all of a creator's articles
//! whatever their status, edits that keep revisions, and scheduled articles falling due.

use haowen_core::{Article, NewArticle, article::summarize, markdown};

use crate::{Store, StoreError, applications::audit, changes, rows};

/// One saved earlier version of an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub id: i64,
    pub title: String,
    pub body_md: String,
    pub at: i64,
}

impl Store {
    /// A creator's articles of every status but deleted, most recently changed first.
    pub async fn studio_articles(
        &self,
        creator_id: i64,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<Article>, i64), StoreError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM articles WHERE creator_id = $1 AND status <> 'deleted' ORDER BY updated_at DESC, id DESC LIMIT $2 OFFSET $3",
            rows::ARTICLE_COLUMNS
        ));
        let list = sqlx::query(sql)
            .bind(creator_id)
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.pool)
            .await?;
        let (total,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM articles WHERE creator_id = $1 AND status <> 'deleted'",
        )
        .bind(creator_id)
        .fetch_one(&self.pool)
        .await?;
        Ok((
            list.iter().map(rows::article).collect::<Result<_, _>>()?,
            total,
        ))
    }

    /// Replaces an article's content. When the article was already public, the previous title
    /// and body are kept as a revision first. Counters and the id stay.
    pub async fn update_article(
        &self,
        id: i64,
        new: &NewArticle,
        editor_id: Option<i64>,
    ) -> Result<(), StoreError> {
        let current = self.article(id).await?;
        let now = haowen_core::time::now();
        let html = markdown::render(&new.body_md);
        let mut tx = self.write().await?;
        let was_public =
            current.status == haowen_core::ArticleStatus::Published && current.published_at <= now;
        if was_public && (current.title != new.title || current.body_md != new.body_md) {
            sqlx::query("INSERT INTO article_revisions (article_id, title, body_md, editor_id, at) VALUES ($1, $2, $3, $4, $5)")
                .bind(id)
                .bind(&current.title)
                .bind(&current.body_md)
                .bind(editor_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "UPDATE articles SET channel_id = $1, title = $2, body_md = $3, body_html = $4, summary = $5, \
             declaration_kind = $6, declaration_source = $7, declaration_link = $8, cover_url = $9, tags = $10, \
             status = $11, published_at = $12, updated_at = $13 WHERE id = $14",
        )
        .bind(new.channel_id)
        .bind(&new.title)
        .bind(&new.body_md)
        .bind(&html)
        .bind(summarize(&html, 120))
        .bind(new.declaration.kind())
        .bind(new.declaration.source())
        .bind(new.declaration.link())
        .bind(crate::new_article_row::cover_for(new, &html))
        .bind(crate::new_article_row::tags_json(&new.tags))
        .bind(new.status.as_str())
        .bind(new.published_at)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        crate::tags::set_tags(&mut tx, id, &new.tags).await?;
        changes::record(&mut tx, "article", id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Soft-deletes an article and records who did it.
    pub async fn delete_article(&self, id: i64, actor_id: i64) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        let done = sqlx::query("UPDATE articles SET status = 'deleted', updated_at = $1 WHERE id = $2 AND status <> 'deleted'")
            .bind(haowen_core::time::now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::NotFound);
        }
        audit(
            &mut tx,
            Some(actor_id),
            "article.delete",
            &format!("article:{id}"),
            "",
        )
        .await?;
        changes::record(&mut tx, "article", id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Earlier versions of an article, newest first.
    pub async fn revisions(&self, article_id: i64) -> Result<Vec<Revision>, StoreError> {
        let rows: Vec<(i64, String, String, i64)> =
            sqlx::query_as("SELECT id, title, body_md, at FROM article_revisions WHERE article_id = $1 ORDER BY id DESC")
                .bind(article_id)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .into_iter()
            .map(|(id, title, body_md, at)| Revision {
                id,
                title,
                body_md,
                at,
            })
            .collect())
    }

    /// How many published articles became visible in `(after, now]`: scheduled articles whose
    /// time came. Pages must be rebuilt when this is above zero.
    pub async fn scheduled_due(&self, after: i64, now: i64) -> Result<i64, StoreError> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM articles WHERE status = 'published' AND published_at > $1 AND published_at <= $2",
        )
        .bind(after)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        Ok(n)
    }
}
