//! Channels: listing, lookup, and get-or-create for the importer.

use haowen_core::Channel;

use crate::{Store, StoreError, changes, rows};

impl Store {
    /// Every channel in navigation order.
    pub async fn channels(&self) -> Result<Vec<Channel>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, slug, name, position, hidden FROM channels ORDER BY position, id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(rows::channel).collect()
    }

    pub async fn channel_by_slug(&self, slug: &str) -> Result<Channel, StoreError> {
        let row =
            sqlx::query("SELECT id, slug, name, position, hidden FROM channels WHERE slug = $1")
                .bind(slug)
                .fetch_optional(&self.pool)
                .await?
                .ok_or(StoreError::NotFound)?;
        rows::channel(&row)
    }

    /// The channel called `name`, created (after the existing ones) when missing.
    pub async fn channel_by_name_or_create(&self, name: &str) -> Result<Channel, StoreError> {
        if let Some(row) =
            sqlx::query("SELECT id, slug, name, position, hidden FROM channels WHERE name = $1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?
        {
            return rows::channel(&row);
        }
        let mut tx = self.write().await?;
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
        let row =
            sqlx::query("SELECT id, slug, name, position, hidden FROM channels WHERE name = $1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?
                .ok_or_else(|| StoreError::Conflict {
                    constraint: format!("channel slug for {name:?}"),
                })?;
        rows::channel(&row)
    }
}

impl Store {
    /// Adds a channel at the end of the navigation; a taken name or slug is a `Conflict`.
    pub async fn create_channel(
        &self,
        slug: &str,
        name: &str,
        actor_id: i64,
    ) -> Result<Channel, StoreError> {
        let mut tx = self.write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO channels (slug, name, position) VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM channels)) RETURNING id",
        )
        .bind(slug)
        .bind(name)
        .fetch_one(&mut *tx)
        .await?;
        crate::applications::audit(
            &mut tx,
            Some(actor_id),
            "channel.create",
            &format!("channel:{id}"),
            name,
        )
        .await?;
        changes::record(&mut tx, "channel", id).await?;
        tx.commit().await?;
        self.channel_by_slug(slug).await
    }

    /// Renames, moves (position) and hides or shows a channel.
    pub async fn update_channel(
        &self,
        id: i64,
        name: &str,
        position: i64,
        hidden: bool,
        actor_id: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        let done =
            sqlx::query("UPDATE channels SET name = $1, position = $2, hidden = $3 WHERE id = $4")
                .bind(name)
                .bind(position)
                .bind(i64::from(hidden))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let detail = format!("{name} position={position} hidden={hidden}");
        crate::applications::audit(
            &mut tx,
            Some(actor_id),
            "channel.update",
            &format!("channel:{id}"),
            &detail,
        )
        .await?;
        changes::record(&mut tx, "channel", id).await?;
        tx.commit().await?;
        Ok(())
    }
}
