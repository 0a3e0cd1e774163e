//! Follow and unfollow a creator, and 我的关注 (the newest articles of followed creators).
//!
//! Cached pages (anonymous readers) link to `GET /creator/{slug}/follow`, which asks a signed-in
//! reader to confirm (a form with a CSRF token) or sends them to sign in first; pages for a
//! signed-in reader post the follow form directly.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::{HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
};
use haowen_core::Creator;
use serde::Deserialize;

use crate::handlers::extract::SignedIn;
use crate::handlers::extract::SignedPost;
use crate::{
    AppState,
    error::AppError,
    forms::{self, Form},
    handlers::{PageQuery, avatar_url, page_number},
    ui::{Ui, safe_next},
};
use haowen_app::page_data::{Chrome, ListItem, Pager, count};

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// `GET /creator/{slug}/follow`: confirm following (for readers coming from a cached page).
pub async fn confirm(
    State(state): State<AppState>,
    SignedIn(_): SignedIn,
    ui: Ui,
    Path(slug): Path<String>,
    Query(q): Query<NextQuery>,
) -> Result<Response, AppError> {
    let creator = state.db.creator_by_slug(&slug).await?;
    let next = q
        .next
        .as_deref()
        .map(|n| {
            let n = safe_next(Some(n));
            format!(
                "?next={}",
                url::form_urlencoded::byte_serialize(n.as_bytes()).collect::<String>()
            )
        })
        .unwrap_or_default();
    let form = Form {
        heading: "关注创作者",
        intro: vec![format!(
            "关注「{}」后，Ta 的新文章会出现在“我的关注”里。",
            creator.name
        )],
        action: format!("/creator/{}/follow{next}", creator.slug),
        csrf: ui.csrf.clone(),
        submit: "确认关注",
        links: vec![(
            format!("/creator/{}", creator.slug),
            "返回创作者主页".into(),
        )],
        ..Form::default()
    };
    let site = state.snapshots.current();
    let mut res = Html(forms::render(&site.chrome, &ui, &form)?).into_response();
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(res)
}

async fn change(
    state: &AppState,
    _ui: &Ui,
    slug: &str,
    next: Option<&str>,
    post: SignedPost,
    follow: bool,
) -> Result<Response, AppError> {
    let user = &post.user;
    let creator = state.db.creator_by_slug(slug).await?;
    if follow {
        // A follow made from an article's page counts for that article in the hot ranking.
        let from_article = next
            .and_then(|n| n.strip_prefix("/a/"))
            .and_then(|rest| rest.split(['?', '#', '/']).next())
            .and_then(|id| id.parse::<i64>().ok());
        haowen_app::engagement::follow(&state.db, user, creator.id, from_article).await?;
    } else {
        haowen_app::engagement::unfollow(&state.db, user, creator.id).await?;
    }
    let back = match next {
        Some(n) => safe_next(Some(n)),
        None => format!("/creator/{}", creator.slug),
    };
    Ok(Redirect::to(&back).into_response())
}

pub async fn follow(
    State(state): State<AppState>,
    ui: Ui,
    Path(slug): Path<String>,
    Query(q): Query<NextQuery>,
    post: SignedPost,
) -> Result<Response, AppError> {
    change(&state, &ui, &slug, q.next.as_deref(), post, true).await
}

pub async fn unfollow(
    State(state): State<AppState>,
    ui: Ui,
    Path(slug): Path<String>,
    Query(q): Query<NextQuery>,
    post: SignedPost,
) -> Result<Response, AppError> {
    change(&state, &ui, &slug, q.next.as_deref(), post, false).await
}

struct FollowedCreator {
    slug: String,
    name: String,
    avatar: String,
    followers: String,
}

#[derive(Template)]
#[template(path = "pages/following.html")]
struct FollowingPage<'a> {
    chrome: &'a Chrome,
    ui: Ui,
    page_title: String,
    description: String,
    creators: Vec<FollowedCreator>,
    items: Vec<ListItem>,
    pager: Pager,
}

/// `GET /following`: 我的关注.
pub async fn feed(
    State(state): State<AppState>,
    SignedIn(viewer): SignedIn,
    ui: Ui,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let user_id = viewer.user.id;
    let page = page_number(q.page.as_deref())?;
    let site = state.snapshots.current();
    let list = state
        .db
        .following_feed(
            user_id,
            haowen_core::time::now(),
            Pager::offset(page),
            Pager::PER_PAGE,
        )
        .await?;
    let creators = state
        .db
        .followed_creators(user_id)
        .await?
        .into_iter()
        .map(|c: Creator| FollowedCreator {
            avatar: avatar_url(&c),
            followers: count(c.followers),
            slug: c.slug,
            name: c.name,
        })
        .collect();
    let pager = Pager::new(page, list.total, "/following");
    if page > pager.pages {
        return Err(AppError::NotFound);
    }
    let view = FollowingPage {
        chrome: &site.chrome,
        page_title: format!("我的关注 - {}", site.chrome.site_name),
        description: String::new(),
        creators,
        items: ListItem::many(&list.items, site.zone),
        pager,
        ui,
    };
    let mut res = (StatusCode::OK, Html(view.render()?)).into_response();
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(res)
}
