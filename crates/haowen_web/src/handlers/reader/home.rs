//! `GET /`: headlines, one block per channel, the hot list and the latest articles.

use askama::Template;
use axum::{extract::State, http::HeaderMap, response::Response};

use crate::{AppState, error::AppError, handlers::cached, ui::Ui};
use haowen_app::{
    page_data::{Chrome, ListItem},
    snapshot::SiteSnapshot,
};

#[derive(Template)]
#[template(path = "pages/home.html")]
struct HomePage<'a> {
    chrome: &'a Chrome,
    ui: Ui,
    page_title: String,
    description: String,
    site: &'a SiteSnapshot,
    headlines: Vec<ListItem>,
}

pub async fn show(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let page_ui = ui.clone();
    cached(&state, &ui, "/".to_string(), &headers, |site| async move {
        let headlines = site
            .news_boxes
            .first()
            .map(|b| b.items.iter().take(5).cloned().collect())
            .unwrap_or_default();
        let page = HomePage {
            chrome: &site.chrome,
            ui: page_ui,
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
