//! `haowen`: serve | import | migrate | admin | demo. Parses the command line, loads the
//! configuration and hands over to `haowen::commands`.

use std::{path::PathBuf, process::ExitCode};

/// mimalloc instead of glibc's malloc: the profiles of every read path spent 10–15 % of the CPU
/// in malloc/free (`_int_malloc`, `malloc_consolidate`, `unlink_chunk`) across two cores.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};
use haowen::{
    commands::{self, admin::SettingsAction},
    config::Config,
    import,
};

#[derive(Parser)]
#[command(
    name = "haowen",
    version,
    about = "好文 Haowen — a self-hosted self-media news platform"
)]
struct Cli {
    /// Configuration file (default: ./haowen.toml when present).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Folder for the SQLite database [default: ./data].
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// Database URL: sqlite:PATH or postgres://… [default: sqlite:DATA_DIR/haowen.db].
    #[arg(long, global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the site (default http://127.0.0.1:8080).
    Serve {
        /// Address to listen on.
        #[arg(long)]
        bind: Option<String>,
        /// Public base URL for share links and QR codes.
        #[arg(long)]
        public_url: Option<String>,
        /// Fill an empty database with the demo site first.
        #[arg(long)]
        demo: bool,
    },
    /// Import articles from JSON Lines (plain or .gz), one article per line.
    Import {
        file: PathBuf,
        /// Exit non-zero when any line was rejected.
        #[arg(long)]
        strict: bool,
    },
    /// Rebuild the search index (DATA_DIR/search) from the database.
    Reindex,
    /// Apply pending database migrations.
    Migrate {
        /// List applied migrations.
        #[arg(long)]
        status: bool,
    },
    /// Administration.
    Admin {
        #[command(subcommand)]
        what: AdminCommand,
    },
    /// Fill an empty database with the demo site.
    Demo,
    /// Quality evaluations on labelled data (print a table; never touch the configured database).
    Eval {
        #[command(subcommand)]
        what: EvalCommand,
    },
    /// Benchmarks on synthetic data (print a table; never touch the configured database).
    Bench {
        #[command(subcommand)]
        what: BenchCommand,
    },
}

#[derive(Subcommand)]
enum EvalCommand {
    /// 相关推荐 on a labelled JSON Lines file: P@5, P@10, coverage, creator cap, duplicates,
    /// side by side: as imported, creators spread, channel hidden, datelines stripped.
    Related {
        /// The labelled file (JSON Lines, plain or .gz; the `channel` field is the label).
        #[arg(long)]
        data: PathBuf,
        /// Also score with the articles spread over 50 synthetic creators when the file has
        /// several sources (always done when it has only one).
        #[arg(long)]
        spread_creators: bool,
        /// Print only the rows where the recommender does not know the channel (channel
        /// weight 0, no channel candidates).
        #[arg(long)]
        hide_channel: bool,
        /// Print only the rows where datelines (「新浪体育讯」…) were stripped from bodies.
        #[arg(long)]
        strip_datelines: bool,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
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

#[derive(Subcommand)]
enum AdminCommand {
    /// Show or change site settings (name, disclaimer, time zone, footer).
    Settings {
        #[command(subcommand)]
        action: Option<SettingsCommand>,
    },
    /// Create an account with a role (reader, creator, editor, admin).
    CreateUser {
        #[arg(long)]
        username: String,
        /// Name shown on pages [default: the account name].
        #[arg(long)]
        display_name: Option<String>,
        #[arg(long, default_value = "reader")]
        role: String,
        /// Read the password from the first line of standard input (else one is generated and printed).
        #[arg(long)]
        password_stdin: bool,
    },
    /// Take an article down (its page answers 410 and it leaves every list) or restore it.
    Article {
        /// The article's id (the number in /a/ID).
        id: i64,
        #[arg(value_enum)]
        action: ArticleAction,
        /// Why (shown to the creator and readers on a takedown; recorded in the audit log).
        #[arg(long, default_value = "内容违反平台规定，已由编辑下架。")]
        reason: String,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ArticleAction {
    Takedown,
    Restore,
}

#[derive(Subcommand)]
enum SettingsCommand {
    /// List every setting with its value.
    Show,
    /// Set KEY to VALUE.
    Set { key: String, value: String },
    /// Return KEY to its default.
    Reset { key: String },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut config = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    if let Some(dir) = cli.data_dir {
        config.data_dir = dir;
    }
    if let Some(url) = cli.database_url {
        config.database_url = url;
    }
    if let Command::Serve {
        bind, public_url, ..
    } = &cli.command
    {
        if let Some(b) = bind {
            config.bind = b.clone();
        }
        if let Some(u) = public_url {
            config.public_url = u.clone();
        }
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_new(&config.log)
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => return fail(&anyhow::Error::from(e)),
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Serve { demo, .. } => commands::serve::run(&config, demo).await,
            Command::Import { file, strict } => {
                let store = commands::open_store(&config).await?;
                let result = import::run_cli(&store, &file, strict).await;
                store.close().await;
                result
            }
            Command::Migrate { status } => commands::migrate::run(&config, status).await,
            Command::Admin {
                what: AdminCommand::Settings { action },
            } => {
                let action = match action {
                    None | Some(SettingsCommand::Show) => SettingsAction::Show,
                    Some(SettingsCommand::Set { key, value }) => SettingsAction::Set { key, value },
                    Some(SettingsCommand::Reset { key }) => SettingsAction::Reset { key },
                };
                commands::admin::settings(&config, action).await
            }
            Command::Reindex => commands::reindex::run(&config).await,
            Command::Eval {
                what:
                    EvalCommand::Related {
                        data,
                        spread_creators,
                        hide_channel,
                        strip_datelines,
                    },
            } => {
                let options = commands::eval::Options {
                    spread_creators,
                    only_hidden_channel: hide_channel,
                    only_stripped: strip_datelines,
                };
                commands::eval::related(&data, options).await
            }
            Command::Bench {
                what:
                    BenchCommand::Hot {
                        articles,
                        events,
                        runs,
                        days,
                        postgres,
                    },
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
            Command::Bench {
                what:
                    BenchCommand::Writes {
                        users,
                        read_secs,
                        idle,
                        slow,
                    },
            } => commands::bench_writes::run(users, read_secs, idle, slow).await,
            Command::Bench {
                what:
                    BenchCommand::Discovery {
                        articles,
                        data,
                        keep,
                    },
            } => commands::bench_discovery::run(articles, data, keep).await,
            Command::Bench {
                what:
                    BenchCommand::Comments {
                        writers,
                        secs,
                        rates,
                        postgres,
                    },
            } => commands::bench_comments::run(writers, secs, rates, postgres).await,
            Command::Bench {
                what:
                    BenchCommand::Corpus {
                        articles,
                        data,
                        out,
                    },
            } => commands::bench_corpus::run(articles, data, &out),
            Command::Admin {
                what: AdminCommand::Article { id, action, reason },
            } => {
                commands::admin::article_status(
                    &config,
                    id,
                    matches!(action, ArticleAction::Takedown),
                    &reason,
                )
                .await
            }
            Command::Admin {
                what:
                    AdminCommand::CreateUser {
                        username,
                        display_name,
                        role,
                        password_stdin,
                    },
            } => {
                let display_name = display_name.unwrap_or_else(|| username.clone());
                commands::admin::create_user(
                    &config,
                    &username,
                    &display_name,
                    &role,
                    password_stdin,
                )
                .await
            }
            Command::Demo => commands::demo::run(&config).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

fn fail(e: &anyhow::Error) -> ExitCode {
    eprintln!("error: {e}");
    for cause in e.chain().skip(1) {
        eprintln!("  caused by: {cause}");
    }
    ExitCode::FAILURE
}
