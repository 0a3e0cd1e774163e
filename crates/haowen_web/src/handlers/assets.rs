//! Static assets, compiled into the binary and served with a long cache life: their URLs
//! carry [`VERSION`], a hash of their contents, so a new build busts every cache.

use axum::{
    extract::Path,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};

use crate::error::AppError;

const CSS: &str = include_str!("../../static/site.css");
const JS: &str = include_str!("../../static/site.js");
const A11Y_JS: &str = include_str!("../../static/a11y.js");
const CARE_CSS: &str = include_str!("../../static/care.css");
const STUDIO_JS: &str = include_str!("../../static/studio.js");
const FAVICON: &str = include_str!("../../static/favicon.svg");

const fn fnv(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut p = 0;
    while p < parts.len() {
        let bytes = parts[p].as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            h ^= bytes[i] as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
            i += 1;
        }
        p += 1;
    }
    h
}

const HASH: u64 = fnv(&[CSS, JS, A11Y_JS, CARE_CSS, STUDIO_JS, FAVICON]);
const HEX: [u8; 16] = *b"0123456789abcdef";
const VERSION_BYTES: [u8; 8] = {
    let mut out = [0u8; 8];
    let mut i = 0;
    while i < 8 {
        out[i] = HEX[((HASH >> (i * 4)) & 0xf) as usize];
        i += 1;
    }
    out
};

/// Content version of the static assets (8 hex digits).
pub const VERSION: &str = match std::str::from_utf8(&VERSION_BYTES) {
    Ok(s) => s,
    Err(_) => "0",
};

pub async fn serve(Path(file): Path<String>) -> Result<Response, AppError> {
    let (body, mime) = match file.as_str() {
        "site.css" => (CSS, "text/css; charset=utf-8"),
        "site.js" => (JS, "text/javascript; charset=utf-8"),
        "a11y.js" => (A11Y_JS, "text/javascript; charset=utf-8"),
        "care.css" => (CARE_CSS, "text/css; charset=utf-8"),
        "studio.js" => (STUDIO_JS, "text/javascript; charset=utf-8"),
        "favicon.svg" => (FAVICON, "image/svg+xml"),
        _ => return Err(AppError::NotFound),
    };
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(mime)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
        ],
        body,
    )
        .into_response())
}
