//! 申请入驻 applications and the audit log.

use haowen_core::{account::Role, creator::slug_for_name};
use sqlx::{Row, any::AnyRow};

use crate::{Store, StoreError, changes};

/// An application as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    pub id: i64,
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub bio: String,
    /// Uploaded avatar (`/media/…`), or empty for the generated one.
    pub avatar_url: String,
    pub channel_id: i64,
    pub channel_name: String,
    pub sample: String,
    pub contact: String,
    /// pending | approved | rejected
    pub status: String,
    pub reason: String,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

/// What an applicant submits.
#[derive(Debug, Clone)]
pub struct NewApplication {
    pub user_id: i64,
    pub display_name: String,
    pub bio: String,
    pub avatar_url: String,
    pub channel_id: i64,
    pub sample: String,
    pub contact: String,
}

const COLUMNS: &str = "a.id, a.user_id, u.username, a.display_name, a.bio, a.avatar_url, a.channel_id, ch.name AS channel_name, \
    a.sample, a.contact, a.status, a.reason, a.created_at, a.decided_at \
    FROM applications a JOIN users u ON u.id = a.user_id JOIN channels ch ON ch.id = a.channel_id";

fn application(row: &AnyRow) -> Result<Application, StoreError> {
    Ok(Application {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        bio: row.try_get("bio")?,
        avatar_url: row.try_get("avatar_url")?,
        channel_id: row.try_get("channel_id")?,
        channel_name: row.try_get("channel_name")?,
        sample: row.try_get("sample")?,
        contact: row.try_get("contact")?,
        status: row.try_get("status")?,
        reason: row.try_get("reason")?,
        created_at: row.try_get("created_at")?,
        decided_at: row.try_get("decided_at")?,
    })
}

impl Store {
    pub async fn create_application(&self, new: &NewApplication) -> Result<i64, StoreError> {
        let mut tx = self.write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO applications (user_id, display_name, bio, channel_id, sample, contact, status, created_at, avatar_url) \
             VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8) RETURNING id",
        )
        .bind(new.user_id)
        .bind(&new.display_name)
        .bind(&new.bio)
        .bind(new.channel_id)
        .bind(&new.sample)
        .bind(&new.contact)
        .bind(haowen_core::time::now())
        .bind(&new.avatar_url)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The user's most recent application.
    pub async fn latest_application(
        &self,
        user_id: i64,
    ) -> Result<Option<Application>, StoreError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} WHERE a.user_id = $1 ORDER BY a.created_at DESC, a.id DESC LIMIT 1"
        ));
        let row = sqlx::query(sql)
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(application).transpose()
    }

    pub async fn application(&self, id: i64) -> Result<Application, StoreError> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} WHERE a.id = $1"));
        let row = sqlx::query(sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        application(&row)
    }

    /// Applications waiting for an editor, oldest first.
    pub async fn pending_applications(&self) -> Result<Vec<Application>, StoreError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} WHERE a.status = 'pending' ORDER BY a.created_at, a.id"
        ));
        let rows = sqlx::query(sql).fetch_all(&self.pool).await?;
        rows.iter().map(application).collect()
    }

    /// Whether a creator already uses this display name.
    pub async fn creator_name_taken(&self, name: &str) -> Result<bool, StoreError> {
        let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM creators WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }

    /// Approves a pending application: creates the creator, links it to the user, raises the
    /// user to creator, and records the act — all in one transaction. Returns the creator id.
    pub async fn approve_application(&self, id: i64, reviewer_id: i64) -> Result<i64, StoreError> {
        let app = self.application(id).await?;
        if app.status != "pending" {
            return Err(StoreError::Conflict {
                constraint: "application already decided".into(),
            });
        }
        let now = haowen_core::time::now();
        let mut tx = self.write().await?;
        let (creator_id,): (i64,) = sqlx::query_as(
            "INSERT INTO creators (slug, name, avatar_url, bio, created_at) VALUES ($1, $2, $5, $3, $4) RETURNING id",
        )
        .bind(slug_for_name(&app.display_name))
        .bind(&app.display_name)
        .bind(&app.bio)
        .bind(now)
        .bind(&app.avatar_url)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE users SET creator_id = $1, role = CASE WHEN role = 'reader' THEN $2 ELSE role END WHERE id = $3",
        )
        .bind(creator_id)
        .bind(Role::Creator.as_str())
        .bind(app.user_id)
        .execute(&mut *tx)
        .await?;
        let done = sqlx::query(
            "UPDATE applications SET status = 'approved', reviewer_id = $1, decided_at = $2 WHERE id = $3 AND status = 'pending'",
        )
        .bind(reviewer_id)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict {
                constraint: "application already decided".into(),
            });
        }
        audit(
            &mut tx,
            Some(reviewer_id),
            "application.approve",
            &format!("application:{id}"),
            &app.display_name,
        )
        .await?;
        changes::record(&mut tx, "creator", creator_id).await?;
        tx.commit().await?;
        self.memos.accounts_changed();
        Ok(creator_id)
    }

    /// Rejects a pending application with a reason the applicant sees.
    pub async fn reject_application(
        &self,
        id: i64,
        reviewer_id: i64,
        reason: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        let done = sqlx::query(
            "UPDATE applications SET status = 'rejected', reason = $1, reviewer_id = $2, decided_at = $3 WHERE id = $4 AND status = 'pending'",
        )
        .bind(reason)
        .bind(reviewer_id)
        .bind(haowen_core::time::now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict {
                constraint: "application missing or already decided".into(),
            });
        }
        audit(
            &mut tx,
            Some(reviewer_id),
            "application.reject",
            &format!("application:{id}"),
            reason,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The newest audit entries: (actor username, action, target, detail, at).
    pub async fn audit_entries(
        &self,
        limit: i64,
    ) -> Result<Vec<(String, String, String, String, i64)>, StoreError> {
        let rows: Vec<(Option<String>, String, String, String, i64)> = sqlx::query_as(
            "SELECT u.username, l.action, l.target, l.detail, l.at FROM audit_log l LEFT JOIN users u ON u.id = l.actor_id \
             ORDER BY l.id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(u, a, t, d, at)| (u.unwrap_or_else(|| "system".into()), a, t, d, at))
            .collect())
    }
}

/// Writes one audit entry inside the caller's transaction.
pub(crate) async fn audit(
    conn: &mut sqlx::AnyConnection,
    actor_id: Option<i64>,
    action: &str,
    target: &str,
    detail: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (actor_id, action, target, detail, at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(actor_id)
    .bind(action)
    .bind(target)
    .bind(detail)
    .bind(haowen_core::time::now())
    .execute(conn)
    .await?;
    Ok(())
}
