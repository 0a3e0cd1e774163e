//! [`App`]: everything a request or a command needs — the database handle, the site snapshot,
//! discovery, counters and limits — and the one place that applies what follows a write.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use crate::{
    Db, Refusal,
    discovery::{Discovery, DiscoveryError},
    limits::{SignInLimiter, Throttles},
    media::MediaStore,
    reads::{Deduper, ReadCounter},
    snapshot::{Snapshots, Staleness},
};

/// A visitor's shares of one article count once per this window (a day).
pub const SHARE_WINDOW_SECS: i64 = 86_400;
/// Longest time a health answer is reused.
pub const PROBE_EVERY: Duration = Duration::from_secs(2);

/// Settings fixed at start-up (site settings that change at run time live in the database).
#[derive(Debug, Clone)]
pub struct AppConfig {
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
    /// The version stamped on asset URLs in the page chrome (the web crate's asset hash).
    pub asset_version: &'static str,
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            public_url: "http://127.0.0.1:8080".to_string(),
            snapshot_ttl_secs: 60,
            read_window_secs: 30 * 60,
            behind_proxy: false,
            proxy_hops: 1,
            media_dir: std::path::PathBuf::from("./data/media"),
            search_dir: std::path::PathBuf::from("./data/search"),
            asset_version: "",
        }
    }
}

/// Where rendered pages are kept (the web crate's page cache): the app tells it what to drop.
pub trait PageSink: Send + Sync {
    /// Drops every cached page; pages rendered from a snapshot older than `generation` are
    /// never served again. (Without this call, a page of an older snapshot is served only while
    /// its next reader renders it anew.)
    fn drop_all(&self, generation: u64);
    /// Drops one article's pages (its page and its comment pages, in every display mode), at
    /// once or, for a hot story, within `article_drops`' interval.
    fn drop_article(&self, id: i64);
    /// Drops one article's pages at once, hot or not.
    fn drop_article_now(&self, id: i64);
}

/// No page cache (commands other than `serve`).
struct NoPages;

impl PageSink for NoPages {
    fn drop_all(&self, _generation: u64) {}
    fn drop_article(&self, _id: i64) {}
    fn drop_article_now(&self, _id: i64) {}
}

/// What a committed write changed, for [`App::after`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Something pages across the site show (an article published, edited or taken down;
    /// settings, channels, picks, words, accounts): a new snapshot now, every page dropped.
    Site,
    /// One article's own pages (a 跟贴 posted, deleted or pinned; a like; a share): dropped at
    /// once (a hot story's: marked stale, see `article_drops`). Comment counts in lists and the
    /// hot ranking follow with the change poller's next snapshot (within a second): a spike of
    /// comments costs one rebuild a second.
    Article(i64),
    /// A 跟贴 removed (by its author or an editor) from this article: its pages go at once, hot
    /// or not — what was removed is never served again.
    CommentRemoved(i64),
}

/// A write probe: when, and what it found (None = ok).
type Probe = (Instant, Option<String>);

/// Everything a request or a command needs. Cheap to clone.
#[derive(Clone)]
pub struct App {
    pub db: Db,
    pub config: Arc<AppConfig>,
    pub snapshots: Arc<Snapshots>,
    pub reads: Arc<ReadCounter>,
    /// Shares count once per visitor, article and day ([`SHARE_WINDOW_SECS`]).
    pub shares: Arc<Deduper>,
    /// Failed sign-ins per address and account.
    pub limiter: Arc<SignInLimiter>,
    /// Sign-ups, new sessions and uploads per address (and account).
    pub throttles: Arc<Throttles>,
    /// Uploaded images.
    pub media: MediaStore,
    /// The search index and related lists.
    pub discovery: Arc<Discovery>,
    /// One-time token of the first-run admin setup link (`/setup?token=…`), while no admin exists.
    pub setup_token: Arc<Mutex<Option<String>>>,
    /// The last write probe.
    health: Arc<Mutex<Option<Probe>>>,
    pub(crate) pages: Arc<dyn PageSink>,
    /// Wakes the search indexer at once after a local write (it also runs every 250 ms).
    pub(crate) wake: Arc<tokio::sync::Notify>,
}

impl App {
    /// Builds the app and its first snapshot (so the first request is served warm).
    pub async fn new(
        db: Db,
        config: AppConfig,
        pages: Option<Arc<dyn PageSink>>,
    ) -> Result<App, Refusal> {
        let snapshots = Arc::new(
            Snapshots::load(&db.store, config.snapshot_ttl_secs, config.asset_version).await?,
        );
        let discovery = Discovery::open(&config.search_dir).map_err(|e| {
            Refusal::Internal(format!(
                "cannot open the search index in {}: {e}",
                config.search_dir.display()
            ))
        })?;
        Ok(App {
            discovery: Arc::new(discovery),
            reads: Arc::new(ReadCounter::new(config.read_window_secs)),
            shares: Arc::new(Deduper::new(SHARE_WINDOW_SECS)),
            limiter: Arc::new(SignInLimiter::new()),
            throttles: Arc::default(),
            media: MediaStore::new(config.media_dir.clone()),
            setup_token: Arc::new(Mutex::new(None)),
            health: Arc::default(),
            pages: pages.unwrap_or_else(|| Arc::new(NoPages)),
            wake: Arc::default(),
            db,
            config: Arc::new(config),
            snapshots,
        })
    }

    /// Applies what follows a committed write — the one place that does. Never fails: the
    /// write is committed, so a rebuild that cannot be made now is logged and left to the
    /// change poller, which it wakes.
    pub async fn after(&self, change: Change) {
        match change {
            Change::Site => {
                if let Err(e) = self.refresh().await {
                    // The pages go anyway: rendered again from the old snapshot, an article's
                    // own page still reads the article (a takedown shows) until the poller's
                    // rebuild succeeds.
                    self.pages.drop_all(self.snapshots.generation());
                    tracing::warn!(error = %e, "could not rebuild pages after a write; the change poller will");
                }
            }
            Change::Article(id) => self.pages.drop_article(id),
            Change::CommentRemoved(id) => self.pages.drop_article_now(id),
        }
        // Only content reaches the search index: a 跟贴, a like or a share leaves the indexer
        // to its tick (waking it per comment ran a catch-up — four queries — per post).
        if change == Change::Site {
            self.wake.notify_waiters();
        }
    }

    /// Rebuilds the snapshot now and drops every cached page.
    pub async fn refresh(&self) -> Result<(), Refusal> {
        self.snapshots.rebuild(&self.db.store).await?;
        self.pages.drop_all(self.snapshots.generation());
        Ok(())
    }

    /// What the background loop does every second: when the change feed has moved past the
    /// snapshot or the snapshot is older than its time to live, builds a new one. After content
    /// (an article, a creator, settings — written by another process, say) every cached page
    /// goes; when only 跟贴 moved counts and the hot ranking, or time passed, the cached pages
    /// stay, each rendered anew by its next reader while the others are served it
    /// (`PageSink::drop_all`'s floor). Returns whether it rebuilt.
    pub async fn poll_changes(&self) -> Result<bool, Refusal> {
        match self.snapshots.staleness(&self.db.store).await? {
            Staleness::Fresh => Ok(false),
            Staleness::Content => self.refresh().await.map(|()| true),
            Staleness::Counts => {
                let before = self.snapshots.current().change_id;
                self.snapshots.rebuild(&self.db.store).await?;
                // Content may have landed between the look and the build, and be in the new
                // snapshot: then every page goes after all.
                if self.db.store.content_changed_after(before).await? {
                    self.pages.drop_all(self.snapshots.generation());
                }
                Ok(true)
            }
        }
    }

    /// Brings the search index up to the change feed now (the background task does this every
    /// 250 ms); cached pages go when anything changed, since related lists may have moved.
    pub async fn index_now(&self) -> Result<usize, DiscoveryError> {
        let changed = self.discovery.catch_up(&self.db.store).await?;
        if changed > 0 {
            self.pages.drop_all(self.snapshots.generation());
        }
        Ok(changed)
    }

    /// Writes pending read counts to the database.
    pub async fn flush_reads(&self) -> Result<(), Refusal> {
        let batch = self.reads.take_pending();
        if let Err(e) = self.db.store.add_reads(&batch).await {
            // Put them back so a transient failure loses nothing.
            self.reads.restore(&batch);
            return Err(e.into());
        }
        let events = self.reads.take_events();
        if let Err(e) = self.db.store.add_read_events(&events).await {
            self.reads.restore_events(events);
            return Err(e.into());
        }
        Ok(())
    }

    /// Opens the first-run setup: when the site has no admin, returns the one-time path
    /// (`/setup?token=…`) that creates one. `serve` prints it.
    pub async fn open_setup_if_no_admin(&self) -> Result<Option<String>, Refusal> {
        if self.db.store.admin_count().await? > 0 {
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

    /// Whether the database takes a write now: `None` when it does, else why not. The write
    /// (a one-row upsert) is made at most every [`PROBE_EVERY`]; calls in between get the last
    /// answer, so polling (or hammering) `/healthz` costs no more than that.
    pub async fn health(&self) -> Option<String> {
        let cached = self
            .health
            .lock()
            .ok()
            .and_then(|g| g.clone())
            .filter(|(at, _)| at.elapsed() < PROBE_EVERY);
        if let Some((_, problem)) = cached {
            return problem;
        }
        let problem = self
            .db
            .store
            .probe_write()
            .await
            .err()
            .map(|e| e.to_string());
        if let Some(p) = &problem {
            tracing::warn!(problem = %p, "health: a write cannot be made");
        }
        if let Ok(mut g) = self.health.lock() {
            *g = Some((Instant::now(), problem.clone()));
        }
        problem
    }
}
