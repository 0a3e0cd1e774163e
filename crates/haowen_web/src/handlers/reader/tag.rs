//! `GET /tag/{name}?page=N`: a tag's articles, newest first, paginated, with the tag's own hot
//! list. A tag no visible article carries is 404.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::HeaderMap,
    response::Response,
};
use haowen_core::hot;

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

/// The tag's newest articles its hot list is ranked from, and the list's length.
const HOT_FROM: i64 = 300;
const HOT_ITEMS: usize = 10;
/// Longest tag the URL may name (the studio allows shorter).
const MAX_TAG_CHARS: usize = 32;

#[derive(Template)]
#[template(path = "pages/tag.html")]
struct TagPage<'a> {
    chrome: &'a Chrome,
    ui: Ui,
    page_title: String,
    description: String,
    site: &'a SiteSnapshot,
    tag: String,
    tag_hot: Vec<ListItem>,
    total: i64,
    items: Vec<ListItem>,
    pager: Pager,
}

/// The page of `tag`, percent-encoded.
pub fn href(tag: &str) -> String {
    format!(
        "/tag/{}",
        percent_encoding::utf8_percent_encode(tag, percent_encoding::NON_ALPHANUMERIC)
    )
}

pub async fn show(
    State(state): State<AppState>,
    Path(tag): Path<String>,
    Query(q): Query<PageQuery>,
    ui: Ui,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let page = page_number(q.page.as_deref())?;
    let tag = tag.trim().to_string();
    if tag.is_empty() || tag.chars().count() > MAX_TAG_CHARS {
        return Err(AppError::NotFound);
    }
    let key = format!("/tag/{tag}?page={page}");
    let store = state.db.clone();
    let page_ui = ui.clone();
    cached(&state, &ui, key, &headers, |site| async move {
        let now = haowen_core::time::now();
        let list = store
            .tag_articles(&tag, now, Pager::offset(page), Pager::PER_PAGE)
            .await?;
        let pager = Pager::new(page, list.total, href(&tag));
        if list.total == 0 || page > pager.pages {
            return Err(AppError::NotFound);
        }
        let signals = store.tag_signals(&tag, now, HOT_FROM).await?;
        let hot_ids = hot::rank(&signals, now, HOT_ITEMS);
        let tag_hot = ListItem::many(&store.summaries(&hot_ids, now).await?, site.zone);
        let view = TagPage {
            chrome: &site.chrome,
            ui: page_ui,
            page_title: format!("{tag} - 标签 - {}", site.chrome.site_name),
            description: format!("标签「{tag}」下的文章"),
            site: &site,
            tag: tag.clone(),
            tag_hot,
            total: list.total,
            items: ListItem::many(&list.items, site.zone),
            pager,
        };
        Ok(view.render()?)
    })
    .await
}
