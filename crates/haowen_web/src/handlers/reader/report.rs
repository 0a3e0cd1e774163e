//! 举报: the report forms readers fill in for an article or a 跟贴 (type + note), feeding the
//! editors' queue (editor/reports.rs).
//!
//! - `GET/POST /a/{id}/report`, `GET/POST /comments/{id}/report`.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use haowen_core::comment::{REPORT_KINDS, report_kind_label};

use crate::{
    AppState,
    error::AppError,
    forms::{self, Field, Form},
    handlers::{extract::SignedPost, extract::article_id, field, private},
    ui::Ui,
};
use haowen_app::{Refusal, moderation};

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
        let a = crate::handlers::reader::comments::visible_article(state, id).await?;
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
