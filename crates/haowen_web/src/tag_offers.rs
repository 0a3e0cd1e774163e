//! The search's tag offer ("只看标签 #X（N 篇）") remembered per tag and site generation. The
//! count joins each of the tag's articles for its visibility, up to the cap: ~2 ms at 100 k
//! articles for a tag on 20 k of them, twice the cost of the rest of a fresh search, paid again
//! by every page, filter and order of the same word. Counts change only with the site (what is
//! published, taken down or falls due bumps the generation that the cached search pages are
//! stamped with too), so a count holds as long as a cached result page does: when pages are
//! dropped without a new generation (a snapshot rebuild that failed), the counts go with them.
//!
//! Bounded like the search aliases: at most [`MAX_TAGS`] entries (cleared rather than grown),
//! of tags no longer than the search's own limit for offering one.

use std::{collections::HashMap, sync::Mutex};

/// Counts kept at most.
pub const MAX_TAGS: usize = 4_096;

/// See the module header.
#[derive(Default)]
pub struct TagOffers {
    map: Mutex<HashMap<String, (u64, i64)>>,
}

impl TagOffers {
    /// The count of `tag` as of site `generation`, when known.
    pub fn count(&self, tag: &str, generation: u64) -> Option<i64> {
        let map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        map.get(tag)
            .filter(|(at, _)| *at == generation)
            .map(|(_, n)| *n)
    }

    /// Remembers `count` for `tag`, counted after site `generation` began (a count of a later
    /// generation already there is kept).
    pub fn record(&self, tag: &str, generation: u64, count: i64) {
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        if map.get(tag).is_some_and(|(at, _)| *at > generation) {
            return;
        }
        if map.len() >= MAX_TAGS && !map.contains_key(tag) {
            map.clear();
        }
        map.insert(tag.to_string(), (generation, count));
    }

    /// Forgets every count: the cached pages were dropped without a new generation (a
    /// snapshot rebuild that failed), so the generation alone no longer says they are current.
    pub fn clear(&self) {
        self.map.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_hold_for_their_generation_and_stay_bounded() {
        let offers = TagOffers::default();
        offers.record("春耕", 7, 12);
        assert_eq!(offers.count("春耕", 7), Some(12));
        assert_eq!(offers.count("春耕", 8), None, "the site changed since");
        assert_eq!(offers.count("秋收", 7), None);
        offers.record("春耕", 9, 13);
        offers.record("春耕", 8, 12);
        assert_eq!(
            offers.count("春耕", 9),
            Some(13),
            "a slower, older count does not win"
        );
        offers.clear();
        assert_eq!(offers.count("春耕", 9), None);
        for i in 0..MAX_TAGS {
            offers.record(&format!("标签{i}"), 7, 1);
        }
        assert!(offers.map.lock().expect("map").len() <= MAX_TAGS);
    }
}
