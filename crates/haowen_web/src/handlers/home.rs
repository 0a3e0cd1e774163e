//! `GET /`: headlines, one block per channel, the hot list and the latest articles.

use askama::Template;
use axum::{extract::State, http::HeaderMap, response::Response};

use crate::{
    AppState,
    error::AppError,
    handlers::cached,
    snapshot::SiteSnapshot,
    views::{Chrome, ListItem},
};

#[derive(Template)]
#[template(path = "pages/home.html")]
struct HomePage<'a> {
    chrome: &'a Chrome,
    page_title: String,
    description: String,
    site: &'a SiteSnapshot,
    headlines: Vec<ListItem>,
}

pub async fn show(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    cached(&state, "/".to_string(), &headers, |site| async move {
        let headlines = site
            .news_boxes
            .first()
            .map(|b| b.items.iter().take(5).cloned().collect())
            .unwrap_or_default();
        let page = HomePage {
            chrome: &site.chrome,
            page_title: format!(
                "{} - {}",
                site.chrome.site_name, site.chrome.site_description
            ),
            description: site.chrome.site_description.clone(),
            site: &site,
            headlines,
        };
        Ok(page.render()?)
    })
    .await
}
