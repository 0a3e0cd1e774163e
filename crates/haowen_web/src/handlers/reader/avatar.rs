//! Generated images: a creator's default avatar (`/avatar/{slug}.svg`, the first character of
//! the name on a colour derived from the slug) and the demo site's illustrations
//! (`/media/demo/{n}.svg`). No image files ship with the binary.

use axum::{
    extract::{Path, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use haowen_core::markdown::escape;

use crate::{AppState, error::AppError};

/// Background colours that all keep white text above 4.5:1.
const PALETTE: &[&str] = &[
    "#b3121b", "#1f5f8b", "#2e6b30", "#7a3e9d", "#8a4b08", "#00695c", "#5d4037", "#37474f",
];

fn hash(s: &str) -> usize {
    s.bytes()
        .fold(5381usize, |h, b| h.wrapping_mul(33) ^ usize::from(b))
}

fn svg(body: String) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("image/svg+xml"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        body,
    )
        .into_response()
}

pub async fn avatar(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let slug = file.strip_suffix(".svg").ok_or(AppError::NotFound)?;
    let creator = state.db.creator_by_slug(slug).await?;
    let initial: String = creator
        .name
        .chars()
        .next()
        .map(String::from)
        .unwrap_or_default();
    let colour = PALETTE[hash(slug) % PALETTE.len()];
    Ok(svg(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96" role="img" aria-label="{name}"><circle cx="48" cy="48" r="48" fill="{colour}"/><text x="48" y="62" font-size="42" text-anchor="middle" fill="#fff" font-family="PingFang SC, Microsoft YaHei, Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif">{initial}</text></svg>"##,
        name = escape(&creator.name),
        initial = escape(&initial),
    )))
}

/// A simple landscape: sky gradient, sun, two hill ranges; colours vary with `n`.
pub async fn illustration(Path(file): Path<String>) -> Result<Response, AppError> {
    let n: usize = file
        .strip_suffix(".svg")
        .and_then(|s| s.parse().ok())
        .ok_or(AppError::NotFound)?;
    let skies = [
        ("#8ec5fc", "#e0c3fc"),
        ("#f6d365", "#fda085"),
        ("#a1c4fd", "#c2e9fb"),
        ("#d4fc79", "#96e6a1"),
        ("#fbc2eb", "#a6c1ee"),
        ("#ffecd2", "#fcb69f"),
    ];
    let hills = [
        ("#3b7a57", "#2e5e43"),
        ("#5b8c5a", "#3d6b3c"),
        ("#6d8a96", "#4a6572"),
        ("#8d6e63", "#5d4037"),
    ];
    let (s1, s2) = skies[n % skies.len()];
    let (h1, h2) = hills[(n / 2) % hills.len()];
    let sun_x = 120 + (n * 97) % 560;
    Ok(svg(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 450" role="img" aria-label="插图"><defs><linearGradient id="s" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="{s1}"/><stop offset="1" stop-color="{s2}"/></linearGradient></defs><rect width="800" height="450" fill="url(#s)"/><circle cx="{sun_x}" cy="120" r="48" fill="#fff8e1" opacity="0.9"/><path d="M0 300 Q200 200 400 290 T800 260 V450 H0Z" fill="{h1}"/><path d="M0 360 Q250 290 500 360 T800 340 V450 H0Z" fill="{h2}"/></svg>"##
    )))
}
