//! What readers see and do: the home page, channels, creators (号), articles with their 跟贴,
//! sharing, search, following, care mode, the information pages and generated images.

pub mod article;
pub mod avatar;
pub mod care;
pub mod channel;
pub mod comments;
pub mod creator;
pub mod follow;
pub mod hao;
pub mod home;
pub mod info;
mod personal;
pub mod report;
pub mod search;
pub mod share;
pub mod tag;

use axum::{
    Router,
    routing::{get, post},
};

use crate::AppState;

/// The reader's routes.
pub fn router() -> Router<AppState> {
    let mut router = Router::new()
        .route("/", get(home::show))
        .route("/hao", get(hao::show))
        .route("/channel/{slug}", get(channel::show))
        .route("/creator/{slug}", get(creator::show))
        .route("/tag/{name}", get(tag::show))
        .route("/a/{id}", get(article::show))
        .route("/a/{id}/qr.svg", get(share::qr))
        .route(
            "/a/{id}/share/{target}",
            get(share::to_network).post(share::copied_link),
        )
        .route("/a/{id}/comments", get(comments::page).post(comments::post))
        .route(
            "/a/{id}/report",
            get(report::article_form).post(report::article_submit),
        )
        .route("/comments/{id}/like", post(comments::like))
        .route("/comments/{id}/delete", post(comments::delete))
        .route("/comments/{id}/pin", post(comments::pin))
        .route(
            "/comments/{id}/report",
            get(report::comment_form).post(report::comment_submit),
        )
        .route("/search", get(search::show))
        .route("/following", get(follow::feed))
        .route(
            "/creator/{slug}/follow",
            get(follow::confirm).post(follow::follow),
        )
        .route("/creator/{slug}/unfollow", post(follow::unfollow))
        .route("/care/on", get(care::on))
        .route("/care/off", get(care::off))
        .route("/care/size", get(care::size))
        .route("/avatar/{file}", get(avatar::avatar))
        .route("/media/demo/{file}", get(avatar::illustration));
    // /apply is the application form for signed-in readers; its info page serves the rest.
    for path in info::paths().filter(|p| *p != "apply") {
        let route = format!("/{path}");
        router = router.route(
            &route,
            get(move |state, ui, headers| {
                info::show(state, axum::extract::Path(path.to_string()), ui, headers)
            }),
        );
    }
    router
}
