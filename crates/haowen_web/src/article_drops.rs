//! When an article's cached pages are dropped after a change only they show (a 跟贴, a share).
//!
//! At once, normally: the next reader sees the change. But a hot story taking hundreds of 跟贴
//! a second would then be rendered hundreds of times a second, and every reader would queue
//! behind a render (`haowen bench comments`: reads fell to 0.03× while 64 people commented).
//! So an article changed more than [`HOT_CHANGES`] times within a second is *hot*: its pages
//! are marked stale at most every [`HOT_INTERVAL`] — the next mark is scheduled, never skipped —
//! and the next reader renders them anew while the others are still served the old ones
//! (`PageCache::get_or_render`), so nobody queues behind a render. For that interval and that
//! render, readers other than the writer may get a page that does not show the newest 跟贴 yet.
//! The writer always sees their own (their page is rendered for them).

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use crate::page_cache::PageCache;

/// Changes within a second above which an article is hot.
pub const HOT_CHANGES: u32 = 20;
/// How often a hot article's pages are dropped.
pub const HOT_INTERVAL: Duration = Duration::from_millis(100);
/// Articles tracked at most (the quietest are forgotten past this).
const MAX_TRACKED: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Changes {
    /// Start of the current one-second window and the changes in it.
    window: Instant,
    count: u32,
    /// When the pages were last dropped.
    dropped: Instant,
    /// A drop is scheduled.
    pending: bool,
}

/// Per-article change rates and scheduled drops.
#[derive(Default)]
pub struct ArticleDrops {
    articles: Mutex<HashMap<i64, Changes>>,
}

/// What to do about one change.
#[derive(Debug, PartialEq, Eq)]
enum Action {
    DropNow,
    /// Drop after this long (a drop was scheduled by this change).
    DropIn(Duration),
    /// A scheduled drop will cover this change.
    Covered,
}

impl ArticleDrops {
    /// Drops article `id`'s pages now, or schedules the drop when the article is hot.
    pub fn changed(self: &Arc<Self>, pages: &Arc<PageCache>, id: i64) {
        match self.decide(id, Instant::now()) {
            Action::DropNow => pages.remove_article(id),
            Action::Covered => {}
            Action::DropIn(wait) => {
                let (drops, later) = (Arc::clone(self), Arc::clone(pages));
                let run = async move {
                    tokio::time::sleep(wait).await;
                    drops.scheduled_drop_done(id, Instant::now());
                    later.mark_article_stale(id);
                };
                match tokio::runtime::Handle::try_current() {
                    Ok(handle) => {
                        handle.spawn(run);
                    }
                    Err(_) => pages.remove_article(id),
                }
            }
        }
    }

    fn decide(&self, id: i64, now: Instant) -> Action {
        let mut articles = self.articles.lock().unwrap_or_else(|e| e.into_inner());
        if articles.len() >= MAX_TRACKED && !articles.contains_key(&id) {
            articles
                .retain(|_, c| c.pending || now.duration_since(c.window) < Duration::from_secs(1));
        }
        let c = articles.entry(id).or_insert(Changes {
            window: now,
            count: 0,
            dropped: now - HOT_INTERVAL,
            pending: false,
        });
        if now.duration_since(c.window) >= Duration::from_secs(1) {
            c.window = now;
            c.count = 0;
        }
        c.count += 1;
        if c.pending {
            return Action::Covered;
        }
        let since = now.duration_since(c.dropped);
        if c.count <= HOT_CHANGES || since >= HOT_INTERVAL {
            c.dropped = now;
            return Action::DropNow;
        }
        c.pending = true;
        Action::DropIn(HOT_INTERVAL - since)
    }

    fn scheduled_drop_done(&self, id: i64, now: Instant) {
        let mut articles = self.articles.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = articles.get_mut(&id) {
            c.pending = false;
            c.dropped = now;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page_cache::CachedPage;

    #[tokio::test]
    async fn a_hot_articles_pages_are_marked_stale_after_the_interval_not_dropped() {
        let drops = Arc::new(ArticleDrops::default());
        let pages = Arc::new(PageCache::new());
        let page = |html: &str| Arc::new(CachedPage::new(1, html.into()));
        for _ in 0..HOT_CHANGES {
            drops.changed(&pages, 7);
        }
        assert!(
            pages.get("/a/7", 1).is_none(),
            "a quiet article's page goes at once"
        );
        pages.insert("/a/7".into(), page("第21条之前"));
        pages.insert("/a/8".into(), page("别篇"));
        drops.changed(&pages, 7);
        drops.changed(&pages, 7);
        let kept = pages
            .get("/a/7", 1)
            .expect("a hot article's page is kept meanwhile");
        assert!(!kept.is_stale());
        tokio::time::sleep(HOT_INTERVAL * 3).await;
        assert!(
            pages.get("/a/7", 1).expect("still served").is_stale(),
            "marked for the next reader to render anew"
        );
        assert!(!pages.get("/a/8", 1).expect("other article").is_stale());
    }

    #[test]
    fn a_quiet_article_drops_at_once_and_a_hot_one_at_most_every_interval() {
        let drops = ArticleDrops::default();
        let t0 = Instant::now();
        for i in 0..HOT_CHANGES {
            let at = t0 + Duration::from_millis(u64::from(i));
            assert_eq!(drops.decide(7, at), Action::DropNow, "change {i}");
        }
        let hot = t0 + Duration::from_millis(30);
        assert!(matches!(drops.decide(7, hot), Action::DropIn(_)));
        assert_eq!(
            drops.decide(7, hot),
            Action::Covered,
            "one scheduled drop covers it"
        );
        assert_eq!(
            drops.decide(8, hot),
            Action::DropNow,
            "other articles are not held"
        );
        drops.scheduled_drop_done(7, t0 + Duration::from_millis(130));
        assert!(matches!(
            drops.decide(7, t0 + Duration::from_millis(140)),
            Action::DropIn(w) if w <= HOT_INTERVAL
        ));
        // A second later the article is quiet again.
        drops.scheduled_drop_done(7, t0 + Duration::from_millis(240));
        assert_eq!(
            drops.decide(7, t0 + Duration::from_millis(1300)),
            Action::DropNow
        );
    }
}
