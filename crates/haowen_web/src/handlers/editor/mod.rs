//! The editors' desk: the report queue and its acts (dismiss, take down, restore, approve held
//! 跟贴, reject appeals), 入驻 applications, picks (头条, 态度原创) and the audit log. The
//! reader-side report forms live here too, next to the queue they feed.

pub mod applications;
pub mod audit;
pub mod picks;
pub mod reports;

use axum::{
    Router,
    routing::{get, post},
};

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/editor/reports", get(reports::queue))
        .route("/editor/reports/dismiss", post(reports::dismiss))
        .route("/editor/articles/{id}/takedown", post(reports::take_down))
        .route("/editor/articles/{id}/restore", post(reports::restore))
        .route(
            "/editor/comments/{id}/approve",
            post(reports::approve_comment),
        )
        .route("/editor/appeals/{id}/reject", post(reports::reject_appeal))
        .route("/editor/audit", get(audit::show))
        .route("/editor/applications", get(applications::queue))
        .route("/editor/applications/{id}", post(applications::decide))
        .route("/editor/picks", get(picks::show).post(picks::change))
}
