//! The importer's writes: create an article or update the one with the same `external_id`,
//! one at a time or a batch in one transaction (one commit, one fsync, per batch).

use haowen_core::{NewArticle, article::summarize, markdown};

use crate::{
    Store, StoreError,
    articles::{SUMMARY_CHARS, insert, tags_json},
    changes,
};

/// What an upsert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpsertOutcome {
    Inserted(i64),
    Updated(i64),
}

impl UpsertOutcome {
    pub fn id(self) -> i64 {
        match self {
            UpsertOutcome::Inserted(id) | UpsertOutcome::Updated(id) => id,
        }
    }
}

/// One article of an import batch.
#[derive(Debug, Clone)]
pub struct ImportedArticle {
    pub article: NewArticle,
}

impl Store {
    /// Creates the article, or updates the one with the same `external_id`; counters and the
    /// id are kept on update. Without an external id this is a plain create.
    pub async fn upsert_article(&self, new: &NewArticle) -> Result<UpsertOutcome, StoreError> {
        let mut tx = self.write().await?;
        let (outcome, _) = upsert_in(&mut tx, new).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// [`Store::upsert_article`] for a batch, in one transaction: all of it is saved or none.
    /// Returns what happened to each article and the change row it wrote (a bulk indexer
    /// running beside the import tells its own changes from other writers' by these ids).
    pub async fn upsert_articles(
        &self,
        batch: &[ImportedArticle],
    ) -> Result<Vec<(UpsertOutcome, i64)>, StoreError> {
        let mut tx = self.write().await?;
        let mut outcomes = Vec::with_capacity(batch.len());
        for item in batch {
            outcomes.push(upsert_in(&mut tx, &item.article).await?);
        }
        tx.commit().await?;
        Ok(outcomes)
    }
}

/// The upsert and the id of the change row it wrote.
async fn upsert_in(
    tx: &mut sqlx::AnyConnection,
    new: &NewArticle,
) -> Result<(UpsertOutcome, i64), StoreError> {
    let existing: Option<(i64,)> = match &new.external_id {
        Some(ext) => {
            sqlx::query_as("SELECT id FROM articles WHERE external_id = $1")
                .bind(ext)
                .fetch_optional(&mut *tx)
                .await?
        }
        None => None,
    };
    let outcome = match existing {
        Some((id,)) => {
            let html = markdown::render(&new.body_md);
            sqlx::query(
                "UPDATE articles SET creator_id = $1, channel_id = $2, title = $3, body_md = $4, \
                 body_html = $5, summary = $6, declaration_kind = $7, declaration_source = $8, \
                 cover_url = $9, tags = $10, status = $11, \
                 published_at = $12, updated_at = $13, \
                 declaration_link = $15 WHERE id = $14",
            )
            .bind(new.creator_id)
            .bind(new.channel_id)
            .bind(&new.title)
            .bind(&new.body_md)
            .bind(&html)
            .bind(summarize(&html, SUMMARY_CHARS))
            .bind(new.declaration.kind())
            .bind(new.declaration.source())
            .bind(crate::articles::cover_for(new, &html))
            .bind(tags_json(&new.tags))
            .bind(new.status.as_str())
            .bind(new.published_at)
            .bind(haowen_core::time::now())
            .bind(id)
            .bind(new.declaration.link())
            .execute(&mut *tx)
            .await?;
            crate::tags::set_tags(&mut *tx, id, &new.tags).await?;
            UpsertOutcome::Updated(id)
        }
        None => UpsertOutcome::Inserted(insert(&mut *tx, new).await?),
    };
    let change = changes::record(&mut *tx, "article", outcome.id()).await?;
    Ok((outcome, change))
}
