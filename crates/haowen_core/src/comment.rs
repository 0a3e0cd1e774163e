//! 跟贴 (comments) and 举报 (reports): the types and the rules that need no database.
//!
//! A comment is plain text. It is never rendered as HTML: templates escape it, and links stay
//! text. A reply quotes the comment it answers together with the floors that one quoted
//! (NetEase's 盖楼); the chain is kept as ids, at most [`MAX_CHAIN`] deep.

/// Longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 1000;
/// Floors quoted above a reply.
pub const MAX_CHAIN: usize = 8;
/// Pinned (精选) comments per article.
pub const MAX_PINNED: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentStatus {
    Published,
    /// Matched a sensitive word: only its author (and editors) see it until an editor decides.
    Held,
    /// Removed by an editor.
    Removed,
    /// Deleted by its author.
    Deleted,
}

impl CommentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CommentStatus::Published => "published",
            CommentStatus::Held => "held",
            CommentStatus::Removed => "removed",
            CommentStatus::Deleted => "deleted",
        }
    }

    pub fn parse(s: &str) -> Option<CommentStatus> {
        Some(match s {
            "published" => CommentStatus::Published,
            "held" => CommentStatus::Held,
            "removed" => CommentStatus::Removed,
            "deleted" => CommentStatus::Deleted,
            _ => return None,
        })
    }
}

/// A stored comment with its author's name.
#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    pub id: i64,
    pub article_id: i64,
    pub user_id: i64,
    pub author: String,
    pub parent_id: Option<i64>,
    /// Quoted floors, oldest first.
    pub chain: Vec<i64>,
    pub body: String,
    pub status: CommentStatus,
    pub likes: i64,
    pub replies: i64,
    pub pinned_at: Option<i64>,
    pub reason: String,
    pub created_at: i64,
}

impl Comment {
    /// Hot order for comments: likes and replies, decayed by age (a gentler gravity than the
    /// article ranking, since a discussion lives longer than a news cycle).
    pub fn hot_score(&self, now: i64) -> f64 {
        let age_hours = (now - self.created_at).max(0) as f64 / 3600.0;
        (self.likes.max(0) as f64 + 2.0 * self.replies.max(0) as f64 + 1.0)
            / (age_hours + 2.0).powf(1.2)
    }
}

/// Sorts comments hot first (ties: newer, then higher id).
pub fn sort_hot(comments: &mut [Comment], now: i64) {
    comments.sort_by(|a, b| {
        b.hot_score(now)
            .total_cmp(&a.hot_score(now))
            .then(b.created_at.cmp(&a.created_at))
            .then(b.id.cmp(&a.id))
    });
}

/// The chain a reply to `parent` carries: the parent's chain plus the parent, last [`MAX_CHAIN`].
pub fn chain_for_reply(parent_chain: &[i64], parent_id: i64) -> Vec<i64> {
    let mut chain: Vec<i64> = parent_chain.to_vec();
    chain.push(parent_id);
    let skip = chain.len().saturating_sub(MAX_CHAIN);
    chain.split_off(skip)
}

/// A comment body, trimmed and checked. Control characters other than line breaks are dropped.
pub fn body(raw: &str) -> Result<String, String> {
    // Direction overrides go (they make text read backwards); zero-width characters stay
    // inside words (emoji sequences need the joiner), but a comment of nothing else is empty.
    if !crate::invisible::has_visible(raw) {
        return Err("跟贴内容不能为空（只有空白或看不见的字符）。".into());
    }
    let text: String = raw
        .trim()
        .chars()
        .filter(|c| (*c == '\n' || !c.is_control()) && !crate::invisible::is_bidi_control(*c))
        .collect();
    // Runs of blank lines collapse to one.
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line.trim_end());
    }
    let n = out.chars().count();
    if n == 0 {
        return Err("跟贴内容不能为空。".into());
    }
    if n > MAX_COMMENT_CHARS {
        return Err(format!(
            "跟贴有 {n} 个字，最多 {MAX_COMMENT_CHARS} 个字，请删减后再发。"
        ));
    }
    Ok(out)
}

/// The kinds of 举报.
pub const REPORT_KINDS: &[(&str, &str)] = &[
    ("infringement", "侵权/抄袭"),
    ("false", "虚假信息"),
    ("vulgar", "色情低俗"),
    ("illegal", "违法违规"),
    ("abuse", "人身攻击"),
    ("ads", "广告营销"),
    ("unlabelled_ai", "未标注AI"),
    ("other", "其他"),
];

/// The label of a report kind, or `None` for an unknown one.
pub fn report_kind_label(kind: &str) -> Option<&'static str> {
    REPORT_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, label)| *label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_rules() {
        assert_eq!(body("  好文章  ").ok().as_deref(), Some("好文章"));
        assert!(body("   ").is_err());
        assert!(body(&"字".repeat(MAX_COMMENT_CHARS + 1)).is_err());
        assert!(body(&"字".repeat(MAX_COMMENT_CHARS)).is_ok());
        assert_eq!(
            body("第一段\n\n\n\n第二段\u{7}").ok().as_deref(),
            Some("第一段\n\n第二段")
        );
        // HTML is kept as the text it is; templates escape it.
        assert_eq!(
            body("<script>alert(1)</script>").ok().as_deref(),
            Some("<script>alert(1)</script>")
        );
    }

    #[test]
    fn chains_keep_the_last_floors() {
        assert_eq!(chain_for_reply(&[], 5), vec![5]);
        assert_eq!(chain_for_reply(&[1, 2], 3), vec![1, 2, 3]);
        let long: Vec<i64> = (1..=8).collect();
        assert_eq!(chain_for_reply(&long, 9), (2..=9).collect::<Vec<_>>());
    }

    #[test]
    fn hot_comments_weigh_likes_replies_and_age() {
        let c = |id, likes, replies, age: i64| Comment {
            id,
            article_id: 1,
            user_id: 1,
            author: String::new(),
            parent_id: None,
            chain: vec![],
            body: String::new(),
            status: CommentStatus::Published,
            likes,
            replies,
            pinned_at: None,
            reason: String::new(),
            created_at: 100_000 - age,
        };
        let mut list = vec![
            c(1, 0, 0, 60),
            c(2, 10, 0, 3600),
            c(3, 0, 6, 3600),
            c(4, 0, 0, 60),
        ];
        sort_hot(&mut list, 100_000);
        let ids: Vec<i64> = list.iter().map(|c| c.id).collect();
        assert_eq!(ids, vec![3, 2, 4, 1]);
    }

    #[test]
    fn report_kinds_have_labels() {
        assert_eq!(report_kind_label("unlabelled_ai"), Some("未标注AI"));
        assert_eq!(report_kind_label("nope"), None);
        assert_eq!(REPORT_KINDS.len(), 8);
    }
}
