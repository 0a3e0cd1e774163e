//! `POST /api/v1/images`: multipart `alt` and `file`; the same checks as the studio.

use axum::{
    Json,
    extract::{Multipart, State},
    http::StatusCode,
};
use haowen_app::{Refusal, studio};
use haowen_core::time;
use serde::Serialize;

use super::ApiCaller;
use crate::{AppState, error::ApiError, handlers::ClientIp};

#[derive(Serialize)]
pub struct ImageJson {
    pub url: String,
    pub phone_url: String,
    pub width: u32,
    pub height: u32,
    /// Ready to paste into an article body.
    pub markdown: String,
}

pub async fn upload_image(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    ClientIp(ip): ClientIp,
    mut form: Multipart,
) -> Result<(StatusCode, Json<ImageJson>), ApiError> {
    studio::creator_of(&user)?;
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
        return Err(Refusal::field("alt", "请填写图片说明（替代文字）").into());
    }
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        return Err(Refusal::field("file", "请选择一张图片").into());
    };
    if let Err(wait) = state.throttles.upload(user.id, ip, time::now()) {
        return Err(Refusal::TooMany(format!("上传太频繁，请 {wait} 秒后再试")).into());
    }
    let image = state
        .media
        .save(bytes.to_vec())
        .await
        .map_err(|e| Refusal::field("file", e.to_string()))?;
    let markdown = format!("![{alt}]({} \"{alt}\")", image.url);
    Ok((
        StatusCode::CREATED,
        Json(ImageJson {
            url: image.url,
            phone_url: image.phone_url,
            width: image.width,
            height: image.height,
            markdown,
        }),
    ))
}
