//! Rendered pages kept in memory, plain and gzip-compressed, keyed by path and query.
//!
//! Each entry carries the snapshot generation it was rendered from. A rebuild after a content
//! change clears the map and raises the floor ([`PageCache::drop_below`]): an entry below it is a
//! miss, so a page is never served stale after a content change. An entry of an older
//! generation above the floor (the snapshot moved only counts, or time passed) is stale: served
//! while its next reader renders it anew. Only successful pages are cached, and the map is
//! bounded by entries and by bytes: past [`MAX_ENTRIES`] pages or [`MAX_BYTES`] of HTML plus
//! gzip it is cleared rather than grown (a crawler walking every page of a 100 k-article site
//! must not exhaust memory).
//!
//! A missed page is rendered once however many readers ask for it at that moment: the first
//! takes the page's render turn, the others wait for it and are served what it rendered (a
//! hot story whose page was just dropped by a 跟贴 would otherwise be rendered by every
//! reader at once).
//!
//! A page can also be marked stale instead of dropped (a hot story's pages, at most every
//! `article_drops::HOT_INTERVAL`): then one reader renders the new page while everyone else is
//! still served the old one, so nobody queues behind that render.

mod cached_page;
#[cfg(test)]
mod tests;
mod turns;

use std::{
    collections::HashMap,
    sync::{
        Arc, RwLock,
        atomic::{AtomicU64, Ordering},
    },
};

pub use cached_page::{CachedPage, Variant};
pub use turns::RenderTurn;
use turns::Turns;

/// Upper bound on cached pages.
pub const MAX_ENTRIES: usize = 20_000;
/// Upper bound on the bytes cached pages hold (plain and gzip together).
pub const MAX_BYTES: usize = 128 * 1024 * 1024;

/// The cache.
pub struct PageCache {
    pages: RwLock<Pages>,
    max_entries: usize,
    max_bytes: usize,
    /// Pages of older generations than this are never served.
    floor: AtomicU64,
    /// Pages being rendered now, one turn per key.
    rendering: Turns,
}

/// The cached pages and the bytes they hold.
#[derive(Default)]
struct Pages {
    map: HashMap<String, Arc<CachedPage>>,
    bytes: usize,
}

impl Pages {
    fn take(&mut self, key: &str) {
        if let Some(old) = self.map.remove(key) {
            self.bytes = self.bytes.saturating_sub(old.size());
        }
    }
}

impl Default for PageCache {
    fn default() -> Self {
        PageCache::with_limits(MAX_ENTRIES, MAX_BYTES)
    }
}

impl PageCache {
    pub fn new() -> PageCache {
        PageCache::default()
    }

    /// A cache cleared rather than grown past `max_entries` pages or `max_bytes`.
    pub fn with_limits(max_entries: usize, max_bytes: usize) -> PageCache {
        PageCache {
            pages: RwLock::default(),
            rendering: Turns::default(),
            floor: AtomicU64::new(0),
            max_entries,
            max_bytes,
        }
    }

    /// The page for `key` if it was rendered from `generation`, or from an older one above the
    /// floor (then marked stale).
    pub fn get(&self, key: &str, generation: u64) -> Option<Arc<CachedPage>> {
        let pages = self.pages.read().ok()?;
        let page = pages.map.get(key)?;
        if page.generation == generation {
            return Some(Arc::clone(page));
        }
        if page.generation < generation && page.generation >= self.floor.load(Ordering::Acquire) {
            page.mark_stale();
            return Some(Arc::clone(page));
        }
        None
    }

    pub fn insert(&self, key: String, page: Arc<CachedPage>) {
        if let Ok(mut pages) = self.pages.write() {
            pages.take(&key);
            if pages.map.len() >= self.max_entries || pages.bytes + page.size() > self.max_bytes {
                *pages = Pages::default();
            }
            pages.bytes += page.size();
            pages.map.insert(key, page);
        }
    }

    /// Waits for the turn to render `key` (at once when nobody else is rendering it). Check the
    /// cache again after: the reader before may have rendered the page meanwhile.
    pub async fn render_turn(&self, key: &str) -> RenderTurn<'_> {
        self.rendering.wait(key).await
    }

    /// Whether someone is rendering `key` now (a stale copy may be served meanwhile).
    pub fn refreshing(&self, key: &str) -> bool {
        self.rendering.held(key)
    }

    /// The page to serve for `key` without rendering: the current one, or a stale one while
    /// someone renders it anew (`None`: a miss, or a stale page nobody is rendering yet).
    pub fn ready(&self, key: &str, generation: u64) -> Option<Arc<CachedPage>> {
        self.get(key, generation)
            .filter(|page| !page.is_stale() || self.refreshing(key))
    }

    /// The page for `key`: the cached one of `generation`; else, when the cached one is stale and
    /// someone is rendering it, the stale one; else rendered now by `render` (once, however many
    /// readers ask at this moment) and cached. `current` gives the generation and the snapshot
    /// to render from (asked again once the turn is ours). A failed render drops a stale copy.
    pub async fn get_or_render<S, Fut, E>(
        &self,
        key: &str,
        current: impl Fn() -> (u64, S),
        render: impl FnOnce(S) -> Fut,
    ) -> Result<Arc<CachedPage>, E>
    where
        Fut: Future<Output = Result<String, E>>,
    {
        let (generation, _) = current();
        let turn = match self.get(key, generation) {
            Some(page) if !page.is_stale() => return Ok(page),
            Some(stale) => match self.rendering.try_now(key) {
                Some(turn) => turn,
                None => return Ok(stale),
            },
            None => self.render_turn(key).await,
        };
        // The reader before may have rendered the page meanwhile.
        let (generation, site) = current();
        if let Some(page) = self.get(key, generation).filter(|p| !p.is_stale()) {
            return Ok(page);
        }
        match render(site).await {
            Ok(html) => {
                let page = Arc::new(CachedPage::new(generation, html));
                // The article changed while this rendered: the page may predate the change.
                if turn.overtaken() {
                    page.mark_stale();
                }
                self.insert(key.to_string(), Arc::clone(&page));
                Ok(page)
            }
            Err(e) => {
                if let Ok(mut pages) = self.pages.write() {
                    pages.take(key);
                }
                Err(e)
            }
        }
    }

    /// Drops every cached page of one article — its page and its comment pages, in every
    /// display mode (`/a/5`, `/a/5/comments?…`, `care24:/a/5`…) — after a change only they show.
    pub fn remove_article(&self, id: i64) {
        let path = format!("/a/{id}");
        self.rendering.overtake(|key| is_article_key(key, &path));
        if let Ok(mut pages) = self.pages.write() {
            let gone: Vec<String> = pages
                .map
                .keys()
                .filter(|key| is_article_key(key, &path))
                .cloned()
                .collect();
            for key in gone {
                pages.take(&key);
            }
        }
    }

    /// Marks every cached page of one article stale (the pages [`Self::remove_article`] would
    /// drop): each is rendered anew by the next reader while the others are served it.
    pub fn mark_article_stale(&self, id: i64) {
        let path = format!("/a/{id}");
        self.rendering.overtake(|key| is_article_key(key, &path));
        if let Ok(pages) = self.pages.read() {
            pages
                .map
                .iter()
                .filter(|(key, _)| is_article_key(key, &path))
                .for_each(|(_, page)| page.mark_stale());
        }
    }

    /// Drops every page, and never serves one rendered from a generation before `generation`
    /// (a render under way from an older snapshot may still insert its page).
    pub fn drop_below(&self, generation: u64) {
        self.floor.fetch_max(generation, Ordering::AcqRel);
        self.clear();
    }

    pub fn clear(&self) {
        if let Ok(mut pages) = self.pages.write() {
            *pages = Pages::default();
        }
    }

    pub fn len(&self) -> usize {
        self.pages.read().map(|p| p.map.len()).unwrap_or(0)
    }

    /// Bytes the cached pages hold.
    pub fn bytes(&self) -> usize {
        self.pages.read().map(|p| p.bytes).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Whether a cache key (`[mode:]path[?query]`) is `path` or below it.
fn is_article_key(key: &str, path: &str) -> bool {
    let bare = key.split_once(':').map_or(key, |(_, rest)| rest);
    bare.strip_prefix(path)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/') || rest.starts_with('?'))
}
