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
    /// Where uploaded images are stored.
    pub media_dir: std::path::PathBuf,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            public_url: "http://127.0.0.1:8080".to_string(),
            snapshot_ttl_secs: 60,
            read_window_secs: 30 * 60,
            behind_proxy: false,
            media_dir: std::path::PathBuf::from("./data/media"),
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
    /// Uploaded images.
    pub media: crate::media::MediaStore,
    /// One-time token of the first-run admin setup link (`/setup?token=…`), while no admin exists.
    pub setup_token: Arc<std::sync::Mutex<Option<String>>>,
}

impl AppState {
    /// Builds the state and its first snapshot (so the first request is served warm).
    pub async fn new(store: Store, config: WebConfig) -> Result<AppState, haowen_db::StoreError> {
        let snapshots = Arc::new(Snapshots::load(&store, config.snapshot_ttl_secs).await?);
        Ok(AppState {
            reads: Arc::new(ReadCounter::new(config.read_window_secs)),
            shares: Arc::new(Deduper::new(SHARE_WINDOW_SECS)),
            limiter: Arc::new(crate::auth::SignInLimiter::new()),
            media: crate::media::MediaStore::new(config.media_dir.clone()),
            setup_token: Arc::new(std::sync::Mutex::new(None)),
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

    /// Writes pending read counts to the database.
    pub async fn flush_reads(&self) -> Result<(), haowen_db::StoreError> {
        let batch = self.reads.take_pending();
        if let Err(e) = self.store.add_reads(&batch).await {
            // Put them back so a transient failure loses nothing.
            self.reads.restore(&batch);
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

    /// Starts the background tasks: the change-feed poller (every second), the read-count
    /// flusher (every two seconds) and the change-feed and session pruners (hourly). They stop when the returned handle is aborted.
    pub fn spawn_background(&self) -> tokio::task::JoinHandle<()> {
        let state = self.clone();
        tokio::spawn(async move {
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
                }
                match state.snapshots.is_stale(&state.store).await {
                    Ok(true) => {
                        if let Err(e) = state.refresh().await {
                            tracing::warn!(error = %e, "could not rebuild the site snapshot");
                        }
                    }
                    Ok(false) => {}
                    Err(e) => tracing::warn!(error = %e, "could not poll the change feed"),
                }
            }
        })
    }
}
