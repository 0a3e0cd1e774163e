//! The editors' queue of 申请入驻 applications: review, approve, reject with a reason.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};

use crate::handlers::extract::CsrfForm;
use crate::handlers::extract::Editor;
use crate::{
    AppState,
    error::AppError,
    handlers::{field, private},
    ui::Ui,
};
use haowen_app::{applications, page_data::Chrome};

struct QueueItem {
    id: i64,
    username: String,
    display_name: String,
    bio: String,
    channel: String,
    sample: String,
    contact: String,
    time: String,
}

#[derive(Template)]
#[template(path = "pages/editor_applications.html")]
struct QueuePage<'a> {
    chrome: &'a Chrome,
    ui: Ui,
    page_title: String,
    description: String,
    items: Vec<QueueItem>,
}

/// `GET /editor/applications`: the queue, oldest first.
pub async fn queue(
    State(state): State<AppState>,
    Editor(_): Editor,
    ui: Ui,
) -> Result<Response, AppError> {
    let site = state.snapshots.current();
    let items = state
        .db
        .pending_applications()
        .await?
        .into_iter()
        .map(|a| QueueItem {
            time: haowen_core::time::format_datetime(a.created_at, site.zone),
            id: a.id,
            username: a.username,
            display_name: a.display_name,
            bio: a.bio,
            channel: a.channel_name,
            sample: a.sample,
            contact: a.contact,
        })
        .collect();
    let page = QueuePage {
        chrome: &site.chrome,
        page_title: format!("入驻审核 - {}", site.chrome.site_name),
        description: String::new(),
        items,
        ui: ui.clone(),
    };
    Ok(private(page.render()?, StatusCode::OK))
}

/// `POST /editor/applications/{id}`: `decision=approve`, or `decision=reject` with a `reason`.
pub async fn decide(
    State(state): State<AppState>,
    Editor(reviewer): Editor,
    _ui: Ui,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm,
) -> Result<Response, AppError> {
    let approve = match field(&f, "decision") {
        "approve" => true,
        "reject" => false,
        _ => return Err(AppError::BadRequest("请选择通过或不通过。".into())),
    };
    applications::decide(&state.db, &reviewer, id, approve, field(&f, "reason")).await?;
    Ok(Redirect::to("/editor/applications").into_response())
}
