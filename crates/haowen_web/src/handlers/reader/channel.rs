//! `GET /channel/{slug}?page=N`: a channel's articles, newest first, paginated.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::HeaderMap,
    response::Response,
};

use crate::{
    AppState,
    error::AppError,
    handlers::{PageQuery, cached, page_number},
    ui::Ui,
};
use haowen_app::{
    page_data::{Chrome, ListItem, Pager},
    snapshot::SiteSnapshot,
};

#[derive(Template)]
#[template(path = "pages/channel.html")]
struct ChannelPage<'a> {
    chrome: &'a Chrome,
    ui: Ui,
    page_title: String,
    description: String,
    site: &'a SiteSnapshot,
    channel_name: String,
    /// The channel's hot list (热点).
    channel_hot: Vec<ListItem>,
    total: i64,
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
    let key = format!("/channel/{slug}?page={page}");
    let store = state.db.clone();
    let page_ui = ui.clone();
    cached(&state, &ui, key, &headers, |site| async move {
        let channel = site
            .channels
            .iter()
            .find(|c| c.slug == slug && !c.hidden)
            .ok_or(AppError::NotFound)?;
        let now = haowen_core::time::now();
        let list = store
            .channel_articles(channel.id, now, Pager::offset(page), Pager::PER_PAGE)
            .await?;
        let pager = Pager::new(page, list.total, format!("/channel/{}", channel.slug));
        if page > pager.pages {
            return Err(AppError::NotFound);
        }
        let view = ChannelPage {
            chrome: &site.chrome,
            ui: page_ui,
            page_title: format!("{}频道 - {}", channel.name, site.chrome.site_name),
            description: format!("{}频道的最新文章", channel.name),
            site: &site,
            channel_name: channel.name.clone(),
            channel_hot: site
                .channel_hot
                .get(&channel.id)
                .cloned()
                .unwrap_or_default(),
            total: list.total,
            items: ListItem::many(&list.items, site.zone),
            pager,
        };
        Ok(view.render()?)
    })
    .await
}
