//! `GET /search?q=…`: finds articles whose title or summary contains the words. A plain
//! substring search until the Chinese full-text index (tantivy + jieba) arrives; not cached,
//! since queries are unbounded.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::{Html, IntoResponse, Response},
};
use serde::Deserialize;

use crate::{
    AppState,
    error::AppError,
    handlers::page_number,
    ui::Ui,
    views::{Chrome, ListItem, Pager},
};

#[derive(Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "pages/search.html")]
struct SearchPage<'a> {
    chrome: &'a Chrome,
    ui: Ui,
    page_title: String,
    description: String,
    query: String,
    total: i64,
    items: Vec<ListItem>,
    pager: Pager,
}

pub async fn show(
    State(state): State<AppState>,
    Query(q): Query<SearchQuery>,
    ui: Ui,
) -> Result<Response, AppError> {
    let page = page_number(q.page.as_deref())?;
    let query: String = q.q.unwrap_or_default().trim().chars().take(100).collect();
    let site = state.snapshots.current();
    let (items, total) = if query.is_empty() {
        (Vec::new(), 0)
    } else {
        let found = state
            .store
            .search(
                &query,
                haowen_core::time::now(),
                Pager::offset(page),
                Pager::PER_PAGE,
            )
            .await?;
        (ListItem::many(&found.items, site.zone), found.total)
    };
    let base = format!(
        "/search?q={}",
        url::form_urlencoded::byte_serialize(query.as_bytes()).collect::<String>()
    );
    let mut pager = Pager::new(page, total, base);
    pager.base_has_query = true;
    let view = SearchPage {
        chrome: &site.chrome,
        ui,
        page_title: if query.is_empty() {
            format!("搜索 - {}", site.chrome.site_name)
        } else {
            format!("{query} - 搜索 - {}", site.chrome.site_name)
        },
        description: format!("在{}搜索文章", site.chrome.site_name),
        query,
        total,
        items,
        pager,
    };
    Ok(Html(view.render()?).into_response())
}
