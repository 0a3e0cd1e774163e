//! The site admin (站长后台): accounts and roles, site settings, channels, the sensitive-word
//! list.

pub mod pages;
pub mod words;

use axum::{
    Router,
    routing::{get, post},
};

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(pages::users))
        .route("/admin/users/{id}", post(pages::change_user))
        .route(
            "/admin/settings",
            get(pages::settings).post(pages::save_settings),
        )
        .route(
            "/admin/channels",
            get(pages::channels).post(pages::add_channel),
        )
        .route("/admin/channels/{id}", post(pages::update_channel))
        .route("/admin/words", get(words::words_page))
}

/// The sensitive-word list can run to tens of thousands of words (the caller gives it the
/// article body limit).
pub fn words() -> Router<AppState> {
    Router::new().route("/admin/words", post(words::save_words))
}
