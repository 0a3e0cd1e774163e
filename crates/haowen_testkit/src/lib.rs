//! Test support shared by every crate's integration tests: a fresh database per test on
//! SQLite (a temp file) or PostgreSQL (a new database in the cluster named by
//! `HAOWEN_TEST_PG_URL`), small fixtures, and [`backend_tests!`], which runs one test body on
//! both backends. Never a shared database, never a mock.

#[cfg(feature = "web")]
pub mod web;

/// The store's types, for tests that set up or check stored state directly.
pub use haowen_db as db;

use std::sync::atomic::{AtomicU64, Ordering};

use haowen_core::{ArticleStatus, Declaration, NewArticle, NewCreator};
use haowen_db::Store;

/// Environment variable naming a PostgreSQL server for tests (any database on it; each test
/// creates its own).
pub const PG_URL_VAR: &str = "HAOWEN_TEST_PG_URL";
/// When set to 1, a missing PostgreSQL is a failure instead of a skip (the test command sets it).
pub const REQUIRE_PG_VAR: &str = "HAOWEN_REQUIRE_PG";

/// A database that lives as long as the test.
pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    /// A new SQLite file in a temp folder.
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite:{}", dir.path().join("haowen.db").display());
        TestDb {
            url,
            _dir: Some(dir),
        }
    }

    /// A new, empty PostgreSQL database, or `None` when no server is configured (and it is
    /// not required).
    pub async fn postgres() -> Option<TestDb> {
        let Ok(admin_url) = std::env::var(PG_URL_VAR) else {
            assert!(
                std::env::var(REQUIRE_PG_VAR).as_deref() != Ok("1"),
                "{REQUIRE_PG_VAR}=1 but {PG_URL_VAR} is not set"
            );
            eprintln!("skipping the PostgreSQL variant: {PG_URL_VAR} is not set");
            return None;
        };
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let name = format!(
            "haowen_t_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            nanos
        );
        sqlx::any::install_default_drivers();
        let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_url)
            .await
            .expect("connect to the test PostgreSQL");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await
            .expect("create test database");
        let base = admin_url
            .rsplit_once('/')
            .map(|(b, _)| b)
            .unwrap_or(&admin_url);
        Some(TestDb {
            url: format!("{base}/{name}"),
            _dir: None,
        })
    }

    /// Opens (and migrates) the store.
    pub async fn store(&self) -> Store {
        Store::open(&self.url).await.expect("open store")
    }
}

/// Runs each listed `async fn(Store)` as two tests, `sqlite::NAME` and `postgres::NAME`.
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let db = $crate::TestDb::sqlite();
                    super::$name(db.store().await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(db) = $crate::TestDb::postgres().await else { return };
                    super::$name(db.store().await).await;
                }
            )*
        }
    };
}

/// A creator named `name` with a slug derived from it.
pub async fn creator(store: &Store, name: &str) -> haowen_core::Creator {
    store
        .create_creator(&NewCreator {
            slug: haowen_core::creator::slug_for_name(name),
            name: name.to_string(),
            avatar_url: String::new(),
            bio: format!("{name}的简介"),
        })
        .await
        .expect("create creator")
}

/// A published original article with the given parts, `age_secs` old.
pub fn article(
    creator_id: i64,
    channel_id: i64,
    title: &str,
    body_md: &str,
    age_secs: i64,
) -> NewArticle {
    NewArticle {
        external_id: None,
        creator_id,
        channel_id,
        title: title.to_string(),
        body_md: body_md.to_string(),
        declaration: Declaration::Original,
        cover_url: None,
        tags: vec![],
        status: ArticleStatus::Published,
        published_at: haowen_core::time::now() - age_secs,
    }
}

/// The id of the default channel called `name`.
pub async fn channel_id(store: &Store, name: &str) -> i64 {
    store
        .channel_by_name_or_create(name)
        .await
        .expect("channel")
        .id
}

/// A second, read-only look at a test database, beside the app's own pool: what a check reads
/// to prove that an action changed (or did not change) the stored state.
pub struct Peek(sqlx::AnyConnection);

impl Peek {
    pub async fn open(db: &TestDb) -> Peek {
        sqlx::any::install_default_drivers();
        Peek(
            <sqlx::AnyConnection as sqlx::Connection>::connect(&db.url)
                .await
                .expect("a second connection to the test database"),
        )
    }

    /// The single value `sql` selects, as text (`CAST(… AS TEXT)` in the query), or `NULL`.
    pub async fn text(&mut self, sql: &str) -> String {
        let value: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
            .fetch_optional(&mut self.0)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .flatten();
        value.unwrap_or_else(|| "NULL".into())
    }
}
