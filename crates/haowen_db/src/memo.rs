//! Read-through memos of the two lookups every signed-in page makes: whose session a cookie is
//! (`session_user`) and how that reader stands to an article (`viewer_on_article`). Without them
//! a signed-in article page costs two SQLite round trips — two hops to the driver's thread and
//! back, which the profile showed as most of its CPU (kernel task switches).
//!
//! Never stale in this process: the writes in this crate that change an answer forget it when
//! they commit (sessions: any change to users or sessions clears them all — rare events; a
//! reader's standing: their own 跟贴, likes and follows forget their entries). A lookup stores
//! its answer only when no such write committed while it ran (an epoch check), so a slow read
//! never puts back what a write just forgot. Another process sharing a PostgreSQL database
//! learns of a change within [`TTL_SECS`]. Only positive session answers are kept (a stream of
//! made-up cookies stores nothing), and each memo is bounded: when full it starts over.

use std::{
    collections::HashMap,
    sync::{
        Mutex,
        atomic::{AtomicU64, Ordering},
    },
};

use haowen_core::account::User;

/// How long an answer is trusted without a write in this process clearing it (seconds).
pub const TTL_SECS: i64 = 10;
/// Most entries per memo.
const MAX_ENTRIES: usize = 100_000;

/// One bounded map with an epoch bumped by every write that clears entries.
#[derive(Debug)]
struct Memo<K, V> {
    epoch: AtomicU64,
    map: Mutex<HashMap<K, (i64, V)>>,
}

impl<K: std::hash::Hash + Eq, V: Clone> Default for Memo<K, V> {
    fn default() -> Self {
        Memo {
            epoch: AtomicU64::new(0),
            map: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: std::hash::Hash + Eq, V: Clone> Memo<K, V> {
    fn get<Q>(&self, key: &Q, now: i64) -> Option<V>
    where
        K: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ?Sized,
    {
        let map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        map.get(key)
            .filter(|(at, _)| now - at < TTL_SECS)
            .map(|(_, v)| v.clone())
    }

    fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    /// Keeps `value` unless a clearing write committed since `epoch` was read.
    fn put(&self, key: K, value: V, now: i64, epoch: u64) {
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        if self.epoch.load(Ordering::Acquire) != epoch {
            return;
        }
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
        map.insert(key, (now, value));
    }

    fn forget_where(&self, keep: impl Fn(&K) -> bool) {
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        self.epoch.fetch_add(1, Ordering::AcqRel);
        map.retain(|k, _| keep(k));
    }
}

/// The memos of one store (shared by its clones).
#[derive(Debug, Default)]
pub(crate) struct Memos {
    /// token digest → (user, CSRF token, session expiry).
    sessions: Memo<String, (User, String, i64)>,
    /// (user, article) → (wrote or liked a 跟贴 there, follows its creator).
    standing: Memo<(i64, i64), (bool, bool)>,
}

impl Memos {
    pub(crate) fn session(&self, digest: &str, now: i64) -> Option<(User, String)> {
        self.sessions
            .get(digest, now)
            .filter(|(_, _, expires)| *expires > now)
            .map(|(user, csrf, _)| (user, csrf))
    }

    pub(crate) fn session_epoch(&self) -> u64 {
        self.sessions.epoch()
    }

    pub(crate) fn keep_session(
        &self,
        digest: &str,
        found: (User, String, i64),
        now: i64,
        epoch: u64,
    ) {
        self.sessions.put(digest.to_string(), found, now, epoch);
    }

    /// After any write to users or sessions.
    pub(crate) fn accounts_changed(&self) {
        self.sessions.forget_where(|_| false);
    }

    pub(crate) fn standing(&self, user_id: i64, article_id: i64, now: i64) -> Option<(bool, bool)> {
        self.standing.get(&(user_id, article_id), now)
    }

    pub(crate) fn standing_epoch(&self) -> u64 {
        self.standing.epoch()
    }

    pub(crate) fn keep_standing(&self, key: (i64, i64), value: (bool, bool), now: i64, epoch: u64) {
        self.standing.put(key, value, now, epoch);
    }

    /// After the user posted or liked a 跟贴, or followed or unfollowed someone.
    pub(crate) fn reader_acted(&self, user_id: i64) {
        self.standing.forget_where(|(user, _)| *user != user_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_during_a_lookup_keeps_its_answer_out() {
        let memo: Memo<i64, bool> = Memo::default();
        let epoch = memo.epoch();
        memo.forget_where(|_| false); // a write commits while the lookup runs
        memo.put(1, false, 100, epoch);
        assert_eq!(memo.get(&1, 100), None);
        let epoch = memo.epoch();
        memo.put(1, true, 100, epoch);
        assert_eq!(memo.get(&1, 100), Some(true));
        assert_eq!(memo.get(&1, 100 + TTL_SECS), None, "answers expire");
    }

    #[test]
    fn a_reader_acting_forgets_only_their_own_standing() {
        let memos = Memos::default();
        let e = memos.standing_epoch();
        memos.keep_standing((1, 10), (false, false), 0, e);
        memos.keep_standing((2, 10), (false, true), 0, e);
        memos.reader_acted(1);
        assert_eq!(memos.standing(1, 10, 0), None);
        assert_eq!(memos.standing(2, 10, 0), Some((false, true)));
    }
}
