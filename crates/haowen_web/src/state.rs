//! Shared state handed to every handler: the application ([`haowen_app::App`]) and the page
//! cache, which the app drops pages from after writes (through [`haowen_app::PageSink`]).

use std::{ops::Deref, sync::Arc};

use haowen_app::{App, AppConfig, Db, PageSink, Refusal};

use crate::page_cache::PageCache;

/// Everything a handler needs; derefs to [`Shared`] and through it to the [`App`]. One `Arc`:
/// axum clones the state for every extractor and middleware of every request, and cloning the
/// app's dozen `Arc`s each time (atomic counters shared by both cores) cost 18 % of the CPU of
/// serving a cached article page (perf, 2026-12-02).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// What the state holds.
pub struct Shared {
    pub app: App,
    pub pages: Arc<PageCache>,
    /// Search result pages, in a cache of their own: queries are unbounded, so a stream of
    /// distinct ones churns this small cache, never the article pages.
    pub search_pages: Arc<PageCache>,
    /// Raw search requests → their cached page's key, for the fast lane.
    pub search_aliases: crate::search_aliases::SearchAliases,
    /// The search's tag offer counts, per site generation.
    pub tag_offers: Arc<crate::tag_offers::TagOffers>,
}

/// Bounds of the search result cache.
pub const SEARCH_PAGES: usize = 2_000;
pub const SEARCH_BYTES: usize = 16 * 1024 * 1024;

impl Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl Deref for Shared {
    type Target = App;
    fn deref(&self) -> &App {
        &self.app
    }
}

/// The page caches take the app's orders about what to drop (search results show articles,
/// so they go whenever anything site-wide or in the index changed).
struct Pages {
    pages: Arc<PageCache>,
    search: Arc<PageCache>,
    tag_offers: Arc<crate::tag_offers::TagOffers>,
    drops: Arc<crate::article_drops::ArticleDrops>,
}

impl PageSink for Pages {
    fn drop_all(&self, generation: u64) {
        self.pages.drop_below(generation);
        self.search.drop_below(generation);
        self.tag_offers.clear();
    }
    fn drop_article(&self, id: i64) {
        self.drops.changed(&self.pages, id);
    }
    fn drop_article_now(&self, id: i64) {
        self.pages.remove_article(id);
    }
}

impl AppState {
    /// Builds the app (and its first snapshot, so the first request is served warm) around a
    /// fresh page cache.
    pub async fn new(db: Db, mut config: AppConfig) -> Result<AppState, Refusal> {
        config.asset_version = crate::handlers::assets::VERSION;
        let pages = Arc::new(PageCache::new());
        let search_pages = Arc::new(PageCache::with_limits(SEARCH_PAGES, SEARCH_BYTES));
        let tag_offers = Arc::<crate::tag_offers::TagOffers>::default();
        let sink: Arc<dyn PageSink> = Arc::new(Pages {
            pages: Arc::clone(&pages),
            search: Arc::clone(&search_pages),
            tag_offers: Arc::clone(&tag_offers),
            drops: Arc::default(),
        });
        let app = App::new(db, config, Some(sink)).await?;
        Ok(AppState(Arc::new(Shared {
            app,
            pages,
            search_pages,
            search_aliases: Default::default(),
            tag_offers,
        })))
    }
}
