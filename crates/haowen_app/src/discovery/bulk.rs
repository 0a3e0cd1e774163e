//! Indexing a bulk write as it lands (`haowen import`), instead of reading it all back from the
//! change feed afterwards.
//!
//! The importer hands over each batch it committed (article ids and the ids of the change rows
//! it wrote); the batch's documents go to the index writer on a blocking thread while the next
//! batch is parsed and saved, so tokenising runs beside the database writes on another core.
//! Nothing is committed to the index until [`BulkIndexing::finish`]: it then applies every
//! change the import did not write itself (another writer, or the feed the index had not caught
//! up with), and commits once with the cursor at the newest change it read. A run that dies
//! before that leaves the index's cursor where it was, and the next catch-up applies the
//! imported changes from the feed as usual — slower, never wrong.

use std::collections::HashSet;

use haowen_core::ArticleStatus;
use haowen_db::Store;
use haowen_search::IndexDoc;
use tokio::task::JoinHandle;

use crate::discovery::{
    Discovery, DiscoveryError,
    indexer::{blocking, changed_articles, row_to_doc},
};

/// Change rows read per page when applying other writers' changes at the end.
const PAGE: i64 = 500;

/// An index being fed by a bulk write; see the module header.
pub struct BulkIndexing<'a> {
    discovery: &'a Discovery,
    /// Held for the whole run: no catch-up interleaves with the bulk.
    _applying: tokio::sync::MutexGuard<'a, ()>,
    /// The cursor the index was at when the run started.
    start: i64,
    /// Change rows the bulk wrote (their articles are indexed already).
    ours: HashSet<i64>,
    /// The batch being handed to the writer.
    in_flight: Option<JoinHandle<Result<(), haowen_search::SearchError>>>,
    indexed: u64,
}

impl Discovery {
    /// Starts feeding the index from a bulk write: brings it up to date with the feed first
    /// (rebuilding it if it is missing or damaged), then holds it until
    /// [`BulkIndexing::finish`].
    pub async fn bulk(&self, store: &Store) -> Result<BulkIndexing<'_>, DiscoveryError> {
        self.catch_up(store).await?;
        let applying = self.applying.lock().await;
        Ok(BulkIndexing {
            discovery: self,
            _applying: applying,
            start: self.index().cursor(),
            ours: HashSet::new(),
            in_flight: None,
            indexed: 0,
        })
    }
}

impl BulkIndexing<'_> {
    /// Queues what a committed batch wrote: `(article id, change row id)` for each article.
    /// Returns once the previous batch is in the writer's hands, so at most one waits.
    pub async fn add(&mut self, store: &Store, saved: &[(i64, i64)]) -> Result<(), DiscoveryError> {
        self.ours.extend(saved.iter().map(|(_, change)| *change));
        let ids: Vec<i64> = saved.iter().map(|(id, _)| *id).collect();
        let (docs, removals) = documents(store, ids).await?;
        self.indexed += docs.len() as u64;
        self.settle().await?;
        let index = self.discovery.index();
        self.in_flight = Some(tokio::task::spawn_blocking(move || {
            index.remove(&removals);
            index.add(&docs)
        }));
        Ok(())
    }

    /// Applies the changes the bulk did not write, commits, and returns how many articles the
    /// bulk put in the index.
    pub async fn finish(mut self, store: &Store) -> Result<u64, DiscoveryError> {
        self.settle().await?;
        let mut cursor = self.start;
        loop {
            let page = store.changes_after(cursor, PAGE).await?;
            let Some(last) = page.last().map(|c| c.0) else {
                break;
            };
            cursor = last;
            let ids = changed_articles(&page, |change| self.ours.contains(&change));
            let (docs, removals) = documents(store, ids).await?;
            let index = self.discovery.index();
            self.discovery.watch(
                blocking(move || {
                    index.remove(&removals);
                    index.add(&docs)
                })
                .await,
            )?;
        }
        let index = self.discovery.index();
        self.discovery
            .watch(blocking(move || index.commit(cursor)).await)?;
        self.discovery.forget_related();
        Ok(self.indexed)
    }

    /// Waits for the batch in the writer's hands.
    async fn settle(&mut self) -> Result<(), DiscoveryError> {
        if let Some(task) = self.in_flight.take() {
            let result = task
                .await
                .map_err(|e| DiscoveryError::Join(e.to_string()))?
                .map_err(DiscoveryError::from);
            self.discovery.watch(result)?;
        }
        Ok(())
    }
}

/// The documents of the published ones among `ids`, and the ids to take out of the index
/// (the catch-up's split too).
pub(super) async fn documents(
    store: &Store,
    ids: Vec<i64>,
) -> Result<(Vec<IndexDoc>, Vec<i64>), DiscoveryError> {
    let rows = store.index_rows_by_id(&ids).await?;
    let docs: Vec<IndexDoc> = rows
        .into_iter()
        .filter(|r| r.status == ArticleStatus::Published)
        .map(row_to_doc)
        .collect();
    let kept: HashSet<i64> = docs.iter().map(|d| d.id).collect();
    let removals = ids.into_iter().filter(|id| !kept.contains(id)).collect();
    Ok((docs, removals))
}
