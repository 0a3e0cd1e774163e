//! The background loops: the search indexer, the change-feed poller and scheduled articles,
//! the read-count flusher and the hourly pruners.

use crate::{App, Change};

impl App {
    /// Starts the background tasks: the search indexer (every 250 ms), the change-feed poller
    /// (every second), the read-count flusher (every two seconds) and the change-feed, session
    /// and read-event pruners (hourly). They stop when the returned handle is aborted.
    pub fn spawn_background(&self) -> tokio::task::JoinHandle<()> {
        // The search indexer: every 250 ms, so a commit is searchable within a second.
        let indexer = self.clone();
        let index_loop = async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_millis(250));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                // A local write wakes it at once; changes from elsewhere wait for the tick.
                tokio::select! {
                    _ = tick.tick() => {}
                    _ = indexer.wake.notified() => {}
                }
                if let Err(e) = indexer.index_now().await {
                    tracing::warn!(error = %e, "search index: could not apply changes; will retry");
                }
            }
        };
        let state = self.clone();
        let main_loop = async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut n: u64 = 0;
            let mut due_checked = haowen_core::time::now();
            loop {
                tick.tick().await;
                n += 1;
                // Scheduled articles become visible when their time comes, also after a restart:
                // they are published rows with a future time, and this notices them falling due.
                let now = haowen_core::time::now();
                match state.db.store.scheduled_due(due_checked, now).await {
                    Ok(due) => {
                        due_checked = now;
                        if due > 0 {
                            state.after(Change::Site).await;
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "could not check scheduled articles"),
                }
                if n.is_multiple_of(2)
                    && let Err(e) = state.flush_reads().await
                {
                    tracing::warn!(error = %e, "could not write read counts; will retry");
                }
                if n.is_multiple_of(3600) {
                    if let Err(e) = state.db.store.prune_changes(100_000).await {
                        tracing::warn!(error = %e, "could not prune the change feed");
                    }
                    if let Err(e) = state
                        .db
                        .store
                        .prune_sessions(haowen_core::time::now())
                        .await
                    {
                        tracing::warn!(error = %e, "could not prune expired sessions");
                    }
                    let month_ago = haowen_core::time::now() - 30 * 86_400;
                    if let Err(e) = state.db.store.prune_read_events(month_ago).await {
                        tracing::warn!(error = %e, "could not prune read events");
                    }
                }
                if let Err(e) = state.poll_changes().await {
                    tracing::warn!(error = %e, "could not poll the change feed or rebuild the site snapshot");
                }
            }
        };
        tokio::spawn(async move {
            tokio::join!(index_loop, main_loop);
        })
    }
}
