//! The API's guard against cross-site writes. Cookies travel with any request a browser makes,
//! so a page on another site could post to the API with the reader's session (or sign the
//! browser into the attacker's account: login CSRF). Every call that is not a read is refused
//! when the browser says it came from another site:
//! - `Sec-Fetch-Site` other than `same-origin` or `none` (a typed URL, a bookmark);
//! - else an `Origin` that is neither the public URL's origin nor the `Host` it was sent to;
//!
//! and a body must be JSON (`application/json`) except on the image upload (multipart, which
//! also needs the `X-CSRF-Token` header): an HTML form can send neither JSON nor custom
//! headers without a CORS preflight, which this server never grants. Tools without a browser
//! send no `Origin` and no `Sec-Fetch-Site`, and are unaffected.

use axum::{
    extract::{Request, State},
    http::{HeaderMap, Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::{
    AppState,
    error::{ApiError, AppError},
};

/// Whether `origin` (an `Origin` header) is this site: the public URL's origin, or the host
/// the request was addressed to.
fn same_origin(origin: &str, public_url: &str, host: Option<&str>) -> bool {
    let Ok(origin) = url::Url::parse(origin) else {
        return false;
    };
    if let Ok(public) = url::Url::parse(public_url)
        && public.origin() == origin.origin()
    {
        return true;
    }
    let Some(host) = host else { return false };
    let with_port = match origin.port() {
        Some(p) => format!("{}:{p}", origin.host_str().unwrap_or("")),
        None => origin.host_str().unwrap_or("").to_string(),
    };
    with_port.eq_ignore_ascii_case(host)
}

/// Why a write is refused, if it is.
pub fn refusal(
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    public_url: &str,
) -> Option<AppError> {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return None;
    }
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let cross = || AppError::CrossSite("不接受来自其他网站的请求".into());
    match get("sec-fetch-site") {
        Some("same-origin" | "none") => {}
        Some(_) => return Some(cross()),
        None => {
            if let Some(origin) = get("origin")
                && !same_origin(origin, public_url, get("host"))
            {
                return Some(cross());
            }
        }
    }
    let has_body = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|n| n != "0")
        || headers.contains_key(header::TRANSFER_ENCODING);
    let json = get("content-type").is_some_and(|ct| {
        ct.split(';')
            .next()
            .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
    });
    let needs_json = path == "/api/v1/session" && *method == Method::POST
        || has_body && path != "/api/v1/images";
    if needs_json && !json {
        return Some(AppError::JsonRequired(
            "请求体须为 JSON（Content-Type: application/json）".into(),
        ));
    }
    None
}

/// The middleware on the API routes.
pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if let Some(e) = refusal(
        req.method(),
        req.uri().path(),
        req.headers(),
        &state.config.public_url,
    ) {
        return ApiError(e).into_response();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().expect("value"));
        }
        h
    }

    const SITE: &str = "https://news.example.com";

    #[test]
    fn cross_site_writes_are_refused() {
        let post = Method::POST;
        let json = ("content-type", "application/json");
        let len = ("content-length", "10");
        let ok = |h: &[(&'static str, &str)]| refusal(&post, "/api/v1/session", &headers(h), SITE);
        // A text/plain body from another site: the login CSRF of the report.
        assert!(
            ok(&[
                ("origin", "https://evil.example"),
                ("content-type", "text/plain"),
                len
            ])
            .is_some()
        );
        assert!(ok(&[("sec-fetch-site", "cross-site"), json, len]).is_some());
        assert!(ok(&[("sec-fetch-site", "same-site"), json, len]).is_some());
        assert!(ok(&[("origin", "https://evil.example"), json, len]).is_some());
        assert!(ok(&[("origin", "null"), json, len]).is_some());
        // Same origin, or a tool without a browser: fine with JSON, refused without.
        assert!(ok(&[("origin", SITE), json, len]).is_none());
        assert!(ok(&[("sec-fetch-site", "same-origin"), json, len]).is_none());
        assert!(
            ok(&[
                ("origin", "http://127.0.0.1:8080"),
                ("host", "127.0.0.1:8080"),
                json,
                len
            ])
            .is_none()
        );
        assert!(ok(&[json, len]).is_none());
        assert!(ok(&[("content-type", "text/plain"), len]).is_some());
        assert!(ok(&[("content-type", "application/x-www-form-urlencoded"), len]).is_some());
        // Reads are never refused.
        assert!(
            refusal(
                &Method::GET,
                "/api/v1/hot",
                &headers(&[("sec-fetch-site", "cross-site")]),
                SITE
            )
            .is_none()
        );
    }
}
