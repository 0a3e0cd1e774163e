//! Channels: listing, lookup, and get-or-create for the importer.

use haowen_core::Channel;

use crate::{Store, StoreError, changes, rows};

impl Store {
    /// Every channel in navigation order.
    pub async fn channels(&self) -> Result<Vec<Channel>, StoreError> {
        let rows =
            sqlx::query("SELECT id, slug, name, position FROM channels ORDER BY position, id")
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(rows::channel).collect()
    }

    pub async fn channel_by_slug(&self, slug: &str) -> Result<Channel, StoreError> {
        let row = sqlx::query("SELECT id, slug, name, position FROM channels WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        rows::channel(&row)
    }

    /// The channel called `name`, created (after the existing ones) when missing.
    pub async fn channel_by_name_or_create(&self, name: &str) -> Result<Channel, StoreError> {
        if let Some(row) =
            sqlx::query("SELECT id, slug, name, position FROM channels WHERE name = $1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?
        {
            return rows::channel(&row);
        }
        let mut tx = self.pool.begin().await?;
        let inserted: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO channels (slug, name, position) \
             VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM channels)) \
             ON CONFLICT DO NOTHING RETURNING id",
        )
        .bind(haowen_core::channel::slug_for(name))
        .bind(name)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((id,)) = inserted {
            changes::record(&mut tx, "channel", id).await?;
        }
        tx.commit().await?;
        let row = sqlx::query("SELECT id, slug, name, position FROM channels WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::Conflict {
                constraint: format!("channel slug for {name:?}"),
            })?;
        rows::channel(&row)
    }
}
