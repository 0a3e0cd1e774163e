//! `haowen import FILE`: JSON Lines (plain or gzip), one article per line:
//! `{id, title, body, channel, source, published_at, tags}` (the ../shared/data/zh_news format).
//!
//! Policy:
//! - idempotent by `id`: a second run updates the same articles, never duplicates them;
//! - creators (from `source`) and channels are created when missing;
//! - plain-text bodies become Markdown paragraphs; the declaration is 转载 with the source;
//! - a bad line is reported with its number and reason and skipped; the rest goes on;
//! - articles are saved 500 to a transaction (one commit, one fsync, per batch), so none is ever
//!   half-written and a crash loses at most the batch in flight — importing again is safe;
//! - when the search index is free (no server running on this data folder) each saved batch is
//!   indexed while the next is saved, and the index is committed once at the end
//!   ([`BulkIndexing`]); otherwise the running server's indexer picks the batches up from the
//!   change feed;
//! - a busy or unreachable database stops the run with a clear message (exit non-zero).

use std::{
    collections::HashMap,
    fs::File,
    io::{BufRead, BufReader, Read},
    path::Path,
};

use flate2::read::MultiGzDecoder;
use haowen_app::discovery::BulkIndexing;
use haowen_core::{ArticleStatus, Declaration, NewArticle, time};
use haowen_db::{ImportedArticle, Store, StoreError, UpsertOutcome};
use indicatif::{ProgressBar, ProgressStyle};

mod clean;
mod cli;
mod record;

pub use cli::run_cli;

use record::{Parsed, parse};

/// Channel for records whose channel is empty.
pub const UNLABELLED_CHANNEL: &str = "综合";
/// Creator for records without a source.
pub const UNKNOWN_SOURCE: &str = "佚名来源";
/// Articles saved per transaction: one commit (one fsync) per batch.
const BATCH: usize = 500;
/// Longest line accepted (bytes): a generous article with room to spare.
const MAX_LINE_BYTES: usize = 4 * 1024 * 1024;

/// What a run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub imported: u64,
    pub updated: u64,
    /// Titles that lost portal boilerplate, and paragraphs dropped for repeating the one before
    /// (both 0 with `--no-clean`).
    pub cleaned_titles: u64,
    pub repeated_paragraphs: u64,
    /// (line number, reason) of each rejected line.
    pub rejected: Vec<(u64, String)>,
}

impl ImportReport {
    pub fn summary(&self) -> String {
        format!(
            "imported {}, updated {}, rejected {}; cleaned {} titles, {} repeated paragraphs",
            self.imported,
            self.updated,
            self.rejected.len(),
            self.cleaned_titles,
            self.repeated_paragraphs
        )
    }
}

/// A failure that stops the whole run (as opposed to a bad line).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot open {path}: {source}")]
    Open {
        path: String,
        source: std::io::Error,
    },
    #[error("line {line}: cannot read the file: {source} (is it damaged or truncated?)")]
    Read { line: u64, source: std::io::Error },
    #[error(
        "indexing the imported articles: {0}; they are saved, and the server's indexer will index them"
    )]
    Index(haowen_app::discovery::DiscoveryError),
    #[error(
        "line {line}: {source}; the run stopped here — every line before it is saved, and importing again is safe (it is idempotent)"
    )]
    Store { line: u64, source: StoreError },
}

/// Imports a file, drawing a progress bar on a terminal.
pub async fn import_file(
    store: &Store,
    path: &Path,
    progress: bool,
    clean: bool,
    indexing: Option<&mut BulkIndexing<'_>>,
) -> Result<ImportReport, (ImportReport, ImportError)> {
    let open_err = |e| {
        (
            ImportReport::default(),
            ImportError::Open {
                path: path.display().to_string(),
                source: e,
            },
        )
    };
    let file = File::open(path).map_err(open_err)?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = if progress {
        ProgressBar::new(size)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {percent}% {binary_bytes_per_sec} ETA {eta} {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let started = std::time::Instant::now();
    let mut raw = BufReader::new(bar.wrap_read(file));
    let gzip = raw
        .fill_buf()
        .map(|b| b.starts_with(&[0x1f, 0x8b]))
        .map_err(open_err)?;
    let reader: Box<dyn BufRead> = if gzip {
        Box::new(BufReader::new(MultiGzDecoder::new(raw)))
    } else {
        Box::new(raw)
    };
    let result = import_lines(
        store,
        reader,
        clean,
        indexing,
        |line, reason, report| {
            bar.println(format!("line {line}: {reason}"));
            bar.set_message(report.summary());
        },
        |report| {
            let done = report.imported + report.updated;
            let rate = done as f64 / started.elapsed().as_secs_f64().max(0.001);
            bar.set_message(format!("{done} 篇 · {rate:.0} 篇/秒"));
        },
    )
    .await;
    bar.finish_and_clear();
    result
}

/// Imports JSON Lines from a reader. `on_reject` hears of each bad line as it happens,
/// `on_progress` after each saved batch; `indexing` (when given) is handed each saved batch.
pub async fn import_lines(
    store: &Store,
    mut reader: impl BufRead,
    clean: bool,
    mut indexing: Option<&mut BulkIndexing<'_>>,
    mut on_reject: impl FnMut(u64, &str, &ImportReport),
    mut on_progress: impl FnMut(&ImportReport),
) -> Result<ImportReport, (ImportReport, ImportError)> {
    let mut report = ImportReport::default();
    let mut creators: HashMap<String, i64> = HashMap::new();
    let mut channels: HashMap<String, i64> = HashMap::new();
    let mut buf = Vec::new();
    let mut line_no: u64 = 0;
    let mut batch: Vec<(u64, ImportedArticle)> = Vec::with_capacity(BATCH);
    // Times without an offset are the site's wall clock.
    let zone = match store.settings().await {
        Ok(settings) => settings.zone(),
        Err(e) => return Err((report, ImportError::Store { line: 1, source: e })),
    };
    loop {
        buf.clear();
        line_no += 1;
        let n = match (&mut reader)
            .take(MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut buf)
        {
            Ok(n) => n,
            Err(e) => {
                return Err((
                    report,
                    ImportError::Read {
                        line: line_no,
                        source: e,
                    },
                ));
            }
        };
        if n == 0 {
            break;
        }
        if buf.len() > MAX_LINE_BYTES {
            // Skip the rest of the over-long line.
            let mut rest = Vec::new();
            if let Err(e) = reader.read_until(b'\n', &mut rest) {
                return Err((
                    report,
                    ImportError::Read {
                        line: line_no,
                        source: e,
                    },
                ));
            }
            reject(
                &mut report,
                &mut on_reject,
                line_no,
                format!("line is longer than {MAX_LINE_BYTES} bytes"),
            );
            continue;
        }
        let text = match std::str::from_utf8(&buf) {
            Ok(t) => t.trim(),
            Err(e) => {
                reject(
                    &mut report,
                    &mut on_reject,
                    line_no,
                    format!("not valid UTF-8 ({e})"),
                );
                continue;
            }
        };
        if text.is_empty() {
            continue;
        }
        let article = match parse(text, zone, clean) {
            Ok(a) => a,
            Err(reason) => {
                reject(&mut report, &mut on_reject, line_no, reason);
                continue;
            }
        };
        report.cleaned_titles += u64::from(article.title_cleaned);
        report.repeated_paragraphs += article.repeated_paragraphs as u64;
        match prepare(store, article, &mut creators, &mut channels).await {
            Ok(item) => batch.push((line_no, item)),
            Err(e) => return Err((report, store_error(&batch, line_no, e))),
        }
        if batch.len() >= BATCH {
            if let Err(e) = flush(store, &mut batch, &mut report, indexing.as_deref_mut()).await {
                return Err((report, e));
            }
            on_progress(&report);
        }
    }
    if let Err(e) = flush(store, &mut batch, &mut report, indexing).await {
        return Err((report, e));
    }
    on_progress(&report);
    Ok(report)
}

/// Saves the batch in one transaction, counts it and hands it to the indexing.
async fn flush(
    store: &Store,
    batch: &mut Vec<(u64, ImportedArticle)>,
    report: &mut ImportReport,
    indexing: Option<&mut BulkIndexing<'_>>,
) -> Result<(), ImportError> {
    if batch.is_empty() {
        return Ok(());
    }
    let items: Vec<ImportedArticle> = batch.iter().map(|(_, item)| item.clone()).collect();
    let saved = store
        .upsert_articles(&items)
        .await
        .map_err(|e| store_error(batch, 0, e))?;
    for (outcome, _) in &saved {
        match outcome {
            UpsertOutcome::Inserted(_) => report.imported += 1,
            UpsertOutcome::Updated(_) => report.updated += 1,
        }
    }
    batch.clear();
    if let Some(indexing) = indexing {
        let saved: Vec<(i64, i64)> = saved.iter().map(|(o, change)| (o.id(), *change)).collect();
        indexing
            .add(store, &saved)
            .await
            .map_err(ImportError::Index)?;
    }
    Ok(())
}

/// The error that stops the run, at the first line not saved.
fn store_error(batch: &[(u64, ImportedArticle)], line: u64, source: StoreError) -> ImportError {
    ImportError::Store {
        line: batch.first().map_or(line, |(first, _)| *first),
        source,
    }
}

fn reject(
    report: &mut ImportReport,
    on_reject: &mut impl FnMut(u64, &str, &ImportReport),
    line: u64,
    reason: String,
) {
    report.rejected.push((line, reason));
    if let Some((line, reason)) = report.rejected.last() {
        on_reject(*line, reason, report);
    }
}

/// The article to save for a parsed record (its creator and channel created when missing).
async fn prepare(
    store: &Store,
    a: Parsed,
    creators: &mut HashMap<String, i64>,
    channels: &mut HashMap<String, i64>,
) -> Result<ImportedArticle, StoreError> {
    let creator_id = match creators.get(&a.source) {
        Some(id) => *id,
        None => {
            let id = store.creator_by_name_or_create(&a.source).await?.id;
            creators.insert(a.source.clone(), id);
            id
        }
    };
    let channel_id = match channels.get(&a.channel) {
        Some(id) => *id,
        None => {
            let id = store.channel_by_name_or_create(&a.channel).await?.id;
            channels.insert(a.channel.clone(), id);
            id
        }
    };
    Ok(ImportedArticle {
        article: NewArticle {
            external_id: Some(a.external_id),
            creator_id,
            channel_id,
            title: a.title,
            body_md: a.body_md,
            declaration: Declaration::reprint(a.source, ""),
            cover_url: a.cover,
            tags: a.tags,
            status: ArticleStatus::Published,
            // A record without a time is undated — never the minute it was imported.
            published_at: a.published_at.unwrap_or(time::UNDATED),
        },
    })
}
