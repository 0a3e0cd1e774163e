//! Row → domain type mapping, shared by the query modules. Columns are read by name so the
//! SELECT lists below and these readers cannot drift apart silently.

use haowen_core::{Article, ArticleStatus, ArticleSummary, Channel, Creator, Declaration};
use sqlx::{Row, any::AnyRow};

use crate::StoreError;

/// Columns of [`summary`], for `SELECT … FROM articles a JOIN creators c ON c.id = a.creator_id`.
macro_rules! summary_columns {
    () => {
        "a.id, a.title, a.summary, a.cover_url, a.channel_id, a.creator_id, c.name AS creator_name, \
         c.slug AS creator_slug, a.published_at, a.reads, a.comments, a.shares"
    };
}
pub(crate) use summary_columns;

/// Sanitised `html` without an entity cut short at its end (`…&am`), as the opening of a body
/// read out with `substr` may have (a bare `&` is always written `&amp;` in stored HTML).
pub(crate) fn without_cut_entity(html: &str) -> &str {
    match html.rfind('&') {
        Some(at) if html.len() - at <= 12 && !html[at..].contains(';') => &html[..at],
        _ => html,
    }
}

pub(crate) const ARTICLE_COLUMNS: &str = "id, external_id, creator_id, channel_id, title, body_md, \
    body_html, summary, declaration_kind, declaration_source, declaration_link, cover_url, tags, status, \
    published_at, updated_at, reads, comments, shares";

pub(crate) const CREATOR_COLUMNS: &str = "c.id, c.slug, c.name, c.avatar_url, c.bio, c.followers, \
    c.created_at, (SELECT COUNT(*) FROM articles a WHERE a.creator_id = c.id AND a.status = 'published') AS article_count";

pub(crate) fn summary(row: &AnyRow) -> Result<ArticleSummary, StoreError> {
    Ok(ArticleSummary {
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        summary: row.try_get("summary")?,
        cover_url: row.try_get("cover_url")?,
        channel_id: row.try_get("channel_id")?,
        creator_id: row.try_get("creator_id")?,
        creator_name: row.try_get("creator_name")?,
        creator_slug: row.try_get("creator_slug")?,
        published_at: row.try_get("published_at")?,
        reads: row.try_get("reads")?,
        comments: row.try_get("comments")?,
        shares: row.try_get("shares")?,
    })
}

pub(crate) fn article(row: &AnyRow) -> Result<Article, StoreError> {
    let kind: String = row.try_get("declaration_kind")?;
    let source: Option<String> = row.try_get("declaration_source")?;
    let link: Option<String> = row.try_get("declaration_link")?;
    let status: String = row.try_get("status")?;
    let tags: String = row.try_get("tags")?;
    Ok(Article {
        id: row.try_get("id")?,
        external_id: row.try_get("external_id")?,
        creator_id: row.try_get("creator_id")?,
        channel_id: row.try_get("channel_id")?,
        title: row.try_get("title")?,
        body_md: row.try_get("body_md")?,
        body_html: row.try_get("body_html")?,
        summary: row.try_get("summary")?,
        declaration: Declaration::from_parts(&kind, source, link).map_err(StoreError::Corrupt)?,
        cover_url: row.try_get("cover_url")?,
        tags: serde_json::from_str(&tags).map_err(|e| StoreError::Corrupt(format!("tags: {e}")))?,
        status: ArticleStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("status {status:?}")))?,
        published_at: row.try_get("published_at")?,
        updated_at: row.try_get("updated_at")?,
        reads: row.try_get("reads")?,
        comments: row.try_get("comments")?,
        shares: row.try_get("shares")?,
    })
}

pub(crate) fn creator(row: &AnyRow) -> Result<Creator, StoreError> {
    Ok(Creator {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        name: row.try_get("name")?,
        avatar_url: row.try_get("avatar_url")?,
        bio: row.try_get("bio")?,
        followers: row.try_get("followers")?,
        article_count: row.try_get("article_count")?,
        created_at: row.try_get("created_at")?,
    })
}

pub(crate) fn channel(row: &AnyRow) -> Result<Channel, StoreError> {
    Ok(Channel {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        name: row.try_get("name")?,
        position: row.try_get("position")?,
        hidden: row.try_get::<i64, _>("hidden")? != 0,
    })
}

/// What the hot ranking reads of an article: id, creator, channel, published_at, reads,
/// comments, shares, follows gained (in that order).
pub(crate) type SignalRow = (i64, i64, i64, i64, i64, i64, i64, i64);

pub(crate) fn signals(
    (id, creator_id, channel_id, published_at, reads, comments, shares, follows): SignalRow,
) -> haowen_core::hot::Signals {
    haowen_core::hot::Signals {
        id,
        creator_id,
        channel_id,
        published_at,
        reads,
        comments,
        shares,
        follows,
    }
}

#[cfg(test)]
mod tests {
    use super::without_cut_entity;

    #[test]
    fn an_entity_cut_at_the_end_goes_and_nothing_else_does() {
        assert_eq!(without_cut_entity("<p>甲&amp;乙&am"), "<p>甲&amp;乙");
        assert_eq!(without_cut_entity("<p>甲&#3"), "<p>甲");
        assert_eq!(without_cut_entity("<p>甲&amp;乙</p>"), "<p>甲&amp;乙</p>");
        assert_eq!(without_cut_entity("<p>甲&amp;"), "<p>甲&amp;");
        assert_eq!(without_cut_entity("<p>甲乙"), "<p>甲乙");
    }
}
