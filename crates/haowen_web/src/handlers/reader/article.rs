//! `GET /a/{id}`: the article page, every block of PRODUCT.md's reader page that this
//! release has data for. Served from the page cache; each view is counted as a read (once
//! per visitor per window, bots excluded) without touching the database.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::HeaderMap,
    response::Response,
};
use haowen_core::{Article, ArticleStatus, Creator, time};

use crate::{
    AppState,
    error::AppError,
    handlers::{ClientIp, avatar_url, cached, user_agent},
    ui::Ui,
    visitor::visitor_key,
};
use haowen_app::{
    comment_views::{self, CommentView},
    page_data::{Chrome, ListItem, count},
    snapshot::SiteSnapshot,
};

/// Fewer related articles than this (a new site, an index still being built) are topped up
/// from the hot list.
const RELATED_MIN: usize = 6;
/// 往期回顾 length.
const PAST: usize = 5;

#[derive(Template)]
#[template(path = "pages/article.html")]
struct ArticlePage<'a> {
    chrome: &'a Chrome,
    /// Base URL for absolute links in metadata.
    chrome_public_url: String,
    ui: Ui,
    /// Whether the signed-in viewer follows the creator.
    following: bool,
    page_title: String,
    description: String,
    site: &'a SiteSnapshot,
    article: Article,
    creator: Creator,
    avatar: String,
    time: String,
    iso: String,
    channel_name: String,
    channel_slug: String,
    declaration: String,
    declaration_label: &'static str,
    comments: String,
    shares: String,
    article_count: String,
    followers: String,
    share_url: String,
    disclaimer_zh: String,
    disclaimer_en: String,
    related: Vec<RelatedItem>,
    past: Vec<ListItem>,
    json_ld: String,
    /// 精选 comments, then the hottest few.
    pinned_comments: Vec<CommentView>,
    hot_comments: Vec<CommentView>,
    /// Comments beyond those shown here (on the comments page).
    more_comments: bool,
    /// Where comment actions on this page come back to.
    here: String,
}

/// A 相关推荐 line: the article and why it is here.
struct RelatedItem {
    item: ListItem,
    reason: String,
}

/// The recommender's list; a thin one is topped up from the hot list so readers always get a
/// handful. Never the article itself.
fn related_with_top_up(
    mut related: Vec<RelatedItem>,
    hot: &[ListItem],
    id: i64,
) -> Vec<RelatedItem> {
    for item in hot {
        if related.len() >= RELATED_MIN {
            break;
        }
        if item.id != id && !related.iter().any(|r| r.item.id == item.id) {
            related.push(RelatedItem {
                item: item.clone(),
                reason: "热点推荐".into(),
            });
        }
    }
    related
}

pub async fn show(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
    ClientIp(ip): ClientIp,
    ui: Ui,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let id = crate::handlers::extract::article_id(&raw_id)?;
    let st = state.clone();
    let page_ui = ui.clone();
    let response = match super::personal::spliced(&state, &ui, id).await? {
        Some(response) => response,
        None => {
            cached(&state, &ui, format!("/a/{id}"), &headers, |site| {
                render(page_ui, st, site, id, None)
            })
            .await?
        }
    };
    state.reads.record(
        id,
        visitor_key(&headers, ip),
        user_agent(&headers),
        time::now(),
    );
    Ok(response)
}

/// Renders the article page for `ui`'s viewer; `following` (the follow button's state) is
/// looked up unless given.
pub(super) async fn render(
    ui: Ui,
    state: AppState,
    site: std::sync::Arc<SiteSnapshot>,
    id: i64,
    following: Option<bool>,
) -> Result<String, AppError> {
    let store = &state.db;
    let article = store.article(id).await?;
    let now = time::now();
    match article.status {
        ArticleStatus::Published if article.published_at <= now => {}
        ArticleStatus::TakenDown => {
            return Err(AppError::Gone(
                crate::handlers::reader::comments::takedown_notice(store, id).await,
            ));
        }
        _ => return Err(AppError::NotFound),
    }
    let creator = store.creator(article.creator_id).await?;
    let channel = site.channel_by_id(article.channel_id).cloned();
    let (channel_name, channel_slug) = channel.map(|c| (c.name, c.slug)).unwrap_or_default();

    let entries = match state.related(&article, &site.channels).await {
        Ok(list) => list,
        Err(e) => {
            // The page still works without recommendations (the hot list tops it up).
            tracing::warn!(error = %e, id, "related articles unavailable");
            Default::default()
        }
    };
    let ids: Vec<i64> = entries.iter().map(|e| e.id).collect();
    let related: Vec<RelatedItem> = ListItem::many(&store.summaries(&ids, now).await?, site.zone)
        .into_iter()
        .filter(|item| item.id != id)
        .filter_map(|item| {
            let reason = entries.iter().find(|e| e.id == item.id)?.reason.clone();
            Some(RelatedItem { item, reason })
        })
        .collect();
    let past = store
        .creator_articles(creator.id, now, 0, PAST as i64 + 1)
        .await?
        .items;
    let past: Vec<_> = past.into_iter().filter(|a| a.id != id).take(PAST).collect();

    let share_url = format!("{}/a/{id}", state.config.public_url);
    let json_ld = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": (!time::is_undated(article.published_at))
            .then(|| time::rfc3339(article.published_at)),
        // An undated import's "modified" would be the import minute: neither is claimed.
        "dateModified": (!time::is_undated(article.published_at))
            .then(|| time::rfc3339(article.updated_at)),
        "author": { "@type": "Person", "name": creator.name, "url": format!("{}/creator/{}", state.config.public_url, creator.slug) },
        "publisher": { "@type": "Organization", "name": site.chrome.site_name },
        "mainEntityOfPage": share_url,
        "description": article.summary,
        // The creator's declaration travels with the page: original, reprint (with its
        // source) or an AI label, as China's labelling rules require.
        "creditText": article.declaration.display_text(),
        "isBasedOn": article.declaration.link(),
        "keywords": article.tags.join(","),
    })
    .to_string()
    // A title containing "</script>" must not end the JSON-LD block early.
    .replace("</", "<\\/");

    let following = match (following, &ui.viewer) {
        (Some(known), _) => known,
        (None, Some(v)) => store.is_following(v.user.id, creator.id).await?,
        (None, None) => false,
    };
    let comment_list = comment_views::load(
        store,
        id,
        article.creator_id,
        ui.viewer.as_ref(),
        true,
        site.zone,
        (
            0..comment_views::ON_ARTICLE_PAGE,
            comment_views::Count::BeyondShown,
        ),
    )
    .await?;
    let more_comments = comment_list.total > comment_views::ON_ARTICLE_PAGE;
    let hot_comments: Vec<CommentView> = comment_list.rest;
    let view = ArticlePage {
        pinned_comments: comment_list.pinned,
        hot_comments,
        more_comments,
        here: format!("/a/{id}"),
        chrome_public_url: state.config.public_url.clone(),
        following,
        chrome: &site.chrome,
        ui,
        page_title: format!("{} - {}", article.title, site.chrome.site_name),
        description: article.summary.clone(),
        site: &site,
        avatar: avatar_url(&creator),
        time: if time::is_undated(article.published_at) {
            "发布时间不详".to_string()
        } else {
            time::format_datetime(article.published_at, site.zone)
        },
        iso: if time::is_undated(article.published_at) {
            String::new()
        } else {
            time::rfc3339(article.published_at)
        },
        channel_name,
        channel_slug,
        declaration: article.declaration.display_text(),
        declaration_label: article.declaration.label(),
        comments: count(article.comments),
        shares: count(article.shares),
        article_count: count(creator.article_count),
        followers: count(creator.followers),
        share_url,
        disclaimer_zh: site.settings.disclaimer_zh.clone(),
        disclaimer_en: site.settings.disclaimer_en.clone(),
        related: related_with_top_up(related, &site.hot, id),
        past: ListItem::many(&past, site.zone),
        json_ld,
        article,
        creator,
    };
    Ok(view.render()?)
}
