//! Articles: writes (create; the importer's upsert is in upserts.rs), reads for every page, and
//! the counters (reads in batches, shares).

use haowen_core::{
    Article, ArticleStatus, ArticleSummary, NewArticle, article::summarize, hot::Signals,
};

use sqlx::Row;

use crate::{Store, StoreError, changes, rows, rows::summary_columns};

/// One page of a list, with the total for pagination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
}

/// The two statements of a newest-first list: its page and its total.
struct ListSql {
    items: &'static str,
    count: &'static str,
}

/// A list scoped by `$extra` (which uses `$2` when it needs an id); `$1` is now, and the page's
/// LIMIT and OFFSET follow the scope's placeholders.
macro_rules! list_sql {
    ($extra:literal, $limit:literal, $offset:literal) => {
        ListSql {
            items: concat!(
                "SELECT ", summary_columns!(), " FROM articles a JOIN creators c ON c.id = a.creator_id \
                 WHERE a.status = 'published' AND a.published_at <= $1", $extra,
                " ORDER BY a.published_at DESC, a.id DESC LIMIT ", $limit, " OFFSET ", $offset
            ),
            count: concat!(
                "SELECT COUNT(*) FROM articles a WHERE a.status = 'published' AND a.published_at <= $1",
                $extra
            ),
        }
    };
}

/// Ids asked for in one summary statement (longer lists go in several).
const SUMMARY_IDS_MAX: usize = 256;

const SITE: ListSql = list_sql!("", "$2", "$3");
const CHANNEL: ListSql = list_sql!(" AND a.channel_id = $2", "$3", "$4");
const CREATOR: ListSql = list_sql!(" AND a.creator_id = $2", "$3", "$4");

// Every list below shows only what readers may see at `now`: `status = 'published'` (not a
// draft, not taken down) and `published_at <= now` (not scheduled for later).

impl Store {
    /// Creates an article, rendering its Markdown once here so the read path never does.
    pub async fn create_article(&self, new: &NewArticle) -> Result<i64, StoreError> {
        let mut tx = self.write().await?;
        let id = insert(&mut tx, new).await?;
        changes::record(&mut tx, "article", id).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Any article by id, whatever its status (the page decides what to show).
    pub async fn article(&self, id: i64) -> Result<Article, StoreError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM articles WHERE id = $1",
            rows::ARTICLE_COLUMNS
        ));
        let row = sqlx::query(sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        rows::article(&row)
    }

    /// The publication time of the article imported under `external_id`, if there is one.
    pub async fn published_at_of(&self, external_id: &str) -> Result<Option<i64>, StoreError> {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT published_at FROM articles WHERE external_id = $1")
                .bind(external_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(t,)| t))
    }

    /// Number of articles of any status.
    pub async fn article_count(&self) -> Result<i64, StoreError> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM articles")
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }

    /// Newest visible articles of the whole site.
    pub async fn latest(
        &self,
        now: i64,
        offset: i64,
        limit: i64,
    ) -> Result<Page<ArticleSummary>, StoreError> {
        self.list(&SITE, None, now, offset, limit).await
    }

    /// Newest visible articles of a channel.
    pub async fn channel_articles(
        &self,
        channel_id: i64,
        now: i64,
        offset: i64,
        limit: i64,
    ) -> Result<Page<ArticleSummary>, StoreError> {
        self.list(&CHANNEL, Some(channel_id), now, offset, limit)
            .await
    }

    /// Newest visible articles of a creator.
    pub async fn creator_articles(
        &self,
        creator_id: i64,
        now: i64,
        offset: i64,
        limit: i64,
    ) -> Result<Page<ArticleSummary>, StoreError> {
        self.list(&CREATOR, Some(creator_id), now, offset, limit)
            .await
    }

    /// One page of a newest-first list and its total. `scope_id` binds the scope's `$2`.
    async fn list(
        &self,
        sql: &ListSql,
        scope_id: Option<i64>,
        now: i64,
        offset: i64,
        limit: i64,
    ) -> Result<Page<ArticleSummary>, StoreError> {
        let mut items = sqlx::query(sql.items).bind(now);
        let mut total = sqlx::query_as::<_, (i64,)>(sql.count).bind(now);
        if let Some(id) = scope_id {
            items = items.bind(id);
            total = total.bind(id);
        }
        let rows = items.bind(limit).bind(offset).fetch_all(&self.pool).await?;
        let (total,) = total.fetch_one(&self.pool).await?;
        Ok(Page {
            items: rows.iter().map(rows::summary).collect::<Result<_, _>>()?,
            total,
        })
    }

    /// What the hot ranking needs of every visible article published in the last
    /// `window_secs`, plus the `newest` visible ones (so a quiet site still has a hot list).
    /// Ranking happens in `haowen_core::hot`.
    pub async fn hot_signals(
        &self,
        now: i64,
        window_secs: i64,
        newest: i64,
    ) -> Result<Vec<Signals>, StoreError> {
        const COLUMNS: &str =
            "id, creator_id, channel_id, published_at, reads, comments, shares, follows_gained";
        let recent = sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM articles WHERE status = 'published' AND published_at <= $1 AND published_at >= $2"
        ));
        let latest = sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM articles WHERE status = 'published' AND published_at <= $1 \
             ORDER BY published_at DESC, id DESC LIMIT $2"
        ));
        let mut rows: Vec<rows::SignalRow> = sqlx::query_as(recent)
            .bind(now)
            .bind(now - window_secs)
            .fetch_all(&self.pool)
            .await?;
        let mut seen: std::collections::HashSet<i64> = rows.iter().map(|r| r.0).collect();
        let more: Vec<rows::SignalRow> = sqlx::query_as(latest)
            .bind(now)
            .bind(newest)
            .fetch_all(&self.pool)
            .await?;
        rows.extend(more.into_iter().filter(|r| seen.insert(r.0)));
        Ok(rows.into_iter().map(rows::signals).collect())
    }

    /// Visible articles by id, in the order given (ids that are not visible are skipped).
    pub async fn summaries(
        &self,
        ids: &[i64],
        now: i64,
    ) -> Result<Vec<ArticleSummary>, StoreError> {
        let rows = self.summary_rows(ids, now, "").await?;
        let mut found: std::collections::HashMap<i64, ArticleSummary> = rows
            .iter()
            .map(rows::summary)
            .map(|r| r.map(|a| (a.id, a)))
            .collect::<Result<_, _>>()?;
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    /// [`Store::summaries`] with (up to) the first `chars` characters of each body as plain
    /// text (for search snippets), in one round trip.
    pub async fn summaries_with_text(
        &self,
        ids: &[i64],
        now: i64,
        chars: usize,
    ) -> Result<Vec<(ArticleSummary, String)>, StoreError> {
        // Only the body's opening is read out (markup takes room, hence four characters of
        // HTML per character of text): a long body was copied whole through the driver and
        // checked as UTF-8 twice, to be cut to a few thousand characters here.
        let html_chars = chars.saturating_mul(4).clamp(1, 1 << 20);
        // One more than that, to tell a body that was cut from one that ends there.
        let extra = format!(", substr(a.body_html, 1, {}) AS body_html", html_chars + 1);
        let rows = self.summary_rows(ids, now, &extra).await?;
        let mut found: std::collections::HashMap<i64, (ArticleSummary, String)> = rows
            .iter()
            .map(|row| {
                let a = rows::summary(row)?;
                let html: String = row.try_get("body_html")?;
                let mut text = summarize(rows::without_cut_entity(&html), chars);
                // Markup-heavy, the opening may give fewer characters than asked for: it still
                // reads as cut, not as the whole body.
                if html.len() > html_chars
                    && html.chars().count() > html_chars
                    && !text.ends_with('…')
                {
                    text.push('…');
                }
                Ok((a.id, (a, text)))
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    /// The visible ones of `ids` with the summary columns (and `extra`, a column list we write).
    async fn summary_rows(
        &self,
        ids: &[i64],
        now: i64,
        extra: &str,
    ) -> Result<Vec<sqlx::any::AnyRow>, StoreError> {
        let mut rows = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(SUMMARY_IDS_MAX) {
            // The ids are bound, padded (with 0, which no article has) to one of a few list
            // lengths, so the statement is prepared once per length and stays in the
            // connection's cache; inlined ids made every search a new statement to parse and
            // plan (a tenth of the search path's CPU) and pushed the other cached statements
            // out. They come as a VALUES list walked first (`CROSS JOIN` fixes the order in
            // SQLite), each looked up by primary key: `a.id IN (…)` had SQLite build and fill
            // a temporary index of the list on every run. The visibility terms are written so
            // that no index can serve them (`status || ''`, `published_at + 0`): left plain,
            // SQLite without statistics walks the (status, published_at) index over every
            // published article (12–16 ms at 100 k) instead of looking the ids up (~0.05 ms).
            let slots = chunk.len().next_power_of_two().max(8);
            let list = (0..slots)
                .map(|i| format!("(${})", i + 2))
                .collect::<Vec<_>>()
                .join(",");
            let sql = sqlx::AssertSqlSafe(format!(
                "WITH wanted(id) AS (VALUES {list}) \
                 SELECT {}{extra} FROM wanted CROSS JOIN articles a \
                 JOIN creators c ON c.id = a.creator_id \
                 WHERE a.id = wanted.id AND (a.status || '') = 'published' \
                 AND a.published_at + 0 <= $1",
                summary_columns!()
            ));
            let mut query = sqlx::query(sql).bind(now);
            for i in 0..slots {
                query = query.bind(chunk.get(i).copied().unwrap_or(0));
            }
            rows.extend(query.fetch_all(&self.pool).await?);
        }
        Ok(rows)
    }

    /// Adds counted reads, many articles in one transaction (the web layer batches them).
    /// Counters are not content: no change row, caches refresh them on their own schedule.
    pub async fn add_reads(&self, batch: &[(i64, i64)]) -> Result<(), StoreError> {
        if batch.is_empty() {
            return Ok(());
        }
        // In id order, so two nodes flushing at once lock rows in the same order (no deadlock).
        let mut batch = batch.to_vec();
        batch.sort_unstable();
        let batch = &batch;
        self.retrying(|| async move {
            let mut tx = self.write().await?;
            for (id, n) in batch {
                sqlx::query("UPDATE articles SET reads = reads + $1 WHERE id = $2")
                    .bind(*n)
                    .bind(*id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    /// Counts one share of a visible article; returns the new share count.
    pub async fn add_share(&self, id: i64) -> Result<i64, StoreError> {
        self.retrying(|| async move {
                let mut tx = self.write().await?;
                let row: Option<(i64,)> = sqlx::query_as(
                    "UPDATE articles SET shares = shares + 1 WHERE id = $1 AND status = 'published' RETURNING shares",
                )
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
                tx.commit().await?;
                row.map(|(n,)| n).ok_or(StoreError::NotFound)
        })
        .await
    }

    /// Changes an article's status (publish, unpublish, take down).
    pub async fn set_article_status(
        &self,
        id: i64,
        status: ArticleStatus,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        let done = sqlx::query("UPDATE articles SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(status.as_str())
            .bind(haowen_core::time::now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        changes::record(&mut tx, "article", id).await?;
        tx.commit().await?;
        Ok(())
    }
}

pub(crate) async fn insert(
    tx: &mut sqlx::AnyConnection,
    new: &NewArticle,
) -> Result<i64, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO articles ({}) VALUES {} RETURNING id",
        crate::new_article_row::INSERT_COLUMNS,
        crate::multi_row::placeholders(tx, 1, crate::new_article_row::INSERT_VALUES)
    ));
    let (id,): (i64,) =
        crate::new_article_row::bind_new(sqlx::query_as(sql), new, haowen_core::time::now())
            .fetch_one(&mut *tx)
            .await?;
    crate::tags::set_tags(&mut *tx, id, &new.tags).await?;
    Ok(id)
}
