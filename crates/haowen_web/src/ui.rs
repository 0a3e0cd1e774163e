//! The reader's display preferences for one request: care mode (关怀版) and its text size.
//!
//! Care mode is a server-rendered variant of every page, chosen by the `hw_care` cookie or, so a
//! care-mode page can be shared or bookmarked, by `?care=1` in the URL (which also sets the
//! cookie). The text size is the `hw_care_size` cookie, a level from 0 (20 px) to 3 (32 px). The
//! switches are plain links to `/care/on`, `/care/off` and `/care/size`, which set the cookie
//! and send the reader back: nothing needs JavaScript.

use axum::{
    extract::FromRequestParts,
    http::{HeaderMap, request::Parts},
};
use url::form_urlencoded;

use crate::auth::Viewer;

/// Body text size (CSS px) at each care-mode level.
pub const CARE_SIZES: [u32; 4] = [20, 24, 28, 32];
/// Cookie names.
pub const CARE_COOKIE: &str = "hw_care";
pub const SIZE_COOKIE: &str = "hw_care_size";
/// Preferences last a year.
const COOKIE_AGE: u32 = 365 * 86_400;

/// Care mode and its size level from the cookies, in one pass over them (the first of each
/// name counts; a missing or unreadable size is level 0).
fn mode_cookies(headers: &HeaderMap) -> (bool, usize) {
    let (mut care, mut size) = (None, None);
    for (k, v) in crate::auth::cookie_pairs(headers) {
        if k == CARE_COOKIE && care.is_none() {
            care = Some(v == "1");
        } else if k == SIZE_COOKIE && size.is_none() {
            size = Some(v);
        }
        if care.is_some() && size.is_some() {
            break;
        }
    }
    let level = size
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|l| *l < CARE_SIZES.len())
        .unwrap_or(0);
    (care.unwrap_or(false), level)
}

fn prefix(care: bool, level: usize) -> String {
    if care {
        format!("care{level}:")
    } else {
        String::new()
    }
}

/// Display preferences of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ui {
    pub care: bool,
    /// Index into [`CARE_SIZES`].
    pub level: usize,
    /// This page's path and query (without `care=`), for the switches' `next=`.
    pub path: String,
    /// `Some(on)` when the URL asked for a mode: the response also sets the cookie.
    pub url_override: Option<bool>,
    /// The signed-in person, if any (set by the request middleware).
    pub viewer: Option<Viewer>,
    /// The CSRF token forms on this page carry: the session's, or the `hw_csrf` cookie's.
    pub csrf: String,
}

impl Ui {
    /// The signed-in person, or the redirect to sign in (back to this page afterwards).
    pub fn user(&self) -> Result<&haowen_core::account::User, crate::error::AppError> {
        self.viewer
            .as_ref()
            .map(|v| &v.user)
            .ok_or_else(|| crate::error::AppError::SignInRequired(self.path.clone()))
    }

    /// Reads the cookies and the `care` query parameter.
    pub fn from_parts(headers: &HeaderMap, path: &str, query: Option<&str>) -> Ui {
        let mut url_override = None;
        let mut kept: Vec<(String, String)> = Vec::new();
        for (k, v) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            if k == "care" {
                url_override = Some(v == "1");
            } else {
                kept.push((k.into_owned(), v.into_owned()));
            }
        }
        let (care_cookie, level) = mode_cookies(headers);
        let care = url_override.unwrap_or(care_cookie);
        let mut full = path.to_string();
        if !kept.is_empty() {
            full.push('?');
            full.push_str(
                &form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(&kept)
                    .finish(),
            );
        }
        let csrf = crate::auth::cookie(headers, crate::auth::CSRF_COOKIE).unwrap_or_default();
        Ui {
            care,
            level,
            path: full,
            url_override,
            viewer: None,
            csrf,
        }
    }

    /// Adds the signed-in viewer from the session cookie, if the session is live.
    pub async fn with_viewer(mut self, db: &haowen_app::Db, headers: &HeaderMap) -> Ui {
        let Some(token) = crate::auth::cookie(headers, crate::auth::SESSION_COOKIE) else {
            return self;
        };
        let digest = haowen_core::account::token_digest(&token);
        match db.session_user(&digest, haowen_core::time::now()).await {
            Ok(Some((user, csrf))) => {
                self.csrf = csrf.clone();
                self.viewer = Some(Viewer {
                    user,
                    csrf,
                    token_digest: digest,
                });
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "could not look up a session"),
        }
        self
    }

    /// Whether this page is `href` or one of its pages (`?page=2`): the navigation marks it
    /// with `aria-current`.
    pub fn at<S: AsRef<str>>(&self, href: S) -> bool {
        let href = href.as_ref();
        self.path
            .strip_prefix(href)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('?'))
    }

    /// The viewer's display name, for the header.
    pub fn viewer_name(&self) -> &str {
        self.viewer
            .as_ref()
            .map(|v| v.user.display_name.as_str())
            .unwrap_or("")
    }

    /// Whether the viewer holds at least `role`.
    pub fn viewer_can(&self, role: haowen_core::account::Role) -> bool {
        self.viewer.as_ref().is_some_and(|v| v.user.can(role))
    }

    /// Prefix of page-cache keys: each mode and size is its own rendering. Pages for a
    /// signed-in viewer are never cached (they carry the viewer's name and CSRF token).
    pub fn cache_prefix(&self) -> String {
        prefix(self.care, self.level)
    }

    /// [`Ui::cache_prefix`] of a request whose address does not ask for a mode, from the
    /// cookies alone: what the fast lane needs, without the rest of a `Ui`.
    pub fn cache_prefix_of(headers: &HeaderMap) -> String {
        let (care, level) = mode_cookies(headers);
        prefix(care, level)
    }

    /// Body text size in care mode (CSS px).
    pub fn font_px(&self) -> u32 {
        CARE_SIZES[self.level]
    }

    /// This page's path, encoded for a `next=` parameter.
    pub fn next(&self) -> String {
        form_urlencoded::byte_serialize(self.path.as_bytes()).collect()
    }

    /// The care-mode switch: enter when off, leave when on.
    pub fn care_href(&self) -> String {
        format!(
            "/care/{}?next={}",
            if self.care { "off" } else { "on" },
            self.next()
        )
    }

    pub fn care_label(&self) -> &'static str {
        if self.care {
            "退出关怀版"
        } else {
            "进入关怀版"
        }
    }

    pub fn can_grow(&self) -> bool {
        self.level + 1 < CARE_SIZES.len()
    }

    pub fn can_shrink(&self) -> bool {
        self.level > 0
    }

    /// Link to the next larger (`+1`) or smaller (`-1`) text size.
    pub fn size_href(&self, delta: i32) -> String {
        let level = (self.level as i32 + delta).clamp(0, CARE_SIZES.len() as i32 - 1);
        format!("/care/size?level={level}&next={}", self.next())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ui {
    type Rejection = std::convert::Infallible;

    /// The request middleware resolves the viewer once and leaves the result in the request's
    /// extensions; without it (unit tests) the viewer is unknown.
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Ui>() {
            Some(ui) => Ok(ui.clone()),
            None => Ok(Ui::from_parts(
                &parts.headers,
                parts.uri.path(),
                parts.uri.query(),
            )),
        }
    }
}

/// `Set-Cookie` value for a preference.
pub fn set_cookie(name: &str, value: &str) -> String {
    format!("{name}={value}; Path=/; Max-Age={COOKIE_AGE}; SameSite=Lax")
}

/// Where to go after a switch, a sign-in or a form: only a path on this site (no open
/// redirect). The value is resolved against a placeholder origin as a browser would and kept
/// only when the origin stays the same; any control character or whitespace (which browsers
/// strip, turning `/\t/evil.example` into `//evil.example`), a backslash, or a scheme-relative
/// start gives `/`. The result is ASCII (percent-encoded), so it is always a valid `Location`.
pub fn safe_next(next: Option<&str>) -> String {
    const HOME: &str = "/";
    let Some(n) = next else {
        return HOME.into();
    };
    if !n.starts_with('/')
        || n.starts_with("//")
        || n.len() > 2048
        || n.chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return HOME.into();
    }
    let Ok(base) = url::Url::parse("http://haowen.invalid/") else {
        return HOME.into();
    };
    match base.join(n) {
        Ok(u) if u.origin() == base.origin() => {
            let mut out = u.path().to_string();
            if let Some(q) = u.query() {
                out.push('?');
                out.push_str(q);
            }
            if let Some(f) = u.fragment() {
                out.push('#');
                out.push_str(f);
            }
            // Dot-segments can fold `/.//evil.example` into `//evil.example` (scheme-relative).
            if out.starts_with("//") {
                return HOME.into();
            }
            out
        }
        _ => HOME.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::header;

    fn headers(cookie: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, cookie.parse().expect("cookie"));
        h
    }

    #[test]
    fn cookie_and_url_choose_the_mode() {
        let off = Ui::from_parts(&HeaderMap::new(), "/a/1", None);
        assert!(!off.care);
        assert_eq!(off.cache_prefix(), "");
        let on = Ui::from_parts(&headers("x=1; hw_care=1; hw_care_size=2"), "/a/1", None);
        assert!(on.care);
        assert_eq!(on.font_px(), 28);
        assert_eq!(on.cache_prefix(), "care2:");
        let url = Ui::from_parts(&HeaderMap::new(), "/channel/sports", Some("page=2&care=1"));
        assert!(url.care);
        assert_eq!(url.url_override, Some(true));
        assert_eq!(url.path, "/channel/sports?page=2");
        let url_off = Ui::from_parts(&headers("hw_care=1"), "/", Some("care=0"));
        assert!(!url_off.care);
    }

    #[test]
    fn switches_keep_the_page_and_refuse_other_sites() {
        let ui = Ui::from_parts(&HeaderMap::new(), "/search", Some("q=地铁"));
        // next= carries the page's own (percent-encoded) URL, encoded once more as a value.
        assert_eq!(ui.path, "/search?q=%E5%9C%B0%E9%93%81");
        assert_eq!(
            ui.care_href(),
            "/care/on?next=%2Fsearch%3Fq%3D%25E5%259C%25B0%25E9%2593%2581"
        );
        assert_eq!(safe_next(Some("//evil.example")), "/");
        for bad in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\nSet-Cookie: x=1",
            "/\\evil.example",
            "/\\/evil.example",
            "\\\\evil.example",
            "/ /evil.example",
            "/\u{3000}/evil.example",
            "/\u{0}",
            "javascript:alert(1)",
            "http:/evil.example",
            "/.//evil.example",
            "/a/..//evil.example",
            "/%2e//evil.example",
            "",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(
            safe_next(Some("/search?q=中国#r")),
            "/search?q=%E4%B8%AD%E5%9B%BD#r"
        );
        assert_eq!(safe_next(Some("/a/1/../2")), "/a/2");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/a/1")), "/a/1");
        let big = Ui::from_parts(&headers("hw_care=1; hw_care_size=9"), "/", None);
        assert_eq!(big.level, 0, "out-of-range sizes fall back");
        assert_eq!(big.size_href(1), "/care/size?level=1&next=%2F");
        assert_eq!(big.size_href(-1), "/care/size?level=0&next=%2F");
    }

    #[test]
    fn the_cache_prefix_comes_from_the_cookies_alone() {
        let prefix = |cookies: &[&str]| {
            let mut h = HeaderMap::new();
            for c in cookies {
                h.append(header::COOKIE, c.parse().unwrap());
            }
            Ui::cache_prefix_of(&h)
        };
        assert_eq!(prefix(&[]), "");
        assert_eq!(
            prefix(&["_ga=GA1.1.1; hw_care=1; hw_care_size=2"]),
            "care2:"
        );
        assert_eq!(prefix(&["hw_care_size=3"]), "", "a size without care mode");
        assert_eq!(prefix(&["hw_care=1; hw_care_size=9"]), "care0:");
        assert_eq!(
            prefix(&["hw_care=0; hw_care=1"]),
            "",
            "the first cookie counts"
        );
        assert_eq!(prefix(&["hw_care=1", "x=1; hw_care_size=1"]), "care1:");
        assert_eq!(prefix(&["hw_care_sizes=3; hw_care=1"]), "care0:");
    }
}
