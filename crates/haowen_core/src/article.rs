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

/// The plain-text lead of a rendered body: the first `max_chars` characters of its text.
pub fn summarize(body_html: &str, max_chars: usize) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    let mut last_space = true;
    for c in body_html.chars() {
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
    let text = crate::markdown::unescape_basic(&out);
    let trimmed = text.trim();
    if trimmed.chars().count() <= max_chars {
        return trimmed.to_string();
    }
    let mut s: String = trimmed.chars().take(max_chars).collect();
    s.push('…');
    s
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
