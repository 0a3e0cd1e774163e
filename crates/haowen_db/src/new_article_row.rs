//! A new article as a row of `articles`: the columns an insert writes and the values bound for
//! them — the Markdown rendered to sanitised HTML, the plain-text lead, the cover and the tags
//! derived from what was written. One place for the single insert and the import's multi-row
//! one.

use haowen_core::{NewArticle, article::summarize, markdown};

/// Length of the stored plain-text lead.
pub(crate) const SUMMARY_CHARS: usize = 120;

/// The columns an insert writes, in the order [`bind_new`] binds them.
pub(crate) const INSERT_COLUMNS: &str = "external_id, creator_id, channel_id, title, body_md, \
     body_html, summary, declaration_kind, declaration_source, cover_url, tags, status, \
     published_at, created_at, updated_at, declaration_link";
/// Values an insert binds per article.
pub(crate) const INSERT_VALUES: usize = 16;

/// Binds one article's [`INSERT_COLUMNS`]: the Markdown rendered to sanitised HTML, the lead,
/// the cover and the tags derived from it.
pub(crate) fn bind_new<'q, O>(
    q: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments>,
    new: &'q NewArticle,
    now: i64,
) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments> {
    let html = markdown::render(&new.body_md);
    let summary = summarize(&html, SUMMARY_CHARS);
    let cover = cover_for(new, &html);
    q.bind(new.external_id.as_deref())
        .bind(new.creator_id)
        .bind(new.channel_id)
        .bind(new.title.as_str())
        .bind(new.body_md.as_str())
        .bind(html)
        .bind(summary)
        .bind(new.declaration.kind())
        .bind(new.declaration.source())
        .bind(cover)
        .bind(tags_json(&new.tags))
        .bind(new.status.as_str())
        .bind(new.published_at)
        .bind(now)
        .bind(now)
        .bind(new.declaration.link())
}

/// The cover to store: the one picked, else the body's first image of this site (so lists
/// show a picture for every article that has one).
pub(crate) fn cover_for(new: &NewArticle, html: &str) -> Option<String> {
    new.cover_url
        .clone()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| markdown::first_image(html))
}

pub(crate) fn tags_json(tags: &[String]) -> String {
    serde_json::to_string(tags).unwrap_or_else(|_| "[]".to_string())
}
