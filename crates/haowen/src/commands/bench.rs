//! `haowen bench hot`: how long one hot-list recompute takes over a large synthetic site, and
//! how long the server takes to serve the hot list from memory.
//!
//! The synthetic site: N articles by N/20 creators in 18 channels, published over the last
//! week, and M engagement events (90 % reads, 5 % comments, 3 % shares, 2 % follows) drawn
//! with a heavy head (a few articles get most of the attention, as on a real news site). The
//! generator is seeded, so runs are comparable.

use std::time::{Duration, Instant};

use anyhow::Context;
use haowen_core::hot::{self, Engagement, Signals};

use crate::commands::synthetic::{Rng, percentile};

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn us(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1_000_000.0)
}

pub async fn hot(articles: usize, events: usize, runs: usize) -> anyhow::Result<()> {
    let now = haowen_core::time::now();
    let mut rng = Rng(20_261_127);
    println!(
        "haowen bench hot: {articles} articles, {events} engagement events, {runs} recomputes"
    );

    let t = Instant::now();
    let creators = (articles / 20).max(1) as u64;
    let mut signals: Vec<Signals> = (0..articles)
        .map(|i| Signals {
            id: i as i64 + 1,
            creator_id: (rng.next() % creators) as i64 + 1,
            channel_id: (rng.next() % 18) as i64 + 1,
            // A few are scheduled for later: they must never rank.
            published_at: now - (rng.next() % (7 * 86_400)) as i64
                + if i % 1000 == 0 { 86_400 } else { 0 },
            reads: 0,
            comments: 0,
            shares: 0,
            follows: 0,
        })
        .collect();
    let built = t.elapsed();

    let t = Instant::now();
    for _ in 0..events {
        // u^4 puts most events on a small head of articles.
        let u = rng.unit();
        let idx = ((u * u * u * u) * articles as f64) as usize;
        let kind = match rng.next() % 100 {
            0..90 => Engagement::Read,
            90..95 => Engagement::Comment,
            95..98 => Engagement::Share,
            _ => Engagement::Follow,
        };
        if let Some(s) = signals.get_mut(idx.min(articles.saturating_sub(1))) {
            s.add(kind);
        }
    }
    let applied = t.elapsed();

    let mut times = Vec::with_capacity(runs);
    let mut site = Vec::new();
    let mut channels = 0;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        site = hot::rank(&signals, now, 15);
        let by_channel = hot::rank_by_channel(&signals, now, 10);
        times.push(t.elapsed());
        channels = by_channel.len();
    }
    times.sort();
    // The rule holds on the big run too.
    let top10: Vec<i64> = site.iter().take(10).copied().collect();
    let max_per_creator = top10
        .iter()
        .map(|id| {
            let c = signals[*id as usize - 1].creator_id;
            top10
                .iter()
                .filter(|o| signals[**o as usize - 1].creator_id == c)
                .count()
        })
        .max()
        .unwrap_or(0);
    let future_ranked = site
        .iter()
        .any(|id| signals[*id as usize - 1].published_at > now);

    println!();
    println!("| step | time |");
    println!("|---|---|");
    println!("| build {articles} articles' counters | {} |", ms(built));
    println!(
        "| apply {events} events | {} ({:.1} M events/s) |",
        ms(applied),
        events as f64 / applied.as_secs_f64().max(1e-9) / 1e6
    );
    println!(
        "| one recompute (site top 15 + {channels} channels' top 10), median of {} | **{}** (min {}, max {}) |",
        times.len(),
        ms(percentile(&times, 0.5)),
        ms(times[0]),
        ms(times[times.len() - 1])
    );
    println!(
        "| checks | top 10 holds at most {max_per_creator} per creator; future-dated ranked: {future_ranked} |"
    );

    serve_timing().await?;
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
    let web = haowen_web::WebConfig {
        media_dir: dir.join("media"),
        search_dir: dir.join("search"),
        ..haowen_web::WebConfig::default()
    };
    let state = haowen_web::AppState::new(store.clone(), web).await?;
    let app = haowen_web::app(state);
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
