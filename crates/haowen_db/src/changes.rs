//! The change feed (outbox): one row per content write, written in the writer's transaction.

use sqlx::AnyConnection;

use crate::{Store, StoreError};

/// Advisory-lock key that orders change rows on PostgreSQL ("hwch").
const FEED_LOCK: i64 = 0x6877_6368;

/// Appends a change row inside the caller's transaction; returns its id.
///
/// Readers of the feed (the search indexer) keep a cursor: "everything up to id N is done". That
/// holds only if ids become visible in order. SQLite's writers take turns, so they do; on
/// PostgreSQL a transaction that took id 7 could commit after one that took id 8, and a cursor
/// already at 8 would skip 7 for ever. So there the feed is appended under a transaction-scoped
/// advisory lock, held to commit: ids are taken and committed one writer at a time. (Writers
/// append their change row last, just before commit, so the lock is held for the commit only.)
pub(crate) async fn record(
    conn: &mut AnyConnection,
    entity: &'static str,
    entity_id: i64,
) -> Result<i64, StoreError> {
    lock_feed(conn).await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO changes (entity, entity_id, at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(entity)
    .bind(entity_id)
    .bind(haowen_core::time::now())
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// On PostgreSQL, the feed's lock until the transaction ends (see [`record`]).
async fn lock_feed(conn: &mut AnyConnection) -> Result<(), StoreError> {
    if conn.backend_name() == "PostgreSQL" {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(FEED_LOCK)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// [`record`] for many entities of one kind at once (their ids distinct): one statement per
/// [`ROWS_PER_STATEMENT`](crate::multi_row::ROWS_PER_STATEMENT) rows, ids taken in the order
/// given. Returns the change row id of each entity, in that order.
pub(crate) async fn record_many(
    conn: &mut AnyConnection,
    entity: &'static str,
    entity_ids: &[i64],
) -> Result<Vec<i64>, StoreError> {
    use crate::multi_row::{ROWS_PER_STATEMENT, placeholders};
    if entity_ids.is_empty() {
        return Ok(Vec::new());
    }
    lock_feed(conn).await?;
    let now = haowen_core::time::now();
    let mut change_of = std::collections::HashMap::with_capacity(entity_ids.len());
    for chunk in entity_ids.chunks(ROWS_PER_STATEMENT) {
        let sql = sqlx::AssertSqlSafe(format!(
            "INSERT INTO changes (entity, entity_id, at) VALUES {} RETURNING id, entity_id",
            placeholders(conn, chunk.len(), 3)
        ));
        let mut q = sqlx::query_as::<_, (i64, i64)>(sql);
        for id in chunk {
            q = q.bind(entity).bind(*id).bind(now);
        }
        for (change, id) in q.fetch_all(&mut *conn).await? {
            change_of.insert(id, change);
        }
    }
    entity_ids
        .iter()
        .map(|id| {
            change_of.get(id).copied().ok_or_else(|| {
                StoreError::Corrupt(format!("no change row came back for {entity} {id}"))
            })
        })
        .collect()
}

impl Store {
    /// The newest change id (0 on an empty feed). Caches compare it with the id they were
    /// built at; a larger one means the content changed somewhere, on any node.
    pub async fn latest_change_id(&self) -> Result<i64, StoreError> {
        let (id,): (Option<i64>,) = sqlx::query_as("SELECT MAX(id) FROM changes")
            .fetch_one(&self.pool)
            .await?;
        Ok(id.unwrap_or(0))
    }

    /// Whether anything but 跟贴 (the `comment` rows: posts, pins, approvals — not removals,
    /// which are `comment_removed`) changed after change `id`.
    pub async fn content_changed_after(&self, id: i64) -> Result<bool, StoreError> {
        let (found,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM (SELECT 1 FROM changes WHERE id > $1 AND entity <> 'comment' LIMIT 1) later",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        Ok(found > 0)
    }
}

impl Store {
    /// Deletes all but the newest `keep` change rows. Nodes compare only the newest id, so old
    /// rows serve nothing once every node has moved past them; keeping a generous tail leaves
    /// room for later consumers (the search indexer) that read the feed in order.
    pub async fn prune_changes(&self, keep: i64) -> Result<u64, StoreError> {
        self.write_one(
            sqlx::query("DELETE FROM changes WHERE id <= (SELECT MAX(id) FROM changes) - $1")
                .bind(keep),
        )
        .await
    }
}
