//! `haowen bench hot`: what one hot-list rebuild costs over a large synthetic site, part by
//! part, and how long the server takes to serve the hot list from memory.
//!
//! The synthetic site: N articles by N/20 creators in the site's channels, published over the
//! last `days` days (7 by default: every article inside the ranking window, the worst case),
//! with engagement counters summed from M simulated events (90 % reads, 5 % comments, 3 %
//! shares, 2 % follows, drawn with a heavy head as on a real news site). Simulating the events
//! is setup, done in memory; the site is then bulk-loaded into a fresh database (SQLite, and
//! PostgreSQL with `--postgres URL`), and a rebuild's two steps are timed on it:
//! 1. `Store::hot_signals` — the SQL a snapshot rebuild runs first (the window plus the newest);
//! 2. `hot::rank` + `hot::rank_by_channel` on what it returned — the ranking in memory.
//!
//! The generator is seeded, so runs are comparable.

use std::time::{Duration, Instant};

use anyhow::Context;
use haowen_app::snapshot::{CHANNEL_HOT_ITEMS, HOT_ITEMS, HOT_NEWEST, HOT_WINDOW_SECS};
use haowen_core::hot::{self, Engagement, Signals};
use haowen_db::{BulkArticle, Store};

use crate::commands::synthetic::{Rng, percentile};

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn us(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1_000_000.0)
}

/// What to run.
pub struct HotBench {
    pub articles: usize,
    pub events: usize,
    pub runs: usize,
    pub days: i64,
    /// A PostgreSQL server to run the SQL part on too (a fresh database is made and dropped).
    pub postgres: Option<String>,
}

/// Articles with counters from simulated events (creator and channel are indexes here).
fn synthetic_site(b: &HotBench, now: i64, channels: usize) -> Vec<Signals> {
    let mut rng = Rng(20_261_127);
    let creators = (b.articles / 20).max(1) as u64;
    let span = (b.days.max(1) * 86_400) as u64;
    let mut signals: Vec<Signals> = (0..b.articles)
        .map(|i| Signals {
            id: i as i64 + 1,
            creator_id: (rng.next() % creators) as i64,
            channel_id: (rng.next() % channels as u64) as i64,
            // A few are scheduled for later: they must never rank.
            published_at: now - (rng.next() % span) as i64 + if i % 1000 == 0 { 86_400 } else { 0 },
            reads: 0,
            comments: 0,
            shares: 0,
            follows: 0,
        })
        .collect();
    for _ in 0..b.events {
        // u^4 puts most events on a small head of articles.
        let u = rng.unit();
        let idx = ((u * u * u * u) * b.articles as f64) as usize;
        let kind = match rng.next() % 100 {
            0..90 => Engagement::Read,
            90..95 => Engagement::Comment,
            95..98 => Engagement::Share,
            _ => Engagement::Follow,
        };
        if let Some(s) = signals.get_mut(idx.min(b.articles.saturating_sub(1))) {
            s.add(kind);
        }
    }
    signals
}

/// Loads the site into `store`; returns the load time.
async fn load(store: &Store, site: &[Signals]) -> anyhow::Result<Duration> {
    let t = Instant::now();
    let channels: Vec<i64> = store.channels().await?.iter().map(|c| c.id).collect();
    let creators = site.iter().map(|s| s.creator_id).max().unwrap_or(0) as usize + 1;
    let creator_ids = store.bulk_creators("bench-creator", creators).await?;
    for chunk in site.chunks(50_000) {
        let rows: Vec<BulkArticle> = chunk
            .iter()
            .map(|s| BulkArticle {
                creator_id: creator_ids[s.creator_id as usize],
                channel_id: channels[s.channel_id as usize % channels.len()],
                title: format!("合成文章{}", s.id),
                body: "合成正文。".into(),
                published_at: s.published_at,
                reads: s.reads,
                comments: s.comments,
                shares: s.shares,
                follows_gained: s.follows,
            })
            .collect();
        store.bulk_articles(&rows).await?;
    }
    Ok(t.elapsed())
}

/// Times the rebuild's two steps `runs` times on `store`; prints one row per step.
async fn time_rebuild(store: &Store, label: &str, runs: usize, now: i64) -> anyhow::Result<()> {
    let (mut sql, mut rank, mut total) = (Vec::new(), Vec::new(), Vec::new());
    let mut rows = 0;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let signals = store.hot_signals(now, HOT_WINDOW_SECS, HOT_NEWEST).await?;
        let fetched = t.elapsed();
        let t2 = Instant::now();
        let site = hot::rank(&signals, now, HOT_ITEMS);
        let by_channel = hot::rank_by_channel(&signals, now, CHANNEL_HOT_ITEMS);
        let ranked = t2.elapsed();
        if site.is_empty() || by_channel.is_empty() {
            anyhow::bail!("{label}: the rebuild ranked nothing");
        }
        rows = signals.len();
        sql.push(fetched);
        rank.push(ranked);
        total.push(fetched + ranked);
    }
    for v in [&mut sql, &mut rank, &mut total] {
        v.sort();
    }
    let row = |step: &str, v: &[Duration]| {
        println!(
            "| {label} | {step} | **{}** | {} | {} |",
            ms(percentile(v, 0.5)),
            ms(v[0]),
            ms(v[v.len() - 1])
        );
    };
    row(&format!("1. `hot_signals` SQL ({rows} rows)"), &sql);
    row("2. rank site + channels in memory", &rank);
    row("rebuild's hot part (1 + 2)", &total);
    Ok(())
}

pub async fn hot(b: HotBench) -> anyhow::Result<()> {
    let now = haowen_core::time::now();
    println!(
        "haowen bench hot: {} articles over {} days, {} simulated engagement events, {} rebuilds per backend",
        b.articles, b.days, b.events, b.runs
    );
    let dir = std::env::temp_dir().join(format!("haowen-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).context("creating a temporary folder")?;
    let sqlite = Store::open(&format!("sqlite:{}", dir.join("hot.db").display())).await?;
    let channels = sqlite.channels().await?.len().max(1);
    let t = Instant::now();
    let site = synthetic_site(&b, now, channels);
    println!(
        "setup: counters simulated in memory in {} (not a production path)",
        ms(t.elapsed())
    );

    let mut backends = vec![("SQLite", sqlite.clone(), None)];
    if let Some(url) = &b.postgres {
        let (store, name) = fresh_postgres(url).await?;
        backends.push(("PostgreSQL", store, Some((url.clone(), name))));
    }
    println!();
    println!("| backend | step | median | min | max |");
    println!("|---|---|---|---|---|");
    for (label, store, _) in &backends {
        let loaded = load(store, &site).await?;
        eprintln!(
            "  {label}: bulk-loaded in {:.1} s (setup)",
            loaded.as_secs_f64()
        );
        time_rebuild(store, label, b.runs, now).await?;
    }
    for (_, store, pg) in backends {
        store.close().await;
        if let Some((url, name)) = pg {
            drop_postgres(&url, &name).await?;
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    serve_timing().await?;
    Ok(())
}

/// A new database on the server at `url` (dropped by [`drop_postgres`]).
async fn fresh_postgres(url: &str) -> anyhow::Result<(Store, String)> {
    let name = format!("haowen_bench_{}", std::process::id());
    let admin = Store::connect(url).await?;
    admin.create_database(&name).await?;
    admin.close().await;
    let base = url.rsplit_once('/').map(|(b, _)| b).unwrap_or(url);
    Ok((Store::open(&format!("{base}/{name}")).await?, name))
}

async fn drop_postgres(url: &str, name: &str) -> anyhow::Result<()> {
    let admin = Store::connect(url).await?;
    admin.drop_database(name).await?;
    admin.close().await;
    Ok(())
}

/// Serves `GET /api/v1/hot` (and a channel's list) through the real router, in process, from a
/// temporary demo site, and prints p50/p99 per request.
async fn serve_timing() -> anyhow::Result<()> {
    use axum::body::Body;
    use tower::ServiceExt;

    let dir = std::env::temp_dir().join(format!("haowen-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).context("creating a temporary folder")?;
    let url = format!("sqlite:{}", dir.join("bench.db").display());
    let store = haowen_db::Store::open(&url).await?;
    crate::demo::seed_if_empty(&store).await?;
    let web = haowen_app::AppConfig {
        media_dir: dir.join("media"),
        search_dir: dir.join("search"),
        ..haowen_app::AppConfig::default()
    };
    let app = crate::commands::serve::router(haowen_app::Db::new(store.clone()), web).await?;
    println!();
    println!(
        "| serve from memory (in-process router, {} requests each) | p50 | p99 |",
        20_000
    );
    println!("|---|---|---|");
    for path in ["/api/v1/hot", "/api/v1/hot?channel=sports"] {
        let mut samples = Vec::with_capacity(20_000);
        for _ in 0..20_000 {
            let req = axum::http::Request::get(path).body(Body::empty())?;
            let t = Instant::now();
            let res = app.clone().oneshot(req).await?;
            let body = axum::body::to_bytes(res.into_body(), 1 << 20).await?;
            samples.push(t.elapsed());
            if body.is_empty() {
                anyhow::bail!("{path} answered an empty body");
            }
        }
        samples.sort();
        println!(
            "| GET {path} | {} | {} |",
            us(percentile(&samples, 0.5)),
            us(percentile(&samples, 0.99))
        );
    }
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
