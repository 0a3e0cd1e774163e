//! Site settings as key/value rows.

use std::collections::BTreeMap;

use haowen_core::SiteSettings;

use crate::{Store, StoreError, changes};

impl Store {
    /// The stored pairs (keys never set are absent; [`SiteSettings`] fills defaults).
    pub async fn setting_pairs(&self) -> Result<BTreeMap<String, String>, StoreError> {
        let rows: Vec<(String, String)> = sqlx::query_as("SELECT key, value FROM settings")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().collect())
    }

    /// The typed settings, defaults filled in.
    pub async fn settings(&self) -> Result<SiteSettings, StoreError> {
        Ok(SiteSettings::from_pairs(&self.setting_pairs().await?))
    }

    /// Sets one key (validated by the caller with `haowen_core::settings::validate`).
    pub async fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(key)
        .bind(value)
        .bind(haowen_core::time::now())
        .execute(&mut *tx)
        .await?;
        changes::record(&mut tx, "settings", 0).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes a key so it falls back to its default.
    pub async fn reset_setting(&self, key: &str) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM settings WHERE key = $1")
            .bind(key)
            .execute(&mut *tx)
            .await?;
        changes::record(&mut tx, "settings", 0).await?;
        tx.commit().await?;
        Ok(())
    }
}
