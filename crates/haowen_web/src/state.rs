//! Shared application state handed to every handler.

use std::sync::Arc;

use haowen_db::Store;

use crate::{
    page_cache::PageCache,
    reads::{Deduper, ReadCounter},
    snapshot::Snapshots,
};

/// A visitor's shares of one article count once per this window (a day).
pub const SHARE_WINDOW_SECS: i64 = 86_400;

/// Web settings fixed at start-up (site settings that change at run time live in the DB).
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Absolute base URL used in share links, QR codes and metadata, without a trailing slash
    /// (for example `https://news.example.com`). Pages never echo the request's Host header, so
    /// cached pages cannot be poisoned through it.
    pub public_url: String,
    /// Seconds after which shared data (hot list, counters) is rebuilt even without changes.
    pub snapshot_ttl_secs: u64,
    /// Window in which one visitor's repeated reads of an article count once.
    pub read_window_secs: i64,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted reverse proxy).
    pub behind_proxy: bool,
    /// With `behind_proxy`: the proxies in front, each appending to `X-Forwarded-For`.
    pub proxy_hops: usize,
    /// Where uploaded images are stored.
    pub media_dir: std::path::PathBuf,
    /// Where this node's search index lives.
    pub search_dir: std::path::PathBuf,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            public_url: "http://127.0.0.1:8080".to_string(),
            snapshot_ttl_secs: 60,
            read_window_secs: 30 * 60,
            behind_proxy: false,
            proxy_hops: 1,
            media_dir: std::path::PathBuf::from("./data/media"),
            search_dir: std::path::PathBuf::from("./data/search"),
        }
    }
}

/// Everything a handler needs. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<WebConfig>,
    pub snapshots: Arc<Snapshots>,
    pub pages: Arc<PageCache>,
    pub reads: Arc<ReadCounter>,
    /// Shares count once per visitor, article and day ([`SHARE_WINDOW_SECS`]).
    pub shares: Arc<Deduper>,
    /// Failed sign-ins per address and account.
    pub limiter: Arc<crate::auth::SignInLimiter>,
    /// Sign-ups, new sessions and uploads per address (and account).
    pub throttles: Arc<crate::limits::Throttles>,
    /// Uploaded images.
    pub media: crate::media::MediaStore,
    /// The search index and related lists.
    pub discovery: Arc<crate::discovery::Discovery>,
    /// One-time token of the first-run admin setup link (`/setup?token=…`), while no admin exists.
    pub setup_token: Arc<std::sync::Mutex<Option<String>>>,
    /// The last write probe of `/healthz`.
    pub health: Arc<crate::handlers::health::HealthCache>,
}

impl AppState {
    /// Builds the state and its first snapshot (so the first request is served warm).
    pub async fn new(store: Store, config: WebConfig) -> Result<AppState, haowen_db::StoreError> {
        let snapshots = Arc::new(Snapshots::load(&store, config.snapshot_ttl_secs).await?);
        let discovery = crate::discovery::Discovery::open(&config.search_dir).map_err(|e| {
            haowen_db::StoreError::Corrupt(format!(
                "cannot open the search index in {}: {e}",
                config.search_dir.display()
            ))
        })?;
        Ok(AppState {
            discovery: Arc::new(discovery),
            reads: Arc::new(ReadCounter::new(config.read_window_secs)),
            shares: Arc::new(Deduper::new(SHARE_WINDOW_SECS)),
            limiter: Arc::new(crate::auth::SignInLimiter::new()),
            throttles: Arc::default(),
            media: crate::media::MediaStore::new(config.media_dir.clone()),
            setup_token: Arc::new(std::sync::Mutex::new(None)),
            health: Arc::default(),
            store,
            config: Arc::new(config),
            snapshots,
            pages: Arc::new(PageCache::new()),
        })
    }

    /// Rebuilds the snapshot now and drops every cached page. Called after a local write and
    /// by tests; the background refresher calls it when the change feed moves.
    pub async fn refresh(&self) -> Result<(), haowen_db::StoreError> {
        self.snapshots.rebuild(&self.store).await?;
        self.pages.clear();
        Ok(())
    }

    /// After a committed 跟贴 write (a post, a deletion, a pin): the article's own pages are
    /// dropped at once, in every display mode, so the writer sees it after the redirect. What
    /// else the comment moves — comment counts in lists, the hot ranking — follows with the next
    /// snapshot, which the change poller builds within a second of the change row. A spike of
    /// hundreds of comments therefore costs one rebuild a second, not one per comment, and
    /// readers keep hitting the page cache for every other page meanwhile.
    pub fn after_comment(&self, article_id: i64) {
        self.pages.remove_article(article_id);
    }

    /// What the background loop does every second: when the change feed has moved past the
    /// snapshot (a 跟贴, a write by another process) or the snapshot is older than its time to
    /// live, builds a new one and drops the cached pages. Returns whether it rebuilt.
    pub async fn poll_changes(&self) -> Result<bool, haowen_db::StoreError> {
        if !self.snapshots.is_stale(&self.store).await? {
            return Ok(false);
        }
        self.refresh().await?;
        Ok(true)
    }

    /// Brings the search index up to the change feed now (the background task does this every
    /// 250 ms); cached pages go when anything changed, since related lists may have moved.
    pub async fn index_now(&self) -> Result<usize, crate::discovery::DiscoveryError> {
        let changed = self.discovery.catch_up(&self.store).await?;
        if changed > 0 {
            self.pages.clear();
        }
        Ok(changed)
    }

    /// Writes pending read counts to the database.
    pub async fn flush_reads(&self) -> Result<(), haowen_db::StoreError> {
        let batch = self.reads.take_pending();
        if let Err(e) = self.store.add_reads(&batch).await {
            // Put them back so a transient failure loses nothing.
            self.reads.restore(&batch);
            return Err(e);
        }
        let events = self.reads.take_events();
        if let Err(e) = self.store.add_read_events(&events).await {
            self.reads.restore_events(events);
            return Err(e);
        }
        Ok(())
    }

    /// Opens the first-run setup: when the site has no admin, returns the one-time path
    /// (`/setup?token=…`) that creates one. `serve` prints it.
    pub async fn open_setup_if_no_admin(&self) -> Result<Option<String>, haowen_db::StoreError> {
        if self.store.admin_count().await? > 0 {
            return Ok(None);
        }
        let Ok(token) = haowen_core::account::new_token() else {
            return Ok(None);
        };
        if let Ok(mut t) = self.setup_token.lock() {
            *t = Some(token.clone());
        }
        Ok(Some(format!("/setup?token={token}")))
    }

    /// Starts the background tasks: the search indexer (every 250 ms), the change-feed poller
    /// (every second), the read-count flusher (every two seconds) and the change-feed, session
    /// and read-event pruners (hourly). They stop when the returned handle is aborted.
    pub fn spawn_background(&self) -> tokio::task::JoinHandle<()> {
        // The search indexer: every 250 ms, so a commit is searchable within a second.
        let indexer = self.clone();
        let index_loop = async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_millis(250));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = indexer.index_now().await {
                    tracing::warn!(error = %e, "search index: could not apply changes; will retry");
                }
            }
        };
        let state = self.clone();
        let main_loop = async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut n: u64 = 0;
            let mut due_checked = haowen_core::time::now();
            loop {
                tick.tick().await;
                n += 1;
                // Scheduled articles become visible when their time comes, also after a restart:
                // they are published rows with a future time, and this notices them falling due.
                let now = haowen_core::time::now();
                match state.store.scheduled_due(due_checked, now).await {
                    Ok(due) => {
                        due_checked = now;
                        if due > 0
                            && let Err(e) = state.refresh().await
                        {
                            tracing::warn!(error = %e, "could not rebuild pages for scheduled articles");
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "could not check scheduled articles"),
                }
                if n.is_multiple_of(2)
                    && let Err(e) = state.flush_reads().await
                {
                    tracing::warn!(error = %e, "could not write read counts; will retry");
                }
                if n.is_multiple_of(3600) {
                    if let Err(e) = state.store.prune_changes(100_000).await {
                        tracing::warn!(error = %e, "could not prune the change feed");
                    }
                    if let Err(e) = state.store.prune_sessions(haowen_core::time::now()).await {
                        tracing::warn!(error = %e, "could not prune expired sessions");
                    }
                    let month_ago = haowen_core::time::now() - 30 * 86_400;
                    if let Err(e) = state.store.prune_read_events(month_ago).await {
                        tracing::warn!(error = %e, "could not prune read events");
                    }
                }
                if let Err(e) = state.poll_changes().await {
                    tracing::warn!(error = %e, "could not poll the change feed or rebuild the site snapshot");
                }
            }
        };
        tokio::spawn(async move {
            tokio::join!(index_loop, main_loop);
        })
    }
}
