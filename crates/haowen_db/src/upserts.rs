//! The importer's writes: create an article or update the one with the same `external_id`,
//! one at a time or a batch in one transaction (one commit, one fsync, per batch).

use std::collections::{HashMap, HashSet};

use haowen_core::{NewArticle, article::summarize, markdown};

use crate::{
    Store, StoreError,
    articles::insert,
    changes,
    multi_row::{ROWS_PER_STATEMENT, placeholders},
    new_article_row::{
        INSERT_COLUMNS, INSERT_VALUES, SUMMARY_CHARS, bind_new, cover_for, tags_json,
    },
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
        let outcomes = if keyed_once(batch) {
            upsert_keyed(&mut tx, batch).await?
        } else {
            let mut outcomes = Vec::with_capacity(batch.len());
            for item in batch {
                outcomes.push(upsert_in(&mut tx, &item.article).await?);
            }
            outcomes
        };
        tx.commit().await?;
        Ok(outcomes)
    }
}

/// Whether every article of the batch has an external id, none twice: then the batch can be
/// written in multi-row statements.
fn keyed_once(batch: &[ImportedArticle]) -> bool {
    let mut seen = HashSet::with_capacity(batch.len());
    batch.iter().all(|item| {
        item.article
            .external_id
            .as_deref()
            .is_some_and(|k| seen.insert(k))
    })
}

/// A batch of distinct external ids in a few round trips instead of four per article: which
/// exist (one query), the new ones inserted and their tags and change rows written in
/// multi-row statements; the few that exist are updated one by one. Importing 100 k articles
/// made 400 k statements, each a hand-over to the database thread and back.
async fn upsert_keyed<'a>(
    tx: &mut sqlx::AnyConnection,
    batch: &'a [ImportedArticle],
) -> Result<Vec<(UpsertOutcome, i64)>, StoreError> {
    let key = |item: &'a ImportedArticle| item.article.external_id.as_deref().unwrap_or_default();
    let keys: Vec<&str> = batch.iter().map(key).collect();
    let existing = ids_by_external_id(tx, &keys).await?;
    let mut outcomes = Vec::with_capacity(batch.len());
    let mut fresh = Vec::new();
    for item in batch {
        match existing.get(key(item)) {
            Some(&id) => {
                update(tx, id, &item.article).await?;
                outcomes.push(UpsertOutcome::Updated(id));
            }
            None => {
                fresh.push(&item.article);
                outcomes.push(UpsertOutcome::Inserted(0));
            }
        }
    }
    let mut inserted = HashMap::with_capacity(fresh.len());
    for chunk in fresh.chunks(ROWS_PER_STATEMENT) {
        inserted.extend(insert_many(tx, chunk).await?);
    }
    for (outcome, item) in outcomes.iter_mut().zip(batch) {
        if let UpsertOutcome::Inserted(id) = outcome {
            *id = *inserted.get(key(item)).ok_or_else(|| {
                StoreError::Corrupt(format!("no id came back for article {}", key(item)))
            })?;
        }
    }
    let tagged: Vec<(i64, &[String])> = outcomes
        .iter()
        .zip(batch)
        .filter(|(o, _)| matches!(o, UpsertOutcome::Inserted(_)))
        .map(|(o, item)| (o.id(), item.article.tags.as_slice()))
        .collect();
    crate::tags::add_tags_many(tx, &tagged).await?;
    let ids: Vec<i64> = outcomes.iter().map(|o| o.id()).collect();
    let changes = changes::record_many(tx, "article", &ids).await?;
    Ok(outcomes.into_iter().zip(changes).collect())
}

/// The ids of the articles with these external ids (those that exist).
async fn ids_by_external_id(
    tx: &mut sqlx::AnyConnection,
    keys: &[&str],
) -> Result<HashMap<String, i64>, StoreError> {
    let mut found = HashMap::new();
    for chunk in keys.chunks(ROWS_PER_STATEMENT) {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT external_id, id FROM articles WHERE external_id IN {}",
            placeholders(tx, 1, chunk.len())
        ));
        let mut q = sqlx::query_as::<_, (String, i64)>(sql);
        for k in chunk {
            q = q.bind(*k);
        }
        found.extend(q.fetch_all(&mut *tx).await?);
    }
    Ok(found)
}

/// Inserts new articles (each with an external id) in one statement; returns external id → id.
async fn insert_many(
    tx: &mut sqlx::AnyConnection,
    articles: &[&NewArticle],
) -> Result<Vec<(String, i64)>, StoreError> {
    let now = haowen_core::time::now();
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO articles ({INSERT_COLUMNS}) VALUES {} RETURNING external_id, id",
        placeholders(tx, articles.len(), INSERT_VALUES)
    ));
    let mut q = sqlx::query_as::<_, (String, i64)>(sql);
    for new in articles {
        q = bind_new(q, new, now);
    }
    Ok(q.fetch_all(&mut *tx).await?)
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
            update(tx, id, new).await?;
            UpsertOutcome::Updated(id)
        }
        None => UpsertOutcome::Inserted(insert(&mut *tx, new).await?),
    };
    let change = changes::record(&mut *tx, "article", outcome.id()).await?;
    Ok((outcome, change))
}

/// Updates an existing article from an import record (counters and id kept).
async fn update(tx: &mut sqlx::AnyConnection, id: i64, new: &NewArticle) -> Result<(), StoreError> {
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
    .bind(cover_for(new, &html))
    .bind(tags_json(&new.tags))
    .bind(new.status.as_str())
    .bind(new.published_at)
    .bind(haowen_core::time::now())
    .bind(id)
    .bind(new.declaration.link())
    .execute(&mut *tx)
    .await?;
    crate::tags::set_tags(&mut *tx, id, &new.tags).await?;
    Ok(())
}
