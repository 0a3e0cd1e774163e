//! `haowen bench discovery --articles N`: indexing throughput, search and related-list latency,
//! index size and peak memory over N synthetic articles made by recombining sentences of real
//! news bodies (../shared/data/zh_news by default; the data is read, never copied).
//!
//! Article i is a pure function of i (its own seeded generator), so the related-list step can
//! regenerate any article's text without holding a million of them in memory.

use std::{
    collections::HashMap,
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use anyhow::{Context as _, bail};
use flate2::read::MultiGzDecoder;
use haowen_search::{Context, IndexDoc, SearchIndex, SearchQuery, Source, WriterOptions};

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
struct Corpus {
    channels: Vec<(Vec<String>, Vec<String>)>,
}

fn read_corpus(dir: &Path) -> anyhow::Result<Corpus> {
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

fn article(corpus: &Corpus, i: usize, n: usize, now: i64) -> IndexDoc {
    let mut rng = Rng(i as u64 ^ 0xA5A5_5A5A);
    let ch = i % corpus.channels.len();
    let (sentences, titles) = &corpus.channels[ch];
    let title = format!("{}（{}）", titles[rng.below(titles.len())], i);
    let mut body = String::new();
    for _ in 0..8 + rng.below(9) {
        body.push_str(&sentences[rng.below(sentences.len())]);
    }
    IndexDoc {
        id: i as i64 + 1,
        channel_id: ch as i64 + 1,
        creator_id: rng.below((n / 20).max(1)) as i64 + 1,
        published_at: now - rng.below(365 * 86_400) as i64,
        title,
        body,
    }
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

pub fn run(articles: usize, data: Option<PathBuf>, keep: bool) -> anyhow::Result<()> {
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
    let now = haowen_core::time::now();
    let (index, _) = SearchIndex::open(
        &dir,
        WriterOptions {
            threads: 2,
            heap_bytes: 512 * 1024 * 1024,
        },
    )?;

    // Indexing.
    let t = Instant::now();
    let mut chars = 0usize;
    for start in (0..articles).step_by(5000) {
        let batch: Vec<IndexDoc> = (start..(start + 5000).min(articles))
            .map(|i| article(&corpus, i, articles, now))
            .collect();
        chars += batch
            .iter()
            .map(|d| d.title.chars().count() + d.body.chars().count())
            .sum::<usize>();
        index.add(&batch)?;
        if start % 100_000 == 0 && start > 0 {
            eprintln!(
                "  {start} articles, {:.0}/s",
                start as f64 / t.elapsed().as_secs_f64()
            );
        }
    }
    index.commit(1)?;
    let indexing = t.elapsed();

    // Search latency over the fixed query set, five rounds.
    let mut search_times = Vec::new();
    let mut empty = 0;
    for _ in 0..5 {
        for q in QUERIES {
            let t = Instant::now();
            let r = index.search(&SearchQuery {
                text: (*q).to_string(),
                now,
                limit: 10,
                ..SearchQuery::default()
            })?;
            search_times.push(t.elapsed());
            empty += usize::from(r.total == 0);
        }
    }
    search_times.sort();

    // Related lists for 300 articles spread over the id range.
    let mut related_times = Vec::new();
    let mut rng = Rng(7);
    for _ in 0..300 {
        let i = rng.below(articles);
        let a = article(&corpus, i, articles, now);
        let channel_newest: Vec<i64> = (0..20)
            .map(|_| {
                let j = rng.below(articles / corpus.channels.len().max(1)) * corpus.channels.len()
                    + (i % corpus.channels.len());
                j.min(articles - 1) as i64 + 1
            })
            .collect();
        let t = Instant::now();
        let recs = index.recommend(
            &Source {
                id: a.id,
                channel_id: a.channel_id,
                title: &a.title,
                body: &a.body,
            },
            &Context {
                channel_newest,
                co_read: Vec::new(),
                now,
                ..Context::default()
            },
            8,
        )?;
        related_times.push(t.elapsed());
        if recs.iter().any(|r| r.id == a.id) {
            bail!("the recommender returned the article itself");
        }
    }
    related_times.sort();
    let size = index.size_bytes();
    println!();
    println!(
        "| measure ({articles} articles, mean {} characters) | value |",
        chars / articles.max(1)
    );
    println!("|---|---|");
    println!(
        "| indexing (2 threads, including the commit) | {:.1} s, **{:.0} articles/s** |",
        indexing.as_secs_f64(),
        articles as f64 / indexing.as_secs_f64().max(1e-9)
    );
    println!(
        "| search, {} queries × 5 (p50 / p99) | {} / **{}** ({} with no hit) |",
        QUERIES.len(),
        pct(&search_times, 0.5),
        pct(&search_times, 0.99),
        empty / 5
    );
    println!(
        "| related list from scratch, 300 articles (p50 / p99) | {} / **{}** |",
        pct(&related_times, 0.5),
        pct(&related_times, 0.99)
    );
    println!("| index size | {:.0} MB |", size as f64 / 1_048_576.0);
    println!("| peak RSS | {:.0} MB |", peak_rss_mb());
    drop(index);
    if keep {
        println!("index kept in {}", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}
