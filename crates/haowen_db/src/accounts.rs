//! Users and sessions.

use haowen_core::account::{Role, User};
use sqlx::{Row, any::AnyRow};

use crate::{Store, StoreError};

const USER_COLUMNS: &str = "id, username, display_name, role, disabled, creator_id, created_at";

fn user(row: &AnyRow) -> Result<User, StoreError> {
    let role: String = row.try_get("role")?;
    let disabled: i64 = row.try_get("disabled")?;
    Ok(User {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("role {role:?}")))?,
        disabled: disabled != 0,
        creator_id: row.try_get("creator_id")?,
        created_at: row.try_get("created_at")?,
    })
}

/// Sessions an account keeps at once (phones, computers, browsers); a new sign-in past this
/// ends the oldest.
pub const MAX_SESSIONS_PER_USER: i64 = 10;

impl Store {
    /// Creates a user; a taken account name is a `Conflict`.
    pub async fn create_user(
        &self,
        username: &str,
        display_name: &str,
        password_hash: &str,
        role: Role,
    ) -> Result<User, StoreError> {
        let mut tx = self.write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO users (username, display_name, password_hash, role, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(username)
        .bind(display_name)
        .bind(password_hash)
        .bind(role.as_str())
        .bind(haowen_core::time::now())
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        self.user(id).await
    }

    /// Creates the first admin (the `/setup` link), only while no admin exists: the check and
    /// the insert are one statement, and on PostgreSQL the users table is locked against other
    /// writers first, so two racing set-ups (or a set-up racing `admin create-user`) make one
    /// admin. `Conflict { constraint: "admin_exists" }` when there already is one.
    pub async fn create_first_admin(
        &self,
        username: &str,
        display_name: &str,
        password_hash: &str,
    ) -> Result<User, StoreError> {
        let mut tx = self.write().await?;
        if self.backend() == crate::Backend::Postgres {
            sqlx::query("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE")
                .execute(&mut *tx)
                .await?;
        }
        let id: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO users (username, display_name, password_hash, role, created_at) \
             SELECT $1, $2, $3, 'admin', $4 \
             WHERE NOT EXISTS (SELECT 1 FROM users WHERE role = 'admin') RETURNING id",
        )
        .bind(username)
        .bind(display_name)
        .bind(password_hash)
        .bind(haowen_core::time::now())
        .fetch_optional(&mut *tx)
        .await?;
        let Some((id,)) = id else {
            return Err(StoreError::Conflict {
                constraint: "admin_exists".into(),
            });
        };
        tx.commit().await?;
        self.user(id).await
    }

    pub async fn user(&self, id: i64) -> Result<User, StoreError> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"));
        let row = sqlx::query(sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        user(&row)
    }

    /// The user and their password hash, for signing in.
    pub async fn user_for_sign_in(
        &self,
        username: &str,
    ) -> Result<Option<(User, String)>, StoreError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS}, password_hash FROM users WHERE username = $1"
        ));
        let Some(row) = sqlx::query(sql)
            .bind(username)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        Ok(Some((user(&row)?, row.try_get("password_hash")?)))
    }

    /// The password hash of a user.
    pub async fn password_hash(&self, user_id: i64) -> Result<String, StoreError> {
        let (hash,): (String,) = sqlx::query_as("SELECT password_hash FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(hash)
    }

    /// Replaces the password and ends every other session of the user.
    pub async fn set_password(
        &self,
        user_id: i64,
        password_hash: &str,
        keep_session: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_digest <> $2")
            .bind(user_id)
            .bind(keep_session.unwrap_or(""))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.memos.accounts_changed();
        Ok(())
    }

    /// Disables or re-enables an account. A disabled account has no session (sign-in is
    /// refused and live sessions stop working); its creator's articles stay up.
    pub async fn set_user_disabled(&self, user_id: i64, disabled: bool) -> Result<(), StoreError> {
        let done = self
            .write_one(
                sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
                    .bind(i64::from(disabled))
                    .bind(user_id),
            )
            .await?;
        self.memos.accounts_changed();
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Users, newest first.
    pub async fn users(&self, offset: i64, limit: i64) -> Result<(Vec<User>, i64), StoreError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users ORDER BY id DESC LIMIT $1 OFFSET $2"
        ));
        let rows = sqlx::query(sql)
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.pool)
            .await?;
        let (total,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?;
        Ok((rows.iter().map(user).collect::<Result<_, _>>()?, total))
    }

    /// Changes a user's role, recording who did it.
    pub async fn set_role(
        &self,
        user_id: i64,
        role: Role,
        actor_id: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        let done = sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
            .bind(role.as_str())
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        crate::applications::audit(
            &mut tx,
            Some(actor_id),
            "user.role",
            &format!("user:{user_id}"),
            role.as_str(),
        )
        .await?;
        tx.commit().await?;
        self.memos.accounts_changed();
        Ok(())
    }

    /// Disables or enables an account on an admin's behalf (audited; sessions end at once).
    pub async fn set_disabled_by(
        &self,
        user_id: i64,
        disabled: bool,
        actor_id: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        let done = sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
            .bind(i64::from(disabled))
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        let action = if disabled {
            "user.disable"
        } else {
            "user.enable"
        };
        crate::applications::audit(
            &mut tx,
            Some(actor_id),
            action,
            &format!("user:{user_id}"),
            "",
        )
        .await?;
        tx.commit().await?;
        self.memos.accounts_changed();
        Ok(())
    }

    /// Number of active admins.
    pub async fn admin_count(&self) -> Result<i64, StoreError> {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0")
                .fetch_one(&self.pool)
                .await?;
        Ok(n)
    }

    /// Starts a session. `token_digest` is the SHA-256 of the cookie's token. An account keeps
    /// at most [`MAX_SESSIONS_PER_USER`]: the oldest end, in the same transaction.
    pub async fn create_session(
        &self,
        token_digest: &str,
        user_id: i64,
        csrf: &str,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query("INSERT INTO sessions (token_digest, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(token_digest)
            .bind(user_id)
            .bind(csrf)
            .bind(haowen_core::time::now())
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
        // Creation order: SQLite's rowid, PostgreSQL's `seq` (both grow with each insert).
        let order = match self.backend() {
            crate::Backend::Sqlite => "rowid",
            crate::Backend::Postgres => "seq",
        };
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM sessions WHERE user_id = $1 AND token_digest NOT IN \
             (SELECT token_digest FROM sessions WHERE user_id = $1 ORDER BY {order} DESC LIMIT $2)"
        )))
        .bind(user_id)
        .bind(MAX_SESSIONS_PER_USER)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.memos.accounts_changed();
        Ok(())
    }

    /// The user of a live session and its CSRF token; disabled users have no session.
    pub async fn session_user(
        &self,
        token_digest: &str,
        now: i64,
    ) -> Result<Option<(User, String)>, StoreError> {
        if let Some(found) = self.memos.session(token_digest, now) {
            return Ok(Some(found));
        }
        let epoch = self.memos.session_epoch();
        let sql = "SELECT u.id, u.username, u.display_name, u.role, u.disabled, u.creator_id, u.created_at, s.csrf, s.expires_at \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_digest = $1 AND s.expires_at > $2 AND u.disabled = 0";
        let Some(row) = sqlx::query(sql)
            .bind(token_digest)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let (found, csrf, expires): (User, String, i64) = (
            user(&row)?,
            row.try_get("csrf")?,
            row.try_get("expires_at")?,
        );
        self.memos.keep_session(
            token_digest,
            (found.clone(), csrf.clone(), expires),
            now,
            epoch,
        );
        Ok(Some((found, csrf)))
    }

    pub async fn delete_session(&self, token_digest: &str) -> Result<(), StoreError> {
        self.write_one(
            sqlx::query("DELETE FROM sessions WHERE token_digest = $1").bind(token_digest),
        )
        .await?;
        self.memos.accounts_changed();
        Ok(())
    }

    /// Removes expired sessions; returns how many.
    pub async fn prune_sessions(&self, now: i64) -> Result<u64, StoreError> {
        self.write_one(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now))
            .await
    }
}
