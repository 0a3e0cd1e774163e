//! `haowen bench discovery --articles N`: indexing throughput, search and related-list latency,
//! index size and peak memory over N synthetic articles made by recombining sentences of real
//! news bodies (../shared/data/zh_news by default; the data is read, never copied).
//!
//! Each figure times the production path it names: the site lives in a SQLite database; the
//! index is built from it by the database-fed rebuild and kept up by the change-feed indexer;
//! searches go through the service the search page calls (index, SQL, highlighting) with
//! fresh queries, each used once (the fixed, repeated set is reported apart as the warm case);
//! related lists through the article page's path (its SQL included), each computed cold.
//! Some articles are scheduled ahead, so searches take the time-filtered path.

use std::{
    collections::HashMap,
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use anyhow::{Context as _, bail};
use flate2::read::MultiGzDecoder;
use haowen_app::discovery::{Discovery, Find, PER_PAGE};
use haowen_core::{ArticleStatus, Declaration, NewArticle};
use haowen_db::{BulkArticle, Store};

use crate::commands::synthetic::{Rng, percentile};

/// The fixed query set: words, words inside longer words, two-word queries, phrases, one
/// character, traditional characters.
const QUERIES: &[&str] = &[
    "市场",
    "比赛",
    "电影",
    "房价",
    "学生",
    "手机",
    "游戏",
    "基金",
    "球队",
    "银行",
    "发展",
    "公司",
    "投资",
    "明星",
    "考试",
    "设计",
    "家具",
    "时尚",
    "政府",
    "科技",
    "足球 冠军",
    "股市 上涨",
    "电影 票房",
    "房地产 调控",
    "高考 分数",
    "手机 发布",
    "游戏 玩家",
    "\"中国银行\"",
    "\"新浪体育讯\"",
    "\"房地产市场\"",
    "农业",
    "工程",
    "处理",
    "简单",
    "工具",
    "球",
    "房",
    "電影",
    "銀行",
    "經濟",
];

/// Sentences and titles per channel.
pub(crate) struct Corpus {
    pub(crate) channels: Vec<(Vec<String>, Vec<String>)>,
}

pub(crate) fn read_corpus(dir: &Path) -> anyhow::Result<Corpus> {
    let mut by_channel: HashMap<String, (Vec<String>, Vec<String>)> = HashMap::new();
    let mut files = 0;
    for name in ["thucnews_fulltext.jsonl.gz", "sogou_sample.jsonl.gz"] {
        let path = dir.join(name);
        let Ok(file) = std::fs::File::open(&path) else {
            continue;
        };
        files += 1;
        for line in BufReader::new(MultiGzDecoder::new(file)).lines() {
            let line = line.with_context(|| format!("reading {}", path.display()))?;
            let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) else {
                continue;
            };
            let channel = v["channel"].as_str().unwrap_or("").to_string();
            let entry = by_channel.entry(channel).or_default();
            if let Some(t) = v["title"].as_str() {
                entry.1.push(t.to_string());
            }
            let body = v["body"].as_str().unwrap_or("");
            let mut sentence = String::new();
            for c in body.chars() {
                sentence.push(c);
                if matches!(c, '。' | '！' | '？') {
                    let s = sentence.trim().to_string();
                    if s.chars().count() >= 8 {
                        entry.0.push(s);
                    }
                    sentence.clear();
                }
            }
        }
    }
    if files == 0 {
        bail!(
            "no news bodies found in {} (thucnews_fulltext.jsonl.gz, sogou_sample.jsonl.gz); pass --data DIR",
            dir.display()
        );
    }
    let mut channels: Vec<(Vec<String>, Vec<String>)> = by_channel
        .into_values()
        .filter(|(s, t)| s.len() >= 20 && !t.is_empty())
        .collect();
    channels.sort_by_key(|(s, _)| std::cmp::Reverse(s.len()));
    Ok(Corpus { channels })
}

/// Article `i`: a pure function of `i`. One in 500 is scheduled up to 30 days ahead, so
/// searches take the time-filtered path that production takes once anything is scheduled.
pub(crate) fn article(corpus: &Corpus, i: usize, now: i64) -> Synthetic {
    let mut rng = Rng(i as u64 ^ 0xA5A5_5A5A);
    let ch = i % corpus.channels.len();
    let (sentences, titles) = &corpus.channels[ch];
    let title = format!("{}（{}）", titles[rng.below(titles.len())], i);
    let mut body = String::new();
    for _ in 0..8 + rng.below(9) {
        body.push_str(&sentences[rng.below(sentences.len())]);
    }
    let published_at = if i % 500 == 7 {
        now + 3600 + rng.below(30 * 86_400) as i64
    } else {
        now - rng.below(365 * 86_400) as i64
    };
    Synthetic {
        channel: ch,
        creator: rng.below(usize::MAX),
        published_at,
        title,
        body,
    }
}

pub(crate) struct Synthetic {
    pub(crate) channel: usize,
    pub(crate) creator: usize,
    pub(crate) published_at: i64,
    pub(crate) title: String,
    pub(crate) body: String,
}

/// Fresh queries drawn from the corpus titles: one or two CJK pieces of 2–4 characters, each
/// query used once.
fn fresh_queries(corpus: &Corpus, count: usize) -> Vec<String> {
    let mut rng = Rng(99);
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    let is_cjk = |c: &char| ('\u{4e00}'..='\u{9fff}').contains(c);
    let mut tries = 0;
    while out.len() < count && tries < count * 50 {
        tries += 1;
        let pieces = if rng.below(5) == 0 { 2 } else { 1 };
        let mut q = Vec::new();
        for _ in 0..pieces {
            let (_, titles) = &corpus.channels[rng.below(corpus.channels.len())];
            let chars: Vec<char> = titles[rng.below(titles.len())].chars().collect();
            let len = 2 + rng.below(3);
            if chars.len() < len {
                continue;
            }
            let at = rng.below(chars.len() - len + 1);
            let piece = &chars[at..at + len];
            if piece.iter().all(is_cjk) {
                q.push(piece.iter().collect::<String>());
            }
        }
        let q = q.join(" ");
        if !q.is_empty() && seen.insert(q.clone()) {
            out.push(q);
        }
    }
    out
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn pct(sorted: &[Duration], p: f64) -> String {
    format!("{:.2} ms", percentile(sorted, p).as_secs_f64() * 1000.0)
}

/// Searches through the service the HTTP handler uses; returns sorted times and empty results.
async fn time_searches(
    discovery: &Discovery,
    store: &Store,
    queries: &[String],
) -> anyhow::Result<(Vec<Duration>, usize)> {
    let mut times = Vec::with_capacity(queries.len());
    let mut empty = 0;
    for q in queries {
        let find = Find {
            text: q.clone(),
            page: 1,
            per_page: PER_PAGE,
            ..Find::default()
        };
        let t = Instant::now();
        let r = discovery.find(store, &find).await?;
        times.push(t.elapsed());
        empty += usize::from(r.total == 0);
    }
    times.sort();
    Ok((times, empty))
}

pub async fn run(articles: usize, data: Option<PathBuf>, keep: bool) -> anyhow::Result<()> {
    let data = data.unwrap_or_else(|| PathBuf::from("../shared/data/zh_news"));
    let corpus = read_corpus(&data)?;
    let sentences: usize = corpus.channels.iter().map(|c| c.0.len()).sum();
    println!(
        "haowen bench discovery: {articles} synthetic articles from {sentences} sentences in {} channels of {}",
        corpus.channels.len(),
        data.display()
    );
    let dir = std::env::temp_dir().join(format!("haowen-bench-discovery-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let now = haowen_core::time::now();
    let store = Store::open(&format!("sqlite:{}", dir.join("bench.db").display())).await?;
    let channels = store.channels().await?;
    let creators = store
        .bulk_creators("bench-author", (articles / 20).max(1))
        .await?;

    // Setup: the site, bulk-loaded (no change rows, so the index is built by a rebuild).
    let t = Instant::now();
    let mut chars = 0usize;
    for start in (0..articles).step_by(5000) {
        let batch: Vec<BulkArticle> = (start..(start + 5000).min(articles))
            .map(|i| {
                let a = article(&corpus, i, now);
                chars += a.title.chars().count() + a.body.chars().count();
                BulkArticle {
                    creator_id: creators[a.creator % creators.len()],
                    channel_id: channels[a.channel % channels.len()].id,
                    title: a.title,
                    body: a.body,
                    published_at: a.published_at,
                    reads: 0,
                    comments: 0,
                    shares: 0,
                    follows_gained: 0,
                }
            })
            .collect();
        store.bulk_articles(&batch).await?;
    }
    eprintln!(
        "  loaded into SQLite in {:.1} s (setup)",
        t.elapsed().as_secs_f64()
    );

    // Indexing from the database: a fresh index is rebuilt by the indexer's first catch-up
    // (what `serve` does on start and `haowen reindex` does by hand).
    let discovery = Discovery::open(&dir.join("search"))?;
    let t = Instant::now();
    let rebuilt = discovery.catch_up(&store).await?;
    let rebuild = t.elapsed();
    // The live indexer: articles written through the store (change rows), then applied.
    let live_n = (articles / 100).clamp(100, 2000);
    for i in 0..live_n {
        let a = article(&corpus, articles + i, now);
        store
            .create_article(&NewArticle {
                external_id: None,
                creator_id: creators[a.creator % creators.len()],
                channel_id: channels[a.channel % channels.len()].id,
                title: a.title,
                body_md: a.body,
                declaration: Declaration::Original,
                cover_url: None,
                tags: Vec::new(),
                status: ArticleStatus::Published,
                published_at: a.published_at,
            })
            .await?;
    }
    let t = Instant::now();
    let applied = discovery.catch_up(&store).await?;
    let live = t.elapsed();

    // Search through the service the handler uses (index, two SQL queries, highlighting).
    let fresh = fresh_queries(&corpus, 1000);
    let (fresh_times, fresh_empty) = time_searches(&discovery, &store, &fresh).await?;
    let warm: Vec<String> = (0..5)
        .flat_map(|_| QUERIES.iter().map(|q| (*q).to_string()))
        .collect();
    let (warm_times, warm_empty) = time_searches(&discovery, &store, &warm).await?;

    // Related lists for 300 different articles, each its first (cold) computation, through
    // the article page's path (channel-newest and co-reading SQL, then the recommender).
    let mut related_times = Vec::new();
    let mut rng = Rng(7);
    let mut picked = std::collections::HashSet::new();
    while related_times.len() < 300 && picked.len() < articles {
        let id = rng.below(articles) as i64 + 1;
        if !picked.insert(id) {
            continue;
        }
        let Ok(a) = store.article(id).await else {
            continue;
        };
        if a.published_at > now {
            continue;
        }
        let t = Instant::now();
        let list = discovery.related(&store, &a, &channels).await?;
        related_times.push(t.elapsed());
        if list.iter().any(|r| r.id == a.id) {
            bail!("the recommender returned the article itself");
        }
    }
    related_times.sort();
    let size = discovery.index().size_bytes();
    println!();
    println!(
        "| measure ({articles} articles, mean {} characters, 1 in 500 scheduled ahead) | value |",
        chars / articles.max(1)
    );
    println!("|---|---|");
    println!(
        "| index rebuild from the database ({rebuilt} articles, as `haowen reindex`) | {:.1} s, **{:.0} articles/s** |",
        rebuild.as_secs_f64(),
        rebuilt as f64 / rebuild.as_secs_f64().max(1e-9)
    );
    println!(
        "| live indexer: {live_n} articles written through the store, applied from the change feed ({applied}) | {:.2} s, {:.0} articles/s |",
        live.as_secs_f64(),
        applied as f64 / live.as_secs_f64().max(1e-9)
    );
    println!(
        "| search, {} fresh queries each once, through the search service (p50 / p99) | {} / **{}** ({fresh_empty} with no hit) |",
        fresh.len(),
        pct(&fresh_times, 0.5),
        pct(&fresh_times, 0.99),
    );
    println!(
        "| search, {} fixed queries × 5 (warm, repeated) (p50 / p99) | {} / {} ({} with no hit) |",
        QUERIES.len(),
        pct(&warm_times, 0.5),
        pct(&warm_times, 0.99),
        warm_empty / 5
    );
    println!(
        "| related list, first computation, {} articles, SQL included (p50 / p99) | {} / **{}** |",
        related_times.len(),
        pct(&related_times, 0.5),
        pct(&related_times, 0.99)
    );
    println!("| index size | {:.0} MB |", size as f64 / 1_048_576.0);
    println!("| peak RSS | {:.0} MB |", peak_rss_mb());
    store.close().await;
    drop(discovery);
    if keep {
        println!("database and index kept in {}", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}
