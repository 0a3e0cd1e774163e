//! `haowen bench …`: the benchmark subcommands' arguments and their dispatch.

use std::path::PathBuf;

use clap::Subcommand;

use crate::commands;

#[derive(Subcommand)]
pub enum BenchCommand {
    /// The hot ranking: one recompute over many articles' counters, and serving the list.
    Hot {
        #[arg(long, default_value_t = 1_000_000)]
        articles: usize,
        #[arg(long, default_value_t = 10_000_000)]
        events: usize,
        /// Rebuilds to time per backend (the median is reported).
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Articles are published over this many days (7: all inside the ranking window).
        #[arg(long, default_value_t = 7)]
        days: i64,
        /// Also run the SQL part on this PostgreSQL server (a fresh database is created on it
        /// and dropped afterwards), e.g. postgres://postgres@127.0.0.1:5432/postgres.
        #[arg(long)]
        postgres: Option<String>,
    },
    /// A comment spike (N readers at once, alone and under a read load) and attacks on the
    /// listener (idle and slowloris connections), against a real server on loopback.
    Writes {
        /// Readers posting at once, one run each (comma-separated).
        #[arg(long, value_delimiter = ',', default_values_t = [50, 200, 1000])]
        users: Vec<usize>,
        /// Seconds of each wrk read run.
        #[arg(long, default_value_t = 10)]
        read_secs: u64,
        /// Idle connections to hold open.
        #[arg(long, default_value_t = 15_000)]
        idle: usize,
        /// Slowloris connections.
        #[arg(long, default_value_t = 3_000)]
        slow: usize,
    },
    /// Sustained 跟贴: writers posting to one story without pause, alone and under reads.
    Comments {
        #[arg(long, default_value_t = 64)]
        writers: usize,
        #[arg(long, default_value_t = 10)]
        secs: u64,
        /// Total comments a second to pace the writers at, one run each (0: without pause).
        #[arg(long, value_delimiter = ',', default_values_t = [0, 1000])]
        rates: Vec<usize>,
        /// Also on this PostgreSQL server (a fresh database, dropped afterwards).
        #[arg(long)]
        postgres: Option<String>,
    },
    /// Write N synthetic articles as JSON Lines for `haowen import` (and FILE.words, common
    /// title words for search loads), recombined from real news sentences.
    Corpus {
        #[arg(long, default_value_t = 100_000)]
        articles: usize,
        /// Folder with thucnews_fulltext.jsonl.gz / sogou_sample.jsonl.gz [default: ../shared/data/zh_news].
        #[arg(long)]
        data: Option<PathBuf>,
        #[arg(long)]
        out: PathBuf,
    },
    /// Search and 相关推荐: indexing throughput, search and related latency, index size, memory.
    Discovery {
        #[arg(long, default_value_t = 100_000)]
        articles: usize,
        /// Folder with thucnews_fulltext.jsonl.gz / sogou_sample.jsonl.gz [default: ../shared/data/zh_news].
        #[arg(long)]
        data: Option<PathBuf>,
        /// Keep the index folder afterwards (its path is printed).
        #[arg(long)]
        keep: bool,
    },
}

/// Runs one benchmark.
pub async fn run(what: BenchCommand) -> anyhow::Result<()> {
    match what {
        BenchCommand::Hot {
            articles,
            events,
            runs,
            days,
            postgres,
        } => {
            commands::bench::hot(commands::bench::HotBench {
                articles,
                events,
                runs,
                days,
                postgres,
            })
            .await
        }
        BenchCommand::Writes {
            users,
            read_secs,
            idle,
            slow,
        } => commands::bench_writes::run(users, read_secs, idle, slow).await,
        BenchCommand::Discovery {
            articles,
            data,
            keep,
        } => commands::bench_discovery::run(articles, data, keep).await,
        BenchCommand::Comments {
            writers,
            secs,
            rates,
            postgres,
        } => commands::bench_comments::run(writers, secs, rates, postgres).await,
        BenchCommand::Corpus {
            articles,
            data,
            out,
        } => commands::bench_corpus::run(articles, data, &out),
    }
}
