//! Honest read counting: one read per visitor per article per window (30 minutes by default),
//! and none from bots.
//!
//! A visitor is a key the web layer derives from the request (`haowen_web::visitor`). Counted
//! reads collect in memory and reach the database in batches
//! ([`crate::App::flush_reads`], every two seconds and at shutdown), so a page view costs no
//! SQL. A crash can lose at most the last two seconds of read counts — counts, never content.

use std::{collections::HashMap, sync::Mutex};

/// Past this many remembered (visitor, article) pairs, expired ones are swept.
const SWEEP_AT: usize = 200_000;

/// User-agent fragments of crawlers, link previewers and scripts (lower case).
const BOT_MARKERS: &[&str] = &[
    "bot",
    "spider",
    "crawl",
    "slurp",
    "bingpreview",
    "facebookexternalhit",
    "mediapartners",
    "headless",
    "lighthouse",
    "curl/",
    "wget/",
    "python-requests",
    "python-urllib",
    "httpclient",
    "go-http-client",
    "okhttp",
    "java/",
    "libwww",
    "scrapy",
    "phantomjs",
    "wrk",
    "ab/",
    "bytespider",
    "yisouspider",
    "sogou",
    "360spider",
    "haosouspider",
    "petalbot",
    "feedfetcher",
    "monitor",
];

/// The markers as one automaton, any case: a user agent is scanned once, not once per marker
/// after a lower-cased copy (that was 2.7 % of the CPU of a cached article page).
static BOT_FINDER: std::sync::LazyLock<aho_corasick::AhoCorasick> =
    std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(BOT_MARKERS)
            // A few dozen short literals, far inside the automaton's limits.
            .expect("the bot markers build an automaton")
    });

/// Whether a user agent is a bot (an empty user agent is a script, not a reader).
pub fn is_bot(user_agent: &str) -> bool {
    let ua = user_agent.trim();
    ua.is_empty() || BOT_FINDER.is_match(ua)
}

/// Remembers which visitor acted on which article when, to count each once per window.
/// Used for reads and for shares.
pub struct Deduper {
    window_secs: i64,
    /// (visitor, article) → when it was last counted (unix seconds).
    seen: Mutex<HashMap<(u64, i64), i64>>,
}

impl Deduper {
    pub fn new(window_secs: i64) -> Deduper {
        Deduper {
            window_secs,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Whether this (visitor, article) pair counts at `now`: a human user agent, and not
    /// counted within the window. Counting it starts a new window.
    ///
    /// The window is looked at first: a reader's later views of the article are answered by one
    /// map lookup, and only a pair not counted yet has its user agent matched against the bot
    /// list (a real browser's user agent through that matcher was 3 % of the server's CPU for a
    /// cached article page, on every view). Bots never enter the map, so they are matched on
    /// every view, as before.
    pub fn first(&self, article_id: i64, visitor: u64, user_agent: &str, now: i64) -> bool {
        let window = self.window_secs;
        let counted_lately = |seen: &HashMap<(u64, i64), i64>| {
            seen.get(&(visitor, article_id))
                .is_some_and(|at| now - *at < window)
        };
        match self.seen.lock() {
            Ok(seen) if !counted_lately(&seen) => {}
            _ => return false,
        }
        if is_bot(user_agent) {
            return false;
        }
        let Ok(mut seen) = self.seen.lock() else {
            return false;
        };
        // Another request of the same visitor may have counted it meanwhile.
        if counted_lately(&seen) {
            return false;
        }
        if seen.len() >= SWEEP_AT {
            seen.retain(|_, at| now - *at < window);
        }
        seen.insert((visitor, article_id), now);
        true
    }
}

/// Counted reads waiting to be written.
pub struct ReadCounter {
    dedupe: Deduper,
    /// article → reads not yet written.
    pending: Mutex<HashMap<i64, i64>>,
    /// (visitor, article, time) of each counted read not yet written: co-reading for 相关推荐.
    events: Mutex<Vec<(u64, i64, i64)>>,
}

/// Read events held in memory at most (a database outage must not grow memory without end).
const MAX_PENDING_EVENTS: usize = 200_000;

impl ReadCounter {
    pub fn new(window_secs: i64) -> ReadCounter {
        ReadCounter {
            dedupe: Deduper::new(window_secs),
            pending: Mutex::new(HashMap::new()),
            events: Mutex::new(Vec::new()),
        }
    }

    /// Records a page view at `now`; returns whether it counted as a read.
    pub fn record(&self, article_id: i64, visitor: u64, user_agent: &str, now: i64) -> bool {
        if !self.dedupe.first(article_id, visitor, user_agent, now) {
            return false;
        }
        if let Ok(mut pending) = self.pending.lock() {
            *pending.entry(article_id).or_insert(0) += 1;
        }
        if let Ok(mut events) = self.events.lock()
            && events.len() < MAX_PENDING_EVENTS
        {
            events.push((visitor, article_id, now));
        }
        true
    }

    /// Takes the read events not yet written.
    pub fn take_events(&self) -> Vec<(u64, i64, i64)> {
        match self.events.lock() {
            Ok(mut events) => std::mem::take(&mut *events),
            Err(_) => Vec::new(),
        }
    }

    /// Puts back events whose write failed.
    pub fn restore_events(&self, batch: Vec<(u64, i64, i64)>) {
        if let Ok(mut events) = self.events.lock() {
            let room = MAX_PENDING_EVENTS.saturating_sub(events.len());
            events.extend(batch.into_iter().take(room));
        }
    }

    /// Takes the reads not yet written, as (article, count) pairs.
    pub fn take_pending(&self) -> Vec<(i64, i64)> {
        match self.pending.lock() {
            Ok(mut pending) => pending.drain().collect(),
            Err(_) => Vec::new(),
        }
    }

    /// Puts back a batch whose write failed.
    pub fn restore(&self, batch: &[(i64, i64)]) {
        if let Ok(mut pending) = self.pending.lock() {
            for (id, n) in batch {
                *pending.entry(*id).or_insert(0) += n;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHROME: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

    #[test]
    fn one_read_per_visitor_per_window() {
        let c = ReadCounter::new(1800);
        assert!(c.record(1, 7, CHROME, 1000));
        assert!(!c.record(1, 7, CHROME, 1000 + 1799));
        assert!(c.record(1, 7, CHROME, 1000 + 1800));
        assert!(c.record(1, 8, CHROME, 1000), "another visitor counts");
        assert!(c.record(2, 7, CHROME, 1000), "another article counts");
        let mut pending = c.take_pending();
        pending.sort();
        assert_eq!(pending, vec![(1, 3), (2, 1)]);
        assert!(c.take_pending().is_empty());
    }

    #[test]
    fn views_at_the_same_moment_count_once() {
        let c = std::sync::Arc::new(ReadCounter::new(1800));
        let counted: usize = std::thread::scope(|s| {
            let views: Vec<_> = (0..8)
                .map(|_| {
                    let c = std::sync::Arc::clone(&c);
                    s.spawn(move || (0..500).filter(|_| c.record(3, 9, CHROME, 100)).count())
                })
                .collect();
            views.into_iter().map(|v| v.join().unwrap_or(0)).sum()
        });
        assert_eq!(counted, 1);
        assert_eq!(c.take_pending(), vec![(3, 1)]);
    }

    #[test]
    fn bots_are_not_counted() {
        let c = ReadCounter::new(1800);
        for ua in [
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
            "Sogou web spider/4.0",
            "curl/8.5.0",
            "",
            // Markers in any case: a crawler that capitalises its name is still a crawler.
            "Mozilla/5.0 (compatible; YandexBot/3.0)",
            "Python-Requests/2.31",
            "   ",
        ] {
            assert!(!c.record(1, 1, ua, 0), "{ua}");
        }
        assert!(c.take_pending().is_empty());
        // A bot's views leave no mark: the same visitor in a browser counts, once.
        assert!(c.record(1, 1, CHROME, 0));
        assert!(!c.record(1, 1, "curl/8.5.0", 1));
        assert!(!c.record(1, 1, CHROME, 2));
        assert_eq!(c.take_pending(), vec![(1, 1)]);
    }

    #[test]
    fn failed_batches_come_back() {
        let c = ReadCounter::new(1800);
        c.record(5, 1, CHROME, 0);
        let batch = c.take_pending();
        c.restore(&batch);
        assert_eq!(c.take_pending(), vec![(5, 1)]);
    }
}
