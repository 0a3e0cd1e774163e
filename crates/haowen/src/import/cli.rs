//! `haowen import` on the command line: the search index fed as the import goes (when no server
//! holds it), rejects printed with their line numbers, the summary and the rate.

use std::path::Path;

use anyhow::Context;
use haowen_app::discovery::Discovery;
use haowen_db::Store;

use super::{ImportReport, import_file};

/// Runs `import_file` for the CLI, printing rejects and the summary. The search index under
/// `search_dir` is fed as the import goes when no server holds it.
pub async fn run_cli(
    store: &Store,
    path: &Path,
    strict: bool,
    clean: bool,
    search_dir: &Path,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let progress = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let discovery = match Discovery::open_for_bulk(search_dir) {
        Ok(d) => Some(d),
        Err(e) => {
            eprintln!("not indexing as it imports: {e}; the running server indexes the import");
            None
        }
    };
    let mut indexing = match &discovery {
        Some(d) => match d.bulk(store).await {
            Ok(b) => Some(b),
            Err(e) => {
                eprintln!("not indexing as it imports: {e}; the server indexes the import");
                None
            }
        },
        None => None,
    };
    let result = import_file(store, path, progress, clean, indexing.as_mut()).await;
    // Commit what was indexed whether the run finished or stopped: every batch handed over is
    // saved in the database.
    let indexed = match indexing {
        Some(b) => b
            .finish(store)
            .await
            .map_err(|e| {
                eprintln!("search index not committed: {e}; the server indexes the import")
            })
            .ok(),
        None => None,
    };
    let report = match result {
        Ok(report) => report,
        Err((report, e)) => {
            if !progress {
                print_rejects(&report);
            }
            eprintln!("import stopped: {}", report.summary());
            return Err(e.into());
        }
    };
    if !progress {
        print_rejects(&report);
    }
    let secs = started.elapsed().as_secs_f64();
    let done = report.imported + report.updated;
    let indexed = indexed.map_or_else(String::new, |n| format!(", {n} indexed"));
    println!(
        "{}{indexed} ({:.1} s, {:.0} articles/s); the site now holds {} articles",
        report.summary(),
        secs,
        done as f64 / secs.max(0.001),
        store.article_count().await.context("counting articles")?
    );
    anyhow::ensure!(
        !strict || report.rejected.is_empty(),
        "{} line(s) rejected (--strict)",
        report.rejected.len()
    );
    Ok(())
}

fn print_rejects(report: &ImportReport) {
    for (line, reason) in &report.rejected {
        eprintln!("line {line}: {reason}");
    }
}
