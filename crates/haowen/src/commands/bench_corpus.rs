//! `haowen bench corpus --articles N --out FILE`: a JSON Lines file of N synthetic articles in
//! the importer's format, made by recombining sentences of real news bodies
//! (../shared/data/zh_news; read, never copied into the repository), for `bench/run` to import
//! into a large site. Also writes `FILE.words`: the 2,000 most frequent two-character words of
//! the titles, one per line, for search loads of common words.

use std::{
    collections::HashMap,
    io::{BufWriter, Write},
    path::{Path, PathBuf},
};

use anyhow::Context as _;

use crate::commands::bench_discovery::{article, read_corpus};

/// Sources the articles are spread over (creators after the import).
const SOURCES: usize = 200;
/// Words written for search loads.
const WORDS: usize = 2_000;

pub fn run(articles: usize, data: Option<PathBuf>, out: &Path) -> anyhow::Result<()> {
    let data = data.unwrap_or_else(|| PathBuf::from("../shared/data/zh_news"));
    let corpus = read_corpus(&data)?;
    let now = haowen_core::time::now();
    let file = std::fs::File::create(out).with_context(|| format!("creating {}", out.display()))?;
    let mut w = BufWriter::new(file);
    let mut words: HashMap<String, u32> = HashMap::new();
    let is_cjk = |c: &char| ('\u{4e00}'..='\u{9fff}').contains(c);
    for i in 0..articles {
        let a = article(&corpus, i, now);
        let chars: Vec<char> = a.title.chars().collect();
        for pair in chars.windows(2) {
            if pair.iter().all(is_cjk) {
                *words.entry(pair.iter().collect()).or_default() += 1;
            }
        }
        // Spread over the last 30 days (1 in 500 scheduled ahead, as generated).
        let published = if a.published_at > now {
            a.published_at
        } else {
            now - (now - a.published_at) % (30 * 86_400)
        };
        let record = serde_json::json!({
            "id": format!("bench-{i}"),
            "title": a.title,
            "body": a.body,
            "channel": format!("频道{}", a.channel + 1),
            "source": format!("来源{}", a.creator % SOURCES),
            "published_at": haowen_core::time::rfc3339(published),
        });
        serde_json::to_writer(&mut w, &record)?;
        w.write_all(b"\n")?;
    }
    w.flush()?;
    let mut ranked: Vec<(String, u32)> = words.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let list: Vec<&str> = ranked.iter().take(WORDS).map(|(w, _)| w.as_str()).collect();
    let words_path = PathBuf::from(format!("{}.words", out.display()));
    std::fs::write(&words_path, list.join("\n") + "\n")?;
    println!(
        "{articles} articles → {}; {} words → {}",
        out.display(),
        list.len(),
        words_path.display()
    );
    Ok(())
}
