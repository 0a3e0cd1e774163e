//! Articles: what creators publish and readers read.

use serde::{Deserialize, Serialize};

use crate::Declaration;

/// Where an article is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArticleStatus {
    Draft,
    Published,
    /// Taken down by an editor: its page answers 410 and it leaves every list.
    TakenDown,
    /// Deleted by its creator (kept for the audit trail, shown nowhere).
    Deleted,
}

impl ArticleStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ArticleStatus::Draft => "draft",
            ArticleStatus::Published => "published",
            ArticleStatus::TakenDown => "taken_down",
            ArticleStatus::Deleted => "deleted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "draft" => Some(ArticleStatus::Draft),
            "published" => Some(ArticleStatus::Published),
            "taken_down" => Some(ArticleStatus::TakenDown),
            "deleted" => Some(ArticleStatus::Deleted),
            _ => None,
        }
    }
}

/// A full article as stored, with its counters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    pub id: i64,
    /// The id it had in the source it was imported from (idempotent import key).
    pub external_id: Option<String>,
    pub creator_id: i64,
    pub channel_id: i64,
    pub title: String,
    /// The Markdown the creator wrote.
    pub body_md: String,
    /// The sanitized HTML rendered from `body_md` when it was saved.
    pub body_html: String,
    /// Plain-text lead, for lists and metadata.
    pub summary: String,
    pub declaration: Declaration,
    pub cover_url: Option<String>,
    pub tags: Vec<String>,
    pub status: ArticleStatus,
    /// Unix seconds, UTC.
    pub published_at: i64,
    pub updated_at: i64,
    pub reads: i64,
    pub comments: i64,
    pub shares: i64,
}

/// One line in an article list: enough for title · source · time, and a thumbnail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleSummary {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub cover_url: Option<String>,
    pub channel_id: i64,
    pub creator_id: i64,
    pub creator_name: String,
    pub creator_slug: String,
    pub published_at: i64,
    pub reads: i64,
    pub comments: i64,
    pub shares: i64,
}

/// What it takes to create (or, by `external_id`, update) an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewArticle {
    pub external_id: Option<String>,
    pub creator_id: i64,
    pub channel_id: i64,
    pub title: String,
    pub body_md: String,
    pub declaration: Declaration,
    pub cover_url: Option<String>,
    pub tags: Vec<String>,
    pub status: ArticleStatus,
    pub published_at: i64,
}

/// Characters gathered past a summary's length before looking whether that was enough.
const BUDGET_MARGIN: usize = 64;

/// The plain-text lead of a rendered body: the first `max_chars` characters of its text.
pub fn summarize(body_html: &str, max_chars: usize) -> String {
    // Bodies run far past a summary (search asks for 3,000 characters of each result): the
    // text is gathered only somewhat past `max_chars` (entities shrink when unescaped, and the
    // last one may be cut, hence the margins), and in full only when that fell short.
    let budget = max_chars.saturating_add(BUDGET_MARGIN);
    let (lead, cut) = plain_text(body_html, budget);
    let mut text = crate::markdown::unescape_basic(&lead);
    if cut && text.trim().chars().count() <= max_chars.saturating_add(8) {
        text = crate::markdown::unescape_basic(&plain_text(body_html, usize::MAX).0);
    }
    let trimmed = text.trim();
    if trimmed.chars().count() <= max_chars {
        return trimmed.to_string();
    }
    let mut s: String = trimmed.chars().take(max_chars).collect();
    s.push('…');
    s
}

/// The text of `html`, tags dropped and white space collapsed, up to `budget` characters; and
/// whether it stopped there before the end. Plain text is copied a run at a time.
fn plain_text(html: &str, budget: usize) -> (String, bool) {
    let mut out = String::with_capacity(html.len().min(budget.saturating_mul(3)));
    let mut count = 0;
    let mut in_tag = false;
    let mut last_space = true;
    let mut run: Option<usize> = None;
    for (at, c) in html.char_indices() {
        if count >= budget {
            out.push_str(&html[run.unwrap_or(at)..at]);
            return (out, true);
        }
        if !in_tag && c != '<' && c != '>' && !c.is_whitespace() {
            run.get_or_insert(at);
            count += 1;
            last_space = false;
            continue;
        }
        if let Some(from) = run.take() {
            out.push_str(&html[from..at]);
        }
        let space = match c {
            '<' => {
                in_tag = true;
                false
            }
            '>' => {
                in_tag = false;
                true
            }
            _ => !in_tag,
        };
        if space && !last_space {
            out.push(' ');
            last_space = true;
            count += 1;
        }
    }
    if let Some(from) = run {
        out.push_str(&html[from..]);
    }
    (out, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_strips_tags_and_truncates() {
        let html = "<h2>小标题</h2><p>第一段&amp;文字。</p><p>第二段</p>";
        assert_eq!(summarize(html, 100), "小标题 第一段&文字。 第二段");
        assert_eq!(summarize(html, 3), "小标题…");
    }

    /// The text gathering as first written, a character at a time.
    fn plain_text_by_char(html: &str) -> String {
        let mut out = String::new();
        let (mut in_tag, mut last_space) = (false, true);
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => {
                    in_tag = false;
                    if !last_space {
                        out.push(' ');
                        last_space = true;
                    }
                }
                _ if in_tag => {}
                c if c.is_whitespace() => {
                    if !last_space {
                        out.push(' ');
                        last_space = true;
                    }
                }
                c => {
                    out.push(c);
                    last_space = false;
                }
            }
        }
        out
    }

    #[test]
    fn text_is_gathered_in_runs_as_it_was_a_character_at_a_time() {
        for html in [
            "",
            "纯文本",
            "<p>一段</p>\n\n<p>两段 有空格\u{3000}全角</p>",
            "a > b < c",
            "<img alt=\"图 片\"><br/>尾",
            "  前后空白  ",
            "<p>&amp;实体&lt;</p><ul><li>一</li><li>二</li></ul>",
            ">>起<<止>",
        ] {
            assert_eq!(
                plain_text(html, usize::MAX),
                (plain_text_by_char(html), false)
            );
            for budget in 0..12 {
                let (lead, cut) = plain_text(html, budget);
                let whole = plain_text_by_char(html);
                assert_eq!(lead.chars().count().min(budget), lead.chars().count());
                assert!(whole.starts_with(&lead), "{html:?} {budget}");
                assert!(cut || lead == whole, "{html:?} {budget}");
            }
        }
    }

    #[test]
    fn long_bodies_are_summarized_as_if_read_in_full() {
        // Entities shrink when unescaped: a lead gathered up to the budget falls short, and
        // the whole body is read instead.
        let entities = format!("<p>{}</p>", "&amp;".repeat(500));
        assert_eq!(summarize(&entities, 100), format!("{}…", "&".repeat(100)));
        // An entity cut at the budget never shows in the summary.
        for pad in 0..8 {
            let html = format!(
                "<p>{}{}</p>",
                "字".repeat(100 + BUDGET_MARGIN + pad),
                "&quot;".repeat(40)
            );
            let full = plain_text(&html, usize::MAX).0;
            let want: String = crate::markdown::unescape_basic(&full)
                .chars()
                .take(100)
                .collect();
            assert_eq!(summarize(&html, 100), format!("{want}…"));
        }
        let long = format!(
            "<p>{}</p><p>{}</p>",
            "第一段文字".repeat(400),
            "第二段".repeat(400)
        );
        let s = summarize(&long, 120);
        assert_eq!(s.chars().count(), 121);
        assert!(s.starts_with("第一段文字第一段") && s.ends_with('…'));
    }

    #[test]
    fn status_round_trips() {
        for s in [
            ArticleStatus::Draft,
            ArticleStatus::Published,
            ArticleStatus::TakenDown,
        ] {
            assert_eq!(ArticleStatus::parse(s.as_str()), Some(s));
        }
    }
}
