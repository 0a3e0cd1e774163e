//! Group commit for 跟贴 on SQLite: when a story makes hundreds of people comment at once, the
//! comments waiting for the writer turn are stored together, in one transaction with one
//! fsync, instead of one commit each.
//!
//! Each poster puts its comment in a shared queue, then waits for the writer turn. Whoever gets
//! the turn takes every comment queued by then (up to [`MAX_BATCH`]) and stores them in one
//! `BEGIN IMMEDIATE` transaction — each inside its own savepoint, so a comment refused by its
//! own checks (a repeat, the burst limit, a deleted article) is refused alone — and answers
//! every poster after the commit. A poster whose comment another took finds its answer when its
//! turn comes and gives the turn straight back. An answer is sent only after `COMMIT` returned:
//! a 2xx still means the comment is on disk. The batch runs in its own task, so a poster who
//! hangs up mid-batch does not roll back the others' comments.
//!
//! Under a steady stream (a batch ended within the last [`STREAM_GAP`]) the turn holder waits up
//! to [`LINGER`] for more comments before it begins, as PostgreSQL's `commit_delay` does: at
//! 1,000 comments a second batches held 1.5 comments, and each batch's BEGIN, count, change row,
//! COMMIT and fsync — trips to the SQLite thread, each a pair of thread wake-ups — cost more
//! than the comments themselves. With 2 ms they held 3.8 (263 fsyncs a second); with 5 ms 7
//! (140 a second), and the server spent 13 % less CPU on the same comments (`perf stat` of the
//! server during `haowen bench comments --rates 1000`'s writes alone: task-clock 1,128–1,343
//! ms in 5 s against 1,356–1,559, three alternating runs each) for 2–3 ms more latency
//! (p50 5–6 → 7–8 ms, p99 19 → 24–27 ms). A lone comment never waits.
//!
//! Measured with `haowen bench writes` (README): 200 simultaneous comments under a read load.

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use tokio::sync::oneshot;

use crate::{
    NewComment, Store, StoreError,
    comment_posting::{CommentLimits, insert_comment_counted_later},
    write::WRITE_WAIT,
};

/// Most comments stored in one transaction.
pub const MAX_BATCH: usize = 256;

/// One poster's comment, waiting for a turn.
#[derive(Debug)]
pub(crate) struct CommentJob {
    new: NewComment,
    limits: Option<CommentLimits>,
    reply: oneshot::Sender<Result<i64, StoreError>>,
}

/// How long the turn holder waits for more comments while they stream in.
pub const LINGER: Duration = Duration::from_millis(5);
/// A batch that ended less than this ago means comments are streaming in.
const STREAM_GAP: Duration = Duration::from_millis(20);
/// Enough waiting comments to begin at once.
const FULL_ENOUGH: usize = 16;

/// Comments waiting to be stored, and when the last batch ended.
#[derive(Debug)]
pub(crate) struct Queue {
    jobs: Mutex<Vec<CommentJob>>,
    started: Instant,
    /// Microseconds after `started` at which the last batch ended (0: none yet).
    last_batch: AtomicU64,
}

impl Default for Queue {
    fn default() -> Queue {
        Queue {
            jobs: Mutex::default(),
            started: Instant::now(),
            last_batch: AtomicU64::new(0),
        }
    }
}

impl Queue {
    fn now(&self) -> u64 {
        self.started.elapsed().as_micros() as u64 + 1
    }

    /// Whether comments are streaming in and too few wait yet.
    fn worth_waiting(&self) -> bool {
        let last = self.last_batch.load(Ordering::Relaxed);
        last != 0
            && self.now().saturating_sub(last) < STREAM_GAP.as_micros() as u64
            && lock(self).len() < FULL_ENOUGH
    }
}

pub(crate) type CommentQueue = Arc<Queue>;

impl Store {
    /// Stores a comment with the others waiting at the same time; returns its id.
    pub(crate) async fn insert_comment_grouped(
        &self,
        new: NewComment,
        limits: Option<CommentLimits>,
    ) -> Result<i64, StoreError> {
        let (reply, mut answer) = oneshot::channel();
        lock(&self.comment_queue).push(CommentJob { new, limits, reply });
        loop {
            let turn = tokio::time::timeout(WRITE_WAIT, Arc::clone(&self.writer).lock_owned())
                .await
                .map_err(|_| StoreError::Busy)?;
            match answer.try_recv() {
                Ok(result) => return result,
                Err(oneshot::error::TryRecvError::Closed) => return Err(StoreError::Busy),
                Err(oneshot::error::TryRecvError::Empty) => {}
            }
            if self.comment_queue.worth_waiting() {
                tokio::time::sleep(LINGER).await;
            }
            let jobs: Vec<CommentJob> = {
                let mut queue = lock(&self.comment_queue);
                let n = queue.len().min(MAX_BATCH);
                queue.drain(..n).collect()
            };
            if jobs.is_empty() {
                // Ours is in a batch that has not answered yet (cannot happen while batches
                // hold the turn to the end, but never spin): wait for the answer.
                drop(turn);
                return answer.await.unwrap_or(Err(StoreError::Busy));
            }
            let store = self.clone();
            let batch = tokio::spawn(async move { store.store_batch(turn, jobs).await });
            if batch.await.is_err() {
                tracing::error!("a batch of comments panicked; its posters are told to retry");
            }
            let queue = &self.comment_queue;
            queue.last_batch.store(queue.now(), Ordering::Relaxed);
        }
    }

    /// Stores `jobs` in one transaction under the writer turn and answers each poster.
    async fn store_batch(&self, turn: tokio::sync::OwnedMutexGuard<()>, jobs: Vec<CommentJob>) {
        let mut tx = match self.begin_in_turn(turn).await {
            Ok(tx) => tx,
            Err(e) => return answer_all(jobs, &e),
        };
        let now = haowen_core::time::now();
        let mut results = Vec::with_capacity(jobs.len());
        // Per article: published comments stored (its count moves once, one change row).
        let mut stored: std::collections::BTreeMap<i64, i64> = Default::default();
        for job in &jobs {
            // A top-level comment under limits is one conditional INSERT that writes nothing
            // when refused: no savepoint (three round trips fewer). A reply writes its row and
            // its parent's count, undone together when refused.
            let guarded = !(job.new.parent_id.is_none() && job.limits.is_some());
            if guarded && let Err(e) = sqlx::query("SAVEPOINT comment").execute(&mut *tx).await {
                return answer_all(jobs, &StoreError::from(e));
            }
            match insert_comment_counted_later(&mut tx, &job.new, job.limits, now, self.backend())
                .await
            {
                Ok(id) => {
                    let published =
                        job.new.status == haowen_core::comment::CommentStatus::Published;
                    *stored.entry(job.new.article_id).or_default() += i64::from(published);
                    results.push(Ok(id));
                }
                // Refused by its own checks: only this comment is undone.
                Err(e @ (StoreError::NotFound | StoreError::Conflict { .. })) => {
                    if guarded
                        && let Err(undo) = sqlx::query("ROLLBACK TO SAVEPOINT comment")
                            .execute(&mut *tx)
                            .await
                    {
                        return answer_all(jobs, &StoreError::from(undo));
                    }
                    results.push(Err(e));
                }
                // The database itself failed (a full disk…): nothing in the batch is stored.
                Err(e) => return answer_all(jobs, &e),
            }
            if guarded
                && let Err(e) = sqlx::query("RELEASE SAVEPOINT comment")
                    .execute(&mut *tx)
                    .await
            {
                return answer_all(jobs, &StoreError::from(e));
            }
        }
        for (article, published) in &stored {
            if let Err(e) = crate::comment_posting::count_batch(&mut tx, *article, *published).await
            {
                return answer_all(jobs, &e);
            }
        }
        if let Err(e) = tx.commit().await {
            return answer_all(jobs, &e);
        }
        for (job, result) in jobs.into_iter().zip(results) {
            let _ = job.reply.send(result);
        }
    }
}

/// Tells every poster in a failed batch the same error; none of their comments was stored.
fn answer_all(jobs: Vec<CommentJob>, error: &StoreError) {
    for job in jobs {
        let _ = job.reply.send(Err(error.duplicate()));
    }
}

fn lock(queue: &Queue) -> std::sync::MutexGuard<'_, Vec<CommentJob>> {
    queue
        .jobs
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
