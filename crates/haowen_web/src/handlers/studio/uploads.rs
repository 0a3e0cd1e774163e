//! `GET /media/{dir}/{file}`: uploaded images (immutable, cached for a year), and
//! `POST /studio/upload`: a creator uploads an image with its alt text.

use axum::{
    Json,
    extract::{Multipart, Path, State},
    http::{HeaderMap, HeaderValue, header},
    response::{Html, IntoResponse, Response},
};

use crate::{AppState, error::AppError, handlers::reader::info, ui::Ui};
use haowen_app::studio;

pub async fn serve(
    State(state): State<AppState>,
    Path((dir, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let path = state
        .media
        .path_for(&dir, &file)
        .ok_or(AppError::NotFound)?;
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|_| AppError::NotFound)?;
    let mime = if file.ends_with(".png") {
        "image/png"
    } else {
        "image/jpeg"
    };
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(mime)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Multipart fields: `_csrf`, `alt` (required: what the image shows) and `file`.
pub async fn upload(
    State(state): State<AppState>,
    ui: Ui,
    crate::handlers::ClientIp(ip): crate::handlers::ClientIp,
    headers: HeaderMap,
    mut form: Multipart,
) -> Result<Response, AppError> {
    let viewer = ui
        .viewer
        .as_ref()
        .ok_or(AppError::SignInRequired("/studio".into()))?;
    studio::creator_of(&viewer.user)
        .map_err(|_| AppError::Forbidden("只有创作者可以上传图片。".into()))?;
    let (mut csrf, mut alt, mut file) = (String::new(), String::new(), None);
    while let Ok(Some(field)) = form.next_field().await {
        match field.name().unwrap_or("") {
            "_csrf" => csrf = field.text().await.unwrap_or_default(),
            "alt" => alt = field.text().await.unwrap_or_default(),
            "file" => {
                file = Some(field.bytes().await.map_err(|_| {
                    AppError::BadRequest("图片太大（最大 10 MB）或上传中断，请重试。".into())
                })?)
            }
            _ => {}
        }
    }
    if !crate::auth::csrf_ok(&ui.csrf, Some(&csrf)) {
        return Err(AppError::Forbidden(
            "表单已过期或来源不明（缺少安全令牌）。请刷新页面后重试。".into(),
        ));
    }
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"));
    let alt = alt.trim().chars().take(120).collect::<String>();
    // The same error, as JSON for the studio's script or as a page.
    let fail = |e: AppError| -> Result<Response, AppError> {
        if wants_json {
            Ok(crate::error::ApiError(e).into_response())
        } else {
            Err(e)
        }
    };
    let field = |name: &'static str, message: &str| {
        AppError::from(haowen_app::Refusal::field(name, message))
    };
    if alt.is_empty() {
        return fail(field(
            "alt",
            "请先填写图片说明（替代文字），让看不见图片的读者也知道图上是什么。",
        ));
    }
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        return fail(field("file", "请选择一张图片。"));
    };
    if let Err(wait) = state
        .throttles
        .upload(viewer.user.id, ip, haowen_core::time::now())
    {
        return fail(AppError::TooMany {
            message: format!("上传太频繁，请 {wait} 秒后再试。"),
            retry_after: Some(wait),
        });
    }
    match state.media.save(bytes.to_vec()).await {
        Ok(image) => {
            // The desktop file's size rides in the URL's fragment (never sent to a server): the
            // page gets width and height, so nothing shifts as the picture loads.
            let (w, h) = shown_size(image.width, image.height);
            let markdown = format!("![{alt}]({}#{w}x{h} \"{alt}\")", image.url);
            if wants_json {
                return Ok(Json(serde_json::json!({
                    "url": image.url, "phone_url": image.phone_url, "width": image.width, "height": image.height, "markdown": markdown,
                }))
                .into_response());
            }
            let site = state.snapshots.current();
            let html = info::render_page(
                &site.chrome,
                &ui,
                "图片已上传",
                vec![
                    "把下面这一行复制到正文中想放图片的位置：".into(),
                    markdown,
                    "返回上一页继续编辑。".into(),
                ],
            )?;
            Ok(Html(html).into_response())
        }
        Err(e) => fail(field("file", &e.to_string())),
    }
}

/// The size of the desktop file (at most 1,600 pixels wide) of an upload of `width` × `height`.
fn shown_size(width: u32, height: u32) -> (u32, u32) {
    if width <= 1600 || width == 0 {
        (width, height)
    } else {
        (
            1600,
            ((u64::from(height) * 1600 + u64::from(width) / 2) / u64::from(width)) as u32,
        )
    }
}
