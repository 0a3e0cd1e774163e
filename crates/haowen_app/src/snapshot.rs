//! The site snapshot: everything all pages share, built from the database in one go and
//! swapped atomically. A snapshot is stale when the change feed has moved past the change id
//! it was built at (a content write on any node) or when it is older than its TTL (hot list and
//! counters move without content changes).

use std::{
    sync::{
        Arc, RwLock,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use std::collections::HashMap;

use chrono_tz::Tz;
use haowen_core::{Channel, SiteSettings, channel, hot, words::WordFilter};
use haowen_db::{Store, StoreError};

use crate::page_data::{ChannelBox, Chrome, ListItem, NavItem};

/// How many items the hot list shows.
pub const HOT_ITEMS: usize = 15;
/// Items per channel box.
pub const BOX_ITEMS: i64 = 6;
/// Items in each channel's hot list.
pub const CHANNEL_HOT_ITEMS: usize = 10;
/// The hot ranking sees every article of the last week (older ones have decayed out of any
/// list: at 7 days the divisor is ~10,000) plus the newest few hundred, so a quiet site still
/// has a hot list.
pub const HOT_WINDOW_SECS: i64 = 7 * 86_400;
pub const HOT_NEWEST: i64 = 300;

/// Shared page data at one moment.
#[derive(Debug)]
pub struct SiteSnapshot {
    /// Increases with every rebuild; cached pages carry the generation they were built from.
    pub generation: u64,
    /// The change-feed id this snapshot includes.
    pub change_id: i64,
    pub built_at: Instant,
    pub settings: SiteSettings,
    pub zone: Tz,
    pub chrome: Chrome,
    pub channels: Vec<Channel>,
    pub hot: Vec<ListItem>,
    /// Each channel's hot list, by channel id.
    pub channel_hot: HashMap<i64, Vec<ListItem>>,
    /// The hot lists as JSON, ready to send (`GET /api/v1/hot`): "" for the site, else the
    /// channel's slug.
    pub hot_json: HashMap<String, bytes::Bytes>,
    /// The sensitive-word filter comments pass through.
    pub words: Arc<WordFilter>,
    /// 头条要闻, 体育要闻 … (PRODUCT.md block 10).
    pub news_boxes: Vec<ChannelBox>,
    /// 态度原创: 教育, 时尚 … (block 11).
    pub original_boxes: Vec<ChannelBox>,
    /// One box per channel that has articles, in navigation order (home page).
    pub channel_blocks: Vec<ChannelBox>,
    pub latest: Vec<ListItem>,
    /// Visible articles in all (the pages of 最新).
    pub latest_total: i64,
}

impl SiteSnapshot {
    pub fn channel_by_id(&self, id: i64) -> Option<&Channel> {
        self.channels.iter().find(|c| c.id == id)
    }
}

/// How far the snapshot is behind the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Staleness {
    Fresh,
    /// Only 跟贴 (counts, the hot ranking) changed, or the time to live ran out (scheduled
    /// articles due, relative times).
    Counts,
    /// Content changed: an article, creator, channel, pick or setting.
    Content,
}

/// Holds the current snapshot and rebuilds it.
pub struct Snapshots {
    current: RwLock<Arc<SiteSnapshot>>,
    rebuilding: tokio::sync::Mutex<()>,
    generation: AtomicU64,
    ttl: Duration,
}

impl Snapshots {
    pub async fn load(
        store: &Store,
        ttl_secs: u64,
        asset_version: &'static str,
    ) -> Result<Snapshots, StoreError> {
        let first = build(store, 1, asset_version).await?;
        Ok(Snapshots {
            current: RwLock::new(Arc::new(first)),
            rebuilding: tokio::sync::Mutex::new(()),
            generation: AtomicU64::new(1),
            ttl: Duration::from_secs(ttl_secs),
        })
    }

    /// The current snapshot (never blocks on a rebuild).
    pub fn current(&self) -> Arc<SiteSnapshot> {
        match self.current.read() {
            Ok(g) => Arc::clone(&g),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// The current generation, for stamping cached pages.
    pub fn generation(&self) -> u64 {
        self.current().generation
    }

    /// Whether the snapshot is behind the database, and by what.
    pub async fn staleness(&self, store: &Store) -> Result<Staleness, StoreError> {
        let cur = self.current();
        if store.latest_change_id().await? > cur.change_id {
            if store.content_changed_after(cur.change_id).await? {
                return Ok(Staleness::Content);
            }
            return Ok(Staleness::Counts);
        }
        if cur.built_at.elapsed() >= self.ttl {
            return Ok(Staleness::Counts);
        }
        Ok(Staleness::Fresh)
    }

    /// Builds a new snapshot and swaps it in. Concurrent calls run one at a time.
    pub async fn rebuild(&self, store: &Store) -> Result<(), StoreError> {
        let _one_at_a_time = self.rebuilding.lock().await;
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        let version = self.current().chrome.asset_version;
        let next = Arc::new(build(store, generation, version).await?);
        match self.current.write() {
            Ok(mut g) => *g = next,
            Err(poisoned) => *poisoned.into_inner() = next,
        }
        Ok(())
    }
}

async fn build(
    store: &Store,
    generation: u64,
    asset_version: &'static str,
) -> Result<SiteSnapshot, StoreError> {
    // Read the feed position first: a change landing during the build moves the feed past it,
    // so the next poll rebuilds again instead of missing the change.
    let change_id = store.latest_change_id().await?;
    let now = haowen_core::time::now();
    let settings = store.settings().await?;
    let zone = settings.zone();
    let channels = store.channels().await?;

    // The hot ranking: site-wide and per channel, from the counters, with the injected clock.
    let signals = store.hot_signals(now, HOT_WINDOW_SECS, HOT_NEWEST).await?;
    let site_ids = hot::rank(&signals, now, HOT_ITEMS);
    let channel_ids = hot::rank_by_channel(&signals, now, CHANNEL_HOT_ITEMS);
    let mut wanted: Vec<i64> = site_ids.clone();
    wanted.extend(channel_ids.values().flatten().copied());
    wanted.sort_unstable();
    wanted.dedup();
    let found: HashMap<i64, ListItem> = ListItem::many(&store.summaries(&wanted, now).await?, zone)
        .into_iter()
        .map(|item| (item.id, item))
        .collect();
    let pick = |ids: &[i64]| -> Vec<ListItem> {
        ids.iter().filter_map(|id| found.get(id).cloned()).collect()
    };
    let hot = pick(&site_ids);
    let channel_hot: HashMap<i64, Vec<ListItem>> = channel_ids
        .iter()
        .map(|(ch, ids)| (*ch, pick(ids)))
        .collect();
    let words = Arc::new(WordFilter::new(store.sensitive_words().await?));
    let mut hot_json = HashMap::new();
    hot_json.insert(String::new(), hot_list_json(&hot, None));
    for ch in &channels {
        let items = channel_hot
            .get(&ch.id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        hot_json.insert(ch.slug.clone(), hot_list_json(items, Some(&ch.slug)));
    }
    let newest = store
        .latest(now, 0, crate::page_data::Pager::PER_PAGE)
        .await?;
    let (latest, latest_total) = (ListItem::many(&newest.items, zone), newest.total);

    let mut channel_blocks = Vec::new();
    for ch in channels.iter().filter(|c| !c.hidden) {
        let items = store
            .channel_articles(ch.id, now, 0, BOX_ITEMS)
            .await?
            .items;
        if !items.is_empty() {
            channel_blocks.push(ChannelBox {
                title: ch.name.clone(),
                slug: ch.slug.clone(),
                items: ListItem::many(&items, zone),
            });
        }
    }
    // Boxes: editors' picks first, then the channel's hottest, then its newest (no article twice).
    let mut news_boxes = Vec::new();
    for (i, name) in channel::NEWS_BOXES.iter().enumerate() {
        let Some(ch) = channels.iter().find(|c| c.name == *name && !c.hidden) else {
            continue;
        };
        let newest = channel_blocks
            .iter()
            .find(|b| b.slug == ch.slug)
            .map(|b| b.items.clone())
            .unwrap_or_default();
        // Only the 头条 box takes editors' headline picks.
        let picked = if i == 0 {
            ListItem::many(&store.picks("headline", now, BOX_ITEMS).await?, zone)
        } else {
            Vec::new()
        };
        let hottest = channel_hot.get(&ch.id).cloned().unwrap_or_default();
        news_boxes.push(ChannelBox {
            title: format!("{name}要闻"),
            slug: ch.slug.clone(),
            items: merge(merge(picked, hottest), newest),
        });
    }
    // 头条 is curated; a site without picks or a 头条 channel (an imported archive, say) shows
    // its hottest stories there rather than an empty box.
    if let Some(headlines) = news_boxes.first_mut().filter(|b| b.items.is_empty()) {
        headlines.items = hot.iter().take(BOX_ITEMS as usize).cloned().collect();
    }
    // An empty box is noise ("汽车要闻 暂无文章"): boxes of empty channels are left out.
    news_boxes.retain(|b| !b.items.is_empty());
    let mut original_boxes = Vec::new();
    for name in channel::ORIGINAL_BOXES {
        let Some(ch) = channels.iter().find(|c| c.name == *name && !c.hidden) else {
            continue;
        };
        let newest = channel_blocks
            .iter()
            .find(|b| b.slug == ch.slug)
            .map(|b| b.items.clone())
            .unwrap_or_default();
        let picked = ListItem::many(
            &store
                .picks(&format!("original:{name}"), now, BOX_ITEMS)
                .await?,
            zone,
        );
        let items = merge(picked, newest);
        if !items.is_empty() {
            original_boxes.push(ChannelBox {
                title: (*name).to_string(),
                slug: ch.slug.clone(),
                items,
            });
        }
    }
    let chrome = Chrome {
        site_name: settings.site_name.clone(),
        site_description: settings.site_description.clone(),
        // Channels with nothing to read leave the navigation (their URLs still answer).
        nav: channels
            .iter()
            .filter(|c| !c.hidden && channel_blocks.iter().any(|b| b.slug == c.slug))
            .map(|c| NavItem {
                slug: c.slug.clone(),
                name: c.name.clone(),
            })
            .collect(),
        registration_info: settings.registration_info.clone(),
        contact_email: settings.contact_email.clone(),
        asset_version,
    };
    Ok(SiteSnapshot {
        generation,
        change_id,
        built_at: Instant::now(),
        settings,
        zone,
        chrome,
        channels,
        hot,
        channel_hot,
        hot_json,
        words,
        news_boxes,
        original_boxes,
        channel_blocks,
        latest,
        latest_total,
    })
}

/// A hot list as the API sends it.
fn hot_list_json(items: &[ListItem], channel: Option<&str>) -> bytes::Bytes {
    let list: Vec<serde_json::Value> = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            serde_json::json!({
                "rank": i + 1,
                "id": item.id,
                "url": format!("/a/{}", item.id),
                "title": item.title,
                "creator": item.creator_name,
                "published_at": item.iso,
                "comments": item.comments,
            })
        })
        .collect();
    let body = serde_json::json!({ "channel": channel, "items": list });
    bytes::Bytes::from(body.to_string())
}

/// Picks first, then the rest, without repeats, at most [`BOX_ITEMS`].
fn merge(picked: Vec<ListItem>, rest: Vec<ListItem>) -> Vec<ListItem> {
    let mut out = picked;
    for item in rest {
        if !out.iter().any(|o| o.id == item.id) {
            out.push(item);
        }
    }
    out.truncate(BOX_ITEMS as usize);
    out
}
