//! Who is asking: the session cookie, the signed-in viewer, CSRF tokens and the sign-in limiter.
//!
//! - Sessions are server-side rows keyed by the SHA-256 of a random token; the cookie
//!   `hw_session` holds the token (`HttpOnly; SameSite=Lax`, `Secure` behind HTTPS).
//! - CSRF: a signed-in form carries the session's token; an anonymous form (sign-in, sign-up)
//!   carries the `hw_csrf` cookie's value (double submit). Both are compared in constant time.
//! - Sign-in is limited per account and per client address: after [`MAX_FAILURES`] wrong
//!   passwords for one account (or [`MAX_FAILURES_PER_ADDRESS`] from one address, which may be a
//!   whole office behind one NAT) within [`WINDOW_SECS`], attempts wait until the window passes.

use std::{collections::HashMap, net::IpAddr, sync::Mutex};

use axum::http::{HeaderMap, header};
use haowen_core::account::{self, User};

/// Session cookie name and lifetime.
pub const SESSION_COOKIE: &str = "hw_session";
pub const SESSION_SECS: i64 = 30 * 86_400;
/// Anonymous CSRF cookie (double submit).
pub const CSRF_COOKIE: &str = "hw_csrf";
/// Sign-in limiter: this many failures per window for one account …
pub const MAX_FAILURES: usize = 5;
/// … and this many from one client address.
pub const MAX_FAILURES_PER_ADDRESS: usize = 20;
pub const WINDOW_SECS: i64 = 60;

/// The signed-in person behind a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub user: User,
    pub csrf: String,
    pub token_digest: String,
}

/// A cookie's value from the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == name && !v.is_empty()).then(|| v.to_string())
        })
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

/// Failed sign-ins per address and per account.
#[derive(Default)]
pub struct SignInLimiter {
    failures: Mutex<HashMap<String, Vec<i64>>>,
}

impl SignInLimiter {
    pub fn new() -> SignInLimiter {
        SignInLimiter::default()
    }

    fn keys(ip: IpAddr, username: &str) -> [String; 2] {
        [
            format!("ip:{ip}"),
            format!("user:{}", username.to_ascii_lowercase()),
        ]
    }

    /// Seconds to wait before another attempt is allowed, if limited.
    pub fn retry_after(&self, ip: IpAddr, username: &str, now: i64) -> Option<i64> {
        let Ok(mut map) = self.failures.lock() else {
            return None;
        };
        let mut wait = None;
        for key in Self::keys(ip, username) {
            if let Some(times) = map.get_mut(&key) {
                times.retain(|t| now - t < WINDOW_SECS);
                let limit = if key.starts_with("ip:") {
                    MAX_FAILURES_PER_ADDRESS
                } else {
                    MAX_FAILURES
                };
                if times.len() >= limit {
                    let oldest = times.iter().min().copied().unwrap_or(now);
                    wait = Some(wait.unwrap_or(0).max(WINDOW_SECS - (now - oldest)));
                }
            }
        }
        wait
    }

    pub fn record_failure(&self, ip: IpAddr, username: &str, now: i64) {
        if let Ok(mut map) = self.failures.lock() {
            if map.len() > 100_000 {
                map.retain(|_, times| times.iter().any(|t| now - t < WINDOW_SECS));
            }
            for key in Self::keys(ip, username) {
                map.entry(key).or_default().push(now);
            }
        }
    }

    /// A successful sign-in clears the account's failures (not the address's).
    pub fn record_success(&self, username: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(&format!("user:{}", username.to_ascii_lowercase()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixth_failure_within_a_minute_is_limited() {
        let l = SignInLimiter::new();
        let ip: IpAddr = "127.0.0.1".parse().expect("ip");
        for i in 0..5 {
            assert_eq!(l.retry_after(ip, "li", 100 + i), None, "attempt {}", i + 1);
            l.record_failure(ip, "li", 100 + i);
        }
        let wait = l.retry_after(ip, "li", 105).expect("limited");
        assert!((1..=60).contains(&wait), "{wait}");
        assert_eq!(l.retry_after(ip, "li", 161), None, "the window passed");
        // Per account: another address trying the same account is limited too.
        let other: IpAddr = "10.0.0.2".parse().expect("ip");
        for i in 0..5 {
            l.record_failure(other, "han", 200 + i);
        }
        assert!(
            l.retry_after("192.0.2.1".parse().expect("ip"), "han", 205)
                .is_some()
        );
    }

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
