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
//! enforced by constraints, never by check-then-insert.
//!
//! A transaction dropped without `commit` (an error on the way) is rolled back by sqlx before
//! its connection is used again; one whose rollback fails is closed, not reused.

use std::{
    ops::{Deref, DerefMut},
    sync::Arc,
    time::Duration,
};

use sqlx::{Any, AnyConnection, Transaction};

use crate::{Backend, Store, StoreError};

/// Longest wait for the writer turn before a write is refused as busy.
pub const WRITE_WAIT: Duration = Duration::from_secs(30);
/// Attempts at `BEGIN IMMEDIATE` when another process holds the lock past the busy timeout.
pub const BEGIN_TRIES: u32 = 3;

/// The writer turn (SQLite).
pub(crate) type WriterTurn = Arc<tokio::sync::Mutex<()>>;

/// An open write transaction. Derefs to the connection (`&mut *tx` as an executor).
pub struct WriteTx {
    tx: Transaction<'static, Any>,
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Deref for WriteTx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.tx
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), StoreError> {
        self.tx.commit().await.map_err(StoreError::from)
    }
}

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
            Backend::Postgres => Ok(WriteTx {
                tx: self.pool.begin().await?,
                _turn: None,
            }),
            Backend::Sqlite => {
                let turn = tokio::time::timeout(WRITE_WAIT, Arc::clone(&self.writer).lock_owned())
                    .await
                    .map_err(|_| StoreError::Busy)?;
                let mut tries = 0;
                loop {
                    tries += 1;
                    match self.pool.begin_with("BEGIN IMMEDIATE").await {
                        Ok(tx) => {
                            return Ok(WriteTx {
                                tx,
                                _turn: Some(turn),
                            });
                        }
                        Err(e) => match StoreError::from(e) {
                            StoreError::Busy if tries < BEGIN_TRIES => {
                                tokio::time::sleep(Duration::from_millis(50 * u64::from(tries)))
                                    .await;
                            }
                            other => return Err(other),
                        },
                    }
                }
            }
        }
    }
}

impl Store {
    /// Proves a write can be made now: rewrites the one `health` row in turn.
    pub async fn probe_write(&self) -> Result<(), StoreError> {
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
