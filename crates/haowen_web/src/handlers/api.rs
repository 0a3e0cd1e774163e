//! The JSON API under `/api/v1/` (see docs/API-DESIGN.md): the same services as the pages.
//! Cookie sessions; every state-changing call carries the session's CSRF token in the
//! `X-CSRF-Token` header. Errors are `{"error": code, "message": 中文说明, "fields": {…}}`.

#![expect(
    clippy::result_large_err,
    reason = "the error is the finished HTTP response, built once on the failing path; boxing it buys nothing"
)]

use std::collections::BTreeMap;

use axum::{
    Json,
    body::Bytes,
    extract::{Multipart, Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use haowen_core::{Article, ArticleStatus, time};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{
    AppState,
    auth::{SESSION_COOKIE, SESSION_SECS, csrf_ok, secret_cookie},
    handlers::ClientIp,
    ui::Ui,
};
use haowen_app::{Refusal, accounts, studio};

/// A JSON error response.
pub fn error(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    (
        status,
        Json(json!({ "error": code, "message": message.into() })),
    )
        .into_response()
}

fn refusal(r: Refusal) -> Response {
    match r {
        Refusal::Fields(fields) => {
            let fields: BTreeMap<&str, String> = fields.into_iter().collect();
            (StatusCode::UNPROCESSABLE_ENTITY, Json(json!({ "error": "invalid_input", "message": "输入有误，请按字段说明修改", "fields": fields }))).into_response()
        }
        Refusal::Forbidden(m) => error(StatusCode::FORBIDDEN, "forbidden", m),
        Refusal::Limited(wait) => {
            let mut res = error(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("尝试次数过多，请 {wait} 秒后再试"),
            );
            if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
            res
        }
        Refusal::NotFound => error(StatusCode::NOT_FOUND, "not_found", "找不到这个对象"),
        Refusal::Missing(m) => error(StatusCode::NOT_FOUND, "not_found", m),
        Refusal::Conflict(m) => error(StatusCode::CONFLICT, "conflict", m),
        Refusal::TooMany(m) => error(StatusCode::TOO_MANY_REQUESTS, "rate_limited", m),
        Refusal::Unavailable(m) => {
            let mut res = error(StatusCode::SERVICE_UNAVAILABLE, "service_unavailable", m);
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            res
        }
        Refusal::Internal(e) => {
            tracing::error!(error = %e, "api internal error");
            error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "服务器暂时无法处理请求，请稍后再试",
            )
        }
    }
}

/// The signed-in user, after the CSRF header check for state-changing calls.
fn caller<'a>(
    ui: &'a Ui,
    headers: &HeaderMap,
    changing: bool,
) -> Result<&'a haowen_core::account::User, Response> {
    let viewer = ui
        .viewer
        .as_ref()
        .ok_or_else(|| error(StatusCode::UNAUTHORIZED, "sign_in_required", "请先登录"))?;
    if changing {
        let token = headers.get("x-csrf-token").and_then(|v| v.to_str().ok());
        if !csrf_ok(&viewer.csrf, token) {
            return Err(error(
                StatusCode::FORBIDDEN,
                "csrf_token_invalid",
                "缺少或错误的 X-CSRF-Token 请求头",
            ));
        }
    }
    Ok(&viewer.user)
}

fn parse<T: for<'de> Deserialize<'de>>(body: &Bytes) -> Result<T, Response> {
    serde_json::from_slice(body).map_err(|e| {
        error(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!("请求体不是有效的 JSON：{e}"),
        )
    })
}

macro_rules! try_api {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(r) => return r,
        }
    };
}

fn article_json(a: &Article, zone: chrono_tz::Tz) -> Value {
    json!({
        "id": a.id,
        "title": a.title,
        "status": match a.status {
            ArticleStatus::Published if a.published_at > time::now() => "scheduled",
            s => s.as_str(),
        },
        "url": format!("/a/{}", a.id),
        "published_at": time::rfc3339(a.published_at),
        "published_at_local": time::format_datetime(a.published_at, zone),
        "declaration": a.declaration,
        "tags": a.tags,
        "cover": a.cover_url,
        "reads": a.reads,
        "comments": a.comments,
        "shares": a.shares,
    })
}

#[derive(Deserialize)]
pub struct SignIn {
    username: String,
    password: String,
}

/// `POST /api/v1/session`: sign in; sets the session cookie and returns the CSRF token.
pub async fn sign_in(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    body: Bytes,
) -> Response {
    let input: SignIn = try_api!(parse(&body));
    let user = try_api!(
        accounts::sign_in(
            &state.db,
            &state.limiter,
            ip,
            &input.username,
            &input.password
        )
        .await
        .map_err(refusal)
    );
    let (token, csrf) = try_api!(
        accounts::start_session(&state.db, &state.throttles, ip, user.id)
            .await
            .map_err(refusal)
    );
    let mut res = Json(json!({
        "user": { "id": user.id, "username": user.username, "display_name": user.display_name, "role": user.role },
        "csrf_token": csrf,
    }))
    .into_response();
    let secure = state.config.public_url.starts_with("https://");
    if let Ok(v) =
        HeaderValue::from_str(&secret_cookie(SESSION_COOKIE, &token, SESSION_SECS, secure))
    {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// `DELETE /api/v1/session`: sign out.
pub async fn sign_out(State(state): State<AppState>, ui: Ui, headers: HeaderMap) -> Response {
    try_api!(caller(&ui, &headers, true));
    if let Some(v) = &ui.viewer
        && let Err(e) = haowen_app::engagement::end_session(&state.db, &v.token_digest).await
    {
        return refusal(e);
    }
    StatusCode::NO_CONTENT.into_response()
}

/// `GET /api/v1/me/articles`: my articles with their reads, comments and shares.
pub async fn my_articles(State(state): State<AppState>, ui: Ui, headers: HeaderMap) -> Response {
    let user = try_api!(caller(&ui, &headers, false));
    let creator_id = try_api!(studio::creator_of(user).map_err(refusal));
    let (list, total) = try_api!(
        state
            .db
            .studio_articles(creator_id, 0, 200)
            .await
            .map_err(refusal)
    );
    let zone = state.snapshots.current().zone;
    Json(json!({ "total": total, "articles": list.iter().map(|a| article_json(a, zone)).collect::<Vec<_>>() })).into_response()
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ArticleInput {
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
        studio::ArticleForm {
            title: self.title,
            body: self.body,
            channel: self.channel,
            tags: self.tags.join(","),
            declaration: if self.declaration.is_empty() {
                "original".into()
            } else {
                self.declaration
            },
            source_name: self.source_name,
            source_link: self.source_link,
            action: if self.action.is_empty() {
                "draft".into()
            } else {
                self.action
            },
            publish_at,
            cover: self.cover,
        }
    }
}

async fn save(
    state: &AppState,
    ui: &Ui,
    headers: &HeaderMap,
    id: Option<i64>,
    body: &Bytes,
) -> Response {
    let user = try_api!(caller(ui, headers, true)).clone();
    let input: ArticleInput = try_api!(parse(body));
    let zone = state.snapshots.current().zone;
    let existing = match id {
        Some(id) => Some(try_api!(
            studio::own_article(&state.db, &user, id)
                .await
                .map_err(refusal)
        )),
        None => None,
    };
    let form = input.into_form(zone);
    let saved = try_api!(
        studio::save(&state.db, &user, existing.as_ref(), &form, zone)
            .await
            .map_err(refusal)
    );
    state.after(haowen_app::Change::Site).await;
    let article = try_api!(state.db.article(saved).await.map_err(refusal));
    let status = if id.is_some() {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    (status, Json(article_json(&article, zone))).into_response()
}

/// `POST /api/v1/articles`.
pub async fn create(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    save(&state, &ui, &headers, None, &body).await
}

/// `PUT /api/v1/articles/{id}`.
pub async fn update(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Path(id): Path<i64>,
    body: Bytes,
) -> Response {
    save(&state, &ui, &headers, Some(id), &body).await
}

/// `POST /api/v1/articles/{id}/publish`: publish a draft now.
pub async fn publish(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let user = try_api!(caller(&ui, &headers, true)).clone();
    let article = try_api!(
        studio::own_article(&state.db, &user, id)
            .await
            .map_err(refusal)
    );
    let zone = state.snapshots.current().zone;
    let slug = state
        .snapshots
        .current()
        .channel_by_id(article.channel_id)
        .map(|c| c.slug.clone())
        .unwrap_or_default();
    let mut form = studio::ArticleForm::from_article(&article, &slug, zone);
    form.action = "publish".into();
    try_api!(
        studio::save(&state.db, &user, Some(&article), &form, zone)
            .await
            .map_err(refusal)
    );
    state.after(haowen_app::Change::Site).await;
    let article = try_api!(state.db.article(id).await.map_err(refusal));
    Json(article_json(&article, zone)).into_response()
}

/// `PUT` / `DELETE /api/v1/creators/{slug}/follow`.
pub async fn follow(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Response {
    follow_change(&state, &ui, &headers, &slug, true).await
}

pub async fn unfollow(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Response {
    follow_change(&state, &ui, &headers, &slug, false).await
}

async fn follow_change(
    state: &AppState,
    ui: &Ui,
    headers: &HeaderMap,
    slug: &str,
    on: bool,
) -> Response {
    let user = try_api!(caller(ui, headers, true)).clone();
    let creator = try_api!(state.db.creator_by_slug(slug).await.map_err(refusal));
    let result = if on {
        haowen_app::engagement::follow(&state.db, &user, creator.id, None).await
    } else {
        haowen_app::engagement::unfollow(&state.db, &user, creator.id).await
    };
    try_api!(result.map_err(refusal));
    let followers = try_api!(state.db.creator(creator.id).await.map_err(refusal)).followers;
    Json(json!({ "creator": creator.slug, "following": on, "followers": followers }))
        .into_response()
}

/// `POST /api/v1/images`: multipart `alt` and `file`; the same checks as the studio.
pub async fn upload_image(
    State(state): State<AppState>,
    ui: Ui,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    let user = try_api!(caller(&ui, &headers, true));
    try_api!(studio::creator_of(user).map_err(refusal));
    let (mut alt, mut file) = (String::new(), None);
    while let Ok(Some(field)) = form.next_field().await {
        match field.name().unwrap_or("") {
            "alt" => alt = field.text().await.unwrap_or_default(),
            "file" => file = field.bytes().await.ok(),
            _ => {}
        }
    }
    let alt: String = alt.trim().chars().take(120).collect();
    if alt.is_empty() {
        return refusal(Refusal::field("alt", "请填写图片说明（替代文字）"));
    }
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        return refusal(Refusal::field("file", "请选择一张图片"));
    };
    if let Err(wait) = state.throttles.upload(user.id, ip, time::now()) {
        return refusal(Refusal::TooMany(format!("上传太频繁，请 {wait} 秒后再试")));
    }
    match state.media.save(bytes.to_vec()).await {
        Ok(image) => (
            StatusCode::CREATED,
            Json(json!({
                "url": image.url, "phone_url": image.phone_url, "width": image.width, "height": image.height,
                "markdown": format!("![{alt}]({} \"{alt}\")", image.url),
            })),
        )
            .into_response(),
        Err(e) => refusal(Refusal::field("file", e.to_string())),
    }
}

/// Any other `/api/v1/…` path.
pub async fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "not_found",
        "没有这个 API；请查看 docs/API-DESIGN.md",
    )
}
