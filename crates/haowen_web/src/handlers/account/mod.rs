//! A person's account: sign-up, sign-in and out, the password, "我的账号", the first-run admin
//! setup and the 申请入驻 form.

pub mod apply;
pub mod session;
pub mod setup;

use axum::{
    Router,
    routing::{get, post},
};

use crate::AppState;

/// Form routes (small bodies); the application form with its avatar is in [`uploads`].
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/signup", get(session::signup_page).post(session::signup))
        .route("/signin", get(session::signin_page).post(session::signin))
        .route("/signout", post(session::signout))
        .route(
            "/account/password",
            get(session::password_page).post(session::password),
        )
        .route("/me", get(session::me))
        .route("/apply", get(apply::show))
        .route("/setup", get(setup::setup_page).post(setup::setup))
}

/// 申请入驻 carries an optional avatar (the caller gives it the upload body limit).
pub fn uploads() -> Router<AppState> {
    Router::new().route("/apply", post(apply::submit))
}
