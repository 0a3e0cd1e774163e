//! Applying the change feed to the index, and rebuilding it from the database.

use haowen_db::{IndexRow, Store};
use haowen_search::IndexDoc;

use crate::discovery::{Discovery, DiscoveryError};

/// Change rows applied per index commit.
const BATCH: i64 = 500;
/// Most articles of one catch-up whose related lists are computed at once.
const PRECOMPUTED: usize = 64;
/// Articles read per page during a rebuild.
const REBUILD_PAGE: i64 = 1000;

pub fn row_to_doc(r: IndexRow) -> IndexDoc {
    IndexDoc {
        id: r.id,
        channel_id: r.channel_id,
        creator_id: r.creator_id,
        published_at: r.published_at,
        title: r.title,
        body: r.body,
    }
}

/// The articles a page of change rows names (sorted, once each), leaving out the rows `skip`
/// picks by change id.
pub(crate) fn changed_articles(
    page: &[(i64, String, i64)],
    skip: impl Fn(i64) -> bool,
) -> Vec<i64> {
    let mut ids: Vec<i64> = page
        .iter()
        .filter(|(change, entity, _)| entity == "article" && !skip(*change))
        .map(|(_, _, id)| *id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Runs blocking index work off the async threads.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, haowen_search::SearchError> + Send + 'static,
) -> Result<T, DiscoveryError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| DiscoveryError::Join(e.to_string()))?
        .map_err(DiscoveryError::from)
}

impl Discovery {
    /// Applies the change feed after the index's cursor. Returns how many articles changed.
    pub async fn catch_up(&self, store: &Store) -> Result<usize, DiscoveryError> {
        // A folder deleted under the running server: rebuild it rather than write into nothing.
        if !self.dir.join("meta.json").exists() {
            self.mark_broken("the index folder is missing");
        }
        if self.broken().is_some() {
            let _replacing = self.applying.lock().await;
            self.replace_index()?;
            drop(_replacing);
            let n = self.rebuild(store, |_, _| {}).await?;
            if let Ok(mut b) = self.broken.lock() {
                *b = None;
            }
            self.needs_rebuild
                .store(false, std::sync::atomic::Ordering::SeqCst);
            tracing::info!(
                articles = n,
                "search index: replaced and rebuilt after damage; searching again"
            );
            return Ok(n as usize);
        }
        if self
            .needs_rebuild
            .swap(false, std::sync::atomic::Ordering::SeqCst)
        {
            let result = self.rebuild(store, |_, _| {}).await;
            if result.is_err() {
                self.needs_rebuild
                    .store(true, std::sync::atomic::Ordering::SeqCst);
            }
            return result.map(|n| n as usize);
        }
        let guard = self.applying.lock().await;
        let mut cursor = self.index().cursor();
        let oldest = store.oldest_change_id().await?;
        if oldest > cursor + 1 && cursor < store.latest_change_id().await? {
            tracing::warn!(
                cursor,
                oldest,
                "search index: the change feed was pruned past the index; rebuilding"
            );
            drop(guard);
            return self.rebuild(store, |_, _| {}).await.map(|n| n as usize);
        }
        let mut changed = 0;
        let mut indexed: Vec<(i64, i64, String, String)> = Vec::new();
        loop {
            let batch = store.changes_after(cursor, BATCH).await?;
            let Some(last) = batch.last().map(|c| c.0) else {
                break;
            };
            let ids = changed_articles(&batch, |_| false);
            let (upserts, removals) = super::bulk::documents(store, ids.clone()).await?;
            if indexed.len() < PRECOMPUTED {
                indexed.extend(
                    upserts
                        .iter()
                        .map(|d| (d.id, d.channel_id, d.title.clone(), d.body.clone())),
                );
            }
            let index = self.index();
            self.watch(blocking(move || index.apply(&upserts, &removals, last)).await)?;
            self.forget_related_of(&ids);
            changed += ids.len();
            cursor = last;
        }
        drop(guard);
        // A few articles (a publish, an edit): their lists now. An import's thousands are left
        // to their first readers.
        if !indexed.is_empty() && indexed.len() <= PRECOMPUTED {
            self.precompute_related(store, indexed).await;
        }
        Ok(changed)
    }

    /// Rebuilds the index from the database; `progress(done, total)` is called per page.
    /// Returns the number of articles indexed.
    pub async fn rebuild(
        &self,
        store: &Store,
        mut progress: impl FnMut(u64, u64),
    ) -> Result<u64, DiscoveryError> {
        let _rebuilding = self.applying.lock().await;
        let started = std::time::Instant::now();
        // Changes landing during the rebuild come after this id and are applied afterwards.
        let cursor = store.latest_change_id().await?;
        let total = store.published_count().await?.max(0) as u64;
        let index = self.index();
        blocking(move || index.clear()).await?;
        let mut after = 0;
        let mut done = 0u64;
        loop {
            let rows = store.index_rows(after, REBUILD_PAGE).await?;
            let Some(last) = rows.last().map(|r| r.id) else {
                break;
            };
            after = last;
            done += rows.len() as u64;
            let docs: Vec<IndexDoc> = rows.into_iter().map(row_to_doc).collect();
            let index = self.index();
            blocking(move || index.add(&docs)).await?;
            progress(done, total);
        }
        let index = self.index();
        blocking(move || index.commit(cursor)).await?;
        self.forget_related();
        tracing::info!(
            articles = done,
            seconds = started.elapsed().as_secs_f64(),
            "search index: rebuilt"
        );
        Ok(done)
    }
}
