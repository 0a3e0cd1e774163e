//! `haowen eval related --data FILE.jsonl[.gz]`: how good 相关推荐 is on labelled news, under
//! conditions printed side by side, so that no figure says more than it measured.
//!
//! The score is the share of recommended articles in the source's labelled channel (P@5,
//! P@10), so each row says what the recommender was allowed to know:
//! - **as imported**: the file through the normal importer, its real sources as creators, the
//!   production recommender (channel candidates and the channel weight on, at most two items
//!   per creator). On a one-source file (THUCNews) the cap leaves at most two items a list.
//! - **creators spread**: each article given one of 50 synthetic creators by a hash of its id
//!   — done for one-source files (labelled so), or for any file with `--spread-creators`.
//! - **channel hidden**: the channel weight 0 and no channel candidates: content similarity
//!   and freshness alone (co-reading is empty: nobody has read anything).
//! - **datelines stripped**: the same after removing wire and portal tags such as 「新浪体育讯」
//!   from the start of bodies ([`haowen_core::dateline`]), which leak the label into the text.
//!
//! By default every row is printed; `--hide-channel` keeps only the channel-hidden rows and
//! `--strip-datelines` only the stripped ones.

use std::{
    collections::{HashMap, HashSet},
    hash::{DefaultHasher, Hash, Hasher},
    io::{BufRead, BufReader, Write},
    path::Path,
    time::Instant,
};

use anyhow::{Context as _, bail};
use flate2::read::MultiGzDecoder;
use haowen_app::discovery::{Discovery, recommend};
use haowen_search::{
    Context, Weights,
    analysis::{distance, story_hash},
    normalize::normalize,
    related::DUP_BITS,
};

/// Synthetic creators when articles are spread.
const SYNTHETIC_CREATORS: u64 = 50;
/// List length scored.
const LIST: usize = 10;

/// Which rows to print.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub spread_creators: bool,
    pub only_hidden_channel: bool,
    pub only_stripped: bool,
}

/// The figures of one row.
#[derive(Debug, Default)]
struct Figures {
    p5: f64,
    p10: f64,
    shown5: f64,
    coverage: f64,
    over_cap: usize,
    self_or_dup: usize,
    short: usize,
    mean_len: f64,
}

fn read_rows(path: &Path) -> anyhow::Result<Vec<serde_json::Value>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut raw = BufReader::new(file);
    let gzip = raw.fill_buf().map(|b| b.starts_with(&[0x1f, 0x8b]))?;
    let lines: Box<dyn BufRead> = if gzip {
        Box::new(BufReader::new(MultiGzDecoder::new(raw)))
    } else {
        Box::new(raw)
    };
    let mut rows = Vec::new();
    for (i, line) in lines.lines().enumerate() {
        let line = line.with_context(|| format!("line {}: cannot read", i + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        rows.push(
            serde_json::from_str(&line).with_context(|| format!("line {}: not JSON", i + 1))?,
        );
    }
    Ok(rows)
}

/// Writes a variant of the file: creators spread and/or datelines stripped. Returns how many
/// bodies lost a dateline.
fn write_variant(
    rows: &[serde_json::Value],
    out: &Path,
    spread: bool,
    strip: bool,
) -> anyhow::Result<usize> {
    let mut w = std::io::BufWriter::new(std::fs::File::create(out)?);
    let mut stripped = 0;
    for v in rows {
        let mut v = v.clone();
        if spread {
            let mut h = DefaultHasher::new();
            v.get("id").map(|id| id.to_string()).hash(&mut h);
            v["source"] =
                serde_json::Value::String(format!("作者{:02}", h.finish() % SYNTHETIC_CREATORS));
        }
        if strip && let Some(body) = v.get("body").and_then(|b| b.as_str()) {
            let (clean, changed) = haowen_core::dateline::strip(body);
            stripped += usize::from(changed);
            v["body"] = serde_json::Value::String(clean);
        }
        writeln!(w, "{v}")?;
    }
    w.flush()?;
    Ok(stripped)
}

pub async fn related(data: &Path, options: Options) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("haowen-eval-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let result = run(data, &dir, options).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn run(data: &Path, dir: &Path, options: Options) -> anyhow::Result<()> {
    let rows = read_rows(data)?;
    let sources: HashSet<&str> = rows
        .iter()
        .map(|v| v.get("source").and_then(|s| s.as_str()).unwrap_or(""))
        .collect();
    let one_source = sources.len() <= 1;
    println!("haowen eval related: {}", data.display());
    println!(
        "{} rows from {} source(s); top {LIST} from the production recommender; a hit is an item in the source's labelled channel",
        rows.len(),
        sources.len()
    );
    let mut sites = vec![(false, "as imported (real sources)")];
    if one_source || options.spread_creators {
        sites.push((
            true,
            if one_source {
                "creators spread (one-source file: 50 synthetic creators)"
            } else {
                "creators spread (--spread-creators: 50 synthetic creators)"
            },
        ));
    }
    let strip_modes: &[bool] = if options.only_stripped {
        &[true]
    } else {
        &[false, true]
    };
    let channel_modes: &[bool] = if options.only_hidden_channel {
        &[true]
    } else {
        &[false, true]
    };
    let mut table = Vec::new();
    for &strip in strip_modes {
        for &(spread, site) in &sites {
            let n = table.len();
            let file = dir.join(format!("variant{n}.jsonl"));
            let stripped = write_variant(&rows, &file, spread, strip)?;
            let started = Instant::now();
            let sub = dir.join(format!("site{n}"));
            std::fs::create_dir_all(&sub)?;
            let store =
                haowen_db::Store::open(&format!("sqlite:{}", sub.join("eval.db").display()))
                    .await?;
            let report = crate::import::import_file(&store, &file, false, false, None)
                .await
                .map_err(|(_, e)| anyhow::anyhow!("{e}"))?;
            if report.imported == 0 {
                bail!(
                    "{} holds no importable article ({})",
                    data.display(),
                    report.summary()
                );
            }
            let discovery = Discovery::open(&sub.join("search"))?;
            discovery.catch_up(&store).await?;
            eprintln!(
                "  {site}{}: imported and indexed in {:.1} s",
                if strip {
                    format!(", datelines stripped from {stripped} bodies")
                } else {
                    String::new()
                },
                started.elapsed().as_secs_f64()
            );
            for &hidden in channel_modes {
                let t = Instant::now();
                let figures = score(&store, &discovery, hidden).await?;
                eprintln!("    lists in {:.1} s", t.elapsed().as_secs_f64());
                let mut label = site.to_string();
                label.push_str(if hidden {
                    "; channel hidden"
                } else {
                    "; channel known (production)"
                });
                if strip {
                    label.push_str(&format!("; datelines stripped ({stripped} bodies)"));
                }
                table.push((label, figures));
            }
            store.close().await;
        }
    }
    println!();
    println!(
        "| condition | P@5 | P@10 | precision of the top 5 shown | coverage | mean list length | lists > 2 per creator | self/near-dup hits | lists < {LIST} |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for (label, f) in &table {
        println!(
            "| {label} | **{:.3}** | {:.3} | {:.3} | {:.3} | {:.1} | {} | {} | {} |",
            f.p5, f.p10, f.shown5, f.coverage, f.mean_len, f.over_cap, f.self_or_dup, f.short
        );
    }
    println!();
    println!(
        "P@k counts an empty slot as a miss; \"precision of the top 5 shown\" does not. Coverage: share of articles recommended at least once."
    );
    Ok(())
}

/// Every visible article's list, scored against its channel.
async fn score(
    store: &haowen_db::Store,
    discovery: &Discovery,
    hide_channel: bool,
) -> anyhow::Result<Figures> {
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
    if !hide_channel {
        for a in &articles {
            if let std::collections::hash_map::Entry::Vacant(e) = channel_newest.entry(a.channel_id)
            {
                let page = store.channel_articles(a.channel_id, now, 0, 20).await?;
                e.insert(page.items.iter().map(|x| x.id).collect());
            }
        }
    }
    let weights = if hide_channel {
        Weights::WITHOUT_CHANNEL
    } else {
        Weights::PRODUCTION
    };
    let (mut hits5, mut hits10, mut shown5, mut shown_hits5, mut listed) = (0, 0, 0, 0, 0);
    let mut f = Figures::default();
    let mut covered = HashSet::new();
    for a in &articles {
        let recs = recommend(
            discovery.index(),
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
                weights,
            },
            LIST,
        )
        .await?;
        f.short += usize::from(recs.len() < LIST);
        listed += recs.len();
        let mut per_creator: HashMap<i64, usize> = HashMap::new();
        let source_hash = story_hash(&normalize(&a.title), &normalize(&a.body));
        for (rank, r) in recs.iter().enumerate() {
            let Some(other) = by_id.get(&r.id) else {
                continue;
            };
            let same = usize::from(other.channel_id == a.channel_id);
            if rank < 5 {
                hits5 += same;
                shown5 += 1;
                shown_hits5 += same;
            }
            hits10 += same;
            covered.insert(r.id);
            *per_creator.entry(other.creator_id).or_insert(0) += 1;
            let dup = r.id == a.id
                || distance(
                    story_hash(&normalize(&other.title), &normalize(&other.body)),
                    source_hash,
                ) <= DUP_BITS;
            f.self_or_dup += usize::from(dup);
        }
        f.over_cap += usize::from(per_creator.values().any(|n| *n > 2));
    }
    let n = articles.len().max(1) as f64;
    f.p5 = hits5 as f64 / (5.0 * n);
    f.p10 = hits10 as f64 / (LIST as f64 * n);
    f.shown5 = shown_hits5 as f64 / shown5.max(1) as f64;
    f.coverage = covered.len() as f64 / n;
    f.mean_len = listed as f64 / n;
    Ok(f)
}
