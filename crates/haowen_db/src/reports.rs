//! 举报 reports, takedowns with their reasons and restores (appeals: appeals.rs; the audit log:
//! audit_log.rs).
//! Every moderation act writes its audit entry and its change row in the act's transaction.

use sqlx::{AnyConnection, Row};

use crate::{Store, StoreError, applications::audit, changes};

/// A report to store.
#[derive(Debug, Clone)]
pub struct NewReport {
    /// `article` or `comment`.
    pub target_kind: String,
    pub target_id: i64,
    pub reporter_id: i64,
    pub kind: String,
    pub note: String,
}

/// Why a report was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportRefusal {
    /// No such article or comment.
    Missing,
    /// Already taken down, removed or deleted.
    AlreadyRemoved,
    /// This person already has an open report on it.
    AlreadyReported,
}

/// One reported item in the editors' queue, its open reports folded together.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueItem {
    pub target_kind: String,
    pub target_id: i64,
    pub article_id: i64,
    pub article_title: String,
    /// The comment's text, for a reported comment.
    pub comment_body: Option<String>,
    pub count: i64,
    pub latest_at: i64,
    /// (kind, note, reporter) of each open report, newest first.
    pub reports: Vec<(String, String, String)>,
}

/// Closes the open reports on a target inside the caller's transaction.
pub(crate) async fn close_reports(
    conn: &mut AnyConnection,
    target_kind: &str,
    target_id: i64,
    outcome: &str,
    editor_id: i64,
) -> Result<u64, StoreError> {
    let done = sqlx::query(
        "UPDATE reports SET status = 'closed', outcome = $1, closed_by = $2, closed_at = $3 \
         WHERE target_kind = $4 AND target_id = $5 AND status = 'open'",
    )
    .bind(outcome)
    .bind(editor_id)
    .bind(haowen_core::time::now())
    .bind(target_kind)
    .bind(target_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

impl Store {
    /// Files a report on a visible article or comment. The outer error is the store's; the
    /// inner one says plainly why the report was not taken.
    pub async fn add_report(
        &self,
        r: &NewReport,
    ) -> Result<Result<i64, ReportRefusal>, StoreError> {
        let mut tx = self.write().await?;
        let now = haowen_core::time::now();
        let article_id = match r.target_kind.as_str() {
            "article" => {
                let row: Option<(String, i64)> =
                    sqlx::query_as("SELECT status, published_at FROM articles WHERE id = $1")
                        .bind(r.target_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                match row {
                    None => return Ok(Err(ReportRefusal::Missing)),
                    Some((s, _)) if s == "taken_down" || s == "deleted" => {
                        return Ok(Err(ReportRefusal::AlreadyRemoved));
                    }
                    Some((s, at)) if s != "published" || at > now => {
                        return Ok(Err(ReportRefusal::Missing));
                    }
                    Some(_) => r.target_id,
                }
            }
            "comment" => {
                let row: Option<(String, i64)> =
                    sqlx::query_as("SELECT status, article_id FROM comments WHERE id = $1")
                        .bind(r.target_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                match row {
                    None => return Ok(Err(ReportRefusal::Missing)),
                    Some((s, _)) if s == "removed" || s == "deleted" => {
                        return Ok(Err(ReportRefusal::AlreadyRemoved));
                    }
                    Some((s, _)) if s != "published" => return Ok(Err(ReportRefusal::Missing)),
                    Some((_, article_id)) => article_id,
                }
            }
            _ => return Ok(Err(ReportRefusal::Missing)),
        };
        let open: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM reports WHERE target_kind = $1 AND target_id = $2 AND reporter_id = $3 AND status = 'open'",
        )
        .bind(&r.target_kind)
        .bind(r.target_id)
        .bind(r.reporter_id)
        .fetch_optional(&mut *tx)
        .await?;
        if open.is_some() {
            return Ok(Err(ReportRefusal::AlreadyReported));
        }
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO reports (target_kind, target_id, article_id, reporter_id, kind, note, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'open', $7) RETURNING id",
        )
        .bind(&r.target_kind)
        .bind(r.target_id)
        .bind(article_id)
        .bind(r.reporter_id)
        .bind(&r.kind)
        .bind(&r.note)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Ok(id))
    }

    /// The open reports folded per item: newest report first, or most-reported first.
    pub async fn report_queue(&self, most_reported: bool) -> Result<Vec<QueueItem>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.target_kind, r.target_id, r.article_id, a.title, m.body, r.kind, r.note, u.username, r.created_at \
             FROM reports r JOIN articles a ON a.id = r.article_id JOIN users u ON u.id = r.reporter_id \
             LEFT JOIN comments m ON r.target_kind = 'comment' AND m.id = r.target_id \
             WHERE r.status = 'open' ORDER BY r.created_at DESC, r.id DESC LIMIT 5000",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut items: Vec<QueueItem> = Vec::new();
        for row in &rows {
            let kind_of: String = row.try_get("target_kind")?;
            let tid: i64 = row.try_get("target_id")?;
            let kind: String = row.try_get("kind")?;
            let note: String = row.try_get("note")?;
            let who: String = row.try_get("username")?;
            match items
                .iter_mut()
                .find(|i| i.target_kind == kind_of && i.target_id == tid)
            {
                Some(item) => {
                    item.count += 1;
                    item.reports.push((kind, note, who));
                }
                None => items.push(QueueItem {
                    target_kind: kind_of,
                    target_id: tid,
                    article_id: row.try_get("article_id")?,
                    article_title: row.try_get("title")?,
                    comment_body: row.try_get("body")?,
                    count: 1,
                    latest_at: row.try_get("created_at")?,
                    reports: vec![(kind, note, who)],
                }),
            }
        }
        if most_reported {
            items.sort_by(|a, b| b.count.cmp(&a.count).then(b.latest_at.cmp(&a.latest_at)));
        }
        Ok(items)
    }

    /// Closes the open reports on an item without acting on it (audited).
    pub async fn dismiss_reports(
        &self,
        target_kind: &str,
        target_id: i64,
        editor_id: i64,
        note: &str,
    ) -> Result<u64, StoreError> {
        let mut tx = self.write().await?;
        let n = close_reports(&mut tx, target_kind, target_id, "dismissed", editor_id).await?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        audit(
            &mut tx,
            Some(editor_id),
            "report.dismiss",
            &format!("{target_kind}:{target_id}"),
            note,
        )
        .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Takes a published article down with a reason the creator sees (audited; its reports
    /// close; every page drops it through the change feed). `editor_id` is `None` from the CLI.
    pub async fn take_down(
        &self,
        article_id: i64,
        editor_id: Option<i64>,
        reason: &str,
    ) -> Result<(), StoreError> {
        let now = haowen_core::time::now();
        let mut tx = self.write().await?;
        let done = sqlx::query(
            "UPDATE articles SET status = 'taken_down', takedown_reason = $1, taken_down_at = $2, updated_at = $2, \
             takedowns = takedowns + 1 \
             WHERE id = $3 AND status IN ('published', 'draft')",
        )
        .bind(reason)
        .bind(now)
        .bind(article_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::NotFound);
        }
        if let Some(editor) = editor_id {
            close_reports(&mut tx, "article", article_id, "takedown", editor).await?;
        } else {
            sqlx::query(
                "UPDATE reports SET status = 'closed', outcome = 'takedown', closed_at = $1 \
                 WHERE target_kind = 'article' AND target_id = $2 AND status = 'open'",
            )
            .bind(now)
            .bind(article_id)
            .execute(&mut *tx)
            .await?;
        }
        audit(
            &mut tx,
            editor_id,
            "article.takedown",
            &format!("article:{article_id}"),
            reason,
        )
        .await?;
        changes::record(&mut tx, "article", article_id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Puts a taken-down article back (audited); a pending appeal on it is granted.
    pub async fn restore(
        &self,
        article_id: i64,
        editor_id: Option<i64>,
        note: &str,
    ) -> Result<(), StoreError> {
        let now = haowen_core::time::now();
        let mut tx = self.write().await?;
        let done = sqlx::query(
            "UPDATE articles SET status = 'published', takedown_reason = '', updated_at = $1 \
             WHERE id = $2 AND status = 'taken_down'",
        )
        .bind(now)
        .bind(article_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::NotFound);
        }
        sqlx::query(
            "UPDATE appeals SET status = 'restored', reason = $1, decided_by = $2, decided_at = $3 \
             WHERE article_id = $4 AND status = 'pending'",
        )
        .bind(note)
        .bind(editor_id)
        .bind(now)
        .bind(article_id)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            editor_id,
            "article.restore",
            &format!("article:{article_id}"),
            note,
        )
        .await?;
        changes::record(&mut tx, "article", article_id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Taken-down articles, most recent first: (id, title, creator name, reason, when).
    pub async fn taken_down_articles(
        &self,
        limit: i64,
    ) -> Result<Vec<(i64, String, String, String, i64)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT a.id, a.title, c.name, a.takedown_reason, COALESCE(a.taken_down_at, a.updated_at) \
             FROM articles a JOIN creators c ON c.id = a.creator_id WHERE a.status = 'taken_down' \
             ORDER BY COALESCE(a.taken_down_at, a.updated_at) DESC, a.id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The reason an article was taken down ("" when it was not).
    pub async fn takedown_reason(&self, article_id: i64) -> Result<String, StoreError> {
        let (reason,): (String,) =
            sqlx::query_as("SELECT takedown_reason FROM articles WHERE id = $1")
                .bind(article_id)
                .fetch_optional(&self.pool)
                .await?
                .ok_or(StoreError::NotFound)?;
        Ok(reason)
    }
}
