//! Who is asking: the session cookie, the signed-in viewer and CSRF tokens.
//!
//! - Sessions are server-side rows keyed by the SHA-256 of a random token; the cookie
//!   `hw_session` holds the token (`HttpOnly; SameSite=Lax`, `Secure` behind HTTPS).
//! - CSRF: a signed-in form carries the session's token; an anonymous form (sign-in, sign-up)
//!   carries the `hw_csrf` cookie's value (double submit). Both are compared in constant time.
//! - Sign-in is rate-limited per address, per account and address, and per account with a
//!   slower curve that spares addresses the account has used (`limits.rs`).

use axum::http::{HeaderMap, header};
use haowen_core::account;

pub use haowen_app::{
    accounts::{SESSION_SECS, Viewer},
    limits::SignInLimiter,
};

/// Session cookie name.
pub const SESSION_COOKIE: &str = "hw_session";
/// Anonymous CSRF cookie (double submit).
pub const CSRF_COOKIE: &str = "hw_csrf";

/// A cookie's value from the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    cookie_pairs(headers).find_map(|(k, v)| (k == name && !v.is_empty()).then(|| v.to_string()))
}

/// Every `name=value` of the request's `Cookie` headers, in order (a piece without `=` is
/// skipped).
pub fn cookie_pairs(headers: &HeaderMap) -> impl Iterator<Item = (&str, &str)> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
}

/// `Set-Cookie` for a secret cookie (not readable by scripts).
pub fn secret_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    )
}

/// Whether a submitted CSRF token matches the expected one.
pub fn csrf_ok(expected: &str, submitted: Option<&str>) -> bool {
    matches!(submitted, Some(s) if !expected.is_empty() && account::constant_time_eq(expected, s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csrf_compare() {
        assert!(csrf_ok("abc", Some("abc")));
        assert!(!csrf_ok("abc", Some("abd")));
        assert!(!csrf_ok("abc", None));
        assert!(!csrf_ok("", Some("")));
    }

    #[test]
    fn cookies_are_read_and_written() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            "a=1; hw_session=tok; b=".parse().expect("cookie"),
        );
        assert_eq!(cookie(&h, "hw_session").as_deref(), Some("tok"));
        assert_eq!(cookie(&h, "b"), None);
        let c = secret_cookie("hw_session", "t", 60, true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.ends_with("Secure"));
    }
}
