//! Creators: create, look up, get-or-create by name (importer), profile updates, followers.

use haowen_core::{Creator, NewCreator, creator::slug_for_name};

use crate::{Store, StoreError, changes, rows};

impl Store {
    /// Creates a creator; a taken name or slug is a `Conflict`.
    pub async fn create_creator(&self, new: &NewCreator) -> Result<Creator, StoreError> {
        let mut tx = self.write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO creators (slug, name, avatar_url, bio, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(&new.slug)
        .bind(&new.name)
        .bind(&new.avatar_url)
        .bind(&new.bio)
        .bind(haowen_core::time::now())
        .fetch_one(&mut *tx)
        .await?;
        changes::record(&mut tx, "creator", id).await?;
        tx.commit().await?;
        self.creator(id).await
    }

    pub async fn creator(&self, id: i64) -> Result<Creator, StoreError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM creators c WHERE c.id = $1",
            rows::CREATOR_COLUMNS
        ));
        let row = sqlx::query(sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        rows::creator(&row)
    }

    pub async fn creator_by_slug(&self, slug: &str) -> Result<Creator, StoreError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM creators c WHERE c.slug = $1",
            rows::CREATOR_COLUMNS
        ));
        let row = sqlx::query(sql)
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        rows::creator(&row)
    }

    /// All creators, most articles first.
    pub async fn creators(&self) -> Result<Vec<Creator>, StoreError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM creators c ORDER BY article_count DESC, c.id",
            rows::CREATOR_COLUMNS
        ));
        let rows = sqlx::query(sql).fetch_all(&self.pool).await?;
        rows.iter().map(rows::creator).collect()
    }

    /// The creator called `name`, created with a derived slug when missing (importer).
    pub async fn creator_by_name_or_create(&self, name: &str) -> Result<Creator, StoreError> {
        let find = format!(
            "SELECT {} FROM creators c WHERE c.name = $1",
            rows::CREATOR_COLUMNS
        );
        if let Some(row) = sqlx::query(sqlx::AssertSqlSafe(find.clone()))
            .bind(name)
            .fetch_optional(&self.pool)
            .await?
        {
            return rows::creator(&row);
        }
        let mut tx = self.write().await?;
        let inserted: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO creators (slug, name, avatar_url, bio, created_at) \
             VALUES ($1, $2, '', $3, $4) ON CONFLICT DO NOTHING RETURNING id",
        )
        .bind(slug_for_name(name))
        .bind(name)
        .bind(format!("{name}的好文号"))
        .bind(haowen_core::time::now())
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((id,)) = inserted {
            changes::record(&mut tx, "creator", id).await?;
        }
        tx.commit().await?;
        let row = sqlx::query(sqlx::AssertSqlSafe(find))
            .bind(name)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::Conflict {
                constraint: format!("creator slug for {name:?}"),
            })?;
        rows::creator(&row)
    }
}
