//! The hot ranking (热点推荐): engagement decayed by age, with a per-creator cap.
//!
//! ```text
//! engagement = 1·reads + 5·comments + 10·shares + 20·follows gained     (all unique, see below)
//! score      = (engagement + 1) / (age_hours + 2) ^ 1.8
//! ```
//!
//! The references are Hacker News (`(votes − 1) / (hours + 2)^1.8`) and Lemmy
//! (`log10(max(2, score + 2)) / (hours + 2)^1.8`). What this changes, and why, is written up in
//! `docs/ARCHITECTURE.md` ("The hot ranking"); in short: four signals weighted by how rare and
//! deliberate each act is; inputs that are already one-per-person (reads once per visitor per
//! 30 min, shares once per visitor per day, comments that passed moderation, follows once per
//! person), so the ranking can stay linear in engagement instead of Lemmy's log, which lets a
//! brand-new piece nobody read outrank this morning's most-read story; no creator takes more
//! than [`CREATOR_CAP`] of the top [`CAP_WINDOW`]; a future-dated item never ranks; ties go to
//! the newer piece, then the higher id, so the order is total and tests are deterministic.
//!
//! Every function takes the time as an argument (the injected clock): nothing here reads the
//! system clock.

use std::collections::HashMap;

/// Weights of the four signals.
pub const READ_WEIGHT: f64 = 1.0;
pub const COMMENT_WEIGHT: f64 = 5.0;
pub const SHARE_WEIGHT: f64 = 10.0;
pub const FOLLOW_WEIGHT: f64 = 20.0;
/// Hours added to an article's age, so a brand-new piece does not divide by ~0.
pub const AGE_OFFSET_HOURS: f64 = 2.0;
/// How fast attention decays (Hacker News's and Lemmy's 1.8).
pub const GRAVITY: f64 = 1.8;
/// No creator takes more than this many places …
pub const CREATOR_CAP: usize = 2;
/// … of the top this many.
pub const CAP_WINDOW: usize = 10;

/// What the ranking knows about one article: its counters and the facts the cap needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Signals {
    pub id: i64,
    pub creator_id: i64,
    pub channel_id: i64,
    /// Unix seconds.
    pub published_at: i64,
    pub reads: i64,
    pub comments: i64,
    pub shares: i64,
    /// Follows of the creator made from this article's page.
    pub follows: i64,
}

/// One engagement event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engagement {
    Read,
    Comment,
    Share,
    Follow,
}

impl Signals {
    /// Counts one event.
    pub fn add(&mut self, event: Engagement) {
        match event {
            Engagement::Read => self.reads += 1,
            Engagement::Comment => self.comments += 1,
            Engagement::Share => self.shares += 1,
            Engagement::Follow => self.follows += 1,
        }
    }

    /// The weighted engagement (negative counters count as 0).
    pub fn engagement(&self) -> f64 {
        READ_WEIGHT * self.reads.max(0) as f64
            + COMMENT_WEIGHT * self.comments.max(0) as f64
            + SHARE_WEIGHT * self.shares.max(0) as f64
            + FOLLOW_WEIGHT * self.follows.max(0) as f64
    }

    /// Hot score at `now` (unix seconds); `None` for an item dated in the future.
    pub fn score(&self, now: i64) -> Option<f64> {
        if self.published_at > now {
            return None;
        }
        let age_hours = (now - self.published_at) as f64 / 3600.0;
        Some((self.engagement() + 1.0) / (age_hours + AGE_OFFSET_HOURS).powf(GRAVITY))
    }
}

/// Best first: higher score, then newer, then higher id.
fn better(a: &(f64, &Signals), b: &(f64, &Signals)) -> std::cmp::Ordering {
    b.0.total_cmp(&a.0)
        .then(b.1.published_at.cmp(&a.1.published_at))
        .then(b.1.id.cmp(&a.1.id))
}

/// The ids of the `limit` hottest items at `now`, best first, with no creator holding more than
/// [`CREATOR_CAP`] of the first [`CAP_WINDOW`] places while others can take them (places the
/// cap leaves empty are filled by held-back items, best first).
pub fn rank<'a>(items: impl IntoIterator<Item = &'a Signals>, now: i64, limit: usize) -> Vec<i64> {
    let mut scored: Vec<(f64, &Signals)> = items
        .into_iter()
        .filter_map(|s| s.score(now).map(|score| (score, s)))
        .collect();
    if limit == 0 || scored.is_empty() {
        return Vec::new();
    }
    // Sorting everything is wasteful at a million items: select a head that is big enough for
    // the cap to work within, sort only that, and widen it in the rare case the cap needs more.
    let mut head = (limit + CAP_WINDOW * 4).min(scored.len());
    loop {
        if head < scored.len() {
            scored.select_nth_unstable_by(head, better);
        }
        let mut top: Vec<(f64, &Signals)> = scored[..head].to_vec();
        top.sort_by(better);
        let picked = pick_with_cap(&top, limit);
        if picked.len() >= limit || head == scored.len() {
            return picked;
        }
        head = (head * 4).min(scored.len());
    }
}

/// Walks a sorted list and fills the places, holding back a creator's third item within the
/// capped window; held-back items then fill the places left (best first), then the rest — so a
/// site with one creator still gets a full list.
fn pick_with_cap(sorted: &[(f64, &Signals)], limit: usize) -> Vec<i64> {
    let window = CAP_WINDOW.min(limit);
    let mut out = Vec::with_capacity(limit);
    let mut held_back = Vec::new();
    let mut per_creator: HashMap<i64, usize> = HashMap::new();
    let mut rest = sorted.len();
    for (i, (_, s)) in sorted.iter().enumerate() {
        if out.len() >= window {
            rest = i;
            break;
        }
        let n = per_creator.entry(s.creator_id).or_insert(0);
        if *n >= CREATOR_CAP {
            held_back.push(s.id);
        } else {
            *n += 1;
            out.push(s.id);
        }
    }
    // The places the cap left: held-back items first (better than all that follow), then the
    // rest in order. With few creators the window never fills, and they fill it.
    let room = limit.saturating_sub(out.len());
    out.extend(
        held_back
            .into_iter()
            .chain(sorted[rest..].iter().map(|(_, s)| s.id))
            .take(room),
    );
    out
}

/// The hot list of every channel, `limit` each, keyed by channel id.
pub fn rank_by_channel(items: &[Signals], now: i64, limit: usize) -> HashMap<i64, Vec<i64>> {
    let mut groups: HashMap<i64, Vec<&Signals>> = HashMap::new();
    for s in items {
        groups.entry(s.channel_id).or_default().push(s);
    }
    groups
        .into_iter()
        .map(|(channel, members)| (channel, rank(members, now, limit)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;
    const HOUR: i64 = 3600;

    fn item(id: i64, creator_id: i64, reads: i64, age_secs: i64) -> Signals {
        Signals {
            id,
            creator_id,
            channel_id: 1,
            published_at: NOW - age_secs,
            reads,
            comments: 0,
            shares: 0,
            follows: 0,
        }
    }

    #[test]
    fn decay_lets_a_much_read_older_piece_beat_an_unread_fresh_one_but_not_forever() {
        let old_hit = item(1, 1, 5000, 24 * HOUR);
        let fresh = item(2, 2, 0, 10 * 60);
        assert_eq!(rank([&old_hit, &fresh], NOW, 10), vec![1, 2]);
        // A week later the same counts have decayed below a fresh piece with modest reads.
        let week_old = item(1, 1, 5000, 7 * 24 * HOUR);
        let modest = item(2, 2, 50, HOUR);
        assert_eq!(rank([&week_old, &modest], NOW, 10), vec![2, 1]);
        // Score halves and more as age grows, for the same engagement.
        let s = |age| item(9, 9, 100, age).score(NOW).unwrap_or_default();
        assert!(s(HOUR) > s(2 * HOUR) && s(2 * HOUR) > s(10 * HOUR) && s(10 * HOUR) > 0.0);
    }

    #[test]
    fn every_signal_counts_with_its_weight() {
        let base = item(1, 1, 10, HOUR);
        let mut commented = base;
        commented.comments = 1;
        let mut shared = base;
        shared.shares = 1;
        let mut followed = base;
        followed.follows = 1;
        let sc = |s: &Signals| s.score(NOW).unwrap_or_default();
        assert!(sc(&commented) > sc(&base));
        assert!(sc(&shared) > sc(&commented));
        assert!(sc(&followed) > sc(&shared));
        assert_eq!(followed.engagement(), 10.0 + FOLLOW_WEIGHT);
        let mut counted = base;
        counted.add(Engagement::Share);
        assert_eq!(counted, shared);
    }

    #[test]
    fn no_creator_takes_more_than_two_of_the_top_ten() {
        // Creator 1 has the six hottest pieces; eight other creators have one each.
        let mut items: Vec<Signals> = (1..=6).map(|i| item(i, 1, 10_000 - i, HOUR)).collect();
        items.extend((7..=14).map(|i| item(i, i, 100 - i, HOUR)));
        let ranked = rank(&items, NOW, 15);
        assert_eq!(&ranked[..2], &[1, 2]);
        let top10 = &ranked[..10];
        assert_eq!(
            top10
                .iter()
                .filter(|id| items.iter().any(|s| s.id == **id && s.creator_id == 1))
                .count(),
            2
        );
        // The held-back pieces come after the window, best first.
        assert_eq!(&ranked[10..14], &[3, 4, 5, 6]);
        assert_eq!(ranked.len(), 14);
    }

    #[test]
    fn a_single_creator_site_still_gets_a_list() {
        let items: Vec<Signals> = (1..=5).map(|i| item(i, 1, 100 - i, HOUR)).collect();
        // The cap holds back the third and later, and with no one else to take their places
        // they fill them, best first: a one-creator site gets a full list.
        assert_eq!(rank(&items, NOW, 10), vec![1, 2, 3, 4, 5]);
        // With a second creator, theirs come before the held-back ones.
        let mut two = items.clone();
        two.push(item(6, 2, 1, HOUR));
        assert_eq!(rank(&two, NOW, 4), vec![1, 2, 6, 3]);
    }

    #[test]
    fn future_dated_items_never_rank() {
        let future = item(1, 1, 1_000_000, -60);
        let present = item(2, 2, 0, 0);
        assert_eq!(future.score(NOW), None);
        assert_eq!(rank([&future, &present], NOW, 10), vec![2]);
        // …until their time comes.
        assert_eq!(rank([&future, &present], NOW + 60, 10)[0], 1);
    }

    #[test]
    fn ties_go_to_the_newer_then_the_higher_id() {
        let a = item(1, 1, 0, HOUR);
        let b = item(2, 2, 0, HOUR);
        let mut c = item(3, 3, 0, HOUR);
        c.published_at += 1; // a second newer, and with a slightly better score as well
        assert_eq!(rank([&a, &b, &c], NOW, 10), vec![3, 2, 1]);
        // Exactly equal scores and times: the higher id first, whatever the input order.
        assert_eq!(rank([&b, &a], NOW, 10), vec![2, 1]);
        assert_eq!(rank([&a, &b], NOW, 10), vec![2, 1]);
    }

    #[test]
    fn large_inputs_take_the_same_order_as_a_full_sort() {
        let items: Vec<Signals> = (1..=5000)
            .map(|i| item(i, i % 7, (i * 7919) % 1000, (i * 104_729) % (48 * HOUR)))
            .collect();
        let ranked = rank(&items, NOW, 20);
        let mut all: Vec<(f64, &Signals)> = items
            .iter()
            .map(|s| (s.score(NOW).unwrap_or_default(), s))
            .collect();
        all.sort_by(better);
        assert_eq!(ranked, pick_with_cap(&all, 20));
        assert_eq!(ranked.len(), 20);
    }

    #[test]
    fn channels_rank_separately() {
        let mut a = item(1, 1, 10, HOUR);
        a.channel_id = 5;
        let b = item(2, 2, 10, HOUR);
        let by_channel = rank_by_channel(&[a, b], NOW, 10);
        assert_eq!(by_channel.get(&5), Some(&vec![1]));
        assert_eq!(by_channel.get(&1), Some(&vec![2]));
    }
}
