//! The editors' moderation console (the readers' report forms are reader/report.rs).
//!
//! - `GET /editor/reports?sort=new|most`: open reports folded per item, held comments, appeals
//!   and the taken-down articles.
//! - `POST /editor/articles/{id}/takedown|restore`, `POST /editor/reports/dismiss`,
//!   `POST /editor/comments/{id}/approve`, `POST /editor/appeals/{id}/reject`.

use askama::Template;
use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use haowen_core::{account::Role, comment::report_kind_label, time};
use serde::Deserialize;

use crate::handlers::extract::Editor;
use crate::{
    AppState,
    error::AppError,
    handlers::{
        extract::{ItemId, SignedPost},
        field, private,
    },
    ui::Ui,
};
use haowen_app::{moderation, page_data::Chrome};

const EDITORS_ONLY: &str = "只有编辑可以处理举报、下架和申诉。";

struct QueueView {
    target_kind: String,
    target_id: i64,
    article_id: i64,
    article_title: String,
    comment_body: Option<String>,
    count: i64,
    latest: String,
    /// (type label, note, reporter)
    reports: Vec<(String, String, String)>,
}

struct HeldView {
    id: i64,
    article_id: i64,
    author: String,
    body: String,
    matched: String,
    time: String,
}

struct AppealView {
    id: i64,
    article_id: i64,
    article_title: String,
    takedown_reason: String,
    author: String,
    text: String,
    time: String,
}

struct DownView {
    id: i64,
    title: String,
    creator: String,
    reason: String,
    time: String,
}

#[derive(Template)]
#[template(path = "pages/editor_reports.html")]
struct ReportsPage<'a> {
    chrome: &'a Chrome,
    ui: Ui,
    page_title: String,
    description: String,
    most: bool,
    items: Vec<QueueView>,
    held: Vec<HeldView>,
    appeals: Vec<AppealView>,
    down: Vec<DownView>,
}

#[derive(Debug, Deserialize)]
pub struct QueueQuery {
    sort: Option<String>,
}

/// `GET /editor/reports`.
pub async fn queue(
    State(state): State<AppState>,
    Editor(_): Editor,
    Query(q): Query<QueueQuery>,
    ui: Ui,
) -> Result<Response, AppError> {
    let most = q.sort.as_deref() == Some("most");
    let site = state.snapshots.current();
    let zone = site.zone;
    let items = state
        .db
        .report_queue(most)
        .await?
        .into_iter()
        .map(|i| QueueView {
            target_kind: i.target_kind,
            target_id: i.target_id,
            article_id: i.article_id,
            article_title: i.article_title,
            comment_body: i.comment_body,
            count: i.count,
            latest: time::format_datetime(i.latest_at, zone),
            reports: i
                .reports
                .into_iter()
                .map(|(k, note, who)| {
                    (
                        report_kind_label(&k).unwrap_or("其他").to_string(),
                        note,
                        who,
                    )
                })
                .collect(),
        })
        .collect();
    let held = state
        .db
        .held_comments(200)
        .await?
        .into_iter()
        .map(|c| HeldView {
            matched: site.words.find(&c.body).join("、"),
            id: c.id,
            article_id: c.article_id,
            author: c.author,
            body: c.body,
            time: time::format_datetime(c.created_at, zone),
        })
        .collect();
    let appeals = state
        .db
        .pending_appeals()
        .await?
        .into_iter()
        .map(|a| AppealView {
            id: a.id,
            article_id: a.article_id,
            article_title: a.article_title,
            takedown_reason: a.takedown_reason,
            author: a.author,
            text: a.text,
            time: time::format_datetime(a.created_at, zone),
        })
        .collect();
    let down = state
        .db
        .taken_down_articles(100)
        .await?
        .into_iter()
        .map(|(id, title, creator, reason, at)| DownView {
            id,
            title,
            creator,
            reason,
            time: time::format_datetime(at, zone),
        })
        .collect();
    let page = ReportsPage {
        chrome: &site.chrome,
        ui: ui.clone(),
        page_title: format!("举报与下架 - {}", site.chrome.site_name),
        description: String::new(),
        most,
        items,
        held,
        appeals,
        down,
    };
    Ok(private(page.render()?, StatusCode::OK))
}

/// `POST /editor/articles/{id}/takedown` with `reason`.
pub async fn take_down(
    State(state): State<AppState>,
    ItemId(id): ItemId,
    post: SignedPost,
) -> Result<Response, AppError> {
    let user = post.with_role(Role::Editor, EDITORS_ONLY)?;
    let f = &post.fields;
    moderation::take_down(&state.db, user, id, field(f, "reason")).await?;
    state.after(haowen_app::Change::Site).await;
    Ok(Redirect::to("/editor/reports").into_response())
}

/// `POST /editor/articles/{id}/restore` with an optional `note`.
pub async fn restore(
    State(state): State<AppState>,
    ItemId(id): ItemId,
    post: SignedPost,
) -> Result<Response, AppError> {
    let user = post.with_role(Role::Editor, EDITORS_ONLY)?;
    let f = &post.fields;
    moderation::restore(&state.db, user, id, field(f, "note")).await?;
    state.after(haowen_app::Change::Site).await;
    Ok(Redirect::to("/editor/reports").into_response())
}

/// `POST /editor/reports/dismiss` with `kind` (article|comment) and `id`.
pub async fn dismiss(
    State(state): State<AppState>,
    post: SignedPost,
) -> Result<Response, AppError> {
    let user = post.with_role(Role::Editor, EDITORS_ONLY)?;
    let f = &post.fields;
    let kind = match field(f, "kind") {
        "article" => "article",
        "comment" => "comment",
        _ => return Err(AppError::BadRequest("举报对象的类型无效。".into())),
    };
    let id: i64 = field(f, "id")
        .parse()
        .map_err(|_| AppError::BadRequest("举报对象的编号无效。".into()))?;
    moderation::dismiss(&state.db, user, kind, id).await?;
    Ok(Redirect::to("/editor/reports").into_response())
}

/// `POST /editor/comments/{id}/approve`: a held comment goes public.
pub async fn approve_comment(
    State(state): State<AppState>,
    ItemId(id): ItemId,
    post: SignedPost,
) -> Result<Response, AppError> {
    let user = post.with_role(Role::Editor, EDITORS_ONLY)?;
    moderation::approve_comment(&state.db, user, id).await?;
    state.after(haowen_app::Change::Site).await;
    Ok(Redirect::to("/editor/reports").into_response())
}

/// `POST /editor/appeals/{id}/reject` with `reason`.
pub async fn reject_appeal(
    State(state): State<AppState>,
    ItemId(id): ItemId,
    post: SignedPost,
) -> Result<Response, AppError> {
    let user = post.with_role(Role::Editor, EDITORS_ONLY)?;
    let f = &post.fields;
    moderation::reject_appeal(&state.db, user, id, field(f, "reason")).await?;
    Ok(Redirect::to("/editor/reports").into_response())
}
