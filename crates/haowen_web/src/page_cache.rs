//! Rendered pages kept in memory, plain and gzip-compressed, keyed by path and query.
//!
//! Each entry carries the snapshot generation it was rendered from; an entry of an older
//! generation is a miss, and a rebuild clears the map, so a page is never served stale after a
//! content change. Only successful pages are cached, and the map is bounded by entries and by
//! bytes: past [`MAX_ENTRIES`] pages or [`MAX_BYTES`] of HTML plus gzip it is cleared rather
//! than grown (a crawler walking every page of a 100 k-article site must not exhaust memory).
//!
//! A missed page is rendered once however many readers ask for it at that moment: the first
//! takes the page's render turn, the others wait for it and are served what it rendered (a
//! hot story whose page was just dropped by a 跟贴 would otherwise be rendered by every
//! reader at once).

use std::{
    collections::HashMap,
    io::Write,
    sync::{Arc, Mutex, OnceLock, RwLock},
};

use axum::{
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use bytes::Bytes;
use flate2::{Compression, write::GzEncoder};

/// Upper bound on cached pages.
pub const MAX_ENTRIES: usize = 20_000;
/// Upper bound on the bytes cached pages hold (plain and gzip together).
pub const MAX_BYTES: usize = 128 * 1024 * 1024;

/// A rendered page, ready to send.
#[derive(Debug)]
pub struct CachedPage {
    pub generation: u64,
    pub html: Bytes,
    /// Made on the first request that accepts gzip (a search page asked once by a client that
    /// does not accept it never pays for compressing it: 9 % of the CPU of fresh searches).
    gzip: OnceLock<Bytes>,
    pub etag: HeaderValue,
}

impl CachedPage {
    pub fn new(generation: u64, html: String) -> CachedPage {
        let etag = HeaderValue::from_str(&format!("\"g{generation}-{:x}\"", fnv(html.as_bytes())))
            .unwrap_or_else(|_| HeaderValue::from_static("\"0\""));
        CachedPage {
            generation,
            html: Bytes::from(html),
            gzip: OnceLock::new(),
            etag,
        }
    }

    /// The page gzip-compressed (empty if compression failed).
    pub fn gzip(&self) -> &Bytes {
        self.gzip.get_or_init(|| {
            let mut enc =
                GzEncoder::new(Vec::with_capacity(self.html.len() / 3), Compression::new(6));
            match enc.write_all(&self.html).and_then(|()| enc.finish()) {
                Ok(v) => Bytes::from(v),
                Err(_) => Bytes::new(),
            }
        })
    }

    /// The HTTP response for a request with these headers: gzip when accepted, 304 when the
    /// browser already has this version.
    pub fn respond(&self, request: &HeaderMap) -> Response {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        // Browsers revalidate every time (pages change when content does) but a 304 is cheap.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        headers.insert(header::ETAG, self.etag.clone());
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if request
            .get(header::IF_NONE_MATCH)
            .is_some_and(|v| v == self.etag)
        {
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        let gzip_ok = request
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
        if gzip_ok && !self.gzip().is_empty() {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            (headers, self.gzip().clone()).into_response()
        } else {
            (headers, self.html.clone()).into_response()
        }
    }
}

/// The cache.
pub struct PageCache {
    pages: RwLock<Pages>,
    max_entries: usize,
    max_bytes: usize,
    /// Pages being rendered now, one turn per key.
    rendering: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
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

impl CachedPage {
    /// Bytes held: the HTML and room for its gzip (reserved at half the HTML whether made yet
    /// or not, so the count never changes while the page is cached; our pages compress to a
    /// quarter to a third).
    pub fn size(&self) -> usize {
        self.html.len() + self.html.len() / 2
    }
}

/// The right to render one missed page; the next reader waiting for it goes when this drops.
pub struct RenderTurn<'a> {
    cache: &'a PageCache,
    key: String,
    guard: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Drop for RenderTurn<'_> {
    fn drop(&mut self) {
        drop(self.guard.take());
        let mut rendering = self
            .cache
            .rendering
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // Only the map holds the turn now: nobody waits for this page.
        if rendering
            .get(&self.key)
            .is_some_and(|turn| Arc::strong_count(turn) == 1)
        {
            rendering.remove(&self.key);
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
            rendering: Mutex::default(),
            max_entries,
            max_bytes,
        }
    }

    /// The page for `key` if it was rendered from `generation`.
    pub fn get(&self, key: &str, generation: u64) -> Option<Arc<CachedPage>> {
        let pages = self.pages.read().ok()?;
        pages
            .map
            .get(key)
            .filter(|p| p.generation == generation)
            .cloned()
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
        let turn = {
            let mut rendering = self
                .rendering
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            Arc::clone(rendering.entry(key.to_string()).or_default())
        };
        RenderTurn {
            cache: self,
            key: key.to_string(),
            guard: Some(turn.lock_owned().await),
        }
    }

    /// Drops every cached page of one article — its page and its comment pages, in every
    /// display mode (`/a/5`, `/a/5/comments?…`, `care24:/a/5`…) — after a change only they show.
    pub fn remove_article(&self, id: i64) {
        let path = format!("/a/{id}");
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

fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_of_an_older_generation_miss() {
        let cache = PageCache::new();
        cache.insert(
            "/a/1".into(),
            Arc::new(CachedPage::new(1, "<p>x</p>".into())),
        );
        assert!(cache.get("/a/1", 1).is_some());
        assert!(cache.get("/a/1", 2).is_none());
        cache.clear();
        assert!(cache.is_empty());
    }

    #[test]
    fn serves_gzip_and_304() {
        let page = CachedPage::new(3, "<p>好文</p>".repeat(100));
        let mut req = HeaderMap::new();
        req.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("br, gzip"),
        );
        let res = page.respond(&req);
        assert_eq!(
            res.headers()
                .get(header::CONTENT_ENCODING)
                .map(|v| v.as_bytes()),
            Some(&b"gzip"[..])
        );
        req.insert(header::IF_NONE_MATCH, page.etag.clone());
        assert_eq!(page.respond(&req).status(), StatusCode::NOT_MODIFIED);
    }

    #[test]
    fn dropping_an_article_drops_its_pages_in_every_mode_and_nothing_else() {
        let cache = PageCache::new();
        let keys = [
            "/a/5",
            "/a/5/comments?sort=new&page=1",
            "care24:/a/5",
            "care20:/a/5/comments?sort=hot&page=2",
            "/a/51",
            "care24:/a/50",
            "/",
            "/creator/5",
        ];
        for key in keys {
            cache.insert(key.into(), Arc::new(CachedPage::new(1, key.into())));
        }
        cache.remove_article(5);
        let left: Vec<&str> = keys
            .into_iter()
            .filter(|k| cache.get(k, 1).is_some())
            .collect();
        assert_eq!(left, ["/a/51", "care24:/a/50", "/", "/creator/5"]);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn readers_missing_one_page_together_render_it_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let cache = Arc::new(PageCache::new());
        let renders = Arc::new(AtomicUsize::new(0));
        let readers: Vec<_> = (0..16)
            .map(|_| {
                let (cache, renders) = (Arc::clone(&cache), Arc::clone(&renders));
                tokio::spawn(async move {
                    if cache.get("/a/7", 1).is_some() {
                        return;
                    }
                    let _turn = cache.render_turn("/a/7").await;
                    if cache.get("/a/7", 1).is_some() {
                        return;
                    }
                    renders.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(std::time::Duration::from_millis(30)).await;
                    cache.insert("/a/7".into(), Arc::new(CachedPage::new(1, "页".into())));
                })
            })
            .collect();
        for reader in readers {
            reader.await.expect("reader");
        }
        assert_eq!(renders.load(Ordering::SeqCst), 1);
        assert!(
            cache.rendering.lock().expect("map").is_empty(),
            "turns are given back"
        );
    }

    #[test]
    fn the_cache_is_bounded_by_bytes_and_counts_them_exactly() {
        let cache = PageCache::new();
        // Incompressible-ish pages of ~1 MiB each: the bound is reached long before 20,000.
        let big = |i: usize| {
            let text: String = (0..200_000u32)
                .map(|n| {
                    char::from_u32(0x4E00 + (n.wrapping_mul(2_654_435_761) >> 20) % 20_000)
                        .unwrap_or('字')
                })
                .collect();
            Arc::new(CachedPage::new(1, format!("{i}{text}")))
        };
        let one = big(0).size();
        let mut inserted = 0;
        for i in 0..(MAX_BYTES / one + 10) {
            cache.insert(format!("/a/{i}"), big(i));
            inserted += 1;
            assert!(cache.bytes() <= MAX_BYTES, "never over the bound");
        }
        assert!(cache.len() < inserted, "cleared on the way");
        cache.clear();
        assert_eq!((cache.len(), cache.bytes()), (0, 0));
        cache.insert("/a/7".into(), big(1));
        cache.insert("/a/7".into(), big(2));
        cache.insert("care24:/a/7".into(), big(3));
        assert_eq!(
            cache.bytes(),
            big(2).size() + big(3).size(),
            "a replaced page is counted once"
        );
        cache.remove_article(7);
        assert_eq!((cache.len(), cache.bytes()), (0, 0));
    }
}
