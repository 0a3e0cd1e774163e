//! What search and 相关推荐 read from the database: articles as the index takes them, the change
//! feed after a cursor, read events and co-reading.

use haowen_core::{ArticleStatus, article::summarize};
use sqlx::Row;

use crate::{Store, StoreError};

/// Longest body text indexed, in characters (longer articles are indexed by their first part).
pub const MAX_INDEXED_CHARS: usize = 20_000;

/// An article as the search index takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexRow {
    pub id: i64,
    pub channel_id: i64,
    pub creator_id: i64,
    pub published_at: i64,
    pub status: ArticleStatus,
    pub title: String,
    /// Plain text of the body.
    pub body: String,
}

const COLUMNS: &str = "id, channel_id, creator_id, published_at, status, title, body_html";

fn index_row(row: &sqlx::any::AnyRow) -> Result<IndexRow, StoreError> {
    let status: String = row.try_get("status")?;
    let html: String = row.try_get("body_html")?;
    Ok(IndexRow {
        id: row.try_get("id")?,
        channel_id: row.try_get("channel_id")?,
        creator_id: row.try_get("creator_id")?,
        published_at: row.try_get("published_at")?,
        status: ArticleStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("status {status:?}")))?,
        title: row.try_get("title")?,
        body: summarize(&html, MAX_INDEXED_CHARS),
    })
}

impl Store {
    /// Published articles (scheduled ones too: searches filter by time) with ids above
    /// `after`, in id order — a rebuild pages through them.
    pub async fn index_rows(&self, after: i64, limit: i64) -> Result<Vec<IndexRow>, StoreError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM articles WHERE status = 'published' AND id > $1 ORDER BY id LIMIT $2"
        ));
        let rows = sqlx::query(sql)
            .bind(after)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(index_row).collect()
    }

    /// Articles by id, whatever their status (the indexer decides: published → index, else remove).
    pub async fn index_rows_by_id(&self, ids: &[i64]) -> Result<Vec<IndexRow>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // Integers we hold, so inlining them is safe.
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM articles WHERE id IN ({list})"
        ));
        let rows = sqlx::query(sql).fetch_all(&self.pool).await?;
        rows.iter().map(index_row).collect()
    }

    /// Published-article count (the rebuild's progress bar).
    pub async fn published_count(&self) -> Result<i64, StoreError> {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM articles WHERE status = 'published'")
                .fetch_one(&self.pool)
                .await?;
        Ok(n)
    }

    /// Change rows after `cursor`, oldest first: (change id, entity, entity id).
    pub async fn changes_after(
        &self,
        cursor: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String, i64)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, entity, entity_id FROM changes WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(cursor)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The oldest change row still kept (0 when the feed is empty): a consumer whose cursor is
    /// below it by more than one has missed pruned rows and must rebuild.
    pub async fn oldest_change_id(&self) -> Result<i64, StoreError> {
        let (id,): (Option<i64>,) = sqlx::query_as("SELECT MIN(id) FROM changes")
            .fetch_one(&self.pool)
            .await?;
        Ok(id.unwrap_or(0))
    }

    /// Stores counted reads: (visitor hash, article, time).
    pub async fn add_read_events(&self, events: &[(u64, i64, i64)]) -> Result<(), StoreError> {
        if events.is_empty() {
            return Ok(());
        }
        let mut tx = self.write().await?;
        for (visitor, article, at) in events {
            sqlx::query("INSERT INTO read_events (visitor, article_id, at) VALUES ($1, $2, $3)")
                .bind(*visitor as i64)
                .bind(*article)
                .bind(*at)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Drops read events older than `before`.
    pub async fn prune_read_events(&self, before: i64) -> Result<u64, StoreError> {
        self.write_one(sqlx::query("DELETE FROM read_events WHERE at < $1").bind(before))
            .await
    }

    /// Articles read by the latest readers of `article_id` (since `since`), with how many of
    /// them read each: 读过此文的人也在读.
    pub async fn co_read(
        &self,
        article_id: i64,
        since: i64,
        limit: i64,
    ) -> Result<Vec<(i64, u32)>, StoreError> {
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT r2.article_id, COUNT(DISTINCT r2.visitor) AS n FROM read_events r2 \
             WHERE r2.visitor IN (SELECT r1.visitor FROM read_events r1 WHERE r1.article_id = $1 AND r1.at >= $2 \
                                  ORDER BY r1.at DESC LIMIT 2000) \
             AND r2.article_id <> $1 AND r2.at >= $2 \
             GROUP BY r2.article_id ORDER BY n DESC, r2.article_id DESC LIMIT $3",
        )
        .bind(article_id)
        .bind(since)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, n)| (id, u32::try_from(n).unwrap_or(u32::MAX)))
            .collect())
    }
}
