//! Creators (号主): the people and organisations who publish. Until accounts exist (a later
//! issue) creators are made by the importer, the demo and `haowen admin`.

use serde::{Deserialize, Serialize};

/// A creator as stored, with the counts shown on the author card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Creator {
    pub id: i64,
    /// URL segment: `/creator/{slug}`.
    pub slug: String,
    pub name: String,
    /// Avatar image URL (site-relative or absolute); empty means the generated default.
    pub avatar_url: String,
    /// One-line bio.
    pub bio: String,
    /// 关注度: number of followers.
    pub followers: i64,
    /// 文章数: number of published articles.
    pub article_count: i64,
    /// Unix seconds, UTC.
    pub created_at: i64,
}

/// What it takes to create a creator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCreator {
    pub slug: String,
    pub name: String,
    pub avatar_url: String,
    pub bio: String,
}

/// A stable URL slug for a creator name: ASCII letters and digits are kept (lower-cased),
/// anything else makes the slug a short hash, so Chinese names get `u` + 10 hex digits.
pub fn slug_for_name(name: &str) -> String {
    let ascii: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if !ascii.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-')
    {
        return ascii;
    }
    // FNV-1a: stable across runs and platforms, unlike std's RandomState.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("u{:010x}", h & 0xff_ffff_ffff)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_stable_and_url_safe() {
        assert_eq!(slug_for_name("Tech Daily"), "techdaily");
        let s = slug_for_name("新浪新闻 (THUCNews)");
        assert_eq!(s, slug_for_name("新浪新闻 (THUCNews)"));
        assert!(s.starts_with('u') && s.len() == 11, "{s}");
        assert_ne!(s, slug_for_name("搜狐"));
    }
}
