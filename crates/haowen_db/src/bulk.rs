//! Bulk loading for large synthetic sites (`haowen bench …`): many creators and articles,
//! with engagement counters already summed, in multi-row statements inside one transaction per
//! batch. Not a path the site's own writes take: it writes no change rows and renders no
//! Markdown (the body is stored as given, in both columns), so only benchmarks use it, on a
//! database they made for the purpose.

use crate::{Store, StoreError, multi_row::placeholders};

/// One synthetic article with its counters.
#[derive(Debug, Clone)]
pub struct BulkArticle {
    pub creator_id: i64,
    pub channel_id: i64,
    pub title: String,
    pub body: String,
    pub published_at: i64,
    pub reads: i64,
    pub comments: i64,
    pub shares: i64,
    pub follows_gained: i64,
}

/// Rows per statement (SQLite allows 32,766 bound values; an article binds 15).
const ROWS_PER_STATEMENT: usize = 1000;

impl Store {
    /// Creates `count` creators named `{prefix}{n}`; returns their ids in order.
    pub async fn bulk_creators(&self, prefix: &str, count: usize) -> Result<Vec<i64>, StoreError> {
        let now = haowen_core::time::now();
        let mut tx = self.write().await?;
        for start in (0..count).step_by(ROWS_PER_STATEMENT) {
            let end = (start + ROWS_PER_STATEMENT).min(count);
            let sql = sqlx::AssertSqlSafe(format!(
                "INSERT INTO creators (slug, name, created_at) VALUES {}",
                placeholders(&tx, end - start, 3)
            ));
            let mut q = sqlx::query(sql);
            for n in start..end {
                q = q
                    .bind(format!("{prefix}-{n}"))
                    .bind(format!("{prefix}{n}"))
                    .bind(now);
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        let like = format!("{prefix}-%");
        let ids: Vec<(i64,)> =
            sqlx::query_as("SELECT id FROM creators WHERE slug LIKE $1 ORDER BY id")
                .bind(like)
                .fetch_all(&self.pool)
                .await?;
        Ok(ids.into_iter().map(|(id,)| id).collect())
    }

    /// Inserts published articles with their counters, in one transaction.
    pub async fn bulk_articles(&self, articles: &[BulkArticle]) -> Result<(), StoreError> {
        let now = haowen_core::time::now();
        let mut tx = self.write().await?;
        for chunk in articles.chunks(ROWS_PER_STATEMENT) {
            let sql = sqlx::AssertSqlSafe(format!(
                "INSERT INTO articles (creator_id, channel_id, title, body_md, body_html, summary, \
                 declaration_kind, status, published_at, created_at, updated_at, reads, comments, \
                 shares, follows_gained) VALUES {}",
                placeholders(&tx, chunk.len(), 15)
            ));
            let mut q = sqlx::query(sql);
            for a in chunk {
                let summary: String = a.body.chars().take(100).collect();
                q = q
                    .bind(a.creator_id)
                    .bind(a.channel_id)
                    .bind(a.title.clone())
                    .bind(a.body.clone())
                    .bind(format!(
                        "<p>{}</p>",
                        a.body
                            .replace('&', "&amp;")
                            .replace('<', "&lt;")
                            .replace('>', "&gt;")
                    ))
                    .bind(summary)
                    .bind("original")
                    .bind("published")
                    .bind(a.published_at)
                    .bind(now)
                    .bind(now)
                    .bind(a.reads)
                    .bind(a.comments)
                    .bind(a.shares)
                    .bind(a.follows_gained);
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

fn checked_name(name: &str) -> Result<&str, StoreError> {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        Ok(name)
    } else {
        Err(StoreError::Other(sqlx::Error::Configuration(
            format!("{name:?} is not a database name (a-z, 0-9, _)").into(),
        )))
    }
}

impl Store {
    /// PostgreSQL: creates an empty database beside this one (for benchmarks' own sites).
    pub async fn create_database(&self, name: &str) -> Result<(), StoreError> {
        let sql = format!("CREATE DATABASE {}", checked_name(name)?);
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// PostgreSQL: drops a database made by [`Store::create_database`].
    pub async fn drop_database(&self, name: &str) -> Result<(), StoreError> {
        let sql = format!("DROP DATABASE IF EXISTS {}", checked_name(name)?);
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
