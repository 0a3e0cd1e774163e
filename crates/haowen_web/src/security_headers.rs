//! The security headers every response carries, whatever produced it (pages, the page cache,
//! static files, media, the API, errors):
//! - `Content-Security-Policy`: scripts, styles, images, fonts and fetches from this origin
//!   only; no inline script or style attribute (pages carry none: care mode's text size is a
//!   class, JSON-LD is a data block, not a script); forms post only here; never framed.
//! - `X-Frame-Options: DENY` for browsers that predate `frame-ancestors`;
//! - `X-Content-Type-Options: nosniff`;
//! - `Referrer-Policy: strict-origin-when-cross-origin`;
//! - `Strict-Transport-Security` when the public URL is https (never on plain http: a browser
//!   would refuse the site until the max-age ran out).
//!
//! Names and values are built once; each response gets them by one header-map entry each (a
//! few nanoseconds), and a handler that set its own (none does today) keeps it. The names are
//! `HeaderName`s, not strings: a string name is parsed on every use, which was 4 % of the CPU
//! of a cached article page.

use axum::{
    extract::Request,
    http::{HeaderName, HeaderValue, header},
    middleware::Next,
    response::Response,
};

/// The policy. `img-src` allows `data:` for the 无障碍浏览 cursor and `blob:` for the studio's
/// local previews of images being uploaded.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; \
     media-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

/// HSTS for an https site: a year, subdomains left alone (they may be other services).
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000";

/// The header set, built once from the configuration.
#[derive(Clone, Debug)]
pub struct SecurityHeaders {
    pairs: Vec<(HeaderName, HeaderValue)>,
}

impl SecurityHeaders {
    pub fn new(public_url: &str) -> SecurityHeaders {
        let mut pairs = vec![
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(CONTENT_SECURITY_POLICY),
            ),
            (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                header::REFERRER_POLICY,
                HeaderValue::from_static("strict-origin-when-cross-origin"),
            ),
        ];
        if public_url
            .trim()
            .to_ascii_lowercase()
            .starts_with("https://")
        {
            pairs.push((
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static(STRICT_TRANSPORT_SECURITY),
            ));
        }
        SecurityHeaders { pairs }
    }

    /// Adds the headers a response does not set itself.
    pub fn apply(&self, res: &mut Response) {
        self.add_to(res.headers_mut());
    }

    /// Adds to `headers` those it does not have.
    pub fn add_to(&self, headers: &mut axum::http::HeaderMap) {
        for (name, value) in &self.pairs {
            headers.entry(name.clone()).or_insert_with(|| value.clone());
        }
    }
}

/// The middleware: runs the request, then adds the headers.
pub async fn add(
    axum::extract::State(headers): axum::extract::State<std::sync::Arc<SecurityHeaders>>,
    req: Request,
    next: Next,
) -> Response {
    let mut res = next.run(req).await;
    headers.apply(&mut res);
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hsts_only_for_https() {
        fn names(h: &SecurityHeaders) -> Vec<&str> {
            h.pairs.iter().map(|p| p.0.as_str()).collect()
        }
        assert!(
            !names(&SecurityHeaders::new("http://127.0.0.1:8080"))
                .contains(&"strict-transport-security")
        );
        assert!(
            names(&SecurityHeaders::new("https://news.example.com"))
                .contains(&"strict-transport-security")
        );
    }

    #[test]
    fn the_policy_allows_no_inline_script_and_no_framing() {
        assert!(!CONTENT_SECURITY_POLICY.contains("unsafe-inline"));
        assert!(!CONTENT_SECURITY_POLICY.contains("unsafe-eval"));
        assert!(CONTENT_SECURITY_POLICY.contains("frame-ancestors 'none'"));
    }
}
