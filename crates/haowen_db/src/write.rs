//! Write transactions that wait their turn instead of failing.
//!
//! SQLite has one writer at a time. A `BEGIN` (deferred) transaction that reads and then
//! writes cannot upgrade its lock while another writer holds it, and fails at once with
//! `SQLITE_BUSY` — the busy timeout never applies — which is how 137 of 200 simultaneous
//! comments used to end in a 500. So on SQLite every write transaction
//! 1. takes this process's writer turn first (a fair, first-come-first-served async mutex:
//!    writers queue in memory, no thread spins on the file lock), waiting at most
//!    [`WRITE_WAIT`];
//! 2. starts with `BEGIN IMMEDIATE`, which takes the database's write lock up front (waiting
//!    on other processes — `haowen import`, the CLI — through the busy timeout), retried
//!    [`BEGIN_TRIES`] times.
//!
//! PostgreSQL runs writers side by side; its transactions start plainly and uniqueness is
//! enforced by constraints, never by check-then-insert. Lock waits are bounded
//! (`lock_timeout`), and the contended writes (跟贴, likes, follows, shares, read counts) run
//! again when PostgreSQL refuses them for a deadlock or a lock timeout ([`Store::retrying`]).
//! At most [`PG_WRITERS`] write transactions are open at once: 64 people commenting on one
//! story took all 16 pooled connections, each waiting on the story's row lock, and readers
//! waited behind them for a connection (article reads fell from 48,044 to 565 a second, p99
//! 1.3 s; `haowen bench comments --postgres`). The others wait in memory, in order.
//!
//! 跟贴 on SQLite go further: those waiting for the turn are committed together
//! (group_commit.rs).
//!
//! A transaction is begun, committed and rolled back by hand on a pooled connection (not sqlx's
//! `Transaction`, which, after a failed `COMMIT` — a full disk — hands the connection back to
//! the pool still inside the transaction, so every later write fails until a restart). A
//! failed commit is rolled back at once; one dropped without `commit` (an error on the way) is
//! rolled back before the writer turn is released; a connection whose rollback fails is
//! closed, never reused.

use std::{
    ops::{Deref, DerefMut},
    sync::Arc,
    time::Duration,
};

use sqlx::{Any, AnyConnection, pool::PoolConnection};

use crate::{Backend, Store, StoreError};

/// Longest wait for the writer turn before a write is refused as busy.
pub const WRITE_WAIT: Duration = Duration::from_secs(30);
/// Attempts at `BEGIN IMMEDIATE` when another process holds the lock past the busy timeout.
pub const BEGIN_TRIES: u32 = 3;
/// Attempts at a whole transaction that the database refused for contention (see
/// [`Store::retrying`]).
pub const WRITE_TRIES: u32 = 4;

/// Write transactions open at once on PostgreSQL (of the pool's 16 connections).
pub const PG_WRITERS: usize = 4;

/// The writer turn (SQLite).
pub(crate) type WriterTurn = Arc<tokio::sync::Mutex<()>>;

/// An open write transaction. Derefs to the connection (`&mut *tx` as an executor).
pub struct WriteTx {
    conn: Option<PoolConnection<Any>>,
    turn: Option<tokio::sync::OwnedMutexGuard<()>>,
    /// A PostgreSQL writer's place among the [`PG_WRITERS`].
    place: Option<tokio::sync::OwnedSemaphorePermit>,
}

const GONE: &str = "a write transaction is used after commit";

impl Deref for WriteTx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        self.conn.as_ref().expect(GONE)
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        self.conn.as_mut().expect(GONE)
    }
}

/// Rolls back; a connection that cannot be rolled back is closed instead of reused.
async fn roll_back(conn: &mut PoolConnection<Any>) {
    if sqlx::query("ROLLBACK").execute(&mut **conn).await.is_err() {
        conn.close_on_drop();
    }
}

impl WriteTx {
    pub async fn commit(mut self) -> Result<(), StoreError> {
        let Some(mut conn) = self.conn.take() else {
            return Ok(());
        };
        match sqlx::query("COMMIT").execute(&mut *conn).await {
            Ok(_) => Ok(()),
            Err(e) => {
                roll_back(&mut conn).await;
                Err(StoreError::from(e))
            }
        }
    }
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        let Some(mut conn) = self.conn.take() else {
            return;
        };
        let (turn, place) = (self.turn.take(), self.place.take());
        match tokio::runtime::Handle::try_current() {
            Ok(handle) => {
                handle.spawn(async move {
                    roll_back(&mut conn).await;
                    drop((turn, place));
                });
            }
            // No runtime to roll back on: closing the connection rolls the transaction back.
            Err(_) => conn.close_on_drop(),
        }
    }
}

/// Less free space than this beside the database is a full disk (health says degraded).
const MIN_FREE_BYTES: u64 = 1024 * 1024;

impl Store {
    /// Runs one writing statement in its own transaction, in turn; returns the rows affected.
    pub(crate) async fn write_one<'q>(
        &self,
        query: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments>,
    ) -> Result<u64, StoreError> {
        let mut tx = self.write().await?;
        let done = query.execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    /// Begins a write transaction in turn (see the module docs).
    pub(crate) async fn write(&self) -> Result<WriteTx, StoreError> {
        match self.backend() {
            Backend::Postgres => {
                let place =
                    tokio::time::timeout(WRITE_WAIT, Arc::clone(&self.pg_writers).acquire_owned())
                        .await
                        .map_err(|_| StoreError::Busy)?
                        .map_err(|_| StoreError::Busy)?;
                let mut conn = self.writes.acquire().await?;
                sqlx::query("BEGIN").execute(&mut *conn).await?;
                Ok(WriteTx {
                    conn: Some(conn),
                    turn: None,
                    place: Some(place),
                })
            }
            Backend::Sqlite => {
                let turn = tokio::time::timeout(WRITE_WAIT, Arc::clone(&self.writer).lock_owned())
                    .await
                    .map_err(|_| StoreError::Busy)?;
                self.begin_in_turn(turn).await
            }
        }
    }

    /// Begins a SQLite write transaction with the writer turn already held (group commit).
    pub(crate) async fn begin_in_turn(
        &self,
        turn: tokio::sync::OwnedMutexGuard<()>,
    ) -> Result<WriteTx, StoreError> {
        let mut conn = self.writes.acquire().await?;
        let mut tries = 0;
        loop {
            tries += 1;
            match sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await {
                Ok(_) => {
                    return Ok(WriteTx {
                        conn: Some(conn),
                        turn: Some(turn),
                        place: None,
                    });
                }
                Err(e) => match StoreError::from(e) {
                    StoreError::Busy if tries < BEGIN_TRIES => {
                        tokio::time::sleep(Duration::from_millis(50 * u64::from(tries))).await;
                    }
                    other => return Err(other),
                },
            }
        }
    }

    /// Runs a whole write transaction again when the database refused it for contention — on
    /// PostgreSQL a deadlock (40P01), a serialization failure (40001) or a lock timeout
    /// (55P03), on SQLite a lock held past the busy timeout — at most [`WRITE_TRIES`] times,
    /// with a growing pause; the last refusal is returned as [`StoreError::Busy`] (a 503 that
    /// asks to try again). `body` must begin its own transaction, so each try starts clean.
    pub(crate) async fn retrying<T, F, Fut>(&self, body: F) -> Result<T, StoreError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, StoreError>>,
    {
        let mut tries = 0;
        loop {
            tries += 1;
            match body().await {
                Err(StoreError::Busy) if tries < WRITE_TRIES => {
                    let pause = 20 * u64::from(tries) + u64::from(std::process::id() % 7);
                    tokio::time::sleep(Duration::from_millis(pause)).await;
                }
                done => return done,
            }
        }
    }
}

impl Store {
    /// Proves a write can be made now: rewrites the one `health` row in turn.
    pub async fn probe_write(&self) -> Result<(), StoreError> {
        // A write can still succeed on a full disk (SQLite reuses its WAL file's space), while
        // every write that needs a new page fails: the free space decides first.
        if let Some(free) = self
            .folder
            .as_ref()
            .and_then(|dir| fs4::available_space(dir).ok())
            && free < MIN_FREE_BYTES
        {
            return Err(StoreError::DiskFull);
        }
        self.write_one(
            sqlx::query(
                "INSERT INTO health (id, checked_at) VALUES (1, $1) \
                 ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at",
            )
            .bind(haowen_core::time::now()),
        )
        .await
        .map(|_| ())
    }
}
