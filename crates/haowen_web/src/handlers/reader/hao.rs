//! `GET /hao`: the self-media section (号) — every creator on the site.

use askama::Template;
use axum::{extract::State, http::HeaderMap, response::Response};

use crate::{
    AppState,
    error::AppError,
    handlers::{avatar_url, cached},
    ui::Ui,
};
use haowen_app::page_data::{Chrome, count};

struct CreatorCard {
    slug: String,
    name: String,
    bio: String,
    avatar: String,
    article_count: String,
    followers: String,
}

#[derive(Template)]
#[template(path = "pages/hao.html")]
struct HaoPage<'a> {
    chrome: &'a Chrome,
    ui: Ui,
    page_title: String,
    description: String,
    creators: Vec<CreatorCard>,
}

pub async fn show(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let store = state.db.clone();
    let page_ui = ui.clone();
    cached(
        &state,
        &ui,
        "/hao".to_string(),
        &headers,
        |site| async move {
            let creators = store
                .creators()
                .await?
                .into_iter()
                .map(|c| CreatorCard {
                    avatar: avatar_url(&c),
                    article_count: count(c.article_count),
                    followers: count(c.followers),
                    slug: c.slug,
                    name: c.name,
                    bio: c.bio,
                })
                .collect();
            let view = HaoPage {
                chrome: &site.chrome,
                ui: page_ui,
                page_title: format!("好文号 - {}", site.chrome.site_name),
                description: format!("在{}发表文章的创作者", site.chrome.site_name),
                creators,
            };
            Ok(view.render()?)
        },
    )
    .await
}
