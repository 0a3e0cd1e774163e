//! Render turns: the right to render one page, one reader at a time per key. Readers missing a
//! page wait for the turn; readers of a stale page take it only when it is free. A turn is
//! *overtaken* when its article's pages are dropped or marked stale while it renders: the page it
//! renders may predate that change, so it is cached stale (served only while rendered anew).

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex, MutexGuard,
        atomic::{AtomicBool, Ordering},
    },
};

/// Keys the map holds before idle entries are swept (a waiter cancelled at the wrong moment —
/// its client gone — can leave one behind).
const SWEEP_AT: usize = 1_024;

/// One key's turn.
#[derive(Default)]
struct Turn {
    lock: Arc<tokio::sync::Mutex<()>>,
    overtaken: AtomicBool,
}

/// The turns of the keys being rendered or waited for now.
#[derive(Default)]
pub(super) struct Turns {
    map: Mutex<HashMap<String, Arc<Turn>>>,
}

/// The right to render one page; the next reader waiting for it goes when this drops.
pub struct RenderTurn<'a> {
    turns: &'a Turns,
    key: String,
    turn: Option<Arc<Turn>>,
    guard: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl RenderTurn<'_> {
    /// Whether the page's article changed since this turn was taken.
    pub fn overtaken(&self) -> bool {
        self.turn
            .as_ref()
            .is_some_and(|t| t.overtaken.load(Ordering::Acquire))
    }

    fn lock(&self) -> Arc<tokio::sync::Mutex<()>> {
        Arc::clone(&self.turn.as_ref().expect("a turn until dropped").lock)
    }

    fn taken(mut self, guard: tokio::sync::OwnedMutexGuard<()>) -> Self {
        self.guard = Some(guard);
        if let Some(turn) = &self.turn {
            turn.overtaken.store(false, Ordering::Release);
        }
        self
    }
}

impl Drop for RenderTurn<'_> {
    fn drop(&mut self) {
        drop(self.guard.take());
        drop(self.turn.take());
        // Only the map holds the turn now: nobody renders or waits for this page.
        let mut map = self.turns.map();
        if map
            .get(&self.key)
            .is_some_and(|turn| Arc::strong_count(turn) == 1)
        {
            map.remove(&self.key);
        }
    }
}

impl Turns {
    fn map(&self) -> MutexGuard<'_, HashMap<String, Arc<Turn>>> {
        self.map
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A handle on `key`'s turn, not yet taken. The handle is the only new reference, so
    /// dropping it (a cancelled wait, a failed try) cleans up.
    fn handle(&self, key: &str) -> RenderTurn<'_> {
        let mut map = self.map();
        if map.len() >= SWEEP_AT {
            map.retain(|_, turn| Arc::strong_count(turn) > 1);
        }
        let turn = Arc::clone(map.entry(key.to_string()).or_default());
        RenderTurn {
            turns: self,
            key: key.to_string(),
            turn: Some(turn),
            guard: None,
        }
    }

    /// Waits for the turn to render `key`.
    pub(super) async fn wait(&self, key: &str) -> RenderTurn<'_> {
        let handle = self.handle(key);
        let guard = handle.lock().lock_owned().await;
        handle.taken(guard)
    }

    /// The turn to render `key` if nobody holds it now.
    pub(super) fn try_now(&self, key: &str) -> Option<RenderTurn<'_>> {
        let handle = self.handle(key);
        let guard = handle.lock().try_lock_owned().ok()?;
        Some(handle.taken(guard))
    }

    /// Whether someone is rendering `key` now.
    pub(super) fn held(&self, key: &str) -> bool {
        self.map()
            .get(key)
            .is_some_and(|turn| turn.lock.try_lock().is_err())
    }

    /// Marks the turns of the keys `matches` picks overtaken.
    pub(super) fn overtake(&self, matches: impl Fn(&str) -> bool) {
        for (key, turn) in self.map().iter() {
            if matches(key) {
                turn.overtaken.store(true, Ordering::Release);
            }
        }
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.map().len()
    }
}
