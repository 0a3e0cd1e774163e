//! The interim hot ranking (热点推荐): reads decayed by age, so a much-read older piece can
//! still outrank a fresh one nobody read. The full engagement ranking (comments, shares,
//! follows, per-creator caps) replaces this in a later issue; the interface stays.

use crate::ArticleSummary;

/// Hours added to an article's age so brand-new pieces do not divide by ~0.
const AGE_OFFSET_HOURS: f64 = 2.0;
/// How fast attention decays; 1.5 is the Hacker News-style gravity that keeps a day-old hit
/// visible but lets it fall behind a fresh piece with a tenth of its reads within days.
const GRAVITY: f64 = 1.5;

/// Hot score at time `now` (unix seconds). Future-dated items never rank.
pub fn score(reads: i64, published_at: i64, now: i64) -> Option<f64> {
    if published_at > now {
        return None;
    }
    let age_hours = (now - published_at) as f64 / 3600.0;
    Some((reads.max(0) as f64 + 1.0) / (age_hours + AGE_OFFSET_HOURS).powf(GRAVITY))
}

/// Ranks candidates by score, best first, and keeps `limit`.
pub fn rank(mut candidates: Vec<ArticleSummary>, now: i64, limit: usize) -> Vec<ArticleSummary> {
    let mut scored: Vec<(f64, ArticleSummary)> = candidates
        .drain(..)
        .filter_map(|a| score(a.reads, a.published_at, now).map(|s| (s, a)))
        .collect();
    scored.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(b.1.published_at.cmp(&a.1.published_at))
    });
    scored.into_iter().take(limit).map(|(_, a)| a).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: i64, reads: i64, published_at: i64) -> ArticleSummary {
        ArticleSummary {
            id,
            title: format!("t{id}"),
            summary: String::new(),
            cover_url: None,
            channel_id: 1,
            creator_id: 1,
            creator_name: "c".into(),
            creator_slug: "c".into(),
            published_at,
            reads,
            comments: 0,
            shares: 0,
        }
    }

    #[test]
    fn much_read_older_piece_beats_unread_fresh_one() {
        let now = 1_000_000;
        let ranked = rank(
            vec![item(1, 0, now - 600), item(2, 5000, now - 86_400)],
            now,
            10,
        );
        assert_eq!(ranked[0].id, 2);
    }

    #[test]
    fn equal_reads_favour_the_newer() {
        let now = 1_000_000;
        let ranked = rank(
            vec![item(1, 10, now - 86_400), item(2, 10, now - 3600)],
            now,
            10,
        );
        assert_eq!(ranked[0].id, 2);
    }

    #[test]
    fn future_items_never_rank_and_limit_holds() {
        let now = 1_000_000;
        let ranked = rank(
            vec![item(1, 99, now + 60), item(2, 1, now), item(3, 1, now)],
            now,
            1,
        );
        assert_eq!(ranked.len(), 1);
        assert_ne!(ranked[0].id, 1);
    }
}
