//! `GET /creator/{slug}?page=N`: a creator's profile and full archive.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::HeaderMap,
    response::Response,
};
use haowen_core::Creator;

use crate::{
    AppState,
    error::AppError,
    handlers::{PageQuery, avatar_url, cached, page_number},
    ui::Ui,
};
use haowen_app::{
    page_data::{Chrome, ListItem, Pager, count},
    snapshot::SiteSnapshot,
};

#[derive(Template)]
#[template(path = "pages/creator.html")]
struct CreatorPage<'a> {
    chrome: &'a Chrome,
    ui: Ui,
    /// Whether the signed-in viewer follows the creator.
    following: bool,
    page_title: String,
    description: String,
    site: &'a SiteSnapshot,
    creator: Creator,
    avatar: String,
    article_count: String,
    followers: String,
    items: Vec<ListItem>,
    pager: Pager,
}

pub async fn show(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
    ui: Ui,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let page = page_number(q.page.as_deref())?;
    let key = format!("/creator/{slug}?page={page}");
    let store = state.db.clone();
    let page_ui = ui.clone();
    cached(&state, &ui, key, &headers, |site| async move {
        let creator = store.creator_by_slug(&slug).await?;
        let now = haowen_core::time::now();
        let list = store
            .creator_articles(creator.id, now, Pager::offset(page), Pager::PER_PAGE)
            .await?;
        let pager = Pager::new(page, list.total, format!("/creator/{}", creator.slug));
        if page > pager.pages {
            return Err(AppError::NotFound);
        }
        let following = match &page_ui.viewer {
            Some(v) => store.is_following(v.user.id, creator.id).await?,
            None => false,
        };
        let view = CreatorPage {
            following,
            chrome: &site.chrome,
            ui: page_ui,
            page_title: format!("{} - {}号", creator.name, site.chrome.site_name),
            description: creator.bio.clone(),
            site: &site,
            avatar: avatar_url(&creator),
            article_count: count(creator.article_count),
            followers: count(creator.followers),
            items: ListItem::many(&list.items, site.zone),
            pager,
            creator,
        };
        Ok(view.render()?)
    })
    .await
}
