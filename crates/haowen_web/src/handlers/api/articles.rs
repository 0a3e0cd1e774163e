//! A creator's articles through the API: list (`GET /api/v1/me/articles`), create, update and
//! publish — the studio's use cases, answered as [`ArticleJson`].

use axum::{Json, body::Bytes, extract::State, http::StatusCode};
use haowen_app::{Change, studio};
use haowen_core::{Article, ArticleStatus, Declaration, time};
use serde::{Deserialize, Serialize};

use super::{ApiCaller, ApiPath, parse};
use crate::{AppState, error::ApiError};

/// An article as the API shows it.
#[derive(Serialize)]
pub struct ArticleJson {
    pub id: i64,
    pub title: String,
    /// draft | published | scheduled | taken_down …
    pub status: &'static str,
    pub url: String,
    pub published_at: String,
    pub published_at_local: String,
    pub declaration: Declaration,
    pub tags: Vec<String>,
    pub cover: Option<String>,
    pub reads: i64,
    pub comments: i64,
    pub shares: i64,
}

impl ArticleJson {
    fn new(a: &Article, zone: chrono_tz::Tz) -> ArticleJson {
        ArticleJson {
            id: a.id,
            title: a.title.clone(),
            status: match a.status {
                ArticleStatus::Published if a.published_at > time::now() => "scheduled",
                s => s.as_str(),
            },
            url: format!("/a/{}", a.id),
            published_at: time::rfc3339(a.published_at),
            published_at_local: time::format_datetime(a.published_at, zone),
            declaration: a.declaration.clone(),
            tags: a.tags.clone(),
            cover: a.cover_url.clone(),
            reads: a.reads,
            comments: a.comments,
            shares: a.shares,
        }
    }
}

#[derive(Serialize)]
pub struct MyArticles {
    pub total: i64,
    pub articles: Vec<ArticleJson>,
}

/// `GET /api/v1/me/articles`: my articles with their reads, comments and shares.
pub async fn my_articles(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
) -> Result<Json<MyArticles>, ApiError> {
    let creator_id = studio::creator_of(&user)?;
    let (list, total) = state.db.studio_articles(creator_id, 0, 200).await?;
    let zone = state.snapshots.current().zone;
    Ok(Json(MyArticles {
        total,
        articles: list.iter().map(|a| ArticleJson::new(a, zone)).collect(),
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ArticleInput {
    title: String,
    body: String,
    channel: String,
    tags: Vec<String>,
    declaration: String,
    source_name: String,
    source_link: String,
    /// draft | publish | schedule
    action: String,
    /// For schedule: RFC 3339, or `YYYY-MM-DDTHH:MM` in the site zone.
    publish_at: String,
    /// An uploaded image's URL (from `POST /api/v1/images`).
    cover: String,
}

impl ArticleInput {
    fn into_form(self, zone: chrono_tz::Tz) -> studio::ArticleForm {
        let publish_at = time::parse_rfc3339(&self.publish_at)
            .map(|t| time::format_local_input(t, zone))
            .unwrap_or(self.publish_at);
        let or = |v: String, default: &str| if v.is_empty() { default.to_string() } else { v };
        studio::ArticleForm {
            title: self.title,
            body: self.body,
            channel: self.channel,
            tags: self.tags.join(","),
            declaration: or(self.declaration, "original"),
            source_name: self.source_name,
            source_link: self.source_link,
            action: or(self.action, "draft"),
            publish_at,
            cover: self.cover,
        }
    }
}

async fn save(
    state: &AppState,
    user: &haowen_core::account::User,
    id: Option<i64>,
    body: &Bytes,
) -> Result<Json<ArticleJson>, ApiError> {
    let input: ArticleInput = parse(body)?;
    let zone = state.snapshots.current().zone;
    let existing = match id {
        Some(id) => Some(studio::own_article(&state.db, user, id).await?),
        None => None,
    };
    let form = input.into_form(zone);
    let saved = studio::save(&state.db, user, existing.as_ref(), &form, zone).await?;
    state.after(Change::Site).await;
    let article = state.db.article(saved).await?;
    Ok(Json(ArticleJson::new(&article, zone)))
}

/// `POST /api/v1/articles`.
pub async fn create(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    body: Bytes,
) -> Result<(StatusCode, Json<ArticleJson>), ApiError> {
    Ok((StatusCode::CREATED, save(&state, &user, None, &body).await?))
}

/// `PUT /api/v1/articles/{id}`.
pub async fn update(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    body: Bytes,
) -> Result<Json<ArticleJson>, ApiError> {
    save(&state, &user, Some(id), &body).await
}

/// `POST /api/v1/articles/{id}/publish`: publish a draft now.
pub async fn publish(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ArticleJson>, ApiError> {
    let article = studio::own_article(&state.db, &user, id).await?;
    let site = state.snapshots.current();
    let slug = site
        .channel_by_id(article.channel_id)
        .map(|c| c.slug.clone())
        .unwrap_or_default();
    let mut form = studio::ArticleForm::from_article(&article, &slug, site.zone);
    form.action = "publish".into();
    studio::save(&state.db, &user, Some(&article), &form, site.zone).await?;
    state.after(Change::Site).await;
    let article = state.db.article(id).await?;
    Ok(Json(ArticleJson::new(&article, site.zone)))
}
