//! 创作者中心: my articles, the Markdown editor with live preview, drafts (saved by hand and
//! automatically), publishing, scheduling, unpublishing and deleting. Every route checks the
//! creator in `services::studio`.

use std::collections::HashMap;

use askama::Template;
use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use haowen_core::{Article, ArticleStatus, Declaration, markdown, time};

use crate::handlers::extract::CsrfForm;
use crate::handlers::extract::SignedPost;
use crate::{AppState, error::AppError, handlers::private, ui::Ui};
use haowen_app::{
    Refusal,
    page_data::{Chrome, count},
    studio::{self, ArticleForm},
};

struct Row {
    id: i64,
    title: String,
    status: &'static str,
    time: String,
    reads: String,
    comments: String,
    shares: String,
    public: bool,
    /// Why it was taken down (the creator may appeal once).
    takedown_reason: Option<String>,
}

#[derive(Template)]
#[template(path = "pages/studio.html")]
struct StudioPage<'a> {
    chrome: &'a Chrome,
    ui: Ui,
    page_title: String,
    description: String,
    rows: Vec<Row>,
    total: i64,
}

fn status_label(a: &Article, now: i64) -> &'static str {
    match a.status {
        ArticleStatus::Draft => "草稿",
        ArticleStatus::Published if a.published_at > now => "定时发布",
        ArticleStatus::Published => "已发布",
        ArticleStatus::TakenDown => "已下架",
        ArticleStatus::Deleted => "已删除",
    }
}

/// `GET /studio`: my articles with their reads, comments and shares.
pub async fn list(State(state): State<AppState>, ui: Ui) -> Result<Response, AppError> {
    let creator_id = studio::creator_of(ui.user()?).map_err(AppError::from)?;
    let site = state.snapshots.current();
    let (articles, total) = state.db.studio_articles(creator_id, 0, 200).await?;
    let now = time::now();
    let mut reasons = HashMap::new();
    for a in articles
        .iter()
        .filter(|a| a.status == ArticleStatus::TakenDown)
    {
        reasons.insert(a.id, state.db.takedown_reason(a.id).await?);
    }
    let rows = articles
        .iter()
        .map(|a| Row {
            takedown_reason: reasons.get(&a.id).cloned(),
            id: a.id,
            title: a.title.clone(),
            status: status_label(a, now),
            time: time::format_datetime(
                if a.status == ArticleStatus::Published {
                    a.published_at
                } else {
                    a.updated_at
                },
                site.zone,
            ),
            reads: count(a.reads),
            comments: count(a.comments),
            shares: count(a.shares),
            public: a.status == ArticleStatus::Published && a.published_at <= now,
        })
        .collect();
    let page = StudioPage {
        chrome: &site.chrome,
        page_title: format!("创作者中心 - {}", site.chrome.site_name),
        description: String::new(),
        rows,
        total,
        ui: ui.clone(),
    };
    Ok(private(page.render()?, StatusCode::OK))
}

#[derive(Template)]
#[template(path = "pages/studio_edit.html")]
struct EditPage<'a> {
    chrome: &'a Chrome,
    ui: Ui,
    page_title: String,
    description: String,
    heading: &'static str,
    action: String,
    form: ArticleForm,
    errors: HashMap<&'static str, String>,
    channels: Vec<(String, String)>,
    declarations: &'static [(&'static str, &'static str)],
    preview: String,
    notice: Option<String>,
    status: &'static str,
    revisions: Vec<(String, String)>,
}

impl EditPage<'_> {
    fn error(&self, field: &str) -> Option<&String> {
        self.errors.get(field)
    }

    /// The pictures the cover picker offers: the body's own images, and the cover set by an
    /// upload when it is not one of them.
    fn cover_choices(&self) -> Vec<String> {
        let mut choices =
            haowen_core::markdown::own_images(&haowen_core::markdown::render(&self.form.body));
        let cover = self.form.cover.trim();
        if !cover.is_empty() && !choices.iter().any(|c| c == cover) {
            choices.insert(0, cover.to_string());
        }
        choices
    }
}

#[expect(
    clippy::too_many_arguments,
    reason = "one page, assembled from its parts in one place"
)]
fn edit_page(
    state: &AppState,
    ui: &Ui,
    article: Option<&Article>,
    form: ArticleForm,
    errors: HashMap<&'static str, String>,
    notice: Option<String>,
    revisions: Vec<(String, String)>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let site = state.snapshots.current();
    let mut channels = vec![(String::new(), "请选择".to_string())];
    channels.extend(
        site.channels
            .iter()
            .map(|c| (c.slug.clone(), c.name.clone())),
    );
    let page = EditPage {
        chrome: &site.chrome,
        page_title: format!(
            "{} - 创作者中心",
            if article.is_some() {
                "编辑文章"
            } else {
                "写文章"
            }
        ),
        description: String::new(),
        heading: if article.is_some() {
            "编辑文章"
        } else {
            "写文章"
        },
        action: article
            .map(|a| format!("/studio/{}/edit", a.id))
            .unwrap_or_else(|| "/studio/new".into()),
        preview: markdown::render(&form.body),
        form,
        errors,
        channels,
        declarations: Declaration::CHOICES,
        notice,
        status: article
            .map(|a| status_label(a, time::now()))
            .unwrap_or("新文章"),
        revisions,
        ui: ui.clone(),
    };
    Ok(private(page.render()?, status))
}

fn form_from(f: &HashMap<String, String>) -> ArticleForm {
    let g = |k: &str| f.get(k).cloned().unwrap_or_default();
    ArticleForm {
        title: g("title"),
        body: g("body"),
        channel: g("channel"),
        tags: g("tags"),
        declaration: g("declaration"),
        source_name: g("source_name"),
        source_link: g("source_link"),
        action: g("action"),
        publish_at: g("publish_at"),
        // The picker's choice when one is checked, else what an upload set (or nothing).
        cover: f.get("cover_pick").cloned().unwrap_or_else(|| g("cover")),
    }
}

/// `GET /studio/new`.
pub async fn new_page(State(state): State<AppState>, ui: Ui) -> Result<Response, AppError> {
    studio::creator_of(ui.user()?).map_err(AppError::from)?;
    let form = ArticleForm {
        declaration: "original".into(),
        ..ArticleForm::default()
    };
    edit_page(
        &state,
        &ui,
        None,
        form,
        HashMap::new(),
        None,
        vec![],
        StatusCode::OK,
    )
}

/// `GET /studio/{id}/edit`.
pub async fn edit(
    State(state): State<AppState>,
    ui: Ui,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let article = studio::own_article(&state.db, ui.user()?, id)
        .await
        .map_err(AppError::from)?;
    let site = state.snapshots.current();
    let slug = site
        .channel_by_id(article.channel_id)
        .map(|c| c.slug.clone())
        .unwrap_or_default();
    let form = ArticleForm::from_article(&article, &slug, site.zone);
    let revisions = revision_lines(&state, id, site.zone).await?;
    edit_page(
        &state,
        &ui,
        Some(&article),
        form,
        HashMap::new(),
        None,
        revisions,
        StatusCode::OK,
    )
}

async fn revision_lines(
    state: &AppState,
    id: i64,
    zone: chrono_tz::Tz,
) -> Result<Vec<(String, String)>, AppError> {
    Ok(state
        .db
        .revisions(id)
        .await?
        .into_iter()
        .map(|r| (time::format_datetime(r.at, zone), r.title))
        .collect())
}

/// `POST /studio/new` and `POST /studio/{id}/edit`: save as draft, publish, schedule or preview.
async fn save(
    state: &AppState,
    ui: &Ui,
    existing: Option<Article>,
    headers: &HeaderMap,
    post: SignedPost,
) -> Result<Response, AppError> {
    let (user, f) = (&post.user, &post.fields);
    let form = form_from(f);
    let site = state.snapshots.current();
    let autosave = headers.get("x-autosave").is_some();
    if form.action == "preview" {
        let revisions = match &existing {
            Some(a) => revision_lines(state, a.id, site.zone).await?,
            None => vec![],
        };
        return edit_page(
            state,
            ui,
            existing.as_ref(),
            form,
            HashMap::new(),
            Some("预览已更新（尚未保存）。".into()),
            revisions,
            StatusCode::OK,
        );
    }
    match studio::save(&state.db, user, existing.as_ref(), &form, site.zone).await {
        Ok(id) => {
            if autosave {
                return Ok(Json(
                    serde_json::json!({ "id": id, "edit": format!("/studio/{id}/edit") }),
                )
                .into_response());
            }
            // Content changed: rebuild shared pages now, not at the next poll.
            state.after(haowen_app::Change::Site).await;
            let to = match form.action.as_str() {
                "publish" => format!("/a/{id}"),
                _ => format!("/studio/{id}/edit"),
            };
            Ok(Redirect::to(&to).into_response())
        }
        Err(Refusal::Fields(errors)) => {
            if autosave {
                return Ok((
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Json(serde_json::json!({ "errors": errors })),
                )
                    .into_response());
            }
            let revisions = match &existing {
                Some(a) => revision_lines(state, a.id, site.zone).await?,
                None => vec![],
            };
            edit_page(
                state,
                ui,
                existing.as_ref(),
                form,
                errors.into_iter().collect(),
                None,
                revisions,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn create(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    post: SignedPost,
) -> Result<Response, AppError> {
    save(&state, &ui, None, &headers, post).await
}

pub async fn update(
    State(state): State<AppState>,
    ui: Ui,
    Path(id): Path<i64>,
    headers: HeaderMap,
    post: SignedPost,
) -> Result<Response, AppError> {
    let article = studio::own_article(&state.db, &post.user, id)
        .await
        .map_err(AppError::from)?;
    save(&state, &ui, Some(article), &headers, post).await
}

/// `POST /studio/preview`: the body rendered exactly as the article page will show it.
pub async fn preview(post: SignedPost) -> Result<Response, AppError> {
    studio::creator_of(&post.user).map_err(AppError::from)?;
    let f = &post.fields;
    let html = markdown::render(f.get("body").map(String::as_str).unwrap_or(""));
    Ok(private(html, StatusCode::OK))
}

pub async fn unpublish(
    State(state): State<AppState>,
    ui: Ui,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm,
) -> Result<Response, AppError> {
    studio::unpublish(&state.db, ui.user()?, id)
        .await
        .map_err(AppError::from)?;
    state.after(haowen_app::Change::Site).await;
    Ok(Redirect::to("/studio").into_response())
}

pub async fn delete(
    State(state): State<AppState>,
    ui: Ui,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm,
) -> Result<Response, AppError> {
    studio::delete(&state.db, ui.user()?, id)
        .await
        .map_err(AppError::from)?;
    state.after(haowen_app::Change::Site).await;
    Ok(Redirect::to("/studio").into_response())
}
