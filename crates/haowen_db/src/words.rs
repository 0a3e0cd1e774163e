//! The sensitive-word list admins edit. Replacing it writes a change row, so every node rebuilds
//! its filter with its next snapshot.

use crate::{Store, StoreError, applications::audit, changes};

impl Store {
    /// The list, sorted.
    pub async fn sensitive_words(&self) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT word FROM sensitive_words ORDER BY added_at, word")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(|(w,)| w).collect())
    }

    /// Replaces the whole list (audited with the counts before and after).
    pub async fn set_sensitive_words(
        &self,
        words: &[String],
        admin_id: i64,
    ) -> Result<(), StoreError> {
        let now = haowen_core::time::now();
        let mut tx = self.write().await?;
        let (before,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sensitive_words")
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sensitive_words")
            .execute(&mut *tx)
            .await?;
        for w in words {
            sqlx::query(
                "INSERT INTO sensitive_words (word, added_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            )
            .bind(w)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        audit(
            &mut tx,
            Some(admin_id),
            "words.update",
            "sensitive_words",
            &format!("{before} → {} 个词", words.len()),
        )
        .await?;
        changes::record(&mut tx, "words", 0).await?;
        tx.commit().await?;
        Ok(())
    }
}
