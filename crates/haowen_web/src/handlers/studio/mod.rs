//! The creator's studio: articles (write, preview, publish, schedule, unpublish, delete),
//! image uploads, and appeals against a takedown.

pub mod appeal;
pub mod articles;
pub mod uploads;

use axum::{
    Router,
    routing::{get, post},
};

use crate::AppState;

/// Small-form routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/studio", get(articles::list))
        .route("/studio/new", get(articles::new_page))
        .route("/studio/{id}/edit", get(articles::edit))
        .route("/studio/{id}/unpublish", post(articles::unpublish))
        .route("/studio/{id}/delete", post(articles::delete))
        .route(
            "/studio/{id}/appeal",
            get(appeal::show).post(appeal::submit),
        )
        .route("/media/{dir}/{file}", get(uploads::serve))
}

/// Article bodies (up to 1 MB of text; the caller gives them the article body limit).
pub fn articles() -> Router<AppState> {
    Router::new()
        .route("/studio/new", post(articles::create))
        .route("/studio/preview", post(articles::preview))
        .route("/studio/{id}/edit", post(articles::update))
}

/// Image uploads (the caller gives them the upload body limit).
pub fn uploads() -> Router<AppState> {
    Router::new().route("/studio/upload", post(uploads::upload))
}
