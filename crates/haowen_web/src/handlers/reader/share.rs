//! 分享至: share links that count, and the QR code of an article's URL.
//!
//! `GET /a/{id}/share/weibo|qq` counts the share and redirects to the network's share page;
//! `POST /a/{id}/share/link` counts a copied link (the page's script calls it) and answers
//! `{"shares": N}`. A visitor's shares of one article count once per day; bots never count.

use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use haowen_core::Article;
use qrcode::{QrCode, render::svg};
use url::form_urlencoded::byte_serialize;

use crate::{
    AppState,
    error::AppError,
    handlers::{ClientIp, extract::article_id, user_agent},
    visitor::visitor_key,
};

fn enc(s: &str) -> String {
    byte_serialize(s.as_bytes()).collect()
}

/// Counts a share (if it is the visitor's first in the window) and drops the cached page so
/// the new count shows at once. Returns the article with its share count up to date.
async fn count_share(
    state: &AppState,
    id: i64,
    ip: std::net::IpAddr,
    headers: &HeaderMap,
) -> Result<Article, AppError> {
    let visitor = visitor_key(headers, ip);
    Ok(haowen_app::engagement::share(&state.app, id, visitor, user_agent(headers)).await?)
}

pub async fn to_network(
    State(state): State<AppState>,
    Path((raw_id, target)): Path<(String, String)>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let id = article_id(&raw_id)?;
    if target == "link" {
        return Ok(Redirect::to(&format!("/a/{id}")).into_response());
    }
    if target != "weibo" && target != "qq" {
        return Err(AppError::NotFound);
    }
    let article = count_share(&state, id, ip, &headers).await?;
    let url = enc(&format!("{}/a/{id}", state.config.public_url));
    let title = enc(&article.title);
    let dest = if target == "weibo" {
        format!("https://service.weibo.com/share/share.php?url={url}&title={title}")
    } else {
        format!(
            "https://connect.qq.com/widget/shareqq/index.html?url={url}&title={title}&summary={}",
            enc(&article.summary)
        )
    };
    Ok(Redirect::to(&dest).into_response())
}

pub async fn copied_link(
    State(state): State<AppState>,
    Path((raw_id, target)): Path<(String, String)>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let id = article_id(&raw_id)?;
    if target != "link" {
        return Err(AppError::NotFound);
    }
    let article = count_share(&state, id, ip, &headers).await?;
    Ok(Json(serde_json::json!({ "shares": article.shares })).into_response())
}

/// `GET /a/{id}/qr.svg`: a QR code of the article's public URL, for phones and WeChat.
pub async fn qr(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
) -> Result<Response, AppError> {
    let id = article_id(raw_id.trim_end_matches(".svg"))?;
    let url = format!("{}/a/{id}", state.config.public_url);
    let code = QrCode::new(url.as_bytes()).map_err(|e| AppError::Internal(format!("qr: {e}")))?;
    let image = code
        .render::<svg::Color>()
        .min_dimensions(132, 132)
        .quiet_zone(true)
        .build();
    Ok((
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("image/svg+xml"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            ),
        ],
        image,
    )
        .into_response())
}
