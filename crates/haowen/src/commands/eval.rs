//! `haowen eval related --data FILE.jsonl[.gz]`: how good 相关推荐 is on labelled news.
//!
//! The file is imported into a temporary database with the normal importer (when every row has
//! the same `source`, as in THUCNews, the articles are spread over 50 synthetic creators by a
//! hash of their id, so the two-per-creator rule means something), indexed, and every article
//! gets its top-10 list from the production recommender (channel candidates included; no
//! co-reading, since nobody has read anything). Printed: P@5 and P@10 (share of recommended
//! articles in the source's labelled channel), catalogue coverage, lists with more than two
//! items from one creator, and self/near-duplicate hits.

use std::{
    collections::{HashMap, HashSet},
    hash::{DefaultHasher, Hash, Hasher},
    io::{BufRead, BufReader, Write},
    path::{Path, PathBuf},
    time::Instant,
};

use anyhow::{Context as _, bail};
use flate2::read::MultiGzDecoder;
use haowen_search::{
    Context,
    analysis::{distance, story_hash},
    normalize::normalize,
    related::DUP_BITS,
};
use haowen_web::discovery::{Discovery, recommend};

/// Synthetic creators when the file has one source.
const SYNTHETIC_CREATORS: u64 = 50;

fn open_lines(path: &Path) -> anyhow::Result<Box<dyn BufRead>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut raw = BufReader::new(file);
    let gzip = raw.fill_buf().map(|b| b.starts_with(&[0x1f, 0x8b]))?;
    Ok(if gzip {
        Box::new(BufReader::new(MultiGzDecoder::new(raw)))
    } else {
        Box::new(raw)
    })
}

/// When every row has the same source, writes a copy whose sources are 50 synthetic creators.
fn spread_creators(path: &Path, dir: &Path, force: bool) -> anyhow::Result<(PathBuf, bool)> {
    let mut sources = HashSet::new();
    let mut rows: Vec<serde_json::Value> = Vec::new();
    for (i, line) in open_lines(path)?.lines().enumerate() {
        let line = line.with_context(|| format!("line {}: cannot read", i + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(&line).with_context(|| format!("line {}: not JSON", i + 1))?;
        sources.insert(
            v.get("source")
                .and_then(|s| s.as_str())
                .unwrap_or("")
                .to_string(),
        );
        rows.push(v);
    }
    if sources.len() > 1 && !force {
        return Ok((path.to_path_buf(), false));
    }
    let out = dir.join("spread.jsonl");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&out)?);
    for mut v in rows {
        let mut h = DefaultHasher::new();
        v.get("id").map(|id| id.to_string()).hash(&mut h);
        v["source"] =
            serde_json::Value::String(format!("作者{:02}", h.finish() % SYNTHETIC_CREATORS));
        writeln!(w, "{v}")?;
    }
    w.flush()?;
    Ok((out, true))
}

pub async fn related(data: &Path, spread: bool) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("haowen-eval-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let result = run(data, &dir, spread).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn run(data: &Path, dir: &Path, force_spread: bool) -> anyhow::Result<()> {
    let started = Instant::now();
    let (file, spread) = spread_creators(data, dir, force_spread)?;
    let store =
        haowen_db::Store::open(&format!("sqlite:{}", dir.join("eval.db").display())).await?;
    let report = crate::import::import_file(&store, &file, false)
        .await
        .map_err(|(_, e)| anyhow::anyhow!("{e}"))?;
    if report.imported == 0 {
        bail!(
            "{} holds no importable article ({})",
            data.display(),
            report.summary()
        );
    }
    let discovery = Discovery::open(&dir.join("search"))?;
    discovery.catch_up(&store).await?;
    let imported = started.elapsed();

    // Every visible article with its label and creator.
    let mut articles = Vec::new();
    let mut after = 0;
    loop {
        let page = store.index_rows(after, 1000).await?;
        let Some(last) = page.last().map(|r| r.id) else {
            break;
        };
        after = last;
        articles.extend(page);
    }
    let by_id: HashMap<i64, &haowen_db::IndexRow> = articles.iter().map(|a| (a.id, a)).collect();
    let now = haowen_core::time::now();
    let mut channel_newest: HashMap<i64, Vec<i64>> = HashMap::new();
    for a in &articles {
        if let std::collections::hash_map::Entry::Vacant(e) = channel_newest.entry(a.channel_id) {
            let ids = store
                .channel_articles(a.channel_id, now, 0, 20)
                .await?
                .items
                .iter()
                .map(|x| x.id)
                .collect();
            e.insert(ids);
        }
    }

    let t = Instant::now();
    let (mut hits5, mut slots5, mut hits10, mut slots10) = (0usize, 0usize, 0usize, 0usize);
    let (mut shown5, mut shown_hits5) = (0usize, 0usize);
    let mut covered = HashSet::new();
    let (mut over_cap, mut self_or_dup, mut short_lists) = (0usize, 0usize, 0usize);
    for a in &articles {
        let recs = recommend(
            discovery.index.clone(),
            a.id,
            a.channel_id,
            a.title.clone(),
            a.body.clone(),
            Context {
                channel_newest: channel_newest
                    .get(&a.channel_id)
                    .cloned()
                    .unwrap_or_default(),
                co_read: Vec::new(),
                now,
            },
            10,
        )
        .await?;
        if recs.len() < 10 {
            short_lists += 1;
        }
        let mut per_creator: HashMap<i64, usize> = HashMap::new();
        let source_hash = story_hash(&normalize(&a.title), &normalize(&a.body));
        for (rank, r) in recs.iter().enumerate() {
            let Some(other) = by_id.get(&r.id) else {
                continue;
            };
            let same = other.channel_id == a.channel_id;
            if rank < 5 {
                hits5 += usize::from(same);
                shown5 += 1;
                shown_hits5 += usize::from(same);
            }
            hits10 += usize::from(same);
            covered.insert(r.id);
            *per_creator.entry(other.creator_id).or_insert(0) += 1;
            let dup = r.id == a.id
                || distance(
                    story_hash(&normalize(&other.title), &normalize(&other.body)),
                    source_hash,
                ) <= DUP_BITS;
            self_or_dup += usize::from(dup);
        }
        slots5 += 5;
        slots10 += 10;
        if per_creator.values().any(|n| *n > 2) {
            over_cap += 1;
        }
    }
    let elapsed = t.elapsed();
    let n = articles.len();
    let channels: HashSet<i64> = articles.iter().map(|a| a.channel_id).collect();
    println!("haowen eval related: {}", data.display());
    println!(
        "{n} articles in {} channels{}; imported and indexed in {:.1} s; {n} lists in {:.1} s ({:.1} ms each)",
        channels.len(),
        if spread {
            format!(", spread over {SYNTHETIC_CREATORS} synthetic creators by a hash of the id")
        } else {
            String::new()
        },
        imported.as_secs_f64(),
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1000.0 / n.max(1) as f64,
    );
    println!();
    println!("| metric | value |");
    println!("|---|---|");
    println!(
        "| P@5 same channel | **{:.3}** |",
        hits5 as f64 / slots5.max(1) as f64
    );
    println!(
        "| P@10 same channel | {:.3} |",
        hits10 as f64 / slots10.max(1) as f64
    );
    println!(
        "| precision of the top 5 shown (short lists not penalised) | {:.3} |",
        shown_hits5 as f64 / shown5.max(1) as f64
    );
    println!(
        "| catalogue coverage (articles recommended at least once) | {:.3} |",
        covered.len() as f64 / n.max(1) as f64
    );
    println!(
        "| lists with more than 2 items from one creator | {:.3} |",
        over_cap as f64 / n.max(1) as f64
    );
    println!("| self or near-duplicate hits | {self_or_dup} |");
    println!("| lists shorter than 10 | {short_lists} |");
    store.close().await;
    Ok(())
}
