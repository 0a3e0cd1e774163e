//! Which cached search page a raw `/search?…` request is, so the fast lane can answer repeated
//! searches too. The route checks a query (channel by slug, dates in the site's zone, page
//! number) before it knows the page's cache key; the lane cannot. So the route records, for an
//! anonymous request, its reader's cache prefix, path and raw query → the page's key, stamped
//! with the site generation it was checked against, and the lane follows an alias of the current
//! generation only (a site change — channels, zone — makes every alias old). Queries naming a
//! creator are not recorded: that check reads the database, not the snapshot.
//!
//! Bounded like the caches: at most [`MAX_ALIASES`] entries (cleared rather than grown) of at
//! most [`MAX_RAW_LEN`] bytes each, so a stream of distinct queries costs a few megabytes.

use std::{collections::HashMap, sync::Mutex};

/// Aliases kept at most.
pub const MAX_ALIASES: usize = 4_096;
/// Longer raw requests are never recorded (the router answers them).
pub const MAX_RAW_LEN: usize = 512;

/// See the module header.
#[derive(Default)]
pub struct SearchAliases {
    map: Mutex<HashMap<String, (u64, String)>>,
}

/// The alias of a search request: the reader's cache prefix, the path and the query as sent
/// (the route records it and the lane looks it up by this one spelling).
pub fn raw_key(prefix: &str, query: &str) -> String {
    format!("{prefix}/search?{query}")
}

impl SearchAliases {
    /// Records that `raw` (prefix, path and query as sent) is the page cached under `key`, as
    /// checked against site `generation`.
    pub fn record(&self, raw: String, generation: u64, key: String) {
        if raw.len() > MAX_RAW_LEN {
            return;
        }
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_ALIASES && !map.contains_key(&raw) {
            map.clear();
        }
        map.insert(raw, (generation, key));
    }

    /// The key `raw` stands for, when it was checked against `generation`.
    pub fn key(&self, raw: &str, generation: u64) -> Option<String> {
        let map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        map.get(raw)
            .filter(|(at, _)| *at == generation)
            .map(|(_, key)| key.clone())
    }

    pub fn len(&self) -> usize {
        self.map.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_hold_for_their_generation_and_stay_bounded() {
        let aliases = SearchAliases::default();
        aliases.record("/search?q=a".into(), 7, "/search?q=a&page=1".into());
        assert_eq!(
            aliases.key("/search?q=a", 7).as_deref(),
            Some("/search?q=a&page=1")
        );
        assert_eq!(
            aliases.key("/search?q=a", 8),
            None,
            "the site changed since"
        );
        assert_eq!(aliases.key("/search?q=b", 7), None);
        aliases.record(
            format!("/search?q={}", "x".repeat(MAX_RAW_LEN)),
            7,
            "k".into(),
        );
        assert_eq!(aliases.len(), 1, "over-long requests are not recorded");
        for i in 0..MAX_ALIASES * 2 {
            aliases.record(format!("/search?q={i}"), 7, format!("k{i}"));
            assert!(aliases.len() <= MAX_ALIASES);
        }
    }
}
