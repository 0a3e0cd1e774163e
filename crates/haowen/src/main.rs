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
        /// Keep titles and bodies exactly as given (by default portal boilerplate is cut from
        /// titles and a paragraph repeating the one before is dropped).
        #[arg(long)]
        no_clean: bool,
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
        what: commands::bench_cli::BenchCommand,
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
            Command::Import {
                file,
                strict,
                no_clean,
            } => {
                let store = commands::open_store(&config).await?;
                let result = import::run_cli(
                    &store,
                    &file,
                    strict,
                    !no_clean,
                    &config.data_dir.join("search"),
                )
                .await;
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
            Command::Bench { what } => commands::bench_cli::run(what).await,
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
