//! `GET /?page=N`: headlines, one block per channel (without the headlines again), the hot list
//! and the latest articles; pages after the first carry only 最新, further back.

use std::collections::HashSet;

use askama::Template;
use axum::{
    extract::{Query, State},
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
    page_data::{ChannelBox, Chrome, ListItem, Pager},
    snapshot::SiteSnapshot,
};

/// Headlines at the top of the home page.
const HEADLINES: usize = 5;

#[derive(Template)]
#[template(path = "pages/home.html")]
struct HomePage<'a> {
    chrome: &'a Chrome,
    ui: Ui,
    page_title: String,
    description: String,
    site: &'a SiteSnapshot,
    headlines: Vec<ListItem>,
    /// Channel blocks, leaving out what the headlines show.
    blocks: Vec<ChannelBox>,
    latest: Vec<ListItem>,
    pager: Pager,
}

pub async fn show(
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
    ui: Ui,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let page = page_number(q.page.as_deref())?;
    let key = if page == 1 {
        "/".to_string()
    } else {
        format!("/?page={page}")
    };
    let store = state.db.clone();
    let page_ui = ui.clone();
    cached(&state, &ui, key, &headers, |site| async move {
        let (latest, total) = if page == 1 {
            (site.latest.clone(), site.latest_total)
        } else {
            let now = haowen_core::time::now();
            let list = store
                .latest(now, Pager::offset(page), Pager::PER_PAGE)
                .await?;
            (ListItem::many(&list.items, site.zone), list.total)
        };
        let pager = Pager::new(page, total, "/");
        if page > pager.pages.max(1) {
            return Err(AppError::NotFound);
        }
        let (headlines, blocks) = if page == 1 {
            let headlines: Vec<ListItem> = site
                .news_boxes
                .first()
                .map(|b| b.items.iter().take(HEADLINES).cloned().collect())
                .unwrap_or_default();
            let shown: HashSet<i64> = headlines.iter().map(|h| h.id).collect();
            let blocks = site
                .channel_blocks
                .iter()
                .map(|b| ChannelBox {
                    items: b
                        .items
                        .iter()
                        .filter(|i| !shown.contains(&i.id))
                        .cloned()
                        .collect(),
                    ..b.clone()
                })
                .filter(|b| !b.items.is_empty())
                .collect();
            (headlines, blocks)
        } else {
            (Vec::new(), Vec::new())
        };
        let page_title = if page == 1 {
            format!(
                "{} - {}",
                site.chrome.site_name, site.chrome.site_description
            )
        } else {
            format!("最新文章 第 {page} 页 - {}", site.chrome.site_name)
        };
        let view = HomePage {
            chrome: &site.chrome,
            ui: page_ui,
            page_title,
            description: site.chrome.site_description.clone(),
            site: &site,
            headlines,
            blocks,
            latest,
            pager,
        };
        Ok(view.render()?)
    })
    .await
}
