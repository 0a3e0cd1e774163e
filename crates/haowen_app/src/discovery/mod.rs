//! Search and 相关推荐 kept in step with the database.
//!
//! The index (haowen_search) lives under `DATA_DIR/search` on each node. Every article write
//! already appends to the `changes` outbox in its transaction; [`Discovery::catch_up`] (run
//! every 250 ms by the background task) applies the rows after the index's cursor — published
//! articles are (re)indexed, anything else is removed — and commits the new cursor inside the
//! same index commit, so a crash never skips or double-applies a change. A missing, outdated or
//! unreadable index is rebuilt from the database on start; so is one whose cursor fell behind
//! the pruned feed.
//!
//! Related lists are computed once per article and kept in memory until any article changes.
//!
//! A damaged index never takes the server down: an error reading it, a panic inside tantivy,
//! or its folder gone marks it **broken** (logged once with the reason); searching then answers
//! "unavailable" (503 with a message) and related lists are left out, while the next catch-up
//! replaces the index with an empty one and rebuilds it from the database in the background.

mod bulk;
mod find;
mod indexer;
mod related;

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
};

use haowen_search::{Opened, SearchIndex, WriterOptions};

pub use bulk::BulkIndexing;
pub use find::{Find, FindResults, Found, PER_PAGE, parse_day};
pub use haowen_search::Sort;
pub use indexer::row_to_doc;
pub use related::{RELATED, RelatedEntry, reason_text, recommend};

/// Errors of the discovery layer.
#[derive(Debug, thiserror::Error)]
pub enum DiscoveryError {
    #[error(transparent)]
    Search(#[from] haowen_search::SearchError),
    #[error(transparent)]
    Store(#[from] haowen_db::StoreError),
    #[error("the indexing task stopped: {0}")]
    Join(String),
    /// The index is damaged or missing and is being rebuilt (the reason).
    #[error("the search index is being rebuilt: {0}")]
    Unavailable(String),
}

/// A related list and when it was computed (unix seconds).
type Computed = (i64, Arc<Vec<RelatedEntry>>);

/// The node's search index and related-list cache.
pub struct Discovery {
    /// The index now (swapped for a fresh one when the old one is damaged).
    index: std::sync::RwLock<Arc<SearchIndex>>,
    dir: PathBuf,
    /// The writer's resources, kept for a replacement index.
    options: WriterOptions,
    /// Why the index cannot be used, while it is being replaced.
    broken: Mutex<Option<String>>,
    /// Related lists and when each was computed.
    related: Mutex<HashMap<i64, Computed>>,
    /// Serialises catch-ups and rebuilds.
    applying: tokio::sync::Mutex<()>,
    /// Set when the index was missing or unusable: the next catch-up rebuilds it first.
    needs_rebuild: std::sync::atomic::AtomicBool,
    /// Searches and related-list computations running at once, one per core: more only
    /// thrash the cores and keep a blocking thread (and its buffers) each — 64 searches at
    /// once held 150–540 MB at 100 k articles.
    pub(crate) searching: tokio::sync::Semaphore,
}

impl Discovery {
    /// Opens the index in `dir`. A missing or unusable one (the reason is logged) is rebuilt
    /// from the database by the first [`Discovery::catch_up`].
    pub fn open(dir: &Path) -> Result<Discovery, DiscoveryError> {
        Discovery::open_with(dir, WriterOptions::default())
    }

    /// [`Discovery::open`] for a bulk load ([`WriterOptions::bulk`]).
    pub fn open_for_bulk(dir: &Path) -> Result<Discovery, DiscoveryError> {
        Discovery::open_with(dir, WriterOptions::bulk())
    }

    fn open_with(dir: &Path, options: WriterOptions) -> Result<Discovery, DiscoveryError> {
        let (index, opened) = SearchIndex::open(dir, options)?;
        let rebuild = match opened {
            Opened::Existing => false,
            Opened::Created => {
                tracing::info!(dir = %dir.display(), "search index: none found; building it from the database");
                true
            }
            Opened::Replaced(reason) => {
                tracing::warn!(dir = %dir.display(), %reason, "search index: unusable, rebuilding it from the database");
                true
            }
        };
        Ok(Discovery {
            index: std::sync::RwLock::new(Arc::new(index)),
            dir: dir.to_path_buf(),
            options,
            broken: Mutex::new(None),
            related: Mutex::new(HashMap::new()),
            applying: tokio::sync::Mutex::new(()),
            needs_rebuild: std::sync::atomic::AtomicBool::new(rebuild),
            searching: tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            ),
        })
    }

    /// A turn at the index (see `searching`), held while a search or a related list runs.
    pub(crate) async fn index_turn(
        &self,
    ) -> Result<tokio::sync::SemaphorePermit<'_>, DiscoveryError> {
        self.searching
            .acquire()
            .await
            .map_err(|e| DiscoveryError::Join(e.to_string()))
    }

    /// The index now.
    pub fn index(&self) -> Arc<SearchIndex> {
        Arc::clone(&self.index.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// Why the index cannot be used now, if it cannot.
    pub fn broken(&self) -> Option<String> {
        self.broken.lock().ok().and_then(|b| b.clone())
    }

    /// Marks the index damaged (logged once); the next catch-up replaces and rebuilds it.
    pub fn mark_broken(&self, reason: &str) {
        let mut b = self.broken.lock().unwrap_or_else(|e| e.into_inner());
        if b.is_none() {
            tracing::error!(dir = %self.dir.display(), %reason, "search index: damaged; searching answers 503 while it is rebuilt from the database");
            *b = Some(reason.to_string());
        }
    }

    /// Checks the result of work on the index: damage (corrupt or short files, a missing file,
    /// a panic inside tantivy) marks it broken. A passing fault — too many open files, a full
    /// disk, an interrupted read — fails that one request and leaves the index alone.
    pub(crate) fn watch<T>(&self, result: Result<T, DiscoveryError>) -> Result<T, DiscoveryError> {
        if let Err(e) = &result
            && is_damage(e)
        {
            self.mark_broken(&e.to_string());
        }
        result
    }

    /// Replaces a damaged or missing index with an empty one (the caller rebuilds it).
    fn replace_index(&self) -> Result<(), DiscoveryError> {
        if self.dir.exists() {
            std::fs::remove_dir_all(&self.dir).map_err(|e| DiscoveryError::Search(e.into()))?;
        }
        let (fresh, _) = SearchIndex::open(&self.dir, self.options)?;
        *self.index.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(fresh);
        Ok(())
    }

    /// Forgets every related list (the index was rebuilt).
    pub fn forget_related(&self) {
        if let Ok(mut cache) = self.related.lock() {
            cache.clear();
        }
    }

    /// Forgets the lists these articles changed: their own and every list holding one of them.
    pub fn forget_related_of(&self, ids: &[i64]) {
        if let Ok(mut cache) = self.related.lock() {
            cache.retain(|id, (_, list)| {
                !ids.contains(id) && !list.iter().any(|entry| ids.contains(&entry.id))
            });
        }
    }

    fn cached_related(&self, id: i64) -> Option<Arc<Vec<RelatedEntry>>> {
        let now = haowen_core::time::now();
        self.related.lock().ok().and_then(|c| {
            c.get(&id)
                .filter(|(at, _)| now - at < related::RELATED_MAX_AGE_SECS)
                .map(|(_, list)| Arc::clone(list))
        })
    }

    fn remember_related(&self, id: i64, list: Arc<Vec<RelatedEntry>>) {
        if let Ok(mut cache) = self.related.lock() {
            // Bounded: a crawler walking the archive must not grow it without end.
            if cache.len() >= 100_000 {
                cache.clear();
            }
            cache.insert(id, (haowen_core::time::now(), list));
        }
    }
}

/// Whether an error means the index's files are damaged (rather than a passing fault).
fn is_damage(e: &DiscoveryError) -> bool {
    match e {
        // A panic inside a search (join errors only come from panics here).
        DiscoveryError::Join(_) => true,
        DiscoveryError::Search(s) => s.is_damage(),
        DiscoveryError::Store(_) | DiscoveryError::Unavailable(_) => false,
    }
}

impl crate::App {
    /// Runs a search (`/search`, `/api/v1/search`).
    pub async fn search(&self, f: &Find) -> Result<FindResults, DiscoveryError> {
        self.discovery.find(&self.db.store, f).await
    }

    /// 相关推荐 for an article (cached until any article changes).
    pub async fn related(
        &self,
        article: &haowen_core::Article,
        channels: &[haowen_core::Channel],
    ) -> Result<Arc<Vec<RelatedEntry>>, DiscoveryError> {
        self.discovery
            .related(&self.db.store, article, channels)
            .await
    }
}
