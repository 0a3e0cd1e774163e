//! Reading the audit log (every moderation and administration act writes its entry in its own
//! transaction).

use crate::{Store, StoreError};

/// One audit-log entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
    pub at: i64,
}

/// Which audit entries to list.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// An action or an action prefix (`article.` matches `article.takedown` and `article.restore`).
    pub action: String,
    /// The actor's user name.
    pub actor: String,
    /// The target, exactly (`article:12`).
    pub target: String,
}

impl Store {
    /// Audit entries, newest first, filtered.
    pub async fn audit_log(
        &self,
        filter: &AuditFilter,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<AuditEntry>, i64), StoreError> {
        let action_like = format!(
            "{}%",
            filter
                .action
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let cond = "l.action LIKE $1 ESCAPE '\\' AND ($2 = '' OR u.username = $2) AND ($3 = '' OR l.target = $3)";
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT l.id, COALESCE(u.username, 'system') AS actor, l.action, l.target, l.detail, l.at \
             FROM audit_log l LEFT JOIN users u ON u.id = l.actor_id WHERE {cond} \
             ORDER BY l.id DESC LIMIT $4 OFFSET $5"
        ));
        let rows: Vec<(i64, String, String, String, String, i64)> = sqlx::query_as(sql)
            .bind(&action_like)
            .bind(filter.actor.trim())
            .bind(filter.target.trim())
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.pool)
            .await?;
        let count_sql = sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM audit_log l LEFT JOIN users u ON u.id = l.actor_id WHERE {cond}"
        ));
        let (total,): (i64,) = sqlx::query_as(count_sql)
            .bind(&action_like)
            .bind(filter.actor.trim())
            .bind(filter.target.trim())
            .fetch_one(&self.pool)
            .await?;
        Ok((
            rows.into_iter()
                .map(|(id, actor, action, target, detail, at)| AuditEntry {
                    id,
                    actor,
                    action,
                    target,
                    detail,
                    at,
                })
                .collect(),
            total,
        ))
    }
}
