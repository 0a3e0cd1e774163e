//! 举报 forms for readers, and the editors' moderation console.
//!
//! - `GET/POST /a/{id}/report`, `GET/POST /comments/{id}/report`: the report form (type + note).
//! - `GET /editor/reports?sort=new|most`: open reports folded per item, held comments, appeals
//!   and the taken-down articles.
//! - `POST /editor/articles/{id}/takedown|restore`, `POST /editor/reports/dismiss`,
//!   `POST /editor/comments/{id}/approve`, `POST /editor/appeals/{id}/reject`.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use haowen_core::{
    account::Role,
    comment::{REPORT_KINDS, report_kind_label},
    time,
};
use serde::Deserialize;

use crate::handlers::extract::Editor;
use crate::{
    AppState,
    error::AppError,
    forms::{self, Field, Form},
    handlers::{
        article::article_id,
        extract::{ItemId, SignedPost},
        field, private,
    },
    ui::Ui,
};
use haowen_app::{Refusal, moderation, page_data::Chrome};

const EDITORS_ONLY: &str = "只有编辑可以处理举报、下架和申诉。";

/// What is being reported, as the form names it.
struct Target {
    kind: &'static str,
    id: i64,
    /// Where the reader goes back to.
    back: String,
    /// "文章《…》" or "跟贴「…」".
    label: String,
}

async fn target(state: &AppState, kind: &'static str, id: i64) -> Result<Target, AppError> {
    if kind == "article" {
        let a = crate::handlers::comments::visible_article(state, id).await?;
        Ok(Target {
            kind,
            id,
            back: format!("/a/{id}"),
            label: format!("文章《{}》", a.title),
        })
    } else {
        let c = match state.db.comment(id).await {
            Ok(c) if c.status == haowen_core::comment::CommentStatus::Published => c,
            Ok(_) => {
                return Err(AppError::Missing("这条跟贴已被删除，无需再举报。".into()));
            }
            Err(haowen_app::Refusal::NotFound) => {
                return Err(AppError::Missing("要举报的跟贴不存在，请检查链接。".into()));
            }
            Err(e) => return Err(e.into()),
        };
        let excerpt: String = c.body.chars().take(40).collect();
        Ok(Target {
            kind,
            id,
            back: format!("/a/{}/comments#c{id}", c.article_id),
            label: format!("{}的跟贴「{excerpt}」", c.author),
        })
    }
}

fn report_form(ui: &Ui, t: &Target, kind: &str, note: &str) -> Form {
    let mut options = vec![(String::new(), "请选择".to_string())];
    options.extend(
        REPORT_KINDS
            .iter()
            .map(|(k, label)| (k.to_string(), label.to_string())),
    );
    let mut note_field = Field::new("note", "补充说明", "textarea")
        .hint("可选，最多 500 字：例如被抄袭的原文链接、不实之处。")
        .value(note);
    note_field.required = false;
    Form {
        heading: "举报",
        intro: vec![
            format!("你正在举报{}。", t.label),
            "编辑会按平台规则处理；恶意举报会被记录。".into(),
        ],
        action: if t.kind == "article" {
            format!("/a/{}/report", t.id)
        } else {
            format!("/comments/{}/report", t.id)
        },
        csrf: ui.csrf.clone(),
        fields: vec![
            Field::new("kind", "举报类型", "select")
                .options(options)
                .value(kind),
            note_field,
        ],
        submit: "提交举报",
        links: vec![(t.back.clone(), "返回".into())],
        ..Form::default()
    }
}

async fn show_form(
    state: &AppState,
    ui: &Ui,
    kind: &'static str,
    id: i64,
) -> Result<Response, AppError> {
    ui.user()?;
    let t = target(state, kind, id).await?;
    let site = state.snapshots.current();
    let html = forms::render(&site.chrome, ui, &report_form(ui, &t, "", ""))?;
    Ok(private(html, StatusCode::OK))
}

async fn submit(
    state: &AppState,
    ui: &Ui,
    kind: &'static str,
    id: i64,
    post: SignedPost,
) -> Result<Response, AppError> {
    let (user, f) = (&post.user, &post.fields);
    let t = target(state, kind, id).await?;
    let site = state.snapshots.current();
    let (rk, note) = (field(f, "kind"), field(f, "note"));
    match moderation::report(&state.db, user, kind, id, rk, note).await {
        Ok(_) => {
            let form = Form {
                heading: "举报已提交",
                notice: Some(format!(
                    "已收到你对{}的举报（{}）。编辑会尽快处理，谢谢你帮助维护社区。",
                    t.label,
                    report_kind_label(rk).unwrap_or("其他")
                )),
                links: vec![(t.back.clone(), "返回".into())],
                ..Form::default()
            };
            let html = forms::render(&site.chrome, ui, &form)?;
            Ok(private(html, StatusCode::CREATED))
        }
        Err(Refusal::Fields(errors)) => {
            let mut form = report_form(ui, &t, rk, note);
            for (name, message) in errors {
                form.field_error(name, message);
            }
            let html = forms::render(&site.chrome, ui, &form)?;
            Ok(private(html, StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn article_form(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    ui: Ui,
) -> Result<Response, AppError> {
    show_form(&state, &ui, "article", article_id(&raw)?).await
}

pub async fn article_submit(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    ui: Ui,
    post: SignedPost,
) -> Result<Response, AppError> {
    submit(&state, &ui, "article", article_id(&raw)?, post).await
}

pub async fn comment_form(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
    ui: Ui,
) -> Result<Response, AppError> {
    let id = article_id(&raw_id)?;
    show_form(&state, &ui, "comment", id).await
}

pub async fn comment_submit(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
    ui: Ui,
    post: SignedPost,
) -> Result<Response, AppError> {
    let id = article_id(&raw_id)?;
    submit(&state, &ui, "comment", id, post).await
}

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
