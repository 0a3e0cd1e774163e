//! 跟贴 pages and actions.
//!
//! - `GET /a/{id}/comments?sort=hot|new&page=N`: every comment of an article, 精选 first.
//! - `POST /a/{id}/comments`: post a comment (`body`, optional `parent` for a reply).
//! - `POST /comments/{id}/like|delete|pin`: like; delete (author) or remove with a reason
//!   (editor); pin or unpin (`pin=1|0`, the article's creator).
//!
//! Every action redirects back to the page it came from (`next`), so no script is needed.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use haowen_core::{Article, ArticleStatus, time};
use serde::Deserialize;

use crate::{
    AppState,
    error::AppError,
    handlers::{
        cached,
        extract::article_id,
        extract::{ItemId, SignedPost},
        field, page_number, private,
    },
    ui::{Ui, safe_next},
};
use haowen_app::{
    Refusal,
    comment_views::{self, CommentView},
    comments::{self, Posted},
    page_data::{Chrome, Pager},
};

#[derive(Debug, Deserialize)]
pub struct CommentsQuery {
    pub sort: Option<String>,
    pub page: Option<String>,
    pub posted: Option<String>,
}

#[derive(Template)]
#[template(path = "pages/comments.html")]
struct CommentsPage<'a> {
    chrome: &'a Chrome,
    ui: Ui,
    page_title: String,
    description: String,
    article: Article,
    hot: bool,
    total: i64,
    pinned: Vec<CommentView>,
    items: Vec<CommentView>,
    pager: Pager,
    /// This page's own URL, where actions come back to.
    here: String,
    notice: Option<String>,
    error: Option<String>,
    draft: String,
}

/// What a failed post puts back on the page.
#[derive(Default)]
struct Draft {
    notice: Option<String>,
    error: Option<String>,
    body: String,
}

/// A visible article, or the reason it is not.
pub async fn visible_article(state: &AppState, id: i64) -> Result<Article, AppError> {
    let article = state.db.article(id).await?;
    match article.status {
        ArticleStatus::Published if article.published_at <= time::now() => Ok(article),
        ArticleStatus::TakenDown => Err(AppError::Gone(takedown_notice(&state.db, id).await)),
        _ => Err(AppError::NotFound),
    }
}

/// The reason shown on a taken-down article's 410 page.
pub async fn takedown_notice(db: &haowen_app::Db, id: i64) -> String {
    match db.takedown_reason(id).await {
        Ok(r) if !r.trim().is_empty() => r,
        _ => "内容违反平台规定，已由编辑下架。".into(),
    }
}

async fn render_page(
    state: &AppState,
    ui: &Ui,
    id: i64,
    hot: bool,
    page: i64,
    draft: Draft,
) -> Result<String, AppError> {
    let article = visible_article(state, id).await?;
    let site = state.snapshots.current();
    let list = comment_views::load(
        &state.db,
        id,
        article.creator_id,
        ui.viewer.as_ref(),
        hot,
        site.zone,
        {
            let start = Pager::offset(page.max(1)) as usize;
            (
                start..start + Pager::PER_PAGE as usize,
                comment_views::Count::Exact,
            )
        },
    )
    .await?;
    let total = list.total as i64;
    let sort = if hot { "hot" } else { "new" };
    let mut pager = Pager::new(page, total, format!("/a/{id}/comments?sort={sort}"));
    pager.base_has_query = true;
    if page > pager.pages {
        return Err(AppError::NotFound);
    }
    let items: Vec<CommentView> = list.rest;
    let here = if page > 1 {
        format!("/a/{id}/comments?sort={sort}&page={page}")
    } else {
        format!("/a/{id}/comments?sort={sort}")
    };
    let view = CommentsPage {
        chrome: &site.chrome,
        ui: ui.clone(),
        page_title: format!("跟贴：{} - {}", article.title, site.chrome.site_name),
        description: format!("《{}》的跟贴", article.title),
        total: article.comments,
        hot,
        pinned: if page == 1 { list.pinned } else { Vec::new() },
        items,
        pager,
        here,
        notice: draft.notice,
        error: draft.error,
        draft: draft.body,
        article,
    };
    Ok(view.render()?)
}

fn sort_is_hot(raw: Option<&str>) -> Result<bool, AppError> {
    match raw {
        None | Some("") | Some("hot") => Ok(true),
        Some("new") => Ok(false),
        Some(other) => Err(AppError::BadRequest(format!(
            "排序方式“{other}”无效：请用 sort=hot（热门）或 sort=new（最新）。"
        ))),
    }
}

/// `GET /a/{id}/comments`.
pub async fn page(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
    Query(q): Query<CommentsQuery>,
    ui: Ui,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let id = article_id(&raw_id)?;
    let hot = sort_is_hot(q.sort.as_deref())?;
    let page = page_number(q.page.as_deref())?;
    if q.posted.as_deref() == Some("held") {
        // The author's own notice: never from the shared cache.
        let draft = Draft {
            notice: Some(
                "你的跟贴含有需要审核的词语，编辑审核通过后才会公开；在此之前只有你自己能看到它。"
                    .into(),
            ),
            ..Draft::default()
        };
        let html = render_page(&state, &ui, id, hot, page, draft).await?;
        return Ok(private(html, StatusCode::OK));
    }
    let key = format!(
        "/a/{id}/comments?sort={}&page={page}",
        if hot { "hot" } else { "new" }
    );
    let st = state.clone();
    let page_ui = ui.clone();
    cached(&state, &ui, key, &headers, |_site| async move {
        render_page(&st, &page_ui, id, hot, page, Draft::default()).await
    })
    .await
}

/// `POST /a/{id}/comments`.
pub async fn post(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
    ui: Ui,
    SignedPost { user, fields: f }: SignedPost,
) -> Result<Response, AppError> {
    let id = article_id(&raw_id)?;
    let parent = match field(&f, "parent").trim() {
        "" => None,
        raw => Some(raw.parse::<i64>().map_err(|_| {
            AppError::BadRequest("回复的跟贴编号无效，请返回文章页重新回复。".into())
        })?),
    };
    let words = state.snapshots.current().words.clone();
    match comments::post(&state.db, &words, &user, id, parent, field(&f, "body")).await {
        Ok(posted) => {
            state.after(haowen_app::Change::Article(id)).await;
            let cid = posted.id();
            let to = match posted {
                Posted::Held(_) => format!("/a/{id}/comments?sort=new&posted=held#c{cid}"),
                Posted::Published(_) => format!("/a/{id}/comments?sort=new#c{cid}"),
            };
            Ok(Redirect::to(&to).into_response())
        }
        // The text is kept: the comments page shows it again with the message.
        Err(refusal @ (Refusal::Fields(_) | Refusal::TooMany(_))) => {
            let status = match refusal {
                Refusal::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            let message = AppError::from(refusal).message();
            let draft = Draft {
                error: Some(message),
                body: field(&f, "body").to_string(),
                ..Draft::default()
            };
            let html = render_page(&state, &ui, id, false, 1, draft).await?;
            Ok(private(html, status))
        }
        Err(other) => Err(other.into()),
    }
}

/// Where an action returns: the form's `next` (a local path) or the comment's article.
fn back(f: &std::collections::HashMap<String, String>, fallback: String) -> String {
    match field(f, "next") {
        "" => fallback,
        n => safe_next(Some(n)),
    }
}

/// `POST /comments/{id}/like`.
pub async fn like(
    State(state): State<AppState>,
    ItemId(id): ItemId,
    post: SignedPost,
) -> Result<Response, AppError> {
    let (user, f) = (&post.user, &post.fields);
    let liked = comments::like(&state.db, user, id).await?;
    // A like moves the hot order of the article's comments: its pages go (as after a 跟贴).
    if liked.added {
        state
            .after(haowen_app::Change::Article(liked.article_id))
            .await;
    }
    Ok(Redirect::to(&format!("{}#c{id}", back(f, "/".into()))).into_response())
}

/// `POST /comments/{id}/delete` (`reason` when an editor removes someone else's comment).
pub async fn delete(
    State(state): State<AppState>,
    ItemId(id): ItemId,
    post: SignedPost,
) -> Result<Response, AppError> {
    let (user, f) = (&post.user, &post.fields);
    let c = comments::delete(&state.db, user, id, field(f, "reason")).await?;
    state
        .after(haowen_app::Change::CommentRemoved(c.article_id))
        .await;
    Ok(Redirect::to(&back(f, format!("/a/{}/comments", c.article_id))).into_response())
}

/// `POST /comments/{id}/pin` with `pin=1` or `pin=0`.
pub async fn pin(
    State(state): State<AppState>,
    ItemId(id): ItemId,
    post: SignedPost,
) -> Result<Response, AppError> {
    let (user, f) = (&post.user, &post.fields);
    let c = comments::pin(&state.db, user, id, field(f, "pin") != "0").await?;
    state.after(haowen_app::Change::Article(c.article_id)).await;
    Ok(Redirect::to(&format!(
        "{}#c{id}",
        back(f, format!("/a/{}/comments", c.article_id))
    ))
    .into_response())
}
