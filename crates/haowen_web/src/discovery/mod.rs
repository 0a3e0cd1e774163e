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

mod find;
mod indexer;
mod related;

use std::{
    collections::HashMap,
    path::Path,
    sync::{Arc, Mutex},
};

use haowen_search::{Opened, SearchIndex, WriterOptions};

pub use find::{Find, FindResults, Found, PER_PAGE, parse_day};
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
}

/// The node's search index and related-list cache.
pub struct Discovery {
    pub index: Arc<SearchIndex>,
    related: Mutex<HashMap<i64, Arc<Vec<RelatedEntry>>>>,
    /// Serialises catch-ups and rebuilds.
    applying: tokio::sync::Mutex<()>,
    /// Set when the index was missing or unusable: the next catch-up rebuilds it first.
    needs_rebuild: std::sync::atomic::AtomicBool,
}

impl Discovery {
    /// Opens the index in `dir`. A missing or unusable one (the reason is logged) is rebuilt
    /// from the database by the first [`Discovery::catch_up`].
    pub fn open(dir: &Path) -> Result<Discovery, DiscoveryError> {
        let (index, opened) = SearchIndex::open(dir, WriterOptions::default())?;
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
            index: Arc::new(index),
            related: Mutex::new(HashMap::new()),
            applying: tokio::sync::Mutex::new(()),
            needs_rebuild: std::sync::atomic::AtomicBool::new(rebuild),
        })
    }

    /// Forgets every cached related list (an article changed: any list may change).
    pub fn forget_related(&self) {
        if let Ok(mut cache) = self.related.lock() {
            cache.clear();
        }
    }

    fn cached_related(&self, id: i64) -> Option<Arc<Vec<RelatedEntry>>> {
        self.related.lock().ok().and_then(|c| c.get(&id).cloned())
    }

    fn remember_related(&self, id: i64, list: Arc<Vec<RelatedEntry>>) {
        if let Ok(mut cache) = self.related.lock() {
            // Bounded: a crawler walking the archive must not grow it without end.
            if cache.len() >= 100_000 {
                cache.clear();
            }
            cache.insert(id, list);
        }
    }
}
