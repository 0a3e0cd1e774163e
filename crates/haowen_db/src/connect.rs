//! Opening the database: backend choice by URL scheme, SQLite pragmas, migrations.

use std::{path::Path, str::FromStr, time::Duration};

use sqlx::{
    AnyPool, Executor,
    any::{AnyConnectOptions, AnyPoolOptions},
};

use crate::StoreError;

/// Which database a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

/// The store: a connection pool and the backend it points at. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) pool: AnyPool,
    /// Where write transactions run. On SQLite a connection of its own: writes taken from the
    /// shared pool went round its eight connections (eight threads), and each found its page
    /// cache out of date — another connection had committed since — and read its pages again.
    /// On PostgreSQL, the shared pool.
    pub(crate) writes: AnyPool,
    backend: Backend,
    /// This process's writer turn (SQLite writes one at a time; see write.rs).
    pub(crate) writer: crate::write::WriterTurn,
    /// Write transactions open at once (PostgreSQL; see write.rs).
    pub(crate) pg_writers: std::sync::Arc<tokio::sync::Semaphore>,
    /// 跟贴 waiting to be committed together (SQLite; see group_commit.rs).
    pub(crate) comment_queue: crate::group_commit::CommentQueue,
    /// Sessions and readers' standing, remembered between requests (see memo.rs).
    pub(crate) memos: std::sync::Arc<crate::memo::Memos>,
    /// The SQLite database's folder (the health probe reads its free space).
    pub(crate) folder: Option<std::path::PathBuf>,
}

impl Store {
    /// Connects to `url` (`sqlite:PATH`, `sqlite://PATH`, `postgres://…`), creating a SQLite
    /// file and its folder when missing, and applies pending migrations.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let store = Store::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Connects without migrating (for `haowen migrate --status` and tests).
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::Other(sqlx::Error::Configuration(
                format!("unsupported database URL {url:?}: use sqlite:PATH or postgres://…").into(),
            )));
        };
        let url = match backend {
            Backend::Sqlite => sqlite_url(url)?,
            Backend::Postgres => url.to_string(),
        };
        let folder = (backend == Backend::Sqlite).then(|| {
            let path = url.trim_start_matches("sqlite:").trim_start_matches("//");
            let path = Path::new(path.split_once('?').map_or(path, |(p, _)| p));
            match path.parent() {
                Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
                _ => std::path::PathBuf::from("."),
            }
        });
        let options = AnyConnectOptions::from_str(&url)?;
        let (pool, writes) = match backend {
            Backend::Sqlite => {
                let reads = sqlite_pool(8, options.clone()).await?;
                let writes = sqlite_pool(1, options).await?;
                (reads, writes)
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            // A writer waits for a row lock at most this long, then its
                            // transaction is run again (write.rs) instead of hanging.
                            conn.execute("SET lock_timeout = '5s'").await?;
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await?;
                (pool.clone(), pool)
            }
        };
        Ok(Store {
            pool,
            writes,
            backend,
            writer: Default::default(),
            pg_writers: std::sync::Arc::new(tokio::sync::Semaphore::new(crate::write::PG_WRITERS)),
            comment_queue: Default::default(),
            memos: Default::default(),
            folder,
        })
    }

    /// Applies pending migrations for this backend.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let result = match self.backend {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite").run(&self.pool).await,
            Backend::Postgres => sqlx::migrate!("migrations/postgres").run(&self.pool).await,
        };
        result.map_err(|e| match e {
            sqlx::migrate::MigrateError::Execute(inner) => StoreError::from(inner),
            other => StoreError::Other(sqlx::Error::Migrate(Box::new(other))),
        })
    }

    /// Migrations applied so far, as (version, description).
    pub async fn applied_migrations(&self) -> Result<Vec<(i64, String)>, StoreError> {
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT version, description FROM _sqlx_migrations ORDER BY version")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes the pools, waiting for connections to finish (checkpoints SQLite's WAL).
    pub async fn close(&self) {
        self.writes.close().await;
        self.pool.close().await;
    }
}

/// A pool of at most `size` connections to a SQLite file, each set up for WAL and full syncs.
async fn sqlite_pool(size: u32, options: AnyConnectOptions) -> Result<AnyPool, StoreError> {
    let pool = AnyPoolOptions::new()
        .max_connections(size)
        .min_connections(1)
        // A connection to a local file does not go away between uses: checking it with a ping
        // on every acquire was a round trip to its worker thread per query (two thread
        // wake-ups) for nothing.
        .test_before_acquire(false)
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(|conn, _| {
            Box::pin(async move {
                // WAL lets readers run beside the one writer; FULL makes every acknowledged
                // commit survive a power cut, not just a crash; the busy timeout turns lock
                // contention into waiting.
                conn.execute(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                )
                .await?;
                Ok(())
            })
        })
        .connect_with(options)
        .await?;
    Ok(pool)
}

/// Checks that the database file and its folder can be written (SQLite writes its WAL and
/// shared-memory files beside the database). Without this, a read-only mount or folder shows
/// as ten seconds of connection retries ending in "pool timed out"; with it, the error names
/// the path and the reason.
fn writable(file: &Path, dir: &Path) -> Result<(), StoreError> {
    let read_only = |what: &Path, e: std::io::Error| {
        StoreError::ReadOnly(format!("{} cannot be written: {e}", what.display()))
    };
    if file.exists() {
        std::fs::OpenOptions::new()
            .append(true)
            .open(file)
            .map_err(|e| read_only(file, e))?;
    }
    let probe = dir.join(format!(".haowen-write-check-{}", std::process::id()));
    std::fs::File::create(&probe).map_err(|e| read_only(dir, e))?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

/// Normalises a SQLite URL and makes sure its folder exists; `mode=rwc` creates the file.
fn sqlite_url(url: &str) -> Result<String, StoreError> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path == ":memory:" {
        return Err(StoreError::Other(sqlx::Error::Configuration(
            "in-memory SQLite is not supported: every connection would see its own empty database; give a file path".into(),
        )));
    }
    if let Some(dir) = Path::new(path)
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir).map_err(|e| {
            StoreError::Other(sqlx::Error::Configuration(
                format!("cannot create the database folder {}: {e}", dir.display()).into(),
            ))
        })?;
        writable(Path::new(path), dir)?;
    }
    let mut query = query.to_string();
    if !query.contains("mode=") {
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str("mode=rwc");
    }
    Ok(format!("sqlite://{path}?{query}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_are_normalised() {
        let dir = std::env::temp_dir().join("haowen-url-test");
        let p = dir.join("x.db");
        let url = sqlite_url(&format!("sqlite:{}", p.display())).expect("url");
        assert_eq!(url, format!("sqlite://{}?mode=rwc", p.display()));
        assert!(dir.exists());
        assert!(sqlite_url("sqlite::memory:").is_err());
    }

    /// The bundled SQLite keeps plans stable (`.cargo/config.toml`): without it every
    /// statement with a bound `LIMIT` is parsed and planned again on every run.
    #[tokio::test]
    async fn sqlite_is_built_with_stable_plans() {
        let dir = std::env::temp_dir().join(format!("haowen-qpsg-{}", std::process::id()));
        let store = Store::connect(&format!("sqlite:{}", dir.join("q.db").display()))
            .await
            .expect("open");
        let (on,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM pragma_compile_options WHERE compile_options = 'ENABLE_QPSG'",
        )
        .fetch_one(&store.pool)
        .await
        .expect("compile options");
        assert_eq!(on, 1, "SQLite built without SQLITE_ENABLE_QPSG");
        store.pool.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }
}
